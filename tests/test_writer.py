"""The writer never touches what connectorgen did not write, and writes atomically."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

import pytest

from generator.writer import MANIFEST, WriteError, plan, write


def _files(**texts: str) -> dict[str, dict[PurePosixPath, str]]:
    return {"demo": {PurePosixPath("demo") / name.replace("__", "/"): text for name, text in texts.items()}}


def test_writes_then_only_changes(tmp_path: Path) -> None:
    write(plan(tmp_path, _files(a="1\n", sub__b="2\n")))
    assert (tmp_path / "demo" / "a").read_text() == "1\n"
    assert (tmp_path / "demo" / MANIFEST).is_file()
    again = plan(tmp_path, _files(a="1\n", sub__b="3\n"))
    assert list(again.writes) == [PurePosixPath("demo/sub/b")]


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
