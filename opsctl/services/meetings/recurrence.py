"""Recurring meetings: RFC 5545 rules through dateutil.rrule, and what they expand to.

A rule is stored as its RRULE value with UNTIL in UTC (ready for an .ics file) and is
expanded in the meeting's own timezone, so that a weekly 10:00 stays at 10:00 when
the clocks change. Occurrences are numbered from 1 (the first start) in rule order;
that number is what makes an occurrence's id (``5.3``) stable.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import islice
from zoneinfo import ZoneInfo

from dateutil.rrule import rrule, rrulestr

from opsctl.errors import InvalidInput

EVERY = {"weekly": "FREQ=WEEKLY", "biweekly": "FREQ=WEEKLY;INTERVAL=2", "monthly": "FREQ=MONTHLY"}
FREQUENCIES = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
MAX_COUNT = 5000  # a bounded series is expanded whole once, to know its last start
RULE_FORMS = "e.g. FREQ=WEEKLY;BYDAY=MO,WE or FREQ=MONTHLY;BYDAY=1MO;UNTIL=20261231"
_UNTIL_RE = re.compile(r"^(\d{8})(?:T(\d{6})(Z?))?$")


@dataclass(frozen=True)
class Recurrence:
    rule: str
    last_start: datetime | None  # None: open-ended


def _fail(text: str, why: str) -> InvalidInput:
    return InvalidInput(f"not a usable recurrence rule: {text!r} ({why}; {RULE_FORMS})")


def _parts(text: str) -> list[tuple[str, str]]:
    body = text.strip()
    if body.upper().startswith("RRULE:"):
        body = body[6:]
    if not body or "\n" in body or "DTSTART" in body.upper():
        raise _fail(text, "give one RRULE value; the start comes from --at")
    parts = []
    for item in body.strip(";").split(";"):
        key, sep, value = item.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise _fail(text, f"{item!r} is not NAME=VALUE")
        parts.append((key.strip().upper(), value.strip().upper()))
    keys = [k for k, _ in parts]
    if len(set(keys)) != len(keys):
        raise _fail(text, "a part is given twice")
    return parts


def _until_utc(value: str, tz: ZoneInfo, text: str) -> datetime:
    """UNTIL as the user wrote it: a UTC instant (…Z), or a date / local time in the team zone."""
    m = _UNTIL_RE.match(value)
    if not m:
        raise _fail(text, f"UNTIL={value} is not YYYYMMDD or YYYYMMDDTHHMMSS[Z]")
    try:
        day = datetime.strptime(m[1], "%Y%m%d").date()
        clock = datetime.strptime(m[2], "%H%M%S").time() if m[2] else time(23, 59, 59)
    except ValueError:
        raise _fail(text, f"UNTIL={value} is not a real date and time") from None
    if m[3]:
        return datetime.combine(day, clock, UTC)
    return datetime.combine(day, clock, tz).astimezone(UTC)


def until_of(day: date, tz: ZoneInfo) -> datetime:
    """``--until D``: the last moment of day D in the team timezone, as UTC."""
    return datetime.combine(day, time(23, 59, 59), tz).astimezone(UTC)


def build_rule(
    *, start: datetime, tz: ZoneInfo, every: str | None = None, until: date | None = None,
    rule: str | None = None,
) -> Recurrence | None:
    """The recurrence of a new meeting (None for a one-off), checked against its first start."""
    if every is not None and rule is not None:
        raise InvalidInput("give either --every or --rrule, not both")
    if every is None and rule is None:
        if until is not None:
            raise InvalidInput("--until needs --every or --rrule (a one-off meeting has no end date)")
        return None
    if every is not None:
        if every.lower() not in EVERY:
            raise InvalidInput(f"--every {every!r} is not one of: {', '.join(EVERY)} (or use --rrule)")
        local = start.astimezone(tz)
        if every.lower() == "monthly" and local.day > 28:
            raise InvalidInput(
                f"--every monthly from day {local.day} would skip the months that lack it; use "
                "--rrule FREQ=MONTHLY;BYMONTHDAY=-1 for the last day of each month"
            )
        rule = EVERY[every.lower()]
    assert rule is not None
    parts = _parts(rule)
    values = dict(parts)
    if values.get("FREQ") not in FREQUENCIES:
        raise _fail(rule, f"FREQ must be one of {', '.join(FREQUENCIES)}")
    if "COUNT" in values and ("UNTIL" in values or until is not None):
        raise _fail(rule, "COUNT and UNTIL cannot both be given")
    for key in ("COUNT", "INTERVAL"):
        if key in values and (not values[key].isdigit() or not 1 <= int(values[key]) <= MAX_COUNT):
            raise _fail(rule, f"{key} must be a whole number from 1 to {MAX_COUNT}")
    if until is not None:
        if "UNTIL" in values:
            raise _fail(rule, "the rule already has UNTIL; drop --until")
        if until_of(until, tz) < start:
            raise InvalidInput(f"--until {until} is before the first meeting (--at "
                               f"{start.astimezone(tz):%Y-%m-%d %H:%M}); give a later --until")
        parts.append(("UNTIL", f"{until_of(until, tz):%Y%m%dT%H%M%SZ}"))
    elif "UNTIL" in values:
        parts = [(k, f"{_until_utc(v, tz, rule):%Y%m%dT%H%M%SZ}" if k == "UNTIL" else v) for k, v in parts]
    text = ";".join(f"{key}={value}" for key, value in parts)
    try:
        expanded = _expand(text, start, tz)
        first = next(iter(expanded), None)
    except (ValueError, TypeError) as exc:
        raise _fail(rule, str(exc)) from None
    local_start = start.astimezone(tz)
    if first is None:
        raise _fail(rule, f"it has no occurrence from {local_start:%Y-%m-%d %H:%M} on")
    if first != start:
        raise InvalidInput(
            f"the rule's first meeting is {first.astimezone(tz):%a %Y-%m-%d %H:%M}, not --at "
            f"{local_start:%a %Y-%m-%d %H:%M}; give --at the date of the first meeting"
        )
    return Recurrence(text, _last_start(expanded, rule))


def _expand(rule: str, start: datetime, tz: ZoneInfo) -> rrule:
    result = rrulestr(rule, dtstart=start.astimezone(tz))
    if not isinstance(result, rrule):  # pragma: no cover - _parts allows a single rule only
        raise ValueError("one rule expected")
    return result


def _last_start(expanded: rrule, rule: str) -> datetime | None:
    """The last meeting of a bounded series (None: it never ends). A series bounded by UNTIL
    is held to MAX_COUNT meetings like one bounded by COUNT: counting stopped short of its end
    would keep a wrong last date (and hide the later meetings from lists)."""
    if expanded._count is None and expanded._until is None:  # dateutil keeps them private
        return None
    starts = list(islice(expanded, MAX_COUNT + 1))
    if len(starts) > MAX_COUNT:
        raise _fail(rule, f"it makes more than {MAX_COUNT} meetings; give an earlier UNTIL (or --until)")
    return starts[-1].astimezone(UTC) if starts else None


def starts(rule: str | None, start: datetime, tz: ZoneInfo) -> Iterator[datetime]:
    """Every start of the series, in order (UTC); a one-off meeting has one."""
    if rule is None:
        yield start
        return
    for moment in _expand(rule, start, tz):
        yield moment.astimezone(UTC)


def nth_start(rule: str | None, start: datetime, tz: ZoneInfo, seq: int) -> datetime | None:
    """The start of occurrence number ``seq`` (from 1), or None if the series has no such one."""
    if seq < 1 or seq > 100_000:
        return None
    return next(islice(starts(rule, start, tz), seq - 1, None), None)


def starts_between(
    rule: str | None, start: datetime, tz: ZoneInfo, low: datetime, high: datetime
) -> list[tuple[int, datetime]]:
    """(seq, start) of the occurrences starting in [low, high)."""
    found = []
    for seq, moment in enumerate(starts(rule, start, tz), 1):
        if moment >= high:
            break
        if moment >= low:
            found.append((seq, moment))
    return found


def last_before(rule: str | None, start: datetime, tz: ZoneInfo, moment: datetime) -> tuple[int, datetime] | None:
    """The last occurrence starting before ``moment``."""
    found = None
    for seq, begin in enumerate(starts(rule, start, tz), 1):
        if begin >= moment:
            break
        found = (seq, begin)
    return found


def end_rule(rule: str, last: datetime) -> str:
    """The rule stopped after the occurrence that starts at ``last`` (COUNT/UNTIL replaced)."""
    kept = [part for part in rule.split(";") if part.split("=", 1)[0] not in ("COUNT", "UNTIL")]
    return ";".join([*kept, f"UNTIL={last.astimezone(UTC):%Y%m%dT%H%M%SZ}"])


def next_after(rule: str | None, start: datetime, tz: ZoneInfo, moment: datetime) -> tuple[int, datetime] | None:
    """The first occurrence starting at or after ``moment``."""
    for seq, begin in enumerate(starts(rule, start, tz), 1):
        if begin >= moment:
            return seq, begin
    return None


_DAYS = {"MO": "Monday", "TU": "Tuesday", "WE": "Wednesday", "TH": "Thursday", "FR": "Friday",
         "SA": "Saturday", "SU": "Sunday"}
_UNITS = {"DAILY": "day", "WEEKLY": "week", "MONTHLY": "month", "YEARLY": "year"}
_NTH = {"1": "first", "2": "second", "3": "third", "4": "fourth", "-1": "last"}
_BYDAY_RE = re.compile(r"^([+-]?\d)?(MO|TU|WE|TH|FR|SA|SU)$")


def _on_days(unit: str, byday: str | None, local: datetime) -> str | None:
    """" on Monday and Thursday", " on the first Monday": the days, or None when words cannot say it."""
    if byday is None:
        by_unit = {"week": f" on {local:%A}", "month": f" on day {local.day}", "year": f" on {local:%B} {local.day}"}
        return by_unit.get(unit, "")
    days = [_BYDAY_RE.match(item) for item in byday.split(",")]
    if not all(days):
        return None
    if unit == "week" and not any(m[1] for m in days if m):
        names = [_DAYS[m[2]] for m in days if m]
        return " on " + (names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}")
    if unit == "month" and len(days) == 1 and days[0] and (days[0][1] or "").lstrip("+") in _NTH:
        return f" on the {_NTH[(days[0][1] or '').lstrip('+')]} {_DAYS[days[0][2]]}"
    return None


def describe(rule: str | None, start: datetime, tz: ZoneInfo) -> str:
    """How the series repeats, in words: ``every week on Wednesday at 14:00 until 2026-07-29``."""
    local = start.astimezone(tz)
    if rule is None:
        return "once"
    values = dict(part.split("=", 1) for part in rule.split(";"))
    interval = int(values.get("INTERVAL", "1"))
    unit = _UNITS[values["FREQ"]]
    days = _on_days(unit, values.get("BYDAY"), local)
    if set(values) - {"FREQ", "INTERVAL", "UNTIL", "COUNT", "BYDAY"} or days is None:
        return f"RRULE {rule}"
    words = f"every {unit}" if interval == 1 else f"every {interval} {unit}s"
    words += f"{days} at {local:%H:%M}"
    if "UNTIL" in values:
        words += f" until {_until_utc(values['UNTIL'], tz, rule).astimezone(tz):%Y-%m-%d}"
    elif "COUNT" in values:
        words += f", {values['COUNT']} times"
    return words


def occurrence_end(begin: datetime, duration_min: int) -> datetime:
    return begin + timedelta(minutes=duration_min)
