"""Many opsctl processes doing one thing at the same moment, on the test database.

Each racer is a forked copy of the test process (opsctl is imported already, so starting
twelve costs little): it opens its own engine and checks the schema, writes its ready
file, and waits for the start file, which is written once every racer is ready (a
handshake, not a sleep). Then each runs its command as `opsctl` would, with the test's
fixed clock, its stdout and stderr going to files, and exits with the command's code.
"""

from __future__ import annotations

import os
import signal
import sys
import time
import traceback
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

RACERS = 12
DEADLINE_S = 120.0  # for the whole race; a racer still running then is killed and the test fails


@dataclass(frozen=True)
class Outcome:
    login: str
    args: tuple[str, ...]
    code: int
    stdout: str
    stderr: str


def race(db_url: str, folder: Path, calls: list[tuple[str, list[str]]], *, now: datetime,
         connect_first: bool = True) -> list[Outcome]:
    """Run ``calls`` (login, arguments) together, one process each; their outcomes in order.
    ``connect_first=False`` leaves opening the database (and upgrading its schema) to the
    commands themselves, after the start."""
    folder.mkdir(parents=True, exist_ok=True)
    start = folder / "start"
    pids = [_fork_racer(db_url, folder, number, login, args, start, now, connect_first)
            for number, (login, args) in enumerate(calls)]
    codes: dict[int, int] = {}
    deadline = time.monotonic() + DEADLINE_S
    try:
        while not all((folder / f"ready-{number}").exists() for number in range(len(calls))):
            _reap(pids, codes)
            assert not codes, f"a racer ended before the start: {_texts(folder, codes)}"
            assert time.monotonic() < deadline, "the racers did not get ready in time"
            time.sleep(0.005)
        start.touch()
        while len(codes) < len(pids):
            _reap(pids, codes)
            assert time.monotonic() < deadline, "the racers did not finish in time"
            time.sleep(0.005)
    finally:
        for number, pid in enumerate(pids):
            if number not in codes:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
    return [Outcome(login, tuple(args), codes[number], *_output(folder, number))
            for number, (login, args) in enumerate(calls)]


def tally(outcomes: list[Outcome]) -> Counter[int]:
    """How many racers ended with each exit code; no racer may show a traceback."""
    for outcome in outcomes:
        assert "Traceback" not in outcome.stderr and "unexpected" not in outcome.stderr, outcome
        assert "database is locked" not in outcome.stderr and "deadlock" not in outcome.stderr, outcome
    return Counter(outcome.code for outcome in outcomes)


def the_winner(outcomes: list[Outcome]) -> Outcome:
    """The one racer that succeeded; every other one was refused as a conflict (exit 5) in one line."""
    codes = tally(outcomes)
    assert codes == Counter({0: 1, 5: len(outcomes) - 1}), [(o.login, o.args, o.code, o.stderr) for o in outcomes]
    for outcome in outcomes:
        if outcome.code == 5:
            assert outcome.stderr.startswith("Error: ") and outcome.stderr.count("\n") == 1, outcome
    return next(outcome for outcome in outcomes if outcome.code == 0)


def _fork_racer(db_url: str, folder: Path, number: int, login: str, args: list[str], start: Path,
                now: datetime, connect_first: bool) -> int:
    pid = os.fork()
    if pid:
        return pid
    code = 70
    try:  # the child: never returns into pytest
        out = open(folder / f"{number}.out", "w", encoding="utf-8")  # noqa: SIM115 (closed by _exit)
        err = open(folder / f"{number}.err", "w", encoding="utf-8")  # noqa: SIM115
        os.dup2(out.fileno(), 1)
        os.dup2(err.fileno(), 2)
        sys.stdout, sys.stderr = out, err
        code = _run(db_url, folder, number, login, args, start, now, connect_first)
    except BaseException:  # reported through the exit code and stderr
        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)  # no finaliser may touch the connections inherited from the test


def _run(db_url: str, folder: Path, number: int, login: str, args: list[str], start: Path, now: datetime,
         connect_first: bool) -> int:
    from opsctl.cli.context import AppContext
    from opsctl.cli.main import app
    from opsctl.clock import FixedClock

    state = AppContext(db=db_url, as_login=login, clock=FixedClock(now))
    if connect_first:
        state.engine()  # connected, schema checked: all that is left after the start is the command
    (folder / f"ready-{number}").touch()
    while not start.exists():
        time.sleep(0.001)
    try:
        app(args=args, obj=state, prog_name="opsctl")
    except SystemExit as exit_:
        return exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
    return 0


def _reap(pids: list[int], codes: dict[int, int]) -> None:
    for number, pid in enumerate(pids):
        if number in codes:
            continue
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            codes[number] = os.waitstatus_to_exitcode(status)


def _output(folder: Path, number: int) -> tuple[str, str]:
    return ((folder / f"{number}.out").read_text(encoding="utf-8"),
            (folder / f"{number}.err").read_text(encoding="utf-8"))


def _texts(folder: Path, codes: dict[int, int]) -> dict[int, tuple[int, str]]:
    return {number: (code, _output(folder, number)[1]) for number, code in codes.items()}
