"""Comparable forms of names, titles and numbers (pure).

Entries and records spell the same thing differently: accents, case,
punctuation, ``8199-26`` vs ``8199–8226``, ``Sleep Med X`` vs ``Sleep
Medicine: X``. The audit compares these folded forms so that only real
disagreements become findings.
"""

from __future__ import annotations

import re

from anyascii import anyascii
from rapidfuzz import fuzz

from refman.model import CslItem, CslName, family_name

_NON_WORD = re.compile(r"[^a-z0-9]+")
_PARTICLES = frozenset({"van", "von", "de", "der", "den", "da", "di", "du", "le", "la", "del"})
_LATEX = re.compile(r"\\[a-zA-Z]+\s*|[{}\\]")


def fold(text: str) -> str:
    """Lower-case ASCII words separated by single spaces (``Gröber-Ü`` -> ``grober u``)."""
    plain = anyascii(_LATEX.sub("", text)).lower()
    return _NON_WORD.sub(" ", plain).strip()


def surname(name: CslName) -> str:
    """A family name folded, without particles or spaces (``van der Berg`` -> ``berg``)."""
    words = [w for w in fold(family_name(name)).split() if w not in _PARTICLES]
    return "".join(words)


def same_person(entry_name: CslName, record_name: CslName) -> bool:
    """Whether two names can be the same author, tolerating particles and swapped fields.

    A parser may put ``Smith`` in ``given`` and the initials in ``family``; a
    name may be given as one literal string. Initials are not compared: they
    are too often missing or abbreviated differently.
    """
    record = surname(record_name)
    if not record:
        return True
    candidates = {surname(entry_name), "".join(fold(entry_name.get("given", "")).split())}
    literal = fold(entry_name.get("literal", ""))
    candidates.update(literal.split())
    return any(c == record or _contains(c, record) for c in candidates if c)


def _contains(a: str, b: str) -> bool:
    """One surname holds the other (``garcialopez`` / ``lopez``); both long enough to tell."""
    return min(len(a), len(b)) > 3 and (a in b or b in a)


def display_name(name: CslName) -> str:
    """``Smith J`` style: family name and initials, as references cite authors."""
    family = family_name(name)
    initials = "".join(part[0] for part in re.split(r"[\s.\-]+", name.get("given", "")) if part)
    return f"{family} {initials}".strip()


def title_similarity(a: str, b: str) -> float:
    """Similarity in [0, 1] of two titles, tolerant of subtitles, word order and truncation."""
    left, right = fold(a), fold(b)
    if not left or not right:
        return 0.0
    shorter, longer = sorted((left, right), key=len)
    if len(shorter) >= 20 and longer.startswith(shorter):
        return 1.0
    main = max(fuzz.ratio(_main_title(a), _main_title(b)), fuzz.token_sort_ratio(left, right))
    return max(main, fuzz.ratio(left, right)) / 100.0


def _main_title(title: str) -> str:
    """The title before a colon or full stop: subtitles are often left out in references."""
    return fold(re.split(r"[:.?]\s", title, maxsplit=1)[0])


def number_key(value: object) -> str:
    """A volume, issue or page as compared: folded, leading zeros dropped (``07`` -> ``7``)."""
    text = fold(str(value)).replace(" ", "")
    return text.lstrip("0") or text


def page_range(item: CslItem) -> tuple[str, str] | None:
    """First and last page of ``page`` with abbreviated ends expanded (``8199-26`` -> 8226).

    Falls back to the article number; None when the item has neither.
    """
    raw = item.get("page") or item.get("article-number") or item.get("number")
    if not raw:
        return None
    parts = [p.strip() for p in re.split(r"\s*[-–—]+\s*", str(raw)) if p.strip()]
    if not parts:
        return None
    first = parts[0]
    last = parts[-1] if len(parts) > 1 else first
    if first.isdigit() and last.isdigit() and len(last) < len(first):
        last = first[: len(first) - len(last)] + last
    return number_key(first), number_key(last)


def words_in(text: str) -> set[str]:
    """The folded words of a text, for checking whether a value occurs in a raw reference."""
    return set(fold(text).split())
