"""The internal record: a CSL-JSON item, as Zotero, anystyle and pandoc use.

A reference is a plain ``dict`` following the CSL-JSON schema
(``type``, ``author`` as ``[{"family", "given"}]`` or ``[{"literal"}]``,
``title``, ``container-title``, ``issued: {"date-parts": [[y, m, d]]}``,
``volume``, ``issue``, ``page``, ``DOI``, ``URL`` ...). Plain dicts keep the
codecs at the edges (BibTeX, RIS, Crossref JSON) simple table-driven
mappings and let the record be dumped as JSON unchanged.

Keys refman adds that CSL does not define start with ``_refman`` and are
never exported.

This module is pure: no I/O.
"""

from __future__ import annotations

from typing import Any

CslItem = dict[str, Any]
"""One reference as a CSL-JSON object."""

CslName = dict[str, str]
"""One name: ``{"family", "given", "non-dropping-particle", ...}`` or ``{"literal"}``."""

ET_AL: CslName = {"literal": "others"}
"""The last name of a list cut short (``et al.``): pandoc's reading of BibTeX's ``and
others``, which its citeproc prints as "et al.", so the entry keeps saying the list is
incomplete. Codecs without such a convention (RIS) leave it out."""


def listed_names(names: object) -> list[CslName]:
    """The people of a CSL name list: its names without the ``ET_AL`` marker.

    For whoever needs the persons themselves (queries, RIS, short displays), not
    the list's completeness.
    """
    if not isinstance(names, list):
        return []
    return [name for name in names if isinstance(name, dict) and name != ET_AL]


CSL_TYPES = frozenset(
    {
        "article",
        "article-journal",
        "article-magazine",
        "article-newspaper",
        "book",
        "chapter",
        "dataset",
        "entry",
        "entry-encyclopedia",
        "manuscript",
        "paper-conference",
        "patent",
        "report",
        "review",
        "software",
        "standard",
        "thesis",
        "webpage",
        "post",
        "post-weblog",
        "document",
    }
)


def date_parts(year: int, month: int | None = None, day: int | None = None) -> dict[str, Any]:
    """Build a CSL date; month and day only when known (CSL allows partial dates)."""
    parts = [year]
    if month is not None:
        parts.append(month)
        if day is not None:
            parts.append(day)
    return {"date-parts": [parts]}


def issued_year(item: CslItem) -> int | None:
    """The year the work was issued, or None when the record has none."""
    return _first_date_part(item.get("issued"))


def _first_date_part(date: Any) -> int | None:
    if not isinstance(date, dict):
        return None
    parts = date.get("date-parts")
    if not parts or not isinstance(parts, list) or not parts[0]:
        return None
    try:
        return int(parts[0][0])
    except (TypeError, ValueError):
        return None


def first_author(item: CslItem) -> CslName | None:
    """The first author, else the first editor: who a reference is cited by."""
    for role in ("author", "editor"):
        names = item.get(role)
        if isinstance(names, list) and names and isinstance(names[0], dict):
            return names[0]
    return None


def creators(item: CslItem) -> list[CslName]:
    """The authors, else the editors: the names a reference is cited by (may be empty)."""
    for role in ("author", "editor"):
        names = item.get(role)
        if isinstance(names, list) and names:
            return [n for n in names if isinstance(n, dict)]
    return []


def family_name(name: CslName) -> str:
    """The name a reference is sorted and matched by: family name or literal."""
    return name.get("family") or name.get("literal") or ""


def first_page(item: CslItem) -> str | None:
    """The first page of ``page`` (``8199-8226`` -> ``8199``), or the article number."""
    page = item.get("page")
    if isinstance(page, str) and page.strip():
        return page.replace("–", "-").split("-")[0].strip() or None
    number = item.get("number")
    return str(number) if number else None


def text_field(item: CslItem, field: str) -> str:
    """A field as a string; CSL allows lists for ``title``/``container-title`` in Crossref."""
    value = item.get(field)
    if isinstance(value, list):
        value = value[0] if value else ""
    return str(value) if value is not None else ""
