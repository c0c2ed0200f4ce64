"""What a project is run by once proposed: its plan (versions, approval), risks, costs (expense
claims), documents (stored here, one blob per content) and the lessons-learned review before
archiving. Milestones are `models.projects.Milestone` (a task may belong to one).

Kept out of `models.projects`: `task list` is on the hot path and imports that module alone.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, LargeBinary, UniqueConstraint
from sqlmodel import Field

from opsctl.models.base import Table, UTCDateTime
from opsctl.models.projects import Project  # noqa: F401  (the table the keys point to)

RISK_STATUSES = ("open", "closed")
COST_STATUSES = ("pending", "approved", "rejected")
DOCUMENT_KINDS = ("requirements", "plan", "report", "minutes", "other")


class ProjectPlan(Table, table=True):
    """One version of a project's plan: the work and the resources; approved separately from the proposal."""

    __tablename__ = "project_plan"
    __table_args__ = (UniqueConstraint("project_id", "version", name="uq_project_plan_version"),)

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id")
    version: int
    content: str
    resources: str | None = None
    written_by_id: int = Field(foreign_key="employee.id")
    written_at: datetime = Field(sa_type=UTCDateTime)
    approved_by_id: int | None = Field(default=None, foreign_key="employee.id")
    approved_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    approval_note: str | None = None


class Risk(Table, table=True):
    """A risk watched by its owner: level = likelihood × impact (1–25), reviewed by ``review_on``."""

    __tablename__ = "project_risk"

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True)
    text: str = Field(max_length=500)
    likelihood: int
    impact: int
    owner_id: int = Field(foreign_key="employee.id", index=True)
    trigger: str | None = None
    response: str | None = None
    review_on: date
    status: str = Field(default="open", max_length=8)
    close_note: str | None = None
    created_by_id: int = Field(foreign_key="employee.id")
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)


class Cost(Table, table=True):
    """An expense claim against the budget, in cents (exact); approved by the project's owner or manager."""

    __tablename__ = "project_cost"

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True)
    amount_cents: int = Field(sa_type=BigInteger)
    category: str = Field(max_length=32)
    spent_on: date
    note: str | None = None
    claimant_id: int = Field(foreign_key="employee.id")
    status: str = Field(default="pending", max_length=8)
    decided_by_id: int | None = Field(default=None, foreign_key="employee.id")
    decided_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    decision_note: str | None = None
    created_at: datetime = Field(sa_type=UTCDateTime)


class DocumentBlob(Table, table=True):
    """A file's content, once however often it is filed: its SHA-256, its size, its chunks."""

    __tablename__ = "document_blob"

    id: int | None = Field(default=None, primary_key=True)
    sha256: str = Field(max_length=64, unique=True)
    size: int = Field(sa_type=BigInteger)
    created_at: datetime = Field(sa_type=UTCDateTime)


class DocumentChunk(Table, table=True):
    """One piece of a blob (at most `CHUNK` bytes): files are written and read a piece at a time."""

    __tablename__ = "document_chunk"

    blob_id: int = Field(foreign_key="document_blob.id", primary_key=True)
    seq: int = Field(primary_key=True)
    data: bytes = Field(sa_type=LargeBinary)


class ProjectDocument(Table, table=True):
    """A file filed with a project: its name and kind, who filed it and when, its content's blob."""

    __tablename__ = "project_document"

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True)
    blob_id: int = Field(foreign_key="document_blob.id", index=True)
    name: str = Field(max_length=255)
    kind: str = Field(max_length=16)
    added_by_id: int = Field(foreign_key="employee.id")
    added_at: datetime = Field(sa_type=UTCDateTime)


class LessonsReview(Table, table=True):
    """The lessons-learned review (复盘) before archiving: what went well, what did not, what to do."""

    __tablename__ = "project_lessons"

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True)
    went_well: str
    went_badly: str
    actions: str
    author_id: int = Field(foreign_key="employee.id")
    written_at: datetime = Field(sa_type=UTCDateTime)
