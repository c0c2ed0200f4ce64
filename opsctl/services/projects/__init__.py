"""Projects: the lifecycle from proposal to archive, owners, members, the overview,
and closing.

Modules:

    closing    How a project ends
    lifecycle  The project lifecycle
    members    A project's members and reviewers
    overview   Reading projects
    owners     Who has owned a project since its proposal, read from its history

The names below are the area's public API, for the other areas and layers
(`from opsctl.services.projects import ...`). Each loads its module on first use
(PEP 562), so importing the package stays cheap and a command loads only what it uses.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from opsctl.services import public_api

if TYPE_CHECKING:
    from opsctl.services.projects.closing import archive_project, cancel_project
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
}

__all__ = [
    "CLOSED_TO_NEW_TASKS", "add_member", "approve_project", "archive_project", "archived_count", "cancel_project",
    "edit_project", "ensure_member", "get_project", "is_member", "key", "last_history_text", "list_projects",
    "new_project", "project_details", "project_row", "remove_member", "require_writable", "review_project",
    "start_project", "submit_project",
]


__getattr__, __dir__ = public_api(__name__, _API)
