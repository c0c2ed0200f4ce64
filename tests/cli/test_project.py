"""`opsctl project` through the command line: the lifecycle, its refusals and exit codes,
and what `project list` and `project show` tell."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest


@pytest.fixture
def web(cli, people) -> Callable[..., Any]:  # type: ignore[no-untyped-def]
    """An active project WEB owned by wei, with a task for na; returns ``cli``."""
    assert cli("project", "new", "web", "--name", "Website", "--due", "2026-06-30", user="wei").exit_code == 0
    assert cli("project", "approve", "WEB", "--comment", "go", user="mona").exit_code == 0
    assert cli("project", "start", "WEB", user="wei").exit_code == 0
    return cli  # type: ignore[no-any-return]


def _one_line_error(result: Any, code: int) -> str:
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    assert result.error.startswith("Error: ") and "\n" not in result.error
    return result.error  # type: ignore[no-any-return]


def test_new_prints_the_record_it_wrote(cli, people) -> None:  # type: ignore[no-untyped-def]
    made = cli("project", "new", "net-1", "--name", "Network", "--start", "2026-03-01", "--due", "eom",
               "--budget", "1200.5", "--goal", "faster", "-f", "json", user="leo")
    assert made.exit_code == 0, made.error
    record = made.json()
    assert record == record | {"code": "NET-1", "status": "proposed", "stage": "proposed", "login": "leo",
                               "team": "Ops", "start": "2026-03-01", "due": "2026-03-31", "round": 0}
    assert isinstance(record["id"], int)


def test_the_lifecycle_and_its_refusals(web, people) -> None:  # type: ignore[no-untyped-def]
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


def test_show_reads_as_a_report(web, people) -> None:  # type: ignore[no-untyped-def]
    cli = web
    cli("task", "add", "Late one", "-p", "WEB", "--due", "yesterday", "--estimate", "3h", user="wei")
    text = cli("project", "show", "WEB").stdout
    for heading in ("Project WEB — Website", "Progress", "Members", "Overdue tasks", "Acceptance rounds",
                    "Status history", "Not submitted for acceptance yet."):
        assert heading in text
    assert "overdue 1d" in text and "Late one" in text
    assert "Tasks_done" not in text and "Progress_pct" not in text  # numbers live in the Progress section


def test_bad_project_input(web, people) -> None:  # type: ignore[no-untyped-def]
    cli = web
    assert "already exists" in _one_line_error(cli("project", "new", "WEB", "--name", "Again"), 5)
    assert "NOPE" in _one_line_error(cli("project", "show", "nope"), 3)
    error = _one_line_error(cli("project", "new", "X", "--name", "x", "--due", "someday"), 1)
    assert error.startswith("Error: --due: not a date: 'someday'") and "YYYY-MM-DD" in error and "+3d" in error
    _one_line_error(cli("project", "new", "X", "--name", "x", "--owner", "ghost"), 3)
    _one_line_error(cli("project", "member", "add", "WEB", "ghost", user="wei"), 3)
    assert cli("project", "list", "-f", "json").json()[0]["code"] == "WEB"  # nothing half-written


def test_an_archived_project_refuses_every_write(web, people) -> None:  # type: ignore[no-untyped-def]
    cli = web
    cli("task", "add", "Only", "-p", "WEB", user="wei")
    cli("task", "done", "1", user="wei")
    cli("project", "submit", "WEB", "--summary", "s", user="wei")
    cli("project", "review", "WEB", "--pass", "--report", "r", user="mona")
    assert cli("project", "archive", "WEB", user="wei").exit_code == 0
    for args in (("project", "cancel", "WEB"), ("project", "member", "add", "WEB", "sam"),
                 ("task", "add", "more", "-p", "WEB"), ("task", "reopen", "1"), ("task", "edit", "1", "--title", "t")):
        assert "archived and read-only" in _one_line_error(cli(*args), 5)
    listed = cli("project", "list")
    assert "WEB" not in listed.stdout and "1 archived project(s) not shown" in listed.stdout
    assert "WEB" in cli("project", "list", "--all").stdout


def test_list_and_member_add(web, people) -> None:  # type: ignore[no-untyped-def]
    cli = web
    cli("project", "new", "DEV", "--name", "Dev tools", user="sam")
    added = cli("project", "member", "add", "dev", "na", "--role", "reviewer", "-f", "json", user="sam")
    assert added.json() == added.json() | {"project": "DEV", "login": "na", "role": "reviewer"}
    assert [p["code"] for p in cli("project", "list", "--mine", "-f", "json", user="na").json()] == ["DEV"]
    assert [p["code"] for p in cli("project", "list", "--status", "proposed", "-f", "json").json()] == ["DEV"]
    table = cli("project", "list").stdout
    assert table.index("WEB") < table.index("DEV")  # active before proposed
    assert "statuses:" in _one_line_error(cli("project", "list", "--status", "open"), 1)
