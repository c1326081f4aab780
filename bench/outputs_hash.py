"""Hash everything connectorsmith makes of a fixed set of inputs, to show a change leaves output byte-identical.

    git worktree add ../before <commit>                # the code before the change, beside this checkout
    python bench/outputs_hash.py --code ../before/generator before.json
    python bench/outputs_hash.py after.json           # this checkout's code
    python bench/outputs_hash.py --compare before.json after.json

The inputs: spec/*, every golden case of tests/cases/ (its spec, connector folder or split spec), the
documents of ../shared/bench-specs and every connector of ../shared/corpus/certified (where ../shared is).
For each, ``pipeline.generate`` runs in this process with the input's default targets; the record is the
SHA-256 of every output file by path, the targets, and every diagnostic (severity, place, message, hint,
pointer, code). A crash is recorded too. The inputs are this checkout's for both runs (``--root`` names
another), so the same files are compared even when the change moves them. ``--code`` imports the
generator from another checkout's folder (the installed one would otherwise answer, whichever folder the
script is run from); each record names the code it ran and its commit, and ``--compare`` refuses two
records of the same code.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def inputs(root: Path) -> list[Path]:
    from connectorsmith.pipeline import discover

    found = discover(root / "spec")
    for case in sorted(p for p in (root / "tests" / "cases").iterdir() if p.is_dir()):
        # Its root documents and connector folder, else its spec files (a case of a document that is not one).
        found += discover(case) or sorted(p for p in case.iterdir() if p.is_file() and p.suffix in (".json", ".yaml", ".yml"))
    shared = root.parent / "shared"
    if (shared / "bench-specs").is_dir():
        found += sorted(p for p in (shared / "bench-specs").iterdir() if p.suffix in (".json", ".yaml"))
    if (shared / "corpus" / "certified").is_dir():
        found += sorted(p for p in (shared / "corpus" / "certified").iterdir() if p.is_dir())
    return found


def record(spec: Path) -> dict[str, Any]:
    from connectorsmith.pipeline import generate

    try:
        result = generate(spec)
    except Exception as exc:  # noqa: BLE001 - a crash is a result too
        return {"crash": repr(exc)}
    return {
        "files": {str(path): hashlib.sha256(text.encode()).hexdigest() for path, text in sorted(result.files.items())},
        "targets": sorted(t.value for t in result.targets),
        "diagnostics": [f"{d.severity.value} {d.location} {d.message} | {d.hint} | {d.pointer} | {d.code}" for d in result.diagnostics],
    }


def _name(spec: Path, root: Path) -> str:
    """``spec`` by its path in the checkout, or under ../shared: the same name whichever checkout reads it."""
    return spec.relative_to(root).as_posix() if spec.is_relative_to(root) else "../" + spec.relative_to(root.parent).as_posix()


def use_code(folder: Path) -> None:
    """Import ``connectorsmith`` from ``folder`` (a checkout's generator/), and nothing of it from the install."""
    shim = Path(tempfile.mkdtemp(prefix="outputs-hash-"))
    (shim / "connectorsmith").symlink_to(folder.resolve(), target_is_directory=True)
    sys.path.insert(0, str(shim))
    # An editable install's finder would still answer for a module that folder lacks.
    sys.meta_path[:] = [f for f in sys.meta_path if "__editable__" not in type(f).__module__]


def code_record() -> dict[str, str]:
    """The folder connectorsmith was imported from, and its checkout's commit (with "+changes" when dirty)."""
    import connectorsmith

    folder = Path(connectorsmith.__file__).resolve().parent
    git = ["git", "-C", str(folder)]
    commit = subprocess.run([*git, "rev-parse", "HEAD"], capture_output=True, text=True, check=False).stdout.strip()
    dirty = subprocess.run([*git, "status", "--porcelain", "--", "."], capture_output=True, text=True, check=False).stdout.strip()
    return {"folder": str(folder), "commit": commit + ("+changes" if dirty else "")}


def compare(before: dict[str, Any], after: dict[str, Any]) -> int:
    differ = [name for name in before if before[name] != after.get(name)] + [name for name in after if name not in before]
    files = sum(len(v.get("files", {})) for v in before.values())
    print(f"{len(before)} inputs before, {len(after)} after; {files} files; differ: {len(differ)}")
    for name in differ[:20]:
        old, new = before.get(name, {}), after.get(name, {})
        changed = sorted(f for f in set(old.get("files", {})) | set(new.get("files", {})) if old.get("files", {}).get(f) != new.get("files", {}).get(f))
        print(f"  {name}: files {changed[:5]}{' …' if len(changed) > 5 else ''}; diagnostics {'same' if old.get('diagnostics') == new.get('diagnostics') else 'differ'}")
    return 1 if differ else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", type=Path, help="where to write the hashes (JSON)")
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout whose inputs are read (default: this one)")
    parser.add_argument("--code", type=Path, help="the generator/ folder of the checkout whose code runs (default: the installed one)")
    parser.add_argument("--compare", nargs=2, type=Path, metavar=("BEFORE", "AFTER"))
    args = parser.parse_args()
    if args.compare:
        before, after = (json.loads(p.read_text("utf-8")) for p in args.compare)
        code = (before.get("code"), after.get("code"))
        if code[0] == code[1]:
            print(f"both records are of the same code ({code[0]}): nothing was compared (give the run before --code)")
            return 2
        return compare(before["inputs"], after["inputs"])
    if args.out is None:
        parser.error("give OUT, or --compare BEFORE AFTER")
    if args.code:
        use_code(args.code)
    start = time.perf_counter()
    root = args.root.resolve()
    hashes = {_name(spec, root): record(spec) for spec in inputs(root)}
    args.out.write_text(json.dumps({"code": code_record(), "inputs": hashes}, indent=1, sort_keys=True), "utf-8")
    print(f"{len(hashes)} inputs, {sum(len(v.get('files', {})) for v in hashes.values())} files, {time.perf_counter() - start:.0f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
