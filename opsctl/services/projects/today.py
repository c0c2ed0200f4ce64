"""The projects section of `opsctl today`: the risks the person owns that are high or due for
review, and the milestones they own that are overdue, in projects still running.

The light path of `opsctl today` (see CONTRIBUTING, "Demo and today"): one query on ``sa.table``s
of its own asks whether there is any; only then are the area's models and services loaded to list
them (:func:`opsctl.services.projects.tracking.today_facts`).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

if TYPE_CHECKING:
    from sqlmodel import Session

    from opsctl.models.people import Employee

HIGH_LEVEL = 15  # services.projects.risks.HIGH_LEVEL (a test holds them equal)
CLOSED = ("accepted", "cancelled", "archived")  # a milestone of these is history; a risk of the last two

project = sa.table("project", sa.column("id", sa.Integer), sa.column("status", sa.String))
risk = sa.table("project_risk", sa.column("project_id", sa.Integer), sa.column("owner_id", sa.Integer),
                sa.column("status", sa.String), sa.column("likelihood", sa.Integer), sa.column("impact", sa.Integer),
                sa.column("review_on", sa.Date))
milestone = sa.table("project_milestone", sa.column("project_id", sa.Integer), sa.column("owner_id", sa.Integer),
                     sa.column("due", sa.Date), sa.column("done_on", sa.Date))


def today_facts(session: Session, *, person: Employee, today: date, now: datetime) -> dict[str, Any] | None:
    risks = sa.select(risk.c.owner_id).join(project, risk.c.project_id == project.c.id).where(
        risk.c.owner_id == person.id, risk.c.status == "open", project.c.status.not_in(CLOSED[1:]),
        (risk.c.likelihood * risk.c.impact >= HIGH_LEVEL) | (risk.c.review_on < today))
    late = sa.select(milestone.c.owner_id).join(project, milestone.c.project_id == project.c.id).where(
        milestone.c.owner_id == person.id, milestone.c.done_on.is_(None), milestone.c.due < today,
        project.c.status.not_in(CLOSED))
    if session.execute(risks.limit(1)).first() is None and session.execute(late.limit(1)).first() is None:
        return None
    from opsctl.services.projects.tracking import today_facts as listed

    return listed(session, person=person, today=today, now=now)
