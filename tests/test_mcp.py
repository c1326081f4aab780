"""The generated MCP servers, run: listed and called with the official MCP SDK's client over stdio,
streamable HTTP and in memory, against the fake HipChat and the fake Tasks service; their schemas
checked as JSON Schema; arguments an agent would send (hypothesis, from each input schema) accepted or
refused with a tool error, never a crash; and listed and called by the MCP Inspector's command line.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import importlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC
from pathlib import Path
from types import ModuleType
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mcp import Client, types
from mcp.client.stdio import StdioServerParameters

from .conftest import CASES, ROOT, import_generated
from .fake_hipchat import TOKEN, FakeHipChat
from .fake_tasks import KEY, FakeTasks

HIPCHAT = ROOT / "generated" / "hipchat"
TASKS = CASES / "tasks_mcp" / "expected" / "tasks_mcp"
SERVERS = {"hipchat": (HIPCHAT, "hipchat_mcp"), "tasks_mcp": (TASKS, "tasks_mcp_mcp")}


def _listing(name: str) -> list[dict[str, Any]]:
    folder, package = SERVERS[name]
    data: list[dict[str, Any]] = json.loads((folder / "mcp" / package / "tools.json").read_text("utf-8"))
    return data


def _run(coroutine: Any) -> Any:
    return asyncio.run(coroutine)


# --------------------------------------------------------------------------- the listing


@pytest.mark.parametrize("name", sorted(SERVERS))
def test_every_tool_schema_is_json_schema_and_every_listing_is_an_mcp_tool(name: str) -> None:
    listed = _listing(name)
    names = [tool["name"] for tool in listed]
    assert names and len(set(names)) == len(names)
    for tool in listed:
        assert re.fullmatch(r"[A-Za-z0-9_.-]{1,128}", tool["name"])
        types.Tool.model_validate(tool)  # the SDK's own model of a tool
        for key in ("inputSchema", "outputSchema"):
            if key in tool:
                jsonschema.Draft202012Validator.check_schema(tool[key])
                assert tool[key]["type"] == "object", (tool["name"], key)
        assert tool["inputSchema"].get("additionalProperties") is False


def test_the_listing_says_what_the_document_says() -> None:
    listed = {tool["name"]: tool for tool in _listing("tasks_mcp")}
    # internal operations and webhooks are no tools (the webhook warned about: expected.stderr)
    assert {"list_projects", "on_task_changed"}.isdisjoint(listed)
    assert listed["download_attachment"]["outputSchema"]["required"] == ["content_type", "size"]
    create = listed["create_task"]["inputSchema"]
    assert create["required"] == ["title", "project"]  # the body's fields, flattened as the client takes them
    assert create["properties"]["priority"]["enum"][:3] == ["low", "normal", "high"]
    assert create["properties"]["due"]["type"][0] == "string" and create["properties"]["due"]["format"] == "date"
    limit = listed["list_tasks"]["inputSchema"]["properties"]["limit"]
    assert (limit["minimum"], limit["maximum"]) == (1, 100) and "Must be at least 1, at most 100." in limit["description"]
    project = listed["list_tasks"]["inputSchema"]["properties"]["project"]
    assert "list_tasks_project_values" in project["description"]  # the values tool that feeds it
    assert listed["get_task"]["annotations"] == {"title": "Get a task", "readOnlyHint": True, "destructiveHint": False, "idempotentHint": True, "openWorldHint": True}
    assert listed["delete_task"]["annotations"]["destructiveHint"] is True
    assert listed["replace_task"]["annotations"]["idempotentHint"] is True
    assert listed["create_task"]["annotations"]["destructiveHint"] is False
    assert set(listed["on_new_task"]["inputSchema"]["properties"]) == {"project", "cursor"}
    assert listed["get_labels"]["outputSchema"]["properties"]["result"]["type"] == "array"  # wrapped: no object
    description = json.loads((TASKS / "mcp" / "tasks_mcp_mcp" / "tools.json").read_text("utf-8"))[0]["description"]
    assert description.startswith("Attach a file to a task")


# --------------------------------------------------------------------------- HipChat over stdio


@pytest.fixture
def fake() -> Iterator[FakeHipChat]:
    server = FakeHipChat().start()
    server.add_room(1, "dev")
    server.add_user(5, "Ann", "ann@example.com")
    try:
        yield server
    finally:
        server.stop()


def _hipchat_env(fake: FakeHipChat) -> dict[str, str]:
    return {
        "PYTHONPATH": os.pathsep.join([str(HIPCHAT / "python"), str(HIPCHAT / "mcp")]),
        "HIPCHAT_TOKEN": TOKEN,
        "HIPCHAT_BASE_URL": fake.base_url,
    }


def _stdio(env: dict[str, str], *args: str) -> StdioServerParameters:
    return StdioServerParameters(command=sys.executable, args=["-m", "hipchat_mcp", *args], env=env)


def _text(result: types.CallToolResult) -> str:
    return "".join(block.text for block in result.content if isinstance(block, types.TextContent))


def test_hipchat_over_stdio_lists_and_calls_every_tool(fake: FakeHipChat) -> None:
    listed = {tool["name"]: tool for tool in _listing("hipchat")}

    async def session() -> None:
        async with Client(_stdio(_hipchat_env(fake))) as client:
            tools = (await client.list_tools()).tools
            assert [t.name for t in tools] == list(listed)
            for tool in tools:
                shown = listed[tool.name]
                assert tool.input_schema == shown["inputSchema"] and tool.output_schema == shown.get("outputSchema")
                assert tool.annotations is not None and tool.annotations.read_only_hint is shown["annotations"]["readOnlyHint"]
            called: set[str] = set()

            async def call(name: str, arguments: dict[str, Any]) -> types.CallToolResult:
                called.add(name)
                result = await client.call_tool(name, arguments)
                assert not result.is_error, _text(result)
                assert json.loads(_text(result)) == result.structured_content
                return result

            user = await call("get_user_by_id", {"userid": 5})  # a number for a text id: taken as its text
            assert user.structured_content["name"] == "Ann"
            user = await call("get_user_by_id", {"userid": "5"})
            assert user.structured_content["name"] == "Ann" and user.structured_content["email"] == "ann@example.com"
            assert (await call("add_user_to_room", {"room_id": "1", "memberid": "5"})).structured_content == {"result": None}
            members = await call("list_room_users", {"room_id": "1"})
            assert [m["name"] for m in members.structured_content["items"]] == ["Ann"]
            # Each trigger: a baseline (no items, a cursor), then what arrived since, then nothing again.
            baselines = {}
            for trigger, arguments in (("on_new_message", {"room_id": "1"}), ("on_file_uploaded", {"room_id": "1"}), ("on_new_room", {})):
                first = await call(trigger, arguments)
                assert first.structured_content["items"] == [] and first.structured_content["cursor"]["trigger"] == trigger
                baselines[trigger] = first.structured_content["cursor"]
            posted = await call("post_message", {"room_id": "1", "message": "hello <b>there</b>"})
            assert posted.structured_content["id"]
            fake.post("1", "a file", file={"name": "a.txt", "size": 3, "url": "https://example.com/a.txt"})
            fake.add_room(2, "ops")
            new = await call("on_new_message", {"room_id": "1", "cursor": baselines["on_new_message"]})
            assert [m["message"] for m in new.structured_content["items"]] == ["hello <b>there</b>", "a file"]
            again = await call("on_new_message", {"room_id": "1", "cursor": new.structured_content["cursor"]})
            assert again.structured_content["items"] == []
            files = await call("on_file_uploaded", {"room_id": "1", "cursor": baselines["on_file_uploaded"]})
            assert [m["file"]["name"] for m in files.structured_content["items"]] == ["a.txt"]
            rooms = await call("on_new_room", {"cursor": baselines["on_new_room"]})
            assert [r["name"] for r in rooms.structured_content["items"]] == ["ops"]
            assert called == set(listed)

    _run(session())


def test_hipchat_errors_are_tool_errors_without_a_secret_or_a_traceback(fake: FakeHipChat) -> None:
    async def session() -> None:
        async with Client(_stdio(_hipchat_env(fake))) as client:
            missing = await client.call_tool("get_user_by_id", {"userid": "999"})
            assert missing.is_error and _text(missing).startswith("NotFoundError: ") and "404" in _text(missing)
            # The credential's value never shows, even where the service echoes it back.
            echoed = await client.call_tool("get_user_by_id", {"userid": TOKEN})
            assert echoed.is_error and TOKEN not in _text(echoed) and "***" in _text(echoed)
            # ... and where the server's own message would hold it (an argument named as the token).
            named = await client.call_tool("get_user_by_id", {"userid": "5", TOKEN: 1})
            assert named.is_error and TOKEN not in _text(named) and "unknown '***'" in _text(named), _text(named)
            for arguments, words in (
                ({}, "'userid' is required"),
                ({"userid": [5]}, "userid: expected string, got array"),
                ({"userid": "5", "extra": 1}, "unknown 'extra'"),
            ):
                refused = await client.call_tool("get_user_by_id", arguments)
                assert refused.is_error and words in _text(refused), _text(refused)
            bad_cursor = await client.call_tool("on_new_room", {"cursor": {"v": 9}})
            assert bad_cursor.is_error and "not a trigger cursor" in _text(bad_cursor)
            for result in (missing, echoed, refused, bad_cursor):
                assert "Traceback" not in _text(result) and 'File "' not in _text(result)

    _run(session())
    assert any(TOKEN in r.raw_path for r in fake.requests)  # it was sent; it was not shown


def test_a_server_without_its_credential_runs_and_says_so_on_each_call(fake: FakeHipChat) -> None:
    env = {k: v for k, v in _hipchat_env(fake).items() if k != "HIPCHAT_TOKEN"}

    async def session() -> None:
        async with Client(_stdio(env)) as client:
            assert len((await client.list_tools()).tools) == 7
            result = await client.call_tool("get_user_by_id", {"userid": "5"})
            assert result.is_error and "HIPCHAT_TOKEN" in _text(result), _text(result)

    _run(session())


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextlib.contextmanager
def _http_server(env: dict[str, str], *args: str) -> Iterator[str]:
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "hipchat_mcp", "--transport", "http", "--port", str(port), *args],
        env={**os.environ, **env}, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
                break
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"the HTTP server did not start: {process.communicate()[1]}")
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}/mcp"
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_hipchat_over_streamable_http_on_localhost(fake: FakeHipChat) -> None:
    with _http_server(_hipchat_env(fake), "--include", "get_user_by_id,on_new_room") as url:

        async def session() -> None:
            async with Client(url) as client:
                assert [t.name for t in (await client.list_tools()).tools] == ["get_user_by_id", "on_new_room"]
                user = await client.call_tool("get_user_by_id", {"userid": "5"})
                assert not user.is_error and user.structured_content["name"] == "Ann"
                first = await client.call_tool("on_new_room", {})
                fake.add_room(3, "new")
                second = await client.call_tool("on_new_room", {"cursor": first.structured_content["cursor"]})
                assert [r["name"] for r in second.structured_content["items"]] == ["new"]

        _run(session())


# --------------------------------------------------------------------------- Tasks in memory


@pytest.fixture(scope="module")
def tasks_packages() -> tuple[ModuleType, ModuleType]:
    client = import_generated(TASKS / "python", "tasks_mcp")
    sys.path.insert(0, str(TASKS / "mcp"))
    try:
        for name in [n for n in sys.modules if n.startswith("tasks_mcp_mcp")]:
            del sys.modules[name]
        server = importlib.import_module("tasks_mcp_mcp.server")
    finally:
        sys.path.remove(str(TASKS / "mcp"))
    return client, server


@pytest.fixture(scope="module")
def tasks_fake() -> Iterator[FakeTasks]:
    fake = FakeTasks().start()
    try:
        yield fake
    finally:
        fake.stop()


def _tasks_server(packages: tuple[ModuleType, ModuleType], fake: FakeTasks, *, advanced: bool = True, tags: frozenset[str] = frozenset()) -> Any:
    client, server = packages
    runtime = sys.modules["tasks_mcp_mcp._runtime"]
    chosen = runtime.Selection(tags=tags, advanced=advanced).chosen(server.TOOLS)
    listed = runtime.listing(TASKS / "mcp" / "tasks_mcp_mcp" / "tools.json", chosen)
    return runtime.make_server(
        "tasks_mcp", "2.1", "Tasks", "", chosen, [listed[t.name] for t in chosen],
        lambda: client.AsyncTasksClient(key=KEY, base_url=fake.base_url, throttle=False), runtime.Secrets(["TASKS_MCP_KEY"]),
        10 * 1024 * 1024,
    )


def _structured_fits(name: str, result: types.CallToolResult) -> None:
    """A result that is no error fits the tool's output schema (the client also checks it)."""
    schema = {t["name"]: t for t in _listing("tasks_mcp")}[name].get("outputSchema")
    if schema is not None and not result.is_error:
        jsonschema.validate(result.structured_content, schema, cls=jsonschema.Draft202012Validator)


def test_tasks_tools_in_memory(tasks_packages: tuple[ModuleType, ModuleType], tasks_fake: FakeTasks) -> None:
    fake = tasks_fake

    async def session() -> None:
        async with Client(_tasks_server(tasks_packages, fake)) as client:
            async def call(name: str, arguments: dict[str, Any]) -> Any:
                result = await client.call_tool(name, arguments)
                assert not result.is_error, _text(result)
                _structured_fits(name, result)
                return result.structured_content

            values = await call("list_tasks_project_values", {})
            assert values == {"values": [{"value": "home", "title": "Home"}, {"value": "work", "title": 'Work "quoted"'}]}
            baseline = await call("on_new_task", {"project": "work"})
            created = await call("create_task", {"title": "Write tests", "project": "work", "due": "2026-12-31", "priority": "high", "notes": None})
            assert created["due"] == "2026-12-31" and created["priority"] == "high" and created["status"] == "open"
            fake.tasks[created["id"]]["labels"] = ["urgent"]
            listed = await call("list_tasks", {"project": "work", "status": "open", "limit": 5})
            assert [t["title"] for t in listed["result"]] == ["Write tests"]
            assert (await call("get_labels", {"id": created["id"]})) == {"result": ["urgent"]}
            replaced = await call("replace_task", {"id": created["id"], "title": "Write more tests", "project": "work"})
            assert replaced["title"] == "Write more tests"
            attached = await call("attach_file", {"id": created["id"], "body": base64.b64encode(b"\x00\x01binary").decode()})
            assert attached == {"size": 8} and fake.attachments[created["id"]] == b"\x00\x01binary"
            downloaded = await client.call_tool("download_attachment", {"id": created["id"]})
            assert not downloaded.is_error and downloaded.structured_content == {"content_type": "application/octet-stream", "size": 8}
            resource = downloaded.content[0]
            assert isinstance(resource, types.EmbeddedResource) and isinstance(resource.resource, types.BlobResourceContents)
            assert base64.b64decode(resource.resource.blob) == b"\x00\x01binary" and resource.resource.mime_type == "application/octet-stream"
            new = await call("on_new_task", {"project": "work", "cursor": baseline["cursor"]})
            assert [t["title"] for t in new["items"]] == ["Write more tests"]
            fake.tasks[created["id"]]["status"] = "done"
            done = await call("on_task_done", {})
            assert [t["id"] for t in done["items"]] == [created["id"]] and done["cursor"]
            nothing = await call("on_task_done", {"cursor": done["cursor"]})
            assert nothing["items"] == []
            assert (await call("delete_task", {"id": created["id"]})) is None  # 204: no output schema, nothing
            gone = await client.call_tool("get_task", {"id": created["id"]})
            assert gone.is_error and _text(gone).startswith("NotFoundError") and f"no task {created['id']}" in _text(gone)
            bad = await client.call_tool("attach_file", {"id": 1, "body": "not base64!"})
            assert bad.is_error and "body: expected base64 text" in _text(bad)
            wrong = await client.call_tool("create_task", {"title": "x", "project": "work", "due": "tomorrow"})
            assert wrong.is_error and "due: expected date string" in _text(wrong), _text(wrong)

    _run(session())


def test_a_download_over_the_limit_is_a_tool_error(tasks_packages: tuple[ModuleType, ModuleType], tasks_fake: FakeTasks) -> None:
    client, server = tasks_packages
    runtime = sys.modules["tasks_mcp_mcp._runtime"]
    task = tasks_fake.add("big", "home")
    tasks_fake.attachments[task["id"]] = b"x" * 5000
    listed = runtime.listing(TASKS / "mcp" / "tasks_mcp_mcp" / "tools.json", server.TOOLS)
    made = runtime.make_server(
        "tasks_mcp", "2.1", "Tasks", "", server.TOOLS, [listed[t.name] for t in server.TOOLS],
        lambda: client.AsyncTasksClient(key=KEY, base_url=tasks_fake.base_url, throttle=False), runtime.Secrets(()), 4096,
    )

    async def session() -> types.CallToolResult:
        async with Client(made) as mcp:
            result: types.CallToolResult = await mcp.call_tool("download_attachment", {"id": task["id"]})
            return result

    result = _run(session())
    assert result.is_error and "larger than 4096 bytes (--max-download)" in _text(result)


def test_selection_by_visibility_tag_and_name(tasks_packages: tuple[ModuleType, ModuleType], tasks_fake: FakeTasks, capsys: pytest.CaptureFixture[str]) -> None:
    _, server = tasks_packages

    def listed(*argv: str) -> list[str]:
        assert server.main(["--list", *argv]) == 0
        return [line.split("\t")[0] for line in capsys.readouterr().out.splitlines()]

    every = listed("--advanced")
    assert "get_labels" in every and "get_labels" not in listed() and len(listed()) == len(every) - 1
    assert listed("--tags", "labels", "--advanced") == ["get_labels"]
    assert listed("--include", "get_task,delete_task") == ["delete_task", "get_task"]  # in the server's order
    assert "get_task" not in listed("--exclude", "get_task")
    assert server.main(["--list", "--include", "no_such_tool"]) == 2
    assert "no tool named 'no_such_tool'" in capsys.readouterr().err


def from_schema(schema: dict[str, Any], root: dict[str, Any] | None = None, depth: int = 0) -> st.SearchStrategy[Any]:
    """Values valid against ``schema``, for the subset of JSON Schema the tools' input schemas use (types,
    enums, formats, objects, arrays, anyOf, local $refs). hypothesis-jsonschema would be the library for
    it, but its release (0.23.1) fails with this hypothesis (6.170: ``'many' object has no attribute
    'more'``); tests/test_mcp.py checks the values drawn here against the schema with jsonschema."""
    root = root if root is not None else schema
    if "$ref" in schema:
        target = root["$defs"][schema["$ref"].rsplit("/", 1)[1]]
        return from_schema(target, root, depth + 1) if depth < 4 else st.nothing()
    if "anyOf" in schema:
        return st.one_of([from_schema(s, root, depth) for s in schema["anyOf"]])
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    kinds = schema.get("type")
    if kinds is None:
        return _JSON
    if isinstance(kinds, list):
        return st.one_of([from_schema({**schema, "type": kind}, root, depth) for kind in kinds])
    if kinds == "null":
        return st.none()
    if kinds == "boolean":
        return st.booleans()
    if kinds in ("integer", "number"):
        low = schema.get("minimum", schema.get("exclusiveMinimum"))
        high = schema.get("maximum", schema.get("exclusiveMaximum"))
        if kinds == "integer":
            low = None if low is None else int(low) + ("exclusiveMinimum" in schema)
            high = None if high is None else int(high) - ("exclusiveMaximum" in schema)
            numbers: st.SearchStrategy[Any] = st.integers(min_value=low if low is not None else -(2**40), max_value=high if high is not None else 2**40)
        else:
            numbers = st.floats(low, high, allow_nan=False, allow_infinity=False, exclude_min="exclusiveMinimum" in schema, exclude_max="exclusiveMaximum" in schema)
        step = schema.get("multipleOf")
        return numbers.filter(lambda n: n % step == 0) if step else numbers
    if kinds == "string":
        if schema.get("format") == "date":
            return st.dates().map(lambda d: d.isoformat())
        if schema.get("format") == "date-time":
            return st.datetimes(timezones=st.just(UTC)).map(lambda d: d.isoformat())
        if schema.get("contentEncoding") == "base64":
            return st.binary(max_size=16).map(lambda b: base64.b64encode(b).decode())
        low = schema.get("minLength", 0)
        return st.text(min_size=low, max_size=schema.get("maxLength", max(low, 12)))
    if kinds == "array":
        low = schema.get("minItems", 0)
        items = from_schema(schema.get("items", {}), root, depth + 1)
        return st.lists(items, min_size=low, max_size=schema.get("maxItems", max(low, 3)), unique_by=(lambda v: json.dumps(v, sort_keys=True)) if schema.get("uniqueItems") else None)
    if kinds == "object":
        properties = schema.get("properties", {})
        required = [k for k in schema.get("required", []) if k in properties]
        optional = [k for k in properties if k not in required]
        return st.fixed_dictionaries(
            {k: from_schema(properties[k], root, depth + 1) for k in required},
            optional={k: from_schema(properties[k], root, depth + 1) for k in optional},
        )
    return st.nothing()


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=8,
)


@pytest.mark.parametrize("name", [t["name"] for t in _listing("tasks_mcp") if t["name"] != "delete_task"])
def test_arguments_an_agent_would_send_are_accepted_or_refused_as_tool_errors(
    name: str, tasks_packages: tuple[ModuleType, ModuleType], tasks_fake: FakeTasks
) -> None:
    """From the input schema (what an agent reads), and any JSON object besides: every call gives a
    result, an error result at worst; a result that is no error fits the output schema."""
    schema = {t["name"]: t for t in _listing("tasks_mcp")}[name]["inputSchema"]
    tasks_fake.add("seed", "home")
    outcomes: list[bool] = []
    drawn = from_schema(schema)

    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(valid=st.booleans(), data=st.data())
    def check(valid: bool, data: st.DataObject) -> None:
        if valid:
            arguments = data.draw(drawn)
            jsonschema.validate(arguments, schema, cls=jsonschema.Draft202012Validator)  # the drawing is right
            arguments.pop("cursor", None)  # opaque: any object fits its schema; only one the tool gave is a cursor
        else:
            arguments = data.draw(st.dictionaries(st.text(max_size=8), _JSON, max_size=4))

        async def session() -> None:
            async with Client(_tasks_server(tasks_packages, tasks_fake)) as client:
                result = await client.call_tool(name, arguments)
                assert isinstance(result, types.CallToolResult)
                assert "Traceback" not in _text(result)
                _structured_fits(name, result)
                outcomes.append(bool(result.is_error))
                if valid and result.is_error:  # a valid call the service refused: a client error's, never ours
                    assert not _text(result).startswith(("invalid arguments", "no tool")), _text(result)

        _run(session())

    check()
    assert outcomes


# --------------------------------------------------------------------------- the MCP Inspector


INSPECTOR = "@modelcontextprotocol/inspector@2.12.0"


@pytest.fixture(scope="session")
def inspector() -> Path:
    """The MCP Inspector's command line, installed with npm into a folder of the checkout (git ignores it)."""
    npm = shutil.which("npm")
    if npm is None:
        pytest.skip("npm is not installed: the MCP Inspector (an npm package) cannot be")
    folder = ROOT / ".tools" / "inspector"
    program = folder / "node_modules" / ".bin" / "mcp-inspector"
    if not program.exists():
        folder.mkdir(parents=True, exist_ok=True)
        install = subprocess.run([npm, "install", "--no-audit", "--no-fund", "--silent", "--prefix", str(folder), INSPECTOR], capture_output=True, text=True, check=False, timeout=600)
        assert install.returncode == 0, install.stdout + install.stderr
    return program


def test_the_mcp_inspector_lists_and_calls_the_hipchat_server(inspector: Path, fake: FakeHipChat) -> None:
    env = [option for key, value in _hipchat_env(fake).items() for option in ("-e", f"{key}={value}")]

    def inspect(*args: str, fails: bool = False) -> Any:
        command = [str(inspector), "--cli", *args, *env, "--", sys.executable, "-m", "hipchat_mcp"]
        run = subprocess.run(command, capture_output=True, text=True, check=False, timeout=120)
        assert (run.returncode != 0) is fails, run.stdout + run.stderr  # it exits non-zero for an error result
        return json.loads(run.stdout)

    tools = inspect("--method", "tools/list")["tools"]
    assert [t["name"] for t in tools] == [t["name"] for t in _listing("hipchat")]
    assert {t["name"]: t["inputSchema"] for t in tools} == {t["name"]: t["inputSchema"] for t in _listing("hipchat")}
    called = inspect("--method", "tools/call", "--tool-name", "get_user_by_id", "--tool-arg", "userid=5")
    assert called.get("isError") in (None, False) and called["structuredContent"]["name"] == "Ann"
    failed = inspect("--method", "tools/call", "--tool-name", "get_user_by_id", "--tool-arg", "userid=999", fails=True)
    assert failed["isError"] is True and TOKEN not in json.dumps(failed)


@pytest.mark.slow
def test_the_server_project_installs_beside_its_client_and_runs_its_command(tmp_path: Path) -> None:
    """pip-install generated/hipchat's client and server into a fresh venv, as its README says: the
    console script lists the tools."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    install = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", str(HIPCHAT / "python"), str(HIPCHAT / "mcp")],
        capture_output=True, text=True, check=False,
    )
    assert install.returncode == 0, install.stdout + install.stderr
    listed = subprocess.run([str(venv / "bin" / "hipchat-mcp"), "--list"], capture_output=True, text=True, check=False, env={"PATH": os.environ["PATH"]})
    assert listed.returncode == 0, listed.stderr
    assert [line.split("\t")[0] for line in listed.stdout.splitlines()] == [t["name"] for t in _listing("hipchat")]


def test_server_arguments_come_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A document with servers and server variables: the server passes the client what its environment
    sets (<PREFIX>_<VARIABLE>, <PREFIX>_SERVER), and the client's defaults otherwise."""
    from connectorsmith.pipeline import generate
    from connectorsmith.render.targets import Target

    result = generate(CASES / "servers" / "servers.yaml", targets=frozenset({Target.PYTHON, Target.MCP}))
    assert result.ok and result.connector is not None and result.connector.mcp is not None
    for rel, text in result.files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text, "utf-8")
    settings = {argument: variable for argument, variable, _ in result.connector.mcp.settings}
    assert settings["server"] == "SERVERS_SERVER" and settings["region"] == "SERVERS_REGION"
    readme = (tmp_path / "servers" / "mcp" / "README.md").read_text("utf-8")
    assert "`SERVERS_REGION`" in readme and "`SERVERS_BASE_URL`" in readme
    import_generated(tmp_path / "servers" / "python", "servers")
    sys.path.insert(0, str(tmp_path / "servers" / "mcp"))
    try:
        server = importlib.import_module("servers_mcp.server")
    finally:
        sys.path.remove(str(tmp_path / "servers" / "mcp"))
    default = server._client(None)
    monkeypatch.setenv("SERVERS_SERVER", "1")
    monkeypatch.setenv("SERVERS_REGION", "us")
    chosen = server._client(None)
    given = server._client("http://127.0.0.1:9/api")
    assert chosen.base_url != default.base_url and "us" in chosen.base_url, (default.base_url, chosen.base_url)
    assert given.base_url == "http://127.0.0.1:9/api"


def test_a_schema_that_reaches_many_models_is_given_shallow_with_a_warning(tmp_path: Path) -> None:
    """Models that all reach each other (Kubernetes, Stripe) would put most of them in every tool's
    schema: past MAX_MODELS a schema holds its own fields typed and nested objects as plain objects."""
    from connectorsmith.builder.tools import MAX_MODELS
    from connectorsmith.pipeline import generate
    from connectorsmith.render.targets import Target

    chain = MAX_MODELS + 3
    definitions = {
        f"M{i}": {"type": "object", "properties": {"name": {"type": "string"}, **({"next": {"$ref": f"#/definitions/M{i + 1}"}} if i + 1 < chain else {})}}
        for i in range(chain)
    }
    small = {"type": "object", "properties": {"id": {"type": "integer"}}}
    spec = {
        "swagger": "2.0", "info": {"title": "Chain", "version": "1"}, "host": "example.invalid",
        "paths": {
            "/deep": {"get": {"operationId": "GetDeep", "responses": {"200": {"description": "ok", "schema": {"$ref": "#/definitions/M0"}}}}},
            "/small": {"post": {"operationId": "PostSmall", "parameters": [{"name": "body", "in": "body", "schema": {"$ref": "#/definitions/Small"}}], "responses": {"200": {"description": "ok", "schema": {"$ref": "#/definitions/M10"}}}}},
        },
        "definitions": {**definitions, "Small": small},
    }
    path = tmp_path / "chain.json"
    path.write_text(json.dumps(spec), "utf-8")
    result = generate(path, targets=frozenset({Target.PYTHON, Target.MCP}))
    assert result.ok and result.connector is not None and result.connector.mcp is not None, [d.render() for d in result.diagnostics]
    shortened = [d for d in result.diagnostics if d.code == "schema-shortened"]
    assert len(shortened) == 1 and "1 of the MCP server's tools" in shortened[0].message and "get_deep" in shortened[0].message
    tools = {t.name: t for t in result.connector.mcp.tools}
    deep = tools["get_deep"].output_schema
    jsonschema.Draft202012Validator.check_schema(deep)
    assert "$defs" not in deep and deep["properties"]["next"] == {"type": ["object", "null"]}  # M1: a plain object
    jsonschema.validate({"name": "a", "next": {"name": "b", "next": {"anything": 1}}}, deep)
    small_out = tools["post_small"].output_schema  # M10 reaches 5 models: whole, with $defs
    assert set(small_out["$defs"]) == {f"M{i}" for i in range(10, chain)}


def test_tasks_over_stdio_a_dynamic_values_tool_and_the_advanced_switch(tasks_fake: FakeTasks) -> None:
    """The fixture's server as a host starts it: its values tool over stdio, and --advanced by environment."""
    env = {
        "PYTHONPATH": os.pathsep.join([str(TASKS / "python"), str(TASKS / "mcp")]),
        "TASKS_MCP_KEY": KEY,
        "TASKS_MCP_BASE_URL": tasks_fake.base_url,
        "TASKS_MCP_MCP_ADVANCED": "1",
    }

    async def session() -> None:
        params = StdioServerParameters(command=sys.executable, args=["-m", "tasks_mcp_mcp"], env=env)
        async with Client(params) as client:
            names = [t.name for t in (await client.list_tools()).tools]
            assert "get_labels" in names and "list_tasks_project_values" in names
            values = await client.call_tool("list_tasks_project_values", {})
            assert not values.is_error and [v["value"] for v in values.structured_content["values"]] == ["home", "work"]
            refused = await client.call_tool("get_task", {"id": 10**6})
            assert refused.is_error and _text(refused).startswith("NotFoundError") and KEY not in _text(refused)

    _run(session())


def test_a_null_the_service_sends_for_a_required_field_fits_the_output_schema(tasks_packages: tuple[ModuleType, ModuleType], tasks_fake: FakeTasks) -> None:
    """The client keeps it; the SDK's client checks results against the output schema (and raises when
    one does not fit): every field of an output schema allows null."""
    task = tasks_fake.add("will be null")
    tasks_fake.tasks[task["id"]]["title"] = None

    async def session() -> types.CallToolResult:
        async with Client(_tasks_server(tasks_packages, tasks_fake)) as client:
            result: types.CallToolResult = await client.call_tool("get_task", {"id": task["id"]})
            # JSON Schema's integer: 30.0 is one, and the client is given 30
            listed = await client.call_tool("list_tasks", {"project": "home", "limit": 30.0})
            assert not listed.is_error, _text(listed)
            return result

    result = _run(session())
    assert not result.is_error and result.structured_content["title"] is None
    _structured_fits("get_task", result)


NAMES = """\
swagger: "2.0"
info: {title: Names, version: "1"}
host: example.invalid
securityDefinitions:
  baseUrl: {type: apiKey, in: header, name: X-Base}
security: [{baseUrl: []}]
paths:
  /values:
    get:
      operationId: ListValues
      x-ms-visibility: internal
      responses: {"200": {description: ok, schema: {type: array, items: {type: object, properties: {id: {type: string}}}}}}
  /a:
    get:
      operationId: GetA
      parameters:
        - {name: kind, in: query, type: string, x-ms-dynamic-values: {operationId: ListValues, value-path: id}}
      responses: {"200": {description: ok}}
  /b:
    get:
      operationId: GetB
      parameters:
        - {name: sort, in: query, type: string, x-ms-dynamic-values: {operationId: ListValues, value-path: id}}
      responses: {"200": {description: ok}}
  /c:
    get:
      operationId: GetC
      x-ms-visibility: internal
      parameters:
        - {name: kind, in: query, type: string, x-ms-dynamic-values: {operationId: ListValues, value-path: id}}
      responses: {"200": {description: ok}}
  /long:
    get:
      operationId: ThisOperationIdIsFarLongerThanTheSixtyFourCharactersThatHostsOfAgentsTakeAsAToolName
      responses: {"200": {description: ok}}
"""


def test_names_the_server_decides(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """One values tool for parameters listed alike, none for an operation that is no tool; a tool name
    within 64 characters; the server's base URL variable apart from a credential's of the same name; and
    its options' variables checked as the options are."""
    from connectorsmith.pipeline import generate
    from connectorsmith.render.targets import Target

    spec = tmp_path / "names.yaml"
    spec.write_text(NAMES, "utf-8")
    result = generate(spec, targets=frozenset({Target.PYTHON, Target.MCP}))
    assert result.ok and result.connector is not None and result.connector.mcp is not None, [d.render() for d in result.diagnostics]
    server = result.connector.mcp
    tools = {t.name: t for t in server.tools}
    values = [t for t in tools.values() if t.kind.value == "values"]
    assert [t.name for t in values] == ["get_a_kind_values"]  # get_b's sort is listed alike; get_c is internal
    assert "'kind' of get_a" in values[0].description and "'sort' of get_b" in values[0].description
    assert "get_a_kind_values" in tools["get_b"].input_schema["properties"]["sort"]["description"]
    long = next(t for t in tools.values() if t.method.startswith("this_operation_id"))
    assert len(long.name) <= 64 and long.name != long.method and re.fullmatch(r"[a-z0-9_]+_[0-9a-f]{8}", long.name)
    assert any(d.code == "renamed" and "shortened to 64 characters" in d.message for d in result.diagnostics)
    credentials = [p.env_var for p in result.connector.connection.parameters] if result.connector.connection else []
    assert credentials == ["NAMES_BASE_URL"] and server.base_url_variable == "NAMES_MCP_BASE_URL"
    for rel, text in result.files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text, "utf-8")
    readme = (tmp_path / "names" / "mcp" / "README.md").read_text("utf-8")
    assert readme.count("`NAMES_BASE_URL`") == 1 and "`NAMES_MCP_BASE_URL`" in readme
    import_generated(tmp_path / "names" / "python", "names")
    sys.path.insert(0, str(tmp_path / "names" / "mcp"))
    try:
        module = importlib.import_module("names_mcp.server")
    finally:
        sys.path.remove(str(tmp_path / "names" / "mcp"))
    monkeypatch.setenv("NAMES_MCP_TRANSPORT", "STDIO")  # any case
    assert module.main(["--list"]) == 0
    assert long.name in capsys.readouterr().out
    for variable, value, words in (("NAMES_MCP_TRANSPORT", "sse", "NAMES_MCP_TRANSPORT: 'sse' is not stdio or http"), ("NAMES_MCP_PORT", "abc", "invalid int value: 'abc'")):
        monkeypatch.setenv(variable, value)
        with pytest.raises(SystemExit) as exit_:
            module.main(["--list"])
        assert exit_.value.code == 2 and words in capsys.readouterr().err
        monkeypatch.delenv(variable)
