"""The KPI arithmetic of DESIGN §7, as pure functions: no database, no clock.

Numbers are ``Decimal`` from end to end and rounded half up (never to even), in two
visible steps so that `kpi show` can be checked by hand:

1. an indicator's score is the weighted mean of the rater roles that scored it (several
   scores of one role, e.g. three peers, are averaged first; roles that did not score
   are left out and the remaining weights renormalised), rounded to two decimals;
2. the final score is Σ weight × indicator score / 100 over those rounded indicator
   scores, rounded to two decimals.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import NamedTuple

from opsctl.models.kpi import RATER_ROLES

CENT = Decimal("0.01")
HUNDRED = Decimal(100)
BELOW_LAST_GRADE = "E"


def cents(value: Decimal) -> Decimal:
    """Two decimals, half up: 84.125 → 84.13 (Python's round() would give 84.12)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@lru_cache(maxsize=16384)
def decimal(value: float | int | str | Decimal) -> Decimal:
    """A stored float as the decimal a person typed (87.5, not 87.4999…); cached, as a
    report converts thousands of scores that take a few hundred distinct values."""
    if not isinstance(value, Decimal):
        value = Decimal(repr(value) if isinstance(value, float) else value)
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value


def number(value: Decimal | None) -> int | float | None:
    """A decimal for output (JSON, tables): 25 stays whole, 84.31 a float."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


@dataclass(frozen=True)
class Indicator:
    key: str
    name: str
    category: str
    weight: Decimal
    source: str  # rated, attendance, tasks

    @property
    def rated(self) -> bool:
        return self.source == "rated"


@dataclass(frozen=True)
class Computed:
    """A computed indicator's value for one person; ``value`` None means no data (``detail`` says why)."""

    value: Decimal | None
    detail: str


class RoleScore(NamedTuple):  # a tuple: a report makes tens of thousands
    mean: Decimal  # the mean of this role's scores (unrounded)
    scores: int  # how many (peers: one per peer)
    weight: Decimal  # the role's rater weight (before renormalising)


@dataclass
class IndicatorScore:
    indicator: Indicator
    score: Decimal | None  # two decimals; None: missing
    roles: dict[str, RoleScore] = field(default_factory=dict)
    detail: str = ""  # how a computed value came about, or why it is missing

    @property
    def points(self) -> Decimal | None:
        """Weight × score / 100 (exact; the final score rounds their sum)."""
        return None if self.score is None else self.indicator.weight * self.score / HUNDRED


@dataclass
class PersonScore:
    employee_id: int
    indicators: list[IndicatorScore]
    final: Decimal | None  # None while anything is missing
    missing: list[str]

    @property
    def complete(self) -> bool:
        return not self.missing

    @property
    def points_sum(self) -> Decimal:
        return sum((s.points for s in self.indicators if s.points is not None), Decimal(0))

    def category_points(self) -> dict[str, Decimal | None]:
        """Points earned per category (performance out of 60 in the standard template…)."""
        totals: dict[str, Decimal | None] = {}
        for item in self.indicators:
            category = item.indicator.category
            if item.points is None:
                totals[category] = None
            elif category not in totals or totals[category] is not None:
                totals[category] = (totals.get(category) or Decimal(0)) + item.points
        return {k: None if v is None else cents(v) for k, v in totals.items()}


def rated_score(
    by_role: Mapping[str, Sequence[Decimal]], rater_weights: Mapping[str, Decimal]
) -> tuple[Decimal | None, dict[str, RoleScore]]:
    """The weighted mean over the roles that scored (renormalised), two decimals."""
    roles = {
        role: RoleScore(sum(values, Decimal(0)) / len(values), len(values), rater_weights.get(role, Decimal(0)))
        for role in RATER_ROLES
        if (values := by_role.get(role))
    }
    total_weight = sum((r.weight for r in roles.values()), Decimal(0))
    if not roles or total_weight == 0:
        return None, roles
    return cents(sum((r.weight * r.mean for r in roles.values()), Decimal(0)) / total_weight), roles


def person_score(
    employee_id: int,
    indicators: Sequence[Indicator],
    scores: Mapping[str, Mapping[str, Sequence[Decimal]]],
    computed: Mapping[str, Computed],
    rater_weights: Mapping[str, Decimal],
) -> PersonScore:
    """One person's indicator scores and final score; ``scores`` is key → role → values."""
    items: list[IndicatorScore] = []
    missing: list[str] = []
    for indicator in indicators:
        if indicator.rated:
            value, roles = rated_score(scores.get(indicator.key, {}), rater_weights)
            detail = "" if value is not None or not roles else "only roles whose rater weight is 0 scored it"
            item = IndicatorScore(indicator, value, roles, detail)
        else:
            found = computed.get(indicator.key)
            value = None if found is None or found.value is None else cents(found.value)
            item = IndicatorScore(indicator, value, {}, found.detail if found else "not computed")
        if item.score is None:
            missing.append(indicator.key)
        items.append(item)
    final = None if missing else cents(sum((i.points or Decimal(0) for i in items), Decimal(0)))
    return PersonScore(employee_id, items, final, missing)


def grade_of(score: Decimal, bands: Mapping[str, float | int | Decimal]) -> str:
    """The first grade (best first) whose floor the score reaches, else E."""
    for grade, floor in bands.items():
        if score >= decimal(floor):
            return grade
    return BELOW_LAST_GRADE


def competition_ranks(finals: Iterable[tuple[int, Decimal]]) -> dict[int, int]:
    """Standard competition ranking (1, 1, 3): equal scores share a rank, the next skips."""
    ordered = sorted(finals, key=lambda pair: pair[1], reverse=True)
    ranks: dict[int, int] = {}
    previous: Decimal | None = None
    rank = 0
    for position, (key, final) in enumerate(ordered, start=1):
        if final != previous:
            rank, previous = position, final
        ranks[key] = rank
    return ranks


def mean(values: Sequence[Decimal]) -> Decimal:
    return cents(sum(values, Decimal(0)) / len(values))


def discipline_value(counts: Mapping[str, float | int | Decimal], deductions: Mapping[str, float | int]) -> Decimal:
    """max(0, 100 − Σ deduction × count) over late, early, missing and absent."""
    lost = sum((decimal(deductions[k]) * decimal(counts.get(k, 0)) for k in deductions), Decimal(0))
    return max(Decimal(0), HUNDRED - lost)
