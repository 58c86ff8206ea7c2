"""Clean the text of title-like fields: quotes, markers, ``In:``, trailing remnants.

The CRF decides where a field starts and ends; these small rules remove the
punctuation and leftovers that come with it (``“Title.”``, ``In: Handbook``,
``Foreign Affairs, January/February``).
"""

from __future__ import annotations

import re

from refman.parsing import lexicon

_QUOTES = "\"“”„«»‘’'`"
_LEFT_EDGE = " ,;:.([" + _QUOTES
_RIGHT_EDGE = " ,;:([" + _QUOTES
_TRAILING_STOP = re.compile(r"(?<![A-Z])(?<!\b[A-Z][a-z])\.$")
_MARKERS = re.compile(r"(?i)\[(?:internet|online|electronic resource|e-?book|data\s*set|dataset)\]")
_CONTAINER_PREFIX = re.compile(r"(?i)^(?:in|dans|en|im)\s*:?\s+")
_CONTAINER_NUMBERS = re.compile(
    r"[,;.]\s*(?:[IVXLC]{2,}|\d{4}(?:/\d{1,2}){0,2}|(?i:vol|no|nr|n°)\.?\s*\d.*)$"
)
_CONTAINER_SERIES = re.compile(
    r"(?i)[,.:;]\s*(?:special\s+issue\b.*|\d+(?:e|ème|nd|rd|th|st)\s+s[ée]ries?)$"
)
_CONTAINER_LEAD = re.compile(r"(?i)^(?:special\s+issue[,.:;]\s*|[IVX]{1,4}\.\s+(?=[A-Z]))")
_CONTAINER_MONTHS = re.compile(
    r"[,;.]\s*([^\W\d_]{3,10})\.?(?:\s*[/-]\s*([^\W\d_]{3,10})\.?)?(?:\s+\d{1,2})?$"
)


def _strip_container_tail(text: str) -> str:
    """Drop volume, month, date or series remnants the CRF left around a journal name
    (``Foreign Affairs, January/February``, ``Psychological Review, LXV``, ``Special
    Issue, Culture and Critique``, ``Le Moyen Âge, 2e série``)."""
    text = _CONTAINER_LEAD.sub("", text)
    series = _CONTAINER_SERIES.search(text)
    if series and series.start() > 0:
        text = text[: series.start()].strip()
    numbers = _CONTAINER_NUMBERS.search(text)
    if numbers and numbers.start() > 0:
        return text[: numbers.start()].strip()
    months = _CONTAINER_MONTHS.search(text)
    if months and months.start() > 0:
        words = [word.lower() for word in months.groups() if word]
        if all(word in lexicon.MONTHS for word in words):
            return text[: months.start()].strip()
    return text


def clean_title(text: str) -> str:
    """Strip quotes, markers such as ``[Internet]`` (and what follows them) and the closing
    full stop."""
    marker = _MARKERS.search(text) if "[" in text else None
    if marker:
        text = text[: marker.start()]
    text = " ".join(text.split()).lstrip(_LEFT_EDGE).rstrip(_RIGHT_EDGE)
    return _TRAILING_STOP.sub("", text).strip()


def clean_container(text: str) -> str:
    """A journal or book title without ``In:`` or closing punctuation (``Sleep Med X.`` ->
    ``Sleep Med X``: the full stop of an abbreviation is not part of the name)."""
    text = clean_title(_CONTAINER_PREFIX.sub("", text.strip())).rstrip(".").strip()
    return _strip_container_tail(text)


def clean_plain(text: str) -> str:
    """Publisher, place and similar: just the words (``Washington (DC):`` keeps its bracket)."""
    text = " ".join(text.split()).strip(" ,;:.[]")
    if text.startswith("(") and text.endswith(")") and text.count("(") == 1:
        text = text[1:-1]
    if text.startswith("(") and text.count("(") > text.count(")"):
        text = text[1:]
    if text.endswith(")") and text.count(")") > text.count("("):
        text = text[:-1]
    return text.strip(" ,;:.")
