"""`kpi quarter|month|year --xlsx FILE`: one row per person (the terminal table's columns,
then every indicator's score) and a chart of the grade distribution. openpyxl is imported only here, and
only when writing; the file is written beside the target and moved into place."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from opsctl.reports.excel import (
    HEADER,
    TITLE,
    add_report_styles,
    fit_widths,
    header_style,
    print_setup,
    put,
    save_workbook,
)
from opsctl.reports.kpi.tables import bands_text, rank_text, results_table

HEADER_ROW = 4
MAX_WIDTH = 40


def write_results(data: dict[str, Any], path: Path, *, force: bool) -> None:
    """``path`` as checked by `excel.check_target` before the results were worked out."""
    from openpyxl import Workbook

    book = Workbook()
    add_report_styles(book)
    _results_sheet(book.active, data)
    _grades_sheet(book.create_sheet("Grades"), data)
    save_workbook(book, path, force=force, option="--xlsx")


def _headers(data: dict[str, Any]) -> tuple[list[tuple[str, str]], set[str]]:
    """The terminal table's columns first (points per category, as `kpi quarter` shows them), then
    each indicator's 0–100 score with its weight, then what JSON adds. Also the keys of numbers
    with two decimals."""
    table = results_table(data).columns
    headers = [(column.key, column.header) for column in table]
    headers += [(i.key, f"{i.name} score (weight {i.weight:g})") for i in data["indicators"]]
    decimals = {column.key for column in table if column.decimals} | {i.key for i in data["indicators"]}
    if any("merit_points" in row for row in data["rows"]):  # approved rewards and penalties, in total
        headers += [("merit_points", "Reward/penalty points"), ("merit_amount", "Reward/penalty amount")]
        decimals.add("merit_amount")
    headers += [("complete", "Complete"), ("based_on", "Based on")]
    return headers, decimals


def _whole(key: str) -> bool:
    """Headers kept on one line: "Performance /60" must not read "Performance /" over "60"."""
    return key.endswith("_points")


def _results_sheet(sheet: Any, data: dict[str, Any]) -> None:
    from openpyxl.utils import get_column_letter

    period, rows = data["period"], data["rows"]
    sheet.title = f"KPI {period.label}"
    put(sheet, 1, 1, f"KPI results {period.label} ({period.start} – {period.end})"
        + (f", team {data['team']}" if data["team"] else ""), TITLE)
    put(sheet, 2, 1, f"Grades: {bands_text(data['bands'])}. {rank_text(data)} Incomplete people have no grade "
        "and no rank.")
    put(sheet, 3, 1, "Performance, ability and attitude are points out of the category's weight, as `opsctl kpi` "
        "shows them (they add up to the final score); each indicator's column is its score out of 100.")
    headers, scores = _headers(data)
    for column, (key, header) in enumerate(headers, start=1):  # long names wrap: the sheet stays narrow
        put(sheet, HEADER_ROW, column, header, header_style(sheet.parent, "right" if key in scores else "left"))
    sheet.row_dimensions[HEADER_ROW].height = 75  # five lines of header
    for r, row in enumerate(rows, start=HEADER_ROW + 1):
        for column, (key, _header) in enumerate(headers, start=1):
            value = row.get(key)
            if isinstance(value, list):
                value = ", ".join(value)
            elif key == "merit_amount":
                pass  # money stays a Decimal: exact in the cell
            elif key in scores and value is not None:
                value = float(value)  # every score a number with two decimals (93 reads 93.00)
            cell = put(sheet, r, column, value)
            if key in scores and value is not None:
                cell.number_format = "0.00"
    if not rows:
        put(sheet, HEADER_ROW + 1, 1, "Nobody you may see has a result in this period.")
    sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 1, column=5).coordinate
    last = get_column_letter(len(headers))
    if rows:
        sheet.auto_filter.ref = f"A{HEADER_ROW}:{last}{HEADER_ROW + len(rows)}"
    fit_widths(sheet, from_row=HEADER_ROW + 1, minimum=9, maximum=MAX_WIDTH, padding=2)  # by the values
    for column, (key, header) in enumerate(headers, start=1):  # a header breaks between words only
        dimension = sheet.column_dimensions[get_column_letter(column)]
        words = [header] if _whole(key) else header.split()
        dimension.width = max(dimension.width or 0, max(len(word) for word in words) + 2)
    print_setup(sheet)


def _grades_sheet(sheet: Any, data: dict[str, Any]) -> None:
    from openpyxl.chart import BarChart, Reference

    grades = [*data["bands"], "E"]
    counts = {grade: 0 for grade in grades}
    incomplete = 0
    for row in data["rows"]:
        if row["grade"] is None:
            incomplete += 1
        else:
            counts[row["grade"]] = counts.get(row["grade"], 0) + 1
    put(sheet, 1, 1, f"Grade distribution, KPI {data['period'].label}", TITLE)
    put(sheet, 3, 1, "Grade", HEADER)
    put(sheet, 3, 2, "People", HEADER)
    lines = [*counts.items(), ("Incomplete", incomplete)]
    for offset, (grade, count) in enumerate(lines, start=4):
        put(sheet, offset, 1, grade)
        put(sheet, offset, 2, count)
    chart = BarChart()
    chart.type = "col"
    chart.title = f"Grades, {data['period'].label}"
    chart.y_axis.title = "People"
    chart.x_axis.title = "Grade"
    chart.legend = None
    chart.y_axis.scaling.min, chart.y_axis.majorUnit, chart.y_axis.number_format = 0, 1, "0"  # whole people
    last = 3 + len(lines)
    chart.add_data(Reference(sheet, min_col=2, min_row=3, max_row=last), titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=1, min_row=4, max_row=last))
    chart.height, chart.width = 8, 14
    sheet.add_chart(chart, "D3")
    sheet.column_dimensions["A"].width = 12
    sheet.column_dimensions["B"].width = 10
    print_setup(sheet)
