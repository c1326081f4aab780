"""A fixed slice of the certified corpus, in CI: generated, importable, every operation present, callable over HTTP.

`make corpus` runs all 619 connectors and writes the report; this slice covers the
constructs that matter (see SLICE) in a few seconds each.
"""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from connectorsmith.cli import corpus
from connectorsmith.model import Auth, Connector, Kind, Parameter, PolicyKind
from connectorsmith.pipeline import generate

from .conftest import SHARED, import_generated
from .schema_server import SchemaServer, sample

CERTIFIED = SHARED / "corpus" / "certified"
SLICE = {
    "MicrosoftGraphSecurity": "file named apidefinition.swagger.json, OAuth, x-ms-trigger, internal parameters",
    "HARNESS PDFx": "formData and file uploads, API key in the query",
    "tegolySIGN": "webhook triggers (x-ms-notification-url), file parameters",
    "D7SMS": "HTTP basic authentication",
    "Elfsquad Data": "x-ms-pageable",
    "Cireson Service Manager Portal": "not strict JSON (read leniently)",
    "EleadProductReference": "duplicate JSON keys",
    "Plumsail HelpDesk": "body properties named like path parameters",
    "Bloomflow": "properties that collide as Python names",
    "MongoDB": "a connection parameter named base_url",
    "Airmeet": "operations whose parameters are all internal",
    "IN-D Invoice Data Capture": "a missing comma in the JSON",
}

pytestmark = pytest.mark.skipif(not CERTIFIED.is_dir(), reason="needs ../shared/corpus")


def _written(name: str, tmp_path: Path) -> tuple[Connector, Path]:
    """Generate a corpus connector into ``tmp_path``; its model and the folder holding its Python package."""
    result = generate(CERTIFIED / name)
    assert result.ok and result.connector is not None, [d.render() for d in result.diagnostics]
    for rel, text in result.files.items():
        target = tmp_path / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, "utf-8")
    return result.connector, tmp_path / result.connector.name / "python"


def _package(name: str, tmp_path: Path) -> tuple[Any, Connector]:
    connector, python_dir = _written(name, tmp_path)
    return import_generated(python_dir, connector.package), connector


@pytest.mark.parametrize("name", sorted(SLICE), ids=str)
def test_connector_generates_completely(name: str) -> None:
    outcome = corpus.check(CERTIFIED / name)
    assert outcome.status == "generated", outcome.detail
    assert outcome.operations_out == outcome.operations_in > 0, outcome.detail


def _argument(parameter: Parameter, connector: Connector, models: Any) -> Any:
    value = sample(parameter.type, connector)
    if parameter.type.kind is Kind.MODEL:
        return getattr(models, parameter.type.name).from_dict(value)
    if parameter.type.kind is Kind.ENUM:
        return getattr(models, parameter.type.name)(value)
    if parameter.type.kind is Kind.BINARY:
        return b"\x00binary"
    return value


@pytest.mark.parametrize("name", ["HARNESS PDFx", "D7SMS", "Plumsail HelpDesk", "Elfsquad Data"], ids=str)
def test_every_action_is_callable_over_http(name: str, tmp_path: Path) -> None:
    package, connector = _package(name, tmp_path)
    base_path = urlsplit(connector.base_url).path
    credentials = {p.python_name: "secret-value" for p in (connector.connection.parameters if connector.connection else ())}
    with SchemaServer(connector, base_path) as server:
        cls = getattr(package, f"{connector.class_prefix}Client")
        with cls(**credentials, base_url=server.url + base_path, throttle=False) as client:
            for op in connector.actions:
                arguments = {p.python_name: _argument(p, connector, package.models) for p in op.python_parameters if p.required}
                value = getattr(client, op.python_name)(**arguments)
                expected = op.result_type
                if expected is not None and expected.kind is Kind.MODEL and value is not None:
                    assert type(value).__name__ == expected.name, op.operation_id
    assert len(server.seen) == len(connector.actions)
    assert all(s.path.startswith(base_path) for s in server.seen)
    for seen in server.seen:  # every request carries the credentials the way the security definitions say
        headers = {k.lower(): v for k, v in seen.headers.items()}
        for p in connector.connection.parameters if connector.connection else ():
            if p.auth is Auth.VALUE and p.header:
                assert headers[p.header.lower()] == "secret-value"
            elif p.auth is Auth.VALUE and p.query:
                assert f"{p.query}=secret-value" in seen.path
            elif p.auth in (Auth.BASIC_USER, Auth.BASIC_PASSWORD):
                assert headers["authorization"] == "Basic " + base64.b64encode(b"secret-value:secret-value").decode()
            elif p.auth is Auth.BEARER:
                assert headers["authorization"] == "Bearer secret-value"


@pytest.mark.slow
@pytest.mark.parametrize("name", ["MicrosoftGraphSecurity", "HARNESS PDFx", "tegolySIGN", "D7SMS"], ids=str)
def test_generated_corpus_clients_pass_mypy_strict(name: str, tmp_path: Path) -> None:
    import subprocess
    import sys

    connector, python_dir = _written(name, tmp_path)
    package = python_dir / connector.package
    run = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", str(tmp_path / ".mypy"), str(package)],
        capture_output=True, text=True, check=False,
    )
    assert run.returncode == 0, run.stdout[-3000:]




def test_dynamic_host_url_comes_from_connection_parameters(tmp_path: Path) -> None:
    package, connector = _package("ActiveCampaign", tmp_path)
    assert connector.host_template == (("text", "https://"), ("connection", "hostName"))
    with package.ActiveCampaignClient(api_key="k", host_name="acme.api-us1.com", throttle=False) as client:
        assert client.base_url == "https://acme.api-us1.com"


def test_request_policies_are_carried_out(tmp_path: Path) -> None:
    package, connector = _package("Almabase", tmp_path)
    op = next(o for o in connector.operations if o.operation_id == "ListForms")
    assert [(p.kind, p.name) for p in op.policies] == [(PolicyKind.QUERY, "skip_pagination")]
    credentials = {p.python_name: "secret-value" for p in connector.connection.parameters}
    base_path = urlsplit(connector.base_url).path
    with SchemaServer(connector, base_path) as server:
        client = package.AlmabaseClient(**credentials, base_url=server.url + base_path, throttle=False)
        client.list_forms()
        client.close()
    assert "skip_pagination=True" in server.seen[-1].path


def test_unreadable_connector_is_rejected_with_a_location_not_a_crash() -> None:
    outcome = corpus.check(CERTIFIED / "ZohoSign")  # its braces do not balance: no reading can repair that
    assert outcome.status == "rejected"
    assert outcome.detail.startswith(f"{CERTIFIED / 'ZohoSign' / 'apiDefinition.swagger.json'}:14:1: error: invalid JSON")


def test_report_counts_every_outcome() -> None:
    outcomes = [
        corpus.Outcome("A", "generated", 3, 3, 1, 0.5, any_fields=4, tools=45, default_tools=41),
        corpus.Outcome("C", "generated", 1, 1, 0, 0.1, tools=2, default_tools=2),
        corpus.Outcome("B", "rejected", detail="x.json:1:2: error: bad | pipe"),
    ]
    text = corpus.report(outcomes, 1.0)
    assert "3 connectors in 1 s: 2 generated, 1 rejected, 0 crashed. Operations: 4 in the inputs, 4 generated" in text
    assert "| B | rejected | 0 | 0 | 0 | 0 | 0 (0) | 0.00 | x.json:1:2: error: bad \\| pipe |" in text
    assert "| A | generated | 3 | 3 | 1 | 4 | 45 (41) | 0.50 |" in text
    assert "that are or hold Any: 4." in text
    assert "MCP servers: 2 listed their tools (47 tools; 2 to 45 a server); 1 expose more than 40 by default." in text
