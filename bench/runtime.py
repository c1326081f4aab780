"""Run-time of the generated client, side by side: `make bench-runtime` (and the second part of `make bench`).

The schema: GitHub's "List releases" (GitHub Enterprise Server 3.6's REST description,
../shared/bench-specs/github_ghes36.json), copied with its item schemas into bench/github_releases.json:
a release with its author (a user of 21 fields), its assets (each with an enum state, two date-times and a
nullable uploader), reactions whose keys are "+1" and "-1", optional and nullable fields. The data is
made here (`releases`, seeded, so every run decodes the same bytes): 1,000 and 100,000 items.

Tools, each generated from that document by this script into a temporary folder:

- connectorsmith: `connectorsmith generate`; decoded as the client's read does: the list's codec
  (`ListOf(ModelOf(Release)).decode`) over the run-time's `parse_json`, with the collector paused around
  both (`_runtime.CollectorPause`, see docs/architecture.md); encoded by `to_dict` per item.
- openapi-python-client (attrs models, in bench/.venv-peer as `make bench` has it): it cannot read the
  document as GitHub wrote it (the properties "+1" and "-1" get one Python name, and it rejects the
  nullable object schema `nullable-simple-user`), so it is given a copy with those two properties left to
  `additional_properties` (the same JSON, kept as extra keys) and the uploader as
  `allOf: [simple-user], nullable: true` (see `peer_document`). `Release.from_dict` per item of `json.loads`;
  `to_dict` per item.
- pydantic v2: datamodel-code-generator's `--output-model-type pydantic_v2.BaseModel`, in
  bench/.venv-pydantic, with `--strict-nullable` (without it a required nullable field rejects null) and
  `--type-mappings string+uri=string` (its default makes `format: uri` a validated `AnyUrl`; the others keep
  a string, so pydantic checks what they check). `TypeAdapter(list[Release]).validate_json`;
  `model_dump(mode="json", by_alias=True, exclude_unset=True)` per item (the JSON-ready data the others give).
- msgspec, the floor: hand-written Structs (bench/msgspec_models.py, datamodel-code-generator's msgspec output
  with date-times typed `datetime`), in bench/.venv-msgspec. `msgspec.json.Decoder(list[Release]).decode`;
  `msgspec.to_builtins`.
- pure Python, nothing checked, the bound: bench/bare_models.py adopts each of `json.loads`' dicts as an
  instance's `__dict__` and only parses date-times, makes the enum member and nests instances (collector
  paused). No decoder in Python that builds typed objects from `json.loads` does less: its time bounds
  what any of them (connectorsmith's included) can reach. Decode, encode and memory rows only.

Every figure comes from fresh processes, the median of BENCH_RUNS (default 7); the tools alternate within
each round, so that the machine's ups and downs fall on all alike. Within a process, 1,000 items are decoded
and encoded 15 times (the median kept), 100,000 items once. A decode is timed from bytes to typed objects,
and `json.loads` of the same bytes is timed in the same process: the ratio is the figure to compare.
Retained memory is tracemalloc's count of what one decode of 1,000 items keeps (the bytes excluded), per
item; full collections are the garbage collector's generation-2 runs during one decode (counted by
`gc.callbacks`). Import time is `import` of what a user needs to decode (the package's client and models;
the pydantic and msgspec modules are models only, no HTTP client). The HTTP rows call the generated
clients' list operation against a local http.server in another process (HTTP/1.1, kept alive): a tiny
response (one release) and about 1 MB and 20 MB of releases, beside httpx with `json.loads` alone.

Results go to bench/out/runtime.md; the README's Speed section quotes them.
"""

from __future__ import annotations

import gc
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Self

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SPEC = HERE / "github_releases.json"
PYDANTIC_VENV = HERE / ".venv-pydantic"
MSGSPEC_VENV = HERE / ".venv-msgspec"
DATAMODEL = "datamodel-code-generator==0.89.0"
MSGSPEC = "msgspec==0.22.0"
RUNS = int(os.environ.get("BENCH_RUNS", "7"))
SIZES = (1_000, 100_000)
REPEATS = {1_000: 15, 100_000: 1}
TOOLS = ("connectorsmith", "opc", "pydantic", "msgspec", "bare")
TITLES = {
    "connectorsmith": "connectorsmith",
    "opc": "openapi-python-client 0.29.1",
    "pydantic": "pydantic v2 (datamodel-code-generator)",
    "msgspec": "msgspec (floor)",
    "bare": "pure Python, nothing checked (bound)",
}

# --------------------------------------------------------------------------- the data

_WORDS = (
    "fix", "add", "support", "for", "the", "new", "API", "endpoint", "when", "a", "request", "fails", "retry",
    "with", "backoff", "update", "dependencies", "bump", "version", "improve", "docs", "remove", "deprecated",
    "option", "breaking", "change", "thanks", "to", "our", "contributors", "release", "notes", "security", "patch",
    "performance", "regression", "windows", "macos", "linux", "build", "wheel",
)


def _time(rng: random.Random) -> str:
    """A GitHub timestamp (UTC, 'Z'), between 2015 and 2023."""
    seconds = rng.randrange(1_420_070_400, 1_700_000_000)
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(seconds))


def _text(rng: random.Random, low: int, high: int) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(rng.randint(low, high)))


def _user(rng: random.Random) -> dict[str, Any]:
    number = rng.randrange(1, 120_000_000)
    login = f"{rng.choice(_WORDS)}-{rng.choice(_WORDS)}{number % 1000}"
    api = f"https://api.github.com/users/{login}"
    user: dict[str, Any] = {
        "login": login,
        "id": number,
        "node_id": f"MDQ6VXNlcj{number:08d}",
        "avatar_url": f"https://avatars.githubusercontent.com/u/{number}?v=4",
        "gravatar_id": "" if rng.random() < 0.9 else None,
        "url": api,
        "html_url": f"https://github.com/{login}",
        "followers_url": f"{api}/followers",
        "following_url": f"{api}/following{{/other_user}}",
        "gists_url": f"{api}/gists{{/gist_id}}",
        "starred_url": f"{api}/starred{{/owner}}{{/repo}}",
        "subscriptions_url": f"{api}/subscriptions",
        "organizations_url": f"{api}/orgs",
        "repos_url": f"{api}/repos",
        "events_url": f"{api}/events{{/privacy}}",
        "received_events_url": f"{api}/received_events",
        "type": "Bot" if rng.random() < 0.1 else "User",
        "site_admin": rng.random() < 0.01,
    }
    if rng.random() < 0.3:
        user["name"] = _text(rng, 1, 2).title() if rng.random() < 0.8 else None
    if rng.random() < 0.2:
        user["email"] = f"{login}@example.com" if rng.random() < 0.5 else None
    return user


def _asset(rng: random.Random, release: str, number: int) -> dict[str, Any]:
    name = f"{rng.choice(_WORDS)}-{number}.{rng.choice(('tar.gz', 'zip', 'whl', 'dmg'))}"
    return {
        "url": f"{release}/assets/{number}",
        "browser_download_url": f"{release}/download/{name}",
        "id": number,
        "node_id": f"RA_kwDO{number:010d}",
        "name": name,
        "label": None if rng.random() < 0.7 else _text(rng, 1, 3),
        "state": "uploaded" if rng.random() < 0.95 else "open",
        "content_type": rng.choice(("application/gzip", "application/zip", "application/octet-stream")),
        "size": rng.randrange(1_000, 50_000_000),
        "download_count": rng.randrange(0, 100_000),
        "created_at": _time(rng),
        "updated_at": _time(rng),
        "uploader": _user(rng) if rng.random() < 0.9 else None,
    }


def releases(count: int, seed: int = 24) -> list[dict[str, Any]]:
    """``count`` items of a List releases response, as GitHub sends them; the same for the same seed."""
    rng = random.Random(seed)
    items = []
    for i in range(count):
        owner, repo = rng.choice(_WORDS), rng.choice(_WORDS)
        number = 1_000_000 + i
        api = f"https://api.github.com/repos/{owner}/{repo}/releases/{number}"
        version = f"v{rng.randrange(10)}.{rng.randrange(30)}.{rng.randrange(10)}"
        draft = rng.random() < 0.05
        item: dict[str, Any] = {
            "url": api,
            "html_url": f"https://github.com/{owner}/{repo}/releases/tag/{version}",
            "assets_url": f"{api}/assets",
            "upload_url": f"https://uploads.github.com/repos/{owner}/{repo}/releases/{number}/assets{{?name,label}}",
            "tarball_url": None if draft else f"https://api.github.com/repos/{owner}/{repo}/tarball/{version}",
            "zipball_url": None if draft else f"https://api.github.com/repos/{owner}/{repo}/zipball/{version}",
            "id": number,
            "node_id": f"RE_kwDO{number:010d}",
            "tag_name": version,
            "target_commitish": rng.choice(("main", "master", "release")),
            "name": version if rng.random() < 0.85 else None,
            "draft": draft,
            "prerelease": rng.random() < 0.15,
            "created_at": _time(rng),
            "published_at": None if draft else _time(rng),
            "author": _user(rng),
            "assets": [_asset(rng, api, number * 10 + a) for a in range(rng.choice((0, 0, 1, 1, 2, 3)))],
        }
        if rng.random() < 0.9:
            item["body"] = _text(rng, 5, 40) if rng.random() < 0.9 else None
        if rng.random() < 0.3:
            item["mentions_count"] = rng.randrange(1, 20)
        if rng.random() < 0.6:
            counts = {key: rng.choice((0, 0, 0, 1, 2, 5)) for key in ("+1", "-1", "laugh", "confused", "heart", "hooray", "eyes", "rocket")}
            item["reactions"] = {"url": f"{api}/reactions", "total_count": sum(counts.values()), **counts}
        items.append(item)
    return items


def encoded(items: list[dict[str, Any]]) -> bytes:
    """JSON bytes as an API sends them (compact)."""
    return json.dumps(items, separators=(",", ":")).encode()


def peer_document(document: dict[str, Any]) -> dict[str, Any]:
    """The copy openapi-python-client can read (see the module's docstring): the same JSON is valid."""
    copy = json.loads(json.dumps(document))
    schemas = copy["components"]["schemas"]
    del schemas["nullable-simple-user"]
    schemas["release-asset"]["properties"]["uploader"] = {"allOf": [{"$ref": "#/components/schemas/simple-user"}], "nullable": True}
    rollup = schemas["reaction-rollup"]
    for key in ("+1", "-1"):
        del rollup["properties"][key]
        rollup["required"].remove(key)
    return copy


# --------------------------------------------------------------------------- in the measured process


def codecs(tool: str, folder: Path) -> tuple[Callable[[bytes], Any], Callable[[Any], Any]]:
    """(decode: bytes -> typed objects, encode: objects -> JSON-ready data), each tool's documented way."""
    sys.path.insert(0, str(folder))
    if tool == "connectorsmith":
        from github_releases import _runtime, _serde, models  # type: ignore[import-not-found]

        codec = _serde.ListOf(_serde.ModelOf(lambda: models.Release))

        def decode(body: bytes) -> Any:  # what the client's read does with a response's body
            with _runtime.CollectorPause():
                return codec.decode(_runtime.parse_json(body), "response")

        return decode, (lambda objects: [o.to_dict() for o in objects])
    if tool == "opc":
        from github_releases_opc.models import Release  # type: ignore[import-not-found]

        return (lambda b: [Release.from_dict(d) for d in json.loads(b)]), (lambda objects: [o.to_dict() for o in objects])
    if tool == "pydantic":
        import models_pydantic  # type: ignore[import-not-found]
        from pydantic import TypeAdapter  # type: ignore[import-not-found]

        adapter = TypeAdapter(list[models_pydantic.Release])
        return adapter.validate_json, lambda objects: [o.model_dump(mode="json", by_alias=True, exclude_unset=True) for o in objects]
    if tool == "msgspec":
        import msgspec  # type: ignore[import-not-found]
        import msgspec_models  # type: ignore[import-not-found]

        decoder = msgspec.json.Decoder(list[msgspec_models.Release])
        return decoder.decode, msgspec.to_builtins
    if tool == "bare":
        import bare_models  # type: ignore[import-not-found]

        return bare_models.decode, bare_models.encode
    raise ValueError(tool)


#: What a user imports to call the list operation and decode its items (the pydantic and msgspec modules: models only).
IMPORTS = {
    "connectorsmith": ("github_releases", "github_releases.models"),
    "opc": ("github_releases_opc", "github_releases_opc.api.repos.list_releases", "github_releases_opc.models"),
    "pydantic": ("models_pydantic",),
    "msgspec": ("msgspec_models",),
    "bare": ("bare_models",),
}


class FullCollections:
    """Counts the collector's generation-2 runs while it is active."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start" and info["generation"] == 2:
            self.count += 1

    def __enter__(self) -> Self:
        gc.callbacks.append(self)
        return self

    def __exit__(self, *exc: object) -> None:
        gc.callbacks.remove(self)


def _warm(decode: Callable[[bytes], Any], encode: Callable[[Any], Any]) -> None:
    """One small decode and encode first: lazy imports, schema building, first calls are not measured."""
    encode(decode(encoded(releases(20, seed=1))))


def worker_time(tool: str, folder: Path, data: Path, repeats: int) -> dict[str, float]:
    b = data.read_bytes()
    count = len(json.loads(b))
    decode, encode = codecs(tool, folder)
    _warm(decode, encode)
    samples: dict[str, list[float]] = {"json": [], "decode": [], "encode": [], "json_gc": [], "decode_gc": []}
    for _ in range(repeats):
        with FullCollections() as full:
            start = time.perf_counter()
            plain = json.loads(b)
            samples["json"].append(time.perf_counter() - start)
        samples["json_gc"].append(full.count)
        del plain
        with FullCollections() as full:
            start = time.perf_counter()
            objects = decode(b)
            samples["decode"].append(time.perf_counter() - start)
        samples["decode_gc"].append(full.count)
        if len(objects) != count:
            raise SystemExit(f"{tool}: decoded {len(objects)} items of {count}")
        start = time.perf_counter()
        encode(objects)
        samples["encode"].append(time.perf_counter() - start)
        del objects
    return {key: statistics.median(values) for key, values in samples.items()}


def worker_memory(tool: str, folder: Path, data: Path) -> dict[str, float]:
    import tracemalloc

    b = data.read_bytes()
    count = len(json.loads(b))
    decode, encode = codecs(tool, folder)
    _warm(decode, encode)
    result = {}
    for name, function in (("json", json.loads), ("decode", decode)):
        gc.collect()
        tracemalloc.start()
        before = tracemalloc.get_traced_memory()[0]
        kept = function(b)
        gc.collect()
        result[name] = (tracemalloc.get_traced_memory()[0] - before) / count
        tracemalloc.stop()
        del kept
    return result


def worker_import(tool: str, folder: Path) -> dict[str, float]:
    sys.path.insert(0, str(folder))
    import importlib

    start = time.perf_counter()
    for module in IMPORTS[tool]:
        importlib.import_module(module)
    return {"import": time.perf_counter() - start}


def worker_http(tool: str, folder: Path, port: int) -> dict[str, float]:
    """Seconds per call of the generated client's list operation, and of httpx + json.loads, alternating."""
    import httpx

    sys.path.insert(0, str(folder))
    base = f"http://127.0.0.1:{port}"
    if tool == "connectorsmith":
        from github_releases import GitHubReleasesClient

        client = GitHubReleasesClient(base_url=base)

        def call(repo: str) -> Any:
            return client.list_releases(owner="bench", repo=repo)

    else:
        from github_releases_opc import Client
        from github_releases_opc.api.repos import list_releases

        opc_client = Client(base_url=base, timeout=httpx.Timeout(60.0))

        def call(repo: str) -> Any:
            return list_releases.sync(owner="bench", repo=repo, client=opc_client)

    plain = httpx.Client(base_url=base, timeout=60.0)

    def bare(repo: str) -> Any:
        return json.loads(plain.get(f"/repos/bench/{repo}/releases").content)

    result = {}
    for repo, times in (("tiny", 300), ("1mb", 5), ("20mb", 2)):
        call(repo)
        bare(repo)
        ours, theirs = [], []
        for _ in range(times):
            start = time.perf_counter()
            if call(repo) is None:
                raise SystemExit(f"{tool}: no result from the list operation")
            ours.append(time.perf_counter() - start)
            start = time.perf_counter()
            bare(repo)
            theirs.append(time.perf_counter() - start)
        result[repo] = statistics.median(ours)
        result[f"{repo}_bare"] = statistics.median(theirs)
    return result


def serve(folder: Path) -> None:
    """An HTTP/1.1 server on a free loopback port (printed) that answers /repos/bench/NAME/releases with NAME.json."""
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    bodies = {p.stem: p.read_bytes() for p in folder.glob("*.json")}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # headers and body are two writes: no 40 ms wait for the client's ACK

        def do_GET(self) -> None:
            parts = self.path.split("?")[0].split("/")
            body = bodies.get(parts[3]) if len(parts) == 5 else None
            if body is None:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    print(server.server_address[1], flush=True)
    server.serve_forever()


def worker(argv: list[str]) -> int:
    mode, tool, folder, *rest = argv
    if mode == "serve":
        serve(Path(folder))
        return 0
    if mode == "time":
        result = worker_time(tool, Path(folder), Path(rest[0]), int(rest[1]))
    elif mode == "memory":
        result = worker_memory(tool, Path(folder), Path(rest[0]))
    elif mode == "import":
        result = worker_import(tool, Path(folder))
    elif mode == "http":
        result = worker_http(tool, Path(folder), int(rest[0]))
    else:
        raise SystemExit(f"unknown mode {mode}")
    print(json.dumps(result))
    return 0


# --------------------------------------------------------------------------- the driver


def _venv(folder: Path, *packages: str) -> Path:
    python = folder / "bin" / "python"
    if not python.exists():
        import venv

        venv.create(folder, with_pip=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *packages], check=True)
    return python


class Setup:
    """The four tools' packages, generated into ``tmp``, and the Python each runs in."""

    def __init__(self, tmp: Path) -> None:
        from run import client_python, connectorsmith, peer_binary

        env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
        self.env = {**env, "CONNECTORSMITH_CACHE_DIR": str(tmp / "cache")}
        subprocess.run(connectorsmith(SPEC, tmp / "cs"), check=True, env=self.env, capture_output=True)
        peer = peer_binary()
        peer_spec = tmp / "github_releases_peer.json"
        peer_spec.write_text(json.dumps(peer_document(json.loads(SPEC.read_text("utf-8")))), "utf-8")
        peer_env = {**self.env, "PATH": f"{peer.parent}{os.pathsep}{env.get('PATH', '')}"}  # its formatter, ruff
        subprocess.run([str(peer), "generate", "--path", str(peer_spec), "--output-path", str(tmp / "opc" / "github_releases_opc"), "--meta", "none", "--overwrite"], check=True, env=peer_env, capture_output=True)
        pydantic = _venv(PYDANTIC_VENV, DATAMODEL)
        (tmp / "pydantic").mkdir()
        codegen = [str(pydantic.with_name("datamodel-codegen")), "--input", str(SPEC), "--input-file-type", "openapi", "--target-python-version", "3.11"]
        options = ["--output-model-type", "pydantic_v2.BaseModel", "--strict-nullable", "--type-mappings", "string+uri=string", "--formatters", "builtin"]
        subprocess.run([*codegen, *options, "--output", str(tmp / "pydantic" / "models_pydantic.py")], check=True, env=self.env, capture_output=True)
        self.python = {"connectorsmith": client_python(), "opc": peer.with_name("python"), "pydantic": pydantic, "msgspec": _venv(MSGSPEC_VENV, MSGSPEC), "bare": client_python()}
        self.folder = {"connectorsmith": tmp / "cs" / "github_releases" / "python", "opc": tmp / "opc", "pydantic": tmp / "pydantic", "msgspec": HERE, "bare": HERE}

    def run(self, mode: str, tool: str, *args: object) -> dict[str, float]:
        command = [str(self.python[tool]), str(Path(__file__)), "--worker", mode, tool, str(self.folder[tool]), *map(str, args)]
        out = subprocess.run(command, capture_output=True, text=True, env=self.env, check=False)
        if out.returncode != 0:
            raise SystemExit(f"{tool} {mode} failed:\n{out.stderr}")
        result: dict[str, float] = json.loads(out.stdout.splitlines()[-1])
        return result


def _medians(samples: list[dict[str, float]]) -> dict[str, float]:
    return {key: statistics.median(s[key] for s in samples) for key in samples[0]}


def _t(seconds: float) -> str:
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 0.001:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds * 1e6:.0f} µs"


def _ratio(ours: float, theirs: float | None) -> str:
    return f"{ours / theirs:.2f}×" if theirs else "—"


def measure() -> list[str]:
    """The table's rows."""
    rows: list[str] = []
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        setup = Setup(tmp)
        data = tmp / "data"
        data.mkdir()
        sizes = {}
        for size in SIZES:
            body = encoded(releases(size))
            (data / f"{size}.json").write_bytes(body)
            sizes[size] = len(body)
        per_item = sizes[SIZES[0]] / SIZES[0]
        served = tmp / "served"
        served.mkdir()
        (served / "tiny.json").write_bytes(encoded(releases(1)))
        for name, target in (("1mb", 1_000_000), ("20mb", 20_000_000)):
            (served / f"{name}.json").write_bytes(encoded(releases(round(target / per_item), seed=7)))
        for tool in TOOLS:  # .pyc files written, each package imported once
            setup.run("import", tool)
        timed: dict[tuple[str, int], list[dict[str, float]]] = {(t, s): [] for t in TOOLS for s in SIZES}
        imports: dict[str, list[dict[str, float]]] = {t: [] for t in TOOLS}
        for _ in range(RUNS):
            for tool in TOOLS:
                imports[tool].append(setup.run("import", tool))
                for size in SIZES:
                    timed[tool, size].append(setup.run("time", tool, data / f"{size}.json", REPEATS[size]))
        time_of = {key: _medians(samples) for key, samples in timed.items()}
        memory = {tool: setup.run("memory", tool, data / f"{SIZES[0]}.json") for tool in TOOLS}
        import_of = {tool: _medians(samples)["import"] for tool, samples in imports.items()}
        server = subprocess.Popen([sys.executable, str(Path(__file__)), "--worker", "serve", "-", str(served)], stdout=subprocess.PIPE, text=True)
        try:
            assert server.stdout is not None
            port = int(server.stdout.readline())
            http = {tool: _medians([setup.run("http", tool, port) for _ in range(RUNS)]) for tool in ("connectorsmith", "opc")}
        finally:
            server.terminate()
            server.wait()

    def row(label: str, cells: dict[str, str], baseline: str, values: dict[str, float] | None = None) -> str:
        ours = values.get("connectorsmith") if values else None
        ratios = [_ratio(ours, values.get(t)) if values and ours is not None else "—" for t in ("pydantic", "opc")]
        return f"| {label} | " + " | ".join(cells.get(t, "—") for t in TOOLS) + f" | {baseline} | " + " | ".join(ratios) + " |"

    for size in SIZES:
        label = f"{size:,} items ({sizes[size] / 1e6:.1f} MB)"
        values = {t: time_of[t, size]["decode"] for t in TOOLS}
        plain = {t: time_of[t, size]["json"] for t in TOOLS}
        cells = {t: f"{_t(values[t])} ({values[t] / plain[t]:.1f}× json.loads)" for t in TOOLS}
        rows.append(row(f"decode {label}: bytes → objects", cells, f"json.loads: {_t(statistics.median(plain.values()))}", values))
    for size in SIZES:
        values = {t: time_of[t, size]["encode"] for t in TOOLS}
        rows.append(row(f"encode {size:,} items: objects → JSON-ready data", {t: _t(v) for t, v in values.items()}, "—", values))
    values = {t: memory[t]["decode"] for t in TOOLS}
    rows.append(row(f"memory kept per item after decoding {SIZES[0]:,} (tracemalloc)", {t: f"{v:,.0f} B" for t, v in values.items()}, f"json.loads' dicts: {statistics.median(m['json'] for m in memory.values()):,.0f} B", values))
    for size in SIZES:
        counts = {t: time_of[t, size]["decode_gc"] for t in TOOLS}
        plain_gc = statistics.median(time_of[t, size]["json_gc"] for t in TOOLS)
        rows.append(row(f"full (generation 2) collections during one decode of {size:,}", {t: f"{v:g}" for t, v in counts.items()}, f"json.loads: {plain_gc:g}"))
    rows.append(row("import (client and models; pydantic, msgspec: models only)", {t: _t(v) for t, v in import_of.items() if t != "bare"}, "—", import_of))
    for key, label in (("tiny", "one tiny call (one release) through the client, local server"), ("1mb", "a 1 MB response through the client"), ("20mb", "a 20 MB response through the client")):
        values = {t: http[t][key] for t in http}
        bare = statistics.median(http[t][f"{key}_bare"] for t in http)
        cells = {t: f"{_t(values[t])} ({values[t] / http[t][f'{key}_bare']:.2f}× httpx)" for t in http}
        rows.append(row(label, cells, f"httpx + json.loads: {_t(bare)}", values))
    return rows


def main() -> int:
    rows = measure()
    columns = [TITLES[t] for t in TOOLS]
    table = [
        f"# Run-time of the generated clients: GitHub's List releases (median of {RUNS} processes; {os.cpu_count()} CPUs, {time.strftime('%Y-%m-%d')})",
        "",
        "| work | " + " | ".join(columns) + " | baseline | connectorsmith ÷ pydantic | connectorsmith ÷ openapi-python-client |",
        "|---|" + "---|" * (len(columns) + 3),
        *rows,
    ]
    report = HERE / "out" / "runtime.md"
    report.parent.mkdir(exist_ok=True)
    report.write_text("\n".join(table) + "\n", "utf-8")
    print("\n".join(table))
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--worker"]:
        sys.exit(worker(sys.argv[2:]))
    sys.exit(main())
