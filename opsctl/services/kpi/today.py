"""The KPI section of `opsctl today`: the person's latest result (so far, while its cycle is open).

The light path of `opsctl today` (see CONTRIBUTING, "Demo and today"): one query on ``sa.table``
definitions of its own asks whether any cycle may judge the person (one that counted them when it
closed, or an open one of their team or of everybody); only then are the area's models and
services loaded to compute the result (:func:`opsctl.services.kpi.views.today_facts`).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

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
