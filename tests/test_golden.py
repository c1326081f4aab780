"""Golden tests: generated/ and every fixture's expected tree match what the generator makes now, byte for byte."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from connectorsmith.cli.main import main
from connectorsmith.output.surface import public_api
from connectorsmith.output.writer import MANIFEST, plan
from connectorsmith.pipeline import connector_name, discover, generate
from connectorsmith.render.targets import ALL, Targets

from .conftest import CASES, ROOT, case_specs, case_warnings


def _assert_matches(out: Path, spec: Path, targets: Targets | None = None) -> None:
    result = generate(spec, targets=targets)
    assert result.ok, "\n".join(d.render() for d in result.diagnostics)
    assert result.connector is not None
    todo = plan(out, {result.name: result.files}, {result.name: public_api(result.connector)})
    assert todo.clean, f"{out} is stale for {spec.name}; run `make generate` / `make goldens`:\n{todo.diff()}"


@pytest.mark.parametrize("spec", discover(ROOT / "spec"), ids=lambda p: p.name)
def test_generated_tree_is_up_to_date(spec: Path) -> None:
    _assert_matches(ROOT / "generated", spec)


@pytest.mark.parametrize("spec", case_specs(), ids=lambda p: p.name)
def test_fixture_outputs_are_up_to_date(spec: Path) -> None:
    _assert_matches(CASES / connector_name(spec), spec, ALL)  # every target, as make goldens writes them


@pytest.mark.parametrize("spec", case_specs(), ids=lambda p: p.name)
def test_fixture_warnings_are_the_expected_ones(spec: Path) -> None:
    """A case's warnings, each with its place, are golden too: cases/<name>.stderr (none: no file)."""
    golden, warnings = case_warnings(spec)
    assert warnings == (golden.read_text("utf-8") if golden.exists() else ""), f"{golden.name} is stale; run `make goldens`"


def test_generate_then_regenerate_changes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["generate", "--out", str(tmp_path)]) == 0
    files = sorted(p for p in tmp_path.rglob("*") if p.is_file())
    stamps = {p: p.stat().st_mtime_ns for p in files}
    os.utime(files[0], ns=(1, 1))  # an untouched file keeps even an odd mtime
    stamps[files[0]] = 1
    capsys.readouterr()
    assert main(["generate", "--out", str(tmp_path)]) == 0
    assert "0 files changed" in capsys.readouterr().out
    assert {p: p.stat().st_mtime_ns for p in files} == stamps
    # ... and the fresh tree equals the committed one.
    committed: set[Path] = set()
    for spec in discover(ROOT / "spec"):  # every spec a user keeps there, not only HipChat
        name = connector_name(spec)
        manifest = json.loads((ROOT / "generated" / name / MANIFEST).read_text("utf-8"))
        committed |= {Path(name, file) for file in manifest["files"]} | {Path(name, MANIFEST)}
    assert {p.relative_to(tmp_path) for p in files} == committed


def test_check_passes_on_committed_tree(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["generate", "--check"]) == 0
    assert "up to date" in capsys.readouterr().out
