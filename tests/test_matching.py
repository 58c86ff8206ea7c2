"""Candidate validation: what must match, what must not (pure, no network)."""

from __future__ import annotations

from typing import Any

import pytest

from refman.matching import Reference, compare, decide, normalise, score_candidates
from refman.matching.query import item_text, query_text
from refman.model import ET_AL
from tests.conftest import load_fixture

NUTRIENTS = (
    "Gröber U, Schmidt J, Kisters K. Magnesium in Prevention and Therapy. "
    "Nutrients. 2015;7(9):8199-8226."
)
NUTRIENTS_DUTCH = (
    "Gröber U, Schmidt J, Kisters K. Magnesium in preventie en therapie. "
    "Nutrients. 2015;7(9):8199-8226."
)
SLEEP_DUTCH = (
    "Hausenblas HA, Lynch T, Hooper S, Shrestha A, Rosendale D, Gu J. Magnesium-L-threonaat "
    "verbetert de slaapkwaliteit en het functioneren overdag bij volwassenen met "
    "zelfgerapporteerde slaapstoornissen: een gerandomiseerde gecontroleerde studie. "
    "Sleep Med X. 2024;8:100121."
)
CHAPTER_REF = (
    "Smith J. Reading old maps. In: Doe A, editor. A history of cartography. "
    "London: Example Press; 2010. p. 45-67."
)


def record(doi: str, title: str, **fields: Any) -> dict[str, Any]:
    """A Crossref-shaped record; ``year`` and ``family`` are shorthands."""
    base: dict[str, Any] = {"DOI": doi, "type": "journal-article", "title": [title]}
    if "year" in fields:
        base["issued"] = {"date-parts": [[fields.pop("year")]]}
    if "family" in fields:
        base["author"] = [{"family": fields.pop("family"), "sequence": "first"}]
    for key in ("container",):
        if key in fields:
            base["container-title"] = [fields.pop(key)]
    return {**base, **fields}


GROBER = record(
    "10.3390/nu7095388",
    "Magnesium in Prevention and Therapy",
    year=2015,
    family="Gröber",
    container="Nutrients",
    volume="7",
    issue="9",
    page="8199-8226",
)
SLEEP = record(
    "10.1016/j.sleepx.2024.100121",
    "Magnesium-L-threonate improves sleep quality and daytime functioning in adults with "
    "self-reported sleep problems: A randomized controlled trial",
    year=2024,
    family="Hausenblas",
    container="Sleep Medicine: X",
    volume="8",
    **{"article-number": "100121"},
)


def changed(base: dict[str, Any], **fields: Any) -> dict[str, Any]:
    """Another work: ``base`` with some fields replaced and its own DOI."""
    return {**base, **fields, "DOI": "10.5555/other"}


CASES = [
    pytest.param(NUTRIENTS, [GROBER], "matched", "10.3390/nu7095388", id="match"),
    pytest.param(NUTRIENTS_DUTCH, [GROBER], "matched", "10.3390/nu7095388", id="translated-short"),
    pytest.param(
        SLEEP_DUTCH,
        [SLEEP],
        "matched",
        "10.1016/j.sleepx.2024.100121",
        id="translated-long-abbreviated-journal-article-number",
    ),
    pytest.param(NUTRIENTS, [changed(GROBER, volume="8")], "unmatched", None, id="wrong-volume"),
    pytest.param(
        NUTRIENTS,
        [changed(GROBER, issued={"date-parts": [[2012]]})],
        "unmatched",
        None,
        id="wrong-year",
    ),
    pytest.param(
        NUTRIENTS, [changed(GROBER, page="1161-1169")], "unmatched", None, id="wrong-first-page"
    ),
    pytest.param(
        NUTRIENTS,
        [changed(GROBER, title=["Magnesium and sleep"], page="9000-9010")],
        "unmatched",
        None,
        id="near-miss-other-paper-same-author-journal",
    ),
    pytest.param(
        NUTRIENTS,
        [
            changed(
                GROBER,
                title=["Erratum: Magnesium in Prevention and Therapy"],
                issued={"date-parts": [[2016]]},
                volume="8",
                page="100",
            )
        ],
        "unmatched",
        None,
        id="erratum-decoy",
    ),
    pytest.param(
        NUTRIENTS,
        [
            {
                k: v
                for k, v in changed(
                    GROBER, type="posted-content", **{"container-title": ["bioRxiv"]}
                ).items()
                if k not in ("volume", "issue", "page")
            }
        ],
        "unmatched",
        None,
        id="preprint-decoy",
    ),
    pytest.param(
        NUTRIENTS,
        [
            changed(GROBER, title=["Zinc and copper in the elderly"]),
            record(
                "10.5555/title-owner",
                "Magnesium in Prevention and Therapy",
                year=2003,
                family="Someone",
                container="Other J",
                volume="30",
                page="1",
            ),
        ],
        "unmatched",
        None,
        id="chimera-numbers-of-one-title-of-another",
    ),
    pytest.param(
        NUTRIENTS,
        [changed(GROBER, title=["Erratum: Magnesium in Prevention and Therapy"], page="1"), GROBER],
        "matched",
        "10.3390/nu7095388",
        id="right-record-below-a-decoy",
    ),
]


@pytest.mark.parametrize(("text", "records", "status", "doi"), CASES)
def test_validation_table(
    text: str, records: list[dict[str, Any]], status: str, doi: str | None
) -> None:
    scored = score_candidates(Reference(text), records)
    decision, best = decide(scored, 0.9)
    assert decision == status
    assert (best.doi if best and decision == "matched" else None) == doi


def test_book_chapter_beats_the_book() -> None:
    chapter = record(
        "10.5555/chapter",
        "Reading old maps",
        year=2010,
        family="Smith",
        container="A history of cartography",
        page="45-67",
        type="book-chapter",
    )
    book = record(
        "10.5555/book",
        "A history of cartography",
        year=2010,
        type="book",
        editor=[{"family": "Doe"}],
    )
    scored = score_candidates(Reference(CHAPTER_REF), [book, chapter])
    decision, best = decide(scored, 0.9)
    assert decision == "matched"
    assert best is not None
    assert best.doi == "10.5555/chapter"
    assert scored[1].confidence < 0.9


def test_two_equally_good_candidates_are_ambiguous() -> None:
    twin = {**GROBER, "DOI": "10.5555/twin"}
    decision, best = decide(score_candidates(Reference(NUTRIENTS), [GROBER, twin]), 0.9)
    assert decision == "ambiguous"
    assert best is not None


@pytest.mark.parametrize(
    ("fixture", "doi"),
    [
        pytest.param(
            "query_bibliographic_cermine_ieee_style_match.json",
            "10.1007/s10032-015-0249-8",
            id="ieee-style-match",
        ),
        pytest.param(
            "query_bibliographic_cermine_degraded_nomatch.json",
            None,
            id="degraded-numbers-no-match",
        ),
    ],
)
def test_recorded_search_answers(fixture: str, doi: str | None) -> None:
    text = (
        "[1]D. Tkaczyk, P. Szostek, M. Fedoryszak, P. J. Dendek, and L. Bolikowski, "
        "\u201cCERMINE: automatic extraction of structured metadata from scientific "
        "literature,\u201d "
        "IJDAR, vol. 18, no. 4, pp. 317\u2013335, 2015."
    )
    if doi is None:
        text = (
            "P. Szostek, M. Fedoryszak, \u201cCERMINE: automatic extraction of structured metadata "
            "from scientific literature,\u201d IJDAR, vol. 14, no. 40, pp. 310\u2013335, 2016."
        )
    items = load_fixture(fixture)["message"]["items"]
    decision, best = decide(score_candidates(Reference(text), items), 0.9)
    assert (best.doi if decision == "matched" and best else None) == doi


def test_evidence_is_field_by_field() -> None:
    evidence = compare(Reference(NUTRIENTS), GROBER)
    assert (evidence.year, evidence.volume, evidence.page, evidence.issue) == (1, 1, 1, 1)
    assert evidence.author == 1  # "Gröber" matches with or without the umlaut
    assert evidence.title > 0.95
    assert evidence.numbers_disagree == 0
    assert evidence.as_dict()["notice"] is False


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "[12] Smith J. Title. J Med. 2001;3:4-5.",
            "Smith J. Title. J Med. 2001;3:4-5.",
            id="citation-number",
        ),
        pytest.param(
            "12. Smith J (2001) opti-\nmization. doi: ",
            "Smith J (2001) opti-mization.",
            id="hyphen-break-and-doi-stub",
        ),
        pytest.param(
            "Doe A. Page. https://example.org/x. Accessed 2025.",
            "Doe A. Page. Accessed 2025.",
            id="url",
        ),
    ],
)
def test_query_text(text: str, expected: str) -> None:
    assert query_text(text) == expected


def test_item_text_from_structured_fields() -> None:
    item = {
        "author": [{"family": "Gröber"}],
        "issued": {"date-parts": [[2015]]},
        "title": "Magnesium",
        "container-title": "Nutrients",
        "volume": "7",
        "issue": "9",
        "page": "8199-8226",
    }
    assert item_text(item) == "Gröber. (2015). Magnesium. Nutrients. 7. (9). 8199-8226"


def test_item_text_leaves_out_et_al() -> None:
    item = {"author": [{"family": "Gröber"}, ET_AL], "title": "Magnesium"}
    assert item_text(item) == "Gröber. Magnesium"


def test_normalise_folds_accents_and_joins_broken_words() -> None:
    assert normalise("Gröber  U. Opti-\n mization") == "grober u. optimization"
