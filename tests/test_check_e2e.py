"""``refman check`` end to end: the real resolver against a local server with recorded bodies."""

from __future__ import annotations

import json

from tests.conftest import TEST_DATA, CannedResponse, Cli, LocalServer, load_fixture
from tests.test_check import library_blocks

LIBRARY = library_blocks("shifted2012", "wakefield1998", "invented2021")


def serve_records(server: LocalServer) -> None:
    plos = load_fixture("work_journal_article_plos_updated_by_correction.json")
    wakefield = json.loads(
        (TEST_DATA / "crossref" / "check_retraction_wakefield_1998.json").read_text("utf-8")
    )
    server.route("/works/10.1371/journal.pone.0033693", CannedResponse(body=plos))
    server.route("/works/10.1016/S0140-6736(97)11096-0", CannedResponse(body=wakefield))


def test_check_against_recorded_records(cli: Cli, http_server: LocalServer) -> None:
    serve_records(http_server)
    (cli.tmp_path / "refs.bib").write_text(LIBRARY, encoding="utf-8")
    cli.env["REFMAN_CROSSREF_URL"] = http_server.url
    cli.env["REFMAN_MAILTO"] = "check@example.org"
    result = cli("check", "refs.bib", "--format", "json")
    assert result.exit_code == 1
    entries = json.loads(result.stdout)
    assert [(e["key"], e["status"]) for e in entries] == [
        ("shifted2012", "error"),
        ("wakefield1998", "error"),
        ("invented2021", "error"),
    ]
    year = entries[0]["findings"][0]
    assert (year["code"], year["message"]) == ("year_mismatch", "year: entry 2009, Crossref 2012")
    retraction = entries[1]["findings"][0]
    assert retraction["code"] == "retracted"
    assert "10.1016/S0140-6736(10)60175-4" in retraction["message"]
    assert "retraction-watch" in retraction["message"]
    assert entries[2]["findings"][0]["code"] == "doi_not_found"
    assert result.stderr.endswith("checked 3 entries: 0 ok, 0 with warnings, 3 with errors\n")


def test_second_run_is_answered_from_the_cache(cli: Cli, http_server: LocalServer) -> None:
    serve_records(http_server)
    (cli.tmp_path / "refs.bib").write_text(LIBRARY, encoding="utf-8")
    cli.env["REFMAN_CROSSREF_URL"] = http_server.url
    cli.env["REFMAN_MAILTO"] = "check@example.org"
    first = cli("check", "refs.bib")
    asked = len(http_server.requests)
    second = cli("check", "refs.bib")
    assert asked == 4  # two records, and the unknown DOI at /works and at /works/.../agency
    assert len(http_server.requests) == asked
    assert second.stdout == first.stdout
    assert second.exit_code == first.exit_code == 1


def test_unreachable_crossref_exits_4(cli: Cli) -> None:
    (cli.tmp_path / "refs.bib").write_text(LIBRARY, encoding="utf-8")
    result = cli("--offline", "check", "refs.bib")
    assert result.exit_code == 4
    assert "could not be checked" in result.stdout
    assert "3 not checked" in result.stdout.splitlines()[-1]
