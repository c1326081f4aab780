"""The paging side of the model: x-connector-paging checked against its operation (each mistake an error at
its key), and inference that picks a style only where the document leaves no doubt, else says so."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

import pytest
from connectorsmith.model import Pager
from connectorsmith.pipeline import generate

from .conftest import CASES


def _spec(paging: dict[str, Any] | None, parameters: str, response: str, headers: str = "") -> str:
    extension = f"      x-connector-paging: {json.dumps(paging)}\n" if paging is not None else ""
    return f"""openapi: 3.0.3
info: {{title: T, version: "1"}}
servers: [{{url: "https://api.example.invalid"}}]
paths:
  /things:
    get:
      operationId: listThings
{extension}      parameters: {parameters}
      responses:
        "200":
          description: ok
{headers}          content: {{application/json: {{schema: {response}}}}}
components:
  schemas:
    Thing: {{type: object, properties: {{id: {{type: string}}}}}}
"""


_PAGE = "{type: object, properties: {data: {type: array, items: {$ref: '#/components/schemas/Thing'}}, next: {type: string}, has_more: {type: boolean}}}"


def _generate(tmp_path: Path, spec: str) -> tuple[Pager | None, list[str], bool]:
    path = tmp_path / "api.yaml"
    path.write_text(spec, "utf-8")
    result = generate(path)
    rendered = [d.render() for d in result.diagnostics]
    if not result.ok or result.connector is None:
        return None, rendered, False
    [op] = [o for o in result.connector.operations if o.operation_id == "listThings"]
    return op.pager, rendered, True


@pytest.mark.parametrize(
    ("paging", "parameters", "message", "key"),
    [
        ({"style": "scroll"}, "[]", "'scroll' is not one of", "style"),
        ({"style": "cursor", "next": "next", "parameter": "token"}, "[{name: cursor, in: query, schema: {type: string}}]", "needs 'parameter': one of its query parameters ('token' is not)", "parameter"),
        ({"style": "page", "parameter": "page"}, "[{name: page, in: query, schema: {type: string}}]", "page parameter 'page' of listThings is string, not an integer", "parameter"),
        ({"style": "next-link"}, "[]", "needs 'next'", None),
        ({"style": "next-link", "next": "links.next"}, "[]", "'next' path 'links.next' of listThings is not a string", "next"),
        ({"style": "offset", "items": "next", "parameter": "o"}, "[{name: o, in: query, schema: {type: integer}}]", "items path 'next' of listThings is not an array", "items"),
        ({"style": "cursor", "lastItem": "uuid", "parameter": "after"}, "[{name: after, in: query, schema: {type: string}}]", "'lastItem' 'uuid' of listThings is not a field of its items", "lastItem"),
        ({"style": "page", "parameter": "p", "more": "data"}, "[{name: p, in: query, schema: {type: integer}}]", "'more' path 'data' of listThings is not a boolean", "more"),
    ],
    ids=["style", "parameter", "page-not-integer", "next-missing", "next-not-found", "items", "last-item", "more"],
)
def test_a_described_paging_mistake_is_an_error_at_its_key(tmp_path: Path, paging: dict[str, Any], parameters: str, message: str, key: str | None) -> None:
    pager, diagnostics, ok = _generate(tmp_path, _spec(paging, parameters, _PAGE))
    assert not ok and pager is None
    errors = [d for d in diagnostics if ": error: " in d]
    assert any(message in d for d in errors), diagnostics
    located = next(d for d in errors if message in d)
    assert located.startswith(str(tmp_path / "api.yaml") + ":")
    assert "/x-connector-paging" + (f"/{key}" if key else "") + ")" in located.splitlines()[0]


def test_described_paging_on_a_trigger_is_an_error(tmp_path: Path) -> None:
    spec = _spec({"style": "next-link", "next": "next"}, "[]", _PAGE).replace(
        "      x-connector-paging:", "      x-connector-trigger: {items: data, identity: id}\n      x-connector-paging:"
    )
    _, diagnostics, ok = _generate(tmp_path, spec)
    assert not ok and any("listThings is a trigger: it polls, it does not page" in d for d in diagnostics)


@pytest.mark.parametrize(
    ("parameters", "response", "headers", "expected"),
    [
        ("[{name: skip, in: query, schema: {type: integer}}]", _PAGE, "", ("next-link", ("data",), ("next",), "", ("has_more",))),
        ("[{name: page, in: query, schema: {type: integer, default: 1}}]", "{type: array, items: {$ref: '#/components/schemas/Thing'}}", "          headers: {Link: {schema: {type: string}}}\n", ("link-header", (), (), "", ())),
        ("[{name: pageToken, in: query, schema: {type: string}}]", "{type: object, properties: {items: {type: array, items: {type: string}}, nextPageToken: {type: string}}}", "", ("cursor", ("items",), ("nextPageToken",), "page_token", ())),
        ("[{name: $skip, in: query, schema: {type: integer}}]", "{type: array, items: {type: string}}", "", ("offset", (), (), "skip", ())),
        ("[{name: page, in: query, schema: {type: integer, default: 0}}]", "{type: array, items: {type: string}}", "", ("page", (), (), "page", ())),
        ("[{name: next, in: query, schema: {type: string}}]", "{type: object, properties: {value: {type: array, items: {type: string}}, next: {type: string}}}", "", ("cursor", ("value",), ("next",), "next_", ())),
    ],
    ids=["next-link-wins-over-offset", "link-header", "cursor", "offset", "page-from-zero", "next-token-taken-back"],
)
def test_inferred_styles(tmp_path: Path, parameters: str, response: str, headers: str, expected: tuple[Any, ...]) -> None:
    pager, diagnostics, ok = _generate(tmp_path, _spec(None, parameters, response, headers))
    assert ok, diagnostics
    assert pager is not None and pager.origin == "inferred"
    assert (pager.style, pager.items_path, pager.next_link, pager.parameter, pager.more) == expected
    if pager.style == "page":
        assert pager.start == 0


@pytest.mark.parametrize(
    ("parameters", "response", "why"),
    [
        ("[{name: page, in: query, schema: {type: integer}}]", "{type: array, items: {type: string}}", "where 'page' starts (0 or 1) is not declared"),
        ("[{name: page, in: query, schema: {type: integer, minimum: 0}}]", "{type: array, items: {type: string}}", "where 'page' starts (0 or 1) is not declared"),
        ("[{name: cursor, in: query, schema: {type: string}}]", "{type: array, items: {type: string}}", "no next link, Link header or cursor in its response goes with them"),
        ("[{name: offset, in: query, schema: {type: integer}}, {name: page, in: query, schema: {type: integer, default: 1}}]", "{type: array, items: {type: string}}", "do not say one way of paging"),
        ("[{name: offset, in: query, schema: {type: integer}}]", "{type: object, properties: {a: {type: array, items: {type: string}}, b: {type: array, items: {type: string}}}}", "which array of its response holds the items is not clear"),
    ],
    ids=["page-start-unknown", "minimum-0-is-no-start", "cursor-without-its-value", "two-styles", "two-arrays"],
)
def test_looks_paged_but_not_clear_how_is_a_located_warning_and_no_pager(tmp_path: Path, parameters: str, response: str, why: str) -> None:
    pager, diagnostics, ok = _generate(tmp_path, _spec(None, parameters, response))
    assert ok and pager is None
    [warning] = [d for d in diagnostics if "looks paged" in d]
    assert why in warning and warning.startswith(str(tmp_path / "api.yaml") + ":")
    assert "x-connector-paging" in warning  # the hint says how to describe it


def test_not_a_list_or_not_paged_says_nothing(tmp_path: Path) -> None:
    # A position parameter on an operation that returns no list; a list without a position parameter.
    for parameters, response in (("[{name: page, in: query, schema: {type: integer}}]", "{type: object, properties: {n: {type: integer}}}"), ("[{name: limit, in: query, schema: {type: integer}}]", "{type: array, items: {type: string}}")):
        pager, diagnostics, ok = _generate(tmp_path, _spec(None, parameters, response))
        assert ok and pager is None and not any("paged" in d for d in diagnostics), diagnostics


def test_the_updatenextlink_policy_wins_over_an_inferred_style(tmp_path: Path) -> None:
    """A Power Platform connector's policy says how it pages: it replaces what inference guessed."""
    folder = tmp_path / "pp"
    folder.mkdir()
    page = {"type": "object", "properties": {"value": {"type": "array", "items": {"type": "string"}}, "more": {"type": "string"}}}
    definition = {
        "swagger": "2.0",
        "info": {"title": "Offsets", "version": "1.0", "description": "Offsets."},
        "host": "api.example.invalid",
        "paths": {"/offsets": {"get": {"operationId": "ListOffsets", "parameters": [{"name": "$skip", "in": "query", "type": "integer"}], "responses": {"200": {"description": "ok", "schema": page}}}}},
    }
    (folder / "apiDefinition.swagger.json").write_text(json.dumps(definition), "utf-8")
    policy = {"templateId": "updatenextlink", "title": "next", "parameters": {"x-ms-apimTemplate-operationName": ["ListOffsets"], "x-ms-apimTemplateParameter.nextLinkPropertyName": "more"}}
    (folder / "apiProperties.json").write_text(json.dumps({"properties": {"policyTemplateInstances": [policy]}}), "utf-8")
    result = generate(folder)
    assert result.ok and result.connector is not None, [d.render() for d in result.diagnostics]
    [op] = [o for o in result.connector.operations if o.operation_id == "ListOffsets"]
    assert op.pager is not None
    assert (op.pager.style, op.pager.next_link, op.pager.origin) == ("next-link", ("more",), "the updatenextlink policy")


def test_the_fixture_documents_every_style(tmp_path: Path) -> None:
    result = generate(CASES / "paging" / "paging.yaml")
    assert result.ok and result.connector is not None
    styles = {op.operation_id: (op.pager.style, op.pager.origin) for op in result.connector.operations if op.pager}
    assert styles == {
        "listLinks": ("next-link", "inferred"),
        "listRepos": ("link-header", "inferred"),
        "listPods": ("cursor", "inferred"),
        "listCharges": ("cursor", "inferred"),
        "listRecords": ("offset", "inferred"),
        "listNotes": ("page", "inferred"),
        "listEvents": ("cursor", "x-connector-paging"),
        "listSlides": ("page", "x-connector-paging"),
    }
    assert textwrap.dedent(
        """
        Every item of every page of ``list_charges``, sending the last item's id back as starting_after (inferred).
        """
    ).strip() in (CASES / "paging" / "expected" / "paging" / "python" / "paging" / "client.py").read_text("utf-8")


def test_the_power_platform_export_says_a_next_link_in_x_ms_pageable_and_nothing_else() -> None:
    """Power Platform knows one way of paging, x-ms-pageable (a next link at the top of the body): an
    inferred or described next-link pager is written so; cursors, pages, offsets and Link headers have no
    form there, and the document's own x-connector-paging is left out, as every x-connector-* key is."""
    exported = json.loads((CASES / "paging" / "expected" / "paging" / "powerplatform" / "apiDefinition.swagger.json").read_text("utf-8"))
    pageable = {path: item["get"].get("x-ms-pageable") for path, item in exported["paths"].items()}
    assert pageable["/links"] == {"nextLinkName": "nextLink"}  # the items are in value, where Power Platform looks
    assert all(value is None for path, value in pageable.items() if path != "/links")
    assert all("x-connector-paging" not in item["get"] for item in exported["paths"].values())
