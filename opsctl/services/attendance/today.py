"""The attendance section of `opsctl today`: clocked in since when, or the last punch, or not yet.

The light path of `opsctl today` (see CONTRIBUTING, "Demo and today"): it reads the few columns it
needs through ``sa.table`` definitions of its own and the pure rules of
:mod:`opsctl.services.attendance.shifts`, so it loads neither the area's models nor its
other services.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from opsctl.models.base import UTCDateTime
from opsctl.services.attendance.shifts import book_of, day_kind, effective_kinds, when

if TYPE_CHECKING:
    from sqlmodel import Session

    from opsctl.models.people import Employee

schedule = sa.table(
    "schedule", sa.column("id", sa.Integer), sa.column("name", sa.String), sa.column("start", sa.Time),
    sa.column("end", sa.Time), sa.column("break_start", sa.Time), sa.column("break_end", sa.Time),
    sa.column("late_grace", sa.Integer), sa.column("early_grace", sa.Integer), sa.column("days", sa.String),
    sa.column("is_default", sa.Boolean),
)
assignment = sa.table("schedule_assignment", sa.column("employee_id", sa.Integer), sa.column("since", sa.Date),
                      sa.column("schedule_id", sa.Integer))
calendar_day = sa.table("calendar_day", sa.column("day", sa.Date), sa.column("kind", sa.String))
punch = sa.table("punch", sa.column("employee_id", sa.Integer), sa.column("at", UTCDateTime),
                 sa.column("work_date", sa.Date), sa.column("kind", sa.String))


def today_facts(session: Session, *, person: Employee, today: date, now: datetime) -> dict[str, Any]:
    """Where ``person`` stands now (as `attend status` says it): the current work date (the
    start date of an overnight shift), its kind and schedule, and its punches."""
    from opsctl.services.config import team_timezone

    tz = team_timezone(session)
    book = book_of(
        session.execute(sa.select(schedule)).all(),
        session.execute(sa.select(assignment.c.employee_id, assignment.c.since, assignment.c.schedule_id)
                        .where(assignment.c.employee_id == person.id).order_by(assignment.c.since)).all(),
    )
    employee_id = person.id or 0
    work_date = book.work_date(employee_id, now.astimezone(tz))
    rule = book.rule_for(employee_id, work_date)
    punches = session.execute(sa.select(punch.c.at, punch.c.kind).where(
        punch.c.employee_id == employee_id, punch.c.work_date == work_date).order_by(punch.c.at)).all()
    calendar = dict(session.execute(sa.select(calendar_day.c.day, calendar_day.c.kind)
                                    .where(calendar_day.c.day == work_date)).all())
    kind = day_kind(work_date, rule, calendar)
    kinds = effective_kinds(punches)
    open_punch = punches[-1] if kinds and kinds[-1] == "in" else None
    if open_punch is not None:
        line, state = f"clocked in {when(open_punch.at, tz, now)}", "in"
    elif punches:
        line, state = f"clocked out {when(punches[-1].at, tz, now)}", "out"
    else:
        line, state = "not clocked in yet" + ("" if kind == "workday" else f" (a {kind} day)"), "not in yet"
    return {
        "login": person.login, "work_date": work_date, "state": state, "status": line,
        "since": open_punch.at if open_punch else None, "last_punch": punches[-1].at if punches else None,
        "day_kind": kind, "schedule": f"{rule.name}, {rule.hours_text()}",
    }
