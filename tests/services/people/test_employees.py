"""Employees (services/people/employees.py): who may read them."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from opsctl.errors import NotAllowed
from opsctl.models.people import Employee
from opsctl.services.people.employees import list_people, show_person
from tests.conftest import People
from tests.services.conftest import refusal


def test_any_employee_reads_everyone_and_nobody_else_does(
    session: Session, people: People, outsider: Employee
) -> None:
    assert {"ada", "mona", "wei", "sam"} <= {row["login"] for row in list_people(session, viewer=people.sam)}
    assert show_person(session, viewer=people.sam, login="mona").login == "mona"
    with pytest.raises(NotAllowed, match=refusal(outsider)):
        list_people(session, viewer=outsider)
    with pytest.raises(NotAllowed, match=refusal(outsider)):
        show_person(session, viewer=outsider, login="mona")
    with pytest.raises(NotAllowed, match=refusal(outsider)):  # before telling whether the login exists
        show_person(session, viewer=outsider, login="ghost")
