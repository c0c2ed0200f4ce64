"""The comments on a task (`task comment`): who said what, when. Append-only: a comment is
never edited; the task's description and acceptance criteria are columns of the task."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field

from opsctl.models.base import Table, UTCDateTime
from opsctl.models.projects import Task  # noqa: F401  (the table the key points to)


class TaskComment(Table, table=True):
    __tablename__ = "task_comment"

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id", index=True)
    author_id: int = Field(foreign_key="employee.id")
    at: datetime = Field(sa_type=UTCDateTime)
    text: str
