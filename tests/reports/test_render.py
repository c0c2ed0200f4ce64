"""The one output helper: every format, the JSON contract, timestamps in the team offset."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from opsctl.reports.formats import OutputFormat
from opsctl.reports.render import render
from opsctl.reports.tabular import Column, Record, Tabular, columns

ROWS = [
    {"id": 1, "login": "wei", "name": "张伟", "day": date(2026, 3, 2),
     "at": datetime(2026, 3, 2, 1, 5, tzinfo=UTC), "hours": 7.5, "tags": ["a", "b"], "ok": True},
    {"id": 2, "login": "eve", "name": "=1+1", "day": None, "at": None, "hours": 8.0, "tags": [], "ok": False},
]
TABLE = Tabular("People", [*columns("login", "name"), Column("hours", "Hours", "right")], ROWS)
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _out(shown, fmt):  # type: ignore[no-untyped-def]
    buffer = io.StringIO()
    render(shown, fmt, tz=SHANGHAI, out=buffer)
    return buffer.getvalue()


def test_json_is_every_key_with_iso_dates_and_team_offset() -> None:
    data = json.loads(_out(TABLE, OutputFormat.json))
    assert data[0] == {"id": 1, "login": "wei", "name": "张伟", "day": "2026-03-02",
                       "at": "2026-03-02T09:05:00+08:00", "hours": 7.5, "tags": ["a", "b"], "ok": True}
    assert data[1]["day"] is None


def test_json_record_is_one_object() -> None:
    assert json.loads(_out(Record("x", {"id": 3, "login": "wei"}), OutputFormat.json)) == {"id": 3, "login": "wei"}


def test_csv_and_tsv_carry_all_keys_in_order() -> None:
    rows = list(csv.reader(io.StringIO(_out(TABLE, OutputFormat.csv))))
    assert rows[0] == ["id", "login", "name", "day", "at", "hours", "tags", "ok"]
    assert rows[1] == ["1", "wei", "张伟", "2026-03-02", "2026-03-02T09:05:00+08:00", "7.5", "a; b", "true"]
    assert rows[2][2] == "=1+1"
    assert _out(TABLE, OutputFormat.tsv).splitlines()[0].count("\t") == 7


def test_table_and_markdown_show_the_columns() -> None:
    table = _out(TABLE, OutputFormat.table)
    assert "Login" in table and "张伟" in table and "7.5" in table and "Tags" not in table
    md = _out(TABLE, OutputFormat.md)
    assert "| Login   | Name   |   Hours |" in md


def test_an_empty_table_says_so() -> None:
    empty = Tabular("People", columns("login"), [], empty="No people yet.")
    assert "No people yet." in _out(empty, OutputFormat.table)
    assert _out(empty, OutputFormat.json).strip() == "[]"


def test_table_format_pads_cjk_by_display_width() -> None:
    from opsctl.reports.textable import text_width

    lines = _out(TABLE, OutputFormat.table).splitlines()
    header, wei, eve = lines[1], lines[3], lines[4]
    assert text_width(wei) == text_width(eve) == len(header)  # right-aligned hours end together
    assert text_width(wei[: wei.index("7.5")]) + 3 == len(header)


def test_colour_only_on_a_terminal_without_no_color(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from opsctl.reports.render import text_lines

    coloured = text_lines(TABLE, SHANGHAI, colour=True)
    assert "\x1b[1m" in coloured[0]
    plain_lines = text_lines(TABLE, SHANGHAI, colour=False)
    assert not any("\x1b" in line for line in plain_lines)


def test_a_cell_of_details_leaves_out_what_is_unset() -> None:
    from opsctl.reports.render import cell_text

    assert cell_text({"team": None, "template": "standard", "people": ["wei", "na"]}) == \
        "template: standard, people: wei, na"


def test_on_a_terminal_a_wide_table_fits_and_colour_does_not_change_the_layout() -> None:
    import re

    from opsctl.reports.render import text_lines
    from opsctl.reports.textable import text_width

    rows = [{"title": "Send the core failover test plan to wangfang before the change window", "owner": "张伟",
             "why": "blocked: waiting for the PagerDuty contract to be signed by purchasing", "hours": 12.5},
            {"title": "Short", "owner": "na", "why": "", "hours": 3.0}]
    wide = Tabular("Tasks", [*columns("title", "owner", "why"), Column("hours", "Est. h", "right")], rows)
    plain = text_lines(wide, None, colour=False, width=80)
    assert all(text_width(line) <= 80 for line in plain), plain
    assert plain[3].rstrip().endswith("12.5") and "…" in plain[3]  # numbers whole, long text cut
    coloured = [re.sub(r"\x1b\[[0-9;]*m", "", line) for line in text_lines(wide, None, colour=True, width=80)]
    assert coloured == plain
    piped = text_lines(wide, None, colour=False)  # a file or a pipe: every cell whole
    assert rows[0]["why"] in piped[3]
