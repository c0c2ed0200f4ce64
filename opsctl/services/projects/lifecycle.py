"""The project lifecycle: proposed → approved → active → in_review → accepted → archived.

A failed acceptance review sends the project back to ``active`` for rework; the next
submission is the next acceptance round. Every step, and every edit of the plan, is a
`ProjectEvent` (who, when, from → to, the text given), shown by `project show`. Members
are added and removed in `projects.members`; archiving and cancelling (with the project's
open tasks) are in `projects.closing`.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, col, select

from opsctl.errors import Conflict, InvalidInput, NotAllowed, NotFound
from opsctl.models.people import Employee, Team
from opsctl.models.project_history import ProjectEvent, ProjectMember
from opsctl.models.projects import OPEN_TASK_STATUSES, Project, Task
from opsctl.services import audit
from opsctl.services.access import can_act_for, manages
from opsctl.services.people import UNCHANGED
from opsctl.services.projects.owners import owner_change, owners_since_proposal

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
SETTLED = ("accepted", "cancelled")  # their plan is history: `project edit` refuses them
APPROVER_ROLES = ("manager", "admin")
MAX_BUDGET = 1e12  # a float keeps cents exactly up to here


# -- lookups and guards ------------------------------------------------------------

def key(row: Employee | Project) -> int:
    """The id of a stored (flushed) row."""
    if row.id is None:
        raise ValueError(f"{type(row).__name__} has no id yet; flush it first")
    return row.id


def get_project(session: Session, code: str, *, lock: bool = False) -> Project:
    """The project; ``lock``: for a decision (a step, an edit), locked before its status is read."""
    query = select(Project).where(Project.code == code.strip().upper())
    if lock:
        query = query.with_for_update(key_share=True).execution_options(populate_existing=True)
    project = session.exec(query).first()
    if project is None:
        raise NotFound(f"no project with code {code.strip().upper()!r}; see `opsctl project list --all`")
    return project


def require_writable(project: Project, *, what: str = "it") -> None:
    """An archived project is read-only: nothing in it may change (exit 5)."""
    if project.status == "archived":
        raise Conflict(f"project {project.code} is archived and read-only; {what} cannot change")


def project_record(session: Session, model: type[Any], record_id: int, *, what: str) -> tuple[Project, Any]:
    """A record of a project (a risk, a cost), locked for a change, with its project, which must not be
    archived; NotFound (3) names the list command for ``what``."""
    from opsctl.services.locks import lock_row

    record = lock_row(session, model, record_id)
    if record is None:
        raise NotFound(f"no {what} #{record_id}; see `opsctl project {what} list CODE`")
    project = session.get(Project, record.project_id)
    assert project is not None  # a foreign key
    require_writable(project, what=f"its {what}s")
    return project, record


def allowed_steps(status: str) -> list[str]:
    steps = [_COMMAND.get(step, step) for step, (starts, _to) in STEPS.items() if status in starts]
    return list(dict.fromkeys(steps))


def check_step(project: Project, step: str) -> str:
    """The status ``step`` leads to, if the project's status allows it (else exit 5)."""
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


def membership(session: Session, project: Project, person: Employee) -> ProjectMember | None:
    return session.exec(select(ProjectMember).where(
        ProjectMember.project_id == project.id, ProjectMember.employee_id == person.id
    )).first()


def is_member(session: Session, project: Project, person: Employee, *, role: str | None = None) -> bool:
    member = membership(session, project, person)
    return member is not None and (role is None or member.role == role)


def _owner(session: Session, project: Project) -> Employee:
    owner = session.get(Employee, project.owner_id)
    assert owner is not None  # a foreign key
    return owner


def may_manage(session: Session, actor: Employee, project: Project) -> bool:
    """The owner's manager (up the chain), any manager, or an admin."""
    return actor.role in APPROVER_ROLES or manages(session, actor, _owner(session, project))


def _require_judge(session: Session, actor: Employee, project: Project, *, action: str) -> None:
    """Who approves and reviews: the manager side (and, for reviews, designated reviewers)."""
    if actor.id in owners_since_proposal(session, project):
        held = "their own project" if actor.id == project.owner_id else \
            f"{project.code}, which they owned since its proposal"
        raise NotAllowed(f"nobody may {action} {held}; ask the owner's manager or an admin")
    if may_manage(session, actor, project):
        return
    if action == "review" and is_member(session, project, actor, role="reviewer"):
        return
    reviewers = " or a reviewer named with `project member add --role reviewer`" if action == "review" else ""
    raise NotAllowed(
        f"{actor.login} ({actor.role}) may not {action} project {project.code}: only the owner's "
        f"manager, a manager or an admin{reviewers} may"
    )


def require_owner_side(session: Session, actor: Employee, project: Project, *, action: str,
                       hint: str = "") -> None:
    if actor.id == project.owner_id or may_manage(session, actor, project):
        return
    raise NotAllowed(
        f"{actor.login} may not {action} project {project.code}: only its owner, the owner's manager, "
        f"a manager or an admin may{hint}"
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


def _check_plan(start: date | None, due: date | None, budget: float | None) -> None:
    if start and due and due < start:
        raise InvalidInput(f"the due date {due} is before the start date {start}")
    if budget is not None and budget < 0:
        raise InvalidInput(f"the budget must not be negative (got {budget:g})")
    if budget is not None and budget > MAX_BUDGET:
        raise InvalidInput(f"a budget of {budget:g} is beyond what opsctl keeps exactly; at most {MAX_BUDGET:,.0f}")


def _check_milestones(session: Session, project: Project, start: date | None, due: date | None) -> None:
    """New dates keep every open milestone within them (exit 1 names the first one outside)."""
    from opsctl.models.projects import Milestone

    query = select(Milestone).where(Milestone.project_id == project.id, col(Milestone.done_on).is_(None))
    for milestone in session.exec(query.order_by(col(Milestone.due))):
        if (start is not None and milestone.due < start) or (due is not None and milestone.due > due):
            raise InvalidInput(f"milestone #{milestone.id} {milestone.title} is due on {milestone.due}, outside "
                               f"{start or '…'} – {due or '…'}; move it first (`opsctl project milestone move "
                               f"{project.code} {milestone.id} --to DATE --reason TEXT`)")


def _goal(text: str | None) -> str | None:
    return (text or "").strip() or None


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
    _check_plan(start, due, budget)
    project = Project(
        code=code, name=_text(name, what="project name", limit=200), goal=_goal(goal),
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


def advance(
    session: Session, project: Project, *, actor: Employee, now: datetime, step: str, text: str | None,
    audited: bool = False,
) -> Project:
    """Take ``step``: a history line, and an audit entry unless the owner took it (or ``audited``)."""
    target = check_step(project, step)
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
    project = get_project(session, code, lock=True)
    check_step(project, "approve")
    _require_judge(session, actor, project, action="approve")
    return advance(session, project, actor=actor, now=now, step="approve", text=comment, audited=True)


def owner_side_project(session: Session, actor: Employee, code: str, *, step: str) -> Project:
    """The project for a step its owner or the manager side takes (start, archive, cancel), if allowed."""
    project = get_project(session, code, lock=True)
    check_step(project, step)
    require_owner_side(session, actor, project, action=step)
    return project


def start_project(session: Session, *, actor: Employee, now: datetime, code: str,
                  note: str | None = None) -> Project:
    project = owner_side_project(session, actor, code, step="start")
    return advance(session, project, actor=actor, now=now, step="start", text=note)


def open_tasks(session: Session, project: Project) -> list[tuple[Task, str | None]]:
    query = (
        select(Task, Employee.login)
        .join(Employee, col(Task.assignee_id) == Employee.id, isouter=True)
        .where(Task.project_id == project.id, col(Task.status).in_(OPEN_TASK_STATUSES))
        .order_by(col(Task.id))
    )
    return list(session.exec(query).all())


def describe_open_tasks(still_open: list[tuple[Task, str | None]]) -> str:
    """The first ten of `open_tasks` for an error message: '#3 Copy (na, todo); …; and 2 more'."""
    listed = "; ".join(f"#{t.id} {t.title} ({login or 'unassigned'}, {t.status})" for t, login in still_open[:10])
    return listed + (f"; and {len(still_open) - 10} more" if len(still_open) > 10 else "")


def submit_project(
    session: Session, *, actor: Employee, now: datetime, code: str, summary: str, force: bool = False
) -> Project:
    """Apply for acceptance (the owner's self-check is done); open tasks need ``force``."""
    project = get_project(session, code, lock=True)
    check_step(project, "submit")
    _require_owner(actor, project, _owner(session, project), action="submit")
    text = _text(summary, what="summary of the self-check")
    still_open = open_tasks(session, project)
    if still_open and not force:
        raise Conflict(
            f"project {project.code} still has {len(still_open)} open task(s): {describe_open_tasks(still_open)}; "
            "finish or cancel them, or submit anyway with --force"
        )
    if still_open:
        text += f" (submitted with open tasks: {', '.join(f'#{t.id}' for t, _ in still_open)})"
    project.round += 1
    return advance(session, project, actor=actor, now=now, step="submit", text=text)


def review_project(
    session: Session, *, actor: Employee, now: datetime, code: str, passed: bool, report: str
) -> Project:
    """Pass (→ accepted) or fail (→ active, the report becomes the rework notes)."""
    project = get_project(session, code, lock=True)
    step = "pass" if passed else "fail"
    check_step(project, step)
    _require_judge(session, actor, project, action="review")
    text = _text(report, what="review report")
    project.rework_notes = None if passed else text
    return advance(session, project, actor=actor, now=now, step=step, text=text, audited=True)


# -- editing the plan -----------------------------------------------------------------

def edit_project(
    session: Session, *, actor: Employee, now: datetime, code: str, name: str = UNCHANGED,
    owner: str = UNCHANGED, team: str | None = UNCHANGED, start: date | None = UNCHANGED,
    due: date | None = UNCHANGED, budget: float | None = UNCHANGED, goal: str | None = UNCHANGED,
) -> Project:
    """Change the given fields; None (or '') clears the team, dates, budget and goal.

    The owner's side edits; a new owner takes the manager side (an owner may not hand their project
    on alone): the new owner stops being a member and the old one stays on as one. Archived projects
    are read-only, and accepted or cancelled ones are settled: every change is refused (exit 5).
    A history line says what changed; audited unless the owner made the change.
    """
    from opsctl.services.people import get_team

    project = get_project(session, code, lock=True)
    require_writable(project, what="its details")
    if project.status in SETTLED:
        raise Conflict(f"project {project.code} is {project.status}, so its details are settled and cannot "
                       f"change; from {project.status} the allowed steps are: "
                       f"{', '.join(allowed_steps(project.status))}")
    require_owner_side(session, actor, project, action="edit")
    # everything is checked before anything changes: a refused edit leaves the project as it was
    values: dict[str, Any] = {field: value for field, value in (("start", start), ("due", due), ("budget", budget))
                              if value is not UNCHANGED}
    if name is not UNCHANGED:
        values["name"] = _text(name, what="project name", limit=200)
    if team is not UNCHANGED:
        values["team_id"] = get_team(session, team).id if team else None
    if goal is not UNCHANGED:
        values["goal"] = _goal(goal)
    _check_plan(*(values.get(field, getattr(project, field)) for field in ("start", "due", "budget")))
    if "start" in values or "due" in values:
        _check_milestones(session, project, values.get("start", project.start), values.get("due", project.due))
    leader = None if owner is UNCHANGED else _next_owner(session, actor, project, owner)
    old_owner, before = _owner(session, project), _plan(session, project)
    for field, value in values.items():
        setattr(project, field, value)
    if leader is not None:
        _hand_over(session, project, leader, now=now)
    after = _plan(session, project)
    changes = {field: [before[field], after[field]] for field in after if before[field] != after[field]}
    if not changes:
        raise InvalidInput("nothing to change; give at least one of --name, --owner, --team, --start, --due, "
                           "--budget or --goal with a new value")
    project.updated_at = now
    _record(session, project, actor=actor, now=now, step="edit", previous=project.status,
            text="; ".join(_change(field, old, new) for field, (old, new) in changes.items()))
    if actor.id != old_owner.id:
        audit.record(session, now=now, actor=actor, action="project.edit", entity="project",
                     entity_id=project.code, subject=old_owner, details=changes)
    return project


def _next_owner(session: Session, actor: Employee, project: Project, login: str) -> Employee | None:
    """The new owner, if it is somebody else; only the manager side hands a project on."""
    from opsctl.services.people import get_person

    if not login.strip():
        raise InvalidInput("a project always has an owner; give --owner LOGIN")
    leader = get_person(session, login, active_only=True)
    if leader.id == project.owner_id:
        return None
    if not may_manage(session, actor, project):
        raise NotAllowed(f"{actor.login} may not hand project {project.code} to {leader.login}: only the "
                         "owner's manager, a manager or an admin may change its owner")
    return leader


def _hand_over(session: Session, project: Project, leader: Employee, *, now: datetime) -> None:
    joined = membership(session, project, leader)
    if joined is not None:  # the owner is never also a member
        session.delete(joined)
    session.add(ProjectMember(project_id=key(project), employee_id=project.owner_id, role="member", added_at=now))
    project.owner_id = key(leader)
    session.flush()


def _plan(session: Session, project: Project) -> dict[str, Any]:
    """The editable fields as people name them (logins, team names)."""
    team = session.get(Team, project.team_id) if project.team_id else None
    return {"name": project.name, "owner": _owner(session, project).login, "team": team.name if team else None,
            "start": project.start, "due": project.due, "budget": project.budget, "goal": project.goal}


def _change(field: str, old: Any, new: Any) -> str:  # an owner change is read back by owners_since_proposal
    return owner_change(old, new) if field == "owner" else f"{field} {_shown(old)} → {_shown(new)}"


def _shown(value: Any) -> str:
    """A value in a history line: money without float noise, long text shortened."""
    if isinstance(value, float):
        return f"{value:.2f}".removesuffix(".00")
    text = "none" if value is None else str(value)
    return text if len(text) <= 60 else text[:59] + "…"
