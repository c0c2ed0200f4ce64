"""`opsctl project plan|milestone|risk|cost|doc …`, `project review-lessons` and `project lessons`:
running a project by its plan (registered on the `project` group by `opsctl.cli.projects`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

import typer

from opsctl.cli.base import FormatOption, group, record_id
from opsctl.cli.context import AppContext

plan_app = group("The plan: work content and resources in versions; the manager side approves it.", default="show")
milestone_app = group("Milestones: due dates and owners, tracked against the approved plan's baseline.")
risk_app = group("Risks: likelihood × impact (1–5 each), an owner, a review date; update, close.")
SUBGROUPS = {"plan": plan_app, "milestone": milestone_app, "risk": risk_app}

Code = Annotated[str, typer.Argument(help="The project code, e.g. NET-2026 (any case).")]
RecordId = Annotated[int, typer.Argument(metavar="ID", parser=record_id, help="The record number (see its list).")]
DateOpt = Annotated[str | None, typer.Option(metavar="DATE", help="A date: YYYY-MM-DD, today, fri, +2w, eom…")]


def _write(ctx: typer.Context, fmt: Any, change: Callable[..., Any], shape: Callable[[Any, Any, Any], Any], *,
           dates: dict[str, str | None] | None = None, with_today: bool = False, **options: Any) -> None:
    """Run one change (a service ``change(session, *, actor, now, **options)``) and show what it wrote,
    shaped by ``shape(session, result, today)``; ``dates`` are date options as typed."""
    from opsctl.services.tasks import parse_day

    state = AppContext.of(ctx)
    with state.session() as session:
        today = state.today(session)
        for name, text in (dates or {}).items():
            if text is not None:
                options[name] = parse_day(session, text, today=today, option=f"--{name.replace('_', '-')}")
        if with_today:
            options["today"] = today
        result = change(session, actor=state.actor(session), now=state.now(), **options)
        shown = shape(session, result, today)
    state.render(shown, fmt)


def _read(ctx: typer.Context, fmt: Any, read: Callable[..., Any], shape: Callable[[Any], Any], *,
          with_today: bool = False, **options: Any) -> None:
    """Run one read service (``read(session, *, viewer, **options)``) and show it."""
    state = AppContext.of(ctx)
    with state.session(write=False) as session:
        viewer = state.actor(session)
        if with_today:
            options["today"] = state.today(session)
        data = read(session, viewer=viewer, **options)
    state.render(shape(data), fmt)


# -- the plan ------------------------------------------------------------------------------------

def _plan_shape(session: Any, plan: Any, today: Any) -> Any:
    from opsctl.models.projects import Project
    from opsctl.reports.project_plans import plan_version_record
    from opsctl.services.projects.plans import plan_row

    return plan_version_record(plan_row(plan, session.get(Project, plan.project_id)))


@plan_app.command("show")
def plan_show(ctx: typer.Context, code: Code, fmt: FormatOption = None) -> None:
    """The plan: its newest version in full and every version (`project plan CODE` is the same)."""
    from opsctl.reports.project_plans import plan_record
    from opsctl.services.projects import plan_versions

    _read(ctx, fmt, plan_versions, plan_record, code=code)


@plan_app.command("set")
def plan_set(
    ctx: typer.Context, code: Code,
    content: Annotated[str, typer.Option(metavar="TEXT", help="The work: scope, steps, deliverables.")],
    resources: Annotated[str | None, typer.Option(metavar="TEXT", help="People, money, equipment it needs.")] = None,
    fmt: FormatOption = None,
) -> None:
    """Write the plan's next version (the owner's side); it waits for `project plan approve`."""
    from opsctl.services.projects import write_plan

    _write(ctx, fmt, write_plan, _plan_shape, code=code, content=content, resources=resources)


@plan_app.command("approve")
def plan_approve(
    ctx: typer.Context, code: Code,
    comment: Annotated[str | None, typer.Option(metavar="TEXT", help="Recorded in the history.")] = None,
    fmt: FormatOption = None,
) -> None:
    """Approve the plan's newest version (the manager side); its milestones become the baseline."""
    from opsctl.services.projects import approve_plan

    _write(ctx, fmt, approve_plan, _plan_shape, code=code, comment=comment)


# -- milestones ----------------------------------------------------------------------------------

def _milestone_shape(session: Any, milestone: Any, today: Any) -> Any:
    from opsctl.reports.project_plans import milestone_record
    from opsctl.services.projects.plans import milestone_view

    return milestone_record(milestone_view(session, milestone, today=today))


def _login(session: Any, person_id: int | None) -> str | None:
    from opsctl.models.people import Employee

    person = session.get(Employee, person_id) if person_id else None
    return person.login if person else None


@milestone_app.command("add")
def milestone_add(
    ctx: typer.Context, code: Code, title: Annotated[str, typer.Argument(help="What is reached.")],
    due: Annotated[str, typer.Option(metavar="DATE", help="When (within the project's dates).")],
    owner: Annotated[str | None, typer.Option(metavar="LOGIN", help="Who answers for it (default: the owner).")]
    = None,
    fmt: FormatOption = None,
) -> None:
    """Add a milestone (the owner's side); it joins the baseline when the plan is next approved."""
    from opsctl.services.projects import add_milestone

    _write(ctx, fmt, add_milestone, _milestone_shape, dates={"due": due}, code=code, title=title, owner=owner)


@milestone_app.command("list")
def milestone_list(ctx: typer.Context, code: Code, fmt: FormatOption = None) -> None:
    """The milestones, drawn against the baseline, with their slip in days and their tasks."""
    from opsctl.reports.project_plans import milestone_table
    from opsctl.services.projects import list_milestones

    def shape(data: dict[str, Any]) -> Any:
        return milestone_table(data["milestones"], start=data["start"], due=data["due"], fmt=fmt,
                               title=f"Milestones of {data['code']}")

    _read(ctx, fmt, list_milestones, shape, with_today=True, code=code)


@milestone_app.command("done")
def milestone_done(ctx: typer.Context, code: Code, milestone_id: RecordId, fmt: FormatOption = None) -> None:
    """Mark a milestone reached today (its owner, or the project's owner side)."""
    from opsctl.services.projects import milestone_done as done

    _write(ctx, fmt, done, _milestone_shape, with_today=True, code=code, milestone_id=milestone_id)


@milestone_app.command("move")
def milestone_move(
    ctx: typer.Context, code: Code, milestone_id: RecordId,
    to: Annotated[str, typer.Option("--to", metavar="DATE", help="The new date (within the project's dates).")],
    reason: Annotated[str, typer.Option(metavar="TEXT", help="Why it moves (kept in the history).")] = "",
    fmt: FormatOption = None,
) -> None:
    """Adjust a milestone's date, saying why; the baseline stays, so the slip shows."""
    from opsctl.services.projects import move_milestone

    _write(ctx, fmt, move_milestone, _milestone_shape, dates={"due": to}, code=code, milestone_id=milestone_id,
           reason=reason)


# -- risks ---------------------------------------------------------------------------------------

Score = Annotated[int, typer.Option(metavar="1-5", help="1 (lowest) to 5 (highest).")]


def _risk_shape(session: Any, risk: Any, today: Any) -> Any:
    from opsctl.models.projects import Project
    from opsctl.reports.project_plans import risk_record
    from opsctl.services.projects.risks import risk_row

    project = session.get(Project, risk.project_id)
    return risk_record(risk_row(risk, code=project.code, login=_login(session, risk.owner_id) or "",
                                today=today))


@risk_app.command("add")
def risk_add(
    ctx: typer.Context, code: Code, text: Annotated[str, typer.Argument(help="What might happen.")],
    likelihood: Score, impact: Score,
    owner: Annotated[str, typer.Option(metavar="LOGIN", help="Who watches it.")],
    trigger: Annotated[str | None, typer.Option(metavar="TEXT", help="The sign that it is happening.")] = None,
    response: Annotated[str | None, typer.Option(metavar="TEXT", help="What is done about it.")] = None,
    review: DateOpt = None,
    fmt: FormatOption = None,
) -> None:
    """Identify a risk (anyone on the project); level = likelihood × impact; reviewed by --review (+2w)."""
    from opsctl.services.projects import add_risk

    _write(ctx, fmt, add_risk, _risk_shape, dates={"review_on": review}, with_today=True, code=code, text=text,
           likelihood=likelihood, impact=impact, owner=owner, trigger=trigger, response=response)


@risk_app.command("list")
def risk_list(
    ctx: typer.Context,
    code: Annotated[str | None, typer.Argument(help="A project code (default: every project).")] = None,
    mine: Annotated[bool, typer.Option("--mine", help="Only risks you own.")] = False,
    all_: Annotated[bool, typer.Option("--all", help="Closed risks too.")] = False,
    fmt: FormatOption = None,
) -> None:
    """Risks by level (likelihood × impact), the highest first; overdue reviews are marked."""
    from opsctl.reports.project_plans import risk_table
    from opsctl.services.projects import list_risks

    title = f"Risks of {code.strip().upper()}" if code else "Risks"

    def shape(rows: list[dict[str, Any]]) -> Any:
        return risk_table(rows, title=title)

    _read(ctx, fmt, list_risks, shape, with_today=True, code=code, mine=mine, include_closed=all_)


@risk_app.command("update")
def risk_update(
    ctx: typer.Context, risk_id: RecordId,
    likelihood: Annotated[int | None, typer.Option(metavar="1-5", help="New likelihood.")] = None,
    impact: Annotated[int | None, typer.Option(metavar="1-5", help="New impact.")] = None,
    owner: Annotated[str | None, typer.Option(metavar="LOGIN", help="New owner.")] = None,
    trigger: Annotated[str | None, typer.Option(metavar="TEXT", help="New trigger ('' clears it).")] = None,
    response: Annotated[str | None, typer.Option(metavar="TEXT", help="New response ('' clears it).")] = None,
    review: DateOpt = None,
    fmt: FormatOption = None,
) -> None:
    """Review a risk: change what is given; the next review is --review (default two weeks on)."""
    from opsctl.services.projects import update_risk

    changes = {k: v for k, v in dict(likelihood=likelihood, impact=impact, owner=owner, trigger=trigger,
                                     response=response).items() if v is not None}
    _write(ctx, fmt, update_risk, _risk_shape, dates={"review_on": review}, with_today=True, risk_id=risk_id,
           **changes)


@risk_app.command("close")
def risk_close(
    ctx: typer.Context, risk_id: RecordId,
    note: Annotated[str | None, typer.Option(metavar="TEXT", help="How it ended.")] = None,
    fmt: FormatOption = None,
) -> None:
    """Close a risk that passed or was dealt with."""
    from opsctl.services.projects import close_risk

    _write(ctx, fmt, close_risk, _risk_shape, risk_id=risk_id, note=note)
