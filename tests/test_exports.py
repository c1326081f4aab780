"""Exports: the Power Platform pair validates against Microsoft's schemas, openapi.json under openapi-spec-validator."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

import jsonschema
import pytest
from connectorsmith.document import ecma
from connectorsmith.document.loader import load
from connectorsmith.document.validate import all_of_cycles, with_server_defaults, without_schemas
from connectorsmith.pipeline import generate
from connectorsmith.render.jsontext import to_json
from connectorsmith.render.targets import FULL
from connectorsmith.reuse.stores import JsonTexts
from hypothesis import given, settings
from hypothesis import strategies as st
from openapi_spec_validator import OpenAPIV31SpecValidator

from .conftest import CASES, ROOT, SHARED, needs_shared

SCHEMAS = SHARED / "corpus" / "schemas"


@cache
def validators() -> tuple[jsonschema.protocols.Validator, jsonschema.protocols.Validator]:
    # Microsoft's apiDefinition schema has // comments: read leniently.
    definition = load(SCHEMAS / "apiDefinition.swagger.schema.json", lenient=True).data
    properties = load(SCHEMAS / "paconn-apiProperties.schema.json", lenient=True).data
    return jsonschema.Draft4Validator(definition), jsonschema.Draft7Validator(properties)


def _trees() -> list[Path]:
    """The golden trees that hold the exports (a case made without the powerplatform target has none)."""
    trees = [ROOT / "generated" / "hipchat", *(p / "expected" / p.name for p in CASES.iterdir() if (p / "expected").is_dir())]
    return sorted(tree for tree in trees if (tree / "powerplatform").is_dir())


def _errors(validator: jsonschema.protocols.Validator, document: object) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message[:200]}" for e in validator.iter_errors(document)]


@needs_shared("corpus", "schemas")  # Microsoft's JSON Schemas of the two files
@pytest.mark.parametrize("tree", _trees(), ids=lambda p: p.name)
def test_exports_are_valid(tree: Path) -> None:
    definition_validator, properties_validator = validators()
    definition = json.loads((tree / "powerplatform" / "apiDefinition.swagger.json").read_text("utf-8"))
    properties = json.loads((tree / "powerplatform" / "apiProperties.json").read_text("utf-8"))
    assert _errors(definition_validator, definition) == []
    assert _errors(properties_validator, properties) == []
    document = json.loads((tree / "openapi.json").read_text("utf-8"))
    assert document["openapi"] == "3.1.0"
    # openapi-spec-validator recurses forever on an allOf cycle (types30 has one): validate the rest, as connectorsmith does.
    # A server variable without a default (servers) is kept as the document gives it, warned about: as connectorsmith does.
    checked = with_server_defaults(without_schemas(document, all_of_cycles(document)))
    # It checks patterns with Python's re: an ECMA-262 pattern re spells otherwise (a named group) is valid.
    errors = [e for e in OpenAPIV31SpecValidator(checked).iter_errors() if not (e.validator == "format" and e.validator_value == "regex" and ecma.translate(str(e.instance)).python)]
    assert [str(e) for e in errors] == []


def test_hipchat_exports_carry_the_spec() -> None:
    tree = ROOT / "generated" / "hipchat"
    definition = json.loads((tree / "powerplatform" / "apiDefinition.swagger.json").read_text("utf-8"))
    assert "x-connector-throttling" not in definition and "x-connector-trigger" not in json.dumps(definition)
    assert {op["operationId"] for item in definition["paths"].values() for op in item.values()} == {
        "AddUserToRoom", "GetUserById", "ListRoomUsers", "PostMessage", "OnFileUploaded", "OnNewMessage", "OnNewRoom",
    }
    properties = json.loads((tree / "powerplatform" / "apiProperties.json").read_text("utf-8"))["properties"]
    assert properties["connectionParameters"]["token"]["type"] == "securestring"
    assert properties["capabilities"] == ["actions", "triggers"]
    document = json.loads((tree / "openapi.json").read_text("utf-8"))
    post = document["paths"]["/room/{roomId}/message"]["post"]
    assert post["requestBody"]["content"]["application/json"]["schema"]["required"] == ["message"]
    assert post["responses"]["201"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/NewMessage"}
    assert document["components"]["securitySchemes"]["personalAccessToken"] == {"type": "apiKey", "in": "header", "name": "Authorization"}


def test_openapi3_input_is_converted_down_for_power_platform() -> None:
    tree = CASES / "openapi3" / "expected" / "openapi3"
    definition = json.loads((tree / "powerplatform" / "apiDefinition.swagger.json").read_text("utf-8"))
    assert definition["swagger"] == "2.0"
    assert (definition["host"], definition["basePath"], definition["schemes"]) == ("api.example.invalid", "/v1", ["https"])
    body = definition["paths"]["/pets"]["post"]["parameters"][0]
    assert body["in"] == "body" and body["schema"]["properties"]["tag"]["x-nullable"] is True
    assert definition["paths"]["/pets"]["get"]["responses"]["200"]["schema"]["items"] == {"$ref": "#/definitions/Pet"}


CONNECTOR = SHARED / "corpus" / "certified" / "MicrosoftGraphSecurity"


@pytest.mark.skipif(not CONNECTOR.is_dir(), reason="needs ../shared/corpus")
def test_power_platform_input_round_trips() -> None:
    result = generate(CONNECTOR)
    assert result.ok, [d.render() for d in result.diagnostics]
    folder = PurePosixPath(result.name, "powerplatform")
    exported = json.loads(result.files[folder / "apiDefinition.swagger.json"])
    original = load(next(p for p in CONNECTOR.iterdir() if p.name.lower() == "apidefinition.swagger.json"), lenient=True).data
    assert exported == original, "a Power Platform definition is exported as it came"
    properties = json.loads(result.files[folder / "apiProperties.json"])
    assert properties == load(CONNECTOR / "apiProperties.json", lenient=True).data
    assert _errors(validators()[1], properties) == []


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=4),
    max_leaves=30,
)


@settings(max_examples=500, deadline=None)
@given(_json)
def test_to_json_writes_what_json_dumps_writes(value: object) -> None:
    assert to_json(value) == json.dumps(value, indent=2, ensure_ascii=False) + "\n"
    assert to_json(value, ensure_ascii=True) == json.dumps(value, indent=2) + "\n"  # the writer's manifests


@settings(max_examples=500, deadline=None)
@given(_json)
def test_to_json_with_remembered_parts_writes_the_same(value: object) -> None:
    """Dicts a run keeps (the reuse layer's Pieces marks them) are encoded once per indentation and reused."""
    value = {"here": value, "deeper": [value]}  # each kept dict at two indentations
    remembered = JsonTexts()
    stack: list[object] = [value]
    while stack:  # keep every other dict (not the whole)
        node = stack.pop()
        if isinstance(node, dict):
            if node is not value and len(remembered.kept) % 2 == 0:
                remembered.kept[id(node)] = node
            stack += node.values()
        elif isinstance(node, list):
            stack += node
    expected = json.dumps(value, indent=2, ensure_ascii=False) + "\n"
    assert to_json(value, kept=remembered) == expected
    remembered.turn()
    remembered.kept = {id(node): node for node in _dicts(value) if node is not value}
    assert to_json(value, kept=remembered) == expected
    assert to_json(value, kept=remembered) == expected  # now from the texts kept


def _dicts(value: object) -> list[dict[str, object]]:
    found: list[dict[str, object]] = []
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            found.append(node)
            stack += node.values()
        elif isinstance(node, list):
            stack += node
    return found


_AWKWARD = {
    "openapi": "3.0.3",
    "info": {"title": "Awkward", "version": "1"},
    "servers": [{"url": "https://api.example.invalid/v1"}],
    "security": [{"cookie session": []}, {"key": []}],
    "paths": {
        "/things": {
            "get": {
                "operationId": "ListThings",
                "security": [{"cookie session": []}],
                "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Fancy Thing"}}}}},
            },
            "post": {
                "operationId": "AddThing",
                "security": [{"key": []}],
                "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Fancy Thing"}}}},
                "responses": {"201": {"description": "made"}},
            },
        }
    },
    "components": {
        "schemas": {"Fancy Thing": {"type": "object", "nullable": True, "properties": {"name": {"type": "string"}}}},
        "securitySchemes": {
            "cookie session": {"type": "apiKey", "in": "cookie", "name": "sid"},
            "key": {"type": "apiKey", "in": "header", "name": "X-Key"},
        },
    },
}


def test_component_names_and_schemes_2_0_lacks_are_exported_the_same_run_after_run(tmp_path: Path) -> None:
    """Names OpenAPI 3.1 refuses are renamed with their $refs, schemes 2.0 cannot express are left out
    of every requirement; the same when the parts come from a memory (--watch), pass after pass."""
    from connectorsmith.reuse.memory import Memory

    spec = tmp_path / "awkward.json"
    memory = Memory()
    for summary in ("one", "two", "three"):
        _AWKWARD["paths"]["/things"]["get"]["summary"] = summary
        spec.write_text(json.dumps(_AWKWARD), "utf-8")
        remembered, fresh = generate(spec, memory=memory, targets=FULL), generate(spec, targets=FULL)
        assert remembered.files == fresh.files
        openapi = json.loads(remembered.files[PurePosixPath("awkward", "openapi.json")])
        assert list(openapi["components"]["schemas"]) == ["Fancy_Thing"]
        assert openapi["paths"]["/things"]["get"]["responses"]["200"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Fancy_Thing"}
        assert list(openapi["components"]["securitySchemes"]) == ["cookie_session", "key"]
        assert openapi["paths"]["/things"]["get"]["security"] == [{"cookie_session": []}]
        assert openapi["components"]["schemas"]["Fancy_Thing"]["type"] == ["object", "null"]
        definition = json.loads(remembered.files[PurePosixPath("awkward", "powerplatform", "apiDefinition.swagger.json")])
        assert list(definition["securityDefinitions"]) == ["key"]
        assert definition["security"] == [{"key": []}]
        assert definition["paths"]["/things"]["get"]["security"] == [{}]  # its only scheme left out
        assert definition["paths"]["/things"]["post"]["security"] == [{"key": []}]
        assert definition["paths"]["/things"]["get"]["responses"]["200"]["schema"] == {"$ref": "#/definitions/Fancy Thing"}
        assert definition["definitions"]["Fancy Thing"]["x-nullable"] is True
    assert _AWKWARD["components"]["securitySchemes"]["cookie session"] == {"type": "apiKey", "in": "cookie", "name": "sid"}


def test_a_swagger_2_path_item_kept_follows_the_documents_media_types(tmp_path: Path) -> None:
    """A 2.0 path item's operations take the document's consumes/produces: kept pieces (--watch) too."""
    from connectorsmith.reuse.memory import Memory

    spec = tmp_path / "media.json"
    memory = Memory()
    for media in ("application/json", "text/json", "application/json"):
        document = {
            "swagger": "2.0",
            "info": {"title": "Media", "version": "1"},
            "host": "api.example.invalid",
            "consumes": [media],
            "paths": {"/things": {"post": {"operationId": "AddThing", "parameters": [{"name": "body", "in": "body", "schema": {"$ref": "#/definitions/Thing"}}],
                                            "responses": {"200": {"description": "ok"}}}}},
            "definitions": {"Thing": {"type": "object", "properties": {"name": {"type": "string"}}}},
        }
        spec.write_text(json.dumps(document), "utf-8")
        remembered, fresh = generate(spec, memory=memory, targets=FULL), generate(spec, targets=FULL)
        memory.next_run()
        assert remembered.files == fresh.files
        openapi = json.loads(remembered.files[PurePosixPath("media", "openapi.json")])
        assert list(openapi["paths"]["/things"]["post"]["requestBody"]["content"]) == [media]
        assert openapi["components"]["schemas"]["Thing"]["properties"]["name"] == {"type": "string"}
        definition = json.loads(remembered.files[PurePosixPath("media", "powerplatform", "apiDefinition.swagger.json")])
        assert definition["consumes"] == [media]


def _dangling(document: dict[str, object]) -> list[str]:
    """Every local $ref of ``document`` that names nothing in it."""
    found: list[str] = []

    def resolves(ref: str) -> bool:
        node: object = document
        for part in ref.removeprefix("#/").split("/"):
            part = unquote(part).replace("~1", "/").replace("~0", "~")  # a URI fragment: percent-encoded
            if isinstance(node, list) and part.isdigit() and int(part) < len(node):
                node = node[int(part)]
            elif isinstance(node, dict) and part in node:
                node = node[part]
            else:
                return False
        return True

    def walk(value: object) -> None:
        if isinstance(value, dict):
            ref = value.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/") and not resolves(ref):
                found.append(ref)
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(document)
    return found


SHARED_BODIES = """\
swagger: "2.0"
info: {title: Shared bodies, version: "1"}
host: example.invalid
parameters:
  body-item: {name: body, in: body, required: true, schema: {$ref: "#/definitions/Item"}}
  note: {name: note, in: formData, type: string}
  limit: {name: limit, in: query, type: integer}
paths:
  /items:
    post:
      operationId: CreateItem
      parameters:
        - {$ref: "#/parameters/body-item"}
        - {$ref: "#/parameters/limit"}
        - {name: tags, in: query, type: array, items: {type: string}, uniqueItems: true, maxItems: 5, collectionFormat: csv}
      responses: {"200": {description: ok}}
  /items/{id}:
    parameters:
      - {name: id, in: path, required: true, type: string}
      - {$ref: "#/parameters/body-item"}
    put:
      operationId: ReplaceItem
      responses: {"200": {description: ok}}
  /notes:
    post:
      operationId: AddNote
      consumes: [application/x-www-form-urlencoded]
      parameters: [{$ref: "#/parameters/note"}]
      responses: {"200": {description: ok}}
definitions:
  Item: {type: object, properties: {id: {type: string}}}
"""


@pytest.mark.parametrize("kept", [False, True], ids=["cold", "watch"])
def test_shared_body_parameters_become_request_bodies_not_dangling_references(tmp_path: Path, kept: bool) -> None:
    """A 2.0 document's shared body (and formData) parameters have no 3.1 counterpart: an operation (or a
    path item) that refers to one gets it as its request body (the export of Kubernetes held 100s of
    dangling references, and 1,172 uniqueItems beside parameters: it now validates)."""
    from connectorsmith.reuse.memory import Memory

    spec = tmp_path / "shared_bodies.yaml"
    spec.write_text(SHARED_BODIES, "utf-8")
    result = generate(spec, targets=FULL, memory=Memory() if kept else None)
    assert result.ok, [d.render() for d in result.diagnostics]
    exported = json.loads(result.files[PurePosixPath("shared_bodies", "openapi.json")])
    assert _dangling(exported) == []
    paths = exported["paths"]
    item = {"$ref": "#/components/schemas/Item"}
    assert paths["/items"]["post"]["requestBody"]["content"]["application/json"]["schema"] == item
    limit, tags = paths["/items"]["post"]["parameters"]
    assert limit == {"$ref": "#/components/parameters/limit"}
    # every 2.0 keyword of a parameter's value goes into its 3.1 schema (uniqueItems stood beside it before)
    assert tags["schema"] == {"type": "array", "items": {"type": "string"}, "uniqueItems": True, "maxItems": 5} and "uniqueItems" not in tags
    assert paths["/items/{id}"]["put"]["requestBody"]["content"]["application/json"]["schema"] == item
    assert [p["name"] for p in paths["/items/{id}"]["parameters"]] == ["id"]
    form = paths["/notes"]["post"]["requestBody"]["content"]["application/x-www-form-urlencoded"]["schema"]
    assert form["properties"] == {"note": {"type": "string"}}
    OpenAPIV31SpecValidator(exported).validate()


@pytest.mark.parametrize("tree", sorted([ROOT / "generated" / "hipchat", *(p / "expected" / p.name for p in CASES.iterdir() if (p / "expected" / p.name / "openapi.json").is_file())]), ids=lambda p: p.name)
def test_every_reference_of_an_openapi_export_resolves(tree: Path) -> None:
    assert _dangling(json.loads((tree / "openapi.json").read_text("utf-8"))) == []
