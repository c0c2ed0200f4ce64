"""What the leave commands and `opsctl today` show, limited to what the viewer may see:
balances, one request, and what waits for a person's decision."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlmodel import Session, col, select

from opsctl.errors import NotFound
from opsctl.models.leave import LeaveRequest
from opsctl.models.people import Employee
from opsctl.reports.tabular import Record
from opsctl.services.access import is_hr_or_admin
from opsctl.services.leave import list_requests, require_leave_view
from opsctl.services.leave_ledger import Balance, balances, ledger_rows


def person_balances(
    session: Session, *, viewer: Employee, login: str | None, year: int
) -> tuple[Employee, list[Balance], list[dict[str, Any]]]:
    """The balances of ``login`` (default: the viewer) in ``year``, and the ledger behind them."""
    from opsctl.services.people import get_person

    person = get_person(session, login) if login else viewer
    require_leave_view(session, viewer, person)
    return person, balances(session, person=person, year=year), ledger_rows(session, person=person, year=year)


def require_visible(session: Session, *, viewer: Employee, request_id: int) -> None:
    request = session.get(LeaveRequest, request_id)
    if request is None:
        raise NotFound(f"no leave request #{request_id}; see `opsctl leave list`")
    person = session.get(Employee, request.employee_id)
    assert person is not None
    require_leave_view(session, viewer, person)


def _managed_by(session: Session, viewer: Employee) -> set[int]:
    """The ids of everyone under ``viewer`` in the management chain (one query)."""
    managers = dict(session.exec(select(Employee.id, Employee.manager_id)).all())
    under: set[int] = set()
    for person_id in managers:
        boss, steps = managers.get(person_id), 0
        while boss is not None and steps < len(managers):
            if boss == viewer.id:
                under.add(person_id or 0)
                break
            boss, steps = managers.get(boss), steps + 1
    return under


def awaiting_decision(session: Session, *, viewer: Employee) -> list[dict[str, Any]]:
    """Pending leave requests ``viewer`` may approve now: level 1 of the people under them
    (everyone's for HR/admin), level 2 for HR/admin; never their own or those they filed."""
    hr = is_hr_or_admin(viewer)
    under = _managed_by(session, viewer)
    rows = list_requests(session, viewer=viewer, pending_only=True)
    requesters = dict(session.exec(select(LeaveRequest.id, LeaveRequest.requested_by_id).where(
        col(LeaveRequest.id).in_([r["id"] for r in rows]))).all())
    people = dict(session.exec(select(Employee.login, Employee.id)).all())
    return [
        row for row in rows
        if people[row["login"]] != viewer.id and requesters.get(row["id"]) != viewer.id
        and (hr or (row["approved_level"] == 0 and people[row["login"]] in under))
    ]


def corrections_awaiting(session: Session, *, viewer: Employee) -> list[dict[str, Any]]:
    """Pending attendance corrections ``viewer`` may approve (not their own, not filed by them)."""
    from opsctl.services.attendance_fix import fix_rows

    hr = is_hr_or_admin(viewer)
    under = _managed_by(session, viewer)
    people = dict(session.exec(select(Employee.login, Employee.id)).all())
    return [row for row in fix_rows(session, viewer=viewer, pending_only=True)
            if row["login"] != viewer.login and row["requested_by"] != viewer.login
            and (hr or people[row["login"]] in under)]


def today_section(session: Session, *, person: Employee, today: date, now: datetime) -> Record:
    """For `opsctl today`: the balance of paid types, one's own open requests, and what waits
    for one's approval (leave requests and attendance corrections)."""
    from opsctl.reports.leave import today_record

    paid = [b for b in balances(session, person=person, year=today.year)  # comp 0 of 0 tells nothing
            if b.paid and b.remaining is not None and (b.allocated or b.carried or b.used or b.pending)]
    mine = [r for r in list_requests(session, viewer=person, person=person, start=today)
            if r["status"] in ("pending", "approved")]
    return today_record(person.login, paid, sorted(mine, key=lambda r: r["from"]),
                        awaiting_decision(session, viewer=person), corrections_awaiting(session, viewer=person))
