"""ZKTeco logs as devices really write them: the USB download and the network push, told
apart by their content, every variant read or refused with its line and reason."""

from __future__ import annotations

import codecs
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session, col, func, select

from opsctl.clock import FixedClock
from opsctl.errors import InvalidInput
from opsctl.models.attendance import Punch
from opsctl.models.people import Employee
from opsctl.services.attendance.imports import detect_source
from tests.conftest import People
from tests.services.attendance.test_imports import run

TZ = ZoneInfo("Asia/Shanghai")
KINDS = {0: "in", 1: "out", 2: "out", 3: "in", 4: "in", 5: "out", 255: None}

# wei's day and na's morning as device 1 writes them to a USB stick (PIN right-aligned in nine).
USB = ("        7\t2026-03-16 08:58:12\t1\t0\t1\t0\r\n"
       "       42\t2026-03-16 09:01:40\t1\t0\t15\t0\r\n"
       "        7\t2026-03-16 12:01:05\t1\t2\t1\t0\r\n"
       "        7\t2026-03-16 12:58:30\t1\t3\t1\t0\r\n"
       "        7\t2026-03-16 18:03:20\t1\t1\t1\t0\r\n")
# The same punches as the device pushes them to an ADMS server (ATTLOG).
PUSH = ("7\t2026-03-16 08:58:12\t0\t1\t0\t0\t0\n"
        "42\t2026-03-16 09:01:40\t0\t15\t0\t0\t0\n"
        "7\t2026-03-16 12:01:05\t2\t1\t0\t0\t0\n"
        "7\t2026-03-16 12:58:30\t3\t1\t0\t0\t0\n"
        "7\t2026-03-16 18:03:20\t1\t1\t0\t0\t0\n")
EXPECTED = [("wei", datetime(2026, 3, 16, 0, 58, 12, tzinfo=UTC), "in"),
            ("na", datetime(2026, 3, 16, 1, 1, 40, tzinfo=UTC), "in"),
            ("wei", datetime(2026, 3, 16, 4, 1, 5, tzinfo=UTC), "out"),
            ("wei", datetime(2026, 3, 16, 4, 58, 30, tzinfo=UTC), "in"),
            ("wei", datetime(2026, 3, 16, 10, 3, 20, tzinfo=UTC), "out")]


@pytest.fixture
def badges(session: Session, people: People) -> People:
    """wei's badge is 0007 and na's 42, as HR typed them in."""
    people.wei.badge, people.na.badge = "0007", "42"
    session.flush()
    return people


def write(tmp_path: Path, data: bytes | str, name: str = "1_attlog.dat") -> Path:
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def stored(session: Session) -> list[tuple[str, datetime, str | None]]:
    rows = session.exec(select(Employee.login, Punch.at, Punch.kind)
                        .join(Employee, col(Employee.id) == Punch.employee_id).order_by(col(Punch.at))).all()
    return [(login, at, kind) for login, at, kind in rows]


def count(session: Session) -> int:
    return int(session.exec(select(func.count()).select_from(Punch)).one())


def test_a_usb_download_reads_the_state_from_the_fourth_column(
    session: Session, badges: People, clock: FixedClock, tmp_path: Path
) -> None:
    path = write(tmp_path, USB)
    assert detect_source(path) == "zkteco"
    report = run(session, badges, clock, path)
    assert (report.source, report.layout, report.new, report.rejected) == ("zkteco", "zkteco-usb", 5, [])
    assert report.record()["layout"] == "zkteco-usb"
    assert stored(session) == EXPECTED


def test_a_network_push_reads_the_state_from_the_third_column(
    session: Session, badges: People, clock: FixedClock, tmp_path: Path
) -> None:
    report = run(session, badges, clock, write(tmp_path, PUSH, "attlog.txt"))
    assert (report.layout, report.new) == ("zkteco-push", 5)
    assert stored(session) == EXPECTED


VARIANTS = {
    "runs of spaces": lambda text: text.replace("\t", "   "),
    "single spaces": lambda text: "\n".join(" ".join(line.split()) for line in text.splitlines()) + "\n",
    "CRLF": lambda text: text.replace("\r\n", "\n").replace("\n", "\r\n"),
    "LF": lambda text: text.replace("\r\n", "\n"),
    "blank lines": lambda text: "\n" + text.replace("\n", "\n\n", 2) + "\n  \n",
    "padded badges": lambda text: "\n".join(f"   {line.strip()}" for line in text.splitlines()) + "\n",
    "leading zeros": lambda text: "\n".join(f"000{line.strip()}" for line in text.splitlines()) + "\n",
    "Ctrl-Z at the end": lambda text: text + "\x1a",
    "Ctrl-Z after no newline": lambda text: text.rstrip() + "\x1a",
}
ENCODINGS = {
    "UTF-8 BOM": lambda text: codecs.BOM_UTF8 + text.encode("utf-8"),
    "UTF-16 BOM": lambda text: text.encode("utf-16"),
}


@pytest.mark.parametrize("layout, text", [("zkteco-usb", USB), ("zkteco-push", PUSH)])
@pytest.mark.parametrize("variant", [*VARIANTS, *ENCODINGS])
def test_what_devices_and_their_tools_write_is_read_alike(
    session: Session, badges: People, clock: FixedClock, tmp_path: Path, layout: str, text: str, variant: str
) -> None:
    data = ENCODINGS[variant](text) if variant in ENCODINGS else VARIANTS[variant](text)
    path = write(tmp_path, data)
    assert detect_source(path) == "zkteco"
    report = run(session, badges, clock, path)
    assert (report.layout, report.new, report.rejected) == (layout, 5, [])
    assert stored(session) == EXPECTED


def test_kinds_match_the_device_states_row_for_row(
    session: Session, people: People, clock: FixedClock, tmp_path: Path
) -> None:
    """The issue's real file: every state of every row lands as its kind (a smaller one here;
    tests/benchmarks has the 24,162 rows)."""
    from datetime import date

    from tests.benchmarks.generate_attendance import write_zkteco_usb_log

    badges: dict[str, str] = {}
    for person in (people.wei, people.na, people.leo, people.sam):
        assert person.badge is not None
        badges[person.badge] = person.login
    path = Path(write_zkteco_usb_log(tmp_path / "1_attlog.dat", rows=600, badges=list(badges),
                                     start=date(2025, 12, 1)))
    expected = {}
    for line in path.read_text(encoding="ascii").splitlines():
        pin, day, clock_time, _device, state, _, _ = line.split()
        local = datetime.fromisoformat(f"{day} {clock_time}").replace(tzinfo=TZ)
        expected[(badges[pin], local.astimezone(UTC))] = KINDS[int(state)]
    assert {KINDS[s] for s in KINDS} == set(expected.values())  # every state occurs
    report = run(session, people, clock, path)
    assert (report.layout, report.new) == ("zkteco-usb", 600)
    assert {(login, at): kind for login, at, kind in stored(session)} == expected


def test_badges_compare_as_numbers_when_both_are_digits(
    session: Session, people: People, clock: FixedClock, tmp_path: Path
) -> None:
    people.wei.badge, people.na.badge, people.sam.badge = "0007", "B-12", "88"
    session.flush()
    text = ("7\t2026-03-16 08:58:12\t0\t1\t0\t0\t0\n"   # 0007
            "007\t2026-03-16 18:00:00\t1\t1\t0\t0\t0\n"  # 0007
            "B-12\t2026-03-16 08:40:00\t0\t1\t0\t0\t0\n"
            "b-12\t2026-03-16 18:10:00\t1\t1\t0\t0\t0\n"  # not B-12
            "B-012\t2026-03-16 18:11:00\t1\t1\t0\t0\t0\n"  # not B-12 either
            "0088\t2026-03-16 09:00:00\t0\t1\t0\t0\t0\n")
    report = run(session, people, clock, write(tmp_path, text), skip_bad=True)
    assert report.rejected == [(4, "unknown badge 'b-12'"), (5, "unknown badge 'B-012'")]
    assert [(login, kind) for login, _, kind in stored(session)] == [
        ("na", "in"), ("wei", "in"), ("sam", "in"), ("wei", "out")]


def test_two_badges_that_are_one_number_are_no_match(
    session: Session, people: People, clock: FixedClock, tmp_path: Path
) -> None:
    people.wei.badge, people.na.badge = "7", "007"
    session.flush()
    with pytest.raises(InvalidInput, match="line 1: badge '07' could be '007' and '7'; give those people badges"):
        run(session, people, clock, write(tmp_path, "07\t2026-03-16 08:58:12\t0\t1\t0\t0\t0\n"))


def test_the_layout_is_told_by_the_whole_file_not_its_first_line(
    session: Session, badges: People, clock: FixedClock, tmp_path: Path
) -> None:
    # Six columns, first line fits both (third 1, fourth 1); line 2's third column 0 is a state.
    six = "7\t2026-03-16 18:03:20\t1\t1\t0\t0\n7\t2026-03-16 08:58:12\t0\t1\t0\t0\n"
    assert run(session, badges, clock, write(tmp_path, six), dry_run=True).layout == "zkteco-push"
    # Device 12: a third column no state can be.
    usb12 = "7\t2026-03-16 08:58:12\t12\t0\t1\t0\n7\t2026-03-16 18:03:20\t12\t1\t1\t0\n"
    report = run(session, badges, clock, write(tmp_path, usb12))
    assert report.layout == "zkteco-usb" and [k for _, _, k in stored(session)] == ["in", "out"]
    # A fourth column of 15 is a verify mode (face), so the third is the state.
    face = "42\t2026-03-17 08:50:00\t1\t15\t0\t0\n"
    assert run(session, badges, clock, write(tmp_path, face), dry_run=True).layout == "zkteco-push"
    # Nothing tells: a USB download of device 1 (a push log where nobody ever checked in is no real one).
    neutral = "7\t2026-03-17 08:50:00\t1\t0\t1\t0\n7\t2026-03-17 18:10:00\t1\t1\t1\t0\n"
    assert run(session, badges, clock, write(tmp_path, neutral), dry_run=True).layout == "zkteco-usb"


def test_a_file_mixing_the_layouts_is_refused_whole_naming_the_line(
    session: Session, badges: People, clock: FixedClock, tmp_path: Path
) -> None:
    mixed = USB + "7\t2026-03-16 19:00:00\t0\t1\t0\t0\t0\r\n"  # a push line at line 6
    for skip_bad in (False, True):
        with pytest.raises(InvalidInput) as error:
            run(session, badges, clock, write(tmp_path, mixed), skip_bad=skip_bad)
        message = error.value.message
        assert "mixes the two ZKTeco layouts" in message and "nothing was imported" in message
        assert "line 1 has 6 columns but line 6 has 7" in message
    device12 = "7\t2026-03-16 08:58:12\t12\t0\t1\t0\n\n7\t2026-03-16 18:03:20\t0\t1\t1\t0\n"
    with pytest.raises(InvalidInput, match=r"line 1 is a USB download line .*third column 12 is a device number.* "
                                           r"but line 3 is a network-push line .*third column 0 is a state"):
        run(session, badges, clock, write(tmp_path, device12))
    assert count(session) == 0


def test_every_bad_line_is_named_and_nothing_is_written(
    session: Session, badges: People, clock: FixedClock, tmp_path: Path
) -> None:
    text = ("        7\t2026-03-16 08:58:12\t12\t0\t1\t0\r\n"      # device 12: a USB download
            "        7\t2026-03-16 18:03:20\t12\t9\t1\t0\r\n"      # 2: no such state
            "        7\t2026-03-16 18:04:20\t12\tx\t1\t0\r\n"      # 3: not a number
            "garbage\r\n"                                          # 4
            "       99\t2026-03-16 09:00:00\t12\t0\t1\t0\r\n"      # 5: nobody's badge
            "       42\t2026-03-16 25:00:00\t12\t0\t1\t0\r\n"      # 6: no such hour
            "       42\t2026-03-19 09:00:00\t12\t0\t1\t0\r\n")     # 7: tomorrow
    with pytest.raises(InvalidInput) as error:
        run(session, badges, clock, write(tmp_path, text))
    message = error.value.message
    assert "6 bad row(s), nothing was imported" in message
    assert "line 2: unknown state 9 (ZKTeco states are 0–5, or 255 for none)" in message
    assert "line 3: state 'x' is not a number" in message
    assert "line 4: expected badge and time, got too few columns" in message
    assert "line 5: unknown badge '99'" in message
    assert "line 6: " in message and "hour 25 does not exist" in message
    assert "line 7: 2026-03-19 09:00:00 is in the future" in message
    assert count(session) == 0
    report = run(session, badges, clock, write(tmp_path, text), skip_bad=True)
    assert report.new == 1 and [line for line, _ in report.rejected] == [2, 3, 4, 5, 6, 7]


def test_a_named_layout_makes_lines_that_do_not_fit_it_bad_rows(
    session: Session, badges: People, clock: FixedClock, tmp_path: Path
) -> None:
    with pytest.raises(InvalidInput, match=r"line 1: 7 columns; a USB download line .* has 6"):
        run(session, badges, clock, write(tmp_path, PUSH), source="zkteco-usb")
    usb12 = "7\t2026-03-16 08:58:12\t12\t0\t1\t0\n"
    with pytest.raises(InvalidInput, match="line 1: unknown state 12"):
        run(session, badges, clock, write(tmp_path, usb12), source="zkteco-push")
    # A file that fits both is read the way it is named.
    both = "7\t2026-03-16 08:58:12\t1\t0\t1\t0\n"
    assert run(session, badges, clock, write(tmp_path, both), source="zkteco-push", dry_run=True).layout \
        == "zkteco-push"
    report = run(session, badges, clock, write(tmp_path, both), source="zkteco-usb")
    assert (report.source, report.layout) == ("zkteco", "zkteco-usb") and stored(session)[0][2] == "in"


def test_an_empty_log_or_a_lone_ctrl_z_holds_no_punches(
    session: Session, badges: People, clock: FixedClock, tmp_path: Path
) -> None:
    with pytest.raises(InvalidInput, match="holds no punches"):
        run(session, badges, clock, write(tmp_path, "\r\n\r\n\x1a"), source="zkteco")
    with pytest.raises(InvalidInput, match="is not a text file"):
        run(session, badges, clock, write(tmp_path, b"\x00\xff\xfe\x81 binary"), source="zkteco")
