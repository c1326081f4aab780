"""Stage 3, docs view: what the reference page shows, by the rules of Microsoft's published pages.

Microsoft makes its connector pages from the connector's files, not from a client, so this
view reads the schemas themselves (the rules, each seen on published pages):

- Parameters: every parameter in spec order, internal ones (``x-ms-visibility: internal``) left
  out. An object body is opened into its leaves, down through nested objects, arrays of objects
  and references; a leaf is keyed by its own name and required when its own object requires it.
  A body that is one value keeps its parameter's x-ms-summary and description; a body whose shape
  another call decides (x-ms-dynamic-schema) is one ``dynamic`` row.
- Types: the schema's own — ``integer`` for any integer format, a string's or number's format
  (``date-time``, ``float``), ``array of X``, a definition's name; nothing for an untyped schema.
- Returns: a definition is "Body" (or its x-ms-summary) and its name, under its description; an
  inline object is its table of rows; anything else is "response" (or its x-ms-summary) and its
  type; a dynamic output says so; no body, no section. A webhook documents what its callback
  receives (``x-ms-notification-content``), not its registration's answer.
- Definitions: those the documented operations' outputs reach, in spec order, each a table of
  flattened, dotted paths: an inline object is opened, an array of objects is a row and then its
  items' rows, a reference is a row with the definition's name.
- Titles: " (Preview)" for a preview operation; " [DEPRECATED]" for a deprecated one, which names
  its successor — the newest revision of its x-ms-api-annotation family that is not deprecated.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from .. import text
from ..diagnostics import Pointer
from ..document import extensions, openapi
from ..document.openapi import Node, title_of
from ..document.view import OperationView, ParameterView
from ..model import Definition, DocParameter, DocReturns, DocRow, Kind, Link, Operation, OperationDocs
from . import naming
from .typemap import TypeMapper


class Schemas:
    """Reads a document's schemas as Microsoft's pages show them (one per document)."""

    def __init__(self, data: dict[str, Any], types: TypeMapper) -> None:
        self.data = data
        self.types = types
        #: Definition names by their pointer, for ``$ref`` targets.
        self.names = {node.pointer: name for name, node in openapi.definitions(data)}
        self._leaf_cache: dict[tuple[Pointer, bool], tuple[DocParameter, ...]] = {}
        self._parameter_rows: dict[Pointer, DocParameter] = {}

    def resolve(self, node: Node) -> Node:
        return openapi.resolve(self.data, node)

    def definition_name(self, node: Node) -> str:
        """The name of the definition a ``$ref`` schema points to, "" for anything else."""
        if not (isinstance(node.value, dict) and isinstance(node.value.get("$ref"), str)):
            return ""
        target = self.resolve(node).pointer
        named = len(target) == 2 and target[0] == "definitions" or len(target) == 3 and target[:2] == ("components", "schemas")
        return str(target[-1]) if named else ""

    def type(self, node: Node) -> str:
        """The Type cell: the schema's type, format or definition name; "" when the schema names no type."""
        name = self.definition_name(node)
        if name:
            return name
        schema = self.resolve(node).value
        if not isinstance(schema, dict):
            return ""
        for keyword in ("oneOf", "anyOf", "allOf"):
            members = schema.get(keyword)
            if isinstance(members, list) and members:
                nodes = [Node(m, (*node.pointer, keyword, i)) for i, m in enumerate(members)]
                if keyword == "allOf":
                    return self.type(nodes[0]) if len(nodes) == 1 else "object"
                types = [self.type(n) or "any" for n in nodes if not _is_null(self.resolve(n).value)]
                return " or ".join(dict.fromkeys(types))
        kinds = schema.get("type")
        kinds = [k for k in kinds if k != "null"] if isinstance(kinds, list) else [kinds]
        shown = [self._primitive(schema, node.pointer, str(k)) for k in kinds if isinstance(k, str)]
        if shown:
            return " or ".join(dict.fromkeys(shown))
        return "object" if self.is_object(schema) else ""

    def _primitive(self, schema: dict[str, Any], pointer: tuple[str | int, ...], kind: str) -> str:
        if kind == "array":
            items = schema.get("items")
            inner = self.type(Node(items, (*pointer, "items"))) if isinstance(items, dict) else ""
            return f"array of {inner}" if inner else "array"
        if kind == "integer":
            return "integer"  # Microsoft's pages show the type of an integer, not its format (int32, int64)
        if kind == "file":
            return "binary"  # Swagger 2.0's file upload
        if kind in ("string", "number", "boolean"):
            return openapi.text(schema.get("format")) or kind
        return kind

    def is_object(self, schema: Any) -> bool:
        return self.types.is_object(schema)

    def objects_items(self, schema: dict[str, Any], pointer: tuple[str | int, ...]) -> Node | None:
        """The items of an array of objects, resolved; None for any other schema."""
        items = schema.get("items")
        if not isinstance(items, dict):
            return None
        resolved = self.resolve(Node(items, (*pointer, "items")))
        return resolved if self.is_object(resolved.value) else None

    def rows(self, node: Node, prefix: str = "", seen: frozenset[Pointer] = frozenset()) -> list[DocRow]:
        """A definition's table: dotted paths; inline objects opened, arrays of objects a row and then their items."""
        rows: list[DocRow] = []
        resolved = self.resolve(node)
        seen = seen | {resolved.pointer}
        props, _ = self.types.properties(resolved)
        for key, prop in props:
            path = f"{prefix}{key}"
            target = self.resolve(prop)
            value = target.value if isinstance(target.value, dict) else {}
            if not self.definition_name(prop) and self.is_object(value) and target.pointer not in seen:
                rows += self.rows(target, path + ".", seen)
                continue
            title = title_of(value) or key
            rows.append(DocRow(title, path, self.type(prop), openapi.text(value.get("description"))))
            opened = not self.definition_name(prop) and not self.definition_name(Node(value.get("items"), ()))
            items = self.objects_items(value, target.pointer) if opened else None
            if items is not None and items.pointer not in seen:
                rows += self.rows(items, path + ".", seen)
        return rows

    def leaves(self, node: Node, required: bool) -> list[DocParameter]:
        """An object body's leaves as parameter rows, through nested objects, arrays of objects and references.

        A leaf is required when its object requires it (and, at the top, when the body is required).
        """
        return list(self._leaves(self.resolve(node), required, frozenset())[0])

    def _leaves(self, resolved: Node, required: bool, seen: frozenset[Pointer]) -> tuple[tuple[DocParameter, ...], bool]:
        """The leaves, and whether a cycle was cut below: a subtree without a cut is the same from any
        path, so it is kept (big APIs open the same definitions in many bodies)."""
        cached = self._leaf_cache.get((resolved.pointer, required))
        if cached is not None:
            return cached, False
        result: list[DocParameter] = []
        cut = False
        seen = seen | {resolved.pointer}
        props, needed = self.types.properties(resolved)
        for key, prop in props:
            target = self.resolve(prop)
            value = target.value if isinstance(target.value, dict) else {}
            if extensions.internal(value):
                continue
            inner = target if self.is_object(value) else self.objects_items(value, target.pointer)
            if inner is not None and inner.pointer not in seen:
                rows, below = self._leaves(inner, True, seen)
                result += rows
                cut |= below
                continue
            cut |= inner is not None  # a cycle: the property is a row of its own
            result.append(DocParameter(title_of(value) or key, key, required and key in needed, self.type(prop), openapi.text(value.get("description"))))
        leaves = tuple(result)
        if not cut:
            self._leaf_cache[(resolved.pointer, required)] = leaves
        return leaves, cut

    def parameter_row(self, declared: ParameterView) -> DocParameter:
        """A path, query, header or formData parameter's row. It is read from the parameter alone, so it is
        made once for every operation that shares the parameter (big APIs declare a few parameters, by
        ``$ref`` or on the path item, in hundreds of operations)."""
        row = self._parameter_rows.get(declared.pointer)
        if row is None:
            schema = openapi.parameter_schema(declared.node)
            resolved = self.resolve(schema).value
            resolved = resolved if isinstance(resolved, dict) else {}
            name = declared.name
            row = DocParameter(title_of(declared.value) or title_of(resolved) or name, name, declared.required, self.type(schema), declared.description)
            self._parameter_rows[declared.pointer] = row
        return row

    def dynamic(self, node: Node) -> bool:
        schema = self.resolve(node).value
        return extensions.dynamic_schema(schema) or extensions.dynamic_properties(schema)


def _is_null(schema: Any) -> bool:
    return isinstance(schema, dict) and schema.get("type") == "null"


def operation_docs(schemas: Schemas, op: OperationView, output: Node | None, request: openapi.RequestBody) -> OperationDocs:
    """One operation's parameters and output as the page shows them; ``output`` is the documented body's
    schema, ``request`` the request body (``openapi.request_media``)."""
    annotation = op.annotation
    refs = (openapi.parse_ref(ref) for ref, _ in openapi.iter_refs(output.value)) if output is not None else ()
    return OperationDocs(
        parameters=tuple(_parameters(schemas, op, request)),
        returns=_returns(schemas, output),
        references=tuple(dict.fromkeys(schemas.names[t] for t in refs if t in schemas.names)),
        family=annotation.family,
        revision=annotation.revision,
    )


def _parameters(schemas: Schemas, op: OperationView, media: openapi.RequestBody) -> list[DocParameter]:
    rows: list[DocParameter] = []
    body: Node | None = None
    for declared in op.parameters:
        if declared.internal:
            continue
        if declared.location == "body":
            node, value = declared.node, declared.value
            schema = openapi.parameter_schema(node)
            resolved = schemas.resolve(schema).value
            resolved = resolved if isinstance(resolved, dict) else {}
            body = node
            rows += _body(schemas, schema, declared.required, title_of(value) or title_of(resolved), declared.description or openapi.text(resolved.get("description")), value)
        elif declared.location in ("path", "query", "header", "formData"):
            rows.append(schemas.parameter_row(declared))
    if body is None:  # OpenAPI 3.x: the requestBody, after the parameters
        request, required = media.schema, media.required
        if request is not None and media.form and schemas.is_object(schemas.resolve(request).value):
            rows += _form_fields(schemas, request, required)
        elif request is not None:
            value = schemas.resolve(request).value
            value = value if isinstance(value, dict) else {}
            rows += _body(schemas, request, required, title_of(value), openapi.text(value.get("description")), {})
    return rows


def _form_fields(schemas: Schemas, schema: Node, required: bool) -> list[DocParameter]:
    """A form body's fields, one row each as a formData parameter's (a field is one part or pair,
    whatever its type): a file is ``binary``, an array of files ``array of binary``."""
    props, needed = schemas.types.properties(schemas.resolve(schema))
    v31 = openapi.version(schemas.data) == "3.1"
    rows = []
    for key, prop in props:
        value = schemas.resolve(prop).value
        value = value if isinstance(value, dict) else {}
        kind = openapi.file_kind(prop.value, lambda v: schemas.resolve(Node(v, ())).value, v31)
        shown = {"file": "binary", "files": "array of binary"}.get(kind) or schemas.type(prop)
        rows.append(DocParameter(title_of(value) or key, key, required and key in needed, shown, openapi.text(value.get("description"))))
    return rows


def _body(schemas: Schemas, schema: Node, required: bool, title: str, description: str, declared: dict[str, Any]) -> list[DocParameter]:
    if extensions.dynamic_schema(declared) or schemas.dynamic(schema):
        return [DocParameter(title or "body", "body", required, "dynamic", description)]
    if schemas.is_object(schemas.resolve(schema).value):
        return schemas.leaves(schema, required)
    return [DocParameter(title or "body", "body", required, schemas.type(schema), description)]


def _returns(schemas: Schemas, output: Node | None) -> DocReturns | None:
    if output is None:
        return None
    if schemas.dynamic(output):
        return DocReturns(dynamic=True)
    resolved = schemas.resolve(output)
    value = resolved.value if isinstance(resolved.value, dict) else {}
    name = schemas.definition_name(output)
    if name:
        label = title_of(output.value) or title_of(value) or ("Items" if value.get("type") == "array" else "Body")
        return DocReturns(label=label, type=name, definition=True, description=openapi.text(value.get("description")))
    rows = tuple(schemas.rows(resolved)) if schemas.is_object(value) else ()
    if rows:
        return DocReturns(rows=rows)
    return DocReturns(label=title_of(value) or "response", type=schemas.type(output) or "object")


@dataclass
class Kept:
    """What the docs view made of the document outside ``paths`` (each definition's section, and the
    definitions each refers to), for later builds whose document is the same there (--watch, see
    replay.Session.documented); the definitions refer into nothing else."""

    sections: dict[str, Definition] = field(default_factory=dict)
    references: dict[str, tuple[str, ...]] = field(default_factory=dict)


def anchored(schemas: Schemas, operations: tuple[Operation, ...], kept: Kept | None = None) -> tuple[tuple[Operation, ...], tuple[Definition, ...]]:
    """Give every docs section a unique HTML id, so links never depend on heading text; link outputs to
    their definitions and deprecated operations to their successors.  ``kept``: sections made before.

    An operation gets its anchor and both links in one copy (it has some thirty fields)."""
    taken: set[str] = set()
    anchors = [naming.unique("op-" + text.slug(o.operation_id), taken) for o in operations]
    successors = _successors(operations)
    defs = tuple(replace(d, anchor=naming.unique("def-" + text.slug(d.name), taken)) for d in definitions(schemas, operations, kept))
    def_anchors = {d.name: d.anchor for d in defs}
    linked = []
    for index, op in enumerate(operations):
        docs, successor_method = op.docs, op.successor_method
        if index in successors:
            successor = successors[index]
            docs = replace(docs, successor=Link(operations[successor].docs_title, "#" + anchors[successor]))
            successor_method = operations[successor].python_name
        returns = docs.returns
        if returns is not None and returns.definition and returns.type in def_anchors:
            docs = replace(docs, returns=replace(returns, anchor=def_anchors[returns.type]))
        linked.append(replace(op, anchor=anchors[index], docs=docs, successor_method=successor_method))
    return tuple(linked), defs


def _successors(operations: tuple[Operation, ...]) -> dict[int, int]:
    """Each deprecated operation's successor, by their indexes: the newest documented revision of its
    family that is not deprecated."""
    newest: dict[str, int] = {}
    for index, op in enumerate(operations):
        family = op.docs.family
        if family and not op.deprecated and not op.hidden and (family not in newest or op.docs.revision > operations[newest[family]].docs.revision):
            newest[family] = index
    return {index: newest[op.docs.family] for index, op in enumerate(operations) if op.deprecated and op.docs.family in newest}


def definitions(schemas: Schemas, operations: tuple[Operation, ...], kept: Kept | None = None) -> tuple[Definition, ...]:
    """The definitions the documented operations' outputs reach, in spec order, then the primitive outputs' sections."""
    kept = Kept() if kept is None else kept
    reached = _reached(schemas, [op for op in operations if not op.hidden], kept.references)
    result = []
    for def_name, node in openapi.definitions(schemas.data):
        if def_name not in reached:
            continue
        section = kept.sections.get(def_name)
        if section is None:
            section = kept.sections[def_name] = _section(schemas, def_name, node)
        result.append(section)
    # Primitive types an operation returns get a section too, as on Microsoft's pages.
    named_sections = {d.name for d in result}
    for operation in operations:
        returns = operation.docs.returns
        if returns is None or operation.hidden or returns.definition or returns.rows or returns.dynamic:
            continue
        docs = returns.type
        if docs and docs not in named_sections and " " not in docs:
            named_sections.add(docs)
            said = "This is the type 'object'." if docs == "object" else f"This is the basic data type '{docs}'."
            result.append(Definition(docs, said, ()))
    return tuple(result)


def _section(schemas: Schemas, def_name: str, node: Node) -> Definition:
    """A definition's section (before its anchor): its table, its items' row, its values or its type."""
    types = schemas.types
    named = types.definitions.get(def_name)
    schema = node.value if isinstance(node.value, dict) else {}
    description = openapi.text(schema.get("description"))
    if schemas.is_object(schema):
        return Definition(def_name, description, tuple(schemas.rows(node)))
    items = schema.get("items") if schema.get("type") == "array" else None
    if isinstance(items, dict):
        item = schemas.resolve(Node(items, (*node.pointer, "items"))).value
        item_description = openapi.text(item.get("description")) if isinstance(item, dict) else ""
        row = DocRow(title_of(schema) or "Items", "", schemas.type(Node(items, (*node.pointer, "items"))), item_description)
        return Definition(def_name, description, (row,))
    if named is not None and named.kind is Kind.ENUM:
        values = tuple(str(m.value) for m in types.enums[named.name].members)
        return Definition(def_name, description, (), values=values)
    docs = schemas.type(node) or "object"
    return Definition(def_name, description or f"This is the basic data type '{docs}'.", ())


def _reached(schemas: Schemas, operations: list[Operation], references: dict[str, tuple[str, ...]]) -> set[str]:
    """Names of the definitions the operations' documented outputs refer to, directly or through other
    definitions; ``references``: the definitions each definition refers to, as found before (added to)."""
    nodes = dict(openapi.definitions(schemas.data))
    by_pointer = schemas.names
    pending = [name for op in operations for name in op.docs.references]
    reached: set[str] = set()
    while pending:
        name = pending.pop()
        if name in reached:
            continue
        reached.add(name)
        found = references.get(name)
        if found is None:
            refs = (openapi.parse_ref(ref) for ref, _ in openapi.iter_refs(nodes[name].value))
            found = references[name] = tuple(by_pointer[t] for t in refs if t in by_pointer)
        pending += found
    return reached
