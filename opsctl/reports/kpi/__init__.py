"""KPI reports: the tables the `kpi` commands show, and the results workbook.

Modules:

    tables  How KPI templates, cycles, scores and results are shown
    xlsx    `kpi quarter|month|year --xlsx FILE`

Nothing is re-exported here yet: importing the package stays cheap, and a command
loads only the modules it uses.
"""
