"""The house's layout holds: each stage folder imports only the stages below it, no stage imports the reuse
layer or the CLI, the package's top level stays a handful of modules, and docs/architecture.md maps them all."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from .conftest import ROOT

PACKAGE = ROOT / "generator"
#: Each stage folder (or top-level module), lowest first, with what it may import of the package besides
#: itself and the top-level helpers every stage shares (diagnostics, model, text, pyformat).
LAYERS = {
    "document": set(),
    "builder": {"document"},
    "render": {"document", "builder"},
    "output": {"render"},
    "reuse": {"document", "builder", "render", "output"},
    "pipeline": {"document", "builder", "render", "output", "reuse"},
    "cli": {"document", "builder", "render", "output", "reuse", "pipeline"},
}
SHARED = {"diagnostics", "model", "text", "pyformat", "__init__"}


def _imports(path: Path, module: tuple[str, ...] | None = None) -> set[str]:
    """The package's parts (first component under connectorsmith) that ``path`` imports, at any depth of the
    file; ``module``: its name's parts under the package (default: from where it is)."""
    module = module or path.relative_to(PACKAGE).with_suffix("").parts
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = list(module[: len(module) - node.level])
            parts = [*base, *(node.module.split(".") if node.module else [])]
            if parts:
                found.add(parts[0])
            else:  # from . import x (at the top level): x is the part
                found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom | ast.Import):
            names = [node.module] if isinstance(node, ast.ImportFrom) and node.module else [a.name for a in getattr(node, "names", [])]
            found |= {n.split(".")[1] for n in names if n and n.startswith("connectorsmith.")}
    return found


def _layer(path: Path) -> str:
    first = path.relative_to(PACKAGE).parts[0]
    return first.removesuffix(".py")


@pytest.mark.parametrize("path", sorted(p for p in PACKAGE.rglob("*.py") if "runtime" not in p.parts), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_each_module_imports_only_the_stages_below_it(path: Path) -> None:
    layer = _layer(path)
    allowed = LAYERS.get(layer)
    if allowed is None:  # a shared helper of the top level: it imports none of the stages
        assert layer in SHARED | {"__main__"}, f"{layer}: a new top-level module; add it to a stage folder (docs/architecture.md)"
        allowed = {"cli"} if layer == "__main__" else set()
    wrong = _imports(path) - allowed - SHARED - {layer, "__version__"}
    assert not wrong, f"{path.relative_to(ROOT)} imports {sorted(wrong)}: a stage may use only the stages below it (docs/architecture.md)"


def test_the_top_level_is_a_handful_of_modules() -> None:
    top = {p.stem for p in PACKAGE.glob("*.py")}
    assert top == {"__init__", "__main__", "pipeline"} | SHARED


def test_the_architecture_page_names_every_stage_folder_and_module() -> None:
    page = (ROOT / "docs" / "architecture.md").read_text("utf-8")
    folders = sorted(p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").is_file())
    missing = [f"generator/{name}/" for name in folders if f"generator/{name}/" not in page]
    modules = [p for p in PACKAGE.rglob("*.py") if p.name != "__init__.py" and "runtime" not in p.parts]
    missing += [str(p.relative_to(PACKAGE)) for p in modules if f"`{p.stem}`" not in page and f"{p.relative_to(PACKAGE)}" not in page]
    assert not missing, f"docs/architecture.md does not mention {missing}"


def test_the_checker_sees_an_upward_import(tmp_path: Path) -> None:
    """The check above can fail: a document-side module that imports the builder, or reuse, is found."""
    probe = tmp_path / "probe.py"
    probe.write_text("from ..builder import naming\nfrom connectorsmith.reuse.memory import Memory\nfrom .. import diagnostics\n", "utf-8")
    assert _imports(probe, ("document", "probe")) == {"builder", "reuse", "diagnostics"}


def test_only_the_pipeline_hands_the_reuse_layer_to_the_stages() -> None:
    """The CLI keeps a Memory from run to run but gives it to ``generate`` whole; no module outside the
    pipeline and the reuse layer reaches into its parts."""
    part = re.compile(r"\bmemory\.(?:api|operations|fragments|formatted|exports|checks|texts|digests)\b")
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if path.relative_to(PACKAGE).parts[0] not in ("reuse", "pipeline.py")
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1)
        if part.search(line)
    ]
    assert not found, f"reuse's parts handed to a stage outside the pipeline: {found}"
