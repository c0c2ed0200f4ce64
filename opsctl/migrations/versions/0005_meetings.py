"""Meetings: one-off and recurring, occurrences, attendance, minutes, decisions, action items.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from opsctl.models.base import UTCDateTime

revision = "0005"
down_revision = "0004"  # an action item is a task; a meeting may belong to a project
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "meeting",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("organizer_id", sa.Integer(), sa.ForeignKey("employee.id"), nullable=False),
        sa.Column("project_id", sa.Integer(), sa.ForeignKey("project.id"), nullable=True),
        sa.Column("starts_at", UTCDateTime(), nullable=False),
        sa.Column("duration_min", sa.Integer(), nullable=False),
        sa.Column("location", sa.String(200), nullable=True),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("rule", sa.String(500), nullable=True),
        sa.Column("last_start", UTCDateTime(), nullable=True),
        sa.Column("agenda", sa.String(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_meeting_organizer_id", "meeting", ["organizer_id"])
    op.create_index("ix_meeting_project_id", "meeting", ["project_id"])
    op.create_index("ix_meeting_starts_at", "meeting", ["starts_at"])
    op.create_table(
        "meeting_participant",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("meeting_id", sa.Integer(), sa.ForeignKey("meeting.id"), nullable=False),
        sa.Column("employee_id", sa.Integer(), sa.ForeignKey("employee.id"), nullable=False),
        sa.UniqueConstraint("meeting_id", "employee_id", name="uq_meeting_participant"),
    )
    op.create_index("ix_meeting_participant_employee_id", "meeting_participant", ["employee_id"])
    op.create_table(
        "meeting_occurrence",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("meeting_id", sa.Integer(), sa.ForeignKey("meeting.id"), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("original_start", UTCDateTime(), nullable=False),
        sa.Column("starts_at", UTCDateTime(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("cancel_reason", sa.String(200), nullable=True),
        sa.Column("minutes", sa.String(), nullable=True),
        sa.Column("minutes_by_id", sa.Integer(), sa.ForeignKey("employee.id"), nullable=True),
        sa.Column("minutes_at", UTCDateTime(), nullable=True),
        sa.UniqueConstraint("meeting_id", "seq", name="uq_meeting_occurrence"),
    )
    op.create_index("ix_meeting_occurrence_starts_at", "meeting_occurrence", ["starts_at"])
    op.create_table(
        "meeting_attendance",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("occurrence_id", sa.Integer(), sa.ForeignKey("meeting_occurrence.id"), nullable=False),
        sa.Column("employee_id", sa.Integer(), sa.ForeignKey("employee.id"), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), sa.ForeignKey("employee.id"), nullable=False),
        sa.UniqueConstraint("occurrence_id", "employee_id", name="uq_meeting_attendance"),
    )
    op.create_index("ix_meeting_attendance_employee_id", "meeting_attendance", ["employee_id"])
    op.create_table(
        "meeting_decision",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("occurrence_id", sa.Integer(), sa.ForeignKey("meeting_occurrence.id"), nullable=False),
        sa.Column("text", sa.String(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), sa.ForeignKey("employee.id"), nullable=False),
    )
    op.create_index("ix_meeting_decision_occurrence_id", "meeting_decision", ["occurrence_id"])
    op.create_table(
        "meeting_action",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("occurrence_id", sa.Integer(), sa.ForeignKey("meeting_occurrence.id"), nullable=False),
        sa.Column("task_id", sa.Integer(), sa.ForeignKey("task.id"), nullable=False, unique=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), sa.ForeignKey("employee.id"), nullable=False),
    )
    op.create_index("ix_meeting_action_occurrence_id", "meeting_action", ["occurrence_id"])


def downgrade() -> None:
    op.drop_table("meeting_action")
    op.drop_table("meeting_decision")
    op.drop_table("meeting_attendance")
    op.drop_table("meeting_occurrence")
    op.drop_table("meeting_participant")
    op.drop_table("meeting")
