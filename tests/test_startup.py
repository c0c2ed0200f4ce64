"""Start-up cost and the shape of the command line."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from typer._click.core import Command

HEAVY = ("sqlalchemy", "sqlmodel", "openpyxl", "alembic", "icalendar")

PROBE = """
import sys
sys.argv = ["opsctl", *{args!r}]
from opsctl.cli.main import app
try:
    app()
except SystemExit:
    pass
print("\\nLOADED:" + ",".join(m for m in {heavy!r} if m in sys.modules), file=sys.stderr)
"""


@pytest.mark.parametrize("args", [["--help"], ["--version"], ["people", "--help"], ["attend", "--help"],
                                  ["calendar", "import", "--help"]])
def test_help_and_version_stay_light(args: list[str]) -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE.format(args=args, heavy=HEAVY)],
        capture_output=True, text=True, timeout=60, check=False,
    )
    loaded = result.stderr.rsplit("LOADED:", 1)[1].strip()
    assert loaded == "", f"opsctl {' '.join(args)} imported {loaded}"


def test_shell_completion_stays_light() -> None:
    probe = PROBE.format(args=[], heavy=HEAVY)
    env = {"_OPSCTL_COMPLETE": "complete_bash", "COMP_WORDS": "opsctl peo", "COMP_CWORD": "1",
           "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60,
                            env=env, check=False)
    assert "people" in result.stdout
    assert result.stderr.rsplit("LOADED:", 1)[1].strip() == ""



AREAS = ("people", "attendance", "leave", "projects", "tasks", "meetings", "kpi", "training")
AREA_PROBE = """
import sys
sys.argv = ["opsctl", *{args!r}]
from opsctl.cli.main import app
try:
    app()
except SystemExit as exit:
    assert exit.code in (0, None), exit.code
print("\\nAREAS:" + ",".join(sorted({{m.split(".")[2] for m in sys.modules
                                      if m.startswith(("opsctl.models.", "opsctl.services."))}})), file=sys.stderr)
"""


@pytest.fixture(scope="module")
def kpi_database(tmp_path_factory: pytest.TempPathFactory) -> str:
    from tests.benchmarks.generate_kpi import create_kpi_database

    return create_kpi_database(tmp_path_factory.mktemp("kpi") / "kpi.db", people=24)


@pytest.mark.parametrize(("args", "own"), [
    (["whoami"], {"people"}),
    (["attend", "in"], {"people", "attendance"}),
    (["attend", "status"], {"people", "attendance"}),
    # discipline is computed from punches, and approved leave excuses a day
    (["kpi", "quarter", "2026Q1"], {"people", "kpi", "attendance", "leave"}),
])
def test_a_command_loads_the_models_and_services_of_its_own_area(kpi_database: str, args: list[str],
                                                                 own: set[str]) -> None:
    import os

    result = subprocess.run(
        [sys.executable, "-c", AREA_PROBE.format(args=args)], capture_output=True, text=True, timeout=120,
        env={**os.environ, "OPSCTL_DB": kpi_database, "OPSCTL_USER": "p0007", "NO_COLOR": "1"}, check=False,
    )
    assert "AREAS:" in result.stderr, result.stderr
    loaded = set(result.stderr.rsplit("AREAS:", 1)[1].strip().split(",")) & set(AREAS)
    assert loaded <= own, f"opsctl {' '.join(args)} loaded {sorted(loaded - own)} of other areas"


LOADED_PROBE = AREA_PROBE.replace('"\\nAREAS:" + ",".join(sorted({{m.split(".")[2] for m in sys.modules',
                                  '"\\nLOADED:" + ",".join(sorted({{m for m in sys.modules')
# What the `today` module of an area may load of its area: the pure counting it shares with the
# area's commands (work dates of the schedules, leave balances), never the area's models.
TODAY_LIGHT = {"today", "shifts", "balance", "periods", "workdays"}  # periods, workdays: work reports


@pytest.fixture(scope="module")
def quiet_day_database(tmp_path_factory: pytest.TempPathFactory) -> str:
    from tests.benchmarks.generate import create_database

    return create_database(tmp_path_factory.mktemp("day") / "day.db", people=20)


def test_today_takes_the_light_path_of_every_area(quiet_day_database: str) -> None:
    """On a day with nothing to list but the punch state and the leave balance, `opsctl today`
    loads no area's models but the people's, and of the other areas' services only their `today`
    modules and the pure modules those count with: its time stays near `whoami`'s."""
    import os

    result = subprocess.run(
        [sys.executable, "-c", LOADED_PROBE.format(args=["today"])], capture_output=True, text=True, timeout=120,
        env={**os.environ, "OPSCTL_DB": quiet_day_database, "OPSCTL_USER": "p0007", "NO_COLOR": "1"}, check=False,
    )
    assert "LOADED:" in result.stderr, result.stderr
    loaded = set(result.stderr.rsplit("LOADED:", 1)[1].strip().split(","))
    models = {m for m in loaded if m.startswith("opsctl.models.")}
    assert models <= {"opsctl.models.base", "opsctl.models.people"}, sorted(models)
    areas = {m.split(".")[2] for m in loaded if m.count(".") == 3 and m.startswith("opsctl.services.")}
    assert areas >= {"attendance", "tasks", "meetings", "leave"}  # their sections are shown every day
    heavy = {m for m in loaded if m.count(".") == 3 and m.startswith("opsctl.services.")
             and m.split(".")[2] != "people" and m.split(".")[3] not in TODAY_LIGHT}
    assert not heavy, f"opsctl today loaded {sorted(heavy)}"


def _all_commands() -> list[tuple[list[str], Command]]:
    """Every command and group, each with its words after ``opsctl`` (the root's are [])."""
    from typer import Context
    from typer.core import TyperGroup
    from typer.main import get_command

    from opsctl.cli.main import app

    root = get_command(app)
    context = Context(root)

    def walk(command: Command, path: list[str]) -> Iterator[tuple[list[str], Command]]:
        yield path, command
        if isinstance(command, TyperGroup):
            for name in command.list_commands(context):
                sub = command.get_command(context, name)
                assert sub is not None, f"opsctl {' '.join([*path, name])} is listed but not found"
                yield from walk(sub, [*path, name])

    return list(walk(root, []))


def test_every_command_has_help_text() -> None:
    missing = [" ".join(path) for path, command in _all_commands() if path and not (command.help or "").strip()]
    assert missing == []


def test_every_listing_command_offers_format() -> None:
    from typer.core import TyperGroup

    verbs = {"list", "show", "log", "status", "balance", "month", "day", "types", "record", "report", "week"}
    lacking = [
        " ".join(path)
        for path, command in _all_commands()
        if path and path[-1] in verbs and "--format" not in {o for p in command.params for o in p.opts}
        and not isinstance(command, TyperGroup)  # a group named like a verb (`opsctl report`) lists nothing
    ]
    assert lacking == []


def test_a_group_builds_only_the_command_that_runs() -> None:
    import importlib

    from opsctl.cli.lazy import OnDemandGroup, build
    from opsctl.cli.main import COMMANDS

    for name, entry in COMMANDS.items():
        app = getattr(importlib.import_module(entry.module), entry.attribute)
        registered = list(app.registered_commands)
        built = build(app)
        assert app.registered_commands == registered, f"building {name} changed its typer app"
        if name in ("init", "demo", "whoami", "today"):
            continue
        assert type(built) is OnDemandGroup, name
        assert built.commands == {}, f"{name} built {list(built.commands)} up front"


@pytest.mark.skipif(sys.platform == "win32", reason="a POSIX pipe")
def test_a_reader_that_stops_early_is_not_an_error(tmp_path: Path) -> None:
    """`opsctl people list -f csv | head -1`: exit 0 and nothing on stderr, in every format."""
    import os

    from tests.benchmarks.generate import create_database

    url = create_database(tmp_path / "many.db", 2000)  # output well beyond a pipe's 64 KiB buffer
    for fmt in ("csv", "table", "json"):
        process = subprocess.Popen(
            [sys.executable, "-m", "opsctl", "--db", url, "--as", "ada", "people", "list", "-f", fmt],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, "NO_COLOR": "1"},
        )
        assert process.stdout is not None and process.stderr is not None
        assert process.stdout.readline()
        process.stdout.close()  # like `head -1`
        error = process.stderr.read().decode()
        assert process.wait(timeout=60) == 0, error
        assert error == "", error


@pytest.mark.skipif(sys.platform == "win32", reason="a POSIX pipe")
def test_a_write_whose_reader_is_gone_still_lands(tmp_path: Path) -> None:
    """`opsctl people add … -f json | true`: the record is stored and the exit is 0."""
    import os

    from tests.benchmarks.generate import create_database

    url = create_database(tmp_path / "few.db", 3)
    base = [sys.executable, "-m", "opsctl", "--db", url, "--as", "ada"]
    process = subprocess.Popen([*base, "people", "add", "zed", "--name", "Zed", "-f", "json"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, "NO_COLOR": "1"})
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # gone before opsctl writes a byte
    assert process.wait(timeout=60) == 0, process.stderr.read().decode()
    shown = subprocess.run([*base, "people", "show", "zed", "-f", "json"], capture_output=True, text=True,
                           timeout=60, check=False)
    assert shown.returncode == 0 and '"login": "zed"' in shown.stdout


def test_every_table_defers_its_validator() -> None:
    """A new model that subclasses SQLModel directly builds pydantic's validator at import time."""
    from sqlmodel import SQLModel

    from opsctl.models import load_all
    from opsctl.models.base import Table

    load_all()
    tables = [mapper.class_ for mapper in SQLModel._sa_registry.mappers]
    assert len(tables) >= 30
    assert [cls.__name__ for cls in tables if not issubclass(cls, Table)] == []
