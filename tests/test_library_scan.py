"""The fast .bib scanner gives bibtexparser's blocks exactly, or declines (bibtexparser runs)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from refman.bibscan import MAX_DEPTH, scan_blocks
from refman.bibtex import split_blocks
from refman.library import Document, Library

MESSY = Path(__file__).parent / "data" / "messy.bib"


def messy_without(*blocks: str) -> str:
    """messy.bib without the blocks (from their ``@`` line to the next blank line) named."""
    text = MESSY.read_text("utf-8")
    for start in blocks:
        begin = text.index(start)
        text = text[:begin] + text[text.index("\n\n", begin) + 2 :]
    return text


ACCEPTED = [
    pytest.param(messy_without("@book(", "@article{broken2020"), id="messy-bib-readable-part"),
    pytest.param("", id="empty"),
    pytest.param("% only a comment\n", id="only-comment"),
    pytest.param(
        '@article{grober2015,\n  author = {Gr{\\"o}ber, Uwe},\n  title = {Magnesium},\n}\n',
        id="refman-style",
    ),
    pytest.param('@article{a, title = "Quoted {DNA} title", year = 2015}', id="quotes-number"),
    pytest.param(
        '@string{nut = "Nutrients"}\n@article{a, journal = nut # { 7}}', id="macro-concat"
    ),
    pytest.param("@STRING{j={J. Res.}}\n@string{j = {again}}\n", id="duplicate-string"),
    pytest.param('@preamble{ "\\newcommand{\\x}{}" }\n', id="preamble"),
    pytest.param("@comment{ jabref-meta: {nested {braces}} }\n", id="explicit-comment"),
    pytest.param("free text\n  two lines \n@misc{m, note = {x}}\ntail", id="implicit-comments"),
    pytest.param("mail me: me@example.org\n@misc{m, note = {a@b.org}}", id="lone-at"),
    pytest.param("@misc{a, year = 1}\n@misc{a, year = 2}\n@misc{A, year = 3}", id="duplicate-key"),
    pytest.param("@misc{a}\n@misc{b,}\n@misc{c, t = {x},\n}\n", id="empty-and-trailing-comma"),
    pytest.param("@misc{a, t = {50\\% \\{not a group\\} \\}}}", id="escaped-braces"),
    pytest.param('@misc{a, t = "say \\"hi\\", {\\"o}", u = {a "b" c}}', id="escaped-quotes"),
    pytest.param("@misc{a, t = {a\\\\}}}", id="backslash-before-brace"),
    pytest.param("@misc{a, t = {1 {2 {3 {4}}}}}", id="nested-braces"),
    pytest.param("@misc{a,\r\n  t = {x},\r\n}\r\n", id="crlf"),
    pytest.param("@Misc \t{a, T = {x}, Url = x\\,y}", id="spaced-type-escaped-comma"),
]

DECLINED = [
    pytest.param(MESSY.read_text("utf-8"), id="messy-bib"),
    pytest.param("@book(knuth, title = {TAOCP})", id="paren-block"),
    pytest.param("@misc{a, t = {never closed,\n  year = 1\n\n@misc{b, t = {x}}", id="unbalanced"),
    pytest.param('@misc{a, t = "x {"} y", u = {z}}', id="quote-escape-in-quotes"),
    pytest.param("@misc{a, t = {x}, t = {y}}", id="field-twice"),
    pytest.param("@misc{a, dangling}", id="name-without-value"),
    pytest.param("@misc{a, t = {x\n@misc{b, t = {y}}", id="block-start-in-value"),
    pytest.param("@misc{a, t = " + "{" * (MAX_DEPTH + 2) + "}" * (MAX_DEPTH + 2) + "}", id="deep"),
    pytest.param("@misc{a, t = {x}", id="unclosed-at-eof"),
]


@pytest.mark.parametrize("text", ACCEPTED)
def test_scanner_reads_plain_bibtex_exactly_like_bibtexparser(text: str) -> None:
    assert scan_blocks(text) == split_blocks(text)


@pytest.mark.parametrize("text", DECLINED)
def test_scanner_declines_what_it_cannot_read_exactly(text: str) -> None:
    assert scan_blocks(text) is None


def test_scanner_reports_duplicates_like_bibtexparser() -> None:
    blocks = scan_blocks("@misc{a, year = 1}\n\n@misc{a, year = 2}\n")
    assert blocks is not None
    assert [(b.kind, b.key, b.line, b.error) for b in blocks] == [
        ("entry", "a", 1, None),
        ("duplicate", "a", 3, "Duplicate entry key 'a'"),
    ]


FRAGMENTS = [
    "@article{",
    "@misc {",
    "@string{",
    "@comment{",
    "@preamble{",
    "@book(",
    "key",
    "title",
    ",",
    " = ",
    "=",
    "{",
    "}",
    '"',
    "\\",
    "\\{",
    '\\"',
    '{"}',
    "#",
    " ",
    "\n",
    "\r\n",
    "@",
    "x@y.org",
    "word",
    "%",
    ")",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=40).map("".join))
def test_scanner_never_disagrees_with_bibtexparser_on_junk(text: str) -> None:
    scanned = scan_blocks(text)
    assert scanned is None or scanned == split_blocks(text)


VALUES = st.lists(
    st.sampled_from(["word", " ", "{", "}", '"', "\\", "\\{", "\\}", '\\"', ",", "#", "@", "\n"]),
    max_size=12,
).map("".join)
ENTRY = st.tuples(
    st.sampled_from(["article", "Misc", "string", "comment"]),
    st.sampled_from(["a", "b", "A"]),
    st.lists(st.tuples(st.sampled_from(["title", "Title", "year"]), VALUES), max_size=3),
)


def _entry_text(entry: tuple[str, str, list[tuple[str, str]]]) -> str:
    kind, key, fields = entry
    body = ",".join(f"\n  {name} = {{{value}}}" for name, value in fields)
    return f"@{kind}{{{key},{body}\n}}\n"


@settings(max_examples=300, deadline=None)
@given(st.lists(ENTRY, max_size=4), st.sampled_from(["", "\n", "% note\n"]))
def test_scanner_never_disagrees_with_bibtexparser_on_entries(
    entries: list[tuple[str, str, list[tuple[str, str]]]], gap: str
) -> None:
    text = gap.join(_entry_text(entry) for entry in entries)
    scanned = scan_blocks(text)
    assert scanned is None or scanned == split_blocks(text)


def test_read_only_document_matches_the_proven_one() -> None:
    text = "".join(str(p.values[0]) for p in ACCEPTED[3:14])
    quick, proven = Document(text, quick=True), Document(text)
    assert [(e.key, e.start, e.end, e.line, e.item) for e in quick.entries] == [
        (e.key, e.start, e.end, e.line, e.item) for e in proven.entries
    ]
    assert quick.problems == proven.problems
    assert not quick.proven
    assert proven.proven


def test_a_write_after_a_quick_read_splits_with_bibtexparser(tmp_path: Path) -> None:
    path = tmp_path / "library.bib"
    original = "@misc{a, title = {A}}\n\n@misc{b, title = {B}}\n"
    path.write_text(original, "utf-8")
    library = Library(path, index_dir=tmp_path / "index")
    assert not library.read().proven
    with library.transaction() as document:
        assert not document.proven
        document.remove("a")
        assert document.proven
    assert path.read_text("utf-8") == "@misc{b, title = {B}}\n"
    assert library.read().proven
