"""Output files: checked before any work, written whole, an existing one kept unless forced."""

from __future__ import annotations

from pathlib import Path

import pytest

from opsctl.errors import Conflict, InvalidInput, StorageError
from opsctl.reports.outfile import check_output, write_text, write_whole
from tests.reports.test_excel import unwritable_folder


def test_output_paths_are_checked_before_any_work(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match=f"the folder {tmp_path / 'nope'} does not exist; create it or "
                                           "choose another --out path"):
        check_output(tmp_path / "nope" / "a.ics", option="--out", force=True)
    with pytest.raises(InvalidInput, match=f"is a folder; give a file name such as {tmp_path / 'x.md'}"):
        check_output(tmp_path, example="x.md", force=True)
    (tmp_path / "a.ics").write_text("mine")
    with pytest.raises(Conflict, match=r"a\.ics already exists; add --force to replace it"):
        check_output(tmp_path / "a.ics", force=False)
    assert check_output(tmp_path / "a.ics", force=True) == tmp_path / "a.ics"
    assert check_output(tmp_path / "any.suffix", force=True) == tmp_path / "any.suffix"  # only workbooks insist on one


def test_an_unwritable_folder_is_named(tmp_path: Path) -> None:
    folder = unwritable_folder(tmp_path)
    with pytest.raises(InvalidInput, match=f"the folder {folder} is not writable"):
        check_output(folder / "a.ics", force=True)
        write_text(folder / "a.ics", "x", force=True)  # root passes the first check, not this one


def test_text_is_written_whole_with_its_line_endings(tmp_path: Path) -> None:
    target = tmp_path / "a.ics"
    write_text(target, "BEGIN:VCALENDAR\r\nSUMMARY:周会\r\nEND:VCALENDAR\r\n", force=False)
    assert target.read_bytes() == "BEGIN:VCALENDAR\r\nSUMMARY:周会\r\nEND:VCALENDAR\r\n".encode()
    with pytest.raises(Conflict):  # a file that appeared meanwhile is kept without --force
        write_text(target, "other", force=False)
    write_text(target, "replaced\n", force=True)
    assert target.read_text() == "replaced\n"


def test_a_failed_write_leaves_the_old_file_and_no_temporary_one(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "a.md"
    target.write_text("mine")

    def broken(temp: str) -> None:
        Path(temp).write_text("half")
        raise OSError(28, "No space left on device")

    with pytest.raises(StorageError, match=r"cannot write .*a\.md: No space left on device"):
        write_whole(target, broken, force=True)
    assert target.read_text() == "mine"
    assert [p.name for p in folder.iterdir()] == ["a.md"]
