"""Fitting a table into a terminal's width, in this order: the short headers; then columns
left out by priority (empty ones first); then text cut with "…". A date, time, login, id,
number or code is never cut: it is shown whole or its column is left out, and the table
says which columns were (``-w``/``--wide`` and ``-f csv`` show them all).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time
from decimal import Decimal
from typing import Any

from opsctl.reports.tabular import Column
from opsctl.reports.textable import fit_text, text_width

GAP = 2  # columns between two columns
TEXT_FLOOR = 10  # a text column is not cut narrower than this (or its header), unless told
_WHOLE_VALUES = (date, time, int, float, Decimal)  # datetime is a date, bool an int


@dataclass
class Fitted:
    columns: list[Column]
    headers: list[str]
    body: list[list[str]]
    widths: list[int] | None  # None: every column as wide as its widest cell
    dropped: list[Column] = field(default_factory=list)  # left out, and not empty


def may_cut(column: Column, values: list[Any]) -> bool:
    """Only text is cut; a column without a kind is text unless right-aligned (a number) or
    every value in it is a date, a time or a number."""
    kind = column.kind or ("number" if column.justify == "right" else None)
    if kind is not None:
        return kind == "text"
    return any(not isinstance(v, _WHOLE_VALUES) for v in values if v is not None and v != "")


def table_width(widths: list[int]) -> int:
    return sum(widths) + GAP * (len(widths) - 1) if widths else 0


def fit_table(columns: list[Column], rows: list[dict[str, Any]], body: list[list[str]],
              width: int | None) -> Fitted:
    """The columns, headers and cells to draw within ``width`` (None: all, whole)."""
    full = [c.header for c in columns]
    if width is None:
        return Fitted(columns, full, body, None)
    count = len(columns)
    cells = [max((text_width(row[i]) for row in body), default=0) for i in range(count)]
    natural = [max(cells[i], text_width(full[i])) for i in range(count)]
    if table_width(natural) <= width:
        return Fitted(columns, full, body, natural)
    headers = [c.short or c.header for c in columns]
    head = [text_width(h) for h in headers]
    cuttable = [may_cut(c, [row.get(c.key) for row in rows]) for c in columns]
    floors = [max(head[i], min(cells[i], c.min_width or TEXT_FLOOR)) if cuttable[i] else max(head[i], cells[i])
              for i, c in enumerate(columns)]
    kept = list(range(count))
    optional = [i for i in kept if not cells[i] or columns[i].priority > 1]
    left_out = []
    for i in sorted(optional, key=lambda i: (cells[i] > 0, -columns[i].priority, -i)):
        if table_width([floors[k] for k in kept]) <= width:
            break
        kept.remove(i)
        left_out.append(i)
    for i in reversed(left_out[:-1]):  # a less wanted column that the last one left room for comes back
        if cells[i] and table_width([floors[k] for k in kept] + [floors[i]]) <= width:
            kept = sorted([*kept, i])
    widths = [max(cells[k], head[k]) for k in kept]
    excess = table_width(widths) - width
    while excess > 0:  # the widest text column gives up a column at a time, down to its floor
        shrinkable = [j for j, k in enumerate(kept) if cuttable[k] and widths[j] > floors[k]]
        if not shrinkable:
            break
        widest = max(shrinkable, key=lambda j: widths[j])
        widths[widest] -= 1
        excess -= 1
    return Fitted(
        [columns[k] for k in kept], [headers[k] for k in kept],
        [[fit_text(row[k], widths[j]) if cuttable[k] else row[k] for j, k in enumerate(kept)] for row in body],
        widths,
        dropped=[columns[i] for i in range(count) if i not in kept and cells[i]],
    )


def dropped_note(dropped: list[Column], width: int) -> str:
    names = ", ".join(c.header for c in dropped)
    return f"Left out to fit {width} columns: {names} (-w or -f csv shows all)."
