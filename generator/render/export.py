"""Exports: the Power Platform pair (apiDefinition.swagger.json, apiProperties.json) and an OpenAPI 3.1 document.

Pure functions from the model (and the input document it keeps) to JSON-ready
data; ``render`` serialises them (``jsontext``).  Given ``Kept`` parts (``--watch``), a path item,
or the document outside ``paths``, converted before is not converted again (nor its JSON text
written again).  A Swagger 2.0 input is exported as it came,
less connectorsmith's own ``x-connector-*`` extensions (whose content goes to
apiProperties.json); OpenAPI 3.x input is converted down to 2.0.  The OpenAPI
3.1 export converts 2.0 up, upgrades 3.0, and keeps 3.1 as it is.
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from collections.abc import Callable
from typing import Any, Protocol

from ..builder import naming
from ..document import extensions, openapi
from ..document.openapi import Node
from ..model import Connector, Operation

OURS = extensions.OWN_PREFIX
_REF_MOVES_UP = {"#/definitions/": "#/components/schemas/", "#/parameters/": "#/components/parameters/", "#/responses/": "#/components/responses/"}
_REF_MOVES_DOWN = {"#/components/schemas/": "#/definitions/", "#/components/parameters/": "#/parameters/", "#/components/responses/": "#/responses/"}
_OAUTH_FLOWS_UP = {"accessCode": "authorizationCode", "implicit": "implicit", "password": "password", "application": "clientCredentials"}


def _copied(value: Any) -> Any:
    """A new tree of dicts and lists (the leaves are immutable): what deepcopy gives JSON data, without its memo."""
    if isinstance(value, dict):
        return {k: _copied(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copied(v) for v in value]
    return value


def _without_ours(value: Any) -> Any:
    """A new tree without connectorsmith's own x-connector-* keys."""
    if isinstance(value, dict):
        return {k: _without_ours(v) for k, v in value.items() if not (isinstance(k, str) and k.startswith(OURS))}
    if isinstance(value, list):
        return [_without_ours(v) for v in value]
    return value


def _move_refs(value: Any, moves: dict[str, str]) -> Any:
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if key == "$ref" and isinstance(item, str):
                for old, new in moves.items():
                    if item.startswith(old):
                        item = new + item[len(old) :]
                        break
            out[key] = _move_refs(item, moves)
        return out
    if isinstance(value, list):
        return [_move_refs(v, moves) for v in value]
    return value


class _Digest(Protocol):
    @property
    def digest(self) -> bytes:
        """What tells the content from others."""
        ...

    @property
    def into_paths(self) -> bool:
        """Whether the content may refer into ``paths``."""
        ...


class Kept(Protocol):
    """Parts of a document converted before, by their content (``--watch``: the reuse layer keeps them): a
    path item whose content did not change is not converted again, and its JSON text is not written again.
    What it gives is shared between runs' documents: the code that puts a part in an export copies what it
    changes (_path_item_down, _safe_component_names, _rename_security)."""

    def get(self, kind: str, value: Any, make: Callable[[], Any], digest: Any = None) -> Any:
        """``make()``, the ``kind`` of conversion of ``value`` (a part of the run's document, else ``digest``
        is its content's): made now, or as made before."""
        ...

    def outside(self, value: Any) -> _Digest | None:
        """The digest of the document outside ``paths`` (None: it cannot be told apart)."""
        ...

    def keep(self, value: Any) -> None:
        """``value``, part of a converted part: its JSON text is kept with the part's."""
        ...


def _path_items(paths: Any) -> bool:
    """``paths`` maps path strings to path item objects (what the part-wise conversions handle)."""
    return isinstance(paths, dict) and all(isinstance(k, str) and k != "$ref" and isinstance(v, dict) for k, v in paths.items())


# --------------------------------------------------------------------------- Power Platform


#: A response key that is a status range (``4XX``; ``4xx`` as some documents spell it).
_STATUS_RANGE = re.compile(r"[1-5][xX]{2}")


def _status_ranges(doc: dict[str, Any], spell: Callable[[str], str]) -> dict[str, Any]:
    """``doc`` with each response key that is a status range spelled by ``spell`` (new objects only
    where one changes: what ``pieces`` hold is never changed)."""
    paths = doc.get("paths")
    if not isinstance(paths, dict):
        return doc
    new_paths: dict[str, Any] | None = None
    for path, item in paths.items():
        if not isinstance(item, dict):
            continue
        new_item: dict[str, Any] | None = None
        for method, op in item.items():
            responses = op.get("responses") if isinstance(op, dict) else None
            if isinstance(responses, dict) and any(isinstance(k, str) and _STATUS_RANGE.fullmatch(k) and spell(k) != k for k in responses):
                new_item = new_item or dict(item)
                new_item[method] = {**op, "responses": {spell(k) if isinstance(k, str) and _STATUS_RANGE.fullmatch(k) else k: v for k, v in responses.items()}}
        if new_item is not None:
            new_paths = new_paths or dict(paths)
            new_paths[path] = new_item
    return doc if new_paths is None else {**doc, "paths": new_paths}


def _range_as_extension(key: str) -> str:
    """Swagger 2.0 has no status ranges: the Power Platform export keeps one as an extension, x-4XX."""
    return "x-" + key.upper()


def api_definition(connector: Connector, pieces: Kept | None = None) -> dict[str, Any]:
    """apiDefinition.swagger.json; ``pieces``: path items converted before (see ``Kept``).

    Power Platform names each operation by its operationId: one the document does not give is
    written as the name the client uses (``get_users_user_id_tasks``, see naming.operation_name).
    """
    return _status_ranges(_api_definition(connector, pieces), _range_as_extension)


def _map(value: Any) -> dict[str, Any]:
    """A member the schema says is an object, as one: read leniently, a document may hold anything there
    (validation warned)."""
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _media_list(value: Any) -> list[str]:
    """``consumes`` / ``produces``: the media types given (strings), whatever else stands there."""
    return [m for m in _list(value) if isinstance(m, str)]


def _edited(connector: Connector) -> Any:
    """The document as the exports write it: without the values validation said are not used (``left_out``),
    text defaults as the typed values they spell (``read_as``); new objects only along the way."""
    data = connector.raw_definition
    for pointer in connector.left_out:
        data = _edit(data, pointer, _DROP)
    for pointer, value in connector.read_as:
        data = _edit(data, pointer, value)
    return data


_DROP = object()


def _edit(node: Any, pointer: tuple[str | int, ...], value: Any) -> Any:
    """``node`` with the value at ``pointer`` replaced by ``value`` (left out when it is ``_DROP``)."""
    if not pointer:
        return node
    key, rest = pointer[0], pointer[1:]
    if isinstance(node, dict) and key in node:
        if not rest:
            return {k: v for k, v in node.items() if k != key} if value is _DROP else {**node, key: value}
        return {**node, key: _edit(node[key], rest, value)}
    if isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node):
        return [*node[:key], _edit(node[key], rest, value), *node[key + 1 :]] if rest else node
    return node


def _api_definition(connector: Connector, pieces: Kept | None = None) -> dict[str, Any]:
    return _with_pageable(_definition(connector, pieces), connector)


def _definition(connector: Connector, pieces: Kept | None = None) -> dict[str, Any]:
    data = _edited(connector)
    if openapi.version(data) != "2.0":
        return _with_operation_ids(_down_to_swagger2(data, pieces), connector)
    paths = data.get("paths")
    if pieces is None or not _path_items(paths):
        stripped: dict[str, Any] = _without_ours(data)  # a new tree: the model's data is never changed
        return _with_operation_ids(stripped, connector)
    assert isinstance(paths, dict)
    # The same, the document outside paths and each path item on their own (as the walk strips them).
    outside: dict[str, Any] = _piece(pieces, "without ours", {**data, "paths": {}}, _without_ours, outside=True)
    for value in outside.values():
        _kept(pieces, value)
    return _with_operation_ids(
        {**outside, "paths": {path: _piece(pieces, "without ours", item, _without_ours) for path, item in paths.items() if not path.startswith(OURS)}}, connector
    )


def _with_pageable(doc: dict[str, Any], connector: Connector) -> dict[str, Any]:
    """``doc`` with ``x-ms-pageable`` on each operation whose pager follows a next link in the body (described
    with x-connector-paging, or inferred) as Power Platform can say it: a property at the top of the body,
    the items in ``value``. Other ways of paging have no Power Platform form; the export says nothing of
    them (the operations are there, each returning one page). A connector folder is exported as it came."""
    if isinstance(connector.raw_properties, dict):
        return doc
    return _with_in_operations(
        doc,
        [
            (op, {extensions.PAGEABLE.name: {"nextLinkName": op.pager.next_link[0]}})
            for op in connector.operations
            if op.pager is not None and op.pager.style == "next-link" and op.pager.origin in (extensions.PAGING.name, "inferred")
            and len(op.pager.next_link) == 1 and op.pager.items_path == ("value",)  # Power Platform reads the items in value
        ],
        keep=extensions.PAGEABLE.name,
    )


def _with_operation_ids(doc: dict[str, Any], connector: Connector) -> dict[str, Any]:
    """``doc`` with the operationIds the model derived written in."""
    return _with_in_operations(doc, [(op, {"operationId": op.operation_id}) for op in connector.operations if op.derived_id])


def _with_in_operations(doc: dict[str, Any], changes: list[tuple[Operation, dict[str, Any]]], keep: str = "") -> dict[str, Any]:
    """``doc`` with each operation of ``changes`` given its keys; the path items and operations that change
    are new (a converted one may be kept: Kept). ``keep``: an operation that has this key already is left."""
    paths = doc.get("paths")
    if not changes or not isinstance(paths, dict):
        return doc
    paths = dict(paths)
    for op, keys in changes:
        item = paths.get(op.path_key)
        method = op.method.lower()
        if isinstance(item, dict) and isinstance(item.get(method), dict) and not (keep and keep in item[method]):
            paths[op.path_key] = {**item, method: {**item[method], **keys}}
    return {**doc, "paths": paths}


def api_properties(connector: Connector) -> dict[str, Any]:
    if isinstance(connector.raw_properties, dict):
        copied: dict[str, Any] = _copied(connector.raw_properties)
        return copied
    props: dict[str, Any] = {"iconBrandColor": connector.brand_color or "#007ee5"}
    if connector.publisher:
        props["publisher"] = connector.publisher
        props["stackOwner"] = connector.publisher
    props["capabilities"] = ["actions"] + (["triggers"] if connector.triggers else [])
    if connector.connection is not None:
        params: dict[str, Any] = {}
        for p in connector.connection.parameters:
            ui: dict[str, Any] = {"displayName": p.display_name, "description": p.description, "tooltip": p.description or p.display_name}
            ui["constraints"] = {"required": "true" if p.required else "false"}
            params[p.name] = {"type": p.type, "uiDefinition": ui}
        props["connectionParameters"] = params
    return {"properties": props}


def _down_to_swagger2(data: dict[str, Any], pieces: Kept | None = None) -> dict[str, Any]:
    """An OpenAPI 3.x document as Swagger 2.0, for Power Platform (bodies, servers, components).

    The document outside ``paths`` and each path item are converted on their own (as one walk of the
    whole converts them), and taken from ``pieces`` when they were converted before; nothing taken
    from there is changed.
    """
    paths = data.get("paths")
    one_by_one = _path_items(paths)
    doc: dict[str, Any] = _piece(pieces, "down", {**data, "paths": {}} if one_by_one else data, _down_part, outside=one_by_one)
    out: dict[str, Any] = {"swagger": "2.0", "info": doc.get("info", {"title": "connector", "version": "1.0"})}
    servers = openapi.servers(doc, ())
    url = openapi.default_url(servers[0].value) if servers else ""  # 2.0 has one host: the default server's
    scheme, _, rest = url.partition("://")
    if rest:
        host, _, base = rest.partition("/")
        out.update({"host": host, "basePath": "/" + base if base else "/", "schemes": [scheme]})
    components = _map(doc.get("components"))
    kept: frozenset[str] = frozenset()
    definitions: dict[str, Any] = {}
    if isinstance(components.get("securitySchemes"), dict) and components["securitySchemes"]:
        schemes = {k: _scheme_down(v) for k, v in components["securitySchemes"].items() if isinstance(v, dict)}
        definitions = {k: v for k, v in schemes.items() if v is not None}
        kept = frozenset(definitions)
    lookup = functools.partial(_down_lookup, doc)
    v31 = openapi.version(data) == "3.1"
    if one_by_one:
        assert isinstance(paths, dict)
        kind = f"down {sorted(kept)}"  # an item's security requirements keep the schemes 2.0 can express
        # An item whose request bodies are references or forms reads the document outside paths too.
        outside = pieces.outside({**data, "paths": {}}) if pieces is not None else None
        convert = functools.partial(_item_down, kept=kept, lookup=lookup, v31=v31)
        out["paths"] = {
            path: (
                _piece(pieces, kind, item, convert)
                if not _reads_outside(item)
                else _piece(pieces, f"{kind} in {outside.digest.hex()}", item, convert)
                if outside is not None and not outside.into_paths
                else convert(item)
            )
            for path, item in paths.items()
            if not path.startswith(OURS)
        }
    else:
        out["paths"] = {path: _path_item_down(item, kept, lookup, v31) for path, item in (doc.get("paths") or {}).items()}
    if components.get("schemas"):
        out["definitions"] = _kept(pieces, components["schemas"])
    if isinstance(components.get("responses"), dict) and components["responses"]:  # what #/responses/... refers to
        out["responses"] = {k: _response_down(v) for k, v in components["responses"].items()}
    if components.get("securitySchemes"):
        out["securityDefinitions"] = definitions
    for key, value in doc.items():
        if key.startswith("x-") or key in ("security", "tags", "externalDocs"):
            out[key] = _security_down(value, kept) if key == "security" else value
    return out


def _piece(pieces: Kept | None, kind: str, value: Any, convert: Callable[[Any], Any], *, outside: bool = False) -> Any:
    """``convert(value)``, or the same converted before (``pieces``); ``outside``: ``value`` is the
    document with its ``paths`` emptied, whose content is that of the document outside them."""
    if pieces is None:
        return convert(value)
    digest = pieces.outside(value) if outside else None
    if outside and digest is None:
        return convert(value)
    return pieces.get(kind, value, functools.partial(convert, value), digest)


def _kept(pieces: Kept | None, value: Any) -> Any:
    """``value``, part of a piece, its JSON text kept with the piece's (see Kept)."""
    if pieces is not None:
        pieces.keep(value)
    return value


def _down_part(value: Any) -> Any:
    return _schemas_to_20(_move_refs(_without_ours(value), _REF_MOVES_DOWN))


def _item_down(item: dict[str, Any], kept: frozenset[str], lookup: Callable[[Any], Any], v31: bool) -> dict[str, Any]:
    return _path_item_down(_down_part(item), kept, lookup, v31)


def _reads_outside(item: Any) -> bool:
    """Whether converting a path item reads the document outside paths: a request body that is a
    reference, or has a form media type (its schema's references are followed, see ``_form_down``)."""
    for op in item.values() if isinstance(item, dict) else ():
        body = op.get("requestBody") if isinstance(op, dict) else None
        if isinstance(body, dict) and ("$ref" in body or any(openapi.media_base(str(m)) in openapi.FORM_MEDIA for m in _map(body.get("content")))):
            return True
    return False


def _down_lookup(doc: dict[str, Any], value: Any) -> Any:
    """``value`` of a converted 3.x document (its schema references moved to #/definitions), its
    ``$ref`` chain followed in the converted document outside paths ``doc``."""
    seen: set[str] = set()
    while isinstance(value, dict) and isinstance(value.get("$ref"), str) and value["$ref"] not in seen:
        ref = value["$ref"]
        seen.add(ref)
        pointer = openapi.parse_ref(ref)
        if pointer is None:
            return value
        if pointer[:1] == ("definitions",):
            pointer = ("components", "schemas", *pointer[1:])
        found, target = openapi.lookup(doc, pointer)
        if not found:
            return value
        value = target
    return value


def _response_down(response: Any) -> dict[str, Any]:
    """A Response Object in 2.0's shape: the schema of its (first) media type; a reference stands alone."""
    out: dict[str, Any] = dict(response) if isinstance(response, dict) else {"description": ""}
    content = out.pop("content", None)
    if isinstance(content, dict) and content:
        media = next(iter(content.values()))
        if isinstance(media, dict) and "schema" in media:
            out["schema"] = media["schema"]
    headers = out.get("headers")
    if isinstance(headers, dict):
        out["headers"] = {name: _header_down(h) for name, h in headers.items() if isinstance(h, dict) and "$ref" not in h}
    if "$ref" not in out:
        out.setdefault("description", "")
    return out


#: What a 2.0 Header Object takes of a schema (it has no schema of its own).
_HEADER_KEYS = frozenset({"type", "format", "items", "default", "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum", "maxLength", "minLength", "pattern", "maxItems", "minItems", "uniqueItems", "enum", "multipleOf"})


def _header_down(header: dict[str, Any]) -> dict[str, Any]:
    """An OpenAPI 3 response header in 2.0's shape: its schema's keywords on the header itself, a primitive
    type (a 3.1 type list gives its first that is not null; anything else is sent as a string)."""
    schema = header.get("schema")
    out = {k: v for k, v in schema.items() if k in _HEADER_KEYS} if isinstance(schema, dict) else {}
    kind = out.get("type")
    if isinstance(kind, list):
        kind = next((t for t in kind if t != "null"), "string")
    out["type"] = kind if kind in ("string", "number", "integer", "boolean", "array") else "string"
    if out["type"] == "array" and not isinstance(out.get("items"), dict):
        out["items"] = {"type": "string"}
    if isinstance(header.get("description"), str):
        out["description"] = header["description"]
    return out


def _path_item_down(item: Any, kept: frozenset[str], lookup: Callable[[Any], Any] = lambda value: value, v31: bool = False) -> dict[str, Any]:
    """A converted path item in 2.0's shape: bodies as parameters, responses with their schema, and
    security requirements without the schemes 2.0 cannot express (``kept``: those it can); new
    objects wherever it differs from ``item``."""
    new_item: dict[str, Any] = {}
    for key, op in (item or {}).items():
        if key == "servers":  # 2.0 has no servers of a path or an operation (the losses say so)
            continue
        if key not in openapi.METHODS or not isinstance(op, dict):
            new_item[key] = [_param_down(p) if isinstance(p, dict) else p for p in op] if key == "parameters" and isinstance(op, list) else dict(op) if isinstance(op, dict) else op
            if isinstance(new_item[key], dict) and "security" in new_item[key]:
                new_item[key]["security"] = _security_down(new_item[key]["security"], kept)
            continue
        new_op = {k: v for k, v in op.items() if k not in ("requestBody", "responses", "parameters", "servers")}
        params = [_param_down(p) for p in _list(op.get("parameters")) if isinstance(p, dict)]
        body = lookup(op.get("requestBody"))
        if isinstance(body, dict):
            content: dict[str, Any] = body["content"] if isinstance(body.get("content"), dict) else {}
            chosen = openapi.choose_media(content, lookup, v31)  # the media type the client sends
            media = (chosen, content[chosen]) if chosen is not None else next(iter(content.items()), None)
            form = lookup(media[1].get("schema")) if media and isinstance(media[1], dict) and openapi.media_base(media[0]) in openapi.FORM_MEDIA else None
            if media and isinstance(form, dict) and isinstance(form.get("properties"), dict):
                params += _form_down(form, bool(body.get("required")), openapi.media_base(media[0]), media[1].get("encoding"), lookup, v31)
                new_op["consumes"] = [openapi.media_base(media[0])]
            elif media and isinstance(media[1], dict):
                params.append({"name": "body", "in": "body", "required": bool(body.get("required")), "schema": media[1].get("schema", {})})
        if params:
            new_op["parameters"] = params
        responses = {str(status): _response_down(response) for status, response in _map(op.get("responses")).items()}
        new_op["responses"] = responses or {"default": {"description": ""}}
        if "security" in new_op:
            new_op["security"] = _security_down(new_op["security"], kept)
        new_item[key] = new_op
    return new_item


#: What a formData parameter keeps of a primitive schema (Microsoft's formDataParameterSubSchema).
_FORM_KEYS = ("type", "format", "enum", "default", "pattern", "minimum", "maximum", "minLength", "maxLength", "multipleOf")
#: An urlencoded array field's style (OpenAPI 3 encoding) as a 2.0 collectionFormat.
_COLLECTION_FORMATS = {"spaceDelimited": "ssv", "pipeDelimited": "pipes"}


def _form_down(schema: dict[str, Any], required: bool, media: str, encoding: Any, lookup: Callable[[Any], Any], v31: bool) -> list[dict[str, Any]]:
    """A form body's fields as Swagger 2.0 formData parameters: a file is ``type: file``; an array of
    files an array of binary strings; an object (sent as JSON) a string (the builder warns about both)."""
    needed: list[Any] = schema["required"] if isinstance(schema.get("required"), list) else []
    encoding = encoding if isinstance(encoding, dict) else {}
    params = []
    for name, prop in schema["properties"].items():
        value = lookup(prop)
        value = value if isinstance(value, dict) else {}
        param: dict[str, Any] = {"name": name, "in": "formData"}
        kind = openapi.file_kind(prop, lookup, v31)
        items = lookup(value.get("items"))
        if kind == "file":
            param["type"] = "file"
        elif kind == "files":
            param.update({"type": "array", "items": {"type": "string", "format": "binary"}, "collectionFormat": "multi"})
        elif value.get("type") in ("string", "number", "integer", "boolean"):
            param.update({key: value[key] for key in _FORM_KEYS if key in value})
        elif value.get("type") == "array" and isinstance(items, dict) and items.get("type") in ("string", "number", "integer", "boolean"):
            how = encoding.get(name) if isinstance(encoding.get(name), dict) else {}
            style = str(how.get("style", "form"))
            exploded = how.get("explode", style == "form") is True
            collection = "multi" if media == openapi.FORM_MEDIA[0] or (style == "form" and exploded) or style == "deepObject" else _COLLECTION_FORMATS.get(style, "csv")
            param.update({"type": "array", "items": {key: items[key] for key in ("type", "format", "enum") if key in items}, "collectionFormat": collection})
        else:
            param["type"] = "string"  # an object or a union: its JSON text
        if required and name in needed:
            param["required"] = True
        if isinstance(value.get("description"), str):
            param["description"] = value["description"]
        title = extensions.SUMMARY.of(value) or value.get("title")
        if isinstance(title, str):
            param[extensions.SUMMARY.name] = title
        params.append(param)
    return params


def _security_down(requirements: Any, kept: frozenset[str]) -> Any:
    """Security requirements without the schemes 2.0 cannot express (a requirement left empty is dropped)."""
    if not isinstance(requirements, list) or not requirements:
        return requirements
    return [r for r in requirements if isinstance(r, dict) and set(r) <= kept] or [{}]


#: Schema keywords Swagger 2.0 (and so Power Platform) has no place for: kept as x- extensions.
_NOT_IN_20 = ("oneOf", "anyOf", "not")
#: The formats Microsoft's apiDefinition schema allows; others are kept as x-format.
_FORMATS_20 = frozenset(
    {"int32", "int64", "float", "double", "byte", "binary", "date", "date-time", "password", "date-no-tz", "email", "html", "uri", "uuid"}
)


#: Where the 2.0 export keeps what 2.0 cannot say: kind of loss -> the places (pointers) it happens.
Losses = dict[str, list[tuple[str | int, ...]]]


def _schemas_to_20(value: Any, names: bool = False, pointer: tuple[str | int, ...] = (), losses: Losses | None = None) -> Any:
    """Swagger 2.0 spellings: ``nullable`` (3.0) and a null in a 3.1 type list become x-nullable; what 2.0
    cannot say (oneOf, anyOf, not, a discriminator object, other formats) is kept under an x- name, and
    recorded in ``losses`` when given.

    ``names``: the keys of ``value`` are names (of properties, schemas…), not keywords.
    """
    if isinstance(value, list):
        return [_schemas_to_20(v, False, (*pointer, i), losses) for i, v in enumerate(value)]
    if not isinstance(value, dict):
        return value
    out = {
        k: v if not names and k in openapi.DATA_KEYWORDS else _schemas_to_20(v, not names and k in openapi.NAME_MAPS, (*pointer, k), losses)
        for k, v in value.items()
    }
    if names:
        return out
    return _keywords_20(out, pointer, losses)


def _keywords_20(out: dict[str, Any], pointer: tuple[str | int, ...], losses: Losses | None) -> dict[str, Any]:
    """One schema's own keywords in Swagger 2.0 spellings (``out``, its values converted, is changed)."""
    if out.pop("nullable", None) is True:
        out["x-nullable"] = True
    kind = out.get("type")
    if isinstance(kind, list) and "null" in kind:
        rest = [k for k in kind if k != "null"]
        out["x-nullable"] = True
        if len(rest) == 1:
            out["type"] = rest[0]
        else:
            out.pop("type")
    kept = [key for key in _NOT_IN_20 if key in out]
    if isinstance(out.get("discriminator"), dict):
        kept.append("discriminator")
    if isinstance(out.get("format"), str) and out["format"] not in _FORMATS_20:
        kept.append("format")
    for key in kept:
        if losses is not None:
            what = f"format {out['format']!r}" if key == "format" else "a discriminator object" if key == "discriminator" else key
            losses.setdefault(f"{what} (kept as x-{key})", []).append((*pointer, key))
        out["x-" + key] = out.pop(key)
    return out


def swagger2_losses(data: dict[str, Any], pieces: Kept | None = None) -> list[tuple[tuple[str | int, ...], str]]:
    """What the Power Platform export (Swagger 2.0) of a 3.x document keeps only as x- extensions or drops:
    one (first place, message) per kind of loss, with how many places have it; ``pieces``: each path
    item's losses as found before."""
    if openapi.version(data) == "2.0":
        return []
    found: Losses = {}
    forms: Losses = {}  # of form bodies (formData), said after the schemas'
    paths = data.get("paths")
    if pieces is None or not _path_items(paths):
        _schemas_to_20(data, losses=found)  # the conversion the export makes, recording what it keeps aside
        for path, item in paths.items() if isinstance(paths, dict) else ():
            _merge(forms, _form_losses(data, item, ("paths", path)))
    else:  # the same walk, each path item's places, and each other member's, taken from pieces
        outside = pieces.outside({**data, "paths": {}})
        for key, value in data.items():
            if key == "paths":
                for path, item in value.items():
                    walk = functools.partial(_losses, item, ("paths", path))
                    for what, places in pieces.get(f"losses at {['paths', path]!r}", item, walk).items():
                        found.setdefault(what, []).extend(places)
                    if _reads_outside(item):  # a form body (its schema may be in components)
                        form_walk = functools.partial(_form_losses, data, item, ("paths", path))
                        known = outside is not None and not outside.into_paths
                        _merge(forms, pieces.get(f"form losses at {['paths', path]!r} in {outside.digest.hex()}", item, form_walk) if known and outside else form_walk())
            elif key not in openapi.DATA_KEYWORDS:
                walk = functools.partial(_losses, value, (key,), key in openapi.NAME_MAPS)
                for what, places in pieces.get(f"losses at {[key]!r}", value, walk).items():
                    found.setdefault(what, []).extend(places)
        _keywords_20({k: v for k, v in data.items() if k in _KEYWORDS_20}, (), found)  # the document's own (what the walk ends with)
    _merge(found, forms)
    components = data.get("components")
    schemes = components.get("securitySchemes") if isinstance(components, dict) else None
    for name, scheme in (schemes if isinstance(schemes, dict) else {}).items():
        if isinstance(scheme, dict) and _scheme_down(scheme) is None:
            found.setdefault("security schemes of this type (left out)", []).append(("components", "securitySchemes", name))
    _server_losses(data, found)
    return [
        (places[0], f"the Power Platform export (Swagger 2.0) cannot express {what}: {len(places)} place{'s' if len(places) > 1 else ''}, the first here")
        for what, places in found.items()
    ]


def _server_losses(data: dict[str, Any], found: Losses) -> None:
    """What 2.0's one host, base path and scheme cannot say of the servers (the export takes the default
    server's URL, its variables at their defaults; a templated host is no dynamic host URL there, since that
    is made from connection parameters, which the document does not have)."""
    servers = openapi.servers(data, ())
    for node in servers[1:]:
        found.setdefault("servers besides the first (the export's host is the first's)", []).append(node.pointer)
    if servers and openapi.server_variables(servers[0].value):
        found.setdefault("server variables (the export's host takes their defaults)", []).append((*servers[0].pointer, "variables"))
    if servers and "://" not in openapi.default_url(servers[0].value):
        found.setdefault("a relative server URL (the export has no host)", []).append((*servers[0].pointer, "url"))
    for path, item in (data.get("paths") or {}).items() if isinstance(data.get("paths"), dict) else ():
        owners = [(item, ("paths", path))] + [(item[m], ("paths", path, m)) for m in openapi.METHODS if isinstance(item, dict) and isinstance(item.get(m), dict)]
        for owner, pointer in owners:
            if openapi.servers(owner, pointer):
                found.setdefault("servers of a path or an operation (left out: they go to the export's host)", []).append((*pointer, "servers"))


#: The keywords ``_keywords_20`` reads.
_KEYWORDS_20 = frozenset({"nullable", "type", "discriminator", "format", *_NOT_IN_20})


def _merge(found: Losses, more: Losses) -> None:
    for what, places in more.items():
        found.setdefault(what, []).extend(places)


_PRIMITIVE_TYPES = ("string", "number", "integer", "boolean")


def _type_20(schema: Any) -> Any:
    """A schema's ``type`` as the export writes it: a 3.1 list of one type and null is that type."""
    kind = schema.get("type") if isinstance(schema, dict) else None
    rest = [k for k in kind if k != "null"] if isinstance(kind, list) else None
    return (rest[0] if len(rest) == 1 else None) if rest is not None else kind


def _form_losses(data: dict[str, Any], item: Any, pointer: tuple[str | int, ...]) -> Losses:
    """What the formData parameters of a path item's form bodies (``_form_down``) cannot say: an array of
    files, a field that is not a primitive or an array of them, a part's content type or headers."""
    found: Losses = {}
    v31 = openapi.version(data) == "3.1"

    def resolved(value: Any) -> Any:
        return openapi.resolve(data, Node(value, ())).value

    for method in openapi.METHODS:
        op = item.get(method) if isinstance(item, dict) else None
        if not isinstance(op, dict) or "requestBody" not in op:
            continue
        body = openapi.resolve(data, Node(op["requestBody"], (*pointer, method, "requestBody")))
        content = body.value.get("content") if isinstance(body.value, dict) else None
        media = openapi.choose_media(content, resolved, v31) if isinstance(content, dict) else None
        if media is None or openapi.media_base(media) not in openapi.FORM_MEDIA:
            continue
        assert isinstance(content, dict)
        schema = openapi.resolve(data, Node(content[media]["schema"], (*body.pointer, "content", media, "schema")))
        props = schema.value.get("properties") if isinstance(schema.value, dict) else None
        encoding = content[media].get("encoding") if isinstance(content[media].get("encoding"), dict) else {}
        for name, prop in props.items() if isinstance(props, dict) else ():
            value = resolved(prop)
            value = value if isinstance(value, dict) else {}
            items = resolved(value.get("items"))
            kind = openapi.file_kind(prop, resolved, v31)
            where = (*schema.pointer, "properties", name)
            if kind == "files":
                found.setdefault("an array of files in a form (exported as an array of binary strings)", []).append(where)
            elif not kind and _type_20(value) not in _PRIMITIVE_TYPES and not (_type_20(value) == "array" and _type_20(items) in _PRIMITIVE_TYPES):
                found.setdefault("a form field that is an object, a union or an array of them (exported as a string)", []).append(where)
            how = encoding.get(name)
            if openapi.media_base(media) == openapi.FORM_MEDIA[1] and isinstance(how, dict) and how.get("style") == "deepObject" and _type_20(value) == "array" and _type_20(items) in _PRIMITIVE_TYPES:
                found.setdefault("an array form field in style deepObject (exported with collectionFormat multi)", []).append(where)
            if openapi.media_base(media) == openapi.FORM_MEDIA[0] and isinstance(how, dict) and (how.get("contentType") or how.get("headers")):
                found.setdefault("a form part's content type or headers (encoding)", []).append((*body.pointer, "content", media, "encoding", name))
    return found


def _losses(value: Any, pointer: tuple[str | int, ...], names: bool = False) -> Losses:
    found: Losses = {}
    _schemas_to_20(value, names, pointer, found)
    return found


def _param_down(param: dict[str, Any]) -> dict[str, Any]:
    schema = param.get("schema")
    out = {k: v for k, v in param.items() if k not in ("schema", "style", "explode", "allowReserved", "example", "examples", "content")}
    if isinstance(schema, dict) and "$ref" not in param:
        for key in ("type", "format", "items", "enum", "default"):
            if key in schema:
                out[key] = schema[key]
        out.setdefault("type", "string")
        if out["type"] == "array" and param.get("in") in ("query", "path", "header"):
            # the array as the client sends it: 2.0's csv default is OpenAPI 3's form unexploded
            style = param.get("style") or ("form" if param.get("in") == "query" else "simple")
            explode = param["explode"] if isinstance(param.get("explode"), bool) else style == "form"
            formats = {"spaceDelimited": "ssv", "pipeDelimited": "pipes"}
            out["collectionFormat"] = "multi" if style == "form" and explode else formats.get(style, "csv")
    elif "content" in param and "$ref" not in param:
        out["type"] = "string"  # a parameter described by a media type: its text (JSON text for JSON)
    return out


def _scheme_down(scheme: dict[str, Any]) -> dict[str, Any] | None:
    """A 3.x security scheme in 2.0's words; None for one 2.0 has none for (a cookie, OpenID Connect, mutual TLS)."""
    if scheme.get("type") == "apiKey" and scheme.get("in") == "cookie":
        return None
    if scheme.get("type") in ("openIdConnect", "mutualTLS"):
        return None
    if scheme.get("type") == "http" and str(scheme.get("scheme", "")).lower() == "basic":
        return {"type": "basic"}
    if scheme.get("type") == "http":
        return {"type": "apiKey", "in": "header", "name": "Authorization"}
    if scheme.get("type") == "oauth2":
        flows = scheme.get("flows") or {}
        down = {v: k for k, v in _OAUTH_FLOWS_UP.items()}
        for name, flow in flows.items():
            out = {"type": "oauth2", "flow": down.get(name, "accessCode"), "scopes": flow.get("scopes", {})}
            for key in ("authorizationUrl", "tokenUrl"):
                if key in flow:
                    out[key] = flow[key]
            return out
    return scheme if scheme.get("type") in ("apiKey", "basic", "oauth2") else None


# --------------------------------------------------------------------------- OpenAPI 3.1


def openapi31(connector: Connector, pieces: Kept | None = None) -> dict[str, Any]:
    """openapi.json; ``pieces``: path items converted before (see ``Kept``); a status range is
    spelled as 3.1 does (``4xx`` -> ``4XX``)."""
    return _status_ranges(_openapi31(connector, pieces), str.upper)


def _openapi31(connector: Connector, pieces: Kept | None = None) -> dict[str, Any]:
    data = _edited(connector)
    version = openapi.version(data)
    if version == "2.0":
        return _kept_components(pieces, _up_from_swagger2(data, connector.base_url, pieces))
    convert = _schemas_to_31 if version == "3.0" else _copied  # (a new tree either way)
    paths = data.get("paths")
    if pieces is None or not _path_items(paths) or not all(path.startswith("/") for path in paths):
        doc = _copied(data)
        doc["openapi"] = "3.1.0"
        return _safe_component_names(convert(doc))
    # The document outside paths, and each path item, on its own, as the whole-document conversion
    # converts it (a path is no keyword); what is taken from pieces is not changed.
    kind = "3.1 from " + version
    doc = {**_piece(pieces, kind, {**data, "paths": {}}, convert, outside=True), "openapi": "3.1.0"}
    doc["paths"] = {path: _piece(pieces, kind, item, convert) for path, item in paths.items()}
    return _kept_components(pieces, _safe_component_names(doc))


def _kept_components(pieces: Kept | None, doc: dict[str, Any]) -> dict[str, Any]:
    """``doc``, its component maps' JSON text kept with the pieces they come from."""
    for entries in (doc.get("components") or {}).values():
        _kept(pieces, entries)
    return doc


def _schemas_to_31(value: Any) -> Any:
    """JSON Schema 2020-12 spellings: nullable/x-nullable as a null type, boolean exclusive bounds."""
    if isinstance(value, list):
        return [_schemas_to_31(v) for v in value]
    if not isinstance(value, dict):
        return value
    out = {k: _schemas_to_31(v) for k, v in value.items()}
    nullable = out.pop("nullable", None) is True
    nullable = (out.pop("x-nullable", None) is True) or nullable
    if nullable and isinstance(out.get("type"), str):
        out["type"] = [out["type"], "null"]
    for bound, limit in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        if isinstance(out.get(bound), bool) and out.pop(bound) and limit in out:
            out[bound] = out.pop(limit)
    if out.get("type") == "file":
        out["type"], out["format"] = "string", "binary"
    if isinstance(out.get("discriminator"), str):
        out["discriminator"] = {"propertyName": out["discriminator"]}
    return out


def _up_from_swagger2(data: dict[str, Any], base_url: str, pieces: Kept | None = None) -> dict[str, Any]:
    """A Swagger 2.0 document as OpenAPI 3.1; ``pieces``: the document outside paths, and each path
    item, converted before (each is converted on its own, as one walk of the whole converts it)."""
    paths = data.get("paths")
    one_by_one = _path_items(paths)
    outside = {**data, "paths": {}} if one_by_one else data
    doc, components = _piece(pieces, "up", outside, _outside_up, outside=one_by_one)
    consumes = _media_list(doc.get("consumes")) or ["application/json"]
    produces = _media_list(doc.get("produces")) or ["application/json"]
    out: dict[str, Any] = {"openapi": "3.1.0", "info": doc.get("info", {})}
    if base_url:
        out["servers"] = [{"url": base_url}]
    if one_by_one:
        assert isinstance(paths, dict)
        bodies = _shared_bodies(doc)
        # What an operation's media types default to, and the shared bodies its references may name.
        kind = f"up {consumes!r} {produces!r} {json.dumps(bodies, sort_keys=True) if bodies else ''}"
        convert = functools.partial(_item_up, consumes=consumes, produces=produces, bodies=bodies)
        out["paths"] = {path: _piece(pieces, kind, item, convert) for path, item in paths.items()}
    else:
        bodies = _shared_bodies(doc)
        out["paths"] = {path: _path_item_up(item, consumes, produces, bodies) for path, item in (doc.get("paths") or {}).items() if isinstance(item, dict)}
    if components:
        out["components"] = components  # _safe_component_names copies what it changes
    for key, value in doc.items():
        if key.startswith("x-") or key in ("security", "tags", "externalDocs"):
            out[key] = value
    return _safe_component_names(out)


def _moved_up(value: Any) -> Any:
    return _move_refs(value, _REF_MOVES_UP)  # a new tree


def _item_up(item: dict[str, Any], consumes: list[str], produces: list[str], bodies: dict[str, Any] | None = None) -> dict[str, Any]:
    return _path_item_up(_moved_up(item), consumes, produces, bodies)


def _shared_bodies(doc: dict[str, Any]) -> dict[str, Any]:
    """The document's shared body and formData parameters (2.0 ``parameters``), by the reference an
    operation makes to each once moved (``#/components/parameters/<name>``): 3.1 has no such parameter,
    so an operation's reference to one becomes its request body (or form field), never a dangling $ref."""
    shared = doc.get("parameters")
    if not isinstance(shared, dict):
        return {}
    return {f"#/components/parameters/{name}": _moved_up(p) for name, p in shared.items() if isinstance(p, dict) and p.get("in") in ("body", "formData")}


def _path_item_up(item: dict[str, Any], consumes: list[str], produces: list[str], bodies: dict[str, Any] | None = None) -> dict[str, Any]:
    """A path item (its $refs moved) in 3.1's shape: bodies and form data as request bodies (a path
    item's own body or form parameters, and shared ones it refers to, go to each of its operations)."""
    bodies = bodies or {}
    given = [bodies.get(str(p.get("$ref")), p) if isinstance(p, dict) else p for p in _list(item.get("parameters"))]
    inherited = [p for p in given if isinstance(p, dict) and p.get("in") in ("body", "formData")]
    new_item: dict[str, Any] = {}
    for key, op in item.items():
        if key == "parameters" and isinstance(op, list):
            new_item[key] = [_param_up(p) for p in given if isinstance(p, dict) and p.get("in") not in ("body", "formData")]
        elif key in openapi.METHODS and isinstance(op, dict):
            new_item[key] = _operation_up(op, consumes, produces, bodies, inherited)
        else:
            new_item[key] = op
    return new_item


def _outside_up(value: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """``value`` with its $refs moved to 3.1's places, and the components made of it."""
    moved = _moved_up(value)
    return moved, _components_up(moved)


def _components_up(doc: dict[str, Any]) -> dict[str, Any]:
    """The components of a 2.0 document's definitions, parameters, responses and security definitions
    (its $refs moved)."""
    produces = _media_list(doc.get("produces")) or ["application/json"]
    components: dict[str, Any] = {}
    if isinstance(doc.get("definitions"), dict):
        components["schemas"] = _schemas_to_31(doc["definitions"])
    if isinstance(doc.get("parameters"), dict):
        params = {k: _param_up(v) for k, v in doc["parameters"].items() if isinstance(v, dict) and v.get("in") not in ("body", "formData")}
        if params:
            components["parameters"] = params
    if isinstance(doc.get("responses"), dict):
        components["responses"] = {k: _response_up(v, produces) for k, v in doc["responses"].items() if isinstance(v, dict)}
    if isinstance(doc.get("securityDefinitions"), dict):
        components["securitySchemes"] = {k: _scheme_up(v) for k, v in doc["securityDefinitions"].items() if isinstance(v, dict)}
    return components


_COMPONENT_NAME = re.compile(r"^[a-zA-Z0-9._-]+$")


def _safe_component_names(doc: dict[str, Any]) -> dict[str, Any]:
    """OpenAPI 3 component keys match ^[a-zA-Z0-9._-]+$: rename others (accents folded) and their $refs."""
    moves: dict[str, str] = {}
    schemes: dict[str, str] = {}  # security schemes are named, not referenced, by security requirements
    components = doc.get("components")
    if not isinstance(components, dict):
        return doc
    doc["components"] = components = dict(components)  # ``doc`` is the caller's; what it holds may be kept (``Kept``)
    for kind, entries in components.items():
        if not isinstance(entries, dict) or all(_COMPONENT_NAME.match(k) for k in entries):
            continue
        taken = {k for k in entries if _COMPONENT_NAME.match(k)}
        renamed = {}
        for key, value in entries.items():
            new = key
            if not _COMPONENT_NAME.match(key):
                folded = unicodedata.normalize("NFKD", key).encode("ascii", "ignore").decode("ascii")
                new = naming.unique(re.sub(r"[^a-zA-Z0-9._-]+", "_", folded).strip("_") or "schema", taken)
                moves[f"#/components/{kind}/{_pointer_part(key)}"] = f"#/components/{kind}/{new}"
                if kind == "securitySchemes":
                    schemes[key] = new
            renamed[new] = value
        components[kind] = renamed
    if schemes:
        _rename_security(doc, schemes)
    return _rename_refs(doc, moves) if moves else doc


def _rename_security(doc: dict[str, Any], schemes: dict[str, str]) -> None:
    def renamed(requirements: Any) -> Any:
        if not isinstance(requirements, list):
            return requirements
        return [{schemes.get(k, k): v for k, v in r.items()} if isinstance(r, dict) else r for r in requirements]

    if "security" in doc:
        doc["security"] = renamed(doc["security"])
    def item_renamed(item: Any) -> Any:  # a new path item where one changes (a converted one may be kept: Kept)
        if not isinstance(item, dict) or not any(isinstance(op, dict) and "security" in op for op in item.values()):
            return item
        return {key: {**op, "security": renamed(op["security"])} if isinstance(op, dict) and "security" in op else op for key, op in item.items()}

    paths = doc.get("paths")
    if isinstance(paths, dict):
        doc["paths"] = {path: item_renamed(item) for path, item in paths.items()}


def _pointer_part(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def _rename_refs(value: Any, moves: dict[str, str]) -> Any:
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if key == "$ref" and isinstance(item, str):
                for old, new in moves.items():
                    if item == old or item.startswith(old + "/"):
                        item = new + item[len(old) :]
                        break
            out[key] = _rename_refs(item, moves)
        return out
    if isinstance(value, list):
        return [_rename_refs(v, moves) for v in value]
    return value


def _param_up(param: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in param:
        return param
    # Every keyword 2.0 gives a non-body parameter's value (its schema in 3.1), and collectionFormat.
    schema_keys = (
        "type", "format", "items", "enum", "default", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf",
        "pattern", "minLength", "maxLength", "minItems", "maxItems", "uniqueItems", "collectionFormat",
    )
    out = {k: v for k, v in param.items() if k not in schema_keys and k != "allowEmptyValue"}
    schema = {k: v for k, v in param.items() if k in schema_keys and k != "collectionFormat"}
    out["schema"] = _schemas_to_31(schema or {"type": "string"})
    if param.get("in") == "path":
        out["required"] = True
    return out


def _operation_up(op: dict[str, Any], consumes: list[str], produces: list[str], bodies: dict[str, Any] | None = None, inherited: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    out = {k: v for k, v in op.items() if k not in ("parameters", "responses", "consumes", "produces", "schemes")}
    consumes = _media_list(op.get("consumes")) or consumes
    produces = _media_list(op.get("produces")) or produces
    params, form, form_required = [], {}, []
    own = [(bodies or {}).get(str(p.get("$ref")), p) if isinstance(p, dict) else p for p in _list(op.get("parameters"))]
    named = {(p.get("name"), p.get("in")) for p in own if isinstance(p, dict)}
    for p in [*(p for p in inherited or () if (p.get("name"), p.get("in")) not in named), *own]:
        if not isinstance(p, dict):
            continue
        if p.get("in") == "body":
            media = next((m for m in consumes if "json" in m), consumes[0] if consumes else "application/json")
            out["requestBody"] = {"required": bool(p.get("required")), "content": {media: {"schema": _schemas_to_31(p.get("schema", {}))}}}
            if p.get("description"):
                out["requestBody"]["description"] = p["description"]
        elif p.get("in") == "formData":
            form[str(p.get("name"))] = _schemas_to_31({k: v for k, v in p.items() if k in ("type", "format", "items", "enum", "default", "description")})
            if p.get("required"):
                form_required.append(str(p.get("name")))
        else:
            params.append(_param_up(p))
    if form:
        multipart = any(s.get("format") == "binary" for s in form.values()) or "multipart/form-data" in consumes
        media = "multipart/form-data" if multipart else "application/x-www-form-urlencoded"
        schema: dict[str, Any] = {"type": "object", "properties": form}
        if form_required:
            schema["required"] = form_required
        out["requestBody"] = {"content": {media: {"schema": schema}}}
    if params:
        out["parameters"] = params
    responses = _map(op.get("responses"))
    out["responses"] = {str(k): _response_up(v, produces) for k, v in responses.items() if isinstance(v, dict)} or {"default": {"description": ""}}
    return out


def _response_up(response: dict[str, Any], produces: list[str]) -> dict[str, Any]:
    if "$ref" in response:
        return response
    out = {k: v for k, v in response.items() if k not in ("schema", "examples", "headers")}
    out.setdefault("description", "")
    if "schema" in response:
        media = next((m for m in produces if "json" in m), produces[0] if produces else "application/json")
        out["content"] = {media: {"schema": _schemas_to_31(response["schema"])}}
    if isinstance(response.get("headers"), dict):
        out["headers"] = {k: {"schema": _schemas_to_31({x: y for x, y in v.items() if x != "description"}), **({"description": v["description"]} if "description" in v else {})} for k, v in response["headers"].items() if isinstance(v, dict)}
    return out


def _scheme_up(scheme: dict[str, Any]) -> dict[str, Any]:
    kind = scheme.get("type")
    extra = {k: v for k, v in scheme.items() if k.startswith("x-") or k == "description"}
    if kind == "basic":
        return {"type": "http", "scheme": "basic", **extra}
    if kind == "oauth2":
        flow: dict[str, Any] = {"scopes": scheme.get("scopes") or {}}
        name = _OAUTH_FLOWS_UP.get(str(scheme.get("flow")), "authorizationCode")
        if name in ("authorizationCode", "implicit"):
            flow["authorizationUrl"] = scheme.get("authorizationUrl", "")
        if name in ("authorizationCode", "password", "clientCredentials"):
            flow["tokenUrl"] = scheme.get("tokenUrl", "")
        return {"type": "oauth2", "flows": {name: flow}, **extra}
    return scheme


def mcp_tools(connector: Connector, _: Kept | None = None) -> list[dict[str, Any]]:
    """The MCP server's tools as ``tools/list`` shows them (its ``tools.json``): name, title, description,
    input and output schemas, annotations; every tool, selected or not (the server chooses at start)."""
    assert connector.mcp is not None, "the mcp target's outputs need the model's MCP server"
    listed: list[dict[str, Any]] = []
    for tool in connector.mcp.tools:
        entry: dict[str, Any] = {"name": tool.name, "title": tool.title, "description": tool.description, "inputSchema": tool.input_schema}
        if tool.output_schema is not None:
            entry["outputSchema"] = tool.output_schema
        entry["annotations"] = {
            "title": tool.title,
            "readOnlyHint": tool.read_only,
            "destructiveHint": tool.destructive,
            "idempotentHint": tool.idempotent,
            "openWorldHint": True,
        }
        listed.append(entry)
    return listed
