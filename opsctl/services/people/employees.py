"""Employees: who works here, in which team, under whom (teams themselves: `teams`)."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from opsctl.errors import Conflict, InvalidInput, NotFound
from opsctl.models.people import ROLES, Employee, Team
from opsctl.services import audit
from opsctl.services.access import (
    manager_loop,
    org_chart,
    refuse_non_employee,
    require_another_admin,
    require_employee,
    require_own_record,
    require_role_change,
    require_roles,
)

LOGIN_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
PEOPLE_ADMINS = ("admin", "hr")
UNCHANGED: Any = object()  # an edit's "not given": None means "clear it" (people, tasks, projects)


# -- lookups -----------------------------------------------------------------------

def get_person(session: Session, login: str, *, active_only: bool = False) -> Employee:
    person = session.exec(select(Employee).where(Employee.login == login.strip().lower())).first()
    if person is None or (active_only and not person.active):
        state = "active " if active_only and person is not None else ""
        raise NotFound(f"no {state}employee with login {login!r}; see `opsctl people list`")
    return person


def get_team(session: Session, name: str) -> Team:
    team = session.exec(select(Team).where(Team.name == name.strip())).first()
    if team is None:
        known = session.exec(select(Team.name).order_by(Team.name)).all()
        listing = f"teams: {', '.join(known)}" if known else "there are no teams yet"
        raise NotFound(f"unknown team {name!r} ({listing}); add it with `opsctl team add {name}`")
    return team


def resolve_actor(session: Session, login: str) -> Employee:
    """The acting person: an active employee, or a clear refusal (exit 4)."""
    person = session.exec(select(Employee).where(Employee.login == login.strip().lower())).first()
    return refuse_non_employee(person, login)


def team_names(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return dict(session.exec(select(Team.id, Team.name).where(col(Team.id).in_(ids))).all())  # type: ignore[arg-type]


# -- people ------------------------------------------------------------------------

def check_login(login: str) -> str:
    login = login.strip().lower()
    if not LOGIN_PATTERN.match(login):
        raise InvalidInput(
            f"not a valid login: {login!r} (letters, digits, '.', '_' or '-', starting with a "
            "letter or digit, at most 64)"
        )
    return login


def check_role(role: str) -> str:
    if role not in ROLES:
        raise InvalidInput(f"unknown role {role!r}; roles: {', '.join(ROLES)}")
    return role


def check_name(name: str) -> str:
    name = name.strip()
    if not name:
        raise InvalidInput("the name must not be empty")
    return name


def add_person(
    session: Session,
    *,
    actor: Employee | None,
    now: datetime,
    login: str,
    name: str,
    email: str | None = None,
    team: str | None = None,
    role: str = "member",
    manager: str | None = None,
    badge: str | None = None,
    hired: date | None = None,
) -> Employee:
    """Add an employee; only HR and admins may (``actor`` None is `init` itself)."""
    if actor is not None:
        require_roles(actor, *PEOPLE_ADMINS, action="add people")
    login = check_login(login)
    if actor is not None:
        require_role_change(actor, login, None, check_role(role))
    if session.exec(select(Employee.id).where(Employee.login == login)).first() is not None:
        raise Conflict(f"an employee with login {login!r} already exists; see `opsctl people show {login}`")
    _check_badge_free(session, badge)
    person = Employee(
        login=login,
        name=check_name(name),
        email=email or None,
        team_id=get_team(session, team).id if team else None,
        role=check_role(role),
        manager_id=get_person(session, manager, active_only=True).id if manager else None,
        badge=badge or None,
        hired=hired,
        created_at=now,
    )
    session.add(person)
    session.flush()
    audit.record(
        session, now=now, actor=actor, action="people.add", entity="employee",
        entity_id=person.login, subject=person, details=person_details(session, person),
    )
    return person


def _check_badge_free(session: Session, badge: str | None, *, keep: Employee | None = None) -> None:
    if not badge:
        return
    holder = session.exec(select(Employee).where(Employee.badge == badge)).first()
    if holder is not None and holder is not keep:
        raise Conflict(f"badge {badge!r} already belongs to {holder.login}")


def edit_person(
    session: Session,
    *,
    actor: Employee,
    now: datetime,
    login: str,
    name: str = UNCHANGED,
    email: str | None = UNCHANGED,
    team: str | None = UNCHANGED,
    role: str = UNCHANGED,
    manager: str | None = UNCHANGED,
    badge: str | None = UNCHANGED,
    hired: date | None = UNCHANGED,
) -> Employee:
    """Change the given fields (an empty string clears an optional one); audited.

    Checked before anything changes: only an admin gives or takes the admin role, never from the
    last admin; nobody ends up in their own management chain; one's own record only in
    `access.SELF_EDITABLE` fields.
    """
    require_roles(actor, *PEOPLE_ADMINS, action="edit people")
    person = get_person(session, login)
    values: dict[str, Any] = {}
    if name is not UNCHANGED:
        values["name"] = check_name(name)
    if email is not UNCHANGED:
        values["email"] = email or None
    if team is not UNCHANGED:
        values["team_id"] = get_team(session, team).id if team else None
    if role is not UNCHANGED:
        values["role"] = check_role(role)
    if manager is not UNCHANGED:
        values["manager_id"] = _manager_for(session, person, manager)
    if badge is not UNCHANGED:
        _check_badge_free(session, badge, keep=person)
        values["badge"] = badge or None
    if hired is not UNCHANGED:
        values["hired"] = hired
    changed = {attr for attr, value in values.items() if getattr(person, attr) != value}
    require_own_record(actor, person, (attr.removesuffix("_id") for attr in changed))
    if "role" in changed:
        require_role_change(actor, person.login, person.role, values["role"])
        require_another_admin(session, person, action="stop being one")
    before = person_details(session, person)
    for attr in changed:
        setattr(person, attr, values[attr])
    session.flush()
    after = person_details(session, person)
    changes = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    if not changes:
        raise InvalidInput("nothing to change; give at least one option (see --help)")
    audit.record(
        session, now=now, actor=actor, action="people.edit", entity="employee",
        entity_id=person.login, subject=person, details=changes,
    )
    return person


def _manager_for(session: Session, person: Employee, manager: str | None) -> int | None:
    if not manager:
        return None
    boss = get_person(session, manager, active_only=True)
    chart = org_chart(session) | {person.login: boss.login}
    loop = manager_loop(chart, person.login)
    if loop:
        raise InvalidInput(f"{boss.login} cannot manage {person.login}: that makes a loop ({' → '.join(loop)})")
    return boss.id


def deactivate_person(
    session: Session, *, actor: Employee, now: datetime, login: str, left: date
) -> Employee:
    """Mark someone as gone from ``left`` on; their history stays."""
    require_roles(actor, *PEOPLE_ADMINS, action="deactivate people")
    person = get_person(session, login)
    if not person.active:
        raise Conflict(f"{person.login} is already inactive (left {person.left})")
    if person.id == actor.id:
        raise InvalidInput("you cannot deactivate yourself; ask another admin")
    require_another_admin(session, person, action="leave")
    if person.hired and left < person.hired:
        raise InvalidInput(f"the leaving date {left} is before the hire date {person.hired}")
    person.active = False
    person.left = left
    session.flush()
    from opsctl.services.server_rules import revoke_login

    revoke_login(session, person, now=now)  # PostgreSQL: their own login goes with them
    audit.record(
        session, now=now, actor=actor, action="people.deactivate", entity="employee",
        entity_id=person.login, subject=person, details={"left": left},
    )
    return person


def reactivate_person(session: Session, *, actor: Employee, now: datetime, login: str) -> Employee:
    """Bring back someone marked as gone (a mistaken or reversed leaving); audited."""
    require_roles(actor, *PEOPLE_ADMINS, action="reactivate people")
    person = get_person(session, login)
    if person.active:
        raise Conflict(f"{person.login} is active; nothing to bring back")
    left, person.active, person.left = person.left, True, None
    session.flush()
    audit.record(session, now=now, actor=actor, action="people.reactivate", entity="employee",
                 entity_id=person.login, subject=person, details={"left": left})
    return person


def loose_ends(session: Session, person: Employee) -> list[str]:
    """What still points at ``person`` once they have left, each with the command that fixes it:
    people they manage, teams they lead, tasks still open in their name."""
    from opsctl.models.projects import OPEN_TASK_STATUSES, Task

    reports = session.exec(select(Employee.login).where(Employee.manager_id == person.id, col(Employee.active))
                           .order_by(Employee.login)).all()
    teams = session.exec(select(Team.name).where(Team.lead_id == person.id).order_by(Team.name)).all()
    tasks = session.exec(select(Task.id).where(Task.assignee_id == person.id,
                                               col(Task.status).in_(OPEN_TASK_STATUSES)).order_by(col(Task.id))).all()
    notes = []
    if reports:
        notes.append(f"{person.login} still manages {', '.join(reports)}: their leave and corrections wait for "
                     f"{person.login}; give them a manager with `opsctl people edit LOGIN --manager M`")
    notes += [f"{person.login} still leads {team}: `opsctl team edit {team!r} --lead LOGIN`" for team in teams]
    if tasks:
        shown = ", ".join(f"#{task}" for task in tasks[:5]) + (f" and {len(tasks) - 5} more" if len(tasks) > 5 else "")
        notes.append(f"{person.login} still has {len(tasks)} open task(s): {shown}; "
                     "`opsctl task assign ID LOGIN` (or cancel them)")
    return notes


def list_people(
    session: Session, *, viewer: Employee, team: str | None = None, role: str | None = None,
    include_inactive: bool = False,
) -> list[dict[str, Any]]:
    """Employees, by team (any employee may see them)."""
    require_employee(session, viewer)
    manager_t = aliased(Employee)
    query = (
        select(Employee, Team.name, manager_t.login)
        .join(Team, col(Employee.team_id) == Team.id, isouter=True)
        .join(manager_t, col(Employee.manager_id) == manager_t.id, isouter=True)
        .order_by(col(Team.name).nulls_first(), Employee.login)
    )
    if team is not None:
        query = query.where(Employee.team_id == get_team(session, team).id)
    if role is not None:
        query = query.where(Employee.role == check_role(role))
    if not include_inactive:
        query = query.where(col(Employee.active).is_(True))
    return [_person_row(p, team_name, manager_login) for p, team_name, manager_login in session.exec(query)]


def show_person(session: Session, *, viewer: Employee, login: str) -> Employee:
    """The employee `people show` shows (any employee may see anyone's record)."""
    require_employee(session, viewer)
    return get_person(session, login)


def person_details(session: Session, person: Employee) -> dict[str, Any]:
    team = session.get(Team, person.team_id) if person.team_id else None
    manager = session.get(Employee, person.manager_id) if person.manager_id else None
    return _person_row(person, team.name if team else None, manager.login if manager else None)


def _person_row(person: Employee, team: str | None, manager: str | None) -> dict[str, Any]:
    return {
        "id": person.id,
        "login": person.login,
        "name": person.name,
        "email": person.email,
        "team": team,
        "role": person.role,
        "manager": manager,
        "badge": person.badge,
        "hired": person.hired,
        "left": person.left,
        "active": person.active,
    }
