"""The holiday calendar: public holidays, adjusted days off and make-up workdays.

`calendar import` reads CSV (``date,kind,name``) or iCalendar (.ics, read by
`attendance.calendar_ics`: all-day and timed events, yearly and other repeats, and how
an event's kind is decided). ``years`` keeps only those years of a file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from opsctl.errors import Conflict, InvalidInput, NotFound
from opsctl.models.attendance import DAY_KINDS, CalendarDay
from opsctl.models.people import Employee
from opsctl.services import audit
from opsctl.services.access import require_employee, require_roles

if TYPE_CHECKING:
    from opsctl.services.attendance.calendar_ics import Entry
    from opsctl.services.attendance.schedules import Changed
    from opsctl.services.leave import Recount

CALENDAR_ADMINS = ("hr", "admin")


def check_kind(kind: str) -> str:
    kind = kind.strip().lower()
    if kind not in DAY_KINDS:
        raise InvalidInput(f"unknown day kind {kind!r}; use one of: {', '.join(DAY_KINDS)}")
    return kind


def check_name(name: str, *, where: str = "with --name") -> str:
    name = name.strip()
    if not name:
        raise InvalidInput(f"give the day a name {where} (e.g. 'Labour Day / 劳动节')")
    if len(name) > 120:
        raise InvalidInput("the name is too long (at most 120 characters)")
    return name


def calendar_row(entry: CalendarDay) -> dict[str, Any]:
    return {"date": entry.day, "weekday": f"{entry.day:%a}", "kind": entry.kind, "name": entry.name}


def add_calendar_day(session: Session, *, actor: Employee, now: datetime, day: date, kind: str,
                     name: str) -> Changed:
    require_roles(actor, *CALENDAR_ADMINS, action="change the holiday calendar")
    kind, name = check_kind(kind), check_name(name)
    existing = session.get(CalendarDay, day)
    if existing is not None:
        raise Conflict(
            f"{day} is already in the calendar ({existing.kind}: {existing.name}); "
            f"remove it first with `opsctl calendar rm {day}`"
        )
    entry = CalendarDay(day=day, kind=kind, name=name)
    session.add(entry)
    session.flush()
    audit.record(session, now=now, actor=actor, action="calendar.add", entity="calendar_day", entity_id=day,
                 details={"kind": kind, "name": name})
    return _changed(session, calendar_row(entry), day, actor=actor, now=now)


def remove_calendar_day(session: Session, *, actor: Employee, now: datetime, day: date) -> Changed:
    require_roles(actor, *CALENDAR_ADMINS, action="change the holiday calendar")
    entry = session.get(CalendarDay, day)
    if entry is None:
        raise NotFound(f"{day} is not in the calendar; see `opsctl calendar list --year {day.year}`")
    row = calendar_row(entry)
    session.delete(entry)
    session.flush()
    audit.record(session, now=now, actor=actor, action="calendar.rm", entity="calendar_day", entity_id=day,
                 details={"kind": entry.kind, "name": entry.name})
    return _changed(session, row, day, actor=actor, now=now)


def _recount(session: Session, days: list[date], *, actor: Employee, now: datetime) -> list[Recount]:
    """Leave already asked for or approved over ``days`` counts what the calendar now says."""
    from opsctl.services.leave import recount_leave

    return recount_leave(session, days=days, actor=actor, now=now, note="the holiday calendar changed")


def _changed(session: Session, row: dict[str, Any], day: date, *, actor: Employee, now: datetime) -> Changed:
    from opsctl.services.attendance.schedules import Changed

    return Changed(row, _recount(session, [day], actor=actor, now=now))


def list_calendar(session: Session, *, viewer: Employee, year: int) -> list[dict[str, Any]]:
    """The calendar's dates of ``year`` (any employee may see them)."""
    require_employee(session, viewer)
    query = select(CalendarDay).where(CalendarDay.day >= date(year, 1, 1), CalendarDay.day <= date(year, 12, 31))
    return [calendar_row(e) for e in session.exec(query.order_by(col(CalendarDay.day)))]


def calendar_kinds(session: Session, start: date, end: date) -> dict[date, str]:
    """The calendar's say on every date from ``start`` to ``end`` that it mentions."""
    query = select(col(CalendarDay.day), col(CalendarDay.kind)).where(CalendarDay.day >= start, CalendarDay.day <= end)
    return dict(session.exec(query).all())


# -- import ------------------------------------------------------------------------------

@dataclass
class CalendarImport:
    file: str
    added: list[date] = field(default_factory=list)
    changed: list[date] = field(default_factory=list)
    unchanged: list[date] = field(default_factory=list)
    recounted: list[Recount] = field(default_factory=list)

    def record(self) -> dict[str, Any]:
        days = sorted(self.added + self.changed + self.unchanged)
        return {
            "file": self.file, "added": len(self.added), "changed": len(self.changed),
            "unchanged": len(self.unchanged), "first": days[0] if days else None, "last": days[-1] if days else None,
            "recounted_leave": [r.request_id for r in self.recounted],
        }


def import_calendar(session: Session, *, actor: Employee, now: datetime, path: Path, years: set[int] | None = None,
                    kind: str | None = None, tz: ZoneInfo | None = None) -> CalendarImport:
    """Add or update the dates of a CSV or .ics file; if any line is bad, nothing is written.
    ``years``: only those years of the file (and how far an open-ended .ics repeat goes, else
    this year and next); ``kind``: the kind of every .ics event."""
    from opsctl.services.config import team_timezone
    from opsctl.tablefile import report_bad_rows, require_file

    require_roles(actor, *CALENDAR_ADMINS, action="change the holiday calendar")
    require_file(path)
    if path.suffix.lower() == ".ics":
        from opsctl.services.attendance.calendar_ics import read_ics  # calendar import alone reads .ics

        tz = tz or team_timezone(session)
        entries, problems = read_ics(path, tz=tz, today=now.astimezone(tz).date(), years=years,
                                     kind=kind and check_kind(kind))
    elif kind is not None:
        raise InvalidInput("--kind is for .ics files; a CSV gives each date's kind in its kind column")
    else:
        entries, problems = _read_csv(path)
        entries = [e for e in entries if years is None or e[1].year in years]
    seen: dict[date, int] = {}
    for line, day, _kind, _name in entries:
        if day in seen and seen[day] != line:
            problems.append(f"line {line}: {day} is also on line {seen[day]}")
        seen.setdefault(day, line)
    report_bad_rows(path, problems)
    if not entries:
        asked = f" in {', '.join(map(str, sorted(years)))}" if years else ""
        raise InvalidInput(f"{path} holds no calendar days{asked}")
    stored = {e.day: e for e in session.exec(select(CalendarDay).where(col(CalendarDay.day).in_(list(seen))))}
    result = CalendarImport(path.name)
    for _line, day, kind, name in entries:
        entry = stored.get(day)
        if entry is None:
            stored[day] = CalendarDay(day=day, kind=kind, name=name)
            session.add(stored[day])
            result.added.append(day)
        elif (entry.kind, entry.name) != (kind, name):
            entry.kind, entry.name = kind, name
            result.changed.append(day)
        else:
            result.unchanged.append(day)
    session.flush()
    audit.record(session, now=now, actor=actor, action="calendar.import", entity="file", entity_id=path.name[:64],
                 details={"added": len(result.added), "changed": [str(d) for d in result.changed]})
    result.recounted = _recount(session, result.added + result.changed, actor=actor, now=now)
    return result


def _read_csv(path: Path) -> tuple[list[Entry], list[str]]:
    from opsctl.tablefile import read_rows

    entries, problems = [], []
    for row in read_rows(path, required=("date", "kind", "name")):
        try:
            entries.append((row.line, _iso_day(row.get("date")), check_kind(row.get("kind")),
                            check_name(row.get("name"), where="in the name column")))
        except InvalidInput as exc:
            problems.append(f"line {row.line}: {exc.message}")
    return entries, problems


def _iso_day(text: str) -> date:
    from opsctl.dates import parse_date

    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise InvalidInput(f"not a date: {text!r} (use YYYY-MM-DD)")
    return parse_date(text, today=date.min)  # names the part that does not exist (2026-02-30)
