"""Costs: exact amounts, claims approved by the owner or the manager (never one's own), the budget
figures and the warning, and no claims on an archived project."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlmodel import Session

from opsctl.clock import FixedClock
from opsctl.errors import Conflict, InvalidInput, NotAllowed
from opsctl.models.project_plans import Cost
from opsctl.models.projects import Project
from opsctl.services.audit import list_entries
from opsctl.services.config import set_setting
from opsctl.services.projects import closing, costs
from opsctl.services.projects import lifecycle as pj
from tests.conftest import People, pk

TODAY = date(2026, 3, 18)


def _claim(session: Session, people: People, clock: FixedClock, amount: str, *, by: str = "na") -> Cost:
    return costs.add_cost(session, actor=people.by_login[by], now=clock.now(), today=TODAY, code="WEB",
                          amount=costs.parse_amount(amount), category="Travel", note="train to the client")


@pytest.mark.parametrize(("text", "problem"), [
    ("12.345", "more than two decimals"), ("-5", "more than 0"), ("0", "more than 0"), ("abc", "not an amount"),
    ("nan", "more than 0"), ("1e13", "more than opsctl keeps"),
])
def test_an_amount_is_positive_and_exact_to_the_cent(text: str, problem: str) -> None:
    with pytest.raises(InvalidInput, match=problem):
        costs.parse_amount(text)


def test_amounts_add_up_exactly(session: Session, people: People, clock: FixedClock, active_web: Project) -> None:
    for amount in ("0.10", "0.20", "1,000.05"):
        claim = _claim(session, people, clock, amount)
        costs.decide_cost(session, actor=people.wei, now=clock.now(), cost_id=pk(claim), approve=True)
    figures = costs.budget_figures(session, active_web)
    assert figures["approved"] == Decimal("1000.35") and figures["remaining"] == Decimal("3999.65")
    assert figures["pending"] == Decimal("0.00") and figures["warning"] is None


def test_nobody_approves_their_own_claim(session: Session, people: People, clock: FixedClock,
                                         active_web: Project) -> None:
    own = _claim(session, people, clock, "300", by="wei")  # the owner's own claim goes to the manager side
    with pytest.raises(NotAllowed, match="nobody approves their own claim"):
        costs.decide_cost(session, actor=people.wei, now=clock.now(), cost_id=pk(own), approve=True)
    member = _claim(session, people, clock, "20")
    with pytest.raises(NotAllowed, match="sam may not decide on cost"):
        costs.decide_cost(session, actor=people.sam, now=clock.now(), cost_id=pk(member), approve=True)
    assert (own.status, member.status) == ("pending", "pending")
    costs.decide_cost(session, actor=people.mona, now=clock.now(), cost_id=pk(own), approve=True, reason="ok")
    with pytest.raises(InvalidInput, match="say why"):
        costs.decide_cost(session, actor=people.wei, now=clock.now(), cost_id=pk(member), approve=False)
    rejected = costs.decide_cost(session, actor=people.wei, now=clock.now(), cost_id=pk(member), approve=False,
                                 reason="not for this project")
    assert rejected.status == "rejected"
    with pytest.raises(Conflict, match="is rejected already"):
        costs.decide_cost(session, actor=people.wei, now=clock.now(), cost_id=pk(member), approve=True)
    actions = [e["action"] for e in list_entries(session, viewer=people.ada, action="project.cost")]
    assert actions == ["project.cost.reject", "project.cost.approve"]
    listed = costs.list_costs(session, viewer=people.sam, code="WEB", status="approved")["costs"]
    assert [(c["amount"], c["category"], c["login"], c["decided_by"]) for c in listed] == [
        (Decimal("300.00"), "travel", "wei", "mona")]


def test_the_budget_warns_above_the_setting(session: Session, people: People, clock: FixedClock,
                                            active_web: Project) -> None:
    claim = _claim(session, people, clock, "4400")
    _claim(session, people, clock, "900")
    costs.decide_cost(session, actor=people.wei, now=clock.now(), cost_id=pk(claim), approve=True)
    figures = costs.budget_figures(session, active_web)
    assert (figures["used_pct"], figures["pending"]) == (88.0, Decimal("900.00")) and figures["warning"] is None
    set_setting(session, actor=people.ada, key="projects.budget_warning", value="85")
    assert costs.budget_figures(session, active_web)["warning"] == "88 % of the budget is spent (warning from 85 %)"


def test_no_claims_on_an_archived_project_or_from_outside(session: Session, people: People, clock: FixedClock,
                                                          active_web: Project) -> None:
    with pytest.raises(NotAllowed, match="sam may not file costs for project WEB"):
        _claim(session, people, clock, "10", by="sam")
    with pytest.raises(InvalidInput, match="in the future"):
        costs.add_cost(session, actor=people.na, now=clock.now(), today=TODAY, code="WEB", amount=Decimal(1),
                       spent_on=date(2026, 3, 19))
    pj.submit_project(session, actor=people.wei, now=clock.now(), code="WEB", summary="done")
    pj.review_project(session, actor=people.mona, now=clock.now(), code="WEB", passed=True, report="ok")
    closing.archive_project(session, actor=people.wei, now=clock.now(), code="WEB", force=True)
    with pytest.raises(Conflict, match="WEB is archived and read-only; its costs cannot change"):
        _claim(session, people, clock, "10")
