"""The lessons-learned review (复盘) at a project's end, and the papers archiving asks for.

A project is archived once its story is filed: an accepted one needs its acceptance report
(a document of kind ``report``) and a lessons review; a cancelled one the lessons review.
`project archive --force` archives without them and says so in the history.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from opsctl.errors import Conflict
from opsctl.models.people import Employee
from opsctl.models.project_plans import LessonsReview
from opsctl.models.projects import Project
from opsctl.services.access import require_employee
from opsctl.services.projects.lifecycle import _record, _text, get_project, key, require_owner_side, require_writable

MAX_LESSON = 5_000
REVIEWABLE = ("active", "in_review", "accepted", "cancelled")  # once there is something to learn from


def review_lessons(session: Session, *, actor: Employee, now: datetime, code: str, went_well: str,
                   went_badly: str, actions: str) -> LessonsReview:
    """Write the lessons review (the owner's side); a later one is the newer version, all are kept."""
    project = get_project(session, code, lock=True)
    require_writable(project, what="its lessons review")
    if project.status not in REVIEWABLE:
        raise Conflict(f"project {project.code} is {project.status}; the lessons review comes once it has run "
                       f"(statuses: {', '.join(REVIEWABLE)})")
    require_owner_side(session, actor, project, action="write the lessons review of")
    review = LessonsReview(
        project_id=key(project), went_well=_text(went_well, what="what went well (--went-well)", limit=MAX_LESSON),
        went_badly=_text(went_badly, what="what did not go well (--went-badly)", limit=MAX_LESSON),
        actions=_text(actions, what="actions to take (--actions)", limit=MAX_LESSON),
        author_id=key(actor), written_at=now,
    )
    session.add(review)
    project.updated_at = now
    session.flush()
    _record(session, project, actor=actor, now=now, step="lessons", previous=project.status,
            text="lessons review written")
    return review


def list_lessons(session: Session, *, viewer: Employee, code: str | None = None) -> list[dict[str, Any]]:
    """Lessons reviews across projects (or of one), the newest first: what a new project can learn from."""
    require_employee(session, viewer)
    query = (select(LessonsReview, Project.code, Project.name, Project.status, Employee.login)  # type: ignore[call-overload]
             .join(Project, col(LessonsReview.project_id) == Project.id)
             .join(Employee, col(LessonsReview.author_id) == Employee.id))
    if code is not None:
        query = query.where(LessonsReview.project_id == get_project(session, code).id)
    found = session.exec(query.order_by(col(LessonsReview.written_at).desc(), col(LessonsReview.id).desc())).all()
    return [lesson_row(review, code=project_code, name=name, status=status, login=login)
            for review, project_code, name, status, login in found]


def lesson_row(review: LessonsReview, *, code: str, name: str, status: str, login: str) -> dict[str, Any]:
    return {"id": review.id, "project": code, "name": name, "status": status, "login": login,
            "written_at": review.written_at, "went_well": review.went_well, "went_badly": review.went_badly,
            "actions": review.actions}


def missing_papers(session: Session, project: Project) -> list[str]:
    """What archiving ``project`` still asks for: its acceptance report, its lessons review."""
    from opsctl.services.projects.documents import document_kinds

    missing = []
    if project.status == "accepted" and not document_kinds(session, project).get("report"):
        missing.append(f"an acceptance report (`opsctl project doc add {project.code} FILE --kind report`)")
    if session.exec(select(LessonsReview.id).where(LessonsReview.project_id == project.id)).first() is None:
        missing.append(f"a lessons review (`opsctl project review-lessons {project.code} --went-well TEXT "
                       "--went-badly TEXT --actions TEXT`)")
    return missing


def closing_papers(session: Session, project: Project, *, force: bool) -> str | None:
    """Refuse to archive without the papers (exit 5), unless ``force``: then what is missing, for the history."""
    missing = missing_papers(session, project)
    if not missing:
        return None
    if not force:
        raise Conflict(f"project {project.code} cannot be archived without {' and '.join(missing)}; "
                       "or archive it anyway with --force")
    return "archived without " + " and ".join(text.split(" (")[0] for text in missing)
