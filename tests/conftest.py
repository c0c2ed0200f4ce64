"""Every test gets its own database and never touches the user's data.

SQLite: a migrated, empty template file is made once and copied per test.
PostgreSQL (OPSCTL_TEST_DATABASE_URL set): the schema is rebuilt once per run and
every table is emptied before each test.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from opsctl.clock import FixedClock
from opsctl.settings import DatabaseLocation, resolve_database

if TYPE_CHECKING:
    from opsctl.models.people import Employee

TEST_DATABASE_URL = os.environ.get("OPSCTL_TEST_DATABASE_URL")
TEAM_TZ = "Asia/Shanghai"
# Wednesday 2026-03-18, 09:30 in Shanghai.
DEFAULT_NOW = datetime(2026, 3, 18, 1, 30, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _isolated_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local/share"))
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "200")
    for name in ("OPSCTL_DB", "OPSCTL_USER", "OPSCTL_DEBUG", "EDITOR", "VISUAL"):
        monkeypatch.delenv(name, raising=False)


def _migrate(location: DatabaseLocation, *, create: bool) -> None:
    from opsctl.db import ensure_schema, open_engine

    engine = open_engine(location, create=create)
    try:
        ensure_schema(engine, location, create=True)
    finally:
        engine.dispose()


@pytest.fixture(scope="session")
def _template(tmp_path_factory: pytest.TempPathFactory) -> Path | None:
    if TEST_DATABASE_URL:
        from opsctl.db import open_engine

        location = resolve_database(TEST_DATABASE_URL)
        engine = open_engine(location)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()
        _migrate(location, create=True)
        return None
    path = tmp_path_factory.mktemp("template") / "template.db"
    _migrate(resolve_database(str(path)), create=True)
    return path


@pytest.fixture
def db_url(_template: Path | None, tmp_path: Path) -> str:
    """A fresh, migrated, empty database (no settings, no people)."""
    if TEST_DATABASE_URL:
        _empty_postgres(TEST_DATABASE_URL)
        return TEST_DATABASE_URL
    assert _template is not None
    path = tmp_path / "opsctl.db"
    shutil.copyfile(_template, path)
    path.chmod(0o600)
    return f"sqlite:///{path}"


def _empty_postgres(url: str) -> None:
    from opsctl.db import open_engine
    from opsctl.migrations import heads

    engine = open_engine(resolve_database(url))
    with engine.begin() as conn:
        tables = conn.execute(
            text("SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'alembic_version'")
        ).scalars().all()
        if tables:
            quoted = ", ".join(f'"{t}"' for t in tables)
            # the audit log refuses TRUNCATE; the owner (these tests) may switch its guard off for it
            conn.execute(text("ALTER TABLE audit_entry DISABLE TRIGGER audit_entry_no_truncate"))
            conn.execute(text(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE"))
            conn.execute(text("ALTER TABLE audit_entry ENABLE TRIGGER audit_entry_no_truncate"))
        # Tests may tamper with the revision (a "newer" database); put it back.
        conn.execute(text("DELETE FROM alembic_version"))
        for revision in heads():
            conn.execute(text("INSERT INTO alembic_version (version_num) VALUES (:r)"), {"r": revision})
    engine.dispose()


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    from opsctl.db import open_engine

    engine = open_engine(resolve_database(db_url))
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session on the test database; commit() to make data visible to CLI calls."""
    with Session(engine, expire_on_commit=False) as session:
        yield session


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(DEFAULT_NOW)


@dataclass
class People:
    """The test team (see the ``people`` fixture)."""

    by_login: dict[str, Employee]

    def __getattr__(self, login: str) -> Employee:
        try:
            return self.by_login[login]
        except KeyError:
            raise AttributeError(login) from None


@pytest.fixture
def admin(session: Session, clock: FixedClock) -> Employee:
    """An initialised database (timezone Asia/Shanghai) whose admin is `ada`."""
    from opsctl.services.setup import initialize

    person = initialize(session, now=clock.now(), timezone=TEAM_TZ, admin_login="ada", admin_name="Ada Admin")
    session.commit()
    return person


@pytest.fixture
def people(session: Session, admin: Employee, clock: FixedClock) -> People:
    """Two teams: Ops (lead leo, members wei 张伟 and na 李娜) and Dev (sam);
    mona is the manager of leo, wei, na and sam; hana is HR; ada is admin."""
    from opsctl.services.people.employees import add_person
    from opsctl.services.people.teams import add_team

    now = clock.now()
    for name in ("Ops", "Dev"):
        add_team(session, actor=admin, now=now, name=name)
    rows = [
        ("mona", "Mona Manager", None, "manager", None),
        ("hana", "Hana HR", None, "hr", None),
        ("leo", "Leo Lead", "Ops", "lead", "mona"),
        ("wei", "张伟", "Ops", "member", "mona"),
        ("na", "李娜", "Ops", "member", "mona"),
        ("sam", "Sam Dev", "Dev", "member", "mona"),
    ]
    for login, name, team, role, manager in rows:
        add_person(session, actor=admin, now=now, login=login, name=name, team=team, role=role,
                   manager=manager, badge=f"10{len(login)}{login}")
    session.commit()
    from sqlmodel import select

    from opsctl.models.people import Employee

    return People({p.login: p for p in session.exec(select(Employee))})


@dataclass
class CliResult:
    exit_code: int
    stdout: str
    stderr: str
    exception: BaseException | None

    def json(self) -> Any:
        return json.loads(self.stdout)

    @property
    def error(self) -> str:
        return self.stderr.strip()


def one_line_error(result: CliResult, code: int) -> str:
    """Assert the command failed with exit ``code`` and one ``Error: ...`` line, no traceback; return it."""
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    assert result.error.startswith("Error: ") and "\n" not in result.error, result.stderr
    assert "Traceback" not in result.stderr
    return result.error


class HasId(Protocol):
    id: int | None


def pk(row: HasId) -> int:
    """The primary key of a row that has been flushed (its ``id`` is set)."""
    assert row.id is not None, f"{row!r} has no id yet; flush the session first"
    return row.id


class Cli(Protocol):
    """The ``cli`` fixture: run opsctl with these arguments as ``user``."""

    def __call__(self, *args: str, user: str = ..., input: str | None = ...,
                 env: dict[str, str] | None = ...) -> CliResult: ...


MakeFile = Callable[[str, str], Path]
"""The ``make_file`` fixture: write ``content`` to ``tmp_path / name`` and return the path."""


@pytest.fixture
def cli(db_url: str, clock: FixedClock) -> Cli:
    """Run opsctl in-process: ``cli("people", "list", "-f", "json", user="ada")``."""
    from typer.testing import CliRunner

    from opsctl.cli.context import AppContext
    from opsctl.cli.main import app

    runner = CliRunner()

    def run(*args: str, user: str = "ada", input: str | None = None, env: dict[str, str] | None = None) -> CliResult:
        environment = {"OPSCTL_DB": db_url, "OPSCTL_USER": user, **(env or {})}
        result = runner.invoke(app, list(args), obj=AppContext(clock=clock), env=environment, input=input)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        return CliResult(result.exit_code, result.stdout, result.stderr, result.exception)

    return run


@pytest.fixture
def make_file(tmp_path: Path) -> MakeFile:
    def write(name: str, content: str) -> Path:
        path = tmp_path / name
        path.write_text(content, encoding="utf-8")
        return path

    return write
