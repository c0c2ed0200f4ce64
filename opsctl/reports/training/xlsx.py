"""The year's training report as an .xlsx workbook (openpyxl, imported only when writing).

Every text cell is text: a value starting with = + - @ is stored as a string, never a
formula. Numbers are numeric cells; rates are numbers shown as percentages.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from opsctl.reports.excel import (
    HEADER,
    TITLE,
    add_report_styles,
    fit_widths,
    print_setup,
    put,
    save_workbook,
)
from opsctl.reports.tabular import Column
from opsctl.reports.training.tables import (
    COURSE_COLUMNS,
    EXECUTION_COLUMNS,
    PEOPLE_COLUMNS,
    RETAKE_COLUMNS,
    course_rows,
    execution_rows,
    report_summary,
    retake_rows,
)

# Display columns that carry a rate as text in the terminal; the workbook writes the number.
RATE_KEYS = {"execution": "execution_rate", "pass": "pass_rate", "first_pass": "first_pass_rate"}


def write_year_report(report: dict[str, Any], path: Path, *, force: bool) -> None:
    """Write the workbook next to ``path`` (checked by `excel.check_target` before the report
    was worked out) and move it into place, so a failure never leaves half a file behind."""
    from openpyxl import Workbook

    year = report["year"]
    book = Workbook()
    add_report_styles(book)
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
    save_workbook(book, path, force=force, option="--xlsx")


def _styles() -> dict[str, Any]:
    from openpyxl.styles import Alignment, Font

    return {
        "header": Font(bold=True),
        "left": Alignment(horizontal="left"),
        "right": Alignment(horizontal="right"),
        "total": Font(bold=True),
    }


def _summary_sheet(sheet: Any, report: dict[str, Any]) -> None:
    style = _styles()
    put(sheet, 1, 1, f"Training report {report['year']}", TITLE)
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
    put(sheet, 4, 1, "Figure", HEADER)
    put(sheet, 4, 2, "Value", HEADER)
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
    fit_widths(sheet)
    print_setup(sheet)


def _table_sheet(sheet: Any, title: str, subtitle: str, shown: list[Column], rows: list[dict[str, Any]]) -> None:
    style = _styles()
    put(sheet, 1, 1, title, TITLE)
    put(sheet, 2, 1, subtitle)
    header_row = 4
    for index, column in enumerate(shown, start=1):
        cell = put(sheet, header_row, index, column.header, HEADER)
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
    fit_widths(sheet, from_row=header_row)
    print_setup(sheet)
