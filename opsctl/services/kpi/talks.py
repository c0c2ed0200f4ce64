"""Appraisal talks (绩效面谈): after a period's results are final, the person's manager (or
HR) records the talk — when, who took part, strengths, gaps, the person's own comment, the
goals agreed. The person then confirms they read it, or records that they disagree (which
HR sees: `kpi review list --disagreed`, and `today`).

Who records: the person's manager chain, HR or an admin, never the person (`may_approve`).
Who sees: the `talks` row of `SIGHT` (the person, their manager chain, HR, admins).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from opsctl.dates import Period
from opsctl.errors import Conflict, InvalidInput, NotAllowed, NotFound
from opsctl.models.kpi import KpiTalk
from opsctl.models.people import Employee
from opsctl.services import access, audit
from opsctl.services.kpi.outcomes import final_lines, final_result

MAX_TEXT = 2000


def check_text(text: str | None, option: str, *, limit: int = MAX_TEXT, required: bool = True) -> str | None:
    """A free text of a talk or plan, stripped: required ones 1–``limit`` characters."""
    text = (text or "").strip()
    if not text:
        if required:
            raise InvalidInput(f"{option} is empty; say it in a few words (at most {limit} characters)")
        return None
    if len(text) > limit:
        raise InvalidInput(f"{option} is {len(text)} characters long; at most {limit}, please")
    return text


def require_decider(session: Session, actor: Employee, person: Employee, *, what: str) -> None:
    """The person's manager chain, HR or an admin; never the person (NotAllowed, exit 4)."""
    if actor.id == person.id:
        raise NotAllowed(f"nobody records their own {what}; {person.login}'s manager, HR or an admin does")
    if not access.may_approve(access.OrgChart.load(session), actor, person):
        raise NotAllowed(f"{actor.login} may not record {person.login}'s {what}: only their manager, HR or "
                         "an admin may")


def record_talk(
    session: Session, *, actor: Employee, now: datetime, today: date, person: Employee, period: Period,
    strengths: str, gaps: str, goals: str, held_on: date | None = None, participants: list[str] | None = None,
    own_comment: str | None = None,
) -> KpiTalk:
    from opsctl.services.people import get_person

    require_decider(session, actor, person, what="appraisal talk")
    final_result(session, person=person, period=period, today=today, what="appraisal talk")
    held_on = held_on or today
    if held_on > today:
        raise InvalidInput(f"the talk is recorded once held: --on {held_on} is after today ({today})")
    if held_on <= period.end:
        raise InvalidInput(f"a talk about {period.label} is held after it ends ({period.end}); --on {held_on} "
                           "is not")
    others: list[str] = []
    for login in participants or []:
        other = get_person(session, login.strip())
        if other.id not in (person.id, actor.id) and other.login not in others:
            others.append(other.login)
    if len(",".join(others)) > 400:
        raise InvalidInput("too many --with people for one talk (at most 400 characters of logins)")
    if session.exec(select(KpiTalk.id).where(KpiTalk.employee_id == person.id, KpiTalk.cycle == period.label)).first():
        raise Conflict(f"{person.login}'s talk about {period.label} is already recorded; see "
                       f"`opsctl kpi review show {person.login} --cycle {period.label}`")
    talk = KpiTalk(
        employee_id=person.id or 0, cycle=period.label, held_on=held_on, reviewer_id=actor.id or 0,
        participants=",".join(others), strengths=check_text(strengths, "--strengths") or "",
        gaps=check_text(gaps, "--gaps") or "", goals=check_text(goals, "--goals") or "",
        own_comment=check_text(own_comment, "--comment", required=False), recorded_at=now,
    )
    session.add(talk)
    session.flush()
    audit.record(session, now=now, actor=actor, action="kpi.talk.add", entity="kpi_talk", entity_id=talk.id,
                 subject=person, details={"cycle": period.label, "held_on": held_on, "with": others})
    return talk


def _talk_of(session: Session, person: Employee, period: Period) -> KpiTalk:
    talk = session.exec(select(KpiTalk).where(KpiTalk.employee_id == person.id,
                                              KpiTalk.cycle == period.label)).first()
    if talk is None:
        raise NotFound(f"no appraisal talk of {person.login} about {period.label}; see "
                       f"`opsctl kpi review list --cycle {period.label}`")
    return talk


def confirm_talk(
    session: Session, *, actor: Employee, now: datetime, person: Employee, period: Period,
    disagree: str | None = None,
) -> KpiTalk:
    """The person confirms they read their talk; with ``disagree``, says what they disagree with."""
    if actor.id != person.id:
        raise NotAllowed(f"only {person.login} confirms their own appraisal talk; {actor.login} may not")
    talk = _talk_of(session, person, period)
    if talk.confirmed_at is not None:
        raise Conflict(f"{person.login} already {'disagreed with' if talk.disagreement else 'confirmed'} the talk "
                       f"about {period.label} on {talk.confirmed_at:%Y-%m-%d}")
    talk.disagreement = check_text(disagree, "--disagree", limit=access.MAX_REASON, required=False)
    if disagree is not None and talk.disagreement is None:
        raise InvalidInput("--disagree is empty; say what you disagree with")
    talk.confirmed_at = now
    session.flush()
    audit.record(session, now=now, actor=actor, action="kpi.talk.disagree" if talk.disagreement else
                 "kpi.talk.confirm", entity="kpi_talk", entity_id=talk.id, subject=person,
                 details={"cycle": period.label, "disagreement": talk.disagreement})
    return talk


# -- reading ------------------------------------------------------------------------------

def _status(talk: KpiTalk) -> str:
    return "unconfirmed" if talk.confirmed_at is None else "disagreed" if talk.disagreement else "confirmed"


def _rows(session: Session, *where: Any) -> list[dict[str, Any]]:
    person_t, reviewer_t = aliased(Employee), aliased(Employee)
    rows = session.exec(
        select(KpiTalk, person_t.login, person_t.name, reviewer_t.login).where(*where)
        .join(person_t, col(KpiTalk.employee_id) == person_t.id)
        .join(reviewer_t, col(KpiTalk.reviewer_id) == reviewer_t.id)
        .order_by(col(KpiTalk.cycle).desc(), person_t.login)
    ).all()
    return [talk_row(talk, login, name, reviewer) for talk, login, name, reviewer in rows]


def talk_row(talk: KpiTalk, login: str, name: str, reviewer: str) -> dict[str, Any]:
    return {
        "id": talk.id, "login": login, "name": name, "cycle": talk.cycle, "held_on": talk.held_on,
        "reviewer": reviewer, "participants": [p for p in talk.participants.split(",") if p],
        "strengths": talk.strengths, "gaps": talk.gaps, "goals": talk.goals, "own_comment": talk.own_comment,
        "status": _status(talk), "confirmed_at": talk.confirmed_at, "disagreement": talk.disagreement,
        "recorded_at": talk.recorded_at,
    }


def show_talk(session: Session, *, viewer: Employee, person: Employee, period: Period) -> dict[str, Any]:
    access.require_see(session, viewer, person, "talks", what="appraisal talks")
    talk = _talk_of(session, person, period)
    return _rows(session, col(KpiTalk.id) == talk.id)[0]


def list_talks(
    session: Session, *, viewer: Employee, period: Period | None = None, status: str | None = None,
) -> list[dict[str, Any]]:
    """The talks ``viewer`` may see, newest cycle first; ``status`` unconfirmed, confirmed or disagreed."""
    from opsctl.models.kpi import TALK_STATUSES

    if status is not None and status not in TALK_STATUSES:
        raise InvalidInput(f"--status is one of {', '.join(TALK_STATUSES)}; got {status!r}")
    where = access.seen_rows(session, viewer, col(KpiTalk.employee_id), "talks", what="appraisal talks")
    if period is not None:
        where.append(col(KpiTalk.cycle) == period.label)
    rows = _rows(session, *where)
    return [row for row in rows if status is None or row["status"] == status]


def missing_talks(session: Session, *, viewer: Employee, period: Period, today: date) -> list[dict[str, Any]]:
    """Whose final result of ``period`` has no talk yet, among the people ``viewer`` may see."""
    from opsctl.services.kpi.compute import number

    lines = final_lines(session, period=period, today=today)
    if not lines:
        raise InvalidInput(f"nobody has a final KPI result for {period.label} yet (its cycle open, or none); "
                           f"talks are due once it is closed: `opsctl kpi cycle close {period.label}`")
    held = set(session.exec(select(KpiTalk.employee_id).where(KpiTalk.cycle == period.label)).all())
    people = {p.id: p for p in session.exec(select(Employee).where(col(Employee.id).in_(list(lines))))}
    shown = access.visible_ids(session, viewer, list(people.values()), "talks")
    logins = dict(session.exec(select(Employee.id, Employee.login)).all())
    return sorted(({"login": people[eid].login, "name": people[eid].name, "cycle": period.label,
                    "final_score": number(line.final), "grade": line.grade,
                    "manager": logins.get(people[eid].manager_id or 0)}
                   for eid, line in lines.items() if eid in shown and eid not in held),
                  key=lambda row: row["login"])
