"""Does an entry agree with the record of its DOI? Field by field (pure).

Each field that disagrees becomes a finding whose message shows both sides
(``year: entry 2019, Crossref 2018``). Severity grows with how much disagrees:
a differing issue or journal name is a warning, a wrong author, year, volume
or page is an error (a year matching the record's print or online date is
not wrong), and when several core fields disagree the DOI belongs to another
work altogether.

A title that alone disagrees is only a warning here (references cite works
under translated or shortened titles); it becomes an error when the title is
shown to belong to another work (``chimera_finding``).

When the entry was parsed from free text, ``raw`` is that text: a disagreement
is then only reported when the record's value does not occur in the text at
all, so a parser's mistake is not blamed on the reference.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from refman.audit.findings import Finding, Severity
from refman.audit.records import record_value, record_years
from refman.audit.text import (
    display_name,
    fold,
    number_key,
    page_range,
    same_person,
    surname,
    title_similarity,
    words_in,
)
from refman.model import CslItem, CslName, creators, family_name, issued_year, text_field

TITLE_AGREES = 0.75
"""Title similarity at or above which an entry's title is the record's."""

CHIMERA_TITLE = 0.9
"""Similarity at which an entry's title is taken to be another work's title."""

_IDENTIFIERS = re.compile(r"(?:doi:?\s*|https?://\S*)?10\.\d{4,9}/\S+|https?://\S+", re.IGNORECASE)
"""DOIs and URLs, whose digits must not count as the reference's year or volume."""

SPELLING = 75
"""Surname similarity (0-100) above which two names are one name misspelt (Azjen, Ajzen)."""

_RANGES = re.compile(r"[A-Za-z]?\d+[A-Za-z]?\s*[-–]+\s*[A-Za-z]?\d+")
"""Page ranges in a reference's text, whose numbers are not volumes or years."""

_HEAD_WORDS = 4
"""Words at the start of a reference where its first author's name stands."""

CORE_FIELDS = frozenset({"author", "title", "issued", "volume", "page"})
"""Fields whose disagreement makes an entry an error (see the issue's json contract)."""

_SOFT = frozenset({"author_order", "author_spelling"})
"""Author findings that do not mean the record is another work."""


@dataclass(frozen=True)
class _Context:
    entry: CslItem
    record: CslItem
    raw_words: set[str] | None
    raw_head: str = ""
    raw_numbers: frozenset[str] = frozenset()

    def excused(self, theirs: Sequence[str]) -> bool:
        """A parser's mistake: the text gives the record's number, outside any page range.

        A number inside a page range (``13-47``) does not excuse a volume 47 the
        entry lacks: that is how a shifted volume would hide.
        """
        return any(number_key(value) in self.raw_numbers for value in theirs)

    @classmethod
    def of(cls, entry: CslItem, record: CslItem, raw: str | None) -> _Context:
        """The context of one comparison; DOIs and URLs are taken out of the raw text."""
        if raw is None:
            return cls(entry, record, None)
        text = _IDENTIFIERS.sub(" ", raw)
        head = " ".join(fold(text).split()[:_HEAD_WORDS])
        numbers = frozenset(number_key(n) for n in re.findall(r"\d+", _RANGES.sub(" ", text)))
        return cls(entry, record, words_in(text), head, numbers)

    def opens_with(self, name: CslName) -> bool:
        """True when the raw text starts with this name: the parser read the first author right."""
        head = self.raw_head.split()
        words = [*fold(family_name(name)).split(), *fold(name.get("given", "")).split()]
        return any(len(w) > 1 and w in head for w in words)

    def in_raw(self, value: str) -> bool:
        """True when the record's value occurs in the raw reference text."""
        if self.raw_words is None:
            return False
        wanted = fold(value).split()
        return bool(wanted) and all(w in self.raw_words for w in wanted)


def compare(entry: CslItem, record: CslItem, raw: str | None = None) -> list[Finding]:
    """Findings for every field on which ``entry`` disagrees with ``record``."""
    context = _Context.of(entry, record, raw)
    findings = [f for check in _CHECKS if (f := check(context)) is not None]
    if sum(map(_disagrees, findings)) >= 2:
        findings = [_as_error(f) if _disagrees(f) else f for f in findings]
        findings.insert(0, _wrong_record(record))
    return findings


def _disagrees(finding: Finding) -> bool:
    """A core field differs (not merely a misspelt or reordered author)."""
    return finding.field in CORE_FIELDS and finding.code not in _SOFT


def corroborates(entry: CslItem, record: CslItem, raw: str | None = None) -> bool:
    """Whether ``record`` is surely the entry's work though a resolver was unsure of it.

    Both must give title, year, first author and a volume or page, and none of
    these may disagree: a mixed-up or altered reference always disagrees on one.
    """
    for item in (entry, record):
        numbers = text_field(item, "volume") or page_range(item)
        named = creators(item) and surname(creators(item)[0])
        if not (text_field(item, "title") and record_years(item) and named and numbers):
            return False
    return not any(map(_disagrees, compare(entry, record, raw)))


def _as_error(finding: Finding) -> Finding:
    return Finding(finding.code, "error", finding.message, finding.field)


def _wrong_record(record: CslItem) -> Finding:
    return Finding(
        "wrong_record",
        "error",
        f"the DOI belongs to another work: {describe(record)}; "
        "check that the DOI and the reference are the same work",
        "DOI",
    )


def describe(item: CslItem) -> str:
    """``Jones K (2018) 'Title', Journal 12:34`` — a record in one line for messages."""
    names = creators(item)
    who = display_name(names[0]) if names else "anonymous"
    years = record_years(item)
    year = f" ({years[0]})" if years else ""
    where = text_field(item, "container-title")
    volume = text_field(item, "volume")
    page = text_field(item, "page")
    numbers = f" {volume}" if volume else ""
    numbers += f":{page}" if page else ""
    return f"{who}{year} '{text_field(item, 'title')}'" + (f", {where}{numbers}" if where else "")


def _authors(context: _Context) -> Finding | None:
    entry_names = creators(context.entry)
    record_names = creators(context.record)
    if not entry_names or not record_names or not surname(record_names[0]):
        return None
    first = entry_names[0]
    if same_person(first, record_names[0]):
        return None
    if context.in_raw(surname(record_names[0])) and not context.opens_with(first):
        return None
    theirs = display_name(record_names[0])
    mine = display_name(first)
    if any(same_person(first, other) for other in record_names[1:]):
        return Finding(
            "author_order",
            "warning",
            f"authors: entry has {mine} first, record has {theirs} first",
            "author",
        )
    if fuzz.ratio(surname(first), surname(record_names[0])) >= SPELLING:
        return Finding(
            "author_spelling",
            "warning",
            f"authors: entry has {mine} first, record spells it {theirs}",
            "author",
        )
    return Finding(
        "author_mismatch",
        "error",
        f"authors: entry has {mine} first, record has {theirs}",
        "author",
    )


def _title(context: _Context) -> Finding | None:
    mine = text_field(context.entry, "title")
    theirs = text_field(context.record, "title")
    if not mine or not theirs or title_similarity(mine, theirs) >= TITLE_AGREES:
        return None
    if context.raw_words is not None and _title_in_raw(theirs, context.raw_words):
        return None
    return Finding(
        "title_mismatch",
        "warning",
        f"title: entry '{mine}', Crossref '{theirs}' (a translated or shortened title?)",
        "title",
    )


def _title_in_raw(title: str, raw_words: set[str]) -> bool:
    words = fold(title).split()
    return bool(words) and sum(w in raw_words for w in words) >= 0.8 * len(words)


def _year(context: _Context) -> Finding | None:
    mine = issued_year(context.entry)
    years = record_years(context.record)
    if mine is None and years and context.raw_words is not None:
        return _year_absent(context, years)
    if mine is None or not years or mine in years:
        return None
    if context.excused([str(y) for y in years]):
        return None
    return Finding("year_mismatch", "error", f"year: entry {mine}, Crossref {years[0]}", "issued")


def _year_absent(context: _Context, years: Sequence[int]) -> Finding | None:
    """A reference whose year was not read: the record's year must at least be in its text."""
    if context.excused([str(y) for y in years]):
        return None
    return Finding(
        "year_mismatch",
        "error",
        f"year: Crossref {years[0]}, which the reference does not give",
        "issued",
    )


def _numbers(field: str, label: str, severity: Severity) -> Callable[[_Context], Finding | None]:
    """A check that ``field`` (volume, issue) is the same number in entry and record."""

    def check(context: _Context) -> Finding | None:
        mine = text_field(context.entry, field)
        theirs = text_field(context.record, field)
        if not mine or not theirs or number_key(mine) == number_key(theirs):
            return None
        if context.excused([theirs]) or _overlaps(mine, theirs):
            return None
        return Finding(
            f"{field}_mismatch",
            severity,
            f"{label}: entry {mine}, Crossref {theirs}",
            field,
        )

    return check


def _overlaps(mine: str, theirs: str) -> bool:
    """``3-4`` vs ``3``, ``Suppl 2`` vs ``2``: combined issues and supplements agree."""
    left, right = set(fold(mine).split()), set(fold(theirs).split())
    return bool(left & right)


def _pages(context: _Context) -> Finding | None:
    mine = page_range(context.entry)
    theirs = page_range(context.record)
    if mine is None or theirs is None:
        return None
    record_pages = {theirs[0], *(number_key(n) for n in _article_numbers(context.record))}
    written = re.split(r"[-–]", text_field(context.record, "page"))[0]
    if mine[0] in record_pages or _dash_lost(mine[0], theirs[0]) or context.in_raw(written):
        return None
    return Finding(
        "pages_mismatch",
        "error",
        f"pages: entry {text_field(context.entry, 'page')}, "
        f"Crossref {text_field(context.record, 'page')}",
        "page",
    )


def _dash_lost(mine: str, first: str) -> bool:
    """``303318`` for ``303-318``: a page range whose dash was lost in PDF extraction."""
    rest = mine[len(first) :]
    if not (mine.isdigit() and first.isdigit() and mine.startswith(first)):
        return False
    if not rest or len(rest) > len(first):
        return False
    return int(first[: len(first) - len(rest)] + rest) >= int(first)


def _article_numbers(record: CslItem) -> list[str]:
    values = [record_value(record, "article-number"), record.get("number")]
    return [str(v) for v in values if v]


def _journal(context: _Context) -> Finding | None:
    mine = text_field(context.entry, "container-title")
    names = [
        text_field(context.record, key)
        for key in ("container-title", "container-title-short", "short-container-title")
    ]
    names = [n for n in names if n]
    if not mine or not names or any(journal_agrees(mine, n) for n in names):
        return None
    if any(_title_in_raw(n, context.raw_words) for n in names if context.raw_words):
        return None
    return Finding(
        "journal_mismatch",
        "warning",
        f"journal: entry '{mine}', Crossref '{names[0]}'",
        "container-title",
    )


_JOURNAL_STOP = frozenset({"the", "of", "and", "for", "in", "on", "a", "an", "de", "la", "und"})


def journal_agrees(a: str, b: str) -> bool:
    """Same journal, allowing ISO abbreviations (``Sleep Med X`` ~ ``Sleep Medicine: X``)."""
    left = [w for w in fold(a).split() if w not in _JOURNAL_STOP]
    right = [w for w in fold(b).split() if w not in _JOURNAL_STOP]
    if not left or not right:
        return True
    if left == right or title_similarity(a, b) >= 0.9:
        return True
    short, long = sorted((left, right), key=len)
    return _abbreviates(short, long) or _abbreviates(left, right) or _abbreviates(right, left)


def _abbreviates(short: Sequence[str], long: Sequence[str]) -> bool:
    """Each word of ``short`` is a prefix of the next words of ``long``, in order."""
    position = 0
    for word in short:
        while position < len(long) and not long[position].startswith(word):
            position += 1
        if position == len(long):
            return False
        position += 1
    return True


_CHECKS: tuple[Callable[[_Context], Finding | None], ...] = (
    _authors,
    _title,
    _year,
    _numbers("volume", "volume", "error"),
    _numbers("issue", "issue", "warning"),
    _pages,
    _journal,
)


def _carries_title(title: str, other: str) -> bool:
    """The entry's title is ``other`` (or holds it whole, after a group author's name)."""
    whole = fold(other)
    return title_similarity(title, other) >= CHIMERA_TITLE or (
        len(whole) >= 25 and whole in fold(title)
    )


def chimera_finding(entry: CslItem, record: CslItem, others: Sequence[CslItem]) -> Finding | None:
    """An error when the entry's title is another work's title: a mixed-up reference.

    ``others`` are records found by searching for the entry's title; the one
    whose title the entry carries (and that is not ``record``) proves the
    reference mixes two works.
    """
    title = text_field(entry, "title")
    own = fold(text_field(record, "DOI"))
    for other in others:
        if fold(text_field(other, "DOI")) == own:
            continue
        if title and _carries_title(title, text_field(other, "title")):
            return Finding(
                "chimera",
                "error",
                f"the title is that of another work, {describe(other)} "
                f"(DOI {text_field(other, 'DOI')}); the authors and numbers are those of "
                f"{text_field(record, 'DOI')}: the reference mixes two works",
                "title",
            )
    return None
