"""What the builder reads once for every operation that shares it (a parameter by $ref or on its path item,
a schema's constraints, a docs row) is still each operation's own: a parameter the operation overrides, or
one of the same name declared inline elsewhere, gets its own constraints and row."""

from __future__ import annotations

from pathlib import Path

from connectorsmith.model import Operation
from connectorsmith.pipeline import generate

_SPEC = """openapi: 3.0.3
info: {title: T, version: "1"}
servers: [{url: "https://api.example.invalid"}]
paths:
  /things/{id}:
    parameters:
      - {name: id, in: path, required: true, description: path item's, schema: {type: string, maxLength: 8}}
      - $ref: '#/components/parameters/limit'
    get:
      operationId: getThing
      responses: {"200": {description: ok}}
    put:
      operationId: putThing
      parameters:
        - {name: limit, in: query, description: put's own, schema: {type: integer, maximum: 5}}
      requestBody:
        content: {application/json: {schema: {$ref: '#/components/schemas/Thing'}}}
      responses: {"200": {description: ok}}
  /others:
    get:
      operationId: listOthers
      parameters:
        - $ref: '#/components/parameters/limit'
        - {name: id, in: query, description: an inline one, schema: {type: string, pattern: "^o"}}
      requestBody:
        content: {application/json: {schema: {$ref: '#/components/schemas/Thing'}}}
      responses: {"200": {description: ok}}
components:
  parameters:
    limit: {name: limit, in: query, description: shared, x-ms-summary: Limit, schema: {type: integer, minimum: 1, maximum: 100}}
  schemas:
    Thing: {type: object, properties: {size: {type: integer, minimum: 0, description: the size}}}
"""


def _operations(tmp_path: Path) -> dict[str, Operation]:
    path = tmp_path / "api.yaml"
    path.write_text(_SPEC, "utf-8")
    result = generate(path)
    assert result.connector is not None, result.diagnostics
    return {op.operation_id: op for op in result.connector.operations}


def test_shared_parameters_keep_each_operations_own_constraints(tmp_path: Path) -> None:
    ops = _operations(tmp_path)
    constraints = {name: {p.wire_name: dict(p.constraints) for p in op.parameters} for name, op in ops.items()}
    assert constraints["getThing"] == {"id": {"maxLength": 8}, "limit": {"minimum": 1, "maximum": 100}}
    assert constraints["putThing"] == {"id": {"maxLength": 8}, "limit": {"maximum": 5}, "size": {"minimum": 0}}
    assert constraints["listOthers"] == {"limit": {"minimum": 1, "maximum": 100}, "id": {"pattern": "^o"}, "size": {"minimum": 0}}


def test_shared_parameters_keep_each_operations_own_docs_rows(tmp_path: Path) -> None:
    ops = _operations(tmp_path)
    rows = {name: [(r.key, r.title, r.type, r.description, r.required) for r in op.docs.parameters] for name, op in ops.items()}
    limit = ("limit", "Limit", "integer", "shared", False)
    assert rows["getThing"] == [("id", "id", "string", "path item's", True), limit]
    assert rows["putThing"] == [("id", "id", "string", "path item's", True), ("limit", "limit", "integer", "put's own", False), ("size", "size", "integer", "the size", False)]
    assert rows["listOthers"] == [limit, ("id", "id", "string", "an inline one", False), ("size", "size", "integer", "the size", False)]
    assert ops["getThing"].docs.parameters[1] == ops["listOthers"].docs.parameters[0]
