"""The citation keys a manuscript cites, in order of first citation.

``refman export --cited-in paper.tex`` exports only what a document cites, and
numeric styles number it in the order the document first cites each work. Three
kinds of file are read:

- LaTeX: ``\\cite``, ``\\citep``, ``\\parencite``, ``\\autocite``, ``\\textcite``,
  ``\\footcite``, ``\\nocite`` and every other ``\\...cite...`` command, starred or
  not, with optional ``[pre][post]`` arguments, several keys, and biblatex's
  multicite forms (``\\cites[p.~3]{a}{b}``); ``%`` comments are ignored;
- ``.aux`` files: ``\\citation{a,b}`` (BibTeX) and ``\\abx@aux@cite{0}{a}`` (biber);
- Markdown/pandoc: ``[@key; @other, p. 3]``, ``[-@key]``, ``@key`` in running text
  and ``@{odd key}``, but not e-mail addresses, nor code spans and blocks.

``\\nocite{*}`` is returned as the key ``*``: the caller decides what "all" means.
The scanners are pure functions on text; ``cited_keys`` reads the file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from refman.errors import InputError

ALL_KEYS = "*"
"""What ``\\nocite{*}`` cites: every entry of the bibliography."""

_LATEX_COMMAND = re.compile(
    r"\\(?:(?:[Pp]aren|[Ff]oot|[Tt]ext|[Ss]mart|[Ss]uper|[Aa]uto|[Ff]ull|footfull|[pftav]?vol"
    r"|[pf]?note|no)?[Cc]ite(?:t|p|alt|alp|num|author|year|yearpar|title|date|url|text)?s?"
    r"|citation)\*?(?![A-Za-z])"
)
"""natbib's and biblatex's citation commands (and ``.aux``'s ``\\citation``)."""
_OPTIONAL = re.compile(r"\s*(?:\[[^\]]*\]|\([^)]*\))")
_GROUP = re.compile(r"\s*\{([^{}]*)\}")
_COMMENT = re.compile(r"(?<!\\)%.*")
_BIBER_AUX = re.compile(r"\\abx@aux@cite(?:\{[^{}]*\})?\{([^{}]*)\}")
_PANDOC_KEY = re.compile(
    r"(?<![\w.@+\-/:])-?@(?:\{(?P<braced>[^{}]+)\}|(?P<key>\w(?:[\w:.#$%&+?<>~/\-]*\w)?))"
)
_FENCED_CODE = re.compile(r"^(?P<fence>`{3,}|~{3,}).*?^(?P=fence)[`~]*\s*$", re.M | re.S)
_INLINE_CODE = re.compile(r"(`+).+?\1", re.S)

MARKDOWN_SUFFIXES = frozenset({".md", ".markdown", ".qmd", ".rmd", ".txt", ".pandoc"})
LATEX_SUFFIXES = frozenset({".tex", ".ltx", ".aux", ".sty", ".cls", ".bbx", ".cbx"})


def latex_keys(text: str) -> list[str]:
    """Keys cited by LaTeX commands in ``text`` (also ``\\citation`` lines of ``.aux``)."""
    uncommented = "\n".join(_COMMENT.sub("", line) for line in text.splitlines())
    return _unique(_latex_key_groups(uncommented))


def _latex_key_groups(text: str) -> Iterator[str]:
    for match in _LATEX_COMMAND.finditer(text):
        multicite = match.group(0).rstrip("*").endswith("s")
        position = match.end()
        while True:
            while option := _OPTIONAL.match(text, position):
                position = option.end()
            group = _GROUP.match(text, position)
            if group is None:
                break
            yield from _split_keys(group.group(1))
            position = group.end()
            if not multicite:
                break
    for match in _BIBER_AUX.finditer(text):
        yield from _split_keys(match.group(1))


def _split_keys(group: str) -> Iterator[str]:
    return (key.strip() for key in group.split(",") if key.strip())


def markdown_keys(text: str) -> list[str]:
    """Keys cited with pandoc's ``@key`` syntax, outside code."""
    prose = _INLINE_CODE.sub(" ", _FENCED_CODE.sub(" ", text))
    return _unique(
        match.group("braced") or match.group("key") for match in _PANDOC_KEY.finditer(prose)
    )


def _unique(keys: Iterable[str]) -> list[str]:
    """Keys in order of first appearance, each once."""
    return list(dict.fromkeys(keys))


def keys_in_text(text: str, suffix: str) -> list[str]:
    """The keys cited in a document's ``text``, read as its file ``suffix`` says.

    An unknown suffix is read both ways, LaTeX first.
    """
    suffix = suffix.lower()
    if suffix in LATEX_SUFFIXES:
        return latex_keys(text)
    if suffix in MARKDOWN_SUFFIXES:
        return markdown_keys(text)
    return _unique([*latex_keys(text), *markdown_keys(text)])


def cited_keys(path: Path) -> list[str]:
    """The keys cited in the file at ``path``, in order of first citation."""
    try:
        text = path.read_text("utf-8", errors="replace")
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}; check the --cited-in path") from exc
    return keys_in_text(text, path.suffix)
