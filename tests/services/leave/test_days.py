"""Counting leave days in halves (DESIGN §4), through the pure functions: spans from what a
user types, workdays from the calendar and the schedule, and what attendance sees of them."""

from __future__ import annotations

import csv
from collections.abc import Mapping
from datetime import date, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opsctl.errors import InvalidInput
from opsctl.services.attendance.rules import STANDARD, DayKind, LeaveCover, ScheduleRule, classify_period, day_kind
from opsctl.services.leave.days import Half, Span, by_year, count_days, make_span, parse_span, split_boundary

SAMPLE = Path(__file__).resolve().parents[3] / "sample_data" / "calendars" / "cn-2026.csv"
with SAMPLE.open(encoding="utf-8") as handle:
    CN_2026 = {date.fromisoformat(row["date"]): row["kind"] for row in csv.DictReader(handle)}
YEAR = [date(2026, 1, 1) + timedelta(days=i) for i in range(365)]


def kinds_for(rule: ScheduleRule = STANDARD, calendar: dict[date, str] = CN_2026) -> dict[date, DayKind]:
    return {d: day_kind(d, rule, calendar) for d in YEAR}


KINDS = kinds_for()


def span(text: str, to: str | None = None) -> Span:
    return parse_span(text, to, parse_day=date.fromisoformat)


def total(s: Span, kinds: Mapping[date, str] = KINDS, *, holidays: bool = False) -> float:
    return sum(count_days(s, kinds, include_holidays=holidays).values())


# -- boundaries as typed -------------------------------------------------------------------------

def test_boundaries_as_design_says() -> None:
    assert span("2026-03-18") == Span(date(2026, 3, 18), "am", date(2026, 3, 18), "pm")  # the whole day
    assert span("2026-03-18:pm") == Span(date(2026, 3, 18), "pm", date(2026, 3, 18), "pm")  # its afternoon
    assert span("2026-03-18:am") == Span(date(2026, 3, 18), "am", date(2026, 3, 18), "am")  # its morning
    assert span("2026-03-18:pm", "2026-03-20:am") == Span(date(2026, 3, 18), "pm", date(2026, 3, 20), "am")
    assert total(span("2026-03-18:pm", "2026-03-20:am")) == 2.0  # Wed afternoon, Thu, Fri morning
    assert total(span("2026-03-18:am", "2026-03-18:pm")) == 1.0
    assert split_boundary("friday:PM") == ("friday", "pm")


def test_the_end_before_the_start_is_refused() -> None:
    with pytest.raises(InvalidInput, match="before --from"):
        span("2026-03-20", "2026-03-19")
    with pytest.raises(InvalidInput, match="before --from"):
        span("2026-03-20:pm", "2026-03-20:am")  # the morning ends before the afternoon starts
    with pytest.raises(InvalidInput, match=":am or :pm"):
        span("2026-03-20:evening")
    with pytest.raises(InvalidInput, match="at most 366"):
        span("2026-01-01", "2027-06-01")


def test_workdays_only_unless_the_type_includes_holidays() -> None:
    labour_day_week = span("2026-04-30", "2026-05-09")  # Thu; 1–2 May holiday, 3–5 off, Sat 9 make-up workday
    assert total(labour_day_week) == 5  # 04-30, 05-06, 05-07, 05-08 and the make-up Saturday 05-09
    assert total(labour_day_week, holidays=True) == 10
    assert total(span("2026-05-01", "2026-05-05")) == 0  # holidays and days off only
    assert total(span("2026-05-09")) == 1  # a Saturday that is a make-up workday counts
    assert total(span("2026-05-16:pm")) == 0  # an ordinary Saturday does not


def test_the_schedule_decides_ordinary_days() -> None:
    weekend_shift = ScheduleRule("Weekend", STANDARD.start, STANDARD.end, days=frozenset({5, 6}))
    kinds = kinds_for(weekend_shift, {})
    assert total(span("2026-03-16", "2026-03-22"), kinds) == 2  # only Saturday and Sunday are workdays


def test_dates_the_person_was_not_employed_count_nothing() -> None:
    kinds = {d: k for d, k in KINDS.items() if d >= date(2026, 3, 18)}  # hired on Wednesday 18 March
    assert total(span("2026-03-16", "2026-03-20"), kinds) == 3


def test_a_request_across_new_year_splits_by_year() -> None:
    kinds = {date(2026, 12, 31): "workday", date(2027, 1, 1): "holiday", date(2027, 1, 4): "workday"}
    counted = count_days(span("2026-12-31:pm", "2027-01-04"), kinds, include_holidays=False)
    assert by_year(counted) == {2026: 0.5, 2027: 1.0}


# -- properties across weekends, holidays and make-up workdays -------------------------------------------

DAYS = st.integers(min_value=0, max_value=364)
HALVES: st.SearchStrategy[Half] = st.sampled_from(["am", "pm"])


@st.composite
def spans(draw: st.DrawFn) -> Span:
    first, length = draw(DAYS), draw(st.integers(min_value=0, max_value=40))
    start, end = YEAR[first], YEAR[min(first + length, 364)]
    start_half, end_half = draw(HALVES), draw(HALVES)
    if start == end and (start_half, end_half) == ("pm", "am"):
        start_half = "am"
    return Span(start, start_half, end, end_half)


@settings(max_examples=300, deadline=None)
@given(s=spans(), holidays=st.booleans())
def test_every_date_counts_nothing_a_half_or_one(s: Span, holidays: bool) -> None:
    counted = count_days(s, KINDS, include_holidays=holidays)
    assert set(counted.values()) <= {0.5, 1.0}
    assert all(s.start <= d <= s.end for d in counted)
    assert holidays or all(KINDS[d] == "workday" for d in counted)
    halves = s.last - s.first + 1  # every half day of the span
    assert total(s, holidays=holidays) <= halves / 2
    if holidays:
        assert total(s, holidays=True) == halves / 2


@settings(max_examples=300, deadline=None)
@given(s=spans(), cut=st.integers(min_value=0, max_value=81))
def test_counting_adds_up_when_a_request_is_cut_in_two(s: Span, cut: int) -> None:
    """Leave from A to B counts as much as leave from A to a half day M plus M's next half to B."""
    middle = s.first + cut % (s.last - s.first + 1)
    if middle == s.last:
        return
    left = Span(s.start, s.start_half, date.fromordinal(middle // 2), "pm" if middle % 2 else "am")
    right = Span(date.fromordinal((middle + 1) // 2), "pm" if (middle + 1) % 2 else "am", s.end, s.end_half)
    assert not left.overlaps(right) and left.last + 1 == right.first
    assert total(left) + total(right) == total(s)


@settings(max_examples=300, deadline=None)
@given(a=spans(), b=spans())
def test_overlap_means_a_shared_half_day(a: Span, b: Span) -> None:
    def halves(s: Span) -> set[tuple[date, str]]:
        return {(d, h) for d, p in s.portions() for h in (("am", "pm") if p == "full" else (p,))}

    assert a.overlaps(b) == bool(halves(a) & halves(b)) == b.overlaps(a)


@settings(max_examples=150, deadline=None)
@given(s=spans())
def test_attendance_counts_as_many_leave_days_as_the_request(s: Span) -> None:
    """What leave counts is what the attendance rules see of it, once approved (rule 5)."""
    covers = {(1, d): LeaveCover(p, "annual") for d, p in s.portions()}
    days = [(d, KINDS[d], STANDARD) for d in YEAR]
    results = classify_period(employee_id=1, days=days, punches={}, covers=covers, today=date(2027, 1, 1),
                              tz=ZoneInfo("Asia/Shanghai"), overtime_min=30)
    assert sum(r.leave_days for r in results) == total(s)
    assert sum(r.present + r.absent + r.leave_days for r in results if r.kind == "workday") == \
        sum(1 for k in KINDS.values() if k == "workday")


def test_make_span_without_an_end_keeps_the_half() -> None:
    assert make_span(date(2026, 3, 18), "pm", None, None).text() == "2026-03-18 pm"
    assert make_span(date(2026, 3, 18), None, None, None).text() == "2026-03-18"
    assert make_span(date(2026, 3, 18), "pm", date(2026, 3, 20), "am").text() == "2026-03-18 pm – 2026-03-20 am"
