"""The public surface of a generated package, for telling a user what a regeneration breaks.

``public_api(connector)`` maps a stable key ("method HipChatClient.post_message") to what a caller
depends on (its signature, a field's type, an enum's values).  The writer keeps it in the manifest;
the next run compares: a key that is gone, or whose value changed, breaks code that vendors the package.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .model import Connector, Operation


def public_api(connector: Connector) -> dict[str, str]:
    client = f"{connector.class_prefix}Client"
    api: dict[str, str] = {}
    for credential in connector.connection.parameters if connector.connection else ():
        api[f"argument {client}({credential.python_name})"] = credential.annotation
    for op in connector.operations:
        api[f"method {client}.{op.python_name}"] = _signature(op, _returns(op, connector))
        if op.pager is not None:
            api[f"method {client}.{op.pager.python_name}"] = _signature(op, f"Iterator[{op.pager.item_type.python_in('models.')}]")
        for param in op.parameters:
            if param.dynamic is not None:
                api[f"method {client}.{param.dynamic.python_name}"] = "(" + ", ".join(f"{name}=" for name in param.dynamic.inputs) + ")"
    for model in connector.models:
        api[f"class models.{model.python_name}"] = "dataclass"
        for field in model.fields:
            api[f"field models.{model.python_name}.{field.python_name}"] = field.annotation + ("" if not field.required else " (required)")
    for enum in connector.enums:
        api[f"enum models.{enum.python_name}"] = ", ".join(f"{m.python_name}={m.value!r}" for m in enum.members)
    for alias in connector.aliases:
        api[f"alias models.{alias.python_name}"] = alias.target.python
    return dict(sorted(api.items()))


def _returns(op: Operation, connector: Connector) -> str:
    return op.trigger_annotation(connector.models) if op.is_trigger else op.return_annotation_in("models.")


def _signature(op: Operation, returns: str) -> str:
    args = ", ".join(f"{p.python_name}: {p.annotation_in('models.')}{'' if p.required else ' = None'}" for p in op.python_parameters)
    return f"(*, {args}) -> {returns}" if args else f"() -> {returns}"


def breaking_changes(before: dict[str, str], after: dict[str, str]) -> list[str]:
    """What a caller of ``before`` loses in ``after``: removed names, and names whose signature or type changed."""
    changes = []
    for key, old in before.items():
        new = after.get(key)
        if new is None:
            changes.append(f"{key} removed")
        elif new != old:
            changes.append(f"{key} changed: {old} -> {new}")
    return changes
