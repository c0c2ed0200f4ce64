"""Tasks on the services: adding, status steps and their timestamps, who may change a
task, audit, the urgency order and its reasons, filters, the weekly plan, `today`."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, TypedDict, Unpack

import pytest
from sqlmodel import Session

from opsctl.clock import FixedClock
from opsctl.errors import Conflict, InvalidInput, NotAllowed, NotFound
from opsctl.models.people import Employee
from opsctl.models.projects import Task
from opsctl.services.audit import list_entries
from opsctl.services.config import set_setting
from opsctl.services.projects import closing as pc
from opsctl.services.projects import lifecycle as pj
from opsctl.services.tasks import core as tk
from opsctl.services.tasks import steps as ts
from opsctl.services.tasks.plan import week_plan
from tests.conftest import People, pk
from tests.services.conftest import refusal

TODAY = date(2026, 3, 18)  # Wednesday; the conftest clock


@pytest.fixture
def web(session: Session, people: People, clock: FixedClock) -> Any:
    """An active project WEB owned by wei."""
    pj.new_project(session, actor=people.wei, now=clock.now(), code="WEB", name="Website")
    pj.approve_project(session, actor=people.mona, now=clock.now(), code="WEB")
    return pj.start_project(session, actor=people.wei, now=clock.now(), code="WEB")


class TaskOptions(TypedDict, total=False):
    """What ``_add`` passes on to ``add_task`` as given."""

    project: str | None
    assignee: str | None
    due: date | None
    priority: str
    estimate_hours: float | None
    tags: list[str] | None


def _add(session: Session, people: People, clock: FixedClock, title: str = "Task", actor: str = "wei",
         **options: Unpack[TaskOptions]) -> Task:
    return tk.add_task(session, actor=people.by_login[actor], now=clock.now(), today=TODAY, title=title, **options)


def test_a_new_task_and_its_assignee_joining_the_project(
    session: Session, people: People, clock: FixedClock, web: Any
) -> None:
    task = _add(session, people, clock, "  Write   the copy ", project="web", assignee="na", due=TODAY,
                priority="HIGH", estimate_hours=4, tags=["Content", "web,copy", "content"])
    row = tk.task_row(session, task, today=TODAY)
    assert row == row | {
        "id": task.id, "title": "Write the copy", "status": "todo", "priority": "high", "due": TODAY,
        "login": "na", "assignee_name": "李娜", "project": "WEB", "estimate_hours": 4.0,
        "tags": ["content", "web", "copy"], "created_by": "wei", "done_at": None, "why": "due today",
    }
    assert pj.is_member(session, web, people.na)
    assert list_entries(session, viewer=people.ada, action="task.add")[0]["login"] == "na"


@pytest.mark.parametrize(("options", "error", "text"), [
    ({"title": " "}, InvalidInput, "must not be empty"),
    ({"priority": "asap"}, InvalidInput, "priorities: low, normal, high, urgent"),
    ({"estimate_hours": 0}, InvalidInput, "more than 0"),
    ({"tags": ["two words"]}, InvalidInput, "not a tag"),
    ({"assignee": "ghost"}, NotFound, "ghost"),
    ({"project": "NOPE"}, NotFound, "NOPE"),
    ({"project": "WEB", "actor": "sam"}, NotAllowed, "not a member of project WEB"),
])
def test_bad_new_tasks(
    session: Session, people: People, clock: FixedClock, web: Any, options: dict[str, Any], error: type[Exception],
    text: str
) -> None:
    with pytest.raises(error, match=text):
        _add(session, people, clock, **({"title": "x"} | options))


def test_closed_projects_take_no_new_tasks(session: Session, people: People, clock: FixedClock, web: Any) -> None:
    pc.cancel_project(session, actor=people.wei, now=clock.now(), code="WEB")
    with pytest.raises(Conflict, match="WEB is cancelled; it takes no new tasks"):
        _add(session, people, clock, project="WEB")


def test_status_steps_keep_their_timestamps_meaningful(session: Session, people: People, clock: FixedClock) -> None:
    task = _add(session, people, clock, assignee="wei")
    started = clock.now()
    ts.start_task(session, actor=people.wei, now=started, task_id=pk(task))
    clock.advance(hours=2)
    ts.block_task(session, actor=people.wei, now=clock.now(), task_id=pk(task), reason="waiting  for  DNS")
    assert (task.status, task.blocked_reason) == ("blocked", "waiting for DNS")
    clock.advance(hours=2)
    ts.start_task(session, actor=people.wei, now=clock.now(), task_id=pk(task))
    assert (task.status, task.blocked_reason, task.started_at) == ("in_progress", None, started)
    clock.advance(hours=2)
    ts.done_task(session, actor=people.wei, now=clock.now(), task_id=pk(task))
    assert (task.status, task.done_at) == ("done", clock.now())
    ts.reopen_task(session, actor=people.wei, now=clock.now(), task_id=pk(task))
    assert (task.status, task.done_at) == ("todo", None)
    ts.cancel_task(session, actor=people.wei, now=clock.now(), task_id=pk(task))
    assert (task.status, task.done_at) == ("cancelled", None)


def test_a_step_the_status_does_not_allow(session: Session, people: People, clock: FixedClock) -> None:
    task = _add(session, people, clock, assignee="wei")
    ts.done_task(session, actor=people.wei, now=clock.now(), task_id=pk(task))
    with pytest.raises(Conflict, match=rf"cannot start task #{task.id}: it is done; from done the allowed steps "
                                       "are: reopen, edit"):
        ts.start_task(session, actor=people.wei, now=clock.now(), task_id=pk(task))
    with pytest.raises(Conflict, match="it is done"):
        ts.assign_task(session, actor=people.wei, now=clock.now(), task_id=pk(task), assignee="na")
    with pytest.raises(InvalidInput, match="--reason"):
        ts.block_task(session, actor=people.wei, now=clock.now(),
                      task_id=pk(_add(session, people, clock)), reason=" ")
    with pytest.raises(NotFound, match="no task #999"):
        ts.done_task(session, actor=people.wei, now=clock.now(), task_id=999)


def test_who_may_change_a_task_and_what_is_audited(session: Session, people: People, clock: FixedClock) -> None:
    task = _add(session, people, clock, assignee="wei", actor="wei")
    with pytest.raises(NotAllowed, match="na may not finish task"):
        ts.done_task(session, actor=people.na, now=clock.now(), task_id=pk(task))
    ts.start_task(session, actor=people.wei, now=clock.now(), task_id=pk(task))  # own task: not audited
    ts.block_task(session, actor=people.leo, now=clock.now(), task_id=pk(task), reason="r")  # a lead
    ts.done_task(session, actor=people.mona, now=clock.now(), task_id=pk(task))  # wei's manager
    entries = list_entries(session, viewer=people.ada, action="task.")
    assert [(e["actor"], e["action"], e["login"]) for e in entries] == [
        ("mona", "task.done", "wei"), ("leo", "task.block", "wei"),
    ]
    assert entries[0]["details"] == {"from": "blocked", "to": "done", "reason": None}


def test_assign_moves_the_task_and_audits_it(session: Session, people: People, clock: FixedClock, web: Any) -> None:
    task = _add(session, people, clock, project="WEB", assignee="wei")
    with pytest.raises(Conflict, match="already assigned to wei"):
        ts.assign_task(session, actor=people.wei, now=clock.now(), task_id=pk(task), assignee="wei")
    with pytest.raises(NotFound):
        ts.assign_task(session, actor=people.wei, now=clock.now(), task_id=pk(task), assignee="ghost")
    ts.assign_task(session, actor=people.wei, now=clock.now(), task_id=pk(task), assignee="sam")
    assert tk.task_row(session, task)["login"] == "sam"
    assert pj.is_member(session, web, people.sam)
    entry = list_entries(session, viewer=people.ada, action="task.assign")[0]
    assert (entry["actor"], entry["login"], entry["details"]) == ("wei", "sam", {"from": "wei", "to": "sam"})


def test_edit_changes_only_what_is_given(session: Session, people: People, clock: FixedClock, web: Any) -> None:
    task = _add(session, people, clock, assignee="na", due=TODAY, estimate_hours=2)
    ts.edit_task(session, actor=people.leo, now=clock.now(), task_id=pk(task), title="New", due=None,
                 estimate_hours=None, priority="urgent", tags=["x"], project="WEB")
    row = tk.task_row(session, task)
    assert (row["title"], row["due"], row["estimate_hours"], row["priority"], row["tags"], row["project"]) == (
        "New", None, None, "urgent", ["x"], "WEB")
    assert list_entries(session, viewer=people.ada, action="task.edit")[0]["details"]["due"] == ["2026-03-18", None]
    with pytest.raises(InvalidInput, match="nothing to change"):
        ts.edit_task(session, actor=people.na, now=clock.now(), task_id=pk(task), title="New")


def test_lists_are_sorted_by_urgency_and_say_why(session: Session, people: People, clock: FixedClock) -> None:
    def add(title: str, **options: Any) -> None:
        _add(session, people, clock, title, assignee="wei", **options)

    add("later, normal", due=TODAY + timedelta(days=10))
    add("no due, low", priority="low")
    add("urgent, no due", priority="urgent")
    add("due in 2 days", due=TODAY + timedelta(days=2))
    add("due today", due=TODAY)
    add("overdue 1 day, urgent", due=TODAY - timedelta(days=1), priority="urgent")
    add("overdue 3 days, low", due=TODAY - timedelta(days=3), priority="low")
    add("high, later", due=TODAY + timedelta(days=20), priority="high")
    blocked = _add(session, people, clock, "blocked and overdue", assignee="wei", due=TODAY - timedelta(days=5))
    ts.block_task(session, actor=people.wei, now=clock.now(), task_id=pk(blocked), reason="vendor")
    done = _add(session, people, clock, "finished", assignee="wei")
    ts.done_task(session, actor=people.wei, now=clock.now(), task_id=pk(done))

    rows = tk.list_tasks(session, viewer=people.wei, today=TODAY, assignee=people.wei, include_closed=True)
    assert [(r["title"], r["why"]) for r in rows] == [
        ("overdue 3 days, low", "overdue 3d"),
        ("overdue 1 day, urgent", "overdue 1d"),
        ("due today", "due today"),
        ("due in 2 days", "due in 2d"),
        ("urgent, no due", "urgent"),
        ("high, later", "high priority"),
        ("later, normal", ""),
        ("no due, low", ""),
        ("blocked and overdue", "blocked: vendor · overdue 5d"),
        ("finished", "done"),
    ]
    open_ones = tk.list_tasks(session, viewer=people.wei, today=TODAY, assignee=people.wei)
    assert "finished" not in [r["title"] for r in open_ones]


def test_list_filters(session: Session, people: People, clock: FixedClock, web: Any) -> None:
    late = _add(session, people, clock, "late", assignee="na", due=TODAY - timedelta(days=1), tags=["ops"])
    eow = _add(session, people, clock, "eow", assignee="wei", due=date(2026, 3, 22), project="WEB")
    _add(session, people, clock, "later", assignee="wei", due=date(2026, 3, 23))

    def ids(**filters: Any) -> list[int]:
        return [r["id"] for r in tk.list_tasks(session, viewer=people.sam, today=TODAY, **filters)]

    assert ids(overdue=True) == [late.id]
    assert ids(due_before=date(2026, 3, 22)) == [late.id, eow.id]  # on or before
    assert ids(project="web") == [eow.id]
    assert ids(tag="OPS") == [late.id]
    assert ids(assignee=people.na) == [late.id]
    ts.done_task(session, actor=people.na, now=clock.now(), task_id=pk(late))
    assert ids(statuses=["done,cancelled"]) == [late.id]
    with pytest.raises(InvalidInput, match="statuses: todo, in_progress"):
        ids(statuses=["finished"])
    assert tk.only_mine(people.na, mine=None, project=None, assignee=None)
    assert not tk.only_mine(people.na, mine=None, project="WEB", assignee=None)
    assert not tk.only_mine(people.leo, mine=None, project=None, assignee=None)
    assert tk.only_mine(people.leo, mine=True, project="WEB", assignee=None)
    with pytest.raises(InvalidInput, match="--mine or --assignee"):
        tk.only_mine(people.na, mine=True, project=None, assignee="wei")


def test_any_employee_sees_any_task_and_nobody_else_does(
    session: Session, people: People, clock: FixedClock, web: Any, outsider: Employee
) -> None:
    task = _add(session, people, clock, title="Logo", assignee="wei")
    session.commit()
    row = tk.task_details(session, viewer=people.sam, task_id=pk(task), today=TODAY)
    assert (row["title"], row["login"], row["status"]) == ("Logo", "wei", "todo")
    with pytest.raises(NotAllowed, match=refusal(outsider)):
        tk.task_details(session, viewer=outsider, task_id=pk(task), today=TODAY)
    with pytest.raises(NotAllowed, match=refusal(outsider)):  # before telling whether the task exists
        tk.task_details(session, viewer=outsider, task_id=999, today=TODAY)
    assert [row["title"] for row in tk.list_tasks(session, viewer=people.sam, today=TODAY)] == ["Logo"]
    with pytest.raises(NotAllowed, match=refusal(outsider)):
        tk.list_tasks(session, viewer=outsider, today=TODAY)


def test_the_weekly_plan_follows_the_week_start(session: Session, people: People, clock: FixedClock) -> None:
    for login, title, day in [("wei", "mon", 16), ("na", "wed", 18), ("wei", "sun", 22), ("wei", "next mon", 23),
                              ("sam", "before", 13)]:
        _add(session, people, clock, title, assignee=login, due=date(2026, 3, day))
    plan = week_plan(session, viewer=people.wei, today=TODAY)
    assert (plan.start, plan.end) == (date(2026, 3, 16), date(2026, 3, 22))
    assert [t["title"] for t in plan.tasks] == ["before", "mon", "wed", "sun"]  # open overdue carried over
    assert plan.people == [("na", "李娜"), ("sam", "Sam Dev"), ("wei", "张伟")]

    set_setting(session, actor=people.ada, key="week_start", value="sunday")
    plan = week_plan(session, viewer=people.wei, today=TODAY, week_of=date(2026, 3, 24), person=people.wei)
    assert (plan.start, plan.end) == (date(2026, 3, 22), date(2026, 3, 28))
    assert [t["title"] for t in plan.tasks] == ["sun", "next mon"]  # another week: nothing carried

    team = week_plan(session, viewer=people.wei, today=TODAY, team="Ops")
    assert [p[0] for p in team.people] == ["leo", "na", "wei"]  # the whole team, busy or not


def test_today_section_shows_due_overdue_and_in_progress(session: Session, people: People, clock: FixedClock) -> None:
    _add(session, people, clock, "tomorrow", assignee="na", due=TODAY + timedelta(days=1))
    _add(session, people, clock, "today", assignee="na", due=TODAY)
    _add(session, people, clock, "late", assignee="na", due=TODAY - timedelta(days=2))
    going = _add(session, people, clock, "going", assignee="na")
    ts.start_task(session, actor=people.na, now=clock.now(), task_id=pk(going))
    _add(session, people, clock, "someone else's", assignee="wei", due=TODAY)
    rows = tk.today_facts(session, person=people.na, today=TODAY, now=clock.now())
    assert [r["title"] for r in rows] == ["late", "today", "going"]
