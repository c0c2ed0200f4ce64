"""`opsctl today`: the personal one-screen overview."""

from __future__ import annotations

import typer

from opsctl.cli.base import FormatOption, single
from opsctl.cli.context import AppContext

app = single("Your day at a glance.")


@app.command("today")
def today(ctx: typer.Context, fmt: FormatOption = None) -> None:
    """Your day: clocked in since, today's tasks and meetings, approvals waiting, leave balance."""
    from opsctl.reports.formats import OutputFormat
    from opsctl.reports.render import json_text
    from opsctl.reports.tabular import Record
    from opsctl.reports.today import sections

    state = AppContext.of(ctx)
    with state.session(write=False) as session:
        person = state.actor(session)
        parts = sections(session, person=person, today=state.today(session), now=state.now())
    if fmt is OutputFormat.json:
        data = {key: part.data if isinstance(part, Record) else part.rows for key, part in parts.items()}
        typer.echo(json_text(data, state.tz_or_none))
        return
    for number, part in enumerate(parts.values()):
        if number and fmt in (None, OutputFormat.table):
            typer.echo()
        state.render(part, fmt)
