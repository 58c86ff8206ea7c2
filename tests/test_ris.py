"""RIS export and import: the CSL <-> RIS table, checked through rispy."""

from __future__ import annotations

import pytest
import rispy

from refman import ris
from refman.model import ET_AL, CslItem
from tests.test_render import by_id, load_references


def test_article_as_ris() -> None:
    assert ris.dumps(by_id("grober2015")) == (
        "TY  - JOUR\n"
        "ID  - grober2015\n"
        "AU  - Gröber, U.\n"
        "AU  - Schmidt, J.\n"
        "AU  - Kisters, K.\n"
        "TI  - Magnesium in Prevention and Therapy\n"
        "T2  - Nutrients\n"
        "VL  - 7\n"
        "IS  - 9\n"
        "DO  - 10.3390/nu7095388\n"
        "SP  - 8199\n"
        "EP  - 8226\n"
        "PY  - 2015\n"
        "ER  - \n"
    )


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        pytest.param(
            "nih2025",
            {
                "type_of_reference": "ELEC",
                "authors": ["National Institutes of Health"],
                "urls": ["https://ods.od.nih.gov/factsheets/Magnesium-HealthProfessional/"],
                "access_date": "2025",
            },
            id="web-page-organisation-access-date",
        ),
        pytest.param(
            "mccrae2008",
            {
                "type_of_reference": "CHAP",
                "secondary_authors": [
                    "John, Oliver P.",
                    "Robins, Richard W.",
                    "Pervin, Lawrence A.",
                ],
                "secondary_title": "Handbook of personality: Theory and research",
                "edition": "3",
                "place_published": "New York",
            },
            id="chapter-editors",
        ),
        pytest.param(
            "knuth1997",
            {"type_of_reference": "BOOK", "publisher": "Addison-Wesley", "volume": "1"},
            id="book",
        ),
        pytest.param(
            "garcia2021",
            {"authors": ["García Márquez, José", "Ødegård, Åse", "van der Meer, Jan"]},
            id="non-ascii-and-particle",
        ),
    ],
)
def test_rispy_reads_what_refman_writes(key: str, expected: dict[str, object]) -> None:
    [record] = rispy.loads(ris.dumps(by_id(key)))
    for field, value in expected.items():
        assert record[field] == value


def test_every_reference_round_trips_its_ris_fields() -> None:
    items = load_references()
    loaded = ris.loads(ris.dumps(items))
    assert [item["id"] for item in loaded] == [item["id"] for item in items]
    for original, back in zip(items, loaded, strict=True):
        for field in ("type", "title", "author", "editor", "issued", "accessed", "page", "DOI"):
            assert back.get(field) == original.get(field), (original["id"], field)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "TY  - EJOUR\nAU  - Doe, J\nTI  - T\nJO  - J Foo\nPY  - 2001///\nSN  - 1234-5678\n"
            "ER  - \n",
            {
                "type": "article-journal",
                "author": [{"family": "Doe", "given": "J"}],
                "title": "T",
                "container-title": "J Foo",
                "issued": {"date-parts": [[2001]]},
                "ISSN": "1234-5678",
            },
            id="other-programs-forms",
        ),
        pytest.param(
            "TY  - BOOK\nA1  - Roe, R\nT1  - B\nSN  - 9780201896831\nY1  - 1997\nER  - \n",
            {
                "type": "book",
                "author": [{"family": "Roe", "given": "R"}],
                "title": "B",
                "ISBN": "9780201896831",
                "issued": {"date-parts": [[1997]]},
            },
            id="first-authors-and-isbn",
        ),
        pytest.param(
            "TY  - XYZ\nTI  - Odd\nER  - \n",
            {"type": "document", "title": "Odd"},
            id="unknown-type",
        ),
    ],
)
def test_loads_other_programs_ris(text: str, expected: CslItem) -> None:
    assert ris.loads(text) == [expected]


def test_et_al_is_left_out_of_ris() -> None:
    item: CslItem = {
        "type": "article-journal",
        "author": [{"family": "Smith", "given": "J."}, ET_AL],
    }
    assert ris.to_ris(item)["authors"] == ["Smith, J."]
