"""Every extension connectorsmith reads, in one registry, and the functions the stages read them with.

An extension is a key OpenAPI leaves to its users: Power Platform's ``x-ms-*`` and connectorsmith's own
``x-connector-*``. ``REGISTRY`` lists each one connectorsmith reads: its name, where in a document it may
stand, and what it becomes (one line, in the words of the Extensions table of docs/spec-format.md, which
a test checks against this registry row for row). The rest of the generator reads extensions only through
this module: through the typed accessors below, or through an ``Extension``'s ``of``, ``at`` and ``name``
where the raw value, a pointer or a key to write is wanted. A test fails on a quoted ``x-ms-`` or
``x-connector-`` key anywhere else in generator/ (the generated clients' run-time aside).

An accessor reads what the stages used to read inline, the same way: a value of the wrong type reads as
absent (the ``x-connector-*`` ones were rejected by their JSON Schema already, when a document is
validated; Power Platform's are read leniently, as Power Platform does).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..diagnostics import Pointer

if TYPE_CHECKING:
    from .openapi import OperationNode

#: The prefixes of the extensions that make a document a Power Platform one (targets.py), and of
#: connectorsmith's own, which the Power Platform export leaves out.
POWER_PLATFORM_PREFIX = "x-ms-"
OWN_PREFIX = "x-connector-"
PREFIXES = (POWER_PLATFORM_PREFIX, OWN_PREFIX)


class Place(enum.Enum):
    """Where an extension may stand (the Extensions table's "where" words)."""

    ROOT = "root"
    CONTACT = "info.contact"
    PATH_ITEM = "path item"
    OPERATION = "operation"
    PARAMETER = "parameter"
    SCHEMA = "schema or property"
    POLICY = "policy parameters (apiProperties.json)"


@dataclass(frozen=True)
class Extension:
    """One extension: its key, where it may stand, and what it becomes (one line, as the docs say it)."""

    name: str
    where: tuple[Place, ...]
    becomes: str

    def of(self, node: Any) -> Any:
        """Its value on ``node`` (an object of the document), None where it is absent or ``node`` is no object."""
        return node.get(self.name) if isinstance(node, dict) else None

    def on(self, node: Any) -> bool:
        """Whether ``node`` has the key (whatever its value)."""
        return isinstance(node, dict) and self.name in node

    def at(self, pointer: Pointer) -> Pointer:
        """The pointer of the key on the object at ``pointer``."""
        return (*pointer, self.name)


def _ext(name: str, *where: Place, becomes: str) -> Extension:
    return Extension(name, where, becomes)


RELEASE_STAGE = _ext("x-connector-release-stage", Place.ROOT, becomes="the release stage: anything but production is shown after the title, as in \"HipChat (Preview)\"")
PUBLISHER = _ext("x-connector-publisher", Place.ROOT, becomes="the docs' publisher (else apiProperties' publisher)")
AVAILABILITY = _ext("x-connector-availability", Place.ROOT, becomes="the docs' products-and-regions table")
THROTTLING = _ext("x-connector-throttling", Place.ROOT, becomes="the docs' throttling table; the client enforces scope: connection, and trigger-poll sets a trigger's default poll interval")
CONNECTION = _ext("x-connector-connection", Place.ROOT, becomes="the client's constructor arguments and how each credential is sent (apiProperties' connectionParameters)")
CONNECTOR_METADATA = _ext("x-ms-connector-metadata", Place.ROOT, becomes="the docs' metadata rows (Website, Privacy policy…)")
LINKS = _ext("x-connector-links", Place.CONTACT, becomes="the docs' support links, each shown as a link")
TRIGGER = _ext("x-connector-trigger", Place.OPERATION, becomes="a polling trigger on a GET: how new items are found in its response")
PAGING = _ext("x-connector-paging", Place.OPERATION, becomes="`iter_<operation>(...)`: how a list operation pages (next-link, link-header, cursor, page, offset)")
PAGEABLE = _ext("x-ms-pageable", Place.OPERATION, becomes="`iter_<operation>(...)` yields every item of every page (`nextLinkName`, `itemName`)")
PROTOCOL_TRIGGER = _ext("x-ms-trigger", Place.OPERATION, becomes="on a GET without `x-connector-trigger`: a `ProtocolTrigger` (202 = nothing new, `Location` = where to poll next, `Retry-After` = when)")
VISIBILITY = _ext("x-ms-visibility", Place.OPERATION, Place.PARAMETER, Place.SCHEMA, becomes="`internal`: left out of the docs page; a parameter with a `default` is not an argument and is always sent with the default")
API_ANNOTATION = _ext("x-ms-api-annotation", Place.OPERATION, becomes="`status: Preview` marks the docs title; `family` and `revision` name a deprecated action's successor (in its warning and on the docs page)")
NOTIFICATION_CONTENT = _ext("x-ms-notification-content", Place.OPERATION, Place.PATH_ITEM, becomes="what a webhook's callback receives: a model, and what its docs show")
NOTIFICATION_URL = _ext("x-ms-notification-url", Place.PARAMETER, Place.SCHEMA, becomes="`true`: a webhook; the method returns a `Subscription` (its `unsubscribe()` DELETEs the `Location` the service gave)")
SUMMARY = _ext("x-ms-summary", Place.PARAMETER, Place.SCHEMA, becomes="the display name, else `title` (the docs page's names)")
URL_ENCODING = _ext("x-ms-url-encoding", Place.PARAMETER, becomes="`double`: the path value is percent-encoded twice")
DYNAMIC_VALUES = _ext("x-ms-dynamic-values", Place.PARAMETER, becomes="`<operation>_<parameter>_values(...)` returns the allowed values and titles")
DYNAMIC_LIST = _ext("x-ms-dynamic-list", Place.PARAMETER, becomes="as `x-ms-dynamic-values` (`itemsPath`, `itemValuePath`, `itemTitlePath`)")
DYNAMIC_SCHEMA = _ext("x-ms-dynamic-schema", Place.PARAMETER, Place.SCHEMA, becomes="documented as dynamic; the value is typed loosely")
DYNAMIC_PROPERTIES = _ext("x-ms-dynamic-properties", Place.SCHEMA, becomes="documented as dynamic, as `x-ms-dynamic-schema`")
POLICY_OPERATIONS = _ext("x-ms-apimTemplate-operationName", Place.POLICY, becomes="the operations a policy applies to (all when absent; matched without regard to case)")
POLICY_SECTION = _ext("x-ms-apimTemplate-policySection", Place.POLICY, becomes="where a policy acts: only `Request` policies are carried out")
POLICY_PARAMETER = _ext("x-ms-apimTemplateParameter.*", Place.POLICY, becomes="a policy's settings (`urlTemplate`, `name`, `value`, `existsAction`, `newPath`, `nextLinkPropertyName`…)")

#: Every extension connectorsmith reads, in the order of the docs' table.
REGISTRY: tuple[Extension, ...] = (
    RELEASE_STAGE, PUBLISHER, AVAILABILITY, THROTTLING, CONNECTION, CONNECTOR_METADATA, LINKS,
    TRIGGER, PAGING, PAGEABLE, PROTOCOL_TRIGGER, VISIBILITY, API_ANNOTATION, NOTIFICATION_CONTENT,
    NOTIFICATION_URL, SUMMARY, URL_ENCODING, DYNAMIC_VALUES, DYNAMIC_LIST, DYNAMIC_SCHEMA, DYNAMIC_PROPERTIES,
    POLICY_OPERATIONS, POLICY_SECTION, POLICY_PARAMETER,
)


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _object(value: Any) -> dict[str, Any] | None:
    return value if isinstance(value, dict) else None


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


# ------------------------------------------------------------------ at the root and in info.contact


def release_stage(root: Any) -> str | None:
    return _text(RELEASE_STAGE.of(root))


def publisher(root: Any) -> str | None:
    return _text(PUBLISHER.of(root))


def availability(root: Any) -> list[Any]:
    """The rows of the products-and-regions table, as written (the extension schema checks their keys)."""
    return _list(AVAILABILITY.of(root))


def throttling(root: Any) -> list[Any]:
    """The throttle limits, as written (the extension schema checks their keys)."""
    return _list(THROTTLING.of(root))


def connection(root: Any) -> dict[str, Any] | None:
    return _object(CONNECTION.of(root))


def connector_metadata(root: Any) -> tuple[tuple[str, str], ...]:
    """(propertyName, propertyValue) of each entry that names a property."""
    return tuple(
        (item["propertyName"], str(item.get("propertyValue", "")))
        for item in _list(CONNECTOR_METADATA.of(root))
        if isinstance(item, dict) and isinstance(item.get("propertyName"), str)
    )


def links(contact: Any) -> list[Any]:
    """info.contact's support links, as written (each a {title, url})."""
    return _list(LINKS.of(contact))


# ------------------------------------------------------------------ on an operation or its path item


def trigger(op: Any) -> dict[str, Any] | None:
    """x-connector-trigger's settings."""
    return _object(TRIGGER.of(op))


def paging(op: Any) -> dict[str, Any] | None:
    """x-connector-paging's settings."""
    return _object(PAGING.of(op))


def pageable(op: Any) -> dict[str, Any] | None:
    """x-ms-pageable where it names a ``nextLinkName`` (without one it says nothing the client can follow)."""
    value = _object(PAGEABLE.of(op))
    return value if value is not None and value.get("nextLinkName") else None


def protocol_trigger(op: Any) -> str | None:
    """x-ms-trigger's "batch" or "single"; None for anything else."""
    value = PROTOCOL_TRIGGER.of(op)
    return value if value in ("batch", "single") else None


def visibility(node: Any) -> str | None:
    """x-ms-visibility of an operation, parameter or property ("internal", "important", "advanced")."""
    return _text(VISIBILITY.of(node))


def internal(node: Any) -> bool:
    return visibility(node) == "internal"


@dataclass(frozen=True)
class Annotation:
    """x-ms-api-annotation: ``status`` lowered ("preview"…), ``family`` and ``revision`` (0 when not an integer)."""

    status: str = ""
    family: str = ""
    revision: int = 0


def api_annotation(op: Any) -> Annotation:
    value = _object(API_ANNOTATION.of(op)) or {}
    status, family, revision = value.get("status"), value.get("family"), value.get("revision")
    return Annotation(
        status=status.strip().lower() if isinstance(status, str) else "",
        family=family.strip() if isinstance(family, str) else "",
        revision=revision if isinstance(revision, int) and not isinstance(revision, bool) else 0,
    )


def notification_content(op: OperationNode) -> tuple[Any, Pointer] | None:
    """x-ms-notification-content's schema and its pointer: the operation's, else its path item's."""
    raw = NOTIFICATION_CONTENT.of(op.value) or NOTIFICATION_CONTENT.of(op.path_item.value)
    if not isinstance(raw, dict) or "schema" not in raw:
        return None
    where = NOTIFICATION_CONTENT.at(op.pointer) if NOTIFICATION_CONTENT.on(op.value) else NOTIFICATION_CONTENT.at(op.path_item.pointer)
    return raw["schema"], (*where, "schema")


# ------------------------------------------------------------------ on a parameter or a schema


def summary(node: Any) -> str | None:
    """x-ms-summary: a parameter's or schema's display name."""
    return _text(SUMMARY.of(node))


def url_encoding(param: Any) -> str | None:
    return _text(URL_ENCODING.of(param))


def notification_url(node: Any) -> bool:
    """x-ms-notification-url: true: the parameter or body property is the webhook's callback URL."""
    return NOTIFICATION_URL.of(node) is True


def dynamic_values(param: Any) -> dict[str, Any] | None:
    """x-ms-dynamic-values, else x-ms-dynamic-list: how another operation lists the parameter's values."""
    return _object(DYNAMIC_VALUES.of(param) or DYNAMIC_LIST.of(param))


def dynamic_schema(node: Any) -> bool:
    return bool(DYNAMIC_SCHEMA.of(node))


def dynamic_properties(node: Any) -> bool:
    return bool(DYNAMIC_PROPERTIES.of(node))


# ------------------------------------------------------------------ policyTemplateInstances (apiProperties.json)

_POLICY_PARAMETER_PREFIX = POLICY_PARAMETER.name.removesuffix("*")


def policy_operations(params: Any) -> Any:
    """The operation names a policy is limited to, as written (a list; anything else: every operation)."""
    return POLICY_OPERATIONS.of(params)


def policy_section(params: Any) -> str:
    """Where the policy acts ("Request" unless it says otherwise)."""
    return str(params.get(POLICY_SECTION.name, "Request")) if isinstance(params, dict) else "Request"


def policy_parameter(params: Any, name: str, default: Any = None) -> Any:
    """The policy's ``x-ms-apimTemplateParameter.<name>``, as written; ``default`` where absent."""
    return params.get(_POLICY_PARAMETER_PREFIX + name, default) if isinstance(params, dict) else default
