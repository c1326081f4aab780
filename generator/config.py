"""``[tool.connectorgen]`` in the project's pyproject.toml: defaults the command line overrides.

```toml
[tool.connectorgen]
specs = ["api/specs"]          # files or folders (default: spec/)
out = "src/clients"            # default: generated/
templates = "connectorgen-templates"   # files here override the built-in template of the same path
package-names = { hipchat = "hipchat_client" }   # connector name -> Python package
ref-root = "api"               # references to other files may reach this folder (default: each spec's own)
strict = true                  # every warning is an error (as --strict)
```

Paths are relative to the folder of the pyproject.toml.  An unknown key, or a value of the wrong type,
is a usage error that names it.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple

KEYS = ("specs", "out", "templates", "package-names", "ref-root", "strict")


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


def load_config(folder: Path) -> Config:
    """``[tool.connectorgen]`` of ``folder``/pyproject.toml, or an empty Config when there is none."""
    path = folder / "pyproject.toml"
    if not path.is_file():
        return Config()
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read it: {exc}") from None
    table = data.get("tool", {}).get("connectorgen")
    if table is None:
        return Config(source=None)
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.connectorgen] must be a table")
    unknown = sorted(set(table) - set(KEYS))
    if unknown:
        raise ConfigError(f"{path}: unknown key{'s' if len(unknown) > 1 else ''} in [tool.connectorgen]: {', '.join(unknown)} (known: {', '.join(KEYS)})")
    base = path.parent
    specs = table.get("specs", [])
    if isinstance(specs, str):
        specs = [specs]
    if not isinstance(specs, list) or not all(isinstance(s, str) for s in specs):
        raise ConfigError(f"{path}: [tool.connectorgen] specs must be a path or a list of paths")
    names = table.get("package-names", {})
    if not isinstance(names, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in names.items()):
        raise ConfigError(f"{path}: [tool.connectorgen] package-names must map connector names to package names")
    strict = table.get("strict", False)
    if not isinstance(strict, bool):
        raise ConfigError(f"{path}: [tool.connectorgen] strict must be true or false")
    return Config(
        specs=tuple(base / s for s in specs),
        out=_path(table, "out", base, path),
        templates=_path(table, "templates", base, path),
        package_names=dict(names),
        strict=strict,
        source=path,
        ref_root=_path(table, "ref-root", base, path),
    )


def _path(table: dict[str, Any], key: str, base: Path, path: Path) -> Path | None:
    value = table.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ConfigError(f"{path}: [tool.connectorgen] {key} must be a path")
    return base / value
