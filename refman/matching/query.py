"""The search string sent to Crossref for a reference (pure).

``query.bibliographic`` works best on the reference as written, minus what
is not bibliographic: citation numbers, URLs, ``doi:`` stubs, line-break
hyphens and runs of whitespace.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from refman.model import first_page, issued_year, listed_names, text_field

LEADING_NUMBER = re.compile(r"^\s*(?:\[\d+\]|\(\d+\)|\d{1,4}[.)])\s+")
URL = re.compile(r"(?i)\b(?:https?://|www\.)\S+")
DOI_STUB = re.compile(r"(?i)\b(?:doi|pmid|pmcid|isbn|issn)\s*:?\s*(?=$|[\s,.;])")
HYPHEN_BREAK = re.compile(r"(\w)-\s*\n\s*(\w)")
MAX_QUERY = 600


def query_text(text: str) -> str:
    """A reference string cleaned for ``query.bibliographic``."""
    text = HYPHEN_BREAK.sub(r"\1-\2", text)
    text = LEADING_NUMBER.sub("", text)
    text = URL.sub(" ", text)
    text = DOI_STUB.sub(" ", text)
    return " ".join(text.split())[:MAX_QUERY]


def item_text(item: dict[str, Any]) -> str:
    """A reference string built from structured fields (a .bib entry without DOI)."""
    names = [
        person.get("family") or person.get("literal") or ""
        for person in listed_names(item.get("author") or item.get("editor"))
    ]
    year = issued_year(item)
    parts: Iterable[str] = (
        ", ".join(filter(None, names)),
        f"({year})" if year else "",
        text_field(item, "title"),
        text_field(item, "container-title"),
        text_field(item, "volume"),
        f"({text_field(item, 'issue')})" if item.get("issue") else "",
        text_field(item, "page") or (first_page(item) or ""),
    )
    return ". ".join(part for part in parts if part)
