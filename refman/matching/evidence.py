"""How well one candidate record agrees with one reference (pure).

Crossref's search-based matching with validation (SBMV) asks, for each
candidate, whether the candidate's year, volume, issue, first page and
first-author surname *appear in the reference string*. Checking against the
raw string, rather than against parsed fields, keeps matching right when the
parser mislabels a field; parsed fields (when a parser ran) only add a sharper
title comparison. Title similarity is measured separately, so that a
reference whose numbers agree but whose title is a translation still matches,
while a reference whose title agrees but whose numbers belong to another
paper does not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any

from anyascii import anyascii
from rapidfuzz import fuzz

WORD = re.compile(r"[a-z0-9]+")
YEAR = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?!\d)")
STOPWORDS = frozenset(
    {"a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "into", "is"}
    | {"it", "its", "of", "on", "or", "the", "to", "with", "via"}
)
NOTICE = re.compile(
    r"^\W*(erratum|errata|correction|corrigendum|corrigenda|retraction|retracted|"
    r"expression of concern|withdrawn|addendum)\b"
)
PREPRINT_TYPES = frozenset({"posted-content"})


@lru_cache(maxsize=65536)
def normalise(text: str) -> str:
    """Lower-case ASCII with line-break hyphens closed and whitespace squeezed."""
    text = re.sub(r"(\w)-\s*\n\s*(\w)", r"\1\2", text)
    return " ".join(anyascii(text).lower().split())


def words(text: str) -> list[str]:
    """Alphanumeric tokens of normalised text."""
    return WORD.findall(text)


class Reference:
    """A reference string prepared once for comparing many candidates."""

    def __init__(self, text: str, parsed: dict[str, Any] | None = None) -> None:
        self.text = text
        self.norm = normalise(text)
        # the joined form keeps "opti-\nmization" whole; the split form keeps "Toll-\nlike"
        spaced = " ".join(anyascii(text).lower().split())
        self.tokens = frozenset(words(self.norm)) | frozenset(words(spaced))
        self.years = frozenset(int(y) for y in YEAR.findall(self.norm))
        self.parsed = parsed or {}

    @cached_property
    def has_numbers(self) -> bool:
        """Whether the string cites volume/pages (numbers besides the year)."""
        return any(t.isdigit() and int(t) not in self.years for t in self.tokens)

    @cached_property
    def prefixes(self) -> frozenset[str]:
        """Every prefix of every token: abbreviation checks in O(1)."""
        return frozenset(t[:n] for t in self.tokens for n in range(1, len(t) + 1))

    @cached_property
    def parsed_title(self) -> str:
        """The parsed title, normalised; empty when no parser ran or it found none."""
        title = self.parsed.get("title")
        return normalise(title) if isinstance(title, str) else ""


@dataclass(frozen=True)
class Evidence:
    """Agreement of one candidate with one reference, field by field.

    Field agreements are 1 (appears), 0.5 (close: year off by one, surname
    nearly equal), 0 (unknown: the record lacks the field) or -1 (absent
    from the reference although the record has it).
    """

    year: float
    volume: float
    page: float
    issue: float
    author: float
    container: float
    title: float
    notice: bool
    preprint: bool
    bare: bool

    @property
    def numbers_disagree(self) -> int:
        """How many of year, volume and first page contradict the reference."""
        return sum(v < 0 for v in (self.year, self.volume, self.page))

    def as_dict(self) -> dict[str, float | bool]:
        """For the ``why`` of a candidate in the output."""
        return {
            "year": self.year,
            "volume": self.volume,
            "page": self.page,
            "issue": self.issue,
            "author": self.author,
            "container": round(self.container, 2),
            "title": round(self.title, 2),
            "notice": self.notice,
            "preprint": self.preprint,
        }


def compare(ref: Reference, record: dict[str, Any]) -> Evidence:
    """Field-by-field agreement of a Crossref record with a reference."""
    title = normalise(_first(record.get("title")))
    return Evidence(
        year=_year(ref, record),
        volume=_token_field(ref, record.get("volume")),
        page=_page(ref, record),
        issue=_token_field(ref, record.get("issue")),
        author=_author(ref, record),
        container=_container(ref, record),
        title=_title_similarity(ref, title),
        notice=_is_notice(ref, title),
        preprint=record.get("type") in PREPRINT_TYPES,
        bare=not record.get("volume") and not record.get("page") and ref.has_numbers,
    )


def _is_notice(ref: Reference, title: str) -> bool:
    """A correction/erratum notice that the reference does not itself cite as one."""
    found = NOTICE.match(title)
    if found is None:
        return False
    return not all(w in ref.tokens for w in words(found.group(1)))


def _first(value: Any) -> str:
    if isinstance(value, list):
        return str(value[0]) if value else ""
    return str(value) if value else ""


def record_year(record: dict[str, Any]) -> int | None:
    """The issued (else print, else online) year of a Crossref record."""
    for key in ("issued", "published-print", "published-online", "published"):
        date = record.get(key)
        parts = date.get("date-parts") if isinstance(date, dict) else None
        if parts and parts[0] and parts[0][0]:
            return int(parts[0][0])
    return None


def _year(ref: Reference, record: dict[str, Any]) -> float:
    year = record_year(record)
    if year is None or not ref.years:
        return 0.0
    if year in ref.years:
        return 1.0
    if year - 1 in ref.years or year + 1 in ref.years:
        return 0.5
    return -1.0


def _token_field(ref: Reference, value: Any) -> float:
    """A volume or issue: all its tokens appear in the reference."""
    tokens = words(normalise(str(value))) if value else []
    if not tokens:
        return 0.0
    return 1.0 if all(t in ref.tokens for t in tokens) else -1.0


def _page(ref: Reference, record: dict[str, Any]) -> float:
    """First page or article number (``e1234``, ``S12``, ``100121``)."""
    page = str(record.get("page") or record.get("article-number") or "")
    first = words(normalise(re.split(r"[-–,]", page)[0])) if page else []
    if not first:
        return 0.0
    token = first[0]
    if token in ref.tokens:
        return 1.0
    digits = token.lstrip("eslp")
    return 1.0 if digits.isdigit() and digits in ref.tokens else -1.0


def _author(ref: Reference, record: dict[str, Any]) -> float:
    authors = record.get("author") or record.get("editor") or []
    person = authors[0] if authors and isinstance(authors[0], dict) else {}
    family = words(normalise(str(person.get("family") or person.get("name") or "")))
    family = [w for w in family if len(w) > 1]
    if not family:
        return 0.0
    if all(w in ref.tokens for w in family):
        return 1.0
    joined = "".join(family)
    if joined in ref.norm.replace(" ", "") or fuzz.partial_ratio(joined, ref.norm) >= 85:
        return 0.5
    return -1.0


def _container(ref: Reference, record: dict[str, Any]) -> float:
    """Journal agreement, abbreviation-tolerant: each record word is a prefix of a ref word."""
    names = [_first(record.get(k)) for k in ("short-container-title", "container-title")]
    best = 0.0
    for name in filter(None, names):
        parts = [w for w in words(normalise(name)) if w not in STOPWORDS]
        if not parts:
            continue
        hits = sum(
            w in ref.prefixes or any(w[:n] in ref.tokens for n in range(1, len(w))) for w in parts
        )
        best = max(best, hits / len(parts))
    return best


def _title_similarity(ref: Reference, title: str) -> float:
    """Fuzzy title agreement in [0, 1]: against the parsed title when there is one."""
    if not title:
        return 0.0
    if ref.parsed_title:
        return max(fuzz.ratio(title, ref.parsed_title), fuzz.partial_ratio(title, ref.norm)) / 100
    return fuzz.partial_ratio(title, ref.norm) / 100
