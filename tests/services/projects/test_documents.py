"""Documents: stored in the database a chunk at a time, the same content once, the size limit checked
before reading, who may read them, archived projects read-only."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from sqlmodel import Session, func, select

from opsctl.clock import FixedClock
from opsctl.errors import Conflict, InvalidInput, NotAllowed, NotFound
from opsctl.models.project_plans import DocumentBlob, DocumentChunk
from opsctl.models.projects import Project
from opsctl.services.config import set_setting
from opsctl.services.projects import closing, documents
from opsctl.services.projects import lifecycle as pj
from tests.conftest import People, pk


def _file(tmp_path: Path, name: str, size: int, seed: int = 1) -> Path:
    path = tmp_path / name
    block = hashlib.sha256(str(seed).encode()).digest() * 2048  # 64 KiB
    path.write_bytes((block * (size // len(block) + 1))[:size])
    return path


def test_a_file_is_stored_in_chunks_and_the_same_content_once(
    session: Session, people: People, clock: FixedClock, active_web: Project, tmp_path: Path
) -> None:
    big = _file(tmp_path, "report.pdf", 2 * documents.CHUNK + 5)
    first = documents.add_document(session, actor=people.na, now=clock.now(), code="WEB", path=big, kind="report")
    copy = big.with_name("copy.pdf")
    copy.write_bytes(big.read_bytes())
    second = documents.add_document(session, actor=people.wei, now=clock.now(), code="web", path=copy)
    assert first.blob.id == second.blob.id and first.row.id != second.row.id
    assert first.data()["sha256"] == hashlib.sha256(big.read_bytes()).hexdigest()
    assert session.exec(select(func.count()).select_from(DocumentBlob)).one() == 1
    assert session.exec(select(func.count()).select_from(DocumentChunk)).one() == 3
    got = documents.get_document(session, viewer=people.mona, document_id=pk(second.row))
    assert b"".join(documents.document_chunks(session, got)) == big.read_bytes()
    rows = documents.list_documents(session, viewer=people.na, code="WEB")
    assert [(r["name"], r["kind"], r["size"], r["login"]) for r in rows] == [
        ("copy.pdf", "other", 2 * documents.CHUNK + 5, "wei"), ("report.pdf", "report", 2 * documents.CHUNK + 5, "na")]


def test_a_file_over_the_limit_is_refused_before_it_is_read(
    session: Session, people: People, clock: FixedClock, active_web: Project, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    set_setting(session, actor=people.ada, key="projects.document_limit_mib", value="1")
    big = _file(tmp_path, "video.mp4", documents.MIB + 1)

    def unread(self: Path, *args: object) -> None:
        raise AssertionError(f"{self} was opened")

    monkeypatch.setattr(Path, "open", unread)
    with pytest.raises(InvalidInput, match=r"video.mp4 is 1.0 MiB; documents may be at most 1 MiB"):
        documents.add_document(session, actor=people.na, now=clock.now(), code="WEB", path=big)
    assert session.exec(select(func.count()).select_from(DocumentBlob)).one() == 0


def test_missing_files_folders_and_unknown_kinds_are_refused(
    session: Session, people: People, clock: FixedClock, active_web: Project, tmp_path: Path
) -> None:
    with pytest.raises(NotFound, match="no file"):
        documents.add_document(session, actor=people.na, now=clock.now(), code="WEB", path=tmp_path / "nope.pdf")
    with pytest.raises(InvalidInput, match="is a folder; give a file"):
        documents.add_document(session, actor=people.na, now=clock.now(), code="WEB", path=tmp_path)
    with pytest.raises(InvalidInput, match="is empty"):
        documents.add_document(session, actor=people.na, now=clock.now(), code="WEB", path=_file(tmp_path, "e", 0))
    with pytest.raises(InvalidInput, match="unknown document kind 'contract'"):
        documents.add_document(session, actor=people.na, now=clock.now(), code="WEB", path=_file(tmp_path, "a", 9),
                               kind="contract")


def test_documents_are_read_by_the_projects_people_their_managers_hr_and_admins(
    session: Session, people: People, clock: FixedClock, active_web: Project, tmp_path: Path
) -> None:
    row = documents.add_document(session, actor=people.na, now=clock.now(), code="WEB", path=_file(tmp_path, "a", 9))
    for reader in ("wei", "na", "mona", "hana", "ada"):
        assert documents.get_document(session, viewer=people.by_login[reader], document_id=pk(row.row)).row.id
    for outsider in ("sam", "leo"):  # leo leads wei's team but manages nobody on the project
        with pytest.raises(NotAllowed, match=f"{outsider} may not see the documents of WEB"):
            documents.get_document(session, viewer=people.by_login[outsider], document_id=pk(row.row))
        with pytest.raises(NotAllowed):
            documents.list_documents(session, viewer=people.by_login[outsider], code="WEB")
    with pytest.raises(NotAllowed, match="sam may not file documents with project WEB"):
        documents.add_document(session, actor=people.sam, now=clock.now(), code="WEB", path=_file(tmp_path, "b", 9))


def test_an_archived_projects_documents_stay_read_only(
    session: Session, people: People, clock: FixedClock, active_web: Project, tmp_path: Path
) -> None:
    documents.add_document(session, actor=people.na, now=clock.now(), code="WEB", path=_file(tmp_path, "a", 9))
    pj.submit_project(session, actor=people.wei, now=clock.now(), code="WEB", summary="done")
    pj.review_project(session, actor=people.mona, now=clock.now(), code="WEB", passed=True, report="ok")
    closing.archive_project(session, actor=people.wei, now=clock.now(), code="WEB", force=True)
    with pytest.raises(Conflict, match="archived and read-only; its documents cannot change"):
        documents.add_document(session, actor=people.wei, now=clock.now(), code="WEB", path=_file(tmp_path, "b", 9))
    assert [r["name"] for r in documents.list_documents(session, viewer=people.mona, code="WEB")] == ["a"]


def test_a_big_file_is_streamed_not_read_whole(
    session: Session, people: People, clock: FixedClock, active_web: Project, tmp_path: Path
) -> None:
    import tracemalloc

    big = _file(tmp_path, "scan.pdf", 8 * documents.MIB)
    tracemalloc.start()
    try:
        documents.add_document(session, actor=people.na, now=clock.now(), code="WEB", path=big)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 4 * documents.CHUNK  # a few chunks at a time, never the 8 MiB whole
