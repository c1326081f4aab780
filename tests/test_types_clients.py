"""The clients of the types20/types30/types31 fixtures, run: unions, dates, open enums, nullability,
recursion and standard security, decoded and encoded, and over real HTTP against a local server."""

from __future__ import annotations

import asyncio
import base64
import datetime
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from .conftest import CASES
from .recorder import Recorder, Seen
from .test_models import fixture_package

T31 = fixture_package("types31")
T30 = fixture_package("types30")
T20 = fixture_package("types20")


# ---------------------------------------------------------------- decoding and encoding


def _decode(module: Any, alias: str, value: Any) -> Any:
    return getattr(module.models, f"_{alias.upper()}_CODEC").decode(value, alias)


def test_discriminator_picks_the_member_by_mapping_and_by_schema_name() -> None:
    cat = _decode(T31, "Pet", {"petType": "kitty", "name": "Tom", "good": True})
    assert isinstance(cat, T31.models.Cat) and cat.additional_properties == {"good": True}
    dog = _decode(T31, "Pet", {"petType": "Dog", "name": "Rex", "lives": 9})  # Dog is not mapped: its schema name
    assert isinstance(dog, T31.models.Dog) and dog.additional_properties == {"lives": 9}
    # Cat is mapped to "kitty": its schema name no longer names it (its petType is Literal["kitty"]).
    with pytest.raises(T31.models.DecodeError, match=r"Pet\.petType: expected a discriminator value \('kitty', 'Dog'\), got string 'Cat'"):
        _decode(T31, "Pet", {"petType": "Cat", "name": "Kit"})


def test_an_unknown_or_missing_discriminator_value_is_a_decode_error() -> None:
    with pytest.raises(T31.models.DecodeError, match=r"Pet\.petType: expected a discriminator value \('kitty', 'Dog'\), got string '\?'"):
        _decode(T31, "Pet", {"petType": "?", "name": "Rex", "good": True})
    with pytest.raises(T31.models.DecodeError, match=r"Pet\.petType: expected a discriminator value .*, got null"):
        _decode(T31, "Pet", {"name": "Tom"})
    with pytest.raises(T31.models.DecodeError, match=r"Pet: expected one of: object \(Cat\); object \(Dog\), got string 'cat'"):
        _decode(T31, "Pet", "cat")
    # A member decoded on its own checks its constant too.
    with pytest.raises(T31.models.DecodeError, match=r"Cat\.petType: expected 'kitty', got string 'Dog'"):
        T31.models.Cat.from_dict({"petType": "Dog", "name": "Tom"})


def test_unions_of_primitives_and_recursive_aliases() -> None:
    assert _decode(T31, "Scalar", [1.5, "a", [2, ["b"]]]) == [1.5, "a", [2, ["b"]]]
    with pytest.raises(T31.models.DecodeError, match=r"Scalar"):
        _decode(T31, "Scalar", {"a": 1})
    assert _decode(T31, "Forest", [[[]], []]) == [[[]], []]
    assert _decode(T31, "Index", {"a": {"b": {}}}) == {"a": {"b": {}}}
    with pytest.raises(T31.models.DecodeError, match=r"Index\.a: expected object, got integer 1"):
        _decode(T31, "Index", {"a": 1})


def test_dates_decode_to_datetimes_and_are_written_back_in_rfc3339() -> None:
    thing = T31.models.Thing.from_dict({"id": 1, "seen": "2024-05-01T12:30:00Z"})
    assert thing.seen == datetime.datetime(2024, 5, 1, 12, 30, tzinfo=datetime.UTC)
    assert thing.to_dict()["seen"] == "2024-05-01T12:30:00+00:00"
    cat = T31.models.Cat.from_dict({"petType": "kitty", "name": "Tom", "born": "2020-02-29"})
    assert cat.born == datetime.date(2020, 2, 29) and cat.to_dict()["born"] == "2020-02-29"
    with pytest.raises(T31.models.DecodeError, match=r"Thing\.seen: expected date-time string \(RFC 3339\), got string 'yesterday'"):
        T31.models.Thing.from_dict({"id": 1, "seen": "yesterday"})
    with pytest.raises(T31.models.DecodeError, match=r"Cat\.born: expected date string"):
        T31.models.Cat.from_dict({"petType": "kitty", "name": "Tom", "born": "2020-02-30"})


def test_enums_are_shared_and_open() -> None:
    models = T31.models
    thing = models.Thing.from_dict({"id": 1, "color": "green", "paint": "mauve", "level": 7})
    assert thing.color is models.Color.GREEN
    assert isinstance(thing.paint, models.Color) and thing.paint == "mauve"  # allOf of one $ref: the same class
    assert isinstance(thing.level, models.Level) and thing.level == 7
    assert thing.to_dict() == {"id": 1, "color": "green", "paint": "mauve", "level": 7}
    with pytest.raises(models.DecodeError, match=r"Thing\.level: expected integer \(Level\), got boolean True"):
        models.Thing.from_dict({"id": 1, "level": True})
    event = T30.models.Event.from_dict({"kind": "archived", "at": "2024-01-01T00:00:00+01:00"})
    assert isinstance(event.kind, T30.models.Kind) and event.kind == "archived"


def test_nullable_items_values_and_members_keep_absent_apart_from_null() -> None:
    models = T31.models
    data = {"id": 1, "note": None, "scores": {"a": None, "b": 1.5}, "owner": None, "weight": 2}
    thing = models.Thing.from_dict(data)
    assert thing.note is None and thing.scores == {"a": None, "b": 1.5} and thing.owner is None
    assert thing.to_dict() == data
    assert models.Thing(id=1).to_dict() == {"id": 1}
    dog = models.Dog.from_dict({"petType": "Dog", "name": "Rex", "tags": ["a", None]})
    assert dog.tags == ["a", None]
    event = T30.models.Event.from_dict({"kind": "created", "at": "2024-01-01T00:00:00Z", "payload": [1, None], "labels": {"x": None}, "previous": None})
    assert event.payload == [1, None] and event.labels == {"x": None} and event.previous is None


def test_recursive_models_round_trip() -> None:
    data = {"name": "root", "children": [{"name": "leaf", "children": []}], "branch": {"label": "b", "sub": {"label": "c", "sub": {}}}}
    tree = T31.models.Tree.from_dict(data)
    assert tree.branch is not None and tree.branch.sub is not None and tree.branch.sub.label == "c"
    assert tree.to_dict() == data
    event = {"kind": "created", "at": "2024-01-01T00:00:00+00:00", "previous": {"kind": "deleted", "at": "2023-01-01T00:00:00+00:00"}}
    assert T30.models.Event.from_dict(event).to_dict() == event
    base = T30.models.Base.from_dict({"base": "b", "derived": "d"})  # the allOf cycle: both parts merged once
    assert (base.base, base.derived) == ("b", "d")


def test_union_members_inline_and_anyof() -> None:
    models = T30.models
    moved = models.Event.from_dict({"kind": "created", "at": "2024-01-01T00:00:00Z", "payload": {"x": 1, "y": 2}})
    assert isinstance(moved.payload, models.Move) and moved.payload.y == 2
    assert models.Event.from_dict({"kind": "created", "at": "2024-01-01T00:00:00Z", "payload": "text"}).payload == "text"
    shape = T30.models._SHAPE_CODEC.decode({"type": "Square", "side": 2, "corner": None}, "Shape")
    assert isinstance(shape, models.Square) and shape.corner is None


def test_any_model_instance_anywhere_is_encoded_to_json() -> None:
    serde = T31._serde
    cat = T31.models.Cat(pet_type="kitty", name="Tom", born=datetime.date(2020, 1, 2))
    value = {"list": [cat, T31.models.Color.RED], "when": datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC), "open": T31.models.Color("mauve")}
    assert serde.to_json(value) == {
        "list": [{"petType": "kitty", "name": "Tom", "born": "2020-01-02"}, "red"],
        "when": "2024-01-01T00:00:00+00:00",
        "open": "mauve",
    }
    assert serde.ANY.encode(cat) == {"petType": "kitty", "name": "Tom", "born": "2020-01-02"}
    keeps = T31.models.Cat.from_dict({"petType": "kitty", "name": "Tom"})
    keeps.additional_properties["friend"] = T31.models.Dog(pet_type="Dog", name="Rex")
    assert keeps.to_dict()["friend"] == {"petType": "Dog", "name": "Rex"}


# ---------------------------------------------------------------- over HTTP


def _auth(seen: Seen) -> dict[str, str]:
    return {k.lower(): v for k, v in seen.headers.items() if k.lower() in ("authorization", "x-api-key", "cookie")}


def test_types31_client_over_http_unions_dates_enums_and_security() -> None:
    models = T31.models

    def answer(seen: Seen) -> tuple[int, Any]:
        if seen.path.startswith("/v1/pets/"):
            return 200, {"petType": "Dog", "name": "Rex", "good": True}
        if seen.path == "/v1/pets":
            return 201, seen.body
        if seen.path.startswith("/v1/things"):
            return 200, [{"id": 1, "color": "ultraviolet", "seen": "2024-05-01T00:00:00Z", "level": 2}]
        if seen.path == "/v1/values":
            return 200, ["x", None]
        return 200, [[[]]]

    tokens = iter(["t1", "t2"])
    with Recorder(answer) as server:
        with T31.TypesThirtyOneClient(api_key="k-123", base_url=server.url + "/v1", throttle=False) as client:
            pet = client.get_pet(pet_id="7")
            created = client.create_pet(body=models.Cat(pet_type="kitty", name="Tom", born=datetime.date(2020, 1, 2)))
            with pytest.raises(ValueError, match=r"list_things: credentials required: pass basic_username and basic_password or session"):
                client.list_things()
            stored = client.put_value(body=[1.5, "a", [2]])
            forest = client.echo_tree(name="root", children=[models.Tree(name="leaf")])
        with T31.TypesThirtyOneClient(bearer=lambda: next(tokens), base_url=server.url + "/v1", throttle=False) as client:
            client.get_pet(pet_id="8")
        with T31.TypesThirtyOneClient(basic_username="ada", basic_password="pw", session="s-1", base_url=server.url + "/v1", throttle=False) as client:
            when = datetime.datetime(2024, 5, 1, 12, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=2)))
            things = client.list_things(color=models.Color.RED, since=when, day=datetime.date(2024, 5, 2), level=3)
        with T31.TypesThirtyOneClient(session="s-1", base_url=server.url + "/v1", throttle=False) as client:
            client.list_things(color="ultraviolet")
    assert isinstance(pet, models.Dog) and pet.good is True
    assert isinstance(created, models.Cat) and created.born == datetime.date(2020, 1, 2)
    assert stored == ["x", None] and forest == [[[]]]
    assert isinstance(things[0].color, models.Color) and things[0].color == "ultraviolet"
    assert things[0].seen == datetime.datetime(2024, 5, 1, tzinfo=datetime.UTC)
    get_pet, post_pet, put_value, echo, bearer, basic, cookie = server.seen
    assert _auth(get_pet) == {"x-api-key": "k-123"}  # the first alternative that was given
    assert post_pet.body == {"petType": "kitty", "name": "Tom", "born": "2020-01-02"}
    assert _auth(put_value) == {} and put_value.body == [1.5, "a", [2]]  # security: []
    assert _auth(echo) == {} and echo.body == {"name": "root", "children": [{"name": "leaf"}]}
    assert _auth(bearer) == {"authorization": "Bearer t1"}
    assert _auth(basic) == {"authorization": "Basic " + base64.b64encode(b"ada:pw").decode()}  # basic comes first in the alternatives
    assert basic.path == "/v1/things?color=red&since=2024-05-01T12%3A00%3A00%2B02%3A00&day=2024-05-02&level=3"
    assert _auth(cookie) == {"cookie": "SESSION=s-1"} and cookie.path == "/v1/things?color=ultraviolet"


def test_types30_client_oauth_query_key_and_names_that_collided() -> None:
    def answer(seen: Seen) -> tuple[int, Any]:
        if seen.path.startswith("/shapes/"):
            return 200, {"type": "Circle", "radius": 1.5}
        if seen.path == "/user-agent":
            return 200, "agent"
        if seen.path == "/credentials":
            return 200, {"message": "data"}
        return 200, [{"kind": "created", "at": "2024-01-01T00:00:00Z", "payload": {"x": 1}}]

    async def scenario(url: str) -> list[Any]:
        async with T30.AsyncTypesThirtyClient(oauth=lambda: "tok", base_url=url, throttle=False) as client:
            shape = await client.get_shape(shape_id=3, result_="r", arguments_="a", response_="h")
            agent = await client.user_agent()
            error = await client.credentials()
        async with T30.AsyncTypesThirtyClient(query_key="qk", base_url=url, throttle=False) as client:
            events = await client.list_events(kind=T30.models.Kind.DELETED)
        return [shape, agent, error, events]

    with Recorder(answer) as server:
        shape, agent, error, events = asyncio.run(scenario(server.url))
    assert isinstance(shape, T30.models.Circle) and shape.radius == 1.5
    assert agent == "agent"
    assert isinstance(error, T30.models.DecodeErrorModel) and error.message == "data"
    assert isinstance(events[0].payload, T30.models.Move)
    get_shape, user_agent, credentials, list_events = server.seen
    assert get_shape.path == "/shapes/3?result=r&arguments=a" and get_shape.headers["response"] == "h"
    assert _auth(get_shape) == {"authorization": "Bearer tok"}
    assert _auth(user_agent) == {} and user_agent.headers["User-Agent"].startswith("types30-python/")
    assert _auth(credentials) == {"authorization": "Bearer tok"}
    assert list_events.path == "/events?kind=deleted&api_key=qk"


def test_types20_client_basic_query_key_and_nullable_items() -> None:
    def answer(seen: Seen) -> tuple[int, Any]:
        if seen.method == "POST":
            return 200, seen.body
        if seen.method == "PUT":
            return 204, None
        return 200, {"value": [{"id": 1, "created": "2024-01-01T00:00:00Z", "state": "blocked", "tree": {"a": {"b": {}}}}]}

    credentials = {"key": "k", "login_username": "ada@example.invalid", "login_password": "pw"}
    with Recorder(answer) as server, T20.TypesTwentyClient(**credentials, base_url=server.url + "/v2", throttle=False) as client:
        task = client.x_policy(id=1, created=datetime.datetime(2024, 1, 1), tags=["a", None], tree={"x": {}})
        client.set_tags(id=1, body=["a", None])
        trigger = client.x()
        trigger.poll()
    assert task.tags == ["a", None] and task.created == datetime.datetime(2024, 1, 1) and task.tree == {"x": {}}
    post, put, poll = server.seen
    assert post.body == {"id": 1, "created": "2024-01-01T00:00:00", "tags": ["a", None], "tree": {"x": {}}}
    assert _auth(post) == {"authorization": "Basic " + base64.b64encode(b"ada@example.invalid:pw").decode()}
    assert "key=" not in post.path
    assert put.body == ["a", None] and _auth(put) == {} and "key=" not in put.path
    assert poll.path == "/v2/tasks?key=k" and _auth(poll) == {}
    assert trigger.cursor is not None


def test_openid_connect_token_and_missing_credentials() -> None:
    with Recorder(lambda seen: (200, [])) as server:
        with T30.TypesThirtyClient(oidc="id-token", base_url=server.url, throttle=False) as client:
            assert client.list_events() == []
        with T30.TypesThirtyClient(base_url=server.url, throttle=False) as client, pytest.raises(ValueError, match=r"pass oauth or oidc or query_key"):
            client.list_events()
        assert "id-token" not in repr(T30.TypesThirtyClient(oidc="id-token"))
    (seen,) = server.seen
    assert _auth(seen) == {"authorization": "Bearer id-token"} and seen.path == "/events"


def test_an_object_body_can_be_given_as_its_model() -> None:
    shapes = fixture_package("shapes")
    models = shapes.models

    with Recorder(lambda seen: (200, seen.body)) as server, shapes.ShapesClient(base_url=server.url, throttle=False) as client:
        whole = client.create_tree(body=models.TreeNode(name="root", colour=models.TreeNodeColour.RED, attributes={"a": 1}))
        merged = client.create_tree(body=models.TreeNode(name="old", note="kept"), name="new")
        flat = client.create_tree(name="flat")
        with pytest.raises(ValueError, match="argument 'name' is required"):
            client.create_tree(children=[])
    assert whole.name == "root" and server.seen[0].body == {"name": "root", "attributes": {"a": 1}, "colour": "red"}
    assert server.seen[1].body == {"name": "new", "note": "kept"}  # arguments given too override the model's fields
    assert merged.name == "new" and flat.name == "flat"


@pytest.mark.slow
def test_the_body_model_overloads_type_check(tmp_path: Path) -> None:
    usage = tmp_path / "usage.py"
    usage.write_text(
        "from shapes import ShapesClient, models\n"
        "client = ShapesClient()\n"
        "a: models.TreeNode = client.create_tree(name='x')\n"
        "b: models.TreeNode = client.create_tree(body=models.TreeNode(name='x'))\n",
        "utf-8",
    )
    wrong = tmp_path / "wrong.py"
    wrong.write_text("from shapes import ShapesClient, models\nShapesClient().create_tree(body=models.Grid())\n", "utf-8")
    env = {"MYPYPATH": str(CASES / "shapes" / "expected" / "shapes" / "python"), "PATH": ""}
    ok = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(usage)], capture_output=True, text=True, env=env, check=False)
    assert ok.returncode == 0, ok.stdout
    bad = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(wrong)], capture_output=True, text=True, env=env, check=False)
    assert bad.returncode == 1 and "No overload variant" in bad.stdout, bad.stdout
