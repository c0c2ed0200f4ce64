"""The one output helper: every format, the JSON contract, timestamps in the team offset."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

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


def _out(shown: Tabular | Record, fmt: OutputFormat | None) -> str:
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
    assert rows[2][2] == "'=1+1"  # text a spreadsheet would run is escaped (see test_safetext.py)
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


def test_colour_only_on_a_terminal_without_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
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

    rows: list[dict[str, Any]] = [
        {"title": "Send the core failover test plan to wangfang before the change window", "owner": "张伟",
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


NARROW_ROWS: list[dict[str, Any]] = [
    {"id": 12, "login": "zhangwei", "title": "Send the core failover test plan to wangfang before the change window",
     "due": date(2026, 6, 3), "at": datetime(2026, 6, 3, 6, 0, tzinfo=UTC), "when": "2026-06-22 – 2026-06-26",
     "email": "zhangwei@example.com", "late_minutes": 125},
]
NARROW = Tabular("Tasks", [
    Column("id", "#", kind="id"), Column("login", "Login", kind="login"), Column("title", "Title"),
    Column("at", "At"), Column("when", "When", kind="date"),
    Column("email", "Email", kind="id", priority=2), Column("late_minutes", "Late minutes", "right", short="Late"),
], NARROW_ROWS)


def test_a_narrow_terminal_cuts_only_text_and_leaves_columns_out_by_priority() -> None:
    from opsctl.reports.render import text_lines
    from opsctl.reports.textable import text_width

    lines = text_lines(NARROW, SHANGHAI, width=80)
    assert all(text_width(line) <= 80 for line in lines), lines
    header, row = lines[1], lines[3]
    assert header.split() == ["#", "Login", "Title", "At", "When", "Late"]  # the short header
    for whole in ("12", "zhangwei", "2026-06-03 14:00", "2026-06-22 – 2026-06-26", "125"):
        assert whole in row
    assert "Send the" in row and "…" in row and NARROW_ROWS[0]["title"] not in row
    assert lines[-1] == "Left out to fit 80 columns: Email (-w or -f csv shows all)."
    whole_lines = text_lines(NARROW, SHANGHAI)  # a pipe or --wide: every column, every cell whole
    assert NARROW_ROWS[0]["title"] in whole_lines[3] and "zhangwei@example.com" in whole_lines[3]
    assert "Late minutes" in whole_lines[1] and not any("Left out" in line for line in whole_lines)


def test_there_is_no_fixed_cap_on_a_cell() -> None:
    from opsctl.reports.render import text_lines

    note = "Failover of the core pair is untested and undocumented; no Wi-Fi survey of floor 3; diagram old"
    table = Tabular(None, columns("n", ("text", "Decision")), [{"n": 1, "text": note}])
    assert note in text_lines(table, None, width=200)[2]  # a wide terminal shows it all (was cut at 60)
    assert note in text_lines(table, None)[2]


def test_a_record_wraps_long_values_under_themselves_on_a_terminal() -> None:
    from opsctl.reports.render import text_lines
    from opsctl.reports.textable import text_width

    goal = "Replace the core switches and the Wi-Fi on all three floors, with no outage in working hours"
    lines = text_lines(Record("Project", {"code": "NET-2026", "goal": goal}), None, width=60)
    assert all(text_width(line) <= 60 for line in lines), lines
    value_column = lines[2].index("Replace")
    assert " ".join(line[value_column:].strip() for line in lines[2:]) == goal
    assert goal in text_lines(Record("Project", {"goal": goal}), None)[1]


def test_text_is_cut_before_a_word_with_digits() -> None:
    from opsctl.reports.textable import fit_text, wrap

    assert fit_text("due: 2026-06-01, title: Alert rules", 14) == "due: …"
    assert fit_text("Resubmit NET-2026 for acceptance", 16) == "Resubmit …"
    assert fit_text("Send the core failover", 12) == "Send the co…"
    assert wrap("安全消防培训安全消防培训", 8) == ["安全消防", "培训安全", "消防培训"]  # CJK: two columns each
