"""``refman parse``: arguments and files in, CSL-JSON / table / BibTeX out."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Cli

ARTICLE = Path(__file__).parent / "data" / "article_nl.txt"
GROBER = (
    "Gröber U, Schmidt J, Kisters K. Magnesium in preventie en therapie. "
    "Nutrients. 2015;7(9):8199-8226."
)


def test_one_reference_as_jsonl(cli: Cli) -> None:
    result = cli("parse", GROBER)
    assert result.exit_code == 0
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    item = json.loads(lines[0])
    assert item["author"][0] == {"family": "Gröber", "given": "U."}
    assert item["page"] == "8199-8226"
    assert "_warnings" not in item


def test_whole_article_file_gives_four_jsonl_lines_in_order(cli: Cli) -> None:
    result = cli("parse", "--file", str(ARTICLE), "--format", "jsonl")
    assert result.exit_code == 0
    assert result.stderr == ""
    items = [json.loads(line) for line in result.stdout.splitlines()]
    assert [item["type"] for item in items][3] == "webpage"
    assert [item.get("issued", {}).get("date-parts", [[None]])[0][0] for item in items] == [
        2024,
        2012,
        2015,
        None,
    ]


def test_blank_line_separated_file_keeps_references_apart(cli: Cli, tmp_path: Path) -> None:
    refs = tmp_path / "refs.txt"
    refs.write_text(
        "Verheul HM, Pinedo HM (2007) Possible molecular mechanisms \ninvolved in the "
        "toxicity of angiogenesis inhibition. Nat Rev \n7(6):475-485\n\n"
        "Pollet TV (2007) Genetic relatedness and sibling relationship characteristics in a "
        "modem society. Evol \nHum Behav 28(3):176-185. doi: \n",
        encoding="utf-8",
    )
    result = cli("parse", "--file", str(refs))
    assert result.exit_code == 0
    items = [json.loads(line) for line in result.stdout.splitlines()]
    assert [item["author"][0]["family"] for item in items] == ["Verheul", "Pollet"]
    assert [item["page"] for item in items] == ["475-485", "176-185"]


def test_stdin(cli: Cli) -> None:
    result = cli("parse", "--file", "-", "--format", "json", input=GROBER + "\n")
    assert result.exit_code == 0
    items: list[dict[str, Any]] = json.loads(result.stdout)
    assert len(items) == 1
    assert items[0]["container-title"] == "Nutrients"


def test_table_format(cli: Cli) -> None:
    result = cli("parse", "--format", "table", GROBER)
    assert result.exit_code == 0
    assert result.stdout == (
        "  1  Gröber (2015). Magnesium in preventie en therapie. Nutrients 7(9):8199-8226 "
        "[article-journal]\n"
    )


def test_bibtex_format_generates_keys(cli: Cli) -> None:
    result = cli("parse", "--format", "bibtex", GROBER, GROBER)
    assert result.exit_code == 0
    assert "@article{grober2015magnesium," in result.stdout
    assert "@article{grober2015magnesiuma," in result.stdout
    assert "pages = {8199--8226}" in result.stdout


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        pytest.param(("parse", ""), 6, "Error: the input is empty", id="empty-text"),
        pytest.param(("parse",), 2, "Error: no references given", id="no-input"),
        pytest.param(
            ("parse", "--file", "missing.txt"),
            6,
            "Error: cannot read missing.txt",
            id="missing-file",
        ),
    ],
)
def test_input_errors(cli: Cli, args: tuple[str, ...], code: int, message: str) -> None:
    result = cli(*args)
    assert result.exit_code == code
    assert result.stdout == ""
    assert result.stderr.startswith(message)


def test_empty_file_is_input_error(cli: Cli, tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("\n\n", encoding="utf-8")
    result = cli("parse", "--file", str(empty))
    assert result.exit_code == 6
    assert result.stdout == ""
    assert "no references found" in result.stderr


def test_unknown_format_is_a_usage_error(cli: Cli) -> None:
    result = cli("parse", "--format", "xml", GROBER)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "--format" in result.stderr


def test_junk_gives_a_record_and_a_warning(cli: Cli) -> None:
    result = cli("parse", "%%% ### !!!")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["type"] == "document"
    assert result.stderr.startswith("Warning: reference 1: no title, author or identifier")


def test_help_has_an_example(cli: Cli) -> None:
    result = cli("parse", "--help")
    assert result.exit_code == 0
    assert "Example: refman parse" in result.stdout
