"""How a project's plan is shown: plan versions, milestones drawn against the baseline, risks,
costs against the budget, documents, lessons reviews, and the `today` section of them."""

from __future__ import annotations

from datetime import date
from typing import Any

from opsctl.reports.formats import OutputFormat
from opsctl.reports.tabular import Column, Record, Tabular

CHART_WIDTH = 24
CHART_LEGEND = "│ baseline · ◆ due · ✔ reached · ─ slip"

MILESTONE_COLUMNS = [
    Column("id", "#", "right", kind="id"), Column("title", "Milestone", min_width=14),
    Column("login", "Owner", kind="login"), Column("baseline_due", "Baseline"), Column("due", "Due"),
    Column("done_on", "Reached", priority=2), Column("slip_days", "Slip d", "right"),
    Column("status", "Status", kind="code"), Column("open_tasks", "Open tasks", "right", priority=3),
]
CHART = Column("chart", "Against the baseline", kind="code", priority=2)
RISK_COLUMNS = [
    Column("id", "#", "right", kind="id"), Column("project", "Project", kind="code", priority=2),
    Column("text", "Risk", min_width=16), Column("likelihood", "L", "right"), Column("impact", "I", "right"),
    Column("level", "Level", "right"), Column("band", "Band", kind="code"), Column("login", "Owner", kind="login"),
    Column("review", "Review", kind="code"), Column("response", "Response", priority=3),
]
COST_COLUMNS = [
    Column("id", "#", "right", kind="id"), Column("date", "Date"), Column("amount", "Amount", "right", decimals=2),
    Column("category", "Category", kind="code"), Column("login", "By", kind="login"),
    Column("status", "Status", kind="code"), Column("decided_by", "Decided by", kind="login", priority=2),
    Column("note", "Note", priority=3),
]
DOCUMENT_COLUMNS = [
    Column("id", "#", "right", kind="id"), Column("name", "File"), Column("kind", "Kind", kind="code"),
    Column("size", "Bytes", "right"), Column("login", "Filed by", kind="login"), Column("added_at", "Filed"),
    Column("sha256", "SHA-256", kind="code", priority=3),
]
LESSON_COLUMNS = [
    Column("project", "Project", kind="code"), Column("written_at", "Written", priority=2),
    Column("login", "By", kind="login"), Column("went_well", "Went well"), Column("went_badly", "Did not"),
    Column("actions", "Actions"),
]
_RISK_STYLES = {"high": "red", "medium": "yellow"}


def milestone_chart(row: dict[str, Any], low: date, high: date, width: int = CHART_WIDTH) -> str:
    """One line: the span from ``low`` to ``high``, the baseline date │, the due date ◆ (✔ once
    reached) and the slip ─ between them, then the slip in days."""
    span = max((high - low).days, 1)

    def at(day: date) -> int:
        return min(width - 1, max(0, round((day - low).days * (width - 1) / span)))

    cells = ["·"] * width
    current = at(row["done_on"] or row["due"])
    if row["baseline_due"] is not None:
        base = at(row["baseline_due"])
        if base == current and row["slip_days"]:  # a slip too small to see still shows which way
            base = max(0, current - 1) if row["slip_days"] > 0 else min(width - 1, current + 1)
        for i in range(min(base, current), max(base, current)):
            cells[i] = "─"
        cells[base] = "│"
    cells[current] = "✔" if row["done_on"] else "◆"
    slip = row["slip_days"]
    return "".join(cells) + ("" if slip is None else f" {slip:+d}d" if slip else " on time")


def _chart_span(rows: list[dict[str, Any]], start: date | None, due: date | None) -> tuple[date, date] | None:
    days = [d for row in rows for d in (row["due"], row["baseline_due"], row["done_on"]) if d is not None]
    days += [d for d in (start, due) if d is not None]
    return (min(days), max(days)) if days else None


def with_charts(rows: list[dict[str, Any]], start: date | None, due: date | None) -> list[dict[str, Any]]:
    span = _chart_span(rows, start, due)
    return [{**row, "chart": milestone_chart(row, *span)} for row in rows] if span else rows


def _milestone_style(row: dict[str, Any]) -> str | None:
    if row["status"] == "done":
        return "dim"
    return "red" if row["status"] == "overdue" else "yellow" if (row["slip_days"] or 0) > 0 else None


def milestone_table(rows: list[dict[str, Any]], *, start: date | None, due: date | None, title: str,
                    fmt: OutputFormat | None = None) -> Tabular:
    """The milestones; the table form draws each against the baseline (JSON keeps the dates and the slip)."""
    drawn = fmt in (None, OutputFormat.table, OutputFormat.md)
    shown = with_charts(rows, start, due) if drawn else rows
    notes = [CHART_LEGEND] if drawn and rows else []
    unbased = sum(1 for row in rows if row["baseline_due"] is None)
    if unbased:
        notes.append(f"{unbased} milestone(s) have no baseline yet: it is taken when the plan is approved")
    return Tabular(title, MILESTONE_COLUMNS + ([CHART] if drawn else []), shown, notes=notes,
                   empty="No milestones yet; add one with `opsctl project milestone add CODE TITLE --due DATE`.",
                   row_styles=[_milestone_style(row) for row in rows])


def milestone_record(row: dict[str, Any]) -> Record:
    return Record(f"Milestone #{row['id']} — {row['title']}", row)


def plan_record(data: dict[str, Any]) -> Record:
    """The newest version in full, then every version."""
    versions = data["versions"]
    newest = versions[0] if versions else {}
    shown = {"code": data["code"], "name": data["name"], **newest, "versions": versions}
    section = Tabular("Versions", [Column("version", "Version", "right"), Column("status", "Status", kind="code"),
                                   Column("written_by", "Written by", kind="login"), Column("written_at", "Written"),
                                   Column("approved_by", "Approved by", kind="login"),
                                   Column("approved_at", "Approved")], versions)
    return Record(f"Plan of {data['code']} — {data['name']}", shown, sections=[section] if versions else [],
                  hidden=("versions",))


def plan_version_record(row: dict[str, Any]) -> Record:
    return Record(f"Plan of {row['code']}, version {row['version']} ({row['status']})", row)


def _risk_shown(row: dict[str, Any]) -> dict[str, Any]:
    review = "closed" if row["status"] == "closed" else \
        f"{row['review_on']} overdue" if row["review_overdue"] else str(row["review_on"])
    return {**row, "review": review}


def risk_table(rows: list[dict[str, Any]], *, title: str, empty: str = "No open risks.") -> Tabular:
    overdue = sum(1 for row in rows if row["review_overdue"])
    notes = [f"{overdue} risk review(s) overdue"] if overdue else []
    return Tabular(title, RISK_COLUMNS, [_risk_shown(row) for row in rows], notes=notes, empty=empty,
                   row_styles=[_RISK_STYLES.get(row["band"]) if row["status"] == "open" else "dim" for row in rows])


def risk_record(row: dict[str, Any]) -> Record:
    return Record(f"Risk #{row['id']} of {row['project']} — level {row['level']} ({row['band']})", row)


def cost_table(data: dict[str, Any]) -> Tabular:
    budget = data["budget"]
    notes = [budget_line(budget)]
    if budget["warning"]:
        notes.append(f"Warning: {budget['warning']}")
    return Tabular(f"Costs of {data['code']}", COST_COLUMNS, data["costs"], notes=notes,
                   empty="No costs filed yet; `opsctl project cost add CODE AMOUNT` files one.",
                   row_styles=[{"rejected": "dim", "pending": "yellow"}.get(row["status"]) for row in data["costs"]])


def budget_line(budget: dict[str, Any]) -> str:
    def shown(value: Any) -> str:
        return "—" if value is None else f"{value:,.2f}"

    return (f"Budget {shown(budget['budget'])} · approved {shown(budget['approved'])} · pending "
            f"{shown(budget['pending'])} · remaining {shown(budget['remaining'])}")


def cost_record(row: dict[str, Any]) -> Record:
    return Record(f"Cost #{row['id']} of {row['project']} ({row['status']})", row)


def document_table(rows: list[dict[str, Any]], *, code: str) -> Tabular:
    return Tabular(f"Documents of {code}", DOCUMENT_COLUMNS, rows,
                   empty=f"No documents yet; `opsctl project doc add {code} FILE --kind report` files one.")


def document_record(data: dict[str, Any]) -> Record:
    return Record(f"Document #{data['id']} of {data['project']} — {data['name']}", data)


def lessons_table(rows: list[dict[str, Any]]) -> Tabular:
    return Tabular("Lessons learned", LESSON_COLUMNS, rows,
                   empty="No lessons reviews yet; `opsctl project review-lessons CODE` writes one.")


def lessons_record(row: dict[str, Any]) -> Record:
    return Record(f"Lessons review of {row['project']} — {row['name']}", row)


def show_sections(data: dict[str, Any]) -> list[Tabular]:
    """What `project show` adds: the milestones against the baseline, the high risks, the budget."""
    sections = [milestone_table(data["milestones"], start=data["start"], due=data["due"], title="Milestones")]
    if data["high_risks"]:
        sections.append(risk_table(data["high_risks"], title="High risks"))
    money = [Column(key, header, "right", decimals=2) for key, header in (
        ("budget", "Budget"), ("cost_approved", "Approved"), ("cost_pending", "Pending"),
        ("budget_remaining", "Remaining"))]
    warning = [f"Warning: {data['budget_warning']}"] if data["budget_warning"] else []
    sections.append(Tabular("Budget and costs", [*money, Column("budget_used_pct", "Used %", "right")], [data],
                            notes=warning))
    return sections


SHOW_LABELS = {"plan_version": "Plan version", "plan_status": "Plan", "milestones_slipped": "Milestones slipped",
               "lessons_reviews": "Lessons reviews"}
# in sections of their own in the table form (JSON has them all)
SHOW_KEYS = ("milestones", "high_risks", "budget", "cost_approved", "cost_pending", "budget_remaining",
             "budget_used_pct", "budget_warning")


def today_table(facts: dict[str, Any]) -> Tabular:
    """For `today`: the risks you own that are high or due for review, and your overdue milestones."""
    rows = [{"what": f"risk #{r['id']} ({r['band']}, level {r['level']})", "project": r["project"],
             "text": r["text"], "when": f"review {r['review_on']}" + (" overdue" if r["review_overdue"] else "")}
            for r in facts["risks"]]
    rows += [{"what": f"milestone #{m['id']}", "project": m["project"], "text": m["title"],
              "when": f"due {m['due']}, {m['days_late']}d late"} for m in facts["milestones"]]
    return Tabular("Risks and milestones to watch",
                   [Column("what", "What", kind="code"), Column("project", "Project", kind="code"),
                    Column("text", "Text"), Column("when", "When")], rows)
