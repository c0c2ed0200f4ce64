"""`opsctl meeting` as a user meets it: JSON contracts, exit codes, the editor, files, today, the demo."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest

from opsctl.clock import FixedClock
from tests.conftest import Cli, MakeFile, People

WEEKLY = ("meeting", "new", "Ops weekly", "--at", "2026-03-04 14:00", "--every", "weekly", "--with", "wei,na",
          "--agenda", "Handover", "--agenda", "Certificates", "--location", "Room 3")


@pytest.fixture
def weekly(cli: Cli, people: People) -> Any:
    """leo's weekly, Wednesdays 14:00 from 03-04 (now: Wed 03-18 09:30): 1.1 and 1.2 are past."""
    result = cli(*WEEKLY, "-f", "json", user="leo")
    assert result.exit_code == 0, result.error
    return result.json()


def fake_editor(tmp_path: Path, body: str, *, status: int = 0) -> str:
    """An $EDITOR that keeps a copy of what it was given and appends ``body``."""
    script = tmp_path / "editor.py"
    script.write_text(
        "import shutil, sys\n"
        f"shutil.copy(sys.argv[1], {str(tmp_path / 'seen.md')!r})\n"
        f"open(sys.argv[1], 'a', encoding='utf-8').write({body!r})\n"
        f"sys.exit({status})\n",
        encoding="utf-8",
    )
    return f"{sys.executable} {script}"


def test_schedule_list_and_show_as_json(cli: Cli, weekly: Any) -> None:
    assert weekly["id"] == "1" and weekly["repeats"] == "every week on Wednesday at 14:00"
    assert weekly["rrule"] == "FREQ=WEEKLY" and weekly["agenda"] == ["Handover", "Certificates"]
    assert [p["login"] for p in weekly["people"]] == ["leo", "na", "wei"]
    rows = cli("meeting", "list", "--from", "2026-03-01", "--to", "2026-03-25", "-f", "json", user="wei").json()
    assert [(r["id"], r["start"], r["end"]) for r in rows] == [
        ("1.1", "2026-03-04T14:00:00+08:00", "2026-03-04T15:00:00+08:00"),
        ("1.2", "2026-03-11T14:00:00+08:00", "2026-03-11T15:00:00+08:00"),
        ("1.3", "2026-03-18T14:00:00+08:00", "2026-03-18T15:00:00+08:00"),
        ("1.4", "2026-03-25T14:00:00+08:00", "2026-03-25T15:00:00+08:00"),
    ]
    assert rows[0]["organizer"] == "leo" and rows[0]["location"] == "Room 3"
    upcoming = cli("meeting", "list", "-f", "json", user="wei").json()  # today and the next two weeks
    assert [r["id"] for r in upcoming] == ["1.3", "1.4"]  # 03-18 to 03-31
    shown = cli("meeting", "show", "1.2", "-f", "json", user="na").json()
    assert shown["id"] == "1.2" and shown["start"] == "2026-03-11T14:00:00+08:00" and shown["minutes"] is None
    table = cli("meeting", "show", "1.2", user="na").stdout
    assert "Handover" in table and "none yet; write them with `opsctl meeting minutes 1.2 --edit`" in table


def test_one_occurrence_is_cancelled_or_moved_without_touching_the_rest(cli: Cli, weekly: Any) -> None:
    cancelled = cli("meeting", "cancel", "1.4", "--reason", "holiday", "-f", "json", user="leo")
    assert cancelled.exit_code == 0 and cancelled.json()["status"] == "cancelled"
    moved = cli("meeting", "move", "1.5", "--to", "2026-04-02 10:00", "-f", "json", user="leo").json()
    assert (moved["status"], moved["start"], moved["moved_from"]) == (
        "moved", "2026-04-02T10:00:00+08:00", "2026-04-01T14:00:00+08:00")
    rows = cli("meeting", "list", "--from", "2026-03-25", "--to", "2026-04-08", "-f", "json").json()
    assert [(r["id"], r["status"]) for r in rows] == [("1.4", "cancelled"), ("1.5", "moved"), ("1.6", "scheduled")]
    listing = cli("meeting", "list", "--from", "2026-03-25", "--to", "2026-04-08").stdout
    assert "holiday" in listing and "Moved from" in listing
    ended = cli("meeting", "cancel", "1", "-f", "json", user="leo").json()
    assert ended["last_start"] == "2026-03-11T14:00:00+08:00"
    assert cli("meeting", "list", "--from", "2026-03-19", "--to", "2026-12-31", "-f", "json").json() == []


@pytest.mark.parametrize(("args", "code", "fragment"), [
    (("meeting", "new", "X", "--at", "next tuesday"), 1, "not a date and time: 'next tuesday'"),
    (("meeting", "new", "X", "--at", "2026-03-20 10:00", "--rrule", "FREQ=SOMETIMES"), 1,
     "not a usable recurrence rule"),
    (("meeting", "new", "X", "--at", "2026-03-20 10:00", "--every", "fortnightly"), 1, "weekly, biweekly, monthly"),
    (("meeting", "new", "X", "--at", "2026-03-20 10:00", "--with", "wei,ghost"), 3, "ghost"),
    (("meeting", "new", "X", "--at", "2026-03-20 10:00", "--duration", "0"), 1, "--duration 0"),
    (("meeting", "show", "42"), 3, "no meeting 42"),
    (("meeting", "show", "1.x"), 1, "not a meeting id"),
    (("meeting", "attend", "1.2", "--present", "ghost"), 3, "ghost"),
    (("meeting", "attend", "1.2", "--present", "wei"), 4, "only its organizer"),
    (("meeting", "action", "1.2", "Do it", "--owner", "ghost", "--due", "2026-03-20"), 3, "ghost"),
    (("meeting", "action", "1.2", "Do it", "--owner", "wei", "--due", "someday"), 1, "not a date"),
    (("meeting", "minutes", "1.2", "--edit"), 1, "set EDITOR"),
    (("meeting", "minutes", "1.2", "--file", "/nowhere/notes.md"), 3, "no such file"),
    (("meeting", "minutes", "1.2", "--file", "/"), 1, "/ is a folder; give the file to read"),
    (("meeting", "minutes", "1.2", "--file", "x.md", "--edit"), 1, "either --file or --edit"),
    (("meeting", "export", "1", "--as", "pdf"), 1, "md, ics"),
    (("meeting", "move", "1.3", "--to", "2026-03-19"), 1, "not a date and time"),
])
def test_bad_input_gets_one_line_and_its_exit_code(
    cli: Cli, weekly: Any, args: tuple[str, ...], code: int, fragment: str
) -> None:
    user = "wei" if code == 4 else "leo"
    before = cli("meeting", "list", "--from", "2026-03-01", "--to", "2026-04-30", "-f", "json").stdout
    result = cli(*args, user=user)
    assert result.exit_code == code, result.error
    assert result.error.startswith("Error: ") and "\n" not in result.error and fragment in result.error
    assert cli("meeting", "list", "--from", "2026-03-01", "--to", "2026-04-30", "-f", "json").stdout == before


def test_minutes_for_a_cancelled_meeting_are_a_conflict(cli: Cli, weekly: Any, make_file: MakeFile) -> None:
    cli("meeting", "cancel", "1.2", user="leo")
    notes = make_file("notes.md", "# Notes\n")
    result = cli("meeting", "minutes", "1.2", "--file", str(notes), user="leo")
    assert result.exit_code == 5 and "cancelled" in result.error and "\n" not in result.error


def test_minutes_from_a_file_or_stdin_and_read_back(cli: Cli, weekly: Any, make_file: MakeFile) -> None:
    notes = make_file("notes.md", "# Ops weekly\n\n- 张伟 takes on-call\n")
    saved = cli("meeting", "minutes", "1.1", "--file", str(notes), user="leo")
    assert saved.exit_code == 0 and "Saved the minutes of meeting 1.1 (3 lines)" in saved.error
    assert cli("meeting", "minutes", "1.1", user="wei").stdout == "# Ops weekly\n\n- 张伟 takes on-call\n"
    piped = cli("meeting", "minutes", "1.2", "--file", "-", "-f", "json", user="leo", input="From stdin\n").json()
    assert piped["id"] == "1.2" and piped["minutes"] == "From stdin\n"
    assert piped["start"] == "2026-03-11T14:00:00+08:00" and piped["minutes_at"] == "2026-03-18T09:30:00+08:00"
    assert "no minutes yet" in cli("meeting", "minutes", "1.3", user="wei").error
    assert cli("meeting", "minutes", "1.1", user="sam").exit_code == 4


def test_a_meeting_with_minutes_attendance_or_decisions_reads_as_held(
    cli: Cli, weekly: Any, make_file: MakeFile
) -> None:
    def statuses() -> list[tuple[str, str]]:
        rows = cli("meeting", "list", "--from", "2026-03-01", "--to", "2026-03-25", "-f", "json", user="wei").json()
        return [(r["id"], r["status"]) for r in rows]

    assert statuses() == [("1.1", "scheduled"), ("1.2", "scheduled"), ("1.3", "scheduled"), ("1.4", "scheduled")]
    assert cli("meeting", "minutes", "1.1", "--file", str(make_file("n.md", "notes\n")), user="leo").exit_code == 0
    assert cli("meeting", "attend", "1.2", "--present", "wei", user="leo").exit_code == 0
    assert cli("meeting", "attend", "1.4", "--excused", "na", user="leo").exit_code == 0  # ahead: not held
    assert statuses() == [("1.1", "held"), ("1.2", "held"), ("1.3", "scheduled"), ("1.4", "scheduled")]
    assert cli("meeting", "show", "1.4", "-f", "json", user="wei").json()["status"] == "scheduled"
    assert cli("meeting", "show", "1.1", "-f", "json", user="wei").json()["status"] == "held"
    assert "held" in cli("meeting", "show", "1.1", user="wei").stdout
    assert "- **Status:** held" in cli("meeting", "export", "1.1", "--as", "md", user="wei").stdout


def test_edit_opens_a_template_with_agenda_and_attendees(cli: Cli, weekly: Any, tmp_path: Path) -> None:
    cli("meeting", "attend", "1.2", "--present", "leo,wei", "--excused", "na", user="leo")
    editor = fake_editor(tmp_path, "\nWe agreed on a rota.\n")
    result = cli("meeting", "minutes", "1.2", "--edit", user="leo", env={"EDITOR": editor})
    assert result.exit_code == 0, result.error
    seen = (tmp_path / "seen.md").read_text(encoding="utf-8")
    for line in ("# Ops weekly — Wed 2026-03-11 14:00", "- 张伟 (wei): present", "- 李娜 (na): excused",
                 "1. Handover", "2. Certificates"):
        assert line in seen.splitlines()
    minutes = cli("meeting", "minutes", "1.2", user="leo").stdout
    assert minutes.startswith("# Ops weekly — Wed 2026-03-11 14:00") and "We agreed on a rota." in minutes
    # VISUAL wins over EDITOR; editing again starts from the saved minutes
    again = cli("meeting", "minutes", "1.2", "--edit", user="leo",
                env={"VISUAL": fake_editor(tmp_path, "Addendum.\n"), "EDITOR": "false"})
    assert again.exit_code == 0, again.error
    assert (tmp_path / "seen.md").read_text(encoding="utf-8") == minutes


def test_an_editor_that_fails_or_saves_nothing_new_changes_nothing(cli: Cli, weekly: Any, tmp_path: Path) -> None:
    failing = cli("meeting", "minutes", "1.2", "--edit", user="leo",
                  env={"EDITOR": fake_editor(tmp_path, "text", status=3)})
    assert failing.exit_code == 1 and "exited with status 3; nothing was saved" in failing.error
    missing = cli("meeting", "minutes", "1.2", "--edit", user="leo", env={"EDITOR": "no-such-editor-here"})
    assert missing.exit_code == 1 and "cannot run the editor 'no-such-editor-here'" in missing.error
    unchanged = cli("meeting", "minutes", "1.2", "--edit", user="leo", env={"EDITOR": fake_editor(tmp_path, "")})
    assert unchanged.exit_code == 0 and "unchanged; nothing was saved" in unchanged.error
    assert cli("meeting", "show", "1.2", "-f", "json").json()["minutes"] is None
    future = cli("meeting", "minutes", "1.3", "--edit", user="leo", env={"EDITOR": fake_editor(tmp_path, "x")})
    assert future.exit_code == 1 and "once it has started" in future.error


def test_minutes_saved_by_someone_else_while_editing_are_not_overwritten(
    cli: Cli, weekly: Any, tmp_path: Path, make_file: MakeFile
) -> None:
    other = make_file("other.md", "Saved by mona meanwhile\n")
    script = tmp_path / "slow_editor.py"
    script.write_text(
        "import subprocess, sys\n"
        f"subprocess.run([sys.executable, '-m', 'opsctl', '--as', 'mona', 'meeting', 'minutes', '1.2', '--file', "
        f"{str(other)!r}], check=True)\n"
        "open(sys.argv[1], 'a', encoding='utf-8').write('My long notes\\n')\n",
        encoding="utf-8",
    )
    result = cli("meeting", "minutes", "1.2", "--edit", user="leo", env={"EDITOR": f"{sys.executable} {script}"})
    assert result.exit_code == 5 and "mona saved the minutes of meeting 1.2 while you were editing" in result.error
    kept = Path(result.error.split("your text is in ", 1)[1].split(":", 1)[0])
    assert "My long notes" in kept.read_text(encoding="utf-8")
    kept.unlink()
    assert cli("meeting", "minutes", "1.2", user="leo").stdout == "Saved by mona meanwhile\n"


def test_an_action_item_is_a_task_and_is_followed_up(cli: Cli, weekly: Any) -> None:
    cli("meeting", "decide", "1.1", "Renew the certificates this month", user="leo")
    action = cli("meeting", "action", "1.1", "Renew certificates", "--owner", "na", "--due", "2026-03-10",
                 "-f", "json", user="leo")
    assert action.exit_code == 0, action.error
    item = action.json()
    assert (item["login"], item["due"], item["meeting"], item["overdue"]) == ("na", "2026-03-10", "1.1", True)
    cli("meeting", "action", "1.2", "Update runbook", "--owner", "wei", "--due", "fri", user="leo")
    tasks = cli("task", "list", "-f", "json", user="na").json()
    assert [(t["id"], t["title"], t["login"]) for t in tasks if t["login"] == "na"] == [
        (item["id"], "Renew certificates", "na")]
    followup = cli("meeting", "followup", "-f", "json", user="leo").json()
    assert [(f["id"], f["login"], f["due"], f["overdue"], f["meeting"], f["meeting_title"]) for f in followup] == [
        (item["id"], "na", "2026-03-10", True, "1.1", "Ops weekly"),
        (item["id"] + 1, "wei", "2026-03-20", False, "1.2", "Ops weekly"),
    ]
    overdue = cli("meeting", "followup", "--overdue", user="leo").stdout
    assert "Renew certificates" in overdue and "overdue 8d" in overdue and "Update runbook" not in overdue
    cli("task", "done", str(item["id"]), user="na")
    assert [f["login"] for f in cli("meeting", "followup", "-f", "json", user="leo").json()] == ["wei"]
    record = cli("meeting", "export", "1.1", user="wei").stdout
    assert "1. Renew the certificates this month" in record and "| Renew certificates | 李娜 (na) |" in record
    assert "| done |" in record


def test_export_an_invitation_to_a_file(cli: Cli, weekly: Any, tmp_path: Path) -> None:
    cli("meeting", "cancel", "1.4", user="leo")
    target = tmp_path / "weekly.ics"
    result = cli("meeting", "export", "1", "--as", "ics", "-o", str(target), user="wei")
    assert result.exit_code == 0 and result.stdout == "" and str(target) in result.error
    raw = target.read_bytes()
    assert raw.startswith(b"BEGIN:VCALENDAR\r\n") and raw.endswith(b"END:VCALENDAR\r\n")
    event = next(iter(icalendar.Calendar.from_ical(raw).walk("VEVENT")))
    rule, excluded = event["RRULE"], event["EXDATE"]
    assert isinstance(rule, icalendar.vRecur) and isinstance(excluded, icalendar.vDDDLists)
    assert event["SUMMARY"] == "Ops weekly" and rule["FREQ"] == ["WEEKLY"]
    assert len(excluded.dts) == 1


def test_export_to_a_file_refuses_like_attend_export(cli: Cli, weekly: Any, tmp_path: Path) -> None:
    missing = cli("meeting", "export", "1", "--as", "ics", "-o", str(tmp_path / "no" / "x.ics"), user="wei")
    assert missing.exit_code == 1 and missing.error == (
        f"Error: the folder {tmp_path / 'no'} does not exist; create it or choose another -o path")
    out = tmp_path / "out"
    out.mkdir()
    target = out / "weekly.ics"
    target.write_text("mine")
    kept = cli("meeting", "export", "1", "--as", "ics", "-o", str(target), user="wei")
    assert kept.exit_code == 5 and kept.error == (
        f"Error: {target} already exists; add --force to replace it, or choose another -o path")
    assert target.read_text() == "mine"
    folder = cli("meeting", "export", "1", "-o", str(out), user="wei")
    assert folder.exit_code == 1 and f"give a file name such as {out / 'meeting-1.md'}" in folder.error
    replaced = cli("meeting", "export", "1", "--as", "ics", "-o", str(target), "--force", user="wei")
    assert replaced.exit_code == 0, replaced.error
    assert target.read_bytes().startswith(b"BEGIN:VCALENDAR\r\n")
    assert [p.name for p in out.iterdir()] == ["weekly.ics"]  # no temporary file left behind


def test_today_shows_the_meetings_of_the_day(cli: Cli, weekly: Any) -> None:
    data = cli("today", "-f", "json", user="wei").json()
    assert [(m["id"], m["title"], m["start"]) for m in data["meetings"]] == [
        ("1.3", "Ops weekly", "2026-03-18T14:00:00+08:00")]
    assert cli("today", "-f", "json", user="sam").json()["meetings"] == []
    assert "Meetings today" in cli("today", user="wei").stdout


def test_the_demo_has_meetings_and_a_followup_list(cli: Cli, clock: FixedClock, tmp_path: Path) -> None:
    folder = tmp_path / "demo"
    result = cli("demo", "--dir", str(folder))
    assert result.exit_code == 0, result.error
    assert "Open action items from meetings" in result.stdout
    clock.set(datetime(2026, 6, 3, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")))  # the demo's "now"
    db = f"sqlite:///{folder / 'demo.db'}"
    followup = cli("--db", db, "meeting", "followup", "-f", "json", user="ada").json()
    titles = {f["title"]: f for f in followup}
    assert titles["Send the core failover test plan to wangfang"]["meeting"] == "1.2"
    assert titles["Send the core failover test plan to wangfang"]["overdue"] is True
    assert "Write the on-call handover checklist" not in titles  # done on 05-26
    weekly = cli("--db", db, "meeting", "show", "1", "-f", "json", user="liuyang").json()
    assert weekly["title"] == "Operations weekly" and weekly["repeats"].startswith("every week on Wednesday")
    project = cli("--db", db, "meeting", "show", "2", "-f", "json", user="chenjing").json()
    assert project["project"] == "MON-2026" and project["minutes"]
    today = cli("--db", db, "today", "-f", "json", user="zhangwei").json()["meetings"]
    assert [(m["id"], m["start"]) for m in today] == [("1.3", "2026-06-03T14:00:00+08:00")]
