"""Corrections (`attend fix`): a pending request for the punches a person forgot, approved
by their manager or HR/admin. Approval adds `correction` punches (originals are never
edited) and an audit entry. At most `correction_limit` per person per month, unless HR
or an admin overrides."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import aliased
from sqlmodel import Session, col, func, select

from opsctl.dates import local_instant, month_of
from opsctl.errors import Conflict, InvalidInput, NotAllowed, NotFound
from opsctl.models.attendance import CorrectionRequest, Punch
from opsctl.models.people import Employee
from opsctl.services import audit
from opsctl.services.access import check_reason, is_hr_or_admin, require_act_for, require_approver
from opsctl.services.attendance.access import require_view, visible_ids
from opsctl.services.attendance.schedules import schedule_for
from opsctl.services.attendance.shifts import wall_time_on
from opsctl.services.locks import lock_person, lock_row


def _instants(person: Employee, work_date: date, times: dict[str, time | None], tz: ZoneInfo,
              session: Session) -> dict[str, datetime]:
    """The instants of the --in and --out times on the shift of ``work_date``. A time the clocks
    skip is refused; one they show twice (fall back) is its first occurrence, except an --out
    that would then not be after the --in given with it: that one is the second."""
    rule = schedule_for(session, employee=person, on=work_date)
    instants: dict[str, datetime] = {}
    for kind, clock in times.items():
        if clock is None:
            continue
        local = wall_time_on(work_date, clock, rule)
        try:
            instant = local_instant(local, tz)
        except InvalidInput as exc:
            raise InvalidInput(f"--{kind} {exc.message}") from None
        if kind == "out" and "in" in instants and instant <= instants["in"]:
            instant = max(instant, local_instant(local, tz, fold=1))
        instants[kind] = instant
    return instants


def _corrections_in_month(session: Session, person: Employee, day: date, *statuses: str) -> int:
    month = month_of(day)
    query = select(func.count()).select_from(CorrectionRequest).where(
        CorrectionRequest.employee_id == person.id, col(CorrectionRequest.status).in_(statuses),
        CorrectionRequest.work_date >= month.start, CorrectionRequest.work_date <= month.end,
    )
    return int(session.exec(query).one())


def _check_limit(session: Session, person: Employee, day: date, *statuses: str) -> None:
    from opsctl.services.config import get_setting

    limit = int(get_setting(session, "correction_limit"))
    used = _corrections_in_month(session, person, day, *statuses)
    if used >= limit:
        waiting = " approved or waiting" if "pending" in statuses else " approved"
        raise InvalidInput(
            f"{person.login} already has {used} correction(s){waiting} for {month_of(day).label}, the monthly "
            f"limit (setting correction_limit = {limit}); HR or an admin may allow more with --override"
        )


def request_fix(
    session: Session,
    *,
    actor: Employee,
    now: datetime,
    tz: ZoneInfo,
    work_date: date,
    in_time: time | None,
    out_time: time | None,
    reason: str,
    login: str | None = None,
    override: bool = False,
) -> CorrectionRequest:
    """A pending correction for ``login`` (default: the actor) on ``work_date``."""
    from opsctl.services.people import get_person

    person = get_person(session, login, active_only=True) if login else actor
    if person.id != actor.id:
        require_act_for(session, actor, person, action="ask for punch corrections")
    if override and not is_hr_or_admin(actor):
        raise NotAllowed("only HR or an admin may override the monthly correction limit")
    if in_time is None and out_time is None:
        raise InvalidInput("say which punch is missing: give --in HH:MM, --out HH:MM or both")
    reason = check_reason(reason)
    today = now.astimezone(tz).date()
    if work_date > today:
        raise InvalidInput(f"{work_date} is in the future; a correction is for a day that has happened")
    if person.hired and work_date < person.hired:
        raise InvalidInput(f"{person.login} was hired on {person.hired}, after {work_date}")
    instants = _instants(person, work_date, {"in": in_time, "out": out_time}, tz, session)
    for kind, instant in instants.items():
        if instant > now:
            raise InvalidInput(f"--{kind} {instant.astimezone(tz):%H:%M} on {work_date} has not happened yet")
    if len(instants) == 2 and instants["out"] <= instants["in"]:
        raise InvalidInput(f"--out {out_time:%H:%M} is not after --in {in_time:%H:%M}")
    lock_person(session, person)  # the pending check and the monthly limit count what is stored
    waiting = session.exec(select(CorrectionRequest.id).where(
        CorrectionRequest.employee_id == person.id, CorrectionRequest.work_date == work_date,
        CorrectionRequest.status == "pending")).first()
    if waiting is not None:
        raise Conflict(f"correction #{waiting} for {person.login} on {work_date} is still pending; "
                       "wait for its decision or have it rejected first")
    if not override:
        _check_limit(session, person, work_date, "approved", "pending")
    request = CorrectionRequest(
        employee_id=person.id or 0, work_date=work_date, in_time=in_time, out_time=out_time, reason=reason,
        limit_override=override, requested_by_id=actor.id or 0, requested_at=now,
    )
    session.add(request)
    session.flush()
    if person.id != actor.id:
        audit.record(session, now=now, actor=actor, action="attend.fix", entity="attendance_correction",
                     entity_id=request.id, subject=person, details=_details(request))
    return request


def _details(request: CorrectionRequest) -> dict[str, Any]:
    return {"date": request.work_date, "in": request.in_time, "out": request.out_time, "reason": request.reason}


def _decidable(session: Session, *, actor: Employee, request_id: int) -> tuple[CorrectionRequest, Employee]:
    request = lock_row(session, CorrectionRequest, request_id)  # then its person: the monthly limit
    if request is None:
        raise NotFound(f"no correction request #{request_id}; see `opsctl attend requests`")
    person = session.get(Employee, request.employee_id)
    assert person is not None
    lock_person(session, person)
    if request.requested_by_id == actor.id and actor.id != person.id:
        raise NotAllowed("nobody decides on their own request; ask another manager, HR or an admin")
    require_approver(session, actor, person, what="punch correction")
    if request.status != "pending":
        decider = session.get(Employee, request.decided_by_id) if request.decided_by_id else None
        by = f" by {decider.login}" if decider else ""
        on = f" on {request.decided_at:%Y-%m-%d}" if request.decided_at else ""
        raise Conflict(f"correction #{request_id} is already {request.status}{by}{on}")
    return request, person


def approve_fix(
    session: Session, *, actor: Employee, now: datetime, tz: ZoneInfo, request_id: int, override: bool = False
) -> CorrectionRequest:
    """Approve: add the correction punches (those not stored already) and audit it."""
    request, person = _decidable(session, actor=actor, request_id=request_id)
    if override and not is_hr_or_admin(actor):
        raise NotAllowed("only HR or an admin may override the monthly correction limit")
    if not (override or request.limit_override):
        _check_limit(session, person, request.work_date, "approved")
    instants = _instants(person, request.work_date, {"in": request.in_time, "out": request.out_time}, tz, session)
    stored = set(session.exec(select(Punch.at).where(
        Punch.employee_id == person.id, col(Punch.at).in_(list(instants.values())))).all())
    added = []
    for kind, instant in instants.items():
        if instant not in stored:
            session.add(Punch(employee_id=person.id or 0, at=instant, work_date=request.work_date, kind=kind,
                              source="correction", note=f"fix #{request.id}: {request.reason}"[:200],
                              correction_id=request.id))
            added.append(kind)
    request.status, request.decided_by_id, request.decided_at = "approved", actor.id, now
    request.limit_override = request.limit_override or override
    session.flush()
    audit.record(session, now=now, actor=actor, action="attend.approve", entity="attendance_correction",
                 entity_id=request.id, subject=person, details={**_details(request), "added": added})
    return request


def reject_fix(session: Session, *, actor: Employee, now: datetime, request_id: int, reason: str) -> CorrectionRequest:
    reason = check_reason(reason)
    request, person = _decidable(session, actor=actor, request_id=request_id)
    request.status, request.decided_by_id, request.decided_at = "rejected", actor.id, now
    request.decision_note = reason
    session.flush()
    audit.record(session, now=now, actor=actor, action="attend.reject", entity="attendance_correction",
                 entity_id=request.id, subject=person, details={**_details(request), "why": reason})
    return request


def fix_rows(
    session: Session, *, viewer: Employee, pending_only: bool = False, person: Employee | None = None,
    ids: list[int] | None = None,
) -> list[dict[str, Any]]:
    """Correction requests ``viewer`` may see (their own, the people they manage or lead,
    everyone for HR/admin), newest first."""
    subject, requester, decider = aliased(Employee), aliased(Employee), aliased(Employee)
    query = (
        select(CorrectionRequest, subject, requester.login, decider.login)
        .join(subject, col(CorrectionRequest.employee_id) == subject.id)
        .join(requester, col(CorrectionRequest.requested_by_id) == requester.id)
        .join(decider, col(CorrectionRequest.decided_by_id) == decider.id, isouter=True)
        .order_by(col(CorrectionRequest.id).desc())
    )
    if pending_only:
        query = query.where(CorrectionRequest.status == "pending")
    if person is not None:
        require_view(session, viewer, person)  # asking for one person: say so, not "no requests"
        query = query.where(CorrectionRequest.employee_id == person.id)
    if ids is not None:
        query = query.where(col(CorrectionRequest.id).in_(ids))
    found = list(session.exec(query))
    allowed = visible_ids(session, viewer, [row[1] for row in found])
    return [
        {
            "id": r.id, "login": who.login, "name": who.name, "date": r.work_date, "in": r.in_time,
            "out": r.out_time, "reason": r.reason, "status": r.status, "requested_by": by,
            "requested_at": r.requested_at, "decided_by": decided, "decided_at": r.decided_at,
            "decision_note": r.decision_note, "override": r.limit_override,
        }
        for r, who, by, decided in found
        if who.id in allowed
    ]
