"""Whose workdays fall where: the schedules, the holiday calendar and approved leave, for a set
of people and a period, in four queries (the work reports' expectations and deadlines)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlmodel import Session

from opsctl.dates import daterange
from opsctl.models.people import Employee
from opsctl.services.attendance.calendar import calendar_kinds
from opsctl.services.attendance.schedules import load_book
from opsctl.services.attendance.shifts import day_kind


def workdays_of(session: Session, *, people: Sequence[Employee], start: date, end: date) -> dict[int, dict[date, bool]]:
    """Each person's workdays ``start``..``end`` while employed (their schedule's weekdays, or
    what the calendar says), each mapped to True when approved leave covers the whole day."""
    from opsctl.services.leave import approved_covers

    ids = [p.id for p in people if p.id is not None]
    book = load_book(session, ids)
    calendar = calendar_kinds(session, start, end)
    covers = approved_covers(session, ids, start, end)
    found: dict[int, dict[date, bool]] = {}
    for person in people:
        pid = person.id or 0
        first = max(start, person.hired) if person.hired else start
        last = min(end, person.left) if person.left else end
        days: dict[date, bool] = {}
        for begin, until, rule in book.spans(pid, first, last):
            for day in daterange(begin, until):
                if day_kind(day, rule, calendar) == "workday":
                    cover = covers.get((pid, day))
                    days[day] = cover is not None and cover.portion == "full"
        found[pid] = days
    return found
