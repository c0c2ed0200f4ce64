"""A project's costs: expense claims against its budget, exact to the cent (kept as whole cents,
given and shown as `Decimal`).

Anyone on the project files a claim; the project's owner or the owner's manager side approves
or rejects it, and nobody decides on their own claim (exit 4). An archived project takes no
claims (exit 5). The budget figures (approved, pending, remaining) warn once approved spending
passes the `projects.budget_warning` setting (a percentage of the budget).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlmodel import Session, col, func, select

from opsctl.errors import Conflict, InvalidInput, NotAllowed
from opsctl.models.people import Employee
from opsctl.models.project_plans import COST_STATUSES, Cost
from opsctl.models.projects import Project
from opsctl.money import from_cents, parse_money, to_cents
from opsctl.services import audit
from opsctl.services.access import check_reason, optional_reason, require_employee
from opsctl.services.projects.lifecycle import (
    MAX_BUDGET,
    get_project,
    key,
    may_manage,
    project_record,
    require_writable,
)
from opsctl.services.projects.members import require_on_project

CATEGORY = re.compile(r"^[a-z][a-z0-9_-]{0,31}$")


def parse_amount(text: str, option: str = "AMOUNT") -> Decimal:
    """An amount of money as typed: more than 0, at most two decimals (1200, 1200.5, 1,200.50)."""
    return parse_money(text, option=option, most=Decimal(int(MAX_BUDGET)))


def money(value: int | None) -> Decimal | None:
    """Whole cents as an exact amount (two decimals)."""
    return None if value is None else from_cents(value)


def _category(text: str) -> str:
    value = text.strip().lower()
    if not CATEGORY.match(value):
        raise InvalidInput(f"--category: not a category: {text!r} (one word such as travel, equipment, services)")
    return value


def add_cost(session: Session, *, actor: Employee, now: datetime, today: date, code: str, amount: Decimal,
             category: str = "other", spent_on: date | None = None, note: str | None = None) -> Cost:
    """File an expense claim (anyone on the project); it waits for the owner's or the manager's approval."""
    project = get_project(session, code)
    require_writable(project, what="its costs")
    require_on_project(session, actor, project, action="file costs for")
    day = spent_on or today
    if day > today:
        raise InvalidInput(f"--date {day} is in the future; a claim is for money spent (today or earlier)")
    cost = Cost(project_id=key(project), amount_cents=to_cents(parse_amount(str(amount))), category=_category(category),
                spent_on=day, note=optional_reason(note, "--note"), claimant_id=key(actor), status="pending",
                created_at=now)
    session.add(cost)
    session.flush()
    return cost


def decide_cost(session: Session, *, actor: Employee, now: datetime, cost_id: int, approve: bool,
                reason: str | None = None) -> Cost:
    """Approve or reject a pending claim: the project's owner or the owner's manager side, never the claimant."""
    project, cost = project_record(session, Cost, cost_id, what="cost")
    claimant = session.get(Employee, cost.claimant_id)
    assert claimant is not None  # a foreign key
    if actor.id == cost.claimant_id:
        raise NotAllowed(f"nobody approves their own claim (cost #{cost.id}); ask the owner of {project.code} or "
                         "the owner's manager")
    if actor.id != project.owner_id and not may_manage(session, actor, project):
        raise NotAllowed(f"{actor.login} may not decide on cost #{cost.id}: only the owner of {project.code}, the "
                         "owner's manager, a manager or an admin may")
    if cost.status != "pending":
        raise Conflict(f"cost #{cost.id} is {cost.status} already")
    note = optional_reason(reason, "--comment") if approve else check_reason(reason)
    cost.status, cost.decision_note = "approved" if approve else "rejected", note
    cost.decided_by_id, cost.decided_at = key(actor), now
    session.flush()
    audit.record(session, now=now, actor=actor, action=f"project.cost.{'approve' if approve else 'reject'}",
                 entity="project_cost", entity_id=cost.id, subject=claimant,
                 details={"project": project.code, "amount": str(money(cost.amount_cents)), "note": cost.decision_note})
    return cost


def cost_row(cost: Cost, *, code: str, login: str, decided_by: str | None = None) -> dict[str, Any]:
    return {"id": cost.id, "project": code, "amount": money(cost.amount_cents), "category": cost.category,
            "date": cost.spent_on, "login": login, "note": cost.note, "status": cost.status,
            "decided_by": decided_by, "decided_at": cost.decided_at, "decision_note": cost.decision_note}


def list_costs(session: Session, *, viewer: Employee, code: str, status: str | None = None) -> dict[str, Any]:
    """A project's claims, the newest first, with its budget figures."""
    from sqlalchemy.orm import aliased

    require_employee(session, viewer)
    project = get_project(session, code)
    if status is not None and status not in COST_STATUSES:
        raise InvalidInput(f"unknown cost status {status!r}; statuses: {', '.join(COST_STATUSES)}")
    claimant, decider = aliased(Employee), aliased(Employee)
    query = (select(Cost, claimant.login, decider.login).join(claimant, col(Cost.claimant_id) == claimant.id)
             .join(decider, col(Cost.decided_by_id) == decider.id, isouter=True)
             .where(Cost.project_id == project.id))
    if status is not None:
        query = query.where(Cost.status == status)
    found = session.exec(query.order_by(col(Cost.spent_on).desc(), col(Cost.id).desc())).all()
    return {"code": project.code, "budget": budget_figures(session, project),
            "costs": [cost_row(cost, code=project.code, login=login, decided_by=by) for cost, login, by in found]}


def budget_figures(session: Session, project: Project) -> dict[str, Any]:
    """Budget, approved and pending spending, what remains, the share used, and a warning above the setting."""
    from opsctl.services.config import get_setting

    sums = dict(session.exec(select(Cost.status, func.sum(Cost.amount_cents))
                             .where(Cost.project_id == project.id).group_by(Cost.status)).all())
    approved, pending = int(sums.get("approved") or 0), int(sums.get("pending") or 0)
    budget = None if project.budget is None else round(project.budget * 100)
    used = round(100 * approved / budget, 1) if budget else None
    threshold = int(get_setting(session, "projects.budget_warning"))
    warning = None
    if budget is not None and approved > budget:
        warning = f"over budget by {money(approved - budget)}"
    elif used is not None and used >= threshold:
        warning = f"{used:g} % of the budget is spent (warning from {threshold} %)"
    return {"budget": money(budget), "approved": money(approved), "pending": money(pending),
            "remaining": money(budget - approved) if budget is not None else None, "used_pct": used,
            "warning": warning}
