"""Normalisers for the small fields: dates, access dates, pages, volume/issue, edition.

Each takes the raw text the CRF labelled (``(2011).``, ``pp. 1761–1800).``,
``17(12):``) and returns the clean CSL value, or None when there is nothing
usable in it.
"""

from __future__ import annotations

import re
from typing import Any

from refman.model import date_parts
from refman.parsing import lexicon

_YEAR = re.compile(r"(?<![\d./-])(1[5-9]\d\d|20\d\d)(?![\d])")
_DAY = re.compile(r"(?<![\d])([0-3]?\d)(?:st|nd|rd|th|\.)?(?![\d])")
_NUMERIC_DATE = re.compile(
    r"\b(\d{4})[-/.](\d{1,2})(?:[-/.](\d{1,2}))?\b|\b(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})\b"
)
_WORD = re.compile(r"[^\W\d_]+")

ACCESS_PHRASE = re.compile(
    r"(?i)[\[(]?\s*\b(?:last\s+)?(?:accessed|cited|retrieved|viewed|visited|"
    r"geraadpleegd(?:\s+(?:in|op))?|bezocht(?:\s+op)?|abgerufen(?:\s+am)?|zugegriffen(?:\s+am)?|"
    r"zugriff(?:\s+am)?|stand|consulté(?:\s+le)?|consulte(?:\s+le)?|consultado(?:\s+(?:el|en))?|"
    r"accedido(?:\s+el)?|recuperado(?:\s+el)?)\b"
    r"(?:\s+(?:on|at|in|from|op|am|le|el))?\s*:?\s*"
    r"(?P<date>(?:[\w.,]+\s*){0,4}?(?:1[5-9]\d\d|20\d\d)"
    r"(?:[-/.]\d{1,2}(?:[-/.]\d{1,2})?|\s+[^\W\d_]{3,9}\.?(?:\s+\d{1,2}\b)?)?"
    r"|\d{1,2}[-/.]\d{1,2}[-/.]\d{4})[\])]?\.?"
)
"""``Accessed 12 May 2016``, ``[cited 2020 Jan 5]``, ``Geraadpleegd in 2025``, ``abgerufen am
3.4.2021``, ``consulté le 5 mai 2020``, ``consultado el 5 de mayo de 2020``."""


_ACCESS_STEMS = (
    "accessed",
    "cited",
    "retrieved",
    "viewed",
    "visited",
    "geraadpleegd",
    "bezocht",
    "abgerufen",
    "zugegriffen",
    "zugriff",
    "stand",
    "consult",
    "accedido",
    "recuperado",
)


def parse_date(text: str) -> dict[str, Any] | None:
    """The first year in ``text`` as a CSL date, with month and day when they are given."""
    numeric = _NUMERIC_DATE.search(text)
    if numeric:
        if numeric.group(1):
            year, month, day = numeric.group(1), numeric.group(2), numeric.group(3)
        else:
            day, month, year = numeric.group(4), numeric.group(5), numeric.group(6)
        if 1500 <= int(year) <= 2099 and 1 <= int(month) <= 12:
            valid_day = int(day) if day and 1 <= int(day) <= 31 else None
            return date_parts(int(year), int(month), valid_day)
    match = _YEAR.search(text)
    if match is None:
        return None
    months = [lexicon.MONTHS[w.lower()] for w in _WORD.findall(text) if w.lower() in lexicon.MONTHS]
    month = months[0] if months else None
    day = None
    if month is not None:
        rest = text[: match.start()] + " " + text[match.end() :]
        days = [int(d) for d in _DAY.findall(rest) if 1 <= int(d) <= 31]
        day = days[0] if days else None
    return date_parts(int(match.group(1)), month, day)


def find_access_date(text: str) -> tuple[dict[str, Any], tuple[int, int]] | None:
    """The access date of a web reference and where its phrase sits in ``text``."""
    lowered = text.lower()
    if not any(word in lowered for word in _ACCESS_STEMS):
        return None
    match = ACCESS_PHRASE.search(text)
    if match is None:
        return None
    date = parse_date(match.group("date"))
    return (date, match.span()) if date else None


_PAGE_RANGE = re.compile(r"([A-Za-z]?\d+[A-Za-z]?)\s*(?:[-–—‑]+|\bto\b)\s*([A-Za-z]?\d+[A-Za-z]?)")
_PAGE_SINGLE = re.compile(r"[A-Za-z]?\d+[A-Za-z]?")


def expand_range(first: str, last: str) -> str:
    """``496``-``7`` -> ``496-497``; ``1161``-``9`` -> ``1161-1169``; full ranges unchanged."""
    if first.isdigit() and last.isdigit() and len(last) < len(first):
        last = first[: len(first) - len(last)] + last
    return f"{first}-{last}"


def parse_pages(text: str) -> str | None:
    """``pp. 1761–1800).`` -> ``1761-1800``; ``p.14.`` -> ``14``; ``e1234`` stays."""
    match = _PAGE_RANGE.search(text)
    if match:
        return expand_range(match.group(1), match.group(2))
    single = _PAGE_SINGLE.search(text)
    return single.group(0) if single else None


_VOLUME = re.compile(
    r"(?i)(?:\b(?:vol|volume|bd|band|jg|jaargang|t|tome|tomo|v)\.?\s*)?"
    r"(?P<volume>[A-Z]?\d+[A-Za-z]?(?:[-–/]\d+)?)"
    r"(?:\s*[(\[]\s*(?:(?:no|nr|n|issue|heft|h)\.?\s*)?(?P<issue>[^)\]]+)[)\]])?"
)
_ISSUE = re.compile(
    r"(?i)\b(?:no|nr|n°|n|number|issue|heft|h|afl)\.?\s*(?P<issue>\d+(?:[-–/]\d+)?)"
)


def parse_volume(text: str) -> tuple[str | None, str | None]:
    """``17(12):`` -> (``17``, ``12``); ``Vol. 9,`` -> (``9``, None); ``No. 134`` -> issue only."""
    volume_match = None
    if not re.match(r"(?i)\s*\(?(?:no|nr|n°|number|issue|heft)\b", text):
        volume_match = _VOLUME.search(text)
    volume = volume_match.group("volume") if volume_match else None
    issue = volume_match.group("issue") if volume_match else None
    if issue is None:
        rest = text[volume_match.end() :] if volume_match else text
        issue_match = _ISSUE.search(rest)
        issue = issue_match.group("issue") if issue_match else None
    if issue is not None:
        issue = issue.strip(" .,;:").replace("–", "-") or None
    return volume, issue


_EDITION = re.compile(r"(?i)(\d+)(?:st|nd|rd|th|e|de|ste|\.)?")


def parse_edition(text: str) -> str | None:
    """``2nd ed.`` -> ``2``; ``Rev. ed.`` stays as words."""
    match = _EDITION.search(text)
    if match:
        return match.group(1)
    words = text.strip(" .,;:()")
    return words or None
