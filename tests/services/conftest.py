"""Fixtures for the service tests: the viewers every read service refuses."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session

from opsctl.clock import FixedClock
from opsctl.models.people import Employee
from tests.conftest import People


def refusal(outsider: Employee) -> str:
    """The start of what a read service says to ``outsider`` (a pattern for `pytest.raises`)."""
    if outsider.id is None:
        return f"^'{outsider.login}' is not an employee here; act as an employee with --as LOGIN"
    return f"^'{outsider.login}' left on {outsider.left} and can no longer act; act as an employee with --as LOGIN"


@pytest.fixture(params=["nobody", "gone"])
def outsider(request: pytest.FixtureRequest, session: Session, people: People, clock: FixedClock) -> Employee:
    """A viewer every read service refuses (NotAllowed, exit 4; the message: `refusal`):
    ``nobody`` was never stored, ``gone`` is na, who left on 2026-03-01."""
    if request.param == "nobody":
        return Employee(login="nobody", name="No Body", created_at=clock.now())
    from opsctl.services.people.employees import deactivate_person

    gone = deactivate_person(session, actor=people.hana, now=clock.now(), login="na", left=date(2026, 3, 1))
    session.commit()
    return gone
