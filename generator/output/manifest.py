"""The files connectorsmith keeps beside a connector's output: their names, and reading the manifest.

Shared by the writer (which writes them) and ``reuse.incremental`` (which reads them to skip a spec
whose output is current) without importing either's dependencies.
"""

from __future__ import annotations

import json
import re
from pathlib import PurePosixPath

MANIFEST = ".connectorsmith-manifest.json"
JOURNAL = ".connectorsmith-journal.json"
STAGED = re.compile(r"^\.connector(?:smith|gen)-[a-z0-9_]+\.tmp$")  # a file staged beside its target, renamed into place
#: The manifest and journal under the product's earlier name (connectorgen): an output tree written then is
#: still ours, taken over by the next run (its manifest read, then replaced by MANIFEST).
LEGACY_MANIFEST = ".connectorgen-manifest.json"
LEGACY_JOURNAL = ".connectorgen-journal.json"


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
