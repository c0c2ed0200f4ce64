"""Files written whole: a temporary file beside the target, moved into place in one step.

Used by every file opsctl writes for the user (backups, workbooks, .ics and .md exports), so
that an interrupted write never leaves half a file under the name the user asked for:

- The temporary file is hidden and names the process that writes it
  (``.NAME.PID.RANDOM.opsctl-tmp``, NAME cut at 100 characters), readable by its owner only.
- SIGTERM and SIGHUP while the file is written end the command as Ctrl-C does, so the
  temporary file is removed on the way out.
- What no handler can catch (SIGKILL, a power cut) leaves a temporary file whose writer is
  gone; the next write beside it sweeps it away.
"""

from __future__ import annotations

import os
import signal
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from types import FrameType

TEMP_SUFFIX = ".opsctl-tmp"
_CAUGHT = (signal.SIGTERM, signal.SIGHUP)


def write_whole(path: Path, write: Callable[[Path], object], *, replace: bool) -> bool:
    """Have ``write`` fill a temporary file beside ``path``, then move it into place.

    Returns False, leaving ``path`` as it was, when ``path`` exists and ``replace`` is
    false (also when it appeared while the file was written). OSError from the file system
    (the folder missing or read-only, a disk full) reaches the caller, which words it.
    """
    sweep_stale(path)
    handle, name = tempfile.mkstemp(prefix=f".{_short(path)}.{os.getpid()}.", suffix=TEMP_SUFFIX, dir=path.parent)
    os.close(handle)
    temp = Path(name)
    try:
        with _interrupted_by_signals():
            write(temp)
            return _move_into_place(temp, path, replace=replace)
    finally:
        temp.unlink(missing_ok=True)


def sweep_stale(path: Path) -> list[Path]:
    """Remove the temporary files beside ``path`` whose writing process is gone."""
    swept = []
    with suppress(OSError):
        for temp in path.parent.glob(f".{_glob_escape(_short(path))}.*{TEMP_SUFFIX}"):
            pid = temp.name[len(_short(path)) + 2:].split(".", 1)[0]
            if pid.isdigit() and not _alive(int(pid)):
                with suppress(FileNotFoundError):
                    temp.unlink()
                    swept.append(temp)
    return swept


def _move_into_place(temp: Path, path: Path, *, replace: bool) -> bool:
    if replace:
        os.replace(temp, path)
        return True
    try:
        os.link(temp, path)  # fails if the name is taken: never clobbers a file made meanwhile
    except FileExistsError:
        return False
    except OSError:  # a file system without hard links
        if path.exists():
            return False
        os.replace(temp, path)
    return True


@contextmanager
def _interrupted_by_signals() -> Iterator[None]:
    """Turn SIGTERM/SIGHUP into KeyboardInterrupt for the duration, so ``finally`` blocks run."""
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may set handlers; the caller's own handling applies
        return

    def interrupt(signum: int, _frame: FrameType | None) -> None:
        raise KeyboardInterrupt(f"stopped by {signal.Signals(signum).name}")

    previous = {signum: signal.signal(signum, interrupt) for signum in _CAUGHT}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


def _short(path: Path) -> str:
    # The temporary name adds ~30 characters; a target name near the file system's limit
    # (255 bytes) must still get one.
    return path.name[:100]


def _glob_escape(name: str) -> str:
    return "".join(f"[{c}]" if c in "*?[" else c for c in name)
