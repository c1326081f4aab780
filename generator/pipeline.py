"""The pure core: a spec in, output files and diagnostics out.

``generate`` runs load -> validate -> build -> render and never writes; the
CLI's ``generate`` writes its result, ``--check`` compares it with the disk,
and the tests use it directly.  It renders the outputs of the targets asked
for (targets.py), or of the input's default targets when none are.

A spec is a file (an authored connector spec, strict unless ``lenient``) or a
Power Platform connector folder (apiDefinition.swagger.json and
apiProperties.json, read leniently: real-world input whose repairable
problems are warnings).
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from .builder import naming
from .diagnostics import Diagnostic, Location, Pointer, Severity, SpecError, display_path
from .render import targets as outputs
from .render.targets import Target, Targets

if TYPE_CHECKING:
    from .document.loader import Document
    from .model import Connector
    from .reuse.memory import Cold, Memory

# The stages (loader, validate, build, render, export) are imported by generate() when a spec is
# generated: a run that finds every output current (see incremental.py) loads none of them.

SPEC_SUFFIXES = (".yaml", ".yml", ".json")
DEFINITION = "apidefinition.swagger.json"
PROPERTIES = "apiproperties.json"
class Result:
    """What generate() made of one spec: its files (in memory), its diagnostics and its model."""

    def __init__(
        self,
        spec: Path | str,
        name: str,
        files: dict[PurePosixPath, str] | None = None,
        diagnostics: list[Diagnostic] | None = None,
        connector: Connector | None = None,
    ) -> None:
        self.spec, self.name, self.connector = spec, name, connector
        self.files: dict[PurePosixPath, str] = files if files is not None else {}
        self.diagnostics: list[Diagnostic] = diagnostics if diagnostics is not None else []
        #: The outputs rendered into ``files`` (the ones asked for, else the input's default).
        self.targets: Targets = outputs.FULL
        #: The Python package's public API (surface.py), which the manifest keeps to tell breaking changes;
        #: None when no package was rendered.
        self.api: dict[str, str] | None = None
        #: Every file (absolute path) or URL the spec was read from, with the SHA-256 of its bytes.
        self.inputs: tuple[tuple[str, str], ...] = ()

    def __repr__(self) -> str:
        return f"Result({self.spec!r}, {self.name!r}, {len(self.files)} files, {len(self.diagnostics)} diagnostics)"

    @property
    def ok(self) -> bool:
        return not any(d.severity is Severity.ERROR for d in self.diagnostics)


def connector_name(spec: Path | str) -> str:
    """generated/<name>/: spec/hipchat.yaml -> hipchat; a connector folder "1Me Corporate" -> c1me_corporate;
    https://host/api/todo.yaml -> todo."""
    if isinstance(spec, str):
        from urllib.parse import unquote, urlsplit

        try:
            stem = PurePosixPath(unquote(urlsplit(spec).path)).stem or "connector"
        except ValueError:  # no URL (a broken IPv6 host): loading it says so
            stem = "connector"
        return re.sub(r"[^a-z0-9]+", "_", stem.lower()).strip("_")
    if spec.is_dir():
        name = re.sub(r"[^a-z0-9]+", "_", spec.name.lower()).strip("_") or "connector"
        name = "c" + name if name[0].isdigit() else name
        return name + "_connector" if naming.unimportable(name) else name  # a folder "Email" must not shadow the email module
    return spec.stem.lower().replace("-", "_").replace(".", "_").replace(" ", "_")


def find_file(folder: Path, lower_name: str) -> Path | None:
    """A file of ``folder`` by name, ignoring case (one certified connector spells it apidefinition…)."""
    return next((p for p in sorted(folder.iterdir()) if p.is_file() and p.name.lower() == lower_name), None)


def is_connector_folder(path: Path) -> bool:
    return path.is_dir() and find_file(path, DEFINITION) is not None


def generate(
    spec: Path | str,
    *,
    lenient: bool = False,
    package: str | None = None,
    templates: Path | None = None,
    memory: Memory | None = None,
    ref_root: Path | None = None,
    targets: Targets | None = None,
) -> Result:
    """Load, validate, build and render ``spec`` (a file, a connector folder, or an http(s) URL as a str);
    ``package`` names the Python package (default: from the spec's name), ``templates`` is a folder of
    template overrides; ``memory``: what earlier runs in this process kept (``--watch``, see
    reuse/memory.py), reused where it applies; ``ref_root``: the folder references to other files may reach (default: the spec's);
    ``targets``: the outputs to render (default: the input's, ``targets.default``)."""
    name = connector_name(spec)
    result = Result(spec, name)
    problem = naming.package_problem(name, package, spec.suffix if isinstance(spec, Path) else ".yaml")
    if problem is not None:
        message, hint = problem
        result.diagnostics.append(Diagnostic(Severity.ERROR, Location(display_path(spec), 1, 1), message, hint))
        return result
    from .reuse.memory import Cold

    # The one place the reuse layer meets the stages: each takes ``kept`` as the protocol it declares.
    kept = memory if memory is not None else Cold()
    try:
        doc, properties = _load(spec, lenient, ref_root)
        result.targets = targets if targets is not None else outputs.default(doc.data, connector_folder=isinstance(spec, Path) and spec.is_dir())
        result.inputs = doc.inputs
        result.diagnostics += doc.warnings + (properties.warnings if properties else ())
        problems = _validated(doc, kept, result)
        result.connector = _built(doc, name, properties, package, kept, problems, result)
    except SpecError as exc:
        result.diagnostics = list(dict.fromkeys(result.diagnostics + exc.diagnostics))
        return result
    except RecursionError:  # schemas that nest, through $refs, deeper than Python's stack (the loader bounds plain nesting)
        result.diagnostics.append(
            Diagnostic(Severity.ERROR, Location(display_path(spec), 1, 1), "the spec's schemas nest too deeply (through $ref chains) to be processed", "break the chain of nested schemas")
        )
        return result
    result.diagnostics = list(dict.fromkeys(result.diagnostics))  # one problem found twice is reported once
    _rendered(result.connector, templates, kept, result)
    return result


def _validated(doc: Document, kept: Cold, result: Result) -> list[Diagnostic]:
    """Stage: validation. Its warnings go to ``result``; its errors are raised (SpecError)."""
    from .document.validate import validate

    problems = [*doc.errors, *validate(doc, kept)]
    result.diagnostics += [p for p in problems if p.severity is Severity.WARNING]
    if any(p.severity is Severity.ERROR for p in problems):
        raise SpecError([p for p in problems if p.severity is Severity.ERROR])
    return problems


def _built(doc: Document, name: str, properties: Document | None, package: str | None, kept: Cold, problems: list[Diagnostic], result: Result) -> Connector:
    """Stage: the model. Its warnings go to ``result``, with what the Power Platform export cannot carry
    (when it is a target); a part of the document the model lost without a warning is an error."""
    from dataclasses import replace

    from .builder.build import build
    from .document.validate import left_out, read_as
    from .render import export

    connector, warnings = build(doc, name, properties, package, kept)
    unused, typed = left_out(problems, doc), read_as(problems, doc)
    if unused or typed:
        connector = replace(connector, left_out=unused, read_as=typed)
    result.diagnostics += warnings
    if Target.MCP in result.targets:
        from .builder.tools import mcp_server

        server, tool_warnings = mcp_server(connector, doc)
        connector = replace(connector, mcp=server)
        result.diagnostics += tool_warnings
    if Target.POWERPLATFORM in result.targets:  # what Swagger 2.0 cannot say matters only to its export
        result.diagnostics += [
            doc.warning(pointer, message, "the client and the OpenAPI 3.1 export carry it; Power Platform cannot", code="export-loss")
            for pointer, message in export.swagger2_losses(doc.data, kept.exports)
        ]
    losses = unreported_losses(doc, connector, result.diagnostics)
    if losses:
        raise SpecError(losses)
    return connector


def _rendered(connector: Connector, templates: Path | None, kept: Cold, result: Result) -> None:
    """Stage: rendering, into ``result.files``, and the Python package's public API into ``result.api``;
    a template that fails is an error naming its file and line."""
    from .output.surface import public_api
    from .render.renderer import RenderError, render

    try:
        result.files = render(connector, templates, kept=kept, targets=result.targets)
    except RenderError as exc:
        result.diagnostics.append(Diagnostic(Severity.ERROR, Location(display_path(Path(exc.file)), exc.line, 1), exc.message, "fix the template (an override in the templates folder, or report a bug)"))
        return
    if Target.PYTHON in result.targets:
        result.api = public_api(connector, kept.api)


def unreported_losses(doc: Document, connector: Connector, diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """A run that succeeds has made every operation of the document, with each of its parameters and
    its body: one that is missing from the model, with no warning at its place to say so, is an error
    (a bug in connectorsmith, never a hollow client that exits 0)."""
    from .document import openapi
    from .model import Location as Where

    # A diagnostic names the file and pointer that hold its place (another file's, in a split spec: bundle.py).
    warned_at = {(d.location.file, d.pointer) for d in diagnostics if d.severity is Severity.WARNING}

    def warned(pointer: Pointer) -> bool:
        holder, there = doc.origin(pointer)
        return (holder.display, there) in warned_at

    made = {op.spec_key: op for op in connector.operations}
    body_kinds = (Where.BODY, Where.WHOLE_BODY, Where.MODEL_BODY, Where.FORM)
    losses = []
    for op in openapi.iter_operations(doc.data):
        label = f"{op.method.upper()} {op.path}"
        model = made.get((op.path, op.method))
        if model is None:
            if not warned(op.pointer):
                losses.append(doc.error(op.pointer, f"{label} is missing from the generated client, and no warning says why", _BUG))
            continue
        have = {(p.wire_name, p.location.value) for p in model.parameters}
        declared = openapi.parameters(doc.data, op)
        for param in declared:
            where, name = param.value.get("in"), str(param.value.get("name"))
            if where in ("path", "query", "header", "formData") and (name, where) not in have and not warned(param.pointer):
                losses.append(doc.error(param.pointer, f"{where} parameter {name!r} of {label} is missing from the generated client, and no warning says why", _BUG))
        body = next((p.pointer for p in declared if p.value.get("in") == "body"), None)
        if body is None and "requestBody" in op.value:
            body = (*op.pointer, "requestBody")
        if body is not None and not warned(body) and model.body_model is None and not any(p.location in body_kinds for p in model.parameters):
            schema, _ = openapi.request_body(doc.data, op)
            resolved = openapi.resolve(doc.data, schema).value if schema is not None else None
            if not (isinstance(resolved, dict) and resolved.get("properties") == {}):  # an object of no properties: nothing to send
                losses.append(doc.error(body, f"the request body of {label} is missing from the generated client, and no warning says why", _BUG))
    return losses


_BUG = "report this to connectorsmith with the spec: the client would not call the operation as described"


def _load(spec: Path | str, lenient: bool, ref_root: Path | None = None) -> tuple[Document, Document | None]:
    import dataclasses

    from .document.bundle import load_spec
    from .document.loader import load

    if isinstance(spec, str) or not spec.is_dir():
        return load_spec(spec, lenient=lenient, root=ref_root), None
    definition = find_file(spec, DEFINITION)
    if definition is None:
        raise SpecError(
            [Diagnostic(Severity.ERROR, Location(display_path(spec), 1, 1), "no apiDefinition.swagger.json in this folder", "point at a Power Platform connector folder")]
        )
    doc = load_spec(definition, lenient=True, root=ref_root or spec)
    props_path = find_file(spec, PROPERTIES)
    properties = None
    if props_path is not None:
        try:
            properties = load(props_path, lenient=True)
        except SpecError as exc:  # the client can still be generated without it
            doc = dataclasses.replace(doc, warnings=(*doc.warnings, *(_as_warning(d) for d in exc.diagnostics)), lenient=True)
    return doc, properties


def _as_warning(diagnostic: Diagnostic) -> Diagnostic:
    return Diagnostic(Severity.WARNING, diagnostic.location, diagnostic.message + " (apiProperties.json ignored)", diagnostic.hint, diagnostic.pointer, "properties-ignored")


def discover(directory: Path) -> list[Path]:
    """The specs in ``directory``: root documents among its spec files (a file another spec refers to,
    without an ``openapi`` or ``swagger`` key, is a fragment, not a spec), and connector folders one
    level down."""
    found = [p for p in directory.iterdir() if p.is_file() and p.suffix.lower() in SPEC_SUFFIXES and is_root_document(p)]
    found += [p for p in directory.iterdir() if is_connector_folder(p)]
    return sorted(found)


_ROOT_KEY = re.compile(rb"""^\{?[ \t]*["']?(?:openapi|swagger)["']?[ \t]*:""", re.MULTILINE)


def is_root_document(path: Path) -> bool:
    """Whether a spec file is a whole document (has a top-level ``openapi`` or ``swagger`` key), not a fragment
    of one. A file that cannot be read or parsed counts as a document: generating it says what is wrong."""
    try:
        raw = path.read_bytes()
    except OSError:
        return True
    raw = raw.removeprefix(b"\xef\xbb\xbf")  # a BOM, which the loader forgives
    if path.suffix.lower() != ".json" and not raw.lstrip(b" \t\r\n").startswith(b"{"):
        return _ROOT_KEY.search(raw) is not None  # a top-level key of block YAML starts a line
    import json

    try:
        data = json.loads(raw)
    except ValueError:
        return _ROOT_KEY.search(raw) is not None or path.suffix.lower() == ".json"
    return not isinstance(data, dict) or "openapi" in data or "swagger" in data
