"""Who sees which work reports, who has not reported, the team's week, and today's reminders."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session

from opsctl.clock import FixedClock
from opsctl.errors import NotAllowed
from opsctl.models.people import Employee
from opsctl.services.attendance.calendar import add_calendar_day
from opsctl.services.config import set_setting
from opsctl.services.leave.approvals import approve_leave
from opsctl.services.leave.days import parse_span
from opsctl.services.leave.requests import request_leave
from opsctl.services.people.teams import edit_team
from opsctl.services.workreports.periods import week_period
from opsctl.services.workreports.today import today_facts
from opsctl.services.workreports.views import list_reports, missing_reports, report_details, week_export
from opsctl.services.workreports.writing import review_report, save_report
from tests.conftest import People, pk

TODAY = date(2026, 3, 18)
LAST_WEEK = week_period(date(2026, 3, 11))
TEXT = "## Done\n- the backup job\n## Problems and help needed\n- the VPN\n"


def write(session: Session, clock: FixedClock, person: Employee, *, submit: bool = True) -> int:
    return pk(save_report(session, actor=person, now=clock.now(), today=TODAY, period=LAST_WEEK, text=TEXT,
                          submit=submit))


def missing(session: Session, clock: FixedClock, viewer: Employee) -> list[tuple[str, str, str]]:
    rows = missing_reports(session, viewer=viewer, now=clock.now(), today=TODAY, week=LAST_WEEK)
    return [(r["login"], r["kind"], r["period"]) for r in rows]


def test_others_see_submitted_reports_of_the_people_they_manage_or_lead(
        session: Session, clock: FixedClock, people: People) -> None:
    edit_team(session, actor=people.ada, now=clock.now(), name="Ops", lead="leo")
    wei, na = write(session, clock, people.wei), write(session, clock, people.na, submit=False)
    sam = write(session, clock, people.sam)

    def seen(viewer: Employee) -> set[int]:
        return {row["id"] for row in list_reports(session, viewer=viewer)}

    assert seen(people.mona) == seen(people.hana) == {wei, sam}  # na's is a draft
    assert seen(people.leo) == {wei}  # the lead of Ops: not Dev's sam
    assert seen(people.na) == {na}  # her own draft
    assert seen(people.sam) == {sam}
    with pytest.raises(NotAllowed, match="sam may not see wei's work reports"):
        list_reports(session, viewer=people.sam, person=people.wei)
    with pytest.raises(NotAllowed, match="sam may not see wei's work reports"):
        report_details(session, viewer=people.sam, report_id=wei)
    with pytest.raises(NotAllowed, match="is na's draft; others see it once it is submitted"):
        report_details(session, viewer=people.mona, report_id=na)
    assert report_details(session, viewer=people.leo, report_id=wei)["raised"] == [
        {"item": 1, "problem": "the VPN", "task": None}]


def test_missing_lists_who_was_expected_and_has_not_submitted(
        session: Session, clock: FixedClock, people: People) -> None:
    write(session, clock, people.wei)
    write(session, clock, people.leo, submit=False)  # a draft is still missing
    # hana (hr) and ada (admin) are not expected to report by default
    assert missing(session, clock, people.ada) == [("mona", "week", "2026-W11"), ("sam", "week", "2026-W11"),
                                                  ("leo", "week", "2026-W11"), ("na", "week", "2026-W11")]
    rows = missing_reports(session, viewer=people.mona, now=clock.now(), today=TODAY, week=LAST_WEEK)
    assert {r["login"]: r["draft"] for r in rows} == {"mona": False, "sam": False, "leo": True, "na": False}
    assert all(r["overdue"] for r in rows)
    assert missing(session, clock, people.sam) == [("sam", "week", "2026-W11")]  # sam sees only himself


def test_a_week_all_on_leave_owes_nothing_and_only_expected_roles_owe(
        session: Session, clock: FixedClock, people: People) -> None:
    request = request_leave(session, actor=people.na, now=clock.now(), today=TODAY, code="sick", reason="flu",
                            span=parse_span("2026-03-09", "2026-03-13", parse_day=date.fromisoformat))
    approve_leave(session, actor=people.mona, now=clock.now(), request_id=pk(request))
    set_setting(session, actor=people.ada, key="report.roles", value="member")
    assert missing(session, clock, people.ada) == [("sam", "week", "2026-W11"), ("wei", "week", "2026-W11")]
    set_setting(session, actor=people.ada, key="report.kinds", value="none")
    assert missing(session, clock, people.ada) == []


def test_day_reports_are_owed_for_workdays_before_today_but_not_holidays(
        session: Session, clock: FixedClock, people: People) -> None:
    set_setting(session, actor=people.ada, key="report.kinds", value="day")
    set_setting(session, actor=people.ada, key="report.roles", value="member")
    add_calendar_day(session, actor=people.ada, now=clock.now(), day=date(2026, 3, 11), kind="holiday", name="Test")
    rows = missing_reports(session, viewer=people.mona, now=clock.now(), today=TODAY, week=LAST_WEEK, team="Dev")
    assert [(r["login"], r["period"], f"{r['due']:%m-%d %H:%M}") for r in rows] == [
        ("sam", "2026-03-09", "03-10 02:00"), ("sam", "2026-03-10", "03-12 02:00"),  # 10:00 Shanghai, in UTC
        ("sam", "2026-03-12", "03-13 02:00"), ("sam", "2026-03-13", "03-16 02:00")]
    this_week = week_period(TODAY)
    rows = missing_reports(session, viewer=people.sam, now=clock.now(), today=TODAY, week=this_week)
    assert [r["period"] for r in rows] == ["2026-03-16", "2026-03-17"]  # not today's yet
    assert [r["overdue"] for r in rows] == [True, False]  # Tue's is due Wed 10:00; it is 09:30


def test_the_weeks_export_holds_submitted_reports_and_the_missing(
        session: Session, clock: FixedClock, people: People) -> None:
    wei = write(session, clock, people.wei)
    write(session, clock, people.na, submit=False)
    review_report(session, actor=people.mona, now=clock.now(), report_id=wei, comment="ok")
    data = week_export(session, viewer=people.mona, now=clock.now(), today=TODAY, week=LAST_WEEK, team="Ops")
    assert [(r["login"], r["status"], r["late"], r["reviewed_by"]) for r in data["reports"]] == [
        ("wei", "reviewed", True, "mona")]
    assert [m["login"] for m in data["missing"]] == ["leo", "na"]


def test_today_reminds_of_your_report_and_of_reports_to_review(
        session: Session, clock: FixedClock, people: People) -> None:
    write(session, clock, people.wei)
    facts = today_facts(session, person=people.na, today=TODAY, now=clock.now())
    assert facts is not None and [(o["period"], o["overdue"]) for o in facts["owed"]] == [("2026-W11", True)]
    assert facts["waiting"] == []
    boss = today_facts(session, person=people.mona, today=TODAY, now=clock.now())
    assert boss is not None and [(w["login"], w["period"]) for w in boss["waiting"]] == [("wei", "2026-W11")]
    assert today_facts(session, person=people.wei, today=TODAY, now=clock.now()) is None
    assert today_facts(session, person=people.hana, today=TODAY + timedelta(days=7), now=clock.now()) is None


def test_today_on_leave_asks_the_full_rules_and_a_week_all_on_leave_owes_nothing(
        session: Session, clock: FixedClock, people: People) -> None:
    request = request_leave(session, actor=people.na, now=clock.now(), today=TODAY, code="sick", reason="flu",
                            span=parse_span("2026-03-09", "2026-03-13", parse_day=date.fromisoformat))
    approve_leave(session, actor=people.mona, now=clock.now(), request_id=pk(request))
    assert today_facts(session, person=people.na, today=TODAY, now=clock.now()) is None
    set_setting(session, actor=people.ada, key="report.kinds", value="both")
    facts = today_facts(session, person=people.na, today=TODAY, now=clock.now())
    assert facts is not None and [(o["kind"], o["period"], o["overdue"]) for o in facts["owed"]] == [
        ("day", "2026-03-16", True), ("day", "2026-03-17", False)]
    light = today_facts(session, person=people.sam, today=TODAY, now=clock.now())  # no leave: the light path
    assert light is not None and [o["period"] for o in light["owed"]] == [
        "2026-W11", "2026-03-09", "2026-03-10", "2026-03-11", "2026-03-12", "2026-03-13", "2026-03-16", "2026-03-17"]
    assert light["owed"][0]["due"] == datetime(2026, 3, 16, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
