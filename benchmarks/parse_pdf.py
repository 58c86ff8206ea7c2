"""Parser field accuracy on references extracted from PDFs, against their Crossref records.

    python benchmarks/parse_pdf.py [--errors FIELD] [--show N]

The acceptance measures the parser on two kinds of references: anystyle-style
labelled ones (``benchmarks/parse_accuracy.py``) and references drawn from PDF
extractions (line breaks, hyphenation, Vancouver/BMC/Springer glue such as
``2010, 5:e10554``). ``../shared/data/matching/dev.jsonl`` holds 2,295 such
references of the ``plain`` variant, each with its DOI, and ``index-dev.jsonl``
the record of that DOI: first author, title, container (usually the abbreviated
journal name), year, volume and first page. This script parses every plain
reference whose record is there and compares each field after the same light
normalisation as ``parse_accuracy.py`` (ASCII, lower case, letters and digits).

The records are not labels of the strings, so read the numbers as a floor:
about 5% of the titles are cut where the original had italics, ~30% of the
records have no author (those are not counted), and a record's abbreviated
journal name can differ from the one the reference uses. Titles are therefore
given two rates: "title" (rapidfuzz ratio >= 90, as the acceptance compares) and
"title, cut gold" (also right when the record's shortened title lies inside the
parsed one). The fixes this set has prompted were found by reading its errors,
so it is not a held-out measurement.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from anyascii import anyascii
from rapidfuzz import fuzz

from refman.model import CslItem, family_name, first_author, first_page, issued_year
from refman.parsing import parse_references

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "matching"
FIELDS = ("author", "title", "title, cut gold", "container", "year", "volume", "page", "type")
CSL_TYPES = {
    "journal-article": "article-journal",
    "proceedings-article": "paper-conference",
    "book-chapter": "chapter",
    "posted-content": "article",
}
"""Crossref's type names as CSL's, for the record types of this set."""


def _norm(value: object) -> str:
    return re.sub(r"[^a-z0-9]", "", anyascii(str(value or "")).lower())


def gold_fields(record: dict[str, Any]) -> dict[str, str]:
    """What the Crossref-like record says, for the fields it has."""
    authors = record.get("author") or [{}]
    issued = (record.get("issued") or {}).get("date-parts") or [[None]]
    title = (record.get("title") or [""])[0]
    gold = {
        "author": authors[0].get("family", ""),
        "title": title,
        "title, cut gold": title,
        "container": (record.get("container-title") or [""])[0],
        "year": str(issued[0][0] or ""),
        "volume": record.get("volume", ""),
        "page": record.get("page", ""),
        "type": CSL_TYPES.get(record.get("type", ""), record.get("type", "")),
    }
    return {field: value for field, value in gold.items() if _norm(value)}


def parsed_fields(item: CslItem) -> dict[str, str]:
    """The same fields from refman's parse of the reference."""
    author = first_author(item)
    title = str(item.get("title", ""))
    return {
        "author": family_name(author) if author else "",
        "title": title,
        "title, cut gold": title,
        "container": str(item.get("container-title", "")),
        "year": str(issued_year(item) or ""),
        "volume": str(item.get("volume", "")),
        "page": first_page(item) or "",
        "type": str(item.get("type", "")),
    }


def is_right(field: str, parsed: str, gold: str) -> bool:
    """Equal after normalisation; titles by similarity (and containment for cut ones)."""
    mine, theirs = _norm(parsed), _norm(gold)
    if field.startswith("title"):
        if fuzz.ratio(mine, theirs) >= 90:
            return True
        return field == "title, cut gold" and len(theirs) >= 10 and theirs in mine
    return mine == theirs


def plain_references() -> Iterator[tuple[str, dict[str, Any]]]:
    """(reference, record) for every plain dev reference whose record is in the index."""
    records: dict[str, dict[str, Any]] = {}
    with (DATA / "index-dev.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            records[record["DOI"].lower()] = record
    with (DATA / "dev.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            reference = json.loads(line)
            record = records.get((reference["doi"] or "").lower())
            if reference["variant"] == "plain" and record is not None:
                yield reference["reference"], record


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", choices=FIELDS, help="print the misses of one field")
    parser.add_argument("--show", type=int, default=30, help="how many misses to print")
    args = parser.parse_args()
    if not DATA.is_dir():
        sys.exit(f"{DATA} is missing: this benchmark reads ../shared beside the project")
    pairs = list(plain_references())
    items = parse_references([text for text, _ in pairs])
    right: Counter[str] = Counter()
    counted: Counter[str] = Counter()
    misses: list[tuple[str, str, str]] = []
    for (text, record), item in zip(pairs, items, strict=True):
        mine = parsed_fields(item)
        for field, gold in gold_fields(record).items():
            counted[field] += 1
            if is_right(field, mine[field], gold):
                right[field] += 1
            elif field == args.errors:
                misses.append((" ".join(text.split()), mine[field], gold))
    print(f"{len(pairs)} plain PDF references with a record")
    for field in FIELDS:
        print(f"{field:16} {right[field] / counted[field]:.3f}  ({counted[field]} with the field)")
    for text, mine, gold in misses[: args.show]:
        print(f"\n{text}\n  parsed: {mine!r}\n  record: {gold!r}")


if __name__ == "__main__":
    main()
