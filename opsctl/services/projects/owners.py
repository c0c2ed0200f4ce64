"""Who has owned a project since its proposal, read from its history.

Every change of owner is written as part of an `edit` history line, ``owner OLD → NEW``
(logins never change and are written whole), so the owners since the proposal are the
current one and every login those parts name. Deciding on a project (approve, review) is
refused to all of them: handing a project to somebody else, approving it and taking it
back must not get round "nobody approves their own project".
"""

from __future__ import annotations

import re

from sqlmodel import Session, col, select

from opsctl.models.people import Employee
from opsctl.models.project_history import ProjectEvent
from opsctl.models.projects import Project

_OWNER_CHANGE = re.compile(r"^owner (\S+) → (\S+)$")
_PARTS = "; "  # how an edit line joins what changed


def owner_change(old: str, new: str) -> str:
    """The part of an edit line that says the owner changed (read back by `owners_since_proposal`)."""
    return f"owner {old} → {new}"


def owners_since_proposal(session: Session, project: Project) -> set[int]:
    """The ids of everyone who owns ``project`` or owned it at any time since it was proposed."""
    logins: set[str] = set()
    edits = select(ProjectEvent.text).where(ProjectEvent.project_id == project.id, ProjectEvent.step == "edit")
    for text in session.exec(edits):
        for part in (text or "").split(_PARTS):
            found = _OWNER_CHANGE.match(part)
            if found:
                logins.update(found.groups())
    past = session.exec(select(Employee.id).where(col(Employee.login).in_(logins))).all() if logins else []
    return {project.owner_id, *(person_id for person_id in past if person_id is not None)}
