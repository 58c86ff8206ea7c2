"""The finder: a reference list or a whole article -> one clean string per reference.

Rules, in order:

1. With a references heading (``References``, ``Referenties``, ``Literatur``...)
   only the text under the last one is read, and trailing paragraphs that are
   not references (a disclaimer, ``Received ... Accepted``) are left out.
2. Blank lines always separate references.
3. Inside a paragraph, list markers (``1.``, ``[1]``, ``(1)``, ``1)``, ``•``,
   ``-``, ``*``) start a new reference when the paragraph starts with one;
   numbers must count up, so a wrapped ``12.`` inside a reference is no marker.
4. When the whole list is one paragraph without markers (pasted from a PDF),
   it is split where a line ends a reference (full stop or pages) and the next
   starts like an author list, when every piece has a year; otherwise, and
   whenever blank lines separate the references, a paragraph is one reference.
5. Line wraps are joined; an end-of-line hyphen is dropped only when it split
   a word (``opti-\\nmization``), kept before a capital or digit
   (``Magnesium-\\nL-threonate``, ``2-\\n3``) and in compounds (``dose-\\ndependent``).
"""

from __future__ import annotations

import re

from refman.errors import InputError
from refman.parsing import lexicon

_HEADINGS_TEXT = (
    "references|reference list|bibliography|literature cited|literature|works cited|"
    "cited literature|sources|referenties|literatuur|literatuurlijst|bronnen|literatur|"
    "literaturverzeichnis|quellen|quellenverzeichnis|bibliographie|références|"
    "références bibliographiques|referencias|referencias bibliográficas|bibliografía|"
    "bibliografia|riferimenti|riferimenti bibliografici|referências|"
    "referências bibliográficas|notes and references|citations"
)
HEADINGS = frozenset(_HEADINGS_TEXT.split("|"))
_HEADING_LINE = re.compile(
    r"(?m)(?:\A|\n[ \t]*\n)[ \t#*]*(?:\d+\.?|[IVX]+\.)?[ \t]*([^\W\d][^\n]{2,40}?)[ \t]*:?[ \t*]*$"
)
"""A short line of its own that starts a paragraph: a heading when its words are one of
``HEADINGS`` (a wrapped line that happens to read ``References`` inside a reference is not)."""
_MARKER = re.compile(r"^\s*(?:\[(\d{1,3})\]|\((\d{1,3})\)|(\d{1,3})[.)](?!\d)|([•·▪◦‣*\-–]))\s+")
_AUTHOR_START = re.compile(
    r"^\s*(?:[^\W\d_][\w'’-]*\s+){0,2}[^\W\d_][\w'’-]+,?\s+(?:[^\W\d_a-z]\.|[^\W\d_a-z]{1,3}\b)"
    r"|^\s*[^\W\d_][\w'’-]+,\s+[^\W\d_]"
    r"|^\s*[^\W\d_][^\n]{0,80}?\(\s*(?:1[6-9]|20)\d\d[a-z]?\s*\)"
)
_ENDS_REFERENCE = re.compile(r"(?:\.|\d)\s*$")
_YEAR = re.compile(r"(?<!\d)(?:1[6-9]\d\d|20\d\d)(?!\d)")
_FOOTER = re.compile(
    r"(?i)^\s*(?:disclaimer|received|accepted|copyright|©|published|correspondence|"
    r"conflicts? of interest|funding|acknowledg|competing interests|this article|dit artikel|"
    r"note:|noot:|hinweis|avertissement|aviso)"
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufeff\u00ad]")


def _keeps_hyphen(left: str, right: str) -> bool:
    """Whether ``left-`` at a line end and ``right`` on the next line form a hyphenated word."""
    head = re.sub(r"^.*[^\w-]", "", left)
    tail = re.sub(r"\W.*$", "", right)
    if not tail or not tail[0].islower():
        return True  # Magnesium-\nL-threonate, 2-\n3
    if not head or head[-1].isdigit() or "-" in head or any(ch.isupper() for ch in head[1:]):
        return True  # 2-\nfold, Toll-like-\nreceptor, TNF-\nalpha
    return head.lower() in lexicon.HYPHEN_PREFIXES or tail.lower() in lexicon.HYPHEN_SUFFIXES


def _glues(left: str, right: str) -> bool:
    """A URL or DOI broken at a slash or dot continues without a space."""
    last = left.rsplit(None, 1)[-1] if left.strip() else ""
    urlish = last.lower().startswith(("http", "www.", "doi:", "10."))
    return urlish and last[-1:] in "/._-=&?#%" and bool(right[:1]) and not right[:1].isupper()


def join_lines(text: str) -> str:
    """One reference's lines joined: wraps become spaces, split words are rejoined."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        return ""
    joined = lines[0]
    for line in lines[1:]:
        if joined.endswith("-") and len(joined) > 1 and joined[-2].isalnum():
            joined = joined + line if _keeps_hyphen(joined[:-1], line) else joined[:-1] + line
        elif _glues(joined, line):
            joined += line
        else:
            joined += " " + line
    return joined


def _marker_number(line: str) -> tuple[str, int | None] | None:
    match = _MARKER.match(line)
    if match is None:
        return None
    for group, kind in ((1, "[]"), (2, "()"), (3, "n")):
        if match.group(group):
            return kind, int(match.group(group))
    return match.group(4), None


def _split_listed(lines: list[str]) -> list[list[str]] | None:
    """Lines of a numbered or bulleted paragraph, one group per item (None when unlisted)."""
    first = _marker_number(lines[0])
    if first is None:
        return None
    kind, number = first
    groups: list[list[str]] = [[_MARKER.sub("", lines[0], count=1)]]
    for line in lines[1:]:
        marker = _marker_number(line)
        follows = marker is not None and marker[0] == kind
        if follows and number is not None:
            follows = marker is not None and marker[1] == number + 1
        if follows:
            number = marker[1] if marker else None
            groups.append([_MARKER.sub("", line, count=1)])
        else:
            groups[-1].append(line)
    return groups


def _split_unlisted(lines: list[str]) -> list[list[str]]:
    """A PDF-style paragraph: cut where a line ends a reference and the next starts one."""
    groups: list[list[str]] = [[lines[0]]]
    for line in lines[1:]:
        previous = " ".join(groups[-1])
        if (
            _ENDS_REFERENCE.search(previous)
            and _AUTHOR_START.match(line)
            and _YEAR.search(previous)
            and len(previous) > 60
        ):
            groups.append([line])
        else:
            groups[-1].append(line)
    if len(groups) > 1 and not all(_YEAR.search(" ".join(group)) for group in groups):
        return [lines]
    return groups


def _paragraphs(text: str) -> list[list[str]]:
    blocks = re.split(r"\n[ \t]*\n", text)
    return [[ln for ln in block.splitlines() if ln.strip()] for block in blocks if block.strip()]


def looks_like_reference(text: str) -> bool:
    """A paragraph that could be a reference: a year, an identifier or a pages pattern, and not
    a footer or disclaimer."""
    if _FOOTER.match(text):
        return False
    return bool(_YEAR.search(text) or re.search(r"(?i)doi|https?://|www\.|\d+\s*[-–]\s*\d+", text))


def _under_heading(text: str) -> tuple[str, bool]:
    headings = [
        match
        for match in _HEADING_LINE.finditer(text)
        if " ".join(match.group(1).lower().split()) in HEADINGS
    ]
    if not headings:
        return text, False
    return text[headings[-1].end() :], True


def split_references(text: str) -> list[str]:
    """The references in ``text``, each on one line, in order; InputError when there are none."""
    body, had_heading = _under_heading(
        _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    )
    references: list[str] = []
    paragraphs = _paragraphs(body)
    for lines in paragraphs:
        groups = _split_listed(lines)
        if groups is None:
            groups = _split_unlisted(lines) if len(paragraphs) == 1 else [lines]
        references.extend(
            joined for group in groups if (joined := " ".join(join_lines("\n".join(group)).split()))
        )
    if had_heading:
        while references and not looks_like_reference(references[-1]):
            references.pop()
    if not references:
        raise InputError("no references found in the input; give one reference per paragraph")
    return references
