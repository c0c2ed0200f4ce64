"""Tasks carry their work: a description, acceptance criteria, and comments.

Revision ID: 0013
Revises: 0004
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from opsctl.models.base import UTCDateTime

revision = "0013"
down_revision = "0004"  # the task table
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("task", sa.Column("description", sa.String(), nullable=True))
    op.add_column("task", sa.Column("criteria", sa.String(), nullable=True))
    op.create_table(
        "task_comment",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("task_id", sa.Integer(), sa.ForeignKey("task.id"), nullable=False),
        sa.Column("author_id", sa.Integer(), sa.ForeignKey("employee.id"), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("text", sa.String(), nullable=False),
    )
    op.create_index("ix_task_comment_task_id", "task_comment", ["task_id"])


def downgrade() -> None:
    op.drop_table("task_comment")
    with op.batch_alter_table("task") as batch:
        batch.drop_column("criteria")
        batch.drop_column("description")
