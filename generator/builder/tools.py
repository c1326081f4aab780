"""The MCP server's tools, decided from the connector (target ``mcp``; the server's templates print them).

- **Actions**: one tool per operation that is not ``internal`` (x-ms-visibility), named as the client's
  method; ``advanced`` ones are marked so (a server leaves them out unless asked). Its arguments are the
  method's (a body's fields flattened, as the method takes them), its input schema JSON Schema of them,
  its output schema the success response's (a result that is not an object is ``{"result": ...}``).
- **Triggers** (polling, and Power Platform's polling protocol): a tool that polls once with a cursor the
  caller keeps: ``cursor`` in, ``{"items": [...], "cursor": {...}}`` out.
- **Dynamic values** (x-ms-dynamic-values / x-ms-dynamic-list): a tool per parameter that has them, named
  as the client's helper (``<operation>_<parameter>_values``); the parameter's description names it.
- **Downloads** (a binary response): the file's bytes as MCP content (an embedded resource, an image as an
  image), its media type and size as structured content.
- Left out, each with a warning (``not-a-tool``): webhook triggers (registered with a callback URL an agent
  has none of), and operations whose response is a stream of events.

Schemas are JSON Schema 2020-12, each self-contained (the models it reaches under ``$defs``). An input
schema says what to send (required fields, enums, formats, constraints; the client's open enums also take
values the document does not list); an output schema is as loose as the client is (any field may be
null; unknown fields are kept; an open enum's other values pass), so that a result it decodes always fits
what the tool promises.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from ..diagnostics import Diagnostic
from ..document.loader import Document
from ..model import (
    Connector,
    Kind,
    McpServer,
    Model,
    Operation,
    Parameter,
    Tool,
    ToolArgument,
    ToolKind,
    TypeRef,
)
from . import naming

MANY_TOOLS = McpServer.MANY_TOOLS

_READ_ONLY = frozenset({"GET", "HEAD", "OPTIONS"})
_DESTRUCTIVE = frozenset({"DELETE", "PUT", "PATCH"})
_IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})


def mcp_server(connector: Connector, doc: Document) -> tuple[McpServer, list[Diagnostic]]:
    """The MCP server of ``connector``, and the warnings about what it cannot make a tool."""
    schemas = _Schemas(connector)
    warnings: list[Diagnostic] = []
    tools: list[Tool] = []
    left_out: list[tuple[str, str]] = []
    shortened: list[str] = []
    made: list[Operation] = []
    for op in (*connector.actions, *connector.triggers):
        if op.hidden:
            left_out.append((op.python_name, "internal (x-ms-visibility): a helper of the connector"))
            continue
        why = _not_a_tool(op)
        if why:
            left_out.append((op.python_name, why))
            warnings.append(doc.warning(("paths", op.path_key, op.method.lower()), f"{op.operation_id} is no tool of the MCP server: {why}", "the client has it; call it from code", code="not-a-tool"))
            continue
        made.append(op)
    plan = _plan(made)
    for op in made:
        before = schemas.shortened
        tools.append(_trigger(op, schemas, plan) if op.is_trigger else _action(op, schemas, plan))
        if schemas.shortened > before:
            shortened.append(op.python_name)
    for method, fed in plan.values.items():
        tools.append(_values(plan.names[method], method, fed, connector, schemas))
    renamed = [(method, name) for method, name in plan.names.items() if method != name]
    if renamed:
        warnings.append(
            doc.warning(
                (),
                f"{len(renamed)} of the MCP server's tool names are shortened to {TOOL_NAME} characters, as MCP hosts take them "
                f"({', '.join(f'{m} -> {n}' for m, n in renamed[:2])}{', ...' if len(renamed) > 2 else ''})",
                "the client's methods keep their names; a shorter operationId gives a tool its own",
                code="renamed",
            )
        )
    if shortened:
        warnings.append(
            doc.warning(
                (),
                f"{len(shortened)} of the MCP server's tools have schemas that reach more than {MAX_MODELS} models "
                f"({', '.join(shortened[:3])}{', ...' if len(shortened) > 3 else ''}): their nested objects are given as plain objects",
                "the client still checks every value it decodes; a tool error names a value that does not fit",
                code="schema-shortened",
            )
        )
    names = [tool.name for tool in tools]
    assert len(set(names)) == len(names), f"tool names collide: {names}"  # they are the client's method names
    default = [t for t in tools if t.visibility != "advanced"]
    if len(default) > MANY_TOOLS:
        warnings.append(
            doc.warning(
                (),
                f"the MCP server exposes {len(default)} tools by default, more than {MANY_TOOLS}: agents choose worse among many",
                "run it with --include, --tags or --exclude (or their environment variables) to expose the tools a task needs",
                code="many-tools",
            )
        )
    prefix = naming.env_var(connector.name)
    credentials = [p for p in (connector.connection.parameters if connector.connection else ()) if p.env_var]
    secrets = tuple(dict.fromkeys(p.env_var for p in credentials if p.secret))
    # The server's own variables, apart from the client's (a connection parameter named baseUrl is
    # <PREFIX>_BASE_URL already): each is checked against the credentials' and the settings'.
    taken = {p.env_var for p in credentials}
    options = next(o for o in (f"{prefix}_MCP_", f"{prefix}_MCP_SERVER_", f"{prefix}_MCPSERVER_") if not any(t.startswith(o) for t in taken))
    base_url = next(v for v in (f"{prefix}_BASE_URL", f"{options}BASE_URL") if v not in taken)
    server = McpServer(
        package=f"{connector.package}_mcp",
        project=f"{connector.package}-mcp".replace("_", "-"),
        script=f"{connector.name}-mcp",
        base_url_variable=base_url,
        options_prefix=options,
        tools=tuple(tools),
        secrets=secrets,
        instructions=_instructions(connector, tools),
        settings=_settings(connector, prefix, taken | {base_url}, options),
        left_out=tuple(left_out),
    )
    return server, warnings


#: The longest tool name: MCP allows 128 characters, the hosts agents run in take 64.
TOOL_NAME = 64


@dataclass(frozen=True)
class _Plan:
    """The tools' names, decided before any tool is made (a description names other tools).

    ``names``: each tool's name by the client method it calls (the method's own, or shortened);
    ``values``: the dynamic-values tools, by the helper method each calls, and the (operation, parameter)
    pairs it feeds; ``feeds``: the values tool's name for each such pair."""

    names: dict[str, str]
    values: dict[str, list[tuple[Operation, Parameter]]]
    feeds: dict[tuple[str, str], str]


def _plan(made: list[Operation]) -> _Plan:
    """Values tools only for the parameters of operations that are tools; one for the parameters whose
    helpers list the same values (the same operation called alike, the same paths into its answer)."""
    values: dict[str, list[tuple[Operation, Parameter]]] = {}
    first: dict[str, str] = {}
    for op in made:
        for p in op.parameters:
            d = p.dynamic
            if d is None or p.internal:
                continue
            key = repr((d.operation, d.arguments, d.collection, d.value_path, d.title_path, d.inputs))
            method = first.setdefault(key, d.python_name)
            values.setdefault(method, []).append((op, p))
    methods = [op.python_name for op in made] + list(values)
    names = _tool_names(methods)
    feeds = {(op.python_name, p.python_name): names[method] for method, fed in values.items() for op, p in fed}
    return _Plan(names, values, feeds)


def _tool_names(methods: list[str]) -> dict[str, str]:
    """Each method's tool name: the method's, or past ``TOOL_NAME`` characters its start and a digest of
    it (unique among the others)."""
    taken = {m for m in methods if len(m) <= TOOL_NAME}
    names: dict[str, str] = {}
    for method in methods:
        if len(method) <= TOOL_NAME:
            names[method] = method
            continue
        start, digest = method[: TOOL_NAME - 9].rstrip("_"), method
        while True:
            digest = hashlib.sha256(digest.encode()).hexdigest()
            name = f"{start}_{digest[:8]}"
            if name not in taken:
                break
        taken.add(name)
        names[method] = name
    return names


def _instructions(connector: Connector, tools: list[Tool]) -> str:
    """The server's instructions to an agent: the service, and how its kinds of tools are used."""
    words = [f"Tools of the {connector.title} connector{': ' + connector.description.strip() if connector.description.strip() else '.'}"]
    if any(t.kind is ToolKind.TRIGGER for t in tools):
        words.append("A trigger's tool polls: call it without a cursor for a baseline, then with the cursor it returned for what is new.")
    if any(t.kind is ToolKind.VALUES for t in tools):
        words.append("Where an argument's description names a values tool, call it to learn the values that argument may take.")
    return "\n\n".join(words)


def _settings(connector: Connector, prefix: str, taken: set[str], options: str) -> tuple[tuple[str, str, str], ...]:
    """The client's server arguments (the server to use, server variables), each from an environment
    variable ``<PREFIX>_<NAME>``; ``<PREFIX>_SERVER_<NAME>`` where that name is taken (a credential's, or
    the server's own: ``<PREFIX>_BASE_URL``, ``<PREFIX>_MCP_*``)."""
    taken = set(taken)
    wanted = [(connector.server_choice, "server", "which of the document's servers: its index or its description")] if connector.server_choice else []
    wanted += [(a.python_name, a.wire_name, a.description or f"the server variable {a.wire_name}") for a in connector.server_arguments]
    settings = []
    for argument, wire, meaning in wanted:
        variable = naming.env_var(prefix, wire)
        if variable in taken or variable.startswith(options):
            variable = naming.env_var(prefix, "server", wire)
        taken.add(variable)
        settings.append((argument, variable, meaning))
    return tuple(settings)


def _not_a_tool(op: Operation) -> str:
    if op.webhook:
        return "a webhook trigger (it registers a callback URL, which an agent has none of)"
    if op.stream == "events":
        return "its response is a stream of events"
    return ""


def _annotations(op: Operation) -> dict[str, bool]:
    return {"read_only": op.method in _READ_ONLY, "destructive": op.method in _DESTRUCTIVE, "idempotent": op.method in _IDEMPOTENT}


def _description(*parts: str) -> str:
    return "\n\n".join(part.strip() for part in parts if part and part.strip())


def _about(op: Operation, *more: str) -> str:
    """An operation's tool's description: its summary, its description (when it says more), ``more``, and
    whether it is deprecated."""
    return _description(op.summary, op.description if op.description != op.summary else "", *more, _deprecated(op))


def _visibility(op: Operation) -> str:
    return "advanced" if op.advanced else ""


def _arguments(op: Operation, schemas: _Schemas, plan: _Plan) -> tuple[tuple[ToolArgument, ...], dict[str, Any]]:
    arguments: list[ToolArgument] = []
    properties: dict[str, Any] = {}
    required: list[str] = []
    defs: dict[str, Any] = {}
    for p in op.python_parameters:
        arguments.append(ToolArgument(p.python_name, p.type, p.required))
        schema = {**schemas.input(p.type, defs), **_applicable(p)}  # a pattern in words only (below)
        if not p.required and not p.type.nullable:
            schema = _or_null(schema)  # null for an optional argument: not given
        words = [p.doc if p.doc != p.wire_name else "", _said(p)]
        values = plan.feeds.get((op.python_name, p.python_name))
        if values:
            words.append(f"Its valid values: call the tool {values}.")
        description = " ".join(w for w in words if w)
        properties[p.python_name] = {**({"description": description} if description else {}), **schema}
        if p.required:
            required.append(p.python_name)
    return tuple(arguments), _object(properties, required, defs)


#: The constraints that apply to each JSON type (a constraint of another type's is not shown).
_APPLIES = {
    "integer": ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"),
    "number": ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"),
    "string": ("minLength", "maxLength"),
    "array": ("minItems", "maxItems", "uniqueItems"),
}
_JSON_TYPE = {Kind.INTEGER: "integer", Kind.NUMBER: "number", Kind.STRING: "string", Kind.ARRAY: "array"}


def _applicable(p: Parameter) -> dict[str, Any]:
    """The argument's constraints its schema holds: those of its JSON type (a pattern is said in its
    description only: the document's may not be a regular expression every client reads alike)."""
    keys = _APPLIES.get(_JSON_TYPE.get(p.type.kind, ""), ())
    return {key: value for key, value in p.constraints if key in keys}


_WORDS = {
    "minimum": "at least {}",
    "maximum": "at most {}",
    "exclusiveMinimum": "more than {}",
    "exclusiveMaximum": "less than {}",
    "multipleOf": "a multiple of {}",
    "minLength": "at least {} characters",
    "maxLength": "at most {} characters",
    "minItems": "at least {} items",
    "maxItems": "at most {} items",
    "uniqueItems": "no item twice",
}


def _said(p: Parameter) -> str:
    """The argument's constraints, in words, for its description."""
    words = [_WORDS[key].format(value) if key != "uniqueItems" else _WORDS[key] for key, value in _applicable(p).items()]
    pattern = dict(p.constraints).get("pattern") if p.type.kind is Kind.STRING else None
    if pattern:
        words.append(f"matching the regular expression {pattern}")
    return ("Must be " + ", ".join(words) + ".") if words else ""


def _object(properties: dict[str, Any], required: list[str], defs: dict[str, Any], *, closed: bool = True) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        schema["required"] = required
    if closed:
        schema["additionalProperties"] = False  # an argument the method does not take is refused
    if defs:
        schema["$defs"] = dict(sorted(defs.items()))
    return schema


#: What a download's tool returns besides the file's content (an embedded resource, or an image).
_DOWNLOADED = {
    "type": "object",
    "properties": {
        "content_type": {"type": "string", "description": "The file's media type, as the service gave it."},
        "size": {"type": "integer", "description": "Its size in bytes."},
    },
    "required": ["content_type", "size"],
}


def _download(op: Operation, schemas: _Schemas, plan: _Plan) -> Tool:
    arguments, input_schema = _arguments(op, schemas, plan)
    returns = (
        "Returns the file it downloads: its content (an embedded resource, base64; an image as an image), "
        "with its media type and size. A file over the server's limit (--max-download) is an error."
    )
    return Tool(
        name=plan.names[op.python_name],
        title=op.display_name,
        description=_about(op, returns),
        kind=ToolKind.DOWNLOAD,
        method=op.python_name,
        arguments=arguments,
        input_schema=input_schema,
        output_schema=_DOWNLOADED,
        result=None,
        wrapped=False,
        visibility=_visibility(op),
        tags=op.tags,
        **_annotations(op),
    )


def _action(op: Operation, schemas: _Schemas, plan: _Plan) -> Tool:
    if op.stream == "download":
        return _download(op, schemas, plan)
    arguments, input_schema = _arguments(op, schemas, plan)
    result = op.result_type
    output: Any = None
    wrapped = False
    returns = "nothing (the call succeeded)"
    if result is not None:
        defs: dict[str, Any] = {}
        schema = schemas.output(result, defs)
        if op.may_return_empty:
            schema = _or_null(schema)
        if result.kind is Kind.MODEL and not result.nullable and not op.may_return_empty:
            # An object at the top, as MCP's earlier versions require of an output schema.
            output = {"type": "object", **schema, **({"$defs": dict(sorted(defs.items()))} if defs else {})}
        else:
            wrapped = True
            output = _object({"result": schema}, ["result"], defs, closed=False)
        returns = f"{result.docs or 'a JSON value'}" + (f" ({op.success.description})" if op.success is not None and op.success.description else "")
    success = f"Returns {returns}." if result is not None else "Returns nothing when it succeeds."
    return Tool(
        name=plan.names[op.python_name],
        title=op.display_name,
        description=_about(op, success),
        kind=ToolKind.ACTION,
        method=op.python_name,
        arguments=arguments,
        input_schema=input_schema,
        output_schema=output,
        result=result,
        wrapped=wrapped,
        visibility=_visibility(op),
        tags=op.tags,
        **_annotations(op),
    )


def _deprecated(op: Operation) -> str:
    if not op.deprecated:
        return ""
    return f"Deprecated: use {op.successor_method} instead." if op.successor_method else "Deprecated."


_CURSOR = {
    "description": "The cursor the last call of this tool returned; leave it out on the first call.",
    "type": ["object", "null"],
}


def _trigger(op: Operation, schemas: _Schemas, plan: _Plan) -> Tool:
    arguments, input_schema = _arguments(op, schemas, plan)
    input_schema["properties"]["cursor"] = _CURSOR
    if op.trigger is not None:
        item = op.trigger.item_type
    else:
        item = op.protocol_item(schemas.connector.models)
    defs: dict[str, Any] = {}
    items = {"type": "array", "items": schemas.output(item, defs)}
    output = _object({"items": items, "cursor": {"type": "object"}}, ["items", "cursor"], defs, closed=False)
    if op.trigger is not None:
        how = (
            "Polls for new items. Call it first without a cursor: it returns no items and the cursor to start from. "
            "Call it again with the last cursor it returned: it returns the items that arrived since, oldest first, and the next cursor."
        )
    else:  # Power Platform's polling protocol: the service keeps the place, in the URL the cursor holds
        how = (
            "Polls for new items. Call it first without a cursor: it returns the items the service has now and the cursor to go on from. "
            "Call it again with the last cursor it returned: it returns the items that arrived since and the next cursor."
        )
    return Tool(
        name=plan.names[op.python_name],
        title=op.display_name,
        description=_about(op, how),
        kind=ToolKind.TRIGGER,
        method=op.python_name,
        arguments=arguments,
        input_schema=input_schema,
        output_schema=output,
        result=item,
        wrapped=False,
        read_only=True,
        destructive=False,
        idempotent=False,
        visibility=_visibility(op),
        tags=op.tags,
    )


def _values(name: str, method: str, fed: list[tuple[Operation, Parameter]], connector: Connector, schemas: _Schemas) -> Tool:
    op, parameter = fed[0]
    dynamic = parameter.dynamic
    assert dynamic is not None
    source = connector.operation(dynamic.operation)
    inputs = {p.python_name: p for p in op.parameters}
    arguments = tuple(ToolArgument(n, TypeRef(Kind.ANY), False) for n in dynamic.inputs)
    properties = {n: {"description": f"The value of {n!r} of {op.python_name}, which the list depends on.", **_type_of(inputs.get(n), schemas)} for n in dynamic.inputs}
    value = {"type": "object", "properties": {"value": {}, "title": {"type": "string"}}, "required": ["value", "title"]}
    output = _object({"values": {"type": "array", "items": value}}, ["values"], {}, closed=False)
    uses = ", ".join(f"{p.python_name!r} of {o.python_name}" for o, p in fed[:5]) + (f" and {len(fed) - 5} more" if len(fed) > 5 else "")
    return Tool(
        name=name,
        title=f"Values of {parameter.title or parameter.wire_name}",
        description=_description(
            f"The values the argument {uses} may take, each with its display title, as {source.python_name} lists them.",
            "Pass a value's `value` as that argument.",
        ),
        kind=ToolKind.VALUES,
        method=method,
        arguments=arguments,
        input_schema=_object(properties, [], {}),
        output_schema=output,
        result=None,
        wrapped=False,
        read_only=True,
        destructive=False,
        idempotent=True,
        visibility="advanced" if all(o.advanced for o, _ in fed) else "",
        tags=tuple(dict.fromkeys(t for o, _ in fed for t in o.tags)),
    )


def _type_of(parameter: Parameter | None, schemas: _Schemas) -> dict[str, Any]:
    """A values tool's input: its type when it is a plain one (the helper takes any value)."""
    if parameter is None or parameter.type.kind in (Kind.MODEL, Kind.ALIAS, Kind.UNION, Kind.ARRAY, Kind.MAP):
        return {}
    return schemas.input(parameter.type, {})


def _or_null(schema: dict[str, Any]) -> dict[str, Any]:
    kind = schema.get("type")
    if isinstance(kind, str) and "enum" in schema:
        return {**schema, "type": [kind, "null"], "enum": [*schema["enum"], None]}
    if isinstance(kind, str):
        return {**schema, "type": [kind, "null"]}
    if isinstance(kind, list):
        return schema if "null" in kind else {**schema, "type": [*kind, "null"]}
    if not schema:
        return schema
    return {"anyOf": [schema, {"type": "null"}]}


#: A schema that reaches more models than this is given shallow (``SHALLOW``): each model's own fields
#: typed, the objects they hold plain objects. Some documents' models all reach each other (Kubernetes,
#: Stripe): whole, each tool's schema would hold most of them, megabytes an agent cannot read.
MAX_MODELS = 12
SHALLOW = 1


class _Schemas:
    """JSON Schemas of the model's types: ``input`` as the client's decoding accepts them, ``output`` as its
    encoding writes them. A model is a ``$defs`` entry (by its Python name) of the schema that reaches it,
    or, in a schema that would reach more than ``MAX_MODELS``, inlined to the depth ``SHALLOW``
    (``shortened`` counts those schemas, for the tool that asks next)."""

    def __init__(self, connector: Connector) -> None:
        self.connector = connector
        self.models = {m.python_name: m for m in connector.models}
        self.enums = {e.python_name: e for e in connector.enums}
        self.aliases = {a.python_name: a for a in connector.aliases}
        self.shortened = 0

    def input(self, t: TypeRef, defs: dict[str, Any]) -> dict[str, Any]:
        return self._decided(t, defs, output=False)

    def output(self, t: TypeRef, defs: dict[str, Any]) -> dict[str, Any]:
        return self._decided(t, defs, output=True)

    def _decided(self, t: TypeRef, defs: dict[str, Any], *, output: bool) -> dict[str, Any]:
        if self._reach(t) <= MAX_MODELS:
            return self._schema(t, defs, output=output, depth=None)
        self.shortened += 1
        return self._schema(t, defs, output=output, depth=SHALLOW)

    def _reach(self, t: TypeRef) -> int:
        """How many models and aliases ``t`` reaches (counting stops past ``MAX_MODELS``)."""
        seen: set[str] = set()
        stack = [t]
        while stack:
            for inner in stack.pop().walk():
                if inner.kind not in (Kind.MODEL, Kind.ALIAS) or inner.name in seen:
                    continue
                seen.add(inner.name)
                if len(seen) > MAX_MODELS:
                    return len(seen)
                model, alias = self.models.get(inner.name), self.aliases.get(inner.name)
                stack.extend(f.type for f in model.fields) if model is not None else None
                stack.extend([alias.target] if alias is not None and inner.kind is Kind.ALIAS else [])
        return len(seen)

    def _schema(self, t: TypeRef, defs: dict[str, Any], *, output: bool, depth: int | None) -> dict[str, Any]:
        schema = self._plain(t, defs, output, depth)
        return _or_null(schema) if t.nullable else schema

    def _plain(self, t: TypeRef, defs: dict[str, Any], output: bool, depth: int | None) -> dict[str, Any]:
        kind = t.kind
        if kind is Kind.STRING:
            return {"type": "string", **({"format": t.format} if t.format in _FORMATS else {})}
        if kind is Kind.INTEGER:
            return {"type": "integer"}
        if kind is Kind.NUMBER:
            return {"type": "number"}
        if kind is Kind.BOOLEAN:
            return {"type": "boolean"}
        if kind is Kind.DATETIME:
            return {"type": "string", "format": "date-time"}
        if kind is Kind.DATE:
            return {"type": "string", "format": "date"}
        if kind in (Kind.BINARY, Kind.FILE):
            return {"type": "string", "contentEncoding": "base64"}
        if kind is Kind.ARRAY and t.item is not None:
            return {"type": "array", "items": self._schema(t.item, defs, output=output, depth=depth)}
        if kind is Kind.MAP and t.item is not None:
            return {"type": "object", "additionalProperties": self._schema(t.item, defs, output=output, depth=depth)}
        if kind is Kind.UNION:
            return {"anyOf": [self._schema(m, defs, output=output, depth=depth) for m in t.members]}
        if kind is Kind.ENUM:
            enum = self.enums.get(t.name)
            base = {"type": "integer" if enum is not None and enum.integer else "string"}
            if output or enum is None:  # open: a value the document does not list decodes too
                return base
            return {**base, "enum": [m.value for m in enum.members]}
        if kind is Kind.ALIAS:
            alias = self.aliases.get(t.name)
            if alias is None:
                return {}
            if depth is not None:
                return self._schema(alias.target, defs, output=output, depth=depth - 1) if depth > 0 else {}
            if t.name not in defs:
                defs[t.name] = {}
                defs[t.name] = self._schema(alias.target, defs, output=output, depth=None)
            return {"$ref": f"#/$defs/{t.name}"}
        if kind is Kind.MODEL:
            model = self.models.get(t.name)
            if model is None or (depth is not None and depth <= 0):
                return {"type": "object"}
            if depth is not None:
                return self._model(model, defs, output, depth - 1)
            if t.name not in defs:
                defs[t.name] = {}
                defs[t.name] = self._model(model, defs, output, None)
            return {"$ref": f"#/$defs/{t.name}"}
        return {}  # ANY

    def _model(self, model: Model, defs: dict[str, Any], output: bool, depth: int | None) -> dict[str, Any]:
        properties: dict[str, Any] = {}
        required: list[str] = []
        for f in model.fields:
            if f.literal:
                schema: dict[str, Any] = {"type": "string", "enum": list(f.literal)}
            else:
                schema = self._schema(f.type, defs, output=output, depth=depth)
            # The client keeps a null the service sends for any field, even one the document requires or
            # fixes: an output schema says what it returns, not what the document promises.
            if (f.nullable or output) and not (f.type.nullable and not f.literal):
                schema = _or_null(schema)
            words = f.doc if f.doc != f.wire_name else ""
            properties[f.wire_name] = {**({"description": words} if words else {}), **schema}
            if f.required:
                required.append(f.wire_name)
        schema = {"type": "object", "properties": properties}
        if required:
            schema["required"] = required
        if model.description:
            schema = {"description": model.description, **schema}
        return schema


#: String formats JSON Schema 2020-12 defines, which a string's ``format`` is kept as.
_FORMATS = frozenset({"email", "uri", "uri-reference", "uuid", "hostname", "ipv4", "ipv6", "time", "duration", "iri", "idn-email", "json-pointer", "regex"})
