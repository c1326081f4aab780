"""connectorsmith on any OS: no POSIX-only module at start-up, an output lock that works without fcntl
(Windows' msvcrt, simulated by tests/fake_msvcrt.py), and paths shown in POSIX form."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
from pathlib import Path, PurePosixPath, PureWindowsPath

import pytest
from connectorsmith.output.writer import LOCK_FILE, WriteError, locked

from . import fake_msvcrt
from .conftest import ROOT

#: Modules Windows does not have (os's own ``posix`` aside: ``nt`` stands in for it there).
POSIX_ONLY = ("fcntl", "termios", "tty", "pty", "pwd", "grp", "resource", "syslog", "crypt")


def _windows_like(code: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``code`` run in a fresh interpreter where the POSIX-only modules cannot be imported and msvcrt is the fake."""
    blocked = "".join(f"sys.modules[{name!r}] = None\n" for name in POSIX_ONLY if name != "fcntl")
    script = f"import sys\nimport tests.fake_msvcrt\ntests.fake_msvcrt.install()\n{blocked}{code}"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-c", script], cwd=cwd, capture_output=True, text=True, check=False, env=env)


def test_start_up_imports_no_posix_only_module() -> None:
    run = _windows_like("import connectorsmith.cli.main, connectorsmith.output.writer\nprint(sorted(m for m in sys.modules if m in " + repr(POSIX_ONLY) + "))", ROOT)
    assert run.returncode == 0, run.stderr
    plain = subprocess.run([sys.executable, "-c", "import sys, connectorsmith.cli.main, connectorsmith.output.writer; print(sorted(m for m in sys.modules if m in " + repr(POSIX_ONLY) + "))"],
                           cwd=ROOT, capture_output=True, text=True, check=False)
    assert plain.stdout.strip() == "[]", f"imported at start-up: {plain.stdout}"


def test_a_whole_run_without_posix_modules_locks_through_msvcrt(tmp_path: Path) -> None:
    (tmp_path / "spec").mkdir()
    shutil.copy(ROOT / "tests" / "cases" / "openapi3" / "openapi3.yaml", tmp_path / "spec")
    code = (
        "from connectorsmith.cli.main import main\n"
        "code = main(['generate', '-j', '1'])\n"
        "print('locking calls:', tests.fake_msvcrt.calls)\n"
        "sys.exit(code)\n"
    )
    run = _windows_like(code, tmp_path)
    assert run.returncode == 0, run.stderr
    assert "openapi3: 12 files changed" in run.stdout  # a plain document: no Power Platform pair
    assert f"locking calls: [({fake_msvcrt.LK_NBLCK}, 0, 1), ({fake_msvcrt.LK_UNLCK}, 0, 1)]" in run.stdout
    assert (tmp_path / "generated" / LOCK_FILE).is_file()
    assert (tmp_path / "generated" / "openapi3" / "python" / "openapi3" / "client.py").is_file()
    again = _windows_like("from connectorsmith.cli.main import main\nsys.exit(main(['generate', '--check']))\n", tmp_path)
    assert again.returncode == 0 and "up to date" in again.stdout, again.stderr


@pytest.fixture
def windows_lock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "fcntl", None)  # type: ignore[arg-type]  # `import fcntl` raises ImportError
    monkeypatch.setitem(sys.modules, "msvcrt", fake_msvcrt)
    monkeypatch.setattr(fake_msvcrt, "calls", [])


@pytest.mark.usefixtures("windows_lock")
def test_without_fcntl_two_runs_still_exclude_each_other(tmp_path: Path) -> None:
    with locked(tmp_path, exclusive=True):
        assert (tmp_path / LOCK_FILE).is_file()
        for exclusive in (True, False):  # msvcrt has no shared lock: a --check waits for a writer too
            with pytest.raises(WriteError, match="another connectorsmith run is using"), locked(tmp_path, exclusive=exclusive):
                pass
    assert not fake_msvcrt.held
    with locked(tmp_path, exclusive=True):
        pass  # released: the next run takes it
    assert [mode for mode, _, _ in fake_msvcrt.calls] == [fake_msvcrt.LK_NBLCK] * 3 + [fake_msvcrt.LK_UNLCK, fake_msvcrt.LK_NBLCK, fake_msvcrt.LK_UNLCK]


@pytest.mark.usefixtures("windows_lock")
def test_without_fcntl_a_lock_held_by_another_process_is_refused(tmp_path: Path) -> None:
    script = (
        "import sys\nimport tests.fake_msvcrt\ntests.fake_msvcrt.install()\nfrom pathlib import Path\nfrom connectorsmith.output.writer import locked\n"
        f"with locked(Path({str(tmp_path)!r}), exclusive=True):\n    print('held', flush=True)\n    sys.stdin.readline()\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen([sys.executable, "-c", script], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)
    try:
        assert process.stdout is not None and process.stdout.readline() == "held\n"
        with pytest.raises(WriteError, match="another connectorsmith run is using"), locked(tmp_path, exclusive=True):
            pass
    finally:
        assert process.stdin is not None
        process.stdin.write("\n")
        process.stdin.close()
        process.wait(timeout=30)
    with locked(tmp_path, exclusive=True):
        pass


def test_a_lock_error_other_than_contention_is_not_disguised(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(fd: int, mode: int, nbytes: int) -> None:
        raise OSError(errno.EBADF, "Bad file descriptor")

    monkeypatch.setitem(sys.modules, "fcntl", None)  # type: ignore[arg-type]
    monkeypatch.setitem(sys.modules, "msvcrt", fake_msvcrt)
    monkeypatch.setattr(fake_msvcrt, "locking", broken)
    with pytest.raises(OSError, match="Bad file descriptor"), locked(tmp_path, exclusive=True):
        pass


class _WindowsPath(PureWindowsPath):
    """A path as Windows has it (``str`` with ``\\``), with what display_path asks of a Path."""

    def resolve(self) -> _WindowsPath:
        return self

    @classmethod
    def cwd(cls) -> _WindowsPath:
        return cls("C:\\work\\project")


def test_paths_are_shown_in_posix_form_whatever_the_os(monkeypatch: pytest.MonkeyPatch) -> None:
    from connectorsmith import diagnostics

    assert diagnostics.posix_path(PureWindowsPath("out\\hipchat\\docs\\hipchat.md")) == "out/hipchat/docs/hipchat.md"
    monkeypatch.setattr(diagnostics, "PurePath", PureWindowsPath)  # what an OSError's file name is on Windows
    assert diagnostics.posix_path("C:\\work\\out\\x.json") == "C:/work/out/x.json"
    assert diagnostics.posix_path(b"out\\x.json") == "out/x.json"
    monkeypatch.setattr(diagnostics, "Path", _WindowsPath)
    inside = _WindowsPath("C:\\work\\project\\spec\\schemas\\task.yaml")
    assert diagnostics.display_path(inside) == "spec/schemas/task.yaml"  # type: ignore[arg-type]
    assert diagnostics.display_path(_WindowsPath("D:\\elsewhere\\x.yaml")) == "D:/elsewhere/x.yaml"  # type: ignore[arg-type]
    where = diagnostics.Location(diagnostics.display_path(inside), 3, 7)  # type: ignore[arg-type]
    assert str(where) == "spec/schemas/task.yaml:3:7"


def test_a_manifest_lists_files_in_posix_form(tmp_path: Path) -> None:
    from connectorsmith.output.writer import MANIFEST, plan, write

    todo = plan(tmp_path, {"demo": {PurePosixPath("demo/python/demo/client.py"): "x = 1\n"}})
    write(todo)
    manifest = (tmp_path / "demo" / MANIFEST).read_text("utf-8")
    assert '"python/demo/client.py"' in manifest and "\\\\" not in manifest
