"""People: employees, their teams and leads, the CSV import, and one person's profile.

Modules:

    employees  Employees
    imports    `people import`
    profile    A person's development record (`people profile`)
    teams      Teams

Nothing is re-exported here yet: importing the package stays cheap, and a command
loads only the modules it uses.
"""
