"""Reading CSV and XLSX files with a header row, keeping each row's line number."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from difflib import get_close_matches
from pathlib import Path

from opsctl.errors import InvalidInput, NotFound


@dataclass(frozen=True)
class Row:
    line: int
    values: dict[str, str]

    def get(self, key: str) -> str:
        return self.values.get(key, "").strip()


def require_file(path: Path) -> Path:
    """``path`` if it is a file to read: a folder is a mistake to say so (1), a missing one is 3."""
    if path.is_dir():
        raise InvalidInput(f"{path} is a folder; give the file to read")
    if not path.is_file():
        raise NotFound(f"no such file: {path}")
    return path


def read_rows(path: Path, *, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> list[Row]:
    """Rows of a CSV or XLSX file whose first row names the columns (case and spaces ignored)."""
    require_file(path)
    lines = _xlsx_lines(path) if path.suffix.lower() in (".xlsx", ".xlsm") else _csv_lines(path)
    try:
        header_line, header = next(lines)
    except StopIteration:
        raise InvalidInput(f"{path} is empty; it needs a header row: {','.join(required)}") from None
    names = column_names(header)
    known = required + optional
    refuse_misspelt(path, names, known, line=header_line)
    twice = sorted({name for name in names if name and names.count(name) > 1})
    if twice:  # which one would count? (the last, silently)
        raise InvalidInput(f"{path}: the header row (line {header_line}) has {', '.join(twice)} more than once")
    missing = [c for c in required if c not in names]
    if missing:
        raise InvalidInput(
            f"{path}: the header row (line {header_line}) lacks {', '.join(missing)}; "
            f"expected columns: {', '.join(known)}"
        )
    rows = []
    for line, cells in lines:
        if not any(cell.strip() for cell in cells):
            continue
        rows.append(Row(line, {name: cell for name, cell in zip(names, cells, strict=False) if name}))
    return rows


def column_names(header: list[str]) -> list[str]:
    """A header row's names as the columns are looked up: case and spaces ignored."""
    return [cell.strip().lower().replace(" ", "_") for cell in header]


def refuse_misspelt(path: Path, names: list[str], known: tuple[str, ...], *, line: int = 1) -> None:
    """Columns nobody reads are ignored, but a misspelt one (`emial`) would lose its data quietly."""
    for name in names:
        close = get_close_matches(name, known, n=1, cutoff=0.75) if name and name not in known else []
        if close:
            raise InvalidInput(f"{path}: unknown column {name!r} in the header row (line {line}); did you "
                               f"mean {close[0]!r}? Expected columns: {', '.join(known)}")


def _csv_lines(path: Path) -> Iterator[tuple[int, list[str]]]:
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.reader(handle)
            for cells in reader:
                yield reader.line_num, cells
    except UnicodeDecodeError:
        raise InvalidInput(f"{path} is not a UTF-8 text file (save it as CSV UTF-8)") from None
    except csv.Error as exc:
        raise InvalidInput(f"{path} is not valid CSV: {exc}") from None


def _xlsx_lines(path: Path) -> Iterator[tuple[int, list[str]]]:
    from zipfile import BadZipFile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, OSError, KeyError, ValueError, BadZipFile) as exc:
        raise InvalidInput(f"{path} is not a readable .xlsx workbook ({exc}); save it from Excel as .xlsx, "
                           "or as CSV UTF-8") from None
    try:
        for number, cells in enumerate(workbook.worksheets[0].iter_rows(values_only=True), start=1):
            yield number, [_cell_text(cell) for cell in cells]
    finally:
        workbook.close()


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def report_bad_rows(path: Path, problems: list[str], *, hint: str = "nothing was imported") -> None:
    """Raise one error naming every bad row (line numbers), so the user can fix them at once."""
    if not problems:
        return
    shown = problems[:20]
    more = f"; and {len(problems) - 20} more" if len(problems) > 20 else ""
    raise InvalidInput(f"{path}: {len(problems)} bad row(s), {hint}: {'; '.join(shown)}{more}")
