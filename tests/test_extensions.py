"""Every extension is read through document/extensions.py, whose registry the docs' Extensions table matches."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

from connectorsmith.document import extensions
from connectorsmith.document.extensions import Place
from connectorsmith.document.openapi import Node, OperationNode

from .conftest import ROOT

GENERATOR = ROOT / "generator"
#: A string that is an extension's key (or a prefix of one), not a message that mentions one.
_KEY = re.compile(r"x-(?:ms|connector)(?:-[A-Za-z0-9.\-*]*)?")


def _key_literals(path: Path) -> list[str]:
    tree = ast.parse(path.read_text("utf-8"), str(path))
    return [
        f"{path.relative_to(ROOT)}:{node.lineno}: {node.value!r}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and _KEY.fullmatch(node.value)
    ]


def test_extension_keys_are_read_only_through_the_registry() -> None:
    skipped = {GENERATOR / "document" / "extensions.py"}
    found = [
        line
        for path in sorted(GENERATOR.rglob("*.py"))
        if path not in skipped and "runtime" not in path.relative_to(GENERATOR).parts
        for line in _key_literals(path)
    ]
    assert not found, "extension keys read outside document/extensions.py (use its accessors or an Extension's name):\n" + "\n".join(found)


def _docs_table() -> dict[str, tuple[str, str]]:
    """The Extensions table of docs/spec-format.md: name -> (where, what it becomes)."""
    page = (ROOT / "docs" / "spec-format.md").read_text("utf-8")
    start = page.index("\n## Extensions\n")
    section = page[start : page.find("\n## ", start + 1)]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    table: dict[str, tuple[str, str]] = {}
    for row in rows:
        name, where, becomes = (cell.strip() for cell in row.strip("|").split(" | "))
        table[name.strip("`")] = (where, becomes)
    return table


def _row(extension: extensions.Extension) -> tuple[str, str]:
    return ", ".join(place.value for place in extension.where), extension.becomes


def test_the_docs_table_lists_the_registry() -> None:
    table = _docs_table()
    registry = {e.name: _row(e) for e in extensions.REGISTRY}
    missing = [f"| `{name}` | {' | '.join(row)} |" for name, row in registry.items() if name not in table]
    extra = [name for name in table if name not in registry]
    different = [f"{name}: docs {table[name]!r}, registry {row!r}" for name, row in registry.items() if name in table and table[name] != row]
    assert not (missing or extra or different), f"missing rows:\n{chr(10).join(missing)}\nextra: {extra}\ndifferent:\n{chr(10).join(different)}"
    assert list(table) == list(registry), "the docs list the extensions in the registry's order"


def test_the_registry_has_every_extension_of_the_shipped_schema() -> None:
    schema = json.loads((GENERATOR / "schemas" / "connector-extensions.schema.json").read_text("utf-8"))
    named: set[str] = set()

    def walk(value: object) -> None:
        if isinstance(value, dict):
            named.update(k for k in value.get("properties", {}) if _KEY.fullmatch(k))
            for item in value.values():
                walk(item)

    walk(schema)
    assert named and named <= {e.name for e in extensions.REGISTRY}
    assert {e.name for e in extensions.REGISTRY if Place.ROOT in e.where} >= set(schema["properties"]) - {"info", "paths"}
    assert len({e.name for e in extensions.REGISTRY}) == len(extensions.REGISTRY)


def test_accessors_read_what_is_there_and_nothing_else() -> None:
    assert extensions.visibility({"x-ms-visibility": "internal"}) == "internal"
    assert extensions.internal({"x-ms-visibility": "internal"}) and not extensions.internal({"x-ms-visibility": 1})
    assert extensions.summary({"x-ms-summary": 3}) is None and extensions.summary("no object") is None
    assert extensions.protocol_trigger({"x-ms-trigger": "batch"}) == "batch"
    assert extensions.protocol_trigger({"x-ms-trigger": "sometimes"}) is None
    assert extensions.pageable({"x-ms-pageable": {"nextLinkName": None}}) is None
    assert extensions.pageable({"x-ms-pageable": {"nextLinkName": "next"}}) == {"nextLinkName": "next"}
    assert extensions.dynamic_values({"x-ms-dynamic-list": {"operationId": "List"}}) == {"operationId": "List"}
    assert extensions.notification_url({"x-ms-notification-url": "true"}) is False
    assert extensions.api_annotation({"x-ms-api-annotation": {"status": " Preview ", "family": "List", "revision": True}}) == extensions.Annotation("preview", "List", 0)
    assert extensions.connector_metadata({"x-ms-connector-metadata": [{"propertyName": "Website", "propertyValue": "https://example.com"}, {"propertyValue": "x"}]}) == (
        ("Website", "https://example.com"),
    )
    assert extensions.policy_parameter({"x-ms-apimTemplateParameter.name": "X-Key"}, "name") == "X-Key"
    assert extensions.policy_section({}) == "Request"


def test_notification_content_is_the_operations_else_its_path_items() -> None:
    content = {"schema": {"type": "object"}}
    item = Node({"x-ms-notification-content": content, "post": {}}, ("paths", "/hook"))
    op = OperationNode("/hook", "post", {}, ("paths", "/hook", "post"), item)
    assert extensions.notification_content(op) == ({"type": "object"}, ("paths", "/hook", "x-ms-notification-content", "schema"))
    own = OperationNode("/hook", "post", {"x-ms-notification-content": content}, ("paths", "/hook", "post"), item)
    assert extensions.notification_content(own) == ({"type": "object"}, ("paths", "/hook", "post", "x-ms-notification-content", "schema"))


_SPEC = """\
swagger: "2.0"
info: {title: Views, version: "1"}
host: example.com
paths:
  /items/{id}:
    parameters:
      - {name: id, in: path, type: string, x-ms-summary: Item}
    get:
      operationId: " GetItem "
      summary: Get an item
      tags: [items, 3]
      x-ms-visibility: internal
      x-ms-api-annotation: {status: Preview, family: GetItem, revision: 2}
      x-ms-pageable: {nextLinkName: next}
      parameters:
        - {name: format, in: query, type: string, x-ms-url-encoding: double, x-ms-dynamic-values: {operationId: Formats}}
      responses:
        "200": {description: The item, schema: {type: object}}
        default: {description: An error}
    post:
      deprecated: true
      x-ms-trigger: batch
      responses: {"202": {description: Accepted}}
"""


def test_operation_views_read_fields_extensions_and_pointers(tmp_path: Path) -> None:
    from connectorsmith.document.loader import load
    from connectorsmith.document.view import operations

    spec = tmp_path / "views.yaml"
    spec.write_text(_SPEC, "utf-8")
    get, post = operations(load(spec))
    assert (get.path, get.method, get.pointer, get.source) == ("/items/{id}", "get", ("paths", "/items/{id}", "get"), str(spec))
    assert (get.operation_id, get.summary, get.tags, get.deprecated, get.hidden) == ("GetItem", "Get an item", ("items",), False, True)
    assert get.annotation == extensions.Annotation("preview", "GetItem", 2) and get.pageable == {"nextLinkName": "next"}
    path_id, query = get.parameters
    assert (path_id.name, path_id.location, path_id.required, path_id.summary, path_id.pointer) == ("id", "path", True, "Item", ("paths", "/items/{id}", "parameters", 0))
    assert query.double_encoded and query.dynamic_values == {"operationId": "Formats"} and not query.required
    assert [(r.status, r.description, r.pointer) for r in get.responses] == [
        ("200", "The item", ("paths", "/items/{id}", "get", "responses", "200")),
        ("default", "An error", ("paths", "/items/{id}", "get", "responses", "default")),
    ]
    assert get.responses[0].schema is not None and get.responses[1].schema is None
    assert (post.operation_id, post.deprecated, post.protocol_trigger, post.parameter("path")) == (None, True, "batch", post.parameters[0])
