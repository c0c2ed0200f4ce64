"""Clocking in and out, a person's punch state, the punch log.

`attend in` imports this module and what it needs only (start-up time is measured):
keep heavy imports out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Literal
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from opsctl.errors import Conflict, InvalidInput
from opsctl.models.attendance import Punch
from opsctl.models.people import Employee
from opsctl.services.attendance.schedules import load_book
from opsctl.services.attendance.shifts import ScheduleRule, effective_kinds, when
from opsctl.services.locks import lock_person

MAX_NOTE = 200


@dataclass
class PunchState:
    person: Employee
    work_date: date
    rule: ScheduleRule
    punches: list[Punch]  # of the current work date, in time order
    open_punch: Punch | None  # the clock-in not followed by a clock-out

    @property
    def state(self) -> str:
        if self.open_punch is not None:
            return "in"
        return "out" if self.punches else "not in yet"


def punch_state(session: Session, *, person: Employee, now: datetime, tz: ZoneInfo) -> PunchState:
    """Where ``person`` stands now: the current work date (team timezone; the start date of an
    overnight shift) and its punches."""
    book = load_book(session, [person.id or 0])
    local = now.astimezone(tz)
    work_date = book.work_date(person.id or 0, local)
    punches = list(session.exec(
        select(Punch).where(Punch.employee_id == person.id, Punch.work_date == work_date).order_by(col(Punch.at))
    ))
    kinds = effective_kinds(punches)
    open_punch = punches[-1] if kinds and kinds[-1] == "in" else None
    return PunchState(person, work_date, book.rule_for(person.id or 0, work_date), punches, open_punch)


def clock_in(session: Session, *, person: Employee, now: datetime, tz: ZoneInfo, note: str | None = None) -> Punch:
    """Rule 9: refused (exit 5) while the person is clocked in."""
    return _clock(session, person=person, now=now, tz=tz, kind="in", note=note)


def clock_out(session: Session, *, person: Employee, now: datetime, tz: ZoneInfo, note: str | None = None) -> Punch:
    """Rule 9: refused (exit 5) unless the person is clocked in."""
    return _clock(session, person=person, now=now, tz=tz, kind="out", note=note)


def _clock(
    session: Session, *, person: Employee, now: datetime, tz: ZoneInfo, kind: Literal["in", "out"],
    note: str | None,
) -> Punch:
    note = check_note(note)
    lock_person(session, person)
    state = punch_state(session, person=person, now=now, tz=tz)
    if kind == "in" and state.open_punch is not None:
        raise Conflict(
            f"you clocked in {when(state.open_punch.at, tz, now)} and have not clocked out; "
            "clock out first with `opsctl attend out`"
        )
    if kind == "out" and state.open_punch is None:
        raise Conflict(_not_in_message(session, person, state, tz, now))
    at = now.astimezone(UTC).replace(microsecond=0)
    if state.punches and state.punches[-1].at >= at:
        raise Conflict(f"your last punch was {when(state.punches[-1].at, tz, now)}, this very second; punches "
                       f"need a second between them, so run `opsctl attend {kind}` again (a demo database's "
                       "clock stands still: there, clock as somebody else)")
    punch = Punch(employee_id=person.id or 0, at=at, work_date=state.work_date, kind=kind, source="clock",
                  note=note)
    session.add(punch)
    session.flush()
    return punch


def _not_in_message(session: Session, person: Employee, state: PunchState, tz: ZoneInfo, now: datetime) -> str:
    if state.punches:
        last = state.punches[-1]
        return (f"you are not clocked in: you clocked out {when(last.at, tz, now)}; "
                "clock in first with `opsctl attend in`")
    earlier = session.exec(
        select(Punch).where(Punch.employee_id == person.id, Punch.work_date < state.work_date)
        .order_by(col(Punch.at).desc()).limit(1)
    ).first()
    if earlier is not None and _day_kinds(session, earlier)[-1] == "in":
        return (f"you are not clocked in today; your last punch was a clock-in {when(earlier.at, tz, now)} "
                f"without a clock-out: ask for a correction with `opsctl attend fix {earlier.work_date} "
                "--out HH:MM --reason …`, then clock in with `opsctl attend in`")
    return "you have not clocked in today; clock in first with `opsctl attend in`"


def _day_kinds(session: Session, punch: Punch) -> list[str]:
    """The effective kinds of the punches of ``punch``'s work date, up to ``punch``."""
    day = session.exec(select(Punch).where(
        Punch.employee_id == punch.employee_id, Punch.work_date == punch.work_date, col(Punch.at) <= punch.at,
    ).order_by(col(Punch.at))).all()
    return effective_kinds(list(day))


def check_note(note: str | None) -> str | None:
    note = (note or "").strip() or None
    if note is not None and len(note) > MAX_NOTE:
        raise InvalidInput(f"the note is too long ({len(note)} characters; at most {MAX_NOTE})")
    return note


def punch_row(punch: Punch, login: str, name: str) -> dict[str, Any]:
    return {
        "id": punch.id, "login": login, "name": name, "work_date": punch.work_date, "at": punch.at,
        "kind": punch.kind, "source": punch.source, "note": punch.note, "correction_id": punch.correction_id,
    }


def list_punches(session: Session, *, people: list[Employee], start: date, end: date) -> list[dict[str, Any]]:
    """Every punch of ``people`` whose work date is in ``start``..``end``, in time order."""
    by_id = {p.id: p for p in people}
    query = (
        select(Punch)
        .where(col(Punch.employee_id).in_(list(by_id)), Punch.work_date >= start, Punch.work_date <= end)
        .order_by(col(Punch.at), col(Punch.employee_id))
    )
    return [punch_row(p, by_id[p.employee_id].login, by_id[p.employee_id].name) for p in session.exec(query)]
