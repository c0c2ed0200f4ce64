"""`opsctl kpi review …` and `kpi plan …` as a user meets them: the short form, exit codes and
one-line errors for the wrong things, JSON, and the Plan column of `kpi month`."""

from __future__ import annotations

from sqlmodel import Session

from opsctl.clock import FixedClock
from tests.conftest import Cli, People, one_line_error
from tests.followup import closed_month

TALK = ("--strengths", "Careful", "--gaps", "Late deliveries", "--goals", "On time")


def test_a_talk_recorded_confirmed_and_listed(cli: Cli, session: Session, people: People, clock: FixedClock) -> None:
    closed_month(session, people, clock)
    made = cli("kpi", "review", "na", "--cycle", "2026-02", *TALK, "--with", "hana", "-f", "json", user="mona")
    assert made.exit_code == 0, made.stderr
    assert made.json()["status"] == "unconfirmed" and made.json()["participants"] == ["hana"]
    assert "kpi review confirm --cycle 2026-02" in made.stderr
    due = cli("kpi", "review", "missing", "--cycle", "2026-02", "-f", "json", user="mona").json()
    assert [row["login"] for row in due] == ["sam", "wei"]
    done = cli("kpi", "review", "confirm", "--cycle", "2026-02", "--disagree", "Supplier's fault", "-f", "json",
               user="na")
    assert done.exit_code == 0 and done.json()["status"] == "disagreed"
    hr = cli("kpi", "review", "list", "--disagreed", "-f", "json", user="hana").json()
    assert [(row["login"], row["disagreement"]) for row in hr] == [("na", "Supplier's fault")]
    assert "Careful" in cli("kpi", "review", "show", "na", "--cycle", "2026-02", user="na").stdout


def test_wrong_talks_get_one_line_and_their_exit_code(cli: Cli, session: Session, people: People,
                                                      clock: FixedClock) -> None:
    closed_month(session, people, clock, close=False)
    assert "no final KPI result" in one_line_error(cli("kpi", "review", "na", "--cycle", "2026-02", *TALK,
                                                       user="mona"), 1)
    closed_month(session, people, clock, "2026-01")
    assert "nobody records their own" in one_line_error(cli("kpi", "review", "na", "--cycle", "2026-01", *TALK,
                                                            user="na"), 4)
    assert cli("kpi", "review", "na", "--cycle", "2026-01", *TALK, user="mona").exit_code == 0
    assert "only na confirms" in one_line_error(cli("kpi", "review", "confirm", "na", "--cycle", "2026-01",
                                                    user="mona"), 4)
    one_line_error(cli("kpi", "review", "na", "--cycle", "2026-01", *TALK, user="hana"), 5)
    one_line_error(cli("kpi", "review", "show", "na", "--cycle", "2026-01", user="wei"), 4)
    one_line_error(cli("kpi", "review", "nobody", "--cycle", "2026-01", *TALK, user="mona"), 3)
    one_line_error(cli("kpi", "review", "confirm", "--cycle", "2026-01", user="wei"), 3)  # wei has no talk
    one_line_error(cli("kpi", "review", "na", "--cycle", "2026-01", *TALK, "--on", "someday", user="hana"), 1)


def test_plans_their_tasks_and_the_plan_column(cli: Cli, session: Session, people: People,
                                               clock: FixedClock) -> None:
    closed_month(session, people, clock)
    month = cli("kpi", "month", "2026-02", "-f", "json", user="hana").json()
    assert {row["login"]: row["plan"] for row in month} == {"wei": None, "na": "missing", "sam": "missing",
                                                            "leo": None}
    table = cli("kpi", "month", "2026-02", user="hana").stdout
    assert "Plan" in table and "2 people graded at or below kpi.plan_grade have no improvement plan" in table
    made = cli("kpi", "plan", "add", "na", "--cycle", "2026-02", "--goal", "Deliver on time", "--due", "+6w",
               "--item", "Weekly plan with leo", "-f", "json", user="mona")
    assert made.exit_code == 0, made.stderr
    plan = made.json()
    assert (plan["grade"], plan["items"], plan["tasks"][0]["login"]) == ("D", 1, "na")
    tasks = cli("task", "list", "-f", "json", user="na").json()
    assert any(task["title"] == f"Plan #{plan['id']}: Weekly plan with leo" for task in tasks)
    again = cli("kpi", "month", "2026-02", "-f", "json", user="hana").json()
    assert {row["login"]: row["plan"] for row in again}["na"] == f"#{plan['id']} open"
    item = cli("kpi", "plan", "item", str(plan["id"]), "Course", "--owner", "leo", "-f", "json", user="hana")
    assert item.exit_code == 0 and item.json()["items"] == 2
    closed = cli("kpi", "plan", "close", str(plan["id"]), "--outcome", "met", "-f", "json", user="mona").json()
    assert (closed["status"], closed["outcome"]) == ("closed", "met")
    assert [row["id"] for row in cli("kpi", "plan", "list", "-f", "json", user="na").json()] == [plan["id"]]
    assert cli("kpi", "plan", "list", "-f", "json", user="wei").json() == []


def test_wrong_plans_get_one_line_and_their_exit_code(cli: Cli, session: Session, people: People,
                                                      clock: FixedClock) -> None:
    closed_month(session, people, clock)
    add = ("kpi", "plan", "add", "na", "--cycle", "2026-02", "--goal", "g")
    one_line_error(cli(*add, "--due", "+6w", user="na"), 4)
    one_line_error(cli(*add, "--due", "2026-03-01", user="mona"), 1)
    one_line_error(cli(*add, "--due", "never", user="mona"), 1)
    assert cli(*add, "--due", "+6w", user="mona").exit_code == 0
    one_line_error(cli(*add, "--due", "+6w", user="hana"), 5)
    one_line_error(cli("kpi", "plan", "close", "1", "--outcome", "perhaps", user="mona"), 1)
    one_line_error(cli("kpi", "plan", "close", "1", "--outcome", "extended", user="mona"), 1)
    one_line_error(cli("kpi", "plan", "show", "99", user="mona"), 3)
    one_line_error(cli("kpi", "plan", "show", "1", user="wei"), 4)


def test_today_shows_talks_to_confirm_and_hold_and_plans_due(cli: Cli, session: Session, people: People,
                                                             clock: FixedClock) -> None:
    closed_month(session, people, clock)
    mona = cli("today", "-f", "json", user="mona").json()
    assert {"what": "talks due", "detail": "4 judged in 2026-02 without an appraisal talk",
            "command": "opsctl kpi review missing --cycle 2026-02"} in mona["kpi_followup"]
    assert "kpi_followup" not in cli("today", "-f", "json", user="wei").json()  # nothing of theirs yet
    assert cli("kpi", "review", "na", "--cycle", "2026-02", *TALK, user="mona").exit_code == 0
    assert cli("kpi", "plan", "add", "na", "--cycle", "2026-02", "--goal", "g", "--due", "+3d", user="mona",
               ).exit_code == 0
    na = {row["what"]: row for row in cli("today", "-f", "json", user="na").json()["kpi_followup"]}
    assert na["talk to confirm"]["command"] == "opsctl kpi review confirm --cycle 2026-02"
    assert na["your plan"]["detail"] == "improvement plan #1 (2026-02) due 2026-03-21"
    mona = {row["what"]: row for row in cli("today", "-f", "json", user="mona").json()["kpi_followup"]}
    assert mona["talks due"]["detail"].startswith("3 judged")
    assert mona["plan due"]["command"] == "opsctl kpi plan show 1"
    assert cli("kpi", "review", "confirm", "--cycle", "2026-02", "--disagree", "No", user="na").exit_code == 0
    hana = {row["what"] for row in cli("today", "-f", "json", user="hana").json()["kpi_followup"]}
    assert {"talks due", "plan due", "disagreements"} <= hana
    assert "talk to confirm" not in {row["what"] for row in cli("today", "-f", "json", user="na").json()[
        "kpi_followup"]}
