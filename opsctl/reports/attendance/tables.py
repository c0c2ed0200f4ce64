"""How attendance is shown: punches, status, the day and month tables, the calendar grid
of one person's month, schedules, the holiday calendar, corrections, imports."""

from __future__ import annotations

from datetime import date, tzinfo
from typing import TYPE_CHECKING, Any

from opsctl.reports.tabular import Column, Record, Tabular, columns

if TYPE_CHECKING:
    from opsctl.dates import Period
    from opsctl.services.attendance import PersonMonth, PersonSummary, PunchState


def _right(key: str, header: str, short: str | None = None, priority: int = 1) -> Column:
    return Column(key, header, "right", short=short, priority=priority)


def _code(key: str, header: str, **how: Any) -> Column:
    """A status, a kind, a day name: never cut."""
    return Column(key, header, kind="code", **how)


LOGIN = Column("login", "Login", kind="login")
NAME = Column("name", "Name", min_width=8)
TEAM = Column("team", "Team", priority=4)


# -- punches and status ------------------------------------------------------------------

def punch_record(row: dict[str, Any], tz: tzinfo) -> Record:
    local = row["at"].astimezone(tz)
    verb = {"in": "Clocked in", "out": "Clocked out"}.get(row["kind"] or "", "Punched")
    return Record(f"{verb}: {row['name']} ({row['login']}) at {local:%H:%M} on {local:%a %Y-%m-%d}", row,
                  hidden=("id", "login", "name", "at", "correction_id"))


def status_record(state: PunchState, tz: tzinfo, *, day_kind: str) -> Record:
    punches = [f"{p.at.astimezone(tz):%H:%M} {kind}" for p, kind in zip(state.punches, _kinds(state), strict=True)]
    data = {
        "login": state.person.login, "name": state.person.name, "work_date": state.work_date, "day_kind": day_kind,
        "state": state.state, "since": state.open_punch.at if state.open_punch else None,
        "punches": punches, "schedule": f"{state.rule.name}, {state.rule.hours_text()}",
    }
    return Record(f"{state.person.name} ({state.person.login}) — {state.work_date:%a %Y-%m-%d}", data)


def _kinds(state: PunchState) -> list[str]:
    from opsctl.services.attendance import effective_kinds

    return effective_kinds(state.punches)


def log_table(rows: list[dict[str, Any]], *, title: str) -> Tabular:
    return Tabular(
        title,
        [Column("id", "#", kind="id"), LOGIN, Column("work_date", "Work date"), Column("at", "Time"),
         _code("kind", "Kind"), _code("source", "Source"), Column("note", "Note")],
        rows, empty="No punches in that period.",
    )


# -- days and months -----------------------------------------------------------------------

def day_table(summaries: list[PersonSummary], day: date, tz: tzinfo) -> Tabular:
    from opsctl.services.attendance import day_row

    rows = []
    for s in summaries:
        for d in s.days:
            row = {"login": s.login, "name": s.name, "team": s.team, **day_row(d)}
            row["in"] = d.first.astimezone(tz).time() if d.first else None
            row["out"] = d.last.astimezone(tz).time() if d.last else None
            rows.append(row)
    return Tabular(
        f"Attendance on {day:%a %Y-%m-%d}",
        [LOGIN, NAME, TEAM, _code("kind", "Day"), _code("status", "Status"), Column("in", "In"),
         Column("out", "Out"), _right("late_minutes", "Late min", "Late"),
         _right("early_minutes", "Early min", "Early"), _right("work_hours", "Worked h", "Work h"),
         _right("overtime_hours", "OT h"), *APPROVAL_COLUMNS],
        rows, empty="Nobody to show for that day.",
    )


APPROVAL_COLUMNS = [_right("overtime_approved_hours", "Approved OT h", "Appr.", priority=2),
                    _right("overtime_unapproved_hours", "Unapproved OT h", "Unappr.", priority=2)]
MONTH_COLUMNS = [
    LOGIN, NAME, TEAM, _right("workdays", "Workdays", "Wdays", priority=2),
    _right("present_days", "Present", "Pres"), _right("late_count", "Late"),
    _right("late_minutes", "Late min", "L.min", priority=3), _right("early_count", "Early"),
    _right("early_minutes", "Early min", "E.min", priority=3), _right("missing_punches", "Missing", "Miss"),
    _right("absent_days", "Absent", "Abs"), _right("leave_days", "Leave"), _right("overtime_hours", "OT h"),
    _right("work_hours", "Worked h", "Work h"), *APPROVAL_COLUMNS,
]


def as_of(period: Period, today: date) -> str:
    """", as of 2026-03-18" for a month in progress (later days are not judged yet), else ""."""
    return f", as of {today}" if period.end >= today else ""


def month_table(summaries: list[PersonSummary], period: Period, *, today: date, team: str | None = None) -> Tabular:
    from opsctl.services.attendance import summary_row

    title = f"Attendance {period.label}" + (f" — {team}" if team else "") + as_of(period, today)
    rows = [summary_row(s) for s in summaries]
    notes = []
    if rows:
        notes.append("OT h = overtime hours (workday + rest day + holiday), of which approved (the worked part of "
                     "approved requests) and unapproved; details: attend month --person LOGIN")
    return Tabular(title, MONTH_COLUMNS, rows, notes=notes, empty="Nobody was employed in that month.")


def person_month_record(summary: PersonSummary, label: str) -> Record:
    from opsctl.services.attendance import day_row, summary_row

    data = {**summary_row(summary), "month": label, "days": [day_row(d) for d in summary.days]}
    return Record(f"{summary.name} ({summary.login}) — {label}", data)


def person_month_grid(month: PersonMonth, *, tz: tzinfo | None) -> list[Any]:
    """The month as a calendar: a week per row, one coloured code per day, totals beneath."""
    import calendar as cal

    from rich import box
    from rich.table import Table
    from rich.text import Text

    from opsctl.reports.safetext import printable
    from opsctl.services.attendance import STATUSES

    summary, first = month.summary, month.period.start
    schedule = printable("Schedule: " + "; ".join(
        f"{r.name} {r.hours_text()}, grace {r.late_grace}/{r.early_grace} min" for r in month.rules))
    judged = {d.date: d for d in summary.days}
    weeks = cal.Calendar(firstweekday=month.week_start).monthdatescalendar(first.year, first.month)
    # Text, not a str: rich would read a name's "[…]" as markup (a link, a style).
    title = Text(printable(f"{summary.name} ({summary.login}) — {first:%B %Y}{as_of(month.period, month.today)}"))
    grid = Table(title=title, title_justify="left", box=box.SQUARE, show_lines=True, header_style="bold")
    for weekday in weeks[0]:
        grid.add_column(f"{weekday:%a}", justify="center", width=7)
    for week in weeks:
        cells = []
        for day in week:
            result = judged.get(day)
            if day.month != first.month:
                cells.append(Text(""))
            elif result is None:
                cells.append(Text(f"{day.day}\n", style="dim"))
            else:
                number = "reverse" if day == month.today else "dim" if result.kind != "workday" else ""
                cells.append(Text.assemble((f"{day.day}", number), "\n",
                                           (result.code, STATUSES[result.status].colour)))
        grid.add_row(*cells)
    return [grid, Text(schedule, style="dim"), *(Text(line) for line in totals_lines(summary)),
            *notable_days(summary, tz), legend(summary)]


def totals_lines(s: PersonSummary) -> list[str]:
    days = [f"Workdays {s.workdays}", f"present {s.present_days:g}", f"absent {s.absent_days:g}",
            f"leave {s.leave_days:g}", f"late {s.late_count} ({s.late_minutes} min)",
            f"early {s.early_count} ({s.early_minutes} min)", f"missing punches {s.missing_punches}"]
    hours = [f"Worked {s.work_hours:g} h", f"overtime {s.overtime_hours:g} h (workday {s.overtime_workday_hours:g}, "
             f"rest day {s.overtime_rest_hours:g}, holiday {s.overtime_holiday_hours:g})"]
    approval = [f"Approved overtime {s.overtime_approved_hours:g} h (workday {s.overtime_approved_workday_hours:g}, "
                f"rest day {s.overtime_approved_rest_hours:g}, holiday {s.overtime_approved_holiday_hours:g})",
                f"unapproved {s.overtime_unapproved_hours:g} h"]
    return [" · ".join(days), " · ".join(hours), " · ".join(approval)]


def _duration(minutes: int) -> str:
    return f"{minutes // 60} h {minutes % 60:02d} min" if minutes >= 60 else f"{minutes} min"


def notable_days(s: PersonSummary, tz: tzinfo | None) -> list[Any]:
    """One line per day worth a look; on a narrow terminal the words wrap under themselves (the
    date, code and times stay whole in their columns)."""
    from rich.table import Table
    from rich.text import Text

    from opsctl.reports.safetext import printable
    from opsctl.services.attendance import STATUSES

    lines = Table.grid(padding=(0, 2))
    lines.add_column(no_wrap=True)
    lines.add_column(no_wrap=True)
    lines.add_column(no_wrap=True)
    lines.add_column()
    for d in s.days:
        if d.status in ("present", "open", "rest", "off", "holiday") and not (d.overtime_minutes or d.approved_minutes):
            continue
        times = " – ".join(f"{t.astimezone(tz):%H:%M}" for t in (d.first, d.last) if t is not None)
        detail = [STATUSES[d.status].label]
        if d.late_minutes:
            detail.append(f"{_duration(d.late_minutes)} late")
        if d.early_minutes:
            detail.append(f"{_duration(d.early_minutes)} early")
        if d.overtime_minutes:
            detail.append(f"{_duration(d.overtime_minutes)} overtime ({d.overtime_kind})")
        if d.approved_minutes or d.unapproved_minutes:
            detail.append(f"approved {_duration(d.approved_minutes)}, unapproved {_duration(d.unapproved_minutes)}")
        if d.leave_type:
            detail.append(f"{d.leave_type} leave ({d.leave})")
        lines.add_row(f"  {d.date:%a %m-%d}", Text(d.code, STATUSES[d.status].colour), times,
                      Text(printable(", ".join(detail))))
    return [Text("Days to look at:", style="bold"), lines] if lines.row_count else []


def legend(s: PersonSummary) -> Any:
    from rich.columns import Columns
    from rich.text import Text

    from opsctl.services.attendance import OVERTIME_MARK, STATUSES

    used = sorted({d.status for d in s.days}, key=list(STATUSES).index)
    entries = [Text.assemble((f"{STATUSES[status].code:>3}", STATUSES[status].colour), f" {STATUSES[status].label}")
               for status in used]
    if any(d.overtime_kind == "workday" for d in s.days):
        entries.append(Text(f"{OVERTIME_MARK:>3} overtime after the shift"))
    return Columns([Text("Codes:", style="bold"), *entries], expand=False, padding=(0, 3))


# -- schedules and the calendar ----------------------------------------------------------------

def schedule_table(rows: list[dict[str, Any]]) -> Tabular:
    return Tabular(
        "Schedules",
        [Column("name", "Name"), Column("start", "Start", kind="time"), Column("end", "End", kind="time"),
         Column("break", "Break", kind="time"), _right("late_grace", "Late grace", "Late"),
         _right("early_grace", "Early grace", "Early"), _code("days", "Days"), _code("default", "Default"),
         _right("assigned", "Assigned", "People")],
        rows,
        notes=["People without an assignment follow the default schedule."] if rows else [],
        empty="No schedules yet: everyone follows the built-in 09:00–18:00 (break 12:00–13:00), Monday to Friday. "
              "Add one with `opsctl schedule add NAME --start 09:00 --end 18:00 --break 12:00-13:00`.",
    )


def schedule_record(row: dict[str, Any]) -> Record:
    return Record(f"Schedule {row['name']}", row)


def assignment_record(row: dict[str, Any]) -> Record:
    return Record(f"{row['name']} ({row['login']}) follows {row['schedule']} from {row['since']}", row)


def calendar_table(rows: list[dict[str, Any]], year: int) -> Tabular:
    return Tabular(f"Calendar {year}",
                   [Column("date", "Date"), _code("weekday", "Day"), _code("kind", "Kind"), Column("name", "Name")],
                   rows, empty=f"No holidays or make-up days in {year}; add them with `opsctl calendar import FILE`.")


def calendar_record(row: dict[str, Any]) -> Record:
    return Record(f"{row['date']} ({row['weekday']}): {row['kind']}", row)


def calendar_import_record(data: dict[str, Any]) -> Record:
    return Record(f"Calendar import from {data['file']}", data)


# -- corrections and imports ---------------------------------------------------------------

REQUEST_COLUMNS = [
    Column("id", "#", kind="id"), LOGIN, Column("name", "Name", min_width=8, priority=3), Column("date", "Date"),
    Column("in", "In", kind="time"), Column("out", "Out", kind="time"), Column("reason", "Reason", min_width=12),
    _code("status", "Status"), Column("requested_by", "Asked by", kind="login", short="Asked", priority=2),
    Column("decided_by", "Decided by", kind="login", short="Decider"),
    Column("decision_note", "Note", priority=2),
]


def requests_table(rows: list[dict[str, Any]], *, pending: bool) -> Tabular:
    title = "Pending corrections" if pending else "Corrections"
    return Tabular(title, REQUEST_COLUMNS, rows,
                   empty="No pending corrections." if pending else "No correction requests.")


def request_record(row: dict[str, Any]) -> Record:
    return Record(f"Correction #{row['id']} for {row['name']} ({row['login']}) on {row['date']}: {row['status']}", row)


def import_record(data: dict[str, Any]) -> Record:
    what = "Would import" if data["dry_run"] else "Imported"
    rejected = Tabular("Rejected lines", columns(("line", "Line"), ("problem", "Problem")), data["rejected_lines"])
    return Record(f"{what} punches from {data['file']}", data, sections=[rejected] if data["rejected_lines"] else [],
                  hidden=("rejected_lines",))


def today_record(facts: dict[str, Any]) -> Record:
    """`opsctl today`: the person's attendance now (``attendance.summary.today_facts``)."""
    return Record("Attendance", facts, hidden=("login", "state", "since", "last_punch", "day_kind"))
