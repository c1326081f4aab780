"""The type layer on its own: schema in, TypeRef out, with the classes, enums and aliases it names."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from connectorsmith.builder.build import naming
from connectorsmith.builder.typemap import TypeMapper
from connectorsmith.diagnostics import Diagnostic, Severity
from connectorsmith.document.loader import load
from connectorsmith.document.openapi import Node
from connectorsmith.model import Kind, TypeRef


def _mapper(tmp_path: Path, schemas: dict[str, Any], version: str = "3.1.0") -> tuple[TypeMapper, list[Diagnostic]]:
    spec = tmp_path / "spec.yaml"
    spec.write_text(yaml.safe_dump({"openapi": version, "info": {"title": "t", "version": "1"}, "paths": {}, "components": {"schemas": schemas}}), "utf-8")
    problems: list[Diagnostic] = []
    mapper = TypeMapper(load(spec), problems, set(naming.RESERVED_CLASS_NAMES))
    mapper.reserve()
    mapper.build_definitions()
    return mapper, problems


def _map(mapper: TypeMapper, schema: dict[str, Any], context: str = "Ctx") -> TypeRef:
    return mapper.type_of(Node(schema, ("inline",)), context, context)


def test_a_named_enum_is_one_class_for_every_use(tmp_path: Path) -> None:
    mapper, problems = _mapper(
        tmp_path,
        {
            "Color": {"type": "string", "enum": ["red", "green"]},
            "Thing": {"type": "object", "properties": {"color": {"$ref": "#/components/schemas/Color"}, "paint": {"allOf": [{"$ref": "#/components/schemas/Color"}]}}},
            "Car": {"type": "object", "properties": {"colors": {"type": "array", "items": {"$ref": "#/components/schemas/Color"}}}},
        },
    )
    thing, car = mapper.models["Thing"], mapper.models["Car"]
    assert [f.type.name for f in thing.fields] == ["Color", "Color"]
    assert car.fields[0].type.item is not None and car.fields[0].type.item.name == "Color"
    assert _map(mapper, {"$ref": "#/components/schemas/Color"}).name == "Color"
    assert list(mapper.enums) == ["Color"] and problems == []
    assert thing.fields[0].type.input_in("models.") == "models.Color | str"


def test_integer_enums_and_mixed_enums(tmp_path: Path) -> None:
    mapper, _ = _mapper(tmp_path, {"Level": {"type": "integer", "enum": [1, 2, -3]}})
    level = mapper.enums["Level"]
    assert level.integer and [m.python_name for m in level.members] == ["VALUE_1", "VALUE_2", "MINUS_3"]
    assert _map(mapper, {"enum": ["a", 1]}).kind is Kind.ANY  # neither strings nor integers: warned about
    assert _map(mapper, {"type": "string", "enum": ["a", None]}).nullable


def test_unions_of_primitives_models_and_null(tmp_path: Path) -> None:
    mapper, _ = _mapper(tmp_path, {"Cat": {"type": "object", "properties": {"name": {"type": "string"}}}})
    union = _map(mapper, {"oneOf": [{"type": "integer"}, {"type": "string"}, {"$ref": "#/components/schemas/Cat"}, {"type": "null"}]})
    assert union.kind is Kind.UNION and union.nullable
    assert union.python_in("models.") == "int | str | models.Cat | None"
    assert union.codec_in("m.") == "_serde.Nullable(_serde.OneOf((_serde.INT, _serde.STR, _serde.ModelOf(lambda: m.Cat))))"
    assert _map(mapper, {"anyOf": [{"$ref": "#/components/schemas/Cat"}, {"type": "null"}]}).python == "Cat | None"
    assert _map(mapper, {"type": ["string", "integer", "null"]}).python == "str | int | None"
    # A member with no type of its own takes the union's.
    assert _map(mapper, {"type": "string", "oneOf": [{"format": "date"}, {"format": "date-time"}]}).python == "datetime.date | datetime.datetime"


def test_named_unions_are_aliases_with_discriminators(tmp_path: Path) -> None:
    mapper, problems = _mapper(
        tmp_path,
        {
            "Pet": {
                "oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}],
                "discriminator": {"propertyName": "kind", "mapping": {"kitty": "#/components/schemas/Cat", "bird": "#/components/schemas/Bird"}},
            },
            "Cat": {"type": "object", "properties": {"kind": {"type": "string"}}},
            "Dog": {"type": "object", "properties": {"kind": {"type": "string"}}},
            "Bird": {"type": "object", "properties": {"kind": {"type": "string"}}},
        },
    )
    pet = mapper.aliases["Pet"]
    assert pet.target.python == "Cat | Dog" and pet.codec_name == "_PET_CODEC"
    assert pet.target.discriminator is not None
    assert dict(pet.target.discriminator.mapping) == {"kitty": 0, "Dog": 1}  # a member the mapping names is not also selected by its schema name
    assert [p.message for p in problems] == ["discriminator value 'bird' maps to '#/components/schemas/Bird', which is not a member of this union; ignored"]
    assert _map(mapper, {"$ref": "#/components/schemas/Pet"}) == TypeRef(Kind.ALIAS, name="Pet", wire_name="Pet", codec_name="_PET_CODEC")


def test_dates_and_other_formats(tmp_path: Path) -> None:
    mapper, _ = _mapper(tmp_path, {})
    assert _map(mapper, {"type": "string", "format": "date-time"}).python == "datetime.datetime"
    assert _map(mapper, {"type": "string", "format": "date"}).python == "datetime.date"
    for fmt in ("uuid", "byte", "decimal", "binary"):
        assert _map(mapper, {"type": "string", "format": fmt}).python == "str"
    assert _map(mapper, {"type": "integer", "format": "int64"}).python == "int"
    assert _map(mapper, {"type": "number", "format": "decimal"}).python == "float"


def test_nullable_items_and_map_values(tmp_path: Path) -> None:
    mapper, _ = _mapper(tmp_path, {}, version="3.0.3")
    assert _map(mapper, {"type": "array", "items": {"type": "string", "nullable": True}}).python == "list[str | None]"
    assert _map(mapper, {"type": "object", "additionalProperties": {"type": "integer", "x-nullable": True}}).python == "dict[str, int | None]"


@pytest.mark.parametrize(
    ("schemas", "name", "python"),
    [
        ({"Forest": {"type": "array", "items": {"$ref": "#/components/schemas/Forest"}}}, "Forest", '"list[Forest]"'),
        ({"Index": {"type": "object", "additionalProperties": {"$ref": "#/components/schemas/Index"}}}, "Index", '"dict[str, Index]"'),
        ({"Json": {"oneOf": [{"type": "string"}, {"type": "array", "items": {"$ref": "#/components/schemas/Json"}}]}}, "Json", '"str | list[Json]"'),
    ],
)
def test_recursive_arrays_maps_and_unions_are_aliases(tmp_path: Path, schemas: dict[str, Any], name: str, python: str) -> None:
    mapper, problems = _mapper(tmp_path, schemas)
    alias = mapper.aliases[name]
    assert alias.forward and f'"{alias.target.python}"' == python and problems == []


def test_an_inline_object_that_refers_to_itself_is_one_class(tmp_path: Path) -> None:
    mapper, _ = _mapper(
        tmp_path,
        {"Tree": {"type": "object", "properties": {"branch": {"type": "object", "properties": {"sub": {"$ref": "#/components/schemas/Tree/properties/branch"}}}}}},
    )
    branch = mapper.models["TreeBranch"]
    assert branch.fields[0].type == TypeRef(Kind.MODEL, name="TreeBranch")


def test_self_defined_aliases_are_any_with_a_warning(tmp_path: Path) -> None:
    mapper, problems = _mapper(tmp_path, {"Loop": {"oneOf": [{"type": "string"}, {"$ref": "#/components/schemas/Loop"}]}})
    assert mapper.aliases["Loop"].target.kind is Kind.ANY
    assert len(problems) == 1 and "defined by itself" in problems[0].message


def test_what_degrades_to_any_is_a_located_warning(tmp_path: Path) -> None:
    mapper, problems = _mapper(tmp_path, {"Odd": {"type": "object", "properties": {"free": {}, "nope": {"not": {"type": "string"}}}}})
    odd = mapper.models["Odd"]
    assert [f.type.kind for f in odd.fields] == [Kind.ANY, Kind.ANY]
    assert len(problems) == 1  # {} says "any value": nothing is lost there
    warning = problems[0]
    assert warning.severity is Severity.WARNING and "'not'" in warning.message
    assert warning.pointer == ("components", "schemas", "Odd", "properties", "nope")
    assert warning.location.line > 1 and warning.location.column > 1


def test_names_of_models_module_are_reserved(tmp_path: Path) -> None:
    mapper, _ = _mapper(tmp_path, {"DecodeError": {"type": "object", "properties": {"a": {"type": "string"}}}, "TypeAlias": {"oneOf": [{"type": "string"}, {"type": "integer"}]}})
    assert set(mapper.models) == {"DecodeErrorModel"}
    assert set(mapper.aliases) == {"TypeAliasModel"}


def test_cycles_of_single_allof_members_end_as_any_with_warnings(tmp_path: Path) -> None:
    mapper, problems = _mapper(
        tmp_path,
        {
            "A": {"allOf": [{"$ref": "#/components/schemas/B"}]},
            "B": {"allOf": [{"$ref": "#/components/schemas/A"}]},
            "C": {"allOf": [{"$ref": "#/components/schemas/D"}], "additionalProperties": {"type": "string"}},
            "D": {"allOf": [{"$ref": "#/components/schemas/C"}]},
        },
    )
    assert {name: alias.target.python for name, alias in mapper.aliases.items()} == {"A": "Any", "B": "A", "C": "dict[str, str]", "D": "C"}
    assert [p.pointer for p in problems] == [("components", "schemas", "A")]  # breaking A breaks the cycle
