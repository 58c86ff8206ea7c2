"""BibTeX/BibLaTeX <-> CSL-JSON: the only module that talks to bibtexparser.

bibtexparser 2.x splits a file into blocks (entries, ``@string``, ``@preamble``,
comments, failed blocks, duplicate-key blocks) and keeps each block's raw text.
refman reads with its splitter, writes each new entry with its writer (an
explicit ``BibtexFormat``: two-space indent, trailing comma), and puts its own
small codecs on top; bibtexparser is imported lazily, since listing a library
from its index needs none of it. Why:

- the library file must survive untouched: every block is located in the source
  text by its raw span (:func:`split_blocks`), so untouched blocks are written
  back byte-identical and nothing of bibtexparser's own writer output (warning
  comments, tab indents) reaches the user's file;
- the CSL <-> BibTeX mapping is a declarative table (:data:`TYPES`,
  :data:`FIELDS`), readable in one screen, like anystyle's ``format/bibtex.rb``;
- LaTeX is decoded to Unicode on read and escaped on write, keeping Unicode by
  default (``ascii=True`` writes LaTeX accents), and capitals that must survive a
  BibTeX style are brace-protected word by word, never whole titles.

Provenance (where an entry came from, when, with what confidence) lives in the
item as ``_refman`` and in the entry as ``refman-*`` fields; fields refman does
not map are carried as ``_refman_extra`` so nothing the user wrote is lost.
"""

from __future__ import annotations

import functools
import logging
import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from refman.bibscan import RawBlock, scan_blocks
from refman.errors import InputError
from refman.keys import STOP_WORDS
from refman.model import ET_AL, CslItem, CslName

# bibtexparser logs every malformed block as a warning; refman reports them itself.
logging.getLogger("bibtexparser").addHandler(logging.NullHandler())
logging.getLogger("bibtexparser").propagate = False

Dialect = Literal["bibtex", "biblatex"]

PROVENANCE_PREFIX = "refman-"
EXTRA_KEY = "_refman_extra"
PROVENANCE_KEY = "_refman"

# --- LaTeX <-> Unicode ---------------------------------------------------------------------

_ACCENTS = {
    '"': "\u0308",
    "'": "\u0301",
    "`": "\u0300",
    "^": "\u0302",
    "~": "\u0303",
    "=": "\u0304",
    ".": "\u0307",
    "u": "\u0306",
    "v": "\u030c",
    "H": "\u030b",
    "c": "\u0327",
    "k": "\u0328",
    "r": "\u030a",
    "d": "\u0323",
    "b": "\u0331",
}
_MARK_TO_ACCENT = {mark: command for command, mark in _ACCENTS.items()}
_SYMBOLS = {
    "ss": "ß",
    "o": "ø",
    "O": "Ø",
    "ae": "æ",
    "AE": "Æ",
    "oe": "œ",
    "OE": "Œ",
    "aa": "å",
    "AA": "Å",
    "l": "ł",
    "L": "Ł",
    "i": "ı",
    "j": "ȷ",
    "textbackslash": "\\",
    "textasciitilde": "~",
    "textasciicircum": "^",
    "textendash": "–",
    "textemdash": "—",
    "textquoteright": "’",
    "textquoteleft": "‘",
    "textdegree": "°",
    "textmu": "µ",
}
_SYMBOL_TO_COMMAND = {char: name for name, char in _SYMBOLS.items() if name not in {"i", "j"}}
_ESCAPED = frozenset("&%$#_{} ")
_FORMATTING = frozenset({"emph", "textit", "textbf", "textsc", "textrm", "mkbibquote", "url"})
_LATEX_SPECIALS = {
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "\\": r"\textbackslash{}",
}
_COMMAND = re.compile(r"[A-Za-z]+")


def latex_to_unicode(text: str) -> str:
    """Decode a BibTeX field value: accents and symbols to Unicode, braces dropped.

    Whitespace runs (line wraps in the file) collapse to one space; unknown
    commands are kept as written so no information is lost.
    """
    decoded = _decode(text, 0, stop_at_close=False)[0] if _has_markup(text) else text
    if not decoded.isascii():
        decoded = unicodedata.normalize("NFC", decoded)
    return " ".join(decoded.split())


_SPECIAL = re.compile(r"[\\{}~$]")


def _has_markup(text: str) -> bool:
    """Whether ``text`` holds a character :func:`_decode` acts on (the :data:`_SPECIAL`
    set): five substring tests cost a fifth of one regex search, and most values
    of a library are plain words."""
    return "\\" in text or "{" in text or "}" in text or "~" in text or "$" in text


def _decode(text: str, pos: int, *, stop_at_close: bool) -> tuple[str, int]:
    out: list[str] = []
    while True:
        match = _SPECIAL.search(text, pos)
        if match is None:
            out.append(text[pos:])
            return "".join(out), len(text)
        out.append(text[pos : match.start()])
        char, pos = match.group(0), match.end()
        if char == "\\":
            piece, pos = _decode_command(text, pos)
            out.append(piece)
        elif char == "{":
            inner, pos = _decode(text, pos, stop_at_close=True)
            out.append(inner)
        elif char == "}" and stop_at_close:
            return "".join(out), pos
        elif char == "~":
            out.append(" ")


def _decode_command(text: str, pos: int) -> tuple[str, int]:
    """Decode the command after a backslash at ``pos``; return text and the new position."""
    if pos >= len(text):
        return "\\", pos
    char = text[pos]
    if char in _ESCAPED:
        return char, pos + 1
    if char in _ACCENTS and not char.isalpha():
        return _decode_accent(text, pos + 1, char)
    match = _COMMAND.match(text, pos)
    if match is None:
        return "\\" + char, pos + 1
    name, end = match.group(0), match.end()
    if name in _ACCENTS and end < len(text) and text[end] in "{ ":
        return _decode_accent(text, end, name)
    if name in _SYMBOLS:
        return _SYMBOLS[name], _skip_terminator(text, end)
    if name in _FORMATTING:
        return "", _skip_spaces(text, end)
    return "\\" + name, end


def _decode_accent(text: str, pos: int, command: str) -> tuple[str, int]:
    """An accent's argument: ``{x}``, ``{\\i}``, ``x`` or `` x``; ``\\~{}`` is a plain ``~``."""
    pos = _skip_spaces(text, pos)
    if text.startswith("{}", pos) or pos >= len(text):
        return command, min(pos + 2, len(text))
    mark = _ACCENTS[command]
    if text[pos] == "{":
        base, pos = _decode(text, pos + 1, stop_at_close=True)
    elif text[pos] == "\\":
        base, pos = _decode_command(text, pos + 1)
    else:
        base, pos = text[pos], pos + 1
    base = {"ı": "i", "ȷ": "j"}.get(base, base)
    return unicodedata.normalize("NFC", base + mark), pos


def _skip_spaces(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] == " ":
        pos += 1
    return pos


def _skip_terminator(text: str, pos: int) -> int:
    """After a symbol command, ``{}`` or one space ends it and is not text."""
    if text.startswith("{}", pos):
        return pos + 2
    if pos < len(text) and text[pos] == " ":
        return pos + 1
    return pos


def escape_latex(text: str, *, ascii: bool = False) -> str:
    """Escape ``& % $ # _ { } ~ ^ \\``; with ``ascii``, write accents as LaTeX."""
    out: list[str] = []
    for char in text:
        if char in _LATEX_SPECIALS:
            out.append(_LATEX_SPECIALS[char])
        elif ascii and not char.isascii():
            out.append(_latex_accent(char))
        else:
            out.append(char)
    return "".join(out)


def _latex_accent(char: str) -> str:
    if char in _SYMBOL_TO_COMMAND:
        return "{\\" + _SYMBOL_TO_COMMAND[char] + "}"
    decomposed = unicodedata.normalize("NFD", char)
    base, marks = decomposed[0], decomposed[1:]
    if not base.isascii() or not marks or any(m not in _MARK_TO_ACCENT for m in marks):
        return char
    result = "i" if base == "i" else base
    for mark in marks:
        command = _MARK_TO_ACCENT[mark]
        separator = " " if command.isalpha() else ""
        result = (
            f"\\{command}{separator}{result}" if len(result) == 1 else f"\\{command}{{{result}}}"
        )
    return "{" + result + "}"


_WORD = re.compile(r"[^\s(){}\[\],;:!?\"/—–]+")


def protect_capitals(title: str, *, ascii: bool = False) -> str:
    """Escape a title and brace the words whose capitals a BibTeX style must not lower.

    Protected: acronyms and mixed case (``DNA``, ``mRNA``, ``iPhone``), chemical
    formulas and words with digits next to capitals (``MgSO4``, ``COVID-19``),
    and, in a sentence-case title, capitalised words after the first (proper
    nouns such as ``Dutch``). In a Title Case title every word is capitalised,
    so only the first kinds can be told apart; the title is never braced whole.
    """
    sentence_case = _is_sentence_case(title)
    out: list[str] = []
    last = 0
    for index, match in enumerate(_WORD.finditer(title)):
        out.append(escape_latex(title[last : match.start()], ascii=ascii))
        word = match.group(0)
        escaped = escape_latex(word, ascii=ascii)
        after_colon = title[: match.start()].rstrip().endswith(":")
        if _needs_protection(word, sentence_case and index > 0 and not after_colon):
            escaped = "{" + escaped + "}"
        out.append(escaped)
        last = match.end()
    out.append(escape_latex(title[last:], ascii=ascii))
    return "".join(out)


def _is_sentence_case(title: str) -> bool:
    """Most content words after the first are lower-case (stop words do not count)."""
    words = [w for w in _WORD.findall(title)[1:] if w[:1].isalpha() and w not in STOP_WORDS]
    lower = sum(1 for w in words if w[0].islower())
    return len(words) > 1 and lower >= len(words) / 2


def _needs_protection(word: str, capitalised_is_proper: bool) -> bool:
    letters = [c for c in word if c.isalpha()]
    if not any(c.isupper() for c in letters):
        return False
    if any(c.isupper() for c in word[1:] if c.isalpha()):
        return True
    if any(c.isdigit() for c in word):
        return True
    return capitalised_is_proper and word[0].isupper()


# --- names -----------------------------------------------------------------------------------


@functools.cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _split_top(text: str, separator: str) -> list[str]:
    """Split at ``separator`` (a regex) where it is outside braces; escapes are skipped."""
    if "{" not in text and "\\" not in text:
        return [part.strip() for part in _compiled(separator).split(text)]
    parts: list[str] = []
    depth = 0
    start = 0
    for match in _compiled(rf"\\.|[{{}}]|{separator}").finditer(text):
        token = match.group(0)
        if token == "{":
            depth += 1
        elif token == "}":
            depth = max(depth - 1, 0)
        elif depth == 0 and not token.startswith("\\"):
            parts.append(text[start : match.start()])
            start = match.end()
    parts.append(text[start:])
    return [part.strip() for part in parts]


_AND = r"\s+[aA][nN][dD]\s+"
_AND_WORD = re.compile(r"(?:^|\s)[aA][nN][dD](?:\s|$)")
_COMMA = ","
_SPACE = r"\s+"


def parse_names(value: str) -> list[CslName]:
    """BibTeX ``author``/``editor`` text -> CSL names (``{Org Name}`` -> literal)."""
    return [dict(_parse_name(raw)) for raw in _split_top(value, _AND) if raw]


@functools.lru_cache(maxsize=8192)
def _parse_name(raw: str) -> tuple[tuple[str, str], ...]:
    """One name's parts; cached, since a library names the same people again and again."""
    if raw == "others":  # BibTeX's "and others": the list was cut short
        return tuple(ET_AL.items())
    if _is_braced_whole(raw):
        return (("literal", latex_to_unicode(raw[1:-1])),)
    parts = _split_top(raw, _COMMA)
    if len(parts) == 1:
        words = _split_top(parts[0], _SPACE)
        von_start = next((i for i, w in enumerate(words[:-1]) if _is_von(w)), None)
        if von_start is None:
            given, von, last = words[:-1], [], words[-1:]
        else:
            von_end = max(i for i, w in enumerate(words[:-1]) if _is_von(w)) + 1
            given, von, last = words[:von_start], words[von_start:von_end], words[von_end:]
        suffix: list[str] = []
    else:
        words = _split_top(parts[0], _SPACE)
        von_end = 0
        while von_end < len(words) - 1 and _is_von(words[von_end]):
            von_end += 1
        von, last = words[:von_end], words[von_end:]
        given = [parts[-1]]
        suffix = parts[1:-1]
    parts_of = (
        ("family", last),
        ("given", given),
        ("non-dropping-particle", von),
        ("suffix", suffix),
    )
    named = ((key, latex_to_unicode(" ".join(words))) for key, words in parts_of if words)
    return tuple((key, text) for key, text in named if text)


def _is_von(word: str) -> bool:
    return bool(word) and word[0].islower()


def _is_braced_whole(text: str) -> bool:
    if not (text.startswith("{") and text.endswith("}")):
        return False
    depth = 0
    for index, char in enumerate(text):
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth == 0:
            return index == len(text) - 1
    return False


def format_names(names: Sequence[CslName], *, ascii: bool = False) -> str:
    """CSL names -> ``von Last, Jr, First and ...``; organisations braced whole."""
    return " and ".join(_format_name(name, ascii) for name in names)


def _format_name(name: CslName, ascii: bool) -> str:
    if name == ET_AL:
        return "others"  # unbraced: the keyword BibTeX and biber print as "et al."
    if "literal" in name or not name.get("family"):
        literal = name.get("literal") or name.get("given", "")
        return "{" + escape_latex(literal, ascii=ascii) + "}"
    family = escape_latex(name["family"], ascii=ascii)
    if any(_is_von(w) for w in family.split()) or _AND_WORD.search(family):
        family = "{" + family + "}"
    particle = name.get("non-dropping-particle") or name.get("dropping-particle")
    if particle:
        family = f"{escape_latex(particle, ascii=ascii)} {family}"
    pieces = [family]
    if name.get("suffix"):
        pieces.append(_brace_and(escape_latex(name["suffix"], ascii=ascii)))
    if name.get("given"):
        pieces.append(_brace_and(escape_latex(name["given"], ascii=ascii)))
    elif len(pieces) > 1:
        pieces.append("")
    return ", ".join(pieces)


def _brace_and(part: str) -> str:
    """Brace a name part holding the word "and" in any case (``Mary And Jane``): BibTeX
    splits a name list at it, so unbraced it would become two people."""
    return "{" + part + "}" if _AND_WORD.search(part) else part


# --- the declarative mapping -----------------------------------------------------------------

TYPES: tuple[tuple[str, str, str], ...] = (
    # (CSL type, BibTeX type, BibLaTeX type); the first row of a CSL type wins on write,
    # the first row of a BibTeX/BibLaTeX type wins on read.
    ("article-journal", "article", "article"),
    ("article-magazine", "article", "article"),
    ("article-newspaper", "article", "article"),
    ("book", "book", "book"),
    ("chapter", "incollection", "incollection"),
    ("chapter", "inbook", "inbook"),
    ("paper-conference", "inproceedings", "inproceedings"),
    ("paper-conference", "conference", "inproceedings"),
    ("book", "proceedings", "proceedings"),
    ("thesis", "phdthesis", "thesis"),
    ("thesis", "mastersthesis", "thesis"),
    ("report", "techreport", "report"),
    ("webpage", "misc", "online"),
    ("post", "misc", "online"),
    ("post-weblog", "misc", "online"),
    ("article", "misc", "online"),
    ("dataset", "misc", "dataset"),
    ("software", "misc", "software"),
    ("manuscript", "unpublished", "unpublished"),
    ("entry-encyclopedia", "incollection", "inreference"),
    ("patent", "misc", "patent"),
    ("standard", "misc", "standard"),
    ("report", "manual", "manual"),
    ("document", "misc", "misc"),
)
_READ_TYPES = {
    "electronic": "webpage",
    "www": "webpage",
    "online": "webpage",
    "thesis": "thesis",
    "report": "report",
    "misc": "document",
    "collection": "book",
    "mvbook": "book",
    "booklet": "book",
    "reference": "book",
    "periodical": "book",
}


def _write_type(csl_type: str, dialect: Dialect) -> str:
    column = 1 if dialect == "bibtex" else 2
    for row in TYPES:
        if row[0] == csl_type:
            return row[column]
    return "misc"


@functools.cache
def _read_type(bib_type: str) -> str:
    bib_type = bib_type.lower()
    if bib_type in _READ_TYPES:
        return _READ_TYPES[bib_type]
    for csl_type, bibtex_type, biblatex_type in TYPES:
        if bib_type in {bibtex_type, biblatex_type}:
            return csl_type
    return "document"


_SUBTYPE = "entrysubtype"
_SUBTYPES = {"magazine": "article-magazine", "newspaper": "article-newspaper"}
"""BibLaTeX's own ``entrysubtype`` values; any other value refman writes is a CSL type.

One BibTeX type stands for several CSL types (``@misc``: webpage, dataset,
software, ...): ``entrysubtype`` says which, so the type survives a round trip.
BibTeX styles ignore the field, BibLaTeX styles only look at the values above.
"""


def _subtype_of(csl_type: str, entry_type: str) -> str | None:
    """The ``entrysubtype`` an entry needs to be read back as ``csl_type``, if any."""
    if _read_type(entry_type) == csl_type or _subtype_type(entry_type, csl_type) is None:
        return None
    return next((name for name, csl in _SUBTYPES.items() if csl == csl_type), csl_type)


def _subtype_type(entry_type: str, subtype: str) -> str | None:
    """The CSL type an ``entrysubtype`` names for this entry type (a :data:`TYPES` row)."""
    name = subtype.strip().lower()
    wanted = _SUBTYPES.get(name, name)
    rows = (row for row in TYPES if row[0] == wanted)
    return wanted if any(entry_type.lower() in row[1:] for row in rows) else None


@dataclass(frozen=True)
class FieldRule:
    """One CSL variable <-> one BibTeX field, with the types it applies to."""

    csl: str
    bibtex: str
    biblatex: str
    kind: Literal["text", "title", "names", "verbatim", "pages", "number"] = "text"
    types: frozenset[str] = frozenset()

    def applies(self, csl_type: str) -> bool:
        return not self.types or csl_type in self.types


_CONTAINED = frozenset({"chapter", "paper-conference", "entry-encyclopedia"})
_JOURNALS = frozenset({"article-journal", "article-magazine", "article-newspaper", "article"})
_INSTITUTIONAL = frozenset({"report", "thesis"})

FIELDS: tuple[FieldRule, ...] = (
    FieldRule("author", "author", "author", "names"),
    FieldRule("editor", "editor", "editor", "names"),
    FieldRule("translator", "translator", "translator", "names"),
    FieldRule("title", "title", "title", "title"),
    FieldRule("container-title", "journal", "journaltitle", "text", _JOURNALS),
    FieldRule("container-title", "booktitle", "booktitle", "title", _CONTAINED),
    FieldRule("container-title", "organization", "organization", "text", frozenset({"webpage"})),
    FieldRule("container-title", "booktitle", "booktitle", "title"),
    FieldRule("collection-title", "series", "series"),
    FieldRule("title-short", "shorttitle", "shorttitle"),
    FieldRule("container-title-short", "shortjournal", "shortjournal"),
    FieldRule("journalAbbreviation", "shortjournal", "shortjournal"),
    FieldRule("event-title", "eventtitle", "eventtitle", "title"),
    FieldRule("event-place", "venue", "venue"),
    FieldRule("publisher", "institution", "institution", "text", _INSTITUTIONAL),
    FieldRule("publisher", "publisher", "publisher"),
    FieldRule("publisher-place", "address", "location"),
    FieldRule("genre", "type", "type"),
    FieldRule("edition", "edition", "edition", "number"),
    FieldRule("volume", "volume", "volume", "number"),
    FieldRule("issue", "number", "number", "number", _JOURNALS),
    FieldRule("number", "eid", "eid", "number", _JOURNALS),
    FieldRule("number", "number", "number", "number"),
    FieldRule("issue", "issue", "issue", "number"),
    FieldRule("page", "pages", "pages", "pages"),
    FieldRule("number-of-pages", "pagetotal", "pagetotal", "number"),
    FieldRule("DOI", "doi", "doi", "verbatim"),
    FieldRule("URL", "url", "url", "verbatim"),
    FieldRule("ISBN", "isbn", "isbn", "verbatim"),
    FieldRule("ISSN", "issn", "issn", "verbatim"),
    FieldRule("PMID", "pmid", "pmid", "verbatim"),
    FieldRule("PMCID", "pmcid", "pmcid", "verbatim"),
    FieldRule("arXiv", "eprint", "eprint", "verbatim"),
    FieldRule("version", "version", "version"),
    FieldRule("status", "pubstate", "pubstate"),
    FieldRule("abstract", "abstract", "abstract"),
    FieldRule("note", "note", "note"),
    FieldRule("keyword", "keywords", "keywords"),
)
"""CSL variable <-> field, first applicable rule wins on write (type-specific rules first)."""


@functools.cache
def _rules_for(csl_type: str) -> tuple[FieldRule, ...]:
    """The rules of :data:`FIELDS` that apply to a type, in order (computed once per type)."""
    return tuple(rule for rule in FIELDS if rule.applies(csl_type))


_READ_ALIASES = {
    "journaltitle": "journal",
    "location": "address",
    "school": "institution",
    "archiveprefix": "eprinttype",
}
_DATE_FIELDS = {"year", "month", "day", "date", "urldate", "eventdate"}
_HANDLED = _DATE_FIELDS | {"eprinttype", "langid", "language"}

MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH_NAMES = {name: i for i, name in enumerate(MONTHS, 1)}
_LANGIDS = {
    "en": "english",
    "en-US": "american",
    "en-GB": "british",
    "nl": "dutch",
    "de": "ngerman",
    "fr": "french",
    "es": "spanish",
    "it": "italian",
    "pt": "portuguese",
    "sv": "swedish",
    "da": "danish",
    "no": "norsk",
    "fi": "finnish",
    "pl": "polish",
    "ru": "russian",
    "el": "greek",
    "ja": "japanese",
    "zh": "chinese",
}
_LANG_CODES = {name: code for code, name in _LANGIDS.items()}
_LANG_CODES["german"] = "de"
_LANG_CODES["english"] = "en"


# --- raw blocks -----------------------------------------------------------------------------


def split_blocks(text: str) -> list[RawBlock]:
    """Split BibTeX text into blocks with exact character spans (bibtexparser's splitter).

    The splitter keeps each block's raw text; locating it in ``text`` gives the
    span, so a caller can rewrite one block and leave every other byte alone.
    """
    from bibtexparser.splitter import Splitter  # noqa: TID251

    blocks: list[RawBlock] = []
    cursor = 0
    line = 1
    library = Splitter(text).split()
    for block in library.blocks:
        raw = block.raw or ""
        start = text.find(raw, cursor)
        if start < 0:
            raise InputError("internal: a parsed BibTeX block was not found in its source text")
        line += text.count("\n", cursor, start)
        blocks.append(_raw_block(block, start, start + len(raw), line))
        line += raw.count("\n")
        cursor = start + len(raw)
    return blocks


def read_blocks(text: str) -> list[RawBlock]:
    """The blocks of ``text`` for reading only: the fast scanner's when it is sure, else
    bibtexparser's (the same list either way; see :mod:`refman.bibscan`)."""
    scanned = scan_blocks(text)
    return split_blocks(text) if scanned is None else scanned


_FAILED_KEY = re.compile(r"@\w+\s*[{(]\s*([^,\s{}()]+)\s*,")


def _raw_block(block: Any, start: int, end: int, line: int) -> RawBlock:
    from bibtexparser.model import (  # noqa: TID251
        DuplicateBlockKeyBlock,
        Entry,
        ExplicitComment,
        ImplicitComment,
        ParsingFailedBlock,
        Preamble,
        String,
    )

    if isinstance(block, DuplicateBlockKeyBlock):
        return RawBlock("duplicate", start, end, line, key=block.key, error=str(block.error))
    if isinstance(block, ParsingFailedBlock):
        entry = block.ignore_error_block
        found = _FAILED_KEY.match(block.raw or "")
        key = entry.key if isinstance(entry, Entry) else (found.group(1) if found else None)
        reason = getattr(block.error, "abort_reason", None) or str(block.error)
        return RawBlock("failed", start, end, line, key=key, error=reason)
    if isinstance(block, Entry):
        fields = [(f.key.lower(), str(f.value)) for f in block.fields]
        return RawBlock("entry", start, end, line, block.key, block.entry_type.lower(), fields)
    if isinstance(block, String):
        return RawBlock("string", start, end, line, key=block.key, fields=[("value", block.value)])
    if isinstance(block, Preamble):
        return RawBlock("preamble", start, end, line)
    if isinstance(block, ExplicitComment | ImplicitComment):
        return RawBlock("comment", start, end, line)
    return RawBlock("failed", start, end, line, error=f"unknown block {type(block).__name__}")


def string_macros(blocks: Sequence[RawBlock]) -> dict[str, str]:
    """The ``@string`` definitions of a file, by lower-case name, values resolved."""
    macros: dict[str, str] = {}
    for block in blocks:
        if block.kind == "string" and block.key:
            macros[block.key.lower()] = field_value(block.fields[0][1], macros)
    return macros


def field_value(raw: str, macros: Mapping[str, str]) -> str:
    """A raw field value (``{...}``, ``"..."``, number, macro, ``a # b``) -> its LaTeX text."""
    if "#" not in raw:
        return _piece_value(raw.strip(), macros)
    return "".join(_piece_value(part, macros) for part in _split_top(raw, "#"))


_CLOSING = {"{": "}", '"': '"'}


def _piece_value(piece: str, macros: Mapping[str, str]) -> str:
    """The inside of a ``{...}`` or ``"..."`` piece, else the macro it names (else itself)."""
    if len(piece) > 1 and _CLOSING.get(piece[0]) == piece[-1]:
        return piece[1:-1]
    return macros.get(piece.lower(), piece)


# --- entry -> CSL ----------------------------------------------------------------------------


def entry_to_csl(block: RawBlock, macros: Mapping[str, str] | None = None) -> CslItem:
    """One parsed entry -> a CSL item with ``id`` = key, ``_refman`` and ``_refman_extra``."""
    macros = macros or {}
    values: dict[str, str] = {}
    provenance: dict[str, str] = {}
    for name, raw in block.fields:
        value = field_value(raw, macros)
        if name.startswith(PROVENANCE_PREFIX):
            provenance[name[len(PROVENANCE_PREFIX) :]] = value
        else:
            values[_READ_ALIASES.get(name, name)] = value
    csl_type = _read_type(block.entry_type)
    used: set[str] = set()
    subtype = (
        _subtype_type(block.entry_type, values["entrysubtype"]) if _SUBTYPE in values else None
    )
    if subtype is not None:
        csl_type = subtype
        used.add(_SUBTYPE)
    item: CslItem = {"id": block.key, "type": csl_type}
    if block.entry_type == "mastersthesis":
        item["genre"] = "Master's thesis"
    for rule in _read_order(item["type"], tuple(values)):
        if rule.bibtex not in used and rule.csl not in item:
            item[rule.csl] = _read_value(rule, values[rule.bibtex])
            used.add(rule.bibtex)
    _read_dates(values, item)
    url = _URL_COMMAND.fullmatch(values.get("howpublished", ""))
    if url and "URL" not in item:
        item["URL"] = url.group(1)
        used.add("howpublished")
    language = values.get("langid") or values.get("language")
    if language:
        item["language"] = _LANG_CODES.get(language.strip().lower(), language.strip())
    if provenance:
        item[PROVENANCE_KEY] = _read_provenance(provenance)
    extra = {k: v for k, v in values.items() if k not in used and k not in _HANDLED}
    if extra:
        item[EXTRA_KEY] = extra
    return item


@functools.lru_cache(maxsize=1024)
def _read_order(csl_type: str, names: tuple[str, ...]) -> tuple[FieldRule, ...]:
    """The rules an entry of this type with these fields visits, in table order.

    Cached by the field names as the entry lists them: a library's entries share
    a few layouts, so the order is worked out once per layout, not per entry.
    """
    present = set(names)
    return tuple(rule for rule in _rules_for(csl_type) if rule.bibtex in present)


def _read_value(rule: FieldRule, value: str) -> Any:
    if rule.kind == "names":
        return parse_names(value)
    if rule.kind == "verbatim":
        text = " ".join(value.replace("\\_", "_").replace("\\%", "%").replace("\\&", "&").split())
        return _DOI_PREFIX.sub("", text) if rule.csl == "DOI" else text
    if rule.kind == "pages":
        return _PAGE_DASH.sub("-", latex_to_unicode(value))
    return latex_to_unicode(value)


_URL_COMMAND = re.compile(r"\s*\\url\{([^{}]*)\}\s*")
_DOI_PREFIX = re.compile(r"(?i)^(https?://(dx\.)?doi\.org/|doi:\s*)")
_PAGE_DASH = re.compile(r"\s*-{1,3}\s*")
_YEAR = re.compile(r"\d{4}")
_ISO_DATE = re.compile(r"\s*(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?\s*")


def _read_dates(values: Mapping[str, str], item: CslItem) -> None:
    issued = _iso_date(values["date"]) if "date" in values else None
    if issued is None and values.get("year", "").strip():
        year_match = _YEAR.search(values["year"])
        if year_match:
            parts = [int(year_match.group(0))]
            month = _month_number(values.get("month", ""))
            if month:
                parts.append(month)
                day = values.get("day", "").strip()
                if day.isdigit():
                    parts.append(int(day))
            issued = {"date-parts": [parts]}
        else:
            issued = {"literal": latex_to_unicode(values["year"])}
    if issued is not None:
        item["issued"] = issued
    for bib, csl in (("urldate", "accessed"), ("eventdate", "event-date")):
        date = _iso_date(values[bib]) if bib in values else None
        if date is not None:
            item[csl] = date


def _month_number(value: str) -> int | None:
    text = latex_to_unicode(value).strip().lower()
    if text.isdigit() and 1 <= int(text) <= 12:
        return int(text)
    return _MONTH_NAMES.get(text[:3])


def _iso_date(value: str) -> dict[str, Any] | None:
    match = _ISO_DATE.fullmatch(value)
    if match is None:
        return None
    return {"date-parts": [[int(p) for p in match.groups() if p]]}


def _read_provenance(raw: Mapping[str, str]) -> dict[str, Any]:
    provenance: dict[str, Any] = {}
    for key, value in raw.items():
        text = latex_to_unicode(value)
        if key == "verified":
            provenance[key] = text.lower() == "true"
        elif key == "confidence":
            try:
                provenance[key] = float(text)
            except ValueError:
                provenance[key] = text
        elif key == "fields":
            pairs = (p.split("=", 1) for p in text.split(";") if "=" in p)
            provenance[key] = {name.strip(): origin.strip() for name, origin in pairs}
        else:
            provenance[key] = text
    return provenance


def loads(text: str) -> list[CslItem]:
    """Every entry of a BibTeX string as CSL items (``id`` = key), in file order.

    Failed and duplicate-key blocks are skipped here; :func:`split_blocks` reports them.
    """
    blocks = read_blocks(text)
    macros = string_macros(blocks)
    return [entry_to_csl(block, macros) for block in blocks if block.kind == "entry"]


# --- CSL -> entry ----------------------------------------------------------------------------


def csl_to_bibtex(
    item: CslItem,
    key: str,
    dialect: Dialect = "bibtex",
    ascii: bool = False,
    *,
    provenance: bool = True,
) -> str:
    """One CSL item as the text of one BibTeX (or BibLaTeX) entry, ending in a newline.

    ``provenance`` writes the ``refman-*`` fields (where the record came from):
    wanted in library.bib, left out of exports (:func:`dumps`).
    """
    from bibtexparser.library import Library  # noqa: TID251
    from bibtexparser.model import Entry, Field  # noqa: TID251
    from bibtexparser.writer import write  # noqa: TID251

    csl_type = str(item.get("type") or "document")
    entry_type = _write_type(csl_type, dialect)
    fields = list(_entry_fields(item, csl_type, dialect, ascii))
    subtype = _subtype_of(csl_type, entry_type)
    if subtype is not None:
        fields.append((_SUBTYPE, "{" + subtype + "}"))
    if provenance:
        fields.extend(_provenance_fields(item))
    entry = Entry(
        entry_type=entry_type,
        key=key,
        fields=[Field(name, value) for name, value in fields],
    )
    text: str = write(Library([entry]), bibtex_format=_bibtex_format())
    return text.strip("\n") + "\n"


@functools.cache
def _bibtex_format() -> Any:
    """Two-space indent, no alignment, trailing comma: refman's own entry layout."""
    from bibtexparser.writer import BibtexFormat  # noqa: TID251

    fmt = BibtexFormat()  # type: ignore[no-untyped-call]
    fmt.indent = "  "
    fmt.value_column = 0
    fmt.block_separator = "\n"
    fmt.trailing_comma = True
    return fmt


def _entry_fields(
    item: CslItem, csl_type: str, dialect: Dialect, ascii: bool
) -> Iterator[tuple[str, str]]:
    written: set[str] = set()
    names: set[str] = set()
    for rule in _rules_for(csl_type):
        value = item.get(rule.csl)
        name = rule.bibtex if dialect == "bibtex" else rule.biblatex
        if value in (None, "", []) or rule.csl in written or name in names:
            continue
        written.add(rule.csl)
        names.add(name)
        yield name, _write_value(rule, value, ascii)
        if rule.csl == "arXiv":
            yield ("eprinttype" if dialect == "biblatex" else "archiveprefix"), "{arXiv}"
    yield from _date_fields(item, dialect)
    if item.get("language"):
        language = str(item["language"])
        yield "langid", "{" + _LANGIDS.get(language, language) + "}"
    for name, raw in (item.get(EXTRA_KEY) or {}).items():
        yield name, "{" + raw + "}"


def _provenance_fields(item: CslItem) -> Iterator[tuple[str, str]]:
    for name, value in (item.get(PROVENANCE_KEY) or {}).items():
        yield PROVENANCE_PREFIX + name, "{" + escape_latex(_provenance_text(value)) + "}"


def _write_value(rule: FieldRule, value: Any, ascii: bool) -> str:
    if rule.kind == "names":
        return "{" + format_names(value, ascii=ascii) + "}"
    text = str(value[0] if isinstance(value, list) and value else value)
    if rule.kind == "title":
        return "{" + protect_capitals(text, ascii=ascii) + "}"
    if rule.kind == "verbatim":
        if rule.csl == "DOI":
            text = _DOI_PREFIX.sub("", text.strip())
        return "{" + text.replace("{", "").replace("}", "").replace("%", "\\%") + "}"
    if rule.kind == "pages":
        text = re.sub(r"\s*[-–—]+\s*", "--", text)
    return "{" + escape_latex(text, ascii=ascii) + "}"


def _date_fields(item: CslItem, dialect: Dialect) -> Iterator[tuple[str, str]]:
    issued = item.get("issued")
    parts = _parts(issued)
    if parts and dialect == "biblatex":
        yield "date", "{" + _iso(parts) + "}"
    elif parts:
        yield "year", "{" + str(parts[0]) + "}"
        if len(parts) > 1 and 1 <= parts[1] <= 12:
            yield "month", MONTHS[parts[1] - 1]
    elif isinstance(issued, dict) and issued.get("literal"):
        yield "year", "{" + escape_latex(str(issued["literal"])) + "}"
    for csl, bib in (("accessed", "urldate"), ("event-date", "eventdate")):
        date = _parts(item.get(csl))
        if date:
            yield bib, "{" + _iso(date) + "}"


def _parts(date: Any) -> list[int]:
    if not isinstance(date, dict):
        return []
    try:
        return [int(p) for p in (date.get("date-parts") or [[]])[0]]
    except (TypeError, ValueError):
        return []


def _iso(parts: Sequence[int]) -> str:
    return "-".join([f"{parts[0]:04d}", *(f"{p:02d}" for p in parts[1:3])])


def _provenance_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "; ".join(f"{k}={v}" for k, v in value.items())
    return str(value)


def dumps(
    items: Sequence[CslItem],
    dialect: Dialect = "bibtex",
    ascii: bool = False,
    *,
    provenance: bool = False,
) -> str:
    """Several items as BibTeX, one blank line between entries; keys from ``id``.

    An export: refman's provenance stays in library.bib unless ``provenance``.
    """
    return "\n".join(
        csl_to_bibtex(
            item, str(item.get("id") or f"item{n}"), dialect, ascii, provenance=provenance
        )
        for n, item in enumerate(items, 1)
    )
