"""`project plan|milestone|risk|cost|doc`, `review-lessons`, `lessons`, `archive --force` on the
command line: exit codes, one-line errors, nothing half-written, the JSON they print."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Cli, MakeFile, People, one_line_error


@pytest.fixture
def net(cli: Cli, people: People) -> Cli:
    """NET: wei's, 2026-03-01 to 2026-06-30, budget 1000, na a member; approved (mona) and active."""
    assert cli("project", "new", "NET", "--name", "Network", "--start", "2026-03-01", "--due", "2026-06-30",
               "--budget", "1000", user="wei").exit_code == 0
    assert cli("project", "member", "add", "NET", "na", user="wei").exit_code == 0
    assert cli("project", "approve", "NET", user="mona").exit_code == 0
    assert cli("project", "start", "NET", user="wei").exit_code == 0
    return cli


def test_plan_milestones_and_the_slip_in_project_show(net: Cli) -> None:
    added = net("project", "milestone", "add", "NET", "Design", "--due", "2026-04-01", "--owner", "na", "-f", "json",
                user="wei").json()
    assert (added["login"], added["due"], added["baseline_due"]) == ("na", "2026-04-01", None)
    assert net("project", "plan", "set", "NET", "--content", "Core switches, then Wi-Fi", "--resources", "2 people",
               user="wei").exit_code == 0
    assert "nobody may approve the plan of their own project" in one_line_error(
        net("project", "plan", "approve", "NET", user="wei"), 4)
    assert net("project", "plan", "approve", "NET", "-f", "json", user="mona").json()["status"] == "approved"
    moved = net("project", "milestone", "move", "NET", str(added["id"]), "--to", "2026-04-06", "--reason",
                "vendor late", "-f", "json", user="wei").json()
    assert (moved["baseline_due"], moved["slip_days"]) == ("2026-04-01", 5)
    shown = net("project", "show", "NET", user="sam")
    assert "Milestones" in shown.stdout and "+5d" in shown.stdout and "│" in shown.stdout
    plan = net("project", "plan", "NET", "-f", "json", user="sam").json()  # `plan CODE` is `plan show CODE`
    assert (plan["version"], plan["status"], plan["approved_by"]) == (1, "approved", "mona")
    listed = net("project", "milestone", "list", "NET", "-f", "json", user="sam").json()
    assert [(m["title"], m["slip_days"]) for m in listed] == [("Design", 5)] and "chart" not in listed[0]


def test_bad_input_is_one_line_with_its_exit_code_and_nothing_is_written(net: Cli, tmp_path: Path) -> None:
    cases: list[tuple[tuple[str, ...], int, str]] = [
        (("project", "milestone", "add", "NET", "Late", "--due", "2026-07-01"), 1, "after NET is due (2026-06-30)"),
        (("project", "risk", "add", "NET", "Vendor", "--likelihood", "6", "--impact", "2", "--owner", "wei"), 1,
         "--likelihood must be from 1 (lowest) to 5"),
        (("project", "cost", "add", "NET", "12.345"), 1, "more than two decimals"),
        (("project", "doc", "add", "NET", str(tmp_path / "missing.pdf")), 3, "no file"),
        (("project", "doc", "add", "NET", str(tmp_path)), 1, "is a folder; give a file"),
    ]
    for args, code, problem in cases:
        assert problem in one_line_error(net(*args, user="wei"), code)
    shown = net("project", "show", "NET", "-f", "json", user="wei").json()
    assert (shown["milestones"], shown["high_risks"], shown["documents"], shown["cost_pending"]) == ([], [], 0, 0)


def test_costs_are_approved_by_someone_else_and_warn_near_the_budget(net: Cli) -> None:
    mine = net("project", "cost", "add", "NET", "950.50", "--category", "equipment", "--note", "switch",
               "-f", "json", user="wei").json()
    assert (mine["amount"], mine["status"], mine["login"]) == (950.5, "pending", "wei")
    assert "nobody approves their own claim" in one_line_error(
        net("project", "cost", "approve", str(mine["id"]), user="wei"), 4)
    assert net("project", "cost", "approve", str(mine["id"]), user="mona").exit_code == 0
    listed = net("project", "cost", "list", "NET", user="wei")
    assert "Budget 1,000.00 · approved 950.50 · pending 0.00 · remaining 49.50" in listed.stdout
    assert "Warning: 95 % of the budget is spent (warning from 90 %)" in listed.stdout


def test_documents_round_trip_and_only_the_projects_people_read_them(net: Cli, tmp_path: Path) -> None:
    source = tmp_path / "acceptance report.bin"
    source.write_bytes(bytes(range(256)) * 5000)
    added = net("project", "doc", "add", "NET", str(source), "--kind", "report", "-f", "json", user="na").json()
    assert (added["name"], added["kind"], added["size"]) == ("acceptance report.bin", "report", 1_280_000)
    out = tmp_path / "copy.bin"
    got = net("project", "doc", "get", str(added["id"]), "-o", str(out), user="mona")
    assert got.exit_code == 0 and out.read_bytes() == source.read_bytes()
    assert "already exists" in one_line_error(net("project", "doc", "get", str(added["id"]), "-o", str(out),
                                                  user="mona"), 5)
    refused = one_line_error(net("project", "doc", "get", str(added["id"]), user="sam"), 4)
    assert refused == ("Error: sam may not see the documents of NET: only the project's owner and members, their "
                       "managers, HR or an admin may")
    assert "may not see the documents of NET" in one_line_error(net("project", "doc", "list", "NET", user="sam"), 4)
    assert "no document #99" in one_line_error(net("project", "doc", "get", "99", user="wei"), 3)


def test_a_document_over_the_limit_is_refused(net: Cli, tmp_path: Path) -> None:
    assert net("config", "set", "projects.document_limit_mib", "1").exit_code == 0
    big = tmp_path / "big.bin"
    big.write_bytes(b"x" * (1024 * 1024 + 1))
    assert "big.bin is 1.0 MiB; documents may be at most 1 MiB (setting projects.document_limit_mib)" in \
        one_line_error(net("project", "doc", "add", "NET", str(big), user="wei"), 1)


def test_archive_asks_for_the_papers_and_then_everything_is_read_only(net: Cli, make_file: MakeFile) -> None:
    report = make_file("report.md", "# Accepted\n")
    assert net("project", "submit", "NET", "--summary", "done", user="wei").exit_code == 0
    assert net("project", "review", "NET", "--pass", "--report", "ok", user="mona").exit_code == 0
    error = one_line_error(net("project", "archive", "NET", user="wei"), 5)
    assert "cannot be archived without an acceptance report" in error and "--force" in error
    assert net("project", "doc", "add", "NET", str(report), "--kind", "report", user="wei").exit_code == 0
    assert net("project", "review-lessons", "NET", "--went-well", "demos", "--went-badly", "late vendor",
               "--actions", "order early", user="wei").exit_code == 0
    assert net("project", "archive", "NET", "-f", "json", user="wei").json()["status"] == "archived"
    assert "archived and read-only" in one_line_error(net("project", "cost", "add", "NET", "5", user="wei"), 5)
    assert "archived and read-only" in one_line_error(
        net("project", "doc", "add", "NET", str(report), user="wei"), 5)
    assert net("project", "doc", "get", "1", user="na").stdout == "# Accepted\n"
    lessons = net("project", "lessons", "-f", "json", user="sam").json()
    assert [(row["project"], row["actions"]) for row in lessons] == [("NET", "order early")]


def test_tasks_belong_to_a_milestone(net: Cli) -> None:
    net("project", "milestone", "add", "NET", "Design", "--due", "2026-04-01", user="wei")
    task = net("task", "add", "Draw it", "-p", "NET", "--milestone", "1", "-f", "json", user="wei").json()
    assert task["milestone_id"] == 1
    assert "milestone #1 belongs to project NET" in one_line_error(
        net("task", "add", "Loose", "--milestone", "1", user="wei"), 1)
    assert net("task", "edit", str(task["id"]), "--milestone", "", "-f", "json", user="wei").json()[
        "milestone_id"] is None


def test_today_shows_the_owner_their_high_risks(net: Cli) -> None:
    assert net("project", "risk", "add", "NET", "Vendor late", "--likelihood", "5", "--impact", "4", "--owner", "na",
               user="wei").exit_code == 0
    shown = net("today", "-f", "json", user="na").json()
    assert [(r["project"], r["text"]) for r in shown["projects"]] == [("NET", "Vendor late")]
    assert "projects" not in net("today", "-f", "json", user="wei").json()
