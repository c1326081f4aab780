"""The MCP server's run-time: a connector's tools served over the Model Context Protocol.

Copied verbatim into every generated MCP server package (as ``_runtime.py``). The package's
``tools.py`` describes the tools (names, schemas, the client method each calls and how its arguments
decode); its ``server.py`` makes the generated client and calls ``main``. Every call goes through the
client: its credentials (from the environment), throttling, retries and errors are the client's.

A tool's arguments are JSON: each is decoded by the client's own codec (the models, enums and dates its
method takes) before the call, so a value that does not fit is a tool error naming it, never a crash;
the result is encoded back to JSON (the structured content, and its text). A trigger's tool polls with
an explicit cursor that the caller keeps: the server holds no state between calls.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import dataclasses
import json
import logging
import os
import sys
from collections.abc import AsyncIterator, Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

import anyio
from mcp import types
from mcp.server.lowlevel import Server
from mcp.server.stdio import stdio_server

_log = logging.getLogger(__name__)


class Codec(Protocol):
    """The client's codec of a type (its ``_serde`` module): JSON in, Python out, and back."""

    def decode(self, value: Any, path: str) -> Any: ...

    def encode(self, value: Any) -> Any: ...


@dataclasses.dataclass(frozen=True)
class Argument:
    """One argument of a tool: its JSON key (the client method's keyword) and the codec it decodes by."""

    name: str
    codec: Codec
    required: bool


@dataclasses.dataclass(frozen=True)
class Tool:
    """One tool: how a call reaches the client (what ``tools/list`` shows of it is in ``tools.json``).

    ``kind``: "action" (the method's result), "trigger" (a polling trigger: new items and the next
    cursor), "values" (a dynamic-values helper: the values a parameter may take) or "download" (the
    file the method downloads, as MCP content).
    ``result``: the codec of the result (an action's), of one item (a trigger's), or None.
    ``wrapped``: the structured content is ``{"result": value}`` (a result that is not an object).
    """

    name: str
    method: str
    kind: str
    arguments: tuple[Argument, ...]
    result: Codec | None
    wrapped: bool = False
    visibility: str = ""  # x-ms-visibility: "important", "advanced" or ""
    tags: tuple[str, ...] = ()


def listing(path: Path, tools: Sequence[Tool]) -> dict[str, types.Tool]:
    """The tools as ``tools/list`` shows them, by name, from ``tools.json`` (one entry for each of ``tools``)."""
    entries = json.loads(path.read_text("utf-8"))
    listed = {entry["name"]: types.Tool.model_validate(entry) for entry in entries}
    missing = [tool.name for tool in tools if tool.name not in listed]
    if missing:
        raise RuntimeError(f"{path.name} lists no {', '.join(missing)}: regenerate the server")
    return listed


class _Base64:
    """Bytes (a file's content) as a JSON argument carries them: base64 text."""

    def decode(self, value: Any, path: str) -> Any:
        if isinstance(value, str):
            try:
                return base64.b64decode(value, validate=True)
            except ValueError:
                pass
        raise ValueError(
            f"{path}: expected base64 text (a file's content), got {type(value).__name__}"
        )

    def encode(self, value: Any) -> Any:
        return base64.b64encode(bytes(value)).decode("ascii")


class _Base64List:
    """Files (a form's list of them) as a JSON argument carries them: a list of base64 texts."""

    def decode(self, value: Any, path: str) -> Any:
        if not isinstance(value, list):  # a ValueError, as the client's codecs raise (DecodeError)
            raise ValueError(  # noqa: TRY004
                f"{path}: expected a list of base64 texts, got {type(value).__name__}"
            )
        return [BASE64.decode(item, f"{path}[{index}]") for index, item in enumerate(value)]

    def encode(self, value: Any) -> Any:
        return [BASE64.encode(item) for item in value]


BASE64 = _Base64()
BASE64_LIST = _Base64List()


@dataclasses.dataclass(frozen=True)
class Selection:
    """Which tools a server exposes: by name, tag or visibility. ``include``/``tags`` empty: all;
    ``advanced``: also the tools the connector marks advanced (x-ms-visibility)."""

    include: frozenset[str] = frozenset()
    exclude: frozenset[str] = frozenset()
    tags: frozenset[str] = frozenset()
    advanced: bool = False

    def chosen(self, tools: Iterable[Tool]) -> tuple[Tool, ...]:
        tools = tuple(tools)
        known = {tool.name for tool in tools}
        unknown = sorted((self.include | self.exclude) - known)
        if unknown:
            raise ValueError(f"no tool named {', '.join(map(repr, unknown))} (see --list)")
        return tuple(
            tool
            for tool in tools
            if tool.name not in self.exclude
            and (tool.name in self.include or not self.include and self._default(tool))
        )

    def _default(self, tool: Tool) -> bool:
        if self.tags and not self.tags & set(tool.tags):
            return False
        return self.advanced or tool.visibility != "advanced"


class ToolError(Exception):
    """A call that failed: its message is what the caller sees (no secret, no traceback)."""


class Secrets:
    """Values never shown: those of the environment variables that hold credentials."""

    def __init__(self, names: Iterable[str]) -> None:
        self.values = sorted(
            {os.environ[name] for name in names if len(os.environ.get(name, "")) >= 4},
            key=len,
            reverse=True,
        )

    def redact(self, text: str) -> str:
        for value in self.values:
            text = text.replace(value, "***")
        return text


@dataclasses.dataclass(frozen=True)
class _File:
    """A downloaded file, as a tool's result: its bytes as MCP content, its media type and size."""

    data: bytes
    media_type: str

    @classmethod
    async def read(cls, download: Any, limit: int) -> _File:
        """The whole of ``download`` (the client's AsyncDownload); ToolError past ``limit`` bytes."""
        chunks: list[bytes] = []
        size = 0
        async for chunk in download.aiter_bytes():
            size += len(chunk)
            if size > limit:
                await download.aclose()
                raise ToolError(
                    f"the file is larger than {limit} bytes (--max-download): call it from code"
                )
            chunks.append(chunk)
        media = str(download.headers.get("content-type") or "application/octet-stream")
        return cls(b"".join(chunks), media.split(";")[0].strip() or "application/octet-stream")

    def result(self, tool: str) -> types.CallToolResult:
        encoded = base64.b64encode(self.data).decode("ascii")
        described = {"content_type": self.media_type, "size": len(self.data)}
        block: types.ContentBlock
        if self.media_type.startswith("image/"):
            block = types.ImageContent(type="image", data=encoded, mime_type=self.media_type)
        else:
            contents = types.BlobResourceContents(
                uri=f"download:{tool}", mime_type=self.media_type, blob=encoded
            )
            block = types.EmbeddedResource(type="resource", resource=contents)
        return types.CallToolResult(
            content=[block, types.TextContent(type="text", text=json.dumps(described))],
            structured_content=described,
        )


class Tools:
    """The tools a server exposes, calling ``client``."""

    def __init__(
        self,
        tools: Sequence[Tool],
        client: Any,
        secrets: Secrets,
        *,
        max_download: int,
        problem: str = "",
    ) -> None:
        self.tools = {tool.name: tool for tool in tools}
        self.client = client
        self.secrets = secrets
        # The client could not be made (a credential missing): every call says so.
        self.problem = problem
        self.max_download = max_download

    async def call(self, name: str, arguments: Mapping[str, Any] | None) -> types.CallToolResult:
        tool = self.tools.get(name)
        if tool is None:
            return _error(f"no tool named {name!r}")
        if self.client is None:
            return _error(self.secrets.redact(self.problem))
        try:
            value = await self._call(tool, dict(arguments or {}))
        except ToolError as exc:
            return _error(self.secrets.redact(str(exc)))
        except (ValueError, TypeError) as exc:  # the client refused an argument (a cursor, a value)
            return _error(self.secrets.redact(f"invalid arguments: {exc}"))
        # The client's errors, and any other failure, become tool errors.
        except Exception as exc:  # noqa: BLE001
            _log.debug("tool %s failed", name, exc_info=True)
            return _error(self.secrets.redact(f"{type(exc).__name__}: {exc}"))
        if isinstance(value, _File):
            return value.result(tool.name)
        structured = {"result": value} if tool.wrapped else value
        return types.CallToolResult(
            content=[
                types.TextContent(type="text", text=json.dumps(structured, ensure_ascii=False))
            ],
            structured_content=structured,
        )

    async def _call(self, tool: Tool, arguments: dict[str, Any]) -> Any:
        kwargs = _decoded(tool, arguments)
        method = getattr(self.client, tool.method)
        if tool.kind == "trigger":
            cursor = arguments.get("cursor")
            if cursor is not None and not isinstance(cursor, dict):
                raise ToolError(
                    "invalid arguments: cursor: expected the object an earlier call returned"
                )
            trigger = method(**kwargs, cursor=cursor)
            items = await trigger.poll()
            codec = tool.result
            return {
                "items": [codec.encode(item) if codec else item for item in items],
                "cursor": trigger.cursor,
            }
        result = await method(**kwargs)
        if tool.kind == "download":
            return await _File.read(result, self.max_download)
        if tool.kind == "values":
            return {"values": [{"value": v.value, "title": v.title} for v in result]}
        if tool.result is None or result is None:
            return None
        return tool.result.encode(result)


def _decoded(tool: Tool, arguments: dict[str, Any]) -> dict[str, Any]:
    """The client method's keyword arguments: each tool argument decoded by its codec."""
    names = {argument.name for argument in tool.arguments}
    unknown = sorted(set(arguments) - names - ({"cursor"} if tool.kind == "trigger" else set()))
    if unknown:
        raise ToolError(
            f"invalid arguments: unknown {', '.join(map(repr, unknown))} (known: {', '.join(sorted(names)) or 'none'})"
        )
    kwargs: dict[str, Any] = {}
    for argument in tool.arguments:
        if argument.name not in arguments:
            if argument.required:
                raise ToolError(f"invalid arguments: {argument.name!r} is required")
            continue
        value = arguments[argument.name]
        if value is None and not argument.required:
            continue  # null for an optional argument: not given
        try:
            kwargs[argument.name] = _decode(argument, value)
        except ValueError as exc:
            raise ToolError(f"invalid arguments: {exc}") from None
        except RecursionError:
            raise ToolError(f"invalid arguments: {argument.name} is nested too deeply") from None
    return kwargs


def _decode(argument: Argument, value: Any) -> Any:
    """``value`` decoded by the argument's codec; a whole float where an integer is expected is the
    integer (JSON Schema counts 30.0 as one), and a number where text is expected is taken as its text
    (agents, and the Inspector's command line, send an id of digits as a number)."""
    try:
        return argument.codec.decode(value, argument.name)
    except ValueError:
        if isinstance(value, float) and value.is_integer():  # JSON Schema's integer: 30.0 is one
            with contextlib.suppress(ValueError):
                return argument.codec.decode(int(value), argument.name)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            with contextlib.suppress(ValueError):
                return argument.codec.decode(str(value), argument.name)
        raise


def _error(message: str) -> types.CallToolResult:
    return types.CallToolResult(
        content=[types.TextContent(type="text", text=message)], is_error=True
    )


def settings(pairs: Iterable[tuple[str, str]], choice: str = "") -> dict[str, Any]:
    """The client's keyword arguments from the environment: each (argument, variable) whose variable is
    set; the ``choice`` argument (which server) is a number when it is digits (the server's index).
    """
    found: dict[str, Any] = {}
    for argument, variable in pairs:
        value = os.environ.get(variable)
        if value:
            found[argument] = int(value) if argument == choice and value.isdigit() else value
    return found


def _names(value: str | None) -> frozenset[str]:
    return frozenset(part.strip() for part in (value or "").split(",") if part.strip())


def _flag(value: str | None) -> bool:
    return (value or "").strip().lower() in ("1", "true", "yes", "on")


def _arguments(
    prog: str, env: str, base_url: str, description: str, max_download: int
) -> argparse.ArgumentParser:
    """The options; ``env``: the prefix of each option's environment variable (``<PREFIX>_MCP_``),
    ``base_url``: the base URL's; ``max_download``: the default of --max-download. A variable's value
    is checked as the option's would be."""
    parser = argparse.ArgumentParser(prog=prog, description=description)
    parser.add_argument(
        "--transport",
        type=str.lower,
        choices=_TRANSPORTS,
        default=os.environ.get(env + "TRANSPORT") or "stdio",
        help="stdio (default), or streamable HTTP",
    )
    parser.add_argument(
        "--host",
        default=os.environ.get(env + "HOST", "127.0.0.1"),
        help="HTTP: the address to bind (default 127.0.0.1, this machine only)",
    )
    parser.add_argument(
        "--port",
        type=int,
        default=os.environ.get(env + "PORT")
        or "8000",  # a text default is converted as an option is
        help="HTTP: the port (default 8000)",
    )
    parser.add_argument(
        "--base-url",
        default=os.environ.get(base_url) or None,
        help=f"the API's base URL (default ${base_url}, else the client's)",
    )
    parser.add_argument(
        "--include",
        default=os.environ.get(env + "INCLUDE"),
        help="only these tools (comma-separated names)",
    )
    parser.add_argument(
        "--exclude",
        default=os.environ.get(env + "EXCLUDE"),
        help="not these tools (comma-separated names)",
    )
    parser.add_argument(
        "--tags",
        default=os.environ.get(env + "TAGS"),
        help="only tools with one of these tags (comma-separated)",
    )
    parser.add_argument(
        "--advanced",
        action="store_true",
        default=_flag(os.environ.get(env + "ADVANCED")),
        help="also the tools the connector marks advanced",
    )
    parser.add_argument(
        "--max-download",
        type=int,
        default=os.environ.get(env + "MAX_DOWNLOAD") or str(max_download),
        help=f"the largest file a download's tool returns, in bytes (default {max_download})",
    )
    parser.add_argument(
        "--list", action="store_true", help="print the tools it would expose, and exit"
    )
    return parser


_TRANSPORTS = ("stdio", "http")


def main(
    *,
    name: str,
    version: str,
    title: str,
    instructions: str,
    options_prefix: str,
    base_url_variable: str,
    many_tools: int,
    max_download: int,
    tools: Sequence[Tool],
    listed: Path,
    client: Callable[[str | None], Any],
    secrets: Iterable[str],
    argv: Sequence[str] | None = None,
) -> int:
    """Run the server (``argv``: its options, see ``--help``); ``listed``: its tools.json; ``client(base_url)``
    makes the async client (``None``: the client's default URL)."""
    parser = _arguments(
        f"{name}-mcp",
        options_prefix,
        base_url_variable,
        f"MCP server for the {title} connector",
        max_download,
    )
    options = parser.parse_args(argv)
    options.transport = options.transport.lower()
    if options.transport not in _TRANSPORTS:  # argparse checks an option's choices, not a default's
        parser.error(f"{options_prefix}TRANSPORT: {options.transport!r} is not stdio or http")
    selection = Selection(
        _names(options.include), _names(options.exclude), _names(options.tags), options.advanced
    )
    try:
        chosen = selection.chosen(tools)
    except ValueError as exc:
        print(f"{name}-mcp: {exc}", file=sys.stderr)
        return 2
    shown = listing(listed, chosen)
    if options.list:
        for tool in chosen:
            print(f"{tool.name}\t{shown[tool.name].title or ''}")
        return 0
    if len(chosen) > many_tools:
        print(
            f"{name}-mcp: warning: {len(chosen)} tools exposed (more than {many_tools}): agents choose better "
            "among fewer; choose some with --include, --tags or --exclude",
            file=sys.stderr,
        )
    if options.transport == "http" and options.host not in _LOCAL:
        print(
            f"{name}-mcp: warning: serving on {options.host}, not only this machine: anyone who reaches it "
            "acts with your credentials",
            file=sys.stderr,
        )
    server = make_server(
        name,
        version,
        title,
        instructions,
        chosen,
        [shown[t.name] for t in chosen],
        lambda: client(options.base_url),
        Secrets(secrets),
        options.max_download,
    )
    if options.transport == "stdio":
        anyio.run(_stdio, server)
    else:
        _http(server, options.host, options.port)
    return 0


_LOCAL = ("127.0.0.1", "localhost", "::1")


def make_server(
    name: str,
    version: str,
    title: str,
    instructions: str,
    tools: Sequence[Tool],
    listed: Sequence[types.Tool],
    client: Callable[[], Any],
    secrets: Secrets,
    max_download: int,
) -> Server[Tools]:
    """The low-level server: ``tools/list`` shows ``listed``; ``tools/call`` calls ``tools`` through the
    client ``client()`` makes when the server starts (closed when it stops)."""

    @contextlib.asynccontextmanager
    async def lifespan(_: Server[Tools]) -> AsyncIterator[Tools]:
        try:
            made = client()
        # E.g. a credential missing: the server runs, and each call says so.
        except Exception as exc:  # noqa: BLE001
            problem = f"the client cannot be made: {type(exc).__name__}: {exc}"
            yield Tools(tools, None, secrets, max_download=max_download, problem=problem)
            return
        try:
            yield Tools(tools, made, secrets, max_download=max_download)
        finally:
            await made.aclose()

    async def list_tools(
        ctx: Any, params: types.PaginatedRequestParams | None
    ) -> types.ListToolsResult:
        return types.ListToolsResult(tools=list(listed))

    async def call_tool(ctx: Any, params: types.CallToolRequestParams) -> types.CallToolResult:
        served: Tools = ctx.lifespan_context
        return await served.call(params.name, params.arguments)

    return Server(
        name,
        version=version,
        title=title,
        instructions=instructions or None,
        lifespan=lifespan,
        on_list_tools=list_tools,
        on_call_tool=call_tool,
    )


async def _stdio(server: Server[Tools]) -> None:
    async with stdio_server() as (read, write):
        await server.run(read, write, server.create_initialization_options())


def _http(server: Server[Tools], host: str, port: int) -> None:
    import uvicorn

    app = server.streamable_http_app(host=host)
    uvicorn.run(app, host=host, port=port, log_level="warning")
