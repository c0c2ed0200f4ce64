"""The HR workbook of a month (`attend export`): Summary, Daily, Punches and Legend sheets.

Set for speed: rows go in with ``sheet.append`` (plain values, and cell objects only where
a cell needs a style), styles are named styles registered once, widths are measured from
the data rather than read back from the sheet. openpyxl is imported only when writing.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from datetime import date
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from opsctl.reports.attendance.xlsx_text import APPROVAL_KEYS, HOURS_KEYS, OVERTIME_KEYS, SUMMARY_KEYS, TEXTS, Texts
from opsctl.reports.excel import (
    HEADER,
    BulkRows,
    Styled,
    add_report_styles,
    add_style,
    freeze,
    header_style,
    measure,
    print_setup,
    put,
    save_workbook,
    set_widths,
)
from opsctl.reports.textable import text_width

if TYPE_CHECKING:
    from opsctl.services.attendance import MonthExport, PersonSummary

Progress = Callable[[int, int], None]

HOURS = "opsctl hours"
BANNER_TITLE = "opsctl banner title"  # titles and notes wrapped across the table's width
BANNER_NOTE = "opsctl banner note"
BANNER_TEXT = "opsctl banner text"
DATE = "opsctl date"
TIME = "opsctl time"
FIRST_ROW = 4  # the header row under the title, the subtitle and a note
# A light fill per day status, in the colour families of the terminal calendar.
STATUS_FILLS = {
    "present": "E2EFDA", "late": "FFEB9C", "early": "FFEB9C", "late+early": "FFD966", "missing": "E4DFEC",
    "absent": "FFC7CE", "leave": "BDD7EE", "half-leave": "DDEBF7", "half-leave+late": "FFEB9C",
    "half-leave+early": "FFEB9C", "half-leave+late+early": "FFD966", "half-leave+missing": "E4DFEC",
    "half-leave+absent": "FFC7CE", "open": "FFFFFF", "rest": "D9D9D9", "off": "D9D9D9", "holiday": "F8CBAD",
    "rest-work": "C6E0E4", "off-work": "C6E0E4", "holiday-work": "F4B183", "stray": "E4DFEC",
}
# The fill of a day column's header (and of its cells still to come), by kind of day.
KIND_FILLS = {"workday": None, "rest": "D9D9D9", "off": "D9D9D9", "holiday": "F8CBAD", "makeup": "FFE699"}
LINE = "BFBFBF"


def write_month_workbook(data: MonthExport, path: Path, *, lang: str = "en", force: bool = False,
                         progress: Progress | None = None) -> None:
    """Write the workbook of ``data`` to ``path`` (beside it first, then moved into place)."""
    from openpyxl import Workbook

    text = TEXTS[lang]
    book = Workbook()
    _add_styles(book)
    summary = book.active
    summary.title = text.sheets[0]
    summaries = _summary_sheet(summary, data, text)
    tick = _ticker(progress, 2 * (len(data.summaries) + len(data.punches)))  # rows made, then rows written
    daily = _daily_sheet(book.create_sheet(text.sheets[1]), data, text, tick)
    punches = _punches_sheet(book.create_sheet(text.sheets[2]), data, text, tick)
    from opsctl.reports.attendance.xlsx_legend import legend_sheet

    legend_sheet(book.create_sheet(text.sheets[3]), data, text)
    save_workbook(book, path, force=force, bulk=[summaries, daily, punches])


def _ticker(progress: Progress | None, total: int) -> Callable[[int], None]:
    done = 0

    def tick(amount: int) -> None:
        nonlocal done
        done += amount
        if progress is not None:
            progress(min(done, total), total)

    return tick


def _add_styles(book: Any) -> None:
    add_report_styles(book, wrap_headers=True)
    add_style(book, HOURS, number_format="0.00")
    add_style(book, BANNER_TITLE, bold=True, size=13, wrap=True)
    add_style(book, BANNER_NOTE, italic=True, colour="595959", wrap=True)
    add_style(book, BANNER_TEXT, wrap=True)
    add_style(book, DATE, number_format="yyyy-mm-dd")
    add_style(book, TIME, number_format="[hh]:mm", horizontal="center")
    for status, fill in STATUS_FILLS.items():
        colour = "9C0006" if "absent" in status else "808080" if status == "open" else None
        add_style(book, f"day {status}", fill=fill, box=LINE, horizontal="center", bold="absent" in status,
                  italic=status == "open", colour=colour)
    for kind, shade in KIND_FILLS.items():
        add_style(book, f"head {kind}", bold=True, fill=shade or "DDE7F3", box=LINE, horizontal="center")
        add_style(book, f"later {kind}", fill=shade, box=LINE)


def scope(data: MonthExport, text: Texts) -> str:
    """Whom the workbook holds: "all teams", "team Ops", or (a manager, who may export only the
    people under them) "people under 王芳 (wangfang)", with the team when one was asked for."""
    words = text.words
    team = words["one_team"].format(team=data.team) if data.team else None
    if not data.hidden:
        return team or words["all_teams"]
    under = words["under"].format(who=data.exported_by)
    return f"{team}, {under}" if team else under


def title_lines(data: MonthExport, text: Texts, key: str) -> tuple[str, str]:
    """A sheet's title (month, whom it holds, "as of" for a month in progress) and its subtitle."""
    words = text.words
    title = f"{words[key].format(month=data.period.label)} — {scope(data, text)}"
    if data.in_progress:
        title += f", {words['as_of'].format(today=data.today)}"
    subtitle = words["period"].format(start=data.period.start, end=data.period.end, people=len(data.summaries),
                                      now=f"{data.now.astimezone(data.timezone):%Y-%m-%d %H:%M}", who=data.exported_by)
    return title, subtitle


def _notes(data: MonthExport, text: Texts, *extra: str) -> str:
    notes = list(extra)
    if data.in_progress:
        notes.append(text.words["in_progress"].format(today=data.today))
    if data.hidden:
        notes.append(text.words["hidden"].format(hidden=data.hidden))
    return " ".join(notes)


def banner(sheet: Any, row: int, value: str, style: str, *, columns: int, width: float) -> None:
    """A title or note across the table's ``columns`` (``width`` characters wide), wrapped
    so that it prints within the page instead of running off its edge."""
    put(sheet, row, 1, value, style)
    if columns > 1:
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=columns)
    lines = max(1, math.ceil(text_width(value) * 0.95 / max(width, 1)))
    sheet.row_dimensions[row].height = lines * (18 if style == BANNER_TITLE else 15)


def heading(sheet: Any, data: MonthExport, text: Texts, key: str, note: str, columns: int) -> None:
    """Title, subtitle and note rows above a table whose columns already have their widths."""
    from openpyxl.utils import get_column_letter

    width = sum(sheet.column_dimensions[get_column_letter(c)].width or 8.43 for c in range(1, columns + 1))
    title, subtitle = title_lines(data, text, key)
    banner(sheet, 1, title, BANNER_TITLE, columns=columns, width=width)
    banner(sheet, 2, subtitle, BANNER_NOTE, columns=columns, width=width)
    if note:
        banner(sheet, 3, note, BANNER_NOTE, columns=columns, width=width)


def _header_row(sheet: Any, row: int, headers: list[str], aligns: dict[int, str] | None = None) -> None:
    """Headers, aligned like their columns (``aligns``: column -> "right" or "center")."""
    for column, header in enumerate(headers, start=1):
        align = (aligns or {}).get(column)
        put(sheet, row, column, header, header_style(sheet.parent, align) if align else HEADER)


def _fit_headers(sheet: Any, row: int, headers: list[str], widths: dict[int, int]) -> None:
    """Headers wrap onto two lines (at the best space) rather than widen a column of small
    numbers; bold letters are a little wider."""
    for column, header in enumerate(headers, start=1):
        # English wraps at a space, Chinese between any two characters
        cuts = [i for i, char in enumerate(header) if char == " "] if header.isascii() else range(1, len(header))
        wanted = min((max(text_width(header[:cut].strip()), text_width(header[cut:].strip())) for cut in cuts),
                     default=text_width(header))
        widths[column] = max(widths.get(column, 0), math.ceil(wanted * 1.1))
    two_lines = any(text_width(h) * 1.1 > widths[c] for c, h in enumerate(headers, start=1))
    sheet.row_dimensions[row].height = 32 if two_lines else 18


def _table_end(sheet: Any, header_row: int, columns: int, rows: int) -> None:
    from openpyxl.utils import get_column_letter

    if rows:
        sheet.auto_filter.ref = f"A{header_row}:{get_column_letter(columns)}{header_row + rows}"


# -- Summary -----------------------------------------------------------------------------

def summary_columns(data: MonthExport, text: Texts) -> list[tuple[str, Callable[[PersonSummary], Any], str | None]]:
    """(header, value of a person, style): the documented columns, then leave per type and
    overtime per kind of day."""
    shown: list[tuple[str, Callable[[PersonSummary], Any], str | None]] = [
        (text.headers[key], attrgetter(key), HOURS if key in HOURS_KEYS else None) for key in SUMMARY_KEYS]
    codes = sorted({code for s in data.summaries for code in s.leave_by_type})
    shown += [(text.leave_column(code, data.leave_names.get(code)), _leave_of(code), None) for code in codes]
    shown += [(text.headers[key], attrgetter(key), HOURS) for key in OVERTIME_KEYS]
    if data.overtime_needs_approval:
        shown += [(text.headers[key], attrgetter(key), HOURS) for key in APPROVAL_KEYS]
    return shown


def _leave_of(code: str) -> Callable[[PersonSummary], float]:
    return lambda summary: summary.leave_by_type.get(code, 0.0)


def _summary_sheet(sheet: Any, data: MonthExport, text: Texts) -> BulkRows:
    """A row per person: the documented columns and more, numbers as numbers."""
    shown = summary_columns(data, text)
    headers = [header for header, _value, _style in shown]
    rows: list[Sequence[Any]] = [[value(person) for _header, value, _style in shown] for person in data.summaries]
    _header_row(sheet, FIRST_ROW, headers, {column: "right" for column in range(4, len(headers) + 1)})
    widths = measure(rows)
    _fit_headers(sheet, FIRST_ROW, headers, widths)
    set_widths(sheet, widths, minimum=6, maximum=40, padding=2)
    heading(sheet, data, text, "summary", _notes(data, text, text.words["summary_note"]), len(shown))
    freeze(sheet, rows=FIRST_ROW, columns=2)
    _table_end(sheet, FIRST_ROW, len(shown), len(rows))
    print_setup(sheet, title_rows=(FIRST_ROW, FIRST_ROW))
    hours = {column: style for column, (_header, _value, style) in enumerate(shown, start=1) if style}
    return BulkRows(sheet, FIRST_ROW + 1, hours, rows)


# -- Daily -------------------------------------------------------------------------------

def day_kinds(data: MonthExport) -> dict[date, str]:
    """The kind of each date for the column headers: the calendar's, else the weekdays of
    the schedule most people followed ("makeup" for a make-up workday)."""
    calendar = {entry.day: entry.kind for entry in data.calendar}
    days = data.schedules[0].rule.days if data.schedules else frozenset(range(5))
    kinds = {}
    for day in data.days:
        kind = calendar.get(day)
        kinds[day] = "makeup" if kind == "workday" else kind or ("workday" if day.weekday() in days else "rest")
    return kinds


def daily_cell(summary_day: Any, day: date, data: MonthExport, text: Texts, kind: str) -> Styled | None:
    """One person's day: the code in its status colour; a day still to come is blank (shaded
    when it is no workday); a day outside the person's employment is empty."""
    if summary_day is None:
        return None
    if day > data.today:
        return Styled(None, f"later {kind}") if KIND_FILLS.get(kind) and kind != "makeup" else None
    return Styled(text.code(summary_day.status, summary_day.overtime_kind == "workday"), f"day {summary_day.status}")


def _daily_sheet(sheet: Any, data: MonthExport, text: Texts, tick: Callable[[int], None]) -> BulkRows:
    """A row per person, a column per day: bulk rows under three header rows."""
    kinds = day_kinds(data)
    header_rows = (FIRST_ROW, FIRST_ROW + 2)
    first = 4  # the first day's column
    labels = (text.words["login"], text.words["name"], text.words["team"])
    for column, label in enumerate(labels, start=1):
        put(sheet, header_rows[0], column, label, HEADER)
        sheet.merge_cells(start_row=header_rows[0], start_column=column, end_row=header_rows[1], end_column=column)
    for column, day in enumerate(data.days, start=first):
        style = f"head {kinds[day]}"
        put(sheet, header_rows[0], column, day.day, style)
        put(sheet, header_rows[0] + 1, column, text.weekdays[day.weekday()], style)
        put(sheet, header_rows[1], column, mark(kinds[day], text), style)
    rows: list[Sequence[Any]] = []
    for number, person in enumerate(data.summaries, start=1):
        judged = {d.date: d for d in person.days}
        rows.append([person.login, person.name, person.team,
                     *(daily_cell(judged.get(day), day, data, text, kinds[day]) for day in data.days)])
        if number % 50 == 0:
            tick(50)
    widths = measure([*(row[:3] for row in rows), labels])
    codes = {cell.value for row in rows for cell in row[3:] if cell is not None and cell.value}
    marks = max((text_width(m) for m in text.marks.values()), default=0)
    day_width = max([marks, text_width(text.weekdays[0]), 2, *(text_width(code) for code in codes)])
    widths.update({column: day_width for column in range(first, first + len(data.days))})
    set_widths(sheet, widths, minimum=3.5, maximum=40, padding=1.5)
    heading(sheet, data, text, "daily", _notes(data, text, text.words["daily_note"]), first - 1 + len(data.days))
    freeze(sheet, rows=header_rows[1], columns=first - 1)
    print_setup(sheet, title_rows=header_rows)
    styles = [f"day {status}" for status in STATUS_FILLS] + [f"later {kind}" for kind in KIND_FILLS]
    return BulkRows(sheet, header_rows[1] + 1, rows=rows, cell_styles=styles, progress=tick)


def mark(kind: str, text: Texts) -> str | None:
    return text.marks.get("workday" if kind == "makeup" else kind) if kind in ("holiday", "off", "makeup") else None


# -- Punches -----------------------------------------------------------------------------

def _punches_sheet(sheet: Any, data: MonthExport, text: Texts, tick: Callable[[int], None]) -> BulkRows:
    """Every punch, by person then time: bulk rows (the only sheet as long as the punches)."""
    words = text.words
    headers = [words[k] for k in ("login", "name", "date", "time", "kind", "source", "note")]
    _header_row(sheet, FIRST_ROW, headers, {3: "right", 4: "center"})
    rows: list[Sequence[Any]] = []
    for number, punch in enumerate(data.punches, start=1):
        local = punch.local
        # a punch in the small hours of an overnight shift reads 26:10 under the day the shift began
        at = (local.date() - punch.work_date).days + (local.hour * 3600 + local.minute * 60 + local.second) / 86400
        kind = text.punch_kinds.get(punch.kind, punch.kind) if punch.kind is not None else None
        rows.append((punch.login, punch.name, punch.work_date, at, kind, text.sources.get(punch.source, punch.source),
                     punch.note))
        if number % 2000 == 0:
            tick(2000)
    widths = measure({(row[0], row[1], None, None, *row[4:]) for row in rows})  # names and words repeat
    widths.update({3: len("2026-05-31"), 4: len("00:00")})
    _fit_headers(sheet, FIRST_ROW, headers, widths)
    set_widths(sheet, widths, minimum=6, maximum=60, padding=2)
    heading(sheet, data, text, "punches", words["punches_note"].format(timezone=data.timezone.key), len(headers))
    freeze(sheet, rows=FIRST_ROW, columns=2)
    _table_end(sheet, FIRST_ROW, len(headers), len(rows))
    print_setup(sheet, title_rows=(FIRST_ROW, FIRST_ROW))
    return BulkRows(sheet, FIRST_ROW + 1, {3: DATE, 4: TIME}, rows, progress=tick)
