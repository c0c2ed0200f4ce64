"""Tasks: adding and listing by urgency, the status steps, and the weekly plan.

Modules:

    comments  Comments on a task
    core   Tasks
    plan   The weekly plan (`task week`)
    steps  Changing tasks
    today  The `opsctl today` section (light: the models only when a task is listed)

The names below are the area's public API, for the other areas and layers
(`from opsctl.services.tasks import ...`). Each loads its module on first use
(PEP 562), so importing the package stays cheap and a command loads only what it uses.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from opsctl.services import public_api

if TYPE_CHECKING:
    from opsctl.services.tasks.comments import comment_task
    from opsctl.services.tasks.core import (
        add_task,
        get_task,
        list_tasks,
        only_mine,
        parse_day,
        person_named,
        task_details,
        task_row,
    )
    from opsctl.services.tasks.plan import WeekPlan, week_plan
    from opsctl.services.tasks.steps import (
        allowed_task_steps,
        assign_task,
        block_task,
        change_task_status,
        done_task,
        edit_task,
        take_task_step,
    )

# name -> the module of this package that defines it
_API: dict[str, str] = {
    "comment_task": "comments",
    "add_task": "core",
    "get_task": "core",
    "list_tasks": "core",
    "only_mine": "core",
    "parse_day": "core",
    "person_named": "core",
    "task_details": "core",
    "task_row": "core",
    "WeekPlan": "plan",
    "week_plan": "plan",
    "allowed_task_steps": "steps",
    "assign_task": "steps",
    "block_task": "steps",
    "change_task_status": "steps",
    "done_task": "steps",
    "edit_task": "steps",
    "take_task_step": "steps",
}

__all__ = [
    "WeekPlan", "add_task", "allowed_task_steps", "assign_task", "block_task", "change_task_status", "comment_task",
    "done_task", "edit_task", "get_task", "list_tasks", "only_mine", "parse_day", "person_named", "take_task_step",
    "task_details", "task_row", "week_plan",
]


__getattr__, __dir__ = public_api(__name__, _API)
