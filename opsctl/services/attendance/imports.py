"""`attend import`: punches from a CSV file (``login,time[,kind]``) or a ZKTeco attendance
log, the USB download or the network push (no header; the two layouts and how they are told
apart: `opsctl.services.attendance.zkteco`).

Idempotent (a punch already stored for the person and instant is a duplicate, not an
error), all-or-nothing unless ``skip_bad``, and fast: one query finds the stored
instants of the file's people and time range, one bulk insert writes the new rows.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo

from sqlalchemy import column, insert, table
from sqlmodel import Session, col, select

from opsctl.dates import local_instant
from opsctl.errors import InvalidInput
from opsctl.models.attendance import Punch
from opsctl.models.people import Employee
from opsctl.services import audit
from opsctl.services.access import require_roles
from opsctl.services.attendance.schedules import load_book
from opsctl.services.attendance.zkteco import Layout, Row, badge_lookup, looks_like_log, read_log
from opsctl.tablefile import column_names, refuse_misspelt, require_file

Source = Literal["csv", "zkteco", "zkteco-usb", "zkteco-push"]  # zkteco: either layout, told from the file
IMPORT_ROLES = ("hr", "admin")
CHUNK = 10_000
_LOCAL = re.compile(r"\d{4}-\d{2}-\d{2}[ T]\d{1,2}:\d{2}(:\d{2})?")
_OFFSET = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})", re.IGNORECASE)

# Inserts go to the table, not the ORM class (whose bulk path costs more than the insert).
# On SQLite the values are written in the text form SQLAlchemy stores (UTC without offset,
# microseconds; ISO dates) through untyped columns: the per-value type processing would
# otherwise take longer than SQLite's own work. A test checks the forms are identical.
_PUNCHES = Punch.__table__  # type: ignore[attr-defined]
_PUNCH_TEXT = table("punch", column("employee_id"), column("at"), column("work_date"), column("kind"),
                    column("source"))

# Reports the work done: (rows done, rows in all).
Progress = Callable[[int, int], None]


@dataclass
class ImportReport:
    file: str
    source: Source
    layout: Literal["csv"] | Layout
    new: int = 0
    duplicate: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)  # line, why
    people: int = 0
    first: datetime | None = None
    last: datetime | None = None
    dry_run: bool = False

    def record(self) -> dict[str, Any]:
        return {
            "file": self.file, "source": self.source, "layout": self.layout, "new": self.new,
            "duplicate": self.duplicate, "rejected": len(self.rejected), "people": self.people,
            "first": self.first, "last": self.last, "dry_run": self.dry_run,
            "rejected_lines": [{"line": line, "problem": why} for line, why in self.rejected],
        }


def parse_instant(text: str, tz: ZoneInfo) -> datetime:
    """``YYYY-MM-DD HH:MM[:SS]`` in the team timezone, or ISO 8601 with an offset → aware UTC.

    A team-local time the clocks skip (spring forward) is refused; one they show twice (fall
    back) is its first occurrence: the second is written with its offset (``…T01:20:00-05:00``).
    """
    return _instant(text, tz)[0]


def _instant(text: str, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """The instant (aware UTC) and its team-local time (aware: the fold of a repeated hour kept)."""
    if _LOCAL.fullmatch(text):
        try:
            local = datetime.fromisoformat(text)
        except ValueError:
            local = _parse_local(text)
        return local_instant(local, tz), local.replace(tzinfo=tz)
    if _OFFSET.fullmatch(text):
        try:
            at = datetime.fromisoformat(text).astimezone(UTC)
        except ValueError:
            pass
        else:
            return at, at.astimezone(tz)
    raise InvalidInput(f"not a date and time: {text!r} (use YYYY-MM-DD HH:MM[:SS] or ISO 8601 with an offset)")


def _parse_local(text: str) -> datetime:
    """The slow path: H:MM, or a precise complaint (25:00, 2026-02-30)."""
    from opsctl.dates import parse_datetime_local

    hour, minute = (int(part) for part in text[11:].split(":")[:2])
    if hour > 23 or minute > 59:
        what = f"hour {hour}" if hour > 23 else f"minute {minute}"
        raise InvalidInput(f"not a date and time: {text!r} ({what} does not exist; times go from 00:00 to 23:59)")
    return parse_datetime_local(text)


def detect_source(path: Path) -> Source:
    """A ZKTeco log has no header: its lines are ``badge  YYYY-MM-DD HH:MM:SS…``."""
    return "zkteco" if looks_like_log(path) else "csv"


def _csv_rows(path: Path) -> Iterator[Row]:
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.reader(handle)
            header = next(reader, None)
            if header is None:
                raise InvalidInput(f"{path} is empty; a punch file starts with the header login,time[,kind]")
            names = column_names(header)
            refuse_misspelt(path, names, ("login", "time", "kind"))
            if "login" not in names or "time" not in names:
                raise InvalidInput(
                    f"{path}: the first line must be the header login,time[,kind]; "
                    f"found {','.join(header)!r}"
                )
            who, when = names.index("login"), names.index("time")
            kind = names.index("kind") if "kind" in names else None
            for cells in reader:
                if not cells or not any(c.strip() for c in cells):
                    continue
                line = reader.line_num
                if len(cells) <= max(who, when):
                    yield line, "", "", "", "expected login and time, got too few columns"
                    continue
                yield line, cells[who].strip().lower(), cells[when].strip(), \
                    cells[kind].strip().lower() if kind is not None and kind < len(cells) else "", ""
    except UnicodeDecodeError:
        raise InvalidInput(f"{path} is not a UTF-8 text file (save it as CSV UTF-8)") from None
    except csv.Error as exc:
        raise InvalidInput(f"{path} is not valid CSV: {exc}") from None


@dataclass(frozen=True)
class _Person:
    id: int
    login: str
    hired: date | None
    left: date | None


@dataclass
class CheckedFile:
    """A punch file read and checked (`check_punches`); its new rows are not stored yet."""
    report: ImportReport
    rows: list[dict[str, Any]]


def import_punches(
    session: Session,
    *,
    actor: Employee,
    now: datetime,
    tz: ZoneInfo,
    path: Path,
    source: Source | None = None,
    dry_run: bool = False,
    skip_bad: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Read, check and store the punches of ``path`` (HR/admin) in one transaction. `attend
    import` runs the two halves in two: the checking one reads only."""
    checked = check_punches(session, actor=actor, now=now, tz=tz, path=path, source=source, dry_run=dry_run,
                            skip_bad=skip_bad)
    return checked.report if dry_run else store_punches(session, checked, actor=actor, now=now, progress=progress)


def check_punches(
    session: Session,
    *,
    actor: Employee,
    now: datetime,
    tz: ZoneInfo,
    path: Path,
    source: Source | None = None,
    dry_run: bool = False,
    skip_bad: bool = False,
) -> CheckedFile:
    """Read and check the punches of ``path`` against the people and the punches stored (HR/admin).

    It writes nothing, so it runs in a read transaction: reading and checking a big file is
    most of an import's time, and a writing transaction holds the database's write lock (on
    SQLite, every clock-in would wait for the whole of it)."""
    require_roles(actor, *IMPORT_ROLES, action="import punches")
    require_file(path)
    source = source or detect_source(path)
    rows: Iterable[Row]
    find: Callable[[str], _Person | None]
    layout: Literal["csv"] | Layout = "csv"
    if source == "csv":
        rows, find = _csv_rows(path), _people(session, by_badge=False).get
    else:
        layout, rows = read_log(path, None if source == "zkteco" else source)
        source, find = "zkteco", badge_lookup(_people(session, by_badge=True))
    report = ImportReport(path.name, source, layout, dry_run=dry_run)
    parsed = _checked(rows, find, report, now=now, tz=tz, what="badge" if source == "zkteco" else "login")
    if report.rejected and not skip_bad:
        from opsctl.tablefile import report_bad_rows

        report_bad_rows(path, [f"line {line}: {why}" for line, why in report.rejected],
                        hint="nothing was imported (fix them, or give --skip-bad to import the rest)")
    if not parsed and not report.rejected:
        raise InvalidInput(f"{path} holds no punches")
    return CheckedFile(report, _new_rows(session, parsed, report, source))


def store_punches(
    session: Session, checked: CheckedFile, *, actor: Employee, now: datetime, progress: Progress | None = None,
) -> ImportReport:
    """Store the new rows of a checked file, all of them or none, and audit the import.

    A punch stored since the check (a clock-in at the very second of a row of the file, the
    same file imported meanwhile) makes its row a duplicate here, not a failure."""
    require_roles(actor, *IMPORT_ROLES, action="import punches")
    report = checked.report
    rows = _not_stored_meanwhile(session, checked.rows, report)
    _insert(session, rows, progress)
    audit.record(session, now=now, actor=actor, action="attend.import", entity="file",
                 entity_id=report.file[:64], details={k: v for k, v in report.record().items()
                                                      if k in ("source", "layout", "new", "duplicate", "rejected")})
    return report


def _people(session: Session, *, by_badge: bool) -> dict[str, _Person]:
    people = session.exec(select(Employee).where(col(Employee.badge if by_badge else Employee.login).is_not(None)))
    return {(p.badge if by_badge else p.login) or "": _Person(p.id or 0, p.login, p.hired, p.left) for p in people}


Checked = tuple[_Person, datetime, datetime, str | None]  # who, instant (UTC), team-local time, kind


def _checked(
    rows: Iterable[Row], find: Callable[[str], _Person | None], report: ImportReport, *, now: datetime, tz: ZoneInfo,
    what: str,
) -> list[Checked]:
    """The valid rows; every bad one goes to ``report.rejected`` with its line and why."""
    parsed: list[Checked] = []
    for line, who, text, kind, problem in rows:
        try:
            if problem:
                raise InvalidInput(problem)
            person = find(who)
            if person is None:
                raise InvalidInput(f"unknown {what} {who!r}" if who else f"no {what}")
            at, local = _instant(text, tz)
            if kind not in ("", "in", "out"):
                raise InvalidInput(f"unknown kind {kind!r} (use in, out or leave it empty)")
            if at > now:
                raise InvalidInput(f"{text} is in the future")
            if (person.hired and local.date() < person.hired) or (person.left and local.date() > person.left):
                raise InvalidInput(f"{person.login} was not employed on {local.date()}")
            parsed.append((person, at, local, kind or None))
        except InvalidInput as exc:
            report.rejected.append((line, exc.message))
    return parsed


def _new_rows(session: Session, parsed: list[Checked], report: ImportReport, source: Source) -> list[dict[str, Any]]:
    """The rows to insert: those not stored yet (one query for the file's people and span)."""
    if not parsed:
        return []
    ids = {person.id for person, _, _, _ in parsed}
    instants = [at for _, at, _, _ in parsed]
    report.first, report.last, report.people = min(instants), max(instants), len(ids)
    stored = _stored(session, ids, report.first, report.last)
    book = load_book(session, ids)
    punch_source = "zkteco" if source == "zkteco" else "import"
    rows = []
    for person, at, local, kind in parsed:
        key = (person.id, at)
        if key in stored:
            report.duplicate += 1
            continue
        stored.add(key)
        rows.append({"employee_id": person.id, "at": at, "work_date": book.work_date(person.id, local),
                     "kind": kind, "source": punch_source})
    report.new = len(rows)
    return rows


def _stored(session: Session, ids: set[int], first: datetime, last: datetime) -> set[tuple[int, datetime]]:
    """(person, instant) of the punches stored for ``ids`` from ``first`` to ``last``."""
    return set(session.exec(
        select(col(Punch.employee_id), col(Punch.at)).where(
            col(Punch.employee_id).in_(ids), col(Punch.at) >= first, col(Punch.at) <= last)
    ).all())


def _not_stored_meanwhile(session: Session, rows: list[dict[str, Any]], report: ImportReport) -> list[dict[str, Any]]:
    """``rows`` less those whose punch was stored since they were checked (counted as duplicates)."""
    if not rows:
        return rows
    instants = [row["at"] for row in rows]
    stored = _stored(session, {row["employee_id"] for row in rows}, min(instants), max(instants))
    if not stored:
        return rows
    fresh = [row for row in rows if (row["employee_id"], row["at"]) not in stored]
    report.duplicate += len(rows) - len(fresh)
    report.new = len(fresh)
    return fresh


def _insert(session: Session, rows: list[dict[str, Any]], progress: Progress | None) -> None:
    if not rows:
        return
    target = _PUNCHES
    if session.get_bind().dialect.name == "sqlite":
        target = _PUNCH_TEXT
        for row in rows:
            row["at"] = row["at"].replace(tzinfo=None).isoformat(" ", "microseconds")
            row["work_date"] = row["work_date"].isoformat()
    step = CHUNK if progress is not None else len(rows)
    for start in range(0, len(rows), step):
        session.execute(insert(target), rows[start:start + step])
        if progress is not None:
            progress(min(start + step, len(rows)), len(rows))
