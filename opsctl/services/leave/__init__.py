"""Leave: types, the days a request covers, the balance ledger, requests, approvals
and what the leave commands show.

Modules:

    approvals  Deciding on leave requests
    days       Counting leave days, in halves
    ledger     The ledger behind every balance, and the balances it gives
    requests   Leave requests
    types      Types of leave
    views      What the leave commands and `opsctl today` show, limited to what the viewer may see

Nothing is re-exported here yet: importing the package stays cheap, and a command
loads only the modules it uses.
"""
