"""What ``--watch`` keeps for rendering and output, by stage: the JSON text of export parts (``JsonTexts``),
converted export parts (``Pieces``), black's layout of each Python file (``Layouts``) and the public API's
entries (``ApiEntries``).  Each is the implementation of the protocol its stage declares (``jsontext.Kept``,
``export.Kept``, ``pyformat.Kept``, ``surface.Kept``); the stages never import this module."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from .digests import Digest, Digests
from .recent import Recent

if TYPE_CHECKING:
    from ..pyformat import Chunk

Entries = tuple[tuple[str, str], ...]


class JsonTexts:
    """The JSON text of values a run keeps for the next (``Pieces`` marks them kept), by identity: a kept
    value is encoded once per indentation, and its text reused while it is kept."""

    def __init__(self) -> None:
        self.kept: dict[int, Any] = {}
        self._texts: Recent[tuple[int, str, bool], tuple[Any, str]] = Recent()

    def turn(self) -> None:
        """A new run: what it does not mark kept again is forgotten after it."""
        self.kept = {}
        self._texts.turn()

    def holds(self, value: Any) -> bool:
        return id(value) in self.kept

    def text(self, key: tuple[int, str, bool], value: Any, make: Callable[[], str]) -> str:
        found = self._texts.get(key)
        if found is not None and found[0] is value:
            return found[1]
        text = make()
        self._texts.put(key, (value, text))
        return text


class Pieces:
    """Parts of a document converted before, by their content: a path item whose digest (digests.py) did
    not change is not converted again, and its JSON text is not written again (``json``).  What a run did
    not use is dropped at the next (``turn``).  Converted parts are shared between runs' documents: the
    export copies what it changes (_path_item_down, _safe_component_names, _rename_security)."""

    def __init__(self, digests: Digests) -> None:
        self.digests = digests
        self._parts: Recent[tuple[str, bytes], Any] = Recent()
        #: The JSON text of the parts kept (render encodes the exports with it).
        self.json = JsonTexts()

    def get(self, kind: str, value: Any, make: Callable[[], Any], digest: Digest | None = None) -> Any:
        """``make()`` (never None), the ``kind`` of conversion of ``value`` (a part of the run's document,
        else ``digest`` is its content's): made now, or as made before."""
        if digest is None:
            digest = self.digests.of(value)
        if digest is None:
            return make()
        key = (kind, digest.digest)
        found = self._parts.get(key)
        if found is None:
            found = make()
            self._parts.put(key, found)
        self.json.kept[id(found)] = found
        return found

    def outside(self, value: Any) -> Digest | None:
        """The digest of ``value``, the document outside ``paths`` (see ``Digests.outside``)."""
        return self.digests.outside(value)

    def keep(self, value: Any) -> None:
        """``value``, part of a piece: its JSON text is kept with the piece's."""
        self.json.kept[id(value)] = value

    def turn(self) -> None:
        """A new run: the parts the last one used are kept, the others dropped."""
        self._parts.turn()
        self.json.turn()


class Layouts:
    """The chunks of the Python files formatted last, by name: a file formatted again is scanned only where
    it changed, and its other chunks keep their output."""

    def __init__(self) -> None:
        self._last: dict[str, tuple[str, list[Chunk]]] = {}

    def last(self, name: str) -> tuple[str, list[Chunk]] | None:
        return self._last.pop(name, None)

    def keep(self, name: str, source: str, chunks: list[Chunk]) -> None:
        self._last[name] = (source, chunks)


class ApiEntries:
    """Each operation's and model's entries of the public API, as a run made them, for the next: an
    unchanged operation or model is the same object from run to run (replay.py), so its entries are found
    by identity.  An entry holds its object, so no other object has its id while it is there."""

    def __init__(self) -> None:
        self._entries: Recent[tuple[int, str], tuple[object, Entries]] = Recent()

    def turn(self) -> None:
        self._entries.turn()

    def entries(self, value: object, client: str, make: Callable[[], Iterable[tuple[str, str]]]) -> Entries:
        found = self._entries.get((id(value), client))
        if found is None:
            found = (value, tuple(make()))
            self._entries.put((id(value), client), found)
        return found[1]
