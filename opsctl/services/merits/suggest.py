"""`merit suggest --cycle C`: rewards and penalties the data of a finished period calls for,
proposed, never applied: HR (or the person's manager) accepts them line by line with
`merit accept ID…`, which adds each as an ordinary pending entry.

The lines (points from the `merit.suggest` setting; a line worth 0 points is left out):

- ``grade_a``: reward, the best grade (`kpi.grades`' first) in the period's final KPI result;
- ``clean``: reward, a clean attendance record: workdays, and no late arrival, early leave,
  missing punch or absent day;
- ``late``: penalty, late × each late arrival beyond ``late_free``;
- ``absent``: penalty, absent × absent days (rounded half up).

A line's id, ``CYCLE:LOGIN:RULE`` (``2026Q1:wei:late``), names it for `merit accept`; an
accepted line keeps it, so it is accepted once (revoked or not). Set-based: the attendance summary of everybody
in one go, the KPI results of the period once.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlmodel import Session, col, select

from opsctl.dates import Period
from opsctl.errors import Conflict, InvalidInput, NotFound
from opsctl.models.merits import Merit
from opsctl.models.people import Employee
from opsctl.services import access

RULES = ("grade_a", "clean", "late", "absent")
CATEGORIES = {"grade_a": "KPI grade A", "clean": "clean attendance", "late": "late arrivals", "absent": "absence"}


def suggest_merits(session: Session, *, viewer: Employee, period: Period, today: date) -> list[dict[str, Any]]:
    """Every line the data of ``period`` calls for, for the active people ``viewer`` may see."""
    from opsctl.services.attendance import summarize_period
    from opsctl.services.config import load_settings
    from opsctl.services.kpi import final_grades

    if period.end >= today:
        raise InvalidInput(f"{period.label} runs until {period.end}; suggestions come once it is over")
    settings = load_settings(session)
    points = {key: Decimal(repr(value)) for key, value in settings["merit.suggest"].items()}
    best = next(iter(settings["kpi.grades"]))
    people = [p for p in session.exec(select(Employee).where(col(Employee.active))) if p.team_id is not None]
    shown = access.visible_ids(session, viewer, people, "merits")
    people = [p for p in people if p.id in shown]
    grades = final_grades(session, period=period, today=today)
    accepted = {line: f"#{merit_id}" + (" (revoked)" if status == "revoked" else "") for line, merit_id, status in
                session.exec(select(Merit.suggestion, Merit.id, Merit.status).where(
                    col(Merit.suggestion).startswith(f"{period.label}:")))}  # once, even when revoked
    lines: list[dict[str, Any]] = []
    by_id = {p.id: p for p in people}
    for summary in summarize_period(session, start=period.start, end=period.end, today=today, people=people):
        person = by_id[summary.employee_id]
        found: list[tuple[str, str, Decimal, str]] = []
        if grades.get(summary.employee_id) == best:
            found.append(("grade_a", "reward", points["grade_a"], f"KPI grade {best} in {period.label}"))
        counts = (summary.late_count, summary.early_count, summary.missing_punches, summary.absent_days)
        if summary.workdays and summary.present_days and not any(counts):
            found.append(("clean", "reward", points["clean"], f"clean attendance in {period.label}: no late "
                          "arrival, early leave, missing punch or absence"))
        free = int(points["late_free"])
        if summary.late_count > free:
            found.append(("late", "penalty", points["late"] * (summary.late_count - free),
                          f"{summary.late_count} late arrivals in {period.label} ({free} without penalty)"))
        if summary.absent_days:
            found.append(("absent", "penalty", points["absent"] * Decimal(repr(summary.absent_days)),
                          f"{summary.absent_days:g} absent day{'s' if summary.absent_days != 1 else ''} in "
                          f"{period.label}"))
        for rule, kind, worth, reason in found:
            whole = int(worth.quantize(Decimal(1), rounding=ROUND_HALF_UP))
            if whole <= 0:
                continue
            line_id = f"{period.label}:{person.login}:{rule}"
            lines.append({
                "id": line_id, "login": person.login, "name": person.name, "kind": kind,
                "category": CATEGORIES[rule], "points": whole if kind == "reward" else -whole,
                "reason": reason, "cycle": period.label, "source": "kpi" if rule == "grade_a" else "attendance",
                "accepted": accepted.get(line_id),
            })
    return sorted(lines, key=lambda line: (line["login"], RULES.index(line["id"].rsplit(":", 1)[1])))


def accept_suggestions(
    session: Session, *, actor: Employee, now: datetime, today: date, ids: list[str]
) -> list[Merit]:
    """Each line named (``CYCLE:LOGIN:RULE``), as it is now, added as a pending entry; all or none."""
    from opsctl.dates import parse_cycle
    from opsctl.services.merits.entries import add_merit

    if not ids:
        raise InvalidInput("name the lines to accept: `opsctl merit accept 2026Q1:wei:late …` "
                           "(their ids from `opsctl merit suggest --cycle C`)")
    by_cycle: dict[str, dict[str, dict[str, Any]]] = {}
    made = []
    for line_id in dict.fromkeys(ids):
        label, _sep, rest = line_id.partition(":")
        if not rest or rest.rsplit(":", 1)[-1] not in RULES:
            raise InvalidInput(f"{line_id!r} is not a suggestion id; they read CYCLE:LOGIN:RULE (2026Q1:wei:late)")
        if label not in by_cycle:
            period = parse_cycle(label, today=today)
            by_cycle[label] = {line["id"]: line for line in
                               suggest_merits(session, viewer=actor, period=period, today=today)}
        line = by_cycle[label].get(line_id)
        if line is None:
            raise NotFound(f"no suggestion {line_id} (for you to see) now; see `opsctl merit suggest --cycle {label}`")
        if line["accepted"]:
            number = line["accepted"].split()[0][1:]
            raise Conflict(f"{line_id} was accepted already as {line['accepted']}; see `opsctl merit show {number}` "
                           "(a new entry for it: `opsctl merit add`)")
        person = session.exec(select(Employee).where(Employee.login == line["login"])).one()
        made.append(add_merit(
            session, actor=actor, now=now, person=person, kind=line["kind"], category=line["category"],
            points=abs(line["points"]), reason=line["reason"], cycle=parse_cycle(label, today=today),
            source=line["source"], suggestion=line_id))
    return made
