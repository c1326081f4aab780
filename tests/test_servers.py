"""Servers: every server the document names, its URL variables as typed arguments, operations' own servers.

The fixture (tests/cases/servers/servers.yaml) templates a local server as ``http://127.0.0.1:{port}/{version}``:
local servers on different ports stand for different hosts, and a variable picks one.
"""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from connectorsmith.cli.main import main
from connectorsmith.pipeline import generate
from connectorsmith.render.targets import FULL

from .conftest import import_generated
from .recorder import Recorder, Seen
from .test_models import fixture_package

ITEM = {"id": "1"}


def _answer(seen: Seen) -> tuple[int, Any]:
    return 200, ITEM


def _port(recorder: Recorder) -> str:
    return recorder.url.rpartition(":")[2]


def _mock() -> tuple[httpx.MockTransport, list[httpx.Request]]:
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json=ITEM)

    return httpx.MockTransport(handler), sent


def test_variables_pick_the_servers_and_operations_go_to_their_own() -> None:
    servers = fixture_package("servers")
    with Recorder(_answer) as main, Recorder(_answer) as uploads, Recorder(_answer) as reports:
        client = servers.ServersClient("key", port=_port(main), version="v2", upload_port=_port(uploads), report_port=_port(reports), throttle=False)
        assert client.base_url == f"{main.url}/v2"
        assert client.get_item(item_id="a/b").id == "1"
        client.upload(text="hello")
        client.get_report()
        client.get_health()
        client.close()
    first, health = main.seen
    assert (first.method, first.path, first.headers["X-Api-Key"]) == ("GET", "/v2/items/a%2Fb", "key")
    # A relative operation server is resolved against the client's base URL: from the root of its host.
    assert (health.path, health.headers["X-Api-Key"]) == ("/status/health", "key")
    # The upload operation's own server (another origin the document names for it) gets the credential
    # its security asks for; the report's asks for none (security: []) and gets none.
    [upload] = uploads.seen
    assert (upload.method, upload.path, upload.body, upload.headers["X-Api-Key"]) == ("POST", "/files/uploads", {"text": "hello"}, "key")
    [report] = reports.seen
    assert report.path == "/reports/report"
    assert "X-Api-Key" not in report.headers


def test_async_client_goes_to_the_same_servers() -> None:
    servers = fixture_package("servers")

    async def scenario(main: str, uploads: str) -> None:
        async with servers.AsyncServersClient("key", port=main, upload_port=uploads, throttle=False) as client:
            await client.get_item(item_id="x")
            await client.upload(text="t")

    with Recorder(_answer) as main, Recorder(_answer) as uploads:
        asyncio.run(scenario(_port(main), _port(uploads)))
    assert [s.path for s in main.seen] == ["/v1/items/x"]
    assert [(s.path, s.headers["X-Api-Key"]) for s in uploads.seen] == [("/files/uploads", "key")]


def test_base_url_overrides_every_server() -> None:
    servers = fixture_package("servers")
    with Recorder(_answer) as only, servers.ServersClient("key", base_url=only.url + "/mock", upload_port="1", report_port="1", throttle=False) as client:
        client.get_item(item_id="x")
        client.upload(text="t")
        client.get_report()
        client.get_health()
    assert [s.path for s in only.seen] == ["/mock/items/x", "/mock/uploads", "/mock/report", "/mock/health"]


def test_a_server_chosen_by_description_or_index() -> None:
    servers = fixture_package("servers")
    transport, sent = _mock()
    with servers.ServersClient("key", server="Production", region="us", version="v3", transport=transport, throttle=False) as client:
        client.get_item(item_id="x")
    with servers.ServersClient("key", server=2, tenant="acme", transport=transport, throttle=False) as client:
        client.get_item(item_id="y")
    assert [str(r.url) for r in sent] == ["https://us.api.example.invalid/v3/items/x", "https://acme.example.invalid/api/items/y"]
    assert servers.client.SERVERS[1].description == "Production"
    with pytest.raises(ValueError, match="no such server"):
        servers.ServersClient("key", server="Staging")
    with pytest.raises(ValueError, match="no such server"):
        servers.ServersClient("key", server=4)


def test_an_unfilled_variable_is_never_requested() -> None:
    servers = fixture_package("servers")
    transport, sent = _mock()
    with servers.ServersClient("key", server="Your own tenant", transport=transport, throttle=False) as client:
        with pytest.raises(ValueError, match=r"has no value for \{tenant\}: pass tenant="):
            client.get_item(item_id="x")
        with pytest.raises(ValueError, match=r"has no value for \{tenant\}: pass tenant="):
            client.get_health()  # an operation's relative server, resolved against the unfilled one
    # The relative server has no host: nothing is sent there either.
    with servers.ServersClient("key", server=3, transport=transport, throttle=False) as client, pytest.raises(ValueError, match="is not absolute"):
        client.get_item(item_id="x")
    assert sent == []


async def _async_refusal(servers: Any, transport: httpx.AsyncBaseTransport) -> None:
    async with servers.AsyncServersClient("key", server=2, transport=transport, throttle=False) as client:
        await client.get_item(item_id="x")


def test_an_unfilled_variable_is_never_requested_async() -> None:
    servers = fixture_package("servers")
    sent: list[httpx.Request] = []
    transport = httpx.MockTransport(lambda request: sent.append(request) or httpx.Response(200, json=ITEM))
    with pytest.raises(ValueError, match=r"pass tenant="):
        asyncio.run(_async_refusal(servers, transport))
    assert sent == []


@pytest.mark.parametrize("value", ["evil.example/x", "user@evil.example", "a?b", "a#b", "a b", "a%2Fb", ""])
def test_a_host_variable_cannot_change_the_host(value: str) -> None:
    servers = fixture_package("servers")
    transport, sent = _mock()
    with pytest.raises(ValueError, match="tenant="):
        client = servers.ServersClient("key", server=2, tenant=value, transport=transport, throttle=False)
        client.get_item(item_id="x")
    with pytest.raises(ValueError, match="port="):
        servers.ServersClient(port="80/" + value, transport=transport)
    assert sent == []


def test_an_enum_variable_takes_only_its_values() -> None:
    servers = fixture_package("servers")
    with pytest.raises(ValueError, match=r"region='mars'.*'eu', 'us'"):
        servers.ServersClient("key", server="Production", region="mars")
    # version's type is every server's values; the server chosen takes only its own.
    with pytest.raises(ValueError, match=r"version='v3'"):
        servers.ServersClient(version="v3")


_COLLIDING = """
openapi: 3.0.3
info: {title: Colliding, version: "1"}
servers:
  - url: "{scheme}://{server}.example.invalid:{timeout}/{Region}/{region}/{max_response_bytes}"
    description: One
    variables:
      scheme: {default: https, enum: [https, http]}
      server: {default: a}
      timeout: {default: "443"}
      Region: {default: x}
      region: {default: y, enum: [z]}
      max_response_bytes: {default: m}
  - url: https://two.example.invalid/{base_url}
    variables:
      base_url: {default: v1}
security: [{key: []}]
components:
  securitySchemes:
    key: {type: apiKey, in: header, name: X-Key}
paths:
  /things:
    get:
      operationId: listThings
      responses:
        "204": {description: none}
"""


def test_variable_names_are_checked_against_the_constructor(tmp_path: Any) -> None:
    spec = tmp_path / "colliding.yaml"
    spec.write_text(_COLLIDING, "utf-8")
    result = generate(spec)
    assert result.ok, [d.render() for d in result.diagnostics]
    connector = result.connector
    assert connector is not None
    assert connector.server_choice == "server"
    names = {a.wire_name: a.python_name for a in connector.server_arguments}
    # Each name once in the constructor: its own arguments (server=, timeout=, base_url=, ...) and the credential keep theirs.
    assert names == {"scheme": "scheme", "server": "server_", "timeout": "timeout_", "Region": "region", "region": "region_", "max_response_bytes": "max_response_bytes_", "base_url": "base_url_"}
    messages = [d.message for d in result.diagnostics]
    for wire, python in (("server", "server_"), ("timeout", "timeout_"), ("region", "region_"), ("max_response_bytes", "max_response_bytes_"), ("base_url", "base_url_")):
        assert any(f"server variable {wire!r} is constructor argument {python!r}" in m for m in messages), messages
    assert any("default 'y' of server variable 'region' is not one of its enum values" in m for m in messages)
    # The client they make: it fills each variable from its own argument.
    out = tmp_path / "out"
    assert main(["generate", str(spec), "--out", str(out)]) == 0
    colliding = import_generated(out / "colliding" / "python", "colliding")
    transport, sent = _mock()
    with colliding.CollidingClient("k", scheme="http", server_="b", timeout_="8443", region="r1", region_="r2", transport=transport) as client:
        client.list_things()
    with colliding.CollidingClient("k", server=1, base_url_="v2", transport=transport) as client:
        client.list_things()
    assert [str(r.url) for r in sent] == ["http://b.example.invalid:8443/r1/r2/m/things", "https://two.example.invalid/v2/things"]


def test_swagger2_has_no_server_arguments(hipchat: Any) -> None:
    import inspect

    parameters = inspect.signature(hipchat.HipChatClient).parameters
    assert "server" not in parameters and not hasattr(hipchat.client, "SERVERS")


def test_exports_keep_or_report_the_servers() -> None:
    import json

    import yaml

    from .conftest import CASES

    tree = CASES / "servers" / "expected" / "servers"
    source = yaml.safe_load((CASES / "servers" / "servers.yaml").read_text("utf-8"))
    openapi = json.loads((tree / "openapi.json").read_text("utf-8"))
    assert openapi["servers"] == source["servers"]
    assert openapi["paths"]["/report"]["get"]["servers"] == source["paths"]["/report"]["get"]["servers"]
    swagger = json.loads((tree / "powerplatform" / "apiDefinition.swagger.json").read_text("utf-8"))
    assert (swagger["host"], swagger["basePath"], swagger["schemes"]) == ("127.0.0.1:8080", "/v1", ["http"])
    assert "servers" not in json.dumps(swagger["paths"])
    result = generate(CASES / "servers" / "servers.yaml", targets=FULL)
    losses = [d.message for d in result.diagnostics if "Power Platform export" in d.message]
    assert any("servers besides the first" in m and "3 places" in m for m in losses), losses
    assert any("server variables" in m for m in losses) and any("servers of a path or an operation" in m for m in losses)


def test_hostile_server_text_stays_data(tmp_path: Any) -> None:
    import json

    description = 'Two """ lines\n{{ jinja }} `|` </script>'
    spec = tmp_path / "hostile_servers.json"
    spec.write_text(json.dumps({
        "openapi": "3.0.3",
        "info": {"title": "Hostile servers", "version": "1"},
        "servers": [
            {"url": "https://{re\"gion}.example.invalid/{v'}", "description": description,
             "variables": {"re\"gion": {"default": "a", "enum": ["a", 'b"\\'], "description": '"""'}, "v'": {"default": "x y"}}},
            {"url": "https://two.example.invalid", "description": "Two"},
        ],
        "paths": {"/x": {"get": {"operationId": "getX", "responses": {"204": {"description": "none"}}}}},
    }), "utf-8")
    out = tmp_path / "out"
    assert main(["generate", str(spec), "--out", str(out)]) == 0
    package = import_generated(out / "hostile_servers" / "python", "hostile_servers")
    first = package.client.SERVERS[0]
    assert (first.description, first.url) == (description, "https://{re\"gion}.example.invalid/{v'}")
    assert [v.enum for v in first.variables] == [("a", 'b"\\'), ()]
    transport, sent = _mock()
    with package.HostileServersClient(re_gion="a", transport=transport) as client:
        client.get_x()
    assert str(sent[0].url) == "https://a.example.invalid/x%20y/x"
    readme = (out / "hostile_servers" / "python" / "README.md").read_text("utf-8")
    rows = [line for line in readme.splitlines() if line.startswith(("| `0`", "| `1`"))]
    assert len(rows) == 2 and rows[0].count(" | ") == 2, rows  # one row each, the description one cell
    assert "</script>" not in readme


def test_links_from_an_operations_own_server_stay_on_its_origin() -> None:
    """A next link or Location is followed (with credentials) only on the origin its request went to."""
    servers = fixture_package("servers")
    runtime, client_module = servers._runtime, servers.client
    with servers.ServersClient("key", upload_port="9001") as client:
        engine = client._engine
        request = runtime.page_request(engine, client_module._UPLOAD, {}, "/files/uploads?page=2")
        assert engine.prepare(request, client_module._UPLOAD)[0] == "http://127.0.0.1:9001/files/uploads"
        with pytest.raises(servers.errors.ConnectorError, match="another origin"):
            runtime.page_request(engine, client_module._UPLOAD, {}, "http://127.0.0.1:8080/v1/items/x")
        with pytest.raises(servers.errors.ConnectorError, match="another origin"):
            runtime.page_request(engine, client_module._GET_ITEM, {}, "http://127.0.0.1:9001/files/uploads")
