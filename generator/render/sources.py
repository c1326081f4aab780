"""Where rendering's sources are: the templates, and the run-time modules copied verbatim into each package."""

from __future__ import annotations

from pathlib import Path

#: The client run-time (and the MCP server's): modules of connectorsmith.runtime copied verbatim into each Python package, by the
#: path of the template that overrides each (a ``--templates`` file there is rendered as any template).
RUNTIME = {"python/_runtime.py.j2": "_runtime.py", "python/_serde.py.j2": "_serde.py", "mcp/_runtime.py.j2": "_mcp.py"}


def templates_dir() -> Path:
    """templates/ beside the package in a checkout, or inside it in an installed wheel."""
    here = Path(__file__).resolve().parent.parent
    for candidate in (here / "templates", here.parent / "templates"):
        if candidate.is_dir():
            return candidate
    raise RuntimeError(f"connectorsmith templates not found next to {here}")  # a broken install, not bad input


def runtime_files() -> dict[str, Path]:
    """The run-time's modules (see RUNTIME) by the template path an override of each has."""
    folder = Path(__file__).resolve().parent.parent / "runtime"
    return {template: folder / name for template, name in RUNTIME.items()}
