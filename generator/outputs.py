"""Where connectorsmith's own files are, and the files it keeps beside a connector's output.

Shared by the writer (which writes them) and ``incremental`` (which reads them to skip a spec
whose output is current) without importing either's dependencies.
"""

from __future__ import annotations

import json
import re
from pathlib import Path, PurePosixPath

MANIFEST = ".connectorsmith-manifest.json"
JOURNAL = ".connectorsmith-journal.json"
STAGED = re.compile(r"^\.connector(?:smith|gen)-[a-z0-9_]+\.tmp$")  # a file staged beside its target, renamed into place
#: The manifest and journal under the product's earlier name (connectorgen): an output tree written then is
#: still ours, taken over by the next run (its manifest read, then replaced by MANIFEST).
LEGACY_MANIFEST = ".connectorgen-manifest.json"
LEGACY_JOURNAL = ".connectorgen-journal.json"
#: The client run-time: modules of connectorsmith.runtime copied verbatim into each Python package, by the
#: path of the template that overrides each (a ``--templates`` file there is rendered as any template).
RUNTIME = {"python/_runtime.py.j2": "_runtime.py", "python/_serde.py.j2": "_serde.py"}


def templates_dir() -> Path:
    """templates/ beside the package in a checkout, or inside it in an installed wheel."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "templates", here.parent / "templates"):
        if candidate.is_dir():
            return candidate
    raise RuntimeError(f"connectorsmith templates not found next to {here}")  # a broken install, not bad input


def runtime_files() -> dict[str, Path]:
    """The run-time's modules (see RUNTIME) by the template path an override of each has."""
    folder = Path(__file__).resolve().parent / "runtime"
    return {template: folder / name for template, name in RUNTIME.items()}


def manifest_sources(text: str) -> dict[str, str]:
    """The URLs a manifest says its spec was fetched from, with the SHA-256 of what was fetched ({} for a file)."""
    try:
        sources = json.loads(text).get("sources", {})
        return {str(k): str(v) for k, v in sources.items()} if isinstance(sources, dict) else {}
    except (ValueError, AttributeError):
        return {}


def parse_manifest(text: str) -> tuple[list[PurePosixPath], dict[str, str], dict[str, str] | None]:
    """A manifest's files (relative to the connector's folder), their SHA-256 as written, and the package's
    public API; ValueError when ``text`` is not a manifest."""
    try:
        data = json.loads(text)
        files = [PurePosixPath(e) for e in data["files"]]
        hashes = {str(k): str(v) for k, v in data.get("sha256", {}).items()}
        api = {str(k): str(v) for k, v in data["api"].items()} if isinstance(data.get("api"), dict) else None
    except (KeyError, TypeError, AttributeError) as exc:
        raise ValueError(str(exc)) from None
    return files, hashes, api
