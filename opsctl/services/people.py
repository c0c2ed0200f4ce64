"""Employees: who works here, in which team, under whom (teams themselves: `teams`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from opsctl.errors import Conflict, InvalidInput, NotAllowed, NotFound
from opsctl.models.people import ROLES, Employee, Team
from opsctl.services import audit
from opsctl.services.access import require_roles

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
    if person is not None and not person.active:
        raise NotAllowed(
            f"{person.login!r} left on {person.left} and can no longer act; act as an employee with --as LOGIN "
            f"or OPSCTL_USER, or have HR bring them back: opsctl people reactivate {person.login}"
        )
    if person is None:
        raise NotAllowed(
            f"{login or '(no login)'!r} is not an employee here; act as an employee with --as LOGIN or "
            f"OPSCTL_USER, or have HR add you: opsctl people add {login or 'LOGIN'} --name 'Your Name'"
        )
    return person


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


def _check_name(name: str) -> str:
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
    if session.exec(select(Employee.id).where(Employee.login == login)).first() is not None:
        raise Conflict(f"an employee with login {login!r} already exists; see `opsctl people show {login}`")
    _check_badge_free(session, badge)
    person = Employee(
        login=login,
        name=_check_name(name),
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
    """Change the given fields (an empty string clears an optional one); audited."""
    require_roles(actor, *PEOPLE_ADMINS, action="edit people")
    person = get_person(session, login)
    before = person_details(session, person)
    if name is not UNCHANGED:
        person.name = _check_name(name)
    if email is not UNCHANGED:
        person.email = email or None
    if team is not UNCHANGED:
        person.team_id = get_team(session, team).id if team else None
    if role is not UNCHANGED:
        person.role = check_role(role)
    if manager is not UNCHANGED:
        person.manager_id = _manager_for(session, person, manager)
    if badge is not UNCHANGED:
        _check_badge_free(session, badge, keep=person)
        person.badge = badge or None
    if hired is not UNCHANGED:
        person.hired = hired
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
    seen: set[int] = set()
    walker: Employee | None = boss
    while walker is not None and walker.id not in seen:
        if walker.id == person.id:
            raise InvalidInput(f"{boss.login} cannot manage {person.login}: that makes a loop")
        seen.add(walker.id or 0)
        walker = session.get(Employee, walker.manager_id) if walker.manager_id else None
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
    if person.hired and left < person.hired:
        raise InvalidInput(f"the leaving date {left} is before the hire date {person.hired}")
    person.active = False
    person.left = left
    session.flush()
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
    session: Session, *, team: str | None = None, role: str | None = None, include_inactive: bool = False
) -> list[dict[str, Any]]:
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


# -- import --------------------------------------------------------------------------

IMPORT_COLUMNS = ("login", "name")
IMPORT_OPTIONAL = ("email", "team", "role", "manager", "badge", "hired", "left")


@dataclass
class ImportResult:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)


def import_people(
    session: Session, *, actor: Employee, now: datetime, path: Path, today: date
) -> ImportResult:
    """Add or update people from CSV/XLSX; every bad line is reported and nothing is written."""
    from opsctl.dates import parse_date
    from opsctl.tablefile import read_rows, report_bad_rows

    require_roles(actor, *PEOPLE_ADMINS, action="import people")
    rows = read_rows(path, required=IMPORT_COLUMNS, optional=IMPORT_OPTIONAL)
    columns = set(rows[0].values) if rows else set()
    existing = {p.login: p for p in session.exec(select(Employee))}
    teams = {t.name: t for t in session.exec(select(Team))}
    in_file: dict[str, int] = {}
    problems: list[str] = []
    parsed: list[tuple[int, dict[str, Any]]] = []
    for row in rows:
        try:
            login = check_login(row.get("login"))
            if login in in_file:
                raise InvalidInput(f"login {login!r} also on line {in_file[login]}")
            in_file[login] = row.line
            record: dict[str, Any] = {
                "login": login,
                "name": _check_name(row.get("name")),
                "email": row.get("email") or None,
                "role": check_role(row.get("role")) if row.get("role") else None,
                "badge": row.get("badge") or None,
                "hired": parse_date(row.get("hired"), today=today) if row.get("hired") else None,
                "left": parse_date(row.get("left"), today=today) if row.get("left") else None,
                "team": row.get("team") or None,
                "manager": row.get("manager").lower() or None,
            }
            if record["team"] and record["team"] not in teams:
                raise NotFound(f"unknown team {record['team']!r}")
            parsed.append((row.line, record))
        except (InvalidInput, NotFound) as exc:
            problems.append(f"line {row.line}: {exc.message}")
    for line, record in parsed:
        manager = record["manager"]
        if manager and manager not in existing and manager not in in_file:
            problems.append(f"line {line}: unknown manager {manager!r}")
    report_bad_rows(path, problems)

    result = ImportResult()
    for _line, record in parsed:
        person = existing.get(record["login"])
        if person is None:
            person = Employee(login=record["login"], name=record["name"], created_at=now)
            session.add(person)
            existing[person.login] = person
            result.added.append(person.login)
            given = set(record)  # a new person: what the file leaves out takes its default
        else:
            result.updated.append(person.login)
            given = columns  # an update changes what the file has a column for, nothing else
        _apply_import(person, record, given, teams=teams, today=today)
    session.flush()
    for _line, record in parsed:
        if "manager" in columns:
            manager = existing.get(record["manager"]) if record["manager"] else None
            existing[record["login"]].manager_id = manager.id if manager else None
    session.flush()
    audit.record(
        session, now=now, actor=actor, action="people.import", entity="file", entity_id=path.name,
        details={"added": result.added, "updated": result.updated},
    )
    return result


def _apply_import(person: Employee, record: dict[str, Any], given: set[str], *, teams: dict[str, Team],
                  today: date) -> None:
    """Set the fields of ``record`` whose column was ``given`` (an empty cell clears it; an empty
    role keeps the current one, or makes a new person a member)."""
    for key in ("name", "email", "badge", "hired"):
        if key in given:
            setattr(person, key, record[key])
    if "role" in given and (record["role"] or not person.role):
        person.role = record["role"] or "member"
    if "team" in given:
        person.team_id = teams[record["team"]].id if record["team"] else None
    if "left" in given:
        person.left = record["left"]
        person.active = record["left"] is None or record["left"] >= today
