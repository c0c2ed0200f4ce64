"""How projects are shown: the list with progress, and `project show` with its sections."""

from __future__ import annotations

from typing import Any

from opsctl.reports.tabular import Column, Record, Tabular
from opsctl.reports.tasks import task_table

PROJECT_COLUMNS = [
    Column("code", "Code", kind="code"), Column("name", "Name"), Column("stage", "Status", kind="code"),
    Column("login", "Owner", kind="login"), Column("team", "Team", priority=4),
    Column("tasks_done", "Done", "right", priority=3), Column("tasks_total", "Tasks", "right", priority=2),
    Column("progress_pct", "Progress %", "right", short="%"), Column("tasks_overdue", "Overdue", "right"),
    Column("due", "Due"),
]
PROGRESS_KEYS = ("tasks_total", "tasks_done", "tasks_open", "tasks_overdue", "progress_pct", "hours_total",
                 "hours_done", "progress_by_estimate_pct", "tasks_without_estimate")
SECTION_KEYS = ("members", "overdue_tasks", "history", "rounds")
LABELS = {
    "stage": "Stage", "login": "Owner", "owner_name": "Owner name", "round": "Acceptance round",
    "rework_notes": "Rework notes", "next_steps": "Next steps", "created_at": "Proposed",
}
_STYLES = {"in_review": "bold", "accepted": "green", "cancelled": "dim", "archived": "dim"}


def project_table(rows: list[dict[str, Any]], *, hidden_archived: int = 0) -> Tabular:
    hidden = f"{hidden_archived} archived project(s) not shown; --all shows them"
    empty = "No projects yet; propose one with `opsctl project new CODE --name TEXT`."
    return Tabular(
        "Projects", PROJECT_COLUMNS, rows, notes=[hidden] if hidden_archived else [],
        empty=f"No projects to show: {hidden}." if hidden_archived else empty,
        row_styles=[_STYLES.get(row["status"]) for row in rows],
    )


def project_summary(row: dict[str, Any]) -> Record:
    """What a write command shows: the project as the list has it."""
    return Record(f"{row['code']} — {row['name']}", row, labels=LABELS, hidden=PROGRESS_KEYS + _redundant(row))


def _progress(data: dict[str, Any]) -> Tabular:
    rows = [{"measure": "Tasks", "done": data["tasks_done"], "total": data["tasks_total"],
             "percent": data["progress_pct"]}]
    if data["hours_total"]:
        rows.append({"measure": "Estimated hours", "done": data["hours_done"], "total": data["hours_total"],
                     "percent": data["progress_by_estimate_pct"]})
    notes = []
    if data["tasks_without_estimate"]:
        notes.append(f"{data['tasks_without_estimate']} task(s) have no estimate and count only by number")
    return Tabular(
        "Progress",
        [Column("measure", "Measure"), Column("done", "Done", "right"), Column("total", "Of", "right"),
         Column("percent", "%", "right")],
        rows, notes=notes,
    )


def project_record(data: dict[str, Any]) -> Record:
    from opsctl.reports.project_plans import SHOW_KEYS, SHOW_LABELS, show_sections

    sections = [
        _progress(data),
        Tabular("Members", [Column("login", "Login", kind="login"), Column("name", "Name"),
                            Column("role", "Role", kind="code"), Column("open_tasks", "Open tasks", "right"),
                            Column("done_tasks", "Done", "right")], data["members"]),
        task_table(data["overdue_tasks"], title="Overdue tasks", empty="No overdue tasks."),
        *show_sections(data),  # milestones against the baseline, high risks
        Tabular("Acceptance rounds",
                [Column("round", "Round", "right"), Column("submitted_at", "Submitted"),
                 Column("login", "By", kind="login"), Column("summary", "Self-check summary", short="Summary"),
                 Column("result", "Result", kind="code"), Column("reviewed_at", "Reviewed", priority=2),
                 Column("reviewer", "Reviewer", kind="login", priority=2), Column("report", "Report")],
                data["rounds"], empty="Not submitted for acceptance yet."),
        Tabular("Status history",
                [Column("at", "When"), Column("login", "By", kind="login"), Column("step", "Step", kind="code"),
                 Column("from_status", "From", kind="code", priority=2), Column("to_status", "To", kind="code"),
                 Column("text", "Text"), Column("round", "Round", "right", priority=3)],
                data["history"]),
    ]
    return Record(f"Project {data['code']} — {data['name']}", data, labels=LABELS | SHOW_LABELS, sections=sections,
                  hidden=PROGRESS_KEYS + SECTION_KEYS + SHOW_KEYS + _redundant(data))


def _redundant(data: dict[str, Any]) -> tuple[str, ...]:
    """Rows the table form can leave out: the id (the code names it), a stage that only repeats the
    status, and rework notes while there are none."""
    return ("id", *(["stage"] if data["stage"] == data["status"] else []),
            *(["rework_notes"] if not data.get("rework_notes") else []))
