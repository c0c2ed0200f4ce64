"""One renderer for every command: table (rich), json, csv, tsv, md (tabulate)."""

from __future__ import annotations

import csv
import json
import os
import sys
from datetime import date, datetime, time, tzinfo
from decimal import Decimal
from enum import Enum
from typing import Any, TextIO

from opsctl.reports.formats import OutputFormat
from opsctl.reports.tabular import Record, Tabular


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
    if isinstance(value, dict):
        return ", ".join(f"{k}: {cell_text(v, tz)}" for k, v in value.items())
    return str(plain(value, tz))


def render(
    shown: Tabular | Record,
    fmt: OutputFormat | None = None,
    *,
    tz: tzinfo | None = None,
    out: TextIO | None = None,
) -> None:
    out = out or sys.stdout
    fmt = fmt or OutputFormat.table
    if fmt is OutputFormat.json:
        data = shown.data if isinstance(shown, Record) else shown.rows
        out.write(json.dumps(plain(data, tz), ensure_ascii=False, indent=2) + "\n")
    elif fmt in (OutputFormat.csv, OutputFormat.tsv):
        rows = [shown.data] if isinstance(shown, Record) else shown.rows
        _write_delimited(rows, out, "," if fmt is OutputFormat.csv else "\t", tz)
    elif fmt is OutputFormat.md:
        _write_markdown(shown, out, tz)
    else:
        _write_rich(shown, out, tz)


def _flat(value: Any, tz: tzinfo | None) -> Any:
    value = plain(value, tz)
    if isinstance(value, list):
        return "; ".join(str(_flat(v, tz)) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else value


def _write_delimited(rows: list[dict[str, Any]], out: TextIO, delimiter: str, tz: tzinfo | None) -> None:
    if not rows:
        return
    keys = list(rows[0])
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(keys)
    for row in rows:
        writer.writerow([_flat(row.get(k), tz) for k in keys])


def _record_rows(record: Record, tz: tzinfo | None) -> list[tuple[str, str]]:
    return [
        (record.labels.get(key, key.replace("_", " ").capitalize()), cell_text(value, tz))
        for key, value in record.data.items()
        if key not in record.hidden and not _is_nested_rows(value)
    ]


def _is_nested_rows(value: Any) -> bool:
    """A list of records: shown as a section of its own, not squeezed into a cell."""
    return isinstance(value, list) and any(isinstance(v, dict) for v in value)


def _write_markdown(shown: Tabular | Record, out: TextIO, tz: tzinfo | None) -> None:
    from tabulate import tabulate

    if isinstance(shown, Record):
        if shown.title:
            out.write(f"## {shown.title}\n\n")
        out.write(tabulate(_record_rows(shown, tz), headers=["Field", "Value"], tablefmt="github") + "\n")
        for section in shown.sections:
            out.write("\n")
            _write_markdown(section, out, tz)
        return
    if shown.title:
        out.write(f"## {shown.title}\n\n")
    if not shown.rows:
        out.write(f"{shown.empty}\n")
        return
    table = [[cell_text(row.get(c.key), tz) for c in shown.columns] for row in shown.rows]
    align = [c.justify for c in shown.columns]
    out.write(
        tabulate(table, headers=[c.header for c in shown.columns], tablefmt="github", colalign=align) + "\n"
    )


def console(out: TextIO | None = None, *, stderr: bool = False) -> Any:
    """A rich console: colours obey NO_COLOR; piped output gets no colour and room to breathe."""
    from rich.console import Console

    stream = out or (sys.stderr if stderr else sys.stdout)
    is_tty = stream.isatty()
    width = None if is_tty else int(os.environ.get("COLUMNS", "160"))
    return Console(file=stream, width=width, no_color=bool(os.environ.get("NO_COLOR")) or None,
                   highlight=False, soft_wrap=False)


def _write_rich(shown: Tabular | Record, out: TextIO, tz: tzinfo | None) -> None:
    target = console(out)
    for part in rich_parts(shown, tz):
        target.print(part)


def rich_parts(shown: Tabular | Record, tz: tzinfo | None) -> list[Any]:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    if isinstance(shown, Record):
        table = Table(title=shown.title, box=box.SIMPLE_HEAD, show_header=False, title_justify="left")
        table.add_column("Field", style="bold")
        table.add_column("Value")
        for label, value in _record_rows(shown, tz):
            table.add_row(label, Text(value))
        parts: list[Any] = [table]
        for section in shown.sections:
            parts.extend(rich_parts(section, tz))
        return parts
    if not shown.rows:
        heading = f"{shown.title}: " if shown.title else ""
        return [Text(f"{heading}{shown.empty}", style="dim")]
    table = Table(title=shown.title, box=box.SIMPLE_HEAD, title_justify="left", header_style="bold")
    for column in shown.columns:
        table.add_column(column.header, justify=column.justify, style=column.style)
    styles = shown.row_styles or [None] * len(shown.rows)
    for row, style in zip(shown.rows, styles, strict=False):
        table.add_row(*(Text(cell_text(row.get(c.key), tz)) for c in shown.columns), style=style)
    notes = [Text(note, style="dim") for note in shown.notes]
    return [table, *notes]
