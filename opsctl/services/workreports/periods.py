"""The periods a report covers (a day, a week), the rules from the settings (who is expected
to report what, and by when) and the deadlines."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session

from opsctl.errors import InvalidInput
from opsctl.models.people import Employee

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_ISO_WEEK = re.compile(r"(\d{4})-?w(\d{1,2})")
WEEK_FORMS = "YYYY-Www (e.g. 2026-W12), this, last, next, or any day of the week (YYYY-MM-DD, -1w, …)"


@dataclass(frozen=True, order=True)
class ReportPeriod:
    """What one report covers: a day, or a week (``start``..``end``, both included)."""

    kind: str  # day | week
    start: date
    end: date

    @property
    def label(self) -> str:
        if self.kind == "day":
            return self.start.isoformat()
        monday = self.start + timedelta(days=-self.start.weekday() % 7)  # names a Sunday week by its Monday
        year, week, _ = monday.isocalendar()
        return f"{year}-W{week:02d}"

    def next(self) -> ReportPeriod:
        step = timedelta(days=1 if self.kind == "day" else 7)
        return ReportPeriod(self.kind, self.start + step, self.end + step)


def day_period(day: date) -> ReportPeriod:
    return ReportPeriod("day", day, day)


def week_period(day: date, week_start: int = 0) -> ReportPeriod:
    first = day - timedelta(days=(day.weekday() - week_start) % 7)
    return ReportPeriod("week", first, first + timedelta(days=6))


def parse_week(text: str | None, *, today: date, week_start: int = 0, default: int = 0) -> ReportPeriod:
    """A week: ISO ``2026-W12``, this/last/next, or any day in it; None: this week moved by
    ``default`` weeks (``-1``: last week)."""
    from opsctl.dates import parse_date

    words = {"this": 0, "last": -1, "next": 1}
    s = (text or "").strip().lower()
    if not s:
        return week_period(today + timedelta(weeks=default), week_start)
    if s in words:
        return week_period(today + timedelta(weeks=words[s]), week_start)
    if m := _ISO_WEEK.fullmatch(s):
        try:
            monday = date.fromisocalendar(int(m[1]), int(m[2]), 1)
        except ValueError:
            raise InvalidInput(f"not a week: {text!r} (use {WEEK_FORMS})") from None
        # a Sunday week is the one that holds this Monday
        return week_period(monday, week_start)
    try:
        return week_period(parse_date(s, today=today, week_start=week_start), week_start)
    except InvalidInput:
        raise InvalidInput(f"not a week: {text!r} (use {WEEK_FORMS})") from None


def check_not_future(period: ReportPeriod, today: date) -> None:
    if period.start > today:
        raise InvalidInput(f"the {period.kind} {period.label} has not started yet (today is {today}); "
                           "report on a day or week that has begun")


@dataclass(frozen=True)
class ReportRules:
    """The team's settings for work reports, read once."""

    kinds: str                 # day | week | both | none
    roles: tuple[str, ...]     # roles expected to report
    week_deadline: tuple[int, time]  # weekday after the week, time
    day_deadline: time         # at this time of the next workday
    tz: ZoneInfo
    week_start: int

    @classmethod
    def load(cls, session: Session) -> ReportRules:
        from opsctl.services.config import load_settings

        return cls.of(load_settings(session))

    @classmethod
    def of(cls, settings: dict[str, Any]) -> ReportRules:
        day, _, clock = str(settings["report.week_deadline"]).partition(" ")
        return cls(
            kinds=settings["report.kinds"], roles=tuple(settings["report.roles"]),
            week_deadline=(WEEKDAYS.index(day), time.fromisoformat(clock)),
            day_deadline=time.fromisoformat(settings["report.day_deadline"]),
            tz=ZoneInfo(settings["timezone"]), week_start=0 if settings["week_start"] == "monday" else 6,
        )

    def expected_kinds(self) -> list[str]:
        return {"day": ["day"], "week": ["week"], "both": ["day", "week"]}.get(self.kinds, [])

    def expects(self, person: Employee, kind: str) -> bool:
        return person.role in self.roles and kind in self.expected_kinds()

    def week_due(self, period: ReportPeriod) -> datetime:
        """The first ``week_deadline`` weekday after the week, at its time (team timezone)."""
        weekday, clock = self.week_deadline
        day = period.end + timedelta(days=(weekday - period.end.weekday() - 1) % 7 + 1)
        return self._instant(day, clock)

    def day_due(self, period: ReportPeriod, next_workday: date | None) -> datetime:
        """``day_deadline`` on the person's next workday (the next day when none is in sight)."""
        return self._instant(next_workday or period.end + timedelta(days=1), self.day_deadline)

    def _instant(self, day: date, clock: time) -> datetime:
        # a deadline the clocks skip (spring forward) falls an hour later: never refused
        return datetime.combine(day, clock, tzinfo=self.tz).astimezone(UTC)


# A day report's deadline looks this far ahead for the next workday (a long holiday fits).
LOOKAHEAD_DAYS = 21


def deadlines(session: Session, rules: ReportRules, people: Sequence[Employee], periods: Sequence[ReportPeriod],
              ahead: Mapping[int, Mapping[date, bool]] | None = None) -> dict[tuple[int, ReportPeriod], datetime]:
    """When each of ``people`` owes the report of each of ``periods``: a day report on that
    person's next workday (``ahead``: their workdays after the days, else read in one go)."""
    days = [p for p in periods if p.kind == "day"]
    if days and ahead is None:
        from opsctl.services.attendance import workdays_of

        first, last = min(p.start for p in days), max(p.end for p in days)
        ahead = workdays_of(session, people=people, start=first + timedelta(days=1),
                            end=last + timedelta(days=LOOKAHEAD_DAYS))
    due: dict[tuple[int, ReportPeriod], datetime] = {}
    for person in people:
        pid = person.id or 0
        following = sorted((ahead or {}).get(pid, {}))
        for period in periods:
            if period.kind == "week":
                due[(pid, period)] = rules.week_due(period)
            else:
                due[(pid, period)] = rules.day_due(period, next((d for d in following if d > period.end), None))
    return due


def owed_periods(rules: ReportRules, person: Employee, workdays: Mapping[date, bool], *,
                 today: date) -> list[ReportPeriod]:
    """The reports ``person`` owes for ``workdays`` (date -> on leave all day): a week report for
    each week that has ended and held a workday not on leave; a day report for each such workday
    before ``today``. Whether they were written is the caller's business."""
    working = sorted(d for d, on_leave in workdays.items() if not on_leave)
    owed: list[ReportPeriod] = []
    if rules.expects(person, "week"):
        owed += [w for w in sorted({week_period(d, rules.week_start) for d in working}) if w.end < today]
    if rules.expects(person, "day"):
        owed += [day_period(d) for d in working if d < today]
    return owed


def owed_rows(owed: Sequence[tuple[Employee, ReportPeriod]], due: dict[tuple[int, ReportPeriod], datetime], *,
              teams: dict[int | None, str | None], stored: set[tuple[int, str, date]],
              now: datetime) -> list[dict[str, Any]]:
    rows = []
    for person, period in owed:
        when = due[(person.id or 0, period)]
        rows.append({"login": person.login, "name": person.name, "team": teams.get(person.id), "kind": period.kind,
                     "period": period.label, "due": when, "overdue": now > when,
                     "draft": (person.id or 0, period.kind, period.start) in stored})
    return rows


def period_named(session: Session, *, kind: str, text: str | None, today: date, weeks_back: int = 0) -> ReportPeriod:
    """The day (a date; None: today) or week (`parse_week`; None: this week, ``weeks_back`` earlier)
    that ``text`` names, weeks starting on the team's `week_start`."""
    from opsctl.dates import parse_date
    from opsctl.services.config import get_setting

    week_start = 0 if get_setting(session, "week_start") == "monday" else 6
    if kind == "day":
        return day_period(parse_date(text, today=today, week_start=week_start) if text else today)
    return parse_week(text, today=today, week_start=week_start, default=-weeks_back)
