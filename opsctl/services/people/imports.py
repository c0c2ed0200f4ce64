"""`people import`: add or update people from CSV/XLSX, every row or none.

A file obeys the rules of `people add` and `people edit`: only an admin gives or takes the
admin role, the file must leave an active admin, nobody ends up in their own management
chain, and the importer's own row changes only what one may change in one's own record.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlmodel import Session, select

from opsctl.errors import Conflict, InvalidInput, NotAllowed, NotFound
from opsctl.models.people import Employee, Team
from opsctl.services import audit
from opsctl.services.access import (
    manager_loop,
    org_chart,
    require_own_record,
    require_role_change,
    require_roles,
)
from opsctl.services.people.employees import PEOPLE_ADMINS, check_login, check_name, check_role, person_details

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
                "name": check_name(row.get("name")),
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
    problems += _loops(session, parsed, columns)
    report_bad_rows(path, problems)
    _check_rights(session, actor, parsed, columns, existing, path=path, today=today)

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


def _loops(session: Session, parsed: list[tuple[int, dict[str, Any]]], columns: set[str]) -> list[str]:
    """A line for every person the file would put in their own management chain."""
    if "manager" not in columns:
        return []
    chart = org_chart(session) | {record["login"]: record["manager"] for _line, record in parsed}
    return [f"line {line}: {record['login']} would be in their own management chain ({' → '.join(loop)})"
            for line, record in parsed if (loop := manager_loop(chart, record["login"]))]


def _check_rights(session: Session, actor: Employee, parsed: list[tuple[int, dict[str, Any]]], columns: set[str],
                  existing: dict[str, Employee], *, path: Path, today: date) -> None:
    """Who may give which role and change their own row (exit 4), and an admin left (exit 5)."""
    admins = {person.login for person in existing.values() if person.role == "admin" and person.active}
    for line, record in parsed:
        person = existing.get(record["login"])
        given = columns if person is not None else set(record)
        role = record["role"] or (person.role if person is not None else "member")
        try:
            require_role_change(actor, record["login"], person.role if person is not None else None, role)
            if person is not None:
                shown = person_details(session, person)
                require_own_record(actor, person, (
                    column for column in given & set(shown)
                    if record[column] != shown[column] and not (column == "role" and record[column] is None)
                ))
        except NotAllowed as exc:
            raise NotAllowed(f"{path.name} line {line}: {exc.message}") from exc
        left = record["left"] if "left" in given else None
        active = (left is None or left >= today) if "left" in given or person is None else person.active
        (admins.add if role == "admin" and active else admins.discard)(record["login"])
    if not admins:
        raise Conflict(f"{path.name} leaves no active admin; keep one in the file, or make somebody else an "
                       "admin first (`opsctl people edit LOGIN --role admin`)")

