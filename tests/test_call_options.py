"""Per-call options, client headers, one's own httpx client, raw responses and deprecated operations
(tests/cases/calls/calls.yaml), called over real HTTP, sync and async."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
import warnings
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
from connectorsmith.output.surface import breaking_changes

from .conftest import CASES, ROOT
from .recorder import Recorder, Seen
from .test_hardening_client import BOTH, RawServer, _drip
from .test_models import fixture_package

ITEM = {"id": "i1", "name": "Ada"}


@pytest.fixture(scope="module")
def calls() -> ModuleType:
    return fixture_package("calls")


def _header(seen: Seen, name: str) -> str | None:
    found = [v for k, v in seen.headers.items() if k.lower() == name.lower()]
    assert len(found) <= 1, f"{name} sent {len(found)} times: {seen.headers}"
    return found[0] if found else None


def _answer(seen: Seen) -> tuple[int, Any]:
    if seen.path.startswith("/v1/items") and seen.method == "POST":
        return 201, {**seen.body}
    if seen.path.startswith("/v1/items?") or seen.path == "/v1/items":
        return 200, {"value": [ITEM]}
    if seen.path.startswith("/v1/categories"):
        return 200, [{"name": "a"}]
    if seen.path.startswith("/v1/trigger"):
        return 200, [ITEM]
    return 200, ITEM


def _run(calls: ModuleType, url: str, asynchronous: bool, script: str, **options: Any) -> Any:
    """``script`` (a method of the scenario below) on a sync or async client at ``url``."""
    options = {"key": "k-secret-value", "base_url": url + "/v1", "throttle": False, **options}

    if asynchronous:

        async def run() -> Any:
            async with calls.AsyncCallOptionsClient(**options) as client:
                return await ASYNC[script](client)

        return asyncio.run(run())
    with calls.CallOptionsClient(**options) as client:
        return SYNC[script](client)


async def _aheaders(client: Any) -> Any:
    await client.get_item(id="1", x_trace_id="from-argument", headers={"X-Call": "call", "X-Default": "call wins"})
    await client.get_item(id="2", x_trace_id="from-argument", headers={"x-trace-id": "call wins over argument"})
    return await client.get_item(id="3")


def _headers(client: Any) -> Any:
    client.get_item(id="1", x_trace_id="from-argument", headers={"X-Call": "call", "X-Default": "call wins"})
    client.get_item(id="2", x_trace_id="from-argument", headers={"x-trace-id": "call wins over argument"})
    return client.get_item(id="3")


SYNC = {"headers": _headers}
ASYNC = {"headers": _aheaders}


# ---------------------------------------------------------------------------------------- headers, user agent


@BOTH
def test_headers_reach_the_server_and_the_call_overrides_the_client(calls: ModuleType, asynchronous: bool) -> None:
    with Recorder(_answer) as server:
        item = _run(calls, server.url, asynchronous, "headers", headers={"X-Default": "client", "Accept-Language": "fr"}, user_agent="myapp/1.2")
    assert item.id == "i1"
    first, second, third = server.seen
    assert _header(first, "X-Call") == "call" and _header(first, "X-Default") == "call wins"
    assert _header(first, "X-Trace-Id") == "from-argument"
    assert _header(second, "X-Trace-Id") == "call wins over argument", "a call's headers override header arguments"
    assert _header(third, "X-Default") == "client" and _header(third, "X-Call") is None, "a call's headers are its own"
    assert _header(third, "Accept-Language") == "fr" and _header(third, "X-Api-Key") == "k-secret-value"
    assert _header(third, "User-Agent") == "myapp/1.2 calls-python/1.0 (connectorsmith)"


def test_a_header_the_credentials_are_sent_in_is_refused_not_overridden(calls: ModuleType) -> None:
    with pytest.raises(ValueError, match="'x-api-key' is the header key= is sent in") as raised:
        calls.CallOptionsClient(key="k-secret-value", headers={"x-api-key": "other-value"})
    assert "other-value" not in str(raised.value)
    with Recorder(_answer) as server, calls.CallOptionsClient(key="k-secret-value", base_url=server.url, throttle=False) as client:
        with pytest.raises(ValueError, match="'X-Api-Key' is the header key= is sent in"):
            client.get_item(id="1", headers={"X-Api-Key": "other-value"})
        with pytest.raises(ValueError, match="line break"):
            client.get_item(id="1", headers={"X-Bad": "a\r\nInjected: yes"})
        with pytest.raises(ValueError, match="not a header name"):
            client.get_item(id="1", headers={"Bad Name": "x"})
    assert server.seen == [], "nothing is sent"
    # Without the credential, the header is the caller's to send.
    with Recorder(_answer) as server, calls.CallOptionsClient(base_url=server.url, throttle=False) as client:
        client.get_item(id="1", headers={"X-Api-Key": "per-call"})
    assert _header(server.seen[0], "X-Api-Key") == "per-call"


def test_a_parameter_named_like_an_option_is_renamed_and_still_sent(calls: ModuleType) -> None:
    with Recorder(_answer) as server, calls.CallOptionsClient(base_url=server.url, throttle=False) as client:
        client.get_item(id="1", timeout_=5, headers_=True, timeout=10, headers={"X-A": "b"})
    assert server.seen[0].path == "/items/1?timeout=5&headers=true"
    assert _header(server.seen[0], "X-A") == "b"
    warned = (CASES / "calls" / "expected.stderr").read_text("utf-8")
    assert "query parameter 'timeout' of GetItem is Python argument 'timeout_'" in warned
    assert "calls.yaml:22:11" in warned and "calls.yaml:23:11" in warned


def test_pagers_triggers_and_dynamic_values_send_the_calls_headers(calls: ModuleType) -> None:
    with Recorder(_answer) as server, calls.CallOptionsClient(base_url=server.url + "/v1", throttle=False) as client:
        assert [i.id for i in client.iter_list_items(top=1, headers={"X-Page": "p"}, timeout=5)] == ["i1"]
        assert [v.value for v in client.list_tagged_category_values(headers={"X-Page": "d"})] == ["a"]
        assert [i.id for i in client.on_new_items(headers={"X-Page": "t"}).poll()] == ["i1"]
    assert [_header(s, "X-Page") for s in server.seen] == ["p", "d", "t"]

    async def run(url: str) -> list[str]:
        async with calls.AsyncCallOptionsClient(base_url=url + "/v1", throttle=False) as client:
            return [i.id async for i in client.iter_list_items(headers={"X-Page": "async"})]

    with Recorder(_answer) as server:
        assert asyncio.run(run(server.url)) == ["i1"]
    assert _header(server.seen[0], "X-Page") == "async"


# ---------------------------------------------------------------------------------------- timeout


@BOTH
@pytest.mark.parametrize("part", ["headers", "body"])
def test_a_calls_timeout_is_a_deadline_shorter_than_the_clients(calls: ModuleType, asynchronous: bool, part: str) -> None:
    async def acall(url: str) -> Any:
        async with calls.AsyncCallOptionsClient(base_url=url, throttle=False, timeout=30, retry=calls._runtime.RetryPolicy(max_retries=0)) as client:
            return await client.get_item(id="1", timeout=1)

    def call(url: str) -> Any:
        with calls.CallOptionsClient(base_url=url, throttle=False, timeout=30, retry=calls._runtime.RetryPolicy(max_retries=0)) as client:
            return client.get_item(id="1", timeout=1)

    with RawServer(_drip(part)) as server:
        started = time.monotonic()
        with pytest.raises(calls.errors.TransportError) as raised:
            asyncio.run(acall(server.url)) if asynchronous else call(server.url)
        took = time.monotonic() - started
    assert "deadline" in raised.value.message or "Timeout" in raised.value.message
    assert 0.9 < took < 2.5


def test_a_calls_timeout_is_checked(calls: ModuleType) -> None:
    with calls.CallOptionsClient(base_url="http://127.0.0.1:9", throttle=False) as client:
        for bad in (0, -1, float("nan"), True):
            with pytest.raises(ValueError, match="above 0 is expected"):
                client.get_item(id="1", timeout=bad)


# ---------------------------------------------------------------------------------------- http_client


def test_own_http_client_is_used_with_its_hooks_and_headers_and_not_closed(calls: ModuleType) -> None:
    hooked: list[str] = []
    own = httpx.Client(
        headers={"X-Own": "own", "User-Agent": "theirs"},
        base_url="http://ignored.invalid",
        event_hooks={"request": [lambda request: hooked.append(str(request.url))]},
    )
    with Recorder(_answer) as server:
        with calls.CallOptionsClient(base_url=server.url + "/v1", http_client=own, throttle=False) as client:
            item = client.get_item(id="1")
        assert not own.is_closed, "the caller's client is the caller's to close"
        own.get(server.url + "/v1/items/2")  # still usable
    own.close()
    assert item.id == "i1"
    assert hooked == [server.url + "/v1/items/1", server.url + "/v1/items/2"]
    assert _header(server.seen[0], "X-Own") == "own"
    assert _header(server.seen[0], "User-Agent") == "calls-python/1.0 (connectorsmith)", "the client's headers win over its own"
    with pytest.raises(ValueError, match="transport= or http_client=, not both"):
        calls.CallOptionsClient(http_client=httpx.Client(), transport=httpx.MockTransport(lambda r: httpx.Response(200)))


def test_own_async_http_client_is_used_with_its_hooks_and_not_closed(calls: ModuleType) -> None:
    hooked: list[str] = []

    async def hook(request: httpx.Request) -> None:
        hooked.append(request.headers["X-Own"])

    async def run(url: str) -> tuple[Any, bool]:
        own = httpx.AsyncClient(headers={"X-Own": "own"}, event_hooks={"request": [hook]})
        async with calls.AsyncCallOptionsClient(base_url=url + "/v1", http_client=own, throttle=False) as client:
            raw = await client.with_raw_response.get_item(id="1")
        closed = own.is_closed
        await own.aclose()
        return raw, closed

    with Recorder(_answer) as server:
        raw, closed = asyncio.run(run(server.url))
    assert raw.parsed.id == "i1" and raw.status_code == 200
    assert hooked == ["own"] and not closed


@BOTH
def test_own_http_client_keeps_the_deadline(calls: ModuleType, asynchronous: bool) -> None:
    """A server dripping its headers cannot hold a call made through the caller's own client past its timeout."""

    async def acall(url: str) -> Any:
        retry = calls._runtime.RetryPolicy(max_retries=0)
        async with httpx.AsyncClient(timeout=60) as own, calls.AsyncCallOptionsClient(base_url=url, http_client=own, throttle=False, retry=retry) as client:
            return await client.get_item(id="1", timeout=1)

    def call(url: str) -> Any:
        with httpx.Client(timeout=60) as own, calls.CallOptionsClient(base_url=url, http_client=own, throttle=False, retry=calls._runtime.RetryPolicy(max_retries=0)) as client:
            return client.get_item(id="1", timeout=1)

    with RawServer(_drip("headers")) as server:
        started = time.monotonic()
        with pytest.raises(calls.errors.TransportError):
            asyncio.run(acall(server.url)) if asynchronous else call(server.url)
        assert time.monotonic() - started < 2.5


# ---------------------------------------------------------------------------------------- raw responses


@BOTH
def test_raw_response_has_status_headers_url_and_the_parsed_result(calls: ModuleType, asynchronous: bool) -> None:
    models = calls.models

    async def arun(url: str) -> tuple[Any, Any]:
        async with calls.AsyncCallOptionsClient(key="k-secret-value", base_url=url + "/v1", throttle=False) as client:
            got = await client.with_raw_response.get_item(id="1", headers={"X-Call": "raw"})
            made = await client.with_raw_response.create_item(body=models.Item(id="n1", name="New"))
            return got, made

    def run(url: str) -> tuple[Any, Any]:
        with calls.CallOptionsClient(key="k-secret-value", base_url=url + "/v1", throttle=False) as client:
            got = client.with_raw_response.get_item(id="1", headers={"X-Call": "raw"})
            made = client.with_raw_response.create_item(id="n1", name="New")
            return got, made

    with Recorder(_answer) as server:
        got, made = asyncio.run(arun(server.url)) if asynchronous else run(server.url)
    assert isinstance(got, calls.Response) and calls.Response is calls._runtime.Response
    assert isinstance(got.parsed, models.Item) and got.parsed.id == "i1" and got.data is got.parsed
    assert got.status_code == 200 and got.headers["Content-Type"] == "application/json"
    assert got.url == server.url + "/v1/items/1" and got.http_version == "HTTP/1.1"
    assert (made.status_code, made.parsed.id, made.parsed.name) == (201, "n1", "New")
    assert _header(server.seen[0], "X-Call") == "raw"
    assert "k-secret-value" not in repr(got)


def test_raw_response_redacts_a_credential_in_the_url_and_has_no_pagers(calls: ModuleType) -> None:
    with Recorder(_answer) as server, calls.CallOptionsClient(base_url=server.url + "/v1", throttle=False) as client:
        with pytest.raises(TypeError, match="iter_list_items has no raw response"):
            client.with_raw_response.iter_list_items()
        with pytest.raises(AttributeError):
            client.with_raw_response.no_such_method  # noqa: B018
        assert client.get_item(id="1").id == "i1", "the client itself still returns plain results"


# ---------------------------------------------------------------------------------------- deprecation


@BOTH
def test_a_deprecated_operation_warns_at_the_callers_line(calls: ModuleType, asynchronous: bool) -> None:
    async def arun(url: str) -> list[warnings.WarningMessage]:
        async with calls.AsyncCallOptionsClient(base_url=url + "/v1", throttle=False) as client:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                await client.get_item_old(id="1")
                await client.get_item_legacy(id="1")
                await client.with_raw_response.get_item_old(id="1")
                await client.get_item(id="1")
            return caught

    def run(url: str) -> list[warnings.WarningMessage]:
        with calls.CallOptionsClient(base_url=url + "/v1", throttle=False) as client:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                client.get_item_old(id="1")
                client.get_item_legacy(id="1")
                client.with_raw_response.get_item_old(id="1")
                client.get_item(id="1")
            return caught

    with Recorder(_answer) as server:
        caught = asyncio.run(arun(server.url)) if asynchronous else run(server.url)
    assert [w.category for w in caught] == [DeprecationWarning] * 3
    assert [Path(w.filename).name for w in caught] == [Path(__file__).name] * 3, [w.filename for w in caught]
    assert str(caught[0].message) == "get_item_old is deprecated (the connector's document says so)"
    assert str(caught[1].message).endswith("use get_item instead")
    assert caught[0].lineno != caught[1].lineno


def test_deprecated_operations_say_so_in_docstrings_and_docs(calls: ModuleType) -> None:
    assert "Deprecated: calling it warns" in (calls.CallOptionsClient.get_item_old.__doc__ or "")
    assert "use ``get_item`` instead" in (calls.CallOptionsClient.get_item_legacy.__doc__ or "")
    assert "Deprecated" not in (calls.CallOptionsClient.get_item.__doc__ or "")
    page = next((CASES / "calls" / "expected" / "calls" / "docs").glob("*.md")).read_text("utf-8")
    # As Microsoft's reference pages mark them; the table of methods says calling one warns.
    assert "### Get an item (old) \\[DEPRECATED\\]" in page
    assert "### Get an item (legacy) \\[DEPRECATED\\]" in page and "This action has been deprecated. Please use [Get an item](#op-getitem) instead." in page
    assert "`client.get_item_old()` (deprecated: warns when called)" in page
    assert "`client.get_item()` |" in page


# ---------------------------------------------------------------------------------------- types


_TYPED_USE = '''
import asyncio
from typing import assert_type

import httpx

from calls import AsyncCallOptionsClient, CallOptionsClient, Response, models


def use(client: CallOptionsClient) -> None:
    assert_type(client.with_raw_response.get_item(id="1", timeout=2.5), Response[models.Item])
    assert_type(client.with_raw_response.create_item(body=models.Item(id="1")), Response[models.Item])
    assert_type(client.with_raw_response.create_item(id="1", headers={"Idempotency-Key": "k"}), Response[models.Item])
    assert_type(client.with_raw_response.get_item(id="1").parsed, models.Item)
    assert_type(client.with_raw_response.get_item(id="1").headers, httpx.Headers)
    assert_type(client.get_item(id="1", timeout=1, headers={"X": "y"}), models.Item)


async def ause(client: AsyncCallOptionsClient) -> None:
    assert_type(await client.with_raw_response.get_item(id="1"), Response[models.Item])
    assert_type(await client.with_raw_response.create_item(body=models.Item(id="1")), Response[models.Item])
    assert_type(await client.with_raw_response.list_tagged(category="a"), Response[list[models.Item]])


CallOptionsClient(http_client=httpx.Client(), headers={"X": "y"}, user_agent="app/1")
AsyncCallOptionsClient(http_client=httpx.AsyncClient())
'''

_TYPED_BAD = '''
import httpx

from calls import CallOptionsClient, models


def use(client: CallOptionsClient) -> None:
    client.get_item(id="1", timeout="soon")
    client.get_item(id="1", headers={"X": 1})
    client.with_raw_response.get_item(id=1)
    client.with_raw_response.iter_list_items()
    CallOptionsClient(http_client=httpx.AsyncClient())
'''


def _mypy(program: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--python-version", "3.11", str(program)],
        cwd=ROOT, capture_output=True, text=True, check=False,
        env={**os.environ, "MYPYPATH": str(CASES / "calls" / "expected" / "calls" / "python")},
    )


@pytest.mark.slow
def test_raw_responses_and_options_type_check_exactly(tmp_path: Path) -> None:
    good, bad = tmp_path / "use_calls.py", tmp_path / "use_calls_bad.py"
    good.write_text(_TYPED_USE, "utf-8")
    bad.write_text(_TYPED_BAD, "utf-8")
    run = _mypy(good)
    assert run.returncode == 0, run.stdout + run.stderr
    run = _mypy(bad)
    lines = sorted(int(line.split(":")[1]) for line in run.stdout.splitlines() if ": error:" in line)
    assert lines == [8, 9, 10, 11, 12], run.stdout


# ---------------------------------------------------------------------------------------- the breaking-change check


def test_a_public_api_that_only_grew_breaks_nobody() -> None:
    before = {
        "method C.get": "(*, id: str, top: int | None = None) -> models.Item",
        "method C.ping": "() -> None",
        "method C.values": "(a=)",
    }
    grown = {
        "method C.get": "(*, id: str, top: int | None = None, expand: str = None, timeout: float | None = None, headers: Mapping[str, str] | None = None) -> models.Item",
        "method C.ping": "(*, timeout: float | None = None, headers: Mapping[str, str] | None = None) -> None",
        "method C.values": "(a=, timeout=, headers=)",
        "method C.new": "() -> None",
    }
    assert breaking_changes(before, grown) == []
    assert breaking_changes(before, {**grown, "method C.get": "(*, id: str, expand: str) -> models.Item"}) == [
        "method C.get changed: (*, id: str, top: int | None = None) -> models.Item -> (*, id: str, expand: str) -> models.Item"
    ]  # top removed, expand required
    assert len(breaking_changes(before, {**grown, "method C.get": "(*, id: int, top: int | None = None) -> models.Item"})) == 1
    assert len(breaking_changes(before, {**grown, "method C.get": "(*, id: str, top: int | None = None) -> models.Other"})) == 1
    assert len(breaking_changes(before, {**grown, "method C.get": "(*, id: str, top: int | None) -> models.Item"})) == 1
    assert len(breaking_changes(before, {**grown, "method C.values": "(timeout=)"})) == 1


def test_regenerating_with_new_optional_arguments_warns_of_no_breaking_change(tmp_path: Path) -> None:
    from .test_cli import _cli

    spec = tmp_path / "pets.yaml"
    original = (CASES / "openapi3" / "openapi3.yaml").read_text("utf-8")
    spec.write_text(original, "utf-8")
    out = tmp_path / "out"
    assert _cli("generate", str(spec), "--out", str(out)).returncode == 0
    # A manifest written before methods had timeout= and headers=: the regeneration only adds them.
    manifest = out / "pets" / ".connectorsmith-manifest.json"
    written = json.loads(manifest.read_text("utf-8"))
    options = ", timeout: float | None = None, headers: Mapping[str, str] | None = None"
    assert any(options in value for value in written["api"].values())
    written["api"] = {key: value.replace(options, "").replace("(*, ) ->", "() ->") for key, value in written["api"].items()}
    manifest.write_text(json.dumps(written), "utf-8")
    run = _cli("generate", str(spec), "--out", str(out))
    assert run.returncode == 0 and "breaking change" not in run.stderr, run.stderr
    grown = original.replace(
        "          schema: {type: integer, format: int32}\n",
        "          schema: {type: integer, format: int32}\n        - name: sort\n          in: query\n          schema: {type: string}\n",
    )
    assert grown != original
    spec.write_text(grown, "utf-8")
    run = _cli("generate", str(spec), "--out", str(out))
    assert run.returncode == 0 and "breaking change" not in run.stderr, run.stderr
    shrunk = grown.replace("        - name: limit\n          in: query\n          schema: {type: integer, format: int32}\n", "")
    assert shrunk != grown
    spec.write_text(shrunk, "utf-8")
    run = _cli("generate", str(spec), "--out", str(out))
    assert "method OpenThreeClient.list_pets changed" in run.stderr, run.stderr


def test_the_generated_readme_shows_the_options_with_the_connectors_names() -> None:
    readme = (CASES / "calls" / "expected" / "calls" / "python" / "README.md").read_text("utf-8")
    section = readme.split("## Per-call options, raw responses", 1)[1].split("\n## ", 1)[0]
    assert "raw = client.with_raw_response.create_item(id=...)  # Response[models.Item]" in section
    assert 'client.create_item(id=..., timeout=5, headers={"X-Request-Id": "r-1"})' in section
    assert "`httpx.AsyncClient` for `AsyncCallOptionsClient`" in section and "`calls-python/1.0`" in section
    assert "`get_item_old()`," in section and "`get_item_legacy()` (use `get_item()`)." in section
    hipchat = (ROOT / "generated" / "hipchat" / "python" / "README.md").read_text("utf-8")
    assert 'with HipChatClient(token="...", headers={"X-Team": "ops"}, user_agent="my-app/1.0") as client:' in hipchat
    assert "Deprecated" not in hipchat.split("## Per-call options", 1)[1].split("\n## ", 1)[0]


def test_repr_of_a_client_whose_constructor_failed_does_not_raise(calls: ModuleType) -> None:
    """Error reporters show a failing constructor's locals, self included: its repr must not raise."""
    for cls in (calls.CallOptionsClient, calls.AsyncCallOptionsClient):
        half_made = object.__new__(cls)
        assert repr(half_made) == f"{cls.__name__}()"
    with calls.CallOptionsClient(key="k-secret-value", base_url="https://api.example.invalid/v1") as client:
        assert repr(client) == "CallOptionsClient(base_url='https://api.example.invalid/v1')"
