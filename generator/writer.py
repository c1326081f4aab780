"""Stage 5: write rendered files, touching nothing connectorgen did not write.

Each connector's folder keeps a manifest of the files the last run wrote.  A
run replaces only files whose bytes changed (each atomically: written to a
temporary file in the same folder, then renamed), removes files the manifest
lists that this run no longer produces, and refuses to overwrite a file it
did not write.  ``plan`` computes all of that without writing; ``--check``
and ``write`` share it.
"""

from __future__ import annotations

import difflib
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

MANIFEST = ".connectorgen-manifest.json"


class WriteError(Exception):
    """The output cannot be written safely; nothing has been written."""


@dataclass
class Plan:
    out: Path
    writes: dict[PurePosixPath, str] = field(default_factory=dict)  # new or changed files
    removes: list[PurePosixPath] = field(default_factory=list)  # generated before, not now
    unchanged: list[PurePosixPath] = field(default_factory=list)
    manifests: dict[PurePosixPath, str] = field(default_factory=dict)  # connector folder -> manifest text

    @property
    def clean(self) -> bool:
        return not self.writes and not self.removes

    def diff(self) -> str:
        chunks: list[str] = []
        for rel, text in sorted(self.writes.items()):
            target = self.out / rel
            old = target.read_text("utf-8") if target.is_file() else ""
            chunks += difflib.unified_diff(
                old.splitlines(keepends=True),
                text.splitlines(keepends=True),
                f"a/{rel}" if target.exists() else "/dev/null",
                f"b/{rel}",
            )
        for rel in sorted(self.removes):
            old = (self.out / rel).read_text("utf-8", errors="replace")
            chunks += difflib.unified_diff(old.splitlines(keepends=True), [], f"a/{rel}", "/dev/null")
        return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in chunks)


def _safe_relative(rel: PurePosixPath) -> None:
    if rel.is_absolute() or ".." in rel.parts or not rel.parts:
        raise WriteError(f"refusing to write {rel}: it would escape the output folder")


def _read_manifest(path: Path) -> list[PurePosixPath]:
    if not path.is_file():
        return []
    try:
        entries = json.loads(path.read_text("utf-8"))["files"]
        files = [PurePosixPath(e) for e in entries]
    except (ValueError, KeyError, TypeError) as exc:
        raise WriteError(f"{path}: unreadable connectorgen manifest ({exc}); delete it and the files it lists, then generate again") from None
    for rel in files:
        _safe_relative(rel)
    return files


def plan(out: Path, connectors: dict[str, dict[PurePosixPath, str]]) -> Plan:
    """What writing ``connectors`` ({name: {path under out: text}}) into ``out`` would do."""
    result = Plan(out)
    for name, files in sorted(connectors.items()):
        folder = PurePosixPath(name)
        _safe_relative(folder)
        manifest_rel = folder / MANIFEST
        previous = {folder / rel for rel in _read_manifest(out / manifest_rel)}
        owned = set(files)
        for rel in files:
            _safe_relative(rel)
            if rel.parts[0] != name:
                raise WriteError(f"refusing to write {rel}: outside the connector's folder {name}/")
        manifest = json.dumps(
            {"generator": "connectorgen", "files": sorted(str(rel.relative_to(folder)) for rel in owned)},
            indent=2,
        ) + "\n"
        entries = {**files, manifest_rel: manifest}
        for rel, text in sorted(entries.items()):
            target = out / rel
            if target.is_symlink() or (target.exists() and not target.is_file()):
                raise WriteError(f"refusing to write {target}: it exists and is not a regular file")
            if target.is_file():
                current = target.read_bytes()
                if current == text.encode("utf-8"):
                    result.unchanged.append(rel)
                    continue
                if rel not in previous and rel != manifest_rel:
                    raise WriteError(
                        f"refusing to overwrite {target}: connectorgen did not write it "
                        f"(not in {out / manifest_rel}); move it away or delete it"
                    )
            result.writes[rel] = text
        for rel in sorted(previous - owned):
            if (out / rel).is_file() and not (out / rel).is_symlink():
                result.removes.append(rel)
        result.manifests[folder] = manifest
    return result


def write(result: Plan) -> None:
    """Carry out ``result``: changed files replaced atomically, stale generated files removed."""
    out = result.out
    for rel, text in sorted(result.writes.items()):
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
            os.replace(temp, target)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
    for rel in result.removes:
        (out / rel).unlink()
        parent = (out / rel).parent
        while parent != out and parent.is_dir() and not any(parent.iterdir()):
            parent.rmdir()
            parent = parent.parent
