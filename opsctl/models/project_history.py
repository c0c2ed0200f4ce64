"""A project's members and its status history (who, when, from → to, the text given)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field

from opsctl.models.base import Table, UTCDateTime
from opsctl.models.projects import Project  # noqa: F401  (the table the keys point to)


class ProjectMember(Table, table=True):
    __tablename__ = "project_member"
    __table_args__ = (UniqueConstraint("project_id", "employee_id", name="uq_project_member"),)

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id")
    employee_id: int = Field(foreign_key="employee.id", index=True)
    role: str = Field(default="member", max_length=16)
    added_at: datetime = Field(sa_type=UTCDateTime)


class ProjectEvent(Table, table=True):
    """One step of a project's status history: who, when, from → to, the text given."""

    __tablename__ = "project_event"

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True)
    at: datetime = Field(sa_type=UTCDateTime)
    actor_id: int = Field(foreign_key="employee.id")
    step: str = Field(max_length=16)
    from_status: str | None = Field(default=None, max_length=16)
    to_status: str = Field(max_length=16)
    text: str | None = None
    round: int = 0
