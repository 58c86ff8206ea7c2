"""Hygiene of entries, without any lookup (pure).

Problems a BibTeX file can have on its own: a required field missing for the
entry type, pages/years/months that cannot be right, ISSN and ISBN check
digits, DOIs that are malformed or URLs that are really DOIs, keys that
BibTeX cannot handle or that collide, and duplicates of earlier entries.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from refman.audit.findings import Finding
from refman.model import CslItem, text_field

DOI_PATTERN = re.compile(r"^10\.\d{4,9}/\S+$")
_DOI_IN_URL = re.compile(r"^(?:https?://)?(?:dx\.)?doi\.org/(10\.\S+)$", re.IGNORECASE)
_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
_PAGE = r"(?:[A-Za-z]{0,3}\d+[A-Za-z]?|[ivxlcdm]+|[IVXLCDM]+)"
_PAGES = re.compile(rf"^{_PAGE}(?:\s*(?:-{{1,2}}|–|—)\s*{_PAGE})?$")
_KEY_UNSAFE = re.compile(r"[\s,{}()\"'#%~\\=]")

_REQUIRED: dict[str, tuple[str, tuple[tuple[str, tuple[str, ...]], ...]]] = {
    "article-journal": ("article", (("journal", ("container-title",)),)),
    "article-magazine": ("article", (("journal", ("container-title",)),)),
    "article-newspaper": ("article", (("journal", ("container-title",)),)),
    "article": ("article", (("journal", ("container-title",)),)),
    "book": ("book", (("publisher", ("publisher",)),)),
    "chapter": (
        "incollection",
        (("booktitle", ("container-title",)), ("publisher", ("publisher",))),
    ),
    "paper-conference": ("inproceedings", (("booktitle", ("container-title", "event-title")),)),
    "thesis": ("phdthesis", (("school", ("publisher",)),)),
    "report": ("techreport", (("institution", ("publisher", "authority")),)),
}
"""CSL type -> (BibTeX type, required fields beyond author/title/year, by BibTeX name
and the CSL fields that can fill them)."""

_ALWAYS = (("author", ("author", "editor")), ("title", ("title",)), ("year", ("issued",)))
_NO_AUTHOR_OK = frozenset({"book", "report"})

FindDuplicate = Callable[[CslItem, Sequence[CslItem]], CslItem | None]


def entry_hygiene(entry: CslItem) -> list[Finding]:
    """Findings about one entry on its own."""
    return [
        *_missing_fields(entry),
        *_pages(entry),
        *_date(entry),
        *_issns(entry),
        *_isbns(entry),
        *_doi(entry),
        *_url(entry),
        *_key(entry),
    ]


def _missing_fields(entry: CslItem) -> list[Finding]:
    kind = str(entry.get("type", ""))
    if kind not in _REQUIRED:
        return []
    bibtex_type, extra = _REQUIRED[kind]
    findings = []
    for name, fields in (*_ALWAYS, *extra):
        if name == "author" and kind in _NO_AUTHOR_OK and entry.get("editor"):
            continue
        if not any(entry.get(field) for field in fields):
            findings.append(
                Finding(
                    "missing_field",
                    "warning",
                    f"missing field: @{bibtex_type} requires {name}",
                    fields[0],
                )
            )
    return findings


def _pages(entry: CslItem) -> list[Finding]:
    page = text_field(entry, "page").strip()
    if not page or _PAGES.match(page):
        if page and _descending(page):
            return [
                Finding(
                    "malformed_pages", "warning", f"pages: {page} ends before it starts", "page"
                )
            ]
        return []
    return [
        Finding(
            "malformed_pages",
            "warning",
            f"pages: '{page}' is not a page, page range or article number",
            "page",
        )
    ]


def _descending(page: str) -> bool:
    numbers = re.findall(r"\d+", page)
    if len(numbers) != 2 or len(numbers[1]) < len(numbers[0]):
        return False
    return int(numbers[1]) < int(numbers[0])


def _date(entry: CslItem) -> list[Finding]:
    issued = entry.get("issued")
    if issued is None:
        return []
    parts = issued.get("date-parts") if isinstance(issued, dict) else None
    if not parts or not isinstance(parts, list) or not parts[0]:
        raw = issued.get("raw") or issued.get("literal") if isinstance(issued, dict) else issued
        return [Finding("malformed_year", "warning", f"year: '{raw}' is not a year", "issued")]
    return [*_year_part(parts[0][0]), *_month_part(parts[0][1:2])]


def _year_part(value: Any) -> list[Finding]:
    latest = datetime.now(UTC).year + 1
    try:
        year = int(value)
    except (TypeError, ValueError):
        return [Finding("malformed_year", "warning", f"year: '{value}' is not a year", "issued")]
    if 1450 <= year <= latest:
        return []
    return [Finding("malformed_year", "warning", f"year: {year} is not a plausible year", "issued")]


def _month_part(values: Sequence[Any]) -> list[Finding]:
    for value in values:
        try:
            month = int(value)
        except (TypeError, ValueError):
            month = 0
        if not 1 <= month <= 12:
            return [
                Finding("malformed_month", "warning", f"month: '{value}' is not a month", "issued")
            ]
    return []


def _values(entry: CslItem, field: str) -> list[str]:
    value = entry.get(field)
    items = value if isinstance(value, list) else [value] if value else []
    return [part for v in items for part in re.split(r"[\s,;]+", str(v)) if part]


def issn_valid(issn: str) -> bool:
    """Whether an ISSN (``1932-6203``) has a correct check digit."""
    digits = issn.replace("-", "").upper()
    if not re.fullmatch(r"\d{7}[\dX]", digits):
        return False
    total = sum(int(d) * w for d, w in zip(digits[:7], range(8, 1, -1), strict=True))
    check = (11 - total % 11) % 11
    return digits[7] == ("X" if check == 10 else str(check))


def isbn_valid(isbn: str) -> bool:
    """Whether an ISBN-10 or ISBN-13 has a correct check digit."""
    digits = isbn.replace("-", "").upper()
    if re.fullmatch(r"\d{9}[\dX]", digits):
        values = [10 if d == "X" else int(d) for d in digits]
        return sum(v * w for v, w in zip(values, range(10, 0, -1), strict=True)) % 11 == 0
    if re.fullmatch(r"97[89]\d{10}", digits):
        return sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(digits)) % 10 == 0
    return False


def _issns(entry: CslItem) -> list[Finding]:
    return [
        Finding("bad_issn", "warning", f"ISSN {issn} has a wrong check digit or form", "ISSN")
        for issn in _values(entry, "ISSN")
        if not issn_valid(issn)
    ]


def _isbns(entry: CslItem) -> list[Finding]:
    return [
        Finding("bad_isbn", "warning", f"ISBN {isbn} has a wrong check digit or form", "ISBN")
        for isbn in _values(entry, "ISBN")
        if not isbn_valid(isbn)
    ]


def clean_doi(doi: str) -> str:
    """A DOI without ``https://doi.org/`` or ``doi:`` in front, for lookup."""
    return _DOI_PREFIX.sub("", doi.strip())


def _doi(entry: CslItem) -> list[Finding]:
    doi = text_field(entry, "DOI").strip()
    if not doi:
        return []
    bare = clean_doi(doi)
    if not DOI_PATTERN.match(bare):
        return [
            Finding(
                "malformed_doi",
                "error",
                f"DOI '{doi}' is malformed: a DOI looks like 10.1234/suffix",
                "DOI",
            )
        ]
    if bare != doi:
        return [Finding("doi_prefix", "warning", f"DOI '{doi}': store it as {bare}", "DOI")]
    return []


def _url(entry: CslItem) -> list[Finding]:
    url = text_field(entry, "URL").strip()
    match = _DOI_IN_URL.match(url)
    if not match:
        return []
    in_url = match.group(1)
    doi = clean_doi(text_field(entry, "DOI"))
    if not doi:
        message = f"url {url} is a DOI link: store {in_url} in the doi field instead"
        return [Finding("url_is_doi", "warning", message, "URL")]
    if doi.lower() != in_url.lower():
        message = f"url {url} links to another DOI than the entry's {doi}"
        return [Finding("url_is_doi", "warning", message, "URL")]
    return [Finding("url_is_doi", "info", f"url {url} repeats the DOI; it can go", "URL")]


def _key(entry: CslItem) -> list[Finding]:
    key = str(entry.get("id") or "")
    if not key:
        return []
    if _KEY_UNSAFE.search(key):
        return [
            Finding("bad_key", "error", f"key '{key}' contains characters BibTeX cannot use", "id")
        ]
    if not key.isascii():
        return [
            Finding(
                "non_ascii_key", "warning", f"key '{key}' is not ASCII; BibTeX may reject it", "id"
            )
        ]
    return []


def library_hygiene(
    entries: Sequence[CslItem], find_duplicate: FindDuplicate
) -> list[list[Finding]]:
    """Findings about entries in relation to the others: colliding keys and duplicates.

    One list per entry, in order; an entry is compared with those before it,
    so the first of a pair stays clean and the later one is flagged.
    """
    seen_keys: dict[str, str] = {}
    result: list[list[Finding]] = []
    for index, entry in enumerate(entries):
        findings = []
        key = str(entry.get("id") or "")
        if key:
            earlier = seen_keys.get(key.lower())
            if earlier is not None:
                findings.append(_collision(key, earlier))
            else:
                seen_keys[key.lower()] = key
        duplicate = find_duplicate(entry, entries[:index])
        if duplicate is not None:
            findings.append(_duplicate(duplicate, entries))
        result.append(findings)
    return result


def _collision(key: str, earlier: str) -> Finding:
    how = "is used twice" if key == earlier else f"collides with '{earlier}' (BibTeX ignores case)"
    return Finding("key_collision", "error", f"key '{key}' {how}", "id")


def _duplicate(existing: CslItem, entries: Sequence[CslItem]) -> Finding:
    """Names the earlier entry by key, else by its number (references in a text list)."""
    number = next((n for n, e in enumerate(entries, 1) if e is existing), None)
    other = existing.get("id") or f"reference [{number}]"
    return Finding("duplicate", "warning", f"duplicate of {other}: keep one of them", None)
