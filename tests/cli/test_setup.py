"""init, whoami, config and db commands as a user meets them."""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from typer.testing import CliRunner, Result

from opsctl.cli.main import app
from opsctl.models.people import Employee
from tests.conftest import TEST_DATABASE_URL, Cli, People

sqlite_only = pytest.mark.skipif(bool(TEST_DATABASE_URL), reason="SQLite file behaviour")


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(app, list(args), env=env or {})


@sqlite_only
def test_init_creates_a_private_database_with_an_admin(tmp_path: Path) -> None:
    db = tmp_path / "team.db"
    result = run("--db", str(db), "init", "--timezone", "Asia/Shanghai", "--admin", "ada", "--name", "Ada",
                 "-f", "json")
    assert result.exit_code == 0, result.stderr
    assert result.stdout and '"role": "admin"' in result.stdout
    assert stat.S_IMODE(os.stat(db).st_mode) == 0o600
    who = run("--db", str(db), "--as", "ada", "whoami", "-f", "json")
    assert '"login": "ada"' in who.stdout
    again = run("--db", str(db), "init", "--admin", "ada")
    assert again.exit_code == 5
    assert again.stderr.startswith("Error: the database is already set up")


@sqlite_only
def test_default_location_follows_xdg_data_home(tmp_path: Path) -> None:
    data_home = tmp_path / "xdg"
    result = run("db", "path", env={"XDG_DATA_HOME": str(data_home)})
    assert result.stdout.strip() == str(data_home / "opsctl" / "opsctl.db")
    created = run("init", "--admin", "ada", env={"XDG_DATA_HOME": str(data_home)})
    assert created.exit_code == 0, created.stderr
    assert (data_home / "opsctl" / "opsctl.db").exists()


def test_init_refuses_an_unknown_timezone(tmp_path: Path, db_url: str) -> None:
    result = run("--db", db_url, "init", "--timezone", "Mars/Olympus", "--admin", "ada")
    assert result.exit_code == 1
    assert result.stderr.strip().startswith("Error: unknown timezone: 'Mars/Olympus'")
    # nothing half-written: a second, correct init works
    assert run("--db", db_url, "init", "--timezone", "UTC", "--admin", "ada").exit_code == 0


def test_acting_as_nobody_is_refused_with_the_fix(cli: Cli, admin: Employee) -> None:
    result = cli("whoami", user="ghost")
    assert result.exit_code == 4
    assert "opsctl people add ghost" in result.error
    assert result.error.count("\n") == 0


@sqlite_only
@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda d: d / "missing" / "x.db", "does not exist"),
        (lambda d: d / "nothing-here.db", "opsctl init"),
        (lambda d: d, "is a folder; give the database file"),
    ],
)
def test_storage_problems_exit_6_and_name_the_place(tmp_path: Path, make: Callable[[Path], Path], message: str) -> None:
    db = make(tmp_path)
    result = run("--db", str(db), "--as", "ada", "whoami")
    assert result.exit_code == 6
    assert result.stderr.startswith("Error: ") and message in result.stderr


@sqlite_only
def test_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    junk = tmp_path / "notes.db"
    junk.write_text("hello, I am a text file\n" * 100)
    result = run("--db", str(junk), "--as", "ada", "whoami")
    assert result.exit_code == 6
    assert "not a usable opsctl database" in result.stderr or "not a database" in result.stderr


@sqlite_only
def test_an_unwritable_folder(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root writes everywhere")
    folder = tmp_path / "ro"
    folder.mkdir(mode=0o500)
    result = run("--db", str(folder / "x.db"), "init")
    assert result.exit_code == 6
    assert str(folder) in result.stderr


def test_a_database_from_a_newer_opsctl_is_refused(cli: Cli, admin: Employee, engine: Engine) -> None:
    from sqlalchemy import text

    with engine.begin() as conn:
        conn.execute(text("INSERT INTO alembic_version (version_num) VALUES ('9999_future')"))
    result = cli("whoami")
    assert result.exit_code == 6
    assert "newer opsctl" in result.error


def test_config_set_checks_values_and_admin_role(cli: Cli, people: People) -> None:
    assert cli("config", "get", "timezone").stdout.strip() == "Asia/Shanghai"
    bad = cli("config", "set", "timezone", "Nowhere/City")
    assert bad.exit_code == 1 and "unknown timezone" in bad.error
    assert cli("config", "set", "overtime_min", "45").exit_code == 0
    assert cli("config", "get", "overtime_min").stdout.strip() == "45"
    member = cli("config", "set", "overtime_min", "10", user="wei")
    assert member.exit_code == 4
    assert cli("config", "get", "nope").exit_code == 3
    weights = cli("config", "set", "kpi.rater_weights", "self=10,supervisor=60,peer=20,customer=20")
    assert weights.exit_code == 1 and "sum to 110" in weights.error
    for key, value in (("kpi.rater_weights", "self=nan,supervisor=60,peer=20,customer=10"),
                       ("kpi.discipline", "late=inf,early=2,missing=2,absent=10"), ("kpi.grades", "A=nan")):
        refused = cli("config", "set", key, value)  # a NaN weight slipped past every check and broke KPI
        assert refused.exit_code == 1 and refused.error.startswith("Error: "), (key, refused.error)
    rows = cli("config", "list", "-f", "json").json()
    assert {"key": "overtime_min", "value": "45"}.items() <= rows[2].items()


def test_someone_who_is_not_an_employee_reads_no_settings_and_no_people(cli: Any, people: Any) -> None:
    """DESIGN §1: reading needs an active employee; team settings are no exception."""
    for command in (("config", "list"), ("config", "get", "timezone"), ("people", "list")):
        refused = cli(*command, user="nobody")
        assert refused.exit_code == 4, command
        assert refused.stdout == ""
        assert refused.error == NOT_AN_EMPLOYEE


NOT_AN_EMPLOYEE = ("Error: 'nobody' is not an employee here; act as an employee with --as LOGIN or "
                   "OPSCTL_USER, or have HR add you: opsctl people add nobody --name 'Your Name'")


# Every read command whose only rule is "a known, active employee" (the rule lives in its service).
READS_FOR_ANY_EMPLOYEE = [
    ("config", "list"),
    ("config", "get", "timezone"),
    ("people", "list"),
    ("people", "show", "wei"),
    ("team", "list"),
    ("team", "show", "Ops"),
    ("calendar", "list"),
    ("schedule", "list"),
    ("leave", "types"),
    ("kpi", "template", "list"),
    ("kpi", "template", "show"),
    ("kpi", "cycle", "list"),
    ("training", "plan", "list"),
    ("training", "session", "list"),
    ("training", "session", "show", "1"),
    ("project", "show", "WEB"),
    ("task", "list"),
    ("task", "show", "1"),
    ("task", "week"),
]


@pytest.mark.parametrize("command", READS_FOR_ANY_EMPLOYEE, ids=" ".join)
def test_reading_as_nobody_is_refused_with_the_fix(cli: Cli, people: People, command: tuple[str, ...]) -> None:
    refused = cli("--as", "nobody", *command)
    assert (refused.exit_code, refused.stdout, refused.error) == (4, "", NOT_AN_EMPLOYEE)


@sqlite_only
def test_db_backup_check_and_info(cli: Cli, admin: Employee, db_url: str, tmp_path: Path) -> None:
    target = tmp_path / "copy.db"
    result = cli("db", "backup", str(target))
    assert result.exit_code == 0, result.error
    with sqlite3.connect(target) as copy:
        assert copy.execute("select login from employee").fetchall() == [("ada",)]
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    assert cli("db", "backup", str(target)).exit_code == 5
    named = cli("db", "backup")  # beside the database, named in the team's time (09:30 Shanghai, 01:30 UTC)
    assert named.exit_code == 0, named.error
    assert Path(named.stdout.strip()).name == "opsctl.db.backup-20260318-093000"
    assert "is a folder" in cli("db", "backup", str(tmp_path)).error
    too_long = cli("db", "backup", str(tmp_path / ("x" * 300)))  # the file system says no: one line, exit 6
    assert too_long.exit_code == 6 and too_long.error.startswith("Error: cannot create"), too_long.error
    check = cli("db", "check", "-f", "json").json()
    assert check["ok"] is True
    info = cli("db", "info", "-f", "json").json()
    assert info["backend"] == "sqlite" and info["journal_mode"] == "wal"
    assert info["rows"]["employee"] == 1


@sqlite_only
def test_sqlite_pragmas_are_set(engine: Engine) -> None:
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        busy_timeout = conn.exec_driver_sql("PRAGMA busy_timeout").scalar()
        assert busy_timeout is not None and busy_timeout >= 5000
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL


def test_version_and_help() -> None:
    from opsctl import __version__

    assert run("--version").stdout.strip() == f"opsctl {__version__}"
    listing = run("--help").stdout
    for group in ("init", "demo", "whoami", "config", "db", "people", "team", "audit", "today"):
        assert f"\n  {group} " in listing


@sqlite_only
def test_a_locked_database_is_a_clear_storage_error(
    cli: Cli, people: People, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import opsctl.db

    monkeypatch.setattr(opsctl.db, "BUSY_TIMEOUT_MS", 200)
    monkeypatch.setattr(opsctl.db, "WRITE_WAIT_MS", 500)  # tries again after 200, and 400 ms
    holder = sqlite3.connect(db_url.removeprefix("sqlite:///"), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        result = cli("people", "add", "zed", "--name", "Zed")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.exit_code == 6
    assert result.error.startswith("Error: the database") and "locked" in result.error
    assert cli("people", "add", "zed", "--name", "Zed").exit_code == 0


@sqlite_only
def test_a_writer_waits_its_turn_past_one_busy_timeout(
    cli: Cli, people: People, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite gives up on a lock after one busy timeout; a writing command tries its BEGIN again
    (it has read and written nothing yet) until WRITE_WAIT_MS: a long queue of writers, or
    one slow one, delays it rather than failing it."""
    import threading

    import opsctl.db

    monkeypatch.setattr(opsctl.db, "BUSY_TIMEOUT_MS", 100)
    holder = sqlite3.connect(db_url.removeprefix("sqlite:///"), isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    release = threading.Timer(1.0, holder.execute, ("ROLLBACK",))  # ten busy timeouts later
    release.start()
    try:
        result = cli("people", "add", "zed", "--name", "Zed")
    finally:
        release.join()
        holder.close()
    assert result.exit_code == 0, result.stderr
    assert cli("people", "show", "zed", "-f", "json").json()["login"] == "zed"


@sqlite_only
def test_a_folder_that_cannot_hold_files() -> None:
    result = run("--db", "/proc/opsctl-test.db", "init")
    assert result.exit_code == 6
    assert result.stderr.startswith("Error: cannot create /proc/opsctl-test.db in the folder /proc")
