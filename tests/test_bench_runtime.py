"""`make bench-runtime` measures a decode that works: its data, decoded as the bench decodes it with the package
connectorsmith generates from bench/github_releases.json, encodes back to the same JSON (bench/runtime.py)."""

from __future__ import annotations

import datetime
import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from .conftest import ROOT, import_generated

# bench/ is no package: its runtime.py is loaded by path, under a name of its own.
_spec = importlib.util.spec_from_file_location("bench_runtime", ROOT / "bench" / "runtime.py")
assert _spec is not None and _spec.loader is not None
runtime = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(runtime)

_DATE_TIME = re.compile(r"\d{4}-\d\d-\d\dT")


def _instants(value: Any) -> Any:
    """The JSON with each date-time string read as its instant: '…Z' and '…+00:00' are one time."""
    if isinstance(value, dict):
        return {k: _instants(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_instants(v) for v in value]
    if isinstance(value, str) and _DATE_TIME.match(value):
        return datetime.datetime.fromisoformat(value)
    return value


def test_the_data_is_the_same_for_the_same_seed_and_covers_the_schema() -> None:
    items = runtime.releases(100)
    assert runtime.encoded(items) == runtime.encoded(runtime.releases(100))
    assert runtime.encoded(items) != runtime.encoded(runtime.releases(100, seed=1))
    assets = [a for item in items for a in item["assets"]]
    assert assets and any(a["uploader"] is None for a in assets) and any(a["state"] == "open" for a in assets)
    assert any("reactions" in item for item in items) and any("reactions" not in item for item in items)
    assert any(item.get("body", "") is None for item in items) and any("body" not in item for item in items)
    assert any(item["published_at"] is None for item in items)


def test_connectorsmith_decodes_the_bench_data_to_objects_that_encode_back_to_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    run = subprocess.run([sys.executable, "-m", "connectorsmith", "generate", str(runtime.SPEC), "--out", str(tmp_path)], capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    folder = tmp_path / "github_releases" / "python"
    package = import_generated(folder, "github_releases")
    monkeypatch.setattr(sys, "path", list(sys.path))  # what codecs puts on the path is dropped after the test
    decode, encode = runtime.codecs("connectorsmith", folder)
    items = runtime.releases(100)
    objects = decode(runtime.encoded(items))
    assert len(objects) == 100
    assert all(type(o) is package.models.Release for o in objects)
    assert all(type(a.created_at) is datetime.datetime for o in objects for a in o.assets)
    assert not any(o.additional_properties for o in objects)  # every key the data has, the schema declares
    assert _instants(json.loads(json.dumps(encode(objects)))) == _instants(items)


def test_the_peer_copy_of_the_document_differs_only_where_the_bench_says() -> None:
    document = json.loads(runtime.SPEC.read_text("utf-8"))
    copy = runtime.peer_document(document)
    schemas, theirs = document["components"]["schemas"], copy["components"]["schemas"]
    assert set(schemas) - set(theirs) == {"nullable-simple-user"}
    assert set(schemas["reaction-rollup"]["properties"]) - set(theirs["reaction-rollup"]["properties"]) == {"+1", "-1"}
    assert {k: v for k, v in theirs.items() if k not in ("release-asset", "reaction-rollup")} == {k: v for k, v in schemas.items() if k not in ("release-asset", "reaction-rollup", "nullable-simple-user")}
    assert copy["paths"] == document["paths"]


def test_the_bare_bound_decodes_the_bench_data_to_objects_that_encode_back_to_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """The bound of pure-Python decoders (bench/bare_models.py) makes the same typed result from the same
    bytes, so its time is a fair bound: date-times, the enum and nested objects made, as the others make them."""
    monkeypatch.setattr(sys, "path", list(sys.path))
    decode, encode = runtime.codecs("bare", ROOT / "bench")
    items = runtime.releases(100)
    objects = decode(runtime.encoded(items))
    assert len(objects) == 100 and all(type(o).__name__ == "Release" for o in objects)
    assets = [a for o in objects for a in o.assets]
    assert assets and all(type(a.created_at) is datetime.datetime and type(a.state).__name__ == "ReleaseAssetState" for a in assets)
    assert any(a.uploader is not None and type(a.uploader).__name__ == "SimpleUser" for a in assets)
    assert _instants(json.loads(json.dumps(encode(objects)))) == _instants(items)
