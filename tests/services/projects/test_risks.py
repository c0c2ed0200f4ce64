"""Risks: scores 1–5, level = likelihood × impact, sorted, reviews that come due, who may change them."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session

from opsctl.clock import FixedClock
from opsctl.errors import Conflict, InvalidInput, NotAllowed
from opsctl.models.projects import Project
from opsctl.services.audit import list_entries
from opsctl.services.projects import risks
from tests.conftest import People, pk

TODAY = date(2026, 3, 18)


@pytest.mark.parametrize(("likelihood", "impact", "option"), [(0, 3, "--likelihood"), (3, 6, "--impact")])
def test_a_score_outside_1_to_5_is_refused_and_nothing_is_stored(
    session: Session, people: People, clock: FixedClock, active_web: Project, likelihood: int, impact: int,
    option: str,
) -> None:
    with pytest.raises(InvalidInput, match=f"{option} must be from 1 \\(lowest\\) to 5"):
        risks.add_risk(session, actor=people.na, now=clock.now(), today=TODAY, code="WEB", text="Vendor late",
                       likelihood=likelihood, impact=impact, owner="wei")
    assert risks.list_risks(session, viewer=people.wei, today=TODAY, code="WEB") == []


def test_risks_are_sorted_by_level_and_overdue_reviews_show(
    session: Session, people: People, clock: FixedClock, active_web: Project
) -> None:
    low = risks.add_risk(session, actor=people.na, now=clock.now(), today=TODAY, code="WEB", text="Rain",
                         likelihood=2, impact=2, owner="na", review_on=TODAY)
    high = risks.add_risk(session, actor=people.wei, now=clock.now(), today=TODAY, code="WEB", text="Vendor late",
                          likelihood=4, impact=4, owner="wei", trigger="no delivery date", response="second vendor")
    assert high.review_on == date(2026, 4, 1)  # two weeks on by default
    with pytest.raises(InvalidInput, match="in the past"):
        risks.add_risk(session, actor=people.wei, now=clock.now(), today=TODAY, code="WEB", text="Old",
                       likelihood=1, impact=1, owner="wei", review_on=date(2026, 3, 1))
    rows = risks.list_risks(session, viewer=people.sam, today=date(2026, 3, 19), code="WEB")
    assert [(r["id"], r["level"], r["band"], r["review_overdue"]) for r in rows] == [
        (high.id, 16, "high", False), (low.id, 4, "low", True)]
    assert [r["id"] for r in risks.high_risks(session, active_web, today=TODAY)] == [high.id]
    assert [r["id"] for r in risks.risks_to_watch(session, person=people.na, today=date(2026, 3, 19))] == [low.id]


def test_updating_is_a_review_and_closing_ends_it(
    session: Session, people: People, clock: FixedClock, active_web: Project
) -> None:
    risk = risks.add_risk(session, actor=people.na, now=clock.now(), today=TODAY, code="WEB", text="Vendor late",
                          likelihood=3, impact=4, owner="na", review_on=TODAY)
    with pytest.raises(NotAllowed, match="may not update risk"):
        risks.update_risk(session, actor=people.sam, now=clock.now(), today=TODAY, risk_id=pk(risk), impact=5)
    with pytest.raises(InvalidInput, match="--impact must be from 1"):
        risks.update_risk(session, actor=people.wei, now=clock.now(), today=TODAY, risk_id=pk(risk), impact=9)
    updated = risks.update_risk(session, actor=people.wei, now=clock.now(), today=TODAY, risk_id=pk(risk),
                                likelihood=4, impact=5)
    assert (updated.likelihood, updated.impact, updated.review_on) == (4, 5, date(2026, 4, 1))
    entries = list_entries(session, viewer=people.ada, action="project.risk.update")
    assert [e["login"] for e in entries] == ["na"]  # somebody else's risk: audited
    closed = risks.close_risk(session, actor=people.wei, now=clock.now(), risk_id=pk(risk), note="second vendor")
    assert closed.status == "closed"
    assert [e["action"] for e in list_entries(session, viewer=people.ada, action="project.risk")] == [
        "project.risk.close", "project.risk.update"]
    assert risks.list_risks(session, viewer=people.na, today=TODAY, code="WEB") == []
    assert [r["status"] for r in risks.list_risks(session, viewer=people.na, today=TODAY, include_closed=True)] \
        == ["closed"]
    with pytest.raises(Conflict, match="is closed"):
        risks.close_risk(session, actor=people.na, now=clock.now(), risk_id=pk(risk))


def test_only_people_on_the_project_add_risks(
    session: Session, people: People, clock: FixedClock, active_web: Project
) -> None:
    with pytest.raises(NotAllowed, match="sam may not add risks to project WEB"):
        risks.add_risk(session, actor=people.sam, now=clock.now(), today=TODAY, code="WEB", text="X",
                       likelihood=1, impact=1, owner="sam")
