"""Leave types, allocations, balances and carry-over, and the migration that brings leave
to an existing database."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import Session, col, select

from opsctl.clock import FixedClock
from opsctl.errors import Conflict, InvalidInput, NotAllowed
from opsctl.models.leave import LeaveRequest, LeaveType
from opsctl.models.people import AuditEntry, Employee
from opsctl.services.leave.approvals import approve_leave, cancel_leave
from opsctl.services.leave.days import parse_span
from opsctl.services.leave.ledger import Balance, allocate, balance_of, balances, ledger_rows
from opsctl.services.leave.requests import request_leave
from opsctl.services.leave.types import DEFAULT_TYPES, TypeRules, add_type, edit_type, ensure_default_types, get_type
from tests.conftest import TEST_DATABASE_URL, People

TODAY = date(2026, 3, 18)


def take(session: Session, people: People, clock: FixedClock, login: str, code: str, start: str,
         end: str | None = None) -> LeaveRequest:
    """Ask for leave and have mona approve it."""
    request = request_leave(session, actor=people.by_login[login], now=clock.now(), today=TODAY, code=code,
                            span=parse_span(start, end, parse_day=date.fromisoformat), reason="r")
    return approve_leave(session, actor=people.mona, now=clock.now(), request_id=request.id or 0)


def balance(session: Session, person: Employee, code: str = "annual", year: int = 2026) -> Balance:
    return balance_of(session, person=person, leave_type=get_type(session, code), year=year)


def test_init_creates_the_default_types(session: Session, admin: Employee) -> None:
    types = {t.code: t for t in session.exec(select(LeaveType))}
    assert list(types) == ["annual", "sick", "personal", "marriage", "maternity", "bereavement", "comp"]
    assert (types["annual"].paid, types["annual"].quota) == (True, 5)
    assert types["sick"].allow_retro and types["sick"].quota is None and not types["personal"].paid
    assert types["marriage"].levels == 2 and types["maternity"].include_holidays and types["comp"].quota == 0
    assert ensure_default_types(session, now=admin.created_at) == []  # already there: nothing added twice


def test_the_quota_is_the_yearly_allocation_and_hr_adds_to_it(
    session: Session, people: People, clock: FixedClock
) -> None:
    assert (balance(session, people.wei).allocated, balance(session, people.wei).remaining) == (5, 5)
    after = allocate(session, actor=people.hana, now=clock.now(), person=people.wei, code="annual", days=5, year=2026,
                     reason="10 years of work")
    assert (after.allocated, after.remaining, after.quota) == (10, 10, 5)
    assert balance(session, people.wei, year=2027).allocated == 5  # for that year only
    taken = allocate(session, actor=people.ada, now=clock.now(), person=people.wei, code="annual", days=-2.5,
                     year=2026)
    assert taken.remaining == 7.5
    assert [(r["kind"], r["days"], r["note"]) for r in ledger_rows(session, person=people.wei, year=2026)] == [
        ("allocation", 5.0, "10 years of work"), ("allocation", -2.5, None)]
    entry = session.exec(select(AuditEntry).where(AuditEntry.action == "leave.allocate")).first()
    assert entry is not None and entry.subject_id == people.wei.id


def test_allocations_refused(session: Session, people: People, clock: FixedClock) -> None:
    def give(code: str = "annual", days: float = 1, actor: str = "hana") -> Balance:
        return allocate(session, actor=people.by_login[actor], now=clock.now(), person=people.wei, code=code,
                        days=days, year=2026)

    with pytest.raises(NotAllowed, match="only hr or admin may allocate leave"):
        give(actor="mona")
    with pytest.raises(InvalidInput, match="sick leave keeps no balance"):
        give("sick")
    with pytest.raises(InvalidInput, match="whole or half days"):
        give(days=0.3)
    with pytest.raises(InvalidInput, match="would leave -1"):
        give(days=-6)
    assert give("comp", 1.5).remaining == 1.5  # comp: 0 a year, what HR allocates for overtime


def test_a_balance_per_type_allocated_used_pending_remaining(
    session: Session, people: People, clock: FixedClock
) -> None:
    take(session, people, clock, "wei", "annual", "2026-03-23", "2026-03-24:am")
    request_leave(session, actor=people.wei, now=clock.now(), today=TODAY, code="annual",
                  span=parse_span("2026-04-01", None, parse_day=date.fromisoformat), reason="r")
    take(session, people, clock, "wei", "sick", "2026-03-16:pm")
    rows = {b.code: b.row() for b in balances(session, person=people.wei, year=2026)}
    assert rows["annual"] == {"login": "wei", "year": 2026, "code": "annual", "name": "Annual leave / 年假",
                              "paid": True, "quota": 5.0, "allocated": 5.0, "carried": 0.0, "used": 1.5,
                              "pending": 1.0, "remaining": 3.5, "available": 2.5}
    assert (rows["sick"]["used"], rows["sick"]["remaining"], rows["sick"]["allocated"]) == (0.5, None, None)


def test_carry_over_up_to_the_types_cap(session: Session, people: People, clock: FixedClock) -> None:
    take(session, people, clock, "wei", "annual", "2026-03-23")  # 4 of 5 left in 2026
    assert balance(session, people.wei, year=2027).carried == 0  # the type does not carry over yet
    edit_type(session, actor=people.hana, now=clock.now(), code="annual", carry_over=3)
    assert (balance(session, people.wei, year=2027).carried, balance(session, people.wei, year=2027).remaining) == (
        3, 8)
    three = take(session, people, clock, "wei", "annual", "2026-03-24", "2026-03-26")  # 1 left in 2026
    assert balance(session, people.wei, year=2027).carried == 1
    assert balance(session, people.wei, year=2028).carried == 3  # 2027 untouched: 6 left, 3 carried
    edit_type(session, actor=people.hana, now=clock.now(), code="annual", carry_over=10)
    assert balance(session, people.wei, year=2028).carried == 6  # 5 + 1 carried in 2027
    cancel_leave(session, actor=people.wei, now=clock.now(), today=TODAY, request_id=three.id or 0)
    assert balance(session, people.wei, year=2027).carried == 4  # the cancelled days are back


def test_carry_over_starts_from_the_hire_year(session: Session, people: People, clock: FixedClock) -> None:
    from opsctl.services.people.employees import add_person

    edit_type(session, actor=people.hana, now=clock.now(), code="annual", carry_over=5)
    newbie = add_person(session, actor=people.ada, now=clock.now(), login="newbie", name="New", hired=date(2027, 2, 1))
    assert balance(session, newbie, year=2026).allocated == 0  # not employed that year
    assert (balance(session, newbie, year=2027).carried, balance(session, newbie, year=2027).remaining) == (0, 5)


def test_adding_and_editing_types(session: Session, people: People, clock: FixedClock) -> None:
    added = add_type(session, actor=people.hana, now=clock.now(), rules=TypeRules(
        "Study", "Study leave", paid=False, quota=2, min_notice=5, levels=2, carry_over=1))
    assert (added.code, added.quota, added.levels, added.carry_over) == ("study", 2, 2, 1)
    with pytest.raises(Conflict, match="already exists"):
        add_type(session, actor=people.hana, now=clock.now(), rules=TypeRules("study", "Again"))
    with pytest.raises(NotAllowed):
        add_type(session, actor=people.mona, now=clock.now(), rules=TypeRules("x", "X"))
    for rules, message in ((TypeRules("9x", "X"), "not a leave type code"), (TypeRules("x", " "), "a name"),
                           (TypeRules("x", "X", levels=3), "--levels must be 1"),
                           (TypeRules("x", "X", quota=-1), "must not be negative"),
                           (TypeRules("x", "X", min_notice=400), "between 0 and 365"),
                           (TypeRules("x", "X", carry_over=2), "needs a balance")):
        with pytest.raises(InvalidInput, match=message):
            add_type(session, actor=people.hana, now=clock.now(), rules=rules)
    edited = edit_type(session, actor=people.ada, now=clock.now(), code="sick", quota=10.0)
    assert edited.quota == 10 and balance(session, people.wei, "sick").remaining == 10
    with pytest.raises(InvalidInput, match="nothing to change"):
        edit_type(session, actor=people.ada, now=clock.now(), code="sick", quota=10.0)
    details = session.exec(select(AuditEntry.details).where(AuditEntry.action == "leave.type.edit")).one()
    assert '"quota": [null, 10.0]' in details


@pytest.mark.skipif(bool(TEST_DATABASE_URL), reason="builds its own SQLite file revision by revision")
def test_a_database_from_0001_gets_leave_and_the_default_types(tmp_path: Path) -> None:
    from sqlmodel import Session

    from opsctl.db import ensure_schema, open_engine, upgrade
    from opsctl.services.people.employees import get_person
    from opsctl.settings import resolve_database

    location = resolve_database(str(tmp_path / "old.db"))
    engine = open_engine(location, create=True)
    upgrade(engine, "0001")
    with engine.begin() as conn:
        for login, role, manager in (("ada", "admin", None), ("mona", "manager", None), ("wei", "member", 2)):
            conn.execute(text("INSERT INTO employee (login, name, role, manager_id, active, created_at) "
                              "VALUES (:l, :l, :r, :m, 1, '2025-01-01 00:00:00')"),
                         {"l": login, "r": role, "m": manager})
    ensure_schema(engine, location)
    with Session(engine) as session:
        codes = [t.code for t in session.exec(select(LeaveType).order_by(col(LeaveType.id)))]
        assert codes == [t.code for t in DEFAULT_TYPES]
        wei, mona = get_person(session, "wei"), get_person(session, "mona")
        now = get_type(session, "annual").created_at
        request = request_leave(session, actor=wei, now=now, today=date(2026, 3, 18), code="annual", reason="r",
                                span=parse_span("2026-03-23", None, parse_day=date.fromisoformat))
        approve_leave(session, actor=mona, now=now, request_id=request.id or 0)
        assert balance(session, wei).remaining == 4
        session.commit()
    engine.dispose()


# -- the calendar changes under booked leave ---------------------------------------------------------

def test_a_holiday_announced_after_approval_gives_the_day_back(
    session: Session, people: People, clock: FixedClock
) -> None:
    from opsctl.services.attendance.calendar import add_calendar_day, remove_calendar_day

    week = take(session, people, clock, "wei", "annual", "2026-04-06", "2026-04-10")  # Mon–Fri
    pending = request_leave(session, actor=people.na, now=clock.now(), today=TODAY, code="annual",
                            span=parse_span("2026-04-08", None, parse_day=date.fromisoformat), reason="r")
    assert (week.days, balance(session, people.wei).remaining) == (5, 0)

    change = add_calendar_day(session, actor=people.hana, now=clock.now(), day=date(2026, 4, 8), kind="holiday",
                              name="Announced late")
    assert [(r.request_id, r.status, r.before, r.after) for r in change.recounted] == [
        (week.id, "approved", 5, 4), (pending.id, "pending", 1, 0)]
    assert (week.days, balance(session, people.wei).used, balance(session, people.wei).remaining) == (4, 4, 1)
    assert balance(session, people.na).pending == 0
    assert change.recounted[1].text().endswith(f"cancel it with `opsctl leave cancel {pending.id}`")
    with pytest.raises(Conflict, match=f"leave #{pending.id} now covers no workday of na"):
        approve_leave(session, actor=people.mona, now=clock.now(), request_id=pending.id or 0)
    assert [(r["kind"], r["days"]) for r in ledger_rows(session, person=people.wei, year=2026)] == [
        ("leave", -5.0), ("recount", 1.0)]
    assert "approved leave #" in change.recounted[0].text() and "now counts 4 days, was 5" in change.recounted[0].text()

    back = remove_calendar_day(session, actor=people.hana, now=clock.now(), day=date(2026, 4, 8))
    assert [(r.before, r.after) for r in back.recounted] == [(4, 5), (0, 1)]
    assert balance(session, people.wei).remaining == 0
    cancel_leave(session, actor=people.wei, now=clock.now(), today=TODAY, request_id=week.id or 0)
    assert balance(session, people.wei).used == 0  # the cancellation undoes the debit and both recounts


def test_a_make_up_workday_inside_approved_leave_costs_a_day_and_others_are_left_alone(
    session: Session, people: People, clock: FixedClock
) -> None:
    from opsctl.services.attendance.calendar import add_calendar_day

    week = take(session, people, clock, "wei", "annual", "2026-04-06", "2026-04-12")  # Mon–Sun: 5 workdays
    elsewhere = take(session, people, clock, "na", "annual", "2026-04-20")
    change = add_calendar_day(session, actor=people.hana, now=clock.now(), day=date(2026, 4, 11), kind="workday",
                              name="Make-up")
    assert [(r.request_id, r.after) for r in change.recounted] == [(week.id, 6)]
    assert balance(session, people.wei).remaining == -1  # more than the balance: HR sees it in the notice
    assert elsewhere.days == 1 and [r["kind"] for r in ledger_rows(session, person=people.na, year=2026)] == ["leave"]


def test_a_new_schedule_recounts_the_persons_leave_from_its_first_day(
    session: Session, people: People, clock: FixedClock
) -> None:
    from datetime import time

    from opsctl.services.attendance.schedules import add_schedule, assign_schedule

    add_schedule(session, actor=people.hana, now=clock.now(), name="Standard", start=time(9), end=time(18))
    add_schedule(session, actor=people.hana, now=clock.now(), name="Weekend", start=time(9), end=time(18),
                 days=frozenset({5, 6}))
    before = take(session, people, clock, "wei", "sick", "2026-03-30")  # Mon, before the change
    week = take(session, people, clock, "wei", "annual", "2026-04-06", "2026-04-12")  # Mon–Sun: 5 workdays
    change = assign_schedule(session, actor=people.hana, now=clock.now(), login="wei", name="Weekend",
                             since=date(2026, 4, 1))
    assert change.row["schedule"] == "Weekend"
    assert [(r.request_id, r.before, r.after) for r in change.recounted] == [(week.id, 5, 2)]  # Sat and Sun
    assert before.days == 1 and balance(session, people.wei).used == 2


def test_a_new_default_schedule_recounts_the_leave_of_people_without_one(
    session: Session, people: People, clock: FixedClock
) -> None:
    from datetime import time

    from opsctl.services.attendance.schedules import add_schedule, assign_schedule, set_default_schedule

    add_schedule(session, actor=people.hana, now=clock.now(), name="Standard", start=time(9), end=time(18))
    add_schedule(session, actor=people.hana, now=clock.now(), name="Six days", start=time(9), end=time(17),
                 days=frozenset(range(6)))
    add_schedule(session, actor=people.hana, now=clock.now(), name="Late", start=time(11), end=time(20))
    assign_schedule(session, actor=people.hana, now=clock.now(), login="na", name="Standard",
                    since=date(2026, 1, 1))
    week = take(session, people, clock, "wei", "annual", "2026-04-06", "2026-04-10")  # Mon–Fri
    kept = take(session, people, clock, "na", "annual", "2026-04-06", "2026-04-10")
    assert set_default_schedule(session, actor=people.hana, now=clock.now(), name="Late").recounted == []
    change = set_default_schedule(session, actor=people.hana, now=clock.now(), name="Six days")
    assert change.recounted == [] and week.days == 5  # Mon–Fri: five days either way
    long_week = take(session, people, clock, "sam", "sick", "2026-04-13", "2026-04-19")  # Mon–Sun: 6 days now
    assert long_week.days == 6
    assign_schedule(session, actor=people.hana, now=clock.now(), login="sam", name="Late",
                    since=date(2026, 5, 1))  # later than the leave: April still follows the default
    back = set_default_schedule(session, actor=people.hana, now=clock.now(), name="Standard")
    assert [(r.request_id, r.before, r.after) for r in back.recounted] == [(long_week.id, 6, 5)]
    assert kept.days == 5 and balance(session, people.na).used == 5  # na has a schedule of her own
