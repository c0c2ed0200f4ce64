"""How a project ends: archived once accepted (or cancelled), or cancelled with its open tasks.

An archived project is read-only, tasks included, so it must hold no open task: nobody could
close one any more, and it would sit in its assignee's `task list` for ever. Cancelling a
project therefore cancels its open tasks in the same step (each as `task cancel` would, with
a note of why), and archiving refuses while a task is open (an accepted project may still
have some: `project submit --force`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from opsctl.errors import Conflict
from opsctl.models.people import Employee
from opsctl.models.projects import OPEN_TASK_STATUSES, Project, Task
from opsctl.services.locks import lock_row
from opsctl.services.projects.lifecycle import advance, describe_open_tasks, open_tasks, owner_side_project
from opsctl.services.tasks import take_task_step


@dataclass(frozen=True)
class Cancellation:
    """A cancelled project and the open tasks that were cancelled with it."""

    project: Project
    tasks: tuple[Task, ...]

    def text(self) -> str | None:
        """What happened to the tasks, for the person at the terminal (None: there were none)."""
        if not self.tasks:
            return None
        count = len(self.tasks)
        return (f"Cancelled {count} open task{'s' if count != 1 else ''} of {self.project.code}: "
                f"{_ids(self.tasks)}.")


def archive_project(session: Session, *, actor: Employee, now: datetime, code: str,
                    note: str | None = None, force: bool = False) -> Project:
    """Archive an accepted or cancelled project (read-only from then on); refused while a task is open,
    and without its acceptance report and lessons review unless ``force`` (`projects.lessons`)."""
    from opsctl.services.projects.lessons import closing_papers

    project = owner_side_project(session, actor, code, step="archive")
    still_open = open_tasks(session, project)
    if still_open:
        raise Conflict(
            f"project {project.code} still has {len(still_open)} open task(s): {describe_open_tasks(still_open)}; "
            "an archived project is read-only, so finish or cancel them first (`opsctl task done ID`, "
            "`opsctl task cancel ID`)"
        )
    forced = closing_papers(session, project, force=force)
    text = "; ".join(part for part in (note, forced) if part) or None
    return advance(session, project, actor=actor, now=now, step="archive", text=text)


def cancel_project(session: Session, *, actor: Employee, now: datetime, code: str,
                   reason: str | None = None) -> Cancellation:
    """Cancel a project that is not accepted yet, and its open tasks with it.

    Whoever may cancel the project may cancel its tasks: each is cancelled as `task cancel`
    does it (audited when it is somebody else's, the note saying the project was cancelled),
    and the project's history line names them.
    """
    project = owner_side_project(session, actor, code, step="cancel")
    locked = (lock_row(session, Task, task.id) for task, _login in open_tasks(session, project))
    tasks = tuple(task for task in locked if task is not None and task.status in OPEN_TASK_STATUSES)
    for task in tasks:
        take_task_step(session, task, actor=actor, now=now, step="cancel", reason=f"project {project.code} cancelled")
    text = reason
    if tasks:
        text = f"{reason} (cancelled its open tasks: {_ids(tasks)})" if reason else \
            f"cancelled its open tasks: {_ids(tasks)}"
    advance(session, project, actor=actor, now=now, step="cancel", text=text)
    return Cancellation(project, tasks)


def _ids(tasks: tuple[Task, ...]) -> str:
    return ", ".join(f"#{task.id}" for task in tasks)
