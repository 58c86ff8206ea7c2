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
            ],
            ["title", "title", "title", "location", "location", "publisher"],
            id="bracketed-imprint-ends-title",
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
