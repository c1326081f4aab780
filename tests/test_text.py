"""Escaping filters: any text, however hostile, stays data in Python and Markdown output."""

from __future__ import annotations

import ast
import re

from connectorsmith import pyformat, text
from connectorsmith.render.renderer import format_python
from hypothesis import given, settings
from hypothesis import strategies as st

_pieces = st.text(alphabet=st.characters(codec="utf-8"), max_size=6) | st.sampled_from(
    ['"""', "'''", '"', "\\", "{{", "}}", "{%", "|", "\n", "\r", "<", "`", "#", "- ", "\x00", "\u2028"]
)
_hostile = st.lists(_pieces, max_size=12).map("".join)


@settings(max_examples=300)
@given(_hostile)
def test_py_str_is_a_literal_of_the_same_text(value: str) -> None:
    assert ast.literal_eval(text.py_str(value).replace(pyformat.UNSURE, "")) == value


def _black(source: str) -> str:
    import black

    return black.format_str(source.replace(pyformat.UNSURE, ""), mode=pyformat.black_mode())


@settings(max_examples=300, deadline=None)
@given(_hostile, st.integers(0, 90))
def test_literals_are_written_as_black_writes_them(value: str, pad: int) -> None:
    """What the filters emit is black's own form, or is marked for black to decide: never left unformatted."""
    name = "x" * (pad + 1)
    source = f"{name} = {text.py_str(value)}\n{name} = {text.py_literal([value, {value: 1.5e300}, (value,)])}\n"
    assert pyformat.format_python(source) == _black(source)


@settings(max_examples=300, deadline=None)
@given(_hostile, _hostile, st.integers(0, 80))
def test_docstrings_are_written_as_black_writes_them(summary: str, description: str, pad: int) -> None:
    name = "f" * (pad + 1)
    source = (
        f'class C:\n    def {name}(self) -> None:\n        """{text.docstring(summary, 8)}\n\n'
        f'        {text.docstring(description, 8)}\n        """\n\n    def g(self) -> None:\n        """{text.docstring(summary, 8)}"""\n'
    )
    assert pyformat.format_python(source) == _black(source)


@settings(max_examples=300, deadline=None)
@given(_hostile)
def test_docstring_cannot_break_out(value: str) -> None:
    source = f'def f() -> None:\n    """{text.docstring(value, 4)}"""\n    x = 1\n'
    tree = ast.parse(format_python(source, "test"))
    body = tree.body[0].body  # type: ignore[attr-defined]
    assert len(body) == 2, "the docstring swallowed or produced code"
    assert isinstance(body[0].value.value, str)


@settings(max_examples=300)
@given(_hostile)
def test_md_cell_stays_in_one_cell(value: str) -> None:
    cell = text.md_cell(value)
    assert "\n" not in cell and "\r" not in cell
    unescaped_pipes = [i for i, ch in enumerate(cell) if ch == "|" and (i == 0 or cell[i - 1] != "\\")]
    assert unescaped_pipes == []
    assert "<" not in cell.replace("<br>", "")


@settings(max_examples=300)
@given(_hostile)
def test_md_text_has_no_raw_html_or_block_syntax(value: str) -> None:
    out = text.md_text(value)
    assert "<" not in out
    for line in out.split("\n"):
        assert not line.startswith(("#", "-", "+", ">", "=")), line


def test_examples() -> None:
    assert text.md_code("a`b") == "``a`b``"
    assert text.md_url("javascript:alert(1)") == "#"
    assert text.md_url("https://x.invalid/a(b)") == "https://x.invalid/a%28b%29"
    assert text.toml_str('a"b\\c\n') == '"a\\"b\\\\c\\u000a"'
    assert text.slug("Élément du menü!") == "element-du-menu"


def test_code_in_a_table_cell_cannot_add_a_cell() -> None:
    cell = text.md_cell_code("X-Key|Other")
    assert cell == "`X-Key\\|Other`"
    row = f"| a | {cell} | c |"
    assert len(re.split(r"(?<!\\)\|", row)) == 5  # four cells' borders, not five


_names = st.text(alphabet="abcdefghij_", min_size=1, max_size=40).map(lambda s: "n" + s)


def _call(depth: int) -> st.SearchStrategy[str]:
    atom = _names | _names.map(text.py_str)
    if depth == 0:
        return atom
    inner = st.lists(atom | _call(depth - 1), min_size=1, max_size=4)
    return st.one_of(
        atom,
        st.tuples(_names, inner).map(lambda t: f"{t[0]}({', '.join(t[1])})"),
        inner.filter(lambda parts: len(parts) > 1).map(lambda parts: f"({', '.join(parts)})"),
    )


@settings(max_examples=300, deadline=None)
@given(st.lists(_call(3), min_size=2, max_size=3), st.sampled_from([4, 8, 12]))
def test_elements_are_laid_out_as_black_lays_them_out(items: list[str], indent: int) -> None:
    """An exploded collection's elements, split at their last bracket as black splits them: black
    changes nothing, or what it changes is on a line pyformat sends to black anyway."""
    pad = " " * (indent - 4)
    statement = f"{pad}x = [\n" + "".join(pyformat.element(item, indent) + "\n" for item in items) + f"{pad}]\n"
    source = _nest(statement, indent // 4 - 1)
    assert pyformat.format_python(source) == _black(source)


def _nest(body: str, depth: int) -> str:
    """``body`` (already indented) inside ``depth`` levels of blocks."""
    heads = "".join("    " * level + f"def f{level}() -> None:\n" for level in range(depth))
    return heads + body


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(_names, st.lists(_names, min_size=1, max_size=4), st.booleans()), min_size=1, max_size=3))
def test_parameters_are_laid_out_as_black_lays_them_out(params: list[tuple[str, list[str], bool]]) -> None:
    lines = [pyformat.parameter(name, " | ".join(types), "None" if optional else None, 8) for name, types, optional in params]
    body = "".join("        " + line.replace("\n", "\n        ") + "\n" for line in lines)
    source = f"class C:\n    def m(\n        self,\n        *,\n{body}    ) -> None:\n        pass\n"
    assert pyformat.format_python(source) == _black(source)
