"""A local server that answers any generated client from the connector model: a sample of each declared response.

Requests are matched to operations by method and path template; the body is a JSON sample
of the operation's success type (every declared field filled), or nothing for 204-only
operations. Used to exercise clients generated from real-world connectors over real HTTP.
"""

from __future__ import annotations

import re
from typing import Any

from connectorsmith.model import Connector, Kind, Operation, TypeRef

from .recorder import Recorder, Seen


def sample(type_ref: TypeRef | None, connector: Connector, depth: int = 0) -> Any:
    """A JSON value of ``type_ref`` (recursion cut at depth 3)."""
    if type_ref is None:
        return None
    kind = type_ref.kind
    if kind is Kind.STRING:
        return "text"
    if kind is Kind.DATETIME:
        return "2026-01-01T00:00:00Z"
    if kind is Kind.DATE:
        return "2026-01-01"
    if kind is Kind.ALIAS:
        alias = next(a for a in connector.aliases if a.python_name == type_ref.name)
        return sample(alias.target, connector, depth + 1)
    if kind is Kind.UNION:
        value = sample(type_ref.members[0], connector, depth)
        if type_ref.discriminator is not None and isinstance(value, dict):
            value[type_ref.discriminator.property] = next(k for k, i in type_ref.discriminator.mapping if i == 0)
        return value
    if kind is Kind.INTEGER:
        return 7
    if kind is Kind.NUMBER:
        return 1.5
    if kind is Kind.BOOLEAN:
        return True
    if kind is Kind.ENUM:
        return next(e for e in connector.enums if e.python_name == type_ref.name).members[0].value
    if kind is Kind.ARRAY:
        return [] if depth > 3 else [sample(type_ref.item, connector, depth + 1)]
    if kind is Kind.MAP:
        return {} if depth > 3 else {"key": sample(type_ref.item, connector, depth + 1)}
    if kind is Kind.MODEL:
        model = next(m for m in connector.models if m.python_name == type_ref.name)
        fields = model.fields if depth <= 3 else model.required_fields
        return {f.wire_name: sample(f.type, connector, depth + 1) for f in fields}
    if kind is Kind.BINARY:
        return "binary"
    return {"any": "value"}


def _route(operation: Operation) -> re.Pattern[str]:
    path = operation.path.partition("?")[0]
    pattern = re.sub(r"\\\{[^{}]+\\\}", "[^/]+", re.escape(path))
    return re.compile(f"^{pattern}/?$")


class SchemaServer(Recorder):
    def __init__(self, connector: Connector, base_path: str) -> None:
        self.connector = connector
        self.base_path = base_path.rstrip("/")
        self.routes = sorted(((op, _route(op)) for op in connector.operations), key=lambda r: -len(r[0].path))
        super().__init__(self._answer)

    def _answer(self, seen: Seen) -> tuple[int, Any]:
        path = seen.path.split("?")[0]
        path = path.removeprefix(self.base_path)
        for operation, pattern in self.routes:
            if operation.method == seen.method and pattern.match(path):
                success = operation.success
                status = int(success.status) if success and success.status.isdigit() else 200
                if success is None or success.type is None:
                    return (204 if status == 200 else status), None
                return status, sample(success.type, self.connector)
        return 404, {"error": {"message": f"no operation for {seen.method} {path}"}}
