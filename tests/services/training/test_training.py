"""Training rules, tested on the services: pass mark, attempts and retakes, hours,
the year's report, certificates, who may do what, and the `today` section."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session

from opsctl.clock import FixedClock
from opsctl.errors import Conflict, InvalidInput, NotAllowed, NotFound
from opsctl.models.people import Employee
from opsctl.models.training import TrainingPlan, TrainingResult, TrainingSession
from opsctl.services.config import set_setting
from opsctl.services.training import plan as tr
from opsctl.services.training import roster as ro
from opsctl.services.training.certs import add_certificate, expiring_certificates, list_certificates
from opsctl.services.training.report import person_training, year_report
from tests.conftest import People, pk

TODAY = date(2026, 3, 18)  # the conftest clock


@dataclass(frozen=True)
class World:
    """The ``world`` fixture: two plans of 2026 (drill, course), the drill's session held on
    2026-03-10 (wei, na and sam enrolled) and a later one, all made at ``now``."""

    now: datetime
    drill: TrainingPlan
    course: TrainingPlan
    held: TrainingSession
    later: TrainingSession


@pytest.fixture
def world(session: Session, people: People, clock: FixedClock) -> World:
    """A 2026 plan: a held Q1 drill (wei trains it), a future Q1 session, a Q2 course not held."""
    now = clock.now()
    drill = tr.add_plan(session, actor=people.mona, now=now, today=TODAY, title="Incident drill", year=2026,
                        category="skills", quarter="Q1", hours=3, trainer="leo")
    course = tr.add_plan(session, actor=people.mona, now=now, today=TODAY, title="Leadership", year=2026,
                         category="management", method="external", quarter="Q2", hours=8)
    held = tr.add_session(session, actor=people.mona, now=now, plan_id=pk(drill), day=date(2026, 3, 10))
    later = tr.add_session(session, actor=people.mona, now=now, plan_id=pk(drill), day=date(2026, 3, 24),
                           hours=2)
    ro.enroll(session, actor=people.mona, now=now, session_id=pk(held), logins=["wei", "na", "sam"])
    session.commit()
    return World(now=now, drill=drill, course=course, held=held, later=later)


def _result(session: Session, people: People, world: World, login: str, score: float,
            actor: str = "leo") -> TrainingResult:
    return ro.record_result(session, actor=people.by_login[actor], now=world.now, today=TODAY,
                            session_id=pk(world.held), login=login, score=score)


def _retake(session: Session, people: People, world: World, login: str, day: date,
            actor: str = "leo") -> TrainingResult:
    return ro.schedule_retake(session, actor=people.by_login[actor], now=world.now,
                              session_id=pk(world.held), login=login, day=day)


def test_the_pass_mark_decides_and_is_kept_with_the_result(
    session: Session, people: People, admin: Employee, world: World
) -> None:
    at_mark = _result(session, people, world, "wei", 60)
    below = _result(session, people, world, "na", 59.5)
    assert (at_mark.passed, below.passed) == (True, False)
    set_setting(session, actor=admin, key="training.pass_mark", value="70")
    high = _result(session, people, world, "sam", 65)
    assert high.passed is False and high.pass_mark == 70
    # the earlier verdict stands: it was judged against the mark in force then
    assert at_mark.passed is True and at_mark.pass_mark == 60


def test_a_retake_is_the_next_attempt_linked_to_the_failed_one(
    session: Session, people: People, world: World
) -> None:
    first = _result(session, people, world, "wei", 40)
    with pytest.raises(Conflict, match=r"retake.*a wrong score: .*--correct --reason"):
        _result(session, people, world, "wei", 70)  # a second score needs a retake first
    with pytest.raises(InvalidInput, match="before the failed attempt"):
        _retake(session, people, world, "wei", date(2026, 3, 9))
    second = _retake(session, people, world, "wei", date(2026, 3, 17))
    assert (second.attempt, second.retake_of_id, second.score) == (2, first.id, None)
    with pytest.raises(Conflict, match="already has a retake scheduled"):
        _retake(session, people, world, "wei", date(2026, 3, 18))
    scored = _result(session, people, world, "wei", 55)
    assert scored.id == second.id and scored.passed is False
    third = _retake(session, people, world, "wei", date(2026, 3, 18))
    assert (third.attempt, third.retake_of_id) == (3, second.id)
    assert _result(session, people, world, "wei", 75).passed is True
    with pytest.raises(Conflict, match="only a failed attempt"):
        _retake(session, people, world, "wei", date(2026, 3, 18))


def _correct(session: Session, people: People, world: World, login: str, score: float, reason: str = "re-marked",
             actor: str = "leo") -> TrainingResult:
    return ro.correct_result(session, actor=people.by_login[actor], now=world.now, session_id=pk(world.held),
                             login=login, score=score, reason=reason)


def test_a_wrong_score_is_corrected_against_the_mark_it_was_judged_by(
    session: Session, people: People, admin: Employee, world: World
) -> None:
    from sqlmodel import select

    from opsctl.models.people import AuditEntry

    with pytest.raises(NotFound, match="no score for session"):
        _correct(session, people, world, "wei", 80)
    slip = _result(session, people, world, "wei", 45)  # 54 was meant... and then re-marked to 65
    set_setting(session, actor=admin, key="training.pass_mark", value="70")
    retake = _retake(session, people, world, "wei", date(2026, 3, 20))
    assert _correct(session, people, world, "wei", 54).passed is False  # the pending retake stays
    assert [a.attempt for a in ro._attempts(session, world.held, people.wei)] == [1, 2]
    fixed = _correct(session, people, world, "wei", 65)
    assert (fixed.id, fixed.score, fixed.passed, fixed.pass_mark) == (slip.id, 65, True, 60)
    assert [a.attempt for a in ro._attempts(session, world.held, people.wei)] == [1]  # retake #2 dropped
    assert retake.id not in {a.id for a in ro._attempts(session, world.held, people.wei)}
    entry = session.exec(select(AuditEntry).where(AuditEntry.action == "training.correct")).all()[-1]
    assert entry.subject_id == people.wei.id and '"from": 54' in entry.details and '"to": 65' in entry.details
    with pytest.raises(Conflict, match="already scored 65"):
        _correct(session, people, world, "wei", 65)
    with pytest.raises(InvalidInput, match="needs --reason"):
        _correct(session, people, world, "wei", 66, reason=" ")
    with pytest.raises(NotAllowed, match="only the session's trainer"):
        _correct(session, people, world, "wei", 66, actor="sam")


def test_results_need_an_enrolled_present_person_and_a_held_session(
    session: Session, people: People, world: World
) -> None:
    with pytest.raises(InvalidInput, match="not enrolled"):
        _result(session, people, world, "hana", 80)
    ro.mark_attendance(session, actor=people.leo, now=world.now, today=TODAY, session_id=pk(world.held),
                       present=["wei"], absent=["na"])
    with pytest.raises(InvalidInput, match="marked absent"):
        _result(session, people, world, "na", 80)
    ro.enroll(session, actor=people.mona, now=world.now, session_id=pk(world.later), logins=["wei"])
    with pytest.raises(InvalidInput, match="after today"):
        ro.record_result(session, actor=people.leo, now=world.now, today=TODAY,
                         session_id=pk(world.later), login="wei", score=80)
    with pytest.raises(InvalidInput, match="nothing to retake"):
        _retake(session, people, world, "sam", date(2026, 3, 18))
    with pytest.raises(InvalidInput, match="after today"):
        ro.mark_attendance(session, actor=people.leo, now=world.now, today=TODAY,
                           session_id=pk(world.later), present=["wei"], absent=[])


def test_who_may_record_results(session: Session, people: People, world: World) -> None:
    with pytest.raises(NotAllowed, match="only the session's trainer"):
        _result(session, people, world, "na", 80, actor="sam")  # a member
    ro.enroll(session, actor=people.mona, now=world.now, session_id=pk(world.held), logins=["leo"])
    with pytest.raises(NotAllowed, match="themself"):
        _result(session, people, world, "leo", 80, actor="leo")
    # an internal trainer given by login may, for their own session only
    own = tr.add_session(session, actor=people.mona, now=world.now, plan_id=pk(world.drill),
                         day=date(2026, 3, 12), trainer="wei")
    ro.enroll(session, actor=people.wei, now=world.now, session_id=pk(own), logins=["na"])
    assert ro.record_result(session, actor=people.wei, now=world.now, today=TODAY, session_id=pk(own),
                            login="na", score=90).passed
    with pytest.raises(NotAllowed):
        _result(session, people, world, "na", 80, actor="wei")
    assert _result(session, people, world, "sam", 90, actor="hana").recorded_by_id == people.hana.id


def test_plans_and_sessions_are_checked(session: Session, people: People, world: World) -> None:
    now = world.now
    with pytest.raises(NotFound, match="#99"):
        tr.add_session(session, actor=people.mona, now=now, plan_id=99, day=TODAY)
    with pytest.raises(InvalidInput, match="must be in 2026"):
        tr.add_session(session, actor=people.mona, now=now, plan_id=pk(world.drill), day=date(2027, 1, 5))
    with pytest.raises(Conflict, match="already has 'Incident drill'"):
        tr.add_plan(session, actor=people.mona, now=now, today=TODAY, title="Incident drill", year=2026)
    with pytest.raises(NotAllowed):
        tr.add_plan(session, actor=people.wei, now=now, today=TODAY, title="Mine", year=2026)
    with pytest.raises(InvalidInput, match="Q1"):
        tr.add_plan(session, actor=people.mona, now=now, today=TODAY, title="X", year=2026, quarter="Q5")
    with pytest.raises(InvalidInput, match="not in 2026"):
        tr.add_plan(session, actor=people.mona, now=now, today=TODAY, title="X", year=2026, quarter="2025Q3")
    with pytest.raises(NotFound, match="unknown team"):
        tr.add_plan(session, actor=people.mona, now=now, today=TODAY, title="X", year=2026, audience="team:Nope")
    assert ro.parse_score("59.5") == 59.5
    for bad in ("101", "-1", "abc", "nan", ""):
        with pytest.raises(InvalidInput, match="0 to 100"):
            ro.parse_score(bad)


def test_enrolling_the_audience_and_oneself(session: Session, people: People, world: World) -> None:
    plan = tr.add_plan(session, actor=people.mona, now=world.now, today=TODAY, title="Ops only", year=2026,
                       hours=1, audience="team:Ops")
    ts = tr.add_session(session, actor=people.mona, now=world.now, plan_id=pk(plan), day=TODAY)
    _, added, skipped = ro.enroll(session, actor=people.leo, now=world.now, session_id=pk(ts), logins=["wei"],
                                  audience=True)
    assert (sorted(added), skipped) == (["leo", "na", "wei"], [])
    with pytest.raises(Conflict, match="already enrolled"):
        ro.enroll(session, actor=people.leo, now=world.now, session_id=pk(ts), logins=["na"])
    _, added, _ = ro.enroll(session, actor=people.sam, now=world.now, session_id=pk(ts), logins=["sam"])
    assert added == ["sam"]
    with pytest.raises(NotAllowed):
        ro.enroll(session, actor=people.sam, now=world.now, session_id=pk(ts), logins=["hana"])


def test_the_record_counts_hours_of_attended_sessions_only(
    session: Session, people: People, world: World
) -> None:
    now = world.now
    other = tr.add_session(session, actor=people.mona, now=now, plan_id=pk(world.course),
                           day=date(2026, 3, 11), hours=5)
    untaken = tr.add_session(session, actor=people.mona, now=now, plan_id=pk(world.course),
                             day=date(2026, 3, 12), hours=7)
    for ts in (other, untaken, world.later):
        ro.enroll(session, actor=people.mona, now=now, session_id=pk(ts), logins=["wei"])
    ro.mark_attendance(session, actor=people.mona, now=now, today=TODAY, session_id=pk(world.held),
                       present=["wei"], absent=[])
    ro.mark_attendance(session, actor=people.mona, now=now, today=TODAY, session_id=pk(other),
                       present=[], absent=["wei"])
    _result(session, people, world, "wei", 30)
    _retake(session, people, world, "wei", date(2026, 3, 16))
    _result(session, people, world, "wei", 90)
    record = person_training(session, viewer=people.wei, person=people.wei, today=TODAY)
    assert record["hours"] == 3  # present at the 3h drill; absent, untaken and future sessions count 0
    assert [s["attendance"] for s in record["sessions"]] == ["present", "absent", "not taken", "upcoming"]
    assert [(a["attempt"], a["score"], a["result"]) for a in record["attempts"]] == [
        (1, 30, "failed"), (2, 90, "passed")]
    assert record["attempts"][1]["retake_of"] == record["attempts"][0]["id"]
    assert record["passed"] == 1 and record["to_retake"] == 0
    with pytest.raises(NotAllowed):
        person_training(session, viewer=people.na, person=people.wei, today=TODAY)
    assert person_training(session, viewer=people.mona, person=people.wei, today=TODAY)["hours"] == 3


def test_the_year_report(session: Session, people: People, world: World) -> None:
    now = world.now
    tr.add_plan(session, actor=people.mona, now=now, today=TODAY, title="Old Q4 item", year=2025, quarter="Q4")
    ro.mark_attendance(session, actor=people.leo, now=now, today=TODAY, session_id=pk(world.held),
                       present=["wei", "na", "sam"], absent=[])
    _result(session, people, world, "wei", 90)
    _result(session, people, world, "na", 20)
    _result(session, people, world, "sam", 50)
    _retake(session, people, world, "sam", date(2026, 3, 17))
    _result(session, people, world, "sam", 70)
    _retake(session, people, world, "na", date(2026, 3, 30))
    report = year_report(session, viewer=people.mona, year=2026, today=TODAY)
    assert (report["planned"], report["held"], report["execution_rate"]) == (2, 1, 0.5)
    assert [(r["quarter"], r["category"], r["planned"], r["held"]) for r in report["execution"]] == [
        ("Q1", "skills", 1, 1), ("Q2", "management", 1, 0)]
    assert report["hours_held"] == 3  # the March 24 session is not held yet
    assert (report["assessed"], report["passed"], report["pass_rate"]) == (3, 2, 0.6667)
    assert report["first_pass_rate"] == 0.3333
    assert [(r["login"], r["score"], r["retake_on"]) for r in report["retakes"]] == [("na", 20, date(2026, 3, 30))]
    hours = {p["login"]: p["hours"] for p in report["people"]}
    assert hours["wei"] == 3 and hours["hana"] == 0  # everyone active is listed
    assert {c["title"]: c["status"] for c in report["courses"]} == {"Incident drill": "held", "Leadership": "planned"}
    with pytest.raises(NotAllowed):
        year_report(session, viewer=people.wei, year=2026, today=TODAY)
    late = year_report(session, viewer=people.mona, year=2026, today=date(2026, 7, 1))
    assert {c["title"]: c["status"] for c in late["courses"]}["Leadership"] == "overdue"


def test_the_year_report_runs_the_same_queries_for_more_people(
    session: Session, people: People, world: World, engine: Engine
) -> None:
    def count_queries() -> int:
        session.flush()
        session.expire_all()
        session.refresh(people.mona)
        statements: list[str] = []
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        try:
            year_report(session, viewer=people.mona, year=2026, today=TODAY)
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        return len(statements)

    before = count_queries()
    ro.enroll(session, actor=people.mona, now=world.now, session_id=pk(world.later),
              logins=["wei", "na", "sam", "leo", "hana"])
    ro.mark_attendance(session, actor=people.mona, now=world.now, today=TODAY, session_id=pk(world.held),
                       present=["wei", "na", "sam"], absent=[])
    session.expire_all()
    assert count_queries() == before <= 6


def test_certificates_and_what_expires(session: Session, people: People, world: World) -> None:
    now = world.now
    with pytest.raises(InvalidInput, match="in the future"):
        add_certificate(session, actor=people.hana, now=now, today=TODAY, person=people.wei, name="CCNA",
                        issued=TODAY + timedelta(days=1))
    with pytest.raises(InvalidInput, match="before the issue date"):
        add_certificate(session, actor=people.hana, now=now, today=TODAY, person=people.wei, name="CCNA",
                        issued=date(2026, 1, 1), expires=date(2025, 12, 31))
    add_certificate(session, actor=people.hana, now=now, today=TODAY, person=people.wei, name="CCNA",
                    issued=date(2023, 1, 1), expires=date(2026, 1, 1))
    add_certificate(session, actor=people.hana, now=now, today=TODAY, person=people.wei, name="CCNA",
                    issued=date(2026, 1, 2), expires=TODAY + timedelta(days=20))  # renewed
    add_certificate(session, actor=people.na, now=now, today=TODAY, person=people.na, name="Electrician",
                    issued=date(2020, 5, 1), expires=TODAY - timedelta(days=3))
    add_certificate(session, actor=people.mona, now=now, today=TODAY, person=people.sam, name="PMP",
                    issued=date(2025, 5, 1), expires=TODAY + timedelta(days=90))
    with pytest.raises(Conflict):
        add_certificate(session, actor=people.hana, now=now, today=TODAY, person=people.sam, name="PMP",
                        issued=date(2025, 5, 1))
    with pytest.raises(NotAllowed):
        add_certificate(session, actor=people.na, now=now, today=TODAY, person=people.wei, name="X", issued=TODAY)
    soon = expiring_certificates(session, viewer=people.hana, today=TODAY, within=60)
    assert [(c["login"], c["certificate"], c["status"]) for c in soon] == [
        ("na", "Electrician", "expired 3 days ago"), ("wei", "CCNA", "expires in 20 days")]
    assert len(expiring_certificates(session, viewer=people.hana, today=TODAY, within=90)) == 3
    assert [c["login"] for c in expiring_certificates(session, viewer=people.wei, today=TODAY, within=90)] == ["wei"]
    assert {c["login"] for c in expiring_certificates(session, viewer=people.mona, today=TODAY, within=90)} == {
        "na", "wei", "sam"}
    statuses = [c["status"] for c in list_certificates(session, viewer=people.wei, person=people.wei, today=TODAY)]
    assert statuses == ["renewed", "expires in 20 days"]


def test_the_today_section(session: Session, people: People, world: World) -> None:
    now = world.now
    ro.enroll(session, actor=people.mona, now=now, session_id=pk(world.later), logins=["wei"])  # in 6 days
    far = tr.add_session(session, actor=people.mona, now=now, plan_id=pk(world.drill), day=TODAY + timedelta(8))
    ro.enroll(session, actor=people.mona, now=now, session_id=pk(far), logins=["wei"])
    for name, days in (("CCNA", 30), ("Later", 31)):
        add_certificate(session, actor=people.hana, now=now, today=TODAY, person=people.wei, name=name,
                        issued=date(2024, 1, 1), expires=TODAY + timedelta(days=days))
    rows = tr.today_facts(session, person=people.wei, today=TODAY, now=now)
    assert rows is not None
    assert [(r["kind"], r["day"]) for r in rows] == [
        ("session", date(2026, 3, 24)), ("certificate", TODAY + timedelta(days=30))]
    assert tr.today_facts(session, person=people.hana, today=TODAY, now=now) is None
