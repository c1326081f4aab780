"""Stage 3, docs view: the definitions as the reference page shows them, and every section's anchor.

Microsoft's pages list each definition as a table of flattened, dotted property
paths; inline objects are opened, named ones are linked by name.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from . import naming, openapi, text
from .model import Definition, DocRow, Kind, Model, Operation
from .typemap import TypeMapper

_PRIMITIVES = (Kind.STRING, Kind.INTEGER, Kind.NUMBER, Kind.BOOLEAN, Kind.DATETIME, Kind.DATE)


def anchored(data: dict[str, Any], types: TypeMapper, operations: tuple[Operation, ...]) -> tuple[tuple[Operation, ...], tuple[Definition, ...]]:
    """Give every docs section a unique HTML id, so links never depend on heading text."""
    taken: set[str] = set()
    ops = tuple(replace(o, anchor=naming.unique("op-" + text.slug(o.operation_id), taken)) for o in operations)
    defs = tuple(replace(d, anchor=naming.unique("def-" + text.slug(d.name), taken)) for d in definitions(data, types, ops))
    return ops, defs


def definitions(data: dict[str, Any], types: TypeMapper, operations: tuple[Operation, ...]) -> tuple[Definition, ...]:
    result = []
    for def_name, node in openapi.definitions(data):
        named = types.definitions.get(def_name)
        schema = node.value if isinstance(node.value, dict) else {}
        description = openapi.text(schema.get("description"))
        if named is not None and named.kind is Kind.MODEL:
            model = types.models[named.name]
            result.append(Definition(def_name, model.description, tuple(_rows(types, model, "", frozenset()))))
            continue
        if named is not None and named.kind is Kind.ENUM:
            values = ", ".join(repr(m.value) for m in types.enums[named.name].members)
            result.append(Definition(def_name, description or f"One of {values}.", ()))
            continue
        if named is not None and named.kind is Kind.ALIAS:
            docs = types.aliases[named.name].target.docs or "any"
        else:
            docs = types.type_of(node, naming.class_name(def_name), def_name).docs or "object"
        result.append(Definition(def_name, description or f"This is the basic data type '{docs}'.", ()))
    # Primitive types an operation returns get a section too, as on Microsoft's pages.
    named_sections = {d.name for d in result}
    for operation in operations:
        success = operation.result_type
        if success is not None and success.kind in _PRIMITIVES:
            docs = success.docs
            if docs not in named_sections:
                named_sections.add(docs)
                result.append(Definition(docs, f"This is the basic data type '{docs}'.", ()))
    return tuple(result)


def _rows(types: TypeMapper, model: Model, prefix: str, opened: frozenset[str]) -> list[DocRow]:
    """Flattened rows with dotted paths: inline objects are opened (once on a path), named ones are linked by name."""
    rows: list[DocRow] = []
    opened = opened | {model.python_name}
    for field in model.fields:
        path = f"{prefix}{field.wire_name}"
        kind, item = field.type.kind, field.type.item
        if kind is Kind.MODEL and not field.type.wire_name and field.type.name not in opened:
            rows += _rows(types, types.models[field.type.name], path + ".", opened)
            continue
        rows.append(DocRow(field.title or field.wire_name, path, field.type.docs, field.description))
        if kind is Kind.ARRAY and item is not None and item.kind is Kind.MODEL and not item.wire_name and item.name not in opened:
            rows += _rows(types, types.models[item.name], path + ".", opened)
    return rows
