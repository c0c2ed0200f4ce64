"""Scoring: `kpi score` (one rater, one person, several indicators) and `kpi import`
(a sheet of scores). Scoring the same indicator again in the same role replaces the
rater's earlier score.

Who may rate (DESIGN §7): self = the person; supervisor = the person's manager (anyone
up their chain), HR or an admin; peer = another member of the person's team who is not
their manager; customer = entered by the person's manager, HR or an admin (the one
entering is recorded as the rater, so one entrant keeps one customer score per indicator).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from opsctl.dates import Period
from opsctl.errors import Conflict, InvalidInput, NotAllowed, NotFound, OpsctlError
from opsctl.models.kpi import RATER_ROLES, KpiCycle, KpiScore
from opsctl.models.people import Employee, Team
from opsctl.services import audit
from opsctl.services.access import ADMIN_ROLES, OrgChart
from opsctl.services.kpi.compute import Indicator
from opsctl.services.kpi.cycles import check_judged, cycle_for, cycles_named, hold_open, no_cycle, require_open
from opsctl.services.kpi.templates import template_indicators

MAX_COMMENT = 500


@dataclass(frozen=True)
class Rating:
    cycle: KpiCycle
    person: Employee
    rater: Employee
    role: str
    key: str
    score: Decimal
    comment: str | None


# -- checks -----------------------------------------------------------------------------

def check_score(key: str, text: str) -> Decimal:
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite() or not 0 <= value <= 100 or value != value.quantize(Decimal("0.01")):
        raise InvalidInput(f"the score for {key} must be a number from 0 to 100 with at most two decimals, "
                           f"not {text.strip()!r}")
    return value


def check_role(role: str) -> str:
    role = role.strip().lower()
    if role not in RATER_ROLES:
        raise InvalidInput(f"unknown rater role {role!r}; roles: {', '.join(RATER_ROLES)}")
    return role


def parse_assignments(items: list[str], *, what: str = "KEY=SCORE", example: str = "results=85") -> dict[str, str]:
    """``["results=85", "skills=90.5"]`` → {"results": "85", "skills": "90.5"}."""
    if not items:
        raise InvalidInput(f"give at least one {what}, e.g. {example}")
    found: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        key = key.strip().lower()
        if not sep or not key or not value.strip():
            raise InvalidInput(f"expected {what} (e.g. {example}), not {item!r}")
        if key in found:
            raise InvalidInput(f"{key} is given twice; give each indicator once")
        found[key] = value
    return found


def check_indicator(indicators: list[Indicator], key: str, template: str) -> Indicator:
    for indicator in indicators:
        if indicator.key == key:
            if not indicator.rated:
                raise InvalidInput(f"{key} is computed from {indicator.source}, not rated; "
                                   f"rate one of: {', '.join(i.key for i in indicators if i.rated)}")
            return indicator
    rated = ", ".join(i.key for i in indicators if i.rated)
    raise InvalidInput(f"unknown indicator {key!r} in template {template}; valid keys: {rated}")


class RaterRules:
    """The rater rules; everybody and the org chart are loaded once for all the ratings."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.people = {p.id or 0: p for p in session.exec(select(Employee))}
        self.team_names = {t.id or 0: t.name for t in session.exec(select(Team))}
        self.chart = OrgChart.load(session)

    def manages(self, boss: Employee, person: Employee) -> bool:
        return self.chart.manages(boss.id, person.id)

    def check(self, *, rater: Employee, person: Employee, role: str) -> None:
        """NotAllowed (exit 4) unless ``rater`` may rate ``person`` in ``role``."""
        boss = rater.role in ADMIN_ROLES or self.manages(rater, person)
        who = f"{rater.login} may not rate {person.login} as {role}"
        if role == "self" and rater.id != person.id:
            raise NotAllowed(f"{who}: a self rating is given by {person.login} only")
        if role != "self" and rater.id == person.id:
            raise NotAllowed(f"{who}: rate yourself with --role self")
        if role == "supervisor" and not boss:
            raise NotAllowed(f"{who}: only their manager, HR or an admin may")
        if role == "customer" and not boss:
            raise NotAllowed(f"{who}: customer ratings are entered by their manager, HR or an admin")
        if role == "peer" and (person.team_id is None or rater.team_id != person.team_id):
            team = self.team_names.get(person.team_id or 0)
            raise NotAllowed(f"{who}: peers are other members of {f'team {team}' if team else 'their team'}")
        if role == "peer" and self.manages(rater, person):
            raise NotAllowed(f"{who}: {rater.login} is their manager; rate with --role supervisor")


# -- writing ---------------------------------------------------------------------------

def _store(session: Session, ratings: list[Rating], *, now: datetime) -> list[KpiScore]:
    """Insert or replace each rating (in order), finding the existing ones in one query per cycle."""
    existing: dict[tuple[int, int, str, str, int], KpiScore] = {}
    for cycle_id in {r.cycle.id for r in ratings}:
        people = {r.person.id for r in ratings if r.cycle.id == cycle_id}
        for s in session.exec(select(KpiScore).where(KpiScore.cycle_id == cycle_id,
                                                     col(KpiScore.employee_id).in_(people))):
            existing[(s.cycle_id, s.employee_id, s.indicator, s.role, s.rater_id)] = s
    stored: list[KpiScore] = []
    for r in ratings:
        key = (r.cycle.id or 0, r.person.id or 0, r.key, r.role, r.rater.id or 0)
        score = existing.get(key)
        if score is None:
            score = existing[key] = KpiScore(
                cycle_id=key[0], employee_id=key[1], indicator=r.key, role=r.role, rater_id=key[4], score=0.0,
                created_at=now, updated_at=now)
            session.add(score)
        score.score, score.comment, score.updated_at = float(r.score), r.comment, now
        stored.append(score)
    session.flush()
    return stored


def _comment(text: str | None) -> str | None:
    text = (text or "").strip()
    if len(text) > MAX_COMMENT:
        raise InvalidInput(f"a comment may have at most {MAX_COMMENT} characters (this one has {len(text)})")
    return text or None


def score_person(
    session: Session, *, actor: Employee, now: datetime, period: Period, person: Employee, role: str,
    scores: dict[str, str], comment: str | None = None,
) -> list[dict[str, Any]]:
    """``actor`` rates ``person`` in ``role`` on several indicators of the cycle ``period``."""
    role = check_role(role)
    cycle = cycle_for(session, period, person)
    hold_open(session, [cycle])
    require_open(cycle, session)
    rules = RaterRules(session)
    check_judged(cycle, person, rules.team_names)
    rules.check(rater=actor, person=person, role=role)
    indicators = template_indicators(session, {cycle.template_id})[cycle.template_id]
    template = _template_name(session, cycle)
    note = _comment(comment)
    ratings = [Rating(cycle, person, actor, role, check_indicator(indicators, key, template).key,
                      check_score(key, text), note) for key, text in scores.items()]
    stored = _store(session, ratings, now=now)
    if actor.id != person.id:
        audit.record(session, now=now, actor=actor, action="kpi.score", entity="kpi_cycle", entity_id=cycle.name,
                     subject=person, details={"role": role, "scores": {r.key: r.score for r in ratings}})
    return [score_row(s, cycle.name, person.login, actor.login) for s in stored]


def _template_name(session: Session, cycle: KpiCycle) -> str:
    from opsctl.models.kpi import KpiTemplate

    template = session.get(KpiTemplate, cycle.template_id)
    return template.name if template else "?"


def score_row(score: KpiScore, cycle: str, login: str, rater: str) -> dict[str, Any]:
    return {"id": score.id, "cycle": cycle, "login": login, "indicator": score.indicator, "role": score.role,
            "rater": rater, "score": score.score, "comment": score.comment, "updated_at": score.updated_at}


IMPORT_COLUMNS = ("login", "role", "key", "score")
IMPORT_OPTIONAL = ("rater", "comment")


def import_scores(
    session: Session, *, actor: Employee, now: datetime, path: Path, period: Period,
) -> list[dict[str, Any]]:
    """Scores from CSV/XLSX (login, role, rater, key, score, comment) into the cycle ``period``.
    HR and admins may enter any rater's scores; others only their own (rater empty or them).
    Every bad row is reported with its line number, and nothing is written unless all are good."""
    from opsctl.tablefile import read_rows

    cycles = cycles_named(session, [period.label])
    if not cycles:
        raise no_cycle(session, period.label)
    hold_open(session, cycles)
    if all(c.status == "closed" for c in cycles):
        require_open(cycles[0], session)
    rows = read_rows(path, required=IMPORT_COLUMNS, optional=IMPORT_OPTIONAL)
    rules = RaterRules(session)
    by_login = {p.login: p for p in rules.people.values()}
    indicators = template_indicators(session, {c.template_id for c in cycles})
    templates = {c.id: _template_name(session, c) for c in cycles}
    ratings: list[Rating] = []
    seen: dict[tuple[int, str, str, int], int] = {}
    problems: list[tuple[int, OpsctlError]] = []
    for row in rows:
        try:
            person = _known(by_login, row.get("login"), "person")
            rater = _known(by_login, row.get("rater"), "rater") if row.get("rater") else actor
            if rater.id != actor.id and actor.role not in ADMIN_ROLES:
                raise NotAllowed(f"only HR or an admin may enter {rater.login}'s scores; leave rater empty for yours")
            role = check_role(row.get("role"))
            cycle = cycle_for(session, period, person, cycles)
            require_open(cycle, session)
            check_judged(cycle, person, rules.team_names)
            rules.check(rater=rater, person=person, role=role)
            key = check_indicator(indicators[cycle.template_id], row.get("key").lower(), templates[cycle.id]).key
            rating = Rating(cycle, person, rater, role, key, check_score(key, row.get("score")),
                            _comment(row.get("comment")))
            same = (person.id or 0, key, role, rater.id or 0)
            if same in seen:
                raise InvalidInput(f"{person.login} {key} by {rater.login} as {role} is also on line {seen[same]}")
            seen[same] = row.line
            ratings.append(rating)
        except OpsctlError as exc:
            problems.append((row.line, exc))
    _report_rows(path, problems)
    if not ratings:
        raise InvalidInput(f"{path} has no scores; one row per score: login,role,rater,key,score,comment")
    stored = _store(session, ratings, now=now)
    audit.record(session, now=now, actor=actor, action="kpi.import", entity="file", entity_id=path.name,
                 details={"cycle": period.label, "scores": len(stored),
                          "people": sorted({r.person.login for r in ratings})})
    return [score_row(s, r.cycle.name, r.person.login, r.rater.login) for s, r in zip(stored, ratings, strict=True)]


def _known(by_login: dict[str, Employee], login: str, what: str) -> Employee:
    person = by_login.get(login.strip().lower())
    if person is None:
        raise NotFound(f"unknown {what} {login!r}" if login else f"the {what} is empty")
    return person


def _report_rows(path: Path, problems: list[tuple[int, OpsctlError]]) -> None:
    """One error naming every bad row; its exit code is the rows' own when they all agree
    (all not allowed → 4, all locked → 5), else 1."""
    from opsctl.tablefile import report_bad_rows

    if not problems:
        return
    kinds = {type(exc) for _line, exc in problems}
    kind = kinds.pop() if len(kinds) == 1 else InvalidInput
    try:
        report_bad_rows(path, [f"line {line}: {exc.message}" for line, exc in problems])
    except InvalidInput as exc:
        raise (kind if kind in (NotAllowed, Conflict, NotFound) else InvalidInput)(exc.message) from None
