"""Overtime requests as a service: windows on the shift of their date (past midnight too), what
overlaps, the worked part of an approved window, and the comp leave it credits."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session

from opsctl.clock import FixedClock
from opsctl.errors import Conflict, InvalidInput
from opsctl.models.attendance import OvertimeRequest, Punch
from opsctl.services.attendance.overtime import (
    approve_overtime,
    cancel_overtime,
    overtime_rows,
    request_overtime,
)
from opsctl.services.attendance.rules import STANDARD, DayResult, split_overtime, worked_in_windows
from opsctl.services.attendance.summary import summarize_period
from opsctl.services.config import set_setting
from tests.conftest import People, pk

TZ = ZoneInfo("Asia/Shanghai")
MONDAY, SATURDAY = date(2026, 3, 16), date(2026, 3, 14)


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ).astimezone(UTC)


def ask(session: Session, people: People, clock: FixedClock, day: date, start: time, end: time,
        who: str = "wei") -> OvertimeRequest:
    return request_overtime(session, actor=people.by_login[who], now=clock.now(), tz=TZ, work_date=day, start=start,
                            end=end, reason="release")


def test_the_worked_part_of_a_window_leaves_out_the_break_and_the_time_outside() -> None:
    start, end = local(SATURDAY, 10), local(SATURDAY, 15, 30)
    windows = [(int(local(SATURDAY, 9).timestamp()) // 60, int(local(SATURDAY, 14).timestamp()) // 60)]
    assert worked_in_windows(SATURDAY, STANDARD, TZ, start, end, windows) == 3 * 60  # 10–14 less 12–13
    assert worked_in_windows(SATURDAY, STANDARD, TZ, start, None, windows) == 0  # one punch: nothing worked
    day = DayResult(SATURDAY, "rest", "rest-work", first=start, last=end, overtime_minutes=270, overtime_kind="rest")
    split_overtime(day, STANDARD, TZ, windows)
    assert (day.approved_minutes, day.unapproved_minutes, day.approved_kind) == (180, 90, "rest")


def test_an_approved_window_before_the_shift_counts_and_rule_6_overtime_outside_it_does_not(
    session: Session, people: People, clock: FixedClock
) -> None:
    for at in (local(MONDAY, 7), local(MONDAY, 19, 30)):
        session.add(Punch(employee_id=pk(people.wei), at=at, work_date=MONDAY, source="import"))
    early = ask(session, people, clock, MONDAY, time(7), time(9))
    approve_overtime(session, actor=people.mona, now=clock.now(), tz=TZ, request_id=pk(early))
    wei = next(s for s in summarize_period(session, start=MONDAY, end=MONDAY, today=date(2026, 3, 18))
               if s.login == "wei")
    assert (wei.overtime_hours, wei.overtime_approved_workday_hours, wei.overtime_unapproved_hours) == (1.5, 2.0, 1.5)


def test_a_window_may_run_past_midnight_and_overlaps_are_found_there(
    session: Session, people: People, clock: FixedClock
) -> None:
    night = ask(session, people, clock, MONDAY, time(20), time(1))  # until 01:00 on Tuesday
    assert night.late and night.status == "pending"
    with pytest.raises(Conflict, match=f"overlaps overtime request #{night.id}"):
        ask(session, people, clock, MONDAY, time(0, 30), time(1, 15))  # the small hours of Monday's shift
    with pytest.raises(InvalidInput, match="not after --from"):
        ask(session, people, clock, MONDAY, time(20), time(2))  # 02:00 is past the cut-off (01:30): Monday 02:00
    other = ask(session, people, clock, MONDAY, time(20), time(1), who="na")  # another person: no conflict
    assert other.employee_id == people.na.id


def test_cancelling_takes_back_the_comp_leave_and_is_audited(
    session: Session, people: People, clock: FixedClock
) -> None:
    from opsctl.services.leave.ledger import balances

    set_setting(session, actor=None, key="overtime_comp_hours", value="4")
    for at in (local(SATURDAY, 9), local(SATURDAY, 18)):
        session.add(Punch(employee_id=pk(people.wei), at=at, work_date=SATURDAY, source="import"))
    request = ask(session, people, clock, SATURDAY, time(9), time(18))
    approve_overtime(session, actor=people.mona, now=clock.now(), tz=TZ, request_id=pk(request))
    assert request.comp_days == 2.0  # 8 h worked (the break left out) at 4 h a day

    def comp() -> float | None:
        return next(b.remaining for b in balances(session, person=people.wei, year=2026) if b.code == "comp")

    assert comp() == 2.0
    cancel_overtime(session, actor=people.hana, now=clock.now(), tz=TZ, request_id=pk(request))
    assert (request.status, request.comp_days, comp()) == ("cancelled", 0.0, 0.0)
    row = overtime_rows(session, viewer=people.wei, tz=TZ, ids=[pk(request)])[0]
    assert (row["status"], row["decided_by"], row["worked_hours"]) == ("cancelled", "hana", 8.0)
