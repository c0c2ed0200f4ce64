"""Leave: types (with the default ones), requests and the ledger behind balances.

Revision ID: 0003
Revises: 0001
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from opsctl.clock import SystemClock
from opsctl.models.base import UTCDateTime

revision = "0003"
down_revision = "0001"
branch_labels = None
depends_on = None

# The default types as DESIGN §4 gives them when this revision was written (a snapshot: later
# changes to the code's copy must not change what this revision did).
# code, name, paid, quota, min_notice, allow_retro, levels, include_holidays
DEFAULT_TYPES = (
    ("annual", "Annual leave / 年假", True, 5.0, 3, False, 1, False),
    ("sick", "Sick leave / 病假", True, None, 0, True, 1, False),
    ("personal", "Personal leave / 事假", False, None, 1, False, 1, False),
    ("marriage", "Marriage leave / 婚假", True, None, 7, False, 2, False),
    ("maternity", "Maternity leave / 产假", True, None, 0, True, 2, True),
    ("bereavement", "Bereavement leave / 丧假", True, None, 0, True, 1, False),
    ("comp", "Compensatory leave for overtime / 调休", True, 0.0, 1, False, 1, False),
)


def upgrade() -> None:
    leave_type = op.create_table(
        "leave_type",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("code", sa.String(24), nullable=False, unique=True),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("paid", sa.Boolean(), nullable=False),
        sa.Column("quota", sa.Float(), nullable=True),
        sa.Column("min_notice", sa.Integer(), nullable=False),
        sa.Column("allow_retro", sa.Boolean(), nullable=False),
        sa.Column("levels", sa.Integer(), nullable=False),
        sa.Column("include_holidays", sa.Boolean(), nullable=False),
        sa.Column("carry_over", sa.Float(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_table(
        "leave_request",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("employee_id", sa.Integer(), sa.ForeignKey("employee.id"), nullable=False),
        sa.Column("type_id", sa.Integer(), sa.ForeignKey("leave_type.id"), nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("start_half", sa.String(2), nullable=False),
        sa.Column("end", sa.Date(), nullable=False),
        sa.Column("end_half", sa.String(2), nullable=False),
        sa.Column("days", sa.Float(), nullable=False),
        sa.Column("reason", sa.String(500), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("levels", sa.Integer(), nullable=False),
        sa.Column("approved_level", sa.Integer(), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), sa.ForeignKey("employee.id"), nullable=False),
        sa.Column("requested_at", UTCDateTime(), nullable=False),
        sa.Column("approved_by_id", sa.Integer(), sa.ForeignKey("employee.id"), nullable=True),
        sa.Column("approved_at", UTCDateTime(), nullable=True),
        sa.Column("hr_approved_by_id", sa.Integer(), sa.ForeignKey("employee.id"), nullable=True),
        sa.Column("hr_approved_at", UTCDateTime(), nullable=True),
        sa.Column("comment", sa.String(500), nullable=True),
        sa.Column("closed_by_id", sa.Integer(), sa.ForeignKey("employee.id"), nullable=True),
        sa.Column("closed_at", UTCDateTime(), nullable=True),
        sa.Column("close_note", sa.String(500), nullable=True),
    )
    op.create_index("ix_leave_request_employee_start", "leave_request", ["employee_id", "start"])
    op.create_index("ix_leave_request_status", "leave_request", ["status"])
    op.create_table(
        "leave_ledger",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("employee_id", sa.Integer(), sa.ForeignKey("employee.id"), nullable=False),
        sa.Column("type_id", sa.Integer(), sa.ForeignKey("leave_type.id"), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("days", sa.Float(), nullable=False),
        sa.Column("kind", sa.String(12), nullable=False),
        sa.Column("request_id", sa.Integer(), sa.ForeignKey("leave_request.id"), nullable=True),
        sa.Column("note", sa.String(500), nullable=True),
        sa.Column("created_by_id", sa.Integer(), sa.ForeignKey("employee.id"), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_leave_ledger_employee_type_year", "leave_ledger", ["employee_id", "type_id", "year"])

    now = SystemClock().now()
    op.bulk_insert(leave_type, [
        {"code": code, "name": name, "paid": paid, "quota": quota, "min_notice": notice, "allow_retro": retro,
         "levels": levels, "include_holidays": holidays, "carry_over": 0.0, "created_at": now}
        for code, name, paid, quota, notice, retro, levels, holidays in DEFAULT_TYPES
    ])


def downgrade() -> None:
    op.drop_table("leave_ledger")
    op.drop_table("leave_request")
    op.drop_table("leave_type")
