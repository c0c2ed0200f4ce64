"""A project's members and reviewers: adding, removing, and joining by getting a task.

The owner is never also a member; handing a project to a new owner is `projects.edit_project`.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from opsctl.errors import Conflict, InvalidInput, NotAllowed, NotFound
from opsctl.models.people import Employee
from opsctl.models.project_history import ProjectMember
from opsctl.models.projects import MEMBER_ROLES, Project
from opsctl.services import audit
from opsctl.services.projects.lifecycle import (
    get_project,
    is_member,
    key,
    may_manage,
    membership,
    open_tasks,
    require_owner_side,
    require_writable,
)


def add_member(
    session: Session, *, actor: Employee, now: datetime, code: str, login: str, role: str = "member"
) -> ProjectMember:
    from opsctl.services.people import get_person

    project = get_project(session, code)
    require_writable(project, what="its members")
    require_owner_side(session, actor, project, action="add members to")
    if role not in MEMBER_ROLES:
        raise InvalidInput(f"unknown project role {role!r}; roles: {', '.join(MEMBER_ROLES)}")
    person = get_person(session, login, active_only=True)
    if person.id == project.owner_id:
        raise Conflict(f"{person.login} owns {project.code}; the owner is not added as a member")
    member = membership(session, project, person)
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


def remove_member(session: Session, *, actor: Employee, now: datetime, code: str, login: str) -> ProjectMember:
    """Take someone off a project (the owner's side; members may leave themselves); audited when it is
    somebody else. Their open tasks in it must go to someone else first."""
    from opsctl.services.people import get_person

    project = get_project(session, code)
    require_writable(project, what="its members")
    person = get_person(session, login)  # people who have left are taken off too
    if person.id != actor.id:
        require_owner_side(session, actor, project, action="remove members from",
                           hint="; members may only take themselves off")
    if person.id == project.owner_id:
        raise Conflict(f"{person.login} owns {project.code} and is not a member; to hand it over: "
                       f"`opsctl project edit {project.code} --owner LOGIN`")
    member = membership(session, project, person)
    if member is None:
        raise NotFound(f"{person.login} is not a member of {project.code}; {_member_list(session, project)} "
                       f"(see `opsctl project show {project.code}`)")
    theirs = [task for task, _login in open_tasks(session, project) if task.assignee_id == person.id]
    if theirs:
        listed = ", ".join(f"#{task.id}" for task in theirs[:3])
        more = f" and {len(theirs) - 3} more" if len(theirs) > 3 else ""
        raise Conflict(
            f"{person.login} still has {len(theirs)} open task(s) in {project.code} ({listed}{more}); give them to "
            "someone else with `opsctl task assign ID LOGIN` (or finish or cancel them) first"
        )
    session.delete(member)
    project.updated_at = now
    session.flush()
    if person.id != actor.id:
        audit.record(session, now=now, actor=actor, action="project.member.rm", entity="project",
                     entity_id=project.code, subject=person, details={"role": member.role})
    return member


def _member_list(session: Session, project: Project) -> str:
    found = session.exec(
        select(Employee.login, ProjectMember.role)
        .join(ProjectMember, col(ProjectMember.employee_id) == Employee.id)
        .where(ProjectMember.project_id == project.id).order_by(Employee.login)
    ).all()
    named = [login if role == "member" else f"{login} ({role})" for login, role in found]
    return f"its members: {', '.join(named)}" if named else "it has no members"


def ensure_member(session: Session, project: Project, person: Employee, *, now: datetime) -> None:
    """Whoever gets a task in a project becomes one of its members."""
    if person.id != project.owner_id and not is_member(session, project, person):
        session.add(ProjectMember(project_id=key(project), employee_id=key(person), role="member",
                                  added_at=now))
        session.flush()


def require_on_project(session: Session, actor: Employee, project: Project, *, action: str) -> None:
    """Its owner, its members (reviewers too), and the owner's manager side (risks, costs, documents)."""
    if actor.id == project.owner_id or is_member(session, project, actor) or may_manage(session, actor, project):
        return
    raise NotAllowed(f"{actor.login} may not {action} project {project.code}: only its owner, its members, the "
                     "owner's manager, a manager or an admin may")


def project_people(session: Session, project: Project) -> list[int]:
    """The ids of a project's owner and members."""
    members = session.exec(select(ProjectMember.employee_id).where(ProjectMember.project_id == project.id)).all()
    return [project.owner_id, *members]
