from __future__ import annotations

import importlib
import os
import sys
import tempfile
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

# Hypothesis: the suite's default is derandomized (CI is not flaky; each property test sets its own small budget);
# `make fuzz` selects the "fuzz" profile (--hypothesis-profile=fuzz): thousands of examples, random seeds.
_SLOW_INPUT = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much, HealthCheck.large_base_example]
settings.register_profile("connectorsmith", derandomize=True, deadline=None, suppress_health_check=_SLOW_INPUT, print_blob=True)
settings.register_profile("fuzz", max_examples=int(os.environ.get("CONNECTORSMITH_FUZZ_EXAMPLES", "2000")), derandomize=False, deadline=None, suppress_health_check=_SLOW_INPUT, print_blob=True)
settings.load_profile("connectorsmith")

# Importing generated packages must not leave __pycache__ folders in generated/ or the golden cases.
sys.dont_write_bytecode = True
# The validation cache of this run starts empty and stays out of the user's ~/.cache (the CLI
# subprocesses of the tests inherit it).
os.environ["CONNECTORSMITH_CACHE_DIR"] = tempfile.mkdtemp(prefix="connectorsmith-cache-")

ROOT = Path(__file__).resolve().parent.parent
#: The golden cases: one folder each, its input beside its expected output (tests/cases/README.md).
CASES = Path(__file__).resolve().parent / "cases"
SHARED = ROOT.parent / "shared"


def needs_shared(*parts: str) -> pytest.MarkDecorator:
    """Skip, saying why, a test that reads ``../shared/<parts>`` (reference material beside the checkout)
    when it is not there: a checkout alone runs the rest of the suite."""
    return pytest.mark.skipif(not SHARED.joinpath(*parts).exists(), reason=f"needs ../shared/{'/'.join(parts)} beside the checkout")


#: The options a case's case.toml may set (tests/cases/README.md).
_OPTIONS = {"command", "exit", "targets", "shared", "about"}
_SPEC_SUFFIXES = (".yaml", ".yml", ".json")


@dataclass(frozen=True)
class Case:
    """A golden case: a folder of tests/cases holding its input, its options (case.toml) and what it must give."""

    folder: Path
    command: str = "generate"  # or "validate"
    exit: int = 0  # the command's exit code
    targets: tuple[str, ...] | None = None  # the targets' names; None: every target, so the goldens keep each output
    shared: str | None = None  # the input is ../shared/<shared>, not a file of the case
    about: str = ""  # what the case shows, for readers

    @property
    def name(self) -> str:
        return self.folder.name

    @property
    def input(self) -> Path:
        """The spec named after the case (<name>.yaml, .yml or .json; a split spec's root document, its fragments
        beside it), the Power Platform connector folder <name>/, or ../shared/<shared>."""
        if self.shared is not None:
            return SHARED / self.shared
        found = [p for p in (self.folder / (self.name + s) for s in (*_SPEC_SUFFIXES, "")) if p.exists() and p != self.folder]
        assert len(found) == 1, f"{self.folder}: expected one input named {self.name}.yaml|.yml|.json or {self.name}/, found {found}"
        return found[0]

    @property
    def expected(self) -> Path:
        """The golden output tree (generate --out expected/)."""
        return self.folder / "expected"

    @property
    def stderr(self) -> Path:
        """The diagnostics: a generating case's warnings (none: no file), a failing case's errors."""
        return self.folder / "expected.stderr"

    @property
    def page(self) -> Path:
        """The golden docs page, for a case whose whole output is not kept (a connector of ../shared)."""
        return self.folder / "expected.md"

    @property
    def fails(self) -> bool:
        return self.exit != 0

    @property
    def kind(self) -> str:
        """What the case keeps: ``errors`` (a case that must fail: expected.stderr), ``page`` (a connector of ../shared:
        its docs page, expected.md) or ``tree`` (expected/, and its warnings in expected.stderr)."""
        return "errors" if self.fails else "page" if self.shared is not None else "tree"

    @property
    def split(self) -> bool:
        """Whether the spec is split over files (fragments beside the root document)."""
        own = {self.input.name, "case.toml", self.expected.name, self.stderr.name, self.page.name}
        return self.shared is None and self.input.is_file() and any(p.name not in own for p in self.folder.iterdir())

    def marks(self) -> list[pytest.MarkDecorator]:
        return [needs_shared(*self.shared.split("/"))] if self.shared is not None else []


def _case(folder: Path) -> Case:
    toml = folder / "case.toml"
    options = tomllib.loads(toml.read_text("utf-8")) if toml.exists() else {}
    unknown = set(options) - _OPTIONS
    assert not unknown, f"{toml}: unknown option(s) {sorted(unknown)}; known: {sorted(_OPTIONS)}"
    if "targets" in options:
        options["targets"] = tuple(options["targets"])
    case = Case(folder, **options)
    assert case.command in ("generate", "validate"), f"{toml}: command is generate or validate"
    return case


def cases() -> list[Case]:
    """Every golden case, by name."""
    return [_case(folder) for folder in sorted(CASES.iterdir()) if folder.is_dir()]


def case_specs() -> list[Path]:
    """The inputs of the cases that generate a golden tree: spec files, connector folders, split specs' roots."""
    return [case.input for case in cases() if case.kind == "tree"]


def case_targets(case: Case) -> frozenset[Any]:
    """The targets a case is made with (case.toml's ``targets``; every target but mcp by default)."""
    from connectorsmith.render.targets import ALL, FULL

    return FULL if case.targets is None else frozenset(t for t in ALL if t.value in case.targets)


def case_warnings(case: Case) -> str:
    """What generating a case reports now, each warning with its place: its expected.stderr (none: no file)."""
    from connectorsmith.pipeline import generate

    return "".join(d.render() + "\n" for d in generate(case.input, targets=case_targets(case)).diagnostics)


def case_page(case: Case) -> str:
    """The docs page generating a case makes now (its expected.md)."""
    from connectorsmith.pipeline import generate

    result = generate(case.input, targets=case_targets(case))
    assert result.ok, [d.render() for d in result.diagnostics]
    [page] = [text for path, text in result.files.items() if path.parts[1] == "docs"]
    return page


def error_specs() -> list[Path]:
    """The inputs of the cases that must fail (bad specs), each beside its expected.stderr."""
    return [case.input for case in cases() if case.fails]


#: The stand-in errors module beside the run-time's modules (see generator/runtime/__init__.py).
RUNTIME_ERRORS = ROOT / "generator" / "runtime" / "errors.py"

#: A connector that declares no error body: its errors.py is what the run-time is checked against.
_NO_ERROR_BODIES = """\
openapi: 3.0.3
info: {title: Runtime, version: "1"}
paths:
  /ping:
    get:
      operationId: ping
      responses: {"200": {description: ok}}
"""


def runtime_errors() -> str:
    """errors.py as templates/python/errors.py.j2 renders it for a connector that declares no error body:
    what generator/runtime/errors.py holds (``make goldens`` writes it)."""
    from connectorsmith.pipeline import generate

    with tempfile.TemporaryDirectory() as folder:
        spec = Path(folder, "runtime.yaml")
        spec.write_text(_NO_ERROR_BODIES, "utf-8")
        result = generate(spec)
    assert result.ok, [d.render() for d in result.diagnostics]
    [text] = [text for path, text in result.files.items() if path.name == "errors.py"]
    return text


@pytest.fixture(autouse=True)
def _run_from_root(monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI resolves spec/ and generated/ from the working directory, as `make` runs it."""
    monkeypatch.chdir(ROOT)


def import_generated(python_dir: Path, package: str) -> ModuleType:
    """Import a generated package fresh from ``python_dir`` (dropping any earlier copy)."""
    for name in [n for n in sys.modules if n == package or n.startswith(package + ".")]:
        del sys.modules[name]
    sys.path.insert(0, str(python_dir))
    try:
        module = importlib.import_module(package)
        # models is imported on first use; bind this copy's now, in the package and in its client,
        # before another copy of the package takes the name.
        importlib.import_module(package + ".models")
        client = sys.modules.get(package + ".client")
        if client is not None and hasattr(client, "models"):
            assert client.models.__name__ == package + ".models"
        return module
    finally:
        sys.path.remove(str(python_dir))


@pytest.fixture
def hipchat() -> Iterator[ModuleType]:
    yield import_generated(ROOT / "generated" / "hipchat" / "python", "hipchat")
