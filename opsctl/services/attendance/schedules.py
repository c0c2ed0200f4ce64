"""Work schedules: adding them, the team default, who follows which from when.

People without an assignment follow the default schedule (the one flagged
``is_default``: the first schedule added, or the one `schedule default NAME` names).
Until a team adds any schedule, everyone follows the built-in STANDARD rule
(09:00–18:00, break 12:00–13:00, Monday to Friday).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import update
from sqlmodel import Session, col, select

from opsctl.errors import Conflict, InvalidInput, NotFound
from opsctl.models.attendance import Punch, Schedule, ScheduleAssignment
from opsctl.models.people import Employee
from opsctl.services import audit
from opsctl.services.access import require_employee, require_roles
from opsctl.services.attendance.shifts import ScheduleBook, ScheduleRule, book_of, rule_of

if TYPE_CHECKING:
    from opsctl.services.leave import Recount

SCHEDULE_ADMINS = ("hr", "admin")
MAX_GRACE = 240


def get_schedule(session: Session, name: str) -> Schedule:
    schedule = session.exec(select(Schedule).where(Schedule.name == name.strip())).first()
    if schedule is None:
        known = session.exec(select(Schedule.name).order_by(Schedule.name)).all()
        listing = f"schedules: {', '.join(known)}" if known else "there are no schedules yet"
        raise NotFound(f"unknown schedule {name!r} ({listing}); add it with `opsctl schedule add {name} …`")
    return schedule


def _check_shift(start: time, end: time, breaks: tuple[time, time] | None) -> None:
    if start == end:
        raise InvalidInput(f"a shift cannot start and end at {start:%H:%M}; give different --start and --end")
    if breaks is None:
        return
    length = _from_start(end, start)
    if not 0 < _from_start(breaks[0], start) < _from_start(breaks[1], start) < length:
        raise InvalidInput(
            f"the break {breaks[0]:%H:%M}-{breaks[1]:%H:%M} is not inside the shift {start:%H:%M}–{end:%H:%M}"
        )


def _from_start(clock: time, start: time) -> int:
    """Minutes from the shift start to ``clock`` (going past midnight for overnight shifts)."""
    return ((clock.hour * 60 + clock.minute) - (start.hour * 60 + start.minute)) % (24 * 60)


def _check_grace(value: int, option: str) -> int:
    if not 0 <= value <= MAX_GRACE:
        raise InvalidInput(f"{option} must be between 0 and {MAX_GRACE} minutes, not {value}")
    return value


def add_schedule(
    session: Session,
    *,
    actor: Employee,
    now: datetime,
    name: str,
    start: time,
    end: time,
    breaks: tuple[time, time] | None = None,
    late_grace: int = 0,
    early_grace: int = 0,
    days: frozenset[int] = frozenset(range(5)),
    default: bool = False,
) -> Schedule:
    """A new schedule (HR/admin). The first one becomes the default."""
    require_roles(actor, *SCHEDULE_ADMINS, action="add schedules")
    name = name.strip()
    if not name:
        raise InvalidInput("the schedule name must not be empty")
    if session.exec(select(Schedule.id).where(Schedule.name == name)).first() is not None:
        raise Conflict(f"a schedule named {name!r} already exists; see `opsctl schedule list`")
    _check_shift(start, end, breaks)
    first = session.exec(select(Schedule.id)).first() is None
    schedule = Schedule(
        name=name, start=start, end=end, break_start=breaks[0] if breaks else None,
        break_end=breaks[1] if breaks else None, late_grace=_check_grace(late_grace, "--late-grace"),
        early_grace=_check_grace(early_grace, "--early-grace"), days=_stored_days(days), created_at=now,
    )
    session.add(schedule)
    session.flush()
    change = _make_default(session, schedule, actor=actor, now=now) if default or first else Changed({})
    audit.record(session, now=now, actor=actor, action="schedule.add", entity="schedule", entity_id=name,
                 details={**schedule_row(schedule), "punches_redated": change.redated,
                          "leave_recounted": [r.request_id for r in change.recounted]})
    return schedule


def _make_default(session: Session, schedule: Schedule, *, actor: Employee, now: datetime) -> Changed:
    """``schedule`` becomes the default. People follow it on every date before their first
    assignment: their punches move to the work dates it gives and, when its workdays differ
    from the old default's, leave is counted again (a request that counts the same is left
    as it is)."""
    from opsctl.services.leave import recount_leave_of

    before = load_book(session, []).default
    for other in session.exec(select(Schedule).where(col(Schedule.is_default).is_(True))):
        other.is_default = False
    schedule.is_default = True
    session.flush()
    change = Changed(schedule_row(schedule), redated=redate_punches(session, employee_ids=None, since=None))
    if rule_of(schedule).days != before.days:  # everyone follows it before their first assignment
        change.recounted = recount_leave_of(session, person=None, since=date.min, actor=actor, now=now,
                                            note=f"default schedule {schedule.name}")
    return change


@dataclass
class Changed:
    """A calendar or schedule change as written (``row``), and what it set off: leave counted
    anew, punches moved to the work date their schedule now gives."""

    row: dict[str, Any]
    recounted: list[Recount] = field(default_factory=list)
    redated: int = 0


def set_default_schedule(session: Session, *, actor: Employee, now: datetime, name: str) -> Changed:
    """People without an assignment follow ``name`` on every date from now on, and back in time:
    their punches move to the work dates it gives (a day shift's small hours, an overnight shift),
    and their leave is counted by its workdays."""
    require_roles(actor, *SCHEDULE_ADMINS, action="choose the default schedule")
    schedule = get_schedule(session, name)
    change = _make_default(session, schedule, actor=actor, now=now)
    audit.record(session, now=now, actor=actor, action="schedule.default", entity="schedule", entity_id=name,
                 details={"punches_redated": change.redated,
                          "leave_recounted": [r.request_id for r in change.recounted]})
    return change


def assign_schedule(
    session: Session, *, actor: Employee, now: datetime, login: str, name: str, since: date
) -> Changed:
    """``login`` follows schedule ``name`` from ``since`` on (audited). Assigning again on the
    same date replaces that assignment. Their leave from then on is counted again."""
    from opsctl.services.leave import recount_leave_of
    from opsctl.services.people import get_person

    require_roles(actor, *SCHEDULE_ADMINS, action="assign schedules")
    person = get_person(session, login, active_only=True)
    schedule = get_schedule(session, name)
    existing = session.exec(
        select(ScheduleAssignment).where(ScheduleAssignment.employee_id == person.id,
                                         ScheduleAssignment.since == since)
    ).first()
    if existing is not None and existing.schedule_id == schedule.id:
        raise Conflict(f"{person.login} already follows {schedule.name} from {since}; nothing to change")
    if existing is None:
        existing = ScheduleAssignment(employee_id=person.id or 0, schedule_id=schedule.id or 0, since=since,
                                      created_at=now)
        session.add(existing)
    existing.schedule_id = schedule.id or 0
    session.flush()
    row = {"id": existing.id, "login": person.login, "name": person.name, "schedule": schedule.name,
           "since": since}
    audit.record(session, now=now, actor=actor, action="schedule.assign", entity="schedule_assignment",
                 entity_id=existing.id, subject=person, details={"schedule": schedule.name, "since": since})
    return Changed(row, recount_leave_of(session, person=person, since=since, actor=actor, now=now,
                                         note=f"schedule {schedule.name} from {since}"),
                   redate_punches(session, employee_ids=[person.id or 0], since=since))


def redate_punches(session: Session, *, employee_ids: list[int] | None, since: date | None) -> int:
    """Give the punches of ``employee_ids`` (None: everyone) from ``since`` on (None: all) the
    work date their schedules now say, after a change that reaches into the past. A punch's
    date is fixed when it is written; only the schedule decides it, so it is derived again
    here (the instant itself never changes). Returns how many moved."""
    from opsctl.services.config import team_timezone

    tz = team_timezone(session)
    book = load_book(session, employee_ids)
    query = select(col(Punch.id), col(Punch.employee_id), col(Punch.at), col(Punch.work_date))
    if since is not None and since > date.min:  # the small hours of ``since`` may belong to the day before
        query = query.where(Punch.work_date >= since - timedelta(days=1))
    if employee_ids is not None:
        query = query.where(col(Punch.employee_id).in_(employee_ids))
    moved = [{"id": punch_id, "work_date": work_date}
             for punch_id, employee_id, at, stored in session.exec(query)
             if (work_date := book.work_date(employee_id, at.astimezone(tz))) != stored]
    if moved:
        session.execute(update(Punch), moved)  # by primary key, in batches
        for loaded in [obj for obj in session.identity_map.values() if isinstance(obj, Punch)]:
            session.expire(loaded)  # punches already loaded read their new date
    return len(moved)


def _stored_days(days: frozenset[int]) -> str:
    if not days or not days <= set(range(7)):
        raise InvalidInput("a schedule needs at least one workday (e.g. --days mon-fri)")
    return "".join(str(day) for day in sorted(days))


def schedule_row(schedule: Schedule, assigned: int | None = None) -> dict[str, Any]:
    from opsctl.dates import format_weekdays

    rule = rule_of(schedule)
    row: dict[str, Any] = {
        "id": schedule.id,
        "name": schedule.name,
        "start": schedule.start,
        "end": schedule.end,
        "break": f"{schedule.break_start:%H:%M}-{schedule.break_end:%H:%M}"
        if schedule.break_start and schedule.break_end else None,
        "late_grace": schedule.late_grace,
        "early_grace": schedule.early_grace,
        "days": format_weekdays(rule.days),
        "overnight": rule.overnight,
        "default": schedule.is_default,
    }
    if assigned is not None:
        row["assigned"] = assigned
    return row


def list_schedules(session: Session, *, viewer: Employee) -> list[dict[str, Any]]:
    """Every schedule with the number of people assigned to it now (their latest assignment); any
    employee may see them."""
    require_employee(session, viewer)
    book = load_book(session, None)
    counts: dict[str, int] = defaultdict(int)
    for history in book.assignments.values():
        counts[history[-1][1].name] += 1
    return [schedule_row(s, counts.get(s.name, 0)) for s in session.exec(select(Schedule).order_by(Schedule.name))]


def load_book(session: Session, employee_ids: Collection[int] | None) -> ScheduleBook:
    """Two queries: the schedules, and the assignments of ``employee_ids`` (None: everyone)."""
    schedules = session.exec(select(Schedule)).all()
    if employee_ids is not None and not employee_ids:
        return book_of(schedules, [])
    query = select(col(ScheduleAssignment.employee_id), col(ScheduleAssignment.since),
                   col(ScheduleAssignment.schedule_id))
    if employee_ids is not None:
        query = query.where(col(ScheduleAssignment.employee_id).in_(list(employee_ids)))
    return book_of(schedules, session.exec(query.order_by(col(ScheduleAssignment.since))).all())


def schedule_for(session: Session, *, employee: Employee, on: date) -> ScheduleRule:
    """The schedule ``employee`` follows on ``on`` (start, end, break, grace, days): the half-day
    boundaries of leave are ``rule.half_day()``."""
    return load_book(session, [employee.id or 0]).rule_for(employee.id or 0, on)
