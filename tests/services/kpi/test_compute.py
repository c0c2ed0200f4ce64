"""The KPI arithmetic of DESIGN §7: rater weights, renormalisation, rounding, grades, ranks."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from opsctl.services.kpi.compute import (
    Computed,
    Indicator,
    competition_ranks,
    discipline_value,
    grade_of,
    person_score,
    rated_score,
)
from opsctl.services.kpi.templates import STANDARD

D = Decimal
WEIGHTS = {"self": D(10), "supervisor": D(60), "peer": D(20), "customer": D(10)}
BANDS = {"A": 90.0, "B": 80.0, "C": 70.0, "D": 60.0}


def test_all_four_roles_are_weighted_and_peers_averaged_first() -> None:
    # peers 70 and 90 → 80; (10×100 + 60×80 + 20×80 + 10×60) / 100 = 80
    score, roles = rated_score({"self": [D(100)], "supervisor": [D(80)], "peer": [D(70), D(90)],
                                "customer": [D(60)]}, WEIGHTS)
    assert score == D("80.00")
    assert roles["peer"].mean == D(80) and roles["peer"].scores == 2


def test_missing_roles_are_left_out_and_the_weights_renormalised() -> None:
    # only supervisor 90 and self 60: (60×90 + 10×60) / 70 = 85.714… → 85.71
    score, roles = rated_score({"supervisor": [D(90)], "self": [D(60)]}, WEIGHTS)
    assert score == D("85.71")
    assert list(roles) == ["self", "supervisor"]
    assert rated_score({}, WEIGHTS) == (None, {})


def test_a_role_with_weight_zero_alone_gives_no_score() -> None:
    score, _roles = rated_score({"customer": [D(90)]}, WEIGHTS | {"customer": D(0)})
    assert score is None


def test_rounding_is_half_up_not_to_even() -> None:
    # supervisor 84.125 alone → 84.13 (Python's round() would say 84.12)
    assert rated_score({"supervisor": [D("84.12"), D("84.13")]}, WEIGHTS)[0] == D("84.13")
    indicators = [Indicator("a", "A", "performance", D(50), "rated"),
                  Indicator("b", "B", "ability", D(50), "rated")]
    # 50×84.25/100 + 50×84.00/100 = 84.125 → 84.13
    result = person_score(1, indicators, {"a": {"supervisor": [D("84.25")]}, "b": {"supervisor": [D(84)]}}, {},
                          WEIGHTS)
    assert result.final == D("84.13")


def test_final_score_of_the_standard_template() -> None:
    rated = {i.key: {"supervisor": [D(80)], "self": [D(90)]} for i in STANDARD if i.rated}
    # every rated indicator (60×80 + 10×90)/70 = 81.428… → 81.43; discipline 95
    result = person_score(7, list(STANDARD), rated, {"discipline": Computed(D(95), "1 late (−5)")}, WEIGHTS)
    # 98 × 81.43 / 100 + 2 × 95 / 100 = 79.8014 + 1.9 = 81.7014 → 81.70
    assert result.final == D("81.70")
    assert result.complete and result.missing == []
    assert result.category_points() == {"performance": D("48.86"), "ability": D("24.43"), "attitude": D("8.41")}


def test_unscored_and_uncomputed_indicators_are_missing() -> None:
    rated = {"results": {"supervisor": [D(80)]}}
    result = person_score(7, list(STANDARD), rated, {"discipline": Computed(None, "no data")}, WEIGHTS)
    assert result.final is None and not result.complete
    assert result.missing == [i.key for i in STANDARD if i.key != "results"]
    assert result.indicators[-1].detail == "no data"


def test_grades_follow_the_bands() -> None:
    assert [grade_of(D(s), BANDS) for s in ("100", "90", "89.99", "80", "70", "60", "59.99", "0")] == [
        "A", "A", "B", "B", "C", "D", "E", "E"]
    assert grade_of(D(75), {"S": 95, "A": 75}) == "A"


def test_competition_ranking_shares_ranks_and_skips() -> None:
    ranks = competition_ranks([(1, D(90)), (2, D(95)), (3, D(90)), (4, D(80)), (5, D(95))])
    assert ranks == {2: 1, 5: 1, 1: 3, 3: 3, 4: 5}


def test_discipline_deductions_and_floor() -> None:
    deductions = {"late": 5, "early": 5, "missing": 2, "absent": 20}
    assert discipline_value({"late": 2, "early": 1, "missing": 3, "absent": 0.5}, deductions) == D(69)
    assert discipline_value({"late": 0, "early": 0, "missing": 0, "absent": 0}, deductions) == D(100)
    assert discipline_value({"absent": 6}, deductions) == D(0)


scores = st.decimals(min_value=0, max_value=100, places=2)


@given(st.dictionaries(st.sampled_from(list(WEIGHTS)), st.lists(scores, min_size=1, max_size=4), min_size=1))
def test_an_indicator_score_lies_between_its_lowest_and_highest_role_mean(by_role: dict[str, list[D]]) -> None:
    score, roles = rated_score(by_role, WEIGHTS)
    means = [r.mean for r in roles.values()]
    assert score is not None
    assert min(means) - D("0.005") <= score <= max(means) + D("0.005")
    assert score == score.quantize(D("0.01"))
