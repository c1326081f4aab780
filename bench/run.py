"""Speed and memory of connectorsmith, side by side with openapi-python-client (the closest peer): `make bench`.

Every figure is CPU seconds (user + system, the process and its children) and peak resident
memory of a whole process, the median of BENCH_RUNS (default 7) fresh processes; connectorsmith's and
the peer's cold runs alternate. CPU time on a shared virtual machine varies by a third from run to
run (a fixed Python loop: 0.36 to 0.58 s here), so compare the medians of one run, not across runs:

- cold: an empty output folder (each tool's, removed before each run, not timed) and an empty cache (no validation findings remembered, see
  generator/reuse/cache.py); the peer is given the same file.  Compiled templates are kept, as
  Python keeps its .pyc files: both tools run with their compiled code in place.
- no-op: nothing changed: `make generate` (make's check that nothing it reads is newer than its
  last run, see the Makefile) in a copy of this project holding the same file; and
  `connectorsmith generate` run anyway (its own check: contents and the manifest).
- one operation changed: the spec with one operation's summary edited, over the last output; a fresh
  process each time, and in a running `connectorsmith generate --watch` (its CPU from each edit to the
  regeneration's summary line, from /proc, polling included; the mean of the middle half of 3 ×
  BENCH_RUNS edits, as /proc counts in 10 ms ticks).
- Stripe, Kubernetes: cold, in connectorsmith only (the peer crashes on Stripe and cannot read
  Swagger 2.0); `--lenient` for Kubernetes, whose parameters 'path' (path and query) collide.
- Kubernetes as OpenAPI 3.0, as it is and with 80 document-schema faults (bench/faulty.py: the stand-in
  for issue 24's largest, least tidy documents): cold, both tools (the peer reads it; it leaves out the
  operations whose media types it does not support), `--lenient --targets python` for connectorsmith (the
  client alone, as the peer makes).
  Stripe also with one operation changed in a running `--watch`, as for HipChat.
- import: `python -X importtime` of the generated Kubernetes client (1,123 operations), in a venv
  holding only httpx (bench/.venv-client), as a project that vendors the package has it.
- `make corpus`: every certified connector (generated, written, every module imported), all cores,
  wall and CPU seconds (skipped with BENCH_CORPUS=0).

A last row times a fixed Python loop in this run: the machine's speed varies by half from hour to
hour, and the absolute goals (Stripe, Kubernetes) read against it.

Every measured command runs from a folder outside this project, so that this project's
[tool.connectorsmith] (it adds the mcp target for spec/) does not choose what a run makes.

Python's bytecode cache is on for both tools (PYTHONDONTWRITEBYTECODE is dropped) and each command
runs once before it is measured, so neither pays for compiling its own code.

The peer lives in its own venv (bench/.venv-peer), so neither tool's dependencies touch the other's.
Results go to bench/out/results.md; the README quotes them. `make bench` then runs bench/runtime.py, the
generated client's run-time (`make bench-runtime` alone), into bench/out/runtime.md.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPECS = ROOT.parent / "shared" / "bench-specs"
PEER_VENV = ROOT / "bench" / ".venv-peer"
CLIENT_VENV = ROOT / "bench" / ".venv-client"
CORPUS = ROOT.parent / "shared" / "corpus" / "certified"
PEER = "openapi-python-client==0.29.1"
RUNS = int(os.environ.get("BENCH_RUNS", "7"))
MEASURE = (
    "import resource, subprocess, sys\n"
    "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode\n"
    "r = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "print(code, r.ru_utime + r.ru_stime, r.ru_maxrss)\n"
)


def calibration() -> float:
    """CPU seconds of a fixed pure-Python loop (median of RUNS): how fast this machine is during this run
    (it varies by half from hour to hour here); the absolute goals read against it."""
    code = "import time\nt = time.process_time()\ns = 0\nfor i in range(3_000_000):\n    s += i\nprint(time.process_time() - t)\n"
    return statistics.median(float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout) for _ in range(RUNS))


def peer_binary() -> Path:
    binary = PEER_VENV / "bin" / "openapi-python-client"
    if not binary.exists():
        venv.create(PEER_VENV, with_pip=True)
        subprocess.run([str(PEER_VENV / "bin" / "python"), "-m", "pip", "install", "--quiet", PEER, "ruff"], check=True)
    return binary


def client_python() -> Path:
    python = CLIENT_VENV / "bin" / "python"
    if not python.exists():
        venv.create(CLIENT_VENV, with_pip=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", "httpx"], check=True)
    return python


def once(command: list[str], env: dict[str, str], before: list[str] | None = None) -> tuple[float, float]:
    """CPU seconds and peak MB of one fresh process (``before``: a shell command run first, not measured)."""
    if before:
        subprocess.run(before, check=True, env=env)
    # From a folder outside this project: its [tool.connectorsmith] (which adds the mcp target for spec/)
    # must not choose what a measured run makes; each tool runs with its own defaults or the options given.
    out = subprocess.run([sys.executable, "-c", MEASURE, *command], capture_output=True, text=True, env=env, check=True, cwd=tempfile.gettempdir())
    code, seconds, kb = out.stdout.split()
    if code != "0":
        raise SystemExit(f"failed ({code}): {' '.join(command)}")
    return float(seconds), int(kb) / 1024


def median(samples: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(s for s, _ in samples), max(m for _, m in samples)


def connectorsmith(spec: Path, out: Path, *extra: str) -> list[str]:
    """The ``connectorsmith`` command users run (the venv's console script; ``python -m connectorsmith`` without one)."""
    script = Path(sys.executable).with_name("connectorsmith")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "connectorsmith"]
    return [*command, "generate", str(spec), "--out", str(out), *extra]


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a running process so far (/proc; clock-tick resolution)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def watch_one_op(spec: Path, folder: Path, env: dict[str, str]) -> float:
    """CPU seconds a running `connectorsmith generate --watch` spends per changed operation: its CPU from
    each edit (one operation's summary) to the regeneration's summary line, polling included, over
    3 × RUNS edits; the mean of the middle half (/proc counts in clock ticks, 10 ms, so one edit's
    figure is coarse; a machine's hiccup in one edit is not the tool's)."""
    folder.mkdir()
    watched = folder / _module_name(spec)
    shutil.copy(spec, watched)
    out = folder / "out"
    watcher = subprocess.Popen([*connectorsmith(watched, out), "--watch"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
    assert watcher.stdout is not None

    def wait_for(prefix: str) -> None:
        for line in watcher.stdout:  # type: ignore[union-attr]
            if line.startswith(prefix):
                return
        raise SystemExit("the watcher stopped")

    def write(text: str) -> None:  # whole, at once, as an editor saving a file does
        staged = watched.with_suffix(".tmp")
        staged.write_text(text, "utf-8")
        os.replace(staged, watched)

    wait_for("watching for changes")
    document = json.loads(spec.read_text("utf-8"))
    operation = next(v for v in next(iter(document["paths"].values())).values() if isinstance(v, dict) and "responses" in v)
    used = []
    for i in range(3 * RUNS):
        operation["summary"] = f"Edited summary {i}"
        start = cpu_seconds(watcher.pid)
        write(json.dumps(document))
        wait_for(f"{out}:")
        used.append(cpu_seconds(watcher.pid) - start)
    watcher.send_signal(2)  # SIGINT, as Ctrl-C
    watcher.wait()
    middle = sorted(used)[len(used) // 4 : len(used) - len(used) // 4]
    return statistics.fmean(middle)


def _module_name(spec: Path) -> str:
    """The spec's file name as connectorsmith wants it (a connector name is a package name): dots in the stem made '_'."""
    return spec.stem.replace(".", "_") + spec.suffix


def make_generate_noop(spec: Path, project: Path, env: dict[str, str]) -> list[tuple[float, float]]:
    """`make generate` with nothing changed, in a copy of this project whose spec/ holds only ``spec``."""
    for name in ("templates", "generator"):
        shutil.copytree(ROOT / name, project / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("Makefile", "pyproject.toml"):
        shutil.copy2(ROOT / name, project / name)  # keeps pyproject's time: the venv stays current
    (project / "spec").mkdir()
    shutil.copy2(spec, project / "spec" / _module_name(spec))
    command = ["make", "-s", "-C", str(project), "generate", f"VENV={Path(sys.executable).parent.parent}", f"STAMPS={project}"]
    subprocess.run(command, check=True, env=env, capture_output=True)  # generates, and stamps the run
    return [once(command, env) for _ in range(RUNS)]


def main() -> int:
    peer = peer_binary()
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    env["PATH"] = f"{peer.parent}{os.pathsep}{os.environ.get('PATH', '')}"
    hipchat = SPECS / "hipchat_v2.oas31.json"
    rows: list[str] = []
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        cache = tmp / "cache"
        ours_env = {**env, "CONNECTORSMITH_CACHE_DIR": str(cache)}
        out = tmp / "ours"

        def fresh() -> None:
            shutil.rmtree(out, ignore_errors=True)
            shutil.rmtree(cache / "validation", ignore_errors=True)
            shutil.rmtree(cache / "runs", ignore_errors=True)

        subprocess.run(connectorsmith(hipchat, tmp / "warm"), check=True, env=ours_env, capture_output=True)  # compiles templates once
        peer_command = [str(peer), "generate", "--path", str(hipchat), "--output-path", str(tmp / "peer"), "--meta", "none", "--overwrite"]
        peer_fresh = ["rm", "-rf", str(tmp / "peer")]  # the peer's cold runs start from an empty folder too, as ours do
        once(peer_command, env)  # its bytecode written
        cold, theirs = [], []
        for _ in range(RUNS):  # alternated, so that the machine's ups and downs fall on both tools alike
            fresh()
            cold.append(once(connectorsmith(hipchat, out), ours_env))
            theirs.append(once(peer_command, env, before=peer_fresh))
        cold_s, cold_mb = median(cold)
        theirs_s, theirs_mb = median(theirs)
        noop_s, _ = median([once(connectorsmith(hipchat, out), ours_env) for _ in range(RUNS)])
        make_s, _ = median(make_generate_noop(hipchat, tmp / "project", ours_env))
        edited = tmp / _module_name(hipchat)
        document = json.loads(hipchat.read_text("utf-8"))
        first = next(iter(document["paths"].values()))
        operation = next(v for v in first.values() if isinstance(v, dict) and "responses" in v)
        one_op = []
        for i in range(RUNS):
            operation["summary"] = f"Edited summary {i}"
            edited.write_text(json.dumps(document), "utf-8")
            subprocess.run(connectorsmith(hipchat, out), check=True, env=ours_env, capture_output=True)  # back to the original
            one_op.append(once(connectorsmith(edited, out), ours_env))
        one_s, _ = median(one_op)
        watch_s = watch_one_op(hipchat, tmp / "watch", ours_env)
        rows += [
            f"| HipChat API v2, 60 operations (hipchat_v2.oas31.json), cold | {cold_s:.2f} s, {cold_mb:.0f} MB | {theirs_s:.2f} s, {theirs_mb:.0f} MB | time {cold_s / theirs_s:.2f}×, memory {cold_mb / theirs_mb:.2f}× |",
            f"| the same, nothing changed since the last run: `make generate` | {make_s:.3f} s | — | {make_s / cold_s:.1%} of cold |",
            f"| the same, nothing changed: `connectorsmith generate` run anyway | {noop_s:.3f} s | — | {noop_s / cold_s:.1%} of cold |",
            f"| the same, one operation's summary changed | {one_s:.2f} s | — | {one_s / cold_s:.0%} of cold |",
            f"| the same, one operation changed, in a running `connectorsmith generate --watch` | {watch_s:.3f} s | — | {watch_s / cold_s:.0%} of cold |",
        ]
        for label, name, extra in (
            ("Stripe, 355 operations, 2.9 MB (stripe_2022.json), cold", "stripe_2022.json", ()),
            ("Kubernetes, 1,123 operations, 4.1 MB, Swagger 2.0 (kubernetes.json), cold", "kubernetes.json", ("--lenient",)),
        ):
            big = []
            for _ in range(max(1, RUNS // 2)):
                fresh()
                big.append(once(connectorsmith(SPECS / name, out, *extra), ours_env))
            seconds, mb = median(big)
            rows.append(f"| {label} | {seconds:.2f} s, {mb:.0f} MB | — | — |")
            if name == "stripe_2022.json":
                stripe_watch = watch_one_op(SPECS / name, tmp / "watch-stripe", ours_env)
                rows.append(f"| Stripe, one operation changed, in a running `connectorsmith generate --watch` | {stripe_watch:.2f} s | — | {stripe_watch / seconds:.0%} of Stripe cold |")
        # The largest, least tidy documents (issue 24): Kubernetes as OpenAPI 3.0 (the peer reads 3.x only), as it
        # is and with 80 document-schema faults (bench/faulty.py, seeded), both tools, alternated.
        # The client alone (--targets python): what the peer makes.
        for label, faults in (("Kubernetes as OpenAPI 3.0, 1,123 operations, 3.6 MB (bench/faulty.py), the client, cold", 0), ("the same with 80 document-schema faults (bench/faulty.py), the client, cold", 80)):
            standin = tmp / f"kubernetes30-{faults}.json"
            subprocess.run([sys.executable, str(ROOT / "bench" / "faulty.py"), str(standin), "--faults", str(faults)], check=True, env=env, capture_output=True)
            peer_standin = [str(peer), "generate", "--path", str(standin), "--output-path", str(tmp / "peer"), "--meta", "none", "--overwrite"]
            ours_standin, theirs_standin = [], []
            for _ in range(max(1, RUNS // 2)):
                fresh()
                ours_standin.append(once(connectorsmith(standin, out, "--lenient", "--targets", "python"), ours_env))
                theirs_standin.append(once(peer_standin, env, before=peer_fresh))
            (ours_s, ours_mb), (peer_s, peer_mb) = median(ours_standin), median(theirs_standin)
            rows.append(f"| {label} | {ours_s:.2f} s, {ours_mb:.0f} MB | {peer_s:.2f} s, {peer_mb:.0f} MB | time {ours_s / peer_s:.2f}×, memory {ours_mb / peer_mb:.2f}× |")
        fresh()
        subprocess.run(connectorsmith(SPECS / "kubernetes.json", out, "--lenient"), check=True, env=ours_env, capture_output=True)  # the client imported below
        package = out / "kubernetes" / "python"
        python = str(client_python())
        subprocess.run([python, "-c", "import kubernetes.client"], cwd=package, env=env, check=True)  # writes the .pyc files
        imports = []
        for _ in range(RUNS):
            importtime = subprocess.run([python, "-X", "importtime", "-c", "import kubernetes.client"], cwd=package, capture_output=True, text=True, env=env, check=True)
            imports.append(max(int(m.group(1)) for m in re.finditer(r"\|\s+(\d+) \| kubernetes", importtime.stderr)) / 1e6)
        lines = sum(len(p.read_text("utf-8").splitlines()) for p in (package / "kubernetes").glob("*.py"))
        rows.append(f"| importing the generated Kubernetes client (`python -X importtime`, httpx only) | {statistics.median(imports):.3f} s ({lines:,} lines) | — | — |")
        if os.environ.get("BENCH_CORPUS", "1") != "0" and CORPUS.is_dir():
            corpus_env = {**env, "CONNECTORSMITH_CACHE_DIR": str(tmp / "corpus-cache")}
            start = time.perf_counter()
            seconds, _ = once([sys.executable, "-m", "connectorsmith.cli.corpus", str(CORPUS), "--report", str(tmp / "corpus.md")], corpus_env)
            wall = time.perf_counter() - start
            rows.append(f"| `make corpus`, {sum(1 for p in CORPUS.iterdir() if p.is_dir())} connectors, {os.cpu_count()} cores | {wall:.0f} s wall, {seconds:.0f} s CPU | — | — |")
    rows.append(f"| for scale: a fixed Python loop (3,000,000 additions), this run | {calibration():.2f} s | — | — |")
    table = [
        f"# Benchmark: connectorsmith vs {PEER} (CPU seconds, median of {RUNS}; peak RSS)",
        "",
        "| work | connectorsmith | openapi-python-client | ratio |",
        "|---|---|---|---|",
        *rows,
    ]
    report = ROOT / "bench" / "out" / "results.md"
    report.parent.mkdir(exist_ok=True)
    report.write_text("\n".join(table) + "\n", "utf-8")
    print("\n".join(table))
    return 0


if __name__ == "__main__":
    sys.exit(main())
