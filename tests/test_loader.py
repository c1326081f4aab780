"""Loading: safe YAML and JSON, positions kept, hostile documents refused with a location."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from random import Random

import pytest
import yaml
from connectorsmith.diagnostics import SpecError
from connectorsmith.document.loader import load
from hypothesis import given, settings
from hypothesis import strategies as st


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return path


def test_yaml_positions_are_kept(tmp_path: Path) -> None:
    doc = load(_write(tmp_path, "s.yaml", "a: 1\nb:\n  c: [x, {d: 2}]\n"))
    assert doc.positions[("b",)] == (2, 1)
    assert doc.positions[("b", "c", 1, "d")] == (3, 11)
    assert doc.locate(("b", "c", 1, "d", "missing")).line == 3


def test_yaml_is_json_compatible(tmp_path: Path) -> None:
    doc = load(_write(tmp_path, "s.yaml", "on: yes\ndate: 2016-01-01\nn: ~\nt: true\n200: ok\nf: 1.5\n"))
    assert doc.data == {"on": "yes", "date": "2016-01-01", "n": None, "t": True, "200": "ok", "f": 1.5}


def test_json_positions_and_values(tmp_path: Path) -> None:
    doc = load(_write(tmp_path, "s.json", '{\n  "a": [1, -2.5e3, "\\u00e9\\n"],\n  "b": {"c": null}\n}'))
    assert doc.data == {"a": [1, -2500.0, "é\n"], "b": {"c": None}}
    assert doc.positions[("a", 2)] == (2, 20)
    assert doc.positions[("b", "c")] == (3, 9)


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ("a: !!python/name:os.system\n", "1:4", "unsupported YAML tag"),
        ("a: !!binary aGk=\n", "1:4", "unsupported YAML tag"),
        ("a: &x [1]\n<<: *x\n", "2:1", "merge keys"),
        ("a: 1\na: 2\n", "2:1", "duplicate key 'a'"),
        ("a: [1,\n", "2:1", "invalid YAML"),
        ("", "1:1", "spec is empty"),
        ("- 1\n", "1:1", "mapping at the top level"),
    ],
)
def test_bad_yaml(tmp_path: Path, text: str, where: str, message: str) -> None:
    with pytest.raises(SpecError) as exc:
        load(_write(tmp_path, "s.yaml", text))
    first = exc.value.diagnostics[0]
    assert f"{first.location.line}:{first.location.column}" == where
    assert message in first.message


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ('{"a": 1, "a": 2}', "1:10", "duplicate key 'a'"),
        ('{"a": [1, 2,]}', "1:13", "expected a value"),
        ('{"a": tru}', "1:7", "expected a value"),
        ('{"a": "x\ny"}', "1:7", "unterminated or invalid string"),
        ('{"a": 1} x', "1:10", "unexpected text"),
        ("[" * 300 + "]" * 300, "1:66", "nested deeper"),
    ],
)
def test_bad_json(tmp_path: Path, text: str, where: str, message: str) -> None:
    with pytest.raises(SpecError) as exc:
        load(_write(tmp_path, "s.json", text))
    first = exc.value.diagnostics[0]
    assert f"{first.location.line}:{first.location.column}" == where
    assert message in first.message


def test_deep_yaml_is_refused_not_a_crash(tmp_path: Path) -> None:
    with pytest.raises(SpecError, match="nested deeper"):
        load(_write(tmp_path, "s.yaml", "a: " + "[" * 400 + "]" * 400 + "\n"))


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=25,
)


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(st.text(max_size=8), _json, max_size=5))
def test_json_loader_agrees_with_stdlib(tmp_path_factory: pytest.TempPathFactory, value: dict[str, object]) -> None:
    path = tmp_path_factory.mktemp("j") / "s.json"
    path.write_text(json.dumps(value, ensure_ascii=False, indent=1), "utf-8")
    assert load(path).data == value


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(st.text(max_size=8), _json, max_size=5))
def test_yaml_loader_reads_what_pyyaml_writes(tmp_path_factory: pytest.TempPathFactory, value: dict[str, object]) -> None:
    path = tmp_path_factory.mktemp("y") / "s.yaml"
    # Quoted scalars: PyYAML resolves plain ones by YAML 1.1 rules (0E0 is a string there, a number
    # in YAML 1.2, which the loader follows); structure, escapes and unicode are what is compared.
    dumped = yaml.safe_dump(value, allow_unicode=True, default_style='"')
    path.write_text(dumped, "utf-8")
    assert load(path).data == yaml.safe_load(dumped)


# The C parser reads a JSON spec when the text is plain; the position-keeping parser finds positions
# only when a diagnostic asks, and reads (and reports on) everything else. The two must agree.

_SCALAR_TOKENS = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats(allow_nan=False, allow_infinity=False).map(repr).filter(lambda t: "inf" not in t and "nan" not in t),
    st.text(max_size=8).map(lambda s: json.dumps(s, ensure_ascii=False)),
    st.sampled_from(["true", "false", "null", "NaN", "-Infinity", "1e999", "9" * 1001, "01", '"\\x"', '"a\tb"', '"\\ud800"', "-0", "1E5"]),
)


def _json_text(draw: st.DrawFn, depth: int = 0) -> str:
    kind = draw(st.sampled_from(["scalar", "object", "array"] if depth < 70 else ["scalar"]))
    if kind == "scalar":
        return draw(_SCALAR_TOKENS)
    count = draw(st.integers(min_value=0, max_value=3))
    space = draw(st.sampled_from(["", " ", "\n  ", "\t"]))
    if kind == "array":
        return "[" + space + ("," + space).join(_json_text(draw, depth + 1) for _ in range(count)) + "]"
    keys = draw(st.lists(st.sampled_from(["a", "b", "é", "", "$ref"]), min_size=count, max_size=count))
    return "{" + ",".join(f'{json.dumps(k)}:{space}{_json_text(draw, depth + 1)}' for k in keys) + "}"


@st.composite
def _documents(draw: st.DrawFn) -> str:
    deep = draw(st.integers(min_value=0, max_value=3)) == 0
    text = _json_text(draw, 0 if not deep else 60)
    return "[" * 66 + text + "]" * 66 if draw(st.booleans()) and deep else text


@settings(max_examples=400, deadline=None)
@given(_documents(), st.booleans())
def test_the_fast_json_path_reads_exactly_what_the_position_parser_reads(text: str, lenient: bool) -> None:
    from connectorsmith.document.loader import _JsonParser, _plain_json

    fast = _plain_json(text)
    try:
        parser = _JsonParser(text, "spec.json", lenient=lenient)
        data, _ = parser.parse()
    except SpecError:
        assert fast is None  # whatever the parser refuses, the fast path leaves to it
        return
    if fast is not None:
        assert fast[0] == data and type(fast[0]) is type(data)
        assert parser.warnings == []  # nothing forgiven goes unsaid


@settings(max_examples=200, deadline=None)
@given(st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(), lambda c: st.lists(c) | st.dictionaries(st.text(), c), max_leaves=30))
def test_plain_json_takes_the_fast_path(value: object) -> None:
    from connectorsmith.document.loader import _plain_json

    assert _plain_json(json.dumps(value)) == (value,)


def test_a_plain_json_spec_finds_its_positions_when_a_diagnostic_asks(tmp_path: Path) -> None:
    from connectorsmith.document.loader import _JsonParser

    text = '{\n  "a": 1,\n  "b": {"c": [true, {"d": 2}]}\n}\n'
    doc = load(_write(tmp_path, "s.json", text))
    assert doc.data == {"a": 1, "b": {"c": [True, {"d": 2}]}}
    assert doc.positions[("b",)] == (3, 3)  # a member stands where its key does
    assert doc.locate(("b", "c", 1, "d", "missing")).line == 3
    assert dict(doc.positions) == _JsonParser(text, "s.json").parse()[1]


@settings(max_examples=300, deadline=None)
@given(_documents())
def test_a_pointer_is_found_where_the_position_parser_puts_it(text: str) -> None:
    from connectorsmith.document.loader import _JsonParser, _LazyPositions, _plain_json

    if _plain_json(text) is None:
        return
    table = _JsonParser(text, "spec.json").parse()[1]
    walker = _LazyPositions(text, "spec.json", False)
    for pointer, position in table.items():
        assert walker._walk(pointer) == position
        assert walker._walk((*pointer, "missing")) is None and walker._walk((*pointer, 99)) is None


@settings(max_examples=200, deadline=None)
@given(_documents(), st.randoms(use_true_random=False))
def test_pointers_asked_in_any_order_are_found_where_the_position_parser_puts_them(text: str, rng: Random) -> None:
    """One walker asked for many pointers, in any order, missing ones among them: each object or array it
    reads on from where an earlier walk left it finds what a fresh parse finds; past its budget of reading,
    the whole table answers the same."""
    from connectorsmith.document.loader import _JsonParser, _LazyPositions, _plain_json

    if _plain_json(text) is None:
        return
    table = _JsonParser(text, "spec.json").parse()[1]
    asked = [*table, *((*p, "missing") for p in table), *((*p, 99) for p in table)]
    rng.shuffle(asked)
    for walker in (_LazyPositions(text, "spec.json", False), _budgeted(text)):
        assert {p: walker.get(p) for p in asked} == {p: table.get(p) for p in asked}


def _budgeted(text: str) -> Mapping[tuple[str | int, ...], tuple[int, int]]:
    from connectorsmith.document.loader import _LazyPositions

    walker = _LazyPositions(text, "spec.json", False)
    walker.READINGS = 0  # the table after the first value skipped
    return walker


def test_a_walk_reads_each_container_once() -> None:
    """Many pointers into one large object read its text about once, not once each (issue 24: a document with
    many findings is not parsed again in Python to place them)."""
    from connectorsmith.document.loader import _LazyPositions

    items = {f"/item{i}": {"get": {"summary": "x" * 50, "responses": {"200": {"description": "ok"}}}} for i in range(300)}
    text = json.dumps({"openapi": "3.0.3", "paths": items}, indent=2)
    walker = _LazyPositions(text, "spec.json", False)
    for i in range(0, 300, 7):
        assert walker[("paths", f"/item{i}", "get", "summary")][1] == 9
    assert walker._table is None and walker._skipped < len(text)
