"""Attendance: punches, schedules and shifts, the holiday calendar, the rules that
judge a day, summaries and views, fixes, imports (CSV, ZKTeco) and exports.

Modules:

    access        Who may see whose attendance
    calendar      The holiday calendar
    calendar_ics  `calendar import` of an iCalendar (.ics) file
    export        The month HR gets as a workbook (`attend export`)
    fix           Corrections (`attend fix`)
    imports       `attend import`
    punches       Clocking in and out, a person's punch state, the punch log
    rules         The daily rules of DESIGN §3, as pure functions
    schedules     Work schedules
    shifts        A schedule as the daily rules see it, and where a punch belongs
    summary       Attendance summaries
    views         What the `attend status|log|day|month` commands show, limited to what the viewer may see
    zkteco        ZKTeco attendance logs as devices really write them, in their two layouts

Nothing is re-exported here yet: importing the package stays cheap, and a command
loads only the modules it uses.
"""
