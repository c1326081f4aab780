"""What a review of the generated client's run-time found, held over real HTTP against local servers, sync and
async: no redirect carries a credential to another host, and the token request carries nothing of the caller's
http_client; token requests are bounded by the call's timeout, shared with the callers that waited for them
(their failure too) and retried on 5xx and 429; a stream with an encoding it cannot decode, or one dropped
unread, gives its connection back; header values are checked before anything is sent; OAuthConfig's repr and
the policies' connection values reveal no credential they need not."""

from __future__ import annotations

import asyncio
import gc
import socket
import threading
import time
from collections.abc import Callable
from types import ModuleType
from typing import Any
from urllib.parse import parse_qsl

import httpx
import pytest

from .recorder import Answer, Recorder, Seen
from .test_hardening_client import BOTH, RawServer
from .test_models import fixture_package

SECRET = "s3cret-client-value"
KEY = "s3cr3t-api-key-value"
TOKEN = {"access_token": "tok-abcdef-123456", "token_type": "Bearer", "expires_in": 3600}


@pytest.fixture(scope="module")
def oauth() -> ModuleType:
    return fixture_package("oauth")


@pytest.fixture(scope="module")
def streams() -> ModuleType:
    return fixture_package("streams")


@pytest.fixture(scope="module")
def calls() -> ModuleType:
    return fixture_package("calls")


def _run(asynchronous: bool, make: Callable[..., Any], call: Callable[[Any], Any], **options: Any) -> Any:
    """``call(client)`` on a client ``make(asynchronous, **options)`` gives: its result, or the error it raised."""
    try:
        if asynchronous:

            async def scenario() -> Any:
                async with make(True, **options) as client:
                    return await call(client)

            return asyncio.run(scenario())
        with make(False, **options) as client:
            return call(client)
    except Exception as exc:  # noqa: BLE001 - the test looks at what was raised
        return exc


def _oauth_client(oauth: ModuleType, api: Recorder, token_url: str) -> Callable[..., Any]:
    def make(asynchronous: bool, **options: Any) -> Any:
        cls = oauth.AsyncOAuthItemsClient if asynchronous else oauth.OAuthItemsClient
        options = {"client_id": "app", "client_secret": SECRET, "throttle": False, **options}
        return cls(base_url=api.url + "/api", token_url=token_url, **options)

    return make


def _token_form(seen: Seen) -> dict[str, str]:
    body = seen.body
    return dict(parse_qsl(body.decode() if isinstance(body, bytes) else ""))


# --------------------------------------------------------------------------- 1: redirects


@BOTH
def test_an_api_redirect_to_another_origin_is_not_followed_even_by_a_following_http_client(streams: ModuleType, asynchronous: bool) -> None:
    with Recorder(lambda seen: (200, {"id": "1", "title": "t"})) as other, Recorder(lambda seen: (302, None, {"Location": other.url.replace("127.0.0.1", "localhost") + "/x"})) as api:

        def make(asynchronous: bool, **options: Any) -> Any:
            own = httpx.AsyncClient(follow_redirects=True) if asynchronous else httpx.Client(follow_redirects=True)
            cls = streams.AsyncStreamsClient if asynchronous else streams.StreamsClient
            return cls(key=KEY, base_url=api.url, throttle=False, http_client=own)

        raised = _run(asynchronous, make, lambda c: c.get_task(id="1"))
    assert other.seen == [], "nothing reached the other origin"
    assert type(raised) is streams.errors.ClientError and raised.status == 302, repr(raised)
    assert [s.headers.get("X-Api-Key") for s in api.seen] == [KEY]


@BOTH
@pytest.mark.parametrize("token_auth", ["client_secret_post", "client_secret_basic"])
def test_a_token_request_redirect_is_not_followed_and_carries_nothing_of_the_http_client(oauth: ModuleType, asynchronous: bool, token_auth: str) -> None:
    corp = "corp-wide-s3cret-header"
    with Recorder(lambda seen: (200, TOKEN)) as other, Recorder(lambda seen: (200, [])) as api, Recorder(lambda seen: (307, None, {"Location": other.url + "/steal"})) as idp:

        def own(asynchronous: bool) -> Any:
            options: dict[str, Any] = {"follow_redirects": True, "headers": {"X-Corp": corp}, "auth": ("proxy-user", "proxy-pa55word")}
            return httpx.AsyncClient(**options) if asynchronous else httpx.Client(**options)

        make = _oauth_client(oauth, api, idp.url + "/oauth/token")
        raised = _run(asynchronous, make, lambda c: c.list_items(), token_auth=token_auth, http_client=own(asynchronous))
    assert other.seen == [], "neither the refresh token nor the client secret reached the other origin"
    assert isinstance(raised, oauth.errors.TokenError) and raised.status == 307, repr(raised)
    assert api.seen == []
    [request] = idp.seen
    assert "X-Corp" not in request.headers, "the http_client's default headers are the API's, not the identity provider's"
    authorization = request.headers.get("Authorization", "")
    if token_auth == "client_secret_post":
        assert authorization == "" and _token_form(request)["client_secret"] == SECRET
    else:
        assert authorization.startswith("Basic ") and "proxy" not in authorization and authorization != httpx.BasicAuth("proxy-user", "proxy-pa55word")._auth_header


@BOTH
def test_the_api_still_gets_the_http_clients_headers(oauth: ModuleType, asynchronous: bool) -> None:
    with Recorder(lambda seen: (200, TOKEN)) as idp, Recorder(lambda seen: (200, [])) as api:
        own = httpx.AsyncClient(headers={"X-Corp": "c"}) if asynchronous else httpx.Client(headers={"X-Corp": "c"})
        result = _run(asynchronous, _oauth_client(oauth, api, idp.url + "/oauth/token"), lambda c: c.list_items(), http_client=own)
    assert result == []
    assert [s.headers.get("X-Corp") for s in api.seen] == ["c"] and "X-Corp" not in idp.seen[0].headers
    assert api.seen[0].headers["Authorization"] == "Bearer " + TOKEN["access_token"]


# --------------------------------------------------------------------------- 2: token requests


def _slow(seconds: float, status: int, body: Any) -> Callable[[Seen], Answer]:
    def answer(seen: Seen) -> Answer:
        if seen.path.startswith("/oauth/token"):
            time.sleep(seconds)
            return status, body
        return 200, []

    return answer


def _three_calls(asynchronous: bool, make: Callable[..., Any], timeout: float) -> list[tuple[float, Any]]:
    """Three concurrent list_items calls (threads, or tasks): each one's seconds and outcome."""
    if asynchronous:

        async def scenario() -> list[tuple[float, Any]]:
            async with make(True) as client:

                async def one() -> tuple[float, Any]:
                    start = time.monotonic()
                    try:
                        return time.monotonic() - start, await client.list_items(timeout=timeout)
                    except Exception as exc:  # noqa: BLE001
                        return time.monotonic() - start, exc

                return list(await asyncio.gather(one(), one(), one()))

        return asyncio.run(scenario())
    results: list[tuple[float, Any]] = []
    with make(False) as client:

        def one() -> None:
            start = time.monotonic()
            try:
                outcome = client.list_items(timeout=timeout)
            except Exception as exc:  # noqa: BLE001
                outcome = exc
            results.append((time.monotonic() - start, outcome))

        threads = [threading.Thread(target=one) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    return results


@BOTH
def test_a_slow_token_endpoint_is_bounded_by_each_calls_timeout(oauth: ModuleType, asynchronous: bool) -> None:
    with Recorder(_slow(2.5, 503, {"error": "temporarily_unavailable"})) as server:
        make = _oauth_client(oauth, server, server.url + "/oauth/token")
        results = _three_calls(asynchronous, lambda a: make(a, timeout=30), 0.5)
    assert len(results) == 3
    for seconds, outcome in results:
        assert isinstance(outcome, oauth.errors.TransportError), repr(outcome)
        assert seconds < 1.5, f"a call with timeout=0.5 took {seconds:.1f} s"
    assert sum(s.path == "/oauth/token" for s in server.seen) == 1


@BOTH
def test_a_failed_token_request_is_shared_with_the_callers_that_waited_for_it(oauth: ModuleType, asynchronous: bool) -> None:
    with Recorder(_slow(0.4, 400, {"error": "invalid_client", "error_description": "who?"})) as server:
        results = _three_calls(asynchronous, _oauth_client(oauth, server, server.url + "/oauth/token"), 10)
    assert [type(outcome).__name__ for _, outcome in results] == ["TokenError"] * 3
    assert {outcome.error for _, outcome in results} == {"invalid_client"}
    assert len({id(outcome) for _, outcome in results}) == 3, "each caller raises its own error object"
    assert [s.path for s in server.seen] == ["/oauth/token"], "one failure, one token request"
    # A later call asks again.
    with Recorder(lambda seen: (200, TOKEN) if seen.path == "/oauth/token" else (200, [])) as server:
        assert _run(asynchronous, _oauth_client(oauth, server, server.url + "/oauth/token"), lambda c: c.list_items()) == []


def _scripted(*token_answers: Answer) -> Callable[[Seen], Answer]:
    answers = list(token_answers)

    def answer(seen: Seen) -> Answer:
        if seen.path == "/oauth/token":
            return answers.pop(0) if len(answers) > 1 else answers[0]
        return 200, []

    return answer


@BOTH
def test_a_5xx_from_the_token_endpoint_is_retried(oauth: ModuleType, asynchronous: bool) -> None:
    with Recorder(_scripted((503, {"error": "temporarily_unavailable"}), (500, None), (200, TOKEN))) as server:
        make = _oauth_client(oauth, server, server.url + "/oauth/token")
        result = _run(asynchronous, make, lambda c: c.list_items(), retry=oauth._runtime.RetryPolicy(backoff_base=0.01))
    assert result == []
    assert [s.path for s in server.seen] == ["/oauth/token"] * 3 + ["/api/items"]
    assert server.seen[-1].headers["Authorization"] == "Bearer " + TOKEN["access_token"]


@BOTH
def test_a_429_from_the_token_endpoint_waits_for_its_retry_after(oauth: ModuleType, asynchronous: bool) -> None:
    with Recorder(_scripted((429, {"error": "slow_down"}, {"Retry-After": "1"}), (200, TOKEN))) as server:
        start = time.monotonic()
        result = _run(asynchronous, _oauth_client(oauth, server, server.url + "/oauth/token"), lambda c: c.list_items())
        elapsed = time.monotonic() - start
    assert result == [] and elapsed >= 0.95
    assert [s.path for s in server.seen] == ["/oauth/token"] * 2 + ["/api/items"]


@BOTH
@pytest.mark.parametrize(("status", "error"), [(503, "ServerError"), (429, "RateLimitedError")])
def test_a_token_endpoint_failing_past_the_retries_is_a_server_error_not_an_authentication_error(oauth: ModuleType, asynchronous: bool, status: int, error: str) -> None:
    with Recorder(_scripted((status, {"error": "temporarily_unavailable"}, {"Retry-After": "0"}))) as server:
        make = _oauth_client(oauth, server, server.url + "/oauth/token")
        raised = _run(asynchronous, make, lambda c: c.list_items(), retry=oauth._runtime.RetryPolicy(max_retries=1, backoff_base=0.01))
    assert type(raised).__name__ == error, repr(raised)
    assert not isinstance(raised, oauth.errors.AuthenticationError)
    assert (raised.method, raised.url) == ("POST", server.url + "/oauth/token") and SECRET not in str(raised)
    assert [s.path for s in server.seen] == ["/oauth/token"] * 2


# --------------------------------------------------------------------------- 5, 6, 7: tokens and credentials kept


def test_oauth_config_repr_shows_no_secret(oauth: ModuleType) -> None:
    config = oauth._runtime.OAuthConfig(client_id="app", client_secret=SECRET, refresh_token="r3fresh-token-value")
    shown = repr(config)
    assert "app" in shown and SECRET not in shown and "r3fresh" not in shown


def _engine(oauth: ModuleType, url: str) -> Any:
    runtime = oauth._runtime
    bearer = runtime.Credential(header="Authorization", query="", value_format="Bearer {value}", kind="bearer", argument="token")
    region = runtime.Credential(header="", query="", value_format="{value}", kind="", argument="region", secret=False)
    return runtime.Engine(
        base_url=url,
        credentials={"oauth": (None, bearer), "region": (runtime.Secret("eu", "region"), region)},
        throttle=None,
        retry=runtime.RetryPolicy(max_retries=0),
        user_agent="test",
        oauth={"oauth": (runtime.OAuthSettings(token_url=url + "/oauth/token"), runtime.OAuthConfig(client_id="app", client_secret=SECRET))},
    )


def test_a_policy_reveals_only_the_connection_values_it_names_and_fetches_no_token(oauth: ModuleType) -> None:
    """An operation whose security sends no OAuth token, with Power Platform policies naming a connection
    parameter and the OAuth one: no token is fetched for the policy, and the request is sent."""
    runtime = oauth._runtime
    policies = (
        runtime.Policy("header", "X-Region", (("connection", "region"),)),
        runtime.Policy("header", "X-Token", (("text", "t:"), ("connection", "oauth"))),
    )
    health = runtime.Operation(name="health", method="GET", path="/health", params=(), result=None, may_be_empty=True, policies=policies, security=((),))
    with Recorder(lambda seen: (200, {"ok": True})) as server:
        engine = _engine(oauth, server.url)
        with httpx.Client() as http:
            result = runtime.SyncSender(engine, http).send(runtime.build_request(health, {}), health)
    assert result == {"ok": True}
    [seen] = server.seen
    assert seen.path == "/health" and seen.headers["X-Region"] == "eu" and seen.headers["X-Token"] == "t:"
    assert "Authorization" not in seen.headers


def test_the_token_sent_is_the_one_recorded_and_a_401_forgets_only_it(oauth: ModuleType) -> None:
    runtime = oauth._runtime
    with Recorder(lambda seen: (200, {"ok": True})) as server:
        engine = _engine(oauth, server.url)
    source = engine.token_sources["oauth"]
    answer = httpx.Response(200, json={"access_token": "newer-token-2", "expires_in": 3600})
    source.accept(engine, answer)
    assert source.fresh() and source.current() == "newer-token-2"
    items = runtime.Operation(name="items", method="GET", path="/items", params=(), result=None, may_be_empty=True)
    sender = runtime.SyncSender(engine, httpx.Client())
    # A call that recorded an older token sends that one, not the one another thread fetched since...
    _, _, headers, _ = sender._prepare([(source, "older-token-1")], runtime.build_request(items, {}), items, None)
    assert headers["Authorization"] == "Bearer older-token-1"
    # ... and its 401 forgets that one only: the newer token stays fresh.
    source.forget("older-token-1")
    assert source.fresh()
    source.forget("newer-token-2")
    assert not source.fresh()
    token, expires = source._state  # one tuple: no reader sees a new expiry with the old token
    assert token == "newer-token-2" and expires < time.monotonic()


# --------------------------------------------------------------------------- 3, 9: connections given back


def _pool_busy(client: Any) -> list[Any]:
    """The connections of a client's pool that are not idle (nor closed)."""
    pool = client._http._transport._pool
    return [c for c in pool.connections if not (c.is_idle() or c.is_closed())]


def _watching(head: bytes, body: bytes, seen: list[bytes], closed: threading.Event) -> Callable[[socket.socket, bytes], None]:
    """A script: answers ``head`` + ``body``, then waits for the client to close the connection."""

    def run(connection: socket.socket, request: bytes) -> None:
        seen.append(request)
        connection.sendall(head + body)
        connection.settimeout(10)
        try:
            while connection.recv(65536):
                pass
        except OSError:
            return
        closed.set()

    return run


BR = b"HTTP/1.1 200 OK\r\nContent-Type: %s\r\nContent-Encoding: br\r\nContent-Length: 9\r\n\r\n"


@BOTH
@pytest.mark.parametrize(("operation", "media"), [("get_avatar", b"image/png"), ("get_task", b"application/json")], ids=["download", "whole"])
def test_an_unsupported_content_encoding_is_a_transport_error_not_retried_and_the_connection_goes_back(streams: ModuleType, asynchronous: bool, operation: str, media: bytes) -> None:
    seen: list[bytes] = []
    closed = threading.Event()
    busy: list[Any] = []
    arguments = {"id": "1"} if operation == "get_task" else {}
    with RawServer(_watching(BR % media, b"\x0b\x02\x80hello\x03", seen, closed)) as server:

        def make(asynchronous: bool) -> Any:
            cls = streams.AsyncStreamsClient if asynchronous else streams.StreamsClient
            return cls(key=KEY, base_url=server.url, throttle=False)

        def call(client: Any) -> Any:
            def after(result: Any) -> Any:
                busy.extend(_pool_busy(client))
                return result

            if asynchronous:

                async def go() -> Any:
                    try:
                        return after(await getattr(client, operation)(**arguments))
                    except Exception as exc:  # noqa: BLE001
                        return after(exc)

                return go()
            try:
                return after(getattr(client, operation)(**arguments))
            except Exception as exc:  # noqa: BLE001
                return after(exc)

        raised = _run(asynchronous, make, call)
        assert closed.wait(3), "the connection stayed open"
    assert type(raised) is streams.errors.TransportError, repr(raised)
    assert "'br'" in str(raised) and KEY not in str(raised)
    assert busy == [], "the pool kept an active connection"
    assert len(seen) == 1, "a body that does not decode is not asked for again"


@pytest.mark.parametrize("operation", ["get_avatar", "stream_ticks"])
def test_a_sync_download_or_stream_dropped_unread_gives_its_connection_back(streams: ModuleType, operation: str) -> None:
    seen: list[bytes] = []
    closed = threading.Event()
    if operation == "get_avatar":
        head = b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: 100000\r\n\r\n"
        body = b"x" * 1000  # the rest never comes
    else:
        head = b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
        body = b"10\r\ndata: {\"seq\": 1}\n\r\n"  # an endless stream, its first event
    with RawServer(_watching(head, body, seen, closed)) as server, streams.StreamsClient(key=KEY, base_url=server.url, throttle=False) as client:
        dropped = client.get_avatar() if operation == "get_avatar" else client.stream_ticks(symbol="X")
        assert _pool_busy(client) != []
        del dropped
        gc.collect()
        assert _pool_busy(client) == [], "the connection is still held"
        assert closed.wait(3)


# --------------------------------------------------------------------------- 8: header values


@BOTH
@pytest.mark.parametrize(
    "arguments",
    [{"x_trace_id": "abc\r\nX-Evil: 1"}, {"x_trace_id": "café-trace"}, {"headers": {"X-Note": "café-note"}}],
    ids=["argument-crlf", "argument-non-ascii", "headers-non-ascii"],
)
def test_a_header_value_that_cannot_be_sent_is_a_value_error_before_anything_is_sent(calls: ModuleType, asynchronous: bool, arguments: dict[str, Any]) -> None:
    with Recorder(lambda seen: (200, {"id": "1"})) as server:

        def make(asynchronous: bool) -> Any:
            cls = calls.AsyncCallOptionsClient if asynchronous else calls.CallOptionsClient
            return cls(key=KEY, base_url=server.url, throttle=False)

        start = time.monotonic()
        raised = _run(asynchronous, make, lambda c: c.get_item(id="1", **arguments))
        elapsed = time.monotonic() - start
    assert type(raised) is ValueError, repr(raised)
    assert server.seen == [] and elapsed < 0.5, "refused before sending, never retried"
    value = next(iter(arguments.get("headers", arguments).values()))
    assert "café" not in str(raised) and "Evil" not in str(raised) and value not in str(raised)
    assert "header" in str(raised)
