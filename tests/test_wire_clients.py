"""Parameters and bodies sent as the document describes them, over real HTTP: a local server records
the exact request target (path and query string), headers and body bytes that arrive, sync and async.

OpenAPI 3 styles (form, spaceDelimited, pipeDelimited, deepObject; simple, label, matrix; content),
Swagger 2.0 collectionFormat (csv by default, ssv, tsv, pipes, multi), raw bodies (bytes, a file, a
File, text) and form bodies whose schema is not an object (fixtures wire.yaml and wire20.yaml)."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from connectorsmith.diagnostics import Severity
from connectorsmith.pipeline import generate

from .recorder import Recorder, Seen
from .test_models import fixture_package


def answer(seen: Seen) -> tuple[int, Any]:
    return 204, None


def both(package: ModuleType, sync_name: str, calls: Callable[[Any], Any]) -> tuple[list[Seen], list[Seen]]:
    """The requests the calls make, with the sync client and then the async one."""
    with Recorder(answer) as server, getattr(package, sync_name)(base_url=server.url, throttle=False) as client:
        calls(client)
    sync = list(server.seen)

    async def scenario(url: str) -> list[Seen]:
        with Recorder(answer) as other:
            async with getattr(package, "Async" + sync_name)(base_url=other.url, throttle=False) as client:
                result = calls(client)
                for awaitable in result if isinstance(result, list) else [result]:
                    await awaitable
            return list(other.seen)

    return sync, asyncio.run(scenario(""))


def query_styles(client: Any) -> Any:
    return client.search(
        tags=["a b", "c,d"],
        ids=[1, 2, 3],
        words=["x", "y"],
        codes=["p", "q|r"],
        filter={"status": "open", "owner": "me"},
        point={"x": 1, "y": 2},
        box={"x": 3, "y": 4},
        where={"status": "done"},
        raw="a/b?c",
    )


def test_query_styles_openapi3() -> None:
    wire = fixture_package("wire")
    sync, async_ = both(wire, "WireDeskClient", query_styles)
    for seen in (sync[0], async_[0]):
        assert seen.path == (
            "/search?tags=a+b&tags=c%2Cd&ids=1,2,3&words=x%20y&codes=p|q%7Cr"
            "&filter[status]=open&filter[owner]=me".replace("[", "%5B").replace("]", "%5D")
            + "&x=1&y=2&box=x,3,y,4&where=%7B%22status%22%3A%22done%22%7D&raw=a%2Fb%3Fc"
        )


def path_styles(client: Any) -> Any:
    return client.get_items(
        ids=[1, 2],
        label=["a", "b/c"],
        matrix=["m", "n"],
        point={"x": 1, "y": 2},
        x_tags=["t1", "t2"],
        x_point={"x": 5, "y": 6},
        x_filter={"status": "open"},
    )


def test_path_and_header_styles_openapi3() -> None:
    wire = fixture_package("wire")
    sync, async_ = both(wire, "WireDeskClient", path_styles)
    for seen in (sync[0], async_[0]):
        assert seen.path == "/items/1,2/.a,b%2Fc/;matrix=m;matrix=n/x=1,y=2"
        assert seen.headers["X-Tags"] == "t1,t2"
        assert seen.headers["X-Point"] == "x,5,y,6"
        assert seen.headers["X-Filter"] == '{"status":"open"}'


def raw_bodies(wire: ModuleType, client: Any) -> list[Any]:
    return [
        client.put_blob(body=b"\x00\xffbytes"),
        client.put_blob(body=io.BytesIO(b"from a file")),
        client.put_blob(body=wire.File(b"%PDF", content_type="application/pdf")),
        client.put_image(body=b"\x89PNG"),
        client.post_note(body="caf\u00e9 note"),
        client.post_encoded(body="a=1&b=two+words"),
        client.post_files(body={"one": b"1", "two": wire.File(b"2", filename="two.txt")}),
    ]


def test_raw_bodies_and_non_object_forms_openapi3() -> None:
    wire = fixture_package("wire")
    sync, async_ = both(wire, "WireDeskClient", lambda client: raw_bodies(wire, client))
    for seen in (sync, async_):
        blob, handle, pdf, image, note, encoded, files = seen
        assert (blob.headers["Content-Type"], blob.body) == ("application/octet-stream", b"\x00\xffbytes")
        assert (handle.headers["Content-Type"], handle.body) == ("application/octet-stream", b"from a file")
        assert (pdf.headers["Content-Type"], pdf.body) == ("application/pdf", b"%PDF")
        assert (image.headers["Content-Type"], image.body) == ("image/png", b"\x89PNG")
        assert (note.headers["Content-Type"], note.body) == ("text/plain", "caf\u00e9 note".encode())
        assert (encoded.headers["Content-Type"], encoded.body) == ("application/x-www-form-urlencoded", b"a=1&b=two+words")
        assert files.headers["Content-Type"].startswith("multipart/form-data; boundary=")
        assert b'name="one"' in files.body and b'filename="two.txt"' in files.body


def test_a_form_body_that_is_not_a_map_is_refused_never_sent_empty() -> None:
    wire = fixture_package("wire")
    with Recorder(answer) as server, wire.WireDeskClient(base_url=server.url, throttle=False) as client:
        with pytest.raises(TypeError, match="map of its fields"):
            client.post_count(body=3)  # type: ignore[arg-type]
        with pytest.raises(TypeError, match="give bytes"):
            client.put_blob(body=3)  # type: ignore[arg-type]
    assert server.seen == []


def collection_formats(client: Any) -> list[Any]:
    return [
        client.search(ids=[1, 2], plain=["a", "b c"], csv=["x", "y"], ssv=["s", "t"], tsv=["u", "v"], pipes=["p", "q"], multi=["m", "n"], x_ids=[7, 8]),
        client.post_form(plain=["a", "b"], multi=["m", "n"]),
        client.put_blob(body=b"\x01\x02"),
        client.post_note(body="hello"),
    ]


def test_collection_formats_and_raw_bodies_swagger20() -> None:
    wire20 = fixture_package("wire20")
    sync, async_ = both(wire20, "WireDeskClassicClient", collection_formats)
    for seen in (sync, async_):
        search, form, blob, note = seen
        assert search.path == "/search/1,2?plain=a,b+c&csv=x,y&ssv=s%20t&tsv=u%09v&pipes=p|q&multi=m&multi=n"
        assert search.headers["X-Ids"] == "7|8"
        assert form.body == b"plain=a%2Cb&multi=m&multi=n"
        assert (blob.headers["Content-Type"], blob.body) == ("application/octet-stream", b"\x01\x02")
        assert (note.headers["Content-Type"], note.body) == ("text/plain", b"hello")


def test_what_a_parameter_style_cannot_carry_is_a_located_warning(tmp_path: Path) -> None:
    spec = tmp_path / "odd_styles.yaml"
    spec.write_text(
        """openapi: 3.0.3
info: {title: Odd styles, version: "1"}
servers: [{url: "https://odd.example.invalid"}]
paths:
  /things/{id}:
    get:
      operationId: getThing
      parameters:
        - {name: id, in: path, required: true, style: form, schema: {type: string}}
        - {name: q, in: query, style: pipeDelimited, explode: false, schema: {type: string}}
        - {name: o, in: query, style: deepObject, schema: {type: integer}}
        - {name: r, in: query, allowReserved: true, schema: {type: string}}
      responses: {"204": {description: done}}
""",
        "utf-8",
    )
    result = generate(spec, lenient=True)
    assert result.ok, [d.render() for d in result.diagnostics]
    warned = {d.pointer[-2:]: d.message for d in result.diagnostics if d.severity is Severity.WARNING}
    assert "style 'form' is not defined for a path parameter: it is written in style simple" in warned[(0, "style")]
    assert "style 'pipeDelimited' is defined for arrays" in warned[(1, "style")]
    assert "style 'deepObject' is defined for objects" in warned[(2, "style")]
    assert "allowReserved is not carried" in warned[(3, "allowReserved")]


def test_swagger20_arrays_are_csv_unless_the_document_says_otherwise(tmp_path: Path) -> None:
    spec = tmp_path / "classic.yaml"
    spec.write_text(
        """swagger: "2.0"
info: {title: Classic, version: "1"}
host: classic.example.invalid
paths:
  /things/{ids}:
    get:
      operationId: getThings
      parameters:
        - {name: ids, in: path, required: true, type: array, collectionFormat: multi, items: {type: string}}
        - {name: tags, in: query, type: array, items: {type: string}}
      responses: {"204": {description: done}}
""",
        "utf-8",
    )
    result = generate(spec, lenient=True)
    assert result.ok, [d.render() for d in result.diagnostics]
    warned = [d.message for d in result.diagnostics if d.pointer[-1:] == ("collectionFormat",)]
    assert warned == ["path parameter 'ids' of getThings: collectionFormat 'multi' is defined for query and formData parameters only: the array is written as csv"]
    client = next(text for path, text in result.files.items() if str(path).endswith("client.py"))
    assert '_runtime.Param("tags", "tags", "query", False, _serde.ListOf(_serde.STR), explode=False)' in client


def test_a_deep_object_array_in_a_query_is_indexed_as_stripe_writes_it(tmp_path: Path) -> None:
    """Stripe writes ``expand`` (an array) with style deepObject 178 times: the docs promise ``expand[0]=a``, but
    each was warned about and written in style form (and 178 replayed warnings cost every --watch pass)."""
    from .conftest import import_generated
    from .recorder import Recorder

    spec = tmp_path / "deep.yaml"
    spec.write_text(
        'openapi: 3.0.3\ninfo: {title: Deep, version: "1"}\npaths:\n  /charges:\n    get:\n      operationId: listCharges\n'
        "      parameters:\n        - {name: expand, in: query, style: deepObject, explode: true, schema: {type: array, items: {type: string}}}\n"
        '      responses: {"204": {description: done}}\n',
        "utf-8",
    )
    result = generate(spec)
    assert result.ok and result.diagnostics == []
    for rel, text in result.files.items():
        (tmp_path / "out" / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "out" / rel).write_text(text, "utf-8")
    deep = import_generated(tmp_path / "out" / "deep" / "python", "deep")
    with Recorder(lambda seen: (204, None)) as server, deep.DeepClient(base_url=server.url, throttle=False) as client:
        client.list_charges(expand=["data.customer", "data.invoice"])
    assert server.seen[0].path == "/charges?expand%5B0%5D=data.customer&expand%5B1%5D=data.invoice"
