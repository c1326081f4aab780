"""Remembered template fragments: ``{% memo %}…{% endmemo %}``, for runs that render again and again.

A template marks a part that depends on little (one operation's method, one model's class) with
``{% memo %}``.  When a render is given a ``Store`` (``--watch``: the same process renders each
time a spec changes), the part's text is kept there, keyed by the values of everything it reads,
and reused while they stay the same: a changed operation re-renders its own parts only.
Otherwise the tag does nothing.

What a part reads is decided when the template is compiled, not declared by its author: the names
its body uses that it does not set itself, and, for each macro of the template it calls, the names
*that* macro reads (transitively).  A part is rendered every time, never remembered, when that
cannot be made sound: it reads ``loop``, ``caller``, ``self`` or ``varargs``/``kwargs``, includes,
imports or extends another template, defines a block, or assigns into a namespace; or, when
rendered, one of its names holds a value that is not plain immutable data (strings, numbers, None,
enums, tuples of them, frozen dataclasses such as connectorsmith's model), which a part could
change as a side effect.  The key is the values' pickled bytes (a tuple's, its items'), so 1, 1.0
and True (equal in Python) are different keys; values that are the very objects a part was given
before (the model keeps unchanged objects from run to run) find their key by identity, unpickled.
Remembered text is bounded (``MAX_CHARS``, least recently used out).
"""

from __future__ import annotations

import contextlib
import dataclasses
import enum
import hashlib
import pickle
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import jinja2
import jinja2.ext
import jinja2.meta
from jinja2 import nodes

from .recent import Recent

#: Characters of remembered text kept, at most (the least recently used parts go first).
MAX_CHARS = 64_000_000
#: Names whose value is the template's machinery, not data.
_UNSOUND_NAMES = frozenset({"loop", "caller", "self", "varargs", "kwargs", "super"})
_UNSOUND_NODES = (nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends, nodes.Block, nodes.NSRef)
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


class Memo(jinja2.ext.Extension):
    """The ``memo`` tag: its parts come from ``store`` while one is set (see ``remembering``), else are rendered."""

    tags = {"memo"}  # noqa: RUF012 - Jinja's Extension declares it a set

    def __init__(self, environment: jinja2.Environment) -> None:
        super().__init__(environment)
        self.store: Store | None = None

    def parse(self, parser: jinja2.parser.Parser) -> nodes.Node:
        lineno = next(parser.stream).lineno
        body = parser.parse_statements(("name:endmemo",), drop_needle=True)
        # The key is bound once the whole template is parsed (see bind_keys): "" means render always.
        call = self.call_method("_part", [nodes.Const(""), nodes.Tuple([], "load")])
        return nodes.CallBlock(call, [], [], body).set_lineno(lineno)

    def _part(self, digest: str, values: tuple[Any, ...], caller: Callable[[], str]) -> str:
        if self.store is None or not digest:
            return caller()
        return self.store.part(digest, values, caller)


@contextlib.contextmanager
def remembering(environment: jinja2.Environment, store: Store | None) -> Iterator[None]:
    """Render with ``environment``'s memo parts kept in (and taken from) ``store``; None: rendered."""
    memo = environment.extensions[Memo.identifier]
    assert isinstance(memo, Memo)
    before, memo.store = memo.store, store
    try:
        yield
    finally:
        memo.store = before


def _plain(value: Any) -> bool:
    if isinstance(value, tuple | frozenset):
        return all(_plain(v) or (dataclasses.is_dataclass(v) and type(v).__dataclass_params__.frozen) for v in value)  # type: ignore[union-attr]
    return isinstance(value, _PLAIN)


def _dumps(value: Any) -> bytes | None:
    try:
        return pickle.dumps(value, protocol=5)
    except Exception:  # noqa: BLE001 - an unpicklable value (or an undefined name): render instead
        return None


class Environment(jinja2.Environment):
    """A Jinja environment whose ``memo`` parts are keyed when a template is compiled."""

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        tree = super()._parse(source, name, filename)
        bind_keys(tree)
        return tree


def bind_keys(tree: nodes.Template) -> None:
    """Give each memo part of ``tree`` its digest (its body and the macros it calls) and key names."""
    macros = {m.name: m for m in tree.find_all(nodes.Macro)}
    for block in tree.find_all(nodes.CallBlock):
        call = block.call
        if not (isinstance(call.node, nodes.ExtensionAttribute) and call.node.identifier == Memo.identifier):
            continue
        found = reads(block.body, macros)
        if found is None:
            continue  # left with digest "": rendered every time
        names, sources = found
        digest = hashlib.sha256("\0".join([repr(block.body), *sources]).encode()).hexdigest()
        call.args = [nodes.Const(digest), nodes.Tuple([nodes.Name(n, "load") for n in sorted(names)], "load")]
        call.set_environment(tree.environment)  # type: ignore[arg-type]
        call.set_lineno(block.lineno)


def memo_keys(environment: jinja2.Environment, template: str) -> dict[int, tuple[str, ...] | None]:
    """Each memo part of ``template`` by line: the names it is keyed on, or None when it is never remembered."""
    source, filename, _ = environment.loader.get_source(environment, template)  # type: ignore[union-attr]
    tree = environment.parse(source, template, filename)
    found: dict[int, tuple[str, ...] | None] = {}
    for block in tree.find_all(nodes.CallBlock):
        call = block.call
        if isinstance(call.node, nodes.ExtensionAttribute) and call.node.identifier == Memo.identifier:
            digest, names = call.args
            assert isinstance(digest, nodes.Const) and isinstance(names, nodes.Tuple)
            found[block.lineno] = tuple(n.name for n in names.items) if digest.value else None  # type: ignore[attr-defined]
    return found


def reads(body: Iterable[nodes.Node], macros: dict[str, nodes.Macro]) -> tuple[set[str], list[str]] | None:
    """The names ``body`` reads (through the macros it calls, whose sources are listed too), or None
    when what it renders may depend on more than their values."""
    names: set[str] = set()
    sources: list[str] = []
    seen: set[str] = set()
    pending = [list(body)]
    while pending:
        part = pending.pop()
        if any(node.find(_UNSOUND_NODES) is not None or isinstance(node, _UNSOUND_NODES) for node in part):  # type: ignore[arg-type]
            return None
        for name in _free(part):
            if name in _UNSOUND_NAMES:
                return None
            if name in macros:
                if name not in seen:
                    seen.add(name)
                    macro = macros[name]
                    sources.append(repr(macro))
                    pending.append([macro])
            else:
                names.add(name)
    return names, sources


def _free(part: list[nodes.Node]) -> set[str]:
    """The names ``part`` looks up in its surroundings (a macro's own arguments are not among them)."""
    template = nodes.Template(part)
    template.environment = part[0].environment if part else None
    names = jinja2.meta.find_undeclared_variables(template)
    for node in part:  # a macro part names itself: that is not a read
        if isinstance(node, nodes.Macro):
            names.discard(node.name)
    return names
