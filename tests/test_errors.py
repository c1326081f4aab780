"""Bad input: every file under fixtures/errors/ gives exit 1, its exact located diagnostics, and writes nothing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from connectorsmith.cli.main import main

from .conftest import ROOT, error_specs

_LOCATED = re.compile(r"^[^\s:][^:]*:\d+:\d+: error: .+$")


@pytest.mark.parametrize("spec", error_specs(), ids=lambda p: p.name)
def test_bad_spec_is_reported_and_writes_nothing(spec: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rel = str(spec.relative_to(ROOT))
    assert main(["generate", rel, "--out", str(tmp_path / "out")]) == 1
    stderr = capsys.readouterr().err
    assert not (tmp_path / "out").exists(), "a spec with errors must write nothing"
    expected = spec.with_suffix(".stderr").read_text("utf-8")
    assert stderr == expected, "diagnostics changed; if intended run `make goldens` and review the diff"
    errors = [line for line in stderr.splitlines() if ": error: " in line]
    # A spec split across files (errors/<case>/) is located in the file that holds each problem.
    where = (rel + ":",) if spec.parent.name == "errors" else (str(spec.parent.relative_to(ROOT)) + "/",)
    assert errors and all(_LOCATED.match(line) and line.startswith(where) for line in errors)
    hints = [line for line in stderr.splitlines() if line.startswith("    hint: ")]
    warnings = [line for line in stderr.splitlines() if ": warning[" in line]
    assert len(hints) == len(errors) + len(warnings), "every diagnostic comes with a hint"


def test_one_bad_spec_stops_all_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good, bad = "tests/fixtures/cases/json_spec.json", "tests/fixtures/errors/refs.yaml"
    assert main(["generate", good, bad, "--out", str(tmp_path)]) == 1
    assert list(tmp_path.iterdir()) == []
    assert "refs.yaml:10:20: error: $ref '#/definitions/Usr' does not resolve" in capsys.readouterr().err


def test_billion_laughs_fails_fast(capsys: pytest.CaptureFixture[str]) -> None:
    import time

    start = time.process_time()
    assert main(["validate", "tests/fixtures/errors/billion_laughs.yaml"]) == 1
    # 9**9 nodes if expanded; the bound stops it after ~100k. Generous limit: only a blow-up fails this.
    assert time.process_time() - start < 20
    assert "YAML aliases expand" in capsys.readouterr().err


def test_schemas_nested_through_a_long_ref_chain_are_a_diagnostic(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    schemas = {f"S{i}": {"type": "array", "items": {"$ref": f"#/components/schemas/S{i + 1}"}} for i in range(3000)}
    schemas["S3000"] = {"type": "string"}
    ok = {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/S0"}}}}}
    doc = {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {"/x": {"get": {"operationId": "x", "responses": ok}}}, "components": {"schemas": schemas}}
    spec = tmp_path / "chain.json"
    spec.write_text(json.dumps(doc), "utf-8")
    assert main(["generate", str(spec), "--out", str(tmp_path / "out")]) == 1
    assert "chain.json:1:1: error: the spec's schemas nest too deeply (through $ref chains)" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
