"""Synthetic attendance for the benchmarks: a month of punches for 300 people (optionally
with three years of older ones), a CSV of 100,000 punches and a ZKTeco USB download of
24,162 to import.

Punches are written with plain sqlite3 in the format SQLAlchemy stores (naive UTC
``YYYY-MM-DD HH:MM:SS.ffffff``): building half a million rows through the ORM would
take longer than the benchmark itself.
"""

from __future__ import annotations

import csv
import random
import sqlite3
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from pathlib import Path

from opsctl.db import open_engine, session_scope
from opsctl.settings import resolve_database
from tests.benchmarks.generate import NOW, create_database, login

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"
OFFSET = timedelta(hours=8)  # Asia/Shanghai has no daylight saving time
MONTH = (date(2026, 5, 1), date(2026, 6, 3))
THREE_YEARS = (date(2023, 5, 1), date(2026, 4, 30))

# The raw baseline: what the import does, without opsctl — read the CSV, turn local times
# into UTC, insert every row with one executemany in one transaction.
RAW_IMPORT = """
import csv, sqlite3, sys
from datetime import datetime, timedelta
db, path = sys.argv[1], sys.argv[2]
conn = sqlite3.connect(db)
ids = dict(conn.execute("SELECT login, id FROM employee"))
rows = []
with open(path, newline="", encoding="utf-8") as handle:
    reader = csv.reader(handle)
    next(reader)
    for who, when, kind in reader:
        local = datetime.fromisoformat(when)
        rows.append((ids[who], str(local - timedelta(hours=8)) + ".000000", str(local.date()), kind or None, "import"))
with conn:
    conn.executemany("INSERT INTO punch (employee_id, at, work_date, kind, source) VALUES (?, ?, ?, ?, ?)", rows)
conn.close()
"""

# The same for a ZKTeco USB download: the badge and the state (fourth column) of each line.
RAW_USB_IMPORT = """
import sqlite3, sys
from datetime import datetime, timedelta
db, path = sys.argv[1], sys.argv[2]
kinds = {"0": "in", "1": "out", "2": "out", "3": "in", "4": "in", "5": "out"}
conn = sqlite3.connect(db)
ids = dict(conn.execute("SELECT badge, id FROM employee WHERE badge IS NOT NULL"))
rows = []
with open(path, encoding="ascii") as handle:
    for line in handle:
        pin, day, clock, device, state, verify, workcode = line.split()
        local = datetime.fromisoformat(day + " " + clock)
        rows.append((ids[pin], str(local - timedelta(hours=8)) + ".000000", day, kinds.get(state), "zkteco"))
with conn:
    conn.executemany("INSERT INTO punch (employee_id, at, work_date, kind, source) VALUES (?, ?, ?, ?, ?)", rows)
conn.close()
"""


def _workdays(start: date, end: date, calendar: dict[date, str]) -> Iterator[date]:
    day = start
    while day <= end:
        kind = calendar.get(day)
        if kind == "workday" or (kind is None and day.weekday() < 5):
            yield day
        day += timedelta(days=1)


def _calendar() -> dict[date, str]:
    with (SAMPLE / "calendars/cn-2026.csv").open(encoding="utf-8") as handle:
        return {date.fromisoformat(r["date"]): r["kind"] for r in csv.DictReader(handle)}


def _day_punches(rng: random.Random, day: date) -> list[tuple[datetime, str]]:
    arrive = datetime.combine(day, time(8, 35)) + timedelta(seconds=rng.randint(0, 40 * 60))
    leave = datetime.combine(day, time(17, 45)) + timedelta(seconds=rng.randint(0, 70 * 60))
    if rng.random() < 0.02:
        return [(arrive, "in")]  # a missing punch now and then
    return [(arrive, "in"), (leave, "out")]


def _insert_punches(path: Path, people: int, start: date, end: date, seed: int) -> None:
    rng = random.Random(seed)
    conn = sqlite3.connect(path)
    ids = [row[0] for row in conn.execute("SELECT id FROM employee WHERE login LIKE 'p%' ORDER BY id")][:people]
    rows = []
    for day in _workdays(start, end, _calendar()):
        for employee_id in ids:
            if rng.random() < 0.01:
                continue  # absent
            for local, kind in _day_punches(rng, day):
                rows.append((employee_id, f"{local - OFFSET:%Y-%m-%d %H:%M:%S}.000000", day.isoformat(), kind,
                             "clock"))
    with conn:
        conn.executemany("INSERT INTO punch (employee_id, at, work_date, kind, source) VALUES (?, ?, ?, ?, ?)",
                         rows)
    conn.close()


def create_attendance_database(path: Path, *, people: int = 300, older_years: bool = False) -> str:
    """``people`` employees on the standard schedule with the 2026 calendar, and their punches
    of May 2026 and early June (plus three years before, if ``older_years``)."""
    from sqlmodel import col

    from opsctl.models.people import Employee
    from opsctl.services.attendance.calendar import import_calendar
    from opsctl.services.attendance.schedules import add_schedule

    url = create_database(path, people)
    engine = open_engine(resolve_database(str(path)))
    with session_scope(engine) as session:
        admin = session.query(Employee).filter(col(Employee.login) == "ada").one()
        add_schedule(session, actor=admin, now=NOW, name="Standard", start=time(9), end=time(18),
                     breaks=(time(12), time(13)), late_grace=5)
        import_calendar(session, actor=admin, now=NOW, path=SAMPLE / "calendars/cn-2026.csv")
    engine.dispose()
    _insert_punches(path, people, *MONTH, seed=5)
    if older_years:
        _insert_punches(path, people, *THREE_YEARS, seed=3)
    return url


def write_punch_csv(path: Path, *, rows: int = 100_000, people: int = 300) -> str:
    """``rows`` punches (login,time,kind) of ``people`` on workdays from June 2025 on."""
    rng = random.Random(9)
    written = 0
    day = date(2025, 6, 2)
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(("login", "time", "kind"))
        while written < rows:
            if day.weekday() < 5:
                for i in range(people):
                    for local, kind in _day_punches(rng, day)[: rows - written]:
                        out.writerow((login(i), f"{local:%Y-%m-%d %H:%M:%S}", kind))
                        written += 1
                    if written >= rows:
                        break
            day += timedelta(days=1)
    return str(path)


def _device_day(rng: random.Random, day: date) -> list[tuple[datetime, int]]:
    """One person's punches of a day as a device records them: (local time, state). States:
    0 check-in, 1 check-out, 2 break-out, 3 break-in, 4 overtime-in, 5 overtime-out, 255 none."""
    def at(hour: int, minute: int, spread: int) -> datetime:
        return datetime.combine(day, time(hour, minute)) + timedelta(seconds=rng.randint(0, spread * 60))

    punches = [(at(8, 30, 45), 255 if rng.random() < 0.03 else 0)]  # now and then no state key pressed
    if rng.random() < 0.15:
        punches += [(at(12, 0, 10), 2), (at(12, 50, 15), 3)]
    if rng.random() < 0.98:
        punches.append((at(17, 45, 70), 1))
    if rng.random() < 0.05:
        punches += [(at(19, 0, 10), 4), (at(21, 0, 60), 5)]
    return punches


def write_zkteco_usb_log(path: Path, *, rows: int = 24_162, badges: list[str] | None = None,
                         start: date = date(2026, 3, 2), device: int = 1) -> str:
    """``rows`` punches as a ZKTeco device writes its USB download (``1_attlog.dat``): CRLF,
    ``PIN<TAB>time<TAB>device<TAB>state<TAB>verify<TAB>workcode`` with the PIN right-aligned
    in nine spaces, in time order; workdays from ``start`` on, for the badges of the benchmark
    people (``10000``…) unless ``badges`` are given. Every state occurs."""
    rng = random.Random(13)
    badges = badges or [str(10000 + i) for i in range(300)]
    verify = {badge: 15 if rng.random() < 0.3 else 1 for badge in badges}  # face or fingerprint
    lines: list[str] = []
    day = start
    while len(lines) < rows:
        if day.weekday() < 5:
            punches = sorted((local, badge, state) for badge in badges for local, state in _device_day(rng, day))
            lines += [f"{badge:>9}\t{local:%Y-%m-%d %H:%M:%S}\t{device}\t{state}\t{verify[badge]}\t0\r\n"
                      for local, badge, state in punches]
        day += timedelta(days=1)
    path.write_bytes("".join(lines[:rows]).encode("ascii"))
    return str(path)


def write_usb_log_as_csv(path: Path) -> str:
    """The punches of ``write_zkteco_usb_log`` as a CSV (``login,time,kind``): the same import
    through the CSV path, to measure the device log's parsing against."""
    log = Path(write_zkteco_usb_log(path.with_name("1_attlog.dat")))
    kinds = {"0": "in", "1": "out", "2": "out", "3": "in", "4": "in", "5": "out", "255": ""}
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(("login", "time", "kind"))
        for line in log.read_text(encoding="ascii").splitlines():
            pin, day, clock, _device, state, _verify, _workcode = line.split()
            out.writerow((login(int(pin) - 10000), f"{day} {clock}", kinds[state]))
    return str(path)
