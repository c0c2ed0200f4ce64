"""Leave: the types of leave, requests and their approvals, and the ledger behind balances."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Index
from sqlmodel import Field

from opsctl.models.base import Table, UTCDateTime

HALVES = ("am", "pm")
REQUEST_STATUSES = ("pending", "approved", "rejected", "cancelled")
LEDGER_KINDS = ("allocation", "leave", "cancellation")


class LeaveType(Table, table=True):
    """A kind of leave and its rules. ``quota`` None keeps no balance (sick leave is not
    rationed); a number is every person's yearly entitlement, and requests are limited by
    the balance (quota + allocations + carried-over days − leave taken)."""

    __tablename__ = "leave_type"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, max_length=24)
    name: str = Field(max_length=80)
    paid: bool = True
    quota: float | None = None
    min_notice: int = 0  # days between today and the first day of leave
    allow_retro: bool = False  # may start in the past (and with no notice)
    levels: int = 1  # 1: the manager approves; 2: HR approves after the manager
    include_holidays: bool = False  # count calendar days, not workdays
    carry_over: float = 0.0  # at most this many unused days count in the next year
    created_at: datetime = Field(sa_type=UTCDateTime)


class LeaveRequest(Table, table=True):
    """Leave from ``start`` (its morning, or its afternoon when ``start_half`` is pm) to
    ``end`` (its evening, or noon when ``end_half`` is am). ``days`` is what it counts:
    workdays of the person's schedule and the calendar, in halves (calendar days for a type
    that includes holidays)."""

    __tablename__ = "leave_request"
    __table_args__ = (Index("ix_leave_request_employee_start", "employee_id", "start"),)

    id: int | None = Field(default=None, primary_key=True)
    employee_id: int = Field(foreign_key="employee.id")
    type_id: int = Field(foreign_key="leave_type.id")
    start: date
    start_half: str = Field(default="am", max_length=2)
    end: date
    end_half: str = Field(default="pm", max_length=2)
    days: float
    reason: str = Field(max_length=500)
    status: str = Field(default="pending", max_length=10, index=True)
    levels: int = 1  # as the type said when the request was made
    approved_level: int = 0  # 1 once the manager approved, 2 once HR did
    requested_by_id: int = Field(foreign_key="employee.id")
    requested_at: datetime = Field(sa_type=UTCDateTime)
    approved_by_id: int | None = Field(default=None, foreign_key="employee.id")  # level 1
    approved_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    hr_approved_by_id: int | None = Field(default=None, foreign_key="employee.id")  # level 2
    hr_approved_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    comment: str | None = Field(default=None, max_length=500)  # the approvers' comments
    closed_by_id: int | None = Field(default=None, foreign_key="employee.id")  # rejected or cancelled by
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    close_note: str | None = Field(default=None, max_length=500)


class LeaveLedgerEntry(Table, table=True):
    """One movement of a person's balance of a type in a year: an allocation (+ or −, by HR),
    approved leave (−) or the cancellation of approved leave (+). Never edited."""

    __tablename__ = "leave_ledger"
    __table_args__ = (Index("ix_leave_ledger_employee_type_year", "employee_id", "type_id", "year"),)

    id: int | None = Field(default=None, primary_key=True)
    employee_id: int = Field(foreign_key="employee.id")
    type_id: int = Field(foreign_key="leave_type.id")
    year: int
    days: float
    kind: str = Field(max_length=12)
    request_id: int | None = Field(default=None, foreign_key="leave_request.id")
    note: str | None = Field(default=None, max_length=500)
    created_by_id: int | None = Field(default=None, foreign_key="employee.id")
    created_at: datetime = Field(sa_type=UTCDateTime)
