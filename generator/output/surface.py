"""The public surface of a generated package, for telling a user what a regeneration breaks.

``public_api(connector)`` maps a stable key ("method HipChatClient.post_message") to what a caller
depends on (its signature, a field's type, an enum's values).  The writer keeps it in the manifest;
the next run compares: a key that is gone, or whose value changed, breaks code that vendors the package.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from ..model import Connector, Model, Operation

Entries = tuple[tuple[str, str], ...]


class Kept(Protocol):
    """Entries made before, found by the very operation or model they were made of (``--watch``: the
    reuse layer keeps them; an unchanged operation or model is the same object from run to run)."""

    def entries(self, value: object, client: str, make: Callable[[], Iterable[tuple[str, str]]]) -> Entries: ...


def public_api(connector: Connector, kept: Kept | None = None) -> dict[str, str]:
    """The package's public API; ``kept``: entries made before (see ``Kept``)."""
    client = connector.client_class
    api: dict[str, str] = {}
    for credential in connector.connection.parameters if connector.connection else ():
        api[f"argument {client}({credential.python_name})"] = credential.annotation
        for argument in credential.oauth.arguments if credential.oauth else ():
            api[f"argument {client}({argument.python_name})"] = argument.annotation
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
            yield f"method {client}.{param.dynamic.python_name}", "(" + ", ".join(f"{name}=" for name in (*param.dynamic.inputs, "timeout", "headers")) + ")"


def _model_entries(model: Model) -> Iterable[tuple[str, str]]:
    yield f"class models.{model.python_name}", "dataclass"
    for field in model.fields:
        yield f"field models.{model.python_name}.{field.python_name}", field.annotation + ("" if field.default is not None else " (required)")


def _returns(op: Operation, connector: Connector) -> str:
    return op.trigger_annotation(connector.models) if op.is_trigger else op.return_annotation_in("models.")


#: The keyword arguments every method has besides the operation's own (the client template's ``signature``).
CALL_OPTIONS = "timeout: float | None = None, headers: Mapping[str, str] | None = None"


def _signature(op: Operation, returns: str) -> str:
    args = ", ".join(f"{p.python_name}: {p.annotation_in('models.')}{'' if p.argument_default is None else ' = ' + p.argument_default}" for p in op.python_parameters)
    return f"(*, {args + ', ' if args else ''}{CALL_OPTIONS}) -> {returns}"


def breaking_changes(before: dict[str, str], after: dict[str, str], successors: Mapping[str, str] | None = None) -> list[str]:
    """What a caller of ``before`` loses in ``after``: removed names, and names whose signature or type changed.

    Methods are compared argument by argument: a new optional argument, or one that takes more types
    (``T | None`` -> ``T | None | _serde.Unset``), is growth, not a change; an argument removed, a new
    required one, one made required, or a type narrowed or result changed is a change.  A model's field
    is compared as its constructor's argument: taking more types, or no longer required, is growth, and
    so is a discriminator property's ``str`` becoming the ``Literal`` of its value (that value was the
    only one its union accepted).  ``successors``: for a removed key, what likely replaced it (said
    beside it, in parentheses)."""
    changes = []
    for key, old in before.items():
        new = after.get(key)
        if new is None:
            successor = (successors or {}).get(key)
            changes.append(f"{key} removed" + (f" ({successor})" if successor else ""))
        elif new != old and not (key.startswith("method ") and _only_grew(old, new)) and not (key.startswith("field ") and _field_grew(old, new)):
            changes.append(f"{key} changed: {old} -> {new}")
    return changes


def _takes_more(old: str, new: str) -> bool:
    """Whether an argument annotated ``new`` accepts every value ``old`` did: the same, or a union of more."""
    return old == new or set(_members(old)) <= set(_members(new))


def _members(annotation: str) -> list[str]:
    """The top-level members of a union annotation: ``dict[str, int | None] | None`` -> its two members."""
    depth, members, start = 0, [], 0
    for index, char in enumerate(annotation):
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif char == "|" and depth == 0:
            members.append(annotation[start:index].strip())
            start = index + 1
    return [*members, annotation[start:].strip()]


def _field_grew(old: str, new: str) -> bool:
    """A model field's entry (``annotation`` or ``annotation (required)``): still takes what it took."""
    was_required, required = old.endswith(" (required)"), new.endswith(" (required)")
    old, new = old.removesuffix(" (required)"), new.removesuffix(" (required)")
    if required and not was_required:
        return False
    return _takes_more(old, new) or (old == "str" and new.startswith("Literal["))


def _only_grew(old: str, new: str) -> bool:
    """Whether every call of signature ``old`` is a call of ``new`` with the same result type."""
    before, after = _arguments(old), _arguments(new)
    if before is None or after is None or before[1] != after[1]:
        return False
    for name, (annotation, required) in after[0].items():
        was = before[0].get(name)
        if was is None and required:
            return False
        if was is not None and (not _takes_more(was[0], annotation) or (required and not was[1])):
            return False
    return set(before[0]) <= set(after[0])


def _arguments(signature: str) -> tuple[dict[str, tuple[str, bool]], str] | None:
    """``(*, a: int, b: str = None) -> R`` (or a dynamic-values helper's ``(a=, b=)``): each argument's
    annotation and whether it is required, and the result; None for what is not such a signature."""
    if not signature.startswith("("):
        return None
    depth, parts, start, end = 0, [], 1, -1
    for index, char in enumerate(signature):
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
            if depth == 0:
                parts.append(signature[start:index])
                end = index
                break
        elif char == "," and depth == 1:
            parts.append(signature[start:index])
            start = index + 1
    if end < 0:
        return None
    arguments: dict[str, tuple[str, bool]] = {}
    for part in (p.strip() for p in parts):
        if part in ("", "*"):
            continue
        name, _, rest = part.partition(":") if ":" in part.partition("=")[0] else part.partition("=")
        annotation, has_default, _ = rest.partition(" = ")
        arguments[name.strip()] = (annotation.strip(), not has_default and ":" in part.partition("=")[0])
    return arguments, signature[end + 1 :].strip()
