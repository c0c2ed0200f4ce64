"""`merit suggest`: what a finished period's KPI grades and attendance call for, proposed and
never applied; accepted line by line, once each."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session, select

from opsctl.clock import FixedClock
from opsctl.errors import Conflict, InvalidInput, NotFound
from opsctl.models.merits import Merit
from opsctl.services.merits import accept_suggestions, approve_merit, revoke_merit, suggest_merits
from tests.conftest import People
from tests.followup import TODAY, closed_month, month


def february_punches(session: Session, people: People, clock: FixedClock, tmp_path: Path) -> None:
    """Every weekday of 2026-02 (no holiday calendar; 09:00–18:00): wei on time, na late on the
    first five (2–6), leo on time but absent on the 10th; sam never punched."""
    from opsctl.services.attendance import import_punches

    lines = ["login,time"]
    day = date(2026, 2, 1)
    while day.month == 2:
        if day.weekday() < 5:
            lines += [f"wei,{day} 08:50", f"wei,{day} 18:05"]
            late = day.day <= 6
            lines += [f"na,{day} {'09:20' if late else '08:55'}", f"na,{day} 18:10"]
            if day != date(2026, 2, 10):
                lines += [f"leo,{day} 08:40", f"leo,{day} 18:30"]
        day += timedelta(days=1)
    path = tmp_path / "feb.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    import_punches(session, actor=people.ada, now=clock.now(), tz=ZoneInfo("Asia/Shanghai"), path=path)
    session.commit()


def test_suggestions_from_grades_and_attendance(session: Session, people: People, clock: FixedClock,
                                                tmp_path: Path) -> None:
    february_punches(session, people, clock, tmp_path)
    closed_month(session, people, clock)  # wei A, na D, sam E
    lines = {line["id"]: line for line in suggest_merits(session, viewer=people.hana, period=month(), today=TODAY)}
    assert lines["2026-02:wei:grade_a"]["points"] == 10 and lines["2026-02:wei:grade_a"]["source"] == "kpi"
    assert lines["2026-02:wei:clean"]["kind"] == "reward"
    assert lines["2026-02:na:late"]["points"] == -3  # 5 late, 2 without penalty, 1 point each
    assert lines["2026-02:leo:absent"]["points"] == -5
    assert lines["2026-02:sam:absent"]["points"] == -100  # 20 workdays absent × 5
    assert "2026-02:na:clean" not in lines and "2026-02:leo:clean" not in lines
    assert session.exec(select(Merit)).all() == []  # nothing applied


def test_accepting_lines_adds_pending_entries_once(session: Session, people: People, clock: FixedClock,
                                                   tmp_path: Path) -> None:
    february_punches(session, people, clock, tmp_path)
    closed_month(session, people, clock)
    made = accept_suggestions(session, actor=people.hana, now=clock.now(), today=TODAY,
                              ids=["2026-02:wei:grade_a", "2026-02:na:late"])
    assert [(m.kind, m.points, m.status, m.cycle, m.source) for m in made] == [
        ("reward", 10, "pending", "2026-02", "kpi"), ("penalty", 3, "pending", "2026-02", "attendance")]
    approve_merit(session, actor=people.mona, now=clock.now(), merit_id=made[0].id or 0)
    lines = {line["id"]: line for line in suggest_merits(session, viewer=people.hana, period=month(), today=TODAY)}
    assert lines["2026-02:wei:grade_a"]["accepted"] == f"#{made[0].id}"
    with pytest.raises(Conflict, match="accepted already"):
        accept_suggestions(session, actor=people.hana, now=clock.now(), today=TODAY, ids=["2026-02:wei:grade_a"])
    revoke_merit(session, actor=people.hana, now=clock.now(), merit_id=made[1].id or 0, reason="Sick, not late")
    lines = {line["id"]: line for line in suggest_merits(session, viewer=people.hana, period=month(), today=TODAY)}
    assert lines["2026-02:na:late"]["accepted"] == f"#{made[1].id} (revoked)"
    with pytest.raises(Conflict, match=r"accepted already as #\d+ \(revoked\)"):
        accept_suggestions(session, actor=people.hana, now=clock.now(), today=TODAY, ids=["2026-02:na:late"])
    with pytest.raises(NotFound, match="no suggestion 2026-02:wei:late"):
        accept_suggestions(session, actor=people.hana, now=clock.now(), today=TODAY, ids=["2026-02:wei:late"])
    with pytest.raises(InvalidInput, match="not a suggestion id"):
        accept_suggestions(session, actor=people.hana, now=clock.now(), today=TODAY, ids=["wei"])


def test_no_suggestions_before_the_period_is_over(session: Session, people: People) -> None:
    with pytest.raises(InvalidInput, match="runs until 2026-03-31"):
        suggest_merits(session, viewer=people.hana, period=month("2026-03"), today=TODAY)


def test_a_manager_sees_and_accepts_only_their_reports_lines(session: Session, people: People, clock: FixedClock,
                                                             tmp_path: Path) -> None:
    february_punches(session, people, clock, tmp_path)
    assert {line["login"] for line in suggest_merits(session, viewer=people.wei, period=month(), today=TODAY)} <= {
        "wei"}
    with pytest.raises(NotFound):
        accept_suggestions(session, actor=people.wei, now=clock.now(), today=TODAY, ids=["2026-02:na:late"])
