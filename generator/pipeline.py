"""The pure core: a spec file in, output files and diagnostics out.

``generate`` runs load -> validate -> build -> render and never writes; the
CLI's ``generate`` writes its result, ``--check`` compares it with the disk,
and the tests use it directly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .build import build
from .diagnostics import Diagnostic, Location, Severity, SpecError, display_path
from .loader import load
from .model import Connector
from .render import render
from .validate import validate

SPEC_SUFFIXES = (".yaml", ".yml", ".json")
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass
class Result:
    spec: Path
    name: str
    files: dict[PurePosixPath, str] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    connector: Connector | None = None

    @property
    def ok(self) -> bool:
        return not any(d.severity is Severity.ERROR for d in self.diagnostics)


def connector_name(spec: Path) -> str:
    """generated/<name>/ comes from the spec's file name: spec/hipchat.yaml -> hipchat."""
    return spec.stem.lower().replace("-", "_").replace(".", "_").replace(" ", "_")


def generate(spec: Path) -> Result:
    name = connector_name(spec)
    result = Result(spec, name)
    if not _NAME.match(name):
        result.diagnostics.append(
            Diagnostic(
                Severity.ERROR,
                Location(display_path(spec), 1, 1),
                f"spec file name gives connector name {name!r}, which is not a valid package name",
                "name the file with letters, digits and '_' only, starting with a letter (e.g. spec/my_service.yaml)",
            )
        )
        return result
    try:
        doc = load(spec)
        problems = validate(doc)
        if any(p.severity is Severity.ERROR for p in problems):
            raise SpecError(problems)
        result.diagnostics += problems
        result.connector = build(doc, name)
    except SpecError as exc:
        result.diagnostics += exc.diagnostics
        return result
    result.files = render(result.connector)
    return result


def discover(directory: Path) -> list[Path]:
    return sorted(p for p in directory.iterdir() if p.is_file() and p.suffix.lower() in SPEC_SUFFIXES)
