"""Meetings: a one-off meeting or a recurring series, its occurrences and what they produce.

A meeting row holds the schedule (first start, duration, an RFC 5545 recurrence rule
or none). Occurrences are computed from it; an occurrence gets a row of its own only
when something is attached to it (it was cancelled or moved, or has minutes,
attendance, decisions or actions), keyed by its sequence number in the series.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field

from opsctl.models import projects as _projects  # noqa: F401 - the tables our foreign keys point at
from opsctl.models.base import Table, UTCDateTime

ATTENDANCE = ("present", "absent", "excused")
OCCURRENCE_STATUSES = ("scheduled", "cancelled")


class Meeting(Table, table=True):
    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=200)
    organizer_id: int = Field(foreign_key="employee.id", index=True)
    project_id: int | None = Field(default=None, foreign_key="project.id", index=True)
    starts_at: datetime = Field(sa_type=UTCDateTime, index=True)  # the first occurrence
    duration_min: int = 60
    location: str | None = Field(default=None, max_length=200)
    # The IANA zone the rule repeats in (a weekly 10:00 stays 10:00 across DST changes).
    timezone: str = Field(max_length=64)
    rule: str | None = Field(default=None, max_length=500)  # RRULE value, UNTIL in UTC
    # Start of the last occurrence the rule allows; None while the series is open-ended.
    last_start: datetime | None = Field(default=None, sa_type=UTCDateTime)
    agenda: str = "[]"  # JSON list of agenda items
    revision: int = 0  # the iCalendar SEQUENCE: bumped by every change of the schedule
    created_at: datetime = Field(sa_type=UTCDateTime)


class MeetingParticipant(Table, table=True):
    """Who is invited to a meeting (every occurrence of a series)."""

    __tablename__ = "meeting_participant"
    __table_args__ = (UniqueConstraint("meeting_id", "employee_id", name="uq_meeting_participant"),)

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id")
    employee_id: int = Field(foreign_key="employee.id", index=True)


class MeetingOccurrence(Table, table=True):
    """One occurrence that has something attached to it."""

    __tablename__ = "meeting_occurrence"
    __table_args__ = (UniqueConstraint("meeting_id", "seq", name="uq_meeting_occurrence"),)

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id")
    seq: int  # 1 for the first occurrence of the rule
    original_start: datetime = Field(sa_type=UTCDateTime)  # as the rule has it (iCalendar RECURRENCE-ID)
    starts_at: datetime = Field(sa_type=UTCDateTime, index=True)  # when it really is (moved or not)
    status: str = Field(default="scheduled", max_length=16)
    cancel_reason: str | None = Field(default=None, max_length=200)
    minutes: str | None = None  # Markdown
    minutes_by_id: int | None = Field(default=None, foreign_key="employee.id")
    minutes_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class MeetingAttendance(Table, table=True):
    __tablename__ = "meeting_attendance"
    __table_args__ = (UniqueConstraint("occurrence_id", "employee_id", name="uq_meeting_attendance"),)

    id: int | None = Field(default=None, primary_key=True)
    occurrence_id: int = Field(foreign_key="meeting_occurrence.id")
    employee_id: int = Field(foreign_key="employee.id", index=True)
    status: str = Field(max_length=16)
    recorded_at: datetime = Field(sa_type=UTCDateTime)
    recorded_by_id: int = Field(foreign_key="employee.id")


class MeetingDecision(Table, table=True):
    __tablename__ = "meeting_decision"

    id: int | None = Field(default=None, primary_key=True)
    occurrence_id: int = Field(foreign_key="meeting_occurrence.id", index=True)
    text: str
    created_at: datetime = Field(sa_type=UTCDateTime)
    created_by_id: int = Field(foreign_key="employee.id")


class MeetingAction(Table, table=True):
    """An action item: a task (in `task list`) that came out of one occurrence."""

    __tablename__ = "meeting_action"

    id: int | None = Field(default=None, primary_key=True)
    occurrence_id: int = Field(foreign_key="meeting_occurrence.id", index=True)
    task_id: int = Field(foreign_key="task.id", unique=True)
    created_at: datetime = Field(sa_type=UTCDateTime)
    created_by_id: int = Field(foreign_key="employee.id")
