"""State shared by every command: the effective settings and output verbosity.

Kept on ``ctx.obj`` (not in module globals) so tests can run many commands in
one process with different settings.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

import typer

from refman.config import Settings
from refman.errors import InputError, UsageError

ReferenceFile = Annotated[
    str | None,
    typer.Option(
        "--file",
        "-f",
        metavar="PATH",
        help="A reference list or a whole article to read ('-' = stdin).",
    ),
]
"""The ``--file`` option of the commands that take free-text references."""


@dataclass
class AppState:
    """What the global options decided, for the command that runs."""

    settings: Settings
    verbose: int = 0
    quiet: bool = False
    warnings: list[str] = field(default_factory=list)

    def say(self, message: str) -> None:
        """Tell the user something on stderr (progress, what was done), unless --quiet."""
        if not self.quiet:
            typer.echo(message, err=True)

    def warn(self, message: str) -> None:
        """A warning on stderr; shown even with --quiet, since it may change what to do."""
        typer.echo(f"Warning: {message}", err=True)

    def debug(self, message: str) -> None:
        """Detail for --verbose runs only."""
        if self.verbose:
            typer.echo(message, err=True)

    @property
    def interactive(self) -> bool:
        """True when a person can answer prompts (stdin and stderr are terminals)."""
        return sys.stdin.isatty() and sys.stderr.isatty()


def get_state(ctx: typer.Context) -> AppState:
    """The ``AppState`` set up by the global callback."""
    root = ctx.find_root()
    if not isinstance(root.obj, AppState):
        raise UsageError("internal: the refman command was run without its global options")
    return root.obj


@contextmanager
def progress_bar(state: AppState, label: str) -> Iterator[Callable[[int, int], None] | None]:
    """A progress bar on stderr when it is a terminal (never in pipes, CI logs or --quiet).

    Yields the callback services take as ``progress(done, total)``, or None.
    """
    if state.quiet or not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(label, total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total)


def read_reference_file(source: str) -> list[str]:
    """The references in a file or stdin (``-``), found as ``refman parse`` finds them.

    One finder for every command, so a list pasted from a PDF (wrapped lines,
    hyphenation, numbering, a whole article with a references heading) is
    split the same way whether it is parsed, resolved or imported.
    """
    from refman.parsing import split_references

    try:
        if source == "-":
            text = sys.stdin.read()
        else:
            text = Path(source).read_bytes().decode("utf-8", errors="replace")
    except OSError as exc:
        raise InputError(f"cannot read {source}: {exc.strerror or exc}; check the path") from exc
    return split_references(text)
