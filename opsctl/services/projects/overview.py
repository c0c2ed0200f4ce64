"""Reading projects: the list with progress, and everything `project show` tells."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import case
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, func, select

from opsctl.models.people import Employee, Team
from opsctl.models.project_history import ProjectEvent, ProjectMember
from opsctl.models.projects import OPEN_TASK_STATUSES, Project, Task
from opsctl.services.access import require_employee
from opsctl.services.projects.lifecycle import allowed_steps, get_project


def _stats_query(today: date, *, project_id: int | None = None) -> Any:
    """Per project: tasks (cancelled ones left out), done, open, overdue, estimated hours."""
    counted = col(Task.status) != "cancelled"
    done = col(Task.status) == "done"
    is_open = col(Task.status).in_(OPEN_TASK_STATUSES)
    query = (
        select(  # type: ignore[call-overload]
            Task.project_id,
            func.sum(case((counted, 1), else_=0)),
            func.sum(case((done, 1), else_=0)),
            func.sum(case((is_open, 1), else_=0)),
            func.sum(case((is_open & (col(Task.due) < today), 1), else_=0)),
            func.sum(case((counted, Task.estimate_hours), else_=None)),
            func.sum(case((done, Task.estimate_hours), else_=None)),
            func.sum(case((counted & col(Task.estimate_hours).is_(None), 1), else_=0)),
        )
        .where(col(Task.project_id).is_not(None))
        .group_by(Task.project_id)
    )
    if project_id is not None:
        query = query.where(Task.project_id == project_id)
    return query


def _percent(part: float, whole: float) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def _progress(stats: tuple[Any, ...] | None) -> dict[str, Any]:
    total, done, open_, overdue, hours, hours_done, unestimated = (stats or (None,) * 8)[1:]
    hours, hours_done = float(hours or 0), float(hours_done or 0)
    return {
        "tasks_total": int(total or 0),
        "tasks_done": int(done or 0),
        "tasks_open": int(open_ or 0),
        "tasks_overdue": int(overdue or 0),
        "progress_pct": _percent(int(done or 0), int(total or 0)),
        "hours_total": hours,
        "hours_done": hours_done,
        "progress_by_estimate_pct": _percent(hours_done, hours),
        "tasks_without_estimate": int(unestimated or 0),
    }


def _project_query() -> Any:
    owner_t = aliased(Employee)
    return (
        select(Project, owner_t.login, owner_t.name, Team.name)
        .join(owner_t, col(Project.owner_id) == owner_t.id)
        .join(Team, col(Project.team_id) == Team.id, isouter=True)
    )


def _project_row(found: Any, stats: tuple[Any, ...] | None) -> dict[str, Any]:
    project, login, owner_name, team = found
    return {
        "id": project.id,
        "code": project.code,
        "name": project.name,
        "status": project.status,
        "stage": stage(project),
        "login": login,
        "owner_name": owner_name,
        "team": team,
        "round": project.round,
        "start": project.start,
        "due": project.due,
        **_progress(stats),
    }


def stage(project: Project) -> str:
    """The status in words, with the acceptance round where it matters."""
    if project.status == "active" and project.rework_notes:
        return f"rework after round {project.round}"
    if project.status == "in_review":
        return f"in review (round {project.round})"
    if project.status == "accepted" and project.round > 1:
        return f"accepted in round {project.round}"
    return project.status


def list_projects(
    session: Session,
    *,
    viewer: Employee,
    today: date,
    status: str | None = None,
    mine: bool = False,
    include_archived: bool = False,
) -> list[dict[str, Any]]:
    """Projects by status (the liveliest first), then code; archived ones only when asked."""
    from opsctl.errors import InvalidInput
    from opsctl.models.projects import PROJECT_STATUSES

    query = _project_query()
    if status is not None:
        if status not in PROJECT_STATUSES:
            raise InvalidInput(f"unknown project status {status!r}; statuses: {', '.join(PROJECT_STATUSES)}")
        query = query.where(Project.status == status)
    elif not include_archived:
        query = query.where(Project.status != "archived")
    if mine:
        membership = select(ProjectMember.project_id).where(ProjectMember.employee_id == viewer.id)
        query = query.where((col(Project.owner_id) == viewer.id) | col(Project.id).in_(membership))
    stats = {row[0]: tuple(row) for row in session.exec(_stats_query(today))}
    rows = [_project_row(found, stats.get(found[0].id)) for found in session.exec(query)]
    order = {s: i for i, s in enumerate(("in_review", "active", "approved", "proposed", "accepted",
                                         "cancelled", "archived"))}
    return sorted(rows, key=lambda r: (order.get(r["status"], 99), r["code"]))


def archived_count(session: Session) -> int:
    return int(session.exec(select(func.count()).where(Project.status == "archived")).one())


def project_row(session: Session, project: Project, *, today: date) -> dict[str, Any]:
    """One project as `project list` shows it."""
    session.flush()
    found = session.exec(_project_query().where(Project.id == project.id)).one()
    stats = session.exec(_stats_query(today, project_id=project.id)).first()
    return _project_row(found, tuple(stats) if stats else None)


def project_details(session: Session, code: str, *, viewer: Employee, today: date) -> dict[str, Any]:
    """Everything about one project: members, progress, overdue tasks, history, acceptance rounds
    (any employee may see any project)."""
    from opsctl.services.projects.tracking import plan_standing
    from opsctl.services.tasks import list_tasks

    require_employee(session, viewer)
    project = get_project(session, code)
    data = project_row(session, project, today=today)
    history = _history(session, project)
    data |= {
        "goal": project.goal,
        "budget": project.budget,
        "rework_notes": project.rework_notes,
        "next_steps": allowed_steps(project.status),
        "created_at": project.created_at,
        "members": _members(session, project, data["login"], data["owner_name"]),
        "overdue_tasks": list_tasks(session, viewer=viewer, today=today, project=project, overdue=True),
        "history": history,
        "rounds": _rounds(history),
    }
    data |= plan_standing(session, project, today=today)  # plan, milestones, high risks, budget
    return data


def _members(session: Session, project: Project, owner_login: str, owner_name: str) -> list[dict[str, Any]]:
    per_person = {
        assignee: (int(open_ or 0), int(done or 0))
        for assignee, open_, done in session.exec(
            select(
                Task.assignee_id,
                func.sum(case((col(Task.status).in_(OPEN_TASK_STATUSES), 1), else_=0)),
                func.sum(case((col(Task.status) == "done", 1), else_=0)),
            ).where(Task.project_id == project.id).group_by(col(Task.assignee_id))
        )
    }
    people = [(project.owner_id, owner_login, owner_name, "owner")] + [
        (person_id, login, name, role)
        for person_id, login, name, role in session.exec(
            select(Employee.id, Employee.login, Employee.name, ProjectMember.role)
            .join(ProjectMember, col(ProjectMember.employee_id) == Employee.id)
            .where(ProjectMember.project_id == project.id)
            .order_by(ProjectMember.role, Employee.login)
        )
    ]
    return [
        {"login": login, "name": name, "role": role,
         "open_tasks": per_person.get(person_id, (0, 0))[0], "done_tasks": per_person.get(person_id, (0, 0))[1]}
        for person_id, login, name, role in people
    ]


def last_history_text(session: Session, project: Project) -> str | None:
    """What the project's newest history line says (an edit: what changed)."""
    query = select(ProjectEvent.text).where(ProjectEvent.project_id == project.id)
    return session.exec(query.order_by(col(ProjectEvent.id).desc())).first()


def _history(session: Session, project: Project) -> list[dict[str, Any]]:
    query = (
        select(ProjectEvent, Employee.login)
        .join(Employee, col(ProjectEvent.actor_id) == Employee.id)
        .where(ProjectEvent.project_id == project.id)
        .order_by(col(ProjectEvent.at), col(ProjectEvent.id))
    )
    return [
        {"id": event.id, "at": event.at, "login": login, "step": event.step, "from_status": event.from_status,
         "to_status": event.to_status, "text": event.text, "round": event.round}
        for event, login in session.exec(query)
    ]


def _rounds(history: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per acceptance application: what was submitted, and how the review went."""
    rounds: dict[int, dict[str, Any]] = {}
    for event in history:
        if event["step"] == "submit":
            rounds[event["round"]] = {
                "round": event["round"], "submitted_at": event["at"], "login": event["login"],
                "summary": event["text"], "result": "pending", "reviewed_at": None, "reviewer": None,
                "report": None,
            }
        elif event["step"] in ("pass", "fail") and event["round"] in rounds:
            rounds[event["round"]] |= {
                "result": "passed" if event["step"] == "pass" else "failed",
                "reviewed_at": event["at"], "reviewer": event["login"], "report": event["text"],
            }
    return list(rounds.values())
