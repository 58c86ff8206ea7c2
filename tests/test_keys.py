"""Citation keys: pattern, transliteration, stop words, collisions."""

from __future__ import annotations

import pytest

from refman.errors import UsageError
from refman.keys import base_key, make_key
from refman.model import CslItem, date_parts


def work(family: str | None, year: int | None, title: str, literal: bool = False) -> CslItem:
    item: CslItem = {"type": "article-journal", "title": title}
    if family is not None:
        item["author"] = [{"literal": family} if literal else {"family": family, "given": "A."}]
    if year is not None:
        item["issued"] = date_parts(year)
    return item


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        pytest.param(
            work("Gröber", 2015, "Magnesium in Prevention and Therapy"),
            "grober2015magnesium",
            id="umlaut",
        ),
        pytest.param(
            work("Hausenblas", 2024, "Magnesium-L-threonate improves sleep quality"),
            "hausenblas2024magnesiuml",
            id="hyphenated_first_word_capped_at_10",
        ),
        pytest.param(work("Straßer", 2001, "Über den Schlaf"), "strasser2001uber", id="eszett"),
        pytest.param(work("Иванов", 1999, "Теория сна"), "ivanov1999teoriya", id="cyrillic"),
        pytest.param(work("Νικολάου", 2010, "Ύπνος και μαγνήσιο"), "nikolaoy2010ypnos", id="greek"),
        pytest.param(
            work("Smith", 2020, "The effect of sleep"), "smith2020effect", id="stop_words"
        ),
        pytest.param(work("van der Berg", 2020, "A Sleep study"), "berg2020sleep", id="particle"),
        pytest.param(
            work("National Institutes of Health", 2025, "Magnesium—Fact Sheet", literal=True),
            "nih2025magnesium",
            id="organisation_initials",
        ),
        pytest.param(work(None, None, "On sleep"), "anonndsleep", id="no_author_no_year"),
    ],
)
def test_default_pattern(item: CslItem, expected: str) -> None:
    assert make_key(item, set()) == expected


def test_accessed_year_when_not_issued() -> None:
    item = work("Smith", None, "Web page")
    item["accessed"] = date_parts(2025, 3)
    assert make_key(item, set()) == "smith2025web"


@pytest.mark.parametrize(
    ("taken", "expected"),
    [
        pytest.param(set(), "grober2015magnesium", id="free"),
        pytest.param({"grober2015magnesium"}, "grober2015magnesiuma", id="first_collision"),
        pytest.param(
            {"grober2015magnesium", "Grober2015magnesiumA"},
            "grober2015magnesiumb",
            id="case_insensitive",
        ),
        pytest.param(
            {"grober2015magnesium", *(f"grober2015magnesium{chr(c)}" for c in range(97, 123))},
            "grober2015magnesiumaa",
            id="after_z",
        ),
    ],
)
def test_collisions(taken: set[str], expected: str) -> None:
    assert make_key(work("Gröber", 2015, "Magnesium in Prevention"), taken) == expected


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        pytest.param("{auth}_{year}", "grober_2015", id="separator"),
        pytest.param("{authors}{year}", "groberschmidt2015", id="two_authors"),
        pytest.param("{auth}{title}", "grobermagnesiumpreventiontherapy", id="title_words"),
    ],
)
def test_configurable_pattern(pattern: str, expected: str) -> None:
    item = work("Gröber", 2015, "Magnesium in Prevention and Therapy")
    item["author"].append({"family": "Schmidt", "given": "J."})
    assert base_key(item, pattern) == expected


@pytest.mark.parametrize("pattern", ["{nope}{year}", "plain"])
def test_unknown_pattern_is_a_usage_error(pattern: str) -> None:
    with pytest.raises(UsageError, match="key pattern"):
        base_key(work("A", 2000, "B"), pattern)
