"""Escaping filters: spec text is data and can never break or inject into output.

Each function makes arbitrary text safe for one kind of place in a generated
file.  The renderer registers them as Jinja filters.
"""

from __future__ import annotations

import functools
import html
import re
import unicodedata

from .pyformat import UNSURE, element, fits

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u2028\u2029\x85]")


def py_str(text: str) -> str:
    """A Python string literal with the value ``text`` (any content, including quotes and newlines).

    Written as black writes it: double quotes unless the text holds a double quote.  A literal
    with escapes is marked ``UNSURE`` so that black itself decides its final form.
    """
    literal = repr(str(text))
    if "\\" in literal:
        return literal + UNSURE
    if literal[0] == "'" and '"' not in literal:
        return '"' + literal[1:-1] + '"'
    return literal


def py_literal(value: object) -> str:
    """A Python literal for a JSON-like value (None, bool, numbers, strings, lists, tuples, dicts), in black's style."""
    if isinstance(value, str):
        return py_str(value)
    if isinstance(value, float):
        literal = repr(value)
        return literal + UNSURE if not literal.replace(".", "").replace("-", "").isdigit() else literal
    if isinstance(value, (list, tuple)):
        items = ", ".join(py_literal(item) for item in value)
        if isinstance(value, list):
            return f"[{items}]"
        return f"({items},)" if len(value) == 1 else f"({items})"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{py_literal(key)}: {py_literal(item)}" for key, item in value.items()) + "}"
    return repr(value)


_QUOTES = re.compile(r'"(?=")|(?<=")"|"$')


def docstring(text: str, indent: int = 0) -> str:
    """Text to place between triple double quotes, indented by ``indent`` spaces after the first line."""
    return _docstring(str(text), indent)


@functools.lru_cache(maxsize=8192)
def _docstring(text: str, indent: int) -> str:
    """``docstring``, kept by its arguments: an operation's summary and its parameters' docs go into each of
    its methods, sync and async, alike."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\\", "\\\\")
    # A quote next to another quote, or last, could close the docstring: escape it.
    text = text.rstrip()
    if '"' in text:
        text = _QUOTES.sub(r'\\"', text)
    text = _CONTROL.sub(_escaped_control, text).replace("\t", "    ")
    lines = [line.rstrip() for line in text.strip().split("\n")]
    result = lines[0] + "".join("\n" + (" " * indent + line if line else "") for line in lines[1:])
    # black pads a docstring that starts or ends with a quote, or ends with a backslash, and rewrites an
    # empty one: let it decide those (see pyformat; it also checks the indentation of whole docstrings).
    # The mark goes at the end in question: pyformat finds a mark inert on a line inside a docstring
    # (where this text's start or end is not the docstring's).
    if result[:1] == '"':
        result = UNSURE + result
    if not result or result[-1] in '"\\':
        result += UNSURE
    return result


def _escaped_control(match: re.Match[str]) -> str:
    return repr(match.group(0))[1:-1]


def comment(text: str) -> str:
    """One line of text safe after a ``#``."""
    return " ".join(_CONTROL.sub(" ", str(text)).split())


_MD_SYNTAX = re.compile(r"([\\`*_\[\]|~])")
_MD_BLOCK = re.compile(r"^([#+\-=>]|\d+[.)])")
_MD_GAPS = re.compile(r"\n{3,}")


def _md_inline(text: str) -> str:
    text = html.escape(str(text), quote=False)
    text = _MD_SYNTAX.sub(r"\\\1", text)
    return _CONTROL.sub(" ", text)


def md_text(text: str) -> str:
    """A Markdown paragraph: HTML and Markdown syntax in ``text`` is shown, never interpreted."""
    return _md_text(str(text))


@functools.lru_cache(maxsize=8192)
def _md_text(text: str) -> str:
    lines = []
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = _md_inline(raw).strip()
        # Block syntax at the start of a line: headings, lists, quotes, rules, tables.
        line = _MD_BLOCK.sub(r"\\\1", line)
        lines.append(line)
    paragraphs = "\n".join(lines).strip()
    return _MD_GAPS.sub("\n\n", paragraphs)


def md_cell(text: str) -> str:
    """Text for one Markdown table cell: no newline or pipe can end the cell or the row."""
    return _md_cell(str(text))


@functools.lru_cache(maxsize=16384)
def _md_cell(text: str) -> str:
    """``md_cell``, kept by its text: a shared parameter's row is written on every operation that has it."""
    lines = [_md_inline(line).strip() for line in text.replace("\r", "\n").split("\n")]
    return "<br>".join(line for line in lines if line)


def md_code(text: str) -> str:
    """Inline code: a backtick fence longer than any backtick run in ``text``."""
    text = _CONTROL.sub(" ", str(text)).replace("\n", " ")
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text.strip() else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def md_cell_code(text: str) -> str:
    """Inline code inside a table cell: a ``|`` is escaped, as GFM requires even within code spans."""
    return md_code(text).replace("|", "\\|")


def md_url(url: str) -> str:
    """A link target: only http(s) URLs; anything else becomes ``#``. Characters that would end the target
    or split a table row (``(``, ``)``, ``|``, a backslash, a backtick) are percent-encoded."""
    url = str(url).strip()
    if not re.match(r"^https?://[^\s<>]+$", url):
        return "#"
    return url.translate(_URL_ESCAPES)


_URL_ESCAPES = str.maketrans({c: f"%{ord(c):02X}" for c in "()|\\`"})


def slug(text: str) -> str:
    """An HTML id made of ASCII letters, digits and '-'."""
    folded = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-") or "x"


def toml_str(text: str) -> str:
    """A TOML basic string."""
    out = ['"']
    for char in str(text):
        if char in '"\\':
            out.append("\\" + char)
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    out.append('"')
    return "".join(out)


def py_tuple(lines: str, indent: int, head: str, tail: str) -> str:
    """A tuple display of the items in ``lines`` (one per line), laid out as black lays it out.

    ``head`` ends with the opening parenthesis and ``tail`` starts with the closing one.  A
    single item that fits stays on one line (its comma is not a magic trailing comma); any
    other tuple has one item per line with a trailing comma.
    """
    items = [line.strip() for line in lines.splitlines() if line.strip()]
    pad = " " * indent
    if not items:
        return f"{pad}{head}{tail}\n"
    if len(items) == 1:
        line = f"{pad}{head}{items[0]},{tail}"
        if fits(line):
            return line + "\n"
    body = "".join(element(item, indent + 4) + "\n" for item in items)
    return f"{pad}{head}\n{body}{pad}{tail}\n"


def py_dict(lines: str, indent: int) -> str:
    """A dict display of the ``key: value`` items in ``lines`` (one per line), laid out as black lays it out.

    Empty, ``{}``; otherwise one item per line with a trailing comma, the closing brace at ``indent``.
    The display starts where it is placed: its first line is not indented.
    """
    items = [line.strip() for line in lines.splitlines() if line.strip()]
    if not items:
        return "{}"
    pad = " " * indent
    return "{\n" + "".join(f"{pad}    {item},\n" for item in items) + pad + "}"


def py_assign(value: str, indent: int, target: str) -> str:
    """``target = value`` on one line, laid out as black lays it out.

    Too long for one line, the value goes in parentheses on a line of its own when that makes it
    fit; otherwise the line stays long (black cannot split it either, and pyformat lets black see it).
    """
    pad = " " * indent
    line = f"{pad}{target} = {value}"
    if fits(line) or not fits(value, indent + 4):
        return line
    return f"{pad}{target} = (\n{pad}    {value}\n{pad})"
