"""Hypothesis strategies and helpers for the fuzz targets (tests/test_fuzz.py).

``specs()`` draws valid-looking Swagger 2.0, OpenAPI 3.0 and 3.1 documents (odd names, enums, unions with and
without discriminators, recursion, nullability, allOf, security schemes, servers, every parameter location,
request bodies, responses), each with the named schemas it holds, so ``value_of`` can build values that fit a
schema (for round trips of the generated models). ``mutations`` changes real specs: wrong-typed nodes, deleted
keys, duplicated operationIds, byte edits.
"""

from __future__ import annotations

import copy
import json
import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from hypothesis import settings
from hypothesis import strategies as st


def budget(examples: int, at_length: int | None = None) -> settings:
    """``examples`` in the suite's derandomized default profile; under ``--hypothesis-profile=fuzz`` (the one
    profile that explores randomly, see tests/conftest.py) ``at_length``, or the profile's (much larger) count."""
    current = settings.default
    if current is not None and not current.derandomize:
        return settings(current) if at_length is None else settings(current, max_examples=at_length)
    return settings(max_examples=examples)


# Names: keywords, builtins, the generated code's own names, unicode, digits first, names that collide once
# snake_cased, JSON keys that are not identifiers.
ODD_NAMES = [
    "class", "def", "from", "import", "None", "True", "False", "async", "await", "lambda", "match", "case", "type",
    "list", "dict", "str", "id", "property", "self", "cls", "object", "print", "int", "float", "bytes",
    "to_dict", "from_dict", "additional_properties", "DecodeError", "models", "client", "errors", "httpx", "Any",
    "_runtime", "_serde", "Optional", "datetime", "field", "dataclass",
    "café", "Ünïcödé", "名前", "ДанныеЗапроса", "naïve_value",
    "2nd", "3d-model", "123", "0", "1st-place",
    "fooBar", "foo_bar", "FooBar", "foo-bar", "FOO_BAR", "foo__bar", "Foo.Bar",
    "@odata.etag", "$value", "x.y", "a b", "with space", "kebab-case-name", "UPPER", "_private", "__dunder__",
]
#: Names every schema name is drawn from too (a schema must be nameable in a $ref: no '/' or '~').
PLAIN_NAMES = ["Item", "Pet", "Cat", "Dog", "Node", "Tree", "Error", "User", "Message", "Page", "Event", "Thing"]

COLLIDING = {"foo_bar", "FooBar", "foo-bar", "FOO_BAR", "foo__bar", "Foo.Bar"}
odd_names = st.sampled_from(ODD_NAMES)
#: Mostly names that stay distinct once snake_cased; now and then one of a colliding family.
property_names = st.sampled_from([n for n in ODD_NAMES if n not in COLLIDING] * 6 + sorted(COLLIDING))
#: OpenAPI 3 component names are ^[a-zA-Z0-9._-]+$; Swagger 2.0 definitions may be named anything.
COMPONENT_NAMES = [n for n in PLAIN_NAMES + ODD_NAMES if re.fullmatch(r"[a-zA-Z0-9._-]+", n)]
DEFINITION_NAMES = [n for n in PLAIN_NAMES + ODD_NAMES if " " not in n]
texts = st.sampled_from(["", "A description.", "Has `code` and *stars* | pipes", "Ünïcödé — text", "line\nbreak", '"""quotes"""', "{{ jinja }}"])

DATE_TIME = "2024-01-02T03:04:05+00:00"


@dataclass
class Spec:
    """A drawn document, the names its schemas are stored under, and how to write it."""

    version: str  # "2.0", "3.0", "3.1"
    document: dict[str, Any]
    schemas: dict[str, Any] = field(default_factory=dict)
    as_json: bool = True

    def ref(self, name: str) -> str:
        return ("#/definitions/" if self.version == "2.0" else "#/components/schemas/") + name

    def write(self, folder: Path, stem: str = "fuzzspec") -> Path:
        if self.as_json:
            path = folder / f"{stem}.json"
            path.write_text(json.dumps(self.document, ensure_ascii=False, indent=1), "utf-8")
        else:
            path = folder / f"{stem}.yaml"
            path.write_text(yaml.safe_dump(self.document, allow_unicode=True, sort_keys=False), "utf-8")
        return path


class _Draw:
    """Builds one document from a hypothesis ``draw``; keeps the named schemas it made."""

    def __init__(self, draw: Callable[[Any], Any], version: str) -> None:
        self.draw, self.version = draw, version
        self.schemas: dict[str, Any] = {}

    def ref(self, name: str) -> dict[str, Any]:
        return {"$ref": ("#/definitions/" if self.version == "2.0" else "#/components/schemas/") + name}

    def nullable(self, schema: dict[str, Any]) -> dict[str, Any]:
        """The schema with null allowed, as each version says it."""
        if "$ref" in schema:
            if self.version == "3.1":
                return {"anyOf": [schema, {"type": "null"}]}
            if self.version == "3.0":
                return {"allOf": [schema], "nullable": True}
            return schema
        schema = dict(schema)
        if self.version == "3.1" and isinstance(schema.get("type"), str):
            schema["type"] = [schema["type"], "null"]
            if "enum" in schema:
                schema["enum"] = [*schema["enum"], None]
        elif self.version == "3.0":
            schema["nullable"] = True
        else:
            schema["x-nullable"] = True
        return schema

    def primitive(self) -> dict[str, Any]:
        kind = self.draw(st.sampled_from(["string", "integer", "number", "boolean", "date-time", "date", "uuid", "enum-s", "enum-i", "enum-mixed"]))
        if kind in ("date-time", "date", "uuid"):
            return {"type": "string", "format": kind}
        if kind == "enum-s":
            values = self.draw(st.lists(st.sampled_from(["", "a", "A", "b-c", "None", "class", "ü", "1st", "x y", "FOO_BAR", "foo_bar", "fooBar"]), min_size=1, max_size=5, unique=True))
            return {"type": "string", "enum": values}
        if kind == "enum-i":
            return {"type": "integer", "enum": self.draw(st.lists(st.integers(-3, 300), min_size=1, max_size=4, unique=True))}
        if kind == "enum-mixed":
            if self.draw(st.booleans()):  # values of several JSON types, the schema untyped
                return {"enum": self.draw(st.lists(st.sampled_from([1, "a", "", 2.5, True, "1"]), min_size=2, max_size=4, unique_by=lambda v: (type(v), v)))}
            return {"type": "string", "enum": self.draw(st.lists(st.sampled_from(["1", "2", "1.5", "-1", "true", "null", ""]), min_size=1, max_size=4, unique=True))}
        schema: dict[str, Any] = {"type": kind}
        if kind == "integer" and self.draw(st.booleans()):
            schema["format"] = self.draw(st.sampled_from(["int32", "int64"]))
        return schema

    def schema(self, depth: int, names: list[str]) -> dict[str, Any]:
        """A schema that may refer to any of ``names`` (recursion: self, mutual, through arrays and maps)."""
        options = ["primitive", "primitive", "object", "array", "map"]
        if names:
            options += ["ref", "ref", "array-ref", "map-ref"]
            if len(names) >= 2:
                options += ["union"]
        if depth >= 2:
            options = ["primitive", "ref"] if names else ["primitive"]
        kind = self.draw(st.sampled_from(options))
        if kind == "primitive":
            result = self.primitive()
        elif kind == "ref":
            result = self.ref(self.draw(st.sampled_from(names)))
        elif kind == "array":
            result = {"type": "array", "items": self.schema(depth + 1, names)}
        elif kind == "array-ref":
            result = {"type": "array", "items": self.ref(self.draw(st.sampled_from(names)))}
        elif kind == "map":
            result = {"type": "object", "additionalProperties": self.schema(depth + 1, names)}
        elif kind == "map-ref":
            result = {"type": "object", "additionalProperties": self.ref(self.draw(st.sampled_from(names)))}
        elif kind == "union" and self.version != "2.0":
            members = self.draw(st.lists(st.sampled_from(names), min_size=2, max_size=3, unique=True))
            result = {self.draw(st.sampled_from(["oneOf", "anyOf"])): [self.ref(m) for m in members]}
        else:
            result = self.object(depth + 1, names)
        if self.draw(st.integers(0, 5)) == 0:
            result = self.nullable(result)
        if self.draw(st.integers(0, 4)) == 0 and "$ref" not in result:
            result["description"] = self.draw(texts)
        return result

    def object(self, depth: int, names: list[str], required_primitive: bool = True) -> dict[str, Any]:
        keys = self.draw(st.lists(property_names, max_size=5, unique=True))
        properties = {key: self.schema(depth, names) for key in keys}
        required = [k for k in keys if self.draw(st.booleans()) and (not required_primitive or _finite(properties[k]))]
        result: dict[str, Any] = {"type": "object", "properties": properties}
        if required:
            result["required"] = required
        extra = self.draw(st.sampled_from([None, None, True, False]))
        if extra is not None:
            result["additionalProperties"] = extra
        if self.draw(st.booleans()):
            result["title"] = self.draw(odd_names)
        return result

    def named_schemas(self) -> None:
        names = self.draw(st.lists(st.sampled_from(DEFINITION_NAMES if self.version == "2.0" else COMPONENT_NAMES), min_size=1, max_size=6, unique=True))
        for name in names:
            kind = self.draw(st.sampled_from(["object", "object", "object", "enum", "union", "allof", "array", "map", "discriminated"]))
            others = [n for n in names if n != name]
            if kind == "object":
                self.schemas[name] = self.object(0, names)
            elif kind == "enum":
                self.schemas[name] = self.primitive() | {"description": self.draw(texts)}
            elif kind == "array":
                self.schemas[name] = {"type": "array", "items": self.schema(1, names)}
            elif kind == "map":
                self.schemas[name] = {"type": "object", "additionalProperties": self.schema(1, names)}
            elif kind == "allof" and others:
                self.schemas[name] = {"allOf": [self.ref(self.draw(st.sampled_from(others))), self.object(1, names)]}
            elif kind == "union" and others and self.version != "2.0":
                members = self.draw(st.lists(st.sampled_from(names), min_size=2, max_size=3, unique=True))
                self.schemas[name] = {self.draw(st.sampled_from(["oneOf", "anyOf"])): [self.ref(m) for m in members]}
            elif kind == "discriminated":
                self.discriminated(name)
            else:
                self.schemas[name] = self.object(0, names)

    def discriminated(self, name: str) -> None:
        """A union of objects told apart by a string property, with or without a mapping (2.0: discriminator on a base)."""
        prop = self.draw(st.sampled_from(["kind", "type", "@type", "class", "petType"]))
        count = self.draw(st.integers(2, 3))
        members = [f"{name}{suffix}" for suffix in ("A", "B", "C")[:count]]
        if self.version == "2.0":
            base = {"type": "object", "discriminator": prop, "required": [prop], "properties": {prop: {"type": "string"}}}
            self.schemas[name] = base
            for member in members:
                self.schemas[member] = {"allOf": [self.ref(name), self.object(1, [])]}
            return
        for member in members:
            body = self.object(1, [name])
            body["properties"] = {prop: {"type": "string"}, **{k: v for k, v in body["properties"].items() if k != prop}}
            body["required"] = [prop, *[r for r in body.get("required", []) if r != prop]]
            self.schemas[member] = body
        union: dict[str, Any] = {self.draw(st.sampled_from(["oneOf", "anyOf"])): [self.ref(m) for m in members]}
        if self.draw(st.booleans()):
            discriminator: dict[str, Any] = {"propertyName": prop}
            if self.draw(st.booleans()):
                values = self.draw(st.lists(st.sampled_from(["a", "b", "c", "", "ü", "class", "1", "x-y"]), min_size=count, max_size=count, unique=True))
                discriminator["mapping"] = {v: self.ref(m)["$ref"] for v, m in zip(values, members, strict=True)}
            union["discriminator"] = discriminator
        self.schemas[name] = union


def _finite(schema: dict[str, Any]) -> bool:
    """A required property must not recur: only primitives (or nullable ones) are required."""
    return "$ref" not in schema and schema.get("type") not in ("object", "array", ["object", "null"], ["array", "null"]) and not any(
        k in schema for k in ("allOf", "oneOf", "anyOf")
    )


def _security(d: _Draw) -> dict[str, Any]:
    kinds = d.draw(st.lists(st.sampled_from(["apikey-header", "apikey-query", "apikey-cookie", "basic", "bearer", "oauth2", "oidc"]), max_size=3, unique=True))
    schemes: dict[str, Any] = {}
    for i, kind in enumerate(kinds):
        name = d.draw(st.sampled_from(["auth", "key", "token", "api_key", "class", "OAuth", "oidc", "böse"])) + str(i)
        if d.version != "2.0":
            name = name.replace("ö", "oe")
        if kind.startswith("apikey"):
            where = kind.split("-")[1]
            if d.version == "2.0" and where == "cookie":
                where = "header"
            # A header or cookie name is an HTTP token (a valid spec's: another is refused, as no call could send it).
            names = ["X-API-Key", "Api-Key", "key", "token"] + (["X-Ünïcode-Key", "api key"] if where == "query" else [])
            schemes[name] = {"type": "apiKey", "in": where, "name": d.draw(st.sampled_from(names))}
        elif kind == "basic":
            schemes[name] = {"type": "basic"} if d.version == "2.0" else {"type": "http", "scheme": "basic"}
        elif kind == "bearer":
            schemes[name] = {"type": "apiKey", "in": "header", "name": "Authorization"} if d.version == "2.0" else {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
        elif kind == "oauth2":
            if d.version == "2.0":
                schemes[name] = {"type": "oauth2", "flow": "accessCode", "authorizationUrl": "https://auth.example.invalid/a", "tokenUrl": "https://auth.example.invalid/t", "scopes": {"read": "Read", "write:all": "Everything"}}
            else:
                flows = {"authorizationCode": {"authorizationUrl": "https://auth.example.invalid/a", "tokenUrl": "https://auth.example.invalid/t", "scopes": {"read": "Read"}}}
                if d.draw(st.booleans()):
                    flows["clientCredentials"] = {"tokenUrl": "https://auth.example.invalid/t", "scopes": {}}
                schemes[name] = {"type": "oauth2", "flows": flows}
        elif d.version != "2.0":
            schemes[name] = {"type": "openIdConnect", "openIdConnectUrl": "https://auth.example.invalid/.well-known/openid-configuration"}
    return schemes


#: Odd names a header or cookie may have: HTTP tokens (keywords, digits first, dots, names that collide in Python).
header_names = st.sampled_from(["X-Request-Id", "x-request-id", "If-Match", "class", "2fa", "X_Odd.Name", "from", "Accept-Language", "self"])


def _parameters(d: _Draw, path_params: list[str], names: list[str]) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = []
    for name in path_params:
        schema = d.primitive()
        result.append(_parameter(d, name, "path", True, schema))
    locations = ["query", "header"] + (["cookie"] if d.version != "2.0" else [])
    for location in d.draw(st.lists(st.sampled_from(locations), max_size=4)):
        name = d.draw(odd_names if location in ("query", "path") else header_names)
        if any(p["name"] == name and p["in"] == location for p in result):
            continue
        if d.draw(st.integers(0, 3)) == 0:
            schema = {"type": "array", "items": d.primitive()}
        else:
            schema = d.primitive()
        result.append(_parameter(d, name, location, d.draw(st.booleans()), schema))
    return result


def _parameter(d: _Draw, name: str, location: str, required: bool, schema: dict[str, Any]) -> dict[str, Any]:
    parameter: dict[str, Any] = {"name": name, "in": location, "required": required}
    if d.draw(st.booleans()):
        parameter["description"] = d.draw(texts)
    if d.version == "2.0":
        if "type" not in schema:  # a Swagger 2.0 parameter is typed: its values' type, the first value's
            schema = {"type": "string", "enum": [v for v in schema["enum"] if isinstance(v, str)] or ["a"]}
        flat = {k: v for k, v in schema.items() if k != "x-nullable"}
        if flat.get("type") == "array":
            flat["items"] = {k: v for k, v in flat["items"].items() if k != "x-nullable"} if "type" in flat["items"] else {"type": "string"}
        parameter.update(flat)
        if "enum" in flat and not required and d.draw(st.booleans()):
            parameter["default"] = flat["enum"][0]
    else:
        parameter["schema"] = schema
    return parameter


def _body_schema(d: _Draw, names: list[str]) -> dict[str, Any]:
    if names and d.draw(st.booleans()):
        return d.ref(d.draw(st.sampled_from(names)))
    return d.schema(0, names)


def _operation(d: _Draw, operation_id: str, path_params: list[str], method: str, security: list[str]) -> dict[str, Any]:
    names = list(d.schemas)
    op: dict[str, Any] = {"operationId": operation_id, "summary": d.draw(texts) or "An operation"}
    parameters = _parameters(d, path_params, names)
    if method in ("post", "put", "patch") and d.draw(st.booleans()):
        body = _body_schema(d, names)
        if d.version == "2.0":
            if d.draw(st.integers(0, 3)) == 0:
                op["consumes"] = ["multipart/form-data"]
                parameters.append({"name": "file", "in": "formData", "type": "file", "required": True})
                parameters.append({"name": d.draw(odd_names), "in": "formData", "type": "string"})
            else:
                parameters.append({"name": "body", "in": "body", "required": d.draw(st.booleans()), "schema": body})
        else:
            media = d.draw(st.sampled_from(["application/json", "application/json", "multipart/form-data", "application/x-www-form-urlencoded", "application/octet-stream"]))
            if media == "multipart/form-data":
                body = {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}, "note": {"type": "string"}}}
            elif media == "application/x-www-form-urlencoded":
                body = d.object(1, [])
            elif media == "application/octet-stream":
                body = {"type": "string", "format": "binary"}
            op["requestBody"] = {"required": d.draw(st.booleans()), "content": {media: {"schema": body}}}
    if parameters:
        op["parameters"] = parameters
    responses: dict[str, Any] = {}
    for status in d.draw(st.lists(st.sampled_from(["200", "201", "204", "default", "400", "404", "4XX"]), min_size=1, max_size=3, unique=True)):
        if status == "4XX" and d.version == "2.0":
            continue
        response: dict[str, Any] = {"description": d.draw(texts) or "A response"}
        if status != "204" and d.draw(st.integers(0, 3)) > 0:
            schema = _body_schema(d, names)
            if d.version == "2.0":
                response["schema"] = schema
            else:
                response["content"] = {"application/json": {"schema": schema}}
        responses[status] = response
    op["responses"] = responses or {"200": {"description": "ok"}}
    if security and d.draw(st.integers(0, 3)) == 0:
        op["security"] = [] if d.draw(st.booleans()) else [{security[0]: []}]
    if d.draw(st.integers(0, 5)) == 0:
        op["deprecated"] = True
    return op


OPERATION_IDS = ["getItem", "getItem", "getItem", "get_item", "GetItem", "listAll", "createThing", "updateIt", "removeIt", "list", "class", "delete", "None", "2fast", "Ünïcode", "x-y", "to_dict", "close", "base_url", "send", "items", "get-things"]


@st.composite
def specs(draw: Callable[[Any], Any], versions: tuple[str, ...] = ("2.0", "3.0", "3.1")) -> Spec:
    version = draw(st.sampled_from(versions))
    d = _Draw(draw, version)
    d.named_schemas()
    document: dict[str, Any] = {}
    title = draw(st.sampled_from(["Fuzz", "Fuzz API", "Ünïcode Service", "2 Fast", "class", "A `code` | title", "My-Service.v2"]))
    info = {"title": title, "version": draw(st.sampled_from(["1.0", "2024-01-01", "v1"])), "description": draw(texts)}
    schemes = _security(d)
    security = list(schemes)
    if version == "2.0":
        document = {"swagger": "2.0", "info": info, "host": draw(st.sampled_from(["api.example.invalid", "api.example.invalid:8443", "ünï.example.invalid"])), "basePath": draw(st.sampled_from(["/", "/v1", "/api/v2"])), "schemes": ["https"]}
        document["consumes"] = ["application/json"]
        document["produces"] = ["application/json"]
    else:
        document = {"openapi": "3.0.3" if version == "3.0" else "3.1.0", "info": info}
        server = draw(st.sampled_from(["plain", "variables", "relative", "none"]))
        if server == "plain":
            document["servers"] = [{"url": "https://api.example.invalid/v1"}]
        elif server == "variables":
            document["servers"] = [{"url": "https://{region}.example.invalid/{base}", "variables": {"region": {"default": "eu", "enum": ["eu", "us"]}, "base": {"default": "v1"}}}]
        elif server == "relative":
            document["servers"] = [{"url": "/api"}]
    paths: dict[str, Any] = {}
    used: set[str] = set()
    for i in range(draw(st.integers(1, 4))):
        segments = draw(st.lists(st.sampled_from(["items", "users", "ünï", "a.b", "x-y", "{id}", "{class}", "{2nd}", "{itemId}"]), min_size=1, max_size=3, unique=True))
        path = "/" + "/".join(segments)
        if path in paths:
            continue
        path_params = [s[1:-1] for s in segments if s.startswith("{")]
        item: dict[str, Any] = {}
        for method in draw(st.lists(st.sampled_from(["get", "post", "put", "patch", "delete"]), min_size=1, max_size=2, unique=True)):
            operation_id = draw(st.sampled_from(OPERATION_IDS))
            folded = re.sub(r"[^a-z0-9]", "", operation_id.lower())
            # Now and then a name that collides with another's once snake_cased (a diagnostic); mostly distinct ones.
            if operation_id in used or (folded in used and draw(st.integers(0, 3)) > 0):
                operation_id = f"{operation_id}{i}{method}"
            used.update((operation_id, re.sub(r"[^a-z0-9]", "", operation_id.lower())))
            item[method] = _operation(d, operation_id, path_params, method, security)
        paths[path] = item
    document["paths"] = paths
    if version == "2.0":
        if d.schemas:
            document["definitions"] = d.schemas
        if schemes:
            document["securityDefinitions"] = schemes
    else:
        components: dict[str, Any] = {}
        if d.schemas:
            components["schemas"] = d.schemas
        if schemes:
            components["securitySchemes"] = schemes
        if components:
            document["components"] = components
    if security:
        document["security"] = [{name: (["read"] if schemes[name]["type"] == "oauth2" else []) for name in draw(st.lists(st.sampled_from(security), min_size=1, max_size=2, unique=True))}]
    return Spec(version, document, d.schemas, as_json=draw(st.booleans()))


# Values that fit a schema (for round trips).


class Unbuildable(Exception):
    """No value of this schema can be built within the depth bound."""


def value_of(spec: Spec, schema: Any, rng: random.Random, depth: int = 0) -> Any:
    """A JSON value that fits ``schema`` (refs resolved against the spec's schemas), bounded in depth."""
    if not isinstance(schema, dict):
        return None
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[1]
        if depth > 6:
            raise Unbuildable(name)
        return value_of(spec, spec.schemas[name], rng, depth + 1)
    nullable = schema.get("nullable") or schema.get("x-nullable") or (isinstance(schema.get("type"), list) and "null" in schema["type"])
    if nullable and rng.random() < 0.25:
        return None
    for key in ("oneOf", "anyOf"):
        if key in schema:
            return _union_value(spec, schema, key, rng, depth)
    if "allOf" in schema:
        merged: dict[str, Any] = {}
        for part in schema["allOf"]:
            value = value_of(spec, part, rng, depth + 1)
            if not isinstance(value, dict):  # allOf of an object and a string, say: no value fits
                raise Unbuildable("allOf")
            merged.update(value)
        return merged
    if "enum" in schema:
        return rng.choice([v for v in schema["enum"] if v is not None] or [None])
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if kind == "string":
        return {"date-time": DATE_TIME, "date": "2024-01-02", "uuid": "12345678-1234-5678-1234-567812345678"}.get(
            schema.get("format", ""), rng.choice(["", "text", "Ünïcode", "a\nb"])
        )
    if kind == "integer":
        return rng.randint(-5, 10**6)
    if kind == "number":
        return rng.choice([1.5, 0, -2.25, 10])
    if kind == "boolean":
        return rng.random() < 0.5
    if kind == "null":
        return None
    if kind == "array":
        if depth > 5:
            return []
        return [value_of(spec, schema.get("items", {}), rng, depth + 1) for _ in range(rng.randint(0, 2))]
    if kind == "object" or "properties" in schema:
        result: dict[str, Any] = {}
        required = schema.get("required", [])
        for key, sub in schema.get("properties", {}).items():
            if key in required or (depth <= 4 and rng.random() < 0.5):
                try:
                    result[key] = value_of(spec, sub, rng, depth + 1)
                except Unbuildable:
                    if key in required:
                        raise
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict) and depth <= 4:
            for key in rng.sample(["k", "Ünï", "", "a b"], rng.randint(0, 2)):
                try:
                    result[key] = value_of(spec, extra, rng, depth + 1)
                except Unbuildable:
                    pass
        return result
    raise Unbuildable(repr(schema)[:80])


def _union_value(spec: Spec, schema: dict[str, Any], key: str, rng: random.Random, depth: int) -> Any:
    members = list(enumerate(schema[key]))
    rng.shuffle(members)
    discriminator = schema.get("discriminator")
    for index, member in members:
        try:
            value = value_of(spec, member, rng, depth + 1)
        except Unbuildable:
            continue
        if isinstance(discriminator, dict) and isinstance(value, dict):
            ref = member.get("$ref", "")
            mapping = {target: tag for tag, target in discriminator.get("mapping", {}).items()}
            value[discriminator["propertyName"]] = mapping.get(ref, ref.rsplit("/", 1)[-1])
        return value
    raise Unbuildable("union")


# Mutations of real specs.

WRONG_TYPED: list[Any] = [[], [1], [{}], "200", "", 1.5, 0, -1, None, True, False, {}, {"$ref": "#/paths"}, {"$ref": "#/"}, {"$ref": "#/nope"}, {"a": 1}]


def nodes(data: Any, pointer: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    """Every node's pointer (the root excluded), in document order."""
    found: list[tuple[str | int, ...]] = []
    if isinstance(data, dict):
        for key, value in data.items():
            found.append((*pointer, key))
            found += nodes(value, (*pointer, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found.append((*pointer, index))
            found += nodes(value, (*pointer, index))
    return found


def _parent(data: Any, pointer: tuple[str | int, ...]) -> Any:
    for part in pointer[:-1]:
        data = data[part]
    return data


@st.composite
def mutated(draw: Callable[[Any], Any], data: Any) -> tuple[str, Any]:
    """A copy of ``data`` with one to three edits (wrong-typed nodes, deleted keys, duplicated operationIds), and what was done."""
    data = copy.deepcopy(data)
    done: list[str] = []
    for _ in range(draw(st.integers(1, 3))):
        pointers = nodes(data)
        if not pointers:
            break
        kind = draw(st.sampled_from(["swap", "swap", "swap", "delete", "duplicate-id", "swap-container"]))
        if kind == "duplicate-id":
            ids = [p for p in pointers if p[-1] == "operationId"]
            if len(ids) >= 2:
                a, b = draw(st.sampled_from(ids)), draw(st.sampled_from(ids))
                _parent(data, b)[b[-1]] = _parent(data, a)[a[-1]]
                done.append(f"duplicate operationId {a} -> {b}")
                continue
            kind = "swap"
        if kind == "swap-container":  # the top-level and structural nodes the issue names: paths, responses, parameters
            wanted = [p for p in pointers if p[-1] in ("paths", "responses", "parameters", "schemes", "definitions", "components", "schema", "properties", "items", "security", "servers", "info", "$ref")]
            pointer = draw(st.sampled_from(wanted)) if wanted else draw(st.sampled_from(pointers))
        else:
            pointer = draw(st.sampled_from(pointers))
        parent = _parent(data, pointer)
        if kind == "delete":
            if isinstance(parent, dict):
                del parent[pointer[-1]]
            else:
                parent.pop(pointer[-1])
            done.append(f"delete {pointer}")
        else:
            value = copy.deepcopy(draw(st.sampled_from(WRONG_TYPED)))
            parent[pointer[-1]] = value
            done.append(f"{pointer} = {value!r}")
    return "; ".join(done), data


@st.composite
def byte_mutated(draw: Callable[[Any], Any], raw: bytes) -> tuple[str, bytes]:
    """``raw`` with one to four byte edits: insert, delete, flip, replace with an odd byte, or truncate."""
    data = bytearray(raw)
    done: list[str] = []
    for _ in range(draw(st.integers(1, 4))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        kind = draw(st.sampled_from(["insert", "delete", "flip", "odd", "truncate"]))
        if kind == "insert":
            chunk = draw(st.sampled_from([b"{", b"}", b"[", b"]", b":", b",", b'"', b"\\", b"\n", b"\t", b"- ", b"&a", b"*a", b"!!", b"\xff", b"\x00", b"\xc3", b"\\ud800", b"#", b"%", b"|", b">"]))
            data[at:at] = chunk
            done.append(f"insert {chunk!r} at {at}")
        elif kind == "delete":
            size = draw(st.integers(1, 16))
            del data[at : at + size]
            done.append(f"delete {size} at {at}")
        elif kind == "flip":
            bit = draw(st.integers(0, 7))
            data[at] ^= 1 << bit
            done.append(f"flip bit {bit} at {at}")
        elif kind == "odd":
            data[at] = draw(st.sampled_from([0, 0x0B, 0x7F, 0x80, 0xC0, 0xFE, 0xFF, ord("'"), ord('"'), ord(":")]))
            done.append(f"odd byte at {at}")
        else:
            del data[at:]
            done.append(f"truncate at {at}")
    return "; ".join(done), bytes(data)


# Known defects: a fuzz target that meets one records it and goes on, so the suite stays green and a long run
# finds new failures past the known ones. Each is held by an xfail test in tests/test_fuzz_regressions.py; fixing
# one means removing its entry here and the xfail mark there.


class Oracle(AssertionError):
    """A property a fuzz target checks failed; ``kind`` names which (the signature of the failure)."""

    def __init__(self, kind: str, detail: str) -> None:
        super().__init__(f"{kind}: {detail}")
        self.kind = kind


#: Signature -> the regression test that holds it. A signature is ("oracle", kind, "") for a failed property, or
#: (exception type, file, function) of the innermost frame in connectorsmith or in a generated package; "*" matches
#: any function of that file.
_REGRESSIONS = "test_fuzz_regressions.py::"
KNOWN: dict[tuple[str, str, str], str] = {}
#: Known only where inputs are wrong-typed or broken (the mutation targets): a crash of the export on a valid
#: spec is a different defect and stays a failure in the generated-spec targets.
KNOWN_IN_MUTATIONS: dict[tuple[str, str, str], str] = {}


def signature(exc: BaseException) -> tuple[str, str, str]:
    if isinstance(exc, Oracle):
        return ("oracle", exc.kind, "")
    frames = []
    tb = exc.__traceback__
    while tb is not None:
        frames.append(tb.tb_frame.f_code)
        tb = tb.tb_next
    ours = [f for f in frames if "/generator/" in f.co_filename or "/python/" in f.co_filename] or frames
    last = ours[-1] if ours else None
    return (type(exc).__name__, Path(last.co_filename).name if last else "", last.co_name if last else "")


def known(exc: BaseException, mutations: bool = False) -> str | None:
    """The regression test of a known defect this failure is, or None (a new failure: re-raise it)."""
    error, file, function = signature(exc)
    for table in (KNOWN, KNOWN_IN_MUTATIONS) if mutations else (KNOWN,):
        test = table.get((error, file, function)) or table.get((error, file, "*"))
        if test is not None:
            return test
    return None
