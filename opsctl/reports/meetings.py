"""How meetings are shown: occurrence lists, one occurrence or series, follow-up, today."""

from __future__ import annotations

from typing import Any

from opsctl.reports.tabular import Column, Record, Tabular, columns

LIST_EMPTY = "No meetings in this period; schedule one with `opsctl meeting new TITLE --at 'YYYY-MM-DD HH:MM'`."
ACTION_COLUMNS = [
    Column("id", "Task", kind="id"), Column("title", "Action", min_width=16), Column("login", "Owner", kind="login"),
    Column("due", "Due"), Column("status", "Status", kind="code", priority=2),
]
WHY = Column("why", "When", kind="code")  # "overdue 5d", "due in 2d": never cut


LABELS = {"duration_min": "Duration (min)", "moved_from": "Moved from", "minutes": "Minutes"}


def _unset(data: dict[str, Any]) -> tuple[str, ...]:
    """Empty optional fields stay out of the table form (JSON keeps every key)."""
    return tuple(key for key, value in data.items() if value is None)


def _styles(rows: list[dict[str, Any]]) -> list[str | None]:
    return ["dim" if r["status"] == "cancelled" else "yellow" if r["status"] == "moved" else None for r in rows]


def meetings_table(rows: list[dict[str, Any]], *, title: str) -> Tabular:
    shown = [
        Column("id", "ID", kind="id"), Column("weekday", "Day", kind="code"), Column("start", "Start"),
        Column("duration_min", "Min", "right"), Column("title", "Title", min_width=20),
        Column("location", "Where", min_width=8, priority=2), Column("project", "Project", kind="code", priority=4),
        Column("organizer", "Organizer", kind="login", priority=3), Column("status", "Status", kind="code"),
    ]
    if any(r["moved_from"] for r in rows):
        shown.append(Column("moved_from", "Moved from", short="Was", priority=3))
    if any(r["cancel_reason"] for r in rows):
        shown.append(Column("cancel_reason", "Why cancelled", short="Why", priority=2))
    shown += [Column("minutes", "Minutes", kind="code", priority=4),
              Column("decisions", "Decisions", "right", short="Dec.", priority=4),
              Column("actions", "Actions", "right", short="Act.", priority=3)]
    return Tabular(title, shown, rows, empty=LIST_EMPTY, row_styles=_styles(rows))


def _people(rows: list[dict[str, Any]]) -> Tabular:
    return Tabular("People", [Column("login", "Login", kind="login"), Column("name", "Name"),
                              Column("role", "Role", kind="code"), Column("attendance", "Attendance", kind="code")],
                   rows, empty="Nobody is invited.")


def _agenda(items: list[str]) -> Tabular:
    rows = [{"n": i, "item": item} for i, item in enumerate(items, 1)]
    return Tabular("Agenda", columns(("n", "#"), ("item", "Item")), rows, empty="No agenda.")


def followup_table(rows: list[dict[str, Any]], *, title: str = "Open action items") -> Tabular:
    shown = [
        *ACTION_COLUMNS[:3], Column("owner", "Name", min_width=6, priority=3), Column("due", "Due"), WHY,
        Column("status", "Status", kind="code", priority=2), Column("meeting", "Meeting", kind="id"),
        Column("meeting_date", "On", priority=2), Column("meeting_title", "From", priority=2),
    ]
    styles: list[str | None] = ["red" if r["overdue"] else None for r in rows]
    return Tabular(title, shown, rows, row_styles=styles,
                   empty="No open action items from past meetings.")


def _actions(rows: list[dict[str, Any]], title: str) -> Tabular:
    shown = [*ACTION_COLUMNS, WHY]
    return Tabular(title, shown, rows, empty="None.",
                   row_styles=["red" if r["overdue"] else None for r in rows])


def _minutes(data: dict[str, Any]) -> Tabular:
    """Minutes are Markdown of any length: the table form says where to read them."""
    ref = data["id"]
    if not data["minutes"]:
        told = (f"none yet; write them with `opsctl meeting minutes {ref} --edit` (or --file F)"
                if data["status"] != "cancelled" else "none (cancelled)")
    else:
        lines = len(data["minutes"].splitlines())
        told = (f"{lines} lines by {data['minutes_by']} — `opsctl meeting minutes {ref}` prints them, "
                f"`opsctl meeting export {ref}` the whole record")
    return Tabular("Minutes", [], [], empty=told)


def occurrence_record(data: dict[str, Any]) -> Record:
    decisions = Tabular("Decisions", [Column("n", "#", kind="id"), Column("text", "Decision"),
                                      Column("by", "By", kind="login")],
                        data["decisions"], empty="No decisions recorded.")
    sections = [_agenda(data["agenda"]), _people(data["people"]), _minutes(data), decisions,
                _actions(data["actions"], "Action items")]
    if data["open_before"]:
        sections.append(_actions(data["open_before"], "Still open from earlier meetings"))
    hidden = ("agenda", "people", "decisions", "actions", "open_before", "organizer_name", "meeting_id", "seq",
              "rrule", "can_edit", "minutes", "minutes_by", "minutes_at", *_unset(data))
    return Record(f"Meeting {data['id']}: {data['title']}", data, hidden=hidden, sections=sections, labels=LABELS)


def series_record(data: dict[str, Any]) -> Record:
    occurrences = meetings_table(data["occurrences"], title="Occurrences (recent and next)")
    sections = [_agenda(data["agenda"]), _people(data["people"]), occurrences]
    return Record(
        f"Meeting {data['id']}: {data['title']}", data, sections=sections,
        hidden=("agenda", "people", "occurrences", "organizer_name", "can_edit", *_unset(data)),
        labels={**LABELS, "rrule": "RRULE", "first_start": "First", "last_start": "Last"},
    )


def action_record(row: dict[str, Any]) -> Record:
    return Record(f"Action item: task #{row['id']}", row)


def decision_record(row: dict[str, Any]) -> Record:
    return Record(f"Decision {row['id']} of meeting {row['meeting']}", row)


def today_table(rows: list[dict[str, Any]]) -> Tabular:
    return Tabular(
        "Meetings today",
        [Column("start", "Start"), Column("duration_min", "Min", "right"), Column("title", "Title", min_width=16),
         Column("location", "Where", priority=2), Column("id", "ID", kind="id"),
         Column("status", "Status", kind="code")],
        rows, empty="No meetings today.", row_styles=_styles(rows),
    )
