"""Styled output equals citeproc-js's (Zotero's engine) for real and constructed references.

The expectations were derived from each style's CSL rules as citeproc-js applies
them and checked against pandoc's output entry by entry. Where pandoc 3.9 differs
from citeproc-js, refman works around it and these tables hold the citeproc-js form:

- NLM/Vancouver and AMA chapter editors: ``In: John OP, Robins RW, Pervin LA, editors.``
  (pandoc alone: ``In, editorsJohn OP, ...``);
- title case keeps citeproc-js's whole stop-word list lowercase (Chicago and MLA:
  ``Escherichia Coli under Elevated CO2``; pandoc alone: ``Under``).

Also covered: year suffixes (Walker 2019a/2019b, assigned in bibliography order
after sorting by title), et-al rules per style (Chen et al.: 8 authors), punctuation
inside quotes (IEEE, Chicago, Harvard, MLA), second-field alignment (``[1] ``,
``1. ``), page-range formats (expanded, minimal, chicago-16, minimal-two), particles
(``van der Meer``), non-ASCII names, an organisation author, a web page with an
access date, a book and a chapter.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from refman import render
from refman.errors import ExternalToolError
from refman.model import CslItem
from refman.services.export import format_bibliography, format_citation
from refman.styles import resolve_style

DATA = Path(__file__).resolve().parent / "data" / "export-references.json"


def load_references() -> list[CslItem]:
    """The article's four references and a dozen others (tests/data/export-references.json)."""
    items: list[CslItem] = json.loads(DATA.read_text("utf-8"))
    return items


def by_id(*keys: str) -> list[CslItem]:
    """The references with these ids, in this order."""
    items = {item["id"]: item for item in load_references()}
    return [items[key] for key in keys]


EXPECTED: dict[str, list[str]] = {
    "apa": [
        (
            "Abbasi, B., Kimiagar, M., & Sadeghniiat, K. (2012). The effect of magnesium "
            "supplementation on primary insomnia in elderly: A double-blind "
            "placebo-controlled clinical trial. Journal of Research in Medical Sciences, "
            "17(12), 1161–1169."
        ),
        (
            "Brown, E. (2017). Magnesium uptake in Escherichia coli under elevated CO2. "
            "Journal of Bacteriology, 199(7), e00712."
        ),
        (
            "Chen, L., Okafor, C., Smith, M., Tanaka, H., Novak, P., Silva, A., Berg, L., & "
            "Rossi, M. (2020). Trace minerals and cognitive ageing: A pooled analysis. "
            "Nutrition Reviews, 78(3), 201–215."
        ),
        (
            "García Márquez, J., Ødegård, Å., & van der Meer, J. (2021). Serum magnesium in "
            "Nordic and Iberian cohorts. European Journal of Nutrition, 60(4), 2011–2023."
        ),
        (
            "Gröber, U., Schmidt, J., & Kisters, K. (2015). Magnesium in Prevention and "
            "Therapy. Nutrients, 7(9), 8199–8226. https://doi.org/10.3390/nu7095388"
        ),
        (
            "Hausenblas, H. A., Lynch, T., Hooper, S., Shrestha, A., Rosendale, D., & Gu, J. "
            "(2024). Magnesium-L-threonate improves sleep quality and daytime functioning in "
            "adults with self-reported sleep problems: A randomized controlled trial. Sleep "
            "Medicine: X, 8, 100121. https://doi.org/10.1016/j.sleepx.2024.100121"
        ),
        (
            "Knuth, D. E. (1997). The art of computer programming: Fundamental algorithms "
            "(3rd ed., Vol. 1). Addison-Wesley."
        ),
        (
            "Lee, S.-J., & Park, M. (2018). Wearable sensing of sleep stages. Proceedings of "
            "the IEEE Engineering in Medicine and Biology Conference, 112–115."
        ),
        (
            "McCrae, R. R., & Costa, P. T. (2008). The five-factor theory of personality. In "
            "O. P. John, R. W. Robins, & L. A. Pervin (Eds.), Handbook of personality: Theory "
            "and research (3rd ed., pp. 159–181). Guilford Press."
        ),
        (
            "National Institutes of Health. (n.d.). Magnesium—Fact Sheet for Health "
            "Professionals. Retrieved 2025, from "
            "https://ods.od.nih.gov/factsheets/Magnesium-HealthProfessional/"
        ),
        (
            "Walker, A. (2019a). Dietary magnesium and sleep duration. Journal of Sleep "
            "Research, 28(5), e12801."
        ),
        (
            "Walker, A. (2019b). Sleep and memory consolidation in older adults. Journal of "
            "Sleep Research, 28(2), e12745."
        ),
        (
            "World Health Organization. (2021). Guideline on nutrient intake in older adults. "
            "World Health Organization."
        ),
    ],
    "vancouver": [
        (
            "1. Hausenblas HA, Lynch T, Hooper S, Shrestha A, Rosendale D, Gu J. "
            "Magnesium-L-threonate improves sleep quality and daytime functioning in adults "
            "with self-reported sleep problems: A randomized controlled trial. Sleep Med X. "
            "2024;8:100121. doi:10.1016/j.sleepx.2024.100121"
        ),
        (
            "2. Abbasi B, Kimiagar M, Sadeghniiat K. The effect of magnesium supplementation "
            "on primary insomnia in elderly: A double-blind placebo-controlled clinical "
            "trial. J Res Med Sci. 2012;17(12):1161–9."
        ),
        (
            "3. Gröber U, Schmidt J, Kisters K. Magnesium in Prevention and Therapy. "
            "Nutrients. 2015;7(9):8199–226. doi:10.3390/nu7095388"
        ),
        (
            "4. National Institutes of Health. Magnesium—Fact Sheet for Health Professionals "
            "[Internet]. [cited 2025]. Available from: "
            "https://ods.od.nih.gov/factsheets/Magnesium-HealthProfessional/"
        ),
        (
            "5. Knuth DE. The art of computer programming: Fundamental algorithms. 3rd ed. "
            "Vol. 1. Reading, MA: Addison-Wesley; 1997."
        ),
        (
            "6. McCrae RR, Costa PT. The five-factor theory of personality. In: John OP, "
            "Robins RW, Pervin LA, editors. Handbook of personality: Theory and research. 3rd "
            "ed. New York: Guilford Press; 2008. p. 159–81."
        ),
        (
            "7. Walker A. Sleep and memory consolidation in older adults. Journal of Sleep "
            "Research. 2019 Mar;28(2):e12745."
        ),
        (
            "8. Walker A. Dietary magnesium and sleep duration. Journal of Sleep Research. "
            "2019 Oct;28(5):e12801."
        ),
        (
            "9. García Márquez J, Ødegård Å, van der Meer J. Serum magnesium in Nordic and "
            "Iberian cohorts. European Journal of Nutrition. 2021;60(4):2011–23."
        ),
        (
            "10. World Health Organization. Guideline on nutrient intake in older adults. "
            "Geneva: World Health Organization; 2021."
        ),
        (
            "11. Chen L, Okafor C, Smith M, Tanaka H, Novak P, Silva A, et al. Trace minerals "
            "and cognitive ageing: A pooled analysis. Nutrition Reviews. 2020;78(3):201–15."
        ),
        (
            "12. Lee SJ, Park M. Wearable sensing of sleep stages. In: Proceedings of the "
            "IEEE Engineering in Medicine and Biology Conference. Honolulu, HI: IEEE; 2018. "
            "p. 112–5."
        ),
        (
            "13. Brown E. Magnesium uptake in Escherichia coli under elevated CO2. Journal of "
            "Bacteriology. 2017;199(7):e00712."
        ),
    ],
    "chicago": [
        (
            "Abbasi, B., M. Kimiagar, and K. Sadeghniiat. 2012. “The Effect of Magnesium "
            "Supplementation on Primary Insomnia in Elderly: A Double-Blind "
            "Placebo-Controlled Clinical Trial.” Journal of Research in Medical Sciences 17 "
            "(12): 1161–69."
        ),
        (
            "Brown, Emily. 2017. “Magnesium Uptake in Escherichia Coli under Elevated CO2.” "
            "Journal of Bacteriology 199 (7): e00712."
        ),
        (
            "Chen, Li, Chidi Okafor, Mary Smith, et al. 2020. “Trace Minerals and Cognitive "
            "Ageing: A Pooled Analysis.” Nutrition Reviews 78 (3): 201–15."
        ),
        (
            "García Márquez, José, Åse Ødegård, and Jan van der Meer. 2021. “Serum Magnesium "
            "in Nordic and Iberian Cohorts.” European Journal of Nutrition 60 (4): 2011–23."
        ),
        (
            "Gröber, U., J. Schmidt, and K. Kisters. 2015. “Magnesium in Prevention and "
            "Therapy.” Nutrients 7 (9): 8199–226. https://doi.org/10.3390/nu7095388."
        ),
        (
            "Hausenblas, H. A., T. Lynch, S. Hooper, A. Shrestha, D. Rosendale, and J. Gu. "
            "2024. “Magnesium-L-Threonate Improves Sleep Quality and Daytime Functioning in "
            "Adults with Self-Reported Sleep Problems: A Randomized Controlled Trial.” Sleep "
            "Medicine: X 8: 100121. https://doi.org/10.1016/j.sleepx.2024.100121."
        ),
        (
            "Knuth, Donald E. 1997. The Art of Computer Programming: Fundamental Algorithms. "
            "3rd ed. Vol. 1. Addison-Wesley."
        ),
        (
            "Lee, Soo-Jin, and Min Park. 2018. “Wearable Sensing of Sleep Stages.” "
            "Proceedings of the IEEE Engineering in Medicine and Biology Conference "
            "(Honolulu, HI), 112–15."
        ),
        (
            "McCrae, Robert R., and Paul T. Costa. 2008. “The Five-Factor Theory of "
            "Personality.” In Handbook of Personality: Theory and Research, 3rd ed., edited "
            "by Oliver P. John, Richard W. Robins, and Lawrence A. Pervin. Guilford Press."
        ),
        (
            "National Institutes of Health. n.d. “Magnesium—Fact Sheet for Health "
            "Professionals.” Accessed 2025. "
            "https://ods.od.nih.gov/factsheets/Magnesium-HealthProfessional/."
        ),
        (
            "Walker, Anna. 2019a. “Dietary Magnesium and Sleep Duration.” Journal of Sleep "
            "Research 28 (5): e12801."
        ),
        (
            "Walker, Anna. 2019b. “Sleep and Memory Consolidation in Older Adults.” Journal "
            "of Sleep Research 28 (2): e12745."
        ),
        (
            "World Health Organization. 2021. Guideline on Nutrient Intake in Older Adults. "
            "World Health Organization."
        ),
    ],
    "ieee": [
        (
            "[1] H. A. Hausenblas, T. Lynch, S. Hooper, A. Shrestha, D. Rosendale, and J. Gu, "
            "“Magnesium-L-threonate improves sleep quality and daytime functioning in adults "
            "with self-reported sleep problems: A randomized controlled trial,” Sleep Med X, "
            "vol. 8, p. 100121, 2024, doi: 10.1016/j.sleepx.2024.100121."
        ),
        (
            "[2] B. Abbasi, M. Kimiagar, and K. Sadeghniiat, “The effect of magnesium "
            "supplementation on primary insomnia in elderly: A double-blind "
            "placebo-controlled clinical trial,” J Res Med Sci, vol. 17, no. 12, pp. "
            "1161–1169, 2012."
        ),
        (
            "[3] U. Gröber, J. Schmidt, and K. Kisters, “Magnesium in Prevention and "
            "Therapy,” Nutrients, vol. 7, no. 9, pp. 8199–8226, 2015, doi: 10.3390/nu7095388."
        ),
        (
            "[4] National Institutes of Health, “Magnesium—Fact Sheet for Health "
            "Professionals.” Accessed: 2025. [Online]. Available: "
            "https://ods.od.nih.gov/factsheets/Magnesium-HealthProfessional/"
        ),
        (
            "[5] D. E. Knuth, The art of computer programming: Fundamental algorithms, 3rd "
            "ed., vol. 1. Reading, MA: Addison-Wesley, 1997."
        ),
        (
            "[6] R. R. McCrae and P. T. Costa, “The five-factor theory of personality,” in "
            "Handbook of personality: Theory and research, 3rd ed., O. P. John, R. W. Robins, "
            "and L. A. Pervin, Eds., New York: Guilford Press, 2008, pp. 159–181."
        ),
        (
            "[7] A. Walker, “Sleep and memory consolidation in older adults,” Journal of "
            "Sleep Research, vol. 28, no. 2, p. e12745, Mar. 2019."
        ),
        (
            "[8] A. Walker, “Dietary magnesium and sleep duration,” Journal of Sleep "
            "Research, vol. 28, no. 5, p. e12801, Oct. 2019."
        ),
        (
            "[9] J. García Márquez, Å. Ødegård, and J. van der Meer, “Serum magnesium in "
            "Nordic and Iberian cohorts,” European Journal of Nutrition, vol. 60, no. 4, pp. "
            "2011–2023, 2021."
        ),
        (
            "[10] World Health Organization, “Guideline on nutrient intake in older adults,” "
            "World Health Organization, Geneva, 2021."
        ),
        (
            "[11] L. Chen et al., “Trace minerals and cognitive ageing: A pooled analysis,” "
            "Nutrition Reviews, vol. 78, no. 3, pp. 201–215, 2020."
        ),
        (
            "[12] S.-J. Lee and M. Park, “Wearable sensing of sleep stages,” in Proceedings "
            "of the IEEE Engineering in Medicine and Biology Conference, Honolulu, HI: IEEE, "
            "2018, pp. 112–115."
        ),
        (
            "[13] E. Brown, “Magnesium uptake in Escherichia coli under elevated CO2,” "
            "Journal of Bacteriology, vol. 199, no. 7, p. e00712, 2017."
        ),
    ],
    "harvard": [
        (
            "Abbasi, B., Kimiagar, M. and Sadeghniiat, K. (2012) “The effect of magnesium "
            "supplementation on primary insomnia in elderly: A double-blind "
            "placebo-controlled clinical trial,” Journal of Research in Medical Sciences, "
            "17(12), pp. 1161–1169."
        ),
        (
            "Brown, E. (2017) “Magnesium uptake in Escherichia coli under elevated CO2,” "
            "Journal of Bacteriology, 199(7), p. e00712."
        ),
        (
            "Chen, L. et al. (2020) “Trace minerals and cognitive ageing: A pooled analysis,” "
            "Nutrition Reviews, 78(3), pp. 201–215."
        ),
        (
            "García Márquez, J., Ødegård, Å. and van der Meer, J. (2021) “Serum magnesium in "
            "Nordic and Iberian cohorts,” European Journal of Nutrition, 60(4), pp. "
            "2011–2023."
        ),
        (
            "Gröber, U., Schmidt, J. and Kisters, K. (2015) “Magnesium in Prevention and "
            "Therapy,” Nutrients, 7(9), pp. 8199–8226. Available at: "
            "https://doi.org/10.3390/nu7095388."
        ),
        (
            "Hausenblas, H.A. et al. (2024) “Magnesium-L-threonate improves sleep quality and "
            "daytime functioning in adults with self-reported sleep problems: A randomized "
            "controlled trial,” Sleep Medicine: X, 8, p. 100121. Available at: "
            "https://doi.org/10.1016/j.sleepx.2024.100121."
        ),
        (
            "Knuth, D.E. (1997) The art of computer programming: Fundamental algorithms. 3rd "
            "ed. Reading, MA: Addison-Wesley."
        ),
        (
            "Lee, S.-J. and Park, M. (2018) “Wearable sensing of sleep stages,” Proceedings "
            "of the IEEE Engineering in Medicine and Biology Conference. Honolulu, HI: IEEE, "
            "pp. 112–115."
        ),
        (
            "McCrae, R.R. and Costa, P.T. (2008) “The five-factor theory of personality,” in "
            "O.P. John, R.W. Robins, and L.A. Pervin (eds.) Handbook of personality: Theory "
            "and research. 3rd ed. New York: Guilford Press, pp. 159–181."
        ),
        (
            "National Institutes of Health (no date) Magnesium—Fact Sheet for Health "
            "Professionals. Available at: "
            "https://ods.od.nih.gov/factsheets/Magnesium-HealthProfessional/ (Accessed: "
            "2025)."
        ),
        (
            "Walker, A. (2019a) “Dietary magnesium and sleep duration,” Journal of Sleep "
            "Research, 28(5), p. e12801."
        ),
        (
            "Walker, A. (2019b) “Sleep and memory consolidation in older adults,” Journal of "
            "Sleep Research, 28(2), p. e12745."
        ),
        (
            "World Health Organization (2021) Guideline on nutrient intake in older adults. "
            "Geneva: World Health Organization."
        ),
    ],
    "nature": [
        (
            "1. Hausenblas, H. A. et al. Magnesium-L-threonate improves sleep quality and "
            "daytime functioning in adults with self-reported sleep problems: A randomized "
            "controlled trial. Sleep Med X 8, 100121 (2024)."
        ),
        (
            "2. Abbasi, B., Kimiagar, M. & Sadeghniiat, K. The effect of magnesium "
            "supplementation on primary insomnia in elderly: A double-blind "
            "placebo-controlled clinical trial. J Res Med Sci 17, 1161–1169 (2012)."
        ),
        (
            "3. Gröber, U., Schmidt, J. & Kisters, K. Magnesium in Prevention and Therapy. "
            "Nutrients 7, 8199–8226 (2015)."
        ),
        (
            "4. National Institutes of Health. Magnesium—Fact Sheet for Health Professionals. "
            "https://ods.od.nih.gov/factsheets/Magnesium-HealthProfessional/."
        ),
        (
            "5. Knuth, D. E. The Art of Computer Programming: Fundamental Algorithms. vol. 1 "
            "(Addison-Wesley, Reading, MA, 1997)."
        ),
        (
            "6. McCrae, R. R. & Costa, P. T. The five-factor theory of personality. in "
            "Handbook of personality: Theory and research (eds John, O. P., Robins, R. W. & "
            "Pervin, L. A.) 159–181 (Guilford Press, New York, 2008)."
        ),
        (
            "7. Walker, A. Sleep and memory consolidation in older adults. Journal of Sleep "
            "Research 28, e12745 (2019)."
        ),
        (
            "8. Walker, A. Dietary magnesium and sleep duration. Journal of Sleep Research "
            "28, e12801 (2019)."
        ),
        (
            "9. García Márquez, J., Ødegård, Å. & van der Meer, J. Serum magnesium in Nordic "
            "and Iberian cohorts. European Journal of Nutrition 60, 2011–2023 (2021)."
        ),
        ("10. World Health Organization. Guideline on Nutrient Intake in Older Adults. (2021)."),
        (
            "11. Chen, L. et al. Trace minerals and cognitive ageing: A pooled analysis. "
            "Nutrition Reviews 78, 201–215 (2020)."
        ),
        (
            "12. Lee, S.-J. & Park, M. Wearable sensing of sleep stages. in Proceedings of "
            "the IEEE Engineering in Medicine and Biology Conference 112–115 (IEEE, Honolulu, "
            "HI, 2018)."
        ),
        (
            "13. Brown, E. Magnesium uptake in Escherichia coli under elevated CO2. Journal "
            "of Bacteriology 199, e00712 (2017)."
        ),
    ],
    "mla": [
        (
            "Abbasi, B., et al. “The Effect of Magnesium Supplementation on Primary Insomnia "
            "in Elderly: A Double-Blind Placebo-Controlled Clinical Trial.” Journal of "
            "Research in Medical Sciences, vol. 17, no. 12, 2012, pp. 1161–69."
        ),
        (
            "Brown, Emily. “Magnesium Uptake in Escherichia Coli under Elevated CO2.” Journal "
            "of Bacteriology, vol. 199, no. 7, 2017, p. e00712."
        ),
        (
            "Chen, Li, et al. “Trace Minerals and Cognitive Ageing: A Pooled Analysis.” "
            "Nutrition Reviews, vol. 78, no. 3, 2020, pp. 201–15."
        ),
        (
            "García Márquez, José, et al. “Serum Magnesium in Nordic and Iberian Cohorts.” "
            "European Journal of Nutrition, vol. 60, no. 4, 2021, pp. 2011–23."
        ),
        (
            "Gröber, U., et al. “Magnesium in Prevention and Therapy.” Nutrients, vol. 7, no. "
            "9, 2015, pp. 8199–226, https://doi.org/10.3390/nu7095388."
        ),
        (
            "Hausenblas, H. A., et al. “Magnesium-L-Threonate Improves Sleep Quality and "
            "Daytime Functioning in Adults with Self-Reported Sleep Problems: A Randomized "
            "Controlled Trial.” Sleep Medicine: X, vol. 8, 2024, p. 100121, "
            "https://doi.org/10.1016/j.sleepx.2024.100121."
        ),
        (
            "Knuth, Donald E. The Art of Computer Programming: Fundamental Algorithms. 3rd "
            "ed., vol. 1, Addison-Wesley, 1997."
        ),
        (
            "Lee, Soo-Jin, and Min Park. “Wearable Sensing of Sleep Stages.” Proceedings of "
            "the IEEE Engineering in Medicine and Biology Conference [Honolulu, HI], 2018, "
            "pp. 112–15."
        ),
        (
            "McCrae, Robert R., and Paul T. Costa. “The Five-Factor Theory of Personality.” "
            "Handbook of Personality: Theory and Research, edited by Oliver P. John et al., "
            "3rd ed., Guilford Press, 2008, pp. 159–81."
        ),
        (
            "National Institutes of Health. Magnesium—Fact Sheet for Health Professionals. "
            "https://ods.od.nih.gov/factsheets/Magnesium-HealthProfessional/. Accessed 2025."
        ),
        (
            "Walker, Anna. “Dietary Magnesium and Sleep Duration.” Journal of Sleep Research, "
            "vol. 28, no. 5, Oct. 2019, p. e12801."
        ),
        (
            "———. “Sleep and Memory Consolidation in Older Adults.” Journal of Sleep "
            "Research, vol. 28, no. 2, Mar. 2019, p. e12745."
        ),
        (
            "World Health Organization. Guideline on Nutrient Intake in Older Adults. World "
            "Health Organization, 2021."
        ),
    ],
}


@pytest.fixture(scope="module")
def rendered() -> dict[str, list[str]]:
    """Each style's bibliography of all references, one pandoc run per style."""
    items = load_references()
    return {style: format_bibliography(items, style).splitlines() for style in EXPECTED}


@pytest.mark.parametrize("style", list(EXPECTED))
def test_bibliography_equals_citeproc_js(rendered: dict[str, list[str]], style: str) -> None:
    assert rendered[style] == EXPECTED[style]


@pytest.mark.parametrize(
    ("style", "keys", "expected"),
    [
        pytest.param("apa", ["grober2015"], "(Gröber et al., 2015)", id="apa-et-al"),
        pytest.param("apa", ["mccrae2008"], "(McCrae & Costa, 2008)", id="apa-two-authors"),
        pytest.param(
            "apa",
            ["hausenblas2024", "grober2015"],
            "(Gröber et al., 2015; Hausenblas et al., 2024)",
            id="apa-sorted",
        ),
        pytest.param(
            "apa", ["walker2019a", "walker2019b"], "(Walker, 2019b, 2019a)", id="apa-year-suffix"
        ),
        pytest.param("chicago", ["grober2015"], "(Gröber et al. 2015)", id="chicago"),
        pytest.param(
            "harvard", ["grober2015"], "(Gröber, Schmidt and Kisters, 2015)", id="harvard-three"
        ),
        pytest.param("mla", ["grober2015"], "(Gröber et al.)", id="mla"),
        pytest.param("vancouver", ["grober2015"], "(1)", id="vancouver"),
        pytest.param(
            "ieee", ["abbasi2012", "grober2015", "nih2025"], "[1], [2], [3]", id="ieee-three"
        ),
        pytest.param("nature", ["grober2015"], "¹", id="nature-superscript"),
        pytest.param(
            "nature", ["abbasi2012", "grober2015", "nih2025"], "¹⁻³", id="nature-collapsed-range"
        ),
        pytest.param(
            "chicago-notes",
            ["grober2015"],
            "U. Gröber et al., “Magnesium in Prevention and Therapy,” Nutrients 7, no. 9 "
            "(2015): 8199–226, https://doi.org/10.3390/nu7095388.",
            id="note-style-is-the-note",
        ),
    ],
)
def test_citation(style: str, keys: list[str], expected: str) -> None:
    assert format_citation(by_id(*keys), style) == expected + "\n"


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        pytest.param("html", "<sup>1</sup>", id="html"),
        pytest.param("markdown", "^1^", id="markdown"),
    ],
)
def test_superscript_citation_formats(fmt: render.Fmt, expected: str) -> None:
    assert expected in format_citation(by_id("grober2015"), "nature", fmt=fmt)


@pytest.mark.parametrize(
    ("style", "expected"),
    [
        pytest.param(
            "vancouver",
            "1. McCrae RR, Costa PT. The five-factor theory of personality. In: John OP, "
            "Robins RW, Pervin LA, editors. Handbook of personality: Theory and research. "
            "3rd ed. New York: Guilford Press; 2008. p. 159–81.\n",
            id="nlm",
        ),
        pytest.param(
            "ama",
            "1. McCrae RR, Costa PT. The five-factor theory of personality. In: John OP, "
            "Robins RW, Pervin LA, eds. Handbook of Personality: Theory and Research. 3rd ed. "
            "Guilford Press; 2008:159-181.\n",
            id="ama",
        ),
    ],
)
def test_chapter_editors_follow_the_in_term(style: str, expected: str) -> None:
    assert format_bibliography(by_id("mccrae2008"), style) == expected


@pytest.mark.parametrize(
    ("style_xml", "expected"),
    [
        pytest.param(
            '<names variable="editor">\n  <label prefix=", "/>\n</names>',
            '<names variable="editor">\n  <name/><label prefix=", "/>\n</names>',
            id="label-only-gets-name",
        ),
        pytest.param(
            '<names variable="author"><label prefix=", "/><substitute>'
            '<names variable="editor"/></substitute></names>',
            '<names variable="author"><name/><label prefix=", "/><substitute>'
            '<names variable="editor"/></substitute></names>',
            id="label-before-substitute",
        ),
        pytest.param(
            '<names variable="editor"><label form="short"/><name and="text"/></names>',
            '<names variable="editor"><label form="short"/><name and="text"/></names>',
            id="label-deliberately-first",
        ),
        pytest.param(
            '<names variable="editor"><name/><label prefix=" (" suffix=")"/></names>',
            '<names variable="editor"><name/><label prefix=" (" suffix=")"/></names>',
            id="name-already-there",
        ),
        pytest.param('<names variable="editor"/>', '<names variable="editor"/>', id="self-closing"),
    ],
)
def test_patch_style(style_xml: str, expected: str) -> None:
    assert render.patch_style(style_xml) == expected


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        pytest.param(
            "Uptake under elevated CO2",
            'Uptake <span class="nocase">under</span> elevated CO2',
            id="preposition",
        ),
        pytest.param(
            "Sleep according to age",
            'Sleep <span class="nocase">according to</span> age',
            id="phrase",
        ),
        pytest.param("Under pressure", "Under pressure", id="first-word"),
        pytest.param("What lies beneath", "What lies beneath", id="last-word"),
        pytest.param("Trial: under review", "Trial: under review", id="after-colon"),
        pytest.param("Life Under Water", "Life Under Water", id="capitalised-kept"),
        pytest.param("Sleep in adults", "Sleep in adults", id="pandoc-knows-it"),
        pytest.param(
            "A katanin-like protein",
            'A katanin-<span class="nocase">like</span> protein',
            id="after-hyphen",
        ),
        pytest.param(
            "Analysis by Cooper et al. [Rev 24]",
            'Analysis by Cooper <span class="nocase">et</span> <span class="nocase">al.</span> '
            "[Rev 24]",
            id="et-al",
        ),
    ],
)
def test_protect_stop_words(title: str, expected: str) -> None:
    assert render.protect_stop_words(title) == expected


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        pytest.param("Heavy metal resistance.", "Heavy metal resistance", id="sentence-period"),
        pytest.param("A review by Smith et al.", "A review by Smith et al.", id="et-al-kept"),
        pytest.param("Trade with the U.S.", "Trade with the U.S.", id="initialism-kept"),
        pytest.param("Is it safe?", "Is it safe?", id="question-kept"),
        pytest.param("Wait for it...", "Wait for it...", id="ellipsis-kept"),
        pytest.param("Brain Res.. 2003;989", "Brain Res.. 2003;989", id="inside-kept"),
    ],
)
def test_without_final_period(title: str, expected: str) -> None:
    assert render.without_final_period(title) == expected


def test_non_english_titles_are_not_protected() -> None:
    item = {"id": "x", "type": "book", "title": "Leben under Wasser", "language": "de"}
    [prepared] = render.pandoc_items([item], "text", title_case=True)
    assert prepared["title"] == "Leben under Wasser"


HOSTILE: CslItem = {
    "id": "hostile",
    "type": "article-journal",
    "title": "Uptake in <i>E. coli</i> of CO<sub>2</sub> &amp; <script>alert(1)</script>",
    "container-title": "Journal",
    "author": [{"family": "Zed", "given": "Ann"}],
    "issued": {"date-parts": [[2020]]},
}


@pytest.mark.parametrize(
    ("fmt", "present", "absent"),
    [
        pytest.param(
            "html",
            ["<em>E. coli</em>", "CO<sub>2</sub>", "&amp; &lt;script&gt;alert(1)&lt;/script&gt;"],
            ["<script>", "nocase", "&amp;amp;"],
            id="html-escapes-all-but-markup",
        ),
        pytest.param(
            "markdown",
            ["*E. coli*", "CO~2~", "\\<script\\>"],
            ["<i>", "<sub>", "{.nocase}"],
            id="markdown",
        ),
        pytest.param(
            "text",
            ["Uptake in E. coli of CO2 & <script>alert(1)</script>"],
            ["<i>", "<sub>", "&amp;", "₂"],
            id="text-strips-markup",
        ),
    ],
)
def test_title_markup_per_format(fmt: render.Fmt, present: list[str], absent: list[str]) -> None:
    output = format_bibliography([HOSTILE], "apa", fmt=fmt)
    for fragment in present:
        assert fragment in output
    for fragment in absent:
        assert fragment not in output


def test_italics_inside_italics_turn_roman() -> None:
    book = {
        "id": "book",
        "type": "book",
        "title": "Growing <i>E. coli</i>",
        "author": [{"family": "Zed", "given": "Ann"}],
        "issued": {"date-parts": [[2020]]},
    }
    output = format_bibliography([book], "apa", fmt="html")
    assert '<em>Growing <span style="font-style:normal;">E. coli</span></em>' in output


def test_html_keeps_second_field_alignment() -> None:
    output = format_bibliography(by_id("grober2015"), "ieee", fmt="html")
    assert '<div class="csl-left-margin">[1] </div><div class="csl-right-inline">' in output


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        pytest.param(
            None,
            "(n.d.). Magnesium—Fact Sheet for Health Professionals. Retrieved 2025, from",
            id="en-US",
        ),
        pytest.param(
            "de-DE",
            "(o.\u00a0J.). Magnesium—Fact Sheet for Health Professionals. Abgerufen 2025, von",
            id="de-DE",
        ),
        pytest.param(
            "fr-FR",
            "(s.\u00a0d.). Magnesium—Fact Sheet for Health Professionals. "
            "Consulté 2025, à l’adresse",
            id="fr-FR",
        ),
    ],
)
def test_locale_terms(locale: str | None, expected: str) -> None:
    assert expected in format_bibliography(by_id("nih2025"), "apa", locale)


def test_items_without_id_still_render() -> None:
    output = render.render_bibliography([{"type": "book", "title": "No key"}], resolve_style("apa"))
    assert output == "No key. (n.d.).\n"


def test_nothing_to_render_runs_nothing() -> None:
    style = resolve_style("apa")
    assert render.render_bibliography([], style) == ""
    assert render.render_citation([], style) == ""


def test_broken_style_is_an_external_tool_error(tmp_path: Path) -> None:
    style = tmp_path / "broken.csl"
    style.write_text("<style>not closed", "utf-8")
    with pytest.raises(ExternalToolError, match="pandoc failed"):
        render.render_bibliography(by_id("grober2015"), style)


def test_missing_pandoc_is_an_external_tool_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(render, "pandoc_path", lambda: "/nonexistent/pandoc")
    with pytest.raises(ExternalToolError, match="pypandoc-binary"):
        render.render_bibliography(by_id("grober2015"), resolve_style("apa"))


def test_pandoc_is_found_through_pypandoc_when_not_at_its_usual_place(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    shipped = render.pandoc_path()
    monkeypatch.setattr(render.importlib.util, "find_spec", lambda name: None)
    assert Path(render.pandoc_path()).name == Path(shipped).name


def test_large_author_date_bibliography_is_assembled_exactly(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Rendering without disambiguation plus the ambiguous entries again equals one run."""
    items = load_references()
    assert [item["id"] for item in render.possibly_ambiguous(items)] == [
        "walker2019a",
        "walker2019b",
    ]
    monkeypatch.setattr(render, "SPLIT_ABOVE", 0)
    for style in ("apa", "chicago"):
        assert format_bibliography(items, style).splitlines() == EXPECTED[style]
        assert "\ue000" not in format_bibliography(items, style, fmt="html")


@pytest.mark.parametrize(
    ("style", "split"),
    [
        pytest.param("apa", True, id="apa-author-date-costly-rule"),
        pytest.param("chicago", True, id="chicago-author-date-costly-rule"),
        pytest.param("harvard", False, id="by-cite-rule-is-fast"),
        pytest.param("mla", False, id="subsequent-author-substitute"),
        pytest.param("vancouver", False, id="numeric"),
    ],
)
def test_which_styles_are_split(style: str, split: bool) -> None:
    text = resolve_style(style).read_text("utf-8")
    fast = render.without_disambiguation(text)
    assert (fast is not None) is split
    if fast is not None:
        assert "givenname-disambiguation-rule" not in fast
        assert "disambiguate-add-year-suffix" not in fast


@pytest.mark.parametrize(
    ("extra", "suffixes"),
    [
        pytest.param({"title": ""}, [], id="untitled-falls-back-to-one-run"),
        pytest.param({}, ["(2019d)", "(2015b)"], id="titled"),
    ],
)
def test_split_render_equals_one_run_for_same_author_same_year(
    monkeypatch: pytest.MonkeyPatch, extra: dict[str, str], suffixes: list[str]
) -> None:
    twins = [
        {**item, "id": f"{item['id']}-{n}", "title": f"{item['title']} {n}", **extra}
        for item in by_id("walker2019a", "walker2019b", "grober2015")
        for n in (1, 2)
    ]
    one_run = format_bibliography(twins, "apa")
    monkeypatch.setattr(render, "SPLIT_ABOVE", 0)
    assert format_bibliography(twins, "apa") == one_run
    for suffix in suffixes:
        assert suffix in one_run


def test_crossref_shaped_items_render() -> None:
    """List-valued titles and ISSNs, affiliations, timestamps: reduced to CSL for pandoc."""
    item = {
        "id": "grober2015",
        "type": "article-journal",
        "title": ["Magnesium in Prevention and Therapy"],
        "container-title": ["Nutrients"],
        "ISSN": ["2072-6643", "2072-6643"],
        "author": [{"family": "Gröber", "given": "Uwe", "affiliation": [{"name": "AMM"}]}],
        "issued": {"date-parts": [[2015, 9, 23]], "date-time": "2015-09-23T00:00:00Z"},
        "published-online": {"date-parts": [[None]]},
        "volume": 7,
        "page": "8199-8226",
        "license": [{"URL": "https://creativecommons.org/licenses/by/4.0/"}],
        "_refman": {"source": "crossref"},
    }
    assert format_bibliography([item], "apa") == (
        "Gröber, U. (2015). Magnesium in Prevention and Therapy. Nutrients, 7, 8199–8226.\n"
    )


@pytest.mark.parametrize(
    ("style_xml", "expected"),
    [
        pytest.param('<text variable="title" text-case="title"/>', True, id="title-case"),
        pytest.param('<text variable="title"/>', False, id="no-title-case"),
        pytest.param(
            '<text variable="title" text-case="title"/><text variable="title" '
            'text-case="uppercase"/>',
            False,
            id="also-uppercased",
        ),
    ],
)
def test_needs_stop_word_protection(style_xml: str, expected: bool) -> None:
    assert render.needs_stop_word_protection(style_xml) is expected
