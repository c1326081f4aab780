"""Validation stays complete while it gets fast: jsonschema-rs only pre-decides, the cache never lies."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from connectorsmith.diagnostics import SpecError
from connectorsmith.document import openapi, quickcheck, validate
from connectorsmith.document.loader import Document
from connectorsmith.pipeline import _load
from connectorsmith.reuse import cache

from .conftest import CASES, ROOT, SHARED, cases, needs_shared
from .test_corpus import SLICE

CERTIFIED = SHARED / "corpus" / "certified"
INPUTS = (
    [case.input for case in cases() if case.shared is None]  # the golden cases' specs, good and bad, and connector folder
    + [CERTIFIED / name for name in sorted(SLICE)]
    + [SHARED / "bench-specs" / "hipchat_v2.oas31.json"]
)


def _python_verdict(ver: str, data: dict[str, object]) -> bool:
    from openapi_spec_validator.schemas import (
        openapi_v2_schema_validator,
        openapi_v30_schema_validator,
        openapi_v31_schema_validator,
    )

    validator = {"2.0": openapi_v2_schema_validator, "3.0": openapi_v30_schema_validator, "3.1": openapi_v31_schema_validator}[ver]
    return next(iter(validator.iter_errors(data)), None) is None


@pytest.mark.parametrize("spec", [p for p in INPUTS if p.exists()], ids=lambda p: p.name)
def test_rust_and_python_agree_on_the_document_schema(spec: Path) -> None:
    try:
        doc, _ = _load(spec, True)
    except Exception:  # noqa: BLE001 - files the loader rejects never reach validation
        pytest.skip("not loadable")
    ver = openapi.version(doc.data)
    if not ver:
        pytest.skip("not OpenAPI")
    data = validate.without_schemas(doc.data, validate.all_of_cycles(doc.data))
    assert quickcheck.document_schema_holds(ver, data) == _python_verdict(ver, data)


def test_a_schema_error_is_still_ranked_and_located() -> None:
    """A document jsonschema-rs rejects goes through the Python pass: the diagnostic is the ranked one."""
    data = {"swagger": "2.0", "info": {"title": "t", "version": "1"}, "paths": {"/a": {"get": {"parameters": [{"name": "q", "in": "query", "type": "strin"}], "responses": {"200": {"description": "ok"}}}}}}
    assert not quickcheck.document_schema_holds("2.0", data)
    findings = validate._validate_openapi_full("2.0", data)
    assert findings and findings[0].pointer == ("paths", "/a", "get", "parameters", 0, "type")


def _run(spec: Path, cache_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CONNECTORSMITH_CACHE_DIR": str(cache_dir)}
    return subprocess.run([sys.executable, "-m", "connectorsmith", "validate", str(spec)], check=False, capture_output=True, text=True, cwd=ROOT, env=env)


def test_cache_remembers_findings_and_is_rebuilt_when_corrupt_or_stale(tmp_path: Path) -> None:
    spec = tmp_path / "svc.yaml"
    source = (CASES / "openapi3" / "openapi3.yaml").read_text("utf-8")
    spec.write_text(source, "utf-8")
    cache_dir = tmp_path / "cache"
    first = _run(spec, cache_dir)
    assert first.returncode == 0, first.stderr
    entries = list((cache_dir / "validation").glob("*.json"))
    assert len(entries) == 1
    for damage in ("{not json", json.dumps({"salt": "another tool", "value": [[[], "stale", "", True]]}), json.dumps({"salt": json.loads(entries[0].read_text())["salt"], "value": [[1]]})):
        entries[0].write_text(damage, "utf-8")
        again = _run(spec, cache_dir)
        assert again.returncode == 0 and "stale" not in again.stderr, again.stderr
        assert json.loads(entries[0].read_text("utf-8"))["value"] == []  # validated afresh and stored again


def test_changed_content_is_validated_in_full(tmp_path: Path) -> None:
    spec = tmp_path / "svc.yaml"
    spec.write_text((CASES / "openapi3" / "openapi3.yaml").read_text("utf-8"), "utf-8")
    cache_dir = tmp_path / "cache"
    assert _run(spec, cache_dir).returncode == 0
    spec.write_text((CASES / "openapi3" / "openapi3.yaml").read_text("utf-8").replace("openapi: 3.0.3", "openapi: 3.0.3\nbogus: 1", 1), "utf-8")
    broken = _run(spec, cache_dir)
    assert broken.returncode == 1 and "bogus" in broken.stderr
    assert len(list((cache_dir / "validation").glob("*.json"))) == 2


def test_cache_can_be_turned_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONNECTORSMITH_CACHE_DIR", "off")
    assert cache.folder() is None
    cache.store("validation", "k", "s", [1])
    assert cache.load("validation", "k", "s") is None


@pytest.mark.parametrize("spec", [p for p in INPUTS if p.exists()], ids=lambda p: p.name)
def test_quickcheck_never_passes_what_openapi_spec_validator_rejects(spec: Path) -> None:
    """The fast pre-check may send a clean document to the full validator, never a flawed one past it."""
    try:
        doc, _ = _load(spec, True)
    except Exception:  # noqa: BLE001 - files the loader rejects never reach validation
        pytest.skip("not loadable")
    ver = openapi.version(doc.data)
    if not ver or validate._check_refs(doc):
        pytest.skip("not validated by openapi-spec-validator")
    data = validate.without_schemas(doc.data, validate.all_of_cycles(doc.data))
    if quickcheck.cannot_fail(ver, data):
        assert validate._validate_openapi_full(ver, data) == []


_BASE = {"swagger": "2.0", "info": {"title": "t", "version": "1"}}


def _op(parameters: list[dict[str, object]], schema: dict[str, object] | None = None) -> dict[str, object]:
    response: dict[str, object] = {"description": "ok", **({"schema": schema} if schema else {})}
    return {**_BASE, "paths": {"/a": {"get": {"operationId": "a", "parameters": parameters, "responses": {"200": response}}}}}


@pytest.mark.parametrize(
    ("ver", "document"),
    [
        ("2.0", {**_op([]), "tags": [{"name": "x"}, {"name": "x"}]}),
        ("2.0", _op([{"name": "q", "in": "query", "type": "string"}, {"name": "q", "in": "query", "type": "string"}])),
        ("2.0", _op([{"name": "q", "in": "query", "type": "integer", "default": "ten"}])),
        ("2.0", _op([{"name": "q", "in": "query", "type": "integer", "format": "int32", "default": 2**40}])),
        ("2.0", _op([], {"type": "string", "enum": ["a", "b"], "default": "c"})),
        ("2.0", _op([], {"type": "object", "required": ["id"], "allOf": [{"type": "object"}]})),
        ("2.0", _op([], {"type": "string", "pattern": "(unclosed"})),
        ("3.1", {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {}, "components": {"schemas": {"A": {"discriminator": 5}}}}),
        ("3.1", {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {}, "components": {"schemas": {"A": {"type": "strin"}}}}),
    ],
    ids=["duplicate-tag", "duplicate-parameter", "default-type", "default-range", "default-enum", "allof-required", "pattern", "discriminator", "type"],
)
def test_quickcheck_sends_doubtful_documents_to_the_full_validator(ver: str, document: dict[str, object]) -> None:
    assert not quickcheck.cannot_fail(ver, document)


def test_quickcheck_passes_plain_defaults() -> None:
    document = _op([{"name": "q", "in": "query", "type": "integer", "format": "int32", "default": 10, "minimum": 1}], {"type": "string", "enum": ["a", "b"], "default": "a"})
    assert quickcheck.cannot_fail("2.0", document)
    assert validate._validate_openapi_full("2.0", document) == []


def test_compiled_templates_are_kept_per_connectorsmith(tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    env = {**os.environ, "CONNECTORSMITH_CACHE_DIR": str(cache_dir)}
    spec = CASES / "openapi3" / "openapi3.yaml"
    done = subprocess.run([sys.executable, "-m", "connectorsmith", "generate", str(spec), "--out", str(tmp_path / "out")], check=False, capture_output=True, text=True, cwd=ROOT, env=env)
    assert done.returncode == 0, done.stderr
    folders = list((cache_dir / "jinja").iterdir())
    assert len(folders) == 1  # one folder per connectorsmith (render.py) and Jinja version
    assert len(list(folders[0].glob("__jinja2_*.cache"))) >= 8


def test_a_documents_source_digest_is_its_bytes_and_how_they_were_read(tmp_path: Path) -> None:
    """The validation cache keys findings on it: equal for the same file read the same way, else not."""
    from connectorsmith.document.loader import load

    text = '{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}}'
    (tmp_path / "a.json").write_text(text, "utf-8")
    (tmp_path / "b.json").write_text(text, "utf-8")
    (tmp_path / "c.yaml").write_text(text, "utf-8")
    (tmp_path / "d.json").write_text(text + " ", "utf-8")
    sources = [load(tmp_path / "a.json").source, load(tmp_path / "b.json").source]
    assert sources[0] == sources[1] != ""
    others = {load(tmp_path / "c.yaml").source, load(tmp_path / "a.json", lenient=True).source, load(tmp_path / "d.json").source}
    assert len(others) == 3 and sources[0] not in others


def test_parts_found_before_are_found_the_same_when_they_change() -> None:
    """quickcheck's memory (--watch): each part as found before while it and the document outside
    paths are the same; a change to either is checked again."""
    from connectorsmith.reuse.digests import Digests, Found

    def document(default: object, repeated: bool) -> dict[str, object]:
        param = {"name": "q", "in": "query", "schema": {"type": "string"}}
        return {
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {
                "/a": {"get": {"parameters": [param, {**param, "description": "again"}] if repeated else [param], "responses": {"200": {"description": "ok", "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}}}}},
                "/b": {"get": {"responses": {"200": {"description": "ok"}}}},
            },
            "components": {"schemas": {"Thing": {"type": "object", "properties": {"id": {"type": "string", "default": default}}}}},
        }

    digests = Digests()
    kept = Found(digests)
    for default, repeated in [("a", False), ("a", True), ("a", False), (5, False), ("a", False), (5, True), ("b", False)]:
        data = document(default, repeated)  # a repeated parameter, and a default not of its type, might fail
        assert quickcheck.cannot_fail("3.0", data, kept) == quickcheck.cannot_fail("3.0", data) == (default != 5 and not repeated)
        digests.turn()
        kept.turn()


def test_a_part_that_refers_into_paths_is_checked_again_each_time() -> None:
    from connectorsmith.reuse.digests import Digests, Found

    digests = Digests()
    kept = Found(digests)
    for default in ("a", 5, "a"):
        data = {
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {
                "/a": {"x-shared": {"name": "q", "in": "query", "schema": {"type": "string", "default": default}}, "get": {"responses": {"200": {"description": "ok"}}}},
                "/b": {"get": {"parameters": [{"$ref": "#/paths/~1a/x-shared"}], "responses": {"200": {"description": "ok"}}}},
            },
        }
        assert quickcheck.cannot_fail("3.0", data, kept) == quickcheck.cannot_fail("3.0", data) == (default == "a")
        digests.turn()
        kept.turn()


def test_a_documents_refs_found_part_by_part_are_those_of_one_walk() -> None:
    """document_refs (what validation uses with a memory) against iter_refs, over real documents."""
    from connectorsmith.reuse.digests import Digests, Found

    checked = 0
    for spec in [p for p in INPUTS if p.exists()]:
        try:
            doc, _ = _load(spec, True)
        except SpecError:  # files the loader rejects never reach validation
            continue
        whole = list(openapi.iter_refs(doc.data))
        assert openapi.document_refs(doc.data, lambda pointer, part, find: find()) == whole, spec
        found = Found(Digests())
        for _ in range(2):  # the second time, every part as found the first
            assert validate._check_refs(doc, found) == validate._check_refs(doc), spec
        checked += bool(whole)
    assert checked > 10


def test_refs_found_before_are_found_again_only_where_they_stand() -> None:
    from connectorsmith.reuse.digests import Digests, Found

    item = {"get": {"responses": {"200": {"$ref": "#/components/responses/Missing"}}}}
    found = Found(Digests())
    for paths in ({"/a": item}, {"/b": item}, {"/a": item, "/b": item}):  # the same item, elsewhere
        doc = load_text({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": paths, "components": {"responses": {}}})
        assert [d.pointer for d in validate._check_refs(doc, found)] == [("paths", p, "get", "responses", "200", "$ref") for p in paths]


def load_text(data: dict[str, object]) -> Document:
    return Document(Path("t.json"), "t.json", data, {})


def _reduced_equals_whole(ver: str, data: dict[str, object]) -> tuple[bool, list[str]] | None:
    """quickcheck's verdict on ``data``; and, where it sends only some path items to the full validator,
    the assertion that the validator finds there what it finds in the whole document."""
    where = quickcheck.may_fail(ver, data)
    if where is not None and where != (False, []) and not where[0]:
        assert validate._validate_openapi(ver, data) == validate._validate_openapi_full(ver, data)
    return where


@needs_shared("corpus", "certified")
def test_the_full_validator_given_only_the_path_items_that_may_fail_finds_what_it_finds_in_the_whole() -> None:
    """A document whose findings can only be in some path items is validated with only those (on a large
    document most of the full validator's time is its walk of the path items): the findings are the same,
    over every certified connector where that applies (74 here)."""
    reduced = 0
    for folder in sorted(CERTIFIED.iterdir()):
        spec = next((p for p in folder.iterdir() if p.name.lower() == "apidefinition.swagger.json"), None) if folder.is_dir() else None
        if spec is None:
            continue
        try:
            doc, _ = _load(folder, lenient=True)
        except SpecError:
            continue
        ver = openapi.version(doc.data)
        where = _reduced_equals_whole(ver, doc.data) if ver else None
        reduced += where is not None and not where[0] and bool(where[1])
    assert reduced > 20


@needs_shared("bench-specs", "kubernetes.json")
def test_a_large_document_with_findings_in_some_operations_sends_only_those_to_the_full_validator() -> None:
    data = json.loads((SHARED / "bench-specs" / "kubernetes.json").read_text("utf-8"))
    changed = []
    for path, item in list(data["paths"].items())[::100]:
        operation = next(v for k, v in item.items() if k in ("get", "post", "put", "delete", "patch"))
        operation.setdefault("parameters", []).append({"name": "probe", "in": "query", "type": "integer", "default": "not a number"})
        changed.append(path)
    assert _reduced_equals_whole("2.0", data) == (False, changed)
    assert len(validate._validate_openapi("2.0", data)) == len(changed)
    # A $ref into paths: every item is needed (one left out would not resolve).
    first = data["paths"][changed[0]]
    data["x-probe"] = {"$ref": "#/paths/" + changed[0].replace("/", "~1")}
    assert first and quickcheck.may_fail("2.0", data) is None
