"""Golden tests, the one runner of tests/cases (tests/cases/README.md): every case folder is checked against what
it expects (its output tree, warnings, errors and exit code, docs page), and generated/ against spec/, byte for byte.
Adding coverage is adding a folder; `make goldens` refreshes every golden."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from connectorsmith.cli.main import main
from connectorsmith.output.surface import public_api
from connectorsmith.output.writer import MANIFEST, plan
from connectorsmith.pipeline import connector_name, discover, generate
from connectorsmith.render.targets import Targets

from .conftest import ROOT, Case, case_page, case_targets, case_warnings, cases

_LOCATED = re.compile(r"^[^\s:][^:]*:\d+:\d+: error: .+$")


def _cases(check: Callable[[Case], bool]) -> list[Any]:
    """The cases of tests/cases that ``check`` applies to, named by their folder (a case reading ../shared skips
    without it)."""
    return [pytest.param(case, id=case.name, marks=case.marks()) for case in cases() if check(case)]


def _assert_matches(out: Path, spec: Path, targets: Targets | None = None) -> None:
    result = generate(spec, targets=targets)
    assert result.ok, "\n".join(d.render() for d in result.diagnostics)
    assert result.connector is not None
    todo = plan(out, {result.name: result.files}, {result.name: public_api(result.connector)})
    assert todo.clean, f"{out} is stale for {spec.name}; run `make goldens`:\n{todo.diff()}"


@pytest.mark.parametrize("spec", discover(ROOT / "spec"), ids=lambda p: p.name)
def test_generated_tree_is_up_to_date(spec: Path) -> None:
    """generated/ is what spec/ makes now, with the targets the project's [tool.connectorsmith] names."""
    from connectorsmith.cli.config import load_config

    _assert_matches(ROOT / "generated", spec, load_config(ROOT).targets)


@pytest.mark.parametrize("case", _cases(lambda case: case.kind == "tree"))
def test_case_output_is_up_to_date(case: Case) -> None:
    """<case>/expected/ is what generating the case's input makes now, byte for byte, its manifest included."""
    _assert_matches(case.expected, case.input, case_targets(case))


@pytest.mark.parametrize("case", _cases(lambda case: case.kind == "tree"))
def test_case_warnings_are_the_expected_ones(case: Case) -> None:
    """A case's warnings, each with its place, are golden too: <case>/expected.stderr (none: no file)."""
    assert case_warnings(case) == (case.stderr.read_text("utf-8") if case.stderr.exists() else ""), f"{case.name}/{case.stderr.name} is stale; run `make goldens`"


@pytest.mark.parametrize("case", _cases(lambda case: case.kind == "errors"))
def test_bad_case_is_reported_and_writes_nothing(case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A case that must fail: its command's exit code and exact located diagnostics (<case>/expected.stderr), each
    with a hint; generate reports the same and writes nothing."""
    rel = str(case.input.relative_to(ROOT))
    targets = ["--targets", ",".join(sorted(t.value for t in case_targets(case)))]
    expected = case.stderr.read_text("utf-8")
    assert main([case.command, rel, *targets]) == case.exit
    stderr = capsys.readouterr().err
    assert stderr == expected, f"{case.name}: diagnostics changed; if intended run `make goldens` and review the diff"
    if case.command != "generate":
        assert main(["generate", rel, *targets, "--out", str(tmp_path / "out")]) == case.exit
        assert capsys.readouterr().err == expected, f"{case.name}: generate reports otherwise than {case.command}"
    assert not (tmp_path / "out").exists(), "a spec with errors must write nothing"
    errors = [line for line in stderr.splitlines() if ": error: " in line]
    # A spec split across files is located in the file that holds each problem.
    where = str(case.folder.relative_to(ROOT)) + "/" if case.split else rel + ":"
    assert errors and all(_LOCATED.match(line) and line.startswith(where) for line in errors)
    hints = [line for line in stderr.splitlines() if line.startswith("    hint: ")]
    warnings = [line for line in stderr.splitlines() if ": warning[" in line]
    assert len(hints) == len(errors) + len(warnings), "every diagnostic comes with a hint"


@pytest.mark.parametrize("case", _cases(lambda case: case.kind == "page"))
def test_case_page_is_up_to_date(case: Case) -> None:
    """<case>/expected.md is the docs page generating the case's input makes now (e.g. of a certified connector
    of ../shared, whose whole output is not kept)."""
    assert case_page(case) == case.page.read_text("utf-8"), f"{case.name}/{case.page.name} is stale: make goldens, and review the diff"


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
