"""Stage 3, connections: how the client authenticates, from whichever source the input has.

In order of precedence:

1. ``x-connector-connection`` (an authored connector spec): its parameters, sent as the
   security definition each one names says;
2. ``apiProperties.json`` ``connectionParameters`` (a Power Platform connector folder);
3. the document's own ``securitySchemes`` (3.x) / ``securityDefinitions`` (2.0): one
   constructor argument per scheme (two for HTTP basic), and per operation the schemes
   its ``security`` (or the document's) requires — ``[]`` is none, alternatives are any one.

A scheme the client cannot carry is a located warning and gets no argument.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from . import naming, openapi
from .diagnostics import Diagnostic
from .loader import Document
from .model import Auth, Connection, ConnectionParameter
from .openapi import text
from .text import slug

_LABELS = {Auth.VALUE: "API key", Auth.BEARER: "Bearer token", Auth.BASIC_USER: "HTTP basic", Auth.BASIC_PASSWORD: "HTTP basic"}

#: The client constructor's own arguments, which a connection parameter may not take.
#: The constructor's own arguments, and the names its body reads (modules and client.py's helpers): an
#: argument must not shadow one (a server variable or connection parameter ``httpx`` broke every client).
RESERVED_CONSTRUCTOR = frozenset(
    {"self", "base_url", "timeout", "max_response_bytes", "retry", "throttle", "transport", "headers", "user_agent", "http_client", "httpx", "_runtime", "_serde", "errors", "models", "_engine", "_credential"}
)

#: Operation security: alternatives, each the connection parameters it needs (() = no credentials).
Requirements = tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Security:
    connection: Connection | None
    #: scheme name -> the connection parameters that carry it (standard schemes only; {} otherwise)
    schemes: dict[str, tuple[str, ...]]

    @property
    def types(self) -> tuple[Connection, ...]:
        """The authentication types the docs list: one per standard scheme, else the one connection."""
        if self.connection is None:
            return ()
        if not self.schemes:
            return (replace(self.connection, anchor="connection-" + slug(self.connection.name)),)
        taken: set[str] = set()
        result = []
        for scheme, names in self.schemes.items():
            params = tuple(p for p in self.connection.parameters if p.name in names)
            label = _LABELS.get(params[0].auth, "API key") if params else ""
            if params and params[0].identity_provider:
                label = "OpenID Connect" if params[0].identity_provider == "openIdConnect" else "OAuth 2.0"
            description = f"{label}: security scheme {scheme!r}; the operations that require it send it."
            anchor = naming.unique("connection-" + slug(scheme), taken)
            result.append(Connection(scheme, description, "All regions", False, params, anchor))
        return tuple(result)

    def requirements(self, data: dict[str, Any], op: openapi.OperationNode) -> Requirements | None:
        """What an operation needs: its own ``security``, else the document's; None = every credential given."""
        if not self.schemes:
            return None
        raw = op.value["security"] if "security" in op.value else data.get("security")
        if not isinstance(raw, list):
            return None
        alternatives: list[tuple[str, ...]] = []
        for requirement in raw:
            if not isinstance(requirement, dict):
                continue
            if any(name not in self.schemes for name in requirement):
                continue  # a scheme the client cannot carry (warned about once, at the scheme)
            needed = tuple(p for name in requirement for p in self.schemes[name])
            if needed not in alternatives:
                alternatives.append(needed)
        return tuple(alternatives) or ((),)  # [] (or nothing the client can send): no credentials


def connection(doc: Document, name: str, properties: Document | None, problems: list[Diagnostic]) -> Security:
    raw = doc.data.get("x-connector-connection")
    if isinstance(raw, dict):
        return Security(_connector_connection(doc, name, raw), {})
    props = properties.data.get("properties") if properties is not None else None
    props = props if isinstance(props, dict) else {}
    if isinstance(props.get("connectionParameters"), dict) and props["connectionParameters"]:
        return Security(_powerplatform_connection(doc, name, properties, props["connectionParameters"], problems), {})
    return _standard_connection(doc, name, problems)


def constructor_name(key: str, taken: set[str]) -> str:
    """A connection parameter's argument name: never one of the constructor's own (base_url, timeout…)."""
    name = naming.field_name(key)
    if name in RESERVED_CONSTRUCTOR:
        name += "_"
    return naming.unique(name, taken)


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _connector_connection(doc: Document, name: str, raw: dict[str, Any]) -> Connection:
    schemes = openapi.security_schemes(doc.data)
    params = []
    taken: set[str] = set()
    for key, value in raw["parameters"].items():
        scheme = schemes.get(str(value.get("securityDefinition", "")))
        header = query = ""
        if scheme is not None:
            where = scheme.value.get("in", "header")
            target = str(scheme.value.get("name", "Authorization"))
            header, query = (target, "") if where == "header" else ("", target)
            if scheme.value.get("type") in ("http", "basic"):
                header, query = "Authorization", ""
        params.append(
            ConnectionParameter(
                name=key,
                python_name=constructor_name(key, taken),
                type=value["type"],
                display_name=value["displayName"],
                description=text(value.get("description")),
                link=text(value.get("link")),
                required=bool(value.get("required", False)),
                secret=value["type"] == "securestring",
                header=header,
                query=query,
                value_format=value.get("format", "{" + key + "}"),
                env_var=naming.env_var(name, key),
            )
        )
    return Connection(
        name=text(raw.get("name")) or "Default",
        description=text(raw.get("description")),
        regions=text(raw.get("regions")) or "All regions",
        shareable=bool(raw.get("shareable", False)),
        parameters=tuple(params),
    )


def _powerplatform_connection(doc: Document, name: str, properties: Document | None, raw: dict[str, Any], problems: list[Diagnostic]) -> Connection:
    """Connection parameters from apiProperties.json, tied to the securityDefinitions that send them."""
    schemes = [s.value for s in openapi.security_schemes(doc.data).values() if isinstance(s.value, dict)]
    api_keys = [s for s in schemes if s.get("type") == "apiKey"]
    basic = any(s.get("type") == "basic" for s in schemes)
    secure = [k for k, v in raw.items() if isinstance(v, dict) and v.get("type") == "securestring"]
    params = []
    taken: set[str] = set()
    for key, value in raw.items():
        if not isinstance(value, dict):
            continue
        kind = str(value.get("type", "string"))
        ui = _mapping(value.get("uiDefinition"))
        constraints = _mapping(ui.get("constraints"))
        oauth = _mapping(value.get("oAuthSettings"))
        header = query = ""
        auth, value_format = Auth.NONE, "{value}"
        if kind.lower() == "oauthsetting":
            auth, header, value_format = Auth.BEARER, "Authorization", "Bearer {value}"
        elif basic and key.lower() in ("username", "password"):
            auth, header = Auth.BASIC_USER if key.lower() == "username" else Auth.BASIC_PASSWORD, "Authorization"
        elif api_keys and kind == "securestring" and (key == "api_key" or len(secure) == 1):
            where = api_keys[0]
            target = str(where.get("name", "Authorization"))
            header, query = (target, "") if where.get("in", "header") == "header" else ("", target)
            auth = Auth.VALUE
        if auth is Auth.NONE and kind not in ("securestring", "string", "oauthSetting", "oAuthSetting"):
            problems.append(
                properties.warning(("properties", "connectionParameters", key), f"connection parameter type {kind!r} is not supported by the client; it is documented only", "")
                if properties is not None
                else doc.warning((), f"connection parameter type {kind!r} is not supported")
            )
        scopes: list[Any] = oauth["scopes"] if isinstance(oauth.get("scopes"), list) else []
        params.append(
            ConnectionParameter(
                name=key,
                python_name=constructor_name(key, taken),
                type=kind,
                display_name=text(ui.get("displayName")) or key,
                description=text(ui.get("description")),
                link="",
                required=str(constraints.get("required", "false")).lower() == "true" and str(constraints.get("hidden", "false")).lower() != "true",
                secret=kind.lower() in ("securestring", "oauthsetting"),
                header=header,
                query=query,
                value_format=value_format.replace("{value}", "{" + key + "}"),
                env_var=naming.env_var(name, key),
                auth=auth,
                identity_provider=text(oauth.get("identityProvider")),
                scopes=tuple(str(s) for s in scopes),
            )
        )
    return Connection(name="Default", description="Parameters for creating connection.", regions="All regions", shareable=False, parameters=tuple(params))


def _standard_connection(doc: Document, name: str, problems: list[Diagnostic]) -> Security:
    """One constructor argument per security scheme the document declares (two for HTTP basic)."""
    params: list[ConnectionParameter] = []
    carried: dict[str, tuple[str, ...]] = {}
    taken: set[str] = set()

    def add(key: str, scheme: str, display: str, description: str, **how: Any) -> str:
        params.append(
            ConnectionParameter(
                name=key,
                python_name=constructor_name(key, taken),
                type="securestring",
                display_name=display,
                description=description,
                link="",
                required=False,  # which credentials a call needs is decided per operation
                secret=True,
                env_var=naming.env_var(name, key),
                scheme=scheme,
                **{"header": "", "query": "", "value_format": "{" + key + "}", **how},
            )
        )
        return key

    for scheme_name, node in openapi.security_schemes(doc.data).items():
        scheme = _mapping(node.value)
        kind = str(scheme.get("type", ""))
        http = str(scheme.get("scheme", "")).lower()
        about = text(scheme.get("description"))
        if kind == "apiKey" and scheme.get("in") in ("header", "query", "cookie") and isinstance(scheme.get("name"), str):
            where, target = str(scheme["in"]), str(scheme["name"])
            sent = f"Sent in the {target} {where}" if where != "query" else f"Sent as the query parameter {target}"
            carried[scheme_name] = (add(scheme_name, scheme_name, "API key", _sentence(sent, about), **{where: target}),)
        elif kind == "basic" or (kind == "http" and http == "basic"):
            user = add(f"{scheme_name}_username", scheme_name, "User name", _sentence("HTTP basic authentication", about), header="Authorization", auth=Auth.BASIC_USER)
            password = add(f"{scheme_name}_password", scheme_name, "Password", "HTTP basic authentication.", header="Authorization", auth=Auth.BASIC_PASSWORD)
            carried[scheme_name] = (user, password)
        elif kind == "http" and http == "bearer":
            token = text(scheme.get("bearerFormat"))
            sent = "Sent in the Authorization header" + (f" ({token})" if token else "") + "; a token or a callable returning one"
            carried[scheme_name] = (add(scheme_name, scheme_name, "Bearer token", _sentence(sent, about), header="Authorization", value_format="Bearer {" + scheme_name + "}", auth=Auth.BEARER),)
        elif kind in ("oauth2", "openIdConnect"):
            scopes = _oauth_scopes(scheme)
            how = "OpenID Connect" if kind == "openIdConnect" else "OAuth 2.0 (" + ", ".join(_oauth_flows(scheme)) + ")"
            where = text(scheme.get("openIdConnectUrl")) or _token_url(scheme)
            sent = f"{how} access token, or a callable returning one" + (f"; tokens from {where}" if where else "")
            carried[scheme_name] = (
                add(scheme_name, scheme_name, "Access token", _sentence(sent, about), header="Authorization", value_format="Bearer {" + scheme_name + "}", auth=Auth.BEARER, identity_provider=kind, scopes=scopes),
            )
        else:
            described = f"type {kind!r}" + (f", scheme {http!r}" if http else "")
            problems.append(
                doc.warning(node.pointer, f"security scheme {scheme_name!r} ({described}) cannot be carried by the client; it gets no credential argument", "send the credential with a header parameter, or describe it with x-connector-connection")
            )
    if not params:
        return Security(None, {})
    description = "Credentials of the API's security schemes; each operation sends the ones it requires."
    return Security(Connection("Default", description, "All regions", False, tuple(params)), carried)


def _sentence(first: str, about: str) -> str:
    return f"{first}. {about}".strip() if about else f"{first}."


def _oauth_flows(scheme: dict[str, Any]) -> list[str]:
    flows = scheme.get("flows")
    if isinstance(flows, dict) and flows:
        return sorted(str(f) for f in flows)
    return [str(scheme.get("flow", "token"))]


def _token_url(scheme: dict[str, Any]) -> str:
    """Where an OAuth 2 token comes from: the first flow's token (or authorization) URL."""
    flows = scheme.get("flows")
    for flow in [*(flows.values() if isinstance(flows, dict) else ()), scheme]:
        if isinstance(flow, dict):
            url = text(flow.get("tokenUrl")) or text(flow.get("authorizationUrl"))
            if url:
                return url
    return ""


def _oauth_scopes(scheme: dict[str, Any]) -> tuple[str, ...]:
    found: dict[str, None] = {}
    flows = scheme.get("flows")
    for flow in [*(flows.values() if isinstance(flows, dict) else ()), scheme]:
        scopes = flow.get("scopes") if isinstance(flow, dict) else None
        if isinstance(scopes, dict):
            found.update(dict.fromkeys(str(s) for s in scopes))
    return tuple(found)
