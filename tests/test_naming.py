"""Python names from spec names: decided once, safe, and readable."""

from __future__ import annotations

import pytest

from generator import naming


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
