"""How a project stands against its plan, for `project show`: the plan's version, the milestones
against the baseline, the high risks, the budget and spending; and, for `today`, the milestones
and risks a person owns that need them now.

A few grouped queries per project, whatever its size (500 tasks, 50 milestones and 200 costs
are read as about six).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlmodel import Session, col, func, select

from opsctl.models.people import Employee
from opsctl.models.project_plans import LessonsReview, ProjectDocument, ProjectPlan
from opsctl.models.projects import Milestone, Project


def plan_standing(session: Session, project: Project, *, today: date) -> dict[str, Any]:
    """The plan's newest version and its status, milestones with their slip, high risks, the budget."""
    from opsctl.services.projects.costs import budget_figures
    from opsctl.services.projects.plans import milestone_rows
    from opsctl.services.projects.risks import high_risks

    plan = session.exec(select(ProjectPlan.version, ProjectPlan.approved_at)
                        .where(ProjectPlan.project_id == project.id)
                        .order_by(col(ProjectPlan.version).desc())).first()
    documents = session.exec(select(func.count()).where(ProjectDocument.project_id == project.id)).one()
    lessons = session.exec(select(func.count()).where(LessonsReview.project_id == project.id)).one()
    milestones = milestone_rows(session, project, today=today)
    spending = budget_figures(session, project)
    return {
        "plan_version": plan[0] if plan else None,
        "plan_status": None if plan is None else "approved" if plan[1] else "draft",
        "milestones": milestones,
        "milestones_slipped": sum(1 for m in milestones if (m["slip_days"] or 0) > 0),
        "high_risks": high_risks(session, project, today=today),
        "cost_approved": spending["approved"],
        "cost_pending": spending["pending"],
        "budget_remaining": spending["remaining"],
        "budget_used_pct": spending["used_pct"],
        "budget_warning": spending["warning"],
        "documents": int(documents),
        "lessons_reviews": int(lessons),
    }


def today_facts(session: Session, *, person: Employee, today: date, now: datetime) -> dict[str, Any] | None:
    """For `opsctl today`: the person's high risks and risks due for review, and their overdue
    milestones (None when there are none)."""
    from opsctl.services.projects.risks import risks_to_watch

    milestones = [
        {"id": milestone.id, "project": code, "title": milestone.title, "due": milestone.due,
         "days_late": (today - milestone.due).days}
        for milestone, code in session.exec(
            select(Milestone, Project.code).join(Project, col(Milestone.project_id) == Project.id)
            .where(Milestone.owner_id == person.id, col(Milestone.done_on).is_(None), col(Milestone.due) < today,
                   col(Project.status).not_in(("accepted", "cancelled", "archived")))
            .order_by(col(Milestone.due))
        )
    ]
    risks = risks_to_watch(session, person=person, today=today)
    if not milestones and not risks:
        return None
    return {"risks": risks, "milestones": milestones}
