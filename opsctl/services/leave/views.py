"""What the leave commands and `opsctl today` show, limited to what the viewer may see:
balances, one request, and what waits for a person's decision."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, NamedTuple

from sqlmodel import Session, col, select

from opsctl.models.leave import LeaveRequest
from opsctl.models.people import Employee
from opsctl.services.access import OrgChart, is_hr_or_admin, may_approve
from opsctl.services.leave.ledger import Balance, balances, ledger_rows
from opsctl.services.leave.requests import list_requests, require_leave_view


def person_balances(
    session: Session, *, viewer: Employee, login: str | None, year: int
) -> tuple[Employee, list[Balance], list[dict[str, Any]]]:
    """The balances of ``login`` (default: the viewer) in ``year``, and the ledger behind them."""
    from opsctl.services.people import get_person

    person = get_person(session, login) if login else viewer
    require_leave_view(session, viewer, person)
    return person, balances(session, person=person, year=year), ledger_rows(session, person=person, year=year)


def require_visible(session: Session, *, viewer: Employee, request_id: int) -> None:
    from opsctl.services.leave.approvals import get_request

    _request, person, _type = get_request(session, request_id)
    require_leave_view(session, viewer, person)


def _approvable(session: Session, viewer: Employee, logins: set[str]) -> set[str]:
    """Those of ``logins`` whose requests ``viewer`` may approve: the rule the approvals follow
    (`access.may_approve`: managers up the chain, HR and admins; never themself)."""
    if not logins:
        return set()
    people = session.exec(select(Employee).where(col(Employee.login).in_(logins))).all()
    chart = OrgChart.load(session)
    return {p.login for p in people if may_approve(chart, viewer, p)}


def awaiting_decision(session: Session, *, viewer: Employee) -> list[dict[str, Any]]:
    """Pending leave requests ``viewer`` may approve now: level 1 of the people they manage
    (everyone's for HR/admin), level 2 for HR/admin; never their own or those they filed."""
    rows = list_requests(session, viewer=viewer, pending_only=True)
    filed_by_viewer = set(session.exec(select(LeaveRequest.id).where(
        col(LeaveRequest.id).in_([r["id"] for r in rows]), LeaveRequest.requested_by_id == viewer.id)).all())
    allowed = _approvable(session, viewer, {r["login"] for r in rows})
    return [row for row in rows
            if row["login"] in allowed and row["id"] not in filed_by_viewer
            and (row["approved_level"] == 0 or is_hr_or_admin(viewer))]


def corrections_awaiting(session: Session, *, viewer: Employee) -> list[dict[str, Any]]:
    """Pending attendance corrections ``viewer`` may approve (not their own, not filed by them)."""
    from opsctl.services.attendance import fix_rows

    rows = [r for r in fix_rows(session, viewer=viewer, pending_only=True) if r["requested_by"] != viewer.login]
    allowed = _approvable(session, viewer, {r["login"] for r in rows})
    return [row for row in rows if row["login"] in allowed]


class LeaveToday(NamedTuple):
    login: str
    paid: list[Balance]  # the paid types that have something to tell
    mine: list[dict[str, Any]]  # one's own pending and approved requests ahead, by start
    to_decide: list[dict[str, Any]]  # leave requests waiting for one's decision
    corrections: list[dict[str, Any]]  # attendance corrections waiting for one's decision


def today_facts(session: Session, *, person: Employee, today: date, now: datetime) -> LeaveToday:
    """For `opsctl today`: the balance of paid types, one's own open requests, and what waits
    for one's approval (leave requests and attendance corrections)."""
    paid = [b for b in balances(session, person=person, year=today.year)  # comp 0 of 0 tells nothing
            if b.paid and b.remaining is not None and (b.allocated or b.carried or b.used or b.pending)]
    mine = [r for r in list_requests(session, viewer=person, person=person, start=today)
            if r["status"] in ("pending", "approved")]
    return LeaveToday(person.login, paid, sorted(mine, key=lambda r: r["from"]),
                      awaiting_decision(session, viewer=person), corrections_awaiting(session, viewer=person))
