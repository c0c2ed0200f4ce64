"""The audit log: a hash chain (each entry carries the previous entry's hash and its own),
back-filled for the entries stored; on PostgreSQL also a guard against TRUNCATE (a
statement-level trigger) and no UPDATE, DELETE or TRUNCATE privilege for PUBLIC.

Revision ID: 0009
Revises: 0001
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from opsctl.models.base import UTCDateTime
from opsctl.services.audit_chain import GENESIS, entry_hash

revision = "0009"
down_revision = "0001"
branch_labels = None
depends_on = None

# 0001's guard against UPDATE on SQLite, dropped while the chain is back-filled and made again
_SQLITE_NO_UPDATE = """
CREATE TRIGGER audit_entry_no_UPDATE BEFORE UPDATE ON audit_entry
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END
"""
_PG_NO_TRUNCATE = """
CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON audit_entry
FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_append_only();
REVOKE UPDATE, DELETE, TRUNCATE ON audit_entry FROM PUBLIC;
"""
_ENTRIES = sa.table(
    "audit_entry", sa.column("id", sa.Integer()), sa.column("at", UTCDateTime()),
    sa.column("actor_id", sa.Integer()), sa.column("subject_id", sa.Integer()), sa.column("action", sa.String()),
    sa.column("entity", sa.String()), sa.column("entity_id", sa.String()), sa.column("details", sa.String()),
    sa.column("prev_hash", sa.String()), sa.column("entry_hash", sa.String()),
)


def _back_fill(conn: sa.engine.Connection) -> None:
    prev = GENESIS
    rows = conn.execute(sa.select(
        _ENTRIES.c.id, _ENTRIES.c.at, _ENTRIES.c.actor_id, _ENTRIES.c.subject_id, _ENTRIES.c.action,
        _ENTRIES.c.entity, _ENTRIES.c.entity_id, _ENTRIES.c.details,
    ).order_by(_ENTRIES.c.id)).all()
    for entry_id, *fields in rows:
        own = entry_hash(prev, *fields)
        conn.execute(_ENTRIES.update().where(_ENTRIES.c.id == entry_id).values(prev_hash=prev, entry_hash=own))
        prev = own


def upgrade() -> None:
    conn = op.get_bind()
    sqlite = conn.dialect.name == "sqlite"
    op.add_column("audit_entry", sa.Column("prev_hash", sa.String(64), nullable=True))
    op.add_column("audit_entry", sa.Column("entry_hash", sa.String(64), nullable=True))
    if sqlite:
        op.execute("DROP TRIGGER IF EXISTS audit_entry_no_update")
        _back_fill(conn)
        op.execute(_SQLITE_NO_UPDATE)
    else:
        op.execute("ALTER TABLE audit_entry DISABLE TRIGGER audit_entry_append_only")
        _back_fill(conn)
        op.execute("ALTER TABLE audit_entry ENABLE TRIGGER audit_entry_append_only")
        op.execute(_PG_NO_TRUNCATE)


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        op.execute("DROP TRIGGER IF EXISTS audit_entry_no_truncate ON audit_entry")
    op.drop_column("audit_entry", "entry_hash")
    op.drop_column("audit_entry", "prev_hash")
