"""`opsctl today`: one person's day at a glance, from every area.

Each area contributes a section: a service gathers its facts and a report shapes them, both
named as ``module:function`` so that only the areas shown are imported.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from sqlmodel import Session

from opsctl.models.people import Employee
from opsctl.reports.tabular import Record, Tabular

# key in the JSON form -> (service: (session, *, person, today, now) -> facts, or None for no section;
#                          report: facts -> Tabular | Record)
# Each service is the `today` module of its area: the light path of this command (CONTRIBUTING,
# "Demo and today"), which loads the area's models and other services only when it has something
# to show that needs them.
SECTIONS: dict[str, tuple[str, str]] = {
    "attendance": ("opsctl.services.attendance.today:today_facts", "opsctl.reports.attendance.tables:today_record"),
    "tasks": ("opsctl.services.tasks.today:today_facts", "opsctl.reports.tasks:today_table"),
    "training": ("opsctl.services.training.today:today_facts", "opsctl.reports.training.tables:today_table"),
    "meetings": ("opsctl.services.meetings.today:today_facts", "opsctl.reports.meetings:today_table"),
    "kpi": ("opsctl.services.kpi.today:today_facts", "opsctl.reports.kpi.tables:today_record"),
    "leave": ("opsctl.services.leave.today:today_facts", "opsctl.reports.leave:today_record"),
    "kpi_followup": ("opsctl.services.kpi.today:followup_facts", "opsctl.reports.kpi.followup:today_table"),
    "merits": ("opsctl.services.merits.today:today_facts", "opsctl.reports.merits:today_table"),
    "workreports": ("opsctl.services.workreports.today:today_facts", "opsctl.reports.workreports:today_table"),
    "projects": ("opsctl.services.projects.today:today_facts", "opsctl.reports.project_plans:today_table"),
}


def _function(dotted: str) -> Callable[..., Any]:
    module, _, name = dotted.partition(":")
    return getattr(importlib.import_module(module), name)


def sections(
    session: Session, *, person: Employee, today: date, now: datetime
) -> dict[str, Tabular | Record]:
    parts: dict[str, Tabular | Record] = {"person": who_record(session, person=person, today=today)}
    for key, (gather, shape) in SECTIONS.items():
        facts = _function(gather)(session, person=person, today=today, now=now)
        if facts is not None:
            parts[key] = _function(shape)(facts)
    return parts


def who_record(session: Session, *, person: Employee, today: date) -> Record:
    from opsctl.services.people import person_details

    details = person_details(session, person)
    data = {k: details[k] for k in ("login", "name", "team", "role", "manager")}
    return Record(f"{person.name} — {today:%A %Y-%m-%d}", data)
