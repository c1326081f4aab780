"""bench/faulty.py's stand-in for the largest, least tidy documents: seeded, each fault one document-schema finding
of openapi-spec-validator, in path items and named schemas only; nothing timed."""

from __future__ import annotations

import copy
import importlib.util
import json

from connectorsmith.document import quickcheck

from .conftest import ROOT, SHARED, needs_shared

# bench/ is no package: faulty.py is loaded by path, under a name of its own.
_spec = importlib.util.spec_from_file_location("bench_faulty", ROOT / "bench" / "faulty.py")
assert _spec is not None and _spec.loader is not None
faulty = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(faulty)


@needs_shared("bench-specs", "kubernetes.json")
def test_the_faults_are_seeded_findings_of_paths_and_definitions() -> None:
    base = json.loads((SHARED / "bench-specs" / "kubernetes.json").read_text("utf-8"))
    assert quickcheck.document_schema_holds("2.0", base)
    one, two, other = copy.deepcopy(base), copy.deepcopy(base), copy.deepcopy(base)
    done = faulty.inject(one, 80, 24)
    faulty.inject(two, 80, 24)
    faulty.inject(other, 80, 25)
    assert len(done) == 80 and one == two != other
    places = [tuple(e.instance_path) for e in quickcheck._rust_document_validator("2.0").iter_errors(one)]
    assert len(places) >= 75
    assert {p[0] for p in places} == {"paths", "definitions"}
    assert sum(p[0] == "paths" for p in places) >= 35 and sum(p[0] == "definitions" for p in places) >= 35


def test_a_31_document_is_spelled_as_30() -> None:
    schema = {"type": ["string", "null"], "exclusiveMinimum": 1}
    parameter = {"name": "q", "in": "query", "schema": {"type": "string"}, "uniqueItems": True}
    assert faulty.as_30({"openapi": "3.1.0", "s": schema, "p": parameter}) == {
        "openapi": "3.0.3",
        "s": {"type": "string", "nullable": True, "minimum": 1, "exclusiveMinimum": True},
        "p": {"name": "q", "in": "query", "schema": {"type": "string"}},
    }
