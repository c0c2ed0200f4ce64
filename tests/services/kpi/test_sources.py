"""Computed KPI indicators from real records made through the attendance and task services."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session

from opsctl.clock import FixedClock
from opsctl.dates import parse_cycle
from opsctl.services.kpi.cycles import close_cycle, get_cycle, open_cycle
from opsctl.services.kpi.templates import import_template
from opsctl.services.kpi.views import results
from opsctl.services.kpi.why import explain
from tests.conftest import People

TZ = ZoneInfo("Asia/Shanghai")
TODAY = date(2026, 3, 18)


def local(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TZ).astimezone(UTC)


def one_indicator_template(
    session: Session, people: People, clock: FixedClock, tmp_path: Path, name: str, source: str
) -> None:
    path = tmp_path / f"{name}.csv"
    path.write_text(f"key,name,category,weight,source\n{name},{name},attitude,100,{source}\n", encoding="utf-8")
    import_template(session, actor=people.ada, now=clock.now(), path=path, name=name)


def finals(session: Session, people: People, cycle: str) -> dict[str, dict[str, Any]]:
    data = results(session, viewer=people.ada, period=parse_cycle(cycle, today=TODAY), today=TODAY)
    return {row["login"]: row for row in data["rows"]}


def import_march(session: Session, people: People, clock: FixedClock, tmp_path: Path, until: date) -> None:
    """March 2 to ``until`` (the built-in 09:00–18:00 schedule): na always on time; wei late on
    the 3rd, one punch only on the 5th, nothing on the 9th; nobody else punched."""
    from opsctl.services.attendance.imports import import_punches

    lines = ["login,time"]
    day = date(2026, 3, 2)
    while day <= until:
        if day.weekday() < 5:
            lines += [f"na,{day} 08:55", f"na,{day} 18:05"]
            if day == date(2026, 3, 3):
                lines += [f"wei,{day} 09:12", f"wei,{day} 18:00"]
            elif day == date(2026, 3, 5):
                lines += [f"wei,{day} 08:50"]
            elif day != date(2026, 3, 9):
                lines += [f"wei,{day} 08:50", f"wei,{day} 18:10"]
        day += timedelta(days=1)
    path = tmp_path / f"punches-{until}.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    import_punches(session, actor=people.ada, now=clock.now(), tz=TZ, path=path)


@pytest.fixture
def march_punches(session: Session, people: People, clock: FixedClock, tmp_path: Path) -> None:
    import_march(session, people, clock, tmp_path, TODAY - timedelta(days=1))


def test_discipline_from_the_attendance_summary(
    session: Session, people: People, clock: FixedClock, tmp_path: Path, march_punches: None
) -> None:
    one_indicator_template(session, people, clock, tmp_path, "discipline", "attendance")
    open_cycle(session, actor=people.ada, now=clock.now(), period=parse_cycle("2026-03", today=TODAY),
               template="discipline")
    rows = finals(session, people, "2026-03")
    # wei: 100 − 5 (late) − 2 (missing punch) − 20 (absent) = 73; days from today on are open, not absent
    assert rows["wei"]["final_score"] == 73 and rows["wei"]["complete"]
    assert rows["na"]["final_score"] == 100
    assert rows["leo"]["final_score"] == 0  # absent on each of the 12 workdays so far: never below 0
    line = explain(session, viewer=people.ada, person=people.wei, period=parse_cycle("2026-03", today=TODAY),
                   today=TODAY)["indicators"][0]
    assert line["how"] == "1 late (−5), 1 missing punch (−2), 1 absent day (−20)"


def test_the_deductions_are_a_setting(
    session: Session, people: People, clock: FixedClock, tmp_path: Path, march_punches: None
) -> None:
    from opsctl.services.config import set_setting

    set_setting(session, actor=people.ada, key="kpi.discipline", value="late=10,early=5,missing=0,absent=30")
    one_indicator_template(session, people, clock, tmp_path, "discipline", "attendance")
    open_cycle(session, actor=people.ada, now=clock.now(), period=parse_cycle("2026-03", today=TODAY),
               template="discipline")
    assert finals(session, people, "2026-03")["wei"]["final_score"] == 60


def test_a_closed_cycle_keeps_its_discipline(
    session: Session, people: People, clock: FixedClock, tmp_path: Path
) -> None:
    from opsctl.services.attendance.imports import import_punches

    clock.set(local("2026-04-01 10:00"))
    import_march(session, people, clock, tmp_path, date(2026, 3, 31))
    one_indicator_template(session, people, clock, tmp_path, "discipline", "attendance")
    march = parse_cycle("2026-03", today=TODAY)
    open_cycle(session, actor=people.ada, now=clock.now(), period=march, template="discipline")
    close_cycle(session, actor=people.ada, now=clock.now(), today=date(2026, 4, 1), cycle=get_cycle(session, march))
    assert finals(session, people, "2026-03")["wei"]["final_score"] == 73
    late = tmp_path / "late.csv"
    late.write_text("login,time\nwei,2026-03-09 08:58\nwei,2026-03-09 18:01\n", encoding="utf-8")
    import_punches(session, actor=people.ada, now=clock.now(), tz=TZ, path=late)
    # the punches of the 9th came after the cycle closed (live it would be 93): it stays as judged
    assert finals(session, people, "2026-03")["wei"]["final_score"] == 73


def test_the_standard_template_computes_discipline(
    session: Session, people: People, clock: FixedClock, march_punches: None
) -> None:
    from opsctl.services.kpi.scores import score_person
    from opsctl.services.kpi.templates import STANDARD

    open_cycle(session, actor=people.ada, now=clock.now(), period=parse_cycle("2026-03", today=TODAY))
    score_person(session, actor=people.mona, now=clock.now(), period=parse_cycle("2026-03", today=TODAY),
                 person=people.wei, role="supervisor", scores={i.key: "80" for i in STANDARD if i.rated})
    # 98 × 80 / 100 + 2 × 73 / 100 = 78.4 + 1.46
    assert finals(session, people, "2026-03")["wei"]["final_score"] == 79.86
    assert finals(session, people, "2026-03")["wei"]["discipline"] == 73


def test_tasks_on_time_rate(session: Session, people: People, clock: FixedClock, tmp_path: Path) -> None:
    from opsctl.services.tasks.core import add_task
    from opsctl.services.tasks.steps import cancel_task, done_task

    def task(due: str, done_at: str | None = None, cancel: bool = False) -> None:
        made = add_task(session, actor=people.ada, now=clock.now(), today=TODAY, title=f"due {due}",
                        assignee="wei", due=date.fromisoformat(due))
        if done_at:
            done_task(session, actor=people.wei, now=local(done_at), task_id=made.id or 0)
        if cancel:
            cancel_task(session, actor=people.ada, now=clock.now(), task_id=made.id or 0)

    task("2026-03-05", "2026-03-04 17:00")  # on time
    task("2026-03-06", "2026-03-09 10:00")  # late
    task("2026-03-10")  # overdue: late
    task("2026-03-20", "2026-03-12 11:00")  # done early: on time
    task("2026-03-12", "2026-03-13 07:00")  # 23:00 UTC on the 12th, but the 13th in the team's time: late
    task("2026-03-25")  # not due yet: not counted
    task("2026-03-18")  # due today, still open: not counted yet
    task("2026-03-11", cancel=True)  # cancelled: never counted
    task("2026-02-27", "2026-03-02 09:00")  # due in another month
    one_indicator_template(session, people, clock, tmp_path, "delivery", "tasks")
    open_cycle(session, actor=people.ada, now=clock.now(), period=parse_cycle("2026-03", today=TODAY),
               template="delivery")
    rows = finals(session, people, "2026-03")
    assert rows["wei"]["final_score"] == 40  # 2 of 5
    assert rows["na"]["complete"] is False and rows["na"]["missing"] == ["delivery"]
    why = explain(session, viewer=people.ada, person=people.na, period=parse_cycle("2026-03", today=TODAY),
                  today=TODAY)["indicators"][0]["how"]
    assert why == "no tasks due in the cycle"
    assert explain(session, viewer=people.ada, person=people.wei, period=parse_cycle("2026-03", today=TODAY),
                   today=TODAY)["indicators"][0]["how"] == "2 of 5 tasks done on time"
