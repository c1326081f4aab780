"""The OAuth 2 side of the model: which credentials get token-fetching arguments, their names (checked against
every other constructor argument), the identity providers of Power Platform connections, located warnings."""

from __future__ import annotations

import ast
import json
import textwrap
from pathlib import Path
from typing import Any

import pytest
from connectorsmith.builder.security import AAD_TOKEN_URL
from connectorsmith.model import Connector
from connectorsmith.pipeline import generate

from .conftest import CASES, SHARED


def _generate(tmp_path: Path, spec: str) -> tuple[Connector, list[str]]:
    path = tmp_path / "api.yaml"
    path.write_text(textwrap.dedent(spec), "utf-8")
    result = generate(path)
    assert result.ok, [d.render() for d in result.diagnostics]
    assert result.connector is not None
    return result.connector, [d.render() for d in result.diagnostics]


def _arguments(connector: Connector) -> dict[str, list[str]]:
    return {p.python_name: [a.python_name for a in p.oauth.arguments] for p in connector.oauth_parameters if p.oauth}


_SPEC = """
openapi: 3.0.3
info: {{title: T, version: "1"}}
servers: [{{url: "https://{{client_id}}.example.invalid", variables: {{client_id: {{default: x}}}}}}]
paths:
  /a:
    get:
      operationId: getA
      security: [{{main: [a.read]}}]
      responses: {{"200": {{description: ok}}}}
components:
  securitySchemes:
{schemes}
"""


def test_client_credentials_and_code_flows_get_arguments_implicit_does_not(tmp_path: Path) -> None:
    schemes = """
    main: {type: oauth2, flows: {clientCredentials: {tokenUrl: "https://auth.example.invalid/t", scopes: {a.read: r, a.write: w}}}}
    code: {type: oauth2, flows: {authorizationCode: {authorizationUrl: /a, tokenUrl: /t2, scopes: {}}}}
    implicit: {type: oauth2, flows: {implicit: {authorizationUrl: /a, scopes: {}}}}
"""
    connector, warnings = _generate(tmp_path, _SPEC.format(schemes=textwrap.indent(schemes.strip("\n"), "  ")))
    arguments = _arguments(connector)
    assert set(arguments) == {"main", "code"}, "an implicit flow has no token URL: an access token only"
    # several OAuth credentials: each argument named after its credential
    assert arguments["main"][:2] == ["main_client_id", "main_client_secret"]
    assert "code_token_url" in arguments["code"] and "tenant" not in " ".join(arguments["code"])
    main = next(p for p in connector.oauth_parameters if p.python_name == "main")
    assert main.oauth is not None
    assert (main.oauth.token_url, main.oauth.scopes) == ("https://auth.example.invalid/t", ("a.read",)), "the scopes operations require"
    code = next(p for p in connector.oauth_parameters if p.python_name == "code")
    assert code.oauth is not None and code.oauth.scopes == ()
    assert [a.python_name for a in connector.server_arguments] == ["client_id"]
    assert not [w for w in warnings if "OAuth argument" in w]


def test_oauth_argument_names_yield_to_credentials_and_server_variables(tmp_path: Path) -> None:
    """The arguments came after credentials and server variables: those keep their names (no caller breaks)."""
    schemes = """
    main: {type: oauth2, flows: {clientCredentials: {tokenUrl: /t, scopes: {}}}}
    scopes: {type: apiKey, in: header, name: X-Scopes}
"""
    connector, warnings = _generate(tmp_path, _SPEC.format(schemes=textwrap.indent(schemes.strip("\n"), "  ")))
    arguments = _arguments(connector)["main"]
    assert arguments[:2] == ["client_id_", "client_secret"]
    assert "scopes_" in arguments and "scopes" not in arguments, "the API key credential keeps its name"
    assert [a.python_name for a in connector.server_arguments] == ["client_id"]
    assert any("OAuth argument 'scopes' of credential 'main' is 'scopes_'" in w and ":" in w.split(" ")[0] for w in warnings)
    assert any("OAuth argument 'client_id' of credential 'main' is 'client_id_'" in w for w in warnings)
    names = [p.python_name for p in connector.connection.parameters] if connector.connection else []
    everything = names + arguments + [a.python_name for a in connector.server_arguments]
    assert len(everything) == len(set(everything))


def test_hostile_token_url_stays_data(tmp_path: Path) -> None:
    schemes = '''
    main: {type: oauth2, flows: {clientCredentials: {tokenUrl: "https://a.invalid/t?x=\\"\\"\\"\\n)\\nimport os #", scopes: {"x\\"y": s}}}}
'''
    spec = _SPEC.format(schemes=textwrap.indent(schemes.strip("\n"), "  ")).replace("[a.read]", '["x\\"y"]')
    path = tmp_path / "api.yaml"
    path.write_text(textwrap.dedent(spec), "utf-8")
    result = generate(path)
    assert result.ok
    client = next(text for p, text in result.files.items() if p.name == "client.py")
    compile(client, "client.py", "exec")
    line = next(text for text in client.splitlines() if text.strip().startswith("token_url=") and "_runtime" not in text)
    literal = line.strip().removeprefix("token_url=").rstrip(",")
    assert ast.literal_eval(literal) == 'https://a.invalid/t?x="""\n)\nimport os #', "the literal is the document's text, as it is"


def _pp_connector(tmp_path: Path, settings: dict[str, Any]) -> tuple[Connector, list[str]]:
    folder = tmp_path / "pp"
    folder.mkdir()
    base = CASES / "ppdemo" / "ppdemo"
    (folder / "apiDefinition.swagger.json").write_text((base / "apiDefinition.swagger.json").read_text("utf-8"), "utf-8")
    props = {"properties": {"connectionParameters": {"token": {"type": "oauthSetting", "oAuthSettings": settings}}}}
    (folder / "apiProperties.json").write_text(json.dumps(props, indent=2), "utf-8")
    result = generate(folder)
    assert result.ok, [d.render() for d in result.diagnostics]
    assert result.connector is not None
    return result.connector, [d.render() for d in result.diagnostics]


@pytest.mark.parametrize(
    ("settings", "url", "scopes", "warning"),
    [
        ({"identityProvider": "aad", "customParameters": {"tenantId": {"value": "contoso"}, "resourceUri": {"value": "https://graph.microsoft.com/"}}}, AAD_TOKEN_URL, ("https://graph.microsoft.com/.default",), ""),
        ({"identityProvider": "aad", "scopes": ["User.Read"], "customParameters": {"resourceUri": {"value": "[[Please add]]"}}}, AAD_TOKEN_URL, ("User.Read",), ""),
        ({"identityProvider": "oauth2", "scopes": ["a"], "customParameters": {"tokenUrl": {"value": "https://id.example.invalid/token"}}}, "https://id.example.invalid/token", ("a",), ""),
        ({"identityProvider": "oauth2generic", "customParameters": {"tokenUrlTemplate": {"value": "https://id.example.invalid/t"}}}, "https://id.example.invalid/t", (), ""),
        ({"identityProvider": "oauth2generic", "customParameters": {"tokenUrlTemplate": {"value": "{Host}/token"}}}, "", (), "the token URL template '{Host}/token' has placeholders"),
        ({"identityProvider": "DocuSign", "scopes": ["all"]}, "", ("all",), "identity provider 'DocuSign' is not known to the client"),
    ],
    ids=["aad", "aad-placeholder-resource", "oauth2", "oauth2generic", "oauth2generic-template", "unknown"],
)
def test_powerplatform_identity_providers(tmp_path: Path, settings: dict[str, Any], url: str, scopes: tuple[str, ...], warning: str) -> None:
    connector, warnings = _pp_connector(tmp_path, settings)
    [token] = connector.oauth_parameters
    assert token.oauth is not None
    assert (token.oauth.token_url, token.oauth.scopes) == (url, scopes)
    if settings["identityProvider"] == "aad":
        assert token.oauth.argument("tenant") is not None
        assert token.oauth.tenant == ("contoso" if "tenantId" in settings["customParameters"] else "common")
    located = [w for w in warnings if warning and warning in w]
    assert bool(located) == bool(warning)
    assert all(w.startswith(str(tmp_path / "pp" / "apiProperties.json") + ":") for w in located)


def test_aadcertificate_is_a_located_warning_and_an_access_token_only(tmp_path: Path) -> None:
    connector, warnings = _pp_connector(tmp_path, {"identityProvider": "aadcertificate", "customParameters": {"resourceUri": {"value": "https://management.azure.com/"}}})
    assert connector.oauth_parameters == ()
    assert connector.connection is not None and connector.connection.parameters[0].python_name == "token"
    [warning] = [w for w in warnings if "identity provider 'aadcertificate'" in w]
    assert warning.startswith(str(tmp_path / "pp" / "apiProperties.json") + ":")
    assert "cannot be carried by the client" in warning


def test_certified_aad_connector_maps_to_azure_ad() -> None:
    folder = SHARED / "corpus" / "certified" / "Office 365 Users"
    if not folder.is_dir():
        pytest.skip("the certified corpus is not beside the project")
    result = generate(folder)
    assert result.connector is not None
    [token] = result.connector.oauth_parameters
    assert token.oauth is not None
    assert (token.oauth.provider, token.oauth.token_url, token.oauth.scopes, token.oauth.tenant) == ("aad", AAD_TOKEN_URL, ("https://graph.microsoft.com/.default",), "common")


def test_connection_parameters_renamed_for_the_constructor_are_located_warnings(tmp_path: Path) -> None:
    """A credential named like the client's own argument (headers, user_agent…) or like another credential
    gets another name: said, with where, never a quiet change of the constructor's surface."""
    schemes = """
    headers: {type: apiKey, in: header, name: X-A}
    user-agent: {type: apiKey, in: header, name: X-B}
    user_agent: {type: apiKey, in: query, name: c}
    plain: {type: apiKey, in: header, name: X-D}
"""
    connector, warnings = _generate(tmp_path, _SPEC.format(schemes=textwrap.indent(schemes.strip("\n"), "  ")))
    assert connector.connection is not None
    names = {p.name: p.python_name for p in connector.connection.parameters}
    assert names == {"headers": "headers_", "user-agent": "user_agent_", "user_agent": "user_agent_2", "plain": "plain"}
    renamed = [w for w in warnings if "is the constructor argument" in w]
    assert len(renamed) == 3, warnings
    assert all(w.startswith(str(tmp_path / "api.yaml") + ":") for w in renamed)
    assert any("connection parameter 'headers' is the constructor argument 'headers_': 'headers' is the client's own" in w for w in renamed)
    assert any("connection parameter 'user_agent' is the constructor argument 'user_agent_2': 'user_agent' is the client's own" in w for w in renamed)


def test_powerplatform_connection_parameter_renamed_is_located_in_api_properties(tmp_path: Path) -> None:
    folder = tmp_path / "pp"
    folder.mkdir()
    base = CASES / "ppdemo" / "ppdemo"
    (folder / "apiDefinition.swagger.json").write_text((base / "apiDefinition.swagger.json").read_text("utf-8"), "utf-8")
    props = {"properties": {"connectionParameters": {"http_client": {"type": "securestring", "uiDefinition": {"displayName": "Key"}}}}}
    (folder / "apiProperties.json").write_text(json.dumps(props, indent=2), "utf-8")
    result = generate(folder)
    assert result.ok and result.connector is not None and result.connector.connection is not None
    assert [p.python_name for p in result.connector.connection.parameters] == ["http_client_"]
    [warning] = [d.render() for d in result.diagnostics if "is the constructor argument" in d.message]
    assert warning.startswith(str(folder / "apiProperties.json") + ":")
