"""How cold generation grows with a document: `make bench-scale` (and `make bench`, after bench/run.py).

Real documents of growing size, each generated cold, as bench/run.py's cold row: `connectorsmith generate
<spec> --out <empty folder>` with CONNECTORSMITH_CACHE_DIR holding no validation findings and no record of
earlier runs (compiled templates are kept, as Python keeps its .pyc files; one run before the measured ones
writes them and the bytecode). The documents:

- certified connectors of ../shared/corpus/certified picked by operation count: SIZES targets spread
  geometrically from 1 operation to the largest connector's count, each taking the connector nearest to it
  (by operations, then by size in KB: the median KB among those of that count) whose count no earlier pick
  has; a connector connectorsmith rejects is passed over for the next nearest;
- then the large documents of ../shared/bench-specs: GitHub Enterprise Server 3.6, Stripe 2022 and
  Kubernetes (`--lenient`, as bench/run.py reads it: its parameters 'path' collide).

For each: operations (methods under paths, read leniently as `make corpus` counts them), the definition's size
in KB, CPU seconds (user + system of the process and its children, the median of BENCH_RUNS fresh processes,
default 3) and seconds per 100 operations. Then a least-squares line of seconds on operations over all the
documents, its slope, intercept and R², and each document's time as a ratio to the line's prediction (the
worst ratio above and below the line are reported), so that "linear" is a number; the same fit on KB beside
it, since a document's size may matter more than its operation count. And an exponent: the slope of
log(seconds above the fastest document's of fewer than EXPONENT_FROM operations: interpreter start-up and imports,
which every document pays) on log(operations) over the documents of at least EXPONENT_FROM operations: 1 is linear, above 1 grows
faster. The machine's speed during the run is given by a fixed Python loop's CPU seconds and the load average, as
bench/run.py does (CPU time here varies by half from hour to hour, and other work on the 2 CPUs adds to it).
Results go to bench/out/scale.md.
"""

from __future__ import annotations

import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPECS = ROOT.parent / "shared" / "bench-specs"
CORPUS = ROOT.parent / "shared" / "corpus" / "certified"
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
SIZES = int(os.environ.get("BENCH_SCALE_SIZES", "8"))
EXPONENT_FROM = 10
LARGE = (
    ("GitHub Enterprise Server 3.6 (github_ghes36.json)", "github_ghes36.json", ()),
    ("Stripe 2022 (stripe_2022.json)", "stripe_2022.json", ()),
    ("Kubernetes, Swagger 2.0 (kubernetes.json)", "kubernetes.json", ("--lenient",)),
)
MEASURE = (
    "import resource, subprocess, sys\n"
    "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode\n"
    "r = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "print(code, r.ru_utime + r.ru_stime)\n"
)


@dataclass(frozen=True)
class Candidate:
    name: str
    operations: int
    kb: float


@dataclass(frozen=True)
class Fit:
    slope: float
    intercept: float
    r2: float

    def predict(self, x: float) -> float:
        return self.intercept + self.slope * x


def targets(largest: int, sizes: int) -> list[float]:
    """``sizes`` operation counts spread geometrically from 1 to ``largest`` (both ends included)."""
    if sizes < 2 or largest <= 1:
        return [float(largest)]
    return [largest ** (i / (sizes - 1)) for i in range(sizes)]


def pick(candidates: Sequence[Candidate], sizes: int = SIZES) -> list[list[Candidate]]:
    """For each target of :func:`targets`, the candidates in the order to try them: nearest operation count
    first (on a log scale, ties to the smaller), and within a count the one of median size first. No two
    targets share an operation count: a count given to an earlier target is not offered to a later one. A
    target whose every count is taken gets no list."""
    usable = [c for c in candidates if c.operations > 0]
    if not usable:
        return []
    by_count: dict[int, list[Candidate]] = {}
    for c in usable:
        by_count.setdefault(c.operations, []).append(c)
    for count, group in by_count.items():
        group.sort(key=lambda c: (c.kb, c.name))
        middle = len(group) // 2
        by_count[count] = [c for _, c in sorted(enumerate(group), key=lambda p: (abs(p[0] - middle), p[0]))]
    taken: set[int] = set()
    picks: list[list[Candidate]] = []
    for target in targets(max(by_count), sizes):
        free = sorted((n for n in by_count if n not in taken), key=lambda n: (abs(math.log(n / target)), n))
        if not free:
            break
        taken.add(free[0])
        # the nearest count's connectors, then the next nearest free counts' as fall-backs
        picks.append([c for n in free[:4] for c in by_count[n]])
    return picks


def fit(points: Sequence[tuple[float, float]]) -> Fit:
    """The least-squares line y = intercept + slope·x through ``points``, and its R² (1 when every point is on it)."""
    n = len(points)
    if n < 2:
        raise ValueError("a line needs two points")
    mx = statistics.fmean(x for x, _ in points)
    my = statistics.fmean(y for _, y in points)
    sxx = sum((x - mx) ** 2 for x, _ in points)
    if sxx == 0:
        raise ValueError("every point has the same x")
    slope = sum((x - mx) * (y - my) for x, y in points) / sxx
    intercept = my - slope * mx
    total = sum((y - my) ** 2 for _, y in points)
    residual = sum((y - (intercept + slope * x)) ** 2 for x, y in points)
    return Fit(slope, intercept, 1.0 if total == 0 else 1 - residual / total)


def exponent(points: Sequence[tuple[float, float]], baseline: float) -> Fit:
    """The power b of y - baseline ≈ a·x^b: the least-squares line of log(y - baseline) on log(x), over the points
    above the baseline (its slope is b)."""
    return fit([(math.log(x), math.log(y - baseline)) for x, y in points if y > baseline and x > 0])


def calibration() -> float:
    """CPU seconds of a fixed pure-Python loop (median of RUNS fresh processes), as bench/run.py's last row."""
    code = "import time\nt = time.process_time()\ns = 0\nfor i in range(3_000_000):\n    s += i\nprint(time.process_time() - t)\n"
    return statistics.median(float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout) for _ in range(RUNS))


def connectorsmith(spec: Path, out: Path, *extra: str) -> list[str]:
    script = Path(sys.executable).with_name("connectorsmith")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "connectorsmith"]
    return [*command, "generate", str(spec), "--out", str(out), *extra]


def once(command: list[str], env: Mapping[str, str]) -> float | None:
    """CPU seconds of one fresh process; None when it failed."""
    # From outside this project: its [tool.connectorsmith] must not choose the targets (as bench/run.py).
    out = subprocess.run([sys.executable, "-c", MEASURE, *command], capture_output=True, text=True, env=dict(env), check=True, cwd=tempfile.gettempdir())
    code, seconds = out.stdout.split()
    return float(seconds) if code == "0" else None


def corpus_candidates() -> list[Candidate]:
    from connectorsmith.cli.corpus import count_operations
    from connectorsmith.pipeline import DEFINITION, find_file

    found = []
    for folder in sorted(p for p in CORPUS.iterdir() if p.is_dir()):
        definition = find_file(folder, DEFINITION)
        if definition is not None:
            found.append(Candidate(folder.name, count_operations(folder), definition.stat().st_size / 1024))
    return found


@dataclass(frozen=True)
class Row:
    label: str
    operations: int
    kb: float
    seconds: float


def main() -> int:
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    rows: list[Row] = []
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        cache = tmp / "cache"
        env["CONNECTORSMITH_CACHE_DIR"] = str(cache)
        out = tmp / "out"

        def fresh() -> None:
            shutil.rmtree(out, ignore_errors=True)
            shutil.rmtree(cache / "validation", ignore_errors=True)
            shutil.rmtree(cache / "runs", ignore_errors=True)

        def measure(spec: Path, extra: Sequence[str]) -> float | None:
            fresh()
            if once(connectorsmith(spec, out, *extra), env) is None:  # also compiles templates and bytecode
                return None
            samples = []
            for _ in range(RUNS):
                fresh()
                seconds = once(connectorsmith(spec, out, *extra), env)
                if seconds is None:
                    raise SystemExit(f"failed on a second run: {spec}")
                samples.append(seconds)
            return statistics.median(samples)

        if CORPUS.is_dir():
            for tries in pick(corpus_candidates()):
                for candidate in tries:
                    if any(r.operations == candidate.operations for r in rows):
                        continue  # a fall-back of the same count as an earlier pick
                    seconds = measure(CORPUS / candidate.name, ())
                    if seconds is not None:
                        rows.append(Row(f"{candidate.name} (certified connector)", candidate.operations, candidate.kb, seconds))
                        break
        from connectorsmith.cli.corpus import count_operations

        for label, name, extra in LARGE:
            spec = SPECS / name
            seconds = measure(spec, extra)
            if seconds is None:
                raise SystemExit(f"failed: {spec}")
            rows.append(Row(label, count_operations(spec), spec.stat().st_size / 1024, seconds))
    loop = calibration()
    machine = f"a fixed Python loop (3,000,000 additions) took {loop:.2f} s; load average {load_before:.1f} at the start, {os.getloadavg()[0]:.1f} at the end"
    report = render(rows, machine)
    path = ROOT / "bench" / "out" / "scale.md"
    path.parent.mkdir(exist_ok=True)
    path.write_text(report, "utf-8")
    print(report, end="")
    return 0


def render(rows: Sequence[Row], machine: str = "") -> str:
    rows = sorted(rows, key=lambda r: r.operations)
    by_ops = fit([(r.operations, r.seconds) for r in rows])
    by_kb = fit([(r.kb, r.seconds) for r in rows])
    ratio_ops = [r.seconds / by_ops.predict(r.operations) for r in rows]
    ratio_kb = [r.seconds / by_kb.predict(r.kb) for r in rows]
    title = f"# Cold generation against document size (CPU seconds, median of {RUNS} fresh processes; {date.today().isoformat()}, {os.cpu_count()} CPUs)"
    lines = [
        title,
        "",
        "| document | operations | KB | CPU s | s per 100 operations | ÷ line on operations | ÷ line on KB |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r, a, b in zip(rows, ratio_ops, ratio_kb, strict=True):
        lines.append(
            f"| {r.label} | {r.operations:,} | {r.kb:,.0f} | {r.seconds:.2f} | {100 * r.seconds / r.operations:.2f} | {a:.2f} | {b:.2f} |"
        )

    def summary(name: str, f: Fit, ratios: Sequence[float], unit: str) -> str:
        worst_above = max(zip(ratios, rows, strict=True), key=lambda p: p[0])
        worst_below = min(zip(ratios, rows, strict=True), key=lambda p: p[0])
        return (
            f"- seconds on {name}: {f.slope * 100:.4f} s per 100 {unit}, intercept {f.intercept:.2f} s, R² {f.r2:.4f}; "
            f"worst above the line {worst_above[0]:.2f}× ({worst_above[1].label}), "
            f"worst below {worst_below[0]:.2f}× ({worst_below[1].label})"
        )

    lines += [
        "",
        "Least-squares lines over these documents (the ratios above are each document's time ÷ the line's prediction):",
        "",
        summary("operations", by_ops, ratio_ops, "operations"),
        summary("size", by_kb, ratio_kb, "KB"),
    ]
    floor = min((r.seconds for r in rows if r.operations < EXPONENT_FROM), default=0.0)
    above = [(r.operations, r.seconds) for r in rows if r.operations >= EXPONENT_FROM and r.seconds > floor]
    if len({x for x, _ in above}) >= 2:
        power = exponent(above, floor)
        lines.append(
            f"- growth: seconds above the fastest document's of < {EXPONENT_FROM} operations ({floor:.2f} s, start-up) ≈ a·operations^b over the {len(above)} documents "
            f"of ≥ {EXPONENT_FROM} operations: b = {power.slope:.2f} (1 is linear), R² {power.r2:.4f}"
        )
    if machine:
        lines += ["", f"This run: {machine}."]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
