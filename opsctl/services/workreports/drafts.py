"""A report's text: the draft prefilled from the person's data (tasks, hours worked, meetings,
action items, blocked tasks), and the Markdown read back into its three sections."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from opsctl.errors import InvalidInput
from opsctl.models.people import Employee
from opsctl.services.workreports.periods import ReportPeriod

SECTIONS = {"done": "Done", "planned": "Planned next", "problems": "Problems and help needed"}
MAX_SECTION = 20_000
_HEADING = re.compile(r"^##\s+(.*?)\s*#*\s*$")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_ITEM = re.compile(r"^\s{0,3}(?:[-*+]|\d+[.)])\s+(.*)$")


@dataclass(frozen=True)
class Sections:
    done: str = ""
    planned: str = ""
    problems: str = ""

    def is_empty(self) -> bool:
        return not (self.done or self.planned or self.problems)


def sections_markdown(sections: Sections) -> str:
    """The three sections under their headings, as `parse_sections` reads them back."""
    parts = [f"## {title}\n\n{getattr(sections, key).strip()}\n".replace("\n\n\n", "\n\n")
             for key, title in SECTIONS.items()]
    return "\n".join(parts)


def _section_of(heading: str) -> str | None:
    word = heading.strip().lower()
    for key, title in SECTIONS.items():
        if word == title.lower() or word.startswith(key[:4]):
            return key
    return None


def parse_sections(text: str) -> Sections:
    """``## Done``, ``## Planned next``, ``## Problems and help needed`` and what is under each;
    what comes before the first heading (the title) and <!-- comments --> are left out."""
    found: dict[str, list[str]] = {}
    current: str | None = None
    for line in _COMMENT.sub("", text).splitlines():
        if m := _HEADING.match(line):
            current = _section_of(m[1])
            if current is None:
                raise InvalidInput(f"unknown section {m[1]!r}; a report has the sections "
                                   + ", ".join(f"'## {t}'" for t in SECTIONS.values()))
            found.setdefault(current, [])
        elif current is not None:
            found[current].append(line.rstrip())
    if not found:
        raise InvalidInput("a report needs at least one of the sections "
                           + ", ".join(f"'## {t}'" for t in SECTIONS.values()) + " (see `opsctl report week`)")
    values = {key: "\n".join(lines).strip() for key, lines in found.items()}
    for key, value in values.items():
        if len(value) > MAX_SECTION:
            raise InvalidInput(f"the section {SECTIONS[key]!r} is {len(value)} characters long; at most "
                               f"{MAX_SECTION}, please")
    return Sections(**values)


def problem_items(problems: str) -> list[str]:
    """The problems as a list: each bullet (with the lines that continue it), or the whole text."""
    items: list[list[str]] = []
    for line in problems.splitlines():
        if m := _ITEM.match(line):
            items.append([m[1].strip()])
        elif line.strip() and items:
            items[-1].append(line.strip())
    if not items and problems.strip():
        return [" ".join(problems.split())]
    return [" ".join(parts) for parts in items]


# -- the draft ---------------------------------------------------------------------------------

def _window(period: ReportPeriod, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """The period's first and last instant (exclusive) in UTC."""
    return (datetime.combine(period.start, time(0), tzinfo=tz).astimezone(UTC),
            datetime.combine(period.end + timedelta(days=1), time(0), tzinfo=tz).astimezone(UTC))


def gather_facts(session: Session, *, person: Employee, period: ReportPeriod, today: date, now: datetime,
                 tz: ZoneInfo) -> dict[str, Any]:
    """What opsctl knows of ``person``'s period: tasks done and started, hours worked, meetings
    attended, what is due in the next period (action items among it), the tasks blocked now."""
    from opsctl.models.meetings import Meeting, MeetingAction, MeetingAttendance, MeetingOccurrence
    from opsctl.models.projects import Task
    from opsctl.services.attendance import summarize_period

    begin, end = _window(period, tz)
    following = period.next()
    mine = select(Task).where(Task.assignee_id == person.id)
    done = session.exec(mine.where(col(Task.done_at) >= begin, col(Task.done_at) < end,
                                   Task.status == "done").order_by(col(Task.done_at))).all()
    started = session.exec(mine.where(col(Task.started_at) >= begin, col(Task.started_at) < end,
                                      Task.status == "in_progress").order_by(col(Task.started_at))).all()
    due_next = session.exec(mine.where(col(Task.status).in_(("todo", "in_progress")),
                                       col(Task.due) <= following.end).order_by(col(Task.due), col(Task.id))).all()
    blocked = session.exec(mine.where(Task.status == "blocked").order_by(col(Task.id))).all()
    actions = set(session.exec(select(MeetingAction.task_id).where(
        col(MeetingAction.task_id).in_([t.id for t in due_next])))) if due_next else set()
    meetings = session.exec(
        select(Meeting.title, MeetingOccurrence.starts_at)
        .join(MeetingOccurrence, col(MeetingOccurrence.meeting_id) == Meeting.id)
        .join(MeetingAttendance, col(MeetingAttendance.occurrence_id) == MeetingOccurrence.id)
        .where(MeetingAttendance.employee_id == person.id, MeetingAttendance.status == "present",
               col(MeetingOccurrence.starts_at) >= begin, col(MeetingOccurrence.starts_at) < end)
        .order_by(col(MeetingOccurrence.starts_at))
    ).all()
    summary = summarize_period(session, start=period.start, end=min(period.end, today), today=today,
                               people=[person], now=now) if period.start <= today else []
    return {
        "done": done, "started": started, "due_next": due_next, "actions": actions, "blocked": blocked,
        "meetings": [(title, at.astimezone(tz)) for title, at in meetings],
        "hours": summary[0].work_hours if summary else 0.0,
        "present_days": summary[0].present_days if summary else 0.0,
        "tz": tz,
    }


def draft_text(person: Employee, period: ReportPeriod, facts: dict[str, Any]) -> str:
    """The Markdown a new report starts from."""
    tz: ZoneInfo = facts["tz"]
    span = period.label if period.kind == "day" else f"{period.label}, {period.start} – {period.end}"
    done = [f"- #{t.id} {t.title} (done {t.done_at.astimezone(tz):%a %m-%d})" for t in facts["done"]]
    done += [f"- #{t.id} {t.title} (started {t.started_at.astimezone(tz):%a %m-%d}, in progress)"
             for t in facts["started"]]
    done += [f"- Meeting: {title} ({at:%a %m-%d %H:%M})" for title, at in facts["meetings"]]
    days = facts["present_days"]
    done.append(f"- Worked {facts['hours']:g} h on {days:g} day{'' if days == 1 else 's'}")
    planned = [f"- {'Action item ' if t.id in facts['actions'] else ''}#{t.id} {t.title}"
               + (f" (due {t.due})" if t.due else "") for t in facts["due_next"]]
    problems = [f"- #{t.id} {t.title} is blocked: {t.blocked_reason or 'no reason given'}" for t in facts["blocked"]]
    sections = Sections("\n".join(done), "\n".join(planned), "\n".join(problems))
    return (f"# {period.kind.capitalize()} report {span} — {person.name} ({person.login})\n\n"
            "<!-- Write under the three headings; the title and these comments are not saved.\n"
            "     Filled in from opsctl: tasks done and started, meetings attended, hours worked;\n"
            "     what is due next (action items of meetings say so); the tasks blocked now. -->\n\n"
            + sections_markdown(sections))
