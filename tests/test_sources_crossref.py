"""The Crossref adapter over a local server with recorded bodies, and the CSL mapping."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from refman.crossref_csl import crossref_to_csl
from refman.sources.cache import Cache
from refman.sources.crossref import SEARCH_ROWS, CrossrefClient, user_agent
from refman.sources.http import HttpClient, RetryPolicy, Throttle
from refman.sources.lookup import Fetcher
from tests.conftest import TEST_DATA, CannedResponse, LocalServer, load_fixture

MAILTO = "t@example.org"


def make_client(url: str, cache_dir: Path, *, offline: bool = False) -> CrossrefClient:
    throttle = Throttle(rate=1000, concurrency=3, policy=RetryPolicy(2, 0.0, 0.0))
    http = HttpClient(user_agent=user_agent(MAILTO), timeout=5, throttle=throttle)
    fetcher = Fetcher(http, Cache(cache_dir), offline=offline)
    return CrossrefClient(fetcher, url, mailto=MAILTO, timeout=5, throttle=throttle)


def own_record(name: str) -> dict[str, Any]:
    record: dict[str, Any] = json.loads((TEST_DATA / "crossref" / name).read_text("utf-8"))
    return record


def test_search_sends_query_rows_select_and_mailto(
    http_server: LocalServer, tmp_path: Path
) -> None:
    http_server.route(
        "/works",
        CannedResponse(200, load_fixture("query_bibliographic_cermine_ieee_style_match.json")),
    )
    items = make_client(http_server.url, tmp_path).search("Tkaczyk CERMINE IJDAR 2015")
    assert items[0]["DOI"] == "10.1007/s10032-015-0249-8"
    request = http_server.requests[0]
    assert request.query["query.bibliographic"] == ["Tkaczyk CERMINE IJDAR 2015"]
    assert request.query["rows"] == [str(SEARCH_ROWS)]
    assert "DOI" in request.query["select"][0].split(",")
    assert "mailto:t@example.org" in request.headers["user-agent"]


def test_search_answers_are_cached(http_server: LocalServer, tmp_path: Path) -> None:
    http_server.route(
        "/works", CannedResponse(200, load_fixture("works_query_ecology_select_doi_title.json"))
    )
    make_client(http_server.url, tmp_path).search("ecology")
    again = make_client(http_server.url, tmp_path, offline=True).search("ecology")
    assert again
    assert len(http_server.requests) == 1


def test_work_percent_encodes_the_doi(http_server: LocalServer, tmp_path: Path) -> None:
    doi = "10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-0#x"
    record = {"DOI": doi, "type": "journal-article", "title": ["T"]}
    http_server.route(f"/works/{doi}", CannedResponse(200, {"status": "ok", "message": record}))
    assert make_client(http_server.url, tmp_path).work(doi) == record
    assert http_server.requests[0].path == f"/works/{doi}"


def test_unknown_doi_is_none(http_server: LocalServer, tmp_path: Path) -> None:
    assert make_client(http_server.url, tmp_path).work("10.1371/notarealdoi") is None


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        pytest.param("DataCite", "datacite", id="datacite"),
        pytest.param("Crossref", "crossref", id="crossref"),
    ],
)
def test_agency_through_habanero(
    http_server: LocalServer, tmp_path: Path, label: str, expected: str
) -> None:
    body = {
        "status": "ok",
        "message": {"DOI": "10.5061/dryad.8515", "agency": {"id": expected, "label": label}},
    }
    http_server.route("/works/10.5061/dryad.8515/agency", CannedResponse(200, body))
    assert make_client(http_server.url, tmp_path).agency("10.5061/dryad.8515") == expected


def test_agency_of_unknown_doi_is_none(http_server: LocalServer, tmp_path: Path) -> None:
    assert make_client(http_server.url, tmp_path).agency("10.9999/nothing") is None


@pytest.mark.parametrize(
    "failure",
    [
        pytest.param(CannedResponse(503, "busy", {"Retry-After": "0"}, "text/plain"), id="503"),
        pytest.param(CannedResponse(200, '{"status": "ok", "mess'), id="truncated-json"),
    ],
)
def test_agency_retries_transient_failures(
    http_server: LocalServer, tmp_path: Path, failure: CannedResponse
) -> None:
    body = {"status": "ok", "message": {"agency": {"id": "crossref", "label": "Crossref"}}}
    http_server.route("/works/10.1/a/agency", [failure, CannedResponse(200, body)])
    assert make_client(http_server.url, tmp_path).agency("10.1/a") == "crossref"
    assert len(http_server.requests) == 2


# --- Crossref JSON -> CSL-JSON --------------------------------------------------------------------


def test_journal_article_keeps_updated_by_for_audits() -> None:
    record = load_fixture("work_journal_article_plos_updated_by_correction.json")["message"]
    item = crossref_to_csl(record)
    assert item["type"] == "article-journal"
    assert item["DOI"] == "10.1371/journal.pone.0033693"
    assert item["_crossref"]["updated-by"][0]["type"] == "correction"
    assert len(item["author"]) == 6


def test_update_to_on_a_notice_is_kept() -> None:
    items = load_fixture("works_list_with_update_to_correction.json")["message"]["items"]
    notice = next(i for i in items if i["DOI"] == "10.1111/ijal.12281")
    assert crossref_to_csl(notice)["_crossref"]["update-to"][0]["DOI"] == "10.1111/ijal.12157"


@pytest.mark.parametrize(
    ("fixture", "csl_type", "field", "value"),
    [
        pytest.param(
            "work_proceedings_article_ieee.json",
            "paper-conference",
            "DOI",
            "10.1109/icdcsw.2003.1203662",
            id="proceedings",
        ),
        pytest.param(
            "work_book_edited_rsc.json", "book", "DOI", "10.1039/9781788019972", id="edited-book"
        ),
        pytest.param(
            "work_book_monograph_springer.json", "book", "publisher-place", "Cham", id="monograph"
        ),
    ],
)
def test_types_and_fields(fixture: str, csl_type: str, field: str, value: str) -> None:
    item = crossref_to_csl(load_fixture(fixture)["message"])
    assert item["type"] == csl_type
    assert item[field] == value


def test_edited_book_has_editors_not_authors() -> None:
    item = crossref_to_csl(load_fixture("work_book_edited_rsc.json")["message"])
    assert "author" not in item
    assert item["editor"][0]["family"]


def test_article_number_record_of_the_article() -> None:
    item = crossref_to_csl(own_record("sleepx_2024_100121.json"))
    assert item["container-title"] == "Sleep Medicine: X"
    assert item["number"] == "100121"
    assert item["issued"] == {"date-parts": [[2024]]}
    assert item["author"][0] == {"family": "Hausenblas", "given": "H. A."}
    assert item["_crossref"]["updated-by"][0]["DOI"] == "10.1016/j.sleepx.2025.100141"
