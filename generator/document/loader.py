"""Stage 1: load a spec file (YAML or JSON) into plain data, keeping every node's position.

Only safe constructs are accepted: YAML is composed into nodes with the safe
resolver and turned into dicts, lists, strings, numbers, booleans and None by
hand, so no tag can run code; duplicate mapping keys are errors; alias
expansion is bounded so a "billion laughs" document fails fast.  JSON is read
by a small position-tracking parser that accepts exactly RFC 8259 JSON.  The YAML half is
``yamlload``, imported only for YAML files (PyYAML costs a JSON spec's run ~14 ms).
"""

from __future__ import annotations

import bisect
import hashlib
import json
import math
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from ..diagnostics import Code, Diagnostic, Location, Pointer, Severity, SpecError, display_path
from .limits import MAX_DEPTH, MAX_FILE_BYTES, MAX_NUMBER_DIGITS, duplicate_key, error_at, warning_at


@dataclass(frozen=True)
class Document:
    """A loaded spec: its data and where each value stands in the file."""

    path: Path
    display: str
    #: The document's values: plain dicts, lists, strings, numbers, booleans and None; a tree (each dict and
    #: list stands at one place: YAML aliases and bundled references are copies), which validation relies on.
    data: Any
    positions: Mapping[Pointer, tuple[int, int]]
    #: What lenient reading forgave (a BOM, trailing commas, comments, bytes that are not UTF-8).
    warnings: tuple[Diagnostic, ...] = ()
    #: Real-world input: problems connectorsmith can repair are warnings, not errors.
    lenient: bool = False
    #: What ``data`` was read from, as a digest (SHA-256 of the file's bytes, its kind and the
    #: reading; of every file's, for a document bundled from several): equal for equal data; ""
    #: when the document was not read from a file.
    source: str = ""
    #: A document bundled from several files (see bundle.py): the parts of ``data`` that came from
    #: another file, by their pointer here, with that file's document and their pointer there.
    origins: Mapping[Pointer, tuple[Document, Pointer]] = field(default_factory=dict)
    #: Every file (absolute path) or URL the document was read from, the root first, with the SHA-256
    #: of its bytes.
    inputs: tuple[tuple[str, str], ...] = ()
    #: What reading the document found wrong that later checks can still look past (a reference to
    #: another file that cannot be followed): errors reported with validation's.
    errors: tuple[Diagnostic, ...] = ()

    def origin(self, pointer: Pointer) -> tuple[Document, Pointer]:
        """The file that holds ``pointer`` (its document) and the pointer there: this one, unless bundled."""
        if self.origins:
            for cut in range(len(pointer), 0, -1):
                found = self.origins.get(tuple(pointer[:cut]))
                if found is not None:
                    return found[0], (*found[1], *pointer[cut:])
        return self, tuple(pointer)

    def places(self, display: str, pointer: Pointer) -> list[Pointer]:
        """Where, in this document, the value at ``pointer`` of the file shown as ``display`` stands (``origin``
        backwards): in a bundled document, every place it was copied to; none when it is not part of it."""
        if not self.origins:
            return [tuple(pointer)] if display == self.display else []
        found = [
            (*prefix, *pointer[len(base) :])
            for prefix, (holder, base) in self.origins.items()
            if holder.display == display and tuple(pointer[: len(base)]) == base
        ]
        if display == self.display:
            found.append(tuple(pointer))
        return [p for p in found if (self.origin(p)[0].display, self.origin(p)[1]) == (display, tuple(pointer))]  # not a longer prefix's

    def locate(self, pointer: Pointer) -> Location:
        """The position of ``pointer``, or of its nearest ancestor that has one, in the file that holds it."""
        doc, probe = self.origin(pointer)
        while probe not in doc.positions and probe:
            probe = probe[:-1]
        line, column = doc.positions.get(probe, (1, 1))
        return Location(doc.display, line, column)

    def error(self, pointer: Pointer, message: str, hint: str = "") -> Diagnostic:
        return Diagnostic(Severity.ERROR, self.locate(pointer), message, hint, self.origin(pointer)[1])

    def warning(self, pointer: Pointer, message: str, hint: str = "", *, code: Code) -> Diagnostic:
        return Diagnostic(Severity.WARNING, self.locate(pointer), message, hint, self.origin(pointer)[1], code)

    def problem(self, pointer: Pointer, message: str, hint: str = "", *, code: Code = "spec-violation") -> Diagnostic:
        """A problem connectorsmith can repair: an error in an authored spec, a warning (of ``code``) in lenient mode."""
        return self.warning(pointer, message, hint, code=code) if self.lenient else self.error(pointer, message, hint)


def load(path: Path, *, lenient: bool = False) -> Document:
    """Read ``path``; raise SpecError with located diagnostics if it cannot be read.

    ``lenient`` reads real-world files as Power Platform's tools do: JSON with
    comments and trailing commas, and bytes that are not UTF-8 (decoded as
    Windows-1252), each forgiven with a warning.
    """
    shown = display_path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SpecError([error_at(shown, 1, 1, f"cannot read spec: {exc.strerror}", "check the path")]) from None
    return parse(raw, shown, path, lenient=lenient)


def is_json(name: str, raw: bytes) -> bool:
    """JSON by the name's suffix; a name without .json, .yaml or .yml (a URL) by its first character."""
    suffix = PurePosixPath(name).suffix.lower()
    if suffix in (".yaml", ".yml"):
        return False
    return suffix == ".json" or raw.lstrip(b"\xef\xbb\xbf \t\r\n").startswith((b"{", b"["))


def parse(
    raw: bytes, shown: str, path: Path, *, lenient: bool = False, json_text: bool | None = None, whole: bool = True, location: str | None = None
) -> Document:
    """The document in ``raw``, read from ``path`` (shown as ``shown`` in diagnostics; ``location``, its
    absolute path or URL, default: ``path`` made absolute); JSON or YAML as ``json_text`` says (default:
    by the path's suffix). ``whole``: a whole spec, which must be a mapping; a file a spec refers to
    may hold any value."""
    warnings: list[Diagnostic] = []
    if len(raw) > MAX_FILE_BYTES:
        raise SpecError([error_at(shown, 1, 1, f"spec is {len(raw)} bytes, over the {MAX_FILE_BYTES} byte limit", "split the spec")])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        if not lenient:
            raise SpecError([error_at(shown, line, column, "spec is not valid UTF-8", "save the file as UTF-8")]) from None
        text = raw.decode("cp1252", errors="replace")
        warnings.append(warning_at(shown, line, column, "file is not valid UTF-8; read as Windows-1252", "save the file as UTF-8"))
    if text.startswith("\ufeff"):
        text = text[1:]
        if lenient:
            warnings.append(warning_at(shown, 1, 1, "file starts with a byte order mark", "save the file as UTF-8 without a BOM"))
    positions: Mapping[Pointer, tuple[int, int]]
    as_json = path.suffix.lower() == ".json" if json_text is None else json_text
    if as_json:
        fast = _plain_json(text)
        if fast is not None:  # the usual case: positions are found only if a diagnostic asks for one
            data, positions = fast[0], _LazyPositions(text, shown, lenient)
        else:  # anything to report or forgive: the position-keeping parser says what and where
            parser = _JsonParser(text, shown, lenient=lenient)
            data, positions = parser.parse()
            warnings += parser.warnings
    else:
        from .yamlload import load_yaml  # PyYAML only for YAML files

        data, positions, forgiven = load_yaml(text, shown, lenient)
        warnings += forgiven
    if _SURROGATE_ESCAPE.search(text):
        data, found = _without_surrogates(data, shown, positions, lenient)
        if found and not lenient:
            raise SpecError(found)
        warnings += found
    if whole and not isinstance(data, dict):
        raise SpecError([error_at(shown, 1, 1, "spec must be a mapping at the top level", "start with 'swagger: \"2.0\"' or 'openapi: 3.1.0'")])
    digest = hashlib.sha256(raw).hexdigest()
    kind = path.suffix.lower().encode() if json_text is None else b".json" if as_json else b".yaml"
    source = hashlib.sha256(b"%s\0%d\0" % (kind, lenient) + raw).hexdigest()
    return Document(path, shown, data, positions, tuple(warnings), lenient, source, inputs=((location or os.path.abspath(path), digest),))


#: An escape that may stand for half of a UTF-16 surrogate pair (JSON ``\ud800``, YAML ``\U0000d800``).
_SURROGATE_ESCAPE = re.compile(r"\\(?:u|U0000)[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _without_surrogates(data: Any, shown: str, positions: Mapping[Pointer, tuple[int, int]], lenient: bool) -> tuple[Any, list[Diagnostic]]:
    """``data`` with every lone surrogate (an escape for half a UTF-16 pair, which no file can hold as text)
    replaced by U+FFFD, and a diagnostic for each string or key that held one: an error, or in lenient
    reading a warning."""
    found: list[Diagnostic] = []

    def clean(text: str, pointer: Pointer) -> str:
        if not _SURROGATE.search(text):
            return text
        paired = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")  # YAML's "\ud83d\ude00": one character
        if paired.count("\ufffd") == text.count("\ufffd"):
            return paired
        probe = pointer
        while probe not in positions and probe:
            probe = probe[:-1]
        line, column = positions.get(probe, (1, 1))
        message = f"{text.encode('utf-8', 'backslashreplace').decode('ascii', 'backslashreplace')[:60]!r} holds a lone surrogate (half of a UTF-16 pair), which is not text"
        severity = Severity.WARNING if lenient else Severity.ERROR
        hint = "escape the whole pair, e.g. \\ud83d\\ude00, or remove it"
        found.append(Diagnostic(severity, Location(shown, line, column), message + (" (replaced by U+FFFD)" if lenient else ""), hint, pointer, "lenient-read" if lenient else ""))
        return _SURROGATE.sub("\ufffd", text)

    def walk(value: Any, pointer: Pointer) -> Any:
        if isinstance(value, str):
            return clean(value, pointer)
        if isinstance(value, dict):
            return {clean(k, (*pointer, k)): walk(v, (*pointer, k)) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v, (*pointer, i)) for i, v in enumerate(value)]
        return value

    return walk(data, ()), found


# --------------------------------------------------------------------------- JSON

_WS = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?")
_STRING = re.compile(r'"(?:[^"\\\x00-\x1f]|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*"')
_LENIENT_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)

_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|.)", re.DOTALL)


def _keep_bad_escape(match: re.Match[str]) -> str:
    """A backslash that starts no JSON escape is kept, in lenient reading, as a literal backslash."""
    escape = match.group(1)
    return match.group(0) if len(escape) == 5 or escape in '"\\/bfnrt' else "\\\\" + escape


_COMMENT = re.compile(r"(?://[^\n]*|/\*.*?\*/)", re.DOTALL)


class _Defer(Exception):
    """The text is not plain JSON within the limits: the position-keeping parser reads it."""


def _defer(_: object = None) -> Any:
    raise _Defer


def _pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(items)
    if len(result) != len(items):
        raise _Defer  # a duplicate key
    return result


def _json_int(token: str) -> int:
    if len(token) > MAX_NUMBER_DIGITS:
        raise _Defer
    return int(token)


def _json_float(token: str) -> float:
    number = float(token)
    if len(token) > MAX_NUMBER_DIGITS or not math.isfinite(number):
        raise _Defer
    return number


def _plain_json(text: str) -> tuple[Any] | None:
    """(data,) from the C parser when ``text`` is strict JSON that _JsonParser would read with nothing to
    say (no duplicate key, NaN, overlong or infinite number, or nesting over MAX_DEPTH); else None.

    The two agree on every such text (tests/test_loader.py holds them to it, with hypothesis).
    """
    try:
        data = json.loads(text, object_pairs_hook=_pairs, parse_constant=_defer, parse_int=_json_int, parse_float=_json_float)
    except (ValueError, RecursionError, _Defer):
        return None
    level, deepest = [data], 0
    while level:  # breadth first: the depth of the deepest value, the document being 0
        level = [v for c in level if isinstance(c, (dict, list)) for v in (c.values() if isinstance(c, dict) else c)]
        deepest += bool(level)
        if deepest > MAX_DEPTH:
            return None
    return (data,)


class _LazyPositions(Mapping[Pointer, tuple[int, int]]):
    """Where values of a plain JSON document stand, found when a diagnostic asks.

    A pointer is found by walking the text along it, skipping siblings with the C parser; each object
    or array a walk enters keeps what was read of it (its members' places, and where reading stopped),
    so that later walks through it read on from there: a document's text is read about once per level
    the pointers share, however many there are. Past a few readings of the whole text (pointers spread
    over deeply nested containers), _JsonParser finds them all at once. Either way a member of an object
    stands where its key does, an item of an array or the document where its value starts.
    """

    READINGS = 4  # the text skipped over, in lengths of the text, before the whole table is made

    def __init__(self, text: str, shown: str, lenient: bool) -> None:
        self._source = (text, shown, lenient)
        self._table: dict[Pointer, tuple[int, int]] | None = None
        self._found: dict[Pointer, tuple[int, int] | None] = {}
        self._lines: list[int] = []
        #: By where an object or array starts: its members read so far (a key's place, or an item's, and
        #: where its value starts), and where reading it goes on (-1: it was read to its end).
        self._read: dict[int, tuple[dict[Any, tuple[int, int]], list[int]]] = {}
        self._skipped = 0

    def _positions(self) -> dict[Pointer, tuple[int, int]]:
        if self._table is None:
            text, shown, lenient = self._source
            self._table = _JsonParser(text, shown, lenient=lenient).parse()[1]
        return self._table

    def _lookup(self, pointer: Pointer) -> tuple[int, int] | None:
        if self._table is not None or self._skipped > self.READINGS * len(self._source[0]):
            return self._positions().get(pointer)
        if pointer not in self._found:
            self._found[pointer] = self._walk(tuple(pointer))
        return self._found[pointer]

    def _walk(self, pointer: Pointer) -> tuple[int, int] | None:
        text = self._source[0]
        pos = _after_ws(text, 0)
        at = pos
        for part in pointer:
            if text.startswith("{", pos) and isinstance(part, str):
                found = self._member(pos, part, True)
            elif text.startswith("[", pos) and isinstance(part, int) and not isinstance(part, bool):
                found = self._member(pos, part, False)
            else:
                return None
            if found is None:
                return None
            at, pos = found
        if not self._lines:
            self._lines = [0] + [m.end() for m in re.finditer("\n", text)]
        line = bisect.bisect_right(self._lines, at)
        return line, at - self._lines[line - 1] + 1

    def _member(self, start: int, part: str | int, is_object: bool) -> tuple[int, int] | None:
        """Where member ``part`` (a key of the object, an index of the array, at ``start``) stands and where
        its value starts; None when it has none. Reads the container on from where it was left."""
        text = self._source[0]
        members, state = self._read.setdefault(start, ({}, [_after_ws(text, start + 1), -1]))
        closer = "}" if is_object else "]"
        while part not in members and state[0] >= 0:
            pos, value = state
            if value >= 0:  # the last member found: its value is skipped now, as the walk goes on past it
                end = _SKIP.raw_decode(text, value)[1]
                self._skipped += end - value
                pos = _after_ws(text, end)
                pos = _after_ws(text, pos + 1) if text.startswith(",", pos) else pos
            if text.startswith(closer, pos):
                state[:] = [-1, -1]
                break
            if is_object:
                key = _STRING.match(text, pos)
                if key is None:
                    state[:] = [-1, -1]
                    break
                after = _after_ws(text, key.end())
                value = _after_ws(text, after + 1)  # past ':'
                members.setdefault(json.loads(key.group(0)), (pos, value))  # a key's first place, as _JsonParser's
            else:
                value = pos
                members[len(members)] = (pos, pos)
            state[:] = [pos, value]
        return members.get(part)

    def __getitem__(self, pointer: Pointer) -> tuple[int, int]:
        found = self._lookup(pointer)
        if found is None:
            raise KeyError(pointer)
        return found

    def __contains__(self, pointer: object) -> bool:
        return isinstance(pointer, tuple) and self._lookup(pointer) is not None

    def __iter__(self) -> Iterator[Pointer]:
        return iter(self._positions())

    def __len__(self) -> int:
        return len(self._positions())


_SKIP = json.JSONDecoder()  # skips a value at C speed (the text is known to be plain JSON)


def _after_ws(text: str, pos: int) -> int:
    match = _WS.match(text, pos)
    return match.end() if match else pos


class _JsonParser:
    def __init__(self, text: str, shown: str, *, lenient: bool = False) -> None:
        self.text = text
        self.shown = shown
        self.lenient = lenient
        self.warnings: list[Diagnostic] = []
        self.positions: dict[Pointer, tuple[int, int]] = {}
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def parse(self) -> tuple[Any, dict[Pointer, tuple[int, int]]]:
        pos = self._ws(0)
        value, pos = self._value(pos, (), 0)
        pos = self._ws(pos)
        if pos != len(self.text):
            raise self._fail(pos, "unexpected text after the JSON document", "remove it")
        return value, self.positions

    def _where(self, pos: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.line_starts, pos)
        return line, pos - self.line_starts[line - 1] + 1

    def _fail(self, pos: int, message: str, hint: str = "fix the JSON syntax at this position") -> SpecError:
        line, column = self._where(pos)
        return SpecError([error_at(self.shown, line, column, f"invalid JSON: {message}", hint)])

    def _ws(self, pos: int) -> int:
        while True:
            match = _WS.match(self.text, pos)
            pos = match.end() if match else pos
            if not (self.lenient and self.text.startswith("/", pos)):
                return pos
            comment = _COMMENT.match(self.text, pos)
            if not comment:
                return pos
            self._forgive(pos, "comment in JSON")
            pos = comment.end()

    def _forgive(self, pos: int, what: str) -> None:
        line, column = self._where(pos)
        self.warnings.append(warning_at(self.shown, line, column, f"{what} (not JSON; read leniently)", "remove it"))

    def _trailing_comma(self, comma: int, pos: int, closer: str) -> bool:
        """After a comma: True when ``closer`` follows and a trailing comma is forgiven."""
        if self.lenient and self.text.startswith(closer, pos):
            self._forgive(comma, "trailing comma")
            return True
        return False

    def _value(self, pos: int, pointer: Pointer, depth: int) -> tuple[Any, int]:
        if depth > MAX_DEPTH:
            raise self._fail(pos, f"nested deeper than {MAX_DEPTH} levels", "flatten the document")
        self.positions.setdefault(pointer, self._where(pos))
        char = self.text[pos : pos + 1]
        if char == "{":
            return self._object(pos + 1, pointer, depth)
        if char == "[":
            return self._array(pos + 1, pointer, depth)
        if char == '"':
            return self._string(pos)
        for word, value in (("true", True), ("false", False), ("null", None)):
            if self.text.startswith(word, pos):
                return value, pos + len(word)
        match = _NUMBER.match(self.text, pos)
        if match and match.end() > pos:
            token = match.group(0)
            if len(token) > MAX_NUMBER_DIGITS:
                raise self._fail(pos, f"number of {len(token)} characters: over the {MAX_NUMBER_DIGITS} that are read", "write it as a string")
            number: int | float = float(token) if match.group(1) or match.group(2) else int(token)
            if isinstance(number, float) and not math.isfinite(number):  # an int is finite (and may be too large for a float)
                raise self._fail(pos, f"{token} is too large to be a finite number", "use a smaller number, or write it as a string")
            return number, match.end()
        found = repr(char) if char else "end of file"
        raise self._fail(pos, f"expected a value, found {found}")

    def _string(self, pos: int) -> tuple[str, int]:
        match = _STRING.match(self.text, pos)
        if not match and self.lenient:
            match = _LENIENT_STRING.match(self.text, pos)
            if match:
                self._forgive(pos, "control character or bad escape in a string")
                return json.loads(_ESCAPE.sub(_keep_bad_escape, match.group(0)), strict=False), match.end()
        if not match:
            raise self._fail(pos, "unterminated or invalid string", "close the string and escape control characters")
        return json.loads(match.group(0)), match.end()

    def _object(self, pos: int, pointer: Pointer, depth: int) -> tuple[dict[str, Any], int]:
        result: dict[str, Any] = {}
        pos = self._ws(pos)
        if self.text.startswith("}", pos):
            return result, pos + 1
        while True:
            if not self.text.startswith('"', pos):
                raise self._fail(pos, "expected a property name in double quotes")
            key_pos = pos
            key, pos = self._string(pos)
            if key in result:
                first = self.positions.get((*pointer, key), (0, 0))[0]
                line, column = self._where(key_pos)
                found = duplicate_key(self.shown, line, column, key, first, self.lenient)
                if not self.lenient:
                    raise SpecError([found])
                self.warnings.append(found)
            self.positions[(*pointer, key)] = self._where(key_pos)
            pos = self._ws(pos)
            if not self.text.startswith(":", pos):
                raise self._fail(pos, "expected ':' after the property name")
            pos = self._ws(pos + 1)
            result[key], pos = self._value(pos, (*pointer, key), depth + 1)
            pos = self._ws(pos)
            if self.text.startswith(",", pos):
                comma, pos = pos, self._ws(pos + 1)
                if self._trailing_comma(comma, pos, "}"):
                    return result, pos + 1
                continue
            if self.text.startswith("}", pos):
                return result, pos + 1
            if self.lenient and self.text.startswith('"', pos):
                self._forgive(pos, "missing comma between properties")
                continue
            raise self._fail(pos, "expected ',' or '}' in object")

    def _array(self, pos: int, pointer: Pointer, depth: int) -> tuple[list[Any], int]:
        result: list[Any] = []
        pos = self._ws(pos)
        if self.text.startswith("]", pos):
            return result, pos + 1
        while True:
            value, pos = self._value(pos, (*pointer, len(result)), depth + 1)
            result.append(value)
            pos = self._ws(pos)
            if self.text.startswith(",", pos):
                comma, pos = pos, self._ws(pos + 1)
                if self._trailing_comma(comma, pos, "]"):
                    return result, pos + 1
                continue
            if self.text.startswith("]", pos):
                return result, pos + 1
            raise self._fail(pos, "expected ',' or ']' in array")
