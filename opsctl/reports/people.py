"""How people, teams and the audit log are shown."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from opsctl.models.people import Employee
from opsctl.reports.tabular import Column, Record, Tabular, columns
from opsctl.services.people import person_details

PEOPLE_COLUMNS = columns(
    ("login", "Login"), ("name", "Name"), ("team", "Team"), ("role", "Role"),
    ("manager", "Manager"), ("email", "Email"), ("hired", "Hired"),
)


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
        columns(("id", "#"), ("at", "When"), ("actor", "By"), ("action", "Action"),
                ("login", "About"), ("entity_id", "Record"), ("details", "Details")),
        rows,
        empty="The audit log is empty.",
    )
