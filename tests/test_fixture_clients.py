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
            created = await client.create_pet(name="Kit")
            assert (created.id, created.name) == (1, "Kit")
            await client.create_pet(name="Kit", tag=None)

    with Recorder(answer) as server:
        asyncio.run(scenario(server.url))
    assert server.seen[0].path == "/v1/pets?limit=2"
    assert server.seen[1].body == {"name": "Kit"}, "optional body fields left out are not sent"
    assert server.seen[2].body == {"name": "Kit", "tag": None}, "None is null where the field may be null"


def test_untidy_names_client_sends_the_documents_names() -> None:
    """Names the document writes apart and Python would not (untidy_names.yaml): each argument reaches the
    wire under its own name; a path key's query string is always sent; unnamed operations are callable."""
    import inspect
    from urllib.parse import parse_qsl, urlsplit

    untidy = fixture_package("untidy_names")
    models = untidy.models

    def answer(seen: Seen) -> tuple[int, Any]:
        path = urlsplit(seen.path).path
        if path.endswith("/tasks"):
            return 200, ["t"]
        if path.startswith("/v1/projects") or path == "/v1/events":
            return 200, 7
        if path == "/v1/search":
            return 200, {"hits": 3}
        if path == "/v1/responses":
            return 200, "r"
        return 204, None

    with Recorder(answer) as server, untidy.UntidyNamesClient(base_url=server.url + "/v1", throttle=False) as client:
        assert client.get_users_user_id_tasks(user_id="u 1") == ["t"]
        assert client.get_projects() == 7 and client.get_projects2() == 7
        client.get_user(id="a")
        client.get_user2(id="b")
        client.list_events(start_time="=", start_time_lt="lt", start_time_gt="gt", start_time_lte="lte", start_time_gte="gte", x_trace="q", header_x_trace="h")
        client.get_segment(segment_id="s", query_segment_id=5)
        client.create_response(model="m")
        client.create_beta_response(model="m")
        found = client.search(models_="m", httpx_="x", self_="s", arguments_="a", result_="r", response_="p", data_="d", cursor_="c", poll_interval_="i")
        client.create_note(text="t")
        client.create_note(body=models.Note(text="whole", pinned=True))
    assert found == models.SearchResult(hits=3)
    seen = [(s.method, urlsplit(s.path).path, parse_qsl(urlsplit(s.path).query)) for s in server.seen]
    assert seen[:5] == [
        ("GET", "/v1/users/u%201/tasks", []),  # get_users_user_id_tasks: GET /users/{user_id}/tasks
        ("GET", "/v1/projects/search", []),  # get_projects: the operationId getProjects keeps its name
        ("GET", "/v1/projects", []),  # get_projects2: GET /projects, unnamed
        ("GET", "/v1/users/a", []),
        ("GET", "/v1/users/b/again", []),
    ]
    assert seen[5] == ("GET", "/v1/events", [("StartTime", "="), ("StartTime<", "lt"), ("StartTime>", "gt"), ("StartTime<=", "lte"), ("StartTime>=", "gte"), ("x_trace", "q")])
    assert server.seen[5].headers["X-Trace"] == "h"
    assert seen[6] == ("GET", "/v1/segments/s", [("segment_id", "5")])
    assert seen[7] == ("POST", "/v1/responses", [("model", "m")])
    assert seen[8] == ("POST", "/v1/responses", [("beta", "true"), ("mode", "fast"), ("model", "m")])
    assert "mode" not in inspect.signature(untidy.UntidyNamesClient.create_beta_response).parameters, "the path key fixes it"
    names = ["models", "httpx", "self", "arguments", "result", "response", "data", "cursor", "poll_interval"]
    assert seen[9] == ("GET", "/v1/search", [(name, value) for name, value in zip(names, "mxsarpdci")])
    assert [s.body for s in server.seen[10:]] == [{"text": "t"}, {"text": "whole", "pinned": True}]


def test_untidy_names_pager_and_trigger_of_unnamed_operations() -> None:
    """What hangs off an operation's name (its pager, its trigger) works with the name derived from its path."""
    untidy = fixture_package("untidy_names")
    feed = [[{"id": 1}], [{"id": 1}, {"id": 2}]]

    def answer(seen: Seen) -> tuple[int, Any]:
        if seen.path == "/v1/users/u/notes":
            return 200, {"value": [{"text": "a"}], "next": "/v1/users/u/notes?page=2"}
        if seen.path == "/v1/users/u/notes?page=2":
            return 200, {"value": [{"text": "b"}]}
        return 200, {"value": feed.pop(0)}

    with Recorder(answer) as server, untidy.UntidyNamesClient(base_url=server.url + "/v1", throttle=False) as client:
        notes = [note.text for note in client.iter_get_users_user_id_notes(user_id="u")]
        trigger = client.get_feed()
        assert trigger.poll() == []  # the baseline
        assert [item.id for item in trigger.poll()] == [2]
    assert notes == ["a", "b"]
    assert [s.path for s in server.seen] == ["/v1/users/u/notes", "/v1/users/u/notes?page=2", "/v1/feed", "/v1/feed"]


def test_untidy_names_models_keep_the_wire_names() -> None:
    models = fixture_package("untidy_names").models
    wire = {"prefs_background": "plain", "prefs/background": "slash", "fooBar": "camel", "foo_bar": "snake"}
    prefs = models.Prefs.from_dict(wire)
    assert (prefs.prefs_background, prefs.prefs_slash_background, prefs.foo_bar, prefs.foo_bar2) == ("plain", "slash", "camel", "snake")
    assert prefs.to_dict() == wire
    assert models.UnderscoreMetadata.from_dict({"source": "s"}).source == "s"
    assert models.Metadata.from_dict({"created": "c"}).created == "c"
    assert models.UserList2.from_dict({"a": "x"}).to_dict() == {"a": "x"}
