"""Stage 3's output: the connector model every target renders from.

Immutable, independent of the OpenAPI version it was read from, and complete:
Python-safe names are decided here, once (see ``naming``), so templates only
loop and print.  Nothing in a template changes this model.
"""

from __future__ import annotations

import enum
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any, ClassVar

from .pyformat import LINE_LENGTH
from .text import py_literal, py_str


class Kind(enum.Enum):
    STRING = "string"
    INTEGER = "integer"
    NUMBER = "number"
    BOOLEAN = "boolean"
    DATETIME = "date-time"  # datetime.datetime, RFC 3339 on the wire
    DATE = "date"  # datetime.date, ISO 8601 on the wire
    ARRAY = "array"
    MAP = "map"  # an object with only additionalProperties
    MODEL = "model"  # a named class (definition or inline object)
    ENUM = "enum"  # a generated enum class (open: unknown values decode too)
    UNION = "union"  # oneOf / anyOf / a 3.1 type list: one of ``members``
    ALIAS = "alias"  # a named type alias in models.py (a named union, or a recursive array or map)
    BINARY = "binary"  # bytes: a file upload or a binary response
    FILE = "file"  # a file field of an OpenAPI 3 multipart form: bytes, a binary file object or a File
    ANY = "any"  # no type given, or one that cannot be carried (warned about)


_SIMPLE_PYTHON = {
    Kind.STRING: "str",
    Kind.INTEGER: "int",
    Kind.NUMBER: "float",
    Kind.BOOLEAN: "bool",
    Kind.DATETIME: "datetime.datetime",
    Kind.DATE: "datetime.date",
    Kind.BINARY: "bytes",
    Kind.FILE: "bytes | IO[bytes] | File",  # client.py imports IO and File when it has file fields
    Kind.ANY: "Any",
}
_SIMPLE_CODEC = {
    Kind.STRING: "_serde.STR",
    Kind.INTEGER: "_serde.INT",
    Kind.NUMBER: "_serde.NUMBER",
    Kind.BOOLEAN: "_serde.BOOL",
    Kind.DATETIME: "_serde.DATETIME",
    Kind.DATE: "_serde.DATE",
    Kind.BINARY: "_serde.BYTES",
    Kind.FILE: "_serde.ANY",
    Kind.ANY: "_serde.ANY",
}

#: Where models.py.j2 writes a field's decoded value (``model.<attribute> = ...``) and its encoded one
#: (``result[<key>] = ...``): their indentation.
_DECODED_AT = " " * 16
_ENCODED_AT = " " * 12
#: A generated decoder's test of a JSON value that a field of the kind takes as it is.
_PLAIN_TESTS = {
    Kind.STRING: "type(value) is str",
    Kind.INTEGER: "type(value) is int",
    Kind.NUMBER: "type(value) is float or type(value) is int",
    Kind.BOOLEAN: "type(value) is bool",
}



@dataclass(frozen=True)
class Discriminator:
    """How a union's JSON object says which member it is: a property whose value maps to a member."""

    property: str  # the JSON key
    mapping: tuple[tuple[str, int], ...]  # (value, index of the member in the union)


@dataclass(frozen=True)
class TypeRef:
    """A use of a type: a primitive, a container of a type, a union, or a named class or alias."""

    kind: Kind
    format: str = ""
    item: TypeRef | None = None  # ARRAY and MAP: the item type; ENUM: the type of its values
    name: str = ""  # MODEL, ENUM and ALIAS: the Python name in models.py
    wire_name: str = ""  # MODEL, ENUM, ALIAS: the definition's name in the spec, "" for inline ones
    members: tuple[TypeRef, ...] = ()  # UNION
    discriminator: Discriminator | None = None  # UNION
    nullable: bool = False  # null is a valid value here (an array item, a map value, a union member)
    codec_name: str = ""  # ALIAS: the models.py constant that holds its codec

    @property
    def python(self) -> str:
        """The Python annotation for this type, inside models.py."""
        return self.python_in("")

    def python_in(self, prefix: str) -> str:
        """The annotation in a module that reaches generated classes through ``prefix`` (e.g. "models.")."""
        if self.kind in _SIMPLE_PYTHON:
            python = _SIMPLE_PYTHON[self.kind]
        elif self.kind is Kind.ARRAY:
            python = f"list[{self._item.python_in(prefix)}]"
        elif self.kind is Kind.MAP:
            python = f"dict[str, {self._item.python_in(prefix)}]"
        elif self.kind is Kind.UNION:
            python = " | ".join(dict.fromkeys(m.python_in(prefix) for m in self.members))
        else:
            python = prefix + self.name
        return f"{python} | None" if self.nullable and self.kind is not Kind.ANY else python

    def input_in(self, prefix: str) -> str:
        """The annotation of a method argument: an enum also takes its plain value."""
        if self.kind is Kind.ENUM:
            python = f"{prefix}{self.name} | {self._item.python_in(prefix)}"
            return f"{python} | None" if self.nullable else python
        if self.kind is Kind.ARRAY and self._item.kind is Kind.FILE:  # a list[bytes] is a Sequence of uploads; not a list of them
            python = f"Sequence[{self._item.python_in(prefix)}]"
            return f"{python} | None" if self.nullable else python
        return self.python_in(prefix)

    @property
    def codec(self) -> str:
        """The expression, in generated models.py, of this type's codec in _serde."""
        return self.codec_in("")

    def codec_in(self, prefix: str) -> str:
        """This type's codec expression in a module that reaches generated classes through ``prefix``."""
        if self.kind in _SIMPLE_CODEC:
            codec = _SIMPLE_CODEC[self.kind]
        elif self.kind is Kind.ARRAY:
            codec = f"_serde.ListOf({self._item.codec_in(prefix)})"
        elif self.kind is Kind.MAP:
            codec = f"_serde.MapOf({self._item.codec_in(prefix)})"
        elif self.kind is Kind.ENUM:
            codec = f"_serde.EnumOf(lambda: {prefix}{self.name})"
        elif self.kind is Kind.ALIAS:
            codec = f"_serde.Lazy(lambda: {prefix}{self.codec_name})"
        elif self.kind is Kind.UNION:
            members = ", ".join(m.codec_in(prefix) for m in self.members)
            codec = f"_serde.OneOf(({members})"
            if self.discriminator is not None:
                mapping = ", ".join(f"{py_literal(value)}: {index}" for value, index in self.discriminator.mapping)
                codec += f", discriminator={py_literal(self.discriminator.property)}, mapping={{{mapping}}}"
            codec += ")"
        else:
            codec = f"_serde.ModelOf(lambda: {prefix}{self.name})"
        return f"_serde.Nullable({codec})" if self.nullable and self.kind is not Kind.ANY else codec

    @property
    def docs(self) -> str:
        """The type as Microsoft's reference pages write it: 'string', 'date-time', 'array of object'."""
        if self.kind is Kind.ANY:
            return ""
        if self.kind is Kind.ARRAY:
            inner = self._item.docs or "any"
            return f"array of {inner}"
        if self.kind is Kind.MAP:
            return "object"
        if self.kind in (Kind.MODEL, Kind.ALIAS):
            return self.wire_name or "object"
        if self.kind is Kind.ENUM:
            return self.wire_name or self._item.docs
        if self.kind is Kind.UNION:
            return " or ".join(dict.fromkeys(m.docs or "any" for m in self.members))
        if self.kind is Kind.INTEGER:
            return "integer"  # Microsoft's pages show the type of an integer, not its format (int32, int64)
        if self.kind is Kind.FILE:
            return "binary"
        return self.format or self.kind.value

    def walk(self) -> Iterator[TypeRef]:
        """This type and every type inside it (items, members)."""
        yield self
        if self.item is not None:
            yield from self.item.walk()
        for member in self.members:
            yield from member.walk()

    @property
    def _item(self) -> TypeRef:
        assert self.item is not None, f"{self.kind} without an item type"
        return self.item


def doc_line(title: str, wire_name: str, description: str) -> str:
    """One line for docstrings: the display name (when it says more than the key), then the description."""
    title = title if title and title != wire_name else ""
    if title and description:
        return f"{title}{'' if title[-1] in '.:!?' else '.'} {description}"
    return title or description or wire_name


@dataclass(frozen=True)
class EnumMember:
    python_name: str
    value: str | int


@dataclass(frozen=True)
class EnumClass:
    """An enum in models.py: of strings or of integers, open to values the spec does not list."""

    python_name: str
    description: str
    members: tuple[EnumMember, ...]
    integer: bool = False
    wire_name: str = ""  # the definition's name, "" for an inline enum

    @property
    def base(self) -> str:
        return "_serde.OpenIntEnum" if self.integer else "_serde.OpenStrEnum"


@dataclass(frozen=True)
class TypeAlias:
    """A named type in models.py that is not a class: ``Pet: TypeAlias = Cat | Dog``, and its codec."""

    python_name: str
    wire_name: str
    description: str
    target: TypeRef
    codec_name: str  # the module constant holding the codec: _PET_CODEC
    #: A name of models.py that the target uses and that is defined later or is this alias:
    #: the alias is then written as a string, which mypy reads and Python does not evaluate.
    forward: bool = False


@dataclass(frozen=True)
class Field:
    wire_name: str
    python_name: str
    type: TypeRef
    required: bool
    nullable: bool
    title: str  # x-ms-summary or title
    description: str

    @property
    def doc(self) -> str:
        return doc_line(self.title, self.wire_name, self.description)

    #: A union member's discriminator property: the values its unions map the member to (the first is
    #: its default), typed as a ``Literal`` of them; () for any other field.
    literal: tuple[str, ...] = ()

    @property
    def unset(self) -> bool:
        """Optional and nullable: left out (``UNSET``, its default) is told apart from null (``None``)."""
        return not self.required and self.nullable and not self.literal

    @property
    def annotation(self) -> str:
        if self.literal:
            return "Literal[" + ", ".join(py_literal(v) for v in self.literal) + "]"
        python = self.type.python
        if not ((self.required and not self.nullable) or python.endswith(" | None")):
            python = f"{python} | None"
        return f"{python} | Unset" if self.unset else python

    @property
    def default(self) -> str | None:
        """The field's default in models.py, as Python: None for a required field."""
        if self.literal:
            return py_literal(self.literal[0])
        if self.required:
            return None
        return "UNSET" if self.unset else "None"

    @property
    def codec(self) -> str:
        """The field's codec in models.py: a discriminator property checks its value."""
        if self.literal:
            return "_serde.Const(" + ", ".join(py_literal(v) for v in self.literal) + ")"
        return self.type.codec

    # What the model's generated ``_decode_json`` and ``to_dict`` write for this field (see models.py.j2):
    # a JSON value, ``value``, that passes ``decode_test`` becomes ``decode_value``; a set value becomes
    # ``encode_value``.  Kinds not written out here go through the class's table (``_decode_field``).

    @property
    def null_decodes(self) -> bool:
        """Null is a value of the field's codec (``Nullable``): it decodes to None, and None is written."""
        return not self.literal and self.type.nullable and self.type.kind is not Kind.ANY

    @property
    def writes_null(self) -> bool:
        """``to_dict`` writes None as null (else it leaves the key out)."""
        return self.required or self.null_decodes

    @property
    def decode_test(self) -> str:
        return self._decoding()[0]

    @property
    def decode_value(self) -> str:
        return self._decoding()[1]

    @property
    def encode_value(self) -> str:
        return self._decoding()[2]

    def _decoding(self) -> tuple[str, str, str]:
        """(decode_test, decode_value, encode_value); not cached: a model's parts are keyed by its pickle."""
        kind, item = self.type.kind, self.type.item
        key = py_literal(self.wire_name)
        by_table = f"cls._decode_field({key}, value)", f"self._encode_field({key}, value)"
        if self.literal:
            test, decode, encode = "type(value) is str", by_table[0], "value"
        elif kind in _PLAIN_TESTS:
            test, decode, encode = _PLAIN_TESTS[kind], "value", "value"
        elif kind in (Kind.DATETIME, Kind.DATE):
            codec = _SIMPLE_CODEC[kind]
            test, decode, encode = "type(value) is str", f"{codec}._decode(value)", f"{codec}.encode(value)"
        elif kind is Kind.ENUM and item is not None and item.kind in (Kind.STRING, Kind.INTEGER):
            test, decode, encode = _PLAIN_TESTS[item.kind], f"{self.type.name}._decode(value)", "_serde._enum_to_json(value)"
        elif kind is Kind.MODEL:
            test, decode, encode = "type(value) is dict", f"{self.type.name}._decode_json(value)", "_serde._model_to_json(value)"
        elif kind is Kind.ARRAY and item is not None and item.kind is Kind.MODEL and not item.nullable:
            test, decode = "type(value) is list", f"[{item.name}._decode_json(item) for item in value]"
            encode = "_serde._models_to_json(value)"
        else:
            test, decode, encode = "value is not None", *by_table
        # A line longer than black's limit would send the whole method through black (slow, for a large
        # document's hundreds of models): a value whose line would be is left to the table instead.
        if len(f"{_DECODED_AT}model.{self.python_name} = {decode}") > LINE_LENGTH:
            decode = by_table[0]
        if len(f"{_ENCODED_AT}result[{key}] = {encode}") > LINE_LENGTH:
            encode = by_table[1]
        return test, self._split(decode, f"{_DECODED_AT}model.{self.python_name} = "), self._split(encode, f"{_ENCODED_AT}result[{key}] = ")

    @staticmethod
    def _split(value: str, before: str) -> str:
        """``value`` (written after ``before``) as black writes it: a call to the table whose line is too
        long gets its arguments on a line of their own."""
        if len(before + value) <= LINE_LENGTH or not value.endswith(", value)"):
            return value
        indent = " " * (len(before) - len(before.lstrip()))
        call, arguments = value[: -len(")")].split("(", 1)
        return f"{call}(\n{indent}    {arguments}\n{indent})"


@dataclass(frozen=True)
class Model:
    """A class in models.py: a definition, or an inline object inside one."""

    python_name: str
    wire_name: str  # the definition's name, or its dotted path for inline objects
    description: str
    fields: tuple[Field, ...]

    @property
    def required_fields(self) -> tuple[Field, ...]:
        """The fields without a default (a discriminator property has one: its value)."""
        return tuple(f for f in self.fields if f.default is None)

    @property
    def optional_fields(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.default is not None)

    @property
    def example_arguments(self) -> str:
        """The constructor's required arguments, for examples: ``name=..., url=...``."""
        return ", ".join(f"{f.python_name}=..." for f in self.required_fields)


@dataclass(frozen=True)
class DocRow:
    """One row of a definition's table in the docs: a flattened, dotted property path."""

    title: str
    path: str
    type: str
    description: str


@dataclass(frozen=True)
class DocParameter:
    """One row of an operation's Parameters table in the docs (an object body gives one per leaf)."""

    title: str
    key: str
    required: bool
    type: str
    description: str

    @property
    def docs_required(self) -> str:
        """The Required cell as Microsoft's pages fill it: True, or nothing."""
        return "True" if self.required else ""


@dataclass(frozen=True)
class DocReturns:
    """An operation's Returns section in the docs: a dynamic output, an inline object's rows, or one value."""

    dynamic: bool = False  # "The outputs of this operation are dynamic."
    rows: tuple[DocRow, ...] = ()  # an inline object, flattened
    label: str = ""  # one value: "Body", "response" or its x-ms-summary
    type: str = ""  # ... its type, or the definition's name
    definition: bool = False  # ... a definition: linked to its section
    anchor: str = ""  # ... that section's HTML id
    description: str = ""  # ... the definition's description, said above it


@dataclass(frozen=True)
class Definition:
    """A definition as the docs show it."""

    name: str
    description: str
    rows: tuple[DocRow, ...]
    anchor: str = ""  # the HTML id of its section in the docs
    values: tuple[str, ...] = ()  # an enum's values, as the wire has them


class Location(enum.Enum):
    PATH = "path"
    QUERY = "query"
    HEADER = "header"
    BODY = "body"  # a property of a JSON object body
    WHOLE_BODY = "whole-body"  # the body itself (not an object)
    MODEL_BODY = "model-body"  # an object body given whole, as its model; BODY arguments given too override its fields
    FORM = "formData"  # a form field: a 2.0 formData parameter (bytes values make the request multipart), or a field of a 3.x form body


@dataclass(frozen=True)
class FormPart:
    """How a value is written on the wire, as the document says: a field of an OpenAPI 3 form body (its
    ``encoding`` entry), a query, path or header parameter (its style and explode, 2.0's
    ``collectionFormat``, or ``content``), or a raw request body (its media type)."""

    #: A multipart part's Content-Type ("" = by the value: text, JSON, or a file's); a parameter with
    #: ``content``: its media type (a JSON one: the value as JSON text); a raw body's Content-Type.
    content_type: str = ""
    headers: tuple[tuple[str, str], ...] = ()  # multipart: fixed headers of the part
    #: "" or "form": the location's default (form in a query or form body, simple in a path or header);
    #: spaceDelimited, pipeDelimited, tabDelimited (2.0's tsv), deepObject, label or matrix.
    style: str = "form"
    #: None: the style's default (true for form only).
    explode: bool | None = True

    @property
    def runtime_arguments(self) -> str:
        """The keyword arguments of the runtime's Param that say what differs from the defaults: ``, style="deepObject"``."""
        parts = []
        if self.content_type:
            parts.append(f"content_type={py_literal(self.content_type)}")
        if self.headers:
            parts.append(f"part_headers={py_literal(self.headers)}")
        if self.style not in ("", "form"):
            parts.append(f"style={py_literal(self.style)}")
        if self.style != "deepObject" and (self.explode is False or (self.explode is True and self.style not in ("", "form"))):
            parts.append(f"explode={self.explode}")
        return "".join(", " + part for part in parts)


@dataclass(frozen=True)
class DynamicValues:
    """x-ms-dynamic-values / x-ms-dynamic-list: a helper that asks another operation for a parameter's allowed values."""

    python_name: str  # the helper method
    operation: str  # the Python name of the operation it calls
    #: Arguments of that call: (its argument, "const" or "parameter", a JSON constant or this operation's argument).
    arguments: tuple[tuple[str, str, Any], ...]
    collection: tuple[str, ...]  # path of the list in the response ("" = the body)
    value_path: tuple[str, ...]
    title_path: tuple[str, ...]
    inputs: tuple[str, ...]  # this operation's arguments the helper needs

    @property
    def example_arguments(self) -> str:
        """The helper's arguments, for examples: ``folder=..., kind=...``."""
        return ", ".join(f"{name}=..." for name in self.inputs)

    @property
    def argument_expressions(self) -> tuple[tuple[str, str], ...]:
        """(argument, Python expression in the helper's body): an input's name, or a literal constant."""
        return tuple((key, value if kind == "parameter" else py_literal(value)) for key, kind, value in self.arguments)


@dataclass(frozen=True)
class Parameter:
    wire_name: str
    python_name: str
    location: Location
    required: bool
    type: TypeRef
    title: str
    description: str
    #: x-ms-visibility: internal with a default: not an argument, always sent with ``default``.
    internal: bool = False
    default: Any = None
    dynamic: DynamicValues | None = None
    #: x-ms-url-encoding: double: a path value is percent-encoded twice.
    double_encoded: bool = False
    #: x-ms-dynamic-schema: the shape is decided by another call at run time; typed loosely, documented.
    dynamic_schema: bool = False
    #: How its value is written (None: the defaults): a form field's part or pair, a parameter's style,
    #: a raw body's content type.
    part: FormPart | None = None
    #: What its schema says a value must be besides its type, as JSON Schema 2020-12 keywords
    #: (``minimum``, ``maxLength``, ``pattern``...): the client does not check them; the MCP server's input
    #: schema and descriptions show them to agents.
    constraints: tuple[tuple[str, Any], ...] = ()

    @property
    def default_literal(self) -> str:
        """``default`` as a Python literal, in black's style."""
        return py_literal(self.default)

    @property
    def docs_default(self) -> str:
        """``default`` as the docs page shows it (Python's repr, as the page always has)."""
        return repr(self.default)

    @property
    def sends_null(self) -> bool:
        """A property of the JSON body that may be null: None is sent as null."""
        return self.location is Location.BODY and self.type.nullable

    @property
    def unset(self) -> bool:
        """Optional and may be null: left out (``_serde.UNSET``, its default) is told apart from null (None)."""
        return self.sends_null and not self.required

    @property
    def argument_default(self) -> str | None:
        """The default of the method's argument, as Python in client.py: None for a required one."""
        if self.required:
            return None
        return "_serde.UNSET" if self.unset else "None"

    @property
    def runtime_param(self) -> str:
        """Its ``_runtime.Param(...)`` among client.py's operation constant's ``params`` (on one line: the
        template's ``py_tuple`` lays it out); made here, not in the template, as it is made ~13,000 times for
        Kubernetes."""
        options = (", double_encoded=True" if self.double_encoded else "") + (", nullable=True" if self.sends_null else "")
        if self.part is not None:
            options += self.part.runtime_arguments
        where, codec = py_str(self.location.value), self.type.codec_in("models.")
        return f"_runtime.Param({py_str(self.python_name)}, {py_str(self.wire_name)}, {where}, {self.required}, {codec}{options})"

    def annotation_in(self, prefix: str) -> str:
        python = self.type.input_in(prefix)
        python = python if self.required or python.endswith(" | None") else f"{python} | None"
        return f"{python} | _serde.Unset" if self.unset else python

    @property
    def doc(self) -> str:
        return doc_line(self.title, self.wire_name, self.description)


@dataclass(frozen=True)
class Response:
    status: str  # "200", "204", "4XX", "default"
    description: str
    type: TypeRef | None  # None: no body (a stream of events: the type of each event's data)
    media: str = ""  # the body's media type, as the document gives it ("" when it gives none)

    @property
    def is_error(self) -> bool:
        """Not a 1xx, 2xx or 3xx: the body of an error (``default`` included)."""
        return self.status[:1] not in ("1", "2", "3")


@dataclass(frozen=True)
class TriggerPolicy:
    """How a polling trigger finds new items."""

    items_path: tuple[str, ...]  # keys from the response body to the item array
    next_link: tuple[str, ...]  # keys from the response body to the next page's URL; () for none
    item_type: TypeRef
    identity: Field
    order: Field
    filter: Field | None
    poll_interval_seconds: float
    constant: str = ""  # its module constant in client.py

    @property
    def temporal(self) -> bool:
        """The order field holds date-times: the client compares the instants, not the text."""
        return self.order.type.kind in (Kind.DATETIME, Kind.DATE)


#: A value made of literal text and connection parameter references: (("text", "Bearer "), ("connection", "token")).
Template = tuple[tuple[str, str], ...]


class PolicyKind(enum.Enum):
    HEADER = "header"
    QUERY = "query"
    PROPERTY = "property"  # a property of the JSON body


@dataclass(frozen=True)
class RequestPolicy:
    """A Power Platform policy the client carries out on each request of an operation."""

    kind: PolicyKind
    name: str
    value: Template
    override: bool = True


@dataclass(frozen=True)
class Pager:
    """A helper that yields the items of every page (``iter_<operation>``), the way the API pages:

    - ``next-link``: the body holds the next page's URL (x-ms-pageable, a next link property);
    - ``link-header``: an RFC 8288 ``Link`` header with ``rel="next"`` names it;
    - ``cursor``: the body holds a cursor (or the last item's ``last_item`` field is one), sent back in a
      query parameter;
    - ``page``: a page-number parameter counts up from ``start``; ``offset``: an offset parameter advances by
      the items received. Both end at an empty page.
    ``more``: a boolean in the body that is false on the last page (any style).
    """

    python_name: str  # the helper method: iter_<operation>
    items_path: tuple[str, ...]  # "value" by default
    next_link: tuple[str, ...]  # next-link: the next page's URL; cursor: the next cursor
    item_type: TypeRef
    style: str = "next-link"
    last_item: str = ""  # cursor: the field of the last item that is the next cursor (Stripe's starting_after)
    parameter: str = ""  # cursor, page, offset: the Python name of the argument set for each next page
    wire_parameter: str = ""  # ... and its name in the document
    more: tuple[str, ...] = ()
    start: int = 1  # page: the first page's number, when the call names none
    origin: str = ""  # where the style comes from: an extension's name (builder/paging.py), or "inferred"

    @property
    def runtime_arguments(self) -> str:
        """The arguments of the run-time ``_runtime.Paging`` that carries it out."""
        parts = [py_literal(self.style), py_literal(self.items_path)]
        for name, value, default in (
            ("next", self.next_link, ()),
            ("last_item", self.last_item, ""),
            ("parameter", self.parameter, ""),
            ("more", self.more, ()),
            ("start", self.start, 1),
        ):
            if value != default:
                parts.append(f"{name}={py_literal(value)}")
        return ", ".join(parts)

    @property
    def how(self) -> str:
        """How it finds the next page, in words for its docstring."""
        if self.style == "link-header":
            return 'following the next link of the Link header (rel="next")'
        if self.style == "cursor":
            source = f"the last item's {self.last_item}" if self.last_item else "the cursor " + ".".join(self.next_link)
            return f"sending {source} back as {self.wire_parameter}"
        if self.style == "page":
            return f"counting {self.wire_parameter} up until a page is empty"
        if self.style == "offset":
            return f"advancing {self.wire_parameter} by the items received until a page is empty"
        return "following the next link " + ".".join(self.next_link)


@dataclass(frozen=True)
class OperationDocs:
    """An operation as the docs page shows it, by the rules of Microsoft's pages (see docsview)."""

    parameters: tuple[DocParameter, ...] = ()
    returns: DocReturns | None = None  # None: no Returns section (no body)
    references: tuple[str, ...] = ()  # definitions the output refers to directly
    family: str = ""  # x-ms-api-annotation family and revision: versions of one action
    revision: int = 0
    successor: Link | None = None  # a deprecated operation's replacement


@dataclass(frozen=True)
class ServerVariable:
    """A ``{variable}`` of a server URL template, and the constructor argument that fills it."""

    wire_name: str  # as the URL writes it
    python_name: str  # the client constructor's keyword argument
    default: str | None  # None: the document gives none (the caller must)
    enum: tuple[str, ...]  # the values it may take; () = any
    description: str


@dataclass(frozen=True)
class Server:
    """A Server Object: of the document (the client's choice of server), or an operation's own."""

    url: str  # as the document writes it: a template, maybe relative
    description: str
    variables: tuple[ServerVariable, ...] = ()
    #: What ``server=`` accepts besides the index: the description, when it is one short line and unique.
    name: str = ""
    pointer: tuple[str | int, ...] = ()  # where the document has it (for diagnostics)

    @property
    def default_url(self) -> str:
        """The URL with each variable's default in place (a variable without one stays ``{name}``)."""
        url = self.url
        for v in self.variables:
            if v.default is not None:
                url = url.replace("{" + v.wire_name + "}", v.default)
        return url

    @property
    def relative(self) -> bool:
        return "://" not in self.url


@dataclass(frozen=True)
class ServerArgument:
    """A constructor argument filling the server variables of one name (in every server that has it)."""

    python_name: str
    wire_name: str
    enum: tuple[str, ...]  # the values it may take (every server declaring it has an enum); () = any string
    default: str | None  # the one default every server declaring it gives; None: each server's own
    description: str

    @property
    def annotation(self) -> str:
        python = "Literal[" + ", ".join(py_literal(v) for v in self.enum) + "]" if self.enum else "str"
        return python if self.default is not None else python + " | None"

    @property
    def default_literal(self) -> str:
        return py_literal(self.default)


@dataclass(frozen=True)
class Operation:
    operation_id: str
    python_name: str
    method: str  # upper case
    path: str  # the URL path template, without any '#label'
    summary: str
    description: str
    parameters: tuple[Parameter, ...]
    responses: tuple[Response, ...]
    trigger: TriggerPolicy | None
    deprecated: bool
    anchor: str = ""  # the HTML id of its section in the docs
    route: str = ""  # routerequesttoendpoint: the path actually requested, when it differs from ``path``
    policies: tuple[RequestPolicy, ...] = ()
    pager: Pager | None = None
    #: x-ms-trigger on a polling operation that follows Power Platform's polling protocol: "batch" or "single".
    protocol_trigger: str = ""
    #: x-ms-notification-url: a webhook trigger, registered by calling the operation.
    webhook: bool = False
    #: The module constant in client.py that describes the operation to the runtime.
    constant: str = ""
    #: Standard security: alternatives, each the connection parameters it sends (() = none);
    #: None = every credential the client was given.
    security: tuple[tuple[str, ...], ...] | None = None
    #: An object body that is a model: the action also takes it whole (``body=models.X(...)``).
    body_model: Parameter | None = None
    #: x-ms-visibility: internal — a helper of the connector; the client has it, the docs page does not.
    hidden: bool = False
    #: x-ms-visibility: advanced — a less common action (the MCP server leaves it out unless asked).
    advanced: bool = False
    #: The document's tags of the operation, in its order.
    tags: tuple[str, ...] = ()
    #: x-ms-api-annotation status Preview: the docs title says so.
    preview: bool = False
    #: What the docs page shows of it (docsview).
    docs: OperationDocs = OperationDocs()
    #: An OpenAPI 3 form body: "multipart/form-data" or "application/x-www-form-urlencoded"; its fields are FORM parameters.
    form: str = ""
    #: The query string of a path key that has one (``/responses?beta=true``): always sent, not an argument.
    fixed_query: str = ""
    #: No operationId in the document: ``operation_id`` is the name derived from the method and path.
    derived_id: bool = False
    #: The key of its path item as the document writes it (``/responses?beta=true``, ``/items#v2``).
    path_key: str = ""

    @property
    def request_line(self) -> str:
        """Its method and path as the document gives them (the fixed query kept, a ``#label`` not): the docs say it."""
        return f"{self.method} {self.path}?{self.fixed_query}" if self.fixed_query else f"{self.method} {self.path}"

    @property
    def request_path(self) -> str:
        """The path the client requests (its route, when a policy gives one), with the fixed query."""
        path = self.route or self.path
        return f"{path}?{self.fixed_query}" if self.fixed_query else path
    #: How the client hands over a successful response's body: "" decoded whole; "events" a stream of
    #: server-sent events (text/event-stream), each event's data of ``result_type``; "download" the bytes as
    #: they arrive (a binary body).
    stream: str = ""
    #: (path key as the document writes it, method): the operation of the document it was made from
    #: (pipeline checks that every operation of the document is there).
    spec_key: tuple[str, str] = ("", "")
    #: Its own server (path- or operation-level ``servers``, the first), None: the client's.
    server: Server | None = None
    #: A deprecated operation's successor (see ``docs.successor``): its method's name.
    successor_method: str = ""

    @property
    def deprecation_warning(self) -> str:
        """What calling a deprecated operation warns (its successor's method, where the document has one)."""
        instead = f": use {self.successor_method} instead" if self.successor_method else ""
        return f"{self.python_name} is deprecated (the connector's document says so){instead}"

    @property
    def docs_title(self) -> str:
        """The title as Microsoft's pages write it: the summary, " (Preview)", " [DEPRECATED]"."""
        title = f"{self.display_name} (Preview)" if self.preview else self.display_name
        return f"{title} [DEPRECATED]" if self.deprecated else title

    @property
    def display_name(self) -> str:
        return self.summary or self.operation_id

    @property
    def is_trigger(self) -> bool:
        return self.trigger is not None or bool(self.protocol_trigger) or self.webhook

    @property
    def success(self) -> Response | None:
        """The first 2xx response that declares a body, else the first 2xx response."""
        ok = [r for r in self.responses if r.status.startswith("2")]
        with_body = [r for r in ok if r.type is not None]
        candidates = with_body or ok
        return candidates[0] if candidates else None

    @property
    def result_type(self) -> TypeRef | None:
        success = self.success
        return success.type if success else None

    @property
    def may_return_empty(self) -> bool:
        """True when some 2xx response has no body (e.g. 204)."""
        return any(r.status.startswith("2") and r.type is None for r in self.responses)

    def protocol_item(self, models: tuple[Model, ...]) -> TypeRef:
        """The type of one item of a polling-protocol trigger: the array's item, a "value" array's item, or the body."""
        result = self.result_type or TypeRef(Kind.ANY)
        if self.protocol_trigger != "batch":
            return result
        if result.kind is Kind.ARRAY and result.item is not None:
            return result.item
        model = next((m for m in models if result.kind is Kind.MODEL and m.python_name == result.name), None)
        value = next((f for f in model.fields if f.wire_name == "value"), None) if model else None
        if value is not None and value.type.kind is Kind.ARRAY and value.type.item is not None:
            return value.type.item
        return TypeRef(Kind.ANY)

    def trigger_annotation(self, models: tuple[Model, ...]) -> str:
        """What a trigger method returns, for docs: PollingTrigger[...], ProtocolTrigger[...] or Subscription[...]."""
        if self.trigger is not None:
            return f"PollingTrigger[{self.trigger.item_type.python_in('models.')}]"
        if self.protocol_trigger:
            return f"ProtocolTrigger[{self.protocol_item(models).python_in('models.')}]"
        return f"Subscription[{self.return_annotation_in('models.')}]"

    @property
    def error_responses(self) -> tuple[Response, ...]:
        """The responses whose body an error carries: a status, a range (``4XX``) or ``default``."""
        return tuple(r for r in self.responses if r.is_error)

    @property
    def error_bodies_typed(self) -> bool:
        """Some error response declares a body: the error raised decodes it."""
        return any(r.type is not None for r in self.error_responses)

    @property
    def send_method(self) -> str:
        """The sender's entry point the client method calls: a stream or download is opened, not read whole."""
        return "send_stream" if self.stream else "send"

    @property
    def accept(self) -> str:
        """The Accept header of a stream or download: its media type (any, for a download that names none,
        or only JSON: a 2.0 document's ``produces`` often lists JSON for a ``type: file`` response)."""
        success = self.success
        if self.stream == "events":
            return "text/event-stream"
        media = success.media if success is not None else ""
        return "*/*" if not media or "json" in media.lower() else media

    def return_annotation_in(self, prefix: str, asynchronous: bool = False) -> str:
        if self.stream == "download":
            return "_runtime.AsyncDownload" if asynchronous else "_runtime.Download"
        if self.stream == "events":
            item = self.result_type.python_in(prefix) if self.result_type is not None else "str"
            return f"_runtime.{'AsyncEventStream' if asynchronous else 'EventStream'}[{item}]"
        result = self.result_type
        if result is None:
            return "None"
        python = result.python_in(prefix)
        return f"{python} | None" if self.may_return_empty and not python.endswith(" | None") else python

    @property
    def example_arguments(self) -> str:
        """The required arguments of a call, for examples: ``room_id=..., message=...``."""
        return ", ".join(f"{p.python_name}=..." for p in self.python_parameters if p.required)

    @property
    def model_parameters(self) -> tuple[Parameter, ...]:
        """The arguments when the body is given as its model: the others, and the model (required)."""
        assert self.body_model is not None
        others = tuple(p for p in self.python_parameters if p.location is not Location.BODY)
        return tuple(sorted((*others, replace(self.body_model, required=True)), key=lambda p: not p.required))

    @property
    def all_parameters(self) -> tuple[Parameter, ...]:
        """The implementation's arguments when there is a body model: every body field optional, and the model."""
        if self.body_model is None:
            return self.python_parameters
        loose = tuple(replace(p, required=False) if p.location is Location.BODY else p for p in self.python_parameters)
        return tuple(sorted((*loose, self.body_model), key=lambda p: not p.required))

    @property
    def python_parameters(self) -> tuple[Parameter, ...]:
        """The method's arguments: required first, then optional; internal parameters are not arguments."""
        return tuple(sorted((p for p in self.parameters if not p.internal), key=lambda p: not p.required))



@dataclass(frozen=True)
class ThrottleLimit:
    name: str
    scope: str  # "connection" or "trigger-poll"
    calls: int
    renewal_period_seconds: float


class Auth(enum.Enum):
    """How the client sends a connection parameter."""

    VALUE = "value"  # in a header, the query or a cookie, formatted
    BEARER = "bearer"  # Authorization: Bearer; a token or a callable returning one
    BASIC_USER = "basic-user"  # the two halves of HTTP basic
    BASIC_PASSWORD = "basic-password"
    NONE = ""  # not sent by the client itself: kept for policies and documented


@dataclass(frozen=True)
class OAuthArgument:
    """A keyword-only constructor argument of an OAuth 2 credential (its name decided in security.py)."""

    role: str  # client_id, client_secret, refresh_token, token_url, scopes, tenant, token_auth, allow_insecure_token_url
    python_name: str
    env_var: str  # its default's environment variable, "" for none
    annotation: str
    default: str  # a Python literal
    description: str


@dataclass(frozen=True)
class OAuth:
    """How the client obtains and renews the access token a ``Bearer`` connection parameter carries:
    the client-credentials grant and the refresh-token grant at ``token_url``."""

    provider: str  # "oauth2" (a security scheme), or a Power Platform identity provider (aad, oauth2generic, ...)
    token_url: str  # absolute, relative to the base URL, or "" (the caller passes it); "{tenant}" is filled in
    scopes: tuple[str, ...]  # requested unless the caller passes others
    tenant: str = ""  # aad: the default tenant
    arguments: tuple[OAuthArgument, ...] = ()

    def argument(self, role: str) -> OAuthArgument | None:
        return next((a for a in self.arguments if a.role == role), None)


@dataclass(frozen=True)
class ConnectionParameter:
    name: str
    python_name: str
    type: str  # securestring, string
    display_name: str
    description: str
    link: str
    required: bool
    secret: bool  # redacted from messages and logs
    header: str  # where it is sent: a header name, or "" for query
    query: str
    value_format: str  # e.g. "Bearer {token}"
    env_var: str
    auth: Auth = Auth.VALUE
    identity_provider: str = ""  # oauthSetting
    scopes: tuple[str, ...] = ()
    cookie: str = ""  # an API key sent as this cookie
    #: The standard security scheme this parameter carries ("" for connector connection parameters).
    scheme: str = ""
    #: A Bearer token the client can also fetch itself (client credentials, refresh token): how.
    oauth: OAuth | None = None

    @property
    def annotation(self) -> str:
        return "str | Callable[[], str] | None" if self.auth is Auth.BEARER else "str | None"

    @property
    def sent_in(self) -> tuple[str, str]:
        """Where the client sends it, for docs: ("header", "X-API-Key"), ("query parameter", "key"), ("cookie", "SESSION"); ("", "") for nowhere."""
        if self.header:
            return ("header", self.header)
        if self.query:
            return ("query parameter", self.query)
        if self.cookie:
            return ("cookie", self.cookie)
        return ("", "")

    @property
    def runtime_format(self) -> str:
        """``value_format`` as the client's runtime takes it: "Bearer {token}" -> "Bearer {value}"."""
        return self.value_format.replace("{" + self.name + "}", "{value}")

    @property
    def docs_description(self) -> str:
        """The description, with what OAuth needs: the identity provider and the scopes."""
        if self.scheme:
            return " ".join(filter(None, [self.description, "Scopes: " + ", ".join(self.scopes) + "." if self.scopes else ""]))
        if self.auth is not Auth.BEARER:
            return self.description
        parts = [f"OAuth 2.0 token ({self.identity_provider or 'oauth2'})"]
        if self.scopes:
            parts.append("scopes: " + ", ".join(self.scopes))
        return " ".join(filter(None, [self.description, "; ".join(parts) + "."]))


@dataclass(frozen=True)
class Connection:
    name: str
    description: str
    regions: str
    shareable: bool
    parameters: tuple[ConnectionParameter, ...]
    anchor: str = ""  # the HTML id of its section in the docs


@dataclass(frozen=True)
class Availability:
    product: str
    service_class: str
    regions: str
    exceptions: tuple[str, ...]


@dataclass(frozen=True)
class Link:
    title: str
    url: str


class ToolKind(enum.Enum):
    """What an MCP tool calls: an action, a polling trigger (with a cursor), a dynamic-values helper, or an
    action that downloads a file."""

    ACTION = "action"
    TRIGGER = "trigger"
    VALUES = "values"
    DOWNLOAD = "download"  # an action whose response is a file: its bytes returned as MCP content


@dataclass(frozen=True)
class ToolArgument:
    """An argument of an MCP tool: its JSON key is the client method's keyword."""

    name: str
    type: TypeRef
    required: bool

    @property
    def codec(self) -> str:
        """The codec the server decodes its JSON by: the client's, or base64 for bytes (JSON has none)."""
        if self.type.kind in (Kind.BINARY, Kind.FILE):
            return "_runtime.BASE64"
        if self.type.kind is Kind.ARRAY and self.type.item is not None and self.type.item.kind in (Kind.BINARY, Kind.FILE):
            return "_runtime.BASE64_LIST"
        return self.type.codec_in("models.")


@dataclass(frozen=True)
class Tool:
    """One tool of the MCP server (builder/tools.py decides every field)."""

    name: str  # the client method's name: unique among the client's methods
    title: str
    description: str  # written for a model: what it does, its arguments' constraints, what it returns
    kind: ToolKind
    method: str  # the async client's method it calls
    arguments: tuple[ToolArgument, ...]
    input_schema: Any  # JSON Schema (2020-12) of the arguments
    output_schema: Any  # JSON Schema of the structured content, None when the call returns nothing
    result: TypeRef | None  # an action's result, a trigger's item: what the server encodes
    wrapped: bool  # the structured content is {"result": value}: the result is no object
    read_only: bool
    destructive: bool
    idempotent: bool
    visibility: str  # "advanced" (left out unless asked), "important", or ""
    tags: tuple[str, ...]


@dataclass(frozen=True)
class McpServer:
    """The MCP server generated beside the client (target ``mcp``)."""

    #: More tools exposed than this warns (at generation: ``many-tools``; when the server starts): agents
    #: choose worse among many tools, and every tool's schema costs context.
    MANY_TOOLS: ClassVar[int] = 40
    #: The largest file a download's tool returns by default, in bytes (base64 in a message an agent reads).
    MAX_DOWNLOAD: ClassVar[int] = 10 * 1024 * 1024

    package: str  # <package>_mcp
    project: str  # its distribution name
    script: str  # the console script: <name>-mcp
    base_url_variable: str  # <PREFIX>_BASE_URL, or <PREFIX>_MCP_BASE_URL where a credential has that name
    options_prefix: str  # <PREFIX>_MCP_: the variable of each option (<PREFIX>_MCP_TRANSPORT, ...)
    tools: tuple[Tool, ...]
    secrets: tuple[str, ...]  # the environment variables that hold credentials: never shown
    instructions: str  # what the server tells an agent about itself (MCP ``instructions``)
    #: The client's server arguments the server takes from its environment: (argument, variable, what it is).
    settings: tuple[tuple[str, str, str], ...] = ()
    #: Operations that are no tool, and why (each was warned about, but internal ones).
    left_out: tuple[tuple[str, str], ...] = ()

    @property
    def variables(self) -> tuple[tuple[str, str], ...]:
        """The server's own environment variables (its run-time reads them; each option has one): name, meaning."""
        own = self.options_prefix
        return (
            (self.base_url_variable, "the API's base URL (as `--base-url`; default: the client's)"),
            (own + "TRANSPORT", "`stdio` (default) or `http` (as `--transport`)"),
            (own + "HOST", "HTTP: the address to bind (as `--host`; default `127.0.0.1`, this machine only)"),
            (own + "PORT", "HTTP: the port (as `--port`; default 8000)"),
            (own + "INCLUDE", "only these tools, comma-separated (as `--include`)"),
            (own + "EXCLUDE", "not these tools, comma-separated (as `--exclude`)"),
            (own + "TAGS", "only tools with one of these tags, comma-separated (as `--tags`)"),
            (own + "ADVANCED", "`1`: also the tools marked advanced (as `--advanced`)"),
            (own + "MAX_DOWNLOAD", f"the largest file a download's tool returns, in bytes (as `--max-download`; default {self.MAX_DOWNLOAD})"),
        )

    @property
    def default_tools(self) -> tuple[Tool, ...]:
        """The tools a server exposes when no selection is given: all but the advanced ones."""
        return tuple(t for t in self.tools if t.visibility != "advanced")


@dataclass(frozen=True)
class Connector:
    name: str  # the spec file's stem: generated/<name>/
    package: str  # the Python package name
    class_prefix: str  # "HipChat" -> HipChatClient
    title: str
    release_stage: str
    description: str
    version: str
    base_url: str
    publisher: str
    contact_name: str
    contact_email: str
    contact_links: tuple[Link, ...]
    metadata: tuple[tuple[str, str], ...]  # (property name, value), e.g. ("Website", url)
    availability: tuple[Availability, ...]
    #: Every connection parameter the client takes (its constructor's credential arguments).
    connection: Connection | None
    throttling: tuple[ThrottleLimit, ...]
    operations: tuple[Operation, ...]
    models: tuple[Model, ...]
    enums: tuple[EnumClass, ...]
    aliases: tuple[TypeAlias, ...]
    definitions: tuple[Definition, ...]
    brand_color: str = ""
    #: The authentication types the docs list: the connection, or one per standard security scheme.
    authentication: tuple[Connection, ...] = ()
    #: dynamichosturl: the base URL built from connection parameters.
    host_template: Template = ()
    #: Policies of apiProperties.json the client does not carry out (template id and why), for the docs.
    unsupported_policies: tuple[tuple[str, str], ...] = ()
    #: The input documents as read, for the exports (apiDefinition, and apiProperties when there was one).
    raw_definition: Any = None
    raw_properties: Any = None
    #: Values of the definition the exports leave out, as the client does not use them (validation warned
    #: about each): a default that does not fit its schema, a pattern that is not ECMA-262, an ``example``
    #: given beside ``examples``.
    left_out: tuple[tuple[str | int, ...], ...] = ()
    #: Text defaults of parameters the exports write as the typed value they spell (``"1"`` -> 1 for an
    #: integer; validation warned about each): (pointer, value).
    read_as: tuple[tuple[tuple[str | int, ...], Any], ...] = ()
    #: The document's servers (OpenAPI 3), in its order: the first is the default.
    servers: tuple[Server, ...] = ()
    #: The constructor's arguments filling server variables (of the document's and the operations' servers).
    server_arguments: tuple[ServerArgument, ...] = ()
    #: The constructor argument choosing a server (by index or name), "" when there is one server or none.
    server_choice: str = ""
    #: The MCP server (target ``mcp``), None when the run does not make it.
    mcp: McpServer | None = None

    @property
    def client_class(self) -> str:
        """The client's class in client.py (and the package's face): HipChat -> HipChatClient."""
        return f"{self.class_prefix}Client"

    @property
    def async_client_class(self) -> str:
        return f"Async{self.class_prefix}Client"

    def raw_view_class(self, asynchronous: bool) -> str:
        """The Protocol that types ``client.with_raw_response`` (client.py)."""
        return (self.async_client_class if asynchronous else self.client_class) + "WithRawResponse"

    @functools.cached_property  # errors.py asks for it; the connector does not change
    def error_body_annotation(self) -> str:
        """The annotation of ``ConnectorError.body`` in errors.py: every type the document declares for an error
        response, or the raw text (``str``) where none is declared or decoding fails, or None (no body)."""
        # A binary error body is carried as its text (bytes are not decoded from an error).
        types = [r.type for op in self.operations for r in op.error_responses if r.type is not None and r.type.kind is not Kind.BINARY]
        if any(t.kind is Kind.ANY for t in types):
            return "Any"
        shown = [replace(t, nullable=False).python_in("models.") for t in types]
        return " | ".join(dict.fromkeys([*shown, "str", "None"]))

    @functools.cached_property  # the README asks for it; the connector does not change
    def error_example(self) -> tuple[Operation, Response] | None:
        """An action and one of its error responses whose body is a model, for the README's example."""
        return next(
            ((op, r) for op in sorted(self.actions, key=lambda o: bool(o.stream)) for r in op.error_responses if r.type is not None and r.type.kind is Kind.MODEL),
            None,
        )

    @functools.cached_property  # the README asks for it; the connector does not change
    def null_example(self) -> tuple[Model, Field] | None:
        """A class and its optional field that may be null (UNSET apart from None), for the README."""
        return next(((m, f) for m in self.models for f in m.fields if f.unset), None)

    @functools.cached_property  # the README asks for it; the connector does not change
    def member_example(self) -> tuple[Model, Field] | None:
        """A union member and its discriminator property (a Literal), for the README."""
        return next(((m, f) for m in self.models for f in m.fields if f.literal), None)

    def stream_example(self, stream: str) -> Operation | None:
        """The first action returning a stream of events ("events") or a download ("download"), for the README."""
        return next((op for op in self.actions if op.stream == stream), None)

    @property
    def servers_chosen(self) -> bool:
        """The client chooses its server: there are several, or one with variables (else DEFAULT_BASE_URL is it)."""
        return len(self.servers) > 1 or any(s.variables for s in self.servers)

    @functools.cached_property  # templates ask for it many times; the connector does not change
    def own_servers(self) -> bool:
        """Some operation has a server of its own (path- or operation-level ``servers``)."""
        return any(op.server is not None for op in self.operations)

    @property
    def server_choice_annotation(self) -> str:
        names = [s.name for s in self.servers if s.name]
        return "int | Literal[" + ", ".join(py_literal(n) for n in names) + "]" if names else "int"

    @property
    def uses_literal(self) -> bool:
        """client.py spells a ``Literal`` (a server variable's values, or the servers' names)."""
        return any(a.enum for a in self.server_arguments) or (bool(self.server_choice) and any(s.name for s in self.servers)) or bool(self.oauth_parameters)

    @property
    def host_display(self) -> str:
        """The dynamic host URL as the connector writes it."""
        return "".join(v if k == "text" else f"@connectionParameters('{v}')" for k, v in self.host_template)

    @property
    def package_version(self) -> str:
        """The spec's info.version when it is a plain release number, else 0.0.0 (PEP 440)."""
        return self.version if re.fullmatch(r"[0-9]+(\.[0-9]+)*", self.version) else "0.0.0"

    @property
    def display_title(self) -> str:
        if self.release_stage in ("", "production"):
            return self.title
        return f"{self.title} ({self.release_stage.capitalize()})"

    @functools.cached_property  # templates ask for it many times; the connector does not change
    def actions(self) -> tuple[Operation, ...]:
        return tuple(sorted((o for o in self.operations if not o.is_trigger), key=_doc_order))

    @functools.cached_property  # templates ask for it many times; the connector does not change
    def triggers(self) -> tuple[Operation, ...]:
        return tuple(sorted((o for o in self.operations if o.is_trigger), key=_doc_order))

    @functools.cached_property  # templates ask for it many times; the connector does not change
    def documented_actions(self) -> tuple[Operation, ...]:
        """The actions the docs page lists: internal ones (x-ms-visibility: internal) are not."""
        return tuple(o for o in self.actions if not o.hidden)

    @functools.cached_property  # templates ask for it many times; the connector does not change
    def documented_triggers(self) -> tuple[Operation, ...]:
        return tuple(o for o in self.triggers if not o.hidden)

    def operation(self, python_name: str) -> Operation:
        return next(o for o in self.operations if o.python_name == python_name)

    @property
    def has_pagers(self) -> bool:
        """Some operation has an ``iter_`` pager: the clients fetch pages with their headers."""
        return any(op.pager is not None for op in self.operations)

    @property
    def oauth_parameters(self) -> tuple[ConnectionParameter, ...]:
        """The credentials whose tokens the client fetches and renews itself (OAuth 2)."""
        return tuple(p for p in (self.connection.parameters if self.connection else ()) if p.oauth is not None)

    @property
    def connection_limit(self) -> ThrottleLimit | None:
        return next((t for t in self.throttling if t.scope == "connection"), None)


def _doc_order(operation: Operation) -> tuple[str, str]:
    return (operation.summary.casefold() or operation.operation_id.casefold(), operation.operation_id)
