"""Stage 5: write rendered files, touching nothing connectorsmith did not write.

Each connector's folder keeps a manifest of the files the last run wrote.  A
run replaces only files whose bytes changed, removes files the manifest lists
that this run no longer produces, and refuses to overwrite a file it did not
write.  ``plan`` computes all of that without writing; ``--check`` and
``write`` share it.

Interruptions: before a connector's folder changes, a journal
(``.connectorsmith-journal.json``) lists what the run will write and remove;
every file is first staged as ``.connectorsmith-*.tmp`` beside its target, then
renamed into place, the manifest last, and the journal is removed.  A run
killed at any point leaves the journal (and perhaps staged files): the next
run owns what the journal lists, deletes the staged files, and makes the
folder whole; ``--check`` reports such a folder as stale.  A lock on the
output folder keeps two runs from interleaving (``locked``: flock on POSIX, msvcrt
on Windows, each imported when a run locks).  Nothing follows a symbolic
link out of the output folder, and files get the usual mode (0666 less the
umask).
"""

from __future__ import annotations

import contextlib
import difflib
import errno
import hashlib
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from ..diagnostics import posix_path
from ..render.jsontext import to_json
from .manifest import JOURNAL, LEGACY_JOURNAL, LEGACY_MANIFEST, MANIFEST, STAGED, manifest_sources, parse_manifest
from .surface import breaking_changes


class WriteError(Exception):
    """The output cannot be written safely; nothing has been written."""


@dataclass
class Plan:
    out: Path
    writes: dict[PurePosixPath, str] = field(default_factory=dict)  # new or changed files
    removes: list[PurePosixPath] = field(default_factory=list)  # generated before, not now
    unchanged: list[PurePosixPath] = field(default_factory=list)
    manifests: dict[PurePosixPath, str] = field(default_factory=dict)  # connector folder -> manifest text
    interrupted: list[PurePosixPath] = field(default_factory=list)  # folders an interrupted run left a journal in
    leftovers: list[PurePosixPath] = field(default_factory=list)  # staged files an interrupted run left
    reverted: list[PurePosixPath] = field(default_factory=list)  # files edited by hand that this run replaces
    removed_edited: list[PurePosixPath] = field(default_factory=list)  # files edited by hand that this run removes
    breaking: list[str] = field(default_factory=list)  # public names the last run had that this one removes or changes
    refetched: list[str] = field(default_factory=list)  # spec URLs whose content changed since the last run

    def summary(self, folder: str) -> tuple[list[PurePosixPath], list[PurePosixPath], int]:
        """One connector's (changed files, removed files, unchanged count)."""
        mine = [rel for rel in sorted(self.writes) if rel.parts[0] == folder]
        gone = [rel for rel in self.removes if rel.parts[0] == folder]
        return mine, gone, sum(rel.parts[0] == folder for rel in self.unchanged)

    @property
    def clean(self) -> bool:
        return not self.writes and not self.removes and not self.interrupted and not self.leftovers

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
        notes = [f"# {rel}/: an interrupted run left it part old, part new\n" for rel in self.interrupted]
        notes += [f"# {rel}: a file an interrupted run staged\n" for rel in self.leftovers]
        return "".join(notes) + "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in chunks)


def _safe_relative(rel: PurePosixPath) -> None:
    if rel.is_absolute() or ".." in rel.parts or not rel.parts:
        raise WriteError(f"refusing to write {rel}: it would escape the output folder")


def _check_path(out: Path, rel: PurePosixPath) -> None:
    """Every folder from ``out`` down to ``rel`` is a real folder (or not there yet): no link leads outside."""
    current = out
    for part in rel.parts[:-1]:
        current = current / part
        if current.is_symlink():
            raise WriteError(f"refusing to write {(out / rel).as_posix()}: {current.as_posix()} is a symbolic link, which could lead outside {out.as_posix()}")
        if current.exists() and not current.is_dir():
            raise WriteError(f"refusing to write {(out / rel).as_posix()}: {current.as_posix()} is a file where a folder must be")


def _read_journal(path: Path) -> list[PurePosixPath]:
    """What an interrupted run meant to write and remove: it owns those files."""
    try:
        data = json.loads(path.read_text("utf-8"))
        files = [PurePosixPath(e) for e in (*data["writes"], *data["removes"])]
    except (ValueError, KeyError, TypeError) as exc:
        raise WriteError(f"{path.as_posix()}: unreadable connectorsmith journal ({exc}); delete it, check the folder, then generate again") from None
    for rel in files:
        _safe_relative(rel)
    return files


def _staged_files(out: Path, folder: PurePosixPath) -> list[PurePosixPath]:
    root = out / folder
    if not root.is_dir() or root.is_symlink():
        return []
    found = []
    for directory, subdirs, names in os.walk(root):  # os.walk does not follow links to folders
        subdirs.sort()
        base = PurePosixPath(folder, Path(directory).relative_to(root).as_posix())
        found += [base / name for name in sorted(names) if STAGED.match(name)]
    return [PurePosixPath(os.path.normpath(str(p))) for p in found]


def _read_manifest(path: Path) -> tuple[list[PurePosixPath], dict[str, str], dict[str, str] | None]:
    """The files the last run wrote, the SHA-256 of each as it wrote it, and the package's public API."""
    if not path.is_file():
        return [], {}, None
    try:
        files, hashes, api = parse_manifest(path.read_text("utf-8"))
    except ValueError as exc:
        raise WriteError(f"{path.as_posix()}: unreadable connectorsmith manifest ({exc}); delete it and the files it lists, then generate again") from None
    for rel in files:
        _safe_relative(rel)
    return files, hashes, api


def _successors(
    gone: list[str], api: dict[str, str], folder: Path, listed: list[PurePosixPath], files: dict[PurePosixPath, str]
) -> dict[str, str]:
    """For each removed method (``method HipChatClient.get_task``), the methods of this run with its HTTP
    method and path: a renamed operation.  The routes are read from the client module the last run wrote
    (still there: nothing is written yet) and the one this run makes."""
    old = next((rel for rel in listed if rel.match("python/*/client.py")), None)
    new = next((text for rel, text in files.items() if rel.match("python/*/client.py") and len(rel.parts) == 4), None)
    if old is None or new is None or (folder / old).is_symlink() or not (folder / old).is_file():
        return {}
    try:
        before = _routes((folder / old).read_text("utf-8"))
    except (OSError, UnicodeDecodeError):
        return {}
    after = _routes(new)
    found: dict[str, str] = {}
    for key in gone:
        client, _, method = key.removeprefix("method ").rpartition(".")
        route = before.get(method)
        heirs = [name for name, where in after.items() if where == route and name != method and f"method {client}.{name}" in api]
        if route is not None and heirs:
            found[key] = f"{' and '.join(heirs)} {'has' if len(heirs) == 1 else 'have'} its method and path, {route[0]} {route[1]}: renamed?"
    return found


def _routes(client: str) -> dict[str, tuple[str, str]]:
    """Each operation's (HTTP method, path) by its method's name, from the ``_runtime.Operation(name=...,
    method=..., path=...)`` constants of a generated client module (none when it is not one)."""
    import ast  # only when a regeneration removes a method

    try:
        tree = ast.parse(client)
    except (SyntaxError, ValueError):
        return {}
    routes: dict[str, tuple[str, str]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "Operation":
            values = {k.arg: k.value.value for k in node.keywords if isinstance(k.value, ast.Constant) and isinstance(k.value.value, str)}
            if {"name", "method", "path"} <= values.keys():
                routes[values["name"]] = (values["method"], values["path"])
    return routes


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def plan(
    out: Path, connectors: dict[str, dict[PurePosixPath, str]], apis: dict[str, dict[str, str]] | None = None, sources: dict[str, dict[str, str]] | None = None
) -> Plan:
    """What writing ``connectors`` ({name: {path under out: text}}) into ``out`` would do.

    ``apis`` ({name: public API}, see ``surface``) is kept in each manifest; what the last run's API had
    and this one's lacks or changed is listed in ``Plan.breaking``. ``sources`` ({name: {URL: SHA-256}})
    are the URLs a spec was fetched from, kept in its manifest; one whose content changed since the
    last run is listed in ``Plan.refetched``.
    """
    result = Plan(out)
    if out.exists() and not out.is_dir():
        raise WriteError(f"refusing to write into {out.as_posix()}: it is a file, not a folder")
    for name, files in sorted(connectors.items()):
        folder = PurePosixPath(name)
        _safe_relative(folder)
        _check_path(out, folder / MANIFEST)
        manifest_rel = folder / MANIFEST
        legacy = [folder / LEGACY_MANIFEST] if (out / folder / LEGACY_MANIFEST).is_file() else []
        read = manifest_rel if (out / manifest_rel).is_file() or not legacy else legacy[0]
        listed, hashes, old_api = _read_manifest(out / read)
        api = (apis or {}).get(name)
        if old_api is not None and api is not None:
            gone = [key for key in old_api if key.startswith("method ") and key not in api]
            successors = _successors(gone, api, out / folder, listed, files) if gone else {}
            result.breaking += [f"{name}: {change}" for change in breaking_changes(old_api, api, successors)]
        elif old_api is not None and apis is not None and name not in apis:  # the package is not made this time
            result.breaking.append(f"{name}: the Python package is removed (this run does not make it)")
        previous = {folder / rel for rel in listed}
        for journal in (JOURNAL, LEGACY_JOURNAL):
            if (out / folder / journal).is_file():
                result.interrupted.append(folder)
                previous |= set(_read_journal(out / folder / journal))
        result.leftovers += _staged_files(out, folder)
        owned = set(files)
        for rel in files:
            _safe_relative(rel)
            if rel.parts[0] != name:
                raise WriteError(f"refusing to write {rel}: outside the connector's folder {name}/")
        names = sorted(str(rel.relative_to(folder)) for rel in owned)
        encoded = {rel: text.encode("utf-8") for rel, text in files.items()}
        digests = {str(rel.relative_to(folder)): _sha256(data) for rel, data in encoded.items()}
        fields: dict[str, object] = {"generator": "connectorsmith", "files": names, "sha256": dict(sorted(digests.items()))}
        if api is not None:
            fields["api"] = api
        fetched = (sources or {}).get(name)
        if fetched:
            fields["sources"] = dict(sorted(fetched.items()))
            manifest_path = out / manifest_rel
            old_sources = manifest_sources(manifest_path.read_text("utf-8")) if manifest_path.is_file() else {}
            result.refetched += [url for url, digest in sorted(fetched.items()) if url in old_sources and old_sources[url] != digest]
        manifest = to_json(fields, ensure_ascii=True)
        entries = {**files, manifest_rel: manifest}
        for rel, text in sorted(entries.items()):
            target = out / rel
            _check_path(out, rel)
            if target.is_symlink() or (target.exists() and not target.is_file()):
                raise WriteError(f"refusing to write {target.as_posix()}: it exists and is not a regular file")
            if target.is_file():
                current = target.read_bytes()
                if current == (encoded[rel] if rel in encoded else text.encode("utf-8")):
                    result.unchanged.append(rel)
                    continue
                if rel not in previous and rel != manifest_rel:
                    raise WriteError(
                        f"refusing to overwrite {target.as_posix()}: connectorsmith did not write it "
                        f"(not in {(out / manifest_rel).as_posix()}); move it away or delete it"
                    )
                recorded = hashes.get(str(rel.relative_to(folder)))
                if recorded is not None and recorded != _sha256(current):
                    result.reverted.append(rel)  # edited by hand since the last run
            result.writes[rel] = text
        for rel in sorted(previous - owned - {manifest_rel}):
            if (out / rel).is_file() and not (out / rel).is_symlink():
                result.removes.append(rel)
                recorded = hashes.get(str(rel.relative_to(folder)))
                if recorded is not None and recorded != _sha256((out / rel).read_bytes()):
                    result.removed_edited.append(rel)  # edited by hand since the last run
        result.removes += legacy  # the earlier name's manifest: replaced by this run's
        result.manifests[folder] = manifest
    return result


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


#: The file that carries the output folder's lock where a folder cannot be locked itself (Windows).
LOCK_FILE = ".connectorsmith-lock"


@contextlib.contextmanager
def locked(out: Path, *, exclusive: bool) -> Iterator[None]:
    """Hold the output folder's lock (shared for --check, exclusive for writing); a second writer is refused.

    POSIX: ``flock`` on the folder itself.  Where there is no ``fcntl`` (Windows): ``msvcrt.locking`` on
    the first byte of ``LOCK_FILE`` in the folder, made when missing and left there; that lock has no
    shared form, so there two ``--check`` runs exclude each other too.  Each module is imported here, when
    a run locks: connectorsmith starts without either."""
    if not out.is_dir():
        yield  # nothing there to read or to lock (--check of a missing folder, or a plan that fails)
        return
    try:
        import fcntl
    except ImportError:
        with _locked_by_msvcrt(out):
            yield
        return
    fd = os.open(out, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                raise WriteError(f"another connectorsmith run is writing to {out.as_posix()}; try again when it has finished") from None
            raise
        yield
    finally:
        os.close(fd)


@contextlib.contextmanager
def _locked_by_msvcrt(out: Path) -> Iterator[None]:
    import msvcrt  # Windows: a folder cannot be opened as a file, so a file in it carries the lock

    fd = os.open(out / LOCK_FILE, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o666)
    try:
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined,unused-ignore]
        except OSError as exc:
            if exc.errno in (errno.EACCES, errno.EDEADLK, getattr(errno, "EDEADLOCK", errno.EDEADLK)):
                raise WriteError(f"another connectorsmith run is using {out.as_posix()}; try again when it has finished") from None
            raise
        try:
            yield
        finally:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)  # type: ignore[attr-defined,unused-ignore]
    finally:
        os.close(fd)


def write(result: Plan, *, step: Callable[[], None] | None = None) -> None:
    """Carry out ``result`` so that an interruption at any point can be made whole by the next run.

    The caller holds the output folder's lock (``locked``) from ``plan`` to here.  ``step`` is called
    after each change on disk (a fault-injection point for tests).  A file system that refuses a write
    (full, too large a file, no permission) raises WriteError saying so; what was done is then what an
    interrupted run leaves, which the next run finishes.
    """
    try:
        _write(result, step)
    except OSError as exc:
        where = posix_path(exc.filename or result.out)
        journals = sorted(p.as_posix() for p in result.out.glob(f"*/{JOURNAL}")) if result.out.is_dir() else []
        after = f"; the next run finishes what this one began (journal: {', '.join(journals)})" if journals else "; nothing was changed"
        raise WriteError(f"cannot write {where}: {exc.strerror or exc}{after}") from None


def _write(result: Plan, step: Callable[[], None] | None) -> None:
    out = result.out
    mode = 0o666 & ~_umask()
    out.mkdir(parents=True, exist_ok=True)
    tick = step or (lambda: None)
    changed = (*result.writes, *result.removes, *result.leftovers)
    folders = sorted({PurePosixPath(rel.parts[0]) for rel in changed} | set(result.interrupted))
    for folder in folders:
        writes = {rel: text for rel, text in result.writes.items() if rel.parts[0] == folder.name}
        removes = [rel for rel in result.removes if rel.parts[0] == folder.name]
        journal = out / folder / JOURNAL
        if writes or removes:
            (out / folder).mkdir(parents=True, exist_ok=True)
            _replace(journal, json.dumps({"writes": sorted(map(str, writes)), "removes": sorted(map(str, removes))}, indent=2) + "\n", mode)
            tick()
        for rel in [r for r in result.leftovers if r.parts[0] == folder.name]:
            (out / rel).unlink(missing_ok=True)
            tick()
        manifest = folder / MANIFEST
        staged: list[tuple[Path, Path]] = []
        try:
            for rel, text in sorted(writes.items(), key=lambda item: item[0] == manifest):  # the manifest last
                target = out / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                staged.append((_stage(target, text, mode), target))
                tick()
        except BaseException:
            for temp, _ in staged:
                temp.unlink(missing_ok=True)
            raise
        for temp, target in staged:
            os.replace(temp, target)
            tick()
        for rel in removes:
            (out / rel).unlink(missing_ok=True)
            parent = (out / rel).parent
            while parent != out / folder and parent.is_dir() and not any(parent.iterdir()):
                parent.rmdir()
                parent = parent.parent
            tick()
        journal.unlink(missing_ok=True)
        (out / folder / LEGACY_JOURNAL).unlink(missing_ok=True)
        tick()


def _stage(target: Path, text: str, mode: int) -> Path:
    """``text`` in a new file beside ``target``, named so that a later run knows it as connectorsmith's."""
    import tempfile  # only when a file is written: a no-op run does without it

    fd, temp = tempfile.mkstemp(prefix=".connectorsmith-", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.chmod(temp, mode)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return Path(temp)


def _replace(target: Path, text: str, mode: int) -> None:
    os.replace(_stage(target, text, mode), target)
