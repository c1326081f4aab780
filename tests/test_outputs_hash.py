"""bench/outputs_hash.py, the check that a change leaves output byte-identical, can see a difference."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from .conftest import ROOT

_spec = importlib.util.spec_from_file_location("outputs_hash", ROOT / "bench" / "outputs_hash.py")
assert _spec is not None and _spec.loader is not None
outputs_hash = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(outputs_hash)


def test_a_record_holds_every_file_and_diagnostic() -> None:
    spec = ROOT / "tests" / "cases" / "paging" / "paging.yaml"
    made = outputs_hash.record(spec)
    assert any(path.endswith("client.py") for path in made["files"]) and len(made["files"]) > 10
    assert made["diagnostics"] and all(d.startswith("warning tests/cases/paging/paging.yaml:") for d in made["diagnostics"])


def test_compare_finds_a_changed_file_and_a_missing_input(capsys: pytest.CaptureFixture[str]) -> None:
    before = {"a": {"files": {"x/client.py": "1"}, "diagnostics": []}, "b": {"crash": "boom"}}
    assert outputs_hash.compare(before, {k: dict(v) for k, v in before.items()}) == 0
    assert "differ: 0" in capsys.readouterr().out
    assert outputs_hash.compare(before, {"a": {"files": {"x/client.py": "2"}, "diagnostics": []}}) == 1
    out = capsys.readouterr().out
    assert "differ: 2" in out and "x/client.py" in out


def test_inputs_are_named_alike_whichever_checkout_reads_them(tmp_path: Path) -> None:
    assert outputs_hash._name(ROOT / "spec" / "hipchat.yaml", ROOT) == "spec/hipchat.yaml"
    assert outputs_hash._name(ROOT.parent / "shared" / "x.json", ROOT) == "../shared/x.json"


def test_two_records_of_the_same_code_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """Hashing the installed code twice proves nothing: --compare says so instead of 'differ: 0'."""
    import json

    code = outputs_hash.code_record()
    assert code["folder"] == str(ROOT / "generator") and code["commit"]
    for name in ("before.json", "after.json"):
        (tmp_path / name).write_text(json.dumps({"code": code, "inputs": {"a": {"files": {}}}}), "utf-8")
    monkeypatch.setattr("sys.argv", ["outputs_hash", "--compare", str(tmp_path / "before.json"), str(tmp_path / "after.json")])
    assert outputs_hash.main() == 2
    assert "same code" in capsys.readouterr().out
