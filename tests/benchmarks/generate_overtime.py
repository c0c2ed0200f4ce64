"""Synthetic overtime requests for the benchmarks: the attendance data set (300 people, May 2026)
with seven requests a person in May 2026 — evenings on workdays and a Saturday, most approved,
some rejected or pending — and twenty a person in 2024–2025.

Rows are written with plain sqlite3 in the format SQLAlchemy stores, as the attendance
generator does.
"""

from __future__ import annotations

import random
import sqlite3
from datetime import date, timedelta
from pathlib import Path

from tests.benchmarks.generate_attendance import create_attendance_database

STAMP = "2026-05-01 02:00:00.000000"
MAY_WORKDAYS = [date(2026, 5, d) for d in range(6, 30) if date(2026, 5, d).weekday() < 5 and d != 9]


def create_overtime_database(path: Path, *, people: int = 300, older: int = 20) -> str:
    url = create_attendance_database(path, people=people)
    rng = random.Random(12)
    conn = sqlite3.connect(path)
    ids = [row[0] for row in conn.execute("SELECT id FROM employee WHERE login LIKE 'p%' ORDER BY id")][:people]
    rows = []
    for employee_id in ids:
        days = [(day, "18:00:00.000000", "20:30:00.000000") for day in rng.sample(MAY_WORKDAYS, 6)]
        days.append((date(2026, 5, 16), "10:00:00.000000", "16:00:00.000000"))  # a Saturday
        days += [(date(2024, 1, 1) + timedelta(days=rng.randrange(0, 720)), "18:00:00.000000", "20:00:00.000000")
                 for _ in range(older)]
        for day, start, end in days:
            status = rng.choices(("approved", "rejected", "pending"), (8, 1, 1))[0]
            rows.append((employee_id, day.isoformat(), start, end, "synthetic", status, 0, 0.0, employee_id, STAMP))
    with conn:
        conn.executemany(
            "INSERT INTO attendance_overtime (employee_id, work_date, start, \"end\", reason, status, late, comp_days, "
            "requested_by_id, requested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    conn.close()
    return url
