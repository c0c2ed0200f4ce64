"""Scheduling meetings: times in the team zone, recurrence, occurrence ids, cancel and move,
who may see and change a meeting, and `today`."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session

from opsctl.clock import FixedClock
from opsctl.errors import Conflict, InvalidInput, NotAllowed, NotFound
from opsctl.services.meetings import recurrence
from opsctl.services.meetings.scheduling import cancel, find_occurrence, move, new_meeting, parse_when
from opsctl.services.meetings.views import day_bounds, list_meetings, series_details, today_facts
from tests.conftest import People

SH = ZoneInfo("Asia/Shanghai")
TODAY = date(2026, 3, 18)  # the clock fixture: Wed 2026-03-18 09:30 in Shanghai


def at(text: str) -> datetime:
    """A Shanghai wall-clock time as the UTC instant it is stored as."""
    return datetime.fromisoformat(text).replace(tzinfo=SH).astimezone(UTC)


def schedule(session: Any, clock: Any, actor: Any, title: str = "Ops weekly", start: str = "2026-03-04 14:00",
             **options: Any) -> Any:
    meeting = new_meeting(session, actor=actor, now=clock.now(), tz=SH, title=title, start=at(start), **options)
    session.commit()
    return meeting


def listed(session: Any, viewer: Any, first: date, last: date, **options: Any) -> list[dict[str, Any]]:
    low, high = day_bounds(first, last, SH)
    return list_meetings(session, viewer=viewer, low=low, high=high, **options)


# -- times ---------------------------------------------------------------------------

def test_times_are_typed_in_the_team_zone_and_stored_in_utc() -> None:
    assert parse_when("2026-03-20 10:00", today=TODAY, tz=SH) == datetime(2026, 3, 20, 2, 0, tzinfo=UTC)
    assert parse_when("tomorrow 09:15", today=TODAY, tz=SH) == datetime(2026, 3, 19, 1, 15, tzinfo=UTC)
    assert parse_when("fri 14:30", today=TODAY, tz=SH) == at("2026-03-20 14:30")
    for bad in ("2026-03-20", "next week", "2026-02-30 10:00", "2026-03-20 25:00"):
        with pytest.raises(InvalidInput, match="date and time"):
            parse_when(bad, today=TODAY, tz=SH)


def test_a_time_the_clocks_skip_is_refused() -> None:
    with pytest.raises(InvalidInput, match="does not exist in Europe/Berlin"):
        parse_when("2026-03-29 02:30", today=TODAY, tz=ZoneInfo("Europe/Berlin"))


# -- recurrence -------------------------------------------------------------------------

def test_every_weekly_biweekly_monthly_with_until() -> None:
    start = at("2026-03-04 14:00")
    weekly = recurrence.build_rule(start=start, tz=SH, every="weekly", until=date(2026, 3, 25))
    assert weekly is not None and weekly.rule == "FREQ=WEEKLY;UNTIL=20260325T155959Z"
    assert weekly.last_start == at("2026-03-25 14:00")
    assert [s.astimezone(SH).day for s in recurrence.starts(weekly.rule, start, SH)] == [4, 11, 18, 25]
    biweekly = recurrence.build_rule(start=start, tz=SH, every="biweekly")
    assert biweekly is not None and biweekly.last_start is None  # open-ended
    assert recurrence.nth_start(biweekly.rule, start, SH, 3) == at("2026-04-01 14:00")
    monthly = recurrence.build_rule(start=start, tz=SH, every="monthly", until=date(2026, 6, 30))
    assert monthly is not None
    assert recurrence.describe(monthly.rule, start, SH) == "every month on day 4 at 14:00 until 2026-06-30"
    assert recurrence.describe(weekly.rule, start, SH) == "every week on Wednesday at 14:00 until 2026-03-25"
    assert recurrence.build_rule(start=start, tz=SH) is None
    with pytest.raises(InvalidInput, match=r"more than 5000 meetings; give an earlier UNTIL"):
        recurrence.build_rule(start=start, tz=SH, rule="FREQ=DAILY;UNTIL=29991231")  # its last date was 2040
    with pytest.raises(InvalidInput, match=r"--until 2026-03-01 is before the first meeting \(--at 2026-03-04"):
        recurrence.build_rule(start=start, tz=SH, every="weekly", until=date(2026, 3, 1))


@pytest.mark.parametrize(("rule", "words"), [
    ("FREQ=WEEKLY;BYDAY=MO,TH", "every week on Monday and Thursday at 09:30"),
    ("FREQ=MONTHLY;BYDAY=1MO;UNTIL=20261231T155959Z", "every month on the first Monday at 09:30 until 2026-12-31"),
    ("FREQ=MONTHLY;BYDAY=-1FR;COUNT=6", "every month on the last Friday at 09:30, 6 times"),
    ("FREQ=YEARLY", "every year on June 1 at 09:30"),
    ("FREQ=DAILY;INTERVAL=2", "every 2 days at 09:30"),
    ("FREQ=MONTHLY;BYMONTHDAY=-1", "RRULE FREQ=MONTHLY;BYMONTHDAY=-1"),
])
def test_a_rule_is_described_in_words_when_words_can_say_it(rule: str, words: str) -> None:
    assert recurrence.describe(rule, at("2026-06-01 09:30"), SH) == words


def test_a_weekly_meeting_keeps_its_wall_clock_time_across_a_dst_change() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    start = datetime(2026, 3, 20, 10, 0, tzinfo=berlin).astimezone(UTC)
    rule = recurrence.build_rule(start=start, tz=berlin, every="weekly")
    assert rule is not None
    later = recurrence.nth_start(rule.rule, start, berlin, 3)  # 2026-04-03, summer time
    assert later is not None and later.astimezone(berlin).hour == 10
    assert later - start == timedelta(days=14, hours=-1)


def test_rrule_until_without_z_is_the_end_of_that_day_in_the_team_zone() -> None:
    start = at("2026-03-18 09:30")
    rule = recurrence.build_rule(start=start, tz=SH, rule="RRULE:freq=daily;until=20260320")
    assert rule is not None and rule.rule == "FREQ=DAILY;UNTIL=20260320T155959Z"
    assert rule.last_start == at("2026-03-20 09:30")
    by_day = recurrence.build_rule(start=start, tz=SH, rule="FREQ=WEEKLY;BYDAY=WE,FR;COUNT=4")
    assert by_day is not None and by_day.last_start == at("2026-03-27 09:30")


@pytest.mark.parametrize(("options", "message"), [
    ({"rule": "FREQ=HOURLY"}, "FREQ must be one of"),
    ({"rule": "every monday"}, "not NAME=VALUE"),
    ({"rule": "FREQ=WEEKLY;BYDAY=XX"}, "BYDAY"),
    ({"rule": "FREQ=WEEKLY;COUNT=3;UNTIL=20260401"}, "COUNT and UNTIL"),
    ({"rule": "FREQ=WEEKLY;INTERVAL=0"}, "INTERVAL"),
    ({"rule": "FREQ=WEEKLY;UNTIL=20260101"}, "no occurrence"),
    ({"rule": "FREQ=WEEKLY;BYDAY=MO"}, "first meeting is Mon 2026-03-23"),
    ({"rule": "DTSTART:20260101T000000\nRRULE:FREQ=DAILY"}, "start comes from --at"),
    ({"every": "daily"}, "weekly, biweekly, monthly"),
    ({"every": "weekly", "rule": "FREQ=WEEKLY"}, "either --every or --rrule"),
    ({"until": date(2026, 4, 1)}, "--until needs --every"),
    ({"rule": "FREQ=WEEKLY;UNTIL=20260401", "until": date(2026, 4, 1)}, "already has UNTIL"),
])
def test_bad_recurrences_are_refused_with_the_reason(options: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        recurrence.build_rule(start=at("2026-03-18 09:30"), tz=SH, **options)


def test_monthly_from_a_day_some_months_lack_points_to_bymonthday() -> None:
    with pytest.raises(InvalidInput, match="BYMONTHDAY=-1"):
        recurrence.build_rule(start=at("2026-01-31 10:00"), tz=SH, every="monthly")


# -- occurrences, cancel, move ---------------------------------------------------------------

def test_list_shows_every_occurrence_with_a_stable_id(session: Session, clock: FixedClock, people: People) -> None:
    weekly = schedule(session, clock, people.leo, every="weekly", with_logins=["wei", "na"], location="Room 3")
    one_off = schedule(session, clock, people.leo, title="Kickoff", start="2026-03-19 10:00", duration_min=90)
    rows = listed(session, people.leo, date(2026, 3, 1), date(2026, 3, 31))
    assert [r["id"] for r in rows] == ["1.1", "1.2", "1.3", f"{one_off.id}", "1.4"]
    assert {r["meeting_id"] for r in rows} == {weekly.id, one_off.id}
    kickoff = rows[3]
    assert kickoff["start"] == at("2026-03-19 10:00") and kickoff["end"] == at("2026-03-19 11:30")
    assert kickoff["weekday"] == "Thu" and kickoff["organizer"] == "leo" and not kickoff["recurring"]

    cancel(session, actor=people.leo, now=clock.now(), ref="1.3", reason="holiday")
    move(session, actor=people.leo, now=clock.now(), ref="1.2", to=at("2026-04-02 09:00"))
    move(session, actor=people.leo, now=clock.now(), ref="1.6", to=at("2026-03-30 16:00"))
    session.commit()
    by_id = {r["id"]: r for r in listed(session, people.leo, date(2026, 3, 1), date(2026, 3, 31))}
    assert list(by_id) == ["1.1", "1.3", f"{one_off.id}", "1.4", "1.6"]  # 1.2 moved out, 1.6 moved in
    assert by_id["1.3"]["status"] == "cancelled" and by_id["1.3"]["cancel_reason"] == "holiday"
    assert by_id["1.6"]["status"] == "moved" and by_id["1.6"]["moved_from"] == at("2026-04-08 14:00")
    assert by_id["1.4"]["start"] == at("2026-03-25 14:00")  # the rest of the series did not move
    april = listed(session, people.leo, date(2026, 4, 1), date(2026, 4, 8))
    assert [(r["id"], r["start"]) for r in april] == [("1.5", at("2026-04-01 14:00")), ("1.2", at("2026-04-02 09:00"))]


def test_an_occurrence_id_names_one_occurrence_or_says_what_to_type(
    session: Session, clock: FixedClock, people: People
) -> None:
    schedule(session, clock, people.leo, rule="FREQ=WEEKLY;COUNT=3")
    assert find_occurrence(session, "1.3").starts_at == at("2026-03-18 14:00")
    with pytest.raises(InvalidInput, match=r"repeats; name one occurrence such as 1\.1"):
        find_occurrence(session, "1")
    with pytest.raises(NotFound, match="no occurrence 4"):
        find_occurrence(session, "1.4")
    with pytest.raises(NotFound, match="no meeting 9"):
        find_occurrence(session, "9")
    with pytest.raises(InvalidInput, match="not a meeting id"):
        find_occurrence(session, "1-3")


def test_cancelling_one_occurrence_leaves_the_rest(session: Session, clock: FixedClock, people: People) -> None:
    schedule(session, clock, people.leo, every="weekly")
    cancel(session, actor=people.leo, now=clock.now(), ref="1.4")
    with pytest.raises(Conflict, match="already cancelled"):
        cancel(session, actor=people.leo, now=clock.now(), ref="1.4")
    assert find_occurrence(session, "1.4").cancelled
    assert not find_occurrence(session, "1.5").cancelled
    rescheduled = move(session, actor=people.leo, now=clock.now(), ref="1.4", to=at("2026-03-26 10:00"))
    assert rescheduled.status == "moved" and not rescheduled.cancelled


def test_cancelling_a_series_stops_it_from_now_on(session: Session, clock: FixedClock, people: People) -> None:
    meeting = schedule(session, clock, people.leo, every="weekly")  # Wednesdays 14:00 from 03-04; now 03-18 09:30
    move(session, actor=people.leo, now=clock.now(), ref="1.2", to=at("2026-03-20 10:00"))  # postponed past now
    cancel(session, actor=people.leo, now=clock.now(), ref="1", reason="team reorganised")
    session.commit()
    assert meeting.rule == "FREQ=WEEKLY;UNTIL=20260311T060000Z" and meeting.last_start == at("2026-03-11 14:00")
    rows = listed(session, people.leo, date(2026, 3, 1), date(2026, 4, 30))
    assert [(r["id"], r["status"]) for r in rows] == [("1.1", "scheduled"), ("1.2", "cancelled")]
    with pytest.raises(Conflict, match="no occurrences left"):
        cancel(session, actor=people.leo, now=clock.now(), ref="1")


def test_cancelling_a_series_that_has_not_started_cancels_all_of_it(
    session: Session, clock: FixedClock, people: People
) -> None:
    schedule(session, clock, people.leo, start="2026-04-01 10:00", every="monthly")
    cancel(session, actor=people.leo, now=clock.now(), ref="1")
    rows = listed(session, people.leo, date(2026, 3, 1), date(2026, 12, 31))
    assert [(r["id"], r["status"]) for r in rows] == [("1.1", "cancelled")]


# -- people and permissions ---------------------------------------------------------------

def test_invitations_come_from_with_and_team_and_include_the_organizer(
    session: Session, clock: FixedClock, people: People
) -> None:
    meeting = schedule(session, clock, people.sam, team="Ops", with_logins=["hana", "wei"])
    details = series_or_one(session, people.sam, meeting)
    assert [(p["login"], p["role"]) for p in details["people"]] == [
        ("hana", "invited"), ("leo", "invited"), ("na", "invited"), ("sam", "organizer"), ("wei", "invited"),
    ]
    with pytest.raises(NotFound, match="ghost"):
        schedule(session, clock, people.sam, title="Other", with_logins=["ghost"])
    with pytest.raises(NotFound, match="unknown team"):
        schedule(session, clock, people.sam, title="Other", team="Nowhere")


def series_or_one(session: Any, viewer: Any, meeting: Any) -> dict[str, Any]:
    from opsctl.services.meetings.views import occurrence_details

    return occurrence_details(session, viewer=viewer, occurrence=find_occurrence(session, str(meeting.id)),
                              now=datetime(2026, 3, 18, 1, 30, tzinfo=UTC))


def test_who_may_see_and_change_a_meeting(session: Session, clock: FixedClock, people: People) -> None:
    schedule(session, clock, people.wei, title="Pairing", with_logins=["na"])
    # invited: reads, may not change
    assert [r["id"] for r in listed(session, people.na, date(2026, 3, 1), date(2026, 3, 31))] == ["1"]
    assert series_or_one(session, people.na, find_occurrence(session, "1").meeting)["can_edit"] is False
    with pytest.raises(NotAllowed, match="only its organizer"):
        cancel(session, actor=people.na, now=clock.now(), ref="1")
    # not invited, nobody's manager: neither
    with pytest.raises(NotAllowed, match="not invited"):
        series_or_one(session, people.sam, find_occurrence(session, "1").meeting)
    assert listed(session, people.sam, date(2026, 3, 1), date(2026, 3, 31)) == []
    assert listed(session, people.leo, date(2026, 3, 1), date(2026, 3, 31)) == []  # a lead, but not their manager
    # the invitees' manager and HR may change it; that is audited against the organizer
    assert [r["id"] for r in listed(session, people.mona, date(2026, 3, 1), date(2026, 3, 31))] == ["1"]
    cancel(session, actor=people.mona, now=clock.now(), ref="1", reason="clash")
    move(session, actor=people.hana, now=clock.now(), ref="1", to=at("2026-03-25 10:00"))
    session.commit()
    from opsctl.services.audit import list_entries

    entries = list_entries(session, viewer=people.ada, action="meeting.")
    assert [(e["action"], e["actor"], e["login"], e["entity_id"]) for e in entries] == [
        ("meeting.move", "hana", "wei", "1"), ("meeting.cancel", "mona", "wei", "1"),
    ]


def test_a_duplicate_meeting_is_a_conflict(session: Session, clock: FixedClock, people: People) -> None:
    schedule(session, clock, people.leo)
    with pytest.raises(Conflict, match="meeting 1"):
        schedule(session, clock, people.leo)


def test_a_meeting_can_belong_to_a_live_project(session: Session, clock: FixedClock, people: People) -> None:
    from opsctl.services.projects.lifecycle import new_project

    new_project(session, actor=people.leo, now=clock.now(), code="NET-2026", name="Network refresh")
    schedule(session, clock, people.leo, title="NET kickoff", project="net-2026")
    assert listed(session, people.leo, date(2026, 3, 1), date(2026, 3, 31))[0]["project"] == "NET-2026"
    with pytest.raises(NotFound, match="no project with code"):
        schedule(session, clock, people.leo, title="Other", project="NOPE")


def test_series_details_show_recent_and_next_occurrences(session: Session, clock: FixedClock, people: People) -> None:
    from opsctl.services.meetings.minutes import save_minutes

    meeting = schedule(session, clock, people.leo, start="2025-12-03 14:00", every="weekly")
    cancel(session, actor=people.leo, now=clock.now(), ref="1.3")
    save_minutes(session, actor=people.leo, now=clock.now(), ref="1.14", text="held")
    data = series_details(session, viewer=people.leo, meeting=meeting, now=clock.now())
    # past ones with a record, then the next five (1.16 is today, 03-18 14:00)
    assert [row["id"] for row in data["occurrences"]] == ["1.3", "1.14", "1.16", "1.17", "1.18", "1.19", "1.20"]
    assert [row["status"] for row in data["occurrences"]][:2] == ["cancelled", "held"]  # 1.14 has minutes
    assert data["repeats"] == "every week on Wednesday at 14:00"


def test_today_lists_the_meetings_of_the_day_one_is_invited_to(
    session: Session, clock: FixedClock, people: People
) -> None:
    schedule(session, clock, people.leo, every="weekly", with_logins=["wei"])  # today 14:00
    schedule(session, clock, people.leo, title="Leads only", start="2026-03-18 16:00")
    schedule(session, clock, people.leo, title="Tomorrow", start="2026-03-19 10:00", with_logins=["wei"])
    wei = today_facts(session, person=people.wei, today=TODAY, now=clock.now())
    assert [(r["id"], r["title"]) for r in wei] == [("1.3", "Ops weekly")]
    leo = today_facts(session, person=people.leo, today=TODAY, now=clock.now())
    assert [r["title"] for r in leo] == ["Ops weekly", "Leads only"]
    assert today_facts(session, person=people.sam, today=TODAY, now=clock.now()) == []
