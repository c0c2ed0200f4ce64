"""Tasks: adding and listing by urgency, the status steps, and the weekly plan.

Modules:

    core   Tasks
    plan   The weekly plan (`task week`)
    steps  Changing tasks

Nothing is re-exported here yet: importing the package stays cheap, and a command
loads only the modules it uses.
"""
