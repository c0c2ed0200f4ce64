"""`opsctl leave`: types, allocations and balances, requests, approvals."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any

import typer

from opsctl.cli.base import FormatOption, group, record_id
from opsctl.cli.context import AppContext, with_format_notice

if TYPE_CHECKING:
    from sqlmodel import Session

    from opsctl.models.people import Employee
    from opsctl.services.leave import Span

app = group("Leave: types, balances, requests in whole or half days, approvals.")
type_app = group("Leave types: add one, change one (HR and admins).")
app.add_typer(type_app, name="type")

CodeArg = Annotated[str, typer.Argument(metavar="CODE", help="The leave type, e.g. annual (see `leave types`).")]
IdArg = Annotated[int, typer.Argument(metavar="ID", parser=record_id, help="The request number (see `leave list`).")]
YearOpt = Annotated[str | None, typer.Option("--year", help="YYYY, this, last or next (default: this year).")]
NameOpt = Annotated[str | None, typer.Option("--name", help="What the type is called, e.g. 'Annual leave / 年假'.")]
PaidOpt = Annotated[bool | None, typer.Option("--paid/--unpaid", help="Paid leave or not.", show_default=False)]
QuotaOpt = Annotated[str | None, typer.Option(
    "--quota", metavar="DAYS|none", help="Days a year everyone is entitled to (a balance is kept); none: no balance.")]
NoticeOpt = Annotated[int | None, typer.Option("--min-notice", metavar="DAYS", help="Days ahead a request must start.")]
RetroOpt = Annotated[bool | None, typer.Option(
    "--allow-retro/--no-retro", help="May start in the past (no notice needed).", show_default=False)]
LevelsOpt = Annotated[int | None, typer.Option("--levels", help="1: the manager approves; 2: the manager, then HR.")]
HolidaysOpt = Annotated[bool | None, typer.Option(
    "--include-holidays/--workdays-only", help="Count calendar days, or workdays only.", show_default=False)]
CarryOpt = Annotated[float | None, typer.Option(
    "--carry-over", metavar="DAYS", help="At most this many unused days count in the next year (0: none).")]


def _year(state: AppContext, session: Session, text: str | None) -> int:
    from opsctl.dates import parse_year

    today = state.today(session)
    return parse_year(text, today=today).start.year if text else today.year


def _quota(text: str | None) -> Any:
    from opsctl.errors import InvalidInput

    if text is None or text.strip().lower() == "none":
        return None
    try:
        return float(text)
    except ValueError:
        raise InvalidInput(f"--quota takes a number of days or 'none', not {text!r}") from None


# -- types ---------------------------------------------------------------------------------

@app.command("types")
def types(ctx: typer.Context, fmt: FormatOption = None) -> None:
    """The types of leave and their rules: paid, quota, notice, approval levels, carry-over."""
    from opsctl.reports.leave import types_table
    from opsctl.services.leave import type_rows

    state = AppContext.of(ctx)
    with state.session(write=False) as session:
        rows = type_rows(session, viewer=state.actor(session))
    state.render(types_table(rows), fmt)


@type_app.command("add")
def type_add(
    ctx: typer.Context, code: CodeArg, name: Annotated[str, typer.Option("--name", help="What the type is called.")],
    paid: PaidOpt = None, quota: QuotaOpt = None, min_notice: NoticeOpt = None, allow_retro: RetroOpt = None,
    levels: LevelsOpt = None, include_holidays: HolidaysOpt = None, carry_over: CarryOpt = None,
    fmt: FormatOption = None,
) -> None:
    """Add a type of leave (HR and admins); audited."""
    from opsctl.reports.leave import type_record
    from opsctl.services.leave import TypeRules, add_type, type_row

    options = dict(paid=paid, quota=_quota(quota), min_notice=min_notice, allow_retro=allow_retro, levels=levels,
                   include_holidays=include_holidays, carry_over=carry_over)
    rules = TypeRules(code=code, name=name, **{k: v for k, v in options.items() if v is not None})
    state = AppContext.of(ctx)
    with state.session() as session:
        added = add_type(session, actor=state.actor(session), now=state.now(), rules=rules)
        state.render(type_record(type_row(added)), fmt)


@type_app.command("edit")
def type_edit(
    ctx: typer.Context, code: CodeArg, name: NameOpt = None, paid: PaidOpt = None, quota: QuotaOpt = None,
    min_notice: NoticeOpt = None, allow_retro: RetroOpt = None, levels: LevelsOpt = None,
    include_holidays: HolidaysOpt = None, carry_over: CarryOpt = None, fmt: FormatOption = None,
) -> None:
    """Change a type's rules (HR and admins); audited. The quota and carry-over apply to every year."""
    from opsctl.reports.leave import type_record
    from opsctl.services.leave import edit_type, type_row

    changes = {k: v for k, v in dict(name=name, paid=paid, min_notice=min_notice, allow_retro=allow_retro,
                                     levels=levels, include_holidays=include_holidays,
                                     carry_over=carry_over).items() if v is not None}
    if quota is not None:
        changes["quota"] = _quota(quota)
    state = AppContext.of(ctx)
    with state.session() as session:
        edited = edit_type(session, actor=state.actor(session), now=state.now(), code=code, **changes)
        state.render(type_record(type_row(edited)), fmt)


# -- balances --------------------------------------------------------------------------------

@app.command("allocate", context_settings={"ignore_unknown_options": True})  # DAYS may be negative
def allocate(
    ctx: typer.Context,
    login: Annotated[str, typer.Argument(metavar="LOGIN", help="Whose balance.")],
    code: CodeArg,
    days: Annotated[float, typer.Argument(metavar="DAYS", help="Days to add, in halves (negative: take back).")],
    year: YearOpt = None,
    reason: Annotated[str | None, typer.Option("--reason", help="Why, e.g. 'seniority: 10 years'.")] = None,
    fmt: FormatOption = None,
) -> None:
    """Give a person days of a type for a year, on top of its quota (HR and admins); audited."""
    from opsctl.reports.leave import balance_record
    from opsctl.services.leave.ledger import allocate as allocate_days
    from opsctl.services.people import get_person

    state = AppContext.of(ctx)
    with state.session() as session:
        balance = allocate_days(session, actor=state.actor(session), now=state.now(), person=get_person(session, login),
                                code=code, days=days, year=_year(state, session, year), reason=reason)
    state.render(balance_record(balance), fmt)


@app.command("balance")
def balance(
    ctx: typer.Context,
    login: Annotated[str | None, typer.Argument(metavar="LOGIN", help="Whose (default: you).", show_default=False)]
    = None,
    year: YearOpt = None,
    ledger: Annotated[bool, typer.Option("--ledger", help="Show the ledger entries behind the balance.")] = False,
    fmt: FormatOption = None,
) -> None:
    """Allocated, carried over, used, pending and remaining days per type."""
    from opsctl.reports.leave import balance_table, ledger_table
    from opsctl.services.leave import person_balances

    state = AppContext.of(ctx)
    with state.session(write=False) as session:
        chosen = _year(state, session, year)
        person, rows, entries = person_balances(session, viewer=state.actor(session), login=login, year=chosen)
    who = f"{person.name} ({person.login})"
    state.render(ledger_table(entries, who=who, year=chosen) if ledger else balance_table(rows, who=who, year=chosen),
                 fmt)


# -- requests ----------------------------------------------------------------------------------

def _span(state: AppContext, session: Session, start: str, end: str | None) -> Span:
    from opsctl.dates import parse_date
    from opsctl.services.leave import parse_span

    today = state.today(session)
    return parse_span(start, end, parse_day=lambda text: parse_date(text, today=today))


def _show(state: AppContext, session: Session, request_id: int, fmt: FormatOption) -> dict[str, Any]:
    from opsctl.reports.leave import request_record
    from opsctl.services.leave import list_requests

    state.tz(session)  # instants in the team's timezone
    row = list_requests(session, viewer=state.actor(session), ids=[request_id])[0]
    state.render(request_record(row), fmt)
    return row


@app.command("request")
def request(
    ctx: typer.Context,
    code: CodeArg,
    from_: Annotated[str, typer.Option("--from", metavar="D[:am|:pm]", help="First day; D:pm starts at noon.")],
    reason: Annotated[str, typer.Option("--reason", help="Why (your approver reads it).")],
    to: Annotated[str | None, typer.Option("--to", metavar="D[:am|:pm]", help="Last day; D:am ends at noon "
                                           "(default: the day or half of --from).")] = None,
    for_: Annotated[str | None, typer.Option("--for", metavar="LOGIN", help="On behalf of (manager, HR).")] = None,
    fmt: FormatOption = None,
) -> None:
    """Ask for leave, in whole or half days; it waits for your manager's approval."""
    from opsctl.services.leave import request_leave

    state = AppContext.of(ctx)
    with state.session() as session:
        made = request_leave(session, actor=state.actor(session), now=state.now(), today=state.today(session),
                             code=code, span=_span(state, session, from_, to), reason=reason, login=for_)
        row = _show(state, session, made.id or 0, fmt)
    with_format_notice(state, fmt, f"Leave #{row['id']}: {row['days']:g} day(s), waits for {row['waiting_for']}; "
                                   f"they approve it with `opsctl leave approve {row['id']}`")


@app.command("list")
def list_(
    ctx: typer.Context,
    mine: Annotated[bool, typer.Option("--mine", help="Only yours.")] = False,
    person: Annotated[str | None, typer.Option("--person", metavar="LOGIN", help="Only this person's.")] = None,
    pending: Annotated[bool, typer.Option("--pending", help="Only those waiting for a decision.")] = False,
    from_: Annotated[str | None, typer.Option("--from", metavar="D", help="Leave ending on or after D.")] = None,
    to: Annotated[str | None, typer.Option("--to", metavar="D", help="Leave starting on or before D.")] = None,
    fmt: FormatOption = None,
) -> None:
    """Leave requests you may see: yours, your team's or reports', everyone's for HR."""
    from opsctl.dates import parse_date
    from opsctl.reports.leave import requests_table
    from opsctl.services.leave import list_requests
    from opsctl.services.people import get_person

    if mine and person:
        raise typer.BadParameter("give --mine or --person, not both")
    state = AppContext.of(ctx)
    with state.session(write=False) as session:
        viewer, today = state.actor(session), state.today(session)
        who = viewer if mine else get_person(session, person) if person else None
        rows = list_requests(session, viewer=viewer, person=who, pending_only=pending,
                             start=parse_date(from_, today=today) if from_ else None,
                             end=parse_date(to, today=today) if to else None)
    state.render(requests_table(rows, title="Pending leave requests" if pending else "Leave requests"), fmt)


@app.command("show")
def show(ctx: typer.Context, request_id: IdArg, fmt: FormatOption = None) -> None:
    """One request: its days, status, who approved it and when."""
    from opsctl.services.leave import require_visible

    state = AppContext.of(ctx)
    with state.session(write=False) as session:
        require_visible(session, viewer=state.actor(session), request_id=request_id)
        _show(state, session, request_id, fmt)


def _decide(ctx: typer.Context, request_id: int, fmt: FormatOption,
            decide: Callable[[Session, AppContext, Employee], object]) -> None:
    """Run one decision on a request in the command's transaction, then show the request."""
    state = AppContext.of(ctx)
    with state.session() as session:
        decide(session, state, state.actor(session))
        _show(state, session, request_id, fmt)


@app.command("approve")
def approve(
    ctx: typer.Context, request_id: IdArg,
    comment: Annotated[str | None, typer.Option("--comment", help="A note for the requester.")] = None,
    fmt: FormatOption = None,
) -> None:
    """Approve a request (its manager; HR too for two-level types); audited."""
    from opsctl.services.leave import approve_leave

    _decide(ctx, request_id, fmt, lambda session, state, actor: approve_leave(
        session, actor=actor, now=state.now(), request_id=request_id, comment=comment))


@app.command("reject")
def reject(
    ctx: typer.Context, request_id: IdArg,
    reason: Annotated[str, typer.Option("--reason", help="Why it is rejected.")], fmt: FormatOption = None,
) -> None:
    """Reject a request, saying why; audited."""
    from opsctl.services.leave import reject_leave

    _decide(ctx, request_id, fmt, lambda session, state, actor: reject_leave(
        session, actor=actor, now=state.now(), request_id=request_id, reason=reason))


@app.command("cancel")
def cancel(
    ctx: typer.Context, request_id: IdArg,
    reason: Annotated[str | None, typer.Option("--reason", help="Why (optional).")] = None, fmt: FormatOption = None,
) -> None:
    """Withdraw a request; approved leave gives its days back (once begun, only its approver may)."""
    from opsctl.services.leave import cancel_leave

    _decide(ctx, request_id, fmt, lambda session, state, actor: cancel_leave(
        session, actor=actor, now=state.now(), today=state.today(session), request_id=request_id, reason=reason))
