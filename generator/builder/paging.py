"""How an operation pages, for its ``iter_<operation>`` pager: as ``x-ms-pageable`` or ``x-connector-paging``
says, or inferred from its query parameters, its response's headers and its body's fields.

Inference picks a style only where the document leaves no doubt, in this order: a next link in the body
(the service's own link is the surest), a ``Link`` response header, a cursor in the body with the query
parameter that takes it back, an offset parameter, a page-number parameter that declares where it starts.
An operation that takes a position parameter (``page``, ``offset``, ``cursor``…) and returns a list, but
fits none of these, is a warning: it gets no pager, and ``x-connector-paging`` can describe it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from ..diagnostics import Diagnostic, Pointer
from ..document import extensions, openapi
from ..document.loader import Document
from ..model import Field, Kind, Location, Model, Operation, Pager, TypeRef

STYLES = ("next-link", "link-header", "cursor", "page", "offset")

#: The array of items, when the body has several arrays.
_ITEM_NAMES = ("value", "items", "data", "results", "records", "entries", "elements")
#: A string in the body that is the next page's URL.
_NEXT_LINK_NAMES = ("@odata.nextLink", "nextLink", "next_link", "nextPageUrl", "next_page_url", "nextUrl", "next_url", "next")
#: A query parameter that takes a cursor back, and the names the body gives that cursor (top level, or one
#: object down: Slack's response_metadata.next_cursor, Kubernetes' metadata.continue).
_CURSORS = {
    "cursor": ("next_cursor", "nextCursor"),
    "page_token": ("next_page_token",),
    "pageToken": ("nextPageToken",),
    "next_token": ("next_token",),
    "nextToken": ("nextToken",),
    "continuation_token": ("continuation_token",),
    "continuationToken": ("continuationToken",),
    "continue": ("continue",),
}
#: A query parameter that takes the last item's field back (Stripe), with the boolean that says more follow.
_LAST_ITEM = {"starting_after": "id"}
_MORE_NAMES = ("has_more", "hasMore")
_OFFSETS = ("offset", "skip", "$skip", "start-index", "startIndex", "start_index")
_PAGES = ("page", "pageNumber", "page_number")
#: Parameters that say where in a list a call starts: an operation with one looks paged.
_POSITIONS = frozenset({*_CURSORS, *_LAST_ITEM, *_OFFSETS, *_PAGES, "next", "after", "before", "ending_before", "$skiptoken", "skiptoken"})

Models = Callable[[str], Model | None]


def pageable(operation: Operation, raw: dict[str, Any], models: Models, origin: str = extensions.PAGEABLE.name) -> Pager:
    """x-ms-pageable (or the updatenextlink policy): the body's ``nextLinkName`` is the next page's URL."""
    item_name = str(raw.get("itemName") or "value")
    found = _field(models, operation.result_type, (item_name,))
    item = found.item if found is not None and found.kind is Kind.ARRAY and found.item is not None else TypeRef(Kind.ANY)
    return Pager(f"iter_{operation.python_name}", (item_name,), (str(raw["nextLinkName"]),), item, origin=origin)


def configured(op: openapi.OperationNode, raw: dict[str, Any], operation: Operation, models: Models, doc: Document, problems: list[Diagnostic]) -> Pager | None:
    """x-connector-paging, checked against the operation: each problem an error at its key."""
    at: Pointer = extensions.PAGING.at(op.pointer)
    style = raw.get("style")
    name = operation.operation_id

    def error(key: str, message: str, hint: str) -> None:
        problems.append(doc.error((*at, key) if key in raw else at, message, hint))

    if operation.is_trigger or operation.webhook or operation.protocol_trigger:
        problems.append(doc.error(at, f"{name} is a trigger: it polls, it does not page", "remove x-connector-paging (a trigger's 'next' follows pages within a poll)"))
        return None
    if style not in STYLES:
        error("style", f"paging style {style!r} of {name} is not known", "one of " + ", ".join(STYLES))
        return None
    result = operation.result_type
    if result is None:
        problems.append(doc.error(at, f"{name} pages, but declares no 2xx response body to find items in", "declare the response schema"))
        return None
    if "items" in raw:
        items = _path(raw["items"])
        found = _field(models, result, items)
        if found is None or found.kind is not Kind.ARRAY or found.item is None:
            error("items", f"items path {'.'.join(items) or '(the body)'!r} of {name} is not an array in its response", _fields_hint(models, result))
            return None
        item = found.item
    else:
        guessed = _items(models, result)
        if guessed is None:
            error("items", f"{name}: which array of its response holds the items is not clear", "name it: items: <dotted path> ('' for a body that is the array)")
            return None
        items, item = guessed
    pager = Pager(f"iter_{operation.python_name}", items, (), item, style=style, origin=extensions.PAGING.name)
    if "more" in raw:
        more = _path(raw["more"])
        if (found := _field(models, result, more)) is None or found.kind is not Kind.BOOLEAN:
            error("more", f"'more' path {'.'.join(more)!r} of {name} is not a boolean in its response", _fields_hint(models, result))
            return None
        pager = replace(pager, more=more)
    if style == "next-link" or (style == "cursor" and "lastItem" not in raw):
        if "next" not in raw:
            error("next", f"paging style {style!r} of {name} needs 'next': where its response holds the next {'link' if style == 'next-link' else 'cursor'}", "next: <dotted path in the response body>")
            return None
        nxt = _path(raw["next"])
        if (found := _field(models, result, nxt)) is None or found.kind not in (Kind.STRING, Kind.INTEGER, Kind.ANY):
            error("next", f"'next' path {'.'.join(nxt)!r} of {name} is not a string in its response", _fields_hint(models, result))
            return None
        pager = replace(pager, next_link=nxt)
    if style == "cursor" and "lastItem" in raw:
        fields = models(item.name) if item.kind is Kind.MODEL else None
        if fields is None or not any(f.wire_name == raw["lastItem"] for f in fields.fields):
            error("lastItem", f"'lastItem' {raw['lastItem']!r} of {name} is not a field of its items", "name a field of the items, e.g. id")
            return None
        pager = replace(pager, last_item=str(raw["lastItem"]))
    if style in ("cursor", "page", "offset"):
        wanted = raw.get("parameter")
        param = next((p for p in operation.parameters if p.location is Location.QUERY and p.wire_name == wanted), None)
        if param is None:
            names = ", ".join(p.wire_name for p in operation.parameters if p.location is Location.QUERY) or "none"
            error("parameter", f"paging style {style!r} of {name} needs 'parameter': one of its query parameters ({wanted!r} is not)", f"its query parameters: {names}")
            return None
        if style != "cursor" and param.type.kind is not Kind.INTEGER:
            error("parameter", f"{style} parameter {param.wire_name!r} of {name} is {param.type.docs or 'untyped'}, not an integer", "declare it type: integer")
            return None
        pager = replace(pager, parameter=param.python_name, wire_parameter=param.wire_name)
        if style == "page":
            pager = replace(pager, start=int(raw.get("start", 1)))
    return pager


def inferred(op: openapi.OperationNode, operation: Operation, models: Models, data: dict[str, Any], doc: Document, problems: list[Diagnostic]) -> Pager | None:
    """A pager where the document leaves no doubt how the operation pages (see the module's docstring)."""
    result = operation.result_type
    query = {p.wire_name: p for p in operation.parameters if p.location is Location.QUERY and not p.internal}
    positions = sorted(name for name in query if name in _POSITIONS)
    if result is None or operation.method != "GET" or operation.is_trigger or operation.stream:
        return None
    guessed = _items(models, result)
    if guessed is None:
        if positions and _arrays(models, result):  # a list, but which one
            _looks_paged(op, operation, positions, "which array of its response holds the items is not clear", doc, problems)
        return None  # not a list
    items, item = guessed
    pager = Pager(f"iter_{operation.python_name}", items, (), item, origin="inferred")
    more = next((m for m in _MORE_NAMES if (f := _field(models, result, (m,))) is not None and f.kind is Kind.BOOLEAN), None)
    pager = replace(pager, more=(more,)) if more else pager
    if result.kind is Kind.MODEL:
        links = [n for n in _NEXT_LINK_NAMES if (f := _field(models, result, (n,))) is not None and f.kind is Kind.STRING]
        if len(links) == 1 and links[0] in query:  # a token the same-named parameter takes back (Mural's next)
            return replace(pager, style="cursor", next_link=(links[0],), parameter=query[links[0]].python_name, wire_parameter=links[0])
        if len(links) == 1:
            return replace(pager, style="next-link", next_link=(links[0],))
    if _declares_link_header(data, op, operation):
        return replace(pager, style="link-header")
    cursors = [(name, path) for name in query if name in _CURSORS for path in _cursor_paths(models, result, _CURSORS[name])]
    if len(cursors) == 1:
        name, path = cursors[0]
        return replace(pager, style="cursor", next_link=path, parameter=query[name].python_name, wire_parameter=name)
    lasts = [name for name, field in _LAST_ITEM.items() if name in query and more and _has_field(models, item, field)]
    if len(cursors) == 0 and len(lasts) == 1:
        name = lasts[0]
        return replace(pager, style="cursor", last_item=_LAST_ITEM[name], parameter=query[name].python_name, wire_parameter=name)
    offsets = [query[n] for n in _OFFSETS if n in query and query[n].type.kind is Kind.INTEGER]
    pages = [query[n] for n in _PAGES if n in query and query[n].type.kind is Kind.INTEGER]
    if not cursors and not lasts and len(offsets) == 1 and not pages:
        return replace(pager, style="offset", parameter=offsets[0].python_name, wire_parameter=offsets[0].wire_name)
    if not cursors and not lasts and len(pages) == 1 and not offsets:
        start = _declared_start(data, op, pages[0].wire_name)
        if start is not None:
            return replace(pager, style="page", parameter=pages[0].python_name, wire_parameter=pages[0].wire_name, start=start)
        if positions:
            _looks_paged(op, operation, positions, f"where {pages[0].wire_name!r} starts (0 or 1) is not declared", doc, problems)
        return None
    if positions:
        why = "its position parameters do not say one way of paging" if len(cursors) + len(lasts) + len(offsets) + len(pages) > 1 else "no next link, Link header or cursor in its response goes with them"
        _looks_paged(op, operation, positions, why, doc, problems)
    return None


def _looks_paged(op: openapi.OperationNode, operation: Operation, positions: list[str], why: str, doc: Document, problems: list[Diagnostic]) -> None:
    problems.append(
        doc.warning(
            op.pointer,
            f"{operation.operation_id} looks paged (query parameter {', '.join(repr(p) for p in positions)}) but how it pages is not known: {why}; it gets no pager",
            "describe it with x-connector-paging: {style: next-link | link-header | cursor | page | offset, ...} (docs/spec-format.md)",
            code="looks-paged",
        )
    )


def _path(value: Any) -> tuple[str, ...]:
    return tuple(p for p in str(value).split(".") if p)


def _field(models: Models, current: TypeRef | None, path: tuple[str, ...]) -> TypeRef | None:
    """The type at a dotted path of a response (the type itself for an empty path), None where there is none."""
    for key in path:
        model = models(current.name) if current is not None and current.kind is Kind.MODEL else None
        found = next((f for f in model.fields if f.wire_name == key), None) if model else None
        if found is None:
            return None
        current = found.type
    return current


def _has_field(models: Models, item: TypeRef, name: str) -> bool:
    model = models(item.name) if item.kind is Kind.MODEL else None
    return model is not None and any(f.wire_name == name for f in model.fields)


def _fields_hint(models: Models, result: TypeRef) -> str:
    model = models(result.name) if result.kind is Kind.MODEL else None
    return "fields there: " + (", ".join(f.wire_name for f in model.fields) if model else "none: not an object")


def _items(models: Models, result: TypeRef) -> tuple[tuple[str, ...], TypeRef] | None:
    """Where the items are: the body itself when it is an array, else its one array (or its one array with
    a name lists usually have); None when that is not clear."""
    if result.kind is Kind.ARRAY and result.item is not None:
        return (), result.item
    arrays = _arrays(models, result)
    if len(arrays) > 1:
        arrays = [f for f in arrays if f.wire_name in _ITEM_NAMES]
    if len(arrays) != 1 or arrays[0].type.item is None:
        return None
    return (arrays[0].wire_name,), arrays[0].type.item


def _arrays(models: Models, result: TypeRef) -> list[Field]:
    """The array fields at the top of an object body."""
    model = models(result.name) if result.kind is Kind.MODEL else None
    return [f for f in model.fields if f.type.kind is Kind.ARRAY and f.type.item is not None] if model else []


def _cursor_paths(models: Models, result: TypeRef, names: tuple[str, ...]) -> list[tuple[str, ...]]:
    """Paths, at the top of the body or one object down, of a string field with one of ``names``."""
    model = models(result.name) if result.kind is Kind.MODEL else None
    found: list[tuple[str, ...]] = []
    for f in model.fields if model else ():
        if f.wire_name in names and f.type.kind is Kind.STRING:
            found.append((f.wire_name,))
        inner = models(f.type.name) if f.type.kind is Kind.MODEL else None
        for g in inner.fields if inner else ():
            if g.wire_name in names and g.type.kind is Kind.STRING:
                found.append((f.wire_name, g.wire_name))
    return found


def _declares_link_header(data: dict[str, Any], op: openapi.OperationNode, operation: Operation) -> bool:
    """The success response declares a ``Link`` header (GitHub's list operations do)."""
    success = operation.success
    responses = op.value.get("responses")
    if success is None or not isinstance(responses, dict) or responses.get(success.status) is None:
        return False
    node = responses[success.status]
    resolved = openapi.resolve(data, openapi.Node(node, (*op.pointer, "responses", success.status))).value
    headers = resolved.get("headers") if isinstance(resolved, dict) else None
    return isinstance(headers, dict) and any(str(name).lower() == "link" for name in headers)


def _declared_start(data: dict[str, Any], op: openapi.OperationNode, name: str) -> int | None:
    """Where a page-number parameter starts, as its default (0 or 1) or a minimum of 1 declares; None: not
    said (a minimum of 0 allows 0, it does not say the first page is 0)."""
    for node in openapi.parameters(data, op):
        if node.value.get("name") != name or node.value.get("in") != "query":
            continue
        schema = node.value.get("schema") if isinstance(node.value.get("schema"), dict) else node.value
        schema = openapi.resolve(data, openapi.Node(schema, node.pointer)).value if isinstance(schema, dict) else {}
        default = schema.get("default") if isinstance(schema, dict) else None
        if default in (0, 1) and not isinstance(default, bool):
            return int(default)
        minimum = schema.get("minimum") if isinstance(schema, dict) else None
        if minimum == 1 and not isinstance(minimum, bool):
            return 1
    return None

