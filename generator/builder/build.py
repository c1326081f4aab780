"""Stage 3: build the immutable connector model from a validated document.

``build`` runs named passes, in order, each a method of ``_Builder`` with its input and output
(``_Builder.connector`` reads as the list):

1. definitions: models.py's classes, enums and aliases, named before any is built (``typemap``);
2. connection: the connection's parameters and the security schemes (``security``);
3. policies, read: apiProperties.json's policy templates (a host, a next-link pager, ...);
4. operations: each operation named (``_operation_names``), then built whole: its parameters,
   body and responses, and what it is besides an action: a polling or protocol trigger, a webhook
   (``_trigger``, ``_notification``), a pager (``paging``), dynamic values;
5. policies, applied to the operations they name;
6. name reservation: each operation's constants in client.py, unique among its names;
7. servers: the base URLs the client can choose and their arguments;
8. docs: the reference page's anchors and definition sections (``docsview``);
9. the connector: the model, assembled.

Names are decided here, once.  Problems that only show once names and types
are resolved (names that collide as Python identifiers, trigger metadata that
points at missing fields) are reported as located diagnostics.

A build given ``Kept`` (``--watch``: the reuse layer's, passed by the pipeline) builds the definitions
and each operation through its ``Replays``, which may give what an earlier build made of the same
input instead; without one, through ``_Fresh``, which always builds.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Protocol

from ..diagnostics import Diagnostic, Pointer, Severity, SpecError, is_url
from ..document import extensions, openapi
from ..document.loader import Document
from ..document.openapi import Node, text, title_of
from ..document.view import OperationView
from ..document.view import operations as operation_views
from ..model import (
    Availability,
    Connector,
    DynamicValues,
    Field,
    FormPart,
    Kind,
    Link,
    Location,
    Model,
    Operation,
    Parameter,
    PolicyKind,
    RequestPolicy,
    Response,
    Server,
    ServerArgument,
    ServerVariable,
    Template,
    ThrottleLimit,
    TriggerPolicy,
    TypeRef,
)
from . import docsview, naming, paging, security
from .typemap import TypeMapper

if TYPE_CHECKING:
    from ..diagnostics import Location as Place
    from ..model import Definition


class Replays(Protocol):
    """One build's use of what earlier builds of the document made (the reuse layer's ``replay.Session``):
    each call either runs ``build`` or makes again, in ``types`` and ``problems``, what it did before."""

    def definitions(self, types: TypeMapper, problems: list[Diagnostic], locate: Callable[[Pointer], Place], build: Callable[[], None]) -> None: ...

    def operation(
        self, path_item: Any, names: tuple[str, ...], types: TypeMapper, problems: list[Diagnostic], locate: Callable[[Pointer], Place], build: Callable[[], Operation]
    ) -> Operation: ...

    def close(self) -> None:
        """Every operation was built or replayed."""
        ...

    def documented(self) -> docsview.Kept | None: ...

    def finished(self, operations: tuple[Operation, ...], sections: tuple[Definition, ...]) -> tuple[tuple[Operation, ...], tuple[Definition, ...]]: ...


class _Fresh:
    """A build that reuses nothing: each call builds (the ``Replays`` of a run with nothing kept)."""

    def definitions(self, types: TypeMapper, problems: list[Diagnostic], locate: Callable[[Pointer], Place], build: Callable[[], None]) -> None:
        build()

    def operation(
        self, path_item: Any, names: tuple[str, ...], types: TypeMapper, problems: list[Diagnostic], locate: Callable[[Pointer], Place], build: Callable[[], Operation]
    ) -> Operation:
        return build()

    def close(self) -> None:
        pass

    def documented(self) -> docsview.Kept | None:
        return None

    def finished(self, operations: tuple[Operation, ...], sections: tuple[Definition, ...]) -> tuple[tuple[Operation, ...], tuple[Definition, ...]]:
        return operations, sections


class Builds(Protocol):
    """What earlier builds made, by document (the reuse layer's ``replay.Operations``)."""

    def session(self, document: str, data: dict[str, Any], *reads: Any) -> Replays:
        """For one build of ``data``; ``reads``: what every operation reads besides its path item and the
        document outside ``paths``."""
        ...


class Kept(Protocol):
    """What the reuse layer gives the build (the pipeline passes it; None: nothing kept)."""

    @property
    def operations(self) -> Builds | None: ...


#: Client attributes an operation method may not shadow.
RESERVED_METHODS = frozenset({"close", "aclose", "request", "base_url", "throttle", "retry", "engine", "with_raw_response"})
#: Names a generated method has besides the spec's parameters: its own keyword arguments, the locals
#: of its body and the module names the body reads (client.py), which an argument may not shadow.
RESERVED_ARGUMENTS = frozenset({"self", "cursor", "poll_interval", "timeout", "headers", "result", "arguments", "response", "data", "models", "httpx"})
#: The keyword arguments every method has: a parameter of the same name is renamed, with a warning.
OPTION_ARGUMENTS = frozenset({"timeout", "headers"})
#: Module-level names of client.py that an operation's constants may not take.
RESERVED_CLIENT_NAMES = frozenset(
    {"DEFAULT_BASE_URL", "SERVERS", "HOST_TEMPLATE", "DEFAULT_CALLS", "DEFAULT_PERIOD", "_USER_AGENT", "_CREDENTIALS", "_engine", "_credential", "File", "IO", "Sequence"}
)
#: Trigger order fields: what the cursor can compare.
_ORDERABLE = (Kind.STRING, Kind.INTEGER, Kind.NUMBER, Kind.DATETIME, Kind.DATE)


def build(doc: Document, name: str, properties: Document | None = None, package: str | None = None, kept: Kept | None = None) -> tuple[Connector, list[Diagnostic]]:
    """The model of ``doc``, generated under ``name``, and the warnings found; raises SpecError on an error.

    ``properties`` is a Power Platform connector's apiProperties.json, when there is one; ``package``
    the Python package's name when it is not derived from ``name``; ``kept``: what earlier builds made
    (``--watch``), replayed where it still applies.
    """
    builder = _Builder(doc, name, properties, package, kept.operations if kept is not None else None)
    connector = builder.connector()
    return connector, [p for p in builder.problems if p.severity is Severity.WARNING]


class _Builder:
    def __init__(
        self, doc: Document, name: str, properties: Document | None = None, package: str | None = None, builds: Builds | None = None
    ) -> None:
        self.doc = doc
        self.package = package
        self.data: dict[str, Any] = doc.data
        self.name = name
        self.properties = properties
        raw = properties.data.get("properties") if properties is not None else None
        self.props: dict[str, Any] = raw if isinstance(raw, dict) else {}
        self.problems: list[Diagnostic] = []
        self.types = TypeMapper(doc, self.problems, set(naming.RESERVED_CLASS_NAMES))
        self.docs = docsview.Schemas(self.data, self.types)
        self.security = security.Security(None, {})
        self.client_names: set[str] = set(RESERVED_CLIENT_NAMES)  # module-level names of client.py
        #: Constraints by the pointer of the schema that says them (``_constraints``).
        self._constraints_at: dict[Pointer, tuple[tuple[str, Any], ...]] = {}
        # What an operation reads besides its path item and the document outside paths.
        self.remembered: Replays = builds.session(str(doc.path), self.data, self.props, doc.lenient, name) if builds is not None else _Fresh()

    # ------------------------------------------------------------------ connector

    def connector(self) -> Connector:
        """The model: the passes, in order (see the module's docstring); the problems they find are
        reported in this order too."""
        self._definitions()
        self.security = security.connection(self.doc, self.name, self.properties, self.problems)
        policies, host, unsupported = self._policies()
        operations = self._operations()
        operations = self._apply_policies(operations, policies)
        operations = self._constants(operations)
        servers, operations, server_arguments, server_choice = self._servers(operations)
        operations, definitions = self._documented(operations)
        if any(p.severity is Severity.ERROR for p in self.problems):
            raise SpecError(self.problems)
        operations, definitions = self.remembered.finished(operations, definitions)
        return self._assembled(operations, definitions, servers, server_arguments, server_choice, host, unsupported)

    def _assembled(
        self,
        operations: tuple[Operation, ...],
        definitions: tuple[Definition, ...],
        servers: tuple[Server, ...],
        server_arguments: tuple[ServerArgument, ...],
        server_choice: str,
        host: Template,
        unsupported: tuple[tuple[str, str], ...],
    ) -> Connector:
        """The connector, of what the passes made and the document's own fields."""
        data = self.data
        info = data.get("info", {})
        contact = info.get("contact", {}) if isinstance(info.get("contact"), dict) else {}
        title = text(info.get("title")) or self.name
        return Connector(
            name=self.name,
            package=self.package or naming.snake_case(self.name, "connector").rstrip("_"),
            class_prefix=naming.pascal_case(title, "Connector"),
            title=title,
            release_stage=text(extensions.release_stage(data)),
            description=text(info.get("description")),
            version=str(info.get("version", "")),
            base_url=self._relative_to_source(openapi.base_url(data)).rstrip("/"),
            publisher=text(extensions.publisher(data)) or text(self.props.get("publisher")),
            contact_name=text(contact.get("name")),
            contact_email=text(contact.get("email")),
            contact_links=self._contact_links(contact),
            metadata=self._metadata(),
            availability=tuple(
                Availability(a["product"], a["serviceClass"], a["regions"], tuple(a.get("except", ())))
                for a in extensions.availability(data)
            ),
            connection=self.security.connection,
            authentication=self.security.types,
            throttling=tuple(
                ThrottleLimit(t["name"], t["scope"], int(t["calls"]), float(t["renewalPeriodSeconds"]))
                for t in extensions.throttling(data)
            ),
            operations=operations,
            models=self.types.discriminated(_types_in_use(self.types, operations)),
            enums=tuple(self.types.enums.values()),
            aliases=tuple(self.types.aliases.values()),
            definitions=definitions,
            brand_color=text(self.props.get("iconBrandColor")),
            host_template=host,
            unsupported_policies=unsupported,
            raw_definition=self.data,
            raw_properties=self.properties.data if self.properties is not None else None,
            servers=servers,
            server_arguments=server_arguments,
            server_choice=server_choice,
        )

    def _definitions(self) -> None:
        """Pass 1: every definition named, then built (or, when kept, as an earlier build left them)."""
        self.remembered.definitions(self.types, self.problems, self.doc.locate, self._definitions_now)

    def _definitions_now(self) -> None:
        self.types.reserve()
        self.types.build_definitions()

    def _documented(self, operations: tuple[Operation, ...]) -> tuple[tuple[Operation, ...], tuple[Definition, ...]]:
        """Pass 8: the operations with their reference-page anchors, and the page's definition sections."""
        return docsview.anchored(self.docs, operations, self.remembered.documented())

    def _contact_links(self, contact: dict[str, Any]) -> tuple[Link, ...]:
        links = [Link(link["title"], link["url"]) for link in extensions.links(contact)]
        if not links and text(contact.get("url")):
            links.append(Link(text(contact.get("url")), text(contact.get("url"))))
        return tuple(links)

    def _metadata(self) -> tuple[tuple[str, str], ...]:
        return extensions.connector_metadata(self.data)

    # ------------------------------------------------------------------ servers

    def _servers(self, operations: tuple[Operation, ...]) -> tuple[tuple[Server, ...], tuple[Operation, ...], tuple[ServerArgument, ...], str]:
        """The document's servers, the operations with their own servers' variables named, the constructor's
        arguments for server variables, and the name of the one choosing a server ("" when there is no choice).

        A variable is an argument by its name: one name in several servers is one argument (typed by the
        union of their enums, defaulting to the default they share, else to each server's own).
        """
        if openapi.version(self.data) == "2.0":
            return (), operations, (), ""
        servers = [self._server(node, document=True) for node in openapi.servers(self.data, ())]
        taken = set(security.RESERVED_CONSTRUCTOR) | security.argument_names(self.security.connection)
        choice = naming.unique("server", taken) if len(servers) > 1 else ""
        names = [s.description for s in servers]
        servers = [replace(s, name=s.description) if s.description and "\n" not in s.description and len(s.description) <= 60 and names.count(s.description) == 1 else s for s in servers]
        own = [op.server for op in operations if op.server is not None]
        declared: dict[str, list[ServerVariable]] = {}
        where: dict[str, Pointer] = {}
        for server in [*servers, *own]:
            for v in server.variables:
                declared.setdefault(v.wire_name, []).append(v)
                where.setdefault(v.wire_name, (*server.pointer, "variables", v.wire_name))
        arguments: dict[str, ServerArgument] = {}
        for wire, variables in declared.items():
            python = naming.field_name(wire)
            if python in taken:
                wanted = python
                python = naming.unique(python if python.endswith("_") else python + "_", taken)
                self.problems.append(self.doc.warning(where[wire], f"server variable {wire!r} is constructor argument {python!r}: {wanted!r} is taken (by the constructor itself, a credential or another variable)", "rename the variable to keep its name", code="renamed"))
            else:
                taken.add(python)
            enums = [v.enum for v in variables]
            defaults = {v.default for v in variables}
            arguments[wire] = ServerArgument(
                python_name=python,
                wire_name=wire,
                enum=tuple(dict.fromkeys(e for values in enums for e in values)) if all(enums) else (),
                default=next(iter(defaults)) if len(defaults) == 1 else None,
                description=next((v.description for v in variables if v.description), ""),
            )

        def named(server: Server) -> Server:
            return replace(server, variables=tuple(replace(v, python_name=arguments[v.wire_name].python_name) for v in server.variables))

        operations = tuple(replace(op, server=named(op.server)) if op.server is not None and op.server.variables else op for op in operations)
        return tuple(named(s) for s in servers), operations, tuple(arguments.values()), choice

    def _server(self, node: Node, document: bool = False) -> Server:
        """A Server Object; its variables' Python names are decided later, for the whole client (``_servers``)."""
        raw: dict[str, Any] = node.value
        url = self._relative_to_source(str(raw["url"])) if document else str(raw["url"])
        if "://" not in url and document:
            self.problems.append(
                self.doc.warning((*node.pointer, "url"), f"server URL {url!r} is relative: the document does not say which host it is relative to", "give the client base_url='https://host" + (url if url.startswith("/") else "/" + url) + "', or write the server's absolute URL", code="server-url")
            )
        declared: dict[str, Any] = raw["variables"] if isinstance(raw.get("variables"), dict) else {}
        variables = []
        for name, value in openapi.server_variables(raw).items():
            pointer = (*node.pointer, "variables", name)
            if name not in declared:
                self.problems.append(self.doc.warning((*node.pointer, "url"), f"server URL {url!r} uses {{{name}}}, which its variables do not declare", "declare it under variables, with a default", code="server-url"))
            default = value.get("default")
            if isinstance(default, (dict, list)) or default is None:
                default = None
                if name in declared:
                    self.problems.append(self.doc.warning(pointer, f"server variable {name!r} has no default (OpenAPI requires one): the client needs a value for it when this server is used", "give it a default", code="server-url"))
            enum = tuple(str(e) for e in value["enum"] if not isinstance(e, (dict, list))) if isinstance(value.get("enum"), list) else ()
            if enum and default is not None and str(default) not in enum:
                self.problems.append(self.doc.warning((*pointer, "default"), f"the default {default!r} of server variable {name!r} is not one of its enum values: the client accepts any value for it", "add the default to the enum", code="server-url"))
                enum = ()
            variables.append(ServerVariable(name, "", None if default is None else str(default), enum, text(value.get("description"))))
        return Server(url=url, description=text(raw.get("description")), variables=tuple(variables), pointer=node.pointer)

    def _relative_to_source(self, url: str) -> str:
        """A relative server URL of a document read from a URL, made absolute: OpenAPI resolves it against where
        the document is served (a file says nothing of its host: the URL stays relative)."""
        source = self.doc.inputs[0][0] if self.doc.inputs else ""
        return urllib.parse.urljoin(source, url) if url and "://" not in url and is_url(source) else url

    def _own_server(self, op: openapi.OperationNode, op_id: str) -> Server | None:
        """An operation's own server (OpenAPI 3): its ``servers``, else its path item's; the first, when there are several."""
        found = openapi.servers(op.value, op.pointer) or openapi.servers(op.path_item.value, op.path_item.pointer)
        if not found or openapi.version(self.data) == "2.0":
            return None
        if len(found) > 1:
            self.problems.append(self.doc.warning(found[1].pointer, f"{op_id} names {len(found)} servers: the client sends it to the first", "list its preferred server first", code="server-url"))
        return self._server(found[0])

    # ------------------------------------------------------------------ policies

    def _policies(self) -> tuple[list[tuple[frozenset[str], str, Any]], Template, tuple[tuple[str, str], ...]]:
        """apiProperties policyTemplateInstances: (operationIds or empty for all, kind, data), host, unsupported."""
        raw = self.props.get("policyTemplateInstances")
        found: list[tuple[frozenset[str], str, Any]] = []
        host: Template = ()
        unsupported: list[tuple[str, str]] = []
        for index, item in enumerate(raw if isinstance(raw, list) else ()):
            item = _mapping(item)
            template_id = str(item.get("templateId", "")).lower()
            params = _mapping(item.get("parameters"))
            ops = extensions.policy_operations(params)
            # APIM matches operation names without regard to case ("Listforms" names ListForms).
            scope = frozenset(str(o).lower() for o in ops) if isinstance(ops, list) else frozenset()
            why = ""
            if template_id == "dynamichosturl":
                host = _template(str(extensions.policy_parameter(params, "urlTemplate", "")))
                why = "" if host else "the URL template uses an expression other than @connectionParameters"
            elif template_id in ("setheader", "setqueryparameter"):
                value = _template(str(extensions.policy_parameter(params, "value", "")))
                section = extensions.policy_section(params)
                if not value and extensions.policy_parameter(params, "value"):
                    why = "the value uses an expression other than @connectionParameters"
                elif section.lower() != "request":
                    why = f"it acts on the {section.lower()}"
                else:
                    kind = PolicyKind.HEADER if template_id == "setheader" else PolicyKind.QUERY
                    override = str(extensions.policy_parameter(params, "existsAction", "override")).lower() != "skip"
                    found.append((scope, "policy", RequestPolicy(kind, str(extensions.policy_parameter(params, "name", "")), value, override)))
            elif template_id == "setproperty":
                parent = str(extensions.policy_parameter(params, "newPropertyParentPathTemplate", ""))
                value = _template(str(extensions.policy_parameter(params, "propertyValuePathTemplate", "")))
                if parent != "@body()" or not value or extensions.policy_section(params).lower() != "request":
                    why = "only request-body properties with plain values are set by the client"
                else:
                    found.append((scope, "policy", RequestPolicy(PolicyKind.PROPERTY, str(extensions.policy_parameter(params, "newPropertySubPathTemplate", "")), value)))
            elif template_id == "routerequesttoendpoint":
                path = str(extensions.policy_parameter(params, "newPath", ""))
                if path.startswith("/") and "@" not in path:
                    found.append((scope, "route", path))
                else:
                    why = "the new path is an expression"
            elif template_id == "updatenextlink":
                # Through APIM the policy rewrites next links to the gateway; a direct client follows the
                # API's own link. What it says is which property holds the link: operations get a pager.
                name = str(extensions.policy_parameter(params, "nextLinkPropertyName", ""))
                if name:
                    found.append((scope, "nextlink", name))
                else:
                    why = "no nextLinkPropertyName"
            else:
                why = "not carried out by the generated client"
            if why:
                unsupported.append((str(item.get("templateId", "")), why))
                where = ("properties", "policyTemplateInstances", index)
                if self.properties is not None:
                    self.problems.append(self.properties.warning(where, f"policy {item.get('templateId')!r} is not carried out by the client: {why}", "it is listed in the docs", code="left-out"))
        return found, host, tuple(unsupported)

    def _apply_policies(self, operations: tuple[Operation, ...], policies: list[tuple[frozenset[str], str, Any]]) -> tuple[Operation, ...]:
        result = []
        for op in operations:
            mine = [(kind, data) for scope, kind, data in policies if not scope or op.operation_id.lower() in scope]
            route = next((data for kind, data in mine if kind == "route"), "")
            attached = tuple(data for kind, data in mine if kind == "policy")
            if route or attached:
                op = replace(op, route=route, policies=attached)
            next_link = next((data for kind, data in mine if kind == "nextlink"), "")
            if next_link and (op.pager is None or op.pager.origin == "inferred") and op.result_type is not None and not op.is_trigger:
                op = replace(op, pager=paging.pageable(op, {"nextLinkName": next_link}, self._models, "the updatenextlink policy"))
            result.append(op)
        return _unique_pagers(result)

    # ------------------------------------------------------------------ operations

    def _operations(self) -> tuple[Operation, ...]:
        paths = self.data.get("paths")
        for path, item in paths.items() if isinstance(paths, dict) else ():
            ref = openapi.resolve(self.data, Node(item, ("paths", path))).value
            if isinstance(ref, dict) and isinstance(ref.get("$ref"), str):  # lenient reading: it does not resolve
                self.problems.append(self.doc.warning(("paths", path), f"path item {path!r} is {ref['$ref']!r}, which does not resolve: its operations are left out", "fix the $ref", code="left-out"))
        views = operation_views(self.doc)
        nodes = [view.node for view in views]
        for path in dict.fromkeys(op.path for op in nodes if "?" in op.path.partition("#")[0]):
            url, _, query = path.partition("#")[0].partition("?")
            self.problems.append(
                self.doc.warning(
                    ("paths", path),
                    f"path key {path!r} has a query string: its operations request {url!r} and always send {query!r}, which callers cannot change",
                    "declare query parameters with 'in: query' for values callers choose",
                    code="approximated",
                )
            )
        named = self._operation_names(nodes)
        operations = [self._remembered(view, op_id, py) for view, (op_id, py) in zip(views, named)]
        self.remembered.close()
        operations = self._dynamic_values(operations, {py for _, py in named}, {op_id: view for view, (op_id, _) in zip(views, named)})
        return tuple(operations)

    def _operation_names(self, nodes: list[openapi.OperationNode]) -> list[tuple[str, str]]:
        """(operationId, Python method name) of each operation, in order.

        Operations with an operationId are named first, so an operation without one never renames
        them; those without one are named from their method and path key (``naming.operation_name``).
        Methods that collide are told apart by ``naming.tell_apart``, each rename a warning.
        """
        ids: set[str] = set()
        given: list[int] = []
        result: list[tuple[str, str]] = [("", "")] * len(nodes)
        for index, op in enumerate(nodes):
            raw_id = op.value.get("operationId")
            if isinstance(raw_id, str) and raw_id.strip():
                result[index] = (naming.unique(raw_id.strip(), ids), "")  # validation reported duplicate ones
                given.append(index)

        def method(text: str) -> str:
            py = naming.snake_case(text, "operation")
            return py + "_" if py in RESERVED_METHODS else py

        told = naming.tell_apart([naming.Named(result[i][0], method(result[i][0])) for i in given], method)
        methods: set[str] = set()
        for index, name in zip(given, told):
            op_id = result[index][0]
            if name.rule:
                pointer = (*nodes[index].pointer, "operationId")
                self.problems.append(self.doc.warning(pointer, f"operationId {op_id!r} is Python method {name.python!r}: {method(op_id)!r} would also name operationId {name.like!r}", naming.RENAMED[name.rule], code="renamed"))
            methods.add(name.python)
            result[index] = (op_id, name.python)
        for index, op in enumerate(nodes):
            if result[index][1]:
                continue
            plain = method(naming.operation_name(op.method, op.path))
            py = naming.unique(plain, methods)
            op_id = naming.unique(py, ids)
            numbered = f"; {plain!r} is another operation's, so it is numbered" if py != plain else ""
            self.problems.append(
                self.doc.warning(
                    op.pointer,
                    f"{op.method.upper()} {op.path} has no operationId: its method is {py!r}, named from its method and path{numbered}",
                    "add 'operationId: SomeName' to choose the name (docs/spec-format.md, Checks and names)",
                    code="renamed",
                )
            )
            result[index] = (op_id, py)
        return result

    def _remembered(self, view: OperationView, op_id: str, py: str) -> Operation:
        """The operation, replayed from an earlier build when that still applies, else built (and recorded)."""
        op = view.node
        return self.remembered.operation(op.path_item.value, (op.path, op.method, op_id, py), self.types, self.problems, self.doc.locate, lambda: self._operation(view, op_id, py))

    def _constants(self, operations: tuple[Operation, ...]) -> tuple[Operation, ...]:
        """Each operation's (and trigger policy's) module constant in client.py, unique among the module's names."""
        result = []
        for op in operations:
            op = replace(op, constant=naming.unique("_" + op.python_name.upper(), self.client_names))
            if op.trigger is not None:
                op = replace(op, trigger=replace(op.trigger, constant=naming.unique(op.constant + "_POLICY", self.client_names)))
            result.append(op)
        return tuple(result)

    def _operation(self, view: OperationView, op_id: str, py: str) -> Operation:
        op = view.node
        context = naming.class_name(op_id, "Operation")
        entries: list[tuple[Parameter, tuple[str | int, ...]]] = []

        def add(param: Parameter, pointer: tuple[str | int, ...]) -> None:
            entries.append((param, pointer))  # its Python name is decided below, with the others'

        for given in view.parameters:
            node, value = given.node, given.value
            where = value.get("in")
            if where not in ("path", "query", "header", "formData"):
                if isinstance(value.get("$ref"), str):  # lenient reading: a reference that does not resolve
                    self.problems.append(self.doc.warning(node.pointer, f"parameter {value['$ref']!r} does not resolve; it is left out of {op_id}", "fix the $ref", code="left-out"))
                elif where != "body":
                    self.problems.append(self.doc.warning(node.pointer, f"parameter in {where!r} is not supported; it is left out of {op_id}", "send it another way", code="left-out"))
                continue
            schema = openapi.parameter_schema(node)
            name = given.name
            if where == "header" and not openapi.HEADER_NAME.fullmatch(name):
                continue  # no call could send it: validation warned that it is left out (lenient reading; else an error)
            internal = given.internal and "default" in value and not extensions.DYNAMIC_VALUES.of(value)
            if internal:
                from ..document.validate import default_problem

                why = default_problem(self.data, value)
                if why:  # validation warned that the default does not fit; the client does not send it
                    internal = False
                    self.problems.append(
                        self.doc.warning(
                            (*node.pointer, "default"),
                            f"internal parameter {name!r} of {op_id} has a default that does not fit its schema ({why}): it is an argument of the method instead",
                            "fix the default or the schema",
                            code="approximated",
                        )
                    )
            typed = self.types.type_of(schema, f"{context}{naming.pascal_case(name, 'Param')}", name)
            add(
                Parameter(
                    wire_name=name,
                    python_name=_argument(name),
                    location=Location(where),
                    required=given.required,
                    type=typed,
                    title=title_of(value) or title_of(schema.value if isinstance(schema.value, dict) else {}),
                    description=given.description,
                    internal=internal,
                    default=value.get("default") if internal else None,
                    double_encoded=given.double_encoded,
                    part=self._style(value, node.pointer, where, typed, op_id),
                    # 2.0: the parameter holds its constraints
                    constraints=self._constraints(schema if schema.pointer != node.pointer else node),
                ),
                node.pointer,
            )
        declared = {p.wire_name for p, _ in entries if p.location is Location.PATH}
        for name in re.findall(r"\{([^{}]+)\}", op.path.partition("#")[0]):
            if name not in declared:  # lenient mode only: validation rejects this in an authored spec
                declared.add(name)
                add(Parameter(name, _argument(name), Location.PATH, True, TypeRef(Kind.STRING), "", ""), op.pointer)
        request = openapi.request_media(self.data, op, (given.node for given in view.parameters))
        body, body_required = request.schema, request.required
        if body is None and "requestBody" in op.value:
            declared = openapi.resolve(self.data, Node(op.value["requestBody"], (*op.pointer, "requestBody"))).value
            content = declared.get("content") if isinstance(declared, dict) else None
            media = ", ".join(map(str, content)) if isinstance(content, dict) and content else "none"
            ref = declared.get("$ref") if isinstance(declared, dict) else None
            self.problems.append(
                self.doc.warning(
                    (*op.pointer, "requestBody"),
                    f"the request body of {op_id} is {ref!r}, which does not resolve; the method sends no body"
                    if isinstance(ref, str)
                    else f"the request body of {op_id} has no schema (media types: {media}); the method sends no body",
                    "fix the $ref" if isinstance(ref, str) else "give the media type a schema",
                    code="left-out",
                )
            )
        body_model: Parameter | None = None
        self._dropped_media(request, op_id)
        raw = self._raw_media(op, request, body) if body is not None and not request.form else None
        form = request.form if body is not None else ""
        if body is not None and request.form:
            if self._form_fields(request, op_id, context, add):
                form = ""  # an urlencoded body given as its text: sent as it is
        elif body is not None and raw is not None:
            add(self._whole_body(view, body, body_required, raw[1], part=FormPart(content_type=raw[0], style="", explode=None)), body.pointer)
        elif body is not None:
            if request.media and not openapi.is_json_media(request.media):
                base = openapi.media_base(request.media)
                xml = base.endswith(("/xml", "+xml"))
                self.problems.append(
                    self.doc.warning(
                        body.pointer[:-1],
                        f"request body of {op_id} is {request.media!r}, which the client does not write"
                        + (" (an XML body is not written from a schema)" if xml else "")
                        + ": it sends the value as JSON",
                        "offer application/json, multipart/form-data or application/x-www-form-urlencoded too"
                        + ("; or describe the XML body as a string, which is sent as text" if xml else ""),
                        code="approximated",
                    )
                )
            resolved = openapi.resolve(self.data, body)
            named = self.types.type_of(body, f"{context}Body", "body") if isinstance(body.value, dict) and "$ref" in body.value else None
            if named is not None and named.kind is Kind.MODEL and self.types.is_object(resolved.value):
                # A named model: the action takes it whole too, besides its fields as arguments (named below).
                body_model = Parameter("", "", Location.MODEL_BODY, False, named, "", text(resolved.value.get("description")))
            if self.types.is_object(resolved.value):
                props, required = self.types.properties(resolved)
                for key, prop in props:
                    pval = openapi.resolve(self.data, prop).value
                    pval = pval if isinstance(pval, dict) else {}
                    add(
                        Parameter(
                            wire_name=key,
                            python_name=_argument(key),
                            location=Location.BODY,
                            required=body_required and key in required,
                            type=self.types.type_of(prop, f"{context}{naming.pascal_case(key, 'Field')}", key),
                            title=title_of(pval),
                            description=text(pval.get("description")),
                            constraints=self._constraints(prop),
                        ),
                        prop.pointer,
                    )
            else:
                add(self._whole_body(view, body, body_required, self.types.type_of(body, f"{context}Body", "body")), body.pointer)
        params = self._fixed(op, op_id, list(zip(self._parameter_names(op_id, entries), (pointer for _, pointer in entries))))
        used = {p.python_name for p in params}
        if body_model is not None:
            taken = used | RESERVED_ARGUMENTS
            body_model = replace(body_model, python_name="body" if "body" not in taken else naming.unique("body_model", taken))
        raw_responses = [(response.status, response.node, response.schema) for response in view.responses]
        responses = tuple(self._response(op, op_id, context, status, node, schema) for status, node, schema in raw_responses)
        operation = Operation(
            operation_id=op_id,
            python_name=py,
            method=op.method.upper(),
            path=op.path.partition("#")[0].partition("?")[0],
            summary=view.summary,
            description=view.description,
            parameters=tuple(params),
            responses=responses,
            trigger=None,
            deprecated=view.deprecated,
            security=self.security.requirements(self.data, op),
            body_model=body_model,
            form=form,
            hidden=view.hidden,
            advanced=view.visibility == "advanced",
            tags=view.tags,
            preview=view.annotation.status == "preview",
            fixed_query=op.path.partition("#")[0].partition("?")[2],
            derived_id=view.operation_id is None,
            path_key=op.path,
            spec_key=(op.path, op.method),
            server=self._own_server(op, op_id),
        )
        operation = replace(operation, stream=self._stream(op, operation, raw_responses))
        output: Node | None = None
        trigger = view.trigger
        if trigger is not None:
            policy = self._trigger(op, trigger, operation)
            if policy is not None:
                operation = replace(operation, trigger=policy)
        elif any(p.notification_url for p in view.parameters) or _notification_in_body(self.data, request):
            output = self._notification(op, context)
            operation = replace(operation, webhook=True)
        elif (protocol := view.protocol_trigger) is not None and op.method == "get":
            operation = replace(operation, protocol_trigger=protocol)
        pageable = view.pageable
        configured = view.paging
        pager = operation.pager
        if configured is not None:
            pager = paging.configured(op, configured, operation, self._models, self.doc, self.problems)
        elif pageable is not None and operation.result_type is not None:
            pager = paging.pageable(operation, pageable, self._models)
        elif not operation.webhook and not operation.protocol_trigger:
            pager = paging.inferred(op, operation, self._models, self.data, self.doc, self.problems)
        if output is None:  # a webhook without x-ms-notification-content documents its registration's answer
            success = operation.success
            output = next((schema for status, _, schema in raw_responses if success is not None and status == success.status), None)
        # The pager and the docs given in one copy (an operation has some thirty fields; neither reads the other).
        return replace(operation, pager=pager, docs=docsview.operation_docs(self.docs, view, output, request))

    def _response(self, op: openapi.OperationNode, op_id: str, context: str, status: str, node: Node, schema: Node | None) -> Response:
        """A declared response: its body's type (a stream of events: the type of each event's data, from the
        OpenAPI 3.2 ``itemSchema`` where given) and media type."""
        media, item = openapi.response_media(self.data, op, node)
        if openapi.media_base(media) == openapi.EVENT_STREAM and item is not None:
            schema = _event_data(self.data, item)
        typed = self.types.type_of(schema, f"{context}Response", f"{op_id} response") if schema is not None else None
        return Response(status=status, description=text(node.value.get("description")), type=typed, media=media)

    def _stream(self, op: openapi.OperationNode, operation: Operation, raw: list[tuple[str, Node, Node | None]]) -> str:
        """How the client hands over the success response's body: "events" (text/event-stream), "download"
        (a binary body: ``format: binary``, Swagger's ``type: file``, or a binary media type without a
        structured schema), or "" (decoded whole). A trigger's or webhook's response is decoded whole."""
        success = operation.success
        if success is None or operation.is_trigger or extensions.PROTOCOL_TRIGGER.of(op.value) or extensions.TRIGGER.of(op.value):
            return ""
        if openapi.media_base(success.media) == openapi.EVENT_STREAM:
            return "events"
        schema = next((s for status, _, s in raw if status == success.status), None)
        if success.type is not None and success.type.kind is Kind.BINARY:
            return "download"
        v31 = openapi.version(self.data) == "3.1"
        resolved = openapi.resolve(self.data, schema).value if schema is not None else None
        kinds = resolved.get("type") if isinstance(resolved, dict) else None
        binary = isinstance(resolved, dict) and "array" not in (kinds if isinstance(kinds, list) else [kinds]) and "items" not in resolved  # file_kind recurses into items
        if binary and openapi.file_kind(resolved, lambda value: openapi.resolve(self.data, Node(value, ())).value, v31) == "file":
            return "download"
        if openapi.is_download_media(success.media) and (success.type is None or success.type.kind in (Kind.STRING, Kind.ANY)):
            return "download"
        return ""

    def _fixed(self, op: openapi.OperationNode, op_id: str, params: list[tuple[Parameter, tuple[str | int, ...]]]) -> list[Parameter]:
        """A query parameter the path key's query string also gives (``/responses?beta=true`` and ``beta``) is
        not an argument: the path key's value is always sent (a warning)."""
        fixed = dict(urllib.parse.parse_qsl(op.path.partition("#")[0].partition("?")[2], keep_blank_values=True))
        result = []
        for param, pointer in params:
            if param.location is Location.QUERY and param.wire_name in fixed and not param.internal:
                self.problems.append(
                    self.doc.warning(pointer, f"query parameter {param.wire_name!r} of {op_id} is fixed by its path key {op.path!r}: it is always sent as {fixed[param.wire_name]!r}, not an argument", "remove the parameter or the pair in the path key", code="approximated")
                )
                param = replace(param, internal=True, default=fixed[param.wire_name])
            result.append(param)
        return result

    def _parameter_names(self, op_id: str, entries: list[tuple[Parameter, tuple[str | int, ...]]]) -> list[Parameter]:
        """The parameters with distinct Python names (``naming.tell_apart``): a comparison spelled out
        (``StartTime<`` -> ``start_time_lt``), else the location in front (a path parameter keeps the plain
        name: ``segment_id``, ``query_segment_id``), else numbered; each rename a warning.  A body property
        named like a parameter gets ``body_`` without one, as it always has."""
        told = naming.tell_apart(
            [naming.Named(p.wire_name, p.python_name, _PLACES[p.location], _RANKS[p.location]) for p, _ in entries], _argument, RESERVED_ARGUMENTS
        )
        params = []
        for (param, pointer), name in zip(entries, told):
            if name.rule and not (name.rule == "place" and param.location in (Location.BODY, Location.FORM)):
                like = next((p for p, _ in entries if p.wire_name == name.like and p is not param), param)
                self.problems.append(
                    self.doc.warning(
                        pointer,
                        f"{_PLACES[param.location]} parameter {param.wire_name!r} of {op_id} is Python argument {name.python!r}: {param.python_name!r} would also name {_PLACES[like.location]} parameter {name.like!r}",
                        naming.RENAMED[name.rule],
                        code="renamed",
                    )
                )
            elif naming.field_name(param.wire_name) in OPTION_ARGUMENTS and name.python != naming.field_name(param.wire_name):
                self.problems.append(
                    self.doc.warning(
                        pointer,
                        f"{_PLACES[param.location]} parameter {param.wire_name!r} of {op_id} is Python argument {name.python!r}: {naming.field_name(param.wire_name)!r} is every method's own keyword argument",
                        f"call it as {name.python}=; the {naming.field_name(param.wire_name)}= of the call is the client's option",
                        code="renamed",
                    )
                )
            params.append(replace(param, python_name=name.python) if name.python != param.python_name else param)
        return params

    def _constraints(self, schema: Node) -> tuple[tuple[str, Any], ...]:
        """``constraints`` of a schema the document holds at ``schema.pointer``: read once however many
        operations share it (a parameter by ``$ref`` or on the path item, a body's definition)."""
        found = self._constraints_at.get(schema.pointer)
        if found is None:
            found = self._constraints_at[schema.pointer] = constraints(self.data, schema)
        return found

    def _style(self, value: dict[str, Any], pointer: Pointer, where: str, typed: TypeRef, op_id: str) -> FormPart | None:
        """How a query, path, header or (2.0) formData parameter's value is written, when that is not
        the location's default: 2.0's ``collectionFormat`` (csv when absent), OpenAPI 3's style and
        explode, or ``content`` (its media type). What cannot be carried is a located warning."""
        name = str(value.get("name"))

        def lost(key: str, what: str, hint: str) -> None:
            self.problems.append(self.doc.warning((*pointer, key), f"{where} parameter {name!r} of {op_id}: {what}", hint, code="approximated"))

        if openapi.version(self.data) == "2.0":
            if typed.kind is not Kind.ARRAY:
                return None
            given = value.get("collectionFormat", "csv")
            formats = {"csv": "", "ssv": "spaceDelimited", "tsv": "tabDelimited", "pipes": "pipeDelimited", "multi": "multi"}
            if not isinstance(given, str) or given not in formats:  # read leniently, anything may stand there
                lost("collectionFormat", f"collectionFormat {given!r} is not one of csv, ssv, tsv, pipes, multi: the array is written as csv", "use one of them")
                given = "csv"
            if given == "multi" and where not in ("query", "formData"):
                lost("collectionFormat", "collectionFormat 'multi' is defined for query and formData parameters only: the array is written as csv", "use csv")
                given = "csv"
            if given == "multi":
                return None  # a pair per item: the runtime's default in a query or form
            if where in ("query", "formData"):
                return FormPart(style=formats[given], explode=False)
            return FormPart(style=formats[given], explode=None) if formats[given] else None
        content = value.get("content")
        if "schema" not in value and isinstance(content, dict) and content:
            media = str(next(iter(content)))
            if len(content) > 1:
                lost("content", f"content has {len(content)} media types (OpenAPI allows one): the value is written as {media!r}", "give one media type")
            if not _HEADER_VALUE.fullmatch(media):
                return None
            return FormPart(content_type=media, style="", explode=None)
        default = "simple" if where in ("path", "header") else "form"
        styles = {"query": ("form", "spaceDelimited", "pipeDelimited", "deepObject"), "path": ("simple", "label", "matrix"), "header": ("simple",)}
        style = text(value.get("style")) or default
        explode = value["explode"] if isinstance(value.get("explode"), bool) else style == "form"
        if style not in styles.get(where, (default,)):
            lost("style", f"style {style!r} is not defined for a {where} parameter: it is written in style {default}", f"use {', '.join(styles.get(where, (default,)))}")
            style = default
        objectish = (Kind.MODEL, Kind.MAP, Kind.UNION, Kind.ALIAS, Kind.ANY)
        if style in ("spaceDelimited", "pipeDelimited"):
            if explode:  # exploded, an array is a pair per item: as style form
                style = "form"
            elif typed.kind is not Kind.ARRAY:
                lost("style", f"style {style!r} is defined for arrays: the value is written in style form", "use it on an array")
                style, explode = "form", True
        if style == "deepObject" and typed.kind not in (*objectish, Kind.ARRAY):  # an array as qs and Stripe write it: a[0]=v
            lost("style", "style 'deepObject' is defined for objects: the value is written in style form", "use it on an object")
            style, explode = "form", True
        if value.get("allowReserved") is True:
            lost("allowReserved", "allowReserved is not carried: reserved characters are percent-encoded", "leave allowReserved out")
        if style == default and explode == (style == "form"):
            return None
        if style == default and style == "form":
            return FormPart(style="", explode=explode)
        return FormPart(style=style, explode=explode if explode != (style == "form") or style != default else None)

    def _whole_body(self, view: OperationView, body: Node, required: bool, typed: TypeRef, part: FormPart | None = None) -> Parameter:
        """The body as one argument (``body``): its title and description from a 2.0 body parameter's own
        x-ms-summary and description (they name it on the docs page), else from its schema."""
        parameter = view.parameter("body")
        declared: dict[str, Any] = parameter.value if parameter is not None else {}
        schema = openapi.resolve(self.data, body).value
        schema = schema if isinstance(schema, dict) else {}
        return Parameter(
            wire_name="body",
            python_name="body",
            location=Location.WHOLE_BODY,
            required=required,
            type=typed,
            title=title_of(declared) or title_of(schema),
            description=text(declared.get("description")) or text(schema.get("description")),
            dynamic_schema=extensions.dynamic_schema(declared) or extensions.dynamic_schema(schema),
            part=part,
        )

    def _dropped_media(self, request: openapi.RequestBody, op_id: str) -> None:
        """A located warning for each media type of a requestBody the client does not send, whose schema
        differs from the one it sends (the same schema in another media type is the same request)."""
        for media, pointer in request.dropped:
            self.problems.append(
                self.doc.warning(
                    pointer,
                    f"request body of {op_id}: the client sends {request.media!r}; {media!r}, described by another schema, is not used",
                    "describe every media type of one request body by the same schema, or split the operation",
                    code="approximated",
                )
            )

    def _raw_media(self, op: openapi.OperationNode, request: openapi.RequestBody, body: Node) -> tuple[str, TypeRef] | None:
        """A body sent as it is, with its media type: bytes (a binary or schemaless body of a type that is
        not JSON or a form: ``application/octet-stream``, ``image/png``; 2.0: ``consumes`` such a type and
        the body is ``type: string, format: binary``) or text (a string body of such a type: ``text/plain``)."""
        media = request.media
        if not media:  # 2.0: the operation's (else the document's) consumes
            consumes = op.value.get("consumes", self.data.get("consumes"))
            consumes = [str(m) for m in consumes] if isinstance(consumes, list) else []
            if not consumes or any(openapi.is_json_media(m) or openapi.media_base(m) in openapi.FORM_MEDIA for m in consumes):
                return None
            media = consumes[0]
        if openapi.is_json_media(media) or openapi.media_base(media) in openapi.FORM_MEDIA or not _HEADER_VALUE.fullmatch(media):
            return None
        schema = openapi.resolve(self.data, body).value
        schema = schema if isinstance(schema, dict) else {}
        v31 = openapi.version(self.data) == "3.1"
        if not {k: v for k, v in schema.items() if k not in ("description", "title", extensions.SUMMARY.name)} or openapi.file_kind(schema, lambda value: openapi.resolve(self.data, Node(value, ())).value, v31) == "file":
            return media, TypeRef(Kind.FILE, format="binary")
        if schema.get("type") == "string" and schema.get("format") not in ("byte", "base64"):
            return media, TypeRef(Kind.STRING)
        return None

    def _form_fields(self, request: openapi.RequestBody, op_id: str, context: str, add: Callable[..., None]) -> bool:
        """The fields of an OpenAPI 3 form body as FORM arguments (files typed as uploads), each with how
        its part or pair is written (the ``encoding`` object); what the client cannot carry is warned about.
        True when the body is an urlencoded string, given and sent as it is (not a form of fields)."""
        assert request.schema is not None
        multipart = request.form == openapi.FORM_MEDIA[0]
        resolved = openapi.resolve(self.data, request.schema)
        encoding: dict[str, Any] = request.encoding.value if request.encoding is not None else {}
        v31 = openapi.version(self.data) == "3.1"
        if not self.types.is_object(resolved.value):
            typed = self.types.type_of(request.schema, f"{context}Body", "body")
            description = text(resolved.value.get("description")) if isinstance(resolved.value, dict) else ""
            if not multipart and typed.kind is Kind.STRING:  # the encoded form itself: sent as it is
                whole_part = FormPart(content_type=request.media, style="", explode=None)
                add(Parameter("body", "body", Location.WHOLE_BODY, request.required, typed, "", description, part=whole_part), request.schema.pointer)
                return True
            if typed.kind not in (Kind.MAP, Kind.ANY):
                # No property names the parts or pairs: the caller names them (a map), with a warning.
                self.problems.append(
                    self.doc.warning(
                        request.schema.pointer,
                        f"the {request.form} body of {op_id} is {typed.docs or 'untyped'}, not an object: its {'parts' if multipart else 'pairs'} have no names in the document, so the method takes them as a map (name to value{': text, or bytes, a file object or File for a file' if multipart else ''})",
                        "describe the body as an object whose properties are its " + ("parts" if multipart else "fields"),
                        code="approximated",
                    )
                )
                typed = TypeRef(Kind.MAP, item=TypeRef(Kind.ANY))
            # A map (or an untyped body): one argument whose entries are the fields.
            add(Parameter("body", "body", Location.WHOLE_BODY, request.required, typed, "", description), request.schema.pointer)
            return False
        props, required = self.types.properties(resolved)
        names = set()
        for key, prop in props:
            names.add(key)
            pval = openapi.resolve(self.data, prop).value
            pval = pval if isinstance(pval, dict) else {}
            kind = openapi.file_kind(prop.value, lambda value: openapi.resolve(self.data, Node(value, ())).value, v31)
            if kind and not multipart:
                self.problems.append(
                    self.doc.warning(prop.pointer, f"form field {key!r} of {op_id} is a file, which {request.form} cannot carry: it is sent as text", "send files as multipart/form-data", code="approximated")
                )
                kind = ""
            if kind == "file":
                typed = TypeRef(Kind.FILE, format="binary")
            elif kind == "files":
                typed = TypeRef(Kind.ARRAY, item=TypeRef(Kind.FILE, format="binary"))
            else:
                typed = self.types.type_of(prop, f"{context}{naming.pascal_case(key, 'Field')}", key)
            raw = encoding.get(key)
            where = (*request.encoding.pointer, key) if request.encoding is not None else prop.pointer
            part = self._part(raw, where, key, op_id, typed, multipart) if isinstance(raw, dict) else None
            if not multipart and part is None and typed.kind is Kind.MODEL:
                self._nested_pairs(typed, key, op_id, prop.pointer)
            add(
                Parameter(
                    wire_name=key,
                    python_name=_argument(key),
                    location=Location.FORM,
                    required=request.required and key in required,
                    type=typed,
                    title=title_of(pval),
                    description=text(pval.get("description")),
                    part=part,
                ),
                prop.pointer,
            )
        for key in encoding:
            if key not in names and request.encoding is not None:
                self.problems.append(self.doc.warning((*request.encoding.pointer, key), f"encoding of {op_id} names {key!r}, which is not a field of the body; it is not used", "name a property of the body's schema", code="spec-violation"))
        return False

    def _part(self, raw: dict[str, Any], pointer: tuple[str | int, ...], key: str, op_id: str, typed: TypeRef, multipart: bool) -> FormPart:
        """A form field's Encoding Object: what the client carries of it (a located warning for the rest)."""

        def lost(where: str | tuple[str, str], what: str, hint: str) -> None:
            at = (*pointer, *where) if isinstance(where, tuple) else (*pointer, where)
            self.problems.append(self.doc.warning(at, f"encoding of form field {key!r} of {op_id}: {what}", hint, code="approximated"))

        content_type = text(raw.get("contentType"))
        if not _HEADER_VALUE.fullmatch(content_type):
            lost("contentType", f"content type {content_type!r} is not a header value (a control character)", "write one media type")
            content_type = ""
        inner = typed.item if typed.kind is Kind.ARRAY and typed.item is not None else typed
        structured = inner.kind in (Kind.MODEL, Kind.MAP, Kind.ARRAY, Kind.UNION, Kind.ALIAS, Kind.ANY)
        json_type = bool(content_type) and openapi.is_json_media(content_type)
        if not multipart:
            style = text(raw.get("style")) or "form"
            explode = raw["explode"] if isinstance(raw.get("explode"), bool) else style == "form"
            if style not in ("form", "spaceDelimited", "pipeDelimited", "deepObject"):
                lost("style", f"style {style!r} is not one a form body has; the field is written in style form", "use form, spaceDelimited, pipeDelimited or deepObject")
                style, explode = "form", True
            if style in ("spaceDelimited", "pipeDelimited") and (typed.kind is not Kind.ARRAY or explode):
                lost("style", f"style {style!r} is defined for arrays, not exploded; the field is written in style form", "use it on an array field, with explode: false")
                style, explode = "form", True
            if style == "deepObject" and typed.kind not in (Kind.MODEL, Kind.MAP, Kind.ARRAY, Kind.UNION, Kind.ALIAS, Kind.ANY):
                lost("style", "style 'deepObject' is defined for objects; the field is written in style form", "use it on an object field")
                style, explode = "form", True
            if raw.get("allowReserved") is True:
                lost("allowReserved", "allowReserved is not carried: reserved characters are percent-encoded", "leave allowReserved out")
            if content_type and not json_type:
                lost("contentType", f"content type {content_type!r} is not carried in an urlencoded body: the value is written by its style", "use application/json, or leave contentType out")
                content_type = ""
            if "headers" in raw:
                lost("headers", "headers are not carried in an urlencoded body (only multipart parts have headers)", "leave headers out")
            part = FormPart(content_type=content_type if json_type and "style" not in raw else "", style=style, explode=explode)
            if not part.content_type and part.style != "deepObject" and typed.kind is Kind.MODEL:  # deepObject nests: a[b][c]=v
                self._nested_pairs(typed, key, op_id, pointer)
            return part
        if "," in content_type or "*" in content_type:
            content_type = ""  # several types, or a range: a file's own (File.content_type), else application/octet-stream
        elif content_type.lower().startswith("multipart/"):
            lost("contentType", f"a nested {content_type!r} part is not carried: the value is sent as one part", "describe the part as a file, or as JSON")
            content_type = ""
        elif structured and inner.kind is not Kind.ANY and content_type and not json_type:
            lost("contentType", f"the client writes an object or array part as JSON, not as {content_type!r}", "use application/json for the part")
            content_type = ""
        # style, explode and allowReserved: OpenAPI ignores them unless the body is urlencoded.
        headers: list[tuple[str, str]] = []
        raw_headers = raw.get("headers")
        for name, header in (raw_headers.items() if isinstance(raw_headers, dict) else ()):
            value = openapi.resolve(self.data, Node(header, (*pointer, "headers", name))).value
            schema = openapi.resolve(self.data, Node(value.get("schema") if isinstance(value, dict) else None, ())).value
            schema = schema if isinstance(schema, dict) else {}
            fixed = schema.get("const", schema.get("default"))
            enum = schema.get("enum")
            if fixed is None and isinstance(enum, list) and len(enum) == 1:
                fixed = enum[0]
            if str(name).lower() == "content-type":
                continue  # OpenAPI: described by contentType, ignored here
            if not openapi.HEADER_NAME.fullmatch(str(name)) or (fixed is not None and not _HEADER_VALUE.fullmatch(str(fixed))):
                lost(("headers", str(name)), f"header {name!r} is not a valid header name and value; it is not sent", "use a token for the name, and no control characters")
            elif isinstance(fixed, (str, int, float)) and not isinstance(fixed, bool):
                headers.append((str(name), str(fixed)))
            else:
                lost(("headers", str(name)), f"header {name!r} has no fixed value (a default, const or single enum value) and is not sent", "give its schema a default")
        return FormPart(content_type=content_type, headers=tuple(headers))

    def _nested_pairs(self, typed: TypeRef, key: str, op_id: str, pointer: tuple[str | int, ...]) -> None:
        """An object field of an urlencoded body is written as pairs of its properties: one that is itself
        an object or array has no defined spelling (its value is written as JSON): a warning."""
        model = self.types.model(typed.name)
        nested = [f.wire_name for f in model.fields if f.type.kind in (Kind.MODEL, Kind.MAP, Kind.ARRAY, Kind.UNION, Kind.ALIAS)] if model else []
        if nested:
            self.problems.append(
                self.doc.warning(
                    pointer,
                    f"form field {key!r} of {op_id} is an object with nested values ({', '.join(map(repr, nested))}), which an urlencoded body has no spelling for: each is written as JSON text",
                    "flatten the object, or give the field contentType application/json in the encoding",
                    code="approximated",
                )
            )

    def _notification(self, op: openapi.OperationNode, context: str) -> Node | None:
        """A webhook's x-ms-notification-content (on the operation or its path item): the schema of what the
        callback receives. Its type is made a model too, for whoever decodes the callbacks."""
        content = extensions.notification_content(op)
        if content is None:
            return None
        schema = Node(*content)
        self.types.type_of(schema, f"{context}Notification", f"{op.value.get('operationId', '')} notification")
        return schema

    def _dynamic_values(self, operations: list[Operation], methods: set[str], views: dict[str, OperationView]) -> list[Operation]:
        """Parameters with x-ms-dynamic-values / x-ms-dynamic-list get a <operation>_<parameter>_values helper."""
        by_id = {op.operation_id: op for op in operations}
        result = []
        for operation in operations:
            view = views.get(operation.operation_id)
            raw_params = {p.name: p for p in view.parameters} if view else {}
            params = []
            for param in operation.parameters:
                raw = raw_params.get(param.wire_name)
                spec = raw.dynamic_values if raw else None
                dynamic = self._dynamic(operation, param, spec, by_id, methods, raw.pointer if raw else ()) if spec is not None else None
                schema = bool(raw and raw.dynamic_schema)
                params.append(replace(param, dynamic=dynamic, dynamic_schema=schema) if dynamic or schema else param)
            changed = any(new is not old for new, old in zip(params, operation.parameters))
            result.append(replace(operation, parameters=tuple(params)) if changed else operation)
        return result

    def _dynamic(
        self, operation: Operation, param: Parameter, spec: dict[str, Any], by_id: dict[str, Operation], methods: set[str], pointer: tuple[str | int, ...]
    ) -> DynamicValues | None:
        target = by_id.get(str(spec.get("operationId", "")))
        if target is None:
            self.problems.append(self.doc.warning(pointer, f"x-ms-dynamic-values names operation {spec.get('operationId')!r}, which does not exist; no helper", "fix the operationId", code="left-out"))
            return None
        listing = "itemsPath" in spec or "itemValuePath" in spec  # x-ms-dynamic-list spelling
        keys = {p.wire_name: p.python_name for p in target.parameters}
        mine = {p.wire_name: p.python_name for p in operation.parameters}
        arguments: list[tuple[str, str, Any]] = []
        inputs: list[str] = []
        for name, how in _mapping(spec.get("parameters")).items():
            key = keys.get(str(name))
            if key is None:
                continue
            ref = how.get("parameter") or how.get("parameterReference") if isinstance(how, dict) else None
            if isinstance(ref, str) and ref in mine:
                arguments.append((key, "parameter", mine[ref]))
                inputs.append(mine[ref])
            elif isinstance(how, dict) and "value" in how:
                arguments.append((key, "const", how["value"]))
            elif not isinstance(how, dict):
                arguments.append((key, "const", how))
        collection = spec.get("itemsPath" if listing else "value-collection") or ""
        return DynamicValues(
            python_name=naming.unique(f"{operation.python_name}_{param.python_name.rstrip('_')}_values", methods),
            operation=target.python_name,
            arguments=tuple(arguments),
            collection=tuple(p for p in str(collection).replace("/", ".").split(".") if p),
            value_path=tuple(p for p in str(spec.get("itemValuePath" if listing else "value-path") or "").replace("/", ".").split(".") if p),
            title_path=tuple(p for p in str(spec.get("itemTitlePath" if listing else "value-title") or "").replace("/", ".").split(".") if p),
            inputs=tuple(dict.fromkeys(inputs)),
        )

    def _models(self, name: str) -> Model | None:
        """A class of models.py, for paging: read without a log entry (``TypeMapper.log``), since what paging
        reads of it (its fields' names and kinds) follows from the schemas the operation's own input covers,
        and the class names in it from the reads logged when the operation's result type was built."""
        return self.types.models.get(name)

    def _trigger(self, op: openapi.OperationNode, raw: dict[str, Any], operation: Operation) -> TriggerPolicy | None:
        pointer = extensions.TRIGGER.at(op.pointer)
        result = operation.result_type
        if result is None:
            self.problems.append(self.doc.error(pointer, f"trigger {operation.operation_id} has no 2xx response body to find items in", "declare the response schema"))
            return None
        path = tuple(p for p in str(raw.get("items", "")).split(".") if p)
        current = result
        for index, key in enumerate(path):
            model = self.types.model(current.name) if current.kind is Kind.MODEL else None
            found = next((f for f in model.fields if f.wire_name == key), None) if model else None
            if found is None:
                available = ", ".join(f.wire_name for f in model.fields) if model else "none: not an object"
                self.problems.append(
                    self.doc.error((*pointer, "items"), f"items path {'.'.join(path)!r}: no field {key!r} in the response of {operation.operation_id}", f"fields there: {available}")
                )
                return None
            current = found.type
        if current.kind is not Kind.ARRAY or current.item is None or current.item.kind is not Kind.MODEL:
            self.problems.append(
                self.doc.error((*pointer, "items"), f"items path {'.'.join(path) or '(the body)'!r} of {operation.operation_id} is not an array of objects", "point 'items' at the array of items in the response")
            )
            return None
        item_model = self.types.model(current.item.name)
        assert item_model is not None

        def field(key: str) -> Field | None:
            name = raw.get(key)
            if name is None:
                return None
            found = next((f for f in item_model.fields if f.wire_name == name), None)
            if found is None:
                self.problems.append(
                    self.doc.error(
                        (*pointer, key),
                        f"trigger {key} field {name!r} is not a field of the items of {operation.operation_id}",
                        "fields there: " + ", ".join(f.wire_name for f in item_model.fields),
                    )
                )
            return found

        identity, order, filt = field("identity"), field("order"), field("filter")
        if identity is None or ("order" in raw and order is None) or ("filter" in raw and filt is None):
            return None
        order = order or identity
        if order.type.kind not in _ORDERABLE:
            self.problems.append(self.doc.error((*pointer, "order"), f"trigger order field {order.wire_name!r} is {order.type.docs or 'untyped'}; it must be a string or a number", "order by a date-time, an id or a number"))
            return None
        interval = raw.get("pollIntervalSeconds")
        if interval is None:
            limit = next((t for t in extensions.throttling(self.data) if t.get("scope") == "trigger-poll"), None)
            interval = float(limit["renewalPeriodSeconds"]) / int(limit["calls"]) if limit else 60.0
        return TriggerPolicy(
            items_path=path,
            next_link=tuple(p for p in str(raw.get("next", "")).split(".") if p),
            item_type=current.item,
            identity=identity,
            order=order,
            filter=filt,
            poll_interval_seconds=float(interval),
        )

#: Where a parameter is, as a word in front of its name when a parameter elsewhere has the same one;
#: in this order, the first keeps the plain name (a path parameter's is never changed).
_PLACES = {
    Location.PATH: "path",
    Location.QUERY: "query",
    Location.HEADER: "header",
    Location.FORM: "body",
    Location.BODY: "body",
    Location.WHOLE_BODY: "body",
    Location.MODEL_BODY: "body",
}
#: Each location's rank among them (``naming.Named.rank``): its place in ``_PLACES``.
_RANKS = {location: rank for rank, location in enumerate(_PLACES)}


def _types_in_use(types: TypeMapper, operations: tuple[Operation, ...]) -> list[TypeRef]:
    """Every type models.py and the operations use (where unions are, for their members' discriminators)."""
    found = [f.type for m in types.models.values() for f in m.fields] + [a.target for a in types.aliases.values()]
    for op in operations:
        found += [p.type for p in op.parameters] + [r.type for r in op.responses if r.type is not None]
        found += [t.type for t in (op.body_model,) if t is not None]
        found += [t.item_type for t in (op.trigger, op.pager) if t is not None]
    return found


def _argument(name: str) -> str:
    """A method argument's plain Python name: not one the method's body uses itself."""
    python = naming.field_name(name)
    return python + "_" if python in RESERVED_ARGUMENTS else python


#: What a multipart part's header may be (RFC 9110 token; a value without control characters).
_HEADER_VALUE = re.compile(r"[^\x00-\x08\x0a-\x1f\x7f]*")
_CONNECTION_REF = re.compile(r"@connectionParameters\('([^']+)'\)")


def _template(text: str) -> Template:
    """Literal text and @connectionParameters('x') references; () if another @ expression remains."""
    parts: list[tuple[str, str]] = []
    last = 0
    for match in _CONNECTION_REF.finditer(text):
        if match.start() > last:
            parts.append(("text", text[last : match.start()]))
        parts.append(("connection", match.group(1)))
        last = match.end()
    if last < len(text):
        parts.append(("text", text[last:]))
    if any(kind == "text" and "@" in value and ("(" in value) for kind, value in parts):
        return ()
    return tuple(parts)


def _notification_in_body(data: dict[str, Any], request: openapi.RequestBody) -> bool:
    """x-ms-notification-url on a property of the body (the usual place in Power Platform webhooks)."""
    body = request.schema
    if body is None:
        return False
    schema = openapi.resolve(data, body).value
    props = schema.get("properties") if isinstance(schema, dict) else None
    if not isinstance(props, dict):
        return False
    for value in props.values():
        resolved = openapi.resolve(data, Node(value, ())).value
        if extensions.notification_url(resolved):
            return True
    return False


def _unique_pagers(operations: list[Operation]) -> tuple[Operation, ...]:
    """A pager's name must not be an operation's: iter_list_items beside an operation named iter_list_items."""
    taken = {op.python_name for op in operations}
    result = []
    for op in operations:
        if op.pager is not None:
            op = replace(op, pager=replace(op.pager, python_name=naming.unique(op.pager.python_name, taken)))
        result.append(op)
    return tuple(result)


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _event_data(data: dict[str, Any], item: Node) -> Node:
    """The schema of an event's data, from an OpenAPI 3.2 ``itemSchema``: the schema of its ``data`` property
    (its ``contentSchema``, for JSON text) where it describes the event's fields, else the item schema itself."""
    value = openapi.resolve(data, item).value
    properties = value.get("properties") if isinstance(value, dict) else None
    field = properties.get("data") if isinstance(properties, dict) else None
    if not isinstance(field, dict):
        return item
    pointer = (*openapi.resolve(data, item).pointer, "properties", "data")
    if isinstance(field.get("contentSchema"), dict):
        return Node(field["contentSchema"], (*pointer, "contentSchema"))
    return Node(field, pointer)


#: JSON Schema keywords that say what a value must be besides its type, kept as a parameter's constraints.
_CONSTRAINTS = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minLength", "maxLength", "pattern", "minItems", "maxItems", "uniqueItems")


def constraints(data: Any, schema: Node) -> tuple[tuple[str, Any], ...]:
    """The constraints of a parameter's (or body field's) schema, as JSON Schema 2020-12 says them: OpenAPI
    2.0 and 3.0's boolean ``exclusiveMinimum`` (beside ``minimum``) becomes the number it excludes."""
    value = openapi.resolve(data, schema).value
    if not isinstance(value, dict):
        return ()
    found: dict[str, Any] = {}
    for key in _CONSTRAINTS:
        given = value.get(key)
        if key in ("exclusiveMinimum", "exclusiveMaximum") and isinstance(given, bool):
            bound = "minimum" if key == "exclusiveMinimum" else "maximum"
            if given and _number(value.get(bound)):
                found.pop(bound, None)
                found[key] = value[bound]
            continue
        if key == "pattern" and isinstance(given, str):
            found[key] = given
        elif key == "uniqueItems" and given is True:
            found[key] = True
        elif isinstance(given, (int, float)) and not isinstance(given, bool):
            limit = key in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")
            if limit or (key == "multipleOf" and given > 0) or (isinstance(given, int) and given >= 0):
                found[key] = given
    return tuple(found.items())


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)
