"""The domain: plain functions taking a Session, one package per area.

Areas: people, attendance, leave, projects, tasks, meetings, kpi, training (each a
package: ``services/attendance/rules.py`` …). Shared by every area, at this level:
access (the org chart), audit and audit_chain, config, locks, maintenance, setup, today.

They validate, raise OpsctlError subclasses with messages written for the user, and
flush but never commit: the command's session scope commits once.
"""
