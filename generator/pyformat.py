"""Python output in black's style, paying for black only where the style is in doubt.

The templates write code that black (pinned) leaves unchanged: exploded brackets
carry magic trailing commas, blank lines and quotes are black's.  What the spec's
data can still make unstable is handled here, per *chunk* (a top-level statement,
or one member of a top-level class):

- a chunk with a line longer than black's limit goes through black, which splits it;
- a chunk holding ``UNSURE`` goes through black: the escaping filters (``text.py``)
  put that mark beside a literal or docstring whose text black might rewrite
  (escapes, unusual indentation), instead of guessing black's rules for it.

Everything else is already what black would write.  ``tests/test_black_stable.py``
holds the promise: black leaves every generated Python file of the fixtures and
of the CI corpus slice unchanged.  Formatted chunks are cached by their text, so
a connector's many identical chunks, and the runtime modules every connector
shares, are formatted once per process.
"""

from __future__ import annotations

import functools
import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import black

#: Put beside text whose black formatting is in doubt; never left in output.
UNSURE = "\x00"
LINE_LENGTH = 100
_MEMBER = 4  # a class member's indentation


class FormatError(Exception):
    """Rendered text is not valid Python (a template bug): black's message."""


@functools.cache
def _mode() -> black.Mode:
    import black
    import black.mode

    return black.Mode(line_length=LINE_LENGTH, target_versions={black.mode.TargetVersion.PY311})


def black_mode() -> black.Mode:
    """The mode connectorgen formats with (line length 100, Python 3.11)."""
    return _mode()


@functools.lru_cache(maxsize=4096)
def _black(source: str, line_length: int) -> str:
    import black
    import black.parsing

    mode = _mode() if line_length == LINE_LENGTH else black.Mode(line_length=line_length, target_versions=_mode().target_versions)
    try:
        return black.format_str(source, mode=mode)
    except black.parsing.InvalidInput as exc:
        raise FormatError(str(exc)) from None


def format_with_black(source: str) -> str:
    """The whole of ``source`` through black (what a chunk that fails on its own falls back to)."""
    return _black(source.replace(UNSURE, ""), LINE_LENGTH)


def format_python(source: str) -> str:
    """``source`` as black formats it; raises FormatError when it is not valid Python."""
    parts = []
    for chunk, doubtful in _chunks(source):
        if doubtful:
            formatted = _format_chunk(chunk)
            if formatted is None:
                return format_with_black(source)
            chunk = formatted
        parts.append(chunk)
    return "".join(parts)


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


_CONTINUATIONS = ("else:", "elif ", "except", "finally:", ")", "]", "}")


def _chunks(source: str) -> list[tuple[str, bool]]:
    """``source`` cut into statements: each top-level one, and each member of a top-level class.

    With each chunk, whether its style is in doubt: it holds ``UNSURE``, or a line
    longer than black's limit that black might split.  A line inside a
    triple-quoted string (other than its last), the first line of a docstring,
    a one-line docstring or a comment on its own line is never split by black,
    so it is not counted.  A cut that is wrong anyway
    only makes a chunk that does not parse on its own; the caller then formats
    the whole file instead.
    """
    chunks: list[tuple[str, bool]] = []
    current: list[str] = []
    doubtful = in_string = in_class = False
    for line in source.split("\n"):
        stripped = line.lstrip(" ")
        depth = len(line) - len(stripped)
        if not in_string and stripped and (depth == 0 or (depth == _MEMBER and in_class)) and not stripped.startswith(_CONTINUATIONS):
            if depth == 0:
                in_class = stripped.startswith("class ")
            # Blank lines before a statement belong to it; comments and decorators stay with what follows them.
            if current and not _is_lead(current[-1], depth) and not _opens_block(current):
                keep = len(current)
                while keep and not current[keep - 1].strip():
                    keep -= 1
                if keep:
                    chunks.append(("\n".join(current[:keep]) + "\n", doubtful))
                    current, doubtful = current[keep:], False
        quotes = line.count('"""') % 2 == 1
        if UNSURE in line:
            doubtful = True
        elif width(line) > LINE_LENGTH:
            one_line_string = stripped.startswith('"""') and stripped.endswith('"""') and stripped.count('"""') == 2
            opening = stripped.startswith('"""') and quotes and not in_string  # a docstring's first line
            exempt = (in_string and not quotes) or stripped.startswith("#") or one_line_string or opening
            doubtful = doubtful or not exempt
        current.append(line)
        if quotes:
            in_string = not in_string
    chunks.append(("\n".join(current), doubtful))
    return chunks


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
