"""``[tool.connectorsmith]`` in the project's pyproject.toml: defaults the command line overrides.

```toml
[tool.connectorsmith]
specs = ["api/specs"]          # files or folders (default: spec/)
out = "src/clients"            # default: generated/
templates = "connectorsmith-templates"   # files here override the built-in template of the same path
package-names = { hipchat = "hipchat_client" }   # connector name -> Python package
ref-root = "api"               # references to other files may reach this folder (default: each spec's own)
strict = true                  # every warning is an error (as --strict)
targets = ["python", "docs"]   # the outputs to make (as --targets; default: what suits each input, see targets.py)
ignore = ["looks-paged"]       # warning codes neither printed nor counted (as --ignore; see docs/warnings.md)
fail-on = ["breaking"]         # a breaking change of the package is an error: exit 1, nothing written (as --fail-on-breaking)
```

The configuration is the nearest pyproject.toml with a ``[tool.connectorsmith]`` table, looked for in the
working folder and then its parents, up to the repository root (a folder holding ``.git``) or the
filesystem's root (``find_config``).  Paths in it are relative to the folder of that pyproject.toml,
and so are the defaults (spec/, generated/): a run from a subfolder of the project acts as one from
its root.  An unknown key, or a value of the wrong type, is a usage error that names it, with its file,
line and column.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple

from ..diagnostics import CODES
from ..render import targets
from ..render.targets import Targets

KEYS = ("specs", "out", "templates", "package-names", "ref-root", "strict", "targets", "ignore", "fail-on")
#: What ``fail-on`` may name: kinds of change that fail the run.
FAIL_ON = ("breaking",)


class ConfigError(Exception):
    """The configuration cannot be used; the message names the file and the key."""


class Config(NamedTuple):
    specs: tuple[Path, ...] = ()
    out: Path | None = None
    templates: Path | None = None
    package_names: Mapping[str, str] = MappingProxyType({})
    strict: bool = False
    source: Path | None = None  # the pyproject.toml read, if any
    ref_root: Path | None = None
    targets: Targets | None = None  # None: each input's default
    ignore: frozenset[str] = frozenset()  # warning codes (diagnostics.CODES)
    fail_on_breaking: bool = False

    @property
    def root(self) -> Path:
        """The folder the defaults (spec/, generated/) are in: the configuration's, else the working folder."""
        return self.source.parent if self.source is not None else Path()


def find_config(start: Path) -> Config:
    """The ``[tool.connectorsmith]`` of the nearest pyproject.toml that has one: in ``start`` or a parent of
    it, up to the repository root (a folder holding ``.git``, itself included) or the filesystem's root.
    A pyproject.toml without the table is passed over (it configures other tools); the paths of the
    Config found are relative to ``start`` (``../api``), as a user in ``start`` would write them."""
    start = start.absolute()
    for depth, folder in enumerate((start, *start.parents)):
        if (folder / "pyproject.toml").is_file():
            config = load_config(Path(*[os.pardir] * depth) if depth else Path())
            if config.source is not None:
                return config
        if (folder / ".git").exists():  # a folder (a clone) or a file (a worktree, a submodule)
            break
    return Config()


def load_config(folder: Path) -> Config:
    """``[tool.connectorsmith]`` of ``folder``/pyproject.toml, or an empty Config when there is none."""
    path = folder / "pyproject.toml"
    if not path.is_file():
        return Config()
    try:
        text = path.read_text("utf-8")
        data = tomllib.loads(text)
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path.as_posix()}: cannot read it: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"^(.*) \(at line (\d+), column (\d+)\)$", str(exc))
        where = f"{path.as_posix()}:{found[2]}:{found[3]}" if found else path.as_posix()
        raise ConfigError(f"{where}: not valid TOML: {found[1] if found else exc}") from None
    table = data.get("tool", {}).get("connectorsmith")
    if table is None and "connectorgen" in data.get("tool", {}):  # legacy-name: the product's earlier name
        line = next((n + 1 for n, row in enumerate(text.splitlines()) if re.match(r"\s*\[\s*tool\s*\.\s*connectorgen\s*[\].]", row)), None)  # legacy-name
        where = f"{path.as_posix()}:{line}:1" if line else path.as_posix()
        raise ConfigError(f"{where}: [tool.connectorgen] is the earlier name of this configuration: rename the table [tool.connectorsmith]")  # legacy-name
    if table is None:
        return Config(source=None)
    at = _Places(path, text)
    if not isinstance(table, dict):
        raise ConfigError(f"{at()}: [tool.connectorsmith] must be a table")
    unknown = sorted(set(table) - set(KEYS))
    if unknown:
        raise ConfigError(f"{at(*unknown)}: unknown key{'s' if len(unknown) > 1 else ''} in [tool.connectorsmith]: {', '.join(unknown)} (known: {', '.join(KEYS)})")
    base = path.parent
    specs = table.get("specs", [])
    if isinstance(specs, str):
        specs = [specs]
    if not isinstance(specs, list) or not all(isinstance(s, str) for s in specs):
        raise ConfigError(f"{at('specs')}: [tool.connectorsmith] specs must be a path or a list of paths")
    names = table.get("package-names", {})
    if not isinstance(names, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in names.items()):
        raise ConfigError(f"{at('package-names')}: [tool.connectorsmith] package-names must map connector names to package names")
    strict = table.get("strict", False)
    if not isinstance(strict, bool):
        raise ConfigError(f"{at('strict')}: [tool.connectorsmith] strict must be true or false")
    return Config(
        targets=_targets(table, at),
        ignore=_ignore(table, at),
        fail_on_breaking="breaking" in _strings(table, "fail-on", at, FAIL_ON),
        specs=tuple(base / s for s in specs),
        out=_path(table, "out", base, at),
        templates=_path(table, "templates", base, at),
        package_names=dict(names),
        strict=strict,
        source=path,
        ref_root=_path(table, "ref-root", base, at),
    )


class _Places:
    """``file:line:column`` of a key of ``[tool.connectorsmith]`` (tomllib keeps no positions: the first line
    of the table that assigns one of the keys, else the table's header, else the file alone)."""

    def __init__(self, path: Path, text: str) -> None:
        self.path, self.lines = path.as_posix(), text.splitlines()

    def __call__(self, *keys: str) -> str:
        header = next((n for n, line in enumerate(self.lines) if re.match(r"\s*\[\s*tool\s*\.\s*connectorsmith\s*\]", line)), None)
        if header is None:
            return self.path
        for number in range(header + 1, len(self.lines)):
            line = self.lines[number]
            if re.match(r"\s*\[", line):
                break
            found = re.match(r"(\s*)[\"']?([A-Za-z0-9_-]+)[\"']?\s*=", line)
            if found and found[2] in keys:
                return f"{self.path}:{number + 1}:{len(found[1]) + 1}"
        return f"{self.path}:{header + 1}:1"


def _strings(table: dict[str, Any], key: str, at: _Places, known: tuple[str, ...]) -> list[str]:
    """A list of names of ``known`` (a name alone is a list of one)."""
    value = table.get(key, [])
    value = [value] if isinstance(value, str) else value
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{at(key)}: [tool.connectorsmith] {key} must be a list of names (known: {', '.join(known)})")
    unknown = [v for v in value if v not in known]
    if unknown:
        raise ConfigError(f"{at(key)}: [tool.connectorsmith] {key}: unknown {', '.join(map(repr, unknown))} (known: {', '.join(known)})")
    return value


def _targets(table: dict[str, Any], at: _Places) -> Targets | None:
    if "targets" not in table:
        return None
    names = _strings(table, "targets", at, targets.NAMES)
    if not names:
        raise ConfigError(f"{at('targets')}: [tool.connectorsmith] targets names no target (known: {', '.join(targets.NAMES)})")
    return targets.parse(names)


def _ignore(table: dict[str, Any], at: _Places) -> frozenset[str]:
    return frozenset(_strings(table, "ignore", at, tuple(CODES)))


def _path(table: dict[str, Any], key: str, base: Path, at: _Places) -> Path | None:
    value = table.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ConfigError(f"{at(key)}: [tool.connectorsmith] {key} must be a path")
    return base / value
