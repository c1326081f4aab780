"""Clients generated from the fixture specs, called over real HTTP: the same features for any spec."""

from __future__ import annotations

import asyncio
from typing import Any

from .recorder import Recorder, Seen
from .test_models import fixture_package


def test_keywords_client_sends_every_kind_of_parameter() -> None:
    keywords = fixture_package("keywords")
    with Recorder(lambda seen: (200, {"type": "t", "list": [{"dict": {"str": "s"}}]})) as server:
        client = keywords.KeywordServiceClient(base_url=server.url + "/api", throttle=False)
        result = client.class_(from_="a b/c", import_=3, self_="me", match_=True, x_request_id="rid", page_size=5, field_2fa="x")
        client.close_()
        client.close()
    assert isinstance(result, keywords.models.ListModel)
    assert result.list_[0].dict_.str_ == "s"
    first, second = server.seen
    assert first.method == "GET"
    assert first.path == "/api/class/a%20b%2Fc/3?self=me&match=true&page.size=5&2fa=x"
    assert first.headers["x-request-id"] == "rid"
    assert (second.method, second.path, second.body) == ("POST", "/api/close", None)


def test_shapes_client_encodes_models_and_enums_in_bodies_and_queries() -> None:
    shapes = fixture_package("shapes")
    models = shapes.models

    def answer(seen: Seen) -> tuple[int, Any]:
        if seen.path.startswith("/trees"):
            return 200, seen.body
        if seen.path.startswith("/grid"):
            return 200, {"cells": [[1]]}
        return 200, 42

    with Recorder(answer) as server, shapes.ShapesClient(base_url=server.url, throttle=False) as client:
        leaf = models.TreeNode(name="leaf", colour=models.TreeNodeColour.GREEN)
        tree = client.create_tree(name="root", children=[leaf], attributes={"a": 1})
        grid = client.get_grid(colour=models.GetGridColour.BLUE)
        count = client.get_count()
    assert server.seen[0].body == {"name": "root", "children": [{"name": "leaf", "colour": "green"}], "attributes": {"a": 1}}
    assert tree.children[0].colour is models.TreeNodeColour.GREEN
    assert server.seen[1].path == "/grid?colour=blue"
    assert grid.cells == [[1]]
    assert count == 42


def test_openapi3_client_async() -> None:
    openapi3 = fixture_package("openapi3")

    def answer(seen: Seen) -> tuple[int, Any]:
        if seen.method == "POST":
            return 201, {"id": 1, **seen.body}
        return 200, [{"id": 1, "name": "Rex", "tag": None}, {"id": 2, "name": "Tom", "extra": True}]

    async def scenario(url: str) -> None:
        async with openapi3.AsyncOpenThreeClient(base_url=url + "/v1", throttle=False) as client:
            pets = await client.list_pets(limit=2)
            assert [p.name for p in pets] == ["Rex", "Tom"]
            assert pets[1].additional_properties == {"extra": True}
            created = await client.create_pet(name="Kit", tag=None)
            assert (created.id, created.name) == (1, "Kit")

    with Recorder(answer) as server:
        asyncio.run(scenario(server.url))
    assert server.seen[0].path == "/v1/pets?limit=2"
    assert server.seen[1].body == {"name": "Kit"}, "unset optional body fields are not sent"
