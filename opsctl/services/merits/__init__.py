"""Rewards and penalties (奖惩): entries for a person with their approvals and revocation,
totals, and the suggestions a finished period's data calls for.

Modules:

    entries  Adding, approving (one or two levels), revoking, listing; each person's totals
    suggest  `merit suggest`: proposed lines from KPI grades and attendance, accepted one by one

The names below are the area's public API, for the other areas and layers
(`from opsctl.services.merits import ...`). Each loads its module on first use
(PEP 562), so importing the package stays cheap and a command loads only what it uses.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from opsctl.services import public_api

if TYPE_CHECKING:
    from opsctl.services.merits.entries import (
        add_merit,
        add_merit_totals,
        approve_merit,
        list_merits,
        merit_totals,
        parse_amount,
        parse_points,
        person_merits,
        revoke_merit,
        show_merit,
    )
    from opsctl.services.merits.suggest import accept_suggestions, suggest_merits

# name -> the module of this package that defines it
_API: dict[str, str] = {
    "add_merit": "entries",
    "add_merit_totals": "entries",
    "approve_merit": "entries",
    "list_merits": "entries",
    "merit_totals": "entries",
    "parse_amount": "entries",
    "parse_points": "entries",
    "person_merits": "entries",
    "revoke_merit": "entries",
    "show_merit": "entries",
    "accept_suggestions": "suggest",
    "suggest_merits": "suggest",
}

__all__ = [
    "accept_suggestions", "add_merit", "add_merit_totals", "approve_merit", "list_merits", "merit_totals",
    "parse_amount", "parse_points", "person_merits", "revoke_merit", "show_merit", "suggest_merits",
]


__getattr__, __dir__ = public_api(__name__, _API)
