"""Who you are is proven by PostgreSQL, and its own rules hold (issue 15): each person connects
with their own login role; row-level security, guards and grants refuse what the README's rules
refuse even to a connection that bypasses opsctl (a raw psycopg connection or `psql` as that
role); opsctl itself keeps working for a person under their own role; --as is for admins; every
audit entry and every row a person's role writes is attributed by the server.

The PostgreSQL cases run with OPSCTL_TEST_DATABASE_URL; roles are cluster-wide, so each test's
roles carry the database's name, the process id and a random part, and are dropped afterwards."""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session, SQLModel

from opsctl.clock import FixedClock
from opsctl.services.access import SIGHT
from opsctl.services.server_rules import GUARDED, STAFFED, group_role
from tests.conftest import TEST_DATABASE_URL, Cli, People

on_postgres = pytest.mark.skipif(not TEST_DATABASE_URL, reason="PostgreSQL only (OPSCTL_TEST_DATABASE_URL)")
on_sqlite = pytest.mark.skipif(bool(TEST_DATABASE_URL), reason="SQLite only")
EVERYBODY = ("ada", "mona", "hana", "leo", "wei", "na", "sam")


# -- everywhere ----------------------------------------------------------------------------

def test_every_guarded_table_names_its_person_column_and_a_sight_area() -> None:
    from opsctl.models import load_all

    load_all()
    tables = SQLModel.metadata.tables
    for rule in GUARDED:
        assert rule.area in SIGHT, f"{rule.table}: no SIGHT row {rule.area!r}"
        if rule.table in tables:  # a table of a revision not in this tree yet is skipped, as on the server
            columns = tables[rule.table].columns
            assert rule.person in columns, f"{rule.table} has no column {rule.person}"
            assert all(name in columns for name in (*rule.decisions, *rule.after_decision)), rule.table
    assert all(table in tables for table in STAFFED)


def test_group_roles_of_two_databases_never_collide_and_fit_postgresql() -> None:
    assert group_role("test") == "test_opsctl_people"
    long_one, long_two = "x" * 60 + "a", "x" * 60 + "b"
    assert group_role(long_one) != group_role(long_two)
    assert max(len(group_role(long_one)), len(group_role(long_two))) <= 63


@on_sqlite
def test_on_sqlite_logins_are_refused_and_as_keeps_working(cli: Cli, people: People) -> None:
    for args in (("people", "grant", "wei"), ("people", "revoke", "wei"), ("db", "provision"), ("db", "roles")):
        result = cli(*args)
        assert result.exit_code == 1, (args, result.stderr)
        assert "on SQLite" in result.error and result.error.startswith("Error: ")
    assert cli("--as", "na", "attend", "in", user="wei").exit_code == 0  # SQLite: trusted, as before


# -- PostgreSQL: the set-up ----------------------------------------------------------------

@dataclass
class Logins:
    """Everybody's own login role on the test database."""

    roles: dict[str, str]
    url: str

    def url_of(self, login: str) -> str:
        return make_url(self.url).set(username=self.roles.get(login, login), password=None).render_as_string(
            hide_password=False)

    def conninfo(self, role: str) -> dict[str, Any]:
        url = make_url(self.url)
        return {"host": url.host or "127.0.0.1", "port": url.port or 5432, "dbname": url.database, "user": role}

    def connect(self, login: str) -> Any:
        """A connection of the person's own, as psql would be (autocommit: each statement alone)."""
        import psycopg

        return psycopg.connect(**self.conninfo(self.roles.get(login, login)), autocommit=True)

    def as_member(self, cli: Cli, login: str, *args: str) -> Any:
        """opsctl run by ``login`` under their own role (OPSCTL_USER unset)."""
        return cli(*args, env={"OPSCTL_DB": self.url_of(login), "OPSCTL_USER": ""})


def _prefix(engine: Engine) -> str:
    with engine.connect() as conn:
        return f"{conn.execute(text('SELECT current_database()')).scalar_one()}_t"


def _like(prefix: str) -> str:
    """A LIKE pattern for names starting with ``prefix`` (its ``_`` taken literally)."""
    return prefix.replace("\\", "\\\\").replace("_", "\\_").replace("%", "\\%") + "%"


def _drop_roles(engine: Engine, names: list[str]) -> None:
    with engine.begin() as conn:
        for name in names:
            conn.execute(text(f'DROP ROLE IF EXISTS "{name}"'))


@pytest.fixture
def logins(engine: Engine, people: People, cli: Cli, session: Session) -> Iterator[Logins]:
    """The database provisioned (by its owner, `db provision`) and a login role for each of the
    seven people (`people grant`, by ada through the owner's connection)."""
    session.commit()  # provision changes the tables' policies: it waits for every transaction reading them
    prefix = _prefix(engine)
    with engine.connect() as conn:  # roles an aborted run left behind (nobody connected with them)
        stale = conn.execute(text(
            "SELECT rolname FROM pg_roles WHERE rolname LIKE :p AND rolname NOT IN "
            "(SELECT usename FROM pg_stat_activity WHERE usename IS NOT NULL)"), {"p": _like(prefix)}).scalars().all()
    _drop_roles(engine, list(stale))
    assert cli("db", "provision").exit_code == 0
    tag = f"{prefix}{os.getpid()}{secrets.token_hex(2)}"
    roles = {login: f"{tag}_{login}" for login in EVERYBODY}
    try:
        for login, role in roles.items():
            granted = cli("people", "grant", login, "--db-role", role, "--no-password")
            assert granted.exit_code == 0, granted.stderr
        assert TEST_DATABASE_URL is not None
        yield Logins(roles, TEST_DATABASE_URL)
    finally:
        engine.dispose()
        with engine.connect() as conn:
            conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename LIKE :p"),
                         {"p": _like(tag)})
            conn.commit()
            extra = conn.execute(text("SELECT rolname FROM pg_roles WHERE rolname LIKE :p"),
                                 {"p": _like(tag)}).scalars().all()
        _drop_roles(engine, list(extra))


@pytest.fixture
def records(logins: Logins, cli: Cli, session: Session) -> dict[str, int]:
    """Each of na and wei has a punch, a pending punch correction, leave (na's approved, so it
    has a ledger entry; wei's pending), a KPI score, training attempt, certificate and note;
    mona has leave of her own. Made as the owner, with opsctl's own commands."""
    def ok(*args: str, user: str) -> Any:
        result = cli(*args, "-f", "json", user=user)
        assert result.exit_code == 0, (args, result.stderr)
        return result.json()

    ids: dict[str, int] = {}
    for login in ("na", "wei"):
        ids[f"{login}_punch"] = ok("attend", "in", user=login)["id"]
        ids[f"{login}_fix"] = ok("attend", "fix", "2026-03-16", "--out", "18:05", "--reason", "forgot",
                                 user=login)["id"]
        ids[f"{login}_leave"] = ok("leave", "request", "annual", "--from", "2026-03-30", "--reason", "rest",
                                   user=login)["id"]
        ok("people", "note", login, "Wants to lead the drills", user="mona")
        ok("training", "cert", "add", login, "First aid", "--issued", "2026-01-10", user="hana")
    ids["mona_leave"] = ok("leave", "request", "annual", "--from", "2026-03-31", "--reason", "rest",
                           user="mona")["id"]
    ok("leave", "approve", str(ids["na_leave"]), user="mona")
    ok("kpi", "cycle", "open", "2026Q1", user="ada")
    for login in ("na", "wei"):
        ok("kpi", "score", login, "--cycle", "2026Q1", "--role", "supervisor", "results=80", user="mona")
    plan = ok("training", "plan", "add", "Drill", "--year", "2026", "--category", "skills", "--quarter", "Q1",
              "--hours", "2h", "--trainer", "leo", user="mona")
    sid = str(ok("training", "session", "add", str(plan["id"]), "--on", "2026-03-10", user="mona")["id"])
    ok("training", "enroll", sid, "wei,na", user="leo")
    ok("training", "result", sid, "na", "--score", "70", user="leo")
    ok("training", "result", sid, "wei", "--score", "90", user="leo")
    ids["session"] = int(sid)
    people_ids = {login: pid for login, pid in session.execute(text("SELECT login, id FROM employee"))}
    ids.update(people_ids)
    ids["cycle"] = session.execute(text("SELECT id FROM kpi_cycle")).scalar_one()
    return ids


# -- PostgreSQL: what the server refuses to a person's own connection ------------------------

NA_ROWS = "SELECT count(*) FROM {table} WHERE employee_id = {na}"
# (who, what they try, SQL): a read shows none of the rows the owner sees; a write raises
# insufficient_privilege (a policy, a guard or a missing grant) or, where a policy hides the
# row from an UPDATE or DELETE, changes nothing.
HIDDEN_READS = [
    ("wei", "punch"), ("wei", "attendance_correction"), ("wei", "leave_request"), ("wei", "leave_ledger"),
    ("wei", "kpi_score"), ("wei", "training_result"), ("wei", "training_certificate"),
    ("wei", "development_note"), ("sam", "punch"), ("sam", "leave_request"), ("sam", "kpi_score"),
    ("leo", "development_note"), ("leo", "training_certificate"),
]
REFUSED_WRITES = [
    ("wei", "a punch for na", "INSERT INTO punch (employee_id, at, work_date, source) "
                              "VALUES ({na}, now(), current_date, 'clock')"),
    ("wei", "a correction for na", "INSERT INTO attendance_correction (employee_id, work_date, reason, status, "
     "limit_override, requested_by_id, requested_at) VALUES ({na}, current_date, 'x', 'pending', false, {wei}, now())"),
    ("wei", "approving their own correction", "UPDATE attendance_correction SET status = 'approved', "
                                              "decided_by_id = {wei} WHERE id = {wei_fix}"),
    ("wei", "leave asked for na", "INSERT INTO leave_request (employee_id, type_id, start, start_half, \"end\", "
     "end_half, days, reason, status, levels, approved_level, requested_by_id, requested_at) "
     "SELECT {na}, type_id, start, start_half, \"end\", end_half, days, reason, 'pending', levels, 0, {wei}, now() "
     "FROM leave_request WHERE id = {wei_leave}"),
    ("wei", "approving their own leave", "UPDATE leave_request SET status = 'approved' WHERE id = {wei_leave}"),
    ("wei", "a manager's approval of their own leave", "UPDATE leave_request SET approved_level = 1, "
                                                       "approved_by_id = {mona} WHERE id = {wei_leave}"),
    ("wei", "leave stored approved from the start", "INSERT INTO leave_request (employee_id, type_id, start, "
     "start_half, \"end\", end_half, days, reason, status, levels, approved_level, requested_by_id, requested_at) "
     "SELECT employee_id, type_id, start + 7, start_half, \"end\" + 7, end_half, days, reason, 'approved', levels, "
     "1, {wei}, now() FROM leave_request WHERE id = {wei_leave}"),
    ("wei", "days added to their own balance", "INSERT INTO leave_ledger (employee_id, type_id, year, days, kind, "
     "created_at) SELECT {wei}, type_id, 2026, 10, 'allocation', now() FROM leave_request WHERE id = {wei_leave}"),
    ("wei", "a 'cancellation' that returns days never taken", "INSERT INTO leave_ledger (employee_id, type_id, year, "
     "days, kind, request_id, created_at) SELECT {wei}, type_id, 2026, 3, 'cancellation', id, now() "
     "FROM leave_request WHERE id = {wei_leave}"),
    ("wei", "a supervisor's score of themself", "INSERT INTO kpi_score (cycle_id, employee_id, indicator, role, "
     "rater_id, score, created_at, updated_at) "
     "VALUES ({cycle}, {wei}, 'skills', 'supervisor', {wei}, 100, now(), now())"),
    ("wei", "a score in mona's name", "INSERT INTO kpi_score (cycle_id, employee_id, indicator, role, rater_id, "
     "score, created_at, updated_at) VALUES ({cycle}, {wei}, 'skills', 'supervisor', {mona}, 100, now(), now())"),
    ("wei", "a 'self' score of na", "INSERT INTO kpi_score (cycle_id, employee_id, indicator, role, rater_id, score, "
     "created_at, updated_at) VALUES ({cycle}, {na}, 'skills', 'self', {wei}, 10, now(), now())"),
    ("wei", "a training result of their own", "INSERT INTO training_result (session_id, employee_id, attempt, day, "
     "score, method, recorded_at) VALUES ({session}, {wei}, 2, current_date, 100, 'exam', now())"),
    ("wei", "a note in na's development record", "INSERT INTO development_note (employee_id, author_id, at, text) "
     "VALUES ({na}, {wei}, now(), 'x')"),
    ("wei", "making themself an admin", "UPDATE employee SET role = 'admin' WHERE id = {wei}"),
    ("wei", "becoming na's manager", "UPDATE employee SET manager_id = {wei} WHERE id = {na}"),
    ("wei", "adding an employee", "INSERT INTO employee (login, name, role, active, created_at) "
                                  "VALUES ('mole', 'Mole', 'admin', true, now())"),
    ("wei", "a team setting", "UPDATE setting SET value = value WHERE true"),
    ("wei", "a login for somebody", "INSERT INTO db_login (employee_id, db_role, granted_at) "
                                    "VALUES ({na}, 'nobody', now())"),
    ("wei", "an audit entry in mona's name", "INSERT INTO audit_entry (at, actor_id, action, entity, entity_id, "
     "details) VALUES (now(), {mona}, 'leave.approve', 'leave_request', '1', '{{}}')"),
    ("wei", "editing the audit log", "UPDATE audit_entry SET action = 'x'"),
    ("wei", "deleting the audit log", "DELETE FROM audit_entry"),
    ("wei", "emptying the punches", "TRUNCATE punch"),
    ("mona", "approving her own leave", "UPDATE leave_request SET status = 'approved', approved_level = 1, "
                                         "approved_by_id = {mona} WHERE id = {mona_leave}"),
    ("hana", "making na an admin (HR)", "UPDATE employee SET role = 'admin' WHERE id = {na}"),
    ("hana", "moving herself to another manager", "UPDATE employee SET manager_id = {mona} WHERE id = {hana}"),
]
UNCHANGED_WRITES = [
    ("leo", "approving wei's leave (their lead, not in the chain)", "UPDATE leave_request SET status = 'approved' "
                                                                    "WHERE id = {wei_leave}",
     "SELECT status FROM leave_request WHERE id = {wei_leave}"),
    ("wei", "moving their own punch", "UPDATE punch SET at = at - interval '1 hour' WHERE id = {wei_punch}",
     "SELECT at FROM punch WHERE id = {wei_punch}"),
    ("wei", "deleting their own punch", "DELETE FROM punch WHERE id = {wei_punch}",
     "SELECT count(*) FROM punch WHERE id = {wei_punch}"),
    ("wei", "rewriting their ledger", "UPDATE leave_ledger SET days = 100",
     "SELECT sum(days) FROM leave_ledger"),
    ("sam", "approving wei's leave (not his manager)", "UPDATE leave_request SET status = 'approved' "
                                                       "WHERE id = {wei_leave}",
     "SELECT status FROM leave_request WHERE id = {wei_leave}"),
    ("wei", "deleting na's note", "DELETE FROM development_note WHERE employee_id = {na}",
     "SELECT count(*) FROM development_note"),
]


def _owner_scalar(session: Session, sql: str) -> Any:
    session.rollback()
    return session.execute(text(sql)).scalar()


@on_postgres
@pytest.mark.parametrize(("who", "table"), HIDDEN_READS, ids=[f"{w}-reads-{t}" for w, t in HIDDEN_READS])
def test_a_person_reads_none_of_the_rows_the_rules_hide(
    logins: Logins, records: dict[str, int], session: Session, who: str, table: str
) -> None:
    sql = NA_ROWS.format(table=table, **records)
    assert _owner_scalar(session, sql) >= 1
    with logins.connect(who) as conn:
        assert conn.execute(sql).fetchone() == (0,)


@on_postgres
@pytest.mark.parametrize(("who", "what", "sql"), REFUSED_WRITES, ids=[f"{w}-{what}" for w, what, _ in REFUSED_WRITES])
def test_the_server_refuses_a_write_outside_the_rules(
    logins: Logins, records: dict[str, int], who: str, what: str, sql: str
) -> None:
    import psycopg

    with logins.connect(who) as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute(sql.format(**records))


@on_postgres
@pytest.mark.parametrize(("who", "what", "sql", "check"), UNCHANGED_WRITES,
                         ids=[f"{w}-{what}" for w, what, _, _ in UNCHANGED_WRITES])
def test_a_write_to_rows_the_rules_hide_changes_nothing(
    logins: Logins, records: dict[str, int], session: Session, who: str, what: str, sql: str, check: str
) -> None:
    before = _owner_scalar(session, check.format(**records))
    with logins.connect(who) as conn:
        assert conn.execute(sql.format(**records)).rowcount == 0
    assert _owner_scalar(session, check.format(**records)) == before


def test_there_are_at_least_thirty_server_enforced_refusals() -> None:
    assert len(HIDDEN_READS) + len(REFUSED_WRITES) + len(UNCHANGED_WRITES) >= 30


@on_postgres
def test_what_the_rules_allow_the_server_allows(logins: Logins, records: dict[str, int], cli: Cli) -> None:
    assert cli("team", "edit", "Ops", "--lead", "leo").exit_code == 0
    def count(who: str, table: str, person: str) -> int:
        with logins.connect(who) as conn:
            row = conn.execute(f"SELECT count(*) FROM {table} WHERE employee_id = {records[person]}").fetchone()
            return int(row[0]) if row else 0

    assert count("wei", "punch", "wei") == 1            # one's own
    assert count("mona", "punch", "na") == 1            # the manager chain
    assert count("leo", "punch", "na") == 1             # the team lead sees attendance …
    assert count("leo", "leave_request", "na") == 1     # … and leave
    assert count("hana", "development_note", "na") == 1  # HR
    assert count("mona", "kpi_score", "wei") == 1       # the rater, and the manager
    with logins.connect("mona") as conn:  # mona approves wei's leave by hand: the rule allows it
        assert conn.execute(f"UPDATE leave_request SET status = 'rejected', closed_by_id = {records['mona']} "
                            f"WHERE id = {records['wei_leave']}").rowcount == 1


@on_postgres
def test_a_role_that_is_nobody_reads_and_writes_nothing(
    logins: Logins, records: dict[str, int], engine: Engine, cli: Cli
) -> None:
    import psycopg

    stranger = f"{_prefix(engine)}{os.getpid()}{secrets.token_hex(2)}_stranger"
    group = group_role(make_url(logins.url).database or "")
    with engine.begin() as conn:
        conn.execute(text(f'CREATE ROLE "{stranger}" LOGIN IN ROLE "{group}"'))
    try:
        with logins.connect(stranger) as conn:
            assert conn.execute("SELECT count(*) FROM punch").fetchone() == (0,)
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(f"INSERT INTO punch (employee_id, at, work_date, source) "
                             f"VALUES ({records['wei']}, now(), current_date, 'clock')")
        result = logins.as_member(cli, stranger, "attend", "status")
        assert result.exit_code == 4
        assert result.error == (f"Error: the database role {stranger!r} is nobody here; an admin gives you a login "
                                "of your own with `opsctl people grant YOUR_LOGIN`, and you connect with it")
    finally:
        _drop_roles(engine, [stranger])


# -- PostgreSQL: opsctl under a person's own role ---------------------------------------------

@on_postgres
def test_opsctl_works_for_people_under_their_own_roles(
    logins: Logins, cli: Cli, session: Session, clock: FixedClock
) -> None:
    def run(login: str, *args: str) -> Any:
        result = logins.as_member(cli, login, *args, "-f", "json")
        assert result.exit_code == 0, (login, args, result.stderr)
        return result.json()

    assert run("wei", "attend", "in")["kind"] == "in"
    assert run("wei", "attend", "status")["state"] == "in"
    asked = run("wei", "leave", "request", "annual", "--from", "2026-03-30", "--reason", "rest")
    assert asked["status"] == "pending"
    own = logins.as_member(cli, "wei", "leave", "approve", str(asked["id"]))
    assert own.exit_code == 4 and "nobody approves their own" in own.error
    assert run("mona", "leave", "approve", str(asked["id"]))["status"] == "approved"
    assert [row["login"] for row in run("mona", "leave", "list")] == ["wei"]
    assert run("na", "leave", "list") == []  # na sees none of wei's
    assert cli("kpi", "cycle", "open", "2026Q1").exit_code == 0
    scored = run("wei", "kpi", "score", "wei", "--cycle", "2026Q1", "--role", "self", "results=90")
    assert {score["role"] for score in scored} == {"self"}
    assert run("mona", "kpi", "score", "wei", "--cycle", "2026Q1", "--role", "supervisor", "results=80")
    assert logins.as_member(cli, "wei", "today").exit_code == 0
    clock.advance(hours=9)
    assert run("wei", "attend", "out")["kind"] == "out"
    session.rollback()
    approval = session.execute(text("SELECT a.db_role, b.login FROM audit_entry a JOIN employee b ON b.id = a.by_id "
                                    "WHERE a.action = 'leave.approve'")).one()
    assert tuple(approval) == (logins.roles["mona"], "mona")
    written = [tuple(row) for row in session.execute(text("SELECT db_role, table_name, op FROM db_change"))]
    assert (logins.roles["wei"], "punch", "INSERT") in written
    assert (logins.roles["mona"], "leave_ledger", "INSERT") in written  # the days taken, by the approver
    check = cli("db", "check", "-f", "json")
    assert check.exit_code == 0, check.json()["problems"]  # one chain, though each saw only their entries


@on_postgres
def test_as_and_opsctl_user_are_for_admins_and_audited_with_both(
    logins: Logins, cli: Cli, records: dict[str, int], session: Session
) -> None:
    expected = (f"Error: on this PostgreSQL database you are wei (the role {logins.roles['wei']!r}), and only an "
                "admin acts for somebody else; leave out --as and unset OPSCTL_USER")
    assert logins.as_member(cli, "wei", "--as", "na", "attend", "in").error == expected
    by_env = cli("attend", "in", env={"OPSCTL_DB": logins.url_of("wei"), "OPSCTL_USER": "na"})
    assert by_env.exit_code == 4 and by_env.error == expected
    assert cli("attend", "status", env={"OPSCTL_DB": logins.url_of("wei"), "OPSCTL_USER": "wei"}).exit_code == 0
    for_mona = logins.as_member(cli, "ada", "--as", "mona", "leave", "approve", str(records["wei_leave"]))
    assert for_mona.exit_code == 0, for_mona.stderr
    session.rollback()
    entry = session.execute(text(
        "SELECT actor.login, a.db_role, admin.login FROM audit_entry a JOIN employee actor ON actor.id = a.actor_id "
        "JOIN employee admin ON admin.id = a.by_id WHERE a.action = 'leave.approve' AND a.entity_id = :id"),
        {"id": str(records["wei_leave"])}).one()
    assert tuple(entry) == ("mona", logins.roles["ada"], "ada")  # for mona, by ada (proven by her role)
    shown = cli("audit", "list", "--action", "leave.approve", "-f", "json", user="hana").json()
    assert shown[0]["actor"] == "mona"


@on_postgres
def test_a_revoked_or_departed_person_is_refused(logins: Logins, cli: Cli, engine: Engine, session: Session) -> None:
    wei, role = logins.roles["wei"], logins.roles["wei"]
    revoked = cli("people", "revoke", "wei", "-f", "json")
    assert revoked.exit_code == 0 and revoked.json()["db_role"] == wei
    with engine.connect() as conn:
        assert conn.execute(text("SELECT rolcanlogin FROM pg_roles WHERE rolname = :r"), {"r": role}).scalar() is False
    import psycopg

    with pytest.raises(psycopg.OperationalError, match="not permitted to log in"):
        logins.connect("wei")
    with engine.begin() as conn:  # somebody gives the role its LOGIN and group back behind opsctl's back
        conn.execute(text(f'ALTER ROLE "{role}" LOGIN'))
        conn.execute(text(f'GRANT "{group_role(make_url(logins.url).database or "")}" TO "{role}"'))
    result = logins.as_member(cli, "wei", "attend", "status")
    assert result.exit_code == 4
    assert result.error == (f"Error: the login {role!r} of wei was revoked on 2026-03-18; an admin gives it back "
                            "with `opsctl people grant wei`")
    assert cli("people", "revoke", "wei").exit_code == 5  # nothing left to revoke
    assert cli("people", "grant", "wei", "--db-role", role, "--no-password").exit_code == 0  # given back
    assert logins.as_member(cli, "wei", "attend", "status").exit_code == 0
    gone = cli("people", "deactivate", "na", "--on", "2026-03-18", user="hana")
    assert gone.exit_code == 0, gone.stderr
    session.rollback()
    assert session.execute(text("SELECT revoked_at IS NOT NULL FROM db_login l JOIN employee e ON e.id = "
                                "l.employee_id WHERE e.login = 'na'")).scalar() is True
    with pytest.raises(psycopg.OperationalError, match="not permitted to log in"):
        logins.connect("na")


@on_postgres
def test_provision_is_for_the_owner_and_can_run_again(logins: Logins, cli: Cli, session: Session) -> None:
    owner = session.execute(text("SELECT pg_get_userbyid(relowner) FROM pg_class WHERE oid = 'employee'::regclass")
                            ).scalar_one()
    session.commit()
    again = cli("db", "provision", "-f", "json")
    assert again.exit_code == 0 and again.json()["created"] is False and again.json()["logins"] == 7
    assert "punch" in again.json()["guarded_tables"]
    refused = logins.as_member(cli, "ada", "db", "provision")
    assert refused.exit_code == 6
    assert refused.error.startswith(f"Error: only the owner of the tables ({owner}) provisions the database, not "
                                    f"{logins.roles['ada']}; connect as {owner}")


@on_postgres
def test_grant_refuses_an_existing_role_and_db_roles_lists_everyone(
    logins: Logins, cli: Cli, engine: Engine, session: Session
) -> None:
    taken = logins.roles["wei"]
    with engine.begin() as conn:  # a new person, and a role name another database's people could hold
        conn.execute(text("INSERT INTO employee (login, name, role, active, created_at) "
                          "VALUES ('kai', 'Kai', 'member', true, now())"))
    clash = cli("people", "grant", "kai", "--db-role", taken)
    assert clash.exit_code == 5
    assert clash.error == (f"Error: the database role {taken!r} exists already on this server (roles are shared by "
                           "all its databases); choose another name with --db-role")
    assert cli("people", "grant", "kai", "--db-role", "pg_kai").exit_code == 1
    refused = logins.as_member(cli, "mona", "people", "grant", "kai", "--db-role", f"{taken}_k")
    assert refused.exit_code == 4
    kai = f"{taken}_kai"
    made = cli("people", "grant", "kai", "--db-role", kai, "-f", "json")
    assert made.exit_code == 0 and len(made.json()["password"]) >= 16  # shown once
    typed = cli("people", "grant", "kai", "--db-role", kai, "--password-stdin", input="s3cret-enough\n")
    assert typed.exit_code == 5  # kai has one already
    listed = {row["login"]: row for row in logins.as_member(cli, "hana", "db", "roles", "-f", "json").json()}
    assert set(listed) == {*EVERYBODY, "kai"}
    assert listed["hana"]["last_seen"] is not None and listed["kai"]["can_log_in"] is True
    assert logins.as_member(cli, "wei", "db", "roles").exit_code == 4


@on_postgres
@pytest.mark.skipif(shutil.which("psql") is None, reason="psql is not on PATH")
def test_psql_under_a_persons_role_is_refused_and_attributed(
    logins: Logins, records: dict[str, int], session: Session
) -> None:
    info = logins.conninfo(logins.roles["wei"])

    def psql(sql: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["psql", "-X", "-v", "ON_ERROR_STOP=1", "-h", str(info["host"]), "-p", str(info["port"]),
                               "-U", info["user"], "-d", str(info["dbname"]), "-c", sql],
                              capture_output=True, text=True, timeout=30, check=False,
                              env={**os.environ, "PGPASSWORD": ""})

    approve = psql(f"UPDATE leave_request SET status = 'approved' WHERE id = {records['wei_leave']}")
    assert approve.returncode != 0 and "only an approver of employee" in approve.stderr
    peek = psql(f"SELECT count(*) FROM leave_request WHERE employee_id = {records['na']}")
    assert peek.returncode == 0 and " 0\n" in peek.stdout
    edit = psql(f"UPDATE leave_request SET reason = 'edited in psql' WHERE id = {records['wei_leave']}")
    assert edit.returncode == 0, edit.stderr
    session.rollback()
    change = session.execute(text("SELECT db_role, op, row_id FROM db_change WHERE table_name = 'leave_request' "
                                  "ORDER BY id DESC LIMIT 1")).one()
    assert tuple(change) == (logins.roles["wei"], "UPDATE", records["wei_leave"])
