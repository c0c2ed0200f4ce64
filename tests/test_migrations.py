"""The shipped Alembic revisions: consistent, complete, and kind to existing data."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from opsctl.db import ensure_schema, open_engine, stored_revisions, upgrade
from opsctl.errors import StorageError
from opsctl.migrations import HERE, heads, known_revisions
from opsctl.settings import resolve_database
from tests.conftest import TEST_DATABASE_URL, People

if TYPE_CHECKING:
    from alembic.script import ScriptDirectory


def _script() -> ScriptDirectory:
    from alembic.script import ScriptDirectory

    return ScriptDirectory(str(HERE))


def test_text_scan_of_revisions_agrees_with_alembic() -> None:
    script = _script()
    assert known_revisions() == {r.revision for r in script.walk_revisions()}
    assert heads() == set(script.get_heads())


def test_migrated_schema_matches_the_models(engine: Engine) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlmodel import SQLModel

    from opsctl.models import load_all

    load_all()
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    assert diff == []


def test_partial_indexes_have_the_models_where(engine: Engine) -> None:
    # Alembic's comparison above leaves out an index's WHERE (sqlite_where, postgresql_where)
    import re

    from sqlalchemy import inspect
    from sqlmodel import SQLModel

    from opsctl.models import load_all

    def where(clause: object) -> str:
        return re.sub(r"[()\s]+", " ", str(clause)).strip().lower()

    load_all()
    dialect = engine.dialect.name
    declared = {(table.name, str(index.name)): where(index.dialect_options[dialect]["where"])
                for table in SQLModel.metadata.sorted_tables for index in table.indexes
                if index.dialect_options[dialect]["where"] is not None}
    inspector = inspect(engine)
    made = {(table, index["name"]): where(index["dialect_options"][f"{dialect}_where"])
            for table in inspector.get_table_names() for index in inspector.get_indexes(table)
            if f"{dialect}_where" in index.get("dialect_options", {})}
    assert made == declared
    assert declared[("kpi_cycle", "uq_kpi_cycle_name_everybody")] == "team_id is null"


@pytest.mark.skipif(bool(TEST_DATABASE_URL), reason="a SQLite file is backed up before upgrading")
@pytest.mark.parametrize("older", sorted(known_revisions() - heads()) or ["0001"])
def test_an_older_database_is_upgraded_with_a_backup_and_keeps_its_data(tmp_path: Path, older: str) -> None:
    path = tmp_path / "old.db"
    location = resolve_database(str(path))
    engine = open_engine(location, create=True)
    upgrade(engine, older)
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO employee (login, name, role, active, created_at) "
            "VALUES ('ada', 'Ada', 'admin', 1, '2026-01-01 00:00:00')"
        ))
    engine.dispose()
    engine = open_engine(location)
    note = ensure_schema(engine, location)
    with engine.connect() as conn:
        assert stored_revisions(conn) == heads()
        assert conn.execute(text("SELECT login FROM employee")).scalars().all() == ["ada"]
    engine.dispose()
    if older not in heads():
        assert note is not None and "saved as" in note
        assert list(tmp_path.glob("old.db.bak-*"))


def test_the_audit_log_is_append_only(session: Session, people: People) -> None:
    from sqlalchemy.exc import DatabaseError

    with pytest.raises(DatabaseError):
        session.execute(text("UPDATE audit_entry SET action = 'forged'"))
    session.rollback()
    with pytest.raises(DatabaseError):
        session.execute(text("DELETE FROM audit_entry"))
    session.rollback()


def test_unknown_revision_means_newer_program(engine: Engine, db_url: str) -> None:
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM alembic_version"))
        conn.execute(text("INSERT INTO alembic_version (version_num) VALUES ('ffff_from_the_future')"))
    with pytest.raises(StorageError, match="newer opsctl"):
        ensure_schema(engine, resolve_database(db_url))


@pytest.mark.skipif(bool(TEST_DATABASE_URL), reason="built from an older revision in a SQLite file")
def test_kpi_cycles_for_everybody_stored_twice_are_merged_into_the_oldest(tmp_path: Path) -> None:
    """0008: concurrent `kpi cycle open` could store one period's cycle for everybody several
    times; the upgrade keeps the oldest, moves the copies' scores to it (a score the oldest has
    from the same rater already is dropped) and then refuses a second one."""
    from sqlalchemy.exc import IntegrityError

    location = resolve_database(str(tmp_path / "old.db"))
    engine = open_engine(location, create=True)
    upgrade(engine, "0006")
    cycle = ("INSERT INTO kpi_cycle (id, name, kind, start, \"end\", template_id, status, opened_by_id, opened_at) "
             "VALUES (:id, '2026-02', 'month', '2026-02-01', '2026-02-28', 1, 'open', 1, '2026-03-01 00:00:00')")
    score = ("INSERT INTO kpi_score (cycle_id, employee_id, indicator, role, rater_id, score, created_at, updated_at) "
             "VALUES (:cycle, 1, :key, 'supervisor', 1, :score, '2026-03-01 00:00:00', '2026-03-01 00:00:00')")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO employee (id, login, name, role, active, created_at) "
                          "VALUES (1, 'ada', 'Ada', 'admin', 1, '2026-01-01 00:00:00')"))
        for cycle_id in (1, 2, 3):
            conn.execute(text(cycle), {"id": cycle_id})
        conn.execute(text(score), {"cycle": 1, "key": "results", "score": 80})
        conn.execute(text(score), {"cycle": 2, "key": "results", "score": 10})  # the oldest has it: dropped
        conn.execute(text(score), {"cycle": 3, "key": "skills", "score": 70})  # moves to the oldest
    engine.dispose()
    engine = open_engine(location)
    ensure_schema(engine, location)
    with engine.begin() as conn:
        assert conn.execute(text("SELECT id FROM kpi_cycle")).scalars().all() == [1]
        scores = conn.execute(text("SELECT cycle_id, indicator, score FROM kpi_score ORDER BY indicator")).all()
        assert [tuple(row) for row in scores] == [(1, "results", 80.0), (1, "skills", 70.0)]
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(text(cycle), {"id": 4})
    engine.dispose()
