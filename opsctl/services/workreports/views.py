"""Reading work reports: lists, one report, who has not reported, the team's week, and today's
reminders. Others see a report once it is submitted; a draft is its author's alone."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select as sa_select
from sqlmodel import Session, col, or_, select

from opsctl.errors import NotAllowed
from opsctl.models.people import Employee, Team
from opsctl.models.workreports import WorkReport
from opsctl.services.workreports.periods import (
    ReportPeriod,
    ReportRules,
    deadlines,
    owed_periods,
    owed_rows,
)

AREA = "workreports"


def _seen(session: Session, viewer: Employee) -> set[int] | None:
    from opsctl.services.access import seen_by

    return seen_by(session, viewer, AREA)


def report_row(report: WorkReport, login: str, name: str, team: str | None, reviewer: str | None) -> dict[str, Any]:
    return {
        "id": report.id, "login": login, "name": name, "team": team, "kind": report.kind,
        "period": ReportPeriod(report.kind, report.period_start, report.period_end).label,
        "start": report.period_start, "end": report.period_end,
        "status": report.status, "submitted_at": report.submitted_at, "deadline": report.deadline,
        "late": report.late, "reviewed_by": reviewer, "reviewed_at": report.reviewed_at,
    }


def _reports(session: Session, viewer: Employee, *, ids: set[int] | None, team: str | None,
             start: date | None, end: date | None) -> list[tuple[WorkReport, str, str, str | None, str | None]]:
    from sqlalchemy.orm import aliased

    reviewer = aliased(Employee)
    query = (sa_select(WorkReport, col(Employee.login), col(Employee.name), col(Team.name), col(reviewer.login))
             .join(Employee, col(Employee.id) == WorkReport.employee_id)
             .join(Team, col(Team.id) == Employee.team_id, isouter=True)
             .join(reviewer, col(reviewer.id) == WorkReport.reviewed_by_id, isouter=True)
             .where(or_(WorkReport.status != "draft", WorkReport.employee_id == viewer.id)))
    if ids is not None:
        query = query.where(col(WorkReport.employee_id).in_(sorted(ids)))
    if team is not None:
        from opsctl.services.people import get_team

        query = query.where(col(Employee.team_id) == get_team(session, team).id)
    if start is not None and end is not None:
        query = query.where(col(WorkReport.period_start) >= start, col(WorkReport.period_start) <= end)
    query = query.order_by(col(WorkReport.period_start).desc(), col(WorkReport.kind).desc(), Employee.login)
    return [(report, login, name, team_name, reviewed_by)
            for report, login, name, team_name, reviewed_by in session.execute(query)]


def list_reports(session: Session, *, viewer: Employee, person: Employee | None = None, team: str | None = None,
                 week: ReportPeriod | None = None) -> list[dict[str, Any]]:
    """The reports ``viewer`` sees (of ``person``, or of ``team``), newest first; ``week``: the
    week's report and its day reports."""
    from opsctl.services.access import require_see

    seen = _seen(session, viewer)
    if person is not None:
        require_see(session, viewer, person, AREA, what="work reports")
        seen = {person.id or 0}
    rows = _reports(session, viewer, ids=seen, team=team, start=week.start if week else None,
                    end=week.end if week else None)
    return [report_row(*row) for row in rows]


def report_details(session: Session, *, viewer: Employee, report_id: int) -> dict[str, Any]:
    """One report, its sections and the tasks raised from its problems."""
    from opsctl.services.access import require_see
    from opsctl.services.workreports.drafts import problem_items
    from opsctl.services.workreports.writing import get_report, raised_tasks

    report = get_report(session, report_id)
    person = session.get(Employee, report.employee_id)
    assert person is not None
    require_see(session, viewer, person, AREA, what="work reports")
    if report.status == "draft" and viewer.id != person.id:
        raise NotAllowed(f"work report {report_id} is {person.login}'s draft; others see it once it is submitted")
    team = session.get(Team, person.team_id) if person.team_id else None
    reviewer = session.get(Employee, report.reviewed_by_id) if report.reviewed_by_id else None
    row = report_row(report, person.login, person.name, team.name if team else None,
                     reviewer.login if reviewer else None)
    raised = raised_tasks(session, [report_id]).get(report_id, {})
    return {**row, "done": report.done, "planned": report.planned, "problems": report.problems,
            "review_comment": report.review_comment,
            "raised": [{"item": n, "problem": text, "task": raised.get(n)}
                       for n, text in enumerate(problem_items(report.problems), 1)]}


# -- who owes a report -----------------------------------------------------------------------

def _expected_people(session: Session, rules: ReportRules, *, seen: set[int] | None, team: str | None,
                     start: date, end: date) -> list[tuple[Employee, str | None]]:
    query = (select(Employee, Team.name).join(Team, col(Team.id) == Employee.team_id, isouter=True)
             .where(col(Employee.role).in_(rules.roles))
             .where(or_(col(Employee.hired).is_(None), col(Employee.hired) <= end))
             .where(or_(col(Employee.left).is_(None), col(Employee.left) >= start))
             .order_by(col(Team.name).nulls_first(), Employee.login))
    if seen is not None:
        query = query.where(col(Employee.id).in_(sorted(seen)))
    if team is not None:
        from opsctl.services.people import get_team

        query = query.where(Employee.team_id == get_team(session, team).id)
    return [(person, team_name) for person, team_name in session.exec(query)]


def owed_reports(session: Session, rules: ReportRules, people: Sequence[tuple[Employee, str | None]], *,
                 start: date, end: date, today: date, now: datetime) -> list[dict[str, Any]]:
    """The reports of ``start``..``end`` that ``people`` owe (`owed_periods`) and have not
    submitted, with the deadline, whether it passed, and whether a draft is saved."""
    from opsctl.services.attendance import workdays_of

    persons = [person for person, _ in people]
    if not rules.expected_kinds() or not persons or start >= today:
        return []
    workdays = workdays_of(session, people=persons, start=start, end=end)
    stored = {(employee_id, kind, first): status for employee_id, kind, first, status in session.execute(
        sa_select(col(WorkReport.employee_id), col(WorkReport.kind), col(WorkReport.period_start),
                  col(WorkReport.status))
        .where(col(WorkReport.period_start) >= start - timedelta(days=6), col(WorkReport.period_start) <= end)
        .where(col(WorkReport.employee_id).in_([p.id for p in persons])))}
    teams = {person.id: team_name for person, team_name in people}
    owed = [(person, period) for person in persons
            for period in owed_periods(rules, person, workdays.get(person.id or 0, {}), today=today)
            if stored.get((person.id or 0, period.kind, period.start), "draft") == "draft"]
    return owed_rows(owed, deadlines(session, rules, [p for p, _ in owed], sorted({period for _, period in owed})),
                     teams=teams, stored=set(stored), now=now)


def missing_reports(session: Session, *, viewer: Employee, now: datetime, today: date, week: ReportPeriod,
                    team: str | None = None) -> list[dict[str, Any]]:
    """Who of the people ``viewer`` sees has not submitted the reports of ``week`` (only people
    expected to report; workdays, holidays and leave respected)."""
    rules = ReportRules.load(session)
    if not rules.expected_kinds():
        return []
    people = _expected_people(session, rules, seen=_seen(session, viewer), team=team, start=week.start,
                              end=week.end)
    return owed_reports(session, rules, people, start=week.start, end=week.end, today=today, now=now)


def week_export(session: Session, *, viewer: Employee, now: datetime, today: date, week: ReportPeriod,
                team: str | None = None) -> dict[str, Any]:
    """The team's week in one document: every submitted report of the week with its sections,
    and who has not reported."""
    from opsctl.services.workreports.writing import raised_tasks

    seen = _seen(session, viewer)
    rows = _reports(session, viewer, ids=seen, team=team, start=week.start, end=week.end)
    ids = [report.id or 0 for report, *_ in rows]
    raised = raised_tasks(session, ids)
    reports = [{**report_row(*row), "done": row[0].done, "planned": row[0].planned, "problems": row[0].problems,
                "review_comment": row[0].review_comment, "raised": raised.get(row[0].id or 0, {})}
               for row in sorted(rows, key=lambda r: (r[3] or "", r[1], r[0].kind == "day", r[0].period_start))
               if row[0].status != "draft"]
    return {"week": week.label, "start": week.start, "end": week.end, "team": team, "as_of": now,
            "tz": ReportRules.load(session).tz,
            "reports": reports,
            "missing": missing_reports(session, viewer=viewer, now=now, today=today, week=week, team=team)}
