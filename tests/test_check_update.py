"""``refman update``: diff against the record, protected user edits, writes through the library."""

from __future__ import annotations

from typing import Any

import pytest

from refman import bibtex
from refman.model import CslItem
from refman.services.update import plan_updates, render_update
from tests.conftest import Cli
from tests.test_check import PLOS_DOI, FakeLookup, fake_lookup, install_fake, plos


def stored_entry(**changes: Any) -> CslItem:
    """The PLoS record as a library entry, with a page typo and a volume the user edited."""
    item: CslItem = {**plos(), "id": "sadasivan2012", "page": "e3369", "volume": "8"}
    item.pop("_crossref", None)
    item["_refman"] = {"source": "crossref", "verified": True, "fields": {"volume": "user"}}
    item.update(changes)
    return item


@pytest.fixture
def lookup(monkeypatch: pytest.MonkeyPatch) -> FakeLookup:
    """The fake every command in the test uses."""
    return install_fake(monkeypatch)


def write_library(cli: Cli, *items: CslItem) -> None:
    text = "\n".join(bibtex.csl_to_bibtex(item, str(item["id"])) for item in items)
    (cli.tmp_path / "library.bib").write_text(text, encoding="utf-8")


def library_items(cli: Cli) -> dict[str, CslItem]:
    text = (cli.tmp_path / "library.bib").read_text(encoding="utf-8")
    return {str(item["id"]): item for item in bibtex.loads(text)}


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        pytest.param(
            None, [("volume", "8", "7", True), ("page", "e3369", "e33693", False)], id="all"
        ),
        pytest.param(["volume"], [("volume", "8", "7", False)], id="named_field_unprotected"),
    ],
)
def test_plan(fields: list[str] | None, expected: list[tuple[str, str, str, bool]]) -> None:
    (update,) = plan_updates([stored_entry()], fake_lookup(), fields)
    assert [(c.name, c.old, c.new, c.protected) for c in update.changes] == expected


def test_plan_notes_entries_it_cannot_refresh() -> None:
    entries = [stored_entry(DOI=None, id="nodoi"), stored_entry(DOI="10.9999/gone", id="gone")]
    lines = [line for u in plan_updates(entries, fake_lookup()) for line in render_update(u)]
    assert lines == [
        "nodoi: no DOI: nothing to refresh from (see `refman check`)",
        "gone (10.9999/gone): DOI 10.9999/gone does not exist: check it with `refman check`",
    ]


def test_update_yes_writes_unprotected_fields(cli: Cli, lookup: FakeLookup) -> None:
    write_library(cli, stored_entry())
    result = cli("update", "--yes")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        f"sadasivan2012 ({PLOS_DOI})",
        "  volume: 8 -> 7  [edited by you: kept; --fields volume replaces it]",
        "  page: e3369 -> e33693",
    ]
    assert result.stderr == "updated 1 of 1 entries\n"
    item = library_items(cli)["sadasivan2012"]
    assert (item["page"], item["volume"]) == ("e33693", "8")
    assert item["_refman"]["fields"] == {"volume": "user", "page": "crossref"}


def test_update_named_field_replaces_user_edit(cli: Cli, lookup: FakeLookup) -> None:
    write_library(cli, stored_entry())
    result = cli("update", "sadasivan2012", "--fields", "volume", "--yes")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[1:] == ["  volume: 8 -> 7"]
    item = library_items(cli)["sadasivan2012"]
    assert (item["page"], item["volume"]) == ("e3369", "7")


def test_update_without_yes_in_a_pipe_writes_nothing(cli: Cli, lookup: FakeLookup) -> None:
    write_library(cli, stored_entry())
    before = (cli.tmp_path / "library.bib").read_text(encoding="utf-8")
    result = cli("update")
    assert result.exit_code == 0
    assert "  page: e3369 -> e33693" in result.stdout
    assert result.stderr == "1 entries would change; run again with --yes to write them\n"
    assert (cli.tmp_path / "library.bib").read_text(encoding="utf-8") == before


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        pytest.param(["nokey"], 3, "no entry with key 'nokey'", id="unknown_key"),
        pytest.param(["--fields", "DOI"], 2, "--fields: cannot update 'DOI'", id="bad_field"),
    ],
)
def test_update_errors(
    cli: Cli, lookup: FakeLookup, args: list[str], code: int, message: str
) -> None:
    write_library(cli, stored_entry())
    result = cli("update", *args)
    assert result.exit_code == code
    assert result.stdout == ""
    assert message in result.stderr
