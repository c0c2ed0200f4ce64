"""The tasks section of `opsctl today`: the person's open tasks due today or overdue, and those
in progress.

The light path of `opsctl today` (see CONTRIBUTING, "Demo and today"): one query on a
``sa.table`` of its own asks whether there is any such task; only then are the area's models
and services loaded to list them (:func:`opsctl.services.tasks.core.today_facts`).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

if TYPE_CHECKING:
    from sqlmodel import Session

    from opsctl.models.people import Employee

OPEN_STATUSES = ("todo", "in_progress", "blocked")  # models.projects.OPEN_TASK_STATUSES (a test holds them equal)

task = sa.table("task", sa.column("assignee_id", sa.Integer), sa.column("status", sa.String),
                sa.column("due", sa.Date))


def today_facts(session: Session, *, person: Employee, today: date, now: datetime) -> list[dict[str, Any]]:
    shown = sa.select(task.c.status).where(
        task.c.assignee_id == person.id, task.c.status.in_(OPEN_STATUSES),
        (task.c.status == "in_progress") | (task.c.due <= today))
    if session.execute(shown.limit(1)).first() is None:
        return []
    from opsctl.services.tasks.core import today_facts as listed

    return listed(session, person=person, today=today, now=now)
