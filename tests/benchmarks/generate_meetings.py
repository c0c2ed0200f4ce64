"""Synthetic meetings for the benchmarks: a year and a half of a busy department's meetings."""

from __future__ import annotations

import random
from datetime import timedelta
from pathlib import Path

from sqlalchemy import insert
from sqlmodel import col

from opsctl.db import open_engine, session_scope
from opsctl.settings import resolve_database
from tests.benchmarks.generate import NOW, create_database


def create_meeting_database(path: Path, *, people: int = 200, series: int = 60, one_offs: int = 2000,
                            actions: int = 3000) -> str:
    """``series`` weekly meetings running since 2025-06 (six people each, every past occurrence with
    minutes), ``one_offs`` single meetings from 2025-06 to 2026-12, and ``actions`` action items
    (tasks, a third of them still open) spread over the past occurrences."""
    from opsctl.models.meetings import Meeting, MeetingAction, MeetingOccurrence, MeetingParticipant
    from opsctl.models.people import Employee
    from opsctl.models.projects import Task

    url = create_database(path, people)
    engine = open_engine(resolve_database(str(path)))
    rng = random.Random(7)
    first = NOW - timedelta(days=364)  # a Wednesday, 10:00 in Shanghai
    with session_scope(engine) as session:
        ids = [row[0] for row in session.query(col(Employee.id)).order_by(col(Employee.id))]
        meetings = [
            {"title": f"Weekly {i}", "organizer_id": ids[1 + i], "starts_at": first + timedelta(hours=i % 8),
             "duration_min": 60, "location": "Room", "timezone": "Asia/Shanghai", "rule": "FREQ=WEEKLY",
             "last_start": None, "agenda": '["Open actions", "News"]', "revision": 0, "created_at": first}
            for i in range(series)
        ]
        for i in range(one_offs):
            start = first + timedelta(days=rng.randint(0, 540), hours=rng.randint(0, 8))
            meetings.append({"title": f"Meeting {i}", "organizer_id": rng.choice(ids), "starts_at": start,
                             "duration_min": 30, "location": None, "timezone": "Asia/Shanghai", "rule": None,
                             "last_start": start, "agenda": "[]", "revision": 0, "created_at": first})
        session.execute(insert(Meeting), meetings)
        meeting_ids = [row[0] for row in session.query(col(Meeting.id)).order_by(col(Meeting.id))]
        session.execute(insert(MeetingParticipant), [
            {"meeting_id": m, "employee_id": p}
            for m in meeting_ids for p in {ids[(m * 7 + k * 13) % len(ids)] for k in range(6)}
        ])
        occurrences = [
            {"meeting_id": meeting_ids[i], "seq": week + 1, "original_start": meetings[i]["starts_at"] +
             timedelta(weeks=week), "starts_at": meetings[i]["starts_at"] + timedelta(weeks=week),
             "status": "scheduled", "minutes": "# Notes\n\nAll fine.\n", "minutes_by_id": ids[1 + i],
             "minutes_at": NOW}
            for i in range(series) for week in range(52)
        ]
        session.execute(insert(MeetingOccurrence), occurrences)
        occurrence_ids = [row[0] for row in session.query(col(MeetingOccurrence.id))]
        today = (NOW + timedelta(hours=8)).date()
        session.execute(insert(Task), [
            {"title": f"Action {i}", "assignee_id": rng.choice(ids), "created_by_id": ids[0],
             "status": "todo" if i % 3 == 0 else "done", "priority": "normal",
             "due": today + timedelta(days=rng.randint(-90, 30)), "tags": "", "created_at": NOW,
             "updated_at": NOW}
            for i in range(actions)
        ])
        task_ids = [row[0] for row in session.query(col(Task.id)).order_by(col(Task.id))]
        session.execute(insert(MeetingAction), [
            {"occurrence_id": rng.choice(occurrence_ids), "task_id": task, "created_at": NOW,
             "created_by_id": ids[0]}
            for task in task_ids
        ])
    engine.dispose()
    return url
