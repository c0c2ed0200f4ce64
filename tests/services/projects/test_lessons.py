"""The lessons-learned review, and archiving that asks for it and for the acceptance report."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import Session

from opsctl.clock import FixedClock
from opsctl.errors import Conflict, InvalidInput, NotAllowed
from opsctl.models.projects import Project
from opsctl.services.projects import closing, documents, lessons
from opsctl.services.projects import lifecycle as pj
from opsctl.services.projects.overview import last_history_text
from tests.conftest import People


def _accepted(session: Session, people: People, clock: FixedClock) -> None:
    pj.submit_project(session, actor=people.wei, now=clock.now(), code="WEB", summary="done")
    pj.review_project(session, actor=people.mona, now=clock.now(), code="WEB", passed=True, report="ok")


def _review(session: Session, people: People, clock: FixedClock, *, by: str = "wei") -> None:
    lessons.review_lessons(session, actor=people.by_login[by], now=clock.now(), code="WEB",
                           went_well="weekly demos", went_badly="late design sign-off", actions="sign off in week 1")


def test_an_accepted_project_is_archived_with_its_report_and_lessons(
    session: Session, people: People, clock: FixedClock, active_web: Project, tmp_path: Path
) -> None:
    _accepted(session, people, clock)
    with pytest.raises(Conflict, match=r"cannot be archived without an acceptance report .* and a lessons review"):
        closing.archive_project(session, actor=people.wei, now=clock.now(), code="WEB")
    report = tmp_path / "acceptance.md"
    report.write_text("# Accepted\n", encoding="utf-8")
    documents.add_document(session, actor=people.wei, now=clock.now(), code="WEB", path=report, kind="minutes")
    with pytest.raises(Conflict, match="without an acceptance report"):  # minutes are no report
        closing.archive_project(session, actor=people.wei, now=clock.now(), code="WEB")
    documents.add_document(session, actor=people.wei, now=clock.now(), code="WEB", path=report, kind="report")
    with pytest.raises(Conflict, match=r"without a lessons review \(`opsctl project review-lessons WEB"):
        closing.archive_project(session, actor=people.wei, now=clock.now(), code="WEB")
    assert active_web.status == "accepted"
    _review(session, people, clock)
    assert closing.archive_project(session, actor=people.wei, now=clock.now(), code="WEB").status == "archived"
    rows = lessons.list_lessons(session, viewer=people.sam)
    assert [(r["project"], r["status"], r["login"], r["actions"]) for r in rows] == [
        ("WEB", "archived", "wei", "sign off in week 1")]
    with pytest.raises(Conflict, match="archived and read-only"):
        _review(session, people, clock)


def test_force_archives_without_them_and_says_so(
    session: Session, people: People, clock: FixedClock, active_web: Project
) -> None:
    _accepted(session, people, clock)
    archived = closing.archive_project(session, actor=people.wei, now=clock.now(), code="WEB", note="closing",
                                       force=True)
    assert last_history_text(session, archived) == \
        "closing; archived without an acceptance report and a lessons review"


def test_a_cancelled_project_needs_only_the_lessons(
    session: Session, people: People, clock: FixedClock, active_web: Project
) -> None:
    closing.cancel_project(session, actor=people.wei, now=clock.now(), code="WEB", reason="no budget")
    with pytest.raises(Conflict, match=r"without a lessons review \("):
        closing.archive_project(session, actor=people.wei, now=clock.now(), code="WEB")
    _review(session, people, clock, by="mona")
    assert closing.archive_project(session, actor=people.wei, now=clock.now(), code="WEB").status == "archived"


def test_who_writes_the_review_and_what_it_needs(
    session: Session, people: People, clock: FixedClock, active_web: Project
) -> None:
    with pytest.raises(NotAllowed, match="na may not write the lessons review of"):
        _review(session, people, clock, by="na")
    with pytest.raises(InvalidInput, match="what did not go well"):
        lessons.review_lessons(session, actor=people.wei, now=clock.now(), code="WEB", went_well="x",
                               went_badly=" ", actions="y")
    assert lessons.list_lessons(session, viewer=people.wei, code="WEB") == []
    pj.new_project(session, actor=people.wei, now=clock.now(), code="NEW", name="New")
    with pytest.raises(Conflict, match="NEW is proposed; the lessons review comes once it has run"):
        lessons.review_lessons(session, actor=people.wei, now=clock.now(), code="NEW", went_well="a",
                               went_badly="b", actions="c")
