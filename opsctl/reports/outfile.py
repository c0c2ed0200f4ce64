"""Writing an output file the same way everywhere (workbooks, .ics and .md exports).

- The path is checked before any work is done: a missing or read-only folder, or a folder
  given as the file, is invalid input (exit 1); an existing file is kept unless the command
  was given ``--force`` (exit 5).
- The file is written to a temporary file beside the target and moved into place in one
  step (`opsctl.atomic`), so a failure or a kill never leaves half a file; without ``force`` a
  file that appeared at the target meanwhile is kept too.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from opsctl import atomic
from opsctl.errors import Conflict, InvalidInput, StorageError


def check_output(path: Path, *, force: bool, option: str = "-o", example: str = "report.xlsx") -> Path:
    """Refuse an output path before any work is done: its folder missing or not writable, a
    folder (all 1), or an existing file without ``force`` (5)."""
    folder = path.parent
    if not folder.is_dir():
        raise _no_folder(folder, option)
    if not os.access(folder, os.W_OK | os.X_OK):
        raise _read_only(folder, option)
    if path.is_dir():
        raise InvalidInput(f"{path} is a folder; give a file name such as {path / example}")
    if path.exists() and not force:
        raise _exists(path, option)
    return path


def write_whole(path: Path, write: Callable[[str], object], *, force: bool, option: str = "-o") -> None:
    """Have ``write`` fill a temporary file beside ``path``, then move it into place in one step
    (`opsctl.atomic`). Without ``force``, a file that appeared at ``path`` meanwhile is kept (exit 5)."""
    try:
        written = atomic.write_whole(path, lambda temp: write(str(temp)), replace=force)
    except FileNotFoundError:
        raise _no_folder(path.parent, option) from None
    except PermissionError:
        raise _read_only(path.parent, option) from None
    except OSError as exc:
        raise StorageError(f"cannot write {path}: {exc.strerror or exc}") from exc
    if not written:
        raise _exists(path, option)


def write_text(path: Path, text: str, *, force: bool, option: str = "-o") -> None:
    """``text`` as UTF-8, its line endings as they are (an .ics file keeps its CRLF), written whole."""
    write_whole(path, lambda temp: Path(temp).write_text(text, encoding="utf-8", newline=""), force=force,
                option=option)


def _exists(path: Path, option: str) -> Conflict:
    return Conflict(f"{path} already exists; add --force to replace it, or choose another {option} path")


def _no_folder(folder: Path, option: str) -> InvalidInput:
    return InvalidInput(f"the folder {folder} does not exist; create it or choose another {option} path")


def _read_only(folder: Path, option: str) -> InvalidInput:
    return InvalidInput(f"the folder {folder} is not writable; choose another {option} path")
