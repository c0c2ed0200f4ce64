"""`opsctl demo`: the sample database built from sample_data/, one loader per area.

It sits between the commands and the services (cli → demo → services); services
import it at most for a type (``attendance.export`` takes a ``DemoInfo``).

Modules:

    attendance  The demo's attendance
    build       `opsctl demo`
    kpi         The demo's KPI
    leave       The demo's leave
    meetings    The demo's meetings
    projects    The demo's projects and tasks
    training    The demo's training

Nothing is re-exported here yet: importing the package stays cheap, and a command
loads only the modules it uses.
"""
