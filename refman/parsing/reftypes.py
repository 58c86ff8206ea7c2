"""The CSL type of a parsed reference, from the fields found and a few telling words."""

from __future__ import annotations

import re

from refman.model import CslItem

_REPORT_NUMBER = re.compile(
    r"(?i)\b(?:report|rapport|paper|bericht)\s*(?:no|nr|number|n°)?\.?\s*:?\s*"
    r"([A-Z]*[-\w./]*\d[-\w./]*)"
)
_WORD = re.compile(r"[^\W\d_]+")


class _Clue:
    """Words and phrases that point to a type (word sets make the test one lookup)."""

    def __init__(self, words: str, phrases: tuple[str, ...] = ()) -> None:
        self.words = frozenset(words.split())
        self.phrases = phrases

    def in_text(self, text: str) -> bool:
        lower = text.lower()
        if any(phrase in lower for phrase in self.phrases):
            return True
        return not self.words.isdisjoint(_WORD.findall(lower))


_THESIS = _Clue(
    "thesis dissertation proefschrift doctoral phd master masters", ("ph.d", "ph. d", "diss.")
)
_REPORT = _Clue("report rapport bericht", ("working paper", "technical note", "white paper"))
_MEETING = _Clue("conference congress symposium workshop meeting tagung congres colloquium")
_PROCEEDINGS = _Clue("proceedings proc")
_PREPRINT = _Clue("arxiv biorxiv medrxiv preprint ssrn psyarxiv", ("research square",))
_DATASET = _Clue("dataset zenodo dryad figshare pangaea", ("data set",))


def _is_serial(text: str) -> bool:
    """``2020;117:1-10`` (Vancouver's year;volume:pages): the mark of a journal, so ``Proc
    Natl Acad Sci USA`` is one, not a conference."""
    return bool(_VANCOUVER_NUMBERS.search(text))


_VANCOUVER_NUMBERS = re.compile(r"\b(?:1[6-9]|20)\d\d[a-z]?;\s*\d")


def _is_conference(item: CslItem, container: str, journal: bool, text: str) -> bool:
    """A meeting's name makes a conference paper; ``Proceedings``/``Proc`` alone does not
    when a journal's volume and pages follow (``Proc Natl Acad Sci USA 94:12845-12850``,
    ``Proceedings of the IEEE, vol. 92, pp. 469-484``, ``J Food Proc Preserv 20:105``)."""
    serial = journal and "volume" in item and ("page" in item or _is_serial(text))
    if _MEETING.in_text(container):
        return not (serial and _is_serial(text))
    return _PROCEEDINGS.in_text(container) and not serial


def infer_type(item: CslItem, fields: dict[str, str], text: str) -> str:
    """The CSL type from the fields found and a few telling words."""
    genre = fields.get("genre", "") + " " + fields.get("note", "")
    container = str(item.get("container-title", ""))
    journal = "journal" in fields
    if "arXiv" in item or _PREPRINT.in_text(container + " " + genre):
        return "article"
    if not journal and _DATASET.in_text(text):
        return "dataset"
    if _THESIS.in_text(genre) or (not journal and _THESIS.in_text(text)):
        return "thesis"
    if _REPORT.in_text(genre) or (not container and _REPORT.in_text(text)):
        return "report"
    if _is_conference(item, container, journal, text):
        return "paper-conference"
    if journal or ("container" in fields and "volume" in fields and "editor" not in fields):
        return "article-journal"
    if "container" in fields or ("editor" in item and "author" in item):
        return "chapter"  # editors with no author of their own edited the whole book
    printed = any(key in item for key in ("publisher-place", "edition", "ISBN"))
    if "URL" in item and ("accessed" in item or "publisher" not in item) and not printed:
        return "webpage"  # a book read online keeps its place, edition or ISBN
    if "publisher" in item or "ISBN" in item:
        return "book"
    return "article-journal" if "volume" in item or "page" in item else "document"


def report_number(text: str) -> str | None:
    """``Technical Report No. 42`` -> ``42``."""
    match = _REPORT_NUMBER.search(text)
    return match.group(1).rstrip(".,;:") if match else None
