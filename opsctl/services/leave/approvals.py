"""Deciding on leave requests: approve (one or two levels), reject, cancel. Each decision is
audited; approving the last level takes the days from the balance, cancelling approved
leave gives them back (ledger entries, never edits).

Level 1 is the requester's manager (anyone up their chain) or HR/admin; a type with two
levels then needs HR or an admin. An HR/admin approval settles every level still open,
since HR's word is what the second level asks for. Nobody decides on their own request,
nor on one they filed for somebody else.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Session

from opsctl.errors import Conflict, NotAllowed, NotFound
from opsctl.models.leave import LeaveRequest, LeaveType
from opsctl.models.people import Employee
from opsctl.services import audit
from opsctl.services.access import (
    OrgChart,
    can_act_for,
    check_reason,
    is_hr_or_admin,
    may_approve,
    optional_reason,
    require_approver,
)
from opsctl.services.leave.ledger import counted_days, credit, debit, request_span
from opsctl.services.leave.requests import _check_balance, request_details
from opsctl.services.locks import lock_person, lock_row


def get_request(session: Session, request_id: int, *, lock: bool = False
                ) -> tuple[LeaveRequest, Employee, LeaveType]:
    """The request, its person and type; ``lock``: for a decision, the request and then its person
    locked before anything is read (of N concurrent decisions one acts, the rest see it settled)."""
    request = lock_row(session, LeaveRequest, request_id) if lock else session.get(LeaveRequest, request_id)
    if request is None:
        raise NotFound(f"no leave request #{request_id}; see `opsctl leave list`")
    person = session.get(Employee, request.employee_id)
    leave_type = session.get(LeaveType, request.type_id)
    assert person is not None and leave_type is not None
    if lock:
        lock_person(session, person)
    return request, person, leave_type


def _login(session: Session, employee_id: int | None) -> str:
    person = session.get(Employee, employee_id) if employee_id else None
    return person.login if person else "?"


def _settled(session: Session, request: LeaveRequest) -> Conflict:
    if request.status == "approved":
        by, at = request.hr_approved_by_id or request.approved_by_id, request.hr_approved_at or request.approved_at
    else:
        by, at = request.closed_by_id, request.closed_at
    when = f" on {at:%Y-%m-%d}" if at else ""
    return Conflict(f"leave #{request.id} is already {request.status} (by {_login(session, by)}{when})")


def _decider(session: Session, actor: Employee, request: LeaveRequest, person: Employee) -> None:
    """Who may decide at all: an approver of ``person`` who did not file the request."""
    require_approver(session, actor, person, what="leave request")
    if request.requested_by_id == actor.id:
        raise NotAllowed(f"you filed leave #{request.id} for {person.login}, so another approver decides on it "
                         "(their manager, HR or an admin)")


def approve_leave(
    session: Session, *, actor: Employee, now: datetime, request_id: int, comment: str | None = None
) -> LeaveRequest:
    """One level of approval; the last one takes the days from the balance."""
    request, person, leave_type = get_request(session, request_id, lock=True)
    _decider(session, actor, request, person)
    if request.status != "pending":
        raise _settled(session, request)
    level = request.approved_level + 1
    if level == 2 and not is_hr_or_admin(actor):
        if actor.id == request.approved_by_id:
            raise Conflict(f"you already approved leave #{request.id} (level 1); it now waits for HR")
        raise NotAllowed(f"leave #{request.id} has its manager's approval and now needs HR or an admin (level 2)")
    comment = check_reason(comment, "--comment") if comment else None
    final = level >= request.levels or is_hr_or_admin(actor)
    if level == 1:
        request.approved_by_id, request.approved_at = actor.id, now
    if level == 2 or (final and request.levels == 2):
        request.hr_approved_by_id, request.hr_approved_at = actor.id, now
    request.approved_level = request.levels if final else level
    if comment:
        request.comment = f"{request.comment}; {comment}" if request.comment else comment
    if final:
        counted = counted_days(session, person=person, leave_type=leave_type, span=request_span(request))
        if not counted:
            raise Conflict(f"leave #{request.id} now covers no workday of {person.login} (the calendar or their "
                           f"schedule changed since it was asked for): nothing to approve; cancel it with "
                           f"`opsctl leave cancel {request.id}`")
        _check_balance(session, person, leave_type, counted, exclude=request.id, pending=False)
        request.status, request.days = "approved", sum(counted.values())
        debit(session, request=request, counted=counted, actor=actor, now=now)
    session.flush()
    audit.record(session, now=now, actor=actor, action="leave.approve", entity="leave_request",
                 entity_id=request.id, subject=person,
                 details={**request_details(request, leave_type.code), "comment": comment, "final": final,
                          "levels": list(range(level, (request.levels if final else level) + 1))})
    return request


def reject_leave(session: Session, *, actor: Employee, now: datetime, request_id: int, reason: str) -> LeaveRequest:
    request, person, leave_type = get_request(session, request_id, lock=True)
    _decider(session, actor, request, person)
    if request.status != "pending":
        raise _settled(session, request)
    request.close_note = check_reason(reason)
    request.status, request.closed_by_id, request.closed_at = "rejected", actor.id, now
    session.flush()
    audit.record(session, now=now, actor=actor, action="leave.reject", entity="leave_request",
                 entity_id=request.id, subject=person,
                 details={**request_details(request, leave_type.code), "why": request.close_note})
    return request


def cancel_leave(
    session: Session, *, actor: Employee, now: datetime, today: date, request_id: int, reason: str | None = None
) -> LeaveRequest:
    """Withdraw a request. Approved leave gives its days back; once it has begun, only an
    approver (the person's manager, HR or an admin) may cancel it."""
    request, person, leave_type = get_request(session, request_id, lock=True)
    own = actor.id in (person.id, request.requested_by_id)
    if not (own or can_act_for(session, actor, person)):
        raise NotAllowed(f"{actor.login} may not cancel {person.login}'s leave: only they, their manager, HR or "
                         "an admin may")
    if request.status not in ("pending", "approved"):
        raise _settled(session, request)
    started = request.status == "approved" and request.start <= today
    if started and not may_approve(OrgChart.load(session), actor, person):
        approver = _login(session, request.hr_approved_by_id or request.approved_by_id)
        raise NotAllowed(f"leave #{request.id} began on {request.start}; cancelling it now needs its approver "
                         f"({approver}), {person.login}'s manager, HR or an admin")
    note = optional_reason(reason)
    returned = 0.0
    if request.status == "approved":
        returned = credit(session, request=request, actor=actor, now=now, note=note)
    request.status, request.closed_by_id, request.closed_at, request.close_note = "cancelled", actor.id, now, note
    session.flush()
    audit.record(session, now=now, actor=actor, action="leave.cancel", entity="leave_request",
                 entity_id=request.id, subject=person,
                 details={**request_details(request, leave_type.code), "returned_days": returned, "why": note})
    return request
