"""The generated HipChat client, driven over real HTTP against the fake server in fake_hipchat.py."""

from __future__ import annotations

import asyncio
import json
import logging
import socket
import time
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest

from .fake_hipchat import TOKEN, FakeHipChat


@pytest.fixture
def fake() -> Iterator[FakeHipChat]:
    server = FakeHipChat(page_size=3).start()
    server.add_room(42, "General")
    server.add_user(7, "Ada Lovelace", "ada@example.com")
    try:
        yield server
    finally:
        server.stop()


def fast_retry(hipchat: ModuleType, **overrides: Any) -> Any:
    return hipchat.RetryPolicy(**{"backoff_base": 0.01, "backoff_cap": 0.05, **overrides})


@pytest.fixture
def client(hipchat: ModuleType, fake: FakeHipChat) -> Iterator[Any]:
    with hipchat.HipChatClient(token=TOKEN, base_url=fake.base_url, retry=fast_retry(hipchat), throttle=False) as c:
        yield c


# ------------------------------------------------------------------ actions


def test_post_message(hipchat: ModuleType, client: Any, fake: FakeHipChat) -> None:
    msg = client.post_message(room_id="42", message='hi "there" \u00e9')
    assert isinstance(msg, hipchat.models.NewMessage)
    assert msg.id and msg.timestamp.startswith("2026-01-01T")
    sent = fake.requests[-1]
    assert (sent.method, sent.raw_path) == ("POST", "/v2/room/42/message")
    assert sent.body == {"message": 'hi "there" \u00e9'}
    assert sent.headers["Authorization"] == f"Bearer {TOKEN}"
    assert sent.headers["Content-Type"] == "application/json"


def test_add_user_then_list_and_get(hipchat: ModuleType, client: Any, fake: FakeHipChat) -> None:
    assert client.add_user_to_room(room_id="42", memberid="7") is None  # 204
    assert fake.requests[-1].method == "PUT"
    users = client.list_room_users(room_id="42")
    assert isinstance(users, hipchat.models.UserList)
    assert [(u.id, u.name, u.mention_name) for u in users.items] == [(7, "Ada Lovelace", "Ada")]
    user = client.get_user_by_id(userid="7")
    assert (user.id, user.email, user.mention_name) == (7, "ada@example.com", "Ada")
    assert user.additional_properties == {"title": "Engineer"}, "unknown fields are kept"


def test_path_parameters_are_percent_encoded(client: Any, fake: FakeHipChat, hipchat: ModuleType) -> None:
    with pytest.raises(hipchat.errors.NotFoundError):
        client.get_user_by_id(userid="a/b?c=d#e")
    assert fake.requests[-1].raw_path == "/v2/user/a%2Fb%3Fc%3Dd%23e"


def test_required_arguments_are_checked(client: Any) -> None:
    with pytest.raises(ValueError, match="argument 'message' is required"):
        client.post_message(room_id="42", message=None)
    with pytest.raises(TypeError):
        client.post_message(room_id="42")


# ------------------------------------------------------------------ errors


def test_wrong_token_is_an_authentication_error_without_the_token(hipchat: ModuleType, fake: FakeHipChat) -> None:
    wrong = "wrong-" + TOKEN
    with hipchat.HipChatClient(token=wrong, base_url=fake.base_url, throttle=False) as client:
        assert wrong not in repr(client) and wrong not in str(client)
        with pytest.raises(hipchat.errors.AuthenticationError) as exc:
            client.get_user_by_id(userid="7")
    err = exc.value
    assert isinstance(err, hipchat.errors.ConnectorError)
    assert (err.status, err.method, err.message) == (401, "GET", "Invalid OAuth session")
    assert err.url == fake.base_url + "/user/7"
    assert wrong not in str(err) and wrong not in repr(err) and wrong not in repr(vars(err))


def test_not_found_carries_the_server_message(hipchat: ModuleType, client: Any) -> None:
    with pytest.raises(hipchat.errors.NotFoundError) as exc:
        client.get_user_by_id(userid="999")
    assert exc.value.status == 404 and exc.value.message == "User not found"
    assert "GET " in str(exc.value) and "/user/999: 404 User not found" in str(exc.value)


def test_server_echoing_the_token_is_redacted(hipchat: ModuleType, client: Any, fake: FakeHipChat) -> None:
    fake.script("/v2/user/7", (400, {}, {"error": {"message": f"bad token {TOKEN}"}}))
    with pytest.raises(hipchat.errors.ClientError) as exc:
        client.get_user_by_id(userid="7")
    assert TOKEN not in str(exc.value) and "bad token ***" in str(exc.value)


def test_429_waits_for_retry_after_then_succeeds(client: Any, fake: FakeHipChat) -> None:
    fake.script("/v2/user/7", (429, {"Retry-After": "0.3"}, {"error": {"message": "slow down"}}))
    start = time.monotonic()
    assert client.get_user_by_id(userid="7").id == 7
    assert time.monotonic() - start >= 0.3
    assert [r.raw_path for r in fake.requests] == ["/v2/user/7", "/v2/user/7"]


def test_429_on_post_is_retried_too(client: Any, fake: FakeHipChat) -> None:
    fake.script("/v2/room/42/message", (429, {"Retry-After": "0"}, None))
    assert client.post_message(room_id="42", message="x").id
    assert len(fake.requests) == 2


def test_rate_limited_after_the_budget(hipchat: ModuleType, fake: FakeHipChat) -> None:
    fake.script("/v2/user/7", *[(429, {"Retry-After": "0"}, {"error": {"message": "slow down"}})] * 3)
    client = hipchat.HipChatClient(token=TOKEN, base_url=fake.base_url, retry=fast_retry(hipchat, max_retries=2), throttle=False)
    with client, pytest.raises(hipchat.errors.RateLimitedError) as exc:
        client.get_user_by_id(userid="7")
    assert exc.value.retry_after == 0 and exc.value.message == "slow down"
    assert len(fake.requests) == 3


def test_retry_after_longer_than_max_wait_is_not_waited_for(hipchat: ModuleType, fake: FakeHipChat) -> None:
    reset = str(int(time.time()) + 3600)
    fake.script("/v2/user/7", (429, {"X-Ratelimit-Reset": reset}, None))
    with hipchat.HipChatClient(token=TOKEN, base_url=fake.base_url, retry=fast_retry(hipchat, max_wait=5), throttle=False) as client:
        start = time.monotonic()
        with pytest.raises(hipchat.errors.RateLimitedError) as exc:
            client.get_user_by_id(userid="7")
    assert time.monotonic() - start < 5
    assert exc.value.retry_after is not None and exc.value.retry_after > 3000


def test_5xx_is_retried_for_get_but_not_for_post(hipchat: ModuleType, client: Any, fake: FakeHipChat) -> None:
    fake.script("/v2/user/7", (500, {}, {"error": {"message": "boom"}}), (503, {"Retry-After": "0"}, None))
    assert client.get_user_by_id(userid="7").id == 7
    assert len(fake.requests) == 3
    fake.script("/v2/room/42/message", (500, {}, {"error": {"message": "boom"}}))
    with pytest.raises(hipchat.errors.ServerError) as exc:
        client.post_message(room_id="42", message="x")
    assert exc.value.status == 500 and exc.value.message == "boom"
    assert len(fake.requests) == 4, "POST is not idempotent: no retry"
    assert fake.state.messages["42"] == []


def test_5xx_after_the_budget(hipchat: ModuleType, client: Any, fake: FakeHipChat) -> None:
    fake.script("/v2/user/7", *[(502, {}, None)] * 4)
    with pytest.raises(hipchat.errors.ServerError):
        client.get_user_by_id(userid="7")
    assert len(fake.requests) == 4  # 1 + 3 retries


def test_transport_errors(hipchat: ModuleType) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    client = hipchat.HipChatClient(token=TOKEN, base_url=f"http://127.0.0.1:{port}/v2", retry=fast_retry(hipchat), throttle=False)
    with client, pytest.raises(hipchat.errors.TransportError) as exc:
        client.get_user_by_id(userid="7")
    assert exc.value.status is None and "ConnectError" in exc.value.message
    assert TOKEN not in str(exc.value)


def test_response_of_the_wrong_type(hipchat: ModuleType, client: Any, fake: FakeHipChat) -> None:
    fake.script("/v2/user/7", (200, {}, {"id": "seven"}))
    with pytest.raises(hipchat.errors.ResponseValidationError) as exc:
        client.get_user_by_id(userid="7")
    assert "response.id: expected integer, got string 'seven'" in str(exc.value)
    fake.script("/v2/user/7", (200, {}, None))
    with pytest.raises(hipchat.errors.ResponseValidationError, match="empty response"):
        client.get_user_by_id(userid="7")


def test_token_never_in_logs(hipchat: ModuleType, client: Any, fake: FakeHipChat, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    fake.script("/v2/user/7", (500, {}, None))
    client.get_user_by_id(userid="7")
    with pytest.raises(hipchat.errors.NotFoundError):
        client.get_user_by_id(userid="8")
    assert any("hipchat" == r.name and "/user/7" in r.getMessage() for r in caplog.records)
    assert all(TOKEN not in r.getMessage() for r in caplog.records)


def test_token_from_the_environment(hipchat: ModuleType, fake: FakeHipChat, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HIPCHAT_TOKEN", TOKEN)
    with hipchat.HipChatClient(base_url=fake.base_url, throttle=False) as client:
        assert client.get_user_by_id(userid="7").id == 7
    monkeypatch.delenv("HIPCHAT_TOKEN")
    with pytest.raises(ValueError, match="HIPCHAT_TOKEN"):
        hipchat.HipChatClient(base_url=fake.base_url)


# ------------------------------------------------------------------ throttling


def test_throttle_sliding_window_with_a_fake_clock(hipchat: ModuleType) -> None:
    now = [0.0]
    throttle = hipchat.Throttle(3, 10.0, clock=lambda: now[0])
    assert [throttle.reserve() for _ in range(3)] == [0.0, 0.0, 0.0]
    assert throttle.reserve() == 10.0  # 4th call waits for the 1st to leave the window
    now[0] = 4.0
    assert throttle.reserve() == 6.0
    now[0] = 25.0
    assert throttle.reserve() == 0.0


def test_default_throttle_is_the_specs_limit(hipchat: ModuleType, fake: FakeHipChat) -> None:
    with hipchat.HipChatClient(token=TOKEN, base_url=fake.base_url) as client:
        assert (client.throttle.calls, client.throttle.period) == (100, 60.0)


def test_throttle_is_shared_by_sync_and_async_clients(hipchat: ModuleType, fake: FakeHipChat) -> None:
    shared = hipchat.Throttle(2, 0.4)
    start = time.monotonic()
    with hipchat.HipChatClient(token=TOKEN, base_url=fake.base_url, throttle=shared) as client:
        client.get_user_by_id(userid="7")
        client.get_user_by_id(userid="7")

    async def third() -> None:
        async with hipchat.AsyncHipChatClient(token=TOKEN, base_url=fake.base_url, throttle=shared) as aclient:
            await aclient.get_user_by_id(userid="7")

    asyncio.run(third())
    assert time.monotonic() - start >= 0.4, "the third call waited for the window"
    assert len(fake.requests) == 3


# ------------------------------------------------------------------ triggers


def test_message_trigger_baseline_new_items_and_resume(hipchat: ModuleType, client: Any, fake: FakeHipChat) -> None:
    fake.post("42", "old one")
    trigger = client.on_new_message(room_id="42")
    assert trigger.cursor is None
    assert trigger.poll() == [], "the first poll sets the baseline"
    saved = json.loads(json.dumps(trigger.cursor))
    assert trigger.poll() == []
    fake.post("42", "one")
    fake.post("42", "two")
    new = trigger.poll()
    assert [m.message for m in new] == ["one", "two"]
    assert all(isinstance(m, hipchat.models.HistoryResponseItem) for m in new)
    assert trigger.poll() == []
    # A new client resuming from the cursor saved before "one" and "two" sees exactly those.
    with hipchat.HipChatClient(token=TOKEN, base_url=fake.base_url, throttle=False) as other:
        resumed = other.on_new_message(room_id="42", cursor=saved)
        assert [m.message for m in resumed.poll()] == ["one", "two"]
        assert resumed.poll() == []


def test_poll_across_more_than_one_page(client: Any, fake: FakeHipChat) -> None:
    trigger = client.on_new_message(room_id="42")
    trigger.poll()
    texts = [f"m{i}" for i in range(8)]  # page size is 3: three pages in one poll
    for text in texts:
        fake.post("42", text)
    assert [m.message for m in trigger.poll()] == texts
    assert trigger.poll() == []
    pages = [r.raw_path for r in fake.requests if "history" in r.raw_path]
    assert "/v2/room/42/history/latest?start-index=6" in pages


def test_items_sharing_an_order_value_are_not_lost_or_repeated(client: Any, fake: FakeHipChat) -> None:
    trigger = client.on_new_message(room_id="42")
    trigger.poll()
    first = fake.post("42", "a")
    trigger_items = trigger.poll()
    twin = dict(first, id="twin", message="b")  # same timestamp, arrives after the poll
    fake.state.messages["42"].append(twin)
    assert [m.message for m in trigger_items] == ["a"]
    assert [m.message for m in trigger.poll()] == ["b"]
    assert trigger.poll() == []


def test_file_trigger_reports_only_messages_with_a_file(hipchat: ModuleType, client: Any, fake: FakeHipChat) -> None:
    trigger = client.on_file_uploaded(room_id="42")
    trigger.poll()
    fake.post("42", "text only")
    fake.post("42", "see file", file={"name": "a.png", "url": "https://x.invalid/a.png", "size": 3})
    new = trigger.poll()
    assert [(m.message, m.file.name) for m in new] == [("see file", "a.png")]


def test_new_room_trigger_and_iteration(hipchat: ModuleType, client: Any, fake: FakeHipChat) -> None:
    trigger = client.on_new_room(poll_interval=0.01)
    assert trigger.poll_interval == 0.01
    assert client.on_new_room().poll_interval == 60.0, "the spec's poll interval"
    assert trigger.poll() == []
    for i in range(5):
        fake.add_room(100 + i, f"room {i}")
    got = []
    for room in trigger:
        got.append(room)
        if len(got) == 5:
            break
    assert [r.id for r in got] == [100, 101, 102, 103, 104]
    assert isinstance(got[0], hipchat.models.RoomListItem)


def test_bad_cursor_is_refused(client: Any) -> None:
    with pytest.raises(ValueError, match="not a trigger cursor"):
        client.on_new_message(room_id="42", cursor={"nonsense": True})


def test_next_link_to_another_origin_is_refused(hipchat: ModuleType, client: Any, fake: FakeHipChat) -> None:
    trigger = client.on_new_room()
    fake.script("/v2/room", (200, {}, {"items": [], "links": {"next": "https://evil.invalid/v2/room?start-index=3"}}))
    with pytest.raises(hipchat.errors.ConnectorError, match="another origin"):
        trigger.poll()
    assert all("evil" not in r.raw_path for r in fake.requests)


# ------------------------------------------------------------------ async


def test_async_client_actions_errors_and_trigger(hipchat: ModuleType, fake: FakeHipChat) -> None:
    async def scenario() -> None:
        async with hipchat.AsyncHipChatClient(token=TOKEN, base_url=fake.base_url, retry=fast_retry(hipchat), throttle=False) as client:
            assert "AsyncHipChatClient(base_url=" in repr(client)
            msg = await client.post_message(room_id="42", message="async hi")
            assert isinstance(msg, hipchat.models.NewMessage)
            assert await client.add_user_to_room(room_id="42", memberid="7") is None
            users = await client.list_room_users(room_id="42")
            assert [u.id for u in users.items] == [7]
            assert (await client.get_user_by_id(userid="7")).email == "ada@example.com"
            with pytest.raises(hipchat.errors.NotFoundError):
                await client.get_user_by_id(userid="404")
            fake.script("/v2/user/7", (429, {"Retry-After": "0.05"}, None), (500, {}, None))
            assert (await client.get_user_by_id(userid="7")).id == 7
            trigger = client.on_new_message(room_id="42", poll_interval=0.01)
            assert await trigger.poll() == []
            for text in ["x", "y", "z", "w"]:
                fake.post("42", text)
            got = []
            async for item in trigger:
                got.append(item.message)
                if len(got) == 4:
                    break
            assert got == ["x", "y", "z", "w"]
            resumed = client.on_new_message(room_id="42", cursor=trigger.cursor)
            fake.post("42", "after")
            assert [m.message for m in await resumed.poll()] == ["after"]

    asyncio.run(scenario())
