"""A project's documents, stored in the database: requirements, plans, reports, minutes.

A file is read twice, a chunk at a time, never whole: once for its SHA-256 and size, and, when
that content is not stored yet, once more into `DocumentChunk` rows (a file that changed in
between is refused). The same content filed twice, in any project, is one `DocumentBlob`.
The size limit (`projects.document_limit_mib`) is checked from the file's size before a byte
is read. Documents are read by the project's owner and members, their managers, HR and admins
(`access.SIGHT["project_documents"]`); an archived project's documents stay, read-only.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy import insert
from sqlmodel import Session, col, func, select

from opsctl.errors import Conflict, InvalidInput, NotFound
from opsctl.models.people import Employee
from opsctl.models.project_plans import DOCUMENT_KINDS, DocumentBlob, DocumentChunk, ProjectDocument
from opsctl.models.projects import Project
from opsctl.services.projects.lifecycle import get_project, key, require_writable
from opsctl.services.projects.members import project_people, require_on_project

CHUNK = 1024 * 1024
MIB = 1024 * 1024


@dataclass(frozen=True)
class Document:
    """A filed document with its content's hash and size, and where it belongs."""

    row: ProjectDocument
    blob: DocumentBlob
    project: Project
    login: str

    def data(self) -> dict[str, Any]:
        return {"id": self.row.id, "project": self.project.code, "name": self.row.name, "kind": self.row.kind,
                "size": self.blob.size, "sha256": self.blob.sha256, "login": self.login,
                "added_at": self.row.added_at}


def size_limit(session: Session) -> int:
    from opsctl.services.config import get_setting

    return int(get_setting(session, "projects.document_limit_mib")) * MIB


def _kind(kind: str) -> str:
    value = kind.strip().lower()
    if value not in DOCUMENT_KINDS:
        raise InvalidInput(f"--kind: unknown document kind {kind!r}; kinds: {', '.join(DOCUMENT_KINDS)}")
    return value


def _checked_file(path: Path, limit: int) -> int:
    """The file's size, refusing a missing file (3), a folder or something else, and one over the limit (1)."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise NotFound(f"no file {path}; check the path") from None
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror or exc}") from None
    if path.is_dir():
        raise InvalidInput(f"{path} is a folder; give a file (zip a folder to file it whole)")
    if not path.is_file():
        raise InvalidInput(f"{path} is not a regular file; give a file")
    if info.st_size > limit:
        raise InvalidInput(f"{path.name} is {info.st_size / MIB:.1f} MiB; documents may be at most "
                           f"{limit // MIB} MiB (setting projects.document_limit_mib)")
    if info.st_size == 0:
        raise InvalidInput(f"{path.name} is empty; there is nothing to file")
    return info.st_size


def _chunks(source: BinaryIO, limit: int, path: Path) -> Iterator[bytes]:
    total = 0
    while chunk := source.read(CHUNK):
        total += len(chunk)
        if total > limit:
            raise InvalidInput(f"{path.name} grew past the limit of {limit // MIB} MiB while it was read")
        yield chunk


def _open(path: Path) -> BinaryIO:
    try:
        return path.open("rb")
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror or exc}") from None


def _digest(path: Path, limit: int) -> tuple[str, int]:
    hashed, size = hashlib.sha256(), 0
    with _open(path) as source:
        for chunk in _chunks(source, limit, path):
            hashed.update(chunk)
            size += len(chunk)
    return hashed.hexdigest(), size


def _store(session: Session, path: Path, limit: int, *, sha256: str, size: int, now: datetime) -> DocumentBlob:
    """The blob of that content: the stored one, or a new one written a chunk at a time."""
    blob = session.exec(select(DocumentBlob).where(DocumentBlob.sha256 == sha256)).first()
    if blob is not None:
        return blob
    blob = DocumentBlob(sha256=sha256, size=size, created_at=now)
    session.add(blob)
    session.flush()
    hashed, written = hashlib.sha256(), 0
    with _open(path) as source:
        for seq, chunk in enumerate(_chunks(source, limit, path)):
            hashed.update(chunk)
            written += len(chunk)
            session.execute(insert(DocumentChunk).values(blob_id=blob.id, seq=seq, data=chunk))
    if hashed.hexdigest() != sha256 or written != size:
        raise Conflict(f"{path.name} changed while it was read; file it again once it is complete")
    return blob


def add_document(session: Session, *, actor: Employee, now: datetime, code: str, path: Path,
                 kind: str = "other") -> Document:
    """File ``path`` with a project (anyone on it): stored whole in the database, its content once."""
    project = get_project(session, code)
    require_writable(project, what="its documents")
    require_on_project(session, actor, project, action="file documents with")
    kind = _kind(kind)
    limit = size_limit(session)
    _checked_file(path, limit)
    sha256, size = _digest(path, limit)
    blob = _store(session, path, limit, sha256=sha256, size=size, now=now)
    row = ProjectDocument(project_id=key(project), blob_id=key_of(blob), name=path.name[:255], kind=kind,
                          added_by_id=key(actor), added_at=now)
    session.add(row)
    project.updated_at = now
    session.flush()
    return Document(row, blob, project, actor.login)


def key_of(blob: DocumentBlob) -> int:
    if blob.id is None:
        raise ValueError("the blob has no id yet; flush it first")
    return blob.id


def require_readable(session: Session, viewer: Employee, project: Project) -> None:
    """The project's people, their managers, HR and admins (exit 4 for anyone else)."""
    from opsctl.services.access import require_employee, require_see_any

    require_employee(session, viewer)
    require_see_any(session, viewer, project_people(session, project), "project_documents",
                    what=f"the documents of {project.code}")


def get_document(session: Session, *, viewer: Employee, document_id: int) -> Document:
    """A document, if ``viewer`` may read it; `document_chunks` gives its content."""
    from opsctl.services.access import require_employee

    require_employee(session, viewer)
    row = session.get(ProjectDocument, document_id)
    if row is None:
        raise NotFound(f"no document #{document_id}; see `opsctl project doc list CODE`")
    project = session.get(Project, row.project_id)
    blob = session.get(DocumentBlob, row.blob_id)
    assert project is not None and blob is not None  # foreign keys
    require_readable(session, viewer, project)
    login = session.exec(select(Employee.login).where(Employee.id == row.added_by_id)).one()
    return Document(row, blob, project, login)


def document_chunks(session: Session, document: Document) -> Iterator[bytes]:
    """The content, a chunk at a time (one row in memory at once)."""
    query = (select(DocumentChunk.data).where(DocumentChunk.blob_id == document.blob.id)
             .order_by(col(DocumentChunk.seq)).execution_options(yield_per=1))
    for (data,) in session.execute(query):
        yield data


def list_documents(session: Session, *, viewer: Employee, code: str) -> list[dict[str, Any]]:
    """A project's documents, the newest first (for those who may read them)."""
    project = get_project(session, code)
    require_readable(session, viewer, project)
    found = session.exec(
        select(ProjectDocument, DocumentBlob, Employee.login)
        .join(DocumentBlob, col(ProjectDocument.blob_id) == DocumentBlob.id)
        .join(Employee, col(ProjectDocument.added_by_id) == Employee.id)
        .where(ProjectDocument.project_id == project.id)
        .order_by(col(ProjectDocument.added_at).desc(), col(ProjectDocument.id).desc())
    ).all()
    return [Document(row, blob, project, login).data() for row, blob, login in found]


def document_kinds(session: Session, project: Project) -> dict[str, int]:
    """How many documents of each kind a project has (the papers `project archive` asks for)."""
    query = (select(ProjectDocument.kind, func.count()).where(ProjectDocument.project_id == project.id)
             .group_by(ProjectDocument.kind))
    return {kind: int(count) for kind, count in session.exec(query)}
