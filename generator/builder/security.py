"""Stage 3, connections: how the client authenticates, from whichever source the input has.

In order of precedence:

1. ``x-connector-connection`` (an authored connector spec): its parameters, sent as the
   security definition each one names says;
2. ``apiProperties.json`` ``connectionParameters`` (a Power Platform connector folder);
3. the document's own ``securitySchemes`` (3.x) / ``securityDefinitions`` (2.0): one
   constructor argument per scheme (two for HTTP basic), and per operation the schemes
   its ``security`` (or the document's) requires — ``[]`` is none, alternatives are any one.

A scheme the client cannot carry is a located warning and gets no argument.

An OAuth 2 credential whose token URL is known (a scheme's ``clientCredentials``, ``authorizationCode``
or ``password`` flow; a Power Platform ``oAuthSettings`` identity provider) also gets keyword arguments
with which the client fetches and renews its tokens itself (``client_id``, ``client_secret``,
``refresh_token``, ``token_url``, ``scopes``…): named here, after every credential and server variable
(which keep their names), so that no name is taken twice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from ..diagnostics import Diagnostic
from ..document import extensions, openapi
from ..document.loader import Document
from ..document.openapi import text
from ..model import Auth, Connection, ConnectionParameter, OAuth, OAuthArgument
from ..text import slug
from . import naming

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
    raw = extensions.connection(doc.data)
    if raw is not None:
        return Security(_connector_connection(doc, name, raw, problems), {})
    props = properties.data.get("properties") if properties is not None else None
    props = props if isinstance(props, dict) else {}
    if isinstance(props.get("connectionParameters"), dict) and props["connectionParameters"]:
        found = _powerplatform_connection(doc, name, properties, props["connectionParameters"], problems)
        return Security(_oauth_arguments(found, name, properties or doc, ("properties", "connectionParameters"), problems), {})
    security = _standard_connection(doc, name, problems)
    return replace(security, connection=_oauth_arguments(security.connection, name, doc, _schemes_pointer(doc), problems))


def argument_names(connection: Connection | None) -> set[str]:
    """Every constructor argument the credentials take: the connection parameters' and their OAuth ones."""
    names: set[str] = set()
    for p in connection.parameters if connection else ():
        names |= {p.python_name, *(a.python_name for a in (p.oauth.arguments if p.oauth else ()))}
    return names


def constructor_name(key: str, taken: set[str], warn: Callable[[str, str], None] | None = None) -> str:
    """A connection parameter's argument name: never one of the constructor's own (base_url, timeout…)
    nor another parameter's; a name that had to change is told to ``warn(message, hint)``."""
    wanted = naming.field_name(key)
    name = naming.unique(wanted + "_" if wanted in RESERVED_CONSTRUCTOR else wanted, taken)
    if name != wanted and warn is not None:
        why = "the client's own constructor argument" if wanted in RESERVED_CONSTRUCTOR else "another connection parameter's name"
        warn(f"connection parameter {key!r} is the constructor argument {name!r}: {wanted!r} is {why}", "rename the parameter to keep its name in the client")
    return name


def _warner(doc: Document | None, pointer: tuple[str, ...], problems: list[Diagnostic]) -> Callable[[str, str], None]:
    def warn(message: str, hint: str) -> None:
        if doc is not None:
            problems.append(doc.warning(pointer, message, hint, code="renamed"))

    return warn


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _connector_connection(doc: Document, name: str, raw: dict[str, Any], problems: list[Diagnostic]) -> Connection:
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
                python_name=constructor_name(key, taken, _warner(doc, (extensions.CONNECTION.name, "parameters", key), problems)),
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
                properties.warning(("properties", "connectionParameters", key), f"connection parameter type {kind!r} is not supported by the client; it is documented only", "", code="auth")
                if properties is not None
                else doc.warning((), f"connection parameter type {kind!r} is not supported", code="auth")
            )
        scopes: list[Any] = oauth["scopes"] if isinstance(oauth.get("scopes"), list) else []
        fetched = None
        if kind.lower() == "oauthsetting" and oauth:
            settings_at = ("properties", "connectionParameters", key, "oAuthSettings")
            fetched = _identity_provider(oauth, tuple(str(s) for s in scopes if isinstance(s, str) and s), problems, properties or doc, settings_at)
        params.append(
            ConnectionParameter(
                name=key,
                python_name=constructor_name(key, taken, _warner(properties, ("properties", "connectionParameters", key), problems)),
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
                oauth=fetched,
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
                python_name=constructor_name(key, taken, _warner(doc, (*_schemes_pointer(doc), scheme), problems)),
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
            fetched = _grant_url(scheme) if kind == "oauth2" else ""
            oauth = OAuth("oauth2", fetched, _required_scopes(doc.data, scheme_name) or scopes) if fetched else None
            carried[scheme_name] = (
                add(scheme_name, scheme_name, "Access token", _sentence(sent, about), header="Authorization", value_format="Bearer {" + scheme_name + "}", auth=Auth.BEARER, identity_provider=kind, scopes=scopes, oauth=oauth),
            )
        else:
            described = f"type {kind!r}" + (f", scheme {http!r}" if http else "")
            problems.append(
                doc.warning(node.pointer, f"security scheme {scheme_name!r} ({described}) cannot be carried by the client; it gets no credential argument", "send the credential with a header parameter, or describe it with x-connector-connection", code="auth")
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


# --------------------------------------------------------------------------- OAuth 2: tokens the client fetches

#: Where Azure AD (Microsoft Entra ID) issues tokens; the client fills in ``{tenant}``.
AAD_TOKEN_URL = "https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token"

#: An OAuth credential's keyword arguments: role, annotation, default, has an environment variable, description.
_OAUTH_ROLES = (
    ("client_id", "str | None", "None", True, "OAuth 2 client id: with the client secret, the client fetches its own tokens (client credentials) and renews them"),
    ("client_secret", "str | None", "None", True, "OAuth 2 client secret (sent to the token endpoint only)"),
    ("refresh_token", "str | None", "None", True, "OAuth 2 refresh token: the client trades it for access tokens (refresh token grant), and renews them"),
    ("token_url", "str | None", "None", True, "The token endpoint's URL, {url}"),
    ("scopes", "Sequence[str] | None", "None", False, "The scopes asked for (default {scopes})"),
    ("tenant", "str | None", "None", True, "The Azure AD tenant (id or domain) tokens come from (default {tenant!r}; client credentials need the app's own tenant)"),
    ("token_auth", 'Literal["client_secret_basic", "client_secret_post"]', '"client_secret_basic"', False, "How the client authenticates at the token endpoint: HTTP basic (default) or in the form"),
    ("allow_insecure_token_url", "bool", "False", False, "Allow a token URL that is not https (localhost is always allowed)"),
)


def _schemes_pointer(doc: Document) -> tuple[str, ...]:
    return ("securityDefinitions",) if "securityDefinitions" in doc.data else ("components", "securitySchemes")


def _oauth_arguments(found: Connection | None, name: str, doc: Document, pointer: tuple[str, ...], problems: list[Diagnostic]) -> Connection | None:
    """Name the OAuth credentials' keyword arguments, after every connection parameter has its name:
    ``client_id``… for one credential, ``<credential>_client_id``… for several; a name taken is a warning."""
    oauth = [p for p in found.parameters if p.oauth is not None] if found else []
    if found is None or not oauth:
        return found
    # A server variable had its argument's name before these arguments came: it keeps it.
    taken = set(RESERVED_CONSTRUCTOR) | {p.python_name for p in found.parameters} | _server_variable_names(doc.data)
    params = []
    for p in found.parameters:
        if p.oauth is None:
            params.append(p)
            continue
        arguments = []
        for role, annotation, default, env, about in _OAUTH_ROLES:
            if role == "tenant" and p.oauth.provider != "aad":
                continue
            wanted = f"{p.python_name}_{role}" if len(oauth) > 1 else role
            python = naming.unique(wanted if wanted not in taken else wanted + "_", taken)
            if python != wanted:
                where = (*pointer, p.name)
                problems.append(doc.warning(where, f"OAuth argument {wanted!r} of credential {p.python_name!r} is {python!r}: {wanted!r} is taken", "rename the credential or the parameter that takes it", code="renamed"))
            url = f"instead of {p.oauth.token_url}" + ("" if "://" in p.oauth.token_url else " (relative to the base URL)")
            url = url if p.oauth.token_url else "which the connector does not name: required with a client id or a refresh token"
            scopes = ", ".join(p.oauth.scopes) if p.oauth.scopes else "none: the server's default"
            description = about.format(url=url, scopes=scopes, tenant=p.oauth.tenant)
            arguments.append(OAuthArgument(role, python, naming.env_var(name, python) if env else "", annotation, default, description + "."))
        params.append(replace(p, oauth=replace(p.oauth, arguments=tuple(arguments))))
    return replace(found, parameters=tuple(params))


def _server_variable_names(data: dict[str, Any]) -> set[str]:
    """The argument names the document's server variables want (the document's, path items' and operations')."""
    owners: list[Any] = [data]
    paths = data.get("paths")
    for item in paths.values() if isinstance(paths, dict) else ():
        owners += [item, *(item.values() if isinstance(item, dict) else ())]
    return {naming.field_name(name) for owner in owners for node in openapi.servers(owner, ()) for name in openapi.server_variables(node.value)}


def _grant_url(scheme: dict[str, Any]) -> str:
    """The token URL of the flows the client carries out itself: client credentials, else a refresh token's."""
    flows = scheme.get("flows")
    if isinstance(flows, dict):  # OpenAPI 3
        for flow in ("clientCredentials", "authorizationCode", "password"):
            url = text(_mapping(flows.get(flow)).get("tokenUrl"))
            if url:
                return url
        return ""
    return text(scheme.get("tokenUrl")) if scheme.get("flow") in ("application", "accessCode", "password") else ""


def _required_scopes(data: dict[str, Any], scheme: str) -> tuple[str, ...]:
    """The scopes the document's security requirements ask of ``scheme``, in their order (its own and every operation's)."""
    found: dict[str, None] = {}
    requirements = [data.get("security")]
    paths = data.get("paths")
    for item in paths.values() if isinstance(paths, dict) else ():
        for op in item.values() if isinstance(item, dict) else ():
            if isinstance(op, dict):
                requirements.append(op.get("security"))
    for requirement in requirements:
        for alternative in requirement if isinstance(requirement, list) else ():
            scopes = alternative.get(scheme) if isinstance(alternative, dict) else None
            found.update(dict.fromkeys(str(s) for s in scopes if isinstance(s, str) and s) if isinstance(scopes, list) else {})
    return tuple(found)


def _setting(settings: dict[str, Any], *keys: str) -> str:
    """A ``customParameters`` value (``{"value": ...}``), by any of its spellings; "" for none or a placeholder."""
    custom = _mapping(settings.get("customParameters"))
    for key in keys:
        for spelled in (key, key[:1].upper() + key[1:]):
            value = _mapping(custom.get(spelled)).get("value")
            if isinstance(value, str) and value.strip() and not _placeholder(value):
                return value.strip()
    return ""


def _placeholder(value: str) -> bool:
    """A value the connector's author left to fill in ("[[Please add…]]", "<<resource>>", "{{ client id }}", "@connectionParameters(…)")."""
    return any(mark in value for mark in ("[[", "<<", "{{", "@", " ")) or (value.startswith("<") and value.endswith(">"))


def _identity_provider(settings: dict[str, Any], scopes: tuple[str, ...], problems: list[Diagnostic], doc: Document, where: tuple[str, ...]) -> OAuth | None:
    """How the client gets tokens of a Power Platform ``oAuthSettings``: the identity provider's token endpoint."""
    provider = text(settings.get("identityProvider")) or "oauth2"
    if provider == "aad":
        tenant = _setting(settings, "tenantId") or "common"
        resource = _setting(settings, "resourceUri").rstrip("/")
        return OAuth("aad", AAD_TOKEN_URL, (resource + "/.default",) if resource else scopes, tenant)
    if provider == "aadcertificate":
        problems.append(doc.warning(where, "identity provider 'aadcertificate' (certificate credentials) cannot be carried by the client: it takes an access token, or a callable returning one", "fetch tokens with a library such as msal and pass token=<callable>", code="auth"))
        return None
    if provider == "oauth2":
        return OAuth("oauth2", _setting(settings, "tokenUrl", "refreshUrl"), scopes)
    if provider == "oauth2generic":
        url = _setting(settings, "tokenUrlTemplate", "refreshUrlTemplate")
        if "{" in url:
            problems.append(doc.warning(where, f"the token URL template {url!r} has placeholders the client does not fill", "pass token_url= to the client", code="auth"))
            url = ""
        return OAuth("oauth2generic", url, scopes)
    problems.append(doc.warning(where, f"identity provider {provider!r} is not known to the client: its tokens are fetched from the URL the caller passes", "pass token_url= (or an access token) to the client", code="auth"))
    return OAuth(provider, "", scopes)
