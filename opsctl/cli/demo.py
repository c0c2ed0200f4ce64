"""`opsctl demo`: a newcomer's first command."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from opsctl.cli.base import single
from opsctl.cli.context import AppContext

app = single("Build a throwaway sample database and show a tour of it.")


@app.command("demo")
def demo(
    ctx: typer.Context,
    directory: Annotated[
        Path | None,
        typer.Option("--dir", help="Where to put the demo database and workbook (default: a new temp folder)."),
    ] = None,
) -> None:
    """Build a sample team's database in its own folder (never yours) and show an overview."""
    import tempfile
    from dataclasses import replace

    from opsctl.clock import FixedClock
    from opsctl.demo.attendance import demo_workbook
    from opsctl.demo.build import build, demo_info, overview, sample_dir
    from opsctl.errors import InvalidInput

    state = AppContext.of(ctx)
    folder = directory or Path(tempfile.mkdtemp(prefix="opsctl-demo-"))
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "demo.db"
    info = replace(demo_info(sample_dir()), db=str(db))
    workbook = folder / f"attendance-{info.month}.xlsx"
    for taken in (db, workbook):
        if taken.exists():
            raise InvalidInput(f"{taken} already exists; choose another --dir or remove it")
    demo_state = AppContext(db=str(db), as_login=info.admin, clock=FixedClock(info.now))
    demo_state.engine(create=True)
    try:
        with demo_state.session() as session:
            build(session, info)
        demo_state.forget_settings()
        with demo_state.session(write=False) as session:
            for number, part in enumerate(overview(session, info)):
                if number:
                    typer.echo()
                demo_state.render(part, None)
            what = demo_workbook(session, demo=info, path=workbook)
    finally:
        demo_state.close()
    state.notice(
        f"\nThe demo database is {db}; its clock stays at {info.now:%Y-%m-%d %H:%M} {info.timezone}.\n"
        f"{what}: {workbook}\n"
        + info.hint("Explore it", "people list")
    )
