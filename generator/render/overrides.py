"""Template overrides: the files a ``--templates`` folder may hold, and ``connectorsmith templates export``.

An override replaces the built-in template of the same relative path (``docs/connector.md.j2``); a
file that matches none would be ignored, so it is an error that names it and lists the names there
are (``unknown``).  ``export`` copies every built-in template into a folder to start overrides from
(an installed connectorsmith has no ``templates/`` folder of its own to copy them from), the run-time's
modules (``connectorsmith.runtime``) as the templates that override them, and never replaces a file it
did not write.  Hidden files and folders (a name starting with ``.``: an editor's
swap file, ``.git``) are not templates and are passed over.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

from .sources import runtime_files, templates_dir


class ExportError(Exception):
    """The templates cannot be exported there without replacing a file; nothing was written."""


def builtin_templates() -> dict[str, Path]:
    """Every built-in template by its relative path in POSIX form (what an override is named by); the
    run-time's modules are among them by the template path that overrides each (``python/_runtime.py.j2``)."""
    return dict(sorted((_files(templates_dir()) | runtime_files()).items()))


def _files(root: Path) -> dict[str, Path]:
    found: dict[str, Path] = {}
    for directory, subdirs, names in os.walk(root):  # os.walk does not follow links to folders
        subdirs[:] = sorted(d for d in subdirs if not d.startswith("."))
        for name in sorted(names):
            if not name.startswith("."):
                path = Path(directory, name)
                found[path.relative_to(root).as_posix()] = path
    return found


def unknown(folder: Path) -> str | None:
    """Why ``folder``'s files cannot all be overrides (each that matches no built-in template, with the
    likeliest name meant, then the names there are); None when they all can."""
    known = builtin_templates()
    strays = [name for name in _files(folder) if name not in known]
    if not strays:
        return None
    lines = [f"{len(strays)} file{'s' if len(strays) > 1 else ''} in the templates folder {folder.as_posix()}/ match{'' if len(strays) > 1 else 'es'} no built-in template, so {'they' if len(strays) > 1 else 'it'} would be ignored:"]
    for name in strays:
        close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
        lines.append(f"    {(folder / name).as_posix()}" + (f" (did you mean {close[0]}?)" if close else ""))
    lines.append(f"  an override has the path of the built-in template it replaces, relative to the folder: {', '.join(known)}")
    lines.append("  (`connectorsmith templates export DIR` writes them all, to start from)")
    return "\n".join(lines)


def export(folder: Path) -> tuple[list[str], list[str]]:
    """Copy every built-in template into ``folder`` (made if missing): (written, already there and identical).

    A folder that holds anything else — a file that is no built-in template, one that differs from it,
    a symbolic link — is refused whole (ExportError, nothing written): its files are someone's."""
    known = builtin_templates()
    if folder.exists() and not folder.is_dir():
        raise ExportError(f"refusing to export the templates into {folder.as_posix()}: it is a file, not a folder")
    identical: list[str] = []
    refused: list[str] = []
    if folder.is_dir():
        for directory, subdirs, names in os.walk(folder):
            subdirs.sort()
            for name in sorted(names) + [d for d in subdirs if Path(directory, d).is_symlink()]:
                path = Path(directory, name)
                rel = path.relative_to(folder).as_posix()
                if path.is_symlink():
                    refused.append(f"{path.as_posix()} (a symbolic link)")
                elif rel not in known:
                    refused.append(f"{path.as_posix()} (not a built-in template)")
                elif path.read_bytes() != known[rel].read_bytes():
                    refused.append(f"{path.as_posix()} (differs from the built-in template)")
                else:
                    identical.append(rel)
    if refused:
        listed = "\n".join(f"    {line}" for line in refused)
        raise ExportError(
            f"refusing to export the templates into {folder.as_posix()}/: it holds files this export would not write as they are:\n{listed}\n"
            "  nothing was written; export into a new or empty folder (and compare your copies with it)"
        )
    written: list[str] = []
    for rel, source in known.items():
        if rel in identical:
            continue
        target = folder / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "xb") as handle:  # "x": a file that appeared since is not replaced
            handle.write(source.read_bytes())
        written.append(rel)
    return written, identical
