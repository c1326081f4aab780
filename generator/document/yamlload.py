"""Reading YAML specs with line:column marks: the YAML half of the loader, imported only for YAML files.

PyYAML's composer, with a JSON-compatible resolver (YAML 1.2-like: true/false only, no
timestamps, no sexagesimals); the node tree becomes plain data and a pointer -> (line, column)
table, with alias expansion, text and depth bounded (see loader's MAX_* limits).
"""

from __future__ import annotations

import math
import re
from typing import Any

import yaml

from ..diagnostics import Diagnostic, Pointer, SpecError
from .limits import MAX_ALIAS_EXPANSION, MAX_ALIAS_TEXT, MAX_DEPTH, MAX_NUMBER_DIGITS, duplicate_key, error_at


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


def load_yaml(text: str, shown: str, lenient: bool) -> tuple[Any, dict[Pointer, tuple[int, int]], list[Diagnostic]]:
    composer: _Composer | None = None
    try:
        composer = _Composer(text)
        root = composer.get_single_node()
    except RecursionError:  # PyYAML composes recursively: say where the document nests too deeply
        _check_yaml_depth(text, shown)
        raise SpecError([error_at(shown, 1, 1, "spec is nested too deeply to be read", "flatten the document")]) from None
    except yaml.reader.ReaderError as exc:
        line, column = _line_column(text, exc.position)
        code = ord(exc.character) if isinstance(exc.character, str) else int(exc.character)
        what = f"the control character U+{code:04X}"
        raise SpecError([error_at(shown, line, column, f"invalid YAML: {what} is not allowed in YAML text", "remove it, or write it as an escape inside a double-quoted string")]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or exc.context or "invalid YAML"
        raise SpecError([error_at(shown, line, column, f"invalid YAML: {problem}", "fix the YAML syntax at this position")]) from None
    except yaml.YAMLError as exc:
        raise SpecError([error_at(shown, 1, 1, f"invalid YAML: {exc}")]) from None
    finally:
        if composer is not None:
            composer.dispose()
    if root is None:
        raise SpecError([error_at(shown, 1, 1, "spec is empty", "write an OpenAPI document")])
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
                        [error_at(shown, mark.line + 1, mark.column + 1, f"spec is nested deeper than {MAX_DEPTH} levels", "flatten the document")]
                    )
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        return  # the composer reports it, with its position


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
        return SpecError([*self.errors, error_at(self.shown, mark.line + 1, mark.column + 1, message, hint)])

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
                    found = duplicate_key(self.shown, mark.line + 1, mark.column + 1, key, first, self.lenient)
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


