"""How overtime requests are shown (`attend overtime list`, and the record a write prints)."""

from __future__ import annotations

from typing import Any

from opsctl.reports.tabular import Column, Record, Tabular

OVERTIME_COLUMNS = [
    Column("id", "#", kind="id"), Column("login", "Login", kind="login"),
    Column("name", "Name", min_width=8, priority=3), Column("date", "Date"),
    Column("day_kind", "Day", kind="code", priority=2), Column("from", "From", kind="time"),
    Column("to", "To", kind="time"), Column("hours", "Asked h", "right", short="Asked"),
    Column("worked_hours", "Worked h", "right", short="Worked"), Column("status", "Status", kind="code"),
    Column("late_mark", "Late", kind="code", priority=2), Column("reason", "Reason", min_width=12),
    Column("decided_by", "Decided by", kind="login", short="Decider", priority=2),
    Column("comp_days", "Comp d", "right", priority=3), Column("decision_note", "Note", priority=3),
]
NOTES = ["Worked h: the part of the asked time the punches cover (only that counts once approved); "
         "Late: asked for after it began"]


def overtime_table(rows: list[dict[str, Any]], *, pending: bool) -> Tabular:
    shown = [{**row, "late_mark": "late" if row["late"] else ""} for row in rows]
    return Tabular("Pending overtime requests" if pending else "Overtime requests", OVERTIME_COLUMNS, shown,
                   notes=NOTES if rows else [],
                   empty="No pending overtime requests." if pending else "No overtime requests.")


def overtime_record(row: dict[str, Any]) -> Record:
    late = ", asked late" if row["late"] else ""
    return Record(f"Overtime #{row['id']} for {row['name']} ({row['login']}) on {row['date']} "
                  f"{row['from']:%H:%M}–{row['to']:%H:%M}: {row['status']}{late}", row)
