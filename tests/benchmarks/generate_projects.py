"""A big project for the benchmarks (issue 18): 500 tasks, 50 milestones, 200 costs, 30 risks and
a plan, on top of generate.create_database; and files to store with `project doc add`."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import insert
from sqlmodel import col

from opsctl.db import open_engine, session_scope
from opsctl.settings import resolve_database
from tests.benchmarks.generate import NOW, create_database

START = date(2026, 1, 5)


def create_project_database(path: Path, *, tasks: int = 500, milestones: int = 50, costs: int = 200,
                            people: int = 200) -> str:
    """P-BIG, owned by p0001 with 20 members, active, its plan approved; tasks spread over its milestones."""
    from opsctl.models.people import Employee
    from opsctl.models.project_history import ProjectEvent, ProjectMember
    from opsctl.models.project_plans import Cost, ProjectPlan, Risk
    from opsctl.models.projects import Milestone, Project, Task

    url = create_database(path, people)
    engine = open_engine(resolve_database(str(path)))
    rng = random.Random(18)
    with session_scope(engine) as session:
        ids = [row[0] for row in session.query(col(Employee.id)).order_by(col(Employee.id))]
        owner, crew = ids[1], ids[2:22]
        session.execute(insert(Project), [{
            "code": "P-BIG", "name": "A big project", "owner_id": owner, "status": "active", "round": 0,
            "start": START, "due": START + timedelta(days=400), "budget": 500_000.0, "created_by_id": owner,
            "created_at": NOW, "updated_at": NOW}])
        project = session.query(col(Project.id)).one()[0]
        session.execute(insert(ProjectMember), [
            {"project_id": project, "employee_id": person, "role": "member", "added_at": NOW} for person in crew])
        session.execute(insert(ProjectEvent), [
            {"project_id": project, "at": NOW, "actor_id": owner, "step": step, "from_status": None,
             "to_status": "active", "text": None, "round": 0} for step in ("propose", "approve", "start", "plan")])
        session.execute(insert(ProjectPlan), [{
            "project_id": project, "version": 1, "content": "The work", "resources": "20 people",
            "written_by_id": owner, "written_at": NOW, "approved_by_id": ids[0], "approved_at": NOW}])
        rows = []
        for i in range(milestones):
            baseline = START + timedelta(days=8 * i)
            rows.append({"project_id": project, "title": f"Milestone {i}", "owner_id": rng.choice(crew),
                         "due": baseline + timedelta(days=rng.choice((0, 0, 3, 10))), "baseline_due": baseline,
                         "done_on": baseline if i < 20 else None, "created_at": NOW, "updated_at": NOW})
        session.execute(insert(Milestone), rows)
        milestone_ids = [row[0] for row in session.query(col(Milestone.id))]
        session.execute(insert(Task), [{
            "title": f"Task {i}", "project_id": project, "milestone_id": rng.choice(milestone_ids),
            "assignee_id": rng.choice(crew), "created_by_id": owner,
            "status": rng.choice(("todo", "in_progress", "done", "done", "done")), "priority": "normal",
            "due": START + timedelta(days=rng.randint(0, 400)), "estimate_hours": 4.0, "tags": "",
            "created_at": NOW, "updated_at": NOW} for i in range(tasks)])
        session.execute(insert(Cost), [{
            "project_id": project, "amount_cents": rng.randint(1_000, 300_000), "category": "services",
            "spent_on": START + timedelta(days=i), "claimant_id": rng.choice(crew),
            "status": rng.choice(("approved", "approved", "pending", "rejected")), "created_at": NOW}
            for i in range(costs)])
        session.execute(insert(Risk), [{
            "project_id": project, "text": f"Risk {i}", "likelihood": rng.randint(1, 5), "impact": rng.randint(1, 5),
            "owner_id": rng.choice(crew), "review_on": START + timedelta(days=30 * (i % 12)), "status": "open",
            "created_by_id": owner, "created_at": NOW, "updated_at": NOW} for i in range(30)])
    engine.dispose()
    return url


def write_file(path: Path, size: int) -> str:
    """``size`` bytes that do not compress (a scanned report, a video)."""
    rng = random.Random(size)
    with path.open("wb") as out:
        left = size
        while left:
            block = min(left, 1 << 20)
            out.write(rng.randbytes(block))
            left -= block
    return str(path)
