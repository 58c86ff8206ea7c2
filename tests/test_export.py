"""``refman export``, ``refman cite`` and ``refman styles`` end to end, and the export service.

The library is written with refman's own BibTeX codec from tests/data's references,
so every format is exercised for an article, a chapter, a book, a web page with
an access date, an organisation author and non-ASCII names.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from refman import bibtex, csljson, ris
from refman.config import resolve_settings
from refman.errors import UsageError
from refman.services import export as service
from tests.conftest import Cli
from tests.test_render import EXPECTED, load_references


@pytest.fixture
def library(cli: Cli) -> Cli:
    """The CLI with a library holding every test reference."""
    library_text = bibtex.dumps(load_references(), dialect="biblatex")
    (cli.tmp_path / "library.bib").write_text(library_text, "utf-8")
    return cli


KINDS = {
    "mccrae2008": "chapter",
    "knuth1997": "book",
    "nih2025": "web-page-with-access-date",
    "who2021": "organisation-author",
    "garcia2021": "non-ascii-names",
}
FORMAT_CASES: dict[tuple[str, str], list[str]] = {
    ("bibtex", "mccrae2008"): [
        "@incollection{mccrae2008,",
        "editor = {John, Oliver P. and Robins, Richard W. and Pervin, Lawrence A.}",
        "booktitle = {Handbook of personality: Theory and research}",
        "pages = {159--181}",
    ],
    ("bibtex", "knuth1997"): ["@book{knuth1997,", "edition = {3}", "volume = {1}"],
    ("bibtex", "nih2025"): [
        "@misc{nih2025,",
        "author = {{National Institutes of Health}}",
        "url = {https://ods.od.nih.gov/factsheets/Magnesium-HealthProfessional/}",
    ],
    ("bibtex", "who2021"): ["@techreport{who2021,", "institution = {World Health Organization}"],
    ("bibtex", "garcia2021"): [
        "author = {García Márquez, José and Ødegård, Åse and van der Meer, Jan}"
    ],
    ("biblatex", "mccrae2008"): ["@incollection{mccrae2008,", "location = {New York}"],
    ("biblatex", "knuth1997"): ["@book{knuth1997,", "date = {1997}"],
    ("biblatex", "nih2025"): ["@online{nih2025,", "urldate = {2025}"],
    ("biblatex", "who2021"): ["@report{who2021,", "author = {{World Health Organization}}"],
    ("biblatex", "garcia2021"): [
        "author = {García Márquez, José and Ødegård, Åse and van der Meer, Jan}",
        "journaltitle = {European Journal of Nutrition}",
    ],
    ("csl-json", "mccrae2008"): ['"type": "chapter"', '"family": "Pervin"', '"page": "159-181"'],
    ("csl-json", "knuth1997"): ['"type": "book"', '"edition": "3"'],
    ("csl-json", "nih2025"): [
        '"type": "webpage"',
        '"literal": "National Institutes of Health"',
        '"accessed": {',
    ],
    ("csl-json", "who2021"): ['"type": "report"', '"literal": "World Health Organization"'],
    ("csl-json", "garcia2021"): [
        '"family": "García Márquez"',
        '"non-dropping-particle": "van der"',
    ],
    ("ris", "mccrae2008"): ["TY  - CHAP", "A2  - John, Oliver P.", "SP  - 159\nEP  - 181"],
    ("ris", "knuth1997"): ["TY  - BOOK", "PB  - Addison-Wesley", "CY  - Reading, MA"],
    ("ris", "nih2025"): ["TY  - ELEC", "AU  - National Institutes of Health", "Y2  - 2025"],
    ("ris", "who2021"): ["TY  - RPRT", "AU  - World Health Organization"],
    ("ris", "garcia2021"): ["AU  - García Márquez, José", "AU  - Ødegård, Åse"],
    ("text", "mccrae2008"): [EXPECTED["apa"][8]],
    ("text", "knuth1997"): [EXPECTED["apa"][6]],
    ("text", "nih2025"): [EXPECTED["apa"][9]],
    ("text", "who2021"): [EXPECTED["apa"][12]],
    ("text", "garcia2021"): [EXPECTED["apa"][3]],
    ("html", "mccrae2008"): [
        "In O. P. John, R. W. Robins, &amp; L. A. Pervin (Eds.), "
        "<em>Handbook of personality: Theory and research</em> (3rd ed., pp. 159–181)."
    ],
    ("html", "knuth1997"): [
        "Knuth, D. E. (1997). <em>The art of computer programming: Fundamental algorithms</em>"
    ],
    ("html", "nih2025"): [
        "National Institutes of Health. (n.d.). <em>Magnesium—Fact Sheet for Health "
        "Professionals</em>. Retrieved 2025, from https://ods.od.nih.gov/"
    ],
    ("html", "who2021"): [
        "World Health Organization. (2021). <em>Guideline on nutrient intake in older adults</em>."
    ],
    ("html", "garcia2021"): ["García Márquez, J., Ødegård, Å., &amp; van der Meer, J. (2021)."],
    ("markdown", "mccrae2008"): ["(Eds.), *Handbook of personality: Theory and research* (3rd"],
    ("markdown", "knuth1997"): ["*The art of computer programming: Fundamental algorithms*"],
    ("markdown", "nih2025"): ["(n.d.). *Magnesium—Fact Sheet for Health Professionals*."],
    ("markdown", "who2021"): ["World Health Organization. (2021). *Guideline on nutrient"],
    ("markdown", "garcia2021"): [
        "García Márquez, J., Ødegård, Å., & van der Meer, J. (2021). Serum magnesium in "
        "Nordic and Iberian cohorts. *European Journal of Nutrition*, *60*(4), 2011–2023."
    ],
}


@pytest.mark.parametrize(
    ("fmt", "key", "fragments"),
    [
        pytest.param(fmt, key, fragments, id=f"{fmt}-{KINDS[key]}")
        for (fmt, key), fragments in FORMAT_CASES.items()
    ],
)
def test_export_every_format(library: Cli, fmt: str, key: str, fragments: list[str]) -> None:
    result = library("export", key, "--format", fmt, "--style", "apa")
    assert result.exit_code == 0
    assert result.stderr == ""
    for fragment in fragments:
        assert fragment in result.stdout


def test_export_styled_whole_library_sorted_by_the_style(library: Cli) -> None:
    result = library("export", "--format", "text", "--style", "apa")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == EXPECTED["apa"]


def test_export_numeric_style_numbers_in_library_order(library: Cli) -> None:
    result = library("export", "--format", "text", "--style", "vancouver")
    numbers = [line.split(". ", 1)[0] for line in result.stdout.splitlines()]
    assert numbers == [str(number) for number in range(1, 14)]
    assert result.stdout.splitlines()[5] == EXPECTED["vancouver"][5]


def test_export_keys_in_the_order_given(library: Cli) -> None:
    result = library("export", "nih2025", "grober2015", "--format", "text", "--style", "ieee")
    assert result.stdout.splitlines()[0].startswith("[1] National Institutes of Health")
    assert result.stdout.splitlines()[1].startswith("[2] U. Gröber")


def test_export_cited_in_documents(library: Cli) -> None:
    tex = library.tmp_path / "paper.tex"
    tex.write_text(r"See \citep[p.~3]{grober2015, hausenblas2024} and \cite{ghost}.", "utf-8")
    notes = library.tmp_path / "notes.md"
    notes.write_text("Also [@abbasi2012; @grober2015]. Mail me@example.org.", "utf-8")
    result = library(
        "export", "--format", "text", "--style", "vancouver",
        "--cited-in", str(tex), "--cited-in", str(notes),
    )  # fmt: skip
    assert result.exit_code == 0
    assert [line[:12] for line in result.stdout.splitlines()] == [
        "1. Gröber U,",
        "2. Hausenbla",
        "3. Abbasi B,",
    ]
    assert result.stderr == "Warning: cited but not in the library: ghost\n"


def test_export_to_file(library: Cli) -> None:
    target = library.tmp_path / "out.json"
    result = library("export", "--format", "csl-json", "--output", str(target))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == f"wrote 13 entries to {target}\n"
    assert len(csljson.loads(target.read_text("utf-8"))) == 13


def test_export_default_is_bibtex_that_loads_back(library: Cli) -> None:
    result = library("export")
    assert [item["id"] for item in bibtex.loads(result.stdout)] == [
        item["id"] for item in load_references()
    ]


def test_export_ris_loads_back(library: Cli) -> None:
    result = library("export", "--format", "ris")
    assert len(ris.loads(result.stdout)) == 13


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        pytest.param(
            ["export", "--format", "text", "--style", "vancover"],
            3,
            "Error: unknown style 'vancover'; did you mean: vancouver",
            id="style",
        ),
        pytest.param(["export", "nosuchkey"], 3, "nosuchkey", id="key"),
        pytest.param(
            ["cite", "grober2015", "--style", "nope.csl"], 3, "does not exist", id="style-path"
        ),
        pytest.param(["export", "--format", "docx"], 2, "docx", id="format"),
    ],
)
def test_export_errors(library: Cli, args: list[str], code: int, message: str) -> None:
    result = library(*args)
    assert result.exit_code == code
    assert result.stdout == ""
    assert message in result.stderr


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        pytest.param(["grober2015", "--style", "apa"], "(Gröber et al., 2015)\n", id="apa"),
        pytest.param(
            ["grober2015", "abbasi2012", "--style", "vancouver"], "(1,2)\n", id="vancouver"
        ),
        pytest.param(["grober2015", "--style", "nature"], "¹\n", id="nature"),
        pytest.param(
            ["grober2015", "--style", "nature", "--format", "html"],
            '<p><span class="citation" data-cites="grober2015"><sup>1</sup></span></p>\n',
            id="nature-html",
        ),
        pytest.param(["grober2015"], "(Gröber et al., 2015)\n", id="default-style-apa"),
        pytest.param(
            ["walker2019a", "--style", "apa"], "(Walker, 2019b)\n", id="year-suffix-from-library"
        ),
        pytest.param(
            ["walker2019b", "--style", "apa"], "(Walker, 2019a)\n", id="other-year-suffix"
        ),
        pytest.param(["walker2019b", "--style", "ieee"], "[1]\n", id="numeric-unaffected"),
    ],
)
def test_cite(library: Cli, args: list[str], expected: str) -> None:
    result = library("cite", *args)
    assert result.exit_code == 0
    assert result.stdout == expected
    assert result.stderr == ""


def test_styles_lists_and_searches(cli: Cli) -> None:
    result = cli("styles", "vancouver")
    assert result.exit_code == 0
    first = result.stdout.splitlines()[0]
    assert first == (
        "nlm-citation-sequence\tnumeric\tNLM/Vancouver: Citing Medicine 2nd edition "
        "(citation-sequence) (alias: vancouver)"
    )
    assert result.stderr.endswith(" styles\n")


def test_styles_with_no_match(cli: Cli) -> None:
    result = cli("styles", "qqqqqqqq")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == "0 styles\n"


def test_service_rejects_unknown_format(tmp_path: Path) -> None:
    settings = resolve_settings({"library": str(tmp_path / "library.bib")})
    with pytest.raises(UsageError, match="unknown export format"):
        service.export(settings, fmt="docx")


def test_configured_locale_applies_and_default_lets_the_style_choose() -> None:
    default = resolve_settings({})
    assert service.effective_locale(default, None) is None
    assert service.effective_locale(default, "de-DE") == "de-DE"


def test_nocite_all_exports_everything(library: Cli) -> None:
    tex = library.tmp_path / "all.tex"
    tex.write_text(r"\cite{who2021}\nocite{*}", "utf-8")
    result = library("export", "--format", "csl-json", "--cited-in", str(tex))
    ids = [item["id"] for item in json.loads(result.stdout)]
    assert ids[0] == "who2021"
    assert len(ids) == 13


# --- real tools --------------------------------------------------------------------------------

LATEX_DOCUMENT = r"""\documentclass{article}
\usepackage[backend=biber,style=authoryear]{biblatex}
\addbibresource{refs.bib}
\begin{document}
\nocite{*}
\printbibliography
\end{document}
"""


def _run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, timeout=120, check=False
    )


def _require(*tools: str) -> None:
    missing = [tool for tool in tools if shutil.which(tool) is None]
    if missing:
        pytest.skip(
            f"{', '.join(missing)} not installed (Debian: apt-get install texlive-latex-base "
            "texlive-bibtex-extra biber)"
        )


@pytest.mark.slow
def test_bibtex_accepts_the_export(tmp_path: Path) -> None:
    _require("bibtex")
    (tmp_path / "refs.bib").write_text(bibtex.dumps(load_references()), "utf-8")
    (tmp_path / "paper.aux").write_text(
        "\\citation{*}\n\\bibstyle{plain}\n\\bibdata{refs}\n", "utf-8"
    )
    done = _run(["bibtex", "paper"], tmp_path)
    log = (tmp_path / "paper.blg").read_text("utf-8", errors="replace")
    assert done.returncode == 0, log
    assert "Warning--" not in log
    bbl = (tmp_path / "paper.bbl").read_text("utf-8", errors="replace")
    assert bbl.count("\\bibitem") == 13


@pytest.mark.slow
def test_biber_and_biblatex_accept_the_export(tmp_path: Path) -> None:
    _require("pdflatex", "biber")
    (tmp_path / "refs.bib").write_text(bibtex.dumps(load_references(), dialect="biblatex"), "utf-8")
    (tmp_path / "paper.tex").write_text(LATEX_DOCUMENT, "utf-8")
    first = _run(["pdflatex", "-interaction=nonstopmode", "paper.tex"], tmp_path)
    missing = re.search(r"File `([^']+\.sty)' not found", first.stdout)
    if missing:
        pytest.skip(
            f"LaTeX package {missing.group(1)} is not installed (Debian: apt-get install "
            "texlive-latex-recommended texlive-bibtex-extra)"
        )
    assert (tmp_path / "paper.bcf").exists(), first.stdout
    done = _run(["biber", "paper"], tmp_path)
    log = (tmp_path / "paper.blg").read_text("utf-8", errors="replace")
    assert done.returncode == 0, log
    assert "WARN" not in log, log
    assert (tmp_path / "paper.bbl").read_text("utf-8").count("\\entry{") == 13


@pytest.mark.parametrize(
    ("args", "env", "expected"),
    [
        pytest.param(["--locale", "de-DE"], {}, "Abgerufen 2025, von", id="flag"),
        pytest.param([], {"REFMAN_LOCALE": "fr-FR"}, "Consulté 2025", id="configured"),
        pytest.param([], {}, "Retrieved 2025, from", id="style-default"),
    ],
)
def test_export_locale(library: Cli, args: list[str], env: dict[str, str], expected: str) -> None:
    library.env.update(env)
    result = library("export", "nih2025", "--format", "text", "--style", "apa", *args)
    assert result.exit_code == 0
    assert expected in result.stdout


@pytest.mark.parametrize("fmt", ["text", "csl-json", "ris"])
def test_export_of_an_empty_library(cli: Cli, fmt: str) -> None:
    (cli.tmp_path / "library.bib").write_text("", "utf-8")
    result = cli("export", "--format", fmt)
    assert result.exit_code == 0
    assert result.stderr == ""
    assert result.stdout in {"", "[]\n"}
