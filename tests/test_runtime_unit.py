"""The generated clients' run-time, tested as the Python it is: ``connectorsmith.runtime`` imported
directly, not through a generated package (the behaviour tests over HTTP run it in those).

Also what keeps it one source: each package's ``_runtime.py`` and ``_serde.py`` are these modules'
bytes, and the stand-in ``errors`` beside them is what errors.py.j2 renders.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime
import enum
import gc
import random
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
from connectorsmith.render import renderer as render
from connectorsmith.render import sources as outputs
from connectorsmith.runtime import _runtime, _serde, errors
from hypothesis import given, settings
from hypothesis import strategies as st

from .conftest import CASES, ROOT, RUNTIME_ERRORS, runtime_errors
from .test_models import _all_models, _model_strategy, fixture_package

URL = "https://api.example.com/items"


def test_the_errors_stand_in_is_what_the_template_renders() -> None:
    """generator/runtime/errors.py is no second copy to keep in step: `make goldens` writes it."""
    assert RUNTIME_ERRORS.read_text("utf-8") == runtime_errors()
    assert _runtime.errors is errors and _runtime._serde is _serde


def test_the_static_templates_are_the_runtime_modules() -> None:
    assert {t.template for t in render.TEMPLATES if t.static} == set(outputs.RUNTIME)
    assert all(path.is_file() for path in outputs.runtime_files().values())


@pytest.mark.parametrize("template", sorted(outputs.RUNTIME))
def test_every_package_carries_the_runtime_byte_for_byte(template: str) -> None:
    """Each client package's _runtime.py and _serde.py, and each MCP server's _runtime.py (_mcp.py)."""
    module = outputs.RUNTIME[template]
    target, name = template.split("/")[0], template.split("/")[1].removesuffix(".j2")
    source = (ROOT / "generator" / "runtime" / module).read_bytes()
    copies = sorted(CASES.glob(f"*/expected/*/{target}/*/{name}")) + sorted((ROOT / "generated").glob(f"*/{target}/*/{name}"))
    assert len(copies) > (10 if target == "python" else 1)
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


# --------------------------------------------------------------------------- encoding


def _reference_encode(serde: ModuleType, codec: Any, value: Any) -> Any:
    """What each codec's ``encode`` did before encoders were built per class: the reference the fast
    encoders must match, value for value and key for key."""
    if isinstance(codec, (serde._Scalar, serde.Const)):
        return value
    if isinstance(codec, serde._DateTime):
        return serde.format_datetime(value) if isinstance(value, datetime.datetime) else value
    if isinstance(codec, serde._Date):
        return value.isoformat() if isinstance(value, datetime.date) else value
    if isinstance(codec, serde.Nullable):
        return None if value is None else _reference_encode(serde, codec.inner, value)
    if isinstance(codec, serde.Lazy):
        return _reference_encode(serde, codec._codec(), value)
    if isinstance(codec, serde.ListOf):
        return [_reference_encode(serde, codec.item, v) for v in value]
    if isinstance(codec, serde.MapOf):
        return {k: _reference_encode(serde, codec.item, v) for k, v in value.items()}
    if isinstance(codec, serde.EnumOf):
        return value.value if isinstance(value, enum.Enum) else value
    return _reference_to_json(serde, value)  # ModelOf, OneOf, ANY


def _reference_to_json(serde: ModuleType, value: Any) -> Any:
    if isinstance(value, serde.Model):
        return _reference_to_dict(serde, value)
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime.datetime):
        return serde.format_datetime(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_reference_to_json(serde, v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _reference_to_json(serde, v) for k, v in value.items()}
    return value


def _reference_to_dict(serde: ModuleType, model: Any) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for attribute, key, codec, required in model._FIELDS:
        value = getattr(model, attribute)
        if isinstance(value, serde.Unset):
            continue
        if value is not None:
            result[key] = _reference_encode(serde, codec, value)
        elif required or isinstance(codec, serde.Nullable) or key in model._null_keys:
            result[key] = None
    for key, value in model.additional_properties.items():
        result.setdefault(key, _reference_to_json(serde, value))
    return result


def _same(found: Any, expected: Any, where: str = "") -> None:
    """Equal, of the same types (an enum member equals its value: not the same), keys in the same order."""
    assert type(found) is type(expected), (where, found, expected)
    if isinstance(expected, dict):
        assert list(found) == list(expected), where
        for key in expected:
            _same(found[key], expected[key], f"{where}.{key}")
    elif isinstance(expected, list):
        assert len(found) == len(expected), where
        for i, (f, e) in enumerate(zip(found, expected, strict=True)):
            _same(f, e, f"{where}[{i}]")
    else:
        assert found == expected, where


@dataclasses.dataclass(kw_only=True)
class _Stamp(_serde.Model):
    at: Any
    on: Any = None
    kind: Any = _serde.UNSET
    level: Any = None
    when: Any = _serde.UNSET
    note: Any = None

    _FIELDS = (
        ("at", "at", _serde.DATETIME, True),
        ("on", "on", _serde.DATE, False),
        ("kind", "kind", _serde.EnumOf(lambda: _Kind), False),
        ("level", "level", _serde.EnumOf(lambda: _Level), False),
        ("when", "when", _serde.Nullable(_serde.ListOf(_serde.Nullable(_serde.DATETIME))), False),
        ("note", "note", _serde.OneOf((_serde.STR, _serde.ModelOf(lambda: _Point))), False),
    )


class _Kind(_serde.OpenStrEnum):
    A = "a"
    B = "b"


class _Level(_serde.OpenIntEnum):
    LOW = 1


def test_a_model_encodes_declared_fields_in_order_then_unknown_ones() -> None:
    shape = _Shape(
        name="s",
        points=[_Point(x=1, y=None, label=None), _Point(x=2, y=None, _null_keys=frozenset({"y"}))],
        tags=None,
        additional_properties={"zz": 1, "name": "ignored: declared wins", "aa": _Point(x=3)},
    )
    encoded = shape.to_dict()
    assert list(encoded) == ["name", "points", "zz", "aa"]  # tags: None where no null is allowed, left out
    assert encoded["name"] == "s" and encoded["aa"] == {"x": 3}
    assert encoded["points"] == [{"x": 1, "label": None}, {"x": 2, "y": None}]
    _same(encoded, _reference_to_dict(_serde, shape))
    moment = datetime.datetime(2024, 5, 1, 12, 0, tzinfo=datetime.UTC)
    stamp = _Stamp(
        at=moment,
        on=datetime.date(2024, 5, 2),
        kind=_Kind("c"),  # a value the spec does not list
        level=_Level.LOW,
        when=[moment.replace(tzinfo=None), None],
        note=_Point(x=4, label="p"),
        additional_properties={"e": _Kind.A, "d": [moment, {"k": datetime.date(2024, 1, 1)}]},
    )
    expected = {
        "at": "2024-05-01T12:00:00+00:00",
        "on": "2024-05-02",
        "kind": "c",
        "level": 1,
        "when": ["2024-05-01T12:00:00", None],
        "note": {"x": 4, "label": "p"},
        "e": "a",
        "d": ["2024-05-01T12:00:00+00:00", {"k": "2024-01-01"}],
    }
    _same(stamp.to_dict(), expected)
    _same(stamp.to_dict(), _reference_to_dict(_serde, stamp))
    assert _Stamp(at="as given", when=None, note="n").to_dict() == {"at": "as given", "when": None, "note": "n"}


def test_codecs_encode_as_the_model_does() -> None:
    """The client encodes a body or parameter with its codec's ``encode``: the same encoders."""
    moment = datetime.datetime(2024, 5, 1, tzinfo=datetime.UTC)
    cases: list[tuple[_serde.Codec, Any]] = [
        (_serde.ListOf(_serde.ModelOf(lambda: _Point)), [_Point(x=1), _Point(x=2, label=None)]),
        (_serde.ListOf(_serde.ModelOf(lambda: _Point)), ({"plain": 1}, _Kind.B)),  # what to_json does
        (_serde.MapOf(_serde.Nullable(_serde.DATETIME)), {"a": moment, "b": None, "c": "text"}),
        (_serde.MapOf(_serde.INT), {"a": 1}),
        (_serde.ListOf(_serde.STR), ("a", "b")),
        (_serde.Nullable(_serde.ListOf(_serde.EnumOf(lambda: _Kind))), [_Kind.A, _Kind("z"), "raw"]),
        (_serde.Lazy(lambda: _serde.ModelOf(lambda: _Shape)), _Shape(name="n", points=[])),
        (_serde.ANY, {1: [moment, _Level.LOW]}),
    ]
    for codec, value in cases:
        _same(codec.encode(value), _reference_encode(_serde, codec, value), repr(codec))


def _variant(data: st.DataObject, serde: ModuleType, model: Any, depth: int = 0) -> Any:
    """``model`` with its fields and nested models changed as no decode leaves them: None or UNSET in
    any optional field, unknown fields holding models, enums, dates and a declared key."""
    changes: dict[str, Any] = {}
    for attribute, key, codec, required in model._FIELDS:
        value = getattr(model, attribute)
        if isinstance(value, serde.Model) and depth < 3:
            changes[attribute] = _variant(data, serde, value, depth + 1)
        elif isinstance(value, list) and value and isinstance(value[0], serde.Model) and depth < 3:
            changes[attribute] = [_variant(data, serde, v, depth + 1) for v in value]
        elif not required:
            changes[attribute] = data.draw(st.sampled_from([value, value, None, serde.UNSET]))
    keys = [key for _, key, _, _ in model._FIELDS]
    extra = data.draw(
        st.dictionaries(
            st.sampled_from(["zz", "aa", *keys[:2]]),
            st.integers()
            | st.text(max_size=3)
            | st.datetimes(timezones=st.sampled_from([None, datetime.UTC])).map(lambda d: [d, {"on": d.date()}])
            | st.just(model),
            max_size=3,
        )
    )
    nulls = data.draw(st.sets(st.sampled_from(keys)) if keys else st.just(set()))
    return dataclasses.replace(model, **changes, additional_properties=extra, _null_keys=frozenset(nulls))


@pytest.mark.parametrize(("package", "name"), _all_models())
def test_fixture_models_encode_as_the_reference_does(package: str, name: str) -> None:
    module = fixture_package(package)
    cls = getattr(module.models, name)

    @settings(max_examples=25, deadline=None)
    @given(_model_strategy(cls, module._serde, 0), st.data())
    def check(value: dict[str, Any], data: st.DataObject) -> None:
        model = cls.from_dict(value)
        assert model.to_dict() == value  # the round trip (declared keys first: the order may differ)
        _same(model.to_dict(), _reference_to_dict(module._serde, model))
        changed = _variant(data, module._serde, model)
        _same(changed.to_dict(), _reference_to_dict(module._serde, changed))

    check()


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
