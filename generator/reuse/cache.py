"""A cache of results that are costly to compute and depend only on content: validation findings.

Entries live in ``$CONNECTORSMITH_CACHE_DIR``, else ``$XDG_CACHE_HOME/connectorsmith``, else
``~/.cache/connectorsmith``; ``CONNECTORSMITH_CACHE_DIR=off`` turns the cache off.  An entry is
keyed by a content hash and carries a *salt* (the tool and library versions its value depends
on): an entry that is missing, unreadable, of another salt or of the wrong shape is never
trusted, only recomputed and written again.  Writes are atomic (a temporary file renamed into
place), so concurrent runs at worst compute the same value twice.  A folder that cannot be
written only means nothing is remembered.
"""

from __future__ import annotations

import functools
import json
import os
import sys
from pathlib import Path
from typing import Any


def folder() -> Path | None:
    configured = os.environ.get("CONNECTORSMITH_CACHE_DIR")
    if configured == "off":
        return None
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base, "connectorsmith")


def load(kind: str, key: str, salt: str) -> Any:
    """The value stored under ``key`` with ``salt``, or None (missing, stale or corrupt)."""
    root = folder()
    if root is None:
        return None
    try:
        entry = json.loads((root / kind / f"{key}.json").read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(entry, dict) or entry.get("salt") != salt or "value" not in entry:
        return None
    return entry["value"]


def store(kind: str, key: str, salt: str, value: Any) -> None:
    root = folder()
    if root is None:
        return
    import tempfile  # only when something is stored

    target = root / kind / f"{key}.json"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=".json")
    except OSError:
        return
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump({"salt": salt, "value": value}, out, ensure_ascii=False)
        os.replace(temporary, target)
    except OSError:
        Path(temporary).unlink(missing_ok=True)


@functools.cache
def installed() -> list[str]:
    """The distributions installed where this Python imports from (their dist-info names carry versions).

    A salt for whatever depends on installed libraries (jinja2, black, the validators, pyyaml),
    read without importing anything: importlib.metadata alone costs a run ~14 ms; read once a process.
    """
    names = []
    for entry in sys.path:
        try:
            names += [f"{entry}/{name}" for name in os.listdir(entry or ".") if name.endswith(".dist-info")]
        except OSError:
            continue
    return sorted(names)
