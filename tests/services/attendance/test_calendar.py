"""The calendar (services/attendance/calendar.py): who may read it."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session

from opsctl.clock import FixedClock
from opsctl.errors import NotAllowed
from opsctl.models.people import Employee
from opsctl.services.attendance.calendar import add_calendar_day, list_calendar
from tests.conftest import People
from tests.services.conftest import refusal


def test_any_employee_reads_the_calendar_and_nobody_else(
    session: Session, people: People, clock: FixedClock, outsider: Employee
) -> None:
    add_calendar_day(session, actor=people.hana, now=clock.now(), day=date(2026, 5, 1), kind="holiday",
                     name="Labour Day")
    assert [row["date"] for row in list_calendar(session, viewer=people.sam, year=2026)] == [date(2026, 5, 1)]
    with pytest.raises(NotAllowed, match=refusal(outsider)):
        list_calendar(session, viewer=outsider, year=2026)
