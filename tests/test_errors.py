"""Bad input beyond the golden cases (each bad spec of tests/cases is checked by tests/test_golden.py: exit 1, its exact
located diagnostics, nothing written): several specs at once, and bounds on time."""

from __future__ import annotations

from pathlib import Path

import pytest
from connectorsmith.cli.main import main


def test_one_bad_spec_stops_all_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good, bad = "tests/cases/json_spec/json_spec.json", "tests/cases/refs/refs.yaml"
    assert main(["generate", good, bad, "--out", str(tmp_path)]) == 1
    assert list(tmp_path.iterdir()) == []
    assert "refs.yaml:10:20: error: $ref '#/definitions/Usr' does not resolve" in capsys.readouterr().err


def test_billion_laughs_fails_fast(capsys: pytest.CaptureFixture[str]) -> None:
    import time

    start = time.process_time()
    assert main(["validate", "tests/cases/billion_laughs/billion_laughs.yaml"]) == 1
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
