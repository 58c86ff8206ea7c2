"""Free text -> CSL-JSON: find the references in a text and parse each one, offline.

``split_references`` finds the references (a list, or the list under a whole
article's references heading); ``parse_reference`` labels one reference's
tokens with a CRF trained on anystyle's data, then fixes identifiers, dates,
pages and names with deterministic rules. Pure apart from loading the shipped
model file once.
"""

from __future__ import annotations

import gc
from collections.abc import Sequence

from refman.model import CslItem
from refman.parsing.cleaners import as_printed
from refman.parsing.finder import join_lines, split_references

__all__ = ["label_reference", "parse_reference", "parse_references", "split_references"]

_MAX_TOKENS = 400
"""Longer "references" are pasted paragraphs; labelling only their start keeps junk fast."""


def label_reference(text: str) -> tuple[str, list[str], list[str]]:
    """One reference as the labeller reads it: the cleaned text, its tokens (all of them)
    and the CRF's label for each of the first ``_MAX_TOKENS``, before any repair."""
    from refman.parsing import crf
    from refman.parsing.tokens import tokenize

    clean = " ".join(as_printed(join_lines(text)).split())
    tokens = tokenize(clean)
    return clean, tokens, crf.label(tokens[:_MAX_TOKENS])


def parse_reference(text: str) -> CslItem:
    """One reference -> a CSL item; never raises on junk (see ``_warnings``)."""
    from refman.parsing import record

    clean, tokens, labels = label_reference(text)
    item = record.build_item(clean, tokens[:_MAX_TOKENS], labels)
    record.warn_if_empty(item, clean)
    if len(tokens) > _MAX_TOKENS:
        item.setdefault("_warnings", []).append(
            f"only the first {_MAX_TOKENS} of {len(tokens)} words were read; is this one reference?"
        )
    return item


def parse_references(texts: Sequence[str]) -> list[CslItem]:
    """Many references, in order. The cyclic garbage collector waits meanwhile: parsing
    makes no reference cycles for it to find, and its full passes over the growing feature
    caches took 6-10 % of the time of a 3,000-reference batch."""
    paused = gc.isenabled()
    gc.disable()
    try:
        return [parse_reference(text) for text in texts]
    finally:
        if paused:
            gc.enable()
