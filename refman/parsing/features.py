"""Token features for the CRF: small pure functions over one token and its neighbours.

Each token gets string attributes (``name=value``) describing its form
(shape, case, punctuation, digits), what it looks like (year, page range,
initials, identifier), word-list membership, where it sits in the reference
(relative position, whether a year or a full stop came before) and the same
for its neighbours. Field order is what tells titles from journals, so the
position features matter as much as the word itself.
"""

from __future__ import annotations

import re
import string
from collections.abc import Sequence
from functools import lru_cache
from itertools import groupby
from typing import NamedTuple

from refman.parsing import lexicon

_YEAR = re.compile(r"^\(?\[?(1[5-9]\d\d|20\d\d)[a-z]?\]?\)?[.,;:]?$")
_RANGE = re.compile(r"^\(?(?:pp?\.?)?\d+\s*[-–—‑]+\s*\d+[).,;:]*$")
_NUMBER = re.compile(r"^\(?\d+\)?[.,;:)]*$")
_VOLISSUE = re.compile(r"^\d+\s*\(\d+[-–/]?\d*\)[:.,;]*$")
_INITIALS = re.compile(r"^(?:[A-Z]\.?-?){1,3}[.,;]?$|^[A-Z]{1,3}[,.;]?$")
_IDENT = re.compile(r"(?i)^(?:https?://|www\.|doi|10\.\d{4,9}/|arxiv|isbn|issn|pmid|pmc)")
_DIGIT = re.compile(r"\d")
_DIGIT_PATTERNS = (("year", _YEAR), ("range", _RANGE), ("number", _NUMBER), ("volissue", _VOLISSUE))
_QUOTE_CHARS = frozenset("\"“”„«»'‘’")


def _word_list_flags(
    lists: tuple[tuple[str, frozenset[str] | dict[str, int]], ...],
) -> dict[str, tuple[str, ...]]:
    """word -> names of the word lists it is in (one dict lookup per token)."""
    table: dict[str, tuple[str, ...]] = {}
    for name, words in lists:
        for word in words:
            table[word] = (*table.get(word, ()), name)
    return table


_WORD_FLAGS = _word_list_flags(
    (
        ("month", lexicon.MONTHS),
        ("journalword", lexicon.JOURNAL_WORDS),
        ("pubword", lexicon.PUBLISHER_WORDS),
        ("access", lexicon.ACCESS_WORDS),
        ("genre", lexicon.GENRE_WORDS),
        ("particle", lexicon.PARTICLES),
        ("org", lexicon.ORGANISATION_WORDS),
    )
)
_BARE_FLAGS = _word_list_flags((("editor", lexicon.EDITOR_MARKERS), ("etal", lexicon.ET_AL)))
_TOKEN_FLAGS = _word_list_flags(
    (("editor", lexicon.EDITOR_MARKERS), ("in", lexicon.CONTAINER_MARKERS))
)
_PUNCTUATION = string.punctuation + "“”„«»‘’‚‹›–—‑…·•§¶†‡°"


_ASCII_SHAPE = str.maketrans(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "X" * 26 + "x" * 26 + "d" * 10
)


def _shape(token: str) -> str:
    shape = token.translate(_ASCII_SHAPE)
    if not shape.isascii():
        shape = "".join(
            "X" if ch.isupper() else "x" if ch.isalpha() else "d" if ch.isdigit() else ch
            for ch in shape
        )
    return "".join(char for char, _ in groupby(shape))


def _case(word: str) -> str:
    if not word or not any(map(str.isalpha, word)):
        return "none"
    if word.isupper():
        return "upper" if len(word) > 1 else "single"
    if word[0].isupper():
        return "title"
    if word.islower():
        return "lower"
    return "mixed"


def _digits(word: str) -> str:
    count = sum(map(str.isdigit, word))
    if count == 0:
        return "0"
    if count == len(word):
        return f"all{min(count, 5)}"
    return "some"


@lru_cache(maxsize=1 << 16)
def token_attributes(token: str) -> tuple[str, ...]:
    """The attributes of one token on its own, without position or neighbours (cached:
    references repeat their words and punctuation a lot)."""
    word = token.strip(_PUNCTUATION)
    lower = word.lower()
    token_lower = token.lower()
    attrs = [
        f"w={lower}",
        f"shape={_shape(token)[:8]}",
        f"case={_case(word)}",
        f"digits={_digits(word)}",
        "last=alnum" if token[-1].isalnum() else f"last={token[-1]}",
        "first=alnum" if token[0].isalnum() else f"first={token[0]}",
        f"p3={lower[:3]}",
        f"s3={lower[-3:]}",
    ]
    if _DIGIT.search(token):
        attrs += [name for name, pattern in _DIGIT_PATTERNS if pattern.match(token)]
    attrs += _WORD_FLAGS.get(lower, ())
    attrs += _BARE_FLAGS.get(token_lower.strip(".,;:()[]"), ())
    attrs += [flag for flag in _TOKEN_FLAGS.get(token_lower, ()) if flag not in attrs]
    attrs += _form_flags(token, word)
    return tuple(attrs)


def _form_flags(token: str, word: str) -> list[str]:
    """Initials, identifiers, quotes, brackets, abbreviations (plain ifs: this runs once
    per distinct token of every batch, so its cost is part of parsing speed)."""
    flags = []
    if _INITIALS.match(token):
        flags.append("initials")
    if _IDENT.match(token):
        flags.append("ident")
    if not _QUOTE_CHARS.isdisjoint(token):
        flags.append("quote")
    if "(" in token or ")" in token:
        flags.append("paren")
    if "[" in token or "]" in token:
        flags.append("bracket")
    if token[-1] == "." and len(word) <= 5 and word[:1].isupper():
        flags.append("abbrev")
    return flags


_FIXED_ATTRIBUTES = 8
"""``token_attributes`` starts with this many ``name=value`` attributes, then flags."""
_NEIGHBOUR_TEXT = "year initials number range in editor journalword etal quote"
_NEIGHBOUR_FLAGS = frozenset(_NEIGHBOUR_TEXT.split())
"""The flags a token lends to its neighbours (``-1:year``...), besides its word, shape,
case and last character."""


def _ends_sentence(token: str) -> bool:
    """A full stop that ends a field, not an initial (``A.``) or abbreviation (``J.``)."""
    return token.endswith((".", "?", "!")) and len(token.strip(_PUNCTUATION)) > 3


_FIELD_END_CHARS = frozenset(".,;:)]\"”»’'")
_OPEN_QUOTES = frozenset('"“«„‘')
_CLOSE_QUOTES = frozenset('"”»’')


class _Effect(NamedTuple):
    """How one token changes the context of the tokens after it."""

    ends_sentence: bool
    year: bool
    opens_quote: bool
    closes_quote: bool
    paren: bool | None  # True: leaves a bracket open, False: closes it, None: no bracket
    container_marker: bool  # ``In``, ``in:``, ``dans``...
    colon: bool  # ends with a colon (``In:``)
    ends_field: bool  # ends with punctuation that can close a field (``.``, ``,``, ``”``)
    editor_marker: bool


class _Token(NamedTuple):
    """Everything the sequence needs from one token, computed once per distinct token."""

    attrs: tuple[str, ...]
    as_previous: tuple[str, ...]  # its attributes as the next token sees them (-1:)
    as_next: tuple[str, ...]  # as the previous token sees them (+1:)
    two_before: tuple[str, ...]  # its word as the token two places on sees it (-2:w=)
    two_after: tuple[str, ...]  # as the token two places back sees it (+2:w=)
    lower: str
    effect: _Effect


@lru_cache(maxsize=1 << 17)
def _token(token: str, known: frozenset[str] | None) -> _Token:
    """With ``known`` (a model's attributes), word-like attributes the model has no weight
    for are left out: that changes no label, and each one spared saves crfsuite a string
    conversion and a lookup. Checking only those keeps the check cheaper than its gain."""
    attrs = token_attributes(token)
    effect = _effect(token, attrs)
    shared = [attrs[0], attrs[1], attrs[2], attrs[4]]  # w=, shape=, case=, last=
    shared += [a for a in attrs[_FIXED_ATTRIBUTES:] if a in _NEIGHBOUR_FLAGS]
    lower = token.lower()
    previous = tuple(["-1:" + a for a in shared])
    following = tuple(["+1:" + a for a in shared])
    two_before: tuple[str, ...] = ("-2:w=" + lower,)
    two_after: tuple[str, ...] = ("+2:w=" + lower,)
    if known is not None:  # word-like: s3= (7), p3= (6), w= (0), and the neighbours' w=
        attrs = _known_only(attrs, (7, 6, 0), known)
        previous = _known_only(previous, (0,), known)
        following = _known_only(following, (0,), known)
        two_before = _known_only(two_before, (0,), known)
        two_after = _known_only(two_after, (0,), known)
    return _Token(attrs, previous, following, two_before, two_after, lower, effect)


def _effect(token: str, attrs: tuple[str, ...]) -> _Effect:
    """Positional arguments, in ``_Effect``'s order: keywords cost a NamedTuple a slow
    path, and this runs once per distinct token of every batch."""
    has_paren = "(" in token or ")" in token
    return _Effect(
        _ends_sentence(token),  # ends_sentence
        "year" in attrs,  # year
        token[:1] in _OPEN_QUOTES,  # opens_quote
        token.rstrip(".,;:")[-1:] in _CLOSE_QUOTES,  # closes_quote
        token.rfind("(") > token.rfind(")") if has_paren else None,  # paren
        "in" in attrs,  # container_marker
        token.endswith(":"),  # colon
        token[-1] in _FIELD_END_CHARS,  # ends_field
        "editor" in attrs,  # editor_marker
    )


def _known_only(
    attrs: Sequence[str], lexical: tuple[int, ...], known: frozenset[str]
) -> tuple[str, ...]:
    """``attrs`` without those at the ``lexical`` positions (highest first) that ``known``
    lacks."""
    kept = list(attrs)
    for index in lexical:
        if kept[index] not in known:
            del kept[index]
    return tuple(kept)


def _starts_container(info: _Token, previous: _Token | None) -> bool:
    """``Title. In Book``, ``In: Book``: an ``in`` that opens a field, not one inside a title
    (``Tone cases in Bantu``), which must not make the rest look like a container."""
    effect = info.effect
    if not effect.container_marker:
        return False
    return effect.colon or previous is None or previous.effect.ends_field


_POSITIONS = tuple(f"pos={n}" for n in range(10))
_STOPS = tuple(f"stops={n}" for n in range(6))
_SEGSTART = tuple(f"segstart={n}" for n in range(6))


def sequence_features(
    tokens: Sequence[str], known: frozenset[str] | None = None
) -> list[list[str]]:
    """Attributes for every token of one reference, with position and context: how many
    full stops came before (field order), whether this token starts a new sentence, whether
    a year, an open quote or bracket, an ``In`` that opens a field, or an editor marker
    came before. With ``known`` (a model's attributes), only those are given: training
    passes none, labelling passes the model's."""
    count = len(tokens)
    infos = [_token(token, known) for token in tokens]
    features: list[list[str]] = []
    stops = 0
    year = quote = paren = seen_in = seen_editor = False
    for index, info in enumerate(infos):
        row = [*info.attrs, _POSITIONS[10 * index // count], _STOPS[min(stops, 5)]]
        if year:
            row.append("after_year")
        if quote:
            row.append("in_quote")
        if paren:
            row.append("in_paren")
        if seen_in:
            row.append("after_in")
        if seen_editor:
            row.append("after_editor")
        if index == 0:
            row.append("BOS")
        else:
            previous = infos[index - 1]
            if previous.effect.ends_sentence:
                row.extend(("segstart", _SEGSTART[min(stops, 5)]))
            row.extend(previous.as_previous)
            bigram = f"bi={previous.lower}|{info.lower}"
            if known is None or bigram in known:
                row.append(bigram)
        if index == count - 1:
            row.append("EOS")
        else:
            row.extend(infos[index + 1].as_next)
        if index >= 2:
            row.extend(infos[index - 2].two_before)
        if index + 2 < count:
            row.extend(infos[index + 2].two_after)
        features.append(row)
        effect = info.effect
        stops += effect.ends_sentence
        year = year or effect.year
        quote = (quote or effect.opens_quote) and not effect.closes_quote
        if effect.paren is not None:
            paren = effect.paren
        seen_in = seen_in or _starts_container(info, infos[index - 1] if index else None)
        seen_editor = seen_editor or effect.editor_marker
    return features
