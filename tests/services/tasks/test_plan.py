"""The weekly plan (services/tasks/plan.py): who may read it."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session

from opsctl.errors import NotAllowed
from opsctl.models.people import Employee
from opsctl.services.tasks.plan import week_plan
from tests.conftest import People
from tests.services.conftest import refusal

TODAY = date(2026, 3, 18)  # the conftest clock


def test_week_plan_refuses_who_is_not_an_employee(session: Session, people: People, outsider: Employee) -> None:
    with pytest.raises(NotAllowed, match=refusal(outsider)):
        week_plan(session, viewer=outsider, today=TODAY)
    with pytest.raises(NotAllowed, match=refusal(outsider)):
        week_plan(session, viewer=outsider, today=TODAY, person=people.wei)
