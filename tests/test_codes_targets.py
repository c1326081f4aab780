"""Warning codes (shown, ignored, documented), fail-on breaking, and targets: through the command line."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import get_args

import pytest
from connectorsmith.diagnostics import CODES, Code
from connectorsmith.render.targets import NAMES

from .conftest import CASES, ROOT

PAGING = CASES / "paging" / "paging.yaml"  # one warning: looks-paged
PETS = CASES / "openapi3" / "openapi3.yaml"  # a plain OpenAPI document, no warnings
PPDEMO = CASES / "ppdemo" / "ppdemo"  # a Power Platform folder with warnings of four codes
ALL = ",".join(NAMES)


#: A folder with no [tool.connectorsmith] above it: runs there get each input's default targets (this
#: project's own pyproject.toml names targets for spec/).
NEUTRAL = Path(tempfile.mkdtemp(prefix="connectorsmith-neutral-"))


def _cli(*args: str, cwd: Path = NEUTRAL, cache: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "CONNECTORSMITH_CACHE_DIR": str(cache) if cache else "off"}
    return subprocess.run([sys.executable, "-m", "connectorsmith", *args], cwd=cwd, capture_output=True, text=True, check=False, env=env)


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# ------------------------------------------------------------------ codes


def test_the_registry_the_docs_and_the_code_agree() -> None:
    """Every code is described once and documented in docs/warnings.md with an example line; every code the
    generator makes a warning with (code="...") or prints itself (warning[...]) is registered."""
    assert list(get_args(Code)) == list(CODES)
    assert all(re.fullmatch(r"[a-z]+(-[a-z]+)*", code) and CODES[code] for code in CODES)
    page = (ROOT / "docs" / "warnings.md").read_text("utf-8")
    for code in CODES:
        assert f"\n## `{code}`\n" in page, f"docs/warnings.md does not document {code}"
        assert f"warning[{code}]" in page, f"docs/warnings.md shows no example of {code}"
    used: set[str] = set()
    for source in (ROOT / "generator").glob("*.py"):
        text = source.read_text("utf-8")
        used |= set(re.findall(r"""\bcode=["']([a-z-]+)["']""", text)) | set(re.findall(r"connectorsmith: (?:warning|error)\[([a-z-]+)\]", text))
    assert used and used <= set(CODES), used - set(CODES)


def test_every_warning_of_the_goldens_carries_a_registered_code() -> None:
    lines = [line for golden in CASES.glob("*/expected.stderr") for line in golden.read_text("utf-8").splitlines()]
    warnings = [line for line in lines if re.search(r":\d+:\d+: warning", line)]
    assert warnings
    for line in warnings:
        found = re.search(r":\d+:\d+: warning\[([a-z-]+)\]: ", line)
        assert found and found[1] in CODES, line


def test_a_warning_shows_its_code_and_ignore_silences_it(tmp_path: Path) -> None:
    plain = _cli("generate", str(PAGING), "--out", "out", cwd=tmp_path)
    assert plain.returncode == 0, plain.stderr
    assert re.search(r"paging\.yaml:\d+:\d+: warning\[looks-paged\]: listTags looks paged", plain.stderr)
    assert "paging: 14 files changed, 0 unchanged, 1 warning\n" in plain.stdout
    quiet = _cli("generate", str(PAGING), "--out", "out2", "--ignore", "looks-paged", cwd=tmp_path)
    assert quiet.returncode == 0 and quiet.stderr == ""
    assert "paging: 14 files changed, 0 unchanged, 0 warnings\n" in quiet.stdout
    validated = _cli("validate", str(PAGING), "--ignore", "looks-paged", cwd=tmp_path)
    assert validated.returncode == 0 and validated.stderr == ""
    # --strict makes every warning an error, but not an ignored one.
    assert _cli("validate", str(PAGING), "--strict", cwd=tmp_path).returncode == 1
    strict = _cli("generate", str(PAGING), "--out", "out3", "--strict", "--ignore", "looks-paged", cwd=tmp_path)
    assert strict.returncode == 0 and (tmp_path / "out3" / "paging").is_dir()


def test_ignore_is_repeatable_and_comma_separated(tmp_path: Path) -> None:
    shown = _cli("validate", str(PPDEMO), cwd=tmp_path)
    codes = set(re.findall(r": warning\[([a-z-]+)\]: ", shown.stderr))
    assert shown.returncode == 0 and codes == {"left-out", "lenient-read", "renamed", "spec-violation"}
    some = _cli("validate", str(PPDEMO), "--ignore", "left-out,lenient-read", "--ignore", "renamed", cwd=tmp_path)
    assert some.returncode == 0 and set(re.findall(r": warning\[([a-z-]+)\]: ", some.stderr)) == {"spec-violation"}


def test_an_unknown_code_is_a_usage_error_listing_the_codes(tmp_path: Path) -> None:
    for command in (["validate", str(PAGING)], ["generate", str(PAGING), "--out", "out"], ["generate", str(PAGING), "--out", "out", "--check"]):
        run = _cli(*command, "--ignore", "looks-paged,looks-pagd", cwd=tmp_path)
        assert run.returncode == 2
        assert "unknown warning code 'looks-pagd'" in run.stderr and all(code in run.stderr for code in CODES)
    assert not (tmp_path / "out").exists()


def _project(tmp_path: Path, table: str, spec: Path = PAGING) -> Path:
    (tmp_path / "spec").mkdir(exist_ok=True)
    shutil.copy(spec, tmp_path / "spec" / spec.name)
    (tmp_path / "pyproject.toml").write_text(f"[tool.connectorsmith]\n{table}", "utf-8")
    return tmp_path


def test_ignore_in_the_configuration(tmp_path: Path) -> None:
    project = _project(tmp_path, 'ignore = ["looks-paged"]\nstrict = true\n')
    run = _cli("generate", cwd=project)
    assert run.returncode == 0 and run.stderr == "", run.stderr
    assert "paging: 14 files changed, 0 unchanged, 0 warnings" in run.stdout
    (project / "pyproject.toml").write_text('[tool.connectorsmith]\nignore = ["looks-paged", "nope"]\n', "utf-8")
    bad = _cli("validate", cwd=project)
    assert bad.returncode == 2
    assert "pyproject.toml:2:1: [tool.connectorsmith] ignore: unknown 'nope' (known: " in bad.stderr and "export-loss" in bad.stderr


def test_an_ignored_warning_is_shown_again_by_a_run_that_does_not_ignore_it(tmp_path: Path) -> None:
    """The cache of a current output keeps every warning, whatever the run that wrote it ignored."""
    cache = tmp_path / "cache"
    assert _cli("generate", str(PAGING), "--out", "out", "--ignore", "looks-paged", cwd=tmp_path, cache=cache).stderr == ""
    again = _cli("generate", str(PAGING), "--out", "out", cwd=tmp_path, cache=cache)
    assert "paging: 0 files changed, 14 unchanged, 1 warning" in again.stdout and "warning[looks-paged]" in again.stderr


# ------------------------------------------------------------------ fail-on breaking


def _broken_pets(tmp_path: Path) -> tuple[Path, Path]:
    spec, out = tmp_path / "spec" / "pets.yaml", tmp_path / "out"
    spec.parent.mkdir()
    spec.write_text(PETS.read_text("utf-8"), "utf-8")
    assert _cli("generate", str(spec), "--out", str(out)).returncode == 0
    spec.write_text(PETS.read_text("utf-8").replace("operationId: listPets", "operationId: listAllPets"), "utf-8")
    return spec, out


def test_fail_on_breaking_exits_1_and_writes_nothing(tmp_path: Path) -> None:
    spec, out = _broken_pets(tmp_path)
    before = _files(out)
    for extra in ([], ["--check"]):
        run = _cli("generate", str(spec), "--out", str(out), "--fail-on-breaking", *extra)
        assert run.returncode == 1, run.stderr
        assert "connectorsmith: error[breaking-change]: breaking change for code that uses the package: pets: method OpenThreeClient.list_pets removed" in run.stderr
        assert "warning[breaking-change]" not in run.stderr and "nothing written" in run.stderr
        assert _files(out) == before
    # ignore does not silence an error
    assert _cli("generate", str(spec), "--out", str(out), "--fail-on-breaking", "--ignore", "breaking-change").returncode == 1
    assert _files(out) == before
    # without it a breaking change is a warning, which ignore silences; the run writes
    run = _cli("generate", str(spec), "--out", str(out), "--ignore", "breaking-change")
    assert run.returncode == 0 and "breaking change" not in run.stderr and _files(out) != before


def test_fail_on_breaking_in_the_configuration(tmp_path: Path) -> None:
    _, out = _broken_pets(tmp_path)
    before = _files(out)
    (tmp_path / "pyproject.toml").write_text('[tool.connectorsmith]\nfail-on = ["breaking"]\n', "utf-8")
    for extra in ([], ["--check"]):
        run = _cli("generate", "spec/pets.yaml", "--out", "out", *extra, cwd=tmp_path)
        assert run.returncode == 1 and "error[breaking-change]" in run.stderr, run.stderr
    assert _files(out) == before
    (tmp_path / "pyproject.toml").write_text('[tool.connectorsmith]\nfail-on = ["warnings"]\n', "utf-8")
    bad = _cli("generate", "spec/pets.yaml", "--out", "out", cwd=tmp_path)
    assert bad.returncode == 2 and "fail-on: unknown 'warnings' (known: breaking)" in bad.stderr


# ------------------------------------------------------------------ targets


def _outputs(out: Path, name: str) -> set[str]:
    return {p for p in _files(out / name) if not p.startswith(".connectorsmith")}


def test_targets_choose_the_outputs_and_a_dropped_target_is_removed(tmp_path: Path) -> None:
    out = tmp_path / "out"
    python = _cli("generate", str(PAGING), "--out", str(out), "--targets", "python")
    assert python.returncode == 0, python.stderr
    made = _outputs(out, "paging")
    assert made and all(p.startswith("python/") for p in made)
    assert "paging: 10 files changed, 0 unchanged, 1 warning" in python.stdout  # 9 and the manifest
    every = _cli("generate", str(PAGING), "--out", str(out), "--targets", ALL)
    assert every.returncode == 0, every.stderr
    server = {f"mcp/{f}" for f in ("pyproject.toml", "README.md")} | {f"mcp/paging_mcp/{f}" for f in ("__init__.py", "__main__.py", "_runtime.py", "py.typed", "server.py", "tools.json", "tools.py")}
    assert _outputs(out, "paging") == made | {"docs/paging.md", "openapi.json", "powerplatform/apiDefinition.swagger.json", "powerplatform/apiProperties.json"} | server
    # Files the generator did not write stay, even in a folder of a target no longer made.
    (out / "paging" / "powerplatform" / "notes.txt").write_text("mine\n", "utf-8")
    (out / "paging" / "mine.md").write_text("mine\n", "utf-8")
    fewer = _cli("generate", str(PAGING), "--out", str(out), "--targets", "python,docs", "-v")
    assert fewer.returncode == 0, fewer.stderr
    assert f"  removed {out.as_posix()}/paging/openapi.json" in fewer.stdout
    assert f"warning[target-dropped]: {out.as_posix()}/paging/openapi.json: 1 file removed: the openapi target is not among this run's targets" in fewer.stderr
    assert f"warning[target-dropped]: {out.as_posix()}/paging/powerplatform: 2 files removed: the powerplatform target" in fewer.stderr
    assert f"warning[target-dropped]: {out.as_posix()}/paging/mcp: 9 files removed: the mcp target" in fewer.stderr
    assert _outputs(out, "paging") == made | {"docs/paging.md", "powerplatform/notes.txt", "mine.md"}
    assert _cli("generate", str(PAGING), "--out", str(out), "--targets", "python,docs", "--check").returncode == 0
    assert _cli("generate", str(PAGING), "--out", str(out), "--check").returncode == 1  # the default (all four, x-connector-*) is not what is there


def test_dropping_the_python_target_is_a_breaking_change_and_hand_edits_are_named_before_removal(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert _cli("generate", str(PAGING), "--out", str(out), "--targets", ALL).returncode == 0
    client = out / "paging" / "python" / "paging" / "client.py"
    client.write_text(client.read_text("utf-8") + "# mine\n", "utf-8")
    refused = _cli("generate", str(PAGING), "--out", str(out), "--targets", "docs", "--fail-on-breaking")
    assert refused.returncode == 1, refused.stderr
    assert "error[breaking-change]" in refused.stderr and "paging: the Python package is removed (this run does not make it)" in refused.stderr
    assert client.read_text("utf-8").endswith("# mine\n")  # nothing written, nothing removed
    docs_only = _cli("generate", str(PAGING), "--out", str(out), "--targets", "docs")
    assert docs_only.returncode == 0, docs_only.stderr
    assert "warning[breaking-change]: breaking change for code that uses the package: paging: the Python package is removed" in docs_only.stderr
    assert f"warning[edited-by-hand]: {client.as_posix()} was edited by hand; this run removes it" in docs_only.stderr
    assert f"warning[target-dropped]: {out.as_posix()}/paging/python: " in docs_only.stderr
    assert not client.exists() and (out / "paging" / "docs" / "paging.md").is_file()
    quiet = _cli("generate", str(PAGING), "--out", str(out), "--targets", "docs")
    assert "target-dropped" not in quiet.stderr and "breaking-change" not in quiet.stderr  # said once, when it happened


def test_default_targets_suit_the_input(tmp_path: Path) -> None:
    out = tmp_path / "out"
    hipchat = ROOT / "spec" / "hipchat.yaml"  # x-connector-* keys
    run = _cli("generate", str(PETS), str(PPDEMO), str(hipchat), "--out", str(out))
    assert run.returncode == 0, run.stderr
    assert "powerplatform/apiDefinition.swagger.json" not in _outputs(out, "openapi3")  # a plain document
    assert {"python/openapi3/client.py", "docs/openapi3.md", "openapi.json"} <= _outputs(out, "openapi3")
    for name in ("ppdemo", "hipchat"):  # a Power Platform folder; a document with x-connector-* keys
        assert {"python/pyproject.toml", f"docs/{name}.md", "openapi.json", "powerplatform/apiDefinition.swagger.json", "powerplatform/apiProperties.json"} <= _outputs(out, name)


def test_names_and_examples_that_start_with_x_ms_are_no_power_platform_notion() -> None:
    from connectorsmith.render.targets import uses_power_platform

    plain = {
        "paths": {"/a": {"get": {"responses": {"200": {"description": "ok", "headers": {"x-ms-request-id": {"schema": {"type": "string"}}}}}}}},
        "components": {"schemas": {"x-ms-thing": {"type": "object", "properties": {"x-ms-id": {"type": "string"}}, "example": {"x-ms-id": "1"}}}},
    }
    assert not uses_power_platform(plain)
    assert uses_power_platform({**plain, "paths": {"/a": {"get": {"x-ms-visibility": "internal"}}}})
    assert uses_power_platform({"components": {"schemas": {"A": {"type": "object", "x-ms-summary": "A"}}}})  # a schema's own extension


def test_a_plain_document_gets_no_export_loss_warnings_unless_it_asks_for_the_powerplatform_target(tmp_path: Path) -> None:
    spec = tmp_path / "union.yaml"
    spec.write_text(
        "openapi: 3.1.0\ninfo: {title: U, version: '1'}\npaths:\n  /u:\n    get:\n      operationId: getU\n      responses:\n"
        "        '200':\n          description: ok\n          content:\n            application/json:\n"
        "              schema: {oneOf: [{type: string}, {type: integer}]}\n",
        "utf-8",
    )
    assert _cli("validate", str(spec)).stderr == ""
    asked = _cli("validate", str(spec), "--targets", ALL)
    assert asked.returncode == 0 and "warning[export-loss]" in asked.stderr
    assert _cli("validate", str(spec), "--targets", ALL, "--ignore", "export-loss").stderr == ""


def test_targets_in_the_configuration_and_unknown_targets(tmp_path: Path) -> None:
    project = _project(tmp_path, 'targets = ["docs"]\n')
    run = _cli("generate", cwd=project)
    assert run.returncode == 0, run.stderr
    assert _outputs(project / "generated", "paging") == {"docs/paging.md"}
    assert _cli("generate", "--targets", "openapi", cwd=project).returncode == 0  # the command line overrides it
    assert _outputs(project / "generated", "paging") == {"openapi.json"}
    bad = _cli("generate", "--targets", "python,java", cwd=project)
    assert bad.returncode == 2 and "unknown target 'java' (known: python, docs, powerplatform, openapi, mcp)" in bad.stderr
    (project / "pyproject.toml").write_text('[tool.connectorsmith]\ntargets = ["python", "java"]\n', "utf-8")
    configured = _cli("validate", cwd=project)
    assert configured.returncode == 2 and "targets: unknown 'java' (known: python, docs, powerplatform, openapi, mcp)" in configured.stderr


@pytest.mark.parametrize("value", ["", ","])
def test_targets_must_name_one(tmp_path: Path, value: str) -> None:
    run = _cli("validate", str(PAGING), "--targets", value, cwd=tmp_path)
    assert run.returncode == 2 and "no target named (known: python, docs, powerplatform, openapi, mcp)" in run.stderr
