"""KPI: templates, cycles, multi-rater scores, the arithmetic, results by cycle or
period, and why a score is what it is.

Modules:

    compute    The KPI arithmetic of DESIGN §7, as pure functions
    cycles     KPI cycles
    outcomes   Final results and what they call for (a plan; a run of weak grades flagged to HR)
    plans      Improvement plans, their items tracked as tasks
    scores     Scoring
    sources    Computed KPI indicators
    standings  KPI results: scores, final scores, grades and ranks of a cycle or a period
    talks      Appraisal talks and the person's confirmation or disagreement
    templates  KPI templates
    today      The `opsctl today` section (light: the models only when a cycle may judge the person)
    views      KPI results as people see them
    why        Why a score is what it is (`kpi show LOGIN --cycle C`)

The names below are the area's public API, for the other areas and layers
(`from opsctl.services.kpi import ...`). Each loads its module on first use
(PEP 562), so importing the package stays cheap and a command loads only what it uses.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from opsctl.services import public_api

if TYPE_CHECKING:
    from opsctl.services.kpi.cycles import close_cycle, describe_cycle, get_cycle, list_cycles, open_cycle
    from opsctl.services.kpi.outcomes import final_grades
    from opsctl.services.kpi.plans import add_plan, add_plan_item, close_plan, list_plans, plan_marks, show_plan
    from opsctl.services.kpi.scores import import_scores, parse_assignments, score_person
    from opsctl.services.kpi.standings import default_period, incomplete
    from opsctl.services.kpi.talks import confirm_talk, list_talks, missing_talks, record_talk, show_talk
    from opsctl.services.kpi.templates import (
        derive_template,
        ensure_standard_template,
        import_template,
        list_templates,
        template_details,
    )
    from opsctl.services.kpi.views import person_history, results
    from opsctl.services.kpi.why import explain

# name -> the module of this package that defines it
_API: dict[str, str] = {
    "close_cycle": "cycles",
    "describe_cycle": "cycles",
    "get_cycle": "cycles",
    "list_cycles": "cycles",
    "open_cycle": "cycles",
    "final_grades": "outcomes",
    "add_plan": "plans",
    "add_plan_item": "plans",
    "close_plan": "plans",
    "list_plans": "plans",
    "plan_marks": "plans",
    "show_plan": "plans",
    "import_scores": "scores",
    "parse_assignments": "scores",
    "score_person": "scores",
    "default_period": "standings",
    "incomplete": "standings",
    "confirm_talk": "talks",
    "list_talks": "talks",
    "missing_talks": "talks",
    "record_talk": "talks",
    "show_talk": "talks",
    "derive_template": "templates",
    "ensure_standard_template": "templates",
    "import_template": "templates",
    "list_templates": "templates",
    "template_details": "templates",
    "person_history": "views",
    "results": "views",
    "explain": "why",
}

__all__ = [  # noqa: RUF022 (the talks and plans names after the others)
    "close_cycle", "default_period", "derive_template", "describe_cycle", "ensure_standard_template", "explain",
    "get_cycle", "import_scores", "import_template", "incomplete", "list_cycles", "list_templates", "open_cycle",
    "parse_assignments", "person_history", "results", "score_person", "template_details",
    "add_plan", "add_plan_item", "close_plan", "confirm_talk", "final_grades", "list_plans", "list_talks",
    "missing_talks", "plan_marks", "record_talk", "show_plan", "show_talk",
]


__getattr__, __dir__ = public_api(__name__, _API)
