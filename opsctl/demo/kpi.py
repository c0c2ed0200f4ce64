"""The demo's KPI: the first quarter of 2026 on the standard template, open and almost fully
scored (Emily's `projects` and `customer` are still missing), its discipline computed from
the quarter's punches; and the overview: the quarter's ranking."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

from sqlmodel import Session

from opsctl.demo.build import DemoInfo
from opsctl.models.people import Employee
from opsctl.reports.tabular import Tabular


def load_kpi(session: Session, *, sample: Path, demo: DemoInfo, admin: Employee) -> None:
    from opsctl.dates import parse_quarter
    from opsctl.services.attendance import import_punches
    from opsctl.services.kpi import import_scores, open_cycle
    from opsctl.services.people import get_person

    folder = sample / "kpi"
    quarter = parse_quarter(demo.quarter, today=demo.today)
    import_punches(session, actor=admin, now=demo.now, tz=ZoneInfo(demo.timezone),
                   path=folder / f"punches-{quarter.label}.csv")
    open_cycle(session, actor=get_person(session, "wangfang"), now=demo.now, period=quarter)
    import_scores(session, actor=get_person(session, "zhaomin"), now=demo.now,
                  path=folder / f"scores-{quarter.label}.csv", period=quarter)


def kpi_overview(session: Session, *, demo: DemoInfo) -> Tabular:
    from opsctl.dates import parse_quarter
    from opsctl.reports.kpi.tables import results_table
    from opsctl.services.kpi import results
    from opsctl.services.people import get_person

    quarter = parse_quarter(demo.quarter, today=demo.today)
    data = results(session, viewer=get_person(session, demo.admin), period=quarter, today=demo.today)
    table = results_table(data)
    table.notes.append(demo.hint("Why a score is what it is", f"kpi show zhangwei --cycle {demo.quarter}"))
    return table
