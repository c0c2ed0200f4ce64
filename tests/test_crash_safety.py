"""Killed, interrupted and concurrent: files are whole or absent, and an upgrade happens once."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from opsctl import atomic
from opsctl.db import backup_sqlite, ensure_schema, open_engine, stored_revisions, upgrade
from opsctl.migrations import heads, known_revisions
from opsctl.settings import resolve_database
from tests.conftest import DEFAULT_NOW, TEST_DATABASE_URL
from tests.races import race, tally

sqlite_only = pytest.mark.skipif(bool(TEST_DATABASE_URL), reason="SQLite files")
OLDEST = sorted(known_revisions() - heads())[0] if known_revisions() - heads() else "0001"


def _older_sqlite(path: Path) -> None:
    """A database at an older revision, with its admin, as an earlier opsctl left it."""
    location = resolve_database(str(path))
    engine = open_engine(location, create=True)
    upgrade(engine, OLDEST)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO employee (login, name, role, active, created_at) "
                          "VALUES ('ada', 'Ada', 'admin', 1, '2026-01-01 00:00:00')"))
    engine.dispose()


def test_a_write_stopped_by_sigterm_leaves_neither_file_nor_temporary(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    target = folder / "report.xlsx"

    def write_then_get_stopped(temp: Path) -> None:
        temp.write_bytes(b"half a workbook")
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(5)  # the signal arrives before this ends

    handler = signal.getsignal(signal.SIGTERM)
    with pytest.raises(KeyboardInterrupt, match="SIGTERM"):
        atomic.write_whole(target, write_then_get_stopped, replace=False)
    assert list(folder.iterdir()) == []
    assert signal.getsignal(signal.SIGTERM) is handler  # restored


def test_temporaries_of_dead_writers_are_swept_and_live_ones_kept(tmp_path: Path) -> None:
    target = tmp_path / "weekly.ics"
    dead_pid = subprocess.Popen([sys.executable, "-c", "pass"])
    dead_pid.wait()
    stale = tmp_path / f".weekly.ics.{dead_pid.pid}.abc123{atomic.TEMP_SUFFIX}"
    live = tmp_path / f".weekly.ics.{os.getppid()}.def456{atomic.TEMP_SUFFIX}"
    unrelated = tmp_path / f".other.ics.{dead_pid.pid}.abc123{atomic.TEMP_SUFFIX}"
    for path in (stale, live, unrelated):
        path.write_text("partial")
    assert atomic.write_whole(target, lambda temp: temp.write_text("BEGIN:VCALENDAR"), replace=False)
    assert target.read_text() == "BEGIN:VCALENDAR"
    assert not stale.exists()
    assert live.exists() and unrelated.exists()


_KILLED_BACKUP = """
import os, sys, time
from pathlib import Path
from opsctl import atomic, db
ready = Path(sys.argv[3])
def stop_before_the_move(temp, path, *, replace):
    ready.touch()
    time.sleep(60)
atomic._move_into_place = stop_before_the_move
db.backup_sqlite(Path(sys.argv[1]), Path(sys.argv[2]))
"""


@sqlite_only
@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGKILL])
def test_a_killed_backup_leaves_no_file_under_the_backup_name(tmp_path: Path, how: signal.Signals) -> None:
    source = tmp_path / "team.db"
    with sqlite3.connect(source) as conn:
        conn.execute("create table t (x)")
        conn.execute("insert into t values (1)")
    target, ready = tmp_path / "team-backup.db", tmp_path / "ready"
    process = subprocess.Popen([sys.executable, "-c", _KILLED_BACKUP, str(source), str(target), str(ready)],
                               stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not ready.exists():
        assert process.poll() is None and time.monotonic() < deadline, process.communicate()[1]
        time.sleep(0.01)
    process.send_signal(how)
    process.wait(timeout=60)
    assert not target.exists()
    leftovers = [p for p in tmp_path.iterdir() if p.name.endswith(atomic.TEMP_SUFFIX)]
    # SIGTERM removes its temporary file on the way out; after SIGKILL nothing runs, so the
    # next write beside it sweeps it.
    assert len(leftovers) == (0 if how == signal.SIGTERM else 1)
    backup_sqlite(source, target)
    with sqlite3.connect(target) as copy:
        assert copy.execute("select x from t").fetchall() == [(1,)]
    assert [p for p in tmp_path.iterdir() if p.name.endswith(atomic.TEMP_SUFFIX)] == []


@sqlite_only
def test_a_stale_pre_upgrade_backup_does_not_block_the_upgrade(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    _older_sqlite(path)
    stale = tmp_path / f"old.db.bak-{OLDEST}"
    stale.write_bytes(b"left by an upgrade that was killed")
    location = resolve_database(str(path))
    engine = open_engine(location)
    note = ensure_schema(engine, location)
    engine.dispose()
    assert note is not None and note.endswith(f"saved as {tmp_path / f'old.db.bak-{OLDEST}.2'}")
    assert stale.read_bytes() == b"left by an upgrade that was killed"
    with sqlite3.connect(tmp_path / f"old.db.bak-{OLDEST}.2") as copy:
        assert copy.execute("select login from employee").fetchall() == [("ada",)]


def _older_postgres(url: str) -> str:
    """A database of its own on the test server, at an older revision, with its admin."""
    name = url.rsplit("/", 1)[1] + "_upgrade_race"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    own = url.rsplit("/", 1)[0] + "/" + name
    engine = open_engine(resolve_database(own), create=True)
    upgrade(engine, OLDEST)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO employee (login, name, role, active, created_at) "
                          "VALUES ('ada', 'Ada', 'admin', true, '2026-01-01 00:00:00+00')"))
    engine.dispose()
    return own


def test_twelve_first_opens_after_an_upgrade_all_go_on(tmp_path: Path) -> None:
    if TEST_DATABASE_URL:
        url = _older_postgres(TEST_DATABASE_URL)
    else:
        _older_sqlite(tmp_path / "old.db")
        url = str(tmp_path / "old.db")
    outcomes = race(url, tmp_path / "race", [("ada", ["whoami", "-f", "json"])] * 12, now=DEFAULT_NOW,
                    connect_first=False)
    assert tally(outcomes) == {0: 12}, [o.stderr for o in outcomes]
    assert all('"login": "ada"' in outcome.stdout for outcome in outcomes)
    upgraded = [o for o in outcomes if "upgraded the database schema" in o.stderr]
    assert len(upgraded) == 1, [o.stderr for o in outcomes]
    if not TEST_DATABASE_URL:
        assert [p.name for p in tmp_path.glob("old.db.bak-*")] == [f"old.db.bak-{OLDEST}"]
    engine = open_engine(resolve_database(url))
    with engine.connect() as conn:
        assert stored_revisions(conn) == heads()
    engine.dispose()
