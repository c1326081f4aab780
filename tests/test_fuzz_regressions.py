"""Failures the fuzz targets (tests/test_fuzz.py) found, shrunk to plain tests: one per root cause.

Each failed when it was found (issue 20); each is fixed now, and its test holds the fix. A new failure a long run
(`make fuzz`) finds comes here the same way: marked xfail(strict=True) with what is wrong and the last frame of its
traceback, with an entry in tests/fuzzing.py's KNOWN that lets the fuzz targets go on past it until it is fixed
(a strict xfail that passes fails the suite, so a fix is noticed and the mark and entry removed).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from connectorsmith.diagnostics import Severity
from connectorsmith.pipeline import Result, generate

from . import test_fuzz as fuzz
from .conftest import import_generated


def _generate(tmp_path: Path, document: Any, *, lenient: bool = False, name: str = "fz", text: str | None = None) -> Result:
    spec = tmp_path / f"{name}.json"
    spec.write_text(json.dumps(document) if text is None else text, "utf-8")
    return generate(spec, lenient=lenient)


def _diagnosed(result: Result) -> None:
    """What every input must give: located diagnostics (an error with a hint), or output."""
    for d in result.diagnostics:
        assert d.location.file and d.location.line >= 1, d.render()
        assert d.severity is not Severity.ERROR or d.hint, d.render()
    assert result.ok == bool(result.files)


def _imports(tmp_path: Path, result: Result) -> None:
    assert result.ok, [d.render() for d in result.diagnostics]
    for path, text in result.files.items():
        (tmp_path / "out" / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "out" / path).write_text(text, "utf-8")
    assert result.connector is not None
    import_generated(tmp_path / "out" / result.name / "python", result.connector.package)


def _swagger(**extra: Any) -> dict[str, Any]:
    return {"swagger": "2.0", "info": {"title": "T", "version": "1"}, "host": "api.example.invalid", "paths": {}, **extra}


def _openapi(version: str = "3.1.0", **extra: Any) -> dict[str, Any]:
    return {"openapi": version, "info": {"title": "T", "version": "1"}, "paths": {}, **extra}


# The generator: generated specs.


@pytest.mark.parametrize("container", ["array", "map"])
def test_mutually_recursive_aliases_with_a_nullable_member_import(tmp_path: Path, container: str) -> None:
    def of(ref: dict[str, Any]) -> dict[str, Any]:
        return {"type": "array", "items": ref} if container == "array" else {"type": "object", "additionalProperties": ref}

    a, b = {"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/B"}
    document = _openapi(components={"schemas": {"A": of(b), "B": of({"anyOf": [a, {"type": "null"}]})}})
    _imports(tmp_path, _generate(tmp_path, document))


# The generated client against a hostile server.


@pytest.fixture(scope="module")
def hostile() -> Iterator[fuzz.HostileServer]:
    server = fuzz.HostileServer()
    try:
        yield server
    finally:
        server.close()


def _hipchat_call(server: fuzz.HostileServer, behaviour: fuzz.Behaviour, call: str = "hipchat.get_user_by_id") -> tuple[BaseException | None, float]:
    package, how = fuzz.CALLS[call]
    module = fuzz._package_of(package)
    server.behaviour = behaviour
    started = time.monotonic()
    try:
        how(module, server.url)
    except module.errors.ConnectorError as exc:
        return exc, time.monotonic() - started
    return None, time.monotonic() - started


@pytest.mark.parametrize("status", [200, 301, 404, 500])
def test_a_deeply_nested_body_is_a_connector_error(hostile: fuzz.HostileServer, status: int) -> None:
    _hipchat_call(hostile, fuzz.Behaviour(status, "nested", "application/json"))


def test_a_slow_drip_ends_within_the_timeout(hostile: fuzz.HostileServer) -> None:
    _, elapsed = _hipchat_call(hostile, fuzz.Behaviour(200, "right", "application/json", drip=10))
    assert elapsed <= fuzz.BOUND


@pytest.mark.parametrize(("call", "headers", "location"), [
    ("hipchat.get_user_by_id", ["echo-auth"], None),
    ("types20.x (query key)", [], "loop"),
])
def test_a_credential_echoed_in_a_response_header_stays_out_of_the_logs(
    hostile: fuzz.HostileServer, call: str, headers: list[str], location: str | None
) -> None:
    handler = fuzz._Records()
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        _hipchat_call(hostile, fuzz.Behaviour(200, "right", "application/json", headers=headers, location=location), call)
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
    assert [text for text in handler.texts if any(s in text for s in fuzz.SECRETS)] == []


# The generator: wrong-typed nodes (issue 20, item 1). Minimal specs: the smallest pointer of each failure that an
# exhaustive sweep of every node x every wrong-typed value over two small specs found.

_MINI20 = _swagger(
    basePath="/v1",
    schemes=["https"],
    paths={
        "/items/{id}": {
            "parameters": [{"name": "id", "in": "path", "required": True, "type": "string"}],
            "get": {
                "operationId": "GetItem",
                "parameters": [{"name": "q", "in": "query", "type": "string", "enum": ["a", "b"], "default": "a"}],
                "responses": {"200": {"description": "ok", "schema": {"$ref": "#/definitions/Item"}}},
            },
        }
    },
    definitions={"Item": {"type": "object", "properties": {"id": {"type": "string"}}}},
)
_MINI30 = _openapi(
    "3.0.3",
    servers=[{"url": "https://{region}.example.invalid/v1", "variables": {"region": {"default": "eu"}}}],
    paths={
        "/items/{id}": {
            "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
            "get": {
                "operationId": "getItem",
                "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Item"}}}}},
            },
        }
    },
    components={"schemas": {"Item": {"type": "object", "properties": {"id": {"type": "string"}}}}},
)


def _with(document: dict[str, Any], pointer: tuple[str | int, ...], value: Any) -> dict[str, Any]:
    changed: dict[str, Any] = json.loads(json.dumps(document))
    node: Any = changed
    for part in pointer[:-1]:
        node = node[part]
    node[pointer[-1]] = value
    return changed


_ITEM = ("paths", "/items/{id}")


@pytest.mark.parametrize("lenient", [False, True], ids=["strict", "lenient"])
@pytest.mark.parametrize("base", [_MINI20, _MINI30], ids=["2.0", "3.0"])
@pytest.mark.parametrize("value", [[1], {"$ref": "#/"}], ids=["list", "ref-to-root"])
def test_a_wrong_typed_paths_is_a_diagnostic(tmp_path: Path, base: dict[str, Any], value: Any, lenient: bool) -> None:
    _diagnosed(_generate(tmp_path, _with(base, ("paths",), value), lenient=lenient))


@pytest.mark.parametrize("lenient", [False, True], ids=["strict", "lenient"])
@pytest.mark.parametrize("kind", ["200", "bool"])
def test_an_unknown_parameter_type_with_a_default_is_a_diagnostic(tmp_path: Path, kind: str, lenient: bool) -> None:
    _diagnosed(_generate(tmp_path, _with(_MINI20, (*_ITEM, "get", "parameters", 0, "type"), kind), lenient=lenient))


@pytest.mark.parametrize(("base", "pointer", "value"), [
    (_MINI20, (*_ITEM, "get", "responses"), "200"),
    (_MINI20, (*_ITEM, "get", "parameters"), 1.5),
    (_MINI30, (*_ITEM, "get", "responses"), "200"),
    (_MINI30, (*_ITEM, "get", "parameters"), 1.5),
    (_MINI30, (*_ITEM, "parameters"), [1]),
    (_MINI30, ("components",), [1]),
    (_MINI30, ("servers",), 1.5),
    (_MINI30, ("servers",), {"$ref": "#/paths"}),
    (_MINI30, ("servers", 0, "url"), {"a": 1}),
], ids=lambda v: ("3.0" if "openapi" in v else "2.0") if isinstance(v, dict) and "info" in v else "/".join(map(str, v[2:])) if isinstance(v, tuple) else json.dumps(v))
def test_a_wrong_typed_node_read_leniently_is_a_diagnostic_not_an_export_crash(
    tmp_path: Path, base: dict[str, Any], pointer: tuple[str | int, ...], value: Any
) -> None:
    _diagnosed(_generate(tmp_path, _with(base, pointer, value), lenient=True))


@pytest.mark.parametrize("value", [1.5, {"$ref": "#/paths"}, True])
def test_wrong_typed_schemes_read_leniently_is_a_diagnostic(tmp_path: Path, value: Any) -> None:
    _diagnosed(_generate(tmp_path, _with(_MINI20, ("schemes",), value), lenient=True))


@pytest.mark.parametrize("call", ["types20.x_policy (basic)", "hipchat.get_user_by_id", "types20.x (query key)"])
def test_a_credential_echoed_in_an_error_body_stays_out_of_the_message(hostile: fuzz.HostileServer, call: str) -> None:
    error, _ = _hipchat_call(hostile, fuzz.Behaviour(401, "echo", "application/json"), call)
    assert error is not None and "401" in str(error)
    assert [s for s in fuzz.SECRETS if s in str(error) or s in repr(error)] == []


@pytest.mark.parametrize("link", ["malformed-ipv6", "huge"])
def test_a_malformed_next_link_is_a_connector_error(hostile: fuzz.HostileServer, link: str) -> None:
    _hipchat_call(hostile, fuzz.Behaviour(200, "items", "application/json", next_link=link), "hipchat.on_new_message")


def test_a_credential_in_a_refused_link_stays_out_of_the_message(hostile: fuzz.HostileServer) -> None:
    error, _ = _hipchat_call(hostile, fuzz.Behaviour(202, "right", "application/json", location="credentials-in-url"), "ppdemo.on_new_items")
    assert error is not None and "another origin" in str(error)
    assert fuzz.TOKEN not in str(error) and fuzz.TOKEN not in repr(error)


@pytest.mark.parametrize("retry_after", ["1e300", "inf", "999999999"])
def test_a_protocol_triggers_poll_interval_is_bounded(hostile: fuzz.HostileServer, retry_after: str) -> None:
    ppdemo = fuzz._package_of("ppdemo")
    hostile.behaviour = fuzz.Behaviour(202, "empty", "", retry_after=retry_after)
    with ppdemo.PPDemoClient(api_key=fuzz.KEY, region="eu", base_url=hostile.url + "/v1", throttle=False) as client:
        trigger = client.on_new_items()
        trigger.poll()
    assert 0 <= trigger.poll_interval <= fuzz.MAX_POLL_INTERVAL
