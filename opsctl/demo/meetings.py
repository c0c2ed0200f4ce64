"""The demo's meetings: sample_data/meetings/meetings.json and the minutes beside it.

Each step goes through the real services at the time it happened, as the person who
did it: scheduling, attendance and minutes after each meeting, decisions, action items
(tasks), the actions done since, and the occurrences moved or cancelled.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session

from opsctl.demo.build import DemoInfo
from opsctl.models.people import Employee
from opsctl.reports.tabular import Tabular


def load_meetings(session: Session, *, sample: Path, demo: DemoInfo, admin: Employee) -> None:
    from opsctl.dates import parse_datetime_local
    from opsctl.services.people import get_person

    folder = sample / "meetings"
    tz = ZoneInfo(demo.timezone)

    def at(text: str) -> datetime:
        return parse_datetime_local(text).replace(tzinfo=tz)

    for spec in json.loads((folder / "meetings.json").read_text(encoding="utf-8"))["meetings"]:
        _load_one(session, spec, folder=folder, tz=tz, at=at, who=lambda login: get_person(session, login))


def _load_one(session: Session, spec: dict[str, Any], *, folder: Path, tz: ZoneInfo, at: Any, who: Any) -> None:
    from opsctl.services.meetings import minutes as meetings_minutes
    from opsctl.services.meetings import scheduling as meetings
    from opsctl.services.tasks import done_task

    organizer = who(spec["organizer"])
    meeting = meetings.new_meeting(
        session, actor=organizer, now=at(spec["scheduled"]), tz=tz, title=spec["title"], start=at(spec["at"]),
        duration_min=spec["duration"], location=spec.get("location"), with_logins=spec.get("with", []),
        team=spec.get("team"), agenda=spec.get("agenda", []), project=spec.get("project"), every=spec.get("every"),
    )
    for item in spec.get("occurrences", []):
        ref = meetings.occurrence_ref(meeting, item["seq"])
        ended = meetings.find_occurrence(session, ref).ends_at
        meetings_minutes.record_attendance(session, actor=organizer, now=ended, ref=ref, present=item["present"],
                                           absent=item["absent"], excused=item["excused"])
        text = (folder / item["minutes"]).read_text(encoding="utf-8")
        meetings_minutes.save_minutes(session, actor=organizer, now=ended, ref=ref, text=text)
        for decision in item["decisions"]:
            meetings_minutes.decide(session, actor=organizer, now=ended, ref=ref, text=decision)
        for action in item["actions"]:
            row = meetings_minutes.add_action(
                session, actor=organizer, now=ended, today=ended.astimezone(tz).date(), ref=ref,
                title=action["title"], owner=action["owner"], due=date.fromisoformat(action["due"]),
            )
            if action.get("done"):
                done_task(session, actor=who(action["owner"]), now=at(action["done"]), task_id=row["id"])
    for change in spec.get("moves", []):
        meetings.move(session, actor=who(change["by"]), now=at(change["when"]),
                      ref=meetings.occurrence_ref(meeting, change["seq"]), to=at(change["to"]))
    for change in spec.get("cancellations", []):
        meetings.cancel(session, actor=who(change["by"]), now=at(change["when"]),
                        ref=meetings.occurrence_ref(meeting, change["seq"]), reason=change["reason"])


def followup_overview(session: Session, *, demo: DemoInfo) -> Tabular:
    """The open action items of past meetings, as the next meeting starts from them."""
    from opsctl.reports.meetings import followup_table
    from opsctl.services.meetings import followup
    from opsctl.services.people import get_person

    rows = followup(session, viewer=get_person(session, demo.admin), now=demo.now, today=demo.today)
    table = followup_table(rows, title="Open action items from meetings")
    upcoming = demo.today + timedelta(days=13)
    table.notes += [demo.hint("The next two weeks", f"meeting list --to {upcoming}"),
                    demo.hint("The team weekly for your calendar", "meeting export 1 --as ics")]
    return table
