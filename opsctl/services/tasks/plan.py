"""The weekly plan (`task week`): what is due on each day of a week, per person."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from opsctl.dates import daterange, week_bounds
from opsctl.models.people import Employee
from opsctl.models.projects import OPEN_TASK_STATUSES, Task
from opsctl.services.access import require_employee
from opsctl.services.tasks.core import make_row, rows_query, urgency, week_start_day


@dataclass
class WeekPlan:
    start: date
    end: date
    today: date
    people: list[tuple[str | None, str]]  # (login, name) in the order shown; None = unassigned
    tasks: list[dict[str, Any]]  # due in the week, or (for the current week) open and overdue before it

    @property
    def days(self) -> list[date]:
        return list(daterange(self.start, self.end))

    @property
    def carries_overdue(self) -> bool:
        return self.start <= self.today <= self.end


def week_plan(
    session: Session,
    *,
    viewer: Employee,
    today: date,
    week_of: date | None = None,
    person: Employee | None = None,
    team: str | None = None,
) -> WeekPlan:
    """The week containing ``week_of`` (default: this week), starting on the team's week start
    (any employee may see anyone's)."""
    require_employee(session, viewer)
    start, end = week_bounds(week_of or today, week_start_day(session))
    plan = WeekPlan(start=start, end=end, today=today, people=[], tasks=[])
    in_week = (col(Task.due) >= start) & (col(Task.due) <= end) & (col(Task.status) != "cancelled")
    if plan.carries_overdue:
        in_week |= (col(Task.due) < start) & col(Task.status).in_(OPEN_TASK_STATUSES)
    query = rows_query().where(in_week)
    if person is not None:
        query = query.where(Task.assignee_id == person.id)
        plan.people = [(person.login, person.name)]
    elif team is not None:
        from opsctl.services.people import get_team

        members = session.exec(
            select(Employee.id, Employee.login, Employee.name)
            .where(Employee.team_id == get_team(session, team).id, col(Employee.active).is_(True))
            .order_by(Employee.login)
        ).all()
        query = query.where(col(Task.assignee_id).in_([m[0] for m in members]))
        plan.people = [(login, name) for _id, login, name in members]
    found = sorted(session.exec(query).all(), key=lambda r: (r[0].due, urgency(r[0], today)))
    plan.tasks = [make_row(r, today) for r in found]
    if person is None and team is None:
        seen = {(row["login"], row["assignee_name"] or "(unassigned)") for row in plan.tasks}
        plan.people = sorted(seen, key=lambda p: (p[0] is None, p[0] or ""))
    return plan
