"""Fuzzing of our own: generated specs, mutated real specs, and a hostile server for the generated client.

Bounded in the default profile (derandomized, a few dozen examples each); ``make fuzz`` runs the same targets
with the "fuzz" profile (thousands of examples, random seeds). A failure found there becomes a plain test in
tests/test_fuzz_regressions.py.
"""

from __future__ import annotations

import asyncio
import base64
import datetime
import gzip
import json
import logging
import math
import os
import random
import re
import shutil
import socket
import socketserver
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import urllib.parse
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from connectorsmith.diagnostics import Severity
from connectorsmith.pipeline import Result, generate
from hypothesis import given, note
from hypothesis import strategies as st

from .conftest import CASES, ROOT, SHARED, cases, import_generated
from .fuzzing import Oracle, Spec, Unbuildable, budget, byte_mutated, known, mutated, signature, specs, value_of

#: A long run may collect failures instead of stopping at them: CONNECTORSMITH_FUZZ_COLLECT=file.jsonl keeps, for
#: each distinct failure (its signature), the smallest input seen, and lets the run go on.
COLLECT = os.environ.get("CONNECTORSMITH_FUZZ_COLLECT")


@contextmanager
def _known_defects(stats: Counter[str], what: Callable[[], str] = lambda: "", mutations: bool = False) -> Iterator[None]:
    """A failure that is a known defect (see fuzzing.KNOWN) is counted, not raised; any other is raised
    (or, in a collecting run, written down)."""
    try:
        yield
    except Exception as exc:
        test = known(exc, mutations)
        if test is None and not COLLECT:
            raise
        stats[f"known: {test}"] += 1
        if COLLECT and test is None:
            _collect(exc, what())


def _collect(exc: BaseException, what: str) -> None:
    assert COLLECT
    path = Path(COLLECT)
    found = {}
    if path.exists():
        for line in path.read_text("utf-8").splitlines():
            entry = json.loads(line)
            found[tuple(entry["signature"])] = entry
    key = signature(exc)
    if key in found and len(found[key]["input"]) <= len(what):
        found[key]["count"] += 1
    else:
        frames = traceback.format_exception(exc)
        found[key] = {"signature": list(key), "error": str(exc)[:2000], "traceback": "".join(frames)[-4000:], "input": what, "count": found.get(key, {}).get("count", 0) + 1}
    path.write_text("".join(json.dumps(entry, ensure_ascii=False) + "\n" for entry in found.values()), "utf-8")

def _check_diagnostics(result: Result) -> None:
    """Every diagnostic is located (a file, a line >= 1); every error says what to do."""
    for d in result.diagnostics:
        if not (d.location.file and d.location.line >= 1 and d.location.column >= 1):
            raise Oracle("an unlocated diagnostic", d.render())
        if d.severity is Severity.ERROR and not d.hint:
            raise Oracle("an error without a hint", d.render())
    if result.ok and not result.files:
        raise Oracle("no error, yet no output", repr(result))
    if not result.ok and result.files:
        raise Oracle("an error, yet output", repr(result))


def _write(result: Result, folder: Path) -> Path:
    for path, text in result.files.items():
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, "utf-8")
    return folder / result.name / "python"


def _compile_all(result: Result) -> None:
    for path, text in result.files.items():
        try:
            if path.suffix == ".py":
                compile(text, str(path), "exec")
            elif path.suffix == ".json":
                json.loads(text)
        except (SyntaxError, ValueError) as exc:
            raise Oracle(f"generated {path.name} does not parse", str(exc)) from exc


@contextmanager
def _package(result: Result) -> Iterator[ModuleType]:
    assert result.connector is not None
    with tempfile.TemporaryDirectory(prefix="connectorsmith-fuzz-") as folder:
        package = result.connector.package
        try:
            yield import_generated(_write(result, Path(folder)), package)
        finally:
            for name in [n for n in sys.modules if n == package or n.startswith(package + ".")]:
                del sys.modules[name]


def _round_trips(spec: Spec, result: Result, module: ModuleType, rng: random.Random, stats: Counter[str]) -> None:
    """A sample of the named models: from_dict(x).to_dict() == x for values built from the schema."""
    assert result.connector is not None
    models = module.models
    by_wire = {m.wire_name: m.python_name for m in result.connector.models}
    for wire in sorted(spec.schemas)[:4]:
        name = by_wire.get(wire)
        if name is None or "properties" not in spec.schemas[wire]:  # a map's or an array's item model has its wire name
            continue
        try:
            value = value_of(spec, spec.schemas[wire], rng)
        except Unbuildable:
            continue
        if not isinstance(value, dict):
            continue
        model = next(m for m in result.connector.models if m.python_name == name)
        for declared in model.fields:  # a union member's discriminator property holds its value (a Literal)
            if declared.literal and declared.wire_name in value:
                value[declared.wire_name] = declared.literal[0]
        note(f"round trip of {name} ({wire!r}): {value!r}")
        again = getattr(models, name).from_dict(value).to_dict()
        if again != value:
            raise Oracle("a model does not round-trip", f"{name}: {value!r} -> {again!r}")
        stats["round-trips"] += 1


def _through_the_core(spec: Spec, lenient: bool, stats: Counter[str], rng: random.Random | None) -> None:
    with tempfile.TemporaryDirectory(prefix="connectorsmith-fuzz-") as folder:
        path = spec.write(Path(folder))
        result = generate(path, lenient=lenient)
    note("\n".join(d.render() for d in result.diagnostics))
    _check_diagnostics(result)
    stats["specs"] += 1
    if not result.ok:
        # The drawn specs are valid: the only error they may meet is two names that collide once made Python names.
        for d in result.diagnostics:
            if d.severity is Severity.ERROR and "would be Python" not in d.message:
                raise Oracle("a valid spec refused: " + re.sub(r"'[^']*'", "'…'", d.message)[:100], d.render())
        return
    stats["generated"] += 1
    _compile_all(result)
    with _package(result) as module:
        client = module.__dict__.get("__all__", [])
        assert client, "the package exports nothing"
        if rng is not None:
            _round_trips(spec, result, module, rng, stats)


def _enough(stats: Counter[str], share: float = 0.5) -> None:
    """The strategy must make mostly valid specs, or the generator is hardly exercised."""
    assert stats["specs"] > 0
    assert stats["generated"] >= share * stats["specs"], stats


@pytest.mark.parametrize("version", ["2.0", "3.0", "3.1"])
def test_generated_specs_generate_compile_import_and_round_trip(version: str) -> None:
    stats: Counter[str] = Counter()

    @budget(25)
    @given(spec=specs(versions=(version,)), seed=st.integers(0, 2**32 - 1))
    def run(spec: Spec, seed: int) -> None:
        note(json.dumps(spec.document, ensure_ascii=False, indent=1))
        with _known_defects(stats, lambda: json.dumps(spec.document, ensure_ascii=False) + f" seed={seed}"):
            _through_the_core(spec, False, stats, random.Random(seed))

    run()
    _enough(stats)
    assert stats["round-trips"] > 0, stats


def test_generated_specs_read_leniently() -> None:
    stats: Counter[str] = Counter()

    @budget(10)
    @given(spec=specs())
    def run(spec: Spec) -> None:
        note(json.dumps(spec.document, ensure_ascii=False, indent=1))
        with _known_defects(stats, lambda: "lenient " + json.dumps(spec.document, ensure_ascii=False)):
            _through_the_core(spec, True, stats, None)

    run()
    _enough(stats)


@pytest.mark.slow
def test_generated_specs_pass_mypy_strict() -> None:
    checked: list[str] = []

    @budget(2, at_length=20)
    @given(spec=specs())
    def run(spec: Spec) -> None:
        note(json.dumps(spec.document, ensure_ascii=False, indent=1))
        with tempfile.TemporaryDirectory(prefix="connectorsmith-fuzz-") as folder:
            result = generate(spec.write(Path(folder)))
            if not result.ok:
                return
            python = _write(result, Path(folder) / "out")
            assert result.connector is not None
            package = python / result.connector.package
            mypy = subprocess.run(
                [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", str(Path(folder) / "mypy"), "--python-version", "3.11", str(package)],
                cwd=ROOT, capture_output=True, text=True, check=False,
            )
            assert mypy.returncode == 0, mypy.stdout + mypy.stderr
            checked.append(package.name)

    run()
    assert checked, "no drawn spec generated"


# Mutations of real specs.


def _real_specs() -> list[Path]:
    return [ROOT / "spec" / "hipchat.yaml", *(case.input for case in cases() if case.kind == "tree" and case.input.is_file() and not case.split)]


CORPUS = SHARED / "corpus" / "certified"
CORPUS_SAMPLE = ["1Me Corporate", "ActiveCampaign", "Planner", "Office 365 Users", "tyntec-SMS"]


def _load(path: Path) -> Any:
    import yaml

    return json.loads(path.read_text("utf-8")) if path.suffix == ".json" else yaml.safe_load(path.read_text("utf-8"))


def _both_ways(path: Path, stats: Counter[str]) -> None:
    for lenient in (False, True):
        result = generate(path, lenient=lenient)
        note(f"lenient={lenient}: " + "\n".join(d.render() for d in result.diagnostics))
        _check_diagnostics(result)
        stats["ok" if result.ok else "diagnosed"] += 1


@pytest.mark.parametrize("source", _real_specs(), ids=lambda p: p.name)
def test_wrong_typed_real_specs_are_diagnosed(source: Path) -> None:
    data = _load(source)
    stats: Counter[str] = Counter()

    @budget(6)
    @given(edit=mutated(data), as_json=st.booleans())
    def run(edit: tuple[str, Any], as_json: bool) -> None:
        what, document = edit
        note(what)
        with tempfile.TemporaryDirectory(prefix="connectorsmith-fuzz-") as folder:
            spec = Spec("", document, as_json=as_json)
            with _known_defects(stats, lambda: f"{source.name}: {what}", mutations=True):
                _both_ways(spec.write(Path(folder), source.stem), stats)

    run()
    assert stats["ok"] + stats["diagnosed"] + sum(n for k, n in stats.items() if k.startswith("known")) > 0


@pytest.mark.parametrize("source", _real_specs()[:4], ids=lambda p: p.name)
def test_byte_mutated_real_specs_are_diagnosed(source: Path) -> None:
    raw = source.read_bytes()
    stats: Counter[str] = Counter()

    @budget(5)
    @given(edit=byte_mutated(raw))
    def run(edit: tuple[str, bytes]) -> None:
        what, text = edit
        note(what)
        with tempfile.TemporaryDirectory(prefix="connectorsmith-fuzz-") as folder:
            path = Path(folder) / source.name
            path.write_bytes(text)
            with _known_defects(stats, lambda: f"{source.name}: {what}", mutations=True):
                _both_ways(path, stats)

    run()
    assert stats["ok"] + stats["diagnosed"] + sum(n for k, n in stats.items() if k.startswith("known")) > 0


def _corpus_sample() -> list[str]:
    return CORPUS_SAMPLE if CORPUS.is_dir() else []


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the certified corpus (../shared/corpus/certified) is absent")
@pytest.mark.parametrize("connector", _corpus_sample() or ["absent"])
@pytest.mark.parametrize("how", ["types", "bytes"])
def test_mutated_connector_folders_are_diagnosed(connector: str, how: str) -> None:
    folder = CORPUS / connector
    if not folder.is_dir():
        pytest.skip(f"{connector} is not in the corpus")
    definition = next(p for p in folder.iterdir() if p.name.lower() == "apidefinition.swagger.json")
    raw = definition.read_bytes()
    strategy = mutated(json.loads(raw.decode("utf-8-sig"))) if how == "types" else byte_mutated(raw)
    stats: Counter[str] = Counter()

    @budget(3)
    @given(edit=strategy)
    def run(edit: tuple[str, Any]) -> None:
        what, changed = edit
        note(what)
        with tempfile.TemporaryDirectory(prefix="connectorsmith-fuzz-") as tmp:
            copy = Path(tmp) / connector
            shutil.copytree(folder, copy)
            target = copy / definition.name
            if isinstance(changed, bytes):
                target.write_bytes(changed)
            else:
                target.write_text(json.dumps(changed), "utf-8")
            with _known_defects(stats, lambda: f"{connector}: {what}", mutations=True):
                result = generate(copy)
                note("\n".join(d.render() for d in result.diagnostics))
                _check_diagnostics(result)
                stats["ok" if result.ok else "diagnosed"] += 1

    run()
    assert stats["ok"] + stats["diagnosed"] + sum(n for k, n in stats.items() if k.startswith("known")) > 0


# A hostile server for the generated client.

TOKEN = "tok3n-S3CRET-value"
USER, PASSWORD = "ada@example.invalid", "pa55-S3CRET-word"
KEY = "k3y-S3CRET-value"
SECRETS = [TOKEN, PASSWORD, KEY, base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()]
TIMEOUT = 0.3  # passed to the client: seconds for each HTTP request
RETRIES = 1
MAX_WAIT = 0.2  # the retry policy's longest Retry-After
BOUND = (RETRIES + 1) * (TIMEOUT + MAX_WAIT) + 1.0  # each call ends within this (slack for a loaded machine)
DRIP = 0.25  # seconds between the bytes of a slow body: each read is quicker than TIMEOUT, the whole is not
MAX_POLL_INTERVAL = 86400.0  # a trigger's poll interval taken from Retry-After, at most a day


@dataclass
class Behaviour:
    """What the hostile server answers to every request."""

    status: int
    body: str
    content_type: str
    headers: list[str] = field(default_factory=list)
    retry_after: str | None = None
    location: str | None = None
    next_link: str | None = None
    gzip: bool = False
    drip: int = 0  # chunks sent DRIP seconds apart


behaviours = st.builds(
    Behaviour,
    status=st.sampled_from([200, 200, 200, 201, 202, 204, 299, 301, 302, 303, 307, 308, 400, 401, 403, 404, 409, 422, 429, 500, 503, 599]),
    body=st.sampled_from(["right", "wrong-list", "wrong-string", "wrong-number", "null", "invalid", "nested", "empty", "echo", "non-utf8", "huge-string", "items"]),
    content_type=st.sampled_from(["application/json", "application/json; charset=utf-8", "text/plain", "", "application/problem+json", "text/html"]),
    headers=st.lists(st.sampled_from(["huge", "echo-auth", "echo-query", "many", "bad-length", "set-cookie"]), max_size=2, unique=True),
    retry_after=st.one_of(st.none(), st.sampled_from(["0", "1", "-5", "1e300", "999999999", "soon", "nan", "inf", "Wed, 21 Oct 2099 07:28:00 GMT", "0.1", ""])),
    location=st.one_of(st.none(), st.sampled_from(["other-origin", "same-origin", "relative", "malformed", "loop", "huge", "credentials-in-url"])),
    next_link=st.one_of(st.none(), st.sampled_from(["loop", "malformed-tab", "malformed-ipv6", "huge", "other-origin", "relative", "number", "same"])),
    gzip=st.booleans(),
    drip=st.sampled_from([0] * 9 + [10]),
)


class HostileServer:
    """127.0.0.1 only; answers every request as ``behaviour`` says, bounded in time and size."""

    def __init__(self) -> None:
        self.behaviour = Behaviour(200, "right", "application/json")
        self.requests: list[bytes] = []
        server = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                self.request.settimeout(5)
                try:
                    while True:
                        head = self._read_head()
                        if head is None:
                            return
                        server.requests.append(head)
                        self.request.sendall(b"")
                        server.answer(self.request, head)
                except OSError:
                    return

            def _read_head(self) -> bytes | None:
                data = b""
                while b"\r\n\r\n" not in data:
                    chunk = self.request.recv(65536)
                    if not chunk or len(data) > 1 << 20:
                        return None
                    data += chunk
                head, _, rest = data.partition(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n")[1:]:
                    name, _, value = line.partition(b":")
                    if name.strip().lower() == b"content-length":
                        length = int(value.strip() or 0)
                while len(rest) < length:
                    chunk = self.request.recv(65536)
                    if not chunk:
                        break
                    rest += chunk
                return head

        class Server(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True

        self.server = Server(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def answer(self, sock: socket.socket, head: bytes) -> None:
        b = self.behaviour
        lines = head.decode("latin-1").split("\r\n")
        target = lines[0].split(" ")[1] if len(lines[0].split(" ")) > 1 else "/"
        sent = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
        # What a careless server echoes: the credentials as sent, and percent-encoded (a letter or digit before the secret).
        authorization = sent.get("authorization", "")
        echoed = f"{authorization} {sent.get('cookie', '')} {target} {sent.get('x-api-key', '')} {urllib.parse.quote(authorization)} {urllib.parse.quote(target, safe='')}"
        body = self._body(b, target, echoed)
        headers = [f"HTTP/1.1 {b.status} Whatever"]
        if b.content_type:
            headers.append(f"Content-Type: {b.content_type}")
        if b.gzip and body:
            body = gzip.compress(body + b" " * (3 << 20) if b.body == "right" else body, compresslevel=1)
            headers.append("Content-Encoding: gzip")
        for kind in b.headers:
            if kind == "huge":
                headers.append("X-Huge: " + "h" * 70000)
            elif kind == "echo-auth":
                headers.append("X-Echo: " + sent.get("authorization", "none"))
            elif kind == "echo-query":
                headers.append("X-Echo-Target: " + target)
            elif kind == "many":
                headers += [f"X-Many-{i}: {i}" for i in range(200)]
            elif kind == "set-cookie":
                # The secret this request carried: a client cannot redact one it was never given.
                held = next((secret for secret in SECRETS if secret in echoed), "none")
                headers.append(f"Set-Cookie: session={held}; Path=/")
        if b.retry_after is not None:
            headers.append(f"Retry-After: {b.retry_after}")
        if b.location is not None:
            headers.append("Location: " + self._link(b.location, target))
        bad_length = "bad-length" in b.headers
        headers.append(f"Content-Length: {len(body) + (7 if bad_length else 0)}")
        sock.sendall(("\r\n".join(headers) + "\r\n\r\n").encode("latin-1", "replace"))
        if b.drip and body:
            step = max(1, len(body) // b.drip)
            for i in range(0, len(body), step):
                sock.sendall(body[i : i + step])
                time.sleep(DRIP)
        else:
            sock.sendall(body)
        if bad_length:
            sock.shutdown(socket.SHUT_WR)

    def _link(self, kind: str, target: str) -> str:
        return {
            "other-origin": "http://127.0.0.2:9/steal",
            "same-origin": self.url + "/v2/elsewhere",
            "relative": "elsewhere?x=1",
            "malformed": "http://[::1/x",
            "loop": self.url + target,
            "huge": self.url + "/" + "a" * 70000,
            "credentials-in-url": f"http://user:{TOKEN}@127.0.0.1:9/x",
            "malformed-tab": "http://127.0.\t0.1:9/x",
            "malformed-ipv6": "http://[fe80::1%zz/x",
            "number": "12",
            "same": target,
        }[kind]

    def _body(self, b: Behaviour, target: str, echoed: str) -> bytes:
        link: Any = None
        if b.next_link is not None:
            link = 12 if b.next_link == "number" else self._link(b.next_link if b.next_link != "loop" else "loop", target)
        item = {"id": "m1", "date": "2024-01-01T00:00:00+00:00", "message": "hi", "name": "n", "email": None}
        document: Any = {
            "right": {"id": 1, "name": "Ada", "items": [item], "value": [item], "links": {"next": link}, "@odata.nextLink": link},
            "items": {"items": [item, {**item, "id": "m2", "date": "2024-01-01T00:00:01+00:00"}], "value": [item], "links": {"next": link}},
            "wrong-list": [1, "x", None],
            "wrong-string": "a string",
            "wrong-number": 12.5,
            "null": None,
            "echo": {"error": {"message": f"bad credentials: {echoed}"}, "message": echoed},
            "huge-string": {"message": "x" * (1 << 20)},
        }.get(b.body)
        if b.body == "invalid":
            return b'{"id": 1, "name": '
        if b.body == "nested":
            return b"[" * 100000 + b"]" * 100000
        if b.body == "empty":
            return b""
        if b.body == "non-utf8":
            return b'{"message": "\xff\xfe"}'
        if b.body == "echo" and b.content_type == "text/plain":
            return f"denied for {echoed}".encode("utf-8", "replace")
        return json.dumps(document).encode()


@pytest.fixture(scope="module")
def hostile() -> Iterator[HostileServer]:
    server = HostileServer()
    try:
        yield server
    finally:
        server.close()


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.texts: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.texts.append(record.getMessage())


@contextmanager
def _logs() -> Iterator[_Records]:
    handler = _Records()
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


Call = Callable[[str], Any]


def _calls() -> dict[str, tuple[str, Callable[[ModuleType, str], Any]]]:
    """Operations to call: (fixture package, how to call it against a base URL)."""
    retry = {"max_retries": RETRIES, "backoff_base": 0.01, "backoff_cap": 0.05, "max_wait": MAX_WAIT}

    def hipchat(module: ModuleType, url: str) -> Any:
        return module.HipChatClient(token=TOKEN, base_url=url + "/v2", timeout=TIMEOUT, throttle=False, retry=module._runtime.RetryPolicy(**retry))

    def types20(module: ModuleType, url: str) -> Any:
        return module.TypesTwentyClient(key=KEY, login_username=USER, login_password=PASSWORD, base_url=url + "/v2", timeout=TIMEOUT, throttle=False, retry=module._runtime.RetryPolicy(**retry))

    def ppdemo(module: ModuleType, url: str) -> Any:
        return module.PPDemoClient(api_key=KEY, region="eu", base_url=url + "/v1", timeout=TIMEOUT, throttle=False, retry=module._runtime.RetryPolicy(**retry))

    def protocol_trigger(module: ModuleType, url: str) -> Any:
        with ppdemo(module, url) as client:
            trigger = client.on_new_items()
            trigger.poll()
            if not (math.isfinite(trigger.poll_interval) and 0 <= trigger.poll_interval <= MAX_POLL_INTERVAL):
                raise Oracle("a poll interval out of bounds", repr(trigger.poll_interval))
            return trigger.poll()

    def hipchat_async(module: ModuleType, url: str, call: Callable[[Any], Any]) -> Any:
        async def run() -> Any:
            client = module.AsyncHipChatClient(token=TOKEN, base_url=url + "/v2", timeout=TIMEOUT, throttle=False, retry=module._runtime.RetryPolicy(**retry))
            async with client:
                return await call(client)

        return asyncio.run(run())

    return {
        "hipchat.async get_user_by_id": ("hipchat", lambda m, u: hipchat_async(m, u, lambda c: c.get_user_by_id(userid="7"))),
        "hipchat.async post_message": ("hipchat", lambda m, u: hipchat_async(m, u, lambda c: c.post_message(room_id="1", message="hi"))),
        "hipchat.get_user_by_id": ("hipchat", lambda m, u: _with(hipchat(m, u), lambda c: c.get_user_by_id(userid="7"))),
        "hipchat.post_message": ("hipchat", lambda m, u: _with(hipchat(m, u), lambda c: c.post_message(room_id="1", message="hi"))),
        "hipchat.on_new_message": ("hipchat", lambda m, u: _with(hipchat(m, u), lambda c: [t.poll() for t in [c.on_new_message(room_id="1")] for _ in range(2)])),
        "hipchat.list_room_users": ("hipchat", lambda m, u: _with(hipchat(m, u), lambda c: c.list_room_users(room_id="1"))),
        "types20.x_policy (basic)": ("types20", lambda m, u: _with(types20(m, u), lambda c: c.x_policy(id=1, created=datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)))),
        "types20.x (query key)": ("types20", lambda m, u: _with(types20(m, u), lambda c: [t.poll() for t in [c.x()] for _ in range(2)])),
        "ppdemo.iter_list_items": ("ppdemo", lambda m, u: _with(ppdemo(m, u), lambda c: list(c.iter_list_items()))),
        "ppdemo.on_new_items": ("ppdemo", protocol_trigger),
    }


def _with(client: Any, call: Callable[[Any], Any]) -> Any:
    with client:
        return call(client)


CALLS = _calls()


def _package_of(name: str) -> ModuleType:
    if name == "hipchat":
        return import_generated(ROOT / "generated" / "hipchat" / "python", "hipchat")
    return import_generated(CASES / name / "expected" / name / "python", name)


def test_the_client_against_a_hostile_server(hostile: HostileServer) -> None:
    modules = {name: _package_of(name) for name in ("hipchat", "types20", "ppdemo")}
    outcomes: Counter[str] = Counter()

    @budget(40)
    @given(behaviour=behaviours, call=st.sampled_from(sorted(CALLS)))
    def run(behaviour: Behaviour, call: str) -> None:
        note(f"{call}: {behaviour}")
        package, how = CALLS[call]
        module = modules[package]
        hostile.behaviour = behaviour
        started = time.monotonic()
        with _known_defects(outcomes, lambda: f"{call}: {behaviour}"), _logs() as logs:
            try:
                how(module, hostile.url)
                outcomes["returned"] += 1
            except module.errors.ConnectorError as exc:
                outcomes[type(exc).__name__] += 1
                for link in _chain(exc):
                    for text in (str(link), repr(link), str(getattr(link, "url", "")), str(getattr(link, "message", ""))):
                        if any(secret in text for secret in SECRETS):
                            raise Oracle("a secret in an exception", f"{type(link).__name__}: {text[:300]!r}") from None
            finally:
                elapsed = time.monotonic() - started
            if elapsed > BOUND:
                raise Oracle("a call over its time bound", f"{elapsed:.1f} s (bound {BOUND} s)")
            for text in logs.texts:
                if any(secret in text for secret in SECRETS):
                    raise Oracle("a secret in a log record", repr(text[:300]))

    run()
    assert outcomes["returned"] > 0 and sum(outcomes.values()) > outcomes["returned"], outcomes
