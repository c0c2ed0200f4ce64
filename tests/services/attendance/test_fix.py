"""Corrections: requested, approved by a manager or HR/admin (never one's own), the limit."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session, select

from opsctl.clock import FixedClock
from opsctl.errors import Conflict, InvalidInput, NotAllowed, NotFound
from opsctl.models.attendance import CorrectionRequest, Punch
from opsctl.models.people import AuditEntry, Employee
from opsctl.services.attendance.fix import approve_fix, fix_rows, reject_fix, request_fix
from opsctl.services.attendance.summary import summarize_period
from opsctl.services.config import set_setting
from tests.conftest import People, pk

TZ = ZoneInfo("Asia/Shanghai")
MONDAY = date(2026, 3, 16)


def ask(session: Session, people: People, clock: FixedClock, who: str = "wei", day: date = MONDAY, *,
        actor: Employee | None = None, login: str | None = None, in_time: time | None = None,
        out_time: time | None = time(18, 5), reason: str = "forgot", override: bool = False) -> CorrectionRequest:
    """``who`` (or ``actor``, for ``login``) asks to fix ``day``: clocked out at 18:05, forgot."""
    return request_fix(session, actor=people.by_login[who] if actor is None else actor, now=clock.now(), tz=TZ,
                       work_date=day, in_time=in_time, out_time=out_time, reason=reason, login=login,
                       override=override)


def approve(session: Session, people: People, clock: FixedClock, request: CorrectionRequest, by: str = "mona", *,
            override: bool = False) -> CorrectionRequest:
    return approve_fix(session, actor=people.by_login[by], now=clock.now(), tz=TZ, request_id=pk(request),
                       override=override)


def test_an_approved_correction_adds_punches_and_an_audit_entry(
    session: Session, people: People, clock: FixedClock
) -> None:
    session.add(Punch(employee_id=pk(people.wei), at=datetime(2026, 3, 16, 0, 57, tzinfo=UTC),
                      work_date=MONDAY, kind="in", source="clock"))
    request = ask(session, people, clock)
    assert request.status == "pending"
    assert session.exec(select(Punch).where(Punch.source == "correction")).all() == []
    approve(session, people, clock, request)
    added = session.exec(select(Punch).where(Punch.source == "correction")).one()
    assert (added.at, added.work_date, added.kind, added.correction_id) == (
        datetime(2026, 3, 16, 10, 5, tzinfo=UTC), MONDAY, "out", request.id)
    assert len(session.exec(select(Punch)).all()) == 2  # the original is untouched
    entry = session.exec(select(AuditEntry).where(AuditEntry.action == "attend.approve")).one()
    assert (entry.actor_id, entry.subject_id) == (people.mona.id, people.wei.id)
    assert json.loads(entry.details)["added"] == ["out"]
    wei = next(s for s in summarize_period(session, start=MONDAY, end=MONDAY, today=date(2026, 3, 18))
               if s.login == "wei")
    assert (wei.days[0].status, wei.work_hours) == ("present", 8.13)


def test_who_may_decide(session: Session, people: People, clock: FixedClock) -> None:
    request = ask(session, people, clock)
    with pytest.raises(NotAllowed, match="nobody approves their own"):
        approve(session, people, clock, request, by="wei")
    with pytest.raises(NotAllowed, match="only their manager, HR or an admin"):
        approve(session, people, clock, request, by="na")
    approve(session, people, clock, request, by="hana")
    with pytest.raises(Conflict, match=r"already approved by hana on 2026-03-18"):
        approve(session, people, clock, request, by="ada")
    with pytest.raises(Conflict, match="already approved"):
        reject_fix(session, actor=people.ada, now=clock.now(), request_id=request.id or 0, reason="no")
    with pytest.raises(NotFound):
        approve_fix(session, actor=people.ada, now=clock.now(), tz=TZ, request_id=999)


def test_a_manager_asking_for_someone_cannot_approve_it_too(
    session: Session, people: People, clock: FixedClock
) -> None:
    request = ask(session, people, clock, actor=people.mona, login="wei")
    with pytest.raises(NotAllowed, match="their own request"):
        approve(session, people, clock, request, by="mona")
    with pytest.raises(NotAllowed):
        ask(session, people, clock, actor=people.na, login="wei", day=date(2026, 3, 17))
    assert session.exec(select(AuditEntry).where(AuditEntry.action == "attend.fix")).one().actor_id == people.mona.id


def test_rejection_adds_nothing(session: Session, people: People, clock: FixedClock) -> None:
    request = ask(session, people, clock)
    with pytest.raises(InvalidInput, match="--reason"):
        reject_fix(session, actor=people.mona, now=clock.now(), request_id=request.id or 0, reason=" ")
    reject_fix(session, actor=people.mona, now=clock.now(), request_id=request.id or 0, reason="you were away")
    assert request.status == "rejected" and request.decision_note == "you were away"
    assert session.exec(select(Punch)).all() == []
    assert ask(session, people, clock).status == "pending"  # the same day may be asked again


def test_bad_requests(session: Session, people: People, clock: FixedClock) -> None:
    with pytest.raises(InvalidInput, match="in the future"):
        ask(session, people, clock, day=date(2026, 3, 19))
    with pytest.raises(InvalidInput, match="has not happened yet"):
        ask(session, people, clock, day=date(2026, 3, 18), out_time=time(17))  # now is 09:30
    with pytest.raises(InvalidInput, match="give --in HH:MM, --out HH:MM or both"):
        ask(session, people, clock, out_time=None)
    with pytest.raises(InvalidInput, match="not after --in"):
        ask(session, people, clock, in_time=time(18), out_time=time(9))
    with pytest.raises(NotAllowed, match="only HR or an admin may override"):
        ask(session, people, clock, override=True)
    ask(session, people, clock)
    with pytest.raises(Conflict, match="still pending"):
        ask(session, people, clock)


def test_the_monthly_limit(session: Session, people: People, clock: FixedClock) -> None:
    set_setting(session, actor=None, key="correction_limit", value="2")
    first = ask(session, people, clock, day=date(2026, 3, 2))
    ask(session, people, clock, day=date(2026, 3, 3))
    with pytest.raises(InvalidInput, match=r"already has 2 correction\(s\) approved or waiting for 2026-03"):
        ask(session, people, clock, day=date(2026, 3, 4))
    ask(session, people, clock, day=date(2026, 2, 27))  # another month: its own count
    reject_fix(session, actor=people.mona, now=clock.now(), request_id=first.id or 0, reason="no")
    third = ask(session, people, clock, day=date(2026, 3, 4))  # a rejected one does not count
    approve(session, people, clock, third)
    over = ask(session, people, clock, actor=people.hana, login="wei", day=date(2026, 3, 5), override=True)
    assert over.limit_override
    approve(session, people, clock, over)  # HR allowed it: the manager may approve it
    rows = fix_rows(session, viewer=people.wei, person=people.wei)
    assert [r["status"] for r in rows] == ["approved", "approved", "pending", "pending", "rejected"]
    assert fix_rows(session, viewer=people.na) == []
    assert len(fix_rows(session, viewer=people.mona, pending_only=True)) == 2


def test_the_limit_holds_when_approving_too(session: Session, people: People, clock: FixedClock) -> None:
    one, two = (ask(session, people, clock, day=date(2026, 3, d)) for d in (2, 3))
    set_setting(session, actor=None, key="correction_limit", value="1")
    approve(session, people, clock, one)
    with pytest.raises(InvalidInput, match=r"already has 1 correction\(s\) approved for 2026-03"):
        approve(session, people, clock, two)
    with pytest.raises(NotAllowed, match="override"):
        approve(session, people, clock, two, override=True)  # a manager may not override
    approve(session, people, clock, two, by="hana", override=True)
    assert two.status == "approved" and two.limit_override
