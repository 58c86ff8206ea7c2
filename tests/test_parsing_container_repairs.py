"""Label repairs that find where a journal, book or proceedings title starts and ends."""

from __future__ import annotations

import pytest

from refman.parsing import values
from refman.parsing.repairs import repair_labels


def _split(labelled: str) -> tuple[list[str], list[str]]:
    """``Word/label Word/label``: tokens and labels written side by side (``.`` = the label
    of the token before, to keep the tables short)."""
    tokens: list[str] = []
    labels: list[str] = []
    for pair in labelled.split():
        token, _, label = pair.rpartition("/")
        tokens.append(token)
        labels.append(labels[-1] if label == "." else label)
    return tokens, labels


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(
            "Parsing/title with/. monads./. In/container Proceedings/. of/. the/. Workshop/. "
            "on/. Types,/. at/. Uppsala,/. Sweden./location",
            "Parsing/title with/. monads./. In/container Proceedings/. of/. the/. Workshop/. "
            "on/. Types,/. at/note Uppsala,/. Sweden./location",
            id="venue-after-at-ends-meeting",
        ),
        pytest.param(
            "Rivers./title In/editor A./. Lee/. (Eds.),/. Rivers/container of/. Europe,/. "
            "held/. at/. Leeds/. University,/. 4-6/date May/.",
            "Rivers./title In/editor A./. Lee/. (Eds.),/. Rivers/container of/. Europe,/. "
            "held/note at/. Leeds/. University,/. 4-6/date May/.",
            id="held-at-ends-meeting",
        ),
        pytest.param(
            "Brown,/author K./. (2004),/date Noise/title in/. prices,/. Economics/. and/. "
            "Finance/journal 7(2),/volume 1-9./pages",
            "Brown,/author K./. (2004),/date Noise/title in/. prices,/. Economics/journal "
            "and/. Finance/. 7(2),/volume 1-9./pages",
            id="title-ending-in-and-gives-words-to-journal",
        ),
        pytest.param(
            "Storage/title forensics,/. Digital/. Forensics:/. The/. International/journal "
            "Journal/. of/. Forensics,/. v.3,/volume",
            "Storage/title forensics,/. Digital/. Forensics:/. The/journal International/. "
            "Journal/. of/. Forensics,/. v.3,/volume",
            id="article-before-journal-joins-it",
        ),
        pytest.param(
            '"On/title floods,"/. Bulletin/journal of/. Science,/. Kyoto/. University,/. '
            "vol./volume 3,/.",
            '"On/title floods,"/. Bulletin/journal of/. Science,/. Kyoto/publisher '
            "University,/. vol./volume 3,/.",
            id="university-after-journal-is-publisher",
        ),
        pytest.param(
            "“Ethics.”/title in/editor Ann/. Ross,/. ed./. Moral/. Life:/. Essays/container "
            "on/. Virtue,/. Oxford:/location",
            "“Ethics.”/title in/editor Ann/. Ross,/. ed./. Moral/container Life:/. Essays/. "
            "on/. Virtue,/. Oxford:/location",
            id="book-start-after-ed-marker",
        ),
        pytest.param(
            "«/title Le/. vote/. »,/. Jean/. MARTIN/. (dir.),/author La/title vie/. "
            "politique,/. Paris,/location",
            "«/title Le/. vote/. »,/. Jean/editor MARTIN/. (dir.),/. La/container vie/. "
            "politique,/. Paris,/location",
            id="names-before-dir-then-book",
        ),
        pytest.param(
            "Mites./title In:/editor A/. Guide/. to/. Mites,/. Smith/. J./. Eds.,/. "
            "Austin:/location",
            "Mites./title In:/container A/. Guide/. to/. Mites,/. Smith/editor J./. Eds.,/. "
            "Austin:/location",
            id="book-before-trailing-eds",
        ),
        pytest.param(
            "Tea/title drinking/. [Survey]./. the/journal Review/. of/. Tea/. Studies/. "
            "in/note Asia,/. 4./.",
            "Tea/title drinking/. [Survey]./. the/journal Review/. of/. Tea/. Studies/. "
            "in/. Asia,/. 4./note",
            id="journal-runs-on-through-in",
        ),
        pytest.param(
            "Jones/author A.,/. 2001,/date ApJS,/volume 120,/. 33/pages",
            "Jones/author A.,/. 2001,/date ApJS,/journal 120,/volume 33/pages",
            id="abbreviated-journal-before-volume",
        ),
        pytest.param(
            "“Echo/title removal,”/. in/container Proc./. Conf./. Audio/. Signals/. "
            "(ASIG-01),/date 2001,/.",
            "“Echo/title removal,”/. in/container Proc./. Conf./. Audio/. Signals/. "
            "(ASIG-01),/. 2001,/date",
            id="bracketed-acronym-is-part-of-meeting",
        ),
        pytest.param(
            "“Lasers,”/title [The/container Optics/. Handbook]./. Wiley,/. London/location",
            "“Lasers,”/title [The/container Optics/. Handbook]./. Wiley,/publisher London/location",
            id="bracketed-book-ends-at-bracket",
        ),
        pytest.param(
            "Dust,/title Coal/journal Research/. Forum,/. 3rd/volume Annual/container "
            "Meeting,/. Denver,/location",
            "Dust,/title Coal/journal Research/. Forum,/. 3rd/. Annual/. Meeting,/. "
            "Denver,/location",
            id="ordinal-joins-meeting-name",
        ),
        pytest.param(
            "Ports/title Reopen/. for/. the/. Season?/. Daily/. Herald,/. June/date 3,/. 2009./.",
            "Ports/title Reopen/. for/. the/. Season?/. Daily/journal Herald,/. June/date "
            "3,/. 2009./.",
            id="newspaper-after-title-case-title",
        ),
        pytest.param(
            "(2011,/date May)./. Noise/title maps./. Paper/. presented/. at/. the/. "
            "Acoustics/. Forum,/. Lyon,/location",
            "(2011,/date May)./. Noise/title maps./. Paper/container presented/. at/. the/. "
            "Acoustics/. Forum,/. Lyon,/location",
            id="paper-presented-at-meeting",
        ),
        pytest.param(
            "Aufsatz./title In:/. Recht/. und/. Staat./. 3./volume (2001),/date Heft/journal "
            "2,/volume",
            "Aufsatz./title In:/container Recht/. und/. Staat./. 3./volume (2001),/date "
            "Heft/note 2,/volume",
            id="heft-is-no-journal",
        ),
        pytest.param(
            "Music/title and/. mind,/. Oxford/. Handbook/. of/. Music/. (Ed./editor Kay,/. "
            "L.),/. Oxford/publisher",
            "Music/title and/. mind,/. Oxford/container Handbook/. of/. Music/. "
            "(Ed./editor Kay,/. L.),/. Oxford/publisher",
            id="book-before-bracketed-ed",
        ),
        pytest.param(
            "“Letter/title home,”/. Collected/location Essays/. (Boston:/. Beacon,/publisher",
            "“Letter/title home,”/. Collected/container Essays/. (Boston:/location "
            "Beacon,/publisher",
            id="book-before-chicago-imprint",
        ),
        pytest.param(
            "2015./date Genetic/journal risk/. of/. severe/. arthritis./. BMJ./. 350,/volume",
            "2015./date Genetic/title risk/. of/. severe/. arthritis./. BMJ./journal 350,/volume",
            id="title-sentence-in-journal-without-title",
        ),
        pytest.param(
            "2008,/date J./journal Phys./. Chem./. C/. 112,/volume",
            "2008,/date J./journal Phys./. Chem./. C/. 112,/volume",
            id="abbreviated-journal-is-no-title",
        ),
        pytest.param(
            "Prices./title Policy/journal Studies/. Series,/. Paris./location",
            "Prices./title Policy/collection-title Studies/. Series,/. Paris./location",
            id="series-is-no-journal",
        ),
        pytest.param(
            "Traps/title for/. insects/. in/container tropical/. forests,/. Forest/. "
            "Workshop./. 2003./date",
            "Traps/title for/. insects/. in/. tropical/. forests,/. Forest/. Workshop./. "
            "2003./date",
            id="in-after-bare-word-continues-title",
        ),
        pytest.param(
            "“Place.”/title In/container Smith/. and/. Jones,/. 15–51./pages",
            "“Place.”/title In/editor Smith/. and/. Jones,/. 15–51./pages",
            id="chicago-short-cite-names-editors",
        ),
        pytest.param(
            "Why/title wait?/. Young,/journal K./. 2004/date Energy/journal Policy,/. 12:/volume",
            "Why/title wait?/. Young,/author K./. 2004/date Energy/journal Policy,/. 12:/volume",
            id="name-after-title-is-author",
        ),
        pytest.param(
            "Panels,/title School/journal of/. Civil/. Engineering,/. 2003;/date",
            "Panels,/title School/publisher of/. Civil/. Engineering,/. 2003;/date",
            id="school-is-publisher",
        ),
        pytest.param(
            "A/title crater,/. South/journal Africa,/. Nature,/. v./volume 4,/.",
            "A/title crater,/. South/. Africa,/. Nature,/journal v./volume 4,/.",
            id="country-ends-title",
        ),
        pytest.param(
            "Ice/title at/. Lake/. Vanda,/. Antarctica./journal 15-20./pages",
            "Ice/title at/. Lake/. Vanda,/. Antarctica./. 15-20./pages",
            id="place-alone-is-no-journal",
        ),
        pytest.param(
            "Nowak,/author J./. (2011)/date Zarys/title gramatyki./. Wydawnictwo/journal "
            "Nauka,/. Kraków/.",
            "Nowak,/author J./. (2011)/date Zarys/title gramatyki./. Wydawnictwo/publisher "
            "Nauka,/. Kraków/location",
            id="imprint-at-end-is-no-journal",
        ),
        pytest.param(
            "Fire./title Daily/journal Mail,/. London,/. 12/date May/. 2003/.",
            "Fire./title Daily/journal Mail,/. London,/. 12/date May/. 2003/.",
            id="newspaper-before-date-stays-journal",
        ),
    ],
)
def test_container_repairs(before: str, after: str) -> None:
    tokens, labels = _split(before)
    expected_tokens, expected = _split(after)
    assert tokens == expected_tokens
    assert repair_labels(tokens, labels) == expected


@pytest.mark.parametrize(
    ("text", "found"),
    [
        pytest.param("Sunday Standard, July 2, 2008.", False, id="standard-is-no-stand"),
        pytest.param("Stand: 3.4.2021", True, id="german-stand"),
        pytest.param("Accessed 12 May 2016.", True, id="accessed"),
    ],
)
def test_access_phrase_is_a_whole_word(text: str, found: bool) -> None:
    assert (values.find_access_date(text) is not None) is found
