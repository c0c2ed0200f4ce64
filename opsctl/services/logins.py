"""Who is acting, and people's own PostgreSQL logins (issue 15).

SQLite: the acting person is who ``--as``, ``OPSCTL_USER`` or the OS login names (the owner of
the file can write anything in it anyway). PostgreSQL: the person whose login role (`db_login`)
the connection authenticated as; ``--as``/``OPSCTL_USER`` naming somebody else is for admins
only, and the audit log then records both (the server fills in the admin). A connection as the
tables' owner without a person of its own keeps the SQLite behaviour: the owner can change
anything in the database anyway (the database's own administrator, or a test run).
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from opsctl.errors import Conflict, InvalidInput, NotAllowed, StorageError
from opsctl.models.people import DbLogin, Employee
from opsctl.services import audit
from opsctl.services.access import require_roles
from opsctl.services.server_rules import group_role, revoke_login

ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_.-]{0,62}$")
GENERATE = "generate"  # grant_login's password: a new random one, shown once


@dataclass(frozen=True)
class Identity:
    """The acting person, and the admin acting for them (``--as`` on PostgreSQL), if any."""

    actor: Employee
    by: Employee | None = None


def on_postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def identify(session: Session, *, requested: str | None, fallback: str) -> Identity:
    """The acting person: ``requested`` (``--as``/``OPSCTL_USER``) or ``fallback`` (the OS login)
    on SQLite and for the tables' owner; the connection's own person otherwise (exit 4 unless
    they are mapped, not revoked, active, and -- to act for somebody else -- an admin)."""
    from opsctl.services.people import resolve_actor

    if not on_postgres(session):
        return Identity(resolve_actor(session, fallback if requested is None else requested))
    db_role, person_id, revoked_at, owner = session.execute(text("SELECT * FROM opsctl_whoami()")).one()
    person = session.get(Employee, person_id) if person_id is not None else None
    if person is None or revoked_at is not None:
        if owner:
            return Identity(resolve_actor(session, fallback if requested is None else requested))
        if person is None:
            raise NotAllowed(f"the database role {db_role!r} is nobody here; an admin gives you a login of your "
                             "own with `opsctl people grant YOUR_LOGIN`, and you connect with it")
        raise NotAllowed(f"the login {db_role!r} of {person.login} was revoked on {revoked_at:%Y-%m-%d}; "
                         f"an admin gives it back with `opsctl people grant {person.login}`")
    person = resolve_actor(session, person.login)  # refuses somebody who has left
    wanted = (requested or "").strip().lower()
    if requested is None or wanted == person.login:
        return Identity(person)
    if person.role != "admin":
        raise NotAllowed(f"on this PostgreSQL database you are {person.login} (the role {db_role!r}), and only an "
                         "admin acts for somebody else; leave out --as and unset OPSCTL_USER")
    return Identity(resolve_actor(session, requested), by=person)


def _require_postgres(session: Session, what: str) -> None:
    if not on_postgres(session):
        raise InvalidInput(f"{what} exist on PostgreSQL only; on SQLite whoever can open the file is trusted "
                           "(see README, Where the data is, and who you are)")


def _group(session: Session) -> str:
    group = group_role(session.execute(text("SELECT current_database()")).scalar_one())
    if session.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": group}).first() is None:
        raise StorageError("the database is not provisioned yet (no group role " + repr(group) +
                           "); its owner runs `opsctl db provision` first")
    return group


def grant_login(session: Session, *, actor: Employee, now: datetime, login: str, db_role: str | None = None,
                password: str | None = GENERATE) -> dict[str, Any]:
    """A PostgreSQL login role for ``login``'s person (admins): named ``db_role`` (default: the
    login), with ``password`` (`GENERATE`: a random one, returned once; None: none, for peer or
    certificate authentication). Conflict (5) if the role exists and is not theirs."""
    from opsctl.services.people import get_person

    _require_postgres(session, "logins")
    require_roles(actor, "admin", action="give people logins")
    person = get_person(session, login, active_only=True)
    role = (db_role or person.login).strip()
    if not ROLE_NAME.match(role) or role.startswith("pg_"):
        raise InvalidInput(f"{role!r} cannot be a database role: lower-case letters, digits, _ . - "
                           "(at most 63, not starting with pg_); choose one with --db-role")
    current = session.exec(select(DbLogin).where(DbLogin.employee_id == person.id)).first()
    if current is not None and current.revoked_at is None:
        raise Conflict(f"{person.login} has the login {current.db_role!r} already; "
                       f"`opsctl people revoke {person.login}` first to give another")
    mapped = session.exec(select(DbLogin).where(DbLogin.db_role == role)).first()
    exists = session.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).first()
    if (exists or mapped) and (mapped is None or mapped.employee_id != person.id):
        raise Conflict(f"the database role {role!r} exists already on this server (roles are shared by all its "
                       "databases); choose another name with --db-role")
    secret = secrets.token_urlsafe(15) if password == GENERATE else password
    if secret is not None and not secret.strip():
        raise InvalidInput("the password is empty; give one on stdin, or use --no-password")
    group = _group(session)
    try:
        session.execute(text("SELECT opsctl_grant_login(:p, :r, :g, :s, :b, :at)"),
                        {"p": person.id, "r": role, "g": group, "s": secret, "b": actor.id, "at": now})
    except DBAPIError as exc:
        raise StorageError(f"the server refused to create the role {role!r}: "
                           f"{str(exc.orig).strip().splitlines()[0]}") from exc
    session.expire_all()
    audit.record(session, now=now, actor=actor, action="people.grant", entity="db_login", entity_id=role,
                 subject=person, details={"db_role": role, "password": secret is not None})
    shown = {"login": person.login, "db_role": role, "group_role": group,
             "password": secret if password == GENERATE else None}
    return shown


def revoke_person_login(session: Session, *, actor: Employee, now: datetime, login: str) -> dict[str, Any]:
    """Take ``login``'s PostgreSQL login away (admins): the role may no longer log in and leaves the
    group; the mapping is kept, marked revoked. Conflict (5) if they have none."""
    from opsctl.services.people import get_person

    _require_postgres(session, "logins")
    require_roles(actor, "admin", action="take people's logins away")
    person = get_person(session, login)
    role = revoke_login(session, person, now=now, group=_group(session))
    if role is None:
        raise Conflict(f"{person.login} has no login to revoke; see `opsctl db roles`")
    audit.record(session, now=now, actor=actor, action="people.revoke", entity="db_login", entity_id=role,
                 subject=person, details={"db_role": role})
    return {"login": person.login, "db_role": role, "revoked_at": now}


def list_logins(session: Session, *, viewer: Employee) -> list[dict[str, Any]]:
    """Everyone with a login (HR and admins): their role, who granted it, revoked, last seen, and how
    many connections the role has open now."""
    _require_postgres(session, "logins")
    require_roles(viewer, "hr", "admin", action="list the database logins")
    granter = aliased(Employee)
    rows = session.exec(
        select(DbLogin, Employee.login, Employee.role, granter.login)
        .join(Employee, col(DbLogin.employee_id) == Employee.id)
        .join(granter, col(DbLogin.granted_by_id) == granter.id, isouter=True)
        .order_by(Employee.login)
    ).all()
    roles = [entry.db_role for entry, *_rest in rows]
    can_login = {name: flag for name, flag in session.execute(
        text("SELECT rolname, rolcanlogin FROM pg_roles WHERE rolname = ANY(:r)"), {"r": roles})}
    open_now = {name: count for name, count in session.execute(
        text("SELECT usename, count(*) FROM pg_stat_activity WHERE usename = ANY(:r) "
             "AND datname = current_database() GROUP BY usename"), {"r": roles})}
    return [{"login": login, "role": role, "db_role": entry.db_role, "granted_at": entry.granted_at,
             "granted_by": granted_by, "revoked_at": entry.revoked_at, "can_log_in": bool(can_login.get(entry.db_role)),
             "last_seen": entry.last_seen, "connections": int(open_now.get(entry.db_role, 0))}
            for entry, login, role, granted_by in rows]
