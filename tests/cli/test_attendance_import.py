"""`attend import` of ZKTeco device logs through the command line: the layout said, the
kinds right, a mixed file refused in one line."""

from __future__ import annotations

from sqlmodel import Session

from tests.conftest import Cli, MakeFile, People, one_line_error

# This morning's punches (the test clock is Wed 2026-03-18 09:30 Shanghai) from device 1's USB download.
USB = "        7\t2026-03-18 08:55:02\t1\t0\t1\t0\r\n       42\t2026-03-18 08:58:40\t1\t0\t15\t0\r\n"


def test_a_usb_download_says_its_layout_and_attend_out_follows(
    cli: Cli, people: People, session: Session, make_file: MakeFile
) -> None:
    people.wei.badge, people.na.badge = "0007", "42"
    session.commit()
    done = cli("attend", "import", str(make_file("1_attlog.dat", USB)), "-f", "json", user="hana")
    assert done.exit_code == 0, done.error
    assert {k: done.json()[k] for k in ("source", "layout", "new")} == {
        "source": "zkteco", "layout": "zkteco-usb", "new": 2}
    table = cli("attend", "import", str(make_file("1_attlog.dat", USB)), user="hana")
    assert "zkteco-usb" in table.stdout and "0 new, 2 already stored, 0 rejected; read as zkteco-usb" in table.stderr
    log = cli("attend", "log", "wei", "-f", "json", user="wei").json()
    assert [(p["kind"], p["source"]) for p in log] == [("in", "zkteco")]  # state 0, not the device number 1
    assert cli("attend", "out", user="wei").exit_code == 0  # clocked in by the device, so out is allowed


def test_a_named_layout_and_a_mixed_file(cli: Cli, people: People, session: Session, make_file: MakeFile) -> None:
    people.wei.badge = "7"
    session.commit()
    push = make_file("attlog.txt", "7\t2026-03-18 08:55:02\t1\t0\t1\t0\n")  # fits both; named push: out
    named = cli("attend", "import", str(push), "--source", "zkteco-push", "-f", "json", user="hana")
    assert named.exit_code == 0 and named.json()["layout"] == "zkteco-push"
    assert [p["kind"] for p in cli("attend", "log", "wei", "-f", "json", user="wei").json()] == ["out"]
    mixed = make_file("mixed.dat", USB + "7\t2026-03-18 09:01:00\t0\t1\t0\t0\t0\n")
    error = one_line_error(cli("attend", "import", str(mixed), "--skip-bad", user="hana"), 1)
    assert "mixes the two ZKTeco layouts: line 1 has 6 columns but line 3 has 7" in error
    assert len(cli("attend", "log", "wei", "-f", "json", user="wei").json()) == 1  # nothing more written
    assert cli("attend", "import", str(push), "--source", "zkteco-wifi", user="hana").exit_code == 2
