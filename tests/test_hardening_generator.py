"""What a fuzzing campaign broke in the generator (issue: hardening, round two), each held by a test."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path, PurePosixPath

import pytest
from connectorsmith.cli.main import main
from connectorsmith.output import writer
from connectorsmith.pipeline import generate
from connectorsmith.text import md_url

from .conftest import CASES

_SPEC = {
    "swagger": "2.0",
    "info": {"title": "Numbers", "version": "1"},
    "host": "api.example.com",
    "paths": {
        "/a": {
            "get": {
                "operationId": "GetA",
                "parameters": [{"name": "n", "in": "query", "type": "integer", "maximum": "MAX", "default": 7}],
                "responses": {"200": {"description": "ok", "schema": {"type": "object", "properties": {"v": {"type": "integer", "example": "MAX"}}}}},
            }
        }
    },
}


def _json(spec: object, digits: str) -> str:
    return json.dumps(spec).replace('"MAX"', digits)


@pytest.mark.parametrize("trailing", ["", ","])
def test_a_400_digit_integer_is_a_number_not_a_crash(tmp_path: Path, trailing: str) -> None:
    """The position-keeping JSON parser (lenient reading, or any syntax error) read it with math.isfinite."""
    text = _json(_SPEC, "9" * 400)
    spec = tmp_path / "big.json"
    spec.write_text(text[:-1] + trailing + "}", "utf-8")
    result = generate(spec, lenient=True)
    assert result.ok, [d.render() for d in result.diagnostics]
    assert "9" * 400 in result.files[PurePosixPath("big/openapi.json")]


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ('{"swagger": "2.0", "info": {"title": "S\\ud800", "version": "1"}, "paths": {}}', (1, 29)),
        ('{"swagger": "2.0", "info": {"title": "S", "version": "1"}, "paths": {"/a\\udc00": {}}}', (1, 70)),
        ('swagger: "2.0"\ninfo: {title: "\\U0000d800", version: "1"}\npaths: {}\n', (2, 8)),
    ],
)
def test_a_lone_surrogate_is_a_located_error_and_in_lenient_reading_a_replacement(tmp_path: Path, text: str, where: tuple[int, int]) -> None:
    spec = tmp_path / ("s.json" if text.startswith("{") else "s.yaml")
    spec.write_text(text, "utf-8")
    strict = generate(spec)
    assert not strict.ok and not strict.files
    (error,) = strict.diagnostics
    assert "lone surrogate" in error.message and error.location[1:] == where and error.pointer
    lenient = generate(spec, lenient=True)
    assert lenient.ok and lenient.files, [d.render() for d in lenient.diagnostics]
    for text_out in lenient.files.values():
        text_out.encode("utf-8")  # writable: the writer encodes every file


def test_a_surrogate_pair_written_as_two_yaml_escapes_is_one_character(tmp_path: Path) -> None:
    spec = tmp_path / "s.yaml"
    spec.write_text('swagger: "2.0"\ninfo: {title: "Smile \\ud83d\\ude00", version: "1"}\npaths: {}\n', "utf-8")
    result = generate(spec)
    assert result.ok and "Smile \U0001f600" in result.files[PurePosixPath("s/docs/s.md")]


def test_a_url_cannot_split_a_table_row() -> None:
    assert md_url("https://example.com/a|b") == "https://example.com/a%7Cb"
    assert md_url("https://example.com/(x)\\`y") == "https://example.com/%28x%29%5C%60y"
    assert md_url("javascript:alert(1)") == "#"


def test_a_damaged_compiled_template_is_compiled_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("CONNECTORSMITH_CACHE_DIR", str(cache))
    from connectorsmith.render import renderer as render

    render.environment.cache_clear()
    spec = CASES / "openapi3" / "openapi3.yaml"
    first = generate(spec)
    entries = list((cache / "jinja").rglob("*.cache"))
    assert entries, "compiled templates are kept"
    import jinja2.bccache

    for entry in entries:  # truncated inside the pickled checksum, as a full disk may leave them
        entry.write_bytes(entry.read_bytes()[: len(jinja2.bccache.bc_magic) + 3])
    render.environment.cache_clear()
    again = generate(spec)
    assert again.ok and again.files == first.files


def test_a_cache_that_cannot_be_written_does_not_stop_a_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONNECTORSMITH_CACHE_DIR", str(tmp_path / "cache"))
    import jinja2
    from connectorsmith.render import renderer as render

    def full(self: object, bucket: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(jinja2.FileSystemBytecodeCache, "dump_bytecode", full)
    render.environment.cache_clear()
    try:
        assert main(["generate", str(CASES / "openapi3" / "openapi3.yaml"), "--out", str(tmp_path / "out")]) == 0
    finally:
        render.environment.cache_clear()


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EFBIG, errno.EACCES])
def test_a_file_system_that_refuses_a_write_is_a_message_and_the_next_run_finishes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], code: int
) -> None:
    out = tmp_path / "out"
    spec = str(CASES / "openapi3" / "openapi3.yaml")
    real = writer._stage
    calls = []

    def refusing(target: Path, text: str, mode: int) -> Path:
        calls.append(target)
        if len(calls) == 3:
            raise OSError(code, os.strerror(code), str(target))
        return real(target, text, mode)

    monkeypatch.setattr(writer, "_stage", refusing)
    assert main(["generate", spec, "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert f"connectorsmith: error: cannot write {calls[2]}: {os.strerror(code)}" in err and "Traceback" not in err
    assert "the next run finishes what this one began" in err
    monkeypatch.setattr(writer, "_stage", real)
    assert main(["generate", spec, "--out", str(out)]) == 0
    assert main(["generate", spec, "--out", str(out), "--check"]) == 0


@pytest.mark.parametrize(("key", "line"), [("renewalPeriodSeconds: 60", 84), ("pollIntervalSeconds: 60", 184)])
def test_an_interval_no_client_can_sleep_is_refused(tmp_path: Path, key: str, line: int) -> None:
    """A period of 1e300 s was accepted; every client then raised OverflowError from time.sleep."""
    from .conftest import ROOT

    text = (ROOT / "spec" / "hipchat.yaml").read_text("utf-8")
    assert text.splitlines()[line - 1].strip().endswith(key)
    spec = tmp_path / "hipchat.yaml"
    spec.write_text(text.replace(key, key.replace("60", "1e300"), 1), "utf-8")
    result = generate(spec)
    assert not result.ok and not result.files
    errors = [d for d in result.diagnostics if d.severity.value == "error"]
    assert errors and errors[0].location.line == line and "1e+300 is greater than the maximum of 31536000" in errors[0].message


_UNIONS = """openapi: 3.1.0
info: {title: Unions, version: "1"}
paths:
  /top:
    get:
      operationId: getTop
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Top"}
components:
  schemas:
    Obj:
      type: object
      properties: {a: {type: string}}
    Tree:
      oneOf:
        - type: string
        - type: array
          items: {$ref: "#/components/schemas/Tree"}
    Top:
      oneOf:
        - $ref: "#/components/schemas/Tree"
        - $ref: "#/components/schemas/Obj"
"""


def test_a_named_union_of_a_recursive_named_union_imports_and_decodes(tmp_path: Path) -> None:
    """``Top = Tree | Obj`` with ``Tree`` a string alias (it names itself) raised TypeError on import."""
    from .conftest import import_generated
    from .recorder import Recorder

    spec = tmp_path / "unions.yaml"
    spec.write_text(_UNIONS, "utf-8")
    result = generate(spec)
    assert result.ok
    for rel, text in result.files.items():
        (tmp_path / "out" / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "out" / rel).write_text(text, "utf-8")
    unions = import_generated(tmp_path / "out" / "unions" / "python", "unions")
    answers = iter([["x", ["y", []]], {"a": "b"}])
    with Recorder(lambda seen: (200, next(answers))) as server, unions.UnionsClient(base_url=server.url, throttle=False) as client:
        assert client.get_top() == ["x", ["y", []]]
        assert client.get_top() == unions.models.Obj(a="b")


def _write(tmp_path: Path, name: str, text: str) -> Path:
    spec = tmp_path / name
    spec.write_text(text, "utf-8")
    return spec


def test_an_unknown_parameter_type_with_a_default_is_a_diagnostic(tmp_path: Path) -> None:
    """``type: bool`` and a ``default``: jsonschema's UnknownType escaped from the default check."""
    spec = _write(
        tmp_path,
        "b.yaml",
        'swagger: "2.0"\ninfo: {title: B, version: "1"}\nhost: x.example.com\npaths:\n  /a:\n    get:\n      operationId: GetA\n'
        "      parameters:\n        - {name: flag, in: query, type: bool, default: true}\n      responses: {\"200\": {description: ok}}\n",
    )
    strict = generate(spec)
    assert not strict.ok and [d.location.line for d in strict.diagnostics] == [9] and "'bool' is not one of" in strict.diagnostics[0].message
    assert generate(spec, lenient=True).ok


def test_an_array_of_itself_inside_allof_hides_no_other_error(tmp_path: Path) -> None:
    """openapi-spec-validator recursed forever collecting the properties of ``allOf: [{items: {$ref: self}}]``:
    the only report was an unlocated 'nest too deeply', and the real mistake (``version: 1``) was hidden."""
    spec = _write(
        tmp_path,
        "r.yaml",
        'swagger: "2.0"\ninfo: {title: R, version: 1}\nhost: x.example.com\npaths:\n  /a:\n    get:\n      operationId: GetA\n'
        '      responses: {"200": {description: ok, schema: {$ref: "#/definitions/Node"}}}\n'
        'definitions:\n  Node:\n    allOf:\n      - type: array\n        items: {$ref: "#/definitions/Node"}\n',
    )
    result = generate(spec)
    assert [(d.location.line, d.pointer) for d in result.diagnostics] == [(2, ("info", "version"))]
    fixed = _write(tmp_path, "r2.yaml", spec.read_text("utf-8").replace("version: 1}", 'version: "1"}'))
    assert generate(fixed).ok


def test_a_header_name_no_request_can_carry_is_refused_or_left_out(tmp_path: Path) -> None:
    """A non-ASCII header name made every call raise UnicodeEncodeError; a space or colon, h11's LocalProtocolError."""
    text = (
        'swagger: "2.0"\ninfo: {title: H, version: "1"}\nhost: x.example.com\npaths:\n  /a:\n    get:\n      operationId: GetA\n'
        '      parameters:\n        - {name: "Clé", in: header, type: string}\n        - {name: "Account Id", in: header, type: string}\n'
        '        - {name: "X-Ok", in: header, type: string}\n      responses: {"200": {description: ok}}\n'
    )
    spec = _write(tmp_path, "h.yaml", text)
    strict = generate(spec)
    assert not strict.ok and [d.location.line for d in strict.diagnostics] == [9, 10]
    lenient = generate(spec, lenient=True)
    assert lenient.ok and lenient.connector is not None
    assert [p.wire_name for p in lenient.connector.operations[0].parameters] == ["X-Ok"]
    assert all("left out of the client" in d.message for d in lenient.diagnostics)
    keyed = _write(tmp_path, "k.yaml", text.replace("paths:", "securityDefinitions:\n  key: {type: apiKey, in: header, name: Clé}\npaths:"))
    assert any("API key 'key' names 'Clé'" in d.message and d.severity.value == "error" for d in generate(keyed, lenient=True).diagnostics)


_SWAPS = [  # (spec, where, wrong value, lenient): each gave a traceback (issue 20, item 1)
    ("spec/hipchat.yaml", ("paths", "/user/{userid}", "get", "responses"), [1], False),
    ("spec/hipchat.yaml", ("paths", "/room/{roomId}/history/latest#file"), [{}], False),
    ("tests/cases/openapi3/openapi3.yaml", ("paths", "/pets", "post", "responses", "201", "content"), [1], False),
    ("tests/cases/openapi3/openapi3.yaml", ("paths",), [1], False),
    ("tests/cases/openapi3/openapi3.yaml", ("paths", "/pets", "post", "responses"), 1.5, True),
    ("spec/hipchat.yaml", ("paths", "/user/{userid}", "get", "responses"), 1.5, True),
    ("tests/cases/openapi3/openapi3.yaml", ("paths", "/pets", "get", "parameters"), True, True),
    ("tests/cases/openapi3/openapi3.yaml", ("components",), "200", True),
    ("spec/hipchat.yaml", ("consumes", 0), 1.5, True),
    ("spec/hipchat.yaml", ("produces",), [{}], True),
    ("spec/hipchat.yaml", ("produces",), {"$ref": "#/paths"}, True),
    ("tests/cases/types31/types31.yaml", ("paths", "/pets", "post", "requestBody", "content"), True, True),
    ("spec/hipchat.yaml", ("paths", "/room/{roomId}/message", "post", "parameters"), True, True),
    ("tests/cases/types20/types20.yaml", ("schemes",), True, True),
]


@pytest.mark.parametrize(("spec", "where", "value", "lenient"), _SWAPS, ids=lambda v: str(v)[:40])
def test_a_value_of_the_wrong_json_type_is_a_located_diagnostic(tmp_path: Path, spec: str, where: tuple[str | int, ...], value: object, lenient: bool) -> None:
    import yaml

    from .conftest import ROOT

    data = yaml.safe_load((ROOT / spec).read_text("utf-8"))
    node = data
    for key in where[:-1]:
        node = node[key]
    node[where[-1]] = value
    swapped = tmp_path / "swapped.json"
    swapped.write_text(json.dumps(data), "utf-8")
    result = generate(swapped, lenient=lenient)  # no exception
    assert all(d.location.line >= 1 and d.location.file.endswith("swapped.json") for d in result.diagnostics)
    related = [d for d in result.diagnostics if d.pointer[: len(where)] == where or where[: len(d.pointer)] == d.pointer and d.pointer]
    if not lenient:
        assert not result.ok and any(d.severity.value == "error" for d in related), [d.render() for d in result.diagnostics]
    else:
        assert related, [d.render() for d in result.diagnostics]


def test_a_constructor_argument_never_shadows_what_the_constructor_reads(tmp_path: Path) -> None:
    """A server variable (or a security scheme) named ``httpx`` shadowed the module in ``__init__``: every
    client raised AttributeError, and mypy rejected the package."""
    from .conftest import import_generated

    spec = _write(
        tmp_path,
        "shadow.yaml",
        'openapi: 3.0.3\ninfo: {title: Shadow, version: "1"}\nservers:\n  - url: "https://{httpx}.example.com"\n'
        "    variables:\n      httpx: {default: api}\ncomponents:\n  securitySchemes:\n"
        "    _runtime: {type: apiKey, in: header, name: X-Key}\nsecurity: [{_runtime: []}]\n"
        'paths:\n  /ping:\n    get:\n      operationId: ping\n      responses: {"200": {description: ok}}\n',
    )
    result = generate(spec)
    assert result.ok, [d.render() for d in result.diagnostics]
    for rel, text in result.files.items():
        (tmp_path / "out" / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "out" / rel).write_text(text, "utf-8")
    shadow = import_generated(tmp_path / "out" / "shadow" / "python", "shadow")
    client = shadow.ShadowClient(httpx_="eu", runtime="key")
    assert client.base_url == "https://eu.example.com"
    client.close()


def test_a_server_variable_after_the_host_is_part_of_the_path(tmp_path: Path) -> None:
    """``https://api.example.com{basePath}`` (a common way to write a base path): the client refused to be built,
    reading ``/v2`` as a host. A value that could move the host is still refused."""
    from .conftest import import_generated

    spec = _write(
        tmp_path,
        "based.yaml",
        'openapi: 3.0.3\ninfo: {title: Based, version: "1"}\nservers:\n  - url: "https://api.example.com{basePath}"\n'
        '    variables:\n      basePath: {default: /v2}\npaths:\n  /ping:\n    get:\n      operationId: ping\n      responses: {"200": {description: ok}}\n',
    )
    result = generate(spec)
    assert result.ok
    for rel, text in result.files.items():
        (tmp_path / "out" / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "out" / rel).write_text(text, "utf-8")
    based = import_generated(tmp_path / "out" / "based" / "python", "based")
    assert based.BasedClient().base_url == "https://api.example.com/v2"
    assert based.BasedClient(base_path="/v3/x y").base_url == "https://api.example.com/v3/x%20y"
    assert based.BasedClient(base_path="").base_url == "https://api.example.com"
    with pytest.raises(ValueError):
        based.BasedClient(base_path="@evil.example.com")


def test_an_empty_path_value_is_refused_in_every_style() -> None:
    """A label value [] became '.', a dot segment URL normalisation removes: another endpoint was requested."""
    from .test_models import fixture_package

    wire = fixture_package("wire")
    point = wire.models.Point(x=1, y=2)
    for arguments in ({"ids": [1], "label": [], "matrix": ["a"]}, {"ids": [1], "label": ["a"], "matrix": []}, {"ids": [], "label": ["a"], "matrix": ["a"]}):
        with wire.WireDeskClient(base_url="http://127.0.0.1:9", throttle=False) as client, pytest.raises(ValueError, match="empty"):
            client.get_items(**arguments, point=point)
