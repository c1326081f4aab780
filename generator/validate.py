"""Stage 2: validation.  Every problem of a file is collected and located; nothing is raised.

Checks, in order: the OpenAPI version; every ``$ref`` is local and resolves;
the OpenAPI schema (openapi-spec-validator, 2.0 / 3.0 / 3.1 — run only when
``quickcheck`` says it could find something, its findings cached by content); the
``x-connector-*`` extensions (their JSON Schema, shipped in the package); and
semantic rules openapi-spec-validator does not locate or does not know:
unique operationIds, declared path template parameters, ``#label`` path keys,
connection parameters that name real security definitions.  Checks that need
the decided Python names (collisions) and resolved types (trigger fields)
run while the model is built (see ``build``).
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
from typing import TYPE_CHECKING, Any, NamedTuple

from . import __version__, cache, openapi, quickcheck
from .diagnostics import Diagnostic, Pointer
from .digests import Found
from .loader import Document

if TYPE_CHECKING:
    import jsonschema
    from jsonschema.exceptions import ValidationError

# openapi-spec-validator would switch its document-schema pass to jsonschema-rs, whose errors
# carry no branches to rank: the diagnostics keep the Python backend (jsonschema-rs only decides,
# up front, whether that pass can find anything at all; see _validate_openapi_full).
os.environ.setdefault("OPENAPI_SPEC_VALIDATOR_SCHEMA_VALIDATOR_BACKEND", "jsonschema")

_TEMPLATE_PARAM = re.compile(r"\{([^{}]*)\}")
_PATH_LABEL = re.compile(r"^[A-Za-z0-9_.-]+$")


def validate(doc: Document, checks: Found | None = None) -> list[Diagnostic]:
    """Every problem of ``doc``; ``checks``: what was found of its parts before (their references, the fast
    check's answer), for ``--watch``: parts whose content is the same are not walked again."""
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
    problems = _check_refs(doc, checks)
    if not problems:
        # openapi-spec-validator crashes on unresolvable references, and recurses forever on allOf cycles:
        # those are reported here and left out of what it sees.
        cycles = all_of_cycles(data)
        problems += [
            doc.warning(pointer, "allOf includes a schema that includes this one: a cycle; its properties are merged once", "remove the reference that closes the cycle")
            for pointer in cycles
        ]
        problems += _check_openapi(doc, ver, with_server_defaults(without_schemas(data, cycles)), checks)
    elif doc.lenient:
        problems.append(doc.warning((), f"OpenAPI {ver} schema validation skipped: the document has references that do not resolve", "fix the $refs above"))
    problems += _check_extensions(doc)
    problems += _check_operations(doc)
    problems += _check_connection(doc)
    return problems


def _check_refs(doc: Document, checks: Found | None = None) -> list[Diagnostic]:
    problems = []
    swagger = str(doc.data.get("swagger", "")) == "2.0"  # examples are data in a 2.0 document

    def part_refs(pointer: Pointer, part: Any, find: Callable[[], openapi.Refs]) -> openapi.Refs:
        """A part's refs: as found before when it is the same where it stands (``checks``), else now."""
        return find() if checks is None else checks.of_part(f"refs at {list(pointer)!r} {swagger}", part, find)

    refs = openapi.document_refs(doc.data, part_refs)
    for ref, pointer in refs:
        target = openapi.parse_ref(ref)
        if target is None:
            problems.append(
                doc.problem(pointer, f"unsupported $ref {ref!r}: only references inside this file ('#/...') are allowed", "inline the referenced schema")
            )
            continue
        found, _ = openapi.lookup(doc.data, target)
        if not found:
            problems.append(doc.problem(pointer, f"$ref {ref!r} does not resolve", _ref_hint(doc.data, target)))
    problems += _check_ref_cycles(doc, refs)
    return problems


def _check_ref_cycles(doc: Document, refs: list[tuple[str, Pointer]]) -> list[Diagnostic]:
    """A $ref whose chain of pure references comes back to itself never names a schema."""
    problems = []
    for ref, pointer in refs:
        seen = {ref}
        current = openapi.parse_ref(ref)
        while current is not None:
            found, value = openapi.lookup(doc.data, current)
            if not (found and isinstance(value, dict) and isinstance(value.get("$ref"), str)):
                break
            nxt = value["$ref"]
            if nxt in seen:
                problems.append(doc.problem(pointer, f"$ref {ref!r} is a cycle of references", "point one of them at a real schema"))
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


def without_schemas(data: dict[str, Any], pointers: list[Pointer]) -> dict[str, Any]:
    """``data`` with the schemas at ``pointers`` replaced by ``{}`` (a copy; ``data`` itself is unchanged)."""
    if not pointers:
        return data
    copy: dict[str, Any] = deepcopy(data)
    for pointer in pointers:
        found, parent = openapi.lookup(copy, pointer[:-1])
        if found and isinstance(parent, list) and isinstance(pointer[-1], int):
            parent[pointer[-1]] = {}
    return copy


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
    repairable: bool  # an error, or (lenient) a warning


def _check_openapi(doc: Document, ver: str, data: dict[str, Any], checks: Found | None = None) -> list[Diagnostic]:
    # ``data`` is made from the document's data alone, which its source's bytes decide (so does the
    # source's digest): that digest is its content's key, without writing the data out to hash it.
    source = json.dumps(["source", ver, doc.source]) if doc.source else None
    return [(doc.problem if f.repairable else doc.error)(f.pointer, f.message, f.hint) for f in openapi_findings(ver, data, source, checks)]


def openapi_findings(ver: str, data: dict[str, Any], source: str | None = None, checks: Found | None = None) -> list[Finding]:
    """openapi-spec-validator's findings on ``data``, remembered by content (see cache.py); ``source``:
    a text that only equal data has (the digest of what it was read from), else the data is hashed.

    A document whose content, or whose tool versions, the cache has not seen is validated in full.
    """
    content = source if source is not None else json.dumps([ver, data], ensure_ascii=False, separators=(",", ":"), default=str)
    key = hashlib.sha256(content.encode()).hexdigest()
    remembered = cache.load("validation", key, _validation_salt())
    if isinstance(remembered, list):
        try:
            return [Finding(tuple(p), str(m), str(h), bool(r)) for p, m, h, r in remembered]
        except (TypeError, ValueError):
            pass  # corrupt: validated afresh, and stored again
    findings = _validate_openapi(ver, data, checks)
    cache.store("validation", key, _validation_salt(), [list(f) for f in findings])
    return findings


@functools.cache
def _validation_salt() -> str:
    """What the findings depend on besides the document: this module, quickcheck and the installed
    distributions (the validators' versions among them)."""
    versions = cache.installed()
    sources = [Path(module.__file__ or "").read_text("utf-8") for module in (sys.modules[__name__], quickcheck)]
    return hashlib.sha256("\n".join([__version__, *versions, *sources]).encode()).hexdigest()


def _validate_openapi(ver: str, data: dict[str, Any], checks: Found | None = None) -> list[Finding]:
    """Every finding of openapi-spec-validator (2.0 / 3.0 / 3.1) on ``data``.

    quickcheck.py first decides, fast and conservatively, whether it could find anything at all;
    only then is it imported and run (tests/test_validation_fast.py holds the two to agree).
    """
    if quickcheck.cannot_fail(ver, data, checks):
        return []
    return _validate_openapi_full(ver, data)


def _validate_openapi_full(ver: str, data: dict[str, Any]) -> list[Finding]:
    """openapi-spec-validator's findings, its own way: the document schema (ranked Python errors) and its semantic rules."""
    import openapi_spec_validator
    from jsonschema.exceptions import ValidationError
    from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

    validator = getattr(openapi_spec_validator, _VALIDATORS[ver])(data)
    # Its document-schema pass (jsonschema, in Python) is slow on large documents: a document that
    # jsonschema-rs finds valid against the same schema only needs its semantic rules.
    errors = validator.root_validator(validator.schema_path) if quickcheck.document_schema_holds(ver, data) else validator.iter_errors()
    findings = []
    try:
        for error in errors:
            name = type(error).__name__
            if name in ("DuplicateOperationIDError", "UnresolvableParameterError"):
                continue  # reported, located, by _check_operations
            if isinstance(error, ValidationError):
                findings.append(_schema_finding(error, f"OpenAPI {ver}"))
            elif isinstance(error, OpenAPIValidationError):
                findings.append(Finding((), str(error), "see the OpenAPI specification", True))
    except (KeyError, IndexError, TypeError, ValueError, AttributeError) as exc:
        # Its semantic rules (run after the document schema's) assume a document the schema accepts:
        # on one it does not (paths: null), they fail where the schema's findings already say why.
        if not findings:
            findings.append(Finding((), f"openapi-spec-validator failed on this document ({type(exc).__name__}: {exc})", "report this to connectorgen with the spec", True))
    return findings


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
    branch = min(_branches(error), key=lambda errs: (sum(_cost(e) for e in errs), -max(len(e.absolute_path) for e in errs)))
    chosen = max((_most_specific(e) for e in branch), key=lambda e: len(e.absolute_path))
    return chosen if len(chosen.absolute_path) >= len(error.absolute_path) else error


_HINTS = {
    "additionalProperties": "remove the property or check its spelling",
    "required": "add the missing property",
    "exclusiveMinimum": "use a larger value",
    "minimum": "use a larger value",
    "minLength": "write a non-empty value",
    "minProperties": "add at least one entry",
}


def _from_schema_error(doc: Document, error: ValidationError, what: str, repairable: bool = False) -> Diagnostic:
    finding = _schema_finding(error, what, repairable)
    return (doc.problem if finding.repairable else doc.error)(finding.pointer, finding.message, finding.hint)


def _schema_finding(error: ValidationError, what: str, repairable: bool = True) -> Finding:
    error = _most_specific(error)
    pointer = tuple(error.absolute_path)
    message = error.message
    if error.validator == "type":  # jsonschema shows the value as Python (None, True): show it as the spec writes it
        types = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        message = f"{json.dumps(error.instance, ensure_ascii=False)} is not of type {', '.join(repr(t) for t in types)}"
    if len(message) > 300:
        message = message[:297] + "..."
    hint = _HINTS.get(str(error.validator), "")
    if not hint and error.validator in ("type", "enum", "const", "pattern", "format"):
        hint = f"use a value {what} allows here"
    hint = hint or f"see the {what} specification for this object"
    if what.startswith("x-connector"):
        hint += " (the extensions are described in docs/spec-format.md)"
    return Finding(pointer, f"{what}: {message}", hint, repairable)


@functools.cache
def _extension_schema() -> Any:
    return json.loads(resources.files("generator").joinpath("schemas/connector-extensions.schema.json").read_text("utf-8"))


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
    return [_from_schema_error(doc, e, "x-connector extension") for e in _extension_validator().iter_errors(doc.data)]


@functools.cache
def _rust_extension_validator() -> Any:
    import jsonschema_rs

    return jsonschema_rs.validator_for(_extension_schema())


def _check_operations(doc: Document) -> list[Diagnostic]:
    data = doc.data
    problems: list[Diagnostic] = []
    seen_ids: dict[str, Pointer] = {}
    for path in data.get("paths", {}) if isinstance(data.get("paths"), dict) else ():
        url, _, label = path.partition("#")
        if label and not _PATH_LABEL.match(label):
            problems.append(doc.error(("paths", path), f"path label {label!r} may use only letters, digits, '_', '.' and '-'", "rename the '#label'"))
        if "?" in url:
            problems.append(doc.problem(("paths", path), "a path key may not contain a query string", "declare query parameters with 'in: query'"))
    for op in openapi.iter_operations(data):
        op_id = op.value.get("operationId")
        if not isinstance(op_id, str) or not op_id.strip():
            problems.append(
                doc.problem(op.pointer, f"{op.method.upper()} {op.path} has no operationId", "add 'operationId: SomeName'; it names the client method")
            )
        elif op_id in seen_ids:
            first = doc.locate(seen_ids[op_id])
            problems.append(
                doc.problem((*op.pointer, "operationId"), f"duplicate operationId {op_id!r} (first used at line {first.line})", "give each operation its own operationId")
            )
        else:
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
        trigger = op.value.get("x-connector-trigger")
        if trigger is not None and op.method != "get":
            problems.append(doc.error((*op.pointer, "x-connector-trigger"), "a polling trigger must be a GET operation", "move the trigger to a GET"))
    return problems


def _check_connection(doc: Document) -> list[Diagnostic]:
    connection = doc.data.get("x-connector-connection")
    if not isinstance(connection, dict) or not isinstance(connection.get("parameters"), dict):
        return []
    schemes = openapi.security_schemes(doc.data)
    problems = []
    for name, param in connection["parameters"].items():
        if not isinstance(param, dict):
            continue
        pointer = ("x-connector-connection", "parameters", name)
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
