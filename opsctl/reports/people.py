"""How people, teams and the audit log are shown."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from opsctl.models.people import Employee
from opsctl.reports.tabular import Column, Record, Tabular, columns
from opsctl.services.people import person_details

PEOPLE_COLUMNS = [
    Column("login", "Login", kind="login"), Column("name", "Name", min_width=8), Column("team", "Team", priority=2),
    Column("role", "Role", kind="code"), Column("manager", "Manager", kind="login", priority=2),
    Column("email", "Email", kind="id", priority=4), Column("hired", "Hired", priority=3),
]


def person_record(session: Session, person: Employee) -> Record:
    return Record(f"{person.name} ({person.login})", person_details(session, person))


def people_table(rows: list[dict[str, Any]], *, title: str = "People") -> Tabular:
    inactive = any(not row["active"] for row in rows)
    shown = PEOPLE_COLUMNS + (columns(("left", "Left")) if inactive else [])
    return Tabular(title, shown, rows, empty="No people yet; add one with `opsctl people add`.")


def team_table(rows: list[dict[str, Any]]) -> Tabular:
    return Tabular(
        "Teams",
        columns(("name", "Team"), ("lead", "Lead"), Column("members", "Members", "right")),
        rows,
        empty="No teams yet; add one with `opsctl team add NAME`.",
    )


def team_record(team: dict[str, Any]) -> Record:
    members = Tabular("Members", columns(("login", "Login"), ("name", "Name"), ("role", "Role")),
                      team["members"], empty="No members.")
    return Record(f"Team {team['name']}", team, sections=[members], hidden=("members",))


def audit_table(rows: list[dict[str, Any]]) -> Tabular:
    return Tabular(
        "Audit log",
        [Column("id", "#", kind="id"), Column("at", "When"), Column("actor", "By", kind="login"),
         Column("action", "Action", kind="code"), Column("login", "About", kind="login"),
         Column("entity_id", "Record", min_width=8, priority=2), Column("details", "Details", min_width=12)],
        rows,
        empty="The audit log is empty.",
    )
