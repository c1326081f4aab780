"""The generated clients' run-time, tested as the Python it is: ``connectorsmith.runtime`` imported
directly, not through a generated package (the behaviour tests over HTTP run it in those).

Also what keeps it one source: each package's ``_runtime.py`` and ``_serde.py`` are these modules'
bytes, and the stand-in ``errors`` beside them is what errors.py.j2 renders.
"""

from __future__ import annotations

import asyncio
import dataclasses
import gc
import random
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from connectorsmith.render import renderer as render
from connectorsmith.render import sources as outputs
from connectorsmith.runtime import _runtime, _serde, errors

from .conftest import CASES, ROOT, RUNTIME_ERRORS, runtime_errors

URL = "https://api.example.com/items"


def test_the_errors_stand_in_is_what_the_template_renders() -> None:
    """generator/runtime/errors.py is no second copy to keep in step: `make goldens` writes it."""
    assert RUNTIME_ERRORS.read_text("utf-8") == runtime_errors()
    assert _runtime.errors is errors and _runtime._serde is _serde


def test_the_static_templates_are_the_runtime_modules() -> None:
    assert {t.template for t in render.TEMPLATES if t.static} == set(outputs.RUNTIME)
    assert all(path.is_file() for path in outputs.runtime_files().values())


@pytest.mark.parametrize("module", sorted(outputs.RUNTIME.values()))
def test_every_package_carries_the_runtime_byte_for_byte(module: str) -> None:
    source = (ROOT / "generator" / "runtime" / module).read_bytes()
    copies = sorted((CASES).glob(f"*/expected/*/python/*/{module}")) + sorted((ROOT / "generated").glob(f"*/python/*/{module}"))
    assert len(copies) > 10
    assert [p for p in copies if p.read_bytes() != source] == []


# --------------------------------------------------------------------------- _serde


def test_unset_is_one_falsy_instance_apart_from_none() -> None:
    assert _serde.Unset() is _serde.UNSET
    assert not _serde.UNSET and _serde.UNSET is not None
    assert isinstance(_serde.UNSET, _serde.Unset)


def test_decode_error_says_where_and_what() -> None:
    with pytest.raises(_serde.DecodeError) as caught:
        _serde.INT.decode("7", "count")
    assert "count" in str(caught.value) and "integer" in str(caught.value)
    assert _serde.INT.decode(7, "count") == 7


@dataclasses.dataclass(kw_only=True)
class _Point(_serde.Model):
    x: int
    y: float | None = None
    label: str | None | _serde.Unset = _serde.UNSET

    _FIELDS = (
        ("x", "x", _serde.INT, True),
        ("y", "y", _serde.NUMBER, False),
        ("label", "label", _serde.Nullable(_serde.STR), False),
    )


@dataclasses.dataclass(kw_only=True)
class _Shape(_serde.Model):
    name: str
    points: list[_Point]
    tags: dict[str, int] | None = None

    _FIELDS = (
        ("name", "name", _serde.STR, True),
        ("points", "points", _serde.ListOf(_serde.ModelOf(lambda: _Point)), True),
        ("tags", "tags", _serde.MapOf(_serde.INT), False),
    )


@pytest.mark.parametrize(
    ("data", "path", "message"),
    [
        ({"name": "s", "points": [{"x": 1}, {"x": 2, "y": "3"}]}, None, "_Shape.points[1].y: expected number, got string '3'"),
        ({"name": "s", "points": [], "tags": {"a": 1, "b": True}}, "response", "response.tags.b: expected integer, got boolean True"),
        ({"name": "s", "points": [{"x": 1}, {"y": 2}]}, "", "_Shape.points[1].x: expected required field 'x', got null"),
        # the first problem in the declared order, whatever the order of the keys
        ({"points": [{"x": "bad"}]}, None, "_Shape.name: expected required field 'name', got null"),
        ({"points": [{"x": "bad"}], "name": 5}, None, "_Shape.name: expected string, got integer 5"),
        ({"name": "s", "points": {"x": 1}}, None, "_Shape.points: expected array, got object {'x': 1}"),
        ([1], "body", "body: expected object (_Shape), got array [1]"),
    ],
)
def test_a_decode_error_names_the_path_of_the_first_problem(data: Any, path: str | None, message: str) -> None:
    with pytest.raises(_serde.DecodeError) as caught:
        _Shape.from_dict(data, path=path)
    assert str(caught.value) == message


def test_a_codec_given_an_empty_path_names_the_model_at_the_top() -> None:
    with pytest.raises(_serde.DecodeError, match=r"^_Point\.x: expected integer"):
        _serde.ModelOf(lambda: _Point).decode({"x": 1.5}, "")
    with pytest.raises(_serde.DecodeError, match=r"^\[1\]\.x: expected required field 'x', got null"):
        _serde.ListOf(_serde.ModelOf(lambda: _Point)).decode([{"x": None, "y": 1}, {}], "")  # null: kept
    assert _serde.ListOf(_serde.Nullable(_serde.INT)).decode([1, None], "") == [1, None]


def test_decoding_the_keys_present_keeps_nulls_unset_and_unknown_keys() -> None:
    point = _Point.from_dict({"zz": 1, "y": None, "x": 3, "label": None, "aa": [2]})
    assert (point.x, point.y, point.label) == (3, None, None)
    assert point.additional_properties == {"zz": 1, "aa": [2]}  # in the order they came
    assert point._null_keys == {"y"}  # a null where none is allowed, written back
    assert point.to_dict() == {"x": 3, "y": None, "label": None, "zz": 1, "aa": [2]}
    bare = _Point.from_dict({"x": 3})
    assert bare.label is _serde.UNSET and bare.additional_properties == {} and bare._null_keys == frozenset()
    assert _Point.from_dict({"x": True}.__class__(x=7)).x == 7


def test_scalars_take_subclasses_but_no_booleans_as_numbers() -> None:
    class Text(str):
        pass

    assert _serde.STR.decode(Text("a"), "t") == "a"
    for codec in (_serde.INT, _serde.NUMBER):
        with pytest.raises(_serde.DecodeError, match="got boolean True"):
            codec.decode(True, "n")
    assert _serde.NUMBER.decode(2, "n") == 2 and _serde.BOOL.decode(False, "b") is False


# --------------------------------------------------------------------------- the collector


@pytest.fixture
def collections() -> Iterator[list[int]]:
    """The generations of the collections that run meanwhile."""
    seen: list[int] = []

    def note(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            seen.append(info["generation"])

    gc.callbacks.append(note)
    try:
        yield seen
    finally:
        gc.callbacks.remove(note)


class _Allocation:
    pass


def _engine() -> _runtime.Engine:
    return _runtime.Engine(base_url=URL, credentials={}, throttle=None, retry=_runtime.RetryPolicy(), user_agent="test")


_SHAPES = _runtime.Operation(
    name="shapes", method="GET", path="/shapes", params=(), result=_serde.ListOf(_serde.ModelOf(lambda: _Shape)), may_be_empty=False
)
_BIG = httpx.Response(200, json=[{"name": str(i), "points": [{"x": i, "y": 0.5}, {"x": -i}], "tags": {"t": i}} for i in range(5000)])


def test_a_response_decodes_with_no_collection_of_the_callers_heap(collections: list[int]) -> None:
    engine = _engine()
    assert gc.isenabled()
    gc.collect()  # the generations' counts at zero, whatever the tests before left: which one runs next is known
    collections.clear()
    shapes = engine.read(_SHAPES, _BIG, "GET", URL)
    assert gc.isenabled()
    _Allocation()  # an object of no free list, counted by the collector: the collection the pause deferred runs by now
    # Young collections only, and at most two: one of the read's own allocations before the decode begins,
    # and the one the pause deferred; none of the caller's whole heap (without the pause: many, see below).
    assert 0 < len(collections) <= 2 and 2 not in collections, collections
    assert len(shapes) == 5000 and shapes[1].points[1].x == -1


def test_pause_collector_false_leaves_the_collector_running(collections: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_runtime, "PAUSE_COLLECTOR", False)
    _engine().read(_SHAPES, _BIG, "GET", URL)
    assert len(collections) > 10  # what the pause spares a decode


def test_a_pause_leaves_the_collector_as_it_found_it() -> None:
    engine, bad = _engine(), httpx.Response(200, json=[{"name": 1}])
    with pytest.raises(errors.ResponseValidationError, match=r"response\[0\]\.name: expected string"):
        engine.read(_SHAPES, bad, "GET", URL)
    assert gc.isenabled()
    gc.disable()
    try:
        with _runtime.CollectorPause():
            assert not gc.isenabled()
        assert not gc.isenabled()
        with pytest.raises(errors.ResponseValidationError):
            engine.read(_SHAPES, bad, "GET", URL)
        assert not gc.isenabled()  # a caller that disabled it finds it disabled
    finally:
        gc.enable()


def test_pauses_in_threads_end_when_the_last_ends() -> None:
    entered, leave = threading.Event(), threading.Event()

    def long_decode() -> None:
        with _runtime.CollectorPause():
            entered.set()
            leave.wait(10)

    thread = threading.Thread(target=long_decode)
    thread.start()
    try:
        assert entered.wait(10)
        assert not gc.isenabled()
        with _runtime.CollectorPause():  # another decode, started and ended meanwhile
            assert not gc.isenabled()
        assert not gc.isenabled()  # the first still runs
    finally:
        leave.set()
        thread.join()
    assert gc.isenabled()


def test_concurrent_decodes_in_threads_and_tasks_restore_the_collector() -> None:
    engine, good = _engine(), httpx.Response(200, json=[{"name": "a", "points": [{"x": 1}]}] * 2000)
    bad = httpx.Response(200, json=[{"name": "a", "points": [{"x": "1"}]}] * 2000)

    def read(response: httpx.Response) -> str:
        try:
            return str(len(engine.read(_SHAPES, response, "GET", URL)))
        except errors.ResponseValidationError as exc:
            return exc.message

    async def main() -> list[str]:
        return await asyncio.gather(*(asyncio.to_thread(read, response) for response in [good, bad] * 8))

    assert asyncio.run(main()) == ["2000", "response[0].points[0].x: expected integer, got string '1'"] * 8
    assert gc.isenabled() and _runtime.CollectorPause._running == 0


# --------------------------------------------------------------------------- Link headers


@pytest.mark.parametrize(
    ("links", "expected"),
    [
        (['<https://a/2>; rel="next", <https://a/9>; rel="last"'], "https://a/2"),
        (['<https://a/9>; rel="last"'], None),
        (['<https://a/2>; rel="prev next"'], "https://a/2"),  # rel is a list of relation types
        (['<https://a/x>; anchor="#f"; rel="next", <https://a/3>; rel=next'], "https://a/3"),  # anchored: another resource
        (['<https://a/x>; title="rel=next"', '<https://a/4>; REL="NEXT"'], "https://a/4"),  # a quoted value is text
        ([], None),
    ],
)
def test_link_header_next(links: list[str], expected: str | None) -> None:
    headers = httpx.Headers([("Link", value) for value in links])
    assert _runtime._link_header_next(headers) == expected


# --------------------------------------------------------------------------- pages


def test_a_page_walk_counts_pages_and_stops_at_an_empty_one() -> None:
    walk = _runtime._PageWalk(_runtime.Paging("page", ("items",), parameter="page"), {}, URL)
    assert walk.items({"items": [1, 2]}, _serde.INT) == [1, 2]
    assert walk.next({"items": [1, 2]}, httpx.Headers()) == (None, {"page": 2})
    assert walk.items({"items": []}, _serde.INT) == []
    assert walk.next({"items": []}, httpx.Headers()) is None


def test_a_page_walk_refuses_a_cursor_it_was_given_before() -> None:
    walk = _runtime._PageWalk(_runtime.Paging("cursor", ("items",), next=("next",), parameter="after"), {"after": "a"}, URL)
    walk.items({"items": [1]}, _serde.INT)
    assert walk.next({"items": [1], "next": "b"}, httpx.Headers()) == (None, {"after": "b"})
    walk.items({"items": [2]}, _serde.INT)
    with pytest.raises(errors.ConnectorError, match="a cycle"):
        walk.next({"items": [2], "next": "a"}, httpx.Headers())


def test_a_page_that_repeats_the_last_is_an_error_before_its_items() -> None:
    walk = _runtime._PageWalk(_runtime.Paging("offset", ("items",), parameter="skip"), {}, URL)
    walk.items({"items": [1]}, _serde.INT)
    walk.next({"items": [1]}, httpx.Headers())
    with pytest.raises(errors.ConnectorError, match="same items"):
        walk.items({"items": [1]}, _serde.INT)


# --------------------------------------------------------------------------- triggers


def _policy() -> _runtime.TriggerPolicy:
    return _runtime.TriggerPolicy(("value",), "id", "at", None, (), _serde.ANY, 60.0, name="on_item")


def test_a_trigger_state_yields_only_new_items_oldest_first() -> None:
    first = _runtime.TriggerState(_policy(), None, URL)
    assert first.advance([{"id": 1, "at": 5}]) == []  # the first poll only sets the cursor
    cursor = first.cursor
    assert cursor == {"v": 1, "trigger": "on_item", "order": 5, "seen": [1]}
    later = _runtime.TriggerState(_policy(), cursor, URL)
    items = [{"id": 3, "at": 7}, {"id": 1, "at": 5}, {"id": 2, "at": 5}, {"id": 4, "at": 6}]
    assert [item["id"] for item in later.advance(items)] == [2, 4, 3]
    assert later.cursor is not None and later.cursor["order"] == 7


def test_a_trigger_state_refuses_another_triggers_cursor() -> None:
    with pytest.raises(ValueError, match="belongs to the trigger"):
        _runtime.TriggerState(_policy(), {"v": 1, "trigger": "other", "order": 1, "seen": []}, URL)
    with pytest.raises(ValueError, match="not a trigger cursor"):
        _runtime.TriggerState(_policy(), {"order": 1}, URL)


# --------------------------------------------------------------------------- throttle, retries, secrets


def test_a_throttle_books_slots_in_a_sliding_window() -> None:
    now = [0.0]
    throttle = _runtime.Throttle(2, 10.0, clock=lambda: now[0])
    assert [throttle.reserve(), throttle.reserve(), throttle.reserve()] == [0.0, 0.0, 10.0]
    now[0] = 25.0
    assert throttle.reserve() == 0.0


def test_retry_backoff_is_capped_full_jitter() -> None:
    policy = _runtime.RetryPolicy(backoff_base=1.0, backoff_cap=4.0)
    waits = [policy.backoff(attempt, random.Random(attempt)) for attempt in range(10)]
    assert all(0 <= wait <= 4.0 for wait in waits)


def test_a_secret_is_shown_nowhere() -> None:
    secret = _runtime.Secret("s3cr3t-value", "api_key")
    assert repr(secret) == str(secret) == _runtime.REDACTED
    assert secret.reveal() == "s3cr3t-value" and secret.revealed() == {"s3cr3t-value"}


def test_the_runtime_is_no_template(tmp_path: Path) -> None:
    """It holds no Jinja syntax, so rendering its text as an override gives it back unchanged."""
    for path in outputs.runtime_files().values():
        text = path.read_text("utf-8")
        assert "{{" not in text and "{%" not in text and "{#" not in text
