"""Skipping a spec whose output is already what this run would write (a no-op regeneration).

A run remembers, per output folder (in the cache, see cache.py; the output itself is unchanged),
the *fingerprint* of what it generated from — the spec's bytes, the options, the template
overrides, and the tool itself (its code, templates and pinned libraries) — with the SHA-256 of
the manifest it wrote and the warnings it printed.  The next run skips the spec only when the
fingerprint is the same, the manifest on disk is that one, and every file the manifest lists
still has the bytes it had (a hand edit, a deleted file, an interrupted run or a changed
template all mean: generate).  A skipped spec prints the same warnings again.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import stat
from pathlib import Path

from .. import __version__
from ..diagnostics import Diagnostic, Location, Severity
from ..output.manifest import JOURNAL, MANIFEST, STAGED, parse_manifest
from ..render.sources import templates_dir
from ..render.targets import Targets
from . import cache

_KIND = "runs"


def _digest_files(root: Path, paths: list[Path]) -> str:
    h = hashlib.sha256()
    for path in sorted(paths):
        h.update(str(path.relative_to(root)).encode("utf-8") + b"\0")
        h.update(path.read_bytes() + b"\0")
    return h.hexdigest()


@functools.cache
def tool_fingerprint() -> str:
    """The generator's own code and templates, and the versions of what decides its output."""
    package = Path(__file__).resolve().parent.parent
    templates = templates_dir()
    versions = cache.installed()
    return hashlib.sha256(
        "\n".join(
            [__version__, *versions, _digest_files(package, [p for p in package.rglob("*") if p.is_file() and p.suffix in (".py", ".json")]),
             _digest_files(templates, [p for p in templates.rglob("*") if p.is_file()])]
        ).encode()
    ).hexdigest()


def fingerprint(spec: Path, *, lenient: bool, package: str | None, templates: Path | None, ref_root: Path | None = None, targets: Targets | None = None) -> str:
    """Everything a spec's output depends on (the other files a split spec reads: see ``remember``);
    ``targets``: the outputs asked for (None: the spec's default, which its bytes decide)."""
    inputs = [p for p in sorted(spec.iterdir()) if p.is_file()] if spec.is_dir() else [spec]
    h = hashlib.sha256()
    chosen = sorted(t.value for t in targets) if targets is not None else None
    h.update(json.dumps([tool_fingerprint(), lenient, package, spec.name, str(ref_root.resolve()) if ref_root else None, chosen]).encode())
    h.update(_digest_files(spec if spec.is_dir() else spec.parent, inputs).encode())
    if templates is not None:
        h.update(_digest_files(templates, [p for p in templates.rglob("*") if p.is_file()]).encode())
    return h.hexdigest()


def _key(out: Path, name: str) -> str:
    return hashlib.sha256(str(out.resolve() / name).encode()).hexdigest()


def unchanged(out: Path, name: str, fp: str) -> tuple[list[Diagnostic], int, tuple[tuple[str, str], ...]] | None:
    """The warnings, file count and other files read (see ``remember``) of the last run into ``out/name``
    when it is still current, else None."""
    entry = cache.load(_KIND, _key(out, name), fp)
    folder = out / name
    if not isinstance(entry, dict) or (folder / JOURNAL).exists():
        return None
    try:
        for location, digest in entry.get("inputs", []):  # the other files a split spec read (see bundle.py)
            if not stat.S_ISREG(os.stat(location).st_mode):  # no longer a file (a pipe would block the read)
                return None
            if hashlib.sha256(Path(location).read_bytes()).hexdigest() != digest:
                return None
        manifest = (folder / MANIFEST).read_bytes()
        if hashlib.sha256(manifest).hexdigest() != entry["manifest"]:
            return None
        files, hashes, _ = parse_manifest(manifest.decode("utf-8"))
        for rel in files:
            target = folder / rel
            if target.is_symlink() or hashlib.sha256(target.read_bytes()).hexdigest() != hashes[str(rel)]:
                return None
        if any(STAGED.match(p.name) for p in folder.rglob(".connectorsmith-*")):
            return None  # an interrupted run's staged file: the writer cleans it up
        diagnostics = [
            Diagnostic(Severity(d["severity"]), Location(d["file"], int(d["line"]), int(d["column"])), d["message"], d["hint"], tuple(d["pointer"]), str(d["code"]))
            for d in entry["diagnostics"]
        ]
        return diagnostics, len(files) + 1, tuple((str(location), str(digest)) for location, digest in entry.get("inputs", []))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def remember(out: Path, name: str, fp: str, manifest: str, diagnostics: list[Diagnostic], inputs: tuple[tuple[str, str], ...] = ()) -> None:
    """What ``unchanged`` checks next time; ``inputs``: the files the spec refers to, beside the one
    ``fp`` hashed (absolute paths, with the SHA-256 of the bytes read)."""
    cache.store(
        _KIND,
        _key(out, name),
        fp,
        {
            "inputs": [list(i) for i in inputs],
            "manifest": hashlib.sha256(manifest.encode("utf-8")).hexdigest(),
            "diagnostics": [
                {"severity": d.severity.value, "file": d.location.file, "line": d.location.line, "column": d.location.column, "message": d.message, "hint": d.hint, "pointer": list(d.pointer), "code": d.code}
                for d in diagnostics
            ],
        },
    )
