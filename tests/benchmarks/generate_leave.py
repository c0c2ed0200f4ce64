"""Synthetic leave for the benchmarks: the attendance data set (300 people, May 2026) with
ten requests a person over 2024–2026 — most approved (with their ledger entries), some
pending, some rejected — and a few days of approved leave each in May 2026.

Rows are written with plain sqlite3 in the format SQLAlchemy stores, as the attendance
generator does.
"""

from __future__ import annotations

import random
import sqlite3
from datetime import date, timedelta
from pathlib import Path

from tests.benchmarks.generate_attendance import create_attendance_database

STAMP = "2026-01-05 02:00:00.000000"


def create_leave_database(path: Path, *, people: int = 300, per_person: int = 10) -> str:
    url = create_attendance_database(path, people=people)
    rng = random.Random(4)
    conn = sqlite3.connect(path)
    ids = [row[0] for row in conn.execute("SELECT id FROM employee WHERE login LIKE 'p%' ORDER BY id")][:people]
    types = dict(conn.execute("SELECT code, id FROM leave_type"))
    requests, ledger = [], []
    next_id = 1
    for employee_id in ids:
        starts = sorted({date(2024, 1, 1) + timedelta(days=rng.randrange(0, 880)) for _ in range(per_person - 1)})
        starts.append(date(2026, 5, 11) + timedelta(days=rng.randrange(0, 14)))  # a day or two in May 2026
        for start in starts:
            end = start + timedelta(days=rng.choice((0, 0, 1, 2)))
            status = rng.choices(("approved", "pending", "rejected"), (8, 1, 1))[0] if start.year < 2026 or \
                start.month != 5 else "approved"
            code = rng.choice(("annual", "sick", "personal"))
            days = float((end - start).days + 1)
            requests.append((next_id, employee_id, types[code], start.isoformat(), "am", end.isoformat(), "pm", days,
                             "synthetic", status, 1, 1 if status == "approved" else 0, employee_id, STAMP))
            if status == "approved":
                ledger.append((employee_id, types[code], start.year, -days, "leave", next_id, STAMP))
            next_id += 1
    with conn:
        conn.executemany(
            "INSERT INTO leave_request (id, employee_id, type_id, start, start_half, \"end\", end_half, days, reason, "
            "status, levels, approved_level, requested_by_id, requested_at) VALUES "
            "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", requests)
        conn.executemany("INSERT INTO leave_ledger (employee_id, type_id, year, days, kind, request_id, created_at) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?)", ledger)
    conn.close()
    return url
