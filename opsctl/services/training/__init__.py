"""Training: the yearly plan and its sessions, rosters and results, certificates,
the year's report, and a person's development record.

Modules:

    certs   Certificates
    plan    Training
    profile A person's development record (`people profile`)
    report  What training added up to
    roster  Training rosters and assessment
    today   The `opsctl today` section (light: the models only when something is listed)

The names below are the area's public API, for the other areas and layers
(`from opsctl.services.training import ...`). Each loads its module on first use
(PEP 562), so importing the package stays cheap and a command loads only what it uses.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from opsctl.services import public_api

if TYPE_CHECKING:
    from opsctl.services.training.certs import add_certificate, expiring_certificates, expiring_for, list_certificates
    from opsctl.services.training.plan import (
        add_plan,
        add_session,
        get_session,
        list_plans,
        list_sessions,
        plan_row,
        session_details,
    )
    from opsctl.services.training.profile import add_note, list_notes, person_profile
    from opsctl.services.training.report import person_training, year_report
    from opsctl.services.training.roster import (
        correct_result,
        enroll,
        mark_attendance,
        parse_score,
        record_result,
        result_details,
        schedule_retake,
    )

# name -> the module of this package that defines it
_API: dict[str, str] = {
    "add_certificate": "certs",
    "expiring_certificates": "certs",
    "expiring_for": "certs",
    "list_certificates": "certs",
    "add_plan": "plan",
    "add_session": "plan",
    "get_session": "plan",
    "list_plans": "plan",
    "list_sessions": "plan",
    "plan_row": "plan",
    "session_details": "plan",
    "add_note": "profile",
    "list_notes": "profile",
    "person_profile": "profile",
    "person_training": "report",
    "year_report": "report",
    "correct_result": "roster",
    "enroll": "roster",
    "mark_attendance": "roster",
    "parse_score": "roster",
    "record_result": "roster",
    "result_details": "roster",
    "schedule_retake": "roster",
}

__all__ = [
    "add_certificate", "add_note", "add_plan", "add_session", "correct_result", "enroll", "expiring_certificates",
    "expiring_for", "get_session", "list_certificates", "list_notes", "list_plans", "list_sessions",
    "mark_attendance", "parse_score", "person_profile", "person_training", "plan_row", "record_result",
    "result_details", "schedule_retake", "session_details", "year_report",
]


__getattr__, __dir__ = public_api(__name__, _API)
