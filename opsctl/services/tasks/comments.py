"""Comments on a task (`task comment`, shown by `task show`): any employee may ask or answer
on any task, as any employee may see any task. A comment is signed and timed and never
edited, so it needs no audit entry of its own; a task of an archived project takes none."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from opsctl.errors import InvalidInput
from opsctl.models.people import Employee
from opsctl.models.task_comments import TaskComment
from opsctl.services.access import require_employee
from opsctl.services.tasks.core import check_text, get_task, writable_project


def comment_task(session: Session, *, actor: Employee, now: datetime, task_id: int, text: str) -> dict[str, Any]:
    """Add ``text`` (1–4000 characters, lines kept) to the task's comments; the comment's row."""
    require_employee(session, actor)
    task = get_task(session, task_id)
    writable_project(session, task)
    checked = check_text(text, "the comment")
    if checked is None:
        raise InvalidInput(f"say something: opsctl task comment {task_id} 'TEXT'")
    comment = TaskComment(task_id=task_id, author_id=actor.id or 0, at=now, text=checked)
    session.add(comment)
    session.flush()
    return {"id": comment.id, "task_id": task_id, "login": actor.login, "name": actor.name, "at": now,
            "text": checked}


def comment_rows(session: Session, task_id: int) -> list[dict[str, Any]]:
    """The task's comments, oldest first."""
    query = (
        select(TaskComment, Employee.login, Employee.name)
        .join(Employee, col(TaskComment.author_id) == Employee.id)
        .where(TaskComment.task_id == task_id)
        .order_by(col(TaskComment.at), col(TaskComment.id))
    )
    return [{"id": c.id, "login": login, "name": name, "at": c.at, "text": c.text}
            for c, login, name in session.exec(query)]
