"""Tasks carry their work (issue 16.2): a description, acceptance criteria and comments,
through the command line."""

from __future__ import annotations

from sqlmodel import Session

from opsctl.clock import FixedClock
from tests.conftest import Cli, People, one_line_error, pk


def test_description_and_criteria_are_kept_shown_and_cleared(cli: Cli, people: People) -> None:
    added = cli("task", "add", "Rotate keys", "--description", "All API keys of the\nbilling service.  ",
                "--criteria", "old keys revoked; no 401 in the logs", "-f", "json", user="wei").json()
    assert added["description"] == "All API keys of the\nbilling service."
    assert added["criteria"] == "old keys revoked; no 401 in the logs"
    shown = cli("task", "show", "1", user="wei")
    assert "Acceptance criteria" in shown.stdout and "old keys revoked" in shown.stdout
    edited = cli("task", "edit", "1", "--criteria", "old keys revoked", "-f", "json", user="wei").json()
    assert edited["criteria"] == "old keys revoked" and edited["description"] == added["description"]
    cleared = cli("task", "edit", "1", "--description", "", "-f", "json", user="wei").json()
    assert cleared["description"] is None
    plain = cli("task", "show", "1", user="wei").stdout
    assert "Description" not in plain  # nothing to say: no empty line for it


def test_someone_elses_description_change_is_audited(cli: Cli, people: People) -> None:
    cli("task", "add", "Patch servers", user="wei")
    assert cli("task", "edit", "1", "--description", "kernel 6.8", user="mona").exit_code == 0  # wei's manager
    entry = cli("audit", "list", "--action", "task.edit", "-f", "json").json()[0]
    assert entry["actor"] == "mona" and "kernel 6.8" in str(entry["details"])


def test_comments_are_signed_timed_and_listed_oldest_first(cli: Cli, people: People) -> None:
    cli("task", "add", "Patch servers", user="wei")
    first = cli("task", "comment", "1", "Which kernel?", "-f", "json", user="na")
    assert first.exit_code == 0, first.error
    assert first.json() == {"id": 1, "task_id": 1, "login": "na", "name": first.json()["name"],
                            "at": "2026-03-18T09:30:00+08:00", "text": "Which kernel?"}
    cli("task", "comment", "1", "6.8, see the change ticket", user="wei")
    shown = cli("task", "show", "1", "-f", "json", user="sam").json()  # any employee sees any task
    assert [(c["login"], c["text"]) for c in shown["comments"]] == [
        ("na", "Which kernel?"), ("wei", "6.8, see the change ticket")]
    table = cli("task", "show", "1", user="sam").stdout
    assert "Comments (2)" in table and "Which kernel?" in table


def test_bad_task_texts_get_one_line_and_write_nothing(cli: Cli, people: People) -> None:
    cli("task", "add", "Patch servers", user="wei")
    assert "at most 4000" in one_line_error(cli("task", "add", "x", "--description", "y" * 4001, user="wei"), 1)
    assert "say something" in one_line_error(cli("task", "comment", "1", "   ", user="wei"), 1)
    assert "at most 4000" in one_line_error(cli("task", "comment", "1", "z" * 4001, user="wei"), 1)
    assert "no task #9" in one_line_error(cli("task", "comment", "9", "hello", user="wei"), 3)
    assert "not an employee" in one_line_error(cli("task", "comment", "1", "hello", user="ghost"), 4)
    assert cli("task", "show", "1", "-f", "json", user="wei").json()["comments"] == []
    assert len(cli("task", "list", "--everyone", "--all", "-f", "json").json()) == 1


def test_an_archived_projects_task_takes_no_comment(cli: Cli, people: People, session: Session,
                                                     clock: FixedClock) -> None:
    from opsctl.models.projects import Project, Task

    now = clock.now()
    project = Project(code="OLD", name="Done and dusted", owner_id=pk(people.leo), status="archived",
                      created_by_id=pk(people.leo), created_at=now, updated_at=now)
    session.add(project)
    session.flush()
    session.add(Task(title="Write it up", project_id=project.id, assignee_id=pk(people.wei),
                     created_by_id=pk(people.leo), created_at=now, updated_at=now))
    session.commit()
    assert "archived and read-only" in one_line_error(cli("task", "comment", "1", "late thought", user="wei"), 5)
