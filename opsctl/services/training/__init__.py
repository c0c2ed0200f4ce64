"""Training: the yearly plan and its sessions, rosters and results, certificates,
the year's report, and a person's development record.

Modules:

    certs   Certificates
    plan    Training
    profile A person's development record (`people profile`)
    report  What training added up to
    roster  Training rosters and assessment

Nothing is re-exported here yet: importing the package stays cheap, and a command
loads only the modules it uses.
"""
