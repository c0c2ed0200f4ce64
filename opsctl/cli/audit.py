"""`opsctl audit`: the append-only log of changes and approvals."""

from __future__ import annotations

from typing import Annotated

import typer

from opsctl.cli.base import FormatOption, group
from opsctl.cli.context import AppContext

app = group("The audit log of changes to other people's records, and of every approval.")


@app.command("list")
def list_audit(
    ctx: typer.Context,
    person: Annotated[str | None, typer.Option("--person", "-p", help="Entries by or about this login.")] = None,
    since: Annotated[str | None, typer.Option(help="From this date on (YYYY-MM-DD, -1w, …).")] = None,
    action: Annotated[str | None, typer.Option(help="Actions starting with this, e.g. people. or leave.")] = None,
    limit: Annotated[int, typer.Option(min=1, help="At most this many, newest first.")] = 200,
    fmt: FormatOption = None,
) -> None:
    """Newest first. HR and admins see all; others what they did or what concerns them."""
    from datetime import datetime

    from opsctl.dates import parse_date
    from opsctl.reports.people import audit_table
    from opsctl.services.audit import list_entries
    from opsctl.services.people import get_person

    state = AppContext.of(ctx)
    with state.session(write=False) as session:
        start = None
        if since:
            day = parse_date(since, today=state.today(session))
            start = datetime.combine(day, datetime.min.time(), tzinfo=state.tz(session))
        rows = list_entries(
            session, viewer=state.actor(session), person=get_person(session, person) if person else None,
            since=start, action=action, limit=limit,
        )
    state.render(audit_table(rows), fmt)
