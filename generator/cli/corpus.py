"""`connectorsmith corpus`: generate every connector of a corpus, check what came out, write a report.

For each connector folder (apiDefinition.swagger.json + apiProperties.json) or spec file:
generate in memory; write the Python package to a temporary folder under a unique
name; import every module; check that the sync and async clients have a method for
every operation of the model; count the operations the input declares. Runs in
parallel processes; a traceback anywhere is a crash and is reported as such.
"""

from __future__ import annotations

import argparse
import importlib
import multiprocessing
import os
import sys
import tempfile
import time
import traceback
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..diagnostics import Severity
from ..document import openapi
from ..document.bundle import load_spec
from ..model import Connector, Kind, TypeRef
from ..pipeline import DEFINITION, discover, find_file, generate, is_connector_folder

MODULES = ("client", "models", "errors", "_runtime", "_serde")


@dataclass
class Outcome:
    name: str
    status: str  # generated | rejected | crashed
    operations_in: int = 0
    operations_out: int = 0
    warnings: int = 0
    seconds: float = 0.0
    detail: str = ""
    any_fields: int = 0  # model fields and operation parameters/results whose type is, or holds, Any


def count_operations(spec: Path) -> int:
    """Operations the input declares (methods under paths), read leniently; 0 when unreadable."""
    path = find_file(spec, DEFINITION) if spec.is_dir() else spec
    try:
        doc = load_spec(path, lenient=True) if path else None  # a split spec's path item files too
    except Exception:  # noqa: BLE001 - unreadable input is reported by generate()
        return 0
    return sum(1 for _ in openapi.iter_operations(doc.data)) if doc else 0


def _holds_any(type_ref: TypeRef | None) -> bool:
    return type_ref is not None and any(t.kind is Kind.ANY for t in type_ref.walk())


def count_any(connector: Connector) -> int:
    """How many typed places of the model (fields, parameters, results) are, or hold, ``Any``."""
    types: list[TypeRef | None] = [f.type for m in connector.models for f in m.fields]
    for op in connector.operations:
        types += [p.type for p in op.parameters]
        types.append(op.result_type)
    return sum(map(_holds_any, types))


def check(spec: Path) -> Outcome:
    """Generate ``spec`` and exercise the result; never raises."""
    start = time.perf_counter()
    name = spec.name
    try:
        outcome = _check(spec)
    except Exception:  # noqa: BLE001 - a crash is a finding, reported with its traceback
        lines = traceback.format_exc().strip().splitlines()
        outcome = Outcome(name, "crashed", detail=" | ".join(lines[-3:]))
    outcome.operations_in = count_operations(spec)
    outcome.seconds = time.perf_counter() - start
    return outcome


def _check(spec: Path) -> Outcome:
    result = generate(spec, lenient=True)
    warnings = sum(d.severity is Severity.WARNING for d in result.diagnostics)
    if not result.ok or result.connector is None:
        first = next(d for d in result.diagnostics if d.severity is Severity.ERROR)
        return Outcome(spec.name, "rejected", warnings=warnings, detail=first.render().splitlines()[0])
    connector = result.connector
    with tempfile.TemporaryDirectory(prefix="cg-corpus-") as tmp:
        package = f"cg_{connector.package}_{os.getpid()}_{time.monotonic_ns()}"
        prefix = f"{connector.name}/python/{connector.package}/"
        for rel, text in result.files.items():
            if str(rel).startswith(prefix):
                target = Path(tmp, package, str(rel)[len(prefix) :])
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(text, "utf-8")
        sys.path.insert(0, tmp)
        try:
            modules = {m: importlib.import_module(f"{package}.{m}") for m in MODULES}
            importlib.import_module(package)
        finally:
            sys.path.remove(tmp)
            for key in [k for k in sys.modules if k == package or k.startswith(package + ".")]:
                del sys.modules[key]
    client = modules["client"]
    classes = [getattr(client, connector.client_class), getattr(client, connector.async_client_class)]
    missing = [op.python_name for op in connector.operations if not all(hasattr(cls, op.python_name) for cls in classes)]
    return Outcome(
        spec.name,
        "generated",
        operations_out=len(connector.operations) - len(missing),
        warnings=warnings,
        any_fields=count_any(connector),
        detail=f"missing methods: {', '.join(missing)}" if missing else "",
    )


def report(outcomes: list[Outcome], elapsed: float) -> str:
    counts = {s: sum(o.status == s for o in outcomes) for s in ("generated", "rejected", "crashed")}
    ops_in = sum(o.operations_in for o in outcomes)
    ops_out = sum(o.operations_out for o in outcomes)
    incomplete = [o for o in outcomes if o.status == "generated" and o.operations_out != o.operations_in]
    any_fields = sum(o.any_fields for o in outcomes)
    summary = (
        f"{len(outcomes)} connectors in {elapsed:.0f} s: {counts['generated']} generated, {counts['rejected']} rejected, "
        f"{counts['crashed']} crashed. Operations: {ops_in} in the inputs, {ops_out} generated "
        f"({len(incomplete)} generated connectors with a difference). "
        f"Typed places (fields, parameters, results) that are or hold Any: {any_fields}."
    )
    lines = [
        "# connectorsmith corpus report",
        "",
        summary,
        "",
        "Generated = the client imports (every module) and has a sync and an async method for every operation of the model.",
        "",
        "| Connector | Status | Operations in | Operations generated | Warnings | Any | Time (s) | Detail |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for o in sorted(outcomes, key=lambda o: o.name.lower()):
        detail = o.detail.replace("|", "\\|").replace("\n", " ")[:300]
        lines.append(f"| {o.name} | {o.status} | {o.operations_in} | {o.operations_out} | {o.warnings} | {o.any_fields} | {o.seconds:.2f} | {detail} |")
    return "\n".join(lines) + "\n"


def run(inputs: Sequence[Path], jobs: int) -> tuple[list[Outcome], float]:
    specs: list[Path] = []
    for path in inputs:
        specs += [path] if is_connector_folder(path) or path.is_file() else discover(path)
    start = time.perf_counter()
    if jobs <= 1:
        outcomes = [check(spec) for spec in specs]
    else:
        # Fresh worker processes now and then: each check imports a generated package.
        with multiprocessing.get_context("spawn").Pool(jobs, maxtasksperchild=20) as pool:
            outcomes = list(pool.imap_unordered(check, specs))
    return outcomes, time.perf_counter() - start


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="connectorsmith corpus", description=__doc__.splitlines()[0])
    parser.add_argument("inputs", nargs="+", type=Path, help="corpus folders, connector folders or spec files")
    parser.add_argument("--report", type=Path, default=Path("corpus-report/report.md"))
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args(argv)
    outcomes, elapsed = run(args.inputs, args.jobs)
    text = report(outcomes, elapsed)
    args.report.parent.mkdir(parents=True, exist_ok=True)
    args.report.write_text(text, "utf-8")
    print(text.splitlines()[2])
    print(f"report: {args.report}")
    return 1 if any(o.status == "crashed" for o in outcomes) else 0


if __name__ == "__main__":
    sys.exit(main())
