"""The project lifecycle on the services: steps, who may take them, history, rounds,
progress, and the archive being read-only."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session

from opsctl.clock import FixedClock
from opsctl.errors import Conflict, InvalidInput, NotAllowed, NotFound
from opsctl.services.audit import list_entries
from opsctl.services.people import get_person
from opsctl.services.projects import closing as pc
from opsctl.services.projects import lifecycle as pj
from opsctl.services.projects import members as pm
from opsctl.services.projects.overview import list_projects, project_details
from opsctl.services.tasks import core as tk
from opsctl.services.tasks import steps as ts
from tests.conftest import TEST_DATABASE_URL, People, pk

TODAY = date(2026, 3, 18)  # the conftest clock


@pytest.fixture
def web(session: Session, people: People, clock: FixedClock) -> Any:
    """WEB, proposed by wei (Ops, managed by mona), with na as a member."""
    project = pj.new_project(session, actor=people.wei, now=clock.now(), code="web", name="Website",
                             start=date(2026, 3, 1), due=date(2026, 6, 30), budget=5000, goal="A new site")
    pm.add_member(session, actor=people.wei, now=clock.now(), code="WEB", login="na")
    session.commit()
    return project


def _active(session: Session, people: People, clock: FixedClock) -> None:
    pj.approve_project(session, actor=people.mona, now=clock.now(), code="WEB", comment="go")
    pj.start_project(session, actor=people.wei, now=clock.now(), code="WEB")


def test_the_whole_lifecycle_with_a_failed_review_is_in_the_history(
    session: Session, people: People, clock: FixedClock, web: Any
) -> None:
    assert web.code == "WEB" and web.status == "proposed" and web.team_id == people.wei.team_id
    _active(session, people, clock)
    clock.advance(days=1)
    pj.submit_project(session, actor=people.wei, now=clock.now(), code="web", summary="site is live")
    failed = pj.review_project(session, actor=people.mona, now=clock.now(), code="WEB", passed=False,
                               report="no accessibility check")
    assert (failed.status, failed.round, failed.rework_notes) == ("active", 1, "no accessibility check")
    pj.submit_project(session, actor=people.wei, now=clock.now(), code="WEB", summary="checked with axe")
    passed = pj.review_project(session, actor=people.mona, now=clock.now(), code="WEB", passed=True,
                               report="fine")
    assert (passed.status, passed.round, passed.rework_notes) == ("accepted", 2, None)
    pc.archive_project(session, actor=people.wei, now=clock.now(), code="WEB", force=True)

    data = project_details(session, "WEB", viewer=people.wei, today=TODAY)
    steps = [(h["login"], h["step"], h["from_status"], h["to_status"], h["text"], h["round"])
             for h in data["history"]]
    assert steps == [
        ("wei", "propose", None, "proposed", "A new site", 0),
        ("mona", "approve", "proposed", "approved", "go", 0),
        ("wei", "start", "approved", "active", None, 0),
        ("wei", "submit", "active", "in_review", "site is live", 1),
        ("mona", "fail", "in_review", "active", "no accessibility check", 1),
        ("wei", "submit", "active", "in_review", "checked with axe", 2),
        ("mona", "pass", "in_review", "accepted", "fine", 2),
        ("wei", "archive", "accepted", "archived", "archived without an acceptance report and a lessons review", 2),
    ]
    assert [(r["round"], r["result"], r["reviewer"], r["report"]) for r in data["rounds"]] == [
        (1, "failed", "mona", "no accessibility check"), (2, "passed", "mona", "fine"),
    ]
    assert data["history"][3]["at"] == clock.now()
    assert data["next_steps"] == []


def test_a_step_the_status_does_not_allow_names_the_status_and_the_allowed_steps(
    session: Session, people: People, clock: FixedClock, web: Any
) -> None:
    with pytest.raises(Conflict, match="it is proposed; from proposed the allowed steps are: approve, cancel"):
        pj.start_project(session, actor=people.wei, now=clock.now(), code="WEB")
    _active(session, people, clock)
    with pytest.raises(Conflict, match="from active the allowed steps are: submit, cancel"):
        pj.review_project(session, actor=people.mona, now=clock.now(), code="WEB", passed=True, report="x")
    pc.cancel_project(session, actor=people.wei, now=clock.now(), code="WEB", reason="no budget")
    with pytest.raises(Conflict, match="from cancelled the allowed steps are: archive"):
        pj.approve_project(session, actor=people.mona, now=clock.now(), code="WEB")


@pytest.mark.parametrize("login", ["na", "leo", "wei", "hana"])
def test_only_the_manager_side_approves(
    session: Session, people: People, clock: FixedClock, web: Any, login: str
) -> None:
    # na is a member, leo a lead who does not manage wei, wei the owner, hana HR.
    with pytest.raises(NotAllowed):
        pj.approve_project(session, actor=people.by_login[login], now=clock.now(), code="WEB")
    assert pj.get_project(session, "WEB").status == "proposed"


def test_the_owners_manager_any_manager_or_an_admin_may_approve(
    session: Session, people: People, clock: FixedClock
) -> None:
    for i, approver in enumerate(("mona", "ada")):
        pj.new_project(session, actor=people.na, now=clock.now(), code=f"P{i}", name="x")
        assert pj.approve_project(session, actor=people.by_login[approver], now=clock.now(),
                                  code=f"P{i}").status == "approved"
    entries = list_entries(session, viewer=people.ada, action="project.approve")
    assert {(e["actor"], e["login"], e["entity_id"]) for e in entries} == {("mona", "na", "P0"), ("ada", "na", "P1")}


def test_the_owner_submits_and_a_reviewer_may_review(
    session: Session, people: People, clock: FixedClock, web: Any
) -> None:
    _active(session, people, clock)
    with pytest.raises(NotAllowed, match="only the owner of WEB"):
        pj.submit_project(session, actor=people.mona, now=clock.now(), code="WEB", summary="x")
    pj.submit_project(session, actor=people.wei, now=clock.now(), code="WEB", summary="done")
    with pytest.raises(NotAllowed):
        pj.review_project(session, actor=people.na, now=clock.now(), code="WEB", passed=True, report="ok")
    pm.add_member(session, actor=people.wei, now=clock.now(), code="WEB", login="sam", role="reviewer")
    assert pj.review_project(session, actor=people.sam, now=clock.now(), code="WEB", passed=True,
                             report="ok").status == "accepted"


def test_submitting_with_open_tasks_lists_them_and_needs_force(
    session: Session, people: People, clock: FixedClock, web: Any
) -> None:
    _active(session, people, clock)
    done = tk.add_task(session, actor=people.wei, now=clock.now(), today=TODAY, title="Design", project="WEB")
    ts.done_task(session, actor=people.wei, now=clock.now(), task_id=pk(done))
    left = tk.add_task(session, actor=people.wei, now=clock.now(), today=TODAY, title="Copy", project="WEB",
                       assignee="na")
    with pytest.raises(Conflict) as refused:
        pj.submit_project(session, actor=people.wei, now=clock.now(), code="WEB", summary="done")
    assert f"1 open task(s): #{left.id} Copy (na, todo)" in refused.value.message
    assert "--force" in refused.value.message
    assert pj.get_project(session, "WEB").status == "active"
    forced = pj.submit_project(session, actor=people.wei, now=clock.now(), code="WEB", summary="done", force=True)
    assert forced.status == "in_review"
    history = project_details(session, "WEB", viewer=people.wei, today=TODAY)["history"]
    assert f"open tasks: #{left.id}" in history[-1]["text"]


def test_an_archived_project_is_read_only(session: Session, people: People, clock: FixedClock, web: Any) -> None:
    _active(session, people, clock)
    task = tk.add_task(session, actor=people.wei, now=clock.now(), today=TODAY, title="t", project="WEB")
    ts.done_task(session, actor=people.wei, now=clock.now(), task_id=pk(task))
    pj.submit_project(session, actor=people.wei, now=clock.now(), code="WEB", summary="s")
    pj.review_project(session, actor=people.mona, now=clock.now(), code="WEB", passed=True, report="r")
    pc.archive_project(session, actor=people.mona, now=clock.now(), code="WEB", force=True)
    now = clock.now()
    writes = [
        lambda: pc.cancel_project(session, actor=people.ada, now=now, code="WEB"),
        lambda: pm.add_member(session, actor=people.ada, now=now, code="WEB", login="sam"),
        lambda: tk.add_task(session, actor=people.ada, now=now, today=TODAY, title="late", project="WEB"),
        lambda: ts.reopen_task(session, actor=people.ada, now=now, task_id=pk(task)),
        lambda: ts.edit_task(session, actor=people.ada, now=now, task_id=pk(task), title="renamed"),
        lambda: ts.edit_task(session, actor=people.ada, now=now, task_id=pk(task), project=None),
        lambda: pj.edit_project(session, actor=people.ada, now=now, code="WEB", due=None),
        lambda: pm.remove_member(session, actor=people.ada, now=now, code="WEB", login="na"),
    ]
    for write in writes:
        with pytest.raises(Conflict, match="WEB is archived and read-only"):
            write()
    assert tk.get_task(session, pk(task)).title == "t"


def test_cancelling_a_project_cancels_its_open_tasks_as_task_cancel_would(
    session: Session, people: People, clock: FixedClock, web: Any
) -> None:
    _active(session, people, clock)

    def add(title: str, **extra: Any) -> Any:
        return tk.add_task(session, actor=people.wei, now=clock.now(), today=TODAY, title=title, project="WEB",
                           **extra)

    finished, copy, own, stuck, nobodys = (add("Design", assignee="na"), add("Copy", assignee="na"),
                                           add("Deploy", assignee="wei"), add("DNS", assignee="sam"), add("Logo"))
    ts.done_task(session, actor=people.na, now=clock.now(), task_id=finished.id)
    ts.start_task(session, actor=people.wei, now=clock.now(), task_id=own.id)
    ts.block_task(session, actor=people.sam, now=clock.now(), task_id=stuck.id, reason="waiting for IT")
    clock.advance(days=1)
    done_at, now = finished.done_at, clock.now()

    cancelled = pc.cancel_project(session, actor=people.wei, now=now, code="web", reason="no budget")

    assert cancelled.project.status == "cancelled"
    assert [t.id for t in cancelled.tasks] == [copy.id, own.id, stuck.id, nobodys.id]
    assert cancelled.text() == f"Cancelled 4 open tasks of WEB: #{copy.id}, #{own.id}, #{stuck.id}, #{nobodys.id}."
    for task in cancelled.tasks:
        assert (task.status, task.done_at, task.blocked_reason, task.updated_at) == ("cancelled", None, None, now)
    assert (finished.status, finished.done_at) == ("done", done_at)  # closed tasks stay as they were
    assert tk.list_tasks(session, viewer=people.wei, today=TODAY, project="WEB") == []
    # audited as `task cancel` by wei would be: the tasks of na and sam, not wei's own or the one wei created
    entries = list_entries(session, viewer=people.ada, action="task.cancel")
    assert sorted((e["entity_id"], e["actor"], e["login"], e["details"]["reason"]) for e in entries) == [
        (str(copy.id), "wei", "na", "project WEB cancelled"), (str(stuck.id), "wei", "sam", "project WEB cancelled"),
    ]
    assert _history_line(session) == (
        "wei", "cancel", "cancelled",
        f"no budget (cancelled its open tasks: #{copy.id}, #{own.id}, #{stuck.id}, #{nobodys.id})")
    assert pc.archive_project(session, actor=people.wei, now=now, code="WEB", force=True).status == "archived"


def test_cancelling_a_project_without_open_tasks_keeps_the_reason_as_it_was(
    session: Session, people: People, clock: FixedClock, web: Any
) -> None:
    cancelled = pc.cancel_project(session, actor=people.mona, now=clock.now(), code="WEB", reason="merged into NET")
    assert (cancelled.tasks, cancelled.text()) == ((), None)
    assert _history_line(session) == ("mona", "cancel", "cancelled", "merged into NET")


def test_whoever_may_cancel_a_project_cancels_its_tasks_too(
    session: Session, people: People, clock: FixedClock
) -> None:
    # na manages sam, so na may cancel sam's project, though not wei's task in it on its own
    people.sam.manager_id = people.na.id
    pj.new_project(session, actor=people.sam, now=clock.now(), code="DEV", name="Dev tools")
    task = tk.add_task(session, actor=people.sam, now=clock.now(), today=TODAY, title="CI", project="DEV",
                       assignee="wei")
    with pytest.raises(NotAllowed):
        ts.cancel_task(session, actor=people.na, now=clock.now(), task_id=pk(task))
    assert [t.id for t in pc.cancel_project(session, actor=people.na, now=clock.now(), code="DEV").tasks] == [task.id]
    assert task.status == "cancelled"
    assert _history_line(session, "DEV")[3] == f"cancelled its open tasks: #{task.id}"


def test_a_refused_cancellation_leaves_the_tasks_open(
    session: Session, people: People, clock: FixedClock, web: Any
) -> None:
    _active(session, people, clock)
    task = tk.add_task(session, actor=people.wei, now=clock.now(), today=TODAY, title="Copy", project="WEB",
                       assignee="na")
    with pytest.raises(NotAllowed, match="na may not cancel project WEB"):
        pc.cancel_project(session, actor=people.na, now=clock.now(), code="WEB")
    assert (task.status, pj.get_project(session, "WEB").status) == ("todo", "active")


def test_an_accepted_project_with_open_tasks_is_not_archived_until_they_are_closed(
    session: Session, people: People, clock: FixedClock, web: Any
) -> None:
    _active(session, people, clock)
    left = tk.add_task(session, actor=people.wei, now=clock.now(), today=TODAY, title="Copy", project="WEB",
                       assignee="na")
    pj.submit_project(session, actor=people.wei, now=clock.now(), code="WEB", summary="done", force=True)
    pj.review_project(session, actor=people.mona, now=clock.now(), code="WEB", passed=True, report="fine")
    with pytest.raises(Conflict) as refused:
        pc.archive_project(session, actor=people.wei, now=clock.now(), code="WEB")
    assert refused.value.message == (
        f"project WEB still has 1 open task(s): #{left.id} Copy (na, todo); an archived project is read-only, so "
        "finish or cancel them first (`opsctl task done ID`, `opsctl task cancel ID`)"
    )
    assert pj.get_project(session, "WEB").status == "accepted"
    with pytest.raises(NotAllowed):  # who may not archive learns nothing about the tasks
        pc.archive_project(session, actor=people.na, now=clock.now(), code="WEB")
    ts.cancel_task(session, actor=people.wei, now=clock.now(), task_id=pk(left))  # possible: not archived yet
    assert pc.archive_project(session, actor=people.wei, now=clock.now(), code="WEB", force=True).status == "archived"


def test_new_project_input(session: Session, people: People, clock: FixedClock, web: Any) -> None:
    now = clock.now()
    with pytest.raises(Conflict, match="WEB already exists"):
        pj.new_project(session, actor=people.na, now=now, code="Web", name="Again")
    with pytest.raises(InvalidInput, match="at most 200"):
        pj.new_project(session, actor=people.na, now=now, code="LONG", name="x" * 201)
    with pytest.raises(InvalidInput, match="not a project code"):
        pj.new_project(session, actor=people.na, now=now, code="no spaces", name="x")
    with pytest.raises(InvalidInput, match="before the start date"):
        pj.new_project(session, actor=people.na, now=now, code="X", name="x", start=TODAY, due=TODAY - timedelta(1))
    with pytest.raises(NotFound, match="ghost"):
        pj.new_project(session, actor=people.leo, now=now, code="X", name="x", owner="ghost")
    with pytest.raises(NotAllowed):
        pj.new_project(session, actor=people.na, now=now, code="X", name="x", owner="wei")
    with pytest.raises(NotFound, match="no project with code 'NOPE'"):
        pj.approve_project(session, actor=people.mona, now=now, code="NOPE")
    for_wei = pj.new_project(session, actor=people.leo, now=now, code="X", name="x", owner="wei")
    assert for_wei.owner_id == people.wei.id
    assert list_entries(session, viewer=people.ada, action="project.new")[0]["login"] == "wei"


def test_members_and_roles(session: Session, people: People, clock: FixedClock, web: Any) -> None:
    now = clock.now()
    with pytest.raises(Conflict, match="na is already a member"):
        pm.add_member(session, actor=people.wei, now=now, code="WEB", login="na")
    with pytest.raises(Conflict, match="owns WEB"):
        pm.add_member(session, actor=people.mona, now=now, code="WEB", login="wei")
    with pytest.raises(NotAllowed):
        pm.add_member(session, actor=people.na, now=now, code="WEB", login="sam")
    with pytest.raises(InvalidInput, match="roles: member, reviewer"):
        pm.add_member(session, actor=people.wei, now=now, code="WEB", login="sam", role="boss")
    assert pm.add_member(session, actor=people.wei, now=now, code="WEB", login="na", role="reviewer").role == "reviewer"


def test_progress_members_and_overdue_tasks(session: Session, people: People, clock: FixedClock, web: Any) -> None:
    _active(session, people, clock)
    now = clock.now()

    def add(title: str, hours: float | None, **extra: Any) -> int:
        return tk.add_task(session, actor=people.wei, now=now, today=TODAY, title=title, project="WEB",
                           estimate_hours=hours, **extra).id  # type: ignore[return-value]

    done = add("a", 6, assignee="na")
    ts.done_task(session, actor=people.na, now=now, task_id=done)
    late = add("b", 2, assignee="sam", due=TODAY - timedelta(days=2))
    add("c", None, due=TODAY, assignee="wei")
    dropped = add("d", 10)
    ts.cancel_task(session, actor=people.wei, now=now, task_id=dropped)
    data = project_details(session, "web", viewer=people.wei, today=TODAY)
    assert (data["tasks_done"], data["tasks_total"], data["progress_pct"]) == (1, 3, 33.3)
    assert (data["hours_done"], data["hours_total"], data["progress_by_estimate_pct"]) == (6.0, 8.0, 75.0)
    assert data["tasks_without_estimate"] == 1 and data["tasks_overdue"] == 1
    assert [t["id"] for t in data["overdue_tasks"]] == [late]
    assert [(m["login"], m["role"], m["open_tasks"], m["done_tasks"]) for m in data["members"]] == [
        ("wei", "owner", 1, 0), ("na", "member", 0, 1), ("sam", "member", 1, 0),
    ]


def test_list_projects_hides_the_archive_and_filters(
    session: Session, people: People, clock: FixedClock, web: Any
) -> None:
    now = clock.now()
    pj.new_project(session, actor=people.sam, now=now, code="OLD", name="Old")
    pc.cancel_project(session, actor=people.sam, now=now, code="OLD")
    pc.archive_project(session, actor=people.sam, now=now, code="OLD", force=True)
    pj.new_project(session, actor=people.sam, now=now, code="DEV", name="Dev")
    _active(session, people, clock)
    codes = [r["code"] for r in list_projects(session, viewer=people.na, today=TODAY)]
    assert codes == ["WEB", "DEV"]  # active before proposed
    assert "OLD" in [r["code"] for r in list_projects(session, viewer=people.na, today=TODAY, include_archived=True)]
    assert [r["code"] for r in list_projects(session, viewer=people.na, today=TODAY, mine=True)] == ["WEB"]
    assert [r["code"] for r in list_projects(session, viewer=people.na, today=TODAY, status="archived")] == ["OLD"]
    with pytest.raises(InvalidInput, match="statuses: proposed"):
        list_projects(session, viewer=people.na, today=TODAY, status="done")


def test_stage_tells_rework_and_review_rounds(session: Session, people: People, clock: FixedClock, web: Any) -> None:
    _active(session, people, clock)
    pj.submit_project(session, actor=people.wei, now=clock.now(), code="WEB", summary="s")
    assert list_projects(session, viewer=people.wei, today=TODAY)[0]["stage"] == "in review (round 1)"
    pj.review_project(session, actor=people.mona, now=clock.now(), code="WEB", passed=False, report="r")
    assert list_projects(session, viewer=people.wei, today=TODAY)[0]["stage"] == "rework after round 1"


def _history_line(session: Any, code: str = "WEB") -> tuple[str, str, str, str | None]:
    last = project_details(session, code, viewer=get_person(session, "wei"), today=TODAY)["history"][-1]
    return last["login"], last["step"], last["to_status"], last["text"]


def test_edit_changes_the_plan_and_says_what_changed_in_the_history(
    session: Session, people: People, clock: FixedClock, web: Any
) -> None:
    clock.advance(days=2)
    edited = pj.edit_project(session, actor=people.wei, now=clock.now(), code="web", name="Web shop", team="Dev",
                             due=date(2026, 7, 31), budget=6500.5, goal="  Sell online ")
    assert edited.updated_at == clock.now()
    data = project_details(session, "WEB", viewer=people.wei, today=TODAY)
    assert (data["name"], data["team"], data["start"], data["due"], data["budget"], data["goal"]) == (
        "Web shop", "Dev", date(2026, 3, 1), date(2026, 7, 31), 6500.5, "Sell online")
    assert _history_line(session) == (
        "wei", "edit", "proposed",
        "name Website → Web shop; team Ops → Dev; due 2026-06-30 → 2026-07-31; budget 5000 → 6500.50; "
        "goal A new site → Sell online",
    )
    assert list_entries(session, viewer=people.ada, action="project.edit") == []  # the owner's own project


def test_edit_clears_team_dates_budget_and_goal_with_none(
    session: Session, people: People, clock: FixedClock, web: Any
) -> None:
    pj.edit_project(session, actor=people.wei, now=clock.now(), code="WEB", team=None, start=None, due=None,
                    budget=None, goal="")
    data = project_details(session, "WEB", viewer=people.wei, today=TODAY)
    assert [data[k] for k in ("team", "start", "due", "budget", "goal")] == [None] * 5
    assert data["name"] == "Website"
    assert _history_line(session)[3] == ("team Ops → none; start 2026-03-01 → none; due 2026-06-30 → none; "
                                         "budget 5000 → none; goal A new site → none")


@pytest.mark.parametrize("login", ["mona", "ada"])
def test_the_manager_side_may_edit_and_is_audited(
    session: Session, people: People, clock: FixedClock, web: Any, login: str
) -> None:
    pj.edit_project(session, actor=people.by_login[login], now=clock.now(), code="WEB", due=date(2026, 9, 30))
    [entry] = list_entries(session, viewer=people.ada, action="project.edit")
    assert (entry["actor"], entry["login"], entry["entity_id"]) == (login, "wei", "WEB")
    assert entry["details"] == {"due": ["2026-06-30", "2026-09-30"]}


@pytest.mark.parametrize("login", ["na", "leo", "hana", "sam"])
def test_members_leads_of_other_people_and_hr_may_not_edit(
    session: Session, people: People, clock: FixedClock, web: Any, login: str
) -> None:
    with pytest.raises(NotAllowed, match=f"{login} may not edit project WEB: only its owner"):
        pj.edit_project(session, actor=people.by_login[login], now=clock.now(), code="WEB", name="Mine")
    assert pj.get_project(session, "WEB").name == "Website"


def test_a_new_owner_takes_the_manager_side_and_the_old_owner_stays_on(
    session: Session, people: People, clock: FixedClock, web: Any
) -> None:
    with pytest.raises(NotAllowed, match="wei may not hand project WEB to na: only the owner's manager"):
        pj.edit_project(session, actor=people.wei, now=clock.now(), code="WEB", owner="na")
    assert pj.get_project(session, "WEB").owner_id == people.wei.id
    pj.edit_project(session, actor=people.mona, now=clock.now(), code="WEB", owner="na", due=date(2026, 7, 31))
    members = project_details(session, "WEB", viewer=people.wei, today=TODAY)["members"]
    assert [(m["login"], m["role"]) for m in members] == [("na", "owner"), ("wei", "member")]
    assert _history_line(session) == ("mona", "edit", "proposed", "owner wei → na; due 2026-06-30 → 2026-07-31")
    [entry] = list_entries(session, viewer=people.ada, action="project.edit")
    assert (entry["actor"], entry["login"], entry["details"]["owner"]) == ("mona", "wei", ["wei", "na"])
    with pytest.raises(NotAllowed, match="wei may not edit project WEB"):
        pj.edit_project(session, actor=people.wei, now=clock.now(), code="WEB", name="Back")
    assert pj.edit_project(session, actor=people.na, now=clock.now(), code="WEB", name="Na's site").name == "Na's site"


def test_the_new_owner_must_be_an_active_person(session: Session, people: People, clock: FixedClock, web: Any) -> None:
    from opsctl.services.people.employees import deactivate_person

    deactivate_person(session, actor=people.ada, now=clock.now(), login="sam", left=TODAY)
    with pytest.raises(NotFound, match="no active employee with login 'sam'"):
        pj.edit_project(session, actor=people.mona, now=clock.now(), code="WEB", owner="sam")
    with pytest.raises(NotFound, match="no employee with login 'ghost'"):
        pj.edit_project(session, actor=people.mona, now=clock.now(), code="WEB", owner="ghost")
    with pytest.raises(InvalidInput, match="a project always has an owner"):
        pj.edit_project(session, actor=people.mona, now=clock.now(), code="WEB", owner=" ")


def test_edit_refuses_bad_input(session: Session, people: People, clock: FixedClock, web: Any) -> None:
    now = clock.now()
    refusals: list[tuple[type[Exception], str, dict[str, Any]]] = [
        (InvalidInput, "the due date 2026-02-28 is before the start date 2026-03-01", {"due": date(2026, 2, 28)}),
        (InvalidInput, "the due date 2026-06-30 is before the start date 2026-07-01", {"start": date(2026, 7, 1)}),
        (InvalidInput, "the project name must not be empty", {"name": "  "}),
        (InvalidInput, r"the budget must not be negative \(got -1\)", {"budget": -1.0}),
        (NotFound, r"unknown team 'QA' \(teams: Dev, Ops\)", {"team": "QA"}),
        (InvalidInput, "nothing to change; give at least one of --name, --owner, --team", {}),
        (InvalidInput, "nothing to change", {"name": "Website", "owner": "wei", "due": date(2026, 6, 30)}),
    ]
    for error, message, changes in refusals:
        with pytest.raises(error, match=message):
            pj.edit_project(session, actor=people.wei, now=now, code="WEB", **changes)
    with pytest.raises(NotFound, match="no project with code 'NOPE'"):
        pj.edit_project(session, actor=people.wei, now=now, code="nope", name="x")
    project = pj.get_project(session, "WEB")  # a refused edit changes nothing
    assert (project.name, project.start, project.due, project.budget) == ("Website", date(2026, 3, 1),
                                                                          date(2026, 6, 30), 5000)
    history = project_details(session, "WEB", viewer=people.wei, today=TODAY)["history"]
    assert [h["step"] for h in history] == ["propose"]


def test_accepted_and_cancelled_projects_refuse_edits(
    session: Session, people: People, clock: FixedClock, web: Any
) -> None:
    _active(session, people, clock)
    pj.submit_project(session, actor=people.wei, now=clock.now(), code="WEB", summary="s")
    pj.review_project(session, actor=people.mona, now=clock.now(), code="WEB", passed=True, report="r")
    with pytest.raises(Conflict, match="WEB is accepted, so its details are settled and cannot change; from "
                                       "accepted the allowed steps are: archive"):
        pj.edit_project(session, actor=people.ada, now=clock.now(), code="WEB", due=date(2026, 12, 31))
    pj.new_project(session, actor=people.sam, now=clock.now(), code="DEV", name="Dev")
    pc.cancel_project(session, actor=people.sam, now=clock.now(), code="DEV")
    with pytest.raises(Conflict, match="DEV is cancelled, so its details are settled"):
        pj.edit_project(session, actor=people.sam, now=clock.now(), code="DEV", name="Dev tools")


def test_the_owner_side_removes_members_and_members_may_leave(
    session: Session, people: People, clock: FixedClock, web: Any
) -> None:
    pm.add_member(session, actor=people.wei, now=clock.now(), code="WEB", login="sam", role="reviewer")
    removed = pm.remove_member(session, actor=people.wei, now=clock.now(), code="web", login="na")
    assert (removed.employee_id, removed.role) == (people.na.id, "member")
    pm.remove_member(session, actor=people.sam, now=clock.now(), code="WEB", login="sam")
    members = project_details(session, "WEB", viewer=people.wei, today=TODAY)["members"]
    assert [m["login"] for m in members] == ["wei"]
    assert not pj.is_member(session, pj.get_project(session, "WEB"), people.na)
    entries = list_entries(session, viewer=people.ada, action="project.member.rm")
    assert [(e["actor"], e["login"], e["details"]) for e in entries] == [("wei", "na", {"role": "member"})]


def test_someone_who_has_left_can_be_taken_off(session: Session, people: People, clock: FixedClock, web: Any) -> None:
    from opsctl.services.people.employees import deactivate_person

    deactivate_person(session, actor=people.ada, now=clock.now(), login="na", left=TODAY)
    pm.remove_member(session, actor=people.mona, now=clock.now(), code="WEB", login="na")
    assert [m["login"] for m in project_details(session, "WEB", viewer=people.wei, today=TODAY)["members"]] == ["wei"]


def test_removing_a_member_refuses(session: Session, people: People, clock: FixedClock, web: Any) -> None:
    now = clock.now()
    with pytest.raises(NotAllowed, match=r"sam may not remove members from project WEB: only its owner.*; "
                                         r"members may only take themselves off"):
        pm.remove_member(session, actor=people.sam, now=now, code="WEB", login="na")
    with pytest.raises(NotFound, match=r"sam is not a member of WEB; its members: na \(see `opsctl project show "):
        pm.remove_member(session, actor=people.wei, now=now, code="WEB", login="sam")
    with pytest.raises(Conflict, match="wei owns WEB and is not a member; to hand it over: `opsctl project edit WEB"):
        pm.remove_member(session, actor=people.mona, now=now, code="WEB", login="wei")
    with pytest.raises(NotFound, match="no employee with login 'ghost'"):
        pm.remove_member(session, actor=people.wei, now=now, code="WEB", login="ghost")
    pm.remove_member(session, actor=people.wei, now=now, code="WEB", login="na")
    with pytest.raises(NotFound, match="na is not a member of WEB; it has no members"):
        pm.remove_member(session, actor=people.wei, now=now, code="WEB", login="na")


def test_a_member_with_open_tasks_stays_until_they_are_given_away(
    session: Session, people: People, clock: FixedClock, web: Any
) -> None:
    _active(session, people, clock)
    ids = [pk(tk.add_task(session, actor=people.wei, now=clock.now(), today=TODAY, title=f"t{i}", project="WEB",
                          assignee="na")) for i in range(5)]
    ts.done_task(session, actor=people.na, now=clock.now(), task_id=ids[0])
    with pytest.raises(Conflict) as refused:
        pm.remove_member(session, actor=people.wei, now=clock.now(), code="WEB", login="na")
    assert refused.value.message == (
        f"na still has 4 open task(s) in WEB (#{ids[1]}, #{ids[2]}, #{ids[3]} and 1 more); give them to someone "
        "else with `opsctl task assign ID LOGIN` (or finish or cancel them) first"
    )
    for task_id in ids[1:]:
        ts.assign_task(session, actor=people.wei, now=clock.now(), task_id=task_id, assignee="wei")
    pm.remove_member(session, actor=people.wei, now=clock.now(), code="WEB", login="na")
    assert [m["login"] for m in project_details(session, "WEB", viewer=people.wei, today=TODAY)["members"]] == ["wei"]


@pytest.mark.skipif(bool(TEST_DATABASE_URL), reason="builds its own SQLite file revision by revision")
def test_a_database_from_0001_gets_the_project_tables_and_keeps_its_people(tmp_path: Path) -> None:
    from sqlalchemy import inspect, text

    from opsctl.db import ensure_schema, open_engine, upgrade
    from opsctl.settings import resolve_database

    location = resolve_database(str(tmp_path / "old.db"))
    engine = open_engine(location, create=True)
    upgrade(engine, "0001")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO employee (login, name, role, active, created_at) "
                          "VALUES ('wei', 'Wei', 'member', 1, '2026-01-01 00:00:00')"))
    ensure_schema(engine, location)
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO task (title, created_by_id, status, priority, tags, created_at, updated_at, assignee_id) "
            "VALUES ('carried over', 1, 'todo', 'normal', '', '2026-01-01 00:00:00', '2026-01-01 00:00:00', 1)"))
        assert conn.execute(text("SELECT title FROM task WHERE assignee_id = 1")).scalar_one() == "carried over"
        assert conn.execute(text("SELECT login FROM employee")).scalar_one() == "wei"
    indexes = {ix["name"]: ix["column_names"] for ix in inspect(engine).get_indexes("task")}
    assert indexes["ix_task_assignee_status"] == ["assignee_id", "status"] and indexes["ix_task_due"] == ["due"]
    engine.dispose()
