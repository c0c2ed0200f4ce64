"""`opsctl task` through the command line: adding, the urgency list and its defaults,
status steps and their refusals, the weekly plan, `today`, and a light start-up."""

from __future__ import annotations

import subprocess
import sys

from opsctl.dates import DATE_FORMS
from tests.conftest import Cli, CliResult, People


def _one_line_error(result: CliResult, code: int) -> str:
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    assert result.error.startswith("Error: ") and "\n" not in result.error
    return result.error


def test_add_parses_due_and_estimate_and_assigns_to_you(cli: Cli, people: People) -> None:
    added = cli("task", "add", "Rotate keys", "--due", "tomorrow", "--estimate", "1h30m", "--priority", "high",
                "-t", "security", "-f", "json", user="na")
    assert added.exit_code == 0, added.error
    assert added.json() == added.json() | {
        "id": 1, "title": "Rotate keys", "status": "todo", "priority": "high", "due": "2026-03-19",
        "estimate_hours": 1.5, "login": "na", "tags": ["security"], "why": "due tomorrow",
        "next_steps": ["start", "block", "done", "cancel", "assign", "edit"],
    }
    nobody = cli("task", "add", "Backlog idea", "--unassigned", "-f", "json", user="na").json()
    assert nobody["login"] is None and nobody["created_by"] == "na"


def test_bad_task_input_gets_one_line_and_its_exit_code(cli: Cli, people: People) -> None:
    bad_due = _one_line_error(cli("task", "add", "x", "--due", "someday"), 1)
    assert bad_due == f"Error: --due: not a date: 'someday' (use {DATE_FORMS})"
    assert "--estimate: not a duration" in _one_line_error(cli("task", "add", "x", "--estimate", "soon"), 1)
    assert "priorities:" in _one_line_error(cli("task", "add", "x", "--priority", "asap"), 1)
    assert "ghost" in _one_line_error(cli("task", "add", "x", "--assignee", "ghost"), 3)
    assert "NOPE" in _one_line_error(cli("task", "add", "x", "--project", "nope"), 3)
    assert "no task #42" in _one_line_error(cli("task", "done", "42"), 3)
    assert "ghost" in _one_line_error(cli("task", "list", "--assignee", "ghost"), 3)
    assert cli("task", "list", "--everyone", "--all", "-f", "json").json() == []  # nothing half-written


def test_status_steps_and_who_may_take_them(cli: Cli, people: People) -> None:
    cli("task", "add", "Patch servers", user="wei")
    assert "na may not start task #1" in _one_line_error(cli("task", "start", "1", user="na"), 4)
    blocked = cli("task", "block", "1", "--reason", "change freeze", "-f", "json", user="wei").json()
    assert blocked["status"] == "blocked" and blocked["why"] == "blocked: change freeze"
    assert cli("task", "start", "1", "-f", "json", user="wei").json()["blocked_reason"] is None
    done = cli("task", "done", "1", "-f", "json", user="mona").json()  # wei's manager
    assert done["status"] == "done" and done["done_at"] == "2026-03-18T09:30:00+08:00"
    error = _one_line_error(cli("task", "done", "1", user="wei"), 5)
    assert error == "Error: cannot finish task #1: it is done; from done the allowed steps are: reopen, edit"
    assert cli("task", "reopen", "1", "-f", "json", user="wei").json()["done_at"] is None
    assert cli("task", "assign", "1", "na", "-f", "json", user="wei").json()["login"] == "na"
    assert cli("task", "cancel", "1", "-f", "json", user="na").json()["status"] == "cancelled"
    assert cli("task", "block", "1", user="na").exit_code == 2  # --reason is required
    audit = cli("audit", "list", "--action", "task.", "-f", "json").json()
    assert [(e["actor"], e["action"]) for e in audit] == [("wei", "task.assign"), ("mona", "task.done")]


def test_edit_clears_with_an_empty_value(cli: Cli, people: People) -> None:
    cli("task", "add", "Docs", "--due", "fri", "--estimate", "2h", "-t", "a", user="wei")
    edited = cli("task", "edit", "1", "--due", "", "--estimate", "", "--tag", "", "--title", "API docs",
                 "-f", "json", user="wei").json()
    assert (edited["title"], edited["due"], edited["estimate_hours"], edited["tags"]) == ("API docs", None, None, [])
    assert "nothing to change" in _one_line_error(cli("task", "edit", "1", "--title", "API docs", user="wei"), 1)


def test_members_see_their_own_tasks_by_default(cli: Cli, people: People) -> None:
    cli("task", "add", "Mine, due today", "--due", "today", user="na")
    cli("task", "add", "Mine, overdue", "--due", "yesterday", "--priority", "low", user="na")
    cli("task", "add", "Mine, urgent", "--priority", "urgent", user="na")
    cli("task", "add", "Wei's", "--due", "yesterday", user="wei")
    mine = cli("task", "list", "-f", "json", user="na").json()
    assert [(t["title"], t["why"]) for t in mine] == [
        ("Mine, overdue", "overdue 1d"), ("Mine, due today", "due today"), ("Mine, urgent", "urgent"),
    ]
    table = cli("task", "list", user="na").stdout
    assert table.startswith("Your open tasks") and "Why" in table and "--everyone" in table
    assert len(cli("task", "list", "--everyone", "-f", "json", user="na").json()) == 4
    assert len(cli("task", "list", "-f", "json", user="leo").json()) == 4  # a lead sees the team's
    overdue = cli("task", "list", "--overdue", "-f", "json", user="leo").json()
    assert [t["title"] for t in overdue] == ["Wei's", "Mine, overdue"]  # same day: normal before low
    assert [t["title"] for t in cli("task", "list", "-a", "wei", "-f", "json", user="na").json()] == ["Wei's"]
    assert len(cli("task", "list", "--due-before", "today", "--everyone", "-f", "json", user="na").json()) == 3
    assert "statuses:" in _one_line_error(cli("task", "list", "--status", "open"), 1)


def test_show(cli: Cli, people: People) -> None:
    cli("task", "add", "Review PR", "--due", "2026-03-20", user="wei")
    shown = cli("task", "show", "1")
    assert shown.exit_code == 0
    for text in ("Task #1: Review PR", "due in 2d", "Next steps", "start, block, done, cancel, assign, edit"):
        assert text in shown.stdout


def test_week_is_a_grid_of_days_per_person(cli: Cli, people: People) -> None:
    cli("task", "add", "Monday thing", "--due", "2026-03-16", user="wei")
    cli("task", "add", "Two on Friday", "--due", "2026-03-20", user="wei")
    cli("task", "add", "Another Friday", "--due", "2026-03-20", user="wei")
    cli("task", "add", "Na's Friday", "--due", "2026-03-20", "--estimate", "3h", user="na")
    cli("task", "add", "Next week", "--due", "2026-03-24", user="na")
    grid = cli("task", "week").stdout.splitlines()
    assert grid[0] == "Week of Mon 2026-03-16 – Sun 2026-03-22"
    header = grid[1]
    assert header.split()[:3] == ["Person", "Mon", "03-16"] and "Wed 03-18 (today)" in header
    assert "Sat" not in header  # empty weekend days are left out
    friday = header.index("Fri 03-20")
    wei = next(i for i, line in enumerate(grid) if line.startswith("wei"))
    assert grid[wei][friday:].startswith("· #2 Two on Friday")
    assert grid[wei + 1][friday:].startswith("· #3 Another Friday")  # a second line for the second task
    assert "· #1 Monday thing" in grid[wei]
    na = next(line for line in grid if line.startswith("na "))
    assert na.rstrip().endswith("3")  # open hours
    as_json = cli("task", "week", "--person", "na", "--week", "+1w", "-f", "json").json()
    assert [(t["id"], t["login"], t["due"]) for t in as_json] == [(5, "na", "2026-03-24")]


def test_today_lists_my_tasks(cli: Cli, people: People) -> None:
    cli("task", "add", "Due now", "--due", "today", user="na")
    cli("task", "add", "Later", "--due", "+1w", user="na")
    today = cli("today", "-f", "json", user="na").json()
    assert [t["title"] for t in today["tasks"]] == ["Due now"]


PROBE = """
import sys
sys.argv = ["opsctl", "task", "list", "--mine"]
from opsctl.cli.main import app
try:
    app()
except SystemExit as exit:
    print("EXIT", exit.code, file=sys.stderr)
print("LOADED:" + ",".join(m for m in ("openpyxl", "alembic", "rich", "opsctl.services.meetings")
                           if m in sys.modules), file=sys.stderr)
"""


def test_task_list_loads_only_what_it_needs(cli: Cli, people: People, db_url: str) -> None:
    cli("task", "add", "x", user="na")
    result = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=60, check=False,
                            env={"OPSCTL_DB": db_url, "OPSCTL_USER": "na", "NO_COLOR": "1", "PATH": "/usr/bin:/bin"})
    assert "EXIT 0" in result.stderr and "x" in result.stdout, result.stderr
    assert result.stderr.rsplit("LOADED:", 1)[1].strip() == ""
