"""`opsctl training`: yearly plans, sessions, attendance, results and retakes, certificates."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from opsctl.cli.base import FormatOption, group, record_id
from opsctl.cli.context import AppContext

if TYPE_CHECKING:
    from sqlmodel import Session

app = group(
    "Training: the yearly plan, sessions, attendance, results and retakes, each person's record, "
    "the year's report, certificates."
)
plan_app = group("The yearly training plan: add items, list them.")
session_app = group("Training sessions: schedule one for a plan item, list them, show one's roster.")
cert_app = group("Certificates: add one, list them, see which run out soon.")
app.add_typer(plan_app, name="plan")
app.add_typer(session_app, name="session")
app.add_typer(cert_app, name="cert")

SessionArg = Annotated[int, typer.Argument(
    metavar="SESSION", parser=record_id, help="Session number (see `training session list`).")]
LoginArg = Annotated[str, typer.Argument(metavar="LOGIN", help="The person's login.")]
YearOpt = Annotated[str | None, typer.Option("--year", help="Plan year: YYYY, this, last, next (default: this).")]
HoursOpt = Annotated[str | None, typer.Option("--hours", help="Hours: 3, 1.5h, 90m, 2d (a day is 8h).")]
TrainerOpt = Annotated[str | None, typer.Option(
    "--trainer", help="Trainer: an employee's login (they may then take attendance and record results) or a name.")]


def _year(state: AppContext, session: Session, text: str | None) -> int:
    from opsctl.dates import parse_year

    today = state.today(session)
    return parse_year(text, today=today).start.year if text else today.year


def _date(state: AppContext, session: Session, text: str) -> date:
    from opsctl.dates import parse_date

    return parse_date(text, today=state.today(session))


def _split(values: list[str] | None) -> list[str]:
    """``--present a,b --present c`` → [a, b, c]."""
    return [part.strip() for value in values or [] for part in value.split(",") if part.strip()]


def _render_session(state: AppContext, session: Session, session_id: int, fmt: FormatOption) -> None:
    from opsctl.reports.training.tables import session_record
    from opsctl.services.training import get_session, session_details

    viewer = state.actor(session)
    ts = get_session(session, session_id)
    state.render(session_record(session_details(session, ts, viewer=viewer, today=state.today(session))), fmt)


# -- plan --------------------------------------------------------------------------------

@plan_app.command("add")
def plan_add(
    ctx: typer.Context,
    title: Annotated[str, typer.Argument(help="What the training is, e.g. 'Incident response drill'.")],
    year: YearOpt = None,
    category: Annotated[str, typer.Option(help="knowledge, skills or management.")] = "knowledge",
    method: Annotated[str, typer.Option(help="internal, external or online.")] = "internal",
    quarter: Annotated[str | None, typer.Option(help="Planned quarter: Q1–Q4 (or 2026Q2).")] = None,
    trainer: TrainerOpt = None,
    hours: HoursOpt = None,
    audience: Annotated[str, typer.Option(help="Who it is for: all, team:NAME or role:ROLE.")] = "all",
    fmt: FormatOption = None,
) -> None:
    """Add an item to a year's training plan (leads, managers, HR, admins)."""
    from opsctl.dates import parse_duration_hours
    from opsctl.reports.training.tables import plan_record
    from opsctl.services.training import add_plan, plan_row

    state = AppContext.of(ctx)
    with state.session() as session:
        today = state.today(session)
        plan = add_plan(
            session, actor=state.actor(session), now=state.now(), today=today, title=title,
            year=_year(state, session, year), category=category, method=method, quarter=quarter,
            trainer=trainer, hours=parse_duration_hours(hours) if hours else None, audience=audience,
        )
        state.render(plan_record(plan_row(plan, [], today)), fmt)


@plan_app.command("list")
def plan_list(ctx: typer.Context, year: YearOpt = None, fmt: FormatOption = None) -> None:
    """A year's plan items: quarter, category, method, sessions held, status."""
    from opsctl.reports.training.tables import plan_table
    from opsctl.services.training import list_plans

    state = AppContext.of(ctx)
    with state.session(write=False) as session:
        chosen = _year(state, session, year)
        rows = list_plans(session, viewer=state.actor(session), year=chosen, today=state.today(session))
    state.render(plan_table(rows, year=chosen), fmt)


# -- sessions ----------------------------------------------------------------------------

@session_app.command("add")
def session_add(
    ctx: typer.Context,
    plan_id: Annotated[int, typer.Argument(
        metavar="PLAN_ID", parser=record_id, help="Plan item number (see `training plan list`).")],
    on: Annotated[str, typer.Option("--on", help="Date of the session (YYYY-MM-DD, tomorrow, fri, +1w…).")],
    hours: HoursOpt = None,
    location: Annotated[str | None, typer.Option(help="Where it takes place.")] = None,
    trainer: TrainerOpt = None,
    fmt: FormatOption = None,
) -> None:
    """Schedule a session of a plan item (hours and trainer default to the plan's)."""
    from opsctl.dates import parse_duration_hours
    from opsctl.services.training import add_session

    state = AppContext.of(ctx)
    with state.session() as session:
        ts = add_session(
            session, actor=state.actor(session), now=state.now(), plan_id=plan_id,
            day=_date(state, session, on), hours=parse_duration_hours(hours) if hours else None,
            location=location, trainer=trainer,
        )
        _render_session(state, session, ts.id or 0, fmt)


@session_app.command("list")
def session_list(
    ctx: typer.Context,
    year: YearOpt = None,
    plan: Annotated[int | None, typer.Option(
        "--plan", parser=record_id, help="Only this plan item's sessions.")] = None,
    mine: Annotated[bool, typer.Option("--mine", help="Only sessions you are enrolled in.")] = False,
    upcoming: Annotated[bool, typer.Option("--upcoming", help="Only today's and later sessions.")] = False,
    fmt: FormatOption = None,
) -> None:
    """Sessions of a year's plan, by date, with how many are enrolled and were present."""
    from opsctl.reports.training.tables import session_table
    from opsctl.services.training import list_sessions

    state = AppContext.of(ctx)
    with state.session(write=False) as session:
        rows = list_sessions(session, viewer=state.actor(session), today=state.today(session),
                             year=_year(state, session, year), plan_id=plan, mine=mine, upcoming=upcoming)
    state.render(session_table(rows), fmt)


@session_app.command("show")
def session_show(ctx: typer.Context, session_id: SessionArg, fmt: FormatOption = None) -> None:
    """One session and its roster: who is enrolled, attendance, results."""
    state = AppContext.of(ctx)
    with state.session(write=False) as session:
        _render_session(state, session, session_id, fmt)


# -- enrollment, attendance, results ---------------------------------------------------

@app.command("enroll")
def enroll(
    ctx: typer.Context,
    session_id: SessionArg,
    logins: Annotated[list[str] | None, typer.Argument(metavar="LOGIN…", help="Who to enroll.")] = None,
    audience: Annotated[bool, typer.Option("--audience", help="Enroll everyone the plan item is for.")] = False,
    fmt: FormatOption = None,
) -> None:
    """Put people on a session's list (anyone may enroll themself)."""
    from opsctl.cli.context import with_format_notice
    from opsctl.services.training.roster import enroll as enroll_people

    state = AppContext.of(ctx)
    with state.session() as session:
        ts, added, skipped = enroll_people(session, actor=state.actor(session), now=state.now(),
                                           session_id=session_id, logins=_split(logins), audience=audience)
        _render_session(state, session, ts.id or 0, fmt)
    message = f"enrolled {', '.join(added)}"
    with_format_notice(state, fmt, message + (f"; already enrolled: {', '.join(skipped)}" if skipped else ""))


@app.command("attend")
def attend(
    ctx: typer.Context,
    session_id: SessionArg,
    present: Annotated[list[str] | None, typer.Option("--present", help="Logins who were there (a,b,…).")] = None,
    absent: Annotated[list[str] | None, typer.Option("--absent", help="Logins who were not (a,b,…).")] = None,
    fmt: FormatOption = None,
) -> None:
    """Take attendance of a held session; only attended sessions count as training hours."""
    from opsctl.services.training import mark_attendance

    state = AppContext.of(ctx)
    with state.session() as session:
        ts = mark_attendance(session, actor=state.actor(session), now=state.now(), today=state.today(session),
                             session_id=session_id, present=_split(present), absent=_split(absent))
        _render_session(state, session, ts.id or 0, fmt)


@app.command("result")
def result(
    ctx: typer.Context,
    session_id: SessionArg,
    login: LoginArg,
    score: Annotated[str, typer.Option("--score", help="Score 0–100; the pass mark is `training.pass_mark`.")],
    method: Annotated[str, typer.Option(help="exam, assignment or practical.")] = "exam",
    correct: Annotated[bool, typer.Option(
        "--correct", help="Replace the latest recorded score instead (needs --reason; audited).")] = False,
    reason: Annotated[str | None, typer.Option(metavar="TEXT", help="Why the score is corrected.")] = None,
    fmt: FormatOption = None,
) -> None:
    """Record an enrolled person's assessment score (or the score of their scheduled retake);
    --correct replaces a score recorded wrongly."""
    from opsctl.errors import InvalidInput
    from opsctl.reports.training.tables import result_record
    from opsctl.services.training import correct_result, parse_score, record_result, result_details

    state = AppContext.of(ctx)
    if reason is not None and not correct:
        raise InvalidInput("--reason goes with --correct (a new score needs no reason)")
    with state.session() as session:
        actor, points = state.actor(session), parse_score(score)
        if correct:
            attempt = correct_result(session, actor=actor, now=state.now(), session_id=session_id, login=login,
                                     score=points, reason=reason or "")
        else:
            attempt = record_result(session, actor=actor, now=state.now(), today=state.today(session),
                                    session_id=session_id, login=login, score=points, method=method)
        state.render(result_record(result_details(session, attempt)), fmt)


@app.command("retake")
def retake(
    ctx: typer.Context,
    session_id: SessionArg,
    login: LoginArg,
    on: Annotated[str, typer.Option("--on", help="Date of the retake.")],
    fmt: FormatOption = None,
) -> None:
    """Schedule a retake of a failed assessment: the next attempt, linked to the failed one."""
    from opsctl.reports.training.tables import result_record
    from opsctl.services.training import result_details, schedule_retake

    state = AppContext.of(ctx)
    with state.session() as session:
        attempt = schedule_retake(session, actor=state.actor(session), now=state.now(), session_id=session_id,
                                  login=login, day=_date(state, session, on))
        state.render(result_record(result_details(session, attempt)), fmt)


# -- records and reports ---------------------------------------------------------------

@app.command("record")
def record(
    ctx: typer.Context,
    login: Annotated[str | None, typer.Argument(metavar="[LOGIN]", help="Whose record (default: yours).")] = None,
    year: Annotated[str | None, typer.Option("--year", help="Only this plan year (default: all).")] = None,
    fmt: FormatOption = None,
) -> None:
    """A person's training: every session and attempt; hours count attended sessions only."""
    from opsctl.reports.training.tables import training_record
    from opsctl.services.people import get_person
    from opsctl.services.training import person_training

    state = AppContext.of(ctx)
    with state.session(write=False) as session:
        actor = state.actor(session)
        person = get_person(session, login) if login else actor
        data = person_training(session, viewer=actor, person=person, today=state.today(session),
                               year=_year(state, session, year) if year else None)
    state.render(training_record(data), fmt)


@app.command("report")
def report(
    ctx: typer.Context,
    year: YearOpt = None,
    xlsx: Annotated[Path | None, typer.Option("--xlsx", metavar="FILE", help="Also write it as a workbook.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace the --xlsx file if it exists.")] = False,
    fmt: FormatOption = None,
) -> None:
    """The year: planned vs held by quarter and category, hours per person, pass rate, retakes."""
    from opsctl.reports.training.tables import year_report_record
    from opsctl.services.training import year_report

    state = AppContext.of(ctx)
    if xlsx is not None:  # before the work, as every output file
        from opsctl.reports.excel import check_target

        check_target(xlsx, force=force, option="--xlsx", example="training.xlsx")
    with state.session(write=False) as session:
        data = year_report(session, viewer=state.actor(session), year=_year(state, session, year),
                           today=state.today(session))
    if xlsx is not None:
        from opsctl.reports.training.xlsx import write_year_report

        write_year_report(data, xlsx, force=force)
        state.notice(f"wrote {xlsx}")
    state.render(year_report_record(data), fmt)


# -- certificates ----------------------------------------------------------------------

@cert_app.command("add")
def cert_add(
    ctx: typer.Context,
    login: LoginArg,
    name: Annotated[str, typer.Argument(help="The certificate, e.g. 'CCNA' or '电工证'.")],
    issued: Annotated[str, typer.Option("--issued", help="Issue date.")],
    expires: Annotated[str | None, typer.Option("--expires", help="Expiry date (none: never expires).")] = None,
    fmt: FormatOption = None,
) -> None:
    """Record a certificate someone holds (they, their manager, HR or an admin)."""
    from opsctl.reports.training.tables import cert_record
    from opsctl.services.people import get_person
    from opsctl.services.training import add_certificate, list_certificates

    state = AppContext.of(ctx)
    with state.session() as session:
        actor, person = state.actor(session), get_person(session, login)
        cert = add_certificate(session, actor=actor, now=state.now(), today=state.today(session), person=person,
                               name=name, issued=_date(state, session, issued),
                               expires=_date(state, session, expires) if expires else None)
        rows = list_certificates(session, viewer=actor, person=person, today=state.today(session))
        state.render(cert_record(next(r for r in rows if r["id"] == cert.id)), fmt)


@cert_app.command("list")
def cert_list(
    ctx: typer.Context,
    login: Annotated[str | None, typer.Argument(metavar="[LOGIN]", help="Whose (default: all you may see).")] = None,
    fmt: FormatOption = None,
) -> None:
    """Certificates, old ones included: yours, your reports' (managers), everyone's (HR, admin)."""
    from opsctl.reports.training.tables import cert_table
    from opsctl.services.people import get_person
    from opsctl.services.training import list_certificates

    state = AppContext.of(ctx)
    with state.session(write=False) as session:
        actor = state.actor(session)
        rows = list_certificates(session, viewer=actor, person=get_person(session, login) if login else None,
                                 today=state.today(session))
    state.render(cert_table(rows, title="Certificates", empty="No certificates recorded."), fmt)


@cert_app.command("expiring")
def cert_expiring(
    ctx: typer.Context,
    within: Annotated[int, typer.Option("--within", metavar="DAYS", help="Days ahead to look.")] = 60,
    fmt: FormatOption = None,
) -> None:
    """Certificates that expired or expire within N days (the latest of each, soonest first)."""
    from opsctl.reports.training.tables import cert_table
    from opsctl.services.training import expiring_certificates

    state = AppContext.of(ctx)
    with state.session(write=False) as session:
        today = state.today(session)
        rows = expiring_certificates(session, viewer=state.actor(session), today=today, within=within)
    horizon = today + timedelta(days=max(within, 0))
    state.render(cert_table(rows, title=f"Certificates expired or expiring by {horizon}",
                            empty=f"No certificate expires within {within} days."), fmt)
