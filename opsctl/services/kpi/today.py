"""The KPI sections of `opsctl today`: the person's latest result (so far, while its cycle is open);
appraisal talks and improvement plans to confirm, hold or follow up (`followup_facts`).

The light path of `opsctl today` (see CONTRIBUTING, "Demo and today"): one query on ``sa.table``
definitions of its own asks whether any cycle may judge the person (one that counted them when it
closed, or an open one of their team or of everybody); only then are the area's models and
services loaded to compute the result (:func:`opsctl.services.kpi.views.today_facts`).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from opsctl.models.base import UTCDateTime

if TYPE_CHECKING:
    from sqlmodel import Session

    from opsctl.models.people import Employee

member = sa.table("kpi_member", sa.column("employee_id", sa.Integer))
cycle = sa.table("kpi_cycle", sa.column("id", sa.Integer), sa.column("team_id", sa.Integer),
                 sa.column("status", sa.String), sa.column("start", sa.Date))
score = sa.table("kpi_score", sa.column("cycle_id", sa.Integer), sa.column("employee_id", sa.Integer))


def today_facts(session: Session, *, person: Employee, today: date, now: datetime) -> dict[str, Any] | None:
    team_fits: sa.ColumnElement[bool] = sa.false()  # a cycle of everybody judges those in a team
    if person.team_id is not None:
        team_fits = cycle.c.team_id.is_(None) | (cycle.c.team_id == person.team_id)
    scored = sa.select(score.c.cycle_id).where(score.c.employee_id == person.id)
    candidates = sa.union_all(  # more than is shown (employment is not asked), never less
        sa.select(member.c.employee_id).where(member.c.employee_id == person.id),
        sa.select(cycle.c.id).where(cycle.c.status == "open", cycle.c.start <= today,
                                    team_fits | cycle.c.id.in_(scored)),
    )
    if session.execute(sa.select(sa.exists(candidates))).scalar() is not True:
        return None
    from opsctl.services.kpi.views import today_facts as computed

    return computed(session, person=person, today=today, now=now)


# -- appraisal talks and improvement plans ---------------------------------------------------

talk = sa.table("kpi_talk", sa.column("employee_id", sa.Integer), sa.column("cycle", sa.String),
                sa.column("held_on", sa.Date), sa.column("confirmed_at", UTCDateTime),
                sa.column("disagreement", sa.String))
plan = sa.table("kpi_plan", sa.column("id", sa.Integer), sa.column("employee_id", sa.Integer),
                sa.column("cycle", sa.String), sa.column("due", sa.Date), sa.column("status", sa.String),
                sa.column("flagged", sa.Boolean))
closed = sa.table("kpi_cycle", sa.column("id", sa.Integer), sa.column("name", sa.String),
                  sa.column("status", sa.String), sa.column("closed_at", UTCDateTime))
judged = sa.table("kpi_member", sa.column("cycle_id", sa.Integer), sa.column("employee_id", sa.Integer))
people = sa.table("employee", sa.column("id", sa.Integer), sa.column("login", sa.String),
                  sa.column("active", sa.Boolean))
DECIDERS = ("hr", "admin")  # services.access.ADMIN_ROLES: they see and decide about everybody's
PLAN_AHEAD = timedelta(days=7)  # a plan due within a week shows
TALKS_AFTER_CLOSING = timedelta(days=30)  # talks of cycles closed in the last 30 days are due


def _reports(session: Session, person: Employee) -> set[int] | None:
    """Whose talks and plans ``person`` decides about: None for HR and admins (everybody's), else
    everyone below them in the manager chain."""
    from opsctl.services.access import OrgChart  # the people's models only, loaded already

    return None if person.role in DECIDERS else OrgChart.load(session).reports_of(person.id)


def followup_facts(session: Session, *, person: Employee, today: date, now: datetime) -> list[dict[str, Any]] | None:
    """The person's talk to confirm and plan due; for their manager chain, HR and admins: talks
    still due after a cycle closed, plans due within a week or overdue, and (HR, admins) the
    disagreements and plans flagged to HR. A few queries on small tables; None when nothing."""
    rows: list[dict[str, Any]] = []
    for cycle_name, held_on in session.execute(sa.select(talk.c.cycle, talk.c.held_on).where(
            talk.c.employee_id == person.id, talk.c.confirmed_at.is_(None))):
        rows.append({"what": "talk to confirm", "detail": f"your appraisal talk about {cycle_name} ({held_on})",
                     "command": f"opsctl kpi review confirm --cycle {cycle_name}"})
    for plan_id, cycle_name, due in session.execute(sa.select(plan.c.id, plan.c.cycle, plan.c.due).where(
            plan.c.employee_id == person.id, plan.c.status == "open", plan.c.due <= today + PLAN_AHEAD)):
        rows.append({"what": "your plan", "detail": f"improvement plan #{plan_id} ({cycle_name}) due {due}",
                     "command": f"opsctl kpi plan show {plan_id}"})
    reports = _reports(session, person)
    if reports is None or reports:
        rows += _decider_rows(session, reports, today=today, now=now)
    return rows or None


def _decider_rows(session: Session, reports: set[int] | None, *, today: date, now: datetime) -> list[dict[str, Any]]:
    def mine(column: sa.ColumnElement[int]) -> sa.ColumnElement[bool]:
        return sa.true() if reports is None else column.in_(reports)

    rows: list[dict[str, Any]] = []
    held = sa.select(talk.c.employee_id).where(talk.c.cycle == closed.c.name,
                                               talk.c.employee_id == judged.c.employee_id)
    due_talks = session.execute(
        sa.select(closed.c.name, sa.func.count()).select_from(judged.join(closed, judged.c.cycle_id == closed.c.id))
        .join(people, people.c.id == judged.c.employee_id)
        .where(closed.c.status == "closed", closed.c.closed_at >= now - TALKS_AFTER_CLOSING, people.c.active,
               mine(judged.c.employee_id), ~sa.exists(held))
        .group_by(closed.c.name).order_by(closed.c.name)).all()
    for cycle_name, count in due_talks:
        rows.append({"what": "talks due", "detail": f"{count} judged in {cycle_name} without an appraisal talk",
                     "command": f"opsctl kpi review missing --cycle {cycle_name}"})
    for plan_id, login, due in session.execute(
        sa.select(plan.c.id, people.c.login, plan.c.due).join(people, people.c.id == plan.c.employee_id)
        .where(plan.c.status == "open", plan.c.due <= today + PLAN_AHEAD, mine(plan.c.employee_id))
        .order_by(plan.c.due)):
        rows.append({"what": "plan overdue" if due < today else "plan due",
                     "detail": f"{login}'s improvement plan #{plan_id} due {due}",
                     "command": f"opsctl kpi plan show {plan_id}"})
    if reports is None:  # HR and admins: what goes to HR
        disagreed = session.execute(sa.select(sa.func.count()).select_from(talk).where(
            talk.c.disagreement.is_not(None), talk.c.confirmed_at >= now - TALKS_AFTER_CLOSING)).scalar() or 0
        if disagreed:
            rows.append({"what": "disagreements", "detail": f"{disagreed} appraisal talk(s) disagreed with lately",
                         "command": "opsctl kpi review list --disagreed"})
        flagged = session.execute(sa.select(sa.func.count()).select_from(plan).where(
            plan.c.status == "open", plan.c.flagged)).scalar() or 0
        if flagged:
            rows.append({"what": "flagged to HR", "detail": f"{flagged} open plan(s) after repeated weak grades",
                         "command": "opsctl kpi plan list --flagged"})
    return rows
