"""The `opsctl` command: global options, the table of command groups (loaded lazily), and
the one place where errors become ``Error: …`` lines and exit codes."""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer

from opsctl import __version__
from opsctl.cli.lazy import LazyCommand, LazyGroup
from opsctl.errors import OpsctlError

COMMANDS: dict[str, LazyCommand] = {
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
        ("report", "workreports", "app", "Work reports (day/week): write, submit, review, who is missing, export."),
        ("training", "training", "app", "Training: yearly plan, sessions, results and retakes, certificates."),
        ("kpi", "kpi", "app", "KPI: templates, cycles, multi-rater scores, results by month/quarter/year."),
        ("attend", "attendance", "app", "Attendance: clock in/out, status, day and month views, fixes, imports."),
        ("schedule", "schedule", "app", "Work schedules: hours, break, grace, workdays; who follows which."),
        ("calendar", "calendar", "app", "The holiday calendar: public holidays, days off, make-up workdays."),
        ("leave", "leave", "app", "Leave: types, balances, requests in whole or half days, approvals."),
        ("merit", "merits", "app", "Rewards and penalties: add, approve, revoke, list; suggestions from the data."),
    )
}


class Opsctl(LazyGroup):
    """The root group: the commands of ``COMMANDS``, and the one error handler."""

    lazy = COMMANDS

    def invoke(self, ctx: typer.Context) -> Any:  # type: ignore[override]
        from opsctl.cli.context import AppContext, debug_requested, silence_stdout

        try:
            result = super().invoke(ctx)
            sys.stdout.flush()  # a reader that went away (`| head`) shows here, not at exit
            return result
        except OpsctlError as exc:
            print_error(exc.message)
            raise typer.Exit(exc.exit_code) from None
        except BrokenPipeError:
            # The reader took what it wanted (`| head -1`) from output not written by
            # AppContext.render (which lets the command finish): not an error, so exit 0.
            silence_stdout()
            raise typer.Exit(0) from None
        except typer.TyperException as exc:  # usage errors: typer prints them, quoting what was typed
            if isinstance(getattr(exc, "message", None), str):
                from opsctl.reports.safetext import printable

                exc.message = printable(exc.message, lines=True)
            raise
        except (typer.Exit, typer.Abort, KeyboardInterrupt):
            raise  # exits: typer handles them
        except Exception as exc:
            state = ctx.find_object(AppContext)
            if debug_requested(bool(state and state.debug)):
                raise
            print_error(f"unexpected {type(exc).__name__}: {exc} "
                        "(run again with --debug for the details, and please report it)")
            raise typer.Exit(1) from None


def print_error(message: str) -> None:
    """The one ``Error: …`` line. It often quotes what was typed or stored (an unknown login, a
    title): its escape sequences must not reach the terminal."""
    from opsctl.reports.safetext import printable

    print(f"Error: {printable(message, lines=True)}", file=sys.stderr)


app = typer.Typer(
    cls=Opsctl,
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
