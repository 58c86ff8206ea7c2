"""The finder: reference lists and whole articles -> one string per reference."""

from __future__ import annotations

from pathlib import Path

import pytest

from refman.errors import InputError
from refman.parsing import split_references
from refman.parsing.finder import join_lines

ARTICLE = Path(__file__).parent / "data" / "article_nl.txt"


def test_whole_article_gives_exactly_the_four_references() -> None:
    references = split_references(ARTICLE.read_text("utf-8"))
    assert len(references) == 4
    assert references[0].startswith("Hausenblas HA, Lynch T")
    assert references[3].startswith("National Institutes of Health.")
    assert references[3].endswith("Geraadpleegd in 2025.")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("an opti-\nmization method", "an optimization method", id="split-word-joined"),
        pytest.param("Magnesium-\nL-threonate", "Magnesium-L-threonate", id="capital-keeps-hyphen"),
        pytest.param("for 2-\n3 weeks", "for 2-3 weeks", id="digits-keep-hyphen"),
        pytest.param("a dose-\ndependent effect", "a dose-dependent effect", id="compound-suffix"),
        pytest.param("in self-\nreported sleep", "in self-reported sleep", id="compound-prefix"),
        pytest.param("TNF-\nalpha levels", "TNF-alpha levels", id="acronym-keeps-hyphen"),
        pytest.param(
            "Toll-like receptor 2-Toll-\nlike",
            "Toll-like receptor 2-Toll-like",
            id="already-hyphenated",
        ),
        pytest.param(
            "Possible molecular mechanisms \ninvolved",
            "Possible molecular mechanisms involved",
            id="plain-wrap",
        ),
        pytest.param(
            "https://ods.od.nih.gov/factsheets/\nMagnesium-HealthProfessional/",
            "https://ods.od.nih.gov/factsheets/ Magnesium-HealthProfessional/",
            id="url-before-capital-not-glued",
        ),
        pytest.param(
            "doi:10.1016/j.\nsleepx.2024.100121", "doi:10.1016/j.sleepx.2024.100121", id="doi-glued"
        ),
    ],
)
def test_join_lines(text: str, expected: str) -> None:
    assert join_lines(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "Smith J. A title. J Biol. 2001;1:2-3.\n\nDoe J. Another title. Nature. 2002;3:4-5.",
            ["Smith J. A title. J Biol. 2001;1:2-3.", "Doe J. Another title. Nature. 2002;3:4-5."],
            id="blank-lines",
        ),
        pytest.param(
            "1. Smith J. A title. 2001.\n2. Doe J. Another. 2002.",
            ["Smith J. A title. 2001.", "Doe J. Another. 2002."],
            id="numbered-dot",
        ),
        pytest.param(
            "[1] Smith J. A title.\n    Journal. 2001.\n[2] Doe J. Another. 2002.",
            ["Smith J. A title. Journal. 2001.", "Doe J. Another. 2002."],
            id="numbered-brackets-wrapped",
        ),
        pytest.param(
            "(1) Smith J. A title. 2001.\n(2) Doe J. Another. 2002.",
            ["Smith J. A title. 2001.", "Doe J. Another. 2002."],
            id="numbered-parentheses",
        ),
        pytest.param(
            "1) Smith J. A title. 2001.\n2) Doe J. Another. 2002.",
            ["Smith J. A title. 2001.", "Doe J. Another. 2002."],
            id="numbered-paren-after",
        ),
        pytest.param(
            "• Smith J. A title. 2001.\n• Doe J. Another. 2002.",
            ["Smith J. A title. 2001.", "Doe J. Another. 2002."],
            id="bullets",
        ),
        pytest.param(
            "- Smith J. A title. 2001.\n- Doe J. Another. 2002.",
            ["Smith J. A title. 2001.", "Doe J. Another. 2002."],
            id="dashes",
        ),
        pytest.param(
            "* Smith J. A title. 2001.\n* Doe J. Another. 2002.",
            ["Smith J. A title. 2001.", "Doe J. Another. 2002."],
            id="asterisks",
        ),
        pytest.param(
            "1. Smith J. Results from the\n12. International Congress. 2001.\n"
            "2. Doe J. Another. 2002.",
            [
                "Smith J. Results from the 12. International Congress. 2001.",
                "Doe J. Another. 2002.",
            ],
            id="numbers-must-count-up",
        ),
        pytest.param(
            "Verheul HM, Pinedo HM (2007) Possible molecular mechanisms \ninvolved in the "
            "toxicity of angiogenesis inhibition. Nat Rev \n7(6):475-485",
            [
                "Verheul HM, Pinedo HM (2007) Possible molecular mechanisms involved in the "
                "toxicity of angiogenesis inhibition. Nat Rev 7(6):475-485"
            ],
            id="pdf-wrapped-single",
        ),
        pytest.param(
            "Kang JY, Nan X, Jin MS, Youn SJ, Ryu YH, Mah S, Han SH, Lee H, Paik SG, \n"
            "Lee JO: Recognition of lipopeptide patterns. Immunity 2009, 31:873-884.",
            [
                "Kang JY, Nan X, Jin MS, Youn SJ, Ryu YH, Mah S, Han SH, Lee H, Paik SG, "
                "Lee JO: Recognition of lipopeptide patterns. Immunity 2009, 31:873-884."
            ],
            id="pdf-wrap-inside-author-list",
        ),
        pytest.param(
            "Smith, J. (2001). A long title about the subject of sleep.\n"
            "Journal of Sleep, 12, 1-10.\n"
            "Doe, K. (2002). Another long title about magnesium in food.\n"
            "Nutrients, 3, 4-5.",
            [
                "Smith, J. (2001). A long title about the subject of sleep. "
                "Journal of Sleep, 12, 1-10.",
                "Doe, K. (2002). Another long title about magnesium in food. Nutrients, 3, 4-5.",
            ],
            id="pdf-unnumbered-list",
        ),
        pytest.param(
            "Doe, K., & Roe, P. (2002). Magnesium and sleep quality in the elderly. "
            "Nutrients, 3, 4-5.\n"
            "World Health Organization. (2020). Sleep health report. Geneva: WHO.\n"
            "van der Berg, A. (2019). Slaap bij ouderen. Tijdschr Gerontol, 50(4), 120-128.",
            [
                "Doe, K., & Roe, P. (2002). Magnesium and sleep quality in the elderly. "
                "Nutrients, 3, 4-5.",
                "World Health Organization. (2020). Sleep health report. Geneva: WHO.",
                "van der Berg, A. (2019). Slaap bij ouderen. Tijdschr Gerontol, 50(4), 120-128.",
            ],
            id="one-per-line-organisation-and-particle",
        ),
        pytest.param(
            "(2005) Anonymous report on sleep. Sleep Foundation.",
            ["(2005) Anonymous report on sleep. Sleep Foundation."],
            id="leading-year-is-no-list-number",
        ),
    ],
)
def test_split_references(text: str, expected: list[str]) -> None:
    assert split_references(text) == expected


@pytest.mark.parametrize(
    "heading",
    [
        "References",
        "Bibliography",
        "Literature Cited",
        "Works Cited",
        "Literatuur",
        "Literatur",
        "Literaturverzeichnis",
        "Bibliographie",
        "Références",
        "Referencias",
        "Bibliografía",
        "Riferimenti",
        "Referências",
        "REFERENCES",
        "7. References",
    ],
)
def test_headings_start_the_list(heading: str) -> None:
    text = f"Body text 2020.\n\n- a bullet 2019\n\n{heading}\n\nSmith J. A title. 2001.\n"
    assert split_references(text) == ["Smith J. A title. 2001."]


@pytest.mark.parametrize(
    "footer",
    [
        "Received 3 May 2020; accepted 4 June 2020.",
        "Copyright 2020 The Authors.",
        "Disclaimer: for information only.",
    ],
)
def test_trailing_footer_after_heading_is_dropped(footer: str) -> None:
    text = f"References\n\nSmith J. A title. 2001.\n\n{footer}\n"
    assert split_references(text) == ["Smith J. A title. 2001."]


@pytest.mark.parametrize("text", ["", "   \n\n  ", "References\n\n", "\x00\x01"])
def test_nothing_found_is_an_input_error(text: str) -> None:
    with pytest.raises(InputError, match="no references found"):
        split_references(text)
