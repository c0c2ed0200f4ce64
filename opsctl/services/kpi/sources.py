"""Computed KPI indicators: each source turns another area's records into a 0–100 value.

- ``attendance`` (the `discipline` indicator): max(0, 100 − late × late_count − early ×
  early_count − missing × missing_punches − absent × absent_days), the deductions from
  the `kpi.discipline` setting, over the cycle's dates from the attendance summary (days
  after today are open, so a cycle in progress counts what has happened so far).
- ``tasks``: the on-time completion rate of the person's tasks due in the cycle, in
  per cent. A task counts once it is done, or once its due date has passed; cancelled
  tasks never count. On time = done on or before its due date (the team-timezone date
  of `done_at`). Nobody with no counted task gets a value: the indicator is missing for
  them, with that reason, and they stay incomplete.

Each source runs a few queries for everybody at once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal

from sqlmodel import Session, col, select

from opsctl.models.people import Employee
from opsctl.services.kpi.compute import HUNDRED, Computed, Indicator, discipline_value

# source -> (session, *, people, start, end, today) -> employee id -> value
Source = Callable[..., dict[int, Computed]]


def discipline_scores(
    session: Session, *, people: Sequence[Employee], start: date, end: date, today: date
) -> dict[int, Computed]:
    from opsctl.services.attendance import summarize_period
    from opsctl.services.config import get_setting

    deductions = get_setting(session, "kpi.discipline")
    if not people:
        return {}
    found: dict[int, Computed] = {}
    for row in summarize_period(session, start=start, end=end, today=today, people=list(people)):
        counts = {"late": row.late_count, "early": row.early_count, "missing": row.missing_punches,
                  "absent": row.absent_days}
        found[row.employee_id] = Computed(discipline_value(counts, deductions),
                                          _discipline_detail(counts, deductions))
    return found


def _discipline_detail(counts: dict[str, float | int], deductions: dict[str, float]) -> str:
    """``1 late (−5), 2 missing punches (−4)``: what cost points, and how many."""
    words = {"late": ("late", "late"), "early": ("early leave", "early leaves"),
             "missing": ("missing punch", "missing punches"), "absent": ("absent day", "absent days")}
    parts = [f"{counts[k]:g} {words[k][counts[k] != 1]} (−{deductions[k] * counts[k]:g})" for k in words if counts[k]]
    return ", ".join(parts) if parts else "no late, early leave, missing punch or absence"


def task_scores(
    session: Session, *, people: Sequence[Employee], start: date, end: date, today: date
) -> dict[int, Computed]:
    from opsctl.models.projects import Task
    from opsctl.services.config import team_timezone

    tz = team_timezone(session)
    ids = [p.id for p in people]
    rows = session.exec(
        select(col(Task.assignee_id), col(Task.status), col(Task.due), col(Task.done_at))
        .where(col(Task.assignee_id).in_(ids), col(Task.due) >= start, col(Task.due) <= end,
               col(Task.status) != "cancelled")
    ).all()
    counted: dict[int, int] = {}
    on_time: dict[int, int] = {}
    for assignee, status, due, done_at in rows:
        assert assignee is not None and due is not None  # the query's conditions
        done = status == "done" and done_at is not None
        if not done and due >= today:
            continue  # not due yet: neither on time nor late so far
        counted[assignee] = counted.get(assignee, 0) + 1
        if done and done_at is not None and done_at.astimezone(tz).date() <= due:
            on_time[assignee] = on_time.get(assignee, 0) + 1
    found: dict[int, Computed] = {}
    for person in people:
        total = counted.get(person.id or 0, 0)
        if total == 0:
            found[person.id or 0] = Computed(None, "no tasks due in the cycle")
            continue
        good = on_time.get(person.id or 0, 0)
        found[person.id or 0] = Computed(HUNDRED * good / total, f"{good} of {total} task{'s' if total != 1 else ''} "
                                                                 "done on time")
    return found


SOURCES: dict[str, Source] = {"attendance": discipline_scores, "tasks": task_scores}


def compute_sources(
    session: Session, *, indicators: Sequence[Indicator], people: Sequence[Employee], start: date, end: date,
    today: date,
) -> dict[str, dict[int, Computed]]:
    """indicator key → employee id → value, for every computed indicator of a template."""
    results: dict[str, dict[int, Computed]] = {}
    cache: dict[str, dict[int, Computed]] = {}
    for indicator in indicators:
        if indicator.rated:
            continue
        if indicator.source not in cache:
            cache[indicator.source] = SOURCES[indicator.source](
                session, people=people, start=start, end=end, today=today) if people else {}
        results[indicator.key] = cache[indicator.source]
    return results


def frozen(values: dict[str, dict[str, str | None]]) -> dict[str, Computed]:
    """Computed values as a closed cycle stored them."""
    return {key: Computed(None if v["value"] is None else Decimal(v["value"]), v["detail"] or "")
            for key, v in values.items()}
