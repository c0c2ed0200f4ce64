"""The one org chart (services/access.py): the management chain, the `SIGHT` table of who
sees whose records per area, approvers, and the reason a request or decision gives."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import Session, select

from opsctl.clock import FixedClock
from opsctl.errors import InvalidInput, NotAllowed
from opsctl.models.people import Employee, Team
from opsctl.services.access import (
    OrgChart,
    can_see,
    check_reason,
    optional_reason,
    require_approver,
    require_employee,
    require_see,
)
from tests.conftest import People
from tests.services.conftest import refusal


def _lead_ops(session: Session, people: Any) -> None:
    ops = session.exec(select(Team).where(Team.name == "Ops")).one()
    ops.lead_id = people.leo.id
    session.commit()


def test_chain_and_reports_follow_managers_however_far(session: Session, people: Any) -> None:
    people.wei.manager_id = people.leo.id  # wei → leo → mona
    session.commit()
    chart = OrgChart.load(session)
    assert chart.chain(people.wei.id) == [people.leo.id, people.mona.id]
    assert chart.reports_of(people.mona.id) == {p.id for p in (people.leo, people.wei, people.na, people.sam)}
    assert chart.reports_of(people.leo.id) == {people.wei.id}
    assert chart.manages(people.mona.id, people.wei.id) and not chart.manages(people.wei.id, people.mona.id)


def test_a_loop_in_the_managers_ends_the_walk(session: Session, people: Any) -> None:
    people.mona.manager_id = people.wei.id  # stored before the loop check existed
    session.commit()
    chart = OrgChart.load(session)
    assert chart.chain(people.wei.id) == [people.mona.id]
    assert people.wei.id not in chart.reports_of(people.wei.id)


def test_team_and_lead(session: Session, people: Any) -> None:
    _lead_ops(session, people)
    chart = OrgChart.load(session)
    assert chart.lead_of(chart.team_of(people.na.id)) == people.leo.id
    assert chart.lead_of(chart.team_of(people.sam.id)) is None


@pytest.mark.parametrize(("viewer", "person", "area", "sees"), [
    ("wei", "wei", "attendance", True),      # oneself, in every area
    ("wei", "na", "attendance", False),      # a colleague
    ("mona", "na", "training", True),        # the manager chain, in every area
    ("hana", "sam", "profile", True),        # HR and admins, in every area
    ("leo", "na", "attendance", True),       # the team lead (Team.lead) sees attendance and leave …
    ("leo", "na", "leave", True),
    ("leo", "na", "training", False),        # … but not certificates or the development record
    ("leo", "na", "profile", False),
    ("mona", "sam", "kpi", True),
    ("leo", "sam", "kpi", False),            # a lead sees their own team's KPI results only
])
def test_sight_table(session: Session, people: Any, viewer: str, person: str, area: str, sees: bool) -> None:
    _lead_ops(session, people)
    who, whom = getattr(people, viewer), getattr(people, person)
    assert can_see(session, who, whom, area) is sees


def test_kpi_results_are_open_to_the_manager_role_and_a_lead_role_s_team(session: Session, people: Any) -> None:
    people.sam.role = "manager"  # manages nobody
    session.commit()
    assert can_see(session, people.sam, people.wei, "kpi")
    assert not can_see(session, people.sam, people.wei, "attendance")
    assert can_see(session, people.leo, people.na, "kpi")  # role lead, no Team.lead set
    assert not can_see(session, people.leo, people.na, "attendance")


def test_a_refusal_names_who_may(session: Session, people: Any) -> None:
    with pytest.raises(NotAllowed, match="wei may not see na's certificates: only they, their manager, HR or an"):
        require_see(session, people.wei, people.na, "training", what="certificates")


def test_approver_is_never_oneself_and_up_the_chain_or_hr(session: Session, people: Any) -> None:
    require_approver(session, people.mona, people.wei, what="leave request")
    require_approver(session, people.hana, people.wei, what="leave request")
    with pytest.raises(NotAllowed, match="nobody approves their own"):
        require_approver(session, people.hana, people.hana, what="leave request")
    with pytest.raises(NotAllowed, match="only their manager, HR or an admin"):
        require_approver(session, people.leo, people.wei, what="leave request")


def test_one_reason_rule() -> None:
    assert check_reason("  ill  ") == "ill"
    assert optional_reason("   ") is None
    with pytest.raises(InvalidInput, match=r"say why with --comment \(1–500 characters\)"):
        check_reason(" ", "--comment")
    with pytest.raises(InvalidInput, match="--reason is 501 characters long; at most 500"):
        optional_reason("x" * 501)


def test_require_employee_passes_an_active_employee_and_refuses_anyone_else(
    session: Session, people: People, clock: FixedClock, outsider: Employee
) -> None:
    """The read rule every read service starts with: only a stored, active employee reads."""
    require_employee(session, people.sam)
    with pytest.raises(NotAllowed, match=refusal(outsider)):
        require_employee(session, outsider)
    stranger = Employee(id=9999, login="stranger", name="Not Stored", created_at=clock.now())  # an id nobody has
    with pytest.raises(NotAllowed, match=r"^'stranger' is not an employee here"):
        require_employee(session, stranger)
