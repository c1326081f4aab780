"""Rendering's shortcuts, each held equal to the plain way it replaces (the goldens hold the output too)."""

from __future__ import annotations

from pathlib import Path

import pytest
from connectorsmith.builder.build import build
from connectorsmith.document.bundle import load_spec
from connectorsmith.model import Connector
from connectorsmith.render import renderer as render

from .conftest import ROOT, case_specs

#: client.py.j2's signature macro as it was: the arguments a line each, made in the template per print.
_MACRO = """{% for p in params %}
{{ p.python_name | py_parameter(p.annotation_in("models."), p.argument_default, 8) }}
{% endfor %}
"""


def _connectors() -> list[Connector]:
    specs = [ROOT / "spec" / "hipchat.yaml", *(spec for spec in case_specs() if spec.is_file())]
    found = []
    for spec in specs:
        try:
            connector, _ = build(load_spec(spec, lenient=True), spec.stem)
        except Exception:  # noqa: BLE001, S112 - a case made to fail is not one to compare on
            continue
        found.append(connector)
    return found


@pytest.fixture(scope="module")
def connectors() -> list[Connector]:
    return _connectors()


def test_arguments_are_the_lines_the_template_wrote(connectors: list[Connector]) -> None:
    macro = render.environment(None).from_string(_MACRO)
    compared = 0
    for connector in connectors:
        for op in connector.operations:
            for which in ("python", "model", "all") if op.body_model else ("python", "all"):
                params = {"python": op.python_parameters, "model": op.model_parameters if op.body_model else (), "all": op.all_parameters}[which]
                expected = macro.render(params=params)
                assert render.arguments(op, which) == expected, (op.python_name, which)
                assert render.arguments(op, which) == expected  # and again, from what is kept
                compared += 1
    assert compared > 100
    render._ARGUMENTS.clear()


def test_kept_arguments_last_one_render(tmp_path: Path) -> None:
    connector, _ = build(load_spec(ROOT / "spec" / "hipchat.yaml", lenient=True), "hipchat")
    render.render(connector)
    assert not render._ARGUMENTS  # a later render of changed operations never reads an earlier one's


#: client.py.j2's line of a parameter in an operation constant's ``params``, as the template wrote it.
_PARAM = (
    '_runtime.Param({{ p.python_name | py_str }}, {{ p.wire_name | py_str }}, {{ p.location.value | py_str }}, {{ p.required }}, {{ p.type.codec_in("models.") }}'
    "{% if p.double_encoded %}, double_encoded=True{% endif %}{% if p.sends_null %}, nullable=True{% endif %}{% if p.part %}{{ p.part.runtime_arguments }}{% endif %})"
)


def test_a_parameters_runtime_param_is_the_line_the_template_wrote(connectors: list[Connector]) -> None:
    line = render.environment(None).from_string(_PARAM)
    params = [p for connector in connectors for op in connector.operations for p in op.parameters]
    assert len(params) > 100 and any(p.part for p in params) and any(p.sends_null for p in params)
    for p in params:
        assert p.runtime_param == line.render(p=p), p
