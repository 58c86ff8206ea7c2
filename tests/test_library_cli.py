"""The library commands through the CLI runner: stdout, stderr and exit codes."""

from __future__ import annotations

import json
import stat
import tempfile
from pathlib import Path

import pytest

from refman.cli.context import AppState
from refman.library import Document
from refman.services import library as service
from tests.conftest import PROJECT, CannedResponse, Cli, LocalServer, load_fixture
from tests.test_library_service import GROBER_TEXT, MESSY, FakeResolver, ambiguous, matched


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> FakeResolver:
    resolver = FakeResolver(
        {GROBER_TEXT: matched(GROBER_TEXT), "uncertain": ambiguous("uncertain")}
    )
    monkeypatch.setattr(service, "default_resolver", resolver)
    return resolver


@pytest.fixture
def messy(cli: Cli) -> Path:
    path = cli.tmp_path / "library.bib"
    path.write_bytes(MESSY.read_bytes())
    return path


def entries(cli: Cli) -> Document:
    return Document((cli.tmp_path / "library.bib").read_text("utf-8"))


def test_readme_main_job_works_when_crossref_is_unreachable(cli: Cli) -> None:
    result = cli("--library", "demo.bib", "import", str(PROJECT / "examples" / "references.txt"))
    assert result.exit_code == 0, result.stderr
    unreachable = [line for line in result.stderr.splitlines() if "unreachable" in line]
    assert unreachable == [
        "Warning: Crossref was unreachable: stored the references from their parsed fields, "
        "marked unverified (verify them later with `refman check`)"
    ]
    keys = result.stdout.split()
    assert keys[:3] == ["hausenblas2024magnesiuml", "abbasi2012effect", "grober2015magnesium"]
    document = Document((cli.tmp_path / "demo.bib").read_text("utf-8"))
    assert [e.key for e in document.entries] == keys
    assert all(e.item["_refman"]["verified"] is False for e in document.entries)
    assert f"added {len(keys)}, duplicates skipped 0" in result.stderr


def test_add_shows_the_match_and_stores(cli: Cli, fake: FakeResolver) -> None:
    result = cli("add", "--yes", GROBER_TEXT)
    assert result.exit_code == 0
    assert result.stdout == "grober2015magnesium\n"
    assert "+ grober2015magnesium: Gröber, Schmidt, Kisters (2015) Magnesium in Prevention" in (
        result.stderr
    )
    assert "pasted: Magnesium in preventie en therapie" in result.stderr
    assert "found:  Magnesium in Prevention and Therapy" in result.stderr
    assert "matched 10.3390/nu7095388 (confidence 0.97)" in result.stderr
    assert [e.key for e in entries(cli).entries] == ["grober2015magnesium"]


def test_add_without_terminal_follows_thresholds(cli: Cli, fake: FakeResolver) -> None:
    result = cli("add", "uncertain")
    assert result.exit_code == 0
    assert "kept the parsed fields, marked unverified" in result.stderr
    assert entries(cli).entries[0].item["_refman"]["verified"] is False


@pytest.mark.parametrize(
    ("answer", "doi", "stdout"),
    [
        pytest.param("2\n", "10.3390/nu7095388", "grober2015magnesium\n", id="pick_candidate_2"),
        pytest.param("p\n", None, "grober2015magnesium\n", id="keep_parsed"),
        pytest.param("s\n", None, "", id="skip"),
    ],
)
def test_add_asks_in_a_terminal(
    cli: Cli,
    fake: FakeResolver,
    monkeypatch: pytest.MonkeyPatch,
    answer: str,
    doi: str | None,
    stdout: str,
) -> None:
    monkeypatch.setattr(AppState, "interactive", property(lambda self: True))
    result = cli("add", "uncertain", input=answer)
    assert result.exit_code == 0
    echoed, *keys = result.stdout.split()  # CliRunner echoes the typed answer to stdout
    assert (echoed, keys) == (answer.strip(), stdout.split())
    assert "[2] 0.69 10.3390/nu7095388: Gröber, Schmidt, Kisters (2015)" in result.stderr
    shows_diff = "found:  Magnesium in Prevention and Therapy" in result.stderr
    assert shows_diff is (doi is not None)
    assert "Pick a number, p = keep the parsed fields, s = skip" in result.stderr
    stored = entries(cli).entries if stdout else []
    assert [e.item.get("DOI") for e in stored] == ([doi] if stdout else [])


def test_add_dry_run(cli: Cli, fake: FakeResolver) -> None:
    result = cli("add", "--dry-run", GROBER_TEXT)
    assert result.exit_code == 0
    assert "would add 1" in result.stderr
    assert not (cli.tmp_path / "library.bib").exists()


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["list"], id="list"),
        pytest.param(["search", "x"], id="search"),
        pytest.param(["show", "k"], id="show"),
        pytest.param(["remove", "k"], id="remove"),
        pytest.param(["edit", "k"], id="edit"),
    ],
)
def test_read_commands_on_a_missing_library(cli: Cli, args: list[str]) -> None:
    result = cli(*args)
    assert result.exit_code == 5
    assert result.stdout == ""
    assert result.stderr.startswith("Error: library ")
    assert "does not exist; add a reference with `refman add ...`" in result.stderr


def test_list_reports_problems_and_prints_keys(cli: Cli, messy: Path) -> None:
    result = cli("list", "--format", "keys", "--sort", "year")
    assert result.exit_code == 0
    assert result.stdout.split() == [
        "nih2025",
        "vanderwaals1873",
        "knuth1997",
        "abbasi2012",
        "Grober2015",
    ]
    assert "line 39: entry 'broken2020' could not be parsed" in result.stderr
    assert "line 52: duplicate key 'Grober2015'" in result.stderr


def test_list_json_is_csl(cli: Cli, messy: Path) -> None:
    result = cli("list", "-f", "json")
    assert result.exit_code == 0
    assert [item["id"] for item in json.loads(result.stdout)][:2] == ["abbasi2012", "Grober2015"]


def test_search(cli: Cli, messy: Path) -> None:
    result = cli("search", "author:grober year:2010..2020")
    assert result.exit_code == 0
    assert result.stdout.startswith("Grober2015 ")
    assert "1 entry matches" in result.stderr
    missing = cli("search", "zebra")
    assert missing.exit_code == 3
    assert missing.stdout == ""
    assert "no entry matches 'zebra'" in missing.stderr


def test_show_formats(cli: Cli, messy: Path) -> None:
    raw = cli("show", "knuth1997")
    assert raw.exit_code == 0
    assert raw.stdout.startswith("@book(knuth1997,\n")
    data = cli("show", "knuth1997", "--format", "csl-json")
    assert json.loads(data.stdout)[0]["publisher"] == "Addison-Wesley"
    unknown = cli("show", "nope")
    assert (unknown.exit_code, unknown.stdout) == (3, "")
    assert "no entry with key 'nope'" in unknown.stderr


def test_show_text_uses_a_citation_style(cli: Cli, messy: Path) -> None:
    result = cli("show", "Grober2015", "--format", "text", "--style", "apa")
    assert result.exit_code == 0, result.stderr
    assert "Gröber, U." in result.stdout
    assert "Magnesium in Prevention and Therapy" in result.stdout


def test_remove(cli: Cli, messy: Path) -> None:
    result = cli("remove", "knuth1997", "nih2025")
    assert result.exit_code == 0
    assert result.stderr == "removed knuth1997\nremoved nih2025\n"
    assert [e.key for e in entries(cli).entries] == ["Grober2015", "abbasi2012", "vanderwaals1873"]
    unknown = cli("remove", "nope")
    assert unknown.exit_code == 3


def editor_script(tmp_path: Path, sed: str) -> str:
    script = tmp_path / "editor.sh"
    script.write_text(f'#!/bin/sh\nsed -i "{sed}" "$1"\n', "utf-8")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return str(script)


def test_edit_through_editor(cli: Cli, messy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EDITOR", editor_script(cli.tmp_path, "s/{3rd}/{Third}/"))
    monkeypatch.delenv("VISUAL", raising=False)
    result = cli("edit", "knuth1997")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == "updated knuth1997: edition\n"
    assert entries(cli).find("knuth1997").item["edition"] == "Third"


def test_invalid_edit_is_not_saved(cli: Cli, messy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(cli.tmp_path))
    monkeypatch.setenv("EDITOR", editor_script(cli.tmp_path, "s/knuth1997,/other,/"))
    monkeypatch.delenv("VISUAL", raising=False)
    before = messy.read_bytes()
    result = cli("edit", "knuth1997")
    assert result.exit_code == 6
    assert "the key must stay 'knuth1997'" in result.stderr
    assert messy.read_bytes() == before


def test_add_a_doi_through_crossref_over_http(cli: Cli, http_server: LocalServer) -> None:
    body = load_fixture("work_journal_article_plos_updated_by_correction.json")
    doi = body["message"]["DOI"]
    http_server.route(f"/works/{doi}", CannedResponse(body=body))
    result = cli("--crossref-url", http_server.url, "add", "--yes", doi)
    assert result.exit_code == 0, result.stderr
    [entry] = entries(cli).entries
    assert result.stdout == f"{entry.key}\n"
    assert entry.key.startswith("sadasivan2012methylphe")
    assert entry.item["DOI"].lower() == doi.lower()
    assert entry.item["_refman"]["source"] == "crossref"
    assert entry.item["_refman"]["verified"] is True
