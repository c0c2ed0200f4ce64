"""`opsctl init` and `opsctl whoami`."""

from __future__ import annotations

from typing import Annotated

import typer

from opsctl.cli.base import FormatOption, single
from opsctl.cli.context import AppContext

init_app = single("Create the database and its first admin.")
whoami_app = single("Show who you act as.")


@init_app.command("init")
def init(
    ctx: typer.Context,
    timezone: Annotated[
        str | None, typer.Option(help="The team's IANA timezone (default: this machine's).")
    ] = None,
    admin: Annotated[str | None, typer.Option(help="Login of the first admin (default: yours).")] = None,
    name: Annotated[str | None, typer.Option(help="Full name of the first admin.")] = None,
    fmt: FormatOption = None,
) -> None:
    """Create the database (schema, settings, default leave types) and its first admin."""
    from opsctl.reports.people import person_record
    from opsctl.services.setup import initialize, local_timezone

    state = AppContext.of(ctx)
    login = admin or state.login
    state.engine(create=True)
    with state.session() as session:
        person = initialize(
            session, now=state.now(), timezone=timezone or local_timezone(), admin_login=login,
            admin_name=name or login,
        )
    state.forget_settings()
    with state.session(write=False) as session:
        state.render(person_record(session, person), fmt)
    state.notice(f"Created {state.location.display()}; {person.login} is its admin.")


@whoami_app.command("whoami")
def whoami(ctx: typer.Context, fmt: FormatOption = None) -> None:
    """Show the person you act as: login, name, role, team and manager."""
    from opsctl.reports.people import person_record

    state = AppContext.of(ctx)
    with state.session(write=False) as session:
        state.render(person_record(session, state.actor(session)), fmt)
