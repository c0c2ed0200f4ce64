"""Tasks: the checks and who may change a task, adding one, and the list sorted by urgency
with the reason why (status steps, assigning and editing are in `tasks.steps`).

Only the people and projects models are imported here: `task list` is on the hot path.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy.orm import aliased
from sqlmodel import Session, col, literal, select

from opsctl.errors import Conflict, InvalidInput, NotAllowed, NotFound
from opsctl.models.people import Employee
from opsctl.models.projects import OPEN_TASK_STATUSES, PRIORITIES, TASK_STATUSES, Project, Task
from opsctl.services.access import require_employee
from opsctl.services.locks import lock_row

DUE_SOON_DAYS = 3
MAX_ESTIMATE_HOURS = 10_000.0
MAX_TEXT = 4000  # a description, acceptance criteria or a comment: a page, not a document
TASK_WRITER_ROLES = ("lead", "manager", "admin")


# -- checks -------------------------------------------------------------------------

def get_task(session: Session, task_id: int, *, lock: bool = False) -> Task:
    """The task; ``lock``: for a change, locked before its status is read."""
    task = lock_row(session, Task, task_id) if lock else session.get(Task, task_id)
    if task is None:
        raise NotFound(f"no task #{task_id}; see `opsctl task list --all`")
    return task


def check_title(title: str) -> str:
    title = " ".join(title.split())
    if not title:
        raise InvalidInput("the task title must not be empty")
    if len(title) > 200:
        raise InvalidInput(f"the task title is {len(title)} characters long; at most 200 please")
    return title


def check_priority(priority: str) -> str:
    value = priority.strip().lower()
    if value not in PRIORITIES:
        raise InvalidInput(f"unknown priority {priority!r}; priorities: {', '.join(PRIORITIES)}")
    return value


def check_statuses(statuses: list[str]) -> list[str]:
    values = [s.strip().lower() for item in statuses for s in item.split(",") if s.strip()]
    unknown = [s for s in values if s not in TASK_STATUSES]
    if unknown:
        raise InvalidInput(f"unknown task status {unknown[0]!r}; statuses: {', '.join(TASK_STATUSES)}")
    return values


def check_text(text: str | None, option: str) -> str | None:
    """A description or acceptance criteria as stored: lines kept, the ends trimmed; None when empty."""
    text = "\n".join(line.rstrip() for line in (text or "").strip().splitlines())
    if len(text) > MAX_TEXT:
        raise InvalidInput(f"{option} is {len(text)} characters long; at most {MAX_TEXT}, please")
    return text or None


def check_estimate(hours: float | None) -> float | None:
    if hours is not None and not 0 < hours <= MAX_ESTIMATE_HOURS:
        raise InvalidInput(f"an estimate must be more than 0 and at most {MAX_ESTIMATE_HOURS:g} hours, "
                           f"not {hours:g}")
    return hours


def clean_tags(tags: list[str] | None) -> str:
    """Tags as stored: lower case, comma-separated, each once ("--tag a,b" works too)."""
    words = [w.strip().lower() for tag in tags or [] for w in tag.split(",")]
    words = list(dict.fromkeys(w for w in words if w))
    bad = [w for w in words if len(w) > 40 or " " in w]
    if bad:
        raise InvalidInput(f"not a tag: {bad[0]!r} (one word, at most 40 characters)")
    stored = ",".join(words)
    if len(stored) > 200:
        raise InvalidInput("too many tags (at most 200 characters in all)")
    return stored


def project_of(session: Session, task: Task) -> Project | None:
    return session.get(Project, task.project_id) if task.project_id else None


def writable_project(session: Session, task: Task) -> Project | None:
    """The task's project, refusing when it is archived (read-only)."""
    from opsctl.services.projects import require_writable

    project = project_of(session, task)
    if project is not None:
        require_writable(project, what=f"task #{task.id}")
    return project


def require_task_writer(
    session: Session, actor: Employee, task: Task, project: Project | None, *, action: str
) -> None:
    """The assignee, the creator, the project owner, the assignee's managers, leads, managers, admins."""
    from opsctl.services.access import manages

    if actor.id in (task.assignee_id, task.created_by_id) or actor.role in TASK_WRITER_ROLES:
        return
    if project is not None and actor.id == project.owner_id:
        return
    assignee = session.get(Employee, task.assignee_id) if task.assignee_id else None
    if assignee is not None and manages(session, actor, assignee):
        return
    whose = f"{assignee.login}'s" if assignee else "not yours"
    raise NotAllowed(
        f"{actor.login} may not {action} task #{task.id} ({whose}): only its assignee, its creator, the "
        "project owner, a lead, a manager or an admin may"
    )


def project_taking_tasks(session: Session, actor: Employee, code: str) -> Project:
    from opsctl.services.projects import CLOSED_TO_NEW_TASKS, get_project, is_member, require_writable

    project = get_project(session, code)
    require_writable(project, what="its tasks")
    if project.status in CLOSED_TO_NEW_TASKS:
        raise Conflict(f"project {project.code} is {project.status}; it takes no new tasks")
    if actor.id != project.owner_id and actor.role not in TASK_WRITER_ROLES \
            and not is_member(session, project, actor):
        raise NotAllowed(
            f"{actor.login} is not a member of project {project.code}; its owner can add you with "
            f"`opsctl project member add {project.code} {actor.login}`"
        )
    return project


def active_person(session: Session, login: str) -> Employee:
    from opsctl.services.people import get_person

    return get_person(session, login, active_only=True)


def audit_if_foreign(session: Session, *, actor: Employee, now: datetime, task: Task, action: str,
                     details: dict[str, Any]) -> None:
    """A change to somebody else's task (its assignee's, or its creator's when unassigned)."""
    from opsctl.services import audit

    holder = task.assignee_id or task.created_by_id
    if holder != actor.id:
        audit.record(session, now=now, actor=actor, action=f"task.{action}", entity="task", entity_id=task.id,
                     subject=session.get(Employee, holder), details=details)


# -- writing ------------------------------------------------------------------------

def add_task(
    session: Session,
    *,
    actor: Employee,
    now: datetime,
    today: date,
    title: str,
    project: str | None = None,
    assignee: str | None = None,
    due: date | None = None,
    priority: str = "normal",
    estimate_hours: float | None = None,
    tags: list[str] | None = None,
    description: str | None = None,
    criteria: str | None = None,
    milestone: int | None = None,
) -> Task:
    """A new task (``todo``); its assignee becomes a member of its project.

    ``today`` is the team date it is created on; a due date before it is accepted on purpose
    (an action item written up late is overdue at once, and the list says so).
    """
    from opsctl.services.projects import ensure_member, key, task_milestone

    the_project = project_taking_tasks(session, actor, project) if project else None
    person = active_person(session, assignee) if assignee else None
    task = Task(
        title=check_title(title), project_id=the_project.id if the_project else None,
        assignee_id=person.id if person else None, created_by_id=key(actor), status="todo",
        priority=check_priority(priority), due=due, estimate_hours=check_estimate(estimate_hours),
        tags=clean_tags(tags), created_at=now, updated_at=now,
        description=check_text(description, "--description"), criteria=check_text(criteria, "--criteria"),
        milestone_id=task_milestone(session, milestone, the_project.id if the_project else None),
    )
    session.add(task)
    session.flush()
    if the_project is not None and person is not None:
        ensure_member(session, the_project, person, now=now)
    audit_if_foreign(session, actor=actor, now=now, task=task, action="add",
                      details={"title": task.title, "due": due})
    return task


# -- reading ------------------------------------------------------------------------

def rows_query() -> Any:
    """Each task with its assignee's login and name, its project's code and its creator's login."""
    assignee_t, creator_t = aliased(Employee), aliased(Employee)
    return (
        select(Task, assignee_t.login, assignee_t.name, Project.code, creator_t.login)  # type: ignore[call-overload]
        .join(assignee_t, col(Task.assignee_id) == assignee_t.id, isouter=True)
        .join(Project, col(Task.project_id) == Project.id, isouter=True)
        .join(creator_t, col(Task.created_by_id) == creator_t.id)
    )


def make_row(found: Any, today: date | None) -> dict[str, Any]:
    """The JSON shape of one result of `rows_query`."""
    task, login, name, code, creator = found
    return {
        "id": task.id,
        "title": task.title,
        "status": task.status,
        "priority": task.priority,
        "due": task.due,
        "why": why(task, today) if today else None,
        "login": login,
        "assignee_name": name,
        "project": code,
        "milestone_id": task.milestone_id,
        "estimate_hours": task.estimate_hours,
        "tags": task.tag_list,
        "blocked_reason": task.blocked_reason,
        "description": task.description,
        "criteria": task.criteria,
        "created_by": creator,
        "created_at": task.created_at,
        "started_at": task.started_at,
        "done_at": task.done_at,
    }


def task_row(session: Session, task: Task, *, today: date | None = None) -> dict[str, Any]:
    """One task in its JSON shape; ``why`` (the urgency) needs ``today``."""
    session.flush()
    found = session.exec(rows_query().where(Task.id == task.id)).one()
    return make_row(found, today)


def task_details(session: Session, *, viewer: Employee, task_id: int, today: date) -> dict[str, Any]:
    """Everything `task show` tells about one task (any employee may see any task)."""
    from opsctl.services.tasks.comments import comment_rows

    require_employee(session, viewer)
    return {**task_row(session, get_task(session, task_id), today=today), "comments": comment_rows(session, task_id)}


def list_tasks(
    session: Session,
    *,
    viewer: Employee,
    today: date,
    assignee: Employee | None = None,
    project: Project | str | None = None,
    statuses: list[str] | None = None,
    overdue: bool = False,
    due_before: date | None = None,
    tag: str | None = None,
    include_closed: bool = False,
) -> list[dict[str, Any]]:
    """Tasks sorted by urgency. Open ones only, unless ``include_closed`` or ``statuses`` says (any
    employee may see any task)."""
    require_employee(session, viewer)
    query = rows_query()
    if assignee is not None:
        query = query.where(Task.assignee_id == assignee.id)
    if project is not None:
        if isinstance(project, str):
            from opsctl.services.projects import get_project

            project = get_project(session, project)
        query = query.where(Task.project_id == project.id)
    if statuses:
        query = query.where(col(Task.status).in_(check_statuses(statuses)))
    elif not include_closed or overdue:
        query = query.where(col(Task.status).in_(OPEN_TASK_STATUSES))
    if overdue:
        query = query.where(col(Task.due) < today)
    if due_before is not None:
        query = query.where(col(Task.due) <= due_before)
    if tag:
        query = query.where((literal(",") + Task.tags + ",").contains(f",{clean_tags([tag])},"))
    found = session.exec(query).all()
    return [make_row(r, today) for r in sorted(found, key=lambda r: urgency(r[0], today))]


def urgency(task: Task, today: date) -> tuple[Any, ...]:
    """Overdue first, then due today and soon, then by priority; blocked, then closed ones last."""
    rank = -PRIORITIES.index(task.priority)
    due = task.due or date.max
    if not task.is_open:
        return (6, -(task.done_at or task.updated_at).timestamp(), task.id or 0)
    if task.status == "blocked":
        return (5, due, rank, task.id or 0)
    if task.due is not None and task.due < today:
        return (0, due, rank, task.id or 0)
    if task.due is not None and task.due <= today + timedelta(days=DUE_SOON_DAYS):
        return (1, due, rank, task.id or 0)
    return (2, rank, due, task.id or 0)


def why(task: Task, today: date) -> str:
    """The reason a task sits where it does in the list, in a few words."""
    if not task.is_open:
        return task.status
    parts = []
    if task.status == "blocked":
        reason = task.blocked_reason or ""
        parts.append(f"blocked: {reason[:30]}…" if len(reason) > 31 else f"blocked: {reason}" if reason else "blocked")
    days = (task.due - today).days if task.due is not None else None
    if days is not None and days < 0:
        parts.append(f"overdue {-days}d")
    elif days is not None and days <= DUE_SOON_DAYS:
        parts.append({0: "due today", 1: "due tomorrow"}.get(days, f"due in {days}d"))
    elif task.priority in ("high", "urgent") and task.status != "blocked":
        parts.append("urgent" if task.priority == "urgent" else "high priority")
    return " · ".join(parts)


def only_mine(viewer: Employee, *, mine: bool | None, project: str | None, assignee: str | None) -> bool:
    """Whether a list shows the viewer's own tasks: ``--mine``, ``--everyone``, or by default
    for members (and HR) who ask for no project's or person's tasks."""
    if mine and assignee:
        raise InvalidInput("give --mine or --assignee, not both")
    if mine is None:
        return viewer.role in ("member", "hr") and not (project or assignee)
    return mine


def person_named(session: Session, login: str | None) -> Employee | None:
    from opsctl.services.people import get_person

    return get_person(session, login) if login else None


def week_start_day(session: Session) -> int:
    """The `week_start` setting as a weekday number (0 Monday, 6 Sunday)."""
    from opsctl.services.config import get_setting

    return 6 if get_setting(session, "week_start") == "sunday" else 0


def parse_day(session: Session, text: str, *, today: date, option: str) -> date:
    """A date given to ``option`` (eow/sow follow the team's week start); the error names the option."""
    from opsctl.dates import parse_date

    try:
        return parse_date(text, today=today, week_start=week_start_day(session))
    except InvalidInput as exc:
        raise InvalidInput(f"{option}: {exc.message}") from None


def today_facts(session: Session, *, person: Employee, today: date, now: datetime) -> list[dict[str, Any]]:
    """For `opsctl today`: the person's open tasks due today or overdue, and those in progress."""
    return [
        row for row in list_tasks(session, viewer=person, today=today, assignee=person)
        if row["status"] == "in_progress" or (row["due"] is not None and row["due"] <= today)
    ]
