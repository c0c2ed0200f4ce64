"""Counting leave days, in halves: pure functions (no database, no clock).

A request runs from a boundary to a boundary. ``--from D`` (or ``D:am``) starts in the
morning of D, ``--from D:pm`` at noon; ``--to D`` (or ``D:pm``) ends in the evening of D,
``--to D:am`` at noon. ``--from D:am`` or ``D:pm`` without ``--to`` is that half of D only;
``--from D`` alone is the whole of D.

Each date of a request is covered whole or by one half, and counts 1 or 0.5 when it is a
workday (the calendar, else the person's schedule), or any day for a type that includes
holidays. Internally a span is a pair of half-day indexes: ``2 × ordinal`` is a morning,
``2 × ordinal + 1`` an afternoon.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Literal

from opsctl.errors import InvalidInput

Half = Literal["am", "pm"]
Portion = Literal["full", "am", "pm"]

MAX_SPAN_DAYS = 366


@dataclass(frozen=True, order=True)
class Span:
    """From the ``start_half`` of ``start`` to the ``end_half`` of ``end``, both included."""

    start: date
    start_half: Half
    end: date
    end_half: Half

    @property
    def first(self) -> int:
        return self.start.toordinal() * 2 + (self.start_half == "pm")

    @property
    def last(self) -> int:
        return self.end.toordinal() * 2 + (self.end_half == "pm")

    def overlaps(self, other: Span) -> bool:
        """Whether the two share a half day (two different halves of one date do not)."""
        return self.first <= other.last and other.first <= self.last

    def portions(self) -> Iterator[tuple[date, Portion]]:
        """Every date of the span with the part of it covered."""
        for ordinal in range(self.start.toordinal(), self.end.toordinal() + 1):
            morning = self.first <= ordinal * 2 <= self.last
            afternoon = self.first <= ordinal * 2 + 1 <= self.last
            yield date.fromordinal(ordinal), "full" if morning and afternoon else "am" if morning else "pm"

    def text(self) -> str:
        """``2026-05-20``, ``2026-05-20 pm``, ``2026-05-18 pm – 2026-05-20``, …"""
        if self.start == self.end:
            return f"{self.start}" + ("" if self.start_half == "am" and self.end_half == "pm" else
                                      f" {self.start_half}")
        start = f"{self.start}" + (" pm" if self.start_half == "pm" else "")
        end = f"{self.end}" + (" am" if self.end_half == "am" else "")
        return f"{start} – {end}"


def split_boundary(text: str) -> tuple[str, Half | None]:
    """``"2026-05-20:pm"`` → ("2026-05-20", "pm"); ``"friday"`` → ("friday", None)."""
    day, sep, half = text.strip().rpartition(":")
    if not sep:
        return text.strip(), None
    half = half.strip().lower()
    if half not in ("am", "pm"):
        raise InvalidInput(f"not a leave boundary: {text!r} (use a date, optionally followed by :am or :pm)")
    return day.strip(), half  # type: ignore[return-value]


def make_span(start: date, start_half: Half | None, end: date | None, end_half: Half | None) -> Span:
    """The span of ``--from start[:half] [--to end[:half]]`` (see the module's doc)."""
    if end is None:
        if start_half is None:
            return Span(start, "am", start, "pm")
        return Span(start, start_half, start, start_half)
    span = Span(start, start_half or "am", end, end_half or "pm")
    if span.last < span.first:
        shown = f"{end}" + (f":{end_half}" if end_half else "")
        raise InvalidInput(f"--to {shown} is before --from {start}{':' + start_half if start_half else ''}; "
                           "give the last day of leave after the first")
    if (end - start).days >= MAX_SPAN_DAYS:
        raise InvalidInput(f"a request covers at most {MAX_SPAN_DAYS} days; split {start} – {end} into several")
    return span


def parse_span(start: str, end: str | None, *, parse_day: Callable[[str], date]) -> Span:
    """``--from`` and ``--to`` as typed (``D``, ``D:am``, ``D:pm``); ``parse_day`` reads a D."""
    first, first_half = split_boundary(start)
    if end is None:
        return make_span(parse_day(first), first_half, None, None)
    last, last_half = split_boundary(end)
    return make_span(parse_day(first), first_half, parse_day(last), last_half)


def count_days(span: Span, kinds: Mapping[date, str], *, include_holidays: bool) -> dict[date, float]:
    """What each date of ``span`` counts: 1 or 0.5 on a workday (any day when the type
    includes holidays), nothing on other days. ``kinds`` gives every date's kind
    (``workday``, ``rest``, ``holiday``, ``off``); dates it leaves out are not counted
    (before the person was hired, after they left)."""
    counted: dict[date, float] = {}
    for day, portion in span.portions():
        kind = kinds.get(day)
        if kind is None or (kind != "workday" and not include_holidays):
            continue
        counted[day] = 1.0 if portion == "full" else 0.5
    return counted


def by_year(counted: Mapping[date, float]) -> dict[int, float]:
    years: dict[int, float] = {}
    for day, amount in counted.items():
        years[day.year] = years.get(day.year, 0.0) + amount
    return years


def check_half_days(value: float, what: str) -> float:
    """A number of days in whole or half days."""
    if value != value or abs(value) > 10_000 or (value * 2) != int(value * 2):  # NaN, huge, or not halves
        raise InvalidInput(f"{what} must be whole or half days (e.g. 5 or 2.5), not {value:g}")
    return float(value)
