"""Table tests of the lookup-free hygiene rules."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

from refman.audit import clean_doi, entry_hygiene, isbn_valid, issn_valid, library_hygiene
from refman.model import CslItem, date_parts


def article(**changes: Any) -> CslItem:
    """A complete, clean journal article entry with some fields changed or removed (None)."""
    entry: CslItem = {
        "id": "grober2015magnesium",
        "type": "article-journal",
        "author": [{"family": "Gröber", "given": "Uwe"}],
        "title": "Magnesium in Prevention and Therapy",
        "container-title": "Nutrients",
        "issued": date_parts(2015, 9),
        "volume": "7",
        "page": "8199-8226",
        "ISSN": "2072-6643",
        "DOI": "10.3390/nu7095388",
    }
    entry.update(changes)
    return {k: v for k, v in entry.items() if v is not None}


def found(entry: CslItem) -> list[tuple[str, str, str | None]]:
    return [(f.code, f.severity, f.field) for f in entry_hygiene(entry)]


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        pytest.param(article(), [], id="clean_article"),
        pytest.param(
            article(**{"container-title": None}),
            [("missing_field", "warning", "container-title")],
            id="article_without_journal",
        ),
        pytest.param(
            article(author=None, issued=None),
            [("missing_field", "warning", "author"), ("missing_field", "warning", "issued")],
            id="article_without_author_and_year",
        ),
        pytest.param(
            {
                "id": "b",
                "type": "book",
                "editor": [{"family": "Webb"}],
                "title": "NMR",
                "issued": date_parts(2019),
            },
            [("missing_field", "warning", "publisher")],
            id="edited_book_without_publisher",
        ),
        pytest.param(
            {
                "id": "c",
                "type": "chapter",
                "author": [{"family": "A"}],
                "title": "T",
                "issued": date_parts(2019),
                "publisher": "P",
            },
            [("missing_field", "warning", "container-title")],
            id="chapter_without_booktitle",
        ),
        pytest.param({"id": "m", "type": "document"}, [], id="misc_requires_nothing"),
        pytest.param(article(page="e33693"), [], id="article_number"),
        pytest.param(article(page="xii-xv"), [], id="roman_pages"),
        pytest.param(article(page="8199--8226"), [], id="bibtex_dash"),
        pytest.param(
            article(page="8226-8199"), [("malformed_pages", "warning", "page")], id="descending"
        ),
        pytest.param(
            article(page="pp. 12 to 14"), [("malformed_pages", "warning", "page")], id="junk_pages"
        ),
        pytest.param(
            article(issued=date_parts(2105)),
            [("malformed_year", "warning", "issued")],
            id="future_year",
        ),
        pytest.param(
            article(issued={"raw": "20015"}),
            [("malformed_year", "warning", "issued")],
            id="unparsed_year",
        ),
        pytest.param(
            article(issued={"date-parts": [[2015, 13]]}),
            [("malformed_month", "warning", "issued")],
            id="month_13",
        ),
        pytest.param(article(ISSN="2072-6644"), [("bad_issn", "warning", "ISSN")], id="bad_issn"),
        pytest.param(article(ISSN=["0140-6736", "1474-547X"]), [], id="issn_x_check_digit"),
        pytest.param(article(ISBN="978-3-319-53923-2"), [], id="good_isbn13"),
        pytest.param(
            article(ISBN="978-3-319-53923-3"), [("bad_isbn", "warning", "ISBN")], id="bad_isbn13"
        ),
        pytest.param(
            article(DOI="10.3390 nu7095388"), [("malformed_doi", "error", "DOI")], id="bad_doi"
        ),
        pytest.param(
            article(DOI="https://doi.org/10.3390/nu7095388"),
            [("doi_prefix", "warning", "DOI")],
            id="doi_with_url_prefix",
        ),
        pytest.param(
            article(DOI=None, URL="https://doi.org/10.3390/nu7095388"),
            [("url_is_doi", "warning", "URL")],
            id="url_instead_of_doi",
        ),
        pytest.param(
            article(URL="https://dx.doi.org/10.3390/NU7095388"),
            [("url_is_doi", "info", "URL")],
            id="url_repeats_doi",
        ),
        pytest.param(
            article(id="gröber2015"), [("non_ascii_key", "warning", "id")], id="non_ascii_key"
        ),
        pytest.param(article(id="grober 2015"), [("bad_key", "error", "id")], id="space_in_key"),
    ],
)
def test_entry_hygiene(entry: CslItem, expected: list[tuple[str, str, str | None]]) -> None:
    assert found(entry) == expected


@pytest.mark.parametrize(
    ("isbn", "valid"),
    [
        pytest.param("0-306-40615-2", True, id="isbn10"),
        pytest.param("0-8044-2957-X", True, id="isbn10_x"),
        pytest.param("0-306-40615-3", False, id="isbn10_bad"),
        pytest.param("9781788019972", True, id="isbn13"),
        pytest.param("12345", False, id="too_short"),
    ],
)
def test_isbn_checksum(isbn: str, valid: bool) -> None:
    assert isbn_valid(isbn) is valid


@pytest.mark.parametrize(
    ("issn", "valid"),
    [
        pytest.param("1932-6203", True, id="plos_one"),
        pytest.param("0140-6736", True, id="lancet"),
        pytest.param("1932-6204", False, id="wrong_digit"),
        pytest.param("19326203X", False, id="too_long"),
    ],
)
def test_issn_checksum(issn: str, valid: bool) -> None:
    assert issn_valid(issn) is valid


@pytest.mark.parametrize(
    ("doi", "bare"),
    [
        pytest.param("https://doi.org/10.1/x", "10.1/x", id="https"),
        pytest.param("doi: 10.1/x", "10.1/x", id="doi_colon"),
        pytest.param(" 10.1/x ", "10.1/x", id="spaces"),
    ],
)
def test_clean_doi(doi: str, bare: str) -> None:
    assert clean_doi(doi) == bare


def same_doi(item: CslItem, existing: Sequence[CslItem]) -> CslItem | None:
    """A stand-in for the library's dedup rules: the same DOI."""
    doi = str(item.get("DOI", "")).lower()
    return next((e for e in existing if doi and str(e.get("DOI", "")).lower() == doi), None)


def test_library_hygiene_flags_later_duplicates_and_collisions() -> None:
    entries = [
        article(id="a2015"),
        article(id="A2015", DOI="10.1/other"),
        article(id="b2015", DOI="10.3390/NU7095388"),
        article(id="a2015", DOI="10.2/third"),
    ]
    result = [[(f.code, f.severity) for f in fs] for fs in library_hygiene(entries, same_doi)]
    assert result == [
        [],
        [("key_collision", "error")],
        [("duplicate", "warning")],
        [("key_collision", "error")],
    ]
    messages = [f.message for fs in library_hygiene(entries, same_doi) for f in fs]
    assert "key 'A2015' collides with 'a2015' (BibTeX ignores case)" in messages
    assert "duplicate of a2015: keep one of them" in messages
    assert "key 'a2015' is used twice" in messages


def test_duplicates_without_keys_are_named_by_number() -> None:
    entries = [article(id=None), article(id=None, DOI="10.1/x"), article(id=None)]
    result = library_hygiene(entries, same_doi)
    assert [[f.message for f in fs] for fs in result] == [
        [],
        [],
        ["duplicate of reference [1]: keep one of them"],
    ]
