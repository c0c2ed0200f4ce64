"""`opsctl merit`: rewards and penalties — add, approve, revoke, list, show; suggestions from the
data of a finished period, accepted line by line."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from opsctl.cli.base import FormatOption, group, record_id
from opsctl.cli.context import AppContext

if TYPE_CHECKING:
    from sqlmodel import Session

    from opsctl.dates import Period

app = group("Rewards and penalties: add, approve (two levels for large amounts), revoke, list, show; suggest.")

MeritArg = Annotated[int, typer.Argument(metavar="ID", parser=record_id, help="The entry's number (`merit list`).")]
CycleOpt = Annotated[str | None, typer.Option("--cycle", metavar="CYCLE", help="YYYY-MM, YYYYQn or YYYY.")]


def _cycle(state: AppContext, session: Session, text: str | None) -> Period | None:
    from opsctl.dates import parse_cycle

    return parse_cycle(text, today=state.today(session)) if text else None


@app.command("add")
def add(
    ctx: typer.Context,
    login: Annotated[str, typer.Argument(metavar="LOGIN", help="Whose reward or penalty.")],
    kind: Annotated[str, typer.Option(help="reward or penalty.")],
    category: Annotated[str, typer.Option(help="bonus, commendation, warning, demotion, transfer …")],
    points: Annotated[str, typer.Option(help="Whole points ≥ 0; the kind says which way they count.")],
    reason: Annotated[str, typer.Option(help="Why (1–500 characters).")],
    amount: Annotated[str | None, typer.Option(metavar="MONEY", help="Money ≥ 0, two decimals at most.")] = None,
    cycle: CycleOpt = None,
    source: Annotated[str, typer.Option(help="attendance, kpi or other.")] = "other",
    fmt: FormatOption = None,
) -> None:
    """Propose a reward or penalty (manager chain, HR, admins); it counts once approved."""
    from opsctl.reports.merits import merit_record
    from opsctl.services.merits import add_merit, show_merit
    from opsctl.services.people import get_person

    state = AppContext.of(ctx)
    with state.session() as session:
        actor = state.actor(session)
        made = add_merit(session, actor=actor, now=state.now(), person=get_person(session, login), kind=kind,
                         category=category, points=points, amount=amount, reason=reason,
                         cycle=_cycle(state, session, cycle), source=source)
        row = show_merit(session, viewer=actor, merit_id=made.id or 0)
    state.render(merit_record(row), fmt)
    state.notice(f"#{row['id']} waits for approval by {login}'s manager, HR or an admin"
                 + (" (two levels: the amount is above merit.two_level_amount)" if row["levels"] == 2 else ""))


@app.command("approve")
def approve(ctx: typer.Context, merit: MeritArg, fmt: FormatOption = None) -> None:
    """Approve a pending entry (never your own, nor one you proposed); large amounts need two approvers."""
    from opsctl.reports.merits import merit_record
    from opsctl.services.merits import approve_merit, show_merit

    state = AppContext.of(ctx)
    with state.session() as session:
        actor = state.actor(session)
        approve_merit(session, actor=actor, now=state.now(), merit_id=merit)
        row = show_merit(session, viewer=actor, merit_id=merit)
    state.render(merit_record(row), fmt)
    if row["status"] == "pending":
        state.notice(f"#{merit} now waits for its second approval (HR, an admin or a manager above you)")


@app.command("revoke")
def revoke(
    ctx: typer.Context, merit: MeritArg,
    reason: Annotated[str, typer.Option(help="Why (1–500 characters).")], fmt: FormatOption = None,
) -> None:
    """Withdraw an entry, pending or approved: it stays listed as revoked and no longer counts."""
    from opsctl.reports.merits import merit_record
    from opsctl.services.merits import revoke_merit, show_merit

    state = AppContext.of(ctx)
    with state.session() as session:
        actor = state.actor(session)
        revoke_merit(session, actor=actor, now=state.now(), merit_id=merit, reason=reason)
        row = show_merit(session, viewer=actor, merit_id=merit)
    state.render(merit_record(row), fmt)


@app.command("list")
def list_(
    ctx: typer.Context,
    login: Annotated[str | None, typer.Argument(metavar="[LOGIN]", help="One person's only.")] = None,
    cycle: CycleOpt = None,
    status: Annotated[str | None, typer.Option(help="pending, approved or revoked.")] = None,
    kind: Annotated[str | None, typer.Option(help="reward or penalty.")] = None,
    fmt: FormatOption = None,
) -> None:
    """The rewards and penalties you may see (yours, your reports', everybody's for HR), newest first."""
    from opsctl.reports.merits import merit_table
    from opsctl.services.merits import list_merits
    from opsctl.services.people import get_person

    state = AppContext.of(ctx)
    with state.session(write=False) as session:
        rows = list_merits(session, viewer=state.actor(session), person=get_person(session, login) if login else None,
                           cycle=_cycle(state, session, cycle), status=status, kind=kind)
    state.render(merit_table(rows), fmt)


@app.command("show")
def show(ctx: typer.Context, merit: MeritArg, fmt: FormatOption = None) -> None:
    """One entry: who, what, how much, who proposed and approved it, or why it was revoked."""
    from opsctl.reports.merits import merit_record
    from opsctl.services.merits import show_merit

    state = AppContext.of(ctx)
    with state.session(write=False) as session:
        row = show_merit(session, viewer=state.actor(session), merit_id=merit)
    state.render(merit_record(row), fmt)


@app.command("suggest")
def suggest(
    ctx: typer.Context,
    cycle: Annotated[str, typer.Option("--cycle", metavar="CYCLE", help="A finished month, quarter or year.")],
    fmt: FormatOption = None,
) -> None:
    """Rewards and penalties a finished period's KPI grades and attendance call for; nothing is applied."""
    from opsctl.dates import parse_cycle
    from opsctl.reports.merits import suggestion_table
    from opsctl.services.merits import suggest_merits

    state = AppContext.of(ctx)
    with state.session(write=False) as session:
        period = parse_cycle(cycle, today=state.today(session))
        rows = suggest_merits(session, viewer=state.actor(session), period=period, today=state.today(session))
    state.render(suggestion_table(rows, cycle=period.label), fmt)


@app.command("accept")
def accept(
    ctx: typer.Context,
    ids: Annotated[list[str], typer.Argument(metavar="SUGGESTION...", help="Ids from `merit suggest`.")],
    fmt: FormatOption = None,
) -> None:
    """Accept suggested lines: each becomes a pending entry (all or none), approved as any other."""
    from opsctl.reports.merits import merits_written
    from opsctl.services.merits import accept_suggestions, show_merit

    state = AppContext.of(ctx)
    with state.session() as session:
        actor = state.actor(session)
        made = accept_suggestions(session, actor=actor, now=state.now(), today=state.today(session), ids=ids)
        rows = [show_merit(session, viewer=actor, merit_id=m.id or 0) for m in made]
    state.render(merits_written(rows, title="Accepted suggestions"), fmt)
    state.notice(f"{len(rows)} accepted; each waits for approval (`opsctl merit approve ID`)")
