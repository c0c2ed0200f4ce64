"""`opsctl attend`: clock in and out, status, log, the day and month views, corrections, imports."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from opsctl.cli.base import FormatOption, group, record_id
from opsctl.cli.context import AppContext, with_format_notice
from opsctl.cli.overtime import app as overtime_app

if TYPE_CHECKING:
    from rich.console import Console
    from sqlmodel import Session

    from opsctl.models.people import Employee
    from opsctl.services.attendance import PersonMonth

app = group("Attendance: clock in and out, status, log, day and month views, corrections, imports.")
app.add_typer(overtime_app, name="overtime")

NoteOpt = Annotated[str | None, typer.Option("--note", help="A note kept with the punch.")]
LoginArg = Annotated[str | None, typer.Argument(metavar="LOGIN", help="Whose (default: you).", show_default=False)]
TeamOpt = Annotated[str | None, typer.Option("--team", help="Only this team.")]


class Source(StrEnum):
    csv = "csv"
    zkteco = "zkteco"
    zkteco_usb = "zkteco-usb"
    zkteco_push = "zkteco-push"


def _clock(ctx: typer.Context, kind: str, note: str | None, fmt: FormatOption) -> None:
    from opsctl.reports.attendance.tables import punch_record
    from opsctl.services.attendance import clock_in, clock_out, punch_row

    state = AppContext.of(ctx)
    with state.session() as session:
        person, tz = state.actor(session), state.tz(session)
        punch = (clock_in if kind == "in" else clock_out)(session, person=person, now=state.now(), tz=tz, note=note)
        row = punch_row(punch, person.login, person.name)
    state.render(punch_record(row, tz), fmt)


@app.command("in")
def in_(ctx: typer.Context, note: NoteOpt = None, fmt: FormatOption = None) -> None:
    """Clock in now. No back-dating: a forgotten punch is a correction (`attend fix`)."""
    _clock(ctx, "in", note, fmt)


@app.command("out")
def out(ctx: typer.Context, note: NoteOpt = None, fmt: FormatOption = None) -> None:
    """Clock out now."""
    _clock(ctx, "out", note, fmt)


@app.command("status")
def status(ctx: typer.Context, login: LoginArg = None, fmt: FormatOption = None) -> None:
    """Clocked in or out, since when, today's punches and schedule."""
    from opsctl.reports.attendance.tables import status_record
    from opsctl.services.attendance import person_status

    state = AppContext.of(ctx)
    with state.session(write=False) as session:
        tz = state.tz(session)
        punches, kind = person_status(session, viewer=state.actor(session), login=login, now=state.now(), tz=tz)
    state.render(status_record(punches, tz, day_kind=kind), fmt)


@app.command("log")
def log(
    ctx: typer.Context,
    login: LoginArg = None,
    from_: Annotated[str | None, typer.Option("--from", help="First work date (default: start of this month).")] = None,
    to: Annotated[str | None, typer.Option("--to", help="Last work date (default: today).")] = None,
    fmt: FormatOption = None,
) -> None:
    """Every punch of a person in a period, with its source and note."""
    from opsctl.dates import parse_date
    from opsctl.reports.attendance.tables import log_table
    from opsctl.services.attendance import punch_log

    state = AppContext.of(ctx)
    with state.session(write=False) as session:
        today = state.today(session)
        start = parse_date(from_, today=today) if from_ else today.replace(day=1)
        end = parse_date(to, today=today) if to else today
        person, rows = punch_log(session, viewer=state.actor(session), login=login, start=start, end=end)
    state.render(log_table(rows, title=f"Punches of {person.name} ({person.login}), {start} to {end}"), fmt)


@app.command("day")
def day(
    ctx: typer.Context,
    on: Annotated[str | None, typer.Argument(metavar="DATE", help="The date (default: today).",
                                             show_default=False)] = None,
    team: TeamOpt = None,
    fmt: FormatOption = None,
) -> None:
    """Everyone's day: in, out, late, early, absent, overtime."""
    from opsctl.dates import parse_date
    from opsctl.reports.attendance.tables import day_table
    from opsctl.services.attendance import team_view

    state = AppContext.of(ctx)
    with state.session(write=False) as session:
        today = state.today(session)
        when = parse_date(on, today=today) if on else today
        view = team_view(session, viewer=state.actor(session), start=when, end=when, today=today, team=team,
                         now=state.now())
    state.render(day_table(view.summaries, when, state.tz(session)), fmt)
    _hidden_notice(state, fmt, view.hidden)


def _hidden_notice(state: AppContext, fmt: FormatOption, hidden: int) -> None:
    if hidden:
        who = "person" if hidden == 1 else "people"
        with_format_notice(state, fmt, f"({hidden} other {who} not shown: you may see only yourself, the people "
                                       "you manage and your team)")


@app.command("month")
def month(
    ctx: typer.Context,
    which: Annotated[str | None, typer.Argument(metavar="YYYY-MM", help="The month (default: this month).",
                                                show_default=False)] = None,
    person: Annotated[str | None, typer.Option("--person", help="One person's month as a calendar.")] = None,
    team: TeamOpt = None,
    fmt: FormatOption = None,
) -> None:
    """The month's summary per person; with --person, that person's calendar and totals."""
    from opsctl.dates import parse_month
    from opsctl.reports.attendance.tables import month_table
    from opsctl.services.attendance import person_month, team_view

    state = AppContext.of(ctx)
    if person and team:
        from opsctl.errors import InvalidInput

        raise InvalidInput("give --person LOGIN (one person's calendar) or --team NAME (a team's table), not both")
    with state.session(write=False) as session:
        today, viewer = state.today(session), state.actor(session)
        period = parse_month(which or "this", today=today)
        if person:
            one = person_month(session, viewer=viewer, login=person, period=period, today=today, now=state.now())
        else:
            view = team_view(session, viewer=viewer, start=period.start, end=period.end, today=today, team=team,
                             now=state.now())
    if person:
        return _show_person_month(state, one, fmt)
    state.render(month_table(view.summaries, period, today=today, team=team), fmt)
    _hidden_notice(state, fmt, view.hidden)


def _show_person_month(state: AppContext, one: PersonMonth, fmt: FormatOption) -> None:
    from opsctl.reports.attendance.tables import person_month_grid, person_month_record
    from opsctl.reports.formats import OutputFormat
    from opsctl.reports.render import console

    if fmt not in (None, OutputFormat.table):
        return state.render(person_month_record(one.summary, one.period.label), fmt)
    out = console()
    for part in person_month_grid(one, tz=state.tz_or_none):
        out.print(part)


@app.command("fix")
def fix(
    ctx: typer.Context,
    on: Annotated[str, typer.Argument(metavar="DATE", help="The work date to correct.")],
    in_: Annotated[str | None, typer.Option("--in", help="The clock-in that is missing (HH:MM).")] = None,
    out_: Annotated[str | None, typer.Option("--out", help="The clock-out that is missing (HH:MM).")] = None,
    reason: Annotated[str, typer.Option("--reason", help="Why the punch is missing.")] = "",
    for_: Annotated[str | None, typer.Option("--for", help="Ask on behalf of this person (their manager, HR).")] = None,
    override: Annotated[bool, typer.Option("--override", help="HR/admin: allow it past the monthly limit.")] = False,
    fmt: FormatOption = None,
) -> None:
    """Ask for a correction of a past day's punches; their manager, HR or an admin approves it."""
    from opsctl.dates import parse_date, parse_time
    from opsctl.reports.attendance.tables import request_record
    from opsctl.services.attendance import fix_rows, request_fix

    state = AppContext.of(ctx)
    with state.session() as session:
        actor = state.actor(session)
        request = request_fix(
            session, actor=actor, now=state.now(), tz=state.tz(session),
            work_date=parse_date(on, today=state.today(session)), in_time=parse_time(in_) if in_ else None,
            out_time=parse_time(out_) if out_ else None, reason=reason, login=for_, override=override,
        )
        row = fix_rows(session, viewer=actor, ids=[request.id or 0])[0]
    state.render(request_record(row), fmt)
    with_format_notice(state, fmt, f"Correction #{row['id']} waits for approval by {row['login']}'s manager, HR "
                                   f"or an admin: opsctl attend approve {row['id']}")


@app.command("requests")
def requests(
    ctx: typer.Context,
    pending: Annotated[bool, typer.Option("--pending", help="Only those waiting for a decision.")] = False,
    person: Annotated[str | None, typer.Option("--person", help="Only this person's.")] = None,
    fmt: FormatOption = None,
) -> None:
    """Correction requests you may see: yours and those of the people you manage or lead."""
    from opsctl.reports.attendance.tables import requests_table
    from opsctl.services.attendance import fix_rows
    from opsctl.services.people import get_person

    state = AppContext.of(ctx)
    with state.session(write=False) as session:
        state.tz(session)  # instants are shown in the team's timezone
        who = get_person(session, person) if person else None
        rows = fix_rows(session, viewer=state.actor(session), pending_only=pending, person=who)
    state.render(requests_table(rows, pending=pending), fmt)


def _decide(ctx: typer.Context, request_id: int, fmt: FormatOption,
            decide: Callable[[Session, AppContext, Employee], object]) -> None:
    from opsctl.reports.attendance.tables import request_record
    from opsctl.services.attendance import fix_rows

    state = AppContext.of(ctx)
    with state.session() as session:
        actor = state.actor(session)
        state.tz(session)
        decide(session, state, actor)
        row = fix_rows(session, viewer=actor, ids=[request_id])[0]
    state.render(request_record(row), fmt)


IdArg = Annotated[int, typer.Argument(
    metavar="ID", parser=record_id, help="The request number (see `attend requests`).")]


@app.command("approve")
def approve(
    ctx: typer.Context,
    request_id: IdArg,
    override: Annotated[bool, typer.Option("--override", help="HR/admin: past the monthly limit.")] = False,
    fmt: FormatOption = None,
) -> None:
    """Approve a correction: its punches are added (source `correction`); audited."""
    from opsctl.services.attendance import approve_fix

    _decide(ctx, request_id, fmt, lambda session, state, actor: approve_fix(
        session, actor=actor, now=state.now(), tz=state.tz(session), request_id=request_id, override=override))


@app.command("reject")
def reject(
    ctx: typer.Context,
    request_id: IdArg,
    reason: Annotated[str, typer.Option("--reason", help="Why it is rejected.")],
    fmt: FormatOption = None,
) -> None:
    """Reject a correction, saying why; audited."""
    from opsctl.services.attendance import reject_fix

    _decide(ctx, request_id, fmt, lambda session, state, actor: reject_fix(
        session, actor=actor, now=state.now(), request_id=request_id, reason=reason))


@app.command("import")
def import_(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(metavar="FILE", help="CSV (login,time[,kind]) or a ZKTeco attendance log.")],
    source: Annotated[Source | None, typer.Option(
        "--source", case_sensitive=False,
        help="csv, zkteco (its layout told from the lines), or the layout: zkteco-usb (1_attlog.dat) or "
             "zkteco-push (ADMS ATTLOG). Default: told from the file.")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Check and count, write nothing.")] = False,
    skip_bad: Annotated[bool, typer.Option("--skip-bad", help="Import the good rows even if some are bad.")] = False,
    fmt: FormatOption = None,
) -> None:
    """Import punches (HR/admin). Punches already stored are skipped; any bad row stops it all."""
    from opsctl.reports.attendance.tables import import_record
    from opsctl.services.attendance import check_punches, store_punches

    state = AppContext.of(ctx)
    # Reading and checking the file (most of the time) reads only; the write is short, so
    # clock-ins meanwhile go on, or wait for the write alone.
    with state.session(write=False) as session:
        checked = check_punches(session, actor=state.actor(session), now=state.now(), tz=state.tz(session),
                                path=file, source=source.value if source else None, dry_run=dry_run,
                                skip_bad=skip_bad)
    report = checked.report
    if not dry_run:
        with state.session() as session, _progress(state, "Importing punches") as progress:
            report = store_punches(session, checked, actor=state.actor(session), now=state.now(), progress=progress)
    state.render(import_record(report.record()), fmt)
    read_as = f"; read as {report.layout}" if report.source == "zkteco" else ""
    with_format_notice(state, fmt, f"{report.new} new, {report.duplicate} already stored, {len(report.rejected)} "
                                   f"rejected{read_as}{' (dry run: nothing written)' if dry_run else ''}")


class Lang(StrEnum):
    en = "en"
    zh = "zh"


BIG_EXPORT = 20_000  # cells; a smaller workbook is written in a blink, without a progress bar


@app.command("export")
def export(
    ctx: typer.Context,
    month: Annotated[str, typer.Option("--month", metavar="YYYY-MM", help="The month (or this, last).")],
    output: Annotated[Path | None, typer.Option("--output", "-o", metavar="FILE", show_default=False,
                                                help="The workbook (default: attendance-YYYY-MM.xlsx here).")] = None,
    team: TeamOpt = None,
    lang: Annotated[Lang, typer.Option("--lang", help="Sheets, headers and codes in en or zh.",
                                       case_sensitive=False)] = Lang.en,
    force: Annotated[bool, typer.Option("--force", help="Replace the file if it exists.")] = False,
) -> None:
    """The month as an Excel workbook for HR: Summary, Daily, Punches, Legend (managers, HR, admins)."""
    from contextlib import nullcontext

    from opsctl.dates import parse_month
    from opsctl.reports.attendance.xlsx import scope, write_month_workbook
    from opsctl.reports.attendance.xlsx_text import EN
    from opsctl.reports.excel import check_target
    from opsctl.services.attendance import month_export

    state = AppContext.of(ctx)
    with state.session(write=False) as session:
        today = state.today(session)
        period = parse_month(month, today=today)
        target = check_target(output or Path(f"attendance-{period.label}.xlsx"), force=force,  # before the work
                              example=f"attendance-{period.label}.xlsx").absolute()
        data = month_export(session, actor=state.actor(session), period=period, today=today, now=state.now(),
                            team=team)
    with _progress(state, "Writing the workbook") if data.size > BIG_EXPORT else nullcontext() as progress:
        write_month_workbook(data, target, lang=lang.value, force=force, progress=progress)
    state.notice(f"Wrote {target}: {period.label}, {scope(data, EN)}, {len(data.summaries)} people, "
                 f"{len(data.punches)} punches")
    _hidden_notice(state, None, data.hidden)


@contextmanager
def _progress(state: AppContext, what: str) -> Iterator[Callable[[int, int], None] | None]:
    """A rich progress bar on stderr when it is a terminal; nothing otherwise."""
    import sys

    if not sys.stderr.isatty():
        yield None
        return
    from rich.progress import Progress

    with Progress(transient=True, console=_stderr_console()) as bar:
        task = bar.add_task(what, total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total)


def _stderr_console() -> Console:
    from opsctl.reports.render import console

    return console(stderr=True)
