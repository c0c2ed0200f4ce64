"""Synthetic projects and tasks for the benchmarks, on top of generate.create_database."""

from __future__ import annotations

import random
from datetime import timedelta
from pathlib import Path

from sqlalchemy import insert
from sqlmodel import col

from opsctl.db import open_engine, session_scope
from opsctl.settings import resolve_database
from tests.benchmarks.generate import NOW, create_database

STATUSES = ("todo",) * 4 + ("in_progress",) * 2 + ("blocked",) + ("done",) * 8 + ("cancelled",)
PRIORITIES = ("low", "normal", "normal", "normal", "high", "urgent")


def create_task_database(path: Path, *, tasks: int = 10_000, people: int = 200, projects: int = 40) -> str:
    """``people`` employees, ``projects`` active projects and ``tasks`` tasks spread over them:
    mostly done, the rest open with due dates around the data set's "now" (2026-06-03)."""
    from opsctl.models.people import Employee
    from opsctl.models.projects import Project, Task

    url = create_database(path, people)
    engine = open_engine(resolve_database(str(path)))
    rng = random.Random(6)
    today = (NOW + timedelta(hours=8)).date()
    with session_scope(engine) as session:
        ids = [row[0] for row in session.query(col(Employee.id)).order_by(col(Employee.id))]
        session.execute(insert(Project), [
            {"code": f"P-{i:03d}", "name": f"Project {i}", "owner_id": ids[1 + i % (len(ids) - 1)],
             "status": "active", "round": 0, "created_by_id": ids[0], "created_at": NOW, "updated_at": NOW}
            for i in range(projects)
        ])
        project_ids = [row[0] for row in session.query(col(Project.id))]
        rows = []
        for i in range(tasks):
            status = rng.choice(STATUSES)
            due = today + timedelta(days=rng.randint(-60, 45)) if rng.random() < 0.8 else None
            rows.append({
                "title": f"Task {i}: something to do", "project_id": rng.choice([*project_ids, None]),
                "assignee_id": ids[1 + i % (len(ids) - 1)], "created_by_id": ids[0], "status": status,
                "priority": rng.choice(PRIORITIES), "due": due, "estimate_hours": rng.choice((None, 1.0, 4.0, 8.0)),
                "tags": "", "blocked_reason": "waiting" if status == "blocked" else None,
                "created_at": NOW - timedelta(days=90), "updated_at": NOW,
                "done_at": NOW - timedelta(days=rng.randint(0, 60)) if status == "done" else None,
            })
        session.execute(insert(Task), rows)
    engine.dispose()
    return url
