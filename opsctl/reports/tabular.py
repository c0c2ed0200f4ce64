"""The shapes every command shows: a table of rows, or one record.

Rows are dicts with snake_case keys; the JSON, CSV and TSV formats carry every key
(a stable contract), the table and Markdown formats the columns, with their headers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Justify = Literal["left", "right", "center"]
# What a column holds decides how a narrow terminal may treat it: only ``text`` is ever cut
# (with "…"); a date, time, login, id, number, code (a status, a kind, a role) or command (an
# `opsctl …` line to paste: cut, it would run something else) is shown whole or, when the table
# cannot fit, the whole column is left out (see ``priority``).
Kind = Literal["text", "date", "time", "datetime", "id", "login", "number", "code", "command"]


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    justify: Justify = "left"
    style: str | None = None
    decimals: int | None = None  # numbers shown with exactly this many (scores: 2)
    # None: a number when right-aligned, else text (but never cut when every value is a date, a
    # time or a number rather than a string).
    kind: Kind | None = None
    # 1: always shown. 2, 3, …: left out on a terminal too narrow for the table, the highest first
    # (the table says which; -w/--wide and -f csv show every column).
    priority: int = 1
    short: str | None = None  # the header on a narrow terminal ("Late min" → "Late")
    min_width: int | None = None  # text: the narrowest cut still worth reading (default 10)


@dataclass
class Tabular:
    title: str | None
    columns: list[Column]
    rows: list[dict[str, Any]]
    notes: list[str] = field(default_factory=list)  # shown under the table only
    empty: str = "Nothing to show."
    row_styles: list[str | None] | None = None  # one per row, table format only


@dataclass
class Record:
    """One object: shown as a two-column table, or as a JSON object."""

    title: str | None
    data: dict[str, Any]
    labels: dict[str, str] = field(default_factory=dict)  # key -> readable label
    sections: list[Tabular] = field(default_factory=list)  # shown below in table form
    hidden: tuple[str, ...] = ()  # keys kept out of the table form (JSON still has them)


def columns(*specs: str | tuple[str, str] | Column) -> list[Column]:
    """``columns("login", ("name", "Name"), Column("late", "Late", "right"))``."""
    result = []
    for spec in specs:
        if isinstance(spec, Column):
            result.append(spec)
        elif isinstance(spec, tuple):
            result.append(Column(spec[0], spec[1]))
        else:
            result.append(Column(spec, spec.replace("_", " ").capitalize()))
    return result
