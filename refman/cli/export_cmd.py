"""``refman export``, ``refman cite`` and ``refman styles``: get references out of the library."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from refman.cli.context import get_state
from refman.errors import InputError


class ExportFormat(StrEnum):
    """What ``export`` writes."""

    bibtex = "bibtex"
    biblatex = "biblatex"
    csl_json = "csl-json"
    ris = "ris"
    text = "text"
    html = "html"
    markdown = "markdown"


class StyledFormat(StrEnum):
    """What ``cite`` writes."""

    text = "text"
    html = "html"
    markdown = "markdown"


StyleOption = Annotated[
    str | None,
    typer.Option("--style", help="CSL style: alias (apa, vancouver, ...), style id or .csl file."),
]
LocaleOption = Annotated[
    str | None, typer.Option("--locale", help="Locale of the style's terms, e.g. de-DE.")
]


def export(
    ctx: typer.Context,
    keys: Annotated[list[str] | None, typer.Argument(help="Keys to export (default: all).")] = None,
    fmt: Annotated[ExportFormat, typer.Option("--format", help="Output format.")] = (
        ExportFormat.bibtex
    ),
    style: StyleOption = None,
    locale: LocaleOption = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file, not stdout.")
    ] = None,
    cited_in: Annotated[
        list[Path] | None,
        typer.Option("--cited-in", help="Only works cited in this .tex/.aux/.md file."),
    ] = None,
) -> None:
    """Export the library, some keys, or what a manuscript cites (BibTeX, RIS, styled, ...).

    Example: refman export --cited-in paper.tex --format text --style vancouver
    """
    from refman.services.export import export as run_export

    state = get_state(ctx)
    result = run_export(
        state.settings,
        keys or [],
        fmt=fmt.value,
        style=style,
        locale=locale,
        cited_in=cited_in or [],
    )
    if result.missing:
        state.warn(f"cited but not in the library: {', '.join(result.missing)}")
    if output is None:
        if result.text:
            typer.echo(result.text, nl=not result.text.endswith("\n"))
        return
    try:
        output.write_text(result.text, "utf-8")
    except OSError as exc:
        raise InputError(f"cannot write {output}: {exc.strerror}; check the --output path") from exc
    state.say(f"wrote {result.count} entries to {output}")


def cite(
    ctx: typer.Context,
    keys: Annotated[list[str], typer.Argument(help="Citation keys, cited together.")],
    style: StyleOption = None,
    fmt: Annotated[StyledFormat, typer.Option("--format", help="Output format.")] = (
        StyledFormat.text
    ),
    locale: LocaleOption = None,
) -> None:
    """Print the in-text citation of entries in a style: (Gröber et al., 2015), [1], ¹.

    Example: refman cite grober2015 hausenblas2024 --style apa
    """
    from refman.services.export import cite as run_cite

    state = get_state(ctx)
    typer.echo(run_cite(state.settings, keys, style=style, locale=locale, fmt=fmt.value), nl=False)


def styles(
    ctx: typer.Context,
    query: Annotated[
        list[str] | None, typer.Argument(help="Words the style id or title must contain.")
    ] = None,
) -> None:
    """List and search the installed CSL styles (id, citation format, title; aliases first).

    Example: refman styles vancouver
    """
    from refman.styles import ALIASES, list_styles

    state = get_state(ctx)
    found = list_styles(" ".join(query or []), cache_dir=state.settings.cache_path)
    alias_of = {style_id: alias for alias, style_id in ALIASES.items() if alias != style_id}
    for info in found:
        alias = f" (alias: {alias_of[info.id]})" if info.id in alias_of else ""
        typer.echo(f"{info.id}\t{info.citation_format}\t{info.title}{alias}")
    state.say(f"{len(found)} styles")


def register(app: typer.Typer) -> None:
    """Add ``export``, ``cite`` and ``styles`` to the ``refman`` app."""
    app.command("export")(export)
    app.command("cite")(cite)
    app.command("styles")(styles)
