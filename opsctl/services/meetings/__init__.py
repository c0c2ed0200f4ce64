"""Meetings: scheduling (one-off or recurring), views, minutes with decisions and
action items, and the iCalendar export.

Modules:

    export        `meeting export`
    ics_timezone  Local times with a TZID, and the VTIMEZONE that defines it, for an .ics file
    minutes       What a meeting produces
    recurrence    Recurring meetings
    scheduling    Meetings
    views         Reading meetings

Nothing is re-exported here yet: importing the package stays cheap, and a command
loads only the modules it uses.
"""
