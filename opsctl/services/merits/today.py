"""The rewards-and-penalties section of `opsctl today`: the entries waiting for the person's
approval (their reports', or everybody's for HR and admins; never their own, nor those they
proposed or approved already).

The light path of `opsctl today` (see CONTRIBUTING, "Demo and today"): Core queries on ``sa.table``
definitions of its own; the merits models and services are not loaded.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

if TYPE_CHECKING:
    from sqlmodel import Session

    from opsctl.models.people import Employee

merit = sa.table("merit", sa.column("id", sa.Integer), sa.column("employee_id", sa.Integer),
                 sa.column("kind", sa.String), sa.column("category", sa.String), sa.column("points", sa.Integer),
                 sa.column("status", sa.String), sa.column("created_by_id", sa.Integer),
                 sa.column("approved_by_id", sa.Integer))
people = sa.table("employee", sa.column("id", sa.Integer), sa.column("login", sa.String))
SHOWN = 10


def today_facts(session: Session, *, person: Employee, today: date, now: datetime) -> list[dict[str, Any]] | None:
    from opsctl.services.access import ADMIN_ROLES, OrgChart  # the people's models only, loaded already

    query = (sa.select(merit.c.id, people.c.login, merit.c.kind, merit.c.category, merit.c.points,
                       merit.c.approved_by_id)
             .join(people, people.c.id == merit.c.employee_id)
             .where(merit.c.status == "pending", merit.c.employee_id != person.id,
                    merit.c.created_by_id != person.id,
                    merit.c.approved_by_id.is_(None) | (merit.c.approved_by_id != person.id))
             .order_by(merit.c.id))
    chart = None
    if person.role not in ADMIN_ROLES:
        chart = OrgChart.load(session)
        reports = chart.reports_of(person.id)
        if not reports:
            return None
        query = query.where(merit.c.employee_id.in_(reports))
    rows = []
    for merit_id, login, kind, category, points, first in session.execute(query):
        if first is not None and chart is not None and not chart.manages(person.id, first):
            continue  # a second level is for HR, an admin or a manager above the first approver
        level = "" if first is None else " (second approval)"
        rows.append({"what": "to approve", "detail": f"{login}: {kind} {category}, {points} points{level}",
                     "command": f"opsctl merit approve {merit_id}"})
    if len(rows) > SHOWN:
        rows = [*rows[:SHOWN], {"what": "…", "detail": f"{len(rows) - SHOWN} more", "command": "opsctl merit list "
                                "--status pending"}]
    return rows or None
