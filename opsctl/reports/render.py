"""One renderer for every command: table (rich), json, csv, tsv, md (tabulate)."""

from __future__ import annotations

import csv
import json
import os
import sys
from collections.abc import Callable
from datetime import date, datetime, time, tzinfo
from decimal import Decimal
from enum import Enum
from typing import Any, TextIO

from opsctl.reports.fitting import dropped_note, fit_table
from opsctl.reports.formats import OutputFormat
from opsctl.reports.safetext import json_safe, printable, spreadsheet_cell
from opsctl.reports.tabular import Column, Record, Tabular
from opsctl.reports.textable import draw, style, text_width, wrap


def plain(value: Any, tz: tzinfo | None = None) -> Any:
    """A JSON-ready value: dates as YYYY-MM-DD, instants ISO 8601 with the team offset."""
    if isinstance(value, datetime):
        if value.tzinfo is not None and tz is not None:
            value = value.astimezone(tz)
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {k: plain(v, tz) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [plain(v, tz) for v in value]
    return value


def cell_text(value: Any, tz: tzinfo | None = None) -> str:
    """How one value reads in a table cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        if value.tzinfo is not None and tz is not None:
            value = value.astimezone(tz)
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))
    if isinstance(value, list | tuple | set | frozenset):
        return ", ".join(cell_text(v, tz) for v in value)
    if isinstance(value, dict):  # unset keys say nothing in a cell ("team: , template: x" reads as a slip)
        return ", ".join(f"{k}: {cell_text(v, tz)}" for k, v in value.items() if v is not None)
    return str(plain(value, tz))


def render(
    shown: Tabular | Record,
    fmt: OutputFormat | None = None,
    *,
    tz: tzinfo | None = None,
    out: TextIO | None = None,
    wide: bool = False,
    raw: bool = False,
) -> None:
    """Show a table or a record in ``fmt``. ``wide`` (-w/--wide): the table format leaves no
    column out and cuts no cell, even on a narrow terminal. Text is shown safely
    (``opsctl.reports.safetext``): tables and Markdown without control characters, CSV/TSV also
    without formulas; ``raw`` (--raw) writes CSV, TSV and Markdown text exactly as stored (JSON
    always does; a table never does, since it is for a terminal)."""
    out = out or sys.stdout
    fmt = fmt or OutputFormat.table
    if fmt is OutputFormat.json:
        data = shown.data if isinstance(shown, Record) else shown.rows
        out.write(json_text(data, tz) + "\n")
    elif fmt in (OutputFormat.csv, OutputFormat.tsv):
        rows = [shown.data] if isinstance(shown, Record) else shown.rows
        _write_delimited(rows, out, "," if fmt is OutputFormat.csv else "\t", tz, raw=raw)
    elif fmt is OutputFormat.md:
        _write_markdown(shown, out, tz, _as_stored if raw else printable)
    else:
        _write_text(shown, out, tz, None if wide else terminal_width(out))


def json_text(data: Any, tz: tzinfo | None) -> str:
    """The JSON contract: every value as stored, C1 and bidi controls as ``\\u`` escapes."""
    return json_safe(json.dumps(plain(data, tz), ensure_ascii=False, indent=2))


def _flat(value: Any, tz: tzinfo | None) -> Any:
    value = plain(value, tz)
    if isinstance(value, list):
        return "; ".join(str(_flat(v, tz)) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else value


def _write_delimited(rows: list[dict[str, Any]], out: TextIO, delimiter: str, tz: tzinfo | None, *,
                     raw: bool) -> None:
    """Every key of every row; a text cell that a spreadsheet would run as a formula gets a
    leading ``'`` and loses its control characters, unless ``raw``. Numbers stay numbers."""
    if not rows:
        return
    keys = list(rows[0])
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(keys)
    for row in rows:
        cells = [_flat(row.get(k), tz) for k in keys]
        writer.writerow(cells if raw else [spreadsheet_cell(cell) for cell in cells])


def _as_stored(text: str, *, lines: bool = False) -> str:
    return text


Clean = Callable[..., str]  # ``printable`` (a terminal, a rendered page) or ``_as_stored`` (--raw)


def _record_rows(record: Record, tz: tzinfo | None, clean: Clean, *, lines: bool) -> list[tuple[str, str]]:
    """Label/value pairs; a value keeps its line breaks when ``lines`` (the table format wraps them)."""
    return [
        (clean(record.labels.get(key, key.replace("_", " ").capitalize())), clean(cell_text(value, tz), lines=lines))
        for key, value in record.data.items()
        if key not in record.hidden and not _is_nested_rows(value)
    ]


def _is_nested_rows(value: Any) -> bool:
    """A list of records: shown as a section of its own, not squeezed into a cell."""
    return isinstance(value, list) and any(isinstance(v, dict) for v in value)


def _write_markdown(shown: Tabular | Record, out: TextIO, tz: tzinfo | None, clean: Clean) -> None:
    """GitHub tables: shown, never evaluated, so no formula escaping; but a page is read in a
    terminal too, so no control characters (unless --raw), and a cell is one line."""
    from tabulate import tabulate

    if shown.title:
        out.write(f"## {clean(shown.title)}\n\n")
    if isinstance(shown, Record):
        out.write(tabulate(_record_rows(shown, tz, clean, lines=False), headers=["Field", "Value"],
                           tablefmt="github") + "\n")
        for section in shown.sections:
            out.write("\n")
            _write_markdown(section, out, tz, clean)
        return
    if not shown.rows:
        out.write(f"{clean(shown.empty, lines=True)}\n")
        return
    table = [[clean(_cell(row.get(c.key), c, tz)) for c in shown.columns] for row in shown.rows]
    align = [c.justify for c in shown.columns]
    out.write(
        tabulate(table, headers=[c.header for c in shown.columns], tablefmt="github", colalign=align) + "\n"
    )


def _cell(value: Any, column: Column, tz: tzinfo | None) -> str:
    if column.decimals is not None and isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return f"{value:.{column.decimals}f}"
    return cell_text(value, tz)


def colour_enabled(out: TextIO) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set."""
    return out.isatty() and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"


def console(out: TextIO | None = None, *, stderr: bool = False) -> Any:
    """A rich console for drawings beyond a table (calendar grids); obeys NO_COLOR."""
    from rich.console import Console

    stream = out or (sys.stderr if stderr else sys.stdout)
    width = terminal_width(stream) or int(os.environ.get("COLUMNS", "160"))
    return Console(file=stream, width=width, no_color=not colour_enabled(stream), highlight=False)


def _write_text(shown: Tabular | Record, out: TextIO, tz: tzinfo | None, width: int | None) -> None:
    out.write("\n".join(text_lines(shown, tz, colour=colour_enabled(out), width=width)) + "\n")


WIDTH_ENV = "OPSCTL_WIDTH"


def terminal_width(out: TextIO) -> int | None:
    """The columns of the terminal ``out`` is; None when it is a file or a pipe (every cell whole).
    ``OPSCTL_WIDTH=N`` lays tables out for N columns wherever they go (a pager, a test)."""
    forced = os.environ.get(WIDTH_ENV, "").strip()
    if forced.isdigit() and int(forced) > 0:
        return int(forced)
    if not out.isatty():
        return None
    import shutil

    return shutil.get_terminal_size().columns


def text_lines(shown: Tabular | Record, tz: tzinfo | None, *, colour: bool = False,
               width: int | None = None) -> list[str]:
    """The table format: a title, aligned columns, notes; records as label/value pairs. With a
    terminal's ``width`` every line fits it (``opsctl.reports.fitting``: short headers, columns
    left out by priority, text cut with "…"; a record's long values and notes are wrapped);
    without one (a file, a pipe, --wide) every cell is whole. Colour never changes the layout."""
    title = printable(shown.title) if shown.title else ""
    lines = [style(line, "bold", colour) for line in wrap(title, width)] if title else []
    if isinstance(shown, Record):
        pairs = _record_rows(shown, tz, printable, lines=True)
        lines += ["  " + line for line in _record_lines(pairs, colour, None if width is None else width - 2)]
        for section in shown.sections:
            lines += ["", *text_lines(section, tz, colour=colour, width=width)]
        return lines
    if not shown.rows:
        return [*lines, *(style(line, "dim", colour) for line in wrap(printable(shown.empty, lines=True), width))]
    body = [[printable(_cell(row.get(c.key), c, tz)) for c in shown.columns] for row in shown.rows]
    fitted = fit_table(shown.columns, shown.rows, body, width)
    lines += draw(fitted.headers, fitted.body, justify=[c.justify for c in fitted.columns],
                  column_styles=[c.style for c in fitted.columns], row_styles=shown.row_styles,
                  colour=colour, widths=fitted.widths)
    notes = [*shown.notes, *([dropped_note(fitted.dropped, width)] if fitted.dropped and width else [])]
    lines += [style(line, "dim", colour) for note in notes for line in _note_lines(printable(note, lines=True), width)]
    return lines


def _note_lines(note: str, width: int | None) -> list[str]:
    """A note wrapped to the terminal; a hint's command ("…: opsctl …") starts a line of its own
    and is never broken: pasted, a command cut in two would run its first half."""
    head, colon, command = note.partition(": opsctl ")
    if width is None or text_width(note) <= width or not colon:
        return wrap(note, width)
    return [*wrap(head + ":", width), "  opsctl " + command]


def _record_lines(pairs: list[tuple[str, str]], colour: bool, width: int | None) -> list[str]:
    """Label/value lines; a value too long for the terminal goes on under itself, word by word."""
    labels = max((text_width(label) for label, _ in pairs), default=0)
    room = None if width is None else max(width - labels - 2, 20)
    rows = []
    for label, value in pairs:
        parts = wrap(value, room)
        rows += [[label, parts[0]], *([["", part] for part in parts[1:]])]
    return draw(None, rows, justify=["left", "left"], column_styles=["bold", None], colour=colour)
