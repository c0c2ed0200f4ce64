"""The rules PostgreSQL itself holds (issue 15): who a connection is, which rows of the
sensitive tables it reads and writes, who decides, and the audit log's stamp.

On PostgreSQL the acting person is the one whose login role (`db_login`) the connection
authenticated as (``session_user``). Every person's login role is a member of the database's
group role (`group_role`), which has the table privileges; row-level security policies,
generated from `GUARDED` (one row per table) and `SIGHT` (one row per area, from
`opsctl.services.access`), then decide row by row, and triggers guard the decision columns,
the employee table's roles and the audit log. The owner of the tables (and a superuser) is
not subject to any of it: it keeps today's behaviour, as the owner of a SQLite file does.

`sync_server_rules` (re)creates all of it, idempotently: revision 0010 runs it, `opsctl db
provision` runs it, and every later schema upgrade runs it again (`opsctl.migrations.AFTER_UPGRADE`),
so a table added by a later revision gets its policies as soon as it exists.

To guard a new table: add one `Guarded` row below (its person column, its `SIGHT` area, who
writes it). A table not listed is readable and writable by every person's role; opsctl's own
rules are then the only ones that hold for it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlmodel import Session

from opsctl import migrations
from opsctl.errors import InvalidInput, StorageError
from opsctl.models.people import Employee
from opsctl.services.access import ADMIN_ROLES, SIGHT

# Who may write a row about person P (the SQL reads the person column as {person}):
ACT_FOR = "opsctl_may_act_for({person})"      # P, P's manager chain, HR, admins (`can_act_for`)
APPROVER = "opsctl_may_approve({person})"     # P's manager chain, HR, admins; never P (`may_approve`)
HR_ADMIN = "opsctl_has_role('{hr,admin}')"   # HR and admins
NOBODY = "false"                              # nobody but the owner


@dataclass(frozen=True)
class Guarded:
    """One table whose rows belong to a person: read as `SIGHT[area]` says, written as below.

    ``also_read``: SQL for who else reads a row (a rater their own scores). ``decisions``:
    columns that only an approver of the person sets or changes (never about themself);
    ``status``: the status column, whose change to anything but ``free`` (what the person
    themself may set: asking, withdrawing) is a decision too; once decided, somebody who is no
    approver changes only ``after_decision`` columns (withdrawing approved leave)."""

    table: str
    person: str
    area: str
    insert: str = ACT_FOR
    update: str = APPROVER
    delete: str = HR_ADMIN
    also_read: str | None = None
    decisions: tuple[str, ...] = ()
    status: str | None = None
    free: tuple[str, ...] = ("pending",)
    after_decision: tuple[str, ...] = ()


# What only an approver writes in a leave request or a punch correction.
_LEAVE_DECISIONS = ("approved_level", "approved_by_id", "approved_at", "hr_approved_by_id", "hr_approved_at")
# A session's own trainer (a member, by login) records its attendance and results.
_TRAINER = ("EXISTS (SELECT 1 FROM training_session s WHERE s.id = session_id "
            "AND lower(s.trainer) = opsctl_my_login())")
_SCORER = "opsctl_may_score(employee_id, rater_id, role)"  # `kpi.scores.Raters.check`, peers' team aside
_STAFF = "opsctl_has_role('{lead,manager,hr,admin}')"  # training staff (`training.plan.STAFF_ROLES`)

GUARDED: tuple[Guarded, ...] = (
    # attendance: a person clocks their own punches; only approvers add or move others'
    Guarded("punch", "employee_id", "attendance", update=APPROVER, delete=APPROVER),
    Guarded("attendance_correction", "employee_id", "attendance", update=ACT_FOR,
            decisions=("decided_by_id", "decided_at"), status="status"),
    # leave: asked by the person (or for them), decided by an approver, withdrawn by the person
    Guarded("leave_request", "employee_id", "leave", update=ACT_FOR, decisions=_LEAVE_DECISIONS,
            status="status", free=("pending", "cancelled"),
            after_decision=("status", "closed_by_id", "closed_at", "close_note")),
    # the balance: approvals take days (an approver), the person's own withdrawal gives back at
    # most what their request took, HR allocates; entries are never edited
    Guarded("leave_ledger", "employee_id", "leave",
            insert=f"({APPROVER} OR opsctl_ledger_return(employee_id, request_id, year, days, kind))",
            update=NOBODY, delete=NOBODY),
    # KPI: one's own scores as `self`, supervisors' and customers' scores by an approver
    Guarded("kpi_score", "employee_id", "kpi", also_read="rater_id = opsctl_me()", insert=_SCORER, update=_SCORER,
            delete=HR_ADMIN),
    Guarded("kpi_member", "employee_id", "kpi", insert=_STAFF, update=_STAFF, delete=_STAFF),
    # training: results and attendance by staff or the session's trainer
    Guarded("training_result", "employee_id", "training", also_read=f"({_STAFF} OR {_TRAINER})",
            insert=f"({_STAFF} OR {_TRAINER})", update=f"({_STAFF} OR {_TRAINER})", delete=HR_ADMIN),
    Guarded("training_certificate", "employee_id", "training", update=ACT_FOR, delete=ACT_FOR),
    Guarded("development_note", "employee_id", "profile", update=ACT_FOR, delete=ACT_FOR),
)

# Tables everybody reads and only these roles write (a person's role, team and manager decide
# what they may do, so they are not theirs to change).
STAFFED: dict[str, tuple[str, ...]] = {
    "employee": ("hr", "admin"),
    "team": ("hr", "admin"),
    "setting": ("admin",),
    "leave_type": ("hr", "admin"),
    "schedule": ("hr", "admin"),
    "schedule_assignment": ("hr", "admin"),
    "calendar_day": ("hr", "admin"),
}

# Never written by a person's role directly (SECURITY DEFINER functions and triggers do it).
OWNER_ONLY = ("db_login", "db_change", "alembic_version")


def group_role(database: str) -> str:
    """The group role of one database: every person's login is in it. Roles are shared by the
    whole server, so the name carries the database's (cut, with a hash, to PostgreSQL's 63)."""
    name = f"{database}_opsctl_people"
    if len(name) <= 63:
        return name
    return f"{database[:40]}_{hashlib.sha256(database.encode()).hexdigest()[:8]}_opsctl_people"


# -- the SQL ----------------------------------------------------------------------------

def _functions(schema: str) -> str:
    admin_roles = "{" + ",".join(sorted(ADMIN_ROLES)) + "}"
    definer = f"SECURITY DEFINER SET search_path = {schema}, pg_temp"
    return f"""
SET LOCAL check_function_bodies = off;
CREATE OR REPLACE FUNCTION opsctl_owner_connected() RETURNS boolean LANGUAGE sql STABLE {definer} AS $$
  SELECT pg_has_role(session_user, (SELECT relowner FROM pg_class WHERE oid = 'employee'::regclass), 'MEMBER')
$$;
CREATE OR REPLACE FUNCTION opsctl_me() RETURNS integer LANGUAGE sql STABLE {definer} AS $$
  SELECT l.employee_id FROM db_login l JOIN employee e ON e.id = l.employee_id
  WHERE l.db_role = session_user AND l.revoked_at IS NULL AND e.active
$$;
CREATE OR REPLACE FUNCTION opsctl_my_login() RETURNS text LANGUAGE sql STABLE {definer} AS $$
  SELECT login FROM employee WHERE id = opsctl_me()
$$;
CREATE OR REPLACE FUNCTION opsctl_has_role(roles text[]) RETURNS boolean LANGUAGE sql STABLE {definer} AS $$
  SELECT coalesce((SELECT role = ANY(roles) FROM employee WHERE id = opsctl_me()), false)
$$;
CREATE OR REPLACE FUNCTION opsctl_chain(person integer) RETURNS integer[] LANGUAGE sql STABLE {definer} AS $$
  WITH RECURSIVE up(id, depth) AS (
    SELECT manager_id, 1 FROM employee WHERE id = person
    UNION ALL SELECT e.manager_id, up.depth + 1 FROM employee e JOIN up ON e.id = up.id
    WHERE e.manager_id IS NOT NULL AND up.depth < 64)
  SELECT coalesce(array_agg(DISTINCT id), '{{}}') FROM up WHERE id IS NOT NULL AND id <> person
$$;
CREATE OR REPLACE FUNCTION opsctl_may_act_for(person integer) RETURNS boolean LANGUAGE sql STABLE {definer} AS $$
  SELECT opsctl_me() IS NOT NULL AND (person = opsctl_me() OR opsctl_has_role('{admin_roles}')
         OR opsctl_me() = ANY(opsctl_chain(person)))
$$;
CREATE OR REPLACE FUNCTION opsctl_may_approve(person integer) RETURNS boolean LANGUAGE sql STABLE {definer} AS $$
  SELECT opsctl_me() IS NOT NULL AND person IS DISTINCT FROM opsctl_me()
         AND (opsctl_has_role('{admin_roles}') OR opsctl_me() = ANY(opsctl_chain(person)))
$$;
CREATE OR REPLACE FUNCTION opsctl_seen_ids(see_all text[], managers boolean, team_lead boolean,
                                           lead_role_own_team boolean)
RETURNS integer[] LANGUAGE plpgsql STABLE {definer} AS $$
DECLARE me integer := opsctl_me(); my_role text; my_team integer;
BEGIN
  IF me IS NULL THEN RETURN '{{}}'; END IF;
  SELECT role, team_id INTO my_role, my_team FROM employee WHERE id = me;
  IF my_role = ANY(see_all) THEN RETURN NULL; END IF;  -- everybody
  RETURN ARRAY(
    SELECT me
    UNION
    SELECT id FROM (WITH RECURSIVE down(id, depth) AS (
        SELECT id, 1 FROM employee WHERE manager_id = me
        UNION ALL SELECT e.id, down.depth + 1 FROM employee e JOIN down ON e.manager_id = down.id
        WHERE down.depth < 64)
      SELECT id FROM down) below WHERE managers
    UNION
    SELECT e.id FROM employee e JOIN team t ON t.id = e.team_id WHERE team_lead AND t.lead_id = me
    UNION
    SELECT e.id FROM employee e
    WHERE lead_role_own_team AND my_role = 'lead' AND my_team IS NOT NULL AND e.team_id = my_team);
END $$;
CREATE OR REPLACE FUNCTION opsctl_may_score(person integer, rater integer, rater_role text)
RETURNS boolean LANGUAGE sql STABLE {definer} AS $$
  SELECT rater = opsctl_me() AND (rater_role = 'self') = (person = opsctl_me())
         AND (rater_role NOT IN ('supervisor', 'customer') OR opsctl_may_approve(person))
$$;
CREATE OR REPLACE FUNCTION opsctl_ledger_return(person integer, request integer, in_year integer,
                                                returned double precision, entry_kind text)
RETURNS boolean LANGUAGE sql STABLE {definer} AS $$
  SELECT person = opsctl_me() AND entry_kind = 'cancellation' AND returned > 0
     AND EXISTS (SELECT 1 FROM leave_request r WHERE r.id = request AND r.employee_id = person)
     AND returned <= -(SELECT coalesce(sum(days), 0) FROM leave_ledger
                       WHERE request_id = request AND year = in_year)
$$;
CREATE OR REPLACE FUNCTION opsctl_refuse(message text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION '%', message USING ERRCODE = 'insufficient_privilege'; END $$;
CREATE OR REPLACE FUNCTION opsctl_guard_decision() RETURNS trigger LANGUAGE plpgsql {definer} AS $$
-- TG_ARGV: person column, decision columns, status column, statuses the person sets, columns
-- that change after the decision
DECLARE
  new_row jsonb := to_jsonb(NEW);
  old_row jsonb := CASE WHEN TG_OP = 'UPDATE' THEN to_jsonb(OLD) ELSE '{{}}'::jsonb END;
  person integer := (new_row ->> TG_ARGV[0])::integer;
  free text[] := string_to_array(TG_ARGV[3], ',');
  kept text[] := string_to_array(TG_ARGV[4], ',');
  name text;
  decides boolean := false;
BEGIN
  IF opsctl_owner_connected() OR opsctl_may_approve(person) THEN RETURN NEW; END IF;
  FOREACH name IN ARRAY string_to_array(TG_ARGV[1], ',') LOOP
    IF (new_row -> name) IS DISTINCT FROM coalesce(old_row -> name, 'null'::jsonb)
       AND NOT (TG_OP = 'INSERT' AND (new_row -> name) IN ('null'::jsonb, '0'::jsonb)) THEN
      decides := true;
    END IF;
  END LOOP;
  IF TG_ARGV[2] <> '' AND (new_row -> TG_ARGV[2]) IS DISTINCT FROM (old_row -> TG_ARGV[2])
     AND NOT (new_row ->> TG_ARGV[2]) = ANY(free) THEN
    decides := true;
  END IF;
  IF TG_OP = 'UPDATE' AND TG_ARGV[2] <> '' AND NOT (old_row ->> TG_ARGV[2]) = ANY(free) THEN
    FOR name IN SELECT jsonb_object_keys(new_row) LOOP
      IF NOT name = ANY(kept) AND (new_row -> name) IS DISTINCT FROM (old_row -> name) THEN
        decides := true;
      END IF;
    END LOOP;
  END IF;
  IF decides THEN
    PERFORM opsctl_refuse(format('only an approver of employee %s (their manager, HR or an admin; nobody '
                                 'about themself) decides on a %s', person, TG_TABLE_NAME));
  END IF;
  RETURN NEW;
END $$;
CREATE OR REPLACE FUNCTION opsctl_guard_employee() RETURNS trigger LANGUAGE plpgsql {definer} AS $$
BEGIN
  IF opsctl_owner_connected() THEN RETURN NEW; END IF;
  IF TG_OP = 'UPDATE' AND OLD.id = opsctl_me() AND (NEW.role, NEW.team_id, NEW.manager_id, NEW.hired, NEW.left,
       NEW.active) IS DISTINCT FROM (OLD.role, OLD.team_id, OLD.manager_id, OLD.hired, OLD.left, OLD.active) THEN
    PERFORM opsctl_refuse('nobody changes their own role, team, manager or dates; ask another HR person or an admin');
  END IF;
  IF (NEW.role = 'admin' OR (TG_OP = 'UPDATE' AND OLD.role = 'admin'))
     AND (TG_OP = 'INSERT' OR NEW.role IS DISTINCT FROM OLD.role) AND NOT opsctl_has_role('{{admin}}') THEN
    PERFORM opsctl_refuse('only an admin makes somebody an admin or takes the role away');
  END IF;
  RETURN NEW;
END $$;
CREATE OR REPLACE FUNCTION opsctl_stamp_audit() RETURNS trigger LANGUAGE plpgsql {definer} AS $$
BEGIN
  NEW.db_role := session_user;
  NEW.by_id := opsctl_me();
  IF NOT opsctl_owner_connected() AND NEW.actor_id IS DISTINCT FROM NEW.by_id
     AND NOT opsctl_has_role('{{admin}}') THEN
    PERFORM opsctl_refuse(format('an audit entry written as %s names its actor: %s, not employee %s',
                                 session_user, coalesce(NEW.by_id::text, 'nobody'), NEW.actor_id));
  END IF;
  RETURN NEW;
END $$;
CREATE OR REPLACE FUNCTION opsctl_note_change() RETURNS trigger LANGUAGE plpgsql {definer} AS $$
DECLARE written jsonb := to_jsonb(CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END);
BEGIN
  IF NOT opsctl_owner_connected() THEN
    INSERT INTO db_change (at, db_role, by_id, table_name, row_id, op, subject_id)
    VALUES (now(), session_user, opsctl_me(), TG_TABLE_NAME, (written ->> 'id')::integer, TG_OP,
            (written ->> TG_ARGV[0])::integer);
  END IF;
  RETURN NULL;
END $$;
CREATE OR REPLACE FUNCTION opsctl_audit_head() RETURNS text LANGUAGE sql STABLE {definer} AS $$
  SELECT entry_hash FROM audit_entry ORDER BY id DESC LIMIT 1
$$;
CREATE OR REPLACE FUNCTION opsctl_whoami(OUT db_role text, OUT employee_id integer, OUT revoked_at timestamptz,
                                         OUT owner boolean)
LANGUAGE sql VOLATILE {definer} AS $$
  UPDATE db_login SET last_seen = now()
  WHERE db_login.db_role = session_user AND (last_seen IS NULL OR last_seen < now() - interval '1 minute');
  SELECT session_user::text, (SELECT l.employee_id FROM db_login l WHERE l.db_role = session_user),
         (SELECT l.revoked_at FROM db_login l WHERE l.db_role = session_user), opsctl_owner_connected()
$$;
CREATE OR REPLACE FUNCTION opsctl_require_admin() RETURNS void LANGUAGE plpgsql {definer} AS $$
BEGIN
  IF NOT (opsctl_owner_connected() OR opsctl_has_role('{{admin}}')) THEN
    PERFORM opsctl_refuse('only an admin (or the database owner) gives or takes logins');
  END IF;
END $$;
CREATE OR REPLACE FUNCTION opsctl_grant_login(person integer, role_name text, group_name text, secret text,
                                              granted_by integer, at timestamptz)
RETURNS void LANGUAGE plpgsql {definer} AS $$
BEGIN
  PERFORM opsctl_require_admin();
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = role_name) THEN
    IF NOT EXISTS (SELECT 1 FROM db_login WHERE db_role = role_name AND employee_id = person) THEN
      RAISE EXCEPTION 'the role % exists already', role_name USING ERRCODE = 'duplicate_object';
    END IF;
    EXECUTE format('ALTER ROLE %I LOGIN', role_name);
  ELSE
    EXECUTE format('CREATE ROLE %I LOGIN', role_name);
  END IF;
  EXECUTE format('ALTER ROLE %I PASSWORD %L', role_name, secret);  -- NULL: no password (peer, cert)
  EXECUTE format('GRANT %I TO %I', group_name, role_name);
  DELETE FROM db_login WHERE employee_id = person;
  INSERT INTO db_login (employee_id, db_role, granted_at, granted_by_id) VALUES (person, role_name, at, granted_by);
END $$;
CREATE OR REPLACE FUNCTION opsctl_revoke_login(person integer, group_name text, at timestamptz)
RETURNS text LANGUAGE plpgsql {definer} AS $$
DECLARE role_name text;
BEGIN  -- admins, or HR deactivating somebody
  IF NOT (opsctl_owner_connected() OR opsctl_has_role('{admin_roles}')) THEN
    PERFORM opsctl_refuse('only HR or an admin (or the database owner) takes logins away');
  END IF;
  SELECT db_role INTO role_name FROM db_login WHERE employee_id = person AND revoked_at IS NULL;
  IF role_name IS NULL THEN RETURN NULL; END IF;
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = role_name) THEN
    EXECUTE format('ALTER ROLE %I NOLOGIN', role_name);
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = group_name) THEN
      EXECUTE format('REVOKE %I FROM %I', group_name, role_name);
    END IF;
  END IF;
  UPDATE db_login SET revoked_at = at WHERE employee_id = person;
  RETURN role_name;
END $$;
"""


def _sight_args(area: str) -> str:
    sight = SIGHT[area]
    see_all = "{" + ",".join(sorted(sight.see_all)) + "}"
    flags = ", ".join("true" if flag else "false" for flag in (sight.managers, sight.team_lead,
                                                               sight.lead_role_own_team))
    return f"'{see_all}', {flags}"


def _read_rule(rule: Guarded) -> str:
    seen = f"opsctl_seen_ids({_sight_args(rule.area)})"
    # (SELECT f(…)): one call per statement (an InitPlan), not one per row
    read = f"((SELECT {seen}) IS NULL OR {rule.person} = ANY(CAST((SELECT {seen}) AS integer[])))"
    return f"({read} OR {rule.also_read})" if rule.also_read else read


def _policies(table: str, read: str, insert: str, update_using: str, update: str, delete: str) -> list[str]:
    statements = [f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY"]
    for name, command, using, check in (
        ("opsctl_read", "SELECT", read, None), ("opsctl_insert", "INSERT", None, insert),
        ("opsctl_update", "UPDATE", update_using, update), ("opsctl_delete", "DELETE", delete, None),
    ):
        statements.append(f"DROP POLICY IF EXISTS {name} ON {table}")
        clauses = (f" USING ({using})" if using else "") + (f" WITH CHECK ({check})" if check else "")
        statements.append(f"CREATE POLICY {name} ON {table} FOR {command} TO PUBLIC{clauses}")
    return statements


def _trigger(table: str, name: str, when: str, function: str, *args: str) -> list[str]:
    quoted = ", ".join("'" + arg.replace("'", "''") + "'" for arg in args)
    return [f"DROP TRIGGER IF EXISTS {name} ON {table}",
            f"CREATE TRIGGER {name} {when} ON {table} FOR EACH ROW EXECUTE FUNCTION {function}({quoted})"]


def table_statements(rule: Guarded) -> list[str]:
    """The policies and triggers of one guarded table."""
    person = rule.person

    def sql(rule_text: str) -> str:
        return rule_text.replace("{person}", person)

    statements = _policies(rule.table, _read_rule(rule), sql(rule.insert), sql(rule.update), sql(rule.update),
                           sql(rule.delete))
    if rule.decisions or rule.status:
        statements += _trigger(rule.table, "opsctl_decisions", "BEFORE INSERT OR UPDATE", "opsctl_guard_decision",
                               person, ",".join(rule.decisions), rule.status or "", ",".join(rule.free),
                               ",".join(rule.after_decision))
    statements += _trigger(rule.table, "opsctl_changes", "AFTER INSERT OR UPDATE OR DELETE", "opsctl_note_change",
                           person)
    return statements


def staffed_statements(table: str, writers: Iterable[str]) -> list[str]:
    # Anybody may lock a row (SELECT … FOR UPDATE needs the UPDATE policy's USING): opsctl locks
    # a person before counting their punches or balance. Changing it needs the role.
    allowed = "opsctl_has_role('{" + ",".join(writers) + "}')"
    statements = _policies(table, "true", allowed, "true", allowed, allowed)
    if table == "employee":
        statements += _trigger(table, "opsctl_employee", "BEFORE INSERT OR UPDATE", "opsctl_guard_employee")
    return statements


def _audit_statements() -> list[str]:
    # Everybody's entries are chained, so the newest hash is read through opsctl_audit_head();
    # a person reads the entries by them or about them, HR and admins all (`audit.list_entries`).
    read = "(opsctl_has_role('{hr,admin}') OR opsctl_me() IN (actor_id, subject_id, by_id))"
    statements = _policies("audit_entry", read, "true", "false", "false", "false")
    return statements + _trigger("audit_entry", "opsctl_stamp", "BEFORE INSERT", "opsctl_stamp_audit")


def _login_statements() -> list[str]:
    read = "(opsctl_has_role('{hr,admin}') OR employee_id = opsctl_me())"
    return _policies("db_login", read, "false", "false", "false", "false") + _policies(
        "db_change", "opsctl_has_role('{hr,admin}')", "false", "false", "false", "false")


def _grants(schema: str, group: str) -> list[str]:
    return [
        f'GRANT USAGE ON SCHEMA {schema} TO "{group}"',
        f'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO "{group}"',
        f'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO "{group}"',
        *(f'REVOKE INSERT, UPDATE, DELETE ON {table} FROM "{group}"' for table in OWNER_ONLY),
        f'REVOKE UPDATE, DELETE ON audit_entry FROM "{group}"',
    ]


def present_tables(conn: Connection) -> set[str]:
    return set(conn.execute(text(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")).scalars())


def sync_server_rules(conn: Connection) -> list[str]:
    """Functions, policies, triggers and (when the group role exists) grants, for every guarded
    table present; idempotent. Returns the guarded tables. PostgreSQL only; needs revision 0010."""
    if conn.dialect.name != "postgresql":
        return []
    tables = present_tables(conn)
    if "db_login" not in tables:
        return []
    schema = conn.execute(text("SELECT quote_ident(current_schema())")).scalar_one()
    statements = [_functions(schema), *_audit_statements(), *_login_statements()]
    guarded = []
    for rule in GUARDED:
        if rule.table in tables:
            statements += table_statements(rule)
            guarded.append(rule.table)
    for table, writers in STAFFED.items():
        if table in tables:
            statements += staffed_statements(table, writers)
            guarded.append(table)
    group = group_role(conn.execute(text("SELECT current_database()")).scalar_one())
    if conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": group}).first():
        statements += _grants(schema, group)
    driver = conn.connection.driver_connection
    assert driver is not None
    with driver.cursor() as cursor:  # the SQL as written: it holds format()'s %s, no parameters
        for statement in statements:
            cursor.execute(statement)
    return sorted(guarded)


migrations.AFTER_UPGRADE.append(sync_server_rules)


# -- provisioning and logins -------------------------------------------------------------

def provision(session: Session) -> dict[str, Any]:
    """What the tables' owner runs once (and again at will): the group role, the grants, the
    policies and guards, every person's login back in the group. StorageError (6) for anybody
    but the owner, or an owner who may not create roles."""
    if session.get_bind().dialect.name != "postgresql":
        raise InvalidInput("there is nothing to provision on SQLite: its file's owner is trusted; "
                           "see README, Where the data is, and who you are")
    who, owner, owner_name, may_create = session.execute(text(
        "SELECT session_user::text, opsctl_owner_connected(), "
        "(SELECT pg_get_userbyid(relowner) FROM pg_class WHERE oid = 'employee'::regclass), "
        "(SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = session_user)")).one()
    if not owner:
        raise StorageError(f"only the owner of the tables ({owner_name}) provisions the database, not {who}; "
                           f"connect as {owner_name}: OPSCTL_DB=postgresql+psycopg://{owner_name}@HOST/DATABASE")
    if not may_create:
        raise StorageError(f"{who} owns the tables but may not create roles; a superuser runs "
                           f"`ALTER ROLE {who} CREATEROLE` first")
    # changing a table's policies waits for every transaction using it: say so rather than hang
    session.execute(text("SET LOCAL lock_timeout = '30s'"))
    database = session.execute(text("SELECT current_database()")).scalar_one()
    group = group_role(database)
    created = session.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": group}).first() is None
    if created:
        session.execute(text(f'CREATE ROLE "{group}" NOLOGIN'))
    guarded = sync_server_rules(session.connection())
    logins = session.execute(text(
        "SELECT l.db_role FROM db_login l JOIN pg_roles r ON r.rolname = l.db_role WHERE l.revoked_at IS NULL"
    )).scalars().all()
    for role in logins:
        session.execute(text(f'GRANT "{group}" TO "{role}"'))
    return {"database": database, "group_role": group, "created": created, "guarded_tables": guarded,
            "logins": len(logins)}


def revoke_login(session: Session, person: Employee, *, now: datetime, group: str | None = None) -> str | None:
    """Take ``person``'s login away (PostgreSQL): it may no longer log in and leaves the group;
    the mapping stays, marked revoked. The role's name, or None when they had no login."""
    if session.get_bind().dialect.name != "postgresql":
        return None
    if group is None:
        group = group_role(session.execute(text("SELECT current_database()")).scalar_one())
    role = session.execute(text("SELECT opsctl_revoke_login(:p, :g, :at)"),
                           {"p": person.id, "g": group, "at": now}).scalar()
    return str(role) if role is not None else None
