"""JSON text as ``json.dumps(..., indent=2)`` writes it, fast: the exports and the writer's manifests."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from typing import Any

from ..reuse.recent import Recent


class Remembered:
    """The JSON text of values a run keeps for the next (export.Pieces marks them ``kept``), by
    identity: a kept value is encoded once per indentation, and its text reused while it is kept."""

    def __init__(self) -> None:
        self.kept: dict[int, Any] = {}
        self._texts: Recent[tuple[int, str, bool], tuple[Any, str]] = Recent()

    def turn(self) -> None:
        """A new run: what it does not mark kept again is forgotten after it."""
        self.kept = {}
        self._texts.turn()

    def _text(self, key: tuple[int, str, bool], value: Any) -> str | None:
        found = self._texts.get(key)
        return found[1] if found is not None and found[0] is value else None


def to_json(document: Any, *, ensure_ascii: bool = False, remembered: Remembered | None = None) -> str:
    """Deterministic JSON text: input order kept, two-space indent, UTF-8 as it is (or, with
    ``ensure_ascii``, escaped), and a final newline; ``remembered``: text of kept values.

    Byte for byte what ``json.dumps(document, indent=2, ensure_ascii=...)`` writes (tested), in a
    fraction of its time: with an indent, json.dumps runs its pure-Python encoder, one generator per
    level, and the exports of a large API are megabytes.
    """
    parts: list[str] = []
    try:
        _encode(document, "\n", parts, _ASCII if ensure_ascii else _UTF8, remembered)
    except _Unusual:
        return json.dumps(document, indent=2, ensure_ascii=ensure_ascii) + "\n"
    parts.append("\n")
    return "".join(parts)


class _Unusual(Exception):
    """A value this encoder leaves to json.dumps (a key that is not a string, a float that is not finite)."""


# The C functions json.dumps uses for strings, with ensure_ascii False and True.
_UTF8: Callable[[str], str] = json.encoder.encode_basestring
_ASCII: Callable[[str], str] = json.encoder.encode_basestring_ascii


def _encode(value: Any, newline: str, parts: list[str], string: Callable[[str], str], remembered: Remembered | None = None) -> None:
    if isinstance(value, str):
        parts.append(string(value))
    elif value is None:
        parts.append("null")
    elif value is True:
        parts.append("true")
    elif value is False:
        parts.append("false")
    elif isinstance(value, int):
        parts.append(int.__repr__(value))
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise _Unusual
        parts.append(float.__repr__(value))
    elif isinstance(value, dict):
        if not value:
            parts.append("{}")
            return
        if remembered is not None and id(value) in remembered.kept:
            key = (id(value), newline, string is _ASCII)
            text = remembered._text(key, value)
            if text is None:
                start = len(parts)
                _encode(value, newline, parts, string)  # its parts are not kept: nothing below is looked up
                text = "".join(parts[start:])
                del parts[start:]
                remembered._texts.put(key, (value, text))
            parts.append(text)
            return
        inner = newline + "  "
        separator = "{" + inner
        for key, item in value.items():
            if not isinstance(key, str):
                raise _Unusual
            parts.append(separator)
            parts.append(string(key))
            parts.append(": ")
            _encode(item, inner, parts, string, remembered)
            separator = "," + inner
        parts.append(newline + "}")
    elif isinstance(value, (list, tuple)):
        if not value:
            parts.append("[]")
            return
        inner = newline + "  "
        separator = "[" + inner
        for item in value:
            parts.append(separator)
            _encode(item, inner, parts, string, remembered)
            separator = "," + inner
        parts.append(newline + "]")
    else:
        raise _Unusual
