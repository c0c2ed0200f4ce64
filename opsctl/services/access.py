"""Who may do what: roles, the management chain, approvals."""

from __future__ import annotations

from sqlmodel import Session

from opsctl.errors import NotAllowed
from opsctl.models.people import Employee

ADMIN_ROLES = frozenset({"hr", "admin"})


def require_roles(actor: Employee, *roles: str, action: str) -> None:
    if actor.role not in roles:
        raise NotAllowed(
            f"only {_or(roles)} may {action}; {actor.login} is {actor.role} "
            "(ask one of them, or act as one with --as LOGIN)"
        )


def is_hr_or_admin(actor: Employee) -> bool:
    return actor.role in ADMIN_ROLES


def manages(session: Session, actor: Employee, person: Employee) -> bool:
    """True when ``actor`` is ``person``'s manager, directly or further up the chain."""
    seen: set[int] = set()
    current = person
    while current.manager_id is not None and current.manager_id not in seen:
        if current.manager_id == actor.id:
            return True
        seen.add(current.manager_id)
        manager = session.get(Employee, current.manager_id)
        if manager is None:
            return False
        current = manager
    return False


def can_act_for(session: Session, actor: Employee, person: Employee) -> bool:
    """The person themself, their managers, HR and admins."""
    return actor.id == person.id or is_hr_or_admin(actor) or manages(session, actor, person)


def require_act_for(session: Session, actor: Employee, person: Employee, *, action: str) -> None:
    if not can_act_for(session, actor, person):
        raise NotAllowed(
            f"{actor.login} may not {action} for {person.login}: only they, their manager, "
            "HR or an admin may"
        )


def require_approver(session: Session, actor: Employee, person: Employee, *, what: str) -> None:
    """Approvals go to the person's manager (or HR/admin); nobody approves their own."""
    if actor.id == person.id:
        raise NotAllowed(f"nobody approves their own {what}; ask your manager, HR or an admin")
    if not (is_hr_or_admin(actor) or manages(session, actor, person)):
        raise NotAllowed(
            f"{actor.login} may not approve {person.login}'s {what}: only their manager, HR or "
            "an admin may"
        )


def _or(items: tuple[str, ...]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} or {items[-1]}"
