"""The shared workbook helpers: text stays text, numbers stay numbers, widths fit CJK,
saving is all or nothing and never replaces a file it was not allowed to."""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import date, time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from opsctl.errors import Conflict, InvalidInput, StorageError
from opsctl.reports.excel import (
    HEADER,
    BulkRows,
    Styled,
    add_report_styles,
    add_style,
    check_target,
    fit_widths,
    freeze,
    print_setup,
    put,
    save_workbook,
)

FORMULAS = ["=HYPERLINK(\"http://evil\",\"x\")", "+1+1", "-2+3", "@SUM(A1)", "=1+1"]


def unwritable_folder(tmp_path: Path) -> Path:
    """A folder this process cannot create files in (root ignores modes; /sys refuses it too)."""
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    if not os.access(folder, os.W_OK):
        return folder
    sys_folder = Path("/sys")
    try:
        (sys_folder / ".opsctl-probe").touch()
    except OSError:
        return sys_folder
    pytest.skip("no folder here refuses new files")


def _reopened(book: Workbook, tmp_path: Path) -> Workbook:
    path = tmp_path / "t.xlsx"
    save_workbook(book, path, force=True)
    return load_workbook(path)


def test_text_that_looks_like_a_formula_stays_text(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    for row, text in enumerate(FORMULAS, start=1):
        put(sheet, row, 1, text)
    put(sheet, 6, 1, "bell\x07 rings")
    sheet2 = _reopened(book, tmp_path).active
    assert [sheet2.cell(r, 1).value for r in range(1, 6)] == FORMULAS
    assert {sheet2.cell(r, 1).data_type for r in range(1, 6)} == {"s"}
    assert sheet2.cell(1, 1).quotePrefix  # Excel keeps it text when the cell is edited
    assert sheet2.cell(6, 1).value == "bell rings"  # a character no workbook may hold is dropped


def test_numbers_dates_and_booleans(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    for column, value in enumerate([3, 2.5, Decimal("91.43"), date(2026, 5, 4), True, None], start=1):
        put(sheet, 1, column, value)
    put(sheet, 2, 1, time(9, 5)).number_format = "hh:mm"
    again = _reopened(book, tmp_path).active
    assert [c.value for c in again[1]][:5] == [3, 2.5, 91.43, again.cell(1, 4).value, "yes"]
    assert again.cell(1, 3).data_type == "n" and isinstance(again.cell(1, 3).value, float)
    assert again.cell(1, 4).is_date and again.cell(1, 4).value.date() == date(2026, 5, 4)
    assert again.cell(2, 1).value == time(9, 5) and again.cell(2, 1).number_format == "hh:mm"


def test_widths_count_chinese_characters_twice() -> None:
    book = Workbook()
    sheet = book.active
    put(sheet, 1, 1, "A very long title that may overflow")
    put(sheet, 2, 1, "欧阳" * 6)  # 12 characters, 24 columns
    put(sheet, 2, 2, "Ada")
    fit_widths(sheet, from_row=2)
    assert sheet.column_dimensions["A"].width == 27
    assert sheet.column_dimensions["B"].width == 8  # the minimum


def test_named_styles_freeze_and_print_setup() -> None:
    book = Workbook()
    add_report_styles(book)
    add_report_styles(book)  # registering twice is harmless
    sheet = book.active
    header = put(sheet, 4, 1, "Login", HEADER)
    assert header.style == HEADER and header.font.b
    freeze(sheet, rows=4, columns=2)
    print_setup(sheet, title_rows=(4, 4))
    assert sheet.freeze_panes == "C5"
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToWidth == 1
    assert sheet.page_setup.fitToHeight == 0 and sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows == "$4:$4"


def test_targets_are_checked_before_any_work(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match=r"does not end in \.xlsx"):
        check_target(tmp_path / "a.csv", force=True)
    with pytest.raises(InvalidInput, match=f"the folder {tmp_path / 'nope'} does not exist"):
        check_target(tmp_path / "nope" / "a.xlsx", force=True)
    (tmp_path / "a.xlsx").write_text("mine")
    with pytest.raises(Conflict, match="already exists; add --force"):
        check_target(tmp_path / "a.xlsx", force=False)
    assert check_target(tmp_path / "a.xlsx", force=True) == tmp_path / "a.xlsx"
    (tmp_path / "dir.xlsx").mkdir()
    with pytest.raises(InvalidInput, match="is a folder"):
        check_target(tmp_path / "dir.xlsx", force=True)


def test_an_unwritable_folder_is_named(tmp_path: Path) -> None:
    folder = unwritable_folder(tmp_path)
    with pytest.raises(InvalidInput, match=f"the folder {folder} is not writable"):
        check_target(folder / "a.xlsx", force=True)
        save_workbook(Workbook(), folder / "a.xlsx", force=True)  # root passes the first check, not this one


def test_saving_is_all_or_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "a.xlsx"
    target.write_text("mine")
    with pytest.raises(Conflict):  # a file that appeared meanwhile is kept without --force
        save_workbook(Workbook(), target, force=False)
    assert target.read_text() == "mine"

    class Broken(Workbook):
        def save(self, filename: str) -> None:
            Path(filename).write_text("half")
            raise OSError(28, "No space left on device")

    with pytest.raises(StorageError, match=r"cannot write .*No space left on device"):
        save_workbook(Broken(), target, force=True)
    assert target.read_text() == "mine"
    assert sorted(p.name for p in folder.iterdir()) == ["a.xlsx"]  # no temporary file left behind
    save_workbook(Workbook(), target, force=True)
    assert load_workbook(target).sheetnames == ["Sheet"]


def test_bulk_rows_hold_text_numbers_dates_and_styles(tmp_path: Path) -> None:
    book = Workbook()
    add_report_styles(book)
    add_style(book, "date", number_format="yyyy-mm-dd")
    add_style(book, "red", fill="FFC7CE")
    sheet = book.active
    put(sheet, 1, 1, "Header", HEADER)
    rows: list[Sequence[Any]] = [["=1+1", 2.5, date(2026, 5, 4), Styled("A", "red"), " padded ", None, "a < b & c"],
            ["@x", 7, date(2026, 5, 5), Styled(None, "red"), "bell\x07", Decimal("1.5"), "张伟"]]
    path = tmp_path / "bulk.xlsx"
    save_workbook(book, path, bulk=[BulkRows(sheet, 2, {3: "date"}, rows, cell_styles=["red"])], force=True)
    again = load_workbook(path).active
    assert again.dimensions == "A1:G3"
    values = [[c.value for c in row] for row in again.iter_rows(min_row=2)]
    assert values[0][:2] == ["=1+1", 2.5] and values[0][2].date() == date(2026, 5, 4)
    assert values[0][3:] == ["A", " padded ", None, "a < b & c"]
    assert values[1][:2] == ["@x", 7] and values[1][3:] == [None, "bell", 1.5, "张伟"]
    assert again["A2"].data_type == "s" and again["A3"].data_type == "s"  # text, never a formula
    assert again["C2"].number_format == "yyyy-mm-dd" and again["B2"].data_type == "n"
    assert again["D2"].fill.fgColor.rgb.endswith("FFC7CE") and again["D3"].fill.fgColor.rgb.endswith("FFC7CE")
    assert again["A1"].value == "Header" and again["A1"].font.b


def test_openpyxl_is_pinned_to_the_minor_release_the_splice_is_tested_with() -> None:
    """BulkRows splices rows into the sheet XML openpyxl wrote (``<sheetData/>``, ``<dimension>``,
    the style ids of its cells): a new minor release may write them otherwise, so pyproject.toml
    allows only the minor release this suite runs on."""
    import tomllib

    import openpyxl
    from packaging.requirements import Requirement
    from packaging.version import Version

    project = tomllib.loads((Path(__file__).parents[2] / "pyproject.toml").read_text())["project"]
    pin = next(r for r in map(Requirement, project["dependencies"]) if r.name == "openpyxl")
    tested = Version(openpyxl.__version__)
    assert tested in pin.specifier, f"the tests run on openpyxl {tested}, which {pin} does not allow"
    assert Version(f"{tested.major}.{tested.minor + 1}") not in pin.specifier, f"{pin} allows an untested minor"
