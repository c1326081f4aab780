"""Generated models, imported and exercised: round trips, unknown fields, clear errors on wrong types."""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from .conftest import CASES, import_generated


def fixture_package(name: str) -> ModuleType:
    return import_generated(CASES / name / "expected" / name / "python", name)


def test_hipchat_round_trip_keeps_unknown_fields(hipchat: ModuleType) -> None:
    data = {
        "items": [
            {
                "id": "m1",
                "date": "2016-01-01T00:00:00+00:00",
                "message": "hello",
                "from": {"id": 7, "name": "Ada"},
                "file": {"name": "a.png", "url": "https://x.invalid/a.png", "size": 10},
                "type": "message",
            }
        ],
        "links": {"self": "https://api.hipchat.com/v2/room/1/history/latest"},
    }
    history = hipchat.models.HistoryResponse.from_dict(data)
    item = history.items[0]
    assert (item.id, item.message, item.from_["name"], item.file.name) == ("m1", "hello", "Ada", "a.png")
    assert item.additional_properties == {"type": "message"}
    assert item.file.additional_properties == {"size": 10}
    assert history.to_dict() == data


def test_hipchat_explicit_nulls_round_trip(hipchat: ModuleType) -> None:
    data = {"id": 1, "email": None, "name": "Ada"}
    user = hipchat.models.UserResponse.from_dict(data)
    assert user.email is None
    assert user.to_dict() == data
    assert hipchat.models.UserResponse(id=2).to_dict() == {"id": 2}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"items": [{"id": "1"}]}, "UserList.items[0].id: expected integer, got string '1'"),
        ({"items": [{"id": True}]}, "UserList.items[0].id: expected integer, got boolean True"),
        ({"items": {"id": 1}}, "UserList.items: expected array, got object {'id': 1}"),
        ({"items": ["x"]}, "UserList.items[0]: expected object (UserListItem), got string 'x'"),
    ],
)
def test_wrong_types_name_the_path(hipchat: ModuleType, data: dict[str, Any], message: str) -> None:
    with pytest.raises(hipchat.DecodeError) as exc:
        hipchat.models.UserList.from_dict(data)
    assert str(exc.value) == message
    assert isinstance(exc.value, ValueError)


def test_not_an_object(hipchat: ModuleType) -> None:
    with pytest.raises(hipchat.models.DecodeError, match=r"^NewMessage: expected object \(NewMessage\), got array"):
        hipchat.models.NewMessage.from_dict([1])


def test_keywords_and_builtins_become_safe_names() -> None:
    models = fixture_package("keywords").models
    value = models.ListModel.from_dict({"type": "t", "from": "f", "async": True, "to_dict": "x", "@odata.etag": "e", "2nd-value": 2.5, "None": "n", "id": 3})
    assert (value.type_, value.from_, value.async_, value.to_dict_, value.odata_etag, value.field_2nd_value, value.none, value.id) == (
        "t", "f", True, "x", "e", 2.5, "n", 3,
    )
    assert value.to_dict()["@odata.etag"] == "e"
    with pytest.raises(models.DecodeError, match=r"ListModel.type: expected required field 'type'"):
        models.ListModel.from_dict({})


def test_recursive_arrays_of_arrays_enums_and_maps() -> None:
    models = fixture_package("shapes").models
    tree = models.TreeNode.from_dict(
        {"name": "root", "colour": "3-d", "children": [{"name": "leaf", "children": [], "attributes": {"a": 1}}], "note": None}
    )
    assert tree.children[0].attributes == {"a": 1}
    assert tree.colour is models.TreeNodeColour.VALUE_3_D
    assert tree.to_dict()["colour"] == "3-d" and tree.to_dict()["note"] is None
    purple = models.TreeNode.from_dict({"name": "x", "colour": "purple"})  # open: a value added later decodes
    assert isinstance(purple.colour, models.TreeNodeColour) and purple.colour == "purple"
    assert purple.colour not in list(models.TreeNodeColour) and purple.to_dict()["colour"] == "purple"
    with pytest.raises(models.DecodeError, match=r"TreeNode.colour: expected string \(TreeNodeColour\), got integer 5"):
        models.TreeNode.from_dict({"name": "x", "colour": 5})
    created = "2024-02-29T23:59:59.250000+05:30"
    grid = models.Grid.from_dict({"cells": [[1, 2], [3]], "rows": [{"label": "r", "points": [{"x": 1, "y": 2.5}]}], "meta": {"created": created, "extra": True}})
    assert grid.cells == [[1, 2], [3]]
    assert grid.rows[0].points[0].y == 2.5
    assert grid.meta.extra is True and grid.meta.created.utcoffset().total_seconds() == 5.5 * 3600
    assert grid.to_dict()["meta"]["created"] == created
    with pytest.raises(models.DecodeError, match=r"Grid.cells\[0\]\[1\]: expected integer"):
        models.Grid.from_dict({"cells": [[1, "2"]]})


def test_unicode_names() -> None:
    models = fixture_package("unicode").models
    value = models.Element.from_dict({"prix€": 2.5, "名前": "n", "naïve": "x"})
    assert value.prix == 2.5 and value.naive == "x"
    assert value.to_dict() == {"prix€": 2.5, "名前": "n", "naïve": "x"}


# ---------------------------------------------------------------- property: from_dict(d).to_dict() == d


def _strategy(codec: Any, serde: ModuleType, depth: int = 0) -> st.SearchStrategy[Any]:
    if codec is serde.STR:
        return st.text(max_size=5)
    if codec is serde.INT:
        return st.integers()
    if codec is serde.NUMBER:
        return st.floats(allow_nan=False) | st.integers()
    if codec is serde.BOOL:
        return st.booleans()
    if codec is serde.ANY:
        return st.none() | st.integers() | st.text(max_size=3) | st.lists(st.integers(), max_size=2)
    if isinstance(codec, serde.ListOf):
        if depth > 5:
            return st.just([])
        return st.lists(_strategy(codec.item, serde, depth + 1), max_size=0 if depth > 3 else 2)
    if isinstance(codec, serde.MapOf):
        if depth > 5:
            return st.just({})
        return st.dictionaries(st.text(max_size=3), _strategy(codec.item, serde, depth + 1), max_size=0 if depth > 3 else 2)
    if codec is serde.DATETIME:
        zones = st.sampled_from([None, datetime.UTC, datetime.timezone(datetime.timedelta(hours=5, minutes=30))])
        return st.datetimes(timezones=zones).map(lambda d: d.isoformat())
    if codec is serde.DATE:
        return st.dates().map(lambda d: d.isoformat())
    if isinstance(codec, serde.Nullable):
        return st.none() | _strategy(codec.inner, serde, depth)
    if isinstance(codec, serde.Lazy):
        return _strategy(codec._codec(), serde, depth)
    if isinstance(codec, serde.Const):
        return st.sampled_from(codec.values)
    if isinstance(codec, serde.OneOf) and codec.discriminator is not None:  # each member with a value mapped to it
        return st.one_of(
            [
                st.tuples(_strategy(codec.members[index], serde, depth + 1), st.just(value)).map(lambda pair, key=codec.discriminator: {**pair[0], key: pair[1]})
                for value, index in codec.mapping.items()
            ]
        )
    if isinstance(codec, serde.OneOf):
        return st.one_of([_strategy(member, serde, depth + 1) for member in codec.members])
    if isinstance(codec, serde.EnumOf):
        unknown = st.integers() if issubclass(codec.cls, int) else st.text(max_size=4)  # open enums
        return st.sampled_from([m.value for m in codec.cls]) | unknown
    if isinstance(codec, serde.ModelOf):
        return _model_strategy(codec._cls(), serde, depth + 1)
    raise AssertionError(f"unknown codec {codec!r}")


def _model_strategy(cls: type, serde: ModuleType, depth: int) -> st.SearchStrategy[dict[str, Any]]:
    required = {key: _strategy(codec, serde, depth) for _, key, codec, req in cls._FIELDS if req}  # type: ignore[attr-defined]
    optional = {
        key: st.none() | _strategy(codec, serde, depth)
        for _, key, codec, req in cls._FIELDS  # type: ignore[attr-defined]
        if not req and depth <= 3
    }
    known = {key for _, key, _, _ in cls._FIELDS}  # type: ignore[attr-defined]
    extra = st.dictionaries(st.text(max_size=4).filter(lambda k: k not in known), st.integers(), max_size=2)
    return st.tuples(st.fixed_dictionaries(required, optional=optional), extra).map(lambda t: {**t[1], **t[0]})


def _is_model(module: ModuleType, name: str) -> bool:
    value = getattr(module.models, name)
    return isinstance(value, type) and issubclass(value, module._serde.Model)


def _all_models() -> list[tuple[str, str]]:
    out = []
    for package in ["keywords", "shapes", "unicode", "openapi3", "hostile", "json_spec", "types20", "types30", "types31"]:
        module = fixture_package(package)
        out += [(package, name) for name in module.models.__all__ if _is_model(module, name)]
    return out


@pytest.mark.parametrize(("package", "name"), _all_models())
def test_every_fixture_model_round_trips(package: str, name: str) -> None:
    module = fixture_package(package)
    cls = getattr(module.models, name)

    @settings(max_examples=40, deadline=None)
    @given(_model_strategy(cls, module._serde, 0))
    def check(data: dict[str, Any]) -> None:
        assert cls.from_dict(data).to_dict() == data

    check()


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_hipchat_models_round_trip(data: st.DataObject) -> None:
    module = import_generated(Path(__file__).resolve().parent.parent / "generated" / "hipchat" / "python", "hipchat")
    for name in module.models.__all__:
        if _is_model(module, name):
            cls = getattr(module.models, name)
            value = data.draw(_model_strategy(cls, module._serde, 0))
            assert cls.from_dict(value).to_dict() == value


# ---------------------------------------------------------------- the generated decoders against the generic path


@contextlib.contextmanager
def _generic_only(module: ModuleType) -> Iterator[None]:
    """Every model of ``module`` decoded and encoded by ``_serde.Model``'s tables alone: its generated
    ``_decode_json`` and ``to_dict`` taken off the class for the duration."""
    taken: list[tuple[type, str, Any]] = []
    for name in module.models.__all__:
        if _is_model(module, name):
            cls = getattr(module.models, name)
            for method in ("_decode_json", "to_dict"):
                if method in vars(cls):
                    taken.append((cls, method, vars(cls)[method]))
                    delattr(cls, method)
    try:
        yield
    finally:
        for cls, method, value in taken:
            setattr(cls, method, value)


def _state(value: Any) -> Any:
    """Everything a decoded value holds, ``_null_keys`` and the order of each instance's attributes included."""
    if isinstance(value, list):
        return [_state(v) for v in value]
    if isinstance(value, dict):
        return [(k, _state(v)) for k, v in value.items()]
    if hasattr(value, "__dataclass_fields__"):
        return (type(value).__name__, [(k, _state(v)) for k, v in vars(value).items()])
    return (type(value).__name__, repr(value))


def _outcome(cls: Any, data: Any, decode_error: type[Exception]) -> Any:
    try:
        value = cls.from_dict(data)
    except decode_error as error:
        return ("error", str(error))
    return ("decoded", _state(value), value.to_dict())


_JUNK = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=3)
    | st.lists(st.integers(), max_size=2)
    | st.dictionaries(st.text(max_size=2), st.integers(), max_size=2)
)


def _spoiled(data: st.DataObject, value: Any) -> Any:
    """A copy of ``value`` with one thing wrong somewhere: a value replaced by one of any JSON type, or a
    key taken out of an object."""
    if isinstance(value, dict) and value and data.draw(st.integers(0, 3)) > 0:
        key = data.draw(st.sampled_from(list(value)))
        change = data.draw(st.sampled_from(["replace", "remove", "inside", "inside"]))
        copy = dict(value)
        if change == "remove":
            del copy[key]
        else:
            copy[key] = data.draw(_JUNK) if change == "replace" else _spoiled(data, value[key])
        return copy
    if isinstance(value, list) and value and data.draw(st.integers(0, 3)) > 0:
        index = data.draw(st.integers(0, len(value) - 1))
        return [*value[:index], _spoiled(data, value[index]), *value[index + 1 :]]
    return data.draw(_JUNK)


def _same_on_both_paths(module: ModuleType, cls: Any, data: st.DataObject) -> None:
    valid = data.draw(_model_strategy(cls, module._serde, 0))
    for value in (valid, _spoiled(data, valid)):
        generated = _outcome(cls, value, module.models.DecodeError)
        with _generic_only(module):
            generic = _outcome(cls, value, module.models.DecodeError)
        assert generated == generic


@pytest.mark.parametrize(("package", "name"), _all_models())
def test_generated_decoders_match_the_generic_path(package: str, name: str) -> None:
    """A model's generated ``_decode_json`` and ``to_dict`` give what the run-time's tables give: the same
    objects (null keys and attribute order included), the same JSON back, and the same DecodeError text
    for data with something wrong anywhere in it."""
    module = fixture_package(package)
    cls = getattr(module.models, name)
    assert ("_decode_json" in vars(cls)) == bool(cls._FIELDS) == ("to_dict" in vars(cls))

    @settings(max_examples=40, deadline=None)
    @given(st.data())
    def check(data: st.DataObject) -> None:
        _same_on_both_paths(module, cls, data)

    check()


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_hipchat_generated_decoders_match_the_generic_path(data: st.DataObject) -> None:
    module = import_generated(Path(__file__).resolve().parent.parent / "generated" / "hipchat" / "python", "hipchat")
    for name in module.models.__all__:
        if _is_model(module, name):
            _same_on_both_paths(module, getattr(module.models, name), data)
