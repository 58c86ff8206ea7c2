"""Reading a looked-up record, whether raw Crossref JSON or CSL-JSON (pure).

The resolver returns records as CSL-JSON, keeping Crossref-only data (``updated-by``,
``update-to``, ``relation``, print and online dates) either as raw keys or in a
``_crossref`` sub-dict. Raw Crossref ``message`` objects have the same field
names for everything the audit compares, so both shapes are accepted.
"""

from __future__ import annotations

from typing import Any

from refman.model import CslItem

_DATE_KEYS = ("issued", "published-print", "published-online", "published")


def record_value(record: CslItem, key: str) -> Any:
    """A raw key of the record, else the same key in its ``_crossref`` sub-dict."""
    value = record.get(key)
    if value is None:
        extra = record.get("_crossref")
        if isinstance(extra, dict):
            value = extra.get(key)
    return value


def record_list(record: CslItem, key: str) -> list[dict[str, Any]]:
    """A list-of-objects field (``updated-by``, ``update-to``), empty when absent."""
    value = record_value(record, key)
    if not isinstance(value, list):
        return []
    return [v for v in value if isinstance(v, dict)]


def date_year(date: Any) -> int | None:
    """The year of a CSL/Crossref date object, or None."""
    if not isinstance(date, dict):
        return None
    parts: Any = date.get("date-parts")
    try:
        return int(parts[0][0])
    except (TypeError, ValueError, IndexError, KeyError):
        return None


def date_text(date: Any) -> str:
    """``2012-05-08`` (as much of it as is known), or an empty string."""
    if not isinstance(date, dict):
        return ""
    parts = date.get("date-parts")
    if not parts or not isinstance(parts, list) or not parts[0]:
        return ""
    try:
        numbers = [int(p) for p in parts[0] if p is not None]
    except (TypeError, ValueError):
        return ""
    if not numbers:
        return ""
    return "-".join([f"{numbers[0]:04d}", *(f"{n:02d}" for n in numbers[1:])])


def record_years(record: CslItem) -> list[int]:
    """Every year the record is dated by (issued, print, online), issued first."""
    years: list[int] = []
    for key in _DATE_KEYS:
        year = date_year(record_value(record, key))
        if year is not None and year not in years:
            years.append(year)
    return years
