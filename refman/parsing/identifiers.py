"""Exact identifiers in reference text: DOI, URL, PMID, PMCID, ISBN, ISSN, arXiv.

Deterministic rules, not the CRF: an identifier is either exactly right or
useless, and a DOI in any style (``doi:``, ``DOI 10.``, ``https://doi.org/``)
has one canonical form. Trailing punctuation that belongs to the sentence is
removed; a closing bracket stays when the identifier opened one.
"""

from __future__ import annotations

import re

DOI_PATTERN = re.compile(r"10\.\d{4,9}/[^\s\"<>]+")
_DOI_RESOLVER = re.compile(r"(?i)^(?:https?://)?(?:dx\.)?doi\.org/|^doi:\s*|^doi\s+")
_URL = re.compile(r"(?i)\b(?:https?://|www\.)[^\s<>\"]+")
_PMID = re.compile(r"(?i)\bPMID:?\s*(\d{1,9})\b")
_PMCID = re.compile(r"\b(PMC\d{4,9})\b")
_ISBN = re.compile(r"(?i)\bISBN(?:-1[03])?:?\s*((?:97[89][-\s]?)?(?:\d[-\s]?){9}[\dX])\b")
_ISSN = re.compile(r"(?i)\bISSN:?\s*(\d{4}-?\d{3}[\dX])\b")
_ARXIV = re.compile(
    r"(?i)(?:\barxiv:\s*|arxiv\.org/(?:abs|pdf)/)"
    r"(\d{4}\.\d{4,5}(?:v\d+)?|[a-z-]+(?:\.[a-z]{2})?/\d{7}(?:v\d+)?)"
)
_TRAILING = ".,;:'’\"”"
_PAIRS = {")": "(", "]": "[", ">": "<", "}": "{"}


def strip_trailing(value: str) -> str:
    """Remove sentence punctuation after an identifier, and closing brackets it never opened."""
    while value:
        last = value[-1]
        if last in _TRAILING or (last in _PAIRS and value.count(_PAIRS[last]) < value.count(last)):
            value = value[:-1]
        else:
            break
    return value


def normalize_doi(text: str) -> str | None:
    """``https://doi.org/10.X/Y.``, ``doi:10.X/Y`` or ``10.X/Y`` -> ``10.X/Y``; else None."""
    candidate = _DOI_RESOLVER.sub("", text.strip())
    match = DOI_PATTERN.match(candidate)
    if match is None:
        return None
    doi = strip_trailing(match.group(0))
    return doi if DOI_PATTERN.fullmatch(doi) else None


def find_doi(text: str) -> str | None:
    """The first DOI anywhere in ``text``."""
    match = DOI_PATTERN.search(text)
    return normalize_doi(match.group(0)) if match else None


def is_doi_url(url: str) -> bool:
    """A URL that only resolves a DOI (doi.org, dx.doi.org): the DOI field says it all."""
    return bool(_DOI_RESOLVER.match(url)) and "doi.org/" in url.lower()


def find_urls(text: str) -> list[str]:
    """Every URL in ``text``, trailing punctuation removed, in order."""
    urls = []
    for match in _URL.finditer(text):
        url = strip_trailing(match.group(0))
        if "." in url.split("//")[-1]:
            urls.append(url)
    return urls


def _isbn_valid(digits: str) -> bool:
    if len(digits) == 10:
        total = sum((10 - i) * (10 if ch == "X" else int(ch)) for i, ch in enumerate(digits))
        return total % 11 == 0
    if len(digits) == 13 and digits.isdigit():
        total = sum((3 if i % 2 else 1) * int(ch) for i, ch in enumerate(digits))
        return total % 10 == 0
    return False


def _isbn(text: str) -> str | None:
    for match in _ISBN.finditer(text):
        digits = re.sub(r"[-\s]", "", match.group(1)).upper()
        if _isbn_valid(digits):
            return digits
    return None


_HINTS = ("10.", "http", "www.", "pmid", "pmc", "isbn", "issn", "arxiv", "doi", "url")


def may_hold_identifiers(text: str) -> bool:
    """A cheap test that lets most references skip the identifier patterns."""
    lower = text.lower()
    return any(hint in lower for hint in _HINTS)


def extract_identifiers(text: str) -> dict[str, str]:
    """Every identifier found in ``text``, under its CSL key (``DOI``, ``URL``, ``PMID``,
    ``PMCID``, ``ISBN``, ``ISSN``, ``arXiv``). ``URL`` is the first URL that is not a
    DOI resolver link."""
    found: dict[str, str] = {}
    if not may_hold_identifiers(text):
        return found
    doi = find_doi(text)
    if doi:
        found["DOI"] = doi
    url = next((u for u in find_urls(text) if not is_doi_url(u)), None)
    if url:
        found["URL"] = url
    for key, pattern in (("PMID", _PMID), ("PMCID", _PMCID), ("ISSN", _ISSN), ("arXiv", _ARXIV)):
        match = pattern.search(text)
        if match:
            found[key] = match.group(1).upper() if key == "ISSN" else match.group(1)
    isbn = _isbn(text)
    if isbn:
        found["ISBN"] = isbn
    return found


IDENTIFIER_SPANS = re.compile(
    r"(?i)(?:\b(?:doi|https?://(?:dx\.)?doi\.org/)\s*:?\s*)?10\.\d{4,9}/[^\s\"<>]+"
    r"|\b(?:https?://|www\.)[^\s<>\"]+"
    r"|\bPMID:?\s*\d{1,9}\b|\bPMC\d{4,9}\b|\bPMCID:?\s*PMC\d+\b"
    r"|\bISBN(?:-1[03])?:?\s*[\dXx][\d\sXx-]{8,16}[\dXx]\b|\bISSN:?\s*\d{4}-?\d{3}[\dXx]\b"
    r"|\barxiv:\s*\S+"
    r"|\b(?:doi|pmid|isbn|issn|url)\s*:?\s*$"
)
"""Where identifiers (with their ``doi:``/``PMID``... prefixes) sit in a reference, so the
words the CRF labelled there are not read as title or journal text."""
