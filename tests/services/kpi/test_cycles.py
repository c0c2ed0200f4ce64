"""KPI cycles (services/kpi/cycles.py): who may read them."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session

from opsctl.clock import FixedClock
from opsctl.dates import parse_cycle
from opsctl.errors import NotAllowed
from opsctl.models.people import Employee
from opsctl.services.kpi.cycles import list_cycles, open_cycle
from tests.conftest import People
from tests.services.conftest import refusal


def test_any_employee_reads_the_cycles_and_nobody_else(
    session: Session, people: People, clock: FixedClock, outsider: Employee
) -> None:
    open_cycle(session, actor=people.ada, now=clock.now(), period=parse_cycle("2026-Q1", today=date(2026, 3, 18)))
    assert [row["cycle"] for row in list_cycles(session, viewer=people.sam)] == ["2026Q1"]
    with pytest.raises(NotAllowed, match=refusal(outsider)):
        list_cycles(session, viewer=outsider)
