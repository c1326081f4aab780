"""The client generated from the Power Platform fixture connector (tests/cases/ppdemo/ppdemo), over real HTTP:
pagination, the polling protocol, webhooks, file upload and download, policies, internal parameters."""

from __future__ import annotations

import asyncio
import json
from types import ModuleType
from typing import Any

import pytest

from .conftest import CASES, import_generated
from .recorder import Recorder, Seen


@pytest.fixture
def ppdemo() -> ModuleType:
    return import_generated(CASES / "ppdemo" / "expected" / "ppdemo" / "python", "ppdemo")


class Service:
    """Answers like the ppdemo API: two pages of items, a poll that says 202 then 200, a webhook registry."""

    def __init__(self) -> None:
        self.polls = 0
        self.hooks: dict[str, dict[str, Any]] = {}

    def __call__(self, seen: Seen) -> tuple[int, Any]:
        path, _, query = seen.path.partition("?")
        if path == "/v1/items":
            if "page=2" in query:
                return 200, {"value": [{"id": "3", "name": "c"}]}
            return 200, {"value": [{"id": "1", "name": "a"}, {"id": "2", "name": "b"}], "@odata.nextLink": f"{self.url}/v1/items?page=2"}
        if path in ("/v1/items/poll", "/v1/items/poll/next"):
            self.polls += 1
            if self.polls == 1:
                return 202, None
            return 200, [{"id": "9", "name": "new"}]
        if path == "/v1/hooks" and seen.method == "POST":
            self.hooks["h1"] = seen.body
            return 201, {"id": "h1"}
        if path == "/v1/hooks/h1" and seen.method == "DELETE":
            self.hooks.pop("h1")
            return 200, None
        if path == "/v1/folders":
            return 200, {"value": [{"id": "d1", "name": "Documents"}, {"id": "d2", "name": "Drafts"}]}
        if path == "/v1/files":
            return 200, {"id": "f1", "name": "upload"}
        if path == "/v1/files/f1/content":
            return 200, b"\x89PNG\r\n"
        if path.startswith("/v1/things/"):
            return 200, {"id": path.rsplit("/", 1)[1], "name": seen.body.get("name") if seen.body else None}
        return 404, {"message": "no route"}


def _serve(service: Service) -> Recorder:
    server = Recorder(service)
    service.url = server.url  # type: ignore[attr-defined]
    return server


def test_pager_follows_next_links_and_internal_parameters_are_sent(ppdemo: ModuleType) -> None:
    service = Service()
    with _serve(service) as server, ppdemo.PPDemoClient(api_key="k", region="eu", base_url=server.url + "/v1", throttle=False) as client:
        items = list(client.iter_list_items(top=2))
    assert [(i.id, i.name) for i in items] == [("1", "a"), ("2", "b"), ("3", "c")]
    assert isinstance(items[0], ppdemo.models.Item)
    first, second = server.seen
    assert first.path == "/v1/items?api-version=2024-01-01&top=2", "the internal parameter is sent with its default"
    assert second.path == "/v1/items?page=2"
    assert all(s.headers["X-Api-Key"] == "k" and s.headers["X-Region"] == "eu" for s in server.seen), "setheader policy"


def test_internal_parameters_are_not_arguments(ppdemo: ModuleType) -> None:
    import inspect

    assert "api_version" not in inspect.signature(ppdemo.PPDemoClient.list_items).parameters
    # The webhook's notification URL is internal in Power Platform (it fills it in); a client user must give it.
    assert "callback_url" in inspect.signature(ppdemo.PPDemoClient.on_item_webhook).parameters


def test_polling_protocol_trigger(ppdemo: ModuleType) -> None:
    service = Service()
    with _serve(service) as server, ppdemo.PPDemoClient(api_key="k", base_url=server.url + "/v1", throttle=False) as client:
        trigger = client.on_new_items()
        assert trigger.poll() == [], "202: nothing new"
        new = trigger.poll()
        assert [(i.id, i.name) for i in new] == [("9", "new")]
        assert json.loads(json.dumps(trigger.cursor)) == {"v": 1, "trigger": "on_new_items", "location": None}


def test_webhook_subscribe_and_unsubscribe(ppdemo: ModuleType) -> None:
    service = Service()

    with _serve(service) as server, ppdemo.PPDemoClient(api_key="k", base_url=server.url + "/v1", throttle=False) as client:
        subscription = client.on_item_webhook(callback_url="https://me.invalid/hook")
        assert subscription.result.id == "h1"
        assert service.hooks == {"h1": {"callbackUrl": "https://me.invalid/hook"}}
        with pytest.raises(ValueError, match="no Location"):
            subscription.unsubscribe()  # this service gives no Location header


def test_file_upload_is_multipart_and_download_reads_its_bytes(ppdemo: ModuleType) -> None:
    service = Service()
    with _serve(service) as server, ppdemo.PPDemoClient(api_key="k", base_url=server.url + "/v1", throttle=False) as client:
        stored = client.upload_file(file=b"\x00\x01binary", folder_name="docs")
        content = client.download_file(id="f1").read()  # a binary response is a Download, read as it arrives
    assert stored.id == "f1"
    upload = server.seen[0]
    assert upload.headers["Content-Type"].startswith("multipart/form-data")
    assert b'name="file"' in upload.body and b"\x00\x01binary" in upload.body
    assert b'name="folder name"' in upload.body and b"docs" in upload.body
    assert upload.path == "/v1/files?source=connectorsmith", "setqueryparameter policy, scoped to UploadFile (matched without case)"
    assert content == b"\x89PNG\r\n"
    with (
        _serve(service) as server,
        ppdemo.PPDemoClient(api_key="k", base_url=server.url + "/v1", throttle=False) as client,
        pytest.raises(ppdemo.errors.NotFoundError),
    ):
        client.download_file(id="a/b")
    assert server.seen[0].path == "/v1/files/a%252Fb/content", "x-ms-url-encoding: double"


def test_operation_without_id_and_body_id_beside_path_id(ppdemo: ModuleType) -> None:
    service = Service()
    with _serve(service) as server, ppdemo.PPDemoClient(api_key="k", base_url=server.url + "/v1", throttle=False) as client:
        thing = client.put_things_id(id="t1", body_id="other", name="renamed")
    assert (thing.id, thing.name) == ("t1", "renamed")
    assert server.seen[0].body == {"id": "other", "name": "renamed"}


def test_async_pager_and_trigger(ppdemo: ModuleType) -> None:
    service = Service()

    async def scenario(url: str) -> None:
        async with ppdemo.AsyncPPDemoClient(api_key="k", base_url=url + "/v1", throttle=False) as client:
            assert [i.id async for i in client.iter_list_items()] == ["1", "2", "3"]
            trigger = client.on_new_items(poll_interval=0.01)
            assert await trigger.poll() == []
            assert [i.id for i in await trigger.poll()] == ["9"]

    with _serve(service) as server:
        asyncio.run(scenario(server.url))


def test_dynamic_values_helper_asks_the_listing_operation(ppdemo: ModuleType) -> None:
    service = Service()
    with _serve(service) as server, ppdemo.PPDemoClient(api_key="k", base_url=server.url + "/v1", throttle=False) as client:
        values = client.upload_file_folder_name_values()
    assert [(v.value, v.title) for v in values] == [("d1", "Documents"), ("d2", "Drafts")]
    assert server.seen[0].path == "/v1/folders?kind=docs"


def test_generated_readme_shows_pagers_and_value_helpers(ppdemo: ModuleType) -> None:
    readme = (CASES / "ppdemo" / "expected" / "ppdemo" / "python" / "README.md").read_text("utf-8")
    helpers = [name for name in dir(ppdemo.PPDemoClient) if name.startswith("iter_") or name.endswith("_values")]
    assert helpers and all(f"client.{name}(" in readme for name in helpers)
