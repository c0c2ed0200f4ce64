"""Local times with a TZID, and the VTIMEZONE that defines it, for an .ics file.

A recurring meeting is written in its zone's local time (``DTSTART;TZID=Europe/Berlin:…``)
so that a weekly 14:00 stays at 14:00 in the attendees' calendars across daylight-saving
changes, as opsctl itself expands it; in UTC it would move by an hour twice a year.
RFC 5545 wants the zone defined in the file: its observances are the zone's own offset
changes over the series' years, read from the IANA data Python has, each kind (standard
or daylight, offsets, name) one sub-component with its onsets as DTSTART and RDATEs.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

_DAY = 24 * 3600
_EPOCH_START = "19700101T000000"


def at_local(name: str, moment: datetime, tz: ZoneInfo) -> str:
    """A DATE-TIME property in ``tz``'s local time: ``DTSTART;TZID=Asia/Shanghai:20260304T140000``."""
    return f"{name};TZID={tz.key}:{moment.astimezone(tz):%Y%m%dT%H%M%S}"


def vtimezone(tz: ZoneInfo, first: datetime, last: datetime) -> list[str]:
    """The VTIMEZONE lines of ``tz`` for events from ``first`` to ``last`` (aware instants)."""
    changes = _changes(tz, first - timedelta(days=366), last)  # a year back: the observance in force at first
    lines = ["BEGIN:VTIMEZONE", f"TZID:{tz.key}"]
    if not changes:
        local = first.astimezone(tz)
        offset = local.utcoffset() or timedelta(0)
        return [*lines, *_observance("STANDARD", [_EPOCH_START], offset, offset, local.tzname() or tz.key),
                "END:VTIMEZONE"]
    kinds: dict[tuple[str, timedelta, timedelta, str], list[str]] = {}
    for instant, before, after in changes:
        local = instant.astimezone(tz)
        kind = "DAYLIGHT" if local.dst() else "STANDARD"
        onset = f"{(instant + before).replace(tzinfo=None):%Y%m%dT%H%M%S}"  # wall time before the change
        kinds.setdefault((kind, before, after, local.tzname() or tz.key), []).append(onset)
    for (kind, before, after, name), onsets in kinds.items():
        lines += _observance(kind, onsets, before, after, name)
    return [*lines, "END:VTIMEZONE"]


def _observance(kind: str, onsets: list[str], before: timedelta, after: timedelta, name: str) -> list[str]:
    return [f"BEGIN:{kind}", f"DTSTART:{onsets[0]}", *(f"RDATE:{onset}" for onset in onsets[1:]),
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
