"""Generated code passes `mypy --strict` and ruff; so does connectorsmith itself."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import CASES, ROOT


def _generated_packages() -> list[Path]:
    roots = [ROOT / "generated"] + [p / "expected" for p in CASES.iterdir() if (p / "expected").is_dir()]
    # The client packages, and the MCP servers (which import their client: one run checks both).
    return sorted(init.parent for root in roots for pattern in ("*/python/*/__init__.py", "*/mcp/*/__init__.py") for init in root.glob(pattern))


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, check=False)


@pytest.mark.slow
def test_generated_code_passes_mypy_strict() -> None:
    packages = _generated_packages()
    assert len(packages) >= 11
    names = [p.name for p in packages]
    assert len(set(names)) == len(names), "one mypy run needs distinct package names"
    # One run for all: each package is its own top-level module, its root the folder above it (an MCP
    # server imports its client by name: the roots are the search path, and mypy must not take tests/'s
    # __init__.py for a package base).
    roots = os.pathsep.join(sorted({str(p.parent) for p in packages}))
    run = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--python-version", "3.11", "--explicit-package-bases", *map(str, packages)],
        cwd=ROOT, capture_output=True, text=True, check=False, env={**os.environ, "MYPYPATH": roots},
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert f"no issues found in {sum(len(list(p.glob('*.py'))) for p in packages)} source files" in run.stdout


@pytest.mark.slow
def test_generated_code_passes_ruff() -> None:
    run = _run("ruff", "check", "--no-cache", "--isolated", *map(str, _generated_packages()))
    assert run.returncode == 0, run.stdout + run.stderr


@pytest.mark.slow
def test_connectorsmith_passes_mypy_strict_and_ruff() -> None:
    run = _run("mypy")
    assert run.returncode == 0, run.stdout + run.stderr
    run = _run("ruff", "check", "--no-cache", "generator", "tests")
    assert run.returncode == 0, run.stdout + run.stderr


@pytest.mark.slow
def test_generated_project_installs_with_only_httpx(tmp_path: Path) -> None:
    """pip-install generated/hipchat/python into a fresh venv: it imports, and brings nothing but httpx."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", str(ROOT / "generated" / "hipchat" / "python")],
        capture_output=True, text=True, check=False,
    )
    assert install.returncode == 0, install.stdout + install.stderr
    code = "import hipchat, hipchat.client, hipchat.models, hipchat.errors; print(hipchat.HipChatClient.__name__)"
    run = subprocess.run([str(python), "-c", code], cwd=tmp_path, capture_output=True, text=True, check=False)
    assert run.returncode == 0 and run.stdout.strip() == "HipChatClient", run.stderr
    listed = subprocess.run([str(python), "-m", "pip", "list", "--format=freeze"], capture_output=True, text=True, check=True)
    installed = {line.split("==")[0].lower() for line in listed.stdout.split()}
    httpx_and_its_deps = {"hipchat", "httpx", "httpcore", "h11", "anyio", "idna", "certifi", "sniffio", "typing-extensions", "typing_extensions", "exceptiongroup"}
    assert installed - {"pip", "setuptools", "wheel"} <= httpx_and_its_deps, installed


@pytest.mark.slow
def test_a_client_whose_only_model_is_a_request_body_imports_models(tmp_path: Path) -> None:
    """client.py annotates ``body: models.Note``: the models import follows from that use too."""
    import json

    from connectorsmith.cli.main import main

    body = {"required": True, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Note"}}}}
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "Notes", "version": "1"},
        "paths": {"/notes": {"post": {"operationId": "createNote", "requestBody": body, "responses": {"204": {"description": "ok"}}}}},
        "components": {"schemas": {"Note": {"type": "object", "properties": {"text": {"type": "string"}}}}},
    }
    (tmp_path / "notes_only.json").write_text(json.dumps(spec), "utf-8")
    assert main(["generate", str(tmp_path / "notes_only.json"), "--out", str(tmp_path / "out")]) == 0
    package = tmp_path / "out" / "notes_only" / "python" / "notes_only"
    assert "body: models.Note" in (package / "client.py").read_text("utf-8")
    run = _run("mypy", "--strict", "--no-incremental", "--python-version", "3.11", str(package))
    assert run.returncode == 0, run.stdout + run.stderr


_FORM_USE = '''
import io
from multipart import File, UploadDeskClient, models

def use(client: UploadDeskClient, raw: bytes, handle: io.BufferedReader, many: list[bytes]) -> None:
    client.upload_photo(file=raw, caption="c")
    client.upload_photo(file=handle)
    client.upload_photo(file=io.BytesIO(b"x"))
    client.upload_photo(file=File(raw, filename="a.png", content_type="image/png"))
    client.upload_album(album="a", photos=many)
    client.upload_album(album="a", photos=[raw, File(handle)], meta=models.Meta(iso=1))
    client.search(q="x", ids=[1, 2], range_=models.SearchRange(from_=1))
'''


@pytest.mark.slow
def test_form_fields_type_check_as_uploads(tmp_path: Path) -> None:
    """A file field takes bytes, a binary file object or a File (an array of them any sequence); text is an error."""
    package = CASES / "multipart" / "expected" / "multipart" / "python"
    (tmp_path / "use_ok.py").write_text(_FORM_USE, "utf-8")
    (tmp_path / "use_bad.py").write_text(
        "from multipart import UploadDeskClient\n\n\ndef use(client: UploadDeskClient) -> None:\n"
        "    client.upload_photo(file='not bytes')\n    client.search(q='x', ids=['1'])\n",
        "utf-8",
    )
    env = {"MYPYPATH": str(package)}
    good = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--python-version", "3.11", str(tmp_path / "use_ok.py")],
        cwd=ROOT, capture_output=True, text=True, check=False, env={**os.environ, **env},
    )
    assert good.returncode == 0, good.stdout + good.stderr
    bad = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--python-version", "3.11", str(tmp_path / "use_bad.py")],
        cwd=ROOT, capture_output=True, text=True, check=False, env={**os.environ, **env},
    )
    assert bad.returncode == 1 and 'Argument "file" to "upload_photo"' in bad.stdout and 'List item 0 has incompatible type "str"' in bad.stdout, bad.stdout


def test_server_variables_are_typed_literals(tmp_path: Path) -> None:
    """mypy rejects a value the document does not list for an enum variable, and a server it does not name."""
    use = tmp_path / "use_servers.py"
    use.write_text(
        "from servers import ServersClient\n"
        'ServersClient(server="Production", region="us", version="v3", port="1")\n'
        'ServersClient(region="mars")\n'
        'ServersClient(server="Staging")\n',
        "utf-8",
    )
    run = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--python-version", "3.11", str(use)],
        cwd=tmp_path, capture_output=True, text=True, check=False,
        env={**os.environ, "MYPYPATH": str(CASES / "servers" / "expected" / "servers" / "python")},
    )
    errors = [line for line in run.stdout.splitlines() if ": error:" in line]
    assert [line.split(":")[1] for line in errors] == ["3", "4"], run.stdout
    assert "mars" in errors[0] and "Staging" in errors[1]


@pytest.mark.slow
def test_oauth_arguments_are_typed(tmp_path: Path) -> None:
    """mypy accepts the OAuth arguments as documented and rejects a client authentication it does not know,
    scopes that are not strings, and a client id given positionally (it is keyword-only)."""
    use = tmp_path / "use_oauth.py"
    use.write_text(
        "from oauth import AsyncOAuthItemsClient, OAuthItemsClient, errors\n"
        'OAuthItemsClient(client_id="a", client_secret="b", scopes=["items.read"], token_auth="client_secret_post")\n'
        'AsyncOAuthItemsClient(refresh_token="r", token_url="https://id.example/t", allow_insecure_token_url=False)\n'
        'OAuthItemsClient(client_id="a", token_auth="private_key_jwt")\n'
        "OAuthItemsClient(scopes=1)\n"
        'OAuthItemsClient("token", "a")\n'
        "def handle(error: errors.TokenError) -> str:\n"
        "    return error.error + error.error_description\n",
        "utf-8",
    )
    run = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--python-version", "3.11", str(use)],
        cwd=tmp_path, capture_output=True, text=True, check=False,
        env={**os.environ, "MYPYPATH": str(CASES / "oauth" / "expected" / "oauth" / "python")},
    )
    errors = [line for line in run.stdout.splitlines() if ": error:" in line]
    assert [line.split(":")[1] for line in errors] == ["4", "5", "6"], run.stdout
    assert "private_key_jwt" in errors[0]
