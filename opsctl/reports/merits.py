"""How rewards and penalties are shown (`merit …`). Money is printed exactly, as text with two
decimals (JSON too: a float could not hold every amount), signed like the points."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from opsctl.reports.tabular import Column, Record, Tabular

_ID = Column("id", "#", "right", kind="id")
_LOGIN = Column("login", "Login", kind="login")
_POINTS = Column("points", "Points", "right")
_AMOUNT = Column("amount", "Amount", "right", kind="code")


def money_text(amount: Decimal | None) -> str | None:
    """``1500.00``, ``-200.00``: exact, two places."""
    return None if amount is None else f"{amount:.2f}"


def _shown(row: dict[str, Any]) -> dict[str, Any]:
    return row | {"amount": money_text(row.get("amount"))}


def merit_table(rows: list[dict[str, Any]], *, title: str = "Rewards and penalties") -> Tabular:
    shown = [_shown(row) for row in rows]
    styles = ["dim" if row["status"] == "revoked" else "yellow" if row["status"] == "pending" else None
              for row in rows]
    return Tabular(title, [_ID, _LOGIN, Column("kind", "Kind", kind="code"), Column("category", "Category"),
                           _POINTS, _AMOUNT, Column("cycle", "Cycle", kind="code", priority=2),
                           Column("status", "Status", kind="code"), Column("waiting_for", "Waiting for", priority=2),
                           Column("reason", "Reason", priority=3)],
                   shown, empty="No rewards or penalties here.", row_styles=styles,
                   notes=["Points and amounts: rewards count up, penalties down; only approved entries count "
                          "in a person's total."] if rows else [])


def merit_record(row: dict[str, Any]) -> Record:
    labels = {"waiting_for": "Waiting for", "created_by": "Added by", "created_at": "Added",
              "approved_by": "Approved by", "approved_at": "Approved", "second_approved_by": "Second approval by",
              "second_approved_at": "Second approval", "revoke_reason": "Revoked because", "revoked_at": "Revoked"}
    hidden = tuple(key for key in ("suggestion", "waiting_for", "approved_by", "approved_at", "second_approved_by",
                                   "second_approved_at", "revoked_at", "revoke_reason", "cycle")
                   if row.get(key) is None)
    kind = "Reward" if row["kind"] == "reward" else "Penalty"
    return Record(f"{kind} #{row['id']} of {row['name']} ({row['login']})", _shown(row), labels=labels,
                  hidden=hidden)


def merits_written(rows: list[dict[str, Any]], *, title: str) -> Tabular | Record:
    """What a write command wrote: one record, or (several accepted at once) a table."""
    return merit_record(rows[0]) if len(rows) == 1 else merit_table(rows, title=title)


def suggestion_table(rows: list[dict[str, Any]], *, cycle: str) -> Tabular:
    new = [row for row in rows if not row["accepted"]]
    notes = ["Nothing is applied: accept a line with `opsctl merit accept ID …` (it becomes a pending entry, "
             "approved as any other)."] if new else []
    return Tabular(f"Suggested rewards and penalties, {cycle}",
                   [Column("id", "Id", kind="code"), _LOGIN, Column("kind", "Kind", kind="code", priority=3),
                    Column("category", "Category", priority=2), _POINTS, Column("reason", "Why"),
                    Column("accepted", "Accepted", kind="code")], rows, notes=notes,
                   empty=f"Nothing in {cycle} calls for a reward or penalty (among the people you may see).",
                   row_styles=["dim" if row["accepted"] else None for row in rows])


def totals_table(data: dict[str, Any]) -> Tabular:
    """The profile's section: the person's entries, the total in the title."""
    points, amount = data["points"], money_text(data["amount"])
    return Tabular(f"Rewards and penalties (total: {points} points, amount {amount})",
                   [_ID, Column("kind", "Kind", kind="code"), Column("category", "Category"), _POINTS, _AMOUNT,
                    Column("cycle", "Cycle", kind="code"), Column("status", "Status", kind="code")],
                   [_shown(row) for row in data["entries"]], empty="No rewards or penalties.")


def today_table(facts: list[dict[str, Any]]) -> Tabular:
    """`opsctl today`: the entries waiting for your approval (``merits.today.today_facts``)."""
    return Tabular("Rewards and penalties to approve", [Column("what", "What", kind="code"),
                                                       Column("detail", "Detail"),
                                                       Column("command", "Do", kind="command", priority=2)], facts)
