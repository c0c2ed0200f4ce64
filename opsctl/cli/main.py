"""The `opsctl` command: global options, and the table of command groups (loaded lazily)."""

from __future__ import annotations

from typing import Annotated

import typer

from opsctl import __version__
from opsctl.cli.lazy import LazyCommand, LazyGroup

LazyGroup.lazy = {
    name: LazyCommand(f"opsctl.cli.{module}", attribute, help)
    for name, module, attribute, help in (
        ("init", "setup", "init_app", "Create the database and its first admin."),
        ("demo", "demo", "app", "Build a throwaway sample database and show a tour of it."),
        ("whoami", "setup", "whoami_app", "Show who you act as: person, role, manager."),
        ("today", "today", "app", "Your day at a glance: punch, tasks, meetings, approvals, leave."),
        ("config", "config", "app", "Team settings: timezone, week start, overtime, KPI grades…"),
        ("db", "db", "app", "The database: where it is, migrate, backup, check."),
        ("people", "people", "app", "Employees: add, list, show, edit, import, deactivate."),
        ("team", "people", "team_app", "Teams and their leads."),
        ("audit", "audit", "app", "The audit log of changes to other people's records and approvals."),
        ("project", "projects", "app", "Projects: propose, approve, start, submit, review, archive."),
        ("task", "tasks", "app", "Tasks by urgency: add, start, block, done, assign; the weekly plan."),
        ("meeting", "meetings", "app", "Meetings: schedule, attendance, minutes, decisions, action items."),
        ("training", "training", "app", "Training: yearly plan, sessions, results and retakes, certificates."),
        ("kpi", "kpi", "app", "KPI: templates, cycles, multi-rater scores, results by month/quarter/year."),
        ("attend", "attendance", "app", "Attendance: clock in/out, status, day and month views, fixes, imports."),
        ("schedule", "schedule", "app", "Work schedules: hours, break, grace, workdays; who follows which."),
        ("calendar", "calendar", "app", "The holiday calendar: public holidays, days off, make-up workdays."),
        ("leave", "leave", "app", "Leave: types, balances, requests in whole or half days, approvals."),
    )
}

app = typer.Typer(
    cls=LazyGroup,
    help="opsctl: a small team's operations — people, attendance, leave, projects, "
    "meetings, KPI and training — from one command line.",
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"opsctl {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db", metavar="PATH|URL", show_default=False,
            help="Database file or URL (else OPSCTL_DB, else ~/.local/share/opsctl).",
        ),
    ] = None,
    as_login: Annotated[
        str | None,
        typer.Option("--as", metavar="LOGIN", help="Act as this login (else OPSCTL_USER, else your OS login)."),
    ] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of unexpected errors.")] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    from opsctl.cli.context import AppContext

    state = ctx.obj if isinstance(ctx.obj, AppContext) else AppContext()
    state.db = db or state.db
    state.as_login = as_login if as_login is not None else state.as_login
    state.debug = debug or state.debug
    ctx.obj = state
    ctx.call_on_close(state.close)
