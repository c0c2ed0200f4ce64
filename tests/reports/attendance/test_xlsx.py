"""The HR workbook as HR opens it: four sheets, the documented headers, numbers as numbers,
a code and a colour per day, every punch, a legend of what is used, frozen panes, print
setup, text that never turns into a formula, and Chinese when asked."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import event
from sqlalchemy.engine import Connection
from sqlalchemy.engine.interfaces import DBAPICursor
from sqlmodel import Session

from opsctl.clock import FixedClock
from opsctl.dates import Period, parse_month
from opsctl.errors import InvalidInput, NotAllowed, NotFound
from opsctl.models.attendance import Punch
from opsctl.models.people import Employee
from opsctl.reports.attendance.xlsx import KIND_FILLS, STATUS_FILLS, write_month_workbook
from opsctl.services.attendance.calendar import add_calendar_day
from opsctl.services.attendance.export import month_export
from opsctl.services.attendance.schedules import add_schedule
from opsctl.services.leave.approvals import approve_leave
from opsctl.services.leave.days import Span
from opsctl.services.leave.requests import request_leave
from opsctl.services.people.employees import add_person
from opsctl.services.people.teams import add_team
from tests.conftest import People, pk

TZ = ZoneInfo("Asia/Shanghai")
FEBRUARY = date(2026, 2, 1)
TODAY = date(2026, 3, 18)  # the clock fixture's day
EVIL_NAME = '=HYPERLINK("http://evil.example","click")'
EN_HEADER = ["Login", "Name", "Team", "Workdays", "Present days", "Late count", "Late minutes", "Early leave count",
             "Early leave minutes", "Missing punches", "Absent days", "Leave days", "Overtime hours", "Work hours"]


def punch(session: Session, person: Employee, *times: str, note: str | None = None, on: date | None = None) -> None:
    for text in times:
        at = datetime.fromisoformat(text).replace(tzinfo=TZ).astimezone(UTC)
        session.add(Punch(employee_id=pk(person), at=at, work_date=on or date.fromisoformat(text[:10]),
                          source="import", note=note))
    session.flush()


def build_february(session: Session, people: People, clock: FixedClock) -> None:
    """February 2026 for the test team: the Spring Festival (16th, 17th holidays, 20th off,
    Saturday 14th a make-up workday), and wei's month with one of everything, sick leave too."""
    now, hr = clock.now(), people.hana
    add_schedule(session, actor=hr, now=now, name="Standard", start=time(9), end=time(18),
                 breaks=(time(12), time(13)), late_grace=5)
    for day, kind in ((14, "workday"), (16, "holiday"), (17, "holiday"), (20, "off")):
        add_calendar_day(session, actor=hr, now=now, day=date(2026, 2, day), kind=kind, name="Spring Festival")
    add_team(session, actor=people.ada, now=now, name="@Growth")
    evil = add_person(session, actor=people.ada, now=now, login="evil", name=EVIL_NAME, team="@Growth",
                      manager="mona", hired=date(2026, 2, 23))
    punch(session, people.wei, "2026-02-02 08:55", "2026-02-02 18:05")  # present
    punch(session, people.wei, "2026-02-03 09:20", "2026-02-03 18:00")  # late 20
    punch(session, people.wei, "2026-02-04 08:50")  # missing punch
    # 02-05: nothing, absent
    punch(session, people.wei, "2026-02-06 08:58", "2026-02-06 19:10")  # 70 min overtime
    punch(session, people.wei, "2026-02-07 10:00", "2026-02-07 12:00")  # Saturday: rest-day overtime
    punch(session, people.wei, "2026-02-14 09:00", "2026-02-14 18:00")  # the make-up Saturday
    punch(session, people.wei, "2026-02-16 10:00", "2026-02-16 15:00")  # worked on a holiday
    punch(session, people.wei, "2026-02-23 08:59", note="-1 badge reader")
    punch(session, people.wei, "2026-02-23 18:01", note="@hana please check")
    punch(session, evil, "2026-02-24 09:00", "2026-02-24 18:00", note="=1+1")
    sick = request_leave(session, actor=hr, now=now, today=TODAY, code="sick", login="wei", reason="flu",
                         span=Span(date(2026, 2, 9), "am", date(2026, 2, 10), "am"))  # 1.5 days; the 10th pm: absent
    approve_leave(session, actor=people.mona, now=now, request_id=sick.id or 0)
    session.commit()


@pytest.fixture
def february(session: Session, people: People, clock: FixedClock) -> Period:
    build_february(session, people, clock)
    return parse_month("2026-02", today=TODAY)


def workbook(session: Session, tmp_path: Path, period: Period, *, actor: Employee, lang: str = "en",
             today: date = TODAY, team: str | None = None) -> Workbook:
    data = month_export(session, actor=actor, period=period, today=today,
                        now=datetime.combine(today, time(1, 30), UTC), team=team)
    path = tmp_path / f"a-{lang}.xlsx"
    write_month_workbook(data, path, lang=lang, force=True)
    return load_workbook(path)


def rows_of(sheet: Worksheet, header_row: int) -> dict[str, dict[str, Any]]:
    """Every row below the header, by login, as header -> cell."""
    headers = [c.value for c in sheet[header_row]]
    found: dict[str, dict[str, Any]] = {}
    for row in sheet.iter_rows(min_row=header_row + 1):
        if row[0].value is not None:
            found.setdefault(row[0].value, {}).update(dict(zip(headers, row, strict=False)))
    return found


def test_four_sheets_and_a_summary_of_numbers(
    session: Session, people: People, february: Period, tmp_path: Path
) -> None:
    book = workbook(session, tmp_path, february, actor=people.hana)
    assert book.sheetnames == ["Summary", "Daily", "Punches", "Legend"]
    summary = book["Summary"]
    assert summary["A1"].value == "Attendance 2026-02 — all teams"  # a finished month: no "as of"
    header = [c.value for c in summary[4]]
    assert header[:14] == EN_HEADER
    assert header[14:] == ["Sick leave (days)", "Overtime on workdays (h)", "Overtime on rest days (h)",
                           "Overtime on holidays (h)", "Approved OT workdays (h)", "Approved OT rest days (h)",
                           "Approved OT holidays (h)", "Unapproved OT (h)"]
    wei = {key: cell.value for key, cell in rows_of(summary, 4)["wei"].items()}
    assert wei | {"Work hours": 0} == {
        "Login": "wei", "Name": "张伟", "Team": "Ops", "Workdays": 18, "Present days": 6, "Late count": 1,
        "Late minutes": 20, "Early leave count": 0, "Early leave minutes": 0, "Missing punches": 1,
        "Absent days": 10.5, "Leave days": 1.5, "Overtime hours": 7.17, "Work hours": 0, "Sick leave (days)": 1.5,
        "Overtime on workdays (h)": 1.17, "Overtime on rest days (h)": 2, "Overtime on holidays (h)": 4,
        "Approved OT workdays (h)": 0, "Approved OT rest days (h)": 0, "Approved OT holidays (h)": 0,
        "Unapproved OT (h)": 7.17}  # nobody asked for the overtime
    assert all(cell.data_type == "n" for key, cell in rows_of(summary, 4)["wei"].items() if key not in EN_HEADER[:3])
    assert summary["M5"].number_format == "0.00"
    assert sorted(rows_of(summary, 4)) == ["ada", "evil", "hana", "leo", "mona", "na", "sam", "wei"]
    assert summary.freeze_panes == "C5"  # header rows and the login and name columns stay
    assert summary.print_title_rows == "$4:$4"
    assert summary.page_setup.orientation == "landscape" and summary.page_setup.fitToWidth == 1
    assert summary.page_setup.fitToHeight == 0 and summary.sheet_properties.pageSetUpPr.fitToPage


def test_a_code_and_a_colour_per_day(session: Session, people: People, february: Period, tmp_path: Path) -> None:
    daily = workbook(session, tmp_path, february, actor=people.hana)["Daily"]
    assert [daily.cell(4, c).value for c in range(1, 5)] == ["Login", "Name", "Team", 1]
    assert [daily.cell(5, c).value for c in (4, 17, 20, 23)] == ["Sun", "Sat", "Tue", "Fri"]
    assert [daily.cell(6, c).value for c in (17, 19, 20, 23)] == ["work", "hol", "hol", "off"]
    assert daily.cell(4, 17).fill.fgColor.rgb.endswith(KIND_FILLS["makeup"])  # Sat 14th: a make-up workday
    assert daily.cell(4, 19).fill.fgColor.rgb.endswith(KIND_FILLS["holiday"])
    assert daily.cell(4, 10).fill.fgColor.rgb.endswith(KIND_FILLS["rest"])  # Sat 7th
    wei = next(row for row in daily.iter_rows(min_row=7) if row[0].value == "wei")
    codes = {day: wei[day + 2].value for day in (1, 2, 3, 4, 5, 6, 7, 9, 10, 14, 16, 20, 23)}
    assert codes == {1: "-", 2: "✓", 3: "L", 4: "M", 5: "A", 6: "✓+", 7: "R+", 9: "V", 10: "vA", 14: "✓", 16: "H+",
                     20: "=", 23: "✓"}
    assert wei[9 + 2].fill.fgColor.rgb.endswith(STATUS_FILLS["leave"])
    assert wei[5 + 2].fill.fgColor.rgb.endswith(STATUS_FILLS["absent"])
    assert wei[5 + 2].font.color.rgb.endswith("9C0006") and wei[5 + 2].font.b
    assert wei[1 + 2].data_type == "s" and wei[20 + 2].data_type == "s"  # "-" and "=" are text, not formulas
    evil = next(row for row in daily.iter_rows(min_row=7) if row[0].value == "evil")
    assert [c.value for c in evil[3:3 + 22]] == [None] * 22  # hired on the 23rd: nothing before
    assert daily.freeze_panes == "D7" and daily.print_title_rows == "$4:$6"


def test_every_punch_in_order_with_its_note(session: Session, people: People, february: Period, tmp_path: Path) -> None:
    punches = workbook(session, tmp_path, february, actor=people.hana)["Punches"]
    assert [c.value for c in punches[4]] == ["Login", "Name", "Date", "Time", "Kind", "Source", "Note"]
    rows = [[c.value for c in row] for row in punches.iter_rows(min_row=5)]
    assert len(rows) == 17 and [r[0] for r in rows] == ["evil"] * 2 + ["wei"] * 15
    assert rows[0][:2] == ["evil", EVIL_NAME] and rows[0][6] == "=1+1"
    first_wei = rows[2]
    assert first_wei[2].date() == date(2026, 2, 2) and first_wei[3] == timedelta(hours=8, minutes=55)
    assert first_wei[4:6] == [None, "import"]  # the kind as the source gave it: none
    assert [r[6] for r in rows if r[6]] == ["=1+1", "=1+1", "-1 badge reader", "@hana please check"]
    cells = list(punches.iter_rows(min_row=5))
    assert {row[6].data_type for row in cells if row[6].value} == {"s"} and cells[0][1].data_type == "s"
    assert punches["C5"].number_format == "yyyy-mm-dd" and punches["D5"].number_format == "[hh]:mm"
    assert punches.freeze_panes == "C5" and punches.auto_filter.ref == "A4:G21"


def test_the_legend_lists_what_is_used_and_the_rules(
    session: Session, people: People, february: Period, tmp_path: Path
) -> None:
    legend = workbook(session, tmp_path, february, actor=people.hana)["Legend"]
    cells = [[c.value for c in row] for row in legend.iter_rows()]
    table = {row[0]: row[1] for row in cells if row[0] is not None}
    for code, meaning in (("✓", "present, on time"), ("L", "late"), ("M", "missing punch (only one punch)"),
                          ("A", "absent"), ("-", "rest day"), ("=", "adjusted day off"), ("R+", "worked on a rest "
                          "day (all overtime)"), ("H+", "worked on a public holiday (all overtime)")):
        assert table[code] == meaning
    assert table["V"] == "on leave" and table["vA"] == "half-day leave, absent the other half"
    assert "E" not in table and "v" not in table  # nobody left early or took half a day and came: not listed
    assert table["+"].startswith("added to a workday's code: overtime after the shift")
    assert table["work"] == "make-up workday" and table["hol"] == "public holiday"
    assert table[datetime(2026, 2, 14)] == "make-up workday"
    assert (table["Late grace (min)"], table["Early grace (min)"], table["Overtime from (min)"]) == (5, 0, 30)
    assert table["Hours"] == "09:00–18:00" and table["Workdays"] == "Mon–Fri" and table["People"] == 8
    assert any(str(row[0]).startswith("• Overtime: on a workday") and "30 minutes" in row[0] for row in cells)
    fills = {row[0].value: row[0].fill.fgColor.rgb for row in legend.iter_rows() if row[0].value in ("A", "✓")}
    assert fills["A"].endswith(STATUS_FILLS["absent"]) and fills["✓"].endswith(STATUS_FILLS["present"])


def test_a_month_in_progress_shows_what_is_known(
    session: Session, people: People, february: Period, tmp_path: Path
) -> None:
    punch(session, people.wei, "2026-03-17 08:50", "2026-03-17 18:00")
    session.commit()
    book = workbook(session, tmp_path, parse_month("2026-03", today=TODAY), actor=people.hana)
    assert book["Summary"]["A1"].value == "Attendance 2026-03 — all teams, as of 2026-03-18"
    assert "days from 2026-03-18 on are not judged yet" in book["Summary"]["A3"].value
    wei = next(row for row in book["Daily"].iter_rows(min_row=7) if row[0].value == "wei")
    assert [wei[day + 2].value for day in (16, 17, 18, 19, 20, 21)] == ["A", "✓", "open", None, None, None]
    assert wei[21 + 2].fill.fgColor.rgb.endswith(KIND_FILLS["rest"])  # a Saturday to come: shaded, blank
    summary = {k: c.value for k, c in rows_of(book["Summary"], 4)["wei"].items()}
    assert (summary["Workdays"], summary["Present days"], summary["Absent days"]) == (22, 1, 11)


def test_chinese_sheets_headers_and_codes(session: Session, people: People, february: Period, tmp_path: Path) -> None:
    book = workbook(session, tmp_path, february, actor=people.hana, lang="zh")
    assert book.sheetnames == ["汇总", "每日", "打卡明细", "说明"]
    assert book["汇总"]["A1"].value == "考勤汇总 2026-02 — 全部团队"
    assert [c.value for c in book["汇总"][4]][:6] == ["登录名", "姓名", "团队", "应出勤天数", "出勤天数", "迟到次数"]
    wei = next(row for row in book["每日"].iter_rows(min_row=7) if row[0].value == "wei")
    assert [wei[day + 2].value for day in (2, 3, 4, 5, 6, 7, 9, 10, 16)] == ["√", "迟", "缺", "旷", "√加", "休加", "假",
                                                                          "半旷", "节加"]
    assert [c.value for c in book["汇总"][4]][14] == "病假（天）"
    assert [book["每日"].cell(5, c).value for c in (4, 5)] == ["日", "一"]
    assert [c.value for c in book["打卡明细"][4]] == ["登录名", "姓名", "日期", "时间", "类型", "来源", "备注"]
    legend = {row[0].value: row[1].value for row in book["说明"].iter_rows() if row[0].value}
    assert legend["旷"] == "旷工" and legend["班"] == "调休上班（补班）" and legend["迟到宽限（分钟）"] == 5
    # the adjusted day off (the 20th) and a rest day (Saturday 21st) are told apart, and the legend says which
    assert [wei[day + 2].value for day in (20, 21)] == ["调", "休"] and book["每日"].cell(6, 20 + 3).value == "调"
    assert (legend["调"], legend["休"]) == ("调休日", "休息日")


def test_names_fit_their_columns(
    session: Session, people: People, february: Period, tmp_path: Path, clock: FixedClock
) -> None:
    add_person(session, actor=people.ada, now=clock.now(), login="ouyang", name="欧阳" * 6, team="Ops")
    session.commit()
    book = workbook(session, tmp_path, february, actor=people.hana)
    for sheet in ("Summary", "Daily"):  # twelve Chinese characters are 24 columns wide
        assert book[sheet].column_dimensions["B"].width >= 24


def test_who_may_export(session: Session, people: People, february: Period, clock: FixedClock) -> None:
    for member in (people.wei, people.leo):  # a member, a team lead
        with pytest.raises(NotAllowed, match="only manager, hr or admin may export the attendance workbook"):
            month_export(session, actor=member, period=february, today=TODAY, now=clock.now())
    managed = month_export(session, actor=people.mona, period=february, today=TODAY, now=clock.now())
    assert {s.login for s in managed.summaries} == {"mona", "sam", "evil", "leo", "na", "wei"}
    assert managed.hidden == 2  # ada and hana: not hers to report
    new = add_person(session, actor=people.ada, now=clock.now(), login="max", name="Max", role="manager")
    with pytest.raises(NotAllowed, match="nobody in team Ops employed in 2026-02 is one of them"):
        month_export(session, actor=new, period=february, today=TODAY, now=clock.now(), team="Ops")


def test_a_managers_workbook_is_titled_with_whom_it_holds(
    session: Session, people: People, february: Period, tmp_path: Path
) -> None:
    book = workbook(session, tmp_path, february, actor=people.mona)  # not ada and hana: not "all teams"
    assert book["Summary"]["A1"].value == "Attendance 2026-02 — people under Mona Manager (mona)"
    assert book["Daily"]["A1"].value == "Daily attendance 2026-02 — people under Mona Manager (mona)"
    ops = workbook(session, tmp_path, february, actor=people.mona, team="Ops")  # all of Ops is hers
    assert ops["Summary"]["A1"].value == "Attendance 2026-02 — team Ops"
    chinese = workbook(session, tmp_path, february, actor=people.mona, lang="zh")
    assert chinese["汇总"]["A1"].value == "考勤汇总 2026-02 — Mona Manager (mona) 管理的人员"


def test_months_and_teams_that_cannot_be_exported(
    session: Session, people: People, february: Period, clock: FixedClock
) -> None:
    def export(**options: Any) -> Any:
        return month_export(session, actor=people.hana, today=TODAY, now=clock.now(), **options)

    with pytest.raises(InvalidInput, match="2026-04 has not begun"):
        export(period=parse_month("2026-04", today=TODAY))
    with pytest.raises(NotFound, match="unknown team 'Nowhere'"):
        export(period=february, team="Nowhere")
    add_team(session, actor=people.ada, now=clock.now(), name="Empty")
    with pytest.raises(NotFound, match="nobody in team Empty was employed in 2026-02"):
        export(period=february, team="Empty")
    assert [s.login for s in export(period=february, team="@Growth").summaries] == ["evil"]


def test_an_export_is_a_few_queries_whatever_the_team_size(
    session: Session, people: People, february: Period, clock: FixedClock
) -> None:
    def statements() -> int:
        session.commit()
        seen: list[str] = []
        engine = session.get_bind()

        def count(conn: Connection, cursor: DBAPICursor, statement: str, *args: object) -> None:
            seen.append(statement)

        event.listen(engine, "before_cursor_execute", count)
        try:
            month_export(session, actor=people.hana, period=february, today=TODAY, now=clock.now())
        finally:
            event.remove(engine, "before_cursor_execute", count)
        return len([s for s in seen if s.split()[0] == "SELECT"])

    few = statements()
    for i in range(30):
        person = add_person(session, actor=people.ada, now=clock.now(), login=f"x{i}", name=f"X {i}", team="Ops")
        punch(session, person, f"2026-02-{i % 27 + 1:02d} 09:00", f"2026-02-{i % 27 + 1:02d} 18:00")
    assert statements() == few and few <= 15, few


def test_leave_columns_are_named_after_the_leave_types() -> None:
    from opsctl.reports.attendance.xlsx_text import EN, ZH

    assert EN.leave_column("study", "Study leave / 学习假") == "Study leave (days)"
    assert ZH.leave_column("study", "Study leave / 学习假") == "学习假（天）"
    assert EN.leave_column("study", "Study") == "Study (days)" and ZH.leave_column("gone", None) == "gone（天）"


def test_a_night_shift_punch_reads_past_midnight(
    session: Session, people: People, february: Period, tmp_path: Path, clock: FixedClock
) -> None:
    from opsctl.services.attendance.schedules import assign_schedule

    add_schedule(session, actor=people.hana, now=clock.now(), name="Night", start=time(22), end=time(6))
    assign_schedule(session, actor=people.hana, now=clock.now(), login="na", name="Night", since=date(2026, 2, 1))
    punch(session, people.na, "2026-02-02 21:58", "2026-02-03 06:05", on=date(2026, 2, 2))
    session.commit()
    book = workbook(session, tmp_path, february, actor=people.hana)
    na = [[c.value for c in row] for row in book["Punches"].iter_rows(min_row=5) if row[0].value == "na"]
    assert [(row[2].date(), row[3]) for row in na] == [
        (date(2026, 2, 2), timedelta(hours=21, minutes=58)), (date(2026, 2, 2), timedelta(hours=30, minutes=5))]
    legend = {row[0].value: [c.value for c in row[1:3]] for row in book["Legend"].iter_rows() if row[0].value}
    assert legend["Schedule"] == ["Standard", "Night"] and legend["People"] == [7, 1]  # na works nights
    assert legend["Hours"] == ["09:00–18:00", "22:00–06:00"] and legend["Break"] == ["12:00–13:00", "none"]
