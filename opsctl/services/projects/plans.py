"""A project's plan and milestones: plan versions (work content, resources), approved apart from
the proposal by the manager side; approving a version takes the milestones' due dates as the
baseline, and moving a milestone later shows as slip against it.

A milestone lies within the project's start and due dates (exit 1 otherwise); moving one needs a
reason, written into the project's history with the plan's versions and approvals.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import case
from sqlmodel import Session, col, func, select

from opsctl.errors import Conflict, InvalidInput, NotAllowed, NotFound
from opsctl.models.people import Employee
from opsctl.models.project_plans import ProjectPlan
from opsctl.models.projects import OPEN_TASK_STATUSES, Milestone, Project, Task
from opsctl.services import audit
from opsctl.services.access import check_reason, require_employee
from opsctl.services.locks import lock_row
from opsctl.services.projects.lifecycle import (
    SETTLED,
    _record,
    _require_judge,
    _text,
    get_project,
    key,
    may_manage,
    require_owner_side,
    require_writable,
)

MAX_PLAN_TEXT = 20_000
PLAN_APPROVABLE = ("approved", "active", "in_review")  # the proposal is approved first


def planning_project(session: Session, actor: Employee, code: str, *, action: str) -> Project:
    """The project, locked, if its plan may still change and ``actor`` is on its owner's side."""
    project = get_project(session, code, lock=True)
    require_writable(project, what="its plan")
    if project.status in SETTLED:
        raise Conflict(f"project {project.code} is {project.status}, so its plan is history and cannot change")
    require_owner_side(session, actor, project, action=action)
    return project


# -- the plan --------------------------------------------------------------------------------

def write_plan(session: Session, *, actor: Employee, now: datetime, code: str, content: str,
               resources: str | None = None) -> ProjectPlan:
    """A new version of the plan (the first is version 1); it waits for `approve_plan`."""
    project = planning_project(session, actor, code, action="write the plan of")
    latest = _plans(session, project)[:1]
    plan = ProjectPlan(
        project_id=key(project), version=latest[0].version + 1 if latest else 1,
        content=_text(content, what="plan's work content (--content)", limit=MAX_PLAN_TEXT),
        resources=(resources or "").strip()[:MAX_PLAN_TEXT] or None, written_by_id=key(actor), written_at=now,
    )
    session.add(plan)
    project.updated_at = now
    session.flush()
    _record(session, project, actor=actor, now=now, step="plan", previous=project.status,
            text=f"plan version {plan.version} written")
    return plan


def approve_plan(session: Session, *, actor: Employee, now: datetime, code: str,
                 comment: str | None = None) -> ProjectPlan:
    """Approve the newest version (the manager side, never the owner); its milestones become the baseline."""
    project = get_project(session, code, lock=True)
    require_writable(project, what="its plan")
    plans = _plans(session, project)
    if not plans:
        raise NotFound(f"project {project.code} has no plan yet; write one with "
                       f"`opsctl project plan set {project.code} --content TEXT`")
    plan = plans[0]
    if plan.approved_at is not None:
        raise Conflict(f"version {plan.version} of the plan of {project.code} is approved already; "
                       "a change is a new version (`opsctl project plan set`)")
    if project.status not in PLAN_APPROVABLE:
        raise Conflict(f"project {project.code} is {project.status}; its plan is approved once the proposal "
                       f"is (`opsctl project approve {project.code}`) and before it is accepted")
    _require_judge(session, actor, project, action="approve the plan of")
    plan.approved_by_id, plan.approved_at = key(actor), now
    plan.approval_note = (comment or "").strip() or None
    milestones = session.exec(select(Milestone).where(Milestone.project_id == project.id)).all()
    for milestone in milestones:
        if milestone.done_on is None or milestone.baseline_due is None:
            milestone.baseline_due = milestone.due
    project.updated_at = now
    session.flush()
    _record(session, project, actor=actor, now=now, step="plan-approve", previous=project.status,
            text=f"plan version {plan.version} approved; baseline of {len(milestones)} milestone(s)"
                 + (f": {plan.approval_note}" if plan.approval_note else ""))
    audit.record(session, now=now, actor=actor, action="project.plan.approve", entity="project",
                 entity_id=project.code, subject=session.get(Employee, project.owner_id),
                 details={"version": plan.version, "comment": plan.approval_note})
    return plan


def _plans(session: Session, project: Project) -> list[ProjectPlan]:
    """Every version, the newest first."""
    query = select(ProjectPlan).where(ProjectPlan.project_id == project.id)
    return list(session.exec(query.order_by(col(ProjectPlan.version).desc())).all())


def plan_versions(session: Session, *, viewer: Employee, code: str) -> dict[str, Any]:
    """The plan of a project: its newest version in full, and every version with who wrote and approved it."""
    require_employee(session, viewer)
    project = get_project(session, code)
    logins = dict(session.exec(select(Employee.id, Employee.login)).all())
    versions = [
        {"version": plan.version, "written_by": logins.get(plan.written_by_id), "written_at": plan.written_at,
         "status": "approved" if plan.approved_at else "draft", "approved_by": logins.get(plan.approved_by_id or 0),
         "approved_at": plan.approved_at, "approval_note": plan.approval_note, "content": plan.content,
         "resources": plan.resources}
        for plan in _plans(session, project)
    ]
    return {"code": project.code, "name": project.name, "versions": versions}


def plan_row(plan: ProjectPlan, project: Project) -> dict[str, Any]:
    """What a write command shows of a plan version."""
    return {"code": project.code, "version": plan.version, "status": "approved" if plan.approved_at else "draft",
            "written_at": plan.written_at, "approved_at": plan.approved_at, "content": plan.content,
            "resources": plan.resources}


# -- milestones --------------------------------------------------------------------------------

def _within(project: Project, due: date) -> date:
    if project.start is not None and due < project.start:
        raise InvalidInput(f"the milestone's date {due} is before {project.code} starts ({project.start}); "
                           f"give a date from {project.start}, or move the project's start first")
    if project.due is not None and due > project.due:
        raise InvalidInput(f"the milestone's date {due} is after {project.code} is due ({project.due}); "
                           f"give a date up to {project.due}, or move the project's due date first")
    return due


def get_milestone(session: Session, code: str, milestone_id: int, *, lock: bool = False) -> tuple[Project, Milestone]:
    project = get_project(session, code, lock=lock)
    milestone = lock_row(session, Milestone, milestone_id) if lock else session.get(Milestone, milestone_id)
    if milestone is None or milestone.project_id != project.id:
        raise NotFound(f"{project.code} has no milestone #{milestone_id}; see `opsctl project milestone list "
                       f"{project.code}`")
    return project, milestone


def add_milestone(session: Session, *, actor: Employee, now: datetime, code: str, title: str, due: date,
                  owner: str | None = None) -> Milestone:
    """A milestone of the plan (the owner's side); it joins the baseline when the plan is next approved."""
    from opsctl.services.people import get_person
    from opsctl.services.projects.members import ensure_member

    project = planning_project(session, actor, code, action="add milestones to")
    leader = get_person(session, owner, active_only=True) if owner else session.get(Employee, project.owner_id)
    assert leader is not None  # a foreign key
    milestone = Milestone(project_id=key(project), title=_text(title, what="milestone's title", limit=200),
                          owner_id=key(leader), due=_within(project, due), created_at=now, updated_at=now)
    session.add(milestone)
    project.updated_at = now
    session.flush()
    ensure_member(session, project, leader, now=now)
    return milestone


def move_milestone(session: Session, *, actor: Employee, now: datetime, code: str, milestone_id: int,
                   due: date, reason: str) -> Milestone:
    """Adjust a milestone's date (the owner's side), saying why; the baseline stays, the slip shows."""
    planning_project(session, actor, code, action="move milestones of")
    project, milestone = get_milestone(session, code, milestone_id, lock=True)
    why = check_reason(reason)
    if milestone.done_on is not None:
        raise Conflict(f"milestone #{milestone.id} was reached on {milestone.done_on}; it does not move any more")
    if due == milestone.due:
        raise InvalidInput(f"milestone #{milestone.id} is due on {due} already; give another date")
    before, milestone.due = milestone.due, _within(project, due)
    milestone.updated_at = project.updated_at = now
    session.flush()
    _record(session, project, actor=actor, now=now, step="milestone", previous=project.status,
            text=f"milestone #{milestone.id} {milestone.title}: {before} → {due}: {why}")
    return milestone


def milestone_done(session: Session, *, actor: Employee, now: datetime, today: date, code: str,
                   milestone_id: int) -> Milestone:
    """Mark a milestone reached today (its owner, or the project's owner side)."""
    project, milestone = get_milestone(session, code, milestone_id, lock=True)
    require_writable(project, what="its milestones")
    if actor.id != milestone.owner_id and actor.id != project.owner_id and not may_manage(session, actor, project):
        raise NotAllowed(f"{actor.login} may not mark milestone #{milestone.id} of {project.code} reached: only "
                         "its owner, the project's owner, the owner's manager, a manager or an admin may")
    if milestone.done_on is not None:
        raise Conflict(f"milestone #{milestone.id} was reached on {milestone.done_on} already")
    milestone.done_on, milestone.updated_at = today, now
    session.flush()
    return milestone


def milestone_rows(session: Session, project: Project, *, today: date) -> list[dict[str, Any]]:
    """Every milestone with its owner, its dates against the baseline (slip in days), and its tasks."""
    is_open = col(Task.status).in_(OPEN_TASK_STATUSES)
    counts = {
        milestone_id: (int(open_ or 0), int(done or 0))
        for milestone_id, open_, done in session.exec(
            select(Task.milestone_id, func.sum(case((is_open, 1), else_=0)),
                   func.sum(case((col(Task.status) == "done", 1), else_=0)))
            .where(Task.project_id == project.id, col(Task.milestone_id).is_not(None))
            .group_by(col(Task.milestone_id))
        )
    }
    found = session.exec(
        select(Milestone, Employee.login).join(Employee, col(Milestone.owner_id) == Employee.id)
        .where(Milestone.project_id == project.id).order_by(col(Milestone.due), col(Milestone.id))
    ).all()
    return [_milestone_row(milestone, login, counts.get(milestone.id, (0, 0)), today)
            for milestone, login in found]


def _milestone_row(milestone: Milestone, login: str, tasks: tuple[int, int], today: date) -> dict[str, Any]:
    reached = milestone.done_on
    slip = ((reached or milestone.due) - milestone.baseline_due).days if milestone.baseline_due else None
    status = "done" if reached else "overdue" if milestone.due < today else "open"
    return {"id": milestone.id, "title": milestone.title, "login": login, "due": milestone.due,
            "baseline_due": milestone.baseline_due, "done_on": reached, "slip_days": slip, "status": status,
            "open_tasks": tasks[0], "done_tasks": tasks[1]}


def milestone_view(session: Session, milestone: Milestone, *, today: date) -> dict[str, Any]:
    """One milestone as `milestone_rows` has it."""
    project = session.get(Project, milestone.project_id)
    assert project is not None  # a foreign key
    return next(row for row in milestone_rows(session, project, today=today) if row["id"] == milestone.id)


def list_milestones(session: Session, *, viewer: Employee, code: str, today: date) -> dict[str, Any]:
    """The milestones of a project, with the project's dates (a chart is drawn against them)."""
    require_employee(session, viewer)
    project = get_project(session, code)
    return {"code": project.code, "start": project.start, "due": project.due, "today": today,
            "milestones": milestone_rows(session, project, today=today)}


def task_milestone(session: Session, milestone_id: int | None, project_id: int | None, *,
                   keep: bool = False) -> int | None:
    """A milestone a task may belong to: one of its own project's (exit 1 otherwise). ``keep``: the
    task's milestone as its project changes, None once it is another project's."""
    if milestone_id is None:
        return None
    milestone = session.get(Milestone, milestone_id)
    if milestone is None:
        raise NotFound(f"no milestone #{milestone_id}; see `opsctl project milestone list CODE`")
    if keep:
        return milestone_id if milestone.project_id == project_id else None
    if project_id != milestone.project_id:
        code = session.exec(select(Project.code).where(Project.id == milestone.project_id)).one()
        raise InvalidInput(f"milestone #{milestone_id} belongs to project {code}; give the task --project {code} "
                           "too, or a milestone of the task's own project")
    return milestone_id
