"""`opsctl project`: propose, approve, start, submit for acceptance, review, archive."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any

import typer

from opsctl.cli.base import FormatOption, group
from opsctl.cli.context import AppContext

if TYPE_CHECKING:
    from sqlmodel import Session

    from opsctl.models.projects import Project

app = group("Projects: propose, approve, start, submit for acceptance, review, archive.")
member_app = group("A project's members (and its reviewers).")
app.add_typer(member_app, name="member")

# The plan, milestones, risks, costs, documents and lessons (issue 18): command modules of their own
# that import what this one may (typer, cli.base, cli.context) and build their commands on use.
from opsctl.cli import project_papers, project_plans  # noqa: E402

for _name, _group in (project_plans.SUBGROUPS | project_papers.SUBGROUPS).items():
    app.add_typer(_group, name=_name)
app.command("review-lessons")(project_papers.review_lessons)
app.command("lessons")(project_papers.lessons)

Code = Annotated[str, typer.Argument(help="The project code, e.g. NET-2026 (any case).")]


def _step(ctx: typer.Context, fmt: Any, step: Callable[..., Project], *,
          dates: dict[str, str | None] | None = None, tell_change: bool = False, **options: Any) -> None:
    """Run one lifecycle step (a service ``step(session, *, actor, now, **options)``); show the
    project it left behind.

    ``dates`` are date options as typed (``--due eom``), parsed in the team's timezone; '' clears
    one, and one not given (None) is not passed on. ``tell_change`` says on stderr what the step
    wrote into the history (the summary does not show every field).
    """
    from opsctl.cli.context import with_format_notice
    from opsctl.services.projects import last_history_text
    from opsctl.services.tasks import parse_day

    state = AppContext.of(ctx)
    with state.session() as session:
        today = state.today(session)
        for key, text in (dates or {}).items():
            if text is not None:
                options[key] = parse_day(session, text, today=today, option=f"--{key}") if text else None
        project = step(session, actor=state.actor(session), now=state.now(), **options)
        _show(state, session, project, fmt)
        if tell_change:
            with_format_notice(state, fmt, f"{project.code}: {last_history_text(session, project)}")


def _show(state: AppContext, session: Session, project: Project, fmt: Any) -> None:
    """The project's summary, as every lifecycle step prints it."""
    from opsctl.reports.projects import project_summary
    from opsctl.services.projects import project_row

    state.render(project_summary(project_row(session, project, today=state.today(session))), fmt)


def _amount(text: str) -> float | None:
    """A budget as typed ('' clears it)."""
    import math

    from opsctl.errors import InvalidInput

    try:
        amount = float(text) if text.strip() else None
    except ValueError:
        amount = math.nan
    if amount is not None and not math.isfinite(amount):
        raise InvalidInput(f"--budget: not an amount: {text!r} (a number such as 1200 or 1200.50)")
    return amount


@app.command("new")
def new(
    ctx: typer.Context,
    code: Code,
    name: Annotated[str, typer.Option("--name", metavar="TEXT", help="What the project is called.")],
    owner: Annotated[str | None, typer.Option(metavar="LOGIN", help="Login of the owner (default: you).")] = None,
    team: Annotated[str | None, typer.Option(metavar="TEAM", help="Team (default: the owner's).")] = None,
    start: Annotated[str | None, typer.Option(metavar="DATE", help="Planned start date.")] = None,
    due: Annotated[str | None, typer.Option(metavar="DATE", help="Planned end date.")] = None,
    budget: Annotated[str | None, typer.Option(metavar="AMOUNT", help="Budget (a number).")] = None,
    goal: Annotated[str | None, typer.Option(metavar="TEXT", help="What it must achieve (the proposal).")] = None,
    fmt: FormatOption = None,
) -> None:
    """Propose a project (status proposed); the manager approves it next."""
    from opsctl.services.projects import new_project

    _step(ctx, fmt, new_project, dates={"start": start, "due": due}, code=code, name=name, owner=owner,
          team=team, budget=_amount(budget) if budget is not None else None, goal=goal)


@app.command("edit")
def edit(
    ctx: typer.Context,
    code: Code,
    name: Annotated[str | None, typer.Option(metavar="TEXT", help="New name.")] = None,
    owner: Annotated[str | None, typer.Option(
        metavar="LOGIN", help="New owner (the manager side only); the old owner stays on as a member.")] = None,
    team: Annotated[str | None, typer.Option(metavar="TEAM", help="Team ('' for none).")] = None,
    start: Annotated[str | None, typer.Option(metavar="DATE", help="Planned start date ('' clears it).")] = None,
    due: Annotated[str | None, typer.Option(metavar="DATE", help="Planned end date ('' clears it).")] = None,
    budget: Annotated[str | None, typer.Option(metavar="AMOUNT", help="Budget ('' clears it).")] = None,
    goal: Annotated[str | None, typer.Option(metavar="TEXT", help="What it must achieve ('' clears it).")] = None,
    fmt: FormatOption = None,
) -> None:
    """Change a project's name, owner, team, dates, budget or goal (not once accepted or cancelled)."""
    from opsctl.services.projects import edit_project

    changes: dict[str, Any] = {k: v for k, v in dict(name=name, owner=owner).items() if v is not None}
    changes |= {k: v or None for k, v in dict(team=team, goal=goal).items() if v is not None}
    if budget is not None:
        changes["budget"] = _amount(budget)
    _step(ctx, fmt, edit_project, dates={"start": start, "due": due}, tell_change=True, code=code, **changes)


@app.command("list")
def list_(
    ctx: typer.Context,
    status: Annotated[str | None, typer.Option(metavar="STATUS", help="Only projects in this status.")] = None,
    mine: Annotated[bool, typer.Option("--mine", help="Only projects you own or are a member of.")] = False,
    all_: Annotated[bool, typer.Option("--all", help="Include archived projects.")] = False,
    fmt: FormatOption = None,
) -> None:
    """Projects with their status, acceptance round and progress (archived ones with --all)."""
    from opsctl.reports.projects import project_table
    from opsctl.services.projects import archived_count, list_projects

    state = AppContext.of(ctx)
    with state.session(write=False) as session:
        rows = list_projects(session, viewer=state.actor(session), today=state.today(session), status=status,
                             mine=mine, include_archived=all_)
        hidden = 0 if all_ or status else archived_count(session)
    state.render(project_table(rows, hidden_archived=hidden), fmt)


@app.command("show")
def show(ctx: typer.Context, code: Code, fmt: FormatOption = None) -> None:
    """Members, progress, overdue tasks, acceptance rounds and the status history."""
    from opsctl.reports.projects import project_record
    from opsctl.services.projects import project_details

    state = AppContext.of(ctx)
    with state.session(write=False) as session:
        data = project_details(session, code, viewer=state.actor(session), today=state.today(session))
    state.render(project_record(data), fmt)


@app.command("approve")
def approve(
    ctx: typer.Context, code: Code,
    comment: Annotated[str | None, typer.Option(metavar="TEXT", help="Recorded in the history.")] = None,
    fmt: FormatOption = None,
) -> None:
    """Approve a proposed project (the owner's manager, a manager or an admin)."""
    from opsctl.services.projects import approve_project

    _step(ctx, fmt, approve_project, code=code, comment=comment)


@app.command("start")
def start(
    ctx: typer.Context, code: Code,
    note: Annotated[str | None, typer.Option(metavar="TEXT", help="Recorded in the history.")] = None,
    fmt: FormatOption = None,
) -> None:
    """Start executing an approved project (status active)."""
    from opsctl.services.projects import start_project

    _step(ctx, fmt, start_project, code=code, note=note)


@app.command("submit")
def submit(
    ctx: typer.Context, code: Code,
    summary: Annotated[str, typer.Option(
        metavar="TEXT", help="The self-check: what was delivered, how it was checked.")],
    force: Annotated[bool, typer.Option("--force", help="Submit even though tasks are still open (finish or "
                                                        "cancel them before archiving).")] = False,
    fmt: FormatOption = None,
) -> None:
    """Apply for acceptance (the owner); open tasks are listed and need --force."""
    from opsctl.services.projects import submit_project

    _step(ctx, fmt, submit_project, code=code, summary=summary, force=force)


@app.command("review")
def review(
    ctx: typer.Context, code: Code,
    passed: Annotated[bool | None, typer.Option("--pass/--fail", help="The outcome of the review.")] = None,
    report: Annotated[str, typer.Option(metavar="TEXT", help="The review report (rework notes when it fails).")] = "",
    fmt: FormatOption = None,
) -> None:
    """Accept a submitted project (--pass) or send it back for rework (--fail)."""
    from opsctl.errors import InvalidInput

    if passed is None:
        raise InvalidInput("say how the review went: --pass or --fail, with --report TEXT")
    from opsctl.services.projects import review_project

    _step(ctx, fmt, review_project, code=code, passed=passed, report=report)


@app.command("archive")
def archive(
    ctx: typer.Context, code: Code,
    note: Annotated[str | None, typer.Option(metavar="TEXT", help="Recorded in the history.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Archive without the acceptance report or the lessons "
                                                        "review (the history says so).")] = False,
    fmt: FormatOption = None,
) -> None:
    """Archive an accepted (or cancelled) project; it becomes read-only.

    Refused while any of its tasks is open: finish or cancel them first. An accepted project needs
    its acceptance report (`project doc add CODE FILE --kind report`) and every project a lessons
    review (`project review-lessons`), unless --force.
    """
    from opsctl.services.projects import archive_project

    _step(ctx, fmt, archive_project, code=code, note=note, force=force)


@app.command("cancel")
def cancel(
    ctx: typer.Context, code: Code,
    reason: Annotated[str | None, typer.Option(metavar="TEXT", help="Why; recorded in the history.")] = None,
    fmt: FormatOption = None,
) -> None:
    """Cancel a project that is not accepted yet, and its open tasks with it."""
    from opsctl.services.projects import cancel_project

    state = AppContext.of(ctx)
    with state.session() as session:
        cancelled = cancel_project(session, actor=state.actor(session), now=state.now(), code=code, reason=reason)
        _show(state, session, cancelled.project, fmt)
        told = cancelled.text()
    if told:  # said once it is saved, whatever the format: other people's tasks changed
        state.notice(told)


@member_app.command("add")
def member_add(
    ctx: typer.Context, code: Code,
    login: Annotated[str, typer.Argument(help="Who joins.")],
    role: Annotated[str, typer.Option(metavar="ROLE", help="member, or reviewer (may review it).")] = "member",
    fmt: FormatOption = None,
) -> None:
    """Add someone to a project (or change their role in it)."""
    from opsctl.services.projects import add_member

    _member_change(ctx, fmt, add_member, code=code, login=login, role=role)


@member_app.command("rm")
def member_rm(
    ctx: typer.Context, code: Code,
    login: Annotated[str, typer.Argument(help="Who leaves.")],
    fmt: FormatOption = None,
) -> None:
    """Take someone off a project (members may leave themselves).

    Their open tasks in it must be given to someone else first (`opsctl task assign ID LOGIN`).
    """
    from opsctl.services.projects import remove_member

    _member_change(ctx, fmt, remove_member, code=code, login=login, removed=True)


def _member_change(ctx: typer.Context, fmt: Any, change: Callable[..., Any], *, code: str, login: str,
                   removed: bool = False, **options: Any) -> None:
    """Add or remove a member (a `projects.members` service); show the membership it wrote or removed."""
    from opsctl.reports.tabular import Record

    state = AppContext.of(ctx)
    with state.session() as session:
        now = state.now()
        member = change(session, actor=state.actor(session), now=now, code=code, login=login, **options)
        data = {"id": member.id, "project": code.strip().upper(), "login": login.strip().lower(),
                "role": member.role, **({"removed_at": now} if removed else {"added_at": member.added_at})}
        state.render(Record(f"{'Removed from' if removed else 'Member of'} {data['project']}", data), fmt)
