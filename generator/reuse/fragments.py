"""Where the templates' ``{% memo %}`` parts are kept from run to run (``--watch``): ``Store``, the
``render.memo.Parts`` a run renders with (render/memo.py defines the tag and keys each part).

A part's text is kept keyed by the values of everything it reads, and reused while they stay the
same: a changed operation re-renders its own parts only.  A part is rendered, not kept, when one of
its names holds a value that is not plain immutable data (strings, numbers, None, enums, tuples of
them, frozen dataclasses such as connectorsmith's model), which a part could change as a side
effect.  The key is the values' pickled bytes (a tuple's, its items'), so 1, 1.0 and True (equal
in Python) are different keys; values that are the very objects a part was given before (the model
keeps unchanged objects from run to run) find their key by identity, unpickled.  Kept text is
bounded (``MAX_CHARS``, least recently used out).
"""

from __future__ import annotations

import dataclasses
import enum
import pickle
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import jinja2

from .recent import Recent

#: Characters of remembered text kept, at most (the least recently used parts go first).
MAX_CHARS = 64_000_000
_PLAIN = (str, int, float, bool, type(None), bytes, enum.Enum)


class Store:
    """Remembered parts' texts, by key (least recently used out past ``MAX_CHARS``)."""

    def __init__(self) -> None:
        self._texts: OrderedDict[bytes, str] = OrderedDict()
        self._chars = 0
        # Pickles of the model objects of this run and the last, by id (the objects kept, so an id
        # is not another object's): an object read by several parts, or kept by the model from one
        # run to the next (replay.py), is pickled once.
        self._pickles: Recent[int, tuple[Any, bytes]] = Recent()
        # Keys by the identity of what they were made of: a part given the very objects it was given
        # before (an unchanged operation is the same object from run to run, see replay.py) has the
        # key it had, without its values pickled and joined.  An entry holds its objects, so while it
        # is there no other object can have their ids.
        self._keys: Recent[tuple[object, ...], tuple[str, tuple[Any, ...], bytes | None]] = Recent()
        self.hits = self.misses = 0

    def part(self, digest: str, values: tuple[Any, ...], render: Callable[[], str]) -> str:
        """The text of the part ``digest`` for ``values``: remembered, or rendered and remembered."""
        key = self._key(digest, values)
        if key is None:
            return render()
        text = self._texts.get(key)
        if text is not None:
            self._texts.move_to_end(key)
            self.hits += 1
            return text
        self.misses += 1
        text = render()
        self._texts[key] = text
        self._chars += len(text)
        while self._chars > MAX_CHARS:
            self._chars -= len(self._texts.popitem(last=False)[1])
        return text

    def turn(self) -> None:
        """A new run begins: the pickles and keys only the one before used are dropped."""
        self._pickles.turn()
        self._keys.turn()

    def _key(self, digest: str, values: tuple[Any, ...]) -> bytes | None:
        ids = (id(digest), *map(_identity, values))
        known = self._keys.get(ids)
        if known is not None:
            return known[2]
        key = self._made_key(digest, values)
        self._keys.put(ids, (digest, values, key))
        return key

    def _made_key(self, digest: str, values: tuple[Any, ...]) -> bytes | None:
        return self._joined(digest.encode(), values)

    def _joined(self, head: bytes, values: tuple[Any, ...]) -> bytes | None:
        """``head`` and each value's pickle, length first; None when one has none."""
        parts = [head]
        for value in values:
            pickled = self._pickled(value)
            if pickled is None:
                return None
            parts += [len(pickled).to_bytes(8, "little"), pickled]
        return b"".join(parts)

    def _pickled(self, value: Any) -> bytes | None:
        """``value``'s pickle, or None when it is not plain immutable data (see the module's docstring)."""
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            if not type(value).__dataclass_params__.frozen:  # type: ignore[attr-defined]
                return None
            known = self._pickles.get(id(value))
            if known is not None and known[0] is value:
                return known[1]
            pickled = _dumps(value)
            if pickled is not None:
                self._pickles.put(id(value), (value, pickled))
            return pickled
        if isinstance(value, jinja2.Undefined):  # a name set only in some branches of a macro: not set here
            return b"undefined"
        if type(value) is tuple:  # its items' pickles, each found as above (a tuple of the model's objects)
            return self._joined(b"(" + len(value).to_bytes(8, "little"), value)
        return _dumps(value) if _plain(value) else None


def _identity(value: Any) -> object:
    """What tells ``value`` from others in a key by identity (``Store._key``): its id; a tuple's, its
    items' (a tuple of the model's objects is made anew each run, its items are the same); an unset
    name (a new Undefined each render) is one value, as its pickle is."""
    if isinstance(value, jinja2.Undefined):
        return 0
    if type(value) is tuple:
        return tuple(map(id, value))
    return id(value)


def _plain(value: Any) -> bool:
    if isinstance(value, tuple | frozenset):
        return all(_plain(v) or (dataclasses.is_dataclass(v) and type(v).__dataclass_params__.frozen) for v in value)  # type: ignore[union-attr]
    return isinstance(value, _PLAIN)


def _dumps(value: Any) -> bytes | None:
    try:
        return pickle.dumps(value, protocol=5)
    except Exception:  # noqa: BLE001 - an unpicklable value (or an undefined name): render instead
        return None
