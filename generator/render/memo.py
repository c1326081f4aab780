"""The ``{% memo %}…{% endmemo %}`` tag: a template marks a part that depends on little (one operation's
method, one model's class), so that a run that renders again and again may keep its text.

Rendering defines the tag and what keys a part; what is kept, and where, is the reuse layer's
(``reuse.fragments.Store``, given through ``Parts``): without one the tag renders its body, every time.

What a part reads is decided when the template is compiled, not declared by its author: the names
its body uses that it does not set itself, and, for each macro of the template it calls, the names
*that* macro reads (transitively).  A part is rendered every time, never kept, when that cannot be
made sound: it reads ``loop``, ``caller``, ``self`` or ``varargs``/``kwargs``, includes, imports or
extends another template, defines a block, or assigns into a namespace.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Protocol

import jinja2
import jinja2.ext
import jinja2.meta
from jinja2 import nodes

#: Names whose value is the template's machinery, not data.
_UNSOUND_NAMES = frozenset({"loop", "caller", "self", "varargs", "kwargs", "super"})
_UNSOUND_NODES = (nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends, nodes.Block, nodes.NSRef)


class Parts(Protocol):
    """Where memo parts are kept: the text of part ``digest`` rendered with ``values``, kept or ``render()``-ed."""

    def part(self, digest: str, values: tuple[Any, ...], render: Callable[[], str]) -> str: ...


class Memo(jinja2.ext.Extension):
    """The ``memo`` tag: its parts come from ``store`` while one is set (see ``remembering``), else are rendered."""

    tags = {"memo"}  # noqa: RUF012 - Jinja's Extension declares it a set

    def __init__(self, environment: jinja2.Environment) -> None:
        super().__init__(environment)
        self.store: Parts | None = None

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
def remembering(environment: jinja2.Environment, store: Parts | None) -> Iterator[None]:
    """Render with ``environment``'s memo parts kept in (and taken from) ``store``; None: rendered."""
    memo = environment.extensions[Memo.identifier]
    assert isinstance(memo, Memo)
    before, memo.store = memo.store, store
    try:
        yield
    finally:
        memo.store = before


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
