"""KPI: templates, cycles, multi-rater scores, the arithmetic, results by cycle or
period, and why a score is what it is.

Modules:

    compute    The KPI arithmetic of DESIGN §7, as pure functions
    cycles     KPI cycles
    explain    `kpi show LOGIN --cycle C`
    results    KPI results
    scores     Scoring
    sources    Computed KPI indicators
    templates  KPI templates
    views      KPI results as people see them

Nothing is re-exported here yet: importing the package stays cheap, and a command
loads only the modules it uses.
"""
