"""RIS files (EndNote, Zotero, Mendeley, PubMed): CSL <-> RIS as declarative tables.

RIS has fewer and looser fields than CSL, so the mapping is chosen to come back
unchanged through ``loads(dumps(items))`` for the fields refman keeps:

- names are written ``Family, Given`` (a particle leads the family: ``van der Meer, Jan``,
  and is split off again on reading); a one-part name is written ``Family,``
  and an organisation (CSL ``literal``) without a comma, so each reads back as it was;
- ``issued`` goes to ``PY`` (year) and ``DA`` (``YYYY/MM/DD`` with only the known
  parts); ``accessed`` to ``Y2``;
- ``page`` ``8199-8226`` is split into ``SP``/``EP``; a page that is not a simple
  range stays whole in ``SP``;
- ``SN`` holds the ISBN or the ISSN; on reading, the ``NNNN-NNNN`` shape says ISSN;
- PMID goes to ``AN`` and PMCID to ``C2`` as PubMed's RIS export does; arXiv to ``C3``.

Reading and writing the line format is rispy's job; this module is the mapping.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from refman.errors import InputError
from refman.model import CslItem, CslName, listed_names, text_field

CSL_TO_RIS_TYPE: dict[str, str] = {
    "article-journal": "JOUR",
    "article-magazine": "MGZN",
    "article-newspaper": "NEWS",
    "article": "UNPB",
    "book": "BOOK",
    "chapter": "CHAP",
    "paper-conference": "CPAPER",
    "report": "RPRT",
    "thesis": "THES",
    "webpage": "ELEC",
    "dataset": "DATA",
    "software": "COMP",
    "patent": "PAT",
    "standard": "STAND",
    "post-weblog": "BLOG",
    "manuscript": "MANSCPT",
    "entry-encyclopedia": "ENCYC",
    "entry-dictionary": "DICT",
    "map": "MAP",
    "bill": "BILL",
    "legal_case": "CASE",
    "legislation": "STAT",
    "motion_picture": "MPCT",
    "personal_communication": "PCOMM",
    "document": "GEN",
}
"""Each CSL type and the RIS type it is written as (one-to-one, so it reads back)."""

RIS_TO_CSL_TYPE: dict[str, str] = {
    **{ris: csl for csl, ris in CSL_TO_RIS_TYPE.items()},
    "EJOUR": "article-journal",
    "JFULL": "article-journal",
    "INPR": "article-journal",
    "CONF": "paper-conference",
    "EBOOK": "book",
    "EDBOOK": "book",
    "ECHAP": "chapter",
    "CHAPTER": "chapter",
    "WEB": "webpage",
}
"""RIS types as other programs write them, read as the nearest CSL type."""

TEXT_FIELDS: dict[str, str] = {
    "title": "title",
    "container-title": "secondary_title",
    "collection-title": "tertiary_title",
    "container-title-short": "alternate_title1",
    "title-short": "short_title",
    "volume": "volume",
    "issue": "number",
    "number": "note",
    "edition": "edition",
    "publisher": "publisher",
    "publisher-place": "place_published",
    "DOI": "doi",
    "abstract": "abstract",
    "language": "language",
    "genre": "type_of_work",
    "PMID": "accession_number",
    "PMCID": "custom2",
    "arXiv": "custom3",
    "call-number": "call_number",
    "section": "section",
    "number-of-volumes": "number_of_volumes",
}
"""CSL variable -> rispy key, for single-valued text fields."""

NAME_FIELDS: dict[str, str] = {
    "author": "authors",
    "editor": "secondary_authors",
    "collection-editor": "tertiary_authors",
    "translator": "subsidiary_authors",
}
"""CSL name variable -> rispy key (``AU``, ``A2``, ``A3``, ``A4``)."""

_ISSN = re.compile(r"^\d{4}-?\d{3}[\dXx]$")
_SIMPLE_RANGE = re.compile(r"^(\w+)-(\w+)$")
_UNKNOWN = "GEN"


def dumps(items: Sequence[CslItem]) -> str:
    """The RIS text of ``items`` (UTF-8 text, one ``TY`` ... ``ER`` record per item)."""
    import rispy

    class _Writer(rispy.RisWriter):  # type: ignore[misc]
        """Standard RIS: no ``1.`` counter line before each record (rispy's default)."""

        def set_header(self, count: int) -> str:
            return ""

    text: str = rispy.dumps([to_ris(item) for item in items], implementation=_Writer)
    return text


def loads(text: str) -> list[CslItem]:
    """Items from RIS text. Raises ``InputError`` when the text is not RIS."""
    import rispy

    try:
        records: list[dict[str, Any]] = rispy.loads(text)
    except (OSError, ValueError, TypeError, KeyError) as exc:
        raise InputError(f"cannot read RIS: {exc}; each record must start with 'TY  - '") from exc
    return [from_ris(record) for record in records]


def to_ris(item: CslItem) -> dict[str, Any]:
    """One CSL item as a rispy record."""
    record: dict[str, Any] = {
        "type_of_reference": CSL_TO_RIS_TYPE.get(str(item.get("type")), _UNKNOWN)
    }
    if item.get("id"):
        record["id"] = str(item["id"])
    for csl, key in NAME_FIELDS.items():
        names = [_name_text(name) for name in listed_names(item.get(csl))]
        if names:
            record[key] = names
    for csl, key in TEXT_FIELDS.items():
        value = " ".join(text_field(item, csl).split())
        if value:
            record[key] = value
    _write_pages(item, record)
    _write_dates(item, record)
    identifier = text_field(item, "ISBN") or text_field(item, "ISSN")
    if identifier:
        record["issn"] = identifier
    if item.get("URL"):
        record["urls"] = [text_field(item, "URL")]
    notes = [line.strip() for line in text_field(item, "note").splitlines() if line.strip()]
    if notes:
        record["notes"] = notes
    keywords = [word.strip() for word in text_field(item, "keyword").split(",") if word.strip()]
    if keywords:
        record["keywords"] = keywords
    return record


def from_ris(record: dict[str, Any]) -> CslItem:
    """One rispy record as a CSL item."""
    item: CslItem = {"type": RIS_TO_CSL_TYPE.get(str(record.get("type_of_reference")), "document")}
    if record.get("id"):
        item["id"] = str(record["id"])
    for csl, key in NAME_FIELDS.items():
        names = [_parse_name(text) for text in _as_list(record.get(key))]
        if names:
            item[csl] = names
    if not item.get("author") and record.get("first_authors"):
        item["author"] = [_parse_name(text) for text in _as_list(record["first_authors"])]
    item["title"] = _first(record, "title", "primary_title")
    item["container-title"] = _first(
        record, "secondary_title", "journal_name", "alternate_title3", "alternate_title2"
    )
    for csl, key in TEXT_FIELDS.items():
        if csl not in item or not item[csl]:
            item[csl] = _first(record, key)
    _read_pages(record, item)
    _read_dates(record, item)
    identifier = _first(record, "issn")
    if identifier:
        item["ISSN" if _ISSN.match(identifier) else "ISBN"] = identifier
    urls = _as_list(record.get("urls"))
    if urls:
        item["URL"] = urls[0]
    notes = _as_list(record.get("notes"))
    if notes:
        item["note"] = "\n".join(notes)
    keywords = _as_list(record.get("keywords"))
    if keywords:
        item["keyword"] = ", ".join(keywords)
    return {key: value for key, value in item.items() if value not in (None, "", [])}


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    values = value if isinstance(value, list) else [value]
    return [str(text).strip() for text in values if str(text).strip()]


def _first(record: dict[str, Any], *keys: str) -> str:
    for key in keys:
        values = _as_list(record.get(key))
        if values:
            return values[0]
    return ""


def _name_text(name: CslName) -> str:
    if name.get("literal"):
        return name["literal"]
    family = " ".join(
        part for part in (name.get("non-dropping-particle"), name.get("family")) if part
    )
    given = " ".join(part for part in (name.get("given"), name.get("dropping-particle")) if part)
    parts = [family, given] + ([name["suffix"]] if name.get("suffix") else [])
    return ", ".join(parts) if given or name.get("suffix") else f"{family},"


def _parse_name(text: str) -> CslName:
    if "," not in text:
        return {"literal": text}
    family, _, rest = (part.strip() for part in text.partition(","))
    given, _, suffix = (part.strip() for part in rest.partition(","))
    name: CslName = _split_particle(family)
    if given:
        name["given"] = given
    if suffix:
        name["suffix"] = suffix
    return name


def _split_particle(family: str) -> CslName:
    """``van der Meer`` -> particle ``van der`` + family ``Meer`` (lowercase leading words)."""
    words = family.split()
    lowercase = 0
    while lowercase < len(words) - 1 and words[lowercase][:1].islower():
        lowercase += 1
    if lowercase == 0:
        return {"family": family}
    return {
        "family": " ".join(words[lowercase:]),
        "non-dropping-particle": " ".join(words[:lowercase]),
    }


def _write_pages(item: CslItem, record: dict[str, Any]) -> None:
    page = text_field(item, "page")
    if not page:
        return
    pages = _SIMPLE_RANGE.match(page)
    if pages:
        record["start_page"], record["end_page"] = pages.group(1), pages.group(2)
    else:
        record["start_page"] = page


def _read_pages(record: dict[str, Any], item: CslItem) -> None:
    start, end = _first(record, "start_page"), _first(record, "end_page")
    item["page"] = f"{start}-{end}" if start and end else start or end


def _write_dates(item: CslItem, record: dict[str, Any]) -> None:
    issued = _date_parts(item.get("issued"))
    if issued:
        record["year"] = str(issued[0])
        if len(issued) > 1:
            record["date"] = _ris_date(issued)
    accessed = _date_parts(item.get("accessed"))
    if accessed:
        record["access_date"] = _ris_date(accessed)


def _ris_date(parts: list[int]) -> str:
    """``[2025, 3, 7]`` -> ``2025/03/07``: RIS's slash-separated, zero-padded form."""
    return "/".join([str(parts[0]), *(f"{part:02d}" for part in parts[1:])])


def _date_parts(date: Any) -> list[int]:
    """The first date's ``[year, month, day]`` as integers (as many as are known)."""
    if not isinstance(date, dict):
        return []
    rows = date.get("date-parts") or [[]]
    parts: list[int] = []
    for part in rows[0] if isinstance(rows[0], list) else []:
        try:
            parts.append(int(part))
        except (TypeError, ValueError):
            break
    return parts


def _parse_date(text: str) -> dict[str, Any] | None:
    """``2015/09//`` or ``2015-09-01`` -> a CSL date with the numeric parts found."""
    parts: list[int] = []
    for piece in [piece.strip() for piece in re.split(r"[/\-]", text) if piece.strip()][:3]:
        if not piece.isdigit():
            break
        parts.append(int(piece))
    return {"date-parts": [parts]} if parts else None


def _read_dates(record: dict[str, Any], item: CslItem) -> None:
    item["issued"] = _parse_date(_first(record, "date")) or _parse_date(
        _first(record, "year", "publication_year")
    )
    item["accessed"] = _parse_date(_first(record, "access_date"))
