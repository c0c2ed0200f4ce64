"""Escalation by the back door (issue 19, part 4): who may change roles and managers, through
every path (`people add`, `edit`, `import`, `deactivate`), and what one may change in one's own record."""

from __future__ import annotations

import pytest

from tests.conftest import Cli, MakeFile, People


def _roles(cli: Cli) -> dict[str, str]:
    return {p["login"]: p["role"] for p in cli("people", "list", "--all", "-f", "json").json()}


def test_hr_cannot_make_itself_or_anyone_admin(cli: Cli, people: People, make_file: MakeFile) -> None:
    itself = cli("people", "edit", "hana", "--role", "admin", user="hana")
    assert itself.exit_code == 4 and "hana may not change their own role" in itself.error
    anyone = cli("people", "edit", "wei", "--role", "admin", user="hana")
    assert anyone.exit_code == 4 and anyone.error == "Error: only an admin may make wei an admin; hana is hr"
    added = cli("people", "add", "eve", "--name", "Eve", "--role", "admin", user="hana")
    assert added.exit_code == 4 and "only an admin may make eve an admin" in added.error
    demoted = cli("people", "edit", "ada", "--role", "member", user="hana")
    assert demoted.exit_code == 4 and "only an admin may take the admin role from ada" in demoted.error
    for text in ("login,name,role\nwei,张伟,admin\n", "login,name,role\neve,Eve,admin\n"):
        imported = cli("people", "import", str(make_file("staff.csv", text)), user="hana")
        assert imported.exit_code == 4 and "staff.csv line 2: only an admin may make" in imported.error
    assert _roles(cli) == {"ada": "admin", "mona": "manager", "hana": "hr", "leo": "lead", "wei": "member",
                           "na": "member", "sam": "member"}
    # HR still manages everybody else's roles, and an admin gives the admin role
    assert cli("people", "edit", "wei", "--role", "lead", user="hana").exit_code == 0
    assert cli("people", "edit", "sam", "--role", "admin", user="ada").exit_code == 0
    assert cli("people", "edit", "sam", "--role", "member", user="ada").exit_code == 0


def test_the_last_admin_is_never_removed(cli: Cli, people: People, make_file: MakeFile) -> None:
    only = cli("people", "deactivate", "ada", user="hana")
    assert only.exit_code == 5
    assert only.error.startswith("Error: ada is the only active admin, so cannot leave; make somebody else an admin")
    left = cli("people", "import", str(make_file("gone.csv", "login,name,left\nada,Ada Admin,2026-03-01\n")),
               user="hana")
    assert left.exit_code == 5 and "gone.csv leaves no active admin" in left.error
    assert cli("people", "edit", "sam", "--role", "admin", user="ada").exit_code == 0
    # two admins: one may go, the other is then the last one
    both = make_file("both.csv", "login,name,role\nada,Ada Admin,member\nsam,Sam Dev,member\n")
    assert cli("people", "import", str(both), user="ada").exit_code == 4  # ada's own role
    assert cli("people", "edit", "ada", "--role", "member", user="sam").exit_code == 0
    last = cli("people", "deactivate", "sam", user="hana")
    assert last.exit_code == 5 and "sam is the only active admin" in last.error
    assert [login for login, role in _roles(cli).items() if role == "admin"] == ["sam"]


def test_nobody_sets_their_own_manager_so_a_member_cannot_approve_hrs_leave(
    cli: Cli, people: People, make_file: MakeFile
) -> None:
    own = cli("people", "edit", "hana", "--manager", "wei", user="hana")
    assert own.exit_code == 4
    assert own.error == ("Error: hana may not change their own manager (only their name, email or badge); "
                         "ask another HR person or an admin")
    imported = cli("people", "import", str(make_file("me.csv", "login,name,manager\nhana,Hana HR,wei\n")),
                   user="hana")
    assert imported.exit_code == 4 and "me.csv line 2: hana may not change their own manager" in imported.error
    request = cli("leave", "request", "personal", "--from", "2026-03-25", "--reason", "errand", "-f", "json",
                  user="hana")
    assert request.exit_code == 0, request.error
    approved = cli("leave", "approve", str(request.json()["id"]), user="wei")
    assert approved.exit_code == 4
    # one's own name, e-mail and badge are one's own to change; team and dates are not
    assert cli("people", "edit", "hana", "--email", "hana@example.com", user="hana").exit_code == 0
    team = cli("people", "edit", "hana", "--team", "Ops", "--hired", "2026-03-01", user="hana")
    assert team.exit_code == 4 and "hana may not change their own hired, team" in team.error


@pytest.mark.parametrize(("text", "loop"), [
    ("login,name,manager\nmona,Mona Manager,wei\n", "mona → wei → mona"),
    ("login,name,manager\namy,Amy,amy\n", "amy → amy"),
    ("login,name,manager\namy,Amy,bo\nbo,Bo,amy\n", "amy → bo → amy"),
])
def test_an_import_puts_nobody_in_their_own_management_chain(
    cli: Cli, people: People, make_file: MakeFile, text: str, loop: str
) -> None:
    result = cli("people", "import", str(make_file("chain.csv", text)), user="hana")
    assert result.exit_code == 1 and f"in their own management chain ({loop})" in result.error
    assert cli("people", "show", "mona", "-f", "json").json()["manager"] is None


def test_nobody_is_their_own_manager_by_edit(cli: Cli, people: People) -> None:
    itself = cli("people", "edit", "wei", "--manager", "wei", user="hana")
    assert itself.exit_code == 1 and "that makes a loop (wei → wei)" in itself.error
    chain = cli("people", "edit", "mona", "--manager", "wei", user="hana")
    assert chain.exit_code == 1 and "that makes a loop (mona → wei → mona)" in chain.error
