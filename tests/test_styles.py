"""Style names: aliases, installed ids, dependent styles, paths, listing and suggestions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from refman import styles
from refman.errors import NotFoundError


@pytest.mark.parametrize(
    ("name", "file"),
    [
        pytest.param("apa", "apa.csl", id="apa"),
        pytest.param("vancouver", "nlm-citation-sequence.csl", id="vancouver"),
        pytest.param("chicago", "chicago-author-date.csl", id="chicago"),
        pytest.param("chicago-notes", "chicago-notes-bibliography.csl", id="chicago-notes"),
        pytest.param("ieee", "ieee.csl", id="ieee"),
        pytest.param("harvard", "harvard-cite-them-right.csl", id="harvard"),
        pytest.param("nature", "nature.csl", id="nature"),
        pytest.param("mla", "modern-language-association.csl", id="mla"),
        pytest.param("ama", "american-medical-association.csl", id="ama"),
        pytest.param("acs", "american-chemical-society.csl", id="acs"),
        pytest.param("MLA", "modern-language-association.csl", id="alias-any-case"),
        pytest.param("elsevier-harvard", "elsevier-harvard.csl", id="installed-id"),
        pytest.param("vancouver-nlm", "nlm-citation-sequence.csl", id="dependent-to-parent"),
        pytest.param("nature-communications", "nature.csl", id="dependent-journal"),
    ],
)
def test_resolve_names(name: str, file: str) -> None:
    path = styles.resolve_style(name)
    assert path.name == file
    assert path.parent == styles.styles_dir()


def test_resolve_independent_path(tmp_path: Path) -> None:
    own = tmp_path / "mine.csl"
    own.write_text(styles.resolve_style("apa").read_text("utf-8"), "utf-8")
    assert styles.resolve_style(str(own)) == own


def test_resolve_dependent_path_to_installed_parent(tmp_path: Path) -> None:
    dependent = tmp_path / "journal.csl"
    dependent.write_text(
        (styles.styles_dir() / "dependent" / "vancouver-nlm.csl").read_text("utf-8"), "utf-8"
    )
    assert styles.resolve_style(str(dependent)).name == "nlm-citation-sequence.csl"


def test_dependent_path_with_unknown_parent(tmp_path: Path) -> None:
    dependent = tmp_path / "orphan.csl"
    dependent.write_text(
        '<style><info><link href="http://www.zotero.org/styles/no-such-parent" '
        'rel="independent-parent"/></info></style>',
        "utf-8",
    )
    with pytest.raises(NotFoundError, match="no-such-parent, which is not installed"):
        styles.resolve_style(str(dependent))


def test_missing_path(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError, match="does not exist"):
        styles.resolve_style(str(tmp_path / "absent.csl"))


@pytest.mark.parametrize(
    ("name", "suggestion"),
    [
        pytest.param("vancover", "vancouver", id="typo-of-alias"),
        pytest.param("chicgo", "chicago", id="typo-of-chicago"),
        pytest.param("natur", "nature", id="typo-of-id"),
    ],
)
def test_unknown_style_suggests_close_names(name: str, suggestion: str) -> None:
    with pytest.raises(NotFoundError, match="did you mean") as raised:
        styles.resolve_style(name)
    assert suggestion in str(raised.value).split("did you mean: ")[1].split(", ")[0]
    assert "refman styles" in str(raised.value)


def test_unknown_style_without_close_names() -> None:
    with pytest.raises(NotFoundError) as raised:
        styles.resolve_style("qqqqqqqqqqqqqqqqqqqq")
    assert "did you mean" not in str(raised.value)


def test_style_info_of_dependent() -> None:
    info = styles.style_info(styles.styles_dir() / "dependent" / "vancouver-nlm.csl")
    assert info.id == "vancouver-nlm"
    assert info.parent == "nlm-citation-sequence"
    assert info.citation_format == "numeric"


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache dir whose style index is built once for this module."""
    cache = tmp_path_factory.mktemp("cache")
    styles.style_index(cache)
    return cache


def test_index_is_cached_and_reused(index_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    [cached] = index_dir.glob("styles-index-*.json")
    assert len(json.loads(cached.read_text("utf-8"))) > 10_000

    def must_not_scan(*args: object) -> styles.StyleInfo:
        raise AssertionError("the cached index should have been used")

    monkeypatch.setattr(styles, "style_info", must_not_scan)
    assert any(info.id == "apa" for info in styles.style_index(index_dir))


def test_damaged_index_is_rebuilt(tmp_path: Path, index_dir: Path) -> None:
    [cached] = index_dir.glob("styles-index-*.json")
    damaged = tmp_path / cached.name
    damaged.write_text("[{not json", "utf-8")
    rebuilt = styles.style_index(tmp_path)
    assert len(rebuilt) == len(styles.style_index(index_dir))
    assert json.loads(damaged.read_text("utf-8"))


@pytest.mark.parametrize(
    ("query", "first", "all_match"),
    [
        pytest.param("chicago", "chicago-author-date", "chicago", id="alias-first"),
        pytest.param("vancouver", "nlm-citation-sequence", "", id="alias-word-matches-target"),
        pytest.param("nlm vancouver", "nlm-citation-sequence", "", id="all-words"),
        pytest.param("Nature", "nature", "nature", id="case-insensitive"),
    ],
)
def test_list_styles(index_dir: Path, query: str, first: str, all_match: str) -> None:
    found = styles.list_styles(query, cache_dir=index_dir)
    assert found[0].id == first
    for info in found:
        assert all_match in f"{info.id} {info.title}".lower()


def test_list_all_styles(index_dir: Path) -> None:
    everything = styles.list_styles(None, cache_dir=index_dir)
    assert [info.id for info in everything[: len(set(styles.ALIASES.values()))]] == sorted(
        set(styles.ALIASES.values())
    )
    assert {"numeric", "author-date", "note", "author"} <= {
        info.citation_format for info in everything
    }
