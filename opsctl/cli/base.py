"""Pieces every command module shares: the group factory and the common options."""

from __future__ import annotations

from typing import Annotated

import typer

from opsctl.errors import NotFound
from opsctl.reports.formats import OutputFormat


def group(help: str, *, default: str | None = None) -> typer.Typer:
    """A command group with plain (fast) help and no pretty tracebacks. ``default``: the command
    a first word that names none of the group's commands goes to (`kpi review LOGIN`)."""
    from opsctl.cli.lazy import defaulting_to

    chosen = {"cls": defaulting_to(default)} if default else {}
    return typer.Typer(
        **chosen,  # type: ignore[arg-type]
        help=help,
        no_args_is_help=True,
        rich_markup_mode=None,
        add_completion=False,
        pretty_exceptions_enable=False,
        callback=_stay_a_group,
    )


def single(help: str) -> typer.Typer:
    """An app holding one top-level command (`opsctl init`, `opsctl whoami`)."""
    return typer.Typer(help=help, rich_markup_mode=None, add_completion=False, pretty_exceptions_enable=False)


def _stay_a_group() -> None:
    # A group with a callback stays a group even while it has a single command.
    pass


FormatOption = Annotated[
    OutputFormat | None,
    typer.Option("--format", "-f", help="Output format: table, json, csv, tsv or md.", case_sensitive=False),
]

# SQLite and PostgreSQL keep ids in 64 bits; a larger number names nothing that exists.
LARGEST_ID = 2**63 - 1


def record_id(text: str) -> int:
    """A record number (``parser=`` of an id argument): one past any stored id is not found (exit 3)."""
    try:
        number = int(text)
    except ValueError:
        raise typer.BadParameter(f"{text!r} is not a record number (a whole number such as 12)") from None
    if number > LARGEST_ID:
        raise NotFound(f"there is no record number {text}: numbers stop at {LARGEST_ID}")
    return number
