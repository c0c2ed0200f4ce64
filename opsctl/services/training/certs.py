"""Certificates: who holds what, until when, and which are running out.

A renewed certificate (same name, later issue) supersedes the older one, so only the
latest of each name counts when looking for what expires.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlmodel import Session, col, select

from opsctl.errors import Conflict, InvalidInput
from opsctl.models.people import Employee, Team
from opsctl.models.training import Certificate
from opsctl.services.access import require_act_for, seen_by
from opsctl.services.training.plan import audit_about

EXPIRING_DAYS = 60  # how far ahead the profile flags a certificate


def add_certificate(
    session: Session, *, actor: Employee, now: datetime, today: date, person: Employee, name: str, issued: date,
    expires: date | None = None,
) -> Certificate:
    """The person themself, their managers, HR or an admin may add one; audited when not one's own."""
    require_act_for(session, actor, person, action="add certificates")
    name = name.strip()
    if not name:
        raise InvalidInput("the certificate name must not be empty")
    if len(name) > 200:
        raise InvalidInput("the certificate name is longer than 200 characters; shorten it")
    if issued > today:
        raise InvalidInput(f"the issue date {issued} is in the future; give the date on the certificate")
    if expires is not None and expires < issued:
        raise InvalidInput(f"the expiry date {expires} is before the issue date {issued}; check --expires")
    duplicate = session.exec(
        select(Certificate.id).where(
            Certificate.employee_id == person.id, Certificate.name == name, Certificate.issued == issued
        )
    ).first()
    if duplicate is not None:
        raise Conflict(f"{person.login} already has {name!r} issued on {issued} (certificate #{duplicate})")
    cert = Certificate(employee_id=person.id or 0, name=name, issued=issued, expires=expires,
                       added_by_id=actor.id, created_at=now)
    session.add(cert)
    session.flush()
    audit_about(session, now=now, actor=actor, person=person, action="training.cert",
                 entity="training_certificate", entity_id=cert.id,
                 details={"name": name, "issued": issued, "expires": expires})
    return cert


def visible_ids(session: Session, viewer: Employee) -> set[int] | None:
    """Whose certificates ``viewer`` sees (None: everybody's): the `training` row of
    `opsctl.services.access.SIGHT`."""
    return seen_by(session, viewer, "training")


def _rows(
    session: Session, *, employee_ids: set[int] | None, today: date
) -> list[dict[str, Any]]:
    query = (
        select(Certificate, Employee, Team.name)
        .join(Employee, col(Certificate.employee_id) == Employee.id)
        .join(Team, col(Employee.team_id) == Team.id, isouter=True)
        .order_by(col(Employee.login), col(Certificate.name), col(Certificate.issued))
    )
    if employee_ids is not None:
        query = query.where(col(Certificate.employee_id).in_(employee_ids))
    return [
        {
            "id": cert.id, "login": person.login, "name": person.name, "team": team,
            "certificate": cert.name, "issued": cert.issued, "expires": cert.expires,
            "days_left": (cert.expires - today).days if cert.expires else None,
            "status": expiry_status(cert.expires, today),
            "active": person.active,
        }
        for cert, person, team in session.exec(query)
    ]


def expiry_status(expires: date | None, today: date, within: int = EXPIRING_DAYS) -> str:
    if expires is None:
        return "no expiry"
    days = (expires - today).days
    if days < 0:
        return f"expired {-days} day{'s' if days != -1 else ''} ago"
    if days == 0:
        return "expires today"
    if days <= within:
        return f"expires in {days} day{'s' if days != 1 else ''}"
    return "valid"


def list_certificates(
    session: Session, *, viewer: Employee, person: Employee | None, today: date
) -> list[dict[str, Any]]:
    """Every certificate (old ones included) of ``person``, or of everyone the viewer may see."""
    if person is not None:
        require_act_for(session, viewer, person, action="see the certificates")
        rows = _rows(session, employee_ids={person.id or 0}, today=today)
    else:
        rows = _rows(session, employee_ids=visible_ids(session, viewer), today=today)
    latest = {(row["login"], row["certificate"]): row["id"] for row in rows}  # ordered: the last one wins
    for row in rows:
        if latest[(row["login"], row["certificate"])] != row["id"]:
            row["status"] = "renewed"
    return rows


def expiring_for(
    session: Session, *, employee_ids: set[int] | None, today: date, within: int
) -> list[dict[str, Any]]:
    """The latest certificate of each name and person that has expired or expires within
    ``within`` days, soonest first; people who have left are not listed."""
    if within < 0:
        raise InvalidInput(f"--within must not be negative (got {within})")
    latest: dict[tuple[str, str], dict[str, Any]] = {}
    for row in _rows(session, employee_ids=employee_ids, today=today):
        latest[(row["login"], row["certificate"])] = row  # ordered by issue date: the last one wins
    horizon = today + timedelta(days=within)
    found = [
        row | {"status": expiry_status(row["expires"], today, within)}
        for row in latest.values()
        if row["active"] and row["expires"] is not None and row["expires"] <= horizon
    ]
    return sorted(found, key=lambda r: (r["expires"], r["login"]))


def expiring_certificates(
    session: Session, *, viewer: Employee, today: date, within: int = EXPIRING_DAYS
) -> list[dict[str, Any]]:
    return expiring_for(session, employee_ids=visible_ids(session, viewer), today=today, within=within)
