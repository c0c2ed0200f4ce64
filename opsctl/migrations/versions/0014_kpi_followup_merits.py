"""What follows from a score: appraisal talks, improvement plans (their items are tasks),
rewards and penalties.

Revision ID: 0014
Revises: 0006, 0004
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from opsctl.models.base import UTCDateTime

revision = "0014"
down_revision = ("0006", "0004")  # KPI; a plan's items are tasks (projects' revision has the task table)
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "kpi_talk",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("employee_id", sa.Integer(), sa.ForeignKey("employee.id"), nullable=False),
        sa.Column("cycle", sa.String(10), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("reviewer_id", sa.Integer(), sa.ForeignKey("employee.id"), nullable=False),
        sa.Column("participants", sa.String(400), nullable=False),
        sa.Column("strengths", sa.String(2000), nullable=False),
        sa.Column("gaps", sa.String(2000), nullable=False),
        sa.Column("goals", sa.String(2000), nullable=False),
        sa.Column("own_comment", sa.String(2000), nullable=True),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        sa.Column("confirmed_at", UTCDateTime(), nullable=True),
        sa.Column("disagreement", sa.String(500), nullable=True),
        sa.UniqueConstraint("employee_id", "cycle", name="uq_kpi_talk"),
    )
    op.create_index("ix_kpi_talk_cycle", "kpi_talk", ["cycle"])
    op.create_table(
        "kpi_plan",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("employee_id", sa.Integer(), sa.ForeignKey("employee.id"), nullable=False),
        sa.Column("cycle", sa.String(10), nullable=False),
        sa.Column("grade", sa.String(8), nullable=True),
        sa.Column("goal", sa.String(500), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("status", sa.String(8), nullable=False),
        sa.Column("flagged", sa.Boolean(), nullable=False),
        sa.Column("extensions", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(12), nullable=True),
        sa.Column("outcome_note", sa.String(500), nullable=True),
        sa.Column("created_by_id", sa.Integer(), sa.ForeignKey("employee.id"), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("closed_by_id", sa.Integer(), sa.ForeignKey("employee.id"), nullable=True),
        sa.Column("closed_at", UTCDateTime(), nullable=True),
        sa.UniqueConstraint("employee_id", "cycle", name="uq_kpi_plan"),
    )
    op.create_index("ix_kpi_plan_cycle", "kpi_plan", ["cycle"])
    op.create_index("ix_kpi_plan_due", "kpi_plan", ["due"])
    op.create_table(
        "kpi_plan_item",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("plan_id", sa.Integer(), sa.ForeignKey("kpi_plan.id"), nullable=False),
        sa.Column("task_id", sa.Integer(), sa.ForeignKey("task.id"), nullable=False, unique=True),
    )
    op.create_index("ix_kpi_plan_item_plan_id", "kpi_plan_item", ["plan_id"])
    op.create_table(
        "merit",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("employee_id", sa.Integer(), sa.ForeignKey("employee.id"), nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("category", sa.String(60), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("amount_cents", sa.Integer(), nullable=True),
        sa.Column("reason", sa.String(500), nullable=False),
        sa.Column("cycle", sa.String(10), nullable=True),
        sa.Column("source", sa.String(12), nullable=False),
        sa.Column("suggestion", sa.String(80), nullable=True, unique=True),
        sa.Column("status", sa.String(8), nullable=False),
        sa.Column("levels", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), sa.ForeignKey("employee.id"), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("approved_by_id", sa.Integer(), sa.ForeignKey("employee.id"), nullable=True),
        sa.Column("approved_at", UTCDateTime(), nullable=True),
        sa.Column("second_approved_by_id", sa.Integer(), sa.ForeignKey("employee.id"), nullable=True),
        sa.Column("second_approved_at", UTCDateTime(), nullable=True),
        sa.Column("revoked_by_id", sa.Integer(), sa.ForeignKey("employee.id"), nullable=True),
        sa.Column("revoked_at", UTCDateTime(), nullable=True),
        sa.Column("revoke_reason", sa.String(500), nullable=True),
    )
    op.create_index("ix_merit_employee_id", "merit", ["employee_id"])
    op.create_index("ix_merit_status", "merit", ["status"])


def downgrade() -> None:
    op.drop_table("merit")
    op.drop_table("kpi_plan_item")
    op.drop_table("kpi_plan")
    op.drop_table("kpi_talk")
