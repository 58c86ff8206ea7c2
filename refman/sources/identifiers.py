"""Identifier services other than Crossref search: doi.org, arXiv, NCBI, Open Library.

A reference that carries an identifier is looked up directly: a DOI of another
registration agency (DataCite, mEDRA, ...) through doi.org content negotiation,
an arXiv id through the arXiv API (with the published DOI when arXiv knows
it), a PMID/PMCID through the NCBI ID converter (to a DOI), an ISBN through
Open Library. Every base URL comes from ``Settings`` so tests use a local
server; every answer goes through the shared cache.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from refman.model import CslItem, date_parts
from refman.sources.crossref import doi_path
from refman.sources.lookup import Fetcher

CSL_JSON = "application/vnd.citationstyles.csl+json"
ATOM = "{http://www.w3.org/2005/Atom}"
ARXIV = "{http://arxiv.org/schemas/atom}"


class IdentifierClient:
    """Direct lookups by identifier; each returns None when the service does not know it."""

    def __init__(
        self,
        fetcher: Fetcher,
        *,
        doi_url: str,
        arxiv_url: str,
        ncbi_url: str,
        openlibrary_url: str,
        mailto: str,
    ):
        self.fetcher = fetcher
        self.doi_url = doi_url.rstrip("/")
        self.arxiv_url = arxiv_url.rstrip("/")
        self.ncbi_url = ncbi_url.rstrip("/")
        self.openlibrary_url = openlibrary_url.rstrip("/")
        self.mailto = mailto

    def doi_csl(self, doi: str) -> CslItem | None:
        """CSL-JSON of any agency's DOI through doi.org content negotiation."""
        _, body = self.fetcher.get_json(f"{self.doi_url}/{doi_path(doi)}", accept=CSL_JSON)
        return body if isinstance(body, dict) else None

    def arxiv(self, arxiv_id: str) -> CslItem | None:
        """The arXiv record as CSL-JSON (``DOI`` set when arXiv knows the published one)."""
        response = self.fetcher.get(f"{self.arxiv_url}/query", {"id_list": arxiv_id})
        if response.status != 200:
            return None
        return arxiv_entry_to_csl(response.body, arxiv_id)

    def pmid_doi(self, pmid_or_pmcid: str) -> str | None:
        """The DOI the NCBI ID converter gives for a PMID or PMCID."""
        params = {"ids": pmid_or_pmcid, "format": "json", "tool": "refman"}
        if self.mailto:
            params["email"] = self.mailto
        _, body = self.fetcher.get_json(f"{self.ncbi_url}/", params)
        records = (body or {}).get("records") or []
        doi = records[0].get("doi") if records and isinstance(records[0], dict) else None
        return str(doi) if doi else None

    def isbn(self, isbn: str) -> CslItem | None:
        """A book from Open Library by ISBN."""
        key = f"ISBN:{isbn}"
        params = {"bibkeys": key, "format": "json", "jscmd": "data"}
        _, body = self.fetcher.get_json(f"{self.openlibrary_url}/api/books", params)
        record = (body or {}).get(key)
        return openlibrary_to_csl(record, isbn) if isinstance(record, dict) else None


def arxiv_entry_to_csl(xml: bytes, arxiv_id: str) -> CslItem | None:
    """The first Atom entry of an arXiv API answer as CSL-JSON; None for none or an error."""
    try:
        entry = ET.fromstring(xml).find(f"{ATOM}entry")
    except ET.ParseError:
        return None
    if entry is None or "api/errors" in (entry.findtext(f"{ATOM}id") or ""):
        return None
    item: CslItem = {
        "type": "article",
        "title": " ".join((entry.findtext(f"{ATOM}title") or "").split()),
        "author": [
            _split_name(a.findtext(f"{ATOM}name") or "") for a in entry.iter(f"{ATOM}author")
        ],
        "publisher": "arXiv",
        "number": arxiv_id,
        "URL": f"https://arxiv.org/abs/{arxiv_id}",
    }
    published = entry.findtext(f"{ATOM}published") or ""
    if published[:4].isdigit():
        item["issued"] = date_parts(int(published[:4]))
    doi = entry.findtext(f"{ARXIV}doi")
    if doi:
        item["DOI"] = doi.strip()
    return item


def openlibrary_to_csl(record: dict[str, Any], isbn: str) -> CslItem:
    """An Open Library ``jscmd=data`` record as a CSL book."""
    item: CslItem = {
        "type": "book",
        "title": record.get("title", ""),
        "author": [_split_name(a.get("name", "")) for a in record.get("authors", [])],
        "ISBN": isbn,
    }
    publishers = record.get("publishers") or []
    if publishers:
        item["publisher"] = publishers[0].get("name", "")
    places = record.get("publish_places") or []
    if places:
        item["publisher-place"] = places[0].get("name", "")
    year = "".join(ch for ch in str(record.get("publish_date", ""))[-4:] if ch.isdigit())
    if len(year) == 4:
        item["issued"] = date_parts(int(year))
    return item


def _split_name(name: str) -> dict[str, str]:
    """``Given Middle Family`` -> CSL name (last word is the family name)."""
    parts = name.split()
    if len(parts) < 2:
        return {"literal": name}
    return {"family": parts[-1], "given": " ".join(parts[:-1])}
