"""The training plan and its sessions (services/training/plan.py): who may read them."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session

from opsctl.clock import FixedClock
from opsctl.errors import NotAllowed
from opsctl.models.people import Employee
from opsctl.services.training import plan as tr
from tests.conftest import People, pk
from tests.services.conftest import refusal

TODAY = date(2026, 3, 18)  # the conftest clock


def test_any_employee_reads_the_plan_and_its_sessions_and_nobody_else(
    session: Session, people: People, clock: FixedClock, outsider: Employee
) -> None:
    drill = tr.add_plan(session, actor=people.mona, now=clock.now(), today=TODAY, title="Incident drill",
                        year=2026, hours=3)
    held = tr.add_session(session, actor=people.mona, now=clock.now(), plan_id=pk(drill), day=date(2026, 3, 10))
    assert [row["title"] for row in tr.list_plans(session, viewer=people.sam, year=2026, today=TODAY)] == [
        "Incident drill"]
    assert tr.session_details(session, held, viewer=people.sam, today=TODAY)["day"] == date(2026, 3, 10)
    assert [row["id"] for row in tr.list_sessions(session, viewer=people.sam, today=TODAY)] == [held.id]
    with pytest.raises(NotAllowed, match=refusal(outsider)):
        tr.list_plans(session, viewer=outsider, year=2026, today=TODAY)
    with pytest.raises(NotAllowed, match=refusal(outsider)):
        tr.session_details(session, held, viewer=outsider, today=TODAY)
    with pytest.raises(NotAllowed, match=refusal(outsider)):
        tr.list_sessions(session, viewer=outsider, today=TODAY, mine=True)
