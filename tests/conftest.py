from __future__ import annotations

import importlib
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from connectorsmith.pipeline import discover
from hypothesis import HealthCheck, settings

# Hypothesis: the suite's default is derandomized (CI is not flaky; each property test sets its own small budget);
# `make fuzz` selects the "fuzz" profile (--hypothesis-profile=fuzz): thousands of examples, random seeds.
_SLOW_INPUT = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much, HealthCheck.large_base_example]
settings.register_profile("connectorsmith", derandomize=True, deadline=None, suppress_health_check=_SLOW_INPUT, print_blob=True)
settings.register_profile("fuzz", max_examples=int(os.environ.get("CONNECTORSMITH_FUZZ_EXAMPLES", "2000")), derandomize=False, deadline=None, suppress_health_check=_SLOW_INPUT, print_blob=True)
settings.load_profile("connectorsmith")

# Importing generated packages must not leave __pycache__ folders in generated/ or the fixtures.
sys.dont_write_bytecode = True
# The validation cache of this run starts empty and stays out of the user's ~/.cache (the CLI
# subprocesses of the tests inherit it).
os.environ["CONNECTORSMITH_CACHE_DIR"] = tempfile.mkdtemp(prefix="connectorsmith-cache-")

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
CASES = FIXTURES / "cases"
ERRORS = FIXTURES / "errors"
SHARED = ROOT.parent / "shared"


def needs_shared(*parts: str) -> pytest.MarkDecorator:
    """Skip, saying why, a test that reads ``../shared/<parts>`` (reference material beside the checkout)
    when it is not there: a checkout alone runs the rest of the suite."""
    return pytest.mark.skipif(not SHARED.joinpath(*parts).exists(), reason=f"needs ../shared/{'/'.join(parts)} beside the checkout")


CONNECTORS = FIXTURES / "connectors"
SPLIT = FIXTURES / "split"
#: Golden reference pages of certified connectors (../shared/corpus), chosen for the page rules they show.
PAGES = FIXTURES / "pages"
PAGE_CONNECTORS = {
    "Planner": "object bodies opened into leaves through arrays and references; untyped properties; preview titles; "
    "an internal action; definitions only where an output reaches them",
    "Office 365 Users": "an inline object output as rows; a single-value body keeping its summary; a date-time body field",
    "tyntec-SMS": "deprecated operations naming their successor (x-ms-api-annotation family); webhooks documenting "
    "x-ms-notification-content",
}


def page_of(connector: str) -> tuple[Path, str]:
    """A certified connector's golden page, and the page connectorsmith makes of it now."""
    from connectorsmith.pipeline import generate

    result = generate(SHARED / "corpus" / "certified" / connector)
    assert result.ok, [d.render() for d in result.diagnostics]
    [(path, page)] = [(path, text) for path, text in result.files.items() if path.parts[1] == "docs"]
    return PAGES / path.name, page


def case_specs() -> list[Path]:
    """Golden cases: spec files in cases/, Power Platform connector folders in connectors/, specs split across
    files in split/<case>/ (the root document there, its fragments beside it); output in cases/<name>/."""
    split = sorted(root for folder in SPLIT.iterdir() if folder.is_dir() for root in discover(folder))
    return sorted(p for p in CASES.iterdir() if p.is_file() and p.suffix != ".stderr") + sorted(p for p in CONNECTORS.iterdir() if p.is_dir()) + split


def case_warnings(spec: Path) -> tuple[Path, str]:
    """A golden case's warnings: the file that holds them (cases/<name>.stderr) and what generating it (every
    target) reports now."""
    from connectorsmith.pipeline import connector_name, generate
    from connectorsmith.render.targets import ALL

    return CASES / f"{connector_name(spec)}.stderr", "".join(d.render() + "\n" for d in generate(spec, targets=ALL).diagnostics)


def error_specs() -> list[Path]:
    """Bad specs in errors/ (a split one in errors/<case>/, its root document there), each beside its .stderr."""
    split = [root for folder in ERRORS.iterdir() if folder.is_dir() for root in discover(folder)]
    return sorted([*(p for p in ERRORS.iterdir() if p.is_file() and p.suffix != ".stderr"), *split])


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
