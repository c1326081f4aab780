"""OAuth 2 in the generated clients, against authlib's authorization server over real HTTP (tests/oauth_server.py):
client credentials and refresh tokens, expiry, one renewal and replay on a 401, one token request for
concurrent first calls, refusals as errors that carry the server's ``error`` and never a secret."""

from __future__ import annotations

import asyncio
import json
import logging
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from connectorsmith.cli.main import main

from .conftest import SHARED, import_generated
from .oauth_server import TOKEN_PATH, OAuthServer, OAuthService
from .test_models import fixture_package

SECRET = "s3cret-client-value"


@pytest.fixture(scope="module")
def oauth() -> ModuleType:
    return fixture_package("oauth")


def _api(method: str, path: str, body: Any) -> tuple[int, Any]:
    if method == "POST":
        return 201, {"id": "9", **body}
    if method == "PUT" and path.endswith("/content"):
        return 204, None
    if method == "PUT":
        return 200, body
    return 200, [{"id": "1", "name": "one"}]


@pytest.fixture
def service() -> Iterator[OAuthService]:
    yield OAuthService(_api)


@pytest.fixture
def server(service: OAuthService) -> Iterator[OAuthServer]:
    with OAuthServer(service) as running:
        yield running


def _client(oauth: ModuleType, server: OAuthServer, asynchronous: bool = False, **kwargs: Any) -> Any:
    cls = oauth.AsyncOAuthItemsClient if asynchronous else oauth.OAuthItemsClient
    options: dict[str, Any] = {"client_id": "app", "client_secret": SECRET, **kwargs}
    return cls(base_url=server.url + "/api", throttle=False, **options)


def _run(asynchronous: bool, oauth: ModuleType, server: OAuthServer, calls: Any, **kwargs: Any) -> Any:
    """``calls(client)`` with the sync client, or awaited with the async one."""
    if not asynchronous:
        with _client(oauth, server, **kwargs) as client:
            return calls(client)

    async def scenario() -> Any:
        async with _client(oauth, server, True, **kwargs) as client:
            result = calls(client)
            return await result if asyncio.iscoroutine(result) else await asyncio.gather(*result)

    return asyncio.run(scenario())


def _bearers(service: OAuthService) -> list[str]:
    return [auth for _, _, auth in service.api_requests]


@pytest.mark.parametrize("asynchronous", [False, True], ids=["sync", "async"])
def test_client_credentials_token_is_fetched_once_and_sent(oauth: ModuleType, server: OAuthServer, service: OAuthService, asynchronous: bool) -> None:
    async def twice(client: Any) -> list[Any]:
        return [await client.list_items(), await client.list_items()]

    if asynchronous:
        items = _run(True, oauth, server, twice)
    else:
        items = _run(False, oauth, server, lambda c: [c.list_items(), c.list_items()])
    assert [i.name for i in items[1]] == ["one"]
    assert service.token_requests == [{"grant_type": "client_credentials", "scope": "items.read items.write"}]
    issued = next(iter(service.tokens))
    assert _bearers(service) == [f"Bearer {issued}"] * 2


def test_scopes_and_client_secret_post_are_the_callers_choice(oauth: ModuleType, server: OAuthServer, service: OAuthService) -> None:
    _run(False, oauth, server, lambda c: c.list_items(), scopes=["items.read"], token_auth="client_secret_post")
    assert service.token_requests == [{"grant_type": "client_credentials", "scope": "items.read", "client_id": "app"}]


def test_operation_without_security_fetches_no_token(oauth: ModuleType, server: OAuthServer, service: OAuthService) -> None:
    service.api = lambda method, path, body: (200, {"ok": True})
    service.valid = lambda authorization: authorization == ""  # type: ignore[method-assign]
    assert _run(False, oauth, server, lambda c: c.health()).ok is True
    assert service.token_requests == []


@pytest.mark.parametrize("asynchronous", [False, True], ids=["sync", "async"])
def test_a_token_is_renewed_shortly_before_it_expires_not_on_every_call(oauth: ModuleType, server: OAuthServer, service: OAuthService, asynchronous: bool) -> None:
    service.expires_in = 1  # renewed 0.1 s before (a tenth of its lifetime)

    def sync_calls(client: Any) -> None:
        client.list_items()
        client.list_items()
        time.sleep(1.0)
        client.list_items()

    async def async_calls(client: Any) -> None:
        await client.list_items()
        await client.list_items()
        await asyncio.sleep(1.0)
        await client.list_items()

    _run(asynchronous, oauth, server, async_calls if asynchronous else sync_calls)
    assert service.grant_types() == ["client_credentials"] * 2
    first, second, third = _bearers(service)
    assert first == second != third


@pytest.mark.parametrize("asynchronous", [False, True], ids=["sync", "async"])
def test_401_renews_the_token_once_and_replays_an_idempotent_request(oauth: ModuleType, server: OAuthServer, service: OAuthService, asynchronous: bool) -> None:
    def sync_calls(client: Any) -> Any:
        client.list_items()
        service.revoke_access_tokens()
        replaced = client.replace_item(item_id="1", name="new")
        service.revoke_access_tokens()
        client.upload_content(item_id="1", body=b"content")  # a raw body is read whole: sent again
        return replaced

    async def async_calls(client: Any) -> Any:
        await client.list_items()
        service.revoke_access_tokens()
        replaced = await client.replace_item(item_id="1", name="new")
        service.revoke_access_tokens()
        await client.upload_content(item_id="1", body=b"content")
        return replaced

    replaced = _run(asynchronous, oauth, server, async_calls if asynchronous else sync_calls)
    assert replaced.name == "new"
    assert service.grant_types() == ["client_credentials"] * 3
    assert [(m, p) for m, p, _ in service.api_requests] == [("GET", "/api/items")] + [("PUT", "/api/items/1")] * 2 + [("PUT", "/api/items/1/content")] * 2
    bearers = _bearers(service)
    assert bearers[1] != bearers[2] and bearers[3] != bearers[4]


@pytest.mark.parametrize("asynchronous", [False, True], ids=["sync", "async"])
def test_a_second_401_is_an_error_not_a_loop(oauth: ModuleType, server: OAuthServer, service: OAuthService, asynchronous: bool) -> None:
    service.valid = lambda authorization: False  # type: ignore[method-assign]
    with pytest.raises(oauth.errors.AuthenticationError) as caught:
        _run(asynchronous, oauth, server, lambda c: c.list_items())
    assert not isinstance(caught.value, oauth.errors.TokenError)
    assert caught.value.status == 401
    assert len(service.api_requests) == 2, "one replay, no more"
    assert service.grant_types() == ["client_credentials"] * 2


@pytest.mark.parametrize("asynchronous", [False, True], ids=["sync", "async"])
def test_a_post_is_not_replayed_but_its_refused_token_is_not_used_again(oauth: ModuleType, server: OAuthServer, service: OAuthService, asynchronous: bool) -> None:
    def sync_calls(client: Any) -> Any:
        client.list_items()
        service.revoke_access_tokens()
        with pytest.raises(oauth.errors.AuthenticationError):
            client.create_item(name="x")
        return client.list_items()

    async def async_calls(client: Any) -> Any:
        await client.list_items()
        service.revoke_access_tokens()
        with pytest.raises(oauth.errors.AuthenticationError):
            await client.create_item(name="x")
        return await client.list_items()

    _run(asynchronous, oauth, server, async_calls if asynchronous else sync_calls)
    assert [m for m, _, _ in service.api_requests] == ["GET", "POST", "GET"], "the POST was sent once"
    assert service.grant_types() == ["client_credentials"] * 2


def test_a_file_object_body_is_not_replayable(oauth: ModuleType) -> None:
    runtime = oauth._runtime
    assert runtime.replayable("PUT", {"json": {"a": 1}})
    assert runtime.replayable("PUT", {"content": b"bytes"})
    assert not runtime.replayable("POST", {"json": {"a": 1}})
    with open(__file__, "rb") as stream:
        assert not runtime.replayable("PUT", {"files": {"f": ("a.txt", stream, "text/plain")}})
        assert not runtime.replayable("PUT", {"files": [("f", ("a.txt", stream, "text/plain"))]})
    assert runtime.replayable("PUT", {"files": {"f": ("a.txt", b"x", "text/plain")}})


def test_concurrent_first_calls_share_one_token_request_threads(oauth: ModuleType, server: OAuthServer, service: OAuthService) -> None:
    service.delay = 0.3
    results: list[Any] = []
    with _client(oauth, server) as client:
        threads = [threading.Thread(target=lambda: results.append(client.list_items())) for _ in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert len(results) == 6
    assert len(service.token_requests) == 1
    assert len(set(_bearers(service))) == 1


def test_concurrent_first_calls_share_one_token_request_asyncio(oauth: ModuleType, server: OAuthServer, service: OAuthService) -> None:
    service.delay = 0.3
    results = _run(True, oauth, server, lambda c: [c.list_items() for _ in range(6)])
    assert len(results) == 6
    assert len(service.token_requests) == 1
    assert len(set(_bearers(service))) == 1


@pytest.mark.parametrize("asynchronous", [False, True], ids=["sync", "async"])
def test_a_refused_secret_is_a_token_error_that_never_shows_it(oauth: ModuleType, server: OAuthServer, service: OAuthService, asynchronous: bool, caplog: pytest.LogCaptureFixture) -> None:
    wrong = "wr0ng-secret-value"
    caplog.set_level(logging.DEBUG)
    with pytest.raises(oauth.errors.TokenError) as caught:
        _run(asynchronous, oauth, server, lambda c: c.list_items(), client_secret=wrong)
    error = caught.value
    assert isinstance(error, oauth.errors.AuthenticationError)
    assert (error.status, error.error, error.method) == (401, "invalid_client", "POST")
    assert error.url == server.url + TOKEN_PATH
    assert "invalid_client" in str(error)
    assert service.api_requests == [], "no API request without a token"
    shown = " ".join([str(error), repr(error), repr(error.args), error.error_description, caplog.text])
    assert wrong not in shown
    assert "wr0ng" not in shown


def test_the_server_echoing_the_secret_or_a_token_is_redacted(oauth: ModuleType, server: OAuthService, service: OAuthService) -> None:
    def echo(method: str, path: str, body: Any) -> tuple[int, Any]:
        return 400, {"message": "bad request from " + service.api_requests[-1][2] + " with " + SECRET}

    service.api = echo
    with pytest.raises(oauth.errors.ClientError) as caught:
        _run(False, oauth, server, lambda c: c.list_items())
    token = next(iter(service.tokens))
    assert token not in str(caught.value) and SECRET not in str(caught.value)
    assert "***" in str(caught.value)


@pytest.mark.parametrize("asynchronous", [False, True], ids=["sync", "async"])
def test_refresh_token_grant_and_its_rotation(oauth: ModuleType, server: OAuthServer, service: OAuthService, asynchronous: bool) -> None:
    refresh = service.issue_refresh_token()
    service.tokens.clear()

    def sync_calls(client: Any) -> None:
        client.list_items()
        service.revoke_access_tokens()
        client.list_items()  # the new refresh token is used: the first one was revoked when it was used

    async def async_calls(client: Any) -> None:
        await client.list_items()
        service.revoke_access_tokens()
        await client.list_items()

    _run(asynchronous, oauth, server, async_calls if asynchronous else sync_calls, refresh_token=refresh)
    assert service.grant_types() == ["refresh_token"] * 2
    assert service.token_requests[0]["refresh_token"] == refresh
    assert service.token_requests[1]["refresh_token"] != refresh
    assert len(service.api_requests) == 3


def test_credentials_from_environment_variables(oauth: ModuleType, server: OAuthServer, service: OAuthService, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OAUTH_CLIENT_ID", "app")
    monkeypatch.setenv("OAUTH_CLIENT_SECRET", SECRET)
    monkeypatch.setenv("OAUTH_TOKEN_URL", server.url + TOKEN_PATH)
    with oauth.OAuthItemsClient(base_url=server.url + "/api", throttle=False) as client:
        client.list_items()
    assert service.grant_types() == ["client_credentials"]


def test_an_access_token_given_is_used_as_before(oauth: ModuleType, server: OAuthServer, service: OAuthService) -> None:
    refresh = service.issue_refresh_token()
    token = next(t for t in service.tokens)
    with oauth.OAuthItemsClient(lambda: token, client_id="app", client_secret=SECRET, base_url=server.url + "/api", throttle=False) as client:
        client.list_items()
    assert refresh and service.token_requests == []
    assert _bearers(service) == [f"Bearer {token}"]


def test_token_url_must_be_https_unless_local_or_allowed(oauth: ModuleType) -> None:
    with pytest.raises(ValueError, match=r"is not https.*allow_insecure_token_url=True"):
        oauth.OAuthItemsClient(client_id="a", client_secret="b", base_url="http://items.example.invalid/api")
    with pytest.raises(ValueError, match="is not https"):
        oauth.OAuthItemsClient(client_id="a", client_secret="b", token_url="http://user:pw@auth.example.invalid/token")
    client = oauth.OAuthItemsClient(client_id="a", client_secret="b", token_url="http://auth.example.invalid/t", allow_insecure_token_url=True)
    assert client._engine.token_sources["oauth"].url == "http://auth.example.invalid/t"
    # relative to the base URL, as the document writes it
    client = oauth.OAuthItemsClient(client_id="a", client_secret="b")
    assert client._engine.token_sources["oauth"].url == "https://items.example.invalid/oauth/token"
    with pytest.raises(ValueError, match="without a client secret"):
        oauth.OAuthItemsClient(client_id="a")


def test_unknown_token_url_says_how_to_fix(oauth: ModuleType) -> None:
    runtime = oauth._runtime
    with pytest.raises(ValueError, match=r"token: the token URL is not known: pass token_url="):
        runtime.TokenSource(runtime.OAuthSettings(), runtime.OAuthConfig(client_id="a", client_secret="b"), "https://x.invalid", "token")


@pytest.fixture(scope="module")
def office365(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    folder = SHARED / "corpus" / "certified" / "Office 365 Users"
    if not folder.is_dir():
        pytest.skip("the certified corpus is not beside the project")
    out: Path = tmp_path_factory.mktemp("o365")
    assert main(["generate", str(folder), "--out", str(out)]) == 0
    return import_generated(out / "office_365_users" / "python", "office_365_users")


def test_powerplatform_aad_connection_maps_to_azure_ad(office365: ModuleType) -> None:
    client = office365.Office365UsersClient(client_id="app", client_secret=SECRET)
    source = client._engine.token_sources["token"]
    assert source.url == "https://login.microsoftonline.com/common/oauth2/v2.0/token"
    assert source.scopes == ("https://graph.microsoft.com/.default",)
    client = office365.Office365UsersClient(client_id="app", client_secret=SECRET, tenant="contoso.onmicrosoft.com")
    assert client._engine.token_sources["token"].url == "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token"


def test_powerplatform_aad_client_fetches_its_token(office365: ModuleType, server: OAuthServer, service: OAuthService) -> None:
    service.api = lambda method, path, body: (200, {"value": []})

    async def scenario() -> None:
        async with office365.AsyncOffice365UsersClient(client_id="app", client_secret=SECRET, token_url=server.url + TOKEN_PATH, base_url=server.url, throttle=False) as client:
            await client.my_trending_documents()

    with office365.Office365UsersClient(client_id="app", client_secret=SECRET, token_url=server.url + TOKEN_PATH, base_url=server.url, throttle=False) as client:
        client.my_trending_documents()
    asyncio.run(scenario())
    assert service.token_requests == [{"grant_type": "client_credentials", "scope": "https://graph.microsoft.com/.default"}] * 2
    assert all(auth.startswith("Bearer ") for auth in _bearers(service)) and len(service.api_requests) == 2


def test_a_required_oauth_connection_is_met_by_client_credentials(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A Power Platform token parameter the connection requires: an access token, or what fetches one."""
    folder = tmp_path / "required_oauth"
    folder.mkdir()
    ppdemo = Path(__file__).parent / "cases" / "ppdemo" / "ppdemo"
    (folder / "apiDefinition.swagger.json").write_text((ppdemo / "apiDefinition.swagger.json").read_text("utf-8"), "utf-8")
    settings = {"identityProvider": "oauth2", "customParameters": {"tokenUrl": {"value": "https://id.example.invalid/token"}}}
    token = {"type": "oauthSetting", "oAuthSettings": settings, "uiDefinition": {"constraints": {"required": "true"}}}
    (folder / "apiProperties.json").write_text(json.dumps({"properties": {"connectionParameters": {"token": token}}}), "utf-8")
    assert main(["generate", str(folder), "--out", str(tmp_path / "out")]) == 0
    package = import_generated(tmp_path / "out" / "required_oauth" / "python", "required_oauth")
    monkeypatch.delenv("REQUIRED_OAUTH_TOKEN", raising=False)
    with pytest.raises(ValueError, match=r"token is required: pass it \(or set its environment variable\), or client_id= with"):
        package.PPDemoClient()
    client = package.PPDemoClient(client_id="app", client_secret=SECRET)
    assert client._engine.token_sources["token"].url == "https://id.example.invalid/token"
    assert package.PPDemoClient("a-token")._engine.token_sources == {}
