"""People: employees, their teams and leads, and the CSV import.

Modules:

    employees  Employees
    imports    `people import`
    teams      Teams

Nothing is re-exported here yet: importing the package stays cheap, and a command
loads only the modules it uses.
"""
