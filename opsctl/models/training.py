"""Training: the yearly plan, its sessions, who took part, assessment attempts,
certificates, and the free-text notes of each person's development record."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field

from opsctl.models.base import Table, UTCDateTime

CATEGORIES = ("knowledge", "skills", "management")
METHODS = ("internal", "external", "online")
ASSESSMENTS = ("exam", "assignment", "practical")


class TrainingPlan(Table, table=True):
    """One item of a year's training plan (a course to hold in that year)."""

    __tablename__ = "training_plan"
    __table_args__ = (UniqueConstraint("year", "title", name="uq_training_plan_year_title"),)

    id: int | None = Field(default=None, primary_key=True)
    year: int = Field(index=True)
    title: str = Field(max_length=200)
    category: str = Field(max_length=16)
    method: str = Field(max_length=16)
    quarter: int | None = None  # 1-4; None: any time of the year
    trainer: str | None = Field(default=None, max_length=120)  # a login (internal) or a name
    hours: float | None = None  # planned hours
    audience: str = Field(default="all", max_length=100)  # all | team:NAME | role:ROLE
    created_by_id: int | None = Field(default=None, foreign_key="employee.id")
    created_at: datetime = Field(sa_type=UTCDateTime)


class TrainingSession(Table, table=True):
    """A date on which a plan item is (or was) held."""

    __tablename__ = "training_session"

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="training_plan.id", index=True)
    day: date = Field(index=True)
    hours: float
    location: str | None = Field(default=None, max_length=200)
    trainer: str | None = Field(default=None, max_length=120)
    created_at: datetime = Field(sa_type=UTCDateTime)


class TrainingEnrollment(Table, table=True):
    """A person on a session's list; ``attended`` is None until attendance is taken."""

    __tablename__ = "training_enrollment"
    __table_args__ = (UniqueConstraint("session_id", "employee_id", name="uq_training_enrollment_person"),)

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="training_session.id", index=True)
    employee_id: int = Field(foreign_key="employee.id", index=True)
    attended: bool | None = None
    enrolled_at: datetime = Field(sa_type=UTCDateTime)


class TrainingResult(Table, table=True):
    """One assessment attempt. Attempt 1 is the session's own; each retake is the next
    number and points at the failed attempt it repeats. ``score`` is None while a
    scheduled retake has not been taken yet. ``passed`` is judged against the pass mark
    in force when the score was recorded (kept in ``pass_mark``)."""

    __tablename__ = "training_result"
    __table_args__ = (
        UniqueConstraint("session_id", "employee_id", "attempt", name="uq_training_result_attempt"),
    )

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="training_session.id", index=True)
    employee_id: int = Field(foreign_key="employee.id", index=True)
    attempt: int
    retake_of_id: int | None = Field(default=None, foreign_key="training_result.id")
    day: date
    score: float | None = None
    pass_mark: float | None = None
    passed: bool | None = None
    method: str = Field(default="exam", max_length=16)
    recorded_by_id: int | None = Field(default=None, foreign_key="employee.id")
    recorded_at: datetime = Field(sa_type=UTCDateTime)


class Certificate(Table, table=True):
    __tablename__ = "training_certificate"
    __table_args__ = (
        UniqueConstraint("employee_id", "name", "issued", name="uq_training_certificate_issue"),
    )

    id: int | None = Field(default=None, primary_key=True)
    employee_id: int = Field(foreign_key="employee.id", index=True)
    name: str = Field(max_length=200)
    issued: date
    expires: date | None = Field(default=None, index=True)
    added_by_id: int | None = Field(default=None, foreign_key="employee.id")
    created_at: datetime = Field(sa_type=UTCDateTime)


class DevelopmentNote(Table, table=True):
    """Free text in a person's development record (goals, feedback, plans)."""

    __tablename__ = "development_note"

    id: int | None = Field(default=None, primary_key=True)
    employee_id: int = Field(foreign_key="employee.id", index=True)
    author_id: int | None = Field(default=None, foreign_key="employee.id")
    at: datetime = Field(sa_type=UTCDateTime)
    text: str = Field(max_length=2000)
