"""Alembic environment: runs on the connection opsctl hands over (never from a URL)."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

from opsctl.models import load_all

load_all()
target_metadata = SQLModel.metadata
connection = context.config.attributes.get("connection")
if connection is None:  # `alembic` on the command line, from alembic.ini
    from sqlalchemy import create_engine

    engine = create_engine(context.config.get_main_option("sqlalchemy.url") or "sqlite:///opsctl.db")
    connection = engine.connect()

context.configure(
    connection=connection,
    target_metadata=target_metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
    if not context.is_offline_mode():
        from opsctl.migrations import AFTER_UPGRADE

        for after_upgrade in AFTER_UPGRADE:
            after_upgrade(connection)
