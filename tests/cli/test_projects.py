"""`opsctl project` through the command line: the lifecycle, its refusals and exit codes,
and what `project list` and `project show` tell."""

from __future__ import annotations

import pytest

from tests.conftest import Cli, CliResult, People


@pytest.fixture
def web(cli: Cli, people: People) -> Cli:
    """An active project WEB owned by wei, with a task for na; returns ``cli``."""
    assert cli("project", "new", "web", "--name", "Website", "--due", "2026-06-30", user="wei").exit_code == 0
    assert cli("project", "approve", "WEB", "--comment", "go", user="mona").exit_code == 0
    assert cli("project", "start", "WEB", user="wei").exit_code == 0
    return cli


def _one_line_error(result: CliResult, code: int) -> str:
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    assert result.error.startswith("Error: ") and "\n" not in result.error
    return result.error


def test_new_prints_the_record_it_wrote(cli: Cli, people: People) -> None:
    made = cli("project", "new", "net-1", "--name", "Network", "--start", "2026-03-01", "--due", "eom",
               "--budget", "1200.5", "--goal", "faster", "-f", "json", user="leo")
    assert made.exit_code == 0, made.error
    record = made.json()
    assert record == record | {"code": "NET-1", "status": "proposed", "stage": "proposed", "login": "leo",
                               "team": "Ops", "start": "2026-03-01", "due": "2026-03-31", "round": 0}
    assert isinstance(record["id"], int)


def test_the_lifecycle_and_its_refusals(web: Cli, people: People) -> None:
    cli = web
    assert cli("task", "add", "Copy", "-p", "WEB", "-a", "na", user="wei").exit_code == 0
    error = _one_line_error(cli("project", "submit", "WEB", "--summary", "done", user="wei"), 5)
    assert "1 open task(s): #1 Copy (na, todo)" in error and "--force" in error
    _one_line_error(cli("project", "submit", "WEB", "--summary", "done", user="na"), 4)
    assert cli("project", "submit", "WEB", "--summary", "done", "--force", user="wei").exit_code == 0
    _one_line_error(cli("project", "review", "WEB", "--pass", "--report", "ok", user="na"), 4)
    assert "--pass or --fail" in _one_line_error(cli("project", "review", "WEB", "--report", "x", user="mona"), 1)
    failed = cli("project", "review", "WEB", "--fail", "--report", "copy unfinished", "-f", "json", user="mona")
    assert failed.json()["status"] == "active" and failed.json()["stage"] == "rework after round 1"
    error = _one_line_error(cli("project", "approve", "WEB", user="mona"), 5)
    assert "it is active; from active the allowed steps are: submit, cancel" in error

    shown = cli("project", "show", "web", "-f", "json").json()
    assert shown["rework_notes"] == "copy unfinished" and shown["round"] == 1
    assert [h["step"] for h in shown["history"]] == ["propose", "approve", "start", "submit", "fail"]
    assert shown["history"][1]["login"] == "mona" and shown["history"][1]["text"] == "go"
    assert shown["rounds"][0] | {"round": 1, "result": "failed", "reviewer": "mona"} == shown["rounds"][0]
    assert [(m["login"], m["role"]) for m in shown["members"]] == [("wei", "owner"), ("na", "member")]
    assert shown["history"][0]["at"].endswith("+08:00")


def test_show_reads_as_a_report(web: Cli, people: People) -> None:
    cli = web
    cli("task", "add", "Late one", "-p", "WEB", "--due", "yesterday", "--estimate", "3h", user="wei")
    text = cli("project", "show", "WEB").stdout
    for heading in ("Project WEB — Website", "Progress", "Members", "Overdue tasks", "Acceptance rounds",
                    "Status history", "Not submitted for acceptance yet."):
        assert heading in text
    assert "overdue 1d" in text and "Late one" in text
    assert "Tasks_done" not in text and "Progress_pct" not in text  # numbers live in the Progress section


def test_bad_project_input(web: Cli, people: People) -> None:
    cli = web
    assert "already exists" in _one_line_error(cli("project", "new", "WEB", "--name", "Again"), 5)
    assert "NOPE" in _one_line_error(cli("project", "show", "nope"), 3)
    error = _one_line_error(cli("project", "new", "X", "--name", "x", "--due", "someday"), 1)
    assert error.startswith("Error: --due: not a date: 'someday'") and "YYYY-MM-DD" in error and "+3d" in error
    _one_line_error(cli("project", "new", "X", "--name", "x", "--owner", "ghost"), 3)
    assert "beyond what opsctl keeps exactly; at most 1,000,000,000,000" in _one_line_error(
        cli("project", "new", "X", "--name", "x", "--budget", "1e30"), 1)
    for amount in ("lots", "nan", "inf"):
        assert f"not an amount: '{amount}'" in _one_line_error(cli("project", "new", "X", "--name", "x",
                                                                   "--budget", amount), 1)
    _one_line_error(cli("project", "member", "add", "WEB", "ghost", user="wei"), 3)
    assert cli("project", "list", "-f", "json").json()[0]["code"] == "WEB"  # nothing half-written


def test_an_archived_project_refuses_every_write(web: Cli, people: People) -> None:
    cli = web
    cli("task", "add", "Only", "-p", "WEB", user="wei")
    cli("task", "done", "1", user="wei")
    cli("project", "submit", "WEB", "--summary", "s", user="wei")
    cli("project", "review", "WEB", "--pass", "--report", "r", user="mona")
    assert cli("project", "archive", "WEB", "--force", user="wei").exit_code == 0
    for args in (("project", "cancel", "WEB"), ("project", "member", "add", "WEB", "sam"),
                 ("task", "add", "more", "-p", "WEB"), ("task", "reopen", "1"), ("task", "edit", "1", "--title", "t"),
                 ("project", "edit", "WEB", "--due", "eom"), ("project", "member", "rm", "WEB", "wei")):
        assert "archived and read-only" in _one_line_error(cli(*args), 5)
    listed = cli("project", "list")
    assert "WEB" not in listed.stdout and "1 archived project(s) not shown" in listed.stdout
    assert "WEB" in cli("project", "list", "--all").stdout


def test_cancel_closes_the_open_tasks_and_says_which(web: Cli, people: People) -> None:
    cli = web
    for title, assignee in (("Copy", "na"), ("Deploy", "wei"), ("Design", "na")):
        assert cli("task", "add", title, "-p", "WEB", "-a", assignee, "--due", "2026-03-20", user="wei").exit_code == 0
    cli("task", "done", "3", user="na")
    cancelled = cli("project", "cancel", "WEB", "--reason", "no budget", "-f", "json", user="mona")
    assert cancelled.exit_code == 0, cancelled.error
    assert cancelled.json()["status"] == "cancelled"  # stdout stays the record; the tasks are told on stderr
    assert cancelled.error == "Cancelled 2 open tasks of WEB: #1, #2."
    assert cli("project", "archive", "WEB", "--force", user="wei").exit_code == 0
    assert cli("task", "list", "-f", "json", user="na").json() == []
    assert sorted((t["id"], t["status"]) for t in cli("task", "list", "--all", "-f", "json", user="na").json()) == [
        (1, "cancelled"), (3, "done")]
    history = cli("project", "show", "WEB", "-f", "json").json()["history"]
    assert history[-2]["text"] == "no budget (cancelled its open tasks: #1, #2)"
    entries = cli("audit", "list", "--action", "task.cancel", "-f", "json").json()
    assert sorted((e["actor"], e["login"], e["details"]["reason"]) for e in entries) == [
        ("mona", "na", "project WEB cancelled"), ("mona", "wei", "project WEB cancelled")]


def test_cancel_without_open_tasks_says_nothing_more(web: Cli, people: People) -> None:
    result = web("project", "cancel", "WEB", user="wei")
    assert result.exit_code == 0 and "cancelled" in result.stdout and result.stderr == ""


def test_archive_refuses_an_accepted_project_with_open_tasks(web: Cli, people: People) -> None:
    cli = web
    cli("task", "add", "Copy", "-p", "WEB", "-a", "na", user="wei")
    assert cli("project", "submit", "WEB", "--summary", "done", "--force", user="wei").exit_code == 0
    assert cli("project", "review", "WEB", "--pass", "--report", "ok", user="mona").exit_code == 0
    error = _one_line_error(cli("project", "archive", "WEB", user="wei"), 5)
    assert error == ("Error: project WEB still has 1 open task(s): #1 Copy (na, todo); an archived project is "
                     "read-only, so finish or cancel them first (`opsctl task done ID`, `opsctl task cancel ID`)")
    assert cli("task", "cancel", "1", user="wei").exit_code == 0
    assert cli("project", "archive", "WEB", "--force", "-f", "json", user="wei").json()["status"] == "archived"


def test_list_and_member_add(web: Cli, people: People) -> None:
    cli = web
    cli("project", "new", "DEV", "--name", "Dev tools", user="sam")
    added = cli("project", "member", "add", "dev", "na", "--role", "reviewer", "-f", "json", user="sam")
    assert added.json() == added.json() | {"project": "DEV", "login": "na", "role": "reviewer"}
    assert [p["code"] for p in cli("project", "list", "--mine", "-f", "json", user="na").json()] == ["DEV"]
    assert [p["code"] for p in cli("project", "list", "--status", "proposed", "-f", "json").json()] == ["DEV"]
    table = cli("project", "list").stdout
    assert table.index("WEB") < table.index("DEV")  # active before proposed
    assert "statuses:" in _one_line_error(cli("project", "list", "--status", "open"), 1)


def test_edit_shows_the_project_and_the_change_lands_in_show_and_history(
    web: Cli, people: People
) -> None:
    cli = web
    edited = cli("project", "edit", "web", "--name", "Web shop", "--start", "2026-03-02", "--due", "eom",
                 "--budget", "8000", "--goal", "Sell online", "--team", "Dev", user="wei")
    assert edited.exit_code == 0, edited.error
    assert "WEB — Web shop" in edited.stdout and "2026-03-31" in edited.stdout
    assert edited.error == ("WEB: name Website → Web shop; team Ops → Dev; start none → 2026-03-02; "
                            "due 2026-06-30 → 2026-03-31; budget none → 8000; goal none → Sell online")
    shown = cli("project", "show", "WEB", "-f", "json").json()
    assert {k: shown[k] for k in ("name", "team", "start", "due", "budget", "goal")} == {
        "name": "Web shop", "team": "Dev", "start": "2026-03-02", "due": "2026-03-31", "budget": 8000.0,
        "goal": "Sell online"}
    assert shown["history"][-1] | {"login": "wei", "step": "edit", "from_status": "active",
                                   "to_status": "active"} == shown["history"][-1]
    assert "owner" not in shown["history"][-1]["text"]
    assert "budget none → 8000" in cli("project", "show", "WEB").stdout  # the history table says it too


def test_edit_with_empty_values_clears_and_json_is_the_summary(web: Cli, people: People) -> None:
    cli = web
    cleared = cli("project", "edit", "WEB", "--due", "", "--team", "", "-f", "json", user="wei")
    assert cleared.exit_code == 0, cleared.error
    assert cleared.stderr == ""  # JSON stays clean for scripts
    assert cleared.json() == cleared.json() | {"code": "WEB", "due": None, "team": None, "login": "wei"}
    assert cleared.json().keys() == cli("project", "list", "-f", "json").json()[0].keys()


def test_the_manager_hands_a_project_over_and_the_old_owner_stays_a_member(
    web: Cli, people: People
) -> None:
    cli = web
    assert cli("project", "member", "add", "WEB", "na", user="wei").exit_code == 0
    error = _one_line_error(cli("project", "edit", "WEB", "--owner", "na", user="wei"), 4)
    assert error == ("Error: wei may not hand project WEB to na: only the owner's manager, a manager or an admin "
                     "may change its owner")
    handed = cli("project", "edit", "WEB", "--owner", "na", "-f", "json", user="mona")
    assert handed.json()["login"] == "na"
    members = cli("project", "show", "WEB", "-f", "json").json()["members"]
    assert [(m["login"], m["role"]) for m in members] == [("na", "owner"), ("wei", "member")]
    [entry] = cli("audit", "list", "--action", "project.edit", "-f", "json").json()
    assert (entry["actor"], entry["login"], entry["details"]) == ("mona", "wei", {"owner": ["wei", "na"]})
    _one_line_error(cli("project", "edit", "WEB", "--name", "Mine again", user="wei"), 4)


@pytest.mark.parametrize(("args", "user", "code", "message"), [
    ((), "wei", 1, "Error: nothing to change; give at least one of --name, --owner, --team, --start, --due, "
                   "--budget or --goal with a new value"),
    (("--start", "2026-07-01"), "wei", 1, "Error: the due date 2026-06-30 is before the start date 2026-07-01"),
    (("--name", ""), "wei", 1, "Error: the project name must not be empty"),
    (("--budget", "-5"), "wei", 1, "Error: the budget must not be negative (got -5)"),
    (("--budget", "lots"), "wei", 1, "Error: --budget: not an amount: 'lots'"),
    (("--due", "someday"), "wei", 1, "Error: --due: not a date: 'someday'"),
    (("--team", "QA"), "wei", 3, "Error: unknown team 'QA' (teams: Dev, Ops)"),
    (("--owner", "ghost"), "mona", 3, "Error: no employee with login 'ghost'"),
    (("--name", "Mine"), "na", 4, "Error: na may not edit project WEB: only its owner, the owner's manager"),
])
def test_edit_refusals_are_one_line_with_their_exit_code(
    web: Cli, people: People, args: tuple[str, ...], user: str, code: int, message: str
) -> None:
    assert _one_line_error(web("project", "edit", "WEB", *args, user=user), code).startswith(message)
    assert web("project", "show", "WEB", "-f", "json").json()["history"][-1]["step"] == "start"


def test_edit_of_an_unknown_or_cancelled_project(web: Cli, people: People) -> None:
    cli = web
    assert "no project with code 'NOPE'" in _one_line_error(cli("project", "edit", "nope", "--name", "x"), 3)
    cli("project", "cancel", "WEB", user="wei")
    error = _one_line_error(cli("project", "edit", "WEB", "--due", "eom", user="wei"), 5)
    assert error == ("Error: project WEB is cancelled, so its details are settled and cannot change; from "
                     "cancelled the allowed steps are: archive")


def test_member_rm_refuses_open_tasks_then_removes_and_prints_the_membership(
    web: Cli, people: People
) -> None:
    cli = web
    assert cli("task", "add", "Copy", "-p", "WEB", "-a", "na", user="wei").exit_code == 0
    error = _one_line_error(cli("project", "member", "rm", "WEB", "na", user="wei"), 5)
    assert error == ("Error: na still has 1 open task(s) in WEB (#1); give them to someone else with "
                     "`opsctl task assign ID LOGIN` (or finish or cancel them) first")
    assert cli("task", "assign", "1", "wei", user="wei").exit_code == 0
    removed = cli("project", "member", "rm", "web", "NA", "-f", "json", user="wei")
    assert removed.exit_code == 0, removed.error
    record = removed.json()
    assert record == {"id": record["id"], "project": "WEB", "login": "na", "role": "member",
                      "removed_at": "2026-03-18T09:30:00+08:00"}
    assert [m["login"] for m in cli("project", "show", "WEB", "-f", "json").json()["members"]] == ["wei"]
    [entry] = cli("audit", "list", "--action", "project.member.rm", "-f", "json").json()
    assert (entry["actor"], entry["login"]) == ("wei", "na")


def test_member_rm_who_may_and_who_is_not_a_member(web: Cli, people: People) -> None:
    cli = web
    cli("project", "member", "add", "WEB", "sam", "--role", "reviewer", user="wei")
    error = _one_line_error(cli("project", "member", "rm", "WEB", "sam", user="na"), 4)
    assert error.endswith("members may only take themselves off")
    error = _one_line_error(cli("project", "member", "rm", "WEB", "na", user="wei"), 3)
    assert error == "Error: na is not a member of WEB; its members: sam (reviewer) (see `opsctl project show WEB`)"
    assert "wei owns WEB" in _one_line_error(cli("project", "member", "rm", "WEB", "wei", user="mona"), 5)
    left = cli("project", "member", "rm", "WEB", "sam", user="sam")
    assert left.exit_code == 0 and "Removed from WEB" in left.stdout and "reviewer" in left.stdout
    assert cli("audit", "list", "--action", "project.member.rm", "-f", "json").json() == []  # one's own leaving
