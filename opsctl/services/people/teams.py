"""Teams: their names and leads (a team's lead sees its attendance and KPI results)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import aliased
from sqlmodel import Session, col, func, select

from opsctl.errors import Conflict, InvalidInput
from opsctl.models.people import Employee, Team
from opsctl.services import audit
from opsctl.services.access import require_employee, require_roles
from opsctl.services.people.employees import PEOPLE_ADMINS, UNCHANGED, get_person, get_team, list_people


def add_team(session: Session, *, actor: Employee, now: datetime, name: str, lead: str | None = None) -> Team:
    require_roles(actor, *PEOPLE_ADMINS, action="add teams")
    name = _free_name(session, name)
    team = Team(name=name, created_at=now)
    if lead:
        team.lead_id = get_person(session, lead, active_only=True).id
    session.add(team)
    session.flush()
    audit.record(session, now=now, actor=actor, action="team.add", entity="team", entity_id=name)
    return team


def edit_team(session: Session, *, actor: Employee, now: datetime, name: str, new_name: str = UNCHANGED,
              lead: str | None = UNCHANGED) -> Team:
    """Rename a team or change its lead (None or '' for none); HR and admins, audited.

    The lead must be one of the team's members (leading a team lets one see its attendance
    and KPI results). A rename carries over to the training plan items aimed at the team.
    """
    require_roles(actor, *PEOPLE_ADMINS, action="edit teams")
    team = get_team(session, name)
    before = _shown(session, team)
    if new_name is not UNCHANGED and new_name.strip() != team.name:
        team.name = _free_name(session, new_name, renaming=team)
        _rename_audiences(session, before["name"], team.name)
    if lead is not UNCHANGED:
        team.lead_id = _member(session, team, lead).id if lead else None
    after = _shown(session, team)
    changes = {key: [before[key], after[key]] for key in after if before[key] != after[key]}
    if not changes:
        raise InvalidInput(f"nothing to change for team {team.name}; give --name NEW or --lead LOGIN "
                           "('' for no lead) with a new value")
    session.flush()
    audit.record(session, now=now, actor=actor, action="team.edit", entity="team", entity_id=team.name,
                 details=changes)
    return team


def _member(session: Session, team: Team, login: str) -> Employee:
    person = get_person(session, login, active_only=True)
    if person.team_id != team.id:
        elsewhere = session.get(Team, person.team_id) if person.team_id else None
        where = f"in {elsewhere.name}" if elsewhere else "in no team"
        raise InvalidInput(f"{person.login} is {where}, not {team.name}, so cannot lead it; move them first: "
                           f"opsctl people edit {person.login} --team {team.name!r}")
    return person


def _rename_audiences(session: Session, old: str, new: str) -> None:
    from opsctl.models.training import TrainingPlan

    for plan in session.exec(select(TrainingPlan).where(TrainingPlan.audience == f"team:{old}")):
        plan.audience = f"team:{new}"


def _free_name(session: Session, name: str, *, renaming: Team | None = None) -> str:
    name = name.strip()
    if not name:
        raise InvalidInput("the team name must not be empty")
    query = select(Team.name).where(func.lower(Team.name) == name.lower())
    if renaming is not None:  # `Ops` → `OPS` is a rename, not a clash
        query = query.where(Team.id != renaming.id)
    taken = session.exec(query).first()
    if taken is not None:  # `Operations` and `operations` would be two teams nobody tells apart
        raise Conflict(f"a team named {taken!r} already exists")
    return name


def _shown(session: Session, team: Team) -> dict[str, Any]:
    lead = session.get(Employee, team.lead_id) if team.lead_id else None
    return {"name": team.name, "lead": lead.login if lead else None}


def list_teams(session: Session, *, viewer: Employee) -> list[dict[str, Any]]:
    """Teams with their lead and number of members (any employee may see them)."""
    require_employee(session, viewer)
    lead_t = aliased(Employee)
    members = (
        select(Employee.team_id, func.count().label("n"))
        .where(col(Employee.active).is_(True))
        .group_by(col(Employee.team_id))
        .subquery()
    )
    query = (
        select(Team, lead_t.login, members.c.n)
        .join(lead_t, col(Team.lead_id) == lead_t.id, isouter=True)
        .join(members, members.c.team_id == Team.id, isouter=True)
        .order_by(Team.name)
    )
    return [
        {"id": team.id, "name": team.name, "lead": lead, "members": count or 0}
        for team, lead, count in session.exec(query)
    ]


def show_team(session: Session, name: str, *, viewer: Employee) -> dict[str, Any]:
    """A team, its lead and its members (any employee may see them)."""
    require_employee(session, viewer)
    team = get_team(session, name)
    members = list_people(session, viewer=viewer, team=team.name)
    return {
        "id": team.id,
        **_shown(session, team),
        "members": [{"login": m["login"], "name": m["name"], "role": m["role"]} for m in members],
    }
