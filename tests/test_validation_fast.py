"""Validation stays complete while it gets fast: jsonschema-rs only pre-decides, the cache never lies."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator import cache, openapi, validate
from generator.pipeline import _load

from .conftest import CASES, CONNECTORS, ERRORS, ROOT, SHARED
from .test_corpus import SLICE

CERTIFIED = SHARED / "corpus" / "certified"
INPUTS = (
    sorted(p for p in CASES.iterdir() if p.is_file())
    + [CONNECTORS / "ppdemo"]
    + sorted(p for p in ERRORS.iterdir() if p.suffix != ".stderr")
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
    assert validate._document_schema_holds(ver, data) == _python_verdict(ver, data)


def test_a_schema_error_is_still_ranked_and_located() -> None:
    """A document jsonschema-rs rejects goes through the Python pass: the diagnostic is the ranked one."""
    data = {"swagger": "2.0", "info": {"title": "t", "version": "1"}, "paths": {"/a": {"get": {"parameters": [{"name": "q", "in": "query", "type": "strin"}], "responses": {"200": {"description": "ok"}}}}}}
    assert not validate._document_schema_holds("2.0", data)
    findings = validate._validate_openapi("2.0", data)
    assert findings and findings[0].pointer == ("paths", "/a", "get", "parameters", 0, "type")


def _run(spec: Path, cache_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CONNECTORGEN_CACHE_DIR": str(cache_dir)}
    return subprocess.run([sys.executable, "-m", "generator", "validate", str(spec)], check=False, capture_output=True, text=True, cwd=ROOT, env=env)


def test_cache_remembers_findings_and_is_rebuilt_when_corrupt_or_stale(tmp_path: Path) -> None:
    spec = tmp_path / "svc.yaml"
    source = (CASES / "openapi3.yaml").read_text("utf-8")
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
    spec.write_text((CASES / "openapi3.yaml").read_text("utf-8"), "utf-8")
    cache_dir = tmp_path / "cache"
    assert _run(spec, cache_dir).returncode == 0
    spec.write_text((CASES / "openapi3.yaml").read_text("utf-8").replace("openapi: 3.0.3", "openapi: 3.0.3\nbogus: 1", 1), "utf-8")
    broken = _run(spec, cache_dir)
    assert broken.returncode == 1 and "bogus" in broken.stderr
    assert len(list((cache_dir / "validation").glob("*.json"))) == 2


def test_cache_can_be_turned_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONNECTORGEN_CACHE_DIR", "off")
    assert cache.folder() is None
    cache.store("validation", "k", "s", [1])
    assert cache.load("validation", "k", "s") is None
