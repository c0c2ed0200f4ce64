"""Write the sample team's punches for May 2026 and 1–3 June 2026 (the demo's "now" is
2026-06-03 10:00 Asia/Shanghai). Deterministic: run it again and the files are the same.

    python sample_data/attendance/generate.py

- punches.csv          the Operations team and the people without a team (`login,time,kind`),
                       as an HR export from the old system would look
- zkteco-usb-1_attlog.dat   the Platform team's May, as HR downloaded it from their ZKTeco
                       device (number 1) on a USB stick before work on 1 June: the device's
                       `1_attlog.dat`, CRLF, `PIN<TAB>time<TAB>device<TAB>state<TAB>verify<TAB>workcode`
                       with the PIN right-aligned in spaces, in time order
- zkteco-push-attlog.txt   their 1–3 June, since the device was put on the network: the ATTLOG
                       lines it pushed to the server (ADMS), `PIN<TAB>time<TAB>state<TAB>verify
                       <TAB>workcode<TAB>0<TAB>0`
                       (state 0 = check-in, 1 = check-out; verify 1 = fingerprint, 15 = face)

Ordinary days: in between 08:40 and 09:04, out between 18:00 and 18:25 (inside the
5 minutes of grace and under the 30 minutes that make overtime). The exceptions below
are the stories the demo tells; the calendar (sample_data/calendars/cn-2026.csv) makes
1–2 May public holidays, 3–5 May adjusted days off and Saturday 9 May a make-up workday.
"""

from __future__ import annotations

import csv
import random
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIRST, LAST, TODAY = date(2026, 5, 1), date(2026, 6, 3), date(2026, 6, 3)
DEVICE_TEAM = "Platform"
DEVICE, ON_NETWORK = 1, date(2026, 6, 1)  # the device's number; the day it started pushing
FACE = {"emily"}  # verify mode 15 (face); everyone else 1 (fingerprint)

# (login, date) -> the punches of that day as (HH:MM, kind); [] = no punch at all.
EXCEPTIONS: dict[tuple[str, str], list[tuple[str, str]]] = {
    ("zhangwei", "2026-05-01"): [("10:02", "in"), ("15:31", "out")],  # came in on Labour Day: holiday overtime
    ("zhangwei", "2026-05-06"): [("09:12", "in"), ("18:05", "out")],  # late 12 min
    ("zhangwei", "2026-05-13"): [("08:51", "in"), ("20:34", "out")],  # overtime on a workday
    ("zhangwei", "2026-05-20"): [("09:31", "in"), ("18:10", "out")],  # late 31 min
    ("lina", "2026-05-07"): [("08:49", "in")],  # forgot to clock out: corrected (approved) in corrections.csv
    ("lina", "2026-05-15"): [("08:55", "in"), ("16:40", "out")],  # left early
    ("lina", "2026-05-21"): [("08:47", "in")],  # forgot to clock out: correction still pending
    ("omar", "2026-05-12"): [],  # absent
    ("omar", "2026-05-16"): [("10:05", "in"), ("16:12", "out")],  # a Saturday: rest-day overtime
    ("liuyang", "2026-05-26"): [("08:45", "in"), ("19:20", "out")],  # overtime
    ("wangfang", "2026-05-22"): [("08:58", "in"), ("17:20", "out")],  # left early
    ("sunhao", "2026-05-11"): [("09:08", "in"), ("18:02", "out")],  # late 8 min (grace is 5)
    ("sunhao", "2026-05-27"): [("08:50", "in"), ("19:12", "out")],  # overtime
    ("emily", "2026-05-09"): [],  # forgot the make-up workday: absent
    ("emily", "2026-05-19"): [("09:21", "in"), ("17:45", "out")],  # late and early
    ("chenjing", "2026-05-02"): [("09:30", "in"), ("13:05", "out")],  # holiday: release on Labour Day
    ("chenjing", "2026-05-28"): [("08:40", "in"), ("21:10", "out")],  # overtime
    ("huanglei", "2026-05-11"): [("09:19", "in"), ("18:30", "out")],  # first day, lost in the building
    ("huanglei", "2026-05-25"): [("08:56", "in")],  # missing punch
    # today (Wed 3 June, 10:00): most are in; two not yet
    ("omar", "2026-06-03"): [],
    ("emily", "2026-06-03"): [],
}
# Approved leave (sample_data/leave/requests.csv): no punch on a day of leave, and on a half day
# the punch of the half taken off moves to noon. The random numbers are drawn all the same, so
# that every other punch stays as it was.
ON_LEAVE = {("chenjing", "2026-05-06"), ("chenjing", "2026-05-07"), ("chenjing", "2026-05-08"),
            ("sunhao", "2026-05-14")}
HALF_DAY_OFF = {("lina", "2026-05-29", "out"): "12:01"}  # the afternoon off


def workdays(calendar: dict[date, str]) -> list[date]:
    days, day = [], FIRST
    while day <= LAST:
        kind = calendar.get(day)
        if kind == "workday" or (kind is None and day.weekday() < 5):
            days.append(day)
        day += timedelta(days=1)
    return days


def ordinary(rng: random.Random, day: date) -> list[tuple[str, str]]:
    arrive = 8 * 60 + 40 + rng.randint(0, 24)
    punches = [(f"{arrive // 60:02d}:{arrive % 60:02d}", "in")]
    if day < TODAY:
        leave = 18 * 60 + rng.randint(0, 25)
        punches.append((f"{leave // 60:02d}:{leave % 60:02d}", "out"))
    return punches


def main() -> None:
    rng = random.Random(20260603)
    with (HERE.parent / "calendars/cn-2026.csv").open(encoding="utf-8") as handle:
        calendar = {date.fromisoformat(r["date"]): r["kind"] for r in csv.DictReader(handle)}
    with (HERE.parent / "people.csv").open(encoding="utf-8") as handle:
        people = list(csv.DictReader(handle))
    csv_rows: list[tuple[str, str, str]] = []
    usb_lines: list[tuple[str, str]] = []  # (time, line), sorted by time as the device keeps them
    push_lines: list[tuple[str, str]] = []
    working = set(workdays(calendar))
    for day in sorted(working | {date.fromisoformat(d) for _, d in EXCEPTIONS}):
        for person in people:
            if person["hired"] and day < date.fromisoformat(person["hired"]):
                continue
            key = (person["login"], day.isoformat())
            if key not in EXCEPTIONS and day not in working:
                continue
            punches = EXCEPTIONS[key] if key in EXCEPTIONS else ordinary(rng, day)
            for clock, kind in punches:
                seconds = rng.randint(0, 59)
                if key in ON_LEAVE:
                    continue
                clock = HALF_DAY_OFF.get((*key, kind), clock)
                if person["team"] == DEVICE_TEAM:
                    at, state = f"{day} {clock}:{seconds:02d}", 0 if kind == "in" else 1
                    verify = 15 if person["login"] in FACE else 1
                    if day < ON_NETWORK:
                        usb_lines.append((at, f"{person['badge']:>9}\t{at}\t{DEVICE}\t{state}\t{verify}\t0"))
                    else:
                        push_lines.append((at, f"{person['badge']}\t{at}\t{state}\t{verify}\t0\t0\t0"))
                else:
                    csv_rows.append((person["login"], f"{day} {clock}:{seconds:02d}", kind))
    with (HERE / "punches.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(("login", "time", "kind"))
        writer.writerows(csv_rows)
    usb, push = [line for _, line in sorted(usb_lines)], [line for _, line in sorted(push_lines)]
    (HERE / "zkteco-usb-1_attlog.dat").write_bytes("".join(f"{line}\r\n" for line in usb).encode("ascii"))
    (HERE / "zkteco-push-attlog.txt").write_text("".join(f"{line}\n" for line in push), encoding="ascii")
    print(f"{len(csv_rows)} punches in punches.csv, {len(usb)} in zkteco-usb-1_attlog.dat, "
          f"{len(push)} in zkteco-push-attlog.txt")


if __name__ == "__main__":
    main()
