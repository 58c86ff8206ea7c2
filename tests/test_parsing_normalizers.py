"""The deterministic parts of parsing: names, dates, access dates, pages, volumes, identifiers."""

from __future__ import annotations

from typing import Any

import pytest

from refman.parsing import cleaners, identifiers, names, values
from refman.parsing.record import build_item
from refman.parsing.tokens import tokenize

OTHERS = {"literal": "others"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "Hausenblas HA, Lynch T.",
            [{"family": "Hausenblas", "given": "H. A."}, {"family": "Lynch", "given": "T."}],
            id="vancouver",
        ),
        pytest.param(
            "Abbasi B, Kimiagar M, Sadeghniiat K, et al.",
            [
                {"family": "Abbasi", "given": "B."},
                {"family": "Kimiagar", "given": "M."},
                {"family": "Sadeghniiat", "given": "K."},
                OTHERS,
            ],
            id="et-al-kept-as-others",
        ),
        pytest.param(
            "Smith J et al", [{"family": "Smith", "given": "J."}, OTHERS], id="et-al-bare"
        ),
        pytest.param(
            "Smith, J., Et Al.", [{"family": "Smith", "given": "J."}, OTHERS], id="et-al-capitals"
        ),
        pytest.param(
            "Müller, K. u. a.", [{"family": "Müller", "given": "K."}, OTHERS], id="german-u-a"
        ),
        pytest.param(
            "Jansen P, e.a.", [{"family": "Jansen", "given": "P."}, OTHERS], id="dutch-e-a"
        ),
        pytest.param(
            "Smith, J. and others", [{"family": "Smith", "given": "J."}, OTHERS], id="and-others"
        ),
        pytest.param(
            "Smith, E. A., Jones, U. A.",
            [{"family": "Smith", "given": "E. A."}, {"family": "Jones", "given": "U. A."}],
            id="initials-e-a-u-a-are-not-et-al",
        ),
        pytest.param("et al.", [], id="et-al-alone-is-no-name"),
        pytest.param(
            "Smith J. A., van der Berg A. B.",
            [
                {"family": "Smith", "given": "J. A."},
                {"family": "Berg", "non-dropping-particle": "van der", "given": "A. B."},
            ],
            id="family-then-dotted-initials",
        ),
        pytest.param(
            "FRITZ C., MENU M., WALTER PH.",
            [
                {"family": "FRITZ", "given": "C."},
                {"family": "MENU", "given": "M."},
                {"family": "WALTER", "given": "P. H."},
            ],
            id="short-capitalised-family-is-not-initials",
        ),
        pytest.param(
            "Romero, C., Paunesku, D., & Dweck, C.",
            [
                {"family": "Romero", "given": "C."},
                {"family": "Paunesku", "given": "D."},
                {"family": "Dweck", "given": "C."},
            ],
            id="apa-inverted",
        ),
        pytest.param(
            "Lee, L. L., W. E. Howard, and R. E. Marsh.",
            [
                {"family": "Lee", "given": "L. L."},
                {"family": "Howard", "given": "W. E."},
                {"family": "Marsh", "given": "R. E."},
            ],
            id="first-inverted-rest-natural",
        ),
        pytest.param(
            "S. E. Han, G. Chen,",
            [{"family": "Han", "given": "S. E."}, {"family": "Chen", "given": "G."}],
            id="ieee-natural",
        ),
        pytest.param(
            "Zijlstra GAR, van Haastregt JCM",
            [
                {"family": "Zijlstra", "given": "G. A. R."},
                {"family": "Haastregt", "non-dropping-particle": "van", "given": "J. C. M."},
            ],
            id="particle-van",
        ),
        pytest.param(
            "de la Macorra JC",
            [{"family": "Macorra", "non-dropping-particle": "de la", "given": "J. C."}],
            id="particle-de-la",
        ),
        pytest.param(
            "Smith, J.; van der Berg, A.",
            [
                {"family": "Smith", "given": "J."},
                {"family": "Berg", "non-dropping-particle": "van der", "given": "A."},
            ],
            id="semicolons-van-der",
        ),
        pytest.param(
            "National Institutes of Health.",
            [{"literal": "National Institutes of Health"}],
            id="organisation",
        ),
        pytest.param(
            "In: Meier H, Schulz P (Hrsg.)",
            [{"family": "Meier", "given": "H."}, {"family": "Schulz", "given": "P."}],
            id="editors-hrsg",
        ),
        pytest.param(
            "In J. Smith & K. Jones (eds.),",
            [{"family": "Smith", "given": "J."}, {"family": "Jones", "given": "K."}],
            id="editors-eds",
        ),
        pytest.param(
            "In: Jansen P, de Vries K, red.",
            [
                {"family": "Jansen", "given": "P."},
                {"family": "Vries", "non-dropping-particle": "de", "given": "K."},
            ],
            id="editors-red",
        ),
        pytest.param(
            "Irwin MS, Kaelin WG Jr",
            [
                {"family": "Irwin", "given": "M. S."},
                {"family": "Kaelin", "given": "W. G.", "suffix": "Jr"},
            ],
            id="suffix-jr",
        ),
        pytest.param(
            "García Márquez, G., Ortega, J. A., and R. Ruiz",
            [
                {"family": "García Márquez", "given": "G."},
                {"family": "Ortega", "given": "J. A."},
                {"family": "Ruiz", "given": "R."},
            ],
            id="two-word-family-before-initials",
        ),
        pytest.param(
            "Ana Ruiz, Tom Ng, Power",
            [
                {"family": "Ruiz", "given": "Ana"},
                {"family": "Ng", "given": "Tom"},
                {"family": "Power"},
            ],
            id="natural-order-before-a-single-word",
        ),
        pytest.param(
            "VAN DER HEIJDEN M, DE JONG CA",
            [
                {"family": "VAN DER HEIJDEN", "given": "M."},
                {"family": "DE JONG", "given": "C. A."},
            ],
            id="capital-particles-are-no-initials",
        ),
        pytest.param(
            "DU Y, WU X",
            [{"family": "DU", "given": "Y."}, {"family": "WU", "given": "X."}],
            id="short-family-in-capitals",
        ),
        pytest.param(
            "JK ROWLING", [{"family": "ROWLING", "given": "J. K."}], id="capitals-natural"
        ),
        pytest.param("%%% ###", [], id="no-letters"),
        pytest.param("", [], id="empty"),
    ],
)
def test_parse_names(text: str, expected: list[dict[str, str]]) -> None:
    assert names.parse_names(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("496-7", "496-497", id="abbreviated-one-digit"),
        pytest.param("1161-9", "1161-1169", id="abbreviated-vancouver"),
        pytest.param("8199-8226.", "8199-8226", id="full-range"),
        pytest.param("pp. 1761–1800).", "1761-1800", id="en-dash-pp"),
        pytest.param("p.14.", "14", id="single-page"),
        pytest.param("e1234", "e1234", id="electronic-page"),
        pytest.param("S12–S19", "S12-S19", id="supplement-pages"),
        pytest.param("no digits", None, id="nothing"),
    ],
)
def test_parse_pages(text: str, expected: str | None) -> None:
    assert values.parse_pages(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("17(12):", ("17", "12"), id="vancouver-volume-issue"),
        pytest.param("Vol. 9,", ("9", None), id="vol-dot"),
        pytest.param("12 (5):", ("12", "5"), id="space-before-issue"),
        pytest.param("vol. 3, no. 2", ("3", "2"), id="vol-no"),
        pytest.param("No. 134", (None, "134"), id="issue-only"),
        pytest.param("3(Suppl 1):", ("3", "Suppl 1"), id="supplement"),
        pytest.param("Bd. 12, H. 3", ("12", "3"), id="german-band-heft"),
    ],
)
def test_parse_volume(text: str, expected: tuple[str | None, str | None]) -> None:
    assert values.parse_volume(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("(2011).", [2011], id="year-in-parentheses"),
        pytest.param("July 27, 2006,", [2006, 7, 27], id="english-month-day"),
        pytest.param("septembre 2014,", [2014, 9], id="french-month"),
        pytest.param("2020-03-05", [2020, 3, 5], id="iso"),
        pytest.param("2024;", [2024], id="vancouver"),
    ],
)
def test_parse_date(text: str, expected: list[int]) -> None:
    assert values.parse_date(text) == {"date-parts": [expected]}


def test_parse_date_without_year_is_none() -> None:
    assert values.parse_date("n.d.") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("Accessed 12 May 2016.", [2016, 5, 12], id="en-accessed"),
        pytest.param("[cited 2020 Jan 5]", [2020, 1, 5], id="en-cited-vancouver"),
        pytest.param("Retrieved May 15, 2014, from", [2014, 5, 15], id="en-retrieved"),
        pytest.param("Geraadpleegd in 2025.", [2025], id="nl-geraadpleegd-in"),
        pytest.param("geraadpleegd op 3 maart 2024", [2024, 3, 3], id="nl-geraadpleegd-op"),
        pytest.param("abgerufen am 3.4.2021", [2021, 4, 3], id="de-abgerufen"),
        pytest.param("Zugegriffen am 12. März 2019", [2019, 3, 12], id="de-zugegriffen"),
        pytest.param("consulté le 5 mai 2020", [2020, 5, 5], id="fr-consulte"),
        pytest.param("consultado el 5 de mayo de 2020", [2020, 5, 5], id="es-consultado"),
    ],
)
def test_access_dates(text: str, expected: list[int]) -> None:
    found = values.find_access_date(f"Some page. https://example.org/x. {text}")
    assert found is not None
    assert found[0] == {"date-parts": [expected]}


def test_retrieved_from_without_date_is_no_access_date() -> None:
    assert values.find_access_date("Retrieved from https://example.org") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "doi:10.1098/rstb.2013.0165.", {"DOI": "10.1098/rstb.2013.0165"}, id="doi-colon"
        ),
        pytest.param("DOI 10.3390/nu7095388", {"DOI": "10.3390/nu7095388"}, id="doi-space"),
        pytest.param(
            "https://doi.org/10.1016/j.sleepx.2024.100121.",
            {"DOI": "10.1016/j.sleepx.2024.100121"},
            id="doi-url",
        ),
        pytest.param(
            "DOI: 10.1016/S0140-6736(20)30183-5).",
            {"DOI": "10.1016/S0140-6736(20)30183-5"},
            id="doi-with-balanced-parentheses",
        ),
        pytest.param(
            "https://ods.od.nih.gov/factsheets/Magnesium-HealthProfessional/.",
            {"URL": "https://ods.od.nih.gov/factsheets/Magnesium-HealthProfessional/"},
            id="url-trailing-stop",
        ),
        pytest.param(
            "<http://whyfiles.org/a.html>.", {"URL": "http://whyfiles.org/a.html"}, id="url-angle"
        ),
        pytest.param("PMID: 26404370", {"PMID": "26404370"}, id="pmid"),
        pytest.param("PMCID: PMC4586582", {"PMCID": "PMC4586582"}, id="pmcid"),
        pytest.param("ISBN 978-0-306-40615-7", {"ISBN": "9780306406157"}, id="isbn13"),
        pytest.param("ISBN 0-306-40615-1", {}, id="isbn-bad-checksum"),
        pytest.param("ISSN 0028-0836", {"ISSN": "0028-0836"}, id="issn"),
        pytest.param("arXiv:1706.03762v2 [cs.CL]", {"arXiv": "1706.03762v2"}, id="arxiv-new"),
        pytest.param(
            "https://arxiv.org/abs/hep-th/9901001",
            {"arXiv": "hep-th/9901001", "URL": "https://arxiv.org/abs/hep-th/9901001"},
            id="arxiv-old-url",
        ),
        pytest.param("no identifiers here", {}, id="none"),
    ],
)
def test_extract_identifiers(text: str, expected: dict[str, Any]) -> None:
    assert identifiers.extract_identifiers(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("https://doi.org/10.1000/xyz123.", "10.1000/xyz123", id="url"),
        pytest.param("doi:10.1000/xyz123", "10.1000/xyz123", id="doi-prefix"),
        pytest.param(
            "http://dx.doi.org/10.1198/tast.2010.09132", "10.1198/tast.2010.09132", id="dx"
        ),
        pytest.param("10.1000/xyz123,", "10.1000/xyz123", id="bare"),
        pytest.param("not a doi", None, id="none"),
    ],
)
def test_normalize_doi(text: str, expected: str | None) -> None:
    assert identifiers.normalize_doi(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("“Brainology in the classroom.”", "Brainology in the classroom", id="quotes"),
        pytest.param("Sleep data 2020 [dataset]. Dryad.", "Sleep data 2020", id="marker-cuts"),
        pytest.param("Magnesium [Internet].", "Magnesium", id="internet-marker"),
        pytest.param("Sleep in the U.S.", "Sleep in the U.S.", id="abbreviation-stop-kept"),
        pytest.param("Why sleep?", "Why sleep?", id="question-mark-kept"),
        pytest.param(
            '"Global Publishing Back on the Front Foot".',
            "Global Publishing Back on the Front Foot",
        ),
        pytest.param("Personal communication.", "", id="status-is-no-title"),
        pytest.param("A {DNA} study of \\emph{E. coli}", "A DNA study of E. coli", id="latex"),
    ],
)
def test_clean_title(text: str, expected: str) -> None:
    assert cleaners.clean_title(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("Washington (DC):", "Washington (DC)", id="balanced-bracket"),
        pytest.param("(Springer).", "Springer", id="wrapping-brackets"),
        pytest.param("New York, NY:", "New York, NY", id="trailing-colon"),
        pytest.param("<i>Springer</i>,", "Springer", id="markup"),
    ],
)
def test_clean_plain(text: str, expected: str) -> None:
    assert cleaners.clean_plain(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("In: Handbook of sleep.", "Handbook of sleep", id="in-prefix"),
        pytest.param("Sleep Med X.", "Sleep Med X", id="abbreviation-stop"),
        pytest.param("Foreign Affairs, January/February", "Foreign Affairs", id="months"),
        pytest.param("Psychological Review, LXV", "Psychological Review", id="roman-volume"),
        pytest.param("Expert Rev Hematol. 2010/06/01", "Expert Rev Hematol", id="date"),
        pytest.param("Physics, Chemistry", "Physics, Chemistry", id="words-kept"),
        pytest.param(
            "Special Issue, Culture Theory and Critique",
            "Culture Theory and Critique",
            id="special-issue-before",
        ),
        pytest.param(
            "J Applied Logic, Special Issue: Belief Change",
            "J Applied Logic",
            id="special-issue-after",
        ),
        pytest.param("Le Moyen Âge, 2e série", "Le Moyen Âge", id="french-series"),
        pytest.param("I. Acta mathematica", "Acta mathematica", id="part-numeral-before"),
        pytest.param("IV International Congress", "IV International Congress", id="numeral-kept"),
        pytest.param("Southern Communication Journal, Winter", "Southern Communication Journal"),
        pytest.param(
            "Journal of Geophysical Research (in press)", "Journal of Geophysical Research"
        ),
        pytest.param("Doklady Akademii Nauk (in Russian)", "Doklady Akademii Nauk"),
        pytest.param("Elements of Grammar., 73-137", "Elements of Grammar", id="page-range"),
        pytest.param(
            "Proc. Distributed Algorithms, Lecture Notes in Computer Science 392",
            "Proc. Distributed Algorithms",
            id="series-after",
        ),
        pytest.param("Harvard Business Review, XLIII (January-February", "Harvard Business Review"),
        pytest.param("Rangifer Special Issue", "Rangifer", id="special-issue-unpunctuated"),
        pytest.param("Annales de Bretagne, Tome", "Annales de Bretagne", id="tome"),
        pytest.param("Handbook of Aging (Seventh Edition", "Handbook of Aging", id="edition"),
        pytest.param("Bioinformatics (2. Aufl", "Bioinformatics", id="auflage"),
        pytest.param("IEEE Micro, pages", "IEEE Micro", id="pages-word"),
        pytest.param("Tesla Blog, N.p", "Tesla Blog", id="no-place"),
        pytest.param("under review", "", id="status-is-no-journal"),
        pytest.param("In press.", "", id="in-press-is-no-journal"),
        pytest.param("Journal of Special Education", "Journal of Special Education"),
        pytest.param("Fall Creek Review", "Fall Creek Review", id="season-word-inside-kept"),
        pytest.param("Bookseller, 20 June", "Bookseller", id="day-and-month"),
        pytest.param("2013, Alte und neue Gesundheitsberufe", "Alte und neue Gesundheitsberufe"),
        pytest.param(
            "Journal of Experimental Psychology, X L I", "Journal of Experimental Psychology"
        ),
        pytest.param("Costanzo (a cura di), Tanino de Santis", "Tanino de Santis", id="a-cura-di"),
        pytest.param("Preprint,", "", id="preprint-is-no-journal"),
        pytest.param("NASA, Tech. Rep.,", "", id="report-series-is-no-journal"),
        pytest.param("Journal of Technical Reports", "Journal of Technical Reports"),
        pytest.param("<italic>Planta</italic>", "Planta", id="html-markup"),
        pytest.param(
            r"\emph{Naval Research Logistics Quarterly},", "Naval Research Logistics Quarterly"
        ),
        pytest.param(
            "Environmental Science &amp; Technology", "Environmental Science & Technology"
        ),
        pytest.param(
            "IEEE Trans. Pattern Anal. Mach. Intell.,",
            "IEEE Trans. Pattern Anal. Mach. Intell.",
            id="abbreviations-keep-last-stop",
        ),
        pytest.param("J. Biol. Chem.", "J. Biol. Chem.", id="abbreviated-journal"),
        pytest.param("Sleep Med X.", "Sleep Med X", id="vancouver-stop-dropped"),
        pytest.param("Proc. of the Royal Society.", "Proc. of the Royal Society", id="long-word"),
    ],
)
def test_clean_container(text: str, expected: str) -> None:
    assert cleaners.clean_container(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("64(4 Suppl):S289-94.", ["64(4", "Suppl):", "S289-94."], id="supplement-page"),
        pytest.param("132:S17-S23", ["132:", "S17-S23"], id="supplement-after-volume"),
        pytest.param("2010, 5:e10554.", ["2010,", "5:", "e10554."], id="e-number-after-volume"),
        pytest.param("2(12):e1261.", ["2(12):", "e1261."], id="e-number-after-issue"),
        pytest.param("59:o622-o624", ["59:", "o622-o624"], id="letter-page-range"),
        pytest.param("at 10:am", ["at", "10:am"], id="letters-without-digit-kept"),
        pytest.param("12,(1),15-20.", ["12,", "(1),", "15-20."], id="comma-glued-issue"),
        pytest.param("1,234 (a),b", ["1,234", "(a),b"], id="thousands-kept"),
    ],
)
def test_tokenize_cuts_glued_numbers(text: str, expected: list[str]) -> None:
    assert tokenize(text) == expected


@pytest.mark.parametrize(
    ("volume_field", "expected"),
    [
        pytest.param("109, S109-S118", {"volume": "109", "page": "S109-S118"}, id="comma-range"),
        pytest.param("12: 100-110,", {"volume": "12", "page": "100-110"}, id="colon-range"),
        pytest.param("7, 3", {"volume": "7"}, id="lone-number-may-be-an-issue"),
        pytest.param("17(12)", {"volume": "17", "issue": "12"}, id="no-pages"),
    ],
)
def test_pages_left_in_the_volume_field(volume_field: str, expected: dict[str, str]) -> None:
    title = "Sleep and magnesium."
    tokens = [*tokenize(title), *tokenize(volume_field)]
    labels = ["title"] * len(tokenize(title)) + ["volume"] * len(tokenize(volume_field))
    item = build_item(f"{title} {volume_field}", tokens, labels)
    assert {k: item[k] for k in ("volume", "issue", "page") if k in item} == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("S ´ wia ˛tek P, Klag J", "Świątek P, Klag J", id="spaced-accents"),
        pytest.param("Kamin´ski M, Nowak J", "Kamiński M, Nowak J", id="glued-accent"),
        pytest.param("Kamin´skiKamin´ski M", "Kamiński M", id="doubled-name"),
        pytest.param("Markovic´ M, Lind A ˚ .", "Marković M, Lind Å.", id="accent-before-space"),
        pytest.param(
            "O´Brien J. Parkinson´s disease", "O´Brien J. Parkinson´s disease", id="apostrophes"
        ),
        pytest.param("Why don´t we? Murmur", "Why don´t we? Murmur", id="contraction"),
        pytest.param("``Title,'' A.\\ Halpern", "“Title,” A. Halpern", id="tex"),
        pytest.param("Plain text, 2001.", "Plain text, 2001.", id="untouched"),
    ],
)
def test_as_printed(text: str, expected: str) -> None:
    assert cleaners.as_printed(text) == expected
