"""A person's development record (`people profile`): who they are and under whom, how
their role and team changed, their training, certificates, KPI history, rewards and penalties
and notes.

Seen by the person, their managers, HR and admins. Notes are written by the person,
their managers, HR or an admin; a note about somebody else is audited.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, col, select

from opsctl.errors import InvalidInput
from opsctl.models.people import AuditEntry, Employee
from opsctl.models.training import DevelopmentNote
from opsctl.services.access import require_act_for
from opsctl.services.people import person_details
from opsctl.services.training.plan import audit_about

MAX_NOTE = 2000
_HISTORY_FIELDS = ("role", "team", "manager")


def person_profile(session: Session, *, viewer: Employee, person: Employee, today: date) -> dict[str, Any]:
    from opsctl.services.training.certs import EXPIRING_DAYS, list_certificates
    from opsctl.services.training.report import person_training

    require_act_for(session, viewer, person, action="see the development record")
    details = person_details(session, person)
    manager = session.get(Employee, person.manager_id) if person.manager_id else None
    training = person_training(session, viewer=viewer, person=person, today=today)
    certificates = list_certificates(session, viewer=viewer, person=person, today=today)
    flagged = [c for c in certificates if c["status"].startswith(("expired", "expires"))]
    return {
        "id": person.id, "login": person.login, "name": person.name, "role": person.role,
        "team": details["team"], "manager": details["manager"], "manager_name": manager.name if manager else None,
        "hired": person.hired, "left": person.left, "active": person.active,
        "training_hours": training["hours"], "sessions_attended": training["sessions_attended"],
        "courses_passed": training["passed"], "to_retake": training["to_retake"],
        "certificates_expiring": len(flagged), "expiring_within_days": EXPIRING_DAYS,
        "history": role_history(session, person),
        "training": training["sessions"],
        "attempts": training["attempts"],
        "certificates": certificates,
        "kpi": kpi_history(session, person, today=today),
        "notes": list_notes(session, person),
    } | merits_of(session, viewer=viewer, person=person)


def merits_of(session: Session, *, viewer: Employee, person: Employee) -> dict[str, Any]:
    """The person's approved rewards and penalties in total (points, exact amount) and every entry;
    None and [] for a viewer outside the `merits` row of SIGHT."""
    from opsctl.services.merits import person_merits

    found = person_merits(session, viewer=viewer, person=person)
    return {"merit_points": found["points"], "merit_amount": found["amount"], "merits": found["entries"]}


def kpi_history(session: Session, person: Employee, *, today: date) -> list[dict[str, Any]]:
    """Every cycle that judged the person; an open one is marked, its result being only so far."""
    from opsctl.models.kpi import KpiCycle
    from opsctl.services.kpi import person_history

    open_now = set(session.exec(select(KpiCycle.name).where(KpiCycle.status == "open")).all())
    return [
        row | {"login": person.login, "status": "open (so far)" if row["cycle"] in open_now else "closed"}
        for row in person_history(session, employee=person, today=today)
    ]


def role_history(session: Session, person: Employee) -> list[dict[str, Any]]:
    """Hiring, role/team/manager changes and leaving, from the audit log, oldest first."""
    rows: list[dict[str, Any]] = []
    if person.hired:
        rows.append({"id": None, "login": person.login, "on": person.hired, "at": None, "change": "hired",
                     "by": None})
    entries = session.exec(
        select(AuditEntry, Employee.login)
        .join(Employee, col(AuditEntry.actor_id) == Employee.id, isouter=True)
        .where((AuditEntry.subject_id == person.id) | (AuditEntry.action == "people.import"))
        .where(col(AuditEntry.action).in_(("people.add", "people.edit", "people.import", "people.deactivate")))
        .order_by(col(AuditEntry.at), col(AuditEntry.id))
    )
    for entry, by in entries:
        change = _describe(entry, json.loads(entry.details), person.login)
        if change:
            rows.append({"id": entry.id, "login": person.login, "on": None, "at": entry.at, "change": change,
                         "by": by})
    return rows


def _describe(entry: AuditEntry, details: dict[str, Any], login: str) -> str | None:
    if entry.action == "people.add":
        team = f" in team {details['team']}" if details.get("team") else ""
        manager = f", manager {details['manager']}" if details.get("manager") else ""
        return f"added as {details.get('role', 'member')}{team}{manager}"
    if entry.action == "people.edit":
        moves = [f"{field} {old or '—'} → {new or '—'}" for field, (old, new) in
                 ((f, details[f]) for f in _HISTORY_FIELDS if f in details)]
        return "; ".join(moves) or None
    if entry.action == "people.import":
        if login in details.get("added", []):
            return f"added by import of {entry.entity_id}"
        if login in details.get("updated", []):
            return f"updated by import of {entry.entity_id}"
        return None
    return f"left on {details.get('left')}"  # people.deactivate


def list_notes(session: Session, person: Employee) -> list[dict[str, Any]]:
    rows = session.exec(
        select(DevelopmentNote, Employee.login)
        .join(Employee, col(DevelopmentNote.author_id) == Employee.id, isouter=True)
        .where(DevelopmentNote.employee_id == person.id)
        .order_by(col(DevelopmentNote.at), col(DevelopmentNote.id))
    )
    return [{"id": note.id, "login": person.login, "at": note.at, "author": author, "text": note.text}
            for note, author in rows]


def add_note(session: Session, *, actor: Employee, now: datetime, person: Employee, text: str) -> DevelopmentNote:
    require_act_for(session, actor, person, action="write development notes")
    text = text.strip()
    if not text:
        raise InvalidInput("the note is empty; write what to keep in the development record")
    if len(text) > MAX_NOTE:
        raise InvalidInput(f"the note has {len(text)} characters; keep it to {MAX_NOTE}")
    note = DevelopmentNote(employee_id=person.id or 0, author_id=actor.id, at=now, text=text)
    session.add(note)
    session.flush()
    audit_about(session, now=now, actor=actor, person=person, action="people.note", entity="development_note",
                entity_id=note.id, details={"text": text})
    return note
