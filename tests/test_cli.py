"""The command line: exit codes, --check, usage errors (run as a real subprocess once, too)."""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import NoReturn

import pytest
from connectorsmith.cli.main import main

from .conftest import CASES, ROOT


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["frobnicate"])
    assert exc.value.code == 2
    assert main(["validate", "no/such/spec.yaml"]) == 2
    assert "no such spec file" in capsys.readouterr().err


def test_version_short_and_long() -> None:
    for flag in ("-V", "--version"):
        run = subprocess.run([sys.executable, "-m", "connectorsmith", flag], cwd=ROOT, capture_output=True, text=True, check=False)
        assert run.returncode == 0 and run.stdout.startswith("connectorsmith "), run.stderr


def test_validate_ok(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "spec/hipchat.yaml"]) == 0
    assert "spec/hipchat.yaml: ok (7 operations)" in capsys.readouterr().out


def test_check_reports_stale_output_with_a_diff(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "gen"
    assert main(["generate", "--out", str(out)]) == 0
    doc = out / "hipchat" / "docs" / "hipchat.md"
    doc.write_text(doc.read_text("utf-8").replace("# HipChat (Preview)", "# Edited by hand"), "utf-8")
    (out / "hipchat" / "python" / "hipchat" / "models.py").unlink()
    capsys.readouterr()
    before = doc.read_text("utf-8")
    assert main(["generate", "--out", str(out), "--check"]) == 1
    captured = capsys.readouterr()
    assert "-# Edited by hand" in captured.out and "+# HipChat (Preview)" in captured.out
    assert "+++ b/hipchat/python/hipchat/models.py" in captured.out
    assert "is stale" in captured.err
    assert doc.read_text("utf-8") == before, "--check writes nothing"
    assert main(["generate", "--out", str(out)]) == 0
    assert main(["generate", "--out", str(out), "--check"]) == 0


def test_console_entry_point_runs_as_a_process(tmp_path: Path) -> None:
    spec_dir = tmp_path / "spec"
    spec_dir.mkdir()
    shutil.copy(ROOT / "spec" / "hipchat.yaml", spec_dir)
    run = subprocess.run(
        [sys.executable, "-m", "connectorsmith", "generate"], cwd=tmp_path, capture_output=True, text=True, check=False,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "generated" / "hipchat" / "docs" / "hipchat.md").is_file()
    bad = subprocess.run(
        [sys.executable, "-m", "connectorsmith", "validate", str(ROOT / "tests/cases/refs/refs.yaml")],
        capture_output=True, text=True, check=False, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )
    assert bad.returncode == 1 and "error: $ref" in bad.stderr


def _cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "connectorsmith", *args], cwd=cwd, capture_output=True, text=True, check=False)


def test_a_line_per_spec_files_with_v_and_hand_edits_named(tmp_path: Path) -> None:
    specs = [str(CASES / "openapi3" / "openapi3.yaml"), str(CASES / "types31" / "types31.yaml")]
    first = _cli("generate", *specs, "--out", str(tmp_path), "-v", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    configuration, *lines = first.stdout.splitlines()
    assert configuration.startswith("configuration: none (no [tool.connectorsmith]")  # a folder outside the project
    assert lines[0] == "openapi3: 12 files changed, 0 unchanged, 0 warnings"  # a plain document: no Power Platform pair
    assert f"  wrote   {tmp_path}/openapi3/python/openapi3/client.py" in lines
    assert "types31: 12 files changed, 0 unchanged, 1 warning" in lines
    edited = tmp_path / "openapi3" / "docs" / "openapi3.md"
    edited.write_text(edited.read_text("utf-8") + "my note\n", "utf-8")
    check = _cli("generate", *specs, "--out", str(tmp_path), "--check", cwd=tmp_path)
    assert check.returncode == 1 and f"{edited} was edited by hand; this run would replace it" in check.stderr
    again = _cli("generate", *specs, "--out", str(tmp_path), cwd=tmp_path)
    assert again.returncode == 0 and f"{edited} was edited by hand; this run replaces it" in again.stderr
    assert again.stdout.splitlines()[0] == "openapi3: 1 file changed, 11 unchanged, 0 warnings"
    assert "my note" not in edited.read_text("utf-8")
    quiet = _cli("generate", *specs, "--out", str(tmp_path), cwd=tmp_path)
    assert "edited by hand" not in quiet.stderr and quiet.stdout.endswith(f"{tmp_path}: 0 files changed, 24 unchanged\n")


def test_a_regeneration_that_breaks_callers_says_what_it_breaks(tmp_path: Path) -> None:
    spec = tmp_path / "pets.yaml"
    original = (ROOT / "tests" / "cases" / "openapi3" / "openapi3.yaml").read_text("utf-8")
    spec.write_text(original, "utf-8")
    out = tmp_path / "out"
    assert _cli("generate", str(spec), "--out", str(out)).returncode == 0
    changed = original.replace("operationId: listPets", "operationId: listAllPets").replace("schema: {type: integer, format: int32}", "schema: {type: string}")
    changed = changed.replace("        id: {type: integer, format: int64}", "        id: {type: string}")
    assert changed.count("listAllPets") == 1 and "id: {type: string}" in changed
    spec.write_text(changed, "utf-8")
    check = _cli("generate", str(spec), "--out", str(out), "--check")
    assert check.returncode == 1
    warned = [line for line in check.stderr.splitlines() if "breaking change" in line]
    prefix = "connectorsmith: warning[breaking-change]: breaking change for code that uses the package: pets: "
    assert warned == [
        prefix + "field models.Pet.id changed: int (required) -> str (required)",
        prefix + "method OpenThreeClient.list_pets removed (list_all_pets has its method and path, GET /pets: renamed?)",
    ]  # list_all_pets is new: an addition breaks nobody
    again = _cli("generate", str(spec), "--out", str(out))
    assert again.returncode == 0 and "method OpenThreeClient.list_pets removed" in again.stderr
    assert "breaking change" not in _cli("generate", str(spec), "--out", str(out)).stderr  # said once, then it is the new API


def _project(tmp_path: Path, table: str) -> Path:
    (tmp_path / "api").mkdir()
    shutil.copy(ROOT / "tests" / "cases" / "openapi3" / "openapi3.yaml", tmp_path / "api" / "pets.yaml")
    (tmp_path / "pyproject.toml").write_text(f'[project]\nname = "theirs"\n\n[tool.connectorsmith]\n{table}', "utf-8")
    return tmp_path


def test_configuration_in_the_users_pyproject(tmp_path: Path) -> None:
    project = _project(
        tmp_path,
        'specs = ["api"]\nout = "clients"\ntemplates = "overrides"\npackage-names = { pets = "pets_client" }\n',
    )
    (project / "overrides" / "python").mkdir(parents=True)
    (project / "overrides" / "python" / "README.md.j2").write_text("# {{ c.package }}: ours\n", "utf-8")
    run = _cli("generate", cwd=project)
    assert run.returncode == 0, run.stderr
    package = project / "clients" / "pets" / "python" / "pets_client"
    assert (package / "client.py").is_file() and (package / "__init__.py").is_file()
    assert (project / "clients" / "pets" / "python" / "README.md").read_text("utf-8") == "# pets_client: ours\n"
    elsewhere = _cli("generate", "--out", "other", "--package-name", "pets_api", "api/pets.yaml", cwd=project)
    assert elsewhere.returncode == 0, elsewhere.stderr  # the command line overrides the configuration
    assert (project / "other" / "pets" / "python" / "pets_api" / "client.py").is_file()


def test_unknown_configuration_keys_are_named(tmp_path: Path) -> None:
    project = _project(tmp_path, 'spec = "api"\noutput = "x"\n')
    run = _cli("generate", cwd=project)
    assert run.returncode == 2
    from connectorsmith.cli.config import KEYS

    assert f"connectorsmith: error: pyproject.toml:5:1: unknown keys in [tool.connectorsmith]: output, spec (known: {', '.join(KEYS)})" in run.stderr
    (project / "pyproject.toml").write_text('[tool.connectorsmith]\nspecs = ["api"]\nstrict = "yes"\n', "utf-8")
    assert "pyproject.toml:3:1: [tool.connectorsmith] strict must be true or false" in _cli("validate", cwd=project).stderr
    (project / "pyproject.toml").write_text('[tool.connectorsmith]\nspecs = ["api"\nout = "x"\n', "utf-8")
    broken = _cli("generate", cwd=project)
    assert broken.returncode == 2 and "connectorsmith: error: pyproject.toml:3:1: not valid TOML: " in broken.stderr, broken.stderr
    assert not (project / "generated").exists()


def test_validate_without_a_spec_takes_the_configured_specs_as_generate_does(tmp_path: Path) -> None:
    project = _project(tmp_path, 'specs = ["api"]\n')
    run = _cli("validate", cwd=project)
    assert run.returncode == 0, run.stderr
    assert run.stdout == "api/pets.yaml: ok (2 operations)\n"
    plain = tmp_path / "plain"
    (plain / "spec").mkdir(parents=True)
    (plain / ".git").mkdir()  # a repository of its own: tmp_path's configuration is not its
    shutil.copy(ROOT / "spec" / "hipchat.yaml", plain / "spec")
    run = _cli("validate", cwd=plain)  # no configuration: spec/, as generate
    assert run.returncode == 0 and run.stdout == "spec/hipchat.yaml: ok (7 operations)\n", run.stderr
    assert sorted(p.name for p in plain.iterdir()) == [".git", "spec"], "validate writes nothing"


def test_the_configuration_is_looked_up_in_parent_folders_up_to_the_repository_root(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.connectorsmith]\nout = "not-this-one"\n', "utf-8")  # beyond the repository
    project = tmp_path / "repo"
    project.mkdir()
    _project(project, 'specs = ["api"]\nout = "clients"\n')
    (project / ".git").mkdir()
    deep = project / "api" / "notes"
    deep.mkdir()
    (deep / "pyproject.toml").write_text('[project]\nname = "notes"\n', "utf-8")  # configures other tools: passed over
    run = _cli("generate", "-v", cwd=deep)
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[0] == "configuration: [tool.connectorsmith] of ../../pyproject.toml"
    assert "  wrote   ../../clients/pets/python/pets/client.py" in run.stdout.splitlines()
    assert (project / "clients" / "pets" / "python" / "pets" / "client.py").is_file()  # relative to the configuration
    assert not (deep / "clients").exists() and not (tmp_path / "not-this-one").exists()
    assert _cli("validate", "-v", cwd=deep).stdout == "configuration: [tool.connectorsmith] of ../../pyproject.toml\n../../api/pets.yaml: ok (2 operations)\n"
    (project / "pyproject.toml").write_text('[project]\nname = "theirs"\n', "utf-8")  # no table up to the root
    (project / "spec").mkdir()
    shutil.copy(ROOT / "spec" / "hipchat.yaml", project / "spec")
    run = _cli("validate", "-v", "../../spec/hipchat.yaml", cwd=deep)
    assert run.stdout.startswith("configuration: none ("), run.stdout
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    run = _cli("generate", "-v", cwd=outside)  # no repository around: up to the filesystem's root, so tmp_path's
    assert run.stdout.startswith("configuration: [tool.connectorsmith] of ../pyproject.toml"), run.stdout
    assert run.returncode == 2 and "no ../spec/ folder" in run.stderr


def test_a_broken_template_override_is_a_diagnostic_with_its_line(tmp_path: Path) -> None:
    project = _project(tmp_path, 'specs = ["api"]\ntemplates = "overrides"\n')
    (project / "overrides" / "docs").mkdir(parents=True)
    (project / "overrides" / "docs" / "connector.md.j2").write_text("# {{ c.title }}\n\n{{ c.no_such_field }}\n", "utf-8")
    run = _cli("generate", "--out", "out", cwd=project)
    assert run.returncode == 1 and not (project / "out").exists()
    assert "overrides/docs/connector.md.j2:3:1: error: template error: " in run.stderr and "no_such_field" in run.stderr
    (project / "overrides" / "docs" / "connector.md.j2").write_text("{% for x in %}\n", "utf-8")
    run = _cli("generate", "--out", "out", cwd=project)
    assert run.returncode == 1 and "overrides/docs/connector.md.j2:1:1: error: template syntax error" in run.stderr
    bad_name = _cli("generate", "--out", "out", "--package-name", "json", "api/pets.yaml", cwd=project)
    assert bad_name.returncode == 1 and "package name 'json' cannot be imported" in bad_name.stderr


def test_a_spec_whose_output_is_current_is_not_generated_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import connectorsmith.cli.main

    monkeypatch.setenv("CONNECTORSMITH_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)  # outside the project: the input's default targets
    spec = tmp_path / "svc.yaml"
    shutil.copy(ROOT / "tests" / "cases" / "types30" / "types30.yaml", spec)
    out = tmp_path / "out"
    assert main(["generate", str(spec), "--out", str(out), "-j", "1"]) == 0
    first = capsys.readouterr()
    assert "warning" in first.err

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("generated again")

    monkeypatch.setattr(connectorsmith.cli.main, "generate", refuse)
    assert main(["generate", str(spec), "--out", str(out), "-j", "1"]) == 0
    again = capsys.readouterr()
    assert again.err == first.err  # the same warnings, said again
    assert "svc: 0 files changed, 12 unchanged" in again.out
    assert main(["generate", str(spec), "--out", str(out), "-j", "1", "--check"]) == 0
    assert f"{out}: up to date" in capsys.readouterr().out
    monkeypatch.undo()
    monkeypatch.setenv("CONNECTORSMITH_CACHE_DIR", str(tmp_path / "cache"))

    # Anything the output depends on, changed, means generate: a hand edit, the spec, a deleted file.
    for change in (
        lambda: (out / "svc" / "openapi.json").write_text("{}\n", "utf-8"),
        lambda: spec.write_text(spec.read_text("utf-8").replace("title: Types Thirty", "title: Types Thirty-One"), "utf-8"),
        lambda: (out / "svc" / "python" / "svc" / "models.py").unlink(),
    ):
        change()
        assert main(["generate", str(spec), "--out", str(out), "-j", "1"]) == 0
        assert "svc: 0 files changed" not in capsys.readouterr().out


def test_several_specs_are_generated_in_worker_processes_with_the_same_output(tmp_path: Path) -> None:
    specs = [str(ROOT / "tests" / "cases" / name / f"{name}.yaml") for name in ("types20", "openapi3", "keywords")]
    env_cache = {"CONNECTORSMITH_CACHE_DIR": "off"}
    serial = subprocess.run([sys.executable, "-m", "connectorsmith", "generate", *specs, "--out", str(tmp_path / "a"), "-j", "1"], cwd=ROOT, capture_output=True, text=True, check=False, env={**os.environ, **env_cache})
    parallel = subprocess.run([sys.executable, "-m", "connectorsmith", "generate", *specs, "--out", str(tmp_path / "b"), "-j", "3"], cwd=ROOT, capture_output=True, text=True, check=False, env={**os.environ, **env_cache})
    assert serial.returncode == parallel.returncode == 0, parallel.stderr
    assert serial.stdout.replace(str(tmp_path / "a"), "X") == parallel.stdout.replace(str(tmp_path / "b"), "X")
    assert serial.stderr == parallel.stderr
    files = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file())
    assert len(files) > 30
    assert all((tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes() for f in files)


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_generate_skips_the_run_when_nothing_changed_and_notices_any_change(tmp_path: Path) -> None:
    project = tmp_path / "project"
    for name in ("spec", "templates", "generator", "generated"):
        shutil.copytree(ROOT / name, project / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("Makefile", "pyproject.toml"):
        shutil.copy2(ROOT / name, project / name)  # keeps pyproject's time: the venv stays current

    def make() -> str:
        # -o: the venv is never remade here (a pyproject.toml newer than its stamp would reinstall the copy into it)
        args = ["make", "-s", "-o", str(ROOT / ".venv" / ".run-deps"), "generate", f"VENV={ROOT / '.venv'}", f"STAMPS={tmp_path}"]
        run = subprocess.run(args, cwd=project, capture_output=True, text=True, check=True)
        return run.stdout + run.stderr

    assert "hipchat: 0 files changed" in make()  # no stamp yet: connectorsmith runs
    assert "up to date: nothing changed" in make()  # nothing newer: connectorsmith is not started
    page = project / "generated" / "hipchat" / "docs" / "hipchat.md"
    page.write_text(page.read_text("utf-8") + "hand edit\n", "utf-8")
    assert "was edited by hand" in make()  # an edited output is noticed, and replaced
    assert page.read_text("utf-8") == (ROOT / "generated" / "hipchat" / "docs" / "hipchat.md").read_text("utf-8")
    assert "up to date" in make()
    (project / "generated" / "hipchat" / "openapi.json").unlink()
    assert "hipchat: 1 file changed" in make()  # a deleted output (its folder changed)
    spec = project / "spec" / "hipchat.yaml"
    spec.write_text(spec.read_text("utf-8").replace("Adds a member", "Adds one member"), "utf-8")
    assert "hipchat: 6 files changed" in make()  # a changed spec (docs, exports, client, the MCP server's listing, manifest)
    assert "up to date" in make()
    shutil.rmtree(project / "generated")
    assert "hipchat: 23 files changed" in make()  # the whole output folder gone (the MCP server's 9 included)
    assert "up to date" in make()


def test_watch_regenerates_on_each_change_and_survives_a_broken_spec(tmp_path: Path) -> None:
    import queue
    import signal
    import threading

    spec = tmp_path / "hipchat.yaml"
    shutil.copy(ROOT / "spec" / "hipchat.yaml", spec)
    out = tmp_path / "out"
    command = [sys.executable, "-m", "connectorsmith", "generate", str(spec), "--out", str(out), "--watch"]
    watcher = subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in watcher.stdout or ()], daemon=True).start()
    seen: list[str] = []

    def until(text: str) -> None:
        while not any(text in line for line in seen):
            try:
                seen.append(lines.get(timeout=60))
            except queue.Empty:
                raise AssertionError(f"no {text!r} within a minute: {seen}") from None

    try:
        until("watching for changes")
        assert any("hipchat: 14 files changed" in line for line in seen)
        seen.clear()
        original = spec.read_text("utf-8")
        spec.write_text(original.replace("Adds a member", "Adds one member"), "utf-8")
        until("hipchat: 5 files changed")  # the change, regenerated in the running process
        assert "Adds one member" in (out / "hipchat" / "docs" / "hipchat.md").read_text("utf-8")
        seen.clear()
        spec.write_text(original.replace("paths:", "paths: [", 1), "utf-8")
        until("nothing written")  # a broken spec: said, nothing written, and the watch goes on
        assert "Adds one member" in (out / "hipchat" / "docs" / "hipchat.md").read_text("utf-8")
        seen.clear()
        spec.write_text(original, "utf-8")
        until("hipchat: 5 files changed")
    finally:
        watcher.send_signal(signal.SIGINT)  # Ctrl-C
        assert watcher.wait(timeout=30) == 0


def test_watch_and_check_do_not_go_together(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["generate", "--watch", "--check"]) == 2
    assert "--watch" in capsys.readouterr().err


def test_watch_passes_run_with_what_came_before_frozen_and_a_full_collection_every_few(monkeypatch: pytest.MonkeyPatch) -> None:
    import gc
    import itertools
    import signal

    from connectorsmith.cli import main as cli

    polls = itertools.chain([{"spec": (0, 0)}], itertools.chain.from_iterable([{"spec": (i, 0)}] * 2 for i in itertools.count(1)))  # each change seen twice: settled
    frozen: list[int] = []
    collections: list[int] = []

    def run(args: object, memory: object = None) -> int:
        frozen.append(gc.get_freeze_count())
        if len(frozen) == 1 + 2 * cli._FULL_COLLECTION:
            os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C: the watch stops after this pass
        return 0

    monkeypatch.setattr(cli, "_run", run)
    monkeypatch.setattr(cli, "_watched", lambda args: next(polls))
    monkeypatch.setattr("time.sleep", lambda seconds: None)
    monkeypatch.setattr(gc, "collect", lambda *a: collections.append(len(frozen)) or 0)
    gc.unfreeze()
    assert cli._watch(argparse.Namespace()) == 0
    passes = frozen[1:]  # after the first, cold run
    assert len(passes) == 2 * cli._FULL_COLLECTION and all(count > 0 for count in passes)
    assert gc.get_freeze_count() == 0  # unfrozen after each pass
    assert collections == [1 + cli._FULL_COLLECTION, 1 + 2 * cli._FULL_COLLECTION]


def _parsers(parser: argparse.ArgumentParser, path: str = "connectorsmith") -> list[tuple[str, argparse.ArgumentParser]]:
    found = [(path, parser)]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found += _parsers(sub, f"{path} {name}")
    return found


def test_every_command_and_option_has_help() -> None:
    from connectorsmith.cli.main import _parser

    parsers = _parsers(_parser())
    assert [path for path, _ in parsers] == [
        "connectorsmith", "connectorsmith generate", "connectorsmith validate", "connectorsmith templates", "connectorsmith templates export",
    ]
    missing = []
    for path, parser in parsers:
        if not parser.description:
            missing.append(f"{path}: no description")
        for action in parser._actions:
            if not action.help or action.help == argparse.SUPPRESS:
                missing.append(f"{path} {'/'.join(action.option_strings) or action.dest}: no help")
            if isinstance(action, argparse._SubParsersAction):
                described = {choice.dest for choice in action._choices_actions if choice.help}
                missing += [f"{path} {name}: no help in the list of commands" for name in action.choices if name not in described]
    assert missing == []
    for args in (["--help"], ["generate", "--help"], ["validate", "-h"], ["templates", "export", "--help"]):
        run = _cli(*args)
        assert run.returncode == 0 and "usage: connectorsmith" in run.stdout and run.stderr == "", args
    assert "Validate each spec and write its Python client" in _cli("generate", "--help").stdout


@pytest.mark.parametrize("jobs", ["0", "-2", "two"])
def test_jobs_must_be_one_or_more(tmp_path: Path, jobs: str) -> None:
    (tmp_path / "spec").mkdir()
    shutil.copy(ROOT / "spec" / "hipchat.yaml", tmp_path / "spec")
    for command in ("generate", "validate"):
        run = _cli(command, f"-j{jobs}" if jobs.startswith("-") else "-j", *([] if jobs.startswith("-") else [jobs]), cwd=tmp_path)
        assert run.returncode == 2 and run.stdout == "", run.stdout
        assert f"connectorsmith {command}: error: argument -j/--jobs: " in run.stderr
        assert "1 or more" in run.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["spec"]
    assert _cli("generate", "-j", "1", cwd=tmp_path).returncode == 0


def test_a_template_override_that_matches_no_template_is_an_error_naming_them(tmp_path: Path) -> None:
    project = _project(tmp_path, 'specs = ["api"]\ntemplates = "overrides"\n')
    (project / "overrides" / "python").mkdir(parents=True)
    (project / "overrides" / "python" / "clent.py.j2").write_text("{{ c.name }}\n", "utf-8")
    (project / "overrides" / "python" / ".clent.py.j2.swp").write_text("an editor's", "utf-8")  # hidden: not a template
    for command in ("generate", "validate"):
        run = _cli(command, cwd=project)
        assert run.returncode == 2 and run.stdout == ""
        assert run.stderr.startswith(
            "connectorsmith: error: 1 file in the templates folder overrides/ matches no built-in template, so it would be ignored:\n"
            "    overrides/python/clent.py.j2 (did you mean python/client.py.j2?)\n"
            "  an override has the path of the built-in template it replaces, relative to the folder: docs/connector.md.j2, mcp/README.md.j2, "
        ), run.stderr
        assert "python/client.py.j2, python/errors.py.j2" in run.stderr and "templates export DIR" in run.stderr
    assert not (project / "generated").exists()
    (project / "overrides" / "python" / "clent.py.j2").rename(project / "overrides" / "python" / "README.md.j2")
    assert _cli("generate", cwd=project).returncode == 0


def test_templates_export_writes_every_template_and_never_replaces_a_file(tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    run = _cli("templates", "export", str(folder))
    assert run.returncode == 0, run.stderr
    # templates/ and the run-time's modules (generator/runtime/), by the template path that overrides each
    sources = {p.relative_to(ROOT / "templates").as_posix(): p for p in (ROOT / "templates").rglob("*") if p.is_file()}
    sources |= {f"python/{name}.j2": ROOT / "generator" / "runtime" / name for name in ("_runtime.py", "_serde.py")}
    sources["mcp/_runtime.py.j2"] = ROOT / "generator" / "runtime" / "_mcp.py"
    builtin = sorted(sources)
    exported = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    assert exported == builtin and len(builtin) == 18
    assert all((folder / rel).read_bytes() == sources[rel].read_bytes() for rel in builtin)
    assert run.stdout.splitlines()[-2] == f"{folder}: 18 templates written"
    again = _cli("templates", "export", str(folder))  # identical copies: accepted, said so
    assert again.returncode == 0 and f"{folder}: 0 templates written, 18 identical templates already there" in again.stdout
    # exported unchanged, they generate exactly what the built-in templates do
    spec = ROOT / "tests" / "cases" / "openapi3" / "openapi3.yaml"
    assert _cli("generate", str(spec), "--out", str(tmp_path / "plain")).returncode == 0
    overridden = _cli("generate", str(spec), "--out", str(tmp_path / "overridden"), "--templates", str(folder))
    assert overridden.returncode == 0, overridden.stderr
    plain = {p.relative_to(tmp_path / "plain"): p.read_bytes() for p in (tmp_path / "plain").rglob("*") if p.is_file()}
    assert {p.relative_to(tmp_path / "overridden"): p.read_bytes() for p in (tmp_path / "overridden").rglob("*") if p.is_file()} == plain
    # the run-time's override is a template like any other: rendered through Jinja, then black
    runtime = folder / "python" / "_runtime.py.j2"
    runtime.write_text(runtime.read_text("utf-8").replace('REDACTED = "***"', "REDACTED = {{ '[hidden]' | py_str }}"), "utf-8")
    assert _cli("generate", str(spec), "--out", str(tmp_path / "changed"), "--templates", str(folder)).returncode == 0
    assert 'REDACTED = "[hidden]"\n' in (tmp_path / "changed" / "openapi3" / "python" / "openapi3" / "_runtime.py").read_text("utf-8")
    shutil.copy(ROOT / "generator" / "runtime" / "_runtime.py", runtime)
    # a folder holding anything else is refused whole
    (folder / "python" / "client.py.j2").write_text("{# mine #}\n", "utf-8")
    (folder / "python" / "models.py.j2").unlink()
    (folder / "notes.txt").write_text("mine", "utf-8")
    refused = _cli("templates", "export", str(folder))
    assert refused.returncode == 1 and refused.stdout == ""
    assert refused.stderr == (
        f"connectorsmith: error: refusing to export the templates into {folder}/: it holds files this export would not write as they are:\n"
        f"    {folder}/notes.txt (not a built-in template)\n"
        f"    {folder}/python/client.py.j2 (differs from the built-in template)\n"
        "  nothing was written; export into a new or empty folder (and compare your copies with it)\n"
    )
    assert (folder / "python" / "client.py.j2").read_text("utf-8") == "{# mine #}\n" and not (folder / "python" / "models.py.j2").exists()
    (tmp_path / "a-file").write_text("x", "utf-8")
    assert "it is a file, not a folder" in _cli("templates", "export", str(tmp_path / "a-file")).stderr
    assert _cli("templates").returncode == 2


def test_a_removed_method_is_given_a_successor_only_when_one_has_its_method_and_path(tmp_path: Path) -> None:
    spec = tmp_path / "pets.yaml"
    original = (ROOT / "tests" / "cases" / "openapi3" / "openapi3.yaml").read_text("utf-8")
    spec.write_text(original, "utf-8")
    out = tmp_path / "out"
    assert _cli("generate", str(spec), "--out", str(out)).returncode == 0
    moved = original.replace("  /pets:\n    get:\n      operationId: listPets", "  /animals:\n    get:\n      operationId: listAnimals")
    moved = moved.replace("    post:\n      operationId: createPet", "  /pets:\n    post:\n      operationId: createPet")
    assert moved.count("/animals") == 1 and moved.count("  /pets:\n") == 1
    spec.write_text(moved, "utf-8")
    check = _cli("generate", str(spec), "--out", str(out), "--check")
    warned = [line.rpartition(": pets: ")[2] for line in check.stderr.splitlines() if "breaking change" in line]
    assert warned == ["method OpenThreeClient.list_pets removed"]  # list_animals has another path: no guess


def test_the_earlier_configuration_table_is_an_error_that_says_the_new_name(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.connectorgen]\nout = "clients"\n', "utf-8")  # legacy-name
    run = _cli("generate", str(ROOT / "spec" / "hipchat.yaml"), cwd=tmp_path)
    assert run.returncode == 2, run.stderr
    assert "pyproject.toml:4:1: [tool.connectorgen] is the earlier name" in run.stderr and "[tool.connectorsmith]" in run.stderr  # legacy-name
    assert not (tmp_path / "clients").exists() and not (tmp_path / "generated").exists()


def test_fail_on_change_exits_1_when_a_file_was_written_and_0_when_none(tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = _cli("generate", "spec/hipchat.yaml", "--out", str(out), "--fail-on-change")
    assert first.returncode == 1 and "written or removed (--fail-on-change)" in first.stderr
    assert (out / "hipchat" / "python" / "hipchat" / "client.py").is_file()  # written all the same
    again = _cli("generate", "spec/hipchat.yaml", "--out", str(out), "--fail-on-change")
    assert again.returncode == 0, again.stderr



def test_the_command_lines_process_runs_with_the_batch_collector() -> None:
    """``python -m connectorsmith`` (and the console script, the same function) tunes the collector for
    the process before the command runs: COLLECTOR_THRESHOLDS, seen here at the process's exit."""
    from connectorsmith.cli import entry

    show = "import atexit, gc, runpy, sys; atexit.register(lambda: print(gc.get_threshold(), file=sys.stderr)); sys.argv = ['connectorsmith', 'validate', 'spec/hipchat.yaml']; runpy.run_module('connectorsmith', run_name='__main__')"
    run = subprocess.run([sys.executable, "-c", show], cwd=ROOT, capture_output=True, text=True, check=False)
    assert run.returncode == 0 and "ok (7 operations)" in run.stdout, run.stderr
    assert run.stderr.strip().splitlines()[-1] == str(entry.COLLECTOR_THRESHOLDS)
    from importlib.metadata import entry_points

    (script,) = entry_points(group="console_scripts", name="connectorsmith")
    assert script.load() is entry.main


def test_main_in_a_program_keeps_its_collector(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A program (or test) that calls ``main`` or ``pipeline.generate`` keeps its own thresholds; the
    process entry sets them before the command runs, then exits with the command's code."""
    import gc

    from connectorsmith.cli import entry
    from connectorsmith.cli import main as cli

    before = gc.get_threshold()
    assert before != entry.COLLECTOR_THRESHOLDS
    assert main(["generate", str(ROOT / "spec" / "hipchat.yaml"), "--out", str(tmp_path / "out"), "-j", "1"]) == 0
    assert gc.get_threshold() == before
    seen: list[tuple[int, ...]] = []

    def command() -> int:
        seen.append(gc.get_threshold())
        return 3

    def end(code: int) -> NoReturn:  # the process's end (entry.end), not this test process's
        raise SystemExit(code)

    monkeypatch.setattr(cli, "main", command)
    monkeypatch.setattr(entry, "end", end)
    try:
        with pytest.raises(SystemExit) as exc:
            entry.main()
        assert exc.value.code == 3 and seen == [entry.COLLECTOR_THRESHOLDS]
    finally:
        gc.set_threshold(*before)


def test_worker_processes_run_with_the_batch_collector(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Several specs go to worker processes (fresh interpreters, not started by the entry): each is
    started with the command's thresholds all the same."""
    import concurrent.futures
    import gc

    from connectorsmith.cli import entry

    initializers: list[object] = []
    real = concurrent.futures.ProcessPoolExecutor

    def pool(*args: object, **kwargs: object) -> concurrent.futures.ProcessPoolExecutor:
        initializers.append(kwargs.get("initializer"))
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", pool)
    specs = [str(ROOT / "spec" / "hipchat.yaml"), str(CASES / "calls" / "calls.yaml")]
    assert main(["generate", *specs, "--out", str(tmp_path / "out"), "-j", "2"]) == 0
    assert initializers == [entry.tune_collector]
    before = gc.get_threshold()
    try:
        entry.tune_collector()
        assert gc.get_threshold() == entry.COLLECTOR_THRESHOLDS
    finally:
        gc.set_threshold(*before)


def test_the_process_ends_with_the_commands_code_its_output_and_its_exit_functions(tmp_path: Path) -> None:
    """The command's process leaves without tearing its heap down (entry.end), yet as an ordinary exit
    would: the command's exit code, all of stdout and stderr through pipes, every atexit function run."""
    marker = tmp_path / "atexit-ran"
    start = f"import atexit, pathlib, runpy, sys; atexit.register(lambda: pathlib.Path({str(marker)!r}).write_text('yes')); runpy.run_module('connectorsmith', run_name='__main__')"
    out = tmp_path / "out"
    ok = subprocess.run([sys.executable, "-c", start, "generate", "spec/hipchat.yaml", "--out", str(out)], cwd=ROOT, capture_output=True, text=True, check=False)
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.startswith("hipchat: ") and ok.stdout.endswith(f"\n{out.as_posix()}: 23 files changed, 0 unchanged\n"), ok.stdout
    assert marker.read_text() == "yes" and (out / "hipchat" / "python" / "hipchat" / "client.py").is_file()
    marker.unlink()
    bad = tmp_path / "bad.yaml"
    bad.write_text("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {/a: {get: {responses: {'200': {description: ok}}}}}\nx: [\n", encoding="utf-8")
    failed = subprocess.run([sys.executable, "-c", start, "validate", str(bad)], cwd=ROOT, capture_output=True, text=True, check=False)
    assert failed.returncode == 1 and f"{bad.as_posix()}:" in failed.stderr and "error" in failed.stderr, failed.stderr
    assert marker.read_text() == "yes"


def test_the_process_ends_as_usual_under_a_profiler_or_beside_another_thread(tmp_path: Path) -> None:
    """A profiler or tracer (cProfile, coverage) writes its data as the interpreter ends, and another
    thread is waited for: then the process ends through the ordinary exit."""
    import threading

    from connectorsmith.cli import entry

    assert entry._may_end_fast()
    previous = sys.getprofile()
    sys.setprofile(lambda *_: None)
    try:
        assert not entry._may_end_fast()
        with pytest.raises(SystemExit) as exc:
            entry.end(3)
        assert exc.value.code == 3
    finally:
        sys.setprofile(previous)
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        assert not entry._may_end_fast()
    finally:
        release.set()
        other.join()
    profile = tmp_path / "run.prof"
    run = subprocess.run([sys.executable, "-m", "cProfile", "-o", str(profile), "-m", "connectorsmith", "validate", "spec/hipchat.yaml"], cwd=ROOT, capture_output=True, text=True, check=False)
    assert run.returncode == 0 and "ok (7 operations)" in run.stdout, run.stderr
    import pstats

    assert any("pipeline.py" in filename for filename, _, _ in pstats.Stats(str(profile)).stats)  # type: ignore[attr-defined]
