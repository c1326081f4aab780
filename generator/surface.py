"""The public surface of a generated package, for telling a user what a regeneration breaks.

``public_api(connector)`` maps a stable key ("method HipChatClient.post_message") to what a caller
depends on (its signature, a field's type, an enum's values).  The writer keeps it in the manifest;
the next run compares: a key that is gone, or whose value changed, breaks code that vendors the package.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from .recent import Recent

if TYPE_CHECKING:
    from .model import Connector, Model, Operation

Entries = tuple[tuple[str, str], ...]


class Kept:
    """Each operation's and model's entries, as a run made them, for the next (--watch, memory.py): an
    unchanged operation or model is the same object from run to run (replay.py), so its entries are
    found by identity.  An entry holds its object, so no other object has its id while it is there."""

    def __init__(self) -> None:
        self._entries: Recent[tuple[int, str], tuple[object, Entries]] = Recent()

    def turn(self) -> None:
        self._entries.turn()

    def entries(self, value: object, client: str, make: Callable[[], Iterable[tuple[str, str]]]) -> Entries:
        found = self._entries.get((id(value), client))
        if found is None:
            found = (value, tuple(make()))
            self._entries.put((id(value), client), found)
        return found[1]


def public_api(connector: Connector, kept: Kept | None = None) -> dict[str, str]:
    """The package's public API; ``kept``: entries made before (see ``Kept``)."""
    client = f"{connector.class_prefix}Client"
    api: dict[str, str] = {}
    for credential in connector.connection.parameters if connector.connection else ():
        api[f"argument {client}({credential.python_name})"] = credential.annotation
    for op in connector.operations:
        if op.is_trigger or kept is None:  # a trigger's item type is looked up among the connector's models
            api.update(_operation_entries(op, client, connector))
        else:
            api.update(kept.entries(op, client, functools.partial(_operation_entries, op, client, connector)))
    for model in connector.models:
        api.update(_model_entries(model) if kept is None else kept.entries(model, "", functools.partial(_model_entries, model)))
    for enum in connector.enums:
        api[f"enum models.{enum.python_name}"] = ", ".join(f"{m.python_name}={m.value!r}" for m in enum.members)
    for alias in connector.aliases:
        api[f"alias models.{alias.python_name}"] = alias.target.python
    return dict(sorted(api.items()))


def _operation_entries(op: Operation, client: str, connector: Connector) -> Iterable[tuple[str, str]]:
    yield f"method {client}.{op.python_name}", _signature(op, _returns(op, connector))
    if op.pager is not None:
        yield f"method {client}.{op.pager.python_name}", _signature(op, f"Iterator[{op.pager.item_type.python_in('models.')}]")
    for param in op.parameters:
        if param.dynamic is not None:
            yield f"method {client}.{param.dynamic.python_name}", "(" + ", ".join(f"{name}=" for name in param.dynamic.inputs) + ")"


def _model_entries(model: Model) -> Iterable[tuple[str, str]]:
    yield f"class models.{model.python_name}", "dataclass"
    for field in model.fields:
        yield f"field models.{model.python_name}.{field.python_name}", field.annotation + ("" if not field.required else " (required)")


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
