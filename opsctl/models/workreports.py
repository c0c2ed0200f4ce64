"""Work reports (日报/周报): a person's day or week — done, planned next, problems — submitted by
a deadline, reviewed by their manager or team lead; a problem raised in one becomes a task."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field

from opsctl.models.base import Table, UTCDateTime

REPORT_KINDS = ("day", "week")
REPORT_STATUSES = ("draft", "submitted", "reviewed")


class WorkReport(Table, table=True):
    """One person's report of one day or one week (its first and last date)."""

    __tablename__ = "work_report"
    __table_args__ = (
        UniqueConstraint("employee_id", "kind", "period_start", name="uq_work_report_period"),
        Index("ix_work_report_period_start", "period_start"),
    )

    id: int | None = Field(default=None, primary_key=True)
    employee_id: int = Field(foreign_key="employee.id")
    kind: str = Field(max_length=8)
    period_start: date
    period_end: date
    status: str = Field(default="draft", max_length=16)
    done: str = ""
    planned: str = ""
    problems: str = ""
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)
    submitted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # The deadline in force when it was submitted, and whether it was missed: a later change of
    # the setting does not make an old report late (or on time).
    deadline: datetime | None = Field(default=None, sa_type=UTCDateTime)
    late: bool = False
    reviewed_by_id: int | None = Field(default=None, foreign_key="employee.id")
    reviewed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    review_comment: str | None = None


class WorkReportTask(Table, table=True):
    """A problem of a report (its item number in the problems section) raised as a task."""

    __tablename__ = "work_report_task"
    __table_args__ = (UniqueConstraint("report_id", "item", name="uq_work_report_task_item"),)

    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(foreign_key="work_report.id")
    item: int
    task_id: int = Field(foreign_key="task.id", unique=True)
    created_at: datetime = Field(sa_type=UTCDateTime)
    created_by_id: int = Field(foreign_key="employee.id")
