"""Projects as the regulations run them: plan versions, milestones (tasks may belong to one),
risks, costs, documents (content stored once, in chunks) and the lessons-learned review.

Revision ID: 0015
Revises: 0005
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from opsctl.models.base import UTCDateTime

revision = "0015"
down_revision = "0005"  # task and project (0004), and the projects/meetings branch's head
branch_labels = None
depends_on = None


def _employee(name: str, *, nullable: bool = False) -> sa.Column[int]:
    return sa.Column(name, sa.Integer(), sa.ForeignKey("employee.id"), nullable=nullable)


def _project() -> sa.Column[int]:
    return sa.Column("project_id", sa.Integer(), sa.ForeignKey("project.id"), nullable=False)


def upgrade() -> None:
    op.create_table(
        "project_plan",
        sa.Column("id", sa.Integer(), primary_key=True),
        _project(),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("content", sa.String(), nullable=False),
        sa.Column("resources", sa.String(), nullable=True),
        _employee("written_by_id"),
        sa.Column("written_at", UTCDateTime(), nullable=False),
        _employee("approved_by_id", nullable=True),
        sa.Column("approved_at", UTCDateTime(), nullable=True),
        sa.Column("approval_note", sa.String(), nullable=True),
        sa.UniqueConstraint("project_id", "version", name="uq_project_plan_version"),
    )
    op.create_table(
        "project_milestone",
        sa.Column("id", sa.Integer(), primary_key=True),
        _project(),
        sa.Column("title", sa.String(200), nullable=False),
        _employee("owner_id"),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("baseline_due", sa.Date(), nullable=True),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_project_milestone_project_id", "project_milestone", ["project_id"])
    # SQLite adds a column with REFERENCES in place; a batch copy of the task table would have to
    # drop the table that meeting actions point to (foreign keys are on while migrating).
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE task ADD COLUMN milestone_id INTEGER REFERENCES project_milestone (id)")
    else:
        op.add_column("task", sa.Column("milestone_id", sa.Integer(), sa.ForeignKey("project_milestone.id"),
                                        nullable=True))
    op.create_index("ix_task_milestone_id", "task", ["milestone_id"])
    op.create_table(
        "project_risk",
        sa.Column("id", sa.Integer(), primary_key=True),
        _project(),
        sa.Column("text", sa.String(500), nullable=False),
        sa.Column("likelihood", sa.Integer(), nullable=False),
        sa.Column("impact", sa.Integer(), nullable=False),
        _employee("owner_id"),
        sa.Column("trigger", sa.String(), nullable=True),
        sa.Column("response", sa.String(), nullable=True),
        sa.Column("review_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(8), nullable=False),
        sa.Column("close_note", sa.String(), nullable=True),
        _employee("created_by_id"),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_project_risk_project_id", "project_risk", ["project_id"])
    op.create_index("ix_project_risk_owner_id", "project_risk", ["owner_id"])
    op.create_table(
        "project_cost",
        sa.Column("id", sa.Integer(), primary_key=True),
        _project(),
        sa.Column("amount_cents", sa.BigInteger(), nullable=False),
        sa.Column("category", sa.String(32), nullable=False),
        sa.Column("spent_on", sa.Date(), nullable=False),
        sa.Column("note", sa.String(), nullable=True),
        _employee("claimant_id"),
        sa.Column("status", sa.String(8), nullable=False),
        _employee("decided_by_id", nullable=True),
        sa.Column("decided_at", UTCDateTime(), nullable=True),
        sa.Column("decision_note", sa.String(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_project_cost_project_id", "project_cost", ["project_id"])
    op.create_table(
        "document_blob",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("sha256", sa.String(64), nullable=False, unique=True),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_table(
        "document_chunk",
        sa.Column("blob_id", sa.Integer(), sa.ForeignKey("document_blob.id"), primary_key=True),
        sa.Column("seq", sa.Integer(), primary_key=True),
        sa.Column("data", sa.LargeBinary(), nullable=False),
    )
    op.create_table(
        "project_document",
        sa.Column("id", sa.Integer(), primary_key=True),
        _project(),
        sa.Column("blob_id", sa.Integer(), sa.ForeignKey("document_blob.id"), nullable=False),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        _employee("added_by_id"),
        sa.Column("added_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_project_document_project_id", "project_document", ["project_id"])
    op.create_index("ix_project_document_blob_id", "project_document", ["blob_id"])
    op.create_table(
        "project_lessons",
        sa.Column("id", sa.Integer(), primary_key=True),
        _project(),
        sa.Column("went_well", sa.String(), nullable=False),
        sa.Column("went_badly", sa.String(), nullable=False),
        sa.Column("actions", sa.String(), nullable=False),
        _employee("author_id"),
        sa.Column("written_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_project_lessons_project_id", "project_lessons", ["project_id"])


def downgrade() -> None:
    for table in ("project_lessons", "project_document", "document_chunk", "document_blob", "project_cost",
                  "project_risk"):
        op.drop_table(table)
    op.drop_index("ix_task_milestone_id", table_name="task")
    with op.batch_alter_table("task") as batch:
        batch.drop_column("milestone_id")
    op.drop_table("project_milestone")
    op.drop_table("project_plan")
