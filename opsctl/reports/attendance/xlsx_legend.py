"""The Legend sheet of the HR workbook: every code and colour the workbook uses, the
marks of the day headers, the month's calendar and the rules in force."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from opsctl.dates import format_weekdays
from opsctl.reports.attendance.xlsx import BANNER_TEXT, STATUS_FILLS, banner, day_kinds, heading, mark
from opsctl.reports.attendance.xlsx_text import Texts
from opsctl.reports.excel import HEADER, add_style, measure, print_setup, put, set_widths

if TYPE_CHECKING:
    from opsctl.services.attendance import MonthExport

SECTION = "opsctl section"
LEFT = "opsctl left"  # numbers among words, aligned with them
HEADER_LEFT = "opsctl row header"
COLUMNS = 4  # code or date, meaning or kind, weekday, calendar name


def legend_sheet(sheet: Any, data: MonthExport, text: Texts) -> None:
    book = sheet.parent
    add_style(book, SECTION, bold=True, size=12)
    add_style(book, LEFT, horizontal="left")
    add_style(book, HEADER_LEFT, bold=True, horizontal="left")
    words = text.words
    row = 4
    rows: list[list[Any]] = []  # what the column widths are measured on
    row = _section(sheet, row, words["codes"], [words["code"], words["meaning"]], rows)
    used, overtime, blank = _used(data)
    for status in used:
        put(sheet, row, 1, text.code(status), f"day {status}")
        put(sheet, row, 2, text.meanings[status])
        rows.append([text.code(status), text.meanings[status]])
        row += 1
    if overtime:
        example = text.code("present", overtime=True)
        rows.append([text.overtime_mark, words["overtime_mark"].format(example=example)])
        put(sheet, row, 1, text.overtime_mark, "day present")
        put(sheet, row, 2, rows[-1][1])
        row += 1
    if blank:
        put(sheet, row, 1, None, "later workday")
        put(sheet, row, 2, words["blank"])
        rows.append(["", words["blank"]])
        row += 1
    row = _section(sheet, row + 1, words["header_marks"], [words["weekday"], words["meaning"]], rows)
    kinds = day_kinds(data)
    for kind in ("rest", "off", "holiday", "makeup"):
        if kind not in kinds.values():
            continue
        put(sheet, row, 1, mark(kind, text) or text.weekdays[5], f"head {kind}")
        meaning = text.meanings["rest"] if kind == "rest" else text.kinds["workday" if kind == "makeup" else kind]
        put(sheet, row, 2, meaning)
        row += 1
    row = _calendar(sheet, row + 1, data, text, rows)
    row = _rules(sheet, row + 1, data, text, rows)
    widths = measure(rows)
    set_widths(sheet, widths, minimum=8, maximum=60, padding=2)
    columns = max(COLUMNS, 1 + len(data.schedules))
    heading(sheet, data, text, "legend", "", columns)
    for offset, rule in enumerate(text.rules):
        line = rule.format(overtime_min=data.overtime_min, timezone=data.timezone.key)
        banner(sheet, row + offset, f"• {line}", BANNER_TEXT, columns=columns, width=_total(sheet, columns))
    print_setup(sheet)
    sheet.page_setup.fitToHeight = 1  # a legend is read beside the sheets: one page


def _section(sheet: Any, row: int, title: str, headers: list[str], rows: list[list[Any]]) -> int:
    put(sheet, row, 1, title, SECTION)
    for column, header in enumerate(headers, start=1):
        put(sheet, row + 1, column, header, HEADER)
    rows.append(headers)
    return row + 2


def _used(data: MonthExport) -> tuple[list[str], bool, bool]:
    """The statuses shown in the Daily sheet (in the legend's order), whether a workday had
    overtime, whether any cell is blank."""
    used: set[str] = set()
    overtime = blank = False
    days = len(data.days)
    for person in data.summaries:
        blank = blank or len(person.days) < days
        for day in person.days:
            if day.date > data.today:
                blank = True
                continue
            used.add(day.status)
            overtime = overtime or day.overtime_kind == "workday"
    return [status for status in STATUS_FILLS if status in used], overtime, blank


def _calendar(sheet: Any, row: int, data: MonthExport, text: Texts, rows: list[list[Any]]) -> int:
    words = text.words
    title = words["calendar_section"].format(month=data.period.label)
    if not data.calendar:
        put(sheet, row, 1, title, SECTION)
        put(sheet, row + 1, 1, words["no_calendar"])
        return row + 2
    row = _section(sheet, row, title, [words["date"], words["kind"], words["weekday"], words["holiday_name"]], rows)
    for entry in data.calendar:
        kind = "makeup" if entry.kind == "workday" else entry.kind
        values = [entry.day, text.kinds[entry.kind], text.weekdays[entry.day.weekday()], entry.name]
        for column, value in enumerate(values, start=1):
            put(sheet, row, column, value, f"head {kind}" if column == 1 else None)
        rows.append(values)
        row += 1
    return row


def _rules(sheet: Any, row: int, data: MonthExport, text: Texts, rows: list[list[Any]]) -> int:
    """The schedules side by side (a column each), then the team settings."""
    words = text.words
    row = _section(sheet, row, words["rules"], [words["schedule"], *(s.rule.name for s in data.schedules)], rows)
    lines: list[list[Any]] = [[words[key]] for key in ("hours", "break", "workdays", "late_grace", "early_grace",
                                                       "people")]
    for entry in data.schedules:
        rule = entry.rule
        breaks = f"{rule.break_start:%H:%M}–{rule.break_end:%H:%M}" if rule.break_start and rule.break_end else None
        for line, value in zip(lines, (f"{rule.start:%H:%M}–{rule.end:%H:%M}", breaks or words["none"],
                                       text.weekdays_text(format_weekdays(rule.days)), rule.late_grace,
                                       rule.early_grace, entry.people), strict=True):
            line.append(value)
    lines += [[words["overtime_min"], data.overtime_min], [words["timezone"], data.timezone.key],
              [words["approval"], words["yes" if data.overtime_needs_approval else "no"]]]
    for values in lines:
        for column, value in enumerate(values, start=1):
            put(sheet, row, column, value, HEADER_LEFT if column == 1 else LEFT)
        rows.append(values)
        row += 1
    return row + 1


def _total(sheet: Any, columns: int) -> float:
    from openpyxl.utils import get_column_letter

    return float(sum(sheet.column_dimensions[get_column_letter(c)].width or 8.43 for c in range(1, columns + 1)))
