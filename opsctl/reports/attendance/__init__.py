"""Attendance reports: the tables the `attend` commands show, and the month's workbook.

Modules:

    tables       How attendance is shown
    xlsx         The HR workbook of a month (`attend export`)
    xlsx_legend  The Legend sheet of the HR workbook
    xlsx_text    The words of the HR workbook in English and Chinese (`attend export --lang en|zh`)

Nothing is re-exported here yet: importing the package stays cheap, and a command
loads only the modules it uses.
"""
