"""Who may see whose attendance: the person, their managers (up the chain), the lead of
their team, HR and admins — the `attendance` row of `opsctl.services.access.SIGHT`."""

from __future__ import annotations

from collections.abc import Iterable

from sqlmodel import Session

from opsctl.models.people import Employee
from opsctl.services import access


def visible_ids(session: Session, viewer: Employee, people: Iterable[Employee]) -> set[int]:
    """The ids among ``people`` whose attendance ``viewer`` may see (one query)."""
    return access.visible_ids(session, viewer, people, "attendance")


def require_view(session: Session, viewer: Employee, person: Employee, *, what: str = "attendance") -> None:
    """The person, their managers, their team lead, HR and admins see a person's attendance,
    and the leave that shows in it."""
    access.require_see(session, viewer, person, "attendance", what=what)
