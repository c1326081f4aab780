"""Stage 3, types: JSON Schema to Python types, decided once for the whole model.

``TypeMapper`` reads the schemas of a validated document and answers, for any
schema node, the ``TypeRef`` that generated code uses for it; on the way it
collects the classes, enums and type aliases of ``models.py``, each named once
and checked against every other name of that module.  The rules (also in
docs/spec-format.md, "Types"):

- a named definition that is an object becomes a class; a named enum an enum
  class (of strings or of integers, open to values the spec does not list); a
  named oneOf / anyOf / type list a type alias of a union; a named array or map
  that contains itself a type alias.  Every ``$ref`` to a definition uses that one
  name — in properties, items, parameters and bodies alike;
- ``allOf`` of a single member (with nothing else that shapes an object) is that
  member's type; ``allOf`` of several parts is one class with their properties;
- ``type: string`` with ``format: date-time`` / ``date`` is ``datetime.datetime`` /
  ``datetime.date``; other formats keep the primitive type;
- null is a member of a type wherever the schema allows it (``nullable``,
  ``x-nullable``, a ``"null"`` type or enum value, a ``{type: "null"}`` member);
- whatever cannot be carried becomes ``Any`` with a located warning; a schema
  that says nothing about its type is ``Any`` without one.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from ..diagnostics import Diagnostic, Pointer
from ..document import openapi
from ..document.loader import Document
from ..document.openapi import Node, text, title_of
from ..model import Discriminator, EnumClass, EnumMember, Field, Kind, Model, TypeAlias, TypeRef
from . import naming

_PRIMITIVES = {"string": Kind.STRING, "integer": Kind.INTEGER, "number": Kind.NUMBER, "boolean": Kind.BOOLEAN}
_FORMATS = {"date-time": Kind.DATETIME, "date": Kind.DATE}
#: Keys that say something about a schema's type: a schema with none of them is plainly Any.
_TYPE_KEYS = frozenset({"type", "properties", "items", "additionalProperties", "enum", "const", "oneOf", "anyOf", "allOf", "not", "$ref"})


def is_nullable(schema: Any) -> bool:
    if not isinstance(schema, dict):
        return False
    kind = schema.get("type")
    enum = schema.get("enum")
    return bool(
        schema.get("nullable") is True
        or schema.get("x-nullable") is True
        or (isinstance(kind, list) and "null" in kind)
        or (isinstance(enum, list) and None in enum)
    )


def _is_null(schema: Any) -> bool:
    """A schema that only allows null: ``{type: "null"}`` or ``{enum: [null]}``."""
    if not isinstance(schema, dict):
        return False
    return schema.get("type") == "null" or schema.get("enum") == [None]


def _type_names(schema: dict[str, Any]) -> list[str]:
    """The non-null types a schema names (3.1 allows a list)."""
    kind = schema.get("type")
    if isinstance(kind, list):
        return [str(k) for k in kind if k != "null"]
    return [str(kind)] if kind is not None and kind != "null" else []


def _single_all_of(schema: dict[str, Any]) -> Any:
    """The member of an ``allOf`` of one schema with nothing beside it that shapes an object, else None."""
    parts = schema.get("allOf")
    if not isinstance(parts, list) or len(parts) != 1:
        return None
    if any(key in schema for key in ("properties", "additionalProperties", "oneOf", "anyOf", "items", "enum")):
        return None
    return parts[0]


def _enum_values(schema: dict[str, Any]) -> tuple[list[str | int], bool] | None:
    """(values, integer?) when ``schema`` is an enum of strings or of integers (null aside), else None."""
    raw = schema.get("enum")
    if not isinstance(raw, list):
        return None
    values = [v for v in raw if v is not None]
    kinds = _type_names(schema)
    if not values:
        return None
    if all(isinstance(v, str) for v in values) and kinds in ([], ["string"]):
        return list(dict.fromkeys(values)), False
    if all(isinstance(v, int) and not isinstance(v, bool) for v in values) and kinds in ([], ["integer"]):
        return list(dict.fromkeys(values)), True
    return None


class Shared(enum.Enum):
    """What an operation's build reads or writes of the state the operations share (``TypeMapper.log``)."""

    NAME = "name"  # a models.py name made unique: (wanted, given)
    INLINE = "inline"  # an inline schema looked up: (pointer, its type or None)
    MADE = "made"  # an inline schema made a class or enum: (pointer, its type)
    MODEL = "model"  # a class read: (name, the class or None)


@dataclass(frozen=True)
class TypeState:
    """What a TypeMapper has made so far: names taken, classes, enums, aliases, named and inline types."""

    taken: frozenset[str]
    models: tuple[tuple[str, Model], ...]
    enums: tuple[tuple[str, EnumClass], ...]
    aliases: tuple[tuple[str, TypeAlias], ...]
    definitions: tuple[tuple[str, TypeRef], ...]
    inline: tuple[tuple[Pointer, TypeRef], ...]


class TypeMapper:
    """Maps schema nodes of one document to ``TypeRef``s; owns the classes, enums and aliases it creates."""

    def __init__(self, doc: Document, problems: list[Diagnostic], taken: set[str]) -> None:
        self.doc = doc
        self.data: dict[str, Any] = doc.data
        self.problems = problems
        self.taken = taken  # every name of models.py so far
        self.models: dict[str, Model] = {}
        self.enums: dict[str, EnumClass] = {}
        self.aliases: dict[str, TypeAlias] = {}
        #: definition name -> the named type every reference to it uses
        self.definitions: dict[str, TypeRef] = {}
        self.inline: dict[Pointer, TypeRef] = {}  # inline objects already made classes, by pointer
        self._stack: list[Pointer] = []  # schemas being mapped: a cycle no name breaks is Any
        self._merging: set[Pointer] = set()  # allOf parts being merged
        self._checking: set[int] = set()  # schemas (by id) whose object-ness is being decided
        #: When set (a caller recording what building one operation does, as --watch's reuse layer
        #: does): what it read of the state operations share, and what it wrote there, in order.
        self.log: list[tuple[Shared, Any, Any]] | None = None

    def _unique(self, name: str) -> str:
        """``name`` made unique among models.py's names (and taken)."""
        found = naming.unique(name, self.taken)
        if self.log is not None:
            self.log.append((Shared.NAME, name, found))
        return found

    def model(self, name: str) -> Model | None:
        """The class ``name`` of models.py, if there is one."""
        found = self.models.get(name)
        if self.log is not None:
            self.log.append((Shared.MODEL, name, found))
        return found

    def state(self) -> TypeState:
        """What this mapper has made so far (``restore`` makes it again in a mapper of an equal document)."""
        return TypeState(
            frozenset(self.taken),
            tuple(self.models.items()),
            tuple(self.enums.items()),
            tuple(self.aliases.items()),
            tuple(self.definitions.items()),
            tuple(self.inline.items()),
        )

    def restore(self, state: TypeState) -> None:
        self.taken |= state.taken
        self.models.update(state.models)
        self.enums.update(state.enums)
        self.aliases.update(state.aliases)
        self.definitions.update(state.definitions)
        self.inline.update(state.inline)

    # ------------------------------------------------------------------ definitions

    def reserve(self) -> None:
        """Name every definition that becomes a class, enum or alias, in spec order, before any is built."""
        recursive = self._recursive_definitions()
        named = [(def_name, node, kind) for def_name, node in openapi.definitions(self.data) if (kind := self._named_kind(node.value, def_name in recursive)) is not None]
        told = naming.tell_apart([naming.Named(def_name, naming.class_name(def_name)) for def_name, _, _ in named], naming.class_name, self.taken)
        for (def_name, node, kind), name in zip(named, told):
            cls = name.python
            self.taken.add(cls)
            if name.rule:
                self.renamed(node.pointer, f"definition {def_name!r} is Python class {cls!r}: {naming.class_name(def_name)!r} would also name definition {name.like!r}", name.rule)
            elif naming.pascal_case(def_name) in naming.RESERVED_CLASS_NAMES:
                self.problems.append(
                    self.doc.warning(
                        node.pointer,
                        f"definition {def_name!r} is Python class {cls!r}: models.py uses {naming.pascal_case(def_name)!r} itself",
                        "rename the definition in the spec to choose another name",
                        code="renamed",
                    )
                )
            nullable = is_nullable(node.value)
            if kind is Kind.ENUM:
                found = _enum_values(node.value)
                assert found is not None
                value_type = TypeRef(Kind.INTEGER if found[1] else Kind.STRING)
                self.definitions[def_name] = TypeRef(Kind.ENUM, item=value_type, name=cls, wire_name=def_name, nullable=nullable)
            elif kind is Kind.ALIAS:
                codec = naming.unique(f"_{naming.snake_case(cls).strip('_').upper()}_CODEC", self.taken)
                self.definitions[def_name] = TypeRef(Kind.ALIAS, name=cls, wire_name=def_name, codec_name=codec, nullable=nullable)
            else:
                self.definitions[def_name] = TypeRef(Kind.MODEL, name=cls, wire_name=def_name, nullable=nullable)

    def build_definitions(self) -> None:
        """Build every reserved definition, then order the aliases so each is defined before it is used."""
        for def_name, node in openapi.definitions(self.data):
            ref = self.definitions.get(def_name)
            if ref is None:
                continue
            if ref.kind is Kind.MODEL:
                self._model(ref.name, def_name, node)
            elif ref.kind is Kind.ENUM:
                self._enum_class(ref.name, def_name, node.value)
            else:
                self._stack.append(node.pointer)
                try:
                    target = self._map_schema(node, node.value, ref.name, def_name)
                finally:
                    self._stack.pop()
                self.aliases[ref.name] = TypeAlias(ref.name, def_name, text(node.value.get("description")), replace(target, nullable=False), ref.codec_name)
        self._break_alias_cycles()
        self._order_aliases()

    def _named_kind(self, schema: Any, recursive: bool) -> Kind | None:
        """What a definition becomes in models.py: a class, an enum, an alias, or nothing (it is inlined)."""
        if not isinstance(schema, dict) or "$ref" in schema:
            return None
        if _enum_values(schema) is not None:
            return Kind.ENUM
        if self.is_object(schema):
            return Kind.MODEL
        if isinstance(schema.get("oneOf"), list) or isinstance(schema.get("anyOf"), list) or len(_type_names(schema)) > 1:
            return Kind.ALIAS
        return Kind.ALIAS if recursive else None

    def _recursive_definitions(self) -> set[str]:
        """Definitions that would be inlined but contain themselves: they need a name to refer to."""
        graph: dict[str, set[str]] = {}
        for def_name, node in openapi.definitions(self.data):
            if isinstance(node.value, dict) and self._named_kind(node.value, False) is None:
                graph[def_name] = {name for name in _definition_refs(node.value) if name}
        recursive: set[str] = set()
        for start, refs in graph.items():
            todo, seen = list(refs), set()
            while todo:
                name = todo.pop()
                if name == start:
                    recursive.add(start)
                    break
                if name in seen or name not in graph:
                    continue
                seen.add(name)
                todo += graph[name]
        return recursive

    def _break_alias_cycles(self) -> None:
        """An alias that is itself without a container between (A = A | str, A = B, B = A) cannot be typed."""
        for name, alias in list(self.aliases.items()):
            if self._reaches(alias.target, name, set()):
                self.problems.append(
                    self.doc.warning(
                        self._definition_pointer(alias.wire_name),
                        f"definition {alias.wire_name!r} is defined by itself with no array, map or object between; it is typed as Any",
                        "put the recursion inside an array, a map or an object",
                        code="any-type",
                    )
                )
                self.aliases[name] = replace(alias, target=TypeRef(Kind.ANY))

    def _reaches(self, target: TypeRef, name: str, seen: set[str]) -> bool:
        if target.kind is Kind.ALIAS:
            if target.name == name:
                return True
            if target.name in seen or target.name not in self.aliases:
                return False
            seen.add(target.name)
            return self._reaches(self.aliases[target.name].target, name, seen)
        return target.kind is Kind.UNION and any(self._reaches(m, name, seen) for m in target.members)

    def _order_aliases(self) -> None:
        """Aliases come after every class; one that names a later alias (or itself) is written as a string, and so
        is one that names an alias written as a string (at run time that alias is a str: ``Tree | Obj`` would
        raise TypeError on import)."""
        order = list(self.aliases)
        forward: set[str] = set()
        for index, name in enumerate(order):
            later = set(order[index:])
            if any(t.kind is Kind.ALIAS and t.name in later for t in self.aliases[name].target.walk()):
                forward.add(name)
        grown = True
        while grown:
            named = {n for n in order if n not in forward and any(t.kind is Kind.ALIAS and t.name in forward for t in self.aliases[n].target.walk())}
            grown = bool(named)
            forward |= named
        for name in forward:
            self.aliases[name] = replace(self.aliases[name], forward=True)

    def _definition_pointer(self, def_name: str) -> Pointer:
        return next((node.pointer for name, node in openapi.definitions(self.data) if name == def_name), ())

    def renamed(self, pointer: Pointer, message: str, rule: str) -> None:
        """A name told apart from another that has the same plain Python name (``naming.tell_apart``): a warning."""
        self.problems.append(self.doc.warning(pointer, message, naming.RENAMED[rule], code="renamed"))

    # ------------------------------------------------------------------ objects

    def is_object(self, schema: Any) -> bool:
        """An object schema with properties, or an allOf that merges into one (not an allOf of one non-object)."""
        if not isinstance(schema, dict) or "$ref" in schema:
            return False
        if _type_names(schema) not in ([], ["object"]) or _enum_values(schema) is not None:
            return False
        if isinstance(schema.get("properties"), dict):
            return True
        parts = schema.get("allOf")
        if not isinstance(parts, list) or not parts:
            return False
        if len(parts) == 1:
            if _single_all_of(schema) is not None:
                return False  # that member's type, whatever it is
            single = openapi.resolve(self.data, Node(parts[0], ())).value
            if not isinstance(single, dict) or id(single) in self._checking:
                return False
            self._checking.add(id(schema))
            try:
                return self.is_object(single)
            finally:
                self._checking.discard(id(schema))
        return True

    def properties(self, node: Node) -> tuple[list[tuple[str, Node]], set[str]]:
        """Properties of an object schema, allOf parts merged in order (a part that includes itself is skipped)."""
        schema = node.value
        props: dict[str, Node] = {}
        required: set[str] = set()
        self._merging.add(node.pointer)
        try:
            for index, part in enumerate(schema.get("allOf", ()) if isinstance(schema.get("allOf"), list) else ()):
                sub = openapi.resolve(self.data, Node(part, (*node.pointer, "allOf", index)))
                if sub.pointer in self._merging:
                    continue  # an allOf cycle: validation warned about it; its properties are merged once
                if isinstance(sub.value, dict):
                    sub_props, sub_required = self.properties(sub)
                    props.update(dict(sub_props))
                    required |= sub_required
        finally:
            self._merging.discard(node.pointer)
        raw = schema.get("properties")
        if isinstance(raw, dict):
            for key, value in raw.items():
                props[str(key)] = Node(value, (*node.pointer, "properties", key))
        if isinstance(schema.get("required"), list):
            required |= {str(r) for r in schema["required"]}
        return list(props.items()), required

    def _model(self, cls: str, wire_name: str, node: Node) -> None:
        schema = node.value
        self.models[cls] = Model(cls, wire_name, "", ())  # placeholder: keeps parents before nested classes
        properties, required = self.properties(node)
        fields: list[Field] = []
        told = naming.tell_apart([naming.Named(key, naming.field_name(key)) for key, _ in properties], naming.field_name)
        for (key, prop), name in zip(properties, told):
            py = name.python
            if name.rule:
                self.renamed(prop.pointer, f"property {key!r} of {wire_name!r} is Python field {py!r}: {naming.field_name(key)!r} would also name property {name.like!r}", name.rule)
            resolved = openapi.resolve(self.data, prop).value
            type_ref = self.type_of(prop, f"{cls}{naming.pascal_case(key, 'Field')}", f"{wire_name}.{key}")
            fields.append(
                Field(
                    wire_name=key,
                    python_name=py,
                    type=type_ref,
                    required=key in required,
                    nullable=type_ref.nullable,
                    title=title_of(resolved) or title_of(prop.value),
                    description=text(resolved.get("description")) if isinstance(resolved, dict) else "",
                )
            )
        self.models[cls] = Model(cls, wire_name, text(schema.get("description")), tuple(fields))

    # ------------------------------------------------------------------ enums

    def _enum_class(self, cls: str, wire_name: str, schema: dict[str, Any]) -> None:
        found = _enum_values(schema)
        assert found is not None
        values, integer = found
        members: list[EnumMember] = []
        names: set[str] = set()
        for value in values:
            label = f"minus {-value}" if isinstance(value, int) and value < 0 else str(value)
            members.append(EnumMember(naming.unique(naming.enum_member(label), names), value))
        self.enums[cls] = EnumClass(cls, text(schema.get("description")), tuple(members), integer, wire_name)

    # ------------------------------------------------------------------ any schema

    def type_of(self, node: Node, context: str, wire_path: str) -> TypeRef:
        """The type of ``node``; inline objects and enums become classes named after ``context``."""
        raw = node.value
        if isinstance(raw, dict) and isinstance(raw.get("$ref"), str):
            target = openapi.parse_ref(raw["$ref"]) or ()
            if len(target) >= 2 and target[:-1] in (("definitions",), ("components", "schemas")):
                named = self.definitions.get(str(target[-1]))
                if named is not None:
                    return named
        resolved = openapi.resolve(self.data, node)
        inline = self.inline.get(resolved.pointer)
        if self.log is not None:
            self.log.append((Shared.INLINE, resolved.pointer, inline))
        if inline is not None:
            return inline
        if resolved.pointer in self._stack:
            self.problems.append(
                self.doc.warning(node.pointer, "this schema contains itself with no named definition between; it is typed as Any", "move the recursive schema into a named definition", code="any-type")
            )
            return TypeRef(Kind.ANY)
        schema = resolved.value if isinstance(resolved.value, dict) else {}
        self._stack.append(resolved.pointer)
        try:
            return self._map_schema(resolved, schema, context, wire_path)
        finally:
            self._stack.pop()

    def _map_schema(self, node: Node, schema: dict[str, Any], context: str, wire_path: str) -> TypeRef:
        mapped = self._map_shape(node, schema, context, wire_path)
        return replace(mapped, nullable=True) if is_nullable(schema) and mapped.kind is not Kind.ANY else mapped

    def _map_shape(self, node: Node, schema: dict[str, Any], context: str, wire_path: str) -> TypeRef:
        pointer = node.pointer
        single = _single_all_of(schema)
        if single is not None:
            return self.type_of(Node(single, (*pointer, "allOf", 0)), context, wire_path)
        if _enum_values(schema) is not None:
            return self._inline_enum(node, schema, context, wire_path)
        if self.is_object(schema):
            cls = self._unique(naming.class_name(context))
            ref = TypeRef(Kind.MODEL, name=cls)
            self._made_inline(pointer, ref)
            self._model(cls, wire_path, node)
            return ref
        for key in ("oneOf", "anyOf"):
            if isinstance(schema.get(key), list) and schema[key]:
                return self._union(node, schema, key, context, wire_path)
        kinds = _type_names(schema)
        if len(kinds) > 1:
            return self._type_list(node, schema, kinds, context, wire_path)
        if "const" in schema:
            return self._const(schema["const"])
        kind = kinds[0] if kinds else None
        fmt = text(schema.get("format"))
        if kind == "file":
            return TypeRef(Kind.BINARY, format="binary")
        if kind == "string" and fmt in _FORMATS:
            return TypeRef(_FORMATS[fmt], format=fmt)
        if kind in _PRIMITIVES:
            return TypeRef(_PRIMITIVES[kind], format=fmt)
        if kind == "array" or (kind is None and "items" in schema):
            item = Node(schema.get("items", {}), (*pointer, "items"))
            return TypeRef(Kind.ARRAY, item=self.type_of(item, naming.pascal_case(naming.singular(context), "Item"), wire_path))
        if kind == "object" or (kind is None and "additionalProperties" in schema):
            extra = schema.get("additionalProperties")
            if isinstance(extra, dict) and extra:
                value = self.type_of(Node(extra, (*pointer, "additionalProperties")), f"{context}Value", wire_path)
                return TypeRef(Kind.MAP, item=value)
            return TypeRef(Kind.MAP, item=TypeRef(Kind.ANY))
        if kind is None and not (_TYPE_KEYS & set(schema)):
            return TypeRef(Kind.ANY)  # the schema allows any value: nothing is lost
        self._degraded(pointer, schema)
        return TypeRef(Kind.ANY)

    def _degraded(self, pointer: Pointer, schema: dict[str, Any]) -> None:
        if "not" in schema:
            why = "'not' cannot be expressed as a Python type"
        elif "enum" in schema:
            why = "an enum of mixed or non-string, non-integer values"
        elif isinstance(schema.get("allOf"), list):
            why = "an allOf of parts that are not objects"
        else:
            why = f"type {schema.get('type')!r} is not a JSON Schema type connectorsmith maps"
        self.problems.append(self.doc.warning(pointer, f"schema is typed as Any: {why}", "give the schema a type, properties, or oneOf members", code="any-type"))

    def _const(self, value: Any) -> TypeRef:
        if isinstance(value, bool):
            return TypeRef(Kind.BOOLEAN)
        if isinstance(value, int):
            return TypeRef(Kind.INTEGER)
        if isinstance(value, float):
            return TypeRef(Kind.NUMBER)
        if isinstance(value, str):
            return TypeRef(Kind.STRING)
        return TypeRef(Kind.ANY)

    def _inline_enum(self, node: Node, schema: dict[str, Any], context: str, wire_path: str) -> TypeRef:
        cls = self._unique(naming.class_name(context))
        self._enum_class(cls, "", schema)
        integer = self.enums[cls].integer
        ref = TypeRef(Kind.ENUM, item=TypeRef(Kind.INTEGER if integer else Kind.STRING), name=cls)
        self._made_inline(node.pointer, ref)
        return ref

    def _made_inline(self, pointer: Pointer, ref: TypeRef) -> None:
        self.inline[pointer] = ref
        if self.log is not None:
            self.log.append((Shared.MADE, pointer, ref))

    # ------------------------------------------------------------------ unions

    def _union(self, node: Node, schema: dict[str, Any], key: str, context: str, wire_path: str) -> TypeRef:
        members: list[TypeRef] = []
        nullable = False
        parent_type = schema.get("type")
        for index, part in enumerate(schema[key]):
            if isinstance(part, dict) and "$ref" not in part and "type" not in part and parent_type not in (None, "object"):
                part = {**part, "type": parent_type}  # a member inherits the type its union declares
            resolved = openapi.resolve(self.data, Node(part, (*node.pointer, key, index))).value
            if _is_null(resolved):
                nullable = True
                continue
            name = naming.pascal_case(title_of(resolved), "") if title_of(resolved) else f"{context}{index + 1}"
            member = self.type_of(Node(part, (*node.pointer, key, index)), name, f"{wire_path} (option {index + 1})")
            nullable = nullable or member.nullable
            member = replace(member, nullable=False)
            if member.kind is Kind.UNION and member.discriminator is None:
                members += member.members
            else:
                members.append(member)
        return self._union_of(node, schema, members, nullable)

    def _type_list(self, node: Node, schema: dict[str, Any], kinds: list[str], context: str, wire_path: str) -> TypeRef:
        """A 3.1 ``type: [string, integer]``: a union of each type with the schema's other keywords."""
        members = [self._map_shape(node, {**schema, "type": kind}, context, wire_path) for kind in kinds]
        return self._union_of(node, schema, members, False)

    def _union_of(self, node: Node, schema: dict[str, Any], members: list[TypeRef], nullable: bool) -> TypeRef:
        unique: dict[str, TypeRef] = {}
        for member in members:
            unique.setdefault(member.python, member)
        kept = list(unique.values())
        if not kept or any(m.kind is Kind.ANY for m in kept):
            return TypeRef(Kind.ANY)  # a member that is Any makes the union Any (warned about where it was)
        if len(kept) == 1:
            return replace(kept[0], nullable=nullable or kept[0].nullable)
        return TypeRef(Kind.UNION, members=tuple(kept), discriminator=self._discriminator(node, schema, kept), nullable=nullable)

    def _discriminator(self, node: Node, schema: dict[str, Any], members: list[TypeRef]) -> Discriminator | None:
        raw = schema.get("discriminator")
        if not isinstance(raw, dict) or not isinstance(raw.get("propertyName"), str):
            return None
        by_definition = {m.wire_name: index for index, m in enumerate(members) if m.wire_name}
        mapping: dict[str, int] = {}
        explicit = raw.get("mapping")
        for value, target in (explicit if isinstance(explicit, dict) else {}).items():
            ref = openapi.parse_ref(str(target))
            def_name = str(ref[-1]) if ref else str(target)
            if def_name not in by_definition:
                self.problems.append(
                    self.doc.warning((*node.pointer, "discriminator", "mapping", value), f"discriminator value {value!r} maps to {target!r}, which is not a member of this union; ignored", "map it to one of the oneOf/anyOf members", code="discriminator")
                )
                continue
            mapping[str(value)] = by_definition[def_name]
        explicit_members = set(mapping.values())
        for def_name, index in by_definition.items():
            if index not in explicit_members:
                mapping.setdefault(def_name, index)  # implicit: the schema's own name, for a member the mapping leaves out
        return Discriminator(raw["propertyName"], tuple(mapping.items()))

    def discriminated(self, types: Iterable[TypeRef]) -> tuple[Model, ...]:
        """The classes of models.py, each union member's discriminator property typed as the ``Literal`` of
        the values its unions map it to (among ``types``, every type in use), with the first as default.

        A member mapped to other values by another union keeps ``str``, with a warning: one class cannot
        hold two constants.  Only a ``string`` property becomes a Literal (an enum keeps its class)."""
        values: dict[tuple[str, str], list[tuple[str, ...]]] = {}
        for union in (t for root in types for t in root.walk() if t.kind is Kind.UNION and t.discriminator is not None):
            assert union.discriminator is not None
            for index, member in enumerate(union.members):
                if member.kind is Kind.MODEL:
                    mine = tuple(value for value, target in union.discriminator.mapping if target == index)
                    if mine:
                        values.setdefault((member.name, union.discriminator.property), []).append(mine)
        models = dict(self.models)
        for (name, key), found in sorted(values.items()):
            model = models.get(name)
            field = next((f for f in model.fields if f.wire_name == key), None) if model else None
            if model is None or field is None or field.type.kind is not Kind.STRING or field.type.nullable:
                continue
            unique = list(dict.fromkeys(found))
            if len(unique) > 1:
                shown = " and ".join("/".join(repr(v) for v in each) for each in unique)
                self.problems.append(
                    self.doc.warning(
                        (*self._definition_pointer(model.wire_name), "properties", key),
                        f"property {key!r} of {model.wire_name!r} tells unions apart by different values ({shown}); it is typed as str, not a Literal",
                        "map the schema to one value in every discriminator that lists it, or give each union its own member schema",
                        code="discriminator",
                    )
                )
                continue
            fields = tuple(replace(f, literal=unique[0]) if f is field else f for f in model.fields)
            models[name] = replace(model, fields=fields)
        return tuple(models.values())


def _definition_refs(value: Any) -> set[str]:
    """The definitions ``value`` refers to (not through example, default, enum or const data)."""
    names: set[str] = set()
    for ref, _ in openapi.iter_refs(value):
        target = openapi.parse_ref(ref) or ()
        if len(target) >= 2 and target[:-1] in (("definitions",), ("components", "schemas")):
            names.add(str(target[-1]))
        elif len(target) > 2 and target[0] == "definitions":
            names.add(str(target[1]))
        elif len(target) > 3 and target[:2] == ("components", "schemas"):
            names.add(str(target[2]))
    return names
