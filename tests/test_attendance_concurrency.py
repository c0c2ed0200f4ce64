"""Twelve, or twenty-four, processes clock in at the same moment, also while an import reads
its file: nothing lost, nothing doubled, no tracebacks, nobody told the database is locked.

Runs on the test database: a SQLite file, or PostgreSQL when OPSCTL_TEST_DATABASE_URL is set.
The processes start together through the ready-file handshake of :mod:`tests.races`.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sqlmodel import Session, col, select

from opsctl.clock import FixedClock
from opsctl.models.attendance import Punch
from opsctl.models.people import Employee
from tests.conftest import DEFAULT_NOW, People
from tests.races import race, tally

if TYPE_CHECKING:
    from opsctl.services.attendance.zkteco import Row


def test_twelve_processes_clock_in_at_once(db_url: str, people: People, session: Session, tmp_path: Path) -> None:
    distinct = ["ada", "mona", "hana", "leo", "wei", "na", "sam"]
    logins = distinct + ["wei"] * 5  # five more tries by one person
    outcomes = race(db_url, tmp_path / "race", [(login, ["attend", "in"]) for login in logins], now=DEFAULT_NOW)

    tally(outcomes)
    codes = Counter((o.login, o.code) for o in outcomes)
    assert all(codes[(login, 0)] == 1 for login in distinct), codes
    assert codes[("wei", 5)] == 5
    refusals = [o.stderr for o in outcomes if o.code == 5]
    assert all(err.startswith("Error: you clocked in at ") and err.count("\n") == 1 for err in refusals), refusals

    session.commit()  # see what the processes wrote
    rows = session.exec(select(Employee.login, Punch.kind).join(Employee, col(Employee.id) == Punch.employee_id)).all()
    assert Counter(login for login, _ in rows) == Counter(distinct)
    assert {kind for _, kind in rows} == {"in"}


def test_twenty_four_people_clock_in_at_once_and_each_waits_their_turn(
        db_url: str, people: People, session: Session, clock: FixedClock, tmp_path: Path) -> None:
    from opsctl.services.people.employees import add_person

    for number in range(17):
        add_person(session, actor=people.ada, now=clock.now(), login=f"m{number:02d}", name=f"Member {number}",
                   team="Ops", role="member", manager="mona")
    session.commit()
    logins = ["ada", "mona", "hana", "leo", "wei", "na", "sam", *(f"m{number:02d}" for number in range(17))]
    outcomes = race(db_url, tmp_path / "race", [(login, ["attend", "in"]) for login in logins], now=DEFAULT_NOW)

    assert tally(outcomes) == Counter({0: 24}), [(o.login, o.code, o.stderr) for o in outcomes if o.code]
    session.commit()
    stored = session.exec(select(Employee.login).join(Punch, col(Employee.id) == Punch.employee_id)).all()
    assert Counter(stored) == Counter(logins)


def test_clock_ins_go_through_while_an_import_reads_its_file(
        db_url: str, people: People, session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The import stops after its first row until six clock-ins are stored: were the file read
    under the write lock, they would wait for it, and the import would wait for them in vain.
    One row of the file is a clock-in's very second, stored since the file was checked: a
    duplicate, not a failure of the whole import."""
    import time

    from sqlalchemy import func

    from opsctl.db import open_engine
    from opsctl.services.attendance import imports as attendance_import
    from opsctl.settings import resolve_database

    clocking = ["mona", "leo", "wei", "na", "sam", "ada"]
    yesterday = [f"{login},2026-03-17 {hour:02d}:{minute:02d},{kind}" for login in ("mona", "leo", "wei", "na", "sam")
                 for hour, minute, kind in ((8, 55, "in"), (18, 5, "out"))]
    file = tmp_path / "punches.csv"
    file.write_text("\n".join(["login,time,kind", *yesterday, "wei,2026-03-18 09:30:00,in"]) + "\n", encoding="utf-8")
    reading = attendance_import._csv_rows

    def clock_ins_stored() -> int:
        engine = open_engine(resolve_database(db_url))
        try:
            with engine.connect() as conn:
                return conn.execute(select(func.count()).where(Punch.source == "clock")).scalar_one()
        finally:
            engine.dispose()

    def pausing(path: Path) -> Iterator[Row]:  # runs in the import's racer
        rows = reading(path)
        yield next(rows)
        deadline = time.monotonic() + 60
        while clock_ins_stored() < len(clocking):
            assert time.monotonic() < deadline, "the clock-ins did not get through while the import read its file"
            time.sleep(0.01)
        yield from rows

    monkeypatch.setattr(attendance_import, "_csv_rows", pausing)
    calls = [("hana", ["attend", "import", str(file), "-f", "json"]),
             *((login, ["attend", "in"]) for login in clocking)]
    outcomes = race(db_url, tmp_path / "race", calls, now=DEFAULT_NOW)

    assert tally(outcomes) == Counter({0: 7}), [(o.login, o.code, o.stderr) for o in outcomes if o.code]
    imported = json.loads(outcomes[0].stdout)
    assert (imported["new"], imported["duplicate"], imported["rejected"]) == (10, 1, 0)
    session.commit()
    rows = session.exec(select(Employee.login, Punch.source)
                        .join(Employee, col(Employee.id) == Punch.employee_id)).all()
    assert Counter(rows) == Counter({**{(login, "clock"): 1 for login in clocking},
                                     **{(login, "import"): 2 for login in ("mona", "leo", "wei", "na", "sam")}})
