"""The engine (with SQLite pragmas), one session per command, the schema check and backups.

SQLAlchemy's IntegrityError and OperationalError are turned into opsctl errors here,
once, so no other layer has to know about them.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DatabaseError, IntegrityError, OperationalError
from sqlmodel import Session

from opsctl import atomic
from opsctl.errors import Conflict, InvalidInput, NotAllowed, StorageError
from opsctl.migrations import heads, known_revisions
from opsctl.settings import DatabaseLocation

if TYPE_CHECKING:
    from sqlalchemy.engine.interfaces import DBAPIConnection
    from sqlalchemy.pool import ConnectionPoolEntry

BUSY_TIMEOUT_MS = 10_000  # SQLite's own wait, per statement
WRITE_WAIT_MS = 30_000  # a writer's wait for the write lock, in all (see _took_write_lock)
_IMMEDIATE = "sqlite_begin"


def open_engine(location: DatabaseLocation, *, create: bool = False) -> Engine:
    """An engine for ``location``; a missing SQLite file is created (mode 0600) only if asked."""
    if location.path is not None:
        _prepare_sqlite_file(location, create=create)
    try:
        engine = create_engine(location.url, connect_args=_connect_args(location))
    except ModuleNotFoundError as exc:
        raise StorageError(
            f"the driver for {location.display()} is not installed ({exc.name}); "
            "install it with: pip install 'opsctl[postgres]'"
        ) from exc
    if location.is_sqlite:
        event.listen(engine, "connect", _sqlite_on_connect)
        event.listen(engine, "begin", _sqlite_on_begin)
    return engine


def _connect_args(location: DatabaseLocation) -> dict[str, Any]:
    if location.is_sqlite:
        return {"timeout": BUSY_TIMEOUT_MS / 1000}
    if location.url.startswith("postgresql"):
        return {"connect_timeout": 5}
    return {}


def _prepare_sqlite_file(location: DatabaseLocation, *, create: bool) -> None:
    path = location.path
    assert path is not None
    folder = path.parent
    if location.is_default:
        _make_private_folders(folder)
    if not folder.is_dir():
        raise StorageError(f"the folder {folder} does not exist; create it or choose another --db")
    if path.is_dir():
        raise StorageError(f"{path} is a folder; give the database file, e.g. --db {path / 'opsctl.db'}")
    if path.exists():
        if not os.access(path, os.R_OK):
            raise StorageError(f"cannot read {path}; check its permissions")
        if not os.access(folder, os.W_OK) or not os.access(path, os.W_OK):
            raise StorageError(
                f"{path} or its folder is read-only; opsctl needs to write both (SQLite keeps its journal "
                "beside the file), so copy the database somewhere writable and use --db there"
            )
        return
    if not create:
        raise StorageError(f"there is no database at {path}; create it with `opsctl init`")
    try:
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except OSError as exc:
        raise StorageError(
            f"cannot create {path} in the folder {folder} ({exc.strerror}); choose another --db"
        ) from exc


def _make_private_folders(folder: Path) -> None:
    """Create ``folder`` and every missing parent readable by the owner only.

    ``mkdir(parents=True, mode=…)`` gives the mode to the last folder alone; the parents
    would follow the umask (0777 under ``umask 000``), exposing the path to everyone.
    """
    missing = [folder, *folder.parents]
    missing = [path for path in missing if not path.exists()]
    for path in reversed(missing):
        try:
            path.mkdir(mode=0o700)
        except FileExistsError:
            continue  # made meanwhile by another opsctl
        except OSError as exc:
            raise StorageError(
                f"cannot create the folder {path} for the database ({exc.strerror}); "
                "set OPSCTL_DB or --db to a file in a folder you can write"
            ) from exc
        path.chmod(0o700)  # the mode above is masked by the umask; a private folder is wanted either way


def _sqlite_on_connect(dbapi_connection: DBAPIConnection, record: ConnectionPoolEntry) -> None:
    # Take transactions into our own hands (see _sqlite_on_begin).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.execute("PRAGMA journal_mode")
    (mode,) = cursor.fetchone() or ("",)
    if str(mode).lower() != "wal":
        cursor.execute("PRAGMA journal_mode = WAL")
    cursor.close()


def _sqlite_on_begin(conn: Connection) -> None:
    # A writing command takes the write lock when it starts (BEGIN IMMEDIATE), so a
    # read-then-write check (is this person already clocked in?) cannot race, and a
    # busy database waits instead of failing at once. (A deferred transaction that later
    # writes would get SQLITE_BUSY at once, without any wait: writers never do that.)
    mode = conn.get_execution_options().get(_IMMEDIATE, "DEFERRED")
    if mode == "IMMEDIATE" and _took_write_lock(conn):
        return
    conn.exec_driver_sql(f"BEGIN {mode}")


def _took_write_lock(conn: Connection) -> bool:
    """BEGIN IMMEDIATE, tried again while it reports a busy database, until WRITE_WAIT_MS
    less one busy timeout have passed; False then, and the caller's own last try fails as
    exit 6 (or takes the lock).

    Each try waits up to the busy timeout, SQLite's busy handler polling with a backoff up
    to 100 ms: behind a queue of writers (two dozen clock-ins at 09:00 on a loaded host) a
    waiter can keep losing the lock to newcomers for longer than that. A BEGIN that failed
    has read and written nothing, so trying it again is the whole transaction tried again."""
    driver = conn.connection.driver_connection
    assert isinstance(driver, sqlite3.Connection)
    deadline = time.monotonic() + (WRITE_WAIT_MS - BUSY_TIMEOUT_MS) / 1000
    while time.monotonic() < deadline:
        try:
            driver.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                continue
            return False  # not a wait: the caller's BEGIN reports it
        return True
    return False


@contextmanager
def storage_errors(location: DatabaseLocation) -> Iterator[None]:
    """Map the driver's failures to the user's words (exit 5 and 6)."""
    try:
        yield
    except IntegrityError as exc:
        raise Conflict(_duplicate_message(exc.orig)) from exc
    except OperationalError as exc:
        detail = _first_line(exc.orig)
        if "locked" in detail or "busy" in detail:
            raise StorageError(
                f"the database {location.display()} is locked by another program; try again"
            ) from exc
        raise StorageError(f"cannot use the database {location.display()}: {detail}") from exc
    except DatabaseError as exc:
        if getattr(exc.orig, "sqlstate", None) == INSUFFICIENT_PRIVILEGE:  # PostgreSQL's own rules said no
            raise NotAllowed(f"the database refused it: {_first_line(exc.orig)}") from exc
        raise StorageError(
            f"{location.display()} is not a usable opsctl database: {_first_line(exc.orig)}"
        ) from exc


# A person's own login role meeting a row-level security policy, a guard or a missing grant
# (opsctl.services.server_rules): exit 4, as when opsctl itself refuses.
INSUFFICIENT_PRIVILEGE = "42501"


# Uniqueness that a rule implies, in the user's words: PostgreSQL names the constraint,
# SQLite the columns ("UNIQUE constraint failed: kpi_cycle.name").
_KPI_CYCLE_TWICE = "that KPI cycle exists already (opened meanwhile by somebody else?); see `opsctl kpi cycle list`"
_DUPLICATES = {
    "uq_kpi_cycle_name_everybody": _KPI_CYCLE_TWICE, "uq_kpi_cycle_name_team": _KPI_CYCLE_TWICE,
    "kpi_cycle.name": _KPI_CYCLE_TWICE, "kpi_cycle.name, kpi_cycle.team_id": _KPI_CYCLE_TWICE,
}


def _duplicate_message(error: object) -> str:
    detail = _first_line(error)
    constraint = getattr(getattr(error, "diag", None), "constraint_name", None)
    known = _DUPLICATES.get(constraint or detail.removeprefix("UNIQUE constraint failed: "))
    return known or f"that would duplicate or break a stored record ({detail})"


def _first_line(error: object) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


def _refuse_overlong_text(session: Session, _context: object, _instances: object) -> None:
    """A text longer than its column is refused alike on every backend (exit 1, with the limit).

    SQLite stores any length and PostgreSQL fails with a driver error; neither tells the
    user which value was too long or what the limit is.
    """
    for record in (*session.new, *session.dirty):
        for name, limit in _text_limits(type(record)):
            value = getattr(record, name, None)
            if isinstance(value, str) and len(value) > limit:
                what = f"{type(record).__tablename__} {name}".replace("_", " ")
                raise InvalidInput(f"the {what} is {len(value)} characters long; at most {limit} are allowed")


_TEXT_LIMITS: dict[type, tuple[tuple[str, int], ...]] = {}


def _text_limits(model: type) -> tuple[tuple[str, int], ...]:
    if model not in _TEXT_LIMITS:
        table = getattr(model, "__table__", None)
        # SQLModel's AutoString wraps a String: its length reads through to it.
        _TEXT_LIMITS[model] = tuple(
            (column.key, length)
            for column in (table.columns if table is not None else ())
            if isinstance(length := getattr(column.type, "length", None), int)
        )
    return _TEXT_LIMITS[model]


event.listen(Session, "before_flush", _refuse_overlong_text)


# PostgreSQL's counterpart of SQLite's BEGIN IMMEDIATE: a transaction-scoped advisory lock
# that every writing command takes first. Writers follow one another (as on SQLite; each holds
# it for milliseconds), readers never wait, and no two writers can wait on each other's row
# locks in a cycle: the audit log's hash chain, appended by most writers, would otherwise
# make one (a command that audits and then locks a task, beside one that locks it and audits).
WRITERS_LOCK = 0x6F707363746C + 1


def take_writers_lock(session: Session) -> None:
    """Wait for the other writers (PostgreSQL); on SQLite ``BEGIN IMMEDIATE`` has done it."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITERS_LOCK})


@contextmanager
def session_scope(engine: Engine, *, write: bool = True) -> Iterator[Session]:
    """One transaction: committed whole when the block ends, rolled back on any error. A
    writing one waits for the other writers first (``BEGIN IMMEDIATE``, `take_writers_lock`)."""
    bind = engine.execution_options(**{_IMMEDIATE: "IMMEDIATE" if write else "DEFERRED"})
    with Session(bind, expire_on_commit=False, autoflush=True) as session:
        try:
            if write:
                take_writers_lock(session)
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


# -- schema revision ---------------------------------------------------------------

def stored_revisions(conn: Connection) -> set[str]:
    if not conn.dialect.has_table(conn, "alembic_version"):
        return set()
    return {row[0] for row in conn.execute(text("SELECT version_num FROM alembic_version"))}


def ensure_schema(engine: Engine, location: DatabaseLocation, *, create: bool = False) -> str | None:
    """Bring the schema to this program's revision; returns a note when it migrated.

    The common case (already current) costs one query and never imports Alembic.
    """
    with storage_errors(location), engine.connect() as conn:
        stored = stored_revisions(conn)
        conn.rollback()
    if stored == heads():
        return None
    _refuse_newer(stored, location)
    if not stored and not create:
        raise StorageError(
            f"{location.display()} holds no opsctl data yet; create it with `opsctl init`"
        )
    with storage_errors(location):
        return _upgrade_alone(engine, location)


# A number of opsctl's own for pg_advisory_xact_lock ("opsctl" in ASCII).
MIGRATION_LOCK = 0x6F707363746C


def _upgrade_alone(engine: Engine, location: DatabaseLocation) -> str | None:
    """Upgrade in one transaction that holds the migration lock (PostgreSQL: an advisory lock;
    SQLite: the write lock), so that of many processes opening the database at once after an
    upgrade one migrates and the others wait, find the schema current and go on."""
    with engine.connect().execution_options(**{_IMMEDIATE: "IMMEDIATE"}) as conn, conn.begin():
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        stored = stored_revisions(conn)
        if stored == heads():
            return None  # another process upgraded it while this one waited
        _refuse_newer(stored, location)
        note = "upgraded the database schema" if stored else None
        if stored and location.path is not None:
            backup = _free_backup_name(location.path, stored)
            backup_sqlite(location.path, backup)
            note = f"{note}; the old one is saved as {backup}"
        _run_alembic(conn, "heads")
    return note


def _refuse_newer(stored: set[str], location: DatabaseLocation) -> None:
    unknown = stored - known_revisions()
    if unknown:
        raise StorageError(
            f"the database {location.display()} was written by a newer opsctl "
            f"(schema revision {', '.join(sorted(unknown))}); upgrade opsctl to use it"
        )


def _free_backup_name(database: Path, stored: set[str]) -> Path:
    """``NAME.bak-REV``, or ``NAME.bak-REV.2``, ``.3``… when an earlier upgrade left that name."""
    base = database.with_name(f"{database.name}.bak-{'+'.join(sorted(stored))}")
    candidate, number = base, 1
    while candidate.exists():
        number += 1
        candidate = base.with_name(f"{base.name}.{number}")
    return candidate


def upgrade(engine: Engine, target: str = "heads") -> None:
    with engine.begin() as conn:
        _run_alembic(conn, target)


def _run_alembic(conn: Connection, target: str) -> None:
    from alembic import command

    from opsctl.migrations import alembic_config

    command.upgrade(alembic_config(conn), target)


def backup_sqlite(source: Path, target: Path) -> None:
    """An online, consistent copy (SQLite's backup API), readable by its owner only, written
    whole: until it is complete it has a temporary name (`opsctl.atomic`)."""
    def copy(temp: Path) -> None:
        src = sqlite3.connect(source, timeout=BUSY_TIMEOUT_MS / 1000)
        dst = sqlite3.connect(temp)
        try:
            with dst:
                src.backup(dst)
        finally:
            src.close()
            dst.close()

    try:
        if target.is_dir():
            raise InvalidInput(f"{target} is a folder; give the backup a file name, e.g. "
                               f"{target / 'opsctl-backup.db'}")
        if target.exists():
            raise Conflict(f"{target} already exists; choose another file name")
        if not target.parent.is_dir():
            raise StorageError(f"the folder {target.parent} does not exist")
        written = atomic.write_whole(target, copy, replace=False)
    except sqlite3.Error as exc:
        raise StorageError(f"backup of {source} failed: {exc}") from exc
    except OSError as exc:  # a read-only folder, a name too long for the file system…
        raise StorageError(f"cannot create {target} ({exc.strerror or exc}); choose another file name") from exc
    if not written:
        raise Conflict(f"{target} already exists; choose another file name")
