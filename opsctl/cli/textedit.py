"""Markdown written by a person: read from a file or stdin, or in $VISUAL/$EDITOR (outside any
transaction: nobody waits while they write), and kept in a file when it cannot be saved.
Meeting minutes and work reports use it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def read_text(file: Path, *, what: str = "the minutes") -> str:
    """The UTF-8 text of ``file`` ('-': stdin)."""
    import sys

    from opsctl.errors import InvalidInput
    from opsctl.tablefile import require_file

    if str(file) == "-":
        return sys.stdin.read()
    require_file(file)
    try:
        return file.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InvalidInput(f"{file} is not UTF-8 text; save {what} as UTF-8 Markdown") from None


def run_editor(template: str, *, what: str = "the minutes", prefix: str = "opsctl-minutes-") -> str:
    """Open $VISUAL (else $EDITOR) on a temporary .md file holding ``template``; return what was saved."""
    import os
    import shlex
    import subprocess
    import tempfile

    from opsctl.errors import InvalidInput

    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if not editor:
        raise InvalidInput("--edit needs an editor: set EDITOR (e.g. `export EDITOR=nano`) or VISUAL, "
                           f"or give {what} with --file F")
    handle, name = tempfile.mkstemp(prefix=prefix, suffix=".md")
    path = Path(name)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(template)
        try:
            status = subprocess.run([*shlex.split(editor), str(path)], check=False).returncode
        except (OSError, ValueError) as exc:
            raise InvalidInput(f"cannot run the editor {editor!r} ({exc}); set EDITOR to an installed "
                               "editor") from None
        if status != 0:
            raise InvalidInput(f"the editor {editor!r} exited with status {status}; nothing was saved")
        return read_text(path, what=what)
    finally:
        path.unlink(missing_ok=True)


@contextmanager
def kept_on_conflict(text: str, *, keep: bool, prefix: str, merge_with: str) -> Iterator[None]:
    """Text written in the editor that cannot be saved (a Conflict: changed meanwhile, or no
    longer open to change) is kept in a file rather than lost; the error says where, and that
    ``merge_with`` shows what is stored."""
    import tempfile

    from opsctl.errors import Conflict

    try:
        yield
    except Conflict as exc:
        if not keep:
            raise
        handle, name = tempfile.mkstemp(prefix=prefix, suffix=".md")
        with open(handle, "w", encoding="utf-8") as out:
            out.write(text)
        raise Conflict(f"{exc.message}; your text is in {name}: merge it with `{merge_with}` and "
                       f"save it with --file {name}") from None
