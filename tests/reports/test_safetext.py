"""Text that cannot attack its reader: no formula in CSV/TSV, no escape sequence on a terminal."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from decimal import Decimal

import pytest

from opsctl.reports.formats import OutputFormat
from opsctl.reports.render import render
from opsctl.reports.safetext import FORMULA_STARTS, json_safe, printable, spreadsheet_cell
from opsctl.reports.tabular import Column, Record, Tabular, columns


def _out(shown: Tabular | Record, fmt: OutputFormat, *, raw: bool = False) -> str:
    buffer = io.StringIO()
    render(shown, fmt, out=buffer, raw=raw)
    return buffer.getvalue()


@pytest.mark.parametrize(("stored", "shown"), [
    ("plain 张伟 text", "plain 张伟 text"),
    ("\x1b[31mred\x1b[0m", "red"),  # CSI: the whole sequence goes, no "[31m" left behind
    ("\x1b[2J\x1b[H\x1b[?1049h", ""),  # clear screen, home, alternate screen
    ("\x1b]0;window title\x07after", "after"),  # OSC ended by BEL
    ("\x1b]8;;http://evil.example\x1b\\link\x1b]8;;\x1b\\", "link"),  # OSC 8 hyperlink ended by ST
    ("\x1b]0;never ended", ""),  # an OSC that is not ended swallows the rest on a terminal too
    ("\x1bPq#0;2;0;0;0\x1b\\sixel", "sixel"),  # DCS
    ("\x9b31mC1 CSI\x9d0;t\x9c", "C1 CSI"),  # 8-bit forms
    ("a\x1bcb\x1b7c", "abc"),  # two-byte escapes (reset, save cursor)
    ("bell\x07 back\x08space del\x7f nul\x00", "bell backspace del nul"),
    ("evil\u202etxt.exe", "eviltxt.exe"),  # a bidi override reads backwards
    ("a\tb\nc\r\nd", "a b c d"),  # one line in a cell
])
def test_printable_drops_escape_sequences_and_controls(stored: str, shown: str) -> None:
    assert printable(stored) == shown


def test_printable_keeps_lines_and_tabs_where_asked() -> None:
    assert printable("one\r\ntwo\n\tthree\x1b[1m!", lines=True) == "one\ntwo\n\tthree!"
    assert printable("over\rwritten", lines=True) == "overwritten"  # a CR would hide what came before


@pytest.mark.parametrize(("value", "cell"), [
    ("=1+1", "'=1+1"), ("+31 20 555", "'+31 20 555"), ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
    ("@SUM(A1:A9)", "'@SUM(A1:A9)"), ("\t=1+1", "'\t=1+1"), ("  =1+1", "'  =1+1"),
    ("\r=1+1", "'=1+1"),  # the CR goes (a control), the formula is still escaped
    ("\x07=1+1", "'=1+1"),  # a control in front hides nothing
    ("-", "-"), ("+", "+"),  # a lone mark is no formula (a rest day's code)
    ("a=b", "a=b"), ("2026-05-01", "2026-05-01"), ("'quoted", "'quoted"),
    (-3.5, -3.5), (-2, -2), (Decimal("-1.5"), Decimal("-1.5")), (None, None),
])
def test_spreadsheet_cells_escape_text_formulas_and_keep_numbers(value: object, cell: object) -> None:
    assert spreadsheet_cell(value) == cell


def test_the_excel_writer_and_csv_share_the_formula_starts() -> None:
    from opsctl.reports import excel

    assert excel.FORMULA_STARTS is FORMULA_STARTS
    assert set("=+-@\t\r") == set(FORMULA_STARTS)


ROWS = [{"id": 1, "title": "=HYPERLINK(\"http://evil.example\")\x1b[31m", "delta": -3.5, "debt": Decimal("-2"),
         "count": -4, "day": date(2026, 5, 1), "tags": ["-x", "y"], "note": "-5"}]
TABLE = Tabular("Tasks \x1b]0;owned\x07", [*columns("id", "title"), Column("delta", "Delta", "right")], ROWS,
                notes=["said \x1b[2Jloud"])


@pytest.mark.parametrize("fmt", [OutputFormat.csv, OutputFormat.tsv])
def test_csv_and_tsv_escape_text_only_unless_raw(fmt: OutputFormat) -> None:
    delimiter = "," if fmt is OutputFormat.csv else "\t"
    row = next(csv.DictReader(io.StringIO(_out(TABLE, fmt)), delimiter=delimiter))
    assert row == {"id": "1", "title": "'=HYPERLINK(\"http://evil.example\")", "delta": "-3.5", "debt": "-2.0",
                   "count": "-4", "day": "2026-05-01", "tags": "'-x; y", "note": "'-5"}
    raw = next(csv.DictReader(io.StringIO(_out(TABLE, fmt, raw=True)), delimiter=delimiter))
    assert raw["title"] == ROWS[0]["title"] and raw["note"] == "-5" and raw["delta"] == "-3.5"


def test_tables_records_and_markdown_show_no_control_characters() -> None:
    table = _out(TABLE, OutputFormat.table)
    assert "\x1b" not in table and "\x07" not in table
    assert "Tasks" in table and '=HYPERLINK("http://evil.example")' in table and "said loud" in table
    md = _out(TABLE, OutputFormat.md)
    assert "\x1b" not in md and '=HYPERLINK("http://evil.example")' in md  # shown, not evaluated: no "'"
    assert "\x1b[31m" in _out(TABLE, OutputFormat.md, raw=True)
    assert "\x1b" not in _out(TABLE, OutputFormat.table)  # --raw never reaches a terminal's table
    record = Record("Task \x1b[2J1", {"id": 1, "goal": "first line\n\x1b]8;;http://x\x07second\x1b]8;;\x07 line"})
    lines = _out(record, OutputFormat.table).splitlines()
    assert lines == ["Task 1", "  Id    1", "  Goal  first line", "        second line"]


def test_json_is_the_stored_text_with_terminal_controls_escaped() -> None:
    text = _out(Tabular(None, columns("title"), [{"title": "a\x1b[31m\x9b2J\u202eb\x7f"}]), OutputFormat.json)
    assert not any(char in text for char in "\x1b\x9b\u202e\x7f")
    assert json.loads(text) == [{"title": "a\x1b[31m\x9b2J\u202eb\x7f"}]
    assert json_safe('["张伟"]') == '["张伟"]'
