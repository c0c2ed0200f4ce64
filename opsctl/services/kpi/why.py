"""`kpi show LOGIN --cycle C`: why one final score is what it is, line by line.

For a cycle: every indicator with its weight, what each rater role gave (peers averaged,
how many), the rater weights used after leaving out the roles that did not score, the
indicator score, its points (weight × score / 100), and their sum before rounding. For a
quarter or year without its own cycle: the parts it is the mean of.
Raters are shown by role, never by name (peer ratings stay anonymous).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlmodel import Session

from opsctl.dates import Period
from opsctl.errors import NotFound
from opsctl.models.kpi import RATER_ROLES
from opsctl.models.people import Employee
from opsctl.services.kpi.compute import IndicatorScore, PersonScore, cents, decimal, number
from opsctl.services.kpi.standings import Line, grade_and_rank, period_report
from opsctl.services.kpi.views import require_visible


def _number(value: Decimal) -> str:
    """87.50 → 87.5, 85.00 → 85 (formulas read better without trailing zeros)."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def how(item: IndicatorScore) -> str:
    """The indicator's arithmetic in words a person can check."""
    if not item.indicator.rated:
        return item.detail
    if not item.roles:
        return "nobody has scored it yet"
    if item.score is None:
        return item.detail
    if len(item.roles) == 1:
        (role, only), = item.roles.items()
        return f"{role} only: {_number(cents(only.mean))}"
    total = sum((r.weight for r in item.roles.values()), Decimal(0))
    terms = " + ".join(f"{_number(r.weight)}×{_number(cents(r.mean))}" for r in item.roles.values())
    return f"({terms}) / {_number(total)}"


def indicator_line(item: IndicatorScore) -> dict[str, Any]:
    roles = {role: number(cents(item.roles[role].mean)) if role in item.roles else None for role in RATER_ROLES}
    return {
        "key": item.indicator.key, "name": item.indicator.name, "category": item.indicator.category,
        "weight": number(item.indicator.weight), "source": item.indicator.source, **roles,
        "peers": (item.roles["peer"].scores if "peer" in item.roles else 0) if item.indicator.rated else None,
        "score": number(item.score), "points": number(item.points), "how": how(item),
    }


def explain(session: Session, *, viewer: Employee, person: Employee, period: Period, today: date) -> dict[str, Any]:
    from opsctl.services.config import load_settings
    from opsctl.services.people import person_details

    require_visible(session, viewer, person)
    report = period_report(session, period=period, today=today)
    line = report.lines.get(person.id or 0)
    if line is None:
        raise NotFound(f"{person.login} has no KPI result for {period.label} (no cycle of it judges them)")
    settings = load_settings(session)
    grade_and_rank(report.lines.values(), settings["kpi.grades"])
    ranked = sum(1 for other in report.lines.values() if other.rank is not None)
    data: dict[str, Any] = {
        "cycle": period.label, "login": person.login, "name": person.name,
        "team": person_details(session, person)["team"],
        "final_score": number(line.final), "grade": line.grade, "rank": line.rank, "ranked_among": ranked,
        "complete": line.complete, "missing": line.missing,
    }
    if line.detail is not None:
        score = line.detail.people[person.id or 0]
        data |= _cycle_breakdown(line, score, settings)
    else:
        data |= {"based_on": line.based_on, "parts": [_part(label, part) for label, part in line.parts],
                 "how": f"the mean of the final scores of {len(line.parts)} "
                        f"{'months' if period.kind == 'quarter' else 'quarters'}, rounded half up"}
    return data


def _cycle_breakdown(line: Line, score: PersonScore, settings: dict[str, Any]) -> dict[str, Any]:
    assert line.detail is not None
    cycle = line.detail.cycle
    weights = settings["kpi.rater_weights"]
    return {
        "template": line.detail.template, "status": cycle.status, "start": cycle.start, "end": cycle.end,
        "rater_weights": {role: number(decimal(weights[role])) for role in RATER_ROLES},
        "points_total": number(score.points_sum),
        "indicators": [indicator_line(item) for item in score.indicators],
    }


def _part(label: str, part: Line) -> dict[str, Any]:
    return {"cycle": label, "final_score": number(part.final), "complete": part.complete, "missing": part.missing,
            "based_on": part.based_on}
