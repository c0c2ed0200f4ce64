"""Leave requests: asking for leave, listing requests, and the approved leave that the
attendance rules see (rule 5). Deciding on requests is in :mod:`leave.approvals`."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select as sa_select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from opsctl.errors import Conflict, InvalidInput
from opsctl.models.leave import LeaveRequest, LeaveType
from opsctl.models.people import Employee
from opsctl.services import audit
from opsctl.services.access import check_reason, is_hr_or_admin, require_act_for
from opsctl.services.attendance import LeaveCover
from opsctl.services.leave.days import Span, by_year
from opsctl.services.leave.ledger import balance_of, counted_days, request_span
from opsctl.services.leave.types import get_type
from opsctl.services.locks import lock_person

OPEN_STATUSES = ("pending", "approved")


def _check_notice(leave_type: LeaveType, span: Span, today: date, *, recorded_by_hr: bool) -> None:
    """DESIGN §4: a type starts at least ``min_notice`` days ahead unless it allows
    retroactive requests. HR and admins recording someone's leave are not held to it."""
    if leave_type.allow_retro or recorded_by_hr:
        return
    if span.start < today:
        raise InvalidInput(f"{leave_type.code} leave cannot start in the past ({span.start}); only types that allow "
                           "retroactive requests may (see `opsctl leave types`), or HR may record it for you")
    if (span.start - today).days < leave_type.min_notice:
        earliest = today + timedelta(days=leave_type.min_notice)
        raise InvalidInput(f"{leave_type.code} leave needs {leave_type.min_notice} days' notice: it may start on "
                           f"{earliest:%a %Y-%m-%d} at the earliest, not {span.start}")


def _check_employed(person: Employee, span: Span) -> None:
    if person.hired and span.start < person.hired:
        raise InvalidInput(f"{person.login} was hired on {person.hired}, after {span.start}")
    if person.left and span.end > person.left:
        raise InvalidInput(f"{person.login} left on {person.left}, before {span.end}")


def _refuse_overlap(session: Session, person: Employee, span: Span, *, exclude: int | None = None) -> None:
    query = (select(LeaveRequest, LeaveType.code).join(LeaveType, col(LeaveRequest.type_id) == LeaveType.id)
             .where(LeaveRequest.employee_id == person.id, col(LeaveRequest.status).in_(OPEN_STATUSES),
                    LeaveRequest.start <= span.end, LeaveRequest.end >= span.start)
             .order_by(col(LeaveRequest.start)))
    for other, code in session.exec(query):
        if other.id != exclude and request_span(other).overlaps(span):
            raise Conflict(f"{person.login} already has leave #{other.id} ({code}, {request_span(other).text()}, "
                           f"{other.status}) on those days; choose other days, or cancel it first with "
                           f"`opsctl leave cancel {other.id}`")


def _check_balance(session: Session, person: Employee, leave_type: LeaveType, counted: dict[date, float],
                   *, exclude: int | None = None, pending: bool = True) -> None:
    if leave_type.quota is None:
        return
    for year, days in sorted(by_year(counted).items()):
        balance = balance_of(session, person=person, leave_type=leave_type, year=year, exclude_request=exclude)
        assert balance.remaining is not None and balance.available is not None
        left = balance.available if pending else balance.remaining
        if days > left:
            raise InvalidInput(f"not enough {leave_type.code} leave in {year} for {days:g} days: {person.login} has "
                               f"{left:g} to take ({balance.text()})")


def request_leave(
    session: Session,
    *,
    actor: Employee,
    now: datetime,
    today: date,
    code: str,
    span: Span,
    reason: str,
    login: str | None = None,
) -> LeaveRequest:
    """A pending request of ``login`` (default: the actor) for ``span``; see DESIGN §4."""
    from opsctl.services.people import get_person

    person = get_person(session, login, active_only=True) if login else actor
    if person.id != actor.id:
        require_act_for(session, actor, person, action="ask for leave")
    leave_type = get_type(session, code)
    reason = check_reason(reason)
    _check_notice(leave_type, span, today, recorded_by_hr=person.id != actor.id and is_hr_or_admin(actor))
    _check_employed(person, span)
    counted = counted_days(session, person=person, leave_type=leave_type, span=span)
    if not counted:
        raise InvalidInput(f"{span.text()} covers no workday of {person.login} (only rest days, days off or "
                           f"holidays), so there is no leave to take; see `opsctl calendar list`")
    lock_person(session, person)
    _refuse_overlap(session, person, span)
    _check_balance(session, person, leave_type, counted)
    request = LeaveRequest(
        employee_id=person.id or 0, type_id=leave_type.id or 0, start=span.start, start_half=span.start_half,
        end=span.end, end_half=span.end_half, days=sum(counted.values()), reason=reason, levels=leave_type.levels,
        requested_by_id=actor.id or 0, requested_at=now,
    )
    session.add(request)
    session.flush()
    if person.id != actor.id:
        audit.record(session, now=now, actor=actor, action="leave.request", entity="leave_request",
                     entity_id=request.id, subject=person, details=request_details(request, leave_type.code))
    return request


def request_details(request: LeaveRequest, code: str) -> dict[str, Any]:
    return {"type": code, "when": request_span(request).text(), "days": request.days, "reason": request.reason}


# -- lists ----------------------------------------------------------------------------------

def list_requests(
    session: Session,
    *,
    viewer: Employee,
    person: Employee | None = None,
    pending_only: bool = False,
    start: date | None = None,
    end: date | None = None,
    ids: Collection[int] | None = None,
) -> list[dict[str, Any]]:
    """Requests ``viewer`` may see (their own; those they filed for someone; those of people
    they manage or whose team they lead; everyone's for HR/admin), latest leave first."""
    from opsctl.services.attendance import visible_ids

    if person is not None:
        require_leave_view(session, viewer, person)
    who, manager, by = aliased(Employee), aliased(Employee), aliased(Employee)
    approver, hr, closer = aliased(Employee), aliased(Employee), aliased(Employee)
    query = (
        sa_select(LeaveRequest, col(LeaveType.code), who, col(manager.login), col(by.login), col(approver.login),
                  col(hr.login), col(closer.login))
        .join(LeaveType, col(LeaveRequest.type_id) == LeaveType.id)
        .join(who, col(LeaveRequest.employee_id) == who.id)
        .join(manager, col(who.manager_id) == manager.id, isouter=True)
        .join(by, col(LeaveRequest.requested_by_id) == by.id)
        .join(approver, col(LeaveRequest.approved_by_id) == approver.id, isouter=True)
        .join(hr, col(LeaveRequest.hr_approved_by_id) == hr.id, isouter=True)
        .join(closer, col(LeaveRequest.closed_by_id) == closer.id, isouter=True)
        .order_by(col(LeaveRequest.start).desc(), col(LeaveRequest.id).desc())
    )
    if person is not None:
        query = query.where(col(LeaveRequest.employee_id) == person.id)
    if pending_only:
        query = query.where(col(LeaveRequest.status) == "pending")
    if start is not None:
        query = query.where(col(LeaveRequest.end) >= start)
    if end is not None:
        query = query.where(col(LeaveRequest.start) <= end)
    if ids is not None:
        query = query.where(col(LeaveRequest.id).in_(list(ids)))
    found = [tuple(row) for row in session.execute(query)]
    allowed = visible_ids(session, viewer, [row[2] for row in found])
    return [_row(*row) for row in found if row[2].id in allowed or row[0].requested_by_id == viewer.id]


def require_leave_view(session: Session, viewer: Employee, person: Employee) -> None:
    """Who sees a person's leave: who sees the attendance it shows in."""
    from opsctl.services.attendance import require_view

    require_view(session, viewer, person, what="leave")


def waiting_for(request: LeaveRequest, manager_login: str | None) -> str | None:
    """Whose decision a pending request waits for."""
    if request.status != "pending":
        return None
    if request.approved_level >= 1:
        return "HR"
    return manager_login or "HR"


def _row(request: LeaveRequest, code: str, who: Employee, manager: str | None, by: str, approved_by: str | None,
         hr_approved_by: str | None, closed_by: str | None) -> dict[str, Any]:
    return {
        "id": request.id, "login": who.login, "name": who.name, "type": code, "from": request.start,
        "from_half": request.start_half, "to": request.end, "to_half": request.end_half,
        "when": request_span(request).text(), "days": request.days, "status": request.status,
        "levels": request.levels, "approved_level": request.approved_level,
        "waiting_for": waiting_for(request, manager), "reason": request.reason, "requested_by": by,
        "requested_at": request.requested_at, "approved_by": approved_by, "approved_at": request.approved_at,
        "hr_approved_by": hr_approved_by, "hr_approved_at": request.hr_approved_at, "comment": request.comment,
        "closed_by": closed_by, "closed_at": request.closed_at, "close_note": request.close_note,
    }


# -- rule 5: what attendance sees ---------------------------------------------------------------

def approved_covers(
    session: Session, employee_ids: Collection[int], start: date, end: date
) -> dict[tuple[int, date], LeaveCover]:
    """Approved leave of ``employee_ids`` on the dates ``start``..``end``, in one query.
    Two approved halves of one date make it a full day (of both types when they differ)."""
    if not employee_ids:
        return {}
    query = (sa_select(col(LeaveRequest.employee_id), col(LeaveRequest.start), col(LeaveRequest.start_half),
                       col(LeaveRequest.end), col(LeaveRequest.end_half), col(LeaveType.code))
             .join(LeaveType, col(LeaveRequest.type_id) == LeaveType.id)
             .where(col(LeaveRequest.status) == "approved", col(LeaveRequest.start) <= end,
                    col(LeaveRequest.end) >= start,
                    col(LeaveRequest.employee_id).in_(list(employee_ids))))
    covers: dict[tuple[int, date], LeaveCover] = {}
    for employee_id, first, first_half, last, last_half, code in session.execute(query):
        for day, portion in Span(first, first_half, last, last_half).portions():
            if not start <= day <= end:
                continue
            other = covers.get((employee_id, day))
            if other is not None and other.portion != portion:
                codes = other.type_code if other.type_code == code else f"{other.type_code}+{code}"
                covers[(employee_id, day)] = LeaveCover("full", codes)
            else:
                covers[(employee_id, day)] = LeaveCover(portion, code)
    return covers

