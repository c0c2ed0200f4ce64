"""Fixtures for the projects services: a project under way."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session

from opsctl.clock import FixedClock
from opsctl.models.projects import Project
from opsctl.services.projects import lifecycle as pj
from opsctl.services.projects import members as pm
from tests.conftest import People


@pytest.fixture
def active_web(session: Session, people: People, clock: FixedClock) -> Project:
    """WEB: wei's (managed by mona), 2026-03-01 to 2026-06-30, budget 5000, na a member; approved and active."""
    project = pj.new_project(session, actor=people.wei, now=clock.now(), code="WEB", name="Website",
                             start=date(2026, 3, 1), due=date(2026, 6, 30), budget=5000)
    pm.add_member(session, actor=people.wei, now=clock.now(), code="WEB", login="na")
    pj.approve_project(session, actor=people.mona, now=clock.now(), code="WEB")
    pj.start_project(session, actor=people.wei, now=clock.now(), code="WEB")
    session.commit()
    return project
