"""A typed, read-only view of a loaded document's operations, for the build side.

``operations(doc)`` reads every operation once: its place (path key, method, JSON pointer, the file it was
read from), the fields OpenAPI gives it (operationId, summary, description, deprecated, tags), its
extensions (through extensions.py), and its parameters and responses, each with its JSON pointer. The
views hold the raw nodes they were read from too (``node``), for what they do not say (schemas, a
parameter's serialization), so a reader moves to fields one read at a time.

The values are read as the builder reads them: a value of the wrong type reads as absent.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..diagnostics import Pointer
from . import extensions, openapi
from .loader import Document
from .openapi import Node, OperationNode, text


@dataclass(frozen=True)
class ParameterView:
    """A declared parameter (the path item's and the operation's merged, the operation's winning), resolved."""

    node: Node
    name: str
    location: str  # "path", "query", "header", "formData", "body", "cookie"…; "" when it says none
    required: bool  # a path parameter is, unless it says otherwise
    description: str
    summary: str | None  # x-ms-summary
    internal: bool  # x-ms-visibility: internal
    double_encoded: bool  # x-ms-url-encoding: double
    dynamic_values: dict[str, Any] | None  # x-ms-dynamic-values, else x-ms-dynamic-list
    dynamic_schema: bool  # x-ms-dynamic-schema
    notification_url: bool  # x-ms-notification-url: true

    @property
    def pointer(self) -> Pointer:
        return self.node.pointer

    @property
    def value(self) -> dict[str, Any]:
        value: dict[str, Any] = self.node.value
        return value


@dataclass(frozen=True)
class ResponseView:
    """A declared response: its status key, description, and its body's schema (None without one)."""

    node: Node
    status: str
    description: str
    schema: Node | None

    @property
    def pointer(self) -> Pointer:
        return self.node.pointer


@dataclass(frozen=True)
class OperationView:
    """An operation as the build side reads it."""

    node: OperationNode
    source: str  # the file (or URL) it was read from, as diagnostics show it
    operation_id: str | None  # stripped; None when it has none (the builder derives one)
    summary: str
    description: str
    deprecated: bool
    tags: tuple[str, ...]
    hidden: bool  # x-ms-visibility: internal
    visibility: str  # x-ms-visibility: "important", "advanced", "internal", or ""
    annotation: extensions.Annotation  # x-ms-api-annotation
    trigger: dict[str, Any] | None  # x-connector-trigger
    paging: dict[str, Any] | None  # x-connector-paging
    pageable: dict[str, Any] | None  # x-ms-pageable, with a nextLinkName
    protocol_trigger: str | None  # x-ms-trigger: batch | single
    parameters: tuple[ParameterView, ...]
    responses: tuple[ResponseView, ...]

    @property
    def path(self) -> str:
        return self.node.path

    @property
    def method(self) -> str:
        return self.node.method

    @property
    def pointer(self) -> Pointer:
        return self.node.pointer

    def parameter(self, location: str) -> ParameterView | None:
        """The first parameter declared ``in: location`` (the 2.0 body parameter: ``"body"``)."""
        return next((p for p in self.parameters if p.location == location), None)


def parameter(node: Node) -> ParameterView:
    value = node.value
    location = value.get("in")
    return ParameterView(
        node=node,
        name=str(value.get("name")),
        location=location if isinstance(location, str) else "",
        required=bool(value.get("required", location == "path")),
        description=text(value.get("description")),
        summary=extensions.summary(value),
        internal=extensions.internal(value),
        double_encoded=extensions.url_encoding(value) == "double",
        dynamic_values=extensions.dynamic_values(value),
        dynamic_schema=extensions.dynamic_schema(value),
        notification_url=extensions.notification_url(value),
    )


def operation(doc: Document, op: OperationNode) -> OperationView:
    value = op.value
    raw_id, tags = value.get("operationId"), value.get("tags")
    return OperationView(
        node=op,
        source=doc.origin(op.pointer)[0].display,
        operation_id=raw_id.strip() if isinstance(raw_id, str) and raw_id.strip() else None,
        summary=text(value.get("summary")),
        description=text(value.get("description")),
        deprecated=bool(value.get("deprecated", False)),
        tags=tuple(t for t in tags if isinstance(t, str)) if isinstance(tags, list) else (),
        hidden=extensions.internal(value),
        visibility=extensions.visibility(value) or "",
        annotation=extensions.api_annotation(value),
        trigger=extensions.trigger(value),
        paging=extensions.paging(value),
        pageable=extensions.pageable(value),
        protocol_trigger=extensions.protocol_trigger(value),
        parameters=tuple(parameter(node) for node in openapi.parameters(doc.data, op)),
        responses=tuple(
            ResponseView(node, status, text(node.value.get("description")), schema) for status, node, schema in openapi.responses(doc.data, op)
        ),
    )


def operations(doc: Document) -> tuple[OperationView, ...]:
    """Every operation of ``doc``, in document order (path keys, then methods in OpenAPI's order)."""
    return tuple(operation(doc, op) for op in openapi.iter_operations(doc.data))
