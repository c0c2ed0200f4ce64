"""The demo's plan of NET-2026 (sample_data/project_plans.json): its approved plan, milestones (one
slipped), risks, costs near the budget, documents and a lessons review, each replayed through the
services at the time it happened, as the person who did it."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlmodel import Session

from opsctl.demo.build import DemoInfo
from opsctl.models.people import Employee
from opsctl.reports.tabular import Tabular

Step = tuple[datetime, int, Callable[[], Any]]


def load_project_plans(session: Session, *, sample: Path, demo: DemoInfo, admin: Employee) -> None:
    from zoneinfo import ZoneInfo

    from opsctl.dates import parse_datetime_local
    from opsctl.services.people import get_person

    tz = ZoneInfo(demo.timezone)
    story = json.loads((sample / "project_plans.json").read_text(encoding="utf-8"))
    code = story["code"]

    def at(text: str) -> datetime:
        return parse_datetime_local(text).replace(tzinfo=tz)

    def who(login: str) -> Employee:
        return get_person(session, login)

    steps: list[Step] = []
    for kind, rows in story.items():
        if kind != "code":
            for row in rows:
                steps.extend(_STEPS[kind](session, code, row, at, who, sample))
    for _when, _order, run in sorted(steps, key=lambda step: step[:2]):
        run()


Who = Callable[[str], Employee]
At = Callable[[str], datetime]


def _plan(session: Session, code: str, row: dict[str, Any], at: At, who: Who, sample: Path) -> list[Step]:
    from opsctl.services.projects import approve_plan, write_plan

    return [
        (at(row["at"]), 0, lambda: write_plan(session, actor=who(row["by"]), now=at(row["at"]), code=code,
                                              content=row["content"], resources=row["resources"])),
        (at(row["approved_at"]), 0, lambda: approve_plan(session, actor=who(row["approved_by"]),
                                                         now=at(row["approved_at"]), code=code,
                                                         comment=row["comment"])),
    ]


def _milestone(session: Session, code: str, row: dict[str, Any], at: At, who: Who, sample: Path) -> list[Step]:
    from opsctl.services.projects import add_milestone, milestone_done, move_milestone

    held: dict[str, int] = {}

    def add() -> None:
        milestone = add_milestone(session, actor=who(row["by"]), now=at(row["at"]), code=code, title=row["title"],
                                  due=date.fromisoformat(row["due"]), owner=row["owner"])
        held["id"] = milestone.id or 0

    steps: list[Step] = [(at(row["at"]), 1, add)]
    if row.get("move"):
        move = row["move"]
        steps.append((at(move["at"]), 1, lambda: move_milestone(
            session, actor=who(row["by"]), now=at(move["at"]), code=code, milestone_id=held["id"],
            due=date.fromisoformat(move["to"]), reason=move["reason"])))
    if row.get("done"):
        done = date.fromisoformat(row["done"])
        reached = datetime.combine(done, at(row["at"]).timetz()).replace(hour=18)
        steps.append((reached, 1, lambda: milestone_done(session, actor=who(row["owner"]), now=reached, today=done,
                                                         code=code, milestone_id=held["id"])))
    return steps


def _risk(session: Session, code: str, row: dict[str, Any], at: At, who: Who, sample: Path) -> list[Step]:
    from opsctl.services.projects import add_risk, close_risk

    held: dict[str, int] = {}
    when = at(row["at"])

    def add() -> None:
        risk = add_risk(session, actor=who(row["by"]), now=when, today=when.date(), code=code, text=row["text"],
                        likelihood=row["likelihood"], impact=row["impact"], owner=row["owner"],
                        trigger=row.get("trigger"), response=row.get("response"),
                        review_on=date.fromisoformat(row["review"]))
        held["id"] = risk.id or 0

    steps: list[Step] = [(when, 2, add)]
    if row.get("close"):
        closed = row["close"]
        steps.append((at(closed["at"]), 2, lambda: close_risk(session, actor=who(row["owner"]), now=at(closed["at"]),
                                                              risk_id=held["id"], note=closed["note"])))
    return steps


def _cost(session: Session, code: str, row: dict[str, Any], at: At, who: Who, sample: Path) -> list[Step]:
    from opsctl.services.projects import add_cost, decide_cost

    when = at(row["at"])
    held: dict[str, int] = {}

    def add() -> None:
        cost = add_cost(session, actor=who(row["by"]), now=when, today=when.date(), code=code,
                        amount=Decimal(row["amount"]), category=row["category"],
                        spent_on=date.fromisoformat(row["date"]), note=row["note"])
        held["id"] = cost.id or 0

    def decide() -> None:
        decider = row.get("decided_by") or row.get("rejected_by")
        if decider:
            decide_cost(session, actor=who(decider), now=when, cost_id=held["id"], approve="decided_by" in row,
                        reason=row.get("reason"))

    return [(when, 3, add), (when, 4, decide)]


def _document(session: Session, code: str, row: dict[str, Any], at: At, who: Who, sample: Path) -> list[Step]:
    from opsctl.services.projects import add_document

    return [(at(row["at"]), 5, lambda: add_document(session, actor=who(row["by"]), now=at(row["at"]), code=code,
                                                    path=sample / row["file"], kind=row["kind"]))]


def _lessons(session: Session, code: str, row: dict[str, Any], at: At, who: Who, sample: Path) -> list[Step]:
    from opsctl.services.projects import review_lessons

    return [(at(row["at"]), 6, lambda: review_lessons(session, actor=who(row["by"]), now=at(row["at"]), code=code,
                                                      went_well=row["went_well"], went_badly=row["went_badly"],
                                                      actions=row["actions"]))]


_STEPS: dict[str, Callable[..., list[Step]]] = {
    "plan": _plan, "milestones": _milestone, "risks": _risk, "costs": _cost, "documents": _document,
    "lessons": _lessons,
}


def plan_overview(session: Session, *, demo: DemoInfo) -> Tabular:
    """NET-2026 against its approved plan: milestones drawn against the baseline, the budget."""
    from opsctl.reports.project_plans import milestone_table
    from opsctl.services.projects import get_project
    from opsctl.services.projects.costs import budget_figures
    from opsctl.services.projects.plans import milestone_rows

    project = get_project(session, "NET-2026")
    table = milestone_table(milestone_rows(session, project, today=demo.today), start=project.start, due=project.due,
                            title="NET-2026 against its plan")
    budget = budget_figures(session, project)
    if budget["warning"]:
        table.notes.append(f"Budget: {budget['warning']}")
    table.notes.append(demo.hint("Risks, costs, documents and the lessons review",
                                 "project show NET-2026", login="liuyang"))
    return table
