"""Work reports (日报/周报) and the tasks raised from their problems.

Revision ID: 0011
Revises: 0004
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from opsctl.models.base import UTCDateTime

revision = "0011"
down_revision = "0004"  # a problem raised in a report becomes a task
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "work_report",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("employee_id", sa.Integer(), sa.ForeignKey("employee.id"), nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("done", sa.String(), nullable=False),
        sa.Column("planned", sa.String(), nullable=False),
        sa.Column("problems", sa.String(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("submitted_at", UTCDateTime(), nullable=True),
        sa.Column("deadline", UTCDateTime(), nullable=True),
        sa.Column("late", sa.Boolean(), nullable=False),
        sa.Column("reviewed_by_id", sa.Integer(), sa.ForeignKey("employee.id"), nullable=True),
        sa.Column("reviewed_at", UTCDateTime(), nullable=True),
        sa.Column("review_comment", sa.String(), nullable=True),
        sa.UniqueConstraint("employee_id", "kind", "period_start", name="uq_work_report_period"),
    )
    op.create_index("ix_work_report_period_start", "work_report", ["period_start"])
    op.create_table(
        "work_report_task",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("report_id", sa.Integer(), sa.ForeignKey("work_report.id"), nullable=False),
        sa.Column("item", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), sa.ForeignKey("task.id"), nullable=False, unique=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), sa.ForeignKey("employee.id"), nullable=False),
        sa.UniqueConstraint("report_id", "item", name="uq_work_report_task_item"),
    )


def downgrade() -> None:
    op.drop_table("work_report_task")
    op.drop_table("work_report")
