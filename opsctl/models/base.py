"""Column types and the table base shared by every area."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator
from sqlmodel import SQLModel
from sqlmodel.main import SQLModelConfig  # the type of SQLModel.model_config


class UTCDateTime(TypeDecorator[datetime]):
    """An instant stored as UTC and always read back timezone-aware.

    SQLite keeps no offset, so the offset is dropped on the way in (after
    converting to UTC) and put back on the way out.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given for a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def result_processor(self, dialect: Dialect, coltype: object) -> Callable[[Any], datetime | None] | None:
        """On SQLite, one step from the stored text to an aware instant: a report reads tens of
        thousands of punches, and the generic path (parse, then process_result_value) costs
        two Python calls and a copy per value."""
        if dialect.name != "sqlite":
            return super().result_processor(dialect, coltype)

        def to_instant(value: str | None) -> datetime | None:
            if value is None:
                return None
            try:  # the offset in the text: ten times faster than .replace(tzinfo=UTC)
                return _fromisoformat(value + "+00:00")
            except ValueError:  # text written by another tool, with an offset of its own
                return _fromisoformat(value).astimezone(UTC)

        return to_instant

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


_fromisoformat = datetime.fromisoformat


class Table(SQLModel):
    """The base of every table model (it is no table itself).

    Pydantic builds a model's validator and serializer when they are first used, not when the
    class is made (``defer_build``): table models are not validated on creation, and a command
    that loads the models of every area (`opsctl today`) spends ~15 % less on them."""

    model_config = SQLModelConfig(defer_build=True)  # merged with SQLModel's own (from_attributes)
