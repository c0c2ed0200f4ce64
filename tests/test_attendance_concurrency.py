"""Twelve processes clock in at the same moment: nothing lost, nothing doubled, no tracebacks.

Runs on the test database: a SQLite file, or PostgreSQL when OPSCTL_TEST_DATABASE_URL is set.
Each process loads opsctl first and then waits for a signal file, so that all twelve
reach the database together.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from sqlmodel import select

from opsctl.models.attendance import Punch
from opsctl.models.people import Employee

STARTER = """
import os, sys, time
from opsctl.cli.main import app
import opsctl.cli.attend, opsctl.services.attendance_punches, opsctl.db  # loaded before the signal
go = sys.argv[1]
while not os.path.exists(go):
    time.sleep(0.005)
sys.argv = ["opsctl", "attend", "in"]
app()
"""


def test_twelve_processes_clock_in_at_once(db_url: str, people, session, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    distinct = ["ada", "mona", "hana", "leo", "wei", "na", "sam"]
    logins = distinct + ["wei"] * 5  # five more tries by one person
    go = tmp_path / "go"
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", STARTER, str(go)],
            env={**os.environ, "OPSCTL_DB": db_url, "OPSCTL_USER": login, "NO_COLOR": "1"},
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for login in logins
    ]
    time.sleep(2.5)  # let every process finish importing
    go.touch()
    results = [(login, p.wait(timeout=120), *p.communicate()) for login, p in zip(logins, processes, strict=True)]

    for login, code, _out, err in results:
        assert "Traceback" not in err and "database is locked" not in err and "unexpected" not in err, (login, err)
        assert code in (0, 5), (login, code, err)
    codes = Counter((login, code) for login, code, _, _ in results)
    assert all(codes[(login, 0)] == 1 for login in distinct), codes
    assert codes[("wei", 5)] == 5
    refusals = [err for login, code, _, err in results if code == 5]
    assert all(err.startswith("Error: you clocked in at ") and err.count("\n") == 1 for err in refusals), refusals

    session.commit()  # see what the processes wrote
    rows = session.exec(select(Employee.login, Punch.kind).join(Employee, Employee.id == Punch.employee_id)).all()
    assert Counter(login for login, _ in rows) == Counter(distinct)
    assert {kind for _, kind in rows} == {"in"}
