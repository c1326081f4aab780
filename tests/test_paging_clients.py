"""Pagers of every style (tests/cases/paging/paging.yaml), called over real HTTP, sync and async: each
follows the pages the way its service pages, stops where the service says the list ends, and stops with an
error where a service would otherwise keep a pager going forever."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from types import ModuleType
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from .recorder import Answer, Recorder, Seen
from .test_hardening_client import BOTH
from .test_models import fixture_package


@pytest.fixture(scope="module")
def paging() -> ModuleType:
    return fixture_package("paging")


def _items(*ids: str) -> list[dict[str, str]]:
    return [{"id": i, "name": f"n{i}"} for i in ids]


def _query(seen: Seen) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(seen.path).query).items()}


def _collect(paging: ModuleType, url: str, asynchronous: bool, method: str, **arguments: Any) -> list[str]:
    """The ids a pager yields, to the end."""
    options = {"base_url": url + "/v1", "throttle": False}
    if asynchronous:

        async def run() -> list[str]:
            async with paging.AsyncPagingClient(**options) as client:
                return [item.id async for item in getattr(client, method)(**arguments)]

        return asyncio.run(run())
    with paging.PagingClient(**options) as client:
        return [item.id for item in getattr(client, method)(**arguments)]


def _serve(answer: Callable[[Seen], Answer]) -> Recorder:
    return Recorder(answer)


@BOTH
def test_next_link_in_the_body(paging: ModuleType, asynchronous: bool) -> None:
    def answer(seen: Seen) -> Answer:
        page = int(_query(seen).get("p", "1"))
        more = {"nextLink": f"{server.url}/v1/links?p={page + 1}"} if page < 3 else {}
        return 200, {"value": _items(f"{page}a", f"{page}b"), **more}

    with _serve(answer) as server:
        ids = _collect(paging, server.url, asynchronous, "iter_list_links", top=2)
    assert ids == ["1a", "1b", "2a", "2b", "3a", "3b"]
    assert [s.path for s in server.seen] == ["/v1/links?top=2", "/v1/links?p=2", "/v1/links?p=3"]


@BOTH
def test_link_header_next_is_followed_whatever_its_place_among_the_links(paging: ModuleType, asynchronous: bool) -> None:
    def answer(seen: Seen) -> Answer:
        page = int(_query(seen).get("page", "1"))
        base = f"{server.url}/v1/repos"
        links = [f'<{base}?page=1>; rel="first"', f"<{base}?page=3>; rel=last"]
        if page < 3:
            links.insert(page - 1, f'<{base}?page={page + 1}&per_page=2>; rel="next"')
        return 200, _items(f"r{page}"), {"Link": ", ".join(links)}

    with _serve(answer) as server:
        ids = _collect(paging, server.url, asynchronous, "iter_list_repos", per_page=2)
    assert ids == ["r1", "r2", "r3"]
    assert [s.path for s in server.seen] == ["/v1/repos?per_page=2", "/v1/repos?page=2&per_page=2", "/v1/repos?page=3&per_page=2"]


@BOTH
def test_link_header_parameters_are_read_as_rfc_8288_writes_them(paging: ModuleType, asynchronous: bool) -> None:
    """A rel inside a quoted title is text, a link with an anchor is about another resource, and rel may
    list several relation types."""

    def answer(seen: Seen) -> Answer:
        page = int(_query(seen).get("page", "1"))
        base = f"{server.url}/v1/repos"
        if page == 1:
            link = f'<{base}?page=9>; rel="prev"; title="; rel=next", <{base}?page=8>; anchor="#x"; rel=next, <{base}?page=2>; rel="next last"'
            return 200, _items("r1"), {"Link": link}
        return 200, _items(f"r{page}")

    with _serve(answer) as server:
        ids = _collect(paging, server.url, asynchronous, "iter_list_repos")
    assert ids == ["r1", "r2"]


@BOTH
def test_link_header_to_another_origin_is_refused(paging: ModuleType, asynchronous: bool) -> None:
    def answer(seen: Seen) -> Answer:
        return 200, _items("r1"), {"Link": '<https://elsewhere.example.invalid/v1/repos?page=2>; rel="next"'}

    with _serve(answer) as server, pytest.raises(paging.errors.ConnectorError, match="elsewhere|origin|base URL"):
        _collect(paging, server.url, asynchronous, "iter_list_repos")
    assert len(server.seen) == 1


@BOTH
def test_cursor_one_object_down_is_sent_back_until_it_is_empty(paging: ModuleType, asynchronous: bool) -> None:
    cursors = {None: ("c1", ["a"]), "c1": ("c2", ["b"]), "c2": ("", ["c"])}

    def answer(seen: Seen) -> Answer:
        following, ids = cursors[_query(seen).get("continue")]
        return 200, {"items": _items(*ids), "metadata": {"continue": following, "resourceVersion": "9"}}

    with _serve(answer) as server:
        ids = _collect(paging, server.url, asynchronous, "iter_list_pods", limit=1)
    assert ids == ["a", "b", "c"]
    assert [_query(s) for s in server.seen] == [{"limit": "1"}, {"limit": "1", "continue": "c1"}, {"limit": "1", "continue": "c2"}]


def _until_error(paging: ModuleType, url: str, asynchronous: bool, method: str, **arguments: Any) -> tuple[list[str], str]:
    """The ids a pager yields before it stops with an error, and the error's message."""
    got: list[str] = []
    options = {"base_url": url + "/v1", "throttle": False}
    try:
        if asynchronous:

            async def run() -> None:
                async with paging.AsyncPagingClient(**options) as client:
                    async for item in getattr(client, method)(**arguments):
                        got.append(item.id)

            asyncio.run(run())
        else:
            with paging.PagingClient(**options) as client:
                got.extend(item.id for item in getattr(client, method)(**arguments))
    except paging.errors.ConnectorError as exc:
        return got, str(exc)
    raise AssertionError(f"no error; yielded {got}")


@BOTH
def test_a_cursor_given_twice_is_a_cycle_not_an_endless_pager(paging: ModuleType, asynchronous: bool) -> None:
    cursors = {None: ("c1", "a"), "c1": ("c2", "b"), "c2": ("c1", "c")}

    def answer(seen: Seen) -> Answer:
        following, item = cursors[_query(seen).get("continue")]
        return 200, {"items": _items(item), "metadata": {"continue": following}}

    with _serve(answer) as server:
        got, message = _until_error(paging, server.url, asynchronous, "iter_list_pods")
    assert got == ["a", "b", "c"] and "page 3 gives the cursor page 2 was asked for with: a cycle" in message
    assert len(server.seen) == 3


@BOTH
def test_the_calls_own_cursor_given_back_is_a_cycle_at_once(paging: ModuleType, asynchronous: bool) -> None:
    def answer(seen: Seen) -> Answer:
        return 200, {"items": _items("a"), "metadata": {"continue": "mine"}}

    with _serve(answer) as server:
        got, message = _until_error(paging, server.url, asynchronous, "iter_list_pods", continue_="mine")
    assert got == ["a"] and "page 1 gives the cursor page 1 was asked for with" in message
    assert len(server.seen) == 1


@BOTH
def test_a_page_that_repeats_the_last_is_an_error_before_any_item_is_yielded_twice(paging: ModuleType, asynchronous: bool) -> None:
    def answer(seen: Seen) -> Answer:
        token = _query(seen).get("continue")
        return 200, {"items": _items("a"), "metadata": {"continue": "n" + (token or "")}}  # new cursors, same items

    with _serve(answer) as server:
        got, message = _until_error(paging, server.url, asynchronous, "iter_list_pods")
    assert got == ["a"] and "page 2 has the same items as the page before" in message


@BOTH
def test_last_item_id_with_has_more_pages_as_stripe_does(paging: ModuleType, asynchronous: bool) -> None:
    pages = {None: (["ch1", "ch2"], True), "ch2": (["ch3"], True), "ch3": (["ch4"], False)}

    def answer(seen: Seen) -> Answer:
        ids, more = pages[_query(seen).get("starting_after")]
        return 200, {"object": "list", "data": _items(*ids), "has_more": more, "url": "/v1/charges"}

    with _serve(answer) as server:
        ids = _collect(paging, server.url, asynchronous, "iter_list_charges", limit=2)
    assert ids == ["ch1", "ch2", "ch3", "ch4"]
    assert [_query(s).get("starting_after") for s in server.seen] == [None, "ch2", "ch3"]  # has_more false: no 4th


@BOTH
def test_offset_advances_by_the_items_received_from_where_the_caller_starts(paging: ModuleType, asynchronous: bool) -> None:
    rows = [f"x{i}" for i in range(7)]

    def answer(seen: Seen) -> Answer:
        query = _query(seen)
        start, limit = int(query.get("offset", "0")), int(query["limit"])
        return 200, {"results": _items(*rows[start : start + limit]), "total": len(rows)}

    with _serve(answer) as server:
        ids = _collect(paging, server.url, asynchronous, "iter_list_records", offset=2, limit=2)
    assert ids == rows[2:]
    assert [_query(s)["offset"] for s in server.seen] == ["2", "4", "6", "7"]  # the empty page ends it


@BOTH
def test_page_numbers_count_up_and_end_at_an_empty_page(paging: ModuleType, asynchronous: bool) -> None:
    def answer(seen: Seen) -> Answer:
        page = int(_query(seen).get("page", "1"))
        return 200, {"data": _items(f"p{page}") if page <= 3 else []}

    with _serve(answer) as server:
        ids = _collect(paging, server.url, asynchronous, "iter_list_notes")
    assert ids == ["p1", "p2", "p3"]
    assert [_query(s).get("page") for s in server.seen] == [None, "2", "3", "4"]  # the first page: the server's own


@BOTH
def test_page_numbers_from_zero_stop_when_more_is_false(paging: ModuleType, asynchronous: bool) -> None:
    def answer(seen: Seen) -> Answer:
        page = int(_query(seen).get("p", "0"))
        return 200, {"slides": _items(f"s{page}"), "more": page < 2}

    with _serve(answer) as server:
        ids = _collect(paging, server.url, asynchronous, "iter_list_slides")
    assert ids == ["s0", "s1", "s2"]
    assert [_query(s).get("p") for s in server.seen] == [None, "1", "2"]


@BOTH
def test_a_service_that_ignores_the_page_number_stops_the_pager(paging: ModuleType, asynchronous: bool) -> None:
    def answer(seen: Seen) -> Answer:
        return 200, {"data": _items("same")}

    with _serve(answer) as server:
        got, message = _until_error(paging, server.url, asynchronous, "iter_list_notes")
    assert got == ["same"] and "ignore 'page'" in message  # not yielded twice
    assert len(server.seen) == 2


@BOTH
def test_described_cursor_under_the_apis_own_names(paging: ModuleType, asynchronous: bool) -> None:
    def answer(seen: Seen) -> Answer:
        token = _query(seen).get("token")
        following = {None: "t1", "t1": None}[token]
        page: dict[str, Any] = {"entries": _items(token or "first"), "highlights": _items("not-an-item")}
        return 200, {**page, "paging": {"token": following} if following else {}}

    with _serve(answer) as server:
        ids = _collect(paging, server.url, asynchronous, "iter_list_events")
    assert ids == ["first", "t1"]


def test_an_operation_that_looks_paged_but_says_not_how_has_no_pager(paging: ModuleType) -> None:
    assert hasattr(paging.PagingClient, "list_tags")
    assert not hasattr(paging.PagingClient, "iter_list_tags")
