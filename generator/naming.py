"""Python-safe names, decided once, in the model builder.

Every name the generated code exposes comes from one of these functions;
templates never compute a name.
"""

from __future__ import annotations

import builtins
import keyword
import re
import unicodedata

#: Names a generated module uses itself; a class may not take them.
RESERVED_CLASS_NAMES = frozenset(
    {
        "Any",
        "DecodeError",
        "TypeAlias",
        "Mapping",
        "Enum",
        "ClassVar",
        "Literal",
        "Self",
        "TYPE_CHECKING",
        "annotations",
        "dataclasses",
        "datetime",
        "enum",
        "httpx",
    }
    | {name for name in dir(builtins) if name[:1].isupper()}
    | {"List", "Dict", "Type", "Set", "Tuple", "Optional", "Union", "Callable", "Iterator", "Iterable"}
)

#: Attributes of generated models that a field may not shadow.
RESERVED_FIELD_NAMES = frozenset({"from_dict", "to_dict", "additional_properties"})

#: Words of an identifier: an acronym keeps its digits (MD4, SHA1, VO2), a capital starts a word (roomId).
_WORDS = re.compile(r"[A-Z]+[0-9]+(?![a-z])|[A-Z]+(?=[A-Z][a-z0-9])|[A-Z]?[a-z0-9]+|[A-Z]+|[0-9]+")


_SIGNS = {"+": "plus ", "-": "minus "}


def _ascii_words(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    if re.fullmatch(r"[+-][0-9.]+", folded):  # GitHub's reactions: "+1" and "-1" are two names
        folded = _SIGNS[folded[0]] + folded[1:]
    return _WORDS.findall(folded)


def _make_safe(name: str, fallback: str) -> str:
    if not name:
        name = fallback
    if name[0].isdigit():
        name = f"{fallback}_{name}"
    if keyword.iskeyword(name) or keyword.issoftkeyword(name):
        name += "_"
    return name


#: Builtins that generated code itself refers to (in annotations or bodies):
#: a name that would hide one of them gets a trailing underscore.  Others (``id``,
#: ``filter``…) stay as they are, because users expect ``user.id``.
_SHADOWED = frozenset(
    {
        "str",
        "int",
        "float",
        "bool",
        "list",
        "dict",
        "set",
        "tuple",
        "object",
        "type",
        "bytes",
        "isinstance",
        "len",
        "super",
        "range",
        "iter",
        "next",
        "self",
        "cls",
        "Any",
        "None",
        "datetime",
    }
)


def snake_case(text: str, fallback: str = "value") -> str:
    """``PostMessage`` -> ``post_message``; ``roomId`` -> ``room_id``; ``from`` -> ``from_``.

    Keywords, soft keywords and the builtins generated code uses get a trailing
    underscore, so a name is safe as a method, argument, or dataclass field (where
    a field called ``list`` would hide the builtin from later annotations).
    """
    name = _make_safe("_".join(w.lower() for w in _ascii_words(text)), fallback)
    if name in _SHADOWED and not name.endswith("_"):
        name += "_"
    return name


def field_name(text: str) -> str:
    """A dataclass field / keyword argument name; shadows nothing a model defines."""
    name = snake_case(text, "field")
    if name in RESERVED_FIELD_NAMES:
        name += "_"
    return name


def pascal_case(text: str, fallback: str = "Model") -> str:
    """``user list`` -> ``UserList``; keeps inner capitals: ``HipChat`` -> ``HipChat``."""
    words = _ascii_words(text)
    name = "".join(w[:1].upper() + w[1:] for w in words)
    if not name or name[0].isdigit():
        name = fallback + name
    return name


def class_name(text: str, fallback: str = "Model") -> str:
    name = pascal_case(text, fallback)
    if name in RESERVED_CLASS_NAMES:
        name += "Model"
    return name


def enum_member(value: str) -> str:
    name = "_".join(w.upper() for w in _ascii_words(value))
    if not name:
        name = "EMPTY" if value == "" else "VALUE"
    if name[0].isdigit():
        name = "VALUE_" + name
    return name


def singular(word: str) -> str:
    """A rough singular for naming array items: ``items`` -> ``item``; else ``<word>_item``."""
    lower = word.lower()
    if lower.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if lower.endswith("s") and not lower.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word + "_item"


def unique(name: str, taken: set[str]) -> str:
    """``name``, or ``name2``, ``name3``… — the first not in ``taken``; records the result."""
    candidate = first_free(name, taken)
    taken.add(candidate)
    return candidate


def first_free(name: str, taken: set[str]) -> str:
    """``name``, or ``name2``, ``name3``… — the first not in ``taken``."""
    candidate, n = name, 2
    while candidate in taken:
        candidate = f"{name}{n}"
        n += 1
    return candidate


def env_var(*parts: str) -> str:
    return "_".join(w.upper() for part in parts for w in _ascii_words(part))
