"""The writer never touches what connectorsmith did not write, and writes atomically."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path, PurePosixPath

import pytest
from connectorsmith.cli.main import main
from connectorsmith.output.writer import JOURNAL, MANIFEST, WriteError, locked, plan, write

from .conftest import ROOT


def _files(**texts: str) -> dict[str, dict[PurePosixPath, str]]:
    return {"demo": {PurePosixPath("demo") / name.replace("__", "/"): text for name, text in texts.items()}}


def test_writes_then_only_changes(tmp_path: Path) -> None:
    write(plan(tmp_path, _files(a="1\n", sub__b="2\n")))
    assert (tmp_path / "demo" / "a").read_text() == "1\n"
    assert (tmp_path / "demo" / MANIFEST).is_file()
    again = plan(tmp_path, _files(a="1\n", sub__b="3\n"))
    assert sorted(again.writes) == [PurePosixPath("demo") / MANIFEST, PurePosixPath("demo/sub/b")]  # the manifest keeps hashes


def test_stale_generated_files_are_removed_but_foreign_files_stay(tmp_path: Path) -> None:
    write(plan(tmp_path, _files(a="1\n", old__gone="x\n")))
    (tmp_path / "demo" / "notes.txt").write_text("mine")
    (tmp_path / "demo" / "old" / "mine.txt").write_text("mine too")
    todo = plan(tmp_path, _files(a="1\n"))
    assert todo.removes == [PurePosixPath("demo/old/gone")]
    write(todo)
    assert not (tmp_path / "demo" / "old" / "gone").exists()
    assert (tmp_path / "demo" / "notes.txt").read_text() == "mine"
    assert (tmp_path / "demo" / "old" / "mine.txt").read_text() == "mine too"


def test_refuses_to_overwrite_a_file_it_did_not_write(tmp_path: Path) -> None:
    (tmp_path / "demo").mkdir()
    (tmp_path / "demo" / "a").write_text("hand-written")
    with pytest.raises(WriteError, match="did not write it"):
        plan(tmp_path, _files(a="generated\n"))
    assert (tmp_path / "demo" / "a").read_text() == "hand-written"


def test_identical_existing_file_is_adopted(tmp_path: Path) -> None:
    (tmp_path / "demo").mkdir()
    (tmp_path / "demo" / "a").write_text("same\n")
    todo = plan(tmp_path, _files(a="same\n"))
    assert todo.unchanged == [PurePosixPath("demo/a")]


@pytest.mark.parametrize("bad", ["../escape", "/abs/path", "demo/../../x"])
def test_paths_escaping_the_output_folder_are_refused(tmp_path: Path, bad: str) -> None:
    with pytest.raises(WriteError, match="escape|outside"):
        plan(tmp_path, {"demo": {PurePosixPath(bad): "x"}})


def test_manifest_entries_escaping_the_folder_are_refused(tmp_path: Path) -> None:
    (tmp_path / "demo").mkdir()
    (tmp_path / "demo" / MANIFEST).write_text('{"files": ["../../etc/passwd"]}')
    with pytest.raises(WriteError, match="escape"):
        plan(tmp_path, _files(a="1\n"))


def test_symlinked_target_is_refused(tmp_path: Path) -> None:
    (tmp_path / "demo").mkdir()
    outside = tmp_path / "outside.txt"
    outside.write_text("keep")
    (tmp_path / "demo" / "a").symlink_to(outside)
    with pytest.raises(WriteError, match="not a regular file"):
        plan(tmp_path, _files(a="1\n"))
    assert outside.read_text() == "keep"


def test_no_temporary_files_are_left(tmp_path: Path) -> None:
    write(plan(tmp_path, _files(a="1\n", b="2\n")))
    write(plan(tmp_path, _files(a="3\n", b="4\n")))
    assert sorted(p.name for p in (tmp_path / "demo").iterdir()) == [MANIFEST, "a", "b"]


# ---------------------------------------------------------------- interruptions, links, modes, locks

_KILL_AFTER = """
import os, sys
from pathlib import Path, PurePosixPath
sys.path.insert(0, {root!r})
from connectorsmith.output.writer import locked, plan, write
files = {{PurePosixPath("demo", name): text for name, text in {files!r}.items()}}
count = 0
def step():
    global count
    count += 1
    if count == {after}:
        os._exit(137)  # as abrupt as kill -9: no cleanup, no finally
out = Path({out!r})
out.mkdir(exist_ok=True)
with locked(out, exclusive=True):
    write(plan(out, {{"demo": files}}), step=step)
"""

_OLD = {"a.py": "old a\n", "pkg/b.py": "old b\n", "gone.py": "old gone\n"}
_NEW = {"a.py": "new a\n", "pkg/b.py": "new b\n", "pkg/c.py": "new c\n"}


def as_files(texts: dict[str, str]) -> dict[PurePosixPath, str]:
    return {PurePosixPath("demo", name): text for name, text in texts.items()}


def _tree(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): p.read_text() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("after", range(1, 12))
def test_a_run_killed_at_any_step_is_made_whole_by_the_next(tmp_path: Path, after: int) -> None:
    write(plan(tmp_path, {"demo": as_files(_OLD)}))
    script = _KILL_AFTER.format(root=str(ROOT), files=_NEW, after=after, out=str(tmp_path))
    killed = subprocess.run([sys.executable, "-c", script], check=False, capture_output=True, text=True)
    assert killed.returncode in (0, 137), killed.stderr
    interrupted = plan(tmp_path, {"demo": as_files(_NEW)})
    left = _tree(tmp_path / "demo")
    whole = {k: v for k, v in left.items() if k != MANIFEST} == _NEW and MANIFEST in left
    if not whole:  # killed before its last step: --check must call the tree stale
        assert not interrupted.clean and interrupted.diff()
    if (tmp_path / "demo" / JOURNAL).exists():
        assert interrupted.interrupted == [PurePosixPath("demo")] and "an interrupted run left it" in interrupted.diff()
    write(interrupted)
    tree = _tree(tmp_path / "demo")
    assert {k: v for k, v in tree.items() if k != MANIFEST} == _NEW  # no staged files, no journal, nothing old
    assert plan(tmp_path, {"demo": as_files(_NEW)}).clean


def test_never_follows_a_symbolic_link_out_of_the_output(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    out = tmp_path / "out"
    (out / "demo").mkdir(parents=True)
    (out / "demo" / "sub").symlink_to(outside, target_is_directory=True)
    with pytest.raises(WriteError, match="is a symbolic link"):
        plan(out, _files(sub__x="1\n"))
    (out / "demo" / "sub").unlink()
    (out / "linked").symlink_to(outside, target_is_directory=True)
    with pytest.raises(WriteError, match="is a symbolic link"):
        plan(out, {"linked": {PurePosixPath("linked/x"): "1\n"}})
    assert list(outside.iterdir()) == []


def test_files_get_the_usual_mode(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        write(plan(tmp_path, _files(a="1\n")))
    finally:
        os.umask(old)
    assert (tmp_path / "demo" / "a").stat().st_mode & 0o777 == 0o644
    assert (tmp_path / "demo" / MANIFEST).stat().st_mode & 0o777 == 0o644


def test_an_output_that_is_a_file_is_an_error_not_a_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "out").write_text("a file")
    assert main(["generate", "--out", str(tmp_path / "out")]) == 1
    assert "it is a file, not a folder" in capsys.readouterr().err
    (tmp_path / "out2").mkdir()
    (tmp_path / "out2" / "hipchat").write_text("a file where a folder must go")
    assert main(["generate", "--out", str(tmp_path / "out2")]) == 1
    assert "is a file where a folder must be" in capsys.readouterr().err


def test_two_runs_do_not_interleave(tmp_path: Path) -> None:
    with locked(tmp_path, exclusive=True), pytest.raises(WriteError, match="another connectorsmith run is writing"), locked(tmp_path, exclusive=True):
        pass
    with locked(tmp_path, exclusive=False), locked(tmp_path, exclusive=False):
        pass  # two --check runs may read at once


def test_a_tree_written_under_the_earlier_name_is_taken_over_not_refused(tmp_path: Path) -> None:
    """Output written by connectorgen (the product's earlier name) keeps a .connectorgen-manifest.json: the
    next run reads it as its own (its files are replaced, stale ones removed) and leaves the new manifest."""
    write(plan(tmp_path, _files(a="1\n", old__gone="x\n")))
    folder = tmp_path / "demo"
    legacy = folder / ".connectorgen-manifest.json"  # legacy-name
    (folder / MANIFEST).rename(legacy)
    legacy.write_text(legacy.read_text("utf-8").replace('"connectorsmith"', '"connectorgen"'), "utf-8")  # legacy-name
    (folder / "mine.txt").write_text("mine")
    todo = plan(tmp_path, _files(a="2\n"))
    assert PurePosixPath("demo/a") in todo.writes  # not refused as a file it did not write
    assert sorted(todo.removes) == [PurePosixPath("demo/.connectorgen-manifest.json"), PurePosixPath("demo/old/gone")]  # legacy-name
    write(todo)
    assert (folder / "a").read_text() == "2\n" and (folder / MANIFEST).is_file()
    assert not legacy.exists() and not (folder / "old").exists()
    assert (folder / "mine.txt").read_text() == "mine"
    assert plan(tmp_path, _files(a="2\n")).removes == []  # taken over: the next run finds its own manifest
