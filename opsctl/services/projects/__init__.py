"""Projects: the lifecycle from proposal to archive, owners, members, the overview,
and closing.

Modules:

    closing    How a project ends
    costs      Expense claims against the budget
    documents  Documents stored in the database (content once, in chunks)
    lessons    The lessons-learned review, and the papers archiving asks for
    lifecycle  The project lifecycle
    members    A project's members and reviewers
    overview   Reading projects
    owners     Who has owned a project since its proposal, read from its history
    plans      Plan versions and approval, milestones against the baseline
    risks      Risks: likelihood × impact, owners, reviews
    tracking   How a project stands against its plan (`project show`, `today`)

The names below are the area's public API, for the other areas and layers
(`from opsctl.services.projects import ...`). Each loads its module on first use
(PEP 562), so importing the package stays cheap and a command loads only what it uses.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from opsctl.services import public_api

if TYPE_CHECKING:
    from opsctl.services.projects.closing import archive_project, cancel_project
    from opsctl.services.projects.costs import add_cost, decide_cost, list_costs, parse_amount
    from opsctl.services.projects.documents import add_document, document_chunks, get_document, list_documents
    from opsctl.services.projects.lessons import list_lessons, review_lessons
    from opsctl.services.projects.lifecycle import (
        CLOSED_TO_NEW_TASKS,
        approve_project,
        edit_project,
        get_project,
        is_member,
        key,
        new_project,
        require_writable,
        review_project,
        start_project,
        submit_project,
    )
    from opsctl.services.projects.members import add_member, ensure_member, remove_member
    from opsctl.services.projects.overview import (
        archived_count,
        last_history_text,
        list_projects,
        project_details,
        project_row,
    )
    from opsctl.services.projects.plans import (
        add_milestone,
        approve_plan,
        list_milestones,
        milestone_done,
        move_milestone,
        plan_versions,
        task_milestone,
        write_plan,
    )
    from opsctl.services.projects.risks import add_risk, close_risk, list_risks, update_risk

# name -> the module of this package that defines it
_API: dict[str, str] = {
    "archive_project": "closing",
    "cancel_project": "closing",
    "CLOSED_TO_NEW_TASKS": "lifecycle",
    "approve_project": "lifecycle",
    "edit_project": "lifecycle",
    "get_project": "lifecycle",
    "is_member": "lifecycle",
    "key": "lifecycle",
    "new_project": "lifecycle",
    "require_writable": "lifecycle",
    "review_project": "lifecycle",
    "start_project": "lifecycle",
    "submit_project": "lifecycle",
    "add_member": "members",
    "ensure_member": "members",
    "remove_member": "members",
    "archived_count": "overview",
    "last_history_text": "overview",
    "list_projects": "overview",
    "project_details": "overview",
    "project_row": "overview",
    "add_cost": "costs",
    "decide_cost": "costs",
    "list_costs": "costs",
    "parse_amount": "costs",
    "add_document": "documents",
    "document_chunks": "documents",
    "get_document": "documents",
    "list_documents": "documents",
    "list_lessons": "lessons",
    "review_lessons": "lessons",
    "add_milestone": "plans",
    "approve_plan": "plans",
    "list_milestones": "plans",
    "milestone_done": "plans",
    "move_milestone": "plans",
    "plan_versions": "plans",
    "task_milestone": "plans",
    "write_plan": "plans",
    "add_risk": "risks",
    "close_risk": "risks",
    "list_risks": "risks",
    "update_risk": "risks",
}

__all__ = [
    "CLOSED_TO_NEW_TASKS", "add_cost", "add_document", "add_member", "add_milestone", "add_risk", "approve_plan",
    "approve_project", "archive_project", "archived_count", "cancel_project", "close_risk", "decide_cost",
    "document_chunks", "edit_project", "ensure_member", "get_document", "get_project", "is_member", "key",
    "last_history_text", "list_costs", "list_documents", "list_lessons", "list_milestones", "list_projects",
    "list_risks", "milestone_done", "move_milestone", "new_project", "parse_amount", "plan_versions",
    "project_details", "project_row", "remove_member", "require_writable", "review_lessons", "review_project",
    "start_project", "submit_project", "task_milestone", "update_risk", "write_plan",
]


__getattr__, __dir__ = public_api(__name__, _API)
