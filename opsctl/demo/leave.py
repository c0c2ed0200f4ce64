"""The demo's leave: the year's allocations on top of the quotas, and requests made, approved
and rejected at the moments `sample_data/leave/requests.csv` gives (a few days of leave and
a half day in the sample month, one rejected, one waiting for HR, one for the manager); and
the overview: the sample month's leave and what still waits for a decision."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlmodel import Session

from opsctl.demo.build import DemoInfo, read_csv
from opsctl.models.people import Employee
from opsctl.reports.tabular import Tabular


def load_leave(session: Session, *, sample: Path, demo: DemoInfo, admin: Employee) -> None:
    from opsctl.services.leave import allocate, approve_leave, parse_span, reject_leave, request_leave
    from opsctl.services.people import get_person

    folder, tz = sample / "leave", ZoneInfo(demo.timezone)
    hr = get_person(session, "zhaomin")
    for row in read_csv(folder / "allocations.csv"):
        allocate(session, actor=hr, now=demo.now, person=get_person(session, row["login"]), code=row["type"],
                 days=float(row["days"]), year=int(row["year"]), reason=row["reason"])

    def at(text: str) -> datetime:
        return datetime.fromisoformat(text).replace(tzinfo=tz)

    for row in read_csv(folder / "requests.csv"):
        person = get_person(session, row["login"])
        asked = at(row["requested_at"])
        span = parse_span(row["from"], row["to"] or None, parse_day=date.fromisoformat)
        request = request_leave(session, actor=person, now=asked, today=asked.date(), code=row["type"], span=span,
                                reason=row["reason"])
        if row["decision"] == "approve":
            approve_leave(session, actor=get_person(session, row["decided_by"]), now=at(row["decided_at"]),
                          request_id=request.id or 0, comment=row["note"] or None)
        elif row["decision"] == "reject":
            reject_leave(session, actor=get_person(session, row["decided_by"]), now=at(row["decided_at"]),
                         request_id=request.id or 0, reason=row["note"])


def leave_overview(session: Session, *, demo: DemoInfo) -> Tabular:
    """The sample month's leave and every request still waiting for a decision."""
    from opsctl.dates import parse_month
    from opsctl.reports.leave import requests_table
    from opsctl.services.leave import list_requests
    from opsctl.services.people import get_person

    month = parse_month(demo.month, today=demo.today)
    rows = [r for r in list_requests(session, viewer=get_person(session, demo.admin))
            if r["status"] == "pending" or (r["from"] <= month.end and r["to"] >= month.start)]
    table = requests_table(sorted(rows, key=lambda r: r["id"]), title=f"Leave in {month.label} and waiting")
    table.notes = [demo.hint("What waits for whom", "today", login="liuyang"),
                   demo.hint("A balance", "leave balance chenjing")]
    return table
