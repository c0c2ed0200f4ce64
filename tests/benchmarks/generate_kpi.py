"""Synthetic KPI data for the benchmarks: a quarter on the standard template for N people,
rated in all four roles, with the quarter's punches behind the computed `discipline`."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, select
from sqlmodel import col

from opsctl.db import open_engine, session_scope
from opsctl.settings import resolve_database
from tests.benchmarks.generate import NOW, create_database

QUARTER = ("2026Q1", date(2026, 1, 1), date(2026, 3, 31))
PEERS = 3


def create_kpi_database(path: Path, *, people: int = 300, closed: bool = False) -> str:
    """``people`` employees in six teams; cycle 2026Q1 (standard template, for everybody):
    every person rated on every rated indicator by themself, their manager (supervisor),
    three team-mates (peers) and a customer score entered by the admin; a punch in and out
    on every weekday of the quarter, a few late. ``closed`` closes the cycle (frozen)."""
    from opsctl.models.attendance import Punch
    from opsctl.models.kpi import KpiCycle, KpiScore
    from opsctl.models.people import Employee
    from opsctl.services.kpi.cycles import close_cycle
    from opsctl.services.kpi.templates import STANDARD, get_template

    url = create_database(path, people)
    engine = open_engine(resolve_database(url))
    rng = random.Random(people)
    name, start, end = QUARTER
    with session_scope(engine) as session:
        staff = list(session.execute(select(col(Employee.id), col(Employee.team_id), col(Employee.role))
                                     .order_by(col(Employee.id))))
        admin = next(pid for pid, _team, role in staff if role == "admin")
        members = [(pid, team) for pid, team, role in staff if team is not None]
        by_team: dict[int, list[int]] = {}
        for pid, team in members:
            by_team.setdefault(team, []).append(pid)
        punches = []
        day = start
        while day <= end:
            if day.weekday() < 5:
                for pid, _team in members:
                    arrive = datetime(day.year, day.month, day.day, 0, 45, tzinfo=UTC)  # 08:45 in Shanghai
                    arrive += timedelta(minutes=rng.randint(0, 14))
                    if rng.random() < 0.01:
                        arrive += timedelta(minutes=20)  # late
                    punches += [
                        {"employee_id": pid, "at": arrive, "work_date": day, "kind": "in", "source": "import"},
                        {"employee_id": pid, "at": arrive + timedelta(hours=9, minutes=20), "work_date": day,
                         "kind": "out", "source": "import"},
                    ]
            day += timedelta(days=1)
        session.execute(insert(Punch), punches)
        cycle = KpiCycle(name=name, kind="quarter", start=start, end=end,
                         template_id=get_template(session, "standard").id or 0, status="open",
                         opened_by_id=admin, opened_at=NOW)
        session.add(cycle)
        session.flush()
        scores = []
        for pid, team in members:
            mates = [m for m in by_team[team] if m != pid]
            raters = [("self", pid), ("supervisor", admin), ("customer", admin),
                      *(("peer", m) for m in rng.sample(mates, PEERS))]
            for indicator in STANDARD:
                if indicator.rated:
                    scores += [{"cycle_id": cycle.id, "employee_id": pid, "indicator": indicator.key, "role": role,
                                "rater_id": rater, "score": float(rng.randint(60, 100)), "created_at": NOW,
                                "updated_at": NOW} for role, rater in raters]
        session.execute(insert(KpiScore), scores)
        if closed:
            close_cycle(session, actor=session.get_one(Employee, admin), now=NOW, today=NOW.date(), cycle=cycle)
    engine.dispose()
    return url
