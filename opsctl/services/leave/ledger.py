"""The ledger behind every balance, and the balances it gives.

A person's balance of a type in a year is

    remaining = quota (the type's yearly entitlement, in a year they were employed)
              + allocations (HR, + or −)
              + carried over (from the year before, at most the type's ``carry_over``)
              − used (approved leave − cancelled approved leave)

and what a new request may take is ``remaining − pending``. Every movement but the quota
and the carry-over is a ledger entry; those two follow from the type's rules, so a change
of a type's quota or carry-over applies to every year. Types without a quota keep no
balance: only their use is counted.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, col, func, select

from opsctl.errors import InvalidInput
from opsctl.models.leave import LeaveLedgerEntry, LeaveRequest, LeaveType
from opsctl.models.people import Employee
from opsctl.services import audit
from opsctl.services.access import optional_reason, require_roles
from opsctl.services.leave.balance import Balance, balances_of
from opsctl.services.leave.days import Span, by_year, check_half_days, count_days
from opsctl.services.leave.types import LEAVE_ADMINS, get_type, list_types


def counted_days(session: Session, *, person: Employee, leave_type: LeaveType, span: Span) -> dict[date, float]:
    """What each date of ``span`` counts for ``person`` (calendar and schedule applied; days
    outside their employment count nothing)."""
    from opsctl.services.attendance import day_kinds

    kinds = day_kinds(session, employee=person, start=span.start, end=span.end)
    employed = {d: k for d, k in kinds.items()
                if (person.hired is None or d >= person.hired) and (person.left is None or d <= person.left)}
    return count_days(span, employed, include_holidays=leave_type.include_holidays)


def request_span(request: LeaveRequest) -> Span:
    return Span(request.start, request.start_half, request.end, request.end_half)  # type: ignore[arg-type]


def balances(session: Session, *, person: Employee, year: int, types: list[LeaveType] | None = None,
             exclude_request: int | None = None) -> list[Balance]:
    """``person``'s balance of every type (or of ``types``) in ``year``: three queries."""
    types = list_types(session) if types is None else types
    sums = _ledger_sums(session, person=person, upto=year)
    pending = _pending(session, person=person, year=year, exclude=exclude_request)
    return balances_of(person, year, types, sums, pending)


def _ledger_sums(session: Session, *, person: Employee, upto: int) -> dict[tuple[int, int, str], float]:
    """(type id, year, "allocation" | "used") → the sum of ``person``'s entries, up to year ``upto``."""
    sums: dict[tuple[int, int, str], float] = defaultdict(float)
    query = (select(LeaveLedgerEntry.type_id, LeaveLedgerEntry.year, LeaveLedgerEntry.kind,
                    func.sum(LeaveLedgerEntry.days))
             .where(LeaveLedgerEntry.employee_id == person.id, LeaveLedgerEntry.year <= upto)
             .group_by(col(LeaveLedgerEntry.type_id), col(LeaveLedgerEntry.year), col(LeaveLedgerEntry.kind)))
    for type_id, entry_year, kind, total in session.exec(query):
        sums[(type_id, entry_year, "allocation" if kind == "allocation" else "used")] += float(total)
    return dict(sums)


def _pending(session: Session, *, person: Employee, year: int, exclude: int | None) -> dict[int, float]:
    """Days of ``person``'s pending requests that fall in ``year``, by type."""
    query = select(LeaveRequest, LeaveType).join(LeaveType, col(LeaveRequest.type_id) == LeaveType.id).where(
        LeaveRequest.employee_id == person.id, LeaveRequest.status == "pending",
        LeaveRequest.start <= date(year, 12, 31), LeaveRequest.end >= date(year, 1, 1))
    found: dict[int, float] = defaultdict(float)
    for request, leave_type in session.exec(query):
        if request.id == exclude:
            continue
        if request.start.year == request.end.year:
            found[leave_type.id or 0] += request.days
        else:  # across New Year: count this year's part
            days = counted_days(session, person=person, leave_type=leave_type, span=request_span(request))
            found[leave_type.id or 0] += by_year(days).get(year, 0.0)
    return found


def balance_of(session: Session, *, person: Employee, leave_type: LeaveType, year: int,
               exclude_request: int | None = None) -> Balance:
    return balances(session, person=person, year=year, types=[leave_type], exclude_request=exclude_request)[0]


def allocate(
    session: Session, *, actor: Employee, now: datetime, person: Employee, code: str, days: float, year: int,
    reason: str | None = None,
) -> Balance:
    """Add (or, negative, take back) days of a type for a year, on top of its quota (HR/admin);
    audited. Returns the new balance."""
    require_roles(actor, *LEAVE_ADMINS, action="allocate leave")
    leave_type = get_type(session, code)
    if leave_type.quota is None:
        raise InvalidInput(f"{leave_type.code} leave keeps no balance (it has no quota), so there is nothing to "
                           f"allocate; give it one with `opsctl leave type edit {leave_type.code} --quota 0`")
    if check_half_days(days, "DAYS") == 0:
        raise InvalidInput("allocate a number of days other than 0 (negative takes days back)")
    if not 1900 < year < 3000:
        raise InvalidInput(f"not a sensible year: {year}")
    reason = optional_reason(reason)
    before = balance_of(session, person=person, leave_type=leave_type, year=year)
    assert before.remaining is not None
    if before.remaining + days < 0:
        raise InvalidInput(f"taking back {-days:g} days would leave {before.remaining + days:g}; {person.login} has "
                           f"{before.text()}")
    entry = LeaveLedgerEntry(employee_id=person.id or 0, type_id=leave_type.id or 0, year=year, days=days,
                             kind="allocation", note=reason, created_by_id=actor.id, created_at=now)
    session.add(entry)
    session.flush()
    audit.record(session, now=now, actor=actor, action="leave.allocate", entity="leave_ledger", entity_id=entry.id,
                 subject=person, details={"type": leave_type.code, "year": year, "days": days, "reason": reason})
    return balance_of(session, person=person, leave_type=leave_type, year=year)


def credit_overtime(session: Session, *, person: Employee, days: float, year: int, actor: Employee, now: datetime,
                    note: str) -> None:
    """Compensatory (`comp`) leave earned by approved overtime (+), or taken back when the overtime
    is cancelled or rejected after all (−): an allocation whose note names the overtime request."""
    leave_type = get_type(session, "comp")
    session.add(LeaveLedgerEntry(employee_id=person.id or 0, type_id=leave_type.id or 0, year=year, days=days,
                                 kind="allocation", note=note[:500], created_by_id=actor.id, created_at=now))
    session.flush()


def debit(session: Session, *, request: LeaveRequest, counted: dict[date, float], actor: Employee,
          now: datetime) -> None:
    """Approved leave: one entry per year it touches."""
    _book(session, request=request, change=by_year(counted), kind="leave", actor=actor, now=now)


def credit(session: Session, *, request: LeaveRequest, actor: Employee, now: datetime, note: str | None) -> float:
    """Cancelled approved leave: every day it took, back (its debits and recounts, undone)."""
    booked = _booked(session, request)
    _book(session, request=request, change={year: -days for year, days in booked.items()}, kind="cancellation",
          actor=actor, now=now, note=note)
    return sum(booked.values())


def _booked(session: Session, request: LeaveRequest) -> dict[int, float]:
    """Year → the days the ledger holds taken by ``request`` (its debits, recounts and credits)."""
    query = (select(LeaveLedgerEntry.year, func.sum(LeaveLedgerEntry.days))
             .where(LeaveLedgerEntry.request_id == request.id).group_by(col(LeaveLedgerEntry.year)))
    return {year: -float(total) for year, total in session.exec(query) if total}


def _book(session: Session, *, request: LeaveRequest, change: dict[int, float], kind: str, actor: Employee,
          now: datetime, note: str | None = None) -> None:
    """One entry per year whose days taken move by ``change[year]`` (positive: more days taken)."""
    for year, days in sorted(change.items()):
        if days:
            session.add(LeaveLedgerEntry(employee_id=request.employee_id, type_id=request.type_id, year=year,
                                         days=-days, kind=kind, request_id=request.id, note=note,
                                         created_by_id=actor.id, created_at=now))
    session.flush()


# -- the calendar changed -------------------------------------------------------------------

RECOUNTED = ("pending", "approved")


@dataclass(frozen=True)
class Recount:
    """A request whose day count moved because the calendar changed under it."""

    request_id: int
    login: str
    type_code: str
    status: str
    before: float
    after: float

    def text(self) -> str:
        then = "; the balance follows" if self.status == "approved" else ""
        if not self.after:
            then += f"; it covers no workday now: cancel it with `opsctl leave cancel {self.request_id}`"
        return (f"{self.status} leave #{self.request_id} ({self.login}, {self.type_code}) now counts "
                f"{self.after:g} day{'s' if self.after != 1 else ''}, was {self.before:g}{then}")


def recount_leave(session: Session, *, days: Collection[date], actor: Employee, now: datetime,
                  note: str) -> list[Recount]:
    """Count again every pending or approved request that covers one of ``days`` (dates whose
    calendar kind just changed: a holiday announced after the leave was booked, a make-up
    workday). The request's days follow; approved leave gets a ``recount`` ledger entry for
    each year whose count moved, so balances stay what the calendar now says."""
    changed = sorted(set(days))
    if not changed:
        return []
    query = _recountable().where(LeaveRequest.start <= changed[-1], LeaveRequest.end >= changed[0])
    return _recount(session, query, actor=actor, now=now, note=note,
                    covers=lambda r: any(r.start <= day <= r.end for day in changed))


def recount_leave_of(session: Session, *, person: Employee | None, since: date, actor: Employee, now: datetime,
                     note: str) -> list[Recount]:
    """The same for ``person``'s requests (None: everyone's) that end on or after ``since``:
    their schedule (and so which days are workdays) changed from that date on."""
    query = _recountable().where(LeaveRequest.end >= since)
    if person is not None:
        query = query.where(LeaveRequest.employee_id == person.id)
    return _recount(session, query, actor=actor, now=now, note=note, covers=lambda r: True)


def _recountable() -> Any:
    return (select(LeaveRequest, LeaveType, Employee)
            .join(LeaveType, col(LeaveRequest.type_id) == LeaveType.id)
            .join(Employee, col(LeaveRequest.employee_id) == Employee.id)
            .where(col(LeaveRequest.status).in_(RECOUNTED))
            .order_by(col(LeaveRequest.id)))


def _recount(session: Session, query: Any, *, covers: Callable[[LeaveRequest], bool], actor: Employee,
             now: datetime, note: str) -> list[Recount]:
    found = []
    for request, leave_type, person in session.exec(query).all():
        if not covers(request):
            continue
        counted = counted_days(session, person=person, leave_type=leave_type, span=request_span(request))
        if request.status == "approved":
            booked = _booked(session, request)
            wanted = by_year(counted)
            _book(session, request=request, kind="recount", actor=actor, now=now, note=note,
                  change={y: wanted.get(y, 0.0) - booked.get(y, 0.0) for y in set(booked) | set(wanted)})
        after = sum(counted.values())
        if after != request.days:
            found.append(Recount(request.id or 0, person.login, leave_type.code, request.status, request.days, after))
            request.days = after
    session.flush()
    return found


def ledger_rows(session: Session, *, person: Employee, year: int) -> list[dict[str, Any]]:
    """``person``'s ledger entries of ``year``, oldest first."""
    query = (select(LeaveLedgerEntry, LeaveType.code).join(LeaveType, col(LeaveLedgerEntry.type_id) == LeaveType.id)
             .where(LeaveLedgerEntry.employee_id == person.id, LeaveLedgerEntry.year == year)
             .order_by(col(LeaveLedgerEntry.id)))
    return [{"id": e.id, "login": person.login, "year": e.year, "type": code, "kind": e.kind, "days": e.days,
             "request_id": e.request_id, "note": e.note, "at": e.created_at} for e, code in session.exec(query)]
