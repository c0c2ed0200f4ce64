"""A person's leave balances, worked out from what is stored: the types, the sums of their
ledger entries, their pending days (see :mod:`opsctl.services.leave.ledger` for the rule).
Pure: `opsctl today` reads those with light queries of its own and counts here, without the
area's models."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from opsctl.models.people import Employee


class StoredType(Protocol):
    """A leave type as stored: the ``LeaveType`` model, or a row of the same columns."""

    @property
    def id(self) -> int | None: ...
    @property
    def code(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def paid(self) -> bool: ...
    @property
    def quota(self) -> float | None: ...
    @property
    def carry_over(self) -> float: ...
    @property
    def created_at(self) -> datetime: ...


@dataclass
class Balance:
    login: str
    year: int
    code: str
    name: str
    paid: bool
    quota: float | None
    allocated: float | None  # quota + HR's allocations; None: the type keeps no balance
    carried: float | None
    used: float
    pending: float
    remaining: float | None
    available: float | None  # what a new request may still take: remaining − pending

    def row(self) -> dict[str, Any]:
        return dict(self.__dict__)

    def text(self) -> str:
        if self.remaining is None:
            return f"{self.code} {self.year}: no balance kept; {self.used:g} used, {self.pending:g} pending"
        carried = f" + {self.carried:g} carried over" if self.carried else ""
        return (f"{self.code} {self.year}: {self.allocated:g} allocated{carried}, {self.used:g} used, "
                f"{self.pending:g} pending, {self.remaining:g} remaining")


def balances_of(person: Employee, year: int, types: Sequence[StoredType], sums: dict[tuple[int, int, str], float],
                pending: dict[int, float]) -> list[Balance]:
    """``person``'s balance of each of ``types`` in ``year``, from the sums of their ledger entries
    ((type id, year, "allocation" | "used") → days, up to ``year``) and their pending days by type."""
    result = []
    for leave_type in types:
        sheet = _YearSheet(person, leave_type, sums)
        used = sheet.used(year)
        waiting = pending.get(leave_type.id or 0, 0.0)
        if leave_type.quota is None:
            result.append(Balance(person.login, year, leave_type.code, leave_type.name, leave_type.paid, None, None,
                                  None, used, waiting, None, None))
            continue
        carried = sheet.carried_into(year)
        remaining = sheet.allocated(year) + carried - used
        result.append(Balance(person.login, year, leave_type.code, leave_type.name, leave_type.paid,
                              leave_type.quota, sheet.allocated(year), carried, used, waiting, remaining,
                              remaining - waiting))
    return result


def _employed_in(person: Employee, year: int) -> bool:
    return (person.hired is None or person.hired.year <= year) and (person.left is None or person.left.year >= year)


class _YearSheet:
    """One person's account of one type, year by year."""

    def __init__(self, person: Employee, leave_type: StoredType, sums: dict[tuple[int, int, str], float]) -> None:
        self.person, self.type, self.sums, self.id = person, leave_type, sums, leave_type.id or 0

    def allocated(self, year: int) -> float:
        """The quota (in a year the person was employed) and HR's allocations."""
        quota = (self.type.quota or 0.0) if _employed_in(self.person, year) else 0.0
        return quota + self.sums.get((self.id, year, "allocation"), 0.0)

    def used(self, year: int) -> float:
        return 0.0 - self.sums.get((self.id, year, "used"), 0.0)  # leave is negative, cancellations positive

    def carried_into(self, year: int) -> float:
        """What is left of the year before, up to the type's cap, year after year from the
        first year the type or the person's account existed (or the person was hired)."""
        cap = self.type.carry_over
        if not cap:
            return 0.0
        first = min([self.type.created_at.year, year, *(y for (i, y, _k) in self.sums if i == self.id)])
        if self.person.hired is not None:
            first = max(first, self.person.hired.year)
        carried = 0.0
        for y in range(first, year):
            carried = min(cap, max(0.0, self.allocated(y) + carried - self.used(y)))
        return carried
