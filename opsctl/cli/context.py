"""The object every command finds in ``ctx.obj``: options, clock, database, acting person."""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import typer

from opsctl.clock import Clock, SystemClock
from opsctl.reports.formats import OutputFormat
from opsctl.settings import DatabaseLocation, resolve_database, resolve_login

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlmodel import Session

    from opsctl.models.people import Employee
    from opsctl.reports.tabular import Record, Tabular
    from opsctl.services.leave import Recount


@dataclass
class AppContext:
    db: str | None = None
    as_login: str | None = None
    debug: bool = False
    wide: bool = False  # -w/--wide: tables leave out no column and cut no cell
    raw: bool = False  # --raw: CSV, TSV and Markdown carry text exactly as stored
    clock: Clock = field(default_factory=SystemClock)
    _engine: Engine | None = field(default=None, repr=False)
    _tz: ZoneInfo | None = field(default=None, repr=False)
    _actor_id: int | None = field(default=None, repr=False)

    @classmethod
    def of(cls, ctx: typer.Context) -> AppContext:
        obj = ctx.find_object(AppContext)
        if obj is None:  # a group module invoked on its own (tests, python -m)
            obj = ctx.ensure_object(AppContext)
        return obj

    # -- storage ---------------------------------------------------------------------

    @property
    def location(self) -> DatabaseLocation:
        return resolve_database(self.db)

    @property
    def login(self) -> str:
        return resolve_login(self.as_login)

    def engine(self, *, create: bool = False) -> Engine:
        if self._engine is None:
            from opsctl.db import ensure_schema, open_engine

            engine = open_engine(self.location, create=create)
            try:
                note = ensure_schema(engine, self.location, create=create)
            except BaseException:
                engine.dispose()
                raise
            self._engine = engine
            # Once per process, when the command's first session opens: what is loaded by now
            # (typer, SQLAlchemy, the command's models, services and reports) lives as long as
            # the process. Out of the collector's sight, the full collections that a report's
            # tens of thousands of new objects set off no longer walk all of it each time
            # (kpi quarter, 300 people: 17 % less CPU). Only once: a test process running
            # many commands would otherwise keep each one's garbage for good.
            if not gc.get_freeze_count():
                gc.freeze()
            if note:
                self.notice(note)
        return self._engine

    @contextmanager
    def session(self, *, write: bool = True) -> Iterator[Session]:
        """The command's one transaction; storage failures become exit 5/6 errors.

        The team's settings are read first, in a read transaction of their own: the write
        lock (held from a writing transaction's start) is then held only for the command's
        own work, not for the settings and the modules a first query loads."""
        from opsctl.db import session_scope, storage_errors

        if write and self._tz is None:
            with self.session(write=False):
                pass
        with storage_errors(self.location), session_scope(self.engine(), write=write) as session:
            if self._tz is None:
                self._load_clock_settings(session)
            yield session

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    # -- who and when --------------------------------------------------------------

    def actor(self, session: Session) -> Employee:
        """The acting person: on SQLite who --as, OPSCTL_USER or the OS login names; on PostgreSQL
        the connection's own person (--as/OPSCTL_USER for somebody else: admins only)."""
        from opsctl.models.people import Employee
        from opsctl.services.logins import identify

        if self._actor_id is not None:
            person = session.get(Employee, self._actor_id)
            if person is not None:
                return person
        requested = self.as_login if self.as_login is not None else os.environ.get("OPSCTL_USER") or None
        person = identify(session, requested=requested, fallback=self.login).actor
        self._actor_id = person.id
        return person

    def tz(self, session: Session) -> ZoneInfo:
        if self._tz is None:
            self._load_clock_settings(session)
        assert self._tz is not None
        return self._tz

    def _load_clock_settings(self, session: Session) -> None:
        from opsctl.clock import FixedClock
        from opsctl.services.config import clock_settings

        self._tz, frozen = clock_settings(session)
        if frozen is not None and isinstance(self.clock, SystemClock):
            self.clock = FixedClock(frozen)  # a demo database stays at its moment

    def forget_settings(self) -> None:
        """After a command changed the timezone (init, demo), read it again."""
        self._tz = None

    @property
    def tz_or_none(self) -> ZoneInfo | None:
        """The team timezone if this command has read it (rendering needs no new query)."""
        return self._tz

    def now(self) -> datetime:
        return self.clock.now()

    def today(self, session: Session) -> date:
        return self.clock.now().astimezone(self.tz(session)).date()

    # -- output ---------------------------------------------------------------------

    def render(self, shown: Tabular | Record, fmt: OutputFormat | None) -> None:
        from opsctl.reports.render import render

        if self._tz is None and self._engine is not None:  # timestamps show the team's offset
            with self.session(write=False):
                pass
        try:
            render(shown, fmt, tz=self._tz, wide=self.wide, raw=self.raw)
            sys.stdout.flush()
        except BrokenPipeError:  # the reader stopped early (`| head`): the command itself goes on
            silence_stdout()    # and commits what it wrote; later output goes nowhere

    def notice(self, message: str) -> None:
        """A message for the person at the terminal (stderr; data goes to stdout), without the
        control characters that any stored text it quotes may hold."""
        from opsctl.reports.safetext import printable

        print(printable(message, lines=True), file=sys.stderr)


def with_format_notice(state: AppContext, fmt: OutputFormat | None, message: str) -> None:
    """Messages for people only make sense when the output is for people."""
    if fmt in (None, OutputFormat.table):
        state.notice(message)


def silence_stdout() -> None:
    """Point stdout at nothing once its reader has gone, so that no later write or the final
    flush fails again."""
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def tell_consequences(state: AppContext, recounted: list[Recount], redated: int = 0) -> None:
    """What a calendar or schedule change set off: punches that moved to another work date,
    leave counted anew. Said even with --format json (on stderr), since totals moved."""
    if redated:
        state.notice(f"Moved {redated} punch{'es' if redated != 1 else ''} to the work date the schedule now gives.")
    for recount in recounted:
        state.notice(f"Recounted {recount.text()}.")


def debug_requested(flag: bool) -> bool:
    return flag or os.environ.get("OPSCTL_DEBUG", "") not in ("", "0", "false")
