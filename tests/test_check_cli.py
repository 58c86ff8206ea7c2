"""``refman check`` through the CLI runner, with the resolver replaced by a fake."""

from __future__ import annotations

import json

import pytest

from tests.conftest import Cli
from tests.test_check import LIBRARY, FakeLookup, install_fake

CLEAN = LIBRARY.split("@article{shifted2012", maxsplit=1)[0]


@pytest.fixture
def lookup(monkeypatch: pytest.MonkeyPatch) -> FakeLookup:
    """The fake every command in the test uses."""
    return install_fake(monkeypatch)


@pytest.mark.parametrize(
    ("library", "args", "code"),
    [
        pytest.param(CLEAN, [], 0, id="clean"),
        pytest.param(LIBRARY, [], 1, id="errors"),
        pytest.param(LIBRARY, ["--fail-on", "never"], 0, id="fail_on_never"),
        pytest.param(
            CLEAN + "@misc{x, title={Magnesium in Prevention and Therapy}, author={A, B}, "
            "year={2015}, url={https://doi.org/10.3390/nu7095388}}\n",
            ["--fail-on", "warning"],
            1,
            id="warning_fails_on_warning",
        ),
    ],
)
def test_exit_codes(cli: Cli, lookup: FakeLookup, library: str, args: list[str], code: int) -> None:
    (cli.tmp_path / "library.bib").write_text(library, encoding="utf-8")
    result = cli("check", *args)
    assert result.exit_code == code
    assert result.stdout.splitlines()[-1].startswith("checked ")
    assert result.stderr == ""


def test_text_output(cli: Cli, lookup: FakeLookup) -> None:
    (cli.tmp_path / "refs.bib").write_text(LIBRARY, encoding="utf-8")
    result = cli("check", "refs.bib")
    assert result.exit_code == 1
    assert "refs.bib:13: shifted2012: error: year: entry 2009, Crossref 2012" in result.stdout
    assert "refs.bib:54: ghost2020: error: no matching record found" in result.stdout
    assert result.stdout.splitlines()[-1] == (
        "checked 7 entries: 2 ok, 0 with warnings, 5 with errors"
    )
    assert result.stderr == ""


def test_json_output(cli: Cli, lookup: FakeLookup) -> None:
    (cli.tmp_path / "refs.bib").write_text(LIBRARY, encoding="utf-8")
    result = cli("check", "refs.bib", "--format", "json")
    assert result.exit_code == 1
    entries = json.loads(result.stdout)
    assert [(e["index"], e["key"], e["status"]) for e in entries] == [
        (1, "sadasivan2012", "ok"),
        (2, "shifted2012", "error"),
        (3, "wakefield1998", "error"),
        (4, "invented2021", "error"),
        (5, "grober2015", "ok"),
        (6, "ghost2020", "error"),
        (7, "chimera2012", "error"),
    ]
    assert all(set(e) == {"index", "key", "reference", "status", "findings"} for e in entries)
    assert result.stderr == "checked 7 entries: 2 ok, 0 with warnings, 5 with errors\n"


def test_github_output(cli: Cli, lookup: FakeLookup) -> None:
    (cli.tmp_path / "refs.bib").write_text(LIBRARY, encoding="utf-8")
    result = cli("--quiet", "check", "refs.bib", "--format", "github")
    assert result.exit_code == 1
    assert "::error file=refs.bib,line=24,title=wakefield1998 retracted::retracted: " in (
        result.stdout
    )
    assert result.stderr == ""


def test_unreachable_service_exits_4(cli: Cli, lookup: FakeLookup) -> None:
    lookup.down = True
    (cli.tmp_path / "library.bib").write_text(CLEAN, encoding="utf-8")
    result = cli("check", "--fail-on", "never")
    assert result.exit_code == 4
    assert "could not be checked: Crossref could not be reached" in result.stdout
    assert "not checked: try again later" in result.stdout.splitlines()[-1]
    assert result.stderr == ""


def test_missing_library(cli: Cli, lookup: FakeLookup) -> None:
    result = cli("check")
    assert result.exit_code == 5
    assert result.stdout == ""
    assert "does not exist; add references with 'refman add' or name a file" in result.stderr


REFERENCES = """References

1. Sadasivan S, Pond BB, Pani AK. Methylphenidate exposure induces dopamine neuron loss and
activation of microglia in the basal ganglia of mice. PLoS One. 2010;7(3):e33693.
doi:10.1371/journal.pone.0033693

2. Ghost G, Phantom P. Nothing like this study exists anywhere. J Imaginary Res. 2020;1:1-9.
"""


def test_plain_text_reference_list(cli: Cli, lookup: FakeLookup) -> None:
    (cli.tmp_path / "refs.txt").write_text(REFERENCES, encoding="utf-8")
    result = cli("check", "refs.txt", "--format", "json")
    assert result.exit_code == 1
    entries = json.loads(result.stdout)
    assert [(e["index"], e["key"], e["status"]) for e in entries] == [
        (1, None, "error"),
        (2, None, "error"),
    ]
    assert entries[0]["reference"].startswith("Sadasivan S, Pond BB")
    assert entries[0]["findings"][0]["message"] == "year: entry 2010, Crossref 2012"
    assert entries[1]["findings"][0]["code"] == "no_match"
    assert result.stderr == "checked 2 entries: 0 ok, 0 with warnings, 2 with errors\n"


def test_reference_list_from_stdin_in_github_format(cli: Cli, lookup: FakeLookup) -> None:
    result = cli("check", "-", "--format", "github", input=REFERENCES)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == (
        "::error file=-,line=3,title=[1] year_mismatch::year: entry 2010, Crossref 2012"
    )
    assert lines[-1].startswith("::error file=-,line=7,title=[2] no_match::no matching record")
