"""A schedule as the daily rules see it, and where a punch belongs: its work date, the
instant of a clock time on a shift. Kept apart from the classifier so that clocking in
loads only this (and `opsctl today`, which reads the schedules without their models)."""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal, Protocol
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


class StoredSchedule(Protocol):
    """A schedule as stored: the ``Schedule`` model, or a row of the same columns."""

    @property
    def id(self) -> int | None: ...
    @property
    def name(self) -> str: ...
    @property
    def start(self) -> time: ...
    @property
    def end(self) -> time: ...
    @property
    def break_start(self) -> time | None: ...
    @property
    def break_end(self) -> time | None: ...
    @property
    def late_grace(self) -> int: ...
    @property
    def early_grace(self) -> int: ...
    @property
    def days(self) -> str: ...
    @property
    def is_default(self) -> bool: ...


def rule_of(schedule: StoredSchedule) -> ScheduleRule:
    return ScheduleRule(
        name=schedule.name, start=schedule.start, end=schedule.end, break_start=schedule.break_start,
        break_end=schedule.break_end, late_grace=schedule.late_grace, early_grace=schedule.early_grace,
        days=_weekdays(schedule.days),
    )


def _weekdays(stored: str) -> frozenset[int]:
    """Stored as the weekdays' numbers ("01234"), so clocking in needs no date parsing; the
    written form ("mon-fri") of databases made before that is read too."""
    if stored.isdigit():
        return frozenset(int(day) for day in stored)
    from opsctl.dates import parse_weekdays

    return parse_weekdays(stored)


class Punched(Protocol):
    """A punch as stored: the ``Punch`` model, or a row of its columns."""

    @property
    def at(self) -> datetime: ...
    @property
    def kind(self) -> str | None: ...


def effective_kinds(punches: Sequence[Punched]) -> list[str]:
    """The kind of each punch of one work date, in time order: as given, else rule 2 — a
    kind-less punch (a CSV without kinds, a device that records none) is the clock-in when
    it starts the day or follows a clock-out given as such (`attend out`, kind ``out``), and
    otherwise a clock-out: the day's last punch is its clock-out, so a day imported as 09:00,
    12:10, 18:00 is over at 18:00, not clocked in since then."""
    before: list[Punched | None] = [None, *punches]
    return [punch.kind or ("in" if previous is None or previous.kind == "out" else "out")
            for punch, previous in zip(punches, before, strict=False)]


def when(instant: datetime, tz: ZoneInfo, now: datetime) -> str:
    """``at 09:02 today`` or ``at 09:02 on Tue 2026-03-17`` (team timezone)."""
    local = instant.astimezone(tz)
    day = "today" if local.date() == now.astimezone(tz).date() else f"on {local:%a %Y-%m-%d}"
    return f"at {local:%H:%M} {day}"


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


class ScheduleBook:
    """Who follows which schedule on which date, loaded once for a set of people."""

    def __init__(self, default: ScheduleRule, assignments: dict[int, list[tuple[date, ScheduleRule]]]) -> None:
        self.default = default
        self.assignments = assignments
        self._since = {person: [since for since, _ in history] for person, history in assignments.items()}
        # Punches from midnight to the latest cutoff may belong to the day before; later ones never.
        rules = [default, *(rule for history in assignments.values() for _, rule in history)]
        self.rollover_until = max((rule.cutoff for rule in rules if rule.rolls_over), default=time(0))

    def rule_for(self, employee_id: int, day: date) -> ScheduleRule:
        history = self.assignments.get(employee_id)
        if history:
            index = bisect_right(self._since[employee_id], day) - 1
            if index >= 0:
                return history[index][1]
        return self.default

    def spans(self, employee_id: int, first: date, last: date) -> list[tuple[date, date, ScheduleRule]]:
        """``first``..``last`` cut where the person's schedule changes: (from, to, rule) runs."""
        if last < first:
            return []
        runs: list[tuple[date, date, ScheduleRule]] = []
        begin, rule = first, self.rule_for(employee_id, first)
        for since, next_rule in self.assignments.get(employee_id, ()):
            if since <= first:
                continue
            if since > last:
                break
            runs.append((begin, since - timedelta(days=1), rule))
            begin, rule = since, next_rule
        runs.append((begin, last, rule))
        return runs

    def work_date(self, employee_id: int, local: datetime) -> date:
        """The work date of a punch at naive or aware team-local time ``local``."""
        if local.time() >= self.rollover_until:
            return local.date()
        return work_date_of(local, self.rule_for(employee_id, date.fromordinal(local.toordinal() - 1)))


def book_of(schedules: Iterable[StoredSchedule], assignments: Iterable[tuple[int, date, int]]) -> ScheduleBook:
    """The book of the stored ``schedules`` and the ``assignments`` (employee id, since,
    schedule id; in order of ``since``)."""
    stored = list(schedules)
    rules = {s.id: rule_of(s) for s in stored}
    default = next((rules[s.id] for s in stored if s.is_default), STANDARD)
    history: dict[int, list[tuple[date, ScheduleRule]]] = defaultdict(list)
    for employee_id, since, schedule_id in assignments:
        history[employee_id].append((since, rules[schedule_id]))
    return ScheduleBook(default, dict(history))
