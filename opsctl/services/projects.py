"""The project lifecycle: proposed → approved → active → in_review → accepted → archived.

A failed acceptance review sends the project back to ``active`` for rework; the next
submission is the next acceptance round. Every step is a `ProjectEvent` (who, when,
from → to, the text given), shown by `project show`.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from sqlmodel import Session, col, select

from opsctl.errors import Conflict, InvalidInput, NotAllowed, NotFound
from opsctl.models.people import Employee
from opsctl.models.project_history import ProjectEvent, ProjectMember
from opsctl.models.projects import MEMBER_ROLES, OPEN_TASK_STATUSES, Project, Task
from opsctl.services import audit
from opsctl.services.access import can_act_for, manages

CODE_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9._-]{0,31}$")
# step -> (the statuses it may start from, the status it leads to)
STEPS: dict[str, tuple[tuple[str, ...], str]] = {
    "approve": (("proposed",), "approved"),
    "start": (("approved",), "active"),
    "submit": (("active",), "in_review"),
    "pass": (("in_review",), "accepted"),
    "fail": (("in_review",), "active"),
    "archive": (("accepted", "cancelled"), "archived"),
    "cancel": (("proposed", "approved", "active", "in_review"), "cancelled"),
}
_COMMAND = {"pass": "review", "fail": "review"}  # what the user types for a step
CLOSED_TO_NEW_TASKS = ("accepted", "cancelled", "archived")
APPROVER_ROLES = ("manager", "admin")


# -- lookups and guards ------------------------------------------------------------

def key(row: Employee | Project) -> int:
    """The id of a stored (flushed) row."""
    if row.id is None:
        raise ValueError(f"{type(row).__name__} has no id yet; flush it first")
    return row.id


def get_project(session: Session, code: str) -> Project:
    project = session.exec(select(Project).where(Project.code == code.strip().upper())).first()
    if project is None:
        raise NotFound(f"no project with code {code.strip().upper()!r}; see `opsctl project list --all`")
    return project


def require_writable(project: Project, *, what: str = "it") -> None:
    """An archived project is read-only: nothing in it may change (exit 5)."""
    if project.status == "archived":
        raise Conflict(f"project {project.code} is archived and read-only; {what} cannot change")


def allowed_steps(status: str) -> list[str]:
    steps = [_COMMAND.get(step, step) for step, (starts, _to) in STEPS.items() if status in starts]
    return list(dict.fromkeys(steps))


def _check_step(project: Project, step: str) -> str:
    starts, target = STEPS[step]
    if project.status not in starts:
        require_writable(project, what="its status")
        allowed = allowed_steps(project.status)
        options = f"the allowed steps are: {', '.join(allowed)}" if allowed else "no step is allowed"
        raise Conflict(
            f"cannot {_COMMAND.get(step, step)} project {project.code}: it is {project.status}; "
            f"from {project.status} {options}"
        )
    return target


def is_member(session: Session, project: Project, person: Employee, *, role: str | None = None) -> bool:
    query = select(ProjectMember.id).where(
        ProjectMember.project_id == project.id, ProjectMember.employee_id == person.id
    )
    if role is not None:
        query = query.where(ProjectMember.role == role)
    return session.exec(query).first() is not None


def _owner(session: Session, project: Project) -> Employee:
    owner = session.get(Employee, project.owner_id)
    assert owner is not None  # a foreign key
    return owner


def may_manage(session: Session, actor: Employee, project: Project) -> bool:
    """The owner's manager (up the chain), any manager, or an admin."""
    return actor.role in APPROVER_ROLES or manages(session, actor, _owner(session, project))


def _require_judge(session: Session, actor: Employee, project: Project, *, action: str) -> None:
    """Who approves and reviews: the manager side (and, for reviews, designated reviewers)."""
    if actor.id == project.owner_id:
        raise NotAllowed(f"nobody may {action} their own project; ask your manager or an admin")
    if may_manage(session, actor, project):
        return
    if action == "review" and is_member(session, project, actor, role="reviewer"):
        return
    reviewers = " or a reviewer named with `project member add --role reviewer`" if action == "review" else ""
    raise NotAllowed(
        f"{actor.login} ({actor.role}) may not {action} project {project.code}: only the owner's "
        f"manager, a manager or an admin{reviewers} may"
    )


def _require_owner_side(session: Session, actor: Employee, project: Project, *, action: str) -> None:
    if actor.id == project.owner_id or may_manage(session, actor, project):
        return
    raise NotAllowed(
        f"{actor.login} may not {action} project {project.code}: only its owner, the owner's manager, "
        "a manager or an admin may"
    )


def _require_owner(actor: Employee, project: Project, owner: Employee, *, action: str) -> None:
    if actor.id != project.owner_id and actor.role != "admin":
        raise NotAllowed(
            f"only the owner of {project.code} ({owner.login}) or an admin may {action} it; "
            f"{actor.login} is neither"
        )


def _text(value: str | None, *, what: str, limit: int | None = None) -> str:
    value = (value or "").strip()
    if not value:
        raise InvalidInput(f"the {what} must not be empty")
    if limit is not None and len(value) > limit:
        raise InvalidInput(f"the {what} is {len(value)} characters long; at most {limit} please")
    return value


# -- creating and changing ----------------------------------------------------------

def new_project(
    session: Session,
    *,
    actor: Employee,
    now: datetime,
    code: str,
    name: str,
    owner: str | None = None,
    team: str | None = None,
    start: date | None = None,
    due: date | None = None,
    budget: float | None = None,
    goal: str | None = None,
) -> Project:
    """Propose a project; anyone may, for themself (leads, managers and admins for others)."""
    from opsctl.services.people import get_person, get_team

    code = code.strip().upper()
    if not CODE_PATTERN.match(code):
        raise InvalidInput(
            f"not a project code: {code!r} (letters, digits, '.', '_' or '-', at most 32, e.g. NET-2026)"
        )
    existing = session.exec(select(Project).where(Project.code == code)).first()
    if existing is not None:
        raise Conflict(f"a project with code {code} already exists ({existing.status}); choose another code")
    leader = get_person(session, owner, active_only=True) if owner else actor
    if leader.id != actor.id and actor.role not in ("lead", *APPROVER_ROLES) \
            and not can_act_for(session, actor, leader):
        raise NotAllowed(f"{actor.login} may not propose a project owned by {leader.login}; propose it yourself")
    if start and due and due < start:
        raise InvalidInput(f"the due date {due} is before the start date {start}")
    if budget is not None and budget < 0:
        raise InvalidInput(f"the budget must not be negative (got {budget:g})")
    project = Project(
        code=code, name=_text(name, what="project name", limit=200), goal=(goal or "").strip() or None,
        owner_id=key(leader), team_id=get_team(session, team).id if team else leader.team_id,
        status="proposed", start=start, due=due, budget=budget, created_by_id=key(actor),
        created_at=now, updated_at=now,
    )
    session.add(project)
    session.flush()
    _record(session, project, actor=actor, now=now, step="propose", previous=None, text=project.goal)
    if leader.id != actor.id:
        audit.record(session, now=now, actor=actor, action="project.new", entity="project",
                     entity_id=code, subject=leader, details={"name": project.name})
    return project


def _record(
    session: Session, project: Project, *, actor: Employee, now: datetime, step: str,
    previous: str | None, text: str | None,
) -> None:
    session.add(ProjectEvent(
        project_id=key(project), at=now, actor_id=key(actor), step=step, from_status=previous,
        to_status=project.status, text=text, round=project.round,
    ))
    session.flush()


def _advance(
    session: Session, project: Project, *, actor: Employee, now: datetime, step: str, text: str | None,
    audited: bool = False,
) -> Project:
    target = _check_step(project, step)
    previous = project.status
    project.status = target
    project.updated_at = now
    _record(session, project, actor=actor, now=now, step=step, previous=previous, text=text)
    if audited or actor.id != project.owner_id:
        audit.record(
            session, now=now, actor=actor, action=f"project.{step}", entity="project", entity_id=project.code,
            subject=_owner(session, project), details={"from": previous, "to": target, "text": text},
        )
    return project


def approve_project(session: Session, *, actor: Employee, now: datetime, code: str,
                    comment: str | None = None) -> Project:
    project = get_project(session, code)
    _check_step(project, "approve")
    _require_judge(session, actor, project, action="approve")
    return _advance(session, project, actor=actor, now=now, step="approve", text=comment, audited=True)


def _owner_side_step(session: Session, *, actor: Employee, now: datetime, code: str, step: str,
                     text: str | None) -> Project:
    """A step the owner or the manager side takes: start, archive, cancel."""
    project = get_project(session, code)
    _check_step(project, step)
    _require_owner_side(session, actor, project, action=step)
    return _advance(session, project, actor=actor, now=now, step=step, text=text)


def start_project(session: Session, *, actor: Employee, now: datetime, code: str,
                  note: str | None = None) -> Project:
    return _owner_side_step(session, actor=actor, now=now, code=code, step="start", text=note)


def open_tasks(session: Session, project: Project) -> list[tuple[Task, str | None]]:
    query = (
        select(Task, Employee.login)
        .join(Employee, col(Task.assignee_id) == Employee.id, isouter=True)
        .where(Task.project_id == project.id, col(Task.status).in_(OPEN_TASK_STATUSES))
        .order_by(col(Task.id))
    )
    return list(session.exec(query).all())


def submit_project(
    session: Session, *, actor: Employee, now: datetime, code: str, summary: str, force: bool = False
) -> Project:
    """Apply for acceptance (the owner's self-check is done); open tasks need ``force``."""
    project = get_project(session, code)
    _check_step(project, "submit")
    _require_owner(actor, project, _owner(session, project), action="submit")
    text = _text(summary, what="summary of the self-check")
    still_open = open_tasks(session, project)
    if still_open and not force:
        listed = "; ".join(f"#{t.id} {t.title} ({login or 'unassigned'}, {t.status})" for t, login in still_open[:10])
        more = f"; and {len(still_open) - 10} more" if len(still_open) > 10 else ""
        raise Conflict(
            f"project {project.code} still has {len(still_open)} open task(s): {listed}{more}; finish or "
            "cancel them, or submit anyway with --force"
        )
    if still_open:
        text += f" (submitted with open tasks: {', '.join(f'#{t.id}' for t, _ in still_open)})"
    project.round += 1
    return _advance(session, project, actor=actor, now=now, step="submit", text=text)


def review_project(
    session: Session, *, actor: Employee, now: datetime, code: str, passed: bool, report: str
) -> Project:
    """Pass (→ accepted) or fail (→ active, the report becomes the rework notes)."""
    project = get_project(session, code)
    step = "pass" if passed else "fail"
    _check_step(project, step)
    _require_judge(session, actor, project, action="review")
    text = _text(report, what="review report")
    project.rework_notes = None if passed else text
    return _advance(session, project, actor=actor, now=now, step=step, text=text, audited=True)


def archive_project(session: Session, *, actor: Employee, now: datetime, code: str,
                    note: str | None = None) -> Project:
    return _owner_side_step(session, actor=actor, now=now, code=code, step="archive", text=note)


def cancel_project(session: Session, *, actor: Employee, now: datetime, code: str,
                   reason: str | None = None) -> Project:
    return _owner_side_step(session, actor=actor, now=now, code=code, step="cancel", text=reason)


def add_member(
    session: Session, *, actor: Employee, now: datetime, code: str, login: str, role: str = "member"
) -> ProjectMember:
    from opsctl.services.people import get_person

    project = get_project(session, code)
    require_writable(project, what="its members")
    _require_owner_side(session, actor, project, action="add members to")
    if role not in MEMBER_ROLES:
        raise InvalidInput(f"unknown project role {role!r}; roles: {', '.join(MEMBER_ROLES)}")
    person = get_person(session, login, active_only=True)
    if person.id == project.owner_id:
        raise Conflict(f"{person.login} owns {project.code}; the owner is not added as a member")
    member = session.exec(select(ProjectMember).where(
        ProjectMember.project_id == project.id, ProjectMember.employee_id == person.id
    )).first()
    if member is not None and member.role == role:
        raise Conflict(f"{person.login} is already a {role} of {project.code}")
    if member is None:
        member = ProjectMember(project_id=key(project), employee_id=key(person), role=role, added_at=now)
        session.add(member)
    else:
        member.role = role
    project.updated_at = now
    session.flush()
    if person.id != actor.id:
        audit.record(session, now=now, actor=actor, action="project.member", entity="project",
                     entity_id=project.code, subject=person, details={"role": role})
    return member


def ensure_member(session: Session, project: Project, person: Employee, *, now: datetime) -> None:
    """Whoever gets a task in a project becomes one of its members."""
    if person.id != project.owner_id and not is_member(session, project, person):
        session.add(ProjectMember(project_id=key(project), employee_id=key(person), role="member",
                                  added_at=now))
        session.flush()
