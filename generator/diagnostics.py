"""Diagnostics: input problems as values, printed compiler-style.

Exceptions are for bugs in connectorsmith; a problem with the user's spec is a
``Diagnostic`` collected and reported with every other problem of that file.
"""

from __future__ import annotations

import enum
import os
import re
import urllib.parse
from pathlib import Path, PurePath
from typing import Literal, NamedTuple


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


class Location(NamedTuple):  # a NamedTuple, not a dataclass: a no-op run never imports dataclasses
    file: str
    line: int  # 1-based
    column: int  # 1-based

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


#: Every kind of warning has a stable code, shown in its line (``warning[looks-paged]``) and named by
#: ``ignore`` / ``--ignore`` to silence it. mypy checks that a warning is made with one of these; ``CODES``
#: says what each means, and docs/warnings.md shows each with an example.
Code = Literal[
    "lenient-read",
    "properties-ignored",
    "spec-violation",
    "left-out",
    "approximated",
    "renamed",
    "any-type",
    "discriminator",
    "server-url",
    "auth",
    "looks-paged",
    "export-loss",
    "breaking-change",
    "edited-by-hand",
    "target-dropped",
    "url-changed",
    "not-a-tool",
    "many-tools",
    "schema-shortened",
]

CODES: dict[Code, str] = {
    "lenient-read": "the file's syntax or encoding is not strict JSON/YAML/UTF-8 and was forgiven as it was read",
    "properties-ignored": "a connector folder's apiProperties.json cannot be read: the client is generated without it",
    "spec-violation": "the document breaks a rule of its OpenAPI version; connectorsmith repairs the part or leaves it unused",
    "left-out": "a part of the document (an operation, a parameter, a body, a helper) is left out of the client",
    "approximated": "the client does what the document asks in another way than it describes (a field as text, a fixed value)",
    "renamed": "a name of the document is another name in Python, because its own is taken or not an identifier",
    "any-type": "a schema is typed as Any: nothing says what it holds",
    "discriminator": "a union's discriminator cannot be used as written: a value is ignored or a property typed as str",
    "server-url": "a server URL or its variables are incomplete: the client needs base_url or a value from its caller",
    "auth": "a security scheme, connection parameter or identity provider the client cannot carry as described",
    "looks-paged": "an operation looks paged but how it pages is not known: it gets no pager",
    "export-loss": "the Power Platform export (Swagger 2.0) cannot say something the document says",
    "breaking-change": "regenerating changes or removes a public name that code using the package may call",
    "edited-by-hand": "a generated file was edited since the last run; this run replaces or removes it",
    "target-dropped": "an output the last run made (python, docs, powerplatform, openapi) is not among this run's targets: its files are removed",
    "url-changed": "a spec fetched from a URL changed since the last run",
    "not-a-tool": "an operation the MCP server does not make a tool (a webhook trigger, a stream of events); the client has it",
    "many-tools": "the MCP server exposes more tools by default than agents choose well among: run it with a selection",
    "schema-shortened": "an MCP tool's schema would reach more models than an agent reads well: its nested objects are plain objects",
}


class Diagnostic(NamedTuple):
    severity: Severity
    location: Location
    message: str
    hint: str = ""
    pointer: Pointer = ()
    #: A warning's kind (one of ``CODES``); errors have none, but keep their code when a warning becomes
    #: one (``--strict``).
    code: str = ""

    def sort_key(self) -> tuple[str, int, int, str]:
        loc = self.location
        return (loc.file, loc.line, loc.column, self.message)

    def render(self) -> str:
        """Compiler style; control characters from the spec are shown escaped, never sent to the terminal."""
        where = _printable(format_pointer(self.pointer))
        text = f"{_printable(str(self.location))}: {self.label()}: {_printable(self.message)}"
        if where:
            text += f" (at {where})"
        if self.hint:
            text += f"\n    hint: {_printable(self.hint)}"
        return text


    def label(self) -> str:
        """``warning[looks-paged]``, ``error``: the severity, with the code when there is one."""
        return f"{self.severity.value}[{self.code}]" if self.code else self.severity.value


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _printable(text: str) -> str:
    return _CONTROL.sub(lambda m: repr(m.group(0))[1:-1], text)


class SpecError(Exception):
    """Raised by a stage that cannot go on; carries every diagnostic found so far."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__("\n".join(d.render() for d in diagnostics))
        self.diagnostics = sorted(diagnostics, key=Diagnostic.sort_key)


def is_url(spec: str | Path) -> bool:
    """An http(s) URL, as a spec may be given."""
    return isinstance(spec, str) and spec.lower().startswith(("http://", "https://"))


def shown_url(url: str) -> str:
    """``url`` as diagnostics and the manifest show it: without a user name and password it may carry."""
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:
        return url.rpartition("@")[2] if "@" in url else url
    if "@" not in parts.netloc:
        return url
    return urllib.parse.urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))


def posix_path(path: PurePath | str | bytes) -> str:
    """A path as connectorsmith shows it, on any OS: with ``/`` between its parts (a file name Windows
    gives in an OSError, say, has ``\\``)."""
    if isinstance(path, bytes):
        path = os.fsdecode(path)
    return (path if isinstance(path, PurePath) else PurePath(path)).as_posix()


def display_path(path: Path | str) -> str:
    """A path as the user wrote it, relative to the working directory when inside it, in POSIX form
    (``posix_path``); a URL as it is (without a user name and password)."""
    if isinstance(path, str):
        return shown_url(path)
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()
