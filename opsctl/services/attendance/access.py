"""Who may see whose attendance: the person, their managers (up the chain), the lead of
their team, HR and admins."""

from __future__ import annotations

from collections.abc import Iterable

from sqlmodel import Session, select

from opsctl.errors import NotAllowed
from opsctl.models.people import Employee, Team
from opsctl.services.access import is_hr_or_admin


def visible_ids(session: Session, viewer: Employee, people: Iterable[Employee]) -> set[int]:
    """The ids among ``people`` whose attendance ``viewer`` may see (two queries at most)."""
    people = list(people)
    if is_hr_or_admin(viewer):
        return {p.id for p in people if p.id is not None}
    managers = dict(session.exec(select(Employee.id, Employee.manager_id)).all())
    led = set(session.exec(select(Team.id).where(Team.lead_id == viewer.id)).all())
    seen: set[int] = set()
    for person in people:
        if person.id == viewer.id or (person.team_id is not None and person.team_id in led):
            seen.add(person.id or 0)
            continue
        boss, steps = managers.get(person.id), 0
        while boss is not None and steps < len(managers):
            if boss == viewer.id:
                seen.add(person.id or 0)
                break
            boss, steps = managers.get(boss), steps + 1
    return seen


def require_view(session: Session, viewer: Employee, person: Employee, *, what: str = "attendance") -> None:
    """The person, their managers, their team lead, HR and admins see a person's attendance,
    and the leave that shows in it."""
    if person.id not in visible_ids(session, viewer, [person]):
        raise NotAllowed(
            f"{viewer.login} may not see {person.login}'s {what}: only they, their manager, "
            "their team lead, HR or an admin may"
        )
