"""What a meeting produces: attendance, minutes (Markdown), decisions, and action items.

An action item is a task (it lives in `opsctl task list`, assigned to its owner,
linked to the meeting's project) plus a link from the occurrence it came from, so
`meeting followup` can list what is still open when the next meeting starts.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, func, select

from opsctl.errors import Conflict, InvalidInput
from opsctl.models.meetings import (
    ATTENDANCE,
    Meeting,
    MeetingAction,
    MeetingAttendance,
    MeetingDecision,
    MeetingOccurrence,
)
from opsctl.models.people import Employee
from opsctl.services.meetings.scheduling import (
    Occurrence,
    agenda_of,
    audit_change,
    find_occurrence,
    materialize,
    ref_text,
    require_edit,
    require_read,
    zone,
)

MAX_MINUTES = 200_000  # characters
ANY: Any = object()  # save_minutes(based_on=…) not given: replace whatever is stored


def _writable(occurrence: Occurrence, now: datetime, *, what: str) -> None:
    """Minutes, decisions and actions belong to a meeting that is taking place or took place."""
    if occurrence.cancelled:
        raise Conflict(
            f"meeting {occurrence.ref} was cancelled, so it has no {what}; "
            f"reschedule it first with `opsctl meeting move {occurrence.ref} --to …`"
        )
    if occurrence.starts_at > now:
        local = occurrence.starts_at.astimezone(zone(occurrence.meeting))
        raise InvalidInput(
            f"meeting {occurrence.ref} starts {local:%a %Y-%m-%d %H:%M}; {what} can be recorded once it has started"
        )


# -- attendance -----------------------------------------------------------------------

def record_attendance(
    session: Session, *, actor: Employee, now: datetime, ref: str,
    present: list[str], absent: list[str], excused: list[str],
) -> Occurrence:
    """Mark who was there; excused absences may be recorded ahead, the rest once it started."""
    from opsctl.services.people import get_person

    occurrence = find_occurrence(session, ref)
    require_edit(session, actor, occurrence.meeting, action="take attendance at")
    marks: dict[str, str] = {}
    for status, logins in zip(ATTENDANCE, (present, absent, excused), strict=True):
        for login in logins:
            if marks.get(login, status) != status:
                raise InvalidInput(f"{login} is both {marks[login]} and {status}; give each person once")
            marks[login] = status
    if not marks:
        raise InvalidInput("say who was there: --present L,… --absent L,… --excused L,…")
    if occurrence.cancelled:
        raise Conflict(f"meeting {occurrence.ref} was cancelled; nobody attended it")
    if occurrence.starts_at > now and set(marks.values()) != {"excused"}:
        _writable(occurrence, now, what="attendance")
    people = {login: get_person(session, login) for login in marks}
    row = materialize(session, occurrence)
    stored = session.exec(select(MeetingAttendance).where(MeetingAttendance.occurrence_id == row.id))
    existing = {a.employee_id: a for a in stored}
    for login, status in marks.items():
        person = people[login]
        mark = existing.get(person.id or 0)
        if mark is None:
            session.add(MeetingAttendance(occurrence_id=row.id or 0, employee_id=person.id or 0, status=status,
                                          recorded_at=now, recorded_by_id=actor.id or 0))
        else:
            mark.status, mark.recorded_at, mark.recorded_by_id = status, now, actor.id or 0
    audit_change(session, now=now, actor=actor, meeting=occurrence.meeting, action="attend", ref=occurrence.ref,
                 details=dict(marks))
    return occurrence


# -- minutes --------------------------------------------------------------------------

def minutes_of(session: Session, *, viewer: Employee, ref: str) -> tuple[Occurrence, str | None]:
    occurrence = find_occurrence(session, ref)
    require_read(session, viewer, occurrence.meeting)
    return occurrence, occurrence.row.minutes if occurrence.row is not None else None


def check_minutes(session: Session, *, actor: Employee, now: datetime, ref: str) -> Occurrence:
    """May ``actor`` write the minutes of ``ref`` now? (Asked before an editor is opened.)"""
    occurrence = find_occurrence(session, ref)
    require_edit(session, actor, occurrence.meeting, action="write the minutes of")
    _writable(occurrence, now, what="minutes")
    return occurrence


def save_minutes(
    session: Session, *, actor: Employee, now: datetime, ref: str, text: str, based_on: Any = ANY,
) -> Occurrence:
    """Save (or replace) the minutes. ``based_on``: the minutes the text was edited from; if
    somebody saved others meanwhile, nothing is overwritten (exit 5)."""
    occurrence = check_minutes(session, actor=actor, now=now, ref=ref)
    stored = occurrence.row.minutes if occurrence.row is not None else None
    if based_on is not ANY and stored != based_on:
        row = occurrence.row
        by = session.get(Employee, row.minutes_by_id) if row is not None and row.minutes_by_id else None
        raise Conflict(f"{by.login if by else 'somebody'} saved the minutes of meeting {occurrence.ref} while "
                       "you were editing them; nothing was overwritten")
    text = text.strip()
    if not text:
        raise InvalidInput("the minutes are empty; nothing was saved")
    if len(text) > MAX_MINUTES:
        raise InvalidInput(f"the minutes are {len(text)} characters long; keep them under {MAX_MINUTES}")
    row = materialize(session, occurrence)
    replaced = row.minutes is not None
    row.minutes, row.minutes_by_id, row.minutes_at = text + "\n", actor.id, now
    audit_change(session, now=now, actor=actor, meeting=occurrence.meeting, action="minutes", ref=occurrence.ref,
                 details={"replaced": replaced, "characters": len(text)})
    return occurrence


def minutes_template(session: Session, *, occurrence: Occurrence, today: date) -> str:
    """What `meeting minutes --edit` opens: the saved minutes, or a skeleton to fill in."""
    from opsctl.services.meetings.views import people_of

    if occurrence.row is not None and occurrence.row.minutes:
        return occurrence.row.minutes
    meeting = occurrence.meeting
    local = occurrence.starts_at.astimezone(zone(meeting))
    people = people_of(session, meeting, occurrence.row)
    lines = [f"# {meeting.title} — {local:%a %Y-%m-%d %H:%M}", ""]
    if meeting.location:
        lines += [f"Where: {meeting.location}", ""]
    lines += ["## Attendees", ""]
    lines += [f"- {p['name']} ({p['login']}){': ' + p['attendance'] if p['attendance'] else ''}" for p in people]
    lines += ["", "## Agenda", ""]
    lines += [f"{i}. {item}" for i, item in enumerate(agenda_of(meeting), 1)] or ["1. "]
    earlier = open_actions(session, meeting_id=meeting.id, before=occurrence.original_start, today=today)
    if earlier:
        lines += ["", "## Open actions from earlier meetings", ""]
        lines += [f"- #{a['id']} {a['title']} — {a['login']}, due {a['due']}"
                  f"{' (overdue)' if a['overdue'] else ''}, {a['status']}" for a in earlier]
    lines += ["", "## Discussion", "", "", "## Decisions", "",
              f"<!-- record each one with: opsctl meeting decide {occurrence.ref} TEXT -->", ""]
    return "\n".join(lines)


# -- decisions ----------------------------------------------------------------------------

def decide(session: Session, *, actor: Employee, now: datetime, ref: str, text: str) -> MeetingDecision:
    occurrence = find_occurrence(session, ref)
    require_edit(session, actor, occurrence.meeting, action="record decisions of")
    _writable(occurrence, now, what="decisions")
    text = text.strip()
    if not text:
        raise InvalidInput("the decision is empty; say what was decided")
    row = materialize(session, occurrence)
    decision = MeetingDecision(occurrence_id=row.id or 0, text=text, created_at=now, created_by_id=actor.id or 0)
    session.add(decision)
    session.flush()
    audit_change(session, now=now, actor=actor, meeting=occurrence.meeting, action="decide", ref=occurrence.ref,
                 details={"decision": text})
    return decision


def decisions_of(session: Session, row: MeetingOccurrence | None) -> list[dict[str, Any]]:
    if row is None:
        return []
    query = (
        select(MeetingDecision, Employee.login)
        .join(Employee, col(Employee.id) == MeetingDecision.created_by_id)
        .where(MeetingDecision.occurrence_id == row.id)
        .order_by(col(MeetingDecision.id))
    )
    return [{"id": d.id, "n": n, "text": d.text, "by": login, "at": d.created_at}
            for n, (d, login) in enumerate(session.exec(query), 1)]


# -- action items ---------------------------------------------------------------------------

def add_action(
    session: Session, *, actor: Employee, now: datetime, today: date, ref: str, title: str, owner: str, due: date,
) -> dict[str, Any]:
    """A task for ``owner`` due ``due``, in the meeting's project, linked to the occurrence."""
    from opsctl.services.people import get_person
    from opsctl.services.tasks import add_task

    occurrence = find_occurrence(session, ref)
    require_edit(session, actor, occurrence.meeting, action="add action items to")
    _writable(occurrence, now, what="action items")
    person = get_person(session, owner, active_only=True)
    meeting_day = occurrence.starts_at.astimezone(zone(occurrence.meeting)).date()
    if due < meeting_day:
        raise InvalidInput(f"--due {due} is before the meeting ({meeting_day}); give a later date")
    from opsctl.services.meetings.views import project_codes

    project = project_codes(session, {occurrence.meeting.project_id}).get(occurrence.meeting.project_id or 0)
    task = add_task(session, actor=actor, now=now, today=today, title=title, project=project,
                    assignee=person.login, due=due)
    row = materialize(session, occurrence)
    session.add(MeetingAction(occurrence_id=row.id or 0, task_id=task.id or 0, created_at=now,
                              created_by_id=actor.id or 0))
    session.flush()
    audit_change(session, now=now, actor=actor, meeting=occurrence.meeting, action="action", ref=occurrence.ref,
                 details={"task": task.id, "owner": person.login})
    return action_items(session, task_ids=[task.id or 0], today=today)[0]


def action_counts(session: Session, occurrence_ids: list[int]) -> dict[int, int]:
    if not occurrence_ids:
        return {}
    query = (
        select(MeetingAction.occurrence_id, func.count())
        .where(col(MeetingAction.occurrence_id).in_(occurrence_ids))
        .group_by(col(MeetingAction.occurrence_id))
    )
    return dict(session.exec(query).all())


def _action_query() -> Any:
    """One row per action item, as plain columns (a follow-up list can be long)."""
    from sqlalchemy import select as select_columns

    from opsctl.models.projects import Task

    return (
        select_columns(
            col(Task.id), col(Task.title), col(Task.status), col(Task.due), col(Employee.login),
            col(Employee.name).label("owner"), col(MeetingOccurrence.seq), col(MeetingOccurrence.starts_at),
            col(Meeting.id).label("meeting_id"), col(Meeting.title).label("meeting_title"), col(Meeting.rule),
            col(Meeting.timezone),
        )
        .join(MeetingAction, col(MeetingAction.task_id) == Task.id)
        .join(MeetingOccurrence, col(MeetingOccurrence.id) == MeetingAction.occurrence_id)
        .join(Meeting, col(Meeting.id) == MeetingOccurrence.meeting_id)
        .join(Employee, col(Employee.id) == Task.assignee_id, isouter=True)
    )


def _action_row(r: Any, today: date) -> dict[str, Any]:
    from opsctl.models.projects import OPEN_TASK_STATUSES

    is_open = r.status in OPEN_TASK_STATUSES
    left = (r.due - today).days if is_open and r.due is not None else None
    late = -left if left is not None and left < 0 else 0
    return {
        "id": r.id,
        "title": r.title,
        "login": r.login,
        "owner": r.owner,
        "due": r.due,
        "status": r.status,
        "overdue": late > 0,
        "days_overdue": late,
        "why": None if left is None else f"overdue {late}d" if late else "due today" if left == 0 else
        f"due in {left}d",
        "meeting": ref_text(r.meeting_id, r.rule, r.seq),
        "meeting_title": r.meeting_title,
        "meeting_date": r.starts_at.astimezone(ZoneInfo(r.timezone)).date(),
    }


def _sorted(session: Session, query: Any, today: date) -> list[dict[str, Any]]:
    found = [_action_row(r, today) for r in session.execute(query)]
    return sorted(found, key=lambda a: (a["due"] or date.max, a["id"]))


def action_items(
    session: Session, *, today: date, occurrence_ids: list[int] | None = None, task_ids: list[int] | None = None
) -> list[dict[str, Any]]:
    """The action items of some occurrences (or some tasks) with their tasks' current status."""
    from opsctl.models.projects import Task

    query = _action_query()
    if occurrence_ids is not None:
        query = query.where(col(MeetingAction.occurrence_id).in_(occurrence_ids or [-1]))
    if task_ids is not None:
        query = query.where(col(Task.id).in_(task_ids or [-1]))
    return _sorted(session, query, today)


def open_actions(
    session: Session, *, today: date, meeting_id: int | None = None, before: datetime | None = None,
    viewer: Employee | None = None, owner: Employee | None = None, overdue_only: bool = False,
) -> list[dict[str, Any]]:
    """Open action items of occurrences that started before ``before`` (follow-up)."""
    from opsctl.models.projects import OPEN_TASK_STATUSES, Task
    from opsctl.services.meetings.views import visible_meetings

    query = _action_query().where(col(Task.status).in_(OPEN_TASK_STATUSES))
    if meeting_id is not None:
        query = query.where(col(Meeting.id) == meeting_id)
    if before is not None:
        query = query.where(col(MeetingOccurrence.starts_at) < before)
    if owner is not None:
        query = query.where(col(Task.assignee_id) == owner.id)
    if overdue_only:
        query = query.where(col(Task.due) < today)
    if viewer is not None and (visible := visible_meetings(session, viewer)) is not None:
        query = query.where(col(Meeting.id).in_(visible) | (col(Task.assignee_id) == viewer.id))
    found = _sorted(session, query, today)
    return sorted(found, key=lambda a: (not a["overdue"], a["due"] or date.max, a["id"]))


def followup(
    session: Session, *, viewer: Employee, now: datetime, today: date, overdue_only: bool = False,
    mine: bool = False, meeting: str | None = None,
) -> list[dict[str, Any]]:
    """`meeting followup`: every open action item of past meetings the viewer may see."""
    from opsctl.services.meetings.scheduling import get_meeting, parse_ref

    meeting_id = None
    if meeting is not None:
        meeting_id = parse_ref(meeting)[0]
        require_read(session, viewer, get_meeting(session, meeting_id))
    return open_actions(session, today=today, meeting_id=meeting_id, before=now, viewer=viewer,
                        owner=viewer if mine else None, overdue_only=overdue_only)

