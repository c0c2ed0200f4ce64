"""The demo's attendance: the standard schedule, the 2026 calendar, a month of punches
(CSV from HR, and a ZKTeco device's log: its USB download and what it pushed since),
corrections approved, rejected and pending; overtime requests; and the overview of the sample month."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlmodel import Session

from opsctl.demo.build import DemoInfo, read_csv
from opsctl.models.people import Employee
from opsctl.reports.tabular import Tabular


def load_attendance(session: Session, *, sample: Path, demo: DemoInfo, admin: Employee) -> None:
    from opsctl.dates import parse_time, parse_time_range, parse_weekdays
    from opsctl.services.attendance import (
        add_schedule,
        approve_fix,
        import_calendar,
        import_punches,
        reject_fix,
        request_fix,
    )
    from opsctl.services.people import get_person

    folder, now, tz = sample / "attendance", demo.now, ZoneInfo(demo.timezone)
    for row in read_csv(folder / "schedules.csv"):
        add_schedule(
            session, actor=admin, now=now, name=row["name"], start=parse_time(row["start"]),
            end=parse_time(row["end"]), breaks=parse_time_range(row["break"]) if row["break"] else None,
            late_grace=int(row["late_grace"]), early_grace=int(row["early_grace"]),
            days=parse_weekdays(row["days"]), default=row["default"] == "yes",
        )
    import_calendar(session, actor=admin, now=now, path=sample / "calendars" / "cn-2026.csv")
    for name in ("punches.csv", "zkteco-usb-1_attlog.dat", "zkteco-push-attlog.txt"):
        import_punches(session, actor=admin, now=now, tz=tz, path=folder / name)
    for row in read_csv(folder / "corrections.csv"):
        person = get_person(session, row["login"])
        request = request_fix(
            session, actor=person, now=now, tz=tz, work_date=date.fromisoformat(row["date"]),
            in_time=parse_time(row["in"]) if row["in"] else None,
            out_time=parse_time(row["out"]) if row["out"] else None, reason=row["reason"],
        )
        if row["decision"] == "approve":
            approve_fix(session, actor=get_person(session, row["decided_by"]), now=now, tz=tz,
                        request_id=request.id or 0)
        elif row["decision"] == "reject":
            reject_fix(session, actor=get_person(session, row["decided_by"]), now=now, request_id=request.id or 0,
                       reason=row["note"])
    load_overtime(session, folder=folder, tz=tz, admin=admin, now=now)


def load_overtime(session: Session, *, folder: Path, tz: ZoneInfo, admin: Employee, now: datetime) -> None:
    """Overtime asked for before (the Labour Day upgrade) and after the fact, approved, rejected and
    pending; rest-day overtime earns comp leave at 8 hours a day."""
    from opsctl.dates import parse_time
    from opsctl.services.attendance import approve_overtime, reject_overtime, request_overtime
    from opsctl.services.config import set_setting
    from opsctl.services.people import get_person

    set_setting(session, actor=admin, key="overtime_comp_hours", value="8")

    def at(text: str) -> datetime:
        return datetime.fromisoformat(text).replace(tzinfo=tz)

    for row in read_csv(folder / "overtime.csv"):
        request = request_overtime(
            session, actor=get_person(session, row["login"]), now=at(row["requested_at"]), tz=tz,
            work_date=date.fromisoformat(row["date"]), start=parse_time(row["from"]), end=parse_time(row["to"]),
            reason=row["reason"])
        if row["decision"] == "approve":
            approve_overtime(session, actor=get_person(session, row["decided_by"]), now=at(row["decided_at"]),
                             tz=tz, request_id=request.id or 0)
        elif row["decision"] == "reject":
            reject_overtime(session, actor=get_person(session, row["decided_by"]), now=at(row["decided_at"]),
                            tz=tz, request_id=request.id or 0, reason=row["note"])


def attendance_overview(session: Session, *, demo: DemoInfo) -> Tabular:
    """The sample month's summary, one row per person."""
    from opsctl.dates import parse_month
    from opsctl.reports.attendance.tables import month_table
    from opsctl.services.attendance import summarize_period

    month = parse_month(demo.month, today=demo.today)
    summaries = summarize_period(session, start=month.start, end=month.end, today=demo.today)
    table = month_table(summaries, month, today=demo.today)
    table.notes = [demo.hint("One person's month as a calendar", f"attend month {month.label} --person zhangwei")]
    return table


def demo_workbook(session: Session, *, demo: DemoInfo, path: Path) -> str:
    """`opsctl demo`: the sample month's workbook at ``path``, next to the demo database;
    says what it is."""
    from opsctl.dates import parse_month
    from opsctl.reports.attendance.xlsx import write_month_workbook
    from opsctl.services.attendance import month_export
    from opsctl.services.people import get_person

    period = parse_month(demo.month, today=demo.today)
    export = month_export(session, actor=get_person(session, demo.admin), period=period, today=demo.today,
                          now=demo.now, team=None)
    write_month_workbook(export, path, force=False)
    return f"The attendance workbook of {period.label} for HR"
