"""The CLI skeleton: help, version, documentation of every command, CI wiring."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import typer

from refman import __version__
from refman.cli.app import app
from tests.conftest import PROJECT, Cli

README = (PROJECT / "README.md").read_text(encoding="utf-8")


def _command_paths() -> list[tuple[str, ...]]:
    """Every runnable command as its words after ``refman`` (groups expanded)."""
    root = typer.main.get_command(app)
    paths: list[tuple[str, ...]] = []

    def walk(command: object, prefix: tuple[str, ...]) -> None:
        children = getattr(command, "commands", None)
        if children:
            for name, child in children.items():
                walk(child, (*prefix, name))
        else:
            paths.append(prefix)

    walk(root, ())
    return paths


COMMANDS = _command_paths()


def test_help_lists_every_command_with_a_description(cli: Cli) -> None:
    result = cli("--help")
    assert result.exit_code == 0
    top_level = {path[0] for path in COMMANDS}
    for name in top_level:
        line = next((ln for ln in result.stdout.splitlines() if ln.strip().startswith(name)), "")
        assert len(line.split()) > 1, f"{name} has no one-line description in --help"


def test_version(cli: Cli) -> None:
    result = cli("--version")
    assert result.exit_code == 0
    assert result.stdout == f"refman {__version__}\n"


@pytest.mark.parametrize("path", COMMANDS, ids=" ".join)
def test_every_command_has_help_with_an_example(cli: Cli, path: tuple[str, ...]) -> None:
    result = cli(*path, "--help")
    assert result.exit_code == 0
    assert "Example" in result.stdout, f"refman {' '.join(path)} --help shows no example"


@pytest.mark.parametrize("path", COMMANDS, ids=" ".join)
def test_every_command_is_documented_in_the_readme(path: tuple[str, ...]) -> None:
    assert f"refman {' '.join(path)}" in README, f"README does not document {' '.join(path)}"


def _quick_start_commands() -> list[str]:
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```(?:sh|bash|console)?\n(.*?)```", section, flags=re.S)
    return [line for block in blocks for line in block.splitlines() if line.strip()]


def test_readme_quick_start_has_exactly_two_commands() -> None:
    assert len(_quick_start_commands()) == 2


def test_ci_runs_the_readme_test_command() -> None:
    test_command = _quick_start_commands()[1]
    assert "pytest" in test_command
    assert test_command in (PROJECT / ".ci" / "run").read_text(encoding="utf-8")


def test_python_dash_m_entry_point() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "refman", "--version"],
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(PROJECT),
    )
    assert result.returncode == 0
    assert result.stdout.strip() == f"refman {__version__}"


def test_unknown_command_is_a_usage_error(cli: Cli) -> None:
    result = cli("frobnicate")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "No such command 'frobnicate'" in result.stderr


def test_project_library_holds_the_article_references(cli: Cli) -> None:
    """library.bib is refman's own store of the article's four references."""
    result = cli("--library", str(PROJECT / "library.bib"), "list", "--format", "json")
    assert result.exit_code == 0, result.stderr
    items = {item["id"]: item for item in json.loads(result.stdout)}
    assert sorted(items) == [
        "abbasi2012effect",
        "grober2015magnesium",
        "hausenblas2024magnesiuml",
        "nih2025magnesium",
    ]
    assert items["grober2015magnesium"]["DOI"] == "10.3390/nu7095388"
    assert items["hausenblas2024magnesiuml"]["DOI"] == "10.1016/j.sleepx.2024.100121"
    assert "DOI" not in items["abbasi2012effect"]
    assert items["nih2025magnesium"]["URL"].startswith("https://ods.od.nih.gov/")
    assert items["nih2025magnesium"]["type"] == "webpage"
    assert items["nih2025magnesium"]["accessed"] == {"date-parts": [[2025]]}
