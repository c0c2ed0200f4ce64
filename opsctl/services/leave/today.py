"""The leave section of `opsctl today`: the balance of paid types, one's own open requests, and
what waits for one's approval (leave requests and attendance corrections).

The light path of `opsctl today` (see CONTRIBUTING, "Demo and today"): the balances are counted
by :mod:`opsctl.services.leave.balance` from light queries on ``sa.table`` definitions of its own;
requests are listed by the area's services (which load its models) only when a query says there
is one to show. A pending request across New Year needs the calendar: then the ledger counts.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, NamedTuple

import sqlalchemy as sa

from opsctl.models.base import UTCDateTime
from opsctl.services.access import is_hr_or_admin
from opsctl.services.leave.balance import Balance, balances_of

if TYPE_CHECKING:
    from sqlmodel import Session

    from opsctl.models.people import Employee

leave_type = sa.table(
    "leave_type", sa.column("id", sa.Integer), sa.column("code", sa.String), sa.column("name", sa.String),
    sa.column("paid", sa.Boolean), sa.column("quota", sa.Float), sa.column("carry_over", sa.Float),
    sa.column("created_at", UTCDateTime),
)
ledger = sa.table("leave_ledger", sa.column("employee_id", sa.Integer), sa.column("type_id", sa.Integer),
                  sa.column("year", sa.Integer), sa.column("days", sa.Float), sa.column("kind", sa.String))
request = sa.table("leave_request", sa.column("employee_id", sa.Integer), sa.column("type_id", sa.Integer),
                   sa.column("start", sa.Date), sa.column("end", sa.Date), sa.column("days", sa.Float),
                   sa.column("status", sa.String))
correction = sa.table("attendance_correction", sa.column("employee_id", sa.Integer), sa.column("status", sa.String))
employee = sa.table("employee", sa.column("id", sa.Integer), sa.column("manager_id", sa.Integer))


class LeaveToday(NamedTuple):
    login: str
    paid: list[Balance]  # the paid types that have something to tell
    mine: list[dict[str, Any]]  # one's own pending and approved requests ahead, by start
    to_decide: list[dict[str, Any]]  # leave requests waiting for one's decision
    corrections: list[dict[str, Any]]  # attendance corrections waiting for one's decision


def today_facts(session: Session, *, person: Employee, today: date, now: datetime) -> LeaveToday:
    paid = [b for b in year_balances(session, person=person, year=today.year)  # comp 0 of 0 tells nothing
            if b.paid and b.remaining is not None and (b.allocated or b.carried or b.used or b.pending)]
    mine: list[dict[str, Any]] = []
    if _any(session, sa.select(request.c.employee_id).where(
            request.c.employee_id == person.id, request.c.status.in_(("pending", "approved")),
            request.c.end >= today)):
        from opsctl.services.leave.requests import list_requests

        mine = [r for r in list_requests(session, viewer=person, person=person, start=today)
                if r["status"] in ("pending", "approved")]
    to_decide: list[dict[str, Any]] = []
    corrections: list[dict[str, Any]] = []
    # Approvals go to managers up the chain and HR/admin (`access.may_approve`): others have none.
    if is_hr_or_admin(person) or _any(session, sa.select(employee.c.id).where(employee.c.manager_id == person.id)):
        if _any(session, sa.select(request.c.employee_id).where(
                request.c.status == "pending", request.c.employee_id != person.id)):
            from opsctl.services.leave.views import awaiting_decision

            to_decide = awaiting_decision(session, viewer=person)
        if _any(session, sa.select(correction.c.employee_id).where(
                correction.c.status == "pending", correction.c.employee_id != person.id)):
            from opsctl.services.leave.views import corrections_awaiting

            corrections = corrections_awaiting(session, viewer=person)
    return LeaveToday(person.login, paid, sorted(mine, key=lambda r: r["from"]), to_decide, corrections)


def year_balances(session: Session, *, person: Employee, year: int) -> list[Balance]:
    """``person``'s balance of every type in ``year`` (as `leave.ledger.balances` has it)."""
    pending_requests = session.execute(sa.select(request.c.type_id, request.c.start, request.c.end, request.c.days)
                                       .where(request.c.employee_id == person.id, request.c.status == "pending",
                                              request.c.start <= date(year, 12, 31),
                                              request.c.end >= date(year, 1, 1))).all()
    if any(r.start.year != r.end.year for r in pending_requests):  # its days in this year need the calendar
        from opsctl.services.leave.ledger import balances

        return balances(session, person=person, year=year)
    pending: dict[int, float] = defaultdict(float)
    for r in pending_requests:
        pending[r.type_id] += r.days
    sums: dict[tuple[int, int, str], float] = defaultdict(float)
    for type_id, entry_year, kind, total in session.execute(
        sa.select(ledger.c.type_id, ledger.c.year, ledger.c.kind, sa.func.sum(ledger.c.days))
        .where(ledger.c.employee_id == person.id, ledger.c.year <= year)
        .group_by(ledger.c.type_id, ledger.c.year, ledger.c.kind)
    ):
        sums[(type_id, entry_year, "allocation" if kind == "allocation" else "used")] += float(total)
    types = session.execute(sa.select(leave_type).order_by(leave_type.c.id)).all()
    return balances_of(person, year, types, dict(sums), dict(pending))


def _any(session: Session, query: sa.Select[Any]) -> bool:
    return session.execute(query.limit(1)).first() is not None
