"""What training added up to: one person's record, and the year's report.

Hours count only sessions the person was marked present at. A (session, person)
pair is *assessed* once an attempt has a score, *passed* when any attempt passed,
and *still to retake* when it has scores but no pass. Both functions run a handful of
queries for everyone and compute in Python.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from opsctl.models.people import Employee, Team
from opsctl.models.training import (
    CATEGORIES,
    TrainingEnrollment,
    TrainingPlan,
    TrainingResult,
    TrainingSession,
)
from opsctl.services.access import require_act_for
from opsctl.services.training.plan import (
    attempts_summary,
    attendance_word,
    is_held,
    plan_row,
    quarter_label,
    require_staff,
    result_word,
)

Pair = tuple[int, int]  # (session id, employee id)


@dataclass(slots=True)
class Enrolled:
    session_id: int
    employee_id: int
    attended: bool | None


@dataclass(slots=True)
class Attempt:
    id: int
    session_id: int
    employee_id: int
    attempt: int
    day: date
    score: float | None
    passed: bool | None


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


# -- one person -------------------------------------------------------------------------

def person_training(
    session: Session, *, viewer: Employee, person: Employee, today: date, year: int | None = None
) -> dict[str, Any]:
    """Every session and every attempt of one person; the person, their managers, HR, admin."""
    require_act_for(session, viewer, person, action="see the training record")
    enrolled = select(TrainingEnrollment, TrainingSession, TrainingPlan).join(
        TrainingSession, col(TrainingEnrollment.session_id) == TrainingSession.id
    ).join(TrainingPlan, col(TrainingSession.plan_id) == TrainingPlan.id).where(
        TrainingEnrollment.employee_id == person.id
    ).order_by(col(TrainingSession.day), col(TrainingSession.id))
    attempts = select(TrainingResult, TrainingPlan).join(
        TrainingSession, col(TrainingResult.session_id) == TrainingSession.id
    ).join(TrainingPlan, col(TrainingSession.plan_id) == TrainingPlan.id).where(
        TrainingResult.employee_id == person.id
    ).order_by(col(TrainingSession.day), col(TrainingResult.session_id), col(TrainingResult.attempt))
    if year is not None:
        enrolled = enrolled.where(TrainingPlan.year == year)
        attempts = attempts.where(TrainingPlan.year == year)
    tries: dict[int, list[TrainingResult]] = defaultdict(list)
    attempt_rows = []
    for result, plan in session.exec(attempts):
        tries[result.session_id].append(result)
        attempt_rows.append({
            "id": result.id, "login": person.login, "session_id": result.session_id, "title": plan.title,
            "attempt": result.attempt, "day": result.day, "score": result.score, "pass_mark": result.pass_mark,
            "result": result_word(result), "retake_of": result.retake_of_id, "method": result.method,
        })
    session_rows: list[dict[str, Any]] = []
    for enrollment, ts, plan in session.exec(enrolled):
        session_rows.append({
            "id": ts.id, "login": person.login, "day": ts.day, "title": plan.title, "category": plan.category,
            "method": plan.method, "hours": ts.hours,
            "attendance": attendance_word(enrollment.attended, ts.day, today),
            "counted_hours": ts.hours if enrollment.attended else 0.0,
            "result": attempts_summary(tries.get(ts.id or 0, [])),
        })
    outcomes = [_outcome(t) for t in tries.values()]
    return {
        "id": person.id, "login": person.login, "name": person.name, "year": year,
        "hours": round(sum(r["counted_hours"] for r in session_rows), 2),
        "sessions_enrolled": len(session_rows),
        "sessions_attended": sum(1 for r in session_rows if r["attendance"] == "present"),
        "passed": outcomes.count("passed"), "to_retake": outcomes.count("to retake"),
        "sessions": session_rows, "attempts": attempt_rows,
    }


def _outcome(tries: Sequence[Attempt | TrainingResult]) -> str | None:
    scored = [t for t in tries if t.score is not None]
    if not scored:
        return None
    return "passed" if any(t.passed for t in scored) else "to retake"


# -- the year ---------------------------------------------------------------------------

def year_report(session: Session, *, viewer: Employee, year: int, today: date) -> dict[str, Any]:
    """Plan execution by quarter and category, courses, hours per person, pass rate, retakes."""
    require_staff(viewer, action="see the training report")
    plans = list(session.exec(select(TrainingPlan).where(TrainingPlan.year == year).order_by(col(TrainingPlan.id))))
    in_year = select(TrainingSession.id).join(TrainingPlan, col(TrainingSession.plan_id) == TrainingPlan.id).where(
        TrainingPlan.year == year)
    sessions = list(session.exec(
        select(TrainingSession).where(col(TrainingSession.id).in_(in_year)).order_by(col(TrainingSession.day))
    ))
    by_id = {ts.id or 0: ts for ts in sessions}
    # The two big sets are read as plain rows: building thousands of ORM objects is the slow part.
    enrollments = [
        Enrolled(*row) for row in session.exec(
            select(col(TrainingEnrollment.session_id), col(TrainingEnrollment.employee_id),
                   col(TrainingEnrollment.attended)).where(col(TrainingEnrollment.session_id).in_(in_year))
        )
    ]
    tries: dict[Pair, list[Attempt]] = defaultdict(list)
    for row in session.execute(
        sa_select(TrainingResult.id, TrainingResult.session_id, TrainingResult.employee_id,  # type: ignore[call-overload]
                  TrainingResult.attempt, TrainingResult.day, TrainingResult.score, TrainingResult.passed)
        .where(col(TrainingResult.session_id).in_(in_year)).order_by(col(TrainingResult.attempt))
    ):
        attempt = Attempt(*row)
        tries[(attempt.session_id, attempt.employee_id)].append(attempt)
    enrolled_people = select(TrainingEnrollment.employee_id).where(col(TrainingEnrollment.session_id).in_(in_year))
    people: dict[int, tuple[Employee, str | None]] = {
        person.id or 0: (person, team)
        for person, team in session.exec(
            select(Employee, Team.name).join(Team, col(Employee.team_id) == Team.id, isouter=True)
            .where(col(Employee.active).is_(True) | col(Employee.id).in_(enrolled_people))
        )
    }
    plan_rows = _courses(plans, sessions, enrollments, tries, today)
    outcomes = {pair: _outcome(t) for pair, t in tries.items()}
    assessed = [o for o in outcomes.values() if o]
    first_passed = sum(1 for t in tries.values() if t[0].score is not None and t[0].passed)
    held = [r for r in plan_rows if r["held"]]
    return {
        "year": year, "as_of": today,
        "planned": len(plans), "held": len(held), "execution_rate": _rate(len(held), len(plans)),
        "hours_held": round(sum(ts.hours for ts in sessions if is_held(ts.day, today)), 2),
        "hours_attended": round(sum(by_id[e.session_id].hours for e in enrollments if e.attended), 2),
        "assessed": len(assessed), "passed": assessed.count("passed"),
        "pass_rate": _rate(assessed.count("passed"), len(assessed)),
        "first_pass_rate": _rate(first_passed, len(assessed)),
        "execution": _execution(plans, plan_rows),
        "courses": plan_rows,
        "people": _people(people, enrollments, by_id, outcomes),
        "retakes": _retakes(tries, outcomes, people, by_id, {p.id: p for p in plans}),
    }


def _courses(
    plans: list[TrainingPlan], sessions: list[TrainingSession], enrollments: list[Enrolled],
    tries: dict[Pair, list[Attempt]], today: date,
) -> list[dict[str, Any]]:
    days: dict[int, list[date]] = defaultdict(list)
    plan_of = {}
    hours_held: dict[int, float] = defaultdict(float)
    for ts in sessions:
        days[ts.plan_id].append(ts.day)
        plan_of[ts.id] = ts.plan_id
        if is_held(ts.day, today):
            hours_held[ts.plan_id] += ts.hours
    attended: dict[int, int] = defaultdict(int)
    for e in enrollments:
        attended[plan_of[e.session_id]] += bool(e.attended)
    graded: dict[int, list[list[Attempt]]] = defaultdict(list)
    for (session_id, _), t in tries.items():
        graded[plan_of[session_id]].append(t)
    rows = []
    for plan in plans:
        pid = plan.id or 0
        outcomes = [o for o in map(_outcome, graded[pid]) if o]
        first = sum(1 for t in graded[pid] if t[0].score is not None and t[0].passed)
        base = plan_row(plan, days[pid], today)
        rows.append(base | {
            "held": base["held"] > 0, "sessions_held": base["held"], "hours_held": round(hours_held[pid], 2),
            "attended": attended[pid], "assessed": len(outcomes), "passed": outcomes.count("passed"),
            "pass_rate": _rate(outcomes.count("passed"), len(outcomes)),
            "first_pass_rate": _rate(first, len(outcomes)),
        })
    return rows


def _execution(plans: list[TrainingPlan], courses: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Planned vs held per (quarter, category); items with no quarter are "any"."""
    cells: dict[tuple[int, str], dict[str, Any]] = {}
    for plan, course in zip(plans, courses, strict=True):
        key = (plan.quarter or 5, plan.category)
        cell = cells.setdefault(key, {
            "id": f"{quarter_label(plan.quarter)}-{plan.category}", "quarter": quarter_label(plan.quarter),
            "category": plan.category, "planned": 0, "held": 0, "open": 0, "overdue": 0,
            "planned_hours": 0.0, "hours_held": 0.0,
        })
        cell["planned"] += 1
        cell["held"] += course["held"]
        cell["open"] += not course["held"]
        cell["overdue"] += course["status"] == "overdue"
        cell["planned_hours"] = round(cell["planned_hours"] + (plan.hours or 0.0), 2)
        cell["hours_held"] = round(cell["hours_held"] + course["hours_held"], 2)
    order = {c: i for i, c in enumerate(CATEGORIES)}
    rows = [cells[k] for k in sorted(cells, key=lambda k: (k[0], order.get(k[1], 9)))]
    for row in rows:
        row["execution_rate"] = _rate(row["held"], row["planned"])
    return rows


def _people(
    people: dict[int, tuple[Employee, str | None]], enrollments: list[Enrolled],
    sessions: dict[int, TrainingSession], outcomes: dict[Pair, str | None],
) -> list[dict[str, Any]]:
    stats: dict[int, dict[str, Any]] = {
        pid: {"id": person.id, "login": person.login, "name": person.name, "team": team, "enrolled": 0,
              "attended": 0, "absent": 0, "hours": 0.0, "assessed": 0, "passed": 0, "to_retake": 0}
        for pid, (person, team) in people.items()
    }
    for e in enrollments:
        row = stats[e.employee_id]
        row["enrolled"] += 1
        row["attended"] += e.attended is True
        row["absent"] += e.attended is False
        row["hours"] = round(row["hours"] + (sessions[e.session_id].hours if e.attended else 0.0), 2)
    for (_, employee_id), outcome in outcomes.items():
        if outcome:
            stats[employee_id]["assessed"] += 1
            stats[employee_id]["passed" if outcome == "passed" else "to_retake"] += 1
    return sorted(stats.values(), key=lambda r: (r["team"] is None, r["team"] or "", r["login"]))


def _retakes(
    tries: dict[Pair, list[Attempt]], outcomes: dict[Pair, str | None],
    people: dict[int, tuple[Employee, str | None]], sessions: dict[int, TrainingSession],
    plans: dict[int | None, TrainingPlan],
) -> list[dict[str, Any]]:
    rows = []
    for (session_id, employee_id), outcome in outcomes.items():
        if outcome != "to retake":
            continue
        attempts = tries[(session_id, employee_id)]
        failed = [t for t in attempts if t.score is not None][-1]
        pending = attempts[-1] if attempts[-1].score is None else None
        person, team = people[employee_id]
        rows.append({
            "id": failed.id, "login": person.login, "name": person.name, "team": team,
            "session_id": session_id, "title": plans[sessions[session_id].plan_id].title,
            "attempt": failed.attempt, "score": failed.score, "day": failed.day,
            "retake_on": pending.day if pending else None,
        })
    return sorted(rows, key=lambda r: (r["login"], r["day"]))
