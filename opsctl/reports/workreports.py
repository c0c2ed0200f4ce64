"""Work reports as tables and records, the team's week as Markdown, and its workbook."""

from __future__ import annotations

from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any

from opsctl.reports.tabular import Column, Record, Tabular

REPORT_COLUMNS = [
    Column("id", "ID", kind="id"), Column("login", "Login", kind="login"), Column("name", "Name", priority=3),
    Column("kind", "Kind", kind="code"), Column("period", "Period", kind="code"),
    Column("status", "Status", kind="code"), Column("submitted_at", "Submitted", priority=2),
    Column("late", "Late", kind="code"), Column("reviewed_by", "Reviewed by", kind="login", priority=2),
]
MISSING_COLUMNS = [
    Column("login", "Login", kind="login"), Column("name", "Name", priority=3), Column("team", "Team", priority=2),
    Column("kind", "Kind", kind="code"), Column("period", "Period", kind="code"), Column("due", "Due"),
    Column("overdue", "Overdue", kind="code"), Column("draft", "Draft saved", kind="code", priority=2),
]
SECTION_TITLES = {"done": "Done", "planned": "Planned next", "problems": "Problems and help needed"}


def reports_table(rows: list[dict[str, Any]], *, title: str = "Work reports") -> Tabular:
    styles: list[str | None] = ["yellow" if r["late"] else "dim" if r["status"] == "draft" else None for r in rows]
    return Tabular(title, REPORT_COLUMNS, rows, row_styles=styles,
                   empty="No work reports; write one with `opsctl report week --edit` (or `report day`).")


def missing_table(rows: list[dict[str, Any]], *, week: str) -> Tabular:
    return Tabular(f"Work reports not submitted, week {week}", MISSING_COLUMNS, rows,
                   row_styles=["red" if r["overdue"] else None for r in rows],
                   empty=f"Nobody owes a work report for week {week}.")


def report_record(data: dict[str, Any], *, saved: str | None = None) -> Record:
    """One report; its sections in full (Markdown), and the tasks raised from its problems."""
    title = f"{data['kind'].capitalize()} report {data['period']} — {data['name']} ({data['login']})"
    raised = [r for r in data.get("raised", []) if r["task"] is not None]
    sections = [Tabular("Raised as tasks", [Column("item", "Problem", "right", kind="id"),
                                            Column("task", "Task", kind="id"), Column("problem", "Text")],
                        raised)] if raised else []
    return Record(saved or title, data, labels={"reviewed_by": "Reviewed by", "submitted_at": "Submitted",
                                                "review_comment": "Review comment"},
                  sections=sections, hidden=("raised",))


def week_markdown(data: dict[str, Any]) -> str:
    """The team's week in one Markdown document: every report with its sections, then who has not reported."""
    tz: tzinfo = data["tz"]
    team = f" — team {data['team']}" if data["team"] else ""
    lines = [f"# Work reports, week {data['week']} ({data['start']} – {data['end']}){team}", "",
             f"As of {_local(data['as_of'], tz)}: {len(data['reports'])} report(s), "
             f"{len(data['missing'])} missing.", ""]
    for report in data["reports"]:
        marks = [report["status"]] + (["late"] if report["late"] else [])
        lines += [f"## {report['name']} ({report['login']}) — {report['kind']} {report['period']}", "",
                  f"Submitted {_local(report['submitted_at'], tz)} ({', '.join(marks)})"
                  + (f"; reviewed by {report['reviewed_by']}" if report["reviewed_by"] else ""), ""]
        for key, heading in SECTION_TITLES.items():
            if report[key]:
                lines += [f"### {heading}", "", report[key], ""]
        if report["review_comment"]:
            lines += ["### Review", "", report["review_comment"], ""]
        if report["raised"]:
            raised = sorted(report["raised"].items())
            lines += ["Raised as tasks: " + ", ".join(f"problem {n} → #{t}" for n, t in raised), ""]
    if data["missing"]:
        lines += ["## Not submitted", "", "| Login | Name | Kind | Period | Due | Overdue |",
                  "|---|---|---|---|---|---|"]
        lines += [f"| {m['login']} | {m['name']} | {m['kind']} | {m['period']} | {_local(m['due'], tz)} | "
                  f"{'yes' if m['overdue'] else 'no'} |" for m in data["missing"]]
        lines.append("")
    return "\n".join(lines)


def write_week_workbook(data: dict[str, Any], path: Path, *, force: bool) -> None:
    """The team's week as a workbook: a sheet of reports (one row each, the sections in
    wrapped cells) and a sheet of who has not reported."""
    from openpyxl import Workbook

    from opsctl.reports.excel import HEADER, NOTE, TITLE, add_report_styles, add_style, freeze, put, save_workbook

    tz: tzinfo = data["tz"]
    book = Workbook()
    add_report_styles(book)
    wrap = add_style(book, "opsctl wrapped", wrap=True)
    sheet = book.active
    sheet.title = "Reports"
    put(sheet, 1, 1, f"Work reports, week {data['week']} ({data['start']} – {data['end']})", TITLE)
    put(sheet, 2, 1, f"as of {_local(data['as_of'], tz)}" + (f", team {data['team']}" if data["team"] else ""), NOTE)
    headers = ["ID", "Login", "Name", "Team", "Kind", "Period", "Status", "Submitted", "Late", "Reviewed by",
               "Done", "Planned next", "Problems and help needed", "Review comment"]
    for column, header in enumerate(headers, 1):
        put(sheet, 4, column, header, HEADER)
    for row, r in enumerate(data["reports"], 5):
        values = [r["id"], r["login"], r["name"], r["team"], r["kind"], r["period"], r["status"],
                  _local(r["submitted_at"], tz), r["late"], r["reviewed_by"]]
        for column, value in enumerate(values, 1):
            put(sheet, row, column, value)
        for column, key in enumerate(("done", "planned", "problems", "review_comment"), len(values) + 1):
            put(sheet, row, column, r[key], wrap)
    for letter, width in zip("ABCDEFGHIJKLMN", (6, 10, 14, 10, 6, 11, 10, 17, 5, 11, 50, 40, 40, 30), strict=True):
        sheet.column_dimensions[letter].width = width
    freeze(sheet, rows=4, columns=3)
    missing = book.create_sheet("Not submitted")
    put(missing, 1, 1, f"Work reports not submitted, week {data['week']}", TITLE)
    for column, header in enumerate(("Login", "Name", "Team", "Kind", "Period", "Due", "Overdue", "Draft saved"), 1):
        put(missing, 3, column, header, HEADER)
    for row, m in enumerate(data["missing"], 4):
        for column, value in enumerate((m["login"], m["name"], m["team"], m["kind"], m["period"],
                                        _local(m["due"], tz), m["overdue"], m["draft"]), 1):
            put(missing, row, column, value)
    save_workbook(book, path, force=force, option="-o")


def today_table(facts: dict[str, Any]) -> Tabular:
    """`opsctl today`: your reports still owed, and the ones waiting for your review."""
    rows = [{"what": f"your {o['kind']} report {o['period']}",
             "status": "overdue" if o["overdue"] else "to write",
             "due": o["due"], "command": f"opsctl report {o['kind']} {o['period']} --edit"} for o in facts["owed"]]
    rows += [{"what": f"{w['login']}'s {w['kind']} report {w['period']}", "status": "to review", "due": None,
              "command": f"opsctl report review {w['id']}"} for w in facts["waiting"]]
    return Tabular("Work reports", [Column("what", "Report"), Column("status", "Status", kind="code"),
                                    Column("due", "Due"), Column("command", "Do", kind="command", priority=2)], rows)


def _local(value: datetime | None, tz: tzinfo) -> str:
    return f"{value.astimezone(tz):%Y-%m-%d %H:%M}" if value is not None else ""
