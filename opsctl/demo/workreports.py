"""The demo's work reports: sample_data/workreports/reports.json — a week of reports written,
submitted (one late, one missing), reviewed and a problem raised as a task, each at its time."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlmodel import Session

from opsctl.demo.build import DemoInfo
from opsctl.models.people import Employee
from opsctl.reports.tabular import Tabular


def load_workreports(session: Session, *, sample: Path, demo: DemoInfo, admin: Employee) -> None:
    from opsctl.dates import parse_datetime_local
    from opsctl.services.people import get_person
    from opsctl.services.workreports import parse_week, raise_problem, review_report, save_report

    tz = ZoneInfo(demo.timezone)

    def at(text: str) -> datetime:
        return parse_datetime_local(text).replace(tzinfo=tz)

    spec = json.loads((sample / "workreports" / "reports.json").read_text(encoding="utf-8"))
    week = parse_week(spec["week"], today=demo.today)
    for item in spec["reports"]:
        when = at(item["submitted"])
        text = f"## Done\n{item['done']}\n## Planned next\n{item['planned']}\n## Problems and help needed\n" \
               f"{item['problems']}\n"
        report = save_report(session, actor=get_person(session, item["login"]), now=when, today=when.date(),
                             period=week, text=text, submit=True)
        if review := item.get("review"):
            review_report(session, actor=get_person(session, review["by"]), now=at(review["at"]),
                          report_id=report.id or 0, comment=review["comment"])
        if raised := item.get("raise"):
            now = at(raised["at"])
            raise_problem(session, actor=get_person(session, raised["by"]), now=now, today=now.date(),
                          report_id=report.id or 0, item=raised["item"], assignee=raised["assignee"],
                          due=date.fromisoformat(raised["due"]))


def workreports_overview(session: Session, *, demo: DemoInfo) -> Tabular:
    """Last week's reports, as the manager sees them, and who has not reported."""
    from opsctl.reports.workreports import reports_table
    from opsctl.services.people import get_person
    from opsctl.services.workreports import list_reports, missing_reports, parse_week

    week = parse_week("last", today=demo.today)
    viewer = get_person(session, "wangfang")
    table = reports_table(list_reports(session, viewer=viewer, week=week), title=f"Work reports, week {week.label}")
    missing = missing_reports(session, viewer=viewer, now=demo.now, today=demo.today, week=week)
    table.notes += [f"Not submitted: {', '.join(row['login'] for row in missing) or 'nobody'}.",
                    demo.hint("Who has not reported", f"report missing --week {week.label}", login="liuyang"),
                    demo.hint("The week in one document", f"report export --week {week.label}", login="wangfang")]
    return table
