"""Stage 1: load a spec file (YAML or JSON) into plain data, keeping every node's position.

Only safe constructs are accepted: YAML is composed into nodes with the safe
resolver and turned into dicts, lists, strings, numbers, booleans and None by
hand, so no tag can run code; duplicate mapping keys are errors; alias
expansion is bounded so a "billion laughs" document fails fast.  JSON is read
by a small position-tracking parser that accepts exactly RFC 8259 JSON.
"""

from __future__ import annotations

import bisect
import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .diagnostics import Diagnostic, Location, Pointer, Severity, SpecError, display_path

MAX_FILE_BYTES = 32 * 1024 * 1024
MAX_DEPTH = 64  # real specs nest 25 levels at most (619 certified connectors, GitHub, Stripe, Kubernetes)
#: Most nodes alias expansion may produce, beyond the nodes written in the file.
MAX_ALIAS_EXPANSION = 100_000
#: Most characters of text alias expansion may produce, beyond the text written in the file.
MAX_ALIAS_TEXT = 1_000_000
#: Longest number, in digits (Python refuses to read integers of over 4,300 digits).
MAX_NUMBER_DIGITS = 1_000


@dataclass(frozen=True)
class Document:
    """A loaded spec: its data and where each value stands in the file."""

    path: Path
    display: str
    data: Any
    positions: Mapping[Pointer, tuple[int, int]]
    #: What lenient reading forgave (a BOM, trailing commas, comments, bytes that are not UTF-8).
    warnings: tuple[Diagnostic, ...] = ()
    #: Real-world input: problems connectorgen can repair are warnings, not errors.
    lenient: bool = False

    def locate(self, pointer: Pointer) -> Location:
        """The position of ``pointer``, or of its nearest ancestor that has one."""
        probe = tuple(pointer)
        while probe not in self.positions and probe:
            probe = probe[:-1]
        line, column = self.positions.get(probe, (1, 1))
        return Location(self.display, line, column)

    def error(self, pointer: Pointer, message: str, hint: str = "") -> Diagnostic:
        return Diagnostic(Severity.ERROR, self.locate(pointer), message, hint, tuple(pointer))

    def warning(self, pointer: Pointer, message: str, hint: str = "") -> Diagnostic:
        return Diagnostic(Severity.WARNING, self.locate(pointer), message, hint, tuple(pointer))

    def problem(self, pointer: Pointer, message: str, hint: str = "") -> Diagnostic:
        """A problem connectorgen can repair: an error in an authored spec, a warning in lenient mode."""
        return (self.warning if self.lenient else self.error)(pointer, message, hint)


def load(path: Path, *, lenient: bool = False) -> Document:
    """Read ``path``; raise SpecError with located diagnostics if it cannot be read.

    ``lenient`` reads real-world files as Power Platform's tools do: JSON with
    comments and trailing commas, and bytes that are not UTF-8 (decoded as
    Windows-1252), each forgiven with a warning.
    """
    shown = display_path(path)
    warnings: list[Diagnostic] = []
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SpecError([_at(shown, 1, 1, f"cannot read spec: {exc.strerror}", "check the path")]) from None
    if len(raw) > MAX_FILE_BYTES:
        raise SpecError([_at(shown, 1, 1, f"spec is {len(raw)} bytes, over the {MAX_FILE_BYTES} byte limit", "split the spec")])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        if not lenient:
            raise SpecError([_at(shown, line, column, "spec is not valid UTF-8", "save the file as UTF-8")]) from None
        text = raw.decode("cp1252", errors="replace")
        warnings.append(_warn(shown, line, column, "file is not valid UTF-8; read as Windows-1252", "save the file as UTF-8"))
    if text.startswith("\ufeff"):
        text = text[1:]
        if lenient:
            warnings.append(_warn(shown, 1, 1, "file starts with a byte order mark", "save the file as UTF-8 without a BOM"))
    if path.suffix.lower() == ".json":
        parser = _JsonParser(text, shown, lenient=lenient)
        data, positions = parser.parse()
        warnings += parser.warnings
    else:
        data, positions, forgiven = _load_yaml(text, shown, lenient)
        warnings += forgiven
    if not isinstance(data, dict):
        raise SpecError([_at(shown, 1, 1, "spec must be a mapping at the top level", "start with 'swagger: \"2.0\"' or 'openapi: 3.1.0'")])
    return Document(path, shown, data, positions, tuple(warnings), lenient)


def _at(file: str, line: int, column: int, message: str, hint: str = "") -> Diagnostic:
    return Diagnostic(Severity.ERROR, Location(file, line, column), message, hint)


def _warn(file: str, line: int, column: int, message: str, hint: str = "") -> Diagnostic:
    return Diagnostic(Severity.WARNING, Location(file, line, column), message, hint)


# --------------------------------------------------------------------------- YAML


class _JsonCompatibleResolver(yaml.resolver.Resolver):
    """YAML 1.2-like core schema: true/false only, no timestamps, no sexagesimals."""


_JsonCompatibleResolver.yaml_implicit_resolvers = {}
for _tag, _regexp, _first in (
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("tag:yaml.org,2002:int", r"^(?:[-+]?(?:0|[1-9][0-9]*)|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    (
        "tag:yaml.org,2002:float",
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        "-+0123456789.",
    ),
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
):
    _JsonCompatibleResolver.add_implicit_resolver(_tag, re.compile(_regexp), list(_first))


class _Composer(
    yaml.reader.Reader,
    yaml.scanner.Scanner,
    yaml.parser.Parser,
    yaml.composer.Composer,
    _JsonCompatibleResolver,
):
    def __init__(self, stream: str) -> None:
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)
        yaml.composer.Composer.__init__(self)
        _JsonCompatibleResolver.__init__(self)


_SCALARS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
}


def _load_yaml(text: str, shown: str, lenient: bool) -> tuple[Any, dict[Pointer, tuple[int, int]], list[Diagnostic]]:
    composer: _Composer | None = None
    try:
        composer = _Composer(text)
        root = composer.get_single_node()
    except RecursionError:  # PyYAML composes recursively: say where the document nests too deeply
        _check_yaml_depth(text, shown)
        raise SpecError([_at(shown, 1, 1, "spec is nested too deeply to be read", "flatten the document")]) from None
    except yaml.reader.ReaderError as exc:
        line, column = _line_column(text, exc.position)
        code = ord(exc.character) if isinstance(exc.character, str) else int(exc.character)
        what = f"the control character U+{code:04X}"
        raise SpecError([_at(shown, line, column, f"invalid YAML: {what} is not allowed in YAML text", "remove it, or write it as an escape inside a double-quoted string")]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or exc.context or "invalid YAML"
        raise SpecError([_at(shown, line, column, f"invalid YAML: {problem}", "fix the YAML syntax at this position")]) from None
    except yaml.YAMLError as exc:
        raise SpecError([_at(shown, 1, 1, f"invalid YAML: {exc}")]) from None
    finally:
        if composer is not None:
            composer.dispose()
    if root is None:
        raise SpecError([_at(shown, 1, 1, "spec is empty", "write an OpenAPI document")])
    builder = _YamlBuilder(shown, lenient)
    data, positions = builder.build(root)
    return data, positions, builder.warnings


def _line_column(text: str, position: int) -> tuple[int, int]:
    line = text.count("\n", 0, position) + 1
    return line, position - (text.rfind("\n", 0, position) + 1) + 1


def _check_yaml_depth(text: str, shown: str) -> None:
    """Fail, at the place, where collections nest deeper than MAX_DEPTH (YAML's event stream is not recursive)."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH and event.start_mark is not None:
                    mark = event.start_mark
                    raise SpecError(
                        [_at(shown, mark.line + 1, mark.column + 1, f"spec is nested deeper than {MAX_DEPTH} levels", "flatten the document")]
                    )
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        return  # the composer reports it, with its position


def _duplicate(shown: str, line: int, column: int, key: str, first: int, lenient: bool) -> Diagnostic:
    """A key given twice: an error, or in lenient mode a warning (the last value wins, as in json.loads)."""
    if lenient:
        return _warn(shown, line, column, f"duplicate key {key!r} (first defined on line {first}); the last one is used", "remove one of the two keys")
    return _at(shown, line, column, f"duplicate key {key!r} (first defined on line {first})", "remove or rename one of the two keys")


class _YamlBuilder:
    def __init__(self, shown: str, lenient: bool = False) -> None:
        self.shown = shown
        self.lenient = lenient
        self.warnings: list[Diagnostic] = []
        self.positions: dict[Pointer, tuple[int, int]] = {}
        self.budget = MAX_ALIAS_EXPANSION
        self.text_budget = MAX_ALIAS_TEXT
        self.seen: set[int] = set()
        self.errors: list[Diagnostic] = []

    def build(self, root: yaml.Node) -> tuple[Any, dict[Pointer, tuple[int, int]]]:
        value = self._node(root, (), 0, frozenset())
        if self.errors:
            raise SpecError(self.errors)
        return value, self.positions

    def _fail(self, node: yaml.Node, message: str, hint: str) -> SpecError:
        mark = node.start_mark
        return SpecError([*self.errors, _at(self.shown, mark.line + 1, mark.column + 1, message, hint)])

    def _node(self, node: yaml.Node, pointer: Pointer, depth: int, active: frozenset[int]) -> Any:
        if id(node) in self.seen:
            self.budget -= 1
            self.text_budget -= len(node.value) if isinstance(node, yaml.ScalarNode) else 0
            if self.budget < 0 or self.text_budget < 0:
                what = f"{MAX_ALIAS_EXPANSION} extra nodes" if self.budget < 0 else f"{MAX_ALIAS_TEXT} extra characters"
                raise self._fail(
                    node,
                    f"YAML aliases expand to more than {what}",
                    "write the repeated parts out or use $ref instead of nested anchors",
                )
        self.seen.add(id(node))
        if id(node) in active:
            raise self._fail(node, "recursive YAML alias", "an anchor may not contain an alias to itself")
        if depth > MAX_DEPTH:
            raise self._fail(node, f"spec is nested deeper than {MAX_DEPTH} levels", "flatten the document")
        self.positions.setdefault(pointer, (node.start_mark.line + 1, node.start_mark.column + 1))
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node)
        inner = active | {id(node)}
        if isinstance(node, yaml.SequenceNode):
            if node.tag != "tag:yaml.org,2002:seq":
                raise self._fail(node, f"unsupported YAML tag {node.tag!r}", "remove the tag; only plain JSON-like values are allowed")
            return [self._node(item, (*pointer, i), depth + 1, inner) for i, item in enumerate(node.value)]
        if isinstance(node, yaml.MappingNode):
            if node.tag not in ("tag:yaml.org,2002:map",):
                raise self._fail(node, f"unsupported YAML tag {node.tag!r}", "remove the tag; only plain JSON-like values are allowed")
            result: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge" or (
                    isinstance(key_node, yaml.ScalarNode) and key_node.value == "<<" and key_node.style is None
                ):
                    raise self._fail(key_node, "YAML merge keys ('<<') are not supported", "write the keys out")
                if not isinstance(key_node, yaml.ScalarNode):
                    raise self._fail(key_node, "mapping keys must be plain scalars", "quote the key")
                self._scalar(key_node)  # rejects tags
                key = key_node.value  # JSON keys are strings: `200:` and `0E0:` keep their text
                if key in result:
                    first = self.positions.get((*pointer, key), (0, 0))[0]
                    mark = key_node.start_mark
                    found = _duplicate(self.shown, mark.line + 1, mark.column + 1, key, first, self.lenient)
                    if not self.lenient:
                        self.errors.append(found)
                        continue
                    self.warnings.append(found)
                self.positions[(*pointer, key)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
                result[key] = self._node(value_node, (*pointer, key), depth + 1, inner)
            return result
        raise self._fail(node, "unsupported YAML node", "use plain mappings, sequences and scalars")  # pragma: no cover

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        tag = node.tag
        if tag not in _SCALARS:
            raise self._fail(node, f"unsupported YAML tag {tag!r}", "remove the tag; only plain JSON-like values are allowed")
        text = node.value
        if tag == "tag:yaml.org,2002:str":
            return text
        if tag == "tag:yaml.org,2002:null":
            return None
        if tag == "tag:yaml.org,2002:bool":
            return text.lower() == "true"
        if len(text) > MAX_NUMBER_DIGITS:
            raise self._fail(node, f"number of {len(text)} characters: over the {MAX_NUMBER_DIGITS} that are read", "quote it to make it a string")
        if tag == "tag:yaml.org,2002:int":
            try:
                return int(text, 0) if text.startswith(("0o", "0x")) else int(text)
            except ValueError:
                raise self._fail(node, f"invalid integer {text!r}", "quote it to make it a string") from None
        try:
            number = float(text.lower().replace(".inf", "inf").replace(".nan", "nan"))
        except ValueError:
            raise self._fail(node, f"invalid number {text!r}", "quote it to make it a string") from None
        if not math.isfinite(number):
            raise self._fail(node, f"{text!r} is not a finite number, which JSON (and OpenAPI) cannot hold", "use a finite number, or quote it to make it a string")
        return number


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
        return SpecError([_at(self.shown, line, column, f"invalid JSON: {message}", hint)])

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
        self.warnings.append(_warn(self.shown, line, column, f"{what} (not JSON; read leniently)", "remove it"))

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
            if not math.isfinite(number):
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
                found = _duplicate(self.shown, line, column, key, first, self.lenient)
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
