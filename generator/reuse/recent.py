"""What the current run and the one before used, by key: the memory ``--watch`` keeps of values it
can make again (memory.py), bounded by what two runs use."""

from __future__ import annotations

from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class Recent(Generic[K, V]):
    """Values by key: ``get`` finds one put in this run or the last (and keeps it for the next);
    ``turn`` begins a run, dropping what the last one did not use."""

    def __init__(self) -> None:
        self._now: dict[K, V] = {}
        self._before: dict[K, V] = {}

    def get(self, key: K) -> V | None:
        found = self._now.get(key)
        if found is None:
            found = self._before.get(key)
            if found is not None:
                self._now[key] = found
        return found

    def put(self, key: K, value: V) -> None:
        self._now[key] = value

    def turn(self) -> None:
        self._before, self._now = self._now, {}
