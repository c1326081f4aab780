"""The reference page follows the rules of Microsoft's connector pages (seen on published pages)."""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

from generator.pipeline import generate

from .conftest import CASES, ROOT

PAGE = (CASES / "ppdemo" / "ppdemo" / "docs" / "ppdemo.md").read_text("utf-8")


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
    assert "| Body | | [Item](#def-item) | The item that changed |" in returns  # x-ms-notification-content
    assert "Hook" not in returns  # not the registration's own answer


def test_dynamic_outputs_are_said_to_be_dynamic(tmp_path: Path) -> None:
    spec = tmp_path / "hooks.yaml"
    spec.write_text(
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
        "utf-8",
    )
    result = generate(spec)
    assert result.ok, [d.render() for d in result.diagnostics]
    page = result.files[PurePosixPath("hooks/docs/hooks.md")]
    assert "The outputs of this operation are dynamic." in _section(page, "Triggers")
