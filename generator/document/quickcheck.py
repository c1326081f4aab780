"""Whether openapi-spec-validator could find anything in a document, decided fast and conservatively.

openapi-spec-validator's import (~0.5 s: pydantic-settings, jsonschema-path) and its semantic pass
over every operation and schema cost more than the rest of a small run.  ``cannot_fail`` answers
True only when neither of its passes can report a problem validate.py keeps:

- the document schema: jsonschema-rs checks the same JSON Schema document openapi-spec-validator ships;
- its semantic rules, checked here over plain data: duplicate tag names; a parameter repeated (name
  and location) in one list; each schema a mapping or boolean that passes its dialect's meta-schema
  (draft-04 for 2.0 and 3.0, the OpenAPI 3.1 dialect for 3.1); under ``allOf``, ``required`` names
  its own properties (a ``pattern`` is not checked there: validate.py reads it as ECMA-262 itself); and every ``default`` valid for its schema — confirmed here only for plain
  typed schemas (type, enum, format int32/int64, bounds), anything else counts as "might fail".

Anything else it is not sure of counts as "might fail", and the full validator runs, with its own
messages.  Operation ids and path parameters are validate.py's own checks, not needed here.
tests/test_validation_fast.py holds the answer to openapi-spec-validator's over the corpus.

The semantic checks go part by part: the document outside ``paths`` with every schema its roots
reach, then each path item with the schemas it reaches short of those; given ``Found`` (what
reuse kept under ``--watch``), a part whose content, and the outside part its ``$ref`` targets are in, are as before is
answered as before.  The document schema is always checked whole.
"""

from __future__ import annotations

import functools
import importlib.util
import json
from collections.abc import Callable, Collection, Iterable, Iterator
from pathlib import Path
from typing import Any, NamedTuple, Protocol, TypeVar

from . import openapi

_PLAIN = {"type", "default", "description", "title", "example", "examples", "nullable", "readOnly", "writeOnly",
          "deprecated", "format", "enum", "minimum", "maximum", "minLength", "maxLength", "xml", "externalDocs"}
_PARAMETER = {"name", "in", "required", "allowEmptyValue", "collectionFormat"}  # 2.0: the parameter is the schema
_TYPES: dict[str, tuple[type, ...]] = {"string": (str,), "integer": (int,), "number": (int, float), "boolean": (bool,), "array": (list,), "object": (dict,)}
T = TypeVar("T")


class Found(Protocol):
    """What was found of document parts before, by their content (``--watch``: the reuse layer keeps it):
    a part the same as before is not looked at again."""

    def of_part(self, label: str, part: Any, find: Callable[[], T]) -> T:
        """``find()``, what ``label`` finds of ``part`` alone: found now, or as found before."""
        ...

    def of_part_in(self, label: str, part: Any, outside: Any, find: Callable[[], T]) -> T:
        """``find()``, what ``label`` finds of ``part`` (None: of the document outside ``paths``) in the
        document outside ``paths`` whose digest is ``outside``: found now, or as found before."""
        ...

    def outside(self, data: dict[str, Any]) -> Any:
        """The digest of ``data`` outside ``paths`` (None: it cannot be told apart)."""
        ...


_RANGES = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}


def cannot_fail(ver: str, data: dict[str, Any], found: Found | None = None) -> bool:
    """True only if openapi-spec-validator (2.0 / 3.0 / 3.1) would report nothing validate.py keeps;
    ``found``: what parts of documents checked before were found to be (--watch): a part, with the
    document outside paths its $refs reach, the same as before is not walked again."""
    return may_fail(ver, data, found) == (False, [])


def may_fail(ver: str, data: dict[str, Any], found: Found | None = None) -> tuple[bool, list[str]] | None:
    """Where openapi-spec-validator might find something: whether in the document outside ``paths``, and
    the keys of the path items; None when it might be anywhere, and the whole document must be checked.

    The semantic rules validate.py keeps are each about one part (the document outside ``paths``, or one
    path item with the schemas it reaches short of the outside's): when nothing outside ``paths`` may
    fail, the full validator's semantic pass finds the same in a document whose ``paths`` hold only the
    items named here as in the whole — unless the document schema fails (its rules assume a document it
    accepts), or a ``$ref`` reaches into ``paths`` (an item left out would not resolve): then None.
    tests/test_validation_fast.py holds the two equal."""
    if not _whole_holds(ver, data):
        return None
    outside, failing = _parts_fail(ver, data, found)
    if (outside or failing) and _refers_into_paths(data):
        return None
    return outside, failing


def semantic_paths(ver: str, data: dict[str, Any]) -> list[str] | None:
    """The keys of the path items openapi-spec-validator's passes need to see when ``may_fail`` cannot say
    (the document schema fails, or the document outside ``paths`` may fail its semantic rules); None: all.

    An item is needed when jsonschema-rs finds a document-schema error in it, when its parameters may
    fail, or when a schema it reaches (through the schemas outside ``paths`` too) may fail. Each other item
    yields nothing in the semantic pass, whatever it visits first (every schema it reaches holds in any
    route), and nothing in the document-schema pass (``schema_failing_parts``). None when something about
    the whole document may fail, a ``$ref`` reaches into ``paths``, or the document schema fails anywhere but
    in path items, named schemas (those the walk checks) and the root's keys.
    tests/test_validation_parts.py holds the findings equal to the whole document's."""
    paths = data.get("paths")
    if not isinstance(paths, dict) or _refers_into_paths(data):
        return None
    if ver == "3.1" and "jsonSchemaDialect" in data:
        return None
    tags = data.get("tags")
    if isinstance(tags, list):
        names = [t.get("name") for t in tags if isinstance(t, dict)]
        if len(names) != len(set(map(str, names))):
            return None
    errors = [(tuple(error.instance_path), type(error.kind).__name__) for error in _rust_document_validator(ver).iter_errors(data)]
    schema_maps = [place for place in DOCUMENT_MAPS[ver] if place[-1] in ("definitions", "schemas")]
    if any(not (at and at[0] == "paths" and len(at) > 1) and not any(at[: len(m)] == m and len(at) > len(m) for m in schema_maps) and not (at == () and kind in _ABOUT_KEYS) for at, kind in errors):
        return None  # outside paths and the named schemas (a parameter, a response an item may share): all
    schema_failing = {at[1] for at, _ in errors if at[:1] == ("paths",)}
    try:
        items = {key: item for key, item in paths.items() if isinstance(item, dict) and key not in schema_failing}
        roots = {key: [_resolved(data, root) for root in _item_roots(data, item)] for key, item in items.items()}
        tainted = _may_fail_or_reach(ver, data, [*_outside_roots(data), *(root for found in roots.values() for root in found)])
        needed = []
        for key, item in paths.items():
            if key not in items:
                needed.append(key)
                continue
            lists = [item.get("parameters")] + [op.get("parameters") for op in item.values() if isinstance(op, dict)]
            if any(id(root) in tainted for root in roots[key]) or any(isinstance(params, list) and not _parameters_hold(ver, data, params) for params in lists):
                needed.append(key)
    except (AttributeError, TypeError, KeyError, IndexError, ValueError):
        return None  # a document too malformed to tell: all
    return needed


def semantic_operations(ver: str, data: dict[str, Any], reach: Reach | None = None) -> dict[Any, list[str]]:
    """By the key of a path item of ``data`` that can be cut so: the only operations openapi-spec-validator's
    semantic pass needs to see of it (its other keys all kept); ``data``'s ``paths`` are those
    ``semantic_paths`` or ``may_fail`` named, where no ``$ref`` reaches into ``paths``.

    An operation is needed when jsonschema-rs finds a document-schema error in it, when its parameters may
    fail, or when a schema it reaches (its parameters' and responses') may fail or reach one that may. Each
    other one yields nothing in that pass, whatever it visits first, and visits only schemas that yield
    nothing: every schema that may yield a finding is still reached by the same route, in the same order
    (as ``semantic_schemas`` argues of named schemas). An item is not cut when something of its own may fail:
    a document-schema error outside its operations, its own parameters, a reference in place of the item.
    ``reach``: what ``semantic_reach`` found of ``data``, else found here.
    tests/test_validation_parts.py holds the findings equal to the whole document's."""
    paths = data.get("paths")
    if not isinstance(paths, dict) or (ver == "3.1" and "jsonSchemaDialect" in data):
        return {}
    errors = [tuple(error.instance_path) for error in _rust_document_validator(ver).iter_errors(data)]
    failing: dict[Any, set[Any]] = {}
    roots: dict[Any, tuple[list[Any], dict[str, list[Any]]]] = {}  # an item's own roots, its operations'
    for key, item in paths.items():
        under = [at[2:] for at in errors if at[:2] == ("paths", key)]
        if not isinstance(item, dict) or "$ref" in item or any(not at or at[0] not in openapi.METHODS for at in under):
            continue
        try:
            own = item.get("parameters")
            if isinstance(own, list) and not _parameters_hold(ver, data, own):
                continue
            operations = {method: op for method, op in item.items() if method in openapi.METHODS}
            roots[key] = (
                [_resolved(data, root) for root in _schemas_of_objects(data, own if isinstance(own, list) else [])],
                {method: [_resolved(data, root) for root in _operation_roots(data, op)] for method, op in operations.items() if method not in {at[0] for at in under}},
            )
            failing[key] = {at[0] for at in under} | {
                method for method, op in operations.items() if isinstance(op.get("parameters"), list) and not _parameters_hold(ver, data, op["parameters"])
            }
        except (AttributeError, TypeError, KeyError, IndexError, ValueError):
            roots.pop(key, None)  # too malformed to tell: the item whole
    try:
        reached = [root for own, ops in roots.values() for root in [*own, *(r for found in ops.values() for r in found)]]
        reach = reach if reach is not None else _reach(ver, data, [*_outside_roots(data), *reached], strict=True)
    except (AttributeError, TypeError, KeyError, IndexError, ValueError):
        return {}
    cut = {}
    for key, (own, ops) in roots.items():
        if any(_may_yield(reach, root) for root in own):
            continue
        cut[key] = [
            method for method in paths[key] if method in openapi.METHODS and (method in failing[key] or method not in ops or any(_may_yield(reach, root) for root in ops[method]))
        ]
    return cut


def _operation_roots(data: dict[str, Any], op: Any) -> list[Any]:
    """The schemas of an operation's parameters, responses and request body (the semantic pass reads the first two)."""
    if not isinstance(op, dict):
        raise TypeError("not an operation")
    return _schemas_of_objects(data, [*(op.get("parameters") or []), *((op.get("responses") or {}).values()), op.get("requestBody")])


def semantic_schemas(ver: str, data: dict[str, Any], reach: Reach | None = None) -> list[str] | None:
    """The names of the schemas of ``components.schemas`` that openapi-spec-validator's semantic pass needs
    to walk (it walks them all, last): those that may fail its checks or reach one that may. Each other one
    yields nothing wherever the pass first reaches it, and reaches only schemas that yield nothing: left
    out, every schema that may yield a finding is still reached by the same route, in the same order.
    None: all (a dialect of the document's own, or a document too malformed to tell). ``reach``: what
    ``semantic_reach`` found of ``data``, else found here.
    tests/test_validation_parts.py holds the findings equal to the whole walk's."""
    components = data.get("components")
    schemas = components.get("schemas") if isinstance(components, dict) else None
    if not isinstance(schemas, dict) or (ver == "3.1" and "jsonSchemaDialect" in data):
        return None
    try:
        reach = reach if reach is not None else _reach(ver, data, list(schemas.values()), strict=True)
        return [name for name, schema in schemas.items() if _may_yield(reach, _resolved(data, schema))]
    except (AttributeError, TypeError, KeyError, IndexError, ValueError):
        return None


def _may_yield(reach: Reach, schema: Any) -> bool:
    """Whether ``schema`` may yield a finding or reach one that may (one ``reach`` did not reach: it may)."""
    return id(schema) in reach.tainted or id(schema) not in reach.reached


def meta_holds(ver: str, schema: Any) -> bool:
    """Whether ``schema`` (without a ``$schema`` of its own) meets the meta-schema openapi-spec-validator checks
    it against in the document's default dialect, by jsonschema-rs (as ``cannot_fail`` decides it)."""
    return isinstance(schema, dict) and "$schema" not in schema and bool(_rust_meta_validator(ver).is_valid(schema))


def _may_fail_or_reach(ver: str, data: dict[str, Any], roots: list[Any]) -> set[int]:
    """The ids of the schemas reached from ``roots`` that may fail the semantic pass's checks, or reach one
    that may (through $refs and the keywords that hold schemas)."""
    return _reach(ver, data, roots).tainted


class Reach(NamedTuple):
    """The schemas reached from some roots (through $refs and the keywords that hold schemas): the ids of
    those that may yield a finding of the semantic pass or reach one that may, and every one, by id (which
    keeps each alive, and its id its own); ``failing``: the ids of those that may yield one themselves."""

    tainted: set[int]
    reached: dict[int, Any]
    failing: frozenset[int] = frozenset()

    def clean(self) -> set[int]:
        """The ids of the schemas that yield nothing wherever the pass reaches them, and reach only such."""
        return {key for key in self.reached if key not in self.tainted}


def semantic_reach(ver: str, data: dict[str, Any]) -> Reach | None:
    """What the semantic pass may find of every schema of ``data`` it may walk (those outside ``paths``, and
    every path item's), told strictly (``_reach``); None: nothing can be told (a dialect of the document's own)."""
    if ver == "3.1" and "jsonSchemaDialect" in data:
        return None
    roots = _outside_roots(data)
    for item in (data.get("paths") or {}).values() if isinstance(data.get("paths"), dict) else ():
        try:
            roots += _item_roots(data, item) if isinstance(item, dict) else []
        except (AttributeError, TypeError):
            continue  # too malformed to tell: its schemas, unless reached otherwise, are not told apart
    try:
        return _reach(ver, data, roots, strict=True)
    except (AttributeError, TypeError, KeyError, IndexError, ValueError):
        return None


def _reach(ver: str, data: dict[str, Any], roots: list[Any], strict: bool = False) -> Reach:
    """The schemas reached from ``roots``, and which may fail the semantic pass's checks or reach one that
    may. ``strict``: a schema whose keywords the pass walks into have another shape than it walks (a list
    of ``items``, as 2.0 allows: the pass says it is not a schema) may fail too."""
    meta = _rust_meta_validator(ver)
    parents: dict[int, list[int]] = {}
    failing: set[int] = set()
    alive: dict[int, Any] = {}  # the values whose ids are used, kept alive
    stack = [_resolved(data, root) for root in roots]
    while stack:
        schema = stack.pop()
        if id(schema) in alive:
            continue
        alive[id(schema)] = schema
        if not isinstance(schema, (dict, bool)) or (isinstance(schema, dict) and not (_schema_holds(schema) and meta.is_valid(schema) and (not strict or _walked_as_shaped(schema)))):
            failing.add(id(schema))
        if not isinstance(schema, dict):
            continue
        for child in _children(schema):
            child = _resolved(data, child)
            if id(child) not in alive:
                stack.append(child)
            parents.setdefault(id(child), []).append(id(schema))
    tainted = set(failing)
    pending = list(failing)
    while pending:
        for parent in parents.get(pending.pop(), ()):
            if parent not in tainted:
                tainted.add(parent)
                pending.append(parent)
    return Reach(tainted, alive, frozenset(failing))


def fails_only_its_meta_schema(schema: Any) -> bool:
    """Whether a schema ``_reach`` found failing (strictly) may yield, wherever the semantic pass reaches it,
    only its meta-schema's errors: a mapping whose keywords the walk reads are shaped as it reads them, with
    no ``$schema``, no ``default`` (its check against the schema), and no ``required`` an ``allOf`` beside it
    could leave undefined (the pass's "Required list has not defined properties")."""
    return (
        isinstance(schema, dict)
        and "default" not in schema
        and _schema_holds(schema)
        and _walked_as_shaped(schema)
        and ("allOf" not in schema or isinstance(schema.get("required", []), list))
    )


def semantic_yielders(ver: str, data: dict[str, Any], reach: Reach) -> list[dict[str, Any]] | None:
    """The schemas that may yield a finding when openapi-spec-validator's semantic pass (2.0 / 3.0) walks
    ``data`` — each of them only its meta-schema's errors (``fails_only_its_meta_schema``), and nothing else
    of ``data`` yields one; None when that cannot be told. ``reach``: ``semantic_reach`` of ``data``, or of a
    document whose path items hold ``data``'s (and whose other parts are the same).

    The pass reads the tags, the path items and the named schemas (components.schemas, a mapping here, in
    any version). Here the tags name each tag once; every
    path item and operation is a mapping (not a reference), whose parameter lists hold (``_parameters_hold``:
    no parameter twice, a 2.0 default that fits) and name each parameter and its place as text, and whose
    responses are a mapping of objects whose ``content`` (3.x) is a mapping of media types: the pass reads
    them as ``_item_roots`` does, and its checks of the items themselves (operation ids, path parameters)
    are left to validate.py. Every schema it starts from is one ``reach`` reached (so is each it walks to
    from there); of those, one that is not ``failing`` yields nothing wherever it is reached (its meta-schema
    holds, jsonschema-rs says; its default fits; its ``required`` names its own properties)."""
    if "tags" in data:
        tags = data["tags"]
        if not isinstance(tags, list) or not all(isinstance(tag, dict) and isinstance(tag.get("name"), str) for tag in tags):
            return None
        if len({tag["name"] for tag in tags}) != len(tags):
            return None
    paths = data.get("paths")
    if not isinstance(paths, dict):
        return None
    roots = _outside_roots(data)
    if "components" in data:  # the pass walks components.schemas (a 2.0 document's too), as a mapping
        components = data["components"]
        if not isinstance(components, dict) or not isinstance(components.get("schemas", {}), dict):
            return None
        roots += list(components.get("schemas", {}).values())
    for item in paths.values():
        if not isinstance(item, dict) or "$ref" in item:
            return None
        if "parameters" in item and not _parameters_read(ver, data, item["parameters"]):
            return None
        for method, op in item.items():
            if method not in openapi.METHODS:
                continue
            if not isinstance(op, dict) or "$ref" in op:
                return None
            if "parameters" in op and not _parameters_read(ver, data, op["parameters"]):
                return None
            if "responses" in op and not _responses_read(ver, data, op["responses"]):
                return None
        try:
            roots += _item_roots(data, item)
        except (AttributeError, TypeError):
            return None
    if any(id(_resolved(data, root)) not in reach.reached for root in roots):
        return None
    failing = [reach.reached[key] for key in reach.failing]
    if not all(fails_only_its_meta_schema(schema) for schema in failing):
        return None
    return failing


def _parameters_read(ver: str, data: dict[str, Any], params: Any) -> bool:
    """A parameter list the pass reads without a finding of its own: each parameter a mapping (through its
    ``$ref``) with a text ``name`` and ``in``, none repeated."""
    if not isinstance(params, list):
        return False
    for param in params:
        param = _resolved(data, param)
        if not (isinstance(param, dict) and isinstance(param.get("name"), str) and isinstance(param.get("in"), str)):
            return False
    return _parameters_hold(ver, data, params)


def _responses_read(ver: str, data: dict[str, Any], responses: Any) -> bool:
    """Responses the pass reads as ``_schemas_of_objects`` does: a mapping of objects (through their ``$ref``);
    3.x: each one's ``content`` a mapping of media type objects (not references)."""
    if not isinstance(responses, dict):
        return False
    for response in responses.values():
        response = _resolved(data, response)
        if not isinstance(response, dict):
            return False
        content = response.get("content")
        if ver != "2.0" and "content" in response and not (isinstance(content, dict) and all(isinstance(m, dict) and "$ref" not in m for m in content.values())):
            return False
    return True


def _walked_as_shaped(schema: dict[str, Any]) -> bool:
    """The keywords openapi-spec-validator's schema walk goes into hold what it walks: a schema, a list of
    schemas, a map of them."""
    return (
        all(isinstance(schema.get(key, {}), (dict, bool)) for key in ("items", "not"))
        and all(isinstance(schema.get(key, []), list) for key in ("allOf", "anyOf", "oneOf"))
        and isinstance(schema.get("properties", {}), dict)
    )


def _children(schema: dict[str, Any]) -> list[Any]:
    """The schemas ``schema`` holds (as ``_schemas`` walks them)."""
    found: list[Any] = [schema[key] for key in ("items", "not", "additionalProperties") if isinstance(schema.get(key), (dict, bool))]
    for key in ("allOf", "anyOf", "oneOf", "prefixItems"):
        if isinstance(schema.get(key), list):
            found += schema[key]
    for key in ("properties", "patternProperties", "$defs", "definitions"):
        if isinstance(schema.get(key), dict):
            found += schema[key].values()
    return found


def _whole_holds(ver: str, data: dict[str, Any]) -> bool:
    """The checks that are about the whole document: its schema, its dialect, its tags."""
    if not document_schema_holds(ver, data):
        return False
    if ver == "3.1" and "jsonSchemaDialect" in data:
        return False
    tags = data.get("tags")
    if isinstance(tags, list):
        names = [t.get("name") for t in tags if isinstance(t, dict)]
        if len(names) != len(set(map(str, names))):
            return False
    return True


def _refers_into_paths(data: Any) -> bool:
    """Whether a ``$ref`` anywhere in ``data`` points into ``paths``."""
    pending = [data]
    while pending:
        value = pending.pop()
        if isinstance(value, dict):
            ref = value.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/paths"):
                return True
            pending.extend(value.values())
        elif isinstance(value, list):
            pending.extend(value)
    return False


def _parts_fail(ver: str, data: dict[str, Any], found: Found | None) -> tuple[bool, list[str]]:
    """Whether the document outside ``paths`` might fail the semantic checks, and the keys of the path
    items that might."""
    # Part by part: the document outside paths (definitions, shared parameters and responses, and
    # every schema they reach), then each path item, with the schemas it reaches short of those (the
    # first part's walk covers them: together the parts reach what one walk from all the roots reaches).
    outside_roots = _outside_roots(data)
    covered = {id(schema) for schema in (_resolved(data, root) for root in outside_roots) if isinstance(schema, dict)}
    outside = found.outside(data) if found is not None else None

    def holds(part: dict[str, Any] | None, check: Callable[[], bool]) -> bool:
        return check() if found is None else found.of_part_in(f"quickcheck {ver}", part, outside, check)

    outside_fails = not holds(None, functools.partial(_part_holds, ver, data, outside_roots, [], set()))
    failing = [
        key
        for key, path_item in (data.get("paths") or {}).items()
        if isinstance(path_item, dict) and not holds(path_item, functools.partial(_item_holds, ver, data, path_item, covered))
    ]
    return outside_fails, failing


def _item_holds(ver: str, data: dict[str, Any], path_item: dict[str, Any], covered: set[int]) -> bool:
    lists = [path_item.get("parameters")] + [op.get("parameters") for op in path_item.values() if isinstance(op, dict)]
    return _part_holds(ver, data, _item_roots(data, path_item), lists, covered)


def _part_holds(ver: str, data: dict[str, Any], roots: list[Any], lists: list[Any], covered: set[int]) -> bool:
    """Every parameter list of ``lists`` and every schema reached from ``roots`` (short of the
    schemas ``covered``, by id) meets what the semantic pass checks."""
    for params in lists:
        if isinstance(params, list) and not _parameters_hold(ver, data, params):
            return False
    meta = _rust_meta_validator(ver)
    for schema in _schemas(data, roots, covered):
        if not isinstance(schema, (dict, bool)):
            return False
        if isinstance(schema, dict) and not (_schema_holds(schema) and meta.is_valid(schema)):
            return False
    return True


def document_schema_holds(ver: str, data: dict[str, Any]) -> bool:
    """Whether ``data`` meets openapi-spec-validator's own JSON Schema of OpenAPI ``ver`` (by jsonschema-rs)."""
    return bool(_rust_document_validator(ver).is_valid(data))


#: The maps whose entries openapi-spec-validator's JSON Schema of each version checks each on its own: the
#: map's schema gives every entry the same schema by patternProperties / additionalProperties (3.1:
#: with propertyNames, and unevaluatedProperties that only reads the keys), and is reached from the root
#: through ``properties`` alone. tests/test_validation_parts.py reads the schemas to hold this.
DOCUMENT_MAPS: dict[str, tuple[tuple[str, ...], ...]] = {
    "2.0": (("paths",), ("definitions",), ("parameters",), ("responses",), ("securityDefinitions",)),
    "3.0": (("paths",), *(("components", key) for key in ("schemas", "responses", "parameters", "examples", "requestBodies", "headers", "securitySchemes", "links", "callbacks"))),
    "3.1": (("paths",), ("webhooks",), *(("components", key) for key in ("schemas", "responses", "parameters", "examples", "requestBodies", "headers", "securitySchemes", "links", "callbacks", "pathItems"))),
}

#: Errors (jsonschema-rs kinds) at the root, or at ``components``, whose Python error says the same of a
#: document whose maps hold fewer entries: each is about keys of that object, which pruning keeps.
_ABOUT_KEYS = ("AdditionalProperties", "Required", "UnevaluatedProperties")


def schema_failing_parts(ver: str, data: dict[str, Any]) -> dict[str, Any]:
    """``data`` with each map of ``DOCUMENT_MAPS`` holding only the entries in which jsonschema-rs finds an
    error of the document schema (a map with an error of its own, or under an error above it that is not
    only about keys, is kept whole): the Python document-schema pass finds the same in it, in the same
    order, as in ``data`` — each entry is checked on its own, and an entry jsonschema-rs accepts Python
    accepts too. A path item kept holds only the operations with such an error (and its other keys), unless
    the item has an error of its own or is a reference: its schema checks each operation on its own too.
    tests/test_validation_parts.py holds the two equal."""
    errors = [(tuple(error.instance_path), type(error.kind).__name__) for error in _rust_document_validator(ver).iter_errors(data)]
    kept: dict[tuple[str, ...], set[Any]] = {}
    for place in DOCUMENT_MAPS[ver]:
        value: Any = data
        for part in place:
            value = value.get(part) if isinstance(value, dict) else None
        if not isinstance(value, dict):
            continue  # absent, or its own type error: nothing to leave out
        if any(at == place or kind not in _ABOUT_KEYS for at, kind in errors if place[: len(at)] == at):
            continue  # the map's own error (its keys, its size) may read every entry: kept whole
        kept[place] = {at[len(place)] for at, _ in errors if len(at) > len(place) and at[: len(place)] == place}
    if not kept:
        return data
    operations: dict[Any, set[Any]] = {}  # by the key of a path item kept: its operations that have errors
    for key in kept.get(("paths",), ()):
        under = [at[2:] for at, _ in errors if at[:2] == ("paths", key)]
        if isinstance(data["paths"][key], dict) and "$ref" not in data["paths"][key] and all(under):
            operations[key] = {at[0] for at in under}
    pruned = dict(data)
    for place, keys in kept.items():
        owner = pruned
        for part in place[:-1]:
            owner[part] = dict(owner[part])
            owner = owner[part]
        owner[place[-1]] = {key: value for key, value in owner[place[-1]].items() if key in keys}
    if operations:
        pruned["paths"] = {key: with_operations(item, operations[key]) if key in operations else item for key, item in pruned["paths"].items()}
    return pruned


def with_operations(item: dict[str, Any], operations: Collection[Any]) -> dict[str, Any]:
    """A path item with only the operations named in ``operations`` (its other keys all kept)."""
    return {key: value for key, value in item.items() if key not in openapi.METHODS or key in operations}


def _parameters_hold(ver: str, data: dict[str, Any], params: list[Any]) -> bool:
    seen = set()
    for param in params:
        param = _resolved(data, param)
        if not isinstance(param, dict):
            return False
        key = (str(param.get("name")), str(param.get("in")))
        if key in seen:
            return False
        seen.add(key)
        if ver == "2.0" and "default" in param and not _default_holds(param, param["default"], _PLAIN | _PARAMETER):
            return False
    return True


def _schema_holds(schema: dict[str, Any]) -> bool:
    if "$schema" in schema:
        return False
    if "allOf" in schema and isinstance(schema.get("required"), list):
        properties = schema.get("properties")
        own: dict[str, Any] = properties if isinstance(properties, dict) else {}
        if any(name not in own for name in schema["required"]):
            return False  # openapi-spec-validator looks into the allOf members; let it
    return "default" not in schema or _default_holds(schema, schema["default"], _PLAIN)


def default_fits(schema: dict[str, Any], value: Any) -> bool:
    """Whether ``value`` is a default that no validator could reject for ``schema`` (False: undecided)."""
    return _default_holds(schema, value, _PLAIN)


def _default_holds(schema: dict[str, Any], value: Any, allowed: set[str]) -> bool:
    """A default that no validator could reject: a plain schema whose every constraint it meets."""
    if any(key not in allowed and not key.startswith("x-") for key in schema) or value is None:
        return False
    kind = schema.get("type")
    if kind is not None:
        if not isinstance(kind, str) or kind not in _TYPES:
            return False
        if isinstance(value, bool) != (kind == "boolean") or not isinstance(value, _TYPES[kind]):
            return False
    if "enum" in schema and not (isinstance(schema["enum"], list) and any(type(e) is type(value) and e == value for e in schema["enum"])):
        return False
    fmt = schema.get("format")
    if fmt is not None and not (isinstance(value, int) and fmt in _RANGES and _RANGES[fmt][0] <= value <= _RANGES[fmt][1]):
        return False
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        low, high = schema.get("minimum"), schema.get("maximum")
        if (low is not None and not (isinstance(low, (int, float)) and value >= low)) or (high is not None and not (isinstance(high, (int, float)) and value <= high)):
            return False
    if isinstance(value, str):
        shortest, longest = schema.get("minLength"), schema.get("maxLength")
        if (shortest is not None and not (isinstance(shortest, int) and len(value) >= shortest)) or (longest is not None and not (isinstance(longest, int) and len(value) <= longest)):
            return False
    elif "minLength" in schema or "maxLength" in schema:
        return False
    return True


def _resolved(data: dict[str, Any], value: Any, depth: int = 0) -> Any:
    while isinstance(value, dict) and isinstance(value.get("$ref"), str) and depth < 64:
        target = openapi.parse_ref(value["$ref"])
        found, value = openapi.lookup(data, target) if target is not None else (False, None)
        if not found:
            return None
        depth += 1
    return value


def _outside_roots(data: dict[str, Any]) -> list[Any]:
    """The schemas outside paths that openapi-spec-validator's semantic pass may visit (and more)."""
    roots: list[Any] = []
    for _, node in openapi.definitions(data):
        roots.append(node.value)
    containers = [data.get("parameters"), data.get("responses")]
    components = data.get("components")
    if isinstance(components, dict):
        containers += [components.get("parameters"), components.get("responses"), components.get("requestBodies"), components.get("headers")]
    for container in containers:
        if isinstance(container, dict):
            roots += _schemas_of_objects(data, container.values())
    return roots


def _item_roots(data: dict[str, Any], path_item: dict[str, Any]) -> list[Any]:
    """The schemas of a path item's parameters, responses and request bodies."""
    roots = _schemas_of_objects(data, path_item.get("parameters") or [])
    for op in path_item.values():
        if isinstance(op, dict):
            roots += _schemas_of_objects(data, [*(op.get("parameters") or []), *((op.get("responses") or {}).values()), op.get("requestBody")])
    return roots


def _schemas(data: dict[str, Any], roots: list[Any], covered: set[int]) -> Iterator[Any]:
    """Every schema reached from ``roots`` (through $refs, and the keywords that hold schemas), once;
    not those ``covered`` (by id), nor what is reached only through them."""
    seen = set(covered)
    stack = list(roots)
    while stack:
        schema = _resolved(data, stack.pop())
        if id(schema) in seen:
            continue
        seen.add(id(schema))
        yield schema
        if not isinstance(schema, dict):
            continue
        for key in ("items", "not", "additionalProperties"):
            if isinstance(schema.get(key), (dict, bool)):
                stack.append(schema[key])
        for key in ("allOf", "anyOf", "oneOf", "prefixItems"):
            if isinstance(schema.get(key), list):
                stack += schema[key]
        for key in ("properties", "patternProperties", "$defs", "definitions"):
            if isinstance(schema.get(key), dict):
                stack += schema[key].values()


def _schemas_of_objects(data: dict[str, Any], objects: Iterable[Any]) -> list[Any]:
    """The schemas of parameters, responses, request bodies and headers (2.0 ``schema``, 3.x ``content``)."""
    found: list[Any] = []
    for value in objects:
        value = _resolved(data, value)
        if not isinstance(value, dict):
            continue
        if "schema" in value:
            found.append(value["schema"])
        content = value.get("content")
        if isinstance(content, dict):
            found += [media["schema"] for media in content.values() if isinstance(media, dict) and "schema" in media]
        headers = value.get("headers")
        if isinstance(headers, dict):
            found += _schemas_of_objects(data, headers.values())
    return found


@functools.cache
def document_schema(ver: str) -> Any:
    """openapi-spec-validator's own JSON Schema of OpenAPI ``ver``, read from its package (not imported)."""
    folder = Path(_package_folder("openapi_spec_validator"), "resources", "schemas", f"v{ver}")
    return json.loads((folder / "schema.json").read_text("utf-8"))


@functools.cache
def _rust_document_validator(ver: str) -> Any:
    """openapi-spec-validator's own JSON Schema of OpenAPI ``ver``, compiled by jsonschema-rs."""
    import jsonschema_rs

    return jsonschema_rs.validator_for(document_schema(ver))


@functools.cache
def _rust_meta_validator(ver: str) -> Any:
    """The meta-schema openapi-spec-validator checks each schema against (draft-04; the OpenAPI 3.1 dialect)."""
    import jsonschema_rs

    if ver != "3.1":
        draft4 = Path(_package_folder("jsonschema_specifications"), "schemas", "draft4", "metaschema.json")
        return jsonschema_rs.validator_for(json.loads(draft4.read_text("utf-8")))
    folder = Path(_package_folder("openapi_schema_validator"), "schemas", "oas3.1")
    vocabulary = json.loads((folder / "vocabularies" / "base").read_text("utf-8"))
    known = {vocabulary["$id"]: vocabulary}

    def retrieve(uri: str) -> Any:
        return known[uri.rstrip("#")]  # a KeyError: nothing is fetched from the network

    return jsonschema_rs.validator_for(json.loads((folder / "metaschema.json").read_text("utf-8")), retriever=retrieve)


def _package_folder(name: str) -> str:
    spec = importlib.util.find_spec(name)
    assert spec is not None and spec.submodule_search_locations, f"{name} is a dependency"
    return next(iter(spec.submodule_search_locations))
