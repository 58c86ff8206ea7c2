"""Token features: the attributes the CRF model was trained on."""

from __future__ import annotations

import pytest

from refman.parsing.features import _FIXED_ATTRIBUTES, sequence_features, token_attributes


@pytest.mark.parametrize("token", ["Smith,", "2015;", "(eds.)", "“Sleep", "é", "-"])
def test_fixed_attributes_come_first_in_a_known_order(token: str) -> None:
    names = [attr.partition("=")[0] for attr in token_attributes(token)[:_FIXED_ATTRIBUTES]]
    assert names == ["w", "shape", "case", "digits", "last", "first", "p3", "s3"]
    assert all("=" not in attr for attr in token_attributes(token)[_FIXED_ATTRIBUTES:])


@pytest.mark.parametrize(
    ("token", "flags"),
    [
        pytest.param("2015;", {"year", "number"}, id="year"),
        pytest.param("8199-8226.", {"range"}, id="page-range"),
        pytest.param("17(12):", {"volissue"}, id="volume-issue"),
        pytest.param("HA,", {"initials"}, id="initials"),
        pytest.param("(Hrsg.)", {"editor", "paren"}, id="editor-marker"),
        pytest.param("In:", {"in"}, id="container-marker"),
        pytest.param("al.", {"etal"}, id="et-al"),
        pytest.param("maart", {"month"}, id="dutch-month"),
        pytest.param("doi:10.1000/x", {"ident"}, id="identifier"),
    ],
)
def test_token_flags(token: str, flags: set[str]) -> None:
    assert flags <= set(token_attributes(token))


def test_context_features() -> None:
    rows = sequence_features(["Smith", "J.", "(2001).", "“A", "title.”", "In", "Book."])
    assert "BOS" in rows[0]
    assert "EOS" in rows[-1]
    assert "after_year" in rows[3]
    assert "in_quote" in rows[4]
    assert "in_quote" not in rows[5]
    assert "segstart=1" in rows[3]  # after the full stop of "(2001)."
    assert "segstart" not in rows[2]  # "J." is an initial, not the end of a field
    assert "after_in" in rows[6]
    assert "-1:w=in" in rows[6]
    assert "+1:w=j" in rows[0]


def test_known_attributes_drop_only_unknown_words() -> None:
    tokens = ["Smith", "J.", "Qwxyzzy", "2001."]
    every = sequence_features(tokens)
    known = frozenset(attr for row in every for attr in row) - {"w=qwxyzzy", "+1:w=qwxyzzy"}
    kept = sequence_features(tokens, known)
    assert "w=qwxyzzy" in every[2]
    assert "w=qwxyzzy" not in kept[2]
    assert "+1:w=qwxyzzy" not in kept[1]
    assert "-1:w=qwxyzzy" in kept[3]
    assert [set(row) - {"w=qwxyzzy", "+1:w=qwxyzzy"} for row in every] == [set(r) for r in kept]
