"""How KPI templates, cycles, scores and results are shown."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from opsctl.models.kpi import CATEGORIES
from opsctl.reports.tabular import Column, Record, Tabular, columns


def _num(key: str, header: str) -> Column:
    return Column(key, header, "right")


def _score(key: str, header: str) -> Column:
    return Column(key, header, "right", decimals=2)


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
        columns(("name", "Template"), _num("indicators", "Indicators"), _num("performance", "Performance"),
                _num("ability", "Ability"), _num("attitude", "Attitude"), ("computed", "Computed"),
                _num("cycles", "Cycles"), ("description", "Description")),
        rows, empty="No templates; `opsctl init` makes the standard one.",
    )


def template_record(details: dict[str, Any]) -> Record:
    indicators = Tabular(
        "Indicators",
        columns(("key", "Key"), ("name", "Name"), ("category", "Category"), _num("weight", "Weight"),
                ("source", "Source")),
        details["indicator_list"],
    )
    return Record(f"KPI template {details['name']}", details, sections=[indicators], hidden=("indicator_list",),
                  labels={"cycles": "Used by cycles"})


def cycle_table(rows: list[dict[str, Any]]) -> Tabular:
    return Tabular(
        "KPI cycles",
        columns(("cycle", "Cycle"), ("start", "From"), ("end", "To"), ("team", "Team"), ("template", "Template"),
                ("status", "Status"), _num("people", "People"), _num("scored", "Scored"),
                ("closed_at", "Closed")),
        rows, empty="No KPI cycles yet; open one with `opsctl kpi cycle open 2026Q1`.",
    )


def cycle_record(row: dict[str, Any]) -> Record:
    return Record(f"KPI cycle {row['cycle']}", row, labels={"start": "From", "end": "To"})


def score_table(rows: list[dict[str, Any]], *, title: str) -> Tabular:
    return Tabular(
        title,
        columns(_num("id", "#"), ("cycle", "Cycle"), ("login", "Login"), ("indicator", "Indicator"),
                ("role", "Role"), ("rater", "Rater"), _num("score", "Score"), ("comment", "Comment")),
        rows,
    )


# -- results --------------------------------------------------------------------------------

def _category_weights(indicators: list[Any]) -> dict[str, Decimal]:
    return {c: sum((i.weight for i in indicators if i.category == c), Decimal(0)) for c in CATEGORIES}


def results_table(data: dict[str, Any]) -> Tabular:
    """Rank, person, points per category (out of the category's weight), final, grade, missing."""
    period, rows = data["period"], data["rows"]
    weights = _category_weights(data["indicators"])
    shown = [_num("rank", "Rank"), Column("login", "Login"), Column("name", "Name"), Column("team", "Team")]
    shown += [_score(f"{c}_points", f"{c.capitalize()} /{weights[c]:g}") for c in CATEGORIES if weights[c]]
    shown += [_score("final_score", "Final"), Column("grade", "Grade"), Column("missing", "Missing")]
    incomplete = sum(1 for row in rows if not row["complete"])
    notes = [f"Grades: {bands_text(data['bands'])}. {rank_text(data)}"]
    if incomplete:
        notes.append(f"{incomplete} {'person is' if incomplete == 1 else 'people are'} incomplete (not ranked) "
                     "until every missing indicator is scored.")
    means = sorted({name for row in rows if row["based_on"] != [period.label] for name in row["based_on"]})
    if means:
        everyone = all(row["based_on"] != [period.label] for row in rows)
        whose = "" if everyone else " for some people"
        notes.append(f"No {period.label} cycle{whose}: results are averaged from {', '.join(means)}.")
    team = f", team {data['team']}" if data["team"] else ""
    title = f"KPI {period.label} ({period.start} – {period.end}){team}"
    return Tabular(title, shown, rows, notes=notes, empty="Nobody you may see has a result in this period.",
                   row_styles=[None if row["complete"] else "dim" for row in rows])


EXPLAIN_COLUMNS = columns(
    ("key", "Indicator"), _num("weight", "Weight"), _num("self", "Self"), _num("supervisor", "Supervisor"),
    _num("peer", "Peer"), _num("peers", "Peers"), _num("customer", "Customer"), _score("score", "Score"),
    _num("points", "Points"), ("how", "How"),
)


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
                                columns(("cycle", "Part"), _num("final_score", "Final"), ("complete", "Complete"),
                                        ("missing", "Missing")), data["parts"]))
    return Record(f"KPI {data['cycle']} of {data['name']} ({data['login']})", data, labels=labels,
                  sections=sections, hidden=("indicators", "parts", "how", "points_total"))
