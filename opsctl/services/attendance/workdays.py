"""Whose workdays fall where: the schedules, the holiday calendar and approved leave, for a set
of people and a period (the work reports' expectations and deadlines).

The rule itself, `workdays_from`, is pure (it counts with `shifts`), so the light path of `opsctl
today` uses it on rows it read itself; `workdays_of` reads them for it in four queries."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING, Protocol

from opsctl.services.attendance.shifts import ScheduleBook, day_kind

if TYPE_CHECKING:
    from sqlmodel import Session

    from opsctl.models.people import Employee


class Employed(Protocol):
    """What the rule reads of a person (a model and a Core row both fit)."""

    @property
    def id(self) -> int | None: ...
    @property
    def hired(self) -> date | None: ...
    @property
    def left(self) -> date | None: ...


class Cover(Protocol):
    @property
    def portion(self) -> str: ...


def workdays_from(book: ScheduleBook, calendar: Mapping[date, str], covers: Mapping[tuple[int, date], Cover],
                  people: Sequence[Employed], start: date, end: date) -> dict[int, dict[date, bool]]:
    """Each person's workdays ``start``..``end`` while employed (their schedule's weekdays, or
    what the calendar says), each mapped to True when approved leave covers the whole day."""
    found: dict[int, dict[date, bool]] = {}
    for person in people:
        pid = person.id or 0
        first = max(start, person.hired) if person.hired else start
        last = min(end, person.left) if person.left else end
        days: dict[date, bool] = {}
        for begin, until, rule in book.spans(pid, first, last):
            # each day counted here, not with opsctl.dates.daterange: `opsctl today` loads no dateutil
            for day in (begin + timedelta(days=n) for n in range((until - begin).days + 1)):
                if day_kind(day, rule, calendar) == "workday":
                    cover = covers.get((pid, day))
                    days[day] = cover is not None and cover.portion == "full"
        found[pid] = days
    return found


def workdays_of(session: Session, *, people: Sequence[Employee], start: date, end: date) -> dict[int, dict[date, bool]]:
    """`workdays_from` the stored schedules, calendar and approved leave of ``people``."""
    from opsctl.services.attendance.calendar import calendar_kinds
    from opsctl.services.attendance.schedules import load_book
    from opsctl.services.leave import approved_covers

    ids = [p.id for p in people if p.id is not None]
    return workdays_from(load_book(session, ids), calendar_kinds(session, start, end),
                         approved_covers(session, ids, start, end), people, start, end)


def workdays_ignoring_leave(session: Session, *, person: Employee, start: date, end: date) -> dict[date, bool]:
    """`workdays_from` of one person, leave left out (all False), read with Core on the columns
    `attendance.today` names: the light path of `opsctl today` (no models loaded)."""
    import sqlalchemy as sa

    from opsctl.services.attendance.shifts import book_of
    from opsctl.services.attendance.today import assignment, calendar_day, schedule

    pid = person.id or 0
    book = book_of(session.execute(sa.select(schedule)).all(), session.execute(
        sa.select(assignment.c.employee_id, assignment.c.since, assignment.c.schedule_id)
        .where(assignment.c.employee_id == pid).order_by(assignment.c.since)).all())
    calendar = dict(session.execute(sa.select(calendar_day.c.day, calendar_day.c.kind).where(
        calendar_day.c.day >= start, calendar_day.c.day <= end)).all())
    return workdays_from(book, calendar, {}, [person], start, end)[pid]
