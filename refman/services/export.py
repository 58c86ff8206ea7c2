"""Export use cases: the library (or part of it) as a file format or a styled bibliography.

Formats come in two kinds. Data formats (BibTeX, BibLaTeX, CSL-JSON, RIS) are
written by their codec modules. Styled formats (text, HTML, Markdown) go
through a CSL style and pandoc's citeproc, one pandoc run for the whole export.

Which entries: the whole library in file order, the keys given (in the order
given), or the works cited in manuscripts (``--cited-in``), in the order the
manuscripts first cite them, so numeric styles number them as the paper does.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, get_args

from refman.config import Settings
from refman.errors import UsageError
from refman.model import CslItem
from refman.render import Fmt, same_author_year

ExportFormat = Literal["bibtex", "biblatex", "csl-json", "ris", "text", "html", "markdown"]
"""Every ``refman export --format``."""

EXPORT_FORMATS: tuple[str, ...] = get_args(ExportFormat)
STYLED_FORMATS: tuple[Fmt, ...] = get_args(Fmt)


@dataclass(frozen=True)
class ExportResult:
    """What an export produced."""

    text: str
    count: int
    missing: list[str] = field(default_factory=list)
    """Keys cited in the manuscripts that the library does not hold."""


def format_bibliography(
    items: Sequence[CslItem], style: str, locale: str | None = None, fmt: Fmt = "text"
) -> str:
    """The bibliography of ``items`` in ``style`` (alias, id or ``.csl`` path)."""
    from refman import render
    from refman.styles import resolve_style

    return render.render_bibliography(items, resolve_style(style), locale=locale, fmt=fmt)


def format_citation(
    items: Sequence[CslItem],
    style: str,
    locale: str | None = None,
    fmt: Fmt = "text",
    *,
    context: Sequence[CslItem] = (),
) -> str:
    """One in-text citation of ``items`` together in ``style``, told apart from ``context``."""
    from refman import render
    from refman.styles import resolve_style

    return render.render_citation(
        items, resolve_style(style), locale=locale, fmt=fmt, context=context
    )


def _bibtex(items: Sequence[CslItem]) -> str:
    from refman import bibtex

    return bibtex.dumps(items, dialect="bibtex")


def _biblatex(items: Sequence[CslItem]) -> str:
    from refman import bibtex

    return bibtex.dumps(items, dialect="biblatex")


def _csl_json(items: Sequence[CslItem]) -> str:
    from refman import csljson

    return csljson.dumps(items)


def _ris(items: Sequence[CslItem]) -> str:
    from refman import ris

    return ris.dumps(items)


DATA_WRITERS: dict[str, Callable[[Sequence[CslItem]], str]] = {
    "bibtex": _bibtex,
    "biblatex": _biblatex,
    "csl-json": _csl_json,
    "ris": _ris,
}
"""The codec that writes each data format."""


def dumps(
    items: Sequence[CslItem], fmt: str, *, style: str = "apa", locale: str | None = None
) -> str:
    """``items`` in export format ``fmt``; ``style``/``locale`` apply to styled formats."""
    if fmt in DATA_WRITERS:
        return DATA_WRITERS[fmt](items)
    if fmt in STYLED_FORMATS:
        return format_bibliography(items, style, locale, fmt)
    raise _unknown_format(fmt)


def _unknown_format(fmt: str) -> UsageError:
    return UsageError(f"unknown export format {fmt!r}; use one of: {', '.join(EXPORT_FORMATS)}")


def effective_locale(settings: Settings, locale: str | None) -> str | None:
    """The locale asked for, else a configured one; None lets the style choose its own.

    refman's built-in default (en-US) is not forced on styles that name another
    default locale (a German journal's style prints German terms).
    """
    if locale:
        return locale
    return settings.locale if settings.sources.get("locale", "default") != "default" else None


def select_items(
    settings: Settings, keys: Sequence[str] = (), cited_in: Sequence[Path] = ()
) -> tuple[list[CslItem], list[str]]:
    """The entries to export and the cited keys missing from the library.

    Without keys or manuscripts: the whole library. Keys and manuscripts together:
    the keys first, then what the manuscripts cite.
    """
    from refman.citekeys import ALL_KEYS, cited_keys
    from refman.services.library import load_items

    if not cited_in:
        return load_items(settings, list(dict.fromkeys(keys)) or None), []
    wanted = list(keys)
    for path in cited_in:
        wanted += cited_keys(path)
    wanted = list(dict.fromkeys(wanted))
    library = load_items(settings, None)
    if ALL_KEYS in wanted:
        cited = [key for key in wanted if key != ALL_KEYS]
        wanted = list(dict.fromkeys([*cited, *(str(item["id"]) for item in library)]))
    by_key = {str(item["id"]): item for item in library}
    return [by_key[key] for key in wanted if key in by_key], [
        key for key in wanted if key not in by_key
    ]


def export(
    settings: Settings,
    keys: Sequence[str] = (),
    *,
    fmt: str = "bibtex",
    style: str | None = None,
    locale: str | None = None,
    cited_in: Sequence[Path] = (),
) -> ExportResult:
    """Export the library, some keys, or what manuscripts cite, in format ``fmt``."""
    if fmt not in EXPORT_FORMATS:
        raise _unknown_format(fmt)
    items, missing = select_items(settings, keys, cited_in)
    text = dumps(
        items, fmt, style=style or settings.style, locale=effective_locale(settings, locale)
    )
    return ExportResult(text=text, count=len(items), missing=missing)


def cite(
    settings: Settings,
    keys: Sequence[str],
    *,
    style: str | None = None,
    locale: str | None = None,
    fmt: Fmt = "text",
) -> str:
    """The in-text citation of library entries ``keys`` together.

    Told apart from the library's other works by the same first author in the same
    year, so ``walker2019a`` alone is still cited as the bibliography lists it.
    """
    from refman.services.library import read_library

    if not keys:
        raise UsageError("name at least one citation key, e.g. refman cite grober2015")
    document = read_library(settings)
    items = [document.find(key).item for key in keys]
    library = [entry.item for entry in document.entries]
    return format_citation(
        items,
        style or settings.style,
        effective_locale(settings, locale),
        fmt,
        context=same_author_year(items, library),
    )
