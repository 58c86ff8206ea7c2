"""Fix the CRF's labels where it is known to stumble, before fields are read.

Small, rule-based repairs for patterns that are rare in the training data:
the journal of a BMC-style ``Title. Journal 2003, 97:905`` reference, and the
book title of a chapter that follows its editors.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache
from itertools import pairwise

from refman.parsing import lexicon

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


def _runs(labels: Sequence[str]) -> tuple[tuple[str, int, int], ...]:
    """``(label, start, end)`` for each run of equal labels."""
    return _label_runs(tuple(labels))


@lru_cache(maxsize=32)
def _label_runs(labels: tuple[str, ...]) -> tuple[tuple[str, int, int], ...]:
    """``_runs``, remembered: most repairs read the runs of the same labels, which change
    only when a repair fires."""
    runs: list[tuple[str, int, int]] = []
    start = 0
    for index in range(1, len(labels) + 1):
        if index == len(labels) or labels[index] != labels[start]:
            runs.append((labels[start], start, index))
            start = index
    return tuple(runs)


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
            and not _inside_quote(tokens, start, index)
        ):
            if "container" in result[:start]:
                return result
            result[index:end] = ["container"] * (end - index)
            return result
    return result


_DOUBLE_OPEN = frozenset('"“„«')
_DOUBLE_CLOSE = re.compile(r"[\"”»]\W*$")


def _inside_quote(tokens: Sequence[str], start: int, index: int) -> bool:
    """``“... React to Autism Speaks ‘Change’ in Mission Statement.”``: whether the title
    that starts at ``start`` opened a double quote that is still open at ``index`` (an
    ``in`` there is the title's word, after an inner single quote, not the container's)."""
    if tokens[start][:1] not in _DOUBLE_OPEN:
        return False
    return not any(_DOUBLE_CLOSE.search(token) for token in tokens[start:index])


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
        previous = tokens[start - 1].lower().strip(",;:") if start else ""
        if label == "pages" and previous in _REPORT_WORDS and "report" in " ".join(tokens).lower():
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
        names = _capitalised_last_sentence(tokens, start, end, _MAX_EDITOR_TOKENS)
        if names is not None:
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


_VENUE_WORDS = frozenset({"at", "held"})
_VENUE_AFTER_HELD = frozenset({"at", "in", "on"})


def _starts_venue(tokens: Sequence[str], index: int) -> bool:
    """``, at Bologna`` or ``, held at Monash University``: a comma part that says where
    a meeting took place."""
    word = tokens[index].lower()
    if not tokens[index - 1].endswith(",") or word not in _VENUE_WORDS:
        return False
    return word == "at" or (
        index + 1 < len(tokens) and tokens[index + 1].lower() in _VENUE_AFTER_HELD
    )


def venue_ends_container(tokens: Sequence[str], labels: Sequence[str]) -> list[str]:
    """``Proceedings of the XI Colloquium on Musical Informatics, at Bologna, Italy``: the
    meeting's name ends before the comma part that gives its venue (``at``, ``held at``);
    the venue is a note, not part of the book or journal title."""
    result = list(labels)
    for label, start, end in _runs(result):
        if label in _CONTAINERS:
            venue = next((k for k in range(start + 1, end) if _starts_venue(tokens, k)), None)
            if venue is not None:
                result[venue:end] = ["note"] * (end - venue)
            return result
    return result


_MAX_JOURNAL_HEAD = 4
_ARTICLES = frozenset({"a", "an", "the"})


def journal_head_left_in_title(tokens: Sequence[str], labels: Sequence[str]) -> list[str]:
    """``..., Fi-nance and | Stochastics 5(1)``, ``Digital Investigation: The | International
    Journal of ...``: no title ends with a bare ``and``, ``of`` or ``The``, so when one
    closes the title right before the journal, the words after the title's last
    punctuation begin the journal."""
    result = list(labels)
    for (label, start, end), (next_label, _, _) in pairwise(_runs(result)):
        if label != "title" or next_label not in _CONTAINERS:
            continue
        word = tokens[end - 1]
        if word.lower() not in lexicon.LINK_WORDS | _ARTICLES:
            return result
        cut = end - 1
        while cut > start and tokens[cut - 1][-1:] not in ",.:;":
            cut -= 1
        if cut > start and end - cut <= _MAX_JOURNAL_HEAD:
            result[cut:end] = [next_label] * (end - cut)
        return result
    return result


_INSTITUTION_WORDS = frozenset(
    {"department", "dept", "university", "universität", "université", "universidad", "universiteit"}
)


def _names_institution(tokens: Sequence[str]) -> bool:
    """``Imperial University of Tokyo,``, ``Department of Computer Science,``: a comma part
    that names a university or one of its departments."""
    return any(token.strip(",.;:").lower() in _INSTITUTION_WORDS for token in tokens)


def institution_ends_container(tokens: Sequence[str], labels: Sequence[str]) -> list[str]:
    """``Journal of the College of Science, Imperial University of Tokyo, vol. 7``: a comma
    part after the name that names a university or department is the publisher, not part
    of the journal or proceedings title."""
    result = list(labels)
    for label, start, end in _runs(result):
        if label not in _CONTAINERS:
            continue
        commas = [k + 1 for k in range(start, end - 1) if tokens[k].endswith(",")]
        for part_start, part_end in pairwise([*commas, end]):
            if _names_institution(tokens[part_start:part_end]):
                result[part_start:end] = ["publisher"] * (end - part_start)
                break
        return result
    return result


def _editor_marker(token: str) -> bool:
    """``ed.``, ``(eds.),``, ``(dir.)``, ``Hrsg.``: a word that says the names are editors."""
    return token.lower().rstrip(",;:") in lexicon.EDITOR_MARKERS


def book_start_left_in_editors(tokens: Sequence[str], labels: Sequence[str]) -> list[str]:
    """``in Bill Puka, ed. Moral Development: Defining Perspectives``: when the book title
    follows the editors, what the editor run holds after its ``ed.`` belongs to the book
    (container) run that comes next, not to the names."""
    result = list(labels)
    for (label, start, end), (next_label, _, _) in pairwise(_runs(result)):
        if label == "editor" and next_label == "container":
            marker = next((k for k in range(end - 2, start, -1) if _editor_marker(tokens[k])), None)
            if marker is not None and tokens[marker + 1][:1].isupper():
                result[marker + 1 : end] = ["container"] * (end - marker - 1)
            return result
    return result


_BRACKETED_EDITORS = re.compile(r"(?i)^\((?:eds?|dir|hrsg|coord|red|éds?)\.?\)[,.:;]?$")
_BOOK_ENDS = frozenset({"location", "publisher", "date", "pages", "volume", "url", "doi"})


def _names_before(tokens: Sequence[str], marker: int) -> int:
    """Where the names before an editor marker start: after the last token that ends a
    field (``»,``, ``Title.``), at most ``_MAX_NAME_TOKENS`` back; ``marker`` if none."""
    start = marker
    while start > 0 and marker - start < _MAX_NAME_TOKENS:
        if not tokens[start - 1][:1].isupper() and tokens[start - 1] not in _NAME_GLUE:
            break
        if tokens[start - 1][-1:] in ',.;:»”"':
            break
        start -= 1
    return start if start > 0 and tokens[start - 1][-1:] in ',.;:»”"' else marker


def book_after_bracketed_editors(tokens: Sequence[str], labels: Sequence[str]) -> list[str]:
    """``« Chapter », Pierre Birnbaum (dir.), Les élites au pouvoir, Paris``: after a quoted
    (chapter) title, the names before ``(dir.)``/``(eds.)`` are its editors and the words
    after them, up to the place, publisher or numbers, are the book (container); after a
    book's unquoted title (``Title, Michael Holquist (ed.), Caryl Emerson (trans.)``) they
    are not."""
    result = list(labels)
    title = _first_run(result, "title")
    if (
        title is None
        or tokens[title[0]][:1] not in _OPEN_QUOTES
        or {"container", "journal"} & set(result)
    ):
        return result
    marker = next((k for k, token in enumerate(tokens) if _BRACKETED_EDITORS.match(token)), None)
    if marker is None:
        return result
    names = _names_before(tokens, marker)
    end = marker + 1
    while end < len(result) and result[end] not in _BOOK_ENDS:
        end += 1
    if names < marker and "title" in result[:names] and end > marker + 1:
        result[names : marker + 1] = ["editor"] * (marker + 1 - names)
        result[marker + 1 : end] = ["container"] * (end - marker - 1)
    return result


def _book_words(tokens: Sequence[str]) -> bool:
    """``A Manual of Acarology,``: a lower-case word that no name has (``of``, ``the``),
    and no initials, so the words are a title, not a list of names."""
    words = [token.rstrip(",;:") for token in tokens]
    has_link = any(word.islower() and word not in _NAME_GLUE | lexicon.PARTICLES for word in words)
    return has_link and not any(_INITIAL_END.match(word) for word in words)


def book_before_trailing_editors(tokens: Sequence[str], labels: Sequence[str]) -> list[str]:
    """``In: A Manual of Acarology, Krantz G.W and D.E. Walter Eds., Third Edition``: in an
    editor run that opens with ``In`` and closes with ``Eds.``, a first comma part that
    reads as a title is the book (container), the rest are the editors."""
    result = list(labels)
    run = _first_run(result, "editor")
    if run is None or {"container", "journal"} & set(result):
        return result
    start, end = run
    if tokens[start].lower().rstrip(":") not in lexicon.CONTAINER_MARKERS:
        return result
    comma = next((k for k in range(start + 1, end - 1) if tokens[k].endswith(",")), None)
    if (
        comma is not None
        and _editor_marker(tokens[end - 1])
        and _book_words(tokens[start + 1 : comma + 1])
    ):
        result[start : comma + 1] = ["container"] * (comma + 1 - start)
    return result


_CONTINUING_WORDS = frozenset({"in", "of", "and", "for", "on", "&"})


def journal_runs_on_after_bare_word(tokens: Sequence[str], labels: Sequence[str]) -> list[str]:
    """``the History of Science and Technology in China, 1.``: a field does not start with
    a lower-case ``in`` or ``of`` right after a journal word with no punctuation, so the
    words up to the next punctuation still belong to the journal or book title."""
    result = list(labels)
    for (label, _, end), (next_label, _, next_end) in pairwise(_runs(result)):
        if label in _CONTAINERS and next_label not in _CONTAINERS:
            if tokens[end] in _CONTINUING_WORDS and tokens[end - 1][-1:].isalnum():
                stop = next((k for k in range(end, next_end) if not tokens[k][-1:].isalnum()), None)
                if stop is not None:
                    result[end : stop + 1] = [label] * (stop + 1 - end)
            return result
    return result


_ABBREVIATED_JOURNAL = re.compile(r"^[A-Z][A-Za-z&]{1,9},$")


def journal_left_in_volume(tokens: Sequence[str], labels: Sequence[str]) -> list[str]:
    """``Kempner J.C., David L.P., 2004b, MNRAS, 349, 385`` (astronomy style): with no
    journal labelled, a single capitalised word before the volume number, which is not
    ``Vol.`` or ``No.``, is the abbreviated journal the CRF read as part of the volume."""
    result = list(labels)
    if {"journal", "container"} & set(result):
        return result
    run = _first_run(result, "volume")
    if run is None or run[1] - run[0] < 2:
        return result
    token = tokens[run[0]]
    if _ABBREVIATED_JOURNAL.match(token) and token.rstrip(",").lower() not in lexicon.VOLUME_WORDS:
        result[run[0]] = "journal"
    return result


_BRACKETED_ACRONYM = re.compile(r"^\((?=[^)]*[A-Za-z]{2})[^()\s]+\)[,.:;]?$")


def acronym_ends_container(tokens: Sequence[str], labels: Sequence[str]) -> list[str]:
    """``in Proc. Conf. Digital Audio Effects (DAFx-98), 1998``: a bracketed acronym right
    after a meeting's or journal's name is part of the name, not its date (a month or a
    season in brackets stays a date)."""
    result = list(labels)
    for (label, _, end), (next_label, _, _) in pairwise(_runs(result)):
        if label in _CONTAINERS and next_label == "date":
            token = tokens[end]
            word = token.strip("()[],.:;").lower()
            dated = _names_month(word) or word in lexicon.SEASONS
            if _BRACKETED_ACRONYM.match(token) and not dated:
                result[end] = label
            return result
    return result


def bracketed_container_ends_at_bracket(tokens: Sequence[str], labels: Sequence[str]) -> list[str]:
    """``[The Encyclopedia of Optical Engineering]. Marcel Dekker, New York``: a book title
    given in square brackets ends where the bracket closes; what the CRF ran on after it is
    the publisher."""
    result = list(labels)
    for label, start, end in _runs(result):
        if label in _CONTAINERS:
            if tokens[start].startswith("["):
                close = next((k for k in range(start, end - 1) if "]" in tokens[k]), None)
                if close is not None:
                    result[close + 1 : end] = ["publisher"] * (end - close - 1)
            return result
    return result


_ORDINAL = re.compile(r"^\d+(?:st|nd|rd|th|e|er|ème)$")


def ordinal_inside_meeting_name(tokens: Sequence[str], labels: Sequence[str]) -> list[str]:
    """``Appalachian Research Initiative, 2nd Annual Meeting, Morgantown``: an ordinal
    between two parts of a meeting's name numbers the meeting; it is not a volume, and
    both parts are one name."""
    result = list(labels)
    runs = _runs(result)
    for (label, _, _), (middle, start, end), (next_label, _, next_end) in zip(
        runs, runs[1:], runs[2:], strict=False
    ):
        ordinal = middle == "volume" and end - start == 1 and _ORDINAL.match(tokens[start])
        if label in _CONTAINERS and next_label in _CONTAINERS and ordinal:
            result[start:next_end] = [label] * (next_end - start)
            return result
    return result


def newspaper_left_in_title(tokens: Sequence[str], labels: Sequence[str]) -> list[str]:
    """``Botswana Prepares for War? Sunday Standard, July 2, 2008``: with no journal
    labelled and a day-and-month date right after the title, the title's short last
    sentence in capitalised words is the newspaper, even when the title before it is in
    title case too (which ``journal_left_in_title`` cannot tell apart without the date)."""
    result = list(labels)
    run = _first_run(result, "title")
    if run is None or {"journal", "container"} & set(result):
        return result
    start, end = run
    if (
        end == len(result)
        or result[end] != "date"
        or not _starts_day_date(tokens, end, len(tokens))
    ):
        return result
    name = _capitalised_last_sentence(tokens, start, end, _MAX_PAPER_TOKENS)
    if name is not None:
        result[name.start : end] = ["journal"] * len(name)
    return result


def _capitalised_last_sentence(
    tokens: Sequence[str], start: int, end: int, limit: int
) -> range | None:
    """Where the last sentence of ``tokens[start:end]`` lies when it is at most ``limit``
    capitalised words (a name: ``Tim Ingold``, ``Sunday Standard``); None otherwise."""
    cuts = [k for k in range(start, end - 1) if _SENTENCE_END.search(tokens[k])]
    words = range(cuts[-1] + 1, end) if cuts else range(0)
    if 0 < len(words) <= limit and all(tokens[k][:1].isupper() for k in words):
        return words
    return None


_PRESENTED = re.compile(r"(?i)^(?:paper|papers|poster|posters)(?: session)? presented at$")
_PRESENTED_RUNS = frozenset({"title", "note", "genre"})


def meeting_after_presented_at(tokens: Sequence[str], labels: Sequence[str]) -> list[str]:
    """``Title. Paper presented at the IEEE Symposium on 3D User Interfaces, Orlando``
    (APA): the meeting a paper or poster was presented at is its container, from
    ``Paper presented at`` to the end of the run the CRF gave it (a note or the title's
    tail)."""
    result = list(labels)
    if {"journal", "container"} & set(result) or "presented" not in tokens:
        return result
    for index in range(1, len(tokens) - 3):
        if result[index] not in _PRESENTED_RUNS or not _SENTENCE_END.search(tokens[index - 1]):
            continue
        for size in (3, 4):
            if _PRESENTED.match(" ".join(tokens[index : index + size])):
                end = _run_end(result, index)
                result[index:end] = ["container"] * (end - index)
                return result
    return result


def volume_word_not_journal(tokens: Sequence[str], labels: Sequence[str]) -> list[str]:
    """``... In: Verwaltung und Management. 10. Jg. (2004), Heft 4``: a journal run that is
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


def book_before_bracketed_editor(tokens: Sequence[str], labels: Sequence[str]) -> list[str]:
    """``Title of the chapter, MENC Handbook of Research Methodologies (Ed. Colwell, R.),
    Oxford University Press``: the title-case last comma part of the title right before
    a bracketed ``(Ed.`` is the book the editor edited (container)."""
    result = list(labels)
    for (label, start, end), (next_label, editor, _) in pairwise(_runs(result)):
        if label != "title" or next_label != "editor":
            continue
        if tokens[editor].startswith("(") and _editor_marker(tokens[editor].lstrip("(")):
            cut = _journal_cut(tokens, start, end, lambda token: token.endswith(","))
            if cut is not None and "container" not in result and "journal" not in result:
                result[cut:end] = ["container"] * (end - cut)
        return result
    return result


def book_before_imprint(tokens: Sequence[str], labels: Sequence[str]) -> list[str]:
    """``“Letter to a Friend,” Civil Wars (Boston: Beacon Press, 1981), 23-28`` (Chicago
    note): after a quoted title, the capitalised words before the bracketed place and
    publisher are the book (container), not part of the place."""
    result = list(labels)
    title = _first_run(result, "title")
    if title is None or tokens[title[0]][:1] not in _OPEN_QUOTES or title[1] == len(result):
        return result
    start = title[1]
    if result[start] != "location" or {"container", "journal"} & set(result):
        return result
    bracket = next(
        (k for k in range(start, _run_end(result, start)) if tokens[k].startswith("(")), None
    )
    if bracket is not None and bracket > start and _title_case(tokens[start:bracket]):
        result[start:bracket] = ["container"] * (bracket - start)
    return result


def title_left_in_journal(tokens: Sequence[str], labels: Sequence[str]) -> list[str]:
    """``Viatte, S., ... 2015. Association of HLA Haplotypes With Severity. JAMA. 313(16)``:
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
    """``Title. Trends in Higher Education Series, New York``: a name ending in ``Series``
    with no volume or pages after it is the book's series (collection title), not a
    journal (``Journal of Physics: Conference Series, 012``, with its volume, stays)."""
    result = list(labels)
    run = _first_run(result, "journal") or _first_run(result, "container")
    if run is None or {"volume", "pages"} & set(result[run[1] :]):
        return result
    if tokens[run[1] - 1].strip(",.;:").lower() in _SERIES_WORDS:
        result[run[0] : run[1]] = ["collection-title"] * (run[1] - run[0])
    return result


def title_runs_on_through_in(tokens: Sequence[str], labels: Sequence[str]) -> list[str]:
    """``... for applications in planetary research, Workshop on Impact Cratering. 2003``:
    an ``in`` right after a title word with no punctuation (neither a full stop, a comma
    nor a quote) continues the title's sentence; it does not open a container the way
    ``Title. In Book`` or ``In: Book`` does."""
    result = list(labels)
    for (label, _, end), (next_label, start, next_end) in pairwise(_runs(result)):
        if label == "title" and next_label == "container":
            if tokens[start] in {"in", "In"} and tokens[end - 1][-1:].isalnum():
                result[start:next_end] = ["title"] * (next_end - start)
            return result
    return result


_SURNAME = re.compile(r"^[A-Z][a-z]+(?:[-'][A-Z][a-z]+)?,?$")


def short_cite_names_editors(tokens: Sequence[str], labels: Sequence[str]) -> list[str]:
    """``“Chapter.” In Prazniak and Dirlik, 15–51.`` (Chicago short form, the book cited in
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


def author_after_title_not_journal(tokens: Sequence[str], labels: Sequence[str]) -> list[str]:
    """``Title? Webster, M. 2002 Energy Journal, 23(2)`` (authors after the title): a first
    journal run shaped like a name, ``Surname, I.``, with a second journal run later, is
    the author."""
    result = list(labels)
    runs = [(start, end) for label, start, end in _runs(result) if label == "journal"]
    if len(runs) < 2 or "author" in result:
        return result
    start, end = runs[0]
    name = tokens[start:end]
    initials = all(_INITIAL_END.match(token.rstrip(",")) for token in name[1:])
    if len(name) >= 2 and _SURNAME.match(name[0]) and name[0].endswith(",") and initials:
        result[start:end] = ["author"] * (end - start)
    return result


_UNIT_WORDS = frozenset({"school", "department", "dept.", "faculty"})


def institution_not_container(tokens: Sequence[str], labels: Sequence[str]) -> list[str]:
    """``Thesis: Title, School of Civil Engineering, Queensland University of Technology,
    2003``: a "journal" that starts with ``School of`` or ``Department of`` and has no
    volume or pages after it is the thesis's or report's institution (publisher)."""
    result = list(labels)
    for label, start, end in _runs(result):
        if label in _CONTAINERS:
            unit = tokens[start].lower() in _UNIT_WORDS and end - start > 2
            if unit and tokens[start + 1] == "of" and not {"volume", "pages"} & set(result[end:]):
                result[start:end] = ["publisher"] * (end - start)
            return result
    return result


def place_ends_title(tokens: Sequence[str], labels: Sequence[str]) -> list[str]:
    """``... in the giant Morokweng impact crater, South Africa, Nature, v. 441``: a journal
    run whose first comma part is a country or region names the place the title is
    about; the journal starts after it (a run that is only the place, ``... at Lake Hoare,
    Antarctica. 715-728``, is no journal at all)."""
    result = list(labels)
    for (label, _, _), (next_label, start, end) in pairwise(_runs(result)):
        if label == "title" and next_label in _CONTAINERS:
            comma = next((k for k in range(start, end) if tokens[k].endswith(",")), end - 1)
            place = " ".join(tokens[start : comma + 1]).rstrip(",.").lower()
            if place in lexicon.PLACES:
                result[start : comma + 1] = ["title"] * (comma + 1 - start)
            return result
    return result


def imprint_not_journal(tokens: Sequence[str], labels: Sequence[str]) -> list[str]:
    """``Problemy składni polskiej. BEL Studio, Warszawa`` (a book): a "journal" of two
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


Repair = Callable[[Sequence[str], Sequence[str]], list[str]]
_REPAIRS: tuple[tuple[Repair, tuple[frozenset[str], ...]], ...] = tuple(
    (repair, tuple(frozenset(group.split("|")) for group in needed.split()))
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
        (book_after_bracketed_editors, "title"),
        (quoted_title_ends_at_quote, "title"),
        (editors_left_in_container, "container editor"),
        (book_before_editor_marker, "editor"),
        (newspaper_before_issue_date, "title"),
        (venue_ends_container, "journal|container"),
        (journal_head_left_in_title, "title journal|container"),
        (institution_ends_container, "journal|container"),
        (book_start_left_in_editors, "editor container"),
        (book_before_trailing_editors, "editor"),
        (journal_runs_on_after_bare_word, "journal|container"),
        (journal_left_in_volume, "volume"),
        (acronym_ends_container, "date journal|container"),
        (bracketed_container_ends_at_bracket, "journal|container"),
        (ordinal_inside_meeting_name, "volume journal|container"),
        (newspaper_left_in_title, "title date"),
        (meeting_after_presented_at, "title"),
        (book_before_bracketed_editor, "title editor"),
        (book_before_imprint, "title location"),
        (title_left_in_journal, "journal|container"),
        (series_not_journal, "journal|container"),
        (title_runs_on_through_in, "title container"),
        (short_cite_names_editors, "container pages"),
        (author_after_title_not_journal, "journal"),
        (institution_not_container, "journal|container"),
        (place_ends_title, "title journal|container"),
        (imprint_not_journal, "journal"),
    )
)
"""The repairs in the order they run, each with the labels it needs to find anything
(``journal|container``: either will do; a repair is skipped, cheaply, when one is
missing)."""


def repair_labels(tokens: Sequence[str], labels: Sequence[str]) -> list[str]:
    """All repairs, in order."""
    result = list(labels)
    present = set(result)
    for repair, needed in _REPAIRS:
        if all(not group.isdisjoint(present) for group in needed):
            repaired = repair(tokens, result)
            if repaired != result:
                result = repaired
                present = set(result)
    return result
