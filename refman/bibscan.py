"""A fast reader for well-formed BibTeX that gives exactly bibtexparser's blocks, or nothing.

bibtexparser's splitter walks the text one "mark" (brace, quote, comma, equals
sign, newline) at a time in Python: about 1.3 s for a 10,000-entry library,
which alone breaks the 1 s target of ``refman list`` on a file changed outside
refman. This module reads the same text with a handful of regular expressions
(two matches per entry), and returns the same :class:`RawBlock` list that
``refman.bibtex.split_blocks`` builds from bibtexparser's output.

It only accepts the plain grammar it can read exactly: ``{``-delimited blocks,
entry keys and field names without mark characters, values made of bare words,
``{...}`` groups (nested up to :data:`MAX_DEPTH`) and ``"..."`` strings. The
character rules are bibtexparser's: a ``{ } " ,`` right after a backslash is
not a delimiter, braces inside quotes and quotes inside braces do not count, and
an ``@name{`` inside a block would start a new one. Anything else - ``(``-blocks,
unbalanced braces, an ``@name{`` inside a block, ``{"}`` inside quotes, a field
given twice in one entry, an unclosed block - makes :func:`scan_blocks` return
``None`` and the caller uses bibtexparser: never a different answer, only a
slower one. ``tests/test_library_scan.py`` compares both readers block by block.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

BlockKind = Literal["entry", "string", "preamble", "comment", "failed", "duplicate"]
MAX_DEPTH = 8


@dataclass
class RawBlock:
    """One block of a .bib file and where its text lies in the file."""

    kind: BlockKind
    start: int
    end: int
    line: int
    key: str | None = None
    entry_type: str = ""
    fields: list[tuple[str, str]] = field(default_factory=list)
    error: str | None = None


_BLOCK_START = re.compile(r"@\w*[ \t]*(?=[{(])")
_LONE_AT = r"@(?!\w*[ \t]*[{(])"
"""An ``@`` that does not start a block (in ``x@y.org``): plain text to both readers."""


def _braced(depth: int) -> str:
    """The inside of a ``{...}`` group with up to ``depth`` nested groups."""
    inner = rf"|\{{{_braced(depth - 1)}\}}" if depth else ""
    return rf"(?:[^{{}}@\\]++|\\[{{}}]?|{_LONE_AT}{inner})*+"


_BRACED = _braced(MAX_DEPTH)
_QUOTED = rf'"(?:[^"\\@{{]++|\\"?|\{{(?!")|{_LONE_AT})*+"'
_VALUE = rf'(?:[^{{}}",@\\]++|\\[{{}}",]?|{_LONE_AT}|\{{{_BRACED}\}}|{_QUOTED})*+'
_NAME = r'[^{}",=@\\]*+'

_ENTRY = re.compile(rf"\{{({_NAME})((?:,{_NAME}={_VALUE})*+)(,{_NAME})?\}}")
"""``{key, name = value, ...}``: key, the fields, and what follows the last comma."""
_FIELD = re.compile(rf",({_NAME})=({_VALUE})")
_STRING = re.compile(rf"\{{({_NAME})=({_BRACED})\}}")
_FREE = re.compile(rf"\{{({_BRACED})\}}")


class _Unsure(Exception):
    """The text leaves the grammar this reader handles exactly."""


def scan_blocks(text: str) -> list[RawBlock] | None:
    """The blocks bibtexparser's splitter would give for ``text``, or None when unsure."""
    try:
        return _Scanner(text).blocks()
    except _Unsure:
        return None


class _Scanner:
    """One pass over the text: implicit comments between blocks, then each block."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.out: list[RawBlock] = []
        self.entry_keys: set[str] = set()
        self.string_keys: set[str] = set()
        self.line = 1
        self.counted = 0

    def blocks(self) -> list[RawBlock]:
        text = self.text
        cursor = 0
        while (start := _BLOCK_START.search(text, cursor)) is not None:
            self._comment(cursor, start.start())
            cursor = self._block(start)
        self._comment(cursor, len(text))
        return self.out

    def _line_at(self, position: int) -> int:
        """1-based line of ``position`` (positions only grow, so count incrementally)."""
        self.line += self.text.count("\n", self.counted, position)
        self.counted = position
        return self.line

    def _comment(self, start: int, end: int) -> None:
        """Text between blocks: bibtexparser keeps it stripped, if anything is left."""
        piece = self.text[start:end]
        stripped = piece.strip()
        if stripped:
            begin = start + len(piece) - len(piece.lstrip())
            line = self._line_at(begin)
            self.out.append(RawBlock("comment", begin, begin + len(stripped), line))

    def _block(self, start: re.Match[str]) -> int:
        """Read the block opened at ``start``; the position after it."""
        opener = start.end()
        if self.text[opener] != "{":
            raise _Unsure
        head = start.group(0).lower()
        line = self._line_at(start.start())
        if head.startswith(("@comment", "@preamble")):
            found = _FREE.match(self.text, opener)
            if found is None:
                raise _Unsure
            kind: BlockKind = "comment" if head.startswith("@comment") else "preamble"
            self.out.append(RawBlock(kind, start.start(), found.end(), line))
            return found.end()
        if head.startswith("@string"):
            return self._string(start.start(), opener, line)
        return self._entry(start.start(), opener, head[1:].strip(), line)

    def _string(self, begin: int, opener: int, line: int) -> int:
        found = _STRING.match(self.text, opener)
        if found is None:
            raise _Unsure
        key, value = found.group(1).strip(), found.group(2).strip()
        block = RawBlock("string", begin, found.end(), line, key, fields=[("value", value)])
        self._keep(self.string_keys, block)
        return found.end()

    def _entry(self, begin: int, opener: int, entry_type: str, line: int) -> int:
        found = _ENTRY.match(self.text, opener)
        if found is None or (found.group(3) or ",")[1:].strip():
            raise _Unsure  # bibtexparser fails at a name without a value
        fields = [
            (name.strip().lower(), value.strip())
            for name, value in _FIELD.findall(self.text, found.start(2), found.end(2))
        ]
        if len({name for name, _ in fields}) < len(fields):
            # bibtexparser fails an entry with a field given twice (same case); any
            # case is declined here, which is safe: declining only costs time
            raise _Unsure
        key = found.group(1).strip()
        self._keep(
            self.entry_keys, RawBlock("entry", begin, found.end(), line, key, entry_type, fields)
        )
        return found.end()

    def _keep(self, taken: set[str], block: RawBlock) -> None:
        """Add the block; a key seen before (same case) makes it a duplicate-key block."""
        key = block.key or ""
        if key in taken:
            message = f"Duplicate entry key '{key}'"
            block = RawBlock("duplicate", block.start, block.end, block.line, key, error=message)
        taken.add(key)
        self.out.append(block)
