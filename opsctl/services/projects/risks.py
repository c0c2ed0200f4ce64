"""A project's risks: identified with a likelihood and an impact (1–5 each; the level is their
product, 1–25), owned by someone who reviews them by a date, updated and closed.

High risks (level ≥ `HIGH_LEVEL`) show in `project show` and in their owner's `today`; a review
date that has passed shows as overdue. Updating a risk is a review: without ``--review`` the
next one is `REVIEW_DAYS` days on.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlmodel import Session, col, select

from opsctl.errors import Conflict, InvalidInput, NotAllowed
from opsctl.models.people import Employee
from opsctl.models.project_plans import Risk
from opsctl.models.projects import Project
from opsctl.services import audit
from opsctl.services.access import optional_reason, require_employee
from opsctl.services.people import UNCHANGED
from opsctl.services.projects.lifecycle import _text, get_project, key, may_manage, project_record, require_writable
from opsctl.services.projects.members import require_on_project

HIGH_LEVEL = 15     # 3×5, 4×4, 5×3 and above: watched in `project show` and the owner's `today`
MEDIUM_LEVEL = 8
REVIEW_DAYS = 14


def level_of(likelihood: int, impact: int) -> int:
    return likelihood * impact


def band(level: int) -> str:
    return "high" if level >= HIGH_LEVEL else "medium" if level >= MEDIUM_LEVEL else "low"


def _score(value: int, option: str) -> int:
    if not 1 <= value <= 5:
        raise InvalidInput(f"{option} must be from 1 (lowest) to 5 (highest), not {value}")
    return value


def _review(review_on: date | None, today: date) -> date:
    if review_on is None:
        return today + timedelta(days=REVIEW_DAYS)
    if review_on < today:
        raise InvalidInput(f"--review {review_on} is in the past; give today or a later date")
    return review_on


def add_risk(session: Session, *, actor: Employee, now: datetime, today: date, code: str, text: str,
             likelihood: int, impact: int, owner: str, trigger: str | None = None, response: str | None = None,
             review_on: date | None = None) -> Risk:
    """Identify a risk (anyone on the project); its owner watches it."""
    from opsctl.services.people import get_person

    project = get_project(session, code)
    require_writable(project, what="its risks")
    require_on_project(session, actor, project, action="add risks to")
    risk = Risk(
        project_id=key(project), text=_text(text, what="risk's description", limit=500),
        likelihood=_score(likelihood, "--likelihood"), impact=_score(impact, "--impact"),
        owner_id=key(get_person(session, owner, active_only=True)),
        trigger=optional_reason(trigger, "--trigger"), response=optional_reason(response, "--response"),
        review_on=_review(review_on, today), status="open", created_by_id=key(actor), created_at=now,
        updated_at=now,
    )
    session.add(risk)
    session.flush()
    return risk


def _changeable(session: Session, actor: Employee, risk_id: int, *, action: str) -> tuple[Project, Risk]:
    project, risk = project_record(session, Risk, risk_id, what="risk")
    if actor.id not in (risk.owner_id, project.owner_id) and not may_manage(session, actor, project):
        raise NotAllowed(f"{actor.login} may not {action} risk #{risk.id}: only its owner, the project's owner, "
                         "the owner's manager, a manager or an admin may")
    if risk.status == "closed":
        raise Conflict(f"risk #{risk.id} is closed ({risk.close_note or 'no note'}); add a new one if it is back")
    return project, risk


def update_risk(session: Session, *, actor: Employee, now: datetime, today: date, risk_id: int,
                likelihood: int = UNCHANGED, impact: int = UNCHANGED, owner: str = UNCHANGED,
                trigger: str | None = UNCHANGED, response: str | None = UNCHANGED,
                review_on: date | None = UNCHANGED) -> Risk:
    """Review a risk: new scores, owner, trigger or response; the next review date moves on."""
    from opsctl.services.people import get_person

    _project, risk = _changeable(session, actor, risk_id, action="update")
    values: dict[str, Any] = {}
    if likelihood is not UNCHANGED:
        values["likelihood"] = _score(likelihood, "--likelihood")
    if impact is not UNCHANGED:
        values["impact"] = _score(impact, "--impact")
    if owner is not UNCHANGED:
        values["owner_id"] = key(get_person(session, owner, active_only=True))
    if trigger is not UNCHANGED:
        values["trigger"] = optional_reason(trigger, "--trigger")
    if response is not UNCHANGED:
        values["response"] = optional_reason(response, "--response")
    values["review_on"] = _review(None if review_on is UNCHANGED else review_on, today)
    before = {field: getattr(risk, field) for field in values}
    for field, value in values.items():
        setattr(risk, field, value)
    risk.updated_at = now
    session.flush()
    if actor.id != risk.owner_id:
        changes = {field: [str(before[field]), str(value)] for field, value in values.items()
                   if before[field] != value}
        audit.record(session, now=now, actor=actor, action="project.risk.update", entity="project_risk",
                     entity_id=risk.id, subject=session.get(Employee, risk.owner_id), details=changes)
    return risk


def close_risk(session: Session, *, actor: Employee, now: datetime, risk_id: int, note: str | None = None) -> Risk:
    """A risk that passed or was dealt with: closed, with a note of how."""
    _project, risk = _changeable(session, actor, risk_id, action="close")
    risk.status, risk.close_note, risk.updated_at = "closed", optional_reason(note, "--note"), now
    session.flush()
    if actor.id != risk.owner_id:
        audit.record(session, now=now, actor=actor, action="project.risk.close", entity="project_risk",
                     entity_id=risk.id, subject=session.get(Employee, risk.owner_id), details={"note": risk.close_note})
    return risk


def risk_row(risk: Risk, *, code: str, login: str, today: date) -> dict[str, Any]:
    level = level_of(risk.likelihood, risk.impact)
    overdue = risk.status == "open" and risk.review_on < today
    return {"id": risk.id, "project": code, "text": risk.text, "likelihood": risk.likelihood,
            "impact": risk.impact, "level": level, "band": band(level), "login": login, "trigger": risk.trigger,
            "response": risk.response, "review_on": risk.review_on, "review_overdue": overdue,
            "status": risk.status, "close_note": risk.close_note}


def _sorted(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Open before closed, the highest level first, then the oldest review date."""
    return sorted(rows, key=lambda r: (r["status"] != "open", -r["level"], r["review_on"], r["id"]))


def _rows(session: Session, today: date, *conditions: Any) -> list[dict[str, Any]]:
    """The risks that meet ``conditions``, with their project's code and their owner's login."""
    found = session.exec(
        select(Risk, Project.code, Employee.login).join(Project, col(Risk.project_id) == Project.id)
        .join(Employee, col(Risk.owner_id) == Employee.id).where(*conditions)
    ).all()
    return _sorted([risk_row(risk, code=code, login=login, today=today) for risk, code, login in found])


def list_risks(session: Session, *, viewer: Employee, today: date, code: str | None = None, mine: bool = False,
               include_closed: bool = False) -> list[dict[str, Any]]:
    """The risks of a project (or of every project, or only yours), highest level first."""
    require_employee(session, viewer)
    conditions: list[Any] = []
    if code is not None:
        conditions.append(Risk.project_id == get_project(session, code).id)
    if mine:
        conditions.append(Risk.owner_id == viewer.id)
    if not include_closed:
        conditions.append(Risk.status == "open")
    return _rows(session, today, *conditions)


def high_risks(session: Session, project: Project, *, today: date) -> list[dict[str, Any]]:
    """The open risks of ``project`` at `HIGH_LEVEL` or above (for `project show`)."""
    return _rows(session, today, Risk.project_id == project.id, Risk.status == "open",
                 col(Risk.likelihood) * col(Risk.impact) >= HIGH_LEVEL)


def risks_to_watch(session: Session, *, person: Employee, today: date) -> list[dict[str, Any]]:
    """For `today`: the person's open risks that are high or due for review (of projects still running)."""
    return _rows(session, today, Risk.owner_id == person.id, Risk.status == "open",
                 (col(Risk.likelihood) * col(Risk.impact) >= HIGH_LEVEL) | (col(Risk.review_on) < today),
                 col(Project.status).not_in(("cancelled", "archived")))
