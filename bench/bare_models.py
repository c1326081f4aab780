"""A bound for pure-Python decoders in `make bench-runtime` (bench/runtime.py): GitHub's List releases
(bench/github_releases.json) decoded with nothing checked at all.

Each object of ``json.loads`` becomes an instance by adopting its dict as the instance's ``__dict__``;
the only work left is what a typed result needs: date-times parsed, the asset's state made its enum
member, nested objects made instances. No type, no required key, no unknown key is checked, and no
error could name a path. No decoder written in Python that builds typed objects from ``json.loads`` can
do less per item, so its time is a floor for any of them (connectorsmith's included): with the
collector paused as connectorsmith's client pauses it. Hand-written for this one schema, as
bench/msgspec_models.py is; it needs nothing but the standard library.
"""

from __future__ import annotations

import datetime
import enum
import gc
import json
from typing import Any


class ReleaseAssetState(enum.StrEnum):
    UPLOADED = "uploaded"
    OPEN = "open"


class SimpleUser:
    pass


class ReleaseAsset:
    pass


class ReactionRollup:
    pass


class Release:
    pass


_new = object.__new__
_datetime = datetime.datetime.fromisoformat
_states = ReleaseAssetState._value2member_map_


def _user(data: dict[str, Any]) -> SimpleUser:
    user = _new(SimpleUser)
    user.__dict__ = data
    return user


def _asset(data: dict[str, Any]) -> ReleaseAsset:
    data["created_at"] = _datetime(data["created_at"])
    data["updated_at"] = _datetime(data["updated_at"])
    data["state"] = _states.get(data["state"], data["state"])
    uploader = data["uploader"]
    if uploader is not None:
        data["uploader"] = _user(uploader)
    asset = _new(ReleaseAsset)
    asset.__dict__ = data
    return asset


def _release(data: dict[str, Any]) -> Release:
    data["created_at"] = _datetime(data["created_at"])
    published = data["published_at"]
    if published is not None:
        data["published_at"] = _datetime(published)
    data["author"] = _user(data["author"])
    data["assets"] = [_asset(asset) for asset in data["assets"]]
    reactions = data.get("reactions")
    if reactions is not None:
        rollup = _new(ReactionRollup)
        rollup.__dict__ = reactions
        data["reactions"] = rollup
    release = _new(Release)
    release.__dict__ = data
    return release


def decode(body: bytes) -> list[Release]:
    """The releases of a List releases body, bytes -> objects, the collector paused."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return [_release(item) for item in json.loads(body)]
    finally:
        if enabled:
            gc.enable()


def _builtins(value: Any) -> Any:
    if isinstance(value, (Release, ReleaseAsset, SimpleUser, ReactionRollup)):
        return {key: _builtins(item) for key, item in value.__dict__.items()}
    if isinstance(value, list):
        return [_builtins(item) for item in value]
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    return value


def encode(objects: list[Release]) -> list[Any]:
    """Objects -> JSON-ready data (the same JSON, date-times as ISO 8601)."""
    return [_builtins(release) for release in objects]
