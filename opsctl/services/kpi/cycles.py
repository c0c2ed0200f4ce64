"""KPI cycles: open one for a month, quarter or year (for everybody or one team), close it
(scores locked, members and computed indicators frozen), list them.

Who a cycle judges while it is open: the people of its team (a cycle for everybody: every
employee who belongs to a team) who were employed during the cycle, plus anybody who has
been scored in it. Closing freezes that list.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import select as sa_select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, func, select

from opsctl.dates import Period
from opsctl.errors import Conflict, InvalidInput, NotFound
from opsctl.models.kpi import KpiCycle, KpiMember, KpiScore, KpiTemplate
from opsctl.models.people import Employee, Team
from opsctl.services import audit
from opsctl.services.access import require_employee, require_roles
from opsctl.services.kpi.templates import KPI_ORGANISERS, STANDARD_NAME, get_template
from opsctl.services.locks import lock_name, lock_row
from opsctl.services.people import get_team


def cycles_named(session: Session, names: Iterable[str]) -> list[KpiCycle]:
    return list(session.exec(
        select(KpiCycle).where(col(KpiCycle.name).in_(list(names))).order_by(col(KpiCycle.start), col(KpiCycle.id))))


def no_cycle(session: Session, name: str) -> NotFound:
    recent = session.exec(select(KpiCycle.name).distinct().order_by(col(KpiCycle.name).desc()).limit(6)).all()
    known = f"cycles: {', '.join(recent)}" if recent else "there are no cycles yet"
    return NotFound(f"no KPI cycle {name} ({known}); open one with `opsctl kpi cycle open {name}`")


def get_cycle(session: Session, period: Period, *, team: str | None = None) -> KpiCycle:
    """The cycle of ``period`` (of ``team`` when given; needed when teams have their own)."""
    found = cycles_named(session, [period.label])
    if team is not None:
        team_id = get_team(session, team).id
        found = [c for c in found if c.team_id == team_id]
    if not found:
        raise no_cycle(session, period.label + (f" for team {team}" if team else ""))
    if len(found) > 1:
        names = _team_names(session)
        teams = ", ".join(names.get(c.team_id or 0, "?") for c in found)
        raise InvalidInput(f"{period.label} has one cycle per team ({teams}); say which with --team")
    return found[0]


def cycle_for(session: Session, period: Period, person: Employee,
              found: list[KpiCycle] | None = None) -> KpiCycle:
    """The cycle of ``period`` that judges ``person``: their team's, else the one for everybody.
    ``found``: the period's cycles when the caller has them already (an import, row by row)."""
    if found is None:
        found = cycles_named(session, [period.label])
    if not found:
        raise no_cycle(session, period.label)
    for cycle in found:
        if cycle.team_id is None or cycle.team_id == person.team_id:
            return cycle
    names = _team_names(session)
    teams = ", ".join(names.get(c.team_id or 0, "?") for c in found)
    raise InvalidInput(f"{person.login} is in no cycle {period.label} (it is open for {teams} only)")


def _team_names(session: Session) -> dict[int, str]:
    return {t.id or 0: t.name for t in session.exec(select(Team))}


def employed_during(person: Employee, start: date, end: date) -> bool:
    return (person.hired is None or person.hired <= end) and (person.left is None or person.left >= start)


def in_scope(cycle: KpiCycle, person: Employee) -> bool:
    """Whether an open cycle judges ``person`` without their having been scored."""
    team_fits = person.team_id is not None if cycle.team_id is None else person.team_id == cycle.team_id
    return team_fits and employed_during(person, cycle.start, cycle.end)


def check_judged(cycle: KpiCycle, person: Employee, team_names: dict[int, str]) -> None:
    """Refuse to score somebody the cycle cannot judge (another team's cycle, not employed then)."""
    if cycle.team_id is not None and person.team_id != cycle.team_id:
        raise InvalidInput(f"cycle {cycle.name} is for team {team_names.get(cycle.team_id, '?')}; "
                           f"{person.login} is not in it")
    if not employed_during(person, cycle.start, cycle.end):
        when = f"hired {person.hired}" if person.hired and person.hired > cycle.end else f"left {person.left}"
        raise InvalidInput(f"{person.login} did not work here during {cycle.name} ({when})")


def members(session: Session, cycles: list[KpiCycle]) -> dict[int, dict[int, dict[str, Any]]]:
    """Who each cycle judges: cycle id → employee id → frozen computed values ({} while open)."""
    result: dict[int, dict[int, dict[str, Any]]] = {c.id or 0: {} for c in cycles}
    closed = [c.id for c in cycles if c.status == "closed"]
    if closed:
        for cycle_id, employee_id, computed in session.exec(
            select(KpiMember.cycle_id, KpiMember.employee_id, KpiMember.computed)
            .where(col(KpiMember.cycle_id).in_(closed))
        ):
            result[cycle_id][employee_id] = json.loads(computed)
    open_cycles = [c for c in cycles if c.status == "open"]
    if open_cycles:
        people = session.exec(select(Employee)).all()
        scored = session.exec(
            select(KpiScore.cycle_id, KpiScore.employee_id).distinct()
            .where(col(KpiScore.cycle_id).in_([c.id for c in open_cycles]))
        ).all()
        for cycle in open_cycles:
            judged = result[cycle.id or 0]
            judged.update({p.id or 0: {} for p in people if in_scope(cycle, p)})
            judged.update({employee_id: {} for cycle_id, employee_id in scored if cycle_id == cycle.id})
    return result


# -- opening and closing ------------------------------------------------------------------

def open_cycle(
    session: Session, *, actor: Employee, now: datetime, period: Period, template: str | None = None,
    team: str | None = None,
) -> KpiCycle:
    require_roles(actor, *KPI_ORGANISERS, action="open KPI cycles")
    chosen = get_template(session, template or STANDARD_NAME)
    team_id = get_team(session, team).id if team else None
    lock_name(session, "kpi_cycle", period.label)  # one opening of a period at a time; see also the unique indexes
    for other in cycles_named(session, [period.label]):
        if other.team_id == team_id:
            raise Conflict(f"cycle {period.label}{f' for {team}' if team else ''} is already {other.status}; "
                           "see `opsctl kpi cycle list`")
        if other.team_id is None or team_id is None:
            raise Conflict(
                f"{period.label} already has a cycle for {'everybody' if other.team_id is None else 'a team'}; "
                "a period has one cycle for everybody or one per team, not both")
    cycle = KpiCycle(name=period.label, kind=period.kind, start=period.start, end=period.end,
                     template_id=chosen.id or 0, team_id=team_id, status="open", opened_by_id=actor.id or 0,
                     opened_at=now)
    session.add(cycle)
    session.flush()
    audit.record(session, now=now, actor=actor, action="kpi.cycle.open", entity="kpi_cycle",
                 entity_id=period.label, details={"template": chosen.name, "team": team})
    return cycle


def hold_open(session: Session, cycles: Iterable[KpiCycle]) -> None:
    """Lock ``cycles`` (shared) and read their status afresh: scores may go in together, and a
    cycle being closed meanwhile waits for them (or they see it closed)."""
    for cycle in cycles:
        lock_row(session, KpiCycle, cycle.id, shared=True)


def require_open(cycle: KpiCycle, session: Session) -> None:
    if cycle.status == "closed":
        closer = session.get(Employee, cycle.closed_by_id) if cycle.closed_by_id else None
        when = f" on {cycle.closed_at:%Y-%m-%d}" if cycle.closed_at else ""
        raise Conflict(f"cycle {cycle.name} was closed{when}{f' by {closer.login}' if closer else ''}; "
                       "its scores are locked")


def close_cycle(session: Session, *, actor: Employee, now: datetime, today: date, cycle: KpiCycle) -> KpiCycle:
    """Lock the scores and freeze who was judged and their computed indicators."""
    from opsctl.services.kpi.sources import compute_sources
    from opsctl.services.kpi.templates import template_indicators

    require_roles(actor, *KPI_ORGANISERS, action="close KPI cycles")
    lock_row(session, KpiCycle, cycle.id)  # read afresh: closed meanwhile by somebody else?
    require_open(cycle, session)
    if today < cycle.end:
        raise Conflict(f"cycle {cycle.name} runs until {cycle.end}; close it on or after that day")
    judged = members(session, [cycle])[cycle.id or 0]
    people = list(session.exec(select(Employee).where(col(Employee.id).in_(list(judged)))))
    indicators = template_indicators(session, {cycle.template_id})[cycle.template_id]
    computed = compute_sources(session, indicators=indicators, people=people, start=cycle.start, end=cycle.end,
                               today=today)
    for person in people:
        values = {key: {"value": None if c.value is None else str(c.value), "detail": c.detail}
                  for key, by_person in computed.items() if (c := by_person.get(person.id or 0)) is not None}
        session.add(KpiMember(cycle_id=cycle.id or 0, employee_id=person.id or 0, computed=json.dumps(values)))
    cycle.status, cycle.closed_at, cycle.closed_by_id = "closed", now, actor.id
    session.flush()
    audit.record(session, now=now, actor=actor, action="kpi.cycle.close", entity="kpi_cycle",
                 entity_id=cycle.name, details={"members": len(people)})
    return cycle


def list_cycles(session: Session, *, viewer: Employee) -> list[dict[str, Any]]:
    """Every cycle, newest first (any employee may see them)."""
    require_employee(session, viewer)
    return _cycle_rows(session)


def _cycle_rows(session: Session) -> list[dict[str, Any]]:
    opener, closer = aliased(Employee), aliased(Employee)
    query = (
        sa_select(KpiCycle, col(KpiTemplate.name), col(Team.name), col(opener.login), col(closer.login))
        .join(KpiTemplate, col(KpiCycle.template_id) == KpiTemplate.id)
        .join(Team, col(KpiCycle.team_id) == Team.id, isouter=True)
        .join(opener, col(KpiCycle.opened_by_id) == opener.id)
        .join(closer, col(KpiCycle.closed_by_id) == closer.id, isouter=True)
        .order_by(col(KpiCycle.start).desc(), col(KpiCycle.end), col(Team.name).nulls_first())
    )
    rows = session.execute(query).all()
    cycles = [row[0] for row in rows]
    judged = members(session, cycles)
    scored = dict(session.exec(
        select(col(KpiScore.cycle_id), func.count(func.distinct(KpiScore.employee_id))).group_by(col(KpiScore.cycle_id))
    ).all())
    return [cycle_row(cycle, template, team, opened_by, closed_by, len(judged[cycle.id or 0]),
                      scored.get(cycle.id, 0))
            for cycle, template, team, opened_by, closed_by in rows]


def cycle_row(cycle: KpiCycle, template: str, team: str | None, opened_by: str | None, closed_by: str | None,
              people: int | None = None, scored: int | None = None) -> dict[str, Any]:
    return {
        "id": cycle.id, "cycle": cycle.name, "kind": cycle.kind, "start": cycle.start, "end": cycle.end,
        "team": team, "template": template, "status": cycle.status, "people": people, "scored": scored,
        "opened_by": opened_by, "opened_at": cycle.opened_at, "closed_by": closed_by, "closed_at": cycle.closed_at,
    }


def describe_cycle(session: Session, cycle: KpiCycle) -> dict[str, Any]:
    """One cycle as `kpi cycle list` shows it (for the write commands' output)."""
    for row in _cycle_rows(session):
        if row["id"] == cycle.id:
            return row
    raise NotFound(f"no KPI cycle {cycle.name}")
