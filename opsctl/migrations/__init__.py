"""Alembic revisions shipped inside the package.

``heads`` and ``known_revisions`` read the revision files as text, so that checking a
database that is already current never imports Alembic (start-up cost). A test
checks that they agree with Alembic's own view.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

    from alembic.config import Config
    from sqlalchemy.engine import Connection

HERE = Path(__file__).parent
# Run by env.py after every upgrade, on the upgraded connection. A revision that brings rules kept
# beside the schema registers them here when Alembic loads it (0010: the server's access rules,
# `opsctl.services.server_rules`), so a table made by any later revision is covered at once.
AFTER_UPGRADE: list[Callable[[Connection], object]] = []
_REVISION = re.compile(r'^revision(?:: str)?\s*=\s*"([^"]+)"', re.M)
_DOWN = re.compile(r"^down_revision[^=]*=\s*(.+)$", re.M)


@cache
def _graph() -> dict[str, tuple[str, ...]]:
    graph: dict[str, tuple[str, ...]] = {}
    for path in sorted((HERE / "versions").glob("*.py")):
        source = path.read_text(encoding="utf-8")
        revision = _REVISION.search(source)
        down = _DOWN.search(source)
        if revision is None or down is None:
            continue
        graph[revision.group(1)] = tuple(re.findall(r'"([^"]+)"', down.group(1)))
    return graph


def known_revisions() -> set[str]:
    return set(_graph())


def heads() -> set[str]:
    graph = _graph()
    parents = {parent for downs in graph.values() for parent in downs}
    return set(graph) - parents


def alembic_config(connection: Connection) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(HERE))
    config.attributes["connection"] = connection
    return config
