"""`opsctl leave` as a person meets it: exit codes, one-line errors, JSON, and leave where
attendance shows it (`attend month`, `attend day`, `today`).

The test team: mona manages leo, wei, na and sam; hana is HR; ada the admin. Now is
Wednesday 2026-03-18 09:30 in Shanghai.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from opsctl.clock import FixedClock
from tests.conftest import Cli, CliResult, People, one_line_error

CALENDAR = Path(__file__).resolve().parents[2] / "sample_data" / "calendars" / "cn-2026.csv"


def ok(result: CliResult) -> Any:
    """The parsed JSON a successful command printed, or the result itself when it printed text."""
    assert result.exit_code == 0, (result.stdout, result.stderr)
    return result.json() if result.stdout.lstrip().startswith(("{", "[")) else result


def ask(cli: Cli, code: str, start: str, *more: str, user: str = "wei") -> CliResult:
    return cli("leave", "request", code, "--from", start, *more, "--reason", "family matters", "-f", "json",
               user=user)


def test_types_and_the_defaults_of_init(cli: Cli, people: People) -> None:
    types = {t["code"]: t for t in ok(cli("leave", "types", "-f", "json", user="wei"))}
    assert list(types) == ["annual", "sick", "personal", "marriage", "maternity", "bereavement", "comp"]
    assert types["annual"] | {"id": 0, "name": ""} == {
        "id": 0, "code": "annual", "name": "", "paid": True, "quota": 5.0, "min_notice": 3, "allow_retro": False,
        "levels": 1, "include_holidays": False, "carry_over": 0.0}
    added = ok(cli("leave", "type", "add", "study", "--name", "Study leave", "--unpaid", "--quota", "3",
                   "--levels", "2", "--carry-over", "1", "-f", "json", user="hana"))
    assert (added["paid"], added["quota"], added["levels"], added["carry_over"]) == (False, 3.0, 2, 1.0)
    assert "already exists" in one_line_error(cli("leave", "type", "add", "study", "--name", "X", user="hana"), 5)
    assert "only hr or admin" in one_line_error(cli("leave", "type", "add", "x", "--name", "X", user="mona"), 4)
    edited = ok(cli("leave", "type", "edit", "annual", "--carry-over", "5", "--min-notice", "7", "-f", "json",
                    user="ada"))
    assert (edited["carry_over"], edited["min_notice"]) == (5.0, 7)
    assert "--quota takes a number" in one_line_error(cli("leave", "type", "edit", "sick", "--quota", "lots"), 1)


def test_request_approve_and_the_balance(cli: Cli, people: People) -> None:
    made = ok(ask(cli, "annual", "2026-03-23:pm", "--to", "2026-03-25:am"))
    assert (made["login"], made["type"], made["from"], made["from_half"], made["to"], made["to_half"]) == (
        "wei", "annual", "2026-03-23", "pm", "2026-03-25", "am")
    assert (made["days"], made["status"], made["waiting_for"], made["when"]) == (
        2.0, "pending", "mona", "2026-03-23 pm – 2026-03-25 am")
    quiet = ask(cli, "sick", "2026-03-26")
    assert quiet.exit_code == 0 and quiet.stderr == ""  # JSON is for scripts: no message for people
    table = cli("leave", "request", "personal", "--from", "2026-03-27", "--reason", "r", user="wei")
    assert "waits for mona" in table.stderr and "Leave #3 of 张伟 (wei): personal, 2026-03-27 — pending" in table.stdout
    approved = ok(cli("leave", "approve", str(made["id"]), "--comment", "have fun", "-f", "json", user="mona"))
    assert (approved["status"], approved["approved_by"], approved["comment"]) == ("approved", "mona", "have fun")
    balance = {b["code"]: b for b in ok(cli("leave", "balance", "-f", "json", user="wei"))}
    assert balance["annual"] == {"login": "wei", "year": 2026, "code": "annual", "name": "Annual leave / 年假",
                                 "paid": True, "quota": 5.0, "allocated": 5.0, "carried": 0.0, "used": 2.0,
                                 "pending": 0.0, "remaining": 3.0, "available": 3.0}
    assert balance["sick"]["pending"] == 1.0 and balance["sick"]["remaining"] is None
    ledger = ok(cli("leave", "balance", "wei", "--ledger", "-f", "json", user="mona"))
    assert [(e["type"], e["kind"], e["days"], e["request_id"]) for e in ledger] == [
        ("annual", "leave", -2.0, made["id"])]
    assert "may not see wei's leave" in one_line_error(cli("leave", "balance", "wei", user="na"), 4)
    audit = ok(cli("audit", "list", "-f", "json", user="ada"))
    assert [(a["action"], a["actor"], a["login"]) for a in audit if a["action"].startswith("leave.")] == [
        ("leave.approve", "mona", "wei")]


def test_every_bad_request_gets_one_line_and_its_exit_code(cli: Cli, people: People) -> None:
    assert "--to 2026-03-23 is before --from 2026-03-24" in one_line_error(
        ask(cli, "annual", "2026-03-24", "--to", "2026-03-23"), 1)
    assert "covers no workday of wei (only rest days" in one_line_error(
        ask(cli, "annual", "2026-03-28", "--to", "2026-03-29"), 1)
    first = ok(ask(cli, "annual", "2026-03-23", "--to", "2026-03-24:am"))
    assert f"already has leave #{first['id']} (annual, 2026-03-23 – 2026-03-24 am, pending)" in one_line_error(
        ask(cli, "sick", "2026-03-24", "--to", "2026-03-25"), 5)
    assert ok(ask(cli, "sick", "2026-03-24:pm"))["days"] == 0.5  # the other half of that day is fine
    assert "not enough annual leave in 2026 for 4 days: wei has 3.5 to take (annual 2026: 5 allocated, 0 used, " \
        "1.5 pending, 5 remaining)" in one_line_error(ask(cli, "annual", "2026-03-30", "--to", "2026-04-02"), 1)
    assert "needs 3 days' notice: it may start on Sat 2026-03-21 at the earliest" in one_line_error(
        ask(cli, "annual", "tomorrow"), 1)
    assert "unknown leave type 'vacation' (types: annual, sick, personal" in one_line_error(
        ask(cli, "vacation", "2026-03-30"), 3)
    assert "not a leave boundary" in one_line_error(ask(cli, "annual", "2026-03-30:noon"), 1)
    assert "not a date" in one_line_error(ask(cli, "annual", "2026-02-30"), 1)
    assert "say why with --reason" in one_line_error(
        cli("leave", "request", "annual", "--from", "2026-03-30", "--reason", " ", user="wei"), 1)
    assert "--reason is 501 characters long; at most 500" in one_line_error(
        cli("leave", "request", "annual", "--from", "2026-03-30", "--reason", "x" * 501, user="wei"), 1)


def test_approval_rules_through_the_command_line(cli: Cli, people: People) -> None:
    request = ok(ask(cli, "marriage", "2026-03-30", "--to", "2026-04-03"))["id"]
    assert "nobody approves their own" in one_line_error(cli("leave", "approve", str(request), user="wei"), 4)
    assert "may not approve wei's" in one_line_error(cli("leave", "approve", str(request), user="na"), 4)
    first = ok(cli("leave", "approve", str(request), "-f", "json", user="mona"))
    assert (first["status"], first["waiting_for"], first["approved_level"]) == ("pending", "HR", 1)
    assert "you already approved" in one_line_error(cli("leave", "approve", str(request), user="mona"), 5)
    pending = ok(cli("leave", "list", "--pending", "-f", "json", user="hana"))
    assert [(r["id"], r["waiting_for"], r["decided_by"]) for r in pending] == [(request, "HR", "mona (level 1)")]
    final = ok(cli("leave", "approve", str(request), "-f", "json", user="hana"))
    assert (final["status"], final["hr_approved_by"], final["days"]) == ("approved", "hana", 5.0)
    assert "already approved (by hana on 2026-03-18)" in one_line_error(
        cli("leave", "approve", str(request), user="hana"), 5)
    assert "no leave request #99" in one_line_error(cli("leave", "approve", "99", user="mona"), 3)
    other = ok(ask(cli, "personal", "2026-03-30", user="na"))["id"]
    rejected = ok(cli("leave", "reject", str(other), "--reason", "release week", "-f", "json", user="mona"))
    assert (rejected["status"], rejected["close_note"], rejected["closed_by"]) == ("rejected", "release week", "mona")
    assert "already rejected" in one_line_error(cli("leave", "reject", str(other), "--reason", "x", user="mona"), 5)
    assert "already rejected" in one_line_error(cli("leave", "cancel", str(other), user="na"), 5)


def test_cancelling(cli: Cli, people: People, clock: FixedClock) -> None:
    request = str(ok(ask(cli, "annual", "2026-03-23", "--to", "2026-03-25"))["id"])
    ok(cli("leave", "approve", request, user="mona"))
    clock.advance(days=6)  # Tuesday 24 March: the leave has begun
    assert "began on 2026-03-23; cancelling it now needs its approver (mona)" in one_line_error(
        cli("leave", "cancel", request, user="wei"), 4)
    cancelled = ok(cli("leave", "cancel", request, "--reason", "came back early", "-f", "json", user="mona"))
    assert (cancelled["status"], cancelled["closed_by"]) == ("cancelled", "mona")
    assert "already cancelled" in one_line_error(cli("leave", "cancel", request, user="mona"), 5)
    annual = next(b for b in ok(cli("leave", "balance", "-f", "json", user="wei")) if b["code"] == "annual")
    assert (annual["used"], annual["remaining"]) == (0.0, 5.0)


def test_allocate_takes_negative_days_and_checks_who(cli: Cli, people: People) -> None:
    given = ok(cli("leave", "allocate", "wei", "comp", "1.5", "--year", "2026", "--reason", "Saturday release",
                   "-f", "json", user="hana"))
    assert (given["code"], given["allocated"], given["remaining"]) == ("comp", 1.5, 1.5)
    back = ok(cli("leave", "allocate", "wei", "comp", "-0.5", "--year", "2026", "-f", "json", user="hana"))
    assert back["remaining"] == 1.0
    assert "only hr or admin may allocate" in one_line_error(
        cli("leave", "allocate", "wei", "comp", "1", user="mona"), 4)
    assert "sick leave keeps no balance" in one_line_error(
        cli("leave", "allocate", "wei", "sick", "1", user="hana"), 1)
    assert "no employee with login 'ghost'" in one_line_error(
        cli("leave", "allocate", "ghost", "comp", "1", user="hana"), 3)
    assert ok(ask(cli, "comp", "2026-03-20"))["days"] == 1.0  # comp needs a day's notice


def test_leave_list_shows_what_the_viewer_may_see(cli: Cli, people: People) -> None:
    wei = ok(ask(cli, "annual", "2026-03-23"))["id"]
    sam = ok(ask(cli, "annual", "2026-04-06", user="sam"))["id"]
    assert [r["id"] for r in ok(cli("leave", "list", "-f", "json", user="wei"))] == [wei]
    assert [r["id"] for r in ok(cli("leave", "list", "-f", "json", user="mona"))] == [sam, wei]  # latest leave first
    assert ok(cli("leave", "list", "-f", "json", user="na")) == []  # a colleague sees nobody else's leave
    assert [r["id"] for r in ok(cli("leave", "list", "--from", "2026-04-01", "-f", "json", user="hana"))] == [sam]
    assert [r["id"] for r in ok(cli("leave", "list", "--person", "sam", "-f", "json", user="hana"))] == [sam]
    assert "may not see sam's leave" in one_line_error(cli("leave", "list", "--person", "sam", user="wei"), 4)
    assert "may not see" in one_line_error(cli("leave", "show", str(sam), user="wei"), 4)
    assert ok(cli("leave", "show", str(wei), "-f", "json", user="wei"))["reason"] == "family matters"
    assert "No leave requests." in cli("leave", "list", "--mine", user="na").stdout


def test_whoever_filed_a_request_still_sees_and_cancels_it_after_a_reorganisation(cli: Cli, people: People) -> None:
    filed = ok(cli("leave", "request", "sick", "--from", "2026-03-30", "--for", "wei", "--reason", "flu",
                   "-f", "json", user="mona"))
    ok(cli("people", "edit", "wei", "--manager", "ada"))  # mona no longer manages wei
    cancelled = ok(cli("leave", "cancel", str(filed["id"]), "-f", "json", user="mona"))
    assert (cancelled["id"], cancelled["status"]) == (filed["id"], "cancelled")  # was an unexpected IndexError


def test_approved_leave_shows_in_the_attendance_month(cli: Cli, people: People, clock: FixedClock) -> None:
    """A finished month: present + absent + leave = workdays, with the 2026 calendar (Spring Festival)."""
    ok(cli("schedule", "add", "Standard", "--start", "09:00", "--end", "18:00", "--break", "12:00-13:00"))
    ok(cli("calendar", "import", str(CALENDAR), user="hana"))
    sick = ok(ask(cli, "sick", "2026-02-10", "--to", "2026-02-11:am"))["id"]  # sick leave: asked afterwards
    half = ok(cli("leave", "request", "annual", "--from", "2026-02-13:pm", "--for", "wei", "--reason", "recorded",
                  "-f", "json", user="hana"))["id"]  # HR records it
    spring = ok(ask(cli, "maternity", "2026-02-12", "--to", "2026-02-27", user="na"))["id"]  # calendar days
    for request in (sick, half, spring):
        ok(cli("leave", "approve", str(request), user="mona"))
    ok(cli("leave", "approve", str(spring), user="hana"))  # maternity leave: HR too
    assert ok(cli("leave", "show", str(spring), "-f", "json", user="na"))["days"] == 16.0
    month = {r["login"]: r for r in ok(cli("attend", "month", "2026-02", "-f", "json", user="hana"))}
    wei, na = month["wei"], month["na"]
    assert (wei["leave_days"], wei["leave_by_type"]) == (2.0, {"sick": 1.5, "annual": 0.5})
    assert wei["workdays"] == 16  # 20 weekdays, less 6 of Spring Festival, plus the make-up Saturdays 14 and 28
    for person in month.values():
        assert person["present_days"] + person["absent_days"] + person["leave_days"] == person["workdays"]
    assert (na["leave_days"], na["leave_by_type"]) == (7.0, {"maternity": 7.0})  # the workdays among the 16
    days = ok(cli("attend", "month", "2026-02", "--person", "wei", "-f", "json", user="wei"))["days"]
    by_date = {d["date"]: d for d in days}
    assert (by_date["2026-02-10"]["status"], by_date["2026-02-10"]["code"], by_date["2026-02-10"]["leave_type"]) == (
        "leave", "V", "sick")
    assert (by_date["2026-02-11"]["status"], by_date["2026-02-11"]["leave"]) == ("half-leave+absent", "am")
    grid = cli("attend", "month", "2026-02", "--person", "wei", user="wei").stdout
    assert "V" in grid and "vA" in grid and "on leave" in grid and "sick leave (full)" in grid
    table = cli("attend", "month", "2026-02", user="hana").stdout
    assert "Leave" in table


def test_today_shows_balance_requests_and_approvals_waiting(cli: Cli, people: People) -> None:
    mine = ok(ask(cli, "annual", "2026-03-23"))["id"]
    ok(cli("attend", "fix", "2026-03-17", "--out", "18:00", "--reason", "forgot", user="wei"))
    wei = ok(cli("today", "-f", "json", user="wei"))["leave"]
    assert wei["balance"] == "annual 4 of 5 left"
    assert [r["id"] for r in wei["requests"]] == [mine] and wei["to_approve"] == []
    mona = ok(cli("today", "-f", "json", user="mona"))["leave"]
    assert [r["id"] for r in mona["to_approve"]] == [mine]
    assert [(c["login"], c["date"]) for c in mona["corrections_to_approve"]] == [("wei", "2026-03-17")]
    text = cli("today", user="mona").stdout
    assert "Leave waiting for your approval" in text and "Punch corrections waiting for your approval" in text
    assert ok(cli("today", "-f", "json", user="leo"))["leave"]["to_approve"] == []  # a lead is not an approver


@pytest.mark.parametrize("args", [["leave", "--help"], ["leave", "request", "--help"], ["leave", "type", "--help"]])
def test_help_is_there(cli: Cli, args: list[str]) -> None:
    result = cli(*args)
    assert result.exit_code == 0 and "Usage" in result.stdout
