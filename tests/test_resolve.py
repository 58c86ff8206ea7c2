"""The resolver service and ``refman resolve`` against a local Crossref-like server."""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any

import pytest

from refman.config import Settings
from refman.errors import Interrupted
from refman.services.resolve import Resolution, Resolver
from tests.conftest import TEST_DATA, CannedResponse, Cli, LocalServer, Request

ARTICLE = [
    "Hausenblas HA, Lynch T, Hooper S, Shrestha A, Rosendale D, Gu J. Magnesium-L-threonaat "
    "verbetert de slaapkwaliteit en het functioneren overdag bij volwassenen met "
    "zelfgerapporteerde slaapstoornissen: een gerandomiseerde gecontroleerde studie. "
    "Sleep Med X. 2024;8:100121.",
    "Abbasi B, Kimiagar M, Sadeghniiat K, et al. Het effect van magnesiumsupplementen op "
    "primaire slapeloosheid bij oudere volwassenen: een dubbelblind, placebogecontroleerd "
    "klinisch onderzoek. J Res Med Sci. 2012;17(12):1161-1169.",
    "Gröber U, Schmidt J, Kisters K. Magnesium in preventie en therapie. Nutrients. "
    "2015;7(9):8199-8226.",
    "National Institutes of Health. Magnesium—Fact Sheet for Health Professionals. "
    "https://ods.od.nih.gov/factsheets/Magnesium-HealthProfessional/. Geraadpleegd in 2025.",
]
SLEEP_DOI = "10.1016/j.sleepx.2024.100121"
NUTRIENTS_DOI = "10.3390/nu7095388"


def own(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((TEST_DATA / "crossref" / name).read_text("utf-8"))
    return data


RECORDS = {SLEEP_DOI: own("sleepx_2024_100121.json"), NUTRIENTS_DOI: own("nutrients_7_8199.json")}


def search_answer(request: Request) -> CannedResponse:
    """Both article records for every search, best guess first, like a search engine."""
    query = request.query.get("query.bibliographic", [""])[0].lower()
    items = sorted(RECORDS.values(), key=lambda r: r["title"][0].split()[0].lower() not in query)
    return CannedResponse(200, {"status": "ok", "message": {"items": items}})


def serve_crossref(server: LocalServer) -> None:
    server.route("/works", search_answer)
    for doi, record in RECORDS.items():
        server.route(f"/works/{doi}", CannedResponse(200, {"status": "ok", "message": record}))


def settings(server_url: str, tmp_path: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "crossref_url": server_url,
        "doi_url": f"{server_url}/doi",
        "arxiv_url": f"{server_url}/arxiv",
        "ncbi_url": f"{server_url}/idconv",
        "openlibrary_url": f"{server_url}/ol",
        "cache_dir": str(tmp_path / "cache"),
        "mailto": "t@example.org",
    }
    return Settings(**{**values, **overrides})


def closed_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def resolve(server: LocalServer, tmp_path: Path, texts: list[str], **kw: Any) -> list[Resolution]:
    with Resolver(settings(server.url, tmp_path, **kw)) as resolver:
        return resolver.resolve_texts(texts)


def test_the_articles_four_references(http_server: LocalServer, tmp_path: Path) -> None:
    serve_crossref(http_server)
    results = resolve(http_server, tmp_path, ARTICLE)
    assert [r.status for r in results] == ["matched", "unmatched", "matched", "unmatched"]
    assert [r.doi for r in results] == [SLEEP_DOI, None, NUTRIENTS_DOI, None]
    assert results[0].confidence >= 0.9
    assert results[0].item["container-title"] == "Sleep Medicine: X"
    assert results[0].item["_crossref"]["updated-by"][0]["type"] == "correction"
    assert results[1].item["volume"] == "17"  # the parsed fields are kept
    assert results[1].candidates  # and what was considered is shown


def test_jsonl_shape(http_server: LocalServer, tmp_path: Path) -> None:
    serve_crossref(http_server)
    line = resolve(http_server, tmp_path, ARTICLE[2:3])[0].to_json()
    assert set(line) == {"input", "status", "doi", "confidence", "item", "candidates"}
    assert set(line["candidates"][0]) == {"doi", "confidence", "title", "why"}
    assert 0.0 <= line["confidence"] <= 1.0
    json.dumps(line)


def test_identical_inputs_are_looked_up_once(http_server: LocalServer, tmp_path: Path) -> None:
    serve_crossref(http_server)
    results = resolve(http_server, tmp_path, [ARTICLE[2], ARTICLE[2], ARTICLE[2]])
    assert [r.doi for r in results] == [NUTRIENTS_DOI] * 3
    assert len(http_server.requests) == 1


def test_second_run_comes_from_the_cache(http_server: LocalServer, tmp_path: Path) -> None:
    serve_crossref(http_server)
    first = resolve(http_server, tmp_path, ARTICLE)
    again = resolve(http_server, tmp_path, ARTICLE, offline=True)
    assert [r.doi for r in again] == [r.doi for r in first]
    assert len(http_server.requests) == len(ARTICLE)  # one search each, none offline


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(NUTRIENTS_DOI, id="bare-doi"),
        pytest.param(f"https://doi.org/{NUTRIENTS_DOI}", id="doi-url"),
        pytest.param(
            f"Gröber U. Magnesium in prevention and therapy. Nutrients 2015;7:8199. "
            f"doi:{NUTRIENTS_DOI}.",
            id="in-text",
        ),
    ],
)
def test_stated_doi_is_checked_with_works(
    http_server: LocalServer, tmp_path: Path, text: str
) -> None:
    serve_crossref(http_server)
    result = resolve(http_server, tmp_path, [text])[0]
    assert (result.status, result.doi) == ("matched", NUTRIENTS_DOI)
    assert [r.path for r in http_server.requests] == [f"/works/{NUTRIENTS_DOI}"]


def test_stated_doi_that_contradicts_the_text_is_not_trusted(
    http_server: LocalServer, tmp_path: Path
) -> None:
    serve_crossref(http_server)
    text = f"Gröber U. Magnesium. Nutrients 2012;17:1161. doi:{SLEEP_DOI}"
    result = resolve(http_server, tmp_path, [text])[0]
    assert result.doi != SLEEP_DOI
    assert "/works" in [r.path for r in http_server.requests]


def test_datacite_doi_through_content_negotiation(http_server: LocalServer, tmp_path: Path) -> None:
    doi = "10.5061/dryad.8515"
    agency = {"status": "ok", "message": {"agency": {"id": "datacite", "label": "DataCite"}}}
    http_server.route(f"/works/{doi}/agency", CannedResponse(200, agency))
    csl = {"type": "dataset", "DOI": doi, "title": "Data from: a study"}
    http_server.route(f"/doi/{doi}", CannedResponse(200, csl))
    result = resolve(http_server, tmp_path, [doi])[0]
    assert (result.status, result.doi, result.item["type"]) == ("matched", doi, "dataset")


def test_pmid_goes_through_ncbi_to_crossref(http_server: LocalServer, tmp_path: Path) -> None:
    serve_crossref(http_server)
    body = {"records": [{"pmid": "39252819", "doi": SLEEP_DOI}]}
    http_server.route("/idconv/", CannedResponse(200, body))
    result = resolve(http_server, tmp_path, ["PMID: 39252819"])[0]
    assert (result.status, result.doi) == ("matched", SLEEP_DOI)


def test_fetch_doi(http_server: LocalServer, tmp_path: Path) -> None:
    serve_crossref(http_server)
    with Resolver(settings(http_server.url, tmp_path)) as resolver:
        item = resolver.fetch_doi(SLEEP_DOI)
        assert item is not None
        assert item["_crossref"]["updated-by"][0]["DOI"] == "10.1016/j.sleepx.2025.100141"
        assert resolver.fetch_doi("10.9999/none") is None


def test_resolve_items_builds_a_query_from_fields(http_server: LocalServer, tmp_path: Path) -> None:
    serve_crossref(http_server)
    entry = {
        "type": "article-journal",
        "author": [{"family": "Gröber", "given": "Uwe"}],
        "title": "Magnesium in Prevention and Therapy",
        "container-title": "Nutrients",
        "issued": {"date-parts": [[2015]]},
        "volume": "7",
        "issue": "9",
        "page": "8199-8226",
    }
    with Resolver(settings(http_server.url, tmp_path)) as resolver:
        result = resolver.resolve_items([entry])[0]
    assert (result.status, result.doi) == ("matched", NUTRIENTS_DOI)


def test_server_errors_are_retried(http_server: LocalServer, tmp_path: Path) -> None:
    answers = [CannedResponse(503, "busy", {"Retry-After": "0"}, "text/plain")]
    answers.append(search_answer(Request("GET", "/works", {"query.bibliographic": ["gröber"]}, {})))
    http_server.route("/works", answers)
    result = resolve(http_server, tmp_path, ARTICLE[2:3])[0]
    assert (result.status, result.doi) == ("matched", NUTRIENTS_DOI)


def test_unreachable_crossref_gives_errors_quickly(tmp_path: Path) -> None:
    with Resolver(settings(closed_url(), tmp_path)) as resolver:
        results = resolver.resolve_texts(ARTICLE[:3])
        assert resolver.unreachable
    assert [r.status for r in results] == ["error"] * 3
    assert all("could not be reached" in (r.message or "") for r in results)
    assert results[2].item["container-title"] == "Nutrients"  # parsed fields kept


def test_offline_uses_only_the_cache(tmp_path: Path) -> None:
    with Resolver(settings(closed_url(), tmp_path, offline=True)) as resolver:
        result = resolver.resolve_texts(ARTICLE[:1])[0]
        assert not resolver.unreachable
    assert result.status == "error"
    assert "offline" in (result.message or "")


def test_missing_mailto_means_public_pool(tmp_path: Path) -> None:
    with Resolver(settings(closed_url(), tmp_path, mailto="")) as resolver:
        assert resolver.pool_warning is not None
        assert resolver.throttle.limiter.capacity == 5
    with Resolver(settings(closed_url(), tmp_path)) as resolver:
        assert resolver.pool_warning is None


# --- CLI --------------------------------------------------------------------------------------


def test_cli_jsonl_one_line_per_input(cli: Cli, http_server: LocalServer, tmp_path: Path) -> None:
    serve_crossref(http_server)
    refs = tmp_path / "refs.txt"
    refs.write_text("\n\n".join(ARTICLE) + "\n", "utf-8")
    result = cli(
        "resolve",
        "--file",
        str(refs),
        "--crossref-url",
        http_server.url,
        "--mailto",
        "t@example.org",
    )
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert result.exit_code == 0
    assert [line["input"] for line in lines] == ARTICLE
    assert [line["doi"] for line in lines] == [SLEEP_DOI, None, NUTRIENTS_DOI, None]
    assert result.stderr == ""


def test_cli_warns_once_without_mailto(cli: Cli, http_server: LocalServer) -> None:
    serve_crossref(http_server)
    result = cli("resolve", ARTICLE[2], "--crossref-url", http_server.url)
    assert result.exit_code == 0
    assert json.loads(result.stdout)["doi"] == NUTRIENTS_DOI
    assert result.stderr.count("\n") == 1
    assert "REFMAN_MAILTO" in result.stderr


def test_cli_unreachable_reports_each_reference(cli: Cli) -> None:
    result = cli(
        "resolve",
        ARTICLE[0],
        ARTICLE[2],
        "--crossref-url",
        closed_url(),
        "--mailto",
        "t@example.org",
    )
    statuses = [json.loads(line)["status"] for line in result.stdout.splitlines()]
    assert statuses == ["error", "error"]
    assert result.exit_code == 4
    assert "could not be reached" in result.stderr


def test_cli_table_and_stdin(cli: Cli, http_server: LocalServer) -> None:
    serve_crossref(http_server)
    result = cli(
        "resolve",
        "--file",
        "-",
        "--format",
        "table",
        "--crossref-url",
        http_server.url,
        "--mailto",
        "t@example.org",
        input=ARTICLE[2] + "\n",
    )
    assert result.exit_code == 0
    assert NUTRIENTS_DOI in result.stdout
    assert "matched" in result.stdout


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        pytest.param(("resolve",), 2, "no references given", id="nothing-to-resolve"),
        pytest.param(
            ("resolve", "--file", "missing.txt"), 6, "cannot read missing.txt", id="unreadable-file"
        ),
    ],
)
def test_cli_user_errors(cli: Cli, args: tuple[str, ...], code: int, message: str) -> None:
    result = cli(*args)
    assert result.exit_code == code
    assert result.stdout == ""
    assert message in result.stderr


def test_ctrl_c_stops_cleanly_after_what_finished(http_server: LocalServer, tmp_path: Path) -> None:
    serve_crossref(http_server)

    def press_ctrl_c(done: int, total: int) -> None:
        raise KeyboardInterrupt

    with Resolver(settings(http_server.url, tmp_path), progress=press_ctrl_c) as resolver:
        results = resolver.iter_texts(ARTICLE[:3])
        assert next(results).doi == SLEEP_DOI  # what finished is delivered
        with pytest.raises(Interrupted, match="after 1 of 3 references"):
            next(results)


def test_resolve_file_is_split_by_the_parsers_finder(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "article.txt"
    path.write_text(
        "Intro text.\n\nReferences\n"
        "1. Gröber U, Schmidt J, Kisters K. Magnesium in preventie en\n"
        "therapie. Nutrients. 2015;7(9):8199-8226.\n"
        "2. Smith A. An opti-\nmization study. J Test. 2001;3:1-9.\n",
        "utf-8",
    )
    result = cli("--offline", "resolve", "--file", str(path))
    inputs = [json.loads(line)["input"] for line in result.stdout.splitlines()]
    assert inputs == [
        "Gröber U, Schmidt J, Kisters K. Magnesium in preventie en therapie. "
        "Nutrients. 2015;7(9):8199-8226.",
        "Smith A. An optimization study. J Test. 2001;3:1-9.",
    ]


def test_search_returns_csl_records_best_first(http_server: LocalServer, tmp_path: Path) -> None:
    serve_crossref(http_server)
    with Resolver(settings(http_server.url, tmp_path)) as resolver:
        found = resolver.search("Magnesium in prevention and therapy, Nutrients 2015")
    assert [item["DOI"] for item in found] == [NUTRIENTS_DOI, SLEEP_DOI]
    assert found[0]["container-title"] == "Nutrients"
