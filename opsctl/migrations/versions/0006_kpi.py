"""KPI: templates and indicators (with the default template `standard`), cycles, scores,
and the members a closed cycle keeps.

Revision ID: 0006
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from opsctl.clock import SystemClock
from opsctl.models.base import UTCDateTime

revision = "0006"
down_revision = "0001"
branch_labels = None
depends_on = None

# The default template as DESIGN §7 gives it when this revision was written (a snapshot:
# later changes to the code's copy must not change what this revision did).
STANDARD = (
    ("results", "Work results", "performance", 25, "rated"),
    ("projects", "Projects delivered", "performance", 20, "rated"),
    ("customer", "Customer satisfaction", "performance", 15, "rated"),
    ("skills", "Professional skills", "ability", 10, "rated"),
    ("communication", "Communication", "ability", 8, "rated"),
    ("learning", "Learning", "ability", 6, "rated"),
    ("problem_solving", "Problem solving", "ability", 6, "rated"),
    ("responsibility", "Responsibility", "attitude", 3, "rated"),
    ("teamwork", "Teamwork", "attitude", 3, "rated"),
    ("initiative", "Initiative", "attitude", 2, "rated"),
    ("discipline", "Discipline (attendance)", "attitude", 2, "attendance"),
)
STANDARD_DESCRIPTION = "performance 60 %, ability 30 %, attitude 10 % (the regulations)"


def upgrade() -> None:
    template = op.create_table(
        "kpi_template",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(40), nullable=False, unique=True),
        sa.Column("description", sa.String(200), nullable=True),
        sa.Column("created_by_id", sa.Integer(), sa.ForeignKey("employee.id"), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    indicator = op.create_table(
        "kpi_indicator",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("template_id", sa.Integer(), sa.ForeignKey("kpi_template.id"), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(40), nullable=False),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("category", sa.String(16), nullable=False),
        sa.Column("weight", sa.Float(), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.UniqueConstraint("template_id", "key", name="uq_kpi_indicator_key"),
    )
    op.create_table(
        "kpi_cycle",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(10), nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("end", sa.Date(), nullable=False),
        sa.Column("template_id", sa.Integer(), sa.ForeignKey("kpi_template.id"), nullable=False),
        sa.Column("team_id", sa.Integer(), sa.ForeignKey("team.id"), nullable=True),
        sa.Column("status", sa.String(8), nullable=False),
        sa.Column("opened_by_id", sa.Integer(), sa.ForeignKey("employee.id"), nullable=False),
        sa.Column("opened_at", UTCDateTime(), nullable=False),
        sa.Column("closed_by_id", sa.Integer(), sa.ForeignKey("employee.id"), nullable=True),
        sa.Column("closed_at", UTCDateTime(), nullable=True),
        sa.UniqueConstraint("name", "team_id", name="uq_kpi_cycle_name_team"),
    )
    op.create_table(
        "kpi_score",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("cycle_id", sa.Integer(), sa.ForeignKey("kpi_cycle.id"), nullable=False),
        sa.Column("employee_id", sa.Integer(), sa.ForeignKey("employee.id"), nullable=False),
        sa.Column("indicator", sa.String(40), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("rater_id", sa.Integer(), sa.ForeignKey("employee.id"), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("comment", sa.String(500), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.UniqueConstraint("cycle_id", "employee_id", "indicator", "role", "rater_id", name="uq_kpi_score_rater"),
    )
    op.create_table(
        "kpi_member",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("cycle_id", sa.Integer(), sa.ForeignKey("kpi_cycle.id"), nullable=False),
        sa.Column("employee_id", sa.Integer(), sa.ForeignKey("employee.id"), nullable=False),
        sa.Column("computed", sa.String(), nullable=False),
        sa.UniqueConstraint("cycle_id", "employee_id", name="uq_kpi_member"),
    )
    op.create_index("ix_kpi_member_employee_id", "kpi_member", ["employee_id"])

    op.bulk_insert(template, [{"id": 1, "name": "standard", "description": STANDARD_DESCRIPTION,
                               "created_by_id": None, "created_at": SystemClock().now()}])
    op.bulk_insert(indicator, [
        {"template_id": 1, "position": position, "key": key, "name": name, "category": category,
         "weight": float(weight), "source": source}
        for position, (key, name, category, weight, source) in enumerate(STANDARD, start=1)
    ])
    if op.get_bind().dialect.name == "postgresql":  # the explicit id 1 must not collide later
        op.execute("SELECT setval(pg_get_serial_sequence('kpi_template', 'id'), 1)")


def downgrade() -> None:
    op.drop_table("kpi_member")
    op.drop_table("kpi_score")
    op.drop_table("kpi_cycle")
    op.drop_table("kpi_indicator")
    op.drop_table("kpi_template")
