"""Attendance: punches, schedules and shifts, the holiday calendar, the rules that
judge a day, summaries and views, fixes, imports (CSV, ZKTeco) and exports.

Modules:

    access        Who may see whose attendance
    calendar      The holiday calendar
    calendar_ics  `calendar import` of an iCalendar (.ics) file
    export        The month HR gets as a workbook (`attend export`)
    fix           Corrections (`attend fix`)
    imports       `attend import`
    overtime      Overtime requests (`attend overtime`)
    punches       Clocking in and out, a person's punch state, the punch log
    rules         The daily rules of DESIGN §3, as pure functions
    schedules     Work schedules
    shifts        A schedule as the daily rules see it, and where a punch belongs
    summary       Attendance summaries
    today         The `opsctl today` section (light: no models)
    views         What the `attend status|log|day|month` commands show, limited to what the viewer may see
    workdays      Whose workdays fall where, leave included (for the work reports)
    zkteco        ZKTeco attendance logs as devices really write them, in their two layouts

The names below are the area's public API, for the other areas and layers
(`from opsctl.services.attendance import ...`). Each loads its module on first use
(PEP 562), so importing the package stays cheap and a command loads only what it uses.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from opsctl.services import public_api

if TYPE_CHECKING:
    from opsctl.services.attendance.access import require_view, visible_ids
    from opsctl.services.attendance.calendar import (
        add_calendar_day,
        import_calendar,
        list_calendar,
        remove_calendar_day,
    )
    from opsctl.services.attendance.export import MonthExport, month_export
    from opsctl.services.attendance.fix import approve_fix, fix_rows, reject_fix, request_fix
    from opsctl.services.attendance.imports import check_punches, import_punches, store_punches
    from opsctl.services.attendance.overtime import (
        approve_overtime,
        cancel_overtime,
        overtime_rows,
        reject_overtime,
        request_overtime,
        settle_overtime,
    )
    from opsctl.services.attendance.punches import PunchState, clock_in, clock_out, effective_kinds, punch_row
    from opsctl.services.attendance.rules import OVERTIME_MARK, STATUSES, LeaveCover
    from opsctl.services.attendance.schedules import (
        add_schedule,
        assign_schedule,
        list_schedules,
        schedule_row,
        set_default_schedule,
    )
    from opsctl.services.attendance.summary import PersonSummary, day_kinds, day_row, summarize_period, summary_row
    from opsctl.services.attendance.views import PersonMonth, person_month, person_status, punch_log, team_view
    from opsctl.services.attendance.workdays import workdays_from, workdays_ignoring_leave, workdays_of

# name -> the module of this package that defines it
_API: dict[str, str] = {
    "require_view": "access",
    "visible_ids": "access",
    "add_calendar_day": "calendar",
    "import_calendar": "calendar",
    "list_calendar": "calendar",
    "remove_calendar_day": "calendar",
    "MonthExport": "export",
    "month_export": "export",
    "approve_fix": "fix",
    "fix_rows": "fix",
    "reject_fix": "fix",
    "request_fix": "fix",
    "check_punches": "imports",
    "import_punches": "imports",
    "store_punches": "imports",
    "approve_overtime": "overtime",
    "cancel_overtime": "overtime",
    "overtime_rows": "overtime",
    "reject_overtime": "overtime",
    "request_overtime": "overtime",
    "settle_overtime": "overtime",
    "PunchState": "punches",
    "clock_in": "punches",
    "clock_out": "punches",
    "effective_kinds": "punches",
    "punch_row": "punches",
    "LeaveCover": "rules",
    "OVERTIME_MARK": "rules",
    "STATUSES": "rules",
    "add_schedule": "schedules",
    "assign_schedule": "schedules",
    "list_schedules": "schedules",
    "schedule_row": "schedules",
    "set_default_schedule": "schedules",
    "PersonSummary": "summary",
    "day_kinds": "summary",
    "day_row": "summary",
    "summarize_period": "summary",
    "summary_row": "summary",
    "PersonMonth": "views",
    "person_month": "views",
    "person_status": "views",
    "punch_log": "views",
    "team_view": "views",
    "workdays_from": "workdays",
    "workdays_ignoring_leave": "workdays",
    "workdays_of": "workdays",
}

__all__ = [
    "OVERTIME_MARK",
    "STATUSES",
    "LeaveCover",
    "MonthExport",
    "PersonMonth",
    "PersonSummary",
    "PunchState",
    "add_calendar_day",
    "add_schedule",
    "approve_fix",
    "approve_overtime",
    "assign_schedule",
    "cancel_overtime",
    "check_punches",
    "clock_in",
    "clock_out",
    "day_kinds",
    "day_row",
    "effective_kinds",
    "fix_rows",
    "import_calendar",
    "import_punches",
    "list_calendar",
    "list_schedules",
    "month_export",
    "overtime_rows",
    "person_month",
    "person_status",
    "punch_log",
    "punch_row",
    "reject_fix",
    "reject_overtime",
    "remove_calendar_day",
    "request_fix",
    "request_overtime",
    "require_view",
    "schedule_row",
    "set_default_schedule",
    "settle_overtime",
    "store_punches",
    "summarize_period",
    "summary_row",
    "team_view",
    "visible_ids",
    "workdays_from",
    "workdays_ignoring_leave",
    "workdays_of",
]


__getattr__, __dir__ = public_api(__name__, _API)
