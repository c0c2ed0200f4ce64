"""Synthetic training data for the benchmarks: a year's plan on top of N people."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import insert, select
from sqlmodel import col

from opsctl.db import open_engine, session_scope
from opsctl.settings import resolve_database
from tests.benchmarks.generate import NOW, create_database

CATEGORIES = ("knowledge", "skills", "management")
METHODS = ("internal", "external", "online")


def create_training_database(path: Path, *, people: int = 300, plans: int = 40, sessions_per_plan: int = 3) -> str:
    """``people`` employees; a 2026 plan of ``plans`` items with sessions through the year;
    every session has a fifth of the people enrolled, most present, most assessed (a few
    fail; half of those have a retake)."""
    from opsctl.models.people import Employee
    from opsctl.models.training import TrainingEnrollment, TrainingPlan, TrainingResult, TrainingSession

    url = create_database(path, people)
    engine = open_engine(resolve_database(url))
    with session_scope(engine) as session:
        ids = [row[0] for row in session.execute(select(col(Employee.id)).order_by(col(Employee.id)))]
        session.execute(insert(TrainingPlan), [
            {"year": 2026, "title": f"Course {i:03d}", "category": CATEGORIES[i % 3], "method": METHODS[i % 3],
             "quarter": i % 4 + 1, "hours": 2.0 + i % 6, "audience": "all", "created_at": NOW}
            for i in range(plans)
        ])
        plan_ids = [row[0] for row in session.execute(select(col(TrainingPlan.id)).order_by(col(TrainingPlan.id)))]
        session.execute(insert(TrainingSession), [
            {"plan_id": plan_id, "day": date(2026, 1, 5) + timedelta(days=(i * 7 + s * 29) % 350),
             "hours": 2.0 + i % 6, "created_at": NOW}
            for i, plan_id in enumerate(plan_ids) for s in range(sessions_per_plan)
        ])
        sessions = list(session.execute(select(col(TrainingSession.id), col(TrainingSession.day))))
        enrollments, results = [], []
        for n, (session_id, day) in enumerate(sessions):
            for k, employee_id in enumerate(ids[n % 5::5]):
                held = day <= NOW.date()
                enrollments.append({"session_id": session_id, "employee_id": employee_id,
                                    "attended": (k % 9 != 0) if held else None, "enrolled_at": NOW})
                if held and k % 9 != 0 and k % 3 == 0:
                    score = 40.0 + (k * 7) % 60
                    results.append({"session_id": session_id, "employee_id": employee_id, "attempt": 1,
                                    "day": day, "score": score, "pass_mark": 60.0, "passed": score >= 60,
                                    "method": "exam", "recorded_at": NOW})
        session.execute(insert(TrainingEnrollment), enrollments)
        session.execute(insert(TrainingResult), results)
    engine.dispose()
    return url
