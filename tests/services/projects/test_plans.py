"""A project's plan and milestones: versions, approval apart from the proposal, the baseline and
the slip, milestones within the project's dates, tasks that belong to a milestone."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlmodel import Session

from opsctl.clock import FixedClock
from opsctl.errors import Conflict, InvalidInput, NotAllowed, NotFound
from opsctl.models.projects import Project
from opsctl.services.projects import lifecycle as pj
from opsctl.services.projects import plans
from opsctl.services.projects.overview import project_details
from opsctl.services.tasks import core as tk
from opsctl.services.tasks import steps as ts
from tests.conftest import People, pk

TODAY = date(2026, 3, 18)  # the conftest clock


def test_plan_versions_are_approved_by_the_manager_side_and_the_baseline_is_kept(
    session: Session, people: People, clock: FixedClock, active_web: Project
) -> None:
    first = plans.add_milestone(session, actor=people.wei, now=clock.now(), code="WEB", title="Design",
                                due=date(2026, 4, 15), owner="na")
    plans.write_plan(session, actor=people.wei, now=clock.now(), code="web", content="Build the site",
                     resources="wei, na; 5000")
    second = plans.write_plan(session, actor=people.wei, now=clock.now(), code="WEB", content="Build it, test it")
    assert second.version == 2 and second.approved_at is None
    with pytest.raises(NotAllowed, match="nobody may approve the plan of their own project"):
        plans.approve_plan(session, actor=people.wei, now=clock.now(), code="WEB")
    with pytest.raises(NotAllowed):
        plans.approve_plan(session, actor=people.na, now=clock.now(), code="WEB")
    approved = plans.approve_plan(session, actor=people.mona, now=clock.now(), code="WEB", comment="fine")
    assert (approved.version, approved.approved_by_id) == (2, people.mona.id)
    assert first.baseline_due == date(2026, 4, 15)
    with pytest.raises(Conflict, match="version 2 of the plan of WEB is approved already"):
        plans.approve_plan(session, actor=people.mona, now=clock.now(), code="WEB")

    plans.move_milestone(session, actor=people.wei, now=clock.now(), code="WEB", milestone_id=pk(first),
                         due=date(2026, 4, 25), reason="the designer is ill")
    late = plans.add_milestone(session, actor=people.wei, now=clock.now(), code="WEB", title="Launch",
                               due=date(2026, 6, 1))
    rows = {row["title"]: row for row in plans.milestone_rows(session, active_web, today=TODAY)}
    assert (rows["Design"]["baseline_due"], rows["Design"]["due"], rows["Design"]["slip_days"]) == \
        (date(2026, 4, 15), date(2026, 4, 25), 10)
    assert (rows["Launch"]["baseline_due"], rows["Launch"]["slip_days"]) == (None, None)  # not in the baseline yet
    assert late.owner_id == people.wei.id  # the project's owner by default
    versions = plans.plan_versions(session, viewer=people.sam, code="WEB")["versions"]
    assert [(v["version"], v["status"], v["approved_by"]) for v in versions] == [(2, "approved", "mona"),
                                                                              (1, "draft", None)]
    history = [h["text"] for h in project_details(session, "WEB", viewer=people.wei, today=TODAY)["history"]]
    assert "milestone #1 Design: 2026-04-15 → 2026-04-25: the designer is ill" in history
    assert "plan version 2 approved; baseline of 1 milestone(s): fine" in history


def test_the_plan_waits_for_the_proposal(session: Session, people: People, clock: FixedClock) -> None:
    pj.new_project(session, actor=people.wei, now=clock.now(), code="NEW", name="New")
    with pytest.raises(NotFound, match="NEW has no plan yet"):
        plans.approve_plan(session, actor=people.mona, now=clock.now(), code="NEW")
    plans.write_plan(session, actor=people.wei, now=clock.now(), code="NEW", content="Do it")
    with pytest.raises(Conflict, match="its plan is approved once the proposal is"):
        plans.approve_plan(session, actor=people.mona, now=clock.now(), code="NEW")


@pytest.mark.parametrize(("due", "problem"), [
    (date(2026, 2, 28), "before WEB starts (2026-03-01)"),
    (date(2026, 7, 1), "after WEB is due (2026-06-30)"),
])
def test_a_milestone_outside_the_projects_dates_is_refused(
    session: Session, people: People, clock: FixedClock, active_web: Project, due: date, problem: str
) -> None:
    with pytest.raises(InvalidInput, match=re.escape(problem)):
        plans.add_milestone(session, actor=people.wei, now=clock.now(), code="WEB", title="Out", due=due)
    milestone = plans.add_milestone(session, actor=people.wei, now=clock.now(), code="WEB", title="In",
                                    due=date(2026, 6, 30))
    with pytest.raises(InvalidInput, match=re.escape(problem)):
        plans.move_milestone(session, actor=people.wei, now=clock.now(), code="WEB", milestone_id=pk(milestone),
                             due=due, reason="why not")
    assert milestone.due == date(2026, 6, 30)


def test_who_may_plan_and_reach_milestones(
    session: Session, people: People, clock: FixedClock, active_web: Project
) -> None:
    with pytest.raises(NotAllowed, match="only its owner, the owner's manager"):
        plans.add_milestone(session, actor=people.sam, now=clock.now(), code="WEB", title="X", due=date(2026, 4, 1))
    milestone = plans.add_milestone(session, actor=people.wei, now=clock.now(), code="WEB", title="Design",
                                    due=date(2026, 3, 10), owner="na")
    with pytest.raises(InvalidInput, match="say why"):
        plans.move_milestone(session, actor=people.wei, now=clock.now(), code="WEB", milestone_id=pk(milestone),
                             due=date(2026, 3, 20), reason=" ")
    with pytest.raises(NotAllowed):
        plans.milestone_done(session, actor=people.sam, now=clock.now(), today=TODAY, code="WEB",
                             milestone_id=pk(milestone))
    assert plans.milestone_rows(session, active_web, today=TODAY)[0]["status"] == "overdue"
    done = plans.milestone_done(session, actor=people.na, now=clock.now(), today=TODAY, code="WEB",
                                milestone_id=pk(milestone))
    assert done.done_on == TODAY
    with pytest.raises(Conflict, match="reached on 2026-03-18 already"):
        plans.milestone_done(session, actor=people.na, now=clock.now(), today=TODAY, code="WEB",
                             milestone_id=pk(milestone))
    with pytest.raises(NotFound, match="WEB has no milestone #99"):
        plans.milestone_done(session, actor=people.na, now=clock.now(), today=TODAY, code="WEB", milestone_id=99)


def test_tasks_belong_to_a_milestone_of_their_own_project(
    session: Session, people: People, clock: FixedClock, active_web: Project
) -> None:
    milestone = plans.add_milestone(session, actor=people.wei, now=clock.now(), code="WEB", title="Design",
                                    due=date(2026, 4, 1))
    task = tk.add_task(session, actor=people.wei, now=clock.now(), today=TODAY, title="Mock-ups", project="WEB",
                       milestone=pk(milestone))
    tk.add_task(session, actor=people.wei, now=clock.now(), today=TODAY, title="Sketch", project="WEB",
                milestone=pk(milestone))
    with pytest.raises(InvalidInput, match="milestone #1 belongs to project WEB"):
        tk.add_task(session, actor=people.wei, now=clock.now(), today=TODAY, title="Loose", milestone=pk(milestone))
    ts.change_task_status(session, actor=people.wei, now=clock.now(), task_id=pk(task), step="done")
    row = plans.milestone_rows(session, active_web, today=TODAY)[0]
    assert (row["open_tasks"], row["done_tasks"]) == (1, 1)
    assert tk.task_row(session, task)["milestone_id"] == milestone.id
    moved = ts.edit_task(session, actor=people.wei, now=clock.now(), task_id=pk(task), project=None)
    assert moved.milestone_id is None  # the milestone stays with the project the task left
    with pytest.raises(InvalidInput, match="belongs to project WEB"):
        ts.edit_task(session, actor=people.wei, now=clock.now(), task_id=pk(task), milestone=pk(milestone))
    again = ts.edit_task(session, actor=people.wei, now=clock.now(), task_id=pk(task), project="WEB",
                         milestone=pk(milestone))
    assert again.milestone_id == milestone.id


def test_new_project_dates_keep_the_open_milestones_within_them(
    session: Session, people: People, clock: FixedClock, active_web: Project
) -> None:
    plans.add_milestone(session, actor=people.wei, now=clock.now(), code="WEB", title="Launch", due=date(2026, 6, 1))
    with pytest.raises(InvalidInput, match="milestone #1 Launch is due on 2026-06-01, outside 2026-03-01 – 2026-05-31"):
        pj.edit_project(session, actor=people.wei, now=clock.now(), code="WEB", due=date(2026, 5, 31))
    assert active_web.due == date(2026, 6, 30)
    assert pj.edit_project(session, actor=people.wei, now=clock.now(), code="WEB", due=date(2026, 6, 1)).due == \
        date(2026, 6, 1)
