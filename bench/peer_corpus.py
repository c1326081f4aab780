"""Completeness side by side on a corpus sample: `make bench-corpus`.

For every third certified connector, connectorsmith generates its client (native input: the connector
folder), and openapi-python-client (in bench/.venv-peer, see run.py) generates one from the OpenAPI 3.1
document connectorsmith exports for it. For the peer: does every module import, and how many endpoint
modules does it write against the operations the API has. connectorsmith's side is `make corpus`.
"""

from __future__ import annotations

import collections
import multiprocessing
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path, PurePosixPath

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from connectorsmith.pipeline import generate
from run import peer_venv

CORPUS = ROOT.parent / "shared" / "corpus" / "certified"
IMPORT_ALL = (
    "import importlib, pkgutil, sys\n"
    "sys.path.insert(0, sys.argv[1])\n"
    "import out\n"
    "for m in pkgutil.walk_packages(out.__path__, 'out.'):\n"
    "    importlib.import_module(m.name)\n"
)


def one(folder: Path) -> tuple[str, str, int, int]:
    """(connector, outcome, operations, peer endpoint modules)."""
    result = generate(folder)
    if not result.ok or result.connector is None:
        return folder.name, "input rejected", 0, 0
    peer = peer_venv()
    operations = len(result.connector.operations)
    with tempfile.TemporaryDirectory() as tmp:
        spec = Path(tmp, "openapi.json")
        spec.write_text(result.files[PurePosixPath(result.name, "openapi.json")], "utf-8")
        out = Path(tmp, "out")
        env = {**os.environ, "PATH": f"{peer.parent}{os.pathsep}{os.environ.get('PATH', '')}"}
        command = [str(peer), "generate", "--path", str(spec), "--output-path", str(out), "--meta", "none", "--overwrite"]
        if subprocess.run(command, capture_output=True, env=env, timeout=600, check=False).returncode != 0 or not out.exists():
            return folder.name, "peer failed", operations, 0
        imported = subprocess.run([str(peer.parent / "python"), "-c", IMPORT_ALL, tmp], capture_output=True, timeout=600, check=False)
        endpoints = sum(1 for f in (out / "api").rglob("*.py") if f.name != "__init__.py") if (out / "api").exists() else 0
        return folder.name, "imports" if imported.returncode == 0 else "import failed", operations, endpoints


def main() -> int:
    peer_venv()
    folders = sorted(p for p in CORPUS.iterdir() if p.is_dir())[::3]
    start = time.perf_counter()
    with multiprocessing.get_context("spawn").Pool(os.cpu_count() or 1) as pool:
        results = pool.map(one, folders)
    outcomes = collections.Counter(r[1] for r in results)
    importing = [r for r in results if r[1] == "imports"]
    short = [r for r in importing if r[3] < r[2]]
    print(f"{len(results)} connectors in {time.perf_counter() - start:.0f} s; peer: {dict(outcomes)}")
    print(f"peer endpoint modules in importing clients: {sum(r[3] for r in importing)} of {sum(r[2] for r in importing)} operations; "
          f"{len(short)} clients with fewer ({sum(r[2] - r[3] for r in short)} operations missing)")
    for name, outcome, operations, endpoints in results:
        if outcome != "imports" or endpoints < operations:
            print(f"  {name}: {outcome}, {endpoints} of {operations}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
