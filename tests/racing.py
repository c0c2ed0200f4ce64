"""Start N opsctl processes so that they reach the database together.

Each process imports opsctl, writes its ready-file and waits for the go-file; the go-file
is written once every process is ready (a handshake, not a sleep), so no process is still
importing when the others start.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

_STARTER = """
import os, sys, time
from opsctl.cli.main import app
import opsctl.db, opsctl.cli.context  # loaded before the start
ready, go = sys.argv[1], sys.argv[2]
open(ready, "w").close()
while not os.path.exists(go):
    time.sleep(0.002)
sys.argv = ["opsctl", *sys.argv[3:]]
app()
"""


@dataclass(frozen=True)
class Outcome:
    exit_code: int
    stdout: str
    stderr: str


def run_at_once(commands: list[list[str]], *, env: dict[str, str], folder: Path,
                timeout: float = 120) -> list[Outcome]:
    """Run each ``opsctl`` command line in its own process, all released at the same moment."""
    go = folder / "go"
    readies = [folder / f"ready-{n}" for n in range(len(commands))]
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", _STARTER, str(ready), str(go), *argv],
            env={**os.environ, "NO_COLOR": "1", **env},
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for ready, argv in zip(readies, commands, strict=True)
    ]
    deadline = time.monotonic() + timeout
    while not all(ready.exists() for ready in readies):
        if time.monotonic() > deadline or any(p.poll() is not None for p in processes):
            for p in processes:
                p.kill()
            raise AssertionError("a process did not get ready: " + "; ".join(
                p.communicate()[1][-500:] for p in processes if p.returncode not in (None, 0)))
        time.sleep(0.01)
    go.touch()
    outcomes = []
    for p in processes:
        out, err = p.communicate(timeout=timeout)
        outcomes.append(Outcome(p.returncode, out, err))
    return outcomes
