"""The reference page follows the rules of Microsoft's connector pages (seen on published pages)."""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

import pytest
import yaml
from connectorsmith.builder.build import naming
from connectorsmith.builder.docsview import Schemas
from connectorsmith.builder.typemap import TypeMapper
from connectorsmith.document.loader import load
from connectorsmith.document.openapi import Node
from connectorsmith.pipeline import generate

from .conftest import CASES, ROOT, needs_shared

PAGE = (CASES / "ppdemo" / "expected" / "ppdemo" / "docs" / "ppdemo.md").read_text("utf-8")


def _section(page: str, heading: str) -> str:
    start = page.index(f"\n## {heading}\n")
    end = page.find("\n## ", start + 1)
    return page[start : end if end != -1 else None]


def test_internal_operations_and_parameters_are_left_out() -> None:
    actions = _section(PAGE, "Actions")
    assert "List folders" not in actions  # x-ms-visibility: internal
    assert "| api-version |" not in actions  # an internal parameter
    assert "| List folders (internal) | `client.list_folders()` |" in PAGE  # the client still has it


def test_optional_parameters_leave_required_empty_and_integers_show_their_type() -> None:
    rows = [line for line in _section(PAGE, "Actions").splitlines() if line.startswith("| Top |")]
    assert rows == ["| Top | top |  | integer |  |"]


def test_preview_operations_say_so_in_their_title() -> None:
    assert "### Download a file (Preview)" in PAGE
    assert "| [Download a file (Preview)](#op-downloadfile) |" in PAGE


def _words(text: str) -> str:
    """Text as a reader sees it: no Markdown markup, escapes, link targets or non-breaking spaces."""
    text = text.replace("&nbsp;", " ").replace("\xa0", " ").replace("\\", "").replace("<br>", " ")
    text = re.sub(r"\]\([^)]*\)", "", text)
    return " ".join(re.sub(r"[|`*#\[\]<>]", " ", text).split())


@needs_shared("reference", "hipchat-connector-reference.txt")
def test_hipchat_page_has_every_line_of_microsofts() -> None:
    page = _words((ROOT / "generated" / "hipchat" / "docs" / "hipchat.md").read_text("utf-8"))
    reference = (ROOT.parent / "shared" / "reference" / "hipchat-connector-reference.txt").read_text("utf-8")
    lines = [line for line in reference.splitlines() if line.strip()]
    missing = [line for line in lines if _words(line) not in page]
    assert len(lines) > 150 and missing == []


def test_a_single_value_body_keeps_its_summary_and_a_dynamic_body_is_one_row() -> None:
    actions = _section(PAGE, "Actions")
    assert "| Image content | body | True | binary | Image content |" in actions
    assert "| body | body | True | dynamic | The record's fields |" in actions
    assert "callbackUrl" not in _section(PAGE, "Triggers")  # a webhook's internal callback URL


def test_a_webhook_documents_what_its_callback_receives() -> None:
    triggers = _section(PAGE, "Triggers")
    webhook = triggers[triggers.index("### When an item changes (webhook)") :]
    returns = webhook[webhook.index("#### Returns") :].split("<a id=")[0]
    assert "- Body\n    - [Item](#def-item)\n" in returns  # x-ms-notification-content
    assert "Hook" not in returns  # not the registration's own answer
    assert "### Hook" not in PAGE  # a definition only the registration's answer reaches is not listed


def _operation(page: str, title: str) -> str:
    """The section of one operation, from its heading to the next anchor."""
    start = page.index(f"\n### {title}\n")
    end = page.find("<a id=", start)
    return page[start : end if end != -1 else None]


def _golden(name: str) -> str:
    """A certified connector's golden page (tests/cases/<name>/expected.md; tests/test_golden.py checks it is current)."""
    return (CASES / name / "expected.md").read_text("utf-8")


def test_an_object_body_is_opened_into_its_leaves() -> None:
    details = _operation(_golden("planner"), "Update task details")
    # Nested objects and arrays of objects: each leaf keyed by its own name, required when its object requires it.
    assert "| Resource link | resourceLink | True | uri | A valid URL based on the HTTP/HTTPS protocols. |" in details
    assert "| Is Checked | isChecked | True | boolean | Whether or not the item is checked. |" in details
    assert "| References |" not in details and "| Checklist |" not in details  # no row for the arrays themselves
    # An untyped property (an enum without "type") has an empty Type cell.
    assert "| Type of the reference | type |  |  | Used to describe the type of the reference. |" in details
    # Through a reference: AppliedCategories' leaves, not one row naming it.
    create = _operation(_golden("planner"), "Create a task")
    assert "| Pink | category1 |  | boolean | True if the task has the Pink category. |" in create
    assert "appliedCategories" not in create


def test_only_definitions_an_output_reaches_are_listed() -> None:
    definitions = _section(_golden("planner"), "Definitions")
    assert "### AppliedCategories" in definitions  # reached through GetTask_Response_V2
    assert "UpdateTaskDetails\\_Request" not in definitions  # only a request body uses it
    assert "ListGroups\\_Response" not in definitions  # only an internal action returns it
    assert "| Type of the reference | references.value.type |  | Used to describe the type of the reference. |" in definitions


def test_outputs_are_shown_as_microsoft_shows_them() -> None:
    users = _golden("office_365_users")
    trending = _operation(users, "Get my trending documents")
    assert "| value | value | array of GraphTrending | value |" in trending  # an inline object: its rows
    photo = _operation(users, "Update my profile photo")
    assert "#### Returns" not in photo  # no body, no section
    parameters = photo[photo.index("#### Parameters") : photo.index("#### Errors")]
    rows = [line for line in parameters.splitlines() if line.startswith("| ") and "---" not in line]
    # Parameters in spec order: the body parameter is declared before the header.
    assert rows[1:] == ["| Image content | body | True | binary | Image content |", "| Content-Type | Content-Type | True | string | Image content type (like 'image/jpeg') |"]
    planner = _operation(_golden("planner"), "Get a task")
    assert "- Body\n    - [GetTask\\_Response\\_V2](#def-gettask-response-v2)\n" in planner


def test_a_deprecated_operation_names_its_successor() -> None:
    page = _golden("tyntec_sms")
    old = _operation(page, "Send a custom SMS (deprecated) \\[DEPRECATED\\]")
    assert "This action has been deprecated. Please use [Send a custom SMS](#op-sendsmsv3) instead." in old
    assert "~~Send a custom SMS (deprecated)~~" in old
    actions = _section(page, "Actions")
    assert "| [Send a custom SMS (deprecated) \\[DEPRECATED\\]](#op-sendsms) | This action has been deprecated." in actions
    assert "### Send a custom SMS\n" in page  # the successor itself is not marked


def _page(folder: Path, name: str, source: str) -> str:
    """The reference page connectorsmith makes of the spec ``source``, written as ``folder/<name>.yaml``."""
    spec = folder / f"{name}.yaml"
    spec.write_text(source, "utf-8")
    result = generate(spec)
    assert result.ok, [d.render() for d in result.diagnostics]
    return result.files[PurePosixPath(f"{name}/docs/{name}.md")]


def test_dynamic_outputs_are_said_to_be_dynamic(tmp_path: Path) -> None:
    page = _page(
        tmp_path,
        "hooks",
        """swagger: "2.0"
info: {title: Hooks, version: "1.0"}
host: example.invalid
paths:
  /subscriptions:
    x-ms-notification-content:
      schema: {type: object, x-ms-dynamic-schema: {operationId: Schema, parameters: {}, value-path: schema}}
    post:
      operationId: OnRowAdded
      summary: When a row is added
      parameters:
        - name: body
          in: body
          required: true
          schema: {type: object, properties: {callback: {type: string, x-ms-notification-url: true, x-ms-visibility: internal}}}
      responses: {"201": {description: Registered}}
  /schema:
    get:
      operationId: Schema
      responses: {"200": {description: ok, schema: {type: object}}}
""",
    )
    assert "The outputs of this operation are dynamic." in _section(page, "Triggers")


def test_an_output_without_properties_is_an_object_not_an_empty_table(tmp_path: Path) -> None:
    page = _page(
        tmp_path,
        "empty",
        """swagger: "2.0"
info: {title: Empty, version: "1.0"}
host: example.invalid
paths:
  /ping:
    get:
      operationId: Ping
      summary: Ping
      responses: {"200": {description: ok, schema: {type: object, properties: {}}}}
""",
    )
    assert "#### Returns\n\n- response\n    - object\n" in page
    assert "### object\n\nThis is the type 'object'." in page


_PET = {"$ref": "#/components/schemas/Pet"}


@pytest.mark.parametrize(
    ("schema", "shown"),
    [
        ({"type": "integer", "format": "int64"}, "integer"),  # an integer's type, not its format
        ({"type": "string", "format": "date-time"}, "date-time"),  # a string's or number's format
        ({"type": "number", "format": "float"}, "float"),
        ({"type": "string"}, "string"),
        ({"enum": ["a", "b"]}, ""),  # a schema that names no type
        ({}, ""),
        ({"type": "array", "items": {"type": "string"}}, "array of string"),
        ({"type": "array"}, "array"),
        (_PET, "Pet"),  # a definition's name
        ({"type": "array", "items": _PET}, "array of Pet"),
        ({"oneOf": [_PET, {"type": "null"}]}, "Pet"),  # null members say nothing of the type
        ({"anyOf": [{"type": "integer"}, {"type": "string"}]}, "integer or string"),
        ({"type": ["string", "null"]}, "string"),
        ({"type": ["integer", "string"]}, "integer or string"),
        ({"allOf": [_PET]}, "Pet"),
        ({"type": "file"}, "binary"),  # Swagger 2.0's upload
        ({"properties": {"a": {"type": "string"}}}, "object"),
    ],
)
def test_the_type_cell_is_the_schemas_own(tmp_path: Path, schema: dict[str, object], shown: str) -> None:
    spec = tmp_path / "spec.yaml"
    document = {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {}}
    document["components"] = {"schemas": {"Pet": {"type": "object", "properties": {"name": {"type": "string"}}}}}
    spec.write_text(yaml.safe_dump(document), "utf-8")
    doc = load(spec)
    schemas = Schemas(doc.data, TypeMapper(doc, [], set(naming.RESERVED_CLASS_NAMES)))
    assert schemas.type(Node(schema, ("inline",))) == shown


def test_every_operation_says_its_request_every_enum_its_values_every_error_response_its_status(tmp_path: Path) -> None:
    """Beyond Microsoft's structure, for readers of a plain OpenAPI document: method and path, enum values,
    and every declared error response, with or without a body."""
    page = _page(
        tmp_path,
        "plain",
        """openapi: 3.0.3
info: {title: Plain, version: "1.0"}
servers: [{url: "https://example.invalid/v1"}]
paths:
  /tasks/{taskId}?view=full:
    get:
      operationId: GetTask
      summary: Get a task
      parameters: [{name: taskId, in: path, required: true, schema: {type: string}}]
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Task"}}}}
        "404": {description: No such task, content: {application/json: {schema: {$ref: "#/components/schemas/Problem"}}}}
        "5XX": {description: The service failed.}
components:
  schemas:
    Task: {type: object, properties: {state: {$ref: "#/components/schemas/State"}}}
    State: {type: string, description: Where a task is., enum: [open, "a `tick`", done]}
    Problem: {type: object, properties: {detail: {type: string}}}
""",
    )
    section = _operation(page, "Get a task")
    assert "\nRequest: `GET /tasks/{taskId}?view=full`\n" in section
    errors = section[section.index("#### Errors") :]
    assert "| 404 | Problem | No such task |" in errors, errors
    assert "| 5XX | none | The service failed. |" in errors
    assert "The error raised carries the body as `body`, decoded where the table names its type (else its text)." in errors
    state = page[page.index("\n### State\n") :]
    assert state.startswith("\n### State\n\nWhere a task is.\n\nValues: `open`, `` a `tick` ``, `done`\n")
