"""Nobody decides on a project they own or owned since its proposal (issue 19, part 4):
handing a project to somebody else, approving or reviewing it, and taking it back is refused."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session

from opsctl.clock import FixedClock
from opsctl.errors import NotAllowed
from opsctl.services.projects import lifecycle as pj
from opsctl.services.projects.owners import owners_since_proposal
from tests.conftest import People


def test_a_manager_may_not_approve_his_own_project_by_handing_it_on_first(
    session: Session, people: People, clock: FixedClock
) -> None:
    now = clock.now()
    pj.new_project(session, actor=people.mona, now=now, code="MONA", name="Mona's pet project")
    pj.edit_project(session, actor=people.mona, now=now, code="MONA", owner="wei")
    with pytest.raises(NotAllowed, match="nobody may approve MONA, which they owned since its proposal"):
        pj.approve_project(session, actor=people.mona, now=now, code="MONA")
    assert pj.get_project(session, "MONA").status == "proposed"
    # taking it back changes nothing, and somebody else's approval still works
    pj.edit_project(session, actor=people.mona, now=now, code="MONA", owner="mona")
    with pytest.raises(NotAllowed, match="nobody may approve their own project"):
        pj.approve_project(session, actor=people.mona, now=now, code="MONA")
    assert pj.approve_project(session, actor=people.ada, now=now, code="MONA").status == "approved"


def test_a_manager_may_not_review_his_own_project_by_handing_it_on_first(
    session: Session, people: People, clock: FixedClock
) -> None:
    now = clock.now()
    pj.new_project(session, actor=people.mona, now=now, code="MONA", name="Mona's pet project")
    pj.approve_project(session, actor=people.ada, now=now, code="MONA")
    pj.start_project(session, actor=people.mona, now=now, code="MONA")
    pj.submit_project(session, actor=people.mona, now=now, code="MONA", summary="all done")
    pj.edit_project(session, actor=people.mona, now=now, code="MONA", owner="leo", due=date(2026, 9, 30))
    for passed in (True, False):
        with pytest.raises(NotAllowed, match="nobody may review MONA, which they owned since its proposal"):
            pj.review_project(session, actor=people.mona, now=now, code="MONA", passed=passed, report="fine")
    assert pj.get_project(session, "MONA").status == "in_review"
    assert pj.review_project(session, actor=people.ada, now=now, code="MONA", passed=True,
                             report="fine").status == "accepted"


def test_every_owner_since_the_proposal_is_read_from_the_history(
    session: Session, people: People, clock: FixedClock
) -> None:
    now = clock.now()
    project = pj.new_project(session, actor=people.ada, now=now, code="P1", name="x", owner="wei")
    assert owners_since_proposal(session, project) == {people.wei.id}
    # a name that looks like an owner change only ever adds people, never hides one
    pj.edit_project(session, actor=people.mona, now=now, code="P1", owner="na", name="y; owner z → q")
    pj.edit_project(session, actor=people.mona, now=now, code="P1", owner="sam")
    assert owners_since_proposal(session, project) == {people.wei.id, people.na.id, people.sam.id}
    # a former owner, a member now, is told why
    with pytest.raises(NotAllowed, match="which they owned since its proposal"):
        pj.approve_project(session, actor=people.na, now=now, code="P1")
