"""`connectorsmith corpus`: generate every connector of a corpus, check what came out, write a report.

For each connector folder (apiDefinition.swagger.json + apiProperties.json) or spec file:
generate in memory, with every target (the MCP server's included), the package under a unique name;
write the Python package and the MCP server to a temporary folder; import every module; check that the
sync and async clients have a method for every operation of the model; start the MCP server in memory,
list its tools with the MCP SDK's client and check each calls a method of the client; count the
operations the input declares and the tools. Runs in parallel processes; a traceback anywhere is a crash
and is reported as such.
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
from typing import Any

from ..builder.tools import MANY_TOOLS
from ..diagnostics import Severity
from ..document import openapi
from ..document.bundle import load_spec
from ..model import Connector, Kind, TypeRef
from ..pipeline import DEFINITION, discover, find_file, generate, is_connector_folder
from ..render.targets import ALL

MODULES = ("client", "models", "errors", "_runtime", "_serde")
SERVER_MODULES = ("server", "tools", "_runtime")


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
    tools: int = 0  # the MCP server's tools, as its tools/list shows them with --advanced
    default_tools: int = 0  # ... and without a selection


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
    # A unique package name: a connector's may be taken by a module already imported (or by another
    # connector's, in this process); the MCP server imports the client by it.
    unique = f"cg_{os.getpid()}_{time.monotonic_ns()}"
    result = generate(spec, lenient=True, package=unique, targets=ALL)
    warnings = sum(d.severity is Severity.WARNING for d in result.diagnostics)
    if not result.ok or result.connector is None:
        first = next(d for d in result.diagnostics if d.severity is Severity.ERROR)
        return Outcome(spec.name, "rejected", warnings=warnings, detail=first.render().splitlines()[0])
    connector = result.connector
    assert connector.mcp is not None
    server = connector.mcp.package
    with tempfile.TemporaryDirectory(prefix="cg-corpus-") as tmp:
        for prefix, package in ((f"{connector.name}/python/", connector.package), (f"{connector.name}/mcp/", server)):
            for rel, text in result.files.items():
                if str(rel).startswith(prefix + package + "/"):
                    target = Path(tmp, str(rel)[len(prefix) :])
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_text(text, "utf-8")
        sys.path.insert(0, tmp)
        try:
            modules = {m: importlib.import_module(f"{connector.package}.{m}") for m in MODULES}
            importlib.import_module(connector.package)
            served = {m: importlib.import_module(f"{server}.{m}") for m in SERVER_MODULES}
            shown = _listed_tools(served, Path(tmp, server, "tools.json"), getattr(modules["client"], connector.async_client_class))
        finally:
            sys.path.remove(tmp)
            for key in [k for k in sys.modules if k.startswith((connector.package, server))]:
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
        tools=len(shown),
        default_tools=len(connector.mcp.default_tools),
    )


def _listed_tools(served: dict[str, Any], listing: Path, client_class: type) -> list[str]:
    """The MCP server's tools as the MCP SDK's client lists them (in memory, every tool exposed); each
    must call a method of the async client. Raises AssertionError for a tool that calls none."""
    import asyncio

    from mcp import Client

    runtime, tools = served["_runtime"], served["tools"].TOOLS
    for tool in tools:
        assert hasattr(client_class, tool.method), f"tool {tool.name} calls no method {tool.method}"
    listed = runtime.listing(listing, tools)

    def no_client() -> Any:
        raise RuntimeError("not called: the corpus lists tools only")

    made = runtime.make_server("corpus", "0", "corpus", "", tools, [listed[t.name] for t in tools], no_client, runtime.Secrets(()), max_download=0)  # nothing is called

    async def names() -> list[str]:
        async with Client(made) as mcp:
            return [t.name for t in (await mcp.list_tools()).tools]

    shown = asyncio.run(names())
    assert shown == [t.name for t in tools], "tools/list differs from the server's tools"
    return shown


def report(outcomes: list[Outcome], elapsed: float) -> str:
    counts = {s: sum(o.status == s for o in outcomes) for s in ("generated", "rejected", "crashed")}
    ops_in = sum(o.operations_in for o in outcomes)
    ops_out = sum(o.operations_out for o in outcomes)
    incomplete = [o for o in outcomes if o.status == "generated" and o.operations_out != o.operations_in]
    any_fields = sum(o.any_fields for o in outcomes)
    servers = [o for o in outcomes if o.status == "generated"]
    many = sum(o.default_tools > MANY_TOOLS for o in servers)
    summary = (
        f"{len(outcomes)} connectors in {elapsed:.0f} s: {counts['generated']} generated, {counts['rejected']} rejected, "
        f"{counts['crashed']} crashed. Operations: {ops_in} in the inputs, {ops_out} generated "
        f"({len(incomplete)} generated connectors with a difference). "
        f"Typed places (fields, parameters, results) that are or hold Any: {any_fields}. "
        f"MCP servers: {len(servers)} listed their tools ({sum(o.tools for o in servers)} tools; "
        f"{min((o.tools for o in servers), default=0)} to {max((o.tools for o in servers), default=0)} a server); "
        f"{many} expose more than {MANY_TOOLS} by default."
    )
    lines = [
        "# connectorsmith corpus report",
        "",
        summary,
        "",
        (
            "Generated = the client imports (every module) and has a sync and an async method for every operation of the model; "
            "its MCP server imports, and the MCP SDK's client lists its tools (all, and how many it exposes by default)."
        ),
        "",
        "| Connector | Status | Operations in | Operations generated | Warnings | Any | Tools (default) | Time (s) | Detail |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for o in sorted(outcomes, key=lambda o: o.name.lower()):
        detail = o.detail.replace("|", "\\|").replace("\n", " ")[:300]
        lines.append(
            f"| {o.name} | {o.status} | {o.operations_in} | {o.operations_out} | {o.warnings} | {o.any_fields} "
            f"| {o.tools} ({o.default_tools}) | {o.seconds:.2f} | {detail} |"
        )
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
