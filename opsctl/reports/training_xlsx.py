"""The year's training report as an .xlsx workbook (openpyxl, imported only when writing).

Every text cell is text: a value starting with = + - @ is stored as a string, never a
formula. Numbers are numeric cells; rates are numbers shown as percentages.
"""

from __future__ import annotations

import os
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from opsctl.errors import InvalidInput, NotFound, StorageError
from opsctl.reports.tabular import Column
from opsctl.reports.textable import text_width
from opsctl.reports.training import (
    COURSE_COLUMNS,
    EXECUTION_COLUMNS,
    PEOPLE_COLUMNS,
    RETAKE_COLUMNS,
    course_rows,
    execution_rows,
    report_summary,
    retake_rows,
)

FORMULA_STARTS = ("=", "+", "-", "@")
MAX_WIDTH = 60
# Display columns that carry a rate as text in the terminal; the workbook writes the number.
RATE_KEYS = {"execution": "execution_rate", "pass": "pass_rate", "first_pass": "first_pass_rate"}


def write_year_report(report: dict[str, Any], path: Path) -> None:
    """Write the workbook next to ``path`` first and move it into place, so a failure
    never leaves half a file behind."""
    from openpyxl import Workbook

    if path.suffix.lower() != ".xlsx":
        raise InvalidInput(f"{path} does not end in .xlsx; give a workbook name such as training-{report['year']}.xlsx")
    folder = path.parent
    if not folder.is_dir():
        raise NotFound(f"the folder {folder} does not exist; create it or choose another --xlsx path")
    year = report["year"]
    book = Workbook()
    summary = book.active
    summary.title = "Summary"
    _summary_sheet(summary, report)
    sheets = (
        ("Execution", f"Plan execution {year} by quarter and category", EXECUTION_COLUMNS, execution_rows(report)),
        ("Courses", f"Courses of the {year} plan", COURSE_COLUMNS, course_rows(report)),
        ("People", f"Training hours per person, {year} (attended sessions only)", PEOPLE_COLUMNS, report["people"]),
        ("Retakes", f"Still to retake, {year}", RETAKE_COLUMNS, retake_rows(report)),
    )
    for name, title, shown, rows in sheets:
        _table_sheet(book.create_sheet(name), title, f"as of {report['as_of']}", shown, rows)
    handle, temp = tempfile.mkstemp(prefix=".training-", suffix=".xlsx", dir=folder)
    os.close(handle)
    try:
        book.save(temp)
        os.replace(temp, path)
    except OSError as exc:
        Path(temp).unlink(missing_ok=True)
        raise StorageError(f"cannot write {path}: {exc.strerror or exc}") from exc


def put(sheet: Any, row: int, column: int, value: Any) -> Any:
    """One cell: numbers stay numeric, dates are dates, text is always text."""
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, bool):
        cell.value = "yes" if value else "no"
    elif value is None or isinstance(value, int | float | date):
        cell.value = value
        if isinstance(value, date):
            cell.number_format = "yyyy-mm-dd"
    else:
        text = str(value)
        cell.value = text
        cell.data_type = "s"  # never a formula, whatever it starts with
        if text.startswith(FORMULA_STARTS):
            cell.quotePrefix = True
    return cell


def _styles() -> dict[str, Any]:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    return {
        "title": Font(bold=True, size=13),
        "header": Font(bold=True),
        "fill": PatternFill("solid", start_color="DDE7F3"),
        "border": Border(bottom=Side(style="thin", color="7F8FA6")),
        "left": Alignment(horizontal="left"),
        "right": Alignment(horizontal="right"),
        "total": Font(bold=True),
    }


def _print_setup(sheet: Any) -> None:
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def _summary_sheet(sheet: Any, report: dict[str, Any]) -> None:
    style = _styles()
    put(sheet, 1, 1, f"Training report {report['year']}").font = style["title"]
    put(sheet, 2, 1, f"as of {report['as_of']}")
    figures: list[tuple[str, Any, str | None]] = [
        ("Plan items", report["planned"], None),
        ("Plan items held", report["held"], None),
        ("Execution", report["execution_rate"], "0.0%"),
        ("Session hours held", report["hours_held"], None),
        ("Person-hours attended", report["hours_attended"], None),
        ("Assessed (person × session)", report["assessed"], None),
        ("Passed", report["passed"], None),
        ("Pass rate", report["pass_rate"], "0.0%"),
        ("First-try pass rate", report["first_pass_rate"], "0.0%"),
        ("Still to retake", len(report["retakes"]), None),
    ]
    for header_cell in (put(sheet, 4, 1, "Figure"), put(sheet, 4, 2, "Value")):
        header_cell.font, header_cell.fill, header_cell.border = style["header"], style["fill"], style["border"]
    for offset, (label, value, number_format) in enumerate(figures, start=5):
        put(sheet, offset, 1, label)
        cell = put(sheet, offset, 2, value)
        if number_format:
            cell.number_format = number_format
    put(sheet, 6 + len(figures), 1, "In words").font = style["header"]
    for offset, (label, text) in enumerate(report_summary(report).items(), start=7 + len(figures)):
        put(sheet, offset, 1, label)
        put(sheet, offset, 2, text)
    sheet.freeze_panes = "A5"
    _fit_widths(sheet)
    _print_setup(sheet)


def _table_sheet(sheet: Any, title: str, subtitle: str, shown: list[Column], rows: list[dict[str, Any]]) -> None:
    style = _styles()
    put(sheet, 1, 1, title).font = style["title"]
    put(sheet, 2, 1, subtitle)
    header_row = 4
    for index, column in enumerate(shown, start=1):
        cell = put(sheet, header_row, index, column.header)
        cell.font, cell.fill, cell.border = style["header"], style["fill"], style["border"]
        if column.justify == "right" and column.key != "id":
            cell.alignment = style["right"]
    for r, row in enumerate(rows, start=header_row + 1):
        for index, column in enumerate(shown, start=1):
            if column.key in RATE_KEYS:
                cell = put(sheet, r, index, row.get(RATE_KEYS[column.key]))
                cell.number_format = "0.0%"
            else:
                cell = put(sheet, r, index, row.get(column.key))
            if column.key == "id":
                cell.alignment = style["left"]  # a record number, not a quantity
            if row.get("quarter") == "Total":
                cell.font = style["total"]
    if not rows:
        put(sheet, header_row + 1, 1, "Nothing to show.")
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1).coordinate
    if rows:
        from openpyxl.utils import get_column_letter

        sheet.auto_filter.ref = f"A{header_row}:{get_column_letter(len(shown))}{header_row + len(rows)}"
    _fit_widths(sheet, skip_rows=header_row - 1)
    _print_setup(sheet)


def _fit_widths(sheet: Any, *, skip_rows: int = 0) -> None:
    """Widths that fit the longest value (CJK characters count double); titles may overflow."""
    from openpyxl.utils import get_column_letter

    widths: dict[int, int] = {}
    for row in sheet.iter_rows(min_row=skip_rows + 1):
        for cell in row:
            if cell.value is None:
                continue
            text = cell.value.isoformat() if isinstance(cell.value, date) else str(cell.value)
            if isinstance(cell.value, float):
                text = f"{cell.value:.2f}"
            widths[cell.column] = max(widths.get(cell.column, 0), text_width(text))
    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = min(MAX_WIDTH, max(8, width + 3))
