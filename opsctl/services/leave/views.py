"""What the leave commands show, limited to what the viewer may see: balances, one request,
and what waits for a person's decision (`opsctl today` lists that too: `leave/today.py`)."""

from __future__ import annotations

from typing import Any

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
