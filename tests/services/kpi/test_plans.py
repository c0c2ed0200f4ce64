"""Improvement plans: set after a final result by the person's manager chain or HR, items tracked
as tasks, closed with an outcome; a weak grade with no plan is marked, a run of them flagged to HR."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlmodel import Session, select

from opsctl.clock import FixedClock
from opsctl.errors import Conflict, InvalidInput, NotAllowed
from opsctl.models.people import AuditEntry
from opsctl.services.kpi import add_plan, add_plan_item, close_plan, list_plans, plan_marks, show_plan
from tests.conftest import People, pk
from tests.followup import TODAY, closed_month, month

DUE = date(2026, 5, 31)


def report(label: str = "2026-02", **grades: str) -> dict[str, Any]:
    """What `kpi month|quarter|year` hands `plan_marks`: the period and a row per person."""
    return {"period": month(label), "rows": [{"login": login, "grade": grade, "based_on": [label]}
                                             for login, grade in grades.items()]}


def test_a_plan_s_items_are_tasks_of_the_person(session: Session, people: People, clock: FixedClock) -> None:
    closed_month(session, people, clock)
    plan = add_plan(session, actor=people.mona, now=clock.now(), today=TODAY, person=people.na, period=month(),
                    goal="Deliver on time", due=DUE, items=["Weekly plan with leo"])
    add_plan_item(session, actor=people.hana, now=clock.now(), today=TODAY, plan_id=pk(plan), text="Course",
                  owner="leo", due=date(2026, 4, 30))
    shown = show_plan(session, viewer=people.na, today=TODAY, plan_id=pk(plan))
    assert (shown["grade"], shown["status"], shown["items"], shown["flagged"]) == ("D", "open", 2, False)
    assert [(t["title"], t["login"], t["due"], t["status"]) for t in shown["tasks"]] == [
        (f"Plan #{plan.id}: Weekly plan with leo", "na", DUE, "todo"),
        (f"Plan #{plan.id}: Course", "leo", date(2026, 4, 30), "todo")]
    actions = session.exec(select(AuditEntry.action).where(AuditEntry.entity == "kpi_plan")).all()
    assert actions == ["kpi.plan.add", "kpi.plan.item", "kpi.plan.item"]


def test_bad_plans_are_refused(session: Session, people: People, clock: FixedClock) -> None:
    with pytest.raises(InvalidInput, match="no final KPI result"):
        add_plan(session, actor=people.mona, now=clock.now(), today=TODAY, person=people.na, period=month(),
                 goal="g", due=DUE)
    closed_month(session, people, clock)
    with pytest.raises(NotAllowed, match="nobody records their own"):
        add_plan(session, actor=people.na, now=clock.now(), today=TODAY, person=people.na, period=month(),
                 goal="g", due=DUE)
    with pytest.raises(InvalidInput, match="before today"):
        add_plan(session, actor=people.mona, now=clock.now(), today=TODAY, person=people.na, period=month(),
                 goal="g", due=date(2026, 3, 1))
    add_plan(session, actor=people.mona, now=clock.now(), today=TODAY, person=people.na, period=month(),
             goal="g", due=DUE)
    with pytest.raises(Conflict, match="already has a plan"):
        add_plan(session, actor=people.hana, now=clock.now(), today=TODAY, person=people.na, period=month(),
                 goal="g", due=DUE)


def test_close_extend_and_not_twice(session: Session, people: People, clock: FixedClock) -> None:
    closed_month(session, people, clock)
    plan = add_plan(session, actor=people.mona, now=clock.now(), today=TODAY, person=people.na, period=month(),
                    goal="g", due=DUE)
    with pytest.raises(InvalidInput, match="needs --until"):
        close_plan(session, actor=people.mona, now=clock.now(), today=TODAY, plan_id=pk(plan), outcome="extended")
    with pytest.raises(InvalidInput, match="one of met, extended, not-met"):
        close_plan(session, actor=people.mona, now=clock.now(), today=TODAY, plan_id=pk(plan), outcome="maybe")
    close_plan(session, actor=people.mona, now=clock.now(), today=TODAY, plan_id=pk(plan), outcome="extended",
               until=date(2026, 6, 30))
    assert (plan.status, plan.due, plan.extensions) == ("open", date(2026, 6, 30), 1)
    close_plan(session, actor=people.hana, now=clock.now(), today=TODAY, plan_id=pk(plan), outcome="not-met",
               note="No change")
    assert (plan.status, plan.outcome) == ("closed", "not_met")
    with pytest.raises(Conflict, match="was closed"):
        close_plan(session, actor=people.mona, now=clock.now(), today=TODAY, plan_id=pk(plan), outcome="met")
    with pytest.raises(Conflict, match="closed"):
        add_plan_item(session, actor=people.mona, now=clock.now(), today=TODAY, plan_id=pk(plan), text="late")


def test_weak_grades_without_a_plan_are_marked_and_a_run_is_flagged(session: Session, people: People,
                                                                    clock: FixedClock) -> None:
    closed_month(session, people, clock, "2026-01", scores={"na": 62, "sam": 85, "wei": 92})
    closed_month(session, people, clock)  # 2026-02: na D again, sam E once
    data = plan_marks(session, report(wei="A", na="D", sam="E"), today=TODAY)
    marks = {row["login"]: (row["grade"], row["plan"], row["flagged"]) for row in data["rows"]}
    assert marks["na"] == ("D", "missing", True)  # two D in a row (kpi.plan_flag_after = 2)
    assert marks["sam"] == ("E", "missing", False)
    assert marks["wei"] == ("A", None, None) and data["plans_missing"] == 2
    plan = add_plan(session, actor=people.mona, now=clock.now(), today=TODAY, person=people.na, period=month(),
                    goal="g", due=DUE)
    assert plan.flagged
    assert [r["login"] for r in list_plans(session, viewer=people.hana, today=TODAY, flagged=True)] == ["na"]
    again = plan_marks(session, report(na="D"), today=TODAY)
    assert {r["login"]: r["plan"] for r in again["rows"]}["na"] == f"#{plan.id} open"


def test_an_open_cycle_marks_nobody(session: Session, people: People, clock: FixedClock) -> None:
    closed_month(session, people, clock, close=False)
    data = plan_marks(session, report(na="D", sam="E"), today=TODAY)
    assert all(row["plan"] is None for row in data["rows"]) and data["plans_missing"] == 0


def test_who_sees_plans(session: Session, people: People, clock: FixedClock) -> None:
    closed_month(session, people, clock)
    plan = add_plan(session, actor=people.mona, now=clock.now(), today=TODAY, person=people.na, period=month(),
                    goal="g", due=DUE)
    assert [r["login"] for r in list_plans(session, viewer=people.na, today=TODAY)] == ["na"]
    assert list_plans(session, viewer=people.wei, today=TODAY) == []
    assert list_plans(session, viewer=people.leo, today=TODAY) == []
    with pytest.raises(NotAllowed):
        show_plan(session, viewer=people.wei, today=TODAY, plan_id=pk(plan))
    assert [r["status"] for r in list_plans(session, viewer=people.mona, today=date(2026, 6, 1))] == ["overdue"]
