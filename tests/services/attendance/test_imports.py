"""Importing punches: CSV and ZKTeco logs, idempotent, all-or-nothing, every bad row named."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session, col, func, select

from opsctl.clock import FixedClock
from opsctl.errors import InvalidInput, NotAllowed, NotFound
from opsctl.models.attendance import Punch
from opsctl.models.people import Employee
from opsctl.services.attendance.imports import ImportReport, Source, detect_source, import_punches, parse_instant
from opsctl.services.attendance.schedules import add_schedule, assign_schedule
from tests.conftest import MakeFile, People

TZ = ZoneInfo("Asia/Shanghai")


def stored(session: Session) -> int:
    return int(session.exec(select(func.count()).select_from(Punch)).one())


def run(session: Session, people: People, clock: FixedClock, path: Path, *, actor: Employee | None = None,
        source: Source | None = None, dry_run: bool = False, skip_bad: bool = False) -> ImportReport:
    """Import ``path`` as hana (or ``actor``)."""
    return import_punches(session, actor=people.hana if actor is None else actor, now=clock.now(), tz=TZ,
                          path=path, source=source, dry_run=dry_run, skip_bad=skip_bad)


CSV = """login,time,kind
wei,2026-03-16 08:58,in
wei,2026-03-16 18:03:20,out
na,2026-03-16T09:01:00+08:00,
NA,2026-03-16 17:59,out
"""


def test_a_csv_import_stores_punches_once(
    session: Session, people: People, clock: FixedClock, make_file: MakeFile
) -> None:
    path = make_file("march.csv", CSV)
    report = run(session, people, clock, path)
    assert (report.new, report.duplicate, report.rejected, report.people) == (4, 0, [], 2)
    punches = session.exec(select(Punch).where(Punch.employee_id == people.wei.id).order_by(col(Punch.at))).all()
    assert [(p.at, p.work_date, p.kind, p.source) for p in punches] == [
        (datetime(2026, 3, 16, 0, 58, tzinfo=UTC), date(2026, 3, 16), "in", "import"),
        (datetime(2026, 3, 16, 10, 3, 20, tzinfo=UTC), date(2026, 3, 16), "out", "import"),
    ]
    again = run(session, people, clock, path)
    assert (again.new, again.duplicate) == (0, 4)
    assert stored(session) == 4


def test_a_zkteco_log_is_matched_through_badges(
    session: Session, people: People, clock: FixedClock, make_file: MakeFile
) -> None:
    path = make_file("attlog.dat", f"{people.wei.badge}\t2026-03-16 08:58:12\t0\t1\t0\t0\n"
                                   f"{people.wei.badge}\t2026-03-16 18:01:40\t1\t1\t0\t0\n"
                                   f"{people.na.badge}\t2026-03-16 08:40:00\n")
    assert detect_source(path) == "zkteco"
    report = run(session, people, clock, path)
    assert (report.source, report.new) == ("zkteco", 3)
    kinds = session.exec(select(Punch.kind, Punch.source).order_by(col(Punch.at))).all()
    assert kinds == [(None, "zkteco"), ("in", "zkteco"), ("out", "zkteco")]


def test_every_bad_row_is_named_and_nothing_is_written(
    session: Session, people: People, clock: FixedClock, make_file: MakeFile
) -> None:
    path = make_file("bad.csv", "login,time\nwei,2026-03-16 08:58\nwei,2026-03-16 25:00\nghost,2026-03-16 09:00\n"
                                "na,2026-02-30 09:00\nna,2026-03-19 09:00\nna,yesterday\nsam\n")
    with pytest.raises(InvalidInput) as error:
        run(session, people, clock, path)
    message = error.value.message
    assert "6 bad row(s), nothing was imported" in message and "--skip-bad" in message
    assert "line 3: " in message and "25:00" in message and "hour 25" in message
    assert "line 4: unknown login 'ghost'" in message
    assert "line 5: " in message and "day 30 does not exist in February 2026" in message
    assert "line 6: 2026-03-19 09:00 is in the future" in message
    assert "line 7: not a date and time: 'yesterday'" in message
    assert "line 8: expected login and time" in message
    assert stored(session) == 0


def test_skip_bad_imports_the_rest_and_reports_the_lines(
    session: Session, people: People, clock: FixedClock, make_file: MakeFile
) -> None:
    path = make_file("bad.zk", f"{people.wei.badge}\t2026-03-16 08:58:00\n99999\t2026-03-16 09:00:00\n")
    report = run(session, people, clock, path, skip_bad=True, source="zkteco")
    assert report.new == 1 and report.rejected == [(2, "unknown badge '99999'")]
    assert stored(session) == 1


def test_dry_run_counts_but_writes_nothing(
    session: Session, people: People, clock: FixedClock, make_file: MakeFile
) -> None:
    report = run(session, people, clock, make_file("march.csv", CSV), dry_run=True)
    assert (report.new, report.dry_run) == (4, True)
    assert stored(session) == 0


def test_a_file_without_a_header_is_refused(
    session: Session, people: People, clock: FixedClock, make_file: MakeFile
) -> None:
    with pytest.raises(InvalidInput, match="first line must be the header login,time"):
        run(session, people, clock, make_file("nohead.csv", "wei,2026-03-16 08:58\n"))
    with pytest.raises(InvalidInput, match="holds no punches"):
        run(session, people, clock, make_file("empty.csv", "login,time\n"))
    with pytest.raises(NotFound):
        run(session, people, clock, Path("/nonexistent/punches.csv"))


def test_only_hr_and_admins_import(session: Session, people: People, clock: FixedClock, make_file: MakeFile) -> None:
    with pytest.raises(NotAllowed, match="only hr or admin may import punches"):
        run(session, people, clock, make_file("march.csv", CSV), actor=people.wei)


def test_punches_outside_employment_are_rejected(
    session: Session, people: People, clock: FixedClock, make_file: MakeFile
) -> None:
    people.na.hired = date(2026, 3, 17)
    session.flush()
    with pytest.raises(InvalidInput, match="line 4: na was not employed on 2026-03-16"):
        run(session, people, clock, make_file("march.csv", CSV))


def test_overnight_punches_get_the_shift_start_date(
    session: Session, people: People, clock: FixedClock, make_file: MakeFile
) -> None:
    add_schedule(session, actor=people.ada, now=clock.now(), name="Night", start=time(22), end=time(6),
                 default=True)
    assign_schedule(session, actor=people.ada, now=clock.now(), login="wei", name="Night", since=date(2026, 3, 1))
    run(session, people, clock, make_file("night.csv", "login,time\nwei,2026-03-16 21:55\nwei,2026-03-17 06:05\n"))
    assert set(session.exec(select(col(Punch.work_date))).all()) == {date(2026, 3, 16)}


def test_a_late_evening_past_midnight_stays_with_its_day(
    session: Session, people: People, clock: FixedClock, make_file: MakeFile
) -> None:
    """The built-in 09:00–18:00: a 00:30 clock-out ends the day before, so the next morning's
    09:40 is still late and that day's hours do not start at midnight."""
    from opsctl.services.attendance.summary import summarize_period

    run(session, people, clock, make_file("late.csv", "login,time\nwei,2026-03-16 09:00\nwei,2026-03-17 00:30\n"
                                                      "wei,2026-03-17 09:40\nwei,2026-03-17 18:00\n"))
    dates = session.exec(select(col(Punch.work_date)).order_by(col(Punch.at))).all()
    assert dates == [date(2026, 3, 16)] * 2 + [date(2026, 3, 17)] * 2
    wei = next(s for s in summarize_period(session, start=date(2026, 3, 16), end=date(2026, 3, 17),
                                           today=date(2026, 3, 18)) if s.login == "wei")
    assert [(d.status, d.work_minutes) for d in wei.days] == [("present", 14 * 60 + 30), ("late", 7 * 60 + 20)]


def test_a_schedule_given_after_the_punches_moves_them_to_its_dates(
    session: Session, people: People, clock: FixedClock, make_file: MakeFile
) -> None:
    """Night shifts imported before HR set up the schedule: assigning it from a past date (or
    making it the default) re-dates the punches, and `attend month` judges the nights whole."""
    from opsctl.services.attendance.schedules import set_default_schedule
    from opsctl.services.attendance.summary import summarize_period

    night_csv = "login,time\nwei,2026-03-16 21:55\nwei,2026-03-17 06:05\nna,2026-03-16 21:50\nna,2026-03-17 06:02\n"
    run(session, people, clock, make_file("night.csv", night_csv))
    assert sorted(set(session.exec(select(col(Punch.work_date))).all())) == [date(2026, 3, 16), date(2026, 3, 17)]
    add_schedule(session, actor=people.ada, now=clock.now(), name="Standard", start=time(9), end=time(18))
    add_schedule(session, actor=people.ada, now=clock.now(), name="Night", start=time(22), end=time(6))
    change = assign_schedule(session, actor=people.ada, now=clock.now(), login="wei", name="Night",
                             since=date(2026, 3, 16))
    assert change.redated == 1  # wei's 06:05 now ends the night of the 16th
    wei = next(s for s in summarize_period(session, start=date(2026, 3, 16), end=date(2026, 3, 17),
                                           today=date(2026, 3, 18)) if s.login == "wei")
    assert wei.days[0].work_minutes == 8 * 60 + 10
    assert set_default_schedule(session, actor=people.ada, now=clock.now(), name="Night").redated == 1  # na's
    assert set(session.exec(select(col(Punch.work_date))).all()) == {date(2026, 3, 16)}


def test_imported_and_clocked_punches_are_stored_alike(
    session: Session, people: People, clock: FixedClock, make_file: MakeFile
) -> None:
    from sqlalchemy import text

    from opsctl.services.attendance.punches import clock_in

    clock_in(session, person=people.wei, now=clock.now(), tz=TZ)  # 09:30 in Shanghai, through the ORM
    report = run(session, people, clock, make_file("p.csv", "login,time\nwei,2026-03-18 09:30\nwei,2026-03-17 9:00\n"))
    assert (report.new, report.duplicate) == (1, 1)  # the same instant, however it was written
    imported = datetime(2026, 3, 17, 1, 0, tzinfo=UTC)
    assert session.exec(select(Punch.source).where(Punch.at == imported)).one() == "import"
    assert session.exec(select(Punch.source).where(Punch.at > imported)).all() == ["clock"]
    if session.get_bind().dialect.name == "sqlite":  # the fast insert writes SQLAlchemy's own text forms
        raw = session.execute(text("SELECT at, work_date FROM punch ORDER BY at")).all()
        assert [tuple(r) for r in raw] == [("2026-03-17 01:00:00.000000", "2026-03-17"),
                                           ("2026-03-18 01:30:00.000000", "2026-03-18")]


def test_time_forms() -> None:
    assert parse_instant("2026-03-16 08:58", TZ) == datetime(2026, 3, 16, 0, 58, tzinfo=UTC)
    assert parse_instant("2026-03-16 8:58", TZ) == datetime(2026, 3, 16, 0, 58, tzinfo=UTC)
    assert parse_instant("2026-03-16T08:58:30", TZ) == datetime(2026, 3, 16, 0, 58, 30, tzinfo=UTC)
    assert parse_instant("2026-03-16T00:58:00Z", TZ) == datetime(2026, 3, 16, 0, 58, tzinfo=UTC)
    assert parse_instant("2026-03-16T02:58:00+02:00", TZ) == datetime(2026, 3, 16, 0, 58, tzinfo=UTC)
    for bad in ("2026-03-16", "16.03.2026 08:58", "2026-03-16 08:61", "2026-13-01 08:00"):
        with pytest.raises(InvalidInput):
            parse_instant(bad, TZ)
