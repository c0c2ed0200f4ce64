"""The audit log's hash chain and its guards, and what `opsctl db check` says about them.

Each entry carries the hash of the entry before it (``prev_hash``; the first one carries
`GENESIS`) and its own hash (``entry_hash``): sha256 over a canonical JSON list of the
previous hash and the entry's fields. Changing, removing or reordering a stored entry breaks
the chain at that entry. Entries are appended under the writers' lock (a writing command
takes it when it begins: ``BEGIN IMMEDIATE`` on SQLite, an advisory lock on PostgreSQL, see
`opsctl.db.take_writers_lock`), so two processes never append after the same entry, and a
command never waits for it while holding a row lock another writer wants.
The guards are triggers that refuse UPDATE and DELETE (and, on
PostgreSQL, TRUNCATE); a database owner can still drop them, so `db check` says when one is
missing or disabled. What the chain cannot show is the newest entries cut off at the end
(an emptied log, in a database that has people, it does show).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from hashlib import sha256

from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlmodel import Session, col, select

from opsctl.db import take_writers_lock
from opsctl.models.people import AuditEntry, Employee

GENESIS = "0" * 64
SQLITE_GUARDS = ("audit_entry_no_update", "audit_entry_no_delete")
POSTGRES_GUARDS = ("audit_entry_append_only", "audit_entry_no_truncate")


def entry_hash(prev_hash: str, at: datetime, actor_id: int | None, subject_id: int | None, action: str,
               entity: str, entity_id: str, details: str) -> str:
    """The hash of one entry (the stored ``details`` text as it is, the instant in UTC to the microsecond)."""
    fields = [prev_hash, at.astimezone(UTC).isoformat(timespec="microseconds"), actor_id, subject_id, action,
              entity, entity_id, details]
    return sha256(json.dumps(fields, ensure_ascii=False, separators=(",", ":")).encode()).hexdigest()


def seal(session: Session, entry: AuditEntry) -> None:
    """Chain ``entry`` (not yet added to the session) to the newest stored entry, under the chain's lock."""
    take_writers_lock(session)  # the command's own transaction holds it already; a test's may not
    if session.get_bind().dialect.name == "postgresql":  # row-level security hides others' entries from a
        head = session.execute(text("SELECT opsctl_audit_head()")).scalar()  # person's role: the server reads it
    else:
        head = session.exec(select(AuditEntry.entry_hash).order_by(col(AuditEntry.id).desc()).limit(1)).first()
    entry.prev_hash = head or GENESIS
    entry.entry_hash = _hash_of(entry, entry.prev_hash)


def _hash_of(entry: AuditEntry, prev_hash: str) -> str:
    return entry_hash(prev_hash, entry.at, entry.actor_id, entry.subject_id, entry.action, entry.entity,
                      entry.entity_id, entry.details)


def chain_break(session: Session) -> str | None:
    """Where the chain breaks first, and how (None: unbroken)."""
    expected, before = GENESIS, "the start of the log"
    for entry in session.exec(select(AuditEntry).order_by(col(AuditEntry.id))):
        if entry.entry_hash is None or entry.prev_hash is None:
            return f"audit entry {entry.id} has no hash (written around the program, not by it)"
        if entry.prev_hash != expected:
            return (f"audit entry {entry.id} does not follow {before}: an entry before it was removed, "
                    "changed or put in between")
        if _hash_of(entry, entry.prev_hash) != entry.entry_hash:
            return f"audit entry {entry.id} was changed after it was written (its fields do not match its hash)"
        expected, before = entry.entry_hash, f"audit entry {entry.id}"
    if expected == GENESIS and session.exec(select(Employee.id).limit(1)).first() is not None:
        return "the audit log is empty although people are stored (adding each one was logged): it was emptied"
    return None


def missing_guards(conn: Connection) -> list[str]:
    """The triggers that keep the log append-only which are not there (or switched off)."""
    if conn.dialect.name == "sqlite":
        found = {name.lower(): sql for name, sql in conn.execute(text(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_entry'"))}
        return [f"the trigger {name} that keeps the audit log append-only is missing" for name in SQLITE_GUARDS
                if "RAISE(ABORT" not in (found.get(name) or "")]
    if conn.dialect.name != "postgresql":
        return []
    state: dict[str, str] = dict(conn.execute(text(
        "SELECT tgname, tgenabled FROM pg_trigger WHERE tgrelid = 'audit_entry'::regclass AND NOT tgisinternal"
    )).all())
    return [f"the trigger {name} that keeps the audit log append-only is "
            f"{'missing' if name not in state else 'disabled'}"
            for name in POSTGRES_GUARDS if state.get(name, "D") == "D"]
