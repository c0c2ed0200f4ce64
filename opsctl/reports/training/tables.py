"""How training plans, sessions, results, records, the year's report, certificates and
people's development records are shown."""

from __future__ import annotations

from typing import Any

from opsctl.reports.tabular import Column, Record, Tabular, columns


def percent(rate: float | None) -> str:
    """0.625 → "62.5%", 1.0 → "100%"; no rate (nothing to divide) → "–"."""
    if rate is None:
        return "–"
    return f"{round(rate * 100, 1):g}%"


def _num(key: str, header: str, short: str | None = None, priority: int = 1) -> Column:
    return Column(key, header, "right", short=short, priority=priority)


def _code(key: str, header: str, **how: Any) -> Column:
    """A quarter, a category, a status, an attendance: never cut."""
    return Column(key, header, kind="code", **how)


LOGIN = Column("login", "Login", kind="login")
NAME = Column("name", "Name", min_width=8, priority=2)
TEAM = Column("team", "Team", priority=3)
QUARTER = _code("quarter", "Quarter", short="Q")
COURSE = Column("title", "Course", min_width=16)
RESULTS = _code("result", "Results", priority=2)  # "1: 88 passed": whole, or left out


# -- plans and sessions ------------------------------------------------------------------

PLAN_COLUMNS = [
    _num("id", "#"), QUARTER, Column("title", "Title", min_width=18), _code("category", "Category", priority=3),
    _code("method", "Method", priority=3), Column("trainer", "Trainer", min_width=8, priority=2),
    _num("hours", "Hours"), _code("audience", "Audience", priority=3), _num("sessions", "Sessions", priority=4),
    _num("held", "Held"), Column("next", "Next", priority=2), _code("status", "Status"),
]
_STATUS_STYLES = {"overdue": "red", "held": "green", "to retake": "yellow", "failed": "red"}


def plan_table(rows: list[dict[str, Any]], *, year: int) -> Tabular:
    held = sum(1 for r in rows if r["held"])
    notes = [f"{held} of {len(rows)} plan items held so far."] if rows else []
    return Tabular(
        f"Training plan {year}", PLAN_COLUMNS, rows, notes=notes,
        empty=f"No training planned for {year}; add an item with `opsctl training plan add TITLE --year {year}`.",
        row_styles=[_STATUS_STYLES.get(r["status"]) for r in rows],
    )


def plan_record(row: dict[str, Any]) -> Record:
    return Record(f"Training plan item #{row['id']}: {row['title']}", row)


SESSION_COLUMNS = [
    _num("id", "#"), Column("day", "Date"), Column("title", "Course", min_width=18),
    _code("category", "Category", priority=3), _num("hours", "Hours"),
    Column("location", "Location", min_width=8, priority=2), Column("trainer", "Trainer", min_width=8, priority=2),
    _num("enrolled", "Enrolled", "Enr."), _num("present", "Present", "Pres."),
]


def session_table(rows: list[dict[str, Any]], *, title: str = "Training sessions") -> Tabular:
    return Tabular(title, SESSION_COLUMNS, rows,
                   empty="No sessions; schedule one with `opsctl training session add PLAN_ID --on DATE`.")


def session_record(details: dict[str, Any]) -> Record:
    roster = Tabular(
        "Enrolled",
        [LOGIN, Column("name", "Name"), _code("attendance", "Attendance"), RESULTS],
        details["roster"],
        empty=f"Nobody enrolled yet; add people with `opsctl training enroll {details['id']} LOGIN…`.",
    )
    return Record(f"Training session #{details['id']}: {details['title']} on {details['day']}", details,
                  labels={"plan_id": "Plan item", "day": "Date"}, hidden=("roster",), sections=[roster])


def result_record(details: dict[str, Any]) -> Record:
    return Record(f"{details['name']} — {details['title']}, attempt {details['attempt']}", details,
                  labels={"session_id": "Session", "day": "Date"})


# -- one person's record ---------------------------------------------------------------

RECORD_SESSION_COLUMNS = [
    _num("id", "Session", "#"), Column("day", "Date"), COURSE, _code("category", "Category", priority=3),
    _num("hours", "Hours"), _code("attendance", "Attendance", short="Attended"),
    _num("counted_hours", "Counted", priority=3), RESULTS,
]
ATTEMPT_COLUMNS = [
    _num("session_id", "Session", "#"), COURSE, _num("attempt", "Attempt", "Try"), Column("day", "Date"),
    _num("score", "Score"), _code("result", "Result"), Column("retake_of", "Retake of", kind="id", priority=2),
    _code("method", "Method", priority=2),
]


def training_record(data: dict[str, Any]) -> Record:
    year = f" in {data['year']}" if data.get("year") else ""
    sessions = Tabular("Sessions", RECORD_SESSION_COLUMNS, data["sessions"],
                       empty=f"No training sessions{year}.")
    attempts = Tabular(
        "Assessment attempts", ATTEMPT_COLUMNS,
        [a | {"retake_of": f"#{a['retake_of']}" if a["retake_of"] else ""} for a in data["attempts"]],
        empty=f"No assessment results{year}.",
        row_styles=[_STATUS_STYLES.get(a["result"]) for a in data["attempts"]],
    )
    hidden = ("id", "sessions", "attempts") + (() if data.get("year") else ("year",))
    return Record(f"Training record of {data['name']} ({data['login']}){year}", data,
                  labels={"hours": "Hours attended", "passed": "Courses passed", "to_retake": "Courses to retake"},
                  hidden=hidden, sections=[sessions, attempts])


# -- the year's report -----------------------------------------------------------------

EXECUTION_COLUMNS = [
    _code("quarter", "Quarter"), _code("category", "Category"), _num("planned", "Planned", "Plan"),
    _num("held", "Held"), _num("open", "Not held", "Open"), _num("overdue", "Overdue"),
    _num("planned_hours", "Planned h", "Plan h"), _num("hours_held", "Held h"), _num("execution", "Execution", "Rate"),
]
COURSE_COLUMNS = [
    _num("id", "#"), QUARTER, COURSE, _code("category", "Category", priority=4), _code("method", "Method", priority=4),
    _code("status", "Status"), _num("sessions_held", "Sessions", "Sess.", priority=2), _num("hours_held", "Hours"),
    _num("attended", "Attended", "Att."), _num("assessed", "Assessed", "Tested", priority=3),
    _num("passed", "Passed", "Pass"), _num("pass", "Pass rate", "Rate"), _num("first_pass", "First try", "1st", 2),
]
PEOPLE_COLUMNS = [
    LOGIN, NAME, TEAM, _num("enrolled", "Enrolled", "Enr."), _num("attended", "Attended", "Att."),
    _num("absent", "Absent", "Abs."), _num("hours", "Hours"), _num("passed", "Passed", "Pass"),
    _num("to_retake", "To retake", "Retake"),
]
RETAKE_COLUMNS = [
    LOGIN, NAME, TEAM, _num("session_id", "Session", "#"), COURSE, _num("attempt", "Attempt", "Try"),
    _num("score", "Score"), Column("day", "Taken"), _code("retake", "Retake"),  # "scheduled 2026-06-10": whole
]


def execution_rows(report: dict[str, Any]) -> list[dict[str, Any]]:
    """The execution table with a readable rate and a total row (table and workbook only)."""
    rows = [r | {"execution": percent(r["execution_rate"])} for r in report["execution"]]
    if rows:
        total = {key: sum(r[key] for r in report["execution"])
                 for key in ("planned", "held", "open", "overdue", "planned_hours", "hours_held")}
        rows.append({"quarter": "Total", "category": "", **total,
                     "execution_rate": report["execution_rate"], "execution": percent(report["execution_rate"])})
    return rows


def course_rows(report: dict[str, Any]) -> list[dict[str, Any]]:
    return [c | {"pass": percent(c["pass_rate"]), "first_pass": percent(c["first_pass_rate"])}
            for c in report["courses"]]


def retake_rows(report: dict[str, Any]) -> list[dict[str, Any]]:
    return [r | {"retake": f"scheduled {r['retake_on']}" if r["retake_on"] else "not scheduled"}
            for r in report["retakes"]]


def report_summary(report: dict[str, Any]) -> dict[str, Any]:
    return {
        "Plan items held": f"{report['held']} of {report['planned']} ({percent(report['execution_rate'])})",
        "Hours held": f"{report['hours_held']:g} session hours; {report['hours_attended']:g} person-hours attended",
        "Pass rate": f"{percent(report['pass_rate'])} ({report['passed']} of {report['assessed']} assessed; "
                     f"first try {percent(report['first_pass_rate'])})",
        "Still to retake": str(len(report["retakes"])),
    }


def year_report_record(report: dict[str, Any]) -> Record:
    """JSON gets the report's figures and lists; the table form shows a summary and four tables."""
    year = report["year"]
    summary = Tabular(None, columns(("figure", "Figure"), ("value", "Value")),
                      [{"figure": k, "value": v} for k, v in report_summary(report).items()])
    sections = [
        summary,
        Tabular("Plan execution by quarter and category", EXECUTION_COLUMNS, execution_rows(report),
                empty=f"Nothing planned for {year}."),
        Tabular("Courses", COURSE_COLUMNS, course_rows(report), empty=f"Nothing planned for {year}.",
                row_styles=[_STATUS_STYLES.get(c["status"]) for c in report["courses"]]),
        Tabular("Hours per person (attended sessions only)", PEOPLE_COLUMNS, report["people"],
                empty="Nobody to show."),
        Tabular("Still to retake", RETAKE_COLUMNS, retake_rows(report), empty="Nobody has to retake."),
    ]
    return Record(f"Training report {year} (as of {report['as_of']})", report, hidden=tuple(report),
                  sections=sections)


# -- certificates ------------------------------------------------------------------------

CERT_COLUMNS = [
    _num("id", "#"), LOGIN, Column("name", "Name", min_width=8, priority=3), Column("team", "Team", priority=4),
    Column("certificate", "Certificate", min_width=14), Column("issued", "Issued", priority=2),
    Column("expires", "Expires"), _code("status", "Status"),  # "expires in 17 days": whole
]


def _expiry_style(row: dict[str, Any]) -> str | None:
    if row["status"].startswith("expired"):
        return "red"
    return "yellow" if row["status"].startswith("expires") else None


def cert_table(rows: list[dict[str, Any]], *, title: str, empty: str) -> Tabular:
    return Tabular(title, CERT_COLUMNS, rows, empty=empty, row_styles=[_expiry_style(r) for r in rows])


def cert_record(row: dict[str, Any]) -> Record:
    return Record(f"Certificate #{row['id']}: {row['certificate']} ({row['login']})", row)


# -- today -------------------------------------------------------------------------------

def today_table(rows: list[dict[str, Any]]) -> Tabular:
    return Tabular("Training", [Column("day", "When"), _code("kind", "What"),
                                Column("title", "Course / certificate", short="Course"), Column("detail", "Detail")],
                   rows)


# -- the development record (`people profile`) ------------------------------------------

def profile_record(profile: dict[str, Any]) -> Record:
    from opsctl.reports.merits import money_text

    history = Tabular("Role and team history",
                      [Column("on", "Date"), Column("change", "Change"), Column("by", "By", kind="login")],
                      [h | {"on": h["on"] or h["at"]} for h in profile["history"]],
                      empty="No changes recorded.")
    training = Tabular(
        f"Training ({profile['training_hours']:g} hours attended)",
        [_num("id", "Session", "#"), Column("day", "Date"), COURSE, _num("hours", "Hours"),
         _code("attendance", "Attendance", short="Attended"), RESULTS],
        profile["training"], empty="No training yet.",
    )
    certificates = Tabular(
        "Certificates",
        [_num("id", "#"), Column("certificate", "Certificate", min_width=14), Column("issued", "Issued"),
         Column("expires", "Expires"), _code("status", "Status")],
        profile["certificates"], empty="No certificates.",
        row_styles=[_expiry_style(c) for c in profile["certificates"]],
    )
    kpi = Tabular(
        "KPI history",
        [_code("cycle", "Cycle"), _num("final_score", "Score"), _code("grade", "Grade"), _num("rank", "Rank"),
         _code("complete", "Complete"), _code("status", "Cycle status", short="Status")],
        profile["kpi"], empty="No KPI results yet.",
    )
    notes = Tabular("Development notes", [Column("at", "When"), Column("author", "By", kind="login"),
                                          Column("text", "Note")],
                    profile["notes"], empty=f"No notes yet; add one with `opsctl people note {profile['login']} TEXT`.")
    hidden = ("id", "expiring_within_days", "active", "history", "training", "attempts", "certificates", "kpi",
              "notes", "merits") + (("left",) if profile["left"] is None else ())
    labels = {"manager_name": "Manager name", "certificates_expiring": "Certificates to renew",
              "to_retake": "Courses to retake"}
    merits = _merits_section(profile)
    if merits is None:  # a viewer who may not see them: no line, no section
        hidden += ("merit_points", "merit_amount")
    labels |= {"merit_points": "Reward/penalty points", "merit_amount": "Reward/penalty amount"}
    shown = profile | {"merit_amount": money_text(profile.get("merit_amount")),
                       "merits": [row | {"amount": money_text(row["amount"])} for row in profile.get("merits", [])]}
    return Record(f"Development record of {profile['name']} ({profile['login']})", shown, labels=labels,
                  hidden=hidden, sections=[history, training, certificates, kpi, *([merits] if merits else []), notes])


def _merits_section(profile: dict[str, Any]) -> Tabular | None:
    from opsctl.reports.merits import totals_table

    if profile.get("merit_points") is None:
        return None
    return totals_table({"points": profile["merit_points"], "amount": profile["merit_amount"],
                         "entries": profile["merits"]})


def note_record(row: dict[str, Any]) -> Record:
    return Record(f"Note #{row['id']} about {row['login']}", row)
