"""The month HR gets as a workbook (`attend export`): the summaries `attend month` shows,
every punch of the month, the calendar and the rules in force.

The summaries come from the same service as `attend month` (``team_view`` →
``summarize_period``), so the Summary sheet and `attend month -f json` agree by
construction. Everything else is a few more queries for the whole month.

Who may export: HR and admins (everyone), managers (the people they may see — the ones
they manage, down the chain). The regulations have the department manager report the
month's attendance to HR; members and team leads ask them.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from operator import itemgetter
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from opsctl.dates import Period, daterange
from opsctl.errors import InvalidInput, NotAllowed, NotFound
from opsctl.models.attendance import CalendarDay, Punch
from opsctl.models.people import Employee
from opsctl.services.access import require_roles
from opsctl.services.attendance.rules import ScheduleRule
from opsctl.services.attendance.summary import PersonSummary
from opsctl.services.attendance.views import team_view

EXPORTERS = ("manager", "hr", "admin")


class PunchLine(NamedTuple):  # a tuple: a month holds tens of thousands
    login: str
    name: str
    work_date: date
    local: datetime  # the instant in the team timezone, naive; its date differs from work_date in the
    kind: str | None  # small hours of an overnight shift
    source: str
    note: str | None


@dataclass(frozen=True)
class CalendarEntry:
    day: date
    kind: str  # holiday, off, workday
    name: str


@dataclass(frozen=True)
class ScheduleInForce:
    rule: ScheduleRule
    people: int  # how many of the exported people followed it on at least one day


@dataclass
class MonthExport:
    period: Period
    today: date
    now: datetime
    timezone: ZoneInfo
    team: str | None
    exported_by: str  # "Name (login)"
    summaries: list[PersonSummary]
    punches: list[PunchLine]
    calendar: list[CalendarEntry]
    schedules: list[ScheduleInForce]
    overtime_min: int
    hidden: int  # people of the month the exporter may not see
    leave_names: dict[str, str]  # leave type code -> its name, for the types taken this month
    overtime_needs_approval: bool = True  # the Summary shows approved and unapproved overtime apart

    @property
    def in_progress(self) -> bool:
        """Today or later days of the month are not judged yet."""
        return self.period.end >= self.today

    @property
    def days(self) -> list[date]:
        return list(daterange(self.period.start, self.period.end))

    @property
    def size(self) -> int:
        """About how many cells the workbook holds (a big one shows a progress bar)."""
        return len(self.summaries) * (len(self.days) + 20) + len(self.punches)


def month_export(
    session: Session, *, actor: Employee, period: Period, today: date, now: datetime, team: str | None = None
) -> MonthExport:
    """Everything the HR workbook of ``period`` shows, for the people ``actor`` may export."""
    from opsctl.services.config import load_settings

    require_roles(actor, *EXPORTERS, action="export the attendance workbook")
    if period.start > today:
        raise InvalidInput(f"{period.label} has not begun (today is {today}); export a month that has started")
    view = team_view(session, viewer=actor, start=period.start, end=period.end, today=today, team=team, now=now)
    where = f" in team {team}" if team else ""
    if not view.summaries and view.hidden:
        raise NotAllowed(f"{actor.login} may export only the people they manage, and nobody{where} employed in "
                         f"{period.label} is one of them; ask HR or an admin")
    if not view.summaries:
        hint = f"see `opsctl team show {team}`" if team else "see `opsctl people list`"
        raise NotFound(f"nobody{where} was employed in {period.label}; {hint}")
    settings = load_settings(session)
    tz = ZoneInfo(settings["timezone"])
    return MonthExport(
        period=period, today=today, now=now, timezone=tz, team=team, exported_by=f"{actor.name} ({actor.login})",
        summaries=view.summaries, punches=_punch_lines(session, view.summaries, period, tz),
        calendar=_calendar(session, period), schedules=_schedules(session, view.summaries),
        overtime_min=int(settings["overtime_min"]), hidden=view.hidden,
        leave_names=_leave_names(session, {code for s in view.summaries for code in s.leave_by_type}),
        overtime_needs_approval=bool(settings["overtime_needs_approval"]),
    )


def _punch_lines(session: Session, people: list[PersonSummary], period: Period, tz: ZoneInfo) -> list[PunchLine]:
    """One query: every punch of ``people`` in the month, by person (in the summary's order)
    then time."""
    query = sa_select(col(Punch.employee_id), col(Punch.at), col(Punch.work_date), col(Punch.kind),
                      col(Punch.source), col(Punch.note)).where(
        col(Punch.work_date) >= period.start, col(Punch.work_date) <= period.end,
        col(Punch.employee_id).in_([s.employee_id for s in people]))
    found: dict[int, list[Any]] = defaultdict(list)
    for row in session.execute(query):
        found[row[0]].append(row)
    lines = []
    for person in people:
        for _id, at, work_date, kind, source, note in sorted(found.get(person.employee_id, ()), key=itemgetter(1)):
            lines.append(PunchLine(person.login, person.name, work_date, at.astimezone(tz).replace(tzinfo=None),
                                   kind, source, note))
    return lines


def _leave_names(session: Session, codes: set[str]) -> dict[str, str]:
    from opsctl.models.leave import LeaveType

    if not codes:
        return {}
    return dict(session.exec(select(LeaveType.code, LeaveType.name).where(col(LeaveType.code).in_(codes))).all())


def _calendar(session: Session, period: Period) -> list[CalendarEntry]:
    query = select(CalendarDay).where(CalendarDay.day >= period.start, CalendarDay.day <= period.end)
    return [CalendarEntry(e.day, e.kind, e.name) for e in session.exec(query.order_by(col(CalendarDay.day)))]


def _schedules(session: Session, people: list[PersonSummary]) -> list[ScheduleInForce]:
    """The schedules the people followed during the month, with how many followed each."""
    from opsctl.services.attendance.schedules import load_book

    book = load_book(session, [s.employee_id for s in people])
    counts: Counter[ScheduleRule] = Counter()
    for person in people:
        counts.update({book.rule_for(person.employee_id, day.date) for day in person.days})
    return [ScheduleInForce(rule, n) for rule, n in sorted(counts.items(), key=lambda item: (-item[1], item[0].name))]
