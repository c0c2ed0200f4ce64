"""Files, the editor and output for `opsctl meeting` (the command line's side of minutes and exports)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import typer

from opsctl.cli.context import AppContext


def minutes_record(state: AppContext, occurrence: Any, text: str | None, fmt: Any, *, saved: bool = False) -> None:
    """Saved: a short record of what was written. Read: the Markdown itself (or a JSON record)."""
    from opsctl.reports.formats import OutputFormat
    from opsctl.reports.tabular import Record

    row = occurrence.row
    data = {"id": occurrence.ref, "title": occurrence.meeting.title, "start": occurrence.starts_at,
            "minutes": row.minutes if row is not None else None,
            "minutes_at": row.minutes_at if row is not None else None}
    if saved and fmt in (None, OutputFormat.table):
        lines = len((data["minutes"] or "").splitlines())
        return state.notice(f"Saved the minutes of meeting {occurrence.ref} ({lines} lines); "
                            f"`opsctl meeting export {occurrence.ref}` shows the whole record.")
    if fmt in (None, OutputFormat.table) and not saved:
        if text is None:
            return state.notice(f"Meeting {occurrence.ref} has no minutes yet; write them with "
                                f"`opsctl meeting minutes {occurrence.ref} --edit` or --file F.")
        from opsctl.reports.safetext import printable

        shown = printable(text, lines=True)  # read on a terminal: no escape sequences (-f json: as stored)
        typer.echo(shown, nl=not shown.endswith("\n"))
        return None
    state.render(Record(f"Minutes of meeting {occurrence.ref}", data), fmt)
    return None


@contextmanager
def keep_on_conflict(text: str, ref: str, *, keep: bool) -> Iterator[None]:
    """Minutes written in the editor that cannot be saved (others were saved meanwhile, or the
    meeting was cancelled) are kept in a file rather than lost."""
    import tempfile

    from opsctl.errors import Conflict

    try:
        yield
    except Conflict as exc:
        if not keep:
            raise
        handle, name = tempfile.mkstemp(prefix=f"opsctl-minutes-{ref}-", suffix=".md")
        with open(handle, "w", encoding="utf-8") as out:
            out.write(text)
        raise Conflict(f"{exc.message}; your text is in {name}: merge it with `opsctl meeting minutes {ref}` and "
                       f"save it with --file {name}") from None


def read_text(file: Path) -> str:
    import sys

    from opsctl.errors import InvalidInput, NotFound

    if str(file) == "-":
        return sys.stdin.read()
    if not file.is_file():
        raise NotFound(f"no such file: {file}")
    try:
        return file.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InvalidInput(f"{file} is not UTF-8 text; save the minutes as UTF-8 Markdown") from None


def run_editor(template: str) -> str:
    """Open $VISUAL (else $EDITOR) on a temporary .md file holding ``template``; return what was saved."""
    import os
    import shlex
    import subprocess
    import tempfile

    from opsctl.errors import InvalidInput

    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if not editor:
        raise InvalidInput("--edit needs an editor: set EDITOR (e.g. `export EDITOR=nano`) or VISUAL, "
                           "or give the minutes with --file F")
    handle, name = tempfile.mkstemp(prefix="opsctl-minutes-", suffix=".md")
    path = Path(name)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(template)
        try:
            status = subprocess.run([*shlex.split(editor), str(path)], check=False).returncode
        except (OSError, ValueError) as exc:
            raise InvalidInput(f"cannot run the editor {editor!r} ({exc}); set EDITOR to an installed "
                               "editor") from None
        if status != 0:
            raise InvalidInput(f"the editor {editor!r} exited with status {status}; nothing was saved")
        return read_text(path)
    finally:
        path.unlink(missing_ok=True)


def write_output(state: AppContext, text: str, output: Path | None, *, force: bool = False) -> None:
    """stdout, or a file written whole (`opsctl.reports.outfile`); an existing one only with ``force``.
    On a terminal the text loses its escape sequences; a pipe and a file get it exactly."""
    import sys

    from opsctl.reports.outfile import write_text

    if output is None:
        if sys.stdout.isatty():
            from opsctl.reports.safetext import printable

            text = printable(text, lines=True)
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    write_text(output, text, force=force)
    state.notice(f"Wrote {output}")
