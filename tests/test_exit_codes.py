"""Every documented exit code, through the real CLI: one line on stderr, nothing on stdout."""

from __future__ import annotations

from pathlib import Path

import pytest

from refman.errors import EXIT_CODES
from tests.conftest import Cli

ARTICLE_REF = (
    "Gröber U, Schmidt J, Kisters K. Magnesium in preventie en therapie. "
    "Nutrients. 2015;7(9):8199-8226."
)


def _library(cli: Cli) -> Path:
    path = cli.tmp_path / "library.bib"
    path.write_text(
        "@article{grober2015magnesium,\n  author = {Gröber, Uwe},\n"
        "  title = {Magnesium in Prevention and Therapy},\n  journal = {Nutrients},\n"
        "  year = {2015},\n}\n",
        encoding="utf-8",
    )
    return path


def _assert_one_line_error(stderr: str, stdout: str) -> None:
    assert stdout == ""
    errors = [line for line in stderr.splitlines() if line.startswith("Error: ")]
    assert len(errors) == 1, stderr


@pytest.mark.parametrize(
    ("args", "code", "needle"),
    [
        pytest.param(
            ("export", "--format", "xyz"), 2, "Invalid value for '--format'", id="2-usage"
        ),
        pytest.param(("show", "nosuchkey"), 3, "nosuchkey", id="3-not-found-key"),
        pytest.param(
            ("export", "--format", "text", "--style", "no-such-style-anywhere"),
            3,
            "no-such-style-anywhere",
            id="3-not-found-style",
        ),
        pytest.param(("parse", "--file", "missing.txt"), 6, "missing.txt", id="6-unreadable-input"),
    ],
)
def test_exit_code_with_library(cli: Cli, args: tuple[str, ...], code: int, needle: str) -> None:
    _library(cli)
    result = cli(*args)
    assert result.exit_code == code, result.stderr
    assert needle in result.stderr
    _assert_one_line_error(result.stderr, result.stdout)


@pytest.mark.parametrize(
    "args", [("list",), ("search", "magnesium"), ("show", "x"), ("export",)], ids=" ".join
)
def test_missing_library_is_code_5_with_a_hint(cli: Cli, args: tuple[str, ...]) -> None:
    result = cli(*args)
    assert result.exit_code == 5
    assert "does not exist" in result.stderr
    assert "refman add" in result.stderr
    _assert_one_line_error(result.stderr, result.stdout)


def test_unreachable_service_is_code_4_never_clean(cli: Cli) -> None:
    _library(cli)
    result = cli("--offline", "check")
    assert result.exit_code == 4
    assert "could not be reached" in result.stdout + result.stderr
    assert "0 ok" in result.stdout + result.stderr


def test_failing_pandoc_is_code_8(cli: Cli) -> None:
    _library(cli)
    (cli.tmp_path / "broken.csl").write_text("<style>unclosed", encoding="utf-8")
    result = cli("export", "--format", "text", "--style", str(cli.tmp_path / "broken.csl"))
    assert result.exit_code == 8
    assert "pandoc failed" in result.stderr
    _assert_one_line_error(result.stderr, result.stdout)


def test_malformed_config_is_code_7(cli: Cli) -> None:
    (cli.tmp_path / "config.toml").write_text("mailto = ", encoding="utf-8")
    result = cli("list")
    assert result.exit_code == EXIT_CODES["ConfigError"] == 7
    _assert_one_line_error(result.stderr, result.stdout)


def test_empty_input_is_code_6(cli: Cli) -> None:
    result = cli("parse", "--file", "-", input="   \n\n")
    assert result.exit_code == 6
    _assert_one_line_error(result.stderr, result.stdout)


def test_interrupt_is_code_130(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    import refman.parsing

    def interrupted(*_args: object, **_kwargs: object) -> object:
        raise KeyboardInterrupt

    monkeypatch.setattr(refman.parsing, "parse_references", interrupted)
    monkeypatch.setattr(refman.parsing, "parse_reference", interrupted)
    result = cli("parse", ARTICLE_REF)
    assert result.exit_code == 130
    assert "interrupted" in result.stderr


def test_verbose_shows_the_cause(cli: Cli) -> None:
    result = cli("--verbose", "parse", "--file", "missing.txt")
    assert result.exit_code == 6
    assert "Cause: FileNotFoundError" in result.stderr


def test_documented_codes_match_the_readme() -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    for code in set(EXIT_CODES.values()) - {1}:
        assert f"| {code} |" in readme
