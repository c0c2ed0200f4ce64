"""The shipped Alembic revisions: consistent, complete, and kind to existing data."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from opsctl.db import ensure_schema, open_engine, stored_revisions, upgrade
from opsctl.errors import StorageError
from opsctl.migrations import HERE, heads, known_revisions
from opsctl.settings import resolve_database
from tests.conftest import TEST_DATABASE_URL


def _script():  # type: ignore[no-untyped-def]
    from alembic.script import ScriptDirectory

    return ScriptDirectory(str(HERE))


def test_text_scan_of_revisions_agrees_with_alembic() -> None:
    script = _script()
    assert known_revisions() == {r.revision for r in script.walk_revisions()}
    assert heads() == set(script.get_heads())


def test_migrated_schema_matches_the_models(engine) -> None:  # type: ignore[no-untyped-def]
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlmodel import SQLModel

    from opsctl.models import load_all

    load_all()
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    assert diff == []


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


def test_the_audit_log_is_append_only(session, people) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy.exc import DatabaseError

    with pytest.raises(DatabaseError):
        session.execute(text("UPDATE audit_entry SET action = 'forged'"))
    session.rollback()
    with pytest.raises(DatabaseError):
        session.execute(text("DELETE FROM audit_entry"))
    session.rollback()


def test_unknown_revision_means_newer_program(engine, db_url: str) -> None:  # type: ignore[no-untyped-def]
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM alembic_version"))
        conn.execute(text("INSERT INTO alembic_version (version_num) VALUES ('ffff_from_the_future')"))
    with pytest.raises(StorageError, match="newer opsctl"):
        ensure_schema(engine, resolve_database(db_url))
