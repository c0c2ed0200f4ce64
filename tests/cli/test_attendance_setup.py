"""`opsctl schedule` and `opsctl calendar`: what the rules are judged against."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from tests.conftest import Cli, MakeFile, People, one_line_error


def test_schedules(cli: Cli, people: People) -> None:
    empty = cli("schedule", "list", user="wei")
    assert "built-in 09:00–18:00" in empty.stdout
    made = cli("schedule", "add", "Standard", "--start", "09:00", "--end", "18:00", "--break", "12:00-13:00",
               "--late-grace", "5", "-f", "json", user="hana")
    assert made.exit_code == 0, made.error
    assert made.json() | {"id": 0} == {"id": 0, "name": "Standard", "start": "09:00", "end": "18:00",
                                       "break": "12:00-13:00", "late_grace": 5, "early_grace": 0, "days": "mon-fri",
                                       "overnight": False, "default": True}
    night = cli("schedule", "add", "Night", "--start", "22:00", "--end", "06:00", "--days", "sun-thu", "-f", "json")
    assert night.json()["overnight"] and not night.json()["default"] and night.json()["days"] == "sun-thu"
    assigned = cli("schedule", "assign", "wei", "Night", "--from", "2026-03-16", "-f", "json")
    assert assigned.json() | {"id": 0} == {"id": 0, "login": "wei", "name": "张伟", "schedule": "Night",
                                           "since": "2026-03-16"}
    listing = {row["name"]: row for row in cli("schedule", "list", "-f", "json").json()}
    assert (listing["Night"]["assigned"], listing["Standard"]["assigned"]) == (1, 0)
    assert cli("schedule", "default", "Night", "-f", "json").json()["default"] is True
    assert cli("attend", "status", "na", "-f", "json").json()["schedule"].startswith("Night")
    for args, code in (
        (("add", "Standard", "--start", "09:00", "--end", "18:00"), 5),
        (("add", "X", "--start", "25:00", "--end", "18:00"), 1),
        (("add", "X", "--start", "09:00", "--end", "18:00", "--break", "13:00-12:00"), 1),
        (("add", "X", "--start", "09:00", "--end", "18:00", "--days", "funday"), 1),
        (("assign", "wei", "Nope"), 3),
        (("assign", "ghost", "Night"), 3),
        (("assign", "wei", "Night", "--from", "2026-02-30"), 1),
        (("assign", "wei", "Night", "--from", "2026-03-16"), 5),  # the same assignment again
    ):
        one_line_error(cli("schedule", *args), code)
    one_line_error(cli("schedule", "add", "Y", "--start", "09:00", "--end", "18:00", user="wei"), 4)
    earliest = cli("schedule", "assign", "na", "Night", "--from", "0001-01-01")  # was an OverflowError
    assert earliest.exit_code == 0, earliest.error


CALENDAR_CSV = """date,kind,name
2026-05-01,holiday,Labour Day / 劳动节
2026-05-04,off,Labour Day / 劳动节
2026-05-09,workday,Labour Day / 劳动节 make-up workday / 调休上班
"""


def test_calendar_add_list_import_remove(cli: Cli, people: People, make_file: MakeFile) -> None:
    added = cli("calendar", "add", "2026-06-19", "--kind", "holiday", "--name", "Dragon Boat", "-f", "json")
    assert added.json() == {"date": "2026-06-19", "weekday": "Fri", "kind": "holiday", "name": "Dragon Boat"}
    one_line_error(cli("calendar", "add", "2026-06-19", "--kind", "holiday", "--name", "Again"), 5)
    assert "unknown day kind 'feast'" in one_line_error(
        cli("calendar", "add", "2026-06-20", "--kind", "feast", "--name", "x"), 1)
    one_line_error(cli("calendar", "add", "2026-06-20", "--kind", "off", "--name", "x", user="wei"), 4)
    nameless = cli("calendar", "import", str(make_file("nameless.csv", "date,kind,name\n2026-10-01,holiday,\n")))
    assert "line 2: give the day a name in the name column" in one_line_error(nameless, 1)
    imported = cli("calendar", "import", str(make_file("cn.csv", CALENDAR_CSV)), "-f", "json")
    assert (imported.json()["added"], imported.json()["changed"]) == (3, 0)
    again = cli("calendar", "import", str(make_file("cn.csv", CALENDAR_CSV.replace("off,", "holiday,"))))
    assert "0 added, 1 changed, 2 unchanged" in again.stderr
    listing = cli("calendar", "list", "--year", "2026", "-f", "json").json()
    assert [(r["date"], r["kind"]) for r in listing] == [("2026-05-01", "holiday"), ("2026-05-04", "holiday"),
                                                         ("2026-05-09", "workday"), ("2026-06-19", "holiday")]
    assert cli("calendar", "rm", "2026-06-19").exit_code == 0
    one_line_error(cli("calendar", "rm", "2026-06-19"), 3)
    bad = cli("calendar", "import", str(make_file("bad.csv", "date,kind,name\n2026-02-30,holiday,x\n"
                                                             "2026-03-01,party,y\n")))
    error = one_line_error(bad, 1)
    assert "line 2: " in error and "day 30 does not exist" in error and "line 3: unknown day kind 'party'" in error
    assert "lacks kind" in one_line_error(cli("calendar", "import", str(make_file("x.csv", "date,name\n"))), 1)


def test_a_calendar_change_recounts_booked_leave_and_says_so(cli: Cli, people: People) -> None:
    asked = cli("leave", "request", "annual", "--from", "2026-06-18", "--to", "2026-06-19", "--reason", "trip",
                "-f", "json", user="wei").json()
    assert cli("leave", "approve", str(asked["id"]), user="mona").exit_code == 0
    added = cli("calendar", "add", "2026-06-19", "--kind", "holiday", "--name", "Dragon Boat", "-f", "json",
                user="hana")
    assert added.json()["kind"] == "holiday"  # stdout stays the record written
    assert added.stderr.strip() == (f"Recounted approved leave #{asked['id']} (wei, annual) now counts 1 day, "
                                    "was 2; the balance follows.")
    balance = cli("leave", "balance", "wei", "-f", "json", user="hana").json()
    assert next(b for b in balance if b["code"] == "annual")["used"] == 1


def test_a_schedule_assigned_back_in_time_says_which_punches_moved(
    cli: Cli, people: People, make_file: MakeFile
) -> None:
    punches = make_file("night.csv", "login,time\nwei,2026-03-16 21:55\nwei,2026-03-17 06:05\n")
    assert cli("attend", "import", str(punches), user="hana").exit_code == 0
    assert cli("schedule", "add", "Night", "--start", "22:00", "--end", "06:00", "--days", "mon-fri",
               user="hana").exit_code == 0  # the first schedule: everyone's default, the punches move
    assert cli("audit", "list", "--action", "schedule.add", "-f", "json").json()[0]["details"]["punches_redated"] == 1
    assert cli("schedule", "add", "Day", "--start", "09:00", "--end", "18:00", "--default", user="hana").exit_code == 0
    moved = cli("schedule", "assign", "wei", "Night", "--from", "2026-03-01", "-f", "json", user="hana")
    assert moved.json()["schedule"] == "Night"
    assert moved.stderr.strip() == "Moved 1 punch to the work date the schedule now gives."
    log = cli("attend", "log", "wei", "--from", "2026-03-16", "--to", "2026-03-17", "-f", "json").json()
    assert [p["work_date"] for p in log] == ["2026-03-16", "2026-03-16"]


def test_calendar_import_reads_icalendar(cli: Cli, people: People, tmp_path: Path) -> None:
    from icalendar import Calendar, Event

    feed = Calendar()
    feed.add("prodid", "-//test//holidays//")
    feed.add("version", "2.0")
    for summary, start, end, extra in (
        ("劳动节 假期", date(2026, 5, 1), date(2026, 5, 3), {}),
        ("劳动节 调休", date(2026, 5, 4), date(2026, 5, 6), {}),
        ("劳动节 补班", date(2026, 5, 9), date(2026, 5, 10), {}),
        ("A long, folded name that is really quite long so that the line is folded by the writer",
         date(2026, 6, 19), date(2026, 6, 20), {"categories": "holiday"}),
    ):
        event = Event()
        event.add("summary", summary)
        event.add("dtstart", start)
        event.add("dtend", end)
        for key, value in extra.items():
            event.add(key, value)
        feed.add_component(event)
    path = tmp_path / "cn.ics"
    path.write_bytes(feed.to_ical())
    result = cli("calendar", "import", str(path), "-f", "json")
    assert result.exit_code == 0, result.error
    rows = cli("calendar", "list", "--year", "2026", "-f", "json").json()
    listing = {r["date"]: (r["kind"], r["name"]) for r in rows}
    assert listing["2026-05-01"] == listing["2026-05-02"] == ("holiday", "劳动节 假期")
    assert listing["2026-05-04"][0] == listing["2026-05-05"][0] == "off"
    assert listing["2026-05-09"][0] == "workday" and "2026-05-10" not in listing
    assert listing["2026-06-19"] == ("holiday", "A long, folded name that is really quite long so that the line "
                                                "is folded by the writer")
    not_ics = tmp_path / "x.ics"
    not_ics.write_text("hello\n")
    assert "not an iCalendar file" in one_line_error(cli("calendar", "import", str(not_ics)), 1)


SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "calendars"


def _calendar(cli: Cli, *years: str) -> list[tuple[str, str, str]]:
    rows = [r for y in years for r in cli("calendar", "list", "--year", y, "-f", "json").json()]
    return [(r["date"], r["kind"], r["name"]) for r in rows]


def test_the_sample_holiday_feed_matches_the_csv_and_repeats_new_year(cli: Cli, people: People) -> None:
    """sample_data/calendars/cn-2026.ics is the CSV as a feed publishes it (all-day events, DTEND
    exclusive, kinds in CATEGORIES, folded lines); New Year's Day repeats yearly without end."""
    assert cli("calendar", "import", str(SAMPLE / "cn-2026.csv"), user="hana").exit_code == 0
    from_csv = _calendar(cli, "2026", "2027")
    assert len(from_csv) == 39 and from_csv[-1][0] == "2026-10-10"
    for row in from_csv:
        assert cli("calendar", "rm", row[0], user="hana").exit_code == 0
    imported = cli("calendar", "import", str(SAMPLE / "cn-2026.ics"), "--year", "2026", "-f", "json", user="hana")
    assert imported.exit_code == 0, imported.error
    assert (imported.json()["added"], imported.json()["last"]) == (39, "2026-10-10")
    assert _calendar(cli, "2026", "2027") == from_csv
    again = cli("calendar", "import", str(SAMPLE / "cn-2026.ics"), "-f", "json", user="hana").json()
    assert (again["added"], again["unchanged"]) == (1, 39)  # the yearly New Year's Day: this year and next
    assert _calendar(cli, "2027") == [("2027-01-01", "holiday", "New Year's Day / 元旦")]


def test_a_broken_ics_changes_nothing_and_names_the_line(cli: Cli, people: People, make_file: MakeFile) -> None:
    good = "BEGIN:VEVENT\r\nUID:1\r\nDTSTART;VALUE=DATE:20260501\r\nSUMMARY:Labour Day\r\nEND:VEVENT\r\n"
    bad = "BEGIN:VEVENT\r\nUID:2\r\nDTSTART;VALUE=DATE:20260532\r\nSUMMARY:Typo\r\nEND:VEVENT\r\n"
    path = make_file("bad.ics", f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n{good}{bad}END:VCALENDAR\r\n")
    error = one_line_error(cli("calendar", "import", str(path), user="hana"), 1)
    assert "line 10: DTSTART: " in error and "nothing was imported" in error
    assert _calendar(cli, "2026") == []
    cut = make_file("cut.ics", f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n{good}")
    assert "line 1: BEGIN:VCALENDAR is never closed" in one_line_error(cli("calendar", "import", str(cut)), 1)
    csv = make_file("cn.csv", CALENDAR_CSV)
    assert "--kind is for .ics files" in one_line_error(cli("calendar", "import", str(csv), "--kind", "off"), 1)
    holidays = make_file("h.ics", f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n{good}END:VCALENDAR\r\n")
    assert "unknown day kind 'party'" in one_line_error(cli("calendar", "import", str(holidays), "--kind", "party"), 1)
    assert "holds no calendar days in 2030" in one_line_error(cli("calendar", "import", str(holidays), "--year",
                                                                  "2030"), 1)
    assert _calendar(cli, "2026") == []
    assert cli("calendar", "import", str(holidays), "--kind", "off").exit_code == 0
    assert _calendar(cli, "2026") == [("2026-05-01", "off", "Labour Day")]


def test_the_calendar_changes_the_month(cli: Cli, people: People, make_file: MakeFile) -> None:
    cli("calendar", "import", str(make_file("cn.csv", CALENDAR_CSV)))
    may = cli("attend", "month", "2026-05", "--person", "wei", "-f", "json", user="wei").json()
    kinds = {d["date"]: d["kind"] for d in may["days"]}
    assert (kinds["2026-05-01"], kinds["2026-05-04"], kinds["2026-05-09"]) == ("holiday", "off", "workday")
    assert may["workdays"] == 20  # 21 weekdays − 1 May − 4 May + Saturday 9 May
