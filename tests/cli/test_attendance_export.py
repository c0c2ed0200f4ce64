"""`opsctl attend export` as HR meets it: where the file goes, what it holds (the very
numbers `attend month -f json` prints), what is refused and with which exit code."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlmodel import Session
from typer.testing import CliRunner

from opsctl.cli.main import app
from opsctl.clock import FixedClock
from opsctl.reports.attendance.xlsx_text import APPROVAL_KEYS, EN, OVERTIME_KEYS, SUMMARY_KEYS
from opsctl.services.leave.types import DEFAULT_TYPES
from tests.conftest import Cli, People, one_line_error
from tests.reports.attendance.test_xlsx import build_february
from tests.reports.test_excel import unwritable_folder

COLUMN_KEYS = {EN.headers[key]: key for key in (*SUMMARY_KEYS, *OVERTIME_KEYS, *APPROVAL_KEYS)}


@pytest.fixture
def february(session: Session, people: People, clock: FixedClock) -> None:
    build_february(session, people, clock)


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "hr"
    folder.mkdir()
    monkeypatch.chdir(folder)
    return folder


def summary_rows(path: Path) -> list[dict[str, Any]]:
    """The Summary sheet as attend month's JSON keys, one dict per person, in sheet order; the
    columns of leave types as ``leave_by_type``."""
    sheet = load_workbook(path)["Summary"]
    headers = [c.value for c in sheet[4]]
    leave_columns = {EN.leave_column(kind.code, kind.name): kind.code for kind in DEFAULT_TYPES}
    rows = []
    for row in sheet.iter_rows(min_row=5, values_only=True):
        cells = dict(zip(headers, row, strict=True))
        found = {COLUMN_KEYS[h]: value for h, value in cells.items() if h in COLUMN_KEYS}
        found["leave_by_type"] = {leave_columns[h]: value for h, value in cells.items() if h in leave_columns}
        rows.append(found)
    assert set(headers) == set(COLUMN_KEYS) | {h for h in headers if h in leave_columns}  # nothing unknown
    return rows


def json_rows(shown: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """attend month's JSON as the sheet has it: every leave type of the month in every row."""
    codes = {code for row in shown for code in row["leave_by_type"]}
    return [{key: row[key] for key in (*SUMMARY_KEYS, *OVERTIME_KEYS, *APPROVAL_KEYS)}
            | {"leave_by_type": {code: row["leave_by_type"].get(code, 0.0) for code in codes}} for row in shown]


def test_the_default_file_is_replaced_only_with_force(cli: Cli, february: None, workdir: Path) -> None:
    done = cli("attend", "export", "--month", "2026-02", user="hana")
    target = workdir / "attendance-2026-02.xlsx"
    assert done.exit_code == 0, done.error
    assert done.stdout == "" and done.stderr == f"Wrote {target}: 2026-02, all teams, 8 people, 17 punches\n"
    assert load_workbook(target).sheetnames == ["Summary", "Daily", "Punches", "Legend"]
    before = target.read_bytes()
    again = cli("attend", "export", "--month", "2026-02", "--team", "Ops", user="hana")
    assert "attendance-2026-02.xlsx already exists; add --force to replace it" in one_line_error(again, 5)
    assert target.read_bytes() == before
    forced = cli("attend", "export", "--month", "2026-02", "--team", "Ops", "--force", user="hana")
    assert forced.exit_code == 0 and "2026-02, team Ops, 3 people" in forced.stderr
    assert load_workbook(target)["Summary"]["A1"].value == "Attendance 2026-02 — team Ops"
    assert sorted(p.name for p in workdir.iterdir()) == ["attendance-2026-02.xlsx"]  # no temporary file left


def test_the_summary_sheet_is_attend_month_json_cell_by_cell(cli: Cli, february: None, workdir: Path) -> None:
    for user, options in (("hana", ()), ("mona", ("--team", "Ops"))):
        shown = cli("attend", "month", "2026-02", *options, "-f", "json", user=user).json()
        path = workdir / f"{user}.xlsx"
        assert cli("attend", "export", "--month", "2026-02", *options, "-o", str(path), user=user).exit_code == 0
        assert summary_rows(path) == json_rows(shown)
        assert len(shown) == (8 if user == "hana" else 3)
        assert {row["login"]: row["leave_by_type"] for row in shown}["wei"] == {"sick": 1.5}


def test_a_manager_exports_only_the_people_they_manage(cli: Cli, february: None, workdir: Path) -> None:
    done = cli("attend", "export", "--month", "2026-02", user="mona")
    assert done.exit_code == 0, done.error
    assert "6 people" in done.stderr and "(2 other people not shown" in done.stderr
    logins = {row["login"] for row in summary_rows(workdir / "attendance-2026-02.xlsx")}
    assert logins == {"mona", "sam", "evil", "leo", "na", "wei"}


def test_chinese(cli: Cli, february: None, workdir: Path) -> None:
    done = cli("attend", "export", "--month", "2026-02", "--lang", "zh", "-o", "zh.xlsx", user="hana")
    assert done.exit_code == 0, done.error
    book = load_workbook(workdir / "zh.xlsx")
    assert book.sheetnames == ["汇总", "每日", "打卡明细", "说明"]
    assert [c.value for c in book["汇总"][4]][:3] == ["登录名", "姓名", "团队"]


def test_bad_input_gets_one_line_and_writes_nothing(
    cli: Cli, february: None, workdir: Path, tmp_path: Path, session: Session, people: People, clock: FixedClock
) -> None:
    from opsctl.services.people.teams import add_team

    add_team(session, actor=people.ada, now=clock.now(), name="Empty")
    session.commit()
    locked = unwritable_folder(tmp_path)
    for args, user, code, words in (
        (("--month", "2026-13"), "hana", 1, "not a month: '2026-13'"),
        (("--month", "2026-04"), "hana", 1, "2026-04 has not begun (today is 2026-03-18)"),
        (("--month", "2026-02", "-o", "nope/a.xlsx"), "hana", 1, "the folder nope does not exist"),
        (("--month", "2026-02", "-o", str(locked / "a.xlsx")), "hana", 1, f"the folder {locked} is not writable"),
        (("--month", "2026-02", "-o", "a.csv"), "hana", 1, "a.csv does not end in .xlsx"),
        (("--month", "2026-02", "--team", "Nowhere"), "hana", 3, "unknown team 'Nowhere'"),
        (("--month", "2026-02", "--team", "Empty"), "hana", 3, "nobody in team Empty was employed in 2026-02"),
        (("--month", "2026-02"), "wei", 4, "only manager, hr or admin may export the attendance workbook"),
        (("--month", "2026-02"), "leo", 4, "leo is lead"),
    ):
        assert words in one_line_error(cli("attend", "export", *args, user=user), code), args
    assert cli("attend", "export", "--month", "2026-02", "--lang", "fr", user="hana").exit_code == 2
    assert cli("attend", "export", user="hana").exit_code == 2  # --month is required
    assert list(workdir.iterdir()) == []


def test_the_demo_writes_the_sample_months_workbook(tmp_path: Path) -> None:
    folder = tmp_path / "demo"
    built = CliRunner().invoke(app, ["demo", "--dir", str(folder)])
    assert built.exit_code == 0, built.stderr
    workbook = folder / "attendance-2026-05.xlsx"
    assert f"The attendance workbook of 2026-05 for HR: {workbook}" in built.stderr
    month = CliRunner().invoke(app, ["--db", str(folder / "demo.db"), "--as", "ada", "attend", "month", "2026-05",
                                     "-f", "json"])
    shown = json.loads(month.stdout)
    assert summary_rows(workbook) == json_rows(shown)
    assert any(row["leave_by_type"] for row in shown)  # the sample month has leave
    (folder / "demo.db").unlink()
    again = CliRunner().invoke(app, ["demo", "--dir", str(folder)])
    assert again.exit_code == 1 and f"{workbook} already exists" in again.stderr
    assert not (folder / "demo.db").exists() and os.listdir(folder) == ["attendance-2026-05.xlsx"]
