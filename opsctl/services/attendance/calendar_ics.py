"""`calendar import` of an iCalendar (.ics) file: what Google, Outlook, Apple Calendar and the
public holiday feeds publish, read with `icalendar` and its repeats expanded with dateutil.

Which days an event gives:
- An all-day event (``DTSTART;VALUE=DATE``) covers its dates up to DTEND, which is exclusive
  (a three-day holiday is three days); without DTEND (or with DTEND = DTSTART) one day.
- A timed event covers every date it touches in its own time zone (``TZID=…``, or floating
  local time as written), so Outlook's midnight-to-midnight "all-day" events are their dates
  wherever they were made; a time in UTC (``…Z``) is read in the team timezone. An event
  ending at midnight does not cover the next day.
- RRULE (FREQ=YEARLY …) repeats it, with RDATE dates added and EXDATE dates taken out; an
  event with a RECURRENCE-ID replaces that one occurrence of its UID (or cancels it, with
  STATUS:CANCELLED). A cancelled event gives no days.
- A rule with UNTIL or COUNT gives all its dates (to 2100 at most); an open-ended one the
  years asked with ``--year``, else this year and next in the team timezone, so a yearly
  holiday never loops forever. ``--year`` also keeps only those years of any event.

The kind of the day: ``--kind`` for every event, else ``X-OPSCTL-KIND`` or a CATEGORIES word
(holiday, off, workday), else the summary: make-up words (补班, 上班, make-up, workday) mean a
workday, "day off"/调休/休息 an adjusted day off, anything else a public holiday.

A broken file is refused whole, each problem with its line number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from opsctl.errors import InvalidInput
from opsctl.models.attendance import DAY_KINDS

Entry = tuple[int, date, str, str]  # line, date, kind, name

LONGEST_EVENT = timedelta(days=60)
MOST_REPEATS = 1000  # of one event within the years imported
LAST_YEAR = 2100
_WORKDAY_WORDS = ("补班", "上班", "make-up", "makeup", "workday", "working day")
_OFF_WORDS = ("调休", "休息", "day off", "adjusted")
_USED = ("UID", "DTSTART", "DTEND", "DURATION", "RRULE", "RDATE", "EXDATE", "RECURRENCE-ID", "SUMMARY",
         "CATEGORIES", "STATUS", "X-OPSCTL-KIND")
_NAME = re.compile(r"[A-Za-z0-9-]+")


class _Bad(InvalidInput):
    """A problem in one property of an event (its line is reported)."""

    def __init__(self, prop: str, message: str) -> None:
        super().__init__(f"{prop}: {message}")
        self.prop = prop


@dataclass(frozen=True)
class Window:
    """Which dates an import keeps, and how far an open-ended rule repeats."""

    years: frozenset[int] | None
    open_first: date
    open_last: date

    @classmethod
    def of(cls, years: set[int] | None, today: date) -> Window:
        if years:
            if max(years) > LAST_YEAR:
                raise InvalidInput(f"a calendar goes up to {LAST_YEAR}; give --year {LAST_YEAR} or earlier")
            return cls(frozenset(years), date(min(years), 1, 1), date(max(years), 12, 31))
        return cls(None, date(today.year, 1, 1), date(min(today.year + 1, LAST_YEAR), 12, 31))

    def keeps(self, day: date, *, open_rule: bool) -> bool:
        if self.years is not None:
            return day.year in self.years
        return self.open_first <= day <= self.open_last if open_rule else day.year <= LAST_YEAR

    def bounds(self, open_rule: bool) -> tuple[datetime, datetime]:
        """The first and the end (exclusive) of the local times an occurrence may start at."""
        if self.years is None and not open_rule:
            return datetime.min, datetime(LAST_YEAR + 1, 1, 1)
        return datetime.combine(self.open_first, datetime.min.time()) - LONGEST_EVENT, \
            datetime.combine(self.open_last + timedelta(days=1), datetime.min.time())


def read_ics(path: Path, *, tz: ZoneInfo, today: date, years: set[int] | None = None,
             kind: str | None = None) -> tuple[list[Entry], list[str]]:
    """The calendar days of an .ics file, and every problem found (``line N: …``)."""
    import icalendar

    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput(f"{path} is not a UTF-8 text file") from None
    if "BEGIN:VCALENDAR" not in text.upper():
        raise InvalidInput(f"{path} is not an iCalendar file (no BEGIN:VCALENDAR line)")
    outline, problems = _outline(text)
    if problems:
        return [], problems
    try:
        calendar = icalendar.Calendar.from_ical(text)
    except ValueError as exc:
        raise InvalidInput(f"{path} is not a readable iCalendar file: {str(exc).splitlines()[0]}") from None
    events = list(calendar.walk("VEVENT"))
    if len(events) != len(outline):  # icalendar saw the components otherwise; name the events' lines only
        outline = [_Outline(0, {}) for _ in events]
    reader = _Reader(tz, Window.of(years, today), kind)
    return reader.entries(list(zip(events, outline, strict=True)))


@dataclass
class _Outline:
    begin: int  # the line of BEGIN:VEVENT
    lines: dict[str, int]  # the line of each property


def _outline(text: str) -> tuple[list[_Outline], list[str]]:
    """Where each event and property is, and the lines that are not iCalendar at all."""
    events: list[_Outline] = []
    problems: list[str] = []
    open_components: list[tuple[str, int]] = []
    for number, line in _unfolded(text):
        name = _NAME.match(line)
        if name is None or line[name.end():name.end() + 1] not in (":", ";") or ":" not in line:
            problems.append(f"line {number}: not an iCalendar line ({line[:40]!r})")
            continue
        key, value = name.group().upper(), line.partition(":")[2].strip().upper()
        if key == "BEGIN":
            open_components.append((value, number))
            if value == "VEVENT":
                events.append(_Outline(number, {}))
        elif key == "END":
            if not open_components or open_components[-1][0] != value:
                inside = f"BEGIN:{open_components[-1][0]} of line {open_components[-1][1]}" \
                    if open_components else "nothing"
                return events, [*problems, f"line {number}: END:{value} closes {inside}"]
            open_components.pop()
        elif open_components and open_components[-1][0] == "VEVENT":
            events[-1].lines.setdefault(key, number)
    problems += [f"line {number}: BEGIN:{what} is never closed (is the file cut short?)"
                 for what, number in open_components]
    return events, problems


def _unfolded(text: str) -> list[tuple[int, str]]:
    """RFC 5545 lines (CRLF, or LF) with continuation lines (a space or tab first) joined."""
    lines: list[tuple[int, str]] = []
    for number, raw in enumerate(re.split(r"\r\n|\n|\r", text), start=1):
        if raw[:1] in (" ", "\t") and lines:
            lines[-1] = (lines[-1][0], lines[-1][1] + raw[1:])
        elif raw.strip():
            lines.append((number, raw))
    return lines


class _Reader:
    def __init__(self, tz: ZoneInfo, window: Window, kind: str | None) -> None:
        self.tz, self.window, self.kind = tz, window, kind

    def entries(self, events: list[tuple[Any, _Outline]]) -> tuple[list[Entry], list[str]]:
        problems: list[str] = []
        replaced: dict[str, list[datetime | date]] = {}  # UID → the occurrences other events replace
        for event, where in events:
            if "RECURRENCE-ID" in event:
                try:
                    replaced.setdefault(str(event.get("UID", "")), []).append(self._value(event, "RECURRENCE-ID"))
                except _Bad as exc:
                    problems.append(_where(where, exc))
        masters = {str(e.get("UID")) for e, _ in events if "UID" in e and "RECURRENCE-ID" not in e}
        open_uids = {str(e.get("UID")) for e, _ in events if "RECURRENCE-ID" not in e and _open(e)}
        found: dict[date, Entry] = {}
        for event, where in events:
            uid = str(event.get("UID", ""))
            is_override = "RECURRENCE-ID" in event
            try:
                days = self._days(event, where, replaced=[] if is_override or uid not in masters
                                  else replaced.get(uid, []),
                                  open_rule=uid in open_uids if is_override else _open(event))
            except InvalidInput as exc:
                problems.append(_where(where, exc))
                continue
            for entry in days:
                kept = found.setdefault(entry[1], entry)
                if kept[2] != entry[2]:
                    problems.append(f"line {entry[0]}: {entry[1]} is a {entry[2]} here but a {kept[2]} on "
                                    f"line {kept[0]}")
        return sorted(found.values(), key=lambda e: e[1]), problems

    def _days(self, event: Any, where: _Outline, *, replaced: list[datetime | date], open_rule: bool) -> list[Entry]:
        for prop, message in event.errors:
            if prop in _USED:
                raise _Bad(prop, str(message))
        if str(event.get("STATUS", "")).upper() == "CANCELLED":
            return []
        start, all_day, zone = self._start(event)
        length = self._end(event, start, all_day, zone) - start
        if length < timedelta(0):
            raise _Bad("DTEND", "the event ends before it starts")
        if length > LONGEST_EVENT:
            raise _Bad("DTEND", f"the event lasts {length.days} days; is it a holiday?")
        from opsctl.services.attendance.calendar import check_name  # it imports this module lazily

        title = str(event.get("SUMMARY", "")).strip()
        kind = self.kind or _event_kind(event, title)
        name = check_name(title or kind, where="in its SUMMARY")
        skipped = _Skip([self._local(v, zone) if isinstance(v, datetime) else v
                         for v in [*replaced, *self._dates(event, "EXDATE")]], all_day)
        days: set[date] = set()
        for begin in self._starts(event, start, zone, length):
            if not skipped.covers(begin):
                days.update(d for d in _dates_between(begin, begin + length)
                            if self.window.keeps(d, open_rule=open_rule))
        return [(where.begin, day, kind, name) for day in sorted(days)]

    def _starts(self, event: Any, start: datetime, zone: tzinfo, length: timedelta) -> list[datetime]:
        """The local start of every occurrence in the window (one for an event that does not repeat)."""
        extra = [self._local(value, zone) for value in self._dates(event, "RDATE")]
        rules = event.get("RRULE")
        if rules is None:
            return [start, *extra]
        first, end = self.window.bounds(_open(event))
        starts = [s for s in extra if first <= s < end]
        for rule in rules if isinstance(rules, list) else [rules]:
            for begin in self._rule(rule, start, zone):
                if begin >= end:
                    break
                if begin + length >= first:
                    starts.append(begin)
                if len(starts) > MOST_REPEATS:
                    raise _Bad("RRULE", f"the event repeats more than {MOST_REPEATS} times; import fewer years "
                                        "with --year")
        return starts

    def _rule(self, rule: Any, start: datetime, zone: tzinfo) -> Any:
        import icalendar
        from dateutil.rrule import rrulestr

        until = rule.get("UNTIL")
        try:
            expanded = rrulestr(icalendar.vRecur({k: v for k, v in rule.items() if k != "UNTIL"}).to_ical().decode(),
                                dtstart=start)
            if until:
                last = until[0]
                expanded = expanded.replace(until=self._local(last, zone) if isinstance(last, datetime)
                                            else datetime.combine(last, datetime.max.time()))
        except (ValueError, TypeError) as exc:
            raise _Bad("RRULE", f"{exc} ({rule.to_ical().decode()})") from None
        return expanded

    def _start(self, event: Any) -> tuple[datetime, bool, tzinfo]:
        value = self._value(event, "DTSTART")
        all_day = not isinstance(value, datetime)
        zone: tzinfo = self.tz
        if isinstance(value, datetime) and value.tzinfo is not None and not _is_utc(value):
            zone = value.tzinfo
        return self._local(value, zone), all_day, zone

    def _end(self, event: Any, start: datetime, all_day: bool, zone: tzinfo) -> datetime:
        if "DTEND" in event:
            return self._local(self._value(event, "DTEND"), zone)
        if "DURATION" in event:
            return start + self._value(event, "DURATION")
        return start + (timedelta(days=1) if all_day else timedelta(0))

    def _local(self, value: Any, zone: tzinfo) -> datetime:
        """A naive local time: a date at midnight, a TZID time as written, a UTC time in ``zone``."""
        if isinstance(value, tuple):  # an RDATE period
            value = value[0]
        if not isinstance(value, datetime):
            return datetime.combine(value, datetime.min.time())
        if value.tzinfo is None:
            return value
        return value.astimezone(zone).replace(tzinfo=None) if _is_utc(value) else value.replace(tzinfo=None)

    def _dates(self, event: Any, prop: str) -> list[Any]:
        values = event.get(prop)
        if values is None:
            return []
        return [d.dt for group in (values if isinstance(values, list) else [values]) for d in group.dts]

    @staticmethod
    def _value(event: Any, prop: str) -> Any:
        if prop not in event:
            raise _Bad(prop, "missing; every event needs a start date")
        try:
            return event.decoded(prop)
        except (ValueError, TypeError) as exc:
            raise _Bad(prop, str(exc)) from None


class _Skip:
    """The occurrences taken out (EXDATE) or replaced (RECURRENCE-ID): a date matches its whole day."""

    def __init__(self, values: list[datetime | date], all_day: bool) -> None:
        self.days = {v.date() if isinstance(v, datetime) else v for v in values
                     if all_day or not isinstance(v, datetime)}
        self.times = {v for v in values if isinstance(v, datetime)}

    def covers(self, begin: datetime) -> bool:
        return begin in self.times or begin.date() in self.days


def _open(event: Any) -> bool:
    rules = event.get("RRULE")
    if rules is None:
        return False
    return any("UNTIL" not in r and "COUNT" not in r for r in (rules if isinstance(rules, list) else [rules]))


def _is_utc(value: datetime) -> bool:
    return value.tzinfo is UTC or getattr(value.tzinfo, "key", None) in ("UTC", "Etc/UTC", "GMT", "Etc/GMT")


def _dates_between(start: datetime, end: datetime) -> list[date]:
    """The dates from ``start`` up to ``end`` (exclusive; at least the start's date)."""
    last = max(start, end - timedelta(microseconds=1)).date()
    return [start.date() + timedelta(days=i) for i in range((last - start.date()).days + 1)]


def _event_kind(event: Any, title: str) -> str:
    words = [str(event.get("X-OPSCTL-KIND", ""))]
    categories = event.get("CATEGORIES")
    for group in categories if isinstance(categories, list) else [categories] if categories else []:
        words += [str(c) for c in group.cats]
    for word in ",".join(words).lower().split(","):
        if word.strip() in DAY_KINDS:
            return word.strip()
    lowered = title.lower()
    if any(word in lowered for word in _WORKDAY_WORDS) or lowered.endswith("班"):
        return "workday"
    if any(word in lowered for word in _OFF_WORDS):
        return "off"
    return "holiday"


def _where(where: _Outline, exc: InvalidInput) -> str:
    line = where.lines.get(exc.prop, where.begin) if isinstance(exc, _Bad) else where.begin
    return f"line {line}: {exc.message}" if line else exc.message
