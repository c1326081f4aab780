"""Stage 1, second half: a spec split across files (or read from a URL) becomes one document.

A ``$ref`` may name another file (``./schemas/Task.yaml``, ``common.yaml#/components/parameters/Id``),
relative to the file that holds it. ``load_spec`` reads the root document and every file its
references reach, each with the loader's limits and positions, and bundles them into one
``Document`` whose references are all local, so that every later stage reads one document:

- a schema from another file is *hoisted*: it becomes a named schema of the root document
  (``components/schemas`` or ``definitions``), named after its pointer's last token or, for a
  whole file, the file's name (``schemas/Task.yaml`` -> ``Task``); a name the root already uses,
  or another file's schema took first, is qualified by the file's folders (``v2_Task``), then
  numbered, with a warning. Each file's schema is hoisted once, however often it is named, so
  cycles across files are cycles of named schemas, as in one file.
- anything else (a path item, parameter, response, request body, header, example, security
  scheme, ...) is copied to where it is referenced; a cycle of such copies is an error.
- a reference into the root file is a local reference.

What came from another file keeps its place: ``Document.origins`` maps each hoisted or copied
part to its file and pointer there, so a diagnostic names that file, line and column.

References are confined: from a file, to files under the root's folder (or the configured
root), never through a symbolic link leading out, never an absolute path or a URL; from a URL,
to URLs of the same origin. A reference that cannot be followed is a located error.
"""

from __future__ import annotations

import collections
import copy
import enum
import hashlib
import os
import re
import stat
import time
import urllib.parse
from pathlib import Path, PurePosixPath
from typing import Any

from ..diagnostics import (
    Diagnostic,
    Location,
    Pointer,
    Severity,
    SpecError,
    display_path,
    format_pointer,
    is_url,
    shown_url,
)
from .loader import Document, is_json, parse
from .openapi import lookup, parse_ref

#: Most files one spec may read, the root included.
MAX_FILES = 10_000
#: Most bytes all of a spec's files may hold together.
MAX_TOTAL_BYTES = 256 * 1024 * 1024
#: Most values the copies of referenced objects may add to the document (a reference is copied where it
#: is used: files that refer to each other's objects many times over could otherwise multiply).
MAX_COPIED = 2_000_000
#: A URL spec: seconds each document may take to fetch, whole (and httpx's timeouts), redirects followed
#: (same origin only).
FETCH_TIMEOUT = 30.0
MAX_REDIRECTS = 5

_EXTERNAL = re.compile(rb"""\$ref['"]?\s*:\s*['"]?(?:[^'"\s#]|\.)""")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_NAME_CHARS = re.compile(r"[^A-Za-z0-9._-]+")


class _Refused(Exception):
    """A reference that cannot be followed: the message and a hint."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.message, self.hint = message, hint


class _Files:
    """Files under one folder: where a reference leads, and its bytes."""

    def __init__(self, root: Path) -> None:
        self.root = Path(os.path.realpath(root))

    def locate(self, base: str, ref: str) -> str:
        _check_text(ref)
        if _SCHEME.match(ref) and not re.match(r"^[A-Za-z]:[\\/]", ref):
            raise _Refused(f"reference {ref!r} names a URL; a spec read from a file refers only to files beside it", "download the document into the spec's folder and refer to it by a relative path")
        path = urllib.parse.unquote(ref)
        _check_text(path)
        if path.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:[\\/]", path):
            raise _Refused(f"reference {ref!r} is an absolute path; references are relative to the file that holds them", "write the path relative to this file, e.g. './schemas/Task.yaml'")
        target = os.path.normpath(os.path.join(os.path.dirname(base), path))
        if not _under(target, str(self.root)):
            raise _Refused(f"reference {ref!r} leads outside the spec's folder {display_path(self.root)}", "keep every file of the spec under the root spec's folder (or set ref-root in [tool.connectorsmith])")
        if not _under(os.path.realpath(target), str(self.root)):
            raise _Refused(f"reference {ref!r} goes through a symbolic link that leads outside the spec's folder", "copy the file into the spec's folder")
        return target

    def read(self, location: str) -> bytes:
        try:
            if not stat.S_ISREG(os.stat(location).st_mode):  # a folder, a named pipe (reading one would wait forever), a device
                raise _Refused(f"{display_path(Path(location))} is not a regular file", "refer to a YAML or JSON file")
            return Path(location).read_bytes()
        except FileNotFoundError:
            raise _Refused(f"no such file: {display_path(Path(location))}", "check the reference's path (relative to the file that holds it)") from None
        except OSError as exc:
            raise _Refused(f"cannot read {display_path(Path(location))}: {exc.strerror}", "check the file") from None

    def show(self, location: str) -> str:
        return display_path(Path(location))


def _under(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


class _Web:
    """URLs of one origin: where a reference leads, and its bytes (fetched with httpx)."""

    def __init__(self, root: str) -> None:
        self.origin = _origin(root)
        self._client: Any = None

    def locate(self, base: str, ref: str) -> str:
        _check_text(ref)
        target = urllib.parse.urljoin(base, ref)
        if _origin(target) != self.origin:
            raise _Refused(f"reference {ref!r} leads to another origin than the spec's ({self.origin[0]}://{self.origin[1]})", "refer only to documents of the spec's own server")
        return target

    def read(self, location: str) -> bytes:
        import httpx  # only for a spec given by URL

        if self._client is None:
            self._client = httpx.Client(timeout=FETCH_TIMEOUT, follow_redirects=False, headers={"Accept": "application/json, application/yaml, text/yaml, */*"})
        url = location
        deadline = time.monotonic() + FETCH_TIMEOUT
        try:
            for _ in range(MAX_REDIRECTS + 1):
                with self._client.stream("GET", url) as response:
                    if response.is_redirect:
                        url = urllib.parse.urljoin(url, response.headers.get("location", ""))
                        if _origin(url) != self.origin:
                            raise _Refused(f"{shown_url(location)} redirects to another origin ({shown_url(url)})", "give the URL the document is served from")
                        continue
                    if response.status_code != 200:
                        raise _Refused(f"fetching {shown_url(location)} answered HTTP {response.status_code}", "check the URL")
                    from .limits import MAX_FILE_BYTES

                    body = bytearray()
                    for chunk in response.iter_bytes():
                        if time.monotonic() > deadline:  # a server dripping bytes cannot hold the run
                            raise _Refused(f"fetching {shown_url(location)} took over {FETCH_TIMEOUT:g} s", "check the server")
                        body += chunk
                        if len(body) > MAX_FILE_BYTES:
                            raise _Refused(f"{shown_url(location)} is over the {MAX_FILE_BYTES} byte limit", "split the spec")
                    return bytes(body)
            raise _Refused(f"{shown_url(location)} redirects more than {MAX_REDIRECTS} times", "give the URL the document is served from")
        except httpx.HTTPError as exc:
            raise _Refused(f"cannot fetch {shown_url(location)}: {exc.__class__.__name__}: {shown_url(str(exc))}", "check the URL and that the server answers") from None

    def show(self, location: str) -> str:
        return shown_url(location)

    def close(self) -> None:
        if self._client is not None:
            self._client.close()


def _origin(url: str) -> tuple[str, str]:
    """(scheme, host:port) of ``url``; _Refused when it is no URL (a port out of range, a broken IPv6 host)."""
    try:
        parts = urllib.parse.urlsplit(url)
        scheme = parts.scheme.lower()
        port = parts.port or {"http": 80, "https": 443}.get(scheme)
    except ValueError as exc:
        raise _Refused(f"{shown_url(url)!r} is not a URL that can be fetched ({exc})", "check the URL") from None
    if scheme not in ("http", "https") or not parts.hostname:
        raise _Refused(f"{shown_url(url)!r} is not an http(s) URL", "give an http:// or https:// URL")
    return scheme, f"{parts.hostname.lower()}:{port}"


def _check_text(ref: str) -> None:
    """A reference's text holds no NUL or other control character (no file or URL has one)."""
    if re.search(r"[\x00-\x1f\x7f]", ref):
        raise _Refused(f"reference {ref!r} holds a control character", "write the file's name as it is")


def split_ref(ref: str) -> tuple[str, Pointer] | None:
    """(the file part, the pointer) of a reference, the fragment read as a local reference is (``parse_ref``:
    percent-decoded, RFC 6901 §6). None when the fragment is not a pointer."""
    where, _, fragment = ref.partition("#")
    pointer = parse_ref("#" + fragment)
    return None if pointer is None else (where, pointer)


def needs_bundling(raw: bytes) -> bool:
    """Whether a spec's text may hold a reference to another file (a cheap test on the bytes)."""
    return _EXTERNAL.search(raw) is not None


def load_spec(spec: str | Path, *, lenient: bool = False, root: Path | None = None) -> Document:
    """Read the spec at ``spec`` (a file or an http(s) URL) and every file its references reach; one
    document with local references. ``root``: the folder references may reach (default: the spec's)."""
    access: _Files | _Web | None = None
    if is_url(spec):
        location = str(spec)
        shown = shown_url(location)
    else:
        path = Path(spec)
        location = os.path.realpath(path)  # references resolve from where the file is (a folder linked to is followed)
        shown = display_path(path)
    try:
        try:
            access = _Web(location) if is_url(spec) else _Files(root if root is not None else Path(location).parent)
            raw = access.read(location)
        except _Refused as exc:
            raise SpecError([Diagnostic(Severity.ERROR, Location(shown, 1, 1), f"cannot read spec: {exc.message}", exc.hint)]) from None
        doc = parse(raw, shown, _path(location, access), lenient=lenient, json_text=is_json(location, raw), location=access.show(location) if isinstance(access, _Web) else location)
        if not needs_bundling(raw):
            return doc
        return _Bundler(doc, location, access, lenient).run()
    finally:
        if isinstance(access, _Web):
            access.close()


class Kind(enum.Enum):
    """What an object of an OpenAPI document is, by where it stands: it decides what a reference to
    another file becomes (a schema is hoisted and named, anything else copied)."""

    ROOT = enum.auto()
    COMPONENTS = enum.auto()
    PATHS = enum.auto()
    PATH_ITEM = enum.auto()
    OPERATION = enum.auto()
    PARAMETERS = enum.auto()  # a list or a map of parameters
    PARAMETER = enum.auto()
    REQUEST_BODIES = enum.auto()
    REQUEST_BODY = enum.auto()
    CONTENT = enum.auto()
    MEDIA = enum.auto()
    RESPONSES = enum.auto()
    RESPONSE = enum.auto()
    HEADERS = enum.auto()
    HEADER = enum.auto()
    CALLBACKS = enum.auto()
    CALLBACK = enum.auto()
    SCHEMAS = enum.auto()  # a map or a list of schemas
    SCHEMA = enum.auto()
    OTHER = enum.auto()  # anything else: extensions, examples, security schemes, links
    DATA = enum.auto()  # values that are data (examples, defaults, enums): never references


_SCHEMA_KEYS = {
    **dict.fromkeys(("properties", "patternProperties", "definitions", "$defs", "dependentSchemas", "allOf", "anyOf", "oneOf", "prefixItems"), Kind.SCHEMAS),
    **dict.fromkeys(
        ("items", "additionalProperties", "not", "if", "then", "else", "contains", "propertyNames", "unevaluatedItems", "unevaluatedProperties", "additionalItems", "contentSchema"),
        Kind.SCHEMA,
    ),
    **dict.fromkeys(("example", "examples", "default", "enum", "const", "x-example"), Kind.DATA),
}
_TRANSITIONS: dict[Kind, dict[str, Kind]] = {
    Kind.ROOT: {"paths": Kind.PATHS, "webhooks": Kind.PATHS, "components": Kind.COMPONENTS, "definitions": Kind.SCHEMAS, "parameters": Kind.PARAMETERS, "responses": Kind.RESPONSES},
    Kind.COMPONENTS: {
        "schemas": Kind.SCHEMAS, "parameters": Kind.PARAMETERS, "responses": Kind.RESPONSES, "requestBodies": Kind.REQUEST_BODIES,
        "headers": Kind.HEADERS, "callbacks": Kind.CALLBACKS, "pathItems": Kind.PATHS,
    },
    Kind.PATH_ITEM: {"parameters": Kind.PARAMETERS, **dict.fromkeys(("get", "put", "post", "delete", "options", "head", "patch", "trace"), Kind.OPERATION)},
    Kind.OPERATION: {"parameters": Kind.PARAMETERS, "requestBody": Kind.REQUEST_BODY, "responses": Kind.RESPONSES, "callbacks": Kind.CALLBACKS},
    Kind.PARAMETER: {"schema": Kind.SCHEMA, "items": Kind.SCHEMA, "content": Kind.CONTENT, "example": Kind.DATA, "default": Kind.DATA, "enum": Kind.DATA, "x-example": Kind.DATA},
    Kind.REQUEST_BODY: {"content": Kind.CONTENT},
    Kind.MEDIA: {"schema": Kind.SCHEMA, "example": Kind.DATA},
    Kind.RESPONSE: {"schema": Kind.SCHEMA, "headers": Kind.HEADERS, "content": Kind.CONTENT, "examples": Kind.DATA},
    Kind.HEADER: {"schema": Kind.SCHEMA, "items": Kind.SCHEMA, "content": Kind.CONTENT, "example": Kind.DATA, "default": Kind.DATA, "enum": Kind.DATA},
    Kind.SCHEMA: _SCHEMA_KEYS,
}
#: Kinds whose members (other than x- extensions) are all of one kind.
_MEMBERS = {
    Kind.PATHS: Kind.PATH_ITEM, Kind.PARAMETERS: Kind.PARAMETER, Kind.REQUEST_BODIES: Kind.REQUEST_BODY, Kind.CONTENT: Kind.MEDIA,
    Kind.RESPONSES: Kind.RESPONSE, Kind.HEADERS: Kind.HEADER, Kind.CALLBACKS: Kind.CALLBACK, Kind.CALLBACK: Kind.PATH_ITEM, Kind.SCHEMAS: Kind.SCHEMA,
}


def _member(kind: Kind, key: str | int) -> Kind:
    if kind in _MEMBERS:
        return Kind.OTHER if isinstance(key, str) and key.startswith("x-") and kind is not Kind.SCHEMAS else _MEMBERS[kind]
    if kind is Kind.OTHER:
        return Kind.DATA if key in ("example", "default", "enum", "const", "x-example", "value") else Kind.OTHER
    if isinstance(key, int):
        return Kind.OTHER
    return _TRANSITIONS.get(kind, {}).get(key, Kind.OTHER)


class _Bundler:
    def __init__(self, root: Document, location: str, access: _Files | _Web, lenient: bool) -> None:
        self.root, self.location, self.access, self.lenient = root, location, access, lenient
        self.docs: dict[str, Document] = {location: root}
        self.bytes = 0
        self.copied = 0
        self.missing: list[str] = []
        self.problems: list[Diagnostic] = []
        self.warnings: list[Diagnostic] = []
        self.origins: dict[Pointer, tuple[Document, Pointer]] = {}
        self.swagger = str(root.data.get("swagger", "")) == "2.0"
        self.base: Pointer = ("definitions",) if self.swagger else ("components", "schemas")
        self.schemas = self._schemas()
        self.names: set[str] = {str(n) for n in self.schemas}
        self.hoisted: dict[tuple[str, Pointer], str] = {}
        self.pending: collections.deque[tuple[str, str, Pointer]] = collections.deque()  # hoisted schemas to walk: name, their file, pointer there
        self.placed: set[Pointer] = set()  # the root's own schemas that are stubs for another file's: walked as that file's

    def _schemas(self) -> dict[str, Any]:
        data = self.root.data
        if self.swagger:
            found = data.get("definitions")
            if not isinstance(found, dict):
                found = data["definitions"] = {} if found is None else found
        else:
            components = data.get("components")
            if components is None:
                components = data["components"] = {}
            found = components.get("schemas") if isinstance(components, dict) else {}
            if isinstance(components, dict) and found is None:
                found = components["schemas"] = {}
        return found if isinstance(found, dict) else {}

    def run(self) -> Document:
        # The root's own named schemas that are just a reference to another file's ("Task: {$ref: Task.yaml}")
        # take that schema in their place, under their name.
        for name, value in list(self.schemas.items()):
            if isinstance(value, dict) and set(value) == {"$ref"} and isinstance(value["$ref"], str):
                target = self._target(self.location, value["$ref"], (*self.base, name, "$ref"))
                if target is not None and target[0] != self.location and target not in self.hoisted:
                    self.hoisted[target] = name
                    self._place(name, target)
        self._walk(self.root.data, Kind.ROOT, self.location, ())
        while self.pending:
            name, location, _ = self.pending.popleft()
            here = (*self.base, name)
            self.schemas[name] = self._walk(self.schemas[name], Kind.SCHEMA, location, here)
        inputs = (*(d.inputs[0] for d in self.docs.values()), *((location, "") for location in dict.fromkeys(self.missing) if location not in self.docs))
        source = hashlib.sha256("\0".join(d.source for d in self.docs.values()).encode()).hexdigest()
        warnings = tuple(w for d in self.docs.values() for w in d.warnings) + tuple(self.warnings)
        errors = tuple(dict.fromkeys(self.problems))
        return Document(self.root.path, self.root.display, self.root.data, self.root.positions, warnings, self.lenient, source, self.origins, inputs, errors)

    def _place(self, name: str, target: tuple[str, Pointer]) -> None:
        """The schema at ``target`` becomes the root's schema ``name`` (walked later, as its file's)."""
        location, pointer = target
        _, value = lookup(self.docs[location].data, pointer)
        self.schemas[name] = copy.deepcopy(value)
        self.origins[(*self.base, name)] = (self.docs[location], pointer)
        self.placed.add((*self.base, name))
        self.pending.append((name, location, pointer))

    def _target(self, base: str, ref: str, at: Pointer, at_doc: Document | None = None) -> tuple[str, Pointer] | None:
        """Where ``ref`` (written in the file ``base``, at ``at`` of the bundled document) leads: the file's
        location and the pointer there, that file read; None, with a located error, when it cannot be followed."""
        parts = split_ref(ref)
        if parts is None:
            self._problem(at, f"$ref {ref!r}: the part after '#' is not a JSON pointer (it must start with '/')", "write '#/components/schemas/Name', or a file name alone")
            return None
        where, pointer = parts
        try:
            location = self.access.locate(base, where) if where else base
        except _Refused as exc:
            self._problem(at, exc.message, exc.hint)
            return None
        if location not in self.docs:
            if len(self.docs) >= MAX_FILES:
                self._problem(at, f"the spec reads over {MAX_FILES} files", "bundle the spec into fewer files")
                return None
            try:
                raw = self.access.read(location)
            except _Refused as exc:
                self._problem(at, exc.message, exc.hint)
                self.missing.append(location)  # --watch polls it: the run goes again once it is there
                return None
            self.bytes += len(raw)
            if self.bytes > MAX_TOTAL_BYTES:
                self._problem(at, f"the spec's files hold over {MAX_TOTAL_BYTES} bytes together", "split the API into several specs")
                return None
            try:
                shown = self.access.show(location)
                self.docs[location] = parse(raw, shown, _path(location, self.access), lenient=self.lenient, json_text=is_json(location, raw), whole=False, location=shown if isinstance(self.access, _Web) else location)
            except SpecError as exc:
                self.problems += exc.diagnostics
                return None
        doc = self.docs[location]
        found, _ = lookup(doc.data, pointer)
        if not found:
            self._problem(at, f"$ref {ref!r} does not resolve: {doc.display} has nothing at {format_pointer(pointer) or 'its top'}", _hint(doc.data, pointer))
            return None
        return location, pointer

    def _problem(self, at: Pointer, message: str, hint: str) -> None:
        self.problems.append(self._doc().error(at, message, hint))

    def _doc(self) -> Document:
        return Document(self.root.path, self.root.display, self.root.data, self.root.positions, (), self.lenient, "", self.origins)

    def _walk(self, value: Any, kind: Kind, location: str, here: Pointer, stack: tuple[tuple[str, Pointer], ...] = ()) -> Any:
        """``value`` (at ``here`` in the bundle, read from the file at ``location``) with every reference
        to another file made local; the value itself is replaced when it is such a reference to copy."""
        if kind is Kind.DATA or here in self.placed and location == self.location and here:
            return value
        if isinstance(value, dict):
            ref = value.get("$ref")
            if isinstance(ref, str) and kind not in (Kind.SCHEMAS, Kind.PATHS, Kind.PARAMETERS, Kind.RESPONSES, Kind.HEADERS, Kind.CONTENT):
                replaced = self._reference(value, ref, kind, location, here, stack)
                if replaced is not value:
                    return replaced
            if kind is Kind.SCHEMA and isinstance(value.get("discriminator"), dict):
                self._mapping(value["discriminator"], location, (*here, "discriminator"))
            for key, item in list(value.items()):
                if isinstance(item, (dict, list)):
                    value[key] = self._walk(item, _member(kind, key), location, (*here, key), stack)
        elif isinstance(value, list):
            member = _MEMBERS[kind] if kind in (Kind.SCHEMAS, Kind.PARAMETERS) else Kind.OTHER
            for index, item in enumerate(value):
                if isinstance(item, (dict, list)):
                    value[index] = self._walk(item, member, location, (*here, index), stack)
        return value

    def _reference(self, value: dict[str, Any], ref: str, kind: Kind, location: str, here: Pointer, stack: tuple[tuple[str, Pointer], ...]) -> Any:
        if location == self.location and ref.startswith("#"):
            return value  # the root's own local reference: validation checks it
        target = self._target(location, ref, (*here, "$ref"))
        if target is None:
            return value
        target_location, pointer = target
        if target_location == self.location:  # into the root file: a local reference
            if location != self.location or ref.partition("#")[0]:
                value["$ref"] = "#" + format_pointer(pointer)
            return value
        if kind is Kind.SCHEMA or (kind is Kind.OTHER and pointer[: len(self.base)] == self.base and len(pointer) > len(self.base)):
            value["$ref"] = self._schema_ref(target)
            return value
        if target in stack:
            self._problem((*here, "$ref"), f"$ref {ref!r} is part of a cycle of references between files that is not through a schema", "refer to one of them by a local reference, or break the cycle")
            return value
        _, found = lookup(self.docs[target_location].data, pointer)
        self.copied += _size(found)
        if self.copied > MAX_COPIED:
            self._problem((*here, "$ref"), f"the objects references copy add over {MAX_COPIED} values to the document", "refer to shared objects less often, or bundle the spec")
            return value
        copied = copy.deepcopy(found)
        if isinstance(copied, dict):  # a Reference Object's summary and description stand for the target's (3.1)
            copied.update((k, v) for k, v in value.items() if k != "$ref")
        self.origins[here] = (self.docs[target_location], pointer)
        return self._walk(copied, kind, target_location, here, (*stack, target))

    def _schema_ref(self, target: tuple[str, Pointer]) -> str:
        """The local reference for the schema at ``target``: into the schema it is part of when that one is
        hoisted already (``Tree.yaml#/properties/branch`` -> ``#/components/schemas/Tree/properties/branch``),
        else to its own, hoisted now."""
        location, pointer = target
        for cut in range(len(pointer) - 1, -1, -1):
            name = self.hoisted.get((location, pointer[:cut]))
            if name is not None:
                return "#" + format_pointer((*self.base, name, *pointer[cut:]))
        return "#" + format_pointer((*self.base, self._hoist(target)))

    def _hoist(self, target: tuple[str, Pointer]) -> str:
        """The root's name for the schema at ``target``, hoisted there the first time it is named."""
        if target in self.hoisted:
            return self.hoisted[target]
        location, pointer = target
        name = self._name(location, pointer)
        self.hoisted[target] = name
        self.names.add(name)
        self._place(name, target)
        return name

    def _name(self, location: str, pointer: Pointer) -> str:
        """A schema's name: its pointer's last token, or its file's name; when that is taken, qualified by
        the file's name (for a schema inside a file) and then its folders, nearest first; then numbered."""
        path = PurePosixPath(_path(location, self.access).as_posix())
        base = _NAME_CHARS.sub("_", str(pointer[-1]) if pointer else path.stem).strip("_") or "Schema"
        if base not in self.names:
            return base
        folders = _relative_parts(path, self.access)
        qualifiers = [path.stem] if pointer else []
        candidates = []
        for folder in [None, *reversed(folders)]:
            if folder is not None:
                qualifiers.insert(0, folder)
            if qualifiers:
                candidates.append(_NAME_CHARS.sub("_", "_".join([*qualifiers, base])))
        candidates += (f"{base}_{n}" for n in range(2, len(self.names) + 3))
        name = next(c for c in candidates if c not in self.names)
        doc = self.docs[location]
        self.warnings.append(
            doc.warning(pointer, f"schema {base!r} of {doc.display} is named {name!r} in the bundled document: {base!r} is taken", "rename one of the two schemas to choose the names yourself", code="renamed")
        )
        return name

    def _mapping(self, discriminator: dict[str, Any], location: str, here: Pointer) -> None:
        """A discriminator's mapping values that name another file's schema name the hoisted schema."""
        mapping = discriminator.get("mapping")
        if not isinstance(mapping, dict):
            return
        for key, ref in mapping.items():
            if not isinstance(ref, str) or ("/" not in ref and "#" not in ref and not ref.endswith((".yaml", ".yml", ".json"))):
                continue  # a schema's name
            if location == self.location and ref.startswith("#"):
                continue
            target = self._target(location, ref, (*here, "mapping", key))
            if target is None:
                continue
            if target[0] == self.location:
                if location != self.location or ref.partition("#")[0]:
                    mapping[key] = "#" + format_pointer(target[1])
            else:
                mapping[key] = self._schema_ref(target)


def _path(location: str, access: _Files | _Web) -> Path:
    """The path a location's suffix (JSON or YAML) is read from: a URL's path."""
    return Path(urllib.parse.unquote(urllib.parse.urlsplit(location).path)) if isinstance(access, _Web) else Path(location)


def _relative_parts(path: PurePosixPath, access: _Files | _Web) -> list[str]:
    """The folders of a file below the spec's root (or the URL's path), nearest last."""
    if isinstance(access, _Files):
        try:
            return list(PurePosixPath(Path(os.path.realpath(path)).relative_to(access.root).as_posix()).parent.parts)
        except ValueError:
            return list(path.parent.parts[-3:])
    return [p for p in path.parent.parts if p != "/"]


def _size(value: Any) -> int:
    count, stack = 0, [value]
    while stack:
        item = stack.pop()
        count += 1
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return count


def _hint(data: Any, pointer: Pointer) -> str:
    """The names beside the missing one, to pick from."""
    found, parent = lookup(data, pointer[:-1])
    if found and isinstance(parent, dict) and parent:
        names = sorted(str(k) for k in parent)[:8]
        return "it has: " + ", ".join(names)
    return "check the pointer after '#'"

