"""Library commands: ``add``, ``import``, ``list``, ``search``, ``show``, ``remove``, ``edit``.

Thin wrappers over :mod:`refman.services.library`: data (keys, tables, entries)
to stdout, what was decided and why to stderr.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from refman.cli.context import AppState, get_state, progress_bar

if TYPE_CHECKING:
    from collections.abc import Callable

    from refman.services.library import AddReport, Choice, Outcome, ResolutionLike


class ListFormat(StrEnum):
    """Output of ``list`` and ``search``."""

    table = "table"
    keys = "keys"
    json = "json"
    bibtex = "bibtex"


class SortKey(StrEnum):
    """Order of ``list`` and ``search``."""

    key = "key"
    year = "year"
    author = "author"
    added = "added"


class ShowFormat(StrEnum):
    """Output of ``show``."""

    bibtex = "bibtex"
    csl_json = "csl-json"
    text = "text"


class ImportFormat(StrEnum):
    """Input format of ``import``."""

    auto = "auto"
    bibtex = "bibtex"
    ris = "ris"
    csl_json = "csl-json"
    text = "text"


FormatOption = Annotated[ListFormat, typer.Option("--format", "-f", help="Output format.")]
SortOption = Annotated[SortKey, typer.Option("--sort", help="Order of the entries.")]
MergeOption = Annotated[
    bool, typer.Option("--merge", help="Fill missing fields of an existing duplicate.")
]
MinConfidenceOption = Annotated[
    float | None,
    typer.Option("--min-confidence", min=0.0, max=1.0, help="Accept matches at or above this."),
]


# --- add / import --------------------------------------------------------------------------


def _describe(state: AppState, outcome: Outcome) -> None:
    """The match: key, authors, year, title, journal, DOI, confidence, and the diff."""
    from refman.services.library import display_value, field_diff

    item = outcome.item or {}
    head = {"added": "+", "merged": "~", "duplicate": "=", "skipped": "-"}.get(outcome.action, "!")
    if outcome.action == "failed":
        state.say(f"{head} {outcome.note}")
        return
    if item:
        year = display_value(item, "issued") or "n.d."
        parts = [display_value(item, name).rstrip(".") for name in ("title", "container-title")]
        described = ". ".join(part for part in parts if part)
        doi = item.get("DOI") or "-"
        author = display_value(item, "author")
        state.say(f"{head} {outcome.key}: {author} ({year}) {described}. DOI {doi}")
    else:
        state.say(f"{head} {outcome.input[:100]}")
    resolution = outcome.resolution
    looked_up = item.get("_refman", {}).get("source") == "crossref"
    if resolution is not None and looked_up and outcome.action in {"added", "duplicate"}:
        for name, parsed, matched in field_diff(resolution.parsed, item):
            state.say(
                f"    {name:<15} pasted: {parsed or '-'}\n    {'':<15} found:  {matched or '-'}"
            )
    state.say(f"    {outcome.note}")


def _ask(state: AppState) -> Callable[[ResolutionLike], Choice]:
    from refman.services.library import Choice, display_value, offered

    def choose(resolution: ResolutionLike) -> Choice:
        state.say(f"? {resolution.input[:120]}")
        state.say(f"  uncertain match (confidence {resolution.confidence:.2f}); candidates:")
        for number, candidate in enumerate(offered(resolution), 1):
            who = display_value(candidate.item, "author")
            year = display_value(candidate.item, "issued")
            score = f"{candidate.confidence:.2f}"
            state.say(f"  [{number}] {score} {candidate.doi}: {who} ({year}) {candidate.title}")
        answer = (
            typer.prompt(
                "  Pick a number, p = keep the parsed fields, s = skip", default="p", err=True
            )
            .strip()
            .lower()
        )
        if answer.isdigit():
            return Choice("candidate", int(answer) - 1)
        return Choice("skip") if answer.startswith("s") else Choice("parsed")

    return choose


def _report(state: AppState, report: AddReport) -> None:
    for problem in report.problems:
        state.warn(f"{state.settings.library} {problem}")
    if report.unreachable:
        state.warn(
            "Crossref was unreachable: stored the references from their parsed fields, "
            "marked unverified (verify them later with `refman check`)"
        )
    for outcome in report.outcomes:
        _describe(state, outcome)
        if outcome.action in {"added", "merged"} and outcome.key:
            typer.echo(outcome.key)


def add(
    ctx: typer.Context,
    references: Annotated[
        list[str], typer.Argument(help="Reference text, DOI, URL, arXiv id, PMID or ISBN.")
    ],
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Never ask; follow the thresholds.")
    ] = False,
    key: Annotated[
        str | None, typer.Option("--key", help="Citation key for the new entry.")
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would be stored; write nothing.")
    ] = False,
    min_confidence: MinConfidenceOption = None,
    merge: MergeOption = False,
) -> None:
    """Look references up and store them in the library (asks when a match is uncertain).

    Example: refman add 10.3390/nu7095388 "Abbasi B. ... J Res Med Sci. 2012;17(12):1161-1169."
    """
    from refman.services.library import AddOptions, add_references

    state = get_state(ctx)
    chooser = _ask(state) if state.interactive and not yes else None
    options = AddOptions(key=key, dry_run=dry_run, min_confidence=min_confidence, merge=merge)
    report = add_references(state.settings, references, options, chooser=chooser)
    _report(state, report)
    state.say(report.summary())


def import_(
    ctx: typer.Context,
    files: Annotated[list[Path], typer.Argument(help=".bib, .ris, CSL-JSON or text files.")],
    fmt: Annotated[
        ImportFormat, typer.Option("--format", help="Input format.")
    ] = ImportFormat.auto,
    resolve: Annotated[
        bool, typer.Option("--resolve/--no-resolve", help="Look references up.")
    ] = True,
    min_confidence: MinConfidenceOption = None,
    merge: MergeOption = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would be stored; write nothing.")
    ] = False,
) -> None:
    """Add every reference of BibTeX, RIS, CSL-JSON or plain-text files (whole articles too).

    Example: refman --library demo.bib import examples/references.txt
    """
    from refman.services.library import AddOptions, import_files

    state = get_state(ctx)
    options = AddOptions(dry_run=dry_run, min_confidence=min_confidence, merge=merge)
    with progress_bar(state, "resolving") as progress:
        report = import_files(
            state.settings, files, fmt.value, options, resolve=resolve, progress=progress
        )
    _report(state, report)
    state.say(report.summary())


# --- reading -------------------------------------------------------------------------------


def list_(
    ctx: typer.Context, fmt: FormatOption = ListFormat.table, sort: SortOption = SortKey.key
) -> None:
    """List the library's entries.

    Example: refman list --sort year --format keys
    """
    from refman.services.library import format_entries, list_entries

    state = get_state(ctx)
    document, entries = list_entries(state.settings, sort.value)
    for problem in document.problems:
        state.warn(f"{state.settings.library} {problem}")
    typer.echo(format_entries(document, entries, fmt.value), nl=False)
    state.say(_count(len(entries), "entry", "entries"))


def search(
    ctx: typer.Context,
    query: Annotated[
        str, typer.Argument(help="author:, title:, year:2015..2020, doi:, type:, words.")
    ],
    fmt: FormatOption = ListFormat.table,
    sort: SortOption = SortKey.key,
) -> None:
    """Find entries; every term must match, ignoring case and accents (exit 3 if none).

    Example: refman search "author:grober year:2010..2020 magnesium"
    """
    from refman.errors import NotFoundError
    from refman.services.library import format_entries, search_entries

    state = get_state(ctx)
    document, entries = search_entries(state.settings, query, sort.value)
    if not entries:
        raise NotFoundError(f"no entry matches {query!r}; try fewer or shorter terms")
    typer.echo(format_entries(document, entries, fmt.value), nl=False)
    state.say(f"{_count(len(entries), 'entry matches', 'entries match')}")


def show(
    ctx: typer.Context,
    key: Annotated[str, typer.Argument(help="Citation key.")],
    fmt: Annotated[
        ShowFormat, typer.Option("--format", "-f", help="Output format.")
    ] = ShowFormat.bibtex,
    style: Annotated[
        str | None, typer.Option("--style", help="Citation style for --format text.")
    ] = None,
) -> None:
    """Print one entry as stored, as CSL-JSON, or formatted in a citation style.

    Example: refman show grober2015magnesium --format text --style vancouver
    """
    from refman.services.library import show_entry

    state = get_state(ctx)
    typer.echo(show_entry(state.settings, key, fmt.value, style), nl=False)


def remove(
    ctx: typer.Context,
    keys: Annotated[list[str], typer.Argument(help="Citation keys to remove.")],
) -> None:
    """Remove entries (all or none: an unknown key removes nothing).

    Example: refman remove grober2015magnesium abbasi2012effect
    """
    from refman.services.library import remove_entries

    state = get_state(ctx)
    for removed in remove_entries(state.settings, keys):
        state.say(f"removed {removed}")


def edit(ctx: typer.Context, key: Annotated[str, typer.Argument(help="Citation key.")]) -> None:
    """Edit one entry in $EDITOR; it is checked before it is saved, and its key stays.

    Example: EDITOR=nano refman edit grober2015magnesium
    """
    from refman.services.library import edit_entry

    state = get_state(ctx)
    changed = edit_entry(state.settings, key)
    state.say(f"updated {key}: {', '.join(changed)}" if changed else f"{key} unchanged")


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


def register(app: typer.Typer) -> None:
    """Put the library commands on the root app."""
    app.command("add")(add)
    app.command("import")(import_)
    app.command("list")(list_)
    app.command("search")(search)
    app.command("show")(show)
    app.command("remove")(remove)
    app.command("edit")(edit)
