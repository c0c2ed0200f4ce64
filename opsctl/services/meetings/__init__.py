"""Meetings: scheduling (one-off or recurring), views, minutes with decisions and
action items, and the iCalendar export.

Modules:

    export        `meeting export`
    ics_timezone  Local times with a TZID, and the VTIMEZONE that defines it, for an .ics file
    minutes       What a meeting produces
    recurrence    Recurring meetings
    scheduling    Meetings
    today         The `opsctl today` section (light: the models only when a meeting may fall on the day)
    views         Reading meetings

The names below are the area's public API, for the other areas and layers
(`from opsctl.services.meetings import ...`). Each loads its module on first use
(PEP 562), so importing the package stays cheap and a command loads only what it uses.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from opsctl.services import public_api

if TYPE_CHECKING:
    from opsctl.services.meetings.export import export_ics, export_markdown
    from opsctl.services.meetings.minutes import (
        ANY,
        add_action,
        check_minutes,
        decide,
        followup,
        minutes_of,
        minutes_template,
        record_attendance,
        save_minutes,
    )
    from opsctl.services.meetings.scheduling import (
        Occurrence,
        cancel,
        find_occurrence,
        get_meeting,
        move,
        new_meeting,
        parse_logins,
        parse_ref,
        parse_when,
    )
    from opsctl.services.meetings.views import day_bounds, list_meetings, occurrence_details, series_details

# name -> the module of this package that defines it
_API: dict[str, str] = {
    "export_ics": "export",
    "export_markdown": "export",
    "ANY": "minutes",
    "add_action": "minutes",
    "check_minutes": "minutes",
    "decide": "minutes",
    "followup": "minutes",
    "minutes_of": "minutes",
    "minutes_template": "minutes",
    "record_attendance": "minutes",
    "save_minutes": "minutes",
    "Occurrence": "scheduling",
    "cancel": "scheduling",
    "find_occurrence": "scheduling",
    "get_meeting": "scheduling",
    "move": "scheduling",
    "new_meeting": "scheduling",
    "parse_logins": "scheduling",
    "parse_ref": "scheduling",
    "parse_when": "scheduling",
    "day_bounds": "views",
    "list_meetings": "views",
    "occurrence_details": "views",
    "series_details": "views",
}

__all__ = [
    "ANY", "Occurrence", "add_action", "cancel", "check_minutes", "day_bounds", "decide", "export_ics",
    "export_markdown", "find_occurrence", "followup", "get_meeting", "list_meetings", "minutes_of",
    "minutes_template", "move", "new_meeting", "occurrence_details", "parse_logins", "parse_ref", "parse_when",
    "record_attendance", "save_minutes", "series_details",
]


__getattr__, __dir__ = public_api(__name__, _API)
