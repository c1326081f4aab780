"""Severity like a compiler: what changes nothing generated is a located warning, what cannot be carried an
error; every diagnostic at its place; patterns read as ECMA-262; a run that exits 0 is never hollow."""

from __future__ import annotations

import copy
import json
import re
import subprocess
import sys
from pathlib import Path, PurePosixPath
from typing import Any

import pytest
from connectorsmith.builder import build
from connectorsmith.diagnostics import Severity
from connectorsmith.document import ecma, openapi
from connectorsmith.document.loader import load
from connectorsmith.pipeline import generate

from .conftest import CASES, ROOT, import_generated
from .recorder import Recorder

UNTIDY = CASES / "untidy_values" / "untidy_values.yaml"


# --------------------------------------------------------------------------- patterns are ECMA-262


@pytest.mark.parametrize(
    ("pattern", "value", "matches"),
    [
        (r"^(?<id>[a-z]+)-\d+$", "abc-42", True),
        (r"^(?<id>[a-z]+)-\d+$", "abc-42\n", False),  # ECMA's $ is the end of the input; Python's also before a final newline
        (r"^\d+$", "١٢٣", False),  # \d is ASCII in ECMA-262; Python's (str) matches Arabic-Indic digits
        (r"^\w+$", "café", False),
        (r"^\w+$", "cafe_1", True),
        (r"^\s$", "\u00a0", True),  # ECMA's \s includes no-break space
        (r"^\s$", "\u2028", True),
        (r"^\S$", "\u3000", False),
        (r"^(?<p>[a-z])\k<p>$", "aa", True),
        (r"^(?<p>[a-z])\k<p>$", "ab", False),
        (r"^a.c$", "a\rc", False),  # . stops at every line terminator, not only \n
        (r"^a.c$", "abc", True),
        (r"^[^]$", "\n", True),  # [^] is any character
        (r"a[]", "a", False),  # [] is none
        (r"^\cJ$", "\n", True),
        (r"^\u{1F600}$", "😀", True),
        (r"^\ud83d\ude00$", "😀", True),  # a surrogate pair is one code point
        (r"^\x41\u0042$", "AB", True),
        (r"^[\w-]+$", "a-b_c", True),
        (r"\bword\b", "a word here", True),
        (r"^\/api\/v\d$", "/api/v2", True),
        (r"^a{2,3}$", "aaaa", False),
        (r"x{", "x{", True),  # Annex B: a brace that starts no quantifier is a literal
        (r"^[a-z]{2}\d{3}$", "ab123", True),
    ],
)
def test_an_ecma_pattern_matches_in_python_what_it_matches_in_ecma(pattern: str, value: str, matches: bool) -> None:
    compiled = ecma.compiled(pattern)
    assert compiled is not None, ecma.translate(pattern)
    assert bool(compiled.search(value)) is matches


@pytest.mark.parametrize("pattern", ["[a-", "(a|b", "a)", "a**", "a{2,1}", "(?P<n>x)", "(?i)x", "*a", "\\", "[z-a]", r"\k<nope>(?<x>a)"])
def test_what_ecma_262_rejects_is_reported_invalid(pattern: str) -> None:
    found = ecma.translate(pattern)
    assert found.error and found.python is None


@pytest.mark.parametrize("pattern", [r"(?<=a+)b", r"\p{L}", r"[\W]", r"\e", r"(?<a$>x)"])
def test_valid_ecma_that_python_cannot_spell_faithfully_is_said_so(pattern: str) -> None:
    found = ecma.translate(pattern)
    assert not found.error and found.python is None and found.untranslatable


def test_a_valid_ecma_pattern_is_never_reported() -> None:
    """The named group and backreference of the untidy case: no diagnostic names that pattern."""
    result = generate(UNTIDY)
    assert result.ok
    assert not [d for d in result.diagnostics if "prefix" in d.message or d.pointer[-1:] == ("pattern",) and "code" in d.pointer[-3:]]
    codes = [d for d in result.diagnostics if d.pointer[:5] == ("paths", "/incidents", "get", "parameters", 2)]
    assert codes == []


# --------------------------------------------------------------------------- severity


def test_untidy_values_generate_with_a_warning_for_each() -> None:
    result = generate(UNTIDY)
    assert result.ok and result.files
    warned = {d.pointer: d for d in result.diagnostics}
    assert all(d.severity is Severity.WARNING for d in result.diagnostics)
    op = ("paths", "/incidents", "get")
    expected = {
        (*op, "parameters", 0, "schema", "default"): "the client does not use it",
        (*op, "parameters", 1, "schema", "default"): 'it is read as true, the same text on the wire',  # "true" for a boolean
        (*op, "parameters", 3, "schema", "default"): "does not match",  # checked with the ECMA pattern, translated
        (*op, "responses", "4xx"): "read as 4XX",
        (*op, "responses", "200", "content", "application/json"): "'example' and 'examples'",
        ("components", "schemas", "Incident", "properties", "title", "pattern"): "not an ECMA-262 regular expression",
        ("components", "schemas", "Incident", "properties", "title", "default"): "does not fit",
        ("components", "schemas", "Incident", "properties", "severity", "default"): "does not fit",
    }
    for pointer, words in expected.items():
        assert pointer in warned and words in warned[pointer].message, (pointer, sorted(warned))
    assert len(result.diagnostics) == len(expected)
    assert result.connector is not None
    (operation,) = result.connector.operations
    assert [p.wire_name for p in operation.parameters] == ["limit", "active", "code", "pair"]
    assert [r.status for r in operation.responses] == ["200", "4xx"]


_INTERNAL = """swagger: "2.0"
info: {title: Co, version: "1"}
host: api.example.com
paths:
  /items/{page}:
    get:
      operationId: ListItems
      parameters:
        - {name: page, in: path, required: true, type: integer, default: "1", x-ms-visibility: internal}
        - {name: enabled, in: query, type: boolean, default: "true", x-ms-visibility: internal}
        - {name: size, in: query, type: integer, default: "20 - incident_summary", x-ms-visibility: internal}
        - {name: ratio, in: query, type: number, default: "01", x-ms-visibility: internal}
      responses: {"200": {description: ok}}
"""


def test_an_internal_parameter_whose_text_default_spells_its_value_stays_internal(tmp_path: Path) -> None:
    """"1" for an integer, "true" for a boolean: the same text on the wire, so the client keeps sending it (no
    breaking change for code that calls the method); the exports write the typed value, so they are valid.
    A default that spells no value of the type ("20 - …", "01") becomes an argument, as before."""
    import json

    spec = tmp_path / "co.yaml"
    spec.write_text(_INTERNAL, "utf-8")
    result = generate(spec)
    assert result.ok and result.connector is not None
    (operation,) = result.connector.operations
    kept = {p.wire_name: p.default for p in operation.parameters if p.internal}
    assert kept == {"page": "1", "enabled": "true"}
    assert [p.wire_name for p in operation.parameters if not p.internal] == ["size", "ratio"]
    exported = json.loads(result.files[PurePosixPath("co/powerplatform/apiDefinition.swagger.json")])
    params = exported["paths"]["/items/{page}"]["get"]["parameters"]
    assert [p.get("default") for p in params] == [1, True, None, None]
    read = [d for d in result.diagnostics if "the same text on the wire" in d.message]
    assert [d.pointer[-2] for d in read] == [0, 1]


def test_the_untidy_client_sends_no_default_and_reads_the_odd_status() -> None:
    untidy = import_generated(CASES / "untidy_values" / "expected" / "untidy_values" / "python", "untidy_values")
    with Recorder(lambda seen: (200, [{"id": 1, "title": "Outage"}])) as server:
        client = untidy.UntidyValuesClient(base_url=server.url, throttle=False)
        found = client.list_incidents(code="AB-12-AB")
        client.close()
    assert [item.id for item in found] == [1]
    (seen,) = server.seen
    assert seen.path == "/incidents?code=AB-12-AB"  # no bad default (nor any default) sent


def test_what_cannot_be_carried_stays_an_error() -> None:
    result = generate(CASES / "several_mistakes" / "several_mistakes.yaml")
    assert not result.ok and not result.files
    errors = {d.pointer for d in result.diagnostics if d.severity is Severity.ERROR}
    assert ("paths", "/things/{id}", "get", "parameters", 0, "schema", "$ref") in errors  # a reference that does not resolve
    assert ("paths", "/others/{other}", "get") in errors  # an operation that cannot be called as described


def test_validate_reports_every_mistake_of_a_file_in_one_run() -> None:
    """A reference that does not resolve no longer hides the schema's problems; one schema's first
    meta-schema error no longer hides its others, nor the defaults inside it."""
    result = generate(CASES / "several_mistakes" / "several_mistakes.yaml")
    thing = ("components", "schemas", "Thing", "properties")
    found = {d.pointer: d.severity for d in result.diagnostics}
    assert found == {
        ("paths", "/things/{id}", "get", "parameters", 0, "schema", "$ref"): Severity.ERROR,
        ("paths", "/things/{id}", "get", "parameters", 1, "schema", "default"): Severity.WARNING,
        ("paths", "/others/{other}", "get"): Severity.ERROR,
        (*thing, "size", "type"): Severity.ERROR,
        (*thing, "kind", "enum"): Severity.ERROR,
        (*thing, "count", "default"): Severity.WARNING,
    }


def test_an_internal_parameter_with_a_bad_default_is_an_argument(tmp_path: Path) -> None:
    spec = tmp_path / "internal.yaml"
    spec.write_text(
        """swagger: "2.0"
info: {title: Internal, version: "1"}
host: example.invalid
paths:
  /items:
    get:
      operationId: listItems
      parameters:
        - {name: api-version, in: query, type: string, x-ms-visibility: internal, default: "2024-01-01"}
        - {name: top, in: query, type: integer, x-ms-visibility: internal, default: "all"}
      responses:
        "200": {description: ok}
""",
        "utf-8",
    )
    result = generate(spec)
    assert result.ok, [d.render() for d in result.diagnostics]
    assert result.connector is not None
    params = {p.wire_name: p for p in result.connector.operations[0].parameters}
    assert params["api-version"].internal and not params["top"].internal
    warned = [d for d in result.diagnostics if d.pointer == ("paths", "/items", "get", "parameters", 1, "default")]
    assert [d.severity for d in warned] == [Severity.WARNING, Severity.WARNING]  # the schema's finding, and what the client does
    assert any("an argument of the method" in d.message for d in warned)
    out = tmp_path / "out"
    for rel, text in result.files.items():
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_text(text, "utf-8")
    package = import_generated(out / "internal" / "python", "internal")
    with Recorder(lambda seen: (200, None)) as server:
        client = package.InternalClient(base_url=server.url, throttle=False)
        client.list_items(top=5)
        client.close()
    assert server.seen[0].path == "/items?api-version=2024-01-01&top=5"


# --------------------------------------------------------------------------- --strict


def _cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "connectorsmith", *args], cwd=cwd, capture_output=True, text=True, check=False, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "CONNECTORSMITH_CACHE_DIR": "off"})


def test_strict_makes_every_warning_an_error(tmp_path: Path) -> None:
    (tmp_path / "spec").mkdir()
    (tmp_path / "spec" / "untidy.yaml").write_text(UNTIDY.read_text("utf-8"), "utf-8")
    lenient = _cli("generate", "--out", "out", cwd=tmp_path)
    assert lenient.returncode == 0, lenient.stderr
    assert "untidy: 12 files changed, 0 unchanged, 8 warnings" in lenient.stdout  # a plain document: no Power Platform pair
    strict = _cli("generate", "--strict", "--out", "strict-out", cwd=tmp_path)
    assert strict.returncode == 1 and not (tmp_path / "strict-out").exists()
    assert strict.stderr.count(": error[") == 8 and ": warning" not in strict.stderr
    assert "spec/untidy.yaml: 8 errors; nothing written" in strict.stderr
    assert _cli("validate", "--strict", "spec/untidy.yaml", cwd=tmp_path).returncode == 1
    assert _cli("generate", "--strict", "--out", "out", cwd=tmp_path).returncode == 1  # current output: still refused
    (tmp_path / "pyproject.toml").write_text("[tool.connectorsmith]\nstrict = true\n", "utf-8")
    configured = _cli("validate", "spec/untidy.yaml", cwd=tmp_path)
    assert configured.returncode == 1 and configured.stderr.count(": error[") == 8
    (tmp_path / "pyproject.toml").write_text('[tool.connectorsmith]\nstrict = "yes"\n', "utf-8")
    wrong = _cli("validate", "spec/untidy.yaml", cwd=tmp_path)
    assert wrong.returncode == 2 and "strict must be true or false" in wrong.stderr
    (tmp_path / "pyproject.toml").write_text("[tool.connectorsmith]\nstrict = false\n", "utf-8")
    assert _cli("validate", "spec/untidy.yaml", cwd=tmp_path).returncode == 0


# --------------------------------------------------------------------------- never hollow


def test_an_operation_dropped_without_a_warning_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    original = build._Builder._operations
    monkeypatch.setattr(build._Builder, "_operations", lambda self: original(self)[1:])
    result = generate(CASES / "openapi3" / "openapi3.yaml")
    assert not result.ok and not result.files
    (error,) = [d for d in result.diagnostics if d.severity is Severity.ERROR]
    assert error.pointer == ("paths", "/pets", "get") and "GET /pets is missing from the generated client" in error.message
    assert error.location.line == 7


def test_a_parameter_or_body_dropped_without_a_warning_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    original = build._Builder._operation

    def hollow(self: Any, op: Any, op_id: str, py: str) -> Any:
        from dataclasses import replace

        made = original(self, op, op_id, py)
        return replace(made, parameters=(), body_model=None)

    monkeypatch.setattr(build._Builder, "_operation", hollow)
    result = generate(CASES / "openapi3" / "openapi3.yaml")
    assert not result.ok
    missing = {d.pointer: d.message for d in result.diagnostics if d.severity is Severity.ERROR}
    assert "query parameter 'limit' of GET /pets is missing" in missing[("paths", "/pets", "get", "parameters", 0)]
    assert "the request body of POST /pets is missing" in missing[("paths", "/pets", "post", "requestBody")]


def test_a_loss_a_warning_names_is_not_an_error(tmp_path: Path) -> None:
    spec = tmp_path / "losses.yaml"
    spec.write_text(
        """openapi: 3.0.3
info: {title: Losses, version: "1"}
paths:
  /upload:
    put:
      operationId: upload
      parameters:
        - {name: session, in: cookie, schema: {type: string}}
      requestBody:
        content:
          application/octet-stream: {}
      responses:
        "204": {description: done}
""",
        "utf-8",
    )
    result = generate(spec)
    assert result.ok, [d.render() for d in result.diagnostics]
    warned = {d.pointer: d.message for d in result.diagnostics}
    assert "left out of upload" in warned[("paths", "/upload", "put", "parameters", 0)]
    assert ("paths", "/upload", "put", "requestBody") not in warned  # a raw body needs no schema: bytes, as they are
    assert 'content_type="application/octet-stream"' in next(text for path, text in result.files.items() if str(path).endswith("client.py"))


# --------------------------------------------------------------------------- every diagnostic located


def _mutated(source: Path, target: Path) -> Path:
    """``source`` with a mistake of each kind in its first object definition and its first operation."""
    data = copy.deepcopy(load(source, lenient=True).data)
    node = next(d for _, d in openapi.definitions(data) if isinstance(d.value, dict) and len(d.value.get("properties") or {}) >= 3)
    props = node.value["properties"]
    first, second, third = list(props)[:3]
    props[first] = {"type": "strin"}
    props[second] = {"type": "integer", "default": "20 - incident_summary"}
    props[third] = {"type": "string", "pattern": "^(?<id>[a-z]+)\\k<id>$", "default": "abab"}
    props["zz_pattern"] = {"type": "string", "pattern": "[a-"}
    props["zz_enum"] = {"type": "string", "enum": "notalist"}
    op = next(openapi.iter_operations(data))
    op.value["responses"]["4xx"] = {"description": "client error"}
    op.value["responses"]["weird"] = {"description": "odd"}
    target.write_text(json.dumps(data, indent=1), "utf-8")
    return target


@pytest.mark.parametrize(
    "source",
    [CASES / "types20" / "types20.yaml", CASES / "types30" / "types30.yaml", CASES / "types31" / "types31.yaml", CASES / "openapi3" / "openapi3.yaml"],
    ids=lambda p: p.name,
)
@pytest.mark.parametrize("lenient", [False, True], ids=["strict", "lenient"])
def test_every_diagnostic_has_its_place(source: Path, lenient: bool, tmp_path: Path) -> None:
    spec = _mutated(source, tmp_path / (source.stem + ".json"))
    lines = spec.read_text("utf-8").splitlines()
    result = generate(spec, lenient=lenient)
    assert len(result.diagnostics) >= 6
    seen = set()
    for d in result.diagnostics:
        assert d.pointer, d.render()
        assert (d.location.line, d.location.column) != (1, 1), d.render()
        # The line is the pointer's own: its last key (or the value at an index) is written there.
        key = d.pointer[-1]
        assert isinstance(key, int) or f'"{key}"' in lines[d.location.line - 1], d.render()
        assert (d.pointer, d.message) not in seen, f"reported twice: {d.render()}"
        seen.add((d.pointer, d.message))
    pointers = {d.pointer[-2:] for d in result.diagnostics}
    assert {("responses", "4xx"), ("zz_pattern", "pattern"), ("zz_enum", "enum")} <= pointers
    assert not any(re.search(r"\(\?<id>", d.message) for d in result.diagnostics), "a valid ECMA pattern is never reported"


def test_lenient_reading_names_what_an_unresolved_reference_leaves_out(tmp_path: Path) -> None:
    spec = tmp_path / "refs.yaml"
    spec.write_text(
        """openapi: 3.0.3
info: {title: Refs, version: "1"}
paths:
  /a:
    $ref: "#/x-paths/a"
  /b:
    post:
      operationId: postB
      parameters:
        - $ref: "#/components/parameters/Nope"
      requestBody:
        $ref: "#/components/requestBodies/Nope"
      responses:
        "200": {description: ok}
""",
        "utf-8",
    )
    assert not generate(spec).ok
    result = generate(spec, lenient=True)
    assert result.ok
    warned = {d.pointer: d.message for d in result.diagnostics if d.severity is Severity.WARNING}
    assert "its operations are left out" in warned[("paths", "/a")]
    assert "it is left out of postB" in warned[("paths", "/b", "post", "parameters", 0)]
    assert "the method sends no body" in warned[("paths", "/b", "post", "requestBody")]
    assert not any("validation skipped" in message for message in warned.values())  # the rest of the document is still validated


def test_the_exports_leave_out_what_the_warnings_say_is_not_used() -> None:
    tree = CASES / "untidy_values" / "expected" / "untidy_values"
    document = json.loads((tree / "openapi.json").read_text("utf-8"))
    definition = json.loads((tree / "powerplatform" / "apiDefinition.swagger.json").read_text("utf-8"))
    params = {p["name"]: p["schema"] for p in document["paths"]["/incidents"]["get"]["parameters"]}
    assert "default" not in params["limit"] and "default" not in params["pair"]
    assert params["active"]["default"] is True  # "true" for a boolean: read as true (the same text on the wire)
    assert params["code"]["default"] == "AB-12-AB" and params["code"]["pattern"] == r"^(?<prefix>[A-Z]{2})-\d+-\k<prefix>$"
    title = document["components"]["schemas"]["Incident"]["properties"]["title"]
    assert title == {"type": "string"}  # its pattern is not ECMA-262, its default not a string
    responses = document["paths"]["/incidents"]["get"]["responses"]
    assert "4XX" in responses and "example" not in responses["200"]["content"]["application/json"]
    assert "x-4XX" in definition["paths"]["/incidents"]["get"]["responses"]  # Swagger 2.0 has no status ranges


@pytest.mark.parametrize("seed", ["1", "2", "3"])
def test_several_mistakes_of_one_schema_are_all_reported_whatever_the_hash_order(seed: str) -> None:
    """The document schema's oneOf (Schema or Reference) once yielded one error of the branch, chosen
    by hash order: which of a schema's two mistakes was reported changed from run to run."""
    run = subprocess.run(
        [sys.executable, "-m", "connectorsmith", "validate", "tests/cases/several_mistakes/several_mistakes.yaml"],
        cwd=ROOT, capture_output=True, text=True, check=False,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "CONNECTORSMITH_CACHE_DIR": "off", "PYTHONHASHSEED": seed},
    )
    assert run.returncode == 1
    assert run.stderr == (CASES / "several_mistakes" / "expected.stderr").read_text("utf-8")


def test_an_unknown_key_is_the_place_of_its_finding(tmp_path: Path) -> None:
    spec = tmp_path / "key.yaml"
    spec.write_text('swagger: "2.0"\ninfo: {title: K, version: "1"}\nbasepath: /v1\npaths: {}\n', "utf-8")
    (found,) = generate(spec).diagnostics
    assert found.pointer == ("basepath",) and (found.location.line, found.location.column) == (3, 1)


def test_a_problem_inside_an_example_is_a_warning(tmp_path: Path) -> None:
    spec = tmp_path / "examples.yaml"
    spec.write_text(
        """openapi: 3.1.0
info: {title: Examples, version: "1"}
paths:
  /a:
    get:
      operationId: getA
      parameters:
        - name: q
          in: query
          schema: {type: integer, examples: 5}
      responses:
        "200": {description: ok}
""",
        "utf-8",
    )
    result = generate(spec)
    assert result.ok and result.files
    (found,) = result.diagnostics
    assert found.severity is Severity.WARNING and found.pointer == ("paths", "/a", "get", "parameters", 0, "schema", "examples")
    assert (found.location.line, found.location.column) == (10, 35)
