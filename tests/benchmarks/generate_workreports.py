"""Synthetic work reports for the benchmarks: 300 people (`generate.create_database`), the week
reports of 2026-W22 (May 25–31) of two in three of them (some late, some reviewed) and the
day reports of that week of one in six; a few days of approved leave, one person's whole week."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from pathlib import Path

from tests.benchmarks.generate import create_database

STAMP = "2026-06-01 01:00:00.000000"
WEEK = date(2026, 5, 25)


def create_workreport_database(path: Path, *, people: int = 300) -> str:
    url = create_database(path, people)
    conn = sqlite3.connect(path)
    ids = [row[0] for row in conn.execute("SELECT id FROM employee WHERE login LIKE 'p%' ORDER BY id")]
    sick = conn.execute("SELECT id FROM leave_type WHERE code = 'sick'").fetchone()[0]
    reports, leave = [], []
    text = "- the backup job\n- the key rotation\n- #12 on-call handover"
    for n, employee_id in enumerate(ids):
        if n % 3:
            late = n % 7 == 0
            reviewed = n % 5 == 0
            reports.append((employee_id, "week", WEEK.isoformat(), (WEEK + timedelta(days=6)).isoformat(),
                            "reviewed" if reviewed else "submitted", text, text, "- the VPN drops", STAMP, STAMP,
                            STAMP, "2026-06-01 02:00:00.000000", int(late), 1 if reviewed else None,
                            STAMP if reviewed else None))
        if n % 6 == 0:
            reports += [(employee_id, "day", (WEEK + timedelta(days=d)).isoformat(),
                         (WEEK + timedelta(days=d)).isoformat(), "submitted", text, "", "", STAMP, STAMP, STAMP,
                         STAMP, 0, None, None) for d in range(5)]
        if n % 10 == 1:
            last = WEEK + timedelta(days=4 if n == 21 else 1)  # p0021 owes nothing
            leave.append((employee_id, sick, WEEK.isoformat(), "am", last.isoformat(), "pm",
                          float((last - WEEK).days + 1), "synthetic", "approved", 1, 1, employee_id, STAMP))
    with conn:
        conn.executemany(
            "INSERT INTO work_report (employee_id, kind, period_start, period_end, status, done, planned, problems, "
            "created_at, updated_at, submitted_at, deadline, late, reviewed_by_id, reviewed_at) VALUES "
            "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", reports)
        conn.executemany(
            "INSERT INTO leave_request (employee_id, type_id, start, start_half, \"end\", end_half, days, reason, "
            "status, levels, approved_level, requested_by_id, requested_at) VALUES "
            "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", leave)
    conn.close()
    return url
