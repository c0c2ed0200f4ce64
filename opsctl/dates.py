"""Parsing and formatting of dates, periods, times, weekdays and durations.

No function here reads the clock: anything relative takes ``today`` explicitly.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Literal

from dateutil.relativedelta import relativedelta

from opsctl.errors import InvalidInput

PeriodKind = Literal["month", "quarter", "year"]

DATE_FORMS = (
    "YYYY-MM-DD, today, yesterday, tomorrow, a weekday name, +3d/-2w/+1m/+1y, som/eom/sow/eow"
)
MONTH_FORMS = "YYYY-MM, this, last, next"
QUARTER_FORMS = "YYYYQn or YYYY-Qn with n 1-4, this, last, next"
YEAR_FORMS = "YYYY, this, last, next"
CYCLE_FORMS = "YYYY-MM, YYYYQn or YYYY"
TIME_FORMS = "HH:MM, 00:00–23:59"
WEEKDAY_FORMS = "day names or ranges such as mon-fri, mon,wed,fri, sat-sun"
DURATION_FORMS = "4h, 30m, 1.5h, 2d (a day is 8h) or a number of hours"
DATETIME_FORMS = "YYYY-MM-DD HH:MM, optionally with :SS or a T separator"

HOURS_PER_DAY = 8.0
WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAYS = {n: i for i, n in enumerate(WEEKDAY_NAMES)} | {
    n[:3]: i for i, n in enumerate(WEEKDAY_NAMES)
}

_A = re.ASCII | re.IGNORECASE
_DATE_RE = re.compile(r"(\d{4})-(\d{2})-(\d{2})", _A)
_REL_RE = re.compile(r"([+-])(\d{1,6})([dwmy])", _A)
_MONTH_RE = re.compile(r"(\d{4})-(\d{2})", _A)
_QUARTER_RE = re.compile(r"(\d{4})-?q(\d)", _A)
_YEAR_RE = re.compile(r"(\d{4})", _A)
_TIME_RE = re.compile(r"(\d{1,2}):(\d{2})", _A)
_NUMBER_RE = re.compile(r"\d+(?:\.\d+)?|\.\d+", _A)
_DURATION_PART_RE = re.compile(r"(\d+(?:\.\d+)?|\.\d+)([dhm])", _A)
_DURATION_RE = re.compile(rf"(?:{_DURATION_PART_RE.pattern})+", _A)
_DATETIME_RE = re.compile(r"(\d{4}-\d{2}-\d{2})[ t](\d{1,2}:\d{2})(?::(\d{2}))?", _A)


def _clean(text: str | None) -> str:
    return (text or "").strip().lower()


def _ymd(y: int, m: int, d: int, text: str, what: str, forms: str) -> date:
    """Build a date, saying precisely which part does not exist."""
    if not 1 <= y <= 9999:
        raise InvalidInput(f"not a {what}: {text!r} (year {y} is out of range)")
    if not 1 <= m <= 12:
        raise InvalidInput(f"not a {what}: {text!r} (month {m} does not exist; use {forms})")
    last = calendar.monthrange(y, m)[1]
    if not 1 <= d <= last:
        raise InvalidInput(
            f"not a {what}: {text!r} (day {d} does not exist in "
            f"{calendar.month_name[m]} {y}, which has {last} days)"
        )
    return date(y, m, d)


def _check_week_start(week_start: int) -> None:
    if not 0 <= week_start <= 6:
        raise ValueError(f"week_start must be 0..6, not {week_start}")


def week_bounds(d: date, week_start: int = 0) -> tuple[date, date]:
    """First and last day of the week containing ``d`` (week_start: 0=Monday … 6=Sunday)."""
    _check_week_start(week_start)
    first = d - timedelta(days=(d.weekday() - week_start) % 7)
    return first, first + timedelta(days=6)


def parse_date(text: str, *, today: date, week_start: int = 0) -> date:
    """A date in any of the forms of ``DATE_FORMS``, relative to ``today``."""
    _check_week_start(week_start)
    s = _clean(text)
    if m := _DATE_RE.fullmatch(s):
        return _ymd(int(m[1]), int(m[2]), int(m[3]), text, "date", "YYYY-MM-DD")
    try:
        if s in ("today", "yesterday", "tomorrow"):
            return today + timedelta(days={"today": 0, "yesterday": -1, "tomorrow": 1}[s])
        if s in _WEEKDAYS:
            return today + timedelta(days=(_WEEKDAYS[s] - today.weekday() - 1) % 7 + 1)
        if s in ("som", "eom"):
            day = 1 if s == "som" else calendar.monthrange(today.year, today.month)[1]
            return today.replace(day=day)
        if s in ("sow", "eow"):
            return week_bounds(today, week_start)[s == "eow"]
        if m := _REL_RE.fullmatch(s):
            n = int(m[2]) * (1 if m[1] == "+" else -1)
            unit = m[3]
            if unit in ("d", "w"):
                return today + timedelta(days=n * (7 if unit == "w" else 1))
            return today + relativedelta(**{"months" if unit == "m" else "years": n})
    except (OverflowError, ValueError):
        raise InvalidInput(f"not a date: {text!r} (out of the supported range)") from None
    raise InvalidInput(f"not a date: {text!r} (use {DATE_FORMS})")


@dataclass(frozen=True, order=True)
class Period:
    """A calendar month, quarter or year; ``end`` is inclusive."""

    start: date
    end: date
    label: str
    kind: PeriodKind

    def days(self) -> Iterator[date]:
        """Every day of the period, in order."""
        return daterange(self.start, self.end)

    def __contains__(self, d: object) -> bool:
        if isinstance(d, datetime):
            d = d.date()
        return isinstance(d, date) and self.start <= d <= self.end

    @property
    def months(self) -> list[Period]:
        """The months inside this period."""
        first = self.start.year * 12 + self.start.month - 1
        last = self.end.year * 12 + self.end.month - 1
        return [month_of(date(i // 12, i % 12 + 1, 1)) for i in range(first, last + 1)]

    @property
    def quarters(self) -> list[Period]:
        """The quarters wholly inside this period (none for a month)."""
        qs = {quarter_of(m.start) for m in self.months}
        return sorted(q for q in qs if self.start <= q.start and q.end <= self.end)

    def shift(self, n: int) -> Period:
        """The period of the same kind ``n`` steps later (earlier if negative)."""
        months = {"month": 1, "quarter": 3, "year": 12}[self.kind] * n
        return _OF[self.kind](self.start + relativedelta(months=months))


def month_of(d: date) -> Period:
    """The calendar month containing ``d``."""
    start = d.replace(day=1)
    end = d.replace(day=calendar.monthrange(d.year, d.month)[1])
    return Period(start, end, f"{d.year:04d}-{d.month:02d}", "month")


def quarter_of(d: date) -> Period:
    """The calendar quarter containing ``d``."""
    q = (d.month - 1) // 3 + 1
    start = date(d.year, 3 * q - 2, 1)
    end = month_of(date(d.year, 3 * q, 1)).end
    return Period(start, end, f"{d.year:04d}Q{q}", "quarter")


def year_of(d: date) -> Period:
    """The calendar year containing ``d``."""
    return Period(date(d.year, 1, 1), date(d.year, 12, 31), f"{d.year:04d}", "year")


_OF = {"month": month_of, "quarter": quarter_of, "year": year_of}
_STEPS = {"this": 0, "last": -1, "next": 1}


def _relative(s: str, kind: PeriodKind, today: date, text: str) -> Period | None:
    if s not in _STEPS:
        return None
    try:
        return _OF[kind](today).shift(_STEPS[s])
    except (OverflowError, ValueError):
        raise InvalidInput(f"not a {kind}: {text!r} (out of the supported range)") from None


def parse_month(text: str, *, today: date) -> Period:
    """A month: ``YYYY-MM`` or this/last/next."""
    s = _clean(text)
    if (m := _MONTH_RE.fullmatch(s)) and int(m[1]) >= 1 and 1 <= int(m[2]) <= 12:
        return month_of(date(int(m[1]), int(m[2]), 1))
    if p := _relative(s, "month", today, text):
        return p
    raise InvalidInput(f"not a month: {text!r} (use {MONTH_FORMS})")


def parse_quarter(text: str, *, today: date) -> Period:
    """A quarter: ``2026Q1``, ``2026-Q1`` (any case) or this/last/next."""
    s = _clean(text)
    m = _QUARTER_RE.fullmatch(s)
    if m and 1 <= int(m[2]) <= 4 and int(m[1]) >= 1:
        return quarter_of(date(int(m[1]), 3 * int(m[2]), 1))
    if p := _relative(s, "quarter", today, text):
        return p
    raise InvalidInput(f"not a quarter: {text!r} (use {QUARTER_FORMS})")


def parse_year(text: str, *, today: date) -> Period:
    """A year: ``YYYY`` or this/last/next."""
    s = _clean(text)
    if (m := _YEAR_RE.fullmatch(s)) and int(m[1]) >= 1:
        return year_of(date(int(m[1]), 1, 1))
    if p := _relative(s, "year", today, text):
        return p
    raise InvalidInput(f"not a year: {text!r} (use {YEAR_FORMS})")


def parse_cycle(text: str, *, today: date) -> Period:
    """A KPI cycle: a month ``YYYY-MM``, a quarter ``YYYYQn`` or a year ``YYYY``."""
    s = _clean(text)
    if s not in _STEPS:  # "this"/"last"/"next" would be ambiguous here
        for parse in (parse_month, parse_quarter, parse_year):
            with suppress(InvalidInput):
                return parse(s, today=today)
    raise InvalidInput(f"not a cycle: {text!r} (use {CYCLE_FORMS})")


def parse_time(text: str) -> time:
    """A time of day ``HH:MM`` (or ``H:MM``), 00:00–23:59."""
    m = _TIME_RE.fullmatch(_clean(text))
    if m and int(m[1]) <= 23 and int(m[2]) <= 59:
        return time(int(m[1]), int(m[2]))
    raise InvalidInput(f"not a time: {text!r} (use {TIME_FORMS})")


def parse_time_range(text: str) -> tuple[time, time]:
    """A range ``HH:MM-HH:MM`` whose end is after its start."""
    parts = _clean(text).split("-")
    try:
        if len(parts) != 2:
            raise InvalidInput("two times expected")
        start, end = parse_time(parts[0]), parse_time(parts[1])
    except InvalidInput:
        raise InvalidInput(f"not a time range: {text!r} (use HH:MM-HH:MM, 00:00–23:59)") from None
    if end <= start:
        raise InvalidInput(f"not a time range: {text!r} (the end must be after the start)")
    return start, end


def parse_weekdays(text: str) -> frozenset[int]:
    """Days of the week (0=Monday): ``mon-fri``, ``mon,wed,fri``, wrapping ``fri-mon``."""
    days: set[int] = set()
    for item in _clean(text).split(","):
        ends = item.split("-")
        if len(ends) > 2 or any(e.strip() not in _WEEKDAYS for e in ends):
            raise InvalidInput(f"not a list of weekdays: {text!r} (use {WEEKDAY_FORMS})")
        first, last = _WEEKDAYS[ends[0].strip()], _WEEKDAYS[ends[-1].strip()]
        days.update((first + i) % 7 for i in range((last - first) % 7 + 1))
    return frozenset(days)


def format_weekdays(days: frozenset[int]) -> str:
    """The compact form of a set of weekdays, e.g. ``mon-fri`` or ``mon,wed,fri``."""
    if not days or not days <= set(range(7)):
        raise ValueError(f"not a non-empty set of weekdays 0..6: {sorted(days)}")
    if len(days) == 7:
        return "mon-sun"
    runs: list[list[int]] = []
    for d in sorted(days):
        if runs and runs[-1][-1] == d - 1:
            runs[-1].append(d)
        else:
            runs.append([d])
    wraps = len(runs) > 1 and runs[0][0] == 0 and runs[-1][-1] == 6
    if wraps and len(runs[0]) + len(runs[-1]) >= 3:
        runs[-1] += runs.pop(0)  # a run through Sunday into Monday, e.g. fri-mon
    names = [n[:3] for n in WEEKDAY_NAMES]
    parts = []
    for run in runs:
        if len(run) >= 3:
            parts.append(f"{names[run[0]]}-{names[run[-1]]}")
        else:
            parts.extend(names[d] for d in run)
    return ",".join(parts)


def parse_duration_hours(text: str) -> float:
    """Hours from ``4h``, ``30m``, ``1.5h``, ``2d`` (8h days), ``1h30m`` or a plain number."""
    s = _clean(text).replace(" ", "")
    if _NUMBER_RE.fullmatch(s):
        return float(s)
    if not _DURATION_RE.fullmatch(s):
        raise InvalidInput(f"not a duration: {text!r} (use {DURATION_FORMS})")
    units = {"h": 1.0, "m": 1 / 60, "d": HOURS_PER_DAY}
    return sum(float(m[1]) * units[m[2]] for m in _DURATION_PART_RE.finditer(s))


def parse_datetime_local(text: str) -> datetime:
    """A naive local date-time ``YYYY-MM-DD HH:MM[:SS]`` (``T`` separator allowed)."""
    m = _DATETIME_RE.fullmatch(_clean(text))
    if not m or (m[3] is not None and int(m[3]) > 59):
        raise InvalidInput(f"not a date and time: {text!r} (use {DATETIME_FORMS})")
    y, mo, d = (int(g) for g in m[1].split("-"))
    day = _ymd(y, mo, d, text, "date and time", DATETIME_FORMS)
    try:
        clock = parse_time(m[2])
    except InvalidInput:
        raise InvalidInput(f"not a date and time: {text!r} (use {DATETIME_FORMS})") from None
    return datetime.combine(day, clock.replace(second=int(m[3] or 0)))


def local_instant(local: datetime, tz: tzinfo, *, fold: int = 0) -> datetime:
    """The aware UTC instant of the naive wall time ``local`` in ``tz``.

    A wall time the clocks skip (spring forward: 02:30 on the night they go from 02:00 to
    03:00) is refused, never moved to another time. One the clocks show twice (fall back:
    01:00–01:59 comes round again) is its first occurrence, unless ``fold=1`` asks for the
    second: a caller that can say which (an ISO 8601 offset, an --out after an --in) does so.
    """
    instant = local.replace(tzinfo=tz, fold=fold).astimezone(UTC)
    if instant.astimezone(tz).replace(tzinfo=None) != local:  # naive times compare without their fold
        ahead = tz.utcoffset(local.replace(fold=1)) - tz.utcoffset(local.replace(fold=0))  # type: ignore[operator]
        minutes = int(ahead.total_seconds()) // 60
        skipped = "hour" if minutes == 60 else f"{minutes} minutes"
        raise InvalidInput(f"{local:%Y-%m-%d %H:%M} does not exist in {tz} (the clocks go forward "
                           f"{'an' if minutes == 60 else 'by'} {skipped} that night); give a time before or after "
                           f"the skipped {skipped}")
    return instant


def daterange(start: date, end: date) -> Iterator[date]:
    """Every day from ``start`` to ``end`` inclusive (nothing if end < start)."""
    for i in range((end - start).days + 1):
        yield start + timedelta(days=i)
