"""KPI templates: the default `standard`, listing, showing, deriving and importing them.

A template never changes once made (cycles point at it, and their results must not
move); a different weighting is a new template.
"""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, func, select

from opsctl.errors import Conflict, InvalidInput, NotFound
from opsctl.models.kpi import CATEGORIES, SOURCES, KpiCycle, KpiIndicator, KpiTemplate
from opsctl.models.people import Employee
from opsctl.services import audit
from opsctl.services.access import require_employee, require_roles
from opsctl.services.kpi.compute import Indicator, decimal, number

KPI_ORGANISERS = ("manager", "hr", "admin")
STANDARD_NAME = "standard"
STANDARD_DESCRIPTION = "performance 60 %, ability 30 %, attitude 10 % (the regulations)"
STANDARD: tuple[Indicator, ...] = tuple(
    Indicator(key, name, category, Decimal(weight), source)
    for key, name, category, weight, source in (
        ("results", "Work results", "performance", 25, "rated"),
        ("projects", "Projects delivered", "performance", 20, "rated"),
        ("customer", "Customer satisfaction", "performance", 15, "rated"),
        ("skills", "Professional skills", "ability", 10, "rated"),
        ("communication", "Communication", "ability", 8, "rated"),
        ("learning", "Learning", "ability", 6, "rated"),
        ("problem_solving", "Problem solving", "ability", 6, "rated"),
        ("responsibility", "Responsibility", "attitude", 3, "rated"),
        ("teamwork", "Teamwork", "attitude", 3, "rated"),
        ("initiative", "Initiative", "attitude", 2, "rated"),
        ("discipline", "Discipline (attendance)", "attitude", 2, "attendance"),
    )
)
KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")
# Keys of a result row; an indicator may not take one of them (results show indicators as columns).
RESERVED_KEYS = frozenset({
    "id", "cycle", "cycles", "login", "name", "team", "template", "final_score", "grade", "rank", "complete",
    "missing", *(f"{c}_points" for c in CATEGORIES),
})


# -- checks ---------------------------------------------------------------------------

def check_template_name(name: str) -> str:
    name = name.strip()
    if not NAME_PATTERN.match(name):
        raise InvalidInput(f"not a template name: {name!r} (letters, digits, '.', '_' or '-', at most 40)")
    return name


def check_key(key: str) -> str:
    key = key.strip().lower()
    if not KEY_PATTERN.match(key):
        raise InvalidInput(f"not an indicator key: {key!r} (lower-case letters, digits and _, starting with a letter)")
    if key in RESERVED_KEYS:
        raise InvalidInput(f"{key!r} cannot be an indicator key (it names a column of the results)")
    return key


def check_weight(text: str) -> Decimal:
    try:
        weight = Decimal(text.strip())
    except InvalidOperation:
        raise InvalidInput(f"not a weight: {text!r} (a number of points out of 100, e.g. 25)") from None
    if not weight.is_finite() or weight <= 0 or weight > 100 or weight != weight.quantize(Decimal("0.01")):
        raise InvalidInput(f"a weight must be above 0 and at most 100, with at most two decimals; got {text!r}")
    return weight


def _is_zero(text: str) -> bool:
    """``0``, ``0.0``, ``00``…: any way of writing zero."""
    try:
        return Decimal(text.strip()) == 0
    except InvalidOperation:
        return False


def _choice(value: str, choices: tuple[str, ...], what: str) -> str:
    value = value.strip().lower()
    if value not in choices:
        raise InvalidInput(f"unknown {what} {value!r}; {what}s: {', '.join(choices)}")
    return value


def check_weights_total(indicators: list[Indicator]) -> None:
    total = sum((i.weight for i in indicators), Decimal(0))
    if total != 100:
        parts = " + ".join(f"{i.key} {i.weight:g}" for i in indicators)
        raise InvalidInput(f"the weights sum to {total:g}, not 100 ({parts}); change them so they add up to 100")


# -- reading ----------------------------------------------------------------------------

def get_template(session: Session, name: str) -> KpiTemplate:
    template = session.exec(select(KpiTemplate).where(KpiTemplate.name == name.strip())).first()
    if template is None:
        known = session.exec(select(KpiTemplate.name).order_by(KpiTemplate.name)).all()
        listing = f"templates: {', '.join(known)}" if known else "there are no templates"
        raise NotFound(f"unknown KPI template {name!r} ({listing}); see `opsctl kpi template list`")
    return template


def template_indicators(session: Session, template_ids: set[int]) -> dict[int, list[Indicator]]:
    """Every listed template's indicators, in order, in one query."""
    rows = session.exec(
        select(KpiIndicator).where(col(KpiIndicator.template_id).in_(template_ids))
        .order_by(col(KpiIndicator.template_id), col(KpiIndicator.position))
    )
    found: dict[int, list[Indicator]] = {tid: [] for tid in template_ids}
    for row in rows:
        found[row.template_id].append(
            Indicator(row.key, row.name, row.category, decimal(row.weight), row.source))
    return found


def list_templates(session: Session, *, viewer: Employee) -> list[dict[str, Any]]:
    """Every template (any employee may see them)."""
    require_employee(session, viewer)
    templates = session.exec(select(KpiTemplate).order_by(KpiTemplate.name)).all()
    indicators = template_indicators(session, {t.id for t in templates if t.id is not None})
    used = dict(session.exec(
        select(col(KpiCycle.template_id), func.count()).group_by(col(KpiCycle.template_id))).all())
    return [_template_row(t, indicators[t.id or 0], used.get(t.id or 0, 0)) for t in templates]


def _template_row(template: KpiTemplate, indicators: list[Indicator], cycles: int) -> dict[str, Any]:
    by_category = {c: sum((i.weight for i in indicators if i.category == c), Decimal(0)) for c in CATEGORIES}
    return {
        "id": template.id, "name": template.name, "description": template.description,
        "indicators": len(indicators),
        **{c: number(by_category[c]) for c in CATEGORIES},
        "computed": [i.key for i in indicators if not i.rated],
        "cycles": cycles,
    }


def template_details(session: Session, name: str, *, viewer: Employee) -> dict[str, Any]:
    """One template and its indicators (any employee may see them)."""
    require_employee(session, viewer)
    template = get_template(session, name)
    indicators = template_indicators(session, {template.id or 0})[template.id or 0]
    used = session.exec(select(func.count()).where(KpiCycle.template_id == template.id)).one()
    row = _template_row(template, indicators, used)
    row["indicator_list"] = [indicator_row(i) for i in indicators]
    return row


def indicator_row(indicator: Indicator) -> dict[str, Any]:
    return {"key": indicator.key, "name": indicator.name, "category": indicator.category,
            "weight": number(indicator.weight), "source": indicator.source}


# -- writing ------------------------------------------------------------------------------

def ensure_standard_template(session: Session, *, now: datetime) -> KpiTemplate:
    """The default template (made by migration 0006; `init` makes sure it is there)."""
    found = session.exec(select(KpiTemplate).where(KpiTemplate.name == STANDARD_NAME)).first()
    if found is not None:
        return found
    return _store(session, actor=None, now=now, name=STANDARD_NAME, description=STANDARD_DESCRIPTION,
                  indicators=list(STANDARD))


def _store(
    session: Session, *, actor: Employee | None, now: datetime, name: str, description: str | None,
    indicators: list[Indicator],
) -> KpiTemplate:
    check_weights_total(indicators)
    if session.exec(select(KpiTemplate.id).where(KpiTemplate.name == name)).first() is not None:
        raise Conflict(f"a KPI template named {name!r} already exists (templates never change); choose another name")
    template = KpiTemplate(name=name, description=description or None, created_by_id=actor.id if actor else None,
                           created_at=now)
    session.add(template)
    session.flush()
    for position, item in enumerate(indicators, start=1):
        session.add(KpiIndicator(template_id=template.id or 0, position=position, key=item.key, name=item.name,
                                 category=item.category, weight=float(item.weight), source=item.source))
    session.flush()
    if actor is not None:
        audit.record(session, now=now, actor=actor, action="kpi.template.add", entity="kpi_template",
                     entity_id=name, details={"indicators": {i.key: number(i.weight) for i in indicators}})
    return template


def derive_template(
    session: Session, *, actor: Employee, now: datetime, name: str, base: str = STANDARD_NAME,
    weights: dict[str, str] | None = None, description: str | None = None,
) -> KpiTemplate:
    """A copy of ``base`` with some weights changed (0 leaves an indicator out)."""
    require_roles(actor, *KPI_ORGANISERS, action="add KPI templates")
    name = check_template_name(name)
    source = get_template(session, base)
    indicators = template_indicators(session, {source.id or 0})[source.id or 0]
    known = {i.key for i in indicators}
    changed: dict[str, Decimal] = {}
    for key, text in (weights or {}).items():
        if key not in known:
            raise InvalidInput(
                f"{base} has no indicator {key!r}; its keys: {', '.join(sorted(known))} "
                "(a new indicator needs a template file: `opsctl kpi template import FILE`)")
        changed[key] = Decimal(0) if _is_zero(text) else check_weight(text)  # 0 leaves it out
    result = [
        Indicator(i.key, i.name, i.category, changed.get(i.key, i.weight), i.source)
        for i in indicators if changed.get(i.key, i.weight) > 0
    ]
    if description is None:
        changes = ", ".join(f"{k}={v:g}" for k, v in changed.items())
        description = f"{base} with {changes}" if changes else f"a copy of {base}"
    return _store(session, actor=actor, now=now, name=name, description=description, indicators=result)


TEMPLATE_COLUMNS = ("key", "name", "category", "weight")
TEMPLATE_OPTIONAL = ("source",)


def import_template(
    session: Session, *, actor: Employee, now: datetime, path: Path, name: str, description: str | None = None,
) -> KpiTemplate:
    """A new template from a CSV/XLSX file (key, name, category, weight, source); every bad
    line is reported and nothing is written."""
    from opsctl.tablefile import read_rows, report_bad_rows

    require_roles(actor, *KPI_ORGANISERS, action="import KPI templates")
    name = check_template_name(name)
    rows = read_rows(path, required=TEMPLATE_COLUMNS, optional=TEMPLATE_OPTIONAL)
    indicators: list[Indicator] = []
    seen: dict[str, int] = {}
    problems: list[str] = []
    for row in rows:
        try:
            key = check_key(row.get("key"))
            if key in seen:
                raise InvalidInput(f"key {key!r} also on line {seen[key]}")
            seen[key] = row.line
            label = row.get("name") or key.replace("_", " ").capitalize()
            indicators.append(Indicator(
                key, label[:120], _choice(row.get("category"), CATEGORIES, "category"), check_weight(row.get("weight")),
                _choice(row.get("source") or "rated", SOURCES, "source")))
        except InvalidInput as exc:
            problems.append(f"line {row.line}: {exc.message}")
    report_bad_rows(path, problems, hint="no template was made")
    if not indicators:
        raise InvalidInput(f"{path} lists no indicators; give one row per indicator: key,name,category,weight,source")
    return _store(session, actor=actor, now=now, name=name, description=description, indicators=indicators)
