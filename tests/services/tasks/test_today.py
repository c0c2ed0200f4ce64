"""The tasks section of `opsctl today` asks first, on a light table of its own, whether there is a
task to list."""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import Session

from opsctl.clock import FixedClock
from opsctl.models.projects import OPEN_TASK_STATUSES
from opsctl.services.tasks import today as light
from opsctl.services.tasks.core import add_task
from tests.conftest import People

TODAY = date(2026, 3, 18)


def test_its_open_statuses_are_the_models() -> None:
    assert light.OPEN_STATUSES == OPEN_TASK_STATUSES


def test_only_a_task_due_or_in_progress_is_listed(session: Session, people: People, clock: FixedClock) -> None:
    add_task(session, actor=people.na, now=clock.now(), today=TODAY, title="later", assignee="na",
             due=TODAY + timedelta(days=1))
    assert light.today_facts(session, person=people.na, today=TODAY, now=clock.now()) == []
    add_task(session, actor=people.na, now=clock.now(), today=TODAY, title="now", assignee="na", due=TODAY)
    assert [r["title"] for r in light.today_facts(session, person=people.na, today=TODAY, now=clock.now())] == [
        "now"]
