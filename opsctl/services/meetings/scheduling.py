"""Meetings: scheduling (one-off or recurring), who may see and change them, cancel and move.

An occurrence is named ``M`` (a one-off meeting) or ``M.K`` (occurrence K of series M,
numbered from 1 in rule order); minutes, attendance, decisions and actions attach to
it. Listing and showing live in ``meetings.views``, minutes and actions in
``meetings.minutes``, the .md and .ics exports in ``meetings.export``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from opsctl.errors import Conflict, InvalidInput, NotAllowed, NotFound
from opsctl.models.meetings import Meeting, MeetingAttendance, MeetingOccurrence, MeetingParticipant
from opsctl.models.people import Employee
from opsctl.services import audit
from opsctl.services.access import OrgChart, is_hr_or_admin
from opsctl.services.meetings import recurrence

REF_FORMS = "N for a meeting, N.K for occurrence K of a recurring one, as `opsctl meeting list` shows"
WHEN_FORMS = "'YYYY-MM-DD HH:MM', or a date word and a time such as 'tomorrow 10:00' or 'mon 14:30'"
_REF_RE = re.compile(r"^#?(\d{1,9})(?:\.(\d{1,6}))?$")
MAX_DURATION = 24 * 60


# -- parsing ------------------------------------------------------------------------

def parse_when(text: str, *, today: date, tz: ZoneInfo) -> datetime:
    """A start time typed in the team timezone, as an aware UTC instant."""
    from opsctl.dates import local_instant, parse_date, parse_datetime_local, parse_time

    try:
        local = parse_datetime_local(text)
    except InvalidInput:
        day_text, _, time_text = text.strip().rpartition(" ")
        try:
            local = datetime.combine(parse_date(day_text, today=today), parse_time(time_text))
        except InvalidInput:
            raise InvalidInput(f"not a date and time: {text!r} (use {WHEN_FORMS})") from None
    return local_instant(local, tz)


def parse_ref(text: str) -> tuple[int, int | None]:
    m = _REF_RE.match(text.strip())
    if not m:
        raise InvalidInput(f"not a meeting id: {text!r} (use {REF_FORMS})")
    return int(m[1]), int(m[2]) if m[2] else None


def parse_logins(text: str | None) -> list[str]:
    return [item.strip().lower() for item in (text or "").split(",") if item.strip()]


# -- occurrences ----------------------------------------------------------------------

@dataclass
class Occurrence:
    meeting: Meeting
    seq: int
    original_start: datetime
    row: MeetingOccurrence | None = None

    @property
    def ref(self) -> str:
        return occurrence_ref(self.meeting, self.seq)

    @property
    def starts_at(self) -> datetime:
        return self.row.starts_at if self.row is not None else self.original_start

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.meeting.duration_min)

    @property
    def cancelled(self) -> bool:
        return self.row is not None and self.row.status == "cancelled"

    @property
    def moved(self) -> bool:
        return self.row is not None and self.row.starts_at != self.row.original_start

    @property
    def status(self) -> str:
        return "cancelled" if self.cancelled else "moved" if self.moved else "scheduled"

    def status_after(self, *, recorded: bool) -> str:
        """``held`` once minutes, a decision or who was present or absent are recorded (none can
        be before it begins), else :attr:`status`."""
        return "held" if recorded and not self.cancelled else self.status


def occurrence_ref(meeting: Meeting, seq: int) -> str:
    return ref_text(meeting.id or 0, meeting.rule, seq)


def ref_text(meeting_id: int, rule: str | None, seq: int) -> str:
    """``5.3`` for occurrence 3 of series 5; a one-off meeting is just its number."""
    return f"{meeting_id}.{seq}" if rule else str(meeting_id)


def zone(meeting: Meeting) -> ZoneInfo:
    return ZoneInfo(meeting.timezone)


def agenda_of(meeting: Meeting) -> list[str]:
    return list(json.loads(meeting.agenda))


def get_meeting(session: Session, meeting_id: int) -> Meeting:
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        raise NotFound(f"no meeting {meeting_id}; see `opsctl meeting list --from -4w`")
    return meeting


def occurrence_rows(
    session: Session, meeting_ids: Iterable[int], *, low: datetime | None = None, high: datetime | None = None
) -> dict[tuple[int, int], MeetingOccurrence]:
    """The stored occurrences of some meetings, by (meeting, seq); only those that are or were
    due in [low, high) when given."""
    ids = set(meeting_ids)
    if not ids:
        return {}
    query = select(MeetingOccurrence).where(col(MeetingOccurrence.meeting_id).in_(ids))
    if low is not None and high is not None:
        query = query.where(
            (col(MeetingOccurrence.starts_at) >= low) & (col(MeetingOccurrence.starts_at) < high)
            | (col(MeetingOccurrence.original_start) >= low) & (col(MeetingOccurrence.original_start) < high)
        )
    return {(row.meeting_id, row.seq): row for row in session.exec(query)}


def find_occurrence(session: Session, text: str) -> Occurrence:
    """The occurrence an id names; a bare series id is refused with the nearest occurrence as a hint."""
    meeting_id, seq = parse_ref(text)
    meeting = get_meeting(session, meeting_id)
    tz = zone(meeting)
    if seq is None:
        if meeting.rule:
            raise InvalidInput(f"meeting {meeting.id} repeats; name one occurrence such as {meeting.id}.1 "
                               f"(`opsctl meeting show {meeting.id}` lists them)")
        seq = 1
    start = recurrence.nth_start(meeting.rule, meeting.starts_at, tz, seq)
    if start is None:
        raise NotFound(f"meeting {meeting.id} has no occurrence {seq}; `opsctl meeting show {meeting.id}` lists them")
    row = session.exec(
        select(MeetingOccurrence).where(MeetingOccurrence.meeting_id == meeting.id, MeetingOccurrence.seq == seq)
    ).first()
    return Occurrence(meeting, seq, start, row)


def materialize(session: Session, occurrence: Occurrence) -> MeetingOccurrence:
    """The occurrence's own row, made when the first thing is attached to it."""
    if occurrence.row is None:
        assert occurrence.meeting.id is not None
        occurrence.row = MeetingOccurrence(
            meeting_id=occurrence.meeting.id, seq=occurrence.seq,
            original_start=occurrence.original_start, starts_at=occurrence.original_start,
        )
        session.add(occurrence.row)
        session.flush()
    return occurrence.row


# -- who may --------------------------------------------------------------------------

def participant_ids(session: Session, meeting: Meeting) -> set[int]:
    return set(session.exec(select(MeetingParticipant.employee_id).where(MeetingParticipant.meeting_id == meeting.id)))


def can_edit(session: Session, actor: Employee, meeting: Meeting) -> bool:
    """The organizer, a manager of anyone invited, HR and admins."""
    if actor.id == meeting.organizer_id or is_hr_or_admin(actor):
        return True
    managed = OrgChart.load(session).reports_of(actor.id)
    return bool(managed & (participant_ids(session, meeting) | {meeting.organizer_id}))


def can_read(session: Session, actor: Employee, meeting: Meeting) -> bool:
    """Those who may edit, everyone invited, and anyone recorded at one of its occurrences."""
    if actor.id in participant_ids(session, meeting) or can_edit(session, actor, meeting):
        return True
    attended = (
        select(MeetingAttendance.id)
        .join(MeetingOccurrence, col(MeetingOccurrence.id) == MeetingAttendance.occurrence_id)
        .where(MeetingOccurrence.meeting_id == meeting.id, MeetingAttendance.employee_id == actor.id)
    )
    return session.exec(attended).first() is not None


def require_edit(session: Session, actor: Employee, meeting: Meeting, *, action: str) -> None:
    if not can_edit(session, actor, meeting):
        organizer = session.get(Employee, meeting.organizer_id)
        raise NotAllowed(
            f"{actor.login} may not {action} meeting {meeting.id}: only its organizer "
            f"({organizer.login if organizer else '?'}), a manager of someone invited, HR or an admin may"
        )


def require_read(session: Session, actor: Employee, meeting: Meeting) -> None:
    if not can_read(session, actor, meeting):
        raise NotAllowed(
            f"{actor.login} is not invited to meeting {meeting.id}; ask its organizer to add you"
        )


def audit_change(
    session: Session, *, now: datetime, actor: Employee, meeting: Meeting, action: str, ref: str,
    details: dict[str, object] | None = None,
) -> None:
    """Changes to somebody else's meeting go to the audit log (the organizer's own do not)."""
    if actor.id != meeting.organizer_id:
        session.flush()
        audit.record(
            session, now=now, actor=actor, action=f"meeting.{action}", entity="meeting", entity_id=ref,
            subject=session.get(Employee, meeting.organizer_id), details=details,
        )


# -- scheduling -----------------------------------------------------------------------

def invitees(session: Session, *, logins: list[str], team: str | None) -> list[Employee]:
    """``--with`` people and ``--team`` members (active), each once, in the order given."""
    from opsctl.services.people import get_person, get_team

    people = [get_person(session, login, active_only=True) for login in logins]
    if team:
        members = session.exec(
            select(Employee)
            .where(Employee.team_id == get_team(session, team).id, col(Employee.active).is_(True))
            .order_by(Employee.login)
        )
        people.extend(members)
    unique: dict[int, Employee] = {}
    for person in people:
        unique.setdefault(person.id or 0, person)
    return list(unique.values())


def new_meeting(
    session: Session, *, actor: Employee, now: datetime, tz: ZoneInfo, title: str, start: datetime,
    duration_min: int = 60, location: str | None = None, with_logins: list[str] | None = None,
    team: str | None = None, agenda: list[str] | None = None, project: str | None = None,
    every: str | None = None, until: date | None = None, rule: str | None = None,
) -> Meeting:
    """Schedule a meeting (the actor organizes it and is invited), one-off or recurring."""
    title = title.strip()
    if not title:
        raise InvalidInput("the meeting needs a title")
    if len(title) > 200:
        raise InvalidInput(f"the title is {len(title)} characters long; keep it under 200")
    if not 1 <= duration_min <= MAX_DURATION:
        raise InvalidInput(f"--duration {duration_min} is out of range (1–{MAX_DURATION} minutes)")
    repeat = recurrence.build_rule(start=start, tz=tz, every=every, until=until, rule=rule)
    people = invitees(session, logins=with_logins or [], team=team)
    duplicate = session.exec(
        select(Meeting.id).where(Meeting.organizer_id == actor.id, Meeting.title == title, Meeting.starts_at == start)
    ).first()
    if duplicate is not None:
        raise Conflict(f"you already have {title!r} at that time: meeting {duplicate} (`opsctl meeting show "
                       f"{duplicate}`)")
    meeting = Meeting(
        title=title, organizer_id=actor.id or 0, project_id=_project_id(session, project), starts_at=start,
        duration_min=duration_min, location=(location or "").strip() or None, timezone=tz.key,
        rule=repeat.rule if repeat else None, last_start=repeat.last_start if repeat else start,
        agenda=json.dumps([a.strip() for a in agenda or [] if a.strip()], ensure_ascii=False), created_at=now,
    )
    session.add(meeting)
    session.flush()
    for person_id in dict.fromkeys(p.id or 0 for p in [actor, *people]):
        session.add(MeetingParticipant(meeting_id=meeting.id or 0, employee_id=person_id))
    session.flush()
    return meeting


def _project_id(session: Session, code: str | None) -> int | None:
    if not code:
        return None
    from opsctl.services.projects import get_project

    project = get_project(session, code)
    if project.status in ("archived", "cancelled"):
        raise Conflict(f"project {project.code} is {project.status}; meetings belong to live projects")
    return project.id


def cancel(
    session: Session, *, actor: Employee, now: datetime, ref: str, reason: str | None = None
) -> Occurrence | Meeting:
    """Cancel one occurrence, or (given a series id) the series from now on."""
    meeting_id, seq = parse_ref(ref)
    meeting = get_meeting(session, meeting_id)
    require_edit(session, actor, meeting, action="cancel")
    reason = (reason or "").strip() or None
    if seq is None and meeting.rule:
        _end_series(session, now=now, meeting=meeting, reason=reason)
        audit_change(session, now=now, actor=actor, meeting=meeting, action="end", ref=str(meeting.id),
                     details={"reason": reason, "last": meeting.last_start})
        return meeting
    occurrence = find_occurrence(session, ref)
    if occurrence.cancelled:
        raise Conflict(f"meeting {occurrence.ref} is already cancelled")
    if occurrence.row is not None and occurrence.row.minutes:
        raise Conflict(f"meeting {occurrence.ref} has minutes, so it took place; it cannot be cancelled")
    _cancel_one(session, occurrence, reason)
    meeting.revision += 1
    audit_change(session, now=now, actor=actor, meeting=meeting, action="cancel", ref=occurrence.ref,
                 details={"reason": reason})
    return occurrence


def _cancel_one(session: Session, occurrence: Occurrence, reason: str | None) -> None:
    row = materialize(session, occurrence)
    row.status, row.cancel_reason = "cancelled", reason


def _end_series(session: Session, *, now: datetime, meeting: Meeting, reason: str | None) -> None:
    """The rule ends with the last occurrence before now; what is left of it ahead is cancelled."""
    assert meeting.rule is not None and meeting.id is not None
    tz = zone(meeting)
    rows = occurrence_rows(session, [meeting.id])
    last = recurrence.last_before(meeting.rule, meeting.starts_at, tz, now)
    keep_start = last[1] if last is not None else meeting.starts_at
    dropped = recurrence.next_after(meeting.rule, meeting.starts_at, tz, keep_start + timedelta(seconds=1))
    meeting.rule = recurrence.end_rule(meeting.rule, keep_start)
    meeting.last_start = keep_start
    changed = dropped is not None
    for seq, start in enumerate(recurrence.starts(meeting.rule, meeting.starts_at, tz), 1):
        occurrence = Occurrence(meeting, seq, start, rows.get((meeting.id, seq)))
        if occurrence.starts_at >= now and not occurrence.cancelled:
            _cancel_one(session, occurrence, reason)
            changed = True
    if not changed:
        raise Conflict(f"meeting {meeting.id} has no occurrences left to cancel")
    meeting.revision += 1


def move(session: Session, *, actor: Employee, now: datetime, ref: str, to: datetime) -> Occurrence:
    """Move one occurrence (the rest of the series stays); a cancelled one is rescheduled."""
    occurrence = find_occurrence(session, ref)
    meeting = occurrence.meeting
    require_edit(session, actor, meeting, action="move")
    if to == occurrence.starts_at and not occurrence.cancelled:
        raise Conflict(f"meeting {occurrence.ref} already starts then")
    row = materialize(session, occurrence)
    before = row.starts_at
    row.starts_at, row.status, row.cancel_reason = to, "scheduled", None
    meeting.revision += 1
    audit_change(session, now=now, actor=actor, meeting=meeting, action="move", ref=occurrence.ref,
                 details={"from": before, "to": to})
    return occurrence
