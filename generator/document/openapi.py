"""Version-neutral reading of an OpenAPI 2.0 / 3.x document, shared by validation and the model builder.

Every accessor returns values together with their JSON pointer, so whatever
reads the spec can report a located diagnostic.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from ..diagnostics import Pointer
from . import extensions

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
#: An HTTP field name (RFC 9110 token): httpx and h11 refuse any other (a space, a colon, non-ASCII letters).
HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
JSON_MEDIA = ("application/json", "text/json", "application/*+json", "*/*")


@dataclass(frozen=True)
class Node:
    value: Any
    pointer: Pointer


def text(value: Any) -> str:
    """A string value of the spec, stripped; "" for anything else."""
    return value.strip() if isinstance(value, str) else ""


def title_of(schema: Any) -> str:
    """x-ms-summary, else title: the display name of a schema or parameter."""
    if not isinstance(schema, dict):
        return ""
    return text(extensions.summary(schema)) or text(schema.get("title"))


def version(data: dict[str, Any]) -> str:
    """'2.0', '3.0', '3.1', or '' when the document says neither."""
    if str(data.get("swagger", "")) == "2.0":
        return "2.0"
    text = str(data.get("openapi", ""))
    for v in ("3.0", "3.1"):
        if text.startswith(v + "."):
            return v
    return ""


@functools.lru_cache(maxsize=65536)
def parse_ref(ref: str) -> Pointer | None:
    """The pointer of a local ``#/a/b`` reference, or None for anything else. The pointer stands in a URI
    fragment, so percent-encoded characters are decoded first (RFC 6901 §6: ``%7Bid%7D`` is ``{id}``).

    Kept by reference text (the pointer is a tuple, never changed): a large document names the same
    components from thousands of places, and every resolve of them parses the same text."""
    if not ref.startswith("#/") and ref != "#":
        return None
    if "%" in ref:
        ref = unquote(ref)
    parts = ref[2:].split("/") if ref != "#" else []
    return tuple(p.replace("~1", "/").replace("~0", "~") for p in parts)


def lookup(data: Any, pointer: Pointer) -> tuple[bool, Any]:
    node = data
    for part in pointer:
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and isinstance(part, str) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return False, None
    return True, node


def resolve(data: Any, node: Node) -> Node:
    """Follow ``$ref`` chains (validation has checked they resolve and do not loop)."""
    value = node.value
    if not isinstance(value, dict) or not isinstance(value.get("$ref"), str):
        return node  # most nodes are no reference: nothing to follow
    seen: set[str] = set()
    while isinstance(node.value, dict) and isinstance(node.value.get("$ref"), str):
        ref = node.value["$ref"]
        target = parse_ref(ref)
        if target is None or ref in seen:
            break
        seen.add(ref)
        found, value = lookup(data, target)
        if not found:
            break
        node = Node(value, target)
    return node


#: Schema keywords whose value is JSON data, not schemas: a "$ref" key inside them is data.
DATA_KEYWORDS = frozenset({"example", "default", "enum", "const", "x-example"})
#: Keys whose value maps names to things: under them, "example" or "enum" is a name, not a keyword.
NAME_MAPS = frozenset(
    {
        "properties", "patternProperties", "definitions", "schemas", "$defs", "responses", "parameters",
        "securityDefinitions", "securitySchemes", "headers", "paths", "callbacks", "links", "requestBodies",
        "pathItems", "mapping", "encoding", "content", "variables", "dependentSchemas", "examples",
    }
)


def iter_refs(value: Any, pointer: Pointer = (), *, examples_are_data: bool | None = None) -> Iterator[tuple[str, Pointer]]:
    """Every reference in ``value`` with the pointer of its ``$ref``, in document order; data (examples,
    defaults, enums, consts) is skipped.

    ``examples`` is data too when it is a list (a 3.1 schema) or in a 2.0 document (a response's
    media-type map); in 3.x a map of Example Objects, whose ``value`` is data.
    """
    if examples_are_data is None:
        examples_are_data = isinstance(value, dict) and str(value.get("swagger", "")) == "2.0"
    found: list[tuple[str, Pointer]] = []
    if isinstance(value, (dict, list)):
        _refs(value, pointer, False, False, examples_are_data, found)
    return iter(found)


Refs = list[tuple[str, Pointer]]


def document_refs(data: dict[str, Any], part_refs: Callable[[Pointer, Any, Callable[[], Refs]], Refs]) -> Refs:
    """``list(iter_refs(data))`` of a whole document, found member by member and path item by path
    item: ``part_refs(pointer, part, find)`` is the refs of the part at ``pointer``, ``find()`` or
    the same found before (a part's refs depend on its content and where it stands, nothing else)."""
    examples_are_data = str(data.get("swagger", "")) == "2.0"
    found: Refs = []
    ref = data.get("$ref")
    if isinstance(ref, str):
        found.append((ref, ("$ref",)))
    for key, value in data.items():
        if _skipped(key, value, False, examples_are_data):
            continue
        if key == "paths" and isinstance(value, dict):  # a name map: its items walked as _refs walks them
            for path, item in value.items():
                if isinstance(item, (dict, list)):
                    found += part_refs(("paths", path), item, functools.partial(_part_refs, item, ("paths", path), False, examples_are_data))
            continue
        found += part_refs((key,), value, functools.partial(_part_refs, value, (key,), key in NAME_MAPS, examples_are_data))
    return found


def _part_refs(value: dict[str, Any] | list[Any], pointer: Pointer, names: bool, examples_are_data: bool) -> Refs:
    found: Refs = []
    _refs(value, pointer, names, False, examples_are_data, found)
    return found


def _refs(value: dict[str, Any] | list[Any], pointer: Pointer, names: bool, example: bool, examples_are_data: bool, found: list[tuple[str, Pointer]]) -> None:
    """``names``: the keys of ``value`` are names (of properties, schemas…), not keywords; ``example``: an
    Example Object.  Only containers are visited (a whole document is mostly scalars)."""
    if isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, (dict, list)):
                _refs(item, (*pointer, index), False, False, examples_are_data, found)
        return
    if names:
        inside_examples = pointer[-1:] == ("examples",)
        for key, item in value.items():
            if isinstance(item, (dict, list)):
                _refs(item, (*pointer, key), False, inside_examples, examples_are_data, found)
        return
    ref = value.get("$ref")
    if isinstance(ref, str):
        found.append((ref, (*pointer, "$ref")))
    for key, item in value.items():
        if not _skipped(key, item, example, examples_are_data):
            _refs(item, (*pointer, key), key in NAME_MAPS, False, examples_are_data, found)


def _skipped(key: Any, item: Any, example: bool, examples_are_data: bool) -> bool:
    """Whether the member ``key`` of an object (not a name map) holds no references to walk: a scalar,
    the ``$ref`` itself, or data (an ``example``: an Example Object, whose value is data)."""
    if not isinstance(item, (dict, list)) or key == "$ref" or key in DATA_KEYWORDS or (example and key in ("value", "externalValue")):
        return True
    return key == "examples" and (examples_are_data or not isinstance(item, dict))


@dataclass(frozen=True)
class OperationNode:
    path: str
    method: str
    value: dict[str, Any]
    pointer: Pointer
    path_item: Node


def iter_operations(data: dict[str, Any]) -> Iterator[OperationNode]:
    paths = data.get("paths")
    if not isinstance(paths, dict):
        return
    for path, item in paths.items():
        item_node = resolve(data, Node(item, ("paths", path)))
        if not isinstance(item_node.value, dict):
            continue
        for method in METHODS:
            op = item_node.value.get(method)
            if isinstance(op, dict):
                yield OperationNode(path, method, op, (*item_node.pointer, method), item_node)


def parameters(data: dict[str, Any], op: OperationNode) -> list[Node]:
    """Path-level and operation-level parameters, resolved; the operation's win on (name, in)."""
    merged: dict[tuple[str, str], Node] = {}
    for owner in (op.path_item, Node(op.value, op.pointer)):
        raw = owner.value.get("parameters")
        if not isinstance(raw, list):
            continue
        for index, param in enumerate(raw):
            node = resolve(data, Node(param, (*owner.pointer, "parameters", index)))
            if isinstance(node.value, dict):
                merged[(str(node.value.get("name")), str(node.value.get("in")))] = node
    return list(merged.values())


def parameter_schema(param: Node) -> Node:
    """A parameter's type as a schema: 3.x's ``schema``, or 2.0's inline type keywords."""
    value = param.value
    if "schema" in value and value.get("in") != "body":
        return Node(value["schema"], (*param.pointer, "schema"))
    if value.get("in") == "body":
        return Node(value.get("schema", {}), (*param.pointer, "schema"))
    if "content" in value and isinstance(value["content"], dict):
        for media, body in value["content"].items():
            if isinstance(body, dict) and "schema" in body:
                return Node(body["schema"], (*param.pointer, "content", media, "schema"))
    keys = ("type", "format", "items", "enum", "default", extensions.SUMMARY.name, "description", "title")
    return Node({k: value[k] for k in keys if k in value}, param.pointer)


def request_body(data: dict[str, Any], op: OperationNode) -> tuple[Node | None, bool]:
    """The request body's schema and whether it is required (2.0 body param or 3.x requestBody), of
    the media type ``request_media`` chooses."""
    body = request_media(data, op)
    return body.schema, body.required


@dataclass(frozen=True)
class RequestBody:
    """The request body an operation sends: of a 2.0 body parameter, or of the media type chosen
    from a 3.x requestBody's content map (see ``choose_media``)."""

    schema: Node | None
    required: bool
    media: str = ""  # the chosen media type as the content map writes it; "" for a 2.0 body
    encoding: Node | None = None  # its ``encoding`` object (form bodies)
    #: Other media types of the content map whose schema differs from the chosen one's: requests
    #: the client cannot make ((media type, pointer of its entry)).
    dropped: tuple[tuple[str, Pointer], ...] = ()

    @property
    def form(self) -> str:
        """"multipart/form-data" or "application/x-www-form-urlencoded" for a form body, else ""."""
        base = media_base(self.media)
        return base if base in FORM_MEDIA else ""


def request_media(data: dict[str, Any], op: OperationNode, declared: Iterable[Node] | None = None) -> RequestBody:
    """The operation's request body (2.0 body parameter or 3.x requestBody), its media type chosen;
    ``declared``: its ``parameters``, when the caller has them already."""
    for param in parameters(data, op) if declared is None else declared:
        if param.value.get("in") == "body":
            return RequestBody(parameter_schema(param), bool(param.value.get("required", False)))
    raw = op.value.get("requestBody")
    if raw is None:
        return RequestBody(None, False)
    body = resolve(data, Node(raw, (*op.pointer, "requestBody")))
    if not isinstance(body.value, dict):
        return RequestBody(None, False)
    required = bool(body.value.get("required"))
    content = body.value.get("content")
    if not isinstance(content, dict):
        return RequestBody(None, required)
    v31 = version(data) == "3.1"
    media = choose_media(content, lambda value: resolve(data, Node(value, ())).value, v31)
    where = (*body.pointer, "content")
    if media is None:
        # A raw body needs no schema (``application/octet-stream: {}``): its bytes, any of them.
        raw = [m for m, entry in content.items() if isinstance(entry, (dict, type(None))) and not is_json_media(str(m)) and media_base(str(m)) not in FORM_MEDIA]
        return RequestBody(Node({}, (*where, raw[0])), required, str(raw[0])) if raw else RequestBody(None, required)
    encoding = content[media].get("encoding")
    chosen = content[media]["schema"]
    dropped = tuple(
        (other, (*where, other))
        for other, entry in content.items()
        if other != media and isinstance(entry, dict) and "schema" in entry and entry["schema"] != chosen
    )
    return RequestBody(
        Node(chosen, (*where, media, "schema")),
        required,
        media,
        Node(encoding, (*where, media, "encoding")) if isinstance(encoding, dict) else None,
        dropped,
    )


#: The form media types a request body is sent as (httpx ``files=`` / an urlencoded body).
FORM_MEDIA = ("multipart/form-data", "application/x-www-form-urlencoded")


def media_base(media: str) -> str:
    """A media type without its parameters, in lower case: "multipart/form-data; charset=utf-8" -> "multipart/form-data"."""
    return media.split(";")[0].strip().lower()


def is_json_media(media: str) -> bool:
    base = media_base(media)
    return base in JSON_MEDIA or (base.startswith("application/") and base.endswith("+json"))


def choose_media(content: dict[str, Any], resolved: Callable[[Any], Any], v31: bool) -> str | None:
    """The media type of a content map a request is sent as, among those with a schema: a multipart
    form with a file field (JSON cannot carry the file), else JSON, else multipart, else urlencoded,
    else the first (which the builder warns about); None when none has a schema."""
    entries = [media for media, entry in content.items() if isinstance(entry, dict) and "schema" in entry]
    if not entries:
        return None
    forms = [m for m in entries if media_base(m) in FORM_MEDIA]
    multipart = [m for m in forms if media_base(m) == FORM_MEDIA[0]]
    for media in multipart:
        schema = resolved(content[media]["schema"])
        props = schema.get("properties") if isinstance(schema, dict) else None
        if isinstance(props, dict) and any(file_kind(p, resolved, v31) for p in props.values()):
            return media
    json = [m for m in entries if is_json_media(m)]
    return (json or multipart or forms or entries)[0]


def file_kind(schema: Any, resolved: Callable[[Any], Any], v31: bool) -> str:
    """"file" for a schema a form sends as a file, "files" for an array of them, "" for anything else.

    A file is a string of ``format: binary`` (3.0 and 3.1), or in 3.1 a string with a
    ``contentMediaType`` and no ``contentEncoding`` (``contentEncoding: base64``, like
    ``format: byte`` or ``base64``, is text)."""
    value = resolved(schema)
    if not isinstance(value, dict):
        return ""
    kind = value.get("type")
    kinds = [k for k in kind if k != "null"] if isinstance(kind, list) else [kind]
    if kinds == ["array"] or (kind is None and "items" in value):
        return "files" if file_kind(value.get("items"), resolved, v31) == "file" else ""
    if kinds not in (["string"], [None]):
        return ""
    if value.get("format") == "binary":
        return "file"
    return "file" if v31 and "contentMediaType" in value and "contentEncoding" not in value else ""


def responses(data: dict[str, Any], op: OperationNode) -> list[tuple[str, Node, Node | None]]:
    """(status, response, body schema or None) for every declared response, in spec order."""
    raw = op.value.get("responses")
    result: list[tuple[str, Node, Node | None]] = []
    if not isinstance(raw, dict):
        return result
    for status, response in raw.items():
        node = resolve(data, Node(response, (*op.pointer, "responses", status)))
        if not isinstance(node.value, dict):
            continue
        schema: Node | None = None
        if "schema" in node.value:
            schema = Node(node.value["schema"], (*node.pointer, "schema"))
        elif isinstance(node.value.get("content"), dict):
            content = node.value["content"]
            for media in _json_first(content):
                entry = content[media]
                if isinstance(entry, dict) and "schema" in entry:
                    schema = Node(entry["schema"], (*node.pointer, "content", media, "schema"))
                    break
        result.append((str(status), node, schema))
    return result


#: Media types of a response body the client hands over as a download (bytes as they arrive), whatever its schema.
DOWNLOAD_MEDIA = ("application/octet-stream", "application/pdf", "application/zip")
DOWNLOAD_MEDIA_PREFIXES = ("image/", "audio/", "video/")
EVENT_STREAM = "text/event-stream"


def response_media(data: dict[str, Any], op: OperationNode, node: Node) -> tuple[str, Node | None]:
    """The media type of a response's body as ``responses`` chose it (2.0: the operation's, else the
    document's, first ``produces``), and an OpenAPI 3.2 ``itemSchema`` given for it (a stream's items)."""
    content = node.value.get("content")
    if isinstance(content, dict) and content:
        media = next((m for m in _json_first(content) if isinstance(content[m], dict) and "schema" in content[m]), None)
        media = media if media is not None else next(iter(content))
        entry = content[media]
        item = Node(entry["itemSchema"], (*node.pointer, "content", media, "itemSchema")) if isinstance(entry, dict) and "itemSchema" in entry else None
        return str(media), item
    if version(data) != "2.0":
        return "", None
    produces = op.value.get("produces", data.get("produces"))
    listed = [m for m in produces if isinstance(m, str)] if isinstance(produces, list) else []
    json_first = [m for m in listed if is_json_media(m)] or listed  # the client asks for JSON where it may
    return (json_first[0] if json_first else ""), None


def is_download_media(media: str) -> bool:
    base = media_base(media)
    return base in DOWNLOAD_MEDIA or base.startswith(DOWNLOAD_MEDIA_PREFIXES)


def _json_first(content: dict[str, Any]) -> list[str]:
    return sorted(content, key=lambda media: (media.split(";")[0].strip() not in JSON_MEDIA, 0))


def definitions(data: dict[str, Any]) -> list[tuple[str, Node]]:
    """Named schemas: 2.0 ``definitions`` or 3.x ``components/schemas``, in spec order."""
    base: Pointer
    if version(data) == "2.0":
        raw, base = data.get("definitions"), ("definitions",)
    else:
        components = data.get("components")
        raw = components.get("schemas") if isinstance(components, dict) else None
        base = ("components", "schemas")
    if not isinstance(raw, dict):
        return []
    return [(name, Node(schema, (*base, name))) for name, schema in raw.items()]


def security_schemes(data: dict[str, Any]) -> dict[str, Node]:
    base: Pointer
    if version(data) == "2.0":
        raw, base = data.get("securityDefinitions"), ("securityDefinitions",)
    else:
        components = data.get("components")
        raw = components.get("securitySchemes") if isinstance(components, dict) else None
        base = ("components", "securitySchemes")
    if not isinstance(raw, dict):
        return {}
    return {name: resolve(data, Node(value, (*base, name))) for name, value in raw.items()}


def base_url(data: dict[str, Any]) -> str:
    if version(data) == "2.0":
        schemes = [s for s in data["schemes"] if isinstance(s, str)] if isinstance(data.get("schemes"), list) else []
        scheme = "https" if "https" in schemes or not schemes else schemes[0]
        host = str(data.get("host", "localhost"))
        base = str(data.get("basePath", "") or "")
        return f"{scheme}://{host}{base}".rstrip("/")
    found = servers(data, ())
    return default_url(found[0].value).rstrip("/") if found else ""


def servers(owner: Any, pointer: Pointer) -> list[Node]:
    """The Server Objects (with a string ``url``) of a 3.x document, path item or operation, in order."""
    raw = owner.get("servers") if isinstance(owner, dict) else None
    if not isinstance(raw, list):
        return []
    return [Node(s, (*pointer, "servers", i)) for i, s in enumerate(raw) if isinstance(s, dict) and isinstance(s.get("url"), str)]


def server_variables(server: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """A Server Object's variables (name -> Server Variable Object), only those its URL uses."""
    raw = server.get("variables")
    raw = raw if isinstance(raw, dict) else {}
    used = dict.fromkeys(re.findall(r"\{([^{}]*)\}", str(server.get("url", ""))))
    return {name: raw[name] if isinstance(raw.get(name), dict) else {} for name in used}


def default_url(server: dict[str, Any]) -> str:
    """A server's URL with each variable's default in place (one without a default stays ``{name}``)."""
    url = str(server.get("url", ""))
    for name, variable in server_variables(server).items():
        if "default" in variable and not isinstance(variable["default"], (dict, list)):
            url = url.replace("{" + name + "}", str(variable["default"]))
    return url
