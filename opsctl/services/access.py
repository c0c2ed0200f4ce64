"""Who may do what about whom: roles, the org chart (managers, teams, leads), who sees
whose records (`SIGHT`, one row per area), approvals, and the reason a decision gives.

Every area asks here; none walks a management chain of its own."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, col, select

from opsctl.errors import Conflict, InvalidInput, NotAllowed
from opsctl.models.people import Employee, Team

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


def require_employee(session: Session, viewer: Employee) -> None:
    """The read rule: only a known, active employee reads anything (NotAllowed, exit 4). Every
    read service starts with it, so no command can forget it (`state.actor` refuses the same)."""
    refuse_non_employee(session.get(Employee, viewer.id) if viewer.id is not None else None, viewer.login)


def refuse_non_employee(person: Employee | None, login: str) -> Employee:
    """``person`` (as stored; None: nobody has ``login``) if an active employee, else NotAllowed."""
    if person is not None and not person.active:
        raise NotAllowed(
            f"{person.login!r} left on {person.left} and can no longer act; act as an employee with --as LOGIN "
            f"or OPSCTL_USER, or have HR bring them back: opsctl people reactivate {person.login}"
        )
    if person is None:
        raise NotAllowed(
            f"{login or '(no login)'!r} is not an employee here; act as an employee with --as LOGIN or "
            f"OPSCTL_USER, or have HR add you: opsctl people add {login or 'LOGIN'} --name 'Your Name'"
        )
    return person


@dataclass(frozen=True)
class OrgChart:
    """Who is under whom: everyone's manager and team, every team's lead (active or not,
    as stored), read with one query. Load it once per command and ask it as often as needed."""

    managers: dict[int, int | None]
    teams: dict[int, int | None]
    leads: dict[int, int | None] = field(default_factory=dict)

    @classmethod
    def load(cls, session: Session) -> OrgChart:
        rows = session.exec(
            select(Employee.id, Employee.manager_id, Employee.team_id, Team.lead_id)
            .join(Team, col(Employee.team_id) == Team.id, isouter=True)
        ).all()
        return cls(managers={person: manager for person, manager, _team, _lead in rows if person is not None},
                   teams={person: team for person, _manager, team, _lead in rows if person is not None},
                   leads={team: lead for _person, _manager, team, lead in rows if team is not None})

    def chain(self, person_id: int | None) -> list[int]:
        """``person``'s manager, their manager, … (a loop in the data stops the walk)."""
        found: list[int] = []
        boss = self.managers.get(person_id or 0)
        while boss is not None and boss not in found and boss != person_id:
            found.append(boss)
            boss = self.managers.get(boss)
        return found

    def manages(self, boss_id: int | None, person_id: int | None) -> bool:
        return boss_id is not None and boss_id in self.chain(person_id)

    def reports_of(self, manager_id: int | None) -> set[int]:
        """Everyone below ``manager`` in the management chain, however far down."""
        below: dict[int, list[int]] = {}
        for person, boss in self.managers.items():
            if boss is not None:
                below.setdefault(boss, []).append(person)
        found: set[int] = set()
        todo = list(below.get(manager_id or 0, []))
        while todo:
            person = todo.pop()
            if person not in found and person != manager_id:
                found.add(person)
                todo.extend(below.get(person, []))
        return found

    def team_of(self, person_id: int | None) -> int | None:
        return self.teams.get(person_id or 0)

    def lead_of(self, team_id: int | None) -> int | None:
        return self.leads.get(team_id or 0)

    def members_of(self, team_ids: Iterable[int | None]) -> set[int]:
        wanted = {t for t in team_ids if t is not None}
        return {person for person, team in self.teams.items() if team in wanted}

    def seen_by(self, viewer: Employee, area: str) -> set[int] | None:
        """The ids of the people whose ``area`` records ``viewer`` sees; None: everybody."""
        sight = SIGHT[area]
        if viewer.role in sight.see_all:
            return None
        seen = {viewer.id or 0}
        if sight.managers:
            seen |= self.reports_of(viewer.id)
        led = {team for team, lead in self.leads.items() if sight.team_lead and lead == viewer.id}
        if sight.lead_role_own_team and viewer.role == "lead" and viewer.team_id is not None:
            led.add(viewer.team_id)
        return seen | self.members_of(led)

    def can_see(self, viewer: Employee, person: Employee, area: str) -> bool:
        seen = self.seen_by(viewer, area)
        return seen is None or person.id in seen


@dataclass(frozen=True)
class Sight:
    """Who sees one area's records of a person. The person themself always does."""

    who: str                                # for the refusal: "only {who} may"
    see_all: frozenset[str] = ADMIN_ROLES   # roles that see everybody's
    managers: bool = True                   # everyone up the person's manager chain
    team_lead: bool = False                 # the lead of the person's team (`team edit --lead`)
    lead_role_own_team: bool = False        # anyone whose role is `lead`: the people of their own team


_CHAIN_ONLY = Sight(who="they, their manager, HR or an admin")
_WITH_LEAD = Sight(team_lead=True, who="they, their manager, their team lead, HR or an admin")

# Who sees whose records, per area. The rows differ where the areas did before this table
# existed; the differences are kept (tests rely on them) and are questions for the team:
# why KPI results are open to every `manager` and to a `lead` role's own team, and why team
# leads see attendance and leave but not certificates, development records or meetings.
SIGHT: dict[str, Sight] = {
    "attendance": _WITH_LEAD,
    "leave": _WITH_LEAD,  # leave shows in the attendance, so the same people see it
    # A work report (日报/周报) goes up the line it reports to: the manager chain and the team
    # lead, who plans the team's week and reviews it (`report review`), see it; so do HR and admins,
    # as with attendance. Not other managers, nor a `lead` role of another team.
    "workreports": _WITH_LEAD,
    "kpi": Sight(see_all=ADMIN_ROLES | {"manager"}, team_lead=True, lead_role_own_team=True,
                 who="they, their manager, their team lead, managers, HR or an admin"),
    "training": _CHAIN_ONLY,   # certificates and training records
    "profile": _CHAIN_ONLY,    # the development record (`people profile`)
    "meetings": _CHAIN_ONLY,   # a meeting is seen by who sees one of its people (plus attendees)
    # A project's documents (contracts, reports) are read by who sees one of its people: its owner
    # and members, their manager chain, HR and admins (`require_see_any`); not every employee.
    "project_documents": Sight(who="the project's owner and members, their managers, HR or an admin"),
    # What follows from a score is about one person and their managers: an appraisal talk
    # (the person's own comment, a disagreement), an improvement plan, a reward or penalty
    # (money). Unlike results (a ranking every manager compares), and unlike attendance, they
    # are not for the team lead or other managers: the person, their manager chain, HR, admins.
    "talks": _CHAIN_ONLY,
    "plans": _CHAIN_ONLY,
    "merits": _CHAIN_ONLY,
}


def seen_by(session: Session, viewer: Employee, area: str) -> set[int] | None:
    """`OrgChart.seen_by`, without reading the chart for a viewer who sees everybody's (None)."""
    return None if viewer.role in SIGHT[area].see_all else OrgChart.load(session).seen_by(viewer, area)


def visible_ids(session: Session, viewer: Employee, people: Iterable[Employee], area: str) -> set[int]:
    """The ids among ``people`` whose ``area`` records ``viewer`` may see (one query; none
    for a viewer who sees everybody's)."""
    people = [p for p in people if p.id is not None]
    everybody = viewer.role in SIGHT[area].see_all
    seen = None if everybody else OrgChart.load(session).seen_by(viewer, area) if people else set()
    return {p.id for p in people if p.id is not None and (seen is None or p.id in seen)}


def can_see(session: Session, viewer: Employee, person: Employee, area: str) -> bool:
    return person.id in visible_ids(session, viewer, [person], area)


def require_see(session: Session, viewer: Employee, person: Employee, area: str, *, what: str) -> None:
    """NotAllowed (exit 4) unless ``viewer`` sees ``person``'s ``area`` records (`SIGHT`)."""
    if not can_see(session, viewer, person, area):
        raise NotAllowed(f"{viewer.login} may not see {person.login}'s {what}: only {SIGHT[area].who} may")


def seen_rows(session: Session, viewer: Employee, column: Any, area: str, *, person: Employee | None = None,
              what: str) -> list[Any]:
    """The conditions that keep a query of ``area`` records (whose person is ``column``) to what
    ``viewer`` sees; with ``person``, to theirs, refused (exit 4) when ``viewer`` may not see them."""
    where = []
    seen = seen_by(session, viewer, area)
    if seen is not None:
        where.append(column.in_(seen))
    if person is not None:
        require_see(session, viewer, person, area, what=what)
        where.append(column == person.id)
    return where


def require_see_any(session: Session, viewer: Employee, people: Iterable[int], area: str, *, what: str) -> None:
    """NotAllowed (exit 4) unless ``viewer`` sees the ``area`` records of one of ``people`` (ids):
    what belongs to a group (a project's documents) is seen by who sees one of its people."""
    sight = SIGHT[area]
    if viewer.role in sight.see_all:
        return
    seen = OrgChart.load(session).seen_by(viewer, area)
    if seen is not None and not seen & set(people):
        raise NotAllowed(f"{viewer.login} may not see {what}: only {sight.who} may")


def manages(session: Session, actor: Employee, person: Employee) -> bool:
    """True when ``actor`` is ``person``'s manager, directly or further up the chain."""
    return OrgChart.load(session).manages(actor.id, person.id)


def can_act_for(session: Session, actor: Employee, person: Employee) -> bool:
    """The person themself, their managers, HR and admins."""
    return actor.id == person.id or is_hr_or_admin(actor) or manages(session, actor, person)


def require_act_for(session: Session, actor: Employee, person: Employee, *, action: str) -> None:
    if not can_act_for(session, actor, person):
        raise NotAllowed(
            f"{actor.login} may not {action} for {person.login}: only they, their manager, "
            "HR or an admin may"
        )


def may_approve(chart: OrgChart, actor: Employee, person: Employee) -> bool:
    """Approvals go to the person's manager (up the chain) or HR/admin; nobody approves their own."""
    return actor.id != person.id and (is_hr_or_admin(actor) or chart.manages(actor.id, person.id))


def require_approver(session: Session, actor: Employee, person: Employee, *, what: str) -> None:
    """Approvals go to the person's manager (or HR/admin); nobody approves their own."""
    if actor.id == person.id:
        raise NotAllowed(f"nobody approves their own {what}; ask your manager, HR or an admin")
    if not may_approve(OrgChart.load(session), actor, person):
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


MAX_REASON = 500


def check_reason(reason: str | None, option: str = "--reason") -> str:
    """The reason a request or decision gives, stripped: 1–`MAX_REASON` characters."""
    checked = optional_reason(reason, option)
    if checked is None:
        raise InvalidInput(f"say why with {option} (1–{MAX_REASON} characters)")
    return checked


def optional_reason(reason: str | None, option: str = "--reason") -> str | None:
    """Like `check_reason`, where saying why is optional: None when not given."""
    reason = (reason or "").strip()
    if len(reason) > MAX_REASON:
        raise InvalidInput(f"{option} is {len(reason)} characters long; at most {MAX_REASON}, please")
    return reason or None


def _or(items: tuple[str, ...]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} or {items[-1]}"
