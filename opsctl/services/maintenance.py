"""Looking after the database: information, integrity, backups."""

from __future__ import annotations

from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any

from sqlalchemy import inspect, text
from sqlmodel import Session

from opsctl.db import backup_sqlite, stored_revisions
from opsctl.errors import InvalidInput
from opsctl.migrations import heads
from opsctl.services.audit_chain import chain_break, missing_guards
from opsctl.settings import DatabaseLocation


def database_info(session: Session, location: DatabaseLocation) -> dict[str, Any]:
    conn = session.connection()
    tables = sorted(t for t in inspect(conn).get_table_names() if t != "alembic_version")
    counts = {t: conn.execute(text(f'SELECT count(*) FROM "{t}"')).scalar_one() for t in tables}
    data: dict[str, Any] = {
        "backend": conn.dialect.name,
        "location": location.display(),
        "revision": ", ".join(sorted(stored_revisions(conn))),
        "size_bytes": location.path.stat().st_size if location.path and location.path.exists() else None,
    }
    if conn.dialect.name == "sqlite":
        data["journal_mode"] = conn.exec_driver_sql("PRAGMA journal_mode").scalar_one()
    data["rows"] = counts
    return data


def check_database(session: Session) -> dict[str, Any]:
    """SQLite's integrity and foreign keys, the schema revision, the audit log's guards and hash chain."""
    conn = session.connection()
    problems: list[str] = []
    if conn.dialect.name == "sqlite":
        result = conn.exec_driver_sql("PRAGMA integrity_check").scalars().all()
        if result != ["ok"]:
            problems.extend(result)
        for row in conn.exec_driver_sql("PRAGMA foreign_key_check"):
            problems.append(f"row {row[1]} of {row[0]} points to a missing {row[2]}")
    stored = stored_revisions(conn)
    if stored != heads():
        problems.append(f"schema revision {sorted(stored)} is not {sorted(heads())}")
    else:  # an older schema has no chain yet: opening it with opsctl upgrades it
        problems.extend(missing_guards(conn))
        broken = chain_break(session)
        if broken:
            problems.append(broken)
    return {"ok": not problems, "revision": ", ".join(sorted(stored)), "problems": problems}


def backup_database(location: DatabaseLocation, target: Path | None, *, now: datetime, tz: tzinfo) -> Path:
    """Without ``target``: ``opsctl.db.backup-20260318-093000`` beside the database, named in the
    team's time (``tz``), as every time opsctl shows."""
    if location.path is None:
        raise InvalidInput(
            "online backup is for SQLite files; back up a PostgreSQL database with pg_dump"
        )
    if target is None:
        target = location.path.with_name(f"{location.path.name}.backup-{now.astimezone(tz):%Y%m%d-%H%M%S}")
    backup_sqlite(location.path, target.expanduser().absolute())
    return target
