"""``refman check`` and ``refman update``: audit a bibliography, refresh entries from Crossref."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from refman.cli.context import get_state, progress_bar


class CheckFormat(StrEnum):
    """How ``check`` prints its findings."""

    text = "text"
    json = "json"
    github = "github"


class FailOn(StrEnum):
    """The lowest severity that makes ``check`` exit with 1."""

    error = "error"
    warning = "warning"
    never = "never"


def check(
    ctx: typer.Context,
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help=".bib files or plain-text reference lists ('-' for stdin)."),
    ] = None,
    fmt: Annotated[CheckFormat, typer.Option("--format", help="Output format.")] = (
        CheckFormat.text
    ),
    fail_on: Annotated[
        FailOn, typer.Option("--fail-on", help="Exit 1 on findings at or above this.")
    ] = FailOn.error,
) -> None:
    """Find fabricated, mismatched, retracted and duplicate references (library.bib by default).

    Exit codes: 0 clean, 1 findings at or above --fail-on, 4 the service could not be reached.

    Example: refman check paper.bib --format github --fail-on warning
    """
    from refman.services import check as service

    state = get_state(ctx)
    with progress_bar(state, "checking") as progress:
        report = service.run_check(
            state.settings, paths or [], read_stdin=sys.stdin.read, progress=progress
        )
    renderers = {"text": service.render_text, "json": service.render_json}
    typer.echo(renderers.get(fmt.value, service.render_github)(report))
    if fmt is not CheckFormat.text:
        state.say(service.summary(report))
    raise typer.Exit(report.exit_code(fail_on.value))


def update(
    ctx: typer.Context,
    keys: Annotated[
        list[str] | None, typer.Argument(help="Entries to refresh (default: all).")
    ] = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Apply without asking.")] = False,
    fields: Annotated[
        str | None,
        typer.Option(help="Only these comma-separated fields, replacing even ones you edited."),
    ] = None,
) -> None:
    """Refresh entries from Crossref, showing a field-by-field diff and asking first.

    Fields you edited are kept unless you name them with --fields.

    Example: refman update grober2015magnesium --fields title,page
    """
    from refman.services import update as service

    state = get_state(ctx)
    wanted = [f.strip() for f in fields.split(",") if f.strip()] if fields else None
    updates = service.run_update_plan(state.settings, keys or [], wanted)
    for entry in updates:
        typer.echo("\n".join(service.render_update(entry)))
    pending = [u for u in updates if u.accepted()]
    if pending and not yes and not state.interactive:
        state.say(f"{len(pending)} entries would change; run again with --yes to write them")
        return
    confirm = (lambda u: True) if yes else (lambda u: typer.confirm(f"Update {u.key}?", err=True))
    written = service.apply_updates(state.settings, pending, confirm) if pending else []
    state.say(f"updated {len(written)} of {len(updates)} entries")
