"""Stage 2: validation.  Every problem of a file is collected and located; nothing is raised.

Checks, in order: the OpenAPI version; every ``$ref`` is local and resolves;
the OpenAPI schema (openapi-spec-validator, 2.0 / 3.0 / 3.1 — run only when
``quickcheck`` says it could find something, its findings cached by content; run on
the rest of the document when references fail; each finding located in the file,
through ``$ref``s, and one problem reported once); every ``pattern`` an ECMA-262
regular expression (``ecma``); the
``x-connector-*`` extensions (their JSON Schema, shipped in the package); and
semantic rules openapi-spec-validator does not locate or does not know:
unique operationIds, declared path template parameters, ``#label`` path keys,
connection parameters that name real security definitions.  Checks that need
the decided Python names (collisions) and resolved types (trigger fields)
run while the model is built (see ``build``).

Severity, as a compiler's: a finding that changes nothing generated (a default that does not
fit its schema, an example problem, a response key that spells a status another way, a pattern
that is not ECMA-262) is a warning; the rest are errors (warnings when read leniently).
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import sys
from collections.abc import Callable
from copy import deepcopy
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from .. import __version__
from ..diagnostics import Diagnostic, Pointer, Severity
from . import ecma, extensions, openapi, quickcheck
from .loader import Document
from .quickcheck import Found

if TYPE_CHECKING:
    import jsonschema
    from jsonschema.exceptions import ValidationError

# openapi-spec-validator would switch its document-schema pass to jsonschema-rs, whose errors
# carry no branches to rank: the diagnostics keep the Python backend (jsonschema-rs only decides,
# up front, whether that pass can find anything at all; see _validate_openapi_full).
os.environ.setdefault("OPENAPI_SPEC_VALIDATOR_SCHEMA_VALIDATOR_BACKEND", "jsonschema")

_TEMPLATE_PARAM = re.compile(r"\{([^{}]*)\}")
_PATH_LABEL = re.compile(r"^[A-Za-z0-9_.-]+$")


class Stored(Protocol):
    """Results kept on disk by content (the reuse layer's cache): ``load`` gives None for what it lacks."""

    def load(self, kind: str, key: str, salt: str) -> Any: ...

    def store(self, kind: str, key: str, salt: str, value: Any) -> None: ...

    def installed(self) -> list[str]:
        """The distributions installed: what cached results depend on besides the code."""
        ...


class Kept(Protocol):
    """What the reuse layer gives validation (the pipeline passes it; None: nothing kept)."""

    @property
    def checks(self) -> Found | None:
        """What was found of the document's parts before (``--watch``)."""
        ...

    @property
    def stored(self) -> Stored | None:
        """Where openapi-spec-validator's findings are kept by content."""
        ...


def validate(doc: Document, kept: Kept | None = None) -> list[Diagnostic]:
    """Every problem of ``doc``; ``kept``: openapi-spec-validator's findings on documents seen before, and
    under ``--watch`` what was found of the document's parts before (their references, the fast check's
    answer): parts whose content is the same are not walked again."""
    checks, stored = (kept.checks, kept.stored) if kept is not None else (None, None)
    data = doc.data
    ver = openapi.version(data)
    if not ver:
        key = "openapi" if "openapi" in data else "swagger"
        return [
            doc.error(
                (key,) if key in data else (),
                "not an OpenAPI document: expected 'swagger: \"2.0\"' or 'openapi: 3.0.x / 3.1.x'",
                "add the version key at the top of the file",
            )
        ]
    found = _ref_findings(doc, checks)
    problems = [d for _, d in found if d is not None]
    # openapi-spec-validator crashes on unresolvable references, and recurses forever on allOf cycles:
    # those are reported here and left out of what it sees (its findings there are left out too, so
    # every other problem of the document is still reported in this one run).
    # (the pointers here are the bundled document's: a diagnostic's may be another file's, see bundle.py)
    broken = list(dict.fromkeys(at[:-1] if at[-1:] == ("$ref",) else at for at, _ in found))
    cycles = all_of_cycles(data)
    problems += [
        doc.warning(pointer, "allOf includes a schema that includes this one: a cycle; its properties are merged once", "remove the reference that closes the cycle", code="approximated")
        for pointer in cycles
    ]
    cut = list(dict.fromkeys([*cycles, *collected_cycles(data), *broken]))
    problems += _check_openapi(doc, ver, with_server_defaults(without_schemas(data, cut)), checks, broken, stored)
    problems += _check_patterns(doc)
    problems += _check_extensions(doc)
    problems += _check_operations(doc)
    problems += _check_connection(doc)
    problems += _check_header_names(doc)
    return problems


def _check_refs(doc: Document, checks: Found | None = None) -> list[Diagnostic]:
    return [d for _, d in _ref_findings(doc, checks) if d is not None]


def _ref_findings(doc: Document, checks: Found | None = None) -> list[tuple[Pointer, Diagnostic | None]]:
    """Every reference that does not name a value of the document, with its pointer in this document: one
    that does not resolve, a cycle of references, and one to another file the bundler could not follow
    (None: it reported those, see bundle.py and Document.errors)."""
    problems: list[tuple[Pointer, Diagnostic | None]] = []
    swagger = str(doc.data.get("swagger", "")) == "2.0"  # examples are data in a 2.0 document

    def part_refs(pointer: Pointer, part: Any, find: Callable[[], openapi.Refs]) -> openapi.Refs:
        """A part's refs: as found before when it is the same where it stands (``checks``), else now."""
        return find() if checks is None else checks.of_part(f"refs at {list(pointer)!r} {swagger}", part, find)

    refs = openapi.document_refs(doc.data, part_refs)
    for ref, pointer in refs:
        target = openapi.parse_ref(ref)
        if target is None and not ref.startswith("#"):
            problems.append((pointer, None))
            continue
        if target is None:
            problems.append(
                (pointer, doc.problem(pointer, f"unsupported $ref {ref!r}: the part after '#' must be a JSON pointer ('#/...')", "write '#/components/schemas/Name'"))
            )
            continue
        found, _ = openapi.lookup(doc.data, target)
        if not found:
            problems.append((pointer, doc.problem(pointer, f"$ref {ref!r} does not resolve", _ref_hint(doc.data, target))))
    problems += _check_ref_cycles(doc, refs)
    return problems


def _check_ref_cycles(doc: Document, refs: list[tuple[str, Pointer]]) -> list[tuple[Pointer, Diagnostic | None]]:
    """A $ref whose chain of pure references comes back to itself never names a schema."""
    problems: list[tuple[Pointer, Diagnostic | None]] = []
    for ref, pointer in refs:
        seen = {ref}
        current = openapi.parse_ref(ref)
        while current is not None:
            found, value = openapi.lookup(doc.data, current)
            if not (found and isinstance(value, dict) and isinstance(value.get("$ref"), str)):
                break
            nxt = value["$ref"]
            if nxt in seen:
                problems.append((pointer, doc.problem(pointer, f"$ref {ref!r} is a cycle of references", "point one of them at a real schema")))
                break
            seen.add(nxt)
            current = openapi.parse_ref(nxt)
    return problems


def _ref_hint(data: Any, target: Pointer) -> str:
    found, parent = openapi.lookup(data, target[:-1])
    if found and isinstance(parent, dict) and parent:
        close = sorted(parent, key=lambda name: _distance(str(name), str(target[-1])))[:3]
        return "did you mean " + " or ".join(repr(f"#/{'/'.join(map(str, target[:-1]))}/{c}") for c in close) + "?"
    return "define the target or fix the reference"


def _distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a.lower(), 1):
        current = [i]
        for j, cb in enumerate(b.lower(), 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


_VALIDATORS = {"2.0": "OpenAPIV2SpecValidator", "3.0": "OpenAPIV30SpecValidator", "3.1": "OpenAPIV31SpecValidator"}


def all_of_cycles(data: dict[str, Any]) -> list[Pointer]:
    """The allOf members (``$ref``s) that close a cycle of allOf inclusions, each found once."""
    closing: list[Pointer] = []
    cycles: set[frozenset[Pointer]] = set()

    def visit(node: openapi.Node, path: tuple[Pointer, ...]) -> None:
        parts = node.value.get("allOf") if isinstance(node.value, dict) else None
        here = (*path, node.pointer)
        for index, part in enumerate(parts if isinstance(parts, list) else ()):
            where = (*node.pointer, "allOf", index)
            target = openapi.resolve(data, openapi.Node(part, where))
            if target.pointer in here:
                cycle = frozenset(here[here.index(target.pointer) :])
                if cycle not in cycles:
                    cycles.add(cycle)
                    closing.append(where)
            elif target.pointer != where:
                visit(target, here)

    for _, node in openapi.definitions(data):
        visit(node, ())
    return closing


#: What openapi-spec-validator follows, without noting what it has seen, to collect an allOf member's properties.
_COLLECTED = ("allOf", "anyOf", "oneOf", "items", "not")


def collected_cycles(data: dict[str, Any]) -> list[Pointer]:
    """References that close a cycle along allOf, anyOf, oneOf, items and not (``Node: allOf: [{type: array,
    items: {$ref: Node}}]``): openapi-spec-validator follows those forever when it collects an allOf
    member's properties. A recursive schema is fine, so they are cut only from what it sees; a depth-first
    walk from every named schema finds an edge of each cycle (its back edges)."""
    closing: list[Pointer] = []
    done: set[Pointer] = set()

    def visit(node: openapi.Node, path: list[Pointer]) -> None:
        path.append(node.pointer)
        value = node.value if isinstance(node.value, dict) else {}
        children = [(key, value[key]) for key in _COLLECTED if key in value]
        for key, child in children:
            members = [((*node.pointer, key, i), m) for i, m in enumerate(child)] if isinstance(child, list) else [((*node.pointer, key), child)]
            for where, member in members:
                target = openapi.resolve(data, openapi.Node(member, where))
                if target.pointer in path:
                    closing.append(where)
                elif target.pointer not in done and len(path) < 500:
                    visit(target, path)
        path.pop()
        done.add(node.pointer)

    for _, node in openapi.definitions(data):
        if node.pointer not in done:
            visit(openapi.resolve(data, node), [])
    return closing


def without_schemas(data: dict[str, Any], pointers: list[Pointer]) -> dict[str, Any]:
    """``data`` with the values at ``pointers`` replaced by ``{}`` (a copy; ``data`` itself is unchanged)."""
    pointers = [p for p in pointers if p]
    if not pointers:
        return data
    copy: dict[str, Any] = deepcopy(data)
    for pointer in pointers:
        found, parent = _lookup(copy, pointer[:-1])
        key = pointer[-1]
        if found and isinstance(parent, list) and isinstance(key, int) and key < len(parent):
            parent[key] = {}
        if found and isinstance(parent, dict) and key in parent:
            parent[key] = {}
    return copy


def _lookup(data: Any, pointer: Pointer) -> tuple[bool, Any]:
    """``openapi.lookup`` for pointers as the walks make them (list indices as ints)."""
    node = data
    for part in pointer:
        if isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        elif isinstance(node, (dict, list)):
            found, node = openapi.lookup(node, (part,))
            if not found:
                return False, None
        else:
            return False, None
    return True, node


def with_server_defaults(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` with a default given to each server variable that has none (a copy of what changes).

    OpenAPI requires the default; real documents omit it. The client then asks its caller for the
    value, and the model builder warns (build.py), so the schema check does not refuse the document.
    """
    if openapi.version(data) == "2.0":
        return data

    def filled(owner: Any) -> Any:
        servers = owner.get("servers") if isinstance(owner, dict) else None
        if not isinstance(servers, list) or not any(_lacks_default(s) for s in servers):
            return owner
        new = [
            {**s, "variables": {k: {"default": "", **v} if isinstance(v, dict) else v for k, v in s["variables"].items()}} if _lacks_default(s) else s
            for s in servers
        ]
        return {**owner, "servers": new}

    out: dict[str, Any] = filled(data)
    paths = data.get("paths")
    if isinstance(paths, dict):
        new_paths = {}
        for path, item in paths.items():
            item = filled(item)
            if isinstance(item, dict):
                ops = {m: filled(item[m]) for m in openapi.METHODS if isinstance(item.get(m), dict)}
                if any(op is not item[m] for m, op in ops.items()):
                    item = {**item, **ops}
            new_paths[path] = item
        if any(new_paths[k] is not paths[k] for k in paths):
            out = {**out, "paths": new_paths}
    return out


def _lacks_default(server: Any) -> bool:
    variables = server.get("variables") if isinstance(server, dict) else None
    return isinstance(variables, dict) and any(isinstance(v, dict) and "default" not in v for v in variables.values())


class Finding(NamedTuple):
    """One problem openapi-spec-validator found, before it is located in a file."""

    pointer: Pointer
    message: str
    hint: str
    #: PROBLEM: an error, or (lenient) a warning; WARNING: a spec violation that changes nothing
    #: connectorsmith generates (a default or example that does not fit its schema, an odd response key).
    level: str = "problem"


PROBLEM, WARNING = "problem", "warning"
#: How the warnings about a value connectorsmith leaves out end (``left_out`` finds them by it).
NOT_USED = "the client does not use it, nor do the exports"
READ_AS = "the same text on the wire"
EXAMPLE_NOT_USED = "the exports keep 'examples'"


def left_out(problems: list[Diagnostic], doc: Document) -> tuple[Pointer, ...]:
    """The values of the document that validation's warnings say are not used: the exports leave them out.
    (A warning names its place in the file that holds it; ``doc.places`` finds it in the bundled document.)"""
    found: list[Pointer] = []
    for problem in problems:
        if problem.severity is Severity.WARNING and problem.message.endswith(NOT_USED) and problem.pointer:
            found += doc.places(problem.location.file, problem.pointer)
        elif problem.severity is Severity.WARNING and problem.message.endswith(EXAMPLE_NOT_USED):
            found += [(*p, "example") for p in doc.places(problem.location.file, problem.pointer)]
    return tuple(dict.fromkeys(found))


def _check_openapi(
    doc: Document, ver: str, data: dict[str, Any], checks: Found | None = None, broken: list[Pointer] | None = None, stored: Stored | None = None
) -> list[Diagnostic]:
    """openapi-spec-validator's findings, but none under ``broken`` (references cut out of ``data``)."""
    # ``data`` is made from the document's data alone, which its source's bytes decide (so does the
    # source's digest): that digest is its content's key, without writing the data out to hash it.
    source = json.dumps(["source", ver, doc.source]) if doc.source else None
    return [
        (doc.warning if f.level == WARNING else doc.problem)(f.pointer, f.message, f.hint, code="spec-violation")
        for f in openapi_findings(ver, data, source, checks, stored, tree=True)  # read from a file: a tree (loader.Document)
        if not any(tuple(f.pointer[: len(b)]) == b for b in broken or ())
    ]


def openapi_findings(
    ver: str, data: dict[str, Any], source: str | None = None, checks: Found | None = None, stored: Stored | None = None, *, tree: bool = False
) -> list[Finding]:
    """openapi-spec-validator's findings on ``data``, kept by content in ``stored`` (reuse/cache.py); ``source``:
    a text that only equal data has (the digest of what it was read from), else the data is hashed; ``tree``:
    each mapping and list of ``data`` stands at one place in it (see ``_validate_openapi``).

    A document whose content, or whose tool versions, the cache has not seen is validated in full.
    """
    if stored is None:
        return _validate_openapi(ver, data, checks, tree=tree)
    content = source if source is not None else json.dumps([ver, data], ensure_ascii=False, separators=(",", ":"), default=str)
    key = hashlib.sha256(content.encode()).hexdigest()
    salt = _validation_salt(tuple(stored.installed()))
    remembered = stored.load("validation", key, salt)
    if isinstance(remembered, list):
        try:
            return [Finding(tuple(p), str(m), str(h), str(level)) for p, m, h, level in remembered]
        except (TypeError, ValueError):
            pass  # corrupt: validated afresh, and stored again
    findings = _validate_openapi(ver, data, checks, tree=tree)
    stored.store("validation", key, salt, [list(f) for f in findings])
    return findings


@functools.cache
def _validation_salt(versions: tuple[str, ...]) -> str:
    """What the findings depend on besides the document: this module, quickcheck, ecma, openapi and the installed
    distributions (``versions``: the validators' among them)."""
    sources = [Path(module.__file__ or "").read_text("utf-8") for module in (sys.modules[__name__], quickcheck, ecma, openapi)]
    return hashlib.sha256("\n".join([__version__, *versions, *sources]).encode()).hexdigest()


def _validate_openapi(ver: str, data: dict[str, Any], checks: Found | None = None, *, tree: bool = False) -> list[Finding]:
    """Every finding of openapi-spec-validator (2.0 / 3.0 / 3.1) on ``data``; ``tree``: each mapping and list of
    ``data`` stands at one place in it (no object is shared by two places, as in documents read from files:
    see loader.Document), so a schema's place is told by the object.

    quickcheck.py first decides, fast and conservatively, whether it could find anything at all;
    only then is it imported and run (tests/test_validation_fast.py holds the two to agree).
    """
    where = quickcheck.may_fail(ver, data, checks)
    if where == (False, []):
        return []
    if where is not None and not where[0]:
        return _validate_openapi_full(ver, data, where[1])  # the document schema holds: no findings of its own
    # The document schema's findings first: its semantic pass, and openapi-spec-validator's import (~0.2 s:
    # pydantic-settings, jsonschema-path), are needed only where that pass may add a finding to them.
    findings = _document_schema_findings(ver, data)
    if tree and _semantic_adds_nothing(ver, data, findings):
        return _merged(findings, [])
    # Only the path items that may fail, when nothing outside paths may; else those that may fail or reach
    # a schema outside paths that may (the semantic pass reaches those through the path items too, and
    # what it finds of a schema depends on the route it first takes to it).
    return _validate_openapi_full(ver, data, quickcheck.semantic_paths(ver, data), findings=findings)


def _document_schema_findings(ver: str, data: dict[str, Any], prune: bool = True) -> list[Finding]:
    """The findings of openapi-spec-validator's document-schema pass (jsonschema, in Python: its errors are
    ranked and located). It is slow on large documents: a document jsonschema-rs finds valid against the
    same schema has none, and one it does not is checked only over the entries of paths, definitions and
    components where jsonschema-rs finds errors (each entry is checked on its own;
    quickcheck.schema_failing_parts). So the findings are the same of ``data`` as of ``data`` with only the
    path items, and operations, that hold those (what ``_validate_openapi_full`` may be given).
    ``prune``: False checks the whole document, by openapi-spec-validator's own validator."""
    if quickcheck.document_schema_holds(ver, data):
        return []
    if prune:
        errors = _document_schema_validator(ver).iter_errors(quickcheck.schema_failing_parts(ver, data))
    else:
        errors = _located_validator(ver).schema_validator.iter_errors(data)
    return [finding for error in errors for finding in _document_findings(error, ver)]


def _validate_openapi_full(ver: str, data: dict[str, Any], paths: list[str] | None = None, prune: bool = True, *, findings: list[Finding] | None = None) -> list[Finding]:
    """openapi-spec-validator's findings, located: the document schema (ranked Python errors) and its
    semantic rules (each schema against its dialect, every error of it; defaults against their schemas),
    each at its place in the file; a finding the document schema made already is not repeated.
    ``paths``: the only path items the semantic rules need to see (quickcheck.may_fail: the others
    cannot fail them), else all; on a large document most of its time is the path items'. ``prune``: False
    runs its passes as they are: the document schema over the whole document, every named schema walked,
    every schema's meta-schema check in Python (what tests/test_validation_parts.py compares to).
    ``findings``: the document schema's (``_document_schema_findings``), when they were found already."""
    what = f"OpenAPI {ver}"
    if paths is not None and isinstance(data.get("paths"), dict):
        keep = set(paths)
        data = {**data, "paths": {key: item for key, item in data["paths"].items() if key in keep}}
    # What the semantic pass may find of each schema it may walk: one that yields nothing wherever it is
    # reached, and reaches only such, need not be walked (quickcheck.semantic_reach).
    reach = quickcheck.semantic_reach(ver, data) if prune else None
    if paths is not None and prune and isinstance(data.get("paths"), dict):
        # of those path items, only the operations that may yield a finding (the others yield none in either pass)
        cut = quickcheck.semantic_operations(ver, data, reach)
        data = {**data, "paths": {key: quickcheck.with_operations(item, cut[key]) if key in cut else item for key, item in data["paths"].items()}}
    # The semantic pass walks the named schemas (components.schemas) last: only those that may yield a
    # finding, by any route, need it (quickcheck.semantic_schemas), and a meta-schema check jsonschema-rs
    # passes finds nothing in Python either (quickcheck.meta_holds).
    schemas = quickcheck.semantic_schemas(ver, data, reach) if prune else None
    validator = _located_validator(ver)(data, schemas, prune, reach.clean() if reach is not None else set())
    if findings is None:
        findings = _document_schema_findings(ver, data, prune)
    semantic: list[Finding] = []
    try:
        for error in validator.root_validator(validator.schema_path):
            if type(error).__name__ in ("DuplicateOperationIDError", "UnresolvableParameterError"):
                continue  # reported, located, by _check_operations
            semantic.append(_semantic_finding(error, what))
    except Exception as exc:  # noqa: BLE001 - its own asserts, its reference resolver, KeyError, TypeError, ...
        # Its semantic rules (run after the document schema's) assume a document the schema accepts:
        # on one it does not (paths: null, responses: [1]), they fail where the schema's findings already
        # say why.
        if not findings and not semantic:
            semantic.append(Finding((), f"openapi-spec-validator failed on this document ({type(exc).__name__}: {exc})", "report this to connectorsmith with the spec"))
    return _merged(findings, semantic)


def _merged(findings: list[Finding], semantic: list[Finding]) -> list[Finding]:
    """The document schema's ``findings``, then the ``semantic`` pass's at other places (or the root's): one
    problem, one finding (the meta-schema check of a schema repeats what the document schema found at the
    same place, an unknown ``type``, in other words), and no finding twice."""
    merged: dict[tuple[Pointer, str], Finding] = {}
    places = {f.pointer for f in findings}
    for finding in [*findings, *(f for f in semantic if f.pointer not in places or not f.pointer)]:
        merged.setdefault((finding.pointer, finding.message), finding)
    return list(merged.values())


def _semantic_adds_nothing(ver: str, data: dict[str, Any], findings: list[Finding]) -> bool:
    """Whether every finding the semantic pass could make of ``data`` (a tree) is at the place of one of the
    document schema's ``findings`` (not the document's root): ``_merged`` drops each, and nothing of the pass
    is left. So the pass can only add something where it may find something (quickcheck.semantic_yielders:
    schemas that fail only their meta-schema, 2.0 and 3.0), and then only a meta-schema error whose place,
    the schema's own place in ``data`` and the error's path in it, has no finding yet. Should the pass
    stop on an exception, what it found before is dropped as well (and with ``findings``, nothing is added).

    The errors are jsonschema's draft-04 meta-schema's, as the pass checks a 2.0 / 3.0 schema
    (``_meta_error_paths``). A schema's place is found by the object, among those on the way to the
    findings' places: one with none there has no finding at any of its errors' places.
    tests/test_validation_parts.py holds the findings equal to those of the pass run."""
    if ver not in ("2.0", "3.0") or not findings:
        return False
    reach = quickcheck.semantic_reach(ver, data)
    yielders = quickcheck.semantic_yielders(ver, data, reach) if reach is not None else None
    if yielders is None:
        return False
    places = {f.pointer for f in findings}
    place_of: dict[int, Pointer] = {}  # by id: the mappings on the way to a finding, and where each stands
    for place in places:
        node: Any = data
        for index in range(len(place) + 1):
            if isinstance(node, dict):
                place_of.setdefault(id(node), place[:index])
            found, node = _lookup(node, place[index : index + 1]) if index < len(place) else (False, None)
            if not found:
                break
    for schema in yielders:
        paths = _meta_error_paths(schema)  # none: jsonschema-rs and jsonschema disagree, and the pass finds nothing
        where = place_of.get(id(schema))
        if paths and (where is None or any(not (*where, *path) or (*where, *path) not in places for path in paths)):
            return False
    return True


def _meta_error_paths(schema: dict[str, Any]) -> list[Pointer]:
    """Where, in ``schema``, the semantic pass's meta-schema check of a 2.0 / 3.0 schema finds errors: each
    error's path. That check is openapi-schema-validator's OAS30Validator's meta-schema, draft-04's, by the
    validator jsonschema has for it, its one ``format`` (``regex``, of ``pattern``) taken as met (patterns are
    ECMA-262, checked by _check_patterns): jsonschema's Draft4Validator finds the same without a format checker
    (tests/test_validation_parts.py holds both)."""
    from jsonschema import Draft4Validator

    return [tuple(error.absolute_path) for error in Draft4Validator(Draft4Validator.META_SCHEMA).iter_errors(schema)]


@functools.cache
def _document_schema_validator(ver: str) -> Any:
    """openapi-spec-validator's document-schema validator of ``ver``, as it makes it with the Python backend
    (jsonschema's validator for its JSON Schema of OpenAPI, read from its package), without importing it."""
    from jsonschema.validators import validator_for

    schema = quickcheck.document_schema(ver)
    return validator_for(schema)(schema)


#: What ``_LocatedSchema`` and the other keyword validators note on an error: (pointer, kind).
_NOTE = "connectorsmith_where"


def _noted(error: ValidationError, pointer: Pointer, kind: str = "") -> ValidationError:
    """``error`` with its place in the document noted, unless a validator nearer to it did already."""
    if not hasattr(error, _NOTE):
        setattr(error, _NOTE, (tuple(pointer), kind))
    return error


def _as_typed(value: Any) -> bool | int | float | None:
    """The typed value a text default spells exactly (``"1"`` -> 1, ``"true"`` -> True, ``"2.5"`` -> 2.5), or
    None: what a parameter sends as that text (a path, query or header value is text on the wire)."""
    if not isinstance(value, str):
        return None
    if value in ("true", "false"):
        return value == "true"
    if re.fullmatch(r"-?(?:0|[1-9][0-9]{0,17})", value):
        return int(value)
    if re.fullmatch(r"-?(?:0|[1-9][0-9]{0,15})\.[0-9]{1,15}", value) and repr(float(value)) == value:
        return float(value)
    return None


def _of_parameter(pointer: Pointer) -> bool:
    """``pointer`` is the default of a parameter's value (2.0: the parameter's own; 3.x: its schema's), not of a body."""
    if pointer[-3:-1] and pointer[-3:-2] == ("parameters",):
        return True  # .../parameters/<i>/default (2.0; a body parameter's default is under its schema)
    return len(pointer) >= 4 and pointer[-4] == "parameters" and pointer[-2] == "schema"


def read_as(problems: list[Diagnostic], doc: Document) -> tuple[tuple[Pointer, Any], ...]:
    """The text defaults of parameters that validation's warnings read as the typed value they spell: where
    they stand in the document (``doc.places``) and that value; the exports write it."""
    found: dict[Pointer, Any] = {}
    for problem in problems:
        if problem.severity is Severity.WARNING and problem.message.endswith(READ_AS):
            for place in doc.places(problem.location.file, problem.pointer):
                exists, value = openapi.lookup(doc.data, tuple(map(str, place)))
                typed = _as_typed(value) if exists else None
                if typed is not None:
                    found[place] = typed
    return tuple(found.items())


def _semantic_finding(error: ValidationError, what: str) -> Finding:
    where, kind = getattr(error, _NOTE, ((), ""))
    if kind == "read as":
        typed = _as_typed(error.instance)
        return Finding(
            where,
            f"{what}: default {_shown(error.instance)} is a string where the schema asks for {'a boolean' if isinstance(typed, bool) else 'a number'}: it is read as {json.dumps(typed)}, {READ_AS}",
            "write the default without quotes",
            WARNING,
        )
    if kind == "default":
        detail = _schema_finding(error, what).message.removeprefix(f"{what}: ")
        if error.validator == "pattern":  # the pattern as the document writes it, not as re spells it
            detail = f"{_shown(error.instance)} does not match {_shown(_ECMA_SPELLING.get(str(error.validator_value), error.validator_value))}"
        return Finding(
            where,  # the default as a whole is left out, whatever part of it does not fit
            f"{what}: default {_shown(error.instance)} does not fit its schema ({detail}); {NOT_USED}",
            "fix the default or the schema",
            WARNING,
        )
    if kind == "meta":
        finding = _schema_finding(error, what)
        pointer = (*where, *error.absolute_path)
        return finding._replace(pointer=pointer, level=WARNING if _in_example(pointer) else PROBLEM)
    return Finding(where, f"{what}: {error.message}", "see the OpenAPI specification")


def _shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."


def _in_example(pointer: Pointer) -> bool:
    """Whether ``pointer`` is inside an example (data that shows a value; nothing generated reads it)."""
    return any(part in ("example", "examples", "x-example") and (index == 0 or pointer[index - 1] not in openapi.NAME_MAPS) for index, part in enumerate(pointer))


#: A response key that reads as a status code or range, spelled as another version or case spells it.
_STATUS_LIKE = re.compile(r"[1-5](?:[0-9]{2}|[xX]{2})")


def _document_findings(error: ValidationError, ver: str) -> list[Finding]:
    """The findings of one error of the document-schema pass: for a oneOf/anyOf, every error of the
    branch the document came closest to (a schema with two mistakes shows both, not one chosen by
    hash order); response keys that only spell a status or range unusually (``4xx``; ``2XX`` in
    2.0) become a warning each."""
    return [finding for chosen in _all_specific(error) for finding in _document_finding(chosen, ver)]


def _all_specific(error: ValidationError) -> list[ValidationError]:
    """``_most_specific``, every error of the chosen branch (in document order of their places)."""
    if not error.context:
        return [error]
    branch = min(_branches(error), key=lambda errs: (_unmeant_reference(errs), sum(_cost(e) for e in errs), -max(len(e.absolute_path) for e in errs)))
    found = [e for sub in branch for e in _all_specific(sub) if len(e.absolute_path) >= len(error.absolute_path)]
    return sorted(found, key=lambda e: [str(p) for p in e.absolute_path]) or [error]


def _document_finding(chosen: ValidationError, ver: str) -> list[Finding]:
    what = f"OpenAPI {ver}"
    finding = _schema_finding(chosen, what)
    if _in_example(finding.pointer):
        return [finding._replace(level=WARNING)]
    if chosen.validator == "not" and chosen.validator_value == {"required": ["example", "examples"]}:
        return [finding._replace(message=f"{what}: 'example' and 'examples' are both given; only one is allowed; {EXAMPLE_NOT_USED}", hint="keep one of the two", level=WARNING)]
    if chosen.validator not in ("additionalProperties", "unevaluatedProperties") or tuple(chosen.absolute_path)[-1:] != ("responses",) or not isinstance(chosen.instance, dict):
        return [finding]
    extra = _extra_keys(chosen)
    odd = [key for key in extra if _STATUS_LIKE.fullmatch(key)]
    where = tuple(chosen.absolute_path)
    found = [
        Finding(
            (*where, key),
            f"{what}: response key {key!r} is not a status code as OpenAPI {ver} spells them ({'three digits' if ver == '2.0' else 'three digits or 1XX to 5XX'}, or 'default'); it is read as {key.upper()}"
            + (f" (the Power Platform export keeps it as x-{key.upper()})" if not key[1:].isdigit() else ""),
            f"write {key[0] + '00' if ver == '2.0' else key.upper()!r}",
            WARNING,
        )
        for key in odd
    ]
    if len(odd) < len(extra):
        found.append(finding._replace(pointer=where if len(extra) - len(odd) > 1 else (*where, next(k for k in extra if k not in odd)), message=f"{what}: " + ", ".join(repr(k) for k in extra if k not in odd) + " " + ("is not a response key" if len(extra) - len(odd) == 1 else "are not response keys")))
    return found


def _extra_keys(error: ValidationError) -> list[str]:
    """The keys an additionalProperties / unevaluatedProperties error is about (extensions, x-, aside)."""
    if error.validator not in ("additionalProperties", "unevaluatedProperties") or not isinstance(error.instance, dict):
        return []
    schema = error.schema if isinstance(error.schema, dict) else {}
    known = schema.get("properties") or {}
    patterns = list(schema.get("patternProperties") or {})
    return [k for k in error.instance if isinstance(k, str) and k not in known and not k.startswith("x-") and not any(re.search(p, k) for p in patterns)]


@functools.cache
def _located_validator(ver: str) -> Any:
    """openapi-spec-validator's validator of ``ver``, its keyword validators noting where each error is."""
    import openapi_spec_validator
    from jsonschema import FormatChecker
    from jsonschema import exceptions as jsonschema_exceptions
    from jsonschema.validators import validator_for
    from openapi_schema_validator import validators as oas_validators

    base: Any = getattr(openapi_spec_validator, _VALIDATORS[ver])
    keywords: dict[str, Any] = dict(base.keyword_validators)
    schema_base, value_base, schemas_base = keywords["schema"], keywords["default"], keywords["schemas"]

    def always(_: object) -> bool:
        return True

    def ecma_regex(value: object) -> bool:
        return not isinstance(value, str) or not ecma.translate(value).error

    def with_regex(checker: FormatChecker, check: Callable[[object], bool]) -> FormatChecker:
        copy = FormatChecker(formats=())
        copy.checkers = {**checker.checkers, "regex": (check, ())}
        return copy

    class Schema(schema_base):  # type: ignore[misc, valid-type]
        """Every meta-schema error of a schema (not only the first), each at its place; patterns are
        checked as ECMA-262 by _check_patterns, not as Python's re; a schema that fails its meta-schema
        is still walked (a default deeper in it is still checked)."""

        def __call__(self, schema: Any, require_properties: bool = True, meta_checked: bool = False) -> Any:
            value = schema.read_value()
            if id(value) in self.registry.clean:
                return  # it yields nothing wherever it is reached, and reaches only schemas that yield nothing
            where = _real(self.registry.document, schema.parts)
            if not meta_checked and isinstance(value, (dict, bool)) and id(value) not in self.meta_checked_schema_ids:
                self.meta_checked_schema_ids.append(id(value))
                for error in self._meta_errors(schema, value):
                    yield _noted(error, where, "meta")
            try:
                for error in super().__call__(schema, require_properties, meta_checked=True):
                    yield _noted(error, where)
            except (KeyError, IndexError, TypeError, ValueError, AttributeError):
                return  # a schema its meta-schema rejects may not be walkable: that error says why

        def _meta_errors(self, schema: Any, value: Any) -> list[ValidationError]:
            from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

            registry = self.registry
            if registry.meta_shortcut and (ver != "3.1" or "jsonSchemaDialect" not in registry.document) and quickcheck.meta_holds(ver, value):
                return []  # its meta-schema (the document's default dialect) holds: jsonschema-rs says so, and fast
            if hasattr(self, "_get_validator_class_for_dialect"):  # 3.1: the schema's dialect
                try:
                    dialect = self._get_schema_dialect_id(schema, value)
                except ValueError as exc:
                    return [OpenAPIValidationError(str(exc))]
                cls = self._get_validator_class_for_dialect(dialect)
                if cls is None:
                    return [OpenAPIValidationError(f"Unknown JSON Schema dialect: {dialect!r}")]
                checker = self.schema_validator_format_checker
            else:
                cls = self.schema_validator_cls
                checker = None
            meta = validator_for(cls.META_SCHEMA, default=cls)
            checker = with_regex(checker or cls.FORMAT_CHECKER, always)
            # As openapi-schema-validator's own check_schema: its dialects' meta-schemas from its registry.
            return list(meta(cls.META_SCHEMA, format_checker=checker, registry=getattr(oas_validators, "OPENAPI_SPECIFICATIONS")).iter_errors(value))  # noqa: B009

    class Value(value_base):  # type: ignore[misc, valid-type]
        """A default against its schema, the schema's patterns read as ECMA-262."""

        def __call__(self, schema: Any, value: Any) -> Any:
            where = (*_real(self.registry.document, schema.parts), "default")
            with schema.resolve() as resolved:
                checker = with_regex(self.value_validator_format_checker, ecma_regex)
                validator = self.value_validator_cls(_python_patterns(resolved.contents), _resolver=resolved.resolver, format_checker=checker)
                try:
                    errors = list(validator.iter_errors(value))
                except (re.error, jsonschema_exceptions.UnknownType):  # a pattern reached through a $ref, not
                    errors = []  # translated, or a type that does not exist (reported as such): undecided
            same = _as_typed(value) if errors and _of_parameter(where) else None
            if same is not None and not list(validator.iter_errors(same)):
                yield _noted(errors[0], where, "read as")  # "1" for an integer parameter: the same text on the wire
                return
            for error in errors:
                yield _noted(error, where, "default")

    def noting(cls: Any) -> Any:
        class Noting(cls):  # type: ignore[misc]
            def __call__(self, *args: Any) -> Any:
                path = next((a for a in args if hasattr(a, "parts")), None)
                where = _real(self.registry.document, path.parts) if path is not None else ()
                for error in super().__call__(*args):
                    yield _noted(error, where)

        return Noting

    class Schemas(schemas_base):  # type: ignore[misc, valid-type]
        """The named schemas (components.schemas), each walked unless ``needed_schemas`` leaves it out: one
        that yields nothing whatever route reaches it first, and reaches only schemas that yield nothing (so
        every schema that may yield a finding is still reached by the same route, in the same order)."""

        def __call__(self, schemas: Any) -> Any:
            needed = self.registry.needed_schemas
            for name, schema in schemas.items():
                if needed is None or name in needed:
                    yield from self.schema_validator(schema)

    keywords["schema"], keywords["default"], keywords["schemas"] = Schema, Value, Schemas
    for name in ("parameters", "parameter", "operation", "tags", "path"):
        if name in keywords:
            keywords[name] = noting(keywords[name])

    class Located(base):  # type: ignore[misc]
        keyword_validators = keywords

        def __init__(self, data: dict[str, Any], needed_schemas: list[str] | None = None, meta_shortcut: bool = False, clean: set[int] | None = None) -> None:
            super().__init__(data)
            self.keyword_validators_registry.document = data
            self.keyword_validators_registry.needed_schemas = None if needed_schemas is None else set(needed_schemas)
            self.keyword_validators_registry.meta_shortcut = meta_shortcut
            #: The ids of schemas of ``data`` that yield nothing wherever the walk reaches them, and reach only such.
            self.keyword_validators_registry.clean = clean or set()

    return Located


def _real(document: Any, parts: tuple[Any, ...]) -> Pointer:
    """Where the node at ``parts`` (a path that may pass through ``$ref``s) is written in ``document``."""
    pointer: Pointer = ()
    node = document
    for index, part in enumerate(parts):
        node, pointer = _dereferenced(document, node, pointer)
        if not ((isinstance(node, dict) and part in node) or (isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node))):
            return (*pointer, *parts[index:])
        node = node[part]
        pointer = (*pointer, part)
    return _dereferenced(document, node, pointer)[1]


def _dereferenced(document: Any, node: Any, pointer: Pointer) -> tuple[Any, Pointer]:
    seen = 0
    while isinstance(node, dict) and isinstance(node.get("$ref"), str) and seen < 64:
        target = openapi.parse_ref(node["$ref"])
        if target is None:
            break
        walked: list[str | int] = []
        found: Any = document
        for part in target:
            if isinstance(found, list) and isinstance(part, str) and part.isdigit() and int(part) < len(found):
                walked.append(int(part))
                found = found[int(part)]
            elif isinstance(found, dict) and part in found:
                walked.append(part)
                found = found[part]
            else:
                return node, pointer
        node, pointer, seen = found, tuple(walked), seen + 1
    return node, pointer


#: Python spellings of patterns (``_python_patterns``) -> the pattern as the document writes it.
_ECMA_SPELLING: dict[str, str] = {}


def _python_patterns(schema: Any) -> Any:
    """``schema`` with each ``pattern`` spelled for Python's re (ecma.py); one that cannot be is left out."""
    if isinstance(schema, list):
        return [_python_patterns(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    result = {}
    for key, value in schema.items():
        if key == "pattern" and isinstance(value, str):
            python = ecma.translate(value).python
            if python is not None:
                result[key] = f"(?a:{python})"
                _ECMA_SPELLING[result[key]] = value
            continue
        result[key] = value if key in openapi.DATA_KEYWORDS else _python_patterns(value)
    return result


#: A 2.0 parameter's keywords that constrain its value (the parameter is its own schema).
_PARAMETER_SCHEMA = ("type", "format", "items", "enum", "pattern", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
                     "minLength", "maxLength", "minItems", "maxItems", "uniqueItems", "multipleOf")


def default_problem(data: dict[str, Any], param: dict[str, Any]) -> str:
    """Why the ``default`` of parameter ``param`` does not fit its schema, or "" (it fits, or cannot be
    decided): what build asks before an internal parameter is sent with its default."""
    schema = param.get("schema") if "schema" in param else {k: param[k] for k in _PARAMETER_SCHEMA if k in param}
    schema = openapi.resolve(data, openapi.Node(schema, ())).value
    if not isinstance(schema, dict):
        return ""
    if quickcheck.default_fits(schema, param.get("default")):
        return ""  # a plain schema whose every constraint it meets: no validator is imported (~0.3 s) to say so
    from jsonschema import FormatChecker
    from openapi_schema_validator import OAS30Validator, OAS31Validator

    cls = OAS31Validator if openapi.version(data) == "3.1" else OAS30Validator
    try:
        validator = cls(_python_patterns(schema), format_checker=FormatChecker(formats=()))
        error = next(iter(validator.iter_errors(param.get("default"))), None)
        same = _as_typed(param.get("default")) if error is not None and param.get("in") != "body" else None
        if same is not None and next(iter(validator.iter_errors(same)), None) is None:
            return ""  # "1" for an integer: the same text on the wire (validation warned, READ_AS)
    except Exception:  # noqa: BLE001 - a schema jsonschema cannot use (a $ref inside it): undecided
        return ""
    return _schema_finding(error, "").message.removeprefix(": ") if error is not None else ""


def _check_patterns(doc: Document) -> list[Diagnostic]:
    """Every schema ``pattern`` is an ECMA-262 regular expression (what Python's re alone rejects is fine)."""
    problems: list[Diagnostic] = []

    def walk(value: dict[str, Any] | list[Any], pointer: Pointer, names: bool) -> None:
        if isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, (dict, list)):
                    walk(item, (*pointer, index), False)
            return
        pattern = value.get("pattern") if not names else None
        if isinstance(pattern, str):
            found = ecma.translate(pattern)
            if found.error:
                problems.append(
                    doc.warning(
                        (*pointer, "pattern"),
                        f"pattern {_shown(pattern)} is not an ECMA-262 regular expression ({found.error}); {NOT_USED}",
                        "write the pattern in ECMA-262 (JavaScript) syntax, as OpenAPI and JSON Schema do",
                        code="spec-violation",
                    )
                )
        for key, item in value.items():
            if isinstance(item, (dict, list)) and (names or (key not in openapi.DATA_KEYWORDS and key != "examples" and not str(key).startswith("x-"))):
                walk(item, (*pointer, key), not names and key in openapi.NAME_MAPS)

    walk(doc.data, (), False)
    return problems


def _cost(error: ValidationError) -> int:
    """How far the document is from satisfying ``error``'s schema: 1, or the cheapest oneOf/anyOf branch."""
    if not error.context:
        return 1
    return min(sum(_cost(e) for e in branch) for branch in _branches(error))


def _branches(error: ValidationError) -> list[list[ValidationError]]:
    groups: dict[object, list[ValidationError]] = {}
    for sub in error.context or ():
        key = sub.relative_schema_path[0] if sub.relative_schema_path else None
        groups.setdefault(key, []).append(sub)
    return list(groups.values())


def _most_specific(error: ValidationError) -> ValidationError:
    """For a oneOf/anyOf failure, the error of the branch the document came closest to.

    A parameter with ``type: strin`` fails every branch of the parameter oneOf;
    the useful complaint is about ``type`` in the query-parameter branch, not
    "'$ref' is a required property".
    """
    if not error.context:
        return error
    branch = min(_branches(error), key=lambda errs: (_unmeant_reference(errs), sum(_cost(e) for e in errs), -max(len(e.absolute_path) for e in errs)))
    chosen = max((_most_specific(e) for e in branch), key=lambda e: len(e.absolute_path))
    return chosen if len(chosen.absolute_path) >= len(error.absolute_path) else error


def _unmeant_reference(branch: list[ValidationError]) -> bool:
    """The Reference Object branch of an object that has no ``$ref``: it fails on that one missing key
    (cheapest), but the object was never meant as a reference; the other branch's errors are the real ones."""
    return all(e.validator == "required" and isinstance(e.instance, dict) and "$ref" not in e.instance and e.validator_value == ["$ref"] for e in branch)


_HINTS = {
    "additionalProperties": "remove the property or check its spelling",
    "required": "add the missing property",
    "exclusiveMinimum": "use a larger value",
    "minimum": "use a larger value",
    "minLength": "write a non-empty value",
    "minProperties": "add at least one entry",
}


def _from_schema_error(doc: Document, error: ValidationError, what: str) -> Diagnostic:
    finding = _schema_finding(error, what)
    return doc.error(finding.pointer, finding.message, finding.hint)


#: What the findings of the extension schema (schemas/connector-extensions.schema.json) are about.
_EXTENSION_SCHEMA = "x-connector extension"


def _schema_finding(error: ValidationError, what: str) -> Finding:
    error = _most_specific(error)
    pointer = tuple(error.absolute_path)
    message = error.message
    extra = _extra_keys(error)
    if len(extra) == 1:  # the key that is not allowed is the place, not the object that holds it
        pointer = (*pointer, extra[0])
    if error.validator == "type":  # jsonschema shows the value as Python (None, True): show it as the spec writes it
        types = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        message = f"{json.dumps(error.instance, ensure_ascii=False)} is not of type {', '.join(repr(t) for t in types)}"
    if len(message) > 300:
        message = message[:297] + "..."
    hint = _HINTS.get(str(error.validator), "")
    if not hint and error.validator in ("type", "enum", "const", "pattern", "format"):
        hint = f"use a value {what} allows here"
    hint = hint or f"see the {what} specification for this object"
    if what == _EXTENSION_SCHEMA:
        hint += " (the extensions are described in docs/spec-format.md)"
    return Finding(pointer, f"{what}: {message}", hint)


@functools.cache
def _extension_schema() -> Any:
    return json.loads(resources.files("connectorsmith").joinpath("schemas/connector-extensions.schema.json").read_text("utf-8"))


@functools.cache
def _extension_validator() -> jsonschema.protocols.Validator:
    import jsonschema

    schema = _extension_schema()
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    validator: jsonschema.protocols.Validator = cls(schema)
    return validator


def _check_extensions(doc: Document) -> list[Diagnostic]:
    if _rust_extension_validator().is_valid(doc.data):
        return []  # jsonschema-rs agrees with jsonschema on validity; jsonschema's errors are the ones ranked and located
    return [_from_schema_error(doc, e, _EXTENSION_SCHEMA) for e in _extension_validator().iter_errors(doc.data)]


@functools.cache
def _rust_extension_validator() -> Any:
    import jsonschema_rs

    return jsonschema_rs.validator_for(_extension_schema())


def _check_operations(doc: Document) -> list[Diagnostic]:
    data = doc.data
    problems: list[Diagnostic] = []
    seen_ids: dict[str, Pointer] = {}
    for path in data.get("paths", {}) if isinstance(data.get("paths"), dict) else ():
        label = path.partition("#")[2]
        if label and not _PATH_LABEL.match(label):
            problems.append(doc.error(("paths", path), f"path label {label!r} may use only letters, digits, '_', '.' and '-'", "rename the '#label'"))
    for op in openapi.iter_operations(data):
        op_id = op.value.get("operationId")
        # An operation without an operationId is named from its method and path (a warning: see build).
        if isinstance(op_id, str) and op_id.strip() and op_id in seen_ids:
            first, here = doc.locate(seen_ids[op_id]), doc.locate((*op.pointer, "operationId"))
            where = f"line {first.line}" if first.file == here.file else f"{first.file}:{first.line}"  # a split spec's other file
            problems.append(
                doc.problem((*op.pointer, "operationId"), f"duplicate operationId {op_id!r} (first used at {where})", "give each operation its own operationId")
            )
        elif isinstance(op_id, str) and op_id.strip():
            seen_ids[op_id] = (*op.pointer, "operationId")
        params = openapi.parameters(data, op)
        declared = {str(p.value.get("name")) for p in params if p.value.get("in") == "path"}
        template = _TEMPLATE_PARAM.findall(op.path.partition("#")[0])
        for name in template:
            if name not in declared:
                problems.append(
                    doc.problem(
                        (*op.pointer, "parameters") if "parameters" in op.value else op.pointer,
                        f"path parameter {{{name}}} of {op.path!r} is not declared by {op.method.upper()}",
                        f"add a parameter with 'name: {name}', 'in: path', 'required: true'",
                    )
                )
        for p in params:
            if p.value.get("in") == "path" and str(p.value.get("name")) not in template:
                problems.append(doc.problem(p.pointer, f"path parameter {p.value.get('name')!r} does not appear in {op.path!r}", "remove it or add it to the path template"))
        if extensions.TRIGGER.of(op.value) is not None and op.method != "get":
            problems.append(doc.error(extensions.TRIGGER.at(op.pointer), "a polling trigger must be a GET operation", "move the trigger to a GET"))
    return problems


def _check_header_names(doc: Document) -> list[Diagnostic]:
    """Every header a parameter or an API key scheme names is a valid field name: the client could send
    none of them (every call would fail). A parameter's is an error, or when read leniently a warning and
    the parameter left out (build.py); a security scheme's is an error."""
    problems = []
    for op in openapi.iter_operations(doc.data):
        for param in openapi.parameters(doc.data, op):
            name = param.value.get("name")
            if param.value.get("in") == "header" and isinstance(name, str) and not openapi.HEADER_NAME.fullmatch(name):
                problems.append(
                    doc.problem(
                        param.pointer,
                        f"header parameter {name!r} of {op.method.upper()} {op.path} is not a valid HTTP header name"
                        + ("; it is left out of the client" if doc.lenient else ""),
                        "use letters, digits and - only (RFC 9110 token), e.g. " + repr(re.sub(r"[^!#$%&'*+.^_`|~0-9A-Za-z-]+", "-", name).strip("-") or "X-Value"),
                    )
                )
    for scheme_name, node in openapi.security_schemes(doc.data).items():
        scheme = node.value if isinstance(node.value, dict) else {}
        name = scheme.get("name")
        if scheme.get("type") == "apiKey" and scheme.get("in", "header") in ("header", "cookie") and isinstance(name, str) and not openapi.HEADER_NAME.fullmatch(name):
            problems.append(doc.error((*node.pointer, "name"), f"API key {scheme_name!r} names {name!r}, which is not a valid HTTP {scheme.get('in', 'header')} name: no call could send it", "use letters, digits and - only (RFC 9110 token)"))
    return problems


def _check_connection(doc: Document) -> list[Diagnostic]:
    connection = extensions.connection(doc.data)
    if connection is None or not isinstance(connection.get("parameters"), dict):
        return []
    schemes = openapi.security_schemes(doc.data)
    problems = []
    for name, param in connection["parameters"].items():
        if not isinstance(param, dict):
            continue
        pointer = (extensions.CONNECTION.name, "parameters", name)
        ref = param.get("securityDefinition")
        if ref is None:
            continue
        scheme = schemes.get(str(ref))
        if scheme is None:
            known = ", ".join(sorted(schemes)) or "none are defined"
            problems.append(doc.error((*pointer, "securityDefinition"), f"security definition {ref!r} does not exist", f"use one of: {known}"))
            continue
        kind = scheme.value.get("type") if isinstance(scheme.value, dict) else None
        if kind not in ("apiKey", "http", "basic"):
            problems.append(doc.error((*pointer, "securityDefinition"), f"security definition {ref!r} has type {kind!r}; a connection parameter can fill apiKey, http or basic", "point at an apiKey definition"))
        fmt = param.get("format")
        if isinstance(fmt, str) and "{" + name + "}" not in fmt:
            problems.append(doc.error((*pointer, "format"), f"format {fmt!r} does not contain the placeholder {{{name}}}", f"write e.g. 'Bearer {{{name}}}'"))
    return problems
