"""Changing tasks: the status steps (start, block, done, cancel, reopen), assigning, editing.

``done_at`` is set when a task is done and cleared when it is reopened or cancelled (the
KPI `tasks` indicator counts on it).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlmodel import Session

from opsctl.errors import Conflict, InvalidInput
from opsctl.models.people import Employee
from opsctl.models.projects import OPEN_TASK_STATUSES, Task
from opsctl.services.people import UNCHANGED
from opsctl.services.tasks.core import (
    active_person,
    audit_if_foreign,
    check_estimate,
    check_priority,
    check_text,
    check_title,
    clean_tags,
    get_task,
    project_of,
    project_taking_tasks,
    require_task_writer,
    writable_project,
)

# step -> (the statuses it may start from, the status it leads to)
TASK_STEPS: dict[str, tuple[tuple[str, ...], str]] = {
    "start": (("todo", "blocked"), "in_progress"),
    "block": (("todo", "in_progress"), "blocked"),
    "done": (OPEN_TASK_STATUSES, "done"),
    "cancel": (OPEN_TASK_STATUSES, "cancelled"),
    "reopen": (("done", "cancelled"), "todo"),
}
_VERB = {"done": "finish"}  # "cannot finish task #3", not "cannot done"


def allowed_task_steps(status: str) -> list[str]:
    """What may be done to a task in ``status`` (the status steps, then assign and edit)."""
    steps = [step for step, (starts, _to) in TASK_STEPS.items() if status in starts]
    return [*steps, *(["assign"] if status in OPEN_TASK_STATUSES else []), "edit"]


def _check_step(task: Task, step: str) -> str:
    starts, target = TASK_STEPS[step]
    if task.status not in starts:
        raise Conflict(
            f"cannot {_VERB.get(step, step)} task #{task.id}: it is {task.status}; from {task.status} the "
            f"allowed steps are: {', '.join(allowed_task_steps(task.status))}"
        )
    return target


def change_task_status(
    session: Session, *, actor: Employee, now: datetime, task_id: int, step: str, reason: str | None = None
) -> Task:
    """One status step, by someone who may change the task (see `require_task_writer`)."""
    task = get_task(session, task_id, lock=True)
    project = writable_project(session, task)
    _check_step(task, step)
    require_task_writer(session, actor, task, project, action=_VERB.get(step, step))
    return take_task_step(session, task, actor=actor, now=now, step=step, reason=reason)


def take_task_step(
    session: Session, task: Task, *, actor: Employee, now: datetime, step: str, reason: str | None = None
) -> Task:
    """One status step by ``actor``, whose right to take it is settled: a writer of the task
    (`change_task_status`), or whoever cancels its project. ``done_at`` is set when done and
    cleared when reopened or cancelled; audited when the task is somebody else's."""
    target = _check_step(task, step)
    if step == "block":
        reason = " ".join((reason or "").split())
        if not reason:
            raise InvalidInput("say what blocks the task: --reason TEXT")
    previous = task.status
    task.status = target
    task.blocked_reason = reason if step == "block" else None
    task.done_at = now if target == "done" else None
    if target == "in_progress" and task.started_at is None:
        task.started_at = now
    task.updated_at = now
    session.flush()
    audit_if_foreign(session, actor=actor, now=now, task=task, action=step,
                      details={"from": previous, "to": target, "reason": reason})
    return task


def start_task(session: Session, *, actor: Employee, now: datetime, task_id: int) -> Task:
    return change_task_status(session, actor=actor, now=now, task_id=task_id, step="start")


def done_task(session: Session, *, actor: Employee, now: datetime, task_id: int) -> Task:
    return change_task_status(session, actor=actor, now=now, task_id=task_id, step="done")


def reopen_task(session: Session, *, actor: Employee, now: datetime, task_id: int) -> Task:
    return change_task_status(session, actor=actor, now=now, task_id=task_id, step="reopen")


def cancel_task(session: Session, *, actor: Employee, now: datetime, task_id: int) -> Task:
    return change_task_status(session, actor=actor, now=now, task_id=task_id, step="cancel")


def block_task(session: Session, *, actor: Employee, now: datetime, task_id: int, reason: str) -> Task:
    return change_task_status(session, actor=actor, now=now, task_id=task_id, step="block", reason=reason)


def assign_task(session: Session, *, actor: Employee, now: datetime, task_id: int, assignee: str) -> Task:
    """Give an open task to someone (who joins its project); audited when it is not you."""
    from opsctl.services import audit
    from opsctl.services.projects import ensure_member

    task = get_task(session, task_id, lock=True)
    project = writable_project(session, task)
    if not task.is_open:
        raise Conflict(f"cannot assign task #{task.id}: it is {task.status}; from {task.status} the allowed "
                       f"steps are: {', '.join(allowed_task_steps(task.status))}")
    require_task_writer(session, actor, task, project, action="assign")
    person = active_person(session, assignee)
    if task.assignee_id == person.id:
        raise Conflict(f"task #{task.id} is already assigned to {person.login}")
    previous = session.get(Employee, task.assignee_id) if task.assignee_id else None
    task.assignee_id = person.id
    task.updated_at = now
    if project is not None:
        ensure_member(session, project, person, now=now)
    session.flush()
    if {p.id for p in (previous, person) if p is not None} - {actor.id}:
        audit.record(session, now=now, actor=actor, action="task.assign", entity="task", entity_id=task.id,
                     subject=person if person.id != actor.id else previous,
                     details={"from": previous.login if previous else None, "to": person.login})
    return task


def edit_task(
    session: Session,
    *,
    actor: Employee,
    now: datetime,
    task_id: int,
    title: str = UNCHANGED,
    due: date | None = UNCHANGED,
    priority: str = UNCHANGED,
    estimate_hours: float | None = UNCHANGED,
    tags: list[str] = UNCHANGED,
    project: str | None = UNCHANGED,
    description: str | None = UNCHANGED,
    criteria: str | None = UNCHANGED,
    milestone: int | None = UNCHANGED,
) -> Task:
    """Change the given fields (None clears due, estimate, project, description, criteria);
    audited when not yours."""
    task = get_task(session, task_id, lock=True)
    current = writable_project(session, task)
    require_task_writer(session, actor, task, current, action="edit")
    before = _editable(session, task)
    if title is not UNCHANGED:
        task.title = check_title(title)
    if due is not UNCHANGED:
        task.due = due
    if priority is not UNCHANGED:
        task.priority = check_priority(priority)
    if estimate_hours is not UNCHANGED:
        task.estimate_hours = check_estimate(estimate_hours)
    if tags is not UNCHANGED:
        task.tags = clean_tags(tags)
    if project is not UNCHANGED:
        _move(session, actor, task, project, now=now)
    if description is not UNCHANGED:
        task.description = check_text(description, "--description")
    if criteria is not UNCHANGED:
        task.criteria = check_text(criteria, "--criteria")
    if milestone is not UNCHANGED or project is not UNCHANGED:  # one of the task's own project's
        task.milestone_id = _milestone(session, task, milestone)
    after = _editable(session, task)
    changes = {key: [before[key], after[key]] for key in after if before[key] != after[key]}
    if not changes:
        raise InvalidInput("nothing to change; give at least one new value (see `opsctl task edit --help`)")
    task.updated_at = now
    session.flush()
    audit_if_foreign(session, actor=actor, now=now, task=task, action="edit", details=changes)
    return task


def _move(session: Session, actor: Employee, task: Task, code: str | None, *, now: datetime) -> None:
    from opsctl.services.projects import ensure_member

    target = project_taking_tasks(session, actor, code) if code else None
    task.project_id = target.id if target else None
    if target is not None and task.assignee_id is not None:
        ensure_member(session, target, session.get(Employee, task.assignee_id), now=now)  # type: ignore[arg-type]


def _milestone(session: Session, task: Task, milestone: int | None) -> int | None:
    """The milestone given, or, when the task moved to another project, its old one only if it is still
    in the task's project."""
    from opsctl.services.projects import task_milestone

    if milestone is not UNCHANGED:
        return task_milestone(session, milestone, task.project_id)
    return task_milestone(session, task.milestone_id, task.project_id, keep=True)


def _editable(session: Session, task: Task) -> dict[str, Any]:
    project = project_of(session, task)
    return {"title": task.title, "due": task.due, "priority": task.priority, "estimate_hours": task.estimate_hours,
            "tags": task.tag_list, "project": project.code if project else None,
            "description": task.description, "criteria": task.criteria, "milestone": task.milestone_id}
