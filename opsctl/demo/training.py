"""The demo's training: the sample year's plan, sessions, attendance, results (one
failure and its retake), certificates and development notes, loaded through the same
services the commands use; and the overview of the year's plan execution."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

from sqlmodel import Session

from opsctl.demo.build import DemoInfo, read_csv
from opsctl.models.people import Employee
from opsctl.reports.tabular import Column, Tabular, columns


def load_training(session: Session, *, sample: Path, demo: DemoInfo, admin: Employee) -> None:
    from opsctl.services.people import get_person
    from opsctl.services.training import (
        add_certificate,
        add_note,
        add_plan,
        add_session,
        enroll,
        mark_attendance,
        record_result,
        schedule_retake,
    )

    folder = sample / "training"
    now, today = demo.now, demo.today
    plans = {}
    for row in read_csv(folder / "plans.csv"):
        plans[row["title"]] = add_plan(
            session, actor=admin, now=now, today=today, title=row["title"], year=demo.year,
            category=row["category"], method=row["method"], quarter=row["quarter"] or None,
            trainer=row["trainer"] or None, hours=float(row["hours"]) if row["hours"] else None,
            audience=row["audience"] or "all",
        )
    sessions = {
        row["ref"]: add_session(
            session, actor=admin, now=now, plan_id=plans[row["plan"]].id or 0, day=date.fromisoformat(row["day"]),
            hours=float(row["hours"]) if row["hours"] else None, location=row["location"] or None,
        )
        for row in read_csv(folder / "sessions.csv")
    }
    marks: dict[str, dict[str, list[str]]] = defaultdict(lambda: {"yes": [], "no": []})
    for row in read_csv(folder / "enrollments.csv"):
        enroll(session, actor=admin, now=now, session_id=sessions[row["session"]].id or 0, logins=[row["login"]])
        if row["attended"]:
            marks[row["session"]][row["attended"]].append(row["login"])
    for ref, marked in marks.items():
        mark_attendance(session, actor=admin, now=now, today=today, session_id=sessions[ref].id or 0,
                        present=marked["yes"], absent=marked["no"])
    for row in read_csv(folder / "results.csv"):
        session_id = sessions[row["session"]].id or 0
        if row["retake_on"]:
            schedule_retake(session, actor=admin, now=now, session_id=session_id, login=row["login"],
                            day=date.fromisoformat(row["retake_on"]))
        record_result(session, actor=admin, now=now, today=today, session_id=session_id, login=row["login"],
                      score=float(row["score"]), method=row["method"])
    for row in read_csv(folder / "certificates.csv"):
        add_certificate(session, actor=admin, now=now, today=today, person=get_person(session, row["login"]),
                        name=row["name"], issued=date.fromisoformat(row["issued"]),
                        expires=date.fromisoformat(row["expires"]) if row["expires"] else None)
    for row in read_csv(folder / "notes.csv"):
        add_note(session, actor=get_person(session, row["author"]), now=now,
                 person=get_person(session, row["login"]), text=row["text"])


def training_overview(session: Session, *, demo: DemoInfo) -> Tabular:
    """The year's plan execution by quarter, with the pass rate and what needs attention."""
    from opsctl.reports.training.tables import percent
    from opsctl.services.people import get_person
    from opsctl.services.training import expiring_for, year_report

    report = year_report(session, viewer=get_person(session, demo.admin), year=demo.year, today=demo.today)
    quarters: dict[str, dict[str, Any]] = {}
    for course in report["courses"]:
        row = quarters.setdefault(course["quarter"], {"quarter": course["quarter"], "planned": 0, "held": 0,
                                                      "scheduled": 0, "overdue": 0, "hours": 0.0})
        row["planned"] += 1
        row["held"] += course["held"]
        row["scheduled"] += course["status"] == "scheduled"
        row["overdue"] += course["status"] == "overdue"
        row["hours"] += course["hours_held"]
    expiring = expiring_for(session, employee_ids=None, today=demo.today, within=60)
    notes = [
        f"{report['held']} of {report['planned']} plan items held; pass rate {percent(report['pass_rate'])} "
        f"({report['passed']} of {report['assessed']}; first try {percent(report['first_pass_rate'])}); "
        f"{len(report['retakes']) or 'nobody'} still to retake.",
        *(f"Certificate {c['certificate']} of {c['login']} {c['status']} ({c['expires']})." for c in expiring),
        demo.hint("Every course, hours per person, who has to retake", f"training report --year {demo.year}"),
        demo.hint("A development record", "people profile omar"),
    ]
    return Tabular(
        f"Training plan {demo.year} as of {demo.today}",
        columns(("quarter", "Quarter"), Column("planned", "Planned", "right"), Column("held", "Held", "right"),
                Column("scheduled", "Scheduled", "right"), Column("overdue", "Overdue", "right"),
                Column("hours", "Hours held", "right")),
        sorted(quarters.values(), key=lambda r: r["quarter"]),
        notes=notes,
    )
