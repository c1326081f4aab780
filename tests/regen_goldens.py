"""Regenerate the fixtures' expected outputs and diagnostics: `make goldens`. Review with git diff."""

from __future__ import annotations

import contextlib
import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from connectorsmith.cli.main import main
from connectorsmith.pipeline import connector_name
from connectorsmith.render.targets import NAMES

from tests.conftest import (
    CASES,
    PAGE_CONNECTORS,
    RUNTIME_ERRORS,
    SHARED,
    case_specs,
    case_warnings,
    error_specs,
    page_of,
    runtime_errors,
)


def regenerate() -> None:
    for spec in case_specs():
        # Every target, whatever the case's default: the goldens keep each output (tests/test_exports.py reads them).
        code = main(["generate", str(spec.relative_to(ROOT)), "--out", str((CASES / connector_name(spec)).relative_to(ROOT)), "--targets", ",".join(NAMES)])
        if code:
            raise SystemExit(f"{spec} failed to generate")
        golden, warnings = case_warnings(spec)
        if warnings:
            golden.write_text(warnings, "utf-8")
            print(golden.relative_to(ROOT))
        else:
            golden.unlink(missing_ok=True)
    for spec in error_specs():
        stderr = io.StringIO()
        with contextlib.redirect_stderr(stderr), contextlib.redirect_stdout(io.StringIO()):
            code = main(["validate", str(spec.relative_to(ROOT))])
        if code != 1:
            raise SystemExit(f"{spec}: expected exit 1, got {code}")
        spec.with_suffix(".stderr").write_text(stderr.getvalue(), "utf-8")
        print(f"{spec.with_suffix('.stderr').relative_to(ROOT)}")
    # The errors module the run-time (connectorsmith.runtime) is type-checked and tested beside.
    RUNTIME_ERRORS.write_text(runtime_errors(), "utf-8")
    print(RUNTIME_ERRORS.relative_to(ROOT))
    if (SHARED / "corpus" / "certified").is_dir():
        for connector in PAGE_CONNECTORS:
            golden, page = page_of(connector)
            golden.parent.mkdir(exist_ok=True)
            golden.write_text(page, "utf-8")
            print(golden.relative_to(ROOT))


if __name__ == "__main__":
    import os

    os.chdir(ROOT)
    regenerate()
