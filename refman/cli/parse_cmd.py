"""``refman parse``: free-text references -> CSL-JSON (or a table, or BibTeX), offline."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Annotated, Literal

import typer

from refman.cli.context import AppState, ReferenceFile, get_state, read_reference_file
from refman.errors import InputError, UsageError
from refman.model import CslItem, family_name, first_author, issued_year

OutputFormat = Literal["jsonl", "json", "table", "bibtex"]


def parse(
    ctx: typer.Context,
    text: Annotated[
        list[str] | None, typer.Argument(metavar="TEXT", help="References, one per argument.")
    ] = None,
    file: ReferenceFile = None,
    fmt: Annotated[
        OutputFormat, typer.Option("--format", help="jsonl, json, table or bibtex.")
    ] = "jsonl",
) -> None:
    """Parse free-text references into CSL-JSON fields, without the network.

    Example: refman parse "Gröber U, Schmidt J, Kisters K. Magnesium in preventie en
    therapie. Nutrients. 2015;7(9):8199-8226." --format json
    """
    from refman.parsing import parse_references

    state = get_state(ctx)
    if not text and file is None:
        raise UsageError("no references given; pass them as arguments or with --file PATH")
    texts = [t for t in text or [] if t.strip()]
    if file is not None:
        texts.extend(read_reference_file(file))
    if not texts:
        raise InputError("the input is empty; give at least one reference")
    items = parse_references(texts)
    _report_warnings(state, items)
    typer.echo(_render([_public(item) for item in items], fmt, state), nl=False)


def _report_warnings(state: AppState, items: Sequence[CslItem]) -> None:
    for number, item in enumerate(items, 1):
        for warning in item.get("_warnings", []):
            state.warn(f"reference {number}: {warning}")


def _public(item: CslItem) -> CslItem:
    """The item without refman's private keys (``_warnings``)."""
    return {key: value for key, value in item.items() if not key.startswith("_")}


def _render(items: list[CslItem], fmt: OutputFormat, state: AppState) -> str:
    if fmt == "json":
        return json.dumps(items, ensure_ascii=False, indent=2) + "\n"
    if fmt == "table":
        return "".join(f"{n:>3}  {_summary(item)}\n" for n, item in enumerate(items, 1))
    if fmt == "bibtex":
        return _bibtex(items, state.settings.key_pattern, ascii=state.settings.ascii)
    return "".join(json.dumps(item, ensure_ascii=False) + "\n" for item in items)


def _summary(item: CslItem) -> str:
    """One line a person can scan: author (year). Title. Container volume(issue):page. DOI."""
    name = first_author(item)
    author = family_name(name) if name else "?"
    year = issued_year(item) or "n.d."
    numbers = str(item.get("volume", ""))
    if item.get("issue"):
        numbers += f"({item['issue']})"
    if item.get("page"):
        numbers += f":{item['page']}"
    parts = [
        f"{author} ({year}).",
        f"{item.get('title', '[no title]')}.",
        str(item.get("container-title", "")),
        numbers,
        str(item.get("DOI") or item.get("URL") or ""),
        f"[{item.get('type', 'document')}]",
    ]
    return " ".join(part for part in parts if part)


def _bibtex(items: list[CslItem], pattern: str, *, ascii: bool) -> str:
    from refman.bibtex import csl_to_bibtex
    from refman.keys import make_key

    taken: set[str] = set()
    entries = []
    for item in items:
        key = make_key(item, taken, pattern)
        taken.add(key)
        entries.append(csl_to_bibtex(item, key, ascii=ascii))
    return "\n".join(entries)
