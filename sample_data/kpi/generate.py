"""Write the sample team's first quarter of 2026 for the KPI demo. Deterministic: run it
again and the files are the same.

    python sample_data/kpi/generate.py

- punches-2026Q1.csv   every workday of January–March 2026 (the 2026 calendar applied:
                       Spring Festival, make-up Saturdays), `login,time,kind`, as the old
                       system's export; the `discipline` indicator is computed from it
- scores-2026Q1.csv    the quarter's ratings (`login,role,rater,key,score,comment`): each
                       person rates themself, their lead (the leads: wangfang) rates as
                       supervisor, two team-mates as peers, and HR (zhaomin) enters what
                       customers said. Emily's ratings are not all in yet: nobody has
                       scored her `projects` and `customer`, so she is listed incomplete.

Ordinary days: in between 08:40 and 09:04, out between 18:00 and 18:25 (the Standard
schedule, 5 minutes of grace). The exceptions are the quarter's attendance stories.
"""

from __future__ import annotations

import csv
import random
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIRST, LAST = date(2026, 1, 1), date(2026, 3, 31)
JUDGED = ("liuyang", "zhangwei", "lina", "omar", "chenjing", "sunhao", "emily")
RATED = ("results", "projects", "customer", "skills", "communication", "learning", "problem_solving",
         "responsibility", "teamwork", "initiative")

PUNCH_EXCEPTIONS: dict[tuple[str, str], list[tuple[str, str]]] = {
    ("zhangwei", "2026-01-20"): [("09:14", "in"), ("18:03", "out")],  # late
    ("lina", "2026-02-05"): [("08:52", "in")],  # missing punch
    ("omar", "2026-01-13"): [("09:26", "in"), ("18:10", "out")],  # late
    ("omar", "2026-02-14"): [],  # forgot the make-up Saturday: absent
    ("omar", "2026-03-10"): [("09:40", "in"), ("18:02", "out")],  # late
    ("chenjing", "2026-03-04"): [("09:11", "in"), ("18:20", "out")],  # late
    ("emily", "2026-03-19"): [("08:50", "in"), ("16:55", "out")],  # left early
}

# How well each person did (the raters' common view) and the stories behind the comments.
LEVEL = {"liuyang": 90, "zhangwei": 88, "lina": 84, "omar": 73, "chenjing": 86, "sunhao": 81, "emily": 79}
COMMENTS = {
    ("omar", "supervisor", "results"): "two incident follow-ups slipped into the next sprint",
    ("zhangwei", "supervisor", "projects"): "carried the NET-2026 cut-over",
    ("lina", "customer", "customer"): "the finance team praised the VPN rollout",
    ("sunhao", "supervisor", "skills"): "Terraform modules now used by the whole team",
    ("liuyang", "supervisor", "communication"): "weekly Operations notes are read by everyone",
}
MISSING = {("emily", "projects"), ("emily", "customer")}


def workdays(calendar: dict[date, str]) -> list[date]:
    days, day = [], FIRST
    while day <= LAST:
        kind = calendar.get(day)
        if kind == "workday" or (kind is None and day.weekday() < 5):
            days.append(day)
        day += timedelta(days=1)
    return days


def punches(rng: random.Random, people: list[dict[str, str]], calendar: dict[date, str]) -> list[tuple[str, ...]]:
    rows = []
    for day in workdays(calendar):
        for person in people:
            if person["hired"] and day < date.fromisoformat(person["hired"]):
                continue
            key = (person["login"], day.isoformat())
            if key in PUNCH_EXCEPTIONS:
                found = PUNCH_EXCEPTIONS[key]
            else:
                arrive, leave = 8 * 60 + 40 + rng.randint(0, 24), 18 * 60 + rng.randint(0, 25)
                found = [(f"{arrive // 60:02d}:{arrive % 60:02d}", "in"), (f"{leave // 60:02d}:{leave % 60:02d}", "out")]
            rows += [(person["login"], f"{day} {clock}:{rng.randint(0, 59):02d}", kind) for clock, kind in found]
    return rows


def raters(person: dict[str, str], people: list[dict[str, str]]) -> list[tuple[str, str]]:
    """(role, rater) pairs for one judged person."""
    team = [p["login"] for p in people if p["team"] == person["team"] and p["login"] != person["login"]
            and p["login"] != person["manager"]]
    supervisor = person["manager"]
    return [("self", person["login"]), ("supervisor", supervisor), *(("peer", p) for p in sorted(team)[:2]),
            ("customer", "zhaomin")]


def scores(rng: random.Random, people: list[dict[str, str]]) -> list[tuple[str, ...]]:
    rows = []
    by_login = {p["login"]: p for p in people}
    for login in JUDGED:
        for role, rater in raters(by_login[login], people):
            for key in RATED:
                if (login, key) in MISSING or (role == "customer" and key not in ("customer", "results")):
                    continue
                bias = {"self": 4, "supervisor": 0, "peer": 1, "customer": 2}[role]
                value = min(100, LEVEL[login] + bias + rng.randint(-4, 4))
                rows.append((login, role, rater, key, str(value), COMMENTS.get((login, role, key), "")))
    return rows


def main() -> None:
    rng = random.Random(20260331)
    root = HERE.parent
    with (root / "calendars/cn-2026.csv").open(encoding="utf-8") as handle:
        calendar = {date.fromisoformat(r["date"]): r["kind"] for r in csv.DictReader(handle)}
    with (root / "people.csv").open(encoding="utf-8") as handle:
        people = list(csv.DictReader(handle))
    for name, header, rows in (
        ("punches-2026Q1.csv", ("login", "time", "kind"), punches(rng, people, calendar)),
        ("scores-2026Q1.csv", ("login", "role", "rater", "key", "score", "comment"), scores(rng, people)),
    ):
        with (HERE / name).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(header)
            writer.writerows(rows)
        print(f"{len(rows)} rows in {name}")


if __name__ == "__main__":
    main()
