"""How leave is shown: types, balances, the ledger, requests."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from opsctl.reports.tabular import Column, Record, Tabular

if TYPE_CHECKING:
    from opsctl.services.leave import Balance, LeaveToday


def _right(key: str, header: str, short: str | None = None) -> Column:
    return Column(key, header, "right", short=short)


ID = Column("id", "#", kind="id")
LOGIN = Column("login", "Login", kind="login")
WHEN = Column("when", "When", kind="date")  # a span of dates, never cut


TYPE_COLUMNS = [
    Column("code", "Code", kind="code"), Column("name", "Name"), Column("paid", "Paid", kind="code"),
    _right("quota", "Quota/yr", "Quota"), _right("min_notice", "Notice (days)", "Notice"),
    Column("allow_retro", "Retroactive", kind="code", short="Retro"), _right("levels", "Levels"),
    Column("include_holidays", "Calendar days", kind="code", short="Cal. days"),
    _right("carry_over", "Carry-over", "Carry"),
]
TYPE_LABELS = {"quota": "Quota a year", "min_notice": "Notice (days)", "allow_retro": "Retroactive",
               "include_holidays": "Counts calendar days", "carry_over": "Carry-over (days)"}


def types_table(rows: list[dict[str, Any]]) -> Tabular:
    return Tabular(
        "Leave types", TYPE_COLUMNS, rows,
        notes=["No quota: no balance is kept. Levels 2: the manager, then HR. Calendar days: holidays and rest "
               "days count too."] if rows else [],
        empty="No leave types; add one with `opsctl leave type add CODE --name TEXT`.",
    )


def type_record(row: dict[str, Any]) -> Record:
    return Record(f"Leave type {row['code']}: {row['name']}", row, labels=TYPE_LABELS)


BALANCE_COLUMNS = [
    Column("code", "Type", kind="code"), Column("name", "Name", priority=2), Column("paid", "Paid", kind="code"),
    _right("allocated", "Allocated", "Alloc"), _right("carried", "Carried", "Carry"), _right("used", "Used"),
    _right("pending", "Pending", "Pend"), _right("remaining", "Remaining", "Remain"),
    _right("available", "Available", "Avail"),
]


def balance_table(balances: list[Balance], *, who: str, year: int) -> Tabular:
    return Tabular(
        f"Leave balance of {who}, {year}", BALANCE_COLUMNS, [b.row() for b in balances],
        notes=["Allocated = the type's yearly quota + HR's allocations. Remaining = allocated + carried − used; "
               "Available = remaining − pending (what a new request may take). Blank: the type keeps no balance."],
        empty="No leave types.",
    )


def balance_record(balance: Balance) -> Record:
    return Record(f"{balance.login}: {balance.text()}", balance.row())


def ledger_table(rows: list[dict[str, Any]], *, who: str, year: int) -> Tabular:
    return Tabular(
        f"Leave ledger of {who}, {year}",
        [ID, Column("type", "Type", kind="code"), Column("kind", "Entry", kind="code"), _right("days", "Days"),
         Column("request_id", "Request", kind="id"), Column("note", "Note"), Column("at", "When")],
        rows, notes=["The type's quota and carried-over days are not entries: they follow from its rules."],
        empty=f"No ledger entries in {year} (allocations, approved or cancelled leave).",
    )


REQUEST_COLUMNS = [
    ID, LOGIN, Column("name", "Name", min_width=8, priority=4), Column("type", "Type", kind="code"), WHEN,
    _right("days", "Days"), Column("status", "Status", kind="code"),
    Column("waiting_for", "Waits for", kind="login", short="Waits", priority=2),
    Column("decided_by", "Decided by", kind="login", short="Decided", priority=3), Column("reason", "Reason"),
]


def _with_decider(row: dict[str, Any]) -> dict[str, Any]:
    approvers = ", ".join(dict.fromkeys(a for a in (row["approved_by"], row["hr_approved_by"]) if a))
    if row["status"] == "pending" and approvers:
        approvers += " (level 1)"
    return {**row, "decided_by": row["closed_by"] or approvers or None}


def requests_table(rows: list[dict[str, Any]], *, title: str = "Leave requests", empty: str | None = None) -> Tabular:
    shown = [_with_decider(r) for r in rows]
    return Tabular(title, REQUEST_COLUMNS, shown, empty=empty or "No leave requests.")


REQUEST_LABELS = {"waiting_for": "Waits for", "hr_approved_by": "HR approved by", "hr_approved_at": "HR approved at",
                  "close_note": "Why"}
_INTERNAL = ("id", "login", "name", "from", "from_half", "to", "to_half", "approved_level", "decided_by")


def request_record(row: dict[str, Any]) -> Record:
    shown = _with_decider(row)
    empty = tuple(key for key, value in row.items() if value is None)
    levels = () if row["levels"] == 2 else ("levels",)
    return Record(f"Leave #{row['id']} of {row['name']} ({row['login']}): {row['type']}, {row['when']} — "
                  f"{row['status']}", shown, hidden=_INTERNAL + empty + levels,
                  labels={**REQUEST_LABELS, "closed_by": f"{row['status'].capitalize()} by",
                          "closed_at": f"{row['status'].capitalize()} at"})


def today_record(facts: LeaveToday) -> Record:
    """`opsctl today`: the balance of paid types, one's own open requests, and what waits for
    one's decision (``leave.views.today_facts``)."""
    login, paid, mine, to_decide, corrections = facts
    balance = " · ".join(f"{b.code} {b.available:g} of {b.remaining:g} left" if b.pending else
                         f"{b.code} {b.remaining:g} left" for b in paid)
    data: dict[str, Any] = {
        "login": login, "balance": balance or None, "balances": [b.row() for b in paid],
        "requests": [_with_decider(r) for r in mine], "to_approve": [_with_decider(r) for r in to_decide],
        "corrections_to_approve": corrections,
    }
    sections = []
    if mine:
        sections.append(Tabular("Your leave ahead", [
            ID, Column("type", "Type", kind="code"), WHEN, _right("days", "Days"),
            Column("status", "Status", kind="code"), Column("waiting_for", "Waits for", kind="login")],
            data["requests"]))
    if to_decide:
        sections.append(Tabular("Leave waiting for your approval", [
            ID, LOGIN, Column("name", "Name", min_width=8, priority=2), Column("type", "Type", kind="code"), WHEN,
            _right("days", "Days"), Column("reason", "Reason")], data["to_approve"],
            notes=["opsctl leave approve ID  ·  opsctl leave reject ID --reason …"]))
    if corrections:
        sections.append(Tabular("Punch corrections waiting for your approval", [
            ID, LOGIN, Column("name", "Name", min_width=8, priority=2), Column("date", "Date"),
            Column("in", "In", kind="time"), Column("out", "Out", kind="time"), Column("reason", "Reason")],
            corrections,
            notes=["opsctl attend approve ID  ·  opsctl attend reject ID --reason …"]))
    return Record("Leave", data, labels={"balance": "Balance"}, sections=sections,
                  hidden=("login", "balances", "requests", "to_approve", "corrections_to_approve"))
