"""`meeting export`: the record of a meeting as Markdown, the invitation as iCalendar.

The .ics text is written here by hand after RFC 5545: CRLF line ends, lines folded
at 75 octets (never inside a UTF-8 character), TEXT values escaped. A single event is
in UTC; a series, or one occurrence of it, is in its zone's local time with a VTIMEZONE
(`ics_timezone`) over the series' whole span (an open one to 2100; an occurrence: its
original and its new date), so it keeps its hour across daylight-saving changes; an occurrence
carries the series' UID and its RECURRENCE-ID, so a calendar updates that instance. A series carries its RRULE (UNTIL in
UTC), its cancelled occurrences as EXDATE, and each moved occurrence as a VEVENT of the
same UID with a RECURRENCE-ID.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from opsctl import __version__
from opsctl.models.meetings import Meeting, MeetingOccurrence
from opsctl.models.people import Employee
from opsctl.services.meetings import recurrence
from opsctl.services.meetings.ics_timezone import OPEN_END, at_local, vtimezone
from opsctl.services.meetings.scheduling import (
    Occurrence,
    agenda_of,
    get_meeting,
    occurrence_rows,
    parse_ref,
    participant_ids,
    require_read,
    zone,
)

CRLF = "\r\n"
FOLD_AT = 75  # octets per line, CRLF excluded


# -- iCalendar ------------------------------------------------------------------------

def ics_text(value: str) -> str:
    """A TEXT value: backslash, semicolon, comma and line breaks escaped."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def ics_param(value: str) -> str:
    """A parameter value (CN=…): quoted when it holds : ; or , — a DQUOTE cannot appear at all."""
    value = value.replace('"', "'").replace("\r", " ").replace("\n", " ")
    return f'"{value}"' if any(c in value for c in ":;,") else value


def fold(line: str) -> str:
    """Split a content line into 75-octet pieces; each continuation starts with one space."""
    pieces: list[str] = []
    current: list[str] = []
    size, limit = 0, FOLD_AT
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            pieces.append("".join(current))
            current, size, limit = [], 0, FOLD_AT - 1
        current.append(char)
        size += width
    pieces.append("".join(current))
    return (CRLF + " ").join(pieces)


def ics_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _uid(meeting: Meeting, suffix: str = "") -> str:
    return f"opsctl-meeting-{meeting.id}{suffix}-{ics_time(meeting.created_at)}@opsctl"


def _moment(name: str, moment: datetime, tz: ZoneInfo | None) -> str:
    """``DTSTART:…Z`` in UTC, or in the series' local time when ``tz`` is given."""
    return at_local(name, moment, tz) if tz is not None else f"{name}:{ics_time(moment)}"


def _event(
    meeting: Meeting, *, uid: str, start: datetime, now: datetime, people: list[Employee],
    organizer: Employee | None, cancelled: bool, extra: list[str], description: str, tz: ZoneInfo | None = None,
) -> list[str]:
    lines = [
        "BEGIN:VEVENT", f"UID:{uid}", f"DTSTAMP:{ics_time(now)}", f"SEQUENCE:{meeting.revision}",
        _moment("DTSTART", start, tz), _moment("DTEND", recurrence.occurrence_end(start, meeting.duration_min), tz),
        f"SUMMARY:{ics_text(meeting.title)}",
    ]
    if meeting.location:
        lines.append(f"LOCATION:{ics_text(meeting.location)}")
    if description:
        lines.append(f"DESCRIPTION:{ics_text(description)}")
    if organizer is not None and organizer.email:
        lines.append(f"ORGANIZER;CN={ics_param(organizer.name)}:mailto:{organizer.email}")
    for person in people:
        if person.email and person.id != meeting.organizer_id:
            lines.append(f"ATTENDEE;CN={ics_param(person.name)};ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;"
                         f"RSVP=TRUE:mailto:{person.email}")
    lines += extra
    lines += [f"STATUS:{'CANCELLED' if cancelled else 'CONFIRMED'}", "END:VEVENT"]
    return lines


def _description(session: Session, meeting: Meeting, ref: str) -> str:
    from opsctl.services.meetings.views import project_codes

    parts = []
    agenda = agenda_of(meeting)
    if agenda:
        parts.append("Agenda:\n" + "\n".join(f"{i}. {item}" for i, item in enumerate(agenda, 1)))
    project = project_codes(session, {meeting.project_id}).get(meeting.project_id or 0)
    if project:
        parts.append(f"Project: {project}")
    parts.append(f"opsctl meeting {ref}")
    return "\n\n".join(parts)


def export_ics(session: Session, *, viewer: Employee, ref: str, now: datetime) -> str:
    """An invitation: the whole series for ``M``, a single event for ``M.K`` or a one-off."""
    meeting_id, seq = parse_ref(ref)
    meeting = get_meeting(session, meeting_id)
    require_read(session, viewer, meeting)
    organizer = session.get(Employee, meeting.organizer_id)
    invited = select(Employee).where(col(Employee.id).in_(participant_ids(session, meeting)))
    people = list(session.exec(invited.order_by(Employee.login)))
    rows = occurrence_rows(session, [meeting.id or 0])
    common: dict[str, Any] = {"now": now, "people": people, "organizer": organizer}
    if meeting.rule and seq is None:
        all_cancelled = _wholly_cancelled(meeting, rows)
        tz = zone(meeting)
        moved = [r.starts_at for r in rows.values() if r.starts_at != r.original_start]
        events = [*vtimezone(tz, meeting.starts_at, meeting.last_start or OPEN_END, *moved),
                  *_series_events(session, meeting, rows, common | {"tz": tz}, cancelled=all_cancelled)]
    else:
        from opsctl.services.meetings.scheduling import find_occurrence

        occurrence = find_occurrence(session, ref)
        description = _description(session, meeting, occurrence.ref)
        if meeting.rule:  # one instance of the series: its UID and RECURRENCE-ID, so calendars update it
            tz = zone(meeting)
            events = [*vtimezone(tz, occurrence.original_start, occurrence.starts_at),
                      *_event(meeting, uid=_uid(meeting), start=occurrence.starts_at, cancelled=occurrence.cancelled,
                              extra=[_moment("RECURRENCE-ID", occurrence.original_start, tz)],
                              description=description, tz=tz, **common)]
        else:
            events = _event(meeting, uid=_uid(meeting), start=occurrence.starts_at, cancelled=occurrence.cancelled,
                            extra=[], description=description, **common)
        all_cancelled = occurrence.cancelled
    invite = organizer is not None and bool(organizer.email)
    method = (["METHOD:CANCEL" if all_cancelled else "METHOD:REQUEST"] if invite else [])
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:-//opsctl//opsctl {__version__}//EN", "CALSCALE:GREGORIAN",
             *method, *events, "END:VCALENDAR"]
    return "".join(fold(line) + CRLF for line in lines)


def _wholly_cancelled(meeting: Meeting, rows: dict[tuple[int, int], MeetingOccurrence]) -> bool:
    """A bounded series whose every occurrence is cancelled (e.g. ended before it began)."""
    if meeting.last_start is None:
        return False
    total = sum(1 for _ in recurrence.starts(meeting.rule, meeting.starts_at, zone(meeting)))
    cancelled = {seq for (_, seq), row in rows.items() if row.status == "cancelled" and seq <= total}
    return len(cancelled) == total


def _series_events(
    session: Session, meeting: Meeting, rows: dict[tuple[int, int], MeetingOccurrence], common: dict[str, Any],
    *, cancelled: bool,
) -> list[str]:
    in_rule = [r for r in rows.values() if meeting.last_start is None or r.original_start <= meeting.last_start]
    exdates = sorted(r.original_start for r in in_rule if r.status == "cancelled")
    moved = sorted((r for r in in_rule if r.status != "cancelled" and r.starts_at != r.original_start),
                   key=lambda r: r.seq)
    tz = common["tz"]
    extra = [f"RRULE:{meeting.rule}", *(_moment("EXDATE", moment, tz) for moment in exdates)]
    uid = _uid(meeting)
    description = _description(session, meeting, str(meeting.id))
    events = _event(meeting, uid=uid, start=meeting.starts_at, cancelled=cancelled, extra=extra,
                    description=description, **common)
    for row in moved:
        events += _event(meeting, uid=uid, start=row.starts_at, cancelled=False, description=description,
                         extra=[_moment("RECURRENCE-ID", row.original_start, tz)], **common)
    return events


# -- Markdown ---------------------------------------------------------------------------

def _cell(value: Any) -> str:
    return "" if value is None else str(value).replace("|", "\\|").replace("\n", " ")


def _table(headers: list[str], rows: list[list[Any]]) -> list[str]:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    return lines + ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows]


def demote_headings(text: str, levels: int) -> str:
    """Minutes keep their own headings, pushed below the export's (not inside code blocks)."""
    out, fenced = [], False
    for line in text.splitlines():
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        if not fenced and re.match(r"#{1,6} ", line):
            line = "#" * levels + line
        out.append(line)
    return "\n".join(out)


def occurrence_markdown(data: dict[str, Any], *, level: int = 1) -> list[str]:
    """One occurrence as Markdown, from `occurrence_details`; ``level`` is its heading level."""
    tz = data["start"].tzinfo
    start, end = data["start"], data["end"]
    h = "#" * level
    lines = [f"{h} {data['title']} — {start:%a %Y-%m-%d %H:%M}–{end:%H:%M} ({getattr(tz, 'key', tz)})", ""]
    facts = [("Meeting", data["id"]), ("Where", data["location"]), ("Organizer",
             f"{data['organizer_name']} ({data['organizer']})"), ("Project", data["project"]),
             ("Repeats", data["repeats"] if data["rrule"] else None)]
    if data["status"] != "scheduled":
        why = data["cancel_reason"] or (f"from {data['moved_from']:%a %Y-%m-%d %H:%M}" if data["moved_from"] else "")
        status = "held, moved" if data["status"] == "held" and data["moved_from"] else data["status"]
        facts.append(("Status", f"{status} {why}".strip()))
    lines += [f"- **{label}:** {value}" for label, value in facts if value] + [""]
    lines += [f"{h}# Agenda", ""]
    lines += [f"{i}. {item}" for i, item in enumerate(data["agenda"], 1)] or ["No agenda."]
    lines += ["", f"{h}# Attendance", ""]
    lines += _table(["Name", "Login", "Role", "Attendance"],
                    [[p["name"], p["login"], p["role"], p["attendance"] or "not recorded"] for p in data["people"]])
    lines += ["", f"{h}# Minutes", ""]
    lines += [demote_headings(data["minutes"].rstrip(), level + 1) if data["minutes"] else "No minutes yet."]
    lines += ["", f"{h}# Decisions", ""]
    lines += [f"{i}. {d['text']}" for i, d in enumerate(data["decisions"], 1)] or ["No decisions recorded."]
    lines += ["", f"{h}# Action items", ""]
    actions = [[f"#{a['id']}", a["title"], f"{a['owner']} ({a['login']})", a["due"],
                a["status"] + (f", {a['days_overdue']} days overdue" if a["overdue"] else "")]
               for a in data["actions"]]
    lines += _table(["Task", "Action", "Owner", "Due", "Status"], actions) if actions else ["No action items."]
    return [*lines, ""]


def export_markdown(session: Session, *, viewer: Employee, ref: str, now: datetime) -> str:
    """An occurrence's record; for a series, every occurrence so far that has one."""
    from opsctl.services.meetings.scheduling import find_occurrence
    from opsctl.services.meetings.views import occurrence_details, series_details

    meeting_id, seq = parse_ref(ref)
    meeting = get_meeting(session, meeting_id)
    if seq is not None or not meeting.rule:
        details = occurrence_details(session, viewer=viewer, occurrence=find_occurrence(session, ref), now=now)
        return _localized_text(occurrence_markdown(_localize(details, meeting)))
    series = series_details(session, viewer=viewer, meeting=meeting, now=now)
    tz = zone(meeting)
    lines = [f"# {meeting.title}", "", f"- **Meeting:** {meeting.id}", f"- **Repeats:** {series['repeats']}",
             f"- **Organizer:** {series['organizer_name']} ({series['organizer']})"]
    if series["location"]:
        lines.append(f"- **Where:** {series['location']}")
    lines.append("")
    rows = occurrence_rows(session, [meeting.id or 0])
    for row in sorted(rows.values(), key=lambda r: r.starts_at):
        if row.starts_at <= now and row.status != "cancelled":
            occurrence = Occurrence(meeting, row.seq, row.original_start, row)
            details = occurrence_details(session, viewer=viewer, occurrence=occurrence, now=now)
            lines += occurrence_markdown(_localize(details, meeting), level=2)
    if len(lines) <= 6:
        lines += [f"Nothing recorded yet before {now.astimezone(tz):%Y-%m-%d %H:%M}."]
    return _localized_text(lines)


def _localize(details: dict[str, Any], meeting: Meeting) -> dict[str, Any]:
    tz = zone(meeting)
    for key in ("start", "end", "moved_from"):
        if details.get(key) is not None:
            details[key] = details[key].astimezone(tz)
    return details


def _localized_text(lines: list[str]) -> str:
    return "\n".join(lines).rstrip() + "\n"
