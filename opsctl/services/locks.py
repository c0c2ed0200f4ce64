"""Row locks for decisions: whatever a decision reads to decide (a request's status, a
person's balance or monthly count, a project's status) is locked first, so that of N
concurrent decisions exactly one acts and the others see what it did (exit 5).

PostgreSQL: ``SELECT … FOR NO KEY UPDATE`` of the row (it does not block inserts that only
point at the row, such as audit entries), re-read into the session, held until the
command's transaction ends. Where there is no row yet (opening a KPI cycle for a period),
a transaction-scoped advisory lock on a name.

SQLite: a writing command holds the database's write lock from its ``BEGIN IMMEDIATE``
(see :mod:`opsctl.db`), so writers are serialised already; ``FOR UPDATE`` is not SQL there
and SQLAlchemy leaves it out, and :func:`lock_name` does nothing.

Lock order, to keep two decisions from waiting on each other: the decided row first (a
request, a project, a task), then the person it concerns.
"""

from __future__ import annotations

import zlib
from typing import Any, TypeVar

from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlmodel import Session, select

from opsctl.models.people import Employee

Row = TypeVar("Row")


def lock_row(session: Session, model: type[Row], row_id: Any, *, shared: bool = False) -> Row | None:
    """The row of ``model`` with primary key ``row_id``, locked for this transaction and read
    afresh (a copy the session already holds is refreshed); None when there is none.
    ``shared``: many may hold it at once (FOR SHARE), only a decision's lock waits for them all
    (scores going into a KPI cycle, against the cycle being closed)."""
    query = (select(model).where(model.id == row_id)  # type: ignore[attr-defined]
             .with_for_update(read=shared, key_share=not shared).execution_options(populate_existing=True))
    return session.exec(query).first()


def lock_person(session: Session, person: Employee) -> None:
    """Serialise the decisions about one person (their balance, their monthly limits, their
    punches): call before reading what the decision counts."""
    session.exec(select(Employee.id).where(Employee.id == person.id).with_for_update(key_share=True))


def lock_name(session: Session, *parts: object) -> None:
    """A lock on a name when there is no row to lock yet (e.g. ``"kpi_cycle", "2026-03"``)."""
    if session.get_bind().dialect.name != "postgresql":
        return
    key = zlib.crc32(":".join(str(part) for part in parts).encode()) - 2**31  # a signed 32-bit key
    session.execute(sa_select(func.pg_advisory_xact_lock(key)))
