"""Projects: the lifecycle from proposal to archive, owners, members, the overview,
and closing.

Modules:

    closing    How a project ends
    lifecycle  The project lifecycle
    members    A project's members and reviewers
    overview   Reading projects
    owners     Who has owned a project since its proposal, read from its history

Nothing is re-exported here yet: importing the package stays cheap, and a command
loads only the modules it uses.
"""
