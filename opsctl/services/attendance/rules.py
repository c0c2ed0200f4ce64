"""The daily rules of DESIGN §3, as pure functions: no database, no clock.

A day of one person is judged from its punches, the person's schedule, the day's
kind (calendar, else schedule days) and, when the leave area supplies one, a
:class:`LeaveCover`. Times are judged to the minute (seconds are dropped, as a
clock's display shows them).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Literal
from zoneinfo import ZoneInfo

from opsctl.services.attendance.shifts import (
    STANDARD,
    DayKind,
    ScheduleRule,
    day_kind,
    instant_on,
    work_date_of,
)

__all__ = [
    "OVERTIME_MARK", "STANDARD", "STATUSES", "DayKind", "DayResult", "LeaveCover", "ScheduleRule", "Status",
    "classify_day", "classify_period", "day_kind", "instant_on", "overtime_window", "split_overtime", "work_date_of",
    "worked_in_windows",
]

Portion = Literal["full", "am", "pm"]
OvertimeKind = Literal["workday", "rest", "holiday"]


@dataclass(frozen=True)
class LeaveCover:
    """Approved leave on one date: the whole day, or its morning (am) or afternoon (pm)."""

    portion: Portion
    type_code: str


@dataclass(frozen=True)
class Status:
    code: str  # one or two characters for a calendar cell
    colour: str  # a rich/ANSI style
    label: str


STATUSES: dict[str, Status] = {
    "present": Status("✓", "green", "present, on time"),
    "late": Status("L", "yellow", "late"),
    "early": Status("E", "yellow", "left early"),
    "late+early": Status("LE", "yellow", "late and left early"),
    "missing": Status("M", "magenta", "missing punch (only one punch)"),
    "absent": Status("A", "bold red", "absent"),
    "leave": Status("V", "blue", "on leave"),
    "half-leave": Status("v", "blue", "half a day of leave, the other half present"),
    "half-leave+late": Status("vL", "yellow", "half-day leave, late for the other half"),
    "half-leave+early": Status("vE", "yellow", "half-day leave, left the other half early"),
    "half-leave+late+early": Status("vLE", "yellow", "half-day leave, late and early"),
    "half-leave+missing": Status("vM", "magenta", "half-day leave, missing punch"),
    "half-leave+absent": Status("vA", "bold red", "half-day leave, absent the other half"),
    "open": Status(".", "dim", "today or later: not judged yet"),
    "rest": Status("-", "dim", "rest day"),
    "off": Status("=", "dim", "adjusted day off"),
    "holiday": Status("H", "cyan", "public holiday"),
    "rest-work": Status("R+", "cyan", "worked on a rest day (all overtime)"),
    "off-work": Status("O+", "cyan", "worked on a day off (all overtime)"),
    "holiday-work": Status("H+", "bold cyan", "worked on a public holiday (all overtime)"),
    "stray": Status("?", "magenta", "one punch on a day off: no hours counted"),
}
OVERTIME_MARK = "+"  # appended to a workday's code when it has overtime


@dataclass
class DayResult:
    date: date
    kind: DayKind
    status: str
    first: datetime | None = None  # the clock-in (aware UTC)
    last: datetime | None = None  # the clock-out; None with fewer than two punches
    punches: int = 0
    late_minutes: int = 0
    early_minutes: int = 0
    work_minutes: int = 0
    overtime_minutes: int = 0
    overtime_kind: OvertimeKind | None = None
    leave: Portion | None = None
    leave_type: str | None = None
    present: float = 0.0
    absent: float = 0.0
    leave_days: float = 0.0
    expected: tuple[time, time] | None = field(default=None, repr=False)  # start/end after half leave
    # With `overtime_needs_approval`: the worked part of the approved overtime requests, and the
    # overtime of the rules above outside them (without it, all overtime counts as approved).
    approved_minutes: int = 0
    unapproved_minutes: int = 0

    @property
    def approved_kind(self) -> OvertimeKind:
        """The kind of day approved overtime is paid as (an adjusted day off is a rest day)."""
        return "workday" if self.kind == "workday" else "holiday" if self.kind == "holiday" else "rest"

    @property
    def late(self) -> bool:
        return "late" in self.status

    @property
    def early(self) -> bool:
        return "early" in self.status

    @property
    def missing(self) -> bool:
        return self.status.endswith("missing")

    @property
    def code(self) -> str:
        code = STATUSES[self.status].code
        return code + OVERTIME_MARK if self.overtime_kind == "workday" else code


# -- judging one day ------------------------------------------------------------------

class _Frame:
    """A day's schedule in epoch minutes, cached: a team shares one per date."""

    __slots__ = ("break_end", "break_start", "end", "expected", "half_end", "half_start", "start")

    def __init__(self, day: date, rule: ScheduleRule, tz: ZoneInfo) -> None:
        def at(clock: time) -> int:
            return _epoch_minutes(instant_on(day, clock, rule, tz))

        self.start, self.end = at(rule.start), at(rule.end)
        self.break_start = at(rule.break_start) if rule.break_start else None
        self.break_end = at(rule.break_end) if rule.break_end else None
        am_end, pm_start = rule.half_day()
        self.half_end, self.half_start = at(am_end), at(pm_start)
        # The hours a person is expected for: the whole day, or the half not on leave.
        self.expected: dict[Portion | None, tuple[time, time]] = {
            None: (rule.start, rule.end), "am": (pm_start, rule.end), "pm": (rule.start, am_end)}


# Keyed by the rule's identity (hashing a frozen dataclass hashes every field, per call); the
# rule is kept with its frame so that a key never outlives the object it names.
_FRAMES: dict[tuple[date, int, ZoneInfo], tuple[ScheduleRule, _Frame]] = {}


def _frame(day: date, rule: ScheduleRule, tz: ZoneInfo) -> _Frame:
    key = (day, id(rule), tz)
    found = _FRAMES.get(key)
    if found is not None and found[0] is rule:
        return found[1]
    if len(_FRAMES) > 50_000:
        _FRAMES.clear()
    frame = _Frame(day, rule, tz)
    _FRAMES[key] = (rule, frame)
    return frame


def classify_day(
    day: date,
    kind: DayKind,
    rule: ScheduleRule,
    punches: Sequence[datetime],
    *,
    today: date,
    tz: ZoneInfo,
    overtime_min: int,
    cover: LeaveCover | None = None,
) -> DayResult:
    """Rules 2–6 for one person and date. ``punches`` are aware instants in time order."""
    count = len(punches)
    result = DayResult(day, kind, kind, punches=count)
    if count:
        result.first = punches[0]
    if count >= 2:
        result.last = punches[-1]
    frame = _frame(day, rule, tz)
    first = _epoch_minutes(punches[0]) if count else 0
    last = _epoch_minutes(punches[-1]) if count >= 2 else 0
    if count >= 2:
        result.work_minutes = _worked(first, last, frame)
    if kind != "workday":
        return _judge_day_off(result, kind)
    if cover is not None and cover.portion == "full":
        result.status, result.leave, result.leave_type, result.leave_days = "leave", "full", cover.type_code, 1.0
        return result
    start, end, share = frame.start, frame.end, 1.0
    if cover is not None:  # half a day of leave: the other half is judged as usual
        result.leave, result.leave_type, result.leave_days, share = cover.portion, cover.type_code, 0.5, 0.5
        if cover.portion == "am":
            start = frame.half_start
        else:
            end = frame.half_end
    result.expected = frame.expected[cover.portion if cover is not None else None]
    issues: list[str] = []
    if count == 0:
        if day < today:
            result.absent = share
            issues.append("absent")
    else:
        result.present = share
        if first > start + rule.late_grace:
            result.late_minutes = first - start
            issues.append("late")
        if count == 1 and day < today:
            issues = ["missing"]
            result.late_minutes = 0
        elif count >= 2 and day < today and last < end - rule.early_grace:
            result.early_minutes = end - last
            issues.append("early")
        if count >= 2 and last - frame.end > 0 and last - frame.end >= overtime_min:
            result.overtime_minutes, result.overtime_kind = last - frame.end, "workday"
    result.status = _workday_status(issues, half=cover is not None, judged=day < today or count > 0)
    return result


def _judge_day_off(result: DayResult, kind: DayKind) -> DayResult:
    if result.punches == 1:
        result.status = "stray"
    elif result.punches >= 2:
        result.status = f"{kind}-work"
        if result.work_minutes > 0:
            result.overtime_minutes = result.work_minutes
            result.overtime_kind = "holiday" if kind == "holiday" else "rest"
    return result


def _workday_status(issues: list[str], *, half: bool, judged: bool) -> str:
    if half:
        return "+".join(["half-leave", *issues])
    if issues:
        return "+".join(issues)
    return "present" if judged else "open"


def classify_period(
    *,
    employee_id: int,
    days: Sequence[tuple[date, DayKind, ScheduleRule]],
    punches: Mapping[date, Sequence[datetime]],
    covers: Mapping[tuple[int, date], LeaveCover],
    today: date,
    tz: ZoneInfo,
    overtime_min: int,
) -> list[DayResult]:
    """One person's days: ``days`` gives each date its kind and schedule, ``covers`` the leave
    (keyed by (employee_id, date), as the leave area provides it)."""
    return [
        classify_day(day, kind, rule, punches.get(day, ()), today=today, tz=tz, overtime_min=overtime_min,
                     cover=covers.get((employee_id, day)))
        for day, kind, rule in days
    ]


# -- overtime requests -------------------------------------------------------------------

Window = tuple[int, int]  # an overtime request's start and end, in epoch minutes


def overtime_window(day: date, start: time, end: time, rule: ScheduleRule, tz: ZoneInfo) -> Window:
    """The instants (epoch minutes) of ``start``..``end`` on the shift of ``day``: an end in the
    small hours before the schedule's cutoff is the next morning."""
    return _epoch_minutes(instant_on(day, start, rule, tz)), _epoch_minutes(instant_on(day, end, rule, tz))


def shift_window(day: date, rule: ScheduleRule, tz: ZoneInfo) -> Window:
    frame = _frame(day, rule, tz)
    return frame.start, frame.end


def worked_in_windows(day: date, rule: ScheduleRule, tz: ZoneInfo, first: datetime | None, last: datetime | None,
                      windows: Sequence[Window]) -> int:
    """Minutes of ``windows`` (which do not overlap) between the clock-in and the clock-out,
    less the break (rule 6): the part of approved overtime actually worked."""
    if first is None or last is None:
        return 0
    return _worked_windows(_epoch_minutes(first), _epoch_minutes(last), windows, _frame(day, rule, tz))


def _worked_windows(begin: int, end: int, windows: Sequence[Window], frame: _Frame) -> int:
    total = 0
    for start, stop in windows:
        low, high = max(begin, start), min(end, stop)
        if high > low:
            total += high - low
            if frame.break_start is not None and frame.break_end is not None:
                total -= max(0, min(high, frame.break_end) - max(low, frame.break_start))
    return total


def split_overtime(result: DayResult, rule: ScheduleRule, tz: ZoneInfo, windows: Sequence[Window]) -> None:
    """Approved overtime is the worked part of the approved ``windows`` (before the shift too);
    unapproved is the overtime of rule 6 that lies outside them."""
    if not windows or result.first is None or result.last is None:
        result.unapproved_minutes = result.overtime_minutes
        return
    frame = _frame(result.date, rule, tz)
    first, last = _epoch_minutes(result.first), _epoch_minutes(result.last)
    result.approved_minutes = _worked_windows(first, last, windows, frame)
    if result.kind != "workday":
        result.unapproved_minutes = max(0, result.overtime_minutes - result.approved_minutes)
    elif result.overtime_minutes:  # rule 6 counts from the end of the shift to the clock-out
        result.unapproved_minutes = max(0, result.overtime_minutes
                                        - _worked_windows(max(first, frame.end), last, windows, frame))


# -- minutes ----------------------------------------------------------------------------

def _epoch_minutes(instant: datetime) -> int:
    return int(instant.timestamp()) // 60


def _worked(first: int, last: int, frame: _Frame) -> int:
    """Rule 6: clock-out − clock-in, minus the part of the break inside it."""
    worked = last - first
    if frame.break_start is not None and frame.break_end is not None:
        worked -= max(0, min(last, frame.break_end) - max(first, frame.break_start))
    return max(0, worked)
