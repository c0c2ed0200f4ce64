"""`opsctl calendar`: public holidays, adjusted days off, make-up workdays."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from opsctl.cli.base import FormatOption, group
from opsctl.cli.context import AppContext, tell_consequences, with_format_notice

app = group("The holiday calendar: public holidays, adjusted days off, make-up workdays.")

DateArg = Annotated[str, typer.Argument(metavar="DATE", help="The date (YYYY-MM-DD).")]


@app.command("add")
def add(
    ctx: typer.Context,
    on: DateArg,
    kind: Annotated[str, typer.Option("--kind", help="holiday (statutory), off (adjusted day off) or workday "
                                                     "(make-up working day).")],
    name: Annotated[str, typer.Option("--name", help="What the day is, e.g. 'Labour Day / 劳动节'.")],
    fmt: FormatOption = None,
) -> None:
    """Add one date to the calendar (HR/admin)."""
    from opsctl.dates import parse_date
    from opsctl.reports.attendance.tables import calendar_record
    from opsctl.services.attendance import add_calendar_day

    state = AppContext.of(ctx)
    with state.session() as session:
        change = add_calendar_day(session, actor=state.actor(session), now=state.now(),
                                  day=parse_date(on, today=state.today(session)), kind=kind, name=name)
    state.render(calendar_record(change.row), fmt)
    tell_consequences(state, change.recounted)


@app.command("import")
def import_(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(metavar="FILE", help="CSV with date,kind,name, or an iCalendar (.ics) file.")],
    year: Annotated[list[str] | None, typer.Option(
        "--year", help="Only this year of the file (repeat for more); an .ics event repeating without end "
                       "repeats through these years (default: this year and next).")] = None,
    kind: Annotated[str | None, typer.Option(
        "--kind", help="holiday, off or workday for every event of an .ics file (default: from each event's "
                       "CATEGORIES or summary).")] = None,
    fmt: FormatOption = None,
) -> None:
    """Add or update the dates of a file (HR/admin); if any line is bad, nothing changes."""
    from opsctl.dates import parse_year
    from opsctl.reports.attendance.tables import calendar_import_record
    from opsctl.services.attendance import import_calendar

    state = AppContext.of(ctx)
    with state.session() as session:
        actor, today = state.actor(session), state.today(session)
        years = {parse_year(text, today=today).start.year for text in year} if year else None
        result = import_calendar(session, actor=actor, now=state.now(), path=file, years=years, kind=kind,
                                 tz=state.tz(session))
    data = result.record()
    state.render(calendar_import_record(data), fmt)
    with_format_notice(state, fmt, f"{data['added']} added, {data['changed']} changed, {data['unchanged']} "
                                   f"unchanged from {file}")
    tell_consequences(state, result.recounted)


@app.command("list")
def list_(
    ctx: typer.Context,
    year: Annotated[str | None, typer.Option("--year", help="YYYY (default: this year).")] = None,
    fmt: FormatOption = None,
) -> None:
    """The calendar's dates of a year."""
    from opsctl.dates import parse_year
    from opsctl.reports.attendance.tables import calendar_table
    from opsctl.services.attendance import list_calendar

    state = AppContext.of(ctx)
    with state.session(write=False) as session:
        which = parse_year(year or "this", today=state.today(session)).start.year
        rows = list_calendar(session, viewer=state.actor(session), year=which)
    state.render(calendar_table(rows, which), fmt)


@app.command("rm")
def rm(ctx: typer.Context, on: DateArg, fmt: FormatOption = None) -> None:
    """Remove a date from the calendar (HR/admin)."""
    from opsctl.dates import parse_date
    from opsctl.reports.attendance.tables import calendar_record
    from opsctl.services.attendance import remove_calendar_day

    state = AppContext.of(ctx)
    with state.session() as session:
        change = remove_calendar_day(session, actor=state.actor(session), now=state.now(),
                                     day=parse_date(on, today=state.today(session)))
    state.render(calendar_record(change.row), fmt)
    with_format_notice(state, fmt, f"Removed {change.row['date']} from the calendar.")
    tell_consequences(state, change.recounted)
