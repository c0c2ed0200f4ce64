"""The leave section of `opsctl today`: its light balances agree with the ledger's, and its light
queries open the way to the request lists exactly when they have something."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from opsctl.clock import FixedClock
from opsctl.services.leave.approvals import approve_leave
from opsctl.services.leave.days import parse_span
from opsctl.services.leave.ledger import allocate, balances
from opsctl.services.leave.requests import request_leave
from opsctl.services.leave.today import today_facts, year_balances
from opsctl.services.leave.types import TypeRules, add_type
from tests.conftest import People

TODAY = date(2026, 3, 18)


def ask(session: Session, people: People, clock: FixedClock, login: str, code: str, start: str, end: str) -> int:
    request = request_leave(session, actor=people.by_login[login], now=clock.now(), today=TODAY, code=code,
                            span=parse_span(start, end, parse_day=date.fromisoformat), reason="r")
    return request.id or 0


def test_light_balances_are_the_ledgers(session: Session, people: People, clock: FixedClock) -> None:
    add_type(session, actor=people.hana, now=clock.now(), rules=TypeRules("study", "Study", quota=3, carry_over=2))
    allocate(session, actor=people.hana, now=clock.now(), person=people.wei, code="annual", days=2.5, year=2026)
    allocate(session, actor=people.hana, now=clock.now(), person=people.wei, code="study", days=1, year=2025)
    taken = ask(session, people, clock, "wei", "annual", "2026-03-23", "2026-03-24")
    approve_leave(session, actor=people.mona, now=clock.now(), request_id=taken)
    ask(session, people, clock, "wei", "study", "2026-03-25", "2026-03-25")  # pending
    ask(session, people, clock, "wei", "sick", "2026-03-26", "2026-03-26")  # no quota: no balance kept
    for year in (2025, 2026, 2027):
        for person in (people.wei, people.na, people.hana):
            assert year_balances(session, person=person, year=year) == balances(session, person=person, year=year)


def test_a_pending_request_across_new_year_counts_this_years_part(
    session: Session, people: People, clock: FixedClock
) -> None:
    ask(session, people, clock, "wei", "annual", "2026-12-30", "2027-01-05")
    for year in (2026, 2027):
        light = year_balances(session, person=people.wei, year=year)
        assert light == balances(session, person=people.wei, year=year)
    assert next(b for b in year_balances(session, person=people.wei, year=2026) if b.code == "annual").pending == 2


def test_requests_are_listed_for_whom_they_wait(session: Session, people: People, clock: FixedClock) -> None:
    assert today_facts(session, person=people.wei, today=TODAY, now=clock.now()).mine == []
    waiting = ask(session, people, clock, "wei", "annual", "2026-03-23", "2026-03-23")
    wei = today_facts(session, person=people.wei, today=TODAY, now=clock.now())
    assert [r["id"] for r in wei.mine] == [waiting] and wei.to_decide == []
    assert [r["id"] for r in today_facts(session, person=people.mona, today=TODAY, now=clock.now()).to_decide] == [
        waiting]
    for other in (people.leo, people.na):  # a lead approves nothing, nor does a member
        assert today_facts(session, person=other, today=TODAY, now=clock.now()).to_decide == []
