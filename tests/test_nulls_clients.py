"""The clients of the nulls (OpenAPI 3.1) and nulls20 (Swagger 2.0) fixtures, run over real HTTP against a
local server: a field left out is absent from the JSON, None is null where the schema allows null, a value
is the value; decoding tells an absent key (UNSET) from null (None); union members are built without
naming their discriminator, and a wrong or unknown discriminator value is a DecodeError."""

from __future__ import annotations

import asyncio
import datetime
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from .conftest import CASES
from .recorder import Recorder, Seen
from .test_models import fixture_package

NULLS = fixture_package("nulls")
NULLS20 = fixture_package("nulls20")
M = NULLS.models

TASK = {"id": "t1", "title": "Write", "owner": None}


def _echo_task(seen: Seen) -> tuple[int, Any]:
    """The task as stored: the request's body over a base task, or the base task alone."""
    return 200, {**TASK, **(seen.body if isinstance(seen.body, dict) else {})}


# ---------------------------------------------------------------- sync, over HTTP


def test_update_left_out_none_and_value_reach_the_wire_as_absent_null_and_value() -> None:
    due = datetime.datetime(2026, 5, 1, 12, 0, tzinfo=datetime.UTC)
    with Recorder(_echo_task) as server, NULLS.NullsClient(base_url=server.url, throttle=False) as client:
        client.update_task(id="t1", title="Read")  # flattened arguments left out
        client.update_task(id="t1", due_at=None, note="n")  # None clears a nullable field
        client.update_task(id="t1", due_at=due, priority=None)  # None leaves out a field that may not be null
        client.update_task(id="t1", body=M.TaskUpdate())
        client.update_task(id="t1", body=M.TaskUpdate(due_at=None))  # the case: sent {} before
        client.update_task(id="t1", body=M.TaskUpdate(note="kept"), note=None)  # an argument overrides the model's field
        client.update_task(id="t1", body=M.TaskUpdate(note="kept"))  # an argument left out does not
    bodies = [seen.body for seen in server.seen]
    assert bodies == [
        {"title": "Read"},
        {"dueAt": None, "note": "n"},
        {"dueAt": "2026-05-01T12:00:00+00:00"},
        {},
        {"dueAt": None},
        {"note": None},
        {"note": "kept"},
    ]


def test_required_nullable_fields_send_null_and_required_ones_are_still_checked() -> None:
    with Recorder(_echo_task) as server, NULLS.NullsClient(base_url=server.url, throttle=False) as client:
        task = client.create_task(id="t1", title="Write", owner=None)
        client.create_task(body=M.Task(id="t2", title="Plan", owner=None, note=None))
        with pytest.raises(ValueError, match="argument 'owner' is required"):
            client.create_task(id="t3", title="x")  # type: ignore[call-overload]
    assert [seen.body for seen in server.seen] == [
        {"id": "t1", "title": "Write", "owner": None},
        {"id": "t2", "title": "Plan", "owner": None, "note": None},
    ]
    assert task.owner is None and task.due_at is M.UNSET and task.note is M.UNSET


def test_decoding_tells_an_absent_key_from_null() -> None:
    answers = iter([{**TASK, "note": None}, {**TASK, "dueAt": "soon", "attachment": None}])
    with Recorder(lambda seen: (200, next(answers))) as server, NULLS.NullsClient(base_url=server.url, throttle=False) as client:
        first = client.get_task(id="t1")
        with pytest.raises(NULLS.errors.ResponseValidationError, match=r"dueAt: expected date-time"):
            client.get_task(id="t1")  # not a date-time: the next answer is checked
    assert first.note is None and first.due_at is M.UNSET and first.attachment is M.UNSET
    assert isinstance(first.due_at, M.Unset) and not first.due_at and repr(first.due_at) == "UNSET"
    assert first.to_dict() == {**TASK, "note": None}, "written back as it came: null stays null, absent stays absent"
    cleared = M.Task.from_dict({**TASK, "attachment": None})
    assert cleared.attachment is None and cleared.to_dict() == {**TASK, "attachment": None}
    # A null where the schema allows none is read as None and written back (as before).
    odd = M.Task.from_dict({**TASK, "priority": None})
    assert odd.priority is None and odd.to_dict() == {**TASK, "priority": None}
    assert M.Task(id="t", title="x", owner=None, priority=None).to_dict() == {"id": "t", "title": "x", "owner": None}


def test_union_members_are_built_without_naming_their_discriminator() -> None:
    with Recorder(lambda seen: (200, seen.body)) as server, NULLS.NullsClient(base_url=server.url, throttle=False) as client:
        link = client.add_attachment(body=M.LinkAttachment(url="https://x.invalid/a"))
        file = client.add_attachment(body=M.FileAttachment(name="a.txt", size=None))
        client.create_task(id="t1", title="x", owner=None, attachment=M.FileAttachment(name="b.txt"))
    assert [seen.body for seen in server.seen] == [
        {"kind": "link", "url": "https://x.invalid/a"},
        {"kind": "file", "name": "a.txt", "size": None},
        {"id": "t1", "title": "x", "owner": None, "attachment": {"kind": "file", "name": "b.txt"}},
    ]
    assert isinstance(link, M.LinkAttachment) and link.kind == "link"
    assert isinstance(file, M.FileAttachment) and file.size is None


def test_a_wrong_or_unknown_discriminator_value_is_a_decode_error() -> None:
    answers = iter(
        [
            [{"shape": "Circle", "radius": 1.0}, {"shape": "Square", "side": 2.0}],  # no mapping: the schema names
            [{"shape": "Hexagon", "side": 1.0}],
            [{"side": 1.0}],
        ]
    )
    with Recorder(lambda seen: (200, next(answers))) as server, NULLS.NullsClient(base_url=server.url, throttle=False) as client:
        shapes = client.list_shapes()
        with pytest.raises(NULLS.errors.ResponseValidationError, match=r"response\[0\]\.shape: expected a discriminator value \('Circle', 'Square'\), got string 'Hexagon'"):
            client.list_shapes()
        with pytest.raises(NULLS.errors.ResponseValidationError, match=r"response\[0\]\.shape: expected a discriminator value .*, got null"):
            client.list_shapes()
    assert [type(s).__name__ for s in shapes] == ["Circle", "Square"]
    with pytest.raises(M.DecodeError, match=r"FileAttachment\.kind: expected 'file', got string 'link'"):
        M.FileAttachment.from_dict({"kind": "link", "name": "a"})


def test_a_member_two_unions_map_to_different_values_keeps_str() -> None:
    """Memo is 'memo' in Item and 'note' in Entry: its shape is a str (warned about), and each union decodes its own."""
    assert M.Memo(shape="memo", text="t").to_dict() == {"shape": "memo", "text": "t"}
    answer = {"items": [{"shape": "memo", "text": "a"}, {"shape": "Circle", "radius": 1}], "entries": [{"shape": "note", "text": "b"}]}
    with Recorder(lambda seen: (200, answer)) as server, NULLS.NullsClient(base_url=server.url, throttle=False) as client:
        listed = client.list_entries()
    assert [type(i).__name__ for i in listed.items or []] == ["Memo", "Circle"]
    assert [type(e).__name__ for e in listed.entries or []] == ["Memo"]


def test_swagger20_x_nullable_fields_keep_absent_apart_from_null() -> None:
    answer = {"id": "c1", "email": None}
    with Recorder(lambda seen: (200, answer)) as server, NULLS20.NullsTwentyClient(base_url=server.url + "/v2", throttle=False) as client:
        contact = client.update_contact(id="c1", phone=None)
        client.update_contact(id="c1", nickname=None)
        client.update_contact(id="c1", body=NULLS20.models.ContactUpdate(phone=None))
    assert [seen.body for seen in server.seen] == [{"phone": None}, None, {"phone": None}]  # nothing given: no body
    assert contact.email is None and contact.phone is NULLS20.UNSET and contact.nickname is None


# ---------------------------------------------------------------- async


def test_async_client_sends_and_decodes_the_same() -> None:
    async def scenario(url: str) -> tuple[Any, Any]:
        async with NULLS.AsyncNullsClient(base_url=url, throttle=False) as client:
            await client.update_task(id="t1")
            await client.update_task(id="t1", due_at=None)
            await client.update_task(id="t1", body=M.TaskUpdate(note=None))
            task = await client.get_task(id="t1")
            attachment = await client.add_attachment(body=M.LinkAttachment(url="u"))
            return task, attachment

    def answer(seen: Seen) -> tuple[int, Any]:
        if seen.path.startswith("/attachments"):
            return 200, seen.body
        return 200, {**TASK, "dueAt": None} if seen.method == "GET" else TASK

    with Recorder(answer) as server:
        task, attachment = asyncio.run(scenario(server.url))
    assert [seen.body for seen in server.seen] == [None, {"dueAt": None}, {"note": None}, None, {"kind": "link", "url": "u"}]
    assert task.due_at is None and task.note is M.UNSET
    assert isinstance(attachment, M.LinkAttachment)


def test_unset_is_one_falsy_instance_exported_by_the_package() -> None:
    import copy
    import dataclasses
    import pickle

    assert NULLS.UNSET is M.UNSET is NULLS.models.Unset() and NULLS.Unset is M.Unset
    assert copy.deepcopy(M.UNSET) is M.UNSET and pickle.loads(pickle.dumps(M.UNSET)) is M.UNSET
    assert dataclasses.replace(M.TaskUpdate(), title="x").due_at is M.UNSET
    assert not M.UNSET and M.TaskUpdate() == M.TaskUpdate(due_at=M.UNSET)
    assert "UnsetModel" in M.__all__ and M.UnsetModel(reason="r").to_dict() == {"reason": "r"}


# ---------------------------------------------------------------- as type checkers see it

TYPED = '''
import datetime
from typing import assert_type

from nulls import UNSET, NullsClient, Unset, models


def task_fields(task: models.Task) -> None:
    assert_type(task.due_at, datetime.datetime | None | Unset)
    assert_type(task.owner, str | None)  # required and nullable: no UNSET
    assert_type(task.priority, int | None)  # not nullable: None is "absent"
    if not isinstance(task.due_at, Unset):
        assert_type(task.due_at, datetime.datetime | None)
        if task.due_at is not None:
            assert_type(task.due_at, datetime.datetime)


def narrowing(a: models.Attachment) -> str:
    if a.kind == "file":
        assert_type(a, models.FileAttachment)
        return a.name
    assert_type(a, models.LinkAttachment)
    return a.url


def building(client: NullsClient) -> None:
    models.TaskUpdate(due_at=None)
    models.TaskUpdate(due_at=UNSET, note=None)
    models.FileAttachment(name="a.txt")
    models.LinkAttachment(kind="link", url="u")
    client.update_task(id="t", due_at=None)
    client.update_task(id="t", body=models.TaskUpdate(due_at=None))
'''

REJECTED = {
    "models.Task(id=None, title='x', owner=None)": 'Argument "id" to "Task" has incompatible type "None"',
    "models.TaskUpdate(priority=UNSET)": 'Argument "priority" to "TaskUpdate" has incompatible type "Unset"',
    "models.LinkAttachment(kind='file', url='u')": 'Argument "kind" to "LinkAttachment" has incompatible type "Literal[\'file\']"',
}


def test_type_checkers_see_unset_and_narrow_on_the_discriminator(tmp_path: Path) -> None:
    usage = tmp_path / "usage.py"
    usage.write_text(TYPED, "utf-8")
    wrong = tmp_path / "wrong.py"
    wrong.write_text("from nulls import UNSET, models\n" + "\n".join(REJECTED) + "\n", "utf-8")
    env = {"MYPYPATH": str(CASES / "nulls" / "expected" / "nulls" / "python"), "PATH": ""}
    ok = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(usage)], capture_output=True, text=True, env=env, check=False)
    assert ok.returncode == 0, ok.stdout
    bad = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(wrong)], capture_output=True, text=True, env=env, check=False)
    assert bad.returncode == 1, bad.stdout
    for line, (code, error) in enumerate(REJECTED.items(), 2):
        assert f"wrong.py:{line}: error: {error}" in bad.stdout, (code, bad.stdout)
    pyright = shutil.which("pyright")
    if pyright is not None:  # not installed here; where it is, it must agree
        run = subprocess.run([pyright, str(usage)], capture_output=True, text=True, cwd=CASES / "nulls" / "expected" / "nulls" / "python", check=False)
        assert run.returncode == 0, run.stdout


# ---------------------------------------------------------------- regenerating breaks nobody

BEFORE = Path(__file__).resolve().parent / "fixtures" / "surface" / "before_unset.json"


def test_regenerating_with_unset_and_literal_discriminators_warns_of_no_breaking_change() -> None:
    """The public APIs of HipChat and fixtures as the generator made them before UNSET and Literal
    discriminators (a snapshot): what they became only grew, so the writer warns of nothing."""
    import json

    from connectorsmith.output.surface import breaking_changes, public_api
    from connectorsmith.pipeline import generate

    from .conftest import ROOT

    before = json.loads(BEFORE.read_text("utf-8"))
    changed = 0
    for name, old in sorted(before.items()):
        spec = ROOT / "spec" / name if name == "hipchat.yaml" else CASES / Path(name).stem / name
        result = generate(spec)
        assert result.connector is not None, name
        new = public_api(result.connector)
        assert breaking_changes(old, new) == [], name
        changed += sum(1 for key in old if new[key] != old[key])
    assert changed >= 10, "the snapshot predates the change: some entries differ"
    # What still breaks is reported: a field made required, an argument narrowed, a Literal turned back to str.
    old = before["types31.yaml"]
    assert breaking_changes(old, {**old, "field models.Thing.note": "str (required)"}) == ["field models.Thing.note changed: str | None -> str (required)"]
    new = public_api(generate(CASES / "types31" / "types31.yaml").connector)  # type: ignore[arg-type]
    assert breaking_changes(new, {**new, "field models.Cat.pet_type": "str (required)"}) != []
    assert breaking_changes(new, {**new, "field models.Thing.note": "str | None"}) != []
