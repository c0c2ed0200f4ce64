"""`opsctl attend` as a person meets it: exit codes, one-line errors, JSON, the calendar grid."""

from __future__ import annotations

import re

import pytest

from opsctl.clock import FixedClock
from opsctl.services.attendance.summary import SUMMARY_KEYS
from tests.conftest import Cli, CliResult, MakeFile, People, one_line_error


@pytest.fixture
def schedule(cli: Cli, people: People) -> None:
    made = cli("schedule", "add", "Standard", "--start", "09:00", "--end", "18:00", "--break", "12:00-13:00",
               "--late-grace", "5")
    assert made.exit_code == 0, made.error


def test_clock_in_and_out(cli: Cli, people: People, clock: FixedClock) -> None:
    came = cli("attend", "in", "--note", "early train", "-f", "json", user="wei")
    assert came.exit_code == 0, came.error
    assert came.json() | {"id": 0} == {"id": 0, "login": "wei", "name": "张伟", "work_date": "2026-03-18",
                                       "at": "2026-03-18T09:30:00+08:00", "kind": "in", "source": "clock",
                                       "note": "early train", "correction_id": None}
    twice = cli("attend", "in", user="wei")
    assert "clocked in at 09:30 today" in one_line_error(twice, 5)
    clock.advance(hours=8, minutes=45)
    left = cli("attend", "out", user="wei")
    assert left.exit_code == 0 and "Clocked out: 张伟 (wei) at 18:15 on Wed 2026-03-18" in left.stdout
    again = cli("attend", "out", user="wei")
    assert "you clocked out at 18:15 today" in one_line_error(again, 5)
    assert "have not clocked in today" in one_line_error(cli("attend", "out", user="na"), 5)


def test_status_and_log(cli: Cli, people: People, clock: FixedClock) -> None:
    cli("attend", "in", user="wei")
    status = cli("attend", "status", "-f", "json", user="wei").json()
    assert (status["state"], status["since"], status["punches"]) == ("in", "2026-03-18T09:30:00+08:00", ["09:30 in"])
    assert status["schedule"].startswith("standard (built in), 09:00–18:00")
    assert cli("attend", "status", "wei", "-f", "json", user="mona").json()["login"] == "wei"
    assert "may not see wei's attendance" in one_line_error(cli("attend", "status", "wei", user="na"), 4)
    assert one_line_error(cli("attend", "status", "ghost", user="mona"), 3)
    log = cli("attend", "log", "wei", "--from", "2026-03-01", "--to", "today", "-f", "json", user="hana").json()
    assert [(p["login"], p["kind"], p["source"]) for p in log] == [("wei", "in", "clock")]
    assert cli("attend", "log", "--from", "2026-03-19", "--to", "2026-03-01", user="wei").exit_code == 1
    assert one_line_error(cli("attend", "log", "--from", "2026-02-30", user="wei"), 1)


def _import(cli: Cli, make_file: MakeFile, text: str, *options: str, user: str = "hana") -> CliResult:
    return cli("attend", "import", str(make_file("punches.csv", text)), *options, user=user)


MARCH = "".join(
    f"wei,2026-03-{d:02d} 08:5{d % 10},in\nwei,2026-03-{d:02d} 18:0{d % 10},out\n" for d in (2, 3, 4, 5, 6, 9, 10)
) + "wei,2026-03-11 09:40,in\nwei,2026-03-11 18:00,out\nwei,2026-03-12 08:50,in\nwei,2026-03-14 10:00,in\n" \
    "wei,2026-03-14 15:00,out\n"


def test_import_through_the_command_line(cli: Cli, people: People, make_file: MakeFile) -> None:
    done = _import(cli, make_file, "login,time,kind\n" + MARCH, "-f", "json")
    assert done.exit_code == 0, done.error
    assert {k: done.json()[k] for k in ("new", "duplicate", "rejected", "source")} == {
        "new": 19, "duplicate": 0, "rejected": 0, "source": "csv"}
    again = _import(cli, make_file, "login,time,kind\n" + MARCH)
    assert again.exit_code == 0 and "0 new, 19 already stored, 0 rejected" in again.stderr
    assert "only hr or admin may import punches" in one_line_error(_import(cli, make_file, "login,time\n",
                                                                          user="wei"), 4)
    assert "is empty" in one_line_error(_import(cli, make_file, ""), 1)
    no_header = _import(cli, make_file, "wei,2026-03-02 08:50\n")
    assert "first line must be the header login,time[,kind]" in one_line_error(no_header, 1)
    typo = _import(cli, make_file, "login,time,knd\nwei,2026-03-02 08:50,in\n")  # the kinds were dropped
    assert "unknown column 'knd' in the header row (line 1); did you mean 'kind'?" in one_line_error(typo, 1)
    bad = _import(cli, make_file, "login,time\nwei,2026-03-13 25:00\nghost,2026-03-13 09:00\n")
    error = one_line_error(bad, 1)
    assert "line 2: " in error and "hour 25 does not exist" in error and "line 3: unknown login 'ghost'" in error
    skipped = _import(cli, make_file, "login,time\nwei,2026-03-13 08:59\nghost,2026-03-13 09:00\n", "--skip-bad",
                      "-f", "json")
    assert skipped.json()["rejected_lines"] == [{"line": 3, "problem": "unknown login 'ghost'"}]
    dry = _import(cli, make_file, "login,time\nna,2026-03-13 08:59\n", "--dry-run")
    assert "Would import" in dry.stdout and "dry run: nothing written" in dry.stderr
    assert cli("attend", "log", "na", "-f", "json").json() == []


def test_month_and_day_views(cli: Cli, people: People, make_file: MakeFile, schedule: None) -> None:
    _import(cli, make_file, "login,time,kind\n" + MARCH)
    team = cli("attend", "month", "2026-03", "--team", "Ops", "-f", "json", user="mona").json()
    assert [row["login"] for row in team] == ["leo", "na", "wei"] and all(tuple(r) == SUMMARY_KEYS for r in team)
    wei = team[2]
    assert (wei["workdays"], wei["present_days"], wei["late_count"], wei["late_minutes"], wei["missing_punches"],
            wei["absent_days"], wei["overtime_rest_hours"]) == (22, 9.0, 1, 40, 1, 3.0, 4.0)
    table = cli("attend", "month", "2026-03", user="wei")
    assert "Attendance 2026-03, as of 2026-03-18" in table.stdout  # a month in progress says so
    assert "张伟" in table.stdout and "李娜" not in table.stdout
    assert "Attendance 2026-02\n" in cli("attend", "month", "2026-02", user="wei").stdout  # a finished one: no "as of"
    assert "other people not shown" in table.stderr
    day = cli("attend", "day", "2026-03-11", "-f", "json", user="hana").json()
    assert {r["login"]: r["status"] for r in day}["wei"] == "late" and len(day) == 7
    assert {r["login"]: r["in"] for r in day}["wei"] == "09:40"


def test_one_person_month_is_a_calendar(cli: Cli, people: People, make_file: MakeFile, schedule: None) -> None:
    _import(cli, make_file, "login,time,kind\n" + MARCH)
    grid = cli("attend", "month", "2026-03", "--person", "wei", user="wei")
    assert grid.exit_code == 0, grid.error
    text = grid.stdout
    assert "张伟 (wei) — March 2026, as of 2026-03-18" in text and "\x1b[" not in text  # NO_COLOR is set in tests
    header = next(line for line in text.splitlines() if "Mon" in line)
    assert re.findall(r"[A-Z][a-z]{2}", header) == ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    assert "Workdays 22 · present 9 · absent 3" in text and "missing punches 1" in text
    assert "Wed 03-11  L" in text and "40 min late" in text and "Sat 03-14  R+" in text
    assert "Codes:" in text and "M missing punch" in text
    data = cli("attend", "month", "2026-03", "--person", "wei", "-f", "json", user="wei").json()
    assert data["login"] == "wei" and len(data["days"]) == 31
    assert data["days"][10]["status"] == "late" and data["days"][10]["code"] == "L"
    assert data["days"][10]["first"] == "2026-03-11T09:40:00+08:00"
    assert one_line_error(cli("attend", "month", "2026-13", user="wei"), 1)
    assert "not both" in one_line_error(cli("attend", "month", "--person", "wei", "--team", "Ops", user="wei"), 1)
    cli("config", "set", "week_start", "sunday")
    sunday_first = cli("attend", "month", "2026-03", "--person", "wei", user="wei").stdout
    assert re.findall(r"[A-Z][a-z]{2}", next(ln for ln in sunday_first.splitlines() if "Sun" in ln))[0] == "Sun"


def test_corrections_through_the_command_line(cli: Cli, people: People) -> None:
    asked = cli("attend", "fix", "2026-03-16", "--out", "18:05", "--reason", "forgot", "-f", "json", user="wei")
    assert asked.exit_code == 0, asked.error
    number = str(asked.json()["id"])
    assert asked.json()["status"] == "pending"
    pending = cli("attend", "requests", "--pending", "-f", "json", user="mona").json()
    assert [r["id"] for r in pending] == [int(number)]
    assert "na may not see wei's attendance" in one_line_error(  # was an empty "no requests" table
        cli("attend", "requests", "--person", "wei", user="na"), 4)
    assert "nobody approves their own" in one_line_error(cli("attend", "approve", number, user="wei"), 4)
    approved = cli("attend", "approve", number, "-f", "json", user="mona")
    assert approved.exit_code == 0 and approved.json()["decided_by"] == "mona"
    assert "already approved by mona" in one_line_error(cli("attend", "approve", number, user="hana"), 5)
    assert one_line_error(cli("attend", "approve", "99", user="hana"), 3)
    log = cli("attend", "log", "--from", "2026-03-16", "-f", "json", user="wei").json()
    assert [(p["source"], p["kind"], p["at"]) for p in log] == [("correction", "out", "2026-03-16T18:05:00+08:00")]
    audit = cli("audit", "list", "--action", "attend.approve", "-f", "json").json()
    assert audit[0]["actor"] == "mona" and audit[0]["login"] == "wei"
    assert "in the future" in one_line_error(
        cli("attend", "fix", "2026-03-19", "--in", "09:00", "--reason", "x", user="wei"), 1)
    assert one_line_error(cli("attend", "fix", "2026-03-16", "--in", "25:00", "--reason", "x", user="wei"), 1)
    assert one_line_error(cli("attend", "fix", "2026-02-30", "--in", "09:00", "--reason", "x", user="wei"), 1)
    second = cli("attend", "fix", "2026-03-17", "--in", "09:00", "--reason", "x", "-f", "json", user="wei").json()
    rejected = cli("attend", "reject", str(second["id"]), "--reason", "you were on leave", "-f", "json", user="hana")
    assert rejected.json()["status"] == "rejected" and rejected.json()["decision_note"] == "you were on leave"


def test_the_monthly_limit_through_the_command_line(cli: Cli, people: People) -> None:
    cli("config", "set", "correction_limit", "1")
    assert cli("attend", "fix", "2026-03-02", "--in", "09:00", "--reason", "x", user="wei").exit_code == 0
    over = cli("attend", "fix", "2026-03-03", "--in", "09:00", "--reason", "x", user="wei")
    assert "the monthly limit" in one_line_error(over, 1) and "--override" in over.error
    allowed = cli("attend", "fix", "2026-03-03", "--in", "09:00", "--reason", "x", "--for", "wei", "--override",
                  user="hana")
    assert allowed.exit_code == 0, allowed.error


def test_today_shows_the_punch_state(cli: Cli, people: People) -> None:
    before = cli("today", "-f", "json", user="wei").json()["attendance"]
    assert (before["state"], before["status"]) == ("not in yet", "not clocked in yet")
    cli("attend", "in", user="wei")
    after = cli("today", "-f", "json", user="wei").json()["attendance"]
    assert (after["state"], after["since"]) == ("in", "2026-03-18T09:30:00+08:00")
    assert "clocked in at 09:30 today" in cli("today", user="wei").stdout


def test_a_night_shift_still_running_is_open_not_absent(cli: Cli, people: People, clock: FixedClock) -> None:
    from datetime import UTC, datetime

    assert cli("schedule", "add", "Night", "--start", "22:00", "--end", "06:00", user="hana").exit_code == 0
    clock.set(datetime(2026, 3, 18, 14, 0, tzinfo=UTC))  # Wed 2026-03-18 22:00 Shanghai
    assert cli("attend", "in", user="wei").exit_code == 0
    clock.set(datetime(2026, 3, 18, 19, 0, tzinfo=UTC))  # Thu 03:00: Wednesday's shift still runs
    status = cli("attend", "status", "na", "-f", "json", user="na").json()
    assert (status["work_date"], status["state"]) == ("2026-03-18", "not in yet")
    day = {r["login"]: r["status"] for r in cli("attend", "day", "2026-03-18", "-f", "json", user="hana").json()}
    assert (day["na"], day["wei"]) == ("open", "present")  # neither absent nor a missing punch yet
    month = {r["login"]: r for r in cli("attend", "month", "2026-03", "-f", "json", user="hana").json()}
    assert (month["na"]["absent_days"], month["wei"]["missing_punches"]) == (12.0, 0)  # 03-02..03-17 only
    clock.set(datetime(2026, 3, 19, 7, 0, tzinfo=UTC))  # Thu 15:00: Wednesday's shift is over, a punch is Thursday's
    day = {r["login"]: r["status"] for r in cli("attend", "day", "2026-03-18", "-f", "json", user="hana").json()}
    assert (day["na"], day["wei"]) == ("absent", "missing")
