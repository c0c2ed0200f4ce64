"""`project show` against the plan (milestones and slip, high risks, budget), and what `today`
tells a person about the milestones and risks they own."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlmodel import Session

from opsctl.clock import FixedClock
from opsctl.models.projects import Project
from opsctl.services.projects import costs, plans, risks, tracking
from opsctl.services.projects.overview import project_details
from tests.conftest import People, pk

TODAY = date(2026, 3, 18)


def test_project_show_tells_the_plan_milestones_risks_and_budget(
    session: Session, people: People, clock: FixedClock, active_web: Project
) -> None:
    design = plans.add_milestone(session, actor=people.wei, now=clock.now(), code="WEB", title="Design",
                                 due=date(2026, 4, 1))
    plans.write_plan(session, actor=people.wei, now=clock.now(), code="WEB", content="Build it")
    plans.approve_plan(session, actor=people.mona, now=clock.now(), code="WEB")
    plans.move_milestone(session, actor=people.wei, now=clock.now(), code="WEB", milestone_id=pk(design),
                         due=date(2026, 4, 8), reason="late sign-off")
    risks.add_risk(session, actor=people.na, now=clock.now(), today=TODAY, code="WEB", text="Vendor late",
                   likelihood=5, impact=3, owner="na")
    risks.add_risk(session, actor=people.na, now=clock.now(), today=TODAY, code="WEB", text="Rain",
                   likelihood=1, impact=3, owner="na")
    claim = costs.add_cost(session, actor=people.na, now=clock.now(), today=TODAY, code="WEB", amount=Decimal(4600))
    costs.decide_cost(session, actor=people.wei, now=clock.now(), cost_id=pk(claim), approve=True)
    costs.add_cost(session, actor=people.na, now=clock.now(), today=TODAY, code="WEB", amount=Decimal("99.99"))

    data = project_details(session, "WEB", viewer=people.sam, today=TODAY)
    assert (data["plan_version"], data["plan_status"], data["milestones_slipped"]) == (1, "approved", 1)
    assert [(m["title"], m["baseline_due"], m["slip_days"]) for m in data["milestones"]] == [
        ("Design", date(2026, 4, 1), 7)]
    assert [r["text"] for r in data["high_risks"]] == ["Vendor late"]
    assert (data["cost_approved"], data["cost_pending"], data["budget_remaining"], data["budget_used_pct"]) == (
        Decimal("4600.00"), Decimal("99.99"), Decimal("400.00"), 92.0)
    assert data["budget_warning"] == "92 % of the budget is spent (warning from 90 %)"


def test_today_shows_the_risks_and_late_milestones_a_person_owns(
    session: Session, people: People, clock: FixedClock, active_web: Project
) -> None:
    assert tracking.today_facts(session, person=people.na, today=TODAY, now=clock.now()) is None
    plans.add_milestone(session, actor=people.wei, now=clock.now(), code="WEB", title="Design",
                        due=date(2026, 3, 10), owner="na")
    plans.add_milestone(session, actor=people.wei, now=clock.now(), code="WEB", title="Later", due=date(2026, 5, 1),
                        owner="na")
    risks.add_risk(session, actor=people.na, now=clock.now(), today=TODAY, code="WEB", text="Vendor late",
                   likelihood=4, impact=4, owner="na")
    risks.add_risk(session, actor=people.na, now=clock.now(), today=TODAY, code="WEB", text="Rain", likelihood=1,
                   impact=1, owner="na")
    facts = tracking.today_facts(session, person=people.na, today=TODAY, now=clock.now())
    assert facts is not None
    assert [(m["title"], m["days_late"]) for m in facts["milestones"]] == [("Design", 8)]
    assert [r["text"] for r in facts["risks"]] == ["Vendor late"]
    assert tracking.today_facts(session, person=people.wei, today=TODAY, now=clock.now()) is None


def test_the_today_section_asks_first_and_agrees_with_the_full_one(
    session: Session, people: People, clock: FixedClock, active_web: Project
) -> None:
    from opsctl.services.projects import today as light

    assert light.HIGH_LEVEL == risks.HIGH_LEVEL
    assert light.today_facts(session, person=people.na, today=TODAY, now=clock.now()) is None
    risks.add_risk(session, actor=people.na, now=clock.now(), today=TODAY, code="WEB", text="Rain", likelihood=1,
                   impact=1, owner="na", review_on=TODAY)
    assert light.today_facts(session, person=people.na, today=TODAY, now=clock.now()) is None  # due, not overdue
    later = date(2026, 3, 19)
    assert light.today_facts(session, person=people.na, today=later, now=clock.now()) == \
        tracking.today_facts(session, person=people.na, today=later, now=clock.now())
    plans.add_milestone(session, actor=people.wei, now=clock.now(), code="WEB", title="Design",
                        due=date(2026, 3, 10), owner="wei")
    facts = light.today_facts(session, person=people.wei, today=TODAY, now=clock.now())
    assert facts is not None and [m["title"] for m in facts["milestones"]] == ["Design"]
