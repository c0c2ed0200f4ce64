"""Rewards and penalties: who may add and approve, two levels above the amount setting,
exact money, totals of approved entries only, and every change audited."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlmodel import Session, select

from opsctl.clock import FixedClock
from opsctl.errors import Conflict, InvalidInput, NotAllowed
from opsctl.models.people import AuditEntry, Employee
from opsctl.services.merits import (
    add_merit,
    approve_merit,
    list_merits,
    merit_totals,
    parse_amount,
    parse_points,
    person_merits,
    revoke_merit,
)
from tests.conftest import People, pk


def _add(session: Session, people: People, clock: FixedClock, *, actor: str = "hana", login: str = "wei",
         kind: str = "reward", points: str = "5", amount: str | None = None) -> int:
    made = add_merit(session, actor=people.by_login[actor], now=clock.now(), person=people.by_login[login],
                     kind=kind, category="bonus", points=points, amount=amount, reason="Saved the release")
    return pk(made)


@pytest.mark.parametrize(("text", "problem"), [("five", "not a whole number"), ("2.5", "not a whole number"),
                                               ("-3", "negative"), ("5000", "more than 1000")])
def test_points_are_whole_and_not_negative(text: str, problem: str) -> None:
    with pytest.raises(InvalidInput, match=problem):
        parse_points(text, kind="reward")


@pytest.mark.parametrize(("text", "problem"), [("lots", "not an amount"), ("NaN", "not an amount"),
                                               ("-10", "negative"), ("10.555", "two decimals")])
def test_amounts_are_exact_money_and_not_negative(text: str, problem: str) -> None:
    with pytest.raises(InvalidInput, match=problem):
        parse_amount(text, kind="reward")


def test_amounts_keep_their_cents_exactly() -> None:
    assert parse_amount("0.10", kind="reward") == Decimal("0.10")
    assert parse_amount("1,200.5", kind="penalty") == Decimal("1200.50")
    assert parse_amount(None, kind="reward") is None


def test_one_level_approval_counts_the_entry(session: Session, people: People, clock: FixedClock) -> None:
    first = _add(session, people, clock, amount="0.10")
    second = _add(session, people, clock, amount="0.20")
    penalty = _add(session, people, clock, kind="penalty", points="2", amount="0.05")
    assert merit_totals(session, [pk(people.wei)]) == {}  # nothing approved yet
    for merit_id in (first, second, penalty):
        approve_merit(session, actor=people.mona, now=clock.now(), merit_id=merit_id)
    total = merit_totals(session, [pk(people.wei)])[pk(people.wei)]
    assert total == {"points": 8, "amount": Decimal("0.25"), "entries": 3}  # 0.10 + 0.20 − 0.05, exactly
    revoke_merit(session, actor=people.hana, now=clock.now(), merit_id=second, reason="Counted twice")
    assert merit_totals(session, [pk(people.wei)])[pk(people.wei)]["amount"] == Decimal("0.05")
    actions = session.exec(select(AuditEntry.action).where(AuditEntry.entity == "merit")).all()
    assert actions.count("merit.add") == 3 and actions.count("merit.approve") == 3 and "merit.revoke" in actions


def test_nobody_adds_or_approves_their_own(session: Session, people: People, clock: FixedClock) -> None:
    with pytest.raises(NotAllowed, match="nobody may add their own"):
        _add(session, people, clock, actor="wei", login="wei")
    with pytest.raises(NotAllowed, match="na may not add wei's"):
        _add(session, people, clock, actor="na", login="wei")
    merit_id = _add(session, people, clock, actor="ada", login="hana")
    with pytest.raises(NotAllowed, match="nobody may approve their own"):
        approve_merit(session, actor=people.hana, now=clock.now(), merit_id=merit_id)
    proposed = _add(session, people, clock, actor="hana")
    with pytest.raises(NotAllowed, match="proposed by hana"):
        approve_merit(session, actor=people.hana, now=clock.now(), merit_id=proposed)
    approve_merit(session, actor=people.mona, now=clock.now(), merit_id=proposed)
    with pytest.raises(Conflict, match="already approved"):
        approve_merit(session, actor=people.ada, now=clock.now(), merit_id=proposed)


def test_a_large_amount_needs_a_second_level(session: Session, people: People, clock: FixedClock) -> None:
    merit_id = _add(session, people, clock, amount="1000.01")  # merit.two_level_amount is 1000.00
    approve_merit(session, actor=people.mona, now=clock.now(), merit_id=merit_id)
    row = list_merits(session, viewer=people.hana)[0]
    assert (row["status"], row["waiting_for"], row["levels"]) == ("pending", "second approval", 2)
    with pytest.raises(NotAllowed, match="approved #"):
        approve_merit(session, actor=people.mona, now=clock.now(), merit_id=merit_id)
    approve_merit(session, actor=people.ada, now=clock.now(), merit_id=merit_id)
    row = list_merits(session, viewer=people.hana)[0]
    assert (row["status"], row["approved_by"], row["second_approved_by"], row["amount"]) == (
        "approved", "mona", "ada", Decimal("1000.01"))
    at_limit = _add(session, people, clock, amount="1000.00")
    approve_merit(session, actor=people.mona, now=clock.now(), merit_id=at_limit)
    assert list_merits(session, viewer=people.hana)[0]["status"] == "approved"


def test_no_merit_for_somebody_who_left(session: Session, people: People, clock: FixedClock) -> None:
    from opsctl.services.people import deactivate_person

    deactivate_person(session, actor=people.ada, now=clock.now(), login="sam", left=clock.now().date())
    gone = session.exec(select(Employee).where(Employee.login == "sam")).one()
    with pytest.raises(InvalidInput, match="sam left on"):
        add_merit(session, actor=people.hana, now=clock.now(), person=gone, kind="reward", category="bonus",
                  points="1", reason="r")


def test_who_sees_entries(session: Session, people: People, clock: FixedClock) -> None:
    _add(session, people, clock)
    assert [r["login"] for r in list_merits(session, viewer=people.wei)] == ["wei"]
    assert list_merits(session, viewer=people.na) == []
    assert list_merits(session, viewer=people.leo) == []  # the team lead is not in wei's manager chain
    assert person_merits(session, viewer=people.na, person=people.wei)["entries"] == []
    assert person_merits(session, viewer=people.mona, person=people.wei)["points"] == 0  # pending: not counted
