"""KPI results as people see them: the period report, one person's breakdown, a person's
history (for `people profile`) and the `today` section.

Who sees whose results: HR, admins and managers everybody's; a team lead the people of
the teams they lead (and anybody they manage); everybody else their own (and anybody
they manage). Ranks are among the people a report shows (a lead's team ranks 1, 2, 3),
except for someone who may see only their own result: theirs is their real rank among
everybody in the report.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlmodel import Session, col, select

from opsctl.dates import Period
from opsctl.models.kpi import CATEGORIES, KpiCycle, KpiMember, KpiScore
from opsctl.models.people import Employee
from opsctl.services import access
from opsctl.services.kpi.compute import number
from opsctl.services.kpi.standings import Line, PeriodReport, cycle_results, grade_and_rank, line_of, period_report


def visible_ids(session: Session, viewer: Employee, people: list[Employee]) -> set[int]:
    """The `kpi` row of `opsctl.services.access.SIGHT`."""
    return access.visible_ids(session, viewer, people, "kpi")


def require_visible(session: Session, viewer: Employee, person: Employee) -> None:
    access.require_see(session, viewer, person, "kpi", what="KPI results")


def _rows(report: PeriodReport, lines: list[Line], ranked_among: int) -> list[dict[str, Any]]:
    keys = [i.key for i in report.indicators]
    rows = []
    for line in lines:
        person = report.people[line.employee_id]
        rows.append({
            "cycle": report.period.label, "login": person.login, "name": person.name,
            "team": report.teams.get(person.team_id or 0), "rank": line.rank, "final_score": number(line.final),
            "grade": line.grade, "complete": line.complete, "missing": line.missing,
            **{f"{c}_points": number(line.points.get(c)) for c in CATEGORIES},
            **{key: number(line.scores.get(key)) for key in keys},
            "based_on": line.based_on, "ranked_among": ranked_among if line.rank is not None else None,
        })
    return rows


def results(
    session: Session, *, viewer: Employee, period: Period, today: date, team: str | None = None
) -> dict[str, Any]:
    """The period's results (its team's with ``team``) that ``viewer`` may see, ranked among
    those rows (a viewer who sees only themselves: among everybody), best first, then the
    incomplete by login. ``ranked_among`` says how many people the ranks are among."""
    from opsctl.services.config import get_setting
    from opsctl.services.people import get_team

    report = period_report(session, period=period, today=today)
    lines = list(report.lines.values())
    if team is not None:
        team_id = get_team(session, team).id
        lines = [line for line in lines if report.people[line.employee_id].team_id == team_id]
    bands = get_setting(session, "kpi.grades")
    shown = visible_ids(session, viewer, [report.people[line.employee_id] for line in lines])
    own_only = shown == {viewer.id}  # a rank of 1 among oneself says nothing: rank among everybody
    ranked = lines if own_only else [line for line in lines if line.employee_id in shown]
    grade_and_rank(ranked, bands)
    ranked_among = sum(1 for line in ranked if line.rank is not None)
    lines = sorted((line for line in ranked if line.employee_id in shown),
                   key=lambda line: (line.rank is None, line.rank or 0, report.people[line.employee_id].login))
    return {"period": period, "team": team, "indicators": report.indicators,
            "rows": _rows(report, lines, ranked_among), "bands": bands, "scope": len(report.lines),
            "ranked_among": ranked_among, "ranked_shown": not own_only}


def person_history(session: Session, *, employee: Employee, today: date | None = None) -> list[dict[str, Any]]:
    """One entry per cycle that judged ``employee`` (cycle, final_score, grade, rank, complete),
    oldest first, ranks within each whole cycle. Closed cycles always; open ones (results so
    far) only when ``today`` is given, as their computed indicators depend on it."""
    from opsctl.services.config import get_setting
    from opsctl.services.kpi.cycles import in_scope

    closed_in = set(session.exec(select(KpiMember.cycle_id).where(KpiMember.employee_id == employee.id)).all())
    scored_in = set(session.exec(select(KpiScore.cycle_id).distinct().where(KpiScore.employee_id == employee.id)))
    mine = [
        c for c in session.exec(select(KpiCycle).order_by(col(KpiCycle.start), col(KpiCycle.end)))
        if c.id in closed_in or (today is not None and c.status == "open" and c.start <= today
                                 and (c.id in scored_in or in_scope(c, employee)))
    ]
    found = cycle_results(session, mine, today=today or date.min)
    bands = get_setting(session, "kpi.grades")
    history = []
    for cycle in mine:
        lines = [line_of(score, found[cycle.id or 0]) for score in found[cycle.id or 0].people.values()]
        grade_and_rank(lines, bands)
        line = next(line for line in lines if line.employee_id == employee.id)
        history.append({"cycle": cycle.name, "final_score": number(line.final), "grade": line.grade, "rank": line.rank,
                        "complete": line.complete})
    return history


def today_facts(session: Session, *, person: Employee, today: date, now: datetime) -> dict[str, Any] | None:
    """The person's latest KPI result (so far, while its cycle is open) and the cycles open now."""
    history = person_history(session, employee=person, today=today)
    if not history:
        return None
    open_now = {c.name for c in session.exec(select(KpiCycle).where(KpiCycle.status == "open"))}
    latest = history[-1]
    data: dict[str, Any] = {"login": person.login, **latest,
                            "status": "open (results so far)" if latest["cycle"] in open_now else "closed"}
    return data
