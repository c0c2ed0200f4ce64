"""What the `attend status|log|day|month` commands show, limited to what the viewer may see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session

from opsctl.dates import Period
from opsctl.errors import InvalidInput
from opsctl.models.people import Employee
from opsctl.services.attendance.access import require_view, visible_ids
from opsctl.services.attendance.calendar import calendar_kinds
from opsctl.services.attendance.punches import PunchState, list_punches, punch_state
from opsctl.services.attendance.rules import ScheduleRule, day_kind
from opsctl.services.attendance.schedules import load_book
from opsctl.services.attendance.summary import PersonSummary, employed_people, summarize_period


def _subject(session: Session, viewer: Employee, login: str | None) -> Employee:
    from opsctl.services.people import get_person

    person = get_person(session, login) if login else viewer
    require_view(session, viewer, person)
    return person


def person_status(
    session: Session, *, viewer: Employee, login: str | None, now: datetime, tz: ZoneInfo
) -> tuple[PunchState, str]:
    """The person's punch state now, and the kind of their current work date."""
    person = _subject(session, viewer, login)
    state = punch_state(session, person=person, now=now, tz=tz)
    return state, day_kind(state.work_date, state.rule, calendar_kinds(session, state.work_date, state.work_date))


def punch_log(
    session: Session, *, viewer: Employee, login: str | None, start: date, end: date
) -> tuple[Employee, list[dict[str, Any]]]:
    if end < start:
        raise InvalidInput(f"--to {end} is before --from {start}")
    person = _subject(session, viewer, login)
    return person, list_punches(session, people=[person], start=start, end=end)


@dataclass
class TeamView:
    summaries: list[PersonSummary]
    hidden: int  # people in the period the viewer may not see


def team_view(
    session: Session, *, viewer: Employee, start: date, end: date, today: date, team: str | None = None,
    now: datetime | None = None,
) -> TeamView:
    """Everyone (of ``team``) employed in the period whose attendance ``viewer`` may see."""
    people = [person for person, _ in employed_people(session, start=start, end=end, team=team)]
    allowed = visible_ids(session, viewer, people)
    shown = [p for p in people if p.id in allowed]
    summaries = (summarize_period(session, start=start, end=end, today=today, people=shown, now=now)
                 if shown else [])
    return TeamView(summaries, len(people) - len(shown))


@dataclass
class PersonMonth:
    summary: PersonSummary
    period: Period
    rules: list[ScheduleRule]  # the schedules followed that month
    week_start: int  # 0 = Monday, 6 = Sunday
    today: date


def person_month(
    session: Session, *, viewer: Employee, login: str, period: Period, today: date, now: datetime | None = None
) -> PersonMonth:
    from opsctl.services.config import get_setting

    person = _subject(session, viewer, login)
    found = summarize_period(session, start=period.start, end=period.end, today=today, people=[person], now=now)
    if not found:
        hired = f" (hired {person.hired})" if person.hired else ""
        left = f" (left {person.left})" if person.left else ""
        raise InvalidInput(f"{person.login} was not employed in {period.label}{hired}{left}")
    book = load_book(session, [person.id or 0])
    rules = sorted({book.rule_for(person.id or 0, d.date) for d in found[0].days}, key=lambda r: r.name)
    week_start = 6 if get_setting(session, "week_start") == "sunday" else 0
    return PersonMonth(found[0], period, rules, week_start, today)
