"""Training: plans, sessions, enrollments, results and retakes, certificates, development notes.

Revision ID: 0007
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from opsctl.models.base import UTCDateTime

revision = "0007"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "training_plan",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("category", sa.String(16), nullable=False),
        sa.Column("method", sa.String(16), nullable=False),
        sa.Column("quarter", sa.Integer(), nullable=True),
        sa.Column("trainer", sa.String(120), nullable=True),
        sa.Column("hours", sa.Float(), nullable=True),
        sa.Column("audience", sa.String(100), nullable=False),
        sa.Column("created_by_id", sa.Integer(), sa.ForeignKey("employee.id"), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.UniqueConstraint("year", "title", name="uq_training_plan_year_title"),
    )
    op.create_index("ix_training_plan_year", "training_plan", ["year"])
    op.create_table(
        "training_session",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("plan_id", sa.Integer(), sa.ForeignKey("training_plan.id"), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("hours", sa.Float(), nullable=False),
        sa.Column("location", sa.String(200), nullable=True),
        sa.Column("trainer", sa.String(120), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_training_session_plan_id", "training_session", ["plan_id"])
    op.create_index("ix_training_session_day", "training_session", ["day"])
    op.create_table(
        "training_enrollment",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("session_id", sa.Integer(), sa.ForeignKey("training_session.id"), nullable=False),
        sa.Column("employee_id", sa.Integer(), sa.ForeignKey("employee.id"), nullable=False),
        sa.Column("attended", sa.Boolean(), nullable=True),
        sa.Column("enrolled_at", UTCDateTime(), nullable=False),
        sa.UniqueConstraint("session_id", "employee_id", name="uq_training_enrollment_person"),
    )
    op.create_index("ix_training_enrollment_session_id", "training_enrollment", ["session_id"])
    op.create_index("ix_training_enrollment_employee_id", "training_enrollment", ["employee_id"])
    op.create_table(
        "training_result",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("session_id", sa.Integer(), sa.ForeignKey("training_session.id"), nullable=False),
        sa.Column("employee_id", sa.Integer(), sa.ForeignKey("employee.id"), nullable=False),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("retake_of_id", sa.Integer(), sa.ForeignKey("training_result.id"), nullable=True),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("pass_mark", sa.Float(), nullable=True),
        sa.Column("passed", sa.Boolean(), nullable=True),
        sa.Column("method", sa.String(16), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), sa.ForeignKey("employee.id"), nullable=True),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        sa.UniqueConstraint("session_id", "employee_id", "attempt", name="uq_training_result_attempt"),
    )
    op.create_index("ix_training_result_session_id", "training_result", ["session_id"])
    op.create_index("ix_training_result_employee_id", "training_result", ["employee_id"])
    op.create_table(
        "training_certificate",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("employee_id", sa.Integer(), sa.ForeignKey("employee.id"), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("issued", sa.Date(), nullable=False),
        sa.Column("expires", sa.Date(), nullable=True),
        sa.Column("added_by_id", sa.Integer(), sa.ForeignKey("employee.id"), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.UniqueConstraint("employee_id", "name", "issued", name="uq_training_certificate_issue"),
    )
    op.create_index("ix_training_certificate_employee_id", "training_certificate", ["employee_id"])
    op.create_index("ix_training_certificate_expires", "training_certificate", ["expires"])
    op.create_table(
        "development_note",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("employee_id", sa.Integer(), sa.ForeignKey("employee.id"), nullable=False),
        sa.Column("author_id", sa.Integer(), sa.ForeignKey("employee.id"), nullable=True),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("text", sa.String(2000), nullable=False),
    )
    op.create_index("ix_development_note_employee_id", "development_note", ["employee_id"])


def downgrade() -> None:
    op.drop_table("development_note")
    op.drop_table("training_certificate")
    op.drop_table("training_result")
    op.drop_table("training_enrollment")
    op.drop_table("training_session")
    op.drop_table("training_plan")
