"""Creating a team's database: settings and the first admin."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from sqlmodel import Session, select

from opsctl.errors import Conflict
from opsctl.models.people import Employee
from opsctl.services.config import set_setting
from opsctl.services.people import add_person


def local_timezone(env: dict[str, str] | None = None, localtime: Path = Path("/etc/localtime")) -> str:
    """This machine's IANA timezone name, or UTC when it cannot be told."""
    env = dict(os.environ) if env is None else env
    name = env.get("TZ", "").lstrip(":")
    if "/" in name and not name.startswith("/"):
        return name
    try:
        target = str(localtime.resolve())
    except OSError:
        return "UTC"
    marker = "zoneinfo/"
    return target.split(marker, 1)[1] if marker in target else "UTC"


def initialize(
    session: Session, *, now: datetime, timezone: str, admin_login: str, admin_name: str
) -> Employee:
    """Settings and the first admin, once; a database that has people is left alone."""
    existing = session.exec(select(Employee).where(Employee.role == "admin")).first()
    if existing is not None:
        raise Conflict(f"the database is already set up (admin: {existing.login}); nothing was changed")
    set_setting(session, actor=None, key="timezone", value=timezone)
    from opsctl.services.kpi import ensure_standard_template

    ensure_standard_template(session, now=now)
    from opsctl.services.leave import ensure_default_types

    ensure_default_types(session, now=now)
    return add_person(session, actor=None, now=now, login=admin_login, name=admin_name, role="admin")
