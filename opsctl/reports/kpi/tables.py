"""How KPI templates, cycles, scores and results are shown."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from opsctl.models.kpi import CATEGORIES
from opsctl.reports.tabular import Column, Record, Tabular


def _num(key: str, header: str, short: str | None = None) -> Column:
    return Column(key, header, "right", short=short)


def _score(key: str, header: str, short: str | None = None) -> Column:
    return Column(key, header, "right", decimals=2, short=short)


def _code(key: str, header: str, **how: Any) -> Column:
    """A cycle, an indicator key, a role, a grade: never cut."""
    return Column(key, header, kind="code", **how)


def bands_text(bands: dict[str, Any]) -> str:
    return ", ".join(f"{grade} ≥ {floor:g}" for grade, floor in bands.items()) + ", else E"


def rank_text(data: dict[str, Any]) -> str:
    """Among whom the ranks of a results report are: the people shown, or (someone who may see
    only their own result) everybody in the report."""
    among = data["ranked_among"]
    people = "person" if among == 1 else "people"
    if data["ranked_shown"]:
        whom = f"the {among} {people} shown" if all(r["complete"] for r in data["rows"]) else (
            f"the {among} complete {people} shown")
    else:
        whom = f"all {among} {people} ranked in {data['period'].label}" + (f", team {data['team']}" if data["team"]
                                                                           else "")
    return f"Ranked among {whom}; equal scores share a rank (1, 1, 3)."


# -- templates and cycles ---------------------------------------------------------------

def template_table(rows: list[dict[str, Any]]) -> Tabular:
    return Tabular(
        "KPI templates",
        [_code("name", "Template"), _num("indicators", "Indicators", "Ind."),
         _num("performance", "Performance", "Perf"), _num("ability", "Ability", "Abil"),
         _num("attitude", "Attitude", "Atti"),
         Column("computed", "Computed", priority=3), _num("cycles", "Cycles"),
         Column("description", "Description", min_width=12, priority=2)],
        rows, empty="No templates; `opsctl init` makes the standard one.",
    )


def template_record(details: dict[str, Any]) -> Record:
    indicators = Tabular(
        "Indicators",
        [_code("key", "Key"), Column("name", "Name"), _code("category", "Category"), _num("weight", "Weight"),
         _code("source", "Source")],
        details["indicator_list"],
    )
    return Record(f"KPI template {details['name']}", details, sections=[indicators], hidden=("indicator_list",),
                  labels={"cycles": "Used by cycles"})


def cycle_table(rows: list[dict[str, Any]]) -> Tabular:
    return Tabular(
        "KPI cycles",
        [_code("cycle", "Cycle"), Column("start", "From"), Column("end", "To"), Column("team", "Team", priority=3),
         _code("template", "Template", priority=2), _code("status", "Status"), _num("people", "People"),
         _num("scored", "Scored"), Column("closed_at", "Closed")],
        rows, empty="No KPI cycles yet; open one with `opsctl kpi cycle open 2026Q1`.",
    )


def cycle_record(row: dict[str, Any]) -> Record:
    return Record(f"KPI cycle {row['cycle']}", row, labels={"start": "From", "end": "To"})


def score_table(rows: list[dict[str, Any]], *, title: str) -> Tabular:
    return Tabular(
        title,
        [_num("id", "#"), _code("cycle", "Cycle"), Column("login", "Login", kind="login"),
         _code("indicator", "Indicator"), _code("role", "Role"), Column("rater", "Rater", kind="login"),
         _num("score", "Score"), Column("comment", "Comment")],
        rows,
    )


# -- results --------------------------------------------------------------------------------

def _category_weights(indicators: list[Any]) -> dict[str, Decimal]:
    return {c: sum((i.weight for i in indicators if i.category == c), Decimal(0)) for c in CATEGORIES}


def results_table(data: dict[str, Any]) -> Tabular:
    """Rank, person, points per category (out of the category's weight), final, grade, missing."""
    period, rows = data["period"], data["rows"]
    weights = _category_weights(data["indicators"])
    shown = [_num("rank", "Rank"), Column("login", "Login", kind="login"),
             Column("name", "Name", min_width=8, priority=2), Column("team", "Team", priority=3)]
    shown += [_score(f"{c}_points", f"{c.capitalize()} /{weights[c]:g}", f"{c[:4].capitalize()} /{weights[c]:g}")
              for c in CATEGORIES if weights[c]]
    shown += [_score("final_score", "Final"), _code("grade", "Grade"), Column("missing", "Missing")]
    if any(row.get("plan") for row in rows):  # final grades that call for an improvement plan
        shown.append(_code("plan", "Plan"))
    incomplete = sum(1 for row in rows if not row["complete"])
    notes = [f"Grades: {bands_text(data['bands'])}. {rank_text(data)}"]
    if incomplete:
        notes.append(f"{incomplete} {'person is' if incomplete == 1 else 'people are'} incomplete (not ranked) "
                     "until every missing indicator is scored.")
    notes += plan_notes(data)
    means = sorted({name for row in rows if row["based_on"] != [period.label] for name in row["based_on"]})
    if means:
        everyone = all(row["based_on"] != [period.label] for row in rows)
        whose = "" if everyone else " for some people"
        notes.append(f"No {period.label} cycle{whose}: results are averaged from {', '.join(means)}.")
    team = f", team {data['team']}" if data["team"] else ""
    title = f"KPI {period.label} ({period.start} – {period.end}){team}"
    return Tabular(title, shown, rows, notes=notes, empty="Nobody you may see has a result in this period.",
                   row_styles=[None if row["complete"] else "dim" for row in rows])


def plan_notes(data: dict[str, Any]) -> list[str]:
    """What the Plan column asks for (`kpi.outcomes`, `kpi.plans.plan_marks`)."""
    notes = []
    if data.get("plans_missing"):
        count = data["plans_missing"]
        notes.append(f"{count} {'person' if count == 1 else 'people'} graded at or below kpi.plan_grade "
                     f"{'has' if count == 1 else 'have'} no improvement plan: `opsctl kpi plan add LOGIN "
                     f"--cycle {data['period'].label} --goal … --due …`.")
    flagged = [row["login"] for row in data["rows"] if row.get("flagged")]
    if flagged:
        notes.append(f"Flagged to HR (such grades kpi.plan_flag_after times in a row): {', '.join(flagged)}.")
    return notes


EXPLAIN_COLUMNS = [
    _code("key", "Indicator"), _num("weight", "Weight", "Wt"), _num("self", "Self"),
    _num("supervisor", "Supervisor", "Sup"), _num("peer", "Peer"), _num("peers", "Peers"),
    _num("customer", "Customer", "Cust"), _score("score", "Score"), _num("points", "Points", "Pts"),
    _code("how", "How", priority=2),  # a formula: whole, or left out
]


def explain_record(data: dict[str, Any]) -> Record:
    """One person's breakdown: the figures, then one line per indicator (or per part)."""
    labels = {"final_score": "Final score", "ranked_among": "Ranked among", "points_total": "Sum of points",
              "rater_weights": "Rater weights", "based_on": "Based on"}
    sections = []
    if "indicators" in data:
        notes = [
            "Score = the mean of each role's scores (peers averaged first), weighted by the rater weights of "
            "the roles that scored (the others left out), rounded half up to 2 decimals.",
            f"Points = weight × score / 100; final = the sum of points {data['points_total']} rounded half up "
            f"to {data['final_score'] if data['final_score'] is not None else '— (incomplete)'}.",
        ]
        # points unrounded (20.825, not 20.82), so that the column adds up to the sum in the note
        lines = [row | {"points": None if row["points"] is None else str(row["points"])}
                 for row in data["indicators"]]
        sections.append(Tabular(f"Breakdown of {data['cycle']} ({data['template']})", EXPLAIN_COLUMNS,
                                lines, notes=notes,
                                row_styles=[None if row["score"] is not None else "dim" for row in data["indicators"]]))
    else:
        sections.append(Tabular(f"{data['cycle']} is {data['how']}",
                                [_code("cycle", "Part"), _num("final_score", "Final"), _code("complete", "Complete"),
                                 Column("missing", "Missing")], data["parts"]))
    return Record(f"KPI {data['cycle']} of {data['name']} ({data['login']})", data, labels=labels,
                  sections=sections, hidden=("indicators", "parts", "how", "points_total"))


def today_record(facts: dict[str, Any]) -> Record:
    """`opsctl today`: the latest KPI result (``kpi.views.today_facts``)."""
    return Record("KPI", facts, labels={"cycle": "Latest cycle", "final_score": "Final score"})
