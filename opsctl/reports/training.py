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


def _num(key: str, header: str) -> Column:
    return Column(key, header, "right")


# -- plans and sessions ------------------------------------------------------------------

PLAN_COLUMNS = columns(
    _num("id", "#"), ("quarter", "Quarter"), ("title", "Title"), ("category", "Category"), ("method", "Method"),
    ("trainer", "Trainer"), _num("hours", "Hours"), ("audience", "Audience"), _num("sessions", "Sessions"),
    _num("held", "Held"), ("next", "Next"), ("status", "Status"),
)
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


SESSION_COLUMNS = columns(
    _num("id", "#"), ("day", "Date"), ("title", "Course"), ("category", "Category"), _num("hours", "Hours"),
    ("location", "Location"), ("trainer", "Trainer"), _num("enrolled", "Enrolled"), _num("present", "Present"),
)


def session_table(rows: list[dict[str, Any]], *, title: str = "Training sessions") -> Tabular:
    return Tabular(title, SESSION_COLUMNS, rows,
                   empty="No sessions; schedule one with `opsctl training session add PLAN_ID --on DATE`.")


def session_record(details: dict[str, Any]) -> Record:
    roster = Tabular(
        "Enrolled",
        columns(("login", "Login"), ("name", "Name"), ("attendance", "Attendance"), ("result", "Results")),
        details["roster"],
        empty=f"Nobody enrolled yet; add people with `opsctl training enroll {details['id']} LOGIN…`.",
    )
    return Record(f"Training session #{details['id']}: {details['title']} on {details['day']}", details,
                  labels={"plan_id": "Plan item", "day": "Date"}, hidden=("roster",), sections=[roster])


def result_record(details: dict[str, Any]) -> Record:
    return Record(f"{details['name']} — {details['title']}, attempt {details['attempt']}", details,
                  labels={"session_id": "Session", "day": "Date"})


# -- one person's record ---------------------------------------------------------------

RECORD_SESSION_COLUMNS = columns(
    _num("id", "Session"), ("day", "Date"), ("title", "Course"), ("category", "Category"), _num("hours", "Hours"),
    ("attendance", "Attendance"), _num("counted_hours", "Counted"), ("result", "Results"),
)
ATTEMPT_COLUMNS = columns(
    _num("session_id", "Session"), ("title", "Course"), _num("attempt", "Attempt"), ("day", "Date"),
    _num("score", "Score"), ("result", "Result"), ("retake_of", "Retake of"), ("method", "Method"),
)


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

EXECUTION_COLUMNS = columns(
    ("quarter", "Quarter"), ("category", "Category"), _num("planned", "Planned"), _num("held", "Held"),
    _num("open", "Not held"), _num("overdue", "Overdue"), _num("planned_hours", "Planned h"),
    _num("hours_held", "Held h"), _num("execution", "Execution"),
)
COURSE_COLUMNS = columns(
    _num("id", "#"), ("quarter", "Quarter"), ("title", "Course"), ("category", "Category"), ("method", "Method"),
    ("status", "Status"), _num("sessions_held", "Sessions"), _num("hours_held", "Hours"),
    _num("attended", "Attended"), _num("assessed", "Assessed"), _num("passed", "Passed"),
    _num("pass", "Pass rate"), _num("first_pass", "First try"),
)
PEOPLE_COLUMNS = columns(
    ("login", "Login"), ("name", "Name"), ("team", "Team"), _num("enrolled", "Enrolled"),
    _num("attended", "Attended"), _num("absent", "Absent"), _num("hours", "Hours"), _num("passed", "Passed"),
    _num("to_retake", "To retake"),
)
RETAKE_COLUMNS = columns(
    ("login", "Login"), ("name", "Name"), ("team", "Team"), _num("session_id", "Session"), ("title", "Course"),
    _num("attempt", "Attempt"), _num("score", "Score"), ("day", "Taken"), ("retake", "Retake"),
)


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

CERT_COLUMNS = columns(
    _num("id", "#"), ("login", "Login"), ("name", "Name"), ("team", "Team"), ("certificate", "Certificate"),
    ("issued", "Issued"), ("expires", "Expires"), ("status", "Status"),
)


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
    return Tabular("Training", columns(("day", "When"), ("kind", "What"), ("title", "Course / certificate"),
                                       ("detail", "Detail")), rows)


# -- the development record (`people profile`) ------------------------------------------

def profile_record(profile: dict[str, Any]) -> Record:
    history = Tabular("Role and team history",
                      columns(("on", "Date"), ("change", "Change"), ("by", "By")),
                      [h | {"on": h["on"] or h["at"]} for h in profile["history"]],
                      empty="No changes recorded.")
    training = Tabular(
        f"Training ({profile['training_hours']:g} hours attended)",
        columns(_num("id", "Session"), ("day", "Date"), ("title", "Course"), _num("hours", "Hours"),
                ("attendance", "Attendance"), ("result", "Results")),
        profile["training"], empty="No training yet.",
    )
    certificates = Tabular(
        "Certificates",
        columns(_num("id", "#"), ("certificate", "Certificate"), ("issued", "Issued"), ("expires", "Expires"),
                ("status", "Status")),
        profile["certificates"], empty="No certificates.",
        row_styles=[_expiry_style(c) for c in profile["certificates"]],
    )
    kpi = Tabular(
        "KPI history",
        columns(("cycle", "Cycle"), _num("final_score", "Score"), ("grade", "Grade"), _num("rank", "Rank"),
                ("complete", "Complete"), ("status", "Cycle")),
        profile["kpi"], empty="No KPI results yet.",
    )
    notes = Tabular("Development notes", columns(("at", "When"), ("author", "By"), ("text", "Note")),
                    profile["notes"], empty=f"No notes yet; add one with `opsctl people note {profile['login']} TEXT`.")
    hidden = ("id", "expiring_within_days", "active", "history", "training", "attempts", "certificates", "kpi",
              "notes") + (("left",) if profile["left"] is None else ())
    labels = {"manager_name": "Manager name", "certificates_expiring": "Certificates to renew",
              "to_retake": "Courses to retake"}
    return Record(f"Development record of {profile['name']} ({profile['login']})", profile, labels=labels,
                  hidden=hidden, sections=[history, training, certificates, kpi, notes])


def note_record(row: dict[str, Any]) -> Record:
    return Record(f"Note #{row['id']} about {row['login']}", row)
