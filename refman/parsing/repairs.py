"""Fix the CRF's labels where it is known to stumble, before fields are read.

Small, rule-based repairs for patterns that are rare in the training data:
the journal of a BMC-style ``Title. Journal 2003, 97:905`` reference, and the
book title of a chapter that follows its editors.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from itertools import pairwise

from refman.parsing import identifiers, lexicon

_OPEN_QUOTES = frozenset("\"“„«‘'")
_SENTENCE_END = re.compile(r"(?:(?:\w{2,}|\d)\)?[.!?]|[?!])[\"”’]?$")
_MAX_JOURNAL_TOKENS = 8


def split_journal_from_title(tokens: Sequence[str], labels: Sequence[str]) -> list[str]:
    """Find the journal the CRF missed in ``Title. Journal 2003, 97:905-909`` (BMC style,
    rare in the training data): with no journal labelled but volume and pages after it,
    the place/publisher run right before the numbers, or else the title's short last
    sentence, is the journal."""
    result = list(labels)
    if "journal" in result or "container" in result or "title" not in result:
        return result
    start = result.index("title")
    end = start
    while end < len(result) and result[end] == "title":
        end += 1
    numbers = result[end:]
    if "volume" not in numbers or "pages" not in numbers:
        return result
    middle = end
    while middle < len(result) and result[middle] in {"location", "publisher"}:
        middle += 1
    if middle < len(result) and result[middle] in {"date", "volume"} and middle > end:
        result[end:middle] = ["journal"] * (middle - end)
        return result
    cuts = [k for k in range(start, end - 1) if _SENTENCE_END.search(tokens[k])]
    if middle == end and cuts and end - cuts[-1] - 1 <= _MAX_JOURNAL_TOKENS:
        result[cuts[-1] + 1 : end] = ["journal"] * (end - cuts[-1] - 1)
    return result


_MAX_NAME_TOKENS = 6
_AFTER_JOURNAL = frozenset({"volume", "pages", "date", "url", "doi", "note"})


def _title_case(tokens: Sequence[str]) -> bool:
    """Every word capitalised but the small linking words (``Guide to Impact Structures``)."""
    words = [t.strip("\"“”‘’'(),.;:") for t in tokens]
    return any(words) and all(
        not w or not w[0].isalpha() or w[0].isupper() or w.lower() in lexicon.LINK_WORDS
        for w in words
    )


def journal_left_in_title(tokens: Sequence[str], labels: Sequence[str]) -> list[str]:
    """``Title of the article. Information Standards Quarterly. 2013``: with no journal
    labelled and numbers, a date, an identifier or a note right after the title, the
    title's last sentence, when it is short and in title case (and the rest is not), is
    the journal; right before the volume or pages, so is a last comma-separated part
    (``... des Mittelalters, Vierteljahrschrift für Sozialgeschichte, 39, 1952``)."""
    result = list(labels)
    run = _first_run(result, "title")
    if run is None or "journal" in result or "container" in result:
        return result
    start, end = run
    if end >= len(result) or result[end] not in _AFTER_JOURNAL:
        return result
    cut = _journal_cut(tokens, start, end, _SENTENCE_END.search)
    if cut is None and result[end] in {"volume", "pages"}:
        cut = _journal_cut(tokens, start, end, lambda token: token.endswith(","))
    if cut is not None:
        result[cut:end] = ["journal"] * (end - cut)
    return result


def _journal_cut(
    tokens: Sequence[str], start: int, end: int, ends_part: Callable[[str], object]
) -> int | None:
    """Where a short title-case last part of ``tokens[start:end]`` begins, the parts being
    separated by tokens for which ``ends_part`` is true; None when there is none."""
    cuts = [k for k in range(start, end - 1) if ends_part(tokens[k])]
    if not cuts or end - cuts[-1] - 1 > _MAX_NAME_TOKENS:
        return None
    head, tail = tokens[start : cuts[-1] + 1], tokens[cuts[-1] + 1 : end]
    return cuts[-1] + 1 if _title_case(tail) and not _title_case(head) else None


def _runs(labels: Sequence[str]) -> list[tuple[str, int, int]]:
    """``(label, start, end)`` for each run of equal labels."""
    runs: list[tuple[str, int, int]] = []
    start = 0
    for index in range(1, len(labels) + 1):
        if index == len(labels) or labels[index] != labels[start]:
            runs.append((labels[start], start, index))
            start = index
    return runs


def container_after_editors(tokens: Sequence[str], labels: Sequence[str]) -> list[str]:
    """``Title. In: Editors (eds.), Book title. Place: Publisher``: a second title run right
    after the editors is the book (container) title."""
    result = list(labels)
    if "container" in result or "journal" in result:
        return result
    runs = _runs(result)
    for (label, _, _), (next_label, start, end) in pairwise(runs):
        if label == "editor" and next_label == "title" and "title" in result[:start]:
            result[start:end] = ["container"] * (end - start)
            return result
        if label == "editor" and next_label == "publisher" and "title" in result[:start]:
            stop = next((k for k in range(start, end - 1) if _SENTENCE_END.search(tokens[k])), None)
            if stop is not None:
                result[start : stop + 1] = ["container"] * (stop + 1 - start)
            return result
    return result


_MAX_MOVED_TOKENS = 3


def journal_name_left_in_title(tokens: Sequence[str], labels: Sequence[str]) -> list[str]:
    """``Title ends here. Winston-Salem Journal, pp. 1-2``: when the journal is a single
    word right after the title, the capitalised words after the title's last full stop
    belong to it."""
    result = list(labels)
    runs = _runs(result)
    for (label, start, end), (next_label, next_start, next_end) in pairwise(runs):
        if label != "title" or next_label != "journal" or next_end - next_start != 1:
            continue
        cuts = [k for k in range(start, end - 1) if _SENTENCE_END.search(tokens[k])]
        moved = tokens[cuts[-1] + 1 : end] if cuts else []
        if moved and len(moved) <= _MAX_MOVED_TOKENS and all(t[:1].isupper() for t in moved):
            result[cuts[-1] + 1 : end] = ["journal"] * len(moved)
        return result
    return result


_CLOSING_BRACKET = re.compile(r"^[^(]*\)[.,;:]$")
_CLOSING_QUOTE = re.compile(r"(?:[\"”»]|'')\W?$")


def _ends_title_sentence(token: str, label: str) -> bool:
    """A closing quote or bracket (``Ariège),``: no journal or book title has one that it
    did not open), or, in a journal name,
    a lower-case word of six letters or more closing a sentence (``administration.``) or a
    lone full stop: a title's end, unlike a journal abbreviation (``angew.``, ``Chem.``)."""
    if _CLOSING_QUOTE.search(token) or _CLOSING_BRACKET.search(token):
        return True
    if label != "journal":
        return False
    if token in {".", "?", "!"}:
        return True
    word = token.rstrip(".?!")
    return word != token and word[:1].islower() and len(word) >= 6 and word.isalpha()


def title_sentence_left_in_journal(tokens: Sequence[str], labels: Sequence[str]) -> list[str]:
    """``... "standard practice" controlled administration. Anesthesiology. 2001``: a journal
    (or book) run that starts with the title's last words, up to a sentence end that no
    journal name has inside it, gives those words back to the title."""
    result = list(labels)
    for (label, _, _), (next_label, start, end) in pairwise(_runs(result)):
        if label == "title" and next_label in {"journal", "container"}:
            cuts = [k for k in range(start, end - 1) if _ends_title_sentence(tokens[k], next_label)]
            if cuts and not _only_months(tokens[cuts[-1] + 1 : end]):
                result[start : cuts[-1] + 1] = ["title"] * (cuts[-1] + 1 - start)
            return result
    return result


def _only_months(tokens: Sequence[str]) -> bool:
    """``The New England journal of medicine. Mar 13 2003``: a journal run that would be
    left with a month only was the journal followed by its issue date, not a title's end."""
    return all(token.strip(".,;:").lower() in lexicon.MONTHS for token in tokens)


_INITIAL = re.compile(r"^[A-Z]\.$")


def _journal_word_in_authors(tokens: Sequence[str], index: int, start: int) -> bool:
    """Whether the author token at ``index`` is the first word of the journal after it:
    an abbreviation such as ``Int.`` or ``Phys.``, or a ``J.`` after a name in initials-first
    order (``E. Yablonovitch, J. Opt. Soc. Am.``), where no initial follows the family name."""
    token = tokens[index]
    word = token.rstrip(".").lower()
    if not token.endswith(".") or word not in lexicon.JOURNAL_WORDS:
        return False
    if not _INITIAL.match(token):
        return True
    return index > start and tokens[index - 1].endswith(",") and bool(_INITIAL.match(tokens[start]))


def journal_start_left_in_authors(tokens: Sequence[str], labels: Sequence[str]) -> list[str]:
    """``J. Polchinski, Int. J. Mod. Phys. A16`` (physics style, no title): the journal's
    first abbreviations, which the CRF took for initials, go back to the journal; with no
    journal labelled at all (``S. E. Han, G. Chen, Nano Lett. 2010, 10``), the part after
    the last name's comma is the journal when it has a journal word."""
    result = list(labels)
    runs = _runs(result)
    for (label, start, end), (next_label, _, _) in pairwise(runs):
        if label != "author":
            continue
        if next_label == "journal":
            cut = end
            while cut - 1 > start and _journal_word_in_authors(tokens, cut - 1, start):
                cut -= 1
            result[cut:end] = ["journal"] * (end - cut)
        elif next_label in {"date", "volume"} and not {"journal", "title"} & set(result):
            cut = _journal_after_names(tokens, start, end)
            result[cut:end] = ["journal"] * (end - cut)
        return result
    return result


_MAX_TRAILING_JOURNAL = 6


def _journal_after_names(tokens: Sequence[str], start: int, end: int) -> int:
    """Where a journal left at the end of initials-first names starts (``end`` if none)."""
    commas = [k for k in range(start, end - 1) if tokens[k].endswith(",")]
    if not commas or not _INITIAL.match(tokens[start]):
        return end
    tail = tokens[commas[-1] + 1 : end]
    words = [token.rstrip(".,").lower() for token in tail]
    if len(tail) <= _MAX_TRAILING_JOURNAL and not lexicon.JOURNAL_WORDS.isdisjoint(words):
        return commas[-1] + 1
    return end


_FIELD_END = re.compile(r"(?:\w{2,}[.!?]|[.?!]?[\"”’»])[.,]?$")


def _first_run(labels: Sequence[str], label: str) -> tuple[int, int] | None:
    """``(start, end)`` of the first run of ``label``."""
    if label not in labels:
        return None
    start = labels.index(label)
    return start, _run_end(labels, start)


def _run_end(labels: Sequence[str], start: int) -> int:
    """Where the run of equal labels that starts at ``start`` ends."""
    end = start
    while end < len(labels) and labels[end] == labels[start]:
        end += 1
    return end


def title_ends_at_in(tokens: Sequence[str], labels: Sequence[str]) -> list[str]:
    """``Title. In Book title: Proceedings...``: an ``In``/``In:`` right after the title's
    closing full stop or quote starts the container, even when the CRF ran the title on."""
    result = list(labels)
    run = _first_run(result, "title")
    if run is None or "journal" in result:
        return result
    start, end = run
    for index in range(start + 1, end - 1):
        if (
            tokens[index].lower() in lexicon.CONTAINER_MARKERS
            and _FIELD_END.search(tokens[index - 1])
            and not tokens[index + 1].lower().startswith("press")
        ):
            if "container" in result[:start]:
                return result
            result[index:end] = ["container"] * (end - index)
            return result
    return result


_IMPRINT = re.compile(r"^\([^\d):]{1,40}:[^)]*\b(?:1[5-9]\d\d|20\d\d)\b[^)]*\)")
_IMPRINT_TOKENS = 10


def title_ends_at_imprint(tokens: Sequence[str], labels: Sequence[str]) -> list[str]:
    """``Title (Durham, NC: Duke University Press, 2003)``: the bracketed place, publisher
    and year of a Chicago note end the title (``(Teleostei: Cyprinidae)``, without a year,
    stays in it)."""
    result = list(labels)
    run = _first_run(result, "title")
    if run is None:
        return result
    start, end = run
    for index in range(start + 1, end):
        if tokens[index].startswith("("):
            bracket = " ".join(tokens[index : index + _IMPRINT_TOKENS])
            if _IMPRINT.match(bracket):
                result[index:end] = ["location"] * (end - index)
                return result
    return result


_REPORT_WORDS = frozenset({"report", "paper", "memo", "no", "no.", "nr", "nr."})


def report_number_not_pages(tokens: Sequence[str], labels: Sequence[str]) -> list[str]:
    """``Technical Report 11``: the number after ``Report`` is the report's number, not its
    pages (``reftypes.report_number`` reads it from the text)."""
    result = list(labels)
    for label, start, end in _runs(result):
        if label != "pages" or not start:
            continue
        previous = tokens[start - 1].lower().strip(",;:")
        if previous in _REPORT_WORDS and "report" in " ".join(tokens).lower():
            result[start:end] = ["note"] * (end - start)
    return result


_ET_AL_WORDS = {
    1: frozenset({"e.a.", "u.a.", "etal", "etal."}),
    2: frozenset({"et al", "et al.", "u. a."}),
}


def _et_al_length(tokens: Sequence[str], index: int) -> int:
    """How many tokens from ``index`` spell ``et al.``, ``u. a.`` or ``e.a.`` (0 if none)."""
    for size in (2, 1):
        words = [token.rstrip(",;:") for token in tokens[index : index + size]]
        phrase = " ".join(words)
        known = len(words) == size and phrase.lower() in _ET_AL_WORDS[size]
        if known and (phrase.startswith(("et", "Et", "ET")) or phrase.islower()):
            return size
    return 0


def et_al_ends_authors(tokens: Sequence[str], labels: Sequence[str]) -> list[str]:
    """``Müller, K. u. a.: Title``: an ``et al.`` right after the authors belongs to them
    (the name parser turns it into ``others``), not to the title."""
    result = list(labels)
    run = _first_run(result, "author")
    if run is None:
        return result
    size = _et_al_length(tokens, run[1])
    result[run[1] : run[1] + size] = ["author"] * size
    return result


_CLOSED_QUOTE = re.compile(r"[.,!?][\"”’»]$|[\"”’»][.,]$")
_AFTER_BOOK = frozenset({"editor", "publisher", "location"})
_CONTAINERS = frozenset({"journal", "container"})


def quoted_title_ends_at_quote(tokens: Sequence[str], labels: Sequence[str]) -> list[str]:
    """``“Flexibility ... symbols.” Theories of Memory. Ed. A. C. Collins``: a title that
    opens with a quote ends where the quote closes with its punctuation; a capitalised
    run the CRF added after it is the container (a book before editors or an imprint,
    else a journal)."""
    result = list(labels)
    run = _first_run(result, "title")
    if run is None or tokens[run[0]][:1] not in _OPEN_QUOTES:
        return result
    start, end = run
    close = next((k for k in range(start, end - 1) if _CLOSED_QUOTE.search(tokens[k])), None)
    if close is None or not tokens[close + 1][:1].isupper():
        return result
    following = result[end] if end < len(result) else None
    if following in _CONTAINERS:  # ``“Title,” Audio, Speech, ..., IEEE Transactions on``
        if any(_CLOSING_QUOTE.search(token) for token in tokens[close + 1 : end]):
            return result  # nested quotes: ``« La « société civile » ... »``
        label = following
    else:
        label = "container" if following in _AFTER_BOOK else "journal"
        if label in result:
            return result
    result[close + 1 : end] = [label] * (end - close - 1)
    return result


_NAME_GLUE = frozenset({"and", "und", "en", "et", "y", "e", "al", "al.", "others", "u.", "a."})


def _plain_word(token: str) -> bool:
    """A lower-case word of three letters or more that no name list has (``magnesium.``)."""
    word = token.rstrip(".,;:")
    return (
        len(word) >= 3
        and word.isalpha()
        and word.islower()
        and word not in _NAME_GLUE
        and word not in lexicon.PARTICLES
    )


def title_left_in_authors(tokens: Sequence[str], labels: Sequence[str]) -> list[str]:
    """``Smith J, Jones K. Sleep and magnesium. Nutrients. 2015``: a short title the CRF
    ran into the Vancouver names starts after the last initials before its first plain
    lower-case word, which no name has."""
    result = list(labels)
    run = _first_run(result, "author")
    if run is None or "title" in result:
        return result
    start, end = run
    plain = next((k for k in range(start, end) if _plain_word(tokens[k])), None)
    if plain is None:
        return result
    stops = [k for k in range(start, plain) if _INITIAL_END.match(tokens[k])]
    if stops:
        result[stops[-1] + 1 : end] = ["title"] * (end - stops[-1] - 1)
    return result


_INITIAL_END = re.compile(r"^[A-Z]{1,3}\.$|^(?:[A-Z]\.-?){1,3}$")


def book_before_editor_marker(tokens: Sequence[str], labels: Sequence[str]) -> list[str]:
    """``“Bede and Benedict Biscop.” In Famulus Christi, ed. Gerald Bonner. London``
    (Chicago): in an editor run that opens with ``In`` and has names after an ``ed.``, the
    words between ``In`` and ``ed.`` are the book."""
    result = list(labels)
    if "container" in result or "journal" in result:
        return result
    run = _first_run(result, "editor")
    if run is None or tokens[run[0]].lower().rstrip(":") not in lexicon.CONTAINER_MARKERS:
        return result
    start, end = run
    marker = next(
        (k for k in range(start + 2, end - 1) if tokens[k].lower().strip("(),.;") in _EDITOR_ONLY),
        None,
    )
    if marker is not None:
        result[start:marker] = ["container"] * (marker - start)
    return result


_MAX_EDITOR_TOKENS = 4


def editors_left_in_container(tokens: Sequence[str], labels: Sequence[str]) -> list[str]:
    """``In What Is an Animal? Tim Ingold, ed.``: when the editor run is only the ``ed.``
    marker, the capitalised words after the book title's last sentence end are the
    editor's name."""
    result = list(labels)
    for (label, start, end), (next_label, marker, after) in pairwise(_runs(result)):
        if label != "container" or next_label != "editor":
            continue
        if any(tokens[k].lower().strip("(),.;") not in _EDITOR_ONLY for k in range(marker, after)):
            return result
        cuts = [k for k in range(start, end - 1) if _SENTENCE_END.search(tokens[k])]
        names = range(cuts[-1] + 1, end) if cuts else range(0)
        if 0 < len(names) <= _MAX_EDITOR_TOKENS and all(tokens[k][:1].isupper() for k in names):
            result[names.start : end] = ["editor"] * len(names)
        return result
    return result


_EDITOR_ONLY = frozenset({"ed", "eds", "editor", "editors", "hrsg", "red", "éd", "éds", "dir"})


_MAX_PAPER_TOKENS = 5
_NOTE_RUNS = frozenset({"note", "genre"})
_NAME_RUNS = _NOTE_RUNS | {"location", "publisher"}
"""The labels the CRF gives a newspaper's name it did not recognise as a journal."""
_LEADING_WORD = re.compile(r"[^\W\d_]+")


def _names_month(token: str) -> bool:
    """``June``, ``May(26).``, ``juillet``: a token that starts with a month name."""
    word = _LEADING_WORD.match(token)
    return word is not None and word.group().lower() in lexicon.MONTHS


def _is_day(token: str) -> bool:
    """``16.``, ``(3)``: a day of the month."""
    return 0 < len(day := token.strip(".,;:()")) <= 2 and day.isdigit()


def _starts_day_date(tokens: Sequence[str], index: int, end: int) -> bool:
    """A day-and-month date (``June 16``, ``30 juillet 1952``, ``May(26).``) starts at
    ``index``: the issue date of a newspaper or magazine, which a book's imprint or a
    report's ``Août 2015`` is not."""
    if index + 1 >= end:
        return False
    token, following = tokens[index], tokens[index + 1]
    if _names_month(token):
        return _is_day(following) or any(char.isdigit() for char in token)
    return _is_day(token) and _names_month(following)


def newspaper_before_issue_date(tokens: Sequence[str], labels: Sequence[str]) -> list[str]:
    """``Title. Washington Post, June 16.``, ``Title. Observer, 3 December 2006``: with no
    journal labelled, the few capitalised words right after the title and right before
    a day-and-month date are the newspaper or magazine, not a note or a publisher."""
    result = list(labels)
    title = _first_run(result, "title")
    if title is None or "journal" in result or "container" in result:
        return result
    start = title[1]
    if start == len(result) or result[start] not in _NAME_RUNS:
        return result
    label, end = result[start], _run_end(result, start)
    stop = start
    while stop < end and tokens[stop][:1].isupper() and not _names_month(tokens[stop]):
        stop += 1
    if not 0 < stop - start <= _MAX_PAPER_TOKENS:
        return result
    if stop < end:  # the date is inside the run: ``Washington Post, June 16.`` as a note
        dated = label in _NOTE_RUNS and _starts_day_date(tokens, stop, end)
    else:  # the date follows the run: ``Observer,`` as a place, then ``3 December 2006``
        dated = end < len(result) and result[end] == "date"
        dated = dated and _starts_day_date(tokens, end, len(result))
    if dated:
        result[start:stop] = ["journal"] * (stop - start)
    return result


def volume_word_not_journal(tokens: Sequence[str], labels: Sequence[str]) -> list[str]:
    """``... In: Recht und Staat. 3. Jg. (2001), Heft 2``: a journal run that is
    only a volume word (``Heft``, ``Vol.``, ``No.``) names no journal, and the journal may
    still be found elsewhere; the word becomes a note, so the numbers after it are read
    as they were."""
    result = list(labels)
    run = _first_run(result, "journal")
    if run is not None and all(
        tokens[k].strip(".,:;").lower() in lexicon.VOLUME_WORDS for k in range(*run)
    ):
        result[run[0] : run[1]] = ["note"] * (run[1] - run[0])
    return result


def title_left_in_journal(tokens: Sequence[str], labels: Sequence[str]) -> list[str]:
    """``Ng, K., Ode, L. 2015. Sleep Loss and Memory in Older Adults. JAMA. 313(16)``:
    with no title labelled, a journal run made of sentences holds the title too; the
    short last sentence is the journal, the sentences before it are the title."""
    result = list(labels)
    if "title" in result:
        return result
    for label, start, end in _runs(result):
        if label in _CONTAINERS:
            cuts = [k for k in range(start, end - 1) if _SENTENCE_END.search(tokens[k])]
            if (
                cuts
                and end - cuts[-1] - 1 <= _MAX_NAME_TOKENS
                and _reads_as_sentence(tokens[start : cuts[-1] + 1])
            ):
                result[start : cuts[-1] + 1] = ["title"] * (cuts[-1] + 1 - start)
            return result
    return result


_MIN_SENTENCE_TOKENS = 4


def _reads_as_sentence(tokens: Sequence[str]) -> bool:
    """A title sentence has a few words and one full stop at its end; ``J. Phys. Chem.``
    or ``Int. J. Mod. Phys.`` is a string of abbreviations."""
    stops = sum(token.endswith(".") for token in tokens)
    return len(tokens) >= _MIN_SENTENCE_TOKENS and stops <= 1


_SERIES_WORDS = frozenset({"series", "reihe", "série", "serie", "collection"})


def series_not_journal(tokens: Sequence[str], labels: Sequence[str]) -> list[str]:
    """``Title. Policy Studies Series, Paris``: a name ending in ``Series``
    with no volume or pages after it is the book's series (collection title), not a
    journal (``Journal of Physics: Conference Series, 012``, with its volume, stays)."""
    result = list(labels)
    run = _first_run(result, "journal") or _first_run(result, "container")
    if run is None or {"volume", "pages"} & set(result[run[1] :]):
        return result
    if tokens[run[1] - 1].strip(",.;:").lower() in _SERIES_WORDS:
        result[run[0] : run[1]] = ["collection-title"] * (run[1] - run[0])
    return result


_SURNAME = re.compile(r"^[A-Z][a-z]+(?:[-'][A-Z][a-z]+)?,?$")


def short_cite_names_editors(tokens: Sequence[str], labels: Sequence[str]) -> list[str]:
    """``“Chapter.” In Lowe and Marsh, 15–51.`` (Chicago short form, the book cited in
    full elsewhere): ``In`` with only two surnames joined by ``and`` right before the pages
    names the book's editors, not its title."""
    result = list(labels)
    run = _first_run(result, "container")
    if run is None or run[1] - run[0] != 4 or run[1] == len(result) or result[run[1]] != "pages":
        return result
    marker, first, glue, second = tokens[run[0] : run[1]]
    names = _SURNAME.match(first) and _SURNAME.match(second) and not first.endswith(",")
    if marker in {"In", "in"} and glue in {"and", "&"} and names:
        result[run[0] : run[1]] = ["editor"] * 4
    return result


def imprint_not_journal(tokens: Sequence[str], labels: Sequence[str]) -> list[str]:
    """``Zarys gramatyki. Wydawnictwo Nauka, Kraków`` (a book): a "journal" of two
    comma parts, the last one word, that ends the reference with no volume or pages
    anywhere is the publisher and its place (a newspaper has its date after it)."""
    result = list(labels)
    run = _first_run(result, "journal")
    if run is None or run[1] != len(result) or {"volume", "pages", "container"} & set(result):
        return result
    start, end = run
    commas = [k for k in range(start, end - 1) if tokens[k].endswith(",")]
    if len(commas) == 1 and commas[0] == end - 2 and tokens[end - 1][:1].isupper():
        result[start : end - 1] = ["publisher"] * (end - 1 - start)
        result[end - 1] = "location"
    return result


_UNTITLED_RUNS = frozenset({"note", "genre", "publisher", "location"})


_BEFORE_TITLE = frozenset({"citation-number", "author", "date"})


def title_missing_after_authors(tokens: Sequence[str], labels: Sequence[str]) -> list[str]:
    """``Biden, J. (2021, May 12). Executive Order 14028. Retrieved ...``,
    ``Kerr, J. 2001. Ferns of Ohio. Columbus.``: when nothing is labelled title or
    journal, the first sentence after the authors and date is the title (every style puts
    it there), not a note, genre or publisher."""
    result = list(labels)
    if "title" in result or "journal" in result or "container" in result:
        return result
    index = 0
    while index < len(result) and result[index] in _BEFORE_TITLE:
        index = _run_end(result, index)
    if index == 0 or index == len(result) or result[index] not in _UNTITLED_RUNS:
        return result
    if "author" not in result[:index]:
        return result
    end = _run_end(result, index)
    stop = next((k + 1 for k in range(index, end) if _SENTENCE_END.search(tokens[k])), end)
    if tokens[stop - 1].endswith(",") and all(t[:1].isupper() for t in tokens[index:stop]):
        return result  # ``..., Tom Ng, Ann Pratt, and``: one more name of a cut-off list
    result[index:stop] = ["title"] * (stop - index)
    return result


_EDITION_WORDS = r"ed|eds|edn|edition|éd|édition|edición|edizione|aufl|auflage|druk|uitg"
_EDITION_WORD = re.compile(rf"(?i)\b(?:{_EDITION_WORDS}|rev)\b")


def edition_inside_title(tokens: Sequence[str], labels: Sequence[str]) -> list[str]:
    """``Committee Votes, 101st to 110th Sessions.``: an ordinal after
    the title is an edition only with an edition word (``2nd ed.``, ``3. Aufl.``); without
    one, the words are the title's."""
    result = list(labels)
    title = _first_run(result, "title")
    if title is None or title[1] == len(result) or result[title[1]] != "edition":
        return result
    start, end = title[1], _run_end(result, title[1])
    if not _EDITION_WORD.search(" ".join(tokens[start:end])):
        result[start:end] = ["title"] * (end - start)
    return result


def title_in_place_of_authors(tokens: Sequence[str], labels: Sequence[str]) -> list[str]:
    """``Safe water. (2001, May). City Life Magazine, 12(3)`` (APA without
    an author): the title moves to the authors' place before the date; a single sentence
    there with a plain lower-case word and no comma is that title, not a name."""
    result = list(labels)
    run = _first_run(result, "author")
    if run is None or "title" in result or "author" in result[run[1] :]:
        return result
    start, end = run
    if end == len(result) or result[end] != "date" or set(result[:start]) - {"citation-number"}:
        return result
    words = tokens[start:end]
    sentence_ends = sum(bool(_SENTENCE_END.search(token)) for token in words)
    if (
        sentence_ends <= 1
        and any(_plain_word(t) for t in words)
        and not any("," in t for t in words)
    ):
        result[start:end] = ["title"] * (end - start)
    return result


_EDITION_STATEMENT = re.compile(
    r"(?i)^(?:\d+(?:st|nd|rd|th|e|de|ste|er|ème|a|\.)?|rev\.?|revised|new|enl\.?)\s"
    rf"(?:{_EDITION_WORDS})\.?[,.;]?$"
)


def edition_left_in_title(tokens: Sequence[str], labels: Sequence[str]) -> list[str]:
    """``Einführung in die Statistik. 3. Aufl. Berlin: Springer``: an edition statement
    that ends the title run, after the title's own full stop, is the edition."""
    result = list(labels)
    run = _first_run(result, "title")
    if run is None or "edition" in result or run[1] - run[0] < 3:
        return result
    end = run[1]
    statement = _EDITION_STATEMENT.match(f"{tokens[end - 2]} {tokens[end - 1]}")
    if statement and _SENTENCE_END.search(tokens[end - 3]):
        result[end - 2 : end] = ["edition", "edition"]
    return result


def title_labelled_as_link(tokens: Sequence[str], labels: Sequence[str]) -> list[str]:
    """``Voedingscentrum. Magnesium. https://www.voedingscentrum.nl/...``: with no title
    labelled, the words that open a link's run but hold no link (the link itself is taken
    out before the repairs) are the web page's title, a short one the CRF ran into the URL."""
    result = list(labels)
    if "title" in result:
        return result
    for label, start, end in _runs(result):
        if label in {"url", "doi"}:
            words = start
            while words < end and not identifiers.may_hold_identifiers(tokens[words]):
                words += 1
            if words > start and _SENTENCE_END.search(tokens[words - 1]):
                result[start:words] = ["title"] * (words - start)
            return result
    return result


Repair = Callable[[Sequence[str], Sequence[str]], list[str]]


def _needs(spec: str) -> tuple[frozenset[str], tuple[frozenset[str], ...]]:
    """``"title journal|container"`` -> the labels all required, and the groups of which
    one is (kept apart so the common case is one subset test)."""
    groups = [frozenset(group.split("|")) for group in spec.split()]
    required = frozenset(label for group in groups if len(group) == 1 for label in group)
    return required, tuple(group for group in groups if len(group) > 1)


REPAIRS: tuple[tuple[Repair, tuple[frozenset[str], tuple[frozenset[str], ...]]], ...] = tuple(
    (repair, _needs(needed))
    for repair, needed in (
        (title_left_in_authors, "author"),
        (split_journal_from_title, "title volume pages"),
        (journal_left_in_title, "title"),
        (et_al_ends_authors, "author"),
        (journal_start_left_in_authors, "author"),
        (journal_name_left_in_title, "title journal"),
        (title_sentence_left_in_journal, "title"),
        (volume_word_not_journal, "journal"),
        (title_ends_at_in, "title"),
        (title_ends_at_imprint, "title"),
        (container_after_editors, "title editor"),
        (report_number_not_pages, "pages"),
        (quoted_title_ends_at_quote, "title"),
        (editors_left_in_container, "container editor"),
        (book_before_editor_marker, "editor"),
        (newspaper_before_issue_date, "title"),
        (title_left_in_journal, "journal|container"),
        (series_not_journal, "journal|container"),
        (short_cite_names_editors, "container pages"),
        (imprint_not_journal, "journal"),
        (title_missing_after_authors, "author"),
        (edition_inside_title, "title edition"),
        (title_in_place_of_authors, "author date"),
        (edition_left_in_title, "title"),
        (title_labelled_as_link, "url|doi"),
    )
)
"""The repairs in the order they run, each with the labels it needs to find anything
(``journal|container``: either will do; a repair is skipped, cheaply, when one is
missing)."""


def repair_labels(tokens: Sequence[str], labels: Sequence[str]) -> list[str]:
    """All repairs, in order."""
    result = list(labels)
    present = set(result)
    for repair, (required, one_of) in REPAIRS:
        if required <= present and all(not group.isdisjoint(present) for group in one_of):
            repaired = repair(tokens, result)
            if repaired != result:
                result = repaired
                present = set(result)
    return result
