"""Leave requests and their approvals (DESIGN §4) against a database.

The test team: mona manages leo, wei, na and sam; hana is HR; ada the admin. The clock
is Wednesday 2026-03-18 09:30 in Shanghai; annual leave needs 3 days' notice.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime, timedelta

import pytest
from sqlmodel import Session, select

from opsctl.clock import FixedClock
from opsctl.errors import Conflict, InvalidInput, NotAllowed, NotFound
from opsctl.models.leave import LeaveLedgerEntry, LeaveRequest
from opsctl.models.people import AuditEntry, Employee
from opsctl.services.attendance.calendar import add_calendar_day
from opsctl.services.attendance.rules import LeaveCover
from opsctl.services.leave.approvals import approve_leave, cancel_leave, reject_leave
from opsctl.services.leave.days import parse_span
from opsctl.services.leave.ledger import Balance, balance_of
from opsctl.services.leave.requests import approved_covers, list_requests, request_leave
from opsctl.services.leave.types import get_type
from opsctl.services.leave.views import awaiting_decision
from tests.conftest import People, pk

TODAY = date(2026, 3, 18)
MON = date(2026, 3, 23)


@pytest.fixture
def ask(session: Session, people: People, clock: FixedClock) -> Callable[..., LeaveRequest]:
    def ask(login: str, code: str, start: str, end: str | None = None, *, actor: str | None = None,
            today: date = TODAY) -> LeaveRequest:
        request = request_leave(
            session, actor=people.by_login[actor or login], now=clock.now(), today=today, code=code,
            span=parse_span(start, end, parse_day=date.fromisoformat), reason="family matters",
            login=login if actor else None)
        session.flush()
        return request

    return ask


def approve(session: Session, people: People, clock: FixedClock, who: str, request_id: int,
            comment: str | None = None) -> LeaveRequest:
    return approve_leave(session, actor=people.by_login[who], now=clock.now(), request_id=request_id, comment=comment)


def annual(session: Session, person: Employee, year: int = 2026) -> Balance:
    return balance_of(session, person=person, leave_type=get_type(session, "annual"), year=year)


# -- asking --------------------------------------------------------------------------------------

def test_a_request_counts_workdays_in_halves_and_waits_for_the_manager(
    session: Session, people: People, ask: Callable[..., LeaveRequest]
) -> None:
    request = ask("wei", "annual", "2026-03-23:pm", "2026-03-25:am")  # Mon afternoon, Tue, Wed morning
    assert request.status == "pending" and request.days == 2.0
    row = list_requests(session, viewer=people.wei, ids=[pk(request)])[0]
    assert (row["when"], row["waiting_for"], row["login"]) == ("2026-03-23 pm – 2026-03-25 am", "mona", "wei")
    assert annual(session, people.wei).pending == 2.0 and annual(session, people.wei).available == 3.0


def test_the_notice_the_past_and_retroactive_types(
    session: Session, people: People, ask: Callable[..., LeaveRequest]
) -> None:
    with pytest.raises(InvalidInput, match=r"needs 3 days' notice: it may start on Sat 2026-03-21 at the earliest"):
        ask("wei", "annual", "2026-03-20")
    with pytest.raises(InvalidInput, match="cannot start in the past"):
        ask("wei", "personal", "2026-03-17")
    assert ask("wei", "sick", "2026-03-16", "2026-03-17").days == 2  # sick leave may be asked for afterwards
    assert ask("wei", "personal", "2026-03-13", actor="hana").days == 1  # HR records it for them
    with pytest.raises(InvalidInput, match="in the past"):
        ask("wei", "personal", "2026-03-12", actor="mona")  # a manager asking for them keeps the rules


def test_a_request_on_no_workday_is_refused(
    session: Session, people: People, clock: FixedClock, ask: Callable[..., LeaveRequest]
) -> None:
    with pytest.raises(InvalidInput, match="covers no workday of wei"):
        ask("wei", "annual", "2026-03-28", "2026-03-29")  # a weekend
    add_calendar_day(session, actor=people.ada, now=clock.now(), day=MON, kind="holiday", name="Holiday")
    with pytest.raises(InvalidInput, match="only rest days, days off or holidays"):
        ask("wei", "annual", "2026-03-21", "2026-03-23")
    add_calendar_day(session, actor=people.ada, now=clock.now(), day=date(2026, 3, 28), kind="workday", name="W")
    assert ask("wei", "annual", "2026-03-28").days == 1  # a make-up Saturday is a workday
    assert ask("wei", "maternity", "2026-03-21", "2026-03-24").days == 4  # calendar days for maternity leave


def test_overlaps_are_refused_but_two_halves_of_a_day_are_fine(
    session: Session, people: People, clock: FixedClock, ask: Callable[..., LeaveRequest]
) -> None:
    first = ask("wei", "annual", "2026-03-23", "2026-03-24:am")
    with pytest.raises(Conflict, match=rf"already has leave #{first.id} \(annual, 2026-03-23 – 2026-03-24 am, "
                                       r"pending\)"):
        ask("wei", "sick", "2026-03-20", "2026-03-23:am")
    afternoon = ask("wei", "personal", "2026-03-24:pm")
    approve(session, people, clock, "mona", pk(afternoon))
    with pytest.raises(Conflict, match="approved"):
        ask("wei", "sick", "2026-03-24:pm", "2026-03-25")
    reject_leave(session, actor=people.mona, now=clock.now(), request_id=pk(first), reason="busy")
    assert ask("wei", "annual", "2026-03-23").days == 1  # a rejected request no longer blocks the days
    assert ask("na", "annual", "2026-03-23").days == 1  # nor does anybody else's


def test_not_enough_balance_shows_the_balance(
    session: Session, people: People, ask: Callable[..., LeaveRequest]
) -> None:
    ask("wei", "annual", "2026-03-23", "2026-03-25")
    with pytest.raises(InvalidInput, match=r"not enough annual leave in 2026 for 3 days: wei has 2 to take "
                                           r"\(annual 2026: 5 allocated, 0 used, 3 pending, 5 remaining\)"):
        ask("wei", "annual", "2026-03-30", "2026-04-01")
    assert ask("wei", "sick", "2026-04-06", "2026-04-30").days == 19  # no quota: no limit


def test_unknown_types_and_people(session: Session, people: People, ask: Callable[..., LeaveRequest]) -> None:
    with pytest.raises(NotFound, match=r"unknown leave type 'holiday' \(types: annual, sick, personal, marriage, "
                                       r"maternity, bereavement, comp\)"):
        ask("wei", "holiday", "2026-03-23")
    with pytest.raises(NotAllowed, match="may not ask for leave for wei"):
        ask("wei", "annual", "2026-03-23", actor="na")


# -- deciding -------------------------------------------------------------------------------------

def test_the_manager_approves_and_the_ledger_takes_the_days(
    session: Session, people: People, clock: FixedClock, ask: Callable[..., LeaveRequest]
) -> None:
    request = ask("wei", "annual", "2026-03-23", "2026-03-24:am")
    approve(session, people, clock, "mona", pk(request), "enjoy")
    assert (request.status, request.approved_level, request.comment) == ("approved", 1, "enjoy")
    entries = session.exec(select(LeaveLedgerEntry).where(LeaveLedgerEntry.request_id == request.id)).all()
    assert [(e.kind, e.days, e.year) for e in entries] == [("leave", -1.5, 2026)]
    balance = annual(session, people.wei)
    assert (balance.used, balance.pending, balance.remaining) == (1.5, 0.0, 3.5)
    audit = session.exec(select(AuditEntry).where(AuditEntry.action == "leave.approve")).one()
    assert (audit.actor_id, audit.subject_id, audit.entity_id) == (people.mona.id, people.wei.id, str(request.id))
    assert json.loads(audit.details)["comment"] == "enjoy"


def test_who_may_approve(session: Session, people: People, clock: FixedClock, ask: Callable[..., LeaveRequest]) -> None:
    request = ask("wei", "annual", "2026-03-23")
    for who, message in (("wei", "nobody approves their own"), ("na", "may not approve wei's"),
                         ("leo", "may not approve wei's")):  # a team lead is not the manager
        with pytest.raises(NotAllowed, match=message):
            approve(session, people, clock, who, pk(request))
    filed = ask("sam", "annual", "2026-03-23", actor="mona")
    with pytest.raises(NotAllowed, match="you filed leave"):
        approve(session, people, clock, "mona", pk(filed))
    approve(session, people, clock, "hana", pk(filed))  # HR may approve anyone's
    own = ask("mona", "annual", "2026-03-23")
    with pytest.raises(NotAllowed, match="nobody approves their own"):
        approve(session, people, clock, "mona", pk(own))


def test_deciding_twice_is_a_conflict(
    session: Session, people: People, clock: FixedClock, ask: Callable[..., LeaveRequest]
) -> None:
    request = ask("wei", "annual", "2026-03-23")
    approve(session, people, clock, "mona", pk(request))
    with pytest.raises(Conflict, match=rf"leave #{request.id} is already approved \(by mona on 2026-03-18\)"):
        approve(session, people, clock, "mona", pk(request))
    with pytest.raises(Conflict, match="already approved"):
        reject_leave(session, actor=people.hana, now=clock.now(), request_id=pk(request), reason="no")
    cancel_leave(session, actor=people.wei, now=clock.now(), today=TODAY, request_id=pk(request))
    with pytest.raises(Conflict, match="already cancelled"):
        cancel_leave(session, actor=people.wei, now=clock.now(), today=TODAY, request_id=pk(request))
    rejected = ask("wei", "annual", "2026-03-24")
    reject_leave(session, actor=people.mona, now=clock.now(), request_id=pk(rejected), reason="release week")
    with pytest.raises(Conflict, match="already rejected"):
        reject_leave(session, actor=people.mona, now=clock.now(), request_id=pk(rejected), reason="again")
    with pytest.raises(Conflict, match="already rejected"):
        cancel_leave(session, actor=people.wei, now=clock.now(), today=TODAY, request_id=pk(rejected))
    actions = session.exec(select(AuditEntry.action).where(AuditEntry.action.startswith("leave."))).all()
    assert sorted(actions) == ["leave.approve", "leave.cancel", "leave.reject"]


def test_two_levels_need_hr_after_the_manager(
    session: Session, people: People, clock: FixedClock, ask: Callable[..., LeaveRequest]
) -> None:
    request = ask("wei", "marriage", "2026-03-30", "2026-04-03")
    assert request.levels == 2
    approve(session, people, clock, "mona", pk(request))
    assert (request.status, request.approved_level) == ("pending", 1)
    assert list_requests(session, viewer=people.wei, ids=[pk(request)])[0]["waiting_for"] == "HR"
    assert annual(session, people.wei).used == 0 and not session.exec(select(LeaveLedgerEntry)).all()
    with pytest.raises(Conflict, match="you already approved"):
        approve(session, people, clock, "mona", pk(request))
    assert [r["id"] for r in awaiting_decision(session, viewer=people.hana)] == [request.id]
    assert awaiting_decision(session, viewer=people.mona) == []
    approve(session, people, clock, "hana", pk(request))
    assert (request.status, request.approved_by_id, request.hr_approved_by_id) == ("approved", people.mona.id,
                                                                                   people.hana.id)
    other = ask("na", "marriage", "2026-03-30")
    approve(session, people, clock, "ada", pk(other))  # HR or an admin first settles both levels
    assert (other.status, other.approved_level) == ("approved", 2)


def test_cancelling_gives_the_days_back_and_once_begun_needs_the_approver(
    session: Session, people: People, clock: FixedClock, ask: Callable[..., LeaveRequest]
) -> None:
    request = ask("wei", "annual", "2026-03-23", "2026-03-25")
    approve(session, people, clock, "mona", pk(request))
    assert annual(session, people.wei).remaining == 2
    later = TODAY + timedelta(days=6)  # Tuesday 24 March: the leave has begun
    with pytest.raises(NotAllowed, match=rf"leave #{request.id} began on 2026-03-23; cancelling it now needs "
                                         r"its approver \(mona\)"):
        cancel_leave(session, actor=people.wei, now=clock.now(), today=later, request_id=pk(request))
    with pytest.raises(NotAllowed, match="may not cancel"):
        cancel_leave(session, actor=people.na, now=clock.now(), today=TODAY, request_id=pk(request))
    cancel_leave(session, actor=people.mona, now=clock.now(), today=later, request_id=pk(request), reason="ill")
    assert annual(session, people.wei).remaining == 5
    kinds = session.exec(select(LeaveLedgerEntry.kind, LeaveLedgerEntry.days)).all()
    assert sorted(kinds) == [("cancellation", 3.0), ("leave", -3.0)]
    pending = ask("wei", "annual", "2026-03-30")
    cancel_leave(session, actor=people.wei, now=clock.now(), today=TODAY, request_id=pk(pending))
    assert (pending.status, annual(session, people.wei).pending) == ("cancelled", 0)


def test_approval_checks_the_balance_again(
    session: Session, people: People, clock: FixedClock, ask: Callable[..., LeaveRequest]
) -> None:
    from opsctl.services.leave.ledger import allocate

    request = ask("wei", "annual", "2026-03-23", "2026-03-27")
    allocate(session, actor=people.hana, now=clock.now(), person=people.wei, code="annual", days=-1, year=2026)
    with pytest.raises(InvalidInput, match="not enough annual leave in 2026 for 5 days: wei has 4 to take"):
        approve(session, people, clock, "mona", pk(request))


# -- what attendance sees ---------------------------------------------------------------------------

def test_only_approved_leave_covers_days_and_halves_combine(
    session: Session, people: People, clock: FixedClock, ask: Callable[..., LeaveRequest]
) -> None:
    morning = ask("wei", "annual", "2026-03-23:am")
    afternoon = ask("wei", "sick", "2026-03-23:pm")
    ask("na", "annual", "2026-03-23")  # pending: covers nothing
    both = ask("wei", "annual", "2026-03-24", "2026-03-25:am")
    for request in (morning, both):
        approve(session, people, clock, "mona", pk(request))
    covers = approved_covers(session, [pk(people.wei), pk(people.na)], date(2026, 3, 1), date(2026, 3, 24))
    assert covers == {(people.wei.id, MON): LeaveCover("am", "annual"),
                      (people.wei.id, date(2026, 3, 24)): LeaveCover("full", "annual")}  # clipped to the range
    approve(session, people, clock, "mona", pk(afternoon))
    covers = approved_covers(session, [pk(people.wei)], MON, date(2026, 3, 25))
    assert covers[(pk(people.wei), MON)] == LeaveCover("full", "annual+sick")
    assert covers[(pk(people.wei), date(2026, 3, 25))] == LeaveCover("am", "annual")


def test_the_attendance_summary_shows_approved_leave(
    session: Session, people: People, clock: FixedClock, ask: Callable[..., LeaveRequest]
) -> None:
    from opsctl.services.attendance.summary import summarize_period

    approve(session, people, clock, "mona", pk(ask("wei", "sick", "2026-03-02", "2026-03-03:am")))
    [wei] = summarize_period(session, start=date(2026, 3, 1), end=date(2026, 3, 6), today=TODAY, people=[people.wei])
    assert (wei.leave_days, wei.leave_by_type, wei.absent_days, wei.workdays) == (1.5, {"sick": 1.5}, 3.5, 5)
    assert [d.status for d in wei.days[1:3]] == ["leave", "half-leave+absent"]


def test_an_hr_request_for_someone_else_is_audited(
    session: Session, people: People, clock: FixedClock, ask: Callable[..., LeaveRequest]
) -> None:
    request = ask("wei", "sick", "2026-03-16", actor="hana")
    entry = session.exec(select(AuditEntry).where(AuditEntry.action == "leave.request")).one()
    assert (entry.actor_id, entry.subject_id, entry.entity_id) == (people.hana.id, people.wei.id, str(request.id))
    assert request.requested_by_id == people.hana.id and request.employee_id == people.wei.id
    assert datetime.fromisoformat(entry.at.isoformat()) == clock.now()
