"""The outputs a run makes of a connector: its targets, as data the stages pass along.

``python`` (the client package), ``docs`` (the Markdown reference page), ``powerplatform`` (the
apiDefinition.swagger.json / apiProperties.json pair), ``openapi`` (the OpenAPI 3.1 export) and ``mcp``
(an MCP server project calling the client).
When neither ``targets`` in ``[tool.connectorsmith]`` nor ``--targets`` chooses them, the input does
(``default``): a Power Platform connector folder, or a document that uses Power Platform notions (an
``x-ms-*`` or ``x-connector-*`` key anywhere), gets the first four (``FULL``); a plain OpenAPI document gets
python, docs and openapi, and so none of the warnings about what Swagger 2.0 cannot say. ``mcp`` is made
only when named: it is a second project, with dependencies of its own (the MCP SDK).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import Any

from ..document import extensions


class Target(enum.Enum):
    PYTHON = "python"
    DOCS = "docs"
    POWERPLATFORM = "powerplatform"
    OPENAPI = "openapi"
    MCP = "mcp"


Targets = frozenset[Target]

ALL: Targets = frozenset(Target)
#: What an input that uses Power Platform notions gets when no target is named: all but ``mcp``.
FULL: Targets = ALL - {Target.MCP}
PLAIN: Targets = frozenset({Target.PYTHON, Target.DOCS, Target.OPENAPI})
NAMES = tuple(t.value for t in Target)


def parse(names: Iterable[str]) -> Targets:
    """The targets ``names`` spell; ValueError naming the known ones for any other name (or none)."""
    chosen = [name.strip() for name in names if name.strip()]
    unknown = [name for name in chosen if name not in NAMES]
    if unknown:
        raise ValueError(f"unknown target{'s' if len(unknown) > 1 else ''} {', '.join(map(repr, unknown))} (known: {', '.join(NAMES)})")
    if not chosen:
        raise ValueError(f"no target named (known: {', '.join(NAMES)})")
    if "mcp" in chosen and "python" not in chosen:
        raise ValueError("the mcp target needs the python target (the server calls the client): name both")
    return frozenset(Target(name) for name in chosen)


def default(data: Any, *, connector_folder: bool) -> Targets:
    """The targets of an input whose run chose none: ``FULL`` for a connector folder or a document that
    uses Power Platform notions, else ``PLAIN``."""
    return FULL if connector_folder or uses_power_platform(data) else PLAIN


#: Objects whose keys are names (of headers, properties, components, media types, status codes...), not
#: extensions: a response header named x-ms-request-id is no Power Platform notion.
_NAMED = frozenset({
    "headers", "properties", "patternProperties", "definitions", "schemas", "parameters", "responses", "requestBodies",
    "securityDefinitions", "securitySchemes", "examples", "encoding", "links", "callbacks", "content", "variables",
    "mapping", "scopes", "$defs", "pathItems",
})
#: Values that are data, whose keys are nobody's extensions.
_DATA = frozenset({"example", "examples", "default", "enum", "const", "x-example"})


def uses_power_platform(data: Any) -> bool:
    """Whether the document uses an ``x-ms-*`` or ``x-connector-*`` extension, where extensions stand (not
    as the name of a header, a property or a component, nor inside an example or a default)."""
    stack: list[tuple[Any, bool]] = [(data, False)]
    while stack:
        value, named = stack.pop()
        if isinstance(value, dict):
            for key, item in value.items():
                if not named and isinstance(key, str) and key.startswith(extensions.PREFIXES):
                    return True
                if not named and key in _DATA:
                    continue
                stack.append((item, not named and key in _NAMED))
        elif isinstance(value, list):
            stack.extend((item, False) for item in value)
    return False
