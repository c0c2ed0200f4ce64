"""`opsctl report`: write from a draft (--edit, --file, stdin), submit, show, list, review, raise,
missing, export; every wrong thing with its exit code and one Error line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.cli.test_meetings import fake_editor
from tests.conftest import Cli, MakeFile, People, one_line_error

REPORT = "## Done\n- the backup job\n\n## Planned next\n- keys\n\n## Problems and help needed\n- the VPN\n- disk\n"


def ok(result: Any) -> Any:
    assert result.exit_code == 0, (result.stdout, result.stderr)
    return result.json()


def written(cli: Cli, user: str = "wei", week: str = "last", *extra: str) -> dict[str, Any]:
    return ok(cli("report", "week", week, "--file", "-", *extra, "-f", "json", user=user, input=REPORT))


def test_week_prints_a_draft_and_saves_nothing(cli: Cli, people: People) -> None:
    result = cli("report", "week", user="wei")
    assert result.exit_code == 0 and result.stdout.startswith("# Week report 2026-W12, 2026-03-16 – 2026-03-22")
    assert "## Done" in result.stdout and "## Problems and help needed" in result.stdout
    assert ok(cli("report", "list", "-f", "json", user="wei")) == []


def test_file_from_stdin_saves_a_draft_and_submit_marks_it_late(cli: Cli, people: People) -> None:
    draft = written(cli)
    assert (draft["kind"], draft["period"], draft["status"], draft["problems"]) == (
        "week", "2026-W11", "draft", "- the VPN\n- disk")
    submitted = ok(cli("report", "submit", str(draft["id"]), "-f", "json", user="wei"))
    assert (submitted["status"], submitted["late"], submitted["deadline"]) == (
        "submitted", True, "2026-03-16T10:00:00+08:00")
    again = cli("report", "submit", str(draft["id"]), user="wei")
    assert "was submitted on 2026-03-18 09:30; to change it" in one_line_error(again, 5)
    assert "--submit" in one_line_error(cli("report", "week", "last", "--file", "-", "--submit", user="wei",
                                            input=REPORT), 5)


def test_edit_runs_the_editor_on_the_draft_and_saves_with_submit(cli: Cli, people: People, tmp_path: Path) -> None:
    editor = fake_editor(tmp_path, "- and a note\n")
    result = cli("report", "day", "yesterday", "--edit", "--submit", "-f", "json", user="wei",
                 env={"EDITOR": editor})
    data = ok(result)
    assert (data["kind"], data["period"], data["status"], data["late"]) == ("day", "2026-03-17", "submitted", False)
    assert (tmp_path / "seen.md").read_text(encoding="utf-8").startswith("# Day report 2026-03-17 — 张伟 (wei)")
    assert data["problems"].endswith("- and a note")


def test_show_list_review_and_the_reviewed_report_is_closed(cli: Cli, people: People, tmp_path: Path) -> None:
    report = written(cli, "wei", "last", "--submit")
    shown = ok(cli("report", "show", str(report["id"]), "-f", "json", user="mona"))
    assert (shown["login"], shown["done"]) == ("wei", "- the backup job")
    assert "nobody reviews their own report" in one_line_error(
        cli("report", "review", str(report["id"]), user="wei"), 4)
    assert "only their manager or their team lead" in one_line_error(
        cli("report", "review", str(report["id"]), user="sam"), 4)
    reviewed = ok(cli("report", "review", str(report["id"]), "--comment", "Thanks", "-f", "json", user="mona"))
    assert (reviewed["status"], reviewed["reviewed_by"], reviewed["review_comment"]) == ("reviewed", "mona", "Thanks")
    rows = ok(cli("report", "list", "--person", "wei", "--week", "2026-W11", "-f", "json", user="mona"))
    assert [(r["id"], r["status"]) for r in rows] == [(report["id"], "reviewed")]
    assert "reviewed on 2026-03-18" in one_line_error(
        cli("report", "week", "last", "--file", "-", user="wei", input=REPORT), 5)
    assert "reviewed on" in one_line_error(
        cli("report", "week", "last", "--edit", user="wei", env={"EDITOR": fake_editor(tmp_path, "x")}), 5)


def test_raise_makes_a_problem_a_task(cli: Cli, people: People) -> None:
    report = written(cli, "wei", "last", "--submit")
    assert "--item 1…2" in one_line_error(cli("report", "raise", str(report["id"]), user="mona"), 1)
    task = ok(cli("report", "raise", str(report["id"]), "--item", "1", "--due", "2026-03-25", "-f", "json",
                  user="mona"))
    assert (task["title"], task["login"], task["due"]) == ("the VPN", "wei", "2026-03-25")
    assert "already" in one_line_error(cli("report", "raise", str(report["id"]), "--item", "1", user="wei"), 5)
    shown = ok(cli("report", "show", str(report["id"]), "-f", "json", user="wei"))
    assert shown["raised"][0] == {"item": 1, "problem": "the VPN", "task": task["id"]}


def test_missing_last_week_for_a_manager(cli: Cli, people: People) -> None:
    written(cli, "wei", "last", "--submit")
    rows = ok(cli("report", "missing", "-f", "json", user="mona"))
    assert [(r["login"], r["period"], r["overdue"]) for r in rows] == [
        ("mona", "2026-W11", True), ("sam", "2026-W11", True), ("leo", "2026-W11", True), ("na", "2026-W11", True)]
    assert ok(cli("report", "missing", "--week", "this", "-f", "json", user="mona")) == []  # not over yet
    table = cli("report", "missing", "--team", "Dev", user="mona")
    assert table.exit_code == 0 and "sam" in table.stdout and "na" not in table.stdout.split()


def test_export_md_and_xlsx(cli: Cli, people: People, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    written(cli, "wei", "last", "--submit")
    md = cli("report", "export", "--week", "2026-W11", "--team", "Ops", user="mona")
    assert md.exit_code == 0 and md.stdout.startswith("# Work reports, week 2026-W11 (2026-03-09 – 2026-03-15)")
    assert "## 张伟 (wei) — week 2026-W11" in md.stdout and "### Problems and help needed" in md.stdout
    assert "## Not submitted" in md.stdout and "| na | 李娜 | week | 2026-W11 |" in md.stdout
    target = tmp_path / "week.xlsx"
    assert cli("report", "export", "--week", "2026-W11", "--as", "xlsx", "-o", str(target), user="mona").exit_code == 0
    book = load_workbook(target)
    reports, missing = book["Reports"], book["Not submitted"]
    assert [c.value for c in reports[5]][1:9] == ["wei", "张伟", "Ops", "week", "2026-W11", "submitted",
                                                   "2026-03-18 09:30", "yes"]
    assert reports.cell(5, 13).value == "- the VPN\n- disk"
    assert [missing.cell(r, 1).value for r in range(4, missing.max_row + 1)] == ["mona", "sam", "leo", "na"]
    assert "already exists" in one_line_error(
        cli("report", "export", "--week", "2026-W11", "--as", "xlsx", "-o", str(target), user="mona"), 5)


@pytest.mark.parametrize(("args", "code", "says"), [
    (("report", "week", "next", "--file", "-"), 1, "has not started yet"),
    (("report", "day", "tomorrow"), 1, "the day 2026-03-19 has not started yet"),
    (("report", "week", "2026-W99"), 1, "not a week: '2026-W99'"),
    (("report", "week", "--edit", "--file", "x.md"), 1, "either --file or --edit"),
    (("report", "week", "last", "--edit"), 1, "set EDITOR"),
    (("report", "week", "last", "--file", "nowhere.md"), 3, "no such file"),
    (("report", "week", "last", "--file", "/"), 1, "/ is a folder; give the file to read"),
    (("report", "week", "last", "--submit"), 1, "no week report 2026-W11 to submit yet"),
    (("report", "show", "99"), 3, "no work report 99"),
    (("report", "list", "--person", "nobody"), 3, "nobody"),
    (("report", "export", "--week", "last", "--as", "pdf"), 1, "--as 'pdf' is not one of: md, xlsx"),
    (("report", "export", "--week", "last", "--as", "xlsx"), 1, "give its name with -o"),
])
def test_wrong_input_is_one_error_line(cli: Cli, people: People, args: tuple[str, ...], code: int, says: str) -> None:
    result = cli(*args, user="wei", input="## Done\n- x\n", env={"EDITOR": "", "VISUAL": ""})
    assert says in one_line_error(result, code)


def test_a_file_that_is_not_a_report(cli: Cli, people: People, make_file: MakeFile) -> None:
    path = make_file("r.md", "## Risks\n- none\n")
    assert "unknown section 'Risks'" in one_line_error(cli("report", "week", "--file", str(path), user="wei"), 1)


def test_the_demo_has_a_week_of_reports_one_missing_one_late_one_reviewed(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from opsctl.cli.main import app

    assert CliRunner().invoke(app, ["demo", "--dir", str(tmp_path)]).exit_code == 0
    base = ["--db", str(tmp_path / "demo.db"), "--as", "wangfang"]
    week = json.loads(CliRunner().invoke(app, [*base, "report", "list", "--week", "2026-W22", "-f", "json"]).stdout)
    by_login = {r["login"]: r for r in week}
    assert "omar" not in by_login and by_login["lina"]["late"] and not by_login["zhangwei"]["late"]
    assert by_login["zhangwei"]["reviewed_by"] == "liuyang"
    missing = json.loads(CliRunner().invoke(app, [*base, "report", "missing", "-f", "json"]).stdout)
    assert [(m["login"], m["period"]) for m in missing] == [("omar", "2026-W22")]


def test_today_shows_your_missing_report_and_those_waiting_for_your_review(cli: Cli, people: People) -> None:
    written(cli, "wei", "last", "--submit")
    mine = ok(cli("today", "-f", "json", user="na"))["workreports"]
    assert [(r["what"], r["status"]) for r in mine] == [("your week report 2026-W11", "overdue")]
    boss = ok(cli("today", "-f", "json", user="mona"))["workreports"]
    assert ("wei's week report 2026-W11", "to review") in [(r["what"], r["status"]) for r in boss]
    assert "workreports" not in ok(cli("today", "-f", "json", user="wei"))
