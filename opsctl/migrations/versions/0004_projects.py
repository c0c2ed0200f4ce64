"""Projects, their members and status history, and tasks.

Revision ID: 0004
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from opsctl.models.base import UTCDateTime

revision = "0004"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "project",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("code", sa.String(32), nullable=False, unique=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("goal", sa.String(), nullable=True),
        sa.Column("owner_id", sa.Integer(), sa.ForeignKey("employee.id"), nullable=False),
        sa.Column("team_id", sa.Integer(), sa.ForeignKey("team.id"), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("start", sa.Date(), nullable=True),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("budget", sa.Float(), nullable=True),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("rework_notes", sa.String(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), sa.ForeignKey("employee.id"), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_project_owner_id", "project", ["owner_id"])
    op.create_table(
        "project_member",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("project_id", sa.Integer(), sa.ForeignKey("project.id"), nullable=False),
        sa.Column("employee_id", sa.Integer(), sa.ForeignKey("employee.id"), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("added_at", UTCDateTime(), nullable=False),
        sa.UniqueConstraint("project_id", "employee_id", name="uq_project_member"),
    )
    op.create_index("ix_project_member_employee_id", "project_member", ["employee_id"])
    op.create_table(
        "project_event",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("project_id", sa.Integer(), sa.ForeignKey("project.id"), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("actor_id", sa.Integer(), sa.ForeignKey("employee.id"), nullable=False),
        sa.Column("step", sa.String(16), nullable=False),
        sa.Column("from_status", sa.String(16), nullable=True),
        sa.Column("to_status", sa.String(16), nullable=False),
        sa.Column("text", sa.String(), nullable=True),
        sa.Column("round", sa.Integer(), nullable=False),
    )
    op.create_index("ix_project_event_project_id", "project_event", ["project_id"])
    op.create_table(
        "task",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("project_id", sa.Integer(), sa.ForeignKey("project.id"), nullable=True),
        sa.Column("assignee_id", sa.Integer(), sa.ForeignKey("employee.id"), nullable=True),
        sa.Column("created_by_id", sa.Integer(), sa.ForeignKey("employee.id"), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("priority", sa.String(8), nullable=False),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("estimate_hours", sa.Float(), nullable=True),
        sa.Column("tags", sa.String(200), nullable=False),
        sa.Column("blocked_reason", sa.String(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("started_at", UTCDateTime(), nullable=True),
        sa.Column("done_at", UTCDateTime(), nullable=True),
    )
    op.create_index("ix_task_assignee_status", "task", ["assignee_id", "status"])
    op.create_index("ix_task_due", "task", ["due"])
    op.create_index("ix_task_project_id", "task", ["project_id"])


def downgrade() -> None:
    op.drop_table("task")
    op.drop_table("project_event")
    op.drop_table("project_member")
    op.drop_table("project")
