"""Operations built before, replayed: the part of the model a ``--watch`` run reuses (memory.py).

Building one operation (``build._Builder._operation``) reads the operation's path item, the
document outside ``paths`` (definitions, shared parameters and responses, security), the
connector's name and apiProperties.json, and state the operations share in the ``TypeMapper``:
the names models.py has taken, the inline schemas already made classes, the classes made so far.
It writes there too (new names, classes, enums, inline schemas) and may report problems.

An operation is *recorded* while it is built: its key is a digest of everything it reads of the
document (digests.py: marshal's bytes, which tell ``1``, ``1.0`` and ``True`` apart), and the ``TypeMapper``
logs, in order, what it read and wrote of the shared state (``TypeMapper.log``).  A later build
of a document whose operation has the same key *replays* the record instead of building it: each
read must find what it found then (a name still free, an inline schema still unmade or made the
same, a class still the same), the writes are made again, and the problems are reported again,
located in the new document (``_replayed``).  When a read differs, what the replay
wrote is undone and the operation is built.  The definitions (built first, from what is outside
``paths`` alone) are kept whole: the TypeMapper's state after them is restored when that part of
the document is the same.  An operation whose path item may refer into ``paths`` (its text holds
``#/paths``: a ``$ref`` to another operation's part reads more than its key), or whose problems
cannot be located again from their pointer, is never kept.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from ..builder import docsview
from ..builder.naming import first_free
from ..builder.typemap import Shared, TypeState
from ..diagnostics import Diagnostic, Location, Pointer, Severity
from .digests import Digest, Digests

if TYPE_CHECKING:
    from ..builder.typemap import TypeMapper
    from ..model import Definition, EnumClass, Model, Operation, TypeAlias

#: Problems as their pointers place them (a later document locates them again).
Problems = tuple[tuple[Severity, Pointer, str, str, str], ...]
Locate = Callable[[Pointer], Location]


@dataclass(frozen=True)
class Record:
    """What building one operation read and wrote, and made."""

    log: tuple[tuple[Shared, Any, Any], ...]
    models: tuple[tuple[str, Model], ...]
    enums: tuple[tuple[str, EnumClass], ...]
    aliases: tuple[tuple[str, TypeAlias], ...]
    problems: Problems
    operation: Operation


class Operations:
    """Records of the operations of the documents built last, by document (the latest build of each),
    and their definitions (which depend on nothing but what is outside ``paths``)."""

    def __init__(self, digests: Digests) -> None:
        self.digests = digests
        self._documents: dict[str, dict[bytes, Record]] = {}
        self._definitions: dict[str, tuple[bytes, TypeState, Problems]] = {}
        self._finished: dict[str, dict[str, Operation]] = {}
        self._finished_sections: dict[str, dict[str, Definition]] = {}
        self._documented: dict[str, tuple[bytes, docsview.Kept]] = {}
        self.replayed = self.built = 0

    def session(self, document: str, data: dict[str, Any], *reads: Any) -> Session:
        """The records of ``document`` for one build of ``data``; ``reads``: what every operation reads
        besides its path item and the document outside ``paths`` (names, flags, apiProperties)."""
        outside = self.digests.outside(data)
        return Session(self, document, self.digests.with_extra(outside, *reads) if outside is not None else None)


class Session:
    """One build's use of the records: those of the document's last build, and this build's own."""

    def __init__(self, store: Operations, document: str, context: Digest | None) -> None:
        self.store, self.document = store, document
        self.earlier = store._documents.get(document, {})
        self.now: dict[bytes, Record] = {}
        # What is outside paths may refer into them (a definition that is an operation's schema):
        # then an operation reads other path items, and nothing is kept.
        self.context: bytes | None = None if context is None or context.into_paths else context.digest

    def operation(self, path_item: Any, names: tuple[str, ...], types: TypeMapper, problems: list[Diagnostic], locate: Locate, build: Callable[[], Operation]) -> Operation:
        """The operation of ``path_item`` named ``names`` (its path, method, operationId and Python name):
        replayed from an earlier build when that still applies, else ``build()``-t and recorded."""
        key = self.key(path_item, *names)
        found = self.replay(key, types, problems, locate) if key is not None else None
        return found or self.record(key, types, problems, locate, build)

    def key(self, path_item: Any, *names: str) -> bytes | None:
        """The key of an operation of ``path_item`` (``names``: its path, method, operationId, Python name)."""
        if self.context is None:
            return None
        item = self.store.digests.of(path_item)
        key = self.store.digests.with_extra(item, *names) if item is not None else None
        if key is None or key.into_paths:  # perhaps a $ref into another path item (or text that says it: either way, built)
            return None
        return hashlib.sha256(self.context + key.digest).digest()

    def replay(self, key: bytes, types: TypeMapper, problems: list[Diagnostic], locate: Locate) -> Operation | None:
        """The operation recorded under ``key``, its writes and problems made again; None if it must be built."""
        record = self.earlier.get(key) or self.now.get(key)
        if record is None or not _replayed(types, record.log):
            return None
        types.models.update(record.models)
        types.enums.update(record.enums)
        types.aliases.update(record.aliases)
        problems += _located(record.problems, locate)
        self.now[key] = record
        self.store.replayed += 1
        return record.operation

    def record(self, key: bytes | None, types: TypeMapper, problems: list[Diagnostic], locate: Locate, build: Callable[[], Operation]) -> Operation:
        """``build()``, recorded under ``key`` (None: built only)."""
        before = (len(types.models), len(types.enums), len(types.aliases), len(problems))
        types.log = []
        try:
            operation = build()
            log = tuple(types.log)
        finally:
            types.log = None
        self.store.built += 1
        kept = _kept(problems[before[3] :], locate)
        if key is not None and kept is not None:
            self.now[key] = Record(
                log,
                tuple(itertools.islice(types.models.items(), before[0], None)),
                tuple(itertools.islice(types.enums.items(), before[1], None)),
                tuple(itertools.islice(types.aliases.items(), before[2], None)),
                kept,
                operation,
            )
        return operation

    def definitions(self, types: TypeMapper, problems: list[Diagnostic], locate: Locate, build: Callable[[], None]) -> None:
        """``build()`` (reserve and build the definitions), or the state it left last time when what
        it reads (everything outside ``paths``: the context) is the same."""
        last = self.store._definitions.get(self.document)
        if self.context is not None and last is not None and last[0] == self.context:
            types.restore(last[1])
            problems += _located(last[2], locate)
            return
        before = len(problems)
        build()
        kept = _kept(problems[before:], locate)
        if self.context is not None and kept is not None:
            self.store._definitions[self.document] = (self.context, types.state(), kept)

    def finished(self, operations: tuple[Operation, ...], sections: tuple[Definition, ...]) -> tuple[tuple[Operation, ...], tuple[Definition, ...]]:
        """``operations`` and the docs' definition ``sections`` as the build finished them (names,
        anchors, links added to the replayed ones), each the very object the last build finished when
        it is equal to it: what later stages key by identity (fragments' pickles, the public API) then
        finds it.  Equality is cheap here: a replayed operation shares all but the added fields with
        the last build's."""
        return (
            _same(self.store._finished, self.document, operations, lambda op: op.operation_id),
            _same(self.store._finished_sections, self.document, sections, lambda section: section.name),
        )

    def documented(self) -> docsview.Kept | None:
        """What the docs view made of the document outside ``paths`` in the last build, when that part
        is the same now (else a new, empty one, kept for the next); None when nothing may be kept."""
        if self.context is None:
            return None
        last = self.store._documented.get(self.document)
        if last is None or last[0] != self.context:
            last = self.store._documented[self.document] = (self.context, docsview.Kept())
        return last[1]

    def close(self) -> None:
        """Keep this build's records (those of operations no longer in the document are dropped)."""
        self.store._documents[self.document] = self.now


T = TypeVar("T")


def _replayed(types: TypeMapper, log: tuple[tuple[Shared, Any, Any], ...]) -> bool:
    """Make the writes of a recorded ``log`` again in ``types``, each of its reads finding what it found
    then; False, and nothing changed, when one does not."""
    names: list[str] = []
    made: list[Pointer] = []
    for kind, what, found in log:
        if kind is Shared.NAME:
            if first_free(what, types.taken) != found:
                break
            types.taken.add(found)
            names.append(found)
        elif kind is Shared.MADE:
            types.inline[what] = found
            made.append(what)
        elif (types.inline.get(what) if kind is Shared.INLINE else types.models.get(what)) != found:
            break
    else:
        return True
    types.taken.difference_update(names)
    for pointer in made:
        del types.inline[pointer]
    return False


def _same(store: dict[str, dict[str, T]], document: str, values: tuple[T, ...], name: Callable[[T], str]) -> tuple[T, ...]:
    """``values``, each the one of the same name ``store`` holds for ``document`` when equal to it; they are held next."""
    last = store.get(document, {})
    same = tuple(last[name(value)] if last.get(name(value)) == value else value for value in values)
    store[document] = {name(value): value for value in same}
    return same


def _kept(found: list[Diagnostic], locate: Locate) -> Problems | None:
    """``found`` as their pointers place them; None when one is not where its pointer places it."""
    if any(d.location != locate(d.pointer) for d in found):
        return None
    return tuple((d.severity, d.pointer, d.message, d.hint, d.code) for d in found)


def _located(problems: Problems, locate: Locate) -> list[Diagnostic]:
    return [Diagnostic(severity, locate(pointer), message, hint, pointer, code) for severity, pointer, message, hint, code in problems]
