"""Training rosters and assessment: enrollment, attendance, results and retakes.

Attempt 1 is a session's own assessment; a retake is the next attempt, linked to the
failed one it repeats, scheduled first (no score) and scored when taken. Each score is
judged against the `training.pass_mark` setting in force, which the result keeps.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, col, select

from opsctl.errors import Conflict, InvalidInput, NotAllowed, NotFound
from opsctl.models.people import Employee, Team
from opsctl.models.training import ASSESSMENTS, TrainingEnrollment, TrainingResult, TrainingSession
from opsctl.services.locks import lock_person
from opsctl.services.people import get_person
from opsctl.services.training.plan import (
    audit_about,
    check_choice,
    get_plan,
    get_session,
    is_held,
    require_session_staff,
    result_word,
)

_SCORE_RE = re.compile(r"\d{1,3}(?:\.\d+)?")


def parse_score(text: str) -> float:
    """A score 0–100 (decimals allowed)."""
    cleaned = text.strip()
    if not _SCORE_RE.fullmatch(cleaned) or not 0 <= float(cleaned) <= 100:
        raise InvalidInput(f"not a score: {text!r} (give a number from 0 to 100)")
    return float(cleaned)


# -- enrollment and attendance ---------------------------------------------------------

def audience_members(session: Session, audience: str) -> list[Employee]:
    query = select(Employee).where(col(Employee.active).is_(True)).order_by(col(Employee.login))
    kind, _, value = audience.partition(":")
    if kind == "team":
        query = query.join(Team, col(Employee.team_id) == Team.id).where(Team.name == value)
    elif kind == "role":
        query = query.where(Employee.role == value)
    return list(session.exec(query))


def enroll(
    session: Session, *, actor: Employee, now: datetime, session_id: int, logins: list[str],
    audience: bool = False,
) -> tuple[TrainingSession, list[str], list[str]]:
    """Put people on a session's list; returns the session, who was added, who already was."""
    ts = get_session(session, session_id)
    if not logins and not audience:
        raise InvalidInput("name who to enroll (LOGIN …), or give --audience for the plan's audience")
    people = [get_person(session, login, active_only=True) for login in dict.fromkeys(logins)]
    if audience:
        people += audience_members(session, get_plan(session, ts.plan_id).audience)
    if any(p.id != actor.id for p in people):
        require_session_staff(actor, ts, action="enroll other people")
    already: set[int | None] = set(session.exec(
        select(TrainingEnrollment.employee_id).where(TrainingEnrollment.session_id == ts.id)
    ).all())
    added: list[str] = []
    skipped: list[str] = []
    for person in {p.id: p for p in people}.values():
        if person.id in already:
            skipped.append(person.login)
            continue
        already.add(person.id)
        session.add(TrainingEnrollment(session_id=ts.id or 0, employee_id=person.id or 0, enrolled_at=now))
        audit_about(session, now=now, actor=actor, person=person, action="training.enroll",
                     entity="training_session", entity_id=ts.id, details={"day": ts.day})
        added.append(person.login)
    if not added:
        raise Conflict(f"{', '.join(skipped) or 'nobody'} already enrolled in session #{ts.id}; nothing to add")
    session.flush()
    return ts, added, skipped


def mark_attendance(
    session: Session, *, actor: Employee, now: datetime, today: date, session_id: int,
    present: list[str], absent: list[str],
) -> TrainingSession:
    """Mark enrolled people present or absent; marking again corrects the earlier mark."""
    ts = get_session(session, session_id)
    require_session_staff(actor, ts, action="take attendance")
    if not present and not absent:
        raise InvalidInput("give --present and/or --absent with the logins of enrolled people")
    if not is_held(ts.day, today):
        raise InvalidInput(f"session #{ts.id} is on {ts.day}, after today; take attendance once it is held")
    both = {p.strip().lower() for p in present} & {a.strip().lower() for a in absent}
    if both:
        raise InvalidInput(f"{', '.join(sorted(both))} cannot be both present and absent")
    marks = [(login, True) for login in present] + [(login, False) for login in absent]
    for login, attended in marks:
        person = get_person(session, login)
        enrollment = _enrollment(session, ts, person)
        if enrollment.attended is attended:
            continue
        before = enrollment.attended
        enrollment.attended = attended
        audit_about(session, now=now, actor=actor, person=person, action="training.attend",
                     entity="training_enrollment", entity_id=enrollment.id,
                     details={"session": ts.id, "attended": [before, attended]})
    session.flush()
    return ts


def _enrollment(session: Session, ts: TrainingSession, person: Employee) -> TrainingEnrollment:
    enrollment = session.exec(
        select(TrainingEnrollment).where(
            TrainingEnrollment.session_id == ts.id, TrainingEnrollment.employee_id == person.id
        )
    ).first()
    if enrollment is None:
        raise InvalidInput(
            f"{person.login} is not enrolled in session #{ts.id}; enroll them first: "
            f"opsctl training enroll {ts.id} {person.login}"
        )
    return enrollment


# -- results and retakes ---------------------------------------------------------------

def _attempts(session: Session, ts: TrainingSession, person: Employee) -> list[TrainingResult]:
    return list(session.exec(
        select(TrainingResult)
        .where(TrainingResult.session_id == ts.id, TrainingResult.employee_id == person.id)
        .order_by(col(TrainingResult.attempt))
    ))


def _assessable(
    session: Session, *, actor: Employee, session_id: int, login: str, action: str
) -> tuple[TrainingSession, Employee, list[TrainingResult]]:
    ts = get_session(session, session_id)
    require_session_staff(actor, ts, action=action)
    person = get_person(session, login)
    if person.id == actor.id:
        raise NotAllowed(f"nobody may {action} for themself; ask the trainer, your lead, HR or an admin")
    lock_person(session, person)  # their attempts are counted next: one result or retake at a time
    enrollment = _enrollment(session, ts, person)
    if enrollment.attended is False:
        raise InvalidInput(
            f"{person.login} was marked absent from session #{ts.id}; if they were there, mark them: "
            f"opsctl training attend {ts.id} --present {person.login}"
        )
    return ts, person, _attempts(session, ts, person)


def record_result(
    session: Session, *, actor: Employee, now: datetime, today: date, session_id: int, login: str,
    score: float, method: str = "exam",
) -> TrainingResult:
    """Score attempt 1, or the scheduled retake; judged against the pass mark setting."""
    from opsctl.services.config import get_setting

    ts, person, tries = _assessable(session, actor=actor, session_id=session_id, login=login,
                                    action="record training results")
    method = check_choice(method, ASSESSMENTS, "assessment method")
    if not 0 <= score <= 100:
        raise InvalidInput(f"not a score: {score:g} (give a number from 0 to 100)")
    last = tries[-1] if tries else None
    if last is not None and last.score is not None:
        fix = f"opsctl training result {ts.id} {person.login} --score N --correct --reason TEXT"
        if last.passed:
            raise Conflict(f"{person.login} already passed session #{ts.id} (attempt {last.attempt}: "
                           f"{last.score:g}); nothing to record (a wrong score: {fix})")
        raise Conflict(
            f"{person.login} already has a result for session #{ts.id} (attempt {last.attempt}: "
            f"{last.score:g}, failed); schedule a retake: opsctl training retake {ts.id} {person.login} --on DATE "
            f"(a wrong score: {fix})"
        )
    if last is None:
        if not is_held(ts.day, today):
            raise InvalidInput(f"session #{ts.id} is on {ts.day}, after today; record results once it is held")
        last = TrainingResult(session_id=ts.id or 0, employee_id=person.id or 0, attempt=1, day=ts.day,
                              recorded_at=now)
        session.add(last)
    elif not is_held(last.day, today):
        raise InvalidInput(f"{person.login}'s retake (attempt {last.attempt}) is on {last.day}, after today; "
                           "record its score once it is taken")
    pass_mark = float(get_setting(session, "training.pass_mark"))
    last.score, last.pass_mark, last.passed = score, pass_mark, score >= pass_mark
    last.method, last.recorded_by_id, last.recorded_at = method, actor.id, now
    session.flush()
    audit_about(session, now=now, actor=actor, person=person, action="training.result",
                 entity="training_result", entity_id=last.id,
                 details={"session": ts.id, "attempt": last.attempt, "score": score, "passed": last.passed})
    return last


def correct_result(
    session: Session, *, actor: Employee, now: datetime, session_id: int, login: str, score: float, reason: str,
) -> TrainingResult:
    """Replace the score of ``login``'s latest scored attempt (a typing slip, a re-marked
    paper), judged against the pass mark that attempt was judged by. A retake scheduled
    after it and not taken yet goes away when the corrected score passes."""
    ts, person, tries = _assessable(session, actor=actor, session_id=session_id, login=login,
                                    action="correct training results")
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("a correction needs --reason (what was wrong with the score)")
    if not 0 <= score <= 100:
        raise InvalidInput(f"not a score: {score:g} (give a number from 0 to 100)")
    scored = [t for t in tries if t.score is not None]
    if not scored:
        raise NotFound(f"{person.login} has no score for session #{ts.id} to correct; record one: "
                       f"opsctl training result {ts.id} {person.login} --score N")
    attempt, before = scored[-1], scored[-1].score
    if score == before:
        raise Conflict(f"attempt {attempt.attempt} of {person.login} already scored {score:g}; nothing to correct")
    pending = [t for t in tries if t.score is None and t.attempt > attempt.attempt]
    attempt.score, attempt.passed = score, score >= (attempt.pass_mark or 0)
    attempt.recorded_by_id, attempt.recorded_at = actor.id, now
    if attempt.passed:
        for retake in pending:  # a pass needs no retake
            session.delete(retake)
    session.flush()
    audit_about(session, now=now, actor=actor, person=person, action="training.correct",
                entity="training_result", entity_id=attempt.id,
                details={"session": ts.id, "attempt": attempt.attempt, "from": before, "to": score,
                         "passed": attempt.passed, "reason": reason,
                         "retake_dropped": [t.day for t in pending] if attempt.passed else []})
    return attempt


def schedule_retake(
    session: Session, *, actor: Employee, now: datetime, session_id: int, login: str, day: date,
) -> TrainingResult:
    """A new attempt, numbered after and linked to the failed one; its score comes later."""
    ts, person, tries = _assessable(session, actor=actor, session_id=session_id, login=login,
                                    action="schedule retakes")
    last = tries[-1] if tries else None
    if last is None:
        raise InvalidInput(f"{person.login} has no result for session #{ts.id} yet, so nothing to retake; "
                           f"record one first: opsctl training result {ts.id} {person.login} --score N")
    if last.score is None:
        raise Conflict(f"{person.login} already has a retake scheduled for session #{ts.id} on {last.day} "
                       f"(attempt {last.attempt}); record its score with `opsctl training result`")
    if last.passed:
        raise Conflict(f"{person.login} passed session #{ts.id} (attempt {last.attempt}: {last.score:g}); "
                       "only a failed attempt can be retaken")
    if day < last.day:
        raise InvalidInput(f"the retake date {day} is before the failed attempt on {last.day}")
    retake = TrainingResult(session_id=ts.id or 0, employee_id=person.id or 0, attempt=last.attempt + 1,
                            retake_of_id=last.id, day=day, method=last.method, recorded_by_id=actor.id,
                            recorded_at=now)
    session.add(retake)
    session.flush()
    audit_about(session, now=now, actor=actor, person=person, action="training.retake",
                 entity="training_result", entity_id=retake.id,
                 details={"session": ts.id, "attempt": retake.attempt, "retake_of": last.id, "day": day})
    return retake


def result_details(session: Session, result: TrainingResult) -> dict[str, Any]:
    ts = get_session(session, result.session_id)
    plan = get_plan(session, ts.plan_id)
    person = session.get(Employee, result.employee_id)
    return {
        "id": result.id, "session_id": ts.id, "title": plan.title, "login": person.login if person else None,
        "name": person.name if person else None, "attempt": result.attempt, "retake_of": result.retake_of_id,
        "day": result.day, "score": result.score, "pass_mark": result.pass_mark, "passed": result.passed,
        "result": result_word(result), "method": result.method,
    }
