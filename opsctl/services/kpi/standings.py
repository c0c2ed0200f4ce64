"""KPI results: every judged person's indicator scores, final score, grade and rank, for a
cycle, or for a month, quarter or year (DESIGN §7).

A quarter without a quarter cycle (for a person: without one that judges them) is the
mean of that person's month results in it; a year without a year cycle the mean of its
quarters. A mean is complete only when every part is; its parts are listed in `based_on`.
Ranks are standard competition ranks (1, 1, 3) among the complete people of the report
(of its team with --team); incomplete people get no grade and no rank.

Set-based: a handful of queries for all cycles of the period, then Python.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from opsctl.dates import Period, month_of, quarter_of, year_of
from opsctl.errors import NotFound
from opsctl.models.kpi import KpiCycle, KpiScore, KpiTemplate
from opsctl.models.people import Employee, Team
from opsctl.services.kpi.compute import (
    Computed,
    Indicator,
    PersonScore,
    competition_ranks,
    decimal,
    grade_of,
    mean,
    person_score,
)
from opsctl.services.kpi.cycles import cycles_named, members
from opsctl.services.kpi.templates import template_indicators

PERIOD_OF = {"month": month_of, "quarter": quarter_of, "year": year_of}


@dataclass
class CycleResult:
    cycle: KpiCycle
    template: str
    indicators: list[Indicator]
    people: dict[int, PersonScore]


@dataclass
class Line:
    """One person's result for a period: straight from a cycle, or a mean of parts."""

    employee_id: int
    final: Decimal | None
    missing: list[str]
    scores: dict[str, Decimal | None]
    points: dict[str, Decimal | None]
    based_on: list[str]
    grade: str | None = None
    rank: int | None = None
    parts: list[tuple[str, Line]] = field(default_factory=list)  # a mean: its months or quarters
    detail: CycleResult | None = None  # straight from a cycle: that cycle's result

    @property
    def complete(self) -> bool:
        return not self.missing


@dataclass
class PeriodReport:
    period: Period
    indicators: list[Indicator]
    lines: dict[int, Line]
    people: dict[int, Employee]
    teams: dict[int, str]


# -- cycles -------------------------------------------------------------------------------

def cycle_results(session: Session, cycles: list[KpiCycle], *, today: date) -> dict[int, CycleResult]:
    """Every judged person's score in each cycle (not yet graded or ranked)."""
    from opsctl.services.config import load_settings
    from opsctl.services.kpi.sources import frozen

    if not cycles:
        return {}
    settings = load_settings(session)
    weights = {role: decimal(w) for role, w in settings["kpi.rater_weights"].items()}
    indicators = template_indicators(session, {c.template_id for c in cycles})
    names = dict(session.exec(select(KpiTemplate.id, KpiTemplate.name)
                              .where(col(KpiTemplate.id).in_({c.template_id for c in cycles}))).all())
    judged = members(session, cycles)
    # (cycle id, employee id) -> indicator -> role -> scores
    scores: dict[tuple[int, int], dict[str, dict[str, list[Decimal]]]] = {}
    for cycle_id, employee_id, key, role, score in session.connection().execute(  # Core rows: no ORM work
        sa_select(col(KpiScore.cycle_id), col(KpiScore.employee_id), col(KpiScore.indicator), col(KpiScore.role),
                  col(KpiScore.score))
        .where(col(KpiScore.cycle_id).in_([c.id for c in cycles]))
    ):
        by_key = scores.setdefault((cycle_id, employee_id), {})
        by_key.setdefault(key, {}).setdefault(role, []).append(decimal(score))
    results: dict[int, CycleResult] = {}
    for cycle in cycles:
        cid = cycle.id or 0
        template = indicators[cycle.template_id]
        if cycle.status == "closed":
            computed = {eid: frozen(values) for eid, values in judged[cid].items()}
        else:
            computed = _live_computed(session, cycle, template, set(judged[cid]), today)
        results[cid] = CycleResult(cycle, names[cycle.template_id], template, {
            eid: person_score(eid, template, scores.get((cid, eid), {}), computed.get(eid, {}), weights)
            for eid in judged[cid]
        })
    return results


def _live_computed(
    session: Session, cycle: KpiCycle, indicators: list[Indicator], ids: set[int], today: date
) -> dict[int, dict[str, Computed]]:
    from opsctl.services.kpi.sources import compute_sources

    if all(i.rated for i in indicators) or not ids:
        return {}
    people = list(session.exec(select(Employee).where(col(Employee.id).in_(ids))))
    by_key = compute_sources(session, indicators=indicators, people=people, start=cycle.start, end=cycle.end,
                             today=today)
    found: dict[int, dict[str, Computed]] = defaultdict(dict)
    for key, values in by_key.items():
        for eid, value in values.items():
            found[eid][key] = value
    return found


def line_of(score: PersonScore, result: CycleResult) -> Line:
    return Line(score.employee_id, score.final, list(score.missing),
                {s.indicator.key: s.score for s in score.indicators}, score.category_points(), [result.cycle.name],
                detail=result)


def mean_line(employee_id: int, parts: list[tuple[str, Line]]) -> Line:
    """The mean of a person's results over the parts of a period (months or quarters)."""
    missing = [f"{label}: {item}" for label, part in parts for item in part.missing]
    finals = [part.final for _label, part in parts if part.final is not None]
    final = mean(finals) if not missing and finals else None
    return Line(employee_id, final, missing, _means([p.scores for _l, p in parts]),
                _means([p.points for _l, p in parts]), [name for _l, p in parts for name in p.based_on],
                parts=parts)


def _means(dicts: list[dict[str, Decimal | None]]) -> dict[str, Decimal | None]:
    keys = list(dict.fromkeys(k for d in dicts for k in d))
    out: dict[str, Decimal | None] = {}
    for key in keys:
        values = [d[key] for d in dicts if d.get(key) is not None]
        out[key] = mean([v for v in values if v is not None]) if values else None
    return out


# -- periods --------------------------------------------------------------------------------

def _labels(period: Period) -> list[str]:
    """The period and every smaller period inside it whose cycles may stand in for it."""
    labels = [period.label]
    if period.kind == "year":
        labels += [q.label for q in period.quarters]
    if period.kind in ("year", "quarter"):
        labels += [m.label for m in period.months]
    return labels


def _resolve(period: Period, by_name: dict[str, list[CycleResult]]) -> dict[int, Line]:
    lines: dict[int, Line] = {}
    for result in by_name.get(period.label, []):
        for eid, score in result.people.items():
            lines[eid] = line_of(score, result)
    if period.kind == "month":
        return lines
    parts = period.quarters if period.kind == "year" else period.months
    resolved = [(part.label, _resolve(part, by_name)) for part in parts]
    everyone = {eid for _label, part in resolved for eid in part} - set(lines)
    for eid in everyone:
        lines[eid] = mean_line(eid, [(label, part[eid]) for label, part in resolved if eid in part])
    return lines


def period_report(session: Session, *, period: Period, today: date) -> PeriodReport:
    """Everybody's result for ``period``; NotFound when no cycle covers any of it."""
    cycles = cycles_named(session, _labels(period))
    if any(c.name == period.label and c.team_id is None for c in cycles):
        cycles = [c for c in cycles if c.name == period.label]  # one cycle for everybody: no parts needed
    if not cycles:
        raise _nothing(session, period)
    results = cycle_results(session, cycles, today=today)
    by_name: dict[str, list[CycleResult]] = defaultdict(list)
    for result in results.values():
        by_name[result.cycle.name].append(result)
    lines = _resolve(period, by_name)
    indicators = list({i.key: i for r in results.values() for i in r.indicators}.values())
    people = {p.id or 0: p for p in session.exec(select(Employee).where(col(Employee.id).in_(list(lines))))}
    teams = {t.id or 0: t.name for t in session.exec(select(Team))}
    return PeriodReport(period, indicators, lines, people, teams)


def _nothing(session: Session, period: Period) -> NotFound:
    names = session.exec(select(KpiCycle.name).distinct().order_by(col(KpiCycle.name).desc()).limit(8)).all()
    known = f"cycles: {', '.join(names)}" if names else "there are no KPI cycles yet"
    return NotFound(f"no KPI results for {period.label} ({known}); open a cycle with "
                    f"`opsctl kpi cycle open {period.label}`")


def default_period(session: Session, *, kind: str, today: date) -> Period:
    """This month/quarter/year when it has cycles, else the latest earlier one that has."""
    current = PERIOD_OF[kind](today)
    usable = ("month",) if kind == "month" else ("month", "quarter") if kind == "quarter" else (
        "month", "quarter", "year")
    starts = session.exec(select(col(KpiCycle.start)).where(col(KpiCycle.kind).in_(usable),
                                                       KpiCycle.start <= current.end)).all()
    return max((PERIOD_OF[kind](start) for start in starts), default=current)


def grade_and_rank(lines: Iterable[Line], bands: dict[str, Any]) -> None:
    lines = list(lines)
    ranks = competition_ranks((line.employee_id, line.final) for line in lines if line.final is not None)
    for line in lines:
        line.grade = grade_of(line.final, bands) if line.final is not None else None
        line.rank = ranks.get(line.employee_id)



def incomplete(session: Session, cycle: KpiCycle, *, today: date) -> list[tuple[str, list[str]]]:
    """(login, missing indicators) of everybody the cycle judges who is not complete."""
    scores = cycle_results(session, [cycle], today=today)[cycle.id or 0].people
    lacking = {eid: score.missing for eid, score in scores.items() if score.missing}
    if not lacking:
        return []
    logins = dict(session.exec(select(Employee.id, Employee.login).where(col(Employee.id).in_(list(lacking)))).all())
    return sorted((logins[eid], missing) for eid, missing in lacking.items())
