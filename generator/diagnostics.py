"""Diagnostics: input problems as values, printed compiler-style.

Exceptions are for bugs in connectorgen; a problem with the user's spec is a
``Diagnostic`` collected and reported with every other problem of that file.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from pathlib import Path


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"


Pointer = tuple[str | int, ...]


def format_pointer(pointer: Pointer) -> str:
    """RFC 6901 JSON pointer text for ``pointer``."""
    if not pointer:
        return ""
    parts = (str(p).replace("~", "~0").replace("/", "~1") for p in pointer)
    return "/" + "/".join(parts)


@dataclass(frozen=True, order=True)
class Location:
    file: str
    line: int  # 1-based
    column: int  # 1-based

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Diagnostic:
    severity: Severity
    location: Location
    message: str
    hint: str = ""
    pointer: Pointer = ()

    def sort_key(self) -> tuple[str, int, int, str]:
        loc = self.location
        return (loc.file, loc.line, loc.column, self.message)

    def render(self) -> str:
        where = format_pointer(self.pointer)
        text = f"{self.location}: {self.severity.value}: {self.message}"
        if where:
            text += f" (at {where})"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text


class SpecError(Exception):
    """Raised by a stage that cannot go on; carries every diagnostic found so far."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__("\n".join(d.render() for d in diagnostics))
        self.diagnostics = sorted(diagnostics, key=Diagnostic.sort_key)


def display_path(path: Path) -> str:
    """A path as the user wrote it, relative to the working directory when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
