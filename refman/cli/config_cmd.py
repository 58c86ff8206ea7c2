"""``refman config``: show the effective settings and where each came from."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from refman.cli.context import get_state

app = typer.Typer(help="Show the effective configuration.", no_args_is_help=True)


@app.command("show")
def show(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Print every setting, its value and where it came from (flag, env, config, default).

    Example: REFMAN_MAILTO=me@example.org refman config show
    """
    settings = get_state(ctx).settings
    values = settings.as_dict()
    if as_json:
        payload = {
            "config_file": str(settings.config_path),
            "settings": {
                name: {"value": value, "source": settings.sources[name]}
                for name, value in values.items()
            },
        }
        typer.echo(json.dumps(payload, indent=2))
        return
    typer.echo(f"config file: {settings.config_path}")
    width = max(len(name) for name in values)
    for name, value in values.items():
        shown = json.dumps(value) if isinstance(value, str) else str(value).lower()
        typer.echo(f"{name:<{width}}  {shown}  ({settings.sources[name]})")
