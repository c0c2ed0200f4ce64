"""Teams (services/people/teams.py): who may read them."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from opsctl.errors import NotAllowed
from opsctl.models.people import Employee
from opsctl.services.people.teams import list_teams, show_team
from tests.conftest import People
from tests.services.conftest import refusal


def test_any_employee_reads_the_teams_and_nobody_else(session: Session, people: People, outsider: Employee) -> None:
    assert [row["name"] for row in list_teams(session, viewer=people.sam)] == ["Dev", "Ops"]
    assert {"leo", "wei"} <= {m["login"] for m in show_team(session, "Ops", viewer=people.sam)["members"]}
    with pytest.raises(NotAllowed, match=refusal(outsider)):
        list_teams(session, viewer=outsider)
    with pytest.raises(NotAllowed, match=refusal(outsider)):
        show_team(session, "Ops", viewer=outsider)
