"""Generated code passes `mypy --strict` and ruff; so does connectorgen itself."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import CASES, ROOT


def _generated_packages() -> list[Path]:
    roots = [ROOT / "generated"] + [p for p in CASES.iterdir() if p.is_dir()]
    return sorted(init.parent for root in roots for init in root.glob("*/python/*/__init__.py"))


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, check=False)


@pytest.mark.slow
def test_generated_code_passes_mypy_strict() -> None:
    packages = _generated_packages()
    assert len(packages) >= 7
    for package in packages:  # one run per package: each is its own top-level `package`
        run = _run("mypy", "--strict", "--no-incremental", "--python-version", "3.11", str(package))
        assert run.returncode == 0, f"{package}:\n{run.stdout}{run.stderr}"


@pytest.mark.slow
def test_generated_code_passes_ruff() -> None:
    run = _run("ruff", "check", "--no-cache", "--isolated", *map(str, _generated_packages()))
    assert run.returncode == 0, run.stdout + run.stderr


@pytest.mark.slow
def test_connectorgen_passes_mypy_strict_and_ruff() -> None:
    run = _run("mypy")
    assert run.returncode == 0, run.stdout + run.stderr
    run = _run("ruff", "check", "--no-cache", "generator", "tests")
    assert run.returncode == 0, run.stdout + run.stderr
