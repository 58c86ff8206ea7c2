"""The library file: byte-identity of untouched content, problems reported, atomic writes."""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest

from refman.bibscan import RawBlock
from refman.bibtex import csl_to_bibtex, entry_to_csl
from refman.errors import LibraryFileError, NotFoundError
from refman.library import Document, Library
from refman.model import CslItem, date_parts

MESSY = Path(__file__).parent / "data" / "messy.bib"
NEW_ENTRY = csl_to_bibtex(
    {
        "type": "article-journal",
        "title": "Magnesium-L-threonate improves sleep quality",
        "author": [{"family": "Hausenblas", "given": "Heather A."}],
        "issued": date_parts(2024),
        "DOI": "10.1016/j.sleepx.2024.100121",
    },
    "hausenblas2024magnesiuml",
)


@pytest.fixture
def messy(tmp_path: Path) -> Library:
    path = tmp_path / "library.bib"
    path.write_bytes(MESSY.read_bytes())
    return Library(path, index_dir=tmp_path / "index")


def changed_lines(before: str, after: str) -> tuple[list[str], list[str]]:
    """Lines removed from and added to ``before`` (a line diff, as `diff` shows it)."""
    diff = list(difflib.ndiff(before.splitlines(), after.splitlines()))
    removed = [line[2:] for line in diff if line.startswith("- ")]
    added = [line[2:] for line in diff if line.startswith("+ ")]
    return removed, added


def test_messy_file_entries_and_problems(messy: Library) -> None:
    document = messy.read()
    assert [e.key for e in document.entries] == [
        "Grober2015",
        "abbasi2012",
        "knuth1997",
        "nih2025",
        "vanderwaals1873",
    ]
    assert [(p.line, p.kind, p.key) for p in document.problems] == [
        (39, "failed", "broken2020"),
        (52, "duplicate", "Grober2015"),
    ]
    assert document.keys >= {"broken2020", "Grober2015"}
    grober = document.find("grober2015").item
    assert grober["container-title"] == "Nutrients"
    assert grober["author"][0] == {"family": "Gröber", "given": "Uwe"}


def test_add_leaves_every_existing_byte(messy: Library) -> None:
    before = MESSY.read_text("utf-8")
    with messy.transaction() as document:
        document.append(NEW_ENTRY)
    after = messy.path.read_text("utf-8")
    assert after.startswith(before)
    assert after[len(before) :] == "\n\n" + NEW_ENTRY.rstrip("\n")  # no final newline, as before
    assert "WARNING" not in after
    removed, added = changed_lines(before, after)
    assert removed == []
    assert added == ["", *NEW_ENTRY.splitlines()]


def test_remove_cuts_only_the_entry(messy: Library) -> None:
    before = MESSY.read_text("utf-8")
    document = messy.read()
    entry_lines = document.raw(document.find("abbasi2012")).splitlines()
    with messy.transaction() as current:
        current.remove("abbasi2012")
    after = messy.path.read_text("utf-8")
    removed, added = changed_lines(before, after)
    assert sorted(removed) == sorted([*entry_lines, ""])
    assert added == []


@pytest.mark.parametrize(
    "ending",
    [
        pytest.param("", id="no-final-newline"),
        pytest.param("\n", id="final-newline"),
        pytest.param("\n\n", id="final-blank-line"),
        pytest.param("\n\n\n", id="two-final-blank-lines"),
        pytest.param("  ", id="trailing-spaces"),
        pytest.param("\r\n", id="crlf"),
    ],
)
def test_add_then_remove_restores_any_file_ending(tmp_path: Path, ending: str) -> None:
    library = Library(tmp_path / "library.bib")
    body = MESSY.read_text("utf-8").rstrip("\n")
    original = (body.replace("\n", "\r\n") if ending == "\r\n" else body) + ending
    library.path.write_bytes(original.encode())
    with library.transaction() as document:
        document.append(NEW_ENTRY)
    with library.transaction() as document:
        assert "hausenblas2024magnesiuml" in document.keys
        document.remove("hausenblas2024magnesiuml")
    assert library.path.read_bytes() == original.encode()


@pytest.mark.parametrize(
    ("original", "expected"),
    [
        pytest.param("", "@misc{new, title = {N}}\n", id="empty"),
        pytest.param("@misc{a}\n", "@misc{a}\n\n@misc{new, title = {N}}\n", id="newline"),
        pytest.param("@misc{a}", "@misc{a}\n\n@misc{new, title = {N}}", id="no-newline"),
    ],
)
def test_append_separates_entries_by_a_blank_line(
    tmp_path: Path, original: str, expected: str
) -> None:
    library = Library(tmp_path / "library.bib")
    library.path.write_text(original, "utf-8")
    with library.transaction() as document:
        document.append("@misc{new, title = {N}}\n")
    assert library.path.read_text("utf-8") == expected


def test_windows_line_endings_are_kept(tmp_path: Path) -> None:
    library = Library(tmp_path / "crlf.bib")
    original = MESSY.read_bytes().replace(b"\n", b"\r\n") + b"\r\n"
    library.path.write_bytes(original)
    with library.transaction() as document:
        document.append(NEW_ENTRY)
    added = library.path.read_bytes()
    assert added == original + b"\r\n" + NEW_ENTRY.replace("\n", "\r\n").encode()
    with library.transaction() as document:
        document.remove("hausenblas2024magnesiuml")
    assert library.path.read_bytes() == original


def test_replace_changes_only_that_entry(messy: Library) -> None:
    before = MESSY.read_text("utf-8")
    with messy.transaction() as document:
        old = document.raw(document.find("knuth1997"))
        document.replace("knuth1997", "@book{knuth1997, title = {TAOCP}}")
    after = messy.path.read_text("utf-8")
    assert after == before.replace(old, "@book{knuth1997, title = {TAOCP}}")


def test_failed_and_duplicate_blocks_survive_rewrites(messy: Library) -> None:
    with messy.transaction() as document:
        document.remove("nih2025")
        document.append(NEW_ENTRY)
    text = messy.path.read_text("utf-8")
    document = Document(text)
    assert [(p.kind, p.key) for p in document.problems] == [
        ("failed", "broken2020"),
        ("duplicate", "Grober2015"),
    ]
    assert "A different paper that reuses the key" in text


def test_index_is_used_only_while_the_file_is_unchanged(messy: Library) -> None:
    first = messy.read()
    assert len(list((messy.path.parent / "index").glob("*.marshal"))) == 1
    messy.path.write_text(MESSY.read_text("utf-8").replace("Addison-Wesley", "AW"), "utf-8")
    second = messy.read()
    assert first.find("knuth1997").item["publisher"] == "Addison-Wesley"
    assert second.find("knuth1997").item["publisher"] == "AW"


def test_index_after_append_matches_a_fresh_parse(messy: Library) -> None:
    with messy.transaction() as document:
        document.append(NEW_ENTRY)
    cached = messy.read()
    fresh = Document(messy.path.read_text("utf-8"))
    assert [(e.key, e.start, e.end, e.line, e.item) for e in cached.entries] == [
        (e.key, e.start, e.end, e.line, e.item) for e in fresh.entries
    ]


def test_dry_run_discard_writes_nothing(messy: Library) -> None:
    before = messy.path.read_bytes()
    with messy.transaction() as document:
        document.append(NEW_ENTRY)
        document.discard()
    assert messy.path.read_bytes() == before


def test_write_is_atomic_and_keeps_permissions(messy: Library) -> None:
    os.chmod(messy.path, 0o640)
    inode = messy.path.stat().st_ino
    with messy.transaction() as document:
        document.append(NEW_ENTRY)
    assert messy.path.stat().st_ino != inode
    assert messy.path.stat().st_mode & 0o777 == 0o640
    assert not list(messy.path.parent.glob(".library.bib.*.tmp"))


def test_new_library_gets_ordinary_permissions(tmp_path: Path) -> None:
    library = Library(tmp_path / "new.bib")
    with library.transaction() as document:
        document.append(NEW_ENTRY)
    umask = os.umask(0)
    os.umask(umask)
    assert library.path.stat().st_mode & 0o777 == 0o666 & ~umask


def test_stale_temp_files_of_killed_writers_are_cleaned(messy: Library) -> None:
    stale = messy.path.parent / ".library.bib.abc123.tmp"
    stale.write_text("half a libr", "utf-8")
    with messy.transaction() as document:
        document.append(NEW_ENTRY)
    assert not stale.exists()


def test_missing_library_has_a_hint(tmp_path: Path) -> None:
    with pytest.raises(LibraryFileError, match="does not exist; add a reference"):
        Library(tmp_path / "none.bib").read()


def test_not_utf8_library_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "latin1.bib"
    path.write_bytes("@article{a, title={Gr\xf6ber}}".encode("latin-1"))
    with pytest.raises(LibraryFileError, match="not UTF-8"):
        Library(path).read()


def test_unknown_key(messy: Library) -> None:
    with pytest.raises(NotFoundError, match="no entry with key 'nope'"):
        messy.read().find("nope")


LIBRARY = """@string{j = {Nutrients}}

@article{a, title = {First}, journal = j, year = 2015}

@article{b, title = {Second}, journal = {Sleep}, year = 2016}

@article{c, title = {Third}, journal = {Sleep}, year = 2017}
"""


@pytest.mark.parametrize(
    ("edit", "converted", "changed"),
    [
        pytest.param(("{Second}", "{Second, revised}"), 1, {"b"}, id="one-entry-edited"),
        pytest.param(("\n\n@article{c", "\n% a note\n\n@article{c"), 0, set(), id="moved-only"),
        pytest.param(("{Nutrients}", "{Nutr. Res.}"), 3, {"a"}, id="macro-changed"),
    ],
)
def test_an_edit_outside_refman_converts_only_changed_entries(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    edit: tuple[str, str],
    converted: int,
    changed: set[str],
) -> None:
    import refman.library

    library = Library(tmp_path / "library.bib", index_dir=tmp_path / "index")
    library.path.write_text(LIBRARY, "utf-8")
    before = {e.key: e.item for e in library.read().entries}
    edited = LIBRARY.replace(*edit)
    library.path.write_text(edited, "utf-8")
    calls: list[str] = []

    def counting(block: RawBlock, macros: dict[str, str]) -> CslItem:
        calls.append(block.key or "")
        return entry_to_csl(block, macros)

    monkeypatch.setattr(refman.library, "entry_to_csl", counting)
    after = library.read()
    assert len(calls) == converted
    fresh = Document(edited)
    assert [(e.key, e.start, e.line, e.item) for e in after.entries] == [
        (e.key, e.start, e.line, e.item) for e in fresh.entries
    ]
    assert {e.key for e in after.entries if e.item != before[e.key]} == changed
