"""Twelve processes clock in at the same moment: nothing lost, nothing doubled, no tracebacks.

Runs on the test database: a SQLite file, or PostgreSQL when OPSCTL_TEST_DATABASE_URL is set.
The processes start together through the ready-file handshake of :mod:`tests.races`.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from sqlmodel import col, select

from opsctl.models.attendance import Punch
from opsctl.models.people import Employee
from tests.conftest import DEFAULT_NOW
from tests.races import race, tally


def test_twelve_processes_clock_in_at_once(db_url: str, people, session, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
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
