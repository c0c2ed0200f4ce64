"""How tasks are shown: the urgency list, one task, the weekly plan, the `today` section."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

from opsctl.reports.formats import OutputFormat
from opsctl.reports.tabular import Column, Record, Tabular

if TYPE_CHECKING:
    from opsctl.services.tasks import WeekPlan

WHY = Column("why", "Why", min_width=12)  # "overdue 12d", "due tomorrow" whole; a blocked reason may be cut
TASK_COLUMNS = [
    Column("id", "#", "right", kind="id"), WHY, Column("title", "Title", min_width=16),
    Column("login", "Assignee", kind="login"), Column("project", "Project", kind="code", priority=2),
    Column("due", "Due"), Column("priority", "Priority", kind="code", priority=3),
    Column("status", "Status", kind="code"), Column("estimate_hours", "Est. h", "right", priority=2),
]
STATUS_MARKS = {"done": "✓", "in_progress": "»", "blocked": "!", "todo": "·"}
LEGEND = "✓ done · » in progress · ! blocked · · to do"


def _style(row: dict[str, Any]) -> str | None:
    why = row.get("why") or ""
    if row["status"] in ("done", "cancelled"):
        return "dim"
    if row["status"] == "blocked":
        return "yellow"
    if why.startswith("overdue"):
        return "red"
    if why.startswith("due today"):
        return "bold"
    return None


def _summary(rows: list[dict[str, Any]]) -> str:
    counts = Counter(row["status"] for row in rows)
    overdue = sum("overdue" in (row.get("why") or "") for row in rows)
    parts = [f"{len(rows)} task{'s' if len(rows) != 1 else ''}"]
    parts += [f"{counts[s]} {s.replace('_', ' ')}" for s in ("in_progress", "blocked", "done", "cancelled")
              if counts[s]]
    if overdue:
        parts.append(f"{overdue} overdue")
    return " · ".join(parts)


def task_table(rows: list[dict[str, Any]], *, title: str, notes: list[str] | None = None,
               empty: str = "No open tasks here.") -> Tabular:
    summary = [_summary(rows)] if rows else []
    return Tabular(title, TASK_COLUMNS, rows, notes=summary + (notes or []), empty=empty,
                   row_styles=[_style(row) for row in rows])


def task_record(row: dict[str, Any], next_steps: list[str]) -> Record:
    data = {**row, "next_steps": next_steps}
    labels = {"login": "Assignee", "assignee_name": "Assignee name", "estimate_hours": "Estimate (h)",
              "created_by": "Created by", "created_at": "Created", "started_at": "Started", "done_at": "Done",
              "blocked_reason": "Blocked by", "next_steps": "Next steps"}
    labels.update(description="Description", criteria="Acceptance criteria")
    unset = tuple(key for key in ("blocked_reason", "started_at", "done_at", "description", "criteria")
                  if row.get(key) is None)
    sections = [comments_table(row["comments"])] if row.get("comments") else []
    return Record(f"Task #{row['id']}: {row['title']}", data, labels=labels, sections=sections,
                  hidden=("id", "title", "comments", *unset))


COMMENT_COLUMNS = [Column("at", "When"), Column("login", "Who", kind="login"), Column("text", "Comment", min_width=20)]


def comments_table(rows: list[dict[str, Any]]) -> Tabular:
    return Tabular(f"Comments ({len(rows)})", COMMENT_COLUMNS, rows)


def comment_record(row: dict[str, Any]) -> Record:
    return Record(f"Comment #{row['id']} on task #{row['task_id']}", row,
                  labels={"login": "Who", "name": "Name", "at": "When", "text": "Comment"})


def today_table(rows: list[dict[str, Any]]) -> Tabular:
    return Tabular(
        "Tasks: due today, overdue or in progress",
        [Column("id", "#", "right", kind="id"), WHY, Column("title", "Title", min_width=16),
         Column("project", "Project", kind="code", priority=2), Column("due", "Due"),
         Column("status", "Status", kind="code")],
        rows, empty="No tasks due today, none overdue, none in progress.",
        row_styles=[_style(row) for row in rows],
    )


def _label(row: dict[str, Any]) -> str:
    title = row["title"] if len(row["title"]) <= 24 else row["title"][:23] + "…"
    return f"{STATUS_MARKS.get(row['status'], '·')} #{row['id']} {title}"


def week_grid(plan: WeekPlan) -> Tabular:
    """Days across, people down; a person with several tasks on a day gets a line for each."""
    days = [d for d in plan.days if d.weekday() < 5 or any(t["due"] == d for t in plan.tasks)]
    cells: dict[tuple[str | None, str], list[str]] = {}
    hours: Counter[str | None] = Counter()
    for task in plan.tasks:
        key = "overdue" if task["due"] < plan.start else task["due"].isoformat()
        cells.setdefault((task["login"], key), []).append(_label(task))
        if task["status"] != "done":
            hours[task["login"]] += task["estimate_hours"] or 0
    carried = plan.carries_overdue and any(t["due"] < plan.start for t in plan.tasks)
    slots = ["overdue"] if carried else []
    slots += [d.isoformat() for d in days]
    # A label ("» #20 Test the…") is cut in its title only: 12 columns keep the mark and the number.
    shown = [Column("login", "Person", kind="login"),
             *([Column("overdue", "Overdue", min_width=12, priority=2)] if carried else [])]
    shown += [Column(d.isoformat(), f"{d:%a %m-%d}" + (" (today)" if d == plan.today else ""), min_width=12,
                     short="today" if d == plan.today else f"{d:%a %d}") for d in days]
    shown.append(Column("open_hours", "Open h", "right", priority=2))
    rows = []
    for login, name in plan.people:
        height = max([len(cells.get((login, slot), [])) for slot in slots] + [1])
        for line in range(height):
            row: dict[str, Any] = {"login": (login or name) if line == 0 else ""}
            for slot in slots:
                labels = cells.get((login, slot), [])
                row[slot] = labels[line] if line < len(labels) else ""
            row["open_hours"] = hours[login] if line == 0 else None
            rows.append(row)
    due_in_week = [t for t in plan.tasks if t["due"] >= plan.start]
    notes = [
        f"{len(due_in_week)} due this week, {sum(t['status'] == 'done' for t in due_in_week)} done"
        + (f"; {len(plan.tasks) - len(due_in_week)} overdue from earlier weeks" if carried else ""),
        LEGEND,
    ]
    title = f"Week of {plan.start:%a %Y-%m-%d} – {plan.end:%a %Y-%m-%d}"
    return Tabular(title, shown, rows, notes=notes, empty="Nothing is due this week.")


def week_view(plan: WeekPlan, fmt: OutputFormat | None) -> Tabular:
    """The grid for people; for scripts (json, csv, tsv) one record per task, as `task list` gives."""
    if fmt in (OutputFormat.json, OutputFormat.csv, OutputFormat.tsv):
        return Tabular(None, TASK_COLUMNS, plan.tasks)
    return week_grid(plan)


def task_list_title(*, login: str | None, mine: bool, include_closed: bool, project: str | None) -> str:
    which = "Tasks" if include_closed else "Open tasks"
    if mine:
        return f"Your {which.lower()}"
    parts = [which]
    if project:
        parts.append(f"of project {project.upper()}")
    if login:
        parts.append(f"assigned to {login}")
    return " ".join(parts) if len(parts) > 1 else f"{which}, everyone's"
