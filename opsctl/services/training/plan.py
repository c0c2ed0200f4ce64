"""Training: the yearly plan and its sessions, who may do what, and the `today` section.
(Rosters, attendance, results and retakes: training.roster; certificates: training.certs;
records and the year's report: training.report.)

Who may: leads, managers, HR and admins plan training, schedule sessions, enroll
people, take attendance and record results. So may a session's own trainer when
the trainer is given as an employee's login (an internal trainer), for that session
only. Anyone may enroll themself. Nobody records their own result.

A session is *held* once its date has come (on or before today); a plan item is held
when at least one of its sessions is.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any

from sqlmodel import Session, col, func, select

from opsctl.errors import Conflict, InvalidInput, NotAllowed, NotFound
from opsctl.models.people import ROLES, Employee
from opsctl.models.training import (
    CATEGORIES,
    METHODS,
    TrainingEnrollment,
    TrainingPlan,
    TrainingResult,
    TrainingSession,
)
from opsctl.services import audit
from opsctl.services.access import require_employee
from opsctl.services.people import get_team

STAFF_ROLES = ("lead", "manager", "hr", "admin")
MAX_SESSION_HOURS = 100.0
_QUARTER_RE = re.compile(r"q?([0-9])", re.IGNORECASE)


# -- checks and parsing ----------------------------------------------------------------

def check_choice(value: str, choices: tuple[str, ...], what: str) -> str:
    value = value.strip().lower()
    if value not in choices:
        raise InvalidInput(f"unknown {what} {value!r}; use one of: {', '.join(choices)}")
    return value


def parse_plan_quarter(text: str, *, year: int, today: date) -> int:
    """``Q2``/``2`` in the plan's year, or a full ``2026Q2`` that must be in that year."""
    from opsctl.dates import parse_quarter

    short = _QUARTER_RE.fullmatch(text.strip())
    if short:
        if not 1 <= int(short[1]) <= 4:
            raise InvalidInput(f"not a quarter: {text!r} (use Q1, Q2, Q3 or Q4)")
        return int(short[1])
    period = parse_quarter(text, today=today)
    if period.start.year != year:
        raise InvalidInput(f"quarter {period.label} is not in {year}, the plan's year; use Q1–Q4")
    return (period.start.month - 1) // 3 + 1


def check_hours(hours: float) -> float:
    if not 0 < hours <= MAX_SESSION_HOURS:
        raise InvalidInput(f"{hours:g} hours is out of range (more than 0, at most {MAX_SESSION_HOURS:g})")
    return round(hours, 2)


def check_audience(session: Session, text: str) -> str:
    """``all``, ``team:NAME`` (an existing team) or ``role:ROLE``."""
    text = text.strip()
    kind, sep, value = text.partition(":")
    kind = kind.strip().lower()
    if text.lower() == "all":
        return "all"
    if sep and kind == "team" and value.strip():
        return f"team:{get_team(session, value).name}"
    if sep and kind == "role" and value.strip().lower() in ROLES:
        return f"role:{value.strip().lower()}"
    raise InvalidInput(f"not an audience: {text!r} (use all, team:NAME or role:{'|'.join(ROLES)})")


def is_held(day: date, today: date) -> bool:
    return day <= today


def quarter_label(quarter: int | None) -> str:
    return f"Q{quarter}" if quarter else "any"


def plan_status(*, year: int, quarter: int | None, held: int, scheduled: int, today: date) -> str:
    """held · scheduled (only future sessions) · overdue (its quarter/year is over) · planned."""
    if held:
        return "held"
    if scheduled:
        return "scheduled"
    last_month = 3 * quarter if quarter else 12
    period_end = (date(year, last_month, 1) + timedelta(days=31)).replace(day=1) - timedelta(days=1)
    return "overdue" if period_end < today else "planned"


# -- who may ---------------------------------------------------------------------------

def is_staff(actor: Employee) -> bool:
    return actor.role in STAFF_ROLES


def require_staff(actor: Employee, *, action: str) -> None:
    if not is_staff(actor):
        raise NotAllowed(
            f"only leads, managers, HR or an admin may {action}; {actor.login} is {actor.role} "
            "(ask one of them, or act as one with --as LOGIN)"
        )


def require_session_staff(actor: Employee, ts: TrainingSession, *, action: str) -> None:
    """Staff, or this session's internal trainer (given by login)."""
    if is_staff(actor) or (ts.trainer or "").strip().lower() == actor.login:
        return
    raise NotAllowed(
        f"only the session's trainer, leads, managers, HR or an admin may {action}; "
        f"{actor.login} is {actor.role} (act as one of them with --as LOGIN)"
    )


def audit_about(
    session: Session, *, now: datetime, actor: Employee, person: Employee, action: str, entity: str,
    entity_id: object, details: dict[str, Any],
) -> None:
    """Changes to somebody else's record are audited; one's own are not."""
    if actor.id != person.id:
        audit.record(session, now=now, actor=actor, action=action, entity=entity, entity_id=entity_id,
                     subject=person, details=details)


# -- plans -----------------------------------------------------------------------------

def add_plan(
    session: Session, *, actor: Employee, now: datetime, today: date, title: str, year: int,
    category: str = "knowledge", method: str = "internal", quarter: str | None = None,
    trainer: str | None = None, hours: float | None = None, audience: str = "all",
) -> TrainingPlan:
    require_staff(actor, action="plan training")
    title = title.strip()
    if not title:
        raise InvalidInput("the title must not be empty")
    if len(title) > 200:
        raise InvalidInput("the title is longer than 200 characters; shorten it")
    if not 2000 <= year <= 2100:
        raise InvalidInput(f"{year} is not a plausible plan year (2000–2100)")
    duplicate = session.exec(
        select(TrainingPlan.id).where(TrainingPlan.year == year, TrainingPlan.title == title)
    ).first()
    if duplicate is not None:
        raise Conflict(f"the {year} plan already has {title!r} (item #{duplicate}); see `opsctl training "
                       f"plan list --year {year}`")
    plan = TrainingPlan(
        year=year, title=title, category=check_choice(category, CATEGORIES, "category"),
        method=check_choice(method, METHODS, "method"),
        quarter=parse_plan_quarter(quarter, year=year, today=today) if quarter else None,
        trainer=(trainer or "").strip() or None, hours=check_hours(hours) if hours is not None else None,
        audience=check_audience(session, audience), created_by_id=actor.id, created_at=now,
    )
    session.add(plan)
    session.flush()
    return plan


def get_plan(session: Session, plan_id: int) -> TrainingPlan:
    plan = session.get(TrainingPlan, plan_id)
    if plan is None:
        raise NotFound(f"no training plan item #{plan_id}; see `opsctl training plan list`")
    return plan


def list_plans(session: Session, *, viewer: Employee, year: int, today: date) -> list[dict[str, Any]]:
    """A year's plan items (any employee may see them)."""
    require_employee(session, viewer)
    plans = session.exec(
        select(TrainingPlan).where(TrainingPlan.year == year)
        .order_by(col(TrainingPlan.quarter).nulls_last(), col(TrainingPlan.id))
    ).all()
    days: dict[int, list[date]] = {p.id or 0: [] for p in plans}
    for plan_id, day in session.exec(
        select(col(TrainingSession.plan_id), col(TrainingSession.day)).where(col(TrainingSession.plan_id).in_(days))
    ):
        days[plan_id].append(day)
    return [plan_row(plan, days[plan.id or 0], today) for plan in plans]


def plan_row(plan: TrainingPlan, days: list[date], today: date) -> dict[str, Any]:
    held = [d for d in days if is_held(d, today)]
    coming = sorted(d for d in days if not is_held(d, today))
    return {
        "id": plan.id, "year": plan.year, "quarter": quarter_label(plan.quarter), "title": plan.title,
        "category": plan.category, "method": plan.method, "trainer": plan.trainer, "hours": plan.hours,
        "audience": plan.audience, "sessions": len(days), "held": len(held),
        "next": coming[0] if coming else None,
        "status": plan_status(year=plan.year, quarter=plan.quarter, held=len(held), scheduled=len(coming),
                              today=today),
    }


# -- sessions --------------------------------------------------------------------------

def add_session(
    session: Session, *, actor: Employee, now: datetime, plan_id: int, day: date, hours: float | None = None,
    location: str | None = None, trainer: str | None = None,
) -> TrainingSession:
    require_staff(actor, action="schedule training sessions")
    plan = get_plan(session, plan_id)
    if day.year != plan.year:
        raise InvalidInput(f"plan item #{plan.id} is in the {plan.year} plan; its sessions must be in "
                           f"{plan.year}, not on {day}")
    if hours is None and plan.hours is None:
        raise InvalidInput(f"plan item #{plan.id} has no planned hours; give the session's --hours")
    ts = TrainingSession(
        plan_id=plan.id or 0, day=day, hours=check_hours(hours if hours is not None else plan.hours or 0),
        location=(location or "").strip() or None, trainer=(trainer or "").strip() or plan.trainer,
        created_at=now,
    )
    session.add(ts)
    session.flush()
    return ts


def get_session(session: Session, session_id: int) -> TrainingSession:
    ts = session.get(TrainingSession, session_id)
    if ts is None:
        raise NotFound(f"no training session #{session_id}; see `opsctl training session list`")
    return ts


def list_sessions(
    session: Session, *, viewer: Employee, today: date, year: int | None = None, plan_id: int | None = None,
    mine: bool = False, upcoming: bool = False,
) -> list[dict[str, Any]]:
    """Sessions by date (any employee may see them); ``mine``: only those ``viewer`` is enrolled in."""
    require_employee(session, viewer)
    counts = (
        select(
            TrainingEnrollment.session_id,
            func.count().label("enrolled"),
            func.count().filter(col(TrainingEnrollment.attended).is_(True)).label("present"),
        )
        .group_by(col(TrainingEnrollment.session_id))
        .subquery()
    )
    query = (
        select(TrainingSession, TrainingPlan, counts.c.enrolled, counts.c.present)
        .join(TrainingPlan, col(TrainingSession.plan_id) == TrainingPlan.id)
        .join(counts, counts.c.session_id == TrainingSession.id, isouter=True)
        .order_by(col(TrainingSession.day), col(TrainingSession.id))
    )
    if year is not None:
        query = query.where(TrainingPlan.year == year)
    if plan_id is not None:
        query = query.where(TrainingSession.plan_id == get_plan(session, plan_id).id)
    if upcoming:
        query = query.where(TrainingSession.day >= today)
    if mine:
        own = select(TrainingEnrollment.session_id).where(TrainingEnrollment.employee_id == viewer.id)
        query = query.where(col(TrainingSession.id).in_(own))
    return [
        session_row(ts, plan, today) | {"enrolled": enrolled or 0, "present": present or 0}
        for ts, plan, enrolled, present in session.exec(query)
    ]


def session_row(ts: TrainingSession, plan: TrainingPlan, today: date) -> dict[str, Any]:
    return {
        "id": ts.id, "plan_id": plan.id, "title": plan.title, "category": plan.category,
        "method": plan.method, "day": ts.day, "hours": ts.hours, "location": ts.location,
        "trainer": ts.trainer, "held": is_held(ts.day, today),
    }


def session_details(session: Session, ts: TrainingSession, *, viewer: Employee, today: date) -> dict[str, Any]:
    """The session and its roster: attendance and the attempts of every enrolled person (any
    employee may see them)."""
    require_employee(session, viewer)
    plan = get_plan(session, ts.plan_id)
    people = session.exec(
        select(TrainingEnrollment, Employee)
        .join(Employee, col(TrainingEnrollment.employee_id) == Employee.id)
        .where(TrainingEnrollment.session_id == ts.id)
        .order_by(col(Employee.login))
    ).all()
    attempts: dict[int, list[TrainingResult]] = {}
    for result in session.exec(
        select(TrainingResult).where(TrainingResult.session_id == ts.id).order_by(col(TrainingResult.attempt))
    ):
        attempts.setdefault(result.employee_id, []).append(result)
    roster = []
    for enrollment, person in people:
        tries = attempts.get(person.id or 0, [])
        roster.append({
            "id": enrollment.id, "login": person.login, "name": person.name,
            "attendance": attendance_word(enrollment.attended, ts.day, today),
            "attempts": len(tries), "score": tries[-1].score if tries else None,
            "result": attempts_summary(tries),
        })
    return session_row(ts, plan, today) | {"roster": roster}


def attendance_word(attended: bool | None, day: date, today: date) -> str:
    if attended is None:
        return "not taken" if is_held(day, today) else "upcoming"
    return "present" if attended else "absent"


def result_word(result: TrainingResult) -> str:
    if result.score is None:
        return "retake scheduled"
    return "passed" if result.passed else "failed"


def attempts_summary(tries: list[TrainingResult]) -> str:
    """``1: 52 failed · 2: 76 passed``."""
    return " · ".join(
        f"{t.attempt}: {t.score:g} {result_word(t)}" if t.score is not None else f"{t.attempt}: retake on {t.day}"
        for t in tries
    )


# -- today ----------------------------------------------------------------------------

def today_facts(session: Session, *, person: Employee, today: date, now: datetime) -> list[dict[str, Any]] | None:
    """Sessions and retakes in the next 7 days; certificates expiring within 30 days."""
    from opsctl.services.training.certs import expiring_for

    soon = today + timedelta(days=7)
    rows: list[dict[str, Any]] = []
    for ts, plan in session.exec(
        select(TrainingSession, TrainingPlan)
        .join(TrainingPlan, col(TrainingSession.plan_id) == TrainingPlan.id)
        .join(TrainingEnrollment, col(TrainingEnrollment.session_id) == TrainingSession.id)
        .where(TrainingEnrollment.employee_id == person.id, TrainingSession.day >= today,
               TrainingSession.day <= soon)
    ):
        where = f", {ts.location}" if ts.location else ""
        rows.append({"id": ts.id, "login": person.login, "kind": "session", "day": ts.day, "title": plan.title,
                     "detail": f"session #{ts.id}, {ts.hours:g}h{where}"})
    for result, plan in session.exec(
        select(TrainingResult, TrainingPlan)
        .join(TrainingSession, col(TrainingResult.session_id) == TrainingSession.id)
        .join(TrainingPlan, col(TrainingSession.plan_id) == TrainingPlan.id)
        .where(TrainingResult.employee_id == person.id, col(TrainingResult.score).is_(None),
               TrainingResult.day >= today, TrainingResult.day <= soon)
    ):
        rows.append({"id": result.id, "login": person.login, "kind": "retake", "day": result.day,
                     "title": plan.title, "detail": f"attempt {result.attempt} of session #{result.session_id}"})
    for cert in expiring_for(session, employee_ids={person.id or 0}, today=today, within=30):
        rows.append({"id": cert["id"], "login": person.login, "kind": "certificate", "day": cert["expires"],
                     "title": cert["certificate"], "detail": cert["status"]})
    return sorted(rows, key=lambda r: (r["day"], r["kind"])) if rows else None
