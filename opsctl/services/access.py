"""Who may do what: roles, the management chain, approvals."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sqlmodel import Session, col, select

from opsctl.errors import Conflict, NotAllowed
from opsctl.models.people import Employee

ADMIN_ROLES = frozenset({"hr", "admin"})
# What HR and admins may change in their own record; the rest (role, team, manager, hire and
# leaving dates) is changed by somebody else, so nobody grants themself rights or a friendly approver.
SELF_EDITABLE = ("name", "email", "badge")


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


# -- the org chart: roles, managers, one's own record ---------------------------------

def require_own_record(actor: Employee, person: Employee, changed: Iterable[str]) -> None:
    """HR and admins change their own record only in `SELF_EDITABLE` fields."""
    barred = sorted(set(changed) - set(SELF_EDITABLE)) if actor.id == person.id else []
    if barred:
        raise NotAllowed(
            f"{actor.login} may not change their own {', '.join(barred)} (only their {_or(SELF_EDITABLE)}); "
            "ask another HR person or an admin"
        )


def require_role_change(actor: Employee, login: str, old: str | None, new: str) -> None:
    """Only an admin makes somebody an admin, or takes the role away."""
    if old != new and "admin" in (old, new) and actor.role != "admin":
        change = f"make {login} an admin" if new == "admin" else f"take the admin role from {login}"
        raise NotAllowed(f"only an admin may {change}; {actor.login} is {actor.role}")


def require_another_admin(session: Session, person: Employee, *, action: str) -> None:
    """Never the last admin: ``person``, about to stop being an active admin, must not be the only one.
    The other admins' rows are locked (PostgreSQL), so two admins cannot remove each other at once."""
    if person.role != "admin" or not person.active:
        return
    others = session.exec(select(Employee.id).where(
        Employee.role == "admin", col(Employee.active), Employee.id != person.id
    ).with_for_update(key_share=True)).all()
    if not others:
        raise Conflict(f"{person.login} is the only active admin, so cannot {action}; make somebody else "
                       "an admin first (`opsctl people edit LOGIN --role admin`)")


def org_chart(session: Session) -> dict[str, str | None]:
    """Everyone's login and their manager's login."""
    logins = dict(session.exec(select(Employee.id, Employee.login)).all())
    return {login: logins.get(manager) if manager else None
            for login, manager in session.exec(select(Employee.login, Employee.manager_id))}


def manager_loop(chart: Mapping[str, str | None], login: str) -> list[str] | None:
    """The loop through ``login`` that following managers in ``chart`` runs into, or None
    (``['wei', 'mona', 'wei']``: nobody is their own manager, or in their own chain)."""
    path, current = [login], chart.get(login)
    while current is not None and current not in path:
        path.append(current)
        current = chart.get(current)
    return [*path, login] if current == login else None


def _or(items: tuple[str, ...]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} or {items[-1]}"
