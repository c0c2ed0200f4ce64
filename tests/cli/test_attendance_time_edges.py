"""Attendance at the edges of time: the night the clocks go back (an hour shown twice), the
night they go forward (an hour that does not exist), and days imported without punch kinds."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from opsctl.clock import FixedClock
from tests.conftest import Cli, MakeFile, People, one_line_error

# 2026 in New York: the clocks go forward 02:00 → 03:00 on Sun 03-08 and back 02:00 → 01:00 on Sun 11-01.
SPRING_GAP = "2026-03-08 02:30"


@pytest.fixture
def new_york(cli: Cli, people: People) -> None:
    assert cli("config", "set", "timezone", "America/New_York").exit_code == 0


def _day(cli: Cli, login: str, month: str, day: int) -> dict[str, Any]:
    return cli("attend", "month", month, "--person", login, "-f", "json", user=login).json()["days"][day - 1]


def test_clocking_in_and_out_across_the_repeated_hour(cli: Cli, clock: FixedClock, new_york: None) -> None:
    clock.set(datetime(2026, 11, 1, 5, 40, tzinfo=UTC))  # 01:40 EDT
    assert cli("attend", "in", user="wei").exit_code == 0
    clock.set(datetime(2026, 11, 1, 6, 20, tzinfo=UTC))  # 01:20 EST, 40 minutes later
    out = cli("attend", "out", user="wei")
    assert out.exit_code == 0, out.error
    assert "Clocked out: 张伟 (wei) at 01:20 on Sun 2026-11-01" in out.stdout
    day = _day(cli, "wei", "2026-11", 1)
    assert (day["first"], day["last"]) == ("2026-11-01T01:40:00-04:00", "2026-11-01T01:20:00-05:00")
    assert (day["punches"], day["work_hours"], day["status"]) == (2, round(40 / 60, 2), "rest-work")


def test_an_imported_time_the_clocks_skip_is_refused_with_its_line(
    cli: Cli, make_file: MakeFile, new_york: None
) -> None:
    text = f"login,time\nwei,2026-03-06 09:00\nwei,{SPRING_GAP}\nwei,2026-03-08T02:30:00-04:00\n"
    error = one_line_error(cli("attend", "import", str(make_file("punches.csv", text)), user="hana"), 1)
    assert f"line 3: {SPRING_GAP} does not exist in America/New_York" in error
    assert "line 2" not in error and "line 4" not in error  # an offset says which instant: fine
    assert "nothing was imported" in error
    assert cli("attend", "log", "wei", "--from", "2026-03-01", "-f", "json", user="hana").json() == []
    zkteco = make_file("1_attlog.dat", "7\t2026-03-08 02:30:00\t1\t0\t1\t0\n")
    cli("people", "edit", "wei", "--badge", "7")
    assert "line 1: 2026-03-08 02:30 does not exist" in one_line_error(
        cli("attend", "import", str(zkteco), user="hana"), 1)


def test_an_imported_time_shown_twice_is_the_first_unless_an_offset_says(
    cli: Cli, clock: FixedClock, make_file: MakeFile, new_york: None
) -> None:
    clock.set(datetime(2026, 11, 2, 15, 0, tzinfo=UTC))
    text = "login,time\nwei,2026-11-01 01:20\nwei,2026-11-01T01:20:00-05:00\n"
    done = cli("attend", "import", str(make_file("punches.csv", text)), "-f", "json", user="hana")
    assert done.exit_code == 0 and done.json()["new"] == 2, done.error
    log = cli("attend", "log", "wei", "--from", "2026-10-31", "--to", "2026-11-01", "-f", "json", user="hana").json()
    assert [p["at"] for p in log] == ["2026-11-01T01:20:00-04:00", "2026-11-01T01:20:00-05:00"]


def test_a_correction_at_a_time_the_clocks_skip_says_it_does_not_exist(cli: Cli, new_york: None) -> None:
    error = one_line_error(cli("attend", "fix", "2026-03-08", "--in", "02:30", "--out", "03:10", "--reason", "x",
                               user="wei"), 1)
    assert error.startswith(f"Error: --in {SPRING_GAP} does not exist in America/New_York")
    assert "not after" not in error
    error = one_line_error(cli("attend", "fix", "2026-03-08", "--out", "02:59", "--reason", "x", user="wei"), 1)
    assert "--out 2026-03-08 02:59 does not exist" in error
    assert cli("attend", "requests", "-f", "json", user="wei").json() == []


def test_a_correction_in_the_repeated_hour_puts_the_out_after_the_in(
    cli: Cli, clock: FixedClock, new_york: None
) -> None:
    # Saturday's long evening: its small hours until 01:30 belong to it, and on this night 01:00–01:59 comes twice.
    clock.set(datetime(2026, 11, 2, 15, 0, tzinfo=UTC))
    asked = cli("attend", "fix", "2026-10-31", "--in", "01:25", "--out", "01:10", "--reason", "server move", "-f",
                "json", user="wei")
    assert asked.exit_code == 0, asked.error
    assert cli("attend", "approve", str(asked.json()["id"]), user="mona").exit_code == 0
    day = _day(cli, "wei", "2026-10", 31)
    assert (day["first"], day["last"]) == ("2026-11-01T01:25:00-04:00", "2026-11-01T01:10:00-05:00")
    assert day["work_hours"] == 0.75


def test_attend_out_after_a_day_imported_without_kinds(
    cli: Cli, clock: FixedClock, make_file: MakeFile, people: People
) -> None:
    # Rule 2 for punches without a kind: the day's first is the clock-in, the last the clock-out.
    text = "login,time\nwei,2026-03-17 09:00\nwei,2026-03-17 18:00\nna,2026-03-18 09:00\nna,2026-03-18 12:10\n" \
           "na,2026-03-18 18:00\nsam,2026-03-18 08:55\n"
    clock.set(datetime(2026, 3, 18, 10, 30, tzinfo=UTC))  # 18:30 in Shanghai
    assert cli("attend", "import", str(make_file("punches.csv", text)), user="hana").exit_code == 0
    yesterday = one_line_error(cli("attend", "out", user="wei"), 5)
    assert "you have not clocked in today" in yesterday and "without a clock-out" not in yesterday
    closed = one_line_error(cli("attend", "out", user="na"), 5)
    assert "you are not clocked in: you clocked out at 18:00 today" in closed
    status = cli("attend", "status", "-f", "json", user="na").json()
    assert (status["state"], status["punches"]) == ("out", ["09:00 in", "12:10 out", "18:00 out"])
    assert cli("attend", "in", user="na").exit_code == 0  # back in the evening: a clock-in, then out again
    clock.advance(minutes=30)
    assert cli("attend", "out", user="na").exit_code == 0
    assert cli("attend", "out", user="sam").exit_code == 0  # one kind-less punch this morning: clocked in
