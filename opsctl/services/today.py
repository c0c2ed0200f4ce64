"""`opsctl today`: one person's day at a glance, from every area.

Each area contributes a section, named as ``module:function`` so that only the
areas shown are imported.
"""

from __future__ import annotations

import importlib
from datetime import date, datetime

from sqlmodel import Session

from opsctl.models.people import Employee
from opsctl.reports.tabular import Record, Tabular

# key in the JSON form -> (session, *, person, today, now) -> Tabular | Record | None
SECTIONS: dict[str, str] = {
    "person": "opsctl.services.today:who_section",
    "attendance": "opsctl.services.attendance.summary:today_section",
    "tasks": "opsctl.services.tasks.core:today_section",
    "training": "opsctl.services.training.plan:today_section",
    "meetings": "opsctl.services.meetings.views:today_section",
    "kpi": "opsctl.services.kpi.views:today_section",
    "leave": "opsctl.services.leave.views:today_section",
}


def sections(
    session: Session, *, person: Employee, today: date, now: datetime
) -> dict[str, Tabular | Record]:
    parts = {}
    for key, dotted in SECTIONS.items():
        module, _, name = dotted.partition(":")
        part = getattr(importlib.import_module(module), name)(session, person=person, today=today, now=now)
        if part is not None:
            parts[key] = part
    return parts


def who_section(session: Session, *, person: Employee, today: date, now: datetime) -> Record:
    from opsctl.services.people.employees import person_details

    details = person_details(session, person)
    data = {k: details[k] for k in ("login", "name", "team", "role", "manager")}
    return Record(f"{person.name} — {today:%A %Y-%m-%d}", data)
