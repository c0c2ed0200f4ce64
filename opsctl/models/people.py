"""Employees, teams, team settings and the audit log."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, ForeignKey, Integer
from sqlmodel import Field

from opsctl.models.base import Table, UTCDateTime

ROLES = ("member", "lead", "manager", "hr", "admin")


class Team(Table, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, max_length=80)
    # team <-> employee is a cycle; the lead's key is added after both tables exist.
    lead_id: int | None = Field(
        default=None,
        sa_column=Column(
            Integer,
            ForeignKey("employee.id", name="fk_team_lead_id_employee", use_alter=True),
            nullable=True,
        ),
    )
    created_at: datetime = Field(sa_type=UTCDateTime)


class Employee(Table, table=True):
    id: int | None = Field(default=None, primary_key=True)
    login: str = Field(unique=True, max_length=64)
    name: str = Field(max_length=120)
    email: str | None = Field(default=None, max_length=200)
    team_id: int | None = Field(default=None, foreign_key="team.id", index=True)
    role: str = Field(default="member", max_length=16)
    manager_id: int | None = Field(default=None, foreign_key="employee.id", index=True)
    badge: str | None = Field(default=None, unique=True, max_length=64)
    hired: date | None = None
    left: date | None = None
    active: bool = True
    created_at: datetime = Field(sa_type=UTCDateTime)


class Setting(Table, table=True):
    key: str = Field(primary_key=True, max_length=64)
    value: str  # JSON


class AuditEntry(Table, table=True):
    """Append-only: triggers refuse UPDATE, DELETE (and on PostgreSQL TRUNCATE); each entry
    carries the previous entry's hash, so `opsctl db check` finds a changed or missing one."""

    __tablename__ = "audit_entry"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_type=UTCDateTime, index=True)
    actor_id: int | None = Field(default=None, foreign_key="employee.id")
    subject_id: int | None = Field(default=None, foreign_key="employee.id", index=True)
    action: str = Field(max_length=64)
    entity: str = Field(max_length=64)
    entity_id: str = Field(max_length=64)
    details: str = "{}"  # JSON
    # the hash chain (services/audit_chain.py): the entry before's hash, and this one's over both
    prev_hash: str | None = Field(default=None, max_length=64)
    entry_hash: str | None = Field(default=None, max_length=64)
    # PostgreSQL fills these itself (a trigger; outside the hash): the connection's login role
    # (session_user) and the person mapped to it, who differs from ``actor_id`` when an admin
    # acts for somebody with --as. SQLite leaves them empty.
    db_role: str | None = Field(default=None, max_length=63)
    by_id: int | None = Field(default=None, foreign_key="employee.id")


class DbLogin(Table, table=True):
    """A person's PostgreSQL login role (`opsctl people grant`): on PostgreSQL the acting person
    is the one whose role the connection authenticated as. Kept when revoked, for the record."""

    __tablename__ = "db_login"

    id: int | None = Field(default=None, primary_key=True)
    employee_id: int = Field(foreign_key="employee.id", unique=True)
    db_role: str = Field(unique=True, max_length=63)
    granted_at: datetime = Field(sa_type=UTCDateTime)
    granted_by_id: int | None = Field(default=None, foreign_key="employee.id")
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_seen: datetime | None = Field(default=None, sa_type=UTCDateTime)


class DbChange(Table, table=True):
    """A row of a guarded table written by a person's own login role (PostgreSQL, a trigger):
    which row, how, by which role, when (the server's clock). psql edits are attributed too."""

    __tablename__ = "db_change"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_type=UTCDateTime, index=True)
    db_role: str = Field(max_length=63)
    by_id: int | None = Field(default=None, foreign_key="employee.id")
    table_name: str = Field(max_length=63)
    row_id: int | None = None
    op: str = Field(max_length=8)
    subject_id: int | None = Field(default=None, foreign_key="employee.id")
