"""Typed error bodies, server-sent events and downloads, run against local servers (fixture ``streams``)."""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import socket
import subprocess
import sys
import threading
import time
import tracemalloc
import zlib
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from .conftest import CASES, ROOT
from .test_hardening_client import BOTH, RawServer, Script, _answer
from .test_models import fixture_package

KEY = "s3cr3t-api-key-value"


@pytest.fixture
def streams() -> ModuleType:
    return fixture_package("streams")


def _options(streams: ModuleType, url: str, **extra: Any) -> dict[str, Any]:
    return {"key": KEY, "base_url": url, "throttle": False, "retry": streams._runtime.RetryPolicy(max_retries=0), **extra}


def _call(streams: ModuleType, url: str, asynchronous: bool, operation: str, /, **arguments: Any) -> Any:
    """One call, sync or async: its result, or the package's error it raised."""
    try:
        if asynchronous:

            async def call() -> Any:
                async with streams.AsyncStreamsClient(**_options(streams, url)) as client:
                    return await getattr(client, operation)(**arguments)

            return asyncio.run(call())
        with streams.StreamsClient(**_options(streams, url)) as client:
            return getattr(client, operation)(**arguments)
    except streams.errors.ConnectorError as exc:
        return exc


def _replying(status: int, body: bytes, headers: dict[str, str] | None = None) -> Script:
    return lambda connection, head: connection.sendall(_answer(status, body, headers))


# --------------------------------------------------------------------------- typed error bodies

ERROR = {"code": "missing", "message": "no task t1", "details": ["looked everywhere"]}


@BOTH
@pytest.mark.parametrize(
    ("status", "error"),
    [(404, "NotFoundError"), (422, "ClientError"), (500, "ServerError"), (429, "RateLimitedError")],
    ids=["per-status", "range-4XX", "default", "rate-limited"],
)
def test_an_error_body_is_decoded_as_the_model_declared_for_its_status(streams: ModuleType, asynchronous: bool, status: int, error: str) -> None:
    answer = _replying(status, json.dumps(ERROR).encode(), {"X-Request-Id": "r-1"})
    with RawServer(answer) as server:
        raised = _call(streams, server.url, asynchronous, "get_task", id="t1")
    assert type(raised).__name__ == error, repr(raised)
    assert isinstance(raised.body, streams.models.Error), raised.body
    assert (raised.body.code, raised.body.details) == ("missing", ["looked everywhere"])
    assert raised.status_code == raised.status == status
    assert raised.headers["x-request-id"] == "r-1"  # case-insensitive
    assert raised.message == "no task t1"


@BOTH
@pytest.mark.parametrize(
    ("body", "expected"),
    [(b"gateway fell over", "gateway fell over"), (b'{"message": "no code"}', '{"message": "no code"}'), (b"", None)],
    ids=["not-json", "not-the-model", "empty"],
)
def test_an_undecodable_error_body_is_its_text(streams: ModuleType, asynchronous: bool, body: bytes, expected: str | None) -> None:
    with RawServer(_replying(404, body)) as server:
        raised = _call(streams, server.url, asynchronous, "get_task", id="t1")
    assert isinstance(raised, streams.errors.NotFoundError)
    assert raised.body == expected


@BOTH
def test_an_error_without_a_declared_body_carries_its_text(streams: ModuleType, asynchronous: bool) -> None:
    with RawServer(_replying(409, b"already there", {"Content-Type": "text/plain"})) as server:
        declared_text = _call(streams, server.url, asynchronous, "list_notes")
    with RawServer(_replying(400, b'{"code": "x", "message": "y"}')) as server:
        undeclared = _call(streams, server.url, asynchronous, "list_notes")
    assert isinstance(declared_text, streams.errors.ClientError) and declared_text.body == "already there"
    # list_notes declares no body for 400 (nor a range or default): the JSON stays text.
    assert isinstance(undeclared, streams.errors.ClientError) and undeclared.body == '{"code": "x", "message": "y"}'


@BOTH
def test_a_secret_echoed_in_an_error_is_redacted_from_body_headers_and_message(streams: ModuleType, asynchronous: bool) -> None:
    echoed = {"code": KEY, "message": f"bad key {KEY}", "details": [f"key={KEY}", "fine"]}
    headers = {"X-Echo": f"got {KEY}", "Set-Cookie": "session=abc123", "X-Api-Key": KEY}
    with RawServer(_replying(403, json.dumps(echoed).encode(), headers)) as server:
        raised = _call(streams, server.url, asynchronous, "get_task", id="t1")
    assert isinstance(raised, streams.errors.AuthenticationError)
    assert isinstance(raised.body, streams.models.Error)
    assert (raised.body.code, raised.body.message, raised.body.details) == ("***", "bad key ***", ["key=***", "fine"])
    assert raised.headers["x-echo"] == "got ***" and raised.headers["set-cookie"] == "***" and raised.headers["x-api-key"] == "***"
    assert KEY not in str(raised) and KEY not in repr(raised.body) and KEY not in str(dict(raised.headers))
    with RawServer(_replying(404, f"no such key {KEY}".encode(), {"Content-Type": "text/plain"})) as server:
        text = _call(streams, server.url, asynchronous, "get_task", id="t1")
    assert text.body == "no such key ***"


def test_an_error_body_never_raises_while_raising(streams: ModuleType) -> None:
    """A codec that blows up (here: a body nested deeper than Python recurses) leaves the text."""
    deep = b"[" * 100_000 + b"]" * 100_000
    with RawServer(_replying(404, deep)) as server:
        raised = _call(streams, server.url, False, "get_task", id="t1")
    assert isinstance(raised, streams.errors.NotFoundError) and raised.body == deep.decode()


@BOTH
def test_swagger_2_error_bodies_downloads_and_events(asynchronous: bool) -> None:
    """Swagger 2.0 (as Power Platform connectors write it): a status's model, ``default``'s, ``format: binary``
    under ``produces: [application/pdf]``, and ``produces: [text/event-stream]``."""
    twenty = fixture_package("streams20")
    options = {"token": "Bearer s3cr3t-token", "throttle": False, "retry": twenty._runtime.RetryPolicy(max_retries=0)}
    pdf = b"%PDF-1.7 " + bytes(range(256)) * 100

    posts: list[bytes] = []

    def run(connection: socket.socket, head: bytes) -> None:
        post = b"POST /reports " in head  # after the last request's body, on a kept-alive connection
        if post:
            posts.append(head)
        if post and len(posts) == 1:
            connection.sendall(_answer(400, b'{"field": "title", "reason": "empty"}'))
        elif post:
            connection.sendall(_answer(503, b'{"error": {"code": "busy", "message": "try later"}}'))
        elif b"/content" in head:
            connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/pdf\r\nContent-Length: %d\r\n\r\n%s" % (len(pdf), pdf))
        else:
            _events_server(b"event: progress\ndata: 50%\n\nevent: progress\ndata: 100%\n\n")(connection, head)

    async def calls_async(url: str) -> list[Any]:
        async with twenty.AsyncStreamsTwentyClient(**options, base_url=url) as client:
            results: list[Any] = []
            for title in ("", "bad"):
                try:
                    await client.create_report(title=title)
                except twenty.errors.ConnectorError as exc:
                    results.append(exc)
            results.append(await (await client.get_report_content(id="r1")).read())
            results.append([(e.event, e.data) async for e in await client.watch_report(id="r1")])
            return results

    def calls(url: str) -> list[Any]:
        with twenty.StreamsTwentyClient(**options, base_url=url) as client:
            results: list[Any] = []
            for title in ("", "bad"):
                try:
                    client.create_report(title=title)
                except twenty.errors.ConnectorError as exc:
                    results.append(exc)
            results.append(client.get_report_content(id="r1").read())
            results.append([(e.event, e.data) for e in client.watch_report(id="r1")])
            return results

    with RawServer(run) as server:
        invalid, fault, content, events = asyncio.run(calls_async(server.url)) if asynchronous else calls(server.url)
    assert isinstance(invalid, twenty.errors.ClientError) and isinstance(invalid.body, twenty.models.Invalid)
    assert (invalid.body.field, invalid.body.reason) == ("title", "empty")
    assert isinstance(fault, twenty.errors.ServerError) and isinstance(fault.body, twenty.models.Fault)
    assert fault.body.error is not None and fault.body.error.code == "busy"
    assert content == pdf
    assert events == [("progress", "50%"), ("progress", "100%")]


# --------------------------------------------------------------------------- server-sent events

_SSE_HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"


def _chunk(data: bytes) -> bytes:
    return b"%x\r\n%s\r\n" % (len(data), data)


class Ticker:
    """An endless event stream: one tick event, then waits until the client has it, then a tick every 20 ms
    until the client goes away (``closed``). ``heads``: the requests' heads."""

    def __init__(self) -> None:
        self.first_seen = threading.Event()
        self.heads: list[bytes] = []
        self.sent = 0
        self.late = False

    def script(self, server: list[RawServer]) -> Script:
        def run(connection: socket.socket, head: bytes) -> None:
            self.heads.append(head)
            connection.sendall(_SSE_HEAD + _chunk(b': a comment\r\nretry: 1500\r\nid: 1\r\nevent: tick\r\ndata: {"seq": 1,\r\ndata:  "price": 2.5}\r\n\r\n'))
            if not self.first_seen.wait(5):  # the stream has not ended: the client must have the first event already
                self.late = True
                raise OSError("the first event was not handed over while the stream went on: ending it")
            seq = 2
            try:
                while True:
                    connection.sendall(_chunk(b'id: %d\ndata: {"seq": %d}\n\n' % (seq, seq)))
                    self.sent = seq
                    seq += 1
                    time.sleep(0.02)
            except OSError:
                server[0].closed.set()
                raise

        return run


@BOTH
def test_events_arrive_one_by_one_and_stopping_closes_the_connection(streams: ModuleType, asynchronous: bool) -> None:
    ticker, holder = Ticker(), []
    with RawServer(ticker.script(holder)) as server:
        holder.append(server)
        got: list[Any] = []
        if asynchronous:

            async def follow() -> None:
                async with streams.AsyncStreamsClient(**_options(streams, server.url)) as client, await client.stream_ticks(symbol="X") as stream:
                    async for event in stream:
                        got.append(event)
                        ticker.first_seen.set()
                        if len(got) == 3:
                            break

            asyncio.run(follow())
        else:
            with streams.StreamsClient(**_options(streams, server.url)) as client:
                for event in client.stream_ticks(symbol="X"):
                    got.append(event)
                    ticker.first_seen.set()
                    if len(got) == 3:
                        break
                assert server.closed.wait(3), "the connection stayed open after the caller stopped"
        assert server.closed.wait(3), "the connection stayed open after the caller stopped"
    assert not ticker.late
    first = got[0]
    assert isinstance(first.data, streams.models.Tick) and (first.data.seq, first.data.price) == (1, 2.5)
    assert (first.event, first.id, first.retry) == ("tick", "1", 1500)
    assert [(e.event, e.id, e.data.seq, e.retry) for e in got[1:]] == [("message", "2", 2, 1500), ("message", "3", 3, 1500)]
    assert b"accept: text/event-stream" in ticker.heads[0].lower() and b"symbol=X" in ticker.heads[0]


def _events_server(body: bytes, pieces: int = 1) -> Script:
    """A finite event stream, sent in ``pieces`` chunks (splitting lines, even a CRLF, across them)."""

    def run(connection: socket.socket, head: bytes) -> None:
        connection.sendall(_SSE_HEAD)
        step = max(1, len(body) // pieces)
        for start in range(0, len(body), step):
            connection.sendall(_chunk(body[start : start + step]))
            time.sleep(0.001)
        connection.sendall(b"0\r\n\r\n")

    return run


_LOG = (
    b"\xef\xbb\xbfdata: first line\r\ndata: second line\r\rdata:third\ndata\n\n"  # BOM, CRLF, CR, LF; "data" alone
    b": keep-alive\n\n"  # a comment, then a blank line: nothing dispatched
    b"id: 7\nretry: soon\nevent: note\ndata: with id\nunknown: ignored\n\n"  # a retry that is no number is ignored
    b"id\ndata: id cleared\n\n"
    b"data: never dispatched"  # the stream ends before its blank line
)


@BOTH
@pytest.mark.parametrize("pieces", [1, 7, len(_LOG)], ids=["whole", "pieces", "byte-by-byte"])
def test_event_stream_parsing_follows_the_whatwg_rules(streams: ModuleType, asynchronous: bool, pieces: int) -> None:
    with RawServer(_events_server(_LOG, pieces)) as server:
        if asynchronous:

            async def follow() -> list[Any]:
                async with streams.AsyncStreamsClient(**_options(streams, server.url)) as client:
                    return [e async for e in await client.follow_log()]

            events = asyncio.run(follow())
        else:
            with streams.StreamsClient(**_options(streams, server.url)) as client:
                events = list(client.follow_log())
    assert [(e.event, e.data, e.id, e.retry) for e in events] == [
        ("message", "first line\nsecond line", "", None),
        ("message", "third\n", "", None),
        ("note", "with id", "7", None),
        ("message", "id cleared", "", None),
    ]


@BOTH
def test_event_data_that_does_not_decode_is_a_validation_error(streams: ModuleType, asynchronous: bool) -> None:
    with RawServer(_events_server(b'data: {"seq": "one"}\n\n')) as server:
        if asynchronous:

            async def follow() -> list[Any]:
                async with streams.AsyncStreamsClient(**_options(streams, server.url)) as client:
                    return [e async for e in await client.stream_ticks(symbol="X")]

            run: Callable[[], Any] = lambda: asyncio.run(follow())
        else:

            def run() -> Any:
                with streams.StreamsClient(**_options(streams, server.url)) as client:
                    return list(client.stream_ticks(symbol="X"))

        with pytest.raises(streams.errors.ResponseValidationError, match="an event's data does not decode"):
            run()


def test_a_stream_is_retried_before_its_body_starts_and_errors_as_any_call(streams: ModuleType) -> None:
    attempts: list[int] = []

    def run(connection: socket.socket, head: bytes) -> None:
        attempts.append(1)
        if len(attempts) == 1:
            connection.sendall(_answer(503, b"{}", {"Retry-After": "0"}))
        else:
            _events_server(b"data: ok\n\n")(connection, head)

    with RawServer(run) as server, streams.StreamsClient(key=KEY, base_url=server.url, throttle=False) as client:
        assert [e.data for e in client.follow_log()] == ["ok"]
    assert len(attempts) == 2
    with RawServer(_replying(400, json.dumps(ERROR).encode())) as server:
        raised = _call(streams, server.url, False, "stream_ticks", symbol="X")
    assert isinstance(raised, streams.errors.ClientError) and isinstance(raised.body, streams.models.Error)


@BOTH
def test_a_stream_cut_after_its_body_started_is_a_transport_error_not_retried(streams: ModuleType, asynchronous: bool) -> None:
    heads: list[bytes] = []

    def run(connection: socket.socket, head: bytes) -> None:
        heads.append(head)
        connection.sendall(_SSE_HEAD + _chunk(b"data: one\n\n") + b"5\r\nda")  # then the connection drops
        raise OSError("cut")

    got: list[str] = []
    with RawServer(run) as server:
        options = {**_options(streams, server.url), "retry": streams._runtime.RetryPolicy(max_retries=3, backoff_base=0.01)}
        if asynchronous:

            async def follow() -> None:
                async with streams.AsyncStreamsClient(**options) as client:
                    async for event in await client.follow_log():
                        got.append(event.data)

            run_it: Callable[[], Any] = lambda: asyncio.run(follow())
        else:

            def run_it() -> None:
                with streams.StreamsClient(**options) as client:
                    got.extend(event.data for event in client.follow_log())

        with pytest.raises(streams.errors.TransportError):
            run_it()
    assert got == ["one"] and len(heads) == 1


def test_an_endless_event_is_stopped_at_the_size_cap(streams: ModuleType) -> None:
    def run(connection: socket.socket, head: bytes) -> None:
        connection.sendall(_SSE_HEAD + _chunk(b"data: "))
        for _ in range(200):  # 12.8 MB of one line, never ended
            connection.sendall(_chunk(b"x" * 65536))

    too_large = pytest.raises(streams.errors.ResponseTooLargeError, match="larger than 1000000 bytes")
    with RawServer(run) as server, streams.StreamsClient(**_options(streams, server.url, max_response_bytes=1_000_000)) as client, too_large:
        list(client.follow_log())


# --------------------------------------------------------------------------- downloads

MB = 1 << 20


_WBITS = {"gzip": 31, "deflate": 15, "raw deflate": -15}  # what zlib writes for each Content-Encoding


def _download_server(size: int, *, headers: bytes = b"", encoding: str = "") -> tuple[Script, Any]:
    """A body of ``size`` bytes (made as it is sent, never whole), chunked; its sha256 once sent."""
    digest = hashlib.sha256()

    def run(connection: socket.socket, head: bytes) -> None:
        named = b"Content-Encoding: %s\r\n" % encoding.split()[-1].encode() if encoding else b""
        connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nTransfer-Encoding: chunked\r\n" + named + headers + b"\r\n")
        compressor = zlib.compressobj(1, zlib.DEFLATED, _WBITS.get(encoding, 31))
        for i in range(0, size, MB):
            block = hashlib.sha256(str(i).encode()).digest() * (MB // 32)
            block = block[: min(MB, size - i)]
            digest.update(block)
            data = compressor.compress(block) if encoding else block
            if data:
                connection.sendall(_chunk(data))
        if encoding:
            connection.sendall(_chunk(compressor.flush()))
        connection.sendall(b"0\r\n\r\n")

    return run, digest


@BOTH
def test_a_download_is_saved_a_chunk_at_a_time(streams: ModuleType, asynchronous: bool, tmp_path: Path) -> None:
    """32 MiB to a file: never held whole (peak memory traced well under the body's size)."""
    size = 32 * MB
    script, digest = _download_server(size, headers=b'Content-Disposition: attachment; filename="../report.bin"\r\n')
    target = tmp_path / "out.bin"
    with RawServer(script) as server:
        tracemalloc.start()
        try:
            if asynchronous:

                async def save() -> tuple[int, Any]:
                    options = _options(streams, server.url, max_response_bytes=64 * MB)
                    async with streams.AsyncStreamsClient(**options) as client, await client.download_file(name="report") as download:
                        return await download.save(target), download

                written, download = asyncio.run(save())
            else:
                options = _options(streams, server.url, max_response_bytes=64 * MB)
                with streams.StreamsClient(**options) as client, client.download_file(name="report") as download:
                    written = download.save(str(target))
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    assert written == size == target.stat().st_size
    assert hashlib.sha256(target.read_bytes()).hexdigest() == digest.hexdigest()
    assert peak < 8 * MB, f"peak {peak} bytes traced while saving {size}"
    assert download.filename == "report.bin" and download.content_type == "application/octet-stream"
    assert download.closed


@BOTH
@pytest.mark.parametrize("encoding", ["", "gzip", "deflate", "raw deflate"])
def test_a_download_iterates_in_bounded_chunks(streams: ModuleType, asynchronous: bool, encoding: str) -> None:
    size = 5 * MB + 123
    script, digest = _download_server(size, encoding=encoding)
    with RawServer(script) as server:
        if asynchronous:

            async def chunks() -> list[bytes]:
                async with streams.AsyncStreamsClient(**_options(streams, server.url)) as client:
                    download = await client.download_file(name="x")
                    return [chunk async for chunk in download.aiter_bytes(10_000)]

            got = asyncio.run(chunks())
        else:
            with streams.StreamsClient(**_options(streams, server.url)) as client:
                got = list(client.download_file(name="x").iter_bytes(10_000))
    assert max(map(len, got)) <= 10_000 and len(got) > size // 10_000
    assert hashlib.sha256(b"".join(got)).hexdigest() == digest.hexdigest()


def _bomb() -> bytes:
    """300 MiB of zeros, gzipped (about 300 KB)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    zeros = bytes(MB)
    return b"".join([*(compressor.compress(zeros) for _ in range(300)), compressor.flush()])


BOMB = _bomb()


@BOTH
@pytest.mark.parametrize("operation", ["download_file", "get_task"])
def test_a_gzip_bomb_is_stopped_at_the_cap_without_inflating_it_whole(streams: ModuleType, asynchronous: bool, operation: str, tmp_path: Path) -> None:
    def run(connection: socket.socket, head: bytes) -> None:
        content_type = b"application/octet-stream" if operation == "download_file" else b"application/json"
        connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: %s\r\nContent-Encoding: gzip\r\nContent-Length: %d\r\n\r\n" % (content_type, len(BOMB)) + BOMB)

    target = tmp_path / "bomb.bin"
    cap = 10 * MB
    with RawServer(run) as server:
        tracemalloc.start()
        started = time.monotonic()
        try:
            if asynchronous:

                async def call() -> Any:
                    async with streams.AsyncStreamsClient(**_options(streams, server.url, max_response_bytes=cap)) as client:
                        if operation == "get_task":
                            return await client.get_task(id="t")
                        return await (await client.download_file(name="b")).save(target)

                outcome: Callable[[], Any] = lambda: asyncio.run(call())
            else:

                def outcome() -> Any:
                    with streams.StreamsClient(**_options(streams, server.url, max_response_bytes=cap)) as client:
                        if operation == "get_task":
                            return client.get_task(id="t")
                        return client.download_file(name="b").save(target)

            with pytest.raises(streams.errors.ResponseTooLargeError) as raised:
                outcome()
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    assert raised.value.limit == cap
    assert time.monotonic() - started < 20
    # Never the 300 MiB: a body read whole holds what it read up to the cap (and one piece past it); a
    # download holds a chunk.
    assert peak < (cap + 4 * MB if operation == "get_task" else 4 * MB), peak
    assert not target.exists(), "a failed download left its partial file"


def test_a_download_is_read_once_and_its_cap_can_be_lifted(streams: ModuleType) -> None:
    script, _ = _download_server(3 * MB)
    with RawServer(script) as server, streams.StreamsClient(**_options(streams, server.url, max_response_bytes=MB)) as client:
        download = client.download_file(name="x")
        download.max_bytes = None  # this one file may be larger than the client's cap
        assert len(download.read()) == 3 * MB
        with pytest.raises(RuntimeError, match="read once"):
            download.read()
        with pytest.raises(streams.errors.ResponseTooLargeError):
            client.download_file(name="x").read()


def test_an_undeclared_binary_media_type_is_a_download(streams: ModuleType) -> None:
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 10

    def run(connection: socket.socket, head: bytes) -> None:
        assert b"accept: image/png" in head.lower()
        connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: %d\r\n\r\n%s" % (len(png), png))

    with RawServer(run) as server, streams.StreamsClient(**_options(streams, server.url)) as client, client.get_avatar() as avatar:
        assert avatar.read() == png


# --------------------------------------------------------------------------- types, as mypy sees them

_USE = '''
from typing import assert_type

from streams import AsyncStreamsClient, Download, Event, EventStream, StreamsClient, errors, models
from streams import AsyncDownload, AsyncEventStream


def use(client: StreamsClient) -> None:
    try:
        client.get_task(id="t1")
    except errors.NotFoundError as e:
        assert_type(e.body, models.Error | str | None)
        assert_type(e.status_code, int | None)
        if isinstance(e.body, models.Error):
            assert_type(e.body.details, list[str] | None)
    stream = client.stream_ticks(symbol="X")
    assert_type(stream, EventStream[models.Tick])
    for event in stream:
        assert_type(event, Event[models.Tick])
        assert_type(event.data.seq, int)
        assert_type(event.retry, int | None)
    for line in client.follow_log():
        assert_type(line.data, str)
    with client.download_file(name="a") as download:
        assert_type(download, Download)
        for chunk in download:
            assert_type(chunk, bytes)
        assert_type(download.save("a.bin"), int)


async def use_async(client: AsyncStreamsClient) -> None:
    async with await client.stream_ticks(symbol="X") as stream:
        assert_type(stream, AsyncEventStream[models.Tick])
        async for event in stream:
            assert_type(event.data, models.Tick)
    download = await client.download_file(name="a")
    assert_type(download, AsyncDownload)
    assert_type(await download.save("a.bin"), int)
'''


_USE_TWENTY = '''
from typing import assert_type

from streams20 import StreamsTwentyClient, errors, models


def use(client: StreamsTwentyClient) -> None:
    try:
        client.create_report(title="t")
    except errors.ConnectorError as e:
        assert_type(e.body, models.Invalid | models.Fault | str | None)
'''


@pytest.mark.slow
def test_error_bodies_events_and_downloads_type_check(tmp_path: Path) -> None:
    (tmp_path / "use_streams.py").write_text(_USE, "utf-8")
    (tmp_path / "use_bad.py").write_text(
        "from streams import StreamsClient\n\n\ndef use(client: StreamsClient) -> None:\n"
        "    for event in client.stream_ticks(symbol='X'):\n        event.data.nope\n",
        "utf-8",
    )
    env = {**os.environ, "MYPYPATH": str(CASES / "streams" / "expected" / "streams" / "python")}
    command = [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--python-version", "3.11"]
    good = subprocess.run([*command, str(tmp_path / "use_streams.py")], cwd=ROOT, capture_output=True, text=True, check=False, env=env)
    assert good.returncode == 0, good.stdout + good.stderr
    bad = subprocess.run([*command, str(tmp_path / "use_bad.py")], cwd=ROOT, capture_output=True, text=True, check=False, env=env)
    assert bad.returncode == 1 and '"Tick" has no attribute "nope"' in bad.stdout, bad.stdout
    (tmp_path / "use_twenty.py").write_text(_USE_TWENTY, "utf-8")
    env["MYPYPATH"] = str(CASES / "streams20" / "expected" / "streams20" / "python")
    twenty = subprocess.run([*command, str(tmp_path / "use_twenty.py")], cwd=ROOT, capture_output=True, text=True, check=False, env=env)
    assert twenty.returncode == 0, twenty.stdout + twenty.stderr


def test_the_bomb_is_small_on_the_wire_and_300_mib_inflated() -> None:
    inflater, size = zlib.decompressobj(31), 0
    data = BOMB
    while data:
        size += len(inflater.decompress(data, 8 * MB))
        data = inflater.unconsumed_tail
    assert len(BOMB) < 1_000_000 and size == 300 * MB


# --------------------------------------------------------------------------- the model


_ITEM_SCHEMA = """
openapi: 3.1.0
info: {title: Items, version: "1"}
servers: [{url: "https://x.invalid"}]
paths:
  /described:
    get:
      operationId: described
      responses:
        "200":
          description: Events whose data is JSON text (OpenAPI 3.2 describes the event's fields).
          content:
            text/event-stream:
              itemSchema:
                type: object
                properties:
                  event: {type: string}
                  data:
                    type: string
                    contentMediaType: application/json
                    contentSchema: {type: object, properties: {n: {type: integer}}}
  /plain:
    get:
      operationId: plain
      responses:
        "200":
          description: Events whose data the item schema describes.
          content:
            text/event-stream:
              itemSchema: {type: array, items: {type: integer}}
"""


def test_an_openapi_3_2_item_schema_types_each_events_data(tmp_path: Path) -> None:
    """itemSchema (OpenAPI 3.2) is read where a document has it: the data's contentSchema, else the item schema."""
    from connectorsmith.builder.build import build
    from connectorsmith.document.loader import load
    from connectorsmith.model import Kind

    spec = tmp_path / "items.yaml"
    spec.write_text(_ITEM_SCHEMA, "utf-8")
    connector, _ = build(load(spec), "items")
    described, plain = connector.operation("described"), connector.operation("plain")
    assert described.stream == plain.stream == "events"
    assert described.result_type is not None and described.result_type.kind is Kind.MODEL
    model = next(m for m in connector.models if m.python_name == described.result_type.name)
    assert [(f.wire_name, f.type.kind) for f in model.fields] == [("n", Kind.INTEGER)]
    assert plain.return_annotation_in("models.", asynchronous=True) == "_runtime.AsyncEventStream[list[int]]"
