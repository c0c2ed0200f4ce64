"""The errors a user can meet. Each class carries the exit code DESIGN §2 documents."""

from __future__ import annotations


class OpsctlError(Exception):
    """An expected failure: shown as one ``Error: …`` line, never as a traceback."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidInput(OpsctlError):
    """Bad input, or a business rule refused it (exit 1)."""

    exit_code = 1


class NotFound(OpsctlError):
    """An unknown person, team, record or file (exit 3)."""

    exit_code = 3


class NotAllowed(OpsctlError):
    """The acting person may not do this, or is unknown (exit 4)."""

    exit_code = 4


class Conflict(OpsctlError):
    """The current state forbids it: a duplicate, an overlap, a step out of order (exit 5)."""

    exit_code = 5


class StorageError(OpsctlError):
    """The database cannot be used: missing, locked, unreadable or too new (exit 6)."""

    exit_code = 6
