"""Crossref work JSON -> CSL-JSON (pure).

A table of field rules instead of Crossref's own ``/transform`` route: that
route costs one more request per record, and refman already holds the record
from the search. The notices Crossref links to a work (``updated-by`` on a
retracted or corrected work, ``update-to`` on the notice itself, ``relation``)
are kept under ``_crossref`` so audits can report retractions; export drops it.
"""

from __future__ import annotations

import re
from typing import Any

from refman.model import CslItem, CslName

TYPES = {
    "journal-article": "article-journal",
    "proceedings-article": "paper-conference",
    "book-chapter": "chapter",
    "book-section": "chapter",
    "book-part": "chapter",
    "book": "book",
    "monograph": "book",
    "edited-book": "book",
    "reference-book": "book",
    "book-set": "book",
    "posted-content": "article",
    "dataset": "dataset",
    "report": "report",
    "report-component": "report",
    "dissertation": "thesis",
    "reference-entry": "entry",
    "standard": "standard",
    "peer-review": "review",
}
FIRST_OF_LIST = {
    "title": "title",
    "container-title": "container-title",
    "short-container-title": "container-title-short",
    "ISSN": "ISSN",
    "ISBN": "ISBN",
}
PLAIN = {
    "DOI": "DOI",
    "URL": "URL",
    "volume": "volume",
    "issue": "issue",
    "page": "page",
    "article-number": "number",
    "publisher": "publisher",
    "publisher-location": "publisher-place",
    "language": "language",
}
AUDIT_KEYS = ("updated-by", "update-to", "relation")
DATE_KEYS = ("issued", "published-print", "published-online", "published")
TAG = re.compile(r"</?(?!(?:i|b|sup|sub)\b)[a-z:]+[^>]*>", re.IGNORECASE)


def crossref_to_csl(record: dict[str, Any]) -> CslItem:
    """One Crossref work record as a CSL-JSON item."""
    item: CslItem = {"type": TYPES.get(str(record.get("type", "")), "document")}
    for source, target in FIRST_OF_LIST.items():
        value = _first(record.get(source))
        if value:
            item[target] = _clean(value)
    for source, target in PLAIN.items():
        raw = record.get(source)
        if raw not in (None, "", []):
            item[target] = _clean(str(raw))
    for role in ("author", "editor"):
        names = [_name(person) for person in record.get(role) or [] if isinstance(person, dict)]
        if names:
            item[role] = names
    issued = _date(record)
    if issued:
        item["issued"] = issued
    audit = {key: record[key] for key in AUDIT_KEYS if record.get(key)}
    if audit:
        item["_crossref"] = audit
    return item


def _first(value: Any) -> str:
    if isinstance(value, list):
        return str(value[0]) if value else ""
    return str(value) if value else ""


def _clean(text: str) -> str:
    """Drop markup other than the inline tags CSL processors understand; squeeze spaces."""
    return " ".join(TAG.sub("", text).split())


def _name(person: dict[str, Any]) -> CslName:
    if person.get("family"):
        name: CslName = {"family": _clean(str(person["family"]))}
        if person.get("given"):
            name["given"] = _clean(str(person["given"]))
        return name
    return {"literal": _clean(str(person.get("name") or person.get("given") or ""))}


def _date(record: dict[str, Any]) -> dict[str, Any] | None:
    """The first usable of issued / published-print / published-online."""
    for key in DATE_KEYS:
        date = record.get(key)
        parts = date.get("date-parts") if isinstance(date, dict) else None
        if parts and parts[0] and parts[0][0] is not None:
            return {"date-parts": [[int(p) for p in parts[0] if p is not None]]}
    return None
