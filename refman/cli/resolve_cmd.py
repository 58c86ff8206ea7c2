"""``refman resolve``: references in, DOIs (or an honest "no match") out."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

import typer

from refman.cli.context import ReferenceFile, get_state, progress_bar, read_reference_file
from refman.errors import ServiceUnavailableError, UsageError

if TYPE_CHECKING:
    from refman.services.resolve import Resolution


def resolve(
    ctx: typer.Context,
    text: Annotated[
        list[str] | None, typer.Argument(help="References (or DOIs, arXiv ids, ...).")
    ] = None,
    file: ReferenceFile = None,
    fmt: Annotated[
        Literal["jsonl", "table"],
        typer.Option("--format", help="jsonl (one object per input) or table."),
    ] = "jsonl",
    jobs: Annotated[int | None, typer.Option(help="Concurrent lookups.", min=1)] = None,
    min_confidence: Annotated[
        float | None, typer.Option(help="Accept matches at or above this.", min=0.0, max=1.0)
    ] = None,
    refresh: Annotated[bool, typer.Option(help="Ignore cached lookups and fetch again.")] = False,
    crossref_url: Annotated[
        str | None, typer.Option(help="Crossref API base URL (also a global option).")
    ] = None,
    mailto: Annotated[str | None, typer.Option(help="Contact e-mail (also global).")] = None,
    cache_dir: Annotated[Path | None, typer.Option(help="Cache directory (also global).")] = None,
    offline: Annotated[
        bool | None, typer.Option("--offline/--online", help="Use only the cache (also global).")
    ] = None,
) -> None:
    """Find the DOI of each reference through Crossref, validated field by field.

    Example: refman resolve "Gröber U, Schmidt J, Kisters K. Magnesium in preventie en
    therapie. Nutrients. 2015;7(9):8199-8226."
    """
    from refman.services.resolve import Resolver

    state = get_state(ctx)
    overrides: dict[str, Any] = {"crossref_url": crossref_url, "mailto": mailto}
    overrides |= {"offline": offline, "cache_dir": str(cache_dir) if cache_dir else None}
    settings = replace(state.settings, **{k: v for k, v in overrides.items() if v is not None})
    texts = [*(text or []), *(read_reference_file(file) if file else [])]
    if not texts:
        raise UsageError("no references given; pass them as arguments or with --file PATH")
    with (
        progress_bar(state, "resolving") as progress,
        Resolver(
            settings,
            refresh=refresh,
            jobs=jobs,
            min_confidence=min_confidence,
            progress=progress,
        ) as resolver,
    ):
        if resolver.pool_warning:
            state.warn(resolver.pool_warning)
        results = resolver.iter_texts(texts)
        errors = _print_table(results) if fmt == "table" else _print_jsonl(results)
        if resolver.unreachable:
            state.warn(resolver.unreachable_reason)
    if errors:
        raise ServiceUnavailableError(
            f"{errors} of {len(texts)} references could not be looked up (status error)"
        )


def _print_jsonl(results: Iterator[Resolution]) -> int:
    errors = 0
    out = sys.stdout
    for result in results:
        out.write(json.dumps(result.to_json(), ensure_ascii=False) + "\n")
        errors += result.status == "error"
    out.flush()
    return errors


def _print_table(results: Iterator[Resolution]) -> int:
    from rich.console import Console
    from rich.table import Table

    table = Table("#", "status", "confidence", "DOI", "reference")
    finished = list(results)
    for number, result in enumerate(finished, 1):
        detail = result.message or " ".join(result.input.split())[:80]
        table.add_row(
            str(number), result.status, f"{result.confidence:.2f}", result.doi or "-", detail
        )
    Console(soft_wrap=False).print(table)
    return sum(result.status == "error" for result in finished)
