"""Clean the text of title-like fields: quotes, markers, ``In:``, trailing remnants.

The CRF decides where a field starts and ends; these small rules remove the
punctuation and leftovers that come with it (``“Title.”``, ``In: Handbook``,
``Foreign Affairs, January/February``). Before labelling, ``as_printed`` undoes what
typesetting or PDF extraction did to the whole reference (TeX quotes, loose accents).
"""

from __future__ import annotations

import html
import re
import unicodedata

from refman.parsing import lexicon

_TEX_MARKS = re.compile(r"``|''|\\ ")
_TEX_PRINTED = {"``": "“", "''": "”", "\\ ": " "}
_SPACING_ACCENTS = {"´": "\u0301", "˛": "\u0328", "¨": "\u0308", "ˇ": "\u030c", "˚": "\u030a"}
_LOOSE_ACCENT = re.compile(r"(?<=[^\W\d_])( )?([´˛¨ˇ˚])(?(1) ?)(?![st]\b)")
_DOUBLED_WORD = re.compile(r"\b([A-Z][^\W\d_]{3,})\1\b")


def as_printed(text: str) -> str:
    """A whole reference as it was printed, before typesetting or PDF extraction changed
    it: TeX's quote pairs and control space (``A.\\ Halpern``) as curly quotes and a space;
    an accent a PDF gave its own glyph (``Kamin´ski``, ``S ´ wia ˛tek``) back on its letter;
    a name the extraction doubled (``KamińskiKamiński``) once. The labeller has only seen
    references as printed."""
    if "`" in text or "'" in text or "\\" in text:
        text = _TEX_MARKS.sub(lambda match: _TEX_PRINTED[match.group()], text)
    if not _SPACING_ACCENTS.keys().isdisjoint(text):
        marked = _LOOSE_ACCENT.sub(_attach_accent, text)
        text = _DOUBLED_WORD.sub(r"\1", unicodedata.normalize("NFC", marked))
    return text


def _attach_accent(match: re.Match[str]) -> str:
    """The accent as a combining mark on the letter before it, unless it stands for an
    apostrophe: ``Parkinson´s`` and ``don´t`` (kept by the pattern), ``O´Brien`` (here)."""
    text, start = match.string, match.start()
    word_start = start < 2 or not text[start - 2].isalpha()
    if not match.group(1) and word_start and text[match.end() : match.end() + 1].isupper():
        return match.group()
    return _SPACING_ACCENTS[match.group(2)]


_QUOTES = "\"“”„«»‘’'`"
_LEFT_EDGE = " ,;:.([" + _QUOTES
_RIGHT_EDGE = " ,;:([" + _QUOTES
_TRAILING_STOP = re.compile(r"(?<![A-Z])(?<!\b[A-Z][a-z])\.$")
_MARKERS = re.compile(r"(?i)\[(?:internet|online|electronic resource|e-?book|data\s*set|dataset)\]")
_CONTAINER_PREFIX = re.compile(r"(?i)^(?:in|dans|en|im)\s*:?\s+")
_CONTAINER_NUMBERS = re.compile(
    r"[,;.]\s*(?:[IVXLC]{2,}(?:\s*\(.*)?|(?:[IVXLC]\s){1,5}[IVXLC]|\d{4}(?:/\d{1,2}){0,2}|(?i:vol|no|nr|n°)\.?\s*\d.*"
    r"|\d+\s*[-–]+\s*\d+|(?i:tome|t|vol|volume|bd|band|jg|jahrg|heft|no|nr|n\.\s*p|pages?|pp?)\.?)$"
)
_IN_PRESS = re.compile(
    r"(?i)\s*[(\[](?:in\s+press|forthcoming|im\s+druck|sous\s+presse|ter\s+perse|en\s+prensa"
    r"|in\s+[^\W\d_]+(?:\s+with\s+[^\W\d_]+\s+summary)?)[)\]]"
)
_CONTAINER_SERIES = re.compile(
    r"(?i)(?:[,.:;]|\s(?=special))\s*(?:special\s+issue\b.*|\d+(?:e|ème|nd|rd|th|st)\s+s[ée]ries?"
    r"|lecture\s+notes\s+in\b.*|lncs\b.*)$"
    r"|\s*\(\s*(?:\d+\.?|[^\W\d_]+)\s+(?:ed(?:ition)?|éd(?:ition)?|aufl(?:age)?)\.?\)?$"
)
_CONTAINER_LEAD = re.compile(
    r"(?i)^(?:special\s+issue[,.:;]\s*|[IVX]{1,4}\.\s+(?=[A-Z])|(?:1[6-9]|20)\d\d[a-z]?[,.:]\s+"
    r"|[^()]{1,60}\((?:a\s+cura\s+di|eds?|hrsg|dir|coord|red|éds?)\.?\),?\s+)"
)
_CONTAINER_MONTHS = re.compile(
    r"[,;.]\s*(?:\d{1,2}\.?\s+)?([^\W\d_]{3,10})\.?(?:\s*[/-]\s*([^\W\d_]{3,10})\.?)?"
    r"(?:\s+\d{1,2})?$"
)


def _strip_container_tail(text: str) -> str:
    """Drop volume, month, season, date, page or series remnants and an ``(in press)`` the
    CRF left around a journal name (``Foreign Affairs, January/February``, ``Psychological
    Review, LXV``, ``Special Issue, Culture and Critique``, ``Le Moyen Âge, 2e série``,
    ``Annales de Bretagne, Tome``, ``Handbook of Aging (Seventh Edition``, ``(in Russian)``,
    ``Southern Communication Journal, Winter``, ``..., Lecture Notes in Computer Science
    392``)."""
    text = _CONTAINER_LEAD.sub("", _IN_PRESS.sub("", text) if "(" in text or "[" in text else text)
    series = _CONTAINER_SERIES.search(text)
    if series and series.start() > 0:
        text = text[: series.start()].strip()
    numbers = _CONTAINER_NUMBERS.search(text)
    if numbers and numbers.start() > 0:
        return text[: numbers.start()].strip()
    months = _CONTAINER_MONTHS.search(text)
    if months and months.start() > 0:
        words = [word.lower() for word in months.groups() if word]
        if all(word in lexicon.MONTHS or word in lexicon.SEASONS for word in words):
            return text[: months.start()].strip()
    return text


_MARKUP = re.compile(
    r"</?[a-zA-Z][a-zA-Z0-9]{0,10}(?:\s[^<>]{0,40})?/?>"  # <italic>, </i>, <sup>
    r"|\\(?:emph|textit|textbf|textsc|textsl|it|bf|em|sc|sl)\b\s*"  # \emph{, {\em
    r"|(?<!\\)[{}]"  # BibTeX braces
)


_MARKUP_CHARS = re.compile(r"[<\\{}&]")
_LATEX_ESCAPE = re.compile(r"\\([&%$#_])")


def strip_markup(text: str) -> str:
    r"""Remove the HTML and LaTeX markup a pasted reference may carry (``<italic>Planta
    </italic>``, ``\emph{Naval Research Logistics Quarterly}``, ``&amp;``): a field is plain
    text."""
    if not _MARKUP_CHARS.search(text):
        return text
    return html.unescape(_LATEX_ESCAPE.sub(r"\1", _MARKUP.sub("", text)))


_STATUS = re.compile(
    r"(?i)^(?:under\s+review|submitted|in\s+press|forthcoming|to\s+appear|in\s+preparation"
    r"|accepted(?:\s+for\s+publication)?|in\s+review|(?:unpublished\s+)?manuscript|unpublished"
    r"|im\s+druck|sous\s+presse|preprint|personal\s+communication|working\s+paper)$"
)
_MAX_STATUS = 40


def clean_title(text: str) -> str:
    """Strip markup, quotes, markers such as ``[Internet]`` (and what follows them) and the
    closing full stop; empty for a publication status (``Personal communication``)."""
    text = strip_markup(text)
    marker = _MARKERS.search(text) if "[" in text else None
    if marker:
        text = text[: marker.start()]
    text = " ".join(text.split()).lstrip(_LEFT_EDGE).rstrip(_RIGHT_EDGE)
    text = _TRAILING_STOP.sub("", text).rstrip(_RIGHT_EDGE)
    return "" if len(text) <= _MAX_STATUS and _STATUS.match(text) else text


_REPORT_SERIES = re.compile(r"(?i)[,.]?\s*\btech(?:nical|\.)?\s*rep(?:ort|\.)?(?:\W.*)?$")


def clean_container(text: str) -> str:
    """A journal or book title without ``In:`` or closing punctuation (``Sleep Med X.`` ->
    ``Sleep Med X``: the full stop of an abbreviation is not part of the name); empty for
    a publication status (``Preprint``, ``under review``) or a report series (``NASA,
    Tech. Rep.``: a report has a publisher and a number, not a container)."""
    if len(text) <= _MAX_STATUS and not clean_title(text):
        return ""  # a publication status (``In press.``), not a journal
    if "rep" in text.lower() and _REPORT_SERIES.search(text):
        return ""  # a report series, not a journal or book
    text = clean_title(_CONTAINER_PREFIX.sub("", text.strip())).rstrip(".").strip()
    text = _strip_container_tail(text).rstrip(" ,;:.")
    return text + "." if _ABBREVIATED.search(text) else text


_ABBREVIATED = re.compile(r"\b[A-Z][a-z]{0,5}\. \S.*\b[A-Z][a-z]{1,5}$")
"""``IEEE Trans. Pattern Anal. Mach. Intell``: in a name abbreviated with full stops, the
last short word lost its own stop with the field's, so it gets it back."""


def clean_plain(text: str) -> str:
    """Publisher, place and similar: just the words (``Washington (DC):`` keeps its bracket)."""
    text = " ".join(strip_markup(text).split()).strip(" ,;:.[]")
    if text.startswith("(") and text.endswith(")") and text.count("(") == 1:
        text = text[1:-1]
    if text.startswith("(") and text.count("(") > text.count(")"):
        text = text[1:]
    if text.endswith(")") and text.count(")") > text.count("("):
        text = text[:-1]
    return text.strip(" ,;:.")
