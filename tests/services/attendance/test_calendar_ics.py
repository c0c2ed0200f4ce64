"""Reading holiday calendars as calendar programs and public feeds publish them (.ics)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from opsctl.errors import InvalidInput
from opsctl.services.attendance.calendar_ics import read_ics

SH = ZoneInfo("Asia/Shanghai")
TODAY = date(2026, 3, 18)


def feed(*events: str, newline: str = "\r\n") -> str:
    body = "".join(f"BEGIN:VEVENT{newline}{e.strip().replace(chr(10), newline)}{newline}END:VEVENT{newline}"
                   for e in events)
    return f"BEGIN:VCALENDAR{newline}VERSION:2.0{newline}PRODID:-//test//EN{newline}{body}END:VCALENDAR{newline}"


def days(tmp_path: Path, text: str, **options: object) -> dict[str, tuple[str, str]]:
    """date → (kind, name) of what the file gives; a problem fails the test."""
    path = tmp_path / "feed.ics"
    path.write_text(text, encoding="utf-8", newline="")
    entries, problems = read_ics(path, tz=SH, today=TODAY, **options)  # type: ignore[arg-type]
    assert problems == []
    return {day.isoformat(): (kind, name) for _line, day, kind, name in entries}


def problems_of(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "bad.ics"
    path.write_text(text, encoding="utf-8", newline="")
    return read_ics(path, tz=SH, today=TODAY)[1]


def test_all_day_events_cover_their_dates_up_to_the_exclusive_end(tmp_path: Path) -> None:
    got = days(tmp_path, feed(
        "UID:a\nDTSTART;VALUE=DATE:20261001\nDTEND;VALUE=DATE:20261004\nSUMMARY:National Day / 国庆节",
        "UID:b\nDTSTART;VALUE=DATE:20260619\nSUMMARY:Dragon Boat Festival",  # no end: one day
        "UID:c\nDTSTART;VALUE=DATE:20260405\nDTEND;VALUE=DATE:20260405\nSUMMARY:Qingming",  # end = start: one day
        "UID:d\nDTSTART;VALUE=DATE:20260215\nDURATION:P2D\nSUMMARY:Spring Festival 调休",
    ))
    national = ("holiday", "National Day / 国庆节")
    assert got == {"2026-10-01": national, "2026-10-02": national, "2026-10-03": national,
                   "2026-06-19": ("holiday", "Dragon Boat Festival"), "2026-04-05": ("holiday", "Qingming"),
                   "2026-02-15": ("off", "Spring Festival 调休"), "2026-02-16": ("off", "Spring Festival 调休")}


def test_an_open_yearly_holiday_repeats_this_year_and_next_or_the_years_asked(tmp_path: Path) -> None:
    labour = feed("UID:may1\nDTSTART;VALUE=DATE:20200501\nDTEND;VALUE=DATE:20200502\nRRULE:FREQ=YEARLY\n"
                  "SUMMARY:Labour Day")
    assert sorted(days(tmp_path, labour)) == ["2026-05-01", "2027-05-01"]
    assert sorted(days(tmp_path, labour, years={2024, 2030})) == ["2024-05-01", "2030-05-01"]
    bounded = feed("UID:x\nDTSTART;VALUE=DATE:20260101\nRRULE:FREQ=YEARLY;COUNT=4\nSUMMARY:New Year",
                   "UID:y\nDTSTART;VALUE=DATE:20261225\nRRULE:FREQ=YEARLY;UNTIL=20291225\nSUMMARY:Christmas",
                   "UID:z\nDTSTART;VALUE=DATE:20260525\nRRULE:FREQ=YEARLY;BYMONTH=5;BYDAY=-1MO;COUNT=3\n"
                   "SUMMARY:Memorial Day")
    assert sorted(days(tmp_path, bounded)) == [  # UNTIL/COUNT: every date, whatever this year is
        "2026-01-01", "2026-05-25", "2026-12-25", "2027-01-01", "2027-05-31", "2027-12-25", "2028-01-01",
        "2028-05-29", "2028-12-25", "2029-01-01", "2029-12-25"]
    assert sorted(days(tmp_path, bounded, years={2028})) == ["2028-01-01", "2028-05-29", "2028-12-25"]


def test_exdate_rdate_and_a_moved_or_cancelled_occurrence(tmp_path: Path) -> None:
    got = days(tmp_path, feed(
        "UID:s\nDTSTART;VALUE=DATE:20260601\nRRULE:FREQ=YEARLY;COUNT=5\nEXDATE;VALUE=DATE:20280601\n"
        "RDATE;VALUE=DATE:20261201\nSUMMARY:Children's Day off\nCATEGORIES:off",
        "UID:s\nRECURRENCE-ID;VALUE=DATE:20270601\nDTSTART;VALUE=DATE:20270602\nSUMMARY:Children's Day (moved)\n"
        "CATEGORIES:off",
        "UID:s\nRECURRENCE-ID;VALUE=DATE:20290601\nDTSTART;VALUE=DATE:20290601\nSTATUS:CANCELLED\nSUMMARY:x",
        "UID:gone\nDTSTART;VALUE=DATE:20260701\nSTATUS:CANCELLED\nSUMMARY:Called off",
    ))
    assert {d: k for d, (k, _) in got.items()} == {"2026-06-01": "off", "2026-12-01": "off", "2027-06-02": "off",
                                                  "2030-06-01": "off"}
    assert got["2027-06-02"][1] == "Children's Day (moved)"


def test_timed_events_cover_the_dates_they_touch_in_their_own_zone(tmp_path: Path) -> None:
    got = days(tmp_path, feed(
        # Outlook's all-day event: midnight to midnight in its zone, the 4th of July wherever it is read
        "UID:a\nDTSTART;TZID=America/New_York:20260704T000000\nDTEND;TZID=America/New_York:20260705T000000\n"
        "SUMMARY:Independence Day",
        # in UTC: read in the team timezone (16:00Z is midnight in Shanghai)
        "UID:b\nDTSTART:20260430T160000Z\nDTEND:20260501T160000Z\nSUMMARY:Labour Day",
        "UID:c\nDTSTART:20260910T090000\nDTEND:20260911T120000\nSUMMARY:Offsite day off",  # floating: as written
    ))
    assert got == {"2026-07-04": ("holiday", "Independence Day"), "2026-05-01": ("holiday", "Labour Day"),
                   "2026-09-10": ("off", "Offsite day off"), "2026-09-11": ("off", "Offsite day off")}


def test_the_kind_comes_from_kind_categories_or_the_summary(tmp_path: Path) -> None:
    text = feed("UID:1\nDTSTART;VALUE=DATE:20260214\nSUMMARY:春节 补班",
                "UID:2\nDTSTART;VALUE=DATE:20260220\nSUMMARY:春节\nCATEGORIES:Public holidays,off",
                "UID:3\nDTSTART;VALUE=DATE:20260221\nSUMMARY:Spring Festival\nX-OPSCTL-KIND:off",
                "UID:4\nDTSTART;VALUE=DATE:20260216\nSUMMARY:Spring Festival")
    assert {d: k for d, (k, _) in days(tmp_path, text).items()} == {
        "2026-02-14": "workday", "2026-02-20": "off", "2026-02-21": "off", "2026-02-16": "holiday"}
    assert {k for k, _ in days(tmp_path, text, kind="off").values()} == {"off"}


def test_folded_lines_lf_ends_and_a_byte_order_mark_are_read(tmp_path: Path) -> None:
    text = "\ufeff" + feed("UID:1\nDTSTART;VALUE=DATE:20260501\nSUMMARY:Labour Day / \n 劳动节 (a folded\n\t name)",
                           newline="\n")
    assert days(tmp_path, text) == {"2026-05-01": ("holiday", "Labour Day / 劳动节 (a folded name)")}


def test_the_same_day_twice_is_one_entry_unless_the_kinds_disagree(tmp_path: Path) -> None:
    agree = feed("UID:1\nDTSTART;VALUE=DATE:20260101\nRRULE:FREQ=YEARLY\nSUMMARY:New Year",
                 "UID:2\nDTSTART;VALUE=DATE:20260101\nDTEND;VALUE=DATE:20260103\nSUMMARY:New Year holiday")
    assert days(tmp_path, agree)["2026-01-01"] == ("holiday", "New Year")
    clash = feed("UID:1\nDTSTART;VALUE=DATE:20260101\nSUMMARY:New Year",
                 "UID:2\nDTSTART;VALUE=DATE:20260101\nSUMMARY:New Year make-up workday")
    assert problems_of(tmp_path, clash) == ["line 9: 2026-01-01 is a workday here but a holiday on line 4"]


@pytest.mark.parametrize(("event", "problem"), [
    ("UID:1\nSUMMARY:No date", "line 4: DTSTART: missing"),
    ("UID:1\nDTSTART;VALUE=DATE:20261301\nSUMMARY:Bad", "line 6: DTSTART: "),
    ("UID:1\nDTSTART;VALUE=DATE:20260101\nRRULE:FREQ=SOMETIMES\nSUMMARY:Bad", "line 7: RRULE: "),
    ("UID:1\nDTSTART;VALUE=DATE:20260105\nDTEND;VALUE=DATE:20260101\nSUMMARY:Bad", "line 7: DTEND: the event ends"),
    ("UID:1\nDTSTART;VALUE=DATE:20260101\nDTEND;VALUE=DATE:20260601\nSUMMARY:Bad",
     "line 7: DTEND: the event lasts 151 days"),
    ("UID:1\nDTSTART;VALUE=DATE:20260101\nRRULE:FREQ=DAILY;COUNT=5000\nSUMMARY:Bad",
     "line 7: RRULE: the event repeats more than 1000"),
    ("UID:1\nDTSTART;VALUE=DATE:20260101\nthis is no property\nSUMMARY:Bad", "line 7: not an iCalendar line"),
    ("UID:1\nDTSTART;VALUE=DATE:20260101\nEND:VTODO", "line 7: END:VTODO closes BEGIN:VEVENT of line 4"),
])
def test_a_broken_event_is_named_by_its_line(tmp_path: Path, event: str, problem: str) -> None:
    found = problems_of(tmp_path, feed(event))
    assert len(found) == 1 and found[0].startswith(problem), found


def test_a_file_cut_short_or_not_icalendar_is_refused(tmp_path: Path) -> None:
    cut = feed("UID:1\nDTSTART;VALUE=DATE:20260101\nSUMMARY:x").split("END:VEVENT")[0]
    assert problems_of(tmp_path, cut) == ["line 1: BEGIN:VCALENDAR is never closed (is the file cut short?)",
                                          "line 4: BEGIN:VEVENT is never closed (is the file cut short?)"]
    (tmp_path / "x.ics").write_text("date,kind,name\n")
    with pytest.raises(InvalidInput, match="not an iCalendar file"):
        read_ics(tmp_path / "x.ics", tz=SH, today=TODAY)
    (tmp_path / "y.ics").write_bytes(b"BEGIN:VCALENDAR\r\n\xff\xfe")
    with pytest.raises(InvalidInput, match="not a UTF-8 text file"):
        read_ics(tmp_path / "y.ics", tz=SH, today=TODAY)


def test_an_open_daily_rule_is_bounded_by_the_years(tmp_path: Path) -> None:
    daily = feed("UID:1\nDTSTART;VALUE=DATE:20260101\nRRULE:FREQ=DAILY\nSUMMARY:Every day")
    assert len(days(tmp_path, daily)) == 365 + 365  # 2026 and 2027, not forever
    assert len(days(tmp_path, daily, years={2028})) == 366
    with pytest.raises(InvalidInput, match="up to 2100"):
        days(tmp_path, daily, years={2200})
