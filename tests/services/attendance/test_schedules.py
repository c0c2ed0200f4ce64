"""Schedules (services/attendance/schedules.py): who may read them."""

from __future__ import annotations

from datetime import time

import pytest
from sqlmodel import Session

from opsctl.clock import FixedClock
from opsctl.errors import NotAllowed
from opsctl.models.people import Employee
from opsctl.services.attendance.schedules import add_schedule, list_schedules
from tests.conftest import People
from tests.services.conftest import refusal


def test_any_employee_reads_the_schedules_and_nobody_else(
    session: Session, people: People, clock: FixedClock, outsider: Employee
) -> None:
    add_schedule(session, actor=people.ada, now=clock.now(), name="Night", start=time(22), end=time(6))
    assert [row["name"] for row in list_schedules(session, viewer=people.sam)] == ["Night"]
    with pytest.raises(NotAllowed, match=refusal(outsider)):
        list_schedules(session, viewer=outsider)
