"""msgspec Structs of bench/github_releases.json: the floor of `make bench-runtime` (bench/runtime.py).

Hand-written: datamodel-code-generator's `--output-model-type msgspec.Struct` output of the same document
(`--strict-nullable`), with its one departure corrected: it types `format: date-time` as `str`, and every
other tool here decodes date-times into `datetime`. Imported only in bench/.venv-msgspec.
"""

from __future__ import annotations

import datetime
import enum

from msgspec import UNSET, Struct, UnsetType, field


class ReleaseAssetState(enum.StrEnum):
    UPLOADED = "uploaded"
    OPEN = "open"


class SimpleUser(Struct):
    login: str
    id: int
    node_id: str
    avatar_url: str
    gravatar_id: str | None
    url: str
    html_url: str
    followers_url: str
    following_url: str
    gists_url: str
    starred_url: str
    subscriptions_url: str
    organizations_url: str
    repos_url: str
    events_url: str
    received_events_url: str
    type: str
    site_admin: bool
    name: str | None | UnsetType = UNSET
    email: str | None | UnsetType = UNSET
    starred_at: str | UnsetType = UNSET


class ReactionRollup(Struct):
    url: str
    total_count: int
    plus_one: int = field(name="+1")
    minus_one: int = field(name="-1")
    laugh: int
    confused: int
    heart: int
    hooray: int
    eyes: int
    rocket: int


class ReleaseAsset(Struct):
    url: str
    browser_download_url: str
    id: int
    node_id: str
    name: str
    label: str | None
    state: ReleaseAssetState
    content_type: str
    size: int
    download_count: int
    created_at: datetime.datetime
    updated_at: datetime.datetime
    uploader: SimpleUser | None


class Release(Struct):
    url: str
    html_url: str
    assets_url: str
    upload_url: str
    tarball_url: str | None
    zipball_url: str | None
    id: int
    node_id: str
    tag_name: str
    target_commitish: str
    name: str | None
    draft: bool
    prerelease: bool
    created_at: datetime.datetime
    published_at: datetime.datetime | None
    author: SimpleUser
    assets: list[ReleaseAsset]
    body: str | None | UnsetType = UNSET
    body_html: str | UnsetType = UNSET
    body_text: str | UnsetType = UNSET
    mentions_count: int | UnsetType = UNSET
    reactions: ReactionRollup | UnsetType = UNSET
