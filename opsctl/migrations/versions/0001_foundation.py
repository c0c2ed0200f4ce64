"""Foundation: teams, employees, settings and the append-only audit log.

Revision ID: 0001
Revises:
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from opsctl.models.base import UTCDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_SQLITE_APPEND_ONLY = """
CREATE TRIGGER audit_entry_no_{verb} BEFORE {verb} ON audit_entry
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END
"""
_PG_APPEND_ONLY = """
CREATE OR REPLACE FUNCTION audit_entry_append_only() RETURNS trigger AS $$
BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$ LANGUAGE plpgsql;
CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON audit_entry
FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only();
"""


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    team_lead_fk = (
        [sa.ForeignKeyConstraint(["lead_id"], ["employee.id"], name="fk_team_lead_id_employee")]
        if sqlite  # SQLite accepts a key to a table made later; others get it below
        else []
    )
    op.create_table(
        "team",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(80), nullable=False, unique=True),
        sa.Column("lead_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        *team_lead_fk,
    )
    op.create_table(
        "employee",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("login", sa.String(64), nullable=False, unique=True),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("email", sa.String(200), nullable=True),
        sa.Column("team_id", sa.Integer(), sa.ForeignKey("team.id"), nullable=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("manager_id", sa.Integer(), sa.ForeignKey("employee.id"), nullable=True),
        sa.Column("badge", sa.String(64), nullable=True, unique=True),
        sa.Column("hired", sa.Date(), nullable=True),
        sa.Column("left", sa.Date(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_employee_team_id", "employee", ["team_id"])
    op.create_index("ix_employee_manager_id", "employee", ["manager_id"])
    if not sqlite:
        op.create_foreign_key("fk_team_lead_id_employee", "team", "employee", ["lead_id"], ["id"])
    op.create_table(
        "setting",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.String(), nullable=False),
    )
    op.create_table(
        "audit_entry",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("actor_id", sa.Integer(), sa.ForeignKey("employee.id"), nullable=True),
        sa.Column("subject_id", sa.Integer(), sa.ForeignKey("employee.id"), nullable=True),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("entity", sa.String(64), nullable=False),
        sa.Column("entity_id", sa.String(64), nullable=False),
        sa.Column("details", sa.String(), nullable=False),
    )
    op.create_index("ix_audit_entry_at", "audit_entry", ["at"])
    op.create_index("ix_audit_entry_subject_id", "audit_entry", ["subject_id"])
    if sqlite:
        for verb in ("UPDATE", "DELETE"):
            op.execute(_SQLITE_APPEND_ONLY.format(verb=verb))
    else:
        op.execute(_PG_APPEND_ONLY)


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        op.execute("DROP TRIGGER IF EXISTS audit_entry_append_only ON audit_entry")
        op.execute("DROP FUNCTION IF EXISTS audit_entry_append_only()")
        op.drop_constraint("fk_team_lead_id_employee", "team", type_="foreignkey")
    op.drop_table("audit_entry")
    op.drop_table("setting")
    op.drop_table("employee")
    op.drop_table("team")
