"""Reading projects (services/projects/overview.py): who may read them."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session

from opsctl.clock import FixedClock
from opsctl.errors import NotAllowed
from opsctl.models.people import Employee
from opsctl.services.projects import lifecycle as pj
from opsctl.services.projects.overview import project_details
from tests.conftest import People
from tests.services.conftest import refusal

TODAY = date(2026, 3, 18)  # the conftest clock


def test_any_employee_sees_any_project(session: Session, people: People, clock: FixedClock) -> None:
    pj.new_project(session, actor=people.wei, now=clock.now(), code="WEB", name="Website")
    assert project_details(session, "WEB", viewer=people.sam, today=TODAY)["code"] == "WEB"


def test_project_details_refuses_who_is_not_an_employee(
    session: Session, people: People, clock: FixedClock, outsider: Employee
) -> None:
    pj.new_project(session, actor=people.wei, now=clock.now(), code="WEB", name="Website")
    with pytest.raises(NotAllowed, match=refusal(outsider)):
        project_details(session, "WEB", viewer=outsider, today=TODAY)
