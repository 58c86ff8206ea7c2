"""Labelled tokens -> one CSL-JSON item: group fields, run normalisers, infer the type.

The identifier and access-date rules run on the whole reference first; the
tokens inside those spans are taken away from whatever field the CRF gave
them, so a DOI never ends up in a title. Each normaliser that fails adds a
warning to ``_warnings`` and the record survives without that field.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from refman.model import CslItem
from refman.parsing import identifiers, names, reftypes, repairs, values
from refman.parsing.cleaners import clean_container, clean_plain, clean_title

Span = tuple[int, int]

_LEADING_NOISE = re.compile(
    r"(?i)^(?:available\s+(?:from|at|online)|retrieved\s+from|from|disponible\s+(?:sur|en)"
    r"|verfügbar\s+unter|beschikbaar\s+(?:op|via))\s*:?\s*"
)

_TITLE_LABELS = frozenset({"title", "container", "journal"})


def token_spans(text: str, tokens: Sequence[str]) -> list[Span]:
    """Where each token starts and ends in ``text`` (tokens are in order, without gaps lost)."""
    spans: list[Span] = []
    cursor = 0
    for token in tokens:
        start = text.find(token, cursor)
        if start < 0:
            start = cursor
        cursor = start + len(token)
        spans.append((start, cursor))
    return spans


def _overlaps(span: Span, protected: Sequence[Span]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in protected)


def group_fields(tokens: Sequence[str], labels: Sequence[str]) -> dict[str, str]:
    """The text of each label's first run of tokens (later runs of a label are noise more
    often than a continuation)."""
    fields: dict[str, str] = {}
    index = 0
    while index < len(tokens):
        label = labels[index]
        end = index
        while end < len(tokens) and labels[end] == label:
            end += 1
        if label not in fields:
            fields[label] = " ".join(tokens[index:end])
        index = end
    return fields


def _set_names(item: CslItem, key: str, text: str) -> None:
    parsed = names.parse_names(text)
    if parsed:
        item[key] = parsed


def _set_pages(item: CslItem, text: str) -> None:
    page = values.parse_pages(text)
    if page is None:
        return
    item["page"] = page
    if "-" not in page and (len(page) >= 5 or page[:1] in "eE"):
        item["number"] = page  # an article number (Sleep Med X 8:100121), not a page


def _set_volume(item: CslItem, text: str) -> None:
    volume, issue = values.parse_volume(text)
    if volume:
        item["volume"] = volume
    if issue:
        item["issue"] = issue


def _set_date(item: CslItem, text: str) -> None:
    date = values.parse_date(text)
    if date:
        item["issued"] = date


def _set_text(key: str, clean: Callable[[str], str]) -> Callable[[CslItem, str], None]:
    def setter(item: CslItem, text: str) -> None:
        value = clean(text)
        if value and any(ch.isalnum() for ch in value):
            item.setdefault(key, value)

    return setter


def _set_edition(item: CslItem, text: str) -> None:
    edition = values.parse_edition(text)
    if edition:
        item["edition"] = edition


FIELD_SETTERS: dict[str, Callable[[CslItem, str], None]] = {
    "author": lambda item, text: _set_names(item, "author", text),
    "editor": lambda item, text: _set_names(item, "editor", text),
    "translator": lambda item, text: _set_names(item, "translator", text),
    "title": _set_text("title", clean_title),
    "journal": _set_text("container-title", clean_container),
    "container": _set_text("container-title", clean_container),
    "collection-title": _set_text("collection-title", clean_container),
    "publisher": _set_text("publisher", clean_plain),
    "location": _set_text("publisher-place", clean_plain),
    "date": _set_date,
    "volume": _set_volume,
    "pages": _set_pages,
    "edition": _set_edition,
    "genre": _set_text("genre", clean_plain),
}
"""Which normaliser turns each CRF label into CSL fields; labels not listed (``note``,
``citation-number``, ``url``, ``doi``, ``isbn``) are covered by the identifier rules or dropped."""


def protected_spans(text: str, item: CslItem) -> list[Span]:
    """Find identifiers and the access date in ``text``, store them in ``item``, and return
    the character spans they occupy."""
    spans: list[Span] = []
    if identifiers.may_hold_identifiers(text):
        spans = [match.span() for match in identifiers.IDENTIFIER_SPANS.finditer(text)]
        item.update(identifiers.extract_identifiers(text))
    access = values.find_access_date(text)
    if access is not None:
        item["accessed"] = access[0]
        spans.append(access[1])
    return spans


def build_item(text: str, tokens: Sequence[str], labels: Sequence[str]) -> CslItem:
    """The CSL item of one labelled reference."""
    item: CslItem = {}
    protected = protected_spans(text, item)
    kept = list(zip(tokens, labels, strict=True))
    if protected:
        spans = token_spans(text, tokens)
        kept = [
            pair for pair, span in zip(kept, spans, strict=True) if not _overlaps(span, protected)
        ]
    kept_tokens = [token for token, _ in kept]
    kept_labels = repairs.repair_labels(kept_tokens, [label for _, label in kept])
    kept = list(zip(kept_tokens, kept_labels, strict=True))
    fields = group_fields(kept_tokens, kept_labels)
    warnings: list[str] = []
    for label, raw in fields.items():
        setter = FIELD_SETTERS.get(label)
        if setter is None:
            continue
        try:
            setter(item, _LEADING_NOISE.sub("", raw) if label in _TITLE_LABELS else raw)
        except (ValueError, IndexError) as exc:
            warnings.append(f"could not read the {label} {raw!r}: {exc}")
    _move_year_out_of_container(item)
    if "page" not in item and "volume" in fields:
        _pages_left_in_volume(item, fields["volume"])
    if "issued" not in item:
        _fallback_year(item, kept)
    item["type"] = reftypes.infer_type(item, fields, text)
    if item["type"] == "report" and "number" not in item:
        number = reftypes.report_number(text)
        if number:
            item["number"] = number
    if warnings:
        item["_warnings"] = warnings
    return item


_AFTER_VOLUME = re.compile(r"^\s*\S+?[,:]\s*(?=\S*\d+\s*[-–]\s*\S*\d)")


def _pages_left_in_volume(item: CslItem, volume_text: str) -> None:
    """``Parasitology. 109, S109-S118``: a page range the labeller left in the volume
    field (after its comma or colon) is the pages; a lone number there may be an issue."""
    after = _AFTER_VOLUME.match(volume_text)
    if after is not None:
        _set_pages(item, volume_text[after.end() :])


_CONTAINER_YEAR = re.compile(r"[\s,;.]+((?:1[6-9]|20)\d\d)[a-z]?$")


_MEETING = re.compile(
    r"(?i)\b(?:proc|proceedings|conf|conference|symposium|workshop|congress|meeting|colloquium)\b"
)


def _move_year_out_of_container(item: CslItem) -> None:
    """``Proc Natl Acad Sci USA 2008``: the year belongs to ``issued``, unless the
    reference is dated elsewhere and the year names a meeting (``Proc. of IEEE Globecom
    2013``)."""
    container = item.get("container-title")
    if not isinstance(container, str):
        return
    match = _CONTAINER_YEAR.search(container)
    if match is None or match.start() == 0:
        return
    if "issued" in item and _MEETING.search(container):
        return
    item["container-title"] = container[: match.start()]
    item.setdefault("issued", values.parse_date(match.group(1)))


def _fallback_year(item: CslItem, kept: Sequence[tuple[str, str]]) -> None:
    """A year the CRF did not label as a date (inside a note or volume): better than none."""
    for token, label in kept:
        if label in {"title", "journal", "container", "pages", "citation-number"}:
            continue
        if re.fullmatch(r"\W*(1[6-9]\d\d|20\d\d)[a-z]?\W*", token):
            _set_date(item, token)
            return


def warn_if_empty(item: CslItem, text: str) -> None:
    """Say so when a reference gave nothing a reader could use."""
    if not any(key in item for key in ("title", "author", "container-title", "DOI", "URL")):
        shown = text if len(text) <= 60 else text[:57] + "..."
        warnings: list[Any] = item.setdefault("_warnings", [])
        warnings.append(f"no title, author or identifier found in {shown!r}; check the input")
