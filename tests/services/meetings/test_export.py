"""`meeting export`: the Markdown record and the iCalendar invitation (read back with `icalendar`)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any

import icalendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlmodel import Session

from opsctl.clock import FixedClock
from opsctl.services.meetings.export import export_ics, export_markdown, fold, ics_text
from opsctl.services.meetings.minutes import add_action, decide, record_attendance, save_minutes
from opsctl.services.meetings.scheduling import cancel, move
from tests.conftest import People
from tests.services.meetings.test_scheduling import TODAY, at, schedule


def events(text: str) -> list[Any]:
    return list(icalendar.Calendar.from_ical(text).walk("VEVENT"))


def zone_as_written(text: str) -> tzinfo:
    """The zone the file's VTIMEZONE defines, as Outlook reads it (not the IANA zone of that name)."""
    (definition,) = icalendar.Calendar.from_ical(text).walk("VTIMEZONE")
    assert isinstance(definition, icalendar.Timezone)
    return definition.to_tz(lookup_tzid=False)


def wall_time(event: Any, name: str) -> datetime:
    """A TZID=… property's local time as written."""
    value = event.decoded(name)
    assert value.tzinfo is not None
    return value.replace(tzinfo=None)


@pytest.fixture
def weekly(session: Session, clock: FixedClock, people: People) -> Any:
    """leo's weekly (until 04-29) with wei, na and hana; all but na have e-mail addresses."""
    from opsctl.services.people.employees import edit_person

    for login in ("leo", "wei", "hana"):
        edit_person(session, actor=people.ada, now=clock.now(), login=login, email=f"{login}@example.com")
    return schedule(session, clock, people.leo, title="Ops weekly; review, plan", every="weekly",
                    until=date(2026, 4, 29), with_logins=["wei", "na", "hana"], location="Room 3, 2nd floor",
                    agenda=["Handover", "Certificates"])


def test_a_series_exports_its_rule_cancellations_and_moves(
    session: Session, clock: FixedClock, people: People, weekly: Any
) -> None:
    cancel(session, actor=people.leo, now=clock.now(), ref="1.4", reason="holiday")
    move(session, actor=people.leo, now=clock.now(), ref="1.5", to=at("2026-04-02 10:00"))
    text = export_ics(session, viewer=people.wei, ref="1", now=clock.now())
    calendar = icalendar.Calendar.from_ical(text)
    assert calendar["METHOD"] == "REQUEST" and calendar["VERSION"] == "2.0"
    master, moved = events(text)
    assert master["SUMMARY"] == "Ops weekly; review, plan" and master["LOCATION"] == "Room 3, 2nd floor"
    assert master.decoded("DTSTART") == at("2026-03-04 14:00") and master.decoded("DTEND") == at("2026-03-04 15:00")
    assert master["RRULE"].to_ical() == b"FREQ=WEEKLY;UNTIL=20260429T155959Z"
    assert [d.dt for d in master["EXDATE"].dts] == [at("2026-03-25 14:00")]
    assert "1. Handover\n2. Certificates" in master["DESCRIPTION"]
    assert str(master["ORGANIZER"]) == "mailto:leo@example.com" and master["ORGANIZER"].params["CN"] == "Leo Lead"
    assert [str(a) for a in master["ATTENDEE"]] == ["mailto:hana@example.com", "mailto:wei@example.com"]
    assert master["SEQUENCE"] == 2 and master.decoded("DTSTAMP") == clock.now()
    assert moved["UID"] == master["UID"] and moved.decoded("RECURRENCE-ID") == at("2026-04-01 14:00")
    assert moved.decoded("DTSTART") == at("2026-04-02 10:00")


def test_the_ics_text_follows_rfc_5545_lines(session: Session, clock: FixedClock, people: People, weekly: Any) -> None:
    text = export_ics(session, viewer=people.leo, ref="1", now=clock.now())
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    lines = text.split("\r\n")[:-1]
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    assert all(len(line.encode("utf-8")) <= 75 for line in lines)
    assert "LOCATION:Room 3\\, 2nd floor" in lines
    assert any(line.startswith(" ") for line in lines)  # the long attendee line is folded


def test_one_occurrence_or_a_one_off_exports_as_a_single_event(
    session: Session, clock: FixedClock, people: People, weekly: Any
) -> None:
    single = events(export_ics(session, viewer=people.leo, ref="1.2", now=clock.now()))
    series = events(export_ics(session, viewer=people.leo, ref="1", now=clock.now()))
    assert len(single) == 1 and "RRULE" not in single[0]
    assert single[0].decoded("DTSTART") == at("2026-03-11 14:00")
    # an instance of the series: the same UID and its RECURRENCE-ID, so a calendar updates that one
    assert single[0]["UID"] == series[0]["UID"] and single[0].decoded("RECURRENCE-ID") == at("2026-03-11 14:00")
    move(session, actor=people.leo, now=clock.now(), ref="1.3", to=at("2026-03-19 09:00"))
    moved = events(export_ics(session, viewer=people.leo, ref="1.3", now=clock.now()))[0]
    assert (moved.decoded("RECURRENCE-ID"), moved.decoded("DTSTART")) == (at("2026-03-18 14:00"),
                                                                          at("2026-03-19 09:00"))
    schedule(session, clock, people.sam, title="Dev sync", start="2026-03-20 10:00")
    cancel(session, actor=people.sam, now=clock.now(), ref="2")
    text = export_ics(session, viewer=people.sam, ref="2", now=clock.now())
    calendar = icalendar.Calendar.from_ical(text)
    assert "METHOD" not in calendar  # sam has no e-mail: a plain calendar file, not an invitation
    assert events(text)[0]["STATUS"] == "CANCELLED"


def test_a_series_cancelled_before_it_began_is_a_cancellation(
    session: Session, clock: FixedClock, people: People, weekly: Any
) -> None:
    schedule(session, clock, people.leo, title="Retro", start="2026-04-01 10:00", every="monthly")
    cancel(session, actor=people.leo, now=clock.now(), ref="2")
    text = export_ics(session, viewer=people.leo, ref="2", now=clock.now())
    assert icalendar.Calendar.from_ical(text)["METHOD"] == "CANCEL"
    assert [e["STATUS"] for e in events(text)] == ["CANCELLED"]
    assert events(export_ics(session, viewer=people.leo, ref="1", now=clock.now()))[0]["STATUS"] == "CONFIRMED"


def test_a_series_keeps_its_local_hour_across_daylight_saving(
    session: Session, clock: FixedClock, people: People
) -> None:
    """A Berlin team's weekly 14:00 is 13:00 UTC in March and 12:00 UTC from 29 March on: the
    file says 14:00 Europe/Berlin and defines the zone, so calendars keep 14:00."""
    from zoneinfo import ZoneInfo

    from dateutil.rrule import rrulestr

    from opsctl.services.meetings.scheduling import new_meeting

    berlin = ZoneInfo("Europe/Berlin")
    start = datetime(2026, 3, 18, 14, 0, tzinfo=berlin)
    new_meeting(session, actor=people.leo, now=clock.now(), tz=berlin, title="Weekly", start=start.astimezone(UTC),
                every="weekly", until=date(2026, 4, 8))
    text = export_ics(session, viewer=people.leo, ref="1", now=clock.now())
    assert "DTSTART;TZID=Europe/Berlin:20260318T140000\r\n" in text
    defined = zone_as_written(text)
    assert datetime(2026, 3, 29, 1, 59, tzinfo=defined).utcoffset() == timedelta(hours=1)
    assert datetime(2026, 3, 29, 3, 0, tzinfo=defined).utcoffset() == timedelta(hours=2)  # the change it crosses
    (master,) = events(text)
    first = master.decoded("DTSTART")
    assert first.tzinfo is not None and first.utcoffset() == timedelta(hours=1)
    series = list(rrulestr(master["RRULE"].to_ical().decode(), dtstart=first.astimezone(berlin)))
    assert [(d.date().isoformat(), d.strftime("%H:%M"), d.utcoffset()) for d in series] == [
        ("2026-03-18", "14:00", timedelta(hours=1)), ("2026-03-25", "14:00", timedelta(hours=1)),
        ("2026-04-01", "14:00", timedelta(hours=2)), ("2026-04-08", "14:00", timedelta(hours=2))]


@pytest.mark.parametrize(("name", "summer_utc"), [("Europe/Berlin", "12:00"), ("America/New_York", "18:00")])
def test_an_open_series_defines_its_zone_to_2100_in_few_lines(
    session: Session, clock: FixedClock, people: People, name: str, summer_utc: str
) -> None:
    """A weekly 14:00 with no end: its summer 2032 meetings are 14:00 local time (one hour less
    in UTC than in winter) in a calendar that reads the file's own zone definition."""
    from zoneinfo import ZoneInfo

    from dateutil.rrule import rrulestr

    from opsctl.services.meetings.scheduling import new_meeting

    tz = ZoneInfo(name)
    start = datetime(2026, 3, 4, 14, 0, tzinfo=tz)
    new_meeting(session, actor=people.leo, now=clock.now(), tz=tz, title="Weekly", start=start.astimezone(UTC),
                every="weekly")
    text = export_ics(session, viewer=people.leo, ref="1", now=clock.now())
    defined = zone_as_written(text)
    (master,) = events(text)
    rule = rrulestr(master["RRULE"].to_ical().decode(), dtstart=wall_time(master, "DTSTART"))
    july_2032 = rule.after(datetime(2032, 7, 1))
    assert july_2032 is not None and july_2032.strftime("%H:%M") == "14:00"
    assert f"{july_2032.replace(tzinfo=defined).astimezone(UTC):%H:%M}" == summer_utc
    for year in (2032, 2051, 2099):  # winter and summer, as far as an open series is defined
        for month in (1, 7):
            moment = datetime(year, month, 15, 14, 0)
            assert moment.replace(tzinfo=defined).utcoffset() == moment.replace(tzinfo=tz).utcoffset(), moment
    (definition,) = icalendar.Calendar.from_ical(text).walk("VTIMEZONE")
    assert len(definition.subcomponents) <= 3 and len(text) < 3000  # yearly rules, not 150 listed changes


def test_a_moved_occurrence_alone_defines_its_old_and_new_date(
    session: Session, clock: FixedClock, people: People
) -> None:
    """Berlin's 1 April 14:00 (summer time) moved back to 26 March 10:00 (winter time): exported
    alone, the zone in the file knows both offsets, so the calendar finds the instance to replace."""
    from zoneinfo import ZoneInfo

    from opsctl.services.meetings.scheduling import new_meeting

    berlin = ZoneInfo("Europe/Berlin")
    start = datetime(2026, 3, 18, 14, 0, tzinfo=berlin)
    new_meeting(session, actor=people.leo, now=clock.now(), tz=berlin, title="Weekly", start=start.astimezone(UTC),
                every="weekly", until=date(2026, 6, 24))
    move(session, actor=people.leo, now=clock.now(), ref="1.3", to=datetime(2026, 3, 26, 9, 0, tzinfo=UTC))
    text = export_ics(session, viewer=people.leo, ref="1.3", now=clock.now())
    defined = zone_as_written(text)
    (moved,) = events(text)
    original, new = (wall_time(moved, name).replace(tzinfo=defined) for name in ("RECURRENCE-ID", "DTSTART"))
    assert original.astimezone(UTC) == datetime(2026, 4, 1, 12, 0, tzinfo=UTC)
    assert new.astimezone(UTC) == datetime(2026, 3, 26, 9, 0, tzinfo=UTC)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("\n,;\\:\""),
               max_size=300))
def test_any_text_survives_escaping_and_folding(value: str) -> None:
    line = fold(f"DESCRIPTION:{ics_text(value)}")
    assert all(len(piece.encode("utf-8")) <= 75 for piece in line.split("\r\n"))
    calendar = f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:u\r\n{line}\r\nEND:VEVENT\r\n" \
               "END:VCALENDAR\r\n"
    parsed = events(calendar)[0]
    assert str(parsed.get("DESCRIPTION", "")) == value.replace("\r\n", "\n").replace("\r", "\n")


def test_the_markdown_record_has_every_part(session: Session, clock: FixedClock, people: People, weekly: Any) -> None:
    from opsctl.services.tasks.steps import done_task

    now = clock.now()
    record_attendance(session, actor=people.leo, now=now, ref="1.2", present=["leo", "wei"], absent=["na"],
                      excused=[])
    save_minutes(session, actor=people.leo, now=now, ref="1.2", text="# Ops weekly\n\n## Handover\nDone | ok\n")
    decide(session, actor=people.leo, now=now, ref="1.2", text="Rotate on-call weekly")
    done = add_action(session, actor=people.leo, now=now, today=TODAY, ref="1.2", title="Book room", owner="wei",
                      due=date(2026, 3, 12))
    add_action(session, actor=people.leo, now=now, today=TODAY, ref="1.2", title="Renew certs", owner="na",
               due=date(2026, 3, 13))
    done_task(session, actor=people.wei, now=now, task_id=done["id"])
    text = export_markdown(session, viewer=people.na, ref="1.2", now=now)
    assert text.startswith("# Ops weekly; review, plan — Wed 2026-03-11 14:00–15:00 (Asia/Shanghai)\n")
    for part in ("## Agenda\n\n1. Handover\n2. Certificates", "| 李娜 | na | invited | absent |",
                 "| Hana HR | hana | invited | not recorded |",
                 "## Minutes\n\n### Ops weekly\n\n#### Handover\nDone | ok", "## Decisions\n\n1. Rotate on-call weekly",
                 f"| #{done['id']} | Book room | 张伟 (wei) | 2026-03-12 | done |",
                 "| Renew certs | 李娜 (na) | 2026-03-13 | todo, 5 days overdue |"):
        assert part in text
    series = export_markdown(session, viewer=people.na, ref="1", now=now)
    assert series.startswith("# Ops weekly; review, plan\n")
    assert "## Ops weekly; review, plan — Wed 2026-03-11" in series
    assert "Wed 2026-03-04" not in series  # nothing was recorded for 1.1


def test_only_people_who_may_read_the_meeting_export_it(
    session: Session, clock: FixedClock, people: People, weekly: Any
) -> None:
    from opsctl.errors import NotAllowed

    with pytest.raises(NotAllowed):
        export_ics(session, viewer=people.sam, ref="1", now=datetime(2026, 3, 18, tzinfo=UTC))
