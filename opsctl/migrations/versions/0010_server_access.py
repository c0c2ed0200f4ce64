"""Identity and access held by PostgreSQL (issue 15): each person's login role (`db_login`),
what a person's own role wrote in the guarded tables (`db_change`), and the audit log's
server-filled role and person (`audit_entry.db_role`, `by_id`). On PostgreSQL also the row-level
security policies and guards of `opsctl.services.server_rules`, made here and again after every
later upgrade. Nothing changes on SQLite but the new columns and tables.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from opsctl.models.base import UTCDateTime
from opsctl.services.server_rules import GUARDED, STAFFED, sync_server_rules

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

_FUNCTIONS = (
    "opsctl_owner_connected()", "opsctl_me()", "opsctl_my_login()", "opsctl_has_role(text[])",
    "opsctl_chain(integer)", "opsctl_may_act_for(integer)", "opsctl_may_approve(integer)",
    "opsctl_seen_ids(text[], boolean, boolean, boolean)", "opsctl_may_score(integer, integer, text)",
    "opsctl_ledger_return(integer, integer, integer, double precision, text)", "opsctl_refuse(text)",
    "opsctl_guard_decision()", "opsctl_guard_employee()", "opsctl_stamp_audit()", "opsctl_note_change()",
    "opsctl_audit_head()", "opsctl_whoami()", "opsctl_require_admin()",
    "opsctl_grant_login(integer, text, text, text, integer, timestamptz)",
    "opsctl_revoke_login(integer, text, timestamptz)",
)


def upgrade() -> None:
    # added in place (SQLite too: a batch copy of the table would lose its append-only triggers)
    op.add_column("audit_entry", sa.Column("db_role", sa.String(63), nullable=True))
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE audit_entry ADD COLUMN by_id INTEGER REFERENCES employee (id)")
    else:
        op.add_column("audit_entry", sa.Column("by_id", sa.Integer(), sa.ForeignKey("employee.id"), nullable=True))
    op.create_table(
        "db_login",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("employee_id", sa.Integer(), sa.ForeignKey("employee.id"), nullable=False, unique=True),
        sa.Column("db_role", sa.String(63), nullable=False, unique=True),
        sa.Column("granted_at", UTCDateTime(), nullable=False),
        sa.Column("granted_by_id", sa.Integer(), sa.ForeignKey("employee.id"), nullable=True),
        sa.Column("revoked_at", UTCDateTime(), nullable=True),
        sa.Column("last_seen", UTCDateTime(), nullable=True),
    )
    op.create_table(
        "db_change",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("db_role", sa.String(63), nullable=False),
        sa.Column("by_id", sa.Integer(), sa.ForeignKey("employee.id"), nullable=True),
        sa.Column("table_name", sa.String(63), nullable=False),
        sa.Column("row_id", sa.Integer(), nullable=True),
        sa.Column("op", sa.String(8), nullable=False),
        sa.Column("subject_id", sa.Integer(), sa.ForeignKey("employee.id"), nullable=True),
    )
    op.create_index("ix_db_change_at", "db_change", ["at"])
    sync_server_rules(op.get_bind())


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "postgresql":
        present = set(conn.execute(sa.text(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")).scalars())
        for table in {*(rule.table for rule in GUARDED), *STAFFED, "audit_entry", "db_login", "db_change"} & present:
            for trigger in ("opsctl_decisions", "opsctl_changes", "opsctl_employee", "opsctl_stamp"):
                op.execute(f"DROP TRIGGER IF EXISTS {trigger} ON {table}")
            for policy in ("opsctl_read", "opsctl_insert", "opsctl_update", "opsctl_delete"):
                op.execute(f"DROP POLICY IF EXISTS {policy} ON {table}")
            op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
        for function in _FUNCTIONS:
            op.execute(f"DROP FUNCTION IF EXISTS {function}")
    op.drop_index("ix_db_change_at", "db_change")
    op.drop_table("db_change")
    op.drop_table("db_login")
    if conn.dialect.name == "postgresql":
        op.drop_column("audit_entry", "by_id")
        op.drop_column("audit_entry", "db_role")
    else:  # SQLite drops a column with a foreign key only by copying the table: the guards go with it
        op.execute("DROP TRIGGER IF EXISTS audit_entry_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_entry_no_delete")
        with op.batch_alter_table("audit_entry") as batch:
            batch.drop_column("by_id")
            batch.drop_column("db_role")
        for verb in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER audit_entry_no_{verb} BEFORE {verb} ON audit_entry "
                       "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END")
