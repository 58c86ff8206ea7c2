"""Label repairs after the CRF (pure functions over tokens and labels)."""

from __future__ import annotations

import pytest

from refman.parsing.repairs import repair_labels


@pytest.mark.parametrize(
    ("labelled", "expected"),
    [
        pytest.param(
            [
                ("Breast", "title"),
                ("boost?", "title"),
                ("Cancer", "title"),
                ("2003,", "date"),
                ("97:", "volume"),
                ("905-909.", "pages"),
            ],
            ["title", "title", "journal", "date", "volume", "pages"],
            id="journal-is-last-sentence-of-title",
        ),
        pytest.param(
            [
                ("Marriage.", "title"),
                ("PS:", "location"),
                ("Politics,", "publisher"),
                ("38,", "volume"),
                ("229-232", "pages"),
            ],
            ["title", "journal", "journal", "volume", "pages"],
            id="place-publisher-before-volume-is-journal",
        ),
        pytest.param(
            [
                ("Sleep.", "title"),
                ("Boston:", "location"),
                ("Beacon,", "publisher"),
                ("2001.", "date"),
            ],
            ["title", "location", "publisher", "date"],
            id="book-publisher-kept",
        ),
        pytest.param(
            [
                ("Sleep.", "title"),
                ("In", "editor"),
                ("A.", "editor"),
                ("Brown", "editor"),
                ("(Eds.),", "editor"),
                ("Handbook.", "title"),
                ("Springer.", "publisher"),
            ],
            ["title", "editor", "editor", "editor", "editor", "container", "publisher"],
            id="title-after-editors-is-container",
        ),
        pytest.param(
            [
                ("Smith,", "editor"),
                ("J.", "editor"),
                ("(ed.)", "editor"),
                ("Sleep.", "title"),
                ("Springer.", "publisher"),
            ],
            ["editor", "editor", "editor", "title", "publisher"],
            id="edited-book-keeps-its-title",
        ),
        pytest.param(
            [("Sleep.", "title"), ("Nature", "journal"), ("1,", "volume"), ("2-3.", "pages")],
            ["title", "journal", "volume", "pages"],
            id="journal-present-untouched",
        ),
        pytest.param(
            [("Semantics.", "title"), ("In", "title"), ("Planning:", "title"), ("1987.", "date")],
            ["title", "container", "container", "date"],
            id="in-after-title-stop-starts-container",
        ),
        pytest.param(
            [("Sleep.", "title"), ("In", "title"), ("press.", "title")],
            ["title", "title", "title"],
            id="in-press-stays",
        ),
        pytest.param(
            [
                ("The", "title"),
                ("Audible", "title"),
                ("Past", "title"),
                ("(Durham,", "title"),
                ("NC:", "title"),
                ("Duke", "publisher"),
                ("Press,", "publisher"),
                ("2003)", "date"),
            ],
            ["title"] * 3 + ["location"] * 2 + ["publisher"] * 2 + ["date"],
            id="bracketed-imprint-ends-title",
        ),
        pytest.param(
            [
                ("Ethiopia", "title"),
                ("(Teleostei:", "title"),
                ("Cyprinidae).", "title"),
                ("Zootaxa", "journal"),
            ],
            ["title", "title", "title", "journal"],
            id="bracket-with-colon-but-no-year-stays",
        ),
        pytest.param(
            [("Past", "title"), ("(2nd", "title"), ("ed.)", "title")],
            ["title", "title", "title"],
            id="bracket-without-imprint-stays",
        ),
        pytest.param(
            [
                ("Cube.", "title"),
                ("In", "editor"),
                ("H.", "editor"),
                ("Tanaka,", "editor"),
                ("editors,", "editor"),
                ("Database", "publisher"),
                ("Machines.", "publisher"),
                ("Kluwer,", "publisher"),
                ("1987.", "date"),
            ],
            [*["title"] + ["editor"] * 4, "container", "container", "publisher", "date"],
            id="book-title-before-publisher-after-editors",
        ),
        pytest.param(
            [
                ("Narrowed", "title"),
                ("to", "title"),
                ("2.", "title"),
                ("Winston-Salem", "title"),
                ("Journal,", "journal"),
                ("1-2.", "pages"),
            ],
            ["title", "title", "title", "journal", "journal", "pages"],
            id="journal-name-start-left-in-title",
        ),
        pytest.param(
            [
                ("Smith", "author"),
                ("J,", "author"),
                ("Jones", "author"),
                ("K.", "author"),
                ("Sleep", "author"),
                ("and", "author"),
                ("magnesium.", "author"),
                ("Nutrients.", "author"),
                ("2015;", "date"),
                ("7(9):", "volume"),
                ("1-2.", "pages"),
            ],
            ["author"] * 4 + ["title"] * 3 + ["journal", "date", "volume", "pages"],
            id="short-title-left-in-vancouver-authors",
        ),
        pytest.param(
            [
                ("van", "author"),
                ("der", "author"),
                ("Berg", "author"),
                ("A.", "author"),
                ("Title.", "title"),
            ],
            ["author"] * 4 + ["title"],
            id="particles-are-not-title-words",
        ),
        pytest.param(
            [
                ("Altmetrics", "title"),
                ("have", "title"),
                ("come", "title"),
                ("of", "title"),
                ("age.", "title"),
                ("Information", "title"),
                ("Standards", "title"),
                ("Quarterly.", "title"),
                ("2013;", "date"),
            ],
            ["title"] * 5 + ["journal"] * 3 + ["date"],
            id="title-case-last-sentence-before-date-is-journal",
        ),
        pytest.param(
            [
                ("Deep", "title"),
                ("Learning.", "title"),
                ("A", "title"),
                ("Practical", "title"),
                ("Guide.", "title"),
                ("2016.", "date"),
            ],
            ["title"] * 5 + ["date"],
            id="title-case-subtitle-of-title-case-title-stays",
        ),
        pytest.param(
            [
                ("Ein", "title"),
                ("wenig", "title"),
                ("bekannter", "title"),
                ("Agrarvertrag,", "title"),
                ("Vierteljahrschrift", "title"),
                ("für", "title"),
                ("Sozialgeschichte,", "title"),
                ("39,", "volume"),
            ],
            ["title"] * 4 + ["journal"] * 3 + ["volume"],
            id="title-case-last-comma-part-before-volume-is-journal",
        ),
        pytest.param(
            [
                ("Müller,", "author"),
                ("K.", "author"),
                ("u.", "title"),
                ("a.:", "title"),
                ("Schlaf.", "title"),
            ],
            ["author", "author", "author", "author", "title"],
            id="u-a-after-authors-is-theirs",
        ),
        pytest.param(
            [
                ("Smith", "author"),
                ("J,", "author"),
                ("et", "title"),
                ("al.", "title"),
                ("Sleep.", "title"),
            ],
            ["author", "author", "author", "author", "title"],
            id="et-al-after-authors-is-theirs",
        ),
        pytest.param(
            [("Smith", "author"), ("J.", "author"), ("A.", "title"), ("Title.", "title")],
            ["author", "author", "title", "title"],
            id="capital-a-starting-a-title-is-not-et-al",
        ),
        pytest.param(
            [
                ("J.", "author"),
                ("Polchinski,", "author"),
                ("Int.", "author"),
                ("J.", "journal"),
                ("Mod.", "journal"),
                ("Phys.", "journal"),
                ("A16,", "volume"),
            ],
            ["author", "author", "journal", "journal", "journal", "journal", "volume"],
            id="journal-abbreviation-left-in-authors",
        ),
        pytest.param(
            [
                ("E.", "author"),
                ("Yablonovitch,", "author"),
                ("J.", "author"),
                ("Opt.", "journal"),
                ("Soc.", "journal"),
                ("Am.", "journal"),
                ("1982,", "date"),
            ],
            ["author", "author", "journal", "journal", "journal", "journal", "date"],
            id="j-after-initials-first-name-is-journal",
        ),
        pytest.param(
            [
                ("S.", "author"),
                ("E.", "author"),
                ("Han,", "author"),
                ("G.", "author"),
                ("Chen,", "author"),
                ("Nano", "author"),
                ("Lett.", "author"),
                ("2010,", "date"),
            ],
            ["author"] * 5 + ["journal", "journal", "date"],
            id="physics-journal-left-after-last-name",
        ),
        pytest.param(
            [
                ("Biscop.”", "title"),
                ("In", "editor"),
                ("Famulus", "editor"),
                ("Christi,", "editor"),
                ("ed.", "editor"),
                ("Gerald", "editor"),
                ("Bonner.", "editor"),
                ("London,", "location"),
            ],
            ["title", "container", "container", "container"] + ["editor"] * 3 + ["location"],
            id="chicago-book-before-ed-marker",
        ),
        pytest.param(
            [
                ("Title.", "title"),
                ("In", "editor"),
                ("M.", "editor"),
                ("Brown", "editor"),
                ("(Ed.),", "editor"),
                ("Handbook.", "container"),
            ],
            ["title", "editor", "editor", "editor", "editor", "container"],
            id="apa-editors-before-book-stay",
        ),
        pytest.param(
            [("Smith,", "author"), ("J.", "author"), ("Nature.", "journal"), ("2001;", "date")],
            ["author", "author", "journal", "date"],
            id="initial-of-inverted-name-stays",
        ),
        pytest.param(
            [
                ("versus", "title"),
                ("controlled", "journal"),
                ("administration.", "journal"),
                ("Anesthesiology.", "journal"),
                ("2001;", "date"),
            ],
            ["title", "title", "title", "journal", "date"],
            id="title-sentence-left-in-journal",
        ),
        pytest.param(
            [
                ("Ages,", "title"),
                ("James.”", "container"),
                ("Encyclopedia", "container"),
                ("Americana.", "container"),
            ],
            ["title", "title", "container", "container"],
            id="closing-quote-ends-title-not-container",
        ),
        pytest.param(
            [("J.", "journal"), ("Biol.", "journal"), ("Chem.", "journal"), ("2001;", "date")],
            ["journal", "journal", "journal", "date"],
            id="abbreviated-journal-kept-whole",
        ),
        pytest.param(
            [
                ("“Flexibility", "title"),
                ("symbols.”", "title"),
                ("Theories", "title"),
                ("Memory.", "title"),
                ("Ed.", "editor"),
                ("Collins.", "editor"),
            ],
            ["title", "title", "container", "container", "editor", "editor"],
            id="quoted-title-ends-at-its-quote-book-before-editors",
        ),
        pytest.param(
            [
                ("“Global", "title"),
                ("Foot”.", "title"),
                ("Bookseller,", "title"),
                ("2011.", "date"),
            ],
            ["title", "title", "journal", "date"],
            id="quoted-title-ends-at-its-quote-journal",
        ),
        pytest.param(
            [("‘Tone", "title"), ("Cases’", "title"), ("Bantu", "title"), ("Group.", "title")],
            ["title", "title", "title", "title"],
            id="quote-inside-title-without-punctuation-stays",
        ),
        pytest.param(
            [("Technical", "genre"), ("Report", "genre"), ("11,", "pages"), ("AT&T.", "publisher")],
            ["genre", "genre", "note", "publisher"],
            id="report-number-not-pages",
        ),
    ],
)
def test_repair_labels(labelled: list[tuple[str, str]], expected: list[str]) -> None:
    tokens = [token for token, _ in labelled]
    labels = [label for _, label in labelled]
    assert repair_labels(tokens, labels) == expected
