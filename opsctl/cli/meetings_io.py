"""Files, the editor and output for `opsctl meeting` (the command line's side of minutes and exports)."""

from __future__ import annotations

from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import typer

from opsctl.cli.context import AppContext
from opsctl.cli.textedit import kept_on_conflict, read_text, run_editor

__all__ = ["keep_on_conflict", "minutes_record", "read_text", "run_editor", "write_output"]


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


def keep_on_conflict(text: str, ref: str, *, keep: bool) -> AbstractContextManager[None]:
    """Minutes written in the editor that cannot be saved (others were saved meanwhile, or the
    meeting was cancelled) are kept in a file rather than lost."""
    return kept_on_conflict(text, keep=keep, prefix=f"opsctl-minutes-{ref}-",
                            merge_with=f"opsctl meeting minutes {ref}")


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
