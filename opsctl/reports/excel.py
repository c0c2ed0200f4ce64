"""What every workbook opsctl writes shares: safe cells, styles, widths, print setup, saving.

- Text is always text: a string starting with ``=``, ``+``, ``-``, ``@``, tab or CR
  (``opsctl.reports.safetext.FORMULA_STARTS``, shared with CSV/TSV) is stored as a
  string (``data_type 's'``, shown with a quote prefix), never as a formula; characters a
  workbook cannot hold are dropped. Numbers stay numeric cells, dates are dates.
- Styles are named styles registered once per workbook and assigned by name: no style
  objects are built per cell (openpyxl hashes each new Font/Fill it is given).
- Widths count CJK characters as two columns, so Chinese names fit.
- A workbook is written to a temporary file beside the target and moved into place, so a
  failure never leaves half a file, and an existing file is replaced only when allowed
  (`opsctl.reports.outfile`, shared with the text exports).
- Bulk rows (:class:`BulkRows`): openpyxl serialises some 50,000 cells a second, and a
  month of punches for 600 people is 150,000 cells. Such rows are written straight into the
  sheet's XML when the workbook is saved, after openpyxl wrote everything else (styles,
  headers, frozen panes, print setup): text as inline strings (never formulas), numbers,
  dates and times as numbers in the named style of their column.

openpyxl is imported inside the functions: importing this module costs nothing.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

from opsctl.errors import InvalidInput
from opsctl.reports.outfile import check_output, write_whole
from opsctl.reports.safetext import FORMULA_STARTS
from opsctl.reports.textable import text_width

TITLE = "opsctl title"
NOTE = "opsctl note"
HEADER = "opsctl header"
HEADER_FILL = "DDE7F3"
HEADER_LINE = "7F8FA6"


# -- cells -----------------------------------------------------------------------------

def safe_text(text: str) -> str:
    """``text`` without the control characters a workbook cannot hold."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub("", text) if ILLEGAL_CHARACTERS_RE.search(text) else text


def set_value(cell: Any, value: Any) -> Any:
    """Give ``cell`` a value: numbers numeric, dates dates, booleans yes/no, text always text.
    Set a cell's style before its value (a named style replaces the whole cell format)."""
    if isinstance(value, bool):
        value = "yes" if value else "no"
    elif isinstance(value, Decimal):
        value = float(value)
    if value is None or isinstance(value, int | float | date | time):
        cell.value = value
        return cell
    text = safe_text(str(value))
    cell.value = text
    cell.data_type = "s"  # never a formula, whatever it starts with
    if text.startswith(FORMULA_STARTS):
        cell.quotePrefix = True  # and Excel keeps it text when the cell is edited
    return cell


def put(sheet: Any, row: int, column: int, value: Any, style: str | None = None) -> Any:
    """One positioned cell (see :func:`set_value`), optionally in a named style."""
    cell = sheet.cell(row=row, column=column)
    if style is not None:
        cell.style = style
    return set_value(cell, value)


# -- styles ------------------------------------------------------------------------------

def add_style(book: Any, name: str, *, bold: bool = False, italic: bool = False, size: float = 11,
              colour: str | None = None, fill: str | None = None, box: str | None = None, rule: str | None = None,
              wrap: bool = False, horizontal: str | None = None, number_format: str | None = None) -> str:
    """Register a named style on ``book`` (once) and return its name, to assign by name.
    ``box`` draws thin lines all round in that colour, ``rule`` one beneath."""
    from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side

    if name in book.named_styles:
        return name
    style = NamedStyle(name=name)
    style.font = Font(name="Calibri", bold=bold, italic=italic, size=size, color=colour)
    if fill:
        style.fill = PatternFill("solid", start_color=fill, end_color=fill)
    if box:
        side = Side(style="thin", color=box)
        style.border = Border(left=side, right=side, top=side, bottom=side)
    elif rule:
        style.border = Border(bottom=Side(style="thin", color=rule))
    style.alignment = Alignment(wrap_text=wrap, horizontal=horizontal, vertical="center")
    if number_format:
        style.number_format = number_format
    book.add_named_style(style)
    return name


def add_report_styles(book: Any, *, wrap_headers: bool = False) -> None:
    """The title, note and header styles every report sheet uses (the header: bold on a
    light blue band with a rule beneath)."""
    add_style(book, TITLE, bold=True, size=13)
    add_style(book, NOTE, italic=True, colour="595959")
    add_style(book, HEADER, bold=True, fill=HEADER_FILL, rule=HEADER_LINE, wrap=wrap_headers)


def header_style(book: Any, horizontal: str) -> str:
    """The header style aligned like its column ("right" above numbers), wrapping."""
    return add_style(book, f"{HEADER} {horizontal}", bold=True, fill=HEADER_FILL, rule=HEADER_LINE, wrap=True,
                     horizontal=horizontal)


# -- layout ------------------------------------------------------------------------------

def display_text(value: Any) -> str:
    """How a value reads in its cell, to measure it."""
    if isinstance(value, float):
        return f"{value:.2f}"
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return f"{value:%H:%M}"
    return str(value)


def measure(rows: Iterable[Sequence[Any]]) -> dict[int, int]:
    """The widest value of each column (1-based), in characters, CJK counting two."""
    widths: dict[int, int] = {}
    for row in rows:
        for index, value in enumerate(row, start=1):
            if value is None:
                continue
            if hasattr(value, "column") and hasattr(value, "value"):  # a cell object
                value = value.value
                if value is None:
                    continue
            width = text_width(display_text(value))
            if width > widths.get(index, 0):
                widths[index] = width
    return widths


def set_widths(sheet: Any, widths: dict[int, int], *, minimum: float = 8, maximum: float = 60,
               padding: float = 3) -> None:
    """Column widths from measured text widths: padded, within ``minimum``..``maximum``."""
    from openpyxl.utils import get_column_letter

    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = min(maximum, max(minimum, width + padding))


def fit_widths(sheet: Any, *, from_row: int = 1, minimum: float = 8, maximum: float = 60, padding: float = 3) -> None:
    """Fit every column to its longest value from ``from_row`` down (titles above may overflow)."""
    set_widths(sheet, measure(sheet.iter_rows(min_row=from_row, values_only=True)),
               minimum=minimum, maximum=maximum, padding=padding)


def freeze(sheet: Any, *, rows: int, columns: int = 0) -> None:
    """Keep the first ``rows`` rows and ``columns`` columns in view while scrolling."""
    from openpyxl.utils import get_column_letter

    sheet.freeze_panes = f"{get_column_letter(columns + 1)}{rows + 1}"


def print_setup(sheet: Any, *, title_rows: tuple[int, int] | None = None, title_columns: str | None = None,
                footer: bool = True) -> None:
    """Landscape A4, one page wide (as many pages long as needed), header rows repeated on
    every page, narrow margins, the sheet name and page number in the footer."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.5
    if title_rows is not None:
        sheet.print_title_rows = f"{title_rows[0]}:{title_rows[1]}"
    if title_columns is not None:
        sheet.print_title_cols = title_columns
    if footer:
        sheet.oddFooter.center.text = "&A — &P / &N"


# -- saving ------------------------------------------------------------------------------

def check_target(path: Path, *, force: bool, option: str = "-o", example: str = "report.xlsx") -> Path:
    """Refuse a workbook path before any work is done: not .xlsx (1), or what
    `outfile.check_output` refuses."""
    if path.suffix.lower() != ".xlsx":
        raise InvalidInput(f"{path} does not end in .xlsx; give a workbook name such as {example}")
    return check_output(path, force=force, option=option, example=example)


def save_workbook(book: Any, path: Path, *, force: bool, option: str = "-o",
                  bulk: Sequence[BulkRows] = ()) -> None:
    """Write ``book`` (and its ``bulk`` rows) beside ``path`` and move it into place in one
    step. Without ``force``, a file that appeared at ``path`` meanwhile is kept (exit 5)."""
    def write(temp: str) -> None:
        if bulk:
            _save_with_bulk_rows(book, temp, bulk)
        else:
            book.save(temp)

    write_whole(path, write, force=force, option=option)


# -- bulk rows ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Styled:
    """A bulk row's value in a style of its own (``None``: an empty cell in that style)."""

    value: Any
    style: str


@dataclass
class BulkRows:
    """Rows appended to ``sheet`` from ``first_row`` on, written when the workbook is saved.
    ``styles`` names the style of a column (dates and times need one with their number
    format); a :class:`Styled` value brings its own, one of ``cell_styles``. Booleans are
    not taken (say yes/no). The sheet must hold nothing below ``first_row - 1``.
    ``progress`` hears of every thousand rows written."""

    sheet: Any
    first_row: int
    styles: dict[int, str] = field(default_factory=dict)
    rows: list[Sequence[Any]] = field(default_factory=list)
    cell_styles: Sequence[str] = ()
    progress: Callable[[int], None] | None = None

    def last_row(self) -> int:
        return self.first_row + len(self.rows) - 1


def _save_with_bulk_rows(book: Any, target: str, bulk: Sequence[BulkRows]) -> None:
    from openpyxl.cell import Cell

    patches = {}
    for part in bulk:  # the style ids the cells refer to, registered before openpyxl writes the styles
        ids: dict[str, int] = {}
        for style in {*part.styles.values(), *part.cell_styles}:
            probe = Cell(part.sheet)
            probe.style = style
            ids[style] = probe.style_id
        patches[part.sheet] = (part, ids)
    buffer = io.BytesIO()
    book.save(buffer)
    by_path = {sheet.path.lstrip("/"): patch for sheet, patch in patches.items()}  # known once saved
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename in by_path:
                data = _with_rows(data.decode("utf-8"), *by_path[item.filename]).encode("utf-8")
            out.writestr(item, data)


def _with_rows(xml: str, part: BulkRows, style_ids: dict[str, int]) -> str:
    from openpyxl.utils import get_column_letter

    if not part.rows:
        return xml
    letters = [get_column_letter(c) for c in range(1, max(len(r) for r in part.rows) + 1)]
    rows = _rows_xml(part, letters, style_ids)
    xml = re.sub(r"<sheetData\s*/>", "<sheetData></sheetData>", xml, count=1)
    head, tail = xml.split("</sheetData>", 1)
    xml = f"{head}{rows}</sheetData>{tail}"
    last = f"{letters[-1]}{part.last_row()}"
    return re.sub(r'<dimension ref="([A-Z]+[0-9]+)(:[A-Z]+[0-9]+)?"', rf'<dimension ref="\1:{last}"', xml, count=1)


def _rows_xml(part: BulkRows, letters: list[str], style_ids: dict[str, int]) -> str:
    """The rows as sheet XML. Names, codes and dates repeat: each column remembers how it
    wrote a value (all but the cell reference) and writes it again from there."""
    column_styles = [style_ids.get(part.styles.get(c, "")) for c in range(1, len(letters) + 1)]
    remembered: list[dict[Any, str]] = [{} for _ in letters]
    out: list[str] = []
    number = part.first_row
    for values in part.rows:
        out.append(f'<row r="{number}">')
        for index, value in enumerate(values):
            if value is None:
                continue
            seen = remembered[index]
            tail = seen.get(value)
            if tail is None:
                tail = seen[value] = _cell_tail(value, column_styles[index], style_ids)
            out.append(f'<c r="{letters[index]}{number}"{tail}')
        out.append("</row>")
        number += 1
        if part.progress is not None and (number - part.first_row) % 1000 == 0:
            part.progress(1000)
    if part.progress is not None:
        part.progress(len(part.rows) % 1000)
    return "".join(out)


_EPOCH = datetime(1899, 12, 30)  # day 0 of Excel's 1900 date system, as openpyxl writes it


def _cell_tail(value: Any, style: int | None, style_ids: dict[str, int]) -> str:
    """A cell's XML after its reference: style, type and value."""
    from xml.sax.saxutils import escape

    if isinstance(value, Styled):
        style, value = style_ids[value.style], value.value
    styled = f' s="{style}"' if style is not None else ""
    if value is None:
        return f"{styled}/>"
    if isinstance(value, bool):
        value = "yes" if value else "no"
    elif isinstance(value, Decimal):
        value = float(value)
    if isinstance(value, str):
        text = escape(safe_text(value))
        space = ' xml:space="preserve"' if text != text.strip() else ""
        return f'{styled} t="inlineStr"><is><t{space}>{text}</t></is></c>'
    if isinstance(value, datetime):
        value = (value - _EPOCH).total_seconds() / 86400
    elif isinstance(value, date):
        value = (value - _EPOCH.date()).days
    elif isinstance(value, time):
        value = (value.hour * 3600 + value.minute * 60 + value.second) / 86400
    return f"{styled}><v>{value!r}</v></c>"
