"""Python names from spec names: decided once, safe, and readable."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from connectorsmith.builder.build import naming
from hypothesis import given, settings
from hypothesis import strategies as st

from .conftest import CASES


@pytest.mark.parametrize(
    ("spec_name", "python"),
    [
        ("PostMessage", "post_message"),
        ("roomId", "room_id"),
        ("MD4-GET", "md4_get"),  # an acronym keeps its digits
        ("SHA1-GET", "sha1_get"),
        ("GetVO2MaxSummarybyDate", "get_vo2_max_summaryby_date"),
        ("GetV2Items", "get_v2_items"),
        ("HTTPServer", "http_server"),
        ("OAuth2Token", "o_auth2_token"),
        ("Base64Encode", "base64_encode"),
        ("+1", "plus_1"),  # GitHub's reactions: two names, not one
        ("-1", "minus_1"),
        ("from", "from_"),
        ("datetime", "datetime_"),  # models.py annotates with the datetime module
        ("2fa", "value_2fa"),
    ],
)
def test_snake_case(spec_name: str, python: str) -> None:
    assert naming.snake_case(spec_name) == python


def test_class_names_never_take_the_models_modules_own() -> None:
    assert [naming.class_name(n) for n in ("DecodeError", "TypeAlias", "List", "Pet")] == ["DecodeErrorModel", "TypeAliasModel", "ListModel", "Pet"]


# --------------------------------------------------------------------------- names that collide


@pytest.mark.parametrize(
    ("spec_name", "spelled"),
    [
        ("StartTime<", "StartTime lt"),
        ("StartTime<=", "StartTime lte"),
        ("StartTime>", "StartTime gt"),
        ("StartTime>=", "StartTime gte"),
        ("status!=", "status ne"),
        ("prefs/background", "prefs slash background"),
        ("prefs_background", "prefs background"),  # a separator between words is not spelled out
        ("user-id", "user id"),
        ("_metadata", "underscore metadata"),  # a leading underscore is
        ("__createdAt", "underscore createdAt"),  # ... one word for the run
        ("Response_", "Response underscore"),
        ("page.size", "page dot size"),
        ("ids[]", "ids list"),
        ("élément", "element"),
    ],
)
def test_spelled_writes_what_the_plain_spelling_drops(spec_name: str, spelled: str) -> None:
    assert naming.spelled(spec_name) == spelled


def _told(items: list[naming.Named], make: object = naming.field_name) -> list[tuple[str, str]]:
    assert callable(make)
    return [(t.python, t.rule) for t in naming.tell_apart(items, make)]


def test_comparison_suffixes_are_spelled_out() -> None:
    names = ["StartTime", "StartTime<", "StartTime>", "StartTime<=", "StartTime>="]
    assert _told([naming.Named(n, naming.field_name(n)) for n in names]) == [
        ("start_time", ""),
        ("start_time_lt", "spelled"),
        ("start_time_gt", "spelled"),
        ("start_time_lte", "spelled"),
        ("start_time_gte", "spelled"),
    ]


def test_bounds_alone_keep_their_meaning_too() -> None:
    """Two bounds without the plain name: both are spelled out, neither takes ``start_time``."""
    names = ["StartTime<", "StartTime>"]
    assert _told([naming.Named(n, naming.field_name(n)) for n in names]) == [("start_time_lt", "spelled"), ("start_time_gt", "spelled")]


def test_a_name_without_collision_is_never_changed() -> None:
    assert _told([naming.Named("StartTime<", "start_time"), naming.Named("EndTime", "end_time")]) == [("start_time", ""), ("end_time", "")]


@pytest.mark.parametrize("order", [(0, 1), (1, 0)])
def test_the_path_parameter_keeps_the_plain_name_in_any_order(order: tuple[int, int]) -> None:
    path = naming.Named("segment_id", "segment_id", "path", 0)
    query = naming.Named("segment_id", "segment_id", "query", 1)
    items = [(path, query)[i] for i in order]
    told = dict(zip((i.place for i in items), naming.tell_apart(items, naming.field_name)))
    assert (told["path"].python, told["path"].rule) == ("segment_id", "")
    assert (told["query"].python, told["query"].rule, told["query"].like) == ("query_segment_id", "place", "segment_id")


def test_properties_and_classes_spelled_apart() -> None:
    assert _told([naming.Named("prefs_background", "prefs_background"), naming.Named("prefs/background", "prefs_background")]) == [
        ("prefs_background", ""),
        ("prefs_slash_background", "spelled"),
    ]
    classes = [naming.Named(n, naming.class_name(n)) for n in ("_metadata", "metadata")]
    assert _told(classes, naming.class_name) == [("UnderscoreMetadata", "spelled"), ("Metadata", "")]


def test_only_names_nothing_tells_apart_are_numbered() -> None:
    assert _told([naming.Named("userId", "user_id"), naming.Named("user-id", "user_id"), naming.Named("user_id2", "user_id2")]) == [
        ("user_id", ""),
        ("user_id3", "numbered"),  # user_id2 is a name of the scope already: never taken from it
        ("user_id2", ""),
    ]


def test_a_spelled_name_never_takes_another_items_name() -> None:
    told = _told([naming.Named("a<", "a"), naming.Named("a", "a"), naming.Named("a_lt", "a_lt")])
    assert told == [("a_lt2", "numbered"), ("a", ""), ("a_lt", "")]  # numbered from the spelled name, which says more
    assert len({name for name, _ in told}) == 3


@pytest.mark.parametrize(
    ("method", "path", "python"),
    [
        ("get", "/users/{user_id}/tasks", "get_users_user_id_tasks"),
        ("post", "/responses?beta=true", "post_responses_beta_true"),
        ("delete", "/items#v2", "delete_items_v2"),
        ("get", "/", "get"),
    ],
)
def test_operation_names_read_from_method_and_path(method: str, path: str, python: str) -> None:
    assert naming.operation_name(method, path) == python


# --------------------------------------------------------------------------- the untidy_names case


def test_untidy_names_are_accepted_with_a_warning_each() -> None:
    """A valid document with names that collide in Python: generated in strict mode, each rename located."""
    from connectorsmith.pipeline import generate

    from .conftest import CASES

    result = generate(CASES / "untidy_names" / "untidy_names.yaml")
    assert result.ok
    found = [(d.location.line, d.severity.name, d.message) for d in sorted(result.diagnostics, key=lambda d: d.sort_key())]
    assert found == [
        (10, "WARNING", "GET /users/{user_id}/tasks has no operationId: its method is 'get_users_user_id_tasks', named from its method and path"),
        (21, "WARNING", "GET /users/{user_id}/notes has no operationId: its method is 'get_users_user_id_notes', named from its method and path"),
        (31, "WARNING", "GET /feed has no operationId: its method is 'get_feed', named from its method and path"),
        (39, "WARNING", "GET /projects has no operationId: its method is 'get_projects2', named from its method and path; 'get_projects' is another operation's, so it is numbered"),
        (56, "WARNING", "operationId 'get_user' is Python method 'get_user2': 'get_user' would also name operationId 'getUser'"),
        (66, "WARNING", "query parameter 'StartTime<' of listEvents is Python argument 'start_time_lt': 'start_time' would also name query parameter 'StartTime'"),
        (67, "WARNING", "query parameter 'StartTime>' of listEvents is Python argument 'start_time_gt': 'start_time' would also name query parameter 'StartTime'"),
        (68, "WARNING", "query parameter 'StartTime<=' of listEvents is Python argument 'start_time_lte': 'start_time' would also name query parameter 'StartTime'"),
        (69, "WARNING", "query parameter 'StartTime>=' of listEvents is Python argument 'start_time_gte': 'start_time' would also name query parameter 'StartTime'"),
        (70, "WARNING", "header parameter 'X-Trace' of listEvents is Python argument 'header_x_trace': 'x_trace' would also name query parameter 'x_trace'"),
        (78, "WARNING", "query parameter 'segment_id' of getSegment is Python argument 'query_segment_id': 'segment_id' would also name path parameter 'segment_id'"),
        (89, "WARNING", "path key '/responses?beta=true&mode=fast' has a query string: its operations request '/responses' and always send 'beta=true&mode=fast', which callers cannot change"),
        (94, "WARNING", "query parameter 'mode' of createBetaResponse is fixed by its path key '/responses?beta=true&mode=fast': it is always sent as 'fast', not an argument"),
        (154, "WARNING", "property 'prefs/background' of 'Prefs' is Python field 'prefs_slash_background': 'prefs_background' would also name property 'prefs_background'"),
        (156, "WARNING", "property 'foo_bar' of 'Prefs' is Python field 'foo_bar2': 'foo_bar' would also name property 'fooBar'"),
        (161, "WARNING", "definition '_metadata' is Python class 'UnderscoreMetadata': 'Metadata' would also name definition 'metadata'"),
        (169, "WARNING", "definition 'UserList' is Python class 'UserList2': 'UserList' would also name definition 'user-list'"),
    ]
    assert all(d.hint for d in result.diagnostics)
    assert result.connector is not None
    derived = [(op.operation_id, op.python_name, op.anchor) for op in result.connector.operations if op.derived_id]
    assert derived == [
        ("get_users_user_id_tasks", "get_users_user_id_tasks", "op-get-users-user-id-tasks"),
        ("get_users_user_id_notes", "get_users_user_id_notes", "op-get-users-user-id-notes"),
        ("get_feed", "get_feed", "op-get-feed"),
        ("get_projects2", "get_projects2", "op-get-projects2"),
    ]


def test_untidy_names_power_platform_export_names_every_operation() -> None:
    """Power Platform needs an operationId: the derived one is written there; the 3.1 export keeps the document's."""
    import json

    from .conftest import CASES

    tree = CASES / "untidy_names" / "expected" / "untidy_names"
    definition = json.loads((tree / "powerplatform" / "apiDefinition.swagger.json").read_text("utf-8"))
    ids = {(path, method): op.get("operationId") for path, item in definition["paths"].items() for method, op in item.items()}
    assert ids[("/users/{user_id}/tasks", "get")] == "get_users_user_id_tasks"
    assert ids[("/projects", "get")] == "get_projects2"
    assert ids[("/responses?beta=true&mode=fast", "post")] == "createBetaResponse"  # the key as written
    openapi = json.loads((tree / "openapi.json").read_text("utf-8"))
    assert "operationId" not in openapi["paths"]["/users/{user_id}/tasks"]["get"]
    assert "/responses?beta=true&mode=fast" in openapi["paths"]


def _module_names(tree: ast.Module) -> set[str]:
    """Every name client.py binds at module level (imports in either branch of ``if TYPE_CHECKING``, assignments, defs)."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names |= {(alias.asname or alias.name).split(".")[0] for alias in node.names}
    for node in tree.body:
        # The statements of an ``if`` at module level bind module names too (not those of a class in it).
        for sub in [*node.body, *node.orelse] if isinstance(node, ast.If) else [node]:
            if isinstance(sub, (ast.FunctionDef, ast.ClassDef)):
                names.add(sub.name)
            elif isinstance(sub, (ast.Assign, ast.AnnAssign)):
                targets = sub.targets if isinstance(sub, ast.Assign) else [sub.target]
                names |= {t.id for t in targets if isinstance(t, ast.Name)}
    return names


def _clients() -> list[Path]:
    from .conftest import CASES, ROOT

    return sorted([*ROOT.glob("generated/*/python/*/client.py"), *CASES.glob("*/expected/*/python/*/client.py")])


@pytest.mark.parametrize("client", _clients(), ids=lambda p: p.parent.name)
def test_no_argument_shadows_a_name_its_method_body_uses(client: Path) -> None:
    """A parameter named ``models`` (or ``result``, ``self``...) would hide what the method's body means by it."""
    tree = ast.parse(client.read_text("utf-8"))
    module = _module_names(tree)
    clashes = []
    for cls in (n for n in tree.body if isinstance(n, ast.ClassDef)):
        for method in (n for n in cls.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))):
            args = method.args
            params = {a.arg for a in [*args.posonlyargs, *args.args, *args.kwonlyargs]} - {"self"}
            body = ast.Module(body=method.body, type_ignores=[])
            stored = {n.id for n in ast.walk(body) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
            loaded = {n.id for n in ast.walk(body) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
            clashes += [f"{method.name}({name})" for name in params & (stored | (module & loaded) | {"self"})]
    assert clashes == []


def test_untidy_names_search_reads_models_in_its_body() -> None:
    """The case the test above guards: a parameter ``models`` beside a body that reads ``models.``."""
    from .conftest import CASES

    source = (CASES / "untidy_names" / "expected" / "untidy_names" / "python" / "untidy_names" / "client.py").read_text("utf-8")
    assert "        models_: str,\n" in source
    assert "result: models.SearchResult = " in source


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.text(alphabet="aA_-<>=/. 1é$", min_size=0, max_size=6), st.sampled_from(["path", "query", "header", "body"])), max_size=8))
def test_tell_apart_always_gives_distinct_names(items: list[tuple[str, str]]) -> None:
    """Whatever the document's names, the scope's Python names are distinct, and none is a taken one."""
    places = ["path", "query", "header", "body"]
    named = [naming.Named(original, naming.field_name(original), place, places.index(place)) for original, place in items]
    taken = {"self", "data"}
    told = naming.tell_apart(named, naming.field_name, taken)
    names = [t.python for t in told]
    assert len(set(names)) == len(names)
    assert not set(names) & taken
    alone = [n for n in named if [m.python for m in named].count(n.python) == 1 and n.python not in taken]
    assert all(t.python == n.python and not t.rule for n, t in zip(named, told) if n in alone and alone.count(n) == 1)


@pytest.mark.parametrize(
    ("name", "package", "said"),
    [
        ("pets", None, None),
        ("pets", "pets_client", None),
        ("pets", "json", "package name 'json' cannot be imported"),
        ("pets", "Pets", "package name 'Pets' cannot be imported"),
        ("2fa", None, "connector name '2fa', which is not a valid package name"),
        ("class", None, "connector name 'class' would make a package that cannot be imported (a Python keyword)"),
        ("email", None, "would make a package that shadows the standard library's 'email' module"),
    ],
)
def test_package_names_are_checked_where_names_are_decided(name: str, package: str | None, said: str | None) -> None:
    from connectorsmith.builder.naming import package_problem

    problem = package_problem(name, package, ".yaml")
    assert (problem is None) == (said is None)
    if problem is not None and said is not None:
        assert said in problem[0] and problem[1]


def test_a_spec_named_like_a_keyword_is_an_error_at_the_file(tmp_path: Path) -> None:
    from connectorsmith.pipeline import generate

    spec = tmp_path / "class.yaml"
    spec.write_text((CASES / "openapi3" / "openapi3.yaml").read_text("utf-8"), "utf-8")
    result = generate(spec)
    assert not result.ok and result.files == {}
    [error] = [d.render() for d in result.diagnostics]
    assert error.startswith(f"{spec.as_posix()}:1:1: error: connector name 'class'") and "rename the spec file, e.g. class_api.yaml" in error
