"""import(export(x)) keeps every field, for each codec (properties, with hypothesis).

Each codec is given the fields it can represent: CSL-JSON everything (extras
travel in ``custom``), RIS the fields of its table, BibTeX/BibLaTeX the fields of
refman's BibTeX mapping.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from refman import bibtex, csljson, ris
from refman.model import CslItem

LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéüøåñçßłŽ"
WORD = st.text(alphabet=LETTERS, min_size=1, max_size=10)


def words(max_words: int = 6) -> st.SearchStrategy[str]:
    """Normalised text: words separated by single spaces (codecs may fold whitespace)."""
    return st.lists(WORD, min_size=1, max_size=max_words).map(" ".join)


def capitalised() -> st.SearchStrategy[str]:
    return WORD.map(lambda word: word[:1].upper() + word[1:].lower())


PERSON = st.builds(
    lambda family, given: {"family": family, "given": given}, capitalised(), capitalised()
)
ORGANISATION = st.builds(lambda name: {"literal": name}, words(4).map(str.title))
NUMBER = st.integers(min_value=1, max_value=999).map(str)
PAGES = st.one_of(
    NUMBER,
    st.tuples(st.integers(1, 500), st.integers(1, 500)).map(lambda p: f"{p[0]}-{p[0] + p[1]}"),
)
DATE = st.one_of(
    st.tuples(st.integers(1900, 2030)),
    st.tuples(st.integers(1900, 2030), st.integers(1, 12)),
    st.tuples(st.integers(1900, 2030), st.integers(1, 12), st.integers(1, 28)),
).map(lambda parts: {"date-parts": [list(parts)]})
DOI = st.builds(lambda a, b: f"10.{a}/{b}", st.integers(1000, 99999), WORD.map(str.lower))
KEY = st.builds(
    lambda word, year: f"{word.lower()}{year}",
    st.text("abcdefgh", min_size=1, max_size=8),
    st.integers(1900, 2030),
)


def item(
    types: Sequence[str], optional: dict[str, st.SearchStrategy[Any]]
) -> st.SearchStrategy[CslItem]:
    """CSL items of ``types`` with an id, a title, authors and some of ``optional``."""
    required = {
        "id": KEY,
        "type": st.sampled_from(list(types)),
        "title": words(),
        "author": st.lists(st.one_of(PERSON, ORGANISATION), min_size=1, max_size=4),
    }
    return st.fixed_dictionaries(required, optional=optional)


COMMON: dict[str, st.SearchStrategy[Any]] = {
    "container-title": words(),
    "volume": NUMBER,
    "issue": NUMBER,
    "page": PAGES,
    "issued": DATE,
    "DOI": DOI,
    "URL": DOI.map(lambda doi: f"https://example.org/{doi}"),
    "publisher": words(3),
    "publisher-place": words(2),
    "editor": st.lists(PERSON, min_size=1, max_size=3),
}
BIBTEX_DATE = st.one_of(
    st.tuples(st.integers(1900, 2030)), st.tuples(st.integers(1900, 2030), st.integers(1, 12))
).map(lambda parts: {"date-parts": [list(parts)]})
"""BibTeX has ``year`` and ``month`` but no day; BibLaTeX's ``date`` holds all three."""
BIB_TYPES = ["article-journal", "book", "chapter", "report", "thesis", "paper-conference"]


def keeps_every_field(
    dump: Callable[[Sequence[CslItem]], str],
    load: Callable[[str], list[CslItem]],
    original: CslItem,
) -> None:
    [loaded] = load(dump([original]))
    for field, value in original.items():
        assert loaded.get(field) == value, field


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(
    item(
        sorted(csljson.CSL_TYPES),
        {
            **COMMON,
            "accessed": DATE,
            "arXiv": words(1),
            "container-title-short": words(2),
            "note": words(),
            "language": st.sampled_from(["en", "nl", "de-DE"]),
        },
    )
)
def test_csl_json_round_trip(original: CslItem) -> None:
    keeps_every_field(csljson.dumps, csljson.loads, original)


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(
    item(
        sorted(ris.CSL_TO_RIS_TYPE),
        {
            **COMMON,
            "accessed": DATE,
            "container-title-short": words(2),
            "collection-title": words(),
            "edition": NUMBER,
            "PMID": st.integers(1, 99_999_999).map(str),
            "ISSN": st.just("2072-6643"),
            "abstract": words(12),
            "keyword": st.lists(words(2), min_size=1, max_size=3).map(", ".join),
            "note": st.lists(words(), min_size=1, max_size=2).map("\n".join),
        },
    )
)
def test_ris_round_trip(original: CslItem) -> None:
    keeps_every_field(ris.dumps, ris.loads, original)


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(item(BIB_TYPES, {**COMMON, "issued": BIBTEX_DATE}))
def test_bibtex_round_trip(original: CslItem) -> None:
    keeps_every_field(lambda items: bibtex.dumps(items, dialect="bibtex"), bibtex.loads, original)


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(item([*BIB_TYPES, "webpage"], {**COMMON, "accessed": DATE}))
def test_biblatex_round_trip(original: CslItem) -> None:
    keeps_every_field(lambda items: bibtex.dumps(items, dialect="biblatex"), bibtex.loads, original)
