"""Python-safe names, decided once, in the model builder.

Every name the generated code exposes comes from one of these functions;
templates never compute a name.
"""

from __future__ import annotations

import builtins
import functools
import keyword
import re
import sys
import unicodedata
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

#: Names a generated module uses itself; a class may not take them.
RESERVED_CLASS_NAMES = frozenset(
    {
        "Any",
        "DecodeError",
        "UNSET",
        "Unset",
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


#: How many spellings the naming functions keep: a name is asked for again and again (a shared parameter's
#: name in every operation that has it, the same property names and enum values in many schemas).
_KEPT_NAMES = 1 << 15


@functools.lru_cache(maxsize=_KEPT_NAMES)
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


@functools.lru_cache(maxsize=_KEPT_NAMES)
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


@functools.lru_cache(maxsize=_KEPT_NAMES)
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


def operation_name(method: str, path: str) -> str:
    """The method name of an operation without an operationId: its HTTP method and its path key as
    written, in words: ``GET /users/{user_id}/tasks`` -> ``get_users_user_id_tasks``."""
    return snake_case(f"{method} {path}", "operation")


def env_var(*parts: str) -> str:
    return "_".join(w.upper() for part in parts for w in _ascii_words(part))


# --------------------------------------------------------------------------- names that collide

#: What the plain spelling drops, spelled out when two names differ only there (longest first).
_SPELLED = (
    ("<=", "lte"),
    (">=", "gte"),
    ("!=", "ne"),
    ("==", "eq"),
    ("[]", "list"),
    ("<", "lt"),
    (">", "gt"),
    ("=", "eq"),
    ("/", "slash"),
    (".", "dot"),
    ("+", "plus"),
    ("@", "at"),
    ("$", "dollar"),
    ("#", "hash"),
    (":", "colon"),
    ("~", "tilde"),
    ("*", "star"),
    ("&", "and"),
    ("%", "percent"),
    ("!", "not"),
    ("?", "question"),
    ("[", "bracket"),
    ("]", ""),
    ("(", "paren"),
    (")", ""),
    (",", "comma"),
)
#: Separators between words: the plain spelling keeps them (as ``_`` or a capital); not spelled out.
_SEPARATORS = frozenset("_- \t")


def spelled(text: str) -> str:
    """``text`` with what the plain spelling drops written as words, for ``snake_case`` / ``class_name``:
    ``StartTime<`` -> ``StartTime lt``, ``prefs/background`` -> ``prefs slash background``,
    ``_metadata`` -> ``underscore metadata`` (``__createdAt`` too: one word for a leading or trailing run).
    Separators between words (``_``, ``-``, a space) are style, not meaning: they are not spelled.
    """
    words: list[str] = []
    current = ""
    index = 0
    folded = unicodedata.normalize("NFKD", text)
    while index < len(folded):
        char = folded[index]
        if char.isascii() and char.isalnum():
            current += char
            index += 1
            continue
        if unicodedata.combining(char):
            index += 1
            continue
        if current:
            words.append(current)
            current = ""
        inner = any(c.isascii() and c.isalnum() for c in folded[:index]) and any(c.isascii() and c.isalnum() for c in folded[index:])
        if char in _SEPARATORS and inner:
            index += 1
            continue
        if char == "_":  # leading or trailing: one word for the run (``__createdAt`` -> ``underscore createdAt``)
            words.append("underscore")
            while index < len(folded) and folded[index] == "_":
                index += 1
            continue
        found = next(((symbol, word) for symbol, word in _SPELLED if folded.startswith(symbol, index)), None)
        if found is not None:
            words += [found[1]] if found[1] else []
            index += len(found[0])
            continue
        if char not in _SEPARATORS:
            words.append(" ".join(unicodedata.name(char, "").lower().replace("-", " ").split()) or f"u{ord(char):04x}")
        index += 1
    if current:
        words.append(current)
    return " ".join(words)


#: The hint of a renamed name's warning, by ``tell_apart``'s rule.
RENAMED = {
    "spelled": "the Python name spells out what tells the two apart (docs/spec-format.md, Checks and names); rename one in the spec to choose another",
    "place": "the Python name says where it is sent (docs/spec-format.md, Checks and names); rename one in the spec to choose another",
    "numbered": "nothing else tells the two apart in Python, so it is numbered; rename one in the spec to choose another",
}


@dataclass(frozen=True)
class Named:
    """A name of the document and the Python name its plain spelling gives, to be told apart in a scope."""

    original: str
    python: str
    #: Where it is (a parameter's location: path, query...); "" when there is no such difference.
    place: str = ""
    #: The rank of ``place``: of names spelled alike, the lowest keeps the plain name, the others get ``place_``.
    rank: int = 0


@dataclass(frozen=True)
class Told:
    """The name decided for a ``Named``, and how: "" (its plain name), "spelled", "place" or "numbered"."""

    python: str
    rule: str = ""
    like: str = ""  # the original of the name it was told apart from


def tell_apart(items: Sequence[Named], make: Callable[[str], str], taken: Collection[str] = ()) -> list[Told]:
    """Distinct Python names for ``items`` (one scope), in their order, by one rule:

    a name whose plain Python name no other item has keeps it; of names that collide, each is spelled
    with what the plain spelling dropped (``StartTime<`` -> ``start_time_lt``: see ``spelled``; a name
    that dropped nothing keeps the plain name); names still alike keep the plain name at the lowest
    ``rank`` and get their ``place`` in front at the others (``query_segment_id``); only names nothing
    tells apart are numbered (``user_id2``), in order.  ``make`` spells a text as the scope's Python
    names (``field_name``, ``class_name``...); ``taken`` are names no item may get.
    """
    counts: dict[str, int] = {}
    for item in items:
        counts[item.python] = counts.get(item.python, 0) + 1
    used = set(taken)
    result: list[Told | None] = [None] * len(items)
    for index, item in enumerate(items):
        if counts[item.python] == 1 and item.python not in used:
            result[index] = Told(item.python)
            used.add(item.python)
    pending = [i for i in range(len(items)) if result[i] is None]
    candidates = {i: make(spelled(items[i].original)) if counts[items[i].python] > 1 else items[i].python for i in pending}
    alike: dict[str, list[int]] = {}
    for i in pending:
        alike.setdefault(candidates[i], []).append(i)
    for i in pending:
        item, group = items[i], alike[candidates[i]]
        first = min(group, key=lambda j: (items[j].rank, j))
        like = next((items[j].original for j in range(len(items)) if j != i and items[j].python == item.python), "")
        name, rule = candidates[i], "spelled" if candidates[i] != item.python else ""
        if i != first and items[first].rank < item.rank and item.place:
            name, rule = make(f"{item.place} {spelled(item.original)}"), "place"
            like = items[first].original
        elif i != first:
            name, rule = candidates[i], "numbered"
        if name in used or rule == "numbered":
            name, rule = unique(name, used), "numbered"
        else:
            used.add(name)
        result[i] = Told(name, rule, like if rule else "")
    return [told for told in result if told is not None]


#: A connector's or package's name: what a Python package may be called and imported by.
_PACKAGE = re.compile(r"^[a-z][a-z0-9_]*$")


def unimportable(name: str) -> bool:
    """A package of this name cannot be imported (a keyword) or would shadow the standard library."""
    return keyword.iskeyword(name) or keyword.issoftkeyword(name) or name in sys.stdlib_module_names


def package_problem(name: str, package: str | None, suffix: str) -> tuple[str, str] | None:
    """What is wrong with a connector's name (from its spec file's) or the package name asked for, as
    (message, hint); None when the package can be made and imported. ``suffix``: the spec file's."""
    if package is not None and (not _PACKAGE.match(package) or unimportable(package)):
        return (
            f"package name {package!r} cannot be imported (letters, digits and '_', not a keyword or a standard-library module)",
            "choose another package name (package-names in [tool.connectorsmith], or --package-name)",
        )
    if not _PACKAGE.match(name):
        return (
            f"spec file name gives connector name {name!r}, which is not a valid package name",
            "name the file with letters, digits and '_' only, starting with a letter (e.g. spec/my_service.yaml)",
        )
    if unimportable(name):
        why = "cannot be imported (a Python keyword)" if keyword.iskeyword(name) or keyword.issoftkeyword(name) else f"shadows the standard library's {name!r} module"
        return f"connector name {name!r} would make a package that {why}", f"rename the spec file, e.g. {name}_api{suffix}"
    return None
