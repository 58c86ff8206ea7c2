"""doi.org content negotiation, arXiv, NCBI and Open Library over a local server."""

from __future__ import annotations

from pathlib import Path

import pytest

from refman.sources.cache import Cache
from refman.sources.http import HttpClient, RetryPolicy, Throttle
from refman.sources.identifiers import CSL_JSON, IdentifierClient, arxiv_entry_to_csl
from refman.sources.lookup import Fetcher
from tests.conftest import CannedResponse, LocalServer

ARXIV_FEED = b"""<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom">
  <entry>
    <id>http://arxiv.org/abs/1706.03762v7</id>
    <published>2017-06-12T17:57:34Z</published>
    <title>Attention Is All
      You Need</title>
    <author><name>Ashish Vaswani</name></author>
    <author><name>Noam Shazeer</name></author>
  </entry>
</feed>"""
ARXIV_ERROR = b"""<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <entry><id>http://arxiv.org/api/errors#incorrect_id_format_for_9999</id><title>Error</title></entry>
</feed>"""


def make_client(server: LocalServer, tmp_path: Path) -> IdentifierClient:
    throttle = Throttle(rate=1000, concurrency=1, policy=RetryPolicy(2, 0.0, 0.0))
    http = HttpClient(user_agent="refman-test", timeout=5, throttle=throttle)
    return IdentifierClient(
        Fetcher(http, Cache(tmp_path)),
        doi_url=f"{server.url}/doi",
        arxiv_url=f"{server.url}/arxiv",
        ncbi_url=f"{server.url}/idconv",
        openlibrary_url=f"{server.url}/ol",
        mailto="t@example.org",
    )


def test_doi_content_negotiation_asks_for_csl_json(
    http_server: LocalServer, tmp_path: Path
) -> None:
    record = {"type": "dataset", "DOI": "10.5061/dryad.8515", "title": "Data from: a study"}
    http_server.route("/doi/10.5061/dryad.8515", CannedResponse(200, record, content_type=CSL_JSON))
    assert make_client(http_server, tmp_path).doi_csl("10.5061/dryad.8515") == record
    assert http_server.requests[0].headers["accept"] == CSL_JSON


def test_doi_unknown_everywhere_is_none(http_server: LocalServer, tmp_path: Path) -> None:
    http_server.route(
        "/doi/10.9999/none", CannedResponse(404, "<html>DOI Not Found</html>", {}, "text/html")
    )
    assert make_client(http_server, tmp_path).doi_csl("10.9999/none") is None


def test_arxiv_record(http_server: LocalServer, tmp_path: Path) -> None:
    http_server.route(
        "/arxiv/query", CannedResponse(200, ARXIV_FEED, content_type="application/atom+xml")
    )
    item = make_client(http_server, tmp_path).arxiv("1706.03762")
    assert item is not None
    assert item["title"] == "Attention Is All You Need"
    assert item["author"][0] == {"family": "Vaswani", "given": "Ashish"}
    assert item["issued"] == {"date-parts": [[2017]]}
    assert http_server.requests[0].query["id_list"] == ["1706.03762"]


@pytest.mark.parametrize(
    "body",
    [pytest.param(ARXIV_ERROR, id="api-error-entry"), pytest.param(b"<feed", id="broken-xml")],
)
def test_arxiv_without_a_record_is_none(body: bytes) -> None:
    assert arxiv_entry_to_csl(body, "9999") is None


def test_pmid_to_doi(http_server: LocalServer, tmp_path: Path) -> None:
    body = {
        "status": "ok",
        "records": [{"pmid": "39252819", "doi": "10.1016/j.sleepx.2024.100121"}],
    }
    http_server.route("/idconv/", CannedResponse(200, body))
    assert make_client(http_server, tmp_path).pmid_doi("39252819") == "10.1016/j.sleepx.2024.100121"
    assert http_server.requests[0].query["email"] == ["t@example.org"]


def test_pmid_without_doi_is_none(http_server: LocalServer, tmp_path: Path) -> None:
    http_server.route("/idconv/", CannedResponse(200, {"records": [{"pmid": "1"}]}))
    assert make_client(http_server, tmp_path).pmid_doi("1") is None


def test_isbn_from_open_library(http_server: LocalServer, tmp_path: Path) -> None:
    body = {
        "ISBN:9783319539232": {
            "title": "A book",
            "authors": [{"name": "Jane Q. Doe"}],
            "publishers": [{"name": "Springer"}],
            "publish_places": [{"name": "Cham"}],
            "publish_date": "2017",
        }
    }
    http_server.route("/ol/api/books", CannedResponse(200, body))
    item = make_client(http_server, tmp_path).isbn("9783319539232")
    assert item == {
        "type": "book",
        "title": "A book",
        "author": [{"family": "Doe", "given": "Jane Q."}],
        "ISBN": "9783319539232",
        "publisher": "Springer",
        "publisher-place": "Cham",
        "issued": {"date-parts": [[2017]]},
    }


def test_unknown_isbn_is_none(http_server: LocalServer, tmp_path: Path) -> None:
    http_server.route("/ol/api/books", CannedResponse(200, {}))
    assert make_client(http_server, tmp_path).isbn("9780000000000") is None
