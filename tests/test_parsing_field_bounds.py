"""Label repairs that move where a title, journal or book starts and ends (pure functions
over tokens and labels).

Each case is a reference written for these tests, split on spaces, with one label code
per word as the CRF might give them, and the codes the repairs should leave.
"""

from __future__ import annotations

import pytest

from refman.parsing import parse_reference, values
from refman.parsing.repairs import repair_labels

CODES = {
    "a": "author",
    "c": "container",
    "d": "date",
    "e": "editor",
    "E": "edition",
    "g": "genre",
    "j": "journal",
    "l": "location",
    "n": "note",
    "p": "pages",
    "P": "publisher",
    "t": "title",
    "s": "collection-title",
    "v": "volume",
}


def _repaired(text: str, codes: str) -> str:
    """The label codes ``repair_labels`` leaves for ``text`` labelled ``codes``."""
    tokens = text.split()
    if len(tokens) != len(codes):
        raise ValueError(f"{len(tokens)} words but {len(codes)} labels in {text!r}")
    back = {label: code for code, label in CODES.items()}
    return "".join(back[label] for label in repair_labels(tokens, [CODES[c] for c in codes]))


@pytest.mark.parametrize(
    ("text", "labels", "expected"),
    [
        pytest.param(
            "Braun, H.: Die Stadt im Wandel. In: Raum und Zeit. 4. Jg. (2003), Heft 2",
            "aattttttttvvdjv",
            "aattttccccvvdnv",  # "Heft" alone names no journal: a note
            id="in-colon-starts-container-with-journal-later",
        ),
        pytest.param(
            "Hart, Lee and Mo Kim. 2010. Committee Votes, 101st to 110th Sessions.",
            "aaaaadttEEEE",
            "aaaaadtttttt",
            id="ordinal-without-edition-word-is-title",
        ),
        pytest.param(
            "Hart, L. 2010. Committee Votes. 2nd ed. Boston.",
            "aadttEEl",
            "aadttEEl",
            id="edition-word-keeps-edition",
        ),
        pytest.param(
            "Biden, J. (2021, May 12). Executive Order 14028. Retrieved May 1, 2022, from",
            "aadddnnnnnnnn",
            "aadddtttnnnnn",
            id="untitled-note-after-date-is-title",
        ),
        pytest.param(
            "Kerr, J. and A. Kerr. 2001. Ferns of Ohio. Columbus.",
            "aaaaadPPPP",
            "aaaaadtttP",
            id="untitled-publisher-after-date-is-title",
        ),
        pytest.param(
            "Hale, Ruth, Tom Ng, Ann Pratt, and",
            "aaaaPPl",
            "aaaaPPl",
            id="name-of-cut-off-list-is-not-title",
        ),
        pytest.param(
            "Safe water. (2001, May). City Life Magazine, 12(3), p. 4",
            "aaddjjjvpp",
            "ttddjjjvpp",
            id="apa-title-in-authors-place",
        ),
        pytest.param(
            "World Bank. (2001, May). Finance Quarterly, 3(2), 1-9.",
            "aaddjjvp",
            "aaddjjvp",
            id="organisation-author-stays",
        ),
        pytest.param(
            "2015. Genetic risk of severe arthritis. BMJ. 350,",
            "djjjjjjv",
            "dtttttjv",
            id="title-sentence-in-journal-without-title",
        ),
        pytest.param(
            "2008, J. Phys. Chem. C 112,",
            "djjjjv",
            "djjjjv",
            id="abbreviated-journal-is-no-title",
        ),
        pytest.param(
            "Prices. Policy Studies Series, Paris.",
            "tjjjl",
            "tsssl",
            id="series-is-no-journal",
        ),
        pytest.param(
            "“Place.” In Smith and Jones, 15–51.",
            "tccccp",
            "teeeep",
            id="chicago-short-cite-names-editors",
        ),
        pytest.param(
            "Nowak, J. (2011) Zarys gramatyki. Wydawnictwo Nauka, Kraków",
            "aadttjjj",
            "aadttPPl",
            id="imprint-at-end-is-no-journal",
        ),
        pytest.param(
            "Fire. Daily Mail, London, 12 May 2003",
            "tjjjddd",
            "tjjjddd",
            id="newspaper-before-date-stays-journal",
        ),
    ],
)
def test_field_bound_repairs(text: str, labels: str, expected: str) -> None:
    assert _repaired(text, labels) == expected


@pytest.mark.parametrize(
    ("text", "found"),
    [
        pytest.param("Moyo, T. Rains. Sunday Standard, July 2, 2008.", False, id="standard"),
        pytest.param("Lowe, A. Memory revisited. Brain 12, 2004.", False, id="revisited"),
        pytest.param("Ng, P. Peer reviewed 2019 essays. Cell 3.", False, id="reviewed"),
        pytest.param("Stand: 3.4.2021", True, id="german-stand"),
        pytest.param("Accessed 12 May 2016.", True, id="accessed"),
    ],
)
def test_access_phrase_is_a_whole_word(text: str, found: bool) -> None:
    assert (values.find_access_date(text) is not None) is found


@pytest.mark.parametrize(
    ("text", "field", "expected"),
    [
        pytest.param(
            "D. Knuth, Editor, ``Literate Programming Notes,'' Internal Memo, Stanford"
            " University (May 1984).",
            "title",
            "Literate Programming Notes",
            id="tex-quotes-end-the-title",
        ),
        pytest.param(
            "R. Keller, ``Lexical tone in Bantu languages,'' in Studies in African Phonology,"
            " M.\\ Adeyemi and K.\\ Osei (eds.). Accra: Legon Press, 1998.",
            "editor",
            [{"family": "Adeyemi", "given": "M."}, {"family": "Osei", "given": "K."}],
            id="tex-control-space-between-initial-and-name",
        ),
    ],
)
def test_tex_marks_read_as_printed(text: str, field: str, expected: object) -> None:
    assert parse_reference(text)[field] == expected
