"""Attendance: work schedules and who follows which, the holiday calendar, punches and
correction requests."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field

from opsctl.models.base import Table, UTCDateTime

DAY_KINDS = ("holiday", "off", "workday")  # what a calendar entry may say about a date
PUNCH_KINDS = ("in", "out")
PUNCH_SOURCES = ("clock", "import", "zkteco", "correction")
CORRECTION_STATUSES = ("pending", "approved", "rejected")
OVERTIME_STATUSES = ("pending", "approved", "rejected", "cancelled")


class Schedule(Table, table=True):
    """A working pattern. ``end`` before ``start`` is an overnight shift.

    People without an assignment follow the schedule flagged ``is_default``.
    """

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, max_length=80)
    start: time
    end: time
    break_start: time | None = None
    break_end: time | None = None
    late_grace: int = 0  # minutes
    early_grace: int = 0  # minutes
    days: str = Field(default="01234", max_length=40)  # the workdays' numbers, 0 = Monday
    is_default: bool = False
    created_at: datetime = Field(sa_type=UTCDateTime)


class ScheduleAssignment(Table, table=True):
    """From ``since`` on (until a later assignment), the employee follows ``schedule_id``."""

    __tablename__ = "schedule_assignment"
    __table_args__ = (UniqueConstraint("employee_id", "since", name="uq_schedule_assignment_employee_since"),)

    id: int | None = Field(default=None, primary_key=True)
    employee_id: int = Field(foreign_key="employee.id")
    schedule_id: int = Field(foreign_key="schedule.id")
    since: date
    created_at: datetime = Field(sa_type=UTCDateTime)


class CalendarDay(Table, table=True):
    """A date the calendar decides: a public holiday, an adjusted day off, a make-up workday."""

    __tablename__ = "calendar_day"

    day: date = Field(primary_key=True)
    kind: str = Field(max_length=8)
    name: str = Field(max_length=120)


class CorrectionRequest(Table, table=True):
    """`attend fix`: a request to add the punches a person forgot; approval adds them."""

    __tablename__ = "attendance_correction"
    __table_args__ = (Index("ix_attendance_correction_employee_date", "employee_id", "work_date"),)

    id: int | None = Field(default=None, primary_key=True)
    employee_id: int = Field(foreign_key="employee.id")
    work_date: date
    in_time: time | None = None
    out_time: time | None = None
    reason: str
    status: str = Field(default="pending", max_length=10)
    limit_override: bool = False  # HR allowed it past the monthly correction limit
    requested_by_id: int = Field(foreign_key="employee.id")
    requested_at: datetime = Field(sa_type=UTCDateTime)
    decided_by_id: int | None = Field(default=None, foreign_key="employee.id")
    decided_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    decision_note: str | None = None


class OvertimeRequest(Table, table=True):
    """`attend overtime request`: overtime on ``work_date`` from ``start`` to ``end`` (clock times
    on that date's shift; an ``end`` in the small hours is the next morning), asked for before or
    after the fact (``late``). Once approved, the part of it actually worked is approved overtime;
    ``comp_days`` is the compensatory leave it credited in the leave ledger (0: none)."""

    __tablename__ = "attendance_overtime"
    __table_args__ = (
        Index("ix_attendance_overtime_employee_date", "employee_id", "work_date"),
        Index("ix_attendance_overtime_work_date", "work_date"),
    )

    id: int | None = Field(default=None, primary_key=True)
    employee_id: int = Field(foreign_key="employee.id")
    work_date: date
    start: time
    end: time
    reason: str
    status: str = Field(default="pending", max_length=10)
    late: bool = False  # asked for after the overtime began
    comp_days: float = 0.0
    requested_by_id: int = Field(foreign_key="employee.id")
    requested_at: datetime = Field(sa_type=UTCDateTime)
    decided_by_id: int | None = Field(default=None, foreign_key="employee.id")
    decided_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    decision_note: str | None = None


class Punch(Table, table=True):
    """One clock event. The instant is UTC; ``work_date`` is the team-timezone date of the
    shift it belongs to (for an overnight shift, the date it started), set at write time and
    derived again when a schedule change reaches into the past. The instant is never edited:
    corrections add punches of their own."""

    __table_args__ = (
        UniqueConstraint("employee_id", "at", name="uq_punch_employee_at"),
        Index("ix_punch_work_date", "work_date"),
        Index("ix_punch_employee_work_date", "employee_id", "work_date"),
    )

    id: int | None = Field(default=None, primary_key=True)
    employee_id: int = Field(foreign_key="employee.id")
    at: datetime = Field(sa_type=UTCDateTime)
    work_date: date
    kind: str | None = Field(default=None, max_length=8)  # in/out as the source gave it
    source: str = Field(default="clock", max_length=16)
    note: str | None = Field(default=None, max_length=200)
    correction_id: int | None = Field(default=None, foreign_key="attendance_correction.id")
