"""The attendance services against a database: clocking, schedules, the period summary."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Connection
from sqlalchemy.engine.interfaces import DBAPICursor
from sqlmodel import Session, select

from opsctl.clock import FixedClock
from opsctl.errors import Conflict, InvalidInput, NotAllowed
from opsctl.models.attendance import Punch, Schedule
from opsctl.models.people import Employee
from opsctl.services.attendance.calendar import add_calendar_day
from opsctl.services.attendance.punches import clock_in, clock_out, punch_state
from opsctl.services.attendance.rules import STANDARD
from opsctl.services.attendance.schedules import add_schedule, assign_schedule, set_default_schedule
from opsctl.services.attendance.summary import (
    SUMMARY_KEYS,
    LeaveCover,
    PersonSummary,
    day_kinds,
    schedule_for,
    summarize_period,
    summary_row,
)
from opsctl.services.attendance.views import team_view
from opsctl.services.people.employees import add_person, deactivate_person, edit_person
from tests.conftest import People, pk

TZ = ZoneInfo("Asia/Shanghai")
MARCH = (date(2026, 3, 1), date(2026, 3, 31))
TODAY = date(2026, 3, 18)


def local(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TZ).astimezone(UTC)


def punch(session: Session, person: Employee, *times: str, kind: str | None = None) -> None:
    for text in times:
        session.add(Punch(employee_id=pk(person), at=local(text), work_date=date.fromisoformat(text[:10]),
                          kind=kind, source="import"))
    session.flush()


@pytest.fixture
def standard(session: Session, people: People, clock: FixedClock) -> Schedule:
    schedule = add_schedule(session, actor=people.ada, now=clock.now(), name="Standard", start=time(9),
                            end=time(18), breaks=(time(12), time(13)), late_grace=5)
    session.commit()
    return schedule


@contextmanager
def counted(session: Session) -> Iterator[list[str]]:
    statements: list[str] = []
    engine = session.get_bind()

    def count(conn: Connection, cursor: DBAPICursor, statement: str, *args: object) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def by_login(summaries: Iterable[PersonSummary]) -> dict[str, PersonSummary]:
    return {s.login: s for s in summaries}


# -- the summary ----------------------------------------------------------------------------------

def test_a_month_summary_follows_the_rules(session: Session, people: People, standard: Schedule) -> None:
    punch(session, people.wei, "2026-03-02 08:55", "2026-03-02 18:05")  # present
    punch(session, people.wei, "2026-03-03 09:12", "2026-03-03 18:00")  # late 12
    punch(session, people.wei, "2026-03-04 08:50", "2026-03-04 17:30")  # early 30
    punch(session, people.wei, "2026-03-05 08:50")  # missing punch
    punch(session, people.wei, "2026-03-06 08:50", "2026-03-06 20:00")  # 2 h workday overtime
    punch(session, people.wei, "2026-03-07 10:00", "2026-03-07 15:00")  # Saturday: 4 h rest-day overtime
    # 03-09 … 03-17 nothing: seven absences; 03-18 is today (open)
    summary = by_login(summarize_period(session, start=MARCH[0], end=MARCH[1], today=TODAY))["wei"]
    row = summary_row(summary)
    assert tuple(row) == SUMMARY_KEYS
    assert row == {
        "login": "wei", "name": "张伟", "team": "Ops", "workdays": 22, "present_days": 5.0, "late_count": 1,
        "late_minutes": 12, "early_count": 1, "early_minutes": 30, "missing_punches": 1, "absent_days": 7.0,
        "leave_days": 0.0, "leave_by_type": {}, "overtime_hours": 6.0, "overtime_workday_hours": 2.0,
        "overtime_rest_hours": 4.0, "overtime_holiday_hours": 0.0,
        "work_hours": round((8 * 60 + 10 + 7 * 60 + 48 + 7 * 60 + 40 + 10 * 60 + 10 + 4 * 60) / 60, 2),
        "overtime_approved_hours": 0.0, "overtime_approved_workday_hours": 0.0, "overtime_approved_rest_hours": 0.0,
        "overtime_approved_holiday_hours": 0.0, "overtime_unapproved_hours": 6.0,  # nobody asked for it
    }
    assert len(summary.days) == 31 and summary.days[17].status == "open"
    assert [d.status for d in summary.days[:7]] == ["rest", "present", "late", "early", "missing", "present",
                                                     "rest-work"]


def test_people_count_only_while_employed(
    session: Session, people: People, standard: Schedule, clock: FixedClock
) -> None:
    edit_person(session, actor=people.ada, now=clock.now(), login="na", hired=date(2026, 3, 16))
    deactivate_person(session, actor=people.ada, now=clock.now(), login="sam", left=date(2026, 3, 4))
    add_person(session, actor=people.ada, now=clock.now(), login="newbie", name="New", hired=date(2026, 4, 1))
    summaries = by_login(summarize_period(session, start=MARCH[0], end=MARCH[1], today=date(2026, 4, 1)))
    assert "newbie" not in summaries
    assert summaries["na"].days[0].date == date(2026, 3, 16) and summaries["na"].workdays == 12
    assert summaries["sam"].days[-1].date == date(2026, 3, 4) and summaries["sam"].workdays == 3
    assert summaries["sam"].absent_days == 3  # people who left are still reported for their days


def test_a_schedule_change_inside_the_period_judges_each_day_by_its_schedule(
    session: Session, people: People, standard: Schedule, clock: FixedClock
) -> None:
    add_schedule(session, actor=people.ada, now=clock.now(), name="Weekend", start=time(10), end=time(18),
                 days=frozenset({5, 6}))
    assign_schedule(session, actor=people.ada, now=clock.now(), login="wei", name="Weekend", since=date(2026, 3, 9))
    assign_schedule(session, actor=people.ada, now=clock.now(), login="wei", name="Standard", since=date(2026, 3, 16))
    assign_schedule(session, actor=people.ada, now=clock.now(), login="na", name="Weekend", since=date(2026, 2, 1))
    edit_person(session, actor=people.ada, now=clock.now(), login="na", hired=date(2026, 3, 10))
    summaries = by_login(summarize_period(session, start=date(2026, 3, 2), end=date(2026, 3, 22), today=TODAY))
    kinds = "".join("W" if d.kind == "workday" else "." for d in summaries["wei"].days)
    assert kinds == "WWWWW.." + ".....WW" + "WWWWW.."  # Mon 2 March: standard, weekend, standard again
    assert summaries["wei"].days[12].expected == (time(10), time(18))  # Sat 14 March
    assert [d.date.day for d in summaries["na"].days if d.kind == "workday"] == [14, 15, 21, 22]


def test_the_summary_is_set_based(session: Session, people: People, standard: Schedule, clock: FixedClock) -> None:
    def queries() -> list[str]:
        session.commit()  # the next statements run on a connection the counter listens to
        with counted(session) as statements:
            summarize_period(session, start=MARCH[0], end=MARCH[1], today=TODAY)
        return [s.split()[0] for s in statements if not s.startswith(("BEGIN", "COMMIT", "ROLLBACK"))]

    few = queries()
    for i in range(40):
        add_person(session, actor=people.ada, now=clock.now(), login=f"extra{i}", name=f"Extra {i}", team="Ops")
        punch(session, people.wei, f"2026-03-{i % 17 + 1:02d} 0{i % 9}:{i:02d}")
    many = queries()
    assert many == few and len(few) <= 8, few  # settings, people, schedules (2), calendar, punches, leave, overtime


def test_team_and_people_filters(session: Session, people: People, standard: Schedule) -> None:
    ops = summarize_period(session, start=TODAY, end=TODAY, today=TODAY, team="Ops")
    assert [s.login for s in ops] == ["leo", "na", "wei"]
    two = summarize_period(session, start=TODAY, end=TODAY, today=TODAY, people=[people.sam, people.na])
    assert [s.login for s in two] == ["sam", "na"]  # by team (Dev, Ops), then login
    with pytest.raises(InvalidInput, match="before it starts"):
        summarize_period(session, start=TODAY, end=TODAY - timedelta(days=1), today=TODAY)


def test_leave_covers_plug_into_the_summary(
    session: Session, people: People, standard: Schedule, monkeypatch: pytest.MonkeyPatch
) -> None:
    from opsctl.services.attendance import summary as attendance

    def covers(session: Session, ids: list[int], start: date, end: date) -> dict[tuple[int, date], LeaveCover]:
        return {(pk(people.wei), date(2026, 3, 2)): LeaveCover("full", "annual"),
                (pk(people.wei), date(2026, 3, 3)): LeaveCover("am", "sick")}

    monkeypatch.setattr(attendance, "_leave_covers", covers)
    punch(session, people.wei, "2026-03-03 13:02", "2026-03-03 18:00")
    wei = by_login(summarize_period(session, start=date(2026, 3, 2), end=date(2026, 3, 4), today=TODAY))["wei"]
    assert (wei.leave_days, wei.leave_by_type, wei.present_days, wei.absent_days) == (1.5, {"annual": 1.0,
                                                                                           "sick": 0.5}, 0.5, 1.0)
    assert attendance._leave_covers.__name__ == "covers"


# -- schedules and the calendar ----------------------------------------------------------------------

def test_without_any_schedule_everyone_follows_the_built_in_standard(session: Session, people: People) -> None:
    assert schedule_for(session, employee=people.wei, on=TODAY) == STANDARD


def test_the_first_schedule_is_the_default_and_assignments_have_dates(
    session: Session, people: People, standard: Schedule, clock: FixedClock
) -> None:
    night = add_schedule(session, actor=people.hana, now=clock.now(), name="Night", start=time(22), end=time(6))
    assert standard.is_default and not night.is_default
    assign_schedule(session, actor=people.hana, now=clock.now(), login="wei", name="Night", since=date(2026, 3, 16))
    assert schedule_for(session, employee=people.wei, on=date(2026, 3, 15)).name == "Standard"
    assert schedule_for(session, employee=people.wei, on=date(2026, 3, 16)).name == "Night"
    assert schedule_for(session, employee=people.na, on=date(2026, 3, 16)).name == "Standard"
    set_default_schedule(session, actor=people.ada, now=clock.now(), name="Night")
    assert schedule_for(session, employee=people.na, on=date(2026, 3, 16)).name == "Night"
    with pytest.raises(NotAllowed):
        assign_schedule(session, actor=people.wei, now=clock.now(), login="na", name="Night", since=TODAY)


def test_workdays_are_stored_as_numbers_and_the_written_form_still_reads(
    session: Session, people: People, standard: Schedule
) -> None:
    assert standard.days == "01234"
    standard.days = "sat-sun"  # as a database made before the numbers stores it
    session.flush()
    assert schedule_for(session, employee=people.wei, on=TODAY).days == frozenset({5, 6})


def test_bad_schedules_are_refused(session: Session, people: People, standard: Schedule, clock: FixedClock) -> None:
    def add(*, name: str = "X", start: time = time(9), end: time = time(18), breaks: tuple[time, time] | None = None,
            late_grace: int = 0) -> Schedule:
        return add_schedule(session, actor=people.ada, now=clock.now(), name=name, start=start, end=end,
                            breaks=breaks, late_grace=late_grace)

    with pytest.raises(Conflict):
        add(name="Standard")
    with pytest.raises(InvalidInput, match="cannot start and end"):
        add(end=time(9))
    with pytest.raises(InvalidInput, match="not inside the shift"):
        add(breaks=(time(19), time(20)))
    with pytest.raises(InvalidInput, match="between 0 and"):
        add(late_grace=-1)
    assert add(name="Night", start=time(22), end=time(6), breaks=(time(2), time(2, 30))).break_start == time(2)


def test_day_kinds_for_leave_counting(session: Session, people: People, standard: Schedule, clock: FixedClock) -> None:
    add_calendar_day(session, actor=people.ada, now=clock.now(), day=date(2026, 3, 20), kind="holiday", name="H")
    add_calendar_day(session, actor=people.ada, now=clock.now(), day=date(2026, 3, 21), kind="workday", name="W")
    kinds = day_kinds(session, employee=people.wei, start=date(2026, 3, 19), end=date(2026, 3, 22))
    assert kinds == {date(2026, 3, 19): "workday", date(2026, 3, 20): "holiday", date(2026, 3, 21): "workday",
                     date(2026, 3, 22): "rest"}


# -- clocking in and out --------------------------------------------------------------------------------

def test_clocking_in_and_out_and_the_conflicts(
    session: Session, people: People, standard: Schedule, clock: FixedClock
) -> None:
    first = clock_in(session, person=people.wei, now=clock.now(), tz=TZ, note="train was late")
    assert (first.kind, first.source, first.work_date, first.note) == ("in", "clock", TODAY, "train was late")
    clock.advance(minutes=3)
    with pytest.raises(Conflict, match=r"clocked in at 09:30 today"):
        clock_in(session, person=people.wei, now=clock.now(), tz=TZ)
    clock.advance(hours=9)
    clock_out(session, person=people.wei, now=clock.now(), tz=TZ)
    with pytest.raises(Conflict, match=r"not clocked in: you clocked out at 18:33 today"):
        clock_out(session, person=people.wei, now=clock.now(), tz=TZ)
    assert punch_state(session, person=people.wei, now=clock.now(), tz=TZ).state == "out"
    with pytest.raises(Conflict, match="have not clocked in today"):
        clock_out(session, person=people.na, now=clock.now(), tz=TZ)


def test_a_forgotten_clock_out_does_not_block_the_next_day(
    session: Session, people: People, standard: Schedule, clock: FixedClock
) -> None:
    clock_in(session, person=people.wei, now=clock.now(), tz=TZ)
    clock.advance(days=1)
    with pytest.raises(Conflict, match=r"clock-in at 09:30 on Wed 2026-03-18 .*attend fix 2026-03-18"):
        clock_out(session, person=people.wei, now=clock.now(), tz=TZ)
    assert clock_in(session, person=people.wei, now=clock.now(), tz=TZ).work_date == date(2026, 3, 19)


def test_in_and_out_in_the_same_second_is_a_clear_conflict(
    session: Session, people: People, standard: Schedule, clock: FixedClock
) -> None:
    clock_in(session, person=people.wei, now=clock.now(), tz=TZ)
    with pytest.raises(Conflict, match=r"your last punch was at 09:30 today, this very second; .*attend out"):
        clock_out(session, person=people.wei, now=clock.now(), tz=TZ)
    clock.advance(seconds=1)
    assert clock_out(session, person=people.wei, now=clock.now(), tz=TZ).kind == "out"


def test_a_clock_out_after_midnight_closes_the_long_day(
    session: Session, people: People, standard: Schedule, clock: FixedClock
) -> None:
    clock_in(session, person=people.wei, now=clock.now(), tz=TZ)  # Wed 09:30
    clock.set(local("2026-03-19 00:40"))
    out = clock_out(session, person=people.wei, now=clock.now(), tz=TZ)
    assert out.work_date == date(2026, 3, 18)
    clock.set(local("2026-03-19 09:02"))
    assert clock_in(session, person=people.wei, now=clock.now(), tz=TZ).work_date == date(2026, 3, 19)


def test_an_overnight_shift_keeps_its_start_date(
    session: Session, people: People, standard: Schedule, clock: FixedClock
) -> None:
    add_schedule(session, actor=people.ada, now=clock.now(), name="Night", start=time(22), end=time(6))
    assign_schedule(session, actor=people.ada, now=clock.now(), login="wei", name="Night", since=date(2026, 3, 1))
    clock.set(local("2026-03-18 21:57"))
    clock_in(session, person=people.wei, now=clock.now(), tz=TZ)
    clock.set(local("2026-03-19 06:04"))
    out = clock_out(session, person=people.wei, now=clock.now(), tz=TZ)
    assert out.work_date == date(2026, 3, 18)
    wei = by_login(summarize_period(session, start=date(2026, 3, 18), end=date(2026, 3, 19),
                                    today=date(2026, 3, 20)))["wei"]
    assert [d.status for d in wei.days] == ["present", "absent"]
    assert wei.days[0].work_minutes == 8 * 60 + 7


def test_imported_punches_without_a_kind_alternate(
    session: Session, people: People, standard: Schedule, clock: FixedClock
) -> None:
    punch(session, people.wei, "2026-03-18 08:58", "2026-03-18 09:20")  # no kind: in, out
    assert punch_state(session, person=people.wei, now=clock.now(), tz=TZ).state == "out"
    assert clock_in(session, person=people.wei, now=clock.now(), tz=TZ).kind == "in"
    stored = session.exec(select(Punch).where(Punch.employee_id == people.wei.id)).all()
    assert len(stored) == 3


def test_instants_read_back_aware_in_utc_whatever_text_the_database_holds(session: Session, people: People) -> None:
    from sqlalchemy import text

    if session.get_bind().dialect.name != "sqlite":
        pytest.skip("SQLite keeps instants as text")
    for at in ("2026-03-18 01:02:03.000000", "2026-03-18T09:02:03+08:00", "2026-03-18 01:02:03"):
        session.execute(text("DELETE FROM punch"))
        session.execute(text("INSERT INTO punch (employee_id, at, work_date, source) "
                             "VALUES (:e, :at, '2026-03-18', 'x')"), {"e": people.wei.id, "at": at})
        stored = session.exec(select(Punch.at)).one()
        assert stored == datetime(2026, 3, 18, 1, 2, 3, tzinfo=UTC) and stored.utcoffset() == timedelta(0), at


# -- who sees what -----------------------------------------------------------------------------------------

def test_views_show_only_the_people_one_may_see(session: Session, people: People, standard: Schedule) -> None:
    from opsctl.models.people import Team

    def seen(viewer: Employee) -> list[str]:
        view = team_view(session, viewer=viewer, start=TODAY, end=TODAY, today=TODAY)
        return sorted(s.login for s in view.summaries)

    ops = session.exec(select(Team).where(Team.name == "Ops")).one()
    ops.lead_id = people.leo.id
    session.flush()
    assert seen(people.wei) == ["wei"]
    assert seen(people.leo) == ["leo", "na", "wei"]
    assert seen(people.mona) == ["leo", "mona", "na", "sam", "wei"]
    assert len(seen(people.hana)) == 7
