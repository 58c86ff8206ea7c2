"""The ``refman`` command: global options, error handling, command registration."""

from __future__ import annotations

import traceback
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from refman import __version__
from refman.cli import check_cmd, config_cmd, export_cmd, library_cmd, parse_cmd, resolve_cmd
from refman.cli.context import AppState
from refman.config import resolve_settings
from refman.errors import Interrupted, RefmanError


class RefmanGroup(TyperGroup):
    """Turns a ``RefmanError`` into ``Error: <message>`` on stderr and its exit code."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            _report(ctx, Interrupted("interrupted; what finished was printed above"))
        except RefmanError as exc:
            _report(ctx, exc)
        return None


def _report(ctx: Any, exc: RefmanError) -> None:
    state = ctx.obj if isinstance(ctx.obj, AppState) else None
    typer.echo(f"Error: {exc}", err=True)
    if state is not None and state.verbose:
        cause = exc.__cause__
        if cause is not None:
            typer.echo(f"Cause: {type(cause).__name__}: {cause}", err=True)
        typer.echo("".join(traceback.format_exception(exc)), err=True)
    raise typer.Exit(exc.exit_code)


app = typer.Typer(
    cls=RefmanGroup,
    name="refman",
    help="Paste references, get verified DOIs, keep a BibTeX library, export any style.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"refman {__version__}")
        raise typer.Exit()


@app.callback()
def global_options(
    ctx: typer.Context,
    library: Annotated[
        Path | None,
        typer.Option(help="Library file [env REFMAN_LIBRARY; default ./library.bib]."),
    ] = None,
    mailto: Annotated[
        str | None,
        typer.Option(help="Your e-mail, for Crossref's polite pool [env REFMAN_MAILTO]."),
    ] = None,
    crossref_url: Annotated[
        str | None,
        typer.Option(help="Crossref API base URL [env REFMAN_CROSSREF_URL]."),
    ] = None,
    cache_dir: Annotated[
        Path | None,
        typer.Option(help="Lookup cache directory [env REFMAN_CACHE_DIR]."),
    ] = None,
    offline: Annotated[
        bool | None,
        typer.Option("--offline/--online", help="Use only the cache, never the network."),
    ] = None,
    verbose: Annotated[
        int, typer.Option("--verbose", "-v", count=True, help="Say more; show error causes.")
    ] = 0,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Print data and errors only.")
    ] = False,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Paste references, get verified DOIs, keep a BibTeX library, export any style.

    Example: refman add "Gröber U, Schmidt J, Kisters K. Magnesium in preventie en
    therapie. Nutrients. 2015;7(9):8199-8226."
    """
    flags = {
        "library": str(library) if library else None,
        "mailto": mailto,
        "crossref_url": crossref_url,
        "cache_dir": str(cache_dir) if cache_dir else None,
        "offline": offline,
    }
    try:
        settings = resolve_settings(flags)
    except RefmanError as exc:
        _report(ctx, exc)
    ctx.obj = AppState(settings=settings, verbose=verbose, quiet=quiet)


app.add_typer(config_cmd.app, name="config")
app.command("parse")(parse_cmd.parse)
app.command("resolve")(resolve_cmd.resolve)
app.command("check")(check_cmd.check)
app.command("update")(check_cmd.update)
export_cmd.register(app)
library_cmd.register(app)


def main() -> None:
    """Console-script entry point."""
    app(prog_name="refman")
