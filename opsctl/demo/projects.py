"""The demo's projects and tasks: sample_data/projects.csv, project_steps.csv and tasks.csv.

The sample is a story told in order: every proposal, approval, review and task step is
replayed through the real services at the time it happened, as the person who did it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlmodel import Session

from opsctl.demo.build import DemoInfo, read_csv
from opsctl.models.people import Employee
from opsctl.reports.tabular import Tabular

Step = tuple[datetime, int, Callable[[], Any]]


def load_projects(session: Session, *, sample: Path, demo: DemoInfo, admin: Employee) -> None:
    from zoneinfo import ZoneInfo

    from opsctl.dates import parse_datetime_local
    from opsctl.services.people import get_person

    tz = ZoneInfo(demo.timezone)
    projects = {row["code"]: row for row in read_csv(sample / "projects.csv")}
    people: dict[str, Employee] = {}

    def who(login: str) -> Employee:
        if login not in people:
            people[login] = get_person(session, login)
        return people[login]

    def at(text: str) -> datetime:
        return parse_datetime_local(text).replace(tzinfo=tz)

    steps: list[Step] = []
    for order, row in enumerate(read_csv(sample / "project_steps.csv")):
        when = at(row["at"])
        steps.append((when, order, _project_step(session, row, projects[row["code"]], who(row["by"]), when)))
    for order, row in enumerate(read_csv(sample / "tasks.csv"), start=len(steps)):
        steps.extend(_task_steps(session, row, order, who, at))
    for _when, _order, run in sorted(steps, key=lambda step: step[:2]):
        run()


def _project_step(session: Session, row: dict[str, str], project: dict[str, str], actor: Employee,
                  when: datetime) -> Callable[[], Any]:
    from datetime import date

    from opsctl.services.projects import add_member, archive_project, cancel_project
    from opsctl.services.projects import lifecycle as service

    code, text = row["code"], row["text"] or None
    if row["step"] == "propose":
        def propose() -> None:
            service.new_project(
                session, actor=actor, now=when, code=code, name=project["name"], owner=project["owner"],
                team=project["team"] or None, start=date.fromisoformat(project["start"]),
                due=date.fromisoformat(project["due"]), budget=float(project["budget"]), goal=text,
            )
            for member in filter(None, project["members"].split(";")):
                login, _, role = member.partition(":")
                add_member(session, actor=actor, now=when, code=code, login=login, role=role or "member")
        return propose
    calls: dict[str, Callable[[], Any]] = {
        "approve": lambda: service.approve_project(session, actor=actor, now=when, code=code, comment=text),
        "start": lambda: service.start_project(session, actor=actor, now=when, code=code, note=text),
        "submit": lambda: service.submit_project(session, actor=actor, now=when, code=code, summary=text or ""),
        "pass": lambda: service.review_project(session, actor=actor, now=when, code=code, passed=True,
                                               report=text or ""),
        "fail": lambda: service.review_project(session, actor=actor, now=when, code=code, passed=False,
                                               report=text or ""),
        "archive": lambda: archive_project(session, actor=actor, now=when, code=code, note=text),
        "cancel": lambda: cancel_project(session, actor=actor, now=when, code=code, reason=text),
    }
    return calls[row["step"]]


def _task_steps(
    session: Session, row: dict[str, str], order: int, who: Callable[[str], Employee],
    at: Callable[[str], datetime],
) -> list[Step]:
    from opsctl.dates import parse_duration_hours
    from opsctl.services.tasks import core as service
    from opsctl.services.tasks import steps as task_steps

    created = at(row["created"])
    holder: dict[str, int] = {}
    assignee = who(row["assignee"])

    def add() -> None:
        from datetime import date

        task = service.add_task(
            session, actor=who(row["by"]), now=created, today=created.date(), title=row["title"],
            project=row["project"] or None, assignee=row["assignee"], due=date.fromisoformat(row["due"]),
            priority=row["priority"], estimate_hours=parse_duration_hours(row["estimate"]),
            tags=row["tags"].split(";"),
        )
        holder["id"] = task.id or 0

    def change(step: str, when: datetime, reason: str | None = None) -> Step:
        return (when, order, lambda: task_steps.change_task_status(
            session, actor=assignee, now=when, task_id=holder["id"], step=step, reason=reason))

    steps: list[Step] = [(created, order, add)]
    if row["started"]:
        steps.append(change("start", at(row["started"])))
    if row["blocked"]:
        steps.append(change("block", at(row["blocked"]), row["blocked_reason"]))
    if row["done"]:
        steps.append(change("done", at(row["done"])))
    return steps


def projects_overview(session: Session, *, demo: DemoInfo) -> Tabular:
    from opsctl.reports.projects import project_table
    from opsctl.services.people import get_person
    from opsctl.services.projects import list_projects

    rows = list_projects(session, viewer=get_person(session, demo.admin), today=demo.today)
    table = project_table(rows)
    table.title = f"Projects on {demo.today:%a %Y-%m-%d}"
    table.notes.append(demo.hint("Members, progress, the failed review and its rework", "project show NET-2026"))
    return table


def overdue_overview(session: Session, *, demo: DemoInfo) -> Tabular:
    from opsctl.reports.tasks import task_table
    from opsctl.services.people import get_person
    from opsctl.services.tasks import list_tasks

    rows = list_tasks(session, viewer=get_person(session, demo.admin), today=demo.today, overdue=True)
    week = demo.hint("The weekly plan, per person", "task week --team Operations", login="liuyang")
    return task_table(rows, title="Overdue tasks", notes=[week], empty="Nothing is overdue.")
