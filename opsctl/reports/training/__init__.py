"""Training reports: the tables the `training` commands show, and the year's workbook.

Modules:

    tables  How training plans, sessions, results, records, reports and certificates are shown
    xlsx    The year's training report as an .xlsx workbook (openpyxl, imported only when writing)

Nothing is re-exported here yet: importing the package stays cheap, and a command
loads only the modules it uses.
"""
