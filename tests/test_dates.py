"""Tests for opsctl.dates: every accepted form, every error, and properties."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from typing import ParamSpec
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opsctl.dates import (
    DATE_FORMS,
    Period,
    daterange,
    format_weekdays,
    local_instant,
    month_of,
    parse_cycle,
    parse_date,
    parse_datetime_local,
    parse_duration_hours,
    parse_month,
    parse_quarter,
    parse_time,
    parse_time_range,
    parse_weekdays,
    parse_year,
    quarter_of,
    week_bounds,
    year_of,
)
from opsctl.errors import InvalidInput

MON = date(2026, 3, 16)  # a Monday
SAT = date(2026, 3, 21)

# Dates far enough from the ends of the calendar for every relative form to stay in range.
dates = st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31))


P = ParamSpec("P")


def error_of(fn: Callable[P, object], *args: P.args, **kwargs: P.kwargs) -> str:
    with pytest.raises(InvalidInput) as info:
        fn(*args, **kwargs)
    return str(info.value)


# --- parse_date -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-02-28", date(2026, 2, 28)),
        ("2024-02-29", date(2024, 2, 29)),
        ("  2026-03-01 ", date(2026, 3, 1)),
        ("today", MON),
        ("TODAY", MON),
        ("yesterday", date(2026, 3, 15)),
        ("tomorrow", date(2026, 3, 17)),
        ("monday", date(2026, 3, 23)),
        ("Mon", date(2026, 3, 23)),
        ("tue", date(2026, 3, 17)),
        ("Wednesday", date(2026, 3, 18)),
        ("fri", date(2026, 3, 20)),
        ("sunday", date(2026, 3, 22)),
        ("+3d", date(2026, 3, 19)),
        ("-3d", date(2026, 3, 13)),
        ("+0d", MON),
        ("-2w", date(2026, 3, 2)),
        ("+1w", date(2026, 3, 23)),
        ("+1m", date(2026, 4, 16)),
        ("-1m", date(2026, 2, 16)),
        ("+1y", date(2027, 3, 16)),
        ("-1Y", date(2025, 3, 16)),
        ("som", date(2026, 3, 1)),
        ("eom", date(2026, 3, 31)),
        ("sow", MON),
        ("eow", date(2026, 3, 22)),
    ],
)
def test_parse_date_forms(text: str, expected: date) -> None:
    assert parse_date(text, today=MON) == expected


def test_relative_months_clamp_to_month_end() -> None:
    assert parse_date("+1m", today=date(2026, 1, 31)) == date(2026, 2, 28)
    assert parse_date("+1m", today=date(2024, 1, 31)) == date(2024, 2, 29)
    assert parse_date("-1y", today=date(2024, 2, 29)) == date(2023, 2, 28)


def test_eom_in_february() -> None:
    assert parse_date("eom", today=date(2024, 2, 3)) == date(2024, 2, 29)
    assert parse_date("eom", today=date(2026, 2, 3)) == date(2026, 2, 28)


def test_week_start_is_configurable() -> None:
    assert parse_date("sow", today=SAT) == MON
    assert parse_date("eow", today=SAT) == date(2026, 3, 22)
    assert parse_date("sow", today=SAT, week_start=6) == date(2026, 3, 15)
    assert parse_date("eow", today=SAT, week_start=6) == SAT
    assert parse_date("eow", today=date(2026, 3, 22), week_start=6) == date(2026, 3, 28)
    with pytest.raises(ValueError, match="week_start"):
        parse_date("eow", today=SAT, week_start=7)


def test_same_weekday_means_next_week() -> None:
    assert parse_date("saturday", today=SAT) == SAT + timedelta(days=7)


@pytest.mark.parametrize("text", ["foo", "", "   ", "2026/03/01", "26-03-01", "+3", "3d", "+d"])
def test_parse_date_rejects_with_forms(text: str) -> None:
    message = error_of(parse_date, text, today=MON)
    assert message == f"not a date: {text!r} (use {DATE_FORMS})"


def test_date_forms_lists_every_form() -> None:
    for form in ("YYYY-MM-DD", "today", "yesterday", "tomorrow", "weekday", "+3d", "-2w", "+1m"):
        assert form in DATE_FORMS
    for form in ("som", "eom", "sow", "eow"):
        assert form in DATE_FORMS
    assert error_of(parse_date, "foo", today=MON) == (
        "not a date: 'foo' (use YYYY-MM-DD, today, yesterday, tomorrow, a weekday name, "
        "+3d/-2w/+1m/+1y, som/eom/sow/eow)"
    )


def test_parse_date_names_the_missing_day() -> None:
    message = error_of(parse_date, "2026-02-30", today=MON)
    assert message.startswith("not a date: '2026-02-30'")
    assert "day 30 does not exist in February 2026" in message


def test_parse_date_names_the_missing_month_and_year() -> None:
    assert "month 13 does not exist" in error_of(parse_date, "2026-13-01", today=MON)
    assert "month 0 does not exist" in error_of(parse_date, "2026-00-01", today=MON)
    assert "day 0 does not exist" in error_of(parse_date, "2026-01-00", today=MON)
    assert "year 0 is out of range" in error_of(parse_date, "0000-01-01", today=MON)


def test_parse_date_out_of_range() -> None:
    message = error_of(parse_date, "+1y", today=date(9999, 6, 1))
    assert message == "not a date: '+1y' (out of the supported range)"
    assert "out of the supported range" in error_of(parse_date, "-999999d", today=MON)
    assert "out of the supported range" in error_of(parse_date, "tomorrow", today=date.max)


def test_parse_date_rejects_non_ascii_digits() -> None:
    with pytest.raises(InvalidInput):
        parse_date("２０２６-01-01", today=MON)


@given(dates, st.integers(min_value=0, max_value=3650))
def test_plus_days_property(d: date, n: int) -> None:
    assert parse_date(f"+{n}d", today=d) == d + timedelta(days=n)
    assert parse_date(f"-{n}d", today=d) == d - timedelta(days=n)
    assert parse_date(f"+{n}w", today=d) == d + timedelta(weeks=n)


@given(st.dates(min_value=date(1000, 1, 1)), dates)
def test_iso_round_trip(d: date, today: date) -> None:
    assert parse_date(d.isoformat(), today=today) == d


@given(
    dates,
    st.sampled_from(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]),
    st.booleans(),
)
def test_weekday_names_land_one_to_seven_days_ahead(d: date, name: str, short: bool) -> None:
    result = parse_date(name[:3] if short else name.upper(), today=d)
    assert 1 <= (result - d).days <= 7
    assert result.strftime("%A").lower() == name


@given(dates)
def test_eom_is_last_day_and_som_first(d: date) -> None:
    eom = parse_date("eom", today=d)
    assert eom.month == d.month and (eom + timedelta(days=1)).day == 1
    assert parse_date("som", today=d) == d.replace(day=1)


@given(dates, st.integers(min_value=0, max_value=6))
def test_week_bounds_property(d: date, week_start: int) -> None:
    sow = parse_date("sow", today=d, week_start=week_start)
    eow = parse_date("eow", today=d, week_start=week_start)
    assert sow <= d <= eow and (eow - sow).days == 6
    assert sow.weekday() == week_start
    assert week_bounds(d, week_start) == (sow, eow)


# --- periods ----------------------------------------------------------------


def test_parse_month() -> None:
    march = parse_month("2026-03", today=MON)
    assert march == Period(date(2026, 3, 1), date(2026, 3, 31), "2026-03", "month")
    assert parse_month("this", today=MON) == march
    assert parse_month("last", today=MON).label == "2026-02"
    assert parse_month("next", today=MON).label == "2026-04"
    assert parse_month("Last", today=date(2026, 1, 5)).label == "2025-12"
    assert parse_month("next", today=date(2026, 12, 5)).label == "2027-01"


@pytest.mark.parametrize("text", ["2026-13", "2026-00", "2026-3", "2026", "march", "", "0000-01"])
def test_parse_month_errors(text: str) -> None:
    message = error_of(parse_month, text, today=MON)
    assert message.startswith(f"not a month: {text!r} (use YYYY-MM")


def test_parse_month_error_text() -> None:
    assert error_of(parse_month, "2026-13", today=MON) == (
        "not a month: '2026-13' (use YYYY-MM, this, last, next)"
    )
    assert "not a month: None" in error_of(parse_month, None, today=MON)  # type: ignore[arg-type]


def test_period_words_out_of_range() -> None:
    message = error_of(parse_month, "next", today=date(9999, 12, 5))
    assert message == "not a month: 'next' (out of the supported range)"
    assert "out of the supported range" in error_of(parse_year, "last", today=date(1, 5, 5))


@pytest.mark.parametrize("text", ["2026Q1", "2026-Q1", "2026q1", "2026-q1", " 2026Q1 "])
def test_parse_quarter_forms(text: str) -> None:
    q = parse_quarter(text, today=MON)
    assert q == Period(date(2026, 1, 1), date(2026, 3, 31), "2026Q1", "quarter")


def test_parse_quarter_words_and_ends() -> None:
    assert parse_quarter("2026Q4", today=MON).end == date(2026, 12, 31)
    assert parse_quarter("this", today=MON).label == "2026Q1"
    assert parse_quarter("last", today=MON).label == "2025Q4"
    assert parse_quarter("next", today=MON).label == "2026Q2"


@pytest.mark.parametrize("text", ["2026Q0", "2026Q5", "2026Q", "Q1", "2026 Q1", "0000Q1", "x"])
def test_parse_quarter_errors(text: str) -> None:
    assert error_of(parse_quarter, text, today=MON) == (
        f"not a quarter: {text!r} (use YYYYQn or YYYY-Qn with n 1-4, this, last, next)"
    )


def test_parse_year() -> None:
    assert parse_year("2026", today=MON) == Period(
        date(2026, 1, 1), date(2026, 12, 31), "2026", "year"
    )
    assert parse_year("last", today=MON).label == "2025"
    assert parse_year("this", today=MON).label == "2026"
    assert parse_year("next", today=MON).label == "2027"


@pytest.mark.parametrize("text", ["26", "20266", "0000", "two", "", "2026-"])
def test_parse_year_errors(text: str) -> None:
    assert error_of(parse_year, text, today=MON) == (
        f"not a year: {text!r} (use YYYY, this, last, next)"
    )


@pytest.mark.parametrize(
    ("text", "label", "kind"),
    [
        ("2026-03", "2026-03", "month"),
        ("2026q2", "2026Q2", "quarter"),
        ("2026-Q3", "2026Q3", "quarter"),
        ("2026", "2026", "year"),
    ],
)
def test_parse_cycle(text: str, label: str, kind: str) -> None:
    p = parse_cycle(text, today=MON)
    assert (p.label, p.kind) == (label, kind)


@pytest.mark.parametrize("text", ["2026-13", "2026Q5", "this", "x", "", "2026-03-01"])
def test_parse_cycle_errors(text: str) -> None:
    assert error_of(parse_cycle, text, today=MON) == (
        f"not a cycle: {text!r} (use YYYY-MM, YYYYQn or YYYY)"
    )


def test_period_helpers_and_members() -> None:
    assert month_of(MON).label == "2026-03"
    assert quarter_of(MON).label == "2026Q1"
    assert year_of(MON).label == "2026"
    q = quarter_of(date(2026, 8, 9))
    assert (q.start, q.end, q.label) == (date(2026, 7, 1), date(2026, 9, 30), "2026Q3")
    assert date(2026, 9, 30) in q and date(2026, 10, 1) not in q
    assert datetime(2026, 7, 1, 12, 0) in q
    assert "2026-07-01" not in q
    assert [m.label for m in q.months] == ["2026-07", "2026-08", "2026-09"]
    assert q.quarters == [q]
    assert month_of(MON).quarters == []
    assert month_of(MON).months == [month_of(MON)]
    y = year_of(MON)
    assert [x.label for x in y.quarters] == ["2026Q1", "2026Q2", "2026Q3", "2026Q4"]
    assert len(y.months) == 12 and len(list(y.days())) == 365
    assert year_of(date(9999, 1, 1)).months[-1].end == date(9999, 12, 31)


def test_period_ordering_and_shift() -> None:
    months = [parse_month(m, today=MON) for m in ("2026-03", "2025-12", "2026-01")]
    assert [m.label for m in sorted(months)] == ["2025-12", "2026-01", "2026-03"]
    assert month_of(MON).shift(-3).label == "2025-12"
    assert quarter_of(MON).shift(5).label == "2027Q2"
    assert year_of(MON).shift(-1).label == "2025"


@given(dates)
def test_month_period_property(d: date) -> None:
    m = month_of(d)
    days = list(m.days())
    assert d in m and days[0] == m.start and days[-1] == m.end
    assert days == [m.start + timedelta(days=i) for i in range(len(days))]
    assert m.start.day == 1 and (m.end + timedelta(days=1)).day == 1
    assert parse_month(m.label, today=d) == m
    assert parse_cycle(m.label, today=d) == m


@given(st.integers(min_value=1, max_value=9999))
def test_months_cover_year_exactly_once(year: int) -> None:
    y = parse_year(f"{year:04d}", today=MON)
    covered = [day for m in y.months for day in m.days()]
    assert covered == list(y.days())
    assert len(covered) == len(set(covered)) == (y.end - y.start).days + 1


@given(dates)
def test_quarter_property(d: date) -> None:
    q = quarter_of(d)
    assert d in q
    assert len(q.months) == 3
    assert [day for m in q.months for day in m.days()] == list(q.days())
    assert all(m.start in q and m.end in q for m in q.months)
    assert parse_quarter(q.label, today=d) == q == parse_cycle(q.label, today=d)
    y = year_of(d)
    assert q in y.quarters and parse_year(y.label, today=d) == y


# --- times ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("09:30", time(9, 30)),
        ("9:30", time(9, 30)),
        ("00:00", time(0, 0)),
        ("23:59", time(23, 59)),
        (" 12:00 ", time(12, 0)),
    ],
)
def test_parse_time(text: str, expected: time) -> None:
    assert parse_time(text) == expected


@pytest.mark.parametrize("text", ["25:00", "24:00", "12:60", "1200", "12:5", "noon", "", "123:00"])
def test_parse_time_errors(text: str) -> None:
    assert error_of(parse_time, text) == f"not a time: {text!r} (use HH:MM, 00:00–23:59)"


def test_parse_time_error_text() -> None:
    assert error_of(parse_time, "25:00") == "not a time: '25:00' (use HH:MM, 00:00–23:59)"


@given(st.times())
def test_parse_time_round_trip(t: time) -> None:
    assert parse_time(t.strftime("%H:%M")) == t.replace(second=0, microsecond=0)


def test_parse_time_range() -> None:
    assert parse_time_range("12:00-13:00") == (time(12), time(13))
    assert parse_time_range("9:00 - 17:30") == (time(9), time(17, 30))


@pytest.mark.parametrize(
    "text", ["12:00", "12:00-", "12:00-25:00", "a-b", "9-10", "1:00-2:00-3:00"]
)
def test_parse_time_range_errors(text: str) -> None:
    assert error_of(parse_time_range, text) == (
        f"not a time range: {text!r} (use HH:MM-HH:MM, 00:00–23:59)"
    )


@pytest.mark.parametrize("text", ["13:00-12:00", "12:00-12:00"])
def test_parse_time_range_end_after_start(text: str) -> None:
    assert error_of(parse_time_range, text) == (
        f"not a time range: {text!r} (the end must be after the start)"
    )


# --- weekdays ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected", "formatted"),
    [
        ("mon-fri", {0, 1, 2, 3, 4}, "mon-fri"),
        ("mon,wed,fri", {0, 2, 4}, "mon,wed,fri"),
        ("sat-sun", {5, 6}, "sat,sun"),
        ("mon-sun", set(range(7)), "mon-sun"),
        ("fri-mon", {4, 5, 6, 0}, "fri-mon"),
        ("Monday, Tuesday", {0, 1}, "mon,tue"),
        ("MON - WED, fri", {0, 1, 2, 4}, "mon-wed,fri"),
        ("sun", {6}, "sun"),
        ("tue-tue", {1}, "tue"),
        ("sat-mon", {5, 6, 0}, "sat-mon"),
        ("mon,sun", {0, 6}, "mon,sun"),
    ],
)
def test_weekdays_forms(text: str, expected: set[int], formatted: str) -> None:
    days = parse_weekdays(text)
    assert days == frozenset(expected)
    assert format_weekdays(days) == formatted


@pytest.mark.parametrize("text", ["", "funday", "mon-", "mon-tue-wed", "mon,,fri", "1-5", "mo"])
def test_weekdays_errors(text: str) -> None:
    message = error_of(parse_weekdays, text)
    assert message.startswith(f"not a list of weekdays: {text!r} (use ")
    assert "mon-fri" in message and "mon,wed,fri" in message


@pytest.mark.parametrize("days", [frozenset(), frozenset({7}), frozenset({-1, 2})])
def test_format_weekdays_rejects_bad_sets(days: frozenset[int]) -> None:
    with pytest.raises(ValueError):
        format_weekdays(days)


@given(st.frozensets(st.integers(min_value=0, max_value=6), min_size=1))
def test_weekdays_round_trip(days: frozenset[int]) -> None:
    text = format_weekdays(days)
    assert parse_weekdays(text) == days
    assert len(text) <= len(",".join(["mon"] * len(days)))


# --- durations ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "hours"),
    [
        ("4h", 4.0),
        ("30m", 0.5),
        ("1.5h", 1.5),
        ("2d", 16.0),
        ("3", 3.0),
        ("2.25", 2.25),
        (".5h", 0.5),
        ("1h30m", 1.5),
        ("1d 4h", 12.0),
        ("4 H", 4.0),
        ("0h", 0.0),
    ],
)
def test_parse_duration_hours(text: str, hours: float) -> None:
    assert parse_duration_hours(text) == pytest.approx(hours)


@pytest.mark.parametrize("text", ["", "h", "-1h", "4x", "1h2", "1..5h", "four", "nan", "inf"])
def test_parse_duration_errors(text: str) -> None:
    assert error_of(parse_duration_hours, text) == (
        f"not a duration: {text!r} (use 4h, 30m, 1.5h, 2d (a day is 8h) or a number of hours)"
    )


@given(st.integers(min_value=0, max_value=10_000))
def test_duration_units_agree(n: int) -> None:
    assert parse_duration_hours(f"{n}d") == parse_duration_hours(f"{n * 8}h") == n * 8
    assert parse_duration_hours(f"{n * 60}m") == pytest.approx(n)


# --- date-times and ranges ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03-16 09:30", datetime(2026, 3, 16, 9, 30)),
        ("2026-03-16T09:30", datetime(2026, 3, 16, 9, 30)),
        ("2026-03-16 9:30:15", datetime(2026, 3, 16, 9, 30, 15)),
        ("2026-03-16t23:59:59", datetime(2026, 3, 16, 23, 59, 59)),
    ],
)
def test_parse_datetime_local(text: str, expected: datetime) -> None:
    result = parse_datetime_local(text)
    assert result == expected and result.tzinfo is None


@pytest.mark.parametrize(
    "text",
    [
        "2026-03-16",
        "09:30",
        "2026-03-16 24:00",
        "2026-03-16 09:60",
        "2026-03-16 09:30:60",
        "2026-03-16  09:30",
        "2026-03-16 09:30+01:00",
        "",
        "tomorrow 9:00",
    ],
)
def test_parse_datetime_local_errors(text: str) -> None:
    assert error_of(parse_datetime_local, text) == (
        f"not a date and time: {text!r} "
        "(use YYYY-MM-DD HH:MM, optionally with :SS or a T separator)"
    )


def test_parse_datetime_local_names_the_missing_day() -> None:
    message = error_of(parse_datetime_local, "2026-02-30 09:00")
    assert message.startswith("not a date and time: '2026-02-30 09:00'")
    assert "day 30 does not exist in February 2026" in message


@given(st.datetimes(min_value=datetime(1000, 1, 1)))
def test_datetime_round_trip(dt: datetime) -> None:
    dt = dt.replace(microsecond=0)
    assert parse_datetime_local(dt.isoformat()) == dt
    assert parse_datetime_local(dt.strftime("%Y-%m-%d %H:%M")) == dt.replace(second=0)


def test_local_instant_refuses_a_time_the_clocks_skip() -> None:
    new_york, lord_howe = ZoneInfo("America/New_York"), ZoneInfo("Australia/Lord_Howe")
    assert local_instant(datetime(2026, 3, 8, 1, 59), new_york) == datetime(2026, 3, 8, 6, 59, tzinfo=UTC)
    assert local_instant(datetime(2026, 3, 8, 3, 0), new_york) == datetime(2026, 3, 8, 7, 0, tzinfo=UTC)
    assert error_of(local_instant, datetime(2026, 3, 8, 2, 30), new_york) == (
        "2026-03-08 02:30 does not exist in America/New_York (the clocks go forward an hour that night); "
        "give a time before or after the skipped hour")
    assert "forward by 30 minutes" in error_of(local_instant, datetime(2026, 10, 4, 2, 10), lord_howe)


def test_local_instant_of_a_time_shown_twice_is_the_first_unless_asked() -> None:
    new_york = ZoneInfo("America/New_York")
    twice = datetime(2026, 11, 1, 1, 20)
    assert local_instant(twice, new_york) == datetime(2026, 11, 1, 5, 20, tzinfo=UTC)
    assert local_instant(twice, new_york, fold=1) == datetime(2026, 11, 1, 6, 20, tzinfo=UTC)
    once = datetime(2026, 7, 1, 1, 20)
    assert local_instant(once, new_york, fold=1) == local_instant(once, new_york)


@given(st.datetimes(min_value=datetime(1971, 1, 1), max_value=datetime(2100, 1, 1)))
def test_local_instant_round_trips_or_refuses(dt: datetime) -> None:
    new_york = ZoneInfo("America/New_York")
    try:
        instant = local_instant(dt, new_york)
    except InvalidInput:
        assert dt.replace(tzinfo=new_york).astimezone(UTC).astimezone(new_york).replace(tzinfo=None) != dt
    else:
        assert instant.astimezone(new_york).replace(tzinfo=None) == dt


def test_daterange() -> None:
    assert list(daterange(date(2026, 2, 27), date(2026, 3, 2))) == [
        date(2026, 2, 27),
        date(2026, 2, 28),
        date(2026, 3, 1),
        date(2026, 3, 2),
    ]
    assert list(daterange(MON, MON)) == [MON]
    assert list(daterange(MON, MON - timedelta(days=1))) == []


@given(dates, st.integers(min_value=0, max_value=400))
def test_daterange_property(start: date, n: int) -> None:
    days = list(daterange(start, start + timedelta(days=n)))
    assert len(days) == n + 1 and days[0] == start
    assert all((b - a).days == 1 for a, b in pairwise(days))
