"""How appraisal talks and improvement plans are shown (`kpi review …`, `kpi plan …`, `today`)."""

from __future__ import annotations

from typing import Any

from opsctl.reports.tabular import Column, Record, Tabular

_ID = Column("id", "#", "right", kind="id")
_LOGIN = Column("login", "Login", kind="login")
_CYCLE = Column("cycle", "Cycle", kind="code")
_STATUS = Column("status", "Status", kind="code")


def talk_table(rows: list[dict[str, Any]], *, title: str = "Appraisal talks") -> Tabular:
    return Tabular(title, [_ID, _CYCLE, _LOGIN, Column("held_on", "Held"), Column("reviewer", "By", kind="login"),
                           _STATUS, Column("disagreement", "Disagreement", priority=2),
                           Column("goals", "Goals agreed", priority=3)], rows,
                   empty="No appraisal talks here.",
                   row_styles=["yellow" if row["status"] == "disagreed" else None for row in rows])


def talk_record(row: dict[str, Any]) -> Record:
    labels = {"held_on": "Held on", "own_comment": "Their comment", "goals": "Goals agreed",
              "confirmed_at": "Read on", "recorded_at": "Recorded"}
    hidden = tuple(key for key in ("own_comment", "confirmed_at", "disagreement") if row.get(key) is None)
    return Record(f"Appraisal talk of {row['name']} ({row['login']}) about {row['cycle']}", row, labels=labels,
                  hidden=hidden)


def missing_talk_table(rows: list[dict[str, Any]], *, cycle: str) -> Tabular:
    notes = [f"Record one with `opsctl kpi review LOGIN --cycle {cycle} --strengths … --gaps … --goals …`."] \
        if rows else []
    return Tabular(f"Talks still due about {cycle}", [_LOGIN, Column("name", "Name"),
                                                      Column("final_score", "Final", "right", decimals=2),
                                                      Column("grade", "Grade", kind="code"),
                                                      Column("manager", "Manager", kind="login")],
                   rows, notes=notes, empty=f"Every final result of {cycle} you may see has its talk.")


def _plan_style(row: dict[str, Any]) -> str | None:
    return "red" if row["status"] == "overdue" else "dim" if row["status"] == "closed" else (
        "yellow" if row["flagged"] else None)


def plan_table(rows: list[dict[str, Any]], *, title: str = "Improvement plans") -> Tabular:
    shown = [row | {"done": f"{row['items_done']}/{row['items']}"} for row in rows]
    return Tabular(title, [_ID, _CYCLE, _LOGIN, Column("grade", "Grade", kind="code"), Column("goal", "Goal"),
                           Column("due", "Due"), _STATUS, Column("outcome", "Outcome", kind="code"),
                           Column("done", "Items done", "right", short="Items"),
                           Column("flagged", "HR flag", kind="code", priority=2)],
                   shown, empty="No improvement plans here.", row_styles=[_plan_style(row) for row in rows],
                   notes=["HR flag: the latest grades in a row at or below kpi.plan_grade, as many as "
                          "kpi.plan_flag_after."] if any(row["flagged"] for row in rows) else [])


def plan_record(row: dict[str, Any]) -> Record:
    from opsctl.reports.tasks import task_table

    items = task_table(row.get("tasks", []), title="Items (tasks)",
                       empty=f"No items yet; add one with `opsctl kpi plan item {row['id']} TEXT`.")
    labels = {"items_done": "Items done", "outcome_note": "Outcome note", "created_by": "Set by",
              "created_at": "Set", "closed_at": "Closed", "flagged": "Flagged to HR"}
    hidden = ("tasks", "items", *(k for k in ("outcome", "outcome_note", "closed_at") if row.get(k) is None))
    return Record(f"Improvement plan #{row['id']} of {row['name']} ({row['login']}), {row['cycle']}", row,
                  labels=labels, hidden=hidden, sections=[items])


def today_table(facts: list[dict[str, Any]]) -> Tabular:
    """`opsctl today`: talks to confirm or hold, plans due, plans flagged to HR (``kpi.plans.today_facts``)."""
    return Tabular("Appraisal talks and improvement plans", [
        Column("what", "What", kind="code"), Column("detail", "Detail"),
        Column("command", "See", kind="command", priority=2)], facts)
