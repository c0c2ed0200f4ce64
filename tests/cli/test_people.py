"""People and teams through the command line."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from opsctl.models.people import Employee
from tests.conftest import Cli, MakeFile, People


def test_add_show_and_list_people(cli: Cli, admin: Employee) -> None:
    assert cli("team", "add", "Ops").exit_code == 0
    added = cli("people", "add", "wei", "--name", "张伟", "--team", "Ops", "--manager", "ada",
                "--hired", "2025-03-01", "--badge", "0042", "-f", "json")
    assert added.exit_code == 0, added.error
    record = added.json()
    assert record == record | {"login": "wei", "name": "张伟", "team": "Ops", "manager": "ada",
                               "hired": "2025-03-01", "badge": "0042", "role": "member"}
    assert isinstance(record["id"], int)
    listing = cli("people", "list", "-f", "json").json()
    assert [p["login"] for p in listing] == ["ada", "wei"]
    table = cli("people", "list").stdout
    assert "张伟" in table and "Ops" in table


def test_chinese_names_keep_table_columns_aligned(cli: Cli, people: People) -> None:
    from rich.cells import cell_len

    lines = [line for line in cli("people", "list", "--team", "Ops").stdout.splitlines() if "Ops" in line]
    assert len(lines) == 3
    positions = {cell_len(line[: line.index("Ops")]) for line in lines}
    assert len(positions) == 1, lines


def test_formula_like_names_are_plain_text(cli: Cli, admin: Employee) -> None:
    cli("people", "add", "eve", "--name", "=1+1")
    assert cli("people", "show", "eve", "-f", "json").json()["name"] == "=1+1"
    rows = list(csv.DictReader(io.StringIO(cli("people", "list", "-f", "csv").stdout)))
    assert rows[1]["name"] == "'=1+1"  # a spreadsheet opening the CSV reads text, runs no formula
    raw = list(csv.DictReader(io.StringIO(cli("people", "list", "-f", "csv", "--raw").stdout)))
    assert raw[1]["name"] == "=1+1"


def test_bad_people_input(cli: Cli, people: People) -> None:
    duplicate = cli("people", "add", "wei", "--name", "Again")
    assert duplicate.exit_code == 5 and "already exists" in duplicate.error
    no_team = cli("people", "add", "zed", "--name", "Zed", "--team", "Nowhere")
    assert no_team.exit_code == 3 and "unknown team 'Nowhere'" in no_team.error and "Ops" in no_team.error
    no_manager = cli("people", "add", "zed", "--name", "Zed", "--manager", "ghost")
    assert no_manager.exit_code == 3 and "ghost" in no_manager.error
    bad_date = cli("people", "add", "zed", "--name", "Zed", "--hired", "2026-02-30")
    assert bad_date.exit_code == 1 and "2026-02-30" in bad_date.error
    bad_role = cli("people", "add", "zed", "--name", "Zed", "--role", "boss")
    assert bad_role.exit_code == 1 and "roles:" in bad_role.error
    as_member = cli("people", "add", "zed", "--name", "Zed", user="wei")
    assert as_member.exit_code == 4
    unknown = cli("people", "show", "ghost")
    assert unknown.exit_code == 3
    # none of it was written
    assert "zed" not in cli("people", "list").stdout
    for result in (duplicate, no_team, no_manager, bad_date, bad_role, as_member, unknown):
        assert result.error.startswith("Error: ") and "\n" not in result.error


def test_edit_is_audited_and_deactivate_hides(cli: Cli, people: People) -> None:
    edited = cli("people", "edit", "wei", "--team", "Dev", "--email", "wei@example.com", "-f", "json",
                 user="hana")
    assert edited.exit_code == 0, edited.error
    assert edited.json()["team"] == "Dev"
    loop = cli("people", "edit", "mona", "--manager", "wei")
    assert loop.exit_code == 1 and "loop" in loop.error
    entries = cli("audit", "list", "--action", "people.edit", "-f", "json").json()
    assert entries[0]["actor"] == "hana" and entries[0]["login"] == "wei"
    assert entries[0]["details"]["team"] == ["Ops", "Dev"]
    assert cli("people", "deactivate", "sam", "--on", "2026-03-31").exit_code == 0
    assert "sam" not in [p["login"] for p in cli("people", "list", "-f", "json").json()]
    assert "sam" in [p["login"] for p in cli("people", "list", "--all", "-f", "json").json()]
    assert cli("whoami", user="sam").exit_code == 4
    assert cli("people", "deactivate", "sam").exit_code == 5


def test_a_manager_who_leaves_is_told_what_still_points_at_them_and_can_come_back(cli: Cli, people: People) -> None:
    assert cli("team", "edit", "Ops", "--name", "Ops", "--lead", "leo").exit_code == 0
    cli("people", "edit", "leo", "--manager", "mona")
    cli("people", "edit", "wei", "--manager", "leo")
    task = cli("task", "add", "Hand over the runbooks", "--assignee", "leo", "-f", "json").json()
    gone = cli("people", "deactivate", "leo", "-f", "json", user="hana")
    assert gone.exit_code == 0 and gone.json()["active"] is False
    assert gone.stderr.splitlines() == [
        "Note: leo still manages wei: their leave and corrections wait for leo; give them a manager with "
        "`opsctl people edit LOGIN --manager M`.",
        "Note: leo still leads Ops: `opsctl team edit 'Ops' --lead LOGIN`.",
        f"Note: leo still has 1 open task(s): #{task['id']}; `opsctl task assign ID LOGIN` (or cancel them)."]
    refused = cli("whoami", user="leo")
    assert refused.exit_code == 4 and "left on 2026-03-18" in refused.error
    assert "opsctl people reactivate leo" in refused.error
    back = cli("people", "reactivate", "leo", "-f", "json", user="hana")
    assert back.exit_code == 0 and (back.json()["active"], back.json()["left"]) == (True, None)
    assert cli("whoami", user="leo").exit_code == 0
    assert cli("--as", "", "whoami").exit_code == 4  # an empty --as is nobody, not the OS login
    assert cli("people", "reactivate", "leo", user="hana").exit_code == 5
    assert cli("people", "reactivate", "leo", user="wei").exit_code == 4
    assert cli("audit", "list", "--action", "people.reactivate", "-f", "json").json()[0]["login"] == "leo"


def test_members_only_see_audit_entries_about_themselves(cli: Cli, people: People) -> None:
    cli("people", "edit", "wei", "--email", "w@example.com")
    cli("people", "edit", "na", "--email", "n@example.com")
    seen = {e["login"] for e in cli("audit", "list", "-f", "json", user="wei").json()}
    assert seen == {"wei"}


def test_import_people_reports_every_bad_line_and_writes_nothing(cli: Cli, people: People, make_file: MakeFile) -> None:
    bad = make_file("people.csv", "\n".join([
        "login,name,team,manager,hired",
        "amy,Amy,Ops,mona,2026-01-05",
        "bo,Bo,Ops,nobody,2026-01-05",
        "amy,Amy Again,Ops,,",
        "cy,Cy,Ops,,2026-02-30",
        "dee,,Ops,,",
    ]) + "\n")
    result = cli("people", "import", str(bad))
    assert result.exit_code == 1
    for fragment in ("line 3: unknown manager 'nobody'", "line 4: login 'amy' also on line 2",
                     "line 5:", "line 6: the name must not be empty"):
        assert fragment in result.error
    assert "amy" not in cli("people", "list").stdout


def test_import_people_from_csv_and_xlsx(cli: Cli, people: People, make_file: MakeFile, tmp_path: Path) -> None:
    from openpyxl import Workbook

    good = make_file("people.csv", "login,name,email,team,role,manager,badge,hired,left\n"
                     "amy,Amy,amy@x.org,Ops,member,bo,7,2026-01-05,\n"
                     "bo,Bo,,Ops,lead,mona,8,2026-01-05,\n")
    result = cli("people", "import", str(good), "-f", "json")
    assert result.exit_code == 0, result.error
    assert {p["login"]: p["manager"] for p in result.json()} == {"amy": "bo", "bo": "mona"}
    book = Workbook()
    sheet = book.active
    sheet.append(["Login", "Name", "Team", "Hired"])
    sheet.append(["cy", "陈芸", "Dev", None])
    sheet.append(["amy", "Amy Renamed", "Dev", None])
    path = tmp_path / "people.xlsx"
    book.save(path)
    again = cli("people", "import", str(path), "-f", "json")
    assert again.exit_code == 0, again.error
    assert {p["login"]: p["name"] for p in again.json()} == {"amy": "Amy Renamed", "cy": "陈芸"}
    missing = make_file("nocols.csv", "user,fullname\nx,y\n")
    result = cli("people", "import", str(missing))
    assert result.exit_code == 1 and "lacks login, name" in result.error
    twice = make_file("twice.csv", "login,name,Name\nzed,Zed,Zed Z\n")
    assert "has name more than once" in cli("people", "import", str(twice)).error
    assert "is a folder" in cli("people", "import", str(twice.parent)).error
    typo = make_file("typo.csv", "login,name,emial\nzed,Zed,zed@example.com\n")
    assert "unknown column 'emial' in the header row (line 1); did you mean 'email'?" in cli(
        "people", "import", str(typo)).error
    broken = make_file("fake.xlsx", "not a workbook")
    result = cli("people", "import", str(broken))
    assert result.exit_code == 1 and "is not a readable .xlsx workbook" in result.error, result.error


def test_an_import_update_changes_only_the_columns_of_the_file(cli: Cli, people: People, make_file: MakeFile) -> None:
    before = cli("people", "show", "leo", "-f", "json").json()
    renamed = make_file("renamed.csv", "login,name,email\nleo,Leo Renamed,leo@example.com\n")
    assert cli("people", "import", str(renamed)).exit_code == 0
    after = cli("people", "show", "leo", "-f", "json").json()
    assert after == before | {"name": "Leo Renamed", "email": "leo@example.com"}  # team, role, manager… kept
    cleared = make_file("cleared.csv", "login,name,email,role\nleo,Leo Renamed,,\n")
    assert cli("people", "import", str(cleared)).exit_code == 0
    again = cli("people", "show", "leo", "-f", "json").json()
    assert (again["email"], again["role"]) == (None, before["role"])  # an empty cell clears; a role stays


def test_teams(cli: Cli, people: People) -> None:
    assert cli("team", "add", "Ops").exit_code == 5
    assert "a team named 'Ops' already exists" in cli("team", "add", "ops").error  # case does not make two teams
    assert cli("team", "add", "QA", "--lead", "leo").exit_code == 0
    teams = {t["name"]: t for t in cli("team", "list", "-f", "json").json()}
    assert teams["Ops"]["members"] == 3 and teams["QA"]["lead"] == "leo"
    shown = cli("team", "show", "Ops", "-f", "json").json()
    assert [m["login"] for m in shown["members"]] == ["leo", "na", "wei"]
    assert cli("team", "show", "Nope").exit_code == 3


def test_a_team_gets_a_new_lead_or_name_and_the_lead_sees_it(cli: Cli, people: People) -> None:
    def seen_by_na() -> list[str]:
        return [r["login"] for r in cli("attend", "month", "2026-03", "--team", "Ops", "-f", "json", user="na").json()]

    assert seen_by_na() == ["na"]  # not the lead yet: only herself
    edited = cli("team", "edit", "Ops", "--lead", "na", "-f", "json", user="hana")
    assert edited.exit_code == 0, edited.error
    assert edited.json()["lead"] == "na"
    assert seen_by_na() == ["leo", "na", "wei"]
    plan = cli("training", "plan", "add", "Ops drill", "--audience", "team:Ops", "-f", "json", user="mona").json()
    renamed = cli("team", "edit", "Ops", "--name", "Operations", "--lead", "", "-f", "json").json()
    plans = cli("training", "plan", "list", "-f", "json", user="mona").json()
    assert next(p["audience"] for p in plans if p["id"] == plan["id"]) == "team:Operations"
    assert (renamed["name"], renamed["lead"]) == ("Operations", None)
    assert cli("people", "show", "wei", "-f", "json").json()["team"] == "Operations"
    entries = cli("audit", "list", "--action", "team.edit", "-f", "json").json()
    assert [e["details"] for e in entries[:2]] == [{"name": ["Ops", "Operations"], "lead": ["na", None]},
                                                    {"lead": [None, "na"]}]
    for args, user, code, words in (
        (("Operations", "--lead", "na"), "wei", 4, "may edit teams"),
        (("Nope", "--lead", "na"), "ada", 3, "unknown team 'Nope'"),
        (("Operations", "--lead", "ghost"), "ada", 3, "ghost"),
        (("Operations", "--lead", "sam"), "ada", 1, "sam is in Dev, not Operations, so cannot lead it"),
        (("Operations", "--name", "Dev"), "ada", 5, "a team named 'Dev' already exists"),
        (("Operations", "--name", "dev"), "ada", 5, "a team named 'Dev' already exists"),
        (("Operations", "--name", " "), "ada", 1, "must not be empty"),
        (("Operations",), "ada", 1, "nothing to change for team Operations"),
    ):
        result = cli("team", "edit", *args, user=user)
        assert result.exit_code == code and words in result.error, (args, result.error)
        assert result.error.startswith("Error: ") and len(result.error.strip().splitlines()) == 1


def test_every_format_renders(cli: Cli, people: People) -> None:
    md = cli("people", "list", "-f", "md").stdout
    assert md.startswith("## People") and "| Login" in md
    tsv = cli("people", "list", "-f", "tsv").stdout.splitlines()
    assert tsv[0].split("\t")[:3] == ["id", "login", "name"]
    assert cli("people", "list", "-f", "yaml").exit_code == 2
