"""Final results and what they call for: a person's grade once the cycles behind it are
closed, whether it calls for an improvement plan (at or below the `kpi.plan_grade` setting),
and a run of such grades long enough (`kpi.plan_flag_after`) to be flagged to HR.

A result is final when every cycle it comes from is closed and it is complete (graded):
an open cycle's result is only "so far", and nobody holds a talk or writes a plan about it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import Session

from opsctl.dates import Period
from opsctl.errors import InvalidInput, NotFound
from opsctl.models.people import Employee
from opsctl.services.kpi.compute import BELOW_LAST_GRADE
from opsctl.services.kpi.standings import Line, grade_and_rank, period_report


def is_final(line: Line) -> bool:
    """Complete, and every cycle behind it closed."""
    if line.final is None:
        return False
    if line.detail is not None:
        return line.detail.cycle.status == "closed"
    return bool(line.parts) and all(is_final(part) for _label, part in line.parts)


def final_lines(session: Session, *, period: Period, today: date) -> dict[int, Line]:
    """Everybody's final, graded result of ``period`` (employee id → line); {} when no cycle covers it."""
    from opsctl.services.config import get_setting

    try:
        report = period_report(session, period=period, today=today)
    except NotFound:
        return {}
    lines = list(report.lines.values())
    grade_and_rank(lines, get_setting(session, "kpi.grades"))
    return {line.employee_id: line for line in lines if is_final(line)}


def final_result(session: Session, *, person: Employee, period: Period, today: date, what: str) -> Line:
    """``person``'s final result of ``period``; InvalidInput (exit 1) while there is none yet."""
    line = final_lines(session, period=period, today=today).get(person.id or 0)
    if line is None:
        raise InvalidInput(
            f"{person.login} has no final KPI result for {period.label} yet, so no {what}: a result is final "
            f"once its cycle is closed and complete (`opsctl kpi cycle close {period.label}`, "
            f"`opsctl kpi show {person.login} --cycle {period.label}`)")
    return line


def grade_order(bands: dict[str, Any]) -> list[str]:
    """Grades best first, the one below the last floor included."""
    return [*bands, BELOW_LAST_GRADE]


def calls_for_plan(grade: str | None, settings: dict[str, Any]) -> bool:
    """Whether ``grade`` is at or below the `kpi.plan_grade` setting."""
    order = grade_order(settings["kpi.grades"])
    threshold = settings["kpi.plan_grade"]
    if grade is None or threshold not in order or grade not in order:
        return False
    return order.index(grade) >= order.index(threshold)


def weak_streaks(session: Session, *, period: Period, ids: set[int], today: date,
                 grades: dict[int, str | None] | None = None) -> dict[int, int]:
    """For each of ``ids`` whose final grade of ``period`` calls for a plan: how many periods of
    its kind in a row (ending with it) did, counted up to `kpi.plan_flag_after`. ``grades``: the
    final grades of ``period`` when the caller has them (`kpi quarter` does), else worked out. One
    report per earlier period, and only while somebody's run goes on."""
    from opsctl.services.config import load_settings

    settings = load_settings(session)
    limit = int(settings["kpi.plan_flag_after"])
    runs: dict[int, int] = {}
    going = set(ids)
    current = period
    for step in range(limit):
        if not going:
            break
        if step == 0 and grades is not None:
            found = grades
        else:
            found = {eid: line.grade for eid, line in final_lines(session, period=current, today=today).items()}
        going = {eid for eid in going if eid in found and calls_for_plan(found[eid], settings)}
        for eid in going:
            runs[eid] = runs.get(eid, 0) + 1
        current = current.shift(-1)
    return runs


def flag_after(session: Session) -> int:
    from opsctl.services.config import get_setting

    return int(get_setting(session, "kpi.plan_flag_after"))


def final_grades(session: Session, *, period: Period, today: date) -> dict[int, str]:
    """Employee id → final grade of ``period`` (for `merit suggest`); {} while nothing is final."""
    return {eid: line.grade for eid, line in final_lines(session, period=period, today=today).items()
            if line.grade is not None}
