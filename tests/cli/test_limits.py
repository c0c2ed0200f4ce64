"""Values past what storage can hold get the same clear answer on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from opsctl.cli.main import app
from tests.conftest import TEST_DATABASE_URL, Cli, People

HUGE = "99999999999999999999"  # past 2**63 - 1: no stored id can be it


@pytest.mark.parametrize(
    "command",
    [
        ("task", "show", HUGE),
        ("task", "done", HUGE),
        ("leave", "show", HUGE),
        ("leave", "approve", HUGE),
        ("attend", "approve", HUGE),
        ("training", "session", "show", HUGE),
        ("training", "session", "list", "--plan", HUGE),
    ],
)
def test_an_id_past_64_bits_is_not_found(cli: Cli, people: People, command: tuple[str, ...]) -> None:
    result = cli(*command)
    assert result.exit_code == 3, result.stderr
    assert result.stderr == f"Error: there is no record number {HUGE}: numbers stop at 9223372036854775807\n"


def test_an_id_that_is_not_a_number_is_a_usage_error(cli: Cli, people: People) -> None:
    result = cli("task", "show", "seven")
    assert result.exit_code == 2
    assert "'seven' is not a record number" in result.stderr


def test_text_longer_than_its_column_is_refused_with_the_limit(cli: Cli, people: People) -> None:
    result = cli("team", "add", "x" * 10_000)
    assert result.exit_code == 1
    assert result.stderr == "Error: the team name is 10000 characters long; at most 80 are allowed\n"
    assert "x" * 81 not in cli("team", "list", "-f", "csv").stdout  # nothing stored
    longest = cli("team", "add", "y" * 80)
    assert longest.exit_code == 0, longest.stderr


sqlite_only = pytest.mark.skipif(bool(TEST_DATABASE_URL), reason="the default SQLite location")


@sqlite_only
def test_default_folders_are_private_whatever_the_umask(tmp_path: Path) -> None:
    home = tmp_path / "fresh-home"
    old = os.umask(0)
    try:
        result = CliRunner().invoke(app, ["init", "--admin", "ada", "--name", "Ada"],
                                    env={"HOME": str(home), "XDG_DATA_HOME": ""})
    finally:
        os.umask(old)
    assert result.exit_code == 0, result.stderr
    for folder in (home / ".local", home / ".local/share", home / ".local/share/opsctl"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder


@sqlite_only
def test_a_home_that_cannot_hold_the_database_is_one_error_line(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = CliRunner().invoke(app, ["init", "--admin", "ada", "--name", "Ada"],
                                env={"HOME": str(blocker / "home"), "XDG_DATA_HOME": ""})
    assert result.exit_code == 6
    assert result.stderr.startswith(f"Error: cannot create the folder {blocker / 'home'} for the database")
    assert "set OPSCTL_DB or --db" in result.stderr
    assert result.stderr.count("\n") == 1
