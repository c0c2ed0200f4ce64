"""KPI templates, cycles, scores and results through the services, on a real database.

Most tests use the template `rated` (the standard one with discipline's 2 points moved
to initiative), so that they need no attendance; kpi/test_sources covers the computed ones.
"""

from __future__ import annotations

import importlib.util
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session

from opsctl.clock import FixedClock
from opsctl.dates import Period, parse_cycle
from opsctl.errors import Conflict, InvalidInput, NotAllowed, NotFound
from opsctl.models.kpi import KpiCycle
from opsctl.models.people import Employee
from opsctl.services.kpi.cycles import close_cycle, get_cycle, open_cycle
from opsctl.services.kpi.scores import import_scores, score_person
from opsctl.services.kpi.templates import STANDARD, derive_template, import_template, template_details
from opsctl.services.kpi.views import person_history, results
from tests.conftest import MakeFile, People

TODAY = date(2026, 3, 18)
RATED = [i.key for i in STANDARD if i.rated]


def period(text: str) -> Period:
    return parse_cycle(text, today=TODAY)


@pytest.fixture
def rated(session: Session, people: People, clock: FixedClock) -> str:
    derive_template(session, actor=people.ada, now=clock.now(), name="rated",
                    weights={"discipline": "0", "initiative": "4"})
    session.commit()
    return "rated"


def open_(session: Session, people: People, clock: FixedClock, name: str, template: str = "rated",
          team: str | None = None) -> KpiCycle:
    return open_cycle(session, actor=people.ada, now=clock.now(), period=period(name), template=template, team=team)


def rate(session: Session, clock: FixedClock, actor: Employee, person: Employee, cycle: str, role: str,
         **scores: Any) -> None:
    score_person(session, actor=actor, now=clock.now(), period=period(cycle), person=person, role=role,
                 scores={k: str(v) for k, v in scores.items()})


def rate_all(session: Session, clock: FixedClock, actor: Employee, person: Employee, cycle: str, role: str,
             value: Any) -> None:
    rate(session, clock, actor, person, cycle, role, **dict.fromkeys(RATED, value))


def by_login(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {row["login"]: row for row in data["rows"]}


# -- templates ---------------------------------------------------------------------------

def test_init_makes_the_standard_template_of_the_design(session: Session, admin: Employee) -> None:
    details = template_details(session, "standard", viewer=admin)
    assert [(i["key"], i["category"], i["weight"], i["source"]) for i in details["indicator_list"]] == [
        ("results", "performance", 25, "rated"), ("projects", "performance", 20, "rated"),
        ("customer", "performance", 15, "rated"), ("skills", "ability", 10, "rated"),
        ("communication", "ability", 8, "rated"), ("learning", "ability", 6, "rated"),
        ("problem_solving", "ability", 6, "rated"), ("responsibility", "attitude", 3, "rated"),
        ("teamwork", "attitude", 3, "rated"), ("initiative", "attitude", 2, "rated"),
        ("discipline", "attitude", 2, "attendance"),
    ]
    assert (details["performance"], details["ability"], details["attitude"]) == (60, 30, 10)


def test_the_migration_made_the_same_standard_template() -> None:
    path = Path(__file__).parents[3] / "opsctl/migrations/versions/0006_kpi.py"
    spec = importlib.util.spec_from_file_location("kpi_migration", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert [(k, n, c, Decimal(w), s) for k, n, c, w, s in module.STANDARD] == [
        (i.key, i.name, i.category, i.weight, i.source) for i in STANDARD]


def test_a_derived_template_must_sum_to_100(session: Session, people: People, clock: FixedClock) -> None:
    with pytest.raises(InvalidInput, match=r"the weights sum to 105, not 100"):
        derive_template(session, actor=people.ada, now=clock.now(), name="heavy", weights={"results": "30"})
    with pytest.raises(InvalidInput, match=r"has no indicator 'speed'; its keys: communication, customer"):
        derive_template(session, actor=people.ada, now=clock.now(), name="x", weights={"speed": "5"})
    with pytest.raises(NotAllowed):
        derive_template(session, actor=people.wei, now=clock.now(), name="mine", weights={})
    made = derive_template(session, actor=people.mona, now=clock.now(), name="no-customer",
                           weights={"customer": "0", "results": "40"})
    details = template_details(session, made.name, viewer=people.wei)
    assert "customer" not in [i["key"] for i in details["indicator_list"]]
    assert details["performance"] == 60 and details["description"] == "standard with customer=0, results=40"
    with pytest.raises(Conflict, match="already exists"):
        derive_template(session, actor=people.mona, now=clock.now(), name="no-customer", weights={})


def test_import_template_reports_every_bad_line_and_the_sum(
    session: Session, people: People, clock: FixedClock, make_file: MakeFile
) -> None:
    bad = make_file("t.csv", "key,name,category,weight,source\n"
                             "output,Output,performance,70,rated\n"
                             "output,Again,performance,10,rated\n"
                             "Bad Key,X,ability,10,rated\n"
                             "punctual,Punctual,attitude,abc,attendance\n"
                             "velocity,Velocity,speed,10,rated\n"
                             "done,Done on time,attitude,10,jira\n")
    with pytest.raises(InvalidInput) as error:
        import_template(session, actor=people.ada, now=clock.now(), path=bad, name="t")
    for fragment in ("5 bad row(s)", "line 3: key 'output' also on line 2", "line 4: not an indicator key",
                     "line 5: not a weight: 'abc'", "line 6: unknown category 'speed'",
                     "line 7: unknown source 'jira'"):
        assert fragment in error.value.message
    header = "key,name,category,weight,source\n"
    short = make_file("short.csv", header + "out,Out,performance,70,\ntasks,Tasks,attitude,20,tasks\n")
    with pytest.raises(InvalidInput, match=r"the weights sum to 90, not 100 \(out 70 \+ tasks 20\)"):
        import_template(session, actor=people.ada, now=clock.now(), path=short, name="short")
    good = make_file("ops.csv", header + "out,Out,performance,70,\ntasks,Tasks,attitude,30,tasks\n")
    import_template(session, actor=people.ada, now=clock.now(), path=good, name="ops")
    assert [(i["key"], i["source"]) for i in template_details(session, "ops", viewer=people.wei)["indicator_list"]] == [
        ("out", "rated"), ("tasks", "tasks")]


# -- cycles and scoring rules -----------------------------------------------------------------

def test_open_cycle_refuses_duplicates_and_mixing_everybody_with_teams(
    session: Session, people: People, clock: FixedClock, rated: str
) -> None:
    open_(session, people, clock, "2026Q1")
    with pytest.raises(Conflict, match="already open"):
        open_(session, people, clock, "2026Q1")
    with pytest.raises(Conflict, match="one cycle for everybody or one per team"):
        open_(session, people, clock, "2026Q1", team="Ops")
    open_(session, people, clock, "2026-02", team="Ops")
    open_(session, people, clock, "2026-02", team="Dev")
    with pytest.raises(Conflict, match="one cycle for everybody or one per team"):
        open_(session, people, clock, "2026-02")
    with pytest.raises(InvalidInput, match="say which with --team"):
        get_cycle(session, period("2026-02"))
    with pytest.raises(NotAllowed):
        open_cycle(session, actor=people.wei, now=clock.now(), period=period("2026-03"))
    with pytest.raises(NotFound, match="unknown KPI template 'nope'"):
        open_(session, people, clock, "2026-03", template="nope")


@pytest.mark.parametrize(("rater", "person", "role", "allowed"), [
    ("wei", "wei", "self", True), ("na", "wei", "self", False),
    ("mona", "wei", "supervisor", True), ("hana", "wei", "supervisor", True), ("leo", "wei", "supervisor", False),
    ("wei", "wei", "supervisor", False),
    ("na", "wei", "peer", True), ("leo", "wei", "peer", True), ("sam", "wei", "peer", False),
    ("mona", "leo", "peer", False), ("wei", "wei", "peer", False),
    ("mona", "wei", "customer", True), ("ada", "wei", "customer", True), ("na", "wei", "customer", False),
])
def test_who_may_rate_in_which_role(
    session: Session, people: People, clock: FixedClock, rated: str, rater: str, person: str, role: str, allowed: bool
) -> None:
    open_(session, people, clock, "2026Q1")
    actor, subject = people.by_login[rater], people.by_login[person]
    if allowed:
        rate(session, clock, actor, subject, "2026Q1", role, results=80)
    else:
        with pytest.raises(NotAllowed, match=f"{rater} may not rate {person} as {role}"):
            rate(session, clock, actor, subject, "2026Q1", role, results=80)


def test_bad_scores_are_refused(session: Session, people: People, clock: FixedClock, rated: str) -> None:
    open_(session, people, clock, "2026Q1", template="standard")
    with pytest.raises(InvalidInput, match="from 0 to 100"):
        rate(session, clock, people.mona, people.wei, "2026Q1", "supervisor", results=100.5)
    with pytest.raises(InvalidInput, match="from 0 to 100"):
        rate(session, clock, people.mona, people.wei, "2026Q1", "supervisor", results=-1)
    with pytest.raises(InvalidInput, match=r"unknown indicator 'speed' in template standard; valid keys: results, "):
        rate(session, clock, people.mona, people.wei, "2026Q1", "supervisor", speed=80)
    with pytest.raises(InvalidInput, match="discipline is computed from attendance, not rated"):
        rate(session, clock, people.mona, people.wei, "2026Q1", "supervisor", discipline=80)
    with pytest.raises(NotFound, match="no KPI cycle 2026-03"):
        rate(session, clock, people.mona, people.wei, "2026-03", "supervisor", results=80)


def test_scoring_again_replaces_the_raters_score(
    session: Session, people: People, clock: FixedClock, rated: str
) -> None:
    open_(session, people, clock, "2026Q1")
    rate(session, clock, people.mona, people.wei, "2026Q1", "supervisor", results=70)
    rate(session, clock, people.mona, people.wei, "2026Q1", "supervisor", results=90)
    rate(session, clock, people.na, people.wei, "2026Q1", "peer", results=60)
    rate(session, clock, people.leo, people.wei, "2026Q1", "peer", results=80)
    from opsctl.services.kpi.why import explain

    data = explain(session, viewer=people.ada, person=people.wei, period=period("2026Q1"), today=TODAY)
    results_line = data["indicators"][0]
    assert (results_line["supervisor"], results_line["peer"], results_line["peers"]) == (90, 70, 2)
    assert results_line["score"] == 85  # (60×90 + 20×70) / 80
    assert results_line["how"] == "(60×90 + 20×70) / 80"


# -- results ------------------------------------------------------------------------------------

def scored_quarter(session: Session, people: People, clock: FixedClock) -> None:
    """wei 90 (A), na 80 (B), leo 90 (A, shares rank 1), sam incomplete."""
    open_(session, people, clock, "2026Q1")
    rate_all(session, clock, people.mona, people.wei, "2026Q1", "supervisor", 90)
    rate_all(session, clock, people.mona, people.na, "2026Q1", "supervisor", 80)
    rate_all(session, clock, people.mona, people.leo, "2026Q1", "supervisor", 90)
    rate(session, clock, people.mona, people.sam, "2026Q1", "supervisor", results=99)


def test_quarter_results_grades_ranks_and_the_incomplete(
    session: Session, people: People, clock: FixedClock, rated: str
) -> None:
    scored_quarter(session, people, clock)
    data = results(session, viewer=people.ada, period=period("2026Q1"), today=TODAY)
    assert [row["login"] for row in data["rows"]] == ["leo", "wei", "na", "sam"]
    rows = by_login(data)
    assert [(rows[p]["final_score"], rows[p]["grade"], rows[p]["rank"]) for p in ("leo", "wei", "na")] == [
        (90, "A", 1), (90, "A", 1), (80, "B", 3)]
    sam = rows["sam"]
    assert (sam["final_score"], sam["grade"], sam["rank"], sam["complete"]) == (None, None, None, False)
    assert sam["missing"] == [k for k in RATED if k != "results"] and sam["results"] == 99
    assert rows["wei"]["performance_points"] == 54 and rows["wei"]["skills"] == 90
    team = results(session, viewer=people.ada, period=period("2026Q1"), today=TODAY, team="Dev")
    assert [row["login"] for row in team["rows"]] == ["sam"]


def test_who_sees_whose_results(session: Session, people: People, clock: FixedClock, rated: str) -> None:
    scored_quarter(session, people, clock)

    def seen(viewer: Any) -> list[str]:
        return sorted(by_login(results(session, viewer=viewer, period=period("2026Q1"), today=TODAY)))

    assert seen(people.mona) == seen(people.hana) == ["leo", "na", "sam", "wei"]
    assert seen(people.leo) == ["leo", "na", "wei"]  # a lead: their team
    assert seen(people.na) == ["na"]
    assert by_login(results(session, viewer=people.na, period=period("2026Q1"), today=TODAY))["na"]["rank"] == 3
    from opsctl.services.kpi.why import explain

    with pytest.raises(NotAllowed, match="na may not see wei's KPI results"):
        explain(session, viewer=people.na, person=people.wei, period=period("2026Q1"), today=TODAY)


def test_a_quarter_without_its_own_cycle_is_the_mean_of_its_months(
    session: Session, people: People, clock: FixedClock, rated: str
) -> None:
    for month, value in (("2026-01", 80), ("2026-02", 85), ("2026-03", 91)):
        open_(session, people, clock, month)
        rate_all(session, clock, people.mona, people.wei, month, "supervisor", value)
    for month in ("2026-01", "2026-02"):
        rate_all(session, clock, people.mona, people.na, month, "supervisor", 70)
    data = by_login(results(session, viewer=people.ada, period=period("2026Q1"), today=TODAY))
    assert data["wei"]["final_score"] == 85.33 and data["wei"]["grade"] == "B"
    assert data["wei"]["based_on"] == ["2026-01", "2026-02", "2026-03"]
    assert data["na"]["complete"] is False
    assert data["na"]["missing"][0] == "2026-03: results"
    year = by_login(results(session, viewer=people.ada, period=period("2026"), today=TODAY))
    assert year["wei"]["final_score"] == 85.33  # the mean of its one quarter
    # a quarter cycle wins over the months
    open_(session, people, clock, "2026Q1")
    rate_all(session, clock, people.mona, people.wei, "2026Q1", "supervisor", 60)
    again = by_login(results(session, viewer=people.ada, period=period("2026Q1"), today=TODAY))
    assert again["wei"]["final_score"] == 60 and again["wei"]["based_on"] == ["2026Q1"]


def test_closing_locks_scores_and_keeps_who_was_judged(
    session: Session, people: People, clock: FixedClock, rated: str
) -> None:
    from opsctl.services.people.employees import edit_person

    open_(session, people, clock, "2026-02")
    rate_all(session, clock, people.mona, people.wei, "2026-02", "supervisor", 88)
    with pytest.raises(Conflict, match="runs until 2026-03-31"):
        close_cycle(session, actor=people.ada, now=clock.now(), today=TODAY,
                    cycle=open_(session, people, clock, "2026-03"))
    close_cycle(session, actor=people.mona, now=clock.now(), today=TODAY, cycle=get_cycle(session, period("2026-02")))
    with pytest.raises(Conflict, match=r"cycle 2026-02 was closed on 2026-03-18 by mona; its scores are locked"):
        rate(session, clock, people.mona, people.wei, "2026-02", "supervisor", results=10)
    edit_person(session, actor=people.ada, now=clock.now(), login="wei", team="")  # leaves every team
    data = by_login(results(session, viewer=people.ada, period=period("2026-02"), today=TODAY))
    assert data["wei"]["final_score"] == 88 and set(data) == {"wei", "na", "leo", "sam"}
    assert person_history(session, employee=people.wei) == [
        {"cycle": "2026-02", "final_score": 88, "grade": "B", "rank": 1, "complete": True}]
    # open cycles count only when today is given; wei, in no team now, is in no open cycle
    assert [h["cycle"] for h in person_history(session, employee=people.wei, today=TODAY)] == ["2026-02"]
    assert person_history(session, employee=people.na, today=TODAY) == [
        {"cycle": "2026-02", "final_score": None, "grade": None, "rank": None, "complete": False},
        {"cycle": "2026-03", "final_score": None, "grade": None, "rank": None, "complete": False}]


def test_people_hired_after_the_cycle_are_not_judged(
    session: Session, people: People, clock: FixedClock, rated: str
) -> None:
    from opsctl.services.people.employees import add_person

    late = add_person(session, actor=people.ada, now=clock.now(), login="neo", name="Neo", team="Ops",
                      manager="mona", hired=date(2026, 4, 1))
    open_(session, people, clock, "2026Q1")
    assert "neo" not in by_login(results(session, viewer=people.ada, period=period("2026Q1"), today=TODAY))
    with pytest.raises(InvalidInput, match=r"neo did not work here during 2026Q1 \(hired 2026-04-01\)"):
        rate(session, clock, people.mona, late, "2026Q1", "supervisor", results=80)


def test_import_scores_all_or_nothing(
    session: Session, people: People, clock: FixedClock, rated: str, make_file: MakeFile
) -> None:
    open_(session, people, clock, "2026Q1")
    bad = make_file("s.csv", "login,role,rater,key,score,comment\n"
                             "wei,supervisor,mona,results,90,solid\n"
                             "wei,supervisor,na,results,90,\n"
                             "ghost,self,,results,90,\n"
                             "wei,peer,na,discipline,90,\n"
                             "wei,peer,na,results,190,\n"
                             "wei,supervisor,mona,results,80,again\n")
    with pytest.raises(InvalidInput) as error:
        import_scores(session, actor=people.hana, now=clock.now(), path=bad, period=period("2026Q1"))
    for fragment in ("5 bad row(s)", "line 3: na may not rate wei as supervisor", "line 4: unknown person 'ghost'",
                     "line 5: unknown indicator 'discipline'", "line 6: the score for results must be",
                     "line 7: wei results by mona as supervisor is also on line 2"):
        assert fragment in error.value.message
    assert results(session, viewer=people.ada, period=period("2026Q1"), today=TODAY)["rows"][0]["results"] is None
    only_rights = make_file("r.csv", "login,role,rater,key,score\nwei,supervisor,na,results,90\n")
    with pytest.raises(NotAllowed, match="1 bad row"):
        import_scores(session, actor=people.hana, now=clock.now(), path=only_rights, period=period("2026Q1"))
    theirs = make_file("t.csv", "login,role,rater,key,score\nwei,peer,na,results,90\n")
    with pytest.raises(NotAllowed, match="only HR or an admin may enter na's scores"):
        import_scores(session, actor=people.leo, now=clock.now(), path=theirs, period=period("2026Q1"))
    good = make_file("g.csv", "login,role,rater,key,score,comment\nwei,peer,na,results,90,\nwei,self,wei,results,70,\n")
    rows = import_scores(session, actor=people.hana, now=clock.now(), path=good, period=period("2026Q1"))
    assert [(r["login"], r["role"], r["rater"], r["score"]) for r in rows] == [
        ("wei", "peer", "na", 90), ("wei", "self", "wei", 70)]


def test_a_year_without_its_own_cycle_is_the_mean_of_its_quarters(
    session: Session, people: People, clock: FixedClock, rated: str
) -> None:
    from opsctl.services.kpi.why import explain

    clock.set(clock.now().replace(year=2027))
    today = date(2027, 1, 10)
    open_(session, people, clock, "2026Q1")
    rate_all(session, clock, people.mona, people.wei, "2026Q1", "supervisor", 70)
    for month, value in (("2026-04", 80), ("2026-05", 90)):  # Q2 from its months
        open_(session, people, clock, month)
        rate_all(session, clock, people.mona, people.wei, month, "supervisor", value)
    data = by_login(results(session, viewer=people.ada, period=period("2026"), today=today))
    assert data["wei"]["final_score"] == 77.5  # (70 + (80 + 90) / 2) / 2
    assert data["wei"]["based_on"] == ["2026Q1", "2026-04", "2026-05"]
    shown = explain(session, viewer=people.wei, person=people.wei, period=period("2026"), today=today)
    assert [(p["cycle"], p["final_score"], p["complete"]) for p in shown["parts"]] == [
        ("2026Q1", 70, True), ("2026Q2", 85, True)]
    assert shown["how"] == "the mean of the final scores of 2 quarters, rounded half up"
    assert "indicators" not in shown
