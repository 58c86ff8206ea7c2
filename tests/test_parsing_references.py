"""Whole references in the common styles and languages -> CSL fields (the shipped model)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from refman.model import CslItem, family_name, first_author, issued_year
from refman.parsing import parse_reference, parse_references, split_references

ARTICLE = Path(__file__).parent / "data" / "article_nl.txt"


def _view(item: CslItem) -> dict[str, Any]:
    """The fields a test states, in a comparable shape."""
    name = first_author(item)
    return {
        "family": family_name(name) if name else None,
        "given": name.get("given") if name else None,
        "year": issued_year(item),
        **{
            key: item.get(key)
            for key in (
                "type",
                "title",
                "container-title",
                "volume",
                "issue",
                "page",
                "number",
                "DOI",
                "URL",
                "publisher",
                "publisher-place",
                "arXiv",
                "ISBN",
                "edition",
            )
        },
    }


def _expect(item: CslItem, **expected: Any) -> None:
    view = _view(item)
    assert {key: view[key] for key in expected} == expected


ARTICLE_CASES = [
    pytest.param(
        0,
        {
            "family": "Hausenblas",
            "given": "H. A.",
            "year": 2024,
            "type": "article-journal",
            "container-title": "Sleep Med X",
            "volume": "8",
            "page": "100121",
            "number": "100121",
        },
        id="hausenblas-vancouver-article-number",
    ),
    pytest.param(
        1,
        {
            "family": "Abbasi",
            "year": 2012,
            "container-title": "J Res Med Sci",
            "volume": "17",
            "issue": "12",
            "page": "1161-1169",
        },
        id="abbasi-et-al",
    ),
    pytest.param(
        2,
        {
            "family": "Gröber",
            "given": "U.",
            "title": "Magnesium in preventie en therapie",
            "container-title": "Nutrients",
            "volume": "7",
            "issue": "9",
            "page": "8199-8226",
            "year": 2015,
        },
        id="grober",
    ),
    pytest.param(
        3,
        {
            "type": "webpage",
            "URL": "https://ods.od.nih.gov/factsheets/Magnesium-HealthProfessional/",
            "title": "Magnesium—Fact Sheet for Health Professionals",
        },
        id="nih-webpage",
    ),
]


@pytest.mark.parametrize(("index", "expected"), ARTICLE_CASES)
def test_the_article_references(index: int, expected: dict[str, Any]) -> None:
    item = parse_reference(split_references(ARTICLE.read_text("utf-8"))[index])
    _expect(item, **expected)


def test_article_author_lists() -> None:
    items = parse_references(split_references(ARTICLE.read_text("utf-8")))
    assert [len(item.get("author", [])) for item in items] == [6, 4, 3, 1]
    assert items[1]["author"][-1] == {"literal": "others"}  # "et al." kept
    assert items[3]["author"] == [{"literal": "National Institutes of Health"}]
    assert items[3]["accessed"] == {"date-parts": [[2025]]}
    assert "issued" not in items[3]


STYLE_CASES = [
    pytest.param(
        "Romero, C., Paunesku, D., & Dweck, C. (2011). Brainology in the classroom: An online "
        "growth mindset intervention. Journal of Educational Psychology, 103(2), 496-7. "
        "https://doi.org/10.1037/a0012345",
        {
            "family": "Romero",
            "year": 2011,
            "type": "article-journal",
            "container-title": "Journal of Educational Psychology",
            "volume": "103",
            "issue": "2",
            "page": "496-497",
            "DOI": "10.1037/a0012345",
            "URL": None,
        },
        id="apa-doi-url-page-expansion",
    ),
    pytest.param(
        '[13] S. E. Han and G. Chen, "Toward the Lambertian limit of light trapping in thin '
        'nanostructured silicon solar cells," Nano Lett., vol. 10, no. 11, pp. 4692-4696, 2010, '
        "doi: 10.1021/nl1029804.",
        {
            "family": "Han",
            "given": "S. E.",
            "year": 2010,
            "container-title": "Nano Lett",
            "volume": "10",
            "issue": "11",
            "page": "4692-4696",
            "DOI": "10.1021/nl1029804",
        },
        id="ieee",
    ),
    pytest.param(
        "Smith, J. and Jones, K. (2015) Sleep and memory. Journal of Sleep Research, 24(3), "
        "pp. 251-258. DOI 10.1111/jsr.12345",
        {
            "family": "Smith",
            "year": 2015,
            "container-title": "Journal of Sleep Research",
            "volume": "24",
            "issue": "3",
            "page": "251-258",
            "DOI": "10.1111/jsr.12345",
        },
        id="harvard",
    ),
    pytest.param(
        "de Vries, P., van der Berg, A. (2019). Slaap bij ouderen. Tijdschrift voor "
        "Gerontologie, 50(4), 120-128.",
        {
            "family": "Vries",
            "year": 2019,
            "container-title": "Tijdschrift voor Gerontologie",
            "volume": "50",
            "issue": "4",
            "page": "120-128",
        },
        id="dutch-particles",
    ),
    pytest.param(
        "Müller, K.; Schmidt, H. (2018): Schlafqualität im Alter. In: Meier, H.; Schulz, P. "
        "(Hrsg.): Handbuch der Schlafmedizin. Berlin: Springer, S. 45-67.",
        {
            "family": "Müller",
            "year": 2018,
            "type": "chapter",
            "page": "45-67",
            "publisher": "Springer",
            "publisher-place": "Berlin",
        },
        id="german-chapter-hrsg",
    ),
    pytest.param(
        "Walker, M. (2017). Why we sleep: Unlocking the power of sleep and dreams. New York, "
        "NY: Scribner.",
        {"family": "Walker", "year": 2017, "type": "book", "publisher": "Scribner"},
        id="apa-book",
    ),
    pytest.param(
        "Jansen, P. (2012). Slaap en cognitie bij ouderen (Proefschrift). Universiteit "
        "Utrecht, Utrecht.",
        {"family": "Jansen", "year": 2012, "type": "thesis"},
        id="dutch-thesis",
    ),
    pytest.param(
        "Brown, A. (2015). Sleep in adolescents (Doctoral dissertation). University of Toronto.",
        {"family": "Brown", "year": 2015, "type": "thesis"},
        id="dissertation",
    ),
    pytest.param(
        "World Health Organization. (2020). Sleep health report (Technical Report No. 42). "
        "Geneva: WHO.",
        {"year": 2020, "type": "report"},
        id="report",
    ),
    pytest.param(
        "Vaswani, A., Shazeer, N., Parmar, N., et al. (2017). Attention is all you need. "
        "arXiv:1706.03762.",
        {"family": "Vaswani", "year": 2017, "type": "article", "arXiv": "1706.03762"},
        id="arxiv-preprint",
    ),
    pytest.param(
        "Lee, K., & Park, S. (2019). Deep sleep staging. In Proceedings of the IEEE "
        "Conference on Computer Vision and Pattern Recognition (pp. 1234-1242).",
        {"family": "Lee", "year": 2019, "type": "paper-conference", "page": "1234-1242"},
        id="conference-paper",
    ),
    pytest.param(
        "Smith, J. (2021). Sleep diary measurements [Data set]. Zenodo. "
        "https://doi.org/10.5281/zenodo.1234567",
        {"family": "Smith", "year": 2021, "type": "dataset", "DOI": "10.5281/zenodo.1234567"},
        id="dataset",
    ),
    pytest.param(
        "Dupont, J. (2020). Le sommeil. Paris: Gallimard. ISBN 978-0-306-40615-7.",
        {"family": "Dupont", "year": 2020, "type": "book", "ISBN": "9780306406157"},
        id="french-book-isbn",
    ),
    pytest.param(
        "Voedingscentrum. Magnesium. https://www.voedingscentrum.nl/encyclopedie/magnesium.aspx. "
        "Geraadpleegd in 2025.",
        {
            "type": "webpage",
            "title": "Magnesium",
            "URL": "https://www.voedingscentrum.nl/encyclopedie/magnesium.aspx",
        },
        id="one-word-web-page-title",
    ),
    pytest.param(
        "Müller, K. (2020): Einführung in die Statistik. 3. Aufl. Berlin: Springer.",
        {"type": "book", "title": "Einführung in die Statistik", "edition": "3"},
        id="german-edition-after-title",
    ),
    pytest.param(
        "Schmidt, H.-J. (Hrsg.) (2015): Handbuch der Schlafmedizin. Stuttgart: Thieme.",
        {"type": "book", "title": "Handbuch der Schlafmedizin", "publisher": "Thieme"},
        id="edited-book-is-no-chapter",
    ),
    pytest.param(
        "Müller, K. (2020): Einführung in die Statistik. 3. Aufl. Berlin: Springer. "
        "Abgerufen am 12. März 2024 von https://example.org/statistik",
        {"type": "book", "publisher-place": "Berlin", "URL": "https://example.org/statistik"},
        id="book-read-online-is-no-web-page",
    ),
    pytest.param(
        "Kuntz ID, Chen K (1999) The maximal affinity of ligands. "
        "Proc Natl Acad Sci USA 96:9997-10002",
        {"type": "article-journal", "container-title": "Proc Natl Acad Sci USA", "volume": "96"},
        id="proceedings-of-an-academy-is-a-journal",
    ),
    pytest.param(
        "Lee K, Ode M (1996) Drying of apples. J Food Proc Preserv 20:105-119",
        {"type": "article-journal", "volume": "20", "page": "105-119"},
        id="proc-as-processing",
    ),
    pytest.param(
        "A. Kim and B. Ode, “Fast planners,” in Proc. IEEE Int. Conf. Robotics and Automation, "
        "Anchorage, AK, USA, 2010, pp. 1–8.",
        {"type": "paper-conference", "page": "1-8"},
        id="conference-in-proc",
    ),
]


@pytest.mark.parametrize(("text", "expected"), STYLE_CASES)
def test_reference_styles(text: str, expected: dict[str, Any]) -> None:
    _expect(parse_reference(text), **expected)


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        pytest.param("Accessed 12 May 2016.", [2016, 5, 12], id="en"),
        pytest.param("Geraadpleegd op 3 maart 2024.", [2024, 3, 3], id="nl"),
        pytest.param("Abgerufen am 3.4.2021.", [2021, 4, 3], id="de"),
        pytest.param("Consulté le 5 mai 2020.", [2020, 5, 5], id="fr"),
        pytest.param("Consultado el 5 de mayo de 2020.", [2020, 5, 5], id="es"),
    ],
)
def test_web_pages_with_access_dates(phrase: str, expected: list[int]) -> None:
    item = parse_reference(
        f"Sleep Foundation. How much sleep do we need? https://www.sleepfoundation.org/how-sleep. "
        f"{phrase}"
    )
    assert item["type"] == "webpage"
    assert item["URL"] == "https://www.sleepfoundation.org/how-sleep"
    assert item["accessed"] == {"date-parts": [expected]}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "Benda RK, Yasuda G, Sethi A, et al: Breast boost: are we missing the target? "
            "Cancer 2003, 97:905-909.",
            {"container-title": "Cancer", "year": 2003, "volume": "97", "page": "905-909"},
            id="bmc-one-word-journal",
        ),
        pytest.param(
            "Tang W, Lum L: A genome-wide RNAi screen for TCF transcription factors in cancer. "
            "Proc Natl Acad Sci USA 2008, 105:9697-9702.",
            {"container-title": "Proc Natl Acad Sci USA", "year": 2008, "volume": "105"},
            id="bmc-year-after-journal",
        ),
        pytest.param(
            "Napier I, Ponka P, Richardson DR (2005) Iron trafficking in the mitochondrion: "
            "novel pathways revealed by disease.Blood 105:1867-1874",
            {
                "title": "Iron trafficking in the mitochondrion: novel pathways revealed by "
                "disease",
                "container-title": "Blood",
                "volume": "105",
                "page": "1867-1874",
            },
            id="pdf-missing-space",
        ),
        pytest.param(
            "Kilkenny C, Browne WJ, Cuthill IC, Emerson M, Altman DG: Improving bioscience "
            "research reporting: the ARRIVE guidelines for reporting animal research. "
            "PLoS Biol 2010, 8:e1000412.",
            {"container-title": "PLoS Biol", "volume": "8", "page": "e1000412"},
            id="e-number-glued-to-volume",
        ),
        pytest.param(
            "Holick MF (2004) Sunlight and vitamin D for bone health and prevention of "
            "autoimmune diseases, cancers, and cardiovascular disease. "
            "Am J Clin Nutr 80:S1678-S1688",
            {"container-title": "Am J Clin Nutr", "volume": "80", "page": "S1678-S1688"},
            id="supplement-pages-glued-to-volume",
        ),
    ],
)
def test_pdf_extracted_journal_references(text: str, expected: dict[str, Any]) -> None:
    _expect(parse_reference(text), **expected)


def test_identifier_never_leaks_into_title() -> None:
    item = parse_reference("Smith J. Sleep. Nature. 2001;1:2-3. doi:10.1038/35057062")
    assert item["DOI"] == "10.1038/35057062"
    assert "10.1038" not in item.get("title", "")
    assert "10.1038" not in item.get("container-title", "")


def test_pdf_wrapped_reference_parses_like_the_joined_one() -> None:
    wrapped = (
        "Ajani JA, Rodriguez W, Bodoky G, Moiseyenko CM, Lichinitser \nM, Gorbunova V, et al. "
        "Multicenter phase III comparison of \ncisplatin/S-1 with cisplatin/infusional "
        "fluorouracil in advanced \ngastric adenocarcinoma. J Clin Oncol. 2010;28:1547-53."
    )
    _expect(
        parse_reference(wrapped),
        family="Ajani",
        year=2010,
        volume="28",
        page="1547-1553",
    )
    assert len(parse_reference(wrapped)["author"]) == 7  # six names and "et al."


ET_AL_CASES = [
    pytest.param(
        "Smith J, Jones K, et al. Sleep and magnesium. Nutrients. 2015;7(9):8199-8226.",
        ["Smith", "Jones", None],
        id="vancouver-et-al",
    ),
    pytest.param(
        "Smith, J., Jones, K., et al (2015). Sleep and magnesium. Nutrients, 7(9), 8199-8226.",
        ["Smith", "Jones", None],
        id="apa-et-al-without-stop",
    ),
    pytest.param(
        "Müller, K. u. a.: Schlaf und Magnesium. In: Nutrients 7 (2015), S. 8199-8226.",
        ["Müller", None],
        id="german-u-a",
    ),
    pytest.param(
        "Jansen P, e.a. Slaap en magnesium. Nutrients. 2015;7(9):8199-8226.",
        ["Jansen", None],
        id="dutch-e-a",
    ),
    pytest.param(
        "Smith J, Jones K. Sleep and magnesium. Nutrients. 2015;7(9):8199-8226.",
        ["Smith", "Jones"],
        id="complete-list-gets-no-others",
    ),
]


@pytest.mark.parametrize(("text", "families"), ET_AL_CASES)
def test_et_al_is_kept_and_round_trips_through_bibtex(text: str, families: list[str]) -> None:
    """An incomplete author list ends in ``{"literal": "others"}`` (pandoc's reading of
    BibTeX ``and others``, rendered "et al." by citeproc), and survives refman's BibTeX."""
    from refman.bibtex import csl_to_bibtex, loads

    authors = parse_reference(text)["author"]
    assert [name.get("family") for name in authors] == families
    if families[-1] is None:
        assert authors[-1] == {"literal": "others"}
    (entry,) = loads(csl_to_bibtex({**parse_reference(text), "id": "key"}, "key"))
    assert entry["author"] == authors


def test_markup_never_reaches_the_fields() -> None:
    """Pasted HTML or LaTeX markup is taken off every text field."""
    item = parse_reference(
        "McGinnis, R.L.; Hancock, N.T., 2013. Pilot demonstration of forward osmosis "
        "desalination on high salinity brines. <italic>Desalination,</italic> 312: 67."
    )
    _expect(item, family="McGinnis", year=2013, volume="312", page="67")
    assert item["container-title"] == "Desalination"
    assert not any("<" in str(value) for value in item.values())


@pytest.mark.parametrize("enabled", [True, False], ids=["gc-on", "gc-off"])
def test_batch_parsing_leaves_the_garbage_collector_as_it_was(enabled: bool) -> None:
    """The collector waits while a batch is parsed (speed), and is as the caller had it
    afterwards."""
    import gc

    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        items = parse_references(["Smith J. A title. Nature. 2000;1:2-3."] * 3)
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()
    assert [item["container-title"] for item in items] == ["Nature"] * 3
