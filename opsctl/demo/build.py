"""`opsctl demo`: a throwaway database built from sample_data/, and its overview.

Each area contributes a loader (reads its sample files) and overview sections; they
are named here as ``module:function`` so the demo imports only what it runs.
"""

from __future__ import annotations

import csv
import importlib
import json
import shlex
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlmodel import Session

from opsctl.models.people import Employee
from opsctl.reports.tabular import Record, Tabular

# (session, *, sample: Path, demo: DemoInfo, admin: Employee) -> None, in order
LOADERS: list[str] = [
    "opsctl.demo.build:load_people",
    "opsctl.demo.attendance:load_attendance",
    "opsctl.demo.leave:load_leave",
    "opsctl.demo.training:load_training",
    "opsctl.demo.projects:load_projects",
    "opsctl.demo.project_plans:load_project_plans",
    "opsctl.demo.meetings:load_meetings",
    "opsctl.demo.workreports:load_workreports",
    "opsctl.demo.kpi:load_kpi",
    "opsctl.demo.merits:load_merits",
]
# (session, *, demo: DemoInfo) -> Tabular | Record | None, in order
OVERVIEW: list[str] = [
    "opsctl.demo.build:team_overview",
    "opsctl.demo.attendance:attendance_overview",
    "opsctl.demo.leave:leave_overview",
    "opsctl.demo.training:training_overview",
    "opsctl.demo.projects:projects_overview",
    "opsctl.demo.project_plans:plan_overview",
    "opsctl.demo.projects:overdue_overview",
    "opsctl.demo.meetings:followup_overview",
    "opsctl.demo.workreports:workreports_overview",
    "opsctl.demo.kpi:kpi_overview",
    "opsctl.demo.merits:merits_overview",
]


@dataclass(frozen=True)
class DemoInfo:
    now: datetime
    today: date
    timezone: str
    admin: str
    month: str
    quarter: str
    year: int
    sample: Path
    db: str = ""  # the demo's database, named in every follow-up hint

    def hint(self, what: str, args: str, *, login: str | None = None) -> str:
        """A follow-up command that runs as printed: on the demo's database, as someone in it."""
        return f"{what}: opsctl --db {shlex.quote(self.db)} --as {login or self.admin} {args}"


def sample_dir() -> Path:
    """sample_data/ inside the installed package, or beside it in a source checkout."""
    here = Path(__file__).resolve().parent.parent
    for candidate in (here / "sample_data", here.parent / "sample_data"):
        if (candidate / "demo.json").is_file():
            return candidate
    raise FileNotFoundError("sample_data/ is missing from this installation of opsctl")


def demo_info(sample: Path) -> DemoInfo:
    raw = json.loads((sample / "demo.json").read_text(encoding="utf-8"))
    now = datetime.fromisoformat(raw["now"])
    return DemoInfo(
        now=now, today=now.date(), timezone=raw["timezone"], admin=raw["admin"], month=raw["month"],
        quarter=raw["quarter"], year=int(raw["year"]), sample=sample,
    )


def _resolve(dotted: str) -> Callable[..., Any]:
    module, _, name = dotted.partition(":")
    return getattr(importlib.import_module(module), name)


def build(session: Session, demo: DemoInfo) -> Employee:
    from opsctl.services.config import freeze_clock
    from opsctl.services.setup import initialize

    people = {row["login"]: row for row in read_csv(demo.sample / "people.csv")}
    admin = initialize(
        session, now=demo.now, timezone=demo.timezone, admin_login=demo.admin,
        admin_name=people[demo.admin]["name"],
    )
    # made whole as `init` makes her: the import below may not change her own hire date
    admin.hired = date.fromisoformat(people[demo.admin]["hired"]) if people[demo.admin]["hired"] else None
    freeze_clock(session, demo.now)
    for loader in LOADERS:
        _resolve(loader)(session, sample=demo.sample, demo=demo, admin=admin)
        session.flush()
    return admin


def overview(session: Session, demo: DemoInfo) -> list[Tabular | Record]:
    parts = [_resolve(name)(session, demo=demo) for name in OVERVIEW]
    return [part for part in parts if part is not None]


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def load_people(session: Session, *, sample: Path, demo: DemoInfo, admin: Employee) -> None:
    from opsctl.services.people import add_team, edit_team, import_people

    teams = read_csv(sample / "teams.csv")
    for row in teams:
        add_team(session, actor=admin, now=demo.now, name=row["name"])
    import_people(session, actor=admin, now=demo.now, path=sample / "people.csv", today=demo.today)
    for row in teams:  # the leads are people of the file just imported
        edit_team(session, actor=admin, now=demo.now, name=row["name"], lead=row["lead"])


def team_overview(session: Session, *, demo: DemoInfo) -> Tabular:
    from opsctl.reports.tabular import columns
    from opsctl.services.people import get_person, list_teams

    return Tabular(
        f"The sample team on {demo.today:%a %Y-%m-%d}",
        columns(("name", "Team"), ("lead", "Lead"), ("members", "Members")),
        list_teams(session, viewer=get_person(session, demo.admin)),
    )
