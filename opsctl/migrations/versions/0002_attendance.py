"""Attendance: schedules and assignments, the holiday calendar, punches, corrections.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from opsctl.models.base import UTCDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "schedule",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(80), nullable=False, unique=True),
        sa.Column("start", sa.Time(), nullable=False),
        sa.Column("end", sa.Time(), nullable=False),
        sa.Column("break_start", sa.Time(), nullable=True),
        sa.Column("break_end", sa.Time(), nullable=True),
        sa.Column("late_grace", sa.Integer(), nullable=False),
        sa.Column("early_grace", sa.Integer(), nullable=False),
        sa.Column("days", sa.String(40), nullable=False),
        sa.Column("is_default", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_table(
        "schedule_assignment",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("employee_id", sa.Integer(), sa.ForeignKey("employee.id"), nullable=False),
        sa.Column("schedule_id", sa.Integer(), sa.ForeignKey("schedule.id"), nullable=False),
        sa.Column("since", sa.Date(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.UniqueConstraint("employee_id", "since", name="uq_schedule_assignment_employee_since"),
    )
    op.create_table(
        "calendar_day",
        sa.Column("day", sa.Date(), primary_key=True),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("name", sa.String(120), nullable=False),
    )
    op.create_table(
        "attendance_correction",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("employee_id", sa.Integer(), sa.ForeignKey("employee.id"), nullable=False),
        sa.Column("work_date", sa.Date(), nullable=False),
        sa.Column("in_time", sa.Time(), nullable=True),
        sa.Column("out_time", sa.Time(), nullable=True),
        sa.Column("reason", sa.String(), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("limit_override", sa.Boolean(), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), sa.ForeignKey("employee.id"), nullable=False),
        sa.Column("requested_at", UTCDateTime(), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), sa.ForeignKey("employee.id"), nullable=True),
        sa.Column("decided_at", UTCDateTime(), nullable=True),
        sa.Column("decision_note", sa.String(), nullable=True),
    )
    op.create_index(
        "ix_attendance_correction_employee_date", "attendance_correction", ["employee_id", "work_date"]
    )
    op.create_table(
        "punch",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("employee_id", sa.Integer(), sa.ForeignKey("employee.id"), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("work_date", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(8), nullable=True),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("note", sa.String(200), nullable=True),
        sa.Column("correction_id", sa.Integer(), sa.ForeignKey("attendance_correction.id"), nullable=True),
        sa.UniqueConstraint("employee_id", "at", name="uq_punch_employee_at"),
    )
    op.create_index("ix_punch_work_date", "punch", ["work_date"])
    op.create_index("ix_punch_employee_work_date", "punch", ["employee_id", "work_date"])


def downgrade() -> None:
    op.drop_table("punch")
    op.drop_table("attendance_correction")
    op.drop_table("calendar_day")
    op.drop_table("schedule_assignment")
    op.drop_table("schedule")
