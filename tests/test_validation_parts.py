"""openapi-spec-validator runs only over the parts of a document that can have findings (issue 24), and finds
exactly what it finds over the whole document: the same findings (pointer, message, hint, level), in the same
order once sorted as diagnostics are. Documents of every version with faults injected at seeded or
hypothesis-chosen places (wrong types, unknown keys, values outside an enum, missing keys, defaults that do not
fit, repeated parameters), the golden cases' specs and certified connectors among them; and probes that show
the comparison fails when a part that has findings is left out."""

from __future__ import annotations

import copy
import json
import random
import re
from pathlib import Path
from typing import Any

import pytest
from connectorsmith.document import openapi, quickcheck, validate
from hypothesis import given
from hypothesis import strategies as st

from .fuzzing import budget
from .test_validation_fast import INPUTS

# ------------------------------------------------------------------------------------------- the schemas


def _osv_schema(ver: str) -> dict[str, Any]:
    folder = Path(quickcheck._package_folder("openapi_spec_validator"), "resources", "schemas", f"v{ver}")
    schema: dict[str, Any] = json.loads((folder / "schema.json").read_text("utf-8"))
    return schema


def _resolved_schema(root: dict[str, Any], schema: Any) -> Any:
    while isinstance(schema, dict) and set(schema) == {"$ref"}:
        found, schema = openapi.lookup(root, openapi.parse_ref(schema["$ref"]) or ())
        assert found
    return schema


#: What a schema on the way from the root to a map, or a map's own schema, may hold: none of it reads an
#: entry's value except through the one schema every entry gets (patternProperties / additionalProperties).
_KEYS_ONLY = {"type", "description", "title", "$comment", "$schema", "id", "$id", "definitions", "$defs", "properties", "patternProperties",
              "additionalProperties", "required", "propertyNames", "unevaluatedProperties", "$ref", "anyOf"}


def _only_about_keys(root: dict[str, Any], schema: dict[str, Any]) -> None:
    assert set(schema) <= _KEYS_ONLY, set(schema) - _KEYS_ONLY
    for branch in schema.get("anyOf", ()):  # 3.1's root: paths, components or webhooks
        assert set(branch) == {"required"}
    if "$ref" in schema:  # 3.1: the specification extensions, by name
        target = _resolved_schema(root, {"$ref": schema["$ref"]})
        assert set(target) <= {"$comment", "patternProperties"} and list(target["patternProperties"]) == ["^x-"]


@pytest.mark.parametrize("ver", ["2.0", "3.0", "3.1"])
def test_each_map_entry_is_checked_on_its_own(ver: str) -> None:
    """Each map of DOCUMENT_MAPS is reached from the root through ``properties`` alone, and neither it nor the
    objects above it have a keyword that reads an entry's value other than the entries' own schema
    (no oneOf/allOf/if/dependencies above them; 3.1's unevaluatedProperties reads the keys there, its
    $dynamicRef (components.schemas) resolves in the schema, not the document): what the Python pass finds
    in an entry does not depend on the other entries."""
    root = _osv_schema(ver)
    for place in quickcheck.DOCUMENT_MAPS[ver]:
        schema = root
        for part in place:
            _only_about_keys(root, schema)
            schema = _resolved_schema(root, schema["properties"][part])
        _only_about_keys(root, schema)
        assert "properties" not in schema or not (set(schema["properties"]) - {"$ref"}), place  # entries: one schema each
        entry_schemas = [*schema.get("patternProperties", {}).values(), schema.get("additionalProperties")]
        assert any(isinstance(s, dict) and s for s in entry_schemas), place


@pytest.mark.parametrize("ver", ["2.0", "3.0", "3.1"])
def test_each_operation_of_a_path_item_is_checked_on_its_own(ver: str) -> None:
    """A path item's schema reads its keys only as ``_only_about_keys`` allows, and gives each operation one
    schema of its own (3.1: an item with "$ref" is a Reference Object, kept whole): what the Python pass
    finds in an operation does not depend on the item's other operations, which the pruning leaves out."""
    root = _osv_schema(ver)
    paths = _resolved_schema(root, root["properties"]["paths"])
    item = _resolved_schema(root, next(s for pattern, s in paths["patternProperties"].items() if re.search(pattern, "/a")))
    if "if" in item:
        assert item["if"] == {"type": "object", "required": ["$ref"]} and set(item) == {"if", "then", "else"}
        item = _resolved_schema(root, item["else"])
    _only_about_keys(root, item)
    for method in openapi.METHODS:
        schemas = [item.get("properties", {}).get(method), *(s for pattern, s in item.get("patternProperties", {}).items() if re.search(pattern, method))]
        assert len([s for s in schemas if s is not None]) <= 1, method  # none: not an operation here (an error of the item: kept whole)


# ------------------------------------------------------------------------------------------- the faults


def _places(data: Any, pointer: tuple[Any, ...] = ()) -> list[tuple[tuple[Any, ...], dict[str, Any]]]:
    """Every object of ``data`` (not a reference, not an example or extension) with its pointer."""
    found = []
    if isinstance(data, dict) and "$ref" not in data:
        found.append((pointer, data))
    items = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else ()
    for key, value in items:
        if key in ("example", "examples", "x-example", "enum", "default") or str(key).startswith("x-"):
            continue
        found += _places(value, (*pointer, key))
    return found


def _fault(rng: random.Random, node: dict[str, Any]) -> None:
    kind = rng.randrange(9)
    keys = [k for k in node if k != "$ref"]
    if kind == 0 or not keys:
        node[rng.choice(["bogus", "respones", "nulable", "requird"])] = 1  # an unknown key
    elif kind == 1:  # a value of the wrong type
        key = rng.choice(keys)
        value = node[key]
        node[key] = 5 if isinstance(value, str) else "yes" if isinstance(value, (bool, int)) else {} if isinstance(value, list) else [1]
    elif kind == 2:  # a value outside its enum
        for key, bad in (("type", "strng"), ("in", "querry"), ("style", "simpel"), ("collectionFormat", "tabs"), ("scheme", 3)):
            if key in node:
                node[key] = bad
                return
        node["type"] = "strng"
    elif kind == 3:  # a key left out (a required one, often)
        del node[rng.choice(keys)]
    elif kind == 4:  # a default that does not fit (the semantic pass)
        node["default"] = rng.choice(["ten", 10**12, None, [1]])
        node.setdefault("type", "integer")
    elif kind == 5:  # a parameter repeated
        params = node.get("parameters")
        if isinstance(params, list) and params:
            params.append(copy.deepcopy(params[0]))
        else:
            node["parameters"] = [{"name": "q", "in": "query", "type": "string"}] * 2
    elif kind == 6:  # allOf with a required property no member has (the semantic pass)
        node["allOf"] = [{"type": "object"}]
        node["required"] = ["nowhere"]
    elif kind == 7:  # a schema its meta-schema rejects
        node["maxLength"] = "10"
    else:
        node["readOnly"] = "true"


def faulty(data: dict[str, Any], rng: random.Random, count: int) -> dict[str, Any]:
    """A copy of ``data`` with ``count`` faults at places ``rng`` picks (the root and the maps too, now and then)."""
    data = copy.deepcopy(data)
    places = _places(data)
    for _ in range(count):
        _, node = rng.choice(places) if rng.random() > 0.05 else places[0]
        _fault(rng, node)
    return data


def _validated(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` as validate.py gives it to openapi-spec-validator (cycles and broken references cut out)."""
    refs = openapi.document_refs(data, lambda _pointer, _part, find: find())
    broken = [p[:-1] if p[-1:] == ("$ref",) else p for ref, p in refs if not openapi.lookup(data, openapi.parse_ref(ref) or ("\0",))[0]]
    cut = list(dict.fromkeys([*validate.all_of_cycles(data), *validate.collected_cycles(data), *broken]))
    return validate.with_server_defaults(validate.without_schemas(data, cut))


def _sorted(findings: list[validate.Finding]) -> list[validate.Finding]:
    # As diagnostics are sorted (by place, then message), each place's findings in the order found.
    return sorted(findings, key=lambda f: (json.dumps(f.pointer), f.message))


def _is_tree(data: Any) -> bool:
    """Whether each mapping and list of ``data`` stands at one place in it (as in a document read from a file)."""
    seen: set[int] = set()
    pending = [data]
    while pending:
        value = pending.pop()
        if isinstance(value, (dict, list)):
            if id(value) in seen:
                return False
            seen.add(id(value))
            pending.extend(value.values() if isinstance(value, dict) else value)
    return True


def assert_same_findings(ver: str, data: dict[str, Any]) -> list[validate.Finding]:
    """The findings of the parts (``tree``: told as validate.py tells them of a document read from a file,
    when ``data`` is one) are the whole document's."""
    whole = validate._validate_openapi_full(ver, data, None, prune=False)
    parts = validate._validate_openapi(ver, data, tree=_is_tree(data))
    assert _sorted(parts) == _sorted(whole)
    return whole


def _documents() -> list[tuple[str, dict[str, Any]]]:
    from connectorsmith.pipeline import _load

    found = []
    for spec in INPUTS:
        if not spec.exists():
            continue
        try:
            doc, _ = _load(spec, True)
        except Exception:  # noqa: BLE001, S112 - files the loader rejects never reach validation
            continue
        ver = openapi.version(doc.data)
        if ver:
            found.append((spec.name, doc.data))
    return found


_DOCUMENTS = _documents()

_OP = {"responses": {"200": {"description": "ok"}}}
_SMALL = {
    "2.0": {"swagger": "2.0", "info": {"title": "t", "version": "1"}, "paths": {"/a": {"get": {**_OP, "parameters": [{"name": "q", "in": "query", "type": "integer", "default": 1}]}},
            "/b/{id}": {"parameters": [{"name": "id", "in": "path", "required": True, "type": "string"}], "get": {**_OP, "responses": {"200": {"description": "ok", "schema": {"$ref": "#/definitions/Pet"}}}}}},
            "definitions": {"Pet": {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}, "tag": {"$ref": "#/definitions/Tag"}}}, "Tag": {"type": "string", "enum": ["a", "b"]}},
            "parameters": {"limit": {"name": "limit", "in": "query", "type": "integer"}}, "responses": {"NotFound": {"description": "nf"}},
            "securityDefinitions": {"key": {"type": "apiKey", "name": "k", "in": "header"}}},
    "3.0": {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {"/a": {"get": {**_OP, "parameters": [{"name": "q", "in": "query", "schema": {"type": "integer", "default": 1}}]}},
            "/b/{id}": {"parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}], "get": {"responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}}}}}}},
            "components": {"schemas": {"Pet": {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}, "tag": {"$ref": "#/components/schemas/Tag"}}}, "Tag": {"type": "string", "enum": ["a", "b"]}},
                           "parameters": {"limit": {"name": "limit", "in": "query", "schema": {"type": "integer"}}}, "responses": {"NotFound": {"description": "nf"}},
                           "securitySchemes": {"key": {"type": "apiKey", "name": "k", "in": "header"}}}},
}
_SMALL["3.1"] = {**copy.deepcopy(_SMALL["3.0"]), "openapi": "3.1.0", "webhooks": {"ping": {"post": _OP}}}


@pytest.mark.parametrize("ver", ["2.0", "3.0", "3.1"])
@given(seed=st.integers(0, 2**32 - 1), count=st.integers(1, 6))
@budget(60)
def test_findings_of_the_parts_are_the_whole_documents(ver: str, seed: int, count: int) -> None:
    data = _validated(faulty(_SMALL[ver], random.Random(seed), count))
    assert_same_findings(ver, data)


@pytest.mark.parametrize("name", [name for name, _ in _DOCUMENTS])
def test_findings_of_the_parts_are_the_whole_documents_on_real_documents(name: str) -> None:
    """Each golden case's spec and certified connector, with faults injected at seeded places (three documents
    each: 1, 3 and 12 faults), and as it is."""
    data = dict(_DOCUMENTS)[name]
    ver = openapi.version(data)
    assert ver
    assert_same_findings(ver, _validated(data))
    for seed, count in ((1, 1), (2, 3), (3, 12)):
        assert_same_findings(ver, _validated(faulty(data, random.Random(seed), count)))


@given(index=st.integers(0, max(len(_DOCUMENTS) - 1, 0)), seed=st.integers(0, 2**32 - 1), count=st.integers(1, 20))
@budget(25)
def test_findings_of_the_parts_are_the_whole_documents_at_chosen_places(index: int, seed: int, count: int) -> None:
    if not _DOCUMENTS:
        pytest.skip("no documents")
    data = _DOCUMENTS[index][1]
    ver = openapi.version(data)
    assert ver
    assert_same_findings(ver, _validated(faulty(data, random.Random(seed), count)))


# ------------------------------------------------------------------------------------------- the probes


def _many_faults(ver: str) -> dict[str, Any]:
    data = copy.deepcopy(_SMALL[ver])
    maps = data if ver == "2.0" else data["components"]
    schemas = maps["definitions" if ver == "2.0" else "schemas"]
    schemas["Pet"]["properties"]["id"]["type"] = "strng"
    schemas["Tag"]["nulable"] = True
    data["paths"]["/a"]["get"]["respones"] = {}
    data["paths"]["/b/{id}"]["get"]["deprecated"] = "no"
    return data


@pytest.mark.parametrize("ver", ["2.0", "3.0", "3.1"])
def test_a_left_out_entry_would_be_caught(ver: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The probe: a pruning that leaves out one entry jsonschema-rs found failing makes the findings differ."""
    data = _many_faults(ver)
    whole = assert_same_findings(ver, data)
    assert len(whole) >= 3
    right = quickcheck.schema_failing_parts

    def one_short(ver: str, data: dict[str, Any]) -> dict[str, Any]:
        pruned = right(ver, data)
        first = next(iter(pruned["paths"]))
        return {**pruned, "paths": {k: v for k, v in pruned["paths"].items() if k != first}}

    monkeypatch.setattr(quickcheck, "schema_failing_parts", one_short)
    with pytest.raises(AssertionError):
        assert_same_findings(ver, data)


@pytest.mark.parametrize("ver", ["2.0", "3.0", "3.1"])
def test_a_left_out_operation_would_be_caught(ver: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The probe: a pruning that leaves out the operations jsonschema-rs found failing makes the findings differ."""
    data = _many_faults(ver)
    assert_same_findings(ver, data)
    monkeypatch.setattr(quickcheck, "with_operations", lambda item, failing: {k: v for k, v in item.items() if k not in openapi.METHODS})
    with pytest.raises(AssertionError):
        assert_same_findings(ver, data)


def test_the_operations_the_semantic_pass_sees_are_those_that_may_yield_a_finding() -> None:
    data = copy.deepcopy(_SMALL["3.0"])
    item = data["paths"]["/b/{id}"]
    item["post"] = {"responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"type": "integer", "default": "ten"}}}}}}
    item["put"] = {**_OP, "summary": 5}
    item["delete"] = {**_OP, "parameters": [{"name": "q", "in": "query"}] * 2}
    assert quickcheck.semantic_operations("3.0", data) == {"/a": [], "/b/{id}": ["post", "put", "delete"]}  # not get: it holds
    data["components"]["schemas"]["Tag"]["default"] = "c"  # get reaches Pet, Pet reaches Tag
    assert quickcheck.semantic_operations("3.0", data)["/b/{id}"] == ["get", "post", "put", "delete"]
    item["parameters"].append(item["parameters"][0])  # the item's own parameters may fail: not cut
    assert "/b/{id}" not in quickcheck.semantic_operations("3.0", data)
    item["parameters"].pop()
    item["summary"] = 5  # a document-schema error of the item's own: not cut
    assert "/b/{id}" not in quickcheck.semantic_operations("3.0", data)


@pytest.mark.parametrize("ver", ["2.0", "3.0", "3.1"])
def test_a_left_out_operation_of_the_semantic_pass_would_be_caught(ver: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The probe: leaving out an operation whose response's default does not fit makes the findings differ."""
    data = _many_faults(ver)
    schema = {"type": "integer", "default": "ten"}
    data["paths"]["/a"]["post"] = {"responses": {"200": {"description": "ok", **({"schema": schema} if ver == "2.0" else {"content": {"application/json": {"schema": schema}}})}}}
    whole = assert_same_findings(ver, data)
    assert any(f.pointer[:3] == ("paths", "/a", "post") for f in whole)
    right = quickcheck.semantic_operations
    monkeypatch.setattr(quickcheck, "semantic_operations", lambda ver, data, reach=None: {k: [m for m in ops if m != "post"] for k, ops in right(ver, data, reach).items()})
    with pytest.raises(AssertionError):
        assert_same_findings(ver, data)


def test_a_left_out_path_item_would_be_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    """The probe of the semantic pass: leaving out a path item whose default does not fit its schema."""
    data = copy.deepcopy(_SMALL["3.0"])
    data["paths"]["/a"]["get"]["parameters"][0]["schema"]["default"] = "ten"
    data["components"]["schemas"]["Tag"]["nulable"] = True  # the document schema fails too
    assert validate._validate_openapi_full("3.0", data, None, prune=False)
    assert_same_findings("3.0", data)
    right = quickcheck.semantic_paths
    monkeypatch.setattr(quickcheck, "semantic_paths", lambda ver, data: [k for k in (right(ver, data) or data["paths"]) if k != "/a"])
    with pytest.raises(AssertionError):
        assert_same_findings("3.0", data)


def test_a_document_with_findings_sees_only_its_failing_parts() -> None:
    """What the two passes are given: the failing entries of each map, and the path items that need it."""
    data = _many_faults("3.0")
    pruned = quickcheck.schema_failing_parts("3.0", data)
    assert list(pruned["paths"]) == ["/a", "/b/{id}"] and list(pruned["components"]["schemas"]) == ["Pet", "Tag"]
    assert pruned["components"]["parameters"] == {} and data["components"]["parameters"]  # the document is unchanged
    data["paths"]["/a"]["post"] = _OP
    assert list(quickcheck.schema_failing_parts("3.0", data)["paths"]["/a"]) == ["get"]  # only the operation that fails
    data["paths"]["/a"]["summary"] = 5
    assert list(quickcheck.schema_failing_parts("3.0", data)["paths"]["/a"]) == ["get", "summary"]  # its other keys kept
    data["paths"]["/a"]["bogus"] = 1
    assert list(quickcheck.schema_failing_parts("3.0", data)["paths"]["/a"]) == ["get", "post", "summary", "bogus"]  # an error of its own: whole
    del data["paths"]["/a"]["post"], data["paths"]["/a"]["summary"], data["paths"]["/a"]["bogus"]
    data["paths"]["/c"] = {"get": _OP}
    assert quickcheck.semantic_paths("3.0", data) == ["/a", "/b/{id}"]
    data["bogus"] = 1  # about the root's keys: still pruned
    assert list(quickcheck.schema_failing_parts("3.0", data)["paths"]) == ["/a", "/b/{id}"]
    data["paths"]["bogus"] = {}  # an error of paths itself: paths kept whole
    assert list(quickcheck.schema_failing_parts("3.0", data)["paths"]) == ["/a", "/b/{id}", "/c", "bogus"]
    assert quickcheck.semantic_paths("3.0", data) is None


def _orphan_fault(ver: str) -> dict[str, Any]:
    """``_many_faults`` with a named schema no path item reaches whose default does not fit (a finding of the
    semantic pass alone), and one that only holds schemas that hold: the pass finds the first when it
    walks the named schemas."""
    data = _many_faults(ver)
    maps = data if ver == "2.0" else data["components"]
    schemas = maps["definitions" if ver == "2.0" else "schemas"]
    schemas["Orphan"] = {"type": "object", "properties": {"n": {"type": "integer", "default": "ten"}}}
    schemas["Plain"] = {"type": "object", "properties": {"tag": {"$ref": "#/components/schemas/Tag" if ver != "2.0" else "#/definitions/Tag"}}}
    return data


@pytest.mark.parametrize("ver", ["3.0", "3.1"])
def test_the_named_schemas_walked_are_those_that_may_yield_a_finding(ver: str) -> None:
    data = _orphan_fault(ver)
    assert quickcheck.semantic_schemas(ver, data) == ["Pet", "Orphan"]  # Tag and Plain hold, and reach only what holds
    whole = assert_same_findings(ver, data)
    assert [f.pointer for f in whole if f.pointer[:3] == ("components", "schemas", "Orphan")] == [("components", "schemas", "Orphan", "properties", "n", "default")]
    assert quickcheck.semantic_schemas(ver, {**data, "components": {"schemas": {"Bad": 1}}}) == ["Bad"]
    assert quickcheck.semantic_schemas(ver, {**data, "components": []}) is None


@pytest.mark.parametrize("ver", ["3.0", "3.1"])
def test_a_left_out_named_schema_would_be_caught(ver: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The probe: leaving out a named schema that has a finding makes the findings differ."""
    data = _orphan_fault(ver)
    assert_same_findings(ver, data)
    right = quickcheck.semantic_schemas
    monkeypatch.setattr(quickcheck, "semantic_schemas", lambda ver, data, reach=None: [n for n in right(ver, data, reach) or () if n != "Orphan"])
    with pytest.raises(AssertionError):
        assert_same_findings(ver, data)


@pytest.mark.parametrize("ver", ["2.0", "3.0", "3.1"])
def test_a_meta_schema_check_passed_wrongly_would_be_caught(ver: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The probe of the meta-schema check jsonschema-rs decides: one that let every schema pass loses findings."""
    data = _many_faults(ver)
    schema = {"type": "array", "items": {"type": "strng"}}  # its meta-schema finding is the only one at its place
    response = data["paths"]["/a"]["get"]["responses"]["200"]
    response.update({"schema": schema} if ver == "2.0" else {"content": {"application/json": {"schema": schema}}})
    assert_same_findings(ver, data)
    monkeypatch.setattr(quickcheck, "meta_holds", lambda ver, schema: True)
    with pytest.raises(AssertionError):
        assert_same_findings(ver, data)


# ------------------------------------------------------------------------------------------- the places


def _diagnostics(doc: Any) -> list[str]:
    return [f"{d.severity.value} {d.location} {d.message} | {d.pointer}" for d in validate.validate(doc)]


@pytest.mark.parametrize("ver", ["2.0", "3.0", "3.1"])
@given(seed=st.integers(0, 2**32 - 1), count=st.integers(1, 30), indent=st.sampled_from([None, 1, 2, "\t"]))
@budget(40)
def test_findings_are_placed_where_the_position_parser_places_them(ver: str, seed: int, count: int, indent: int | str | None) -> None:
    """A faulty document's findings (many: past the few walks that were once made before the whole text was
    parsed again) stand where _JsonParser's table puts them, in JSON of any layout; the same document as
    YAML has the same findings at the places its own table gives."""
    _placed_alike(faulty(_SMALL[ver], random.Random(seed), count), indent)


@pytest.mark.parametrize("name", [name for name, _ in _DOCUMENTS][::4])
def test_findings_are_placed_where_the_position_parser_places_them_on_real_documents(name: str) -> None:
    _placed_alike(faulty(dict(_DOCUMENTS)[name], random.Random(5), 40), 2)


def _placed_alike(data: dict[str, Any], indent: int | str | None) -> None:
    import dataclasses
    import tempfile

    import yaml
    from connectorsmith.document.loader import _JsonParser, _LazyPositions, load

    with tempfile.TemporaryDirectory() as folder:
        spec = Path(folder, "spec.json")
        spec.write_text(json.dumps(data, indent=indent, ensure_ascii=indent is None), "utf-8")
        doc = load(spec, lenient=True)
        assert isinstance(doc.positions, _LazyPositions)
        table = _JsonParser(spec.read_text("utf-8"), doc.display, lenient=True).parse()[1]
        found = _diagnostics(doc)
        assert found == _diagnostics(dataclasses.replace(doc, positions=table))
        as_yaml = Path(folder, "spec.yaml")
        as_yaml.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")
        yaml_doc = load(as_yaml, lenient=True)
        placed = [(d.location.line, d.location.column) for d in validate.validate(yaml_doc)]
        assert [f.split(" | ")[-1] for f in found] == [f.split(" | ")[-1] for f in _diagnostics(yaml_doc)]  # the same findings, by pointer
        assert placed == [yaml_doc.locate(d.pointer)[1:] for d in validate.validate(yaml_doc)]


def _uncut(monkeypatch: pytest.MonkeyPatch) -> None:
    """The semantic pass as it was before the cuts within path items and named schemas: every schema walked."""
    monkeypatch.setattr(quickcheck, "semantic_reach", lambda ver, data: None)
    monkeypatch.setattr(quickcheck, "semantic_operations", lambda ver, data, reach=None: {})
    monkeypatch.setattr(quickcheck, "semantic_schemas", lambda ver, data, reach=None: None)


def test_a_schema_the_walk_reads_otherwise_is_not_cut(monkeypatch: pytest.MonkeyPatch) -> None:
    """2.0 allows ``items`` as a list, which openapi-spec-validator's walk reports as not a schema (its
    meta-schema check does not): an operation reaching one is walked as before the cuts, beside an operation
    of the same item with a finding of its own."""
    data = copy.deepcopy(_SMALL["2.0"])
    data["definitions"]["Listy"] = {"type": "array", "items": [{"type": "string"}]}
    data["definitions"]["Pet"]["properties"]["l"] = {"$ref": "#/definitions/Listy"}
    data["paths"]["/b/{id}"]["post"] = {**_OP, "parameters": [{"name": "q", "in": "query", "type": "integer", "default": "ten"}]}
    assert quickcheck.semantic_operations("2.0", validate.with_server_defaults(data))["/b/{id}"] == ["get", "post"]
    cut = validate._validate_openapi("2.0", data)
    assert ("definitions", "Listy", "items") in [f.pointer for f in cut]
    _uncut(monkeypatch)
    assert validate._validate_openapi("2.0", data) == cut


@pytest.mark.parametrize("ver", ["2.0", "3.0", "3.1"])
def test_a_schema_taken_for_clean_wrongly_would_be_caught(ver: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The probe of the schemas the walk passes over: taking every schema for one that yields nothing loses findings."""
    data = _many_faults(ver)
    schema = {"type": "object", "properties": {"n": {"type": "integer", "default": "ten"}}}
    data["paths"]["/a"]["get"]["responses"]["200"].update({"schema": schema} if ver == "2.0" else {"content": {"application/json": {"schema": schema}}})
    assert_same_findings(ver, data)
    monkeypatch.setattr(quickcheck.Reach, "clean", lambda self: set(self.reached))
    with pytest.raises(AssertionError):
        assert_same_findings(ver, data)


@pytest.mark.parametrize("name", [name for name, _ in _DOCUMENTS][1::3])
def test_the_cuts_find_what_the_pass_found_before_them_on_real_documents(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Real documents with faults: the findings with the cuts within path items and named schemas, and
    without them, are the same list, in the same order."""
    ver = openapi.version(dict(_DOCUMENTS)[name])
    data = _validated(faulty(dict(_DOCUMENTS)[name], random.Random(7), 12))
    cut = validate._validate_openapi(ver, data)
    with monkeypatch.context() as patched:
        _uncut(patched)
        assert validate._validate_openapi(ver, data) == cut


# ------------------------------------------------------------------------------------------- the semantic pass left out


@pytest.mark.parametrize("ver", ["2.0", "3.0", "3.1"])
def test_the_document_schema_validator_is_openapi_spec_validators(ver: str) -> None:
    """validate.py makes openapi-spec-validator's document-schema validator as it does with the Python
    backend (jsonschema's validator for its JSON Schema, read from its package), without importing it."""
    import openapi_spec_validator.schemas as osv_schemas

    ours = validate._document_schema_validator(ver)
    theirs = {"2.0": osv_schemas.openapi_v2_schema_validator, "3.0": osv_schemas.openapi_v30_schema_validator, "3.1": osv_schemas.openapi_v31_schema_validator}[ver]
    assert type(ours) is type(theirs.__wrapped__)  # the Proxy's: the backend is jsonschema (validate.py sets it)
    assert ours.schema == theirs.schema == {"2.0": osv_schemas.schema_v2, "3.0": osv_schemas.schema_v30, "3.1": osv_schemas.schema_v31}[ver]


def _format_keywords(schema: Any) -> list[Any]:
    if isinstance(schema, dict):
        return [*([schema["format"]] if isinstance(schema.get("format"), str) else []), *(f for v in schema.values() for f in _format_keywords(v))]
    return [f for v in schema for f in _format_keywords(v)] if isinstance(schema, list) else []


def test_the_meta_schema_check_of_2_0_and_3_0_is_draft_4s() -> None:
    """The semantic pass checks a 2.0 / 3.0 schema against OAS30Validator's meta-schema, by the validator
    jsonschema has for it, with a format checker whose ``regex`` always holds (validate.py's Schema): that
    meta-schema is draft-04's, its validator Draft4Validator, and its one format ``regex``; so
    ``_meta_error_paths`` (Draft4Validator, no format checker) finds the same."""
    from jsonschema import Draft4Validator
    from jsonschema.validators import validator_for
    from openapi_schema_validator import OAS30Validator

    assert OAS30Validator.META_SCHEMA == Draft4Validator.META_SCHEMA
    assert validator_for(OAS30Validator.META_SCHEMA, default=OAS30Validator) is Draft4Validator
    assert _format_keywords(Draft4Validator.META_SCHEMA) == ["regex"]


@given(seed=st.integers(0, 2**32 - 1), count=st.integers(1, 4))
@budget(20)
def test_the_meta_schema_errors_are_those_the_pass_finds(seed: int, count: int) -> None:
    """``_meta_error_paths`` of schemas with faults is where the pass's own meta-schema check (as
    validate.py's Schema runs it: OAS30Validator's meta-schema, its registry, regex taken as met) errs."""
    from jsonschema import FormatChecker
    from jsonschema.validators import validator_for
    from openapi_schema_validator import OAS30Validator
    from openapi_schema_validator import validators as oas_validators

    rng = random.Random(seed)
    schema = copy.deepcopy(_SMALL["3.0"]["components"]["schemas"]["Pet"])
    schema["properties"]["n"] = {"type": "integer", "pattern": "^a", "allOf": [{"minimum": 1}]}
    places = [node for _, node in _places(schema)]
    for _ in range(count):
        _fault(rng, rng.choice(places))
    checker = FormatChecker(formats=())
    checker.checkers = {**OAS30Validator.FORMAT_CHECKER.checkers, "regex": (lambda _: True, ())}
    meta = validator_for(OAS30Validator.META_SCHEMA, default=OAS30Validator)(OAS30Validator.META_SCHEMA, format_checker=checker, registry=oas_validators.OPENAPI_SPECIFICATIONS)
    assert validate._meta_error_paths(schema) == [tuple(e.absolute_path) for e in meta.iter_errors(schema)]


def _meta_fault_only(ver: str) -> dict[str, Any]:
    """``_many_faults`` with a named schema whose meta-schema error is at the place of a document-schema
    finding (``maxLength: "10"``, as the faulty stand-in of bench/faulty.py has): the semantic pass adds nothing."""
    data = _many_faults(ver)
    maps = data if ver == "2.0" else data["components"]
    maps["definitions" if ver == "2.0" else "schemas"]["Pet"]["properties"]["id"] = {"type": "string", "maxLength": "10"}
    return data


@pytest.mark.parametrize("ver", ["2.0", "3.0"])
def test_a_pass_that_adds_nothing_is_not_run(ver: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A document (a tree) whose semantic findings are all at places of document-schema findings: the pass, and
    openapi-spec-validator, are left out, and the findings are the same; shared objects (not a tree) run it."""
    data = _meta_fault_only(ver)
    whole = validate._validate_openapi_full(ver, data, None, prune=False)
    assert ("components" if ver != "2.0" else "definitions") in {f.pointer[0] for f in whole}
    monkeypatch.setattr(validate, "_located_validator", None)  # called: a TypeError
    assert _sorted(validate._validate_openapi(ver, data, tree=True)) == _sorted(whole)
    with pytest.raises(TypeError):
        validate._validate_openapi(ver, data)


@pytest.mark.parametrize("ver", ["2.0", "3.0"])
def test_a_meta_schema_error_the_document_schema_has_not_is_caught(ver: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The probe: a schema whose meta-schema error (draft-04: exclusiveMinimum needs minimum) the document
    schema does not find is a finding the pass adds; told wrongly that it has no such error, the findings differ."""
    data = _meta_fault_only(ver)
    schema = {"type": "integer", "exclusiveMinimum": True}
    response = data["paths"]["/a"]["get"]["responses"]["200"]
    response.update({"schema": schema} if ver == "2.0" else {"content": {"application/json": {"schema": schema}}})
    whole = assert_same_findings(ver, data)
    assert any(f.pointer[:3] == ("paths", "/a", "get") and "minimum" in f.message for f in whole)
    monkeypatch.setattr(validate, "_meta_error_paths", lambda schema: [])
    with pytest.raises(AssertionError):
        assert_same_findings(ver, data)


@pytest.mark.parametrize("ver", ["2.0", "3.0"])
def test_what_the_pass_reads_of_path_items_is_told(ver: str) -> None:
    """quickcheck.semantic_yielders: the failing schemas when the pass reads the items plainly; None when an
    item may make it find something else (a parameter twice, one without a name, responses as a list), or
    when the named schemas it walks are no mapping (any version's components.schemas: it walks a list too)."""
    data = _validated(_meta_fault_only(ver))
    reach = quickcheck.semantic_reach(ver, data)
    assert reach is not None
    yielders = quickcheck.semantic_yielders(ver, data, reach)
    assert yielders is not None and {"type": "string", "maxLength": "10"} in yielders
    get = data["paths"]["/a"]["get"]
    for change in ({"parameters": [get["parameters"][0]] * 2}, {"parameters": [{"in": "query"}]}, {"responses": []}):
        changed = {**data, "paths": {**data["paths"], "/a": {"get": {**get, **change}}}}
        assert quickcheck.semantic_yielders(ver, changed, quickcheck.semantic_reach(ver, changed) or reach) is None
    for components in ({"schemas": [1]}, []):
        assert quickcheck.semantic_yielders(ver, {**data, "components": components}, reach) is None
