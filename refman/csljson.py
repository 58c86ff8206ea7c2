"""CSL-JSON files: the export every CSL engine (pandoc, Zotero, citeproc-js) reads.

The published CSL-JSON schema (``csl-data.json``) allows only its own variables
(``additionalProperties: false``), names made of name parts, and dates made of
``date-parts``. refman's records also hold Crossref extras (affiliations, date
timestamps, list-valued titles) and fields CSL has no variable for (``arXiv``), so
``dumps`` writes a schema-valid item: CSL variables as the schema types them,
refman's private keys (``_refman``, ``_warnings``, ...) dropped, other fields kept
under the schema's ``custom`` object, which ``loads`` puts back. That way an
export validates and an import of it gives back every field.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from refman.errors import InputError
from refman.model import CslItem, text_field

CSL_TYPES = frozenset(
    {
        "article",
        "article-journal",
        "article-magazine",
        "article-newspaper",
        "bill",
        "book",
        "broadcast",
        "chapter",
        "classic",
        "collection",
        "dataset",
        "document",
        "entry",
        "entry-dictionary",
        "entry-encyclopedia",
        "figure",
        "graphic",
        "hearing",
        "interview",
        "legal_case",
        "legislation",
        "manuscript",
        "map",
        "motion_picture",
        "musical_score",
        "pamphlet",
        "paper-conference",
        "patent",
        "performance",
        "periodical",
        "personal_communication",
        "post",
        "post-weblog",
        "regulation",
        "report",
        "review",
        "review-book",
        "software",
        "song",
        "speech",
        "standard",
        "thesis",
        "treaty",
        "webpage",
    }
)
"""Item types of CSL 1.0.2."""
NAME_FIELDS = frozenset(
    {
        "author",
        "chair",
        "collection-editor",
        "compiler",
        "composer",
        "container-author",
        "contributor",
        "curator",
        "director",
        "editor",
        "editorial-director",
        "executive-producer",
        "interviewer",
        "illustrator",
        "organizer",
        "original-author",
        "performer",
        "producer",
        "recipient",
        "reviewed-author",
        "translator",
    }
)
DATE_FIELDS = frozenset(
    {
        "accessed",
        "available-date",
        "container",
        "event-date",
        "issued",
        "original-date",
        "submitted",
    }
)
NUMBER_FIELDS = frozenset(
    {
        "chapter-number",
        "citation-number",
        "collection-number",
        "edition",
        "first-reference-note-number",
        "issue",
        "locator",
        "number",
        "number-of-pages",
        "number-of-volumes",
        "page",
        "page-first",
        "part",
        "printing",
        "supplement",
        "volume",
    }
)
"""Variables the schema types as string or number."""
STRING_FIELDS = frozenset(
    {
        "abstract",
        "annote",
        "archive",
        "archive_collection",
        "archive_location",
        "archive-place",
        "authority",
        "call-number",
        "citation-label",
        "collection-title",
        "container-title",
        "container-title-short",
        "dimensions",
        "division",
        "DOI",
        "event",
        "event-place",
        "genre",
        "ISAN",
        "ISBN",
        "ISCI",
        "ISMN",
        "ISRC",
        "ISSN",
        "ISWC",
        "journalAbbreviation",
        "jurisdiction",
        "keyword",
        "language",
        "medium",
        "note",
        "original-publisher",
        "original-publisher-place",
        "original-title",
        "part-title",
        "PMCID",
        "PMID",
        "publisher",
        "publisher-place",
        "references",
        "reviewed-title",
        "scale",
        "section",
        "shortTitle",
        "source",
        "status",
        "title",
        "title-short",
        "translated-title",
        "translated-title-short",
        "URL",
        "version",
        "year-suffix",
    }
)
NAME_PARTS = frozenset(
    {
        "family",
        "given",
        "dropping-particle",
        "non-dropping-particle",
        "suffix",
        "comma-suffix",
        "static-ordering",
        "literal",
        "parse-names",
    }
)
DATE_PARTS = frozenset({"date-parts", "season", "circa", "literal", "raw", "edtf"})

_DEFAULT_TYPE = "document"


def dumps(items: Sequence[CslItem]) -> str:
    """A CSL-JSON array of ``items`` that validates against the CSL-JSON schema."""
    return json.dumps([to_csl(item) for item in items], ensure_ascii=False, indent=2) + "\n"


def to_csl(item: CslItem) -> CslItem:
    """One item as schema-valid CSL-JSON (private keys dropped, extras under ``custom``)."""
    out: CslItem = {"id": str(item.get("id", "")), "type": _csl_type(item.get("type"))}
    custom: dict[str, Any] = {}
    for key, value in item.items():
        if key in {"id", "type", "custom"} or key.startswith("_") or value in (None, "", []):
            continue
        converted = _field(key, value, item)
        if converted is not None:
            out[key] = converted
        else:
            custom[key] = value
    if isinstance(item.get("custom"), dict):
        custom = {**item["custom"], **custom}
    if custom:
        out["custom"] = custom
    return out


def _csl_type(value: Any) -> str:
    return value if isinstance(value, str) and value in CSL_TYPES else _DEFAULT_TYPE


def _field(key: str, value: Any, item: CslItem) -> Any:
    """The schema-typed value of a CSL variable, or None for a field CSL does not define."""
    if key in NAME_FIELDS:
        names = [_name(name) for name in value] if isinstance(value, list) else []
        return [name for name in names if name] or None
    if key in DATE_FIELDS:
        return _date(value)
    if key in NUMBER_FIELDS:
        return value if isinstance(value, int | str) and not isinstance(value, bool) else None
    if key in STRING_FIELDS:
        text = text_field(item, key)
        return text or None
    return None


def _name(name: Any) -> dict[str, Any]:
    if not isinstance(name, dict):
        return {}
    return {part: value for part, value in name.items() if part in NAME_PARTS and value != ""}


def _date(value: Any) -> dict[str, Any] | None:
    """A CSL date with its schema keys only; Crossref's ``[[null]]`` parts dropped."""
    if not isinstance(value, dict):
        return None
    date = {key: part for key, part in value.items() if key in DATE_PARTS}
    parts = date.get("date-parts")
    if parts is not None:
        valid = [
            [p for p in row if isinstance(p, int | str) and p != ""][:3]
            for row in parts
            if isinstance(row, list)
        ]
        valid = [row for row in valid if row][:2]
        if valid:
            date["date-parts"] = valid
        else:
            del date["date-parts"]
    return date or None


def loads(text: str) -> list[CslItem]:
    """Items from a CSL-JSON array (or one object); ``custom`` fields are put back.

    Raises ``InputError`` saying which item is malformed.
    """
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid JSON: {exc}; give a CSL-JSON array of items") from exc
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        raise InputError("CSL-JSON must be an array of items (objects with id and type)")
    return [_load_item(number, entry) for number, entry in enumerate(data, start=1)]


def _load_item(number: int, entry: Any) -> CslItem:
    if not isinstance(entry, dict):
        raise InputError(f"CSL-JSON item {number} is not an object; each item is {{...}}")
    for key, value in entry.items():
        if key in NAME_FIELDS and not (
            isinstance(value, list) and all(isinstance(name, dict) for name in value)
        ):
            raise InputError(
                f"CSL-JSON item {number}: {key} must be a list of names like "
                '[{"family": "Gröber", "given": "Uwe"}]'
            )
        if key in DATE_FIELDS and not isinstance(value, dict | str):
            raise InputError(
                f'CSL-JSON item {number}: {key} must be a date like {{"date-parts": [[2015, 9]]}}'
            )
    item = {key: value for key, value in entry.items() if key != "custom"}
    custom = entry.get("custom")
    if isinstance(custom, dict):
        for key, value in custom.items():
            item.setdefault(key, value)
    if "type" not in item:
        item["type"] = _DEFAULT_TYPE
    if "id" in item:
        item["id"] = str(item["id"])
    return item
