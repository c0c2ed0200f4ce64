"""The audit log cannot be emptied or edited unnoticed (issue 19, part 5): its guards refuse,
`db check` says when a guard is gone and where the hash chain breaks, and concurrent
writers never fork the chain. Runs on SQLite and on PostgreSQL (OPSCTL_TEST_DATABASE_URL)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DatabaseError
from sqlmodel import Session, col, select

from opsctl.models.people import AuditEntry
from opsctl.services.audit_chain import GENESIS
from tests.conftest import TEST_DATABASE_URL, Cli, People, pk

on_postgres = pytest.mark.skipif(not TEST_DATABASE_URL, reason="PostgreSQL only (OPSCTL_TEST_DATABASE_URL)")
on_sqlite = pytest.mark.skipif(bool(TEST_DATABASE_URL), reason="SQLite only")


def _ids(session: Session) -> list[int]:
    return [pk(entry) for entry in session.exec(select(AuditEntry).order_by(col(AuditEntry.id)))]


def test_every_entry_carries_the_hash_of_the_one_before(session: Session, people: People, cli: Cli) -> None:
    entries = session.exec(select(AuditEntry).order_by(col(AuditEntry.id))).all()
    assert len(entries) > 5
    assert entries[0].prev_hash == GENESIS
    assert all(later.prev_hash == earlier.entry_hash for earlier, later in pairwise(entries))
    assert len({entry.entry_hash for entry in entries}) == len(entries)
    check = cli("db", "check", "-f", "json")
    assert check.exit_code == 0 and check.json()["problems"] == []


@pytest.fixture
def guards_put_back(engine: Engine) -> Iterator[None]:
    """On PostgreSQL the schema outlives the test: put back the guards a test took away."""
    yield
    if engine.dialect.name != "postgresql":
        return
    with engine.begin() as conn:
        conn.execute(text("DROP TRIGGER IF EXISTS audit_entry_append_only ON audit_entry"))
        conn.execute(text("DROP TRIGGER IF EXISTS audit_entry_no_truncate ON audit_entry"))
        conn.execute(text("CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON audit_entry "
                          "FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only()"))
        conn.execute(text("CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON audit_entry "
                          "FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_append_only()"))


def _unguarded(session: Session, guard: str) -> None:
    """Drop a guard as somebody with the database file (or the owner's role) can."""
    on = "" if session.get_bind().dialect.name == "sqlite" else " ON audit_entry"
    session.execute(text(f"DROP TRIGGER {guard}{on}"))


def test_db_check_names_a_dropped_guard_and_where_the_chain_breaks(
    session: Session, people: People, cli: Cli, guards_put_back: None
) -> None:
    sqlite = session.get_bind().dialect.name == "sqlite"
    guard = "audit_entry_no_delete" if sqlite else "audit_entry_append_only"
    _unguarded(session, guard)
    first, second, third = _ids(session)[2:5]
    session.execute(text("DELETE FROM audit_entry WHERE id = :id"), {"id": second})
    session.commit()
    check = cli("db", "check", "-f", "json")
    assert check.exit_code == 6
    assert check.json()["problems"] == [
        f"the trigger {guard} that keeps the audit log append-only is missing",
        f"audit entry {third} does not follow audit entry {first}: an entry before it was removed, changed or "
        "put in between",
    ]
    assert check.error.startswith("Error: the database check found problems: the trigger")


def test_db_check_finds_an_entry_changed_after_it_was_written(
    session: Session, people: People, cli: Cli, guards_put_back: None
) -> None:
    sqlite = session.get_bind().dialect.name == "sqlite"
    if sqlite:
        _unguarded(session, "audit_entry_no_update")
    else:  # switched off rather than dropped: db check says so
        session.execute(text("ALTER TABLE audit_entry DISABLE TRIGGER audit_entry_append_only"))
    forged = _ids(session)[3]
    session.execute(text("UPDATE audit_entry SET details = '{}' WHERE id = :id"), {"id": forged})
    session.commit()
    problems = cli("db", "check", "-f", "json").json()["problems"]
    state = "missing" if sqlite else "disabled"
    guard = "audit_entry_no_update" if sqlite else "audit_entry_append_only"
    assert problems == [f"the trigger {guard} that keeps the audit log append-only is {state}",
                        f"audit entry {forged} was changed after it was written (its fields do not match its hash)"]


def test_an_emptied_log_is_found_even_with_its_guards_back(
    session: Session, people: People, cli: Cli, guards_put_back: None
) -> None:
    if session.get_bind().dialect.name == "sqlite":
        _unguarded(session, "audit_entry_no_delete")
        session.execute(text("DELETE FROM audit_entry"))
        session.execute(text("CREATE TRIGGER audit_entry_no_DELETE BEFORE DELETE ON audit_entry "
                             "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"))
    else:
        session.execute(text("ALTER TABLE audit_entry DISABLE TRIGGER audit_entry_no_truncate"))
        session.execute(text("TRUNCATE audit_entry"))
        session.execute(text("ALTER TABLE audit_entry ENABLE TRIGGER audit_entry_no_truncate"))
    session.commit()
    check = cli("db", "check", "-f", "json")
    assert check.exit_code == 6 and check.json()["problems"] == [
        "the audit log is empty although people are stored (adding each one was logged): it was emptied"]


@on_postgres
def test_truncate_is_refused_to_the_owner_and_to_any_other_role(engine: Engine, people: People) -> None:
    role = f"opsctl_clerk_{os.getpid()}"
    with engine.connect() as owner:  # a connection of its own, as psql would be
        with pytest.raises(DatabaseError, match="the audit log is append-only"):
            owner.execute(text("TRUNCATE audit_entry"))
        owner.rollback()
    with engine.begin() as admin:
        admin.execute(text(f"CREATE ROLE {role}"))
        admin.execute(text(f"GRANT USAGE ON SCHEMA public TO {role}"))
        admin.execute(text(f"GRANT SELECT, INSERT ON audit_entry TO {role}"))
    try:
        with engine.connect() as clerk:
            clerk.execute(text(f"SET ROLE {role}"))
            for statement in ("TRUNCATE audit_entry", "DELETE FROM audit_entry", "UPDATE audit_entry SET action = 'x'"):
                with pytest.raises(DatabaseError, match="permission denied"):
                    clerk.execute(text(statement))
                clerk.rollback()
                clerk.execute(text(f"SET ROLE {role}"))
            # row-level security (issue 15): a role that is nobody's login reads no entry at all
            assert clerk.execute(text("SELECT count(*) FROM audit_entry")).scalar_one() == 0
            clerk.rollback()
        with engine.begin() as admin:  # even a role granted everything meets the guard
            admin.execute(text(f"GRANT ALL ON audit_entry TO {role}"))
        with engine.connect() as clerk:
            clerk.execute(text(f"SET ROLE {role}"))
            with pytest.raises(DatabaseError, match="the audit log is append-only"):
                clerk.execute(text("TRUNCATE audit_entry"))
            clerk.rollback()
    finally:
        with engine.begin() as admin:
            admin.execute(text(f"REVOKE ALL ON audit_entry FROM {role}"))
            admin.execute(text(f"REVOKE ALL ON SCHEMA public FROM {role}"))
            admin.execute(text(f"DROP ROLE {role}"))


STARTER = """
import os, sys, time
from opsctl.cli.main import app
import opsctl.cli.people, opsctl.services.people.employees, opsctl.db  # loaded before the signal
go = sys.argv[1]
while not os.path.exists(go):
    time.sleep(0.005)
sys.argv = ["opsctl", "people", "edit", sys.argv[2], "--email", sys.argv[2] + "@example.com"]
app()
"""


def test_concurrent_writers_never_fork_the_chain(
    db_url: str, people: People, session: Session, cli: Cli, tmp_path: Path
) -> None:
    logins = ["mona", "hana", "leo", "wei", "na", "sam"]
    go = tmp_path / "go"
    processes = [subprocess.Popen([sys.executable, "-c", STARTER, str(go), login],
                                  env={**os.environ, "OPSCTL_DB": db_url, "OPSCTL_USER": "ada", "NO_COLOR": "1"},
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for login in logins]
    time.sleep(2.5)  # let every process finish importing
    go.touch()
    results = [(p.wait(timeout=120), p.communicate()[1]) for p in processes]
    assert all(code == 0 for code, _err in results), results
    session.commit()
    edits = session.exec(select(AuditEntry).where(AuditEntry.action == "people.edit")).all()
    assert len(edits) == len(logins)
    check = cli("db", "check", "-f", "json")
    assert check.exit_code == 0, check.json()["problems"]


@on_sqlite
def test_a_database_from_0001_gets_its_chain_back_filled(tmp_path: Path, cli: Cli) -> None:
    from opsctl.db import ensure_schema, open_engine, upgrade
    from opsctl.settings import resolve_database

    path = tmp_path / "old.db"
    location = resolve_database(str(path))
    engine = open_engine(location, create=True)
    upgrade(engine, "0001")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO employee (login, name, role, active, created_at) "
                          "VALUES ('ada', 'Ada', 'admin', 1, '2026-01-01 00:00:00')"))
        for n in range(3):
            conn.execute(text("INSERT INTO audit_entry (at, actor_id, subject_id, action, entity, entity_id, details) "
                              f"VALUES ('2026-01-0{n + 1} 08:00:00.000000', 1, 1, 'people.edit', 'employee', 'ada', "
                              f"'{{\"n\": {n}}}')"))
    ensure_schema(engine, location)
    with engine.connect() as conn:
        chain = conn.execute(text("SELECT prev_hash, entry_hash FROM audit_entry ORDER BY id")).all()
        with pytest.raises(DatabaseError):  # the guard against UPDATE is back after the back-fill
            conn.execute(text("UPDATE audit_entry SET details = '{}'"))
    engine.dispose()
    assert chain[0][0] == GENESIS and chain[1][0] == chain[0][1] and chain[2][0] == chain[1][1]
    check = cli("--db", str(path), "db", "check", "-f", "json", user="ada")
    assert check.exit_code == 0 and check.json()["problems"] == []
