"""Writing, submitting and reviewing work reports, and raising their problems as tasks."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session, select

from opsctl.clock import FixedClock
from opsctl.errors import Conflict, InvalidInput, NotAllowed
from opsctl.models.people import AuditEntry, Employee
from opsctl.models.projects import Task
from opsctl.models.workreports import WorkReport
from opsctl.services.people.teams import edit_team
from opsctl.services.tasks import add_task, block_task, change_task_status, done_task
from opsctl.services.workreports.periods import ReportPeriod, day_period, week_period
from opsctl.services.workreports.writing import (
    open_draft,
    raise_problem,
    review_report,
    save_report,
    submit_report,
)
from tests.conftest import People, pk

TODAY = date(2026, 3, 18)  # Wednesday of 2026-W12; the clock is 09:30 Shanghai
THIS_WEEK, LAST_WEEK = week_period(TODAY), week_period(date(2026, 3, 11))
TEXT = "## Done\n- the backup job\n\n## Planned next\n- key rotation\n\n## Problems and help needed\n" \
       "- the VPN drops daily\n- no test server\n"


def write(session: Session, clock: FixedClock, person: Employee, period: ReportPeriod = LAST_WEEK,
          text: str | None = TEXT, *, submit: bool = False) -> WorkReport:
    return save_report(session, actor=person, now=clock.now(), today=TODAY, period=period, text=text, submit=submit)


def test_a_new_draft_is_filled_in_from_the_persons_tasks_and_a_blocked_task_is_a_problem(
        session: Session, clock: FixedClock, people: People) -> None:
    now = clock.now()
    done = add_task(session, actor=people.wei, now=now - timedelta(days=1), today=TODAY, title="Fix the backup job",
                    assignee="wei")
    done_task(session, actor=people.wei, now=now - timedelta(hours=20), task_id=pk(done))
    started = add_task(session, actor=people.wei, now=now, today=TODAY, title="Rotate keys", assignee="wei",
                       due=TODAY + timedelta(days=5))
    change_task_status(session, actor=people.wei, now=now - timedelta(hours=1), task_id=pk(started), step="start")
    stuck = add_task(session, actor=people.wei, now=now, today=TODAY, title="Install the UPS", assignee="wei")
    block_task(session, actor=people.wei, now=now, task_id=pk(stuck), reason="waiting for the vendor")
    add_task(session, actor=people.na, now=now, today=TODAY, title="Not wei's", assignee="na")

    draft = open_draft(session, actor=people.wei, now=now, today=TODAY, period=THIS_WEEK)
    assert draft.report is None and draft.text.startswith("# Week report 2026-W12, 2026-03-16 – 2026-03-22 — 张伟")
    done_part, planned_part, problems_part = (draft.text.split("## Done")[1].split("## Planned next")[0],
                                              draft.text.split("## Planned next")[1].split("## Problems")[0],
                                              draft.text.split("## Problems and help needed")[1])
    assert f"#{pk(done)} Fix the backup job (done Tue 03-17)" in done_part
    assert f"#{pk(started)} Rotate keys (started Wed 03-18, in progress)" in done_part
    assert "Worked 0 h on 0 days" in done_part
    assert f"#{pk(started)} Rotate keys (due 2026-03-23)" in planned_part
    assert f"#{pk(stuck)} Install the UPS is blocked: waiting for the vendor" in problems_part
    assert "Not wei's" not in draft.text
    saved = write(session, clock, people.wei, THIS_WEEK, draft.text)  # saved as it was drafted
    assert "Install the UPS is blocked" in saved.problems and saved.status == "draft"


def test_a_report_of_a_day_or_week_not_begun_is_refused(session: Session, clock: FixedClock, people: People) -> None:
    with pytest.raises(InvalidInput, match="the week 2026-W13 has not started yet"):
        write(session, clock, people.wei, THIS_WEEK.next())
    with pytest.raises(InvalidInput, match="the day 2026-03-19 has not started yet"):
        open_draft(session, actor=people.wei, now=clock.now(), today=TODAY, period=day_period(TODAY + timedelta(1)))


def test_an_empty_report_is_refused(session: Session, clock: FixedClock, people: People) -> None:
    with pytest.raises(InvalidInput, match="the report is empty"):
        write(session, clock, people.wei, text="# title\n## Done\n\n## Problems\n")


def test_submitting_after_the_deadline_marks_the_report_late_and_before_it_does_not(
        session: Session, clock: FixedClock, people: People) -> None:
    late = write(session, clock, people.wei, LAST_WEEK, submit=True)  # due Mon 03-16 10:00, now Wed
    on_time = write(session, clock, people.wei, THIS_WEEK, submit=True)  # due Mon 03-23 10:00
    assert (late.status, late.late, late.submitted_at) == ("submitted", True, clock.now())
    assert late.deadline == datetime(2026, 3, 16, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    assert (on_time.status, on_time.late) == ("submitted", False)


def test_submitting_twice_is_a_conflict_but_a_submitted_report_may_still_change(
        session: Session, clock: FixedClock, people: People) -> None:
    report = write(session, clock, people.wei)
    submit_report(session, actor=people.wei, now=clock.now(), report_id=pk(report))
    with pytest.raises(Conflict, match=r"was submitted on 2026-03-18 .*it stays submitted"):
        submit_report(session, actor=people.wei, now=clock.now(), report_id=pk(report))
    with pytest.raises(Conflict, match="save it again without --submit"):
        write(session, clock, people.wei, submit=True)
    clock.advance(minutes=5)
    changed = write(session, clock, people.wei, text="## Done\n- more than before\n")
    assert (changed.id, changed.status, changed.done, changed.problems) == (report.id, "submitted",
                                                                             "- more than before", "")


def test_only_the_author_submits(session: Session, clock: FixedClock, people: People) -> None:
    report = write(session, clock, people.wei)
    with pytest.raises(NotAllowed, match="not mona's; everybody submits their own"):
        submit_report(session, actor=people.mona, now=clock.now(), report_id=pk(report))


def test_the_manager_reviews_and_then_the_report_no_longer_changes(
        session: Session, clock: FixedClock, people: People) -> None:
    report = write(session, clock, people.wei, submit=True)
    reviewed = review_report(session, actor=people.mona, now=clock.now(), report_id=pk(report), comment="Good week")
    assert (reviewed.status, reviewed.reviewed_by_id, reviewed.review_comment) == ("reviewed", people.mona.id,
                                                                                   "Good week")
    audit = session.exec(select(AuditEntry).where(AuditEntry.action == "workreport.review")).one()
    assert audit.subject_id == people.wei.id
    with pytest.raises(Conflict, match="was reviewed on 2026-03-18, so changing it is no longer possible"):
        write(session, clock, people.wei, text="## Done\n- rewritten\n")
    with pytest.raises(Conflict, match="reviewing it again"):
        review_report(session, actor=people.mona, now=clock.now(), report_id=pk(report), comment=None)
    with pytest.raises(Conflict, match="changing it is no longer possible"):
        open_draft(session, actor=people.wei, now=clock.now(), today=TODAY, period=LAST_WEEK)


def test_the_team_lead_reviews_too_but_nobody_their_own_nor_a_stranger(
        session: Session, clock: FixedClock, people: People) -> None:
    edit_team(session, actor=people.ada, now=clock.now(), name="Ops", lead="leo")
    wei = write(session, clock, people.wei, submit=True)
    leo = write(session, clock, people.leo, submit=True)
    with pytest.raises(NotAllowed, match="nobody reviews their own report"):
        review_report(session, actor=people.leo, now=clock.now(), report_id=pk(leo), comment=None)
    for stranger in (people.sam, people.hana, people.na):
        with pytest.raises(NotAllowed, match=f"{stranger.login} may not review wei's report"):
            review_report(session, actor=stranger, now=clock.now(), report_id=pk(wei), comment=None)
    assert review_report(session, actor=people.leo, now=clock.now(), report_id=pk(wei), comment=None).status == \
        "reviewed"


def test_a_draft_is_not_reviewed(session: Session, clock: FixedClock, people: People) -> None:
    report = write(session, clock, people.wei)
    with pytest.raises(Conflict, match="is a draft wei has not submitted yet"):
        review_report(session, actor=people.mona, now=clock.now(), report_id=pk(report), comment="?")


def test_text_edited_from_an_older_version_is_a_conflict(session: Session, clock: FixedClock, people: People) -> None:
    first = write(session, clock, people.wei)
    opened = first.updated_at
    clock.advance(minutes=1)
    write(session, clock, people.wei, text="## Done\n- meanwhile\n")
    with pytest.raises(Conflict, match="was changed meanwhile"):
        save_report(session, actor=people.wei, now=clock.now(), today=TODAY, period=LAST_WEEK, text=TEXT,
                    based_on=opened)


def test_a_problem_becomes_a_task_of_the_author_once(session: Session, clock: FixedClock, people: People) -> None:
    report = write(session, clock, people.wei, submit=True)
    with pytest.raises(InvalidInput, match="lists 2 problems; say which with --item 1…2"):
        raise_problem(session, actor=people.mona, now=clock.now(), today=TODAY, report_id=pk(report))
    _, item, task_id = raise_problem(session, actor=people.mona, now=clock.now(), today=TODAY, report_id=pk(report),
                                     item=2, due=TODAY + timedelta(days=7))
    task = session.get(Task, task_id)
    assert task is not None and item == 2
    assert (task.title, task.assignee_id, task.created_by_id, task.due) == (
        "no test server", people.wei.id, people.mona.id, date(2026, 3, 25))
    assert task.description == f"Problem 2 of work report {pk(report)} (wei, week 2026-W11): no test server"
    with pytest.raises(Conflict, match=f"problem 2 of work report {pk(report)} is task #{task_id} already"):
        raise_problem(session, actor=people.wei, now=clock.now(), today=TODAY, report_id=pk(report), item=2)
    with pytest.raises(InvalidInput, match="--item goes from 1 to 2"):
        raise_problem(session, actor=people.wei, now=clock.now(), today=TODAY, report_id=pk(report), item=3)
    with pytest.raises(NotAllowed, match="sam may not raise the problems of wei's report"):
        raise_problem(session, actor=people.sam, now=clock.now(), today=TODAY, report_id=pk(report), item=1)
