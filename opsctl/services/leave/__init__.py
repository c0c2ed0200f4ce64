"""Leave: types, the days a request covers, the balance ledger, requests, approvals
and what the leave commands show.

Modules:

    approvals  Deciding on leave requests
    balance    A person's balances worked out from the stored types, ledger sums and pending days
    days       Counting leave days, in halves
    ledger     The ledger behind every balance, and the balances it gives
    requests   Leave requests
    today      The `opsctl today` section (light: no models unless a request is to be listed)
    types      Types of leave
    views      What the leave commands show, limited to what the viewer may see

The names below are the area's public API, for the other areas and layers
(`from opsctl.services.leave import ...`). Each loads its module on first use
(PEP 562), so importing the package stays cheap and a command loads only what it uses.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from opsctl.services import public_api

if TYPE_CHECKING:
    from opsctl.services.leave.approvals import approve_leave, cancel_leave, reject_leave
    from opsctl.services.leave.days import Span, parse_span
    from opsctl.services.leave.ledger import (
        Balance,
        Recount,
        allocate,
        credit_overtime,
        recount_leave,
        recount_leave_of,
    )
    from opsctl.services.leave.requests import approved_covers, list_requests, request_leave
    from opsctl.services.leave.today import LeaveToday
    from opsctl.services.leave.types import (
        TypeRules,
        add_type,
        edit_type,
        ensure_default_types,
        list_types,
        type_row,
        type_rows,
    )
    from opsctl.services.leave.views import person_balances, require_visible

# name -> the module of this package that defines it
_API: dict[str, str] = {
    "approve_leave": "approvals",
    "cancel_leave": "approvals",
    "reject_leave": "approvals",
    "Span": "days",
    "parse_span": "days",
    "Balance": "ledger",
    "Recount": "ledger",
    "allocate": "ledger",
    "credit_overtime": "ledger",
    "recount_leave": "ledger",
    "recount_leave_of": "ledger",
    "approved_covers": "requests",
    "list_requests": "requests",
    "request_leave": "requests",
    "TypeRules": "types",
    "add_type": "types",
    "edit_type": "types",
    "ensure_default_types": "types",
    "list_types": "types",
    "type_row": "types",
    "type_rows": "types",
    "LeaveToday": "today",
    "person_balances": "views",
    "require_visible": "views",
}

__all__ = [
    "Balance", "LeaveToday", "Recount", "Span", "TypeRules", "add_type", "allocate", "approve_leave",
    "approved_covers", "cancel_leave", "credit_overtime", "edit_type", "ensure_default_types", "list_requests",
    "list_types",
    "parse_span", "person_balances", "recount_leave", "recount_leave_of", "reject_leave", "request_leave",
    "require_visible", "type_row", "type_rows",
]


__getattr__, __dir__ = public_api(__name__, _API)
