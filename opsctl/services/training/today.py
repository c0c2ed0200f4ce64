"""The training section of `opsctl today`: sessions and retakes in the next 7 days, certificates
expiring within 30 days.

The light path of `opsctl today` (see CONTRIBUTING, "Demo and today"): one query on ``sa.table``
definitions of its own asks whether anything may be shown; only then are the area's models and
services loaded to list it (:func:`opsctl.services.training.plan.today_facts`).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

if TYPE_CHECKING:
    from sqlmodel import Session

    from opsctl.models.people import Employee

session_t = sa.table("training_session", sa.column("id", sa.Integer), sa.column("day", sa.Date))
enrollment = sa.table("training_enrollment", sa.column("session_id", sa.Integer), sa.column("employee_id", sa.Integer))
result = sa.table("training_result", sa.column("employee_id", sa.Integer), sa.column("score", sa.Float),
                  sa.column("day", sa.Date))
certificate = sa.table("training_certificate", sa.column("employee_id", sa.Integer), sa.column("expires", sa.Date))


def today_facts(session: Session, *, person: Employee, today: date, now: datetime) -> list[dict[str, Any]] | None:
    soon = today + timedelta(days=7)
    candidates = sa.union_all(  # more than is shown (a renewed certificate is not), never less
        sa.select(enrollment.c.employee_id).join(session_t, enrollment.c.session_id == session_t.c.id)
        .where(enrollment.c.employee_id == person.id, session_t.c.day >= today, session_t.c.day <= soon),
        sa.select(result.c.employee_id).where(result.c.employee_id == person.id, result.c.score.is_(None),
                                              result.c.day >= today, result.c.day <= soon),
        sa.select(certificate.c.employee_id).where(certificate.c.employee_id == person.id,
                                                   certificate.c.expires <= today + timedelta(days=30)),
    )
    if session.execute(sa.select(sa.exists(candidates))).scalar() is not True:
        return None
    from opsctl.services.training.plan import today_facts as listed

    return listed(session, person=person, today=today, now=now)
