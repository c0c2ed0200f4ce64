"""The append-only audit log: changes made to somebody else's record, and every approval."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from opsctl.models.people import AuditEntry, Employee
from opsctl.services.access import is_hr_or_admin
from opsctl.services.audit_chain import seal

ENTITY_ID_LENGTH: int = AuditEntry.__table__.c.entity_id.type.length  # type: ignore[attr-defined]


def record(
    session: Session,
    *,
    now: datetime,
    actor: Employee | None,
    action: str,
    entity: str,
    entity_id: object,
    subject: Employee | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEntry:
    entry = AuditEntry(
        at=now,
        actor_id=actor.id if actor else None,
        subject_id=subject.id if subject else None,
        action=action,
        entity=entity,
        entity_id=_shortened(str(entity_id)),
        details=json.dumps(details or {}, ensure_ascii=False, default=str, sort_keys=True),
    )
    seal(session, entry)
    session.add(entry)
    session.flush()
    return entry


def _shortened(entity_id: str) -> str:
    # The entry names its record by a key that may be a long name (a team, a file); what
    # the column cannot hold is cut, marked, rather than refusing the change it records.
    limit = ENTITY_ID_LENGTH
    return entity_id if len(entity_id) <= limit else entity_id[: limit - 1] + "…"


def list_entries(
    session: Session,
    *,
    viewer: Employee,
    person: Employee | None = None,
    since: datetime | None = None,
    action: str | None = None,
    limit: int = 200,
) -> list[dict[str, Any]]:
    """Newest first. HR and admins see everything; others what concerns or was done by them."""
    actor_t, subject_t = aliased(Employee), aliased(Employee)
    query = (
        select(AuditEntry, actor_t.login, subject_t.login)
        .join(actor_t, col(AuditEntry.actor_id) == actor_t.id, isouter=True)
        .join(subject_t, col(AuditEntry.subject_id) == subject_t.id, isouter=True)
        .order_by(col(AuditEntry.id).desc())
        .limit(limit)
    )
    if not is_hr_or_admin(viewer):
        query = query.where(
            (col(AuditEntry.subject_id) == viewer.id) | (col(AuditEntry.actor_id) == viewer.id)
        )
    if person is not None:
        query = query.where(
            (col(AuditEntry.subject_id) == person.id) | (col(AuditEntry.actor_id) == person.id)
        )
    if since is not None:
        query = query.where(col(AuditEntry.at) >= since)
    if action is not None:
        query = query.where(col(AuditEntry.action).startswith(action))
    return [
        {
            "id": entry.id,
            "at": entry.at,
            "actor": actor_login,
            "action": entry.action,
            "entity": entry.entity,
            "entity_id": entry.entity_id,
            "login": subject_login,
            "details": json.loads(entry.details),
        }
        for entry, actor_login, subject_login in session.exec(query)
    ]
