"""Crossref title markup: a tiny, safe subset of HTML, rendered per output format.

Crossref (and JATS-derived records) put inline markup into titles:
``<i>Escherichia coli</i>``, ``CO<sub>2</sub>``, ``<scp>dna</scp>``, plus entities
such as ``&amp;``. Only the five formatting tags below mean anything; every other
``<...>`` is text (a title mentioning ``<script>`` must print that word, never run
it). The text is tokenised once and written out per format:

- plain text: the tags are dropped, entities decoded (``CO2``);
- HTML: the tags become ``<i>``, ``<b>``, ``<sub>``, ``<sup>``, small-caps spans;
  everything else is escaped;
- Markdown (pandoc): ``*x*``, ``**x**``, ``~x~``, ``^x^``, ``[x]{.smallcaps}``;
- CSL rich text, the form pandoc's citeproc reads from CSL-JSON.

This module is pure: no I/O.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Literal

Mark = Literal["i", "b", "sub", "sup", "scp"]
"""The formatting kinds Crossref uses."""

_TAG_KIND: dict[str, Mark] = {
    "i": "i",
    "em": "i",
    "italic": "i",
    "b": "b",
    "strong": "b",
    "bold": "b",
    "sub": "sub",
    "sup": "sup",
    "scp": "scp",
    "sc": "scp",
    "small-caps": "scp",
}
"""Tag names (also as ``jats:``/``mml:``-prefixed JATS forms) and what they mean."""

_TAG = re.compile(
    r"<(?P<close>/?)(?:[a-z]+:)?(?P<name>[a-z-]+)(?P<attrs>(?:\s[^<>]*)?)>", re.IGNORECASE
)
_SMALL_CAPS_STYLE = re.compile(r"font-variant\s*:\s*small-caps", re.IGNORECASE)


@dataclass(frozen=True)
class _Text:
    text: str


@dataclass(frozen=True)
class _Open:
    kind: Mark


@dataclass(frozen=True)
class _Close:
    kind: Mark


_Token = _Text | _Open | _Close


def _tag_kind(match: re.Match[str]) -> Mark | None:
    name = match.group("name").lower()
    if name == "span":
        attrs = match.group("attrs")
        if match.group("close") or _SMALL_CAPS_STYLE.search(attrs):
            return "scp"
        return None
    return _TAG_KIND.get(name)


def _tokens(text: str) -> Iterator[_Token]:
    """Formatting tags as open/close tokens; the rest as decoded text.

    Tags are balanced here: a close without an open is dropped and opens left
    at the end are closed, so no output format can leak an unbalanced tag.
    """
    stack: list[Mark] = []
    position = 0
    for match in _TAG.finditer(text):
        kind = _tag_kind(match)
        if kind is None:
            continue
        if match.start() > position:
            yield _Text(html.unescape(text[position : match.start()]))
        position = match.end()
        if not match.group("close"):
            stack.append(kind)
            yield _Open(kind)
        elif kind in stack:
            while stack:
                top = stack.pop()
                yield _Close(top)
                if top == kind:
                    break
    if position < len(text):
        yield _Text(html.unescape(text[position:]))
    while stack:
        yield _Close(stack.pop())


def _render(
    text: str, escape: Callable[[str], str], opening: dict[Mark, str], closing: dict[Mark, str]
) -> str:
    parts: list[str] = []
    for token in _tokens(text):
        if isinstance(token, _Text):
            parts.append(escape(token.text))
        elif isinstance(token, _Open):
            parts.append(opening[token.kind])
        else:
            parts.append(closing[token.kind])
    return "".join(parts)


_HTML_OPEN: dict[Mark, str] = {
    "i": "<i>",
    "b": "<b>",
    "sub": "<sub>",
    "sup": "<sup>",
    "scp": '<span style="font-variant:small-caps;">',
}
_HTML_CLOSE: dict[Mark, str] = {
    "i": "</i>",
    "b": "</b>",
    "sub": "</sub>",
    "sup": "</sup>",
    "scp": "</span>",
}
_MD_OPEN: dict[Mark, str] = {"i": "*", "b": "**", "sub": "~", "sup": "^", "scp": "["}
_MD_CLOSE: dict[Mark, str] = {"i": "*", "b": "**", "sub": "~", "sup": "^", "scp": "]{.smallcaps}"}
_NO_MARK: dict[Mark, str] = dict.fromkeys(_HTML_OPEN, "")

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~^$@])")


def _escape_markdown(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text)


def _escape_html(text: str) -> str:
    return html.escape(text, quote=False)


def _keep(text: str) -> str:
    return text


def has_markup(text: str) -> bool:
    """True when ``text`` holds a formatting tag or an entity (so it needs rendering)."""
    return "&" in text or any(_tag_kind(match) for match in _TAG.finditer(text))


def to_plain(text: str) -> str:
    """Plain text: formatting tags dropped, entities decoded, other text unchanged."""
    return _render(text, _keep, _NO_MARK, _NO_MARK)


def to_html(text: str) -> str:
    """Safe HTML: the five formatting kinds as HTML tags, everything else escaped."""
    return _render(text, _escape_html, _HTML_OPEN, _HTML_CLOSE)


def to_markdown(text: str) -> str:
    """Pandoc Markdown: emphasis, strong, ``~sub~``, ``^sup^``, small caps spans."""
    return _render(text, _escape_markdown, _MD_OPEN, _MD_CLOSE)


def to_csl(text: str) -> str:
    """CSL-JSON rich text as citeproc engines read it (tags normalised, entities decoded).

    citeproc engines read only ``<i>``, ``<b>``, ``<sub>``, ``<sup>`` and the small-caps
    span as markup and do not decode entities, so entities are decoded here and any
    other ``<...>`` stays literal text, which the engine's HTML writer escapes.
    """
    return _render(text, _keep, _HTML_OPEN, _HTML_CLOSE)
