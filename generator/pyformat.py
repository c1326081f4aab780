"""Python output in black's style, paying for black only where the style is in doubt.

The templates write code that black (pinned) leaves unchanged: exploded brackets
carry magic trailing commas, blank lines and quotes are black's, and where black's
layout depends on length the filters lay it out as black does (``element``: a
right-hand split; ``parameter``: a parenthesized long annotation).  What is still
in doubt is handled here, per *chunk* (a top-level statement, or one member of a
top-level class):

- a chunk with a line longer than black's limit that black could split (not a
  docstring or comment line, not a lone name or string) goes through black;
- a chunk holding ``UNSURE`` goes through black: the escaping filters (``text.py``)
  put that mark beside a literal or docstring black might rewrite (escapes, a
  quote at either end), instead of guessing black's rules for it; a mark on a
  line inside a docstring (not its first or last) is inert (``_inert_marks``);
- a chunk with a docstring whose indentation black would change (its fix_docstring
  rule) goes through black.

Within a doubtful chunk only the doubtful statements go through black, each on its own
(``_format_statements``); a statement that cannot be moved alone sends its chunk.
Everything else is already what black would write.  ``tests/test_black_stable.py``
holds the promise: black leaves every generated Python file of the fixtures, of
generated/ and of the CI corpus slice unchanged.  Formatted chunks are cached by
their text within a process; given kept layouts (``Kept``: ``--watch``), a file formatted
again is rescanned only where its text changed (``_rescan``).  The run-time's modules (``connectorsmith.runtime``)
are stored in black's style and copied, not formatted at all (see ``render.Template.static``).
"""

from __future__ import annotations

import functools
import keyword
import re
import unicodedata
from collections.abc import Iterator
from typing import TYPE_CHECKING, NamedTuple, Protocol

if TYPE_CHECKING:
    import black

#: Put beside text whose black formatting is in doubt; never left in output.
UNSURE = "\x00"
LINE_LENGTH = 100
_MEMBER = 4  # a class member's indentation


class FormatError(Exception):
    """Rendered text is not valid Python (a template bug): black's message."""


@functools.cache
def black_mode() -> black.Mode:
    """The mode connectorsmith formats with (line length 100, Python 3.11)."""
    import black
    import black.mode

    return black.Mode(line_length=LINE_LENGTH, target_versions={black.mode.TargetVersion.PY311})


@functools.lru_cache(maxsize=4096)
def _black(source: str, line_length: int) -> str:
    import black
    import black.parsing

    mode = black_mode() if line_length == black_mode().line_length else black.Mode(line_length=line_length, target_versions=black_mode().target_versions)
    try:
        return black.format_str(source, mode=mode)
    except black.parsing.InvalidInput as exc:
        raise FormatError(str(exc)) from None


def format_with_black(source: str) -> str:
    """The whole of ``source`` through black (what a chunk that fails on its own falls back to)."""
    return _black(source.replace(UNSURE, ""), LINE_LENGTH)


class Chunk(NamedTuple):
    """One statement of a source (see ``_statements``) and what black makes of it."""

    start: int  # offset in the source
    text: str
    doubtful: bool
    in_class: bool  # the scan's state before the chunk's first statement line
    output: str = ""


class Kept(Protocol):
    """The chunks of the files formatted before, by name (``--watch``: the reuse layer keeps them): a file
    formatted again is scanned only where it changed, and its other chunks keep their output."""

    def last(self, name: str) -> tuple[str, list[Chunk]] | None: ...

    def keep(self, name: str, source: str, chunks: list[Chunk]) -> None: ...


def format_python(source: str, layouts: Kept | None = None, name: str = "") -> str:
    """``source`` as black formats it; raises FormatError when it is not valid Python.

    ``layouts``: the chunks of the file ``name`` formatted last, reused where ``source`` has the
    same text (and updated).
    """
    last = layouts.last(name) if layouts is not None else None
    chunks = _rescan(source, *last) if last is not None else list(_statements(source))
    for index, chunk in enumerate(chunks):
        if chunk.output:
            continue  # a chunk kept from the last layout
        output = chunk.text.replace(UNSURE, "") if UNSURE in chunk.text else chunk.text  # inert marks
        if chunk.doubtful:
            formatted = _format_statements(chunk.text)
            if formatted is None:
                formatted = _format_chunk(chunk.text)
            if formatted is None:
                return format_with_black(source)
            output = formatted
        chunks[index] = chunk._replace(output=output)
    if layouts is not None:
        layouts.keep(name, source, chunks)
    return "".join(chunk.output for chunk in chunks)


def _rescan(source: str, before: str, chunks: list[Chunk]) -> list[Chunk]:
    """The chunks of ``source`` (as ``_statements`` cuts it), given the ``chunks`` of ``before``.

    An old chunk is kept, moved to where it now starts, when the scan would cut the same chunk
    there: same state, same text, and the line that ended it (the next chunk's blank lines and
    first line) the same.  Elsewhere the text is scanned, from the state the kept chunks leave,
    until a scanned chunk is one of the old ones and the old chunk after it fits again.
    """
    if source == before:
        return chunks
    old: dict[tuple[str, bool], list[int]] = {}
    for index, chunk in enumerate(chunks):
        old.setdefault((chunk.text, chunk.in_class), []).append(index)
    result: list[Chunk] = []
    pos, at, state = 0, 0, False  # where the next chunk starts; the old chunk that may be next; its state
    while True:
        while at < len(chunks) and _fits(source, pos, state, chunks, at):
            result.append(chunks[at]._replace(start=pos))
            pos += len(chunks[at].text)
            at += 1
            state = chunks[at].in_class if at < len(chunks) else state
        if at == len(chunks) and pos == len(source) and result:
            return result
        lead = _lead(chunks[at].text) if 0 < at < len(chunks) else []  # what the last kept chunk's cut checked
        for chunk in _statements(source, pos, state, lead):
            result.append(chunk)
            pos = chunk.start + len(chunk.text)
            following = next((i + 1 for i in old.get((chunk.text, chunk.in_class), ()) if at <= i + 1 < len(chunks)), None)
            if following is not None and _fits(source, pos, chunks[following].in_class, chunks, following):
                at, state = following, chunks[following].in_class
                break  # the rest of this scan is old chunks again
        else:
            return result


def _fits(source: str, pos: int, state: bool, chunks: list[Chunk], index: int) -> bool:
    """Whether a scan of ``source`` at ``pos`` in ``state`` cuts ``chunks[index]`` (as it did before)."""
    chunk = chunks[index]
    if chunk.in_class != state or not source.startswith(chunk.text, pos):
        return False
    end = pos + len(chunk.text)
    if index + 1 == len(chunks):
        return end == len(source)
    cut = _cut(chunks[index + 1].text)
    return source.startswith(cut, end) and (end + len(cut) == len(source) or source[end + len(cut)] == "\n")


def _cut(text: str) -> str:
    """A chunk's blank lines and first line (``_lead``'s lines and the one after them): what the scan
    read to cut the chunk before it there; read from the start of ``text``, not all of it."""
    pos = 0
    while True:
        newline = text.find("\n", pos)
        if newline == -1 or text[pos:newline].strip():
            return text if newline == -1 else text[:newline]
        pos = newline + 1


def _lead(text: str) -> list[str]:
    """A chunk's blank lines before its first statement line (the cut put them there)."""
    lines = text.split("\n")
    count = 0
    while count < len(lines) - 1 and not lines[count].strip():
        count += 1
    return lines[:count]


def fits(line: str, indent: int = 0) -> bool:
    """Whether ``line`` at ``indent`` fits in black's line length (``UNSURE`` marks take no room)."""
    return width(" " * indent + line.replace(UNSURE, "")) <= LINE_LENGTH


def lines_fit(text: str) -> bool:
    """Whether every line of ``text`` (indented as it is) fits in black's line length."""
    return all(fits(line) for line in text.split("\n"))


def width(line: str) -> int:
    """A line's length as black counts it: East Asian wide characters count twice, combining ones not at all."""
    if line.isascii():
        return len(line)
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)


def _format_chunk(chunk: str) -> str | None:
    """One chunk through black, in its own indentation; None when it does not parse on its own."""
    body = chunk.strip("\n")
    leading, trailing = chunk[: chunk.index(body)], chunk[chunk.index(body) + len(body) :]
    indent = _MEMBER if body.startswith(" " * _MEMBER) else 0
    lines = body.replace(UNSURE, "").split("\n")
    if indent and any(line and not line.startswith(" " * indent) for line in lines):
        return None
    try:
        formatted = _black("\n".join(line[indent:] for line in lines) + "\n", LINE_LENGTH - indent)
    except FormatError:
        return None
    if indent:
        formatted = "\n".join(" " * indent + line if line else line for line in formatted.split("\n"))
    return leading + formatted.rstrip("\n") + trailing


def _format_statements(chunk: str) -> str | None:
    """A doubtful chunk with only its doubtful statements through black, each on its own, the rest kept;
    None when a statement cannot be formatted alone (the caller then formats the chunk).

    Black lays out one logical line (a simple statement, or a compound statement's header) from that
    line alone, at its indentation; blank lines, the one thing it decides from the lines around, are
    not in a statement.  So a statement is given to black dedented, inside ``def _():`` (a docstring
    stays a docstring), with the line length less what the dedent took; a header gets ``pass`` for a
    body, an ``elif``/``else``/``except``/``finally`` the statement it continues.  A method of forty lines
    with one long line costs black that line, not the method (tests/test_black_stable.py compares the
    two ways).
    """
    lines = chunk.split("\n")
    rows = _doubtful_rows(lines)
    spans = _logical_lines(chunk.replace(UNSURE, "")) if rows else None
    if not spans or any(not any(first <= row <= last for first, last, _ in spans) for row in rows):
        return None  # a doubtful line in no statement (a comment): the chunk decides
    output: list[str] = []
    done = 0  # lines of ``lines`` already in ``output``
    opens_body = False  # whether the statement before opens a def's or class's body (a docstring may follow)
    for first, last, header in spans:
        statement = [line.replace(UNSURE, "") for line in lines[first : last + 1]]
        if any(first <= row <= last for row in rows):
            formatted = _format_statement(statement, header=header, docstring=opens_body)
            if formatted is None:
                return None
            output += lines[done:first]
            output.append(formatted)
            done = last + 1
        opens_body = header and statement[0].lstrip(" ").startswith(("def ", "async def ", "class "))
    output += lines[done:]
    return "\n".join(output).replace(UNSURE, "")  # the inert marks of the statements kept


_WRAPPER = "def _():\n"
_STRING_STATEMENT = re.compile(r"[rRbBuUfF]{0,2}['\"]")
_BEFORE = {"elif": "if _:\n    pass\n", "else": "if _:\n    pass\n", "except": "try:\n    pass\n", "finally": "try:\n    pass\n"}


def _format_statement(lines: list[str], *, header: bool, docstring: bool) -> str | None:
    """One logical line (its physical ``lines``) as black formats it alone, in its own indentation;
    ``header``: whether it opens a block; ``docstring``: whether a string statement there is a docstring
    (the first of a def's or class's body)."""
    depth = len(lines[0]) - len(lines[0].lstrip(" "))
    if depth % 4 or any(line and not line.startswith(" " * depth) for line in lines[1:]):
        return None  # a continuation line left of the statement (in a string): not movable
    if _sole_long_string(lines):
        return "\n".join(lines)
    head = lines[0].lstrip(" ")
    keyword = head.split(" ", 1)[0].rstrip(":")
    if _STRING_STATEMENT.match(head) and (depth == 0 or not docstring):
        return None  # a string statement black would take for a docstring in the wrapper: not one here
    if head.startswith("@") or keyword in ("case", "match"):
        return None  # a decorator, a match: their meaning depends on what is around them
    inner = 4 if depth else 0
    before = _BEFORE.get(keyword, "")
    text = "\n".join(line[depth - inner :] if line else line for line in lines)
    prefix = (_WRAPPER if inner else "") + "".join(" " * inner + part + "\n" for part in before.splitlines())
    source = prefix + text + ("\n" + " " * (inner + 4) + "pass" if header else "") + "\n"
    try:
        formatted = _black(source, LINE_LENGTH - (depth - inner))
    except FormatError:
        return None
    if not formatted.startswith(prefix):
        return None
    body = formatted[len(prefix) :].rstrip("\n")
    if header:
        tail = "\n" + " " * (inner + 4) + "pass"
        if not body.endswith(tail):
            return None
        body = body[: -len(tail)]
    shift = " " * (depth - inner)
    return "\n".join(shift + line if line else line for line in body.split("\n"))


_CALL = re.compile(r"[A-Za-z_][\w.]*\(")


def _sole_long_string(lines: list[str]) -> bool:
    """A call statement whose sole argument is one double-quoted string without escapes, too long for a line
    of its own, written as black leaves it (``py_element``'s split): ``name(``, the string 4 deeper, ``)``.  Black splits the call at its
    bracket and cannot split the string, so the long line is no doubt; its statement costs no black call
    (a deprecated operation's warning with a long message)."""
    if len(lines) != 3:
        return False
    head, argument, tail = lines
    pad = head[: len(head) - len(head.lstrip(" "))]
    string = argument[len(pad) + 4 :]
    return (
        _CALL.fullmatch(head[len(pad) :]) is not None
        and not keyword.iskeyword(head[len(pad) : -1])  # ``return(``, ``assert(``: black drops such brackets
        and tail == pad + ")"
        and argument[: len(pad) + 4] == pad + "    "
        and string[:1] == '"'
        and "\\" not in string  # black keeps the quotes of a string without escapes
        and _outside_strings(string) == ""
        and not fits(string, len(pad) + 4)
        and fits(head)
    )


def _logical_lines(text: str) -> list[tuple[int, int, bool]] | None:
    """The first and last line (0-based) of each logical line of ``text``, and whether it is a compound
    statement's header (its last token, comments aside, is ':'); None when ``text`` does not tokenize."""
    import io
    import tokenize

    spans: list[tuple[int, int, bool]] = []
    start: int | None = None
    last = ""
    skip = (tokenize.NL, tokenize.COMMENT, tokenize.INDENT, tokenize.DEDENT, tokenize.ENDMARKER, tokenize.ENCODING)
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if start is None:
                if token.type in skip:
                    continue
                start = token.start[0] - 1
            if token.type == tokenize.NEWLINE:
                spans.append((start, token.end[0] - 1, last == ":"))
                start = None
            elif token.type not in skip:
                last = token.string
    except (tokenize.TokenError, SyntaxError):
        return None
    return spans


def _doubtful_rows(lines: list[str]) -> set[int]:
    """The lines that make a chunk doubtful, by the rules of ``_statements``."""
    rows: set[int] = set()
    in_string = False
    docstring: list[str] = []
    for row, line in enumerate(lines):
        in_doubt, in_string, docstring = _line_doubt(line, line.lstrip(" "), in_string, docstring)
        if in_doubt:
            rows.add(row)
    return rows


# What is left, once strings are left out, of one name, number or string, optionally after a key ("key: ")
# or a keyword ("name="), or of a lambda without parameters returning a name: black has no place to split
# any of them (a keyword's "=" and a lambda's ":" are no delimiters to it).
_ATOM = re.compile(r"(?:\w+=|[\w.]*: )?(?:[\w.]*|lambda: [\w.]+)\Z")
_SOLE = re.compile(r"(?:lambda: |is not )[A-Za-z_][\w.]*")
_CONTINUATIONS = ("else:", "elif ", "except", "finally:", ")", "]", "}")


def _chunks(source: str) -> list[tuple[str, bool]]:
    """``source`` cut into statements, each with whether its style is in doubt (see ``_statements``)."""
    return [(chunk.text, chunk.doubtful) for chunk in _statements(source)]


def _statements(source: str, start: int = 0, in_class: bool = False, lead: list[str] | None = None) -> Iterator[Chunk]:
    """``source`` cut into statements: each top-level one, and each member of a top-level class.

    With each chunk, whether its style is in doubt: it holds ``UNSURE``, or a line
    longer than black's limit that black might split.  A line inside a
    triple-quoted string (other than its last), the first line of a docstring,
    a one-line docstring, a comment on its own line, or an element of an
    exploded bracket with no bracket of its own is never split by black, so it
    is not counted.  A cut that is wrong anyway
    only makes a chunk that does not parse on its own; the caller then formats
    the whole file instead.

    A scan can resume at a chunk of an earlier scan (``_rescan``): from its ``start``, in its
    ``in_class`` state, its ``lead`` (blank lines) already read.
    """
    lead = lead or []
    current: list[str] = list(lead)
    chunk_start, chunk_class = start, in_class
    doubtful = in_string = False
    docstring: list[str] = []
    body = source[start + sum(len(line) + 1 for line in lead) :] if start or lead else source
    for line in body.split("\n"):
        if line[:1] == " " and not (in_class and line[:4] == "    " and line[4:5] not in (" ", "")) and '"""' not in line:
            # An indented line of a statement (most lines): only its length can make the chunk doubtful.
            if in_string:
                docstring.append(line)
            doubtful = doubtful or (UNSURE in line and not (in_string and _inert_marks(line))) or (not in_string and _may_be_long(line) and _black_may_split(line, line.lstrip(" "), opening=False))
            current.append(line)
            continue
        if not line:  # an empty line (a third of the rest): nothing to cut, nothing in doubt
            if in_string:
                docstring.append(line)
            current.append(line)
            continue
        stripped = line.lstrip(" ")
        depth = len(line) - len(stripped)
        if not in_string and stripped and (depth == 0 or (depth == _MEMBER and in_class)) and not stripped.startswith(_CONTINUATIONS):
            was_class = in_class
            if depth == 0:
                in_class = stripped.startswith("class ")
            # Blank lines before a statement belong to it; comments and decorators stay with what follows them.
            if current and not _is_lead(current[-1], depth) and not _opens_block(current):
                keep = len(current)
                while keep and not current[keep - 1].strip():
                    keep -= 1
                if keep:
                    text = "\n".join(current[:keep]) + "\n"
                    yield Chunk(chunk_start, text, doubtful, chunk_class)
                    chunk_start, chunk_class = chunk_start + len(text), was_class
                    current, doubtful = current[keep:], False
        in_doubt, in_string, docstring = _line_doubt(line, stripped, in_string, docstring)
        doubtful = doubtful or in_doubt
        current.append(line)
    yield Chunk(chunk_start, "\n".join(current), doubtful, chunk_class)


# Outside a triple-quoted string: what the scan for its delimiters skips or stops at (a comment; a one-line
# string, whose text may hold three quotes: ``'x"""y'``), and the delimiter. Inside one: up to its end.
_CODE = re.compile(r'"""|#|\'(?:[^\'\\]|\\.)*\'|"(?:[^"\\]|\\.)*"')
_TRIPLE_END = re.compile(r'(?:[^"\\]|\\.|"(?!""))*"""')


def _toggles(line: str, in_string: bool) -> bool:
    """Whether ``line`` opens or closes triple-quoted strings an odd number of times, given whether one is
    open before it: its delimiters, not three quotes in a comment or in a one-line string (spec text
    printed as a literal or a comment may hold them, and would otherwise turn what follows into a string
    to the scan)."""
    if '"""' not in line:
        return False
    pos, inside, odd = 0, in_string, False
    while True:
        if inside:
            end = _TRIPLE_END.match(line, pos)
            if end is None:
                return odd
            pos, inside, odd = end.end(), False, not odd
            continue
        found = _CODE.search(line, pos)
        if found is None or found.group() == "#":
            return odd
        if found.group() == '"""':
            inside, odd = True, not odd
        pos = found.end()


def _line_doubt(line: str, stripped: str, in_string: bool, docstring: list[str]) -> tuple[bool, bool, list[str]]:
    """Whether ``line`` puts its chunk in doubt (the rules of ``_statements``), given whether a triple-quoted
    string is open before it and that string's lines so far; with the two after it."""
    quotes = _toggles(line, in_string)
    doubt = False
    if quotes and not in_string:
        docstring = [line]
    elif in_string:
        docstring.append(line)
        doubt = quotes and not _docstring_keeps_indentation(docstring)
    inside = in_string and not quotes  # a line within a triple-quoted string, not its last
    opening = quotes and not in_string and stripped.startswith('"""')  # a docstring's first line
    doubt = doubt or (UNSURE in line and not (inside and _inert_marks(line))) or (not inside and _may_be_long(line) and _black_may_split(line, stripped, opening=opening))
    return doubt, in_string != quotes, docstring


def _inert_marks(line: str) -> bool:
    """Whether the ``UNSURE`` marks of ``line``, a line inside a triple-quoted string (neither its first nor
    its last), are beside nothing black changes.  The docstring filter marks text that starts or ends with
    a quote or ends with a backslash: black pads such a docstring only at the docstring's own ends (its
    first and last character), and of a line inside it changes only the indentation (checked at the
    closing line, ``_docstring_keeps_indentation``) and trailing whitespace (fix_multiline_docstring).
    Not inert: a mark after a backslash (a backslash before a newline makes black leave the docstring
    alone), or on a line that ends with whitespace."""
    text = line.replace(UNSURE, "")
    return "\\" + UNSURE not in line and text == text.rstrip()


def _may_be_long(line: str) -> bool:
    """A cheap first test for ``_black_may_split``: an ASCII line of at most the line length fits (a line's
    width is its length unless it holds wide or combining characters)."""
    return len(line) > LINE_LENGTH or not line.isascii()


def _black_may_split(line: str, stripped: str, *, opening: bool) -> bool:
    """A line over black's limit that black could split: not a docstring's first line, a one-line
    docstring, a comment, or an element that is one atom."""
    if width(line) <= LINE_LENGTH or opening or stripped.startswith("#"):
        return False
    one_line_string = stripped.startswith('"""') and stripped.endswith('"""') and stripped.count('"""') == 2
    return not (one_line_string or _unsplittable_element(stripped))


def _docstring_keeps_indentation(lines: list[str]) -> bool:
    """Whether black leaves a multi-line string's indentation as it is: black strips the smallest
    indentation of the lines after the first and indents them at the opening line's instead."""
    prefix = len(lines[0]) - len(lines[0].lstrip(" "))
    body = [*lines[1:-1], lines[-1][: lines[-1].rindex('"""')]]  # the last line without its closing quotes
    indents = [len(line) - len(line.lstrip()) for line in body if line.strip()]
    return not indents or min(indents) == prefix


def _unsplittable_element(stripped: str) -> bool:
    """An element of an exploded bracket (it ends with its comma) that is one name, number or string,
    or a key, parameter or keyword and such an atom: black splits a line only at brackets or delimiters
    (and parenthesizes only an annotation that has some), and the only delimiter here is that comma.
    Without the comma: a call's sole argument ``lambda: name`` (black's own split of a long one leaves it
    so), or ``is not name``, the rest of a condition black split before its ``is not`` (``if_header``)."""
    if stripped.endswith(","):
        return _ATOM.match(_outside_strings(stripped[:-1])) is not None
    return _SOLE.fullmatch(stripped) is not None


def _opens_block(lines: list[str]) -> bool:
    """The last line with text ends with ':' (a class header): its body's first line stays with it."""
    for line in reversed(lines):
        if line.strip():
            return line.rstrip().endswith(":")
    return False


def _is_lead(line: str, depth: int) -> bool:
    """A decorator or comment line at ``depth``: it leads into the next statement."""
    stripped = line.lstrip(" ")
    return len(line) - len(stripped) == depth and stripped.startswith(("@", "#"))


def element(item: str, indent: int, comma: bool = True) -> str:
    """``item,`` as one element of an exploded collection at ``indent``, laid out as black lays it out.

    It stays on one line when it fits.  Otherwise black splits it at its last bracket: a call's
    arguments go on one line of their own when they fit there, else one per line with a trailing
    comma (a sole argument without a comma is split in turn, and gets none); a parenthesized tuple
    always gets one element per line.  Anything else, or a part that is still too long, is left as
    it is: that line is then over the limit, and black sees the chunk.  ``comma``: whether the
    element ends with a comma.
    """
    pad, end = " " * indent, "," if comma else ""
    line = f"{pad}{item}{end}"
    if fits(line) or UNSURE in item or not item.endswith(")"):
        return line
    opening = _matching_open(item)
    if opening is None:
        return line
    head, body = item[: opening + 1], item[opening + 1 : -1]
    parts = _top_level_split(body)
    if not parts or (head == "(" and len(parts) == 1 and not body.rstrip().endswith(",")):
        return line  # (x) is not a tuple
    if head != "(" and fits(body, indent + 4) and not body.rstrip().endswith(","):
        return f"{pad}{head}\n{pad}    {body}\n{pad}){end}"
    if head != "(" and len(parts) == 1 and not body.rstrip().endswith(","):
        return f"{pad}{head}\n{element(parts[0], indent + 4, comma=False)}\n{pad}){end}"
    return f"{pad}{head}\n" + "".join(element(part, indent + 4) + "\n" for part in parts) + f"{pad}){end}"


def _outside(text: str) -> Iterator[tuple[int, str]]:
    """(index, character) of each character of ``text`` outside string literals (their quotes included)."""
    quote, i = "", 0
    while i < len(text):
        c = text[i]
        if quote:
            if c == "\\":
                i += 1
            elif c == quote:
                quote = ""
        elif c in "\"'":
            quote = c
        else:
            yield i, c
        i += 1


_SPECIAL = re.compile(r"[\"'\\()\[\]{},]")


def _scan(text: str) -> list[tuple[int, str]]:
    """(index, character) of every bracket and comma of ``text`` outside string literals: ``_outside``'s
    walk, over the characters that matter only (quotes, backslashes, brackets, commas)."""
    found: list[tuple[int, str]] = []
    quote, escaped = "", -1
    for match in _SPECIAL.finditer(text):
        i, c = match.start(), match.group()
        if quote:
            if i == escaped:
                continue
            if c == "\\":
                escaped = i + 1
            elif c == quote:
                quote = ""
        elif c in "\"'":
            quote = c
        elif c != "\\":
            found.append((i, c))
    return found


def _matching_open(text: str) -> int | None:
    """The index of the bracket that the last character of ``text`` (a ')') closes."""
    stack: list[int] = []
    for i, c in _scan(text):
        if c in "([{":
            stack.append(i)
        elif c in ")]}":
            if not stack:
                return None
            start = stack.pop()
            if i == len(text) - 1:
                return start
    return None


def _top_level_split(body: str) -> list[str]:
    """``body`` cut at its commas outside brackets and strings (a trailing comma makes no empty part)."""
    parts, depth, start = [], 0, 0
    for i, c in _scan(body):
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        elif depth == 0:
            parts.append(body[start:i].strip())
            start = i + 1
    last = body[start:].strip()
    if last:
        parts.append(last)
    return [p for p in parts if p]


def _outside_strings(text: str) -> str:
    """``text`` with its string literals left out."""
    return "".join(c for _, c in _outside(text))


def parameter(name: str, annotation: str, default: str | None, indent: int) -> str:
    """``name: annotation = default,`` in an exploded signature at ``indent``, as black lays it out:
    a long union annotation goes in parentheses on a line of its own when it fits there, else (a union
    of names) an operand a line.  The lines after the first are indented relative to it (the caller
    indents the whole signature)."""
    tail = f" = {default}," if default is not None else ","
    line = f"{name}: {annotation}{tail}"
    if fits(line, indent) or not _top_level_union(annotation):
        return line  # black splits a single name or subscript otherwise, or not at all: it sees this line
    if fits(annotation, indent + 4):
        return f"{name}: {_parenthesized([annotation])}{tail}"
    parts = annotation.split(" | ")
    if not all(_NAME.fullmatch(part) for part in parts):
        return line
    return f"{name}: {_parenthesized(parts)}{tail}"


_NAME = re.compile(r"[A-Za-z_][\w.]*")


def returns(annotation: str, end: str, indent: int) -> str:
    """``) -> annotation`` and ``end`` (``:`` or ``: ...``), the last line of an exploded signature at
    ``indent``, as black lays it out past its line length: a name goes in parentheses on a line of its
    own, a subscript of one name is split at its bracket, a union of names goes in parentheses (one
    line, or an operand a line).  Anything else is left as it is, for black."""
    line = f") -> {annotation}{end}"
    if fits(line, indent) or UNSURE in annotation:
        return line
    pad = " " * indent
    head, bracket, rest = annotation.partition("[")
    if bracket and _NAME.fullmatch(head) and rest.endswith("]") and _NAME.fullmatch(rest[:-1]):
        return f") -> {head}[\n{pad}    {rest[:-1]}\n{pad}]{end}"
    parts = annotation.split(" | ")
    if not all(_NAME.fullmatch(part) for part in parts):
        return line
    if len(parts) == 1 and "." not in annotation and not fits(annotation, indent + 4):
        return line  # a plain name black cannot fit anyway: it leaves the line as it is
    if len(parts) == 1 or fits(annotation, indent + 4):
        return f") -> {_parenthesized([annotation], pad)}{end}"
    return f") -> {_parenthesized(parts, pad)}{end}"


def field(name: str, annotation: str, default: str, indent: int) -> str:
    """``name: annotation = default``, a field with a default in a class body at ``indent``, as black lays it
    out past its line length, for a union annotation and a default that is one name (``None``,
    ``_serde.UNSET``): the default in parentheses on a line of its own when ``name: annotation = (`` fits;
    else the annotation in parentheses, on a line of its own when it fits there, else an operand a line
    (each fitting).  Anything else is left as it is, for black (the line stays over the limit).  The lines
    after the first are indented relative to it, as ``parameter``'s."""
    line = f"{name}: {annotation} = {default}"
    if fits(line, indent) or UNSURE in line or not _NAME.fullmatch(default) or not _top_level_union(annotation):
        return line
    if fits(f"{name}: {annotation} = (", indent):
        return f"{name}: {annotation} = {_parenthesized([default])}"
    if fits(annotation, indent + 4):
        return f"{name}: {_parenthesized([annotation])} = {default}"
    parts = _union_operands(annotation)
    if not all(fits(part, indent + 6) for part in parts):
        return line
    return f"{name}: {_parenthesized(parts)} = {default}"


_IS_NOT = re.compile(r"(\w+(?:\(\w*\))?) (is not [\w.]+)")


def if_header(condition: str, indent: int) -> str:
    """``if condition:`` at ``indent``, for a condition ``name is not name`` (the left a name or a call
    without arguments, such as ``type(self)``), as black lays it out past its line length: in parentheses,
    split before ``is not`` (the condition alone, 4 deeper, is as long as the line: it does not fit on a
    line of its own either), the right side on its line however long.  Anything else is left as it is,
    for black (the line stays over the limit)."""
    pad = " " * indent
    line = f"{pad}if {condition}:"
    match = _IS_NOT.fullmatch(condition)
    if fits(line) or match is None or not condition.isascii():
        return line
    left, right = match.groups()
    return f"{pad}if (\n{pad}    {left}\n{pad}    {right}\n{pad}):"


def result_head(annotation: str, rest: str, indent: int) -> str:
    """``result: annotation = `` before ``rest`` (the first line of the value) at ``indent``, as black lays it
    out: on the line when that fits or ``result: annotation = (`` does (the value is then put in parentheses
    by the caller, not here); else, for a name or a union of names, the annotation in parentheses, on a line
    of its own (a single name however long) or an operand a line, ``) = `` then continuing.  Anything else
    is left on the line, for black."""
    head = f"result: {annotation} = "
    if fits(head + rest, indent) or fits(head + "(", indent) or UNSURE in annotation or not annotation.isascii():
        return head
    parts = _union_operands(annotation)
    if not all(_NAME.fullmatch(part) for part in parts):
        return head
    pad = " " * indent
    if len(parts) == 1 or fits(annotation, indent + 4):
        return f"result: {_parenthesized([annotation], pad)} = "
    if not all(fits(part, indent + 6) for part in parts):
        return head
    return f"result: {_parenthesized(parts, pad)} = "


def class_header(name: str, base: str) -> str:
    """``class name(base):`` at the top level, as black lays it out past its line length: the base on a
    line of its own (while ``class name(`` and the base there fit; else left as it is, for black)."""
    line = f"class {name}({base}):"
    if fits(line) or UNSURE in line or not fits(f"class {name}(") or not fits(base, 4) or "," in base:
        return line
    return f"class {name}(\n    {base}\n):"


def _parenthesized(operands: list[str], pad: str = "") -> str:
    """``operands`` in parentheses as black writes an expression it cannot fit: each on a line of its own, 4
    deeper than ``pad`` (the line's indentation), after the first one ``| ``, the closing bracket at ``pad``
    (one operand: the whole expression on its line)."""
    return f"(\n{pad}    " + f"\n{pad}    | ".join(operands) + f"\n{pad})"


def _union_operands(annotation: str) -> list[str]:
    """The operands of ``annotation``'s ``|`` outside brackets and strings."""
    parts, depth, start = [], 0, 0
    for i, c in _outside(annotation):
        depth += c in "([{"
        depth -= c in ")]}"
        if c == "|" and depth == 0:
            parts.append(annotation[start:i].strip())
            start = i + 1
    return [*parts, annotation[start:].strip()]


def _top_level_union(annotation: str) -> bool:
    """A ``|`` outside brackets: the delimiter without which black leaves optional parentheses out."""
    depth = 0
    for c in _outside_strings(annotation):
        depth += c in "([{"
        depth -= c in ")]}"
        if c == "|" and depth == 0:
            return True
    return False
