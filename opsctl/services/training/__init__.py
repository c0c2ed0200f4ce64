"""Training: the yearly plan and its sessions, rosters and results, certificates,
and the year's report.

Modules:

    certs   Certificates
    plan    Training
    report  What training added up to
    roster  Training rosters and assessment

Nothing is re-exported here yet: importing the package stays cheap, and a command
loads only the modules it uses.
"""
