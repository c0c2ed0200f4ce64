"""A schedule as the daily rules see it, and where a punch belongs: its work date, the
instant of a clock time on a shift. Kept apart from the classifier so that clocking in
loads only this."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

DayKind = Literal["workday", "rest", "holiday", "off"]


@dataclass(frozen=True)
class ScheduleRule:
    """A schedule as the rules need it (a plain value: hashable, comparable)."""

    name: str
    start: time
    end: time
    break_start: time | None = None
    break_end: time | None = None
    late_grace: int = 0
    early_grace: int = 0
    days: frozenset[int] = frozenset(range(5))  # 0 = Monday

    @property
    def overnight(self) -> bool:
        return self.end < self.start

    @property
    def cutoff(self) -> time:
        """The middle of the hours off between the shift's end and the next start: when it falls
        after midnight (see ``rolls_over``), punches before it end the previous day's shift."""
        middle = _minutes(self.end) + self._off_minutes() // 2
        return time(middle // 60 % 24, middle % 60)

    @property
    def rolls_over(self) -> bool:
        """Whether the small hours belong to the day before: always for an overnight shift, and
        for a day shift whose hours off are half over only after midnight (09:00–18:00: a
        clock-out at 00:40 ends that day's long evening, not the next day's work)."""
        return self.overnight or _minutes(self.end) + self._off_minutes() // 2 >= _DAY

    def _off_minutes(self) -> int:
        return (_minutes(self.start) - _minutes(self.end)) % _DAY

    def half_day(self) -> tuple[time, time]:
        """Where the morning ends and the afternoon starts: the break, else mid-shift."""
        if self.break_start is not None and self.break_end is not None:
            return self.break_start, self.break_end
        length = (_minutes(self.end) - _minutes(self.start)) % (24 * 60)
        middle = (_minutes(self.start) + length // 2) % (24 * 60)
        noon = time(middle // 60, middle % 60)
        return noon, noon

    def hours_text(self) -> str:
        text = f"{self.start:%H:%M}–{self.end:%H:%M}"
        if self.break_start is not None and self.break_end is not None:
            text += f" (break {self.break_start:%H:%M}–{self.break_end:%H:%M})"
        return text


# Used until a team adds a schedule of its own (`opsctl schedule add … --default`).
STANDARD = ScheduleRule("standard (built in)", time(9), time(18), time(12), time(13))


def day_kind(day: date, rule: ScheduleRule, calendar: Mapping[date, str]) -> DayKind:
    """Rule 1: a calendar entry wins; else the schedule's weekdays are workdays."""
    entry = calendar.get(day)
    if entry is not None:
        return "workday" if entry == "workday" else entry  # type: ignore[return-value]
    return "workday" if day.weekday() in rule.days else "rest"


def work_date_of(local: datetime, previous_rule: ScheduleRule) -> date:
    """The work date of a punch at local (team timezone) time ``local``: its date, except
    small hours that end a shift begun the day before (``previous_rule``: an overnight shift,
    or a day shift worked past midnight)."""
    if previous_rule.rolls_over and _before(local, previous_rule.cutoff):
        return local.date() - timedelta(days=1)
    return local.date()


def _before(local: datetime, clock: time) -> bool:
    """Whether ``local`` comes before the first time its day's clocks show ``clock``. Compared
    as instants in the hour a fall-back repeats: its second 01:20 (``fold=1``) comes after a
    01:30 cutoff that passed in the first."""
    if not local.fold or local.tzinfo is None:
        return local.time() < clock
    return local.timestamp() < datetime.combine(local.date(), clock, tzinfo=local.tzinfo).timestamp()


def wall_time_on(work_date: date, clock: time, rule: ScheduleRule) -> datetime:
    """The naive team-local date and time of ``clock`` on the shift of ``work_date`` (the next
    day for the small hours before the rule's cutoff)."""
    day = work_date
    if rule.rolls_over and clock < rule.cutoff:
        day += timedelta(days=1)
    return datetime.combine(day, clock)


def instant_on(work_date: date, clock: time, rule: ScheduleRule, tz: ZoneInfo) -> datetime:
    """The instant of ``clock`` on the shift of ``work_date``, as aware UTC. A schedule's time
    the clocks skip that night is read with the offset before the change (02:30 → 03:30)."""
    return wall_time_on(work_date, clock, rule).replace(tzinfo=tz).astimezone(UTC)


_DAY = 24 * 60


def _minutes(clock: time) -> int:
    return clock.hour * 60 + clock.minute
