"""Which keys a manuscript cites, in order of first citation."""

from __future__ import annotations

from pathlib import Path

import pytest

from refman.citekeys import ALL_KEYS, cited_keys, keys_in_text, latex_keys, markdown_keys
from refman.errors import InputError


@pytest.mark.parametrize(
    ("text", "keys"),
    [
        pytest.param(r"as shown \cite{grober2015}.", ["grober2015"], id="cite"),
        pytest.param(r"\citep{a,b} and \citet{c}", ["a", "b", "c"], id="natbib"),
        pytest.param(r"\parencite[see][p.~3]{a, b}", ["a", "b"], id="optional-args"),
        pytest.param(r"\autocite*[12]{a}", ["a"], id="starred"),
        pytest.param(r"\textcite{a} \footcite{b} \Textcite{c}", ["a", "b", "c"], id="biblatex"),
        pytest.param(r"\nocite{x}\cite{y}", ["x", "y"], id="nocite"),
        pytest.param(r"\nocite{*}", [ALL_KEYS], id="nocite-all"),
        pytest.param(r"\cites[p.~3]{a}[ch.~2]{b}{c} text {d}", ["a", "b", "c"], id="multicite"),
        pytest.param(r"\cite{b}\cite{a}\cite{b}", ["b", "a"], id="first-citation-order"),
        pytest.param(
            "% \\cite{hidden}\n\\cite{shown} 50\\% \\cite{also}",
            ["shown", "also"],
            id="comments-ignored",
        ),
        pytest.param("\\cite{a,\n  b}", ["a", "b"], id="keys-across-lines"),
        pytest.param(r"\citeauthor{a} \citeyear{a}", ["a"], id="author-year-commands"),
        pytest.param(r"\excitement{no} \recite", [], id="not-cite-commands"),
    ],
)
def test_latex_keys(text: str, keys: list[str]) -> None:
    assert latex_keys(text) == keys


@pytest.mark.parametrize(
    ("text", "keys"),
    [
        pytest.param("\\relax\n\\citation{a,b}\n\\citation{c}\n", ["a", "b", "c"], id="bibtex-aux"),
        pytest.param("\\abx@aux@cite{0}{a}\n\\abx@aux@cite{0}{b}\n", ["a", "b"], id="biber-aux"),
        pytest.param("\\abx@aux@cite{old}\n", ["old"], id="old-biber-aux"),
    ],
)
def test_aux_keys(text: str, keys: list[str]) -> None:
    assert keys_in_text(text, ".aux") == keys


@pytest.mark.parametrize(
    ("text", "keys"),
    [
        pytest.param(
            "Sleep [@hausenblas2024; @abbasi2012, p. 3].",
            ["hausenblas2024", "abbasi2012"],
            id="bracketed-with-locator",
        ),
        pytest.param("@grober2015 says so.", ["grober2015"], id="in-text"),
        pytest.param("As [-@grober2015] shows", ["grober2015"], id="suppress-author"),
        pytest.param("see @grober2015.", ["grober2015"], id="trailing-period-not-key"),
        pytest.param("mail me@example.org or x@y.com", [], id="email-is-not-a-citation"),
        pytest.param("[@{odd key}]", ["odd key"], id="braced-key"),
        pytest.param("[@doe:2019-a]", ["doe:2019-a"], id="internal-punctuation"),
        pytest.param("`@decorator` and\n```\n@code\n```\n[@real]", ["real"], id="code-ignored"),
        pytest.param("[@b] [@a] [@b]", ["b", "a"], id="first-citation-order"),
        pytest.param("---\nnocite: |\n  @x, @y\n---\n", ["x", "y"], id="yaml-nocite"),
    ],
)
def test_markdown_keys(text: str, keys: list[str]) -> None:
    assert markdown_keys(text) == keys


@pytest.mark.parametrize(
    ("name", "text", "keys"),
    [
        pytest.param("paper.tex", r"\cite{a} me@x.org", ["a"], id="tex-is-latex-only"),
        pytest.param("paper.md", r"\cite{a} [@b]", ["b"], id="markdown-only"),
        pytest.param("paper.Rmd", "[@b]", ["b"], id="suffix-any-case"),
        pytest.param("notes", r"\cite{a} [@b]", ["a", "b"], id="unknown-suffix-both"),
    ],
)
def test_cited_keys_reads_by_suffix(tmp_path: Path, name: str, text: str, keys: list[str]) -> None:
    path = tmp_path / name
    path.write_text(text, "utf-8")
    assert cited_keys(path) == keys


def test_unreadable_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="--cited-in"):
        cited_keys(tmp_path / "absent.tex")
