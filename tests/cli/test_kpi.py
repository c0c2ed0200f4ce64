"""`opsctl kpi` as a user meets it: exit codes, one-line errors, JSON keys, the workbook."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from opsctl.clock import FixedClock
from tests.conftest import Cli, MakeFile, People

RATED = ("results", "projects", "customer", "skills", "communication", "learning", "problem_solving",
         "responsibility", "teamwork", "initiative")


@pytest.fixture
def quarter(cli: Cli, people: People) -> Any:
    """2026Q1 on the rated-only template: wei complete (two roles), na complete, sam incomplete."""
    assert cli("kpi", "template", "add", "rated", "discipline=0", "initiative=4").exit_code == 0
    assert cli("kpi", "cycle", "open", "2026Q1", "--template", "rated").exit_code == 0
    for login, value in (("wei", 90), ("na", 75)):
        done = cli("kpi", "score", login, "--cycle", "2026Q1", "--role", "supervisor",
                   *(f"{k}={value}" for k in RATED), user="mona")
        assert done.exit_code == 0, done.error
    assert cli("kpi", "score", "wei", "--cycle", "2026Q1", "--role", "self", *(f"{k}=100" for k in RATED),
               user="wei").exit_code == 0
    assert cli("kpi", "score", "sam", "--cycle", "2026Q1", "--role", "supervisor", "results=80",
               user="mona").exit_code == 0
    return cli


def one_line_error(result: Any, code: int, *fragments: str) -> None:
    assert result.exit_code == code, (result.exit_code, result.stderr)
    assert result.error.startswith("Error: ") and "\n" not in result.error, result.error
    for fragment in fragments:
        assert fragment in result.error


def test_quarter_json_has_the_documented_keys(quarter: Any) -> None:
    rows = quarter("kpi", "quarter", "2026Q1", "-f", "json").json()
    assert [row["login"] for row in rows] == ["wei", "na", "leo", "sam"]
    wei = rows[0]
    assert {"login", "name", "final_score", "grade", "rank", "complete", "missing", "results"} <= set(wei)
    # every indicator (60×90 + 10×100)/70 = 91.43; the final is their weighted sum
    assert (wei["final_score"], wei["grade"], wei["rank"], wei["complete"], wei["missing"]) == (
        91.43, "A", 1, True, [])
    assert wei["results"] == 91.43
    assert rows[1]["final_score"] == 75 and rows[1]["grade"] == "C" and rows[1]["rank"] == 2
    assert rows[3]["complete"] is False and rows[3]["rank"] is None and "projects" in rows[3]["missing"]


def test_quarter_table_reads_as_a_ranking(quarter: Any) -> None:
    table = quarter("kpi", "quarter", "2026Q1", user="leo").stdout
    lines = table.splitlines()
    assert lines[0] == "KPI 2026Q1 (2026-01-01 – 2026-03-31)"
    assert "Performance /60" in lines[1] and "Final" in lines[1] and "Grade" in lines[1]
    assert lines[3].split()[:5] == ["1", "wei", "张伟", "Ops", "54.86"]
    assert "sam" not in table  # a lead sees their team
    assert lines[5].split()[:3] == ["leo", "Leo", "Lead"]  # unscored: listed last, unranked
    assert "1 person is incomplete (not ranked)" in table
    mine = quarter("kpi", "quarter", "2026Q1", "-f", "json", user="na").json()
    assert [(r["login"], r["rank"]) for r in mine] == [("na", 2)]


def test_ranks_are_among_the_people_shown_and_say_so(quarter: Any) -> None:
    assert quarter("kpi", "score", "sam", "--cycle", "2026Q1", "--role", "supervisor",
                   *(f"{k}=95" for k in RATED), user="mona").exit_code == 0  # sam (Dev) first company-wide
    everyone = quarter("kpi", "quarter", "2026Q1", "-f", "json", user="hana").json()
    assert [(r["login"], r["rank"], r["ranked_among"]) for r in everyone][:3] == [
        ("sam", 1, 3), ("wei", 2, 3), ("na", 3, 3)]
    led = quarter("kpi", "quarter", "2026Q1", "-f", "json", user="leo").json()  # leo leads Ops
    assert [(r["login"], r["rank"], r["ranked_among"]) for r in led] == [
        ("wei", 1, 2), ("na", 2, 2), ("leo", None, None)]  # as with --team Ops, not 2 and 3
    assert "Ranked among the 2 complete people shown" in quarter("kpi", "quarter", "2026Q1", user="leo").stdout
    mine = quarter("kpi", "quarter", "2026Q1", "-f", "json", user="na").json()
    assert [(r["login"], r["rank"], r["ranked_among"]) for r in mine] == [("na", 3, 3)]  # a member: the real rank
    assert "Ranked among all 3 people ranked in 2026Q1" in quarter("kpi", "quarter", "2026Q1", user="na").stdout


def test_default_quarter_is_the_latest_with_results(quarter: Any, clock: FixedClock) -> None:
    from datetime import UTC, datetime

    clock.set(datetime(2026, 6, 3, 2, 0, tzinfo=UTC))
    result = quarter("kpi", "quarter")
    assert result.exit_code == 0 and result.stdout.startswith("KPI 2026Q1")
    nothing = quarter("kpi", "month")
    one_line_error(nothing, 3, "no KPI results for 2026-06", "opsctl kpi cycle open 2026-06")


def test_show_explains_the_final_score(quarter: Any) -> None:
    data = quarter("kpi", "show", "wei", "--cycle", "2026Q1", "-f", "json", user="wei").json()
    assert data["final_score"] == 91.43 and data["rank"] == 1 and data["ranked_among"] == 2
    assert data["rater_weights"] == {"self": 10, "supervisor": 60, "peer": 20, "customer": 10}
    first = data["indicators"][0]
    assert first == first | {"key": "results", "weight": 25, "self": 100, "supervisor": 90, "peer": None,
                             "customer": None, "score": 91.43, "points": 22.8575, "how": "(10×100 + 60×90) / 70"}
    table = quarter("kpi", "show", "wei", "--cycle", "2026Q1", user="wei").stdout
    assert "Breakdown of 2026Q1 (rated)" in table and "(10×100 + 60×90) / 70" in table
    assert "sum of points 91.43 rounded half up to 91.43" in table
    one_line_error(quarter("kpi", "show", "wei", "--cycle", "2026Q1", user="na"), 4, "may not see wei's")


def test_xlsx_has_a_row_per_person_and_a_grade_chart(quarter: Any, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = tmp_path / "kpi.xlsx"
    result = quarter("kpi", "quarter", "2026Q1", "--xlsx", str(path))
    assert result.exit_code == 0 and f"wrote {path}" in result.stderr
    book = load_workbook(path)
    sheet = book["KPI 2026Q1"]
    header = [c.value for c in sheet[4]]
    terminal = quarter("kpi", "quarter", "2026Q1").stdout.splitlines()[1]  # the same columns lead, same words
    assert header[:10] == ["Rank", "Login", "Name", "Team", "Performance /60", "Ability /30", "Attitude /10",
                           "Final", "Grade", "Missing"] and all(h in terminal for h in header[:10])
    assert "Work results score (weight 25)" in header and header[-2:] == ["Complete", "Based on"]
    wei = [c.value for c in sheet[5]]
    points = quarter("kpi", "quarter", "2026Q1", "-f", "json").json()[0]
    assert wei[:4] == [1, "wei", "张伟", "Ops"] and wei[header.index("Final")] == 91.43
    assert wei[4:7] == [points["performance_points"], points["ability_points"], points["attitude_points"]]
    assert wei[header.index("Grade")] == "A" and wei[header.index("Work results score (weight 25)")] == 91.43
    merits = header.index("Reward/penalty points")  # then the amount: approved rewards and penalties
    assert (wei[merits], wei[merits + 1]) == (0, 0)  # none yet (tests/cli/test_merits.py has some)
    scores = [c for c in sheet[5][4:merits] if isinstance(c.value, (int, float))]
    assert len(scores) > 10 and all(isinstance(c.value, float) and c.number_format == "0.00" for c in scores)
    assert sheet.cell(4, 5).alignment.wrap_text and sheet.row_dimensions[4].height == 75  # long headers wrap
    assert sheet.column_dimensions["E"].width >= len("Performance /60")  # "/60" never alone on a line
    results = sheet.column_dimensions[chr(ord("A") + header.index("Work results score (weight 25)"))].width
    assert results >= len("results") + 2 and results < len("Work results score")  # narrow, whole words
    grades = book["Grades"]
    assert [(grades.cell(r, 1).value, grades.cell(r, 2).value) for r in range(4, 10)] == [
        ("A", 1), ("B", 0), ("C", 1), ("D", 0), ("E", 0), ("Incomplete", 2)]
    assert len(grades._charts) == 1
    one_line_error(quarter("kpi", "quarter", "2026Q1", "--xlsx", str(tmp_path / "kpi.txt")), 1, ".xlsx")
    one_line_error(quarter("kpi", "quarter", "2026Q1", "--xlsx", str(path)), 5, "already exists", "--force")
    assert quarter("kpi", "quarter", "2026Q1", "--xlsx", str(path), "--force").exit_code == 0


def test_bad_input_exit_codes(quarter: Any, cli: Cli) -> None:
    assert cli("kpi", "template", "add", "rated2", "discipline=0.00", "initiative=4").exit_code == 0  # any zero
    one_line_error(cli("kpi", "score", "wei", "--cycle", "2026Q1", "--role", "supervisor", "results=101",
                       user="mona"), 1, "from 0 to 100")
    one_line_error(cli("kpi", "score", "wei", "--cycle", "2026Q1", "--role", "supervisor", "speed=80",
                       user="mona"), 1, "unknown indicator 'speed'", "valid keys: results, projects")
    one_line_error(cli("kpi", "score", "wei", "--cycle", "2026Q1", "--role", "supervisor", "results",
                       user="mona"), 1, "expected KEY=SCORE")
    one_line_error(cli("kpi", "score", "wei", "--cycle", "2026Q1", "--role", "supervisor", "results=80",
                       user="na"), 4, "na may not rate wei as supervisor")
    one_line_error(cli("kpi", "score", "wei", "--cycle", "2026Q5", "--role", "self", "results=80", user="wei"),
                   1, "not a cycle: '2026Q5'")
    one_line_error(cli("kpi", "template", "add", "heavy", "results=50"), 1, "the weights sum to 125, not 100")
    one_line_error(cli("kpi", "cycle", "open", "2026Q1"), 5, "already open")
    one_line_error(cli("kpi", "cycle", "open", "2026-02", user="wei"), 4, "only manager, hr or admin")
    assert cli("kpi", "cycle", "open", "2026-02", "--template", "rated").exit_code == 0
    closed = cli("kpi", "cycle", "close", "2026-02", user="mona")
    assert closed.exit_code == 0 and "closed 2026-02: 4 people judged" in closed.stderr
    assert "4 stay incomplete (not ranked): leo (results, projects," in closed.stderr
    one_line_error(cli("kpi", "score", "wei", "--cycle", "2026-02", "--role", "self", "results=80", user="wei"),
                   5, "closed", "locked")


def test_standard_template_rejects_a_rating_of_discipline(cli: Cli, people: People) -> None:
    assert cli("kpi", "cycle", "open", "2026Q1").exit_code == 0
    one_line_error(cli("kpi", "score", "wei", "--cycle", "2026Q1", "--role", "supervisor", "discipline=90",
                       user="mona"), 1, "discipline is computed from attendance")


def test_import_reports_lines_and_writes_nothing(quarter: Any, make_file: MakeFile) -> None:
    bad = make_file("scores.csv", "login,role,rater,key,score,comment\n"
                                  "na,peer,wei,results,85,\n"
                                  "na,peer,wei,speed,85,\n"
                                  "na,supervisor,wei,results,85,\n")
    result = quarter("kpi", "import", str(bad), "--cycle", "2026Q1", user="hana")
    one_line_error(result, 1, "2 bad row(s)", "line 3: unknown indicator 'speed'", "line 4: wei may not rate na")
    show = quarter("kpi", "show", "na", "--cycle", "2026Q1", "-f", "json").json()
    assert show["indicators"][0]["peer"] is None
    good = make_file("good.csv", "login,role,rater,key,score,comment\nna,peer,wei,results,85,=cheerful\n")
    done = quarter("kpi", "import", str(good), "--cycle", "2026Q1", "-f", "json", user="hana")
    assert done.exit_code == 0 and done.json()[0]["comment"] == "=cheerful"
    assert "1 scores of 1 people imported" in done.stderr


def test_template_and_cycle_listings(quarter: Any) -> None:
    templates = {t["name"]: t for t in quarter("kpi", "template", "list", "-f", "json").json()}
    assert templates["standard"]["computed"] == ["discipline"] and templates["rated"]["cycles"] == 1
    cycles = quarter("kpi", "cycle", "list", "-f", "json").json()
    assert [(c["cycle"], c["status"], c["people"], c["scored"]) for c in cycles] == [("2026Q1", "open", 4, 3)]


def test_the_demo_ranks_the_quarter_and_lists_emily_incomplete(cli: Cli, clock: FixedClock, tmp_path: Path) -> None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    folder = tmp_path / "demo"
    result = cli("demo", "--dir", str(folder))
    assert result.exit_code == 0, result.error
    assert "KPI 2026Q1 (2026-01-01 – 2026-03-31)" in result.stdout
    clock.set(datetime(2026, 6, 3, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")))  # the demo's "now"
    db = f"sqlite:///{folder / 'demo.db'}"
    rows = {r["login"]: r for r in cli("--db", db, "kpi", "quarter", "-f", "json", user="wangfang").json()}
    assert set(rows) == {"liuyang", "zhangwei", "lina", "omar", "chenjing", "sunhao", "emily"}  # huanglei: hired in May
    assert sorted(r["rank"] for r in rows.values() if r["rank"]) == [1, 2, 3, 4, 5, 6]
    assert rows["emily"]["complete"] is False and rows["emily"]["missing"] == ["projects", "customer"]
    assert rows["omar"]["discipline"] == 70  # two late days and the make-up Saturday he missed
    assert rows["zhangwei"]["discipline"] == 95
    # emily's lead scores what is missing: she is ranked
    done = cli("--db", db, "kpi", "score", "emily", "--cycle", "2026Q1", "--role", "supervisor", "projects=82",
               "customer=80", user="chenjing")
    assert done.exit_code == 0, done.error
    emily = cli("--db", db, "kpi", "show", "emily", "--cycle", "2026Q1", "-f", "json", user="emily").json()
    assert emily["complete"] is True and emily["rank"] is not None and emily["grade"] in ("B", "C")
    kpi = cli("--db", db, "today", "-f", "json", user="emily").json()["kpi"]
    assert kpi == kpi | {"cycle": "2026Q1", "complete": True, "status": "open (results so far)"}


def test_import_scores_from_a_workbook(quarter: Any, tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Login", "Role", "Rater", "Key", "Score", "Comment"])
    sheet.append(["na", "peer", None, "results", 88.5, "steady"])
    sheet.append(["na", "peer", None, "skills", 91, None])
    path = tmp_path / "peers.xlsx"
    book.save(path)
    done = quarter("kpi", "import", str(path), "--cycle", "2026Q1", "-f", "json", user="wei")
    assert done.exit_code == 0, done.error
    assert [(r["rater"], r["indicator"], r["score"]) for r in done.json()] == [
        ("wei", "results", 88.5), ("wei", "skills", 91)]


def test_template_show_and_the_year_note(quarter: Any) -> None:
    shown = quarter("kpi", "template", "show", "rated", "-f", "json").json()
    assert shown["name"] == "rated" and shown["attitude"] == 10 and shown["computed"] == []
    assert [i["key"] for i in shown["indicator_list"]][-1] == "initiative"
    year = quarter("kpi", "year", "2026")
    assert year.exit_code == 0 and "No 2026 cycle: results are averaged from 2026Q1." in year.stdout
    one_line_error(quarter("kpi", "quarter", "2026Q1", "--team", "Nowhere"), 3, "unknown team 'Nowhere'")


def test_import_into_a_missing_or_closed_cycle(cli: Cli, people: People, make_file: MakeFile) -> None:
    scores = make_file("s.csv", "login,role,rater,key,score\nwei,self,,results,80\n")
    one_line_error(cli("kpi", "import", str(scores), "--cycle", "2026-01", user="wei"), 3,
                   "no KPI cycle 2026-01", "opsctl kpi cycle open 2026-01")
    assert cli("kpi", "cycle", "open", "2026-01").exit_code == 0
    assert cli("kpi", "cycle", "close", "2026-01").exit_code == 0
    one_line_error(cli("kpi", "import", str(scores), "--cycle", "2026-01", user="wei"), 5, "was closed")
