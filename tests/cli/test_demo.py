"""`opsctl demo`: a newcomer's first command builds its own database, never touches theirs."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from opsctl.cli.main import app


def test_demo_builds_its_own_database_and_shows_an_overview(tmp_path: Path) -> None:
    real = tmp_path / "mine.db"
    folder = tmp_path / "demo"
    result = CliRunner().invoke(app, ["demo", "--dir", str(folder)], env={"OPSCTL_DB": str(real)})
    assert result.exit_code == 0, result.stderr
    assert not real.exists()
    assert (folder / "demo.db").exists()
    assert "Operations" in result.stdout and "Platform" in result.stdout
    assert f"--db {folder / 'demo.db'}" in result.stderr
    people = CliRunner().invoke(app, ["--db", str(folder / "demo.db"), "--as", "ada", "people", "list",
                                      "-f", "json"])
    assert {"张伟", "Omar Haddad"} <= {p["name"] for p in json.loads(people.stdout)}


def test_demo_refuses_to_overwrite(tmp_path: Path) -> None:
    CliRunner().invoke(app, ["demo", "--dir", str(tmp_path)])
    again = CliRunner().invoke(app, ["demo", "--dir", str(tmp_path)])
    assert again.exit_code == 1
    assert "already exists" in again.stderr


def test_a_demo_database_keeps_its_moment(tmp_path: Path) -> None:
    from opsctl.demo.build import demo_info, sample_dir

    CliRunner().invoke(app, ["demo", "--dir", str(tmp_path)])
    today = CliRunner().invoke(app, ["--db", str(tmp_path / "demo.db"), "--as", "zhangwei", "today"])
    assert today.exit_code == 0, today.stderr
    assert f"{demo_info(sample_dir()).today:%Y-%m-%d}" in today.stdout.splitlines()[0]


def test_every_follow_up_hint_of_the_demo_names_its_database_and_runs_as_printed(tmp_path: Path) -> None:
    import re
    import shlex

    shown = CliRunner().invoke(app, ["demo", "--dir", str(tmp_path)])
    assert shown.exit_code == 0, shown.stderr
    hints = [m[1] for m in re.finditer(r"\bopsctl (.*)$", shown.stdout + shown.stderr, re.MULTILINE)]
    assert len(hints) >= 10  # one or two per section, and "Explore it"
    for hint in hints:
        argv = shlex.split(hint)
        assert argv[:4] == ["--db", str(tmp_path / "demo.db"), "--as", argv[3]], hint
        ran = CliRunner().invoke(app, argv, env={"OPSCTL_DB": str(tmp_path / "elsewhere.db")})
        assert ran.exit_code == 0, f"{hint}\n{ran.stderr}"
        assert ran.stdout.strip(), hint
    assert not (tmp_path / "elsewhere.db").exists()
