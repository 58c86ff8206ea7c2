"""BibTeX codec: the CSL <-> BibTeX table, LaTeX escaping, brace protection, names."""

from __future__ import annotations

import unicodedata
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from refman import bibtex
from refman.model import ET_AL, CslItem

GROBER: CslItem = {
    "type": "article-journal",
    "title": "Magnesium in Prevention and Therapy",
    "author": [
        {"family": "Gröber", "given": "Uwe"},
        {"family": "Schmidt", "given": "Joachim"},
        {"family": "Kisters", "given": "Klaus"},
    ],
    "container-title": "Nutrients",
    "volume": "7",
    "issue": "9",
    "page": "8199-8226",
    "issued": {"date-parts": [[2015, 9]]},
    "DOI": "10.3390/nu7095388",
}


def field_lines(text: str) -> dict[str, str]:
    """``name = value`` lines of one written entry."""
    lines = [line.strip().rstrip(",") for line in text.splitlines()[1:-1]]
    return dict(line.split(" = ", 1) for line in lines)


def test_journal_article_is_written_with_bibtex_conventions() -> None:
    text = bibtex.csl_to_bibtex(GROBER, "grober2015magnesium")
    assert text.startswith("@article{grober2015magnesium,\n")
    assert text.endswith("}\n")
    assert field_lines(text) == {
        "author": "{Gröber, Uwe and Schmidt, Joachim and Kisters, Klaus}",
        "title": "{Magnesium in Prevention and Therapy}",
        "journal": "{Nutrients}",
        "volume": "{7}",
        "number": "{9}",
        "pages": "{8199--8226}",
        "doi": "{10.3390/nu7095388}",
        "year": "{2015}",
        "month": "sep",
    }


@pytest.mark.parametrize(
    ("item", "dialect", "expected"),
    [
        pytest.param(
            {"type": "webpage", "author": [{"literal": "National Institutes of Health"}]},
            "bibtex",
            {"author": "{{National Institutes of Health}}"},
            id="organisation_double_braced",
        ),
        pytest.param(
            {"type": "article-journal", "DOI": "https://doi.org/10.1016/J.SLEEPX.2024.100121"},
            "bibtex",
            {"doi": "{10.1016/J.SLEEPX.2024.100121}"},
            id="doi_without_url_prefix",
        ),
        pytest.param(
            {"type": "article-journal", "number": "100121", "issue": "3"},
            "bibtex",
            {"number": "{3}", "eid": "{100121}"},
            id="article_number_as_eid",
        ),
        pytest.param(
            {"type": "webpage", "accessed": {"date-parts": [[2025, 3, 1]]}, "language": "nl"},
            "biblatex",
            {"urldate": "{2025-03-01}", "langid": "{dutch}"},
            id="urldate_and_langid",
        ),
        pytest.param(
            {"type": "paper-conference", "event-title": "ICDAR 2019", "container-title": "Proc"},
            "biblatex",
            {"eventtitle": "{{ICDAR} 2019}", "booktitle": "{Proc}"},
            id="eventtitle_and_booktitle",
        ),
        pytest.param(
            {"type": "article-journal", "issued": {"date-parts": [[2024, 3, 5]]}},
            "biblatex",
            {"date": "{2024-03-05}"},
            id="biblatex_date",
        ),
        pytest.param(
            {"type": "article", "arXiv": "2101.00001"},
            "biblatex",
            {"eprint": "{2101.00001}", "eprinttype": "{arXiv}"},
            id="arxiv_eprint",
        ),
        pytest.param(
            {"type": "book", "page": "1 – 20"},
            "bibtex",
            {"pages": "{1--20}"},
            id="pages_double_dash",
        ),
    ],
)
def test_field_table(item: CslItem, dialect: Any, expected: dict[str, str]) -> None:
    lines = field_lines(bibtex.csl_to_bibtex(item, "k", dialect=dialect))
    assert {name: lines.get(name) for name in expected} == expected


@pytest.mark.parametrize(
    ("csl_type", "bibtex_type", "biblatex_type"),
    [
        pytest.param("article-journal", "article", "article", id="article"),
        pytest.param("chapter", "incollection", "incollection", id="chapter"),
        pytest.param("paper-conference", "inproceedings", "inproceedings", id="conference"),
        pytest.param("thesis", "phdthesis", "thesis", id="thesis"),
        pytest.param("report", "techreport", "report", id="report"),
        pytest.param("webpage", "misc", "online", id="webpage"),
        pytest.param("dataset", "misc", "dataset", id="dataset"),
    ],
)
def test_type_table(csl_type: str, bibtex_type: str, biblatex_type: str) -> None:
    item = {"type": csl_type}
    assert bibtex.csl_to_bibtex(item, "k").startswith(f"@{bibtex_type}{{k,")
    assert bibtex.csl_to_bibtex(item, "k", "biblatex").startswith(f"@{biblatex_type}{{k,")
    assert bibtex.loads(bibtex.csl_to_bibtex(item, "k", "biblatex"))[0]["type"] == csl_type


@pytest.mark.parametrize("dialect", ["bibtex", "biblatex"])
@pytest.mark.parametrize("csl_type", sorted({row[0] for row in bibtex.TYPES}))
def test_every_type_of_the_table_survives_a_round_trip(csl_type: str, dialect: Any) -> None:
    written = bibtex.csl_to_bibtex({"type": csl_type, "title": "X"}, "k", dialect)
    assert bibtex.loads(written)[0]["type"] == csl_type


@pytest.mark.parametrize(
    ("csl_type", "dialect", "subtype"),
    [
        pytest.param("article-journal", "bibtex", None, id="plain-article-needs-none"),
        pytest.param("webpage", "bibtex", "webpage", id="webpage-as-misc"),
        pytest.param("webpage", "biblatex", None, id="webpage-as-online"),
        pytest.param("dataset", "bibtex", "dataset", id="dataset-as-misc"),
        pytest.param("article-magazine", "biblatex", "magazine", id="biblatex-magazine"),
        pytest.param("entry-encyclopedia", "bibtex", "entry-encyclopedia", id="encyclopedia"),
    ],
)
def test_entrysubtype_marks_types_a_bibtex_type_cannot_tell(
    csl_type: str, dialect: Any, subtype: str | None
) -> None:
    lines = field_lines(bibtex.csl_to_bibtex({"type": csl_type}, "k", dialect))
    assert lines.get("entrysubtype") == (None if subtype is None else "{" + subtype + "}")


def test_webpage_in_the_bibtex_dialect_reads_back_as_a_webpage() -> None:
    page: CslItem = {
        "type": "webpage",
        "title": "Magnesium: Fact Sheet for Health Professionals",
        "container-title": "National Institutes of Health",
        "URL": "https://ods.od.nih.gov/factsheets/Magnesium-HealthProfessional/",
        "accessed": {"date-parts": [[2025, 3, 1]]},
    }
    written = bibtex.csl_to_bibtex(page, "nih2025")
    assert written.startswith("@misc{nih2025,")
    [read] = bibtex.loads(written)
    assert {k: v for k, v in read.items() if k != "id"} == page


def test_a_foreign_entrysubtype_is_kept_as_a_field() -> None:
    [read] = bibtex.loads("@misc{k, title = {X}, entrysubtype = {poster}}")
    assert (read["type"], read["_refman_extra"]) == ("document", {"entrysubtype": "poster"})


@pytest.mark.parametrize("dialect", ["bibtex", "biblatex"])
@pytest.mark.parametrize(
    "abbreviation",
    [
        pytest.param({"container-title-short": "Nutr. Res."}, id="container-title-short"),
        pytest.param({"journalAbbreviation": "Nutr. Res."}, id="zotero-journalAbbreviation"),
    ],
)
def test_journal_abbreviation_is_written_and_read_back(abbreviation: CslItem, dialect: Any) -> None:
    item = {**GROBER, "container-title": "Nutrition Research", **abbreviation}
    written = bibtex.csl_to_bibtex(item, "k", dialect)
    assert field_lines(written)["shortjournal"] == "{Nutr. Res.}"
    assert bibtex.loads(written)[0]["container-title-short"] == "Nutr. Res."


@pytest.mark.parametrize(
    ("text", "ascii", "expected"),
    [
        pytest.param("R&D 50% $5 #1 a_b", False, r"R\&D 50\% \$5 \#1 a\_b", id="specials"),
        pytest.param(
            "{x} ~ ^ \\",
            False,
            r"\{x\} \textasciitilde{} \textasciicircum{} \textbackslash{}",
            id="braces_tilde_caret_backslash",
        ),
        pytest.param("Gröber Straße", False, "Gröber Straße", id="unicode_kept"),
        pytest.param("Gröber Straße", True, r"Gr{\"o}ber Stra{\ss}e", id="ascii_accents"),
        pytest.param("Łódź Øre", True, r"{\L}{\'o}d{\'z} {\O}re", id="ascii_symbols"),
    ],
)
def test_escape_latex(text: str, ascii: bool, expected: str) -> None:
    assert bibtex.escape_latex(text, ascii=ascii) == expected
    assert bibtex.latex_to_unicode(expected) == text


@pytest.mark.parametrize(
    ("latex", "expected"),
    [
        pytest.param(r"Gr{\"o}ber", "Gröber", id="braced_accent"),
        pytest.param(r"Gr\"{o}ber", "Gröber", id="accent_with_argument"),
        pytest.param(r"M\"uller", "Müller", id="bare_accent"),
        pytest.param(r"{\'\i}ndice", "índice", id="dotless_i"),
        pytest.param(r"\v{S}koda \c{c}a", "Škoda ça", id="letter_accents"),
        pytest.param(r"{\ss} \ss{} and {\o}", "ß ß and ø", id="symbols"),
        pytest.param("The {DNA} of\n   {M}ars", "The DNA of Mars", id="protection_and_wraps"),
        pytest.param(r"\emph{very} \unknown", r"very \unknown", id="formatting_and_unknown"),
        pytest.param(r"a\~{}b \^{}", "a~b ^", id="old_style_tilde_caret"),
    ],
)
def test_latex_to_unicode(latex: str, expected: str) -> None:
    assert bibtex.latex_to_unicode(latex) == expected


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        pytest.param(
            "Magnesium in Prevention and Therapy",
            "Magnesium in Prevention and Therapy",
            id="title_case_not_braced_whole",
        ),
        pytest.param("DNA repair in mRNA", "{DNA} repair in {mRNA}", id="acronyms"),
        pytest.param("Uptake of MgSO4 and H2O", "Uptake of {MgSO4} and {H2O}", id="formulas"),
        pytest.param(
            "Sleep of older adults in the Netherlands: a trial",
            "Sleep of older adults in the {Netherlands}: a trial",
            id="proper_noun_in_sentence_case",
        ),
        pytest.param("COVID-19 and sleep quality", "{COVID-19} and sleep quality", id="digits"),
    ],
)
def test_brace_protection(title: str, expected: str) -> None:
    assert bibtex.protect_capitals(title) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param('Gr{\\"o}ber, Uwe', [{"family": "Gröber", "given": "Uwe"}], id="last_first"),
        pytest.param(
            "Donald E. Knuth", [{"family": "Knuth", "given": "Donald E."}], id="first_last"
        ),
        pytest.param(
            "van der Waals, J. D. and Ludwig van Beethoven",
            [
                {"family": "Waals", "given": "J. D.", "non-dropping-particle": "van der"},
                {"family": "Beethoven", "given": "Ludwig", "non-dropping-particle": "van"},
            ],
            id="particles",
        ),
        pytest.param(
            "King, Jr, Martin", [{"family": "King", "given": "Martin", "suffix": "Jr"}], id="suffix"
        ),
        pytest.param(
            "{National Institutes of Health} and {Barnes and Noble}",
            [{"literal": "National Institutes of Health"}, {"literal": "Barnes and Noble"}],
            id="organisations",
        ),
    ],
)
def test_parse_names(value: str, expected: list[dict[str, str]]) -> None:
    assert bibtex.parse_names(value) == expected


@pytest.mark.parametrize(
    "name",
    [
        pytest.param({"family": "Aa", "given": "And Aa"}, id="given-And"),
        pytest.param({"family": "Smith AND Jones", "given": "K."}, id="family-AND"),
        pytest.param({"family": "Lee", "given": "Ann", "suffix": "and Sons"}, id="suffix-and"),
    ],
)
def test_a_name_holding_the_word_and_stays_one_name(name: dict[str, str]) -> None:
    """BibTeX splits name lists at "and" in any case, so a part holding it is braced."""
    written = bibtex.format_names([name])
    assert bibtex.parse_names(written) == [name]


def test_loads_resolves_macros_and_keeps_unknown_fields() -> None:
    text = (
        '@string{nut = "Nutri" # "ents"}\n'
        "@ARTICLE{Key1, journal = nut, month = feb, year = 2015, file = {:a.pdf:PDF},\n"
        "  refman-source = {crossref}, refman-verified = {true}, refman-confidence = {0.93},\n"
        "  refman-fields = {note=user; title=parsed}}\n"
    )
    [item] = bibtex.loads(text)
    assert item["id"] == "Key1"
    assert item["container-title"] == "Nutrients"
    assert item["issued"] == {"date-parts": [[2015, 2]]}
    assert item["_refman_extra"] == {"file": ":a.pdf:PDF"}
    assert item["_refman"] == {
        "source": "crossref",
        "verified": True,
        "confidence": 0.93,
        "fields": {"note": "user", "title": "parsed"},
    }


def test_split_blocks_reports_failed_and_duplicate_blocks_with_lines() -> None:
    text = "@article{a, title={x}}\n\n@article{b, title = {unclosed\n\n@misc{a, title={y}}\n"
    blocks = bibtex.split_blocks(text)
    kinds = [(b.kind, b.line, b.key) for b in blocks]
    assert kinds == [("entry", 1, "a"), ("failed", 3, "b"), ("duplicate", 5, "a")]
    assert [text[b.start : b.end][:8] for b in blocks] == ["@article", "@article", "@misc{a,"]


# --- round trip: parse(write(x)) == x ---------------------------------------------------------

_LETTERS = st.sampled_from(list("abcdefghijklmnopqrstuvwxyzäöüßéèçñøåłšž"))
_TEXT_CHARS = st.sampled_from(list("abcXYZ019äöüßÉçøŁ&%$#_{}~^\\-.,:;!?'()/+=@*"))


def _word(chars: st.SearchStrategy[str], min_size: int = 1) -> st.SearchStrategy[str]:
    return st.text(chars, min_size=min_size, max_size=8)


def _capitalised() -> st.SearchStrategy[str]:
    return st.builds(lambda w: w[:1].upper() + w[1:], _word(_LETTERS, 2))


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


_texts = st.lists(_word(_TEXT_CHARS), min_size=1, max_size=8).map(lambda ws: _nfc(" ".join(ws)))
_names = st.one_of(
    st.builds(
        lambda family, given: {"family": _nfc(family), "given": _nfc(given)},
        st.lists(_capitalised(), min_size=1, max_size=2).map(" ".join),
        st.lists(_capitalised(), min_size=1, max_size=2).map(" ".join),
    ),
    st.builds(
        lambda particle, family, given: {
            "family": _nfc(family),
            "given": _nfc(given),
            "non-dropping-particle": particle,
        },
        st.sampled_from(["van", "van der", "de", "von"]),
        _capitalised(),
        _capitalised(),
    ),
    st.builds(
        lambda words: {"literal": _nfc(" ".join(words))},
        st.lists(_capitalised(), min_size=1, max_size=4),
    ),
)
_items = st.fixed_dictionaries(
    {
        "type": st.sampled_from(
            ["article-journal", "book", "chapter", "paper-conference", "report"]
        ),
        "title": _texts,
        "author": st.lists(_names, min_size=1, max_size=4),
    },
    optional={
        "container-title": _texts,
        "publisher": _texts,
        "note": _texts,
        "volume": st.integers(1, 999).map(str),
        "page": st.tuples(st.integers(1, 500), st.integers(501, 999)).map(
            lambda p: f"{p[0]}-{p[1]}"
        ),
        "issued": st.tuples(st.integers(1800, 2030), st.integers(1, 12)).map(
            lambda ym: {"date-parts": [[ym[0], ym[1]]]}
        ),
        "DOI": st.from_regex(r"10\.[0-9]{4,5}/[a-z0-9._;()/-]{1,20}", fullmatch=True),
    },
)


@settings(max_examples=150, deadline=None)
@given(item=_items, dialect=st.sampled_from(["bibtex", "biblatex"]), ascii=st.booleans())
def test_round_trip_parse_of_write_is_identity(item: CslItem, dialect: Any, ascii: bool) -> None:
    [parsed] = bibtex.loads(bibtex.csl_to_bibtex(item, "key1", dialect=dialect, ascii=ascii))
    assert parsed == {**item, "id": "key1"}


@pytest.mark.parametrize("fmt", ["bibtex", "biblatex", "csl-json", "ris"])
def test_exports_carry_no_refman_or_crossref_bookkeeping(fmt: str) -> None:
    from refman.services.export import dumps

    item: CslItem = {
        **GROBER,
        "id": "grober2015",
        "_refman": {"source": "crossref", "verified": True, "confidence": 0.97},
        "_crossref": {"updated-by": [{"DOI": "10.1/retraction", "type": "retraction"}]},
        "_warnings": ["title looks translated"],
    }
    text = dumps([item], fmt)
    assert "10.3390/nu7095388" in text
    leaks = ("refman", "crossref", "updated-by", "retraction", "10.1/", "warnings", "0.97")
    assert [leak for leak in leaks if leak in text.lower()] == []


def test_the_library_entry_keeps_its_provenance() -> None:
    item = {**GROBER, "_refman": {"source": "datacite", "verified": True}}
    lines = field_lines(bibtex.csl_to_bibtex(item, "k"))
    assert (lines["refman-source"], lines["refman-verified"]) == ("{datacite}", "{true}")


def test_et_al_is_bibtex_and_others() -> None:
    item: CslItem = {
        "id": "smith2001",
        "type": "article-journal",
        "title": "A study",
        "author": [{"family": "Smith", "given": "John"}, ET_AL],
    }
    text = bibtex.csl_to_bibtex(item, "smith2001")
    assert "author = {Smith, John and others}" in text
    [read] = bibtex.loads(text)
    assert read["author"] == [{"family": "Smith", "given": "John"}, ET_AL]


def test_and_others_in_a_users_file_is_et_al() -> None:
    [read] = bibtex.loads("@article{k, author = {Doe, Jane and others}, title = {T}}\n")
    assert read["author"][-1] == ET_AL
