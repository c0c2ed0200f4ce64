"""Overtime requests (`attend overtime`): overtime asked for and approved, before or after.

Revision ID: 0012
Revises: 0002
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from opsctl.models.base import UTCDateTime

revision = "0012"
down_revision = "0002"  # attendance
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "attendance_overtime",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("employee_id", sa.Integer(), sa.ForeignKey("employee.id"), nullable=False),
        sa.Column("work_date", sa.Date(), nullable=False),
        sa.Column("start", sa.Time(), nullable=False),
        sa.Column("end", sa.Time(), nullable=False),
        sa.Column("reason", sa.String(), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("late", sa.Boolean(), nullable=False),
        sa.Column("comp_days", sa.Float(), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), sa.ForeignKey("employee.id"), nullable=False),
        sa.Column("requested_at", UTCDateTime(), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), sa.ForeignKey("employee.id"), nullable=True),
        sa.Column("decided_at", UTCDateTime(), nullable=True),
        sa.Column("decision_note", sa.String(), nullable=True),
    )
    op.create_index("ix_attendance_overtime_employee_date", "attendance_overtime", ["employee_id", "work_date"])
    op.create_index("ix_attendance_overtime_work_date", "attendance_overtime", ["work_date"])


def downgrade() -> None:
    op.drop_table("attendance_overtime")
