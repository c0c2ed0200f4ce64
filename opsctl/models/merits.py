"""Rewards and penalties (奖惩): one entry per decision about a person, its approvals, and
its revocation. Money is kept in cents (exact on every database; shown as a Decimal)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field

from opsctl.models.base import Table, UTCDateTime

MERIT_KINDS = ("reward", "penalty")
MERIT_SOURCES = ("attendance", "kpi", "other")
MERIT_STATUSES = ("pending", "approved", "revoked")


class Merit(Table, table=True):
    __tablename__ = "merit"

    id: int | None = Field(default=None, primary_key=True)
    employee_id: int = Field(foreign_key="employee.id", index=True)
    kind: str = Field(max_length=8)
    category: str = Field(max_length=60)
    points: int  # ≥ 0; the kind says which way it counts
    amount_cents: int | None = None  # ≥ 0; None: no money
    reason: str = Field(max_length=500)
    cycle: str | None = Field(default=None, max_length=10)
    source: str = Field(default="other", max_length=12)
    suggestion: str | None = Field(default=None, max_length=80, unique=True)  # the `merit suggest` line accepted
    status: str = Field(default="pending", max_length=8, index=True)
    levels: int = 1  # approvals needed: 2 above the `merit.two_level_amount` setting
    created_by_id: int = Field(foreign_key="employee.id")
    created_at: datetime = Field(sa_type=UTCDateTime)
    approved_by_id: int | None = Field(default=None, foreign_key="employee.id")
    approved_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    second_approved_by_id: int | None = Field(default=None, foreign_key="employee.id")
    second_approved_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    revoked_by_id: int | None = Field(default=None, foreign_key="employee.id")
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    revoke_reason: str | None = Field(default=None, max_length=500)
