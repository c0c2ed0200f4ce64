"""`opsctl schedule`: work schedules, the default one, who follows which."""

from __future__ import annotations

from typing import Annotated

import typer

from opsctl.cli.base import FormatOption, group
from opsctl.cli.context import AppContext, tell_consequences

app = group("Work schedules: hours, break, grace minutes, workdays; who follows which.")

NameArg = Annotated[str, typer.Argument(metavar="NAME", help="The schedule's name.")]


@app.command("add")
def add(
    ctx: typer.Context,
    name: NameArg,
    start: Annotated[str, typer.Option("--start", help="Start of the shift, HH:MM.")],
    end: Annotated[str, typer.Option("--end", help="End of the shift, HH:MM (before --start: overnight).")],
    break_: Annotated[str | None, typer.Option("--break", help="Unpaid break, HH:MM-HH:MM.")] = None,
    late_grace: Annotated[int, typer.Option("--late-grace", help="Minutes after the start not yet late.")] = 0,
    early_grace: Annotated[int, typer.Option("--early-grace", help="Minutes before the end not yet early.")] = 0,
    days: Annotated[str, typer.Option("--days", help="Workdays, e.g. mon-fri or mon,wed,fri.")] = "mon-fri",
    default: Annotated[bool, typer.Option("--default", help="Make it the default for people without one.")] = False,
    fmt: FormatOption = None,
) -> None:
    """Add a schedule (HR/admin). The first one becomes the default."""
    from opsctl.dates import parse_time, parse_time_range, parse_weekdays
    from opsctl.reports.attendance.tables import schedule_record
    from opsctl.services.attendance import add_schedule, schedule_row

    state = AppContext.of(ctx)
    with state.session() as session:
        schedule = add_schedule(
            session, actor=state.actor(session), now=state.now(), name=name, start=parse_time(start),
            end=parse_time(end), breaks=parse_time_range(break_) if break_ else None, late_grace=late_grace,
            early_grace=early_grace, days=parse_weekdays(days), default=default,
        )
        row = schedule_row(schedule)
    state.render(schedule_record(row), fmt)


@app.command("list")
def list_(ctx: typer.Context, fmt: FormatOption = None) -> None:
    """Schedules, which is the default, how many people follow each."""
    from opsctl.reports.attendance.tables import schedule_table
    from opsctl.services.attendance import list_schedules

    state = AppContext.of(ctx)
    with state.session(write=False) as session:
        rows = list_schedules(session, viewer=state.actor(session))
    state.render(schedule_table(rows), fmt)


@app.command("assign")
def assign(
    ctx: typer.Context,
    login: Annotated[str, typer.Argument(metavar="LOGIN", help="The employee's login.")],
    name: NameArg,
    since: Annotated[str | None, typer.Option("--from", help="First day on it (default: today).")] = None,
    fmt: FormatOption = None,
) -> None:
    """Put a person on a schedule from a date on (HR/admin; audited)."""
    from opsctl.dates import parse_date
    from opsctl.reports.attendance.tables import assignment_record
    from opsctl.services.attendance import assign_schedule

    state = AppContext.of(ctx)
    with state.session() as session:
        today = state.today(session)
        change = assign_schedule(session, actor=state.actor(session), now=state.now(), login=login, name=name,
                                 since=parse_date(since, today=today) if since else today)
    state.render(assignment_record(change.row), fmt)
    tell_consequences(state, change.recounted, change.redated)


@app.command("default")
def default(ctx: typer.Context, name: NameArg, fmt: FormatOption = None) -> None:
    """Make a schedule the default: people without an assignment follow it."""
    from opsctl.reports.attendance.tables import schedule_record
    from opsctl.services.attendance import set_default_schedule

    state = AppContext.of(ctx)
    with state.session() as session:
        change = set_default_schedule(session, actor=state.actor(session), now=state.now(), name=name)
    state.render(schedule_record(change.row), fmt)
    tell_consequences(state, change.recounted, change.redated)
