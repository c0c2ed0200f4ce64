"""How leave is shown: types, balances, the ledger, requests."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from opsctl.reports.tabular import Column, Record, Tabular, columns

if TYPE_CHECKING:
    from opsctl.services.leave_ledger import Balance


def _right(key: str, header: str) -> Column:
    return Column(key, header, "right")


TYPE_COLUMNS = columns(
    ("code", "Code"), ("name", "Name"), ("paid", "Paid"), _right("quota", "Quota/yr"),
    _right("min_notice", "Notice (days)"), ("allow_retro", "Retroactive"), _right("levels", "Levels"),
    ("include_holidays", "Calendar days"), _right("carry_over", "Carry-over"),
)
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


BALANCE_COLUMNS = columns(
    ("code", "Type"), ("name", "Name"), ("paid", "Paid"), _right("allocated", "Allocated"),
    _right("carried", "Carried"), _right("used", "Used"), _right("pending", "Pending"),
    _right("remaining", "Remaining"), _right("available", "Available"),
)


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
        columns(("id", "#"), ("type", "Type"), ("kind", "Entry"), _right("days", "Days"),
                ("request_id", "Request"), ("note", "Note"), ("at", "When")),
        rows, notes=["The type's quota and carried-over days are not entries: they follow from its rules."],
        empty=f"No ledger entries in {year} (allocations, approved or cancelled leave).",
    )


REQUEST_COLUMNS = columns(
    ("id", "#"), ("login", "Login"), ("name", "Name"), ("type", "Type"), ("when", "When"), _right("days", "Days"),
    ("status", "Status"), ("waiting_for", "Waits for"), ("decided_by", "Decided by"), ("reason", "Reason"),
)


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


def today_record(login: str, paid: list[Balance], mine: list[dict[str, Any]], to_decide: list[dict[str, Any]],
                 corrections: list[dict[str, Any]]) -> Record:
    """`opsctl today`: the balance of paid types, one's own open requests, and what waits for
    one's decision."""
    balance = " · ".join(f"{b.code} {b.available:g} of {b.remaining:g} left" if b.pending else
                         f"{b.code} {b.remaining:g} left" for b in paid)
    data: dict[str, Any] = {
        "login": login, "balance": balance or None, "balances": [b.row() for b in paid],
        "requests": [_with_decider(r) for r in mine], "to_approve": [_with_decider(r) for r in to_decide],
        "corrections_to_approve": corrections,
    }
    sections = []
    if mine:
        sections.append(Tabular("Your leave ahead", columns(
            ("id", "#"), ("type", "Type"), ("when", "When"), _right("days", "Days"), ("status", "Status"),
            ("waiting_for", "Waits for")), data["requests"]))
    if to_decide:
        sections.append(Tabular("Leave waiting for your approval", columns(
            ("id", "#"), ("login", "Login"), ("name", "Name"), ("type", "Type"), ("when", "When"),
            _right("days", "Days"), ("reason", "Reason")), data["to_approve"],
            notes=["opsctl leave approve ID  ·  opsctl leave reject ID --reason …"]))
    if corrections:
        sections.append(Tabular("Punch corrections waiting for your approval", columns(
            ("id", "#"), ("login", "Login"), ("name", "Name"), ("date", "Date"), ("in", "In"), ("out", "Out"),
            ("reason", "Reason")), corrections,
            notes=["opsctl attend approve ID  ·  opsctl attend reject ID --reason …"]))
    return Record("Leave", data, labels={"balance": "Balance"}, sections=sections,
                  hidden=("login", "balances", "requests", "to_approve", "corrections_to_approve"))
