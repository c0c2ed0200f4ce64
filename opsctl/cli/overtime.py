"""`opsctl attend overtime`: overtime asked for and approved, before or after the fact."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated

import typer

from opsctl.cli.base import FormatOption, group, record_id
from opsctl.cli.context import AppContext, with_format_notice

if TYPE_CHECKING:
    from datetime import time

    from sqlmodel import Session

    from opsctl.models.people import Employee

app = group("Overtime requests: ask before (or after, marked late); the manager, HR or an admin approves.")

IdArg = Annotated[int, typer.Argument(
    metavar="ID", parser=record_id, help="The request number (see `attend overtime list`).")]


@app.command("request")
def request(
    ctx: typer.Context,
    on: Annotated[str, typer.Argument(metavar="DATE", help="The work date of the overtime.")],
    from_: Annotated[str, typer.Option("--from", metavar="HH:MM", help="When the overtime starts.")],
    to: Annotated[str, typer.Option("--to", metavar="HH:MM", help="When it ends (small hours: the next morning).")],
    reason: Annotated[str, typer.Option("--reason", help="What the overtime is for.")] = "",
    for_: Annotated[str | None, typer.Option("--for", metavar="LOGIN",
                                             help="Ask on behalf of this person (their manager, HR).")] = None,
    fmt: FormatOption = None,
) -> None:
    """Ask for overtime on a date, outside the shift; after the fact it is marked late."""
    from opsctl.dates import parse_date
    from opsctl.services.attendance import overtime_rows, request_overtime

    state = AppContext.of(ctx)
    with state.session() as session:
        actor, tz = state.actor(session), state.tz(session)
        made = request_overtime(session, actor=actor, now=state.now(), tz=tz, work_date=parse_date(
            on, today=state.today(session)), start=_time(from_, "--from"), end=_time(to, "--to"),
            reason=reason, login=for_)
        row = overtime_rows(session, viewer=actor, tz=tz, ids=[made.id or 0])[0]
    _show(state, row, fmt)
    with_format_notice(state, fmt, f"Overtime #{row['id']} waits for approval by {row['login']}'s manager, HR or an "
                                   f"admin: opsctl attend overtime approve {row['id']}")


def _time(text: str, option: str) -> time:
    from opsctl.dates import parse_time
    from opsctl.errors import InvalidInput

    try:
        return parse_time(text)
    except InvalidInput as exc:
        raise InvalidInput(f"{option}: {exc.message}") from None


def _show(state: AppContext, row: dict[str, object], fmt: FormatOption) -> None:
    from opsctl.reports.attendance.overtime import overtime_record

    state.render(overtime_record(row), fmt)


@app.command("list")
def list_(
    ctx: typer.Context,
    pending: Annotated[bool, typer.Option("--pending", help="Only those waiting for a decision.")] = False,
    person: Annotated[str | None, typer.Option("--person", metavar="LOGIN", help="Only this person's.")] = None,
    month: Annotated[str | None, typer.Option("--month", metavar="YYYY-MM", help="Only this month's.")] = None,
    fmt: FormatOption = None,
) -> None:
    """Overtime requests you may see: yours and those of the people you manage or lead."""
    from opsctl.dates import parse_month
    from opsctl.reports.attendance.overtime import overtime_table
    from opsctl.services.attendance import overtime_rows
    from opsctl.services.people import get_person

    state = AppContext.of(ctx)
    with state.session(write=False) as session:
        tz = state.tz(session)
        period = parse_month(month, today=state.today(session)) if month else None
        rows = overtime_rows(session, viewer=state.actor(session), tz=tz, pending_only=pending, period=period,
                             person=get_person(session, person) if person else None)
    state.render(overtime_table(rows, pending=pending), fmt)


def _decide(ctx: typer.Context, request_id: int, fmt: FormatOption,
            decide: Callable[[Session, AppContext, Employee], object]) -> None:
    from opsctl.services.attendance import overtime_rows

    state = AppContext.of(ctx)
    with state.session() as session:
        actor = state.actor(session)
        decide(session, state, actor)
        row = overtime_rows(session, viewer=actor, tz=state.tz(session), ids=[request_id])
    if row:
        _show(state, row[0], fmt)


def _id_command(step: str, service: str, doc: str) -> None:
    """`attend overtime approve|cancel ID`: one service each, the same in all but its name."""

    def command(ctx: typer.Context, request_id: IdArg, fmt: FormatOption = None) -> None:
        import opsctl.services.attendance as attendance

        _decide(ctx, request_id, fmt, lambda session, state, actor: getattr(attendance, service)(
            session, actor=actor, now=state.now(), tz=state.tz(session), request_id=request_id))

    command.__doc__ = doc
    app.command(step)(command)


_id_command("approve", "approve_overtime", "Approve overtime (its manager, HR or an admin; never one's own); audited.")
_id_command("cancel", "cancel_overtime",
            "Withdraw an overtime request (its comp leave is taken back); once begun, an approver's step.")


@app.command("reject")
def reject(
    ctx: typer.Context,
    request_id: IdArg,
    reason: Annotated[str, typer.Option("--reason", help="Why it is rejected.")],
    fmt: FormatOption = None,
) -> None:
    """Reject overtime, pending or approved after all (its comp leave is taken back); audited."""
    from opsctl.services.attendance import reject_overtime

    _decide(ctx, request_id, fmt, lambda session, state, actor: reject_overtime(
        session, actor=actor, now=state.now(), tz=state.tz(session), request_id=request_id, reason=reason))


@app.command("settle")
def settle(
    ctx: typer.Context,
    month: Annotated[str | None, typer.Option("--month", metavar="YYYY-MM", help="The month (default: last).")] = None,
) -> None:
    """HR/admin: credit comp leave for approved rest-day overtime as worked (idempotent)."""
    from opsctl.dates import parse_month
    from opsctl.services.attendance import settle_overtime

    state = AppContext.of(ctx)
    with state.session() as session:
        period = parse_month(month or "last", today=state.today(session))
        moved = settle_overtime(session, actor=state.actor(session), now=state.now(), tz=state.tz(session),
                                period=period)
    state.notice(f"{period.label}: comp leave of {len(moved)} overtime request(s) brought in line with the punches"
                 + (f" (#{', #'.join(map(str, moved))})" if moved else ""))
