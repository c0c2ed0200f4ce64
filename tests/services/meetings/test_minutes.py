"""What meetings produce: attendance, minutes, decisions, action items (tasks) and follow-up."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlmodel import Session

from opsctl.clock import FixedClock
from opsctl.errors import Conflict, InvalidInput, NotAllowed, NotFound
from opsctl.services.meetings.minutes import (
    add_action,
    decide,
    followup,
    minutes_of,
    minutes_template,
    record_attendance,
    save_minutes,
)
from opsctl.services.meetings.scheduling import cancel, find_occurrence
from opsctl.services.meetings.views import occurrence_details
from tests.conftest import People
from tests.services.meetings.test_scheduling import TODAY, schedule


@pytest.fixture
def weekly(session: Session, clock: FixedClock, people: People) -> Any:
    """leo's Ops weekly, Wednesdays 14:00 from 03-04 with wei and na: 1.1 and 1.2 are past, 1.3 is today."""
    return schedule(session, clock, people.leo, every="weekly", with_logins=["wei", "na"],
                    agenda=["On-call handover", "Certificates"])


def details(session: Any, clock: Any, viewer: Any, ref: str) -> dict[str, Any]:
    return occurrence_details(session, viewer=viewer, occurrence=find_occurrence(session, ref), now=clock.now())


def act(session: Any, clock: Any, actor: Any, ref: str, title: str, owner: str, due: date) -> dict[str, Any]:
    return add_action(session, actor=actor, now=clock.now(), today=TODAY, ref=ref, title=title, owner=owner, due=due)


# -- attendance ------------------------------------------------------------------------

def test_attendance_is_recorded_per_occurrence_and_can_be_corrected(
    session: Session, clock: FixedClock, people: People, weekly: Any
) -> None:
    now = clock.now()
    record_attendance(session, actor=people.leo, now=now, ref="1.1", present=["leo", "wei"], absent=["na"],
                      excused=[])
    record_attendance(session, actor=people.leo, now=now, ref="1.1", present=["sam"], absent=[], excused=["na"])
    marks = {p["login"]: (p["role"], p["attendance"]) for p in details(session, clock, people.leo, "1.1")["people"]}
    assert marks == {"leo": ("organizer", "present"), "wei": ("invited", "present"), "na": ("invited", "excused"),
                     "sam": ("guest", "present")}
    assert all(p["attendance"] is None for p in details(session, clock, people.leo, "1.2")["people"])
    # a guest who was recorded may read that meeting
    assert details(session, clock, people.sam, "1.2")["title"] == "Ops weekly"


@pytest.mark.parametrize(("ref", "marks", "error", "message"), [
    ("1.1", {"present": ["wei"], "absent": ["wei"]}, InvalidInput, "both present and absent"),
    ("1.1", {}, InvalidInput, "say who was there"),
    ("1.1", {"present": ["ghost"]}, NotFound, "ghost"),
    ("1.3", {"present": ["wei"]}, InvalidInput, "once it has started"),
    ("7.1", {"present": ["wei"]}, NotFound, "no meeting 7"),
])
def test_bad_attendance(
    session: Session, clock: FixedClock, people: People, weekly: Any, ref: str, marks: dict[str, list[str]],
    error: type[Exception], message: str,
) -> None:
    lists = {"present": [], "absent": [], "excused": [], **marks}
    with pytest.raises(error, match=message):
        record_attendance(session, actor=people.leo, now=clock.now(), ref=ref, **lists)


def test_excused_absences_may_be_recorded_ahead_but_not_for_a_cancelled_meeting(
    session: Session, clock: FixedClock, people: People, weekly: Any
) -> None:
    record_attendance(session, actor=people.leo, now=clock.now(), ref="1.5", present=[], absent=[], excused=["na"])
    cancel(session, actor=people.leo, now=clock.now(), ref="1.4")
    with pytest.raises(Conflict, match="cancelled"):
        record_attendance(session, actor=people.leo, now=clock.now(), ref="1.4", present=[], absent=[],
                          excused=["na"])
    with pytest.raises(NotAllowed):
        record_attendance(session, actor=people.wei, now=clock.now(), ref="1.1", present=["wei"], absent=[],
                          excused=[])


# -- minutes and decisions ------------------------------------------------------------------

def test_minutes_are_saved_replaced_and_read_by_attendees(
    session: Session, clock: FixedClock, people: People, weekly: Any
) -> None:
    save_minutes(session, actor=people.leo, now=clock.now(), ref="1.1", text="# Notes\n\nAll good.\n\n")
    assert minutes_of(session, viewer=people.wei, ref="1.1")[1] == "# Notes\n\nAll good.\n"
    save_minutes(session, actor=people.mona, now=clock.now(), ref="1.1", text="Corrected by the manager")
    assert minutes_of(session, viewer=people.na, ref="1.1")[1] == "Corrected by the manager\n"
    assert minutes_of(session, viewer=people.na, ref="1.2")[1] is None
    with pytest.raises(NotAllowed):
        minutes_of(session, viewer=people.sam, ref="1.1")
    with pytest.raises(NotAllowed):
        save_minutes(session, actor=people.wei, now=clock.now(), ref="1.1", text="mine now")


def test_minutes_edited_from_an_old_version_do_not_overwrite_newer_ones(
    session: Session, clock: FixedClock, people: People, weekly: Any
) -> None:
    save_minutes(session, actor=people.leo, now=clock.now(), ref="1.1", text="first", based_on=None)
    save_minutes(session, actor=people.mona, now=clock.now(), ref="1.1", text="second", based_on="first\n")
    with pytest.raises(Conflict, match=r"mona saved the minutes of meeting 1\.1 while you were editing"):
        save_minutes(session, actor=people.leo, now=clock.now(), ref="1.1", text="third", based_on="first\n")
    assert minutes_of(session, viewer=people.leo, ref="1.1")[1] == "second\n"


def test_minutes_need_a_meeting_that_took_place(
    session: Session, clock: FixedClock, people: People, weekly: Any
) -> None:
    cancel(session, actor=people.leo, now=clock.now(), ref="1.2")
    with pytest.raises(Conflict, match="was cancelled, so it has no minutes"):
        save_minutes(session, actor=people.leo, now=clock.now(), ref="1.2", text="x")
    with pytest.raises(InvalidInput, match="starts Wed 2026-03-18 14:00"):
        save_minutes(session, actor=people.leo, now=clock.now(), ref="1.3", text="x")
    with pytest.raises(InvalidInput, match="empty"):
        save_minutes(session, actor=people.leo, now=clock.now(), ref="1.1", text="  \n")
    with pytest.raises(Conflict, match="cancelled"):
        decide(session, actor=people.leo, now=clock.now(), ref="1.2", text="x")
    save_minutes(session, actor=people.leo, now=clock.now(), ref="1.1", text="held")
    with pytest.raises(Conflict, match="has minutes"):
        cancel(session, actor=people.leo, now=clock.now(), ref="1.1")


def test_the_minutes_template_has_agenda_attendees_and_what_is_still_open(
    session: Session, clock: FixedClock, people: People, weekly: Any
) -> None:
    act(session, clock, people.leo, "1.1", "Renew the TLS certificates", "na", date(2026, 3, 10))
    record_attendance(session, actor=people.leo, now=clock.now(), ref="1.2", present=["leo", "wei"], absent=[],
                      excused=["na"])
    template = minutes_template(session, occurrence=find_occurrence(session, "1.2"), today=TODAY)
    assert template.startswith("# Ops weekly — Wed 2026-03-11 14:00\n")
    for line in ("- 李娜 (na): excused", "- 张伟 (wei): present", "1. On-call handover", "2. Certificates",
                 "## Open actions from earlier meetings", "- #1 Renew the TLS certificates — na, due 2026-03-10 "
                 "(overdue), todo"):
        assert line in template.splitlines()
    save_minutes(session, actor=people.leo, now=clock.now(), ref="1.2", text="Saved text")
    assert minutes_template(session, occurrence=find_occurrence(session, "1.2"), today=TODAY) == "Saved text\n"


def test_decisions_are_kept_in_order(session: Session, clock: FixedClock, people: People, weekly: Any) -> None:
    decide(session, actor=people.leo, now=clock.now(), ref="1.2", text="Rotate on-call weekly")
    decide(session, actor=people.hana, now=clock.now(), ref="1.2", text="Certificates renewed by Friday")
    with pytest.raises(InvalidInput, match="empty"):
        decide(session, actor=people.leo, now=clock.now(), ref="1.2", text=" ")
    decisions = details(session, clock, people.wei, "1.2")["decisions"]
    assert [(d["text"], d["by"]) for d in decisions] == [("Rotate on-call weekly", "leo"),
                                                         ("Certificates renewed by Friday", "hana")]


# -- action items and follow-up ------------------------------------------------------------------

def test_an_action_item_is_a_task_for_its_owner_in_the_meetings_project(
    session: Session, clock: FixedClock, people: People
) -> None:
    from opsctl.services.projects.lifecycle import get_project, new_project
    from opsctl.services.tasks.core import list_tasks
    from opsctl.services.tasks.steps import done_task

    new_project(session, actor=people.leo, now=clock.now(), code="NET", name="Network refresh")
    schedule(session, clock, people.leo, title="NET weekly", every="weekly", project="NET", with_logins=["wei"])
    item = act(session, clock, people.leo, "1.2", "Order the switches", "wei", date(2026, 3, 20))
    assert item | {"id": item["id"]} == item and item["login"] == "wei" and item["meeting"] == "1.2"
    assert (item["due"], item["status"], item["overdue"]) == (date(2026, 3, 20), "todo", False)
    tasks = list_tasks(session, viewer=people.wei, today=TODAY, assignee=people.wei)
    assert [(t["id"], t["title"], t["project"], t["due"]) for t in tasks] == [
        (item["id"], "Order the switches", "NET", date(2026, 3, 20)),
    ]
    assert get_project(session, "NET").id is not None
    done_task(session, actor=people.wei, now=clock.now(), task_id=item["id"])
    assert details(session, clock, people.leo, "1.2")["actions"][0]["status"] == "done"


@pytest.mark.parametrize(("ref", "owner", "due", "error", "message"), [
    ("1.2", "ghost", date(2026, 3, 20), NotFound, "no employee with login 'ghost'"),
    ("1.2", "wei", date(2026, 3, 10), InvalidInput, "before the meeting"),
    ("1.3", "wei", date(2026, 3, 20), InvalidInput, "once it has started"),
])
def test_bad_action_items(
    session: Session, clock: FixedClock, people: People, weekly: Any, ref: str, owner: str, due: date,
    error: type[Exception], message: str,
) -> None:
    with pytest.raises(error, match=message):
        act(session, clock, people.leo, ref, "Something", owner, due)


def test_an_owner_who_has_left_cannot_get_an_action_item(
    session: Session, clock: FixedClock, people: People, weekly: Any
) -> None:
    from opsctl.services.people.employees import deactivate_person

    deactivate_person(session, actor=people.ada, now=clock.now(), login="sam", left=date(2026, 3, 1))
    with pytest.raises(NotFound, match="no active employee"):
        act(session, clock, people.leo, "1.2", "Something", "sam", date(2026, 3, 20))


def test_followup_lists_open_actions_of_past_meetings_overdue_first(
    session: Session, clock: FixedClock, people: People, weekly: Any
) -> None:
    from opsctl.services.tasks.steps import done_task

    late = act(session, clock, people.leo, "1.1", "Renew certificates", "na", date(2026, 3, 10))
    soon = act(session, clock, people.leo, "1.2", "Update the runbook", "wei", date(2026, 3, 20))
    done = act(session, clock, people.leo, "1.2", "Book the room", "leo", date(2026, 3, 12))
    done_task(session, actor=people.leo, now=clock.now(), task_id=done["id"])
    schedule(session, clock, people.sam, title="Dev sync", start="2026-03-16 10:00")
    act(session, clock, people.sam, "2", "Dev thing", "sam", date(2026, 3, 30))

    rows = followup(session, viewer=people.leo, now=clock.now(), today=TODAY)
    assert [(r["id"], r["login"], r["overdue"], r["days_overdue"], r["meeting"]) for r in rows] == [
        (late["id"], "na", True, 8, "1.1"), (soon["id"], "wei", False, 0, "1.2"),
    ]
    assert rows[0]["meeting_date"] == date(2026, 3, 4) and rows[0]["meeting_title"] == "Ops weekly"
    assert [r["id"] for r in followup(session, viewer=people.leo, now=clock.now(), today=TODAY,
                                      overdue_only=True)] == [late["id"]]
    assert [r["id"] for r in followup(session, viewer=people.wei, now=clock.now(), today=TODAY, mine=True)] == [
        soon["id"]]
    assert len(followup(session, viewer=people.ada, now=clock.now(), today=TODAY)) == 3
    assert [r["title"] for r in followup(session, viewer=people.sam, now=clock.now(), today=TODAY)] == ["Dev thing"]
    assert [r["id"] for r in followup(session, viewer=people.ada, now=clock.now(), today=TODAY,
                                      meeting="1")] == [late["id"], soon["id"]]
    with pytest.raises(NotAllowed):
        followup(session, viewer=people.sam, now=clock.now(), today=TODAY, meeting="1")


def test_an_occurrence_shows_what_is_still_open_from_earlier_ones(
    session: Session, clock: FixedClock, people: People, weekly: Any
) -> None:
    earlier = act(session, clock, people.leo, "1.1", "Renew certificates", "na", date(2026, 3, 10))
    data = details(session, clock, people.wei, "1.3")
    assert [a["id"] for a in data["open_before"]] == [earlier["id"]] and data["actions"] == []
    assert details(session, clock, people.wei, "1.1")["open_before"] == []
