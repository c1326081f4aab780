"""The package as users get it: a wheel, installed (not editable) into a fresh virtual environment, runs
``connectorsmith`` on a spec outside the repository; it brings no ``connectorgen`` command and no top-level
``generator`` package to shadow one of the user's own."""

from __future__ import annotations

import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from .conftest import ROOT


@pytest.mark.slow
def test_the_wheel_installs_and_generates_outside_the_repository(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--disable-pip-version-check", "-w", str(dist), str(ROOT)], capture_output=True, text=True, check=False)
    assert built.returncode == 0, built.stderr
    [wheel] = dist.glob("connectorsmith-*.whl")
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    installed = subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", str(wheel)], capture_output=True, text=True, check=False)
    assert installed.returncode == 0, installed.stderr
    assert (env_dir / "bin" / "connectorsmith").is_file()
    assert not (env_dir / "bin" / "connectorgen").exists()  # legacy-name: the earlier name's command is not installed

    project = tmp_path / "project"
    (project / "generator").mkdir(parents=True)  # the user's own package of that name
    (project / "generator" / "__init__.py").write_text("MINE = True\n", "utf-8")
    shutil.copy(ROOT / "spec" / "hipchat.yaml", project / "hipchat.yaml")
    run = subprocess.run([str(env_dir / "bin" / "connectorsmith"), "generate", "hipchat.yaml", "--out", "clients"], cwd=project, capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    assert (project / "clients" / "hipchat" / "python" / "hipchat" / "client.py").is_file()
    assert (project / "clients" / "hipchat" / ".connectorsmith-manifest.json").is_file()
    same = subprocess.run([str(python), "-m", "connectorsmith", "generate", "hipchat.yaml", "--out", "clients", "--check"], cwd=project, capture_output=True, text=True, check=False)
    assert same.returncode == 0, same.stderr  # the templates and schemas came with the wheel: the same output
    mine = subprocess.run([str(python), "-c", "import generator; print(generator.MINE)"], cwd=project, capture_output=True, text=True, check=False)
    assert mine.stdout.strip() == "True", mine.stderr  # the user's generator/ is theirs

