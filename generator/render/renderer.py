"""Stage 4: render the model through Jinja2 templates into files (in memory).

``render(connector) -> {relative path: text}``, the same text for the same model.
Python output is in black's style: the templates write it, and ``pyformat`` runs
black (pinned, in-process) on what may differ, so goldens do not depend on any
tool installed on the machine.  Given what the reuse layer keeps (``Kept``: the
pipeline passes it), it reuses the parts of earlier renders that still apply: the
templates' ``{% memo %}`` parts (``memo``), Python statements (``pyformat.Kept``)
and converted parts of the exports (``export.Kept``).  Nothing here touches the
disk but template reads (and Jinja's compiled templates, in ``Kept.cache_folder``).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, Protocol

import jinja2

from .. import pyformat, text
from ..model import Connector, Kind, Operation, TypeRef
from . import export, jsontext, memo
from .jsontext import to_json
from .sources import RUNTIME, runtime_files, templates_dir
from .targets import FULL, Target, Targets


class Kept(Protocol):
    """What the reuse layer gives rendering (reuse.memory: the pipeline passes it; None: nothing kept)."""

    @property
    def cache_folder(self) -> Path | None:
        """Where compiled templates are kept (None: not kept)."""
        ...

    @property
    def fragments(self) -> memo.Parts | None: ...

    @property
    def formatted(self) -> pyformat.Kept | None: ...

    @property
    def exports(self) -> export.Kept | None: ...

    @property
    def texts(self) -> jsontext.Kept | None: ...


class RenderError(Exception):
    """A template failed: ``file`` and ``line`` say where (an override of the user's, or a bug of ours)."""

    def __init__(self, file: str, line: int, message: str) -> None:
        super().__init__(f"{file}:{line}: {message}")
        self.file, self.line, self.message = file, line, message


@functools.cache
def environment(overrides: Path | None = None, cache_folder: Path | None = None) -> jinja2.Environment:
    """The Jinja environment; files under ``overrides`` replace the built-in template of the same path;
    templates are compiled once into ``cache_folder`` (None: compiled in memory, each process)."""
    builtin = jinja2.FileSystemLoader(str(templates_dir()))
    loader: jinja2.BaseLoader = jinja2.ChoiceLoader([jinja2.FileSystemLoader(str(overrides)), builtin]) if overrides else builtin
    env = memo.Environment(
        loader=loader,
        extensions=[memo.Memo],
        bytecode_cache=_bytecode_cache(cache_folder),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    filters: dict[str, Callable[..., str | bool]] = {
        "py_str": text.py_str,
        "docstring": text.docstring,
        "comment": text.comment,
        "md_text": text.md_text,
        "md_cell": text.md_cell,
        "md_code": text.md_code,
        "md_cell_code": text.md_cell_code,
        "md_url": text.md_url,
        "toml_str": text.toml_str,
        "slug": text.slug,
        "py_literal": text.py_literal,
        "py_tuple": text.py_tuple,
        "py_dict": text.py_dict,
        "py_assign": text.py_assign,
        # Layout as black writes it (pyformat mirrors black where the layout depends on length).
        "py_element": pyformat.element,
        "py_parameter": pyformat.parameter,
        "py_field": pyformat.field,
        "py_if": pyformat.if_header,
        "py_class": pyformat.class_header,
        "py_result_head": pyformat.result_head,
        "py_returns": pyformat.returns,
        "py_fits": pyformat.fits,
        "py_lines_fit": pyformat.lines_fit,
        "py_arguments": arguments,
    }
    env.filters.update(filters)
    return env


def _bytecode_cache(root: Path | None) -> jinja2.BytecodeCache | None:
    """Compiled templates, kept in the cache folder ``root``.

    Jinja keys each on its template's source; the folder is keyed on what else decides the compiled
    code (this module, which sets the environment's options, memo.py, which keys the memo parts, its path,
    and the Jinja version), so another connectorsmith never reads templates compiled with other options.
    """
    if root is None:
        return None
    code = Path(__file__).read_text("utf-8") + Path(memo.__file__).read_text("utf-8")
    # The compiled code names the memo tag's class by its module's path too (a move alone changes it).
    salt = hashlib.sha256((jinja2.__version__ + memo.Memo.identifier + code).encode()).hexdigest()[:16]
    folder = root / "jinja" / salt
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return _Bytecode(str(folder))


class _Bytecode(jinja2.FileSystemBytecodeCache):
    """Jinja's cache of compiled templates in files, never trusted blindly: an entry that does not read back
    (truncated, corrupt) is dropped and the template compiled again; one that cannot be written (a full or
    read-only disk) is simply not kept."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # noqa: BLE001 - pickle and marshal raise many kinds on a damaged file
            bucket.reset()
            with contextlib.suppress(OSError):
                os.remove(os.path.join(self.directory, self.pattern % (bucket.key,)))

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


@dataclass(frozen=True)
class Template:
    """A template and the file it renders, of one target."""

    target: Target
    template: str
    path: str  # output path; "{name}" and "{package}" are filled in
    python: bool = False

    @property
    def static(self) -> bool:
        """The built-in is no template but a module of the run-time (``sources.RUNTIME``), written as it is:
        fixed Python text, already in black's style (tests/test_black_stable.py)."""
        return self.template in RUNTIME


@dataclass(frozen=True)
class Export:
    """A document the exports make of the connector, of one target (with the parts --watch kept, ``export.Kept``)."""

    target: Target
    path: str  # output path; "{name}" is filled in
    make: Callable[[Connector, export.Kept | None], Any]


#: Every file rendering makes, in the order it makes them: the templates', then the exports'.
OUTPUTS: tuple[Template | Export, ...] = (
    Template(Target.DOCS, "docs/connector.md.j2", "{name}/docs/{name}.md"),
    Template(Target.PYTHON, "python/pyproject.toml.j2", "{name}/python/pyproject.toml"),
    Template(Target.PYTHON, "python/README.md.j2", "{name}/python/README.md"),
    Template(Target.PYTHON, "python/py.typed.j2", "{name}/python/{package}/py.typed"),
    Template(Target.PYTHON, "python/__init__.py.j2", "{name}/python/{package}/__init__.py", python=True),
    Template(Target.PYTHON, "python/_serde.py.j2", "{name}/python/{package}/_serde.py", python=True),
    Template(Target.PYTHON, "python/models.py.j2", "{name}/python/{package}/models.py", python=True),
    Template(Target.PYTHON, "python/errors.py.j2", "{name}/python/{package}/errors.py", python=True),
    Template(Target.PYTHON, "python/_runtime.py.j2", "{name}/python/{package}/_runtime.py", python=True),
    Template(Target.PYTHON, "python/client.py.j2", "{name}/python/{package}/client.py", python=True),
    Export(Target.POWERPLATFORM, "{name}/powerplatform/apiDefinition.swagger.json", export.api_definition),
    Export(Target.POWERPLATFORM, "{name}/powerplatform/apiProperties.json", lambda connector, _: export.api_properties(connector)),
    Export(Target.OPENAPI, "{name}/openapi.json", export.openapi31),
    Template(Target.MCP, "mcp/pyproject.toml.j2", "{name}/mcp/pyproject.toml"),
    Template(Target.MCP, "mcp/README.md.j2", "{name}/mcp/README.md"),
    Template(Target.MCP, "mcp/py.typed.j2", "{name}/mcp/{mcp_package}/py.typed"),
    Template(Target.MCP, "mcp/__init__.py.j2", "{name}/mcp/{mcp_package}/__init__.py", python=True),
    Template(Target.MCP, "mcp/__main__.py.j2", "{name}/mcp/{mcp_package}/__main__.py", python=True),
    Template(Target.MCP, "mcp/_runtime.py.j2", "{name}/mcp/{mcp_package}/_runtime.py", python=True),
    Template(Target.MCP, "mcp/tools.py.j2", "{name}/mcp/{mcp_package}/tools.py", python=True),
    Template(Target.MCP, "mcp/server.py.j2", "{name}/mcp/{mcp_package}/server.py", python=True),
    Export(Target.MCP, "{name}/mcp/{mcp_package}/tools.json", export.mcp_tools),
)
TEMPLATES = tuple(output for output in OUTPUTS if isinstance(output, Template))

#: Which target each top-level entry of a connector's folder belongs to (python/, docs/, openapi.json...).
_OWNERS = {output.path.split("/")[1]: output.target for output in OUTPUTS}


def target_of(path: PurePosixPath) -> Target | None:
    """The target whose output ``path`` (``<name>/python/...``, relative to the output folder) is: its first
    part in the connector's folder names it, as OUTPUTS lays the outputs out."""
    return _OWNERS.get(path.parts[1]) if len(path.parts) > 1 else None


def render(connector: Connector, templates: Path | None = None, *, kept: Kept | None = None, targets: Targets = FULL) -> dict[PurePosixPath, str]:
    """Every output file of ``connector`` of ``targets`` (default: all but mcp), keyed by its path relative to the output folder.

    ``templates``: a folder whose files override the built-in templates of the same relative path.
    ``kept``: what the reuse layer keeps (compiled templates; under ``--watch``, what earlier renders in
    this process made), reused where it still applies and added to.
    Raises RenderError naming the template file and line when a template fails.
    """
    env = environment(templates.resolve() if templates else None, kept.cache_folder if kept else None)
    files_used = uses_files(connector)  # a walk of every parameter's type: once
    context = {
        "c": connector,
        "models_imports": models_imports(connector),
        "client_imports": client_imports(connector),
        "client_uses_models": client_uses_models(connector),
        "uses_files": files_used,
        "runtime_exports": sorted(["AsyncPollingTrigger", "PollingTrigger", "Response", "RetryPolicy", "Throttle", *(["File"] if files_used else []), *stream_exports(connector)]),
        "errors_imports": errors_imports(connector),
        "package_exports": sorted(
            [connector.async_client_class, connector.client_class, "AsyncPollingTrigger",
             "PollingTrigger", "DecodeError", "UNSET", "Unset", "Response", "RetryPolicy", "Throttle", "errors", "models", *(["File"] if files_used else []),
             *stream_exports(connector)],
            key=_export_order,
        ),
        "client_exports": sorted([connector.async_client_class, connector.client_class]),
        "models_exports": sorted(
            ["DecodeError", "UNSET", "Unset", *(e.python_name for e in connector.enums), *(m.python_name for m in connector.models), *(a.python_name for a in connector.aliases)],
            key=_export_order,
        ),
    }
    try:
        files = _render_outputs(connector, templates, kept, targets, env, context)
    finally:
        _ARGUMENTS.clear()
    return dict(sorted(files.items()))


def _render_outputs(
    connector: Connector, templates: Path | None, kept: Kept | None, targets: Targets, env: jinja2.Environment, context: dict[str, Any]
) -> dict[PurePosixPath, str]:
    files: dict[PurePosixPath, str] = {}
    for output in OUTPUTS:
        if output.target not in targets:
            continue
        path = PurePosixPath(output.path.format(name=connector.name, package=connector.package, mcp_package=connector.mcp.package if connector.mcp else ""))
        if isinstance(output, Export):
            files[path] = to_json(output.make(connector, kept.exports if kept else None), kept=kept.texts if kept else None)
            continue
        overridden = _overridden(templates, output.template)
        if output.static and not overridden:
            files[path] = runtime_text(output.template)
            continue
        with memo.remembering(env, kept.fragments if kept else None):
            rendered = _render_one(env, output.template, context)
        if output.python:  # formatting: black's style (a user's template is not known to write it: all through black)
            rendered = _formatted(env, output.template, rendered, path, whole=overridden, layouts=kept.formatted if kept else None)
        files[path] = rendered
    return files


#: The argument lines of operations' signatures (``arguments``), by the operation's identity and which
#: arguments, while a render runs.  client.py prints one operation's signature up to eight times (its
#: method in both clients, their overloads, the raw-response views), the same text each time, and
#: Kubernetes has ~1,100 operations of ~12 arguments: made once, not per print.  Each entry holds its
#: operation, so no other object can have that id while the entry is there; ``render`` empties it.
_ARGUMENTS: dict[tuple[int, str], tuple[Operation, str]] = {}


def arguments(op: Operation, which: str) -> str:
    """The keyword arguments of ``op``'s method in client.py, a line each (laid out by ``pyformat.parameter``,
    indented 8), each line ending with a newline: ``which`` is "python" (``python_parameters``), "model"
    (``model_parameters``: the body given whole) or "all" (``all_parameters``: the implementation's)."""
    if which == "all" and op.body_model is None:
        which = "python"  # the same arguments (``all_parameters``): one entry for both
    key = (id(op), which)
    kept = _ARGUMENTS.get(key)
    if kept is not None:
        return kept[1]
    params = op.python_parameters if which == "python" else op.model_parameters if which == "model" else op.all_parameters
    lines = "".join(pyformat.parameter(p.python_name, p.annotation_in("models."), p.argument_default, 8) + "\n" for p in params)
    _ARGUMENTS[key] = (op, lines)
    return lines


@functools.cache
def runtime_text(template: str) -> str:
    """The text of the run-time module that ``template`` (a path in ``sources.RUNTIME``) names, as it is."""
    return runtime_files()[template].read_text("utf-8")


def _overridden(templates: Path | None, template: str) -> bool:
    return templates is not None and (templates / template).is_file()


def _render_one(env: jinja2.Environment, name: str, context: dict[str, object]) -> str:
    try:
        return env.get_template(name).render(context)
    except jinja2.TemplateSyntaxError as exc:
        raise RenderError(exc.filename or name, exc.lineno, f"template syntax error: {exc.message}") from None
    except jinja2.TemplateError as exc:
        template = env.get_template(name)
        line = _template_line(exc, template.filename or "")
        raise RenderError(template.filename or name, line, f"template error: {exc}") from None


def _template_line(exc: BaseException, filename: str) -> int:
    """The line of ``filename`` where rendering failed (Jinja maps its frames back to template lines)."""
    line, tb = 1, exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == filename:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _formatted(env: jinja2.Environment, template: str, text: str, path: PurePosixPath, *, whole: bool, layouts: pyformat.Kept | None) -> str:
    """The rendered ``text`` of ``template`` in black's style; Python it is not is the template's error."""
    try:
        return format_python(text, str(path), whole=whole, layouts=layouts)
    except RuntimeError as exc:
        raise RenderError(env.get_template(template).filename or template, 1, str(exc).splitlines()[0]) from None


def format_python(source: str, where: str, *, whole: bool = False, layouts: pyformat.Kept | None = None) -> str:
    """``source`` in black's style (see pyformat; ``whole``: all of it through black); ``where`` names
    the file in the error a template bug causes (and its layout in ``layouts``)."""
    try:
        return pyformat.format_with_black(source) if whole else pyformat.format_python(source, layouts, where)
    except pyformat.FormatError as exc:  # a template bug: show what was rendered
        numbered = "\n".join(f"{i:5} {line}" for i, line in enumerate(source.replace(pyformat.UNSURE, "").splitlines(), 1))
        raise RuntimeError(f"rendered {where} is not valid Python: {exc}\n{numbered}") from exc


def _export_order(name: str) -> tuple[int, str]:
    """isort's order for __all__: CONSTANTS, then Classes, then modules and functions."""
    return (0 if name.isupper() else 1 if name[:1].isupper() else 2, name)


def _uses(type_ref: TypeRef, *kinds: Kind) -> bool:
    return any(t.kind in kinds for t in type_ref.walk())


def _operation_types(connector: Connector) -> list[TypeRef]:
    types: list[TypeRef] = []
    for op in connector.operations:
        types += [p.type for p in op.parameters]
        if op.body_model is not None:
            types.append(op.body_model.type)
        types += [r.type for r in op.responses if r.type is not None and (r is op.success or r.is_error)]
        if op.trigger is not None:
            types.append(op.trigger.item_type)
        if op.pager is not None:
            types.append(op.pager.item_type)
    return types


def uses_files(connector: Connector) -> bool:
    """Some operation takes a file field (an OpenAPI 3 form): client.py and the package name ``File``."""
    return any(_uses(p.type, Kind.FILE) for op in connector.operations for p in op.parameters)


def stream_exports(connector: Connector) -> list[str]:
    """The runtime's stream and download classes, which the package names when some operation returns one."""
    kinds = {op.stream for op in connector.operations}
    return (["AsyncDownload", "Download"] if "download" in kinds else []) + (["AsyncEventStream", "Event", "EventStream"] if "events" in kinds else [])


def errors_imports(connector: Connector) -> dict[str, Any]:
    """What errors.py imports for the annotation of an error's body (``ConnectorError.body``): a typing line,
    and the imports only type checkers make (models are imported on first use)."""
    annotation = connector.error_body_annotation
    checking = [line for line, used in (("import datetime", "datetime." in annotation), ("from . import models", "models." in annotation)) if used]
    names = ["TYPE_CHECKING"] * bool(checking) + ["Any"] * (annotation == "Any")
    return {"typing": f"from typing import {', '.join(names)}" if names else "", "checking": checking}


def client_uses_models(connector: Connector) -> bool:
    return any(_uses(t, Kind.MODEL, Kind.ENUM, Kind.ALIAS) for t in _operation_types(connector))


def client_imports(connector: Connector) -> tuple[tuple[str, ...], ...]:
    """The import lines client.py needs: standard library, local (httpx and models: see the template)."""
    overload = ", overload" if any(op.body_model for op in connector.actions) else ""
    files = uses_files(connector)
    literal = ", Literal" if connector.uses_literal else ""
    protocol = ", Protocol" if connector.actions else ""  # with_raw_response's type
    stdlib = {f"from typing import {'IO, ' if files else ''}TYPE_CHECKING, Any{literal}{protocol}, Self{overload}"}  # TYPE_CHECKING: httpx and models, see the template
    abc = ["Mapping"]
    if any(p.type.kind is Kind.ARRAY and p.type.item is not None and p.type.item.kind is Kind.FILE for op in connector.operations for p in op.parameters):
        abc.append("Sequence")  # an array of files (TypeRef.input_in)
    if connector.connection is not None:
        stdlib.add("import os")
        abc.append("Callable")
    if connector.oauth_parameters and "Sequence" not in abc:
        abc.append("Sequence")  # OAuth scopes
    if connector.has_pagers:
        abc += ["AsyncIterator", "Iterator"]
    abc.sort()
    stdlib.add(f"from collections.abc import {', '.join(abc)}")
    local = ["_runtime"]
    types = _operation_types(connector)
    if types:
        local.append("_serde")
    if any(_uses(t, Kind.DATETIME, Kind.DATE) for t in types):
        stdlib.add("import datetime")
    groups = (stdlib, {f"from . import {', '.join(local)}", *(["from ._runtime import File"] if files else [])})
    return tuple(tuple(sorted(group, key=lambda line: (line.startswith("from"), line))) for group in groups)


def models_imports(connector: Connector) -> tuple[tuple[str, ...], ...]:
    """The import lines models.py needs, as data: nothing unused; standard library, then local."""
    stdlib = {"import dataclasses"}
    types = [f.type for m in connector.models for f in m.fields] + [a.target for a in connector.aliases]
    literal = any(f.literal for m in connector.models for f in m.fields)
    decoders = any(m.fields for m in connector.models)  # each model with fields has _decode_json and to_dict
    typing = (["Any"] if decoders or any(_uses(t, Kind.ANY) for t in types) else []) + (["Literal"] if literal else []) + (["Self"] if decoders else []) + (["TypeAlias"] if connector.aliases else [])
    if typing:
        stdlib.add(f"from typing import {', '.join(typing)}")
    if any(_uses(t, Kind.DATETIME, Kind.DATE) for t in types):
        stdlib.add("import datetime")
    local = {"from . import _serde", "from ._serde import UNSET, DecodeError, Unset"}
    return tuple(tuple(sorted(group, key=lambda line: (line.startswith("from"), line))) for group in (stdlib, local))
