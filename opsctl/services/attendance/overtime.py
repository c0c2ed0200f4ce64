"""Overtime requests (`attend overtime`): overtime is reported and approved beforehand
(加班需事先报备并获得批准), or asked for after the fact, marked late.

A request names a work date and a window of clock times on that date's shift (an end in the
small hours is the next morning). The approver rules are those of corrections: the person's
manager (up the chain), HR or an admin, never the person themself. With the setting
`overtime_needs_approval` on, the summaries count as approved overtime only the part of an
approved window actually worked (the punches), and show the rest apart as unapproved.

An approved window on a rest day or adjusted day off may credit compensatory leave
(`comp`) in the leave ledger: one day per `overtime_comp_hours` worked, in half days. The
credit follows the worked part: booked on approval, topped up by `attend overtime settle`
when the work came after the approval, and taken back when the request is cancelled or
rejected after all.

Refused: a window that ends before it starts, or that overlaps the shift of a workday
(exit 1: that time is no overtime); one that overlaps another pending or approved request
(exit 5: a conflict with what is stored, as overlapping leave is).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select as sa_select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, func, select

from opsctl.dates import Period
from opsctl.errors import Conflict, InvalidInput, NotAllowed, NotFound
from opsctl.models.attendance import OvertimeRequest, Punch
from opsctl.models.people import Employee
from opsctl.services import audit
from opsctl.services.access import OrgChart, check_reason, may_approve, require_act_for, require_approver, require_roles
from opsctl.services.attendance.access import require_view, visible_ids
from opsctl.services.attendance.calendar import calendar_kinds
from opsctl.services.attendance.rules import (
    ScheduleRule,
    Window,
    day_kind,
    overtime_window,
    shift_window,
    worked_in_windows,
)
from opsctl.services.attendance.schedules import load_book, schedule_for
from opsctl.services.locks import lock_person, lock_row

OPEN = ("pending", "approved")  # the statuses whose windows may not overlap
# Rest-day overtime is made up with time off (调休); holiday overtime is paid instead (at three
# times the wage under the labour law), so it earns no comp leave.
COMP_DAY_KINDS = ("rest", "off")
MAX_AHEAD_DAYS = 366


def _hhmm(window: Window, tz: ZoneInfo) -> str:
    start, end = (datetime.fromtimestamp(m * 60, tz) for m in window)
    return f"{start:%H:%M}–{end:%H:%M}"


def _window(request: OvertimeRequest, rule: ScheduleRule, tz: ZoneInfo) -> Window:
    return overtime_window(request.work_date, request.start, request.end, rule, tz)


def request_overtime(
    session: Session, *, actor: Employee, now: datetime, tz: ZoneInfo, work_date: date, start: time, end: time,
    reason: str, login: str | None = None,
) -> OvertimeRequest:
    """A pending overtime request for ``login`` (default: the actor), made before or after it."""
    from opsctl.services.people import get_person

    person = get_person(session, login, active_only=True) if login else actor
    if person.id != actor.id:
        require_act_for(session, actor, person, action="ask for overtime")
    reason = check_reason(reason)
    today = now.astimezone(tz).date()
    if person.hired and work_date < person.hired:
        raise InvalidInput(f"{person.login} was hired on {person.hired}, after {work_date}")
    if (work_date - today).days > MAX_AHEAD_DAYS:
        raise InvalidInput(f"{work_date} is more than a year ahead; ask for overtime nearer the time")
    rule = schedule_for(session, employee=person, on=work_date)
    window = overtime_window(work_date, start, end, rule, tz)
    if window[1] <= window[0]:
        raise InvalidInput(f"--to {end:%H:%M} is not after --from {start:%H:%M}; an end in the small hours is "
                           "the next morning only up to the schedule's cut-off")
    kind = day_kind(work_date, rule, calendar_kinds(session, work_date, work_date))
    shift = shift_window(work_date, rule, tz)
    if kind == "workday" and window[0] < shift[1] and window[1] > shift[0]:
        raise InvalidInput(f"{start:%H:%M}–{end:%H:%M} overlaps the shift of {work_date} ({rule.hours_text()}), "
                           f"a workday: overtime is the time before {rule.start:%H:%M} or after {rule.end:%H:%M}")
    lock_person(session, person)  # the overlap check counts what is stored
    _refuse_overlap(session, person, work_date, window, rule, tz)
    request = OvertimeRequest(
        employee_id=person.id or 0, work_date=work_date, start=start, end=end, reason=reason,
        late=now.timestamp() // 60 > window[0], requested_by_id=actor.id or 0, requested_at=now,
    )
    session.add(request)
    session.flush()
    if person.id != actor.id:
        audit.record(session, now=now, actor=actor, action="attend.overtime.request", entity="attendance_overtime",
                     entity_id=request.id, subject=person, details=_details(request))
    return request


def _refuse_overlap(session: Session, person: Employee, work_date: date, window: Window, rule: ScheduleRule,
                    tz: ZoneInfo) -> None:
    """Conflict with a pending or approved request of the same person whose window overlaps
    (the day before and after too: a window may run past midnight)."""
    near = session.exec(select(OvertimeRequest).where(
        OvertimeRequest.employee_id == person.id, col(OvertimeRequest.status).in_(OPEN),
        OvertimeRequest.work_date >= work_date - timedelta(days=1),
        OvertimeRequest.work_date <= work_date + timedelta(days=1))).all()
    book = load_book(session, [person.id or 0])
    for other in near:
        theirs = _window(other, book.rule_for(person.id or 0, other.work_date) if other.work_date != work_date
                         else rule, tz)
        if theirs[0] < window[1] and window[0] < theirs[1]:
            raise Conflict(f"overlaps overtime request #{other.id} of {person.login} ({other.work_date}, "
                           f"{_hhmm(theirs, tz)}, {other.status}); cancel it first or ask for the time around it")


def _details(request: OvertimeRequest) -> dict[str, Any]:
    return {"date": request.work_date, "from": request.start, "to": request.end, "reason": request.reason,
            "late": request.late}


def _locked(session: Session, request_id: int) -> tuple[OvertimeRequest, Employee]:
    """The request and its person, locked (then the comp leave it credited is read afresh)."""
    request = lock_row(session, OvertimeRequest, request_id)
    if request is None:
        raise NotFound(f"no overtime request #{request_id}; see `opsctl attend overtime list`")
    person = session.get(Employee, request.employee_id)
    assert person is not None
    lock_person(session, person)
    return request, person


def _decidable(session: Session, *, actor: Employee, request_id: int, statuses: tuple[str, ...],
               step: str) -> tuple[OvertimeRequest, Employee]:
    request, person = _locked(session, request_id)
    if request.requested_by_id == actor.id and actor.id != person.id:
        raise NotAllowed("nobody decides on their own request; ask another manager, HR or an admin")
    require_approver(session, actor, person, what="overtime")
    if request.status not in statuses:
        raise Conflict(f"overtime request #{request_id} is {request.status}; only a "
                       f"{' or '.join(statuses)} one can be {step}")
    return request, person


def approve_overtime(session: Session, *, actor: Employee, now: datetime, tz: ZoneInfo,
                     request_id: int) -> OvertimeRequest:
    """Approve; an approved rest-day window credits the comp leave worked so far."""
    request, person = _decidable(session, actor=actor, request_id=request_id, statuses=("pending",), step="approved")
    request.status, request.decided_by_id, request.decided_at = "approved", actor.id, now
    session.flush()
    credited = _book_comp(session, request, person, actor=actor, now=now, tz=tz)
    audit.record(session, now=now, actor=actor, action="attend.overtime.approve", entity="attendance_overtime",
                 entity_id=request.id, subject=person, details={**_details(request), "comp_days": credited})
    return request


def reject_overtime(session: Session, *, actor: Employee, now: datetime, tz: ZoneInfo, request_id: int,
                    reason: str) -> OvertimeRequest:
    """Reject a pending request, or an approved one after all (its comp leave is taken back)."""
    reason = check_reason(reason)
    request, person = _decidable(session, actor=actor, request_id=request_id, statuses=OPEN, step="rejected")
    request.status, request.decided_by_id, request.decided_at = "rejected", actor.id, now
    request.decision_note = reason
    session.flush()
    taken = _book_comp(session, request, person, actor=actor, now=now, tz=tz)
    audit.record(session, now=now, actor=actor, action="attend.overtime.reject", entity="attendance_overtime",
                 entity_id=request.id, subject=person, details={**_details(request), "why": reason,
                                                                 "comp_days": taken})
    return request


def cancel_overtime(session: Session, *, actor: Employee, now: datetime, tz: ZoneInfo,
                    request_id: int) -> OvertimeRequest:
    """Withdraw a pending or approved request (its comp leave is taken back). The person or
    whoever may act for them; once an approved window has begun, only an approver."""
    request, person = _locked(session, request_id)
    require_act_for(session, actor, person, action="cancel overtime")
    if request.status not in OPEN:
        raise Conflict(f"overtime request #{request_id} is {request.status}; only a pending or approved one can "
                       "be cancelled")
    rule = schedule_for(session, employee=person, on=request.work_date)
    if request.status == "approved" and now.timestamp() // 60 >= _window(request, rule, tz)[0] \
            and not may_approve(OrgChart.load(session), actor, person):
        raise NotAllowed(f"overtime request #{request_id} was approved and has begun; only {person.login}'s "
                         "manager, HR or an admin may cancel it now (or reject it: attend overtime reject)")
    request.status = "cancelled"
    request.decided_by_id, request.decided_at = actor.id, now
    session.flush()
    taken = _book_comp(session, request, person, actor=actor, now=now, tz=tz)
    if person.id != actor.id or taken:
        audit.record(session, now=now, actor=actor, action="attend.overtime.cancel", entity="attendance_overtime",
                     entity_id=request.id, subject=person, details={**_details(request), "comp_days": taken})
    return request


def settle_overtime(session: Session, *, actor: Employee, now: datetime, tz: ZoneInfo, period: Period) -> list[int]:
    """Bring the comp leave of every approved request in ``period`` in line with what was worked
    (HR and admins; a request approved before the work gets its credit here). Idempotent:
    the ids of the requests whose credit moved."""
    require_roles(actor, "hr", "admin", action="settle overtime into comp leave")
    query = (select(OvertimeRequest, Employee).join(Employee, col(OvertimeRequest.employee_id) == Employee.id)
             .where(OvertimeRequest.status == "approved", OvertimeRequest.work_date >= period.start,
                    OvertimeRequest.work_date <= period.end).order_by(col(OvertimeRequest.id)))
    moved = []
    for request, person in session.exec(query).all():
        if _book_comp(session, request, person, actor=actor, now=now, tz=tz):
            moved.append(request.id or 0)
    return moved


def _book_comp(session: Session, request: OvertimeRequest, person: Employee, *, actor: Employee, now: datetime,
               tz: ZoneInfo) -> float:
    """Book the difference between the comp leave ``request`` should credit now and what it has
    (none unless approved); the days booked (+ or −)."""
    from opsctl.services.config import load_settings
    from opsctl.services.leave import credit_overtime

    wanted = 0.0
    hours_per_day = float(load_settings(session)["overtime_comp_hours"] or 0)
    if request.status == "approved" and hours_per_day > 0:
        worked, kind = _worked(session, [request], tz)[request.id or 0]
        if kind in COMP_DAY_KINDS:
            wanted = math.floor(worked / 60 / hours_per_day * 2) / 2  # in half days, rounded down
    change = wanted - request.comp_days
    if change:
        credit_overtime(session, person=person, days=change, year=request.work_date.year, actor=actor, now=now,
                        note=f"overtime #{request.id} on {request.work_date} ({request.status})")
        request.comp_days = wanted
        session.flush()
    return change


def _worked(session: Session, requests: list[OvertimeRequest], tz: ZoneInfo) -> dict[int, tuple[int, str]]:
    """Request id → (minutes of its window worked per the punches, the kind of its day); two queries
    and the schedules, for any number of requests."""
    if not requests:
        return {}
    ids = sorted({r.employee_id for r in requests})
    first_day, last_day = min(r.work_date for r in requests), max(r.work_date for r in requests)
    query = (sa_select(col(Punch.employee_id), col(Punch.work_date), func.min(Punch.at), func.max(Punch.at),
                       func.count())
             .where(col(Punch.employee_id).in_(ids), col(Punch.work_date) >= first_day,
                    col(Punch.work_date) <= last_day)
             .group_by(col(Punch.employee_id), col(Punch.work_date)))
    spans = {(pid, day): (first, last if count >= 2 else None)
             for pid, day, first, last, count in session.execute(query)}
    book = load_book(session, ids)
    calendar = calendar_kinds(session, first_day, last_day)
    found: dict[int, tuple[int, str]] = {}
    for r in requests:
        rule = book.rule_for(r.employee_id, r.work_date)
        first, last = spans.get((r.employee_id, r.work_date), (None, None))
        minutes = worked_in_windows(r.work_date, rule, tz, first, last, [_window(r, rule, tz)])
        found[r.id or 0] = (minutes, day_kind(r.work_date, rule, calendar))
    return found


def approved_requests(session: Session, ids: list[int], start: date, end: date) -> Iterable[tuple[int, date, time,
                                                                                                    time]]:
    """(person, work date, from, to) of every approved request of ``ids`` from ``start`` to ``end``."""
    if not ids:
        return []
    query = sa_select(col(OvertimeRequest.employee_id), col(OvertimeRequest.work_date), col(OvertimeRequest.start),
                      col(OvertimeRequest.end)).where(
        col(OvertimeRequest.status) == "approved", col(OvertimeRequest.work_date) >= start,
        col(OvertimeRequest.work_date) <= end, col(OvertimeRequest.employee_id).in_(ids))
    return [(pid, day, begin, until) for pid, day, begin, until in session.execute(query)]


def overtime_rows(
    session: Session, *, viewer: Employee, tz: ZoneInfo, pending_only: bool = False, person: Employee | None = None,
    period: Period | None = None, ids: list[int] | None = None,
) -> list[dict[str, Any]]:
    """Overtime requests ``viewer`` may see (attendance's rule: their own, the people they
    manage or lead, everyone for HR/admin), newest first, each with the part worked so far."""
    subject, requester, decider = aliased(Employee), aliased(Employee), aliased(Employee)
    query = (
        select(OvertimeRequest, subject, requester.login, decider.login)
        .join(subject, col(OvertimeRequest.employee_id) == subject.id)
        .join(requester, col(OvertimeRequest.requested_by_id) == requester.id)
        .join(decider, col(OvertimeRequest.decided_by_id) == decider.id, isouter=True)
        .order_by(col(OvertimeRequest.work_date).desc(), col(OvertimeRequest.id).desc())
    )
    if pending_only:
        query = query.where(OvertimeRequest.status == "pending")
    if person is not None:
        require_view(session, viewer, person, what="overtime")
        query = query.where(OvertimeRequest.employee_id == person.id)
    if period is not None:
        query = query.where(OvertimeRequest.work_date >= period.start, OvertimeRequest.work_date <= period.end)
    if ids is not None:
        query = query.where(col(OvertimeRequest.id).in_(ids))
    found = list(session.exec(query))
    allowed = visible_ids(session, viewer, [row[1] for row in found])
    shown = [row for row in found if row[1].id in allowed]
    worked = _worked(session, [row[0] for row in shown], tz)
    by_id: dict[int, tuple[int, str]] = defaultdict(lambda: (0, "workday"), worked)
    rows = []
    for r, who, by, decided in shown:
        minutes, kind = by_id[r.id or 0]
        rows.append({
            "id": r.id, "login": who.login, "name": who.name, "date": r.work_date, "day_kind": kind,
            "from": r.start, "to": r.end, "hours": _planned_hours(r), "worked_hours": round(minutes / 60, 2),
            "status": r.status, "late": r.late, "reason": r.reason, "comp_days": r.comp_days,
            "requested_by": by, "requested_at": r.requested_at, "decided_by": decided, "decided_at": r.decided_at,
            "decision_note": r.decision_note,
        })
    return rows


def _planned_hours(request: OvertimeRequest) -> float:
    minutes = (request.end.hour * 60 + request.end.minute) - (request.start.hour * 60 + request.start.minute)
    return round((minutes % (24 * 60)) / 60, 2)
