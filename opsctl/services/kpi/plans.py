"""Improvement plans (改进计划): after a final result, the person's manager (or HR) sets a
goal and a due date; each item is a task of the tasks area (an owner, a due date, its
status), so it shows in `task list` and `today` like any other. A plan is closed with an
outcome: met or not met; extended moves its due date and keeps it open.

The rule of the regulations: a grade at or below the `kpi.plan_grade` setting in a closed
cycle calls for a plan (`kpi quarter` marks who has none), and `kpi.plan_flag_after` such
grades in a row flag the plan to HR (`flagged`; `kpi plan list --flagged`, `today`).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from opsctl.dates import Period
from opsctl.errors import Conflict, InvalidInput, NotFound
from opsctl.models.kpi import PLAN_OUTCOMES, KpiCycle, KpiPlan, KpiPlanItem
from opsctl.models.people import Employee
from opsctl.services import access, audit
from opsctl.services.kpi.outcomes import calls_for_plan, final_result, flag_after, weak_streaks
from opsctl.services.kpi.talks import check_text, require_decider
from opsctl.services.locks import lock_row


def add_plan(
    session: Session, *, actor: Employee, now: datetime, today: date, person: Employee, period: Period,
    goal: str, due: date, items: list[str] | None = None,
) -> KpiPlan:
    """A plan for ``person`` after their final result of ``period``; each of ``items`` becomes a
    task of theirs due with the plan."""
    require_decider(session, actor, person, what="improvement plan")
    line = final_result(session, person=person, period=period, today=today, what="improvement plan")
    if due < today:
        raise InvalidInput(f"--due {due} is before today ({today}); give the date the goal is to be met by")
    if session.exec(select(KpiPlan.id).where(KpiPlan.employee_id == person.id, KpiPlan.cycle == period.label)).first():
        raise Conflict(f"{person.login} already has a plan for {period.label}; see "
                       f"`opsctl kpi plan list --cycle {period.label}`")
    runs = weak_streaks(session, period=period, ids={person.id or 0}, today=today)
    plan = KpiPlan(employee_id=person.id or 0, cycle=period.label, grade=line.grade,
                   goal=check_text(goal, "--goal", limit=500) or "", due=due,
                   flagged=runs.get(person.id or 0, 0) >= flag_after(session), created_by_id=actor.id or 0,
                   created_at=now)
    session.add(plan)
    session.flush()
    audit.record(session, now=now, actor=actor, action="kpi.plan.add", entity="kpi_plan", entity_id=plan.id,
                 subject=person, details={"cycle": period.label, "grade": line.grade, "goal": plan.goal, "due": due,
                                          "flagged": plan.flagged})
    for text in items or []:
        add_plan_item(session, actor=actor, now=now, today=today, plan_id=plan.id or 0, text=text)
    return plan


def get_plan(session: Session, plan_id: int, *, lock: bool = False) -> KpiPlan:
    plan = lock_row(session, KpiPlan, plan_id) if lock else session.get(KpiPlan, plan_id)
    if plan is None:
        raise NotFound(f"no improvement plan #{plan_id}; see `opsctl kpi plan list`")
    return plan


def add_plan_item(
    session: Session, *, actor: Employee, now: datetime, today: date, plan_id: int, text: str,
    owner: str | None = None, due: date | None = None,
) -> int:
    """One item of an open plan, as a task (owner: the person; due: the plan's). Its task id."""
    from opsctl.services.tasks import add_task

    plan = get_plan(session, plan_id)
    person = session.get(Employee, plan.employee_id)
    assert person is not None  # a foreign key
    require_decider(session, actor, person, what="improvement plan")
    if plan.status != "open":
        raise Conflict(f"plan #{plan.id} is closed ({plan.outcome}); items go into an open plan")
    title = check_text(text, "the item", limit=160) or ""
    task = add_task(session, actor=actor, now=now, today=today, title=f"Plan #{plan.id}: {title}",
                    assignee=owner or person.login, due=due or plan.due, tags=["kpi-plan"])
    session.add(KpiPlanItem(plan_id=plan.id or 0, task_id=task.id or 0))
    session.flush()
    audit.record(session, now=now, actor=actor, action="kpi.plan.item", entity="kpi_plan", entity_id=plan.id,
                 subject=person, details={"task": task.id, "title": title, "owner": owner or person.login})
    return task.id or 0


def close_plan(
    session: Session, *, actor: Employee, now: datetime, today: date, plan_id: int, outcome: str,
    note: str | None = None, until: date | None = None,
) -> KpiPlan:
    """met / not_met close the plan; extended moves its due date to ``until`` and keeps it open."""
    outcome = outcome.replace("-", "_").replace(" ", "_").lower()
    if outcome not in PLAN_OUTCOMES:
        raise InvalidInput(f"--outcome is one of met, extended, not-met; got {outcome!r}")
    plan = get_plan(session, plan_id, lock=True)
    person = session.get(Employee, plan.employee_id)
    assert person is not None
    require_decider(session, actor, person, what="improvement plan")
    if plan.status != "open":
        raise Conflict(f"plan #{plan.id} was closed on {plan.closed_at:%Y-%m-%d} ({plan.outcome})"
                       if plan.closed_at else f"plan #{plan.id} is closed")
    note = check_text(note, "--note", limit=500, required=False)
    old_due = plan.due
    if outcome == "extended":
        if until is None or until <= plan.due or until < today:
            raise InvalidInput(f"an extended plan needs --until, a new due date after {max(plan.due, today)}")
        plan.due, plan.extensions = until, plan.extensions + 1
    else:
        if until is not None:
            raise InvalidInput("--until goes with --outcome extended only")
        plan.status, plan.closed_at, plan.closed_by_id = "closed", now, actor.id
    plan.outcome, plan.outcome_note = outcome, note
    session.flush()
    audit.record(session, now=now, actor=actor, action=f"kpi.plan.{outcome}", entity="kpi_plan", entity_id=plan.id,
                 subject=person, details={"note": note, "due": old_due, "until": until})
    return plan


# -- reading ------------------------------------------------------------------------------

def _query() -> Any:
    person_t, creator_t = aliased(Employee), aliased(Employee)
    return (select(KpiPlan, person_t.login, person_t.name, creator_t.login)
            .join(person_t, col(KpiPlan.employee_id) == person_t.id)
            .join(creator_t, col(KpiPlan.created_by_id) == creator_t.id))


def plan_row(plan: KpiPlan, login: str, name: str, created_by: str, *, today: date,
             items: int = 0, items_done: int = 0) -> dict[str, Any]:
    overdue = plan.status == "open" and plan.due < today
    return {
        "id": plan.id, "login": login, "name": name, "cycle": plan.cycle, "grade": plan.grade, "goal": plan.goal,
        "due": plan.due, "status": "overdue" if overdue else plan.status, "outcome": plan.outcome,
        "outcome_note": plan.outcome_note, "extensions": plan.extensions, "flagged": plan.flagged,
        "items": items, "items_done": items_done, "created_by": created_by, "created_at": plan.created_at,
        "closed_at": plan.closed_at,
    }


def _item_counts(session: Session, plan_ids: list[int]) -> dict[int, tuple[int, int]]:
    from opsctl.models.projects import Task

    counts: dict[int, tuple[int, int]] = {}
    for plan_id, status in session.exec(
        select(KpiPlanItem.plan_id, Task.status).join(Task, col(KpiPlanItem.task_id) == Task.id)
        .where(col(KpiPlanItem.plan_id).in_(plan_ids))
    ):
        total, done = counts.get(plan_id, (0, 0))
        counts[plan_id] = (total + 1, done + (status == "done"))
    return counts


def list_plans(
    session: Session, *, viewer: Employee, today: date, period: Period | None = None, status: str | None = None,
    flagged: bool = False, person: Employee | None = None,
) -> list[dict[str, Any]]:
    """The plans ``viewer`` may see, soonest due first; ``status`` open, overdue or closed."""
    if status is not None and status not in ("open", "overdue", "closed"):
        raise InvalidInput(f"--status is one of open, overdue, closed; got {status!r}")
    query = _query().where(*access.seen_rows(session, viewer, col(KpiPlan.employee_id), "plans", person=person,
                                             what="improvement plans"))
    if period is not None:
        query = query.where(KpiPlan.cycle == period.label)
    if flagged:
        query = query.where(col(KpiPlan.flagged))
    found = session.exec(query.order_by(col(KpiPlan.due), col(KpiPlan.id))).all()
    counts = _item_counts(session, [plan.id for plan, *_rest in found])
    rows = [plan_row(plan, login, name, creator, today=today, items=counts.get(plan.id or 0, (0, 0))[0],
                     items_done=counts.get(plan.id or 0, (0, 0))[1]) for plan, login, name, creator in found]
    return [row for row in rows if status is None or row["status"] == status
            or (status == "open" and row["status"] == "overdue")]


def show_plan(session: Session, *, viewer: Employee, today: date, plan_id: int) -> dict[str, Any]:
    """One plan and its items (the tasks, as `task show` has them)."""
    from opsctl.services.tasks import get_task, task_row

    plan = get_plan(session, plan_id)
    person = session.get(Employee, plan.employee_id)
    assert person is not None
    access.require_see(session, viewer, person, "plans", what="improvement plans")
    plan, login, name, creator = session.exec(_query().where(KpiPlan.id == plan_id)).one()
    task_ids = session.exec(select(KpiPlanItem.task_id).where(KpiPlanItem.plan_id == plan_id)
                            .order_by(col(KpiPlanItem.id))).all()
    items = [task_row(session, get_task(session, task_id), today=today) for task_id in task_ids]
    done = sum(1 for item in items if item["status"] == "done")
    return plan_row(plan, login, name, creator, today=today, items=len(items), items_done=done) | {
        "tasks": items}


def plan_marks(session: Session, data: dict[str, Any], *, today: date) -> dict[str, Any]:
    """``data`` of `kpi month|quarter|year` with each row's ``plan``: for a final grade at or below
    `kpi.plan_grade`, "missing" or the plan's number and status; ``flagged``: that many such grades
    in a row (`kpi.plan_flag_after`). A few queries, and one report per earlier period only for
    the people concerned."""
    from opsctl.services.config import load_settings

    settings = load_settings(session)
    period: Period = data["period"]
    weak = [row for row in data["rows"] if calls_for_plan(row["grade"], settings)]
    still_open = set(session.exec(select(KpiCycle.name).where(KpiCycle.status == "open")).all()) if weak else set()
    final = [row for row in weak if not set(row["based_on"]) & still_open]
    for row in data["rows"]:
        row["plan"], row["flagged"] = None, None
    if not final:
        data["plans_missing"] = 0
        return data
    ids: dict[str, int] = {login: eid or 0 for login, eid in session.exec(
        select(Employee.login, Employee.id).where(col(Employee.login).in_([row["login"] for row in final])))}
    plans = {eid: (pid, status) for eid, pid, status in session.exec(
        select(KpiPlan.employee_id, KpiPlan.id, KpiPlan.status)
        .where(KpiPlan.cycle == period.label, col(KpiPlan.employee_id).in_(list(ids.values()))))}
    runs = weak_streaks(session, period=period, ids=set(ids.values()), today=today,
                        grades={ids[row["login"]]: row["grade"] for row in final})
    limit = int(settings["kpi.plan_flag_after"])
    for row in final:
        eid = ids[row["login"]]
        found = plans.get(eid)
        row["plan"] = f"#{found[0]} {found[1]}" if found else "missing"
        row["flagged"] = runs.get(eid, 0) >= limit
    data["plans_missing"] = sum(1 for row in final if row["plan"] == "missing")
    return data
