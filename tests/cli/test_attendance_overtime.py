"""`opsctl attend overtime` (issue 16.3): overtime asked for before or after, approved by the
manager chain or HR, never one's own; with `overtime_needs_approval` on, the summaries count
as approved only the worked part of approved requests and show the rest apart."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from opsctl.clock import FixedClock
from tests.conftest import Cli, CliResult, MakeFile, People, one_line_error

# Sat 2026-03-14 (rest day) and Mon 2026-03-16 (workday, 09:00–18:00, break 12:00–13:00); "now" is
# Wed 2026-03-18 09:30.
PUNCHES = """login,time
wei,2026-03-14 10:00
wei,2026-03-14 15:30
wei,2026-03-16 08:58
wei,2026-03-16 21:00
na,2026-03-16 08:55
na,2026-03-16 19:00
"""


@pytest.fixture
def punched(cli: Cli, people: People, make_file: MakeFile) -> None:
    assert cli("attend", "import", str(make_file("punches.csv", PUNCHES)), user="hana").exit_code == 0


def _ask(cli: Cli, day: str, start: str, end: str, *more: str, user: str = "wei") -> CliResult:
    return cli("attend", "overtime", "request", day, "--from", start, "--to", end, "--reason", "release",
               *more, "-f", "json", user=user)


def _wei(cli: Cli, *args: str) -> dict[str, Any]:
    rows = cli("attend", "month", "2026-03", *args, "-f", "json", user="mona").json()
    return next(row for row in rows if row["login"] == "wei")


@pytest.mark.usefixtures("punched")
def test_only_the_worked_part_of_approved_overtime_counts_and_the_rest_shows_apart(cli: Cli) -> None:
    evening = _ask(cli, "2026-03-16", "18:00", "20:00")
    assert evening.exit_code == 0, evening.error
    assert evening.json() | {"status": "pending", "late": True, "hours": 2.0, "worked_hours": 2.0} == evening.json()
    saturday = _ask(cli, "2026-03-14", "09:00", "14:00").json()
    assert saturday["day_kind"] == "rest" and saturday["worked_hours"] == 3.0  # 10:00–14:00 less the break
    before = _wei(cli)
    assert (before["overtime_approved_hours"], before["overtime_unapproved_hours"]) == (0.0, 7.5)
    for request in (evening, saturday):
        rid = str(request.json()["id"] if isinstance(request, CliResult) else request["id"])
        assert cli("attend", "overtime", "approve", rid, user="mona").exit_code == 0
    after = _wei(cli)
    assert after["overtime_hours"] == 7.5  # what was worked beyond the shift is unchanged
    assert (after["overtime_approved_workday_hours"], after["overtime_approved_rest_hours"],
            after["overtime_approved_holiday_hours"]) == (2.0, 3.0, 0.0)
    assert after["overtime_approved_hours"] == 5.0 and after["overtime_unapproved_hours"] == 2.5
    day = cli("attend", "day", "2026-03-16", "-f", "json", user="mona").json()
    wei = next(row for row in day if row["login"] == "wei")
    assert (wei["overtime_approved_hours"], wei["overtime_unapproved_hours"]) == (2.0, 1.0)
    na = next(row for row in day if row["login"] == "na")
    assert (na["overtime_approved_hours"], na["overtime_unapproved_hours"]) == (0.0, 1.0)  # nobody asked
    assert "unapproved" in cli("attend", "month", "2026-03", "--person", "wei", user="wei").stdout


@pytest.mark.usefixtures("punched")
def test_with_approval_off_all_overtime_counts_as_approved(cli: Cli) -> None:
    assert cli("config", "set", "overtime_needs_approval", "off").exit_code == 0
    wei = _wei(cli)
    assert (wei["overtime_approved_hours"], wei["overtime_unapproved_hours"]) == (7.5, 0.0)
    assert wei["overtime_approved_rest_hours"] == 4.5
    assert "expected on or off" in one_line_error(cli("config", "set", "overtime_needs_approval", "maybe"), 1)


@pytest.mark.usefixtures("punched")
def test_rest_day_overtime_credits_comp_leave_and_takes_it_back(cli: Cli) -> None:
    assert cli("config", "set", "overtime_comp_hours", "6").exit_code == 0
    saturday = _ask(cli, "2026-03-14", "09:00", "16:00").json()  # 4.5 h worked: 0.5 day at 6 h a day (half days)
    approved = cli("attend", "overtime", "approve", str(saturday["id"]), "-f", "json", user="mona").json()
    assert approved["comp_days"] == 0.5

    def comp() -> float:
        balances = cli("leave", "balance", "wei", "-f", "json", user="hana").json()
        return float(next(b for b in balances if b["code"] == "comp")["remaining"])

    assert comp() == 0.5
    rejected = cli("attend", "overtime", "reject", str(saturday["id"]), "--reason", "not needed after all",
                   "-f", "json", user="hana").json()
    assert rejected["status"] == "rejected" and rejected["comp_days"] == 0.0 and comp() == 0.0
    evening = _ask(cli, "2026-03-16", "18:00", "21:00").json()  # a workday: no comp leave
    assert cli("attend", "overtime", "approve", str(evening["id"]), "-f", "json", user="mona").json()["comp_days"] == 0
    actions = [e["action"] for e in cli("audit", "list", "--action", "attend.overtime", "-f", "json").json()]
    assert sorted(actions) == ["attend.overtime.approve", "attend.overtime.approve", "attend.overtime.reject"]


def test_approved_in_advance_the_credit_follows_the_work_when_settled(cli: Cli, people: People, clock: FixedClock,
                                                                      make_file: MakeFile) -> None:
    cli("config", "set", "overtime_comp_hours", "3")
    ahead = _ask(cli, "sat", "09:00", "13:00").json()  # Sat 2026-03-21
    assert ahead["late"] is False and ahead["date"] == "2026-03-21"
    assert cli("attend", "overtime", "approve", str(ahead["id"]), "-f", "json", user="mona").json()["comp_days"] == 0
    clock.advance(days=5)  # Mon 2026-03-23
    cli("attend", "import", str(make_file("sat.csv", "login,time\nwei,2026-03-21 09:00\nwei,2026-03-21 13:00\n")),
        user="hana")
    assert "only hr or admin" in one_line_error(cli("attend", "overtime", "settle", "--month", "2026-03",
                                                    user="mona"), 4).lower()
    settled = cli("attend", "overtime", "settle", "--month", "2026-03", user="hana")
    assert settled.exit_code == 0 and f"#{ahead['id']}" in settled.stderr
    listed = cli("attend", "overtime", "list", "-f", "json", user="wei").json()
    assert listed[0]["comp_days"] == 1.0 and listed[0]["worked_hours"] == 3.0  # 09:00–13:00 less the break
    assert "0 overtime request" in cli("attend", "overtime", "settle", "--month", "2026-03", user="hana").stderr


@pytest.mark.usefixtures("punched")
def test_bad_overtime_requests_get_one_line_and_their_exit_code(cli: Cli) -> None:
    assert "overlaps the shift" in one_line_error(_ask(cli, "2026-03-16", "17:00", "19:00"), 1)
    assert "not after --from" in one_line_error(_ask(cli, "2026-03-16", "20:00", "19:00"), 1)
    assert "--from: not a time" in one_line_error(_ask(cli, "2026-03-16", "7pm", "21:00"), 1)
    assert "say why" in one_line_error(cli("attend", "overtime", "request", "2026-03-16", "--from", "18:00", "--to",
                                           "19:00", user="wei"), 1)
    first = _ask(cli, "2026-03-16", "18:00", "20:00").json()
    assert f"overlaps overtime request #{first['id']}" in one_line_error(_ask(cli, "2026-03-16", "19:30", "22:00"), 5)
    assert _ask(cli, "2026-03-16", "20:00", "22:00").exit_code == 0  # right after it: fine
    rid = str(first["id"])
    assert "nobody approves their own" in one_line_error(cli("attend", "overtime", "approve", rid, user="wei"), 4)
    assert "may not approve" in one_line_error(cli("attend", "overtime", "approve", rid, user="leo"), 4)
    assert "may not ask for overtime for wei" in one_line_error(_ask(cli, "2026-03-16", "06:00", "08:00",
                                                                     "--for", "wei", user="na"), 4)
    assert "no overtime request #99" in one_line_error(cli("attend", "overtime", "approve", "99", user="mona"), 3)
    assert cli("attend", "overtime", "approve", rid, user="mona").exit_code == 0
    assert "is approved" in one_line_error(cli("attend", "overtime", "approve", rid, user="hana"), 5)
    assert "has begun" in one_line_error(cli("attend", "overtime", "cancel", rid, user="wei"), 4)
    assert cli("attend", "overtime", "cancel", rid, "-f", "json", user="mona").json()["status"] == "cancelled"
    assert "is cancelled" in one_line_error(cli("attend", "overtime", "cancel", rid, user="mona"), 5)
    mine = cli("attend", "overtime", "list", "-f", "json", user="mona").json()
    assert [(r["login"], r["status"]) for r in mine] == [("wei", "pending"), ("wei", "cancelled")]


def test_who_sees_overtime_requests_follows_attendance(cli: Cli, people: People) -> None:
    assert cli("team", "edit", "Ops", "--lead", "leo").exit_code == 0  # the lead of wei's team sees, not approves
    _ask(cli, "2026-03-16", "18:00", "20:00", user="wei")
    _ask(cli, "2026-03-16", "18:00", "20:00", user="sam")
    seen = {user: [r["login"] for r in cli("attend", "overtime", "list", "-f", "json", user=user).json()]
            for user in ("wei", "na", "leo", "mona", "hana")}
    assert seen == {"wei": ["wei"], "na": [], "leo": ["wei"], "mona": ["sam", "wei"], "hana": ["sam", "wei"]}
    assert "may not see" in one_line_error(cli("attend", "overtime", "list", "--person", "sam", user="leo"), 4)
    pending = cli("attend", "overtime", "list", "--pending", user="mona")
    assert "Pending overtime requests" in pending.stdout


@pytest.mark.usefixtures("punched")
def test_the_hr_workbook_shows_approved_and_unapproved_overtime_apart(cli: Cli, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    saturday = _ask(cli, "2026-03-14", "09:00", "14:00").json()
    cli("attend", "overtime", "approve", str(saturday["id"]), user="mona")
    target = tmp_path / "march.xlsx"
    assert cli("attend", "export", "--month", "2026-03", "-o", str(target), user="hana").exit_code == 0
    sheet = load_workbook(target)["Summary"]
    headers = [cell.value for cell in sheet[4]]
    wei = next(dict(zip(headers, row, strict=True)) for row in sheet.iter_rows(min_row=5, values_only=True)
               if row[0] == "wei")
    assert headers[-4:] == ["Approved OT workdays (h)", "Approved OT rest days (h)", "Approved OT holidays (h)",
                            "Unapproved OT (h)"]
    assert (wei["Approved OT workdays (h)"], wei["Approved OT rest days (h)"], wei["Unapproved OT (h)"]) == (0, 3, 4.5)
    assert wei["Overtime hours"] == 7.5
    cli("config", "set", "overtime_needs_approval", "off")
    assert cli("attend", "export", "--month", "2026-03", "-o", str(target), "--force", user="hana").exit_code == 0
    assert "Unapproved OT (h)" not in [cell.value for cell in load_workbook(target)["Summary"][4]]
