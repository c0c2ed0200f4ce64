"""`opsctl config`: team settings kept in the database."""

from __future__ import annotations

from typing import Annotated

import typer

from opsctl.cli.base import FormatOption, group
from opsctl.cli.context import AppContext

app = group("Team settings: timezone, week start, overtime threshold, KPI grades and weights…")


@app.command("list")
def list_settings(ctx: typer.Context, fmt: FormatOption = None) -> None:
    """Every setting with its value, default and meaning."""
    from opsctl.reports.tabular import Tabular, columns
    from opsctl.services.config import setting_rows

    state = AppContext.of(ctx)
    with state.session(write=False) as session:
        rows = setting_rows(session, viewer=state.actor(session))
    state.render(Tabular("Settings", columns("key", "value", "default", ("help", "Meaning")), rows), fmt)


@app.command("get")
def get(ctx: typer.Context, key: Annotated[str, typer.Argument(help="Setting name.")]) -> None:
    """Print one setting's value."""
    from opsctl.services.config import show_setting

    state = AppContext.of(ctx)
    with state.session(write=False) as session:
        shown = show_setting(session, viewer=state.actor(session), key=key)
    typer.echo(shown)


@app.command("set")
def set_(
    ctx: typer.Context,
    key: Annotated[str, typer.Argument(help="Setting name (see `opsctl config list`).")],
    value: Annotated[str, typer.Argument(help="New value.")],
) -> None:
    """Change one setting (admins only)."""
    from opsctl.services.config import SPECS, set_setting

    state = AppContext.of(ctx)
    with state.session() as session:
        parsed = set_setting(session, actor=state.actor(session), key=key, value=value)
    state.notice(f"{key} = {SPECS[key].show(parsed)}")
