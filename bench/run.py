"""Speed and memory of connectorgen, side by side with openapi-python-client (the closest peer): `make bench`.

Each input is one API: connectorgen reads its connector spec (or Power Platform folder), the peer
reads the OpenAPI 3.1 document connectorgen exports for the same API (the peer reads only 3.x).
Both write a Python client to a fresh folder. Each command runs RUNS times in a fresh process;
the table gives the median wall time and the peak resident memory, and their ratios
(connectorgen / peer: below 1 means connectorgen is faster or smaller).
The peer lives in its own venv (bench/.venv-peer), so neither tool's dependencies touch the other's.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PEER_VENV = ROOT / "bench" / ".venv-peer"
PEER = "openapi-python-client==0.29.1"
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
CORPUS = ROOT.parent / "shared" / "corpus" / "certified"
INPUTS = [
    ("HipChat (spec/hipchat.yaml)", ROOT / "spec" / "hipchat.yaml"),
    ("Plumsail HelpDesk (24 operations)", CORPUS / "Plumsail HelpDesk"),
    ("Almabase (policies, 40+ operations)", CORPUS / "Almabase"),
    ("Encodian (219 operations)", CORPUS / "Encodian"),
]
MEASURE = (
    "import resource, subprocess, sys, time\n"
    "start = time.perf_counter()\n"
    "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode\n"
    "print(code, time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
)


def peer_venv() -> Path:
    binary = PEER_VENV / "bin" / "openapi-python-client"
    if not binary.exists():
        venv.create(PEER_VENV, with_pip=True)
        subprocess.run([str(PEER_VENV / "bin" / "python"), "-m", "pip", "install", "--quiet", PEER, "ruff"], check=True)
    return binary


def measure(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Median seconds and peak MB over RUNS fresh processes."""
    times, peaks = [], []
    for _ in range(RUNS):
        out = subprocess.run([sys.executable, "-c", MEASURE, *command], capture_output=True, text=True, env=env, check=True)
        code, seconds, kb = out.stdout.split()
        if code != "0":
            raise SystemExit(f"failed ({code}): {' '.join(command)}")
        times.append(float(seconds))
        peaks.append(int(kb) / 1024)
    return statistics.median(times), max(peaks)


def main() -> int:
    peer = peer_venv()
    env = {**os.environ, "PATH": f"{peer.parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for label, spec in INPUTS:
            if not spec.exists():
                print(f"skipped (not found): {spec}")
                continue
            exports = Path(tmp, "exports")
            subprocess.run([sys.executable, "-m", "generator", "generate", str(spec), "--out", str(exports)], cwd=ROOT, check=True, capture_output=True)
            openapi_json = next(exports.glob("*/openapi.json"))
            ours_out, peer_out = Path(tmp, "ours"), Path(tmp, "peer")
            ours = measure([sys.executable, "-m", "generator", "generate", str(spec), "--out", str(ours_out)], env)
            shutil.rmtree(ours_out, ignore_errors=True)
            theirs = measure([str(peer), "generate", "--path", str(openapi_json), "--output-path", str(peer_out), "--meta", "none", "--overwrite"], env)
            shutil.rmtree(exports, ignore_errors=True)
            rows.append((label, ours, theirs))
            print(f"{label}: connectorgen {ours[0]:.2f} s {ours[1]:.0f} MB; peer {theirs[0]:.2f} s {theirs[1]:.0f} MB")
    lines = [
        f"# Benchmark: connectorgen vs {PEER} (median of {RUNS} runs, peak RSS)",
        "",
        "| Input | connectorgen s | peer s | time ratio | connectorgen MB | peer MB | memory ratio |",
        "|---|---|---|---|---|---|---|",
    ]
    for label, (our_s, our_mb), (their_s, their_mb) in rows:
        lines.append(f"| {label} | {our_s:.2f} | {their_s:.2f} | {our_s / their_s:.2f} | {our_mb:.0f} | {their_mb:.0f} | {our_mb / their_mb:.2f} |")
    report = ROOT / "bench" / "out" / "results.md"
    report.parent.mkdir(exist_ok=True)
    report.write_text("\n".join(lines) + "\n", "utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
