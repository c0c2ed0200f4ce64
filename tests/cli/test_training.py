"""Training through the command line: the whole flow, every refusal with its exit code
and one line, the JSON contract, the workbook and the `today` section."""

from __future__ import annotations

from pathlib import Path

import pytest

from opsctl.clock import FixedClock
from tests.conftest import Cli, People


@pytest.fixture
def planned(cli: Cli, people: People) -> dict[str, int]:
    """Plan item 1 (Q1 drill, 3h, trainer leo), its session 1 on 2026-03-10 with wei, na and sam."""
    plan = cli("training", "plan", "add", "Incident drill", "--year", "2026", "--category", "skills",
               "--quarter", "Q1", "--hours", "3h", "--trainer", "leo", "-f", "json", user="mona")
    assert plan.exit_code == 0, plan.error
    session = cli("training", "session", "add", str(plan.json()["id"]), "--on", "2026-03-10",
                  "--location", "Room 2", "-f", "json", user="mona")
    assert session.exit_code == 0, session.error
    enrolled = cli("training", "enroll", str(session.json()["id"]), "wei", "na,sam", user="leo")
    assert enrolled.exit_code == 0, enrolled.error
    return {"plan": plan.json()["id"], "session": session.json()["id"]}


def test_plan_session_attendance_results_and_the_record(cli: Cli, planned: dict[str, int]) -> None:
    sid = str(planned["session"])
    plans = cli("training", "plan", "list", "--year", "2026", "-f", "json").json()
    assert plans[0] | {"title": "Incident drill", "quarter": "Q1", "hours": 3.0, "trainer": "leo",
                       "category": "skills", "method": "internal", "held": 1, "status": "held"} == plans[0]
    attended = cli("training", "attend", sid, "--present", "wei,sam", "--absent", "na", "-f", "json", user="leo")
    assert attended.exit_code == 0, attended.error
    assert {r["login"]: r["attendance"] for r in attended.json()["roster"]} == {
        "na": "absent", "sam": "present", "wei": "present"}
    failed = cli("training", "result", sid, "wei", "--score", "48", "--method", "practical", "-f", "json", user="leo")
    assert failed.exit_code == 0, failed.error
    assert failed.json() | {"login": "wei", "attempt": 1, "score": 48.0, "passed": False, "result": "failed",
                            "pass_mark": 60.0, "method": "practical"} == failed.json()
    retake = cli("training", "retake", sid, "wei", "--on", "2026-03-17", "-f", "json", user="leo").json()
    assert (retake["attempt"], retake["retake_of"], retake["result"]) == (2, failed.json()["id"], "retake scheduled")
    passed = cli("training", "result", sid, "wei", "--score", "81", "-f", "json", user="hana").json()
    assert (passed["id"], passed["attempt"], passed["passed"]) == (retake["id"], 2, True)
    corrected = cli("training", "result", sid, "wei", "--score", "86", "--correct", "--reason", "re-marked",
                    "-f", "json", user="leo").json()
    assert (corrected["id"], corrected["score"], corrected["passed"]) == (retake["id"], 86.0, True)
    record = cli("training", "record", "-f", "json", user="wei").json()
    assert (record["login"], record["hours"], record["passed"], record["to_retake"]) == ("wei", 3.0, 1, 0)
    assert [(a["attempt"], a["score"], a["result"]) for a in record["attempts"]] == [
        (1, 48.0, "failed"), (2, 86.0, "passed")]
    assert cli("training", "record", "na", "-f", "json", user="mona").json()["hours"] == 0  # absent: no hours
    table = cli("training", "record", "wei", user="mona").stdout
    assert "1: 48 failed · 2: 86 passed" in table and "Hours attended" in table
    # results and attendance of others are in the audit log; the trainer is named
    entries = cli("audit", "list", "--action", "training.", "-f", "json").json()
    assert {(e["action"], e["actor"], e["login"]) for e in entries} >= {
        ("training.result", "leo", "wei"), ("training.retake", "leo", "wei"), ("training.attend", "leo", "na"),
        ("training.correct", "leo", "wei")}


@pytest.mark.parametrize(
    ("args", "user", "code", "words"),
    [
        (("training", "result", "1", "hana", "--score", "70"), "leo", 1, "not enrolled"),
        (("training", "result", "1", "wei", "--score", "101"), "leo", 1, "0 to 100"),
        (("training", "result", "1", "wei", "--score", "-5"), "leo", 1, "0 to 100"),
        (("training", "result", "1", "wei", "--score", "seventy"), "leo", 1, "0 to 100"),
        (("training", "result", "1", "na", "--score", "70"), "wei", 4, "only the session's trainer"),
        (("training", "result", "9", "wei", "--score", "70"), "leo", 3, "no training session #9"),
        (("training", "result", "1", "wei", "--score", "70", "--reason", "typo"), "leo", 1, "goes with --correct"),
        (("training", "result", "1", "wei", "--score", "70", "--correct"), "leo", 1, "needs --reason"),
        (("training", "result", "1", "wei", "--score", "70", "--reason", "x"), "leo", 1, "goes with --correct"),
        (("training", "result", "1", "wei", "--score", "70", "--correct", "--reason", "typo"), "leo", 3,
         "no score for session #1 to correct"),
        (("training", "session", "add", "42", "--on", "2026-03-20"), "mona", 3, "no training plan item #42"),
        (("training", "session", "add", "1", "--on", "2026-02-30"), "mona", 1, "2026-02-30"),
        (("training", "plan", "add", "X", "--category", "cooking"), "mona", 1, "knowledge, skills, management"),
        (("training", "plan", "add", "X", "--audience", "team:Nowhere"), "mona", 3, "unknown team"),
        (("training", "plan", "add", "X", "--hours", "lots"), "mona", 1, "not a duration"),
        (("training", "plan", "add", "X"), "wei", 4, "only leads, managers, HR or an admin"),
        (("training", "plan", "add", "Incident drill", "--year", "2026"), "mona", 5, "already has"),
        (("training", "cert", "add", "wei", "CCNA", "--issued", "2026-03-01", "--expires", "2026-02-01"),
         "hana", 1, "before the issue date"),
        (("training", "cert", "add", "wei", "CCNA", "--issued", "2026-03-01"), "na", 4, "may not"),
        (("training", "attend", "1", "--present", "hana"), "leo", 1, "not enrolled"),
        (("training", "attend", "1", "--present", "wei", "--absent", "wei"), "leo", 1, "both present and absent"),
        (("training", "record", "wei"), "na", 4, "may not"),
        (("training", "report", "--year", "2026"), "wei", 4, "only leads"),
        (("training", "enroll", "1", "ghost"), "leo", 3, "ghost"),
        (("training", "enroll", "1", "wei"), "leo", 5, "already enrolled"),
        (("training", "cert", "expiring", "--within", "-1"), "hana", 1, "negative"),
    ],
)
def test_bad_input_gets_one_line_and_its_exit_code(
    cli: Cli, planned: dict[str, int], args: tuple[str, ...], user: str, code: int, words: str
) -> None:
    result = cli(*args, user=user)
    assert result.exit_code == code, (result.exit_code, result.error)
    assert result.error.startswith("Error: ") and "\n" not in result.error and words in result.error
    assert result.stdout == ""


def test_retaking_a_passed_attempt_is_a_conflict_and_writes_nothing(cli: Cli, planned: dict[str, int]) -> None:
    sid = str(planned["session"])
    cli("training", "result", sid, "sam", "--score", "75", user="leo")
    again = cli("training", "retake", sid, "sam", "--on", "2026-03-18", user="leo")
    assert again.exit_code == 5 and "only a failed attempt can be retaken" in again.error
    twice = cli("training", "result", sid, "sam", "--score", "90", user="leo")
    assert twice.exit_code == 5 and "already passed" in twice.error
    attempts = cli("training", "record", "sam", "-f", "json", user="mona").json()["attempts"]
    assert [(a["attempt"], a["score"]) for a in attempts] == [(1, 75.0)]


def test_sessions_in_the_future_are_not_held_yet(cli: Cli, planned: dict[str, int]) -> None:
    later = cli("training", "session", "add", str(planned["plan"]), "--on", "+1w", "--hours", "90m", "-f", "json",
                user="mona").json()
    assert (later["day"], later["hours"], later["held"]) == ("2026-03-25", 1.5, False)
    cli("training", "enroll", str(later["id"]), "wei", user="mona")
    early = cli("training", "attend", str(later["id"]), "--present", "wei", user="mona")
    assert early.exit_code == 1 and "after today" in early.error
    mine = cli("training", "session", "list", "--mine", "--upcoming", "-f", "json", user="wei").json()
    assert [s["id"] for s in mine] == [later["id"]]


def test_the_trainer_by_login_may_record_but_a_member_may_not(cli: Cli, planned: dict[str, int]) -> None:
    own = cli("training", "session", "add", str(planned["plan"]), "--on", "2026-03-11", "--trainer", "wei", "-f",
              "json", user="mona").json()
    assert cli("training", "enroll", str(own["id"]), "na", user="wei").exit_code == 0
    assert cli("training", "result", str(own["id"]), "na", "--score", "66", user="wei").exit_code == 0
    refused = cli("training", "result", str(planned["session"]), "na", "--score", "66", user="wei")
    assert refused.exit_code == 4


def test_the_year_report_and_its_workbook(cli: Cli, planned: dict[str, int], tmp_path: Path, people: People) -> None:
    from openpyxl import load_workbook

    sid = str(planned["session"])
    assert cli("people", "add", "ouyang", "--name", "欧阳" * 6, "--team", "Ops").exit_code == 0
    cli("training", "plan", "add", "=HYPERLINK(\"http://evil\")", "--year", "2026", "--quarter", "Q2",
        "--category", "management", "--hours", "4", user="mona")
    cli("training", "attend", sid, "--present", "wei,na,sam", user="leo")
    cli("training", "result", sid, "wei", "--score", "90", user="leo")
    cli("training", "result", sid, "na", "--score", "30", user="leo")
    path = tmp_path / "training.xlsx"
    shown = cli("training", "report", "--year", "2026", "--xlsx", str(path), "-f", "json", user="mona")
    assert shown.exit_code == 0, shown.error
    report = shown.json()
    assert (report["planned"], report["held"], report["assessed"], report["passed"]) == (2, 1, 2, 1)
    assert [r["login"] for r in report["retakes"]] == ["na"]
    assert all("id" in row and "login" in row for row in report["people"] + report["retakes"])
    book = load_workbook(path)
    assert book.sheetnames == ["Summary", "Execution", "Courses", "People", "Retakes"]
    courses = book["Courses"]
    headers = [c.value for c in courses[4]]
    assert headers[:3] == ["#", "Quarter", "Course"] and courses.freeze_panes == "A5"
    evil = next(c for c in courses["C"] if c.value and str(c.value).startswith("="))
    assert evil.data_type == "s" and evil.value == "=HYPERLINK(\"http://evil\")"
    people_sheet = book["People"]
    rows = {r[0].value: r for r in people_sheet.iter_rows(min_row=5)}
    assert rows["wei"][1].value == "张伟"
    assert rows["wei"][6].value == 3 and isinstance(rows["wei"][6].value, int | float)
    # a CJK character takes two columns: a 12-character name needs at least 24
    assert rows["ouyang"][1].value == "欧阳" * 6
    assert people_sheet.column_dimensions["B"].width >= 24
    execution = book["Execution"]
    total = next(r for r in execution.iter_rows(min_row=5, values_only=True) if r[0] == "Total")
    assert total[2:4] == (2, 1) and total[-1] == 0.5  # a number, shown as a percentage
    table = cli("training", "report", user="mona").stdout
    assert "Plan execution by quarter and category" in table and "Still to retake" in table and "50%" in table


def test_a_bad_workbook_path_writes_nothing(cli: Cli, planned: dict[str, int], tmp_path: Path) -> None:
    missing = cli("training", "report", "--xlsx", str(tmp_path / "nope" / "r.xlsx"), user="mona")
    assert missing.exit_code == 1 and "does not exist" in missing.error
    wrong = cli("training", "report", "--xlsx", str(tmp_path / "r.csv"), user="mona")
    assert wrong.exit_code == 1 and ".xlsx" in wrong.error
    assert list(tmp_path.glob("*.xlsx")) == [] and list(tmp_path.glob(".training-*")) == []
    hr_file = tmp_path / "attendance-2026-05.xlsx"
    hr_file.write_text("HR's workbook")
    kept = cli("training", "report", "--xlsx", str(hr_file), user="mona")
    assert kept.exit_code == 5 and "--force" in kept.error and hr_file.read_text() == "HR's workbook"
    assert cli("training", "report", "--xlsx", str(hr_file), "--force", user="mona").exit_code == 0


def test_certificates_expiring_and_today(cli: Cli, planned: dict[str, int], clock: FixedClock) -> None:
    added = cli("training", "cert", "add", "wei", "CCNA", "--issued", "2024-04-01", "--expires", "2026-04-01",
                "-f", "json", user="hana")
    assert added.exit_code == 0, added.error
    assert added.json() | {"login": "wei", "certificate": "CCNA", "days_left": 14} == added.json()
    cli("training", "cert", "add", "sam", "PMP", "--issued", "2025-01-01", "--expires", "2026-08-01", user="hana")
    soon = cli("training", "cert", "expiring", "-f", "json", user="mona").json()
    assert [(c["login"], c["status"]) for c in soon] == [("wei", "expires in 14 days")]
    wide = cli("training", "cert", "expiring", "--within", "200", "-f", "json", user="mona").json()
    assert [c["login"] for c in wide] == ["wei", "sam"]
    assert cli("training", "cert", "expiring", "-f", "json", user="sam").json() == []
    later = cli("training", "session", "add", str(planned["plan"]), "--on", "2026-03-20", "-f", "json",
                user="mona").json()
    cli("training", "enroll", str(later["id"]), "wei", user="wei")  # enrolling oneself
    today = cli("today", "-f", "json", user="wei").json()
    assert [(r["kind"], r["day"]) for r in today["training"]] == [("session", "2026-03-20"),
                                                                  ("certificate", "2026-04-01")]
    assert "training" not in cli("today", "-f", "json", user="hana").json()
