"""The work-reports section of `opsctl today`: your reports still owed (last week's and this
week's so far), and, for a manager or team lead, the submitted reports waiting for review.

The light path of `opsctl today` (see CONTRIBUTING, "Demo and today"): it reads the columns it
needs through ``sa.table`` definitions of its own and counts with the pure rules the `report`
commands use (`periods.owed_periods`, `deadlines`, `attendance.workdays_ignoring_leave`). Only when
approved leave touches the fortnight does it ask the full service (`views.owed_reports`)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from opsctl.services.workreports.periods import (
    LOOKAHEAD_DAYS,
    ReportPeriod,
    ReportRules,
    deadlines,
    owed_periods,
    owed_rows,
    week_period,
)

if TYPE_CHECKING:
    from sqlmodel import Session

    from opsctl.models.people import Employee

work_report = sa.table("work_report", sa.column("id", sa.Integer), sa.column("employee_id", sa.Integer),
                       sa.column("kind", sa.String), sa.column("period_start", sa.Date),
                       sa.column("period_end", sa.Date), sa.column("status", sa.String))
employee = sa.table("employee", sa.column("id", sa.Integer), sa.column("login", sa.String),
                    sa.column("manager_id", sa.Integer))
team = sa.table("team", sa.column("lead_id", sa.Integer))
leave_request = sa.table("leave_request", sa.column("employee_id", sa.Integer), sa.column("start", sa.Date),
                         sa.column("end", sa.Date), sa.column("status", sa.String))


def today_facts(session: Session, *, person: Employee, today: date, now: datetime) -> dict[str, Any] | None:
    """None when you owe no report and none waits for your review."""
    from opsctl.services.config import load_settings

    rules = ReportRules.of(load_settings(session))
    owed = _owed(session, rules, person, today=today, now=now)
    waiting = _waiting(session, person)
    return {"owed": owed, "waiting": waiting} if owed or waiting else None


def _owed(session: Session, rules: ReportRules, person: Employee, *, today: date,
          now: datetime) -> list[dict[str, Any]]:
    if not (rules.expects(person, "week") or rules.expects(person, "day")):
        return []
    start, end = week_period(today, rules.week_start).start - timedelta(days=7), today - timedelta(days=1)
    pid = person.id or 0
    stored = {(kind, first): status for kind, first, status in session.execute(
        sa.select(work_report.c.kind, work_report.c.period_start, work_report.c.status)
        .where(work_report.c.employee_id == pid, work_report.c.period_start >= start - timedelta(days=6)))}

    def unwritten(periods: list[ReportPeriod]) -> list[ReportPeriod]:
        return [p for p in periods if stored.get((p.kind, p.start), "draft") == "draft"]

    # as if every day were a workday: at least everything owed; nothing, and we are done
    every_day = {start + timedelta(days=n): False for n in range((end - start).days + 1)}
    if not unwritten(owed_periods(rules, person, every_day, today=today)):
        return []
    horizon = end + timedelta(days=LOOKAHEAD_DAYS)
    if session.execute(sa.select(leave_request.c.employee_id).where(
            leave_request.c.employee_id == pid, leave_request.c.status == "approved",
            leave_request.c.start <= horizon, leave_request.c.end >= start).limit(1)).first():
        from opsctl.services.workreports.views import owed_reports

        return owed_reports(session, rules, [(person, None)], start=start, end=end, today=today, now=now)
    from opsctl.services.attendance import workdays_ignoring_leave

    workdays = {pid: workdays_ignoring_leave(session, person=person, start=start, end=horizon)}
    owed = unwritten(owed_periods(rules, person, {d: v for d, v in workdays[pid].items() if d <= end},
                                  today=today))
    due = deadlines(session, rules, [person], owed, ahead=workdays)
    return owed_rows([(person, period) for period in owed], due, teams={}, now=now,
                     stored={(pid, kind, first) for kind, first in stored})


def _waiting(session: Session, person: Employee) -> list[dict[str, Any]]:
    """Submitted reports of the people you manage (down the chain) or whose team you lead."""
    pid = person.id or 0
    if not session.execute(sa.select(sa.literal(1)).where(sa.or_(
            sa.exists().where(employee.c.manager_id == pid), sa.exists().where(team.c.lead_id == pid)))).first():
        return []
    from opsctl.services.access import OrgChart

    chart = OrgChart.load(session)
    led = {team_id for team_id, lead in chart.leads.items() if lead == pid}
    mine = (chart.reports_of(pid) | chart.members_of(led)) - {pid}
    rows = session.execute(
        sa.select(work_report.c.id, employee.c.login, work_report.c.kind, work_report.c.period_start,
                  work_report.c.period_end)
        .join(employee, employee.c.id == work_report.c.employee_id)
        .where(work_report.c.status == "submitted", work_report.c.employee_id.in_(sorted(mine)))
        .order_by(work_report.c.period_start, employee.c.login)).all() if mine else []
    return [{"id": rid, "login": login, "kind": kind, "period": ReportPeriod(kind, first, last).label}
            for rid, login, kind, first, last in rows]
