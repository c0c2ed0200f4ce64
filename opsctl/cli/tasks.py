"""`opsctl task`: the team's task list, sorted by urgency, and the weekly plan."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

import typer

from opsctl.cli.base import FormatOption, group, record_id
from opsctl.cli.context import AppContext

app = group("Tasks: add, list by urgency, start, block, done, assign, edit; the weekly plan.")

TaskId = Annotated[int, typer.Argument(
    metavar="ID", parser=record_id, help="The task number (see `opsctl task list`).")]
ProjectOpt = Annotated[str | None, typer.Option("--project", "-p", metavar="CODE", help="Project code.")]
DueOpt = Annotated[str | None, typer.Option(
    metavar="DATE", help="Due date: YYYY-MM-DD, today, tomorrow, fri, +3d, eow…")]
PriorityOpt = Annotated[str | None, typer.Option(metavar="PRIORITY", help="low, normal, high or urgent.")]
EstimateOpt = Annotated[str | None, typer.Option(
    metavar="DURATION", help="Estimated work: 4h, 30m, 1.5h, 2d (8h days).")]
TagOpt = Annotated[list[str] | None, typer.Option("--tag", "-t", metavar="TAG", help="A tag (repeat for more).")]
DescriptionOpt = Annotated[str | None, typer.Option(
    "--description", "-d", metavar="TEXT", help="What is to be done, in more words (at most 4000 characters).")]
MilestoneOpt = Annotated[str | None, typer.Option(
    metavar="ID", help="A milestone of the task's project (`opsctl project milestone list CODE`).")]
CriteriaOpt = Annotated[str | None, typer.Option(
    "--criteria", metavar="TEXT", help="Acceptance criteria: when the task counts as done.")]


def _write(ctx: typer.Context, fmt: Any, change: Callable[..., Any], *, due: str | None = None,
           with_today: bool = False, **options: Any) -> None:
    """Run one task change (a service function) and show the task as it now is.

    ``due`` is the date as typed ('' clears it); ``with_today`` passes the team's date on.
    """
    from opsctl.reports.tasks import task_record
    from opsctl.services.tasks import allowed_task_steps, parse_day, task_row

    state = AppContext.of(ctx)
    with state.session() as session:
        today = state.today(session)
        if due is not None:
            options["due"] = parse_day(session, due, today=today, option="--due") if due else None
        if with_today:
            options["today"] = today
        task = change(session, actor=state.actor(session), now=state.now(), **options)
        row = task_row(session, task, today=today)
        state.render(task_record(row, allowed_task_steps(task.status)), fmt)


def _estimate(text: str | None) -> float | None:
    from opsctl.dates import parse_duration_hours
    from opsctl.errors import InvalidInput

    try:
        return parse_duration_hours(text) if text else None
    except InvalidInput as exc:
        raise InvalidInput(f"--estimate: {exc.message}") from None


@app.command("add")
def add(
    ctx: typer.Context,
    title: Annotated[str, typer.Argument(help="What is to be done.")],
    project: ProjectOpt = None,
    assignee: Annotated[str | None, typer.Option("--assignee", "-a", metavar="LOGIN",
                                                              help="Who does it (default: you).")] = None,
    unassigned: Annotated[bool, typer.Option("--unassigned", help="Nobody does it yet.")] = False,
    due: DueOpt = None,
    priority: Annotated[str, typer.Option(metavar="PRIORITY", help="low, normal, high or urgent.")] = "normal",
    estimate: EstimateOpt = None,
    tag: TagOpt = None,
    description: DescriptionOpt = None,
    criteria: CriteriaOpt = None,
    milestone: MilestoneOpt = None,
    fmt: FormatOption = None,
) -> None:
    """Add a task (status todo) for you, or --assignee; the assignee joins its project."""
    from opsctl.errors import InvalidInput
    from opsctl.services.tasks import add_task

    if unassigned and assignee:
        raise InvalidInput("give --assignee or --unassigned, not both")
    login = None if unassigned else assignee or AppContext.of(ctx).login
    _write(ctx, fmt, add_task, due=due or None, with_today=True, title=title, project=project, assignee=login,
           priority=priority, estimate_hours=_estimate(estimate), tags=tag, description=description,
           criteria=criteria, milestone=_milestone(milestone))


@app.command("list")
def list_(
    ctx: typer.Context,
    mine: Annotated[bool | None, typer.Option(
        "--mine/--everyone", help="Your tasks, or everyone's (default: yours for members, else everyone's).",
    )] = None,
    project: ProjectOpt = None,
    assignee: Annotated[str | None, typer.Option(
        "--assignee", "-a", metavar="LOGIN", help="Tasks of this login.")] = None,
    status: Annotated[list[str] | None, typer.Option(
        metavar="STATUS", help="todo, in_progress, blocked, done or cancelled (repeat, or a,b).")] = None,
    overdue: Annotated[bool, typer.Option("--overdue", help="Only open tasks past their due date.")] = False,
    due_before: Annotated[str | None, typer.Option(
        metavar="DATE", help="Only tasks due on or before this date.")] = None,
    tag: Annotated[str | None, typer.Option("--tag", "-t", metavar="TAG", help="Only tasks with this tag.")] = None,
    all_: Annotated[bool, typer.Option("--all", help="Include done and cancelled tasks.")] = False,
    fmt: FormatOption = None,
) -> None:
    """Tasks by urgency (overdue, due soon, priority; blocked last), each with why."""
    from opsctl.reports.tasks import task_list_title, task_table
    from opsctl.services.tasks import list_tasks, only_mine, parse_day, person_named

    state = AppContext.of(ctx)
    with state.session(write=False) as session:
        viewer, today = state.actor(session), state.today(session)
        defaulted, mine = mine is None, only_mine(viewer, mine=mine, project=project, assignee=assignee)
        rows = list_tasks(
            session, viewer=viewer, today=today, assignee=viewer if mine else person_named(session, assignee),
            project=project, statuses=status, overdue=overdue, tag=tag, include_closed=all_,
            due_before=parse_day(session, due_before, today=today, option="--due-before") if due_before else None,
        )
    title = task_list_title(login=assignee, mine=mine, include_closed=all_ or bool(status), project=project)
    hint = ["only yours; --everyone shows the team's"] if mine and defaulted else []
    state.render(task_table(rows, title=title, notes=hint), fmt)


@app.command("show")
def show(ctx: typer.Context, task_id: TaskId, fmt: FormatOption = None) -> None:
    """One task: who, project, due, estimate, why it is urgent, when it started and finished."""
    from opsctl.reports.tasks import task_record
    from opsctl.services.tasks import allowed_task_steps, task_details

    state = AppContext.of(ctx)
    with state.session(write=False) as session:
        row = task_details(session, viewer=state.actor(session), task_id=task_id, today=state.today(session))
    state.render(task_record(row, allowed_task_steps(row["status"])), fmt)


def _status_command(step: str, doc: str) -> None:
    """`task start|done|reopen|cancel ID`: one status step each, the same in all but the step."""

    def command(ctx: typer.Context, task_id: TaskId, fmt: FormatOption = None) -> None:
        from opsctl.services.tasks import change_task_status

        _write(ctx, fmt, change_task_status, task_id=task_id, step=step)

    command.__doc__ = doc
    app.command(step)(command)


for _step, _doc in (
    ("start", "Start working on a task (also lifts a block)."),
    ("done", "Mark a task done."),
    ("reopen", "Reopen a done or cancelled task (back to todo)."),
    ("cancel", "Cancel a task that will not be done."),
):
    _status_command(_step, _doc)


@app.command("block")
def block(
    ctx: typer.Context, task_id: TaskId,
    reason: Annotated[str, typer.Option(metavar="TEXT", help="What it waits for.")],
    fmt: FormatOption = None,
) -> None:
    """Mark a task blocked, saying by what (`task start` lifts it)."""
    from opsctl.services.tasks import block_task

    _write(ctx, fmt, block_task, task_id=task_id, reason=reason)


@app.command("assign")
def assign(
    ctx: typer.Context, task_id: TaskId,
    login: Annotated[str, typer.Argument(help="Who does it now.")],
    fmt: FormatOption = None,
) -> None:
    """Give a task to someone (they join its project)."""
    from opsctl.services.tasks import assign_task

    _write(ctx, fmt, assign_task, task_id=task_id, assignee=login)


@app.command("edit")
def edit(
    ctx: typer.Context, task_id: TaskId,
    title: Annotated[str | None, typer.Option(metavar="TEXT", help="New title.")] = None,
    due: DueOpt = None,
    priority: PriorityOpt = None,
    estimate: EstimateOpt = None,
    tag: TagOpt = None,
    project: ProjectOpt = None,
    description: DescriptionOpt = None,
    criteria: CriteriaOpt = None,
    milestone: MilestoneOpt = None,
    fmt: FormatOption = None,
) -> None:
    """Change a task's fields; '' clears due, estimate, tags, project, description, criteria or milestone."""
    from opsctl.services.tasks import edit_task

    changes: dict[str, Any] = {k: v for k, v in dict(title=title, priority=priority).items() if v is not None}
    if estimate is not None:
        changes["estimate_hours"] = _estimate(estimate)
    if tag is not None:
        changes["tags"] = [t for t in tag if t]
    if project is not None:
        changes["project"] = project or None
    changes.update({k: v or None for k, v in dict(description=description, criteria=criteria).items() if v is not None})
    if milestone is not None:
        changes["milestone"] = _milestone(milestone)
    _write(ctx, fmt, edit_task, due=due, task_id=task_id, **changes)


def _milestone(text: str | None) -> int | None:
    """--milestone ID as typed ('' for none)."""
    from opsctl.errors import InvalidInput

    if not text:
        return None
    if not text.strip().isdigit():
        raise InvalidInput(f"--milestone: {text!r} is not a milestone number "
                           "(see `opsctl project milestone list CODE`)")
    return int(text)


@app.command("comment")
def comment(
    ctx: typer.Context, task_id: TaskId,
    text: Annotated[str, typer.Argument(metavar="TEXT", help="What you have to say (quote it).")],
    fmt: FormatOption = None,
) -> None:
    """Comment on a task (a question, progress, a review); `task show` lists the comments."""
    from opsctl.reports.tasks import comment_record
    from opsctl.services.tasks import comment_task

    state = AppContext.of(ctx)
    with state.session() as session:
        row = comment_task(session, actor=state.actor(session), now=state.now(), task_id=task_id, text=text)
        state.tz(session)  # the time is shown in the team's timezone
    state.render(comment_record(row), fmt)


@app.command("week")
def week(
    ctx: typer.Context,
    person: Annotated[str | None, typer.Option("--person", metavar="LOGIN", help="Only this login.")] = None,
    team: Annotated[str | None, typer.Option(metavar="TEAM", help="Everyone in this team, busy or not.")] = None,
    week_of: Annotated[str | None, typer.Option(
        "--week", metavar="DATE", help="A day of the week to plan (default: this week; +1w is next week).")] = None,
    fmt: FormatOption = None,
) -> None:
    """The weekly plan: what is due each day of the week, per person."""
    from opsctl.reports.tasks import week_view
    from opsctl.services.tasks import parse_day, person_named, week_plan

    state = AppContext.of(ctx)
    with state.session(write=False) as session:
        today = state.today(session)
        plan = week_plan(
            session, viewer=state.actor(session), today=today, person=person_named(session, person), team=team,
            week_of=parse_day(session, week_of, today=today, option="--week") if week_of else None,
        )
    state.render(week_view(plan, fmt), fmt)
