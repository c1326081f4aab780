"""A stand-in for the largest, least tidy documents (issue 24): a large real API description with document-schema
faults injected, deterministically (seeded), spread over path items and definitions / components.

    python bench/faulty.py OUT.json [--version 3.0|2.0] [--faults 80] [--seed 24]
    python bench/faulty.py OUT.json --measure [--code ../before/generator]   # then times it, cold

``--measure`` times cold runs of ``connectorsmith generate OUT.json --lenient --targets python`` (the client
alone, what the peer makes; from a folder outside this project, as bench/run.py's cold rows:
CPU seconds of a fresh process, empty output folder and cache) and, for 3.0, of openapi-python-client
(bench/.venv-peer) on the same file, alternated, the median of BENCH_RUNS (default 5) after one unmeasured
run each; ``--code`` runs connectorsmith from another checkout's generator/ folder too (as
bench/outputs_hash.py does), for a figure before and after a change in one run.

The base is ../shared/bench-specs/kubernetes.json (Swagger 2.0, 4.1 MB, 1,123 operations). For 3.0 (what
openapi-python-client reads: it reads 3.x only) it is first converted up by connectorsmith's own OpenAPI
export (``--targets openapi``, read leniently) and then spelled as 3.0 (a null type as ``nullable``,
numeric exclusive bounds as booleans, a parameter's 2.0 ``uniqueItems`` left out); the 3.0 base has no document-schema finding of its own.

The faults, each one finding of openapi-spec-validator's document schema, half in path items (an operation,
a parameter) and half in definitions / components.schemas, each kind in turn: a value of the wrong type
(``summary: 7``, ``required: "yes"``, ``maxLength: "10"``), an unknown key (``respones``, ``nulable``), a value
outside an enum (``in: "querry"``, ``type: "strng"``). The places are chosen by ``random.Random(seed)``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BASE = ROOT.parent / "shared" / "bench-specs" / "kubernetes.json"
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def as_30(data: Any) -> Any:
    """An OpenAPI 3.1 document (as connectorsmith's export writes it) spelled as 3.0."""
    if isinstance(data, list):
        return [as_30(item) for item in data]
    if not isinstance(data, dict):
        return data
    out = {key: as_30(value) for key, value in data.items()}
    kind = out.get("type")
    if isinstance(kind, list):
        rest = [k for k in kind if k != "null"]
        if len(rest) == 1:
            out["type"] = rest[0]
        else:
            del out["type"]
        if "null" in kind:
            out["nullable"] = True
    for bound, limit in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        value = out.get(bound)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            out[limit], out[bound] = value, True
    if "in" in out and "name" in out and "schema" in out:  # a parameter: 2.0's uniqueItems (Kubernetes writes it) is no 3.0 key
        out.pop("uniqueItems", None)
    if out.get("openapi") == "3.1.0":
        out["openapi"] = "3.0.3"
    return out


def base(version: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(BASE.read_text("utf-8"))
    if version == "2.0":
        return data
    with tempfile.TemporaryDirectory() as tmp:
        command = [sys.executable, "-m", "connectorsmith", "generate", str(BASE), "--lenient", "--targets", "openapi", "--out", tmp]
        subprocess.run(command, check=True, capture_output=True, env={**os.environ, "CONNECTORSMITH_CACHE_DIR": "off"}, cwd=ROOT)
        converted = json.loads(next(Path(tmp).glob("*/openapi.json")).read_text("utf-8"))
    result: dict[str, Any] = as_30(converted)
    _body_parameters(result, data)
    return result


def _body_parameters(doc: dict[str, Any], swagger: dict[str, Any]) -> None:
    """A reference to a shared body parameter of the 2.0 document (the export leaves it, dangling) as the
    operation's request body."""
    known = doc["components"].get("parameters", {})
    for item in doc["paths"].values():
        for op in [item, *(op for method, op in item.items() if method in METHODS)]:
            params = op.get("parameters") or []
            for param in [p for p in params if isinstance(p, dict) and p.get("$ref", "").split("/")[-1] not in known and "$ref" in p]:
                params.remove(param)
                body = swagger["parameters"][param["$ref"].split("/")[-1]]
                schema = json.loads(json.dumps(body["schema"]).replace("#/definitions/", "#/components/schemas/"))
                request = {"content": {"application/json": {"schema": schema}}, "required": bool(body.get("required"))}
                targets = [o for m, o in item.items() if m in METHODS] if op is item else [op]
                for target in targets:
                    target.setdefault("requestBody", request)
            if not params and "parameters" in op:
                del op["parameters"]


def _schemas(data: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = data["definitions"] if "definitions" in data else data["components"]["schemas"]
    return found


def _operations(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [op for item in data["paths"].values() for method, op in item.items() if method in METHODS and isinstance(op, dict)]


def _parameters(data: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    for item in data["paths"].values():
        for params in [item.get("parameters"), *(op.get("parameters") for op in item.values() if isinstance(op, dict))]:
            found += [p for p in params or () if isinstance(p, dict) and "$ref" not in p]
    return found


def _subschemas(data: dict[str, Any]) -> list[dict[str, Any]]:
    """Each named schema and each of its properties' schemas (not a reference)."""
    found = []
    for schema in _schemas(data).values():
        if isinstance(schema, dict) and "$ref" not in schema:
            found.append(schema)
            found += [p for p in (schema.get("properties") or {}).values() if isinstance(p, dict) and "$ref" not in p]
    return found


def inject(data: dict[str, Any], faults: int, seed: int) -> list[str]:
    """Inject ``faults`` faults into ``data`` (in place); what was done, one line each."""
    rng = random.Random(seed)
    operations, parameters, schemas = _operations(data), _parameters(data), _subschemas(data)
    in_paths = [
        ("unknown operation key", operations, lambda o: o.__setitem__("respones", {})),
        ("parameter 'required' of the wrong type", parameters, lambda p: p.__setitem__("required", "yes")),
        ("parameter 'style' outside its enum", parameters, lambda p: p.__setitem__("style", "simpel")),
        ("operation 'deprecated' of the wrong type", operations, lambda o: o.__setitem__("deprecated", "false")),
    ]
    in_schemas = [
        ("unknown schema key", schemas, lambda s: s.__setitem__("nulable", True)),
        ("schema 'maxLength' of the wrong type", schemas, lambda s: s.__setitem__("maxLength", "10")),
        ("schema 'nullable' of the wrong type", schemas, lambda s: s.__setitem__("nullable", "yes")),
        ("schema 'readOnly' of the wrong type", schemas, lambda s: s.__setitem__("readOnly", "true")),
    ]
    done: list[str] = []
    used: set[int] = set()
    for index in range(faults):
        kinds = in_paths if index % 2 == 0 else in_schemas
        label, places, fault = kinds[(index // 2) % len(kinds)]
        place = rng.choice([p for p in places if id(p) not in used])
        used.add(id(place))
        fault(place)
        done.append(label)
    return done


_FROM = (
    "import sys; sys.path.insert(0, {shim!r}); "
    "sys.meta_path[:] = [f for f in sys.meta_path if '__editable__' not in type(f).__module__]; "  # as bench/outputs_hash.py
    "import runpy; runpy.run_module('connectorsmith', run_name='__main__')"  # as `python -m connectorsmith` starts
)


def measure(spec: Path, version: str, code: Path | None) -> None:
    import shutil
    import statistics

    import run  # bench/run.py, beside this file

    runs = int(os.environ.get("BENCH_RUNS", "5"))
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    if version != "2.0":  # the peer's own venv first on PATH, as bench/run.py has it: its ruff formats its output
        env["PATH"] = f"{run.peer_binary().parent}{os.pathsep}{os.environ.get('PATH', '')}"
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        env["CONNECTORSMITH_CACHE_DIR"] = str(tmp / "cache")
        out = tmp / "out"
        tools: dict[str, list[str]] = {"connectorsmith": run.connectorsmith(spec, out, "--lenient", "--targets", "python")}
        if code is not None:
            (tmp / "shim").mkdir()
            (tmp / "shim" / "connectorsmith").symlink_to(code.resolve(), target_is_directory=True)
            tools[f"connectorsmith ({code})"] = [sys.executable, "-c", _FROM.format(shim=str(tmp / "shim")), "generate", str(spec), "--out", str(out), "--lenient", "--targets", "python"]
        if version != "2.0":
            tools["openapi-python-client"] = [str(run.peer_binary()), "generate", "--path", str(spec), "--output-path", str(out), "--meta", "none", "--overwrite"]
        seconds: dict[str, list[float]] = {name: [] for name in tools}
        for index in range(runs + 1):
            for name, command in tools.items():
                shutil.rmtree(out, ignore_errors=True)
                shutil.rmtree(tmp / "cache" / "validation", ignore_errors=True)
                shutil.rmtree(tmp / "cache" / "runs", ignore_errors=True)
                taken, _ = run.once(command, env)
                if index:
                    seconds[name].append(taken)
    medians = {name: statistics.median(values) for name, values in seconds.items()}
    print(f"cold CPU seconds, median of {runs} ({os.cpu_count()} CPUs):")
    for name, value in medians.items():
        ratio = f", {value / medians['openapi-python-client']:.2f}x openapi-python-client" if "openapi-python-client" in medians else ""
        print(f"  {name}: {value:.2f} s {[round(v, 2) for v in seconds[name]]}{ratio}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--version", choices=("3.0", "2.0"), default="3.0")
    parser.add_argument("--faults", type=int, default=80)
    parser.add_argument("--seed", type=int, default=24)
    parser.add_argument("--measure", action="store_true", help="then time cold runs on it (see above)")
    parser.add_argument("--code", type=Path, help="with --measure: also time connectorsmith from this generator/ folder")
    args = parser.parse_args()
    data = base(args.version)
    done = inject(data, args.faults, args.seed)
    args.out.write_text(json.dumps(data, indent=1), "utf-8")
    print(f"{args.out}: OpenAPI {args.version}, {len(_operations(data))} operations, {len(done)} faults, {args.out.stat().st_size / 1e6:.1f} MB")
    if args.measure:
        measure(args.out, args.version, args.code)
    return 0


if __name__ == "__main__":
    sys.exit(main())
