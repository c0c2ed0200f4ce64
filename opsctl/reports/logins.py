"""People's PostgreSQL logins (`db roles`, `people grant|revoke`) and `db provision`."""

from __future__ import annotations

from typing import Any

from opsctl.reports.tabular import Column, Record, Tabular


def logins_table(rows: list[dict[str, Any]]) -> Tabular:
    return Tabular(
        "Database logins",
        [Column("login", "Login", kind="login"), Column("role", "Role"), Column("db_role", "Database role"),
         Column("can_log_in", "Can log in"), Column("last_seen", "Last seen"),
         Column("connections", "Open now", "right"), Column("granted_at", "Granted", priority=2),
         Column("granted_by", "By", kind="login", priority=2), Column("revoked_at", "Revoked", priority=2)],
        rows,
        empty="Nobody has a login yet; give one with `opsctl people grant LOGIN`.",
    )


def login_record(data: dict[str, Any]) -> Record:
    """A login given or taken; the password (given only when opsctl made it) is shown this once."""
    hidden = () if data.get("password") else ("password",)
    return Record(f"Login of {data['login']}", data, hidden=hidden,
                  labels={"db_role": "Database role", "group_role": "Group role"})


def provision_record(data: dict[str, Any]) -> Record:
    shown = {**data, "guarded_tables": ", ".join(data["guarded_tables"])}
    return Record("Provisioned", shown, labels={"group_role": "Group role", "created": "Group role created"})
