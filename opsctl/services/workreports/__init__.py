"""Work reports (日报/周报): a person's day or week — done, planned next, problems and help
needed — drafted from their data, submitted by a deadline (late ones marked), reviewed by their
manager or team lead; who has not reported; a problem raised as a task; the team's week.

Modules:

    drafts   A report's text: the prefilled draft, and the Markdown read into its sections
    periods  The periods a report covers, the rules from the settings, the deadlines (pure)
    today    The `opsctl today` section (light: no models)
    views    Reading work reports
    writing  Writing, submitting and reviewing; raising a problem as a task

The names below are the area's public API, for the other areas and layers
(`from opsctl.services.workreports import ...`). Each loads its module on first use
(PEP 562), so importing the package stays cheap and a command loads only what it uses.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from opsctl.services import public_api

if TYPE_CHECKING:
    from opsctl.services.workreports.drafts import SECTIONS, Sections, problem_items, sections_markdown
    from opsctl.services.workreports.periods import ReportPeriod, day_period, parse_week, period_named, week_period
    from opsctl.services.workreports.today import today_facts
    from opsctl.services.workreports.views import list_reports, missing_reports, report_details, week_export
    from opsctl.services.workreports.writing import (
        ANY,
        Draft,
        open_draft,
        raise_problem,
        review_report,
        save_report,
        submit_report,
    )

# name -> the module of this package that defines it
_API: dict[str, str] = {
    "SECTIONS": "drafts",
    "Sections": "drafts",
    "problem_items": "drafts",
    "sections_markdown": "drafts",
    "ReportPeriod": "periods",
    "day_period": "periods",
    "parse_week": "periods",
    "period_named": "periods",
    "week_period": "periods",
    "list_reports": "views",
    "missing_reports": "views",
    "report_details": "views",
    "today_facts": "today",
    "week_export": "views",
    "ANY": "writing",
    "Draft": "writing",
    "open_draft": "writing",
    "raise_problem": "writing",
    "review_report": "writing",
    "save_report": "writing",
    "submit_report": "writing",
}

__all__ = [
    "ANY", "SECTIONS", "Draft", "ReportPeriod", "Sections", "day_period", "list_reports", "missing_reports",
    "open_draft", "parse_week", "period_named", "problem_items", "raise_problem", "report_details", "review_report",
    "save_report", "sections_markdown", "submit_report", "today_facts", "week_export", "week_period",
]


__getattr__, __dir__ = public_api(__name__, _API)
