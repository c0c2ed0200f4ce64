"""The periods a report covers, the deadlines from the settings, and the report's Markdown sections."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session

from opsctl.clock import FixedClock
from opsctl.errors import InvalidInput
from opsctl.services.attendance.calendar import add_calendar_day
from opsctl.services.config import set_setting
from opsctl.services.workreports.drafts import Sections, parse_sections, problem_items, sections_markdown
from opsctl.services.workreports.periods import ReportRules, day_period, deadlines, parse_week, week_period
from tests.conftest import People

TODAY = date(2026, 3, 18)  # a Wednesday, in week 2026-W12
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize(("text", "start"), [
    ("2026-W11", date(2026, 3, 9)), ("2026w12", date(2026, 3, 16)), ("last", date(2026, 3, 9)),
    ("this", date(2026, 3, 16)), ("2026-03-12", date(2026, 3, 9)), ("-1w", date(2026, 3, 9)),
    (None, date(2026, 3, 16)),
])
def test_a_week_is_named_by_iso_week_word_or_any_day_of_it(text: str | None, start: date) -> None:
    week = parse_week(text, today=TODAY)
    assert (week.start, week.end - week.start) == (start, date(2026, 1, 7) - date(2026, 1, 1))


def test_a_sunday_week_keeps_the_label_of_its_monday() -> None:
    week = parse_week("2026-W12", today=TODAY, week_start=6)
    assert (week.start, week.end, week.label) == (date(2026, 3, 15), date(2026, 3, 21), "2026-W12")


@pytest.mark.parametrize("text", ["2026-W54", "week 12", "soon"])
def test_a_week_that_is_none_is_refused_with_the_forms(text: str) -> None:
    with pytest.raises(InvalidInput, match=r"^not a week: .*2026-W12"):
        parse_week(text, today=TODAY)


def test_a_week_report_is_due_on_monday_10_00_after_the_week_and_the_setting_moves_it(
        session: Session, people: People) -> None:
    week = week_period(date(2026, 3, 11))
    rules = ReportRules.load(session)
    assert rules.week_due(week) == datetime(2026, 3, 16, 10, 0, tzinfo=SHANGHAI)
    set_setting(session, actor=people.ada, key="report.week_deadline", value="Friday 18:00")
    assert ReportRules.load(session).week_due(week) == datetime(2026, 3, 20, 18, 0, tzinfo=SHANGHAI)


def test_a_day_report_is_due_at_10_00_of_the_persons_next_workday(
        session: Session, people: People, clock: FixedClock) -> None:
    add_calendar_day(session, actor=people.ada, now=clock.now(), day=date(2026, 3, 23), kind="holiday", name="Test")
    friday, monday = day_period(date(2026, 3, 20)), day_period(date(2026, 3, 16))
    due = deadlines(session, ReportRules.load(session), [people.wei], [friday, monday])
    assert due[(people.wei.id or 0, friday)] == datetime(2026, 3, 24, 10, 0, tzinfo=SHANGHAI)  # Mon is a holiday
    assert due[(people.wei.id or 0, monday)] == datetime(2026, 3, 17, 10, 0, tzinfo=SHANGHAI)


@pytest.mark.parametrize(("key", "value"), [("report.kinds", "monthly"), ("report.roles", "boss"),
                                            ("report.week_deadline", "10:00"), ("report.day_deadline", "25:00")])
def test_report_settings_refuse_what_they_cannot_mean(session: Session, people: People, key: str, value: str) -> None:
    with pytest.raises(InvalidInput):
        set_setting(session, actor=people.ada, key=key, value=value)


def test_the_sections_are_read_under_their_headings_without_title_or_comments() -> None:
    text = ("# Week report\n<!-- a hint\n## Done -->\n## Done\n- shipped it\n\n## Planned next ##\n- more\n"
            "## Problems and help needed\n- the VPN\n  drops daily\n2. disk full\n")
    sections = parse_sections(text)
    assert sections == Sections("- shipped it", "- more", "- the VPN\n  drops daily\n2. disk full")
    assert problem_items(sections.problems) == ["the VPN drops daily", "disk full"]
    assert parse_sections(sections_markdown(sections)) == sections


def test_an_unknown_or_missing_section_is_refused_by_name() -> None:
    with pytest.raises(InvalidInput, match="unknown section 'Risks'; a report has the sections '## Done'"):
        parse_sections("## Done\nx\n## Risks\ny\n")
    with pytest.raises(InvalidInput, match="needs at least one of the sections"):
        parse_sections("just some words")


def test_problems_without_bullets_are_one_problem() -> None:
    assert problem_items("The build server\nis slow.") == ["The build server is slow."]
    assert problem_items("") == []
