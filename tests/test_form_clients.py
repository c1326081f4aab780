"""OpenAPI 3 form bodies called over real HTTP: a local server parses the multipart parts (names, file
names, content types, headers, bytes) and the urlencoded pairs that arrive, sync and async."""

from __future__ import annotations

import asyncio
import email.parser
import email.policy
import io
import json
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import parse_qsl

from connectorsmith.diagnostics import Severity
from connectorsmith.pipeline import generate
from connectorsmith.render.targets import FULL
from connectorsmith.reuse.memory import Memory

from .conftest import CASES, import_generated
from .recorder import Recorder, Seen
from .test_models import fixture_package


@dataclass
class Part:
    name: str
    filename: str | None
    content_type: str | None
    headers: dict[str, str]
    data: bytes


def parts(seen: Seen) -> list[Part]:
    """The parts of a multipart/form-data request, as a server reads them."""
    content_type = seen.headers["Content-Type"]
    assert content_type.startswith("multipart/form-data; boundary="), content_type
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + seen.body)
    assert message.is_multipart()
    found = []
    for part in message.iter_parts():
        disposition = part["Content-Disposition"]
        assert disposition.startswith("form-data")
        found.append(
            Part(
                name=part.get_param("name", header="content-disposition"),
                filename=part.get_param("filename", header="content-disposition"),
                content_type=part["Content-Type"],
                headers={k: str(v) for k, v in part.items() if k.lower() not in ("content-disposition", "content-type")},
                data=part.get_payload(decode=True),
            )
        )
    return found


def pairs(seen: Seen) -> list[tuple[str, str]]:
    assert seen.headers["Content-Type"] == "application/x-www-form-urlencoded"
    return parse_qsl(seen.body.decode("ascii"), keep_blank_values=True)


def answer(seen: Seen) -> tuple[int, Any]:
    if seen.path.endswith("/photos") and seen.method == "POST" and "albums" not in seen.path:
        return 201, {"id": "p1", "size": 3}
    if seen.path.endswith("/search"):
        return (200, ["hit"]) if "multipart31" not in seen.path else (204, None)
    return 204, None


def test_multipart_upload_with_caption_sends_parts() -> None:
    multipart = fixture_package("multipart")
    with Recorder(answer) as server, multipart.UploadDeskClient(base_url=server.url, throttle=False) as client:
        stored = client.upload_photo(file=b"\x89PNG\x00\xff", caption="Sunset, \"golden\" hour", rating=5, public=False)
        client.upload_photo(file=multipart.File(b"jpegbytes", filename="me.jpg", content_type="image/jpeg"))
        client.upload_photo(file=io.BytesIO(b"from a file object"))
    assert (stored.id, stored.size) == ("p1", 3)
    first, second, third = (parts(seen) for seen in server.seen)
    assert [(p.name, p.filename, p.content_type, p.data) for p in first] == [
        ("file", "upload", "image/png", b"\x89PNG\x00\xff"),  # the encoding's contentType
        ("caption", None, None, b'Sunset, "golden" hour'),
        ("rating", None, None, b"5"),
        ("public", None, None, b"false"),
    ]
    assert [(p.name, p.filename, p.content_type, p.data) for p in second] == [("file", "me.jpg", "image/jpeg", b"jpegbytes")]
    assert [(p.name, p.filename, p.data) for p in third] == [("file", "upload", b"from a file object")]
    assert all(seen.method == "POST" and seen.path == "/photos" for seen in server.seen)


def test_multipart_array_of_files_json_part_headers_and_text_types() -> None:
    multipart = fixture_package("multipart")
    models = multipart.models
    with Recorder(answer) as server, multipart.UploadDeskClient(base_url=server.url, throttle=False) as client:
        client.upload_album(
            album="summer 24",
            photos=[b"one", multipart.File(b"two", filename="two.jpg", content_type="image/jpeg")],
            tags=["sea", "sun"],
            meta=models.Meta(camera="X100", iso=200),
            notes="# Day *one*",
            checksum="c2hhMjU2",
        )
    [seen] = server.seen
    assert seen.path == "/albums/summer%2024/photos"
    got = [(p.name, p.filename, p.content_type, p.data) for p in parts(seen)]
    assert got == [
        # "image/png, image/jpeg" is a choice: a file without its own type is application/octet-stream
        ("photos", "upload", "application/octet-stream", b"one"),
        ("photos", "two.jpg", "image/jpeg", b"two"),
        ("tags", None, None, b"sea"),  # an array of text: a part for each item
        ("tags", None, None, b"sun"),
        ("meta", None, "application/json", b'{"camera": "X100", "iso": 200}'),
        ("notes", None, "text/markdown", b"# Day *one*"),
        ("checksum", None, None, b"c2hhMjU2"),  # format: byte is text, not a file
    ]
    assert json.loads(parts(seen)[4].data) == {"camera": "X100", "iso": 200}
    assert parts(seen)[4].headers == {"X-Meta-Version": "2"}
    assert all(p.headers == {} for i, p in enumerate(parts(seen)) if i != 4)


def test_multipart_chosen_over_json_when_only_the_form_carries_the_file() -> None:
    multipart = fixture_package("multipart")
    with Recorder(answer) as server, multipart.UploadDeskClient(base_url=server.url, throttle=False) as client:
        client.upload_document(title="Report", content=multipart.File(b"%PDF-1.7", filename="r.pdf", content_type="application/pdf"))
        client.upload_document(title="Only a title")  # still multipart: the operation's body is a form
    first, second = server.seen
    assert [(p.name, p.filename, p.content_type, p.data) for p in parts(first)] == [
        ("title", None, None, b"Report"),
        ("content", "r.pdf", "application/pdf", b"%PDF-1.7"),
    ]
    assert [(p.name, p.data) for p in parts(second)] == [("title", b"Only a title")]


def test_urlencoded_form_arrays_objects_and_styles() -> None:
    multipart = fixture_package("multipart")
    models = multipart.models
    with Recorder(answer) as server, multipart.UploadDeskClient(base_url=server.url, throttle=False) as client:
        hits = client.search(
            q="cats & dogs",
            kinds=["photo", "video"],
            ids=[1, 2, 3],
            range_=models.SearchRange(from_=1, to=9),
            filter=models.SearchFilter(owner="me", shared=True),
            sort=models.Sort(field="date", descending=True),
            expand=["data.owner", "total"],
            owner=models.SearchOwner(name="Ada", address=models.SearchOwnerAddress(city="Paris")),
        )
        client.update_pet(id=7, camera="X100")  # JSON, XML and a form of the same schema: JSON is sent
    assert hits == ["hit"]
    search, update = server.seen
    assert pairs(search) == [
        ("q", "cats & dogs"),
        ("kinds", "photo"),  # style form, exploded (the default): the name repeated
        ("kinds", "video"),
        ("ids", "1|2|3"),  # pipeDelimited
        ("range[from]", "1"),  # deepObject
        ("range[to]", "9"),
        ("owner", "me"),  # an object in style form, exploded: its properties as pairs
        ("shared", "true"),
        ("sort", '{"field":"date","descending":true}'),  # contentType application/json
        ("expand[0]", "data.owner"),  # deepObject beyond one level, as qs and Stripe write it
        ("expand[1]", "total"),
        ("owner[name]", "Ada"),
        ("owner[address][city]", "Paris"),
    ]
    assert update.headers["Content-Type"] == "application/json" and update.body == {"camera": "X100"}


def test_form_bodies_async_and_openapi31_files() -> None:
    multipart31 = fixture_package("multipart31")

    async def scenario(url: str) -> None:
        async with multipart31.AsyncUploadDesk31Client(base_url=url + "/multipart31", throttle=False) as client:
            stored = await client.upload_photo(file=b"png!", caption="hi", thumbnail="aGk=")
            assert stored.id == "p1"
            await client.upload_album(files=[io.BytesIO(b"a"), b"b"], labels={"a": "first"})
            await client.search(q="x", kinds=["a", "b"], range_=multipart31.models.SearchRange(from_=1))

    with Recorder(answer) as server:
        asyncio.run(scenario(server.url))
    photo, album, search = server.seen
    assert [(p.name, p.filename, p.content_type, p.data) for p in parts(photo)] == [
        ("file", "upload", "image/png", b"png!"),  # contentMediaType: a file
        ("caption", None, None, b"hi"),
        ("thumbnail", None, None, b"aGk="),  # contentEncoding: base64 is text
    ]
    assert [(p.name, p.filename, p.content_type, p.data) for p in parts(album)] == [
        ("files", "upload", "application/octet-stream", b"a"),
        ("files", "upload", "application/octet-stream", b"b"),
        ("labels", None, "application/json", b'{"a": "first"}'),  # an object part is JSON
    ]
    assert pairs(search) == [("q", "x"), ("kinds", "a b"), ("from", "1")]


def test_swagger2_form_data_is_sent_as_before() -> None:
    ppdemo = fixture_package("ppdemo")
    with Recorder(lambda seen: (200, {"id": "1"})) as server, ppdemo.PPDemoClient(base_url=server.url, api_key="k", region="eu", throttle=False) as client:
        client.upload_file(file=b"plain bytes", folder_name="docs")
    [seen] = server.seen
    got = [(p.name, p.filename, p.content_type, p.data) for p in parts(seen)]
    assert got == [("folder name", None, None, b"docs"), ("file", "upload", "application/octet-stream", b"plain bytes")]


_UNCARRIED = """\
openapi: 3.0.3
info: {title: Odd Forms, version: "1"}
paths:
  /xml:
    post:
      operationId: sendXml
      requestBody:
        content:
          application/xml:
            schema: {type: object, properties: {a: {type: string}}}
      responses:
        "204": {description: ok}
  /parts:
    post:
      operationId: sendParts
      requestBody:
        content:
          multipart/form-data:
            schema:
              type: object
              properties:
                inner: {type: object, properties: {a: {type: string}}}
                nested: {type: string}
                signed: {type: string}
            encoding:
              inner: {contentType: application/xml}
              nested: {contentType: multipart/mixed}
              signed:
                headers:
                  X-Signature: {schema: {type: string}}
                  X-Evil: {schema: {type: string, default: "1\\r\\nX-Injected: 1"}}
              ghost: {contentType: text/plain}
      responses:
        "204": {description: ok}
  /form:
    post:
      operationId: sendForm
      requestBody:
        content:
          application/x-www-form-urlencoded:
            schema:
              type: object
              properties:
                upload: {type: string, format: binary}
                tree: {type: object, properties: {leaf: {type: object, properties: {x: {type: string}}}}}
                tags: {type: array, items: {type: string}}
                words: {type: string}
                flag: {type: boolean}
            encoding:
              flag: {style: deepObject}
              words: {style: pipeDelimited, explode: false, allowReserved: true}
      responses:
        "204": {description: ok}
"""


def test_what_a_form_cannot_carry_is_a_located_warning(tmp_path: Path) -> None:
    spec = tmp_path / "odd.yaml"
    spec.write_text(_UNCARRIED, "utf-8")
    result = generate(spec, targets=FULL)
    assert result.ok
    found = {(d.location.line, d.message.split(":")[0] if "export" in d.message else d.message) for d in result.diagnostics}
    lines = _UNCARRIED.splitlines()

    def line_of(text: str, after: int = 0) -> int:
        return next(i for i, line in enumerate(lines, 1) if i > after and text in line)

    parts = line_of("/parts:")
    form = line_of("/form:")
    expected = {
        (line_of("application/xml:"), "request body of sendXml is 'application/xml', which the client does not write (an XML body is not written from a schema): it sends the value as JSON"),
        (line_of("inner: {contentType", parts), "encoding of form field 'inner' of sendParts: the client writes an object or array part as JSON, not as 'application/xml'"),
        (line_of("nested: {contentType", parts), "encoding of form field 'nested' of sendParts: a nested 'multipart/mixed' part is not carried: the value is sent as one part"),
        (line_of("X-Signature", parts), "encoding of form field 'signed' of sendParts: header 'X-Signature' has no fixed value (a default, const or single enum value) and is not sent"),
        (line_of("X-Evil", parts), "encoding of form field 'signed' of sendParts: header 'X-Evil' is not a valid header name and value; it is not sent"),
        (line_of("ghost:", parts), "encoding of sendParts names 'ghost', which is not a field of the body; it is not used"),
        (line_of("upload:", form), "form field 'upload' of sendForm is a file, which application/x-www-form-urlencoded cannot carry: it is sent as text"),
        (line_of("tree:", form), "form field 'tree' of sendForm is an object with nested values ('leaf'), which an urlencoded body has no spelling for: each is written as JSON text"),
        (line_of("flag: {style", form), "encoding of form field 'flag' of sendForm: style 'deepObject' is defined for objects; the field is written in style form"),
        (line_of("words: {style", form), "encoding of form field 'words' of sendForm: style 'pipeDelimited' is defined for arrays, not exploded; the field is written in style form"),
        (line_of("words: {style", form), "encoding of form field 'words' of sendForm: allowReserved is not carried: reserved characters are percent-encoded"),
        # the Power Platform export, one warning per kind of loss (its first place): inner and tree, inner and nested
        (line_of("inner: {type", parts), "the Power Platform export (Swagger 2.0) cannot express a form field that is an object, a union or an array of them (exported as a string)"),
        (line_of("inner: {contentType", parts), "the Power Platform export (Swagger 2.0) cannot express a form part's content type or headers (encoding)"),
    }
    assert found == expected
    assert all(d.severity is Severity.WARNING and d.pointer for d in result.diagnostics)


def test_fixture_warnings_name_each_loss() -> None:
    result = generate(CASES / "multipart" / "multipart.yaml", targets=FULL)
    messages = sorted(d.message for d in result.diagnostics)
    assert len(messages) == 5
    assert "request body of uploadDocument: the client sends 'multipart/form-data'; 'application/json', described by another schema, is not used" in messages
    assert not any("updatePet" in m for m in messages), "the same schema in JSON, XML and a form: JSON is sent, nothing is lost"


def test_power_platform_export_keeps_forms_as_form_data() -> None:
    definition = json.loads((CASES / "multipart" / "expected" / "multipart" / "powerplatform" / "apiDefinition.swagger.json").read_text("utf-8"))
    photo = definition["paths"]["/photos"]["post"]
    assert photo["consumes"] == ["multipart/form-data"]
    assert [(p["name"], p["in"], p["type"], p.get("required", False)) for p in photo["parameters"]] == [
        ("file", "formData", "file", True), ("caption", "formData", "string", False), ("rating", "formData", "integer", False), ("public", "formData", "boolean", False),
    ]
    search = definition["paths"]["/search"]["post"]
    assert search["consumes"] == ["application/x-www-form-urlencoded"]
    assert {p["name"]: p.get("collectionFormat") for p in search["parameters"] if p["type"] == "array"} == {"kinds": "multi", "ids": "pipes", "expand": "multi"}
    document = json.loads((CASES / "multipart" / "expected" / "multipart" / "openapi.json").read_text("utf-8"))
    album = document["paths"]["/albums/{album}/photos"]["post"]["requestBody"]["content"]["multipart/form-data"]
    assert album["encoding"]["meta"]["headers"]["X-Meta-Version"]["schema"]["default"] == "2"


def test_with_memory_a_form_follows_its_components(tmp_path: Path) -> None:
    """A form body's schema in components: changed outside paths, the client and the Power Platform
    export (formData parameters) change with it, as in a run without memory (--watch)."""
    memory = Memory()
    spec = tmp_path / "forms.json"
    for field_type in ({"type": "string", "format": "binary"}, {"type": "integer"}, {"type": "integer"}):
        doc = {
            "openapi": "3.0.3",
            "info": {"title": "Forms", "version": "1"},
            "paths": {"/up": {"post": {
                "operationId": "up",
                "requestBody": {"$ref": "#/components/requestBodies/Up"},
                "responses": {"204": {"description": "ok"}},
            }}},
            "components": {
                "schemas": {"Up": {"type": "object", "properties": {"data": field_type, "note": {"type": "string"}}}},
                "requestBodies": {"Up": {"content": {"multipart/form-data": {"schema": {"$ref": "#/components/schemas/Up"}}}}},
            },
        }
        spec.write_text(json.dumps(doc), "utf-8")
        remembered, fresh = generate(spec, memory=memory, targets=FULL), generate(spec, targets=FULL)
        memory.next_run()
        assert remembered.files == fresh.files
        definition = json.loads(fresh.files[PurePosixPath("forms/powerplatform/apiDefinition.swagger.json")])
        params = definition["paths"]["/up"]["post"]["parameters"]
        assert [(p["name"], p["in"], p["type"]) for p in params] == [("data", "formData", "file" if "format" in field_type else "integer"), ("note", "formData", "string")]


def test_a_form_that_is_only_a_map_is_one_body_argument(tmp_path: Path) -> None:
    spec = tmp_path / "mapform.yaml"
    spec.write_text(
        """\
openapi: 3.0.3
info: {title: Map Form, version: "1"}
paths:
  /labels:
    post:
      operationId: setLabels
      requestBody:
        required: true
        content:
          application/x-www-form-urlencoded:
            schema: {type: object, additionalProperties: {type: string}}
      responses:
        "204": {description: ok}
""",
        "utf-8",
    )
    result = generate(spec, targets=FULL)
    assert result.ok and result.diagnostics == []
    for path, text in result.files.items():
        if path.parts[1] == "python":
            target = tmp_path / "out" / PurePosixPath(*path.parts[1:])
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, "utf-8")
    mapform = import_generated(tmp_path / "out" / "python", "mapform")
    with Recorder(answer) as server, mapform.MapFormClient(base_url=server.url, throttle=False) as client:
        client.set_labels(body={"colour": "red", "size": "L"})
    assert pairs(server.seen[0]) == [("colour", "red"), ("size", "L")]
