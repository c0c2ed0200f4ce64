"""Appraisal talks: recorded after a final result by the person's manager chain or HR, confirmed
or disagreed with by the person alone, and listed for whoever may see them."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session, col, select

from opsctl.clock import FixedClock
from opsctl.errors import Conflict, InvalidInput, NotAllowed
from opsctl.models.people import AuditEntry
from opsctl.services.kpi import confirm_talk, list_talks, missing_talks, record_talk, show_talk
from tests.conftest import People
from tests.followup import TODAY, closed_month, month


def _talk(session: Session, people: People, clock: FixedClock, login: str = "na", actor: str = "mona") -> None:
    record_talk(session, actor=people.by_login[actor], now=clock.now(), today=TODAY, person=people.by_login[login],
                period=month(), strengths="Careful work", gaps="Late deliveries", goals="Deliver on time",
                participants=["hana", "na"], own_comment="Fair")


def test_a_talk_is_recorded_after_the_closed_result_and_audited(session: Session, people: People,
                                                                  clock: FixedClock) -> None:
    closed_month(session, people, clock)
    _talk(session, people, clock)
    row = show_talk(session, viewer=people.na, person=people.na, period=month())
    assert (row["reviewer"], row["participants"], row["status"], row["held_on"]) == ("mona", ["hana"], "unconfirmed",
                                                                                     TODAY)
    entry = session.exec(select(AuditEntry).where(AuditEntry.action == "kpi.talk.add")).one()
    assert entry.subject_id == people.na.id and entry.actor_id == people.mona.id


def test_no_talk_before_the_results_exist(session: Session, people: People, clock: FixedClock) -> None:
    with pytest.raises(InvalidInput, match="no final KPI result for 2026-02"):
        _talk(session, people, clock)  # no cycle at all
    closed_month(session, people, clock, close=False)
    with pytest.raises(InvalidInput, match="once its cycle is closed"):
        _talk(session, people, clock)  # scored, but open


def test_nobody_records_their_own_talk_or_a_stranger_s(session: Session, people: People, clock: FixedClock) -> None:
    closed_month(session, people, clock)
    with pytest.raises(NotAllowed, match="nobody records their own"):
        _talk(session, people, clock, login="na", actor="na")
    with pytest.raises(NotAllowed, match="wei may not record na's"):
        _talk(session, people, clock, login="na", actor="wei")
    with pytest.raises(NotAllowed):
        _talk(session, people, clock, login="na", actor="leo")  # the team lead is no manager of na


def test_a_second_talk_about_the_same_result_is_a_conflict(session: Session, people: People,
                                                           clock: FixedClock) -> None:
    closed_month(session, people, clock)
    _talk(session, people, clock)
    with pytest.raises(Conflict, match="already recorded"):
        _talk(session, people, clock, actor="hana")


def test_held_on_is_after_the_period_and_not_in_the_future(session: Session, people: People,
                                                           clock: FixedClock) -> None:
    closed_month(session, people, clock)
    for held, problem in ((date(2026, 2, 27), "held after it ends"), (date(2026, 3, 19), "after today")):
        with pytest.raises(InvalidInput, match=problem):
            record_talk(session, actor=people.mona, now=clock.now(), today=TODAY, person=people.na, period=month(),
                        strengths="s", gaps="g", goals="g", held_on=held)
    with pytest.raises(InvalidInput, match="--gaps is empty"):
        record_talk(session, actor=people.mona, now=clock.now(), today=TODAY, person=people.na, period=month(),
                    strengths="s", gaps="  ", goals="g")


def test_only_the_person_confirms_and_a_disagreement_is_kept_for_hr(session: Session, people: People,
                                                                    clock: FixedClock) -> None:
    closed_month(session, people, clock)
    _talk(session, people, clock)
    with pytest.raises(NotAllowed, match="only na confirms"):
        confirm_talk(session, actor=people.mona, now=clock.now(), person=people.na, period=month())
    confirm_talk(session, actor=people.na, now=clock.now(), person=people.na, period=month(),
                 disagree="The late deliveries were the supplier's")
    with pytest.raises(Conflict, match="already disagreed"):
        confirm_talk(session, actor=people.na, now=clock.now(), person=people.na, period=month())
    disagreed = list_talks(session, viewer=people.hana, status="disagreed")
    assert [(r["login"], r["disagreement"]) for r in disagreed] == [("na", "The late deliveries were the supplier's")]
    assert session.exec(select(AuditEntry.action).where(col(AuditEntry.action).startswith("kpi.talk."))).all() == [
        "kpi.talk.add", "kpi.talk.disagree"]


def test_who_sees_talks_and_whose_are_missing(session: Session, people: People, clock: FixedClock) -> None:
    closed_month(session, people, clock)
    _talk(session, people, clock)
    assert [r["login"] for r in list_talks(session, viewer=people.wei)] == []  # not a colleague's
    assert [r["login"] for r in list_talks(session, viewer=people.na)] == ["na"]
    assert [r["login"] for r in list_talks(session, viewer=people.leo)] == []  # a lead is not the manager
    with pytest.raises(NotAllowed):
        show_talk(session, viewer=people.wei, person=people.na, period=month())
    missing = missing_talks(session, viewer=people.mona, period=month(), today=TODAY)
    assert [(r["login"], r["grade"]) for r in missing] == [("sam", "E"), ("wei", "A")]  # leo: incomplete
    assert [r["login"] for r in missing_talks(session, viewer=people.wei, period=month(), today=TODAY)] == ["wei"]
