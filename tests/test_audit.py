"""Table tests of the pure audit: agreement, chimeras, updates, existence."""

from __future__ import annotations

import json
from typing import Any

import pytest

from refman.audit import (
    Finding,
    at_or_above,
    audit_record,
    chimera_finding,
    compare,
    corroborates,
    doi_not_found,
    journal_agrees,
    no_match,
    status_of,
    update_findings,
)
from refman.crossref_csl import crossref_to_csl
from refman.model import CslItem, date_parts
from tests.conftest import TEST_DATA, load_fixture

PLOS = "work_journal_article_plos_updated_by_correction.json"


def plos() -> CslItem:
    """The recorded PLoS ONE record (updated-by a correction) as CSL-JSON."""
    return crossref_to_csl(load_fixture(PLOS)["message"])


def own_record(name: str) -> CslItem:
    """A record written for these tests under tests/data/crossref, as CSL-JSON."""
    body: dict[str, Any] = json.loads((TEST_DATA / "crossref" / name).read_text("utf-8"))
    return crossref_to_csl(body["message"])


def plos_entry(**changes: Any) -> CslItem:
    """A correct entry for the PLoS record, with some fields changed."""
    entry: CslItem = {
        "id": "sadasivan2012methylphenidate",
        "type": "article-journal",
        "author": [{"family": "Sadasivan", "given": "S."}, {"family": "Pond", "given": "B. B."}],
        "title": "Methylphenidate exposure induces dopamine neuron loss and activation of "
        "microglia in the basal ganglia of mice",
        "container-title": "PLoS One",
        "issued": date_parts(2012),
        "volume": "7",
        "issue": "3",
        "page": "e33693",
        "DOI": "10.1371/journal.pone.0033693",
    }
    entry.update(changes)
    return {k: v for k, v in entry.items() if v is not None}


def codes(findings: list[Finding]) -> list[tuple[str, str]]:
    return [(f.code, f.severity) for f in findings]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        pytest.param({}, [], id="agrees"),
        pytest.param({"author": [{"family": "Sádasivan", "given": "S"}]}, [], id="accents"),
        pytest.param(
            {"title": "Methylphenidate exposure induces dopamine neuron loss"}, [], id="short_title"
        ),
        pytest.param({"container-title": "PLOS ONE"}, [], id="journal_case"),
        pytest.param({"page": "e33693-e33693"}, [], id="article_number_range"),
        pytest.param(
            {"issued": date_parts(2013)}, [("year_mismatch", "error")], id="year_off_by_one"
        ),
        pytest.param({"issued": date_parts(2009)}, [("year_mismatch", "error")], id="year_shifted"),
        pytest.param({"volume": "8"}, [("volume_mismatch", "error")], id="volume_shifted"),
        pytest.param({"issue": "4"}, [("issue_mismatch", "warning")], id="issue_differs"),
        pytest.param({"page": "e33694"}, [("pages_mismatch", "error")], id="pages_differ"),
        pytest.param(
            {"author": [{"family": "Smith", "given": "J"}]},
            [("author_mismatch", "error")],
            id="invented_author",
        ),
        pytest.param(
            {"author": [{"family": "Pond", "given": "B"}, {"family": "Sadasivan"}]},
            [("author_order", "warning")],
            id="author_order",
        ),
        pytest.param(
            {"title": "Magnesium in prevention and therapy"},
            [("title_mismatch", "warning")],
            id="lone_title",
        ),
        pytest.param(
            {"container-title": "Nature Neuroscience"},
            [("journal_mismatch", "warning")],
            id="journal_differs",
        ),
        pytest.param(
            {"author": [{"family": "Smith"}], "issued": date_parts(2013), "page": "101-109"},
            [
                ("wrong_record", "error"),
                ("author_mismatch", "error"),
                ("year_mismatch", "error"),
                ("pages_mismatch", "error"),
            ],
            id="doi_of_another_work",
        ),
    ],
)
def test_compare_field_by_field(changes: dict[str, Any], expected: list[tuple[str, str]]) -> None:
    assert codes(compare(plos_entry(**changes), plos())) == expected


@pytest.mark.parametrize(
    ("changes", "needle"),
    [
        pytest.param({"issued": date_parts(2013)}, "year: entry 2013, Crossref 2012", id="year"),
        pytest.param(
            {"author": [{"family": "Smith", "given": "John"}]},
            "authors: entry has Smith J first, record has Sadasivan S",
            id="authors",
        ),
        pytest.param({"volume": "9"}, "volume: entry 9, Crossref 7", id="volume"),
        pytest.param({"page": "1-9"}, "pages: entry 1-9, Crossref e33693", id="pages"),
    ],
)
def test_messages_show_both_sides(changes: dict[str, Any], needle: str) -> None:
    messages = [f.message for f in compare(plos_entry(**changes), plos())]
    assert needle in messages


@pytest.mark.parametrize(
    ("raw", "changes", "expected"),
    [
        pytest.param(
            "Sadasivan S, Pond BB. Methylphenidate exposure. PLoS One 2012;7(3):e33693",
            {"issued": date_parts(2031)},
            [],
            id="parser_misread_year_in_text",
        ),
        pytest.param(
            "Sadasivan S, Pond BB. Methylphenidate exposure. PLoS One 2014;7(3):e33693",
            {"issued": date_parts(2014)},
            [("year_mismatch", "error")],
            id="text_has_wrong_year",
        ),
    ],
)
def test_raw_text_excuses_parser_mistakes(
    raw: str, changes: dict[str, Any], expected: list[tuple[str, str]]
) -> None:
    assert codes(compare(plos_entry(**changes), plos(), raw)) == expected


def test_print_year_of_an_online_first_record_agrees() -> None:
    record = {**plos(), "_crossref": {"published-print": {"date-parts": [[2013, 1]]}}}
    assert compare(plos_entry(issued=date_parts(2013)), record) == []


def test_digits_of_the_doi_do_not_excuse_a_wrong_year() -> None:
    raw = "Sadasivan S. Methylphenidate. PLoS One 2014;7:e33693. doi:10.1371/x.2012.7"
    found = compare(plos_entry(issued=date_parts(2014)), plos(), raw)
    assert [(f.code, f.severity) for f in found] == [("year_mismatch", "error")]


def test_compare_accepts_raw_crossref_json() -> None:
    record = load_fixture(PLOS)["message"]
    assert codes(compare(plos_entry(volume="8"), record)) == [("volume_mismatch", "error")]


@pytest.mark.parametrize(
    ("abbreviated", "full", "agrees"),
    [
        pytest.param("Sleep Med X", "Sleep Medicine: X", True, id="iso_abbreviation"),
        pytest.param("J Clin Oncol", "Journal of Clinical Oncology", True, id="of_dropped"),
        pytest.param("Nat Rev", "Nature Reviews Cancer", True, id="shortened"),
        pytest.param("Nature", "Science", False, id="other_journal"),
        pytest.param("Br J Ophthalmol", "Plant Physiology", False, id="unrelated"),
    ],
)
def test_journal_abbreviations(abbreviated: str, full: str, agrees: bool) -> None:
    assert journal_agrees(abbreviated, full) is agrees


def test_chimera_names_the_work_whose_title_was_taken() -> None:
    other: CslItem = {
        "DOI": "10.1234/other",
        "title": "Magnesium in prevention and therapy",
        "author": [{"family": "Gröber", "given": "Uwe"}],
        "issued": date_parts(2015),
    }
    entry = plos_entry(title="Magnesium in Prevention and Therapy")
    finding = chimera_finding(entry, plos(), [plos(), other])
    assert finding is not None
    assert (finding.code, finding.severity, finding.field) == ("chimera", "error", "title")
    assert "10.1234/other" in finding.message
    assert "10.1371/journal.pone.0033693" in finding.message


@pytest.mark.parametrize(
    "others",
    [
        pytest.param([], id="nothing_found"),
        pytest.param([{"DOI": "10.1/x", "title": "Something else entirely"}], id="other_title"),
    ],
)
def test_no_chimera_without_a_work_owning_the_title(others: list[CslItem]) -> None:
    assert chimera_finding(plos_entry(title="Magnesium therapy"), plos(), others) is None


def test_correction_from_recorded_publisher_record() -> None:
    (finding,) = update_findings(plos())
    assert (finding.code, finding.severity) == ("corrected", "info")
    assert "10.1371/annotation/c76da2c1-ccb8-4797-94c1-359d3ceceeda" in finding.message
    assert "2012-05-08" in finding.message
    assert "source: publisher" in finding.message


def test_notice_itself_from_recorded_list() -> None:
    items = load_fixture("works_list_with_update_to_correction.json")["message"]["items"]
    notice = crossref_to_csl(next(i for i in items if i["DOI"] == "10.1111/ijal.12281"))
    (finding,) = update_findings(notice)
    assert (finding.code, finding.severity) == ("is_notice", "warning")
    assert "correction notice for 10.1111/ijal.12157" in finding.message


def test_retraction_from_both_sources_reported_once() -> None:
    (finding,) = update_findings(own_record("check_retraction_wakefield_1998.json"))
    assert (finding.code, finding.severity) == ("retracted", "error")
    assert "10.1016/S0140-6736(10)60175-4" in finding.message
    assert "2010-02-06" in finding.message
    assert "source: publisher, retraction-watch" in finding.message


def test_retraction_watch_only_updates() -> None:
    findings = update_findings(own_record("check_retraction_watch_only.json"))
    assert codes(findings) == [("expression_of_concern", "warning"), ("retracted", "error")]
    assert all("source: retraction-watch" in f.message for f in findings)
    assert "2020-07-15" in findings[1].message


def test_preprint_with_published_version() -> None:
    (finding,) = update_findings(own_record("check_preprint_with_published_version.json"))
    assert (finding.code, finding.severity) == ("preprint_published", "warning")
    assert "10.5555/check.published" in finding.message


def test_audit_record_combines_agreement_and_updates() -> None:
    entry = plos_entry(volume="8")
    assert codes(audit_record(entry, plos())) == [
        ("volume_mismatch", "error"),
        ("corrected", "info"),
    ]


@pytest.mark.parametrize(
    ("findings", "status", "fails_on_warning"),
    [
        pytest.param([], "ok", False, id="clean"),
        pytest.param([Finding("corrected", "info", "m")], "ok", False, id="info_only"),
        pytest.param([Finding("author_order", "warning", "m")], "warning", True, id="warning"),
        pytest.param([Finding("x", "warning", "m"), no_match()], "error", True, id="error_wins"),
    ],
)
def test_status_and_threshold(findings: list[Finding], status: str, fails_on_warning: bool) -> None:
    assert status_of(findings) == status
    assert at_or_above(findings, "warning") is fails_on_warning
    assert at_or_above(findings, "error") is (status == "error")


def test_existence_findings_are_errors_with_advice() -> None:
    missing = doi_not_found("10.9999/nope")
    assert (missing.code, missing.severity, missing.field) == ("doi_not_found", "error", "DOI")
    assert "10.9999/nope" in missing.message
    assert no_match().message == "no matching record found: check that this reference exists"
    assert missing.to_json() == {
        "code": "doi_not_found",
        "severity": "error",
        "field": "DOI",
        "message": missing.message,
    }


@pytest.mark.parametrize(
    ("raw", "changes", "expected"),
    [
        pytest.param(
            "Kaquver CL, Sadasivan S. Methylphenidate exposure. PLoS One 2012;7(3):e33693",
            {"author": [{"family": "Kaquver", "given": "C. L."}]},
            [("author_mismatch", "error")],
            id="record_author_later_in_the_list",
        ),
        pytest.param(
            "Sadasivan S, Pond BB. Methylphenidate exposure. PLoS One 2012;7(3):e33693",
            {"author": [{"family": "Methylphenidate"}]},
            [],
            id="parser_took_a_title_word_for_the_author",
        ),
        pytest.param(
            "Sadasivan S. Methylphenidate exposure. PLoS One. 2012;7(3):e33693",
            {"volume": "2012"},
            [],
            id="parser_took_the_year_for_the_volume",
        ),
        pytest.param(
            "Sadasivan S. Methylphenidate exposure, 2012. PLoS One 2012a;7:e33693",
            {"volume": "2012a", "issued": None},
            [],
            id="year_with_a_letter",
        ),
        pytest.param(
            "Sadasivan S. Methylphenidate exposure. PLoS One 2012;9:7-12, e33693",
            {"volume": "9", "page": "e33693"},
            [("volume_mismatch", "error")],
            id="record_volume_elsewhere_in_text",
        ),
    ],
)
def test_raw_text_excuses_only_real_parser_mistakes(
    raw: str, changes: dict[str, Any], expected: list[tuple[str, str]]
) -> None:
    assert codes(compare(plos_entry(**changes), plos(), raw)) == expected


def test_chimera_behind_a_group_author_prefix() -> None:
    other: CslItem = {"DOI": "10.1234/other", "title": "Global prevalence of dementia: a consensus"}
    entry = plos_entry(
        title="Alzheimer's Disease International: Global prevalence of dementia: a consensus"
    )
    finding = chimera_finding(entry, plos(), [other])
    assert finding is not None
    assert finding.code == "chimera"


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        pytest.param({"page": "e33693"}, [], id="same_article_number"),
        pytest.param(
            {"author": [{"family": "Sadasivian", "given": "S"}]},
            [("author_spelling", "warning")],
            id="misspelt_author",
        ),
    ],
)
def test_misspellings_are_warnings(
    changes: dict[str, Any], expected: list[tuple[str, str]]
) -> None:
    assert codes(compare(plos_entry(**changes), plos())) == expected


@pytest.mark.parametrize(
    ("entry_page", "record_page", "agrees"),
    [
        pytest.param("303318", "303-318", True, id="dash_lost"),
        pytest.param("143240", "1432-1440", True, id="dash_lost_abbreviated_end"),
        pytest.param("303", "303", True, id="same"),
        pytest.param("304318", "303-318", False, id="other_page"),
        pytest.param("30", "303", False, id="prefix_only"),
    ],
)
def test_page_ranges_whose_dash_was_lost(entry_page: str, record_page: str, agrees: bool) -> None:
    record = {**plos(), "page": record_page}
    found = codes(compare(plos_entry(page=entry_page), record))
    assert (found == []) is agrees


@pytest.mark.parametrize(
    ("changes", "corroborated"),
    [
        pytest.param({}, True, id="agrees_everywhere"),
        pytest.param({"issued": date_parts(2014)}, False, id="year_differs"),
        pytest.param({"title": "Magnesium in prevention and therapy"}, False, id="title_differs"),
        pytest.param({"author": None}, False, id="no_author_to_compare"),
        pytest.param({"volume": None, "page": None}, False, id="no_numbers_to_compare"),
    ],
)
def test_corroborates(changes: dict[str, Any], corroborated: bool) -> None:
    assert corroborates(plos_entry(**changes), plos()) is corroborated


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param(
            "Sadasivan S. Methylphenidate. PLoS One. 7(3):e33693 (2012)", [], id="in_text"
        ),
        pytest.param(
            "Sadasivan S. Methylphenidate. PLoS One 2014, 7:e33693",
            [("year_mismatch", "error")],
            id="other_year_in_text",
        ),
    ],
)
def test_unread_year_is_looked_for_in_the_text(raw: str, expected: list[tuple[str, str]]) -> None:
    assert codes(compare(plos_entry(issued=None), plos(), raw)) == expected


def test_page_with_a_thousands_separator_in_the_text() -> None:
    raw = "Sadasivan S. Methylphenidate exposure. PLoS One 2012;7:10 364-10 368"
    record = {**plos(), "page": "10 364"}
    assert compare(plos_entry(page="364-310"), record, raw) == []


def test_misspelt_author_and_translated_title_are_not_another_work() -> None:
    entry = plos_entry(
        author=[{"family": "Sadasivian", "given": "S"}],
        title="Methylfenidaat veroorzaakt verlies van dopamineneuronen bij muizen",
    )
    assert codes(compare(entry, plos())) == [
        ("author_spelling", "warning"),
        ("title_mismatch", "warning"),
    ]
