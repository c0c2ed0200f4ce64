"""The meetings section of `opsctl today`: the meetings of the day the person is invited to.

The light path of `opsctl today` (see CONTRIBUTING, "Demo and today"): one query on ``sa.table``
definitions of its own asks whether any meeting of the person may fall on the day (a series
running then, or an occurrence moved into it); only then are the area's models and services
loaded to work out its occurrences (:func:`opsctl.services.meetings.views.today_facts`).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from opsctl.models.base import UTCDateTime

if TYPE_CHECKING:
    from sqlmodel import Session

    from opsctl.models.people import Employee

meeting = sa.table("meeting", sa.column("id", sa.Integer), sa.column("starts_at", UTCDateTime),
                   sa.column("last_start", UTCDateTime))
participant = sa.table("meeting_participant", sa.column("meeting_id", sa.Integer),
                       sa.column("employee_id", sa.Integer))
occurrence = sa.table("meeting_occurrence", sa.column("meeting_id", sa.Integer), sa.column("starts_at", UTCDateTime))


def today_facts(session: Session, *, person: Employee, today: date, now: datetime) -> list[dict[str, Any]]:
    # The day in any timezone lies within these bounds: more meetings than the day's, never fewer.
    low = datetime.combine(today - timedelta(days=1), time(0), UTC)
    high = datetime.combine(today + timedelta(days=2), time(0), UTC)
    moved_in = sa.select(occurrence.c.meeting_id).where(occurrence.c.starts_at >= low, occurrence.c.starts_at < high)
    mine = sa.select(participant.c.meeting_id).where(participant.c.employee_id == person.id)
    candidates = sa.select(meeting.c.id).where(
        meeting.c.id.in_(mine),
        ((meeting.c.starts_at < high) & (meeting.c.last_start.is_(None) | (meeting.c.last_start >= low)))
        | meeting.c.id.in_(moved_in),
    )
    if session.execute(sa.select(sa.exists(candidates))).scalar() is not True:
        return []
    from opsctl.services.meetings.views import today_facts as listed

    return listed(session, person=person, today=today, now=now)
