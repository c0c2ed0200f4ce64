"""Where the database is and who is acting: pure functions of options and environment."""

from __future__ import annotations

import getpass
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class DatabaseLocation:
    """A resolved database: the SQLAlchemy URL and, for SQLite files, the path."""

    url: str
    path: Path | None  # None for server databases and in-memory SQLite
    is_default: bool = False

    @property
    def is_sqlite(self) -> bool:
        return self.url.startswith("sqlite")

    def display(self) -> str:
        return str(self.path) if self.path is not None else _hide_password(self.url)


def default_database_path(env: Mapping[str, str]) -> Path:
    data_home = env.get("XDG_DATA_HOME") or str(Path(env.get("HOME", "~")).expanduser() / ".local/share")
    return Path(data_home) / "opsctl" / "opsctl.db"


def resolve_database(option: str | None, env: Mapping[str, str] | None = None) -> DatabaseLocation:
    """``--db``, else ``OPSCTL_DB``, else ``$XDG_DATA_HOME/opsctl/opsctl.db``."""
    env = os.environ if env is None else env
    value = option or env.get("OPSCTL_DB")
    if not value:
        path = default_database_path(env)
        return DatabaseLocation(f"sqlite:///{path}", path, is_default=True)
    if "://" in value:
        if value.startswith("sqlite"):
            raw = value.split(":///", 1)[1] if ":///" in value else ""
            if raw in ("", ":memory:"):
                return DatabaseLocation(value, None)
            return DatabaseLocation(value, Path(raw.split("?", 1)[0]))
        return DatabaseLocation(value, None)
    path = Path(value).expanduser().absolute()
    return DatabaseLocation(f"sqlite:///{path}", path)


def resolve_login(option: str | None, env: Mapping[str, str] | None = None) -> str:
    """``--as``, else ``OPSCTL_USER``, else the OS login name. An empty ``--as ''`` stays empty
    (and is refused as nobody) rather than quietly becoming the OS login."""
    env = os.environ if env is None else env
    if option is not None:
        return option.strip()
    if env.get("OPSCTL_USER"):
        return env["OPSCTL_USER"]
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (containers)
        return ""


def _hide_password(url: str) -> str:
    scheme, sep, rest = url.partition("://")
    if "@" not in rest:
        return url
    credentials, _, host = rest.rpartition("@")
    user = credentials.split(":", 1)[0]
    return f"{scheme}{sep}{user}@{host}" if ":" in credentials else url
