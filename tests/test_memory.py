"""A run given a Memory (--watch) writes, byte for byte, what a run without one writes.

The differential tests generate each spec, and sequences of edited specs, with one Memory kept
across the runs and without any, and compare files and diagnostics.  The fragments tests hold
the memo tag's keys to what a part reads.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jinja2
import pytest
import yaml
from connectorsmith import pyformat
from connectorsmith.output.surface import public_api
from connectorsmith.pipeline import Result, generate
from connectorsmith.render import memo
from connectorsmith.render import renderer as render
from connectorsmith.reuse import fragments
from connectorsmith.reuse.memory import Memory
from connectorsmith.reuse.stores import Layouts
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import CASES, ROOT, SHARED, case_specs, error_specs, needs_shared


def _outcome(result: Result, memory: Memory | None = None) -> tuple[dict[str, str], list[str], dict[str, str] | None]:
    """The files, diagnostics and public API (kept in the manifest) of a run; ``memory``: the one it was given."""
    api = public_api(result.connector, memory.api if memory else None) if result.connector else None
    if memory is not None:
        memory.next_run()  # as the command line does between runs
    return {str(path): text for path, text in result.files.items()}, [d.render() for d in result.diagnostics], api


def test_each_case_with_one_memory_matches_runs_without() -> None:
    memory = Memory()
    errors = error_specs()  # what each reports, again
    specs = [*case_specs(), ROOT / "spec" / "hipchat.yaml", *errors]
    for spec in specs:
        assert _outcome(generate(spec, memory=memory), memory) == _outcome(generate(spec)), spec
    rendered, remembered = memory.fragments.misses, memory.fragments.hits
    for spec in specs:  # the second round takes every part from memory
        assert _outcome(generate(spec, memory=memory), memory) == _outcome(generate(spec)), spec
    assert memory.fragments.misses == rendered > 0 and memory.fragments.hits > remembered


# ---------------------------------------------------------------------------- sequences of edits

_BASE = yaml.safe_load((CASES / "types31" / "types31.yaml").read_text("utf-8"))


def _operations(doc: dict[str, Any]) -> list[dict[str, Any]]:
    paths = doc.get("paths")
    items = [item for item in paths.values() if isinstance(item, dict)] if isinstance(paths, dict) else []
    return [op for item in items for op in item.values() if isinstance(op, dict) and "responses" in op]


def _nodes(value: Any) -> list[tuple[Any, Any]]:
    """(container, key) of every value in ``value``."""
    found: list[tuple[Any, Any]] = []
    stack = [value]
    while stack:
        node = stack.pop()
        items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for key, item in items:
            found.append((node, key))
            stack.append(item)
    return found


@st.composite
def _edit(draw: st.DrawFn, doc: dict[str, Any]) -> None:
    """One change to ``doc`` (in place): an operation's text, name or presence, or any value anywhere."""
    kind = draw(st.sampled_from(["summary", "description", "operationId", "remove", "value", "value"]))
    ops = _operations(doc)
    if kind != "value" and ops:
        op = draw(st.sampled_from(ops))
        if kind == "remove":
            for item in doc["paths"].values():
                for method, value in list(item.items() if isinstance(item, dict) else ()):
                    if value is op:
                        del item[method]
        elif kind == "operationId":
            op["operationId"] = draw(st.sampled_from(["listThings", "getThing", "createWidget", "ping"]))
        else:
            op[kind] = draw(st.text(alphabet="ab \n\"'\\`|*_<>{}", max_size=12))
        return
    container, key = draw(st.sampled_from(_nodes(doc)))
    # Values Python calls equal (1, 1.0, True) must not share remembered text.
    container[key] = draw(st.sampled_from([1, 1.0, True, False, 0, None, "x", "string", "integer", [], {}, {"type": "integer"}]))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_edits_with_one_memory_match_runs_without(tmp_path_factory: pytest.TempPathFactory, data: st.DataObject) -> None:
    folder = tmp_path_factory.mktemp("edits")
    memory = Memory()
    doc = copy.deepcopy(_BASE)
    for step in range(data.draw(st.integers(1, 4))):
        if step:
            data.draw(_edit(doc))
        spec = folder / "types31.json"
        spec.write_text(json.dumps(doc), "utf-8")
        assert _outcome(generate(spec, memory=memory), memory) == _outcome(generate(spec))


def _two_operations(first_id: str, first_param: str) -> dict[str, Any]:
    """Two operations that share state in the model: names (an inline enum of the first may take the
    name the second's inline response wants) and an inline schema (both return Things, an array
    definition whose item object is named after the first operation that reaches it)."""
    item = {"type": "object", "properties": {"id": {"type": "string"}}}
    return {
        "openapi": "3.0.3",
        "info": {"title": "Shared", "version": "1"},
        "paths": {
            "/one": {
                "get": {
                    "operationId": first_id,
                    "parameters": [{"name": first_param, "in": "query", "schema": {"type": "string", "enum": ["x", "y"]}}],
                    "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Things"}}}}},
                }
            },
            "/two": {
                "get": {
                    "operationId": "aB",
                    "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"type": "object", "properties": {"n": {"type": "integer"}}}}}}},
                }
            },
            "/three": {
                "get": {
                    "operationId": "third",
                    "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Things"}}}}},
                }
            },
        },
        "components": {"schemas": {"Things": {"type": "array", "items": item}}},
    }


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (("a", "bResponse"), ("a", "cResponse")),  # /one's enum AB_Response… frees the name /two's response took second
        (("a", "cResponse"), ("a", "bResponse")),  # … or takes it first
        (("a", "p"), ("renamed", "p")),  # Things' items get their name from /one: /three reads it
    ],
)
def test_an_operation_is_built_again_when_what_it_shares_changed(tmp_path: Path, before: tuple[str, str], after: tuple[str, str]) -> None:
    memory = Memory()
    spec = tmp_path / "shared.json"
    for version in (before, after):
        spec.write_text(json.dumps(_two_operations(*version)), "utf-8")
        assert _outcome(generate(spec, memory=memory), memory) == _outcome(generate(spec))
    assert memory.operations.replayed  # the unchanged operations were replayed where they could be


def test_a_definition_changed_is_documented_again(tmp_path: Path) -> None:
    """The docs' definition sections are kept while the document outside paths is the same."""
    memory = Memory()
    spec = tmp_path / "shared.json"
    for description in ("First", "Second", "Second"):
        doc = _two_operations("a", "p")
        doc["components"]["schemas"]["Things"]["items"]["description"] = description  # its section: a row of the items
        spec.write_text(json.dumps(doc), "utf-8")
        remembered = _outcome(generate(spec, memory=memory), memory)
        assert remembered == _outcome(generate(spec))
        assert f"| {description} |" in remembered[0]["shared/docs/shared.md"]


def test_a_definition_that_is_an_operations_schema_is_followed(tmp_path: Path) -> None:
    """components refer into paths: an operation then reads another operation's path item."""
    memory = Memory()
    spec = tmp_path / "into_paths.json"
    for field in ("a", "b"):
        doc = {
            "openapi": "3.0.3",
            "info": {"title": "Into paths", "version": "1"},
            "paths": {
                "/one": {"get": {"operationId": "one", "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {
                    "type": "object", "properties": {field: {"type": "string"}}}}}}}}},
                "/two": {"get": {"operationId": "two", "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {
                    "$ref": "#/components/schemas/Thing"}}}}}}},
            },
            "components": {"schemas": {"Thing": {"$ref": "#/paths/~1one/get/responses/200/content/application~1json/schema"}}},
        }
        spec.write_text(json.dumps(doc), "utf-8")
        assert _outcome(generate(spec, memory=memory), memory) == _outcome(generate(spec))


@needs_shared("bench-specs", "hipchat_v2.oas31.json")
def test_one_changed_operation_is_the_only_one_built_again(tmp_path: Path) -> None:
    memory = Memory()
    spec = tmp_path / "hipchat.json"
    doc = json.loads((SHARED / "bench-specs" / "hipchat_v2.oas31.json").read_text("utf-8"))  # path items of several operations
    alone = next(item for item in doc["paths"].values() if sum(1 for key in item if key in ("get", "post", "put", "patch", "delete")) == 1)
    operation = next(value for key, value in alone.items() if key in ("get", "post", "put", "patch", "delete"))
    count = len(_operations(doc))
    last: dict[str, Any] = {}
    sections: tuple[Any, ...] = ()
    for summary in ("First", "Second", "Third"):
        operation["summary"] = summary
        spec.write_text(json.dumps(doc), "utf-8")
        built, replayed = memory.operations.built, memory.operations.replayed
        fragments = memory.fragments.misses
        result = generate(spec, memory=memory)
        assert _outcome(result, memory) == _outcome(generate(spec))
        assert result.connector is not None
        finished = {op.operation_id: op for op in result.connector.operations}
        if summary != "First":  # what the model holds of the last run does not change the keys of this one
            assert (memory.operations.built - built, memory.operations.replayed - replayed) == (1, count - 1)
            assert 0 < memory.fragments.misses - fragments <= 9  # its constant, two methods, two raw-response stubs, README line, docs section…
            # the unchanged operations are the last run's objects (what is keyed by identity finds them)
            assert [name for name, op in finished.items() if op is not last[name]] == [operation["operationId"]]
            assert result.connector.definitions and all(a is b for a, b in zip(result.connector.definitions, sections, strict=True))
        last, sections = finished, result.connector.definitions


def test_the_public_api_kept_is_that_of_each_object_and_client() -> None:
    import dataclasses

    from connectorsmith.reuse.stores import ApiEntries as Kept

    connector = generate(ROOT / "spec" / "hipchat.yaml").connector
    assert connector is not None
    kept = Kept()
    assert public_api(connector, kept) == public_api(connector)
    renamed = dataclasses.replace(connector, class_prefix="Other")  # the same operations, another client class
    assert public_api(renamed, kept) == public_api(renamed) != public_api(connector)


# ---------------------------------------------------------------------------- the memo tag


def _env(**templates: str) -> jinja2.Environment:
    return memo.Environment(loader=jinja2.DictLoader(templates), extensions=[memo.Memo], undefined=jinja2.StrictUndefined)


def _render(env: jinja2.Environment, store: fragments.Store | None, **context: Any) -> str:
    with memo.remembering(env, store):
        return env.get_template("t").render(context)


def test_a_part_is_keyed_on_what_it_and_its_macros_read() -> None:
    env = _env(t="{% macro show(x) %}{{ x }}{{ suffix }}{% endmacro %}{% for op in ops %}{% memo %}{{ show(op) }}{{ prefix }}{% endmemo %}{% endfor %}")
    assert memo.memo_keys(env, "t") == {1: ("op", "prefix", "suffix")}
    store = fragments.Store()
    assert _render(env, store, ops=("a", "b"), prefix="<", suffix="!") == "a!<b!<"
    assert _render(env, store, ops=("a", "b"), prefix="<", suffix="?") == "a?<b?<"  # the macro's read changed
    assert _render(env, store, ops=("a", "b"), prefix="<", suffix="!") == "a!<b!<"
    assert store.hits == 2


def test_values_python_calls_equal_are_different_keys() -> None:
    env = _env(t="{% memo %}{{ v }}{% endmemo %}")
    store = fragments.Store()
    assert [_render(env, store, v=v) for v in (1, True, 1.0, 1)] == ["1", "True", "1.0", "1"]
    assert store.hits == 1


def test_a_part_given_the_same_objects_again_has_the_key_their_values_give() -> None:
    from connectorsmith.model import ThrottleLimit  # a frozen dataclass of the model

    store = fragments.Store()
    first, equal, other = ThrottleLimit("a", "user", 1, 2.0), ThrottleLimit("a", "user", 1, 2.0), ThrottleLimit("a", "user", 1, 3.0)
    key = store._key("part", (first, "x"))
    for turn in range(3):  # across runs, as --watch makes them
        assert store._key("part", (first, "x")) == key == store._made_key("part", (first, "x"))
        assert store._key("part", (equal, "x")) == key  # another object, equal: the same key
        assert store._key("part", (other, "x")) != key
        assert store._key("other part", (first, "x")) != key
        store.turn()
    assert store._key("part", ([1],)) is None  # not immutable data: never remembered, however often given
    unset = store._key("part", (jinja2.Undefined(name="call"),))  # a name a macro sets only in some branches
    assert unset == store._key("part", (jinja2.StrictUndefined(),)) == store._made_key("part", (jinja2.Undefined(),)) is not None
    # objects that die at once, their ids taken by the next: each its own key
    keys = {store._key("part", (("a", size * 1000),)) for size in range(50)}
    assert len(keys) == 50


@pytest.mark.parametrize(
    "source",
    [
        "{% for x in xs %}{% memo %}{{ loop.index }}{% endmemo %}{% endfor %}",
        "{% memo %}{% include 'other' %}{% endmemo %}",
        "{% set ns = namespace(n=0) %}{% memo %}{% set ns.n = ns.n + 1 %}{% endmemo %}",
        "{% macro m() %}{% memo %}{{ caller() }}{% endmemo %}{% endmacro %}{% call m() %}x{% endcall %}",
        "{% macro m() %}{% memo %}{{ varargs }}{% endmemo %}{% endmacro %}{{ m(1) }}",
    ],
    ids=["loop", "include", "namespace", "caller", "varargs"],
)
def test_a_part_that_may_read_more_than_names_is_never_remembered(source: str) -> None:
    env = _env(t=source, other="o")
    assert list(memo.memo_keys(env, "t").values()) == [None]


def test_a_value_that_is_not_immutable_data_is_rendered_every_time() -> None:
    env = _env(t="{% memo %}{{ v | length }}{% endmemo %}")
    store = fragments.Store()
    items = ["a"]
    assert _render(env, store, v=items) == "1"
    items.append("b")
    assert _render(env, store, v=items) == "2"
    assert store.hits == store.misses == 0


def test_without_a_store_the_tag_renders_its_body() -> None:
    env = _env(t="{% for x in xs %}{% memo %}[{{ x }}]{% endmemo %}{% endfor %}")
    assert _render(env, None, xs=(1, 2)) == "[1][2]"


def test_the_builtin_templates_parts_are_keyed_on_one_operation_model_or_definition_or_all_of_them() -> None:
    env = render.environment(None)
    templates = ("python/client.py.j2", "python/models.py.j2", "python/README.md.j2", "docs/connector.md.j2")
    keys = {name: set(memo.memo_keys(env, name).values()) for name in templates}
    assert None not in set().union(*keys.values())  # every part is remembered
    for name, found in keys.items():
        for names in found:
            assert names is not None and "c" not in names, (name, names)  # never the whole connector
            assert {"op", "m", "e", "d", "models", "enums", "definitions"} & set(names), (name, names)  # the lists: kept by their items


def test_a_tuple_of_the_same_objects_again_has_the_key_its_items_give() -> None:
    from connectorsmith.model import ThrottleLimit

    store = fragments.Store()
    items = [ThrottleLimit("a", "user", 1, float(i)) for i in range(3)]
    key = store._key("part", (tuple(items),))
    assert key is not None and store._key("part", (tuple(items),)) == key == store._made_key("part", (tuple(items),))
    assert store._key("part", (tuple(items[:2]),)) != key
    assert store._key("part", ((*items[:2], ThrottleLimit("a", "user", 1, 5.0)),)) != key
    assert store._key("part", ((items[0], [1]),)) is None  # an item that is not immutable data


# ---------------------------------------------------------------------------- formatting again

_PYTHON = [
    (CASES / name / "expected" / name / "python" / name / module).read_text("utf-8")
    for name in ("types31", "hostile", "unicode")
    for module in ("client.py", "models.py")
]
_ODD_LINES = [
    "",
    "class Extra:",
    "def top() -> None:",
    "    def method(self) -> None:",
    '    """A docstring',
    '    """',
    '"""',
    "@decorator",
    "# a comment",
    "    x = " + "1 + " * 30 + "1",
    "    " + fragments.__name__ + "\x00",
    "else:",
    ")",
]


@st.composite
def _edited(draw: st.DrawFn, source: str) -> str:
    lines = source.split("\n")
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(lines)))
        kind = draw(st.sampled_from(["replace", "insert", "delete", "header"]))
        new = draw(st.sampled_from(_ODD_LINES + lines[:200]))
        headers = [i for i, line in enumerate(lines) if line.startswith(("class ", "def "))]
        if kind == "header" and headers:  # a class made a function, or the other way: its members change state
            lines[draw(st.sampled_from(headers))] = draw(st.sampled_from(["def top() -> None:", "class Extra:"]))
        elif kind == "insert" or not lines:
            lines.insert(at, new)
        elif kind == "replace":
            lines[min(at, len(lines) - 1)] = new
        else:
            del lines[at : at + draw(st.integers(1, 30))]
    return "\n".join(lines)


def _cuts(chunks: list[pyformat.Chunk]) -> list[tuple[int, str, bool, bool]]:
    return [(c.start, c.text, c.doubtful, c.in_class) for c in chunks]


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_a_file_scanned_again_is_cut_as_a_fresh_scan_cuts_it(data: st.DataObject) -> None:
    before = data.draw(st.sampled_from(_PYTHON))
    if data.draw(st.booleans()):
        before = data.draw(_edited(before))
    after = data.draw(_edited(before))
    fresh = list(pyformat._statements(after))
    assert "".join(c.text for c in fresh) == after
    assert _cuts(pyformat._rescan(after, before, list(pyformat._statements(before)))) == _cuts(fresh)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["", " ", "  x = 1", "def f():", "\t", "class A:"]), max_size=8))
def test_a_chunks_cut_is_its_blank_lines_and_first_line(lines: list[str]) -> None:
    text = "\n".join(lines)
    lead = pyformat._lead(text)
    assert pyformat._cut(text) == "\n".join(text.split("\n")[: len(lead) + 1])


def test_a_file_formatted_again_is_what_formatting_it_once_gives() -> None:
    layouts = Layouts()
    for source in _PYTHON:
        edited = source.replace("def ", "def  ", 3)  # a few chunks black must format now
        for text in (source, edited, source, source):
            assert pyformat.format_python(text, layouts, "m.py") == pyformat.format_python(text)


def test_server_edits_with_one_memory_match_runs_without(tmp_path: Path) -> None:
    """Servers' variables are named for the whole client, after the operations (replayed or not) are built."""
    doc = yaml.safe_load((CASES / "servers" / "servers.yaml").read_text("utf-8"))
    memory = Memory()
    spec = tmp_path / "servers.json"

    def edits() -> Iterator[None]:
        yield
        doc["paths"]["/uploads"]["servers"][0]["variables"]["uploadPort"]["default"] = "9000"
        yield
        doc["servers"][1]["variables"]["api_key"] = {"default": "k"}  # a variable named like the credential
        doc["servers"][1]["url"] += "/{api_key}"
        yield
        doc["paths"]["/report"]["get"]["servers"][0]["variables"]["region"] = {"default": "eu", "enum": ["eu"]}
        doc["paths"]["/report"]["get"]["servers"][0]["url"] += "/{region}"
        yield
        del doc["paths"]["/uploads"]["servers"]
        doc["servers"] = doc["servers"][:1]
        yield

    for _ in edits():
        spec.write_text(json.dumps(doc), "utf-8")
        assert _outcome(generate(spec, memory=memory), memory) == _outcome(generate(spec))
