"""black (pinned) stays the arbiter of formatting, though it no longer runs over every file.

The templates write black's style and pyformat sends only doubtful chunks through
black (see generator/pyformat.py).  These tests hold that promise: black leaves
every generated Python file of the fixtures, of generated/ and of the CI corpus
slice unchanged, and formatting a chunk alone gives what black gives the file.
"""

from __future__ import annotations

from pathlib import Path

import black
import pytest
from connectorsmith import pyformat
from connectorsmith.pipeline import generate
from connectorsmith.render import renderer as render
from hypothesis import given
from hypothesis import strategies as st

from .conftest import CASES, ROOT, SHARED
from .test_corpus import SLICE

CERTIFIED = SHARED / "corpus" / "certified"


def _unstable(files: dict[str, str]) -> list[str]:
    mode = pyformat.black_mode()
    return [name for name, source in files.items() if black.format_str(source, mode=mode) != source]


def _chunks_sent(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The chunks formatting sends to black whole (``pyformat._format_chunk``), as they are sent."""
    sent: list[str] = []
    original = pyformat._format_chunk

    def spy(chunk: str) -> str | None:
        sent.append(chunk)
        return original(chunk)

    monkeypatch.setattr(pyformat, "_format_chunk", spy)
    return sent


def _black_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The sources formatting gives black (``pyformat._black``), as they are given."""
    calls: list[str] = []
    original = pyformat._black

    def spy(source: str, line_length: int) -> str:
        calls.append(source)
        return original(source, line_length)

    monkeypatch.setattr(pyformat, "_black", spy)
    return calls


def test_committed_python_is_black_stable() -> None:
    files = {str(p): p.read_text("utf-8") for root in (CASES, ROOT / "generated") for p in sorted(root.rglob("*.py"))}
    assert len(files) > 50
    assert _unstable(files) == []


@pytest.mark.skipif(not CERTIFIED.is_dir(), reason="needs ../shared/corpus")
@pytest.mark.parametrize("name", sorted(SLICE), ids=str)
def test_corpus_slice_is_black_stable(name: str) -> None:
    result = generate(CERTIFIED / name)
    assert result.ok, [d.render() for d in result.diagnostics]
    files = {str(path): text for path, text in result.files.items() if path.suffix == ".py"}
    assert files and _unstable(files) == []


def test_static_templates_are_black_stable() -> None:
    """The runtime modules are written as they are, unformatted: they must already be black's."""
    static = [t for t in render.TEMPLATES if t.static]
    assert static
    files = {t.template: render.runtime_text(t.template) for t in static}
    assert all("{{" not in text and "{%" not in text for text in files.values())
    assert _unstable(files) == []


def test_a_doubtful_chunk_is_formatted_in_place() -> None:
    long_call = "    x = f(" + ", ".join(f"argument_{i}" for i in range(12)) + ")\n"
    source = (
        '"""Module."""\n\n\nclass A:\n    """Doc."""\n\n    def m(self) -> None:\n' + long_call.replace("    x", "        x")
        + "\n    def n(self) -> str:\n        return 'q'" + pyformat.UNSURE + "\n\n\nY = 1\n"
    )
    expected = black.format_str(source.replace(pyformat.UNSURE, ""), mode=pyformat.black_mode())
    assert pyformat.format_python(source) == expected
    assert "'q'" in source and '"q"' in expected


def test_a_chunk_that_does_not_parse_alone_falls_back_to_the_whole_file() -> None:
    # A class member cut after a blank line inside a bracket: that chunk cannot be formatted alone.
    source = "class A:\n    X = [\n    1,\n\n    g(" + "a" * 100 + "),\n    ]\n"
    assert pyformat.format_python(source) == black.format_str(source, mode=pyformat.black_mode())


def test_invalid_python_is_a_format_error() -> None:
    with pytest.raises(pyformat.FormatError):
        pyformat.format_python("def f(:\n" + "x = " + " + ".join(["x"] * 60) + "\n")


def test_generated_package_tree_is_formatted_without_black_for_clean_text(monkeypatch: pytest.MonkeyPatch) -> None:
    """Clean chunks never reach black: the cost of formatting is the doubtful text only."""
    seen = _chunks_sent(monkeypatch)
    result = generate(Path(ROOT / "spec" / "hipchat.yaml"))
    assert result.ok
    python = sum(len(text) for path, text in result.files.items() if path.suffix == ".py")
    assert sum(len(chunk) for chunk in seen) < python / 10


def test_importing_a_client_leaves_its_models_and_httpx_for_first_use(tmp_path: Path) -> None:
    """A client of many models imports fast: models.py is imported when a model or codec is first used,
    httpx when the first client is made."""
    import subprocess
    import sys

    package_dir = ROOT / "generated" / "hipchat" / "python"
    script = (
        "import sys\n"
        "import hipchat\n"
        "assert 'hipchat.models' not in sys.modules, 'imported eagerly'\n"
        "assert 'httpx' not in sys.modules, 'httpx imported before it is needed'\n"
        "client = hipchat.HipChatClient(token='t')\n"
        "assert 'hipchat.models' not in sys.modules and 'httpx' in sys.modules\n"
        "from hipchat import models\n"
        "assert models.UserResponse.from_dict({'id': 1}).id == 1\n"
        "assert hipchat.models is models\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=package_dir, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


def test_a_single_server_variable_is_written_in_black_style(tmp_path: Path) -> None:
    """The variables' dict was written at column 0 (the template's indent was stripped before its filter)."""
    spec = tmp_path / "one_variable.yaml"
    spec.write_text(
        'openapi: 3.0.3\ninfo: {title: S, version: "1"}\nservers:\n  - url: "https://{region}.example.com"\n'
        "    variables:\n      region: {default: eu}\npaths:\n  /ping:\n    get:\n      operationId: ping\n"
        '      responses: {"200": {description: ok}}\n',
        "utf-8",
    )
    result = generate(spec)
    files = {str(path): text for path, text in result.files.items() if path.suffix == ".py"}
    assert result.ok and files and _unstable(files) == []


_LONG = "IoK8sApiextensionsApiserverPkgApisApiextensionsV1CustomResourceSubresourceScale"
_STATEMENTS = [
    # (a source, whether every doubtful statement is formatted alone, without its chunk)
    (f"class A:\n    def to_dict(self) -> dict[str, Any]:\n        if type(self) is not {_LONG}:\n            return {{}}\n        return {{\"a\": 1}}\n", True),
    (f"class A:\n    def f(\n        self,\n        *,\n        status: models.{_LONG}Status | None = None,\n    ) -> _runtime.Response[models.{_LONG}]: ...\n", True),
    (f"def g(x: int) -> int:\n    if x:\n        return 1\n    elif x == {_LONG}.value + {_LONG}.other:\n        return 2\n    return 3\n", True),
    (f"def g() -> None:\n    try:\n        pass\n    except ({_LONG}Error, {_LONG}OtherError):\n        raise\n", True),
    ('class A:\n    """Doc with a quote at the end "q\\""' + pyformat.UNSURE + '\n\n    Attributes:\n        x: ' + "word " * 30 + '\n    """\n\n    x: int = 0\n', True),
    (f"X = _runtime.Operation(\n    name='n',\n    params=(_runtime.Param('a_long_name_{_LONG}', 'aLongName', 'query', False, _serde.STR),),\n)\n", True),
    (f"class A:\n    @decorator({_LONG}, {_LONG}, {_LONG})\n    def f(self) -> None:\n        pass\n", False),
    (f"class A:\n    def f(self) -> str:\n        return '''multi\nline {_LONG} {_LONG}'''\n", False),
    # A string statement that is no docstring (black would take it for one alone in the wrapper), and a
    # marked comment, which is in no statement: the chunk decides both.
    ('class C:\n    def f(self):\n        x = 1\n        """  padded  """' + pyformat.UNSURE + "\n        return x\n", False),
    ("def f():\n    # note" + pyformat.UNSURE + '\n    x = "a"' + pyformat.UNSURE + "\n", False),
]


@pytest.mark.parametrize(("source", "alone"), _STATEMENTS, ids=range(len(_STATEMENTS)))
def test_a_doubtful_statement_is_formatted_alone_as_black_formats_the_file(monkeypatch: pytest.MonkeyPatch, source: str, alone: bool) -> None:
    """A method of forty lines with one long line pays black for that line: the statement alone, dedented
    and wrapped, gives what black gives the whole file; what cannot be moved (a decorator, a string whose
    lines start left of the statement) falls back to the chunk."""
    chunks = _chunks_sent(monkeypatch)
    expected = black.format_str(source.replace(pyformat.UNSURE, ""), mode=pyformat.black_mode())
    assert expected != source  # black has something to do in each (at least the marks to drop)
    assert pyformat.format_python(source) == expected
    assert (chunks == []) is alone


def test_statements_of_generated_code_formatted_alone_match_their_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Statements of the committed clients and models, made doubtful by a narrower line length (50), format
    alone as their chunk does: the statement path is black's answer, not an approximation of it.  (A spread
    of 700 chunks of every golden package: black is slow on whole chunks.)"""
    files = [p for root in (ROOT / "generated", CASES) for p in sorted(root.rglob("*.py")) if p.name in ("client.py", "models.py")]
    chunks = [chunk.text for path in files for chunk in pyformat._statements(path.read_text("utf-8")) if len(chunk.text) < 4000]
    assert len(chunks) > 2000
    monkeypatch.setattr(pyformat, "LINE_LENGTH", 50)
    compared = 0
    for text in chunks[:: len(chunks) // 700]:
        alone, whole = pyformat._format_statements(text), pyformat._format_chunk(text)
        if alone is not None and whole is not None:
            assert alone == whole, text
            compared += 1
    assert compared > 250


@pytest.mark.parametrize("form", ["A", "P[A]", "A | None", "A | B | None", "list[A] | None", "P[A | None]", "Q", "Q | None"])
def test_a_return_annotation_is_laid_out_as_black_lays_it_out(form: str) -> None:
    """``py_returns``: every layout it decides (past the line length) is black's, at every length and both
    ends of a signature; what it leaves as it is is left for black (the line stays over the limit)."""
    decided = 0
    for length in range(20, 110, 3):
        annotation = form.replace("P", "_runtime.Response").replace("A", "models." + "A" * length).replace("B", "models.B" + "b" * (length // 3))
        annotation = annotation.replace("Q", "Plain" + "q" * length)  # a name without a dot
        for end in (": ...", ":"):
            for indent in (4, 8):
                pad = " " * indent
                line = pyformat.returns(annotation, end, indent)
                if line == f") -> {annotation}{end}" and not pyformat.fits(line, indent):
                    continue  # left for black
                decided += 1
                outer = "class C:\n" if indent == 4 else "class C:\n    class D:\n"
                body = "" if end == ": ..." else f"{pad}    pass\n"
                source = f"{outer}{pad}def f(\n{pad}    self,\n{pad}{{}}\n{body}"
                expected = black.format_str(source.format(f") -> {annotation}{end}"), mode=pyformat.black_mode())
                assert source.format(line) == expected
    assert decided > 40


def test_a_small_client_is_written_without_black(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The templates' fixed lines are in black's layout, and those whose layout depends on the client's name
    (its repr) choose it by length: a small spec's package never calls black (nor imports it) while the client's
    class name has up to 40 characters, and at every length black leaves it unchanged."""
    calls = _black_calls(monkeypatch)
    layouts: set[int] = set()  # the repr's return statement: 1, 3 or 5 lines
    for length in range(1, 50):
        title = "T" + "x" * (length - 1)
        spec = tmp_path / f"s{length}.yaml"
        spec.write_text(
            f'openapi: 3.0.3\ninfo: {{title: {title}, version: "1"}}\nservers: [{{url: "https://example.com"}}]\n'
            "components:\n  securitySchemes:\n    key: {type: apiKey, in: header, name: X-Key}\nsecurity: [{key: []}]\n"
            "paths:\n  /items:\n    get:\n      operationId: listItems\n      parameters:\n        - {name: page, in: query, schema: {type: integer}}\n"
            '      responses: {"200": {description: ok, content: {application/json: {schema: {type: object}}}}}\n',
            "utf-8",
        )
        result = generate(spec)
        assert result.ok, [d.render() for d in result.diagnostics]
        files = {str(path): text for path, text in result.files.items() if path.suffix == ".py"}
        assert f"{title}Client" in "".join(files.values())
        client = next(text for name, text in files.items() if name.endswith("client.py"))
        for start in [i for i in range(len(client)) if client.startswith("    def __repr__", i)]:
            method = "class C:\n" + client[start : client.index("\n\n", start) + 1]
            assert black.format_str(method, mode=pyformat.black_mode()) == method, method
            layouts.add(method[method.index("return") :].count("\n"))
        if length in (1, 49):
            assert _unstable(files) == []
        if length < 35:  # a client class of up to 40 characters; longer, a few lines wait on black
            assert calls == [], length
    assert calls and layouts == {1, 3, 5}


@pytest.mark.parametrize("form", ["A | None", "A | B | None", "A | B", "list[A] | None"])
def test_a_long_union_parameter_is_laid_out_as_black_lays_it_out(form: str) -> None:
    """``py_parameter``: a union that fits in parentheses gets a line of its own, one that does not (of names)
    an operand a line, as black writes them; anything else is left for black."""
    decided = 0
    for length in range(20, 110, 3):
        annotation = form.replace("A", "models." + "A" * length).replace("B", "models.B" + "b" * (length // 2))
        for default in ("None", None):
            for indent in (8, 12):
                tail = f" = {default}," if default is not None else ","
                line = pyformat.parameter("status", annotation, default, indent)
                if line == f"status: {annotation}{tail}" and not pyformat.fits(line, indent):
                    continue  # left for black
                decided += 1
                pad, outer = " " * indent, " " * (indent - 4)
                head = "class C:\n" if indent == 8 else "class C:\n    class D:\n"
                source = f"{head}{outer}def f(\n{outer}    self,\n{outer}    *,\n{{}}\n{outer}) -> None:\n{outer}    pass\n"
                expected = black.format_str(source.format(f"{pad}status: {annotation}{tail}"), mode=pyformat.black_mode())
                assert source.format("\n".join(pad + part for part in line.split("\n"))) == expected
    assert decided > 40


@pytest.mark.parametrize(
    "element",
    ['path="/{x}",', '"key": "{x}",', "name=models.{x},", "lambda: models.{x}", "lambda: models.{x},", '"{x}",', "models.{x},", '"k": models.{x},'],
)
def test_a_long_element_black_cannot_split_is_not_doubtful(element: str) -> None:
    """An element that is one atom (a name, string, a key's or keyword's atom, a lambda returning a name) has no
    place black splits: past the line length it does not make its chunk doubtful, and black indeed leaves it."""
    for length in (90, 120):
        line = "    " + element.format(x="x" * length)
        bracket = ("{", "}") if line.lstrip().startswith('"k') else ("f(", ")")
        source = f"x = {bracket[0]}\n{line}\n{bracket[1]}\n"
        assert not pyformat._black_may_split(line, line.lstrip(), opening=False)
        assert black.format_str(source, mode=pyformat.black_mode()) == source


@given(st.text(alphabet="ab(),[]{}'\"\\ x=#", max_size=40))
def test_the_bracket_scan_sees_what_the_character_walk_sees(text: str) -> None:
    """``_scan`` jumps between the characters that matter; it finds the brackets and commas outside strings
    that walking every character finds (quotes, escapes and escaped escapes included)."""
    assert pyformat._scan(text) == [(i, c) for i, c in pyformat._outside(text) if c in "()[]{},"]


def test_an_operation_constant_whose_first_line_is_too_long_is_written_as_black_writes_it(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """``X = _runtime.Operation(`` past the line length: black puts the call in parentheses and lays its
    arguments out 4 deeper when every line then fits, and keeps the long line when one does not (the long
    names of inline models here).  The template writes the first itself (its arguments laid out at that
    depth), never calling black for it, and leaves the second to black; at every length of the constant's
    name, black leaves the client unchanged."""
    calls = _black_calls(monkeypatch)
    paths = []
    for length in range(70, 100):  # the constant is "_" + the name in capitals: its first line is too long from 78
        name = "o" * (length - 3) + f"{length:03}"
        body = "{$ref: '#/components/schemas/Thing'}" if length % 5 else "{type: object, properties: {a: {type: string}}}"
        # Parameters whose Param lines fit at one depth and not at the next, a tuple of errors, a result.
        paths.append(
            f"  /p{length}/{{item_identifier_of_some_length}}:\n    post:\n      operationId: {name}\n"
            "      parameters:\n"
            "        - {name: item_identifier_of_some_length, in: path, required: true, schema: {type: string}}\n"
            f"        - {{name: {'q' * (length - 40)}, in: query, schema: {{type: array, items: {{type: integer}}}}}}\n"
            "        - {name: flag, in: header, schema: {type: boolean}}\n"
            f'      responses: {{"200": {{description: ok, content: {{application/json: {{schema: {body}}}}}}},'
            ' "404": {description: gone, content: {application/json: {schema: {$ref: "#/components/schemas/Thing"}}}}}\n'
        )
    spec = tmp_path / "long.yaml"
    spec.write_text(
        'openapi: 3.0.3\ninfo: {title: Long, version: "1"}\nservers: [{url: "https://example.com"}]\npaths:\n'
        + "".join(paths)
        + "components:\n  schemas:\n    Thing: {type: object, properties: {a: {type: string}}}\n",
        "utf-8",
    )
    result = generate(spec)
    assert result.ok, [d.render() for d in result.diagnostics]
    files = {str(path): text for path, text in result.files.items() if path.suffix == ".py"}
    client = next(text for name, text in files.items() if name.endswith("client.py"))
    assert _unstable(files) == []
    wrapped = client.count(" = (\n    _runtime.Operation(\n")
    kept = len([call for call in calls if "_runtime.Operation(" in call])  # the long first lines black keeps
    # Wrapped up to a name of 84 characters (the name= line at 8 fits), the long first line kept past it.
    assert wrapped >= 5 and kept >= 5 and wrapped + kept + 5 < client.count("_runtime.Operation(\n")  # and ones that fit


def test_a_deprecated_operations_warning_is_written_as_black_writes_it(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """``_runtime.warn_deprecated("...")`` past the line length: its message on a line of its own (``py_element``),
    as black writes it, without black, however long the message (black cannot split it either)."""
    calls = _black_calls(monkeypatch)
    paths = [
        f"  /p{length}:\n    get:\n      operationId: {'d' * length}\n      deprecated: true\n"
        f"      parameters: [{{name: q, in: query, schema: {{type: string}}}}]\n"
        '      responses: {"200": {description: ok}}\n'
        for length in range(4, 90, 3)
    ]
    spec = tmp_path / "old.yaml"
    spec.write_text('openapi: 3.0.3\ninfo: {title: Old, version: "1"}\nservers: [{url: "https://example.com"}]\npaths:\n' + "".join(paths), "utf-8")
    result = generate(spec)
    assert result.ok, [d.render() for d in result.diagnostics]
    files = {str(path): text for path, text in result.files.items() if path.suffix == ".py"}
    client = next(text for name, text in files.items() if name.endswith("client.py"))
    assert _unstable(files) == []
    split = client.count("_runtime.warn_deprecated(\n")
    left = len([call for call in calls if "warn_deprecated" in call])
    whole = client.count('_runtime.warn_deprecated("')  # on one line
    too_long = [line for line in client.split("\n") if "is deprecated (" in line and not pyformat.fits(line)]
    assert whole > 5 and split > 10 and too_long and left == 0  # each layout is there; black sees none


@pytest.mark.parametrize("form", ["A | None", "A | B | None", "list[A] | None", "dict[str, A] | None", "list[A | None] | None", "A | _serde.Unset", 'Literal["a|b"] | None', "A"])
def test_a_long_field_with_a_default_is_laid_out_as_black_lays_it_out(form: str) -> None:
    """``py_field``: a field whose line is too long gets its default in parentheses while the line up to them
    fits, else its annotation in parentheses (one line, or an operand a line), as black writes them; anything
    else is left for black."""
    decided = 0
    for length in range(20, 110, 3):
        annotation = form.replace("A", "models." + "A" * length).replace("B", "models.B" + "b" * (length // 2))
        for name in ("status", "s" * (length // 3 + 1)):
            for default in ("None", "_serde.UNSET"):
                line = pyformat.field(name, annotation, default, 4)
                if line == f"{name}: {annotation} = {default}" and not pyformat.fits(line, 4):
                    continue  # left for black
                decided += 1
                source = "class C:\n    {}\n"
                expected = black.format_str(source.format(f"{name}: {annotation} = {default}"), mode=pyformat.black_mode())
                assert source.format(line.replace("\n", "\n    ")) == expected
    assert decided > (20 if form != "A" else 10)


@pytest.mark.parametrize("left", ["cls", "type(self)"])
def test_a_long_if_header_is_laid_out_as_black_lays_it_out(left: str) -> None:
    """``py_if``: ``if left is not Name:`` too long gets its condition in parentheses, split before ``is not``,
    as black writes it, a right side too long for its own line too."""
    decided = 0
    for length in range(60, 130):
        condition = f"{left} is not " + "N" * length
        for indent in (8, 12):
            header = pyformat.if_header(condition, indent)
            assert header == f"{' ' * indent}if {condition}:" or not pyformat.fits(f"{' ' * indent}if {condition}:")
            decided += "\n" in header
            # A right side too long for its line is no doubt: black cannot split it either.
            assert not any(pyformat._black_may_split(line, line.lstrip(), opening=False) for line in header.split("\n")[1:])
            outer = "class C:\n    def f(self):\n" if indent == 8 else "class C:\n    def f(self):\n        while True:\n"
            source = outer + "{}\n" + " " * (indent + 4) + "pass\n"
            expected = black.format_str(source.format(f"{' ' * indent}if {condition}:"), mode=pyformat.black_mode())
            assert source.format(header) == expected
    assert decided > 60


_PIECE = st.text(alphabet='ab "\\\t\n\x1b', max_size=14)


@given(_PIECE, _PIECE, _PIECE, _PIECE)
def test_marks_inside_a_docstring_are_inert(first: str, inner: str, last: str, tail: str) -> None:
    """Docstring text that starts or ends with a quote or a backslash is marked at that end; a mark on a line
    inside the docstring does not make its chunk doubtful (black changes nothing there), and the file
    formatted is what black makes of it (the marks on the first and last lines still send it to black)."""
    from connectorsmith import text

    source = (
        "class C:\n"
        f'    """{text.docstring(first or "x", 4)}\n\n'
        "    Attributes:\n"
        f"        a: {text.docstring(inner, 12)}\n"
        f"        b: {text.docstring(last, 12)} Default: 1.\n"
        f"        c: {text.docstring(tail, 12)}\n"
        '    """\n\n'
        "    a: int = 0\n"
    )
    formatted = pyformat.format_python(source)
    assert formatted == black.format_str(source.replace(pyformat.UNSURE, ""), mode=pyformat.black_mode())


@pytest.mark.parametrize("base", ["_serde.Model", "str, enum.Enum", "_serde.OpenStrEnum"])
def test_a_long_class_header_is_laid_out_as_black_lays_it_out(base: str) -> None:
    """``py_class``: ``class Name(Base):`` too long gets its base on a line of its own, as black writes it;
    anything else (several bases, a name too long for ``class Name(``) is left for black."""
    decided = 0
    for length in range(70, 110):
        name = "N" * length
        header = pyformat.class_header(name, base)
        if header == f"class {name}({base}):" and not pyformat.fits(header):
            continue  # left for black
        decided += 1
        source = "{}\n    pass\n"
        assert source.format(header) == black.format_str(source.format(f"class {name}({base}):"), mode=pyformat.black_mode())
    assert decided > (20 if "," not in base else 5)


@pytest.mark.parametrize("string", ['"{x}"', "'{x}'", '"a \\" {x}"', '"{x}" "b"', 'f"{x}"'])
def test_a_call_of_one_long_string_is_kept_where_black_keeps_it(string: str) -> None:
    """A call statement whose sole argument is a string too long for its own line is, split at its bracket,
    what black writes, and is kept without black; other shapes still go to black (and come out as it writes them)."""
    for length in range(70, 110, 3):
        for indent in (4, 8):
            pad = " " * indent
            argument = string.format(x="x" * length)
            statement = f"{pad}_runtime.warn_deprecated(\n{pad}    {argument}\n{pad})"
            outer = "def f():\n" if indent == 4 else "class C:\n    def f(self):\n"
            source = outer + f"{pad}_runtime.warn_deprecated({argument})\n"
            expected = black.format_str(source, mode=pyformat.black_mode())[len(outer) :].rstrip("\n")
            kept = pyformat._sole_long_string(statement.split("\n"))
            assert kept == (string == '"{x}"' and not pyformat.fits(argument, indent + 4))
            if kept:
                assert statement == expected
            assert pyformat._format_statement(statement.split("\n"), header=False, docstring=False) == expected


_SEND = """self._sender.send(
            _runtime.build_request(
                _LIST_X,
                {
                    "pretty": pretty,
                },
            ),
            _LIST_X,
            timeout=timeout,
            headers=headers,
        )"""


@pytest.mark.parametrize("form", ["models.{x}", "models.{x} | None", "models.{x} | models.Y{y} | None", "list[models.{x}]", "dict[str, models.{x}]"])
def test_a_long_result_annotation_is_laid_out_as_black_lays_it_out(form: str) -> None:
    """``py_result_head``: ``result: annotation = ...send(`` whose first line does not fit, nor with the value in
    parentheses: the annotation in parentheses (one line, or an operand a line), as black writes it; anything
    else is left for black."""
    decided = 0
    for length in range(30, 110, 2):
        annotation = form.format(x="X" * length, y="y" * (length // 2))
        for aw in ("", "await "):
            head = pyformat.result_head(annotation, aw + "self._sender.send(", 8)
            if head == f"result: {annotation} = ":
                continue  # on the line (the template's other branches, or left for black)
            decided += 1
            source = "class C:\n    def f(self):\n        {}\n        return result\n"
            expected = black.format_str(source.format(f"result: {annotation} = {aw}{_SEND}"), mode=pyformat.black_mode())
            assert source.format(head + aw + _SEND) == expected
    assert decided > (10 if form.startswith("models") else -1)
    if not form.startswith("models"):
        assert decided == 0


_STRAY = pyformat.UNSURE


@pytest.mark.parametrize(
    "source",
    [
        "X = (\n    'x\"\"\"y',\n    'a\\tb'" + _STRAY + ",\n)\n",  # three quotes inside a one-line string
        "#: a \"\"\" b\nY = 'a\\tb'" + _STRAY + "\n",  # in a comment
        "Z = f('q\"\"\"', \"#\")\nW = 'a\\tb'" + _STRAY + "\n" + "V = g(" + ", ".join(f"argument_{i}" for i in range(12)) + ")\n",
        'class A:\n    """Doc \\""" still inside."""\n\n    x: str = \'a\\tb\'' + _STRAY + "\n",  # an escaped quote inside a docstring
    ],
    ids=["in-a-string", "in-a-comment", "then-a-long-line", "escaped-in-a-docstring"],
)
def test_three_quotes_that_are_no_delimiter_do_not_open_a_string_to_the_scan(source: str) -> None:
    """Spec text printed as a literal or a comment may hold three quotes: the scan still sees code after
    them, so a mark or a long line there is still in doubt (found by a review: before, the lines after it
    were taken for a string's inside, and a mark there for an inert one)."""
    expected = black.format_str(source.replace(pyformat.UNSURE, ""), mode=pyformat.black_mode())
    assert pyformat.format_python(source) == expected


def test_a_spec_whose_names_hold_three_quotes_gets_black_stable_python(tmp_path: Path) -> None:
    spec = tmp_path / "tq.yaml"
    spec.write_text(
        'swagger: "2.0"\ninfo: {title: T, version: "1.0"}\nhost: api.example.invalid\n'
        "x-connector-throttling:\n  - {name: 'calls \"\"\" per connection', scope: connection, calls: 100, renewalPeriodSeconds: 60}\n"
        "paths:\n  /x:\n    get:\n      operationId: GetX\n      parameters:\n        - {name: \"a\\tb\", in: query, type: string}\n"
        '      responses:\n        "200": {description: ok, schema: {$ref: "#/definitions/Mod"}}\n'
        "definitions:\n  Mod:\n    type: object\n    properties:\n      'x\"\"\"y': {type: string}\n      \"a\\tb\": {type: string}\n",
        encoding="utf-8",
    )
    result = generate(spec, lenient=True)
    assert result.ok, [d.render() for d in result.diagnostics]
    files = {str(path): text for path, text in result.files.items() if path.suffix == ".py"}
    assert any("'x\"\"\"y'" in text or '"x\\"\\"\\"y"' in text or 'x"""y' in text for text in files.values())
    assert _unstable(files) == []


@pytest.mark.parametrize("head", ["return(", "assert(", "del(", "await(", "not("])
def test_a_keyword_with_a_bracket_is_no_call_of_one_long_string(head: str) -> None:
    """Black drops the brackets after ``return`` and the like: such a statement is no call black leaves as
    it is (found by a review)."""
    assert not pyformat._sole_long_string(["    " + head, '        "' + "a" * 100 + '"', "    )"])
    assert pyformat._sole_long_string(["    f(", '        "' + "a" * 100 + '"', "    )"])
