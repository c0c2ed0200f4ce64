"""Synthetic data for the benchmarks: a database of N people, made fast with Core inserts."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import insert
from sqlmodel import select

from opsctl.clock import FixedClock
from opsctl.db import ensure_schema, open_engine, session_scope
from opsctl.settings import resolve_database

NOW = datetime(2026, 6, 3, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai
CLOCK = FixedClock(NOW)
TEAMS = ("Operations", "Platform", "Support", "Sales", "Finance", "Research")


def login(i: int) -> str:
    return f"p{i:04d}"


def create_database(path: Path, people: int) -> str:
    """An initialised database (admin `ada`, Asia/Shanghai) with ``people`` employees."""
    from opsctl.models.people import Employee, Team
    from opsctl.services.setup import initialize

    location = resolve_database(str(path))
    engine = open_engine(location, create=True)
    ensure_schema(engine, location, create=True)
    with session_scope(engine) as session:
        admin = initialize(session, now=NOW, timezone="Asia/Shanghai", admin_login="ada", admin_name="Ada")
        session.execute(insert(Team), [{"name": name, "created_at": NOW} for name in TEAMS])
        team_ids = {t.name: t.id for t in session.exec(select(Team))}
        managers = {name: None for name in TEAMS}
        rows = []
        for i in range(people):
            team = TEAMS[i % len(TEAMS)]
            rows.append({
                "login": login(i), "name": f"员工 {i:04d}", "team_id": team_ids[team],
                "role": "lead" if i < len(TEAMS) else "member", "manager_id": admin.id,
                "badge": f"{10000 + i}", "hired": date(2020, 1, 1), "active": True, "created_at": NOW,
            })
        session.execute(insert(Employee), rows)
        del managers
    engine.dispose()
    return f"sqlite:///{path}"
