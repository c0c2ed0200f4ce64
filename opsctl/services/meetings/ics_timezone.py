"""Local times with a TZID, and the VTIMEZONE that defines it, for an .ics file.

A recurring meeting is written in its zone's local time (``DTSTART;TZID=Europe/Berlin:…``)
so that a weekly 14:00 stays at 14:00 in the attendees' calendars across daylight-saving
changes, as opsctl itself expands it; in UTC it would move by an hour twice a year.
RFC 5545 wants the zone defined in the file, and calendars such as Outlook use that
definition rather than their own. Its observances are the zone's own offset changes,
read from the IANA data Python has, over every instant the file names (an open series:
to the end of 2100). Changes that repeat every year on the same rule (the last Sunday
of March at 02:00) become one sub-component with a yearly RRULE, as Outlook and tzurl
write them; the rest are listed as a DTSTART with RDATEs. So 75 years of Berlin are two
sub-components, not 150.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

_DAY = 24 * 3600
_EPOCH_START = "19700101T000000"
OPEN_END = datetime(2100, 12, 31, 23, 59, tzinfo=UTC)  # how far an open-ended series is defined
_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def at_local(name: str, moment: datetime, tz: ZoneInfo) -> str:
    """A DATE-TIME property in ``tz``'s local time: ``DTSTART;TZID=Asia/Shanghai:20260304T140000``."""
    return f"{name};TZID={tz.key}:{moment.astimezone(tz):%Y%m%dT%H%M%S}"


def vtimezone(tz: ZoneInfo, *instants: datetime) -> list[str]:
    """The VTIMEZONE lines of ``tz`` that define every one of ``instants`` (aware) and
    everything between them: give a series' first and last start (or `OPEN_END`), an
    occurrence's original and new start."""
    first, last = min(instants), max(instants) + timedelta(days=1)  # an evening meeting ends the next day
    changes = _changes(tz, first - timedelta(days=366), last)  # a year back: the observance in force at first
    lines = ["BEGIN:VTIMEZONE", f"TZID:{tz.key}"]
    if not changes:
        local = first.astimezone(tz)
        offset = local.utcoffset() or timedelta(0)
        return [*lines, *_observance("STANDARD", [_EPOCH_START], offset, offset, local.tzname() or tz.key),
                "END:VTIMEZONE"]
    runs = _runs(tz, changes)
    singles: dict[tuple[str, timedelta, timedelta, str], list[_Run]] = {}
    pieces: list[tuple[datetime, list[str]]] = []
    for run in runs:
        if len(run.onsets) > 1:
            ongoing = last - run.instants[-1] <= timedelta(days=366)  # the zone still follows it at the end
            until = "" if ongoing else f";UNTIL={run.instants[-1] + timedelta(days=1):%Y%m%dT%H%M%SZ}"
            nth = -1 if -1 in run.nth else run.nth[0]  # "the last Sunday" holds in years with five of them
            rule = f"RRULE:FREQ=YEARLY;BYMONTH={run.onsets[0].month};BYDAY={nth}{run.weekday}{until}"
            pieces.append((run.instants[0], _observance(run.kind, [_wall(run.onsets[0])], run.before, run.after,
                                                        run.name, rule)))
        else:
            singles.setdefault((run.kind, run.before, run.after, run.name), []).append(run)
    for (kind, before, after, name), alone in singles.items():
        onsets = sorted(o for r in alone for o in r.onsets)
        pieces.append((min(r.instants[0] for r in alone), _observance(kind, [_wall(o) for o in onsets], before,
                                                                      after, name)))
    for _, piece in sorted(pieces, key=lambda p: p[0]):
        lines += piece
    return [*lines, "END:VTIMEZONE"]


@dataclass
class _Run:
    """Offset changes of one kind that fall on the same rule in consecutive years."""

    kind: str
    before: timedelta
    after: timedelta
    name: str
    weekday: str
    nth: list[int]  # the ways to name the day that fit every year so far: 2 (2nd), -1 (last)
    onsets: list[datetime] = field(default_factory=list)  # local wall time before the change
    instants: list[datetime] = field(default_factory=list)  # UTC

    def takes(self, onset: datetime, nth: list[int]) -> bool:
        previous = self.onsets[-1]
        return (onset.year == previous.year + 1 and onset.month == previous.month
                and onset.time() == previous.time() and _WEEKDAYS[onset.weekday()] == self.weekday
                and any(n in self.nth for n in nth))


def _runs(tz: ZoneInfo, changes: list[tuple[datetime, timedelta, timedelta]]) -> list[_Run]:
    open_runs: dict[tuple[str, timedelta, timedelta, str], _Run] = {}
    runs: list[_Run] = []
    for instant, before, after in changes:
        local = instant.astimezone(tz)
        key = ("DAYLIGHT" if local.dst() else "STANDARD", before, after, local.tzname() or tz.key)
        onset = (instant + before).replace(tzinfo=None)
        nth = _nth(onset)
        run = open_runs.get(key)
        if run is not None and run.takes(onset, nth):
            run.nth = [n for n in run.nth if n in nth]
        else:
            run = open_runs[key] = _Run(*key, weekday=_WEEKDAYS[onset.weekday()], nth=nth)
            runs.append(run)
        run.onsets.append(onset)
        run.instants.append(instant)
    return runs


def _nth(day: datetime) -> list[int]:
    """Which weekday of its month ``day`` is: [2] for the 2nd, [4, -1] for a 4th that is also the last."""
    last = day.day + 7 > calendar.monthrange(day.year, day.month)[1]
    return [(day.day - 1) // 7 + 1, *([-1] if last else [])]


def _wall(onset: datetime) -> str:
    return f"{onset:%Y%m%dT%H%M%S}"


def _observance(kind: str, onsets: list[str], before: timedelta, after: timedelta, name: str,
                rule: str = "") -> list[str]:
    return [f"BEGIN:{kind}", f"DTSTART:{onsets[0]}", *([rule] if rule else []),
            *(f"RDATE:{onset}" for onset in onsets[1:]),
            f"TZOFFSETFROM:{_offset(before)}", f"TZOFFSETTO:{_offset(after)}", f"TZNAME:{name}", f"END:{kind}"]


def _changes(tz: ZoneInfo, start: datetime, end: datetime) -> list[tuple[datetime, timedelta, timedelta]]:
    """Each instant from ``start`` to ``end`` where ``tz`` changes its offset (to the second),
    with the offsets before and after: a day at a time, then halving the day it fell in."""
    def offset(second: int) -> timedelta:
        return datetime.fromtimestamp(second, tz).utcoffset() or timedelta(0)

    found = []
    second, stop = int(start.timestamp()), int(end.timestamp())
    current = offset(second)
    while second < stop:
        following = offset(second + _DAY)
        if following != current:
            low, high = second, second + _DAY  # low has the old offset, high the new one
            while high - low > 1:
                middle = (low + high) // 2
                low, high = (middle, high) if offset(middle) == current else (low, middle)
            found.append((datetime.fromtimestamp(high, UTC), current, following))
            current = following
        second += _DAY
    return found


def _offset(value: timedelta) -> str:
    """``+0800``, ``-0330`` (seconds only when the zone has them)."""
    seconds = int(value.total_seconds())
    sign, seconds = ("-" if seconds < 0 else "+"), abs(seconds)
    text = f"{sign}{seconds // 3600:02d}{seconds % 3600 // 60:02d}"
    return text + f"{seconds % 60:02d}" if seconds % 60 else text
