"""`opsctl people` and `opsctl team`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from opsctl.cli.base import FormatOption, group
from opsctl.cli.context import AppContext

app = group("Employees: add, list, show, edit, import, deactivate.")
team_app = group("Teams and their leads.")

Login = Annotated[str, typer.Argument(help="The employee's login.")]
NameOpt = Annotated[str | None, typer.Option("--name", help="Full name (any script, e.g. 张伟).")]
EmailOpt = Annotated[str | None, typer.Option(help="Email address.")]
TeamOpt = Annotated[str | None, typer.Option(help="Team name.")]
RoleOpt = Annotated[str | None, typer.Option(help="member, lead, manager, hr or admin.")]
ManagerOpt = Annotated[str | None, typer.Option(help="Login of their manager.")]
BadgeOpt = Annotated[str | None, typer.Option(help="Badge number on the clock device.")]
HiredOpt = Annotated[str | None, typer.Option(help="Hire date (YYYY-MM-DD).")]


@app.command("add")
def add(
    ctx: typer.Context,
    login: Login,
    name: Annotated[str, typer.Option("--name", help="Full name (any script, e.g. 张伟).")],
    email: EmailOpt = None,
    team: TeamOpt = None,
    role: Annotated[str, typer.Option(help="member, lead, manager, hr or admin.")] = "member",
    manager: ManagerOpt = None,
    badge: BadgeOpt = None,
    hired: HiredOpt = None,
    fmt: FormatOption = None,
) -> None:
    """Add an employee (HR and admins)."""
    from opsctl.dates import parse_date
    from opsctl.reports.people import person_record
    from opsctl.services.people import add_person

    state = AppContext.of(ctx)
    with state.session() as session:
        person = add_person(
            session, actor=state.actor(session), now=state.now(), login=login, name=name, email=email,
            team=team, role=role, manager=manager, badge=badge,
            hired=parse_date(hired, today=state.today(session)) if hired else None,
        )
        state.render(person_record(session, person), fmt)


@app.command("list")
def list_(
    ctx: typer.Context,
    team: TeamOpt = None,
    role: RoleOpt = None,
    all_: Annotated[bool, typer.Option("--all", help="Include people who have left.")] = False,
    fmt: FormatOption = None,
) -> None:
    """Employees, by team."""
    from opsctl.reports.people import people_table
    from opsctl.services.people import list_people

    state = AppContext.of(ctx)
    with state.session(write=False) as session:
        rows = list_people(session, viewer=state.actor(session), team=team, role=role, include_inactive=all_)
    state.render(people_table(rows), fmt)


@app.command("show")
def show(ctx: typer.Context, login: Login, fmt: FormatOption = None) -> None:
    """One employee's record."""
    from opsctl.reports.people import person_record
    from opsctl.services.people import show_person

    state = AppContext.of(ctx)
    with state.session(write=False) as session:
        state.render(person_record(session, show_person(session, viewer=state.actor(session), login=login)), fmt)


@app.command("edit")
def edit(
    ctx: typer.Context,
    login: Login,
    name: NameOpt = None,
    email: EmailOpt = None,
    team: TeamOpt = None,
    role: RoleOpt = None,
    manager: ManagerOpt = None,
    badge: BadgeOpt = None,
    hired: HiredOpt = None,
    fmt: FormatOption = None,
) -> None:
    """Change an employee's fields; an empty value ('') clears an optional one. Audited."""
    from opsctl.dates import parse_date
    from opsctl.reports.people import person_record
    from opsctl.services.people import edit_person

    state = AppContext.of(ctx)
    with state.session() as session:
        changes: dict[str, Any] = {
            key: value
            for key, value in dict(name=name, email=email, team=team, role=role, manager=manager,
                                   badge=badge).items()
            if value is not None
        }
        if hired is not None:
            changes["hired"] = parse_date(hired, today=state.today(session)) if hired else None
        person = edit_person(session, actor=state.actor(session), now=state.now(), login=login, **changes)
        state.render(person_record(session, person), fmt)


@app.command("deactivate")
def deactivate(
    ctx: typer.Context,
    login: Login,
    on: Annotated[str | None, typer.Option("--on", help="Last day at work (default: today).")] = None,
    fmt: FormatOption = None,
) -> None:
    """Mark an employee as having left; their history stays. What still points at them (people
    they manage, teams they lead, open tasks) is listed on stderr with the fix."""
    from opsctl.dates import parse_date
    from opsctl.reports.people import person_record
    from opsctl.services.people import deactivate_person, loose_ends

    state = AppContext.of(ctx)
    with state.session() as session:
        today = state.today(session)
        person = deactivate_person(
            session, actor=state.actor(session), now=state.now(), login=login,
            left=parse_date(on, today=today) if on else today,
        )
        state.render(person_record(session, person), fmt)
        for note in loose_ends(session, person):
            state.notice(f"Note: {note}.")


@app.command("reactivate")
def reactivate(ctx: typer.Context, login: Login, fmt: FormatOption = None) -> None:
    """Bring back someone marked as having left (HR and admins; audited)."""
    from opsctl.reports.people import person_record
    from opsctl.services.people import reactivate_person

    state = AppContext.of(ctx)
    with state.session() as session:
        person = reactivate_person(session, actor=state.actor(session), now=state.now(), login=login)
        state.render(person_record(session, person), fmt)


@app.command("import")
def import_(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="CSV or XLSX with a header row: login,name,email,team,role,"
                                              "manager,badge,hired,left.")],
    fmt: FormatOption = None,
) -> None:
    """Add or update people from a file; if any line is bad, nothing is imported."""
    from opsctl.reports.people import people_table
    from opsctl.services.people import import_people, list_people

    state = AppContext.of(ctx)
    with state.session() as session:
        result = import_people(
            session, actor=state.actor(session), now=state.now(), path=file, today=state.today(session)
        )
        touched = set(result.added) | set(result.updated)
        rows = [r for r in list_people(session, viewer=state.actor(session), include_inactive=True)
                if r["login"] in touched]
    state.render(people_table(rows, title="Imported"), fmt)
    state.notice(f"{len(result.added)} added, {len(result.updated)} updated from {file}")


@team_app.command("add")
def team_add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Team name.")],
    lead: Annotated[str | None, typer.Option(help="Login of the team lead.")] = None,
    fmt: FormatOption = None,
) -> None:
    """Add a team (HR and admins)."""
    from opsctl.services.people import add_team

    _team_change(ctx, fmt, add_team, name=name, lead=lead)


@team_app.command("edit")
def team_edit(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Team name.")],
    new_name: Annotated[str | None, typer.Option("--name", metavar="TEXT", help="A new name.")] = None,
    lead: Annotated[str | None, typer.Option(metavar="LOGIN", help="The new lead ('' for none).")] = None,
    fmt: FormatOption = None,
) -> None:
    """Rename a team or change its lead (HR and admins; audited)."""
    from opsctl.services.people import edit_team

    changes = {key: value for key, value in (("new_name", new_name), ("lead", lead)) if value is not None}
    _team_change(ctx, fmt, edit_team, name=name, **changes)


def _team_change(ctx: typer.Context, fmt: FormatOption, change: Callable[..., Any], **options: Any) -> None:
    """Add or edit a team (a `teams` service); show the team as it is now."""
    from opsctl.reports.people import team_record
    from opsctl.services.people import show_team

    state = AppContext.of(ctx)
    with state.session() as session:
        team = change(session, actor=state.actor(session), now=state.now(), **options)
        state.render(team_record(show_team(session, team.name, viewer=state.actor(session))), fmt)


@team_app.command("list")
def team_list(ctx: typer.Context, fmt: FormatOption = None) -> None:
    """Teams with their lead and number of members."""
    from opsctl.reports.people import team_table
    from opsctl.services.people import list_teams

    state = AppContext.of(ctx)
    with state.session(write=False) as session:
        rows = list_teams(session, viewer=state.actor(session))
    state.render(team_table(rows), fmt)


@team_app.command("show")
def team_show(
    ctx: typer.Context, name: Annotated[str, typer.Argument(help="Team name.")], fmt: FormatOption = None
) -> None:
    """A team, its lead and its members."""
    from opsctl.reports.people import team_record
    from opsctl.services.people import show_team

    state = AppContext.of(ctx)
    with state.session(write=False) as session:
        data = show_team(session, name, viewer=state.actor(session))
    state.render(team_record(data), fmt)


@app.command("profile")
def profile(ctx: typer.Context, login: Login, fmt: FormatOption = None) -> None:
    """A person's development record: role and team history, training, certificates, KPI, notes."""
    from opsctl.reports.training.tables import profile_record
    from opsctl.services.people import get_person
    from opsctl.services.training import person_profile

    state = AppContext.of(ctx)
    with state.session(write=False) as session:
        data = person_profile(session, viewer=state.actor(session), person=get_person(session, login),
                              today=state.today(session))
    state.render(profile_record(data), fmt)


@app.command("note")
def note(
    ctx: typer.Context,
    login: Login,
    text: Annotated[str, typer.Argument(help="The note, e.g. 'Wants to lead the on-call rota next year'.")],
    fmt: FormatOption = None,
) -> None:
    """Add a note to a development record (the person, their manager, HR or an admin)."""
    from opsctl.reports.training.tables import note_record
    from opsctl.services.people import get_person
    from opsctl.services.training import add_note, list_notes

    state = AppContext.of(ctx)
    with state.session() as session:
        actor, person = state.actor(session), get_person(session, login)
        written = add_note(session, actor=actor, now=state.now(), person=person, text=text)
        state.render(note_record(next(n for n in list_notes(session, person) if n["id"] == written.id)), fmt)


@app.command("grant")
def grant(
    ctx: typer.Context,
    login: Login,
    db_role: Annotated[str | None, typer.Option("--db-role", help="The PostgreSQL role's name (default: the login).")]
    = None,
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help="Read the password from stdin.")] = False,
    no_password: Annotated[bool, typer.Option("--no-password", help="No password (peer or certificate auth).")]
    = False,
    fmt: FormatOption = None,
) -> None:
    """PostgreSQL: a login role of their own for an employee (admins); a new password is shown once."""
    import sys

    from opsctl.errors import InvalidInput
    from opsctl.reports.logins import login_record
    from opsctl.services.logins import GENERATE, grant_login

    if password_stdin and no_password:
        raise InvalidInput("give either --password-stdin or --no-password, not both")
    password = sys.stdin.readline().rstrip("\r\n") if password_stdin else None if no_password else GENERATE
    state = AppContext.of(ctx)
    with state.session() as session:
        given = grant_login(session, actor=state.actor(session), now=state.now(), login=login, db_role=db_role,
                            password=password)
    if given["password"]:
        state.notice("The password is shown this once; pass it on to them privately.")
    state.render(login_record(given), fmt)


@app.command("revoke")
def revoke(ctx: typer.Context, login: Login, fmt: FormatOption = None) -> None:
    """PostgreSQL: take an employee's login away (admins); it can no longer connect."""
    from opsctl.reports.logins import login_record
    from opsctl.services.logins import revoke_person_login

    state = AppContext.of(ctx)
    with state.session() as session:
        taken = revoke_person_login(session, actor=state.actor(session), now=state.now(), login=login)
    state.render(login_record(taken), fmt)
