"""Digests of a document's parts, each taken once per run: the keys of what ``--watch`` keeps (memory.py).

What a run keeps is keyed by the content it was made from: a path item (an operation's model, its
exports, its validation), the document outside ``paths`` (the definitions, their docs).  Several
stages key by the same parts; a ``Digests`` takes each part's digest once per run and hands it to
all of them.  A digest is the SHA-256 of marshal's bytes (format 2: they tell ``1``, ``1.0`` and
``True`` apart, and do not depend on what else holds a value), found by the part's identity: the
parts are the run's document's own objects, held here until the next run, so no other object has
their ids meanwhile.  A part marshal cannot write (YAML can make some) has no digest: nothing made
from it is kept.
"""

from __future__ import annotations

import hashlib
import marshal
from collections.abc import Callable
from typing import Any, NamedTuple, TypeVar

from .recent import Recent

_MARSHAL = 2


class Digest(NamedTuple):
    digest: bytes
    #: The part's text holds "#/paths": perhaps a ``$ref`` into a path item, so what is made from it
    #: may read more than the part (and is not kept).
    into_paths: bool


class Digests:
    def __init__(self) -> None:
        self._known: dict[int, tuple[Any, Digest | None]] = {}

    def turn(self) -> None:
        """A new run: its document's parts are other objects."""
        self._known = {}

    def of(self, value: Any) -> Digest | None:
        """The digest of ``value`` (a part of this run's document), or None when marshal cannot write it."""
        known = self._known.get(id(value))
        if known is not None:
            return known[1]
        try:
            written = marshal.dumps(value, _MARSHAL)
        except ValueError:
            found = None
        else:
            found = Digest(hashlib.sha256(written).digest(), b"#/paths" in written)
        self._known[id(value)] = (value, found)
        return found

    def outside(self, document: dict[str, Any]) -> Digest | None:
        """The digest of ``document`` without its ``paths``: its other members' digests, in order."""
        composed = hashlib.sha256()
        into_paths = False
        for key, value in document.items():
            if key == "paths":  # where it stands (what is made may keep the order of the members)
                composed.update(b"\0paths\0")
                continue
            member = self.of(value)
            if member is None:
                return None
            try:
                composed.update(marshal.dumps(key, _MARSHAL))
            except ValueError:
                return None
            composed.update(member.digest)
            into_paths |= member.into_paths
        return Digest(composed.digest(), into_paths)

    def with_extra(self, digest: Digest, *extra: Any) -> Digest | None:
        """``digest`` composed with plain values (names, flags) that what is made also reads."""
        try:
            written = marshal.dumps(list(extra), _MARSHAL)
        except ValueError:
            return None
        return Digest(hashlib.sha256(digest.digest + written).digest(), digest.into_paths or b"#/paths" in written)


T = TypeVar("T")


class Found:
    """What was found of document parts (a check's answer, a walk's result), by the part's digest, for
    later runs (--watch, memory.py): a part the run before looked at is not looked at again.  What
    is found of a part that may read the document outside ``paths`` (through ``$ref``s) is kept by
    that document's digest too, and never when either text holds "#/paths" (a ``$ref`` may reach
    another path item)."""

    def __init__(self, digests: Digests) -> None:
        self.digests = digests
        self._found: Recent[tuple[str, bytes, bytes], Any] = Recent()  # values of many kinds

    def turn(self) -> None:
        self._found.turn()

    def outside(self, data: dict[str, Any]) -> Digest | None:
        """The digest of ``data`` outside ``paths`` (see ``Digests.outside``)."""
        return self.digests.outside(data)

    def of_part(self, label: str, part: Any, find: Callable[[], T]) -> T:
        """``find()``, what ``label`` finds of ``part`` alone: found now, or as found before."""
        digest = self.digests.of(part)
        return find() if digest is None else self._get((label, b"", digest.digest), find)

    def of_part_in(self, label: str, part: Any, outside: Digest | None, find: Callable[[], T]) -> T:
        """``find()``, what ``label`` finds of ``part`` (None: of the document outside paths itself) in
        the document whose outside paths has the digest ``outside``: found now, or as found before."""
        digest = self.digests.of(part) if part is not None else Digest(b"", False)
        if digest is None or outside is None or digest.into_paths or outside.into_paths:
            return find()
        return self._get((label, outside.digest, digest.digest), find)

    def _get(self, key: tuple[str, bytes, bytes], find: Callable[[], T]) -> T:
        found = self._found.get(key)
        if found is None:
            found = find()
            self._found.put(key, found)
        return found
