"""The generated client against hostile input and a misbehaving server: each case failed before its fix."""

from __future__ import annotations

import asyncio
import base64
import dataclasses
import datetime
import gzip
import json
import logging
import socket
import threading
import time
import urllib.parse
import zlib
from collections.abc import Callable
from types import ModuleType
from typing import Any, Self

import pytest

from .conftest import ROOT, import_generated
from .recorder import Recorder, Seen
from .test_models import fixture_package


@pytest.fixture
def hipchat() -> ModuleType:
    return import_generated(ROOT / "generated" / "hipchat" / "python", "hipchat")


def _message(i: int) -> dict[str, Any]:
    return {"id": f"m{i}", "date": f"2024-01-01T00:00:0{i}+00:00", "message": f"hello {i}"}


@pytest.mark.parametrize(("value", "sent"), [("..", "%2E%2E"), (".", "%2E"), ("a/../b", "a%2F..%2Fb"), ("...", "%2E%2E%2E")])
def test_a_path_value_stays_one_segment(hipchat: ModuleType, value: str, sent: str) -> None:
    with Recorder(lambda seen: (204, None)) as server, hipchat.HipChatClient(token="t", base_url=server.url + "/v2", throttle=False) as client:
        client.add_user_to_room(room_id="42", memberid=value)
    assert server.seen[0].path == f"/v2/room/42/member/{sent}"


def test_an_empty_path_value_is_refused(hipchat: ModuleType) -> None:
    client = hipchat.HipChatClient(token="t", base_url="http://127.0.0.1:9", throttle=False)
    with Recorder(lambda seen: (204, None)) as server, pytest.raises(ValueError, match="argument 'memberid' is empty"):
        client.add_user_to_room(room_id="42", memberid="")
    assert server.seen == []


@pytest.mark.parametrize("token", ["abc\n", "a\r\nX-Evil: 1", "a\x00b"])
def test_a_credential_with_control_characters_is_refused_and_never_shown(hipchat: ModuleType, token: str) -> None:
    with pytest.raises(ValueError, match="token contains a line break or another control character") as caught:
        hipchat.HipChatClient(token=token)
    assert token not in str(caught.value)
    client = hipchat.HipChatClient(token=lambda: token, base_url="http://127.0.0.1:9", throttle=False)
    with pytest.raises(ValueError, match="control character") as caught:
        client.get_user_by_id(userid="x")
    assert token not in str(caught.value)


def test_a_query_credential_never_reaches_the_logs(caplog: pytest.LogCaptureFixture) -> None:
    types20 = fixture_package("types20")
    with caplog.at_level(logging.DEBUG), Recorder(lambda seen: (200, {"value": []})) as server:
        types20.TypesTwentyClient(key="s3cr3t-key-value", base_url=server.url + "/v2", throttle=False).x().poll()
    assert "/v2/tasks?key=s3cr3t" in server.seen[0].path  # it was sent...
    assert "HTTP Request" in caplog.text and "s3cr3t" not in caplog.text  # ...and logged redacted
    assert "key=***" in caplog.text


def test_redaction_touches_secrets_only_where_they_stand_as_values() -> None:
    ppdemo = fixture_package("ppdemo")
    runtime = ppdemo._runtime
    engine = ppdemo.PPDemoClient(api_key="h", region="eu", base_url="https://example.invalid/v1")._engine
    engine.credentials["api_key"][0].reveal()
    assert engine.redact("https://example.invalid/eu?k=h HTTPS h") == "https://example.invalid/eu?k=*** HTTPS ***"
    assert runtime.REDACTED == "***"


def _history_server(pages: dict[str, dict[str, Any]]) -> Recorder:
    def answer(seen: Seen) -> tuple[int, Any]:
        return 200, pages.get(seen.path, {"items": []})

    return Recorder(answer)


def test_root_relative_next_links_resolve_against_the_origin(hipchat: ModuleType) -> None:
    first = "/api/room/1/history/latest"
    pages = {
        first: {"items": [_message(1)], "links": {"next": "/api/room/1/history/latest?page=2"}},
        first + "?page=2": {"items": [_message(2)], "links": {}},
    }
    with _history_server(pages) as server, hipchat.HipChatClient(token="t", base_url=server.url + "/api", throttle=False) as client:
        trigger = client.on_new_message(room_id="1")
        trigger.poll()
    assert [s.path for s in server.seen] == [first, first + "?page=2"]


def test_a_relative_next_link_is_refused_with_a_reason(hipchat: ModuleType) -> None:
    pages = {"/v2/room/1/history/latest": {"items": [_message(1)], "links": {"next": "latest?page=2"}}}
    with _history_server(pages) as server, hipchat.HipChatClient(token="t", base_url=server.url + "/v2", throttle=False) as client:
        with pytest.raises(hipchat.errors.ConnectorError, match=r"refusing to follow the relative link 'latest\?page=2': only absolute links"):
            client.on_new_message(room_id="1").poll()
        pages["/v2/room/1/history/latest"]["links"]["next"] = "https://elsewhere.invalid/x"
        with pytest.raises(hipchat.errors.ConnectorError, match=r"another origin \(https://elsewhere.invalid\)"):
            client.on_new_message(room_id="1").poll()


def test_next_link_cycles_are_detected_by_triggers_and_pagers(hipchat: ModuleType) -> None:
    a, b = "/v2/room/1/history/latest?page=a", "/v2/room/1/history/latest?page=b"
    pages = {
        "/v2/room/1/history/latest": {"items": [_message(1)], "links": {"next": a}},
        a: {"items": [_message(2)], "links": {"next": b}},
        b: {"items": [_message(3)], "links": {"next": a}},
    }
    cycle = pytest.raises(hipchat.errors.ConnectorError, match=r"the next link of page 3 leads back to page 2: a cycle")
    with _history_server(pages) as server, hipchat.HipChatClient(token="t", base_url=server.url + "/v2", throttle=False) as client, cycle:
        client.on_new_message(room_id="1").poll()
    assert len(server.seen) == 3
    ppdemo = fixture_package("ppdemo")

    def answer(seen: Seen) -> tuple[int, Any]:
        item = "2" if "again" in seen.path else "1"  # new items, so the link, not a repeated page, is what stops it
        return 200, {"value": [{"id": item, "name": "x"}], "@odata.nextLink": server.url + "/v1/items?again"}

    cycle = pytest.raises(ppdemo.errors.ConnectorError, match="the next link of page 2 leads back to page 2: a cycle")
    with Recorder(answer) as server, ppdemo.PPDemoClient(api_key="k", region="eu", base_url=server.url + "/v1", throttle=False) as client, cycle:
        list(client.iter_list_items())
    assert len(server.seen) == 2


def test_cursors_are_checked_and_tied_to_their_trigger(hipchat: ModuleType) -> None:
    pages = {"/v2/room/1/history/latest": {"items": [_message(1), _message(2)], "links": {}}}
    with _history_server(pages) as server, hipchat.HipChatClient(token="t", base_url=server.url + "/v2", throttle=False) as client:
        trigger = client.on_new_message(room_id="1")
        trigger.poll()
        cursor = trigger.cursor
        assert cursor is not None and cursor["trigger"] == "on_new_message"
        assert client.on_new_message(room_id="1", cursor=cursor).poll() == []
        with pytest.raises(ValueError, match="belongs to the trigger 'on_new_message', not 'on_file_uploaded'"):
            client.on_file_uploaded(room_id="1", cursor=cursor)
        for tampered in ({"v": 1, "order": {"x": 1}, "seen": []}, {"v": 2}, ["v", 1], {"v": 1, "order": 1, "seen": "x"}):
            with pytest.raises(ValueError, match="not a trigger cursor"):
                client.on_new_message(room_id="1", cursor=tampered)
        with pytest.raises(ValueError, match="this cursor does not fit the trigger: its order value 5 is not what 'date' holds"):
            client.on_new_message(room_id="1", cursor={"v": 1, "order": 5, "seen": []}).poll()
        pages["/v2/room/1/history/latest"]["items"] = [_message(1), {"id": "m9", "date": {"when": "now"}}]
        with pytest.raises(hipchat.errors.ResponseValidationError, match="item order field 'date': expected a date-time, got object"):
            client.on_new_message(room_id="1", cursor=cursor).poll()


def test_protocol_trigger_cursors_are_tied_to_their_trigger() -> None:
    ppdemo = fixture_package("ppdemo")
    client = ppdemo.PPDemoClient(api_key="k", region="eu", base_url="http://127.0.0.1:9", throttle=False)
    assert client.on_new_items(cursor={"v": 1, "trigger": "on_new_items", "location": None}).cursor["trigger"] == "on_new_items"
    with pytest.raises(ValueError, match="belongs to the trigger 'on_other', not 'on_new_items'"):
        client.on_new_items(cursor={"v": 1, "trigger": "on_other", "location": "https://x.invalid/"})
    with pytest.raises(ValueError, match="not a trigger cursor"):
        client.on_new_items(cursor={"v": 1, "location": 5})


def test_date_time_order_fields_compare_as_instants(hipchat: ModuleType) -> None:
    # 10:00+02:00 is 08:00Z: older than 09:00Z, though its text sorts after it.
    earlier, later = {"id": "a", "date": "2024-01-01T10:00:00+02:00"}, {"id": "b", "date": "2024-01-01T09:00:00Z"}
    pages = {"/v2/room/1/history/latest": {"items": [later], "links": {}}}
    with _history_server(pages) as server, hipchat.HipChatClient(token="t", base_url=server.url + "/v2", throttle=False) as client:
        trigger = client.on_new_message(room_id="1")
        trigger.poll()
        pages["/v2/room/1/history/latest"]["items"] = [earlier, later]
        assert trigger.poll() == []  # the earlier message is not new
        newest = {"id": "c", "date": "2024-01-01T11:30:00+02:00"}  # 09:30Z
        pages["/v2/room/1/history/latest"]["items"] = [newest, earlier, later]
        assert [m.id for m in trigger.poll()] == ["c"]
    assert trigger.cursor is not None and trigger.cursor["order"] == "2024-01-01T11:30:00+02:00"


# --------------------------------------------------------------------------- a server that misbehaves on the wire

Script = Callable[[socket.socket, bytes], None]  # the connection and the request's head


class RawServer:
    """A local server whose answers are written byte by byte by a script: slow, endless, compressed, echoing."""

    def __init__(self, script: Script) -> None:
        self.script = script
        self.closed = threading.Event()  # set by a script that saw the client close the connection
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.1)
        self.running = True
        self.thread = threading.Thread(target=self._serve, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.listener.getsockname()[:2]
        return f"http://{host}:{port}"

    def _serve(self) -> None:
        while self.running:
            try:
                connection, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=self._handle, args=(connection,), daemon=True).start()

    def _handle(self, connection: socket.socket) -> None:
        with connection:
            try:
                while True:
                    head = b""
                    while b"\r\n\r\n" not in head:
                        data = connection.recv(65536)
                        if not data:
                            return
                        head += data
                    self.script(connection, head)
            except OSError:
                return

    def __enter__(self) -> Self:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.running = False
        self.thread.join()
        self.listener.close()


def _answer(status: int, body: bytes, headers: dict[str, str] | None = None) -> bytes:
    lines = [f"HTTP/1.1 {status} X", f"Content-Length: {len(body)}", "Content-Type: application/json"]
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def _replying(status: int, body: bytes, headers: dict[str, str] | None = None) -> Script:
    return lambda connection, head: connection.sendall(_answer(status, body, headers))


def _no_retries(package: ModuleType) -> Any:
    return package._runtime.RetryPolicy(max_retries=0)


def _hipchat_call(hipchat: ModuleType, url: str, asynchronous: bool, **options: Any) -> Any:
    """get_user_by_id against ``url``, sync or async: its result, or the package's error it raised."""
    options = {"token": TOKEN, "base_url": url, "throttle": False, "retry": _no_retries(hipchat), **options}
    try:
        if asynchronous:

            async def call() -> Any:
                async with hipchat.AsyncHipChatClient(**options) as client:
                    return await client.get_user_by_id(userid="u1")

            return asyncio.run(call())
        with hipchat.HipChatClient(**options) as client:
            return client.get_user_by_id(userid="u1")
    except hipchat.errors.ConnectorError as exc:  # the test looks at which one
        return exc


TOKEN = "s3cr3t-token-value"
BOTH = pytest.mark.parametrize("asynchronous", [False, True], ids=["sync", "async"])


# 13: a body nested deeper than Python recurses is the package's error, never RecursionError.
@BOTH
@pytest.mark.parametrize("status", [200, 404, 500])
def test_a_deeply_nested_body_is_the_packages_own_error(hipchat: ModuleType, asynchronous: bool, status: int) -> None:
    deep = b"[" * 200_000 + b"]" * 200_000
    expected = {200: hipchat.errors.ResponseValidationError, 404: hipchat.errors.NotFoundError, 500: hipchat.errors.ServerError}
    with RawServer(_replying(status, deep)) as server:
        raised = _hipchat_call(hipchat, server.url, asynchronous)
    assert type(raised) is expected[status], repr(raised)
    assert raised.status == status and raised.message
    if status == 200:
        assert "nested too deeply" in raised.message


# 14: timeout is a deadline for the whole request: a server dripping its headers or its body cannot stretch it.
def _drip(part: str) -> Script:
    def script(connection: socket.socket, head: bytes) -> None:
        body = b'{"id": 1, "name": "Ada"}' + b" " * 40
        answer = _answer(200, body)
        split = answer.index(b"\r\n\r\n") + 4
        if part == "body":
            connection.sendall(answer[:split])
            answer = answer[split:]
        for byte in answer:  # a byte every 0.25 s: no read waits long, the whole takes 16 s or more
            connection.sendall(bytes([byte]))
            time.sleep(0.25)

    return script


@BOTH
@pytest.mark.parametrize("part", ["headers", "body"])
def test_timeout_is_a_deadline_a_dripping_server_cannot_stretch(hipchat: ModuleType, asynchronous: bool, part: str) -> None:
    with RawServer(_drip(part)) as server:
        started = time.monotonic()
        raised = _hipchat_call(hipchat, server.url, asynchronous, timeout=1)
        took = time.monotonic() - started
    assert isinstance(raised, hipchat.errors.TransportError), repr(raised)
    assert "deadline" in raised.message or "Timeout" in raised.message
    assert took < 2.5


def test_timeout_and_size_cap_are_checked() -> None:
    ppdemo = fixture_package("ppdemo")
    for bad in ({"timeout": 0}, {"timeout": float("nan")}, {"max_response_bytes": 0}, {"max_response_bytes": 1.5}):
        with pytest.raises(ValueError, match="above 0 is expected"):
            ppdemo.PPDemoClient(api_key="k", region="eu", **bad)


# 15: a credential the server echoes back is redacted from messages and logs, in every form it travels in.
def _echo_authorization(connection: socket.socket, head: bytes) -> None:
    sent = next(line.split(b": ", 1)[1] for line in head.split(b"\r\n") if line.lower().startswith(b"authorization:"))
    text = sent.decode()
    scheme, _, value = text.partition(" ")
    decoded = base64.b64decode(value).decode() if scheme == "Basic" else value
    quoted = urllib.parse.quote(text, safe="")
    message = f"refused {text} ({decoded}); from {quoted}; key%3D{value} token={value}x"
    connection.sendall(_answer(400, json.dumps({"message": message}).encode(), {"X-Echo": text}))


@BOTH
def test_an_echoed_bearer_token_is_redacted_in_every_form(hipchat: ModuleType, asynchronous: bool, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG), RawServer(_echo_authorization) as server:
        raised = _hipchat_call(hipchat, server.url, asynchronous)
    assert isinstance(raised, hipchat.errors.ClientError), repr(raised)
    assert "Bearer%20***" in str(raised) and "key%3D***" in str(raised)
    assert TOKEN not in str(raised) and "s3cr3t" not in str(raised)
    assert "receive_response_headers" in caplog.text  # httpcore logged the headers...
    assert "X-Echo" in caplog.text and "s3cr3t" not in caplog.text  # ...with the echoed token redacted


@BOTH
def test_an_echoed_basic_credential_is_redacted(asynchronous: bool, caplog: pytest.LogCaptureFixture) -> None:
    types20 = fixture_package("types20")
    created = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)
    options = {"login_username": "ada-lovelace", "login_password": "pa55-w0rd-secret", "throttle": False}
    with caplog.at_level(logging.DEBUG), RawServer(_echo_authorization) as server:
        options |= {"base_url": server.url, "retry": _no_retries(types20)}
        try:
            if asynchronous:

                async def call() -> None:
                    async with types20.AsyncTypesTwentyClient(**options) as client:
                        await client.x_policy(id=1, created=created)

                asyncio.run(call())
            else:
                with types20.TypesTwentyClient(**options) as client:
                    client.x_policy(id=1, created=created)
        except types20.errors.ClientError as exc:
            raised = str(exc)
    basic = base64.b64encode(b"ada-lovelace:pa55-w0rd-secret").decode()
    assert "refused Basic ***" in raised
    for leaked in (basic, "pa55-w0rd-secret", "ada-lovelace:", urllib.parse.quote(basic, safe="")):
        assert leaked not in raised
        assert leaked not in caplog.text


# 16: int and float order values are one kind: numbers.
@BOTH
def test_number_order_values_mix_ints_and_floats(asynchronous: bool) -> None:
    types20 = fixture_package("types20")
    runtime = types20._runtime
    policy = dataclasses.replace(types20.client._X_POLICY, order="n", temporal=False, item=types20._serde.ANY)
    pages = [[{"id": 1, "n": 2}], [{"id": 1, "n": 2}, {"id": 2, "n": 2.5}], [{"id": 3, "n": 3}, {"id": 2, "n": 2.5}]]
    with Recorder(lambda seen: (200, {"value": pages[min(len(server.seen), 3) - 1]})) as server:
        options = {"key": "k", "base_url": server.url, "throttle": False}
        if asynchronous:

            async def polls() -> list[list[Any]]:
                async with types20.AsyncTypesTwentyClient(**options) as client:
                    trigger = runtime.AsyncPollingTrigger(lambda url: client._fetch_page(types20.client._X, {}, url), policy, None, None, server.url)
                    return [await trigger.poll() for _ in pages]

            got = asyncio.run(polls())
        else:
            with types20.TypesTwentyClient(**options) as client:
                trigger = runtime.PollingTrigger(lambda url: client._fetch_page(types20.client._X, {}, url), policy, None, None, server.url)
                got = [trigger.poll() for _ in pages]
    assert got == [[], [{"id": 2, "n": 2.5}], [{"id": 3, "n": 3}]]


# 17: a malformed next link is refused with the package's error.
@BOTH
@pytest.mark.parametrize("kind", ["tab in the host", "broken IPv6", "over 64 KiB"])
def test_a_malformed_next_link_is_refused(asynchronous: bool, kind: str) -> None:
    ppdemo = fixture_package("ppdemo")

    def answer(seen: Seen) -> tuple[int, Any]:
        host, port = server.url.removeprefix("http://").split(":")
        link = {
            "tab in the host": f"http://{host}\t:{port}/v1/items?page=2",
            "broken IPv6": f"http://[::1:{port}/v1/items?page=2",
            "over 64 KiB": server.url + "/v1/items?page=" + "2" * 70_000,
        }[kind]
        return 200, {"value": [{"id": "1", "name": "x"}], "@odata.nextLink": link}

    options = {"api_key": "k", "region": "eu", "throttle": False}
    with Recorder(answer) as server, pytest.raises(ppdemo.errors.ConnectorError, match="refusing to follow the malformed link"):
        options["base_url"] = server.url + "/v1"
        if asynchronous:

            async def pages() -> list[Any]:
                async with ppdemo.AsyncPPDemoClient(**options) as client:
                    return [item async for item in client.iter_list_items()]

            asyncio.run(pages())
        else:
            with ppdemo.PPDemoClient(**options) as client:
                list(client.iter_list_items())
    assert len(server.seen) == 1


# 18: a protocol trigger's Retry-After is capped, and a value that is no finite delay is ignored.
@BOTH
@pytest.mark.parametrize(("retry_after", "interval"), [("1e300", 6 * 3600.0), ("999999999", 6 * 3600.0), ("inf", None), ("nan", None), ("-5", None), ("90", 90.0)])
def test_a_protocol_triggers_retry_after_is_capped(asynchronous: bool, retry_after: str, interval: float | None) -> None:
    ppdemo = fixture_package("ppdemo")
    options = {"api_key": "k", "region": "eu", "throttle": False}
    with RawServer(_replying(202, b"", {"Retry-After": retry_after})) as server:
        options["base_url"] = server.url + "/v1"
        if asynchronous:

            async def poll() -> tuple[list[Any], float, float]:
                async with ppdemo.AsyncPPDemoClient(**options) as client:
                    trigger = client.on_new_items()
                    before = trigger.poll_interval
                    return await trigger.poll(), before, trigger.poll_interval

            items, default, after = asyncio.run(poll())
        else:
            with ppdemo.PPDemoClient(**options) as client:
                trigger = client.on_new_items()
                default = trigger.poll_interval
                items, after = trigger.poll(), trigger.poll_interval
    assert items == []
    assert after == (default if interval is None else interval)


# 19: a response's decompressed size is capped while it streams; past the cap the connection is closed.
def _gzip_bomb(server: list[RawServer]) -> Script:
    def script(connection: socket.socket, head: bytes) -> None:
        connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n")
        bomb = gzip.compress(b"[" + b" " * 5_000_000)  # inflates to 5 MB; ~5 KB on the wire; never finished
        connection.sendall(b"%x\r\n%s\r\n" % (len(bomb) - 8, bomb[:-8]))
        connection.settimeout(5)
        try:
            closed = connection.recv(1) == b""
        except TimeoutError:
            closed = False
        if closed:
            server[0].closed.set()
        raise OSError("done")

    return script


@BOTH
def test_a_gzip_bomb_is_stopped_at_the_size_cap(hipchat: ModuleType, asynchronous: bool) -> None:
    holder: list[RawServer] = []
    with RawServer(_gzip_bomb(holder)) as server:
        holder.append(server)
        started = time.monotonic()
        raised = _hipchat_call(hipchat, server.url, asynchronous, max_response_bytes=1_000_000)
        assert server.closed.wait(3), "the client did not close the connection"
    assert isinstance(raised, hipchat.errors.ResponseTooLargeError), repr(raised)
    assert raised.limit == 1_000_000 and "max_response_bytes (1000000 bytes" in raised.message
    assert time.monotonic() - started < 3


@BOTH
@pytest.mark.parametrize("encoding", ["gzip", "deflate", "raw deflate"])
def test_compressed_bodies_within_the_cap_decode(hipchat: ModuleType, asynchronous: bool, encoding: str) -> None:
    body = json.dumps({"id": 7, "name": "Ada", "padding": "x" * 5000}).encode()
    compressed = {
        "gzip": gzip.compress(body),
        "deflate": zlib.compress(body),
        "raw deflate": zlib.compress(body)[2:-4],
    }[encoding]
    name = "gzip" if encoding == "gzip" else "deflate"
    with RawServer(_replying(200, compressed, {"Content-Encoding": name})) as server:
        user = _hipchat_call(hipchat, server.url, asynchronous, max_response_bytes=len(body))
        too_large = _hipchat_call(hipchat, server.url, asynchronous, max_response_bytes=len(body) - 1)
    assert not isinstance(user, Exception), repr(user)
    assert user.id == 7 and user.name == "Ada"
    assert isinstance(too_large, hipchat.errors.ResponseTooLargeError)
