"""Projects and tasks.

A project's members and its status history are in `project_history` (`ProjectMember`,
`ProjectEvent`): `task list` is on the hot path and imports this module alone.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Index
from sqlmodel import Field

from opsctl.models.base import Table, UTCDateTime

PROJECT_STATUSES = ("proposed", "approved", "active", "in_review", "accepted", "archived", "cancelled")
MEMBER_ROLES = ("member", "reviewer")
TASK_STATUSES = ("todo", "in_progress", "blocked", "done", "cancelled")
OPEN_TASK_STATUSES = ("todo", "in_progress", "blocked")
PRIORITIES = ("low", "normal", "high", "urgent")


class Project(Table, table=True):
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, max_length=32)
    name: str = Field(max_length=200)
    goal: str | None = None
    owner_id: int = Field(foreign_key="employee.id", index=True)
    team_id: int | None = Field(default=None, foreign_key="team.id")
    status: str = Field(default="proposed", max_length=16)
    start: date | None = None
    due: date | None = None
    budget: float | None = None
    # Acceptance applications so far; the notes of the last failed review while reworking.
    round: int = 0
    rework_notes: str | None = None
    created_by_id: int = Field(foreign_key="employee.id")
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)


class Milestone(Table, table=True):
    """A dated step of a project's plan (the rest of the plan is in `models.project_plans`: a task
    may belong to a milestone, and `task list` imports this module alone); ``baseline_due`` is its
    due date in the last approved plan."""

    __tablename__ = "project_milestone"

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True)
    title: str = Field(max_length=200)
    owner_id: int = Field(foreign_key="employee.id")
    due: date
    baseline_due: date | None = None
    done_on: date | None = None
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)


class Task(Table, table=True):
    __table_args__ = (
        Index("ix_task_assignee_status", "assignee_id", "status"),
        Index("ix_task_due", "due"),
        Index("ix_task_project_id", "project_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=200)
    project_id: int | None = Field(default=None, foreign_key="project.id")
    milestone_id: int | None = Field(default=None, foreign_key="project_milestone.id", index=True)
    assignee_id: int | None = Field(default=None, foreign_key="employee.id")
    created_by_id: int = Field(foreign_key="employee.id")
    status: str = Field(default="todo", max_length=16)
    priority: str = Field(default="normal", max_length=8)
    due: date | None = None
    estimate_hours: float | None = None
    tags: str = Field(default="", max_length=200)  # comma-separated, lower case
    description: str | None = None  # what is to be done, in more words than the title
    criteria: str | None = None  # acceptance criteria: when it counts as done
    blocked_reason: str | None = None
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)
    started_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    done_at: datetime | None = Field(default=None, sa_type=UTCDateTime)

    @property
    def tag_list(self) -> list[str]:
        return [t for t in self.tags.split(",") if t]

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_TASK_STATUSES


def __getattr__(name: str) -> Any:
    """``from opsctl.models.projects import ProjectEvent`` keeps working (loaded on demand)."""
    if name in ("ProjectMember", "ProjectEvent"):
        from opsctl.models import project_history

        return getattr(project_history, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
