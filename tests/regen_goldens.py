"""Refresh every golden: `make goldens`. generated/ (from spec/), each case of tests/cases (tests/cases/README.md)
and the run-time's stand-in errors module. Review with git diff."""

from __future__ import annotations

import contextlib
import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from connectorsmith.cli.main import main

from tests.conftest import (
    RUNTIME_ERRORS,
    Case,
    case_page,
    case_targets,
    case_warnings,
    cases,
    runtime_errors,
)


def _refresh(case: Case) -> None:
    rel = str(case.input.relative_to(ROOT)) if case.input.is_relative_to(ROOT) else str(case.input)
    targets = ["--targets", ",".join(sorted(t.value for t in case_targets(case)))]
    if case.kind == "errors":
        stderr = io.StringIO()
        with contextlib.redirect_stderr(stderr), contextlib.redirect_stdout(io.StringIO()):
            code = main([case.command, rel, *targets])
        if code != case.exit:
            raise SystemExit(f"{case.folder}: expected exit {case.exit}, got {code}")
        case.stderr.write_text(stderr.getvalue(), "utf-8")
        print(case.stderr.relative_to(ROOT))
        return
    if case.kind == "tree":
        if main(["generate", rel, "--out", str(case.expected.relative_to(ROOT)), *targets]):
            raise SystemExit(f"{case.folder} failed to generate")
        warnings = case_warnings(case)
        if warnings:
            case.stderr.write_text(warnings, "utf-8")
            print(case.stderr.relative_to(ROOT))
        else:
            case.stderr.unlink(missing_ok=True)
    if case.kind == "page":
        case.page.write_text(case_page(case), "utf-8")
        print(case.page.relative_to(ROOT))


def regenerate() -> None:
    # generated/ from spec/, as `make generate` (which may skip the run) and `connectorsmith generate` write it.
    if main(["generate"]):
        raise SystemExit("spec/ failed to generate")
    for case in cases():
        if case.shared is not None and not case.input.exists():
            print(f"{case.folder.relative_to(ROOT)}: skipped, no ../shared/{case.shared} beside the checkout")
            continue
        _refresh(case)
    # The errors module the run-time (connectorsmith.runtime) is type-checked and tested beside.
    RUNTIME_ERRORS.write_text(runtime_errors(), "utf-8")
    print(RUNTIME_ERRORS.relative_to(ROOT))


if __name__ == "__main__":
    import os

    os.chdir(ROOT)
    regenerate()
