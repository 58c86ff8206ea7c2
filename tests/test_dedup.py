"""Duplicate detection: identifiers, then normalised title + first author + year."""

from __future__ import annotations

import pytest

from refman.dedup import find_duplicate, find_related, normalize_isbn
from refman.model import CslItem, date_parts

GROBER: CslItem = {
    "id": "grober2015magnesium",
    "type": "article-journal",
    "title": "Magnesium in Prevention and Therapy",
    "author": [{"family": "Gröber", "given": "Uwe"}],
    "issued": date_parts(2015),
    "DOI": "10.3390/nu7095388",
}
BOOK: CslItem = {
    "id": "knuth1997art",
    "type": "book",
    "title": "The Art of Computer Programming",
    "author": [{"family": "Knuth", "given": "Donald"}],
    "issued": date_parts(1997),
    "ISBN": "0-201-89683-4",
}
PREPRINT: CslItem = {
    "id": "smith2019deep",
    "type": "article",
    "title": "Deep sleep and magnesium intake",
    "author": [{"family": "Smith", "given": "Ann"}],
    "issued": date_parts(2019),
    "DOI": "10.48550/arXiv.1901.00001",
    "arXiv": "1901.00001",
}
LIBRARY = [GROBER, BOOK, PREPRINT]


def variant(base: CslItem, **changes: object) -> CslItem:
    item = {k: v for k, v in base.items() if k != "id"}
    item.update(changes)
    return {k: v for k, v in item.items() if v is not None}


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        pytest.param(
            variant(GROBER, DOI="10.3390/NU7095388", title="x"),
            "grober2015magnesium",
            id="doi_case",
        ),
        pytest.param(
            variant(GROBER, DOI=None, title="Magnesium in prevention & therapy."),
            "grober2015magnesium",
            id="title_punctuation_and_ampersand",
        ),
        pytest.param(
            variant(GROBER, DOI=None, title="Magnesium in Prevention and Therapy: A Review"),
            "grober2015magnesium",
            id="subtitle",
        ),
        pytest.param(
            variant(GROBER, DOI=None, author=[{"family": "Grober", "given": "U."}]),
            "grober2015magnesium",
            id="accent_in_author",
        ),
        pytest.param(
            variant(BOOK, ISBN="978-0-201-89683-1", title="TAOCP"),
            "knuth1997art",
            id="isbn10_vs_13",
        ),
        pytest.param(
            variant(PREPRINT, DOI=None, arXiv="arXiv:1901.00001v3", title="other"),
            "smith2019deep",
            id="arxiv_version",
        ),
        pytest.param(variant(GROBER, DOI=None, issued=date_parts(2016)), None, id="other_year"),
        pytest.param(
            variant(GROBER, DOI=None, author=[{"family": "Schmidt"}]), None, id="other_first_author"
        ),
        pytest.param(variant(GROBER, DOI="10.3390/nu7095389"), None, id="same_title_other_doi"),
        pytest.param(
            variant(BOOK, type="chapter", title="Sorting", ISBN="0-201-89683-4"),
            None,
            id="chapter_shares_isbn",
        ),
    ],
)
def test_find_duplicate(item: CslItem, expected: str | None) -> None:
    found = find_duplicate(item, LIBRARY)
    assert (found["id"] if found else None) == expected


def test_published_version_of_a_preprint_is_linked_not_duplicate() -> None:
    published = variant(
        PREPRINT,
        type="article-journal",
        DOI="10.1000/sleep.2020.1",
        arXiv=None,
        issued=date_parts(2020),
        **{"container-title": "Sleep"},
    )
    assert find_duplicate(published, LIBRARY) is None
    related = find_related(published, LIBRARY)
    assert related is not None
    assert related["id"] == "smith2019deep"


@pytest.mark.parametrize(
    ("isbn", "expected"),
    [
        pytest.param("0-201-89683-4", "9780201896831", id="isbn10"),
        pytest.param("978-0-201-89683-1", "9780201896831", id="isbn13"),
        pytest.param("0-8044-2957-X", "9780804429573", id="check_digit_x"),
    ],
)
def test_normalize_isbn(isbn: str, expected: str) -> None:
    assert normalize_isbn(isbn) == expected
