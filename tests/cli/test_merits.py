"""`opsctl merit` as a user meets it: add, approve, revoke, suggest and accept; exact money in
JSON, exit codes and one-line errors for the wrong things, the totals in profile and workbook."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session

from opsctl.clock import FixedClock
from tests.conftest import Cli, People, one_line_error
from tests.followup import closed_month

ADD = ("merit", "add", "wei", "--kind", "reward", "--category", "bonus", "--reason", "Saved the release")


def test_add_approve_and_the_totals(cli: Cli, session: Session, people: People, clock: FixedClock,
                                    tmp_path: Path) -> None:
    from openpyxl import load_workbook

    made = cli(*ADD, "--points", "5", "--amount", "300.10", "-f", "json", user="hana")
    assert made.exit_code == 0, made.stderr
    assert (made.json()["status"], made.json()["amount"], made.json()["levels"]) == ("pending", "300.10", 1)
    penalty = cli("merit", "add", "wei", "--kind", "penalty", "--category", "warning", "--points", "2",
                  "--amount", "0.20", "--reason", "Late twice", "-f", "json", user="mona").json()
    assert cli("merit", "approve", str(made.json()["id"]), user="mona").exit_code == 0
    assert cli("merit", "approve", str(penalty["id"]), user="hana").exit_code == 0
    profile = cli("people", "profile", "wei", "-f", "json", user="mona").json()
    assert (profile["merit_points"], profile["merit_amount"]) == (3, "299.90")
    assert "Rewards and penalties (total: 3 points, amount 299.90)" in cli("people", "profile", "wei",
                                                                            user="wei").stdout
    closed_month(session, people, clock)
    path = tmp_path / "kpi.xlsx"
    assert cli("kpi", "month", "2026-02", "--xlsx", str(path), user="hana").exit_code == 0
    sheet = load_workbook(path)["KPI 2026-02"]
    header = [c.value for c in sheet[4]]
    wei = next(row for row in sheet.iter_rows(min_row=5, values_only=True) if row[1] == "wei")
    assert wei[header.index("Reward/penalty points")] == 3
    assert str(wei[header.index("Reward/penalty amount")]) in ("299.9", "299.90")


def test_two_levels_above_the_setting(cli: Cli, people: People) -> None:
    made = cli(*ADD, "--points", "10", "--amount", "5000", "-f", "json", user="hana").json()
    assert made["levels"] == 2
    first = cli("merit", "approve", str(made["id"]), "-f", "json", user="mona")
    assert first.json()["status"] == "pending" and "second approval" in first.stderr
    one_line_error(cli("merit", "approve", str(made["id"]), user="mona"), 4)
    assert cli("merit", "approve", str(made["id"]), "-f", "json", user="ada").json()["status"] == "approved"
    revoked = cli("merit", "revoke", str(made["id"]), "--reason", "Paid twice", "-f", "json", user="hana").json()
    assert revoked["status"] == "revoked" and revoked["revoke_reason"] == "Paid twice"
    one_line_error(cli("merit", "revoke", str(made["id"]), "--reason", "again", user="hana"), 5)


def test_wrong_merits_get_one_line_and_their_exit_code(cli: Cli, people: People) -> None:
    assert "not a whole number" in one_line_error(cli(*ADD, "--points", "many", user="hana"), 1)
    assert "negative" in one_line_error(cli(*ADD, "--points", "-5", user="hana"), 1)
    assert "negative" in one_line_error(cli(*ADD, "--points", "5", "--amount", "-1", user="hana"), 1)
    assert "not an amount" in one_line_error(cli(*ADD, "--points", "5", "--amount", "1e", user="hana"), 1)
    one_line_error(cli(*ADD, "--points", "5", "--amount", "1.005", user="hana"), 1)
    one_line_error(cli("merit", "add", "wei", "--kind", "gift", "--category", "c", "--points", "1",
                       "--reason", "r", user="hana"), 1)
    assert "their own" in one_line_error(cli(*ADD, "--points", "5", user="wei"), 4)
    one_line_error(cli(*ADD, "--points", "5", user="na"), 4)
    assert cli("people", "deactivate", "sam", "--on", "2026-03-17").exit_code == 0
    assert "left on" in one_line_error(cli("merit", "add", "sam", "--kind", "reward", "--category", "c",
                                           "--points", "1", "--reason", "r", user="hana"), 1)
    made = cli(*ADD, "--points", "5", "-f", "json", user="mona").json()
    assert "proposed by mona" in one_line_error(cli("merit", "approve", str(made["id"]), user="mona"), 4)
    own = cli("merit", "add", "hana", "--kind", "reward", "--category", "c", "--points", "1", "--reason", "r",
              "-f", "json", user="ada").json()
    assert "their own" in one_line_error(cli("merit", "approve", str(own["id"]), user="hana"), 4)
    one_line_error(cli("merit", "show", "999", user="hana"), 3)
    one_line_error(cli("merit", "show", str(made["id"]), user="na"), 4)


def test_suggest_then_accept(cli: Cli, session: Session, people: People, clock: FixedClock) -> None:
    closed_month(session, people, clock)
    lines = cli("merit", "suggest", "--cycle", "2026-02", "-f", "json", user="hana").json()
    ids = {line["id"] for line in lines}
    assert "2026-02:wei:grade_a" in ids and "2026-02:sam:absent" in ids  # nobody punched: absent every workday
    assert cli("merit", "list", "-f", "json", user="hana").json() == []  # suggested, not applied
    accepted = cli("merit", "accept", "2026-02:wei:grade_a", "2026-02:na:absent", "-f", "json", user="hana")
    assert accepted.exit_code == 0, accepted.stderr
    assert [(row["login"], row["points"], row["status"]) for row in accepted.json()] == [
        ("wei", 10, "pending"), ("na", -100, "pending")]
    one_line_error(cli("merit", "accept", "2026-02:wei:grade_a", user="hana"), 5)
    one_line_error(cli("merit", "accept", "2026-02:wei:clean", user="hana"), 3)
    one_line_error(cli("merit", "suggest", "--cycle", "2026-03", user="hana"), 1)
    table = cli("merit", "suggest", "--cycle", "2026-02", user="hana").stdout
    assert "Nothing is applied" in table and "#1" in table


def test_today_lists_what_waits_for_your_approval(cli: Cli, people: People) -> None:
    made = cli(*ADD, "--points", "5", "--amount", "5000", "-f", "json", user="hana").json()
    waiting = cli("today", "-f", "json", user="mona").json()["merits"]
    assert waiting == [{"what": "to approve", "detail": "wei: reward bonus, 5 points",
                        "command": f"opsctl merit approve {made['id']}"}]
    assert "merits" not in cli("today", "-f", "json", user="hana").json()  # she proposed it
    assert "merits" not in cli("today", "-f", "json", user="wei").json()  # their own
    assert cli("merit", "approve", str(made["id"]), user="mona").exit_code == 0
    assert "merits" not in cli("today", "-f", "json", user="mona").json()  # approved once: not again
    assert cli("today", "-f", "json", user="ada").json()["merits"][0]["detail"].endswith("(second approval)")
