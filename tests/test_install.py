"""The package as users get it: a wheel, installed (not editable) into a fresh virtual environment, runs
``connectorsmith`` on a spec outside the repository; it brings no ``connectorgen`` command and no top-level
``generator`` package to shadow one of the user's own."""

from __future__ import annotations

import os
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


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid"})


@pytest.mark.slow
def test_the_pre_commit_hooks_check_and_regenerate_with_pre_commit_itself(tmp_path: Path) -> None:
    """``pre-commit try-repo`` installs this repository as pre-commit would (its working tree, in an
    environment of its own) and runs both hooks in a throw-away project: stale output fails the check
    with the diff and generate writes it; once added, both pass; a changed spec fails the check again,
    and generate, rewriting committed output, stops the commit."""
    project = tmp_path / "project"
    (project / "spec").mkdir(parents=True)
    shutil.copy(ROOT / "spec" / "hipchat.yaml", project / "spec" / "hipchat.yaml")
    _git(project, "init", "-q")
    _git(project, "add", ".")
    _git(project, "commit", "-q", "-m", "spec")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"), "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    hooks = [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), "--all-files"]

    first = subprocess.run(hooks, cwd=project, capture_output=True, text=True, check=False, env=env)
    assert first.returncode == 1, first.stdout + first.stderr
    assert "connectorsmith generated output is current" in first.stdout and "Failed" in first.stdout
    assert "+++ b/hipchat/docs/hipchat.md" in first.stdout  # the check's diff, shown
    assert (project / "generated" / "hipchat" / "python" / "hipchat" / "client.py").is_file()  # generate wrote it
    assert first.stdout.count("Failed") == 2  # new files stop the commit too (--fail-on-change)
    assert "written or removed (--fail-on-change)" in first.stdout

    _git(project, "add", ".")
    second = subprocess.run(hooks, cwd=project, capture_output=True, text=True, check=False, env=env)
    assert second.returncode == 0, second.stdout + second.stderr
    assert second.stdout.count("Passed") == 2

    spec = project / "spec" / "hipchat.yaml"
    spec.write_text(spec.read_text("utf-8").replace("Post new message to an existing room.", "Post a new message to a room."), "utf-8")
    third = subprocess.run(hooks, cwd=project, capture_output=True, text=True, check=False, env=env)
    assert third.returncode == 1, third.stdout + third.stderr
    assert "-Post new message to an existing room." in third.stdout  # the check's diff
    assert "files were modified by this hook" in third.stdout  # generate rewrote committed output: the commit stops
    assert "Post a new message to a room." in (project / "generated" / "hipchat" / "docs" / "hipchat.md").read_text("utf-8")
