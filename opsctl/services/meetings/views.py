"""Reading meetings: the occurrences in a period, one occurrence or series in full, today's.

Set-based: a period is listed with a handful of queries whatever its length; series
are expanded in Python.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, func, or_
from sqlmodel import Session, col, select

from opsctl.errors import InvalidInput
from opsctl.models.meetings import (
    Meeting,
    MeetingAttendance,
    MeetingDecision,
    MeetingOccurrence,
    MeetingParticipant,
)
from opsctl.models.people import Employee
from opsctl.services.access import seen_by
from opsctl.services.meetings import recurrence
from opsctl.services.meetings.scheduling import (
    Occurrence,
    agenda_of,
    can_edit,
    occurrence_rows,
    require_read,
    zone,
)

UPCOMING_SHOWN = 5  # occurrences of a series that `meeting show` lists ahead
PAST_SHOWN = 10  # … and behind (those with a record)


def day_bounds(start: date, end: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """[start of ``start``, start of the day after ``end``) in the team timezone, as UTC."""
    if end < start:
        raise InvalidInput(f"--to {end} is before --from {start}")
    low = datetime.combine(start, time(0), tz).astimezone(UTC)
    return low, datetime.combine(end + timedelta(days=1), time(0), tz).astimezone(UTC)


def visible_meetings(session: Session, viewer: Employee, *, mine: bool = False) -> Select[Any] | None:
    """The ids of the meetings ``viewer`` may read (None: all of them), as a subquery."""
    people = {viewer.id or 0} if mine else seen_by(session, viewer, "meetings")
    if people is None:
        return None
    invited = select(MeetingParticipant.meeting_id).where(col(MeetingParticipant.employee_id).in_(people))
    organized = select(Meeting.id).where(col(Meeting.organizer_id).in_(people))
    attended = (
        select(MeetingOccurrence.meeting_id)
        .join(MeetingAttendance, col(MeetingAttendance.occurrence_id) == MeetingOccurrence.id)
        .where(MeetingAttendance.employee_id == viewer.id)
    )
    return invited.union(organized, attended)  # type: ignore[return-value]


def occurrences_between(
    session: Session, *, viewer: Employee, low: datetime, high: datetime, mine: bool = False,
    person: Employee | None = None,
) -> list[Occurrence]:
    """Every occurrence starting in [low, high) that the viewer may read, by start."""
    moved_in = select(MeetingOccurrence.meeting_id).where(
        MeetingOccurrence.starts_at >= low, MeetingOccurrence.starts_at < high
    )
    query = select(Meeting).where(
        or_(
            (col(Meeting.starts_at) < high) & (col(Meeting.last_start).is_(None) | (col(Meeting.last_start) >= low)),
            col(Meeting.id).in_(moved_in),
        )
    )
    visible = visible_meetings(session, viewer, mine=mine)
    if visible is not None:
        query = query.where(col(Meeting.id).in_(visible))
    if person is not None:
        query = query.where(col(Meeting.id).in_(
            select(MeetingParticipant.meeting_id).where(MeetingParticipant.employee_id == person.id)
        ))
    meetings = {m.id or 0: m for m in session.exec(query)}
    rows = occurrence_rows(session, meetings, low=low, high=high)
    found: dict[tuple[int, int], Occurrence] = {}
    for meeting in meetings.values():
        assert meeting.id is not None
        tz = zone(meeting)
        for seq, start in recurrence.starts_between(meeting.rule, meeting.starts_at, tz, low, high):
            found[(meeting.id, seq)] = Occurrence(meeting, seq, start, rows.get((meeting.id, seq)))
    for key, row in rows.items():
        meeting = meetings[row.meeting_id]
        in_rule = meeting.last_start is None or row.original_start <= meeting.last_start
        if key not in found and in_rule and low <= row.starts_at < high:
            found[key] = Occurrence(meeting, row.seq, row.original_start, row)
    chosen = [o for o in found.values() if low <= o.starts_at < high]
    return sorted(chosen, key=lambda o: (o.starts_at, o.meeting.id or 0))


def list_meetings(
    session: Session, *, viewer: Employee, low: datetime, high: datetime, mine: bool = False
) -> list[dict[str, Any]]:
    occurrences = occurrences_between(session, viewer=viewer, low=low, high=high, mine=mine)
    return occurrence_table_rows(session, occurrences)


def occurrence_table_rows(session: Session, occurrences: list[Occurrence]) -> list[dict[str, Any]]:
    """One row per occurrence, with the names, project codes and counts it needs (a few queries)."""
    from opsctl.services.meetings.minutes import action_counts

    meetings = {o.meeting.id: o.meeting for o in occurrences}
    organizers = _logins(session, {m.organizer_id for m in meetings.values()})
    projects = project_codes(session, {m.project_id for m in meetings.values() if m.project_id})
    row_ids = [o.row.id for o in occurrences if o.row is not None and o.row.id is not None]
    decisions = _counts(session, MeetingDecision.occurrence_id, row_ids)
    actions = action_counts(session, row_ids)
    marked = _held(session, row_ids)
    result = []
    for o in occurrences:
        row_id = o.row.id if o.row is not None else None
        minutes = bool(o.row is not None and o.row.minutes)
        result.append({
            "id": o.ref,
            "meeting_id": o.meeting.id,
            "seq": o.seq,
            "title": o.meeting.title,
            "weekday": f"{o.starts_at.astimezone(zone(o.meeting)):%a}",
            "start": o.starts_at,
            "end": o.ends_at,
            "duration_min": o.meeting.duration_min,
            "location": o.meeting.location,
            "project": projects.get(o.meeting.project_id or 0),
            "organizer": organizers.get(o.meeting.organizer_id),
            "recurring": o.meeting.rule is not None,
            "status": o.status_after(recorded=minutes or bool(decisions.get(row_id or 0)) or row_id in marked),
            "moved_from": o.original_start if o.moved else None,
            "cancel_reason": o.row.cancel_reason if o.row is not None else None,
            "minutes": minutes,
            "decisions": decisions.get(row_id or 0, 0),
            "actions": actions.get(row_id or 0, 0),
        })
    return result


def _held(session: Session, ids: list[int]) -> set[int]:
    """The occurrences among ``ids`` with someone marked present or absent (an excused absence
    may be recorded ahead; these only once the meeting began)."""
    if not ids:
        return set()
    return set(session.exec(select(MeetingAttendance.occurrence_id).distinct().where(
        col(MeetingAttendance.occurrence_id).in_(ids), MeetingAttendance.status != "excused")))


def _counts(session: Session, column: Any, ids: list[int]) -> dict[int, int]:
    if not ids:
        return {}
    return dict(session.exec(select(column, func.count()).where(column.in_(ids)).group_by(column)).all())


def _logins(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return dict(session.exec(select(Employee.id, Employee.login).where(col(Employee.id).in_(ids))).all())  # type: ignore[arg-type]


def project_codes(session: Session, ids: set[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i}
    if not wanted:
        return {}
    from opsctl.models.projects import Project

    return dict(session.exec(select(Project.id, Project.code).where(col(Project.id).in_(wanted))).all())  # type: ignore[arg-type]


# -- one meeting ----------------------------------------------------------------------

def people_of(session: Session, meeting: Meeting, row: MeetingOccurrence | None) -> list[dict[str, Any]]:
    """Everyone invited, plus anyone recorded at this occurrence, with their attendance."""
    invited = set(session.exec(
        select(MeetingParticipant.employee_id).where(MeetingParticipant.meeting_id == meeting.id)
    ))
    marks: dict[int, str] = {}
    if row is not None:
        marks = dict(session.exec(
            select(MeetingAttendance.employee_id, MeetingAttendance.status)
            .where(MeetingAttendance.occurrence_id == row.id)
        ).all())
    people = session.exec(select(Employee).where(col(Employee.id).in_(invited | set(marks))).order_by(Employee.login))
    return [
        {
            "login": p.login, "name": p.name, "email": p.email,
            "role": "organizer" if p.id == meeting.organizer_id else "invited" if p.id in invited else "guest",
            "attendance": marks.get(p.id or 0),
        }
        for p in people
    ]


def _base(session: Session, meeting: Meeting) -> dict[str, Any]:
    organizer = session.get(Employee, meeting.organizer_id)
    return {
        "title": meeting.title,
        "organizer": organizer.login if organizer else None,
        "organizer_name": organizer.name if organizer else None,
        "project": project_codes(session, {meeting.project_id}).get(meeting.project_id or 0),
        "location": meeting.location,
        "duration_min": meeting.duration_min,
        "repeats": recurrence.describe(meeting.rule, meeting.starts_at, zone(meeting)),
        "rrule": meeting.rule,
        "agenda": agenda_of(meeting),
    }


def occurrence_details(session: Session, *, viewer: Employee, occurrence: Occurrence, now: datetime) -> dict[str, Any]:
    """One occurrence in full: schedule, attendance, minutes, decisions, its actions and
    the actions still open from earlier occurrences of the same series."""
    from opsctl.services.meetings.minutes import action_items, decisions_of, open_actions

    require_read(session, viewer, occurrence.meeting)
    row = occurrence.row
    today = now.astimezone(zone(occurrence.meeting)).date()
    people = people_of(session, occurrence.meeting, row)
    decisions = decisions_of(session, row)
    recorded = bool(row is not None and row.minutes) or bool(decisions) or any(
        p["attendance"] in ("present", "absent") for p in people)  # excused: may be said ahead
    return {
        "id": occurrence.ref,
        "meeting_id": occurrence.meeting.id,
        "seq": occurrence.seq,
        **_base(session, occurrence.meeting),
        "start": occurrence.starts_at,
        "end": occurrence.ends_at,
        "status": occurrence.status_after(recorded=recorded),
        "moved_from": occurrence.original_start if occurrence.moved else None,
        "cancel_reason": row.cancel_reason if row is not None else None,
        "can_edit": can_edit(session, viewer, occurrence.meeting),
        "people": people,
        "minutes": row.minutes if row is not None else None,
        "minutes_by": _logins(session, {row.minutes_by_id}).get(row.minutes_by_id)
        if row is not None and row.minutes_by_id else None,
        "minutes_at": row.minutes_at if row is not None else None,
        "decisions": decisions,
        "actions": action_items(session, occurrence_ids=[row.id] if row is not None and row.id else [], today=today),
        "open_before": open_actions(
            session, meeting_id=occurrence.meeting.id, before=occurrence.original_start, today=today
        ),
    }


def series_details(session: Session, *, viewer: Employee, meeting: Meeting, now: datetime) -> dict[str, Any]:
    """A recurring meeting: its rule, people, agenda and the occurrences around now."""
    require_read(session, viewer, meeting)
    tz = zone(meeting)
    rows = occurrence_rows(session, [meeting.id or 0])
    past: list[Occurrence] = []
    ahead: list[Occurrence] = []
    for seq, start in enumerate(recurrence.starts(meeting.rule, meeting.starts_at, tz), 1):
        occurrence = Occurrence(meeting, seq, start, rows.get((meeting.id or 0, seq)))
        if occurrence.starts_at >= now:
            ahead.append(occurrence)
        elif occurrence.row is not None:  # past ones that have a record (or were cancelled or moved)
            past = [*past[1 - PAST_SHOWN:], occurrence]
        if len(ahead) >= UPCOMING_SHOWN:
            break
    shown = sorted(past + ahead, key=lambda o: o.starts_at)
    return {
        "id": str(meeting.id),
        **_base(session, meeting),
        "first_start": meeting.starts_at,
        "last_start": meeting.last_start,
        "can_edit": can_edit(session, viewer, meeting),
        "people": people_of(session, meeting, None),
        "occurrences": occurrence_table_rows(session, shown),
    }


def today_facts(session: Session, *, person: Employee, today: date, now: datetime) -> list[dict[str, Any]]:
    """`opsctl today`: the meetings of the day that ``person`` is invited to."""
    from opsctl.services.config import team_timezone

    low, high = day_bounds(today, today, team_timezone(session))
    occurrences = occurrences_between(session, viewer=person, low=low, high=high, person=person)
    return occurrence_table_rows(session, occurrences)
