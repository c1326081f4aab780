"""Specs split across files and specs given by URL (generator/document/bundle.py): read whole, confined, located."""

from __future__ import annotations

import copy
import functools
import http.server
import json
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Self

import pytest
import yaml
from connectorsmith.cli.main import _watched, main
from connectorsmith.document import bundle
from connectorsmith.document.openapi import parse_ref
from connectorsmith.output.manifest import MANIFEST
from connectorsmith.pipeline import discover, generate
from connectorsmith.render.targets import FULL

from .conftest import CASES
from .recorder import Recorder, Seen
from .test_models import fixture_package

TASKS = CASES / "split_tasks" / "split_tasks.yaml"


# ----------------------------------------------------------------------------- the bundled document


def test_percent_encoded_pointers_resolve() -> None:
    assert parse_ref("#/paths/~1incidents~1%7Bincident_id%7D~1meeting/post/parameters/0") == ("paths", "/incidents/{incident_id}/meeting", "post", "parameters", "0")
    assert parse_ref("#/definitions/a%20b~0c") == ("definitions", "a b~c")


def test_every_part_of_a_split_spec_arrives() -> None:
    doc = bundle.load_spec(TASKS)
    paths = doc.data["paths"]
    assert set(paths) == {"/tasks", "/tasks/{task_id}", "/tasks/{task_id}/attachments", "/v2/tasks/{task_id}"}
    assert set(paths["/tasks"]) == {"get", "post"}  # a path item file, copied in
    assert paths["/tasks/{task_id}"]["parameters"][0]["name"] == "task_id"  # a parameter of a file the path item file refers to
    schemas = doc.data["components"]["schemas"]
    # the root's own, each file's schema once, a name taken twice qualified by its folder or file
    assert list(schemas) == ["Error", "User", "Task", "TaskCreate", "Attachment", "v2_Task", "Status", "enums_Error", "Link", "File"]
    assert schemas["User"]["properties"]["current_task"] == {"$ref": "#/components/schemas/Task"}  # a cycle across files
    assert schemas["Attachment"]["discriminator"]["mapping"] == {"link": "#/components/schemas/Link", "file": "#/components/schemas/File"}
    refs = [ref for ref in _refs(doc.data)]
    assert refs and all(ref.startswith("#/") for ref in refs), "every reference is local"
    # each file read once, the root first, with the digest of its bytes
    assert doc.inputs[0][0] == os.path.abspath(TASKS)
    assert len({location for location, _ in doc.inputs}) == len(doc.inputs) == 11


def _refs(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "$ref" and isinstance(item, str):
                yield item
            elif key not in ("example", "default", "enum"):
                yield from _refs(item)
    elif isinstance(value, list):
        for item in value:
            yield from _refs(item)


def test_diagnostics_name_the_file_that_holds_the_problem() -> None:
    result = generate(TASKS, targets=FULL)  # the powerplatform target, whose losses are warned
    (renamed,) = [d for d in result.diagnostics if "is named 'v2_Task'" in d.message]
    assert renamed.location.file.endswith("split_tasks/schemas/v2/Task.yaml") and renamed.location.line == 1
    (one_of,) = [d for d in result.diagnostics if "cannot express oneOf" in d.message]
    assert one_of.location.file.endswith("schemas/attachments.yaml")
    assert (one_of.location.line, one_of.pointer) == (3, ("Attachment", "oneOf"))


def _split_by_hand(spec: dict[str, Any], folder: Path) -> Path:
    """``spec`` written as a root document, a file per schema (schemas/<Name>.yaml) and a file per path item
    (paths/<n>.json), every reference to a schema rewritten to name its file."""
    swagger = "swagger" in spec
    base = "#/definitions/" if swagger else "#/components/schemas/"
    schemas = spec["definitions"] if swagger else spec["components"]["schemas"]
    (folder / "schemas").mkdir(parents=True)
    (folder / "paths").mkdir()

    def to_file(ref: str, prefix: str) -> str:
        name, _, rest = ref.removeprefix(base).partition("/")
        return f"{prefix}{name}.yaml" + (f"#/{rest}" if rest else "")

    def rewrite(value: Any, prefix: str, mapping: bool = False) -> Any:
        if isinstance(value, dict):
            return {
                k: to_file(v, prefix) if (k == "$ref" or mapping) and isinstance(v, str) and v.startswith(base) else rewrite(v, prefix, k == "mapping")
                for k, v in value.items()
            }
        if isinstance(value, list):
            return [rewrite(v, prefix) for v in value]
        return value

    root = copy.deepcopy(spec)
    for name, schema in schemas.items():
        (folder / "schemas" / f"{name}.yaml").write_text(yaml.safe_dump(rewrite(schema, "./"), sort_keys=False), "utf-8")
        (root["definitions"] if swagger else root["components"]["schemas"])[name] = {"$ref": f"schemas/{name}.yaml"}
    for index, (path, item) in enumerate(spec["paths"].items()):
        (folder / "paths" / f"{index}.json").write_text(json.dumps(rewrite(item, "../schemas/")), "utf-8")
        root["paths"][path] = {"$ref": f"paths/{index}.json"}
    (folder / "spec.yaml").write_text(yaml.safe_dump(root, sort_keys=False), "utf-8")
    return folder / "spec.yaml"


@pytest.mark.parametrize("case", ["openapi3", "types30", "types31", "types20", "shapes"])
def test_a_spec_split_into_files_generates_what_the_whole_one_does(case: str, tmp_path: Path) -> None:
    spec = yaml.safe_load((CASES / case / f"{case}.yaml").read_text("utf-8"))
    split = _split_by_hand(spec, tmp_path / "split")
    (tmp_path / "whole").mkdir()
    (tmp_path / "whole" / "spec.yaml").write_text(yaml.safe_dump(spec, sort_keys=False), "utf-8")
    whole, parts = generate(tmp_path / "whole" / "spec.yaml"), generate(split)
    assert whole.ok and parts.ok, [d.render() for d in parts.diagnostics]
    assert whole.files == parts.files
    assert [d.message for d in whole.diagnostics] == [d.message for d in parts.diagnostics]


def test_a_reference_through_a_symbolic_link_out_of_the_folder_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.yaml").write_text("type: string\n", "utf-8")
    api = tmp_path / "api"
    api.mkdir()
    (api / "link").symlink_to(outside)
    (api / "spec.yaml").write_text(_SPEC_WITH_SCHEMA_REF.format(ref="link/secret.yaml"), "utf-8")
    result = generate(api / "spec.yaml")
    assert not result.ok and not result.files
    (error,) = [d for d in result.diagnostics if d.severity.value == "error"]
    assert "symbolic link that leads outside" in error.message
    assert error.location.file.endswith("spec.yaml") and error.location.line == 13


_SPEC_WITH_SCHEMA_REF = """openapi: 3.0.3
info: {{title: T, version: "1"}}
paths:
  /x:
    get:
      operationId: getX
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                $ref: "{ref}"
"""


def test_ref_root_widens_what_references_may_reach(tmp_path: Path) -> None:
    (tmp_path / "common").mkdir()
    (tmp_path / "common" / "x.yaml").write_text("type: object\nproperties: {a: {type: string}}\n", "utf-8")
    (tmp_path / "api").mkdir()
    spec = tmp_path / "api" / "spec.yaml"
    spec.write_text(_SPEC_WITH_SCHEMA_REF.format(ref="../common/x.yaml"), "utf-8")
    refused = generate(spec)
    assert not refused.ok and "leads outside the spec's folder" in refused.diagnostics[0].message
    allowed = generate(spec, ref_root=tmp_path)
    assert allowed.ok and "class X(" in allowed.files[next(p for p in allowed.files if p.name == "models.py")]


def test_copies_are_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bundle, "MAX_COPIED", 50)
    (tmp_path / "params.yaml").write_text(yaml.safe_dump({f"P{i}": {"name": f"p{i}", "in": "query", "schema": {"type": "string"}} for i in range(20)}), "utf-8")
    spec = yaml.safe_load(_SPEC_WITH_SCHEMA_REF.format(ref="#/components/schemas/X"))
    spec["components"] = {"schemas": {"X": {"type": "string"}}}
    spec["paths"]["/x"]["get"]["parameters"] = [{"$ref": f"params.yaml#/P{i}"} for i in range(20)]
    (tmp_path / "spec.yaml").write_text(yaml.safe_dump(spec), "utf-8")
    result = generate(tmp_path / "spec.yaml")
    assert not result.ok and any("add over 50 values" in d.message for d in result.diagnostics)


def test_a_folder_of_specs_generates_only_root_documents(tmp_path: Path) -> None:
    (tmp_path / "api.yaml").write_text(_SPEC_WITH_SCHEMA_REF.format(ref="task.yaml"), "utf-8")
    (tmp_path / "task.yaml").write_text("type: object\nproperties: {id: {type: string}}\n", "utf-8")
    (tmp_path / "other.json").write_text(json.dumps({"swagger": "2.0", "info": {"title": "O", "version": "1"}, "paths": {}}), "utf-8")
    (tmp_path / "fragment.json").write_text(json.dumps({"Task": {"type": "object"}}), "utf-8")
    (tmp_path / "flow.yaml").write_text('{"openapi": "3.1.0", "info": {"title": "F", "version": "1"}}\n', "utf-8")
    assert [p.name for p in discover(tmp_path)] == ["api.yaml", "flow.yaml", "other.json"]


# ----------------------------------------------------------------------------- the command line


def test_a_changed_fragment_is_generated_again_and_watched(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    api = tmp_path / "api"
    api.mkdir()
    (api / "spec.yaml").write_text(_SPEC_WITH_SCHEMA_REF.format(ref="schemas/x.yaml"), "utf-8")
    (api / "schemas").mkdir()
    fragment = api / "schemas" / "x.yaml"
    fragment.write_text("type: object\nproperties: {a: {type: string}}\n", "utf-8")
    out = tmp_path / "out"
    assert main(["generate", str(api / "spec.yaml"), "--out", str(out)]) == 0
    assert main(["generate", str(api / "spec.yaml"), "--out", str(out)]) == 0
    assert "0 files changed" in capsys.readouterr().out
    fragment.write_text("type: object\nproperties: {a: {type: string}, b: {type: integer}}\n", "utf-8")
    assert main(["generate", str(api / "spec.yaml"), "--out", str(out)]) == 0
    assert "b: int | None" in (out / "spec" / "python" / "spec" / "models.py").read_text("utf-8")
    # --watch polls the files the last pass read, beside the specs themselves
    import argparse

    args = argparse.Namespace(specs=[api / "spec.yaml"], templates=None, inputs=[fragment])
    assert str(fragment) in _watched(args)


class _Server:
    """A local HTTP server for a folder, with answers that can be replaced by path."""

    def __init__(self, folder: Path) -> None:
        self.overrides: dict[str, tuple[int, dict[str, str], bytes]] = {}
        server = self

        class Handler(http.server.SimpleHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                if self.path in server.overrides:
                    status, headers, body = server.overrides[self.path]
                    self.send_response(status)
                    for key, value in headers.items():
                        self.send_header(key, value)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                    return
                super().do_GET()

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(folder)))
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def __enter__(self) -> Self:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def test_a_spec_by_url_generates_what_the_files_do(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with _Server(CASES) as server:
        url = f"{server.url}/split_tasks/split_tasks.yaml"
        by_url, by_file = generate(url), generate(TASKS)
        assert by_url.ok, [d.render() for d in by_url.diagnostics]
        assert by_url.name == "split_tasks" and by_url.files == by_file.files
        assert [(d.location[1:], d.pointer) for d in by_url.diagnostics] == [(d.location[1:], d.pointer) for d in by_file.diagnostics]
        assert [d.location.file for d in by_url.diagnostics if "v2_Task" in d.message] == [f"{server.url}/split_tasks/schemas/v2/Task.yaml"]
        # the manifest records what was fetched; a later run says when it changed
        out = tmp_path / "out"
        assert main(["generate", url, "--out", str(out)]) == 0
        sources = json.loads((out / "split_tasks" / MANIFEST).read_text("utf-8"))["sources"]
        assert url in sources and f"{server.url}/split_tasks/schemas/Task.yaml" in sources
        assert main(["generate", url, "--out", str(out), "--check"]) == 0
        changed = (CASES / "split_tasks" / "split_tasks.yaml").read_text("utf-8").replace("title: Tasks", "title: Tasks and more")
        server.overrides["/split_tasks/split_tasks.yaml"] = (200, {"Content-Type": "application/yaml"}, changed.encode())
        capsys.readouterr()
        assert main(["generate", url, "--out", str(out), "--check"]) == 1
        assert f"{url} changed since the last run" in capsys.readouterr().err


def test_a_spec_by_url_is_confined_to_its_origin(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "x.yaml").write_text("type: string\n", "utf-8")
    with _Server(tmp_path / "a") as home, _Server(tmp_path / "b") as other:
        (tmp_path / "a" / "spec.yaml").write_text(_SPEC_WITH_SCHEMA_REF.format(ref=f"{other.url}/x.yaml"), "utf-8")
        result = generate(f"{home.url}/spec.yaml")
        assert not result.ok and "leads to another origin" in result.diagnostics[0].message
        assert result.diagnostics[0].location.line == 13
        home.overrides["/moved.yaml"] = (302, {"Location": f"{other.url}/x.yaml"}, b"")
        moved = generate(f"{home.url}/moved.yaml")
        assert not moved.ok and "redirects to another origin" in moved.diagnostics[0].message
        missing = generate(f"{home.url}/nothing.yaml")
        assert not missing.ok and "answered HTTP 404" in missing.diagnostics[0].message


def test_a_spec_by_url_is_read_with_the_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from connectorsmith.document import loader

    monkeypatch.setattr(loader, "MAX_FILE_BYTES", 100)
    (tmp_path / "spec.yaml").write_text(_SPEC_WITH_SCHEMA_REF.format(ref="x.yaml"), "utf-8")
    with _Server(tmp_path) as server:
        result = generate(f"{server.url}/spec.yaml")
    assert not result.ok and "over the 100 byte limit" in result.diagnostics[0].message


def test_the_split_client_calls_the_api_over_http() -> None:
    tasks = fixture_package("split_tasks")

    def answer(seen: Seen) -> tuple[int, Any]:
        if seen.path.startswith("/v1/tasks/t1/attachments"):
            return 200, [{"kind": "link", "url": "https://x"}, {"kind": "file", "name": "a.txt", "size": 3}]
        if seen.method == "POST":
            return 201, {"id": "t2", "title": seen.body["title"], "status": seen.body["status"]}
        if seen.path == "/v1/tasks/missing":
            return 404, {"code": 404, "message": "no such task"}
        return 200, {"id": "t1", "title": "Write", "owner": {"name": "Ann", "current_task": {"id": "t1", "title": "Write"}}}

    with Recorder(answer) as server, tasks.TasksClient(base_url=server.url + "/v1", throttle=False) as client:
        task = client.get_task(task_id="t1")
        attachments = client.list_attachments(task_id="t1", limit=5)
        created = client.create_task(title="New", status=tasks.models.Status.OPEN)
        with pytest.raises(tasks.errors.NotFoundError):
            client.get_task(task_id="missing")
    assert isinstance(task.owner, tasks.models.User) and task.owner.current_task is not None
    assert [type(a).__name__ for a in attachments] == ["Link", "File"]
    assert created.status is tasks.models.Status.OPEN
    assert [s.path for s in server.seen[:3]] == ["/v1/tasks/t1", "/v1/tasks/t1/attachments?limit=5", "/v1/tasks"]
    assert server.seen[2].body == {"title": "New", "status": "open"}


def test_an_unreadable_fragment_is_located_in_that_fragment(tmp_path: Path) -> None:
    (tmp_path / "spec.yaml").write_text(_SPEC_WITH_SCHEMA_REF.format(ref="x.yaml"), "utf-8")
    (tmp_path / "x.yaml").write_text("type: object\nproperties: {a: {type: string}\n", "utf-8")
    result = generate(tmp_path / "spec.yaml")
    (error,) = [d for d in result.diagnostics if d.severity.value == "error"]
    assert error.location.file.endswith("x.yaml") and "invalid YAML" in error.message


def test_a_relative_server_of_a_spec_by_url_is_relative_to_that_url(tmp_path: Path) -> None:
    """OpenAPI: a relative server URL is relative to where the document is served."""
    spec = yaml.safe_load(_SPEC_WITH_SCHEMA_REF.format(ref="#/components/schemas/X"))
    spec["components"] = {"schemas": {"X": {"type": "string"}}}
    spec["servers"] = [{"url": "/api/v2"}]
    (tmp_path / "specs").mkdir()
    (tmp_path / "specs" / "rel.yaml").write_text(yaml.safe_dump(spec), "utf-8")
    with _Server(tmp_path) as server:
        by_url = generate(f"{server.url}/specs/rel.yaml")
    by_file = generate(tmp_path / "specs" / "rel.yaml")
    client = next(t for p, t in by_url.files.items() if p.name == "client.py")
    assert by_url.ok and f'DEFAULT_BASE_URL = "{server.url}/api/v2"' in client
    assert not any("is relative" in d.message for d in by_url.diagnostics)
    assert any("is relative" in d.message for d in by_file.diagnostics)  # a file says nothing of its host


def test_a_reference_that_is_no_file_name_is_refused(tmp_path: Path) -> None:
    """A NUL byte in a $ref crashed (os.path.realpath: embedded null byte); a named pipe hung the run forever."""
    os.mkfifo(tmp_path / "pipe.yaml")
    for ref, words in (("a%00.yaml", "holds a control character"), ("a\u0000.yaml", "holds a control character"), ("pipe.yaml", "is not a regular file")):
        (tmp_path / "spec.yaml").write_text(_SPEC_WITH_SCHEMA_REF.format(ref=ref.replace("\u0000", "\\0")), "utf-8")
        result = generate(tmp_path / "spec.yaml")
        assert not result.ok and not result.files
        assert [(d.location.line, words in d.message) for d in result.diagnostics] == [(13, True)], [d.render() for d in result.diagnostics]


def test_a_url_spec_that_cannot_be_fetched_is_a_diagnostic(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A port out of range or a broken IPv6 host raised ValueError, from the command line or from a $ref."""
    for url in ("http://127.0.0.1:99999/x.yaml", "http://[::1/x.yaml", "http://127.0.0.1:abc/x.yaml", "ftp://127.0.0.1/x.yaml"):
        with pytest.raises(SystemExit) as stop:
            main(["generate", url, "--out", str(tmp_path / "out")])
        assert stop.value.code == 2 and "argument SPEC" in capsys.readouterr().err
    assert not generate("http://127.0.0.1:99999/x.yaml").ok
    (tmp_path / "spec.yaml").write_text(_SPEC_WITH_SCHEMA_REF.format(ref="http://127.0.0.1:99999/x.yaml"), "utf-8")
    with _Server(tmp_path) as server:
        result = generate(f"{server.url}/spec.yaml")
    assert not result.ok and result.diagnostics[0].location.line == 13 and "not a URL that can be fetched" in result.diagnostics[0].message


def test_a_url_s_user_name_and_password_are_never_written_or_shown(tmp_path: Path) -> None:
    with _Server(CASES) as server:
        url = server.url.replace("http://", "http://ann:s3cret-pw@") + "/split_tasks/split_tasks.yaml"
        assert main(["generate", url, "--out", str(tmp_path / "out")]) == 0
        result = generate(url)
    manifest = (tmp_path / "out" / "split_tasks" / MANIFEST).read_text("utf-8")
    assert "s3cret-pw" not in manifest and f"{server.url}/split_tasks/split_tasks.yaml" in manifest
    assert not any("s3cret-pw" in d.render() for d in result.diagnostics)


def test_review_findings_on_split_and_url_specs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """What a review of the change found, each case a line: a symbolic link to the spec's folder, a BOM before
    the version key, a URL's password in a message, a missing file that --watch must poll, a fragment that
    became a named pipe after a run."""
    real = tmp_path / "real"
    (real / "schemas").mkdir(parents=True)
    (real / "spec.yaml").write_text(_SPEC_WITH_SCHEMA_REF.format(ref="./schemas/x.yaml"), "utf-8")
    (real / "schemas" / "x.yaml").write_text("type: object\nproperties: {a: {type: string}}\n", "utf-8")
    (tmp_path / "link").symlink_to(real)
    assert generate(tmp_path / "link" / "spec.yaml").ok  # references were refused as leading outside the folder
    (tmp_path / "bom").mkdir()
    (tmp_path / "bom" / "b.yaml").write_bytes(b"\xef\xbb\xbf" + (real / "spec.yaml").read_bytes())
    assert [p.name for p in discover(tmp_path / "bom")] == ["b.yaml"]  # was taken for a fragment
    with _Server(tmp_path) as server:
        url = server.url.replace("http://", "http://ann:s3cret-pw@") + "/nothing.yaml"
        assert main(["validate", url]) == 1
    assert "s3cret-pw" not in capsys.readouterr().err
    (real / "spec.yaml").write_text(_SPEC_WITH_SCHEMA_REF.format(ref="./schemas/missing.yaml"), "utf-8")
    result = generate(real / "spec.yaml")
    assert not result.ok and str(real / "schemas" / "missing.yaml") in [location for location, _ in result.inputs]
    (real / "spec.yaml").write_text(_SPEC_WITH_SCHEMA_REF.format(ref="./schemas/x.yaml"), "utf-8")
    out = tmp_path / "out"
    assert main(["generate", str(real / "spec.yaml"), "--out", str(out)]) == 0
    (real / "schemas" / "x.yaml").unlink()
    os.mkfifo(real / "schemas" / "x.yaml")
    assert main(["generate", str(real / "spec.yaml"), "--out", str(out)]) == 1  # not a hang re-hashing the inputs
    assert "is not a regular file" in capsys.readouterr().err


def test_a_connector_folder_with_broken_properties_keeps_its_reference_errors(tmp_path: Path) -> None:
    """Rebuilding the document to add the apiProperties.json warning dropped the bundler's errors: exit 0, schemas Any."""
    folder = tmp_path / "conn"
    folder.mkdir()
    definition = {"swagger": "2.0", "info": {"title": "C", "version": "1"}, "host": "x.example.com", "paths": {"/a": {"get": {"operationId": "GetA", "responses": {"200": {"description": "ok", "schema": {"$ref": "./gone.json#/Thing"}}}}}}}
    (folder / "apiDefinition.swagger.json").write_text(json.dumps(definition), "utf-8")
    (folder / "apiProperties.json").write_text("{not json", "utf-8")
    result = generate(folder)
    assert not result.ok and any("no such file" in d.message for d in result.diagnostics)
