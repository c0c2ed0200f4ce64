"""`opsctl db`: where the database is, and keeping it healthy."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from opsctl.cli.base import FormatOption, group
from opsctl.cli.context import AppContext

app = group("The database: where it is, its schema, backups and integrity.")


@app.command("path")
def path(ctx: typer.Context) -> None:
    """Print the database in use (from --db, OPSCTL_DB or the default location)."""
    typer.echo(AppContext.of(ctx).location.display())


@app.command("info")
def info(ctx: typer.Context, fmt: FormatOption = None) -> None:
    """Backend, location, size, schema revision and row counts."""
    from opsctl.reports.tabular import Record
    from opsctl.services.maintenance import database_info

    state = AppContext.of(ctx)
    with state.session(write=False) as session:
        data = database_info(session, state.location)
    state.render(Record("Database", data), fmt)


@app.command("migrate")
def migrate(ctx: typer.Context) -> None:
    """Upgrade the schema to this version of opsctl (a backup of a SQLite file is kept)."""
    from opsctl.db import ensure_schema, open_engine

    state = AppContext.of(ctx)
    engine = open_engine(state.location)
    try:
        note = ensure_schema(engine, state.location)
    finally:
        engine.dispose()
    state.notice(note or "The schema is already current.")


@app.command("backup")
def backup(
    ctx: typer.Context,
    target: Annotated[Path | None, typer.Argument(help="Backup file (default: next to the database).")] = None,
) -> None:
    """An online copy of the SQLite database, consistent even while others write."""
    from opsctl.services.maintenance import backup_database

    state = AppContext.of(ctx)
    with state.session(write=False) as session:  # refuses a missing or foreign database before copying
        tz = state.tz(session)
    written = backup_database(state.location, target, now=state.now(), tz=tz)
    state.notice(f"Backed up to {written}")
    typer.echo(str(written))


@app.command("check")
def check(ctx: typer.Context, fmt: FormatOption = None) -> None:
    """Integrity (SQLite), schema revision, the audit log's guards and hash chain; exit 6 if anything is wrong."""
    from opsctl.errors import StorageError
    from opsctl.reports.tabular import Record
    from opsctl.services.maintenance import check_database

    state = AppContext.of(ctx)
    with state.session(write=False) as session:
        result = check_database(session)
    state.render(Record("Database check", result), fmt)
    if not result["ok"]:
        raise StorageError(f"the database check found problems: {'; '.join(result['problems'])}")


@app.command("provision")
def provision(ctx: typer.Context, fmt: FormatOption = None) -> None:
    """PostgreSQL, by the tables' owner: the group role, grants, row-level security and guards (again at will)."""
    from opsctl.reports.logins import provision_record
    from opsctl.services.server_rules import provision as provision_database

    state = AppContext.of(ctx)
    with state.session() as session:
        done = provision_database(session)
    state.render(provision_record(done), fmt)


@app.command("roles")
def roles(ctx: typer.Context, fmt: FormatOption = None) -> None:
    """PostgreSQL: who has a login of their own, whether it can log in, last seen (HR and admins)."""
    from opsctl.reports.logins import logins_table
    from opsctl.services.logins import list_logins

    state = AppContext.of(ctx)
    with state.session(write=False) as session:
        rows = list_logins(session, viewer=state.actor(session))
    state.render(logins_table(rows), fmt)
